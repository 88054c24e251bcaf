// The codings: listing, adding (each checked against the project), removing from
// passages (trim and split) and moving to another code.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "coding/project.hpp"
#include "project_impl.hpp"

namespace coding {
namespace {

// The codings of one document in text order; the UNIQUE (doc_id, start, end, code_id,
// coder) index gives them in that order without sorting.
constexpr const char* codings_of_document =
    "SELECT id, start, end, code_id, coder, memo, created, review FROM codings "
    "WHERE doc_id = ? ORDER BY start, end, code_id, coder";

// The row of codings_of_document that `s` stands on.
coding_record read_coding(const detail::statement& s, std::string_view doc) {
  coding_record r;
  r.id = s.integer(0);
  r.doc = std::string(doc);
  r.start = s.size(1);
  r.end = s.size(2);
  r.code = s.text(3);
  r.coder = s.text(4);
  r.memo = s.text(5);
  r.created = s.text(6);
  r.review = s.text(7);
  return r;
}

}  // namespace

std::vector<coding_record> coding_store::list(bool with_text) const {
  // In document order, and within a document by (start, end, code, coder): one query per
  // document, so nothing is sorted (sorting 200,000 rows, here or in SQLite, cost more
  // than reading them), in one read transaction, so that another process's change is
  // in every document's codings or in none.
  const detail::read_transaction snapshot(impl_->db);
  std::vector<std::string> docs;
  {
    auto d = impl_->db.prepare("SELECT id FROM documents ORDER BY ord");
    while (d.step()) docs.push_back(d.text(0));
  }
  std::vector<coding_record> out;
  {
    auto n = impl_->db.prepare("SELECT count(*) FROM codings");
    if (n.step()) out.reserve(n.size(0));
  }
  auto s = impl_->db.prepare(codings_of_document);
  for (const auto& doc : docs) {
    s.bind(1, doc);
    while (s.step()) out.push_back(read_coding(s, doc));
    s.reset();
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

std::vector<coding_record> coding_store::list_of(std::string_view doc) const {
  auto& db = impl_->db;
  std::vector<coding_record> out;
  auto t = db.prepare("SELECT text FROM documents WHERE id = ?");
  t.bind(1, doc);
  if (!t.step()) return out;
  const std::string text = t.text(0);
  const text_index index(text);
  auto s = db.prepare(codings_of_document);
  s.bind(1, doc);
  while (s.step()) {
    auto r = read_coding(s, doc);
    r.text = std::string(index.slice(r.start, r.end));
    out.push_back(std::move(r));
  }
  return out;
}

add_codings_result coding_store::add(
    const std::vector<new_coding>& codings,
    const std::function<void(std::size_t, std::size_t)>& progress) {
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
  std::size_t done = 0;
  for (const auto& c : codings) {
    if (progress) progress(done++, codings.size());
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
    if (db.changes() == 0) {
      ++result.duplicates;
      auto& same = impl_->cached(
          "SELECT id FROM codings WHERE doc_id = ? AND start = ? AND end = ? AND code_id = ? AND "
          "coder = ?");
      same.bind(1, c.doc).bind(2, c.start).bind(3, c.end).bind(4, c.code).bind(5, c.coder);
      same.step();
      result.ids.push_back(same.integer(0));
      same.reset();
    } else {
      ++result.added;
      result.ids.push_back(sqlite3_last_insert_rowid(db.handle()));
    }
  }
  if (progress) progress(codings.size(), codings.size());
  tx.commit();
  return result;
}

namespace {

std::string no_coding(std::int64_t id) {
  return fmt::format("no coding {}", id);
}

// The coding `id` with its text, read inside or outside a change.
std::optional<coding_record> read_coding(detail::project_state& p, std::int64_t id) {
  auto& q = p.cached(
      "SELECT c.doc_id, c.start, c.end, c.code_id, c.coder, c.memo, c.created, c.review, d.text "
      "FROM codings c JOIN documents d ON d.id = c.doc_id WHERE c.id = ?");
  q.bind(1, id);
  if (!q.step()) {
    q.reset();
    return std::nullopt;
  }
  coding_record r;
  r.id = id;
  r.doc = q.text(0);
  r.start = q.size(1);
  r.end = q.size(2);
  r.code = q.text(3);
  r.coder = q.text(4);
  r.memo = q.text(5);
  r.created = q.text(6);
  r.review = q.text(7);
  const auto text = q.text(8);
  q.reset();
  r.text = std::string(text_index(text).slice(r.start, r.end));
  return r;
}

void require_code(detail::project_state& p, const std::string& code) {
  const auto ids = p.column_strings("SELECT id FROM codes ORDER BY ord");
  if (std::find(ids.begin(), ids.end(), code) == ids.end())
    throw input_error(unknown_message("code", code, "", ids));
}

}  // namespace

std::optional<coding_record> coding_store::find(std::int64_t id) const {
  return read_coding(*impl_, id);
}

void coding_store::remove(std::int64_t id) {
  auto& p = *impl_;
  recorded_change tx(p);
  p.cached("DELETE FROM codings WHERE id = ?").bind(1, id).run();
  if (p.db.changes() == 0) throw input_error(no_coding(id));
  tx.commit();
}

coding_record coding_store::update(std::int64_t id, const coding_update& u) {
  auto& p = *impl_;
  recorded_change tx(p);
  const auto before = read_coding(p, id);
  if (!before) throw input_error(no_coding(id));
  std::int64_t target = id;
  if (u.code && *u.code != before->code) {
    require_code(p, *u.code);
    auto& same = p.cached(
        "SELECT id FROM codings WHERE doc_id = ? AND start = ? AND end = ? AND code_id = ? AND "
        "coder = ?");
    same.bind(1, before->doc)
        .bind(2, before->start)
        .bind(3, before->end)
        .bind(4, *u.code)
        .bind(5, before->coder);
    const bool duplicate = same.step();
    if (duplicate) target = same.integer(0);
    same.reset();
    if (duplicate)  // the same coding now: it goes, as recode() merges
      p.cached("DELETE FROM codings WHERE id = ?").bind(1, id).run();
    else
      p.cached("UPDATE codings SET code_id = ? WHERE id = ?").bind(1, *u.code).bind(2, id).run();
  }
  if (u.memo)
    p.cached("UPDATE codings SET memo = ?1 WHERE id = ?2 AND memo IS NOT ?1")
        .bind(1, *u.memo)
        .bind(2, target)
        .run();
  auto after = read_coding(p, target);
  tx.commit();
  return *after;
}

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

}  // namespace coding
