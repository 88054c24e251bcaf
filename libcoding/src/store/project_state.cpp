// The inside of a project (project_impl.hpp): opening and migrating the file, recording
// history, and the reads and writes the parts of a project share.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "project_impl.hpp"

namespace coding {

statement& detail::project_state::cached(std::string_view sql) {
  auto& slot = statements[sql];
  if (!slot) slot = std::make_unique<statement>(db, sql);
  slot->reset();
  return *slot;
}

detail::project_state::project_state(std::string p, int flags, bool in_memory)
    : path(std::move(p)),
      db(in_memory ? std::string(":memory:") : path,
         in_memory ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : flags, path),
      snapshot(in_memory) {
  db.exec("PRAGMA foreign_keys = ON");
  // REPLACE deletes rows; the history triggers must see those deletions too.
  db.exec("PRAGMA recursive_triggers = ON");
}

int detail::project_state::user_version() {
  auto s = db.prepare("PRAGMA user_version");
  s.step();
  return static_cast<int>(s.integer(0));
}

void detail::project_state::migrate() {
  const int from = user_version();
  if (from > project::schema_version) throw input_error(newer_version_message(path, from));
  if (from == project::schema_version) return;
  // A snapshot (a dry run) upgrades its copy in memory only: the file keeps its format.
  if (from > 0 && !snapshot) {
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

void detail::project_state::install_history_triggers() {
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

std::int64_t detail::project_state::begin_entry() {
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

void detail::project_state::end_entry(std::int64_t id) {
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
        {"guids", {"identifier", "identifiers"}},
        {"queries", {"saved query", "saved queries"}}};
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

std::optional<std::string> detail::project_state::meta(std::string_view key) {
  auto& s = cached("SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  auto value = s.text(0);
  s.reset();
  return value;
}

void detail::project_state::set_meta(std::string_view key, std::string_view value) {
  cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
      .bind(1, key)
      .bind(2, value)
      .run();
}

void detail::project_state::store_framework(const framework& fw) {
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

void detail::project_state::ensure_case(const std::string& id) {
  cached("INSERT OR IGNORE INTO cases (id, label) VALUES (?, ?)").bind(1, id).bind(2, id).run();
}

std::vector<std::string> detail::project_state::column_strings(std::string_view sql) {
  std::vector<std::string> out;
  auto s = db.prepare(sql);
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void detail::project_state::store_document(const document& doc, std::int64_t ord) {
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

void detail::project_state::insert_children(const document& doc) {
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

turn detail::project_state::read_turn(const statement& t, int first) {
  turn x;
  x.speaker = t.text(first);
  if (!t.is_null(first + 1)) x.case_id = t.text(first + 1);
  x.start = t.size(first + 2);
  x.end = t.size(first + 3);
  if (!t.is_null(first + 4)) x.time = t.real(first + 4);
  return x;
}

void detail::project_state::read_turns(document& doc) {
  auto t = db.prepare(
      "SELECT speaker, case_id, start, end, time FROM turns WHERE doc_id = ? ORDER BY seq");
  t.bind(1, doc.id);
  while (t.step()) doc.turns.push_back(read_turn(t, 0));
  auto s = db.prepare(
      "SELECT label, case_id, interviewer, declared FROM speakers WHERE doc_id = ? ORDER BY ord");
  s.bind(1, doc.id);
  while (s.step()) doc.speakers.push_back(read_role(s, 0));
}

speaker_role detail::project_state::read_role(const statement& s, int first) {
  speaker_role r;
  r.label = s.text(first);
  if (!s.is_null(first + 1)) r.case_id = s.text(first + 1);
  r.interviewer = s.integer(first + 2) != 0;
  r.declared = s.integer(first + 3) != 0;
  return r;
}

document detail::project_state::read_document(statement& s, bool with_text) {
  // columns: id, title, source_name, source_hash, length, case_id, memo, text
  document doc;
  doc.id = s.text(0);
  doc.title = s.text(1);
  doc.source_name = s.text(2);
  doc.source_hash = s.text(3);
  doc.length = s.size(4);
  if (!s.is_null(5)) doc.case_id = s.text(5);
  doc.memo = s.text(6);
  if (with_text) doc.text = s.text(7);
  return doc;
}

}  // namespace coding
