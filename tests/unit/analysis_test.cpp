// The matrix against the hand-worked fixture in tests/fixtures/mini (the working is in
// tests/fixtures/mini/WORKING.md).

#include <doctest/doctest.h>

#include <coding/analysis.hpp>
#include <coding/error.hpp>
#include <coding/project.hpp>

#include "mini_study.hpp"
#include "test_support.hpp"

namespace {

using coding::matrix_level;
using coding::measure;

struct mini_study {
  test::temp_dir dir;
  coding::project p;

  mini_study() : p(make()) {}

  coding::project make() { return test::make_mini_project(dir.file("mini.qcode")); }

  coding::matrix run(measure what, matrix_level level = matrix_level::theme, std::string by = "") {
    coding::matrix_options o;
    o.by = std::move(by);
    o.what = what;
    o.level = level;
    return coding::compute_matrix(coding::load_study(p), o);
  }
};

std::vector<double> cells(const coding::matrix& m, std::size_t row) {
  return m.rows.at(row).cells;
}

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
  // WORKING.md: a staff p45 (c4 and c5, two coders' codings of Ann's answer), c6; a client
  // c1, c2, p45 (through Bob).
  CHECK(cells(m, 0) == std::vector<double>{2, 3});
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
  CHECK(cells(g, 0) == std::vector<double>{1, 2});  // a.x: staff p45; client c1, p45
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
  CHECK_THROWS_WITH_AS(coding::parse_measure("segment"),
                       doctest::Contains("did you mean 'segments'?"), coding::input_error);
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
  s.cases.push_back({"K", "K", {{"group", "client"}}, ""});
  coding::coding_record c;
  c.doc = "D";
  c.start = 0;
  c.end = 5;
  c.code = "a.x";
  s.codings.push_back(c);
  coding::matrix_options o;
  o.what = measure::coverage;
  const auto m = coding::compute_matrix(s, o);
  CHECK(m.rows[0].cells[1] == doctest::Approx(50.0));
  CHECK(m.rows[0].cells[0] == doctest::Approx(0.0));
}

// Totals, filters and the coder (worked in tests/fixtures/mini/WORKING.md, "Totals" and
// "Filters").

namespace {

coding::matrix run_with(const coding::project& p, measure what,
                        std::vector<std::pair<std::string, std::string>> where,
                        std::optional<std::string> coder = std::nullopt) {
  return coding::compute_matrix(
      coding::load_study(p), {"", what, matrix_level::theme, std::move(where), std::move(coder)});
}

}  // namespace

TEST_CASE("segments counts two coders' overlapping codings of one code as one passage") {
  mini_study s;
  // Each coder alone: x has c4 and c6 for a, staff; y has c5. Pooled: p45 and c6.
  CHECK(cells(run_with(s.p, measure::segments, {}, "x"), 0)[0] == 2);
  CHECK(cells(run_with(s.p, measure::segments, {}, "y"), 0)[0] == 1);
  const auto pooled = s.run(measure::segments);
  CHECK(cells(pooled, 0)[0] == 2);
  CHECK(pooled.coders == std::vector<std::string>{"x", "y"});
  CHECK(run_with(s.p, measure::segments, {}, "y").coders == std::vector<std::string>{"y"});
}

TEST_CASE("cases totals count each case once over all columns and any code") {
  mini_study s;
  const auto m = s.run(measure::cases);
  CHECK(m.n == 5);
  CHECK(m.rows[0].total == 4);  // K1, K2, K3, K4
  CHECK(m.rows[1].total == 2);  // K1, K5
  CHECK(m.total.cells == std::vector<double>{3, 2});
  CHECK(m.total.total == 5);
  CHECK(m.total.label == "Total");
}

TEST_CASE("segments totals count a coding spanning two groups once") {
  mini_study s;
  const auto m = s.run(measure::segments);
  CHECK(m.rows[0].total == 4);  // c1, c2, p45 (c4 and c5), c6
  CHECK(m.rows[1].total == 2);  // c3, c8; c7 is attributed to nobody
  CHECK(m.total.cells == std::vector<double>{3, 4});
  CHECK(m.total.total == 6);
}

TEST_CASE("coverage totals use all columns' spoken characters and the union of all codings") {
  mini_study s;
  const auto m = s.run(measure::coverage);
  CHECK(m.rows[0].total == doctest::Approx(100.0 * 51 / 66));
  CHECK(m.rows[1].total == doctest::Approx(100.0 * 16 / 66));
  CHECK(m.total.cells[0] == doctest::Approx(100.0 * 20 / 24));
  CHECK(m.total.cells[1] == doctest::Approx(100.0 * 33 / 42));
  CHECK(m.total.total == doctest::Approx(100.0 * 53 / 66));
}

TEST_CASE("where keeps only matching cases, in n and in every measure") {
  mini_study s;
  const auto m = run_with(s.p, measure::cases, {{"district", "North"}});
  CHECK(m.columns[0].n == 2);  // K2, K5
  CHECK(m.columns[1].n == 1);  // K1
  CHECK(m.n == 3);
  CHECK(cells(m, 0) == std::vector<double>{1, 1});
  CHECK(cells(m, 1) == std::vector<double>{1, 1});
  const auto g = run_with(s.p, measure::segments, {{"district", "South"}});
  CHECK(cells(g, 0) == std::vector<double>{1, 1});  // K4: c6; K3: c4
  CHECK(g.rows[0].total == 2);                      // c4, c6
  const auto v = run_with(s.p, measure::coverage, {{"district", "South"}});
  CHECK(v.rows[0].cells[0] == doctest::Approx(100.0 * 7 / 7));  // Cy's 7, all coded
  CHECK(v.rows[0].cells[1] == doctest::Approx(100.0 * 9 / 9));  // Bob's 9, all coded
}

TEST_CASE(
    "where with one attribute twice accepts either value; different attributes must all hold") {
  mini_study s;
  const auto both =
      run_with(s.p, measure::segments, {{"district", "North"}, {"district", "South"}});
  CHECK(both.n == 5);
  CHECK(cells(both, 0) == std::vector<double>{3, 3});
  const auto none = run_with(s.p, measure::cases, {{"district", "North"}, {"group", "nobody"}});
  CHECK(none.n == 0);
  CHECK(none.total.total == 0);
  const auto staff_north =
      run_with(s.p, measure::cases, {{"district", "North"}, {"group", "staff"}});
  CHECK(staff_north.n == 2);
  CHECK(staff_north.total.cells == std::vector<double>{2, 0});
}

TEST_CASE("an unknown where attribute is an input error with a did-you-mean") {
  mini_study s;
  CHECK_THROWS_WITH_AS(run_with(s.p, measure::cases, {{"distrct", "North"}}),
                       doctest::Contains("unknown attribute 'distrct'; did you mean 'district'?"),
                       coding::input_error);
}

TEST_CASE("coder keeps only that coder's codings") {
  mini_study s;
  const auto m = run_with(s.p, measure::segments, {}, "y");
  CHECK(cells(m, 0) == std::vector<double>{1, 0});  // c5, K2
  CHECK(cells(m, 1) == std::vector<double>{0, 0});
  CHECK(m.total.total == 1);
  const auto x = run_with(s.p, measure::segments, {}, "x");
  CHECK(cells(x, 0) == std::vector<double>{2, 3});  // c4, c6; c1, c2, c4
  CHECK_THROWS_WITH_AS(run_with(s.p, measure::cases, {}, "yy"),
                       doctest::Contains("unknown coder 'yy'; did you mean 'y'?"),
                       coding::input_error);
}

TEST_CASE("load_corpus loads documents, cases and codings, with or without a framework") {
  mini_study m;
  const auto full = coding::load_corpus(m.p, true);
  CHECK(full.documents.size() == 3);
  CHECK_FALSE(full.documents[0].text.empty());
  CHECK(full.cases.size() == 5);
  CHECK(full.codings.size() == 8);
  CHECK(full.summaries.empty());
  CHECK_FALSE(full.fw.codes.empty());
  const auto bare = coding::load_corpus(m.p, false, false);
  CHECK(bare.documents[0].text.empty());
  CHECK(bare.codings.empty());

  test::temp_dir dir;
  auto empty = coding::project::create(dir.file("none.qcode"));
  empty.documents().add({coding::load_transcript(test::fixture("mini/I1.txt"))});
  CHECK_THROWS_AS(coding::load_study(empty), coding::input_error);
  const auto s = coding::load_corpus(empty, false);
  CHECK(s.fw.codes.empty());
  CHECK(s.documents.size() == 1);
}
