#pragma once
// Small hand-built inputs for the page and sheet writers' tests (markdown_test.cpp,
// html_test.cpp, xlsx_test.cpp): the mini fixture's theme matrix (tests/fixtures/mini/
// WORKING.md), chart entries and passages, the frame of a report, and an agreement result
// and its disagreements (tests/fixtures/agreement/WORKING.md).

#include <coding/render.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace test {

// Two themes by two groups, as the mini fixture gives them for each measure.
inline coding::matrix mini_matrix(coding::measure what) {
  coding::matrix m;
  m.by = "group";
  m.what = what;
  m.level = coding::matrix_level::theme;
  m.columns = {{"staff", "Staff", 3}, {"client", "Clients", 2}};
  m.n = 5;
  coding::matrix_row a{"a", "Theme A", 0, {}, 0};
  coding::matrix_row b{"b", "Theme B", 0, {}, 0};
  switch (what) {
    case coding::measure::cases:
      a.cells = {2, 2}, a.total = 4;
      b.cells = {1, 0}, b.total = 1;
      m.total.cells = {3, 2}, m.total.total = 5;
      break;
    case coding::measure::segments:
      a.cells = {3, 3}, a.total = 5;
      b.cells = {1, 1}, b.total = 2;
      m.total.cells = {4, 4}, m.total.total = 7;
      break;
    case coding::measure::coverage:
      a.cells = {20.0 / 24 * 100, 31.0 / 42 * 100}, a.total = 51.0 / 66 * 100;
      b.cells = {0, 16.0 / 42 * 100}, b.total = 16.0 / 66 * 100;
      m.total.cells = {20.0 / 24 * 100, 33.0 / 42 * 100}, m.total.total = 53.0 / 66 * 100;
      break;
  }
  m.rows = {a, b};
  return m;
}

inline coding::chart_passage passage(std::string ref, std::string quote = "") {
  coding::chart_passage p;
  p.doc = ref.substr(0, ref.find(' '));
  p.reference = std::move(ref);
  p.quote = std::move(quote);
  return p;
}

inline coding::chart_entry entry(std::string case_id, std::string summary, bool draft,
                                 std::vector<coding::chart_passage> passages) {
  coding::chart_entry e;
  e.case_id = std::move(case_id);
  e.summary = std::move(summary);
  e.draft = draft;
  e.passages = std::move(passages);
  return e;
}

// A report of the mini study without themes: overview, a codebook of theme a (with its
// guidance) and its code a.x, and the theme matrix of cases.
inline coding::report mini_report_frame() {
  coding::report r;
  r.title = "Mini study";
  r.generated = "2026-11-30";
  r.documents = 3;
  r.codings = 8;
  r.groups = {{"Staff", 3}, {"Clients", 2}};
  r.cases = 5;
  r.coders = {{"x", 7}, {"y", 1}};
  coding::code a;
  a.id = a.local_id = "a";
  a.label = "Theme A";
  a.description = "All about A.";
  a.include = "Talk of A.";
  a.exclude = "Talk of B.";
  a.example = "\"A, mostly.\"";
  coding::code ax;
  ax.id = "a.x";
  ax.local_id = "x";
  ax.label = "Code A.x";
  ax.parent = 0;
  ax.depth = 1;
  ax.include = "X only.";
  r.fw.codes = {a, ax};
  r.fw.groups = {{"staff", "Staff"}, {"client", "Clients"}};
  r.theme_matrix = mini_matrix(coding::measure::cases);
  return r;
}

// Agreement at the character unit of two coders whose names carry markup, in one document
// "D" of 20 characters (tests/fixtures/agreement/WORKING.md, case 1): code a.x, coded by
// the first coder on 0-10 and by the second on 5-15, and code b.z, coded by neither. The
// figures are worked out by hand there and below; the interval is any given pair.
//   a.x whole text: 20 units, percent 0.5, Cohen 0, Fleiss 0, B-P 0, alpha 0.025.
//   a.x coded only (0-15): 15 units, percent 1/3, Cohen and Fleiss -0.5 (pooled
//     p(1) = 20/30 too), B-P (1/3 - 1/2) / (1/2) = -1/3, alpha -0.45.
//   b.z whole text: 20 units all 0/0: percent 1, B-P 1, no variation for the others;
//     coded only: no unit.
//   D and all (a.x and b.z, 40 units): 1/1 5, 1/0 5, 0/1 5, 0/0 25; percent 0.75,
//     pA(1) = pB(1) = 0.25, pe = 0.625, Cohen = Fleiss = 0.125 / 0.375 = 1/3, B-P 0.5;
//     alpha: n = 80, n_1 = 20, n_0 = 60, D = 60: 1 - 79 * 20 / (6400 - 400 - 3600) = 0.341667.
//     Coded only: the a.x figures (b.z adds no unit).
inline coding::agreement_result case1_agreement() {
  const auto fig = [](double v) { return coding::statistic{v, ""}; };
  const auto none = [](const char* note) { return coding::statistic{std::nullopt, note}; };
  const char* flat = "no variation: every unit has the same value";
  const char* empty = "no unit was coded by two coders";
  const coding::agreement_stats ax{
      20, fig(0.5), fig(0.0), fig(0.0), fig(0.0), fig(0.025), std::pair{-0.2, 0.3}};
  const coding::agreement_stats ax_coded{
      15, fig(1.0 / 3), fig(-0.5), fig(-0.5), fig(-1.0 / 3), fig(-0.45), std::nullopt};
  const coding::agreement_stats bz{20,       fig(1.0),   none(flat),  none(flat),
                                   fig(1.0), none(flat), std::nullopt};
  const coding::agreement_stats bz_coded{0,           none(empty), none(empty), none(empty),
                                         none(empty), none(empty), std::nullopt};
  const coding::agreement_stats all{40,
                                    fig(0.75),
                                    fig(1.0 / 3),
                                    fig(1.0 / 3),
                                    fig(0.5),
                                    fig(1 - 1580.0 / 2400),
                                    std::pair{0.1, 0.6}};
  coding::agreement_result r;
  r.coders = {"A<b>", "B&C"};
  r.unit = coding::agreement_unit::character;
  r.by_code = {{"a.x", "<script>alert(1)</script> & co", "", ax, ax_coded},
               {"b.z", "Code B.z", "", bz, bz_coded}};
  r.by_doc = {{"", "", "D", all, ax_coded}};
  r.pooled = {"", "", "", all, ax_coded};
  return r;
}

// The two passages where case 2 of WORKING.md's coders differ (A codes 0-10 and 20-30, B
// 0-12 and 20-28, in 40 characters): 10-12, coded by B only, and 28-30, by A only; with
// markup in the text and the coder names.
inline std::vector<coding::disagreement> case2_disagreements() {
  return {
      {"D", {10, 12}, "D l.1", "<script>x</script> & y", "a.x", {{"A<b>", {}}, {"B&C", {"a.x"}}}},
      {"D", {28, 30}, "D l.2", "two\nlines", "a.x", {{"A<b>", {"a.x"}}, {"B&C", {}}}}};
}

}  // namespace test
