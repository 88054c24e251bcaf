#include <fmt/format.h>

#include <algorithm>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {

namespace {

struct search_command_options {
  std::string text;
  bool regex = false;
  bool case_sensitive = false;
  bool partial_words = false;
  std::vector<std::string> docs;
  std::vector<std::string> where;
  std::optional<std::string> code;
  std::size_t width = 0;
  std::string expand;
  std::optional<std::string> code_as;
  std::optional<std::string> coder;
  std::string memo;
  bool dry_run = false;
  std::string format;
  std::string project;
};

}  // namespace

int cmd_search(const std::vector<std::string>& args, io io) {
  search_command_options o;
  po::options_description options("options");
  options.add_options()("text", po::value(&o.text)->required(),
                        "what to look for; a trailing * lets the last word go on (comput*)")(
      "regex", po::bool_switch(&o.regex), "TEXT is an ICU regular expression")(
      "case-sensitive", po::bool_switch(&o.case_sensitive),
      "tell upper and lower case (and accents) apart")(
      "partial-words", po::bool_switch(&o.partial_words),
      "match inside words too ('car' finds 'career')")("doc", po::value(&o.docs)->composing(),
                                                       "search only this document (repeatable)")(
      "where", po::value(&o.where)->composing(),
      "only hits whose case has ATTR=VALUE (repeatable; values of one attribute are alternatives)")(
      "code", optional_value(&o.code),
      "only hits inside passages coded with CODE or its sub-codes")(
      "width", po::value(&o.width)->default_value(40), "characters of context on each side")(
      "expand", po::value(&o.expand)->default_value("none"),
      "with --code-as, widen each hit to its sentence, paragraph or turn")(
      "code-as", optional_value(&o.code_as), "code every hit with this code")(
      "coder", optional_value(&o.coder), "who codes (default: $QCODE_CODER, else the login name)")(
      "memo", po::value(&o.memo)->default_value(""), "a memo for the codings of --code-as")(
      "dry-run", po::bool_switch(&o.dry_run),
      "with --code-as: list what would be coded, change nothing")(
      "format,f", po::value(&o.format)->default_value("table"), "table or json");
  po::positional_options_description positional;
  positional.add("text", 1);
  if (!parse(args, options, positional,
             "qcode search TEXT [--regex] [--case-sensitive] [--partial-words] [--doc DOC]... "
             "[--where ATTR=VALUE]... [--code CODE] [--width N] [--expand sentence|paragraph|turn] "
             "[--code-as CODE [--coder NAME] [--dry-run]] [--format table|json]",
             "Finds TEXT in the transcripts, ignoring case and accents and matching whole words,\n"
             "and prints each hit in context: document, line, speaker, case, group, then the\n"
             "words around it. A '*' ending TEXT lets the word go on: 'comput*' finds computer,\n"
             "computers, computing. With --code-as the hits (widened by --expand) are coded.",
             io, &o.project))
    return 0;
  using coding::format;
  const auto f = coding::parse_format(o.format, {format::table, format::json});
  const auto unit = coding::parse_expand_unit(o.expand);
  if (o.dry_run && !o.code_as) throw coding::input_error("--dry-run goes with --code-as CODE");
  coding::search_options so;
  so.match.regex = o.regex;
  so.match.case_sensitive = o.case_sensitive;
  so.match.accent_sensitive = so.match.case_sensitive;
  so.match.whole_words = !o.partial_words;
  so.docs = o.docs;
  so.where = parse_where(o.where);
  if (o.code) so.code = *o.code;
  so.width = o.width;
  const auto& text = o.text;

  auto p = open_project(o.project, o.dry_run);
  const auto study = coding::load_corpus(p, true);
  const auto hits = coding::search_study(study, text, so);

  if (o.code_as) {
    std::vector<std::pair<std::string, coding::span>> passages;
    for (const auto& h : hits) {
      const auto d = std::find_if(study.documents.begin(), study.documents.end(),
                                  [&](const auto& x) { return x.id == h.doc; });
      passages.emplace_back(h.doc, coding::expand(*d, h.where, unit));
    }
    const auto coder = o.coder ? *o.coder : coding::default_coder();
    code_passages(p, study.documents, passages, *o.code_as, coder, o.memo, o.dry_run, io);
    return 0;
  }
  if (f == format::json) {
    coding::write_hits_json(io.out, hits);
    return 0;
  }
  if (hits.empty()) {
    io.err << fmt::format("no matches for '{}'\n", text);
    return 0;
  }
  // Keyword in context: the matches line up in one column.
  std::size_t left = 0;
  for (const auto& h : hits) left = std::max(left, coding::display_width(h.before));
  std::vector<std::vector<std::string>> rows;
  std::size_t documents = 0;
  std::string last;
  for (const auto& h : hits) {
    if (h.doc != last) ++documents;
    last = h.doc;
    const std::string pad(left - coding::display_width(h.before), ' ');
    rows.push_back({h.doc, std::to_string(h.line), h.speaker.empty() ? "-" : h.speaker,
                    h.case_id.value_or("-"), h.group.empty() ? "-" : h.group,
                    fmt::format("{}...{}[{}]{}...", pad, h.before, h.match, h.after)});
  }
  coding::write_table(io.out, {"doc", "line", "speaker", "case", "group", "context"}, rows,
                      {false, true, false, false, false, false});
  io.err << fmt::format("{} in {}\n", coding::plural(hits.size(), "hit", "hits"),
                        coding::plural(documents, "document", "documents"));
  return 0;
}

}  // namespace qcode
