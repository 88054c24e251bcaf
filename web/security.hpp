#pragma once
// The checks every request to `qcode serve` passes (docs/serve.md, "Security model"):
// the access token, the Host header (DNS rebinding) and the Origin of changes (CSRF).
// Pure functions, so that each rule is tested on its own (tests/unit/web_security_test).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coding::web {

/// 32 random bytes from the system's generator, as 64 lower-case hex digits.
std::string random_token();

/// Whether `given` equals `expected`, in time that depends only on their lengths.
bool same_token(std::string_view given, std::string_view expected);

/// The value of cookie `name` in a Cookie header ("a=1; qcode_token=abc"), if present.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

/// The token of `Authorization: Bearer TOKEN`, if that is the header's form.
std::optional<std::string> bearer_token(std::string_view authorization);

/// True for an address that only this machine can reach: 127.0.0.0/8, ::1, localhost.
bool is_loopback(std::string_view host);

/// The Host header values the server answers to: `localhost`, any IPv4 or bracketed IPv6
/// literal (which no DNS-rebinding page can send), and the names in `names` (the --host
/// address, the machine's host name), each with `port`. Anything else is refused.
struct host_policy {
  int port = 0;
  std::vector<std::string> names;
};
bool host_allowed(std::string_view host_header, const host_policy& policy);

/// True when `origin` (an Origin header) is the origin of a page served at `host_header`
/// ("http://" + host), the page's own origin. "null" and other origins are refused.
bool same_origin(std::string_view origin, std::string_view host_header);

/// True for a coder name the server records: 1 to 100 characters after trimming, no
/// control characters.
bool valid_coder_name(std::string_view name);

}  // namespace coding::web
