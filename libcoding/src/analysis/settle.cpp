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
namespace {

// Sorts and joins overlapping or touching passages.
std::vector<span> merged(std::vector<span> v) {
  std::sort(v.begin(), v.end(),
            [](span a, span b) { return std::tie(a.start, a.end) < std::tie(b.start, b.end); });
  std::vector<span> out;
  for (const auto& x : v) {
    if (!out.empty() && x.start <= out.back().end)
      out.back().end = std::max(out.back().end, x.end);
    else
      out.push_back(x);
  }
  return out;
}

}  // namespace

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
  std::map<std::pair<std::string, std::string>, std::array<std::vector<span>, 2>> passages;
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
  for (const auto& [key, both] : passages) {
    const auto a = merged(both[0]), b = merged(both[1]);
    std::vector<span> result;
    if (o.rule == settle_rule::union_) {
      result = a;
      result.insert(result.end(), b.begin(), b.end());
      result = merged(result);
    } else {
      result = merged(intersect_passages(a, b));
    }
    for (const auto& x : result)
      if (x.end > x.start) add(key.first, x, key.second, {});
  }
  return out;
}

}  // namespace coding
