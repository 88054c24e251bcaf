#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

int cmd_check(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  po::variables_map vm;
  if (!parse(args, options, {}, vm, "qcode check [-p FILE.qcode]",
             "Checks the project: SQLite's integrity check, then codings inside their documents,\n"
             "codes that exist, turns inside their documents and stored text against its hash.\n"
             "Exit status 1 when a problem is found.",
             io))
    return 0;
  const auto p = open_project(vm);
  const auto problems = p.check();
  for (const auto& line : problems) io.out << line << '\n';
  if (!problems.empty()) {
    io.err << fmt::format("qcode: {} problem{} in {}\n", problems.size(),
                          problems.size() == 1 ? "" : "s", p.path());
    return 1;
  }
  const auto docs = p.list_documents();
  io.err << fmt::format("{}: ok ({} documents, {} cases, {} codings)\n", p.path(), docs.size(),
                        p.cases().size(), p.codings().size());
  return 0;
}

}  // namespace qcode
