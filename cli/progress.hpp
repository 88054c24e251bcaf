#pragma once
// A progress bar for long work (import, codings import, REFI import and export, report):
// one line on standard error, redrawn in place, showing the count, the rate and the time
// left. Drawn only when standard error is a terminal and --quiet was not given, so that
// logs and pipes get nothing; cleared when the work is done. The library never prints:
// it reports through callbacks (e.g. refi_import_options::progress) that feed this.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace qcode {

/// --quiet: no progress bars (set once, in main.cpp or by a command's --quiet).
void set_quiet(bool quiet);
bool quiet();

class progress {
 public:
  /// `what` names the work ("importing"), `unit` the things counted ("files"); `total`
  /// may be set later by update(done, total).
  progress(std::string what, std::string unit, std::size_t total = 0);
  ~progress();
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;

  /// `done` of the total are done. Redraws at most ten times a second, always for the
  /// first and the last update.
  void update(std::size_t done);
  void update(std::size_t done, std::size_t total);
  /// A callback for a library call's options: update(done, total).
  std::function<void(std::size_t, std::size_t)> callback();
  /// Clears the line (the destructor does too); later updates draw nothing.
  void finish();

  /// The line as drawn, for `done` of `total` after `seconds`: "importing 3/10 files,
  /// 2.0/s, 4s left". Exposed for tests.
  static std::string line(const std::string& what, const std::string& unit, std::size_t done,
                          std::size_t total, double seconds);

 private:
  using clock = std::chrono::steady_clock;
  std::string what_, unit_;
  std::size_t total_;
  bool enabled_;
  bool drawn_ = false;
  clock::time_point start_ = clock::now();
  clock::time_point last_{};
};

}  // namespace qcode
