// Passages chosen by speaker and by search, and several selectors combined.

#include <fmt/format.h>

#include <set>

#include "coding/codings.hpp"
#include "coding/error.hpp"

namespace coding {

std::vector<std::vector<span>> select_speaker(const std::vector<document>& docs,
                                              std::string_view speaker,
                                              const selection_options& options) {
  std::vector<std::vector<span>> out(docs.size());
  std::set<std::string> known;
  bool found = false;
  for (std::size_t d = 0; d < docs.size(); ++d)
    for (const auto& t : docs[d].turns) {
      known.insert(t.speaker);
      if (t.speaker == speaker || (t.case_id && *t.case_id == speaker)) {
        out[d].push_back({t.start, t.end});
        found = true;
      }
    }
  if (!found) {
    const auto where = options.all_docs || docs.empty()
                           ? std::string("in any document")
                           : fmt::format("in document '{}'", docs[0].id);
    throw input_error(
        unknown_message("speaker", speaker, where, {known.begin(), known.end()}) +
        (known.empty() ? "" : fmt::format(" (speakers: {})", fmt::join(known, ", "))));
  }
  return out;
}

std::vector<std::vector<span>> select_matches(const std::vector<document>& docs,
                                              std::string_view query, const match_options& match,
                                              expand_unit unit) {
  std::vector<std::vector<span>> out(docs.size());
  for (std::size_t d = 0; d < docs.size(); ++d)
    for (const auto& m : find_matches(docs[d].text, query, match))
      out[d].push_back(expand(docs[d], m, unit));
  return out;
}

std::vector<std::pair<std::string, span>> select_passages(const std::vector<document>& docs,
                                                          const std::vector<selector>& selectors,
                                                          const selection_options& options) {
  using kind = selector::kind;
  // Each selector's passages, per document.
  std::vector<std::vector<std::vector<span>>> chosen(
      docs.size(), std::vector<std::vector<span>>(selectors.size()));
  for (std::size_t k = 0; k < selectors.size(); ++k) {
    // Plain references, not a structured binding: a lambda below uses them, which C++20
    // allows but Clang 14 does not.
    const auto what = selectors[k].what;
    const auto& value = selectors[k].value;
    if (what == kind::chars || what == kind::lines || what == kind::turns) {
      if (docs.empty()) continue;
      const auto& doc = docs.front();
      chosen[0][k].push_back(what == kind::chars   ? select_chars(doc, value)
                             : what == kind::lines ? select_lines(doc, value)
                                                   : select_turns(doc, value));
      continue;
    }
    auto per_doc = what == kind::speaker ? select_speaker(docs, value, options) : [&] {
      match_options mo;
      mo.regex = what == kind::regex;
      mo.case_sensitive = options.case_sensitive;
      mo.accent_sensitive = options.case_sensitive;
      mo.whole_words = !options.partial_words;
      return select_matches(docs, value, mo, options.expand);
    }();
    for (std::size_t d = 0; d < docs.size(); ++d) chosen[d][k] = std::move(per_doc[d]);
  }
  std::vector<std::pair<std::string, span>> out;
  if (selectors.empty()) return out;
  for (std::size_t d = 0; d < docs.size(); ++d) {
    auto passages = std::move(chosen[d][0]);
    for (std::size_t k = 1; k < selectors.size(); ++k)
      passages = intersect_passages(passages, std::move(chosen[d][k]));
    for (const auto& s : passages) out.emplace_back(docs[d].id, s);
  }
  return out;
}

}  // namespace coding
