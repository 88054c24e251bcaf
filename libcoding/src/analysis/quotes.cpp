// Quotes: coded passages with where they are and whose they are, for the outputs that
// show them beside matrices and charts.

#include "coding/quotes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "attribution.hpp"
#include "chart_plan.hpp"
#include "coding/chart.hpp"
#include "coding/project.hpp"
#include "coding/text.hpp"

namespace coding {

std::string cut_quote(std::string_view text, std::size_t limit) {
  std::string folded;
  folded.reserve(text.size());
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !folded.empty();
      continue;
    }
    if (space) folded += ' ';
    space = false;
    folded += c;
  }
  const text_index index(folded);
  if (index.size() <= limit) return folded;
  // Room for the ellipsis; cut before the last word that does not fit.
  const std::size_t room = limit > 0 ? limit - 1 : 0;
  auto cut = std::string(index.slice(0, room));
  if (const auto at = cut.find_last_of(' ');
      at != std::string::npos && at > 0 && index.slice(room, room + 1) != " ")
    cut.erase(at);
  while (!cut.empty() && (cut.back() == ' ' || cut.back() == ',' || cut.back() == ';'))
    cut.pop_back();
  return cut + "…";
}

namespace {

// The labels from the theme down to code `i`: "Theme A > Code A.x".
std::string code_path(const framework& fw, std::size_t i) {
  std::vector<std::string> labels;
  for (int at = static_cast<int>(i); at >= 0; at = fw.codes[static_cast<std::size_t>(at)].parent)
    labels.push_back(fw.codes[static_cast<std::size_t>(at)].label);
  std::reverse(labels.begin(), labels.end());
  return fmt::format("{}", fmt::join(labels, " > "));
}

// A coding as a quote attributed to case k (row and column left to the caller).
quote make_quote(const study& s, detail::text_indexes& texts, std::size_t d, std::size_t code_index,
                 const coding_record& c, std::size_t k) {
  auto q = detail::quote_of(s, texts, d, {c.start, c.end}, k);
  q.code = c.code;
  q.code_path = code_path(s.fw, code_index);
  q.coder = c.coder;
  return q;
}

}  // namespace

std::vector<quote> matrix_quotes(const study& s, const matrix_options& options) {
  const auto by = options.by.empty() ? s.fw.group_attribute : options.by;
  const auto passing = detail::cases_passing(s, options.where);
  detail::check_coder(s, options.coder);
  const auto cols = detail::make_columns(s, by, passing);
  const detail::attribution speakers(s);
  const auto ancestors = detail::ancestors_of(s.fw);
  detail::text_indexes texts(s);
  std::vector<quote> out;
  std::vector<std::size_t> cases_here;
  detail::for_each_coding(s, speakers, options.coder,
                          [&](std::size_t d, std::size_t i, const coding_record& c) {
                            speakers.cases_of(d, c.start, c.end, cases_here);
                            for (const auto k : cases_here) {
                              if (cols.of_case[k] < 0) continue;
                              for (const auto a : ancestors[i]) {
                                const auto& row = s.fw.codes[a];
                                if ((options.level == matrix_level::theme) != (row.depth == 0))
                                  continue;
                                auto q = make_quote(s, texts, d, i, c, k);
                                q.row = row.id;
                                q.column = cols.list[static_cast<std::size_t>(cols.of_case[k])].id;
                                out.push_back(std::move(q));
                              }
                            }
                          });
  return out;
}

std::vector<quote> chart_quotes(const study& s, const chart_options& options) {
  const auto plan = detail::plan_chart(s, options);
  const detail::attribution speakers(s);
  detail::text_indexes texts(s);
  std::vector<quote> out;
  detail::for_each_cell_coding(
      s, plan, speakers, options.coder,
      [&](std::size_t d, std::size_t i, const coding_record& c, std::size_t column, std::size_t k) {
        auto q = make_quote(s, texts, d, i, c, k);
        q.row = s.cases[k].id;
        q.column = plan.shape.columns[column].code;
        out.push_back(std::move(q));
      });
  return out;
}

}  // namespace coding
