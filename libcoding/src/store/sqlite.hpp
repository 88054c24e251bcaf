#pragma once
// A thin RAII layer over SQLite's C API, private to the library.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coding::detail {

class statement;

/// One connection. Throws coding::error with SQLite's message on failure.
class database {
 public:
  database(const std::string& path, int flags);
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  void exec(const char* sql);
  statement prepare(std::string_view sql);
  sqlite3* handle() const noexcept { return db_; }
  int changes() const noexcept { return sqlite3_changes(db_); }
  [[noreturn]] void fail(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
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

}  // namespace coding::detail
