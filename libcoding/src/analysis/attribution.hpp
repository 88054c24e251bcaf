#pragma once
// Shared by the analyses (matrix, chart, co-occurrence): which cases pass the filters,
// which column (value of an attribute) each case is in, and which cases a passage speaks
// for. The rules are in docs/measures.md.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/error.hpp"
#include "coding/project.hpp"

namespace coding::detail {

struct interval {
  std::size_t start, end;
};

// Sorts and merges overlapping or touching intervals in place.
inline void merge(std::vector<interval>& v) {
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.start < b.start; });
  std::size_t out = 0;
  for (const auto& x : v) {
    if (x.start >= x.end) continue;
    if (out > 0 && x.start <= v[out - 1].end) {
      v[out - 1].end = std::max(v[out - 1].end, x.end);
    } else {
      v[out++] = x;
    }
  }
  v.resize(out);
}

// Length of the intersection of two merged interval lists.
inline std::size_t overlap(const std::vector<interval>& a, const std::vector<interval>& b) {
  std::size_t total = 0, i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const auto lo = std::max(a[i].start, b[j].start);
    const auto hi = std::min(a[i].end, b[j].end);
    if (lo < hi) total += hi - lo;
    (a[i].end < b[j].end ? i : j)++;
  }
  return total;
}

inline std::vector<std::string> attribute_names(const study& s) {
  std::set<std::string> names;
  for (const auto& c : s.cases)
    for (const auto& [name, value] : c.attributes) names.insert(name);
  names.insert(s.fw.group_attribute);
  return {names.begin(), names.end()};
}

[[noreturn]] inline void throw_unknown_attribute(const study& s, std::string_view name) {
  const auto names = attribute_names(s);
  throw input_error(unknown_message("attribute", name, "", names) +
                    fmt::format(" (attributes: {})", fmt::join(names, ", ")));
}

inline void check_attribute(const study& s, std::string_view name) {
  const auto names = attribute_names(s);
  if (std::find(names.begin(), names.end(), name) == names.end()) throw_unknown_attribute(s, name);
}

// Whether each case passes the filters: for each attribute named, its value is one of
// the values given for it.
inline std::vector<char> cases_passing(
    const study& s, const std::vector<std::pair<std::string, std::string>>& where) {
  std::map<std::string, std::set<std::string>> wanted;
  for (const auto& [name, value] : where) {
    check_attribute(s, name);
    wanted[name].insert(value);
  }
  std::vector<char> pass(s.cases.size(), 1);
  for (std::size_t k = 0; k < s.cases.size(); ++k) {
    for (const auto& [name, values] : wanted) {
      const auto it = s.cases[k].attributes.find(name);
      if (it == s.cases[k].attributes.end() || !values.count(it->second)) {
        pass[k] = 0;
        break;
      }
    }
  }
  return pass;
}

inline void check_coder(const study& s, const std::optional<std::string>& coder) {
  if (!coder) return;
  std::set<std::string> coders;
  for (const auto& c : s.codings) coders.insert(c.coder);
  if (coders.count(*coder)) return;
  throw input_error(
      unknown_message("coder", *coder, "", std::vector<std::string>(coders.begin(), coders.end())) +
      fmt::format(" (coders: {})", fmt::join(coders, ", ")));
}

// The columns of an analysis by attribute `by`: the framework's groups in order for its
// grouping attribute, then any other values the cases carry, sorted. All cases' values
// make columns, so that filters keep the columns and show empty ones with n = 0.
struct columns {
  std::vector<matrix_column> list;
  std::vector<int> of_case;  // per case: its column, -1 when in none or filtered out
  std::size_t n = 0;         // cases in any column
};

inline columns make_columns(const study& s, const std::string& by,
                            const std::vector<char>& passing) {
  columns out;
  std::set<std::string> values;
  for (const auto& c : s.cases)
    if (const auto it = c.attributes.find(by); it != c.attributes.end() && !it->second.empty())
      values.insert(it->second);
  if (values.empty() && by != s.fw.group_attribute) throw_unknown_attribute(s, by);
  std::unordered_map<std::string, std::size_t> column_of_value;
  if (by == s.fw.group_attribute) {
    for (const auto& g : s.fw.groups) {
      column_of_value[g.id] = out.list.size();
      out.list.push_back({g.id, g.label, 0});
    }
  }
  for (const auto& v : values) {
    if (column_of_value.count(v)) continue;
    column_of_value[v] = out.list.size();
    out.list.push_back({v, v, 0});
  }
  out.of_case.assign(s.cases.size(), -1);
  for (std::size_t k = 0; k < s.cases.size(); ++k) {
    if (!passing[k]) continue;
    if (const auto it = s.cases[k].attributes.find(by); it != s.cases[k].attributes.end()) {
      if (const auto col = column_of_value.find(it->second); col != column_of_value.end()) {
        out.of_case[k] = static_cast<int>(col->second);
        ++out.list[col->second].n;
        ++out.n;
      }
    }
  }
  return out;
}

// Who speaks where, per document: the turns of known cases in text order, and the
// document's own case (a one-to-one interview), which a passage always speaks for.
class attribution {
 public:
  struct spoken_turn {
    std::size_t start, end, case_k;
  };

  explicit attribution(const study& s) : docs_(s.documents.size()) {
    for (std::size_t k = 0; k < s.cases.size(); ++k) case_index_[s.cases[k].id] = k;
    for (std::size_t d = 0; d < s.documents.size(); ++d) {
      const auto& doc = s.documents[d];
      doc_index_[doc.id] = d;
      auto& at = docs_[d];
      for (const auto& t : doc.turns)
        if (t.case_id && t.start < t.end)
          if (const auto it = case_index_.find(*t.case_id); it != case_index_.end())
            at.turns.push_back({t.start, t.end, it->second});
      if (doc.case_id)
        if (const auto it = case_index_.find(*doc.case_id); it != case_index_.end())
          at.interview_case = it->second;
      // A one-to-one interview without turns is all spoken by its case.
      if (at.interview_case && doc.turns.empty())
        at.turns.push_back({0, doc.length, *at.interview_case});
    }
  }

  std::optional<std::size_t> doc_index(const std::string& id) const {
    const auto it = doc_index_.find(id);
    return it == doc_index_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<std::size_t> case_index(const std::string& id) const {
    const auto it = case_index_.find(id);
    return it == case_index_.end() ? std::nullopt : std::optional(it->second);
  }
  const std::vector<spoken_turn>& turns(std::size_t doc) const { return docs_[doc].turns; }

  // The cases (indices into study::cases) that the passage [start, end) of document
  // `doc` speaks for, in the order of their first turn, into `out` (cleared first).
  void cases_of(std::size_t doc, std::size_t start, std::size_t end,
                std::vector<std::size_t>& out) const {
    out.clear();
    const auto& at = docs_[doc];
    if (at.interview_case) {
      out.push_back(*at.interview_case);
      return;
    }
    auto it = std::partition_point(at.turns.begin(), at.turns.end(),
                                   [&](const spoken_turn& t) { return t.end <= start; });
    for (; it != at.turns.end() && it->start < end; ++it)
      if (std::find(out.begin(), out.end(), it->case_k) == out.end()) out.push_back(it->case_k);
  }

 private:
  struct doc_speakers {
    std::vector<spoken_turn> turns;
    std::optional<std::size_t> interview_case;
  };
  std::unordered_map<std::string, std::size_t> case_index_, doc_index_;
  std::vector<doc_speakers> docs_;
};

// For every code (index into framework::codes) the indices of the codes it counts
// towards: itself and its ancestors.
inline std::vector<std::vector<std::size_t>> ancestors_of(const framework& fw) {
  std::vector<std::vector<std::size_t>> out(fw.codes.size());
  for (std::size_t i = 0; i < fw.codes.size(); ++i)
    for (int at = static_cast<int>(i); at >= 0; at = fw.codes[static_cast<std::size_t>(at)].parent)
      out[i].push_back(static_cast<std::size_t>(at));
  return out;
}

}  // namespace coding::detail
