#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

int cmd_framework(const std::vector<std::string>& args, io io) {
  const std::vector<std::string> subs = {"check", "show"};
  if (args.empty() || (args[0] != "check" && args[0] != "show")) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      io.out << "usage: qcode framework check FRAMEWORK.yaml\n"
                "       qcode framework show [FRAMEWORK.yaml] [-p FILE.qcode]\n\n"
                "check reports every problem in a framework file at once, with file:line:column;\n"
                "show prints the code tree of a file, or of the project's framework.\n";
      return 0;
    }
    unknown_subcommand("framework", args.empty() ? "" : args[0], subs);
  }
  const std::string sub = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>(), "framework YAML file");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (sub == "check") {
    if (!parse(rest, options, positional, vm, "qcode framework check FRAMEWORK.yaml",
               "Checks a framework file and reports every problem at once (file:line:column).",
               io, false))
      return 0;
    if (!vm.count("file")) throw coding::input_error("'qcode framework check' needs a FRAMEWORK.yaml");
    const auto path = vm["file"].as<std::string>();
    const auto checked = coding::check_framework(coding::read_file(path), path);
    if (!checked.result) {
      throw coding::problems_error(
          fmt::format("{}: {} problem{}", path, checked.problems.size(),
                      checked.problems.size() == 1 ? "" : "s"),
          checked.problems);
    }
    const auto& fw = *checked.result;
    std::size_t themes = 0;
    for (const auto& c : fw.codes) themes += c.depth == 0;
    io.out << fmt::format("{}: ok ({} themes, {} codes below them, {} groups)\n", path, themes,
                          fw.codes.size() - themes, fw.groups.size());
    return 0;
  }
  if (!parse(rest, options, positional, vm, "qcode framework show [FRAMEWORK.yaml] [-p FILE.qcode]",
             "Prints the code tree (full ids and labels) and the respondent groups, of the file\n"
             "when one is given, else of the project's framework.",
             io))
    return 0;
  if (vm.count("file")) {
    coding::write_framework_tree(io.out, coding::load_framework(vm["file"].as<std::string>()));
    return 0;
  }
  const auto p = open_project(vm);
  const auto fw = p.get_framework();
  if (!fw) throw coding::input_error(fmt::format("project '{}' has no framework", p.path()));
  coding::write_framework_tree(io.out, *fw);
  return 0;
}

}  // namespace qcode
