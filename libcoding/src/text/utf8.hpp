#pragma once
// UTF-8 stepping and appending through ICU's macros, private to the library: one
// wrapper for every source file (the macros trip -Wconversion inside their expansion).

#include <unicode/utf8.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace coding::detail {

/// The code point at byte `i` of `s`, advancing `i` past it; negative for an invalid
/// sequence (then `i` moves past the bad bytes).
inline UChar32 next_code_point(std::string_view s, std::size_t& i) {
  UChar32 c = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
  U8_NEXT(s.data(), i, s.size(), c);
#pragma GCC diagnostic pop
  return c;
}

/// Appends code point `c` (a valid scalar value) to `out` as UTF-8.
inline void append_utf8(std::string& out, char32_t c) {
  char buffer[U8_MAX_LENGTH];
  std::size_t length = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
  U8_APPEND_UNSAFE(buffer, length, static_cast<UChar32>(c));
#pragma GCC diagnostic pop
  out.append(buffer, length);
}

/// The code points of valid UTF-8 `s`.
inline std::u32string to_code_points(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();)
    out.push_back(static_cast<char32_t>(next_code_point(s, i)));
  return out;
}

}  // namespace coding::detail
