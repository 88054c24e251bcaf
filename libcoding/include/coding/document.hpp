#pragma once
/// \file
/// Transcripts: documents, speaker turns, and the loader for .txt and .md files with
/// optional YAML front matter (see docs/transcript-format.md).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// What a speaker label stands for.
struct speaker_role {
  std::string label;
  std::optional<std::string> case_id;  ///< empty: an interviewer or moderator
};

/// A transcript as qcode stores it.
struct document {
  std::string id;
  std::string title;
  std::string text;  ///< UTF-8, NFC, LF line endings, no BOM, front matter removed
  std::string source_name;  ///< the file it came from
  std::string source_hash;  ///< hex digest of the source file's bytes
  std::optional<std::string> case_id;  ///< the respondent of a one-to-one interview
  std::vector<speaker_role> speakers;
  std::vector<turn> turns;
  /// Case attributes declared by the document: case id -> attribute -> value.
  std::map<std::string, std::map<std::string, std::string>> case_attributes;
  /// Code points in `text`.
  std::size_t length = 0;

  /// A one-to-one interview has a case; a group discussion has none of its own.
  bool is_interview() const noexcept { return case_id.has_value(); }
};

/// Options for reading one transcript.
struct transcript_options {
  /// Extra label -> case id mappings (`--speakers`); "interviewer" or "moderator" as the
  /// case marks a non-respondent. They override the front matter.
  std::map<std::string, std::string> speakers;
};

/// Labels that name an interviewer when no mapping says otherwise (IV, Interviewer, ...).
bool is_interviewer_label(std::string_view label);

/// Parses a transcript's bytes; `file` names it in messages and gives the default id
/// (the file name without folders and extension). Throws parse_error for bad front
/// matter or text that is not valid UTF-8.
document parse_transcript(std::string_view bytes, std::string_view file,
                          const transcript_options& options = {});

/// Reads and parses a .txt or .md transcript file. Throws input_error for other
/// extensions or a file that cannot be read, parse_error for bad content.
document load_transcript(const std::string& path, const transcript_options& options = {});

/// A 64-bit FNV-1a digest of `bytes` as 16 hex digits: enough to notice a changed file
/// or stored text, not a cryptographic hash.
std::string content_hash(std::string_view bytes);

}  // namespace coding
