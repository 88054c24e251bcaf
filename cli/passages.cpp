#include "passages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace qcode {

coding::study load_texts(const coding::project& p) {
  return coding::study{p.get_framework().value_or(coding::framework{}),
                       p.documents().load(true),
                       p.cases().list(),
                       p.codings().list(false),
                       {}};
}

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
  for (const auto& [doc, s] : passages) {
    const auto it =
        std::find_if(docs.begin(), docs.end(), [&](const auto& d) { return d.id == doc; });
    order.emplace_back(static_cast<std::size_t>(it - docs.begin()), s);
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
    io.err << fmt::format("would code {} passage{} as {} by {} (dry run: nothing was changed)\n",
                          codings.size(), codings.size() == 1 ? "" : "s", code, coder);
    warn_unattributed(p, passages, io);
    return;
  }
  const auto result = p.codings().add(codings);
  io.err << fmt::format("coded {} passage{} as {} by {}", result.added,
                        result.added == 1 ? "" : "s", code, coder);
  if (result.duplicates) io.err << fmt::format(" ({} already coded)", result.duplicates);
  io.err << '\n';
  warn_unattributed(p, passages, io);
}

void add_selector_options(po::options_description& options,
                          po::positional_options_description& positional) {
  options.add_options()("doc", po::value<std::string>(), "document id")(
      "chars", po::value<std::string>(), "code points A:B (0-based, end-exclusive)")(
      "lines", po::value<std::string>(), "lines A-B (1-based, both included)")(
      "turns", po::value<std::string>(), "turns A-B (1-based, both included)")(
      "speaker", po::value<std::string>(), "every turn of this speaker (label or case id)")(
      "match", po::value<std::string>(),
      "every match of this text (case and accents ignored, whole words; a trailing * lets "
      "the last word go on)")("regex", po::value<std::string>(),
                              "every match of this ICU regular expression (case ignored)")(
      "expand", po::value<std::string>()->default_value("none"),
      "widen each --match/--regex hit to its sentence, paragraph or turn (before other "
      "selectors cut it)")("case-sensitive", po::bool_switch(),
                           "with --match/--regex: tell case (and accents) apart")(
      "partial-words", po::bool_switch(), "with --match: match inside words too")(
      "all-docs", po::bool_switch(),
      "with --speaker/--match/--regex: every document (then no DOC)");
  positional.add("doc", 1);
}

selection select_passages(const po::variables_map& vm, const coding::project& p) {
  static const std::vector<std::string> kSelectors = {"chars",   "lines", "turns",
                                                      "speaker", "match", "regex"};
  std::vector<std::string> given;
  for (const auto& name : kSelectors)
    if (vm.count(name)) given.push_back(name);
  if (given.empty())
    throw coding::input_error(
        "give one or more of --chars A:B, --lines A-B, --turns A-B, --speaker NAME, --match TEXT "
        "or --regex RE (several together select the text they all share)");
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
  selection out;
  out.ranged = ranged && given.size() == 1;
  if (all_docs) {
    out.docs = p.documents().load(true);
  } else {
    const auto id = vm["doc"].as<std::string>();
    auto doc = p.documents().find(id);
    if (!doc)
      throw coding::input_error(coding::unknown_message("document", id, "", p.documents().ids()));
    out.docs.push_back(std::move(*doc));
  }
  if (given.size() > 1) {
    std::vector<std::string> parts;
    for (const auto& name : given)
      parts.push_back(fmt::format("--{} {}", name, vm[name].as<std::string>()));
    out.combined = fmt::format("{}", fmt::join(parts, ", "));
  }

  // Each selector's passages, per document, in the order of kSelectors.
  std::vector<std::vector<std::vector<coding::span>>> chosen(
      out.docs.size(), std::vector<std::vector<coding::span>>(given.size()));
  for (std::size_t k = 0; k < given.size(); ++k) {
    const auto& name = given[k];
    const auto value = vm[name].as<std::string>();
    if (name == "chars" || name == "lines" || name == "turns") {
      const auto& doc = out.docs.front();
      chosen[0][k].push_back(name == "chars"   ? coding::select_chars(doc, value)
                             : name == "lines" ? coding::select_lines(doc, value)
                                               : coding::select_turns(doc, value));
    } else if (name == "speaker") {
      std::set<std::string> known;
      bool found = false;
      for (std::size_t d = 0; d < out.docs.size(); ++d)
        for (const auto& t : out.docs[d].turns) {
          known.insert(t.speaker);
          if (t.speaker == value || (t.case_id && *t.case_id == value)) {
            chosen[d][k].push_back({t.start, t.end});
            found = true;
          }
        }
      if (!found) {
        const auto where = all_docs ? std::string("in any document")
                                    : fmt::format("in document '{}'", out.docs[0].id);
        throw coding::input_error(
            coding::unknown_message("speaker", value, where, {known.begin(), known.end()}) +
            (known.empty() ? "" : fmt::format(" (speakers: {})", fmt::join(known, ", "))));
      }
    } else {
      coding::match_options mo;
      mo.regex = name == "regex";
      mo.case_sensitive = vm["case-sensitive"].as<bool>();
      mo.accent_sensitive = mo.case_sensitive;
      mo.whole_words = !vm["partial-words"].as<bool>();
      // Hits are widened before the other selectors cut them, so that --speaker R --match X
      // --expand sentence gives R's sentences with X, not R's words X widened past R's turn.
      for (std::size_t d = 0; d < out.docs.size(); ++d)
        for (const auto& m : coding::find_matches(out.docs[d].text, value, mo))
          chosen[d][k].push_back(coding::expand(out.docs[d], m, unit));
      out.query = value;
    }
  }
  for (std::size_t d = 0; d < out.docs.size(); ++d) {
    auto passages = std::move(chosen[d][0]);
    for (std::size_t k = 1; k < given.size(); ++k)
      passages = coding::intersect_passages(passages, std::move(chosen[d][k]));
    for (const auto& s : passages) out.passages.emplace_back(out.docs[d].id, s);
  }
  return out;
}

}  // namespace qcode
