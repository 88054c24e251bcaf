#pragma once
/// \file
/// Page and spreadsheet outputs of matrices, charts, co-occurrence tables, reports and agreement:
/// Markdown (GitHub-flavoured pipe tables), HTML (one self-contained file: no network,
/// inline CSS and script, heat shading, click a cell for its quotes, prints cleanly) and
/// XLSX (libxlsxwriter: frozen header rows, wrapped text, set column widths, heat colours,
/// a sheet per measure or per theme, and a Quotes sheet with one quote per row).
/// The numbers are those of the JSON output of the same command.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "coding/agreement.hpp"
#include "coding/analysis.hpp"
#include "coding/chart.hpp"
#include "coding/cooccur.hpp"
#include "coding/exchange.hpp"
#include "coding/query.hpp"
#include "coding/quotes.hpp"
#include "coding/report.hpp"

namespace coding {

void write_matrix_markdown(std::ostream& out, const matrix& m);
void write_chart_markdown(std::ostream& out, const std::vector<chart>& charts);
void write_cooccurrence_markdown(std::ostream& out, const cooccurrence& c);
void write_report_markdown(std::ostream& out, const report& r);

/// `quotes` are those of matrix_quotes (keyed by row code and column value).
void write_matrix_html(std::ostream& out, const matrix& m, const std::vector<quote>& quotes,
                       std::string_view title);
void write_chart_html(std::ostream& out, const std::vector<chart>& charts, std::string_view title);
/// `quotes` are those of cooccurrence_quotes (keyed by table, row code, column code).
void write_cooccurrence_html(std::ostream& out, const cooccurrence& c,
                             const std::vector<quote>& quotes, std::string_view title);
void write_report_html(std::ostream& out, const report& r);

/// One sheet per matrix (one per measure, named after it), then a Quotes sheet. The sheet
/// of measures[active] is the one a spreadsheet opens on.
void write_matrix_xlsx(std::ostream& out, const std::vector<matrix>& measures,
                       const std::vector<quote>& quotes, std::size_t active = 0);
/// One sheet per chart (named after its theme), then a Quotes sheet.
void write_chart_xlsx(std::ostream& out, const std::vector<chart>& charts,
                      const std::vector<quote>& quotes);
/// One sheet per table, then a Quotes sheet.
void write_cooccurrence_xlsx(std::ostream& out, const cooccurrence& c,
                             const std::vector<quote>& quotes);

// One write() per artefact, whatever the format: the commands call these and never switch
// over formats, so a new output format is added here (and in src/exchange/render/) only.

/// What the page formats need besides the artefact.
struct render_options {
  std::string title;  ///< html: the page's title (the framework's title)
  /// html and xlsx of agreement and disagreements: the options they were computed with,
  /// whose selection (codes, documents, cases), bootstrap and unit the page states.
  std::optional<agreement_options> agreement = {};
};

/// The formats write() takes for matrices, charts and co-occurrence tables, in the order
/// messages list them: table, csv, json, md, html, xlsx.
const std::vector<format>& analysis_formats();

/// The formats write() takes for a report: md, html.
const std::vector<format>& report_formats();

/// Whether format `f` shows quotes, so that the study its artefact is built from must hold
/// the documents' texts (load_study(p, true)): html and xlsx.
bool shows_quotes(format f);

/// A matrix as the output of one format shows it: the matrix asked for and, where the
/// format shows them, the quotes behind its cells (html, xlsx) and every measure (xlsx).
struct matrix_output {
  matrix m;                      ///< the measure asked for
  std::vector<matrix> measures;  ///< xlsx: cases, segments and coverage, one sheet each
  std::vector<quote> quotes;     ///< html and xlsx: matrix_quotes
};

/// Computes the matrix of `s` under `o` and what format `f` shows besides it. Throws as
/// compute_matrix does.
matrix_output build_matrix_output(const study& s, const matrix_options& o, format f);

/// build_matrix_output for a matrix of queries (compute_query_matrix, query_matrix_quotes).
matrix_output build_query_matrix_output(const study& s, const std::vector<query_row>& rows,
                                        const matrix_options& o, format f);

/// Charts as one format shows them: the charts and, for xlsx, their quotes.
struct chart_output {
  std::vector<chart> charts;
  std::vector<quote> quotes;  ///< xlsx: chart_quotes of every chart
};

/// Computes the chart of each of `themes` (o.theme is ignored) and what format `f` shows
/// besides them. Throws as compute_chart does.
chart_output build_chart_output(const study& s, chart_options o,
                                const std::vector<std::string>& themes, format f);

/// Co-occurrence tables as one format shows them: the tables and, for html and xlsx, the
/// quotes behind their cells.
struct cooccurrence_output {
  cooccurrence c;
  std::vector<quote> quotes;  ///< html and xlsx: cooccurrence_quotes
};

/// Computes the co-occurrence of `s` under `o` and what format `f` shows besides it.
cooccurrence_output build_cooccurrence_output(const study& s, const cooccur_options& o, format f);

/// Writes a matrix as `table`, `csv`, `json`, `md`, `html` or `xlsx` (the sheet of the
/// measure asked for is active). Throws input_error for another format.
/// Example: write(out, build_matrix_output(s, mo, f), f, {s.fw.title}).
void write(std::ostream& out, const matrix_output& m, format f, const render_options& o = {});
/// Writes charts as `table`, `csv` (one chart), `json`, `md`, `html` or `xlsx`.
void write(std::ostream& out, const chart_output& c, format f, const render_options& o = {});
/// Writes co-occurrence tables as `table`, `csv`, `json`, `md`, `html` or `xlsx`.
void write(std::ostream& out, const cooccurrence_output& c, format f, const render_options& o = {});
/// Writes a report as `md` or `html` (the report carries its own title). Throws
/// input_error for another format.
void write(std::ostream& out, const report& r, format f, const render_options& o = {});
/// Intercoder agreement as `table`, `csv`, `json`, `md`, `html` (one self-contained page)
/// or `xlsx` (a sheet of statistics: numbers as numbers, blank where a figure cannot be
/// computed, with the reason in a notes column) (docs/agreement.md); for the character
/// unit both the whole-text and the coded-text-only figures, each named. Throws
/// input_error for another format.
/// Example: write(out, compute_agreement(s, ao), f, {s.fw.title, ao}).
void write(std::ostream& out, const agreement_result& r, format f, const render_options& o = {});
/// The passages where coders differ (find_disagreements) as `table`, `csv`, `json`, `md`,
/// `html` or `xlsx` (a Disagreements sheet: one passage per row, a column per coder).
void write(std::ostream& out, const std::vector<disagreement>& d, format f,
           const render_options& o = {});

/// The formats write() takes for query results: table, csv, json, md, html, xlsx.
const std::vector<format>& query_formats();

/// The passages a query found (run_query) as `table`, `csv`, `json`, `md` or `html` (one
/// self-contained page), each with its document, offsets, reference, cases and text
/// (docs/queries.md). Throws input_error for another format.
/// Example: write(out, run_query(s, parse_query("a AND b")), format::json).
void write(std::ostream& out, const query_result& r, format f, const render_options& o = {});

}  // namespace coding
