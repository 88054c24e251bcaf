#include "progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace qcode {

namespace {
bool& quiet_flag() {
  static bool flag = false;
  return flag;
}

// Writes straight to file descriptor 2: the bar must not wait in a stream's buffer.
void put(const std::string& s) {
  std::fflush(stderr);
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    const auto n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string duration(double seconds) {
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
}
}  // namespace

void set_quiet(bool quiet) {
  quiet_flag() = quiet;
}

bool quiet() {
  return quiet_flag();
}

progress::progress(std::string what, std::string unit, std::size_t total)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      total_(total),
      enabled_(!quiet() && ::isatty(STDERR_FILENO) == 1) {}

progress::~progress() {
  finish();
}

std::string progress::line(const std::string& what, const std::string& unit, std::size_t done,
                           std::size_t total, double seconds) {
  std::string out = total > 0 ? fmt::format("{} {}/{} {}", what, done, total, unit)
                              : fmt::format("{} {} {}", what, done, unit);
  // A rate needs a little time to mean anything.
  if (seconds >= 0.5 && done > 0) {
    const double rate = static_cast<double>(done) / seconds;
    out += rate >= 10 ? fmt::format(", {:.0f}/s", rate) : fmt::format(", {:.1f}/s", rate);
    if (total > done)
      out += fmt::format(", {} left", duration(static_cast<double>(total - done) / rate));
  }
  return out;
}

void progress::update(std::size_t done) {
  update(done, total_);
}

void progress::update(std::size_t done, std::size_t total) {
  total_ = total;
  if (!enabled_) return;
  const auto now = clock::now();
  const bool last = total > 0 && done >= total;
  if (drawn_ && !last && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  put("\r" + line(what_, unit_, done, total, seconds) + "\033[K");
}

std::function<void(std::size_t, std::size_t)> progress::callback() {
  return [this](std::size_t done, std::size_t total) { update(done, total); };
}

void progress::finish() {
  if (enabled_ && drawn_) put("\r\033[K");
  enabled_ = false;
}

}  // namespace qcode
