#include "diff.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include "utf8.hpp"

namespace coding::detail {
namespace {

// Myers' O(ND) greedy diff of a[0,n) and b[0,m), keeping each step's frontier so that
// the path can be traced back. Appends the common runs (offsets into a and b) to `out`.
// Gives up, returning false, when the texts differ in more than `max_d` edits.
template <class Eq>
bool myers(std::size_t n, std::size_t m, Eq eq, std::size_t max_d, std::vector<equal_block>& out,
           std::size_t a0, std::size_t b0) {
  const auto N = static_cast<std::ptrdiff_t>(n), M = static_cast<std::ptrdiff_t>(m);
  const std::ptrdiff_t max = std::min<std::ptrdiff_t>(N + M, static_cast<std::ptrdiff_t>(max_d));
  const std::ptrdiff_t offset = max + 1;
  std::vector<std::ptrdiff_t> v(static_cast<std::size_t>(2 * max + 3), 0);
  std::vector<std::vector<std::ptrdiff_t>> trace;
  std::ptrdiff_t found = -1;
  for (std::ptrdiff_t d = 0; d <= max; ++d) {
    trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
    for (std::ptrdiff_t k = -d; k <= d; k += 2) {
      std::ptrdiff_t x = (k == -d || (k != d && v[static_cast<std::size_t>(offset + k - 1)] <
                                                    v[static_cast<std::size_t>(offset + k + 1)]))
                             ? v[static_cast<std::size_t>(offset + k + 1)]
                             : v[static_cast<std::size_t>(offset + k - 1)] + 1;
      std::ptrdiff_t y = x - k;
      while (x < N && y < M && eq(static_cast<std::size_t>(x), static_cast<std::size_t>(y)))
        ++x, ++y;
      v[static_cast<std::size_t>(offset + k)] = x;
      if (x >= N && y >= M) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return false;
  // Trace back from (N, M), collecting diagonals (common runs).
  std::vector<equal_block> runs;
  std::ptrdiff_t x = N, y = M;
  for (std::ptrdiff_t d = found; d >= 0; --d) {
    const auto& vd = trace[static_cast<std::size_t>(d)];  // holds k in [-d-1, d+1]
    auto at = [&](std::ptrdiff_t k) { return vd[static_cast<std::size_t>(k + d + 1)]; };
    const std::ptrdiff_t k = x - y;
    std::ptrdiff_t prev_k = 0, prev_x = 0, prev_y = 0;
    if (d > 0) {
      prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
      prev_x = at(prev_k);  // where step d - 1 ended on diagonal prev_k
      prev_y = prev_x - prev_k;
    }
    const std::ptrdiff_t start_x = d > 0 ? (prev_k == k + 1 ? prev_x : prev_x + 1) : 0;
    const std::ptrdiff_t start_y = start_x - k;
    if (x > start_x)
      runs.push_back({a0 + static_cast<std::size_t>(start_x),
                      b0 + static_cast<std::size_t>(start_y),
                      static_cast<std::size_t>(x - start_x)});
    x = prev_x;
    y = prev_y;
  }
  std::reverse(runs.begin(), runs.end());
  out.insert(out.end(), runs.begin(), runs.end());
  return true;
}

struct line_span {
  std::size_t start, end;  // code points, end includes the LF
};

std::vector<line_span> lines_of(const std::u32string& t) {
  std::vector<line_span> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i] == U'\n') {
      out.push_back({start, i + 1});
      start = i + 1;
    }
  if (start < t.size()) out.push_back({start, t.size()});
  return out;
}

constexpr std::size_t kMaxLineEdits = 4000;
constexpr std::size_t kMaxCharEdits = 2000;

}  // namespace

std::vector<equal_block> diff_text(std::string_view old_text, std::string_view new_text) {
  const auto a = to_code_points(old_text), b = to_code_points(new_text);
  const auto la = lines_of(a), lb = lines_of(b);
  // Lines compared through ids, so that the line diff compares integers.
  std::unordered_map<std::u32string_view, std::size_t> ids;
  auto id_of = [&](const std::u32string& t, line_span l) {
    return ids.emplace(std::u32string_view(t).substr(l.start, l.end - l.start), ids.size())
        .first->second;
  };
  std::vector<std::size_t> ia, ib;
  for (const auto l : la) ia.push_back(id_of(a, l));
  for (const auto l : lb) ib.push_back(id_of(b, l));

  std::vector<equal_block> line_runs;
  if (!myers(
          ia.size(), ib.size(), [&](std::size_t i, std::size_t j) { return ia[i] == ib[j]; },
          kMaxLineEdits, line_runs, 0, 0))
    line_runs.clear();

  std::vector<equal_block> out;
  auto char_diff = [&](std::size_t a_begin, std::size_t a_end, std::size_t b_begin,
                       std::size_t b_end) {
    if (a_begin >= a_end || b_begin >= b_end) return;
    myers(
        a_end - a_begin, b_end - b_begin,
        [&](std::size_t i, std::size_t j) { return a[a_begin + i] == b[b_begin + j]; },
        kMaxCharEdits, out, a_begin, b_begin);
  };
  std::size_t ai = 0, bi = 0;  // next line not yet covered
  auto line_start = [](const std::vector<line_span>& ls, std::size_t i, std::size_t total) {
    return i < ls.size() ? ls[i].start : total;
  };
  for (const auto& r : line_runs) {
    char_diff(line_start(la, ai, a.size()), line_start(la, r.old_start, a.size()),
              line_start(lb, bi, b.size()), line_start(lb, r.new_start, b.size()));
    const std::size_t os = la[r.old_start].start, ns = lb[r.new_start].start;
    const std::size_t len = la[r.old_start + r.length - 1].end - os;
    out.push_back({os, ns, len});
    ai = r.old_start + r.length;
    bi = r.new_start + r.length;
  }
  char_diff(line_start(la, ai, a.size()), a.size(), line_start(lb, bi, b.size()), b.size());

  // Merge touching blocks so that a passage across a line boundary stays in one block.
  std::vector<equal_block> merged;
  for (const auto& x : out) {
    if (x.length == 0) continue;
    if (!merged.empty() && merged.back().old_start + merged.back().length == x.old_start &&
        merged.back().new_start + merged.back().length == x.new_start)
      merged.back().length += x.length;
    else
      merged.push_back(x);
  }
  return merged;
}

std::size_t map_position(const std::vector<equal_block>& blocks, std::size_t pos, bool as_end,
                         std::size_t new_length) {
  // The character that decides: for an end offset, the one before it.
  const std::size_t probe = as_end && pos > 0 ? pos - 1 : pos;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto& b = blocks[i];
    if (probe < b.old_start) {
      // In removed text before block i: lands where block i starts (a start), or where
      // the previous block ends (an end).
      if (!as_end) return b.new_start;
      return i == 0 ? 0 : blocks[i - 1].new_start + blocks[i - 1].length;
    }
    if (probe < b.old_start + b.length)
      return b.new_start + (probe - b.old_start) + (as_end ? 1 : 0);
  }
  if (blocks.empty()) return as_end ? new_length : 0;
  return as_end ? blocks.back().new_start + blocks.back().length : new_length;
}

bool unchanged_span(const std::vector<equal_block>& blocks, std::size_t start, std::size_t end) {
  for (const auto& b : blocks)
    if (start >= b.old_start && end <= b.old_start + b.length) return true;
  return false;
}

}  // namespace coding::detail
