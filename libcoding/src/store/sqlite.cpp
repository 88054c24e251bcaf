#include "sqlite.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "coding/error.hpp"

namespace coding::detail {

namespace {

namespace fs = std::filesystem;

std::string folder_of(const std::string& path) {
  const auto parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Sizes as people read them: 512 bytes, 3.4 kB, 120.5 MB (powers of 1000, like df -H).
std::string human_size(std::uintmax_t bytes) {
  if (bytes < 1000) return fmt::format("{} bytes", bytes);
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes) / 1000;
  std::size_t unit = 0;
  while (value >= 1000 && unit + 1 < std::size(units)) {
    value /= 1000;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, units[unit]);
}

std::string seconds(int ms) {
  return fmt::format("{:g} s", ms / 1000.0);
}

// The first `n` bytes of a file (fewer when it is shorter).
std::string head(const std::string& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(n, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(n));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

constexpr std::string_view kHeader{"SQLite format 3\0", 16};

std::uint32_t big_endian(const std::string& bytes, std::size_t at, std::size_t width) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

bool writable(const std::string& path) {
  return ::access(path.c_str(), W_OK) == 0;
}

}  // namespace

std::string immutable_uri(const std::string& path) {
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#')
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else
      uri += c;
  }
  return uri + "?mode=ro&immutable=1";
}

int busy_timeout_ms() {
  const char* env = std::getenv("QCODE_BUSY_TIMEOUT_MS");
  if (!env || !*env) return 10000;
  char* end = nullptr;
  errno = 0;
  const long ms = std::strtol(env, &end, 10);
  if (*end != '\0' || errno != 0 || ms < 0 || ms > 3600000)
    throw input_error(fmt::format(
        "QCODE_BUSY_TIMEOUT_MS='{}' is not a number of milliseconds from 0 to 3600000", env));
  return static_cast<int>(ms);
}

std::string not_a_project_message(const std::string& path) {
  return fmt::format("'{}' is not a qcode project", path);
}

std::vector<std::string> find_backups(const std::string& path) {
  std::vector<std::pair<int, std::string>> found;
  const auto name = fs::path(path).filename().string() + ".v";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder_of(path), ec)) {
    const auto file = entry.path().filename().string();
    if (file.size() <= name.size() + 4 || file.compare(0, name.size(), name) != 0 ||
        !file.ends_with(".bak"))
      continue;
    const auto digits = file.substr(name.size(), file.size() - name.size() - 4);
    if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto shown = fs::path(path).parent_path() / file;
    found.emplace_back(std::atoi(digits.c_str()), shown.string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::string damaged_message(const std::string& path, std::string_view why) {
  const auto backups = find_backups(path);
  const auto kept =
      backups.empty()
          ? std::string(
                "qcode keeps a backup (NAME.vN.bak) only when it upgrades a project's format, "
                "and there is none beside it: restore the file from your own backups")
          : fmt::format(
                "qcode's backups beside it: {} (made before qcode upgraded the file's format: "
                "work done since is not in them)",
                fmt::join(backups, ", "));
  return fmt::format(
      "the project file '{}' is damaged ({}): part of it is cut off or overwritten; "
      "'qcode -p {} check' shows what can still be read; {}",
      path, why, path, kept);
}

std::string short_file_reason(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return {};
  const auto bytes = head(path, 100);
  if (bytes.compare(0, kHeader.size(), kHeader) != 0) return {};
  if (bytes.size() < 100) return fmt::format("it ends after {} bytes, inside its header", size);
  // The header's page count is trusted only when its "valid for" counter matches the
  // change counter (SQLite's file format, section 1.3.7).
  const std::uint32_t page_size = big_endian(bytes, 16, 2) == 1 ? 65536 : big_endian(bytes, 16, 2);
  const auto pages = big_endian(bytes, 28, 4);
  if (pages == 0 || page_size < 512 || big_endian(bytes, 92, 4) != big_endian(bytes, 24, 4))
    return {};
  // A write-ahead log with content may hold the pages that the file will get.
  if (fs::file_size(path + "-wal", ec) > 0 && !ec) return {};
  const std::uintmax_t expected = std::uintmax_t{pages} * page_size;
  if (size >= expected) return {};
  return fmt::format("it has {} bytes where its header counts {} pages of {} bytes ({} bytes)",
                     size, pages, page_size, expected);
}

std::string disk_full_message(const std::string& path) {
  std::error_code ec;
  const auto folder = folder_of(path);
  const auto space = fs::space(folder, ec);
  auto size = fs::file_size(path, ec);
  if (ec) size = 0;
  const auto free = space.available == static_cast<std::uintmax_t>(-1) ? 0 : space.available;
  return fmt::format(
      "the disk holding '{}' is full: {} free in '{}'; the project takes {}, and a change can "
      "need as much again while it is written; nothing was changed: free at least {} and run "
      "the command again",
      path, human_size(free), folder, human_size(size), human_size(size));
}

std::string read_only_message(const std::string& path) {
  const auto folder = folder_of(path);
  if (!writable(path))
    return fmt::format(
        "cannot change '{}': the file is read-only; nothing was changed (make it writable, "
        "e.g. 'chmod u+w {}', or work on a copy)",
        path, path);
  if (!writable(folder)) {
    const auto name = fs::path(path).filename().string();
    return fmt::format(
        "cannot change '{}': its folder '{}' is read-only, and SQLite must create '{}-wal' and "
        "'{}-shm' there to write; nothing was changed (make the folder writable, or copy the "
        "project to one that is)",
        path, folder, name, name);
  }
  return fmt::format("cannot change '{}': SQLite opened it read-only; nothing was changed", path);
}

std::string busy_wait_message(const std::string& path, int timeout_ms) {
  return fmt::format(
      "waiting for '{}': another qcode (or another program) is writing to it; giving up after {}",
      path, seconds(timeout_ms));
}

std::string busy_message(const std::string& path, int timeout_ms, const std::string& command) {
  return fmt::format(
      "'{}' is still busy after {}: another qcode (or another program) is writing to it; "
      "nothing was changed; {}",
      path, seconds(timeout_ms),
      command.empty() ? std::string("run the command again when it has finished")
                      : fmt::format("when it has finished, run again: {}", command));
}

void throw_file_failure(const file_failure& f, std::string_view what) {
  switch (f.code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw error(busy_message(f.path, f.busy_timeout_ms, f.command));
    case SQLITE_CORRUPT:
      throw damaged_error(damaged_message(f.path, f.sqlite_message));
    case SQLITE_NOTADB:
      if (head(f.path, kHeader.size()) == kHeader)
        throw damaged_error(damaged_message(f.path, f.sqlite_message));
      throw input_error(not_a_project_message(f.path));
    case SQLITE_READONLY:
      throw input_error(read_only_message(f.path));
    case SQLITE_FULL:
      throw error(disk_full_message(f.path));
    case SQLITE_IOERR:
      if (f.system_errno == ENOSPC) throw error(disk_full_message(f.path));
      throw error(fmt::format(
          "cannot read or write '{}': {}{}", f.path, f.sqlite_message,
          f.system_errno ? fmt::format(" ({})", std::strerror(f.system_errno)) : std::string()));
    default:
      throw error(fmt::format("{}: {}", what, f.sqlite_message));
  }
}

database::database(const std::string& path, int flags, std::string display)
    : display_(display.empty() ? path : std::move(display)), timeout_ms_(busy_timeout_ms()) {
  std::string name = path;
  if ((flags & (SQLITE_OPEN_CREATE | SQLITE_OPEN_URI)) == 0 && path != ":memory:" &&
      !writable(folder_of(path)) && !fs::exists(path + "-wal")) {
    name = immutable_uri(path);
    flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  }
  if (const int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr); rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    const int system = db_ ? sqlite3_system_errno(db_) : 0;
    sqlite3_close(db_);
    db_ = nullptr;
    if ((rc & 0xff) == SQLITE_CANTOPEN)
      throw input_error(fmt::format("cannot open project '{}': {}", display_, message));
    throw_file_failure({rc, system, message, display_, command_, timeout_ms_}, "cannot open");
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_handler(db_, &database::on_busy, this);
}

database::~database() {
  sqlite3_close_v2(db_);
}

// Waits for another writer up to the busy timeout, saying so once after about a second.
int database::on_busy(void* self, int count) {
  auto& d = *static_cast<database*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0) {
    d.wait_start_ = now;
    d.told_ = false;
  }
  const auto waited =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - d.wait_start_).count();
  if (waited >= d.timeout_ms_) return 0;
  if (!d.told_ && waited >= 1000 && d.notice_) {
    d.told_ = true;
    d.notice_(busy_wait_message(d.display_, d.timeout_ms_));
  }
  const auto pause = std::min<long long>(count < 10 ? 5 : 50, d.timeout_ms_ - waited);
  std::this_thread::sleep_for(std::chrono::milliseconds(pause));
  return 1;
}

void database::fail(std::string_view what) const {
  fail(what, sqlite3_extended_errcode(db_));
}

void database::fail(std::string_view what, int code) const {
  throw_file_failure(
      {code, sqlite3_system_errno(db_), sqlite3_errmsg(db_), display_, command_, timeout_ms_},
      what);
}

void database::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw_file_failure({sqlite3_extended_errcode(db_), sqlite3_system_errno(db_), text, display_,
                        command_, timeout_ms_},
                       "database error");
  }
}

statement database::prepare(std::string_view sql) {
  return statement(*this, sql);
}

statement::statement(database& db, std::string_view sql) : db_(&db) {
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK)
    db.fail("cannot prepare a query");
}

statement::~statement() {
  sqlite3_finalize(stmt_);
}

statement& statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    db_->fail("cannot bind a value");
  return *this;
}

statement& statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_->fail("cannot bind a value");
  return *this;
}

statement& statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) db_->fail("cannot bind a value");
  return *this;
}

statement& statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_->fail("cannot bind a value");
  return *this;
}

bool statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail("database error");
}

void statement::run() {
  while (step()) {
  }
  reset();
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string statement::text(int column) const {
  return std::string(text_view(column));
}

std::string_view statement::text_view(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!p) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::int64_t statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}
bool statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

transaction::transaction(database& db, bool nested) : db_(db), nested_(nested) {
  db_.exec(nested_ ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
}

transaction::~transaction() {
  if (done_) return;
  sqlite3_exec(db_.handle(), nested_ ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK", nullptr,
               nullptr, nullptr);
}

void transaction::commit() {
  db_.exec(nested_ ? "RELEASE nested" : "COMMIT");
  done_ = true;
}

read_transaction::read_transaction(database& db) : db_(db) {
  if (sqlite3_get_autocommit(db_.handle()) == 0) return;
  db_.exec("BEGIN");
  began_ = true;
}

read_transaction::~read_transaction() {
  if (began_) sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr);
}

}  // namespace coding::detail
