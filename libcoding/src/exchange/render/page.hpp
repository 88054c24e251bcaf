#pragma once
// Helpers shared by the Markdown and HTML writers (render.hpp), private to the library.
// The page shell and the HTML escaper are defined in html.cpp, the Markdown escapers in
// markdown.cpp; every output of those formats uses them.

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "coding/chart.hpp"
#include "coding/report.hpp"

namespace coding::detail {

/// `text` escaped for HTML element content and quoted attribute values alike (& < > " '),
/// with the C0 controls HTML does not allow (all but tab and line feed) dropped.
std::string esc(std::string_view text);

/// `text` as inline Markdown that shows exactly as written, also in a pipe-table cell
/// (punctuation Markdown or HTML would read backslash-escaped, line breaks as <br>).
/// Defined in markdown.cpp, as is md_code.
std::string md(std::string_view text);
/// An identifier (code id, reference, expression) as a Markdown code span.
std::string md_code(std::string_view id);

/// The start of a self-contained page: doctype, head with `title` and the shared style
/// sheet (A4 landscape print when `landscape`), and the opening <body>.
void page_begin(std::ostream& out, std::string_view title, bool landscape);
/// The end of a page begun by page_begin.
void page_end(std::ostream& out);

/// The cases without a group that the report's overview names: all of them when few, none
/// when many (dozens of ids would drown the overview; the count is still given).
inline std::vector<std::string> ungrouped_named(const report& r) {
  return r.ungrouped.size() <= 5 ? r.ungrouped : std::vector<std::string>();
}

/// The label of group `id`: the chart's group, else the framework's, else the id itself
/// ("No group" for "").
inline std::string group_label(const chart& c, const framework& fw, std::string_view id) {
  for (const auto& g : c.groups)
    if (g.id == id) return g.label;
  for (const auto& g : fw.groups)
    if (g.id == id) return g.label;
  return id.empty() ? std::string("No group") : std::string(id);
}

/// Consecutive runs of quotes with the same group, as [begin, end) index pairs: the report
/// lists its illustrative quotes group by group, in the chart's order.
inline std::vector<std::pair<std::size_t, std::size_t>> group_runs(
    const std::vector<quote>& quotes) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    if (runs.empty() || quotes[runs.back().first].group != quotes[i].group) runs.emplace_back(i, i);
    runs.back().second = i + 1;
  }
  return runs;
}

/// A quote's code path below the theme that a report section is about: "Code A.x" for
/// "Theme A > Code A.x" under "Theme A"; "" when the quote's code is the theme itself.
inline std::string_view path_below(std::string_view path, std::string_view theme_label) {
  if (path == theme_label) return {};
  if (path.size() > theme_label.size() + 3 && path.starts_with(theme_label) &&
      path.substr(theme_label.size(), 3) == " > ")
    path.remove_prefix(theme_label.size() + 3);
  return path;
}

}  // namespace coding::detail
