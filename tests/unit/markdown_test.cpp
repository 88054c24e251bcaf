// Tests for libcoding/src/markdown.cpp: the Markdown outputs of matrices, charts,
// co-occurrence tables and reports, on small structs built by hand. The matrix values are
// those of the mini fixture (docs/measures.md, tests/fixtures/mini/WORKING.md).

#include <doctest/doctest.h>

#include <coding/render.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "render_fixtures.hpp"

namespace {

using coding::measure;
using test::entry;
using test::mini_matrix;
using test::passage;

std::string matrix_md(const coding::matrix& m) {
  std::ostringstream out;
  coding::write_matrix_markdown(out, m);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// A chart of theme "choice" with two sub-themes and one case in each of two groups.
coding::chart case_chart() {
  coding::chart c;
  c.theme = "choice";
  c.theme_label = "Customer choice";
  c.attributes = {"district"};
  c.columns = {{"choice.informed", "Informed choice", ""}, {"choice.basis", "Basis", ""}};
  coding::chart_row j01{"J01", "Adviser, North", {"North"}, {}};
  j01.cells.resize(2);
  j01.cells[0].entries = {
      entry("J01", "Leaflets only", true,
            {passage("J01 l.12-18", "We hand them a leaflet."), passage("J01 l.30")})};
  coding::chart_row c01{"C01", "C01", {""}, {}};
  c01.cells.resize(2);
  c01.cells[1].entries = {entry("C01", "", false, {passage("C01 l.4")})};
  c.groups = {{"jcp", "JCP staff", 1, {j01}}, {"customer", "Customers", 1, {c01}}};
  return c;
}

}  // namespace

TEST_CASE("a cases matrix is a pipe table of k/n (p%) cells with a Total column and row") {
  // 2 of 3 is 67%, 1 of 3 33%, 4 of 5 80%, 1 of 5 20%.
  CHECK(matrix_md(mini_matrix(measure::cases)) ==
        "**Themes by group (cases with at least one coding), n = 5 cases**\n"
        "\n"
        "| Theme | Staff (n=3) | Clients (n=2) | Total (n=5) |\n"
        "| :-- | --: | --: | --: |\n"
        "| Theme A | 2/3 (67%) | 2/2 (100%) | 4/5 (80%) |\n"
        "| Theme B | 1/3 (33%) | 0/2 (0%) | 1/5 (20%) |\n"
        "| **Total** | 3/3 (100%) | 2/2 (100%) | 5/5 (100%) |\n");
}

TEST_CASE(
    "segments are whole numbers and coverage has one decimal, as the table format prints them") {
  const auto segments = matrix_md(mini_matrix(measure::segments));
  CHECK(segments.find("**Themes by group (coded segments), n = 5 cases**") == 0);
  CHECK(segments.find("| Theme A | 3 | 3 | 5 |\n") != std::string::npos);
  CHECK(segments.find("| **Total** | 4 | 4 | 7 |\n") != std::string::npos);

  // 20/24 = 83.33..., 31/42 = 73.81..., 51/66 = 77.27...; 16/42 = 38.10, 16/66 = 24.24;
  // 33/42 = 78.57, 53/66 = 80.30: the numbers of docs/measures.md.
  const auto coverage = matrix_md(mini_matrix(measure::coverage));
  CHECK(coverage.find("(% of spoken text coded)") != std::string::npos);
  CHECK(coverage.find("| Theme A | 83.3 | 73.8 | 77.3 |\n") != std::string::npos);
  CHECK(coverage.find("| Theme B | 0.0 | 38.1 | 24.2 |\n") != std::string::npos);
  CHECK(coverage.find("| **Total** | 83.3 | 78.6 | 80.3 |\n") != std::string::npos);
}

TEST_CASE("an empty column shows k/0 and code rows are indented by depth") {
  auto m = mini_matrix(measure::cases);
  m.level = coding::matrix_level::code;
  m.columns[1].n = 0;
  m.rows[1].cells[1] = 0;
  m.rows[1].depth = 2;
  m.rows[1].label = "Code B.z.w";
  const auto text = matrix_md(m);
  CHECK(text.find("**Codes by group") == 0);
  CHECK(text.find("| Code | Staff (n=3) | Clients (n=0) |") != std::string::npos);
  CHECK(text.find("| &emsp;Code B.z.w | 1/3 (33%) | 0/0 | 1/5 (20%) |\n") != std::string::npos);
}

TEST_CASE("pipes, markup and line breaks in labels are escaped so every row stays one table row") {
  auto m = mini_matrix(measure::segments);
  m.rows[0].label = "Yes | no <script>alert(1)</script>\nsecond *line*";
  m.columns[0].label = "Staff_a|b";
  const auto text = matrix_md(m);
  CHECK(text.find(
            "| Yes \\| no \\<script>alert(1)\\</script><br>second \\*line\\* | 3 | 3 | 5 |\n") !=
        std::string::npos);
  CHECK(text.find("| Theme | Staff\\_a\\|b (n=3) |") != std::string::npos);
  // No tag can open: every `<` but those of the writer's own <br> is escaped.
  for (auto at = text.find('<'); at != std::string::npos; at = text.find('<', at + 1))
    CHECK((text.compare(at, 4, "<br>") == 0 || (at > 0 && text[at - 1] == '\\')));
  const auto lines = lines_of(text);
  REQUIRE(lines.size() == 7);
  for (std::size_t i = 2; i < lines.size(); ++i) {
    CHECK(lines[i].front() == '|');
    CHECK(lines[i].back() == '|');
  }
}

TEST_CASE(
    "a chart has a heading, a bold label row per group and case rows with summary, references and "
    "quotes") {
  std::ostringstream out;
  coding::write_chart_markdown(out, {case_chart()});
  const auto text = out.str();
  CHECK(text.find("## Customer choice\n\n") == 0);
  CHECK(text.find(
            "| Case | district | Informed choice | Basis |\n"
            "| :-- | :-- | :-- | :-- |\n"
            "| **JCP staff** (n=1) |  |  |  |\n"
            "| J01<br>Adviser, North | North | Leaflets only *(draft)*<br>`J01 l.12-18`, `J01 l.30`"
            "<br>“We hand them a leaflet.” (`J01 l.12-18`) |  |\n"
            "| **Customers** (n=1) |  |  |  |\n"
            "| C01 |  |  | `C01 l.4` |\n") != std::string::npos);
}

TEST_CASE("a chart with group rows prefixes each member's summary with its case id") {
  auto c = case_chart();
  c.group_rows = true;
  c.attributes.clear();
  coding::chart_row jcp{"jcp", "JCP staff", {}, {}};
  jcp.cells.resize(2);
  jcp.cells[0].entries = {entry("J01", "Leaflets only", false, {passage("J01 l.12-18")}),
                          entry("J02", "Allocated\nby the system", true, {})};
  jcp.cells[1].entries = {entry("J03", "", false, {passage("J03 l.7")})};
  c.groups = {{"jcp", "JCP staff", 3, {jcp}}};
  std::ostringstream out;
  coding::write_chart_markdown(out, {c});
  const auto text = out.str();
  CHECK(text.find("| Group | Informed choice | Basis |\n") != std::string::npos);
  CHECK(text.find("| **JCP staff** (n=3) | **J01:** Leaflets only<br>`J01 l.12-18`<br><br>"
                  "**J02:** Allocated<br>by the system *(draft)* | **J03:** `J03 l.7` |\n") !=
        std::string::npos);
}

TEST_CASE("co-occurrence tables give the counts in the cells of both codes") {
  coding::cooccurrence c;
  c.level = coding::matrix_level::code;
  c.by = "group";
  c.codes = {{"a.x", "Code A.x", 1, {}, 0}, {"b.z", "Code B.z", 1, {}, 0}};
  c.tables = {{"staff", "Staff", 3, {{4, 2}, {2, 3}}}, {"client", "Clients", 2, {{1, 0}, {0, 5}}}};
  std::ostringstream out;
  coding::write_cooccurrence_markdown(out, c);
  const auto text = out.str();
  CHECK(text.find("**Passages where two codes both apply: group = Staff, n = 3 cases**\n\n"
                  "| Code | `a.x` | `b.z` |\n"
                  "| :-- | --: | --: |\n"
                  "| `a.x` Code A.x | 4 | 2 |\n"
                  "| `b.z` Code B.z | 2 | 3 |\n") == 0);
  CHECK(text.find("group = Clients, n = 2 cases") != std::string::npos);
  CHECK(text.find("| `b.z` Code B.z | 0 | 5 |\n") != std::string::npos);
}

TEST_CASE(
    "a report has the overview, the codebook with guidance, the matrix and each theme's chart and "
    "quotes") {
  auto r = test::mini_report_frame();
  coding::report_theme t;
  t.summaries.theme = "a";
  t.summaries.theme_label = "Theme A";
  t.summaries.columns = {{"a.x", "Code A.x", ""}};
  coding::chart_row k2{
      "K2", "Ann", {}, {coding::chart_cell{{entry("K2", "Helped.", false, {passage("G1 l.3")})}}}};
  t.summaries.groups = {{"staff", "Staff", 1, {k2}}};
  coding::quote q1;
  q1.case_id = "K2";
  q1.group = "staff";
  q1.reference = "G1 l.3";
  q1.text = "It helped.";
  coding::quote q2 = q1;
  q2.case_id = "K1";
  q2.group = "client";
  q2.reference = "I1 l.2";
  q2.text = "Because it helped.";
  t.quotes = {q1, q2};
  r.themes = {t};

  std::ostringstream out;
  coding::write_report_markdown(out, r);
  const auto text = out.str();
  CHECK(text.find("# Mini study\n") == 0);
  CHECK(text.find("Report generated on 2026-11-30.") != std::string::npos);
  CHECK(text.find("- **Documents:** 3\n"
                  "- **Cases:** 5 (Staff 3, Clients 2)\n"
                  "- **Codings:** 8\n"
                  "- **Coders:** x (7 codings), y (1 coding)\n") != std::string::npos);
  CHECK(text.find("### `a` Theme A\n\nAll about A.\n\n- **Include:** Talk of A.\n- **Exclude:** "
                  "Talk of B.\n"
                  "- **Example:** \"A, mostly.\"\n") != std::string::npos);
  CHECK(text.find("#### `a.x` Code A.x\n\n- **Include:** X only.\n") != std::string::npos);
  CHECK(text.find("| Theme A | 2/3 (67%) | 2/2 (100%) | 4/5 (80%) |\n") != std::string::npos);
  CHECK(text.find("### Theme A\n") != std::string::npos);
  CHECK(text.find("| K2<br>Ann | Helped.<br>`G1 l.3` |\n") != std::string::npos);
  const auto quotes = text.find("#### Illustrative quotes");
  REQUIRE(quotes != std::string::npos);
  const auto staff = text.find("**Staff**\n\n> It helped.<br>\n> — K2, `G1 l.3`\n", quotes);
  const auto clients =
      text.find("**Clients**\n\n> Because it helped.<br>\n> — K1, `I1 l.2`\n", quotes);
  CHECK(staff != std::string::npos);
  CHECK(clients != std::string::npos);
  CHECK(staff < clients);
  // Sections in order: overview, codebook, matrix, themes.
  CHECK(text.find("## Overview") < text.find("## Codebook"));
  CHECK(text.find("## Codebook") < text.find("## Themes by group"));
  CHECK(text.find("## Themes by group") < text.find("## Themes\n"));
}
