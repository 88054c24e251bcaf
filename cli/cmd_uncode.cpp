// qcode uncode: removes a code from passages chosen as qcode code chooses them.

#include <fmt/format.h>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {
namespace {

struct uncode_command_options {
  selector_options select;
  std::string code;
  std::optional<std::string> coder;
  bool dry_run = false;
  std::string project;
};

}  // namespace

int cmd_uncode(const std::vector<std::string>& args, io io) {
  uncode_command_options o;
  po::options_description options("options");
  po::positional_options_description positional;
  add_selector_options(options, positional, o.select);
  options.add_options()("code,c", po::value(&o.code)->required(), "full code id to remove")(
      "coder", optional_value(&o.coder), "remove only this coder's codings (default: everyone's)")(
      "dry-run", po::bool_switch(&o.dry_run),
      "list the passages that would be uncoded; change nothing");
  if (!parse(
          args, options, positional,
          "qcode uncode (DOC | --all-docs) [--chars A:B] [--lines A-B] [--turns A-B] [--speaker "
          "NAME]\n"
          "       [--match TEXT] [--regex RE] [--expand ...] --code CODE [--coder NAME] "
          "[--dry-run]",
          "Removes a code from passages chosen as 'qcode code' chooses them (several selectors:\n"
          "the text they all share): a coding inside a passage goes, one that overlaps its\n"
          "edge is trimmed, one around it is split in two.\n"
          "One transaction; 'qcode undo' restores what was removed.",
          io, &o.project))
    return 0;
  auto p = open_project(o.project, o.dry_run);
  const auto sel = select_passages(o.select, p);
  const auto& code = o.code;
  const auto& coder = o.coder;
  if (o.dry_run) {
    for (const auto& [doc, s] : sel.passages)
      io.out << fmt::format("{} {}:{}\n", doc, s.start, s.end);
    io.err << fmt::format("dry run: {} would be uncoded from {}; nothing was changed\n",
                          coding::plural(sel.passages.size(), "passage", "passages"), code);
    return 0;
  }
  std::vector<coding::document_passage> passages;
  for (const auto& [doc, s] : sel.passages) passages.push_back({doc, s});
  const auto touched = p.codings().remove(passages, code, coder);
  io.err << fmt::format("uncoded {} from {}: {} removed, trimmed or split\n", code,
                        coding::plural(sel.passages.size(), "passage", "passages"),
                        coding::plural(touched, "coding", "codings"));
  return 0;
}

}  // namespace qcode
