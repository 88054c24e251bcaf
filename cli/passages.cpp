#include "passages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace qcode {

std::vector<std::pair<std::string, std::string>> parse_where(
    const std::vector<std::string>& values) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& v : values) {
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0)
      throw coding::input_error(fmt::format("malformed --where '{}': expected ATTRIBUTE=VALUE", v));
    out.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  }
  return out;
}

void code_passages(coding::project& p, const std::vector<coding::document>& docs,
                   const std::vector<std::pair<std::string, coding::span>>& passages,
                   const std::string& code, const std::string& coder, const std::string& memo,
                   bool dry_run, io io) {
  const auto fw = p.get_framework();
  if (!fw || !fw->find(code))
    throw coding::input_error(
        coding::unknown_message("code", code, "", fw ? fw->ids() : std::vector<std::string>{}));
  // Keep document order, then text order, without repeats (two hits in one sentence).
  std::vector<std::pair<std::size_t, coding::span>> order;
  for (const auto& passage : passages) {
    const auto it = std::find_if(docs.begin(), docs.end(),
                                 [&](const auto& d) { return d.id == passage.first; });
    order.emplace_back(static_cast<std::size_t>(it - docs.begin()), passage.second);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.start, a.second.end) <
           std::tie(b.first, b.second.start, b.second.end);
  });
  order.erase(std::unique(order.begin(), order.end()), order.end());

  std::vector<coding::new_coding> codings;
  std::vector<std::vector<std::string>> rows;
  for (const auto& [i, s] : order) {
    const auto& d = docs[i];
    coding::new_coding c;
    c.doc = d.id;
    c.start = s.start;
    c.end = s.end;
    c.code = code;
    c.coder = coder;
    c.memo = memo;
    codings.push_back(std::move(c));
    const coding::text_index index(d.text);
    std::string text(index.slice(s.start, s.end));
    std::replace(text.begin(), text.end(), '\n', ' ');
    rows.push_back({d.id, fmt::format("{}:{}", s.start, s.end), coding::reference(d, s), text});
  }
  if (codings.empty()) {
    io.err << "nothing to code: no passage was selected\n";
    return;
  }
  coding::write_table(io.out, {"doc", "span", "where", "text"}, rows, {}, 60);
  if (dry_run) {
    io.err << fmt::format("would code {} as {} by {} (dry run: nothing was changed)\n",
                          coding::plural(codings.size(), "passage", "passages"), code, coder);
    warn_unattributed(p, passages, io);
    return;
  }
  const auto result = p.codings().add(codings);
  io.err << fmt::format("coded {} as {} by {}", coding::plural(result.added, "passage", "passages"),
                        code, coder);
  if (result.duplicates) io.err << fmt::format(" ({} already coded)", result.duplicates);
  io.err << '\n';
  warn_unattributed(p, passages, io);
}

void add_selector_options(po::options_description& options,
                          po::positional_options_description& positional, selector_options& o) {
  options.add_options()("doc", optional_value(&o.doc), "document id")(
      "chars", optional_value(&o.chars), "code points A:B (0-based, end-exclusive)")(
      "lines", optional_value(&o.lines), "lines A-B (1-based, both included)")(
      "turns", optional_value(&o.turns), "turns A-B (1-based, both included)")(
      "speaker", optional_value(&o.speaker), "every turn of this speaker (label or case id)")(
      "match", optional_value(&o.match),
      "every match of this text (case and accents ignored, whole words; a trailing * lets "
      "the last word go on)")("regex", optional_value(&o.regex),
                              "every match of this ICU regular expression (case ignored)")(
      "expand", po::value(&o.expand)->default_value("none"),
      "widen each --match/--regex hit to its sentence, paragraph or turn (before other "
      "selectors cut it)")("case-sensitive", po::bool_switch(&o.case_sensitive),
                           "with --match/--regex: tell case (and accents) apart")(
      "partial-words", po::bool_switch(&o.partial_words), "with --match: match inside words too")(
      "all-docs", po::bool_switch(&o.all_docs),
      "with --speaker/--match/--regex: every document (then no DOC)");
  positional.add("doc", 1);
}

selection select_passages(const selector_options& o, const coding::project& p) {
  using kind = coding::selector::kind;
  const std::pair<const char*, std::pair<kind, const std::optional<std::string>*>> options[] = {
      {"chars", {kind::chars, &o.chars}}, {"lines", {kind::lines, &o.lines}},
      {"turns", {kind::turns, &o.turns}}, {"speaker", {kind::speaker, &o.speaker}},
      {"match", {kind::match, &o.match}}, {"regex", {kind::regex, &o.regex}}};
  std::vector<coding::selector> selectors;
  std::vector<std::string> parts;  // "--speaker R" for each
  for (const auto& [name, option] : options)
    if (*option.second) {
      selectors.push_back({option.first, **option.second});
      parts.push_back(fmt::format("--{} {}", name, **option.second));
    }
  if (selectors.empty())
    throw coding::input_error(
        "give one or more of --chars A:B, --lines A-B, --turns A-B, --speaker NAME, --match TEXT "
        "or --regex RE (several together select the text they all share)");
  const bool ranged = o.chars || o.lines || o.turns;
  if (o.all_docs && ranged)
    throw coding::input_error("--all-docs goes with --speaker, --match or --regex");
  if (o.all_docs && o.doc)
    throw coding::input_error(
        fmt::format("give a document or --all-docs, not both (got '{}')", *o.doc));
  if (!o.all_docs && !o.doc) throw coding::input_error("give a document (DOC), or --all-docs");
  coding::selection_options so;
  so.expand = coding::parse_expand_unit(o.expand);
  so.case_sensitive = o.case_sensitive;
  so.partial_words = o.partial_words;
  so.all_docs = o.all_docs;
  selection out;
  out.ranged = ranged && selectors.size() == 1;
  if (o.all_docs) {
    out.docs = p.documents().load(true);
  } else {
    auto doc = p.documents().find(*o.doc);
    if (!doc)
      throw coding::input_error(
          coding::unknown_message("document", *o.doc, "", p.documents().ids()));
    out.docs.push_back(std::move(*doc));
  }
  if (selectors.size() > 1) out.combined = fmt::format("{}", fmt::join(parts, ", "));
  for (const auto& s : selectors)
    if (s.what == kind::match || s.what == kind::regex) out.query = s.value;
  out.passages = coding::select_passages(out.docs, selectors, so);
  return out;
}

}  // namespace qcode
