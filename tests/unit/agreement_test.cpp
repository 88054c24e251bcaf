// Intercoder agreement: the statistics against published examples, and the units on small
// in-memory studies worked by hand in tests/fixtures/agreement/WORKING.md.

#include <doctest/doctest.h>

#include <cmath>
#include <coding/agreement.hpp>
#include <coding/error.hpp>
#include <coding/framework.hpp>
#include <coding/records.hpp>

#include "test_support.hpp"

namespace {

using coding::agreement_unit;
using coding::matrix_level;

constexpr int na = -1;

double round3(double x) {
  return std::round(x * 1000) / 1000;
}

coding::reliability_data data(std::size_t coders, std::size_t categories,
                              std::vector<std::vector<int>> values,
                              std::vector<std::uint64_t> weights = {}) {
  return {coders, categories, std::move(values), std::move(weights)};
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section B (nominal
// data, four observers, twelve units, missing values); values 1..5 as categories 0..4.
coding::reliability_data krippendorff_2011() {
  const std::vector<std::vector<int>> by_observer{{1, 2, 3, 3, 2, 1, 4, 1, 2, na, na, na},
                                                  {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, na, 3},
                                                  {na, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, na},
                                                  {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, na}};
  std::vector<std::vector<int>> units(12, std::vector<int>(4));
  for (std::size_t o = 0; o < 4; ++o)
    for (std::size_t u = 0; u < 12; ++u)
      units[u][o] = by_observer[o][u] == na ? na : by_observer[o][u] - 1;
  return data(4, 5, units);
}

// Fleiss (1971), the example reproduced in Wikipedia's "Fleiss' kappa": 10 subjects, 14
// raters, 5 categories, given as the number of raters per category.
coding::reliability_data fleiss_1971() {
  const int counts[10][5] = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0},
                             {2, 2, 8, 1, 1},  {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2},
                             {6, 5, 2, 1, 0},  {0, 2, 2, 3, 7}};
  std::vector<std::vector<int>> units;
  for (const auto& row : counts) {
    std::vector<int> values;
    for (int c = 0; c < 5; ++c)
      for (int k = 0; k < row[c]; ++k) values.push_back(c);
    units.push_back(values);
  }
  return data(14, 5, units);
}

// Wikipedia, "Cohen's kappa", worked example: 50 proposals read by two readers, yes/yes
// 20, yes/no 5, no/yes 10, no/no 15 (yes = 1, no = 0), as four weighted units.
coding::reliability_data cohen_example() {
  return data(2, 2, {{1, 1}, {1, 0}, {0, 1}, {0, 0}}, {20, 5, 10, 15});
}

}  // namespace

// ---- the statistics ----------------------------------------------------------------------

TEST_CASE("agreement: Krippendorff's alpha reproduces Krippendorff (2011), nominal, 0.743") {
  const auto st = coding::compute_statistics(krippendorff_2011());
  REQUIRE(st.krippendorff_alpha.value);
  CHECK(round3(*st.krippendorff_alpha.value) == doctest::Approx(0.743));  // 0.74342
  // 11 of the 12 units have values from at least two observers (unit 12 has one).
  CHECK(st.units == 11);
  // Fleiss leaves out the units not coded by all four (1, 10, 11, 12 and the single one).
  CHECK(st.fleiss_kappa.note.find("not coded by every coder") != std::string::npos);
  CHECK(st.cohen_kappa.note.find("exactly two coders") != std::string::npos);
  CHECK_FALSE(st.cohen_kappa.value);
}

TEST_CASE("agreement: Fleiss' kappa reproduces Fleiss (1971) as on Wikipedia, 0.210") {
  const auto st = coding::compute_statistics(fleiss_1971());
  REQUIRE(st.fleiss_kappa.value);
  CHECK(round3(*st.fleiss_kappa.value) == doctest::Approx(0.210));  // 0.20993
  CHECK(st.fleiss_kappa.note.empty());
  CHECK(st.units == 10);
}

TEST_CASE("agreement: Cohen's kappa reproduces Wikipedia's 2x2 example, 0.4") {
  const auto st = coding::compute_statistics(cohen_example());
  REQUIRE(st.cohen_kappa.value);
  CHECK(*st.cohen_kappa.value == doctest::Approx(0.4));
  CHECK(st.units == 50);
  CHECK(*st.percent.value == doctest::Approx(0.7));
  // Brennan-Prediger with two categories: (0.7 - 0.5) / 0.5.
  CHECK(*st.brennan_prediger.value == doctest::Approx(0.4));
  // Two coders, no missing values: Fleiss' pe from the pooled marginals (0.55, 0.45).
  CHECK(*st.fleiss_kappa.value == doctest::Approx((0.7 - 0.505) / (1 - 0.505)));
}

TEST_CASE("agreement: a unit of weight w counts as w identical units") {
  std::vector<std::vector<int>> expanded;
  const auto w = cohen_example();
  for (std::size_t u = 0; u < w.values.size(); ++u)
    for (std::uint64_t k = 0; k < w.weights[u]; ++k) expanded.push_back(w.values[u]);
  const auto a = coding::compute_statistics(w, 7, 200);
  const auto b = coding::compute_statistics(data(2, 2, expanded), 7, 200);
  CHECK(*a.cohen_kappa.value == doctest::Approx(*b.cohen_kappa.value));
  CHECK(*a.fleiss_kappa.value == doctest::Approx(*b.fleiss_kappa.value));
  CHECK(*a.krippendorff_alpha.value == doctest::Approx(*b.krippendorff_alpha.value));
  CHECK(*a.brennan_prediger.value == doctest::Approx(*b.brennan_prediger.value));
  CHECK(a.units == b.units);
}

TEST_CASE("agreement: the bootstrap interval holds alpha and is reproducible by its seed") {
  const auto d = krippendorff_2011();
  const auto a = coding::compute_statistics(d, 42, 1000);
  const auto b = coding::compute_statistics(d, 42, 1000);
  const auto c = coding::compute_statistics(d, 43, 1000);
  REQUIRE(a.alpha_interval);
  CHECK(a.alpha_interval->first <= *a.krippendorff_alpha.value);
  CHECK(a.alpha_interval->second >= *a.krippendorff_alpha.value);
  CHECK(a.alpha_interval->first < a.alpha_interval->second);
  CHECK(a.alpha_interval->second <= 1.0);
  CHECK(a.alpha_interval == b.alpha_interval);
  CHECK(a.alpha_interval != c.alpha_interval);
  CHECK_FALSE(coding::compute_statistics(d, 42, 0).alpha_interval);
}

TEST_CASE("agreement: the bootstrap of heavily weighted units costs no more than of light ones") {
  // A billion characters in four runs: multinomial draws, never one per character.
  auto d = cohen_example();
  for (auto& w : d.weights) w *= 20'000'000;
  const auto st = coding::compute_statistics(d, 1, 1000);
  REQUIRE(st.alpha_interval);
  CHECK(st.alpha_interval->first == doctest::Approx(*st.krippendorff_alpha.value).epsilon(0.001));
}

TEST_CASE("agreement: degenerate data give empty statistics with notes, never NaN") {
  SUBCASE("one coder") {
    const auto st = coding::compute_statistics(data(1, 2, {{0}, {1}}));
    CHECK_FALSE(st.percent.value);
    CHECK_FALSE(st.cohen_kappa.value);
    CHECK_FALSE(st.fleiss_kappa.value);
    CHECK_FALSE(st.brennan_prediger.value);
    CHECK_FALSE(st.krippendorff_alpha.value);
    CHECK(st.percent.note == "needs at least two coders");
    CHECK(st.units == 0);
  }
  SUBCASE("no pairable unit") {
    const auto st = coding::compute_statistics(data(2, 2, {{0, na}, {na, 1}, {na, na}}));
    CHECK(st.units == 0);
    CHECK_FALSE(st.percent.value);
    CHECK(st.percent.note == "no unit was coded by two coders");
    CHECK_FALSE(st.cohen_kappa.value);
    CHECK(st.cohen_kappa.note == "no unit was coded by two coders");
    CHECK_FALSE(st.fleiss_kappa.value);
    CHECK(st.fleiss_kappa.note == "no unit was coded by every coder");
    CHECK_FALSE(st.brennan_prediger.value);
    CHECK_FALSE(st.krippendorff_alpha.value);
    CHECK_FALSE(st.alpha_interval);
  }
  SUBCASE("no variation: every unit has the same value") {
    const auto st = coding::compute_statistics(data(2, 2, {{1, 1}, {1, 1}, {1, 1}}));
    CHECK(*st.percent.value == doctest::Approx(1.0));
    CHECK_FALSE(st.cohen_kappa.value);
    CHECK(st.cohen_kappa.note.find("no variation") == 0);
    CHECK_FALSE(st.fleiss_kappa.value);
    CHECK(st.fleiss_kappa.note.find("no variation") == 0);
    CHECK_FALSE(st.krippendorff_alpha.value);
    CHECK(st.krippendorff_alpha.note.find("no variation") == 0);
    CHECK_FALSE(st.alpha_interval);
    // Chance agreement is 1/2 whatever the data: (1 - 0.5) / 0.5.
    CHECK(*st.brennan_prediger.value == doctest::Approx(1.0));
  }
  SUBCASE("one category") {
    const auto st = coding::compute_statistics(data(2, 1, {{0, 0}, {0, 0}}));
    CHECK_FALSE(st.brennan_prediger.value);
    CHECK(st.brennan_prediger.note == "needs at least two categories");
  }
  SUBCASE("no units at all") {
    const auto st = coding::compute_statistics(data(3, 2, {}));
    CHECK_FALSE(st.percent.value);
    CHECK_FALSE(st.fleiss_kappa.value);
    CHECK_FALSE(st.krippendorff_alpha.value);
    CHECK(st.cohen_kappa.note.find("exactly two coders") != std::string::npos);
  }
}

TEST_CASE("agreement: Brennan-Prediger with three coders averages the pairs' agreement") {
  // Pairs (A,B) agree on 2 of 2, (A,C) on 1 of 2, (B,C) on 1 of 2: po = 2/3, q = 3.
  const auto st = coding::compute_statistics(data(3, 3, {{0, 0, 0}, {1, 1, 2}}));
  CHECK(*st.brennan_prediger.value == doctest::Approx((2.0 / 3 - 1.0 / 3) / (2.0 / 3)));
  CHECK(*st.percent.value == doctest::Approx(0.5));
}

// ---- units on a study (tests/fixtures/agreement/WORKING.md) -----------------------------

namespace {

struct mini {
  coding::study s;

  mini() { s.fw = coding::load_framework(test::fixture("mini/framework.yaml")); }

  coding::document& doc(std::string id, std::size_t length, std::optional<std::string> kase = {}) {
    coding::document d;
    d.id = std::move(id);
    d.title = d.id;
    d.length = length;
    d.text = std::string(length, 'x');
    d.case_id = std::move(kase);
    s.documents.push_back(std::move(d));
    return s.documents.back();
  }
  void code(std::string doc, std::size_t start, std::size_t end, std::string code,
            std::string coder) {
    coding::coding_record c;
    c.doc = std::move(doc);
    c.start = start;
    c.end = end;
    c.code = std::move(code);
    c.coder = std::move(coder);
    s.codings.push_back(std::move(c));
  }
  coding::agreement_result run(agreement_unit unit, std::vector<std::string> codes = {"a.x"},
                               matrix_level level = matrix_level::code) {
    coding::agreement_options o;
    o.unit = unit;
    o.codes = std::move(codes);
    o.level = level;
    o.bootstrap = 0;
    return coding::compute_agreement(s, o);
  }
};

coding::agreement_options options(agreement_unit unit, std::vector<std::string> codes) {
  coding::agreement_options o;
  o.unit = unit;
  o.codes = std::move(codes);
  o.bootstrap = 0;
  return o;
}

}  // namespace

TEST_CASE("agreement: char unit, A 0-10 and B 5-15 in 20 characters (WORKING.md, case 1)") {
  mini m;
  m.doc("D", 20);
  m.code("D", 0, 10, "a.x", "A");
  m.code("D", 5, 15, "a.x", "B");
  const auto r = m.run(agreement_unit::character);
  REQUIRE(r.by_code.size() == 1);
  CHECK(r.coders == std::vector<std::string>{"A", "B"});
  const auto& st = r.by_code[0].stats;
  CHECK(st.units == 20);
  CHECK(*st.percent.value == doctest::Approx(0.5));
  CHECK(*st.cohen_kappa.value == doctest::Approx(0.0));
  CHECK(*st.fleiss_kappa.value == doctest::Approx(0.0));
  CHECK(*st.brennan_prediger.value == doctest::Approx(0.0));
  CHECK(*st.krippendorff_alpha.value == doctest::Approx(0.025));
  REQUIRE(r.by_code[0].coded_only);
  const auto& co = *r.by_code[0].coded_only;
  CHECK(co.units == 15);
  CHECK(*co.percent.value == doctest::Approx(1.0 / 3));
  CHECK(*co.cohen_kappa.value == doctest::Approx(-0.5));
  CHECK(*co.krippendorff_alpha.value == doctest::Approx(-0.45));
}

TEST_CASE("agreement: char unit, two passages each in 40 characters (WORKING.md, case 2)") {
  mini m;
  m.doc("D", 40);
  m.code("D", 0, 10, "a.x", "A");
  m.code("D", 20, 30, "a.x", "A");
  m.code("D", 0, 12, "a.x", "B");
  m.code("D", 20, 28, "a.x", "B");
  const auto r = m.run(agreement_unit::character);
  const auto& st = r.by_code[0].stats;
  CHECK(*st.percent.value == doctest::Approx(0.9));
  CHECK(*st.cohen_kappa.value == doctest::Approx(0.8));
  CHECK(*st.fleiss_kappa.value == doctest::Approx(0.8));
  CHECK(*st.brennan_prediger.value == doctest::Approx(0.8));
  CHECK(*st.krippendorff_alpha.value == doctest::Approx(0.8025));
  const auto& co = *r.by_code[0].coded_only;
  CHECK(co.units == 22);
  CHECK(*co.percent.value == doctest::Approx(18.0 / 22));
  CHECK(*co.cohen_kappa.value == doctest::Approx(-0.1));
  CHECK(*co.krippendorff_alpha.value == doctest::Approx(-0.075));
  // One document, one code: by_doc and pooled are the same figures.
  REQUIRE(r.by_doc.size() == 1);
  CHECK(r.by_doc[0].doc == "D");
  CHECK(*r.by_doc[0].stats.cohen_kappa.value == doctest::Approx(0.8));
  CHECK(*r.pooled.stats.cohen_kappa.value == doctest::Approx(0.8));

  const auto found = coding::find_disagreements(m.s, options(agreement_unit::character, {"a.x"}));
  REQUIRE(found.size() == 2);
  CHECK(found[0].where == coding::span{10, 12});
  CHECK(found[0].code == "a.x");
  CHECK(found[0].reference == "D l.1");
  CHECK(found[0].text == "xx");
  REQUIRE(found[0].applied.size() == 2);
  CHECK(found[0].applied[0].first == "A");
  CHECK(found[0].applied[0].second.empty());
  CHECK(found[0].applied[1] == std::pair<std::string, std::vector<std::string>>{"B", {"a.x"}});
  CHECK(found[1].where == coding::span{28, 30});
  CHECK(found[1].applied[0].second == std::vector<std::string>{"a.x"});
  CHECK(found[1].applied[1].second.empty());
}

TEST_CASE("agreement: char unit, three coders (WORKING.md, case 5)") {
  mini m;
  m.doc("D", 20);
  m.code("D", 0, 10, "a.x", "A");
  m.code("D", 0, 10, "a.x", "B");
  m.code("D", 5, 10, "a.x", "C");
  const auto r = m.run(agreement_unit::character);
  CHECK(r.coders == std::vector<std::string>{"A", "B", "C"});
  const auto& st = r.by_code[0].stats;
  CHECK(*st.percent.value == doctest::Approx(0.75));
  CHECK_FALSE(st.cohen_kappa.value);
  CHECK(st.cohen_kappa.note == "needs exactly two coders (3 compared)");
  CHECK(*st.fleiss_kappa.value == doctest::Approx(23.0 / 35));
  CHECK(*st.brennan_prediger.value == doctest::Approx(2.0 / 3));
  CHECK(*st.krippendorff_alpha.value == doctest::Approx(1 - 590.0 / 1750));
  const auto found = coding::find_disagreements(m.s, options(agreement_unit::character, {"a.x"}));
  REQUIRE(found.size() == 1);
  CHECK(found[0].where == coding::span{0, 5});
  CHECK(found[0].applied[2].second.empty());
}

TEST_CASE("agreement: document unit, a disagreement is the whole document") {
  mini m;
  m.doc("D1", 10);
  m.doc("D2", 12);
  m.code("D1", 0, 5, "a.x", "A");
  m.code("D1", 5, 9, "a.x", "B");
  m.code("D2", 0, 5, "a.x", "A");
  const auto found = coding::find_disagreements(m.s, options(agreement_unit::document, {"a.x"}));
  REQUIRE(found.size() == 1);
  CHECK(found[0].doc == "D2");
  CHECK(found[0].where == coding::span{0, 12});
  CHECK(coding::find_disagreements(m.s, options(agreement_unit::case_, {"a.x"})).empty());
}

TEST_CASE("agreement: pooling concatenates the units of codes and documents") {
  mini m;
  m.doc("D", 20);
  m.doc("E", 20);
  m.code("D", 0, 10, "a.x", "A");
  m.code("D", 5, 15, "a.x", "B");
  m.code("E", 0, 20, "a.y", "A");
  m.code("E", 0, 20, "a.y", "B");
  const auto r = m.run(agreement_unit::character, {});
  // Level code: rows a.x, a.y, b.z.
  REQUIRE(r.by_code.size() == 3);
  CHECK(r.by_code[0].code == "a.x");
  CHECK(r.by_code[0].stats.units == 40);
  CHECK(*r.by_code[0].stats.percent.value == doctest::Approx(30.0 / 40));
  CHECK(*r.by_code[1].stats.percent.value == doctest::Approx(1.0));
  CHECK_FALSE(r.by_code[2].stats.cohen_kappa.value);  // nobody coded b.z: no variation
  REQUIRE(r.by_doc.size() == 2);
  CHECK(r.by_doc[0].stats.units == 60);
  CHECK(*r.by_doc[0].stats.percent.value == doctest::Approx(50.0 / 60));
  CHECK(r.pooled.stats.units == 120);
  CHECK(*r.pooled.stats.percent.value == doctest::Approx(110.0 / 120));
}

TEST_CASE("agreement: a code's row at level code counts its sub-codes as the matrix does") {
  // The mini framework's codes have no sub-codes; a coding of the theme counts in no row.
  mini m;
  m.doc("D", 10);
  m.code("D", 0, 10, "a", "A");
  m.code("D", 0, 10, "a.x", "B");
  const auto r = m.run(agreement_unit::document, {"a"});
  REQUIRE(r.by_code.size() == 2);  // a.x and a.y
  CHECK(r.by_code[0].stats.percent.value == 0.0);
}

TEST_CASE("agreement: segment unit, another coder's passage covering 91 % agrees, 89 % not") {
  for (const auto& example :
       std::vector<std::pair<std::size_t, bool>>{{9, true}, {10, true}, {11, false}}) {
    const std::size_t start = example.first;
    const bool agree = example.second;
    CAPTURE(start);
    mini m;
    m.doc("D", 120);
    m.code("D", 0, 100, "a.x", "A");
    m.code("D", start, 100, "a.x", "B");
    const auto r = m.run(agreement_unit::segment);
    const auto& st = r.by_code[0].stats;
    CHECK(st.units == 2);  // A's passage and B's
    // B's passage lies inside A's, so it always agrees; A's agrees when B covers 90 %.
    CHECK(*st.percent.value == doctest::Approx(agree ? 1.0 : 0.5));
    CHECK_FALSE(r.by_code[0].coded_only);
    const auto found = coding::find_disagreements(m.s, options(agreement_unit::segment, {"a.x"}));
    CHECK(found.size() == (agree ? 0u : 1u));
  }
}

TEST_CASE("agreement: the segment overlap threshold is an option") {
  mini m;
  m.doc("D", 120);
  m.code("D", 0, 100, "a.x", "A");
  m.code("D", 40, 100, "a.x", "B");
  coding::agreement_options o;
  o.unit = agreement_unit::segment;
  o.codes = {"a.x"};
  o.overlap = 50;
  o.bootstrap = 0;
  CHECK(*coding::compute_agreement(m.s, o).by_code[0].stats.percent.value == doctest::Approx(1.0));
  o.overlap = 70;
  CHECK(*coding::compute_agreement(m.s, o).by_code[0].stats.percent.value == doctest::Approx(0.5));
}

TEST_CASE("agreement: turn unit, a turn carries the code when a coding overlaps it") {
  mini m;
  auto& d = m.doc("D", 30);
  d.turns = {{"R", std::nullopt, 0, 10, std::nullopt},
             {"S", std::nullopt, 11, 20, std::nullopt},
             {"R", std::nullopt, 21, 30, std::nullopt}};
  m.code("D", 2, 5, "a.x", "A");
  m.code("D", 12, 25, "a.x", "A");
  m.code("D", 8, 14, "a.x", "B");
  const auto r = m.run(agreement_unit::turn);
  const auto& st = r.by_code[0].stats;
  CHECK(st.units == 3);
  CHECK(*st.percent.value == doctest::Approx(2.0 / 3));
  const auto found = coding::find_disagreements(m.s, options(agreement_unit::turn, {"a.x"}));
  REQUIRE(found.size() == 1);
  CHECK(found[0].where == coding::span{21, 30});
}

TEST_CASE("agreement: document and case units, presence of the code (WORKING.md, case 3)") {
  mini m;
  m.doc("D1", 10, "K1");
  m.doc("D2", 10, "K2");
  m.doc("D3", 10, "K3");
  m.s.cases = {{"K1", "K1", {{"group", "client"}}, ""},
               {"K2", "K2", {{"group", "client"}}, ""},
               {"K3", "K3", {{"group", "staff"}}, ""}};
  m.code("D1", 0, 5, "a.x", "A");
  m.code("D1", 5, 9, "a.x", "B");
  m.code("D2", 0, 5, "a.x", "A");
  m.code("D3", 0, 5, "a.y", "B");  // another code: D3 is "not coded" a.x for both
  const auto doc = m.run(agreement_unit::document);
  CHECK(doc.by_code[0].stats.units == 3);
  CHECK(*doc.by_code[0].stats.percent.value == doctest::Approx(2.0 / 3));
  CHECK(*doc.by_code[0].stats.cohen_kappa.value == doctest::Approx(0.4));
  const auto kase = m.run(agreement_unit::case_);
  CHECK(*kase.by_code[0].stats.cohen_kappa.value == doctest::Approx(0.4));
  CHECK(kase.by_doc.empty());

  coding::agreement_options o;
  o.unit = agreement_unit::case_;
  o.codes = {"a.x"};
  o.where = {{"group", "client"}};
  o.bootstrap = 0;
  const auto clients = coding::compute_agreement(m.s, o);
  CHECK(clients.by_code[0].stats.units == 2);
  CHECK(*clients.by_code[0].stats.percent.value == doctest::Approx(0.5));
  o.unit = agreement_unit::document;
  CHECK(coding::compute_agreement(m.s, o).by_doc.size() == 2);
  o.docs = {"D3"};
  o.where.clear();
  o.coders = {"A", "B"};  // only B coded in D3
  const auto one = coding::compute_agreement(m.s, o);
  REQUIRE(one.by_doc.size() == 1);
  CHECK(one.by_doc[0].doc == "D3");
}

TEST_CASE("agreement: level theme, sub-codes are the categories (WORKING.md, case 4)") {
  mini m;
  m.doc("D", 20);
  m.code("D", 0, 10, "a.x", "A");
  m.code("D", 10, 20, "a.y", "A");
  m.code("D", 0, 15, "a.x", "B");
  m.code("D", 15, 20, "a.y", "B");
  const auto r = m.run(agreement_unit::character, {"a"}, matrix_level::theme);
  REQUIRE(r.by_code.size() == 1);
  CHECK(r.by_code[0].code == "a");
  const auto& st = r.by_code[0].stats;
  CHECK(st.units == 20);
  CHECK(*st.percent.value == doctest::Approx(0.75));
  // Table x/x 10, y/x 5, y/y 5: po 0.75, pe 0.5 * 0.75 + 0.5 * 0.25 = 0.5.
  CHECK(*st.cohen_kappa.value == doctest::Approx(0.5));
  CHECK(r.breaks.empty());
}

TEST_CASE("agreement: level theme, two sub-codes on one passage break exclusivity") {
  mini m;
  m.doc("D", 20);
  m.code("D", 0, 10, "a.x", "A");
  m.code("D", 5, 20, "a.y", "A");
  m.code("D", 0, 20, "a.x", "B");
  const auto r = m.run(agreement_unit::character, {"a"}, matrix_level::theme);
  REQUIRE(r.breaks.size() == 1);
  CHECK(r.breaks[0].doc == "D");
  CHECK(r.breaks[0].where == coding::span{5, 10});
  CHECK(r.breaks[0].coder == "A");
  CHECK(r.breaks[0].theme == "a");
  CHECK(r.breaks[0].codes == std::vector<std::string>{"a.x", "a.y"});
  // [0,5) x/x, [5,10) missing for A, [10,20) y/x: 5 of 15 pairable characters agree.
  CHECK(r.by_code[0].stats.units == 15);
  CHECK(*r.by_code[0].stats.percent.value == doctest::Approx(1.0 / 3));
}

TEST_CASE("agreement: level theme, both coders' breaks on one stretch are one break each") {
  mini m;
  m.doc("D", 20);
  m.code("D", 0, 10, "a.x", "A");
  m.code("D", 0, 20, "a.y", "A");
  m.code("D", 0, 12, "a.x", "B");
  m.code("D", 0, 20, "a.y", "B");
  const auto r = m.run(agreement_unit::character, {"a"}, matrix_level::theme);
  // Runs 0-10 (both break) and 10-12 (B breaks): A's break 0-10, B's 0-12.
  REQUIRE(r.breaks.size() == 2);
  CHECK(r.breaks[0].coder == "A");
  CHECK(r.breaks[0].where == coding::span{0, 10});
  CHECK(r.breaks[1].coder == "B");
  CHECK(r.breaks[1].where == coding::span{0, 12});
}

TEST_CASE("agreement: segment unit at level theme, the other coder's sub-code is the value") {
  mini m;
  m.doc("D", 20);
  m.code("D", 0, 10, "a.x", "A");
  m.code("D", 0, 10, "a.y", "B");
  m.code("D", 12, 20, "a.y", "A");
  m.code("D", 12, 20, "a.y", "B");
  const auto r = m.run(agreement_unit::segment, {"a"}, matrix_level::theme);
  // Four units: A's 0-10 (x/y), B's 0-10 (x/y), A's 12-20 (y/y), B's 12-20 (y/y).
  CHECK(r.by_code[0].stats.units == 4);
  CHECK(*r.by_code[0].stats.percent.value == doctest::Approx(0.5));
}

TEST_CASE("agreement: coders are checked, with a did-you-mean") {
  mini m;
  m.doc("D", 20);
  m.code("D", 0, 10, "a.x", "anna");
  m.code("D", 5, 15, "a.x", "ben");
  coding::agreement_options o;
  o.coders = {"anna", "benn"};
  CHECK_THROWS_WITH_AS(coding::compute_agreement(m.s, o),
                       doctest::Contains("unknown coder 'benn'; did you mean 'ben'?"),
                       coding::input_error);
  o.coders = {"anna"};
  CHECK_THROWS_WITH_AS(coding::compute_agreement(m.s, o), doctest::Contains("at least two coders"),
                       coding::input_error);
  o.coders.clear();
  o.codes = {"a.z"};
  CHECK_THROWS_WITH_AS(coding::compute_agreement(m.s, o), doctest::Contains("unknown code 'a.z'"),
                       coding::input_error);
  o.codes.clear();
  o.docs = {"d"};
  CHECK_THROWS_WITH_AS(coding::compute_agreement(m.s, o), doctest::Contains("unknown document 'd'"),
                       coding::input_error);
  o.docs.clear();
  o.where = {{"grup", "x"}};
  CHECK_THROWS_AS(coding::compute_agreement(m.s, o), coding::input_error);
}

TEST_CASE("agreement: a study with a single coder is an input error") {
  mini m;
  m.doc("D", 20);
  m.code("D", 0, 10, "a.x", "anna");
  CHECK_THROWS_WITH_AS(coding::compute_agreement(m.s, {}), doctest::Contains("only 'anna'"),
                       coding::input_error);
}

TEST_CASE("agreement: unit names parse, with suggestions for typos") {
  CHECK(coding::parse_agreement_unit("char") == agreement_unit::character);
  CHECK(coding::parse_agreement_unit("case") == agreement_unit::case_);
  for (const auto u : {agreement_unit::character, agreement_unit::segment, agreement_unit::turn,
                       agreement_unit::document, agreement_unit::case_})
    CHECK(coding::parse_agreement_unit(coding::to_string(u)) == u);
  CHECK_THROWS_WITH_AS(coding::parse_agreement_unit("segmnet"),
                       doctest::Contains("did you mean 'segment'?"), coding::input_error);
}
