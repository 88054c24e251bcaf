#include "security.hpp"

#include <fmt/format.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <system_error>

namespace coding::web {
namespace {

bool is_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  while (true) {
    const auto dot = s.find('.');
    const auto part = s.substr(0, dot);
    if (!is_digits(part) || part.size() > 3 || std::stoi(std::string(part)) > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool is_ipv6_literal(std::string_view s) {  // "[...]" with hex digits, colons and dots
  if (s.size() < 4 || s.front() != '[' || s.back() != ']') return false;
  return std::all_of(s.begin() + 1, s.end() - 1,
                     [](unsigned char c) { return std::isxdigit(c) || c == ':' || c == '.'; });
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string random_token() {
  std::array<unsigned char, 32> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const auto n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "cannot make an access token");
    }
    filled += static_cast<std::size_t>(n);
  }
  std::string hex;
  for (const auto b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

bool same_token(std::string_view given, std::string_view expected) {
  // Every byte of `expected` is compared whatever the outcome, so that the time taken
  // does not tell how much of a guess was right.
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    diff = static_cast<unsigned char>(diff | (g ^ static_cast<unsigned char>(expected[i])));
  }
  return diff == 0 && !expected.empty();
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    auto pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      auto value = pair.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      return std::string(value);
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

std::optional<std::string> bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "Bearer ";
  if (authorization.size() <= scheme.size() ||
      !iequal(authorization.substr(0, scheme.size()), scheme))
    return std::nullopt;
  auto token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return std::string(token);
}

bool is_loopback(std::string_view host) {
  if (iequal(host, "localhost") || host == "::1" || host == "[::1]") return true;
  return is_ipv4(host) && host.substr(0, 4) == "127.";
}

bool host_allowed(std::string_view host_header, const host_policy& policy) {
  // "name:port", or "name" alone for port 80; an IPv6 literal is bracketed.
  std::string_view name = host_header, port = "80";
  const auto colon = host_header.rfind(':');
  if (colon != std::string_view::npos && host_header.back() != ']') {
    name = host_header.substr(0, colon);
    port = host_header.substr(colon + 1);
  }
  if (name.empty() || port != std::to_string(policy.port)) return false;
  if (iequal(name, "localhost") || is_ipv4(name) || is_ipv6_literal(name)) return true;
  return std::any_of(policy.names.begin(), policy.names.end(),
                     [&](const std::string& n) { return !n.empty() && iequal(name, n); });
}

bool same_origin(std::string_view origin, std::string_view host_header) {
  constexpr std::string_view scheme = "http://";
  return !host_header.empty() && origin.size() == scheme.size() + host_header.size() &&
         origin.substr(0, scheme.size()) == scheme &&
         iequal(origin.substr(scheme.size()), host_header);
}

bool valid_coder_name(std::string_view name) {
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  if (name.empty() || name.size() > 100) return false;
  return std::none_of(name.begin(), name.end(),
                      [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

}  // namespace coding::web
