#include "coding/search.hpp"

#include <fmt/format.h>
#include <unicode/brkiter.h>
#include <unicode/coll.h>
#include <unicode/parseerr.h>
#include <unicode/regex.h>
#include <unicode/stsearch.h>
#include <unicode/tblcoll.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "coding/error.hpp"
#include "coding/framework.hpp"
#include "coding/project.hpp"
#include "coding/text.hpp"
#include "json.hpp"

namespace coding {
namespace {

icu::UnicodeString to_unicode(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string to_utf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

int32_t u16(const text_index& index, std::size_t cp) {
  return static_cast<int32_t>(index.utf16_offset(cp));
}

std::size_t cp_of(const text_index& index, int32_t unit) {
  return index.code_point_from_utf16(static_cast<std::size_t>(unit));
}

void check_icu(UErrorCode status, std::string_view what) {
  if (U_FAILURE(status)) throw error(fmt::format("{} failed: {}", what, u_errorName(status)));
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

const turn* turn_at(const document& doc, std::size_t cp) {
  auto it = std::upper_bound(doc.turns.begin(), doc.turns.end(), cp,
                             [](std::size_t x, const turn& t) { return x < t.start; });
  if (it == doc.turns.begin()) return nullptr;
  --it;
  return cp < it->end ? &*it : nullptr;
}

std::string flatten(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

// The documents named by `ids` (all when empty), in the study's order; throws for an unknown id.
std::vector<const document*> select_documents(const study& s, const std::vector<std::string>& ids) {
  std::vector<std::string> known;
  for (const auto& d : s.documents) known.push_back(d.id);
  for (const auto& id : ids)
    if (std::find(known.begin(), known.end(), id) == known.end())
      throw input_error(unknown_message("document", id, "", known));
  std::vector<const document*> out;
  for (const auto& d : s.documents)
    if (ids.empty() || std::find(ids.begin(), ids.end(), d.id) != ids.end()) out.push_back(&d);
  return out;
}

void check_attribute(const study& s, const std::string& name) {
  std::set<std::string> names{s.fw.group_attribute};
  for (const auto& c : s.cases)
    for (const auto& [n, v] : c.attributes) names.insert(n);
  if (!names.count(name))
    throw input_error(unknown_message("attribute", name, "",
                                      std::vector<std::string>(names.begin(), names.end())) +
                      fmt::format(" (attributes: {})", fmt::join(names, ", ")));
}

// Spoken fillers ("um", "yeah", ...) are in spoken_fillers(), so that --keep-fillers can
// count them.
const std::set<std::string>& stop_words() {
  static const std::set<std::string> words = {
      "a",         "about",      "above",  "after", "again",   "against", "all",     "am",
      "an",        "and",        "any",    "are",   "as",      "at",      "be",      "because",
      "been",      "before",     "being",  "below", "between", "both",    "but",     "by",
      "can",       "could",      "did",    "do",    "does",    "doing",   "don't",   "down",
      "during",    "each",       "few",    "for",   "from",    "further", "had",     "has",
      "have",      "having",     "he",     "her",   "here",    "hers",    "herself", "him",
      "himself",   "his",        "how",    "i",     "i'm",     "if",      "in",      "into",
      "is",        "it",         "it's",   "its",   "itself",  "just",    "me",      "more",
      "most",      "my",         "myself", "no",    "nor",     "not",     "now",     "of",
      "off",       "on",         "once",   "only",  "or",      "other",   "our",     "ours",
      "ourselves", "out",        "over",   "own",   "same",    "she",     "should",  "so",
      "some",      "such",       "than",   "that",  "that's",  "the",     "their",   "theirs",
      "them",      "themselves", "then",   "there", "these",   "they",    "this",    "those",
      "through",   "to",         "too",    "under", "until",   "up",      "very",    "was",
      "we",        "were",       "what",   "when",  "where",   "which",   "while",   "who",
      "whom",      "why",        "will",   "with",  "would",   "you",     "your",    "yours",
      "yourself",  "yourselves", "yes",    "oh",
  };
  return words;
}

// A word of a text as word counts see it, and whether only white space separates it from
// the word before (so that it can continue a phrase such as "you know").
struct word_token {
  std::string word;  // case-folded, ’ written '
  bool joined = false;
};

std::vector<word_token> word_tokens(std::string_view text) {
  const auto u = to_unicode(text);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  check_icu(status, "word break iterator");
  words->setText(u);
  std::vector<word_token> out;
  int32_t previous_end = -1;
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
       start = end, end = words->next()) {
    const int32_t kind = words->getRuleStatus();
    if (kind < UBRK_WORD_NUMBER || kind >= UBRK_WORD_IDEO_LIMIT) continue;
    bool joined = previous_end >= 0;
    for (int32_t i = std::max(previous_end, 0); joined && i < start; ++i)
      joined = u_isUWhiteSpace(u.charAt(i));
    previous_end = end;
    icu::UnicodeString w(u, start, end - start);
    w.foldCase();
    w.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x2019)), icu::UnicodeString(u'\''));
    out.push_back({to_utf8(w), joined});
  }
  return out;
}

// The words and phrases one count leaves out, each read as word_tokens reads text.
struct word_filter {
  std::set<std::string> words;
  std::map<std::string, std::vector<std::vector<std::string>>> phrases;  // by first word

  void add(std::string_view entry) {
    std::vector<std::string> parts;
    for (auto& t : word_tokens(entry)) parts.push_back(std::move(t.word));
    if (parts.size() == 1) words.insert(std::move(parts[0]));
    if (parts.size() > 1) phrases[parts[0]].push_back(std::move(parts));
  }

  explicit word_filter(const word_count_options& o) {
    if (!o.keep_stop_words) {
      words = stop_words();
      if (!o.keep_fillers)
        for (const auto& f : spoken_fillers()) add(f);
    }
    for (const auto& w : o.stop_words) add(w);
    // Longest first, so that "you know what" wins over "you know".
    for (auto& [first, list] : phrases)
      std::stable_sort(list.begin(), list.end(),
                       [](const auto& a, const auto& b) { return a.size() > b.size(); });
  }

  // How many tokens from `at` a listed phrase covers; 0 when none starts there.
  std::size_t phrase_at(const std::vector<word_token>& tokens, std::size_t at) const {
    const auto it = phrases.find(tokens[at].word);
    if (it == phrases.end()) return 0;
    for (const auto& phrase : it->second) {
      if (at + phrase.size() > tokens.size()) continue;
      bool match = true;
      for (std::size_t k = 1; match && k < phrase.size(); ++k)
        match = tokens[at + k].joined && tokens[at + k].word == phrase[k];
      if (match) return phrase.size();
    }
    return 0;
  }

  std::vector<word_count> count(std::string_view text) const {
    const auto tokens = word_tokens(text);
    std::map<std::string, std::size_t> counts;
    for (std::size_t i = 0; i < tokens.size();) {
      if (const auto n = phrase_at(tokens, i)) {
        i += n;
        continue;
      }
      if (!words.count(tokens[i].word)) ++counts[tokens[i].word];
      ++i;
    }
    std::vector<word_count> out;
    for (auto& [w, n] : counts) out.push_back({w, n});
    std::stable_sort(out.begin(), out.end(),
                     [](const word_count& a, const word_count& b) { return a.count > b.count; });
    return out;
  }
};

}  // namespace

std::vector<span> find_matches(std::string_view text, std::string_view query,
                               const match_options& options) {
  if (query.empty()) throw input_error("the search text is empty");
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
  std::vector<std::string> names;
  for (const auto& [n, u] : units) {
    if (n == name) return u;
    names.push_back(n);
  }
  throw input_error(unknown_message("unit", name, "", names) +
                    fmt::format(" (choose one of: {})", fmt::join(names, ", ")));
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

bool is_stop_word(std::string_view word) {
  return stop_words().count(std::string(word)) > 0;
}

const std::vector<std::string>& spoken_fillers() {
  static const std::vector<std::string> fillers = {
      "ah",   "eh",  "er",  "erm",    "hm",      "hmm",     "huh",      "like", "mhm",
      "mm",   "mmm", "ok",  "okay",   "right",   "uh",      "uhm",      "um",   "umm",
      "yeah", "yep", "yup", "i mean", "kind of", "sort of", "you know",
  };
  return fillers;
}

std::vector<word_count> count_words(std::string_view text, const word_count_options& options) {
  return word_filter(options).count(text);
}

std::vector<std::string> parse_stop_words(std::string_view text, std::string_view file) {
  const auto normal = normalize_text(text, file);
  std::vector<std::string> out;
  std::size_t line = 0;
  for (std::size_t pos = 0; pos < normal.size();) {
    ++line;
    auto lf = normal.find('\n', pos);
    if (lf == std::string::npos) lf = normal.size();
    std::string_view entry(normal.data() + pos, lf - pos);
    pos = lf + 1;
    entry = entry.substr(0, entry.find('#'));
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
      entry.remove_prefix(1);
    if (entry.empty()) continue;
    if (word_tokens(entry).empty())
      throw parse_error(location{std::string(file), line, 1},
                        fmt::format("'{}' has no word to leave out; write one word or phrase "
                                    "per line (# starts a comment)",
                                    entry));
    out.emplace_back(entry);
  }
  return out;
}

std::vector<std::string> read_stop_words(const std::string& path) {
  return parse_stop_words(read_file(path), path);
}

std::vector<hit> search_study(const study& s, std::string_view query,
                              const search_options& options) {
  const auto docs = select_documents(s, options.docs);
  std::optional<std::size_t> code;
  if (!options.code.empty()) {
    code = s.fw.find(options.code);
    if (!code) throw input_error(unknown_message("code", options.code, "", s.fw.ids()));
  }
  std::map<std::string, std::vector<std::string>> wanted;  // attribute -> accepted values
  for (const auto& [name, value] : options.where) {
    if (name.empty())
      throw input_error(fmt::format("malformed --where '={}': expected ATTRIBUTE=VALUE", value));
    check_attribute(s, name);
    wanted[name].push_back(value);
  }
  std::map<std::string, const case_record*> cases;
  for (const auto& c : s.cases) cases[c.id] = &c;
  auto attribute = [&](const std::optional<std::string>& case_id,
                       const std::string& name) -> std::string {
    if (!case_id) return {};
    const auto c = cases.find(*case_id);
    if (c == cases.end()) return {};
    const auto a = c->second->attributes.find(name);
    return a == c->second->attributes.end() ? std::string() : a->second;
  };

  std::vector<hit> out;
  for (const document* d : docs) {
    std::vector<span> coded;
    if (code)
      for (const auto& c : s.codings)
        if (c.doc == d->id)
          if (const auto k = s.fw.find(c.code); k && s.fw.contains(*code, *k))
            coded.push_back({c.start, c.end});
    if (code && coded.empty()) continue;
    const text_index index(d->text);
    for (const auto& m : find_matches(d->text, query, options.match)) {
      if (code && std::none_of(coded.begin(), coded.end(),
                               [&](const span& c) { return c.start <= m.start && m.end <= c.end; }))
        continue;
      hit h;
      h.doc = d->id;
      h.where = m;
      h.line = index.line_of(m.start);
      const turn* t = turn_at(*d, m.start);
      if (t) {
        h.speaker = t->speaker;
        h.case_id = t->case_id;
      }
      if (!h.case_id && d->case_id) h.case_id = d->case_id;
      h.group = attribute(h.case_id, s.fw.group_attribute);
      const bool keep = std::all_of(wanted.begin(), wanted.end(), [&](const auto& w) {
        const auto value = attribute(h.case_id, w.first);
        return h.case_id && std::find(w.second.begin(), w.second.end(), value) != w.second.end();
      });
      if (!keep) continue;
      h.before = flatten(index.slice(m.start - std::min(m.start, options.width), m.start));
      h.match = flatten(index.slice(m.start, m.end));
      h.after = flatten(index.slice(m.end, std::min(index.size(), m.end + options.width)));
      out.push_back(std::move(h));
    }
  }
  return out;
}

void write_hits_json(std::ostream& out, const std::vector<hit>& hits) {
  detail::json_writer j(out);
  j.begin_array();
  for (const auto& h : hits) {
    j.begin_object().field("doc", h.doc).field("start", h.where.start).field("end", h.where.end);
    j.field("line", h.line)
        .field("speaker", h.speaker)
        .field("case", h.case_id)
        .field("group", h.group);
    j.field("before", h.before).field("match", h.match).field("after", h.after).end_object();
  }
  j.end_array();
}

word_frequencies compute_word_frequencies(const study& s, const word_options& options) {
  const auto docs = select_documents(s, options.docs);
  word_frequencies w;
  w.by = options.by;
  std::map<std::string, const case_record*> cases;
  for (const auto& c : s.cases) cases[c.id] = &c;
  auto value_of = [&](const std::optional<std::string>& case_id) -> std::string {
    if (!case_id) return {};
    const auto c = cases.find(*case_id);
    if (c == cases.end()) return {};
    const auto a = c->second->attributes.find(w.by);
    return a == c->second->attributes.end() ? std::string() : a->second;
  };
  if (!w.by.empty()) {
    check_attribute(s, w.by);
    // Columns as the matrix has them: the framework's groups in order, then other values sorted.
    std::set<std::string> values;
    for (const auto& c : s.cases)
      if (const auto a = c.attributes.find(w.by); a != c.attributes.end() && !a->second.empty())
        values.insert(a->second);
    if (w.by == s.fw.group_attribute)
      for (const auto& g : s.fw.groups) {
        w.columns.push_back(g.id);
        values.erase(g.id);
      }
    w.columns.insert(w.columns.end(), values.begin(), values.end());
  }
  word_count_options counting;
  counting.keep_stop_words = options.keep_stop_words;
  counting.keep_fillers = options.keep_fillers;
  counting.stop_words = options.stop_words;
  const word_filter filter(counting);
  std::map<std::string, word_frequencies::row> rows;
  auto add = [&](std::string_view text, const std::optional<std::string>& case_id) {
    const auto value = value_of(case_id);
    const auto column = std::find(w.columns.begin(), w.columns.end(), value);
    for (const auto& c : filter.count(text)) {
      auto& r = rows[c.word];
      if (r.counts.empty()) {
        r.word = c.word;
        r.counts.assign(w.columns.size(), 0);
      }
      r.total += c.count;
      if (!value.empty() && column != w.columns.end())
        r.counts[static_cast<std::size_t>(column - w.columns.begin())] += c.count;
    }
  };
  for (const document* d : docs) {
    if (d->turns.empty()) {
      add(d->text, d->case_id);
      continue;
    }
    const text_index index(d->text);
    for (const auto& t : d->turns)
      if (t.case_id) add(index.slice(t.start, t.end), t.case_id);
  }
  for (auto& [word, r] : rows) w.rows.push_back(std::move(r));
  std::stable_sort(w.rows.begin(), w.rows.end(),
                   [](const auto& a, const auto& b) { return a.total > b.total; });
  if (options.top > 0 && w.rows.size() > options.top) w.rows.resize(options.top);
  return w;
}

void write_word_frequencies(std::ostream& out, const word_frequencies& w, format f) {
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_object().field("by", w.by).key("columns").begin_array();
    for (const auto& c : w.columns) j.value(c);
    j.end_array().key("rows").begin_array();
    for (const auto& r : w.rows) {
      j.begin_object().field("word", r.word).field("total", r.total).key("counts").begin_array();
      for (const auto n : r.counts) j.value(n);
      j.end_array().end_object();
    }
    j.end_array().end_object();
    return;
  }
  if (f != format::table)
    throw input_error(fmt::format("word frequencies cannot be written as {}", to_string(f)));
  std::vector<std::string> header{"word", w.by.empty() ? "count" : "total"};
  header.insert(header.end(), w.columns.begin(), w.columns.end());
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : w.rows) {
    std::vector<std::string> row{r.word, std::to_string(r.total)};
    for (const auto n : r.counts) row.push_back(std::to_string(n));
    rows.push_back(std::move(row));
  }
  std::vector<bool> right(header.size(), true);
  right[0] = false;
  write_table(out, header, rows, right);
}

}  // namespace coding
