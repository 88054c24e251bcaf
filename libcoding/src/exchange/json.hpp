#pragma once
// A small streaming JSON writer (pretty-printed), private to the library.

#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

namespace coding::detail {

class json_writer {
 public:
  explicit json_writer(std::ostream& out) : out_(out) {}
  ~json_writer() {
    if (stack_.empty()) out_ << '\n';
  }

  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }
  json_writer& key(std::string_view k) {
    separate();
    string(k);
    out_ << ": ";
    after_key_ = true;
    return *this;
  }
  json_writer& value(std::string_view v) {
    return scalar([&] { string(v); });
  }
  json_writer& value(const char* v) { return value(std::string_view(v)); }
  json_writer& value(std::int64_t v) {
    return scalar([&] { out_ << v; });
  }
  json_writer& value(std::size_t v) {
    return scalar([&] { out_ << v; });
  }
  json_writer& value(int v) { return value(static_cast<std::int64_t>(v)); }
  json_writer& value(bool v) {
    return scalar([&] { out_ << (v ? "true" : "false"); });
  }
  /// A number rounded to 4 decimal places, written in its shortest form.
  json_writer& value(double v);
  json_writer& null() {
    return scalar([&] { out_ << "null"; });
  }
  template <class T>
  json_writer& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  template <class K, class V>
  json_writer& field(K k, const V& v) {
    key(k);
    return value(v);
  }

 private:
  template <class F>
  json_writer& scalar(F write) {
    separate();
    write();
    after_key_ = false;
    return *this;
  }
  json_writer& open(char c);
  json_writer& close(char c);
  void separate();
  void newline();
  void string(std::string_view s);

  std::ostream& out_;
  std::vector<bool> stack_;  // per level: has a member been written yet
  bool after_key_ = false;
};

}  // namespace coding::detail
