#pragma once
// The cells of a matrix, counted passage by passage: shared by the matrix of codes
// (compute_matrix) and the matrix of queries (compute_query_matrix). Rows 0..nrow-1 are the
// matrix's rows and row nrow its Total row; columns 0..ncol-1 are the attribute's values
// and column ncol all of them. The measures are those of docs/measures.md.

#include <cstddef>
#include <vector>

#include "attribution.hpp"
#include "coding/analysis.hpp"

namespace coding::detail {

class matrix_tally {
 public:
  // `m` has its columns; `case_column` is each case's column (-1: none).
  matrix_tally(const study& s, const attribution& who, const matrix& m,
               const std::vector<int>& case_column, std::size_t nrow);

  // Starts document `d`: what the columns' cases speak in it.
  void begin(std::size_t d);
  // Row r covers [start, end), which speaks for `cases` (indices into study::cases).
  void cover(std::size_t r, std::size_t start, std::size_t end,
             const std::vector<std::size_t>& cases);
  // One segment of row r, speaking for the columns marked in `columns`, a vector of
  // ncol + 1 flags (the last: any column) as columns_of gives.
  void count(std::size_t r, const std::vector<char>& columns);
  // Marks in `columns` (resized to ncol + 1) the columns that `cases` are in.
  void columns_of(const std::vector<std::size_t>& cases, std::vector<char>& columns) const;
  // Ends the document: adds what each row covered of each column's speech.
  void end();

  // The rows' cells and totals under m.what, into m.rows (nrow of them) and m.total.
  void fill(matrix& m) const;

 private:
  double value(measure what, std::size_t r, std::size_t c) const;

  const study& s_;
  const attribution& who_;
  const std::vector<int>& case_column_;
  std::size_t ncol_, nrow_;
  std::vector<std::vector<char>> has_;               // [row][case]
  std::vector<std::vector<std::size_t>> segments_;   // [row][column]
  std::vector<std::vector<std::size_t>> covered_;    // [row][column]
  std::vector<std::size_t> spoken_;                  // [column]
  std::vector<std::vector<interval>> column_spans_;  // this document's, per column
  std::vector<std::vector<interval>> row_spans_;     // this document's, per row
};

}  // namespace coding::detail
