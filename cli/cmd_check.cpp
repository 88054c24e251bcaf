#include <fmt/format.h>

#include <optional>

#include "command.hpp"

namespace qcode {

namespace {

// A damaged file: what SQLite's integrity check finds and what can still be read.
int report_damage(const std::string& path, const std::string& message, io io) {
  const auto r = coding::inspect_damaged_project(path);
  for (const auto& line : r.integrity) io.out << "integrity check: " << line << '\n';
  for (const auto& t : r.tables) {
    if (t.rows)
      io.out << fmt::format("table {}: {} readable\n", t.table,
                            coding::plural(static_cast<std::size_t>(*t.rows), "row", "rows"));
    else
      io.out << fmt::format("table {}: cannot be read{} ({})\n", t.table,
                            t.read ? fmt::format(" past row {}", t.read) : std::string(), t.error);
  }
  io.err << "qcode: " << message << '\n';
  return 2;
}

}  // namespace

int cmd_check(const std::vector<std::string>& args, io io) {
  std::string project;
  po::options_description options("options");
  if (!parse(args, options, {}, "qcode check [-p FILE.qcode]",
             "Checks the project: SQLite's integrity check, then codings inside their documents,\n"
             "codes that exist, turns inside their documents and stored text against its hash.\n"
             "Exit status 1 when a problem is found. Then warns (exit status 0) of speakers not\n"
             "mapped to a case whose turns hold codings that count for nobody.\n"
             "A damaged file (cut short or overwritten) that qcode cannot open: prints what\n"
             "SQLite's integrity check finds and how many rows of each table can still be\n"
             "read, names qcode's backups beside it, and exits with status 2.",
             io, &project))
    return 0;
  // The damage can show when the file is opened or only when a damaged page is read.
  std::optional<coding::project> opened;
  std::vector<std::string> problems;
  try {
    opened.emplace(open_project(project));
    problems = opened->check();
  } catch (const coding::damaged_error& e) {
    opened.reset();
    return report_damage(coding::find_project_path(project), e.what(), io);
  }
  const auto& p = *opened;
  for (const auto& line : problems) io.out << line << '\n';
  if (!problems.empty()) {
    io.err << fmt::format("qcode: {} in {}\n",
                          coding::plural(problems.size(), "problem", "problems"), p.path());
    return 1;
  }
  // Unmapped speech is a state of the research, not damage to the file: a warning, so
  // that scripts gating on check's exit status still fail only on a broken project. It is
  // looked for only in a sound project, whose documents and turns can be trusted.
  const auto s = coding::load_corpus(p, false);
  const auto unmapped = coding::find_unmapped_speech(s);
  for (const auto& u : unmapped) io.err << "warning: " << u.message() << '\n';
  io.err << fmt::format("{}: ok ({} documents, {} cases, {} codings", p.path(), s.documents.size(),
                        s.cases.size(), s.codings.size());
  if (!unmapped.empty())
    io.err << fmt::format("; {}", coding::plural(unmapped.size(), "warning", "warnings"));
  io.err << ")\n";
  return 0;
}

}  // namespace qcode
