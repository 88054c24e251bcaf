#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "coding/render.hpp"
#include "coding/text.hpp"
#include "numbers.hpp"
#include "page.hpp"

namespace coding {
namespace detail {

// Text as inline Markdown (page.hpp) that shows exactly as written, also inside a pipe-table cell:
// ASCII punctuation that Markdown or HTML would read is backslash-escaped (so `<script>`
// stays text and `|` does not end the cell), and line breaks become <br>. A `>` is left
// alone: no line this writer starts begins with the text, and `<` is escaped.
std::string md(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '|':
      case '~':
        out += '\\';
        out += c;
        break;
      case '&':
        // Only where it could start an entity ("&amp;", "&#38;").
        if (i + 1 < text.size() &&
            (std::isalnum(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '#'))
          out += '\\';
        out += c;
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;
        out += "<br>";
        break;
      case '\n':
        out += "<br>";
        break;
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

// An identifier (code id, reference) as a code span; they hold no backticks, but a `|`
// still has to be escaped inside a table.
std::string md_code(std::string_view id) {
  std::string out = "`";
  for (const char c : id) {
    if (c == '`') continue;
    if (c == '|') out += '\\';
    out += c;
  }
  return out + "`";
}

}  // namespace detail

namespace {

using detail::md;
using detail::md_code;

void table_row(std::ostream& out, const std::vector<std::string>& cells) {
  out << '|';
  for (const auto& c : cells) out << ' ' << c << " |";
  out << '\n';
}

void table_rule(std::ostream& out, const std::vector<bool>& right) {
  out << '|';
  for (const bool r : right) out << (r ? " --: |" : " :-- |");
  out << '\n';
}

std::string heading(int level, std::string_view text) {
  return std::string(static_cast<std::size_t>(std::clamp(level, 1, 6)), '#') + " " +
         std::string(text);
}

// A row label indented by its depth below the first level shown, as the table format does.
std::string indented(const matrix_row& r) {
  std::string out;
  for (int d = 1; d < r.depth; ++d) out += "&emsp;";
  return out + md(r.label);
}

void matrix_table(std::ostream& out, const matrix& m) {
  out << "**" << md(detail::matrix_heading(m)) << ", n = " << m.n << " cases**\n\n";
  std::vector<std::string> header = {std::string(detail::row_noun(m.level, true))};
  std::vector<bool> right = {false};
  for (const auto& c : m.columns) {
    header.push_back(fmt::format("{} (n={})", md(c.label), c.n));
    right.push_back(true);
  }
  header.push_back(fmt::format("Total (n={})", m.n));
  right.push_back(true);
  table_row(out, header);
  table_rule(out, right);
  const auto row = [&](const matrix_row& r, std::string label) {
    std::vector<std::string> cells = {std::move(label)};
    for (std::size_t c = 0; c < m.columns.size(); ++c)
      cells.push_back(
          detail::matrix_cell(c < r.cells.size() ? r.cells[c] : 0.0, m.what, m.columns[c].n));
    cells.push_back(detail::matrix_cell(r.total, m.what, m.n));
    table_row(out, cells);
  };
  for (const auto& r : m.rows) row(r, indented(r));
  row(m.total, "**Total**");
}

// One case's part of a chart cell: its summary (drafts marked), its references, then the
// quotes that the chart carries. `prefix` names the case in group rows.
std::string entry_text(const chart_entry& e, bool prefix) {
  std::vector<std::string> lines;
  std::string first;
  if (prefix) first = "**" + md(e.case_id) + ":**";
  if (!e.summary.empty()) {
    if (!first.empty()) first += ' ';
    first += md(e.summary);
    if (e.draft) first += " *(draft)*";
  }
  std::string refs;
  for (const auto& p : e.passages) {
    if (!refs.empty()) refs += ", ";
    refs += md_code(p.reference);
  }
  if (!refs.empty()) {
    if (e.summary.empty() && !first.empty())
      first += ' ' + refs;
    else
      lines.push_back(refs);
  }
  if (!first.empty()) lines.insert(lines.begin(), first);
  for (const auto& p : e.passages)
    if (!p.quote.empty()) lines.push_back("“" + md(p.quote) + "” (" + md_code(p.reference) + ")");
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += "<br>";
    out += l;
  }
  return out;
}

std::string cell_text(const chart_cell& cell, bool group_rows) {
  std::string out;
  for (const auto& e : cell.entries) {
    const auto text = entry_text(e, group_rows);
    if (text.empty()) continue;
    if (!out.empty()) out += "<br><br>";
    out += text;
  }
  return out;
}

void chart_table(std::ostream& out, const chart& c, int level) {
  out << heading(level, md(c.theme_label)) << "\n\n";
  out << fmt::format(
      "Framework chart of {}: one row per {}, one column per sub-theme; a cell holds {}the "
      "summary (drafts marked), the references of the coded passages and any quotes.\n\n",
      md_code(c.theme), c.group_rows ? "group" : "case",
      c.group_rows ? "for each case of the group, after its id, " : "");
  if (const auto pooled = detail::chart_pooled_note(c.coders); !pooled.empty())
    out << md(pooled) << "\n\n";
  std::vector<std::string> header = {c.group_rows ? "Group" : "Case"};
  for (const auto& a : c.attributes) header.push_back(md(a));
  for (const auto& col : c.columns) header.push_back(md(col.label));
  table_row(out, header);
  table_rule(out, std::vector<bool>(header.size(), false));
  for (const auto& g : c.groups) {
    const std::string group_name = fmt::format("**{}** (n={})", md(g.label), g.n);
    if (!c.group_rows) {
      std::vector<std::string> label_row(header.size());
      label_row[0] = group_name;
      table_row(out, label_row);
    }
    for (const auto& r : g.rows) {
      std::vector<std::string> cells;
      if (c.group_rows) {
        cells.push_back(group_name);
      } else {
        std::string name = md(r.id);
        if (!r.label.empty() && r.label != r.id) name += "<br>" + md(r.label);
        cells.push_back(name);
      }
      for (std::size_t a = 0; a < c.attributes.size(); ++a)
        cells.push_back(a < r.attributes.size() ? md(r.attributes[a]) : "");
      for (std::size_t k = 0; k < c.columns.size(); ++k)
        cells.push_back(k < r.cells.size() ? cell_text(r.cells[k], c.group_rows) : "");
      table_row(out, cells);
    }
  }
  out << '\n';
}

void cooccurrence_tables(std::ostream& out, const cooccurrence& c) {
  for (const auto& t : c.tables) {
    const std::string who =
        t.id.empty() ? md(t.label) : fmt::format("{} = {}", md(c.by), md(t.label));
    out << fmt::format("**Passages where two {} both apply: {}, n = {} cases**\n\n",
                       c.level == matrix_level::theme ? "themes" : "codes", who, t.n);
    std::vector<std::string> header = {c.level == matrix_level::theme ? "Theme" : "Code"};
    std::vector<bool> right = {false};
    for (const auto& code : c.codes) {
      header.push_back(md_code(code.code));
      right.push_back(true);
    }
    table_row(out, header);
    table_rule(out, right);
    for (std::size_t i = 0; i < c.codes.size(); ++i) {
      std::vector<std::string> cells = {md_code(c.codes[i].code) + " " + md(c.codes[i].label)};
      for (std::size_t j = 0; j < c.codes.size(); ++j) {
        const std::size_t v = i < t.counts.size() && j < t.counts[i].size() ? t.counts[i][j] : 0;
        cells.push_back(std::to_string(v));
      }
      table_row(out, cells);
    }
    out << "\nA cell counts the separate passages inside a coding of both codes; the diagonal "
           "counts the "
           "passages coded with the code.\n\n";
  }
}

void codebook(std::ostream& out, const framework& fw) {
  for (const auto& code : fw.codes) {
    out << heading(3 + code.depth, md_code(code.id) + " " + md(code.label)) << "\n\n";
    if (!code.description.empty()) out << md(code.description) << "\n\n";
    const auto item = [&](std::string_view name, const std::string& text) {
      if (!text.empty()) out << "- **" << name << ":** " << md(text) << '\n';
    };
    item("Include", code.include);
    item("Exclude", code.exclude);
    item("Example", code.example);
    if (!code.include.empty() || !code.exclude.empty() || !code.example.empty()) out << '\n';
  }
}

}  // namespace

void write_matrix_markdown(std::ostream& out, const matrix& m) {
  matrix_table(out, m);
}

void write_chart_markdown(std::ostream& out, const std::vector<chart>& charts) {
  for (const auto& c : charts) chart_table(out, c, 2);
}

void write_cooccurrence_markdown(std::ostream& out, const cooccurrence& c) {
  cooccurrence_tables(out, c);
}

void write_report_markdown(std::ostream& out, const report& r) {
  out << heading(1, md(r.title)) << "\n\n";
  if (!r.generated.empty()) out << "Report generated on " << md(r.generated) << ".\n\n";

  out << heading(2, "Overview") << "\n\n";
  std::string groups;
  for (const auto& [label, n] : r.groups) {
    if (!groups.empty()) groups += ", ";
    groups += fmt::format("{} {}", md(label), n);
  }
  if (!r.ungrouped.empty()) {
    if (!groups.empty()) groups += "; ";
    groups += fmt::format("{} without a group", r.ungrouped.size());
    const auto named = detail::ungrouped_named(r);
    for (std::size_t i = 0; i < named.size(); ++i) groups += (i ? ", " : ": ") + md(named[i]);
  }
  out << "- **Documents:** " << r.documents << '\n';
  out << "- **Cases:** " << r.cases;
  if (!groups.empty()) out << " (" << groups << ")";
  out << '\n';
  out << "- **Codings:** " << r.codings << '\n';
  std::string coders;
  for (const auto& [name, n] : r.coders) {
    if (!coders.empty()) coders += ", ";
    coders += fmt::format("{} ({})", md(name), plural(n, "coding", "codings"));
  }
  out << "- **Coders:** " << (coders.empty() ? "none" : coders) << "\n\n";

  out << heading(2, "Codebook") << "\n\n";
  codebook(out, r.fw);

  out << heading(2, "Themes by group") << "\n\n";
  matrix_table(out, r.theme_matrix);
  out << '\n';

  out << heading(2, "Themes") << "\n\n";
  for (const auto& t : r.themes) {
    chart_table(out, t.summaries, 3);
    if (t.quotes.empty()) continue;
    out << heading(4, "Illustrative quotes") << "\n\n";
    for (const auto& [begin, end] : detail::group_runs(t.quotes)) {
      out << "**" << md(detail::group_label(t.summaries, r.fw, t.quotes[begin].group)) << "**\n\n";
      for (std::size_t i = begin; i < end; ++i) {
        const auto& q = t.quotes[i];
        out << "> " << md(q.text) << "<br>\n> — " << md(q.case_id) << ", " << md_code(q.reference);
        const auto path = detail::path_below(q.code_path, t.summaries.theme_label);
        if (!path.empty()) out << " (" << md(path) << ")";
        out << "\n\n";
      }
    }
  }
}

}  // namespace coding
