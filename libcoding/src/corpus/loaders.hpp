#pragma once
// Loaders for the transcript formats other than .txt/.md, private to the library.
// Each turns a source file into plain text (UTF-8, LF, NFC) plus, where the format
// carries them, turns with speakers and start times. document.cpp then applies the
// speaker mapping and builds the document.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coding::detail {

/// A turn found by a loader; offsets are code points into loaded_text::text.
struct loaded_turn {
  std::string speaker;         ///< the label as the source gives it; may be empty
  std::size_t start = 0;       ///< first code point of what was said (after the label)
  std::size_t end = 0;         ///< exclusive
  std::optional<double> time;  ///< seconds from the start of the recording
};

/// What a loader returns.
struct loaded_text {
  std::string text;                   ///< UTF-8, LF line endings, NFC
  std::vector<loaded_turn> turns;     ///< empty: find turns from labels in the text
  bool has_turns = false;             ///< true when the format itself delimits turns (VTT, SRT)
  std::vector<std::string> warnings;  ///< lenient readings, "file:line: ..." (document::warnings)
};

/// Word .docx: the main document part's paragraphs, one per line (an empty paragraph
/// gives an empty line); w:br is a line break, w:tab a tab; a table becomes one line per
/// row with cells separated by tabs; headers, footers, footnotes, comments and tracked
/// deletions are left out, tracked insertions kept. A speaker label in bold at the
/// start of a paragraph ("**Name:** text" or "**Name** text") is written "Name: text",
/// so that the usual label detection finds it. The result has has_turns == false.
/// Throws parse_error (file, with a message saying what to do) for a file that is not
/// a zip, a zip that is not a Word document, a missing or malformed
/// word/document.xml, or parts larger than the size cap (zip bombs).
loaded_text load_docx(std::string_view bytes, std::string_view file);

/// WebVTT as Zoom, Microsoft Teams and Otter write it. Cue identifiers, NOTE, STYLE and
/// REGION blocks are skipped; the speaker comes from a <v Name> voice span (verbatim, so
/// "<v Hurst, Peter>" is "Hurst, Peter") or a "Name: text" payload; other tags are removed,
/// entities decoded and the lines of a cue joined by spaces. Consecutive cues of one
/// speaker are merged into one turn that keeps the first cue's start time. The text is
/// "Name: what was said" per turn, turns separated by a blank line; a turn without a
/// speaker is written without a label.
///
/// Times are read leniently, as Teams writes them: fields need no padding ("0:1:2.5") and
/// a fraction of fewer than three digits counts milliseconds (".5" is 5 ms). A start time
/// that cannot be read (negative, malformed, minutes or seconds of 60) gives the cue the
/// start of the cue before, or 0 for the first cue; a bad end time, or an end before the
/// start, is ignored (only start times are kept). Each adds a warning to
/// loaded_text::warnings, "FILE:LINE: cue N: ..." (N counts cues from 1). Throws
/// parse_error with the line and column for a missing WEBVTT header, a block that is
/// neither a cue nor NOTE/STYLE/REGION (no "-->"), a timing line in which neither time can
/// be read, or a file without cues.
loaded_text load_webvtt(std::string_view utf8, std::string_view file);

/// SubRip .srt: numbered cues with "HH:MM:SS,mmm --> HH:MM:SS,mmm" timings, read as
/// leniently as load_webvtt's, with the same warnings; speakers from "Name: text" or
/// "[Name] text" payloads; merged and written as load_webvtt does. "[Name]" is a label
/// only when may_be_bracket_label(Name) holds and the file opens at least two cues with
/// that name ("[Name]" or "Name:"); otherwise the bracket stays in the text, and a cue
/// without a label continues the current speaker's turn. Throws parse_error with the line
/// for a broken cue number, a missing or unreadable timing line, or a file without cues.
loaded_text load_srt(std::string_view utf8, std::string_view file);

/// Whether the text inside a bracket that opens a line, as in "[Name] text", may be a
/// speaker's name rather than a sound or stage direction: it starts with a letter that is
/// not lower case ("[chuckles] I" is not a label) and is not a known sound or direction
/// such as "Laughter", "Crosstalk", "Inaudible" or "Music", in any case. Used by the SRT
/// loader and by the "[Name]" labels of text transcripts (document.cpp). Does not check
/// the other rules for labels (length, words, characters).
bool may_be_bracket_label(std::string_view label);

}  // namespace coding::detail
