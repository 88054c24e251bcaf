#pragma once
/// \file
/// Framework matrices: codes against the values of a case attribute (the respondent
/// groups by default). The measures are defined in docs/measures.md.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coding/codings.hpp"
#include "coding/document.hpp"
#include "coding/framework.hpp"

namespace coding {

struct case_record;
struct summary;
class project;

/// What a matrix cell counts.
enum class measure {
  cases,     ///< cases in the column with at least one coding of the row's code
  segments,  ///< codings of the row's code attributed to cases in the column
  coverage,  ///< percent of the column's spoken characters inside the row's codings
};

/// Which codes make the rows.
enum class matrix_level {
  theme,  ///< one row per theme
  code,   ///< one row per code below the themes, depth-first
  query,  ///< one row per query (compute_query_matrix); not a choice of --level
};

/// Parses "cases", "segments" or "coverage"; throws input_error with a did-you-mean.
measure parse_measure(std::string_view name);
/// Parses "theme" or "code"; throws input_error with a did-you-mean.
matrix_level parse_level(std::string_view name);
std::string_view to_string(measure m);
std::string_view to_string(matrix_level l);

struct matrix_options {
  std::string by;  ///< case attribute; empty: the framework's grouping attribute
  measure what = measure::cases;
  matrix_level level = matrix_level::theme;
  /// Only cases matching these (attribute, value) filters count: the same attribute
  /// given twice means either value, different attributes must all hold.
  std::vector<std::pair<std::string, std::string>> where;
  /// Only this coder's codings count; unset: everyone's.
  std::optional<std::string> coder;
};

struct matrix_column {
  std::string id;     ///< the attribute value
  std::string label;  ///< the group's label, or the value
  std::size_t n = 0;  ///< cases with this value
};

struct matrix_row {
  std::string code;  ///< full id
  std::string label;
  int depth = 0;
  std::vector<double> cells;  ///< one per column; whole numbers for cases and segments
  double total = 0;           ///< the measure over the cases of all columns together
};

struct matrix {
  std::string by;
  measure what = measure::cases;
  matrix_level level = matrix_level::theme;
  std::vector<matrix_column> columns;
  std::vector<matrix_row> rows;
  /// The total row: the measure for any code of the framework (a coding of any code,
  /// the union of all codings), per column and over all columns; code is empty.
  matrix_row total;
  std::size_t n = 0;  ///< cases in any column
  /// The coders whose codings the numbers count, sorted: more than one means the matrix
  /// pools their work (its heading says so).
  std::vector<std::string> coders;
};

/// Everything the analyses need.
struct study {
  framework fw;
  std::vector<document> documents;  ///< texts may be empty; turns and lengths matter
  std::vector<case_record> cases;
  std::vector<coding_record> codings;
  std::vector<summary> summaries;
};

/// Loads a project's study; the document texts only `with_text` (quotes need them).
/// Throws input_error for a project without a framework.
study load_study(const project& p, bool with_text = false);

/// A project's study for what needs no framework (who speaks where, searches, word
/// counts): its framework, or an empty one when it has none; the documents (their texts
/// only `with_text`), the cases and (`with_codings`) the codings; no summaries.
study load_corpus(const project& p, bool with_text, bool with_codings = true);

/// Computes a matrix in one pass over the codings, with interval arithmetic. Throws
/// input_error for an unknown attribute (in `by` or `where`) or an unknown coder (both
/// with a did-you-mean), or a project without a framework.
/// Example: compute_matrix(s, {"", measure::cases, matrix_level::theme,
///                             {{"district", "North"}}, "anna"}).
matrix compute_matrix(const study& s, const matrix_options& options);

}  // namespace coding
