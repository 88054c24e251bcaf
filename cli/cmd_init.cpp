#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

int cmd_init(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(), "the project file to create")(
      "framework", po::value<std::string>(), "framework YAML to start the project with");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse(args, options, positional, vm, "qcode init FILE.qcode [--framework FRAMEWORK.yaml]",
             "Creates a project file. With --framework the project starts with that framework's\n"
             "themes, codes and groups; without it the project is empty, ready for an import.",
             io))
    return 0;
  const auto path = vm["file"].as<std::string>();
  std::optional<coding::framework> fw;
  if (vm.count("framework")) fw = coding::load_framework(vm["framework"].as<std::string>());
  coding::project::create(path, fw ? &*fw : nullptr);
  if (fw)
    io.err << fmt::format("created {} with framework '{}' ({} codes, {} groups)\n", path, fw->id,
                          fw->codes.size(), fw->groups.size());
  else
    io.err << fmt::format("created {} (empty)\n", path);
  return 0;
}

}  // namespace qcode
