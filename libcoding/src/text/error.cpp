#include "coding/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "coding/text.hpp"

namespace coding {

std::string location::str() const {
  if (line == 0) return file;
  if (column == 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

parse_error::parse_error(location where, std::string_view message)
    : input_error(fmt::format("{}: {}", where.str(), message)),
      where_(std::move(where)),
      detail_(message) {}

std::string problem::str() const {
  return fmt::format("{}: {}", where.str(), message);
}

problems_error::problems_error(std::string_view what, std::vector<problem> problems)
    : input_error(std::string(what)), problems_(std::move(problems)) {}

std::string closest_match(std::string_view value, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  const std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, value.size() / 3));
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(value, candidate);
    if (d == 0 || d > limit) continue;
    if (best.empty() || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string unknown_message(std::string_view kind, std::string_view value, std::string_view where,
                            const std::vector<std::string>& candidates) {
  std::string message = fmt::format("unknown {} '{}'", kind, value);
  if (!where.empty()) message += fmt::format(" ({})", where);
  if (const auto match = closest_match(value, candidates); !match.empty())
    message += fmt::format("; did you mean '{}'?", match);
  return message;
}

std::string read_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw input_error(fmt::format("'{}' is a folder, not a file; name the files in it", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw input_error(fmt::format("cannot read '{}'", path));
  return std::move(buffer).str();
}

}  // namespace coding
