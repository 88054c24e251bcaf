#include "coding/exchange.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "coding/error.hpp"
#include "coding/project.hpp"
#include "coding/speakers.hpp"
#include "coding/text.hpp"
#include "json.hpp"
#include "render/numbers.hpp"

namespace coding {
namespace {

std::string cell_text(double value, measure what) {
  if (what == measure::coverage) return fmt::format("{:.1f}", value);
  return fmt::format("{}", static_cast<std::int64_t>(std::llround(value)));
}

std::string pad(std::string_view s, std::size_t width, bool right) {
  const auto w = display_width(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + std::string(s) : std::string(s) + fill;
}

}  // namespace

format parse_format(std::string_view name, const std::vector<format>& allowed) {
  std::vector<std::string> names;
  for (const auto f : allowed) {
    if (to_string(f) == name) return f;
    names.emplace_back(to_string(f));
  }
  throw input_error(unknown_message("format", name, "", names) +
                    fmt::format(" (choose one of: {})", fmt::join(names, ", ")));
}

std::string_view to_string(format f) {
  switch (f) {
    case format::table:
      return "table";
    case format::csv:
      return "csv";
    case format::json:
      return "json";
    case format::text:
      return "text";
    case format::lines:
      return "lines";
    case format::md:
      return "md";
    case format::html:
      return "html";
    case format::xlsx:
      return "xlsx";
  }
  return "";
}

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out << ',';
    out << csv_field(fields[i]);
  }
  out << '\n';
}

void write_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& right_aligned, std::size_t wrap_width) {
  using cell_lines = std::vector<std::string>;
  auto split = [&](const std::string& cell) -> cell_lines {
    if (wrap_width == 0 ||
        (display_width(cell) <= wrap_width && cell.find('\n') == std::string::npos))
      return {cell};
    return wrap_text(cell, wrap_width);
  };
  auto split_row = [&](const std::vector<std::string>& row) {
    std::vector<cell_lines> cells;
    for (const auto& cell : row) cells.push_back(split(cell));
    return cells;
  };
  const auto head = split_row(header);
  std::vector<std::vector<cell_lines>> body;
  for (const auto& row : rows) body.push_back(split_row(row));

  std::vector<std::size_t> widths(header.size(), 0);
  auto widen = [&](const std::vector<cell_lines>& row) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
      for (const auto& l : row[c]) widths[c] = std::max(widths[c], display_width(l));
  };
  widen(head);
  for (const auto& row : body) widen(row);

  auto print = [&](const std::vector<cell_lines>& cells, bool bottom_align) {
    std::size_t height = 0;
    for (const auto& c : cells) height = std::max(height, c.size());
    for (std::size_t k = 0; k < height; ++k) {
      std::string s;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        // Header cells sit on the bottom line so that the labels meet the rule.
        const std::size_t offset = bottom_align ? height - cells[c].size() : 0;
        const std::string& text =
            k >= offset && k - offset < cells[c].size() ? cells[c][k - offset] : std::string();
        const bool right = c < right_aligned.size() && right_aligned[c];
        const bool last = c + 1 == cells.size();
        s += (last && !right) ? text : pad(text, widths[c], right);
        if (!last) s += "  ";
      }
      while (!s.empty() && s.back() == ' ') s.pop_back();
      out << s << '\n';
    }
  };
  print(head, true);
  std::vector<cell_lines> rule;
  for (const auto w : widths) rule.push_back({std::string(w, '-')});
  print(rule, false);
  for (const auto& row : body) print(row, false);
}

void write_matrix(std::ostream& out, const matrix& m, format f) {
  const auto json_number = [&](detail::json_writer& j, double v) {
    if (m.what == measure::coverage)
      j.value(v);
    else
      j.value(static_cast<std::int64_t>(std::llround(v)));
  };
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_object();
    j.field("by", m.by).field("measure", to_string(m.what)).field("level", to_string(m.level));
    j.field("n", m.n);
    j.key("columns").begin_array();
    for (const auto& c : m.columns)
      j.begin_object().field("id", c.id).field("label", c.label).field("n", c.n).end_object();
    j.end_array();
    j.key("rows").begin_array();
    for (const auto& r : m.rows) {
      j.begin_object().field("code", r.code).field("label", r.label);
      j.key("cells").begin_array();
      for (const double v : r.cells) json_number(j, v);
      j.end_array();
      j.key("total");
      json_number(j, r.total);
      j.end_object();
    }
    j.end_array();
    j.key("total").begin_object().key("cells").begin_array();
    for (const double v : m.total.cells) json_number(j, v);
    j.end_array().key("total");
    json_number(j, m.total.total);
    j.end_object();
    j.end_object();
    return;
  }
  if (f == format::csv) {
    const auto text = [&](double v) {
      return m.what == measure::coverage ? fmt::format("{:.2f}", v) : cell_text(v, m.what);
    };
    std::vector<std::string> header = {"code", "label"};
    for (const auto& c : m.columns) header.push_back(c.label);
    header.push_back("Total");
    write_csv_row(out, header);
    const auto emit = [&](const matrix_row& r) {
      std::vector<std::string> fields = {r.code, r.label};
      for (const double v : r.cells) fields.push_back(text(v));
      fields.push_back(text(r.total));
      write_csv_row(out, fields);
    };
    for (const auto& r : m.rows) emit(r);
    emit(m.total);
    return;
  }
  if (f != format::table)
    throw input_error(fmt::format("a matrix cannot be written as {}", to_string(f)));
  out << detail::matrix_heading(m) << "\n\n";
  // cases as "k/n (p%)": the count of the column's n cases, with the share.
  const auto text = [&](double v, std::size_t n) {
    if (m.what != measure::cases) return cell_text(v, m.what);
    const auto k = static_cast<std::int64_t>(std::llround(v));
    if (n == 0) return fmt::format("{}/0", k);
    return fmt::format("{}/{} ({}%)", k, n, std::llround(100.0 * v / static_cast<double>(n)));
  };
  std::vector<std::string> header = {std::string(detail::row_noun(m.level, false))};
  std::vector<bool> right = {false};
  for (const auto& c : m.columns) {
    header.push_back(fmt::format("{} (n={})", c.label, c.n));
    right.push_back(true);
  }
  header.push_back(fmt::format("Total (n={})", m.n));
  right.push_back(true);
  std::vector<std::vector<std::string>> rows;
  const auto add = [&](const matrix_row& r, std::string label) {
    std::vector<std::string> row = {std::move(label)};
    for (std::size_t c = 0; c < r.cells.size(); ++c)
      row.push_back(text(r.cells[c], m.columns[c].n));
    row.push_back(text(r.total, m.n));
    rows.push_back(std::move(row));
  };
  for (const auto& r : m.rows)
    add(r, std::string(static_cast<std::size_t>(std::max(0, r.depth - 1)) * 2, ' ') + r.label);
  add(m.total, "Total");
  write_table(out, header, rows, right, 36);
}

std::string chart_cell_text(const chart_cell& cell, bool group_rows) {
  std::vector<std::string> blocks;
  for (const auto& e : cell.entries) {
    std::vector<std::string> lines;
    const std::string who = group_rows ? e.case_id + ": " : "";
    if (!e.summary.empty()) lines.push_back(who + (e.draft ? "[draft] " : "") + e.summary);
    std::vector<std::string> refs;
    // Shifted codings of one passage by two coders cite the same lines: once is enough.
    for (const auto& p : e.passages)
      if (std::find(refs.begin(), refs.end(), p.reference) == refs.end())
        refs.push_back(p.reference);
    if (!refs.empty())
      lines.push_back((lines.empty() ? who : std::string()) +
                      fmt::format("{}", fmt::join(refs, ", ")));
    for (const auto& p : e.passages)
      if (!p.quote.empty())
        lines.push_back(fmt::format("\u201c{}\u201d ({})", p.quote, p.reference));
    blocks.push_back(fmt::format("{}", fmt::join(lines, "\n")));
  }
  return fmt::format("{}", fmt::join(blocks, "\n\n"));
}

void write_charts(std::ostream& out, const std::vector<chart>& charts, format f) {
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_array();
    for (const auto& c : charts) {
      j.begin_object()
          .field("theme", c.theme)
          .field("label", c.theme_label)
          .field("rows", c.group_rows ? "groups" : "cases");
      j.key("attributes").begin_array();
      for (const auto& a : c.attributes) j.value(a);
      j.end_array();
      j.key("columns").begin_array();
      for (const auto& col : c.columns)
        j.begin_object().field("code", col.code).field("label", col.label).end_object();
      j.end_array();
      j.key("groups").begin_array();
      for (const auto& g : c.groups) {
        j.begin_object().field("id", g.id).field("label", g.label).field("n", g.n);
        j.key("rows").begin_array();
        for (const auto& r : g.rows) {
          j.begin_object().field("id", r.id).field("label", r.label);
          j.key("attributes").begin_object();
          for (std::size_t a = 0; a < c.attributes.size() && a < r.attributes.size(); ++a)
            j.field(c.attributes[a], r.attributes[a]);
          j.end_object();
          j.key("cells").begin_array();
          for (const auto& cell : r.cells) {
            j.begin_array();
            for (const auto& e : cell.entries) {
              j.begin_object()
                  .field("case", e.case_id)
                  .field("summary", e.summary)
                  .field("draft", e.draft);
              j.key("passages").begin_array();
              for (const auto& p : e.passages) {
                j.begin_object()
                    .field("doc", p.doc)
                    .field("start", p.where.start)
                    .field("end", p.where.end);
                j.field("reference", p.reference).field("coder", p.coder);
                if (!p.quote.empty()) j.field("quote", p.quote);
                j.end_object();
              }
              j.end_array().end_object();
            }
            j.end_array();
          }
          j.end_array().end_object();
        }
        j.end_array().end_object();
      }
      j.end_array().end_object();
    }
    j.end_array();
    return;
  }
  if (f == format::csv) {
    if (charts.size() != 1)
      throw input_error(
          "CSV holds one chart; name one theme (or use --format xlsx, html, md or json)");
    const auto& c = charts.front();
    std::vector<std::string> header = {"group", c.group_rows ? "group id" : "case", "label"};
    for (const auto& a : c.attributes) header.push_back(a);
    for (const auto& col : c.columns) header.push_back(col.label);
    write_csv_row(out, header);
    for (const auto& g : c.groups)
      for (const auto& r : g.rows) {
        std::vector<std::string> fields = {g.label, r.id, r.label};
        for (const auto& a : r.attributes) fields.push_back(a);
        for (const auto& cell : r.cells) fields.push_back(chart_cell_text(cell, c.group_rows));
        write_csv_row(out, fields);
      }
    return;
  }
  if (f != format::table)
    throw input_error(fmt::format("a chart cannot be written as {}", to_string(f)));
  for (std::size_t i = 0; i < charts.size(); ++i) {
    const auto& c = charts[i];
    if (i) out << '\n';
    out << fmt::format("{} ({}): {}\n", c.theme_label, c.theme,
                       c.group_rows ? "one row per group" : "one row per case");
    if (const auto pooled = detail::chart_pooled_note(c.coders); !pooled.empty())
      out << pooled << '\n';
    out << '\n';
    std::vector<std::string> header = {c.group_rows ? "group" : "case"};
    for (const auto& a : c.attributes) header.push_back(a);
    for (const auto& col : c.columns) header.push_back(col.label);
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : c.groups) {
      if (!c.group_rows) {
        std::vector<std::string> label_row(header.size());
        label_row[0] = fmt::format("{} (n={})", g.label, g.n);
        rows.push_back(std::move(label_row));
      }
      for (const auto& r : g.rows) {
        std::vector<std::string> row = {c.group_rows ? fmt::format("{} (n={})", g.label, g.n)
                                                     : "  " + r.id};
        for (const auto& a : r.attributes) row.push_back(a);
        for (const auto& cell : r.cells) row.push_back(chart_cell_text(cell, c.group_rows));
        rows.push_back(std::move(row));
      }
    }
    write_table(out, header, rows, {}, 30);
  }
}

void write_cooccurrence(std::ostream& out, const cooccurrence& c, format f) {
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_object().field("level", to_string(c.level)).field("by", c.by);
    j.key("codes").begin_array();
    for (const auto& code : c.codes)
      j.begin_object().field("code", code.code).field("label", code.label).end_object();
    j.end_array();
    j.key("tables").begin_array();
    for (const auto& t : c.tables) {
      j.begin_object().field("id", t.id).field("label", t.label).field("n", t.n);
      j.key("counts").begin_array();
      for (const auto& row : t.counts) {
        j.begin_array();
        for (const auto v : row) j.value(v);
        j.end_array();
      }
      j.end_array().end_object();
    }
    j.end_array().end_object();
    return;
  }
  if (f == format::csv) {
    std::vector<std::string> header = {"table", "code", "label"};
    for (const auto& code : c.codes) header.push_back(code.code);
    write_csv_row(out, header);
    for (const auto& t : c.tables)
      for (std::size_t i = 0; i < c.codes.size(); ++i) {
        std::vector<std::string> fields = {t.label, c.codes[i].code, c.codes[i].label};
        for (const auto v : t.counts[i]) fields.push_back(std::to_string(v));
        write_csv_row(out, fields);
      }
    return;
  }
  if (f != format::table)
    throw input_error(fmt::format("co-occurrence cannot be written as {}", to_string(f)));
  for (std::size_t k = 0; k < c.tables.size(); ++k) {
    const auto& t = c.tables[k];
    if (k) out << '\n';
    out << fmt::format("Passages where both {} apply: {} (n={})\n\n",
                       c.level == matrix_level::theme ? "themes" : "codes", t.label, t.n);
    std::vector<std::string> header = {c.level == matrix_level::theme ? "theme" : "code", "label"};
    std::vector<bool> right = {false, false};
    for (const auto& code : c.codes) {
      header.push_back(code.code);
      right.push_back(true);
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < c.codes.size(); ++i) {
      std::vector<std::string> row = {
          std::string(
              static_cast<std::size_t>(c.codes[i].depth > 0 ? 2 * (c.codes[i].depth - 1) : 0),
              ' ') +
              c.codes[i].code,
          c.codes[i].label};
      for (const auto v : t.counts[i]) row.push_back(std::to_string(v));
      rows.push_back(std::move(row));
    }
    write_table(out, header, rows, right, 36);
  }
}

void write_summaries(std::ostream& out, const std::vector<summary>& summaries, format f) {
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_array();
    for (const auto& s : summaries)
      j.begin_object()
          .field("case", s.case_id)
          .field("code", s.code)
          .field("summary", s.text)
          .field("draft", s.draft)
          .field("author", s.author)
          .field("updated", s.updated)
          .end_object();
    j.end_array();
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : summaries)
    rows.push_back({s.case_id, s.code, (s.draft ? "[draft] " : "") + s.text});
  write_table(out, {"case", "code", "summary"}, rows, {}, 60);
}

namespace {

// Both forms of write_codings: `who` adds the attribution columns when given.
void codings_out(std::ostream& out, const std::vector<coding_record>& codings, format f,
                 const speaker_index* who) {
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_array();
    for (const auto& c : codings) {
      j.begin_object().field("doc", c.doc).field("start", c.start).field("end", c.end);
      j.field("code", c.code).field("coder", c.coder).field("memo", c.memo);
      j.field("created", c.created).field("review", c.review).field("text", c.text);
      if (who) {
        const auto s = who->of(c.doc, c.start, c.end);
        auto list = [&](const char* name, const std::vector<std::string>& values) {
          j.key(name).begin_array();
          for (const auto& x : values) j.value(x);
          j.end_array();
        };
        list("cases", s.cases);
        list("groups", s.groups);
        list("speakers", s.speakers);
      }
      j.end_object();
    }
    j.end_array();
    return;
  }
  if (f != format::csv)
    throw input_error(fmt::format("codings cannot be written as {}", to_string(f)));
  // New columns go at the end: exports read back by position-blind importers keep working.
  std::vector<std::string> header = {"doc",  "start",   "end",    "code", "coder",
                                     "memo", "created", "review", "text"};
  if (who) header.insert(header.end(), {"case", "group", "speaker"});
  write_csv_row(out, header);
  for (const auto& c : codings) {
    std::vector<std::string> row = {c.doc,
                                    std::to_string(c.start),
                                    std::to_string(c.end),
                                    c.code,
                                    c.coder,
                                    c.memo,
                                    c.created,
                                    c.review,
                                    c.text};
    if (who) {
      const auto s = who->of(c.doc, c.start, c.end);
      row.insert(row.end(), {fmt::format("{}", fmt::join(s.cases, "; ")),
                             fmt::format("{}", fmt::join(s.groups, "; ")),
                             fmt::format("{}", fmt::join(s.speakers, "; "))});
    }
    write_csv_row(out, row);
  }
}

}  // namespace

void write_codings(std::ostream& out, const std::vector<coding_record>& codings, format f) {
  codings_out(out, codings, f, nullptr);
}

void write_codings(std::ostream& out, const std::vector<coding_record>& codings, format f,
                   const speaker_index& who) {
  codings_out(out, codings, f, &who);
}

void write_document_list(std::ostream& out, const std::vector<document_info>& docs, format f) {
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_array();
    for (const auto& d : docs) {
      j.begin_object().field("id", d.id).field("title", d.title).field("case", d.case_id);
      j.field("source", d.source_name).field("characters", d.length).field("lines", d.lines);
      j.field("turns", d.turns).field("codings", d.codings).end_object();
    }
    j.end_array();
    return;
  }
  if (f == format::lines) {
    for (const auto& d : docs) out << d.id << '\n';
    return;
  }
  if (f != format::table)
    throw input_error(fmt::format("a document list cannot be written as {}", to_string(f)));
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : docs)
    rows.push_back({d.id, d.title, d.case_id.value_or("(group)"), std::to_string(d.turns),
                    std::to_string(d.lines), std::to_string(d.length), std::to_string(d.codings)});
  write_table(out, {"id", "title", "case", "turns", "lines", "characters", "codings"}, rows,
              {false, false, false, true, true, true, true});
}

void write_document(std::ostream& out, const document& doc, format f) {
  switch (f) {
    case format::text:
      out << doc.text;
      return;
    case format::lines: {
      const text_index index(doc.text);
      const auto width = std::to_string(index.line_count()).size();
      for (std::size_t l = 1; l <= index.line_count(); ++l)
        out << fmt::format("{:>{}}  {}\n", l, width,
                           index.slice(index.line_start(l), index.line_end(l)));
      return;
    }
    case format::json: {
      detail::json_writer j(out);
      j.begin_object().field("id", doc.id).field("title", doc.title).field("case", doc.case_id);
      j.field("text", doc.text);
      j.key("turns").begin_array();
      for (const auto& t : doc.turns) {
        j.begin_object().field("speaker", t.speaker).field("case", t.case_id);
        j.field("start", t.start).field("end", t.end).field("time", t.time).end_object();
      }
      j.end_array().end_object();
      return;
    }
    default:
      throw input_error(fmt::format("a document cannot be written as {}", to_string(f)));
  }
}

void write_history_json(std::ostream& out, const std::vector<history_entry>& entries) {
  detail::json_writer j(out);
  j.begin_array();
  for (const auto& e : entries) {
    j.begin_object().field("id", e.id).field("time", e.time).field("coder", e.coder);
    j.field("command", e.command)
        .field("summary", e.summary)
        .field("undone", e.undone)
        .field("compacted", e.compacted)
        .end_object();
  }
  j.end_array();
}

void write_saved_queries_json(std::ostream& out, const std::vector<saved_query>& queries) {
  detail::json_writer j(out);
  j.begin_array();
  for (const auto& q : queries)
    j.begin_object()
        .field("name", q.name)
        .field("expression", q.expression)
        .field("author", q.author)
        .field("updated", q.updated)
        .end_object();
  j.end_array();
}

void write_framework_tree(std::ostream& out, const framework& fw) {
  out << fmt::format("{}: {}\n", fw.id, fw.title);
  out << fmt::format("groups (case attribute '{}'):", fw.group_attribute);
  for (const auto& g : fw.groups) out << fmt::format(" {} ({})", g.id, g.label);
  out << "\n\n";
  std::size_t width = 0;
  for (const auto& c : fw.codes)
    width = std::max(width, c.id.size() + 2 * static_cast<std::size_t>(c.depth));
  for (const auto& c : fw.codes) {
    const std::string indent(2 * static_cast<std::size_t>(c.depth), ' ');
    out << indent << pad(c.id, width - indent.size(), false) << "  " << c.label << '\n';
  }
}

}  // namespace coding
