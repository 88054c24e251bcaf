#pragma once
/// \file
/// A qcode project: one SQLite file holding the framework, the transcripts, the cases
/// and the codings. Every changing call is one transaction: when it throws, the project
/// is left exactly as it was.

#include <array>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "coding/codings.hpp"
#include "coding/document.hpp"
#include "coding/error.hpp"
#include "coding/framework.hpp"

namespace coding {

/// A respondent and its attributes.
struct case_record {
  std::string id;
  std::string label;
  std::map<std::string, std::string> attributes;
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
};

/// One change to a project, as `qcode log` lists it.
struct history_entry {
  std::int64_t id = 0;
  std::string time;     ///< ISO 8601 UTC
  std::string coder;    ///< who ran the command
  std::string command;  ///< the command line
  std::string summary;  ///< what changed, e.g. "14 documents added, 381 codings added"
  bool undone = false;  ///< undone, and so ready to be redone
};

/// What `project::update_framework` does with the codings of codes that disappear.
struct framework_update_options {
  bool dry_run = false;       ///< work out the difference, change nothing
  std::string merge_into;     ///< full id (in the new framework) that takes over their codings
  bool drop_codings = false;  ///< delete their codings
};

/// One code in a framework_diff.
struct code_diff {
  std::string id;           ///< its full id (in the new framework; the old one when removed)
  std::string old_id;       ///< renamed or moved: the id it had
  std::string label;        ///< its label (the new one)
  std::string old_label;    ///< relabelled: the label it had
  std::size_t codings = 0;  ///< removed: the codings it had; renamed or moved: those that followed
};

/// The difference between a project's framework and a new version of it.
struct framework_diff {
  std::vector<code_diff> added;    ///< in the new framework's order
  std::vector<code_diff> renamed;  ///< same parent, new local id (or following a renamed parent)
  std::vector<code_diff> moved;    ///< under another parent
  std::vector<code_diff> relabelled;
  std::vector<std::string>
      edited;  ///< full ids whose description, include, exclude, example or color changed
  std::vector<std::string>
      reordered;  ///< parents ("" for the themes) whose kept children changed order
  std::vector<code_diff> removed;  ///< with the number of codings each had
  std::vector<std::string>
      framework_fields;             ///< changed: "id", "title", "description", "source", "groups"
  std::size_t codings_merged = 0;   ///< codings of removed codes moved to merge_into
  std::size_t codings_dropped = 0;  ///< codings of removed codes deleted (drop_codings)
  std::size_t duplicates = 0;       ///< moved codings dropped as duplicates of existing ones

  /// True when the two frameworks are the same.
  bool empty() const;
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

/// Reads a summaries file as `summary export` writes it: columns case, code, summary and
/// base (required), draft (yes/no, true/false, y/n, 1/0 in any case, or empty for no)
/// and any others (group, label, passages), which are ignored. Cell text is normalised (LF line
/// ends, NFC). Throws parse_error naming the row and column.
std::vector<summary_edit> parse_summaries_csv(std::string_view text, std::string_view file);

/// Reads cases CSV (first column `case`, then one column per attribute; an optional
/// `label` column gives the case's label; optional `doc` and `speaker` columns map a
/// speaker label in a document to the case, or with `doc` alone declare the document a
/// one-to-one interview with the case). Throws parse_error naming row and column.
std::vector<case_row> parse_cases_csv(std::string_view text, std::string_view file);

/// An open project file.
class guid_book;

class project {
 public:
  /// The current schema version (PRAGMA user_version).
  static constexpr int schema_version = 5;

  /// Creates a new project file; throws input_error when `path` exists.
  static project create(const std::string& path, const framework* fw = nullptr);
  /// Opens an existing project, migrating an older schema forward. Throws input_error
  /// when the file does not exist or is not a qcode project.
  static project open(const std::string& path);

  project(project&&) noexcept;
  project& operator=(project&&) noexcept;
  ~project();

  const std::string& path() const noexcept;

  /// The project's framework (empty when it was created without one).
  std::optional<framework> get_framework() const;

  /// Documents in import order, without their text.
  std::vector<document_info> list_documents() const;
  /// Every document, with turns and speakers; with `with_text` false the text is left
  /// empty (enough for the matrix).
  std::vector<document> load_documents(bool with_text) const;
  /// One document with its text and turns.
  std::optional<document> find_document(std::string_view id) const;
  /// Ids of every document (for suggestions).
  std::vector<std::string> document_ids() const;

  /// The speaker labels of document `doc` that speak for a case or are mapped (declared),
  /// in order; empty for an unknown document. A re-import reads the file with these as
  /// transcript_options::known_labels, so that a label used once stays a label.
  std::vector<std::string> speaker_labels(std::string_view doc) const;

  /// Every case with its attributes, ordered by id.
  std::vector<case_record> cases() const;
  /// Names of every case attribute in use, sorted.
  std::vector<std::string> attribute_names() const;

  /// The current schema version (PRAGMA user_version) of the open file.
  int version() const;

  /// Every coding, ordered by document (import order), start, end, code, coder; with
  /// `with_text` each carries its passage.
  std::vector<coding_record> codings(bool with_text = false) const;

  /// Imports `docs` as one import_batch does.
  import_result import_documents(const std::vector<document>& docs,
                                 const import_options& options = {});

  /// Sets case attributes. A row with a speaker maps that label in its document to the
  /// case, and a row with a document but no speaker declares the document one-to-one with
  /// the case (both create the case; both are declared mappings, kept on re-import);
  /// other rows must name an existing case (input_error with a did-you-mean), as must the
  /// document and the label.
  cases_import_result import_cases(const std::vector<case_row>& rows);

  /// Maps speaker labels of documents to cases, or marks them interviewers, as one
  /// change; the mapping is declared, so it stays when the document is re-imported.
  /// Throws input_error (with a did-you-mean and the document's labels) for an unknown
  /// document or label, or an invalid case id, changing nothing.
  speaker_mapping_result map_speakers(const std::vector<speaker_mapping>& mappings);

  /// Declares document `doc` a one-to-one interview with `case_id` (created when new):
  /// every passage of it then speaks for that case. An empty `case_id` makes it a group
  /// document whose turns speak for their speakers' cases. One change; kept when the
  /// document is re-imported. Throws input_error for an unknown document or a bad id.
  /// `mappings` (of `doc`) are applied in the same change, as map_speakers does.
  speaker_mapping_result set_document_case(const std::string& doc, const std::string& case_id,
                                           const std::vector<speaker_mapping>& mappings = {});

  /// Checks every coding against the project (document, code, range, text) and adds
  /// them all, or throws input_error for the first bad one and adds none.
  add_codings_result add_codings(const std::vector<new_coding>& codings);

  /// Removes `code` (by `coder` when given) from the passages: a coding inside a passage
  /// goes, one overlapping its edge is trimmed, one around it is split in two. One
  /// transaction. Returns how many codings were touched. Throws input_error for an
  /// unknown code or document.
  std::size_t uncode(const std::vector<std::pair<std::string, span>>& passages,
                     const std::string& code, const std::optional<std::string>& coder);

  /// Moves the codings of `from` (by `coder` when given) to `to`; one that would then
  /// duplicate a coding of `to` is merged into it. Returns {moved, merged}. Throws
  /// input_error for an unknown code or a code moved onto itself.
  std::pair<std::size_t, std::size_t> recode(const std::string& from, const std::string& to,
                                             const std::optional<std::string>& coder);

  /// Names what the following changes are recorded as in the history: the command line
  /// and who ran it.
  void set_context(std::string command, std::string coder);

  /// Every change recorded, oldest first. Each changing call records one entry (none
  /// when it changed nothing).
  std::vector<history_entry> history() const;

  /// Reverts the last `n` changes that are not undone, restoring the exact previous
  /// state; returns them, newest first. Throws input_error when there are fewer.
  std::vector<history_entry> undo(std::size_t n = 1);

  /// Re-applies the last `n` undone changes, oldest first. A new change after an undo
  /// discards what could be redone. Throws input_error when there are fewer.
  std::vector<history_entry> redo(std::size_t n = 1);

  /// Replaces the project's framework with `next` (a checked framework) as one change
  /// that undo reverts: adds, relabels, reorders and removes codes; a code with
  /// `renamed_from` takes over that code's codings (its children follow it). Refuses with
  /// input_error, changing nothing, a removed code that still has codings unless
  /// `merge_into` or `drop_codings`, and a `renamed_from` that names no code of the
  /// project's framework or one that `next` keeps. With `dry_run` only reports.
  framework_diff update_framework(const framework& next,
                                  const framework_update_options& options = {});

  /// Every summary, ordered by case id and then by code in framework order.
  std::vector<summary> summaries() const;

  /// Sets (or, with empty text, removes) the summary of `case_id` for `code`, as one
  /// change; `draft` marks text filled in by qcode. Throws input_error for an unknown
  /// case or code (with a did-you-mean).
  void set_summary(const std::string& case_id, const std::string& code, const std::string& text,
                   bool draft = false);

  /// set_summary of `s` keeping the author and time it carries, as an import from another
  /// program does; an empty author or time becomes the project's coder or now.
  void set_summary(const summary& s);

  /// Sets the summaries of `cells` that have none (or only an empty one) to their text,
  /// as drafts, in one change; written summaries are never touched. Returns how many were
  /// filled. Throws input_error for an unknown case or code.
  std::size_t fill_drafts(const std::vector<summary>& cells);

  /// Applies an edited summaries file in one change: a row whose text differs from the
  /// project's is applied when the project's summary is still the one exported (its hash
  /// is the row's base), and is otherwise reported as a conflict and left alone. Throws
  /// input_error (naming the row) for an unknown case or code, changing nothing.
  summary_import_result import_summaries(const std::vector<summary_edit>& rows);

  /// The GUID of an entity for REFI-QDA exchange: `kind` is "project", "user", "code",
  /// "case", "variable", "source", "coding", "selection" or "summary"; `key` its id in the
  /// project (a coding's numeric id as text, a code's full id, a coder's name). One stored
  /// with set_guid wins; otherwise it is derived from the project's own uuid, kind and
  /// key, so it stays the same from export to export. Lower-case 8-4-4-4-12 hex.
  std::string guid(std::string_view kind, std::string_view key) const;
  /// Every stored GUID as (kind, key) -> guid.
  std::map<std::pair<std::string, std::string>, std::string> stored_guids() const;
  /// The GUIDs of every entity at this moment, answered from memory: guid() for a caller
  /// that asks about many entities (an export asks about every coding and selection).
  guid_book guids() const;
  /// Stores the GUID an entity keeps (one imported from another tool) as one change.
  /// Throws input_error for a GUID that is not 32 hex digits (braces and dashes aside).
  void set_guid(const std::string& kind, const std::string& key, const std::string& guid);
  /// set_guid for many entities, {kind, key, guid} each, as one change.
  void set_guids(const std::vector<std::array<std::string, 3>>& kind_key_guid);

  /// Runs SQLite's integrity check and the project's own: codings inside their
  /// documents, codes that exist, stored text that matches its hash, turns inside
  /// their documents. Returns one line per problem; empty when all is well.
  std::vector<std::string> check() const;

 private:
  speaker_mapping_result remap(const std::string& doc, const std::string& doc_where,
                               const std::string& label_where,
                               const std::vector<speaker_mapping>& mappings,
                               const std::optional<std::string>& doc_case);
  friend class import_batch;
  friend class change_group;

 public:
  struct impl;  // defined in project.cpp; public only so that its helpers can name it

 private:
  explicit project(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// project::guid for many entities without a query each (project::guids()).
class guid_book {
 public:
  std::string operator()(std::string_view kind, std::string_view key) const;

 private:
  friend class project;
  std::unordered_map<std::string, std::string> stored_;  // "kind\x1fkey" -> GUID
  std::string seed_;                                     // the project's uuid
};

/// Makes the changing calls on a project made while it is alive one transaction and one
/// history entry: all of them land at commit(), none when it is destroyed before (or a
/// call throws and the group is abandoned). Groups do not nest.
/// Example: { project::change_group g(p); p.import_cases(rows); p.add_codings(c); g.commit(); }
class change_group {
 public:
  explicit change_group(project& p);
  change_group(const change_group&) = delete;
  change_group& operator=(const change_group&) = delete;
  ~change_group();
  void commit();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

/// One import: a transaction that documents are added to one at a time (so that a large
/// import need not hold every file in memory), committed by finish(). Until then nothing
/// is visible to others, and destroying the batch rolls everything back.
///
/// A document whose id exists is updated in place: with the same text nothing moves;
/// with new text its codings are re-anchored through a diff of the old and new text. A
/// coding whose passage is unchanged moves with it; one whose passage changed or
/// vanished is refused (input_error with a report) unless accept_changes, which keeps it
/// at the nearest new passage, flagged for review. Inline codings are resolved against
/// the framework (a full id, or a code's own id when only one code has it).
class import_batch {
 public:
  import_batch(project& p, import_options options = {});
  import_batch(const import_batch&) = delete;
  import_batch& operator=(const import_batch&) = delete;
  ~import_batch();

  /// Adds one document. Throws input_error for a bad one, unless keep_going, which
  /// records it in failed and leaves the batch as it was before the call.
  void add(const document& doc);
  /// Records a source that could not be read (keep_going).
  void fail(std::string source, std::string reason);
  /// Commits (or, for dry_run, rolls back) and returns what was done.
  import_result finish();

 private:
  void add_one(const document& doc);
  void reanchor(const document& doc, const std::string& old_text);
  void keep_mappings(document& doc, const std::vector<speaker_role>& before,
                     const std::optional<std::string>& old_case);
  struct state;
  std::unique_ptr<state> state_;
};

/// The project file named by `explicit_path`, else $QCODE_PROJECT, else the one
/// *.qcode file in the working directory. Throws input_error when there is none or
/// more than one.
std::string find_project_path(const std::string& explicit_path);

}  // namespace coding
