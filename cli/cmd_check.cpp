#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

int cmd_check(const std::vector<std::string>& args, io io) {
  std::string project;
  po::options_description options("options");
  if (!parse(args, options, {}, "qcode check [-p FILE.qcode]",
             "Checks the project: SQLite's integrity check, then codings inside their documents,\n"
             "codes that exist, turns inside their documents and stored text against its hash.\n"
             "Exit status 1 when a problem is found. Then warns (exit status 0) of speakers not\n"
             "mapped to a case whose turns hold codings that count for nobody.",
             io, &project))
    return 0;
  const auto p = open_project(project);
  const auto problems = p.check();
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
