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
/// `\b`); empty matches are skipped. Throws input_error for an empty query, a `*` anywhere
/// else in a plain query, or a bad regular expression (naming the pattern, ICU's error and
/// the offset in the pattern).
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

}  // namespace coding
