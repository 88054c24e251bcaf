#pragma once
// Shared by the chart and its quotes (chart.cpp, quotes.cpp, query.cpp): the documents'
// text indexes, a passage as a quote, the walk over the codings that count, and a chart's plan (its
// columns and the cases in it) with the walk over the codings of its cells.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "attribution.hpp"
#include "coding/chart.hpp"
#include "coding/quotes.hpp"
#include "coding/text.hpp"

namespace coding::detail {

// Text indexes of the documents, built when first needed.
class text_indexes {
 public:
  explicit text_indexes(const study& s) : s_(s), built_(s.documents.size()) {}
  const text_index& of(std::size_t d) {
    if (!built_[d]) built_[d] = std::make_unique<text_index>(s_.documents[d].text);
    return *built_[d];
  }

 private:
  const study& s_;
  std::vector<std::unique_ptr<text_index>> built_;
};

// The passage `where` of document d as a quote attributed to case k: where it is, whose
// it is and its text (code, coder, row and column left to the caller).
inline quote quote_of(const study& s, text_indexes& texts, std::size_t d, span where,
                      std::size_t k) {
  const auto& doc = s.documents[d];
  const auto& index = texts.of(d);
  const auto& kase = s.cases[k];
  const auto group = kase.attributes.find(s.fw.group_attribute);
  quote q;
  q.doc = doc.id;
  q.case_id = kase.id;
  if (group != kase.attributes.end()) q.group = group->second;
  q.attributes = kase.attributes;
  q.where = where;
  q.reference = reference(doc, where, index);
  q.text = std::string(
      index.slice(std::min(where.start, index.size()), std::min(where.end, index.size())));
  return q;
}

// Calls f(document index, code index, coding) for every coding that counts (coder filter,
// known document and code), in document order and then by position.
template <class F>
void for_each_coding(const study& s, const detail::attribution& speakers,
                     const std::optional<std::string>& coder, F f) {
  std::unordered_map<std::string, std::size_t> code_index;
  for (std::size_t i = 0; i < s.fw.codes.size(); ++i) code_index[s.fw.codes[i].id] = i;
  std::vector<std::pair<std::size_t, const coding_record*>> order;
  for (const auto& c : s.codings) {
    if (coder && c.coder != *coder) continue;
    if (const auto d = speakers.doc_index(c.doc)) order.emplace_back(*d, &c);
  }
  const auto before = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->start < b.second->start;
  };
  // A project lists its codings in this order already.
  if (!std::is_sorted(order.begin(), order.end(), before))
    std::stable_sort(order.begin(), order.end(), before);
  for (const auto& [d, c] : order)
    if (const auto it = code_index.find(c->code); it != code_index.end()) f(d, it->second, *c);
}

// What a chart is made of before it is laid out: the columns, and for every case in the
// chart and column, the codings attributed to the case.
struct chart_plan {
  chart shape;                      // theme, columns, attributes; no groups yet
  std::vector<char> in_chart;       // per case
  std::vector<int> column_of_code;  // per code: the column it counts towards, -1 none
  std::vector<std::vector<std::size_t>> group_cases;  // per shape group: case indices
};

// Works out a chart's columns, the cases in it and its groups. Throws input_error for an
// unknown theme, a code without children, or an unknown attribute or coder.
chart_plan plan_chart(const study& s, const chart_options& options);

// Calls f(document index, code index, coding, column, case index) for every coding of a
// chart column (or a code below it) and every charted case it speaks for.
template <class F>
void for_each_cell_coding(const study& s, const chart_plan& plan,
                          const detail::attribution& speakers,
                          const std::optional<std::string>& coder, F f) {
  std::vector<std::size_t> cases_here;
  for_each_coding(s, speakers, coder, [&](std::size_t d, std::size_t i, const coding_record& c) {
    const auto column = plan.column_of_code[i];
    if (column < 0) return;
    speakers.cases_of(d, c.start, c.end, cases_here);
    for (const auto k : cases_here)
      if (plan.in_chart[k]) f(d, i, c, static_cast<std::size_t>(column), k);
  });
}

}  // namespace coding::detail
