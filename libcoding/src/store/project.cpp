#include "coding/project.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <unordered_map>

#include "diff.hpp"
#include "project_impl.hpp"

namespace coding {

project::project(std::unique_ptr<detail::project_state> p) : impl_(std::move(p)) {}
project::project(project&&) noexcept = default;
project& project::operator=(project&&) noexcept = default;
project::~project() = default;

const std::string& project::path() const noexcept {
  return impl_->path;
}

project project::create(const std::string& path, const framework* fw) {
  if (std::filesystem::exists(path))
    throw input_error(fmt::format("'{}' already exists; choose another name or remove it", path));
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    throw input_error(
        fmt::format("cannot create '{}': folder '{}' does not exist", path, parent.string()));
  try {
    auto p =
        std::make_unique<detail::project_state>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    p->db.exec("PRAGMA journal_mode = WAL");
    p->migrate();
    transaction tx(p->db);
    p->set_meta("created", now_utc());
    if (fw) {
      p->store_framework(*fw);
      // The saved queries the framework file carries (framework export writes them).
      for (const auto& q : fw->queries)
        p->cached("INSERT INTO queries (name, expression, author, updated) VALUES (?, ?, ?, ?)")
            .bind(1, q.name)
            .bind(2, q.expression)
            .bind(3, p->coder)
            .bind(4, now_utc())
            .run();
    }
    tx.commit();
    return project(std::move(p));
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    std::filesystem::remove(path + "-wal", ec);
    std::filesystem::remove(path + "-shm", ec);
    throw;
  }
}

project project::open(const std::string& path, const open_options& options) {
  if (!std::filesystem::exists(path))
    throw input_error(
        fmt::format("project '{}' does not exist; create it with 'qcode init {}'", path, path));
  if (std::filesystem::is_regular_file(path) && std::filesystem::file_size(path) == 0)
    throw input_error(fmt::format("'{}' is not a qcode project (it is empty)", path));
  // A file cut short can still open, and fail later on some pages only: say so first.
  if (const auto why = detail::short_file_reason(path); !why.empty())
    throw damaged_error(detail::damaged_message(path, why));
  std::unique_ptr<detail::project_state> p;
  if (options.snapshot) {
    p = std::make_unique<detail::project_state>(path, 0, true);
    // The copy is read in one read transaction, which in WAL mode waits for no writer.
    // Read-write, so that as the last connection it removes the write-ahead log again.
    database source(path, SQLITE_OPEN_READWRITE);
    source.set_command(options.command);
    source.set_wait_notice(options.on_wait);
    auto* backup = sqlite3_backup_init(p->db.handle(), "main", source.handle(), "main");
    if (!backup) p->db.fail("cannot copy the project");
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) source.fail("cannot read the project", rc);
  } else {
    p = std::make_unique<detail::project_state>(path, SQLITE_OPEN_READWRITE);
  }
  p->db.set_command(options.command);
  p->db.set_wait_notice(options.on_wait);
  // Version 0 is a database that qcode never set up: create() migrates from 0, open()
  // never does. Any other failure (busy, damaged, ...) is thrown as it is.
  if (p->user_version() == 0) throw input_error(detail::not_a_project_message(path));
  p->migrate();
  if (p->meta("application").value_or("") != "qcode")
    throw input_error(detail::not_a_project_message(path));
  if (!options.command.empty()) p->command = options.command;
  return project(std::move(p));
}

damage_report inspect_damaged_project(const std::string& path) {
  damage_report r;
  r.backups = detail::find_backups(path);
  // Without a write-ahead log beside it no other process is writing: read it immutable,
  // which leaves no -wal or -shm file behind.
  const bool logged = std::filesystem::exists(path + "-wal");
  database db(logged ? path : detail::immutable_uri(path),
              logged ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, path);
  // A damaged schema stops every query; with writable_schema SQLite reads what it can of
  // it instead.
  sqlite3_exec(db.handle(), "PRAGMA writable_schema = ON", nullptr, nullptr, nullptr);
  try {
    auto check = db.prepare("PRAGMA integrity_check(100)");
    while (check.step()) r.integrity.push_back(check.text(0));
  } catch (const error&) {
    r.integrity.push_back(fmt::format("the integrity check {}: {}",
                                      r.integrity.empty() ? "could not run" : "stopped here",
                                      sqlite3_errmsg(db.handle())));
  }
  std::vector<std::string> tables(std::begin(kTracked), std::end(kTracked));
  for (const char* t : {"history", "undolog"}) tables.emplace_back(t);
  for (const auto& t : tables) {
    table_rows row;
    row.table = t;
    // Every column of every row, from the table itself: a count alone would come from an
    // index, and would not touch the text kept on overflow pages.
    sqlite3_stmt* s = nullptr;
    const auto sql = fmt::format("SELECT * FROM {} NOT INDEXED", t);
    int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &s, nullptr);
    std::int64_t n = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(s); ++c) sqlite3_column_blob(s, c);
      rc = SQLITE_OK;
      ++n;
    }
    if (rc == SQLITE_DONE)
      row.rows = n;
    else {
      row.read = n;
      row.error = sqlite3_errmsg(db.handle());
    }
    sqlite3_finalize(s);
    r.tables.push_back(std::move(row));
  }
  return r;
}

int project::version() const {
  return impl_->user_version();
}

void project::set_context(std::string command, std::string coder) {
  impl_->db.set_command(command);
  impl_->command = std::move(command);
  impl_->coder = std::move(coder);
}

std::optional<framework> project::get_framework() const {
  auto& db = impl_->db;
  const auto id = impl_->meta("framework.id");
  if (!id) return std::nullopt;
  framework fw;
  fw.id = *id;
  fw.title = impl_->meta("framework.title").value_or("");
  fw.description = impl_->meta("framework.description").value_or("");
  fw.source = impl_->meta("framework.source").value_or("");
  fw.group_attribute = impl_->meta("framework.group_attribute").value_or("group");
  auto g = db.prepare("SELECT id, label FROM groups ORDER BY ord");
  while (g.step()) fw.groups.push_back({g.text(0), g.text(1)});
  auto c = db.prepare(
      "SELECT id, parent, local_id, label, description, include, exclude, example, color, depth "
      "FROM codes ORDER BY ord");
  std::unordered_map<std::string, int> index;
  while (c.step()) {
    code x;
    x.id = c.text(0);
    x.parent = c.is_null(1) ? -1 : index.at(c.text(1));
    x.local_id = c.text(2);
    x.label = c.text(3);
    x.description = c.text(4);
    x.include = c.text(5);
    x.exclude = c.text(6);
    x.example = c.text(7);
    x.color = c.text(8);
    x.depth = static_cast<int>(c.integer(9));
    index[x.id] = static_cast<int>(fw.codes.size());
    fw.codes.push_back(std::move(x));
  }
  return fw;
}

std::vector<std::string> project::check() const {
  auto& db = impl_->db;
  std::vector<std::string> problems;
  auto integrity = db.prepare("PRAGMA integrity_check");
  while (integrity.step())
    if (integrity.text(0) != "ok") problems.push_back("database: " + integrity.text(0));
  auto fk = db.prepare("PRAGMA foreign_key_check");
  while (fk.step())
    problems.push_back(fmt::format("database: a row of '{}' refers to a missing row of '{}'",
                                   fk.text(0), fk.text(2)));
  auto outside = db.prepare(
      "SELECT c.id, c.doc_id, c.start, c.end, d.length FROM codings c JOIN documents d ON "
      "d.id = c.doc_id WHERE c.end > d.length OR c.start >= c.end");
  while (outside.step())
    problems.push_back(fmt::format("coding {} lies outside document '{}' ({}:{}, length {})",
                                   outside.integer(0), outside.text(1), outside.integer(2),
                                   outside.integer(3), outside.integer(4)));
  auto codes = db.prepare(
      "SELECT c.id, c.code_id FROM codings c LEFT JOIN codes k ON k.id = c.code_id WHERE k.id IS "
      "NULL");
  while (codes.step())
    problems.push_back(
        fmt::format("coding {} uses unknown code '{}'", codes.integer(0), codes.text(1)));
  auto turns = db.prepare(
      "SELECT t.doc_id, t.seq FROM turns t JOIN documents d ON d.id = t.doc_id "
      "WHERE t.end > d.length OR t.start > t.end");
  while (turns.step())
    problems.push_back(fmt::format("turn {} of document '{}' lies outside its text",
                                   turns.integer(1), turns.text(0)));
  auto docs = db.prepare("SELECT id, text, text_hash, length FROM documents ORDER BY ord");
  while (docs.step()) {
    const auto text = docs.text_view(1);
    if (content_hash(text) != docs.text_view(2))
      problems.push_back(
          fmt::format("document '{}': stored text does not match its hash", docs.text(0)));
    else if (count_code_points(text) != docs.size(3))
      problems.push_back(fmt::format("document '{}': stored length is wrong", docs.text(0)));
  }
  return problems;
}

std::string find_project_path(const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  if (const char* env = std::getenv("QCODE_PROJECT"); env && *env) return env;
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::current_path()))
    if (entry.is_regular_file() && entry.path().extension() == ".qcode")
      found.push_back(entry.path().filename().string());
  if (found.size() == 1) return found.front();
  if (found.empty())
    throw input_error(
        "no project: name one with -p FILE.qcode or QCODE_PROJECT, or run in a "
        "folder holding one .qcode file ('qcode init FILE.qcode' creates one)");
  std::sort(found.begin(), found.end());
  throw input_error(fmt::format("several projects here ({}); choose one with -p FILE.qcode",
                                fmt::join(found, ", ")));
}

std::string default_coder() {
  if (const char* env = std::getenv("QCODE_CODER"); env && *env) return env;
  if (const char* login = getlogin(); login && *login) return login;
  if (const auto* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
  if (const char* user = std::getenv("USER"); user && *user) return user;
  return "unknown";
}

std::string coding_origin::where(std::size_t column) const {
  if (file.empty()) return {};
  if (column == 0) return fmt::format("in {}:{}", file, line);
  return fmt::format("in {}:{}, column {}", file, line, column);
}

}  // namespace coding
