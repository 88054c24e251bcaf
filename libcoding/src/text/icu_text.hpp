#pragma once
// Conversions between UTF-8 and ICU strings, and ICU status checks, for the layers that
// call ICU directly.

#include <fmt/format.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "coding/error.hpp"

namespace coding::detail {

inline icu::UnicodeString to_unicode(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

inline std::string to_utf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

/// Throws coding::error naming `what` when `status` is a failure.
inline void check_icu(UErrorCode status, std::string_view what) {
  if (U_FAILURE(status)) throw error(fmt::format("{} failed: {}", what, u_errorName(status)));
}

}  // namespace coding::detail
