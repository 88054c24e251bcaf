#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {

int cmd_code(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("doc", po::value<std::string>(), "document id")(
      "chars", po::value<std::string>(), "code points A:B (0-based, end-exclusive)")(
      "lines", po::value<std::string>(), "lines A-B (1-based, both included)")(
      "turns", po::value<std::string>(), "turns A-B (1-based, both included)")(
      "speaker", po::value<std::string>(), "every turn of this speaker (label or case id)")(
      "match", po::value<std::string>(),
      "every match of this text (case and accents ignored, whole words)")(
      "regex", po::value<std::string>(),
      "every match of this ICU regular expression (case ignored)")(
      "expand", po::value<std::string>()->default_value("none"),
      "widen each --match/--regex hit to its sentence, paragraph or turn")(
      "case-sensitive", po::bool_switch(), "with --match/--regex: tell case (and accents) apart")(
      "partial-words", po::bool_switch(), "with --match: match inside words too")(
      "all-docs", po::bool_switch(),
      "with --speaker/--match/--regex: every document (then no DOC)")(
      "code,c", po::value<std::string>()->required(), "full code id, e.g. choice.informed")(
      "coder", po::value<std::string>(), "who codes (default: $QCODE_CODER, else the login name)")(
      "memo", po::value<std::string>()->default_value(""), "a memo to attach to the coding")(
      "dry-run", po::bool_switch(), "list what would be coded, with its text; change nothing");
  po::positional_options_description positional;
  positional.add("doc", 1);
  po::variables_map vm;
  if (!parse(args, options, positional, vm,
             "qcode code (DOC | --all-docs) (--chars A:B | --lines A-B | --turns A-B | --speaker "
             "NAME |\n"
             "       --match TEXT | --regex RE) [--expand sentence|paragraph|turn] --code CODE\n"
             "       [--coder NAME] [--memo TEXT] [--dry-run]",
             "Codes passages of a document: a range of characters, lines or turns, every turn of\n"
             "a speaker, or every match of a text or regular expression (widened by --expand).\n"
             "All the passages of one command are coded in one transaction.",
             io))
    return 0;
  const int selectors =
      static_cast<int>(vm.count("chars") + vm.count("lines") + vm.count("turns") +
                       vm.count("speaker") + vm.count("match") + vm.count("regex"));
  if (selectors != 1)
    throw coding::input_error(
        "give exactly one of --chars A:B, --lines A-B, --turns A-B, --speaker NAME, --match TEXT "
        "or --regex RE");
  const bool all_docs = vm["all-docs"].as<bool>();
  const bool ranged = vm.count("chars") || vm.count("lines") || vm.count("turns");
  if (all_docs && ranged)
    throw coding::input_error("--all-docs goes with --speaker, --match or --regex");
  if (all_docs && vm.count("doc"))
    throw coding::input_error(fmt::format("give a document or --all-docs, not both (got '{}')",
                                          vm["doc"].as<std::string>()));
  if (!all_docs && !vm.count("doc"))
    throw coding::input_error("give a document (DOC), or --all-docs");
  const auto unit = coding::parse_expand_unit(vm["expand"].as<std::string>());
  const bool dry_run = vm["dry-run"].as<bool>();
  auto p = open_project(vm);
  const auto code = vm["code"].as<std::string>();
  const auto coder = vm.count("coder") ? vm["coder"].as<std::string>() : coding::default_coder();
  const auto memo = vm["memo"].as<std::string>();

  if (ranged) {
    const auto id = vm["doc"].as<std::string>();
    const auto doc = p.find_document(id);
    if (!doc)
      throw coding::input_error(coding::unknown_message("document", id, "", p.document_ids()));
    const coding::span s =
        vm.count("chars")   ? coding::select_chars(*doc, vm["chars"].as<std::string>())
        : vm.count("lines") ? coding::select_lines(*doc, vm["lines"].as<std::string>())
                            : coding::select_turns(*doc, vm["turns"].as<std::string>());
    if (dry_run) {
      code_passages(p, {*doc}, {{doc->id, s}}, code, coder, memo, true, io);
      return 0;
    }
    coding::new_coding c;
    c.doc = doc->id;
    c.start = s.start;
    c.end = s.end;
    c.code = code;
    c.coder = coder;
    c.memo = memo;
    const auto result = p.add_codings({c});
    const coding::text_index index(doc->text);
    io.err << fmt::format("{} {} ({}:{}) as {} by {}\n", result.added ? "coded" : "already coded",
                          coding::reference(*doc, s), s.start, s.end, c.code, c.coder);
    io.out << index.slice(s.start, s.end) << '\n';
    return 0;
  }

  std::vector<coding::document> docs;
  if (all_docs) {
    docs = p.load_documents(true);
  } else {
    const auto id = vm["doc"].as<std::string>();
    auto doc = p.find_document(id);
    if (!doc)
      throw coding::input_error(coding::unknown_message("document", id, "", p.document_ids()));
    docs.push_back(std::move(*doc));
  }
  std::vector<std::pair<std::string, coding::span>> passages;
  if (vm.count("speaker")) {
    const auto name = vm["speaker"].as<std::string>();
    std::set<std::string> known;
    for (const auto& d : docs)
      for (const auto& t : d.turns) {
        known.insert(t.speaker);
        if (t.speaker == name || (t.case_id && *t.case_id == name))
          passages.emplace_back(d.id, coding::span{t.start, t.end});
      }
    if (passages.empty()) {
      const auto where =
          all_docs ? std::string("in any document") : fmt::format("in document '{}'", docs[0].id);
      throw coding::input_error(
          coding::unknown_message("speaker", name, where, {known.begin(), known.end()}) +
          (known.empty() ? "" : fmt::format(" (speakers: {})", fmt::join(known, ", "))));
    }
  } else {
    coding::match_options mo;
    mo.regex = vm.count("regex") > 0;
    mo.case_sensitive = vm["case-sensitive"].as<bool>();
    mo.accent_sensitive = mo.case_sensitive;
    mo.whole_words = !vm["partial-words"].as<bool>();
    const auto query = mo.regex ? vm["regex"].as<std::string>() : vm["match"].as<std::string>();
    for (const auto& d : docs)
      for (const auto& m : coding::find_matches(d.text, query, mo))
        passages.emplace_back(d.id, coding::expand(d, m, unit));
    if (passages.empty()) {
      io.err << fmt::format("no matches for '{}': nothing was coded\n", query);
      return 0;
    }
  }
  code_passages(p, docs, passages, code, coder, memo, dry_run, io);
  return 0;
}

}  // namespace qcode
