// Query results (docs/queries.md) as table, csv, json, md and html: one passage per row.
// The html page uses the shell and escaper of the other pages (page.hpp).

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

}  // namespace

const std::vector<format>& query_formats() {
  static const std::vector<format> formats = {format::table, format::csv, format::json, format::md,
                                              format::html};
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
    default:
      throw input_error(fmt::format(
          "query results cannot be written as {}: use table, csv, json, md or html", to_string(f)));
  }
}

}  // namespace coding
