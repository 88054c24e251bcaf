#pragma once
/// \file
/// A complete study report: overview, codebook, the theme-by-group matrix and, for each
/// theme, its chart summaries and illustrative quotes. Rendered by write_report_markdown
/// and write_report_html (coding/render.hpp).

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/chart.hpp"
#include "coding/framework.hpp"

namespace coding {

struct report_theme {
  chart summaries;  ///< case rows grouped by group; cells carry summaries and references
  /// Two or three illustrative quotes per group (fewer when there are fewer passages),
  /// in the order of the chart's groups.
  std::vector<quote> quotes;
};

struct report {
  std::string title;      ///< the framework's title
  std::string generated;  ///< date of the report, YYYY-MM-DD
  std::size_t documents = 0;
  std::size_t codings = 0;
  std::vector<std::pair<std::string, std::size_t>> groups;  ///< (group label, cases)
  std::vector<std::pair<std::string, std::size_t>> coders;  ///< (coder, codings), by name
  framework fw;                                             ///< the codebook, with guidance
  matrix theme_matrix;                                      ///< themes by group, measure cases
  std::vector<report_theme> themes;                         ///< one per theme, in framework order
  /// Every case of the study, as `check` counts them: those in `groups` and those without
  /// a group.
  std::size_t cases = 0;
  /// The ids of the cases with no value (or an empty one) for the grouping attribute, in
  /// id order: the matrix has no column for them, so `groups` leaves them out.
  std::vector<std::string> ungrouped;
};

/// Builds the report of a study (which must hold the texts). `quotes_per_group` is the
/// number of illustrative quotes per theme and group (2 or 3 reads well). `progress`, when
/// given, is called with (themes done, themes) for a progress bar.
report build_report(const study& s, std::size_t quotes_per_group = 3,
                    const std::function<void(std::size_t done, std::size_t total)>& progress = {});

}  // namespace coding
