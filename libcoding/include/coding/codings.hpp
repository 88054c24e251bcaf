#pragma once
/// \file
/// Codings (a code applied to a passage of a document) and the selectors that turn what
/// a researcher says (characters, lines, turns) into passages.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coding/document.hpp"
#include "coding/records.hpp"
#include "coding/text.hpp"

namespace coding {

/// Parses "A:B" (code points, end-exclusive) against `doc`. Throws input_error when the
/// form is wrong, the range is empty or it runs past the end of the document.
span select_chars(const document& doc, std::string_view range);

/// Parses "A-B" or "A" (1-based lines, both ends included) and returns the span from
/// the start of line A to the end of line B. Throws input_error as select_chars does.
span select_lines(const document& doc, std::string_view range);

/// Parses "A-B" or "A" (1-based turns, both ends included) and returns the span from
/// the start of turn A to the end of turn B. Throws input_error as select_chars does.
span select_turns(const document& doc, std::string_view range);

/// The text that two selections of one document share: each passage of `a` cut to each
/// passage of `b` it overlaps, in text order (by start, then end), identical pieces once.
/// Pieces are not merged: two words that a space separates stay two passages, and so do
/// two pieces that touch or overlap. Passages that only touch do not overlap. Example:
/// intersect_passages({{0, 10}, {20, 30}}, {{5, 25}}) == {{5, 10}, {20, 25}}.
std::vector<span> intersect_passages(const std::vector<span>& a, std::vector<span> b);

/// How a researcher cites a passage: the document and its lines, "T07 l.12-18" (or
/// "T07 l.12"); when the first turn the passage overlaps has a time, that time comes
/// before the lines (minutes:seconds, or h:mm:ss past an hour): "T07 12:31 l.12-18". The
/// lines are always there, so two passages of one long turn have different references.
std::string reference(const document& doc, span passage);
/// The same with `index`, a text_index of doc.text built once for many passages.
std::string reference(const document& doc, span passage, const text_index& index);

/// How a query matches text.
struct match_options {
  bool regex = false;             ///< the query is an ICU regular expression
  bool whole_words = true;        ///< plain queries match only at word boundaries
  bool case_sensitive = false;    ///< "zoe" does not match "ZOE" (nor, in plain search, "zoë")
  bool accent_sensitive = false;  ///< "zoe" does not match "Zoë"
};

/// Every non-overlapping match of `query` in UTF-8 `text`, as code point spans in text
/// order. A plain query is compared by a root collator: at primary strength (case and
/// accents ignored) by default, secondary with accent_sensitive, tertiary with
/// case_sensitive; with whole_words a match must start and end at word boundaries, so
/// "car" does not find "career". A plain query may end in `*` right after a letter or
/// digit: the rest of that word may follow, so "comput*" finds "computer", "Computing" and
/// "comput" (still whole-word at its start: not "microcomputer"), and "child care*" finds
/// "child carers"; the match runs to the end of the word. A regex is an ICU regular
/// expression, case-insensitive unless case_sensitive (whole_words does not apply: write
/// `\b`). Throws input_error for an empty query, a plain query of white space only, a `*`
/// anywhere else in a plain query, a bad regular expression (naming the pattern, ICU's
/// error and the offset in the pattern), and a regular expression that matches empty text
/// ("x*", "^", "\b": one with a zero-length match in "" or " word ").
/// Example: find_matches("Zoë and ZOE", "zoe", {}) == {{0, 3}, {8, 11}};
/// find_matches("Computers, computing", "comput*", {}) == {{0, 9}, {11, 20}}.
std::vector<span> find_matches(std::string_view text, std::string_view query,
                               const match_options& options = {});

/// What a hit is widened to.
enum class expand_unit { none, sentence, paragraph, turn };

/// Parses "none", "sentence", "paragraph" or "turn"; throws input_error with a did-you-mean.
expand_unit parse_expand_unit(std::string_view name);

/// Widens `s` to the sentences it touches (ICU sentence breaks, kept inside the turn that
/// holds the hit, without surrounding white space), the paragraph (lines between blank
/// lines), or the turns it overlaps. A hit that no turn overlaps is left as it is for
/// `turn`. The result always contains `s`.
span expand(const document& doc, span s, expand_unit unit);

/// One way of choosing passages: a range, a speaker or a search (`qcode code`, `uncode`).
struct selector {
  enum class kind { chars, lines, turns, speaker, match, regex };
  kind what;
  /// The range ("A:B", "A-B"), the speaker (a label or a case id), or the query.
  std::string value;
};

/// How select_passages searches and where it looks.
struct selection_options {
  expand_unit expand = expand_unit::none;  ///< what each match or regex hit is widened to
  bool case_sensitive = false;             ///< searches tell case (and accents) apart
  bool partial_words = false;              ///< plain searches match inside words too
  /// The documents are the whole project: an unknown speaker is "not found in any
  /// document" rather than in the one document given.
  bool all_docs = false;
};

/// Every turn that `speaker` (a speaker label or a case id) speaks in each of `docs`, one
/// list of spans per document. Throws input_error when it speaks in none of them, with a
/// did-you-mean and the labels that do speak.
std::vector<std::vector<span>> select_speaker(const std::vector<document>& docs,
                                              std::string_view speaker,
                                              const selection_options& options = {});

/// Every hit of `query` (find_matches with `match`) in each of `docs`, widened to
/// options.expand, one list of spans per document.
std::vector<std::vector<span>> select_matches(const std::vector<document>& docs,
                                              std::string_view query, const match_options& match,
                                              expand_unit unit);

/// The passages of `docs` that every one of `selectors` selects, as (document id, span)
/// in document order and then text order. A range (chars, lines, turns) applies to the
/// first document. Search hits are widened before the other selectors cut them, so that a
/// speaker and a match widened to the sentence give the speaker's sentences with the match;
/// several selectors are combined with intersect_passages. Throws input_error for a bad
/// range, an unknown speaker or a bad query; an empty `selectors` selects nothing.
/// Example: select_passages(docs, {{selector::kind::speaker, "R"},
///                                 {selector::kind::match, "oui"}}).
std::vector<std::pair<std::string, span>> select_passages(const std::vector<document>& docs,
                                                          const std::vector<selector>& selectors,
                                                          const selection_options& options = {});

}  // namespace coding
