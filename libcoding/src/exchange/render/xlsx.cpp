// XLSX outputs of matrices, charts and co-occurrence tables, written with libxlsxwriter
// through the helpers of workbook.hpp.

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "coding/render.hpp"
#include "coding/text.hpp"
#include "numbers.hpp"
#include "workbook.hpp"

namespace coding {
namespace {

using detail::cell_name;
using detail::sheet;
using detail::workbook;

// The Quotes sheet: one quote per row, a frozen header and an autofilter.
void write_quotes(workbook& book, const std::vector<quote>& quotes) {
  sheet ws(book, book.add_quotes_sheet());
  std::set<std::string> names;
  for (const auto& q : quotes)
    for (const auto& [k, v] : q.attributes) names.insert(k);
  // An attribute "group" holding the group of every quote would only repeat that column.
  if (names.contains("group") && std::all_of(quotes.begin(), quotes.end(), [](const quote& q) {
        const auto it = q.attributes.find("group");
        return it == q.attributes.end() || it->second == q.group;
      }))
    names.erase("group");
  const std::vector<std::string> attrs(names.begin(), names.end());

  std::vector<std::string> header = {"document", "case", "group"};
  header.insert(header.end(), attrs.begin(), attrs.end());
  for (const char* h : {"code path", "coder", "location", "text"}) header.emplace_back(h);
  std::vector<std::size_t> widest(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c)
    widest[c] = ws.string(0, c, header[c], book.header) + 2;  // room for the filter button
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    const auto& q = quotes[i];
    std::vector<std::string_view> fields = {q.doc, q.case_id, q.group};
    for (const auto& a : attrs) {
      const auto it = q.attributes.find(a);
      fields.push_back(it == q.attributes.end() ? std::string_view()
                                                : std::string_view(it->second));
    }
    for (const std::string_view f : {std::string_view(q.code_path), std::string_view(q.coder),
                                     std::string_view(q.reference), std::string_view(q.text)})
      fields.push_back(f);
    for (std::size_t c = 0; c < fields.size(); ++c)
      widest[c] = std::max(widest[c], ws.string(i + 1, c, fields[c], book.text));
  }
  const std::size_t last = header.size() - 1;
  for (std::size_t c = 0; c < last; ++c) ws.width(c, widest[c], 8, c == last - 3 ? 50 : 30);
  ws.width(last, widest[last], 20, 90);
  ws.freeze(1, 0);
  ws.autofilter(0, 0, quotes.size(), last);
  ws.finish(0);
}

// The shallowest depth of the rows, from which labels are indented.
int top_depth(const std::vector<matrix_row>& rows) {
  int top = rows.empty() ? 0 : rows.front().depth;
  for (const auto& r : rows) top = std::min(top, r.depth);
  return top;
}

void write_matrix_sheet(workbook& book, const matrix& m, bool active) {
  auto added = book.add_sheet(to_string(m.what));
  // The first sheet is active unless another is asked for; activating it anyway would
  // change nothing a spreadsheet shows, but would change the bytes of the file.
  if (active) worksheet_activate(added.first);
  sheet ws(book, std::move(added));
  const bool percent = m.what == measure::coverage;
  const auto value = [&](double v) { return percent ? v / 100.0 : v; };
  const auto cell = [&](const std::vector<double>& cells, std::size_t c) {
    return value(c < cells.size() ? cells[c] : 0.0);
  };
  const std::size_t first = 2;  // data columns start after code and label
  const std::size_t total_col = first + m.columns.size();

  ws.string(0, 0, detail::matrix_heading(m), book.title);
  std::vector<std::size_t> widest(total_col + 1, 0);
  widest[0] = ws.string(1, 0, "code", book.header);
  widest[1] = ws.string(1, 1, m.level == matrix_level::theme ? "theme" : "label", book.header);
  for (std::size_t c = 0; c <= m.columns.size(); ++c) {
    const auto h = c < m.columns.size()
                       ? fmt::format("{} (n={})", m.columns[c].label, m.columns[c].n)
                       : fmt::format("Total (n={})", m.n);
    widest[first + c] = ws.string(1, first + c, h, book.header_number);
  }

  const int top = top_depth(m.rows);
  std::size_t r = first;
  for (const auto& row : m.rows) {
    const auto indent = static_cast<std::size_t>(row.depth - top);
    widest[0] = std::max(widest[0], ws.string(r, 0, row.code, book.text));
    widest[1] = std::max(widest[1],
                         ws.string(r, 1, row.label, book.indented(row.depth - top)) + 2 * indent);
    for (std::size_t c = 0; c < m.columns.size(); ++c)
      ws.number(r, first + c, cell(row.cells, c), percent ? book.percent : book.count);
    ws.number(r, total_col, value(row.total), percent ? book.strong_percent : book.strong_count);
    ++r;
  }
  ws.blank(r, 0, book.total_text);
  ws.string(r, 1, "Total", book.total_text);
  for (std::size_t c = 0; c < m.columns.size(); ++c)
    ws.number(r, first + c, cell(m.total.cells, c),
              percent ? book.total_percent : book.total_count);
  ws.number(r, total_col, value(m.total.total), percent ? book.total_percent : book.total_count);

  if (!m.rows.empty() && !m.columns.empty()) {
    const std::size_t last_row = first + m.rows.size() - 1;
    if (m.what == measure::cases) {
      // Each column from none to all of its n cases, so that groups of different sizes compare.
      for (std::size_t c = 0; c < m.columns.size(); ++c)
        ws.heat(first, first + c, last_row, first + c,
                static_cast<double>(std::max<std::size_t>(m.columns[c].n, 1)));
    } else {
      ws.heat(first, first, last_row, total_col - 1, std::nullopt);
    }
  }

  ws.width(0, widest[0], 6, 24);
  ws.width(1, widest[1], 12, 50);
  for (std::size_t c = first; c <= total_col; ++c) ws.width(c, widest[c], 9, 18);
  ws.freeze(2, 2);
  ws.finish(1);
}

// One entry of a chart cell: the summary, a blank line, the references and the quotes.
std::string entry_text(const chart_entry& e, bool with_case) {
  std::string out = with_case ? e.case_id + ": " : std::string();
  if (!e.summary.empty()) out += (e.draft ? "[draft] " : "") + e.summary;
  if (!e.passages.empty()) {
    if (!e.summary.empty()) out += "\n\n";
    for (std::size_t i = 0; i < e.passages.size(); ++i)
      out += (i == 0 ? "" : "; ") + e.passages[i].reference;
    for (const auto& p : e.passages)
      if (!p.quote.empty()) out += fmt::format("\n“{}” ({})", p.quote, p.reference);
  }
  return out;
}

std::string cell_of(const chart_cell& cell, bool group_rows) {
  std::string out;
  for (const auto& e : cell.entries) {
    if (!out.empty()) out += "\n\n";
    out += entry_text(e, group_rows);
  }
  return out;
}

void write_chart_sheet(workbook& book, const chart& ch) {
  sheet ws(book, book.add_sheet(ch.theme_label.empty() ? ch.theme : ch.theme_label));
  const std::size_t first = 1 + ch.attributes.size();  // the sub-theme columns
  const std::size_t width = first + ch.columns.size();

  ws.string(0, 0,
            (ch.theme_label.empty() || ch.theme_label == ch.theme
                 ? ch.theme
                 : fmt::format("{} ({})", ch.theme_label, ch.theme)) +
                (ch.coders.size() > 1 ? " - " + detail::chart_pooled_note(ch.coders) : ""),
            book.title);
  std::vector<std::size_t> widest(width, 0);
  widest[0] = ws.string(1, 0, ch.group_rows ? "group" : "case", book.header);
  for (std::size_t a = 0; a < ch.attributes.size(); ++a)
    widest[1 + a] = ws.string(1, 1 + a, ch.attributes[a], book.header);
  for (std::size_t c = 0; c < ch.columns.size(); ++c)
    widest[first + c] = ws.string(1, first + c, ch.columns[c].label, book.header);

  std::size_t r = 2;
  for (const auto& g : ch.groups) {
    const auto label = fmt::format("{} (n={})", g.label, g.n);
    if (!ch.group_rows) {
      ws.string(r, 0, label, book.group);
      for (std::size_t c = 1; c < width; ++c) ws.blank(r, c, book.group);
      ++r;
    }
    for (const auto& row : g.rows) {
      const auto name = ch.group_rows ? label
                        : row.label.empty() || row.label == row.id
                            ? row.id
                            : fmt::format("{} ({})", row.id, row.label);
      widest[0] = std::max(widest[0],
                           ws.string(r, 0, name, ch.group_rows ? book.group_wrapped : book.text));
      for (std::size_t a = 0; a < ch.attributes.size(); ++a) {
        const std::string_view v =
            a < row.attributes.size() ? std::string_view(row.attributes[a]) : std::string_view();
        widest[1 + a] = std::max(widest[1 + a], ws.string(r, 1 + a, v, book.text));
      }
      for (std::size_t c = 0; c < ch.columns.size(); ++c) {
        const auto text =
            c < row.cells.size() ? cell_of(row.cells[c], ch.group_rows) : std::string();
        widest[first + c] = std::max(widest[first + c], ws.string(r, first + c, text, book.text));
      }
      ++r;
    }
  }

  ws.width(0, widest[0], 8, 30);
  for (std::size_t a = 0; a < ch.attributes.size(); ++a) ws.width(1 + a, widest[1 + a], 8, 20);
  for (std::size_t c = first; c < width; ++c) ws.width(c, widest[c], 16, 60);
  ws.freeze(2, first);
  ws.finish(1);
}

// `high`: the largest count off the diagonal in any table, so that tables compare.
void write_cooccurrence_sheet(workbook& book, const cooccurrence& co, const cooccur_table& t,
                              double high) {
  const auto& name = t.label.empty() ? (t.id.empty() ? std::string("All cases") : t.id) : t.label;
  sheet ws(book, book.add_sheet(name));
  const std::size_t first = 2;
  const std::size_t n = co.codes.size();
  ws.string(0, 0, fmt::format("Passages where two codes apply: {} (n={})", name, t.n), book.title);
  std::vector<std::size_t> widest(first + n, 0);
  widest[0] = ws.string(1, 0, "code", book.header);
  widest[1] = ws.string(1, 1, co.level == matrix_level::theme ? "theme" : "label", book.header);
  for (std::size_t j = 0; j < n; ++j)  // long labels wrap in the header: a count needs little room
    widest[first + j] =
        std::min<std::size_t>(ws.string(1, first + j, co.codes[j].label, book.header_number), 14);
  const int top = top_depth(co.codes);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& code = co.codes[i];
    const auto indent = static_cast<std::size_t>(code.depth - top);
    widest[0] = std::max(widest[0], ws.string(first + i, 0, code.code, book.text));
    widest[1] =
        std::max(widest[1],
                 ws.string(first + i, 1, code.label, book.indented(code.depth - top)) + 2 * indent);
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t v = i < t.counts.size() && j < t.counts[i].size() ? t.counts[i][j] : 0;
      ws.number(first + i, first + j, static_cast<double>(v), i == j ? book.diagonal : book.count);
    }
  }
  if (n > 1) {
    // Heat over the pairs only: the diagonal (passages of one code) would swamp them.
    std::string ranges;
    const auto add = [&](std::size_t row, std::size_t c1, std::size_t c2) {
      if (!ranges.empty()) ranges += ' ';
      ranges += c1 == c2 ? cell_name(row, c1) : cell_name(row, c1) + ":" + cell_name(row, c2);
    };
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) add(first + i, first, first + i - 1);
      if (i + 1 < n) add(first + i, first + i + 1, first + n - 1);
    }
    ws.heat(first, first, first + n - 1, first + n - 1, high, ranges);
  }
  ws.width(0, widest[0], 6, 24);
  ws.width(1, widest[1], 12, 50);
  for (std::size_t j = 0; j < n; ++j) ws.width(first + j, widest[first + j], 8, 16);
  ws.freeze(2, 2);
  ws.finish(1);
}

}  // namespace

void write_matrix_xlsx(std::ostream& out, const std::vector<matrix>& measures,
                       const std::vector<quote>& quotes, std::size_t active) {
  workbook book;
  book.reserve_quotes();
  for (std::size_t i = 0; i < measures.size(); ++i)
    write_matrix_sheet(book, measures[i], i == active && i != 0);
  write_quotes(book, quotes);
  book.finish(out);
}

void write_chart_xlsx(std::ostream& out, const std::vector<chart>& charts,
                      const std::vector<quote>& quotes) {
  workbook book;
  book.reserve_quotes();
  for (const auto& ch : charts) write_chart_sheet(book, ch);
  write_quotes(book, quotes);
  book.finish(out);
}

void write_cooccurrence_xlsx(std::ostream& out, const cooccurrence& c,
                             const std::vector<quote>& quotes) {
  workbook book;
  book.reserve_quotes();
  std::size_t high = 1;
  for (const auto& t : c.tables)
    for (std::size_t i = 0; i < t.counts.size(); ++i)
      for (std::size_t j = 0; j < t.counts[i].size(); ++j)
        if (i != j) high = std::max(high, t.counts[i][j]);
  for (const auto& t : c.tables) write_cooccurrence_sheet(book, c, t, static_cast<double>(high));
  write_quotes(book, quotes);
  book.finish(out);
}

}  // namespace coding
