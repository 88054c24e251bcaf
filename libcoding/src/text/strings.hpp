#pragma once
// Small string helpers shared by the layers. ASCII only: they never look inside a
// multi-byte UTF-8 sequence, so they are safe on UTF-8 text.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "coding/error.hpp"

namespace coding::detail {

/// Parses a whole non-negative decimal number; false for anything else ("", "-1", "1x").
inline bool parse_size(std::string_view s, std::size_t& out) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

/// The spaces trim removes unless told otherwise: space and tab.
inline constexpr std::string_view kBlanks = " \t";

/// `s` without the leading bytes that are in `spaces` (ASCII bytes).
/// trim_start("  a b ") == "a b ".
inline std::string_view trim_start(std::string_view s, std::string_view spaces = kBlanks) {
  const auto first = s.find_first_not_of(spaces);
  return first == std::string_view::npos ? s.substr(s.size()) : s.substr(first);
}

/// `s` without the trailing bytes that are in `spaces` (ASCII bytes).
/// trim_end("  a b ") == "  a b".
inline std::string_view trim_end(std::string_view s, std::string_view spaces = kBlanks) {
  const auto last = s.find_last_not_of(spaces);
  return last == std::string_view::npos ? s.substr(0, 0) : s.substr(0, last + 1);
}

/// `s` without the leading and trailing bytes that are in `spaces` (ASCII bytes).
/// trim("\t a b ") == "a b"; trim("a\n", " \t\n") == "a".
inline std::string_view trim(std::string_view s, std::string_view spaces = kBlanks) {
  return trim_end(trim_start(s, spaces), spaces);
}

/// The ASCII lower case of `c`; every other byte as it is.
constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `s` with ASCII letters in lower case; other bytes (UTF-8 included) as they are.
/// ascii_lower("Word/Document.XML") == "word/document.xml".
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

/// True when `a` and `b` are equal but for the case of ASCII letters.
/// iequals("Content_Types.XML", "content_types.xml") is true.
inline bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

/// The value named `name` in `values` (name, value pairs); throws input_error naming the
/// kind (`what`), a did-you-mean and every name. parse_choice("turn", "unit", units).
template <class T>
T parse_choice(std::string_view name, std::string_view what,
               const std::vector<std::pair<std::string, T>>& values) {
  std::vector<std::string> names;
  for (const auto& [n, v] : values) {
    if (n == name) return v;
    names.push_back(n);
  }
  throw input_error(unknown_message(what, name, "", names) +
                    fmt::format(" (choose one of: {})", fmt::join(names, ", ")));
}

}  // namespace coding::detail
