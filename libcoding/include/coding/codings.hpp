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
#include "coding/text.hpp"

namespace coding {

/// A passage: code points [start, end) of a document's text.
struct span {
  std::size_t start = 0;
  std::size_t end = 0;
  friend bool operator==(const span&, const span&) = default;
};

/// A coding stored in a project.
struct coding_record {
  std::int64_t id = 0;
  std::string doc;
  std::size_t start = 0;
  std::size_t end = 0;
  std::string code;
  std::string coder;
  std::string memo;
  std::string created;  ///< ISO 8601 UTC, e.g. "2026-11-23T10:15:00Z"
  std::string text;     ///< the coded passage, when asked for
  std::string review;   ///< why the coding needs review (its passage changed); empty: fine
};

/// Where a coding to be added came from, so that messages can say where.
struct coding_origin {
  std::string file;      ///< empty for the command line
  std::size_t line = 0;  ///< the row's line in `file`
  std::size_t doc_column = 0, start_column = 0, end_column = 0, code_column = 0,
              text_column = 0;  ///< 1-based columns (CSV) or 0 when unknown

  /// "in FILE:LINE, column N" (or "in FILE:LINE"), or "" for the command line.
  std::string where(std::size_t column) const;
};

/// A coding to be added: checked against the project before anything is written.
struct new_coding {
  std::string doc;
  std::size_t start = 0;
  std::size_t end = 0;
  std::string code;
  std::string coder;
  std::string memo;
  std::optional<std::string> text;  ///< when given, must equal the document's text at the span
  std::string created;              ///< empty: now
  std::string review;               ///< a review note carried over from an export
  coding_origin origin;
};

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

/// Reads codings from a CSV file (columns doc,start,end,code,coder[,memo][,text][,created][,review]
/// in any order, named by a header row) or a JSON file (an array of objects with those
/// keys), chosen by the extension. Throws parse_error for a malformed row, naming the
/// row and column, and input_error for a file that cannot be read.
std::vector<new_coding> read_codings(const std::string& path);

/// Parses codings CSV text; `file` names it in messages.
std::vector<new_coding> parse_codings_csv(std::string_view text, std::string_view file);

/// Parses codings JSON text; `file` names it in messages.
std::vector<new_coding> parse_codings_json(std::string_view text, std::string_view file);

/// The login name of the user running qcode: $QCODE_CODER, else the login name, else
/// "unknown".
std::string default_coder();

}  // namespace coding
