#pragma once
// What every command shares: its signature, option parsing with --help, and opening the
// project. Commands write data to `out` and messages to `err`; errors are thrown and
// turned into exit codes in main.cpp only.

#include <boost/program_options.hpp>
#include <coding/coding.hpp>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qcode {

namespace po = boost::program_options;

struct io {
  std::ostream& out;
  std::ostream& err;
};

using command_fn = int (*)(const std::vector<std::string>& args, io io);

struct command {
  std::string_view name;
  command_fn run;
  std::string_view summary;
};

/// The table of commands, in the order `qcode --help` lists them.
const std::vector<command>& commands();

/// Binds an option without a default to `target`, which stays empty unless it is given
/// (po::value<T>(&field) cannot tell "not given" from a given default-like value).
template <class T>
po::typed_value<T>* optional_value(std::optional<T>* target) {
  return po::value<T>()->notifier([target](const T& v) { *target = v; });
}

/// Parses `args` against `options` (and `positional`), whose values are bound to an
/// options struct, adding --help and, when `project` is not null, -p/--project bound to
/// it. Prints usage and returns false when --help was given. Throws po::error for bad
/// usage and input_error for a missing positional argument.
bool parse(const std::vector<std::string>& args, po::options_description& options,
           const po::positional_options_description& positional, std::string_view usage,
           std::string_view about, io io, std::string* project);

/// Records the command line that history entries name and a "still busy" error tells to
/// run again, and where notices while waiting for a busy project go (set once, in main).
void set_invocation(std::string command_line, std::ostream& notices);

/// Opens the project named by `project` (-p/--project), else $QCODE_PROJECT, else the one
/// *.qcode here. `snapshot` (dry runs): a private copy in memory, so that the command
/// never takes the project's write lock and changes nothing (project::open).
coding::project open_project(const std::string& project, bool snapshot = false);

/// Writes `write`'s output to the file named by -o (atomically, through a temporary
/// file renamed into place) or to `io.out`; says where on `io.err` for a file.
void write_output_impl(const std::string& path, io io, std::string_view what,
                       const std::function<void(std::ostream&)>& write);

/// Writes `write`'s output to `output` (-o FILE), or to io.out when it is empty or "-".
template <class F>
void write_output(const std::string& output, io io, std::string_view what, F write) {
  if (output.empty() || output == "-") {
    write(io.out);
    return;
  }
  write_output_impl(output, io, what, write);
}

/// The --format of an analysis (matrix, chart, cooccur): table, csv, json, md, html or
/// xlsx. Refuses xlsx to a terminal: a workbook needs -o FILE (or a pipe).
coding::format analysis_format(const std::string& name, const std::string& output);

/// --where ATTR=VALUE (repeatable) and --coder NAME, the filters every analysis takes.
struct filter_options {
  std::vector<std::string> where;
  std::optional<std::string> coder;
};
/// Adds --where and --coder, bound to `filters`.
void add_filter_options(po::options_description& options, filter_options& filters);

/// Says on io.err how many of `passages` (just coded) count for no case because they
/// lie in interviewers' turns, unmapped speech or outside any turn of a group document,
/// and where (the first few); says nothing when all count.
void warn_unattributed(const coding::project& p,
                       const std::vector<std::pair<std::string, coding::span>>& passages, io io);

/// A sub-command of a command with several (`cases list`, `speakers map`, ...).
struct subcommand {
  std::string_view name;
  command_fn run;
};

/// Runs the sub-command named by args[0] with the rest of `args`; prints `help` for
/// --help or -h; throws (unknown_subcommand) for a missing or unknown word.
int run_subcommand(std::string_view command, const std::vector<std::string>& args, io io,
                   std::string_view help, const std::vector<subcommand>& subcommands);

/// Rejects a leftover sub-command word or argument.
[[noreturn]] void unknown_subcommand(std::string_view command, std::string_view word,
                                     const std::vector<std::string>& known);

}  // namespace qcode
