#pragma once
/// \file
/// Framework charts: one row per case, one column per sub-theme of a theme, cells with
/// the researcher's summary and references to the coded passages. The quotes shown
/// beside them (chart_quotes) are in quotes.hpp, which this header includes.

#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/codings.hpp"
#include "coding/quotes.hpp"

namespace coding {

/// Options of compute_chart.
struct chart_options {
  std::string theme;               ///< full id of the code whose children are the columns
  std::vector<std::string> attrs;  ///< case attributes shown as columns after the case
  std::size_t quotes = 0;          ///< verbatim quotes per cell (and per case in group rows)
  std::size_t quote_length = 240;  ///< code points per quote, cut at a word boundary
  bool group_rows = false;         ///< one row per group instead of one per case
  std::vector<std::pair<std::string, std::string>> where;  ///< as in matrix_options
  std::optional<std::string> coder;                        ///< as in matrix_options
};

/// One coded passage in a chart cell: a coding, or several that overlap (two coders'
/// codings of the same answer, say) joined into the stretch of text they cover together.
struct chart_passage {
  std::string doc;
  span where;
  std::string reference;  ///< "T07 l.12-18" or "T07 12:31 l.12-18"
  std::string coder;      ///< who coded it ("anna, ben" when several codings were joined)
  std::string quote;      ///< cut_quote of its text for the first `quotes` passages, else empty
};

/// What one case contributes to a cell: its summary and its passages (the codings of the
/// column's code and of the codes below it that are attributed to the case).
struct chart_entry {
  std::string case_id;
  std::string summary;  ///< empty when none is written
  bool draft = false;
  std::vector<chart_passage> passages;  ///< in document order
};

/// One cell: a case row has one entry (or none, when the case has neither summary nor
/// passages); a group row has one per member case that has either.
struct chart_cell {
  std::vector<chart_entry> entries;
};

struct chart_row {
  std::string id;                       ///< the case id (or the group id, for group rows)
  std::string label;                    ///< the case's label (or the group's)
  std::vector<std::string> attributes;  ///< values of chart::attributes ("" when unset)
  std::vector<chart_cell> cells;        ///< one per chart::columns
};

/// The rows of one respondent group, with its label row.
struct chart_group {
  std::string id;               ///< the value of the grouping attribute ("" for cases without one)
  std::string label;            ///< the group's label ("No group" for "")
  std::size_t n = 0;            ///< cases in the group (after filters)
  std::vector<chart_row> rows;  ///< cases ordered by id; one row for group rows
};

struct chart_column {
  std::string code;  ///< full id of a child of the theme
  std::string label;
  std::string description;
};

struct chart {
  std::string theme;  ///< full id
  std::string theme_label;
  bool group_rows = false;
  std::vector<std::string> attributes;  ///< the attribute columns asked for
  std::vector<chart_column> columns;
  std::vector<chart_group>
      groups;  ///< the framework's groups in order, then other values; none empty
  /// The coders whose codings the cells hold, sorted: more than one means the chart pools
  /// their work (its heading says so).
  std::vector<std::string> coders;
};

/// Computes a chart. Throws input_error for an unknown theme, a code without children,
/// or an unknown attribute or coder (each with a did-you-mean). With `quotes` > 0 the
/// study must hold the texts.
chart compute_chart(const study& s, const chart_options& options);

/// The draft summaries `summary draft THEME` fills in: for every case and child code of
/// `theme` with passages attributed to the case, the passages one per line as
/// "[T07 l.12-18] text" (text cut at `quote_length`). The study must hold the texts.
std::vector<summary> draft_summaries(const study& s, const std::string& theme,
                                     std::size_t quote_length = 400);

/// The full ids of the codes that can be charted (those with sub-codes), in order.
std::vector<std::string> chartable_codes(const framework& fw);

}  // namespace coding
