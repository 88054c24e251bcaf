#pragma once
/// \file
/// Unicode text: normalisation, validation, and conversions between the positions people
/// and programs use (code points, UTF-8 bytes, lines). Offsets are code points, 0-based
/// and end-exclusive; lines are 1-based.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coding {

/// Returns `text` as qcode stores it: without a UTF-8 byte order mark, with CRLF and CR
/// turned into LF, in Unicode normalisation form C. Throws parse_error (an input_error)
/// located at `name` and the line when `text` is not valid UTF-8, naming the byte offset.
std::string normalize_text(std::string_view text, std::string_view name = "input");

/// Bytes of a text file decoded to UTF-8, and the encoding they were read as.
struct decoded_text {
  std::string text;      ///< UTF-8 (not yet normalised: pass it to normalize_text)
  std::string encoding;  ///< e.g. "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "windows-1252"
};

/// Decodes a file's bytes. With `forced` (an ICU converter name such as "windows-1252"
/// or "UTF-16LE") the bytes are read in that encoding. Otherwise: a UTF-8 BOM means
/// UTF-8; a UTF-16 LE or BE BOM means UTF-16; valid UTF-8 is UTF-8; bytes with no valid
/// multi-byte UTF-8 sequence are legacy single-byte text whose encoding ICU's charset
/// detection names (windows-1252 for older Word exports). Throws parse_error naming
/// `name`, the line and the byte offset for invalid UTF-8 in a file that is otherwise
/// UTF-8, and input_error for an unknown `forced` encoding or text that is binary
/// (NUL bytes outside UTF-16).
decoded_text decode_text(std::string_view bytes, std::string_view name,
                         std::string_view forced = "");

/// The byte offset of the first invalid UTF-8 sequence, or npos when `text` is valid.
std::size_t find_invalid_utf8(std::string_view text) noexcept;

/// Number of code points in valid UTF-8 `text`.
std::size_t count_code_points(std::string_view text) noexcept;

/// Columns `text` takes in a terminal: wide (East Asian) characters count 2, combining
/// marks 0, everything else 1.
std::size_t display_width(std::string_view text);

/// Splits `text` into lines of at most `width` display columns, breaking where Unicode's
/// line-breaking rules allow (ICU); a word longer than `width` is cut. Spaces at the
/// breaks are dropped. An empty text gives one empty line.
std::vector<std::string> wrap_text(std::string_view text, std::size_t width);

/// Edit distance in code points: insertions, deletions, substitutions and swaps of two
/// adjacent characters each count one (optimal string alignment). edit_distance("lable",
/// "label") == 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// A count and the word for it, for messages: `one` when `n` is 1, `many` otherwise.
/// plural(1, "coding", "codings") == "1 coding"; plural(0, "summary", "summaries") ==
/// "0 summaries".
std::string plural(std::size_t n, std::string_view one, std::string_view many);

/// The items of a comma-separated list, as given (empty items kept, so that a caller can
/// refuse "a,,b"): split_list("anna,ben") == {"anna", "ben"}; split_list("") == {""}.
std::vector<std::string> split_list(std::string_view list);

/// An index over one UTF-8 text for quick conversions between code points, bytes and
/// lines. The text must outlive the index.
class text_index {
 public:
  explicit text_index(std::string_view text);

  /// Length in code points.
  std::size_t size() const noexcept { return size_; }
  /// Number of lines; an empty text has one (empty) line, a final LF does not open one.
  std::size_t line_count() const noexcept { return line_starts_.size(); }
  /// Byte offset of code point `cp` (`cp` == size() gives the text's byte length).
  std::size_t byte_offset(std::size_t cp) const;
  /// Code point offset of byte `byte`, which must start a code point.
  std::size_t code_point(std::size_t byte) const;
  /// The 1-based line holding code point `cp`.
  std::size_t line_of(std::size_t cp) const;
  /// Code point where 1-based `line` starts.
  std::size_t line_start(std::size_t line) const;
  /// Code point where 1-based `line` ends (its LF, or the end of the text).
  std::size_t line_end(std::size_t line) const;
  /// UTF-16 code units before code point `cp` (characters outside the BMP count two).
  std::size_t utf16_offset(std::size_t cp) const;
  /// Code point at UTF-16 unit offset `unit`; an offset inside a surrogate pair gives the
  /// code point that the pair encodes.
  std::size_t code_point_from_utf16(std::size_t unit) const;
  /// The text of code points [start, end).
  std::string_view slice(std::size_t start, std::size_t end) const;

 private:
  std::string_view text_;
  std::size_t size_ = 0;
  std::vector<std::size_t> checkpoints_;        // byte offset of every kStride-th code point
  std::vector<std::size_t> utf16_checkpoints_;  // UTF-16 offset of the same code points
  std::vector<std::size_t> line_starts_;        // code point offset of each line's start
};

}  // namespace coding
