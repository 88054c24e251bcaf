#pragma once
// Helpers shared by the unit tests: fixture paths and temporary folders.

#include <doctest/doctest.h>

#include <coding/document.hpp>
#include <coding/error.hpp>
#include <coding/text.hpp>
#include <exception>
#include <filesystem>
#include <random>
#include <string>

namespace test {

inline std::string fixture(const std::string& name) {
  return std::string(QCODE_FIXTURES) + "/" + name;
}
inline std::string source(const std::string& name) {
  return std::string(QCODE_SOURCE_DIR) + "/" + name;
}

/// The path of a real transcript in ../shared/real-transcripts beside the checkout (see its
/// SOURCES.md; those files are never copied into the repository), or empty, with a message
/// saying the test skipped, when the folder is not there.
inline std::string real_transcript(const std::string& name) {
  const auto path = std::string(QCODE_REAL_TRANSCRIPTS) + "/" + name;
  if (std::filesystem::exists(path)) return path;
  MESSAGE("skipped: " << path << " is not there");
  return {};
}

/// The text of turn `i` (0-based) of `doc`, cut by code points.
inline std::string turn_text(const coding::document& doc, std::size_t i) {
  const coding::text_index index(doc.text);
  return std::string(index.slice(doc.turns.at(i).start, doc.turns.at(i).end));
}

/// A fresh folder under the system's temporary folder, removed with the object.
class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("qcode-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The place a parse_error thrown by `f` names; fails the check for any other outcome.
template <typename F>
coding::location parse_error_at(F&& f) {
  try {
    f();
    FAIL_CHECK("no exception thrown");
  } catch (const coding::parse_error& e) {
    return e.where();
  } catch (const std::exception& e) {
    FAIL_CHECK("expected a parse_error, got: " << e.what());
  }
  return {};
}

}  // namespace test
