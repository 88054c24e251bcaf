#pragma once
// How matrix numbers are printed, private to the library: one place, so that the table,
// CSV, Markdown, HTML and XLSX outputs show the same numbers with the same rounding
// (docs/measures.md, "How the numbers are printed").

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "coding/analysis.hpp"

namespace coding::detail {

/// A value as a whole number (cases, segments) or with one decimal (coverage): "4", "83.3".
inline std::string matrix_number(double value, measure what) {
  if (what == measure::coverage) return fmt::format("{:.1f}", value);
  return fmt::format("{}", static_cast<std::int64_t>(std::llround(value)));
}

/// A cell as tables print it: `cases` as "k/n (p%)", the count of the column's `n` cases
/// with the share in whole percent ("k/0" for an empty column); the others as matrix_number.
inline std::string matrix_cell(double value, measure what, std::size_t n) {
  if (what != measure::cases) return matrix_number(value, what);
  const auto k = static_cast<std::int64_t>(std::llround(value));
  if (n == 0) return fmt::format("{}/0", k);
  return fmt::format("{}/{} ({}%)", k, n, std::llround(100.0 * value / static_cast<double>(n)));
}

/// A value as CSV writes it: coverage with two decimals, the others whole.
inline std::string matrix_csv_number(double value, measure what) {
  if (what == measure::coverage) return fmt::format("{:.2f}", value);
  return matrix_number(value, what);
}

/// What a cell counts, in words: "cases with at least one coding", "coded segments",
/// "% of spoken text coded".
inline std::string_view measure_caption(measure what) {
  switch (what) {
    case measure::cases:
      return "cases with at least one coding";
    case measure::segments:
      return "coded segments";
    case measure::coverage:
      return "% of spoken text coded";
  }
  return "";
}

/// measure_caption for a matrix of queries, whose rows count the passages a query finds.
inline std::string_view query_measure_caption(measure what) {
  switch (what) {
    case measure::cases:
      return "cases with at least one passage found";
    case measure::segments:
      return "passages found";
    case measure::coverage:
      return "% of spoken text found";
  }
  return "";
}

/// What a matrix's row is, as its first column's heading says: "Theme", "Code", "Query"
/// (lower case unless `capital`).
inline std::string_view row_noun(matrix_level l, bool capital) {
  switch (l) {
    case matrix_level::theme:
      return capital ? "Theme" : "theme";
    case matrix_level::code:
      return capital ? "Code" : "code";
    case matrix_level::query:
      return capital ? "Query" : "query";
  }
  return "";
}

/// "; 2 coders pooled: anna, ben" when the numbers count more than one coder's codings
/// (a heading says so), else "".
inline std::string pooled_coders(const std::vector<std::string>& coders) {
  if (coders.size() < 2) return {};
  return fmt::format("; {} coders pooled: {}", coders.size(), fmt::join(coders, ", "));
}

/// "Codings of 2 coders pooled: anna, ben." under a chart's heading when it holds more
/// than one coder's codings, else "".
inline std::string chart_pooled_note(const std::vector<std::string>& coders) {
  if (coders.size() < 2) return {};
  return fmt::format("Codings of {} coders pooled: {}.", coders.size(), fmt::join(coders, ", "));
}

/// The heading of a matrix: "Themes by group (cases with at least one coding)", with
/// "; 2 coders pooled: anna, ben" inside the brackets when it pools several coders.
inline std::string matrix_heading(const matrix& m) {
  const bool query = m.level == matrix_level::query;
  const auto rows = m.level == matrix_level::theme ? "Themes" : query ? "Queries" : "Codes";
  return fmt::format(
      "{} by {} ({}{})", rows, m.by.empty() ? std::string_view("group") : std::string_view(m.by),
      query ? query_measure_caption(m.what) : measure_caption(m.what), pooled_coders(m.coders));
}

}  // namespace coding::detail
