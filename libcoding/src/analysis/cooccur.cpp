#include "coding/cooccur.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "attribution.hpp"
#include "coding/project.hpp"
#include "coding/text.hpp"

namespace coding {
namespace {

// Calls f(doc, i, j, region, cases) for every passage where row codes i <= j both apply
// (for i == j: every separate passage coded with i) that speaks for at least one case
// counted; `cases` are those cases. Rows are the codes of the level, in framework order.
template <class F>
void for_each_region(const study& s, const cooccur_options& options,
                     const std::vector<std::size_t>& row_codes, const std::vector<char>& counted,
                     F f) {
  const auto& fw = s.fw;
  const auto ancestors = detail::ancestors_of(fw);
  std::vector<int> row_of_code(fw.codes.size(), -1);
  for (std::size_t r = 0; r < row_codes.size(); ++r)
    row_of_code[row_codes[r]] = static_cast<int>(r);
  std::unordered_map<std::string, std::size_t> code_index;
  for (std::size_t i = 0; i < fw.codes.size(); ++i) code_index[fw.codes[i].id] = i;

  const detail::attribution speakers(s);
  std::vector<std::vector<const coding_record*>> by_doc(s.documents.size());
  for (const auto& c : s.codings) {
    if (options.coder && c.coder != *options.coder) continue;
    if (const auto d = speakers.doc_index(c.doc)) by_doc[*d].push_back(&c);
  }
  const auto nrow = row_codes.size();
  std::vector<std::vector<detail::interval>> spans(nrow);
  std::vector<std::size_t> present, cases_here, counted_here;
  for (std::size_t d = 0; d < s.documents.size(); ++d) {
    if (by_doc[d].empty()) continue;
    for (auto& v : spans) v.clear();
    for (const auto* c : by_doc[d]) {
      const auto it = code_index.find(c->code);
      if (it == code_index.end()) continue;
      for (const auto a : ancestors[it->second])
        if (row_of_code[a] >= 0)
          spans[static_cast<std::size_t>(row_of_code[a])].push_back({c->start, c->end});
    }
    present.clear();
    for (std::size_t r = 0; r < nrow; ++r)
      if (!spans[r].empty()) {
        detail::merge(spans[r]);
        present.push_back(r);
      }
    const auto emit = [&](std::size_t i, std::size_t j, detail::interval x) {
      speakers.cases_of(d, x.start, x.end, cases_here);
      counted_here.clear();
      for (const auto k : cases_here)
        if (counted[k]) counted_here.push_back(k);
      if (!counted_here.empty()) f(d, i, j, x, counted_here);
    };
    for (std::size_t a = 0; a < present.size(); ++a) {
      const auto i = present[a];
      for (const auto& x : spans[i]) emit(i, i, x);
      for (std::size_t b = a + 1; b < present.size(); ++b) {
        const auto j = present[b];
        const auto& u = spans[i];
        const auto& v = spans[j];
        std::size_t p = 0, q = 0;
        while (p < u.size() && q < v.size()) {
          const auto lo = std::max(u[p].start, v[q].start);
          const auto hi = std::min(u[p].end, v[q].end);
          if (lo < hi) emit(i, j, {lo, hi});
          (u[p].end < v[q].end ? p : q)++;
        }
      }
    }
  }
}

struct setup {
  std::vector<std::size_t> row_codes;
  std::vector<char> counted;  // per case: passes the filters (and has a column, by group)
  detail::columns columns;    // empty list: one overall table
};

setup prepare(const study& s, const cooccur_options& options) {
  setup out;
  for (std::size_t i = 0; i < s.fw.codes.size(); ++i)
    if ((options.level == matrix_level::theme) == (s.fw.codes[i].depth == 0))
      out.row_codes.push_back(i);
  out.counted = detail::cases_passing(s, options.where);
  detail::check_coder(s, options.coder);
  if (!options.by.empty()) {
    out.columns = detail::make_columns(s, options.by, out.counted);
    for (std::size_t k = 0; k < s.cases.size(); ++k) out.counted[k] = out.columns.of_case[k] >= 0;
  }
  return out;
}

}  // namespace

cooccurrence compute_cooccurrence(const study& s, const cooccur_options& options) {
  auto set = prepare(s, options);
  cooccurrence out;
  out.level = options.level;
  out.by = options.by;
  for (const auto i : set.row_codes) {
    const auto& c = s.fw.codes[i];
    out.codes.push_back({c.id, c.label, c.depth, {}, 0.0});
  }
  const auto nrow = set.row_codes.size();
  const auto empty = std::vector<std::vector<std::size_t>>(nrow, std::vector<std::size_t>(nrow, 0));
  if (options.by.empty()) {
    std::size_t n = 0;
    for (const auto k : set.counted) n += k ? 1 : 0;
    out.tables.push_back({"", "All cases", n, empty});
  } else {
    for (const auto& col : set.columns.list)
      out.tables.push_back({col.id, col.label, col.n, empty});
  }
  std::vector<char> seen(out.tables.size());
  for_each_region(
      s, options, set.row_codes, set.counted,
      [&](std::size_t, std::size_t i, std::size_t j, detail::interval,
          const std::vector<std::size_t>& cases) {
        std::fill(seen.begin(), seen.end(), 0);
        for (const auto k : cases)
          seen[options.by.empty() ? 0 : static_cast<std::size_t>(set.columns.of_case[k])] = 1;
        for (std::size_t t = 0; t < seen.size(); ++t) {
          if (!seen[t]) continue;
          ++out.tables[t].counts[i][j];
          if (i != j) ++out.tables[t].counts[j][i];
        }
      });
  return out;
}

std::vector<quote> cooccurrence_quotes(const study& s, const cooccur_options& options) {
  const auto set = prepare(s, options);
  std::vector<quote> out;
  std::vector<std::unique_ptr<text_index>> indexes(s.documents.size());
  for_each_region(s, options, set.row_codes, set.counted,
                  [&](std::size_t d, std::size_t i, std::size_t j, detail::interval x,
                      const std::vector<std::size_t>& cases) {
                    if (i == j) return;
                    const auto& doc = s.documents[d];
                    if (!indexes[d]) indexes[d] = std::make_unique<text_index>(doc.text);
                    const auto& index = *indexes[d];
                    const auto& a = s.fw.codes[set.row_codes[i]];
                    const auto& b = s.fw.codes[set.row_codes[j]];
                    const auto& kase = s.cases[cases.front()];
                    const auto group = kase.attributes.find(s.fw.group_attribute);
                    const span where{x.start, x.end};
                    std::vector<std::string> tables;
                    if (options.by.empty())
                      tables.emplace_back();
                    else
                      for (const auto k : cases) {
                        const auto& id =
                            set.columns.list[static_cast<std::size_t>(set.columns.of_case[k])].id;
                        if (std::find(tables.begin(), tables.end(), id) == tables.end())
                          tables.push_back(id);
                      }
                    for (const auto& table : tables)
                      out.push_back({doc.id, kase.id,
                                     group == kase.attributes.end() ? std::string() : group->second,
                                     kase.attributes, "", fmt::format("{} × {}", a.label, b.label),
                                     "", where, reference(doc, where, index),
                                     std::string(index.slice(std::min(x.start, index.size()),
                                                             std::min(x.end, index.size()))),
                                     a.id, b.id, table});
                  });
  return out;
}

}  // namespace coding
