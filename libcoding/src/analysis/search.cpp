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
#include "icu_text.hpp"
#include "turns.hpp"

namespace coding {
namespace {

using detail::check_icu;
using detail::to_unicode;
using detail::to_utf8;
using detail::turn_at;

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

}  // namespace coding
