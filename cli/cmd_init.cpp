#include <fmt/format.h>

#include "command.hpp"

namespace qcode {
namespace {

struct init_command_options {
  std::string file;
  std::optional<std::string> framework;
  std::string project;
};

}  // namespace

int cmd_init(const std::vector<std::string>& args, io io) {
  init_command_options o;
  po::options_description options("options");
  options.add_options()("file", po::value(&o.file)->required(), "the project file to create")(
      "framework", optional_value(&o.framework), "framework YAML to start the project with");
  po::positional_options_description positional;
  positional.add("file", 1);
  if (!parse(args, options, positional, "qcode init FILE.qcode [--framework FRAMEWORK.yaml]",
             "Creates a project file. With --framework the project starts with that framework's\n"
             "themes, codes and groups; without it the project is empty, ready for an import.",
             io, &o.project))
    return 0;
  const auto& path = o.file;
  std::optional<coding::framework> fw;
  if (o.framework) {
    fw = coding::load_framework(*o.framework);
    coding::check_framework_queries(*fw, *o.framework);
  }
  coding::project::create(path, fw ? &*fw : nullptr);
  if (fw)
    io.err << fmt::format(
        "created {} with framework '{}' ({} codes, {} groups{})\n", path, fw->id, fw->codes.size(),
        fw->groups.size(),
        fw->queries.empty()
            ? std::string()
            : ", " + coding::plural(fw->queries.size(), "saved query", "saved queries"));
  else
    io.err << fmt::format("created {} (empty)\n", path);
  return 0;
}

}  // namespace qcode
