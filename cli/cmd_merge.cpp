// qcode merge: brings another project's work (a second coder's copy) into this one.

#include <fmt/format.h>

#include <algorithm>

#include "command.hpp"

namespace qcode {
namespace {

struct merge_command_options {
  std::string other;
  bool dry_run = false;
  bool accept_changes = false;
  std::string prefer;
  std::string project;
};

std::string list(const std::vector<std::string>& ids) {
  constexpr std::size_t shown = 10;
  if (ids.empty()) return {};
  std::vector<std::string> head(ids.begin(), ids.begin() + std::min(ids.size(), shown));
  return fmt::format(" ({}{})", fmt::join(head, ", "),
                     ids.size() > shown ? fmt::format(", {} more", ids.size() - shown) : "");
}

void print_plan(const coding::merge_result& r, std::string_view prefer, std::ostream& out) {
  out << fmt::format("documents: {} added{}, {} changed{}, {} unchanged\n",
                     r.documents_added.size(), list(r.documents_added), r.documents_changed.size(),
                     list(r.documents_changed), r.documents_unchanged);
  out << fmt::format("codes: {} added{}\n", r.codes_added.size(), list(r.codes_added));
  out << fmt::format("cases: {} added{}; {} set\n", r.cases_added.size(), list(r.cases_added),
                     coding::plural(r.attributes_set, "attribute", "attributes"));
  std::vector<std::string> coders;
  for (const auto& [coder, n] : r.coders_added) coders.push_back(fmt::format("{} {}", coder, n));
  out << fmt::format("codings: {} added{}, {} already here\n", r.codings_added,
                     coders.empty() ? "" : fmt::format(" ({})", fmt::join(coders, ", ")),
                     r.codings_duplicate);
  out << fmt::format("chart summaries: {} set\n", r.summaries_set);
  if (r.queries_set > 0) out << fmt::format("saved queries: {} set\n", r.queries_set);
  out << fmt::format("memos: {} set\n", r.memos_set);
  out << fmt::format("speaker mappings: {} set\n", r.mappings_set);
  const auto resolved = prefer == "ours"     ? "conflict, ours kept: "
                        : prefer == "theirs" ? "conflict, theirs taken: "
                                             : "conflict: ";
  for (const auto& c : r.conflicts) out << resolved << coding::describe(c) << '\n';
  for (const auto& c : r.changed) out << "passage changed: " << coding::describe(c) << '\n';
}

}  // namespace

int cmd_merge(const std::vector<std::string>& args, io io) {
  merge_command_options o;
  po::options_description options("options");
  options.add_options()("other", po::value(&o.other)->required(), "the project to merge in")(
      "dry-run", po::bool_switch(&o.dry_run), "report what would be merged, change nothing")(
      "prefer", po::value(&o.prefer), "ours or theirs: the side that wins every conflict")(
      "accept-changes", po::bool_switch(&o.accept_changes),
      "take the other project's text of a changed document, re-anchoring codings");
  po::positional_options_description positional;
  positional.add("other", 1);
  if (!parse(args, options, positional,
             "qcode merge OTHER.qcode [--dry-run] [--prefer ours|theirs] [--accept-changes]",
             "Brings the work of another project (a copy made with 'qcode copy') into this one:\n"
             "documents it added, codes it added, cases and their attributes, codings with\n"
             "their coders (exact duplicates are left alone), chart summaries and memos.\n"
             "Every conflict (a code with another label, an attribute with two values, a\n"
             "chart cell or memo with two texts) is listed, and refuses the merge unless\n"
             "--prefer names the side that wins. A document whose text differs refuses it\n"
             "unless --accept-changes, which re-anchors this project's codings as a\n"
             "re-import does. One change: 'qcode undo' reverts it.",
             io, &o.project))
    return 0;
  coding::merge_options m;
  m.dry_run = o.dry_run;
  m.accept_changes = o.accept_changes;
  if (o.prefer == "ours")
    m.prefer = coding::merge_options::side::ours;
  else if (o.prefer == "theirs")
    m.prefer = coding::merge_options::side::theirs;
  else if (!o.prefer.empty())
    throw coding::input_error(fmt::format("--prefer '{}': expected ours or theirs", o.prefer));
  auto p = open_project(o.project, o.dry_run);
  const auto r = p.merge(o.other, m);
  print_plan(r, o.prefer, io.out);
  if (!r.refused.empty())
    throw coding::input_error(fmt::format("merge refused, nothing changed: {}", r.refused));
  if (o.dry_run)
    io.err << "(dry run: nothing was changed)\n";
  else
    io.err << fmt::format("merged {} into {} ('qcode undo' reverts it)\n", o.other, p.path());
  return 0;
}

}  // namespace qcode
