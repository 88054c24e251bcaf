#include "command.hpp"

#include <filesystem>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <iostream>
#include <unistd.h>

#include "passages.hpp"

namespace qcode {

bool parse(const std::vector<std::string>& args, po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm,
           std::string_view usage, std::string_view about, io io, bool with_project) {
  options.add_options()("help,h", "show this help");
  if (with_project)
    options.add_options()("project,p", po::value<std::string>(),
                          "project file (default: $QCODE_PROJECT, else the one *.qcode here)");
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  if (vm.count("help")) {
    io.out << "usage: " << usage << "\n\n" << about << "\n\n" << options << '\n';
    return false;
  }
  try {
    po::notify(vm);
  } catch (const po::required_option& e) {
    // A missing positional argument is named as the usage line names it.
    auto name = e.get_option_name();
    if (name.rfind("--", 0) == 0) name.erase(0, 2);
    const auto positions = std::min(positional.max_total_count(), 16U);
    for (unsigned i = 0; i < positions; ++i)
      if (positional.name_for_position(i) == name) {
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        throw coding::input_error(fmt::format("missing {} (usage: {})", name, usage));
      }
    throw;
  }
  return true;
}

namespace {
std::string& invocation() {
  static std::string command_line = "qcode";
  return command_line;
}
}  // namespace

void set_invocation(std::string command_line) { invocation() = std::move(command_line); }

coding::project open_project(const po::variables_map& vm) {
  const auto given = vm.count("project") ? vm["project"].as<std::string>() : std::string();
  auto p = coding::project::open(coding::find_project_path(given));
  p.set_context(invocation(), coding::default_coder());
  return p;
}

void write_output_impl(const std::string& path, io io, std::string_view what,
                       const std::function<void(std::ostream&)>& write) {
  const std::string temp = fmt::format("{}.tmp-{}", path, ::getpid());
  {
    std::ofstream file(temp, std::ios::binary);
    if (!file) throw coding::input_error(fmt::format("cannot write '{}'", path));
    try {
      write(file);
      file.close();
      if (!file) throw coding::error(fmt::format("cannot write '{}'", path));
    } catch (...) {
      std::filesystem::remove(temp);
      throw;
    }
  }
  std::filesystem::rename(temp, path);
  io.err << fmt::format("wrote {} to {}\n", what, path);
}

coding::format analysis_format(const po::variables_map& vm) {
  using coding::format;
  const auto f = coding::parse_format(vm["format"].as<std::string>(), {format::table, format::csv, format::json,
                                                                      format::md, format::html, format::xlsx});
  const auto path = vm.count("output") ? vm["output"].as<std::string>() : std::string();
  if (f == format::xlsx && (path.empty() || path == "-") && ::isatty(STDOUT_FILENO))
    throw coding::input_error("an xlsx workbook is not for the terminal; name a file with -o FILE.xlsx");
  return f;
}

void add_filter_options(po::options_description& options) {
  options.add_options()("where", po::value<std::vector<std::string>>()->composing(),
                        "only cases with ATTR=VALUE (repeatable: one attribute twice means either value)")(
      "coder", po::value<std::string>(), "only this coder's codings");
}

std::vector<std::pair<std::string, std::string>> where_filters(const po::variables_map& vm) {
  return vm.count("where") ? parse_where(vm["where"].as<std::vector<std::string>>())
                           : std::vector<std::pair<std::string, std::string>>{};
}

std::optional<std::string> coder_filter(const po::variables_map& vm) {
  return vm.count("coder") ? std::optional(vm["coder"].as<std::string>()) : std::nullopt;
}

void unknown_subcommand(std::string_view command, std::string_view word,
                        const std::vector<std::string>& known) {
  if (word.empty())
    throw coding::input_error(fmt::format("'qcode {}' needs a sub-command: {}", command,
                                          fmt::join(known, ", ")));
  throw coding::input_error(
      coding::unknown_message(fmt::format("sub-command of '{}':", command), word, "", known) +
      fmt::format(" (choose one of: {})", fmt::join(known, ", ")));
}

}  // namespace qcode
