#include "coding/codings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <tuple>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "strings.hpp"

namespace coding {
namespace {

using detail::parse_size;

// Splits "A<sep>B" (or "A" when `single` is allowed) into two whole numbers.
std::pair<std::size_t, std::size_t> parse_range(std::string_view range, char sep, bool single,
                                                std::string_view option, std::string_view form) {
  const auto at = range.find(sep);
  std::size_t a = 0, b = 0;
  const bool ok = at == std::string_view::npos
                      ? single && parse_size(range, a) && (b = a, true)
                      : parse_size(range.substr(0, at), a) && parse_size(range.substr(at + 1), b);
  if (!ok) throw input_error(fmt::format("malformed {} '{}': expected {}", option, range, form));
  return {a, b};
}

}  // namespace

span select_chars(const document& doc, std::string_view range) {
  const auto [a, b] = parse_range(range, ':', false, "--chars", "START:END, e.g. 120:245");
  if (a >= b)
    throw input_error(fmt::format(
        "empty or reversed range --chars {}: the end must be greater than the start", range));
  if (b > doc.length)
    throw input_error(
        fmt::format("--chars {} runs past the end of document '{}', which has {} characters", range,
                    doc.id, doc.length));
  return {a, b};
}

span select_lines(const document& doc, std::string_view range) {
  const auto [a, b] = parse_range(range, '-', true, "--lines", "FIRST-LAST or LINE, e.g. 12-18");
  const text_index index(doc.text);
  if (a == 0 || a > b)
    throw input_error(
        fmt::format("bad range --lines {}: lines are numbered from 1 and the last "
                    "must not come before the first",
                    range));
  if (b > index.line_count())
    throw input_error(
        fmt::format("--lines {} runs past the end of document '{}', which has {} lines", range,
                    doc.id, index.line_count()));
  const span s{index.line_start(a), index.line_end(b)};
  if (s.start >= s.end)
    throw input_error(fmt::format("--lines {} of document '{}' holds no text", range, doc.id));
  return s;
}

span select_turns(const document& doc, std::string_view range) {
  const auto [a, b] = parse_range(range, '-', true, "--turns", "FIRST-LAST or TURN, e.g. 3-5");
  if (a == 0 || a > b)
    throw input_error(
        fmt::format("bad range --turns {}: turns are numbered from 1 and the last "
                    "must not come before the first",
                    range));
  if (b > doc.turns.size())
    throw input_error(
        fmt::format("--turns {} runs past the end of document '{}', which has {} turns", range,
                    doc.id, doc.turns.size()));
  const span s{doc.turns[a - 1].start, doc.turns[b - 1].end};
  if (s.start >= s.end)
    throw input_error(fmt::format("--turns {} of document '{}' holds no text", range, doc.id));
  return s;
}

std::vector<span> intersect_passages(const std::vector<span>& a, std::vector<span> b) {
  // With b sorted by start and the running maximum of its ends, the passages of b that can
  // overlap one of a are a contiguous run, found by two binary searches, even when b's
  // passages overlap each other (hits widened to their paragraphs).
  std::sort(b.begin(), b.end(), [](const span& x, const span& y) {
    return std::tie(x.start, x.end) < std::tie(y.start, y.end);
  });
  std::vector<std::size_t> max_end(b.size());
  for (std::size_t i = 0; i < b.size(); ++i)
    max_end[i] = std::max(b[i].end, i ? max_end[i - 1] : 0);
  std::vector<span> out;
  for (const auto& x : a) {
    const auto from =
        static_cast<std::size_t>(std::partition_point(max_end.begin(), max_end.end(),
                                                      [&](std::size_t e) { return e <= x.start; }) -
                                 max_end.begin());
    for (std::size_t i = from; i < b.size() && b[i].start < x.end; ++i) {
      const span piece{std::max(x.start, b[i].start), std::min(x.end, b[i].end)};
      if (piece.start < piece.end) out.push_back(piece);
    }
  }
  std::sort(out.begin(), out.end(), [](const span& x, const span& y) {
    return std::tie(x.start, x.end) < std::tie(y.start, y.end);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string reference(const document& doc, span passage) {
  return reference(doc, passage, text_index(doc.text));
}

std::string reference(const document& doc, span passage, const text_index& index) {
  const auto first = index.line_of(passage.start);
  const auto last = index.line_of(passage.end > passage.start ? passage.end - 1 : passage.start);
  const auto lines =
      first == last ? fmt::format("l.{}", first) : fmt::format("l.{}-{}", first, last);
  // The first turn the passage overlaps decides. Its time alone would name every passage of
  // a long turn alike, so the lines always follow: a reference names one passage, and does
  // not change when another passage of the turn is coded.
  for (const auto& t : doc.turns) {
    if (t.end <= passage.start || t.start >= passage.end) continue;
    if (!t.time) break;
    const auto total = static_cast<long>(*t.time);
    if (total >= 3600)
      return fmt::format("{} {}:{:02}:{:02} {}", doc.id, total / 3600, total / 60 % 60, total % 60,
                         lines);
    return fmt::format("{} {}:{:02} {}", doc.id, total / 60, total % 60, lines);
  }
  return fmt::format("{} {}", doc.id, lines);
}

}  // namespace coding
