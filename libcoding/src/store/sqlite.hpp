#pragma once
// A thin RAII layer over SQLite's C API, private to the library.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coding::detail {

class statement;

// What a failure of SQLite on a project file means for the researcher, and the message
// that says so (docs/cli.md, "When the project file is in trouble").
struct file_failure {
  int code = SQLITE_OK;  // SQLite's extended result code
  int system_errno = 0;  // errno of the failed system call, when there was one
  std::string sqlite_message;
  std::string path;     // the project file, as the user named it
  std::string command;  // the command line to run again (busy); empty when unknown
  int busy_timeout_ms = 0;
};

// Throws the error that `f` calls for: busy (coding::error), damaged (damaged_error),
// read-only (input_error), disk full (coding::error), not a qcode project (input_error),
// or "WHAT: SQLite's message" (coding::error).
[[noreturn]] void throw_file_failure(const file_failure& f, std::string_view what);

// The message for a project that holds no qcode schema.
std::string not_a_project_message(const std::string& path);
// The message for a damaged project: `why` says what is wrong; names `qcode check` and
// the backups beside it.
std::string damaged_message(const std::string& path, std::string_view why);
// The message for a full disk: the free space in the project's folder and its size.
std::string disk_full_message(const std::string& path);
// The message for a write refused because the file or its folder is read-only.
std::string read_only_message(const std::string& path);
// The notice while waiting for another writer, and the error when the wait is over.
std::string busy_wait_message(const std::string& path, int timeout_ms);
std::string busy_message(const std::string& path, int timeout_ms, const std::string& command);
// qcode's backups of `path` (PATH.vN.bak) that exist, oldest version first.
std::vector<std::string> find_backups(const std::string& path);
// Why a file that begins with SQLite's header is cut short (shorter than the size its
// header gives, with no write-ahead log holding the rest); empty when it is not.
std::string short_file_reason(const std::string& path);
// A URI that opens `path` read-only and immutable: SQLite then reads it without a shared
// -shm file and without any lock, so only where no other process can write to it.
std::string immutable_uri(const std::string& path);
// The busy timeout: $QCODE_BUSY_TIMEOUT_MS, else 10000 ms.
int busy_timeout_ms();

/// One connection. Throws coding::error with SQLite's message on failure, or the error
/// throw_file_failure picks for the project file `display` (the path by default). An
/// existing file in a folder nobody can write to, with no -wal beside it, is opened
/// immutable (immutable_uri): it can have no writer, and SQLite could not create the -shm
/// file it needs to read it otherwise.
class database {
 public:
  database(const std::string& path, int flags, std::string display = {});
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  void exec(const char* sql);
  statement prepare(std::string_view sql);
  sqlite3* handle() const noexcept { return db_; }
  int changes() const noexcept { return sqlite3_changes(db_); }
  [[noreturn]] void fail(std::string_view what) const;
  // Fails with result code `code` (a call that reports its code itself, like backup_step).
  [[noreturn]] void fail(std::string_view what, int code) const;

  // The command line that a "still busy" error tells to run again.
  void set_command(std::string command) { command_ = std::move(command); }
  // Called once when a wait for another writer has lasted about a second.
  void set_wait_notice(std::function<void(const std::string&)> notice) {
    notice_ = std::move(notice);
  }
  const std::string& display() const noexcept { return display_; }

 private:
  static int on_busy(void* self, int count);

  sqlite3* db_ = nullptr;
  std::string display_;
  std::string command_;
  std::function<void(const std::string&)> notice_;
  int timeout_ms_ = 10000;
  std::chrono::steady_clock::time_point wait_start_;
  bool told_ = false;
};

/// A prepared statement; bind by 1-based index, step, read columns by 0-based index.
class statement {
 public:
  statement(database& db, std::string_view sql);
  statement(statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  statement& bind(int index, std::string_view value);
  statement& bind(int index, std::int64_t value);
  statement& bind(int index, std::size_t value) {
    return bind(index, static_cast<std::int64_t>(value));
  }
  statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, double value);
  statement& bind_null(int index);
  template <class T>
  statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  /// True while there is a row to read.
  bool step();
  /// Runs to completion (for statements without results).
  void run();
  void reset();

  std::string text(int column) const;
  std::string_view text_view(int column) const;
  std::int64_t integer(int column) const;
  std::size_t size(int column) const { return static_cast<std::size_t>(integer(column)); }
  double real(int column) const;
  bool is_null(int column) const;

 private:
  database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() ran.
class transaction {
 public:
  /// BEGIN IMMEDIATE; `nested`: a savepoint inside the transaction already open.
  explicit transaction(database& db, bool nested = false);
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();
  void commit();

 private:
  database& db_;
  bool nested_ = false;
  bool done_ = false;
};

/// One consistent view for several statements that only read: BEGIN (deferred) on
/// construction when no transaction is open, COMMIT on destruction; nothing when one is
/// open already (its view holds). Another process's commit is then seen by all the
/// statements or by none.
class read_transaction {
 public:
  explicit read_transaction(database& db);
  read_transaction(const read_transaction&) = delete;
  read_transaction& operator=(const read_transaction&) = delete;
  ~read_transaction();

 private:
  database& db_;
  bool began_ = false;
};

}  // namespace coding::detail
