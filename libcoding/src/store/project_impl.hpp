#pragma once
// The inside of a project (the SQLite connection, its cached statements, schema
// migrations and history recording), private to the library: project.cpp and the
// sources that add project operations (framework_update.cpp) share it.

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "clock.hpp"
#include "coding/project.hpp"
#include "coding/text.hpp"
#include "sqlite.hpp"

namespace coding {
namespace detail {

// Each entry moves the schema from version i to i + 1 (see docs/design.md).
inline const char* const kMigrations[] = {
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE groups (
  id TEXT PRIMARY KEY, label TEXT NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE codes (
  id TEXT PRIMARY KEY, parent TEXT REFERENCES codes(id), local_id TEXT NOT NULL,
  label TEXT NOT NULL, description TEXT NOT NULL, include TEXT NOT NULL,
  exclude TEXT NOT NULL, example TEXT NOT NULL, color TEXT NOT NULL,
  depth INTEGER NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE cases (id TEXT PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE case_attributes (
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (case_id, name));
CREATE TABLE documents (
  id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL,
  source_name TEXT NOT NULL, source_hash TEXT NOT NULL, text_hash TEXT NOT NULL,
  text TEXT NOT NULL, length INTEGER NOT NULL, lines INTEGER NOT NULL,
  case_id TEXT REFERENCES cases(id));
CREATE TABLE speakers (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  label TEXT NOT NULL, case_id TEXT REFERENCES cases(id), ord INTEGER NOT NULL,
  PRIMARY KEY (doc_id, label));
CREATE TABLE turns (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, speaker TEXT NOT NULL, case_id TEXT REFERENCES cases(id),
  start INTEGER NOT NULL, end INTEGER NOT NULL, time REAL,
  PRIMARY KEY (doc_id, seq));
CREATE TABLE codings (
  id INTEGER PRIMARY KEY,
  doc_id TEXT NOT NULL REFERENCES documents(id),
  start INTEGER NOT NULL, end INTEGER NOT NULL,
  code_id TEXT NOT NULL REFERENCES codes(id),
  coder TEXT NOT NULL, memo TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
  CHECK (start >= 0 AND start < end),
  UNIQUE (doc_id, start, end, code_id, coder));
CREATE INDEX codings_by_code ON codings(code_id);
INSERT INTO meta (key, value) VALUES ('application', 'qcode');
)sql",
    // 2: a coding whose passage changed on re-import is kept with a note for review.
    R"sql(
ALTER TABLE codings ADD COLUMN review TEXT NOT NULL DEFAULT '';
)sql",
    // 3: history. Triggers (install_history_triggers) log the inverse SQL of every row
    // change into undolog under the current entry; undo replays it backwards.
    R"sql(
CREATE TABLE history (
  id INTEGER PRIMARY KEY, time TEXT NOT NULL, coder TEXT NOT NULL, command TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'done');
CREATE TABLE undolog (
  seq INTEGER PRIMARY KEY, entry INTEGER NOT NULL, kind TEXT NOT NULL, tbl TEXT NOT NULL,
  op TEXT NOT NULL, sql TEXT NOT NULL);
CREATE INDEX undolog_by_entry ON undolog(entry, kind, seq);
CREATE TABLE history_state (
  id INTEGER PRIMARY KEY CHECK (id = 1), current INTEGER, kind TEXT NOT NULL DEFAULT 'undo');
INSERT INTO history_state (id, current) VALUES (1, NULL);
)sql",
    // 4: chart summaries (one per case and code) and the GUIDs entities keep for life
    // (REFI-QDA). A GUID not stored in guids is derived from the project's uuid.
    R"sql(
CREATE TABLE summaries (
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  code_id TEXT NOT NULL REFERENCES codes(id),
  text TEXT NOT NULL, draft INTEGER NOT NULL DEFAULT 0,
  author TEXT NOT NULL, updated TEXT NOT NULL,
  PRIMARY KEY (case_id, code_id));
CREATE TABLE guids (
  kind TEXT NOT NULL, key TEXT NOT NULL, guid TEXT NOT NULL, PRIMARY KEY (kind, key));
INSERT INTO meta (key, value) VALUES ('uuid', lower(hex(randomblob(16))));
)sql",
    // 5: speaker mappings that stay with their document: whether a label is an
    // interviewer, and whether the researcher mapped it (a declared mapping survives a
    // re-import). Before, a mapping to a case other than the document's own was declared.
    R"sql(
ALTER TABLE speakers ADD COLUMN interviewer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE speakers ADD COLUMN declared INTEGER NOT NULL DEFAULT 0;
UPDATE speakers SET interviewer = 1 WHERE case_id IS NULL AND label IN
  ('I', 'IV', 'INT', 'Int', 'Interviewer', 'INTERVIEWER', 'Q', 'Moderator', 'MODERATOR', 'Mod',
   'Facilitator', 'FACILITATOR', 'Researcher', 'RESEARCHER');
UPDATE speakers SET declared = 1 WHERE case_id IS NOT NULL
  AND case_id IS NOT (SELECT d.case_id FROM documents d WHERE d.id = speakers.doc_id);
)sql",
};

// The tables whose changes history records.
inline const char* const kTracked[] = {
    "meta",  "groups",  "codes",     "cases", "case_attributes", "documents", "speakers",
    "turns", "codings", "summaries", "guids"};

inline std::string excerpt(std::string_view s) {
  constexpr std::size_t limit = 60;
  const text_index index(s);
  std::string out(index.slice(0, std::min(limit, index.size())));
  if (index.size() > limit) out += "...";
  // One line per message: show line breaks as \n.
  std::string escaped;
  for (const char c : out) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  return escaped;
}

}  // namespace detail

using detail::database;
using detail::excerpt;
using detail::kMigrations;
using detail::kTracked;
using detail::now_utc;
using detail::statement;
using detail::transaction;

struct detail::project_state {
  std::string path;
  database db;
  // Statements prepared once per connection and reused: imports run thousands of
  // inserts inside one transaction.
  std::unordered_map<std::string_view, std::unique_ptr<statement>> statements;
  int open_changes = 0;  // recorded changes open on this connection (nested ones are savepoints)

  // The cached statement for `sql` (a string literal), reset and ready to bind.
  statement& cached(std::string_view sql) {
    auto& slot = statements[sql];
    if (!slot) slot = std::make_unique<statement>(db, sql);
    slot->reset();
    return *slot;
  }

  project_state(std::string p, int flags) : path(std::move(p)), db(path, flags) {
    db.exec("PRAGMA foreign_keys = ON");
    // REPLACE deletes rows; the history triggers must see those deletions too.
    db.exec("PRAGMA recursive_triggers = ON");
    sqlite3_busy_timeout(db.handle(), 10000);
  }

  int user_version() {
    auto s = db.prepare("PRAGMA user_version");
    s.step();
    return static_cast<int>(s.integer(0));
  }

  void migrate() {
    const int from = user_version();
    if (from > project::schema_version)
      throw input_error(
          fmt::format("project '{}' has schema version {}, newer than this qcode understands ({}); "
                      "upgrade qcode",
                      path, from, project::schema_version));
    if (from == project::schema_version) return;
    if (from > 0) {
      // A consistent copy beside the project before its schema changes.
      const auto backup = fmt::format("{}.v{}.bak", path, from);
      std::error_code ec;
      std::filesystem::remove(backup, ec);
      db.prepare("VACUUM INTO ?").bind(1, backup).run();
    }
    transaction tx(db);
    for (int v = from; v < project::schema_version; ++v) db.exec(kMigrations[v]);
    install_history_triggers();
    db.exec(fmt::format("PRAGMA user_version = {}", project::schema_version).c_str());
    tx.commit();
  }

  // One trigger per table and operation, built from the table's columns, so that a
  // later migration that changes a table only has to run this again.
  void install_history_triggers() {
    for (const char* table : kTracked) {
      std::vector<std::string> columns;
      auto info = db.prepare(fmt::format("PRAGMA table_info({})", table));
      while (info.step()) columns.push_back(info.text(1));
      std::string set, names = "rowid", values = "OLD.rowid";
      for (const auto& c : columns) {
        set += fmt::format("{}'{}=' || quote(OLD.{})", set.empty() ? "" : " || ',' || ", c, c);
        names += "," + c;
        values += fmt::format(" || ',' || quote(OLD.{})", c);
      }
      const auto log = [&](const char* op, const std::string& sql) {
        return fmt::format(
            "DROP TRIGGER IF EXISTS history_{0}_{1}; "
            "CREATE TRIGGER history_{0}_{1} AFTER {2} ON {0} "
            "WHEN (SELECT current FROM history_state) IS NOT NULL BEGIN "
            "INSERT INTO undolog (entry, kind, tbl, op, sql) "
            "SELECT current, kind, '{0}', '{1}', {3} FROM history_state; END;",
            table, op,
            op == std::string_view("insert")   ? "INSERT"
            : op == std::string_view("update") ? "UPDATE"
                                               : "DELETE",
            sql);
      };
      db.exec(
          log("insert", fmt::format("'DELETE FROM {} WHERE rowid=' || NEW.rowid", table)).c_str());
      db.exec(log("update",
                  fmt::format("'UPDATE {} SET ' || {} || ' WHERE rowid=' || OLD.rowid", table, set))
                  .c_str());
      db.exec(log("delete",
                  fmt::format("'INSERT INTO {} ({}) VALUES (' || {} || ')'", table, names, values))
                  .c_str());
    }
  }

  // The command line and coder that history entries record.
  std::string command = "(library call)";
  std::string coder = default_coder();

  // Opens a history entry inside the current write transaction: what is undone after
  // it can no longer be redone.
  std::int64_t begin_entry() {
    auto& undone = cached("SELECT id FROM history WHERE state = 'undone'");
    std::vector<std::int64_t> ids;
    while (undone.step()) ids.push_back(undone.integer(0));
    undone.reset();
    for (const auto id : ids) {
      cached("DELETE FROM undolog WHERE entry = ?").bind(1, id).run();
      cached("DELETE FROM history WHERE id = ?").bind(1, id).run();
    }
    cached("INSERT INTO history (time, coder, command) VALUES (?, ?, ?)")
        .bind(1, now_utc())
        .bind(2, coder)
        .bind(3, command)
        .run();
    const auto id = sqlite3_last_insert_rowid(db.handle());
    cached("UPDATE history_state SET current = ?, kind = 'undo'")
        .bind(1, static_cast<std::int64_t>(id))
        .run();
    return id;
  }

  // Closes the entry: a summary of what changed, or no entry at all when nothing did.
  void end_entry(std::int64_t id) {
    cached("UPDATE history_state SET current = NULL").run();
    auto& q = cached(
        "SELECT tbl, op, count(*) FROM undolog WHERE entry = ? AND kind = 'undo' GROUP BY tbl, op "
        "ORDER BY min(seq)");
    q.bind(1, id);
    std::vector<std::string> parts;
    while (q.step()) {
      const auto op = q.text(1);
      // Table names as people say them: "1 coding added", "3 case attributes changed".
      static const std::map<std::string, std::pair<std::string, std::string>, std::less<>> nouns = {
          {"meta", {"project setting", "project settings"}},
          {"groups", {"group", "groups"}},
          {"codes", {"code", "codes"}},
          {"cases", {"case", "cases"}},
          {"case_attributes", {"case attribute", "case attributes"}},
          {"documents", {"document", "documents"}},
          {"speakers", {"speaker", "speakers"}},
          {"turns", {"turn", "turns"}},
          {"codings", {"coding", "codings"}},
          {"summaries", {"summary", "summaries"}},
          {"guids", {"identifier", "identifiers"}}};
      const auto n = q.integer(2);
      const auto it = nouns.find(q.text(0));
      const std::string noun =
          it == nouns.end() ? q.text(0) : (n == 1 ? it->second.first : it->second.second);
      parts.push_back(fmt::format("{} {} {}", n, noun,
                                  op == "insert"   ? "added"
                                  : op == "delete" ? "removed"
                                                   : "changed"));
    }
    q.reset();
    if (parts.empty()) {
      cached("DELETE FROM history WHERE id = ?").bind(1, id).run();
      return;
    }
    cached("UPDATE history SET summary = ? WHERE id = ?")
        .bind(1, fmt::format("{}", fmt::join(parts, ", ")))
        .bind(2, id)
        .run();
  }

  std::optional<std::string> meta(std::string_view key) {
    auto& s = cached("SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    auto value = s.text(0);
    s.reset();
    return value;
  }

  void set_meta(std::string_view key, std::string_view value) {
    cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
        .bind(1, key)
        .bind(2, value)
        .run();
  }

  void store_framework(const framework& fw) {
    set_meta("framework.id", fw.id);
    set_meta("framework.title", fw.title);
    set_meta("framework.description", fw.description);
    set_meta("framework.source", fw.source);
    set_meta("framework.group_attribute", fw.group_attribute);
    auto g = db.prepare("INSERT INTO groups (id, label, ord) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < fw.groups.size(); ++i)
      g.bind(1, fw.groups[i].id).bind(2, fw.groups[i].label).bind(3, i).run();
    auto c = db.prepare(
        "INSERT INTO codes (id, parent, local_id, label, description, include, exclude, example, "
        "color, depth, ord) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < fw.codes.size(); ++i) {
      const auto& x = fw.codes[i];
      c.bind(1, x.id);
      if (x.parent < 0)
        c.bind_null(2);
      else
        c.bind(2, fw.codes[static_cast<std::size_t>(x.parent)].id);
      c.bind(3, x.local_id).bind(4, x.label).bind(5, x.description).bind(6, x.include);
      c.bind(7, x.exclude).bind(8, x.example).bind(9, x.color).bind(10, x.depth).bind(11, i).run();
    }
  }

  // A value of the framework's grouping attribute must name one of its groups, so that a
  // typo cannot open a column of its own in every matrix.
  void check_group_value(const std::string& name, const std::string& value,
                         const std::string& where) {
    const auto attribute = meta("framework.group_attribute");
    if (!attribute || name != *attribute || value.empty()) return;
    std::vector<std::string> groups;
    auto& s = cached("SELECT id FROM groups ORDER BY ord");
    while (s.step()) groups.push_back(s.text(0));
    if (groups.empty() || std::find(groups.begin(), groups.end(), value) != groups.end()) return;
    throw input_error(unknown_message("group", value, where, groups) +
                      fmt::format(" (the framework's groups: {})", fmt::join(groups, ", ")));
  }

  void ensure_case(const std::string& id) {
    cached("INSERT OR IGNORE INTO cases (id, label) VALUES (?, ?)").bind(1, id).bind(2, id).run();
  }

  void set_attribute(const std::string& case_id, const std::string& name,
                     const std::string& value) {
    cached("INSERT OR REPLACE INTO case_attributes (case_id, name, value) VALUES (?, ?, ?)")
        .bind(1, case_id)
        .bind(2, name)
        .bind(3, value)
        .run();
  }

  std::vector<std::string> column_strings(std::string_view sql) {
    std::vector<std::string> out;
    auto s = db.prepare(sql);
    while (s.step()) out.push_back(s.text(0));
    return out;
  }

  // Adds a document, or replaces an existing one's row in place (codings refer to it:
  // the caller has deleted its turns and speakers), then writes its turns and speakers.
  void store_document(const document& doc, std::int64_t ord) {
    const text_index index(doc.text);
    cached(
        "INSERT INTO documents (id, ord, title, source_name, source_hash, text_hash, text, "
        "length, lines, case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET ord = excluded.ord, title = excluded.title, "
        "source_name = excluded.source_name, source_hash = excluded.source_hash, "
        "text_hash = excluded.text_hash, text = excluded.text, length = excluded.length, "
        "lines = excluded.lines, case_id = excluded.case_id")
        .bind(1, doc.id)
        .bind(2, ord)
        .bind(3, doc.title)
        .bind(4, doc.source_name)
        .bind(5, doc.source_hash)
        .bind(6, content_hash(doc.text))
        .bind(7, doc.text)
        .bind(8, index.size())
        .bind(9, index.line_count())
        .bind(10, doc.case_id)
        .run();
    insert_children(doc);
  }

  void insert_children(const document& doc) {
    auto& sp = cached(
        "INSERT INTO speakers (doc_id, label, case_id, ord, interviewer, declared) VALUES (?, ?, "
        "?, ?, ?, ?)");
    for (std::size_t i = 0; i < doc.speakers.size(); ++i) {
      const auto& r = doc.speakers[i];
      sp.bind(1, doc.id)
          .bind(2, r.label)
          .bind(3, r.case_id)
          .bind(4, i)
          .bind(5, r.interviewer ? 1 : 0);
      sp.bind(6, r.declared ? 1 : 0).run();
    }
    auto& t = cached(
        "INSERT INTO turns (doc_id, seq, speaker, case_id, start, end, time) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < doc.turns.size(); ++i) {
      const auto& x = doc.turns[i];
      t.bind(1, doc.id).bind(2, i + 1).bind(3, x.speaker).bind(4, x.case_id);
      t.bind(5, x.start).bind(6, x.end).bind(7, x.time).run();
    }
  }

  // A turn from columns speaker, case_id, start, end, time starting at `first`.
  static turn read_turn(const statement& t, int first) {
    turn x;
    x.speaker = t.text(first);
    if (!t.is_null(first + 1)) x.case_id = t.text(first + 1);
    x.start = t.size(first + 2);
    x.end = t.size(first + 3);
    if (!t.is_null(first + 4)) x.time = t.real(first + 4);
    return x;
  }

  void read_turns(document& doc) {
    auto t = db.prepare(
        "SELECT speaker, case_id, start, end, time FROM turns WHERE doc_id = ? ORDER BY seq");
    t.bind(1, doc.id);
    while (t.step()) doc.turns.push_back(read_turn(t, 0));
    auto s = db.prepare(
        "SELECT label, case_id, interviewer, declared FROM speakers WHERE doc_id = ? ORDER BY ord");
    s.bind(1, doc.id);
    while (s.step()) doc.speakers.push_back(read_role(s, 0));
  }

  // A speaker role from columns label, case_id, interviewer, declared starting at `first`.
  static speaker_role read_role(const statement& s, int first) {
    speaker_role r;
    r.label = s.text(first);
    if (!s.is_null(first + 1)) r.case_id = s.text(first + 1);
    r.interviewer = s.integer(first + 2) != 0;
    r.declared = s.integer(first + 3) != 0;
    return r;
  }

  document read_document(statement& s, bool with_text) {
    // columns: id, title, source_name, source_hash, length, case_id, text
    document doc;
    doc.id = s.text(0);
    doc.title = s.text(1);
    doc.source_name = s.text(2);
    doc.source_hash = s.text(3);
    doc.length = s.size(4);
    if (!s.is_null(5)) doc.case_id = s.text(5);
    if (with_text) doc.text = s.text(6);
    return doc;
  }
};

// A write transaction that records one history entry. Inside another recorded change
// (a project::change_group) it is a savepoint of that one and adds to its entry.
class recorded_change {
 public:
  explicit recorded_change(detail::project_state& p)
      : p_(p), tx_(p.db, p.open_changes > 0), entry_(p.open_changes > 0 ? 0 : p.begin_entry()) {
    // While a change is open, a page cache of 64 MiB: a large import is one transaction,
    // and with SQLite's default 2 MiB its pages are written out again and again. Reads
    // keep the default, which is faster for them (no cache to fill).
    if (p_.open_changes++ == 0) p_.db.exec("PRAGMA cache_size = -65536");
  }
  recorded_change(const recorded_change&) = delete;
  recorded_change& operator=(const recorded_change&) = delete;
  ~recorded_change() {
    // SQLite's default again; a destructor must not throw, and a failure here is harmless.
    if (--p_.open_changes == 0)
      sqlite3_exec(p_.db.handle(), "PRAGMA cache_size = -2000", nullptr, nullptr, nullptr);
  }
  void commit() {
    if (p_.open_changes == 1) p_.end_entry(entry_);
    tx_.commit();
  }

 private:
  detail::project_state& p_;
  transaction tx_;
  std::int64_t entry_;
};

namespace detail {

// Applies `mappings` (all of document `doc`) and, when given, a new case of the document
// itself, then re-attributes its turns; writes only the rows that changed
// (document_store.cpp; case_store.cpp uses it for cases rows that map speakers).
speaker_mapping_result remap(project_state& p, const std::string& doc, const std::string& doc_where,
                             const std::string& label_where,
                             const std::vector<speaker_mapping>& mappings,
                             const std::optional<std::string>& doc_case);

}  // namespace detail

}  // namespace coding
