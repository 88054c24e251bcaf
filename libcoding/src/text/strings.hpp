#pragma once
// Small string helpers shared by the layers.

#include <charconv>
#include <cstddef>
#include <string_view>
#include <system_error>

namespace coding::detail {

/// Parses a whole non-negative decimal number; false for anything else ("", "-1", "1x").
inline bool parse_size(std::string_view s, std::size_t& out) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace coding::detail
