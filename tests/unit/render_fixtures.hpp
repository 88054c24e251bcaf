#pragma once
// Small hand-built inputs for the page and sheet writers' tests (markdown_test.cpp,
// html_test.cpp): the mini fixture's theme matrix (tests/fixtures/mini/WORKING.md), chart
// entries and passages, and the frame of a report.

#include <coding/render.hpp>
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

}  // namespace test
