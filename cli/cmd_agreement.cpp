// qcode agreement: how far coders agree, and where they differ (docs/agreement.md).

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {
namespace {

struct agreement_command_options {
  std::string coders;
  std::string unit;
  std::string level;
  std::vector<std::string> codes;
  std::vector<std::string> docs;
  std::vector<std::string> where;
  double overlap = 90;
  bool disagreements = false;
  std::string format;
  std::string output;
  std::string project;
};

// --coders and --from: names separated by commas, none empty.
std::vector<std::string> split_names(const std::string& list) {
  auto names = coding::split_list(list);
  if (std::find(names.begin(), names.end(), "") != names.end())
    throw coding::input_error(
        fmt::format("--coders '{}' has an empty name: give names separated by commas", list));
  return names;
}

struct settle_command_options {
  std::string coder;
  std::string from;
  std::string rule;
  std::string project;
};

// qcode agreement settle: a consensus coder's codings from two coders' work.
int settle(const std::vector<std::string>& args, io io) {
  settle_command_options o;
  po::options_description options("options");
  options.add_options()("coder", po::value(&o.coder)->default_value("consensus"),
                        "the coder the consensus codings are by")(
      "from", po::value(&o.from), "the two coders settled, A,B (default: the two coders)")(
      "rule", po::value(&o.rule)->default_value("union"),
      "union, intersection, or a coder of --from whose codings are taken as they are");
  if (!parse(args, options, {},
             "qcode agreement settle [--coder consensus] [--from A,B] "
             "[--rule union|intersection|A]",
             "Writes a consensus coder's codings from two coders' work, as a starting point that\n"
             "the team then edits (code, uncode, codings recode, or the workbench): per document\n"
             "and code, the union of the two coders' passages, their intersection, or one\n"
             "coder's codings as they are. One change; 'qcode undo' takes it back. Afterwards\n"
             "every analysis can be read for --coder consensus.",
             io, &o.project))
    return 0;
  auto p = open_project(o.project);
  const auto study = coding::load_study(p, false);
  coding::settle_options so;
  so.consensus = o.coder;
  if (!o.from.empty()) {
    so.from = split_names(o.from);
  } else {
    std::set<std::string> coders;
    for (const auto& c : study.codings)
      if (c.coder != o.coder) coders.insert(c.coder);
    if (coders.size() != 2)
      throw coding::input_error(
          fmt::format("the project has {} coders ({}): name the two to settle with --from A,B",
                      coders.size(), fmt::join(coders, ", ")));
    so.from.assign(coders.begin(), coders.end());
  }
  if (o.rule == "union") {
    so.rule = coding::settle_rule::union_;
  } else if (o.rule == "intersection") {
    so.rule = coding::settle_rule::intersection;
  } else if (so.from.size() == 2 && (o.rule == so.from[0] || o.rule == so.from[1])) {
    so.rule = coding::settle_rule::first;
    if (o.rule == so.from[1]) std::swap(so.from[0], so.from[1]);
  } else {
    throw coding::input_error(
        fmt::format("--rule '{}': use union, intersection, or one of the coders settled ({})",
                    o.rule, fmt::join(so.from, ", ")));
  }
  const auto codings = coding::settle_codings(study, so);
  const auto result = p.codings().add(codings);
  io.err << fmt::format("{} by {} from {} ({})\n",
                        coding::plural(result.added, "coding", "codings"), so.consensus,
                        fmt::join(so.from, " and "), o.rule);
  return 0;
}

}  // namespace

int cmd_agreement(const std::vector<std::string>& args, io io) {
  if (!args.empty() && args[0] == "settle")
    return settle(std::vector<std::string>(args.begin() + 1, args.end()), io);
  agreement_command_options o;
  po::options_description options("options");
  options.add_options()("coders", po::value(&o.coders),
                        "the coders to compare, A,B[,C...] (default: every coder with codings)")(
      "unit", po::value(&o.unit)->default_value("char"), "char, segment, turn, doc or case")(
      "level", po::value(&o.level)->default_value("code"),
      "code (each code coded or not) or theme (its sub-codes as categories)")(
      "code", po::value(&o.codes), "only this code and those below it (repeatable)")(
      "doc", po::value(&o.docs), "only this document (repeatable)")(
      "where", po::value(&o.where), "only cases with ATTR=VALUE (repeatable)")(
      "overlap", po::value(&o.overlap)->default_value(90),
      "segment unit: percent of a passage the other coder's must cover")(
      "disagreements", po::bool_switch(&o.disagreements),
      "list the passages where the coders differ instead")(
      "format,f", po::value(&o.format)->default_value("table"),
      "table, csv, json, md, html or xlsx")("output,o", po::value(&o.output),
                                            "write to this file instead of standard output");
  if (!parse(args, options, {},
             "qcode agreement [--coders A,B[,C...]] [--unit char|segment|turn|doc|case] "
             "[--level code|theme] [--code CODE]... [--doc DOC]... [--where ATTR=VALUE]... "
             "[--overlap PCT] [--disagreements] [--format table|csv|json|md|html|xlsx] [-o FILE]",
             "How far coders who coded the same documents agree, per code (or theme), per\n"
             "document and over everything: percent agreement, Cohen's kappa (two coders),\n"
             "Fleiss' kappa, Brennan and Prediger's kappa and Krippendorff's alpha with a 95%\n"
             "bootstrap interval (a fixed seed: the same figures every run). Units:\n"
             "  char     each character, coded or not by each coder (whole text, and coded\n"
             "           text only)\n"
             "  segment  each coder's passage, agreed when the other's covers --overlap % of it\n"
             "  turn     each turn, coded when a coding overlaps it\n"
             "  doc      each document, the code present or not\n"
             "  case     each case, the code present or not in what is attributed to it\n"
             "--disagreements lists the passages where the coders differ, to discuss;\n"
             "'qcode agreement settle' writes a consensus coder's codings (see its --help).\n"
             "html is one self-contained page stating the coders, unit, level and selection;\n"
             "xlsx a workbook with a sheet of the figures (or of the disagreements).\n"
             "Formulas, units and how to report them: docs/agreement.md.",
             io, &o.project))
    return 0;
  coding::agreement_options ao;
  if (!o.coders.empty()) ao.coders = split_names(o.coders);
  ao.unit = coding::parse_agreement_unit(o.unit);
  ao.level = coding::parse_level(o.level);
  ao.codes = o.codes;
  ao.docs = o.docs;
  ao.where = parse_where(o.where);
  if (!(o.overlap > 0 && o.overlap <= 100))
    throw coding::input_error("--overlap must be a percentage above 0 and at most 100");
  ao.overlap = o.overlap;
  const auto f = analysis_format(o.format, o.output);
  const auto p = open_project(o.project);
  const auto study = coding::load_study(p, o.disagreements);
  if (o.disagreements) {
    const auto list = coding::find_disagreements(study, ao);
    write_output(o.output, io, "disagreements", [&](std::ostream& out) {
      coding::write(out, list, f, {study.fw.title, ao});
    });
    return 0;
  }
  const auto result = coding::compute_agreement(study, ao);
  write_output(o.output, io, "agreement", [&](std::ostream& out) {
    coding::write(out, result, f, {study.fw.title, ao});
  });
  return 0;
}

}  // namespace qcode
