#pragma once
/// \file
/// The library's version.

#include <string_view>

namespace coding {

/// "MAJOR.MINOR.PATCH", e.g. "0.1.0".
std::string_view version() noexcept;

}  // namespace coding
