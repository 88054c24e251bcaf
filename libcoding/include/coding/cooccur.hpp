#pragma once
/// \file
/// Code co-occurrence: for two codes, the number of passages where both apply, that is
/// the separate stretches of text inside a coding of each (docs/measures.md).

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/chart.hpp"

namespace coding {

struct cooccur_options {
  matrix_level level = matrix_level::code;  ///< codes below the themes, or themes
  /// Empty: one table over all cases; else one table per value of this attribute
  /// (the framework's grouping attribute when "group" is asked for it by the CLI).
  std::string by;
  std::vector<std::pair<std::string, std::string>> where;  ///< as in matrix_options
  std::optional<std::string> coder;                        ///< as in matrix_options
};

/// One table of counts: counts[i][j] is the number of passages where codes i and j both
/// apply (symmetric; counts[i][i] is the number of separate passages coded with i).
struct cooccur_table {
  std::string id;     ///< the attribute value ("" for the overall table)
  std::string label;  ///< the group's label, the value, or "All cases"
  std::size_t n = 0;  ///< cases counted
  std::vector<std::vector<std::size_t>> counts;
};

struct cooccurrence {
  matrix_level level = matrix_level::code;
  std::string by;                 ///< "" for one overall table
  std::vector<matrix_row> codes;  ///< the codes, in framework order (cells and total unused)
  std::vector<cooccur_table> tables;
};

/// Computes co-occurrence counts. A row code counts its sub-codes' codings too. A passage
/// counts towards a group when it lies in a turn of one of the group's cases (in a
/// one-to-one interview: when the document's case is in the group). Throws input_error
/// for an unknown attribute or coder.
cooccurrence compute_cooccurrence(const study& s, const cooccur_options& options);

/// The passages counted in each cell with i < j, as quotes: row and column the two codes,
/// table the attribute value ("" overall), code_path "Code 1 × Code 2", text the passage
/// where both apply; case_id, group and attributes those of the first case it is
/// attributed to. `s` must hold the texts.
std::vector<quote> cooccurrence_quotes(const study& s, const cooccur_options& options);

}  // namespace coding
