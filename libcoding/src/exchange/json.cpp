#include "json.hpp"

#include <fmt/format.h>

namespace coding::detail {

json_writer& json_writer::value(double v) {
  return scalar([&] {
    const double rounded = std::round(v * 10000.0) / 10000.0;
    if (rounded == std::floor(rounded) && std::fabs(rounded) < 1e15)
      out_ << static_cast<std::int64_t>(rounded);
    else
      out_ << fmt::format("{}", rounded);
  });
}

json_writer& json_writer::open(char c) {
  separate();
  out_ << c;
  stack_.push_back(false);
  after_key_ = false;
  return *this;
}

json_writer& json_writer::close(char c) {
  const bool had_members = stack_.back();
  stack_.pop_back();
  if (had_members) newline();
  out_ << c;
  return *this;
}

void json_writer::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  if (stack_.back()) out_ << ',';
  stack_.back() = true;
  newline();
}

void json_writer::newline() {
  out_ << '\n';
  for (std::size_t i = 0; i < stack_.size(); ++i) out_ << "  ";
}

void json_writer::string(std::string_view s) {
  out_ << '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out_ << "\\\"";
        break;
      case '\\':
        out_ << "\\\\";
        break;
      case '\n':
        out_ << "\\n";
        break;
      case '\r':
        out_ << "\\r";
        break;
      case '\t':
        out_ << "\\t";
        break;
      default:
        if (c < 0x20)
          out_ << fmt::format("\\u{:04x}", c);
        else
          out_ << ch;
    }
  }
  out_ << '"';
}

}  // namespace coding::detail
