#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "coding/render.hpp"
#include "coding/text.hpp"
#include "coding/version.hpp"
#include "numbers.hpp"
#include "page.hpp"

namespace coding {
namespace {

using detail::esc;
using detail::page_begin;
using detail::page_end;

// A JSON string that is safe inside <script type="application/json">: `<`, `>` and `&`
// are written as \u escapes, so no "</script" or "<!--" can appear in the data.
std::string json_str(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        if (u < 0x20) {
          out += fmt::format("\\u{:04x}", u);
        } else if (u == 0xE2 && i + 2 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
          // U+2028 and U+2029 end lines in older JavaScript.
          out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// Heat shading: white-blue from 0 to 1, with whichever of dark or white text has the
// better contrast on it (WCAG relative luminance).
struct rgb {
  double r, g, b;
};

rgb heat_colour(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  const rgb lo{247, 251, 255}, hi{33, 102, 172};
  return {lo.r + (hi.r - lo.r) * t, lo.g + (hi.g - lo.g) * t, lo.b + (hi.b - lo.b) * t};
}

double luminance(const rgb& c) {
  const auto lin = [](double v) {
    v /= 255.0;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

std::string heat_style(double t) {
  const auto c = heat_colour(t);
  const double l = luminance(c);
  const bool dark_text = (l + 0.05) / 0.05 >= 1.05 / (l + 0.05);
  const auto byte = [](double v) { return static_cast<unsigned>(std::lround(v)); };
  return fmt::format("background:#{:02x}{:02x}{:02x};color:{}", byte(c.r), byte(c.g), byte(c.b),
                     dark_text ? "#1b1f24" : "#ffffff");
}

// A colour from the framework file, only when it is "#rrggbb".
std::string safe_colour(std::string_view c) {
  if (c.size() != 7 || c[0] != '#') return "";
  for (std::size_t i = 1; i < 7; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return "";
  return std::string(c);
}

// An id attribute value from a code id or group id.
std::string anchor(std::string_view prefix, std::string_view id) {
  std::string out(prefix);
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    out += std::isalnum(u) || c == '-' || c == '_' || c == '.' ? c : '_';
  }
  return out;
}

constexpr std::string_view kStyle = R"css(
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--head:#eef1f4;--panel:#f7f8fa;--accent:#2166ac;--mark:#e08214}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;color:var(--fg);background:#fff}
main{padding:1.25rem 1.75rem 3rem;min-width:0}
h1{font-size:1.55rem;margin:0 0 .25rem;line-height:1.25}
h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-bottom:.2rem;border-bottom:1px solid var(--line)}
h3{font-size:1.1rem;margin:1.8rem 0 .5rem}
h4{font-size:1rem;margin:1.4rem 0 .4rem}
h5,h6{font-size:.95rem;margin:1rem 0 .3rem}
p{margin:.4rem 0}
a{color:var(--accent)}
.meta{color:var(--muted);margin:0 0 1rem}
.id{color:var(--muted);font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:nowrap}
.layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(18rem,26rem);align-items:start}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:separate;border-spacing:0;margin:.4rem 0 .8rem;background:#fff}
caption{caption-side:top;text-align:left;padding:0 0 .5rem;color:var(--fg)}
caption .what{font-weight:600}
caption .hint{color:var(--muted)}
th,td{border-right:1px solid var(--line);border-bottom:1px solid var(--line);padding:.35rem .6rem;vertical-align:top;text-align:left}
tr>:first-child{border-left:1px solid var(--line)}
thead tr:first-child>*{border-top:1px solid var(--line)}
thead th{background:var(--head);vertical-align:bottom;font-weight:600}
th[scope=row]{font-weight:500;background:#fff}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.matrix td.num,table.cooc td.num{vertical-align:middle}
thead th.num{text-align:right}
.n{display:block;font-weight:400;color:var(--muted);font-size:.85em}
.n.inline{display:inline}
tr.total>*{font-weight:600;border-top:2px solid #8c959f}
td.total{font-weight:600}
td.cell{cursor:pointer}
td.cell:hover,td.cell:focus-visible{outline:2px solid var(--mark);outline-offset:-2px}
td.selected{outline:3px solid var(--mark);outline-offset:-3px}
td.diag{background:repeating-linear-gradient(135deg,#f3f4f6,#f3f4f6 4px,#e9ebee 4px,#e9ebee 8px);color:var(--muted)}
.legend{display:flex;flex-wrap:wrap;align-items:center;gap:.35rem;color:var(--muted);font-size:.85rem;margin:.2rem 0 1rem}
.legend .sw{display:inline-block;width:1.9rem;height:.95rem;border:1px solid var(--line)}
.d2{padding-left:1.6rem}.d3{padding-left:2.6rem}.d4{padding-left:3.6rem}
table.cooc thead th.v{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;text-align:left;vertical-align:bottom;padding:.5rem .25rem;font-weight:500}
table.cooc td{min-width:2.4rem}
table.cooc td.zero{color:#9aa3ad}
table.cooc th[scope=row]{min-width:15rem;position:sticky;left:0;z-index:1}
table.cooc thead th:first-child{position:sticky;left:0;z-index:2}
table.chart{min-width:100%}
.chartbox{overflow:auto;max-height:calc(100vh - 1.5rem);border:1px solid var(--line);margin:.4rem 0 .8rem}
.chartbox table.chart{margin:0}
.chartbox table.chart tr>:first-child{border-left:0}
.chartbox table.chart thead tr:first-child>*{border-top:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.note{color:var(--muted);max-width:60rem}
table.chart thead th{position:sticky;top:0;z-index:2;box-shadow:0 1px 0 var(--line)}
table.chart tbody th[scope=row]{position:sticky;left:0;z-index:1;min-width:7rem;max-width:12rem}
table.chart td.sub{min-width:12rem;max-width:28rem}
table.chart td.attr{color:var(--muted);min-width:6rem;max-width:10rem}
tr.group>th{background:#dde6ef;font-size:1.02rem;text-align:left;position:sticky;left:0}
.entry+.entry{margin-top:.6rem;padding-top:.5rem;border-top:1px dashed var(--line)}
.who{font-weight:600;margin-right:.3rem;color:var(--fg)}
.summary{white-space:pre-line;margin:0 0 .25rem}
.draft{color:#8a4b00;font-style:italic;font-size:.85em;white-space:nowrap}
.refs{margin:.15rem 0;color:var(--muted);font-size:.85em}
.ref{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f3f5;border-radius:3px;padding:0 .25rem;white-space:nowrap;color:var(--fg)}
blockquote{margin:.35rem 0;padding:.15rem 0 .15rem .7rem;border-left:3px solid #a9c4de;white-space:pre-line}
blockquote cite{display:block;font-style:normal;color:var(--muted);font-size:.85em;margin-top:.15rem;white-space:normal}
aside#panel{position:sticky;top:0;max-height:100vh;overflow:auto;border-left:1px solid var(--line);background:var(--panel);padding:1rem 1.2rem;min-height:100vh}
aside#panel h2{margin-top:0;font-size:1.05rem;border:0}
aside#panel .count{color:var(--muted)}
aside#panel article{background:#fff;border:1px solid var(--line);border-radius:4px;padding:.5rem .65rem;margin:.5rem 0}
aside#panel .qmeta{font-size:.85em;color:var(--muted);margin:0 0 .2rem}
aside#panel .qcode{font-size:.85em;margin:0 0 .2rem}
aside#panel .qtext{white-space:pre-line;margin:0}
aside#panel button{font:inherit;padding:.15rem .6rem;border:1px solid var(--line);border-radius:4px;background:#fff;cursor:pointer}
.codebook{max-width:75rem}
nav.toc ol{margin:.3rem 0;padding-left:1.4rem}
.codebook section{margin-left:0}
.codebook .code{border-left:4px solid var(--line);padding:.1rem 0 .3rem .8rem;margin:.7rem 0}
.codebook .code .code{margin-left:.4rem}
.codebook dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem .8rem;margin:.3rem 0}
.codebook dt{font-weight:600;color:var(--muted)}
.codebook dd{margin:0}
dl.overview{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem}
dl.overview dt{font-weight:600}
dl.overview dd{margin:0}
.quotes h5{margin-top:.8rem}
.quotes blockquote{max-width:62rem}
@media (max-width:900px){.layout{display:block}aside#panel{position:static;min-height:0;max-height:none;border-left:0;border-top:1px solid var(--line)}}
@page{margin:12mm}
@media print{
  body{font-size:9.5pt}
  main{padding:0}
  .layout{display:block}
  aside#panel,.controls,.hint,nav.toc{display:none!important}
  .scroll,.chartbox{overflow:visible;max-height:none;border:0}
  thead{display:table-header-group}
  tr,th,td,blockquote,.entry,.codebook dl,section.cooc{break-inside:avoid;page-break-inside:avoid}
  h2,h3,h4,h5,caption{break-after:avoid;page-break-after:avoid}
  table.chart thead th,table.chart tbody th[scope=row],tr.group>th,table.cooc th{position:static}
  td.cell{cursor:auto}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  a{color:inherit;text-decoration:none}
}
)css";

// Fills the side panel with the quotes of the clicked cell. A cell says which quotes are
// its own in data-r (row), data-c (column) and data-t (table); "" in data-r or data-c
// means any (the total row and column); data-pair: either order (co-occurrence).
constexpr std::string_view kScript = R"js(
(function () {
  'use strict';
  var source = document.getElementById('qcode-quotes');
  var panel = document.getElementById('panel');
  if (!source || !panel) return;
  var data = JSON.parse(source.textContent);
  var quotes = data.quotes, groups = data.groups || {};
  var title = panel.querySelector('.ptitle'), count = panel.querySelector('.count');
  var list = panel.querySelector('.list'), selected = null;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function show(cell) {
    var r = cell.getAttribute('data-r'), c = cell.getAttribute('data-c');
    var t = cell.getAttribute('data-t'), pair = cell.hasAttribute('data-pair');
    var seen = {}, found = [];
    quotes.forEach(function (q) {
      if (t !== null && q.table !== t) return;
      var ok = pair ? (q.row === r && q.column === c) || (q.row === c && q.column === r)
                    : (r === '' || q.row === r) && (c === '' || q.column === c);
      if (!ok) return;
      var key = [q.doc, q.start, q.end, q.code, q.coder, q.case].join('\u0001');
      if (seen[key]) return;
      seen[key] = true;
      found.push(q);
    });
    if (selected) selected.classList.remove('selected');
    selected = cell;
    cell.classList.add('selected');
    title.textContent = cell.getAttribute('data-title') || '';
    count.textContent = found.length === 1 ? '1 coded passage' : found.length + ' coded passages';
    list.textContent = '';
    found.forEach(function (q) {
      var a = el('article');
      var meta = el('p', 'qmeta');
      meta.appendChild(el('span', 'ref', q.ref));
      // The reference names the document already ("T07 l.12-18").
      var who = (q.ref.indexOf(q.doc + ' ') === 0 ? '' : ' · document ' + q.doc) + ' · case ' + q.case;
      if (q.group) who += ' · ' + (groups[q.group] || q.group);
      if (q.coder) who += ' · coded by ' + q.coder;
      meta.appendChild(document.createTextNode(who));
      a.appendChild(meta);
      if (q.path) a.appendChild(el('p', 'qcode', q.path));
      a.appendChild(el('p', 'qtext', q.text));
      list.appendChild(a);
    });
    panel.scrollTop = 0;
  }
  document.querySelectorAll('td.cell').forEach(function (cell) {
    cell.addEventListener('click', function () { show(cell); });
    cell.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(cell); }
    });
  });
  var clear = panel.querySelector('button.clear');
  if (clear) clear.addEventListener('click', function () {
    if (selected) selected.classList.remove('selected');
    selected = null;
    title.textContent = 'Coded passages';
    count.textContent = 'Click a cell to list the passages counted in it.';
    list.textContent = '';
  });
})();
)js";

}  // namespace

// Every text that goes into the page passes through here, in element content and in
// quoted attribute values alike. C0 controls other than tab and line feed are not
// allowed in HTML and are dropped.
std::string detail::esc(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;
        out += c;
    }
  }
  return out;
}

void detail::page_begin(std::ostream& out, std::string_view title, bool landscape) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"qcode " << esc(version()) << "\">\n"
      << "<title>" << esc(title) << "</title>\n<style>" << kStyle;
  if (landscape) out << "@page{size:A4 landscape}\n";
  out << "</style>\n</head>\n<body>\n";
}

void detail::page_end(std::ostream& out) {
  out << "</body>\n</html>\n";
}

namespace {

// Group id -> label, for the panel to name a quote's group.
using group_labels = std::map<std::string, std::string>;

// The quotes as {"groups": {id: label}, "quotes": [...]}, one quote per line.
void quotes_script(std::ostream& out, const std::vector<quote>& quotes,
                   const group_labels& groups) {
  out << "<script type=\"application/json\" id=\"qcode-quotes\">\n{\"groups\": {";
  bool first = true;
  for (const auto& [id, label] : groups) {
    out << (first ? "" : ", ") << json_str(id) << ": " << json_str(label);
    first = false;
  }
  out << "},\n\"quotes\": [\n";
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    const auto& q = quotes[i];
    out << "{\"row\": " << json_str(q.row) << ", \"column\": " << json_str(q.column)
        << ", \"table\": " << json_str(q.table) << ", \"doc\": " << json_str(q.doc)
        << ", \"case\": " << json_str(q.case_id) << ", \"group\": " << json_str(q.group)
        << ", \"code\": " << json_str(q.code) << ", \"path\": " << json_str(q.code_path)
        << ", \"coder\": " << json_str(q.coder) << ", \"start\": " << q.where.start
        << ", \"end\": " << q.where.end << ", \"ref\": " << json_str(q.reference)
        << ", \"text\": " << json_str(q.text) << "}" << (i + 1 < quotes.size() ? ",\n" : "\n");
  }
  out << "]}\n</script>\n<script>" << kScript << "</script>\n";
}

void panel(std::ostream& out) {
  out << "<aside id=\"panel\" aria-live=\"polite\" aria-label=\"Coded passages of the selected "
         "cell\">\n"
      << "<h2 class=\"ptitle\">Coded passages</h2>\n"
      << "<p class=\"controls\"><button type=\"button\" class=\"clear\">Clear</button></p>\n"
      << "<p class=\"count\">Click a cell to list the passages counted in it.</p>\n"
      << "<div class=\"list\"></div>\n</aside>\n";
}

// What the shading of a measure stands for, and the value at full shade.
std::string shade_label(measure what, double top) {
  switch (what) {
    case measure::cases:
      return fmt::format("share of the column's cases, 0% to {}%", std::llround(100.0 * top));
    case measure::segments:
      return fmt::format("coded segments, 0 to {}", detail::matrix_number(top, what));
    case measure::coverage:
      return fmt::format("% of spoken text coded, 0.0 to {}", detail::matrix_number(top, what));
  }
  return "";
}

void legend(std::ostream& out, std::string_view label, std::string_view note) {
  out << "<p class=\"legend\"><span>Shading (" << esc(label) << "):</span>";
  for (const double t : {0.0, 0.25, 0.5, 0.75, 1.0})
    out << "<span class=\"sw\" style=\"" << heat_style(t) << "\"></span>";
  if (!note.empty()) out << "<span>" << esc(note) << "</span>";
  out << "</p>\n";
}

// The shaded quantity of a cell: for `cases` the share of the column's cases, so that
// columns of different sizes compare; else the value.
double shade_value(const matrix& m, double v, std::size_t n) {
  if (m.what != measure::cases) return v;
  return n == 0 ? 0.0 : v / static_cast<double>(n);
}

struct matrix_links {
  bool clickable = false;         // cells show their quotes in the panel
  std::string row_anchor_prefix;  // row labels link to "#" + prefix + code when set
};

void matrix_table(std::ostream& out, const matrix& m, const matrix_links& links) {
  double top = 0;
  for (const auto& r : m.rows)
    for (std::size_t c = 0; c < r.cells.size() && c < m.columns.size(); ++c)
      top = std::max(top, shade_value(m, r.cells[c], m.columns[c].n));
  const std::string what(detail::row_noun(m.level, true));
  out << "<div class=\"scroll\">\n<table class=\"matrix\">\n<caption><span class=\"what\">"
      << esc(detail::matrix_heading(m)) << "</span>, n = " << m.n << " cases in "
      << plural(m.columns.size(), "column", "columns") << '.';
  if (links.clickable)
    out << " <span class=\"hint\">Click a cell to list its coded passages.</span>";
  out << "</caption>\n<thead>\n<tr><th scope=\"col\">" << what << "</th>";
  for (const auto& c : m.columns)
    out << "<th scope=\"col\" class=\"num\">" << esc(c.label) << "<span class=\"n\">n=" << c.n
        << "</span></th>";
  out << "<th scope=\"col\" class=\"num\">Total<span class=\"n\">n=" << m.n
      << "</span></th></tr>\n</thead>\n<tbody>\n";
  const auto cell = [&](const matrix_row& r, double v, std::size_t n, const std::string& column_id,
                        const std::string& column_label, bool total) {
    const std::string text = detail::matrix_cell(v, m.what, n);
    out << "<td class=\"num";
    if (total) out << " total";
    if (links.clickable) out << " cell";
    out << '"';
    if (!total && top > 0) out << " style=\"" << heat_style(shade_value(m, v, n) / top) << '"';
    if (links.clickable) {
      const std::string row_label = r.code.empty() ? "Any code" : r.label;
      out << " tabindex=\"0\" data-r=\"" << esc(r.code) << "\" data-c=\"" << esc(column_id)
          << "\" data-title=\"" << esc(row_label + " — " + column_label + ": " + text) << '"';
    }
    out << '>' << esc(text) << "</td>";
  };
  const auto row = [&](const matrix_row& r, bool total) {
    out << (total ? "<tr class=\"total\">" : "<tr>") << "<th scope=\"row\"";
    if (!total && r.depth > 1) out << " class=\"d" << std::min(r.depth, 4) << '"';
    out << '>';
    if (total) {
      out << "Total";
    } else if (!links.row_anchor_prefix.empty()) {
      out << "<a href=\"#" << esc(anchor(links.row_anchor_prefix, r.code)) << "\">" << esc(r.label)
          << "</a>";
    } else {
      out << esc(r.label) << " <span class=\"id\">" << esc(r.code) << "</span>";
    }
    out << "</th>";
    for (std::size_t c = 0; c < m.columns.size(); ++c)
      cell(r, c < r.cells.size() ? r.cells[c] : 0.0, m.columns[c].n, m.columns[c].id,
           m.columns[c].label, total);
    cell(r, r.total, m.n, "", "all columns", true);
    out << "</tr>\n";
  };
  for (const auto& r : m.rows) row(r, false);
  row(m.total, true);
  out << "</tbody>\n</table>\n</div>\n";
  legend(out, shade_label(m.what, top), "Totals are not shaded.");
}

std::string entry_html(const chart_entry& e, bool group_rows) {
  std::string out = "<div class=\"entry\">";
  // In group rows the case id leads the entry's first line, so provenance stays visible.
  std::string who = group_rows ? "<span class=\"who\">" + esc(e.case_id) + ":</span>" : "";
  if (!e.summary.empty()) {
    out += "<p class=\"summary\">" + who + esc(e.summary);
    if (e.draft) out += " <em class=\"draft\">(draft)</em>";
    out += "</p>";
    who.clear();
  }
  if (!e.passages.empty() || !who.empty()) {
    out += "<p class=\"refs\">" + who;
    for (std::size_t i = 0; i < e.passages.size(); ++i)
      out += (i ? " " : "") + std::string("<span class=\"ref\">") + esc(e.passages[i].reference) +
             "</span>";
    out += "</p>";
  }
  for (const auto& p : e.passages)
    if (!p.quote.empty())
      out += "<blockquote>" + esc(p.quote) + "<cite>" + esc(p.reference) + "</cite></blockquote>";
  return out + "</div>";
}

void chart_table(std::ostream& out, const chart& c, int level, std::string_view id_prefix) {
  const std::string h = fmt::format("h{}", std::clamp(level, 1, 6));
  out << '<' << h << " id=\"" << esc(anchor(id_prefix, c.theme)) << "\">" << esc(c.theme_label)
      << "</" << h << ">\n";
  std::size_t width = 1 + c.attributes.size() + c.columns.size();
  std::size_t cases = 0;
  for (const auto& g : c.groups) cases += g.n;
  out << "<p class=\"note\">One row per " << (c.group_rows ? "group" : "case")
      << ", one column per sub-theme of "
      << "<span class=\"id\">" << esc(c.theme) << "</span>. A cell holds "
      << (c.group_rows ? "for each case of the group, after its id, " : "")
      << "the summary (drafts marked), "
      << "the references of the coded passages and any quotes.</p>\n";
  if (const auto pooled = detail::chart_pooled_note(c.coders); !pooled.empty())
    out << "<p class=\"note pooled\">" << esc(pooled) << "</p>\n";
  out << "<div class=\"chartbox\">\n<table class=\"chart\">\n<caption "
         "class=\"visually-hidden\">Framework chart of "
      << esc(c.theme_label) << ": " << cases << " cases in "
      << plural(c.groups.size(), "group", "groups") << "</caption>\n<thead>\n<tr><th scope=\"col\">"
      << (c.group_rows ? "Group" : "Case") << "</th>";
  for (const auto& a : c.attributes) out << "<th scope=\"col\">" << esc(a) << "</th>";
  for (const auto& col : c.columns) {
    out << "<th scope=\"col\"";
    if (!col.description.empty()) out << " title=\"" << esc(col.description) << '"';
    out << '>' << esc(col.label) << "<span class=\"n id\">" << esc(col.code) << "</span></th>";
  }
  out << "</tr>\n</thead>\n";
  for (const auto& g : c.groups) {
    out << "<tbody>\n";
    const std::string name =
        esc(g.label) + " <span class=\"n inline\">(n=" + std::to_string(g.n) + ")</span>";
    if (!c.group_rows)
      out << "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"" << width << "\">" << name
          << "</th></tr>\n";
    for (const auto& r : g.rows) {
      out << "<tr><th scope=\"row\">";
      if (c.group_rows) {
        out << "<strong>" << name << "</strong>";
      } else {
        out << esc(r.id);
        if (!r.label.empty() && r.label != r.id)
          out << "<span class=\"n\">" << esc(r.label) << "</span>";
      }
      out << "</th>";
      for (std::size_t a = 0; a < c.attributes.size(); ++a)
        out << "<td class=\"attr\">" << (a < r.attributes.size() ? esc(r.attributes[a]) : "")
            << "</td>";
      for (std::size_t k = 0; k < c.columns.size(); ++k) {
        out << "<td class=\"sub\">";
        if (k < r.cells.size())
          for (const auto& e : r.cells[k].entries)
            if (!e.summary.empty() || !e.passages.empty()) out << entry_html(e, c.group_rows);
        out << "</td>";
      }
      out << "</tr>\n";
    }
    out << "</tbody>\n";
  }
  out << "</table>\n</div>\n";
}

void cooccurrence_tables(std::ostream& out, const cooccurrence& c) {
  std::size_t top = 0;
  for (const auto& t : c.tables)
    for (std::size_t i = 0; i < t.counts.size(); ++i)
      for (std::size_t j = 0; j < t.counts[i].size(); ++j)
        if (i != j) top = std::max(top, t.counts[i][j]);
  const std::string kind = c.level == matrix_level::theme ? "themes" : "codes";
  for (const auto& t : c.tables) {
    out << "<section class=\"cooc\">\n<h2>" << esc(t.label) << " <span class=\"n inline\">("
        << (t.id.empty() ? std::string() : esc(c.by) + " " + esc(t.id) + ", ") << "n=" << t.n
        << ")</span></h2>\n";
    out << "<p class=\"note\">A cell counts the separate passages inside a coding of both; the "
           "diagonal (hatched) counts the passages coded with the code.<span class=\"hint\"> Click "
           "a cell to list its passages.</span></p>\n";
    out << "<div class=\"scroll\">\n<table class=\"cooc\">\n<caption class=\"visually-hidden\">"
        << "Passages where two " << kind << " both apply: " << esc(t.label) << ", n = " << t.n
        << " cases</caption>\n<thead>\n<tr><th scope=\"col\">"
        << (c.level == matrix_level::theme ? "Theme" : "Code") << "</th>";
    for (const auto& code : c.codes)
      out << "<th scope=\"col\" class=\"v\" title=\"" << esc(code.label) << "\">" << esc(code.code)
          << "</th>";
    out << "</tr>\n</thead>\n<tbody>\n";
    for (std::size_t i = 0; i < c.codes.size(); ++i) {
      const auto& ri = c.codes[i];
      out << "<tr><th scope=\"row\"";
      if (ri.depth > 1) out << " class=\"d" << std::min(ri.depth, 4) << '"';
      out << '>' << esc(ri.label) << " <span class=\"id\">" << esc(ri.code) << "</span></th>";
      for (std::size_t j = 0; j < c.codes.size(); ++j) {
        const std::size_t v = i < t.counts.size() && j < t.counts[i].size() ? t.counts[i][j] : 0;
        if (i == j) {
          out << "<td class=\"num diag\" title=\"passages coded with " << esc(ri.code) << "\">" << v
              << "</td>";
          continue;
        }
        const auto& rj = c.codes[j];
        // Zeros stay white and grey, so that the pairs that do co-occur stand out.
        out << (v == 0 ? "<td class=\"num cell zero\" tabindex=\"0\""
                       : "<td class=\"num cell\" tabindex=\"0\"");
        if (top > 0 && v > 0)
          out << " style=\"" << heat_style(static_cast<double>(v) / static_cast<double>(top))
              << '"';
        out << " data-pair data-t=\"" << esc(t.id) << "\" data-r=\"" << esc(ri.code)
            << "\" data-c=\"" << esc(rj.code) << "\" data-title=\""
            << esc(ri.label + " × " + rj.label + " (" + t.label + "): " + std::to_string(v))
            << "\">" << v << "</td>";
      }
      out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n</div>\n</section>\n";
  }
  legend(out, fmt::format("passages where both apply, 0 to {}", top),
         "The diagonal is not shaded.");
}

std::string heading(int level, std::string_view id, std::string_view inner_html) {
  const int l = std::clamp(level, 1, 6);
  return fmt::format("<h{} id=\"{}\">{}</h{}>\n", l, id, inner_html, l);
}

void codebook(std::ostream& out, const framework& fw) {
  out << "<div class=\"codebook\">\n";
  int open = 0;  // depth of the innermost open section + 1
  for (const auto& code : fw.codes) {
    for (; open > code.depth; --open) out << "</section>\n";
    out << "<section class=\"code\"";
    const auto colour = safe_colour(code.color);
    if (!colour.empty()) out << " style=\"border-left-color:" << colour << '"';
    out << '>';
    out << heading(3 + code.depth, esc(anchor("code-", code.id)),
                   esc(code.label) + " <span class=\"id\">" + esc(code.id) + "</span>");
    if (!code.description.empty()) out << "<p>" << esc(code.description) << "</p>\n";
    if (!code.include.empty() || !code.exclude.empty() || !code.example.empty()) {
      out << "<dl>";
      const auto item = [&](std::string_view name, const std::string& text) {
        if (!text.empty()) out << "<dt>" << name << "</dt><dd>" << esc(text) << "</dd>";
      };
      item("Include", code.include);
      item("Exclude", code.exclude);
      item("Example", code.example);
      out << "</dl>\n";
    }
    open = code.depth + 1;
  }
  for (; open > 0; --open) out << "</section>\n";
  out << "</div>\n";
}

}  // namespace

void write_matrix_html(std::ostream& out, const matrix& m, const std::vector<quote>& quotes,
                       std::string_view title) {
  const std::string heading_text = title.empty() ? detail::matrix_heading(m) : std::string(title);
  page_begin(out, heading_text, false);
  out << "<div class=\"layout\">\n<main>\n<h1>" << esc(heading_text) << "</h1>\n";
  out << "<p class=\"meta\">Made with qcode " << esc(version()) << ".</p>\n";
  matrix_table(out, m, {true, ""});
  out << "</main>\n";
  panel(out);
  out << "</div>\n";
  group_labels groups;
  for (const auto& c : m.columns) groups[c.id] = c.label;
  quotes_script(out, quotes, groups);
  page_end(out);
}

void write_chart_html(std::ostream& out, const std::vector<chart>& charts, std::string_view title) {
  const std::string heading_text =
      title.empty() ? std::string("Framework charts") : std::string(title);
  page_begin(out, heading_text, true);
  out << "<main>\n<h1>" << esc(heading_text) << "</h1>\n";
  out << "<p class=\"meta\">" << plural(charts.size(), "chart", "charts") << ". Made with qcode "
      << esc(version()) << ".</p>\n";
  if (charts.size() > 1) {
    out << "<nav class=\"toc\"><ol>";
    for (const auto& c : charts)
      out << "<li><a href=\"#" << esc(anchor("chart-", c.theme)) << "\">" << esc(c.theme_label)
          << "</a></li>";
    out << "</ol></nav>\n";
  }
  for (const auto& c : charts) chart_table(out, c, 2, "chart-");
  out << "</main>\n";
  page_end(out);
}

void write_cooccurrence_html(std::ostream& out, const cooccurrence& c,
                             const std::vector<quote>& quotes, std::string_view title) {
  const std::string what = c.level == matrix_level::theme ? "themes" : "codes";
  const std::string heading_text = title.empty() ? "Co-occurring " + what : std::string(title);
  page_begin(out, heading_text, true);
  out << "<div class=\"layout\">\n<main>\n<h1>" << esc(heading_text) << "</h1>\n";
  out << "<p class=\"meta\">Passages where two " << what << " both apply"
      << (c.by.empty() ? std::string(", over all cases") : ", by " + esc(c.by))
      << ". Made with qcode " << esc(version()) << ".</p>\n";
  cooccurrence_tables(out, c);
  out << "</main>\n";
  panel(out);
  out << "</div>\n";
  group_labels groups;
  for (const auto& t : c.tables)
    if (!t.id.empty()) groups[t.id] = t.label;
  quotes_script(out, quotes, groups);
  page_end(out);
}

void write_report_html(std::ostream& out, const report& r) {
  page_begin(out, r.title, true);
  out << "<main>\n<h1>" << esc(r.title) << "</h1>\n<p class=\"meta\">";
  if (!r.generated.empty())
    out << "Report generated on " << esc(r.generated) << " with ";
  else
    out << "Made with ";
  out << "qcode " << esc(version()) << ".</p>\n";

  out << "<nav class=\"toc\" aria-label=\"Contents\"><ol><li><a "
         "href=\"#overview\">Overview</a></li>"
      << "<li><a href=\"#codebook\">Codebook</a></li><li><a href=\"#matrix\">Themes by "
         "group</a></li>"
      << "<li><a href=\"#themes\">Themes</a><ol>";
  for (const auto& t : r.themes)
    out << "<li><a href=\"#" << esc(anchor("theme-", t.summaries.theme)) << "\">"
        << esc(t.summaries.theme_label) << "</a></li>";
  out << "</ol></li></ol></nav>\n";

  out << "<section>\n<h2 id=\"overview\">Overview</h2>\n<dl class=\"overview\">";
  out << "<dt>Documents</dt><dd>" << r.documents << "</dd>";
  out << "<dt>Cases</dt><dd>" << r.cases;
  if (!r.groups.empty() || !r.ungrouped.empty()) {
    out << " (";
    for (std::size_t i = 0; i < r.groups.size(); ++i)
      out << (i ? ", " : "") << esc(r.groups[i].first) << ' ' << r.groups[i].second;
    if (!r.ungrouped.empty()) {
      out << (r.groups.empty() ? "" : "; ") << r.ungrouped.size() << " without a group";
      const auto named = detail::ungrouped_named(r);
      for (std::size_t i = 0; i < named.size(); ++i) out << (i ? ", " : ": ") << esc(named[i]);
    }
    out << ')';
  }
  out << "</dd><dt>Codings</dt><dd>" << r.codings << "</dd></dl>\n";
  if (!r.coders.empty()) {
    out << "<table class=\"coders\">\n<caption><span class=\"what\">Codings by "
           "coder</span></caption>\n"
        << "<thead><tr><th scope=\"col\">Coder</th><th scope=\"col\" "
           "class=\"num\">Codings</th></tr></thead>\n<tbody>\n";
    for (const auto& [name, n] : r.coders)
      out << "<tr><th scope=\"row\">" << esc(name) << "</th><td class=\"num\">" << n
          << "</td></tr>\n";
    out << "</tbody>\n</table>\n";
  }
  out << "</section>\n";

  out << "<section>\n<h2 id=\"codebook\">Codebook</h2>\n";
  codebook(out, r.fw);
  out << "</section>\n";

  out << "<section>\n<h2 id=\"matrix\">Themes by group</h2>\n";
  matrix_table(out, r.theme_matrix, {false, "theme-"});
  out << "</section>\n";

  out << "<section>\n<h2 id=\"themes\">Themes</h2>\n";
  for (const auto& t : r.themes) {
    out << "<section class=\"theme\">\n";
    chart_table(out, t.summaries, 3, "theme-");
    if (!t.quotes.empty()) {
      out << "<div class=\"quotes\">\n<h4>Illustrative quotes</h4>\n";
      for (const auto& [begin, end] : detail::group_runs(t.quotes)) {
        out << "<h5>" << esc(detail::group_label(t.summaries, r.fw, t.quotes[begin].group))
            << "</h5>\n";
        for (std::size_t i = begin; i < end; ++i) {
          const auto& q = t.quotes[i];
          out << "<blockquote>" << esc(q.text) << "<cite><span class=\"ref\">" << esc(q.reference)
              << "</span> · case " << esc(q.case_id);
          // The section names the theme already: keep the path below it.
          const auto path = detail::path_below(q.code_path, t.summaries.theme_label);
          if (!path.empty()) out << " · " << esc(path);
          out << "</cite></blockquote>\n";
        }
      }
      out << "</div>\n";
    }
    out << "</section>\n";
  }
  out << "</section>\n</main>\n";
  page_end(out);
}

}  // namespace coding
