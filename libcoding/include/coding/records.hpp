#pragma once
/// \file
/// The records a project stores and returns: passages and codings, cases, documents'
/// summaries of what an import, a mapping or a framework update did, history entries,
/// chart summaries. Plain values; project.hpp reads and writes them.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coding/document.hpp"
#include "coding/framework.hpp"

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

/// A change to one coding (coding_store::update): each field given is set.
struct coding_update {
  std::optional<std::string> code;  ///< recode it to this code (full id)
  std::optional<std::string> memo;  ///< set its memo ("" clears it)
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

/// A respondent and its attributes.
struct case_record {
  std::string id;
  std::string label;
  std::map<std::string, std::string> attributes;
  std::string memo;  ///< the researcher's memo on the case; empty: none
};

/// One row of a cases file: a case and the attributes to set on it.
struct case_row {
  std::string id;
  std::vector<std::pair<std::string, std::string>> attributes;
  location where;       ///< the row, for messages (column 1 is the case id)
  std::string doc;      ///< with `speaker`: the document whose speaker this case is
  std::string speaker;  ///< a speaker label in `doc` that is this case
  std::size_t doc_column = 0, speaker_column = 0;  ///< 1-based, for messages
};

/// A document as listed: everything but the text.
struct document_info {
  std::string id;
  std::string title;
  std::string source_name;
  std::optional<std::string> case_id;
  std::size_t length = 0;  ///< code points
  std::size_t lines = 0;
  std::size_t turns = 0;
  std::size_t codings = 0;
  std::string memo;  ///< the researcher's memo on the document; empty: none
};

/// How an import treats what it finds.
struct import_options {
  bool accept_changes = false;  ///< keep codings whose passage changed, flagged for review
  bool dry_run = false;         ///< do everything, report, then change nothing
  bool keep_going = false;      ///< skip a bad document (listed in failed), import the rest
  std::string coder;            ///< coder of inline codings; empty: default_coder()
};

/// A coding whose passage changed or vanished when its transcript was re-imported.
struct changed_coding {
  std::string doc;
  std::string code;
  std::string coder;
  span old_span;
  span new_span;  ///< where it was kept (flagged for review) when accepted
  std::string old_text;
  std::string new_text;  ///< the new text at new_span; empty when the passage vanished
  bool vanished = false;
};

/// "T07 choice.informed (anna) 120:180: “old” is now “new”" (or "... vanished").
std::string describe(const changed_coding& c);

/// What became of one speaker label's mapping when its document was re-imported.
struct speaker_change {
  enum class kind {
    kept,      ///< a mapping declared before, kept for a label that still occurs
    remapped,  ///< this import declares another mapping for the label
    vanished,  ///< the label no longer occurs; its mapping went with it
    appeared,  ///< a label the document did not have before
  };
  kind what = kind::kept;
  std::string doc;
  std::string label;
  std::string now;     ///< a case id, "interviewer", or "" (not mapped); vanished: ""
  std::string before;  ///< the same before the import; appeared: ""
};

/// "interviewer", the case id, or "" for a role that speaks for nobody.
std::string role_name(const speaker_role& r);

/// What an import did.
struct import_result {
  std::vector<std::string> added;
  std::vector<std::string> replaced;    ///< same id, new text
  std::vector<std::string> unchanged;   ///< same id and text
  std::size_t moved = 0;                ///< codings whose unchanged passage moved with it
  std::vector<changed_coding> changed;  ///< codings whose passage changed (kept, flagged)
  std::size_t inline_codings = 0;       ///< codings added from inline markup
  /// With keep_going: each source that was not imported, and why.
  std::vector<std::pair<std::string, std::string>> failed;
  /// Re-imported documents: speaker mappings kept from the project, changed, lost or new.
  std::vector<speaker_change> speakers;
  /// Re-imported documents without a case of their own in the file that keep the case
  /// declared for them before (`--case`, `cases import`, `speakers map --case`): {doc, case}.
  std::vector<std::pair<std::string, std::string>> cases_kept;
  /// Per document imported: the labels that speak for no case and are not interviewers,
  /// after mappings kept from the project. Documents with none are left out.
  std::map<std::string, std::vector<std::string>> unmapped;
};

/// What project::import_cases did.
struct cases_import_result {
  std::size_t rows = 0;                ///< rows applied
  std::size_t speakers = 0;            ///< rows that mapped a speaker label to their case
  std::size_t documents = 0;           ///< rows that declared a document one-to-one with their case
  std::vector<std::string> new_cases;  ///< cases those rows created, in row order
};

/// One speaker label's mapping, as `qcode speakers map DOC LABEL=ROLE` gives it.
struct speaker_mapping {
  std::string doc;
  std::string label;
  /// A case id (created when new), "interviewer" or "moderator" for a non-respondent,
  /// or "" to forget the declared mapping (the label is then read as on import).
  std::string role;
};

/// What project::map_speakers changed.
struct speaker_mapping_result {
  std::size_t changed = 0;             ///< labels whose mapping changed
  std::size_t turns = 0;               ///< turns that now speak for another case (or none)
  std::vector<std::string> new_cases;  ///< cases created for the mappings
};

/// What adding codings did.
struct add_codings_result {
  std::size_t added = 0;
  std::size_t duplicates = 0;  ///< identical codings already present, left alone
  /// The id of each coding given, in input order: the new coding's, or for a duplicate
  /// the id of the identical coding already present.
  std::vector<std::int64_t> ids;
};

/// One change to a project, as `qcode log` lists it.
struct history_entry {
  std::int64_t id = 0;
  std::string time;     ///< ISO 8601 UTC
  std::string coder;    ///< who ran the command
  std::string command;  ///< the command line
  std::string summary;  ///< what changed, e.g. "14 documents added, 381 codings added"
  bool undone = false;  ///< undone, and so ready to be redone
  /// What undoing it needs was dropped by history_store::compact: it stays in the log but
  /// cannot be undone (nor can anything before it).
  bool compacted = false;
};

/// What history_store::compact did.
struct compact_result {
  std::size_t entries = 0;         ///< entries whose undo data was dropped by this call
  std::size_t kept = 0;            ///< done entries that can still be undone
  std::uint64_t bytes_before = 0;  ///< the project file's size before (pages in use)
  std::uint64_t bytes_after = 0;   ///< and after, once VACUUM has shrunk it
};

/// What `project::update_framework` does with the codings of codes that disappear.
struct framework_update_options {
  bool dry_run = false;       ///< work out the difference, change nothing
  std::string merge_into;     ///< full id (in the new framework) that takes over their codings
  bool drop_codings = false;  ///< delete their codings
};

/// The researcher's summary of what a case said about a code: one cell of a chart.
struct summary {
  std::string case_id;
  std::string code;  ///< full id
  std::string text;
  bool draft = false;   ///< filled in by `summary draft` from the coded passages, not yet rewritten
  std::string author;   ///< who last set it
  std::string updated;  ///< when (ISO 8601 UTC)
};

/// A saved query (docs/queries.md#saved-queries): a name for an expression, kept in the
/// project so that a team can run it again and chart it (`matrix --rows query:NAME`).
struct saved_query {
  std::string name;        ///< letters, digits, '_', '-' and '.', starting with a letter
  std::string expression;  ///< as written
  std::string author;      ///< who saved it last
  std::string updated;     ///< when (ISO 8601 UTC)
};

/// One row of an edited summaries file (`summary export`, then `summary import`).
struct summary_edit {
  std::string case_id;
  std::string code;
  std::string text;  ///< the cell as edited; empty removes the summary
  /// content_hash() of the summary when it was exported ("" when there was none); a
  /// project summary that no longer matches it was changed since, and is a conflict.
  std::string base;
  bool draft = false;  ///< marked as a draft in the file (an applied edit is never a draft)
  location where;      ///< the row, for messages
};

/// A summary edited both in the file and in the project since the export.
struct summary_conflict {
  std::string case_id;
  std::string code;
  std::string project_text;  ///< what the project holds now (kept)
  std::string file_text;     ///< what the file says (not applied)
  location where;
};

/// What `project::import_summaries` did.
struct summary_import_result {
  std::size_t updated = 0;    ///< added, changed or removed
  std::size_t unchanged = 0;  ///< same text as the project's
  std::vector<summary_conflict> conflicts;
};

/// Which codings `project::copy` keeps: all of them, or those of `coders` (none when it
/// is empty: a blind copy for a second coder).
struct copy_options {
  bool all_codings = false;
  std::vector<std::string> coders;  ///< coders whose codings are kept (when not all_codings)
};

/// What `project::copy` wrote.
struct copy_result {
  std::size_t documents = 0;
  std::size_t cases = 0;
  std::size_t summaries = 0;
  std::size_t codings = 0;   ///< codings kept
  std::size_t left_out = 0;  ///< codings of the project not copied
};

/// What `project::merge` does with conflicts and changed texts.
struct merge_options {
  /// Which side wins a conflict; empty: a conflict refuses the merge.
  enum class side { none, ours, theirs };
  side prefer = side::none;
  bool accept_changes = false;  ///< re-anchor codings on documents whose text changed
  bool dry_run = false;         ///< plan and report, change nothing
};

/// One thing the two projects say differently.
struct merge_conflict {
  /// "code label", "case label", "case attribute", "case memo", "document memo",
  /// "document case", "speaker mapping", "coding memo" or "summary".
  std::string what;
  std::string id;  ///< what it is about: "a.x", "K1 group", "K1 a.x", "I1", a coding's key
  std::string ours;
  std::string theirs;
};

/// "case attribute 'K1 group': 'jcp' here, 'provider' in the other project".
std::string describe(const merge_conflict& c);

/// What `project::merge` found and (unless refused or a dry run) did.
struct merge_result {
  std::vector<std::string> documents_added;
  std::vector<std::string> documents_changed;  ///< same id, another text
  std::size_t documents_unchanged = 0;
  std::vector<std::string> codes_added;
  std::vector<std::string> cases_added;
  std::size_t attributes_set = 0;  ///< case attributes added (or changed by --prefer theirs)
  /// Codings added: planned against this project's texts before a changed document is
  /// re-anchored, counted again as they land when the merge is applied.
  std::size_t codings_added = 0;
  std::size_t codings_duplicate = 0;                ///< exact duplicates, left alone
  std::map<std::string, std::size_t> coders_added;  ///< codings added per coder
  std::size_t summaries_set = 0;
  std::size_t queries_set = 0;  ///< saved queries added (or replaced by --prefer theirs)
  std::size_t memos_set = 0;    ///< memos of documents, cases and codings
  std::vector<merge_conflict> conflicts;
  /// Codings here whose passage changed when a changed document was re-anchored.
  std::vector<changed_coding> changed;
  bool applied = false;  ///< false for a dry run or a refused merge
  /// Why it was refused: conflicts without a preferred side, changed texts without
  /// accept_changes; empty when it was not.
  std::string refused;  /// Speaker labels mapped (or documents declared one-to-one with a case) as
                        /// the other
  /// project has them, in documents both have.
  std::size_t mappings_set = 0;
};

}  // namespace coding
