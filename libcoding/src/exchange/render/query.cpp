// Query results (docs/queries.md) as table, csv, json, md, html and xlsx: one passage per
// row. The html page uses the shell and escaper of the other pages (page.hpp), the
// workbook the helpers of the other workbooks (workbook.hpp).

#include "coding/query.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <ostream>
#include <set>

#include "../json.hpp"
#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/render.hpp"
#include "coding/version.hpp"
#include "page.hpp"
#include "workbook.hpp"

namespace coding {
namespace {

using detail::esc;

std::string cases_text(const query_passage& p) {
  return p.cases.empty() ? std::string("-") : fmt::format("{}", fmt::join(p.cases, "; "));
}

std::string counted(const query_result& r) {
  std::set<std::string> docs;
  for (const auto& p : r.passages) docs.insert(p.doc);
  return fmt::format("{} in {}", plural(r.passages.size(), "passage", "passages"),
                     plural(docs.size(), "document", "documents"));
}

void write_query_html(std::ostream& out, const query_result& r, const render_options& o) {
  const auto title = o.title.empty() ? std::string("Query") : fmt::format("{}: query", o.title);
  detail::page_begin(out, title, true);
  out << "<main>\n<h1>" << esc(title) << "</h1>\n<p class=\"meta\">Made with qcode "
      << esc(version()) << ".</p>\n<dl class=\"overview\"><dt>Query</dt><dd><code>"
      << esc(r.expression) << "</code></dd><dt>Passages</dt><dd>" << r.passages.size()
      << "</dd></dl>\n";
  if (r.passages.empty()) {
    out << "<p>The query matches no passage.</p>\n</main>\n";
    detail::page_end(out);
    return;
  }
  out << "<div class=\"scroll\">\n<table class=\"passages\">\n<caption><span class=\"what\">"
         "Passages the query finds</span>, in document order, with the cases they count "
         "for.</caption>\n<thead>\n<tr><th scope=\"col\">Document</th><th "
         "scope=\"col\">Where</th><th scope=\"col\">Cases</th><th "
         "scope=\"col\">Text</th></tr>\n</thead>\n<tbody>\n";
  for (const auto& p : r.passages)
    out << "<tr><td>" << esc(p.doc) << "</td><td><span class=\"ref\">" << esc(p.reference)
        << "</span></td><td>" << esc(cases_text(p)) << "</td><td><blockquote>" << esc(p.text)
        << "</blockquote></td></tr>\n";
  out << "</tbody>\n</table>\n</div>\n</main>\n";
  detail::page_end(out);
}

// One sheet: the query and its count as a title, then a row per passage with the numbers
// as numbers, a frozen header and a filter.
void write_query_xlsx(std::ostream& out, const query_result& r) {
  detail::workbook book;
  detail::sheet ws(book, book.add_sheet("Query"));
  ws.string(0, 0, fmt::format("Query {}: {}", r.expression, counted(r)), book.title);
  const std::vector<std::string> header = {"document",  "start", "end",
                                           "reference", "cases", "text"};
  std::vector<std::size_t> widest(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c)
    widest[c] = ws.string(1, c, header[c], book.header) + 2;  // room for the filter button
  for (std::size_t i = 0; i < r.passages.size(); ++i) {
    const auto& p = r.passages[i];
    const std::size_t row = i + 2;
    widest[0] = std::max(widest[0], ws.string(row, 0, p.doc, book.text));
    ws.number(row, 1, static_cast<double>(p.where.start), book.count);
    ws.number(row, 2, static_cast<double>(p.where.end), book.count);
    widest[3] = std::max(widest[3], ws.string(row, 3, p.reference, book.text));
    widest[4] = std::max(widest[4], ws.string(row, 4, cases_text(p), book.text));
    widest[5] = std::max(widest[5], ws.string(row, 5, p.text, book.text));
  }
  ws.width(0, widest[0], 8, 20);
  ws.width(1, widest[1], 7, 10);
  ws.width(2, widest[2], 7, 10);
  ws.width(3, widest[3], 10, 24);
  ws.width(4, widest[4], 8, 30);
  ws.width(5, widest[5], 30, 80);
  ws.freeze(2, 0);
  ws.autofilter(1, 0, r.passages.size() + 1, header.size() - 1);
  ws.finish(1);
  book.finish(out);
}

}  // namespace

const std::vector<format>& query_formats() {
  static const std::vector<format> formats = {format::table, format::csv,  format::json,
                                              format::md,    format::html, format::xlsx};
  return formats;
}

void write(std::ostream& out, const query_result& r, format f, const render_options& o) {
  switch (f) {
    case format::table: {
      std::vector<std::vector<std::string>> rows;
      for (const auto& p : r.passages) rows.push_back({p.reference, cases_text(p), p.text});
      write_table(out, {"where", "cases", "text"}, rows, {}, 60);
      out << counted(r) << '\n';
      return;
    }
    case format::csv:
      write_csv_row(out, {"doc", "start", "end", "reference", "cases", "text"});
      for (const auto& p : r.passages)
        write_csv_row(out, {p.doc, std::to_string(p.where.start), std::to_string(p.where.end),
                            p.reference, fmt::format("{}", fmt::join(p.cases, "; ")), p.text});
      return;
    case format::json: {
      detail::json_writer j(out);
      j.begin_object().field("query", r.expression);
      j.key("passages").begin_array();
      for (const auto& p : r.passages) {
        j.begin_object()
            .field("doc", p.doc)
            .field("start", p.where.start)
            .field("end", p.where.end)
            .field("reference", p.reference);
        j.key("cases").begin_array();
        for (const auto& c : p.cases) j.value(c);
        j.end_array();
        j.field("text", p.text).end_object();
      }
      j.end_array().end_object();
      return;
    }
    case format::md:
      out << "## Query " << detail::md_code(r.expression) << "\n\n" << counted(r) << ".\n\n";
      if (r.passages.empty()) return;
      out << "| Where | Cases | Text |\n|---|---|---|\n";
      for (const auto& p : r.passages)
        out << "| " << detail::md(p.reference) << " | " << detail::md(cases_text(p)) << " | "
            << detail::md(p.text) << " |\n";
      return;
    case format::html:
      return write_query_html(out, r, o);
    case format::xlsx:
      return write_query_xlsx(out, r);
    default:
      throw input_error(fmt::format(
          "query results cannot be written as {}: use table, csv, json, md, html or xlsx",
          to_string(f)));
  }
}

}  // namespace coding
