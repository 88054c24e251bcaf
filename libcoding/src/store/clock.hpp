#pragma once
// Times as the project stores them, private to the library: "YYYY-MM-DDTHH:MM:SSZ", UTC.

#include <ctime>
#include <string>

namespace coding::detail {

/// `when` as "YYYY-MM-DDTHH:MM:SSZ" in UTC.
inline std::string utc_text(std::time_t when) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

/// Now, as utc_text.
inline std::string now_utc() {
  return utc_text(std::time(nullptr));
}

}  // namespace coding::detail
