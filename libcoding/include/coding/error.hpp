#pragma once
/// \file
/// The exceptions the library throws. The CLI maps them to exit codes in one place:
/// input_error (and its subclasses) means bad input or usage (exit 2); any other
/// coding::error or std::system_error is a failure (exit 1).

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace coding {

/// Base of every error the library throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad input: a file, a row, an option value or an id that the user must fix.
class input_error : public error {
 public:
  using error::error;
};

/// A project file that is damaged (cut short or overwritten in part): SQLite reports it
/// corrupt. `qcode check` catches it to report what can still be read.
class damaged_error : public input_error {
 public:
  using input_error::input_error;
};

/// A place in an input file. `line` and `column` are 1-based; 0 means unknown.
struct location {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;

  /// "file:line:column", "file:line" or "file", as far as known.
  std::string str() const;
};

/// Bad input at a known place in a file.
class parse_error : public input_error {
 public:
  parse_error(location where, std::string_view message);
  const location& where() const noexcept { return where_; }
  /// The message without the location prefix.
  const std::string& detail() const noexcept { return detail_; }

 private:
  location where_;
  std::string detail_;
};

/// One problem found while checking an input that reports every problem at once.
struct problem {
  location where;
  std::string message;
  /// "file:line:column: message"
  std::string str() const;
};

/// Several problems in one input (a framework file, say), all reported at once.
class problems_error : public input_error {
 public:
  problems_error(std::string_view what, std::vector<problem> problems);
  const std::vector<problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<problem> problems_;
};

/// The candidate closest to `value` by edit distance when it is close enough to be a
/// likely typo (at most a third of the length, and at most 3 edits); empty otherwise.
std::string closest_match(std::string_view value, const std::vector<std::string>& candidates);

/// Builds "unknown KIND 'VALUE'[ (WHERE)][; did you mean 'X'?]".
/// Example: unknown_message("code", "choice.infromed", "in codings.csv:14, column 4", ids).
std::string unknown_message(std::string_view kind, std::string_view value, std::string_view where,
                            const std::vector<std::string>& candidates);

/// Reads a whole file as bytes. Throws input_error naming the file when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace coding
