// qcode copy: a copy of the project with only some coders' codings, for a second coder.

#include <fmt/format.h>

#include <algorithm>

#include "command.hpp"

namespace qcode {
namespace {

struct copy_command_options {
  std::string out;
  std::string codings = "none";
  std::string project;
};

// "none", "all" or "CODER,CODER": the coders whose codings the copy keeps.
coding::copy_options parse_codings(const std::string& value) {
  coding::copy_options o;
  if (value == "none") return o;
  if (value == "all") {
    o.all_codings = true;
    return o;
  }
  o.coders = coding::split_list(value);
  if (std::find(o.coders.begin(), o.coders.end(), "") != o.coders.end())
    throw coding::input_error(fmt::format(
        "--codings '{}': expected none, all or coder names separated by commas", value));
  return o;
}

}  // namespace

int cmd_copy(const std::vector<std::string>& args, io io) {
  copy_command_options o;
  po::options_description options("options");
  options.add_options()("out", po::value(&o.out)->required(), "the project file to write")(
      "codings", po::value(&o.codings)->default_value("none"),
      "the codings to copy: none, all, or CODER,... (default none)");
  po::positional_options_description positional;
  positional.add("out", 1);
  if (!parse(args, options, positional, "qcode copy OUT.qcode [--codings none|all|CODER,...]",
             "Writes a new project file with this project's framework, documents, cases,\n"
             "memos, chart summaries and saved queries, and only the codings asked for: by\n"
             "default none, so that a second coder starts blind; 'all' keeps every coding,\n"
             "'anna,bob' those coders'. The copy starts with an empty history. 'qcode merge'\n"
             "brings its work back. OUT must not exist.",
             io, &o.project))
    return 0;
  const auto copy_options = parse_codings(o.codings);
  const auto p = open_project(o.project);
  const auto r = p.copy(o.out, copy_options);
  io.err << fmt::format("wrote {}: {}, {}, {}, {} ({} left out)\n", o.out,
                        coding::plural(r.documents, "document", "documents"),
                        coding::plural(r.cases, "case", "cases"),
                        coding::plural(r.summaries, "chart summary", "chart summaries"),
                        coding::plural(r.codings, "coding", "codings"), r.left_out);
  return 0;
}

}  // namespace qcode
