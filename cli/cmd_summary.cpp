#include <fmt/format.h>

#include "command.hpp"

namespace qcode {
namespace {

struct summary_set_options {
  std::string case_id;
  std::string code;
  std::string text;
  std::string project;
};

int summary_set(const std::vector<std::string>& args, io io) {
  summary_set_options o;
  po::options_description options("options");
  options.add_options()("case", po::value(&o.case_id)->required(), "the case")(
      "code", po::value(&o.code)->required(), "the code (a sub-theme)")(
      "text", po::value(&o.text)->required(), "the summary; empty removes it");
  po::positional_options_description positional;
  positional.add("case", 1).add("code", 1).add("text", 1);
  if (!parse(args, options, positional, "qcode summary set CASE CODE TEXT",
             "Sets the summary of what CASE said about CODE: a cell of the chart. An empty TEXT\n"
             "removes it. One change, which 'qcode undo' reverts.",
             io, &o.project))
    return 0;
  auto p = open_project(o.project);
  const auto &kase = o.case_id, &code = o.code;
  const auto& text = o.text;
  p.summaries().set(kase, code, coding::normalize_text(text, "TEXT"));
  io.err << fmt::format("{} the summary of {} for {}\n", text.empty() ? "removed" : "set", kase,
                        code);
  return 0;
}

struct summary_show_options {
  std::optional<std::string> case_id;
  std::string code;
  std::string format;
  std::string project;
};

int summary_show(const std::vector<std::string>& args, io io) {
  summary_show_options o;
  po::options_description options("options");
  options.add_options()("case", optional_value(&o.case_id), "only this case")(
      "code", po::value(&o.code), "only this code and the codes below it")(
      "format,f", po::value(&o.format)->default_value("table"), "table or json");
  if (!parse(args, options, {},
             "qcode summary show [--case CASE] [--code CODE] [--format table|json]",
             "Lists the summaries, by case and then in framework order; drafts are marked.", io,
             &o.project))
    return 0;
  using coding::format;
  const auto f = coding::parse_format(o.format, {format::table, format::json});
  const auto p = open_project(o.project);
  const auto& code = o.code;
  std::vector<coding::summary> shown;
  for (auto& s : p.summaries().list()) {
    if (o.case_id && s.case_id != *o.case_id) continue;
    if (!code.empty() && s.code != code && s.code.rfind(code + ".", 0) != 0) continue;
    shown.push_back(std::move(s));
  }
  coding::write_summaries(io.out, shown, f);
  return 0;
}

struct summary_export_options {
  std::string theme;
  std::string output;
  std::string project;
};

int summary_export(const std::vector<std::string>& args, io io) {
  summary_export_options o;
  po::options_description options("options");
  options.add_options()("theme", po::value(&o.theme), "only this theme's sub-themes")(
      "output,o", po::value(&o.output), "write to this file instead of standard output");
  po::positional_options_description positional;
  positional.add("theme", 1);
  if (!parse(args, options, positional, "qcode summary export [THEME] [-o FILE.csv]",
             "Writes the summaries as CSV to edit in a spreadsheet, one row per case and\n"
             "sub-theme with a summary or coded passages: group, case, code, label, summary,\n"
             "draft, base (leave it alone: it tells import what the summary was), and the coded\n"
             "passages for reference. Edit the summary column, then 'qcode summary import'.",
             io, &o.project))
    return 0;
  const auto p = open_project(o.project);
  const auto study = coding::load_study(p, true);
  const auto& theme = o.theme;
  if (!theme.empty() && !study.fw.find(theme))
    throw coding::input_error(
        coding::unknown_message("theme", theme, "", coding::chartable_codes(study.fw)));
  write_output(o.output, io, "summaries",
               [&](std::ostream& out) { coding::write_summaries_csv(out, study, theme); });
  return 0;
}

struct summary_import_options {
  std::string file;
  std::string project;
};

int summary_import(const std::vector<std::string>& args, io io) {
  summary_import_options o;
  po::options_description options("options");
  options.add_options()("file", po::value(&o.file)->required(), "the edited CSV");
  po::positional_options_description positional;
  positional.add("file", 1);
  if (!parse(args, options, positional, "qcode summary import FILE.csv",
             "Reads back a file written by 'qcode summary export' and edited: changed summaries\n"
             "are updated (and are no longer drafts), unchanged ones left alone, an emptied cell\n"
             "removes its summary. A summary changed in the project since the export is a\n"
             "conflict: it is listed and kept, not overwritten. One change for the whole file.",
             io, &o.project))
    return 0;
  const auto& path = o.file;
  const auto rows = coding::parse_summaries_csv(coding::read_file(path), path);
  auto p = open_project(o.project);
  const auto r = p.summaries().apply(rows);
  for (const auto& c : r.conflicts)
    io.err << fmt::format(
        "conflict: {} {} ({}): changed in the project since the export; kept \"{}\", not \"{}\"\n",
        c.case_id, c.code, c.where.str(), c.project_text, c.file_text);
  io.err << fmt::format("{} updated, {} unchanged, {}\n",
                        coding::plural(r.updated, "summary", "summaries"), r.unchanged,
                        coding::plural(r.conflicts.size(), "conflict", "conflicts"));
  return r.conflicts.empty() ? 0 : 1;
}

struct summary_draft_options {
  std::string theme;
  std::size_t quote_length = 0;
  std::string project;
};

int summary_draft(const std::vector<std::string>& args, io io) {
  summary_draft_options o;
  po::options_description options("options");
  options.add_options()("theme", po::value(&o.theme)->required(), "the theme whose cells to draft")(
      "quote-length", po::value(&o.quote_length)->default_value(400),
      "characters per passage, cut at a word");
  po::positional_options_description positional;
  positional.add("theme", 1);
  if (!parse(args, options, positional, "qcode summary draft THEME [--quote-length N]",
             "Fills the empty chart cells of THEME with their coded passages, marked as drafts\n"
             "(as NVivo's Auto Summarize does), to rewrite in your own words. A written summary\n"
             "is never overwritten.",
             io, &o.project))
    return 0;
  auto p = open_project(o.project);
  const auto study = coding::load_study(p, true);
  const auto drafts = coding::draft_summaries(study, o.theme, o.quote_length);
  const auto filled = p.summaries().fill_drafts(drafts);
  io.err << fmt::format("drafted {}; {} already had one\n",
                        coding::plural(filled, "summary", "summaries"),
                        coding::plural(drafts.size() - filled, "cell", "cells"));
  return 0;
}

}  // namespace

int cmd_summary(const std::vector<std::string>& args, io io) {
  static const std::vector<std::pair<std::string, command_fn>> subcommands = {
      {"set", summary_set},
      {"show", summary_show},
      {"export", summary_export},
      {"import", summary_import},
      {"draft", summary_draft}};
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    io.out << "usage: qcode summary set CASE CODE TEXT\n"
              "       qcode summary show [--case CASE] [--code CODE] [--format table|json]\n"
              "       qcode summary export [THEME] [-o FILE.csv]\n"
              "       qcode summary import FILE.csv\n"
              "       qcode summary draft THEME\n\n"
              "Summaries are the cells of the Framework chart: what a case said about a\n"
              "sub-theme, in the researcher's words. 'qcode SUBCOMMAND --help' says more.\n";
    return 0;
  }
  std::vector<std::string> names;
  for (const auto& [name, run] : subcommands) {
    names.push_back(name);
    if (!args.empty() && args[0] == name) return run({args.begin() + 1, args.end()}, io);
  }
  unknown_subcommand("summary", args.empty() ? "" : args[0], names);
}

}  // namespace qcode
