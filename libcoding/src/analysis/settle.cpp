// A consensus coder's codings from two coders' work (`qcode agreement settle`).

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "attribution.hpp"
#include "coding/agreement.hpp"
#include "coding/codings.hpp"
#include "coding/error.hpp"

namespace coding {

std::vector<new_coding> settle_codings(const study& s, const settle_options& o) {
  if (o.from.size() != 2 || o.from[0] == o.from[1])
    throw input_error("settle needs two different coders: --from A,B");
  for (const auto& c : o.from) detail::check_coder(s, c);
  if (o.consensus.empty()) throw input_error("the consensus coder needs a name");
  for (const auto& c : s.codings)
    if (c.coder == o.consensus)
      throw input_error(fmt::format(
          "'{}' already has codings: settle writes a new coder's codings; choose another name "
          "with --coder, or remove those codings first",
          o.consensus));

  // (document, code) -> each coder's passages, in the order of the documents.
  std::map<std::pair<std::string, std::string>, std::array<std::vector<detail::interval>, 2>>
      passages;
  std::vector<new_coding> out;
  const auto add = [&](const std::string& doc, span x, const std::string& code,
                       const std::string& memo) {
    new_coding k;
    k.doc = doc;
    k.start = x.start;
    k.end = x.end;
    k.code = code;
    k.coder = o.consensus;
    k.memo = memo;
    out.push_back(std::move(k));
  };
  for (const auto& c : s.codings) {
    const int who = c.coder == o.from[0] ? 0 : c.coder == o.from[1] ? 1 : -1;
    if (who < 0) continue;
    if (o.rule == settle_rule::first) {
      if (who == 0) add(c.doc, {c.start, c.end}, c.code, c.memo);
      continue;
    }
    passages[{c.doc, c.code}][static_cast<std::size_t>(who)].push_back({c.start, c.end});
  }
  if (o.rule == settle_rule::first) return out;
  const auto spans = [](const std::vector<detail::interval>& v) {
    std::vector<span> list;
    for (const auto& x : v) list.push_back({x.start, x.end});
    return list;
  };
  for (auto& [key, both] : passages) {
    auto& [a, b] = both;
    std::vector<detail::interval> result;
    if (o.rule == settle_rule::union_) {
      result = a;
      result.insert(result.end(), b.begin(), b.end());
    } else {
      detail::merge(a);
      detail::merge(b);
      for (const auto& x : intersect_passages(spans(a), spans(b)))
        result.push_back({x.start, x.end});
    }
    detail::merge(result);  // joins overlapping or touching passages, drops empty ones
    for (const auto& x : result) add(key.first, {x.start, x.end}, key.second, {});
  }
  return out;
}

}  // namespace coding
