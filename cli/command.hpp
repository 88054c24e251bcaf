#pragma once
// What every command shares: its signature, option parsing with --help, and opening the
// project. Commands write data to `out` and messages to `err`; errors are thrown and
// turned into exit codes in main.cpp only.

#include <boost/program_options.hpp>
#include <coding/coding.hpp>
#include <functional>
#include <iosfwd>
#include <map>
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

/// Parses `args` against `options` (and `positional`), adding --help and, when
/// `with_project`, -p/--project. Prints usage and returns false when --help was given.
/// Throws po::error for bad usage.
bool parse(const std::vector<std::string>& args, po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm,
           std::string_view usage, std::string_view about, io io, bool with_project = true);

/// Records the command line that history entries name (set once, in main).
void set_invocation(std::string command_line);

/// Opens the project named by -p/--project, $QCODE_PROJECT or the one *.qcode here.
coding::project open_project(const po::variables_map& vm);

/// Writes `write`'s output to the file named by -o (atomically, through a temporary
/// file renamed into place) or to `io.out`; says where on `io.err` for a file.
void write_output_impl(const std::string& path, io io, std::string_view what,
                       const std::function<void(std::ostream&)>& write);

template <class F>
void write_output(const po::variables_map& vm, io io, std::string_view what, F write) {
  const auto path = vm.count("output") ? vm["output"].as<std::string>() : std::string();
  if (path.empty() || path == "-") {
    write(io.out);
    return;
  }
  write_output_impl(path, io, what, write);
}

/// The --format of an analysis (matrix, chart, cooccur): table, csv, json, md, html or
/// xlsx. Refuses xlsx to a terminal: a workbook needs -o FILE (or a pipe).
coding::format analysis_format(const po::variables_map& vm);

/// Adds --where ATTR=VALUE (repeatable) and --coder NAME, the filters every analysis takes.
void add_filter_options(po::options_description& options);
/// The --where filters and --coder given.
std::vector<std::pair<std::string, std::string>> where_filters(const po::variables_map& vm);
std::optional<std::string> coder_filter(const po::variables_map& vm);

/// One speaker mapping "LABEL=ROLE", split at the last '=' so that a label may hold
/// spaces, commas and '='. Throws input_error naming `option` when there is no '=' or no
/// label.
std::pair<std::string, std::string> parse_mapping(const std::string& item, std::string_view option);

/// --speakers values, each "LABEL=CASE[,LABEL=CASE...]": a piece without '=' belongs to
/// the label that follows ("Hurst, Peter=P1,IV=interviewer" maps "Hurst, Peter").
std::map<std::string, std::string> parse_speakers(const std::vector<std::string>& values);

/// Says on io.err how many of `passages` (just coded) count for no case because they
/// lie in interviewers' turns, unmapped speech or outside any turn of a group document,
/// and where (the first few); says nothing when all count.
void warn_unattributed(const coding::project& p,
                       const std::vector<std::pair<std::string, coding::span>>& passages, io io);

/// The project's documents (without text), cases and (`with_codings`) codings, with its
/// framework or an empty one: who speaks where, which needs no framework.
coding::study who_speaks_study(const coding::project& p, bool with_codings = true);

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
