#pragma once
/// \file
/// Who speaks where: each document's speaker labels and the cases they are mapped to,
/// the documents each case speaks in, and the cases a passage speaks for, by the rule
/// the matrix counts with (docs/measures.md, "Who a passage speaks for").

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/document.hpp"
#include "coding/project.hpp"

namespace coding {

/// One speaker label of one document, as `qcode speakers list` shows it.
struct speaker_listing {
  std::string doc;
  speaker_role role;
  std::string group;           ///< the case's value of the grouping attribute; "" when none
  std::size_t turns = 0;       ///< turns under the label
  std::size_t characters = 0;  ///< code points spoken in them
  std::size_t codings = 0;     ///< codings that overlap one of them
};

/// Every speaker label of every document, in document order and then in the order the
/// labels first speak.
std::vector<speaker_listing> list_speakers(const study& s);

/// Where one case speaks.
struct case_place {
  std::string doc;
  bool interview = false;  ///< the document is a one-to-one interview with the case
  std::size_t turns = 0;   ///< turns that speak for the case (an interview: all of them)
};

/// One case, as `qcode cases list` shows it.
struct case_listing {
  case_record record;
  std::vector<case_place> places;  ///< in document order; empty: the case speaks nowhere
};

/// Every case (ordered by id) with the documents it speaks in.
std::vector<case_listing> list_cases(const study& s);

/// Who a passage speaks for, and who is heard in it.
struct passage_speakers {
  std::vector<std::string> cases;     ///< the cases it counts for, as the matrix counts it
  std::vector<std::string> groups;    ///< their groups, each once, in the cases' order
  std::vector<std::string> speakers;  ///< labels of the turns it overlaps, each once, in order
};

/// Answers passage_speakers for many passages of one study (built once: codings export
/// asks about every coding). The study must outlive it.
class speaker_index {
 public:
  explicit speaker_index(const study& s);
  speaker_index(const speaker_index&) = delete;
  speaker_index& operator=(const speaker_index&) = delete;
  ~speaker_index();

  /// The passage [start, end) of document `doc`; empty lists for an unknown document.
  passage_speakers of(std::string_view doc, std::size_t start, std::size_t end) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// A speaker label whose coded speech counts for nobody: neither a case nor an interviewer
/// (speaker_role::unmapped), in a document without a case of its own, with codings that
/// overlap its turns. Mapping the label to a case makes those codings count.
struct unmapped_speech {
  std::string doc;
  std::string label;
  std::size_t codings = 0;  ///< codings that overlap its turns and count for no case

  /// The line `check` prints, with the command that maps the label: "G01: speaker 'Hurst,
  /// Peter' is not mapped to a case, and 3 codings in its turns count for nobody; map it
  /// with: qcode speakers map G01 'Hurst, Peter=CASE'".
  std::string message() const;
};

/// Every unmapped label with codings in its turns, in document order and then in the
/// order the labels first speak. Never throws for a consistent study.
std::vector<unmapped_speech> find_unmapped_speech(const study& s);

}  // namespace coding
