// qcode uncode: removes a code from passages chosen as qcode code chooses them.

#include <fmt/format.h>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {

int cmd_uncode(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  po::positional_options_description positional;
  add_selector_options(options, positional);
  options.add_options()("code,c", po::value<std::string>()->required(), "full code id to remove")(
      "coder", po::value<std::string>(), "remove only this coder's codings (default: everyone's)")(
      "dry-run", po::bool_switch(), "list the passages that would be uncoded; change nothing");
  po::variables_map vm;
  if (!parse(
          args, options, positional, vm,
          "qcode uncode (DOC | --all-docs) [--chars A:B] [--lines A-B] [--turns A-B] [--speaker "
          "NAME]\n"
          "       [--match TEXT] [--regex RE] [--expand ...] --code CODE [--coder NAME] "
          "[--dry-run]",
          "Removes a code from passages chosen as 'qcode code' chooses them (several selectors:\n"
          "the text they all share): a coding inside a passage goes, one that overlaps its\n"
          "edge is trimmed, one around it is split in two.\n"
          "One transaction; 'qcode undo' restores what was removed.",
          io))
    return 0;
  auto p = open_project(vm);
  const auto sel = select_passages(vm, p);
  const auto code = vm["code"].as<std::string>();
  const std::optional<std::string> coder =
      vm.count("coder") ? std::optional(vm["coder"].as<std::string>()) : std::nullopt;
  if (vm["dry-run"].as<bool>()) {
    for (const auto& [doc, s] : sel.passages)
      io.out << fmt::format("{} {}:{}\n", doc, s.start, s.end);
    io.err << fmt::format("dry run: {} passage{} would be uncoded from {}; nothing was changed\n",
                          sel.passages.size(), sel.passages.size() == 1 ? "" : "s", code);
    return 0;
  }
  std::vector<coding::document_passage> passages;
  for (const auto& [doc, s] : sel.passages) passages.push_back({doc, s});
  const auto touched = p.codings().remove(passages, code, coder);
  io.err << fmt::format("uncoded {} from {} passage{}: {} coding{} removed, trimmed or split\n",
                        code, sel.passages.size(), sel.passages.size() == 1 ? "" : "s", touched,
                        touched == 1 ? "" : "s");
  return 0;
}

}  // namespace qcode
