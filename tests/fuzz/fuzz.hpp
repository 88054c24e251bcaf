#pragma once
// What the fuzz harnesses share (tests/fuzz/README.md). Each harness defines
// LLVMFuzzerTestOneInput, built with libFuzzer in the `fuzz` preset and into fuzz_replay
// (replay.cpp) in every other build.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "coding/error.hpp"
#include "coding/project.hpp"

namespace qcode_fuzz {

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Runs `f`, treating coding::error (input_error and its kinds included) as the expected
/// rejection of a bad input. Anything else escapes and is a finding.
template <class F>
int run(F&& f) {
  try {
    f();
  } catch (const coding::error&) {
  }
  return 0;
}

/// A folder of this process's own under the system's temporary folder, made once.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("qcode-fuzz-" + std::to_string(static_cast<long>(::getpid())));
    std::filesystem::create_directories(d);
    return d;
  }();
  static const bool cleaned = [] {
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch(), ignored);
    });
    return true;
  }();
  (void)cleaned;
  return dir;
}

/// Writes `content` to scratch()/name, for the loaders that take a path.
inline std::string write_file(std::string_view name, std::string_view content) {
  const auto path = scratch() / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(content.data(), static_cast<std::streamsize>(content.size()));
  return path.string();
}

/// An empty project in scratch(), made once, for the importers: they run as dry runs, so
/// that it stays empty and every input meets the same project.
inline coding::project& empty_project() {
  static coding::project p = coding::project::create((scratch() / "fuzz.qcode").string());
  return p;
}

}  // namespace qcode_fuzz
