#include "coding/report.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "clock.hpp"
#include "coding/project.hpp"
#include "coding/quotes.hpp"

namespace coding {
namespace {

// Up to `n` quotes of one group for a theme: one per case in turn (so that no one voice
// fills the section), each case's passages in document order.
std::vector<quote> illustrative(const std::vector<quote>& all, const std::string& group,
                                std::size_t n) {
  std::vector<std::string> cases;
  std::map<std::string, std::vector<const quote*>> by_case;
  for (const auto& q : all) {
    if (q.group != group) continue;
    if (!by_case.count(q.case_id)) cases.push_back(q.case_id);
    by_case[q.case_id].push_back(&q);
  }
  std::vector<quote> out;
  std::set<std::pair<std::string, std::size_t>>
      used;  // a passage quoted once, however many cases it speaks for
  for (std::size_t round = 0; out.size() < n; ++round) {
    bool any = false;
    for (const auto& c : cases) {
      const auto& list = by_case[c];
      if (round >= list.size()) continue;
      any = true;
      const auto& q = *list[round];
      if (!used.insert({q.doc, q.where.start}).second || out.size() >= n) continue;
      out.push_back(q);
      out.back().text = cut_quote(q.text, 320);
    }
    if (!any) break;
  }
  return out;
}

}  // namespace

report build_report(const study& s, std::size_t quotes_per_group,
                    const std::function<void(std::size_t, std::size_t)>& progress) {
  report r;
  r.title = s.fw.title.empty() ? s.fw.id : s.fw.title;
  r.generated = detail::now_utc().substr(0, 10);  // the date, YYYY-MM-DD
  r.documents = s.documents.size();
  r.codings = s.codings.size();
  std::map<std::string, std::size_t> coders;
  for (const auto& c : s.codings) ++coders[c.coder];
  r.coders.assign(coders.begin(), coders.end());
  r.fw = s.fw;
  r.theme_matrix = compute_matrix(s, matrix_options{});
  for (const auto& col : r.theme_matrix.columns) r.groups.emplace_back(col.label, col.n);
  // The matrix's columns hold only cases with a group; the overview counts all of them, as
  // check does, so that a case missing from every column is seen rather than lost.
  r.cases = s.cases.size();
  for (const auto& c : s.cases)
    if (const auto it = c.attributes.find(s.fw.group_attribute);
        it == c.attributes.end() || it->second.empty())
      r.ungrouped.push_back(c.id);
  std::sort(r.ungrouped.begin(), r.ungrouped.end());
  std::vector<std::string> themes;
  for (const auto& id : chartable_codes(s.fw))
    if (s.fw.codes[*s.fw.find(id)].depth == 0) themes.push_back(id);
  std::size_t done = 0;
  for (const auto& id : themes) {
    if (progress) progress(done++, themes.size());
    chart_options options;
    options.theme = id;
    report_theme t;
    t.summaries = compute_chart(s, options);
    const auto quotes = chart_quotes(s, options);
    for (const auto& g : t.summaries.groups) {
      auto picked = illustrative(quotes, g.id, quotes_per_group);
      t.quotes.insert(t.quotes.end(), picked.begin(), picked.end());
    }
    r.themes.push_back(std::move(t));
  }
  if (progress) progress(themes.size(), themes.size());
  return r;
}

}  // namespace coding
