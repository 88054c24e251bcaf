#pragma once
/// \file
/// A qcode project: one SQLite file holding the framework, the transcripts, the cases
/// and the codings. Every changing call is one transaction: when it throws, the project
/// is left exactly as it was.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "coding/document.hpp"
#include "coding/error.hpp"
#include "coding/framework.hpp"
#include "coding/records.hpp"

namespace coding {

/// The login name of the user running qcode: $QCODE_CODER, else the login name, else
/// "unknown".
std::string default_coder();

namespace detail {
struct project_state;  // the open database and its prepared statements (src/store)
}  // namespace detail

class guid_book;

/// The kinds of entity that carry a REFI-QDA GUID.
enum class guid_kind {
  project,
  user,
  code,
  case_,  ///< a case (`case` is a keyword)
  variable,
  source,
  coding,
  selection,
  memo,
  summary,
  link,
  note
};

/// The name a kind is stored and derived under: "project", "user", "code", "case", ...
std::string_view to_string(guid_kind kind);

/// Which entity a stored GUID belongs to.
struct guid_key {
  guid_kind kind = guid_kind::project;
  std::string key;  ///< its id in the project (a coding's numeric id as text, a code's full id)
  friend auto operator<=>(const guid_key&, const guid_key&) = default;
};

/// A GUID an entity keeps.
struct guid_entry {
  guid_kind kind = guid_kind::project;
  std::string key;
  std::string guid;
};

/// What project::codings().recode did.
struct recode_result {
  std::size_t moved = 0;   ///< codings moved to the new code
  std::size_t merged = 0;  ///< codings merged into an identical coding of the new code
  friend bool operator==(const recode_result&, const recode_result&) = default;
};

/// A passage of one document.
struct document_passage {
  std::string doc;
  span passage;
};

// The parts of a project. Each is a handle on an open project, returned by project's
// accessors (p.documents(), p.codings(), ...) and valid while the project is; the
// accessors of a const project return const parts, which offer only the reading calls.

/// The documents of a project: their texts, turns and speakers.
class document_store {
 public:
  /// Documents in import order, without their text.
  std::vector<document_info> list() const;
  /// Every document, with turns and speakers; with `with_text` false the text is left
  /// empty (enough for the matrix).
  std::vector<document> load(bool with_text) const;
  /// One document with its text and turns.
  std::optional<document> find(std::string_view id) const;
  /// Ids of every document (for suggestions).
  std::vector<std::string> ids() const;
  /// The speaker labels of document `doc` that speak for a case or are mapped (declared),
  /// in order; empty for an unknown document. A re-import reads the file with these as
  /// transcript_options::known_labels, so that a label used once stays a label.
  std::vector<std::string> speaker_labels(std::string_view doc) const;

  /// Imports `docs` as one import_batch does.
  import_result add(const std::vector<document>& docs, const import_options& options = {});

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
  speaker_mapping_result set_case(const std::string& doc, const std::string& case_id,
                                  const std::vector<speaker_mapping>& mappings = {});

  /// The memo of document `doc`; nullopt for an unknown document ("" when it has none).
  std::optional<std::string> memo(std::string_view doc) const;

  /// Sets the memo of document `doc` as one change; empty `text` removes it. A
  /// re-import keeps it. Throws input_error (with a did-you-mean) for an unknown document,
  /// changing nothing.
  void set_memo(const std::string& doc, const std::string& text);

 private:
  friend class project;
  explicit document_store(detail::project_state& s) : impl_(&s) {}
  detail::project_state* impl_;
};

/// The cases (respondents) of a project and their attributes.
class case_store {
 public:
  /// Every case with its attributes, ordered by id.
  std::vector<case_record> list() const;
  /// Names of every case attribute in use, sorted.
  std::vector<std::string> attribute_names() const;

  /// Sets case attributes. A row with a speaker maps that label in its document to the
  /// case, and a row with a document but no speaker declares the document one-to-one with
  /// the case (both create the case; both are declared mappings, kept on re-import);
  /// other rows must name an existing case (input_error with a did-you-mean), as must the
  /// document and the label.
  cases_import_result apply(const std::vector<case_row>& rows);

  /// The case `case_id` with its attributes and memo; nullopt when there is none.
  std::optional<case_record> find(std::string_view case_id) const;

  /// Sets the memo of case `case_id` as one change; empty `text` removes it. Throws
  /// input_error (with a did-you-mean) for an unknown case, changing nothing.
  void set_memo(const std::string& case_id, const std::string& text);

 private:
  friend class project;
  explicit case_store(detail::project_state& s) : impl_(&s) {}
  detail::project_state* impl_;
};

/// The codings of a project.
class coding_store {
 public:
  /// Every coding, ordered by document (import order), start, end, code, coder; with
  /// `with_text` each carries its passage.
  std::vector<coding_record> list(bool with_text = false) const;
  /// The codings of document `doc` (none for an unknown one), ordered by start, end, code,
  /// coder, each with its passage; through the index, without reading the others.
  std::vector<coding_record> list_of(std::string_view doc) const;

  /// Checks every coding against the project (document, code, range, text) and adds
  /// them all, or throws input_error for the first bad one and adds none. `progress`, when
  /// given, is called with (codings checked, codings) for a progress bar.
  add_codings_result add(
      const std::vector<new_coding>& codings,
      const std::function<void(std::size_t done, std::size_t total)>& progress = {});

  /// The coding with id `id`, with its passage's text; nullopt when there is none.
  std::optional<coding_record> find(std::int64_t id) const;

  /// Removes the coding with id `id`, and nothing else, as one change. Throws
  /// input_error ("no coding 42") when there is none, changing nothing.
  void remove(std::int64_t id);

  /// Recodes the coding with id `id` and/or sets its memo, as one change, and returns it
  /// as it is then (with its text). When the new code would make it identical to another
  /// coding (same document, passage, code and coder) it is merged into that one, as
  /// recode() does: this coding goes, the other is returned (and takes `u.memo` when
  /// given). Throws input_error for an unknown id ("no coding 42") or an unknown code
  /// (with a did-you-mean), changing nothing.
  /// Example: `p.codings().update(42, {.code = "choice.informed"});`
  coding_record update(std::int64_t id, const coding_update& u);

  /// Removes `code` (by `coder` when given) from the passages: a coding inside a passage
  /// goes, one overlapping its edge is trimmed, one around it is split in two. One
  /// transaction. Returns how many codings were touched. Throws input_error for an
  /// unknown code or document.
  std::size_t remove(const std::vector<document_passage>& passages, const std::string& code,
                     const std::optional<std::string>& coder);

  /// Moves the codings of `from` (by `coder` when given) to `to`; one that would then
  /// duplicate a coding of `to` is merged into it. Throws input_error for an unknown code
  /// or a code moved onto itself.
  recode_result recode(const std::string& from, const std::string& to,
                       const std::optional<std::string>& coder);

 private:
  friend class project;
  explicit coding_store(detail::project_state& s) : impl_(&s) {}
  detail::project_state* impl_;
};

/// What the project's changes were, and undo and redo.
class history_store {
 public:
  /// Every change recorded, oldest first. Each changing call records one entry (none
  /// when it changed nothing).
  std::vector<history_entry> entries() const;

  /// Reverts the last `n` changes that are not undone, restoring the exact previous
  /// state; returns them, newest first. Throws input_error when there are fewer.
  std::vector<history_entry> undo(std::size_t n = 1);

  /// Re-applies the last `n` undone changes, oldest first. A new change after an undo
  /// discards what could be redone. Throws input_error when there are fewer.
  std::vector<history_entry> redo(std::size_t n = 1);

  /// Drops what undo needs (the undolog rows, which for a re-imported transcript hold
  /// its whole old text) of every done entry but the newest `keep`, marks them compacted
  /// (they stay in entries(), and undo refuses to pass them), then VACUUMs the file so
  /// that it shrinks. Undone entries keep their redo data. Changes no data.
  compact_result compact(std::size_t keep = 0);

 private:
  friend class project;
  explicit history_store(detail::project_state& s) : impl_(&s) {}
  detail::project_state* impl_;
};

/// The chart summaries of a project: one text per case and code.
class summary_store {
 public:
  /// Every summary, ordered by case id and then by code in framework order.
  std::vector<summary> list() const;

  /// Sets (or, with empty text, removes) the summary of `case_id` for `code`, as one
  /// change; `draft` marks text filled in by qcode. Throws input_error for an unknown
  /// case or code (with a did-you-mean).
  void set(const std::string& case_id, const std::string& code, const std::string& text,
           bool draft = false);

  /// set() of `s` keeping the author and time it carries, as an import from another
  /// program does; an empty author or time becomes the project's coder or now.
  void set(const summary& s);

  /// Sets the summaries of `cells` that have none (or only an empty one) to their text,
  /// as drafts, in one change; written summaries are never touched. Returns how many were
  /// filled. Throws input_error for an unknown case or code.
  std::size_t fill_drafts(const std::vector<summary>& cells);

  /// Applies an edited summaries file in one change: a row whose text differs from the
  /// project's is applied when the project's summary is still the one exported (its hash
  /// is the row's base), and is otherwise reported as a conflict and left alone. Throws
  /// input_error (naming the row) for an unknown case or code, changing nothing.
  summary_import_result apply(const std::vector<summary_edit>& rows);

 private:
  friend class project;
  explicit summary_store(detail::project_state& s) : impl_(&s) {}
  detail::project_state* impl_;
};

/// The project's saved queries. The store keeps names and expressions; whether an
/// expression parses and names what the study has is checked by the caller
/// (coding::check_query), which knows the query language.
class query_store {
 public:
  /// Every saved query, by name.
  std::vector<saved_query> list() const;
  /// The query saved as `name`, if any.
  std::optional<saved_query> find(const std::string& name) const;
  /// The query saved as `name`; throws input_error (with a did-you-mean and the saved
  /// names) when there is none.
  saved_query get(const std::string& name) const;
  /// Saves `expression` as `name` (replacing a query of that name) as one change; returns
  /// whether it replaced one. Throws input_error for a name that is not a letter followed
  /// by letters, digits, '_', '-' or '.', or an empty expression.
  bool save(const std::string& name, const std::string& expression);
  /// save() keeping the author and time `q` carries (an import from another project or
  /// file); empty ones become the project's coder and now.
  bool save(const saved_query& q);
  /// Removes the query saved as `name`, as one change. Throws input_error as get() does.
  void remove(const std::string& name);

 private:
  friend class project;
  explicit query_store(detail::project_state& s) : impl_(&s) {}
  detail::project_state* impl_;
};

/// The REFI-QDA GUIDs of a project's entities.
class guid_store {
 public:
  /// The GUID of an entity for REFI-QDA exchange; `key` is its id in the project (a
  /// coding's numeric id as text, a code's full id, a coder's name). One stored with set()
  /// wins; otherwise it is derived from the project's own uuid, kind and key, so it stays
  /// the same from export to export. Lower-case 8-4-4-4-12 hex.
  std::string get(guid_kind kind, std::string_view key) const;
  /// Every stored GUID.
  std::map<guid_key, std::string> stored() const;
  /// The GUIDs of every entity at this moment, answered from memory: get() for a caller
  /// that asks about many entities (an export asks about every coding and selection).
  guid_book book() const;
  /// Stores the GUID an entity keeps (one imported from another tool) as one change.
  /// Throws input_error for a GUID that is not 32 hex digits (braces and dashes aside).
  void set(guid_kind kind, const std::string& key, const std::string& guid);
  /// set() for many entities, as one change.
  void set_all(const std::vector<guid_entry>& entries);

 private:
  friend class project;
  explicit guid_store(detail::project_state& s) : impl_(&s) {}
  detail::project_state* impl_;
};

/// How project::open opens a file.
struct open_options {
  /// Work on a private copy in memory, read from the file in one read transaction: it
  /// never waits for another process's write lock, and no change made through it reaches
  /// the file (dry runs). An older format is upgraded in the copy only, with no backup.
  bool snapshot = false;
  /// The command line that a "still busy" error tells to run again.
  std::string command;
  /// Called once, with a message, when a wait for another process writing to the project
  /// has lasted about a second. The wait lasts up to $QCODE_BUSY_TIMEOUT_MS (10000 ms).
  std::function<void(const std::string&)> on_wait;
};

/// One of qcode's tables in a damaged project file, and whether it could still be read.
struct table_rows {
  std::string table;
  std::optional<std::int64_t> rows;  ///< its row count; empty when it cannot be read whole
  std::int64_t read = 0;             ///< rows read before the error, when it cannot
  std::string error;                 ///< why it cannot be read whole
};

/// What can still be read from a damaged project file (inspect_damaged_project).
struct damage_report {
  std::vector<std::string> integrity;  ///< what SQLite's integrity check found (or why it
                                       ///< could not run)
  std::vector<table_rows> tables;      ///< qcode's tables, in schema order
  std::vector<std::string> backups;    ///< qcode's backups beside it (NAME.vN.bak)
};

/// Reads what it can of a damaged project file (one project::open refused with
/// damaged_error), read-only: SQLite's integrity check and the row count of each of
/// qcode's tables. Never throws for the damage itself.
damage_report inspect_damaged_project(const std::string& path);

/// An open project file: its framework, and its parts (documents, cases, codings,
/// summaries, GUIDs, history), each reached through an accessor.
/// Example: `auto p = project::open("study.qcode"); for (auto& c : p.codings().list()) ...`
class project {
 public:
  /// The current schema version (PRAGMA user_version).
  static constexpr int schema_version = 7;

  /// Creates a new project file with `fw`'s codes, groups and saved queries (their
  /// expressions are not checked here: check_framework_queries does that); throws
  /// input_error when `path` exists.
  static project create(const std::string& path, const framework* fw = nullptr);
  /// Opens an existing project, migrating an older schema forward (with a backup
  /// PATH.vN.bak beside it). Throws input_error when the file does not exist, is not a
  /// qcode project, comes from a newer qcode or (on a write) is read-only; damaged_error
  /// when it is damaged; coding::error when another process holds it longer than the busy
  /// timeout or the disk is full. Any later call can throw these too.
  static project open(const std::string& path, const open_options& options = {});

  project(project&&) noexcept;
  project& operator=(project&&) noexcept;
  ~project();

  const std::string& path() const noexcept;
  /// The current schema version (PRAGMA user_version) of the open file.
  int version() const;

  /// Names what the following changes are recorded as in the history: the command line
  /// and who ran it.
  void set_context(std::string command, std::string coder);

  /// The project's framework (empty when it was created without one).
  std::optional<framework> get_framework() const;

  /// Replaces the project's framework with `next` (a checked framework) as one change
  /// that undo reverts: adds, relabels, reorders and removes codes; a code with
  /// `renamed_from` takes over that code's codings (its children follow it). Refuses with
  /// input_error, changing nothing, a removed code that still has codings unless
  /// `merge_into` or `drop_codings`, and a `renamed_from` that names no code of the
  /// project's framework or one that `next` keeps. With `dry_run` only reports.
  framework_diff update_framework(const framework& next,
                                  const framework_update_options& options = {});

  document_store documents() { return document_store(*impl_); }
  const document_store documents() const { return document_store(*impl_); }
  case_store cases() { return case_store(*impl_); }
  const case_store cases() const { return case_store(*impl_); }
  coding_store codings() { return coding_store(*impl_); }
  const coding_store codings() const { return coding_store(*impl_); }
  summary_store summaries() { return summary_store(*impl_); }
  const summary_store summaries() const { return summary_store(*impl_); }
  query_store queries() { return query_store(*impl_); }
  const query_store queries() const { return query_store(*impl_); }
  guid_store guids() { return guid_store(*impl_); }
  const guid_store guids() const { return guid_store(*impl_); }
  history_store history() { return history_store(*impl_); }
  const history_store history() const { return history_store(*impl_); }

  /// Writes a new project file at `out` with this project's framework, documents,
  /// cases, memos, summaries and stored GUIDs, and only the codings `options` keeps, so
  /// that a second coder can start blind. The copy has a fresh uuid and an empty history.
  /// Throws input_error, writing nothing, when `out` exists, or a coder named has no
  /// codings here (with a did-you-mean).
  /// Example: `p.copy("bob.qcode", {});  // no codings`
  copy_result copy(const std::string& out, const copy_options& options = {}) const;

  /// Brings the work of the project at `other` into this one as one change that undo
  /// reverts exactly: documents matched by id (new ones added with their turns and
  /// speakers; a changed text refuses the merge unless accept_changes, which re-anchors
  /// this project's codings as a re-import does), codes added there, cases and their
  /// attributes, codings with their coders (exact duplicates left alone), summaries and
  /// memos. Every conflict is listed in the result, and refuses the merge (nothing
  /// changes, `refused` says why) unless `prefer` names the side that wins. Throws
  /// input_error when `other` is missing, not a qcode project, or this project itself.
  merge_result merge(const std::string& other, const merge_options& options = {});

  /// Runs SQLite's integrity check and the project's own: codings inside their
  /// documents, codes that exist, stored text that matches its hash, turns inside
  /// their documents. Returns one line per problem; empty when all is well.
  std::vector<std::string> check() const;

 private:
  friend class import_batch;
  friend class change_group;
  explicit project(std::unique_ptr<detail::project_state> p);
  std::unique_ptr<detail::project_state> impl_;
};

/// guid_store::get for many entities without a query each (guid_store::book()).
class guid_book {
 public:
  std::string operator()(guid_kind kind, std::string_view key) const;

 private:
  friend class guid_store;
  std::unordered_map<std::string, std::string> stored_;  // "kind\x1fkey" -> GUID
  std::string seed_;                                     // the project's uuid
};

/// Makes the changing calls on a project made while it is alive one transaction and one
/// history entry: all of them land at commit(), none when it is destroyed before (or a
/// call throws and the group is abandoned). Groups do not nest.
/// Example: { change_group g(p); p.cases().apply(rows); p.codings().add(c); g.commit(); }
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
  friend class document_store;
  import_batch(detail::project_state& p, import_options options);
  struct state;
  std::unique_ptr<state> state_;
};

/// The project file named by `explicit_path`, else $QCODE_PROJECT, else the one
/// *.qcode file in the working directory. Throws input_error when there is none or
/// more than one.
std::string find_project_path(const std::string& explicit_path);

}  // namespace coding
