// The matrix against the hand-worked fixture in tests/fixtures/mini (the working is in
// tests/fixtures/mini/WORKING.md).

#include <doctest/doctest.h>

#include <coding/analysis.hpp>
#include <coding/error.hpp>
#include <coding/project.hpp>

#include "test_support.hpp"

namespace {

using coding::matrix_level;
using coding::measure;

struct mini_study {
  test::temp_dir dir;
  coding::project p;

  mini_study() : p(make()) {}

  coding::project make() {
    const auto fw = coding::load_framework(test::fixture("mini/framework.yaml"));
    auto proj = coding::project::create(dir.file("mini.qcode"), &fw);
    proj.import_documents({coding::load_transcript(test::fixture("mini/I1.txt")),
                           coding::load_transcript(test::fixture("mini/G1.txt")),
                           coding::load_transcript(test::fixture("mini/I2.txt"))});
    const auto cases_csv = test::fixture("mini/cases.csv");
    proj.import_cases(coding::parse_cases_csv(coding::read_file(cases_csv), cases_csv));
    proj.add_codings(coding::read_codings(test::fixture("mini/codings.csv")));
    return proj;
  }

  coding::matrix run(measure what, matrix_level level = matrix_level::theme, std::string by = "") {
    return coding::compute_matrix(coding::load_study(p), {std::move(by), what, level});
  }
};

std::vector<double> cells(const coding::matrix& m, std::size_t row) { return m.rows.at(row).cells; }

}  // namespace

TEST_CASE("matrix columns follow the framework's groups with their sizes") {
  mini_study s;
  const auto m = s.run(measure::cases);
  REQUIRE(m.columns.size() == 2);
  CHECK(m.columns[0].id == "staff");
  CHECK(m.columns[0].label == "Staff");
  CHECK(m.columns[0].n == 3);  // K2, K4, K5
  CHECK(m.columns[1].id == "client");
  CHECK(m.columns[1].n == 2);  // K1, K3
  REQUIRE(m.rows.size() == 2);
  CHECK(m.rows[0].code == "a");
  CHECK(m.rows[1].code == "b");
}

TEST_CASE("cases counts each case with at least one coding, sub-codes included") {
  mini_study s;
  const auto m = s.run(measure::cases);
  CHECK(cells(m, 0) == std::vector<double>{2, 2});
  CHECK(cells(m, 1) == std::vector<double>{1, 1});
}

TEST_CASE("segments counts a coding spanning two speakers of different groups in both") {
  mini_study s;
  const auto m = s.run(measure::segments);
  CHECK(cells(m, 0) == std::vector<double>{3, 3});
  CHECK(cells(m, 1) == std::vector<double>{1, 1});
}

TEST_CASE("coverage counts only characters spoken by the group's cases") {
  mini_study s;
  const auto m = s.run(measure::coverage);
  CHECK(m.rows[0].cells[0] == doctest::Approx(100.0 * 20 / 24));
  CHECK(m.rows[0].cells[1] == doctest::Approx(100.0 * 31 / 42));
  CHECK(m.rows[1].cells[0] == doctest::Approx(0.0));
  CHECK(m.rows[1].cells[1] == doctest::Approx(100.0 * 16 / 42));
}

TEST_CASE("code level has one row per code below the themes") {
  mini_study s;
  const auto c = s.run(measure::cases, matrix_level::code);
  REQUIRE(c.rows.size() == 3);
  CHECK(c.rows[0].code == "a.x");
  CHECK(c.rows[1].code == "a.y");
  CHECK(c.rows[2].code == "b.z");
  CHECK(cells(c, 0) == std::vector<double>{1, 2});
  CHECK(cells(c, 1) == std::vector<double>{1, 1});
  CHECK(cells(c, 2) == std::vector<double>{1, 1});
  const auto g = s.run(measure::segments, matrix_level::code);
  CHECK(cells(g, 0) == std::vector<double>{2, 2});
  CHECK(cells(g, 1) == std::vector<double>{1, 1});
  const auto v = s.run(measure::coverage, matrix_level::code);
  CHECK(v.rows[0].cells[0] == doctest::Approx(100.0 * 13 / 24));
  CHECK(v.rows[0].cells[1] == doctest::Approx(100.0 * 27 / 42));
  CHECK(v.rows[1].cells[0] == doctest::Approx(100.0 * 7 / 24));
  CHECK(v.rows[1].cells[1] == doctest::Approx(100.0 * 4 / 42));
}

TEST_CASE("--by any case attribute gives one column per value") {
  mini_study s;
  const auto m = s.run(measure::cases, matrix_level::theme, "district");
  REQUIRE(m.columns.size() == 2);
  CHECK(m.columns[0].id == "North");
  CHECK(m.columns[0].n == 3);
  CHECK(m.columns[1].id == "South");
  CHECK(m.columns[1].n == 2);
  CHECK(cells(m, 0) == std::vector<double>{2, 2});
  CHECK(cells(m, 1) == std::vector<double>{2, 0});
}

TEST_CASE("an unknown attribute is an input error with a did-you-mean") {
  mini_study s;
  CHECK_THROWS_WITH_AS(s.run(measure::cases, matrix_level::theme, "distrct"),
                       doctest::Contains("did you mean 'district'?"), coding::input_error);
}

TEST_CASE("measure and level names parse, with suggestions for typos") {
  CHECK(coding::parse_measure("coverage") == measure::coverage);
  CHECK(coding::parse_level("code") == matrix_level::code);
  CHECK_THROWS_WITH_AS(coding::parse_measure("segment"), doctest::Contains("did you mean 'segments'?"),
                       coding::input_error);
  CHECK_THROWS_AS(coding::parse_level("sub"), coding::input_error);
}

TEST_CASE("a one-to-one interview without speaker labels is all spoken by its case") {
  // Text of 10 code points, no turns: coding [0,5) covers 5 / 10 = 50 %.
  coding::study s;
  s.fw = coding::load_framework(test::fixture("mini/framework.yaml"));
  coding::document d;
  d.id = "D";
  d.case_id = "K";
  d.length = 10;
  s.documents.push_back(d);
  s.cases.push_back({"K", "K", {{"group", "client"}}});
  coding::coding_record c;
  c.doc = "D";
  c.start = 0;
  c.end = 5;
  c.code = "a.x";
  s.codings.push_back(c);
  const auto m = coding::compute_matrix(s, {"", measure::coverage, matrix_level::theme});
  CHECK(m.rows[0].cells[1] == doctest::Approx(50.0));
  CHECK(m.rows[0].cells[0] == doctest::Approx(0.0));
}
