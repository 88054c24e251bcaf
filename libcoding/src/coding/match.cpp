// Selecting passages by what they say (plain text or a regular expression) and widening
// a passage to its sentence, paragraph or turn.
#include <fmt/format.h>
#include <unicode/brkiter.h>
#include <unicode/coll.h>
#include <unicode/parseerr.h>
#include <unicode/regex.h>
#include <unicode/stsearch.h>
#include <unicode/tblcoll.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <memory>

#include "coding/codings.hpp"
#include "coding/error.hpp"
#include "coding/text.hpp"
#include "icu_text.hpp"
#include "strings.hpp"
#include "turns.hpp"

namespace coding {
namespace {

using detail::check_icu;
using detail::to_unicode;
using detail::turn_at;

int32_t u16(const text_index& index, std::size_t cp) {
  return static_cast<int32_t>(index.utf16_offset(cp));
}

std::size_t cp_of(const text_index& index, int32_t unit) {
  return index.code_point_from_utf16(static_cast<std::size_t>(unit));
}

std::vector<span> find_regex(const icu::UnicodeString& u, const text_index& index,
                             std::string_view query, const match_options& options) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError pe{};
  const uint32_t flags =
      options.case_sensitive ? 0u : static_cast<uint32_t>(UREGEX_CASE_INSENSITIVE);
  std::unique_ptr<icu::RegexPattern> pattern(
      icu::RegexPattern::compile(to_unicode(query), flags, pe, status));
  if (U_FAILURE(status))
    throw input_error(fmt::format("bad regular expression '{}': {} at offset {}", query,
                                  u_errorName(status), pe.offset));
  // A pattern that matches empty text ("x*", "^", "\b") would find nothing real, or a
  // hit between every two characters: refuse it whatever the text, probing "" and a word.
  for (const char* probe : {"", " word "}) {
    const icu::UnicodeString p = to_unicode(probe);
    std::unique_ptr<icu::RegexMatcher> e(pattern->matcher(p, status));
    check_icu(status, "regular expression matcher");
    while (e->find(status) && U_SUCCESS(status))
      if (e->start(status) == e->end(status))
        throw input_error(fmt::format(
            "the regular expression '{}' matches empty text; write one that needs at least one "
            "character (as 'colou?r', not 'x*' or '\\b')",
            query));
    check_icu(status, "regular expression search");
  }
  std::unique_ptr<icu::RegexMatcher> m(pattern->matcher(u, status));
  check_icu(status, "regular expression matcher");
  std::vector<span> out;
  while (m->find(status) && U_SUCCESS(status)) {
    const int32_t a = m->start(status), b = m->end(status);
    if (a < b) out.push_back({cp_of(index, a), cp_of(index, b)});
  }
  check_icu(status, "regular expression search");
  return out;
}

// A plain query's trailing '*' (the rest of the word may follow); throws for a '*' anywhere
// else, which would otherwise be searched for as itself and silently find nothing.
bool strip_wildcard(std::string_view& query) {
  const auto star = query.find('*');
  if (star == std::string_view::npos) return false;
  const bool last = star + 1 == query.size();
  bool after_word = false;
  if (last && star > 0) {
    const auto before = to_unicode(query.substr(0, star));
    after_word = u_isalnum(before.char32At(before.length() - 1)) != 0;
  }
  if (!last || !after_word)
    throw input_error(fmt::format(
        "misplaced '*' in '{}': '*' may only end the last word (as in 'comput*'); use --regex "
        "for other patterns",
        query));
  query.remove_suffix(1);
  return true;
}

std::vector<span> find_plain(const icu::UnicodeString& u, const text_index& index,
                             std::string_view query, const match_options& options) {
  const bool wildcard = strip_wildcard(query);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> base(
      icu::Collator::createInstance(icu::Locale::getRoot(), status));
  check_icu(status, "collator");
  auto* collator = dynamic_cast<icu::RuleBasedCollator*>(base.get());
  if (!collator) throw error("the root collator is not rule-based");
  // Collation elements carry case only at tertiary strength, which also tells accents
  // apart: case-sensitive search is accent-sensitive too.
  collator->setStrength(options.case_sensitive     ? icu::Collator::TERTIARY
                        : options.accent_sensitive ? icu::Collator::SECONDARY
                                                   : icu::Collator::PRIMARY);
  check_icu(status, "collator");
  const auto pattern = to_unicode(query);
  icu::StringSearch search(pattern, u, collator, nullptr, status);
  check_icu(status, "string search");
  std::unique_ptr<icu::BreakIterator> words;
  if (options.whole_words || wildcard) {
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    check_icu(status, "word break iterator");
    words->setText(u);
  }
  std::vector<span> out;
  int32_t last_end = 0;
  for (int32_t pos = search.first(status); U_SUCCESS(status) && pos != USEARCH_DONE;
       pos = search.next(status)) {
    int32_t end = pos + search.getMatchedLength();
    if (options.whole_words && !words->isBoundary(pos)) continue;
    // The wildcard's word runs on to its end; the next match may not start inside it.
    if (wildcard) {
      if (pos < last_end) continue;
      if (!words->isBoundary(end)) end = words->following(end);
    } else if (options.whole_words && !words->isBoundary(end)) {
      continue;
    }
    last_end = end;
    out.push_back({cp_of(index, pos), cp_of(index, end)});
  }
  check_icu(status, "string search");
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The span `s` widened to whole sentences of [region.start, region.end).
span sentence_of(const text_index& index, span region, span s) {
  const auto base = index.slice(region.start, region.end);
  const text_index local(base);
  const auto u = to_unicode(base);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> sentences(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
  check_icu(status, "sentence break iterator");
  sentences->setText(u);
  const int32_t a = u16(local, s.start - region.start), b = u16(local, s.end - region.start);
  int32_t from = sentences->isBoundary(a) ? a : sentences->preceding(a);
  int32_t to = sentences->isBoundary(b) ? b : sentences->following(b);
  if (from == icu::BreakIterator::DONE) from = 0;
  if (to == icu::BreakIterator::DONE) to = u.length();
  span out{region.start + cp_of(local, from), region.start + cp_of(local, to)};
  // Sentence breaks come after the white space that follows a sentence: trim it.
  while (out.end > s.end && is_space(index.slice(out.end - 1, out.end)[0])) --out.end;
  while (out.start < s.start && is_space(index.slice(out.start, out.start + 1)[0])) ++out.start;
  return out;
}

bool blank_line(const text_index& index, std::size_t line) {
  const auto text = index.slice(index.line_start(line), index.line_end(line));
  return std::all_of(text.begin(), text.end(), is_space);
}

}  // namespace

std::vector<span> find_matches(std::string_view text, std::string_view query,
                               const match_options& options) {
  if (query.empty()) throw input_error("the search text is empty");
  if (!options.regex) {
    const auto q = to_unicode(query);
    bool blank = true;
    for (int32_t i = 0; i < q.length() && blank; i = q.moveIndex32(i, 1))
      blank = u_isUWhiteSpace(q.char32At(i)) != 0;
    if (blank)
      throw input_error("the search text is only white space; give a word or phrase to look for");
  }
  const auto u = to_unicode(text);
  const text_index index(text);
  return options.regex ? find_regex(u, index, query, options)
                       : find_plain(u, index, query, options);
}

expand_unit parse_expand_unit(std::string_view name) {
  static const std::vector<std::pair<std::string, expand_unit>> units = {
      {"none", expand_unit::none},
      {"sentence", expand_unit::sentence},
      {"paragraph", expand_unit::paragraph},
      {"turn", expand_unit::turn}};
  return detail::parse_choice(name, "unit", units);
}

span expand(const document& doc, span s, expand_unit unit) {
  const text_index index(doc.text);
  s.end = std::min(s.end, index.size());
  s.start = std::min(s.start, s.end);
  span out = s;
  switch (unit) {
    case expand_unit::none:
      break;
    case expand_unit::sentence: {
      // Within a turn, sentences are found in what was said, so a speaker label never
      // joins the sentence before it.
      const turn* t = turn_at(doc, s.start);
      const span region = t && s.end <= t->end ? span{t->start, t->end} : span{0, index.size()};
      out = sentence_of(index, region, s);
      break;
    }
    case expand_unit::paragraph: {
      std::size_t first = index.line_of(s.start);
      std::size_t last = index.line_of(s.end > s.start ? s.end - 1 : s.start);
      while (first > 1 && !blank_line(index, first - 1)) --first;
      while (last < index.line_count() && !blank_line(index, last + 1)) ++last;
      out = {index.line_start(first), index.line_end(last)};
      break;
    }
    case expand_unit::turn:
      for (const auto& t : doc.turns) {
        const bool overlaps = s.start < s.end ? t.start < s.end && s.start < t.end
                                              : t.start <= s.start && s.start < t.end;
        if (!overlaps) continue;
        out.start = std::min(out.start, t.start);
        out.end = std::max(out.end, t.end);
      }
      break;
  }
  return {std::min(out.start, s.start), std::max(out.end, s.end)};
}

}  // namespace coding
