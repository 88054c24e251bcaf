// The security rules of `qcode serve` (web/security.cpp), each on its own.

#include "security.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace coding::web;

TEST_CASE("random tokens are 64 hex digits and differ") {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const auto t = random_token();
    CHECK(t.size() == 64);
    CHECK(t.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(t);
  }
  CHECK(seen.size() == 20);
}

TEST_CASE("same_token accepts only the exact token") {
  CHECK(same_token("abc123", "abc123"));
  CHECK_FALSE(same_token("abc124", "abc123"));
  CHECK_FALSE(same_token("abc12", "abc123"));    // a prefix
  CHECK_FALSE(same_token("abc1234", "abc123"));  // longer
  CHECK_FALSE(same_token("", "abc123"));
  CHECK_FALSE(same_token("", ""));  // no token configured is never a match
}

TEST_CASE("cookie_value finds one cookie among several") {
  CHECK(cookie_value("qcode_token=abc", "qcode_token") == "abc");
  CHECK(cookie_value("a=1; qcode_token=abc; b=2", "qcode_token") == "abc");
  CHECK(cookie_value("a=1;qcode_token=abc", "qcode_token") == "abc");
  CHECK_FALSE(cookie_value("xqcode_token=abc", "qcode_token"));
  CHECK_FALSE(cookie_value("", "qcode_token"));
  CHECK_FALSE(cookie_value("qcode_token", "qcode_token"));
}

TEST_CASE("bearer_token reads Authorization: Bearer") {
  CHECK(bearer_token("Bearer abc") == "abc");
  CHECK(bearer_token("bearer abc") == "abc");
  CHECK_FALSE(bearer_token("Basic abc"));
  CHECK_FALSE(bearer_token("Bearer "));
}

TEST_CASE("loopback addresses") {
  CHECK(is_loopback("127.0.0.1"));
  CHECK(is_loopback("127.1.2.3"));
  CHECK(is_loopback("::1"));
  CHECK(is_loopback("localhost"));
  CHECK_FALSE(is_loopback("0.0.0.0"));
  CHECK_FALSE(is_loopback("192.168.1.4"));
  CHECK_FALSE(is_loopback("127.example.com"));
}

TEST_CASE("host_allowed refuses names that DNS rebinding can send") {
  const host_policy policy{8123, {"workstation"}};
  CHECK(host_allowed("127.0.0.1:8123", policy));
  CHECK(host_allowed("localhost:8123", policy));
  CHECK(host_allowed("LOCALHOST:8123", policy));
  CHECK(host_allowed("[::1]:8123", policy));
  CHECK(host_allowed("192.168.1.4:8123", policy));  // an address literal
  CHECK(host_allowed("workstation:8123", policy));  // the machine's name
  CHECK_FALSE(host_allowed("evil.example:8123", policy));
  CHECK_FALSE(host_allowed("127.0.0.1.evil.example:8123", policy));
  CHECK_FALSE(host_allowed("127.0.0.1:8124", policy));  // another port
  CHECK_FALSE(host_allowed("127.0.0.1", policy));       // port 80 implied
  CHECK_FALSE(host_allowed("", policy));
  CHECK_FALSE(host_allowed(":8123", policy));
  CHECK_FALSE(host_allowed("300.0.0.1:8123", policy));
  CHECK(host_allowed("localhost", host_policy{80, {}}));
}

TEST_CASE("same_origin accepts only the page's own origin") {
  CHECK(same_origin("http://127.0.0.1:8123", "127.0.0.1:8123"));
  CHECK_FALSE(same_origin("http://evil.example", "127.0.0.1:8123"));
  CHECK_FALSE(same_origin("https://127.0.0.1:8123", "127.0.0.1:8123"));
  CHECK_FALSE(same_origin("http://127.0.0.1:8124", "127.0.0.1:8123"));
  CHECK_FALSE(same_origin("null", "127.0.0.1:8123"));
  CHECK_FALSE(same_origin("http://127.0.0.1:8123", ""));
}

TEST_CASE("coder names") {
  CHECK(valid_coder_name("anna"));
  CHECK(valid_coder_name("Siân Jones"));
  CHECK_FALSE(valid_coder_name(""));
  CHECK_FALSE(valid_coder_name("   "));
  CHECK_FALSE(valid_coder_name("anna\nben"));
  CHECK_FALSE(valid_coder_name(std::string(101, 'a')));
}
