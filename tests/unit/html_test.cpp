// Tests for libcoding/src/html.cpp: the self-contained HTML pages of matrices, charts,
// co-occurrence tables and reports, on small structs built by hand. The matrix values are
// those of the mini fixture (docs/measures.md, tests/fixtures/mini/WORKING.md).

#include <doctest/doctest.h>

#include <cctype>
#include <coding/render.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "render_fixtures.hpp"

namespace {

using coding::measure;
using test::entry;
using test::mini_matrix;
using test::passage;

coding::quote matrix_quote(std::string row, std::string column, std::string case_id,
                           std::string ref, std::string text) {
  coding::quote q;
  q.doc = ref.substr(0, ref.find(' '));
  q.case_id = std::move(case_id);
  q.group = column;
  q.code = row + ".x";
  q.code_path = "Theme > Code";
  q.coder = "x";
  q.where = {12, 30};
  q.reference = std::move(ref);
  q.text = std::move(text);
  q.row = std::move(row);
  q.column = std::move(column);
  return q;
}

std::string matrix_html(const coding::matrix& m, const std::vector<coding::quote>& quotes = {}) {
  std::ostringstream out;
  coding::write_matrix_html(out, m, quotes, "Mini study");
  return out.str();
}

// The whole <td ...>...</td> of the matrix cell with these data-r and data-c values.
std::string cell(const std::string& html, const std::string& row, const std::string& column) {
  const auto at = html.find("data-r=\"" + row + "\" data-c=\"" + column + "\"");
  if (at == std::string::npos) return "";
  const auto begin = html.rfind("<td", at);
  const auto end = html.find("</td>", at);
  return html.substr(begin, end + 5 - begin);
}

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

// A strict little JSON checker: true when `text` is one JSON value and nothing else; it
// collects every string it reads (keys and values, unescaped only for \" and \\).
class json_check {
 public:
  explicit json_check(std::string_view text) : s_(text) {}
  bool valid() {
    space();
    if (!value()) return false;
    space();
    return i_ == s_.size();
  }
  std::vector<std::string> strings;

 private:
  void space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  bool value() {
    space();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') return string();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return number();
    for (const std::string_view word : {"true", "false", "null"})
      if (s_.substr(i_, word.size()) == word) return i_ += word.size(), true;
    return false;
  }
  bool object() {
    ++i_;
    if (eat('}')) return true;
    do {
      space();
      if (!string() || !eat(':') || !value()) return false;
    } while (eat(','));
    return eat('}');
  }
  bool array() {
    ++i_;
    if (eat(']')) return true;
    do {
      if (!value()) return false;
    } while (eat(','));
    return eat(']');
  }
  bool string() {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    std::string out;
    for (++i_; i_ < s_.size(); ++i_) {
      const char c = s_[i_];
      if (c == '"') {
        ++i_;
        strings.push_back(out);
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++i_ >= s_.size()) return false;
      const char e = s_[i_];
      if (e == 'u') {
        for (int k = 0; k < 4; ++k)
          if (++i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
        out += "\\u" + std::string(s_.substr(i_ - 3, 4));
      } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
        out += e == 'n' ? '\n' : e;
      } else {
        return false;
      }
    }
    return false;
  }
  bool number() {
    const auto start = i_;
    if (s_[i_] == '-') ++i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' ||
                              s_[i_] == 'e' || s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
      ++i_;
    return i_ > start;
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

// The text of the page's <script type="application/json"> element.
std::string quotes_json(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"qcode-quotes\">";
  const auto begin = html.find(open);
  if (begin == std::string::npos) return "";
  const auto end = html.find("</script>", begin);
  return html.substr(begin + open.size(), end - begin - open.size());
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

coding::chart small_chart() {
  coding::chart c;
  c.theme = "choice";
  c.theme_label = "Customer choice";
  c.attributes = {"district"};
  c.columns = {{"choice.informed", "Informed choice", "Whether <customers> chose"},
               {"choice.basis", "Basis", ""}};
  coding::chart_row j01{"J01", "Adviser, North", {"North"}, {}};
  j01.cells.resize(2);
  j01.cells[0].entries = {
      entry("J01", "Leaflets only", true,
            {passage("J01 l.12-18", "We hand them a leaflet."), passage("J01 l.30")})};
  c.groups = {{"jcp", "JCP staff", 1, {j01}}};
  return c;
}

coding::cooccurrence small_cooccurrence() {
  coding::cooccurrence c;
  c.level = coding::matrix_level::code;
  c.by = "group";
  c.codes = {{"a.x", "Code A.x", 1, {}, 0}, {"b.z", "Code B.z", 1, {}, 0}};
  c.tables = {{"staff", "Staff", 3, {{4, 2}, {2, 3}}}, {"client", "Clients", 2, {{1, 1}, {1, 5}}}};
  return c;
}

coding::report small_report() {
  auto r = test::mini_report_frame();
  r.fw.codes[0].color = "#4e79a7";
  r.fw.codes[1].color = "red;background:url(x)";
  coding::report_theme t;
  t.summaries = small_chart();
  t.summaries.theme = "a";
  t.summaries.theme_label = "Theme A";
  coding::quote q = matrix_quote("a", "staff", "K2", "G1 l.3", "It helped.");
  q.code_path = "Theme A > Code A.x";
  coding::quote q2 = matrix_quote("a", "client", "K1", "I1 l.2", "Because it helped.");
  t.quotes = {q, q2};
  r.themes = {t};
  return r;
}

std::vector<std::string> all_pages() {
  std::vector<std::string> pages;
  const std::vector<coding::quote> quotes = {
      matrix_quote("a", "staff", "K2", "G1 l.3", "It helped.")};
  pages.push_back(matrix_html(mini_matrix(measure::cases), quotes));
  std::ostringstream chart, cooc, report;
  coding::write_chart_html(chart, {small_chart()}, "Charts");
  coding::write_cooccurrence_html(cooc, small_cooccurrence(), quotes, "");
  coding::write_report_html(report, small_report());
  pages.push_back(chart.str());
  pages.push_back(cooc.str());
  pages.push_back(report.str());
  return pages;
}

}  // namespace

TEST_CASE("matrix cells carry the table format's numbers, by row and column") {
  const auto html = matrix_html(mini_matrix(measure::cases));
  CHECK(cell(html, "a", "staff").ends_with(">2/3 (67%)</td>"));
  CHECK(cell(html, "a", "client").ends_with(">2/2 (100%)</td>"));
  CHECK(cell(html, "b", "staff").ends_with(">1/3 (33%)</td>"));
  CHECK(cell(html, "b", "client").ends_with(">0/2 (0%)</td>"));
  // The Total column (any column) and the Total row (any code).
  CHECK(cell(html, "a", "").ends_with(">4/5 (80%)</td>"));
  CHECK(cell(html, "", "staff").ends_with(">3/3 (100%)</td>"));
  CHECK(cell(html, "", "").ends_with(">5/5 (100%)</td>"));
  CHECK(html.find("<th scope=\"col\" class=\"num\">Staff<span class=\"n\">n=3</span></th>") !=
        std::string::npos);
  CHECK(html.find("<th scope=\"row\">Theme A <span class=\"id\">a</span></th>") !=
        std::string::npos);
  CHECK(html.find("<caption><span class=\"what\">Themes by group (cases with at least one "
                  "coding)</span>, n = 5 "
                  "cases in 2 columns.") != std::string::npos);

  const auto coverage = matrix_html(mini_matrix(measure::coverage));
  CHECK(cell(coverage, "a", "staff").ends_with(">83.3</td>"));
  CHECK(cell(coverage, "b", "client").ends_with(">38.1</td>"));
  CHECK(cell(coverage, "", "").ends_with(">80.3</td>"));
}

TEST_CASE(
    "matrix cells are shaded by value over the largest, with readable text, and totals are not") {
  // Cases shade by the share of the column's cases: 2/2 is the largest (1.0), 0/2 the least.
  const auto html = matrix_html(mini_matrix(measure::cases));
  CHECK(cell(html, "a", "client").find("style=\"background:#2166ac;color:#ffffff\"") !=
        std::string::npos);
  CHECK(cell(html, "b", "client").find("style=\"background:#f7fbff;color:#1b1f24\"") !=
        std::string::npos);
  CHECK(cell(html, "a", "").find("style=") == std::string::npos);
  CHECK(cell(html, "", "staff").find("style=") == std::string::npos);
  CHECK(html.find("Shading (share of the column&#39;s cases, 0% to 100%)") != std::string::npos);

  // Coverage: 83.3 is the largest; 0.0 is unshaded white-blue.
  const auto coverage = matrix_html(mini_matrix(measure::coverage));
  CHECK(cell(coverage, "a", "staff").find("background:#2166ac") != std::string::npos);
  CHECK(cell(coverage, "b", "staff").find("background:#f7fbff") != std::string::npos);
  CHECK(coverage.find("0.0 to 83.3") != std::string::npos);
}

TEST_CASE("every page is one self-contained HTML5 file that prints cleanly") {
  for (const auto& html : all_pages()) {
    CHECK(html.starts_with(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"));
    CHECK(html.ends_with("</body>\n</html>\n"));
    for (const std::string_view external :
         {"http://", "https://", "src=", "<link", "@import", "url(", "//cdn"})
      CHECK_MESSAGE(html.find(external) == std::string::npos, external);
    CHECK(html.find("@media print") != std::string::npos);
    CHECK(html.find("<thead>") != std::string::npos);
    CHECK(count(html, "<table") == count(html, "</table>"));
    CHECK(count(html, "<tr") == count(html, "</tr>"));
  }
}

TEST_CASE("every text in a page is escaped, and the quotes cannot close their script element") {
  auto m = mini_matrix(measure::cases);
  m.rows[0].label = "<script>alert(\"x\")</script>";
  m.columns[0].label = "A&B 'quoted'";
  const auto html = matrix_html(
      m, {matrix_quote("a", "staff", "K2", "G1 l.3", "</script><script>alert(1)</script><!--")});
  CHECK(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("A&amp;B &#39;quoted&#39;") != std::string::npos);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("<!--") == std::string::npos);
  // One JSON data element and one script: no other element opens or closes.
  CHECK(count(html, "<script") == 2);
  CHECK(count(html, "</script>") == 2);
  const auto json = quotes_json(html);
  CHECK(json.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)") != std::string::npos);

  // The title, and the chart, co-occurrence and report texts.
  std::ostringstream page;
  coding::write_matrix_html(page, mini_matrix(measure::cases), {}, "Tom & <Jerry>");
  CHECK(page.str().find("<title>Tom &amp; &lt;Jerry&gt;</title>") != std::string::npos);
  auto c = small_chart();
  c.groups[0].rows[0].cells[0].entries[0].summary = "a <b>bold</b> claim";
  std::ostringstream chart;
  coding::write_chart_html(chart, {c}, "");
  CHECK(chart.str().find("a &lt;b&gt;bold&lt;/b&gt; claim") != std::string::npos);
  CHECK(chart.str().find("title=\"Whether &lt;customers&gt; chose\"") != std::string::npos);
  // A framework colour that is not #rrggbb never reaches a style attribute.
  std::ostringstream report;
  coding::write_report_html(report, small_report());
  CHECK(report.str().find("border-left-color:#4e79a7") != std::string::npos);
  CHECK(report.str().find("red;background") == std::string::npos);
}

TEST_CASE(
    "the quotes are embedded as JSON keyed by row and column, with reference, document, case and "
    "group") {
  const auto html =
      matrix_html(mini_matrix(measure::cases),
                  {matrix_quote("a", "staff", "K2", "G1 l.3", "It \"helped\",\nreally."),
                   matrix_quote("b", "client", "K1", "I1 l.2", "Zoë said so.")});
  const auto json = quotes_json(html);
  REQUIRE(!json.empty());
  json_check check(json);
  CHECK(check.valid());
  for (const std::string s :
       {"groups", "quotes", "row", "column", "doc", "case", "group", "ref", "text", "a", "staff",
        "K2", "G1", "G1 l.3", "It \"helped\",\nreally.", "b", "client", "I1 l.2", "Zoë said so."})
    CHECK_MESSAGE(has(check.strings, s), s);
  // The group labels come from the columns, for the panel.
  CHECK(json.find("\"staff\": \"Staff\"") != std::string::npos);
  // Cells know their row and column, and the panel is there to show them.
  CHECK(cell(html, "a", "staff").find("tabindex=\"0\"") != std::string::npos);
  CHECK(html.find("<aside id=\"panel\"") != std::string::npos);
}

TEST_CASE(
    "a chart has a sticky header, a label row per group and cells with summary, draft mark, "
    "references and quotes") {
  std::ostringstream out;
  coding::write_chart_html(out, {small_chart()}, "Charts");
  const auto html = out.str();
  CHECK(html.find("<h2 id=\"chart-choice\">Customer choice</h2>") != std::string::npos);
  CHECK(html.find("position:sticky") != std::string::npos);
  CHECK(html.find("<th scope=\"col\">district</th>") != std::string::npos);
  CHECK(html.find("<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"4\">JCP staff") !=
        std::string::npos);
  CHECK(html.find("<th scope=\"row\">J01<span class=\"n\">Adviser, North</span></th><td "
                  "class=\"attr\">North</td>") != std::string::npos);
  CHECK(html.find("<p class=\"summary\">Leaflets only <em class=\"draft\">(draft)</em></p>") !=
        std::string::npos);
  CHECK(html.find("<span class=\"ref\">J01 l.12-18</span> <span class=\"ref\">J01 l.30</span>") !=
        std::string::npos);
  CHECK(html.find("<blockquote>We hand them a leaflet.<cite>J01 l.12-18</cite></blockquote>") !=
        std::string::npos);
  // Only the Basis column is empty for J01.
  CHECK(count(html, "<td class=\"sub\"></td>") == 1);
}

TEST_CASE("a chart with group rows names the case of every summary") {
  auto c = small_chart();
  c.group_rows = true;
  c.attributes.clear();
  coding::chart_row jcp{"jcp", "JCP staff", {}, {}};
  jcp.cells.resize(2);
  jcp.cells[0].entries = {entry("J01", "Leaflets only", false, {passage("J01 l.12-18")}),
                          entry("J02", "Allocated", true, {})};
  jcp.cells[1].entries = {entry("J03", "", false, {passage("J03 l.7")})};
  c.groups = {{"jcp", "JCP staff", 3, {jcp}}};
  std::ostringstream out;
  coding::write_chart_html(out, {c}, "");
  const auto html = out.str();
  CHECK(html.find("<tr class=\"group\">") == std::string::npos);
  CHECK(html.find("<p class=\"summary\"><span class=\"who\">J01:</span>Leaflets only</p>") !=
        std::string::npos);
  CHECK(html.find("<p class=\"summary\"><span class=\"who\">J02:</span>Allocated <em "
                  "class=\"draft\">(draft)</em>") != std::string::npos);
  CHECK(html.find("<p class=\"refs\"><span class=\"who\">J03:</span><span class=\"ref\">J03 "
                  "l.7</span></p>") != std::string::npos);
}

TEST_CASE(
    "co-occurrence cells hold the counts, know their two codes and table, and the diagonal stands "
    "apart") {
  std::ostringstream out;
  coding::write_cooccurrence_html(out, small_cooccurrence(), {}, "");
  const auto html = out.str();
  CHECK(html.find("<title>Co-occurring codes</title>") != std::string::npos);
  CHECK(html.find("data-pair data-t=\"staff\" data-r=\"a.x\" data-c=\"b.z\"") != std::string::npos);
  const auto at = html.find("data-t=\"staff\" data-r=\"a.x\" data-c=\"b.z\"");
  CHECK(html.substr(html.find('>', at), 6) == ">2</td");
  // 2 is the largest count off the diagonal: full shade. The diagonal is not shaded.
  CHECK(html.rfind("background:#2166ac", at) > html.rfind("<td", at));
  CHECK(html.find("<td class=\"num diag\" title=\"passages coded with a.x\">4</td>") !=
        std::string::npos);
  CHECK(html.find("<td class=\"num diag\" title=\"passages coded with b.z\">5</td>") !=
        std::string::npos);
  CHECK(html.find("<h2>Clients <span class=\"n inline\">(group client, "
                  "n=2)</span></h2>") != std::string::npos);
}

TEST_CASE(
    "a report page has the overview, the nested codebook, the shaded matrix and each theme's chart "
    "and quotes") {
  std::ostringstream out;
  coding::write_report_html(out, small_report());
  const auto html = out.str();
  CHECK(html.find("<h1>Mini study</h1>") != std::string::npos);
  CHECK(html.find("<dt>Documents</dt><dd>3</dd><dt>Cases</dt><dd>5 (Staff 3, Clients 2)</dd>"
                  "<dt>Codings</dt><dd>8</dd>") != std::string::npos);
  CHECK(html.find("<tr><th scope=\"row\">x</th><td class=\"num\">7</td></tr>") !=
        std::string::npos);
  // The codebook: the theme's section holds its code's.
  const auto theme = html.find("<h3 id=\"code-a\">Theme A");
  const auto code = html.find("<h4 id=\"code-a.x\">Code A.x");
  REQUIRE(theme != std::string::npos);
  REQUIRE(code != std::string::npos);
  CHECK(html.find("<dt>Include</dt><dd>Talk of A.</dd><dt>Exclude</dt><dd>Talk of B.</dd>"
                  "<dt>Example</dt><dd>&quot;A, mostly.&quot;</dd>") != std::string::npos);
  CHECK(html.find("</section>", theme) > code);
  // The matrix, shaded, its rows linking to the themes.
  CHECK(html.find("<a href=\"#theme-a\">Theme A</a>") != std::string::npos);
  CHECK(html.find(">2/2 (100%)</td>") != std::string::npos);
  CHECK(html.find("background:#2166ac") != std::string::npos);
  // The theme: its chart, then its quotes under each group, in order.
  CHECK(html.find("<h3 id=\"theme-a\">Theme A</h3>") != std::string::npos);
  const auto staff = html.find(
      "<h5>Staff</h5>\n<blockquote>It helped.<cite><span class=\"ref\">G1 l.3</span> · case K2 · "
      "Code A.x</cite>");
  const auto clients = html.find(
      "<h5>Clients</h5>\n<blockquote>Because it helped.<cite><span class=\"ref\">I1 l.2</span> · "
      "case K1");
  CHECK(staff != std::string::npos);
  CHECK(clients != std::string::npos);
  CHECK(staff < clients);
}

// ---- agreement and disagreements (render/agreement.cpp) ---------------------------------

namespace {

std::string agreement_html(const coding::agreement_result& r,
                           const coding::render_options& o = {}) {
  std::ostringstream out;
  coding::write(out, r, coding::format::html, o);
  return out.str();
}

// The `nth` (0-based) table row <tr ...>...</tr> that contains `text`; "" when none.
std::string row_with(const std::string& html, std::string_view text, std::size_t nth = 0) {
  std::size_t at = 0;
  for (std::size_t k = 0;; ++k, at += text.size()) {
    at = html.find(text, at);
    if (at == std::string::npos) return "";
    if (k == nth) break;
  }
  const auto begin = html.rfind("<tr", at);
  const auto end = html.find("</tr>", at);
  return html.substr(begin, end + 5 - begin);
}

// The contents of a row's cells (th and td), their tags removed.
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> out;
  for (auto at = row.find("<t"); at != std::string::npos; at = row.find("<t", at + 1)) {
    if (row.compare(at, 3, "<td") != 0 && row.compare(at, 3, "<th") != 0) continue;
    const auto open = row.find('>', at) + 1;
    const auto close = row.find(row.compare(at, 3, "<td") == 0 ? "</td>" : "</th>", open);
    std::string text;
    bool in_tag = false;
    for (const char c : row.substr(open, close - open)) {
      if (c == '<') in_tag = true;
      if (!in_tag) text += c;
      if (c == '>') in_tag = false;
    }
    out.push_back(text);
    at = close;
  }
  return out;
}

}  // namespace

TEST_CASE("agreement page states the coders, unit, level and selection, escaping every name") {
  coding::agreement_options ao;
  ao.codes = {"a.x", "b.z"};
  ao.docs = {"D"};
  ao.where = {{"group", "client"}};
  ao.bootstrap = 500;
  ao.seed = 7;
  const auto html = agreement_html(test::case1_agreement(), {"Study & co", ao});
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<title>Intercoder agreement: Study &amp; co</title>") != std::string::npos);
  CHECK(html.find("<dt>Coders</dt><dd>A&lt;b&gt;, B&amp;C</dd>") != std::string::npos);
  CHECK(html.find("<dt>Unit</dt><dd>characters (each coded or not by each coder)</dd>") !=
        std::string::npos);
  CHECK(html.find("<dt>Level</dt><dd>code (coded or not)</dd>") != std::string::npos);
  CHECK(html.find("<dt>Codes</dt><dd>a.x, b.z and the codes below them</dd>") != std::string::npos);
  CHECK(html.find("<dt>Documents</dt><dd>D</dd>") != std::string::npos);
  CHECK(html.find("<dt>Cases</dt><dd>where group=client</dd>") != std::string::npos);
  CHECK(html.find("<dt>Overlap</dt>") == std::string::npos);  // the segment unit's only
  CHECK(html.find("500 samples of the units") != std::string::npos);
  CHECK(html.find("with seed 7") != std::string::npos);
  CHECK(html.find("far too narrow to report") != std::string::npos);  // characters
  // The label's markup is text: no script element anywhere on the page.
  CHECK(count(html, "<script") == 0);
  CHECK(count(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") == 2);
  CHECK(html.find(">nan<") == std::string::npos);
}

TEST_CASE("agreement page shows the whole-text and coded-text-only figures worked by hand") {
  const auto html = agreement_html(test::case1_agreement());
  CHECK(count(html, "<table class=\"agreement\">") == 2);
  const auto whole = html.find("<h2>Whole text</h2>");
  const auto coded = html.find("<h2>Coded text only</h2>");
  REQUIRE(whole != std::string::npos);
  REQUIRE(coded != std::string::npos);
  CHECK(whole < coded);
  // tests/fixtures/agreement/WORKING.md, case 1 (render_fixtures.hpp).
  const auto ax = cells_of(row_with(html, ">a.x</span>"));
  REQUIRE(ax.size() == 8);
  CHECK(std::vector<std::string>(ax.begin() + 1, ax.end()) ==
        std::vector<std::string>{"20", "50.0%", "0.000", "0.000", "0.025", "-0.200 to 0.300", ""});
  CHECK(html.find(">a.x</span>") > whole);
  const auto ax_coded = cells_of(row_with(html, ">a.x</span>", 1));
  REQUIRE(ax_coded.size() == 8);
  CHECK(std::vector<std::string>(ax_coded.begin() + 1, ax_coded.end()) ==
        std::vector<std::string>{"15", "33.3%", "-0.500", "-0.333", "-0.450", "-", ""});
  CHECK(html.find(">a.x</span>", html.find(">a.x</span>") + 1) > coded);
  const auto all = cells_of(row_with(html, "All codes, all documents"));
  CHECK(all == std::vector<std::string>{"All codes, all documents", "40", "75.0%", "0.333", "0.500",
                                        "0.342", "0.100 to 0.600", ""});
  CHECK(row_with(html, "All codes, all documents").starts_with("<tr class=\"total\">"));
  // One document: its row has the pooled figures.
  const auto doc = cells_of(row_with(html, "<span class=\"id\">D</span></th>"));
  REQUIRE(doc.size() == 8);
  CHECK(doc[0] == "D");
  CHECK(std::vector<std::string>(doc.begin() + 1, doc.end()) ==
        std::vector<std::string>(all.begin() + 1, all.end()));
}

TEST_CASE("agreement page: a figure that cannot be computed is '-' with its reason, never NaN") {
  const auto html = agreement_html(test::case1_agreement());
  const auto bz = row_with(html, ">b.z</span>");
  const auto cells = cells_of(bz);
  REQUIRE(cells.size() == 8);
  CHECK(std::vector<std::string>(cells.begin() + 1, cells.end() - 1) ==
        std::vector<std::string>{"20", "100.0%", "-", "1.000", "-", "-"});
  CHECK(count(bz, "title=\"no variation: every unit has the same value\">-</td>") == 2);
  CHECK(
      bz.find(
          "<td class=\"note\">Cohen&#39;s kappa: no variation: every unit has the same "
          "value<br>Krippendorff&#39;s alpha: no variation: every unit has the same value</td>") !=
      std::string::npos);
  // Coded text only: no unit at all, every figure empty with its note.
  const auto bz_coded = cells_of(row_with(html, ">b.z</span>", 1));
  REQUIRE(bz_coded.size() == 8);
  CHECK(bz_coded[1] == "0");
  CHECK(bz_coded[2] == "-");
  CHECK(bz_coded[7].find("percent agreement: no unit was coded by two coders") == 0);
  for (const auto* bad : {">nan<", ">-nan<", ">inf<", ">-inf<", "NaN"})
    CHECK(html.find(bad) == std::string::npos);
}

TEST_CASE("agreement page names Fleiss' kappa for three coders and one table for other units") {
  auto r = test::case1_agreement();
  r.coders.emplace_back("C");
  r.unit = coding::agreement_unit::segment;
  r.by_code[0].stats.fleiss_kappa.value = 0.123;
  const auto html = agreement_html(r);
  CHECK(html.find("Fleiss' κ</th>") != std::string::npos);
  CHECK(html.find("Cohen's κ</th>") == std::string::npos);
  CHECK(cells_of(row_with(html, ">a.x</span>"))[3] == "0.123");
  CHECK(count(html, "<table class=\"agreement\">") == 1);
  CHECK(html.find("Coded text only") == std::string::npos);
  CHECK(html.find("<dt>Overlap</dt><dd>90% of a passage</dd>") != std::string::npos);
  CHECK(html.find("far too narrow") == std::string::npos);
}

TEST_CASE("disagreements page: a row per passage, a column per coder, the text escaped") {
  coding::agreement_options ao;
  ao.unit = coding::agreement_unit::turn;
  std::ostringstream out;
  coding::write(out, test::case2_disagreements(), coding::format::html, {"", ao});
  const auto html = out.str();
  CHECK(html.find("<dt>Unit</dt><dd>turns (coded when a coding overlaps the turn)</dd>") !=
        std::string::npos);
  CHECK(html.find("<dt>Passages</dt><dd>2</dd>") != std::string::npos);
  CHECK(cells_of(row_with(html, "<th scope=\"col\">Document</th>")) ==
        std::vector<std::string>{"Document", "Where", "Code", "A&lt;b&gt;", "B&amp;C", "Text"});
  CHECK(cells_of(row_with(html, "D l.1")) ==
        std::vector<std::string>{"D", "D l.1", "a.x", "none", "a.x",
                                 "&lt;script&gt;x&lt;/script&gt; &amp; y"});
  CHECK(cells_of(row_with(html, "D l.2")) ==
        std::vector<std::string>{"D", "D l.2", "a.x", "a.x", "none", "two\nlines"});
  CHECK(count(html, "<script") == 0);
}

TEST_CASE("disagreements page without passages says so, naming the coders asked for") {
  coding::agreement_options ao;
  ao.coders = {"anna", "ben"};
  std::ostringstream out;
  coding::write(out, std::vector<coding::disagreement>{}, coding::format::html, {"", ao});
  CHECK(out.str().find("<dt>Coders</dt><dd>anna, ben</dd>") != std::string::npos);
  CHECK(out.str().find("The coders differ nowhere.") != std::string::npos);
  CHECK(out.str().find("<table") == std::string::npos);
}
