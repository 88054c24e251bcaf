#include <fmt/format.h>

#include <algorithm>

#include "command.hpp"

namespace qcode {
namespace {

struct speakers_list_options {
  std::vector<std::string> docs;
  bool unmapped = false;
  std::string format;
  std::string project;
};

int speakers_list(const std::vector<std::string>& args, io io) {
  speakers_list_options o;
  po::options_description options("options");
  options.add_options()("doc", po::value(&o.docs), "only this document (repeatable)")(
      "unmapped", po::bool_switch(&o.unmapped),
      "only labels that speak for no case and are not interviewers")(
      "format,f", po::value(&o.format)->default_value("table"), "table, csv or json");
  if (!parse(
          args, options, {},
          "qcode speakers list [--doc DOC]... [--unmapped] [--format table|csv|json]",
          "Lists every speaker label of every document: its role (a case, an interviewer, or\n"
          "unmapped, with '(mapped)' when the researcher declared it), the case and its group,\n"
          "and the turns, characters and codings under it. Codings in unmapped speech count for\n"
          "no case in the matrix; map the label with 'qcode speakers map'.",
          io, &o.project))
    return 0;
  using coding::format;
  const auto f = coding::parse_format(o.format, {format::table, format::csv, format::json});
  const auto p = open_project(o.project);
  const auto s = coding::load_corpus(p, false);
  const auto& docs = o.docs;
  if (!docs.empty()) {
    const auto known = p.documents().ids();
    for (const auto& d : docs)
      if (std::find(known.begin(), known.end(), d) == known.end())
        throw coding::input_error(coding::unknown_message("document", d, "", known));
  }
  std::vector<coding::speaker_listing> shown;
  for (auto& l : coding::list_speakers(s)) {
    if (!docs.empty() && std::find(docs.begin(), docs.end(), l.doc) == docs.end()) continue;
    if (o.unmapped && !l.role.unmapped()) continue;
    shown.push_back(std::move(l));
  }
  coding::write_speaker_list(io.out, shown, f);
  if (shown.empty() && f == format::table)
    io.err << (o.unmapped ? "every speaker is mapped to a case or is an interviewer\n"
                          : "no speakers\n");
  return 0;
}

struct speakers_map_options {
  std::string doc;
  std::vector<std::string> mappings;
  std::optional<std::string> case_id;
  bool group = false;
  std::string project;
};

int speakers_map(const std::vector<std::string>& args, io io) {
  speakers_map_options o;
  po::options_description options("options");
  options.add_options()("doc", po::value(&o.doc)->required(), "the document")(
      "mappings", po::value(&o.mappings), "LABEL=CASE, LABEL=interviewer or LABEL= (forget)")(
      "case", optional_value(&o.case_id), "declare the document a one-to-one interview with CASE")(
      "group", po::bool_switch(&o.group),
      "declare the document a group document (no case of its own)");
  po::positional_options_description positional;
  positional.add("doc", 1).add("mappings", -1);
  if (!parse(
          args, options, positional,
          "qcode speakers map DOC [LABEL=CASE...] [--case CASE | --group]",
          "Maps speaker labels of DOC to cases: LABEL=CASE (the case is created when new),\n"
          "LABEL=interviewer or LABEL=moderator (speaks for no case), or LABEL= to forget the\n"
          "mapping (the label is read again as on import). Quote a label with spaces or commas:\n"
          "  qcode speakers map teams 'Hurst, Peter=P07' 'Smith, Ann=interviewer'\n"
          "--case declares DOC a one-to-one interview (every passage speaks for CASE), --group a\n"
          "group document. Mappings stay with the document when it is re-imported. One change,\n"
          "which 'qcode undo' reverts.",
          io, &o.project))
    return 0;
  if (o.case_id && o.group) throw coding::input_error("give --case or --group, not both");
  const auto& doc = o.doc;
  std::vector<coding::speaker_mapping> mappings;
  for (const auto& item : o.mappings) {
    auto [label, role] = coding::parse_speaker_mapping(item, "mapping");
    mappings.push_back({doc, std::move(label), std::move(role)});
  }
  if (mappings.empty() && !o.case_id && !o.group)
    throw coding::input_error(
        "nothing to map: give LABEL=CASE items, --case CASE or --group "
        "(see 'qcode speakers list --doc " +
        doc + "')");
  auto p = open_project(o.project);
  const auto r = o.case_id || o.group
                     ? p.documents().set_case(doc, o.case_id.value_or(""), mappings)
                     : p.documents().map_speakers(mappings);
  for (const auto& c : r.new_cases) io.err << fmt::format("new case {}\n", c);
  io.err << fmt::format("{}: {} changed, {} now speak{} for another case (or none)\n", doc,
                        coding::plural(r.changed, "mapping", "mappings"),
                        coding::plural(r.turns, "turn", "turns"), r.turns == 1 ? "s" : "");
  return 0;
}

}  // namespace

int cmd_speakers(const std::vector<std::string>& args, io io) {
  return run_subcommand(
      "speakers", args, io,
      "usage: qcode speakers list [--doc DOC]... [--unmapped] [--format table|csv|json]\n"
      "       qcode speakers map DOC [LABEL=CASE...] [--case CASE | --group]\n\n"
      "list shows every document's speaker labels and the case each speaks for; map\n"
      "maps labels to cases (or interviewers), or declares a document one-to-one with a\n"
      "case. Mappings belong to the project: a re-import keeps them.\n",
      {{"list", speakers_list}, {"map", speakers_map}});
}

}  // namespace qcode
