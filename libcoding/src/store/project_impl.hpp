#pragma once
// The inside of a project (the SQLite connection, its cached statements, schema
// migrations and history recording), private to the store: its methods are in
// project_state.cpp, the schema scripts in schema.cpp, and each part of the project
// (document_store.cpp, ...) works through it.

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

// Each entry moves the schema from version i to i + 1 (see docs/design.md); schema.cpp.
// The bound makes a script list of another length fail to build.
extern const char* const kMigrations[project::schema_version];

// The tables whose changes history records (schema.cpp).
extern const char* const kTracked[12];

// The message for a project written by a newer qcode (schema version `version`).
inline std::string newer_version_message(const std::string& path, int version) {
  return fmt::format(
      "'{}' was written by a newer qcode (project format version {}; this qcode reads versions "
      "up to {}); upgrade qcode to open it; nothing was changed",
      path, version, project::schema_version);
}

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
  statement& cached(std::string_view sql);

  // `in_memory`: an empty database in memory that open() fills with a copy of the file
  // at `p` (a snapshot, for dry runs); `flags` are then unused.
  project_state(std::string p, int flags, bool in_memory = false);
  bool snapshot = false;  // a private copy in memory: nothing reaches the file

  int user_version();

  void migrate();

  // One trigger per table and operation, built from the table's columns, so that a
  // later migration that changes a table only has to run this again.
  void install_history_triggers();

  // The command line and coder that history entries record.
  std::string command = "(library call)";
  std::string coder = default_coder();

  // Opens a history entry inside the current write transaction: what is undone after
  // it can no longer be redone.
  std::int64_t begin_entry();

  // Closes the entry: a summary of what changed, or no entry at all when nothing did.
  void end_entry(std::int64_t id);

  std::optional<std::string> meta(std::string_view key);

  void set_meta(std::string_view key, std::string_view value);

  void store_framework(const framework& fw);

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

  void ensure_case(const std::string& id);

  void set_attribute(const std::string& case_id, const std::string& name,
                     const std::string& value) {
    cached("INSERT OR REPLACE INTO case_attributes (case_id, name, value) VALUES (?, ?, ?)")
        .bind(1, case_id)
        .bind(2, name)
        .bind(3, value)
        .run();
  }

  std::vector<std::string> column_strings(std::string_view sql);

  // Adds a document, or replaces an existing one's row in place (codings refer to it:
  // the caller has deleted its turns and speakers), then writes its turns and speakers.
  void store_document(const document& doc, std::int64_t ord);

  void insert_children(const document& doc);

  // A turn from columns speaker, case_id, start, end, time starting at `first`.
  static turn read_turn(const statement& t, int first);

  void read_turns(document& doc);

  // A speaker role from columns label, case_id, interviewer, declared starting at `first`.
  static speaker_role read_role(const statement& s, int first);

  // A document from columns id, title, source_name, source_hash, length, case_id, memo
  // and (with_text) text.
  document read_document(statement& s, bool with_text);
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
