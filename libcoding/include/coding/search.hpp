#pragma once
/// \file
/// Passage search and word frequencies: case- and accent-insensitive matching of words
/// or regular expressions, widening a hit to its sentence, paragraph or turn, search
/// hits in context (keyword in context), and word counts over what cases said.

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/codings.hpp"
#include "coding/document.hpp"
#include "coding/project.hpp"

namespace coding {

/// A word and how often it occurs.
struct word_count {
  std::string word;  ///< case-folded, with ’ written as '
  std::size_t count = 0;
};

/// The spoken fillers that word counts leave out with the stop words: single words ("um",
/// "uh", "like", "yeah", "okay", "right", ...) and phrases ("you know", "i mean", "kind
/// of", "sort of"), case-folded.
const std::vector<std::string>& spoken_fillers();

/// What count_words leaves out.
struct word_count_options {
  /// Count the built-in lists' words too: the English stop words and the spoken fillers.
  bool keep_stop_words = false;
  /// Count the spoken fillers (the stop words are still left out).
  bool keep_fillers = false;
  /// More words and phrases to leave out, as read_stop_words gives them; they apply with
  /// keep_stop_words too, so that a list can replace the built-in ones.
  std::vector<std::string> stop_words;
};

/// Counts the words of `text` (ICU word boundaries; letters and numbers, not punctuation),
/// case-folded, leaving out common English stop words ("the", "and", "it", ...) and the
/// spoken_fillers() as `options` says. A phrase ("you know") leaves out all its words
/// where they follow each other with only white space between; elsewhere they count.
/// Sorted by count, most frequent first, then by word.
/// Example: count_words("Um, you know, I like cheese") gives cheese 1.
std::vector<word_count> count_words(std::string_view text, const word_count_options& options = {});

/// Reads a stop-words list: one word or phrase per line, case-insensitive; `#` starts a
/// comment, blank lines are skipped. Throws parse_error naming `file` and the line for a
/// line with no word (punctuation only) and as normalize_text does.
std::vector<std::string> parse_stop_words(std::string_view text, std::string_view file);

/// parse_stop_words of a file's content. Throws input_error naming a file that cannot be
/// read.
std::vector<std::string> read_stop_words(const std::string& path);

/// True when `word` (case-folded) is one of the English stop words count_words leaves out.
bool is_stop_word(std::string_view word);

/// One search hit with its context.
struct hit {
  std::string doc;
  span where;                          ///< the match, code points into the document's text
  std::size_t line = 0;                ///< 1-based line of the match's start
  std::string speaker;                 ///< label of the turn holding the hit; empty: none
  std::optional<std::string> case_id;  ///< the turn's case, else the interview's case
  std::string group;                   ///< the case's value of the grouping attribute
  std::string before, match, after;    ///< context, with line breaks and tabs as spaces
};

/// Which hits search_study returns.
struct search_options {
  match_options match;
  std::vector<std::string> docs;  ///< only these documents; empty: every document
  /// Case attribute filters ATTRIBUTE=VALUE: a hit's case must match one value of every
  /// attribute named (several values of one attribute are alternatives).
  std::vector<std::pair<std::string, std::string>> where;
  std::string code;        ///< only hits inside codings of this code or its sub-codes
  std::size_t width = 40;  ///< code points of context on each side
};

/// Searches the documents of `s` (their texts loaded: project::load_documents(true)) and
/// returns the hits in document order, then text order. A hit's case is the case of the
/// turn holding it, else (in a one-to-one interview) the document's case. Throws
/// input_error, with a did-you-mean, for an unknown document, attribute or code, a
/// malformed `where`, and as find_matches does.
std::vector<hit> search_study(const study& s, std::string_view query,
                              const search_options& options);

/// Word frequencies, overall or by a case attribute.
struct word_frequencies {
  std::string by;                    ///< the attribute; empty: overall only
  std::vector<std::string> columns;  ///< the attribute's values, in the groups' order
  struct row {
    std::string word;
    std::size_t total = 0;
    std::vector<std::size_t> counts;  ///< one per column
  };
  std::vector<row> rows;  ///< most frequent first, then by word
};

struct word_options {
  std::string by;                       ///< case attribute for columns; empty: overall
  std::size_t top = 0;                  ///< keep the first `top` rows; 0: all
  bool keep_stop_words = false;         ///< as in word_count_options
  std::vector<std::string> docs;        ///< only these documents; empty: every document
  bool keep_fillers = false;            ///< as in word_count_options
  std::vector<std::string> stop_words;  ///< as in word_count_options
};

/// Counts the words cases said: the turns that have a case, and the whole text of a
/// document without turns (attributed to its case, if any). Texts must be loaded. Throws
/// input_error, with a did-you-mean, for an unknown document or attribute.
word_frequencies compute_word_frequencies(const study& s, const word_options& options);

}  // namespace coding
