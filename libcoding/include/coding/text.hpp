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
  /// The text of code points [start, end).
  std::string_view slice(std::size_t start, std::size_t end) const;

 private:
  std::string_view text_;
  std::size_t size_ = 0;
  std::vector<std::size_t> checkpoints_;   // byte offset of every kStride-th code point
  std::vector<std::size_t> line_starts_;   // code point offset of each line's start
};

}  // namespace coding
