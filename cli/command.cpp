#include "command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include "passages.hpp"
#include "progress.hpp"

namespace qcode {

bool parse(const std::vector<std::string>& args, po::options_description& options,
           const po::positional_options_description& positional, std::string_view usage,
           std::string_view about, io io, std::string* project) {
  // --help is looked up before notify() stores the bound values, so it is not bound.
  options.add_options()("help,h", "show this help")("quiet",
                                                    po::bool_switch()->notifier([](bool q) {
                                                      if (q) set_quiet(true);
                                                    }),
                                                    "no progress bar on the terminal");
  if (project)
    options.add_options()("project,p", po::value<std::string>(project),
                          "project file (default: $QCODE_PROJECT, else the one *.qcode here)");
  po::variables_map vm;
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
std::ostream*& notice_stream() {
  static std::ostream* stream = nullptr;
  return stream;
}
}  // namespace

void set_invocation(std::string command_line, std::ostream& notices) {
  invocation() = std::move(command_line);
  notice_stream() = &notices;
}

coding::project open_project(const std::string& project, bool snapshot) {
  coding::open_options options;
  options.snapshot = snapshot;
  options.command = invocation();
  options.on_wait = [](const std::string& message) {
    if (auto* out = notice_stream()) *out << "qcode: " << message << std::endl;
  };
  auto p = coding::project::open(coding::find_project_path(project), options);
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

coding::format analysis_format(const std::string& name, const std::string& output) {
  using coding::format;
  const auto f = coding::parse_format(name, coding::analysis_formats());
  if (f == format::xlsx && (output.empty() || output == "-") && ::isatty(STDOUT_FILENO))
    throw coding::input_error(
        "an xlsx workbook is not for the terminal; name a file with -o FILE.xlsx");
  return f;
}

void add_filter_options(po::options_description& options, filter_options& filters) {
  options.add_options()(
      "where", po::value<std::vector<std::string>>(&filters.where)->composing(),
      "only cases with ATTR=VALUE (repeatable: one attribute twice means either value)")(
      "coder", optional_value(&filters.coder), "only this coder's codings");
}

void warn_unattributed(const coding::project& p,
                       const std::vector<std::pair<std::string, coding::span>>& passages, io io) {
  if (passages.empty()) return;
  // Who speaks where needs the documents' turns and the cases, not the codings.
  const auto s = coding::load_corpus(p, false, false);
  const coding::speaker_index who(s);
  constexpr std::size_t shown = 5;
  std::size_t nobody = 0;
  std::vector<std::string> where;
  for (const auto& passage : passages) {
    // Not a structured binding: the lambda below uses `doc`, which Clang 14 does not allow.
    const auto& doc = passage.first;
    const auto& span = passage.second;
    const auto heard = who.of(doc, span.start, span.end);
    if (!heard.cases.empty() || ++nobody > shown) continue;
    const auto d = std::find_if(s.documents.begin(), s.documents.end(),
                                [&](const coding::document& x) { return x.id == doc; });
    std::string speakers;
    for (const auto& label : heard.speakers) {
      const auto r =
          std::find_if(d->speakers.begin(), d->speakers.end(),
                       [&](const coding::speaker_role& role) { return role.label == label; });
      speakers += fmt::format(
          "{}'{}' ({})", speakers.empty() ? "" : ", ", label,
          r != d->speakers.end() && r->interviewer ? "interviewer" : "not mapped to a case");
    }
    const auto text = p.documents().find(doc);
    where.push_back(fmt::format("{}{}", text ? coding::reference(*text, span) : doc,
                                speakers.empty() ? " (outside any turn)" : ": " + speakers));
  }
  if (nobody == 0) return;
  io.err << fmt::format(
      "warning: {} of these passages count{} for no case: they lie only in interviewers' turns, "
      "speech not mapped to a case, or outside any turn of a group document\n",
      nobody, nobody == 1 ? "s" : "");
  for (const auto& w : where) io.err << "  " << w << '\n';
  if (nobody > shown) io.err << fmt::format("  ... and {} more\n", nobody - shown);
  io.err << "  map speakers with 'qcode speakers map DOC LABEL=CASE' (see 'qcode speakers list "
            "--unmapped')\n";
}

int run_subcommand(std::string_view command, const std::vector<std::string>& args, io io,
                   std::string_view help, const std::vector<subcommand>& subcommands) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    io.out << help;
    return 0;
  }
  std::vector<std::string> names;
  for (const auto& s : subcommands) {
    if (!args.empty() && args[0] == s.name) return s.run({args.begin() + 1, args.end()}, io);
    names.emplace_back(s.name);
  }
  unknown_subcommand(command, args.empty() ? "" : args[0], names);
}

void unknown_subcommand(std::string_view command, std::string_view word,
                        const std::vector<std::string>& known) {
  if (word.empty())
    throw coding::input_error(
        fmt::format("'qcode {}' needs a sub-command: {}", command, fmt::join(known, ", ")));
  throw coding::input_error(
      coding::unknown_message(fmt::format("sub-command of '{}':", command), word, "", known) +
      fmt::format(" (choose one of: {})", fmt::join(known, ", ")));
}

}  // namespace qcode
