#include <fmt/format.h>

#include <algorithm>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {

int cmd_search(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("text", po::value<std::string>()->required(),
                        "what to look for; a trailing * lets the last word go on (comput*)")(
      "regex", po::bool_switch(), "TEXT is an ICU regular expression")(
      "case-sensitive", po::bool_switch(), "tell upper and lower case (and accents) apart")(
      "partial-words", po::bool_switch(), "match inside words too ('car' finds 'career')")(
      "doc", po::value<std::vector<std::string>>()->composing(),
      "search only this document (repeatable)")(
      "where", po::value<std::vector<std::string>>()->composing(),
      "only hits whose case has ATTR=VALUE (repeatable; values of one attribute are alternatives)")(
      "code", po::value<std::string>(),
      "only hits inside passages coded with CODE or its sub-codes")(
      "width", po::value<std::size_t>()->default_value(40), "characters of context on each side")(
      "expand", po::value<std::string>()->default_value("none"),
      "with --code-as, widen each hit to its sentence, paragraph or turn")(
      "code-as", po::value<std::string>(), "code every hit with this code")(
      "coder", po::value<std::string>(), "who codes (default: $QCODE_CODER, else the login name)")(
      "memo", po::value<std::string>()->default_value(""), "a memo for the codings of --code-as")(
      "dry-run", po::bool_switch(), "with --code-as: list what would be coded, change nothing")(
      "format,f", po::value<std::string>()->default_value("table"), "table or json");
  po::positional_options_description positional;
  positional.add("text", 1);
  po::variables_map vm;
  if (!parse(args, options, positional, vm,
             "qcode search TEXT [--regex] [--case-sensitive] [--partial-words] [--doc DOC]... "
             "[--where ATTR=VALUE]... [--code CODE] [--width N] [--expand sentence|paragraph|turn] "
             "[--code-as CODE [--coder NAME] [--dry-run]] [--format table|json]",
             "Finds TEXT in the transcripts, ignoring case and accents and matching whole words,\n"
             "and prints each hit in context: document, line, speaker, case, group, then the\n"
             "words around it. A '*' ending TEXT lets the word go on: 'comput*' finds computer,\n"
             "computers, computing. With --code-as the hits (widened by --expand) are coded.",
             io))
    return 0;
  using coding::format;
  const auto f =
      coding::parse_format(vm["format"].as<std::string>(), {format::table, format::json});
  const auto unit = coding::parse_expand_unit(vm["expand"].as<std::string>());
  const bool code_as = vm.count("code-as") > 0;
  if (vm["dry-run"].as<bool>() && !code_as)
    throw coding::input_error("--dry-run goes with --code-as CODE");
  coding::search_options so;
  so.match.regex = vm["regex"].as<bool>();
  so.match.case_sensitive = vm["case-sensitive"].as<bool>();
  so.match.accent_sensitive = so.match.case_sensitive;
  so.match.whole_words = !vm["partial-words"].as<bool>();
  if (vm.count("doc")) so.docs = vm["doc"].as<std::vector<std::string>>();
  if (vm.count("where")) so.where = parse_where(vm["where"].as<std::vector<std::string>>());
  if (vm.count("code")) so.code = vm["code"].as<std::string>();
  so.width = vm["width"].as<std::size_t>();
  const auto text = vm["text"].as<std::string>();

  auto p = open_project(vm);
  const auto study = load_texts(p);
  const auto hits = coding::search_study(study, text, so);

  if (code_as) {
    std::vector<std::pair<std::string, coding::span>> passages;
    for (const auto& h : hits) {
      const auto d = std::find_if(study.documents.begin(), study.documents.end(),
                                  [&](const auto& x) { return x.id == h.doc; });
      passages.emplace_back(h.doc, coding::expand(*d, h.where, unit));
    }
    const auto coder = vm.count("coder") ? vm["coder"].as<std::string>() : coding::default_coder();
    code_passages(p, study.documents, passages, vm["code-as"].as<std::string>(), coder,
                  vm["memo"].as<std::string>(), vm["dry-run"].as<bool>(), io);
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
  io.err << fmt::format("{} hit{} in {} document{}\n", hits.size(), hits.size() == 1 ? "" : "s",
                        documents, documents == 1 ? "" : "s");
  return 0;
}

}  // namespace qcode
