// qcode log, undo and redo: the project's history of changes.

#include <fmt/format.h>

#include "command.hpp"

namespace qcode {
namespace {

// A long command line (an import of a thousand files) shown in full would drown the
// output; `log --format json` keeps it whole.
std::string shorten(const std::string& command) {
  constexpr std::size_t limit = 120;
  const coding::text_index index(command);
  if (index.size() <= limit) return command;
  return std::string(index.slice(0, limit)) +
         fmt::format("... ({} more characters)", index.size() - limit);
}

void print_entries(std::ostream& out, const std::vector<coding::history_entry>& entries) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries)
    rows.push_back({std::to_string(e.id), e.time, e.coder,
                    e.undone      ? "undone"
                    : e.compacted ? "compacted"
                                  : "",
                    shorten(e.command), e.summary});
  coding::write_table(out, {"#", "time", "coder", "state", "command", "what changed"}, rows,
                      {true, false, false, false, false, false}, 48);
}

struct step_options {
  std::size_t n = 1;
  std::string project;
};

// undo and redo share everything but the direction.
int step(const std::vector<std::string>& args, io io, bool undo) {
  step_options o;
  po::options_description options("options");
  options.add_options()("n", po::value(&o.n)->default_value(1), "how many changes");
  po::positional_options_description positional;
  positional.add("n", 1);
  if (!parse(args, options, positional, undo ? "qcode undo [N]" : "qcode redo [N]",
             undo
                 ? "Reverts the last change to the project (or the last N), restoring exactly the\n"
                   "state before it: imports, codings imports, coding, cases. 'qcode redo'\n"
                   "re-applies what was undone; a new change discards what could be redone."
                 : "Re-applies the last change that undo reverted (or the last N).",
             io, &o.project))
    return 0;
  auto p = open_project(o.project);
  const auto n = o.n;
  const auto entries = undo ? p.history().undo(n) : p.history().redo(n);
  for (const auto& e : entries)
    io.err << fmt::format("{} #{} {} ({}, {})\n", undo ? "undid" : "redid", e.id,
                          shorten(e.command), e.coder, e.summary);
  return 0;
}

struct log_options {
  std::string format;
  bool compact = false;
  std::optional<std::size_t> keep;
  std::string project;
};

// 12345678 bytes as "11.8 MiB".
std::string mebibytes(std::uint64_t bytes) {
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

}  // namespace

int cmd_log(const std::vector<std::string>& args, io io) {
  log_options o;
  po::options_description options("options");
  options.add_options()("format", po::value(&o.format)->default_value("table"), "table or json")(
      "compact", po::bool_switch(&o.compact),
      "drop what undo needs of older changes (they stay in the log) and shrink the file")(
      "keep", optional_value(&o.keep),
      "with --compact: the newest N changes stay undoable (default 0)");
  if (!parse(args, options, {}, "qcode log [--format table|json] | qcode log --compact [--keep N]",
             "Lists every change made to the project, oldest first: when, who, the command line\n"
             "and what changed. Undone changes are marked; 'qcode redo' re-applies them.\n\n"
             "--compact drops the undo data of every change but the newest N (--keep N, default\n"
             "0) and shrinks the file: undoing a re-import needs the old text of each document,\n"
             "so the history of a large study can outgrow the study. Compacted changes stay in\n"
             "the log, marked 'compacted'; undo stops before them. Undone changes keep what\n"
             "redo needs.",
             io, &o.project))
    return 0;
  if (o.keep && !o.compact) throw coding::input_error("--keep N goes with --compact");
  if (o.compact) {
    auto p = open_project(o.project);
    const auto r = p.history().compact(o.keep.value_or(0));
    io.err << fmt::format("compacted {}: they can no longer be undone; {} still can\n",
                          coding::plural(r.entries, "change", "changes"), r.kept);
    io.err << fmt::format(
        "project file: {} before, {} after ({} freed)\n", mebibytes(r.bytes_before),
        mebibytes(r.bytes_after),
        mebibytes(r.bytes_before > r.bytes_after ? r.bytes_before - r.bytes_after : 0));
    return 0;
  }
  using coding::format;
  const auto f = coding::parse_format(o.format, {format::table, format::json});
  const auto p = open_project(o.project);
  const auto entries = p.history().entries();
  if (f == format::table) {
    print_entries(io.out, entries);
    return 0;
  }
  coding::write_history_json(io.out, entries);
  return 0;
}

int cmd_undo(const std::vector<std::string>& args, io io) {
  return step(args, io, true);
}
int cmd_redo(const std::vector<std::string>& args, io io) {
  return step(args, io, false);
}

}  // namespace qcode
