#pragma once
/// \file
/// Transcripts: documents, speaker turns, and the loader for .txt and .md files with
/// optional YAML front matter (see docs/transcript-format.md).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coding/error.hpp"

namespace coding {

/// A speaker's turn: the span of what was said, after the label, colon and spaces,
/// to the end of the turn's last non-blank line.
struct turn {
  std::string speaker;                 ///< the label as written, e.g. "R" or "Siân"
  std::optional<std::string> case_id;  ///< the case who speaks; empty for interviewers
  std::size_t start = 0;               ///< code points, into document::text
  std::size_t end = 0;                 ///< exclusive
  std::optional<double> time;          ///< seconds from the start of the recording
};

/// What a speaker label stands for in one document.
struct speaker_role {
  std::string label;
  /// The case who speaks under this label; empty for an interviewer or moderator, and
  /// for a label not mapped to any case (its speech counts for nobody).
  std::optional<std::string> case_id;
  /// An interviewer or moderator: by a mapping, or by its label (is_interviewer_label).
  bool interviewer = false;
  /// Mapped by the researcher (front matter `speakers:`, `--speakers`, `speakers map`,
  /// `cases import`), not inferred from the label or the document's case. A declared
  /// mapping stays with the document when it is re-imported.
  bool declared = false;

  /// Neither a case nor an interviewer: speech that counts for nobody until mapped.
  bool unmapped() const noexcept { return !case_id && !interviewer && !label.empty(); }
};

/// A coding written inline in a transcript, `(QCODE)passage(/QCODE){#code1, #code2}` as
/// the R package qcoder writes them: one per code, checked against the framework on import.
struct inline_coding {
  std::size_t start = 0;  ///< code points into document::text (the markup removed)
  std::size_t end = 0;
  std::string code;  ///< as written after '#': a full id or a code's own id
  location where;    ///< the code's place in the file, for messages
};

/// A transcript as qcode stores it.
struct document {
  std::string id;
  std::string title;
  std::string text;         ///< UTF-8, NFC, LF line endings, no BOM, front matter removed
  std::string source_name;  ///< the file it came from
  std::string source_hash;  ///< hex digest of the source file's bytes
  std::optional<std::string> case_id;  ///< the respondent of a one-to-one interview
  std::vector<speaker_role> speakers;
  std::vector<turn> turns;
  /// Case attributes declared by the document: case id -> attribute -> value.
  std::map<std::string, std::map<std::string, std::string>> case_attributes;
  /// Code points in `text`.
  std::size_t length = 0;
  /// The encoding the source was read in, e.g. "UTF-8" or "windows-1252".
  std::string encoding = "UTF-8";
  /// Codings written inline in the source.
  std::vector<inline_coding> inline_codings;
  /// What the loader read leniently or could not use, each naming the file and line
  /// ("teams.vtt:12: cue 3: malformed time '0:0:-6.-820', read as 0:00:00.000"); the
  /// document is still imported. `import` prints them as warnings.
  std::vector<std::string> warnings;
  /// The researcher's memo on the document, as a project stores it (document_store::find
  /// and load fill it in). An import ignores it: a re-imported document keeps the memo
  /// the project has, which document_store::set_memo changes.
  std::string memo;

  /// A one-to-one interview has a case; a group discussion has none of its own.
  bool is_interview() const noexcept { return case_id.has_value(); }
};

/// Options for reading one transcript.
struct transcript_options {
  /// Extra label -> case id mappings (`--speakers`); "interviewer" or "moderator" as the
  /// case marks a non-respondent. They override the front matter.
  std::map<std::string, std::string> speakers;
  /// An ICU converter name to read the file in (`--encoding`); empty: detect.
  std::string encoding;
  /// The case of a one-to-one interview (`--case`), whatever the file's format; it
  /// overrides the front matter's `case:`.
  std::string case_id;
  /// Labels to recognise as speakers even when used once, without mapping them: the
  /// labels a project already has for the document (project::speaker_labels), so that a
  /// re-import finds the same turns.
  std::vector<std::string> known_labels;
};

/// Whether `value` in a speaker mapping names a non-respondent ("interviewer" or
/// "moderator", any case) rather than a case id.
bool is_interviewer_role(std::string_view value);

/// Sets every turn's case from its speaker's role, and the roles' cases: a declared
/// case; none for an interviewer; otherwise the document's own case (a one-to-one
/// interview), or none. Call it after changing `doc.speakers` or `doc.case_id`.
void attribute_turns(document& doc);

/// Labels that name an interviewer when no mapping says otherwise (IV, Interviewer, ...).
bool is_interviewer_label(std::string_view label);

/// Parses a plain-text transcript (.txt or .md) from its bytes; `file` names it in
/// messages and gives the default id (the file name without folders and extension).
/// The bytes are decoded as decode_text does. A `file` ending in `.md` is Markdown: its
/// text is stored as a reader sees it (escapes resolved, emphasis markers, `#` and list
/// markers left out, links as their text); any other is kept as written. Speaker labels
/// are found at line starts in the forms `Name:`, `NAME:`, `[Name]`, `**Name:**`,
/// `Name (00:01:02):` and Otter's `Name  0:21` line (both giving the turn's start time),
/// and `Name` alone on a line before its paragraph. Inline `(QCODE)...(/QCODE){#code}`
/// markup becomes inline_codings. A text with no turns and no case of its own gets a
/// warning (document::warnings). Throws parse_error for bad front matter, bad markup or
/// bad encoding, input_error for an empty or binary file.
document parse_transcript(std::string_view bytes, std::string_view file,
                          const transcript_options& options = {});

/// Reads and parses a transcript file by its extension: .txt and .md (parse_transcript),
/// .docx (Word), .vtt (WebVTT) and .srt (SubRip). Throws input_error for other
/// extensions or a file that cannot be read, parse_error for bad content.
document load_transcript(const std::string& path, const transcript_options& options = {});

/// The extensions load_transcript reads, e.g. ".txt".
const std::vector<std::string>& transcript_extensions();

/// One speaker mapping "LABEL=ROLE" (ROLE a case id, "interviewer", or empty), split at the
/// last '=' so that a label may hold spaces, commas and '='. Throws input_error naming
/// `option` (how the user gave it, e.g. "--speakers") when there is no '=' or no label.
/// Example: parse_speaker_mapping("Hurst, Peter=P07", "mapping") == {"Hurst, Peter", "P07"}.
std::pair<std::string, std::string> parse_speaker_mapping(std::string_view item,
                                                          std::string_view option);

/// Speaker mappings as transcript_options::speakers takes them, from values that each
/// hold "LABEL=CASE[,LABEL=CASE...]": a piece without '=' belongs to the label that
/// follows ("Hurst, Peter=P1,IV=interviewer" maps "Hurst, Peter"), and spaces after a comma
/// are dropped. Throws input_error naming `option` for a malformed item or one without a
/// case after '='.
std::map<std::string, std::string> parse_speaker_mappings(const std::vector<std::string>& values,
                                                          std::string_view option);

/// A 64-bit FNV-1a digest of `bytes` as 16 hex digits: enough to notice a changed file
/// or stored text, not a cryptographic hash.
std::string content_hash(std::string_view bytes);

}  // namespace coding
