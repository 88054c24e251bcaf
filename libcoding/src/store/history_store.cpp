// The history of changes: the entries `qcode log` shows, and undo and redo, which replay
// the inverse statements the triggers recorded (project_impl.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "coding/project.hpp"
#include "coding/text.hpp"
#include "project_impl.hpp"

namespace coding {

std::vector<history_entry> history_store::entries() const {
  std::vector<history_entry> out;
  auto q =
      impl_->db.prepare("SELECT id, time, coder, command, summary, state FROM history ORDER BY id");
  while (q.step())
    out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5) == "undone",
                   q.text(5) == "compacted"});
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
  // Undo goes newest first, so the first compacted entry among them stops it.
  for (const auto& e : done)
    if (e.compacted)
      throw input_error(fmt::format(
          "cannot undo change #{} ({}, {}): 'qcode log --compact' dropped what undoing it "
          "needs, so it and the changes before it can no longer be undone; nothing was changed",
          e.id, excerpt(e.command), e.time));
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

namespace {
std::uint64_t file_bytes(detail::project_state& p) {
  auto q = p.db.prepare("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size");
  q.step();
  return static_cast<std::uint64_t>(q.integer(0));
}
}  // namespace

compact_result history_store::compact(std::size_t keep) {
  auto& p = *impl_;
  compact_result r;
  r.bytes_before = file_bytes(p);
  {
    transaction tx(p.db);
    std::vector<std::int64_t> done;
    auto q = p.db.prepare("SELECT id FROM history WHERE state = 'done' ORDER BY id DESC");
    while (q.step()) done.push_back(q.integer(0));
    r.kept = std::min(keep, done.size());
    auto drop = p.db.prepare("DELETE FROM undolog WHERE entry = ?");
    auto mark = p.db.prepare("UPDATE history SET state = 'compacted' WHERE id = ?");
    for (std::size_t i = r.kept; i < done.size(); ++i) {
      drop.bind(1, done[i]).run();
      mark.bind(1, done[i]).run();
      ++r.entries;
    }
    tx.commit();
  }
  // VACUUM rewrites the file without the freed pages; the checkpoint moves that into the
  // file itself and truncates the write-ahead log.
  p.db.exec("VACUUM");
  p.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  r.bytes_after = file_bytes(p);
  return r;
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

}  // namespace coding
