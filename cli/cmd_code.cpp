#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {
namespace {

struct code_command_options {
  selector_options select;
  std::string code;
  std::optional<std::string> coder;
  std::string memo;
  bool dry_run = false;
  std::string project;
};

}  // namespace

int cmd_code(const std::vector<std::string>& args, io io) {
  code_command_options o;
  po::options_description options("options");
  po::positional_options_description positional;
  add_selector_options(options, positional, o.select);
  options.add_options()("code,c", po::value(&o.code)->required(),
                        "full code id, e.g. choice.informed")(
      "coder", optional_value(&o.coder), "who codes (default: $QCODE_CODER, else the login name)")(
      "memo", po::value(&o.memo)->default_value(""), "a memo to attach to the coding")(
      "dry-run", po::bool_switch(&o.dry_run),
      "list what would be coded, with its text; change nothing");
  if (!parse(args, options, positional,
             "qcode code (DOC | --all-docs) [--chars A:B] [--lines A-B] [--turns A-B] [--speaker "
             "NAME]\n"
             "       [--match TEXT] [--regex RE] [--expand sentence|paragraph|turn] --code CODE\n"
             "       [--coder NAME] [--memo TEXT] [--dry-run]",
             "Codes passages of a document: a range of characters, lines or turns, every turn of\n"
             "a speaker, or every match of a text or regular expression (widened by --expand).\n"
             "Several selectors code the text they all share: --speaker JV --match Kickstarter\n"
             "codes JV's Kickstarters, --speaker R --match care* --expand sentence R's sentences\n"
             "with care* (hits are widened first, then cut to the other selectors).\n"
             "All the passages of one command are coded in one transaction.",
             io, &o.project))
    return 0;
  const bool dry_run = o.dry_run;
  auto p = open_project(o.project, o.dry_run);
  const auto& code = o.code;
  const auto coder = o.coder ? *o.coder : coding::default_coder();
  const auto& memo = o.memo;

  const auto sel = select_passages(o.select, p);
  if (sel.ranged && !dry_run) {
    const auto& doc = sel.docs.front();
    const auto s = sel.passages.front().second;
    coding::new_coding c;
    c.doc = doc.id;
    c.start = s.start;
    c.end = s.end;
    c.code = code;
    c.coder = coder;
    c.memo = memo;
    const auto result = p.codings().add({c});
    const coding::text_index index(doc.text);
    io.err << fmt::format("{} {} ({}:{}) as {} by {}\n", result.added ? "coded" : "already coded",
                          coding::reference(doc, s), s.start, s.end, c.code, c.coder);
    io.out << index.slice(s.start, s.end) << '\n';
    warn_unattributed(p, sel.passages, io);
    return 0;
  }
  if (sel.passages.empty()) {
    if (sel.combined.empty())
      io.err << fmt::format("no matches for '{}': nothing was coded\n", sel.query);
    else
      io.err << fmt::format("no text is selected by all of {}: nothing was coded\n", sel.combined);
    return 0;
  }
  code_passages(p, sel.docs, sel.passages, code, coder, memo, dry_run, io);
  return 0;
}

}  // namespace qcode
