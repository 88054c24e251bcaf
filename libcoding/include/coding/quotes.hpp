#pragma once
/// \file
/// Quotes: coded passages with where they are and whose they are, as the HTML, XLSX and
/// report outputs show them beside matrices and charts.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/codings.hpp"

namespace coding {

struct chart_options;  // chart.hpp

/// A coded passage as a quote: where it is, whose it is, and its text.
struct quote {
  std::string doc;
  std::string case_id;  ///< the case it is attributed to (one quote per case a coding speaks for)
  std::string group;    ///< that case's value of the grouping attribute
  std::map<std::string, std::string> attributes;  ///< that case's attributes
  std::string code;                               ///< the coding's code, full id
  std::string code_path;  ///< its labels from the theme down: "Theme A > Code A.x"
  std::string coder;
  span where;             ///< code points in the stored text
  std::string reference;  ///< "T07 l.12-18" or "T07 12:31 l.12-18" (coding::reference)
  std::string text;       ///< the passage, verbatim
  /// The cell it belongs to in a matrix or co-occurrence table: row and column ids
  /// (a matrix: the row's code and the column's value; co-occurrence: the two codes), and
  /// for co-occurrence by group the group value in `table`.
  std::string row, column, table;
};

/// `text` cut at a word boundary to at most `limit` code points, with "…" where it was
/// cut; whitespace runs (line breaks too) become one space. Text within the limit is
/// returned whole (whitespace folded).
std::string cut_quote(std::string_view text, std::size_t limit);

/// Every coding counted in a matrix cell, as quotes keyed by row (the matrix row's code)
/// and column (the case's value of the matrix's attribute): what clicking a cell shows.
/// `s` must hold the texts. The same options as compute_matrix.
std::vector<quote> matrix_quotes(const study& s, const matrix_options& options);

/// Every coding of the chart's columns (and the codes below them) attributed to a case
/// in the chart, as quotes (row: the case, column: the column's code).
std::vector<quote> chart_quotes(const study& s, const chart_options& options);

}  // namespace coding
