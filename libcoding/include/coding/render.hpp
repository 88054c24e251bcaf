#pragma once
/// \file
/// Page and spreadsheet outputs of matrices, charts, co-occurrence tables and reports:
/// Markdown (GitHub-flavoured pipe tables), HTML (one self-contained file: no network,
/// inline CSS and script, heat shading, click a cell for its quotes, prints cleanly) and
/// XLSX (libxlsxwriter: frozen header rows, wrapped text, set column widths, heat colours,
/// a sheet per measure or per theme, and a Quotes sheet with one quote per row).
/// The numbers are those of the JSON output of the same command.

#include <ostream>
#include <string_view>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/chart.hpp"
#include "coding/cooccur.hpp"
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

/// One sheet per matrix (one per measure, named after it), then a Quotes sheet.
void write_matrix_xlsx(std::ostream& out, const std::vector<matrix>& measures,
                       const std::vector<quote>& quotes);
/// One sheet per chart (named after its theme), then a Quotes sheet.
void write_chart_xlsx(std::ostream& out, const std::vector<chart>& charts,
                      const std::vector<quote>& quotes);
/// One sheet per table, then a Quotes sheet.
void write_cooccurrence_xlsx(std::ostream& out, const cooccurrence& c,
                             const std::vector<quote>& quotes);

}  // namespace coding
