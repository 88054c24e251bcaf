#include "coding/project.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <unordered_map>

#include "coding/text.hpp"
#include "diff.hpp"
#include "project_impl.hpp"

namespace coding {

static_assert(std::size(kMigrations) == project::schema_version);

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
    if (fw) p->store_framework(*fw);
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

project project::open(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw input_error(
        fmt::format("project '{}' does not exist; create it with 'qcode init {}'", path, path));
  if (std::filesystem::is_regular_file(path) && std::filesystem::file_size(path) == 0)
    throw input_error(fmt::format("'{}' is not a qcode project (it is empty)", path));
  std::unique_ptr<detail::project_state> p;
  int version = 0;
  try {
    p = std::make_unique<detail::project_state>(path, SQLITE_OPEN_READWRITE);
    version = p->user_version();
  } catch (const error&) {
    version = 0;
  }
  // Version 0 is a database that qcode never set up: create() migrates from 0, open()
  // never does.
  if (version == 0) throw input_error(fmt::format("'{}' is not a qcode project", path));
  p->migrate();
  if (p->meta("application").value_or("") != "qcode")
    throw input_error(fmt::format("'{}' is not a qcode project", path));
  return project(std::move(p));
}

int project::version() const {
  return impl_->user_version();
}

void project::set_context(std::string command, std::string coder) {
  impl_->command = std::move(command);
  impl_->coder = std::move(coder);
}

std::vector<history_entry> history_store::entries() const {
  std::vector<history_entry> out;
  auto q =
      impl_->db.prepare("SELECT id, time, coder, command, summary, state FROM history ORDER BY id");
  while (q.step())
    out.push_back(
        {q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5) == "undone"});
  return out;
}

namespace {

// Replays entry `id`'s statements of `kind` backwards while the triggers record their
// inverses under the other kind; returns the entry.
void replay(detail::project_state& p, std::int64_t id, const char* kind, const char* inverse) {
  p.cached("UPDATE history_state SET current = ?, kind = ?")
      .bind(1, id)
      .bind(2, std::string_view(inverse))
      .run();
  p.cached("DELETE FROM undolog WHERE entry = ? AND kind = ?")
      .bind(1, id)
      .bind(2, std::string_view(inverse))
      .run();
  std::vector<std::string> statements;
  auto& q = p.cached("SELECT sql FROM undolog WHERE entry = ? AND kind = ? ORDER BY seq DESC");
  q.bind(1, id).bind(2, std::string_view(kind));
  while (q.step()) statements.push_back(q.text(0));
  q.reset();
  for (const auto& sql : statements) p.db.exec(sql.c_str());
  p.cached("DELETE FROM undolog WHERE entry = ? AND kind = ?")
      .bind(1, id)
      .bind(2, std::string_view(kind))
      .run();
  p.cached("UPDATE history_state SET current = NULL").run();
}

}  // namespace

std::vector<history_entry> history_store::undo(std::size_t n) {
  auto entries = this->entries();
  std::vector<history_entry> done;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    if (!it->undone) done.push_back(*it);
  if (n == 0 || done.size() < n)
    throw input_error(fmt::format("cannot undo {}: there {} {} to undo",
                                  plural(n, "change", "changes"), done.size() == 1 ? "is" : "are",
                                  done.size()));
  done.resize(n);
  transaction tx(impl_->db);
  impl_->db.exec("PRAGMA defer_foreign_keys = ON");
  for (auto& e : done) {
    replay(*impl_, e.id, "undo", "redo");
    impl_->cached("UPDATE history SET state = 'undone' WHERE id = ?").bind(1, e.id).run();
    e.undone = true;
  }
  tx.commit();
  return done;
}

std::vector<history_entry> history_store::redo(std::size_t n) {
  std::vector<history_entry> undone;
  for (const auto& e : entries())
    if (e.undone) undone.push_back(e);
  if (n == 0 || undone.size() < n)
    throw input_error(fmt::format("cannot redo {}: there {} {} to redo",
                                  plural(n, "change", "changes"), undone.size() == 1 ? "is" : "are",
                                  undone.size()));
  undone.resize(n);
  transaction tx(impl_->db);
  impl_->db.exec("PRAGMA defer_foreign_keys = ON");
  for (auto& e : undone) {
    replay(*impl_, e.id, "redo", "undo");
    impl_->cached("UPDATE history SET state = 'done' WHERE id = ?").bind(1, e.id).run();
    e.undone = false;
  }
  tx.commit();
  return undone;
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

std::vector<document_info> document_store::list() const {
  auto s = impl_->db.prepare(
      "SELECT d.id, d.title, d.source_name, d.case_id, d.length, d.lines, "
      "(SELECT count(*) FROM turns t WHERE t.doc_id = d.id), "
      "(SELECT count(*) FROM codings c WHERE c.doc_id = d.id) FROM documents d ORDER BY d.ord");
  std::vector<document_info> out;
  while (s.step()) {
    document_info d;
    d.id = s.text(0);
    d.title = s.text(1);
    d.source_name = s.text(2);
    if (!s.is_null(3)) d.case_id = s.text(3);
    d.length = s.size(4);
    d.lines = s.size(5);
    d.turns = s.size(6);
    d.codings = s.size(7);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<document> document_store::load(bool with_text) const {
  auto s = impl_->db.prepare(fmt::format(
      "SELECT id, title, source_name, source_hash, length, case_id{} FROM documents ORDER BY ord",
      with_text ? ", text" : ""));
  std::vector<document> out;
  while (s.step()) out.push_back(impl_->read_document(s, with_text));
  // Turns of every document in one query, in document order.
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < out.size(); ++i) at[out[i].id] = i;
  auto t = impl_->db.prepare(
      "SELECT doc_id, speaker, case_id, start, end, time FROM turns ORDER BY doc_id, seq");
  while (t.step()) out[at.at(t.text(0))].turns.push_back(detail::project_state::read_turn(t, 1));
  auto sp = impl_->db.prepare(
      "SELECT doc_id, label, case_id, interviewer, declared FROM speakers ORDER BY doc_id, ord");
  while (sp.step())
    out[at.at(sp.text(0))].speakers.push_back(detail::project_state::read_role(sp, 1));
  return out;
}

std::optional<document> document_store::find(std::string_view id) const {
  auto s = impl_->db.prepare(
      "SELECT id, title, source_name, source_hash, length, case_id, text FROM documents WHERE id = "
      "?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto doc = impl_->read_document(s, true);
  impl_->read_turns(doc);
  return doc;
}

std::vector<std::string> document_store::ids() const {
  return impl_->column_strings("SELECT id FROM documents ORDER BY ord");
}

std::vector<std::string> document_store::speaker_labels(std::string_view doc) const {
  auto s = impl_->db.prepare(
      "SELECT label FROM speakers WHERE doc_id = ? AND label <> '' AND (declared OR case_id IS NOT "
      "NULL) ORDER BY ord");
  s.bind(1, doc);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<case_record> case_store::list() const {
  std::vector<case_record> out;
  std::unordered_map<std::string, std::size_t> at;
  auto s = impl_->db.prepare("SELECT id, label FROM cases ORDER BY id");
  while (s.step()) {
    at[s.text(0)] = out.size();
    out.push_back({s.text(0), s.text(1), {}});
  }
  auto a = impl_->db.prepare("SELECT case_id, name, value FROM case_attributes");
  while (a.step()) out[at.at(a.text(0))].attributes[a.text(1)] = a.text(2);
  return out;
}

std::vector<std::string> case_store::attribute_names() const {
  return impl_->column_strings("SELECT DISTINCT name FROM case_attributes ORDER BY name");
}

std::vector<coding_record> coding_store::list(bool with_text) const {
  // Sorted here rather than by SQLite: a temporary B-tree over 200,000 rows with their
  // memos costs more than the query itself.
  std::unordered_map<std::string, std::int64_t> ord;
  {
    auto d = impl_->db.prepare("SELECT id, ord FROM documents");
    while (d.step()) ord[d.text(0)] = d.integer(1);
  }
  auto s = impl_->db.prepare(
      "SELECT id, doc_id, start, end, code_id, coder, memo, created, review FROM codings");
  std::vector<coding_record> out;
  while (s.step()) {
    coding_record r;
    r.id = s.integer(0);
    r.doc = s.text(1);
    r.start = s.size(2);
    r.end = s.size(3);
    r.code = s.text(4);
    r.coder = s.text(5);
    r.memo = s.text(6);
    r.created = s.text(7);
    r.review = s.text(8);
    out.push_back(std::move(r));
  }
  {
    std::vector<std::pair<std::int64_t, std::size_t>> keys;  // (document order, row)
    keys.reserve(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) keys.emplace_back(ord[out[i].doc], i);
    std::sort(keys.begin(), keys.end(), [&](const auto& x, const auto& y) {
      const auto& a = out[x.second];
      const auto& b = out[y.second];
      return std::tie(x.first, a.start, a.end, a.code, a.coder) <
             std::tie(y.first, b.start, b.end, b.code, b.coder);
    });
    std::vector<coding_record> sorted;
    sorted.reserve(out.size());
    for (const auto& k : keys) sorted.push_back(std::move(out[k.second]));
    out = std::move(sorted);
  }
  if (with_text) {
    auto t = impl_->db.prepare("SELECT text FROM documents WHERE id = ?");
    std::string current;
    std::string text;
    std::optional<text_index> index;
    for (auto& r : out) {
      if (r.doc != current) {
        t.bind(1, r.doc);
        t.step();
        text = t.text(0);
        t.reset();
        index.emplace(text);
        current = r.doc;
      }
      r.text = std::string(index->slice(r.start, r.end));
    }
  }
  return out;
}

std::string describe(const changed_coding& c) {
  if (c.vanished)
    return fmt::format("{} {} ({}) {}:{}: \"{}\" is gone", c.doc, c.code, c.coder, c.old_span.start,
                       c.old_span.end, excerpt(c.old_text));
  return fmt::format("{} {} ({}) {}:{}: \"{}\" is now \"{}\"", c.doc, c.code, c.coder,
                     c.old_span.start, c.old_span.end, excerpt(c.old_text), excerpt(c.new_text));
}

struct import_batch::state {
  state(detail::project_state& impl, import_options o) : p(impl), options(std::move(o)) {}
  detail::project_state& p;
  import_options options;
  std::optional<recorded_change> tx;
  import_result result;
  std::map<std::string, std::string> seen;  // id -> source
  std::int64_t next_ord = 0;
  std::vector<std::string> code_ids;
  std::string now = now_utc();
  bool finished = false;
};

import_batch::import_batch(project& p, import_options options)
    : import_batch(*p.impl_, std::move(options)) {}

import_batch::import_batch(detail::project_state& p, import_options options)
    : state_(std::make_unique<state>(p, std::move(options))) {
  auto& st = *state_;
  if (st.options.coder.empty()) st.options.coder = default_coder();
  st.tx.emplace(st.p);
  auto next = st.p.db.prepare("SELECT coalesce(max(ord), 0) + 1 FROM documents");
  next.step();
  st.next_ord = next.integer(0);
  st.code_ids = st.p.column_strings("SELECT id FROM codes ORDER BY ord");
}

import_batch::~import_batch() = default;

void import_batch::fail(std::string source, std::string reason) {
  state_->result.failed.emplace_back(std::move(source), std::move(reason));
}

void import_batch::add(const document& doc) {
  auto& st = *state_;
  if (!st.options.keep_going) {
    add_one(doc);
    return;
  }
  st.p.db.exec("SAVEPOINT document");
  const auto before = st.result;
  try {
    add_one(doc);
    st.p.db.exec("RELEASE document");
  } catch (const input_error& e) {
    st.p.db.exec("ROLLBACK TO document");
    st.p.db.exec("RELEASE document");
    st.result = before;
    st.result.failed.emplace_back(doc.source_name, e.what());
  }
}

void import_batch::add_one(const document& doc) {
  auto& st = *state_;
  auto& p = st.p;
  if (const auto [it, fresh] = st.seen.emplace(doc.id, doc.source_name); !fresh)
    throw input_error(
        fmt::format("document id '{}' appears twice in this import ('{}' and '{}'); "
                    "give one of them another 'id' in its front matter",
                    doc.id, it->second, doc.source_name));
  for (const auto& [case_id, attributes] : doc.case_attributes) {
    p.ensure_case(case_id);
    for (const auto& [name, value] : attributes) {
      p.check_group_value(name, value, fmt::format("in {}, case '{}'", doc.source_name, case_id));
      p.set_attribute(case_id, name, value);
    }
  }

  auto& existing = p.cached("SELECT text, ord, case_id FROM documents WHERE id = ?");
  existing.bind(1, doc.id);
  const document* stored = &doc;
  document merged;
  if (!existing.step()) {
    existing.reset();
    if (doc.case_id) p.ensure_case(*doc.case_id);
    p.store_document(doc, st.next_ord++);
    st.result.added.push_back(doc.id);
  } else {
    const std::string old_text = existing.text(0);
    const auto ord = existing.integer(1);
    std::optional<std::string> old_case;
    if (!existing.is_null(2)) old_case = existing.text(2);
    existing.reset();
    if (old_text != doc.text) reanchor(doc, old_text);
    // Mappings are the project's, not one import's: what was declared for a label that
    // still occurs stays, unless this import declares something else.
    document before;
    before.id = doc.id;
    p.read_turns(before);
    merged = doc;
    keep_mappings(merged, before.speakers, old_case);
    if (merged.case_id) p.ensure_case(*merged.case_id);
    p.cached("DELETE FROM turns WHERE doc_id = ?").bind(1, doc.id).run();
    p.cached("DELETE FROM speakers WHERE doc_id = ?").bind(1, doc.id).run();
    p.store_document(merged, ord);
    stored = &merged;
    (old_text == doc.text ? st.result.unchanged : st.result.replaced).push_back(doc.id);
  }
  for (const auto& r : stored->speakers)
    if (r.unmapped()) st.result.unmapped[doc.id].push_back(r.label);

  // Inline codings: a full id, or a code's own (last) id when only one code has it.
  if (!doc.inline_codings.empty()) {
    auto& insert = p.cached(
        "INSERT OR IGNORE INTO codings (doc_id, start, end, code_id, coder, memo, created) "
        "VALUES (?, ?, ?, ?, ?, '', ?)");
    for (const auto& ic : doc.inline_codings) {
      std::string code;
      if (std::find(st.code_ids.begin(), st.code_ids.end(), ic.code) != st.code_ids.end()) {
        code = ic.code;
      } else {
        std::vector<std::string> matches;
        for (const auto& id : st.code_ids)
          if (id.ends_with("." + ic.code)) matches.push_back(id);
        if (matches.size() > 1)
          throw parse_error(ic.where, fmt::format("code '{}' is ambiguous: write its full id ({})",
                                                  ic.code, fmt::join(matches, ", ")));
        if (matches.empty())
          throw input_error(unknown_message("code", ic.code, "in " + ic.where.str(), st.code_ids));
        code = matches.front();
      }
      if (ic.start >= ic.end) throw parse_error(ic.where, "an inline coding marks no text");
      insert.bind(1, doc.id)
          .bind(2, ic.start)
          .bind(3, ic.end)
          .bind(4, code)
          .bind(5, st.options.coder);
      insert.bind(6, st.now).run();
      if (p.db.changes() > 0) ++st.result.inline_codings;
    }
  }
}

void import_batch::keep_mappings(document& doc, const std::vector<speaker_role>& before,
                                 const std::optional<std::string>& old_case) {
  auto& changes = state_->result.speakers;
  if (!doc.case_id && old_case) {
    doc.case_id = old_case;
    state_->result.cases_kept.emplace_back(doc.id, *old_case);
  }
  for (auto& r : doc.speakers) {
    const auto old = std::find_if(before.begin(), before.end(),
                                  [&](const speaker_role& b) { return b.label == r.label; });
    if (old == before.end()) {
      changes.push_back({speaker_change::kind::appeared, doc.id, r.label, role_name(r), ""});
    } else if (r.declared) {
      if (old->case_id != r.case_id || old->interviewer != r.interviewer)
        changes.push_back(
            {speaker_change::kind::remapped, doc.id, r.label, role_name(r), role_name(*old)});
    } else if (old->declared) {
      r.declared = true;
      r.interviewer = old->interviewer;
      r.case_id = old->case_id;
      changes.push_back({speaker_change::kind::kept, doc.id, r.label, role_name(r), role_name(r)});
    }
  }
  for (const auto& b : before)
    if (std::none_of(doc.speakers.begin(), doc.speakers.end(),
                     [&](const speaker_role& r) { return r.label == b.label; }))
      changes.push_back({speaker_change::kind::vanished, doc.id, b.label, "", role_name(b)});
  attribute_turns(doc);
}

// The document `doc.id` had `old_text` and now has doc.text: move its codings through a
// diff of the two, report those whose passage changed, and keep them flagged when
// accepted (or when this is a dry run, which rolls back anyway).
void import_batch::reanchor(const document& doc, const std::string& old_text) {
  auto& st = *state_;
  auto& p = st.p;
  struct row {
    std::int64_t id;
    std::size_t start, end;
    std::string code, coder, memo, created, review;
  };
  std::vector<row> rows;
  auto& q = p.cached(
      "SELECT id, start, end, code_id, coder, memo, created, review FROM codings WHERE doc_id = ?");
  q.bind(1, doc.id);
  while (q.step())
    rows.push_back({q.integer(0), q.size(1), q.size(2), q.text(3), q.text(4), q.text(5), q.text(6),
                    q.text(7)});
  q.reset();
  if (rows.empty()) return;

  const auto blocks = detail::diff_text(old_text, doc.text);
  const text_index old_index(old_text), new_index(doc.text);
  const std::size_t length = new_index.size();
  std::vector<changed_coding> changed;
  for (auto& r : rows) {
    if (detail::unchanged_span(blocks, r.start, r.end)) {
      const auto start = detail::map_position(blocks, r.start, false, length);
      if (start != r.start) ++st.result.moved;
      r.end = start + (r.end - r.start);
      r.start = start;
      continue;
    }
    changed_coding c{
        doc.id, r.code, r.coder, {r.start, r.end}, {}, std::string(old_index.slice(r.start, r.end)),
        {},     false};
    auto start = detail::map_position(blocks, r.start, false, length);
    auto end = detail::map_position(blocks, r.end, true, length);
    if (end <= start) {
      // The passage is gone: keep the coding on one character where it was.
      c.vanished = true;
      if (length == 0)
        throw input_error(
            fmt::format("'{}': the new text of '{}' is empty", doc.source_name, doc.id));
      start = std::min(start, length - 1);
      end = start + 1;
    } else {
      c.new_text = std::string(new_index.slice(start, end));
    }
    c.new_span = {start, end};
    r.start = start;
    r.end = end;
    r.review = fmt::format("passage changed on re-import ({}); it was \"{}\"", st.now,
                           excerpt(c.old_text));
    changed.push_back(std::move(c));
  }
  if (!changed.empty() && !st.options.accept_changes && !st.options.dry_run) {
    std::string report;
    for (const auto& c : changed) report += "\n  " + describe(c);
    throw input_error(fmt::format(
        "'{}': the text of document '{}' changed under {}:{}\nthe document was not "
        "imported; "
        "check the codings, then import with --accept-changes to keep them flagged for review "
        "(--dry-run shows this report without importing)",
        doc.source_name, doc.id, plural(changed.size(), "coding", "codings"), report));
  }
  st.result.changed.insert(st.result.changed.end(), changed.begin(), changed.end());
  // Rewritten all at once, so that moved codings never collide with each other's old
  // places; two that now coincide exactly become one.
  p.cached("DELETE FROM codings WHERE doc_id = ?").bind(1, doc.id).run();
  auto& insert = p.cached(
      "INSERT OR IGNORE INTO codings (id, doc_id, start, end, code_id, coder, memo, created, "
      "review) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& r : rows)
    insert.bind(1, r.id)
        .bind(2, doc.id)
        .bind(3, r.start)
        .bind(4, r.end)
        .bind(5, r.code)
        .bind(6, r.coder)
        .bind(7, r.memo)
        .bind(8, r.created)
        .bind(9, r.review)
        .run();
}

import_result import_batch::finish() {
  auto& st = *state_;
  if (st.options.dry_run)
    st.tx.reset();  // rolls back
  else
    st.tx->commit();
  st.finished = true;
  return std::move(st.result);
}

import_result document_store::add(const std::vector<document>& docs,
                                  const import_options& options) {
  import_batch batch(*impl_, options);
  for (const auto& doc : docs) batch.add(doc);
  return batch.finish();
}

std::string role_name(const speaker_role& r) {
  if (r.interviewer) return "interviewer";
  return r.case_id.value_or("");
}

// Applies `mappings` (all of document `doc`) and, when given, a new case of the document
// itself, then re-attributes its turns; writes only the rows that changed. `where` names
// the source of the mappings in messages.
namespace {

speaker_mapping_result remap(detail::project_state& p, const std::string& doc,
                             const std::string& doc_where, const std::string& label_where,
                             const std::vector<speaker_mapping>& mappings,
                             const std::optional<std::string>& doc_case) {
  const auto in = [&](const std::string& where) {
    return where.empty() ? std::string() : "in " + where;
  };
  auto& q = p.cached("SELECT case_id FROM documents WHERE id = ?");
  q.bind(1, doc);
  if (!q.step()) {
    q.reset();
    throw input_error(unknown_message("document", doc, in(doc_where),
                                      p.column_strings("SELECT id FROM documents ORDER BY ord")));
  }
  document d;
  d.id = doc;
  if (!q.is_null(0)) d.case_id = q.text(0);
  q.reset();
  p.read_turns(d);
  const document before = d;
  speaker_mapping_result result;
  const auto use_case = [&](const std::string& id) {
    if (id.empty() || id.find_first_of(" \t\n,=") != std::string::npos)
      throw input_error(fmt::format("bad case id '{}'{}: use letters, digits, '.', '-' or '_'", id,
                                    label_where.empty() ? "" : " (" + in(label_where) + ")"));
    auto& known = p.cached("SELECT count(*) FROM cases WHERE id = ?");
    known.bind(1, id);
    known.step();
    const bool exists = known.integer(0) > 0;
    known.reset();
    if (!exists) {
      p.ensure_case(id);
      result.new_cases.push_back(id);
    }
  };
  if (doc_case) {
    d.case_id = doc_case->empty() ? std::nullopt : doc_case;
    if (d.case_id) use_case(*d.case_id);
  }
  for (const auto& m : mappings) {
    const auto it = std::find_if(d.speakers.begin(), d.speakers.end(),
                                 [&](const speaker_role& r) { return r.label == m.label; });
    if (it == d.speakers.end()) {
      std::vector<std::string> labels;
      for (const auto& r : d.speakers) labels.push_back(r.label);
      throw input_error(unknown_message(fmt::format("speaker in document '{}':", doc), m.label,
                                        in(label_where), labels) +
                        (labels.empty()
                             ? " (it has no speaker labels)"
                             : fmt::format(" (its speakers: {})", fmt::join(labels, ", "))));
    }
    if (m.role.empty()) {
      it->declared = false;
      it->interviewer = is_interviewer_label(it->label);
    } else {
      it->declared = true;
      it->interviewer = is_interviewer_role(m.role);
      if (!it->interviewer) {
        use_case(m.role);
        it->case_id = m.role;
      }
    }
  }
  attribute_turns(d);
  if (d.case_id != before.case_id)
    p.cached("UPDATE documents SET case_id = ? WHERE id = ?").bind(1, d.case_id).bind(2, doc).run();
  auto& sp = p.cached(
      "UPDATE speakers SET case_id = ?, interviewer = ?, declared = ? WHERE doc_id = ? AND label = "
      "?");
  auto& turns = p.cached("UPDATE turns SET case_id = ? WHERE doc_id = ? AND speaker = ?");
  for (std::size_t i = 0; i < d.speakers.size(); ++i) {
    const auto& now = d.speakers[i];
    const auto& was = before.speakers[i];
    if (now.case_id == was.case_id && now.interviewer == was.interviewer &&
        now.declared == was.declared)
      continue;
    sp.bind(1, now.case_id)
        .bind(2, now.interviewer ? 1 : 0)
        .bind(3, now.declared ? 1 : 0)
        .bind(4, doc);
    sp.bind(5, now.label).run();
    if (now.case_id != was.case_id || now.interviewer != was.interviewer) ++result.changed;
    if (now.case_id != was.case_id) {
      turns.bind(1, now.case_id).bind(2, doc).bind(3, now.label).run();
      result.turns += static_cast<std::size_t>(p.db.changes());
    }
  }
  return result;
}

}  // namespace

speaker_mapping_result document_store::map_speakers(const std::vector<speaker_mapping>& mappings) {
  recorded_change tx(*impl_);
  speaker_mapping_result total;
  // One pass per document, in the order first named.
  std::vector<std::string> docs;
  for (const auto& m : mappings)
    if (std::find(docs.begin(), docs.end(), m.doc) == docs.end()) docs.push_back(m.doc);
  for (const auto& doc : docs) {
    std::vector<speaker_mapping> mine;
    for (const auto& m : mappings)
      if (m.doc == doc) mine.push_back(m);
    const auto r = remap(*impl_, doc, "", "", mine, std::nullopt);
    total.changed += r.changed;
    total.turns += r.turns;
    total.new_cases.insert(total.new_cases.end(), r.new_cases.begin(), r.new_cases.end());
  }
  tx.commit();
  return total;
}

speaker_mapping_result document_store::set_case(const std::string& doc, const std::string& case_id,
                                                const std::vector<speaker_mapping>& mappings) {
  recorded_change tx(*impl_);
  auto r = remap(*impl_, doc, "", "", mappings, case_id);
  tx.commit();
  return r;
}

cases_import_result case_store::apply(const std::vector<case_row>& rows) {
  recorded_change tx(*impl_);
  auto known = impl_->column_strings("SELECT id FROM cases ORDER BY id");
  std::set<std::string> known_set(known.begin(), known.end());
  cases_import_result result;
  result.rows = rows.size();
  for (const auto& row : rows) {
    const auto cell = [&](std::size_t column) {
      return fmt::format("{}:{}, column {}", row.where.file, row.where.line, column);
    };
    if (!row.doc.empty()) {
      const auto r = row.speaker.empty()
                         ? remap(*impl_, row.doc, cell(row.doc_column), cell(1), {}, row.id)
                         : remap(*impl_, row.doc, cell(row.doc_column), cell(row.speaker_column),
                                 {{row.doc, row.speaker, row.id}}, std::nullopt);
      ++(row.speaker.empty() ? result.documents : result.speakers);
      for (const auto& c : r.new_cases) {
        result.new_cases.push_back(c);
        known_set.insert(c);  // later rows may set its attributes
        known.push_back(c);
      }
    } else if (!known_set.count(row.id)) {
      auto message = unknown_message(
          "case", row.id, fmt::format("in {}:{}, column 1", row.where.file, row.where.line), known);
      throw input_error(
          message + (closest_match(row.id, known).empty()
                         ? "; cases come from imported transcripts (front matter, --case, "
                           "--speakers) or from "
                           "rows with a 'doc' column: import its transcript or map a speaker first"
                         : ""));
    }
    for (std::size_t i = 0; i < row.attributes.size(); ++i) {
      const auto& [name, value] = row.attributes[i];
      if (value.empty()) continue;
      impl_->check_group_value(
          name, value, fmt::format("in {}:{}, column {}", row.where.file, row.where.line, i + 2));
      if (name == "label")
        impl_->cached("UPDATE cases SET label = ? WHERE id = ?")
            .bind(1, value)
            .bind(2, row.id)
            .run();
      else
        impl_->set_attribute(row.id, name, value);
    }
  }
  tx.commit();
  return result;
}

add_codings_result coding_store::add(const std::vector<new_coding>& codings) {
  auto& db = impl_->db;
  recorded_change tx(*impl_);
  const auto code_ids = impl_->column_strings("SELECT id FROM codes ORDER BY ord");
  const std::set<std::string> code_set(code_ids.begin(), code_ids.end());
  if (code_ids.empty() && !codings.empty())
    throw input_error(
        "the project has no framework, so there are no codes to apply; create it "
        "with 'qcode init FILE --framework FRAMEWORK.yaml'");
  const auto doc_ids = impl_->column_strings("SELECT id FROM documents ORDER BY ord");
  struct loaded {
    std::string text;
    std::unique_ptr<text_index> index;
  };
  std::unordered_map<std::string, loaded> texts;
  auto fetch = db.prepare("SELECT text FROM documents WHERE id = ?");
  auto insert = db.prepare(
      "INSERT OR IGNORE INTO codings (doc_id, start, end, code_id, coder, memo, created, review) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const std::string now = now_utc();
  add_codings_result result;
  for (const auto& c : codings) {
    const auto& o = c.origin;
    auto where = [&](std::size_t column) {
      const auto w = o.where(column);
      return w.empty() ? std::string() : " (" + w + ")";
    };
    auto it = texts.find(c.doc);
    if (it == texts.end()) {
      fetch.bind(1, c.doc);
      if (!fetch.step())
        throw input_error(unknown_message("document", c.doc, o.where(o.doc_column), doc_ids));
      loaded l{fetch.text(0), nullptr};
      fetch.reset();
      it = texts.emplace(c.doc, std::move(l)).first;
      it->second.index = std::make_unique<text_index>(it->second.text);
    }
    const auto& index = *it->second.index;
    if (!code_set.count(c.code))
      throw input_error(unknown_message("code", c.code, o.where(o.code_column), code_ids));
    if (c.start >= c.end)
      throw input_error(
          fmt::format("empty or reversed range {}:{} in document '{}'{}; the end "
                      "must be greater than the start",
                      c.start, c.end, c.doc, where(o.start_column)));
    if (c.end > index.size())
      throw input_error(
          fmt::format("range {}:{} runs past the end of document '{}', which has {} "
                      "characters{}",
                      c.start, c.end, c.doc, index.size(), where(o.end_column)));
    if (c.coder.empty()) throw input_error(fmt::format("coding without a coder{}", where(0)));
    if (c.text) {
      const auto actual = index.slice(c.start, c.end);
      if (actual != *c.text)
        throw input_error(fmt::format(
            "text does not match document '{}' at {}:{}{}: the row says \"{}\" but the document "
            "has \"{}\"; the offsets may be shifted (offsets count Unicode code points from 0)",
            c.doc, c.start, c.end, where(o.text_column), excerpt(*c.text), excerpt(actual)));
    }
    insert.bind(1, c.doc).bind(2, c.start).bind(3, c.end).bind(4, c.code).bind(5, c.coder);
    insert.bind(6, c.memo).bind(7, c.created.empty() ? now : c.created).bind(8, c.review).run();
    if (db.changes() == 0)
      ++result.duplicates;
    else
      ++result.added;
  }
  tx.commit();
  return result;
}

namespace {

void require_code(detail::project_state& p, const std::string& code) {
  const auto ids = p.column_strings("SELECT id FROM codes ORDER BY ord");
  if (std::find(ids.begin(), ids.end(), code) == ids.end())
    throw input_error(unknown_message("code", code, "", ids));
}

}  // namespace

std::size_t coding_store::remove(const std::vector<document_passage>& passages,
                                 const std::string& code, const std::optional<std::string>& coder) {
  auto& p = *impl_;
  recorded_change tx(p);
  require_code(p, code);
  struct row {
    std::int64_t id;
    std::size_t start, end;
    std::string coder, memo, created, review;
  };
  std::size_t touched = 0;
  for (const auto& [doc, cut] : passages) {
    auto& q = p.cached(
        "SELECT id, start, end, coder, memo, created, review FROM codings WHERE doc_id = ?1 AND "
        "code_id = ?2 "
        "AND start < ?4 AND end > ?3 AND (?5 IS NULL OR coder = ?5)");
    q.bind(1, doc).bind(2, code).bind(3, cut.start).bind(4, cut.end).bind(5, coder);
    std::vector<row> rows;
    while (q.step())
      rows.push_back(
          {q.integer(0), q.size(1), q.size(2), q.text(3), q.text(4), q.text(5), q.text(6)});
    q.reset();
    for (const auto& r : rows) {
      p.cached("DELETE FROM codings WHERE id = ?").bind(1, r.id).run();
      auto& keep = p.cached(
          "INSERT OR IGNORE INTO codings (doc_id, start, end, code_id, coder, memo, created, "
          "review) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      for (const span piece :
           {span{r.start, std::min(r.end, cut.start)}, span{std::max(r.start, cut.end), r.end}})
        if (piece.start < piece.end)
          keep.bind(1, doc)
              .bind(2, piece.start)
              .bind(3, piece.end)
              .bind(4, code)
              .bind(5, r.coder)
              .bind(6, r.memo)
              .bind(7, r.created)
              .bind(8, r.review)
              .run();
      ++touched;
    }
  }
  tx.commit();
  return touched;
}

recode_result coding_store::recode(const std::string& from, const std::string& to,
                                   const std::optional<std::string>& coder) {
  auto& p = *impl_;
  recorded_change tx(p);
  require_code(p, from);
  require_code(p, to);
  if (from == to) throw input_error(fmt::format("--from and --to are both '{}'", from));
  p.cached(
       "UPDATE OR IGNORE codings SET code_id = ?2 WHERE code_id = ?1 AND (?3 IS NULL OR coder = "
       "?3)")
      .bind(1, from)
      .bind(2, to)
      .bind(3, coder)
      .run();
  const auto moved = static_cast<std::size_t>(p.db.changes());
  // What is left duplicated a coding of `to`: it is the same coding now, so it goes.
  p.cached("DELETE FROM codings WHERE code_id = ?1 AND (?2 IS NULL OR coder = ?2)")
      .bind(1, from)
      .bind(2, coder)
      .run();
  const auto merged = static_cast<std::size_t>(p.db.changes());
  tx.commit();
  return {moved, merged};
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
