// Team work across project files: project::copy writes a copy with only some coders'
// codings (a blind copy for a second coder), project::merge brings another project's work
// back as one recorded change.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "coding/project.hpp"
#include "coding/text.hpp"
#include "project_impl.hpp"

namespace coding {

std::string describe(const merge_conflict& c) {
  return fmt::format("{} '{}': \"{}\" here, \"{}\" in the other project", c.what, c.id,
                     excerpt(c.ours), excerpt(c.theirs));
}

namespace {

void remove_files(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path + suffix, ec);
}

std::size_t count_rows(detail::database& db, const char* table) {
  auto q = db.prepare(fmt::format("SELECT count(*) FROM {}", table));
  q.step();
  return q.size(0);
}

}  // namespace

copy_result project::copy(const std::string& out, const copy_options& options) const {
  if (std::filesystem::exists(out))
    throw input_error(fmt::format("'{}' already exists; choose another name or remove it", out));
  const auto parent = std::filesystem::path(out).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    throw input_error(
        fmt::format("cannot create '{}': folder '{}' does not exist", out, parent.string()));
  const bool all = options.all_codings;
  const auto coders = impl_->column_strings("SELECT DISTINCT coder FROM codings ORDER BY coder");
  if (!all)
    for (const auto& c : options.coders)
      if (std::find(coders.begin(), coders.end(), c) == coders.end())
        throw input_error(unknown_message("coder", c, "in --codings", coders) +
                          (coders.empty() ? "; the project has no codings"
                                          : fmt::format(" (coders: {})", fmt::join(coders, ", "))));

  // A consistent snapshot beside OUT, trimmed there and renamed into place, so that OUT
  // never exists half-written.
  const auto temp = fmt::format("{}.tmp-{}", out, static_cast<long>(getpid()));
  remove_files(temp);
  copy_result result;
  try {
    // VACUUM refuses to run while a cached statement is left mid-way through its rows.
    for (auto& [sql, statement] : impl_->statements) statement->reset();
    impl_->db.prepare("VACUUM INTO ?").bind(1, temp).run();
    {
      detail::project_state c(temp, SQLITE_OPEN_READWRITE);
      const auto before = count_rows(c.db, "codings");
      transaction tx(c.db);
      if (!all) {
        c.db.exec("CREATE TEMP TABLE kept_coders (coder TEXT PRIMARY KEY)");
        auto keep = c.db.prepare("INSERT OR IGNORE INTO kept_coders (coder) VALUES (?)");
        for (const auto& coder : options.coders) {
          keep.bind(1, coder).run();
          keep.reset();
        }
        c.db.exec("DELETE FROM codings WHERE coder NOT IN (SELECT coder FROM kept_coders)");
        c.db.exec("DROP TABLE kept_coders");
      }
      // The GUIDs of codings that were not copied name nothing in the copy.
      c.db.exec(
          "DELETE FROM guids WHERE kind = 'coding' AND key NOT IN (SELECT CAST(id AS TEXT) FROM "
          "codings)");
      // The copy's history starts here: the original's changes cannot be undone in it.
      c.db.exec("DELETE FROM undolog");
      c.db.exec("DELETE FROM history");
      c.db.exec("UPDATE history_state SET current = NULL, kind = 'undo'");
      c.db.exec("UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = 'uuid'");
      c.set_meta("created", now_utc());
      tx.commit();
      result.documents = count_rows(c.db, "documents");
      result.cases = count_rows(c.db, "cases");
      result.summaries = count_rows(c.db, "summaries");
      result.codings = count_rows(c.db, "codings");
      result.left_out = before - result.codings;
      c.db.exec("PRAGMA journal_mode = WAL");
    }
    if (std::filesystem::exists(out))
      throw input_error(fmt::format("'{}' already exists; choose another name or remove it", out));
    std::filesystem::rename(temp, out);
  } catch (...) {
    remove_files(temp);
    throw;
  }
  return result;
}

namespace {

using coding_key = std::tuple<std::string, std::size_t, std::size_t, std::string, std::string>;

coding_key key_of(const coding_record& c) {
  return {c.doc, c.start, c.end, c.code, c.coder};
}

std::string describe_key(const coding_key& k) {
  return fmt::format("{} {}:{} {} ({})", std::get<0>(k), std::get<1>(k), std::get<2>(k),
                     std::get<3>(k), std::get<4>(k));
}

// The framework `ours` with the codes of `theirs` it lacks, each placed as the last child
// of its parent (a new theme last); with `relabel`, the labels of `theirs` win.
framework merged_framework(const std::optional<framework>& ours,
                           const std::optional<framework>& theirs, bool relabel, merge_result& r) {
  framework next = ours ? *ours : theirs ? *theirs : framework{};
  if (!ours) next.codes.clear();
  if (!theirs) return next;
  struct entry {
    code c;
    std::string parent;
  };
  std::vector<entry> list;
  for (const auto& c : next.codes)
    list.push_back({c, c.parent < 0 ? "" : next.codes[static_cast<std::size_t>(c.parent)].id});
  const auto find = [&](const std::string& id) {
    return std::find_if(list.begin(), list.end(), [&](const entry& e) { return e.c.id == id; });
  };
  for (const auto& tc : theirs->codes) {
    const auto parent =
        tc.parent < 0 ? std::string() : theirs->codes[static_cast<std::size_t>(tc.parent)].id;
    if (const auto it = find(tc.id); it != list.end()) {
      if (it->c.label != tc.label) {
        if (ours) r.conflicts.push_back({"code label", tc.id, it->c.label, tc.label});
        if (relabel) it->c.label = tc.label;
      }
      continue;
    }
    auto pos = list.size();
    code c = tc;
    c.depth = 0;
    if (!parent.empty()) {
      const auto p = find(parent);  // their parents come before their children
      c.depth = p->c.depth + 1;
      pos = static_cast<std::size_t>(p - list.begin()) + 1;
      while (pos < list.size() && list[pos].c.depth > p->c.depth) ++pos;
    }
    list.insert(list.begin() + static_cast<std::ptrdiff_t>(pos), {c, parent});
    if (ours) r.codes_added.push_back(tc.id);
  }
  if (!ours)
    for (const auto& c : theirs->codes) r.codes_added.push_back(c.id);
  next.codes.clear();
  std::map<std::string, int> index;
  for (auto& e : list) {
    e.c.parent = e.parent.empty() ? -1 : index.at(e.parent);
    e.c.renamed_from.clear();
    index[e.c.id] = static_cast<int>(next.codes.size());
    next.codes.push_back(e.c);
  }
  return next;
}

// The speaker mappings and the document's own case that `theirs` declares and this
// project's document `ours[theirs.id]` does not (taken), or declares otherwise (conflicts).
void plan_mappings(detail::project_state& p, const document& theirs,
                   const std::map<std::string, document>& ours, bool theirs_win, merge_result& r,
                   std::vector<std::function<void()>>& steps) {
  const auto& mine = ours.at(theirs.id);
  if (theirs.case_id && theirs.case_id != mine.case_id) {
    if (mine.case_id)
      r.conflicts.push_back({"document case", theirs.id, *mine.case_id, *theirs.case_id});
    if (!mine.case_id || theirs_win) {
      ++r.mappings_set;
      steps.push_back(
          [&p, doc = theirs.id, c = theirs.case_id] { detail::remap(p, doc, "", "", {}, c); });
    }
  }
  for (const auto& role : theirs.speakers) {
    const auto name = role_name(role);
    if (!role.declared || name.empty()) continue;
    const auto it = std::find_if(mine.speakers.begin(), mine.speakers.end(),
                                 [&](const speaker_role& s) { return s.label == role.label; });
    if (it == mine.speakers.end() || role_name(*it) == name) continue;
    if (it->declared)
      r.conflicts.push_back(
          {"speaker mapping", theirs.id + " " + role.label, role_name(*it), name});
    if (!it->declared || theirs_win) {
      ++r.mappings_set;
      steps.push_back([&p, doc = theirs.id, label = role.label, name] {
        detail::remap(p, doc, "", "", {{doc, label, name}}, std::nullopt);
      });
    }
  }
}

}  // namespace

merge_result project::merge(const std::string& other_path, const merge_options& o) {
  if (!std::filesystem::exists(other_path))
    throw input_error(fmt::format("cannot merge '{}': no such file", other_path));
  std::error_code ec;
  if (std::filesystem::equivalent(other_path, impl_->path, ec))
    throw input_error(
        fmt::format("cannot merge '{}' into itself; name another project", other_path));
  // A dry run reads the other project from a copy too: not even its format is upgraded.
  open_options read;
  read.snapshot = o.dry_run;
  const auto other = project::open(other_path, read);
  const bool theirs_win = o.prefer == merge_options::side::theirs;
  merge_result r;
  // What applying the merge does, in order: planned first, run only when it may be.
  std::vector<std::function<void()>> steps;
  auto& p = *impl_;

  // Codes.
  const auto ours_fw = get_framework();
  const auto theirs_fw = other.get_framework();
  const auto next = merged_framework(ours_fw, theirs_fw, theirs_win, r);
  if (theirs_fw && (!ours_fw || !r.codes_added.empty() || theirs_win))
    steps.push_back([this, next] { update_framework(next); });

  // Cases, their attributes and memos.
  std::map<std::string, case_record> our_cases;
  for (auto& c : cases().list()) our_cases.emplace(c.id, std::move(c));
  for (const auto& tc : other.cases().list()) {
    const auto it = our_cases.find(tc.id);
    if (it == our_cases.end()) {
      r.cases_added.push_back(tc.id);
      r.attributes_set += tc.attributes.size();
      if (!tc.memo.empty()) ++r.memos_set;
      steps.push_back([&p, tc] {
        p.cached("INSERT INTO cases (id, label, memo) VALUES (?, ?, ?)")
            .bind(1, tc.id)
            .bind(2, tc.label)
            .bind(3, tc.memo)
            .run();
        for (const auto& [name, value] : tc.attributes) p.set_attribute(tc.id, name, value);
      });
      continue;
    }
    const auto& oc = it->second;
    if (oc.label != tc.label) {
      r.conflicts.push_back({"case label", tc.id, oc.label, tc.label});
      if (theirs_win)
        steps.push_back([&p, tc] {
          p.cached("UPDATE cases SET label = ? WHERE id = ?")
              .bind(1, tc.label)
              .bind(2, tc.id)
              .run();
        });
    }
    for (const auto& [name, value] : tc.attributes) {
      const auto a = oc.attributes.find(name);
      if (a != oc.attributes.end() && a->second == value) continue;
      if (a != oc.attributes.end()) {
        r.conflicts.push_back({"case attribute", tc.id + " " + name, a->second, value});
        if (!theirs_win) continue;
      }
      ++r.attributes_set;
      steps.push_back([&p, id = tc.id, name = name, value = value] {  // Clang 14: no bindings
        p.set_attribute(id, name, value);
      });
    }
    if (!tc.memo.empty() && tc.memo != oc.memo) {
      if (!oc.memo.empty()) r.conflicts.push_back({"case memo", tc.id, oc.memo, tc.memo});
      if (oc.memo.empty() || theirs_win) {
        ++r.memos_set;
        steps.push_back([&p, tc] {
          p.cached("UPDATE cases SET memo = ? WHERE id = ?").bind(1, tc.memo).bind(2, tc.id).run();
        });
      }
    }
  }

  // Documents, matched by id and checked by text.
  std::map<std::string, std::pair<std::string, std::string>> our_docs;  // id -> hash, memo
  {
    auto q = p.db.prepare("SELECT id, text_hash, memo FROM documents");
    while (q.step()) our_docs[q.text(0)] = {q.text(1), q.text(2)};
  }
  std::map<std::string, document> our_roles;  // id -> case and speakers, without text
  for (auto& d : documents().load(false)) our_roles.emplace(d.id, std::move(d));
  for (const auto& td : other.documents().load(true)) {
    const auto it = our_docs.find(td.id);
    if (it == our_docs.end()) {
      r.documents_added.push_back(td.id);
      if (!td.memo.empty()) ++r.memos_set;
      steps.push_back([&p, td] {
        auto q = p.db.prepare("SELECT coalesce(max(ord), 0) + 1 FROM documents");
        q.step();
        p.store_document(td, q.integer(0));
        p.cached("UPDATE documents SET memo = ? WHERE id = ?")
            .bind(1, td.memo)
            .bind(2, td.id)
            .run();
      });
      continue;
    }
    if (it->second.first == content_hash(td.text)) {
      ++r.documents_unchanged;
    } else {
      r.documents_changed.push_back(td.id);
      steps.push_back([this, &r, td] {
        import_batch batch(*this, {.accept_changes = true, .coder = impl_->coder});
        batch.add(td);
        auto done = batch.finish();
        for (auto& c : done.changed) r.changed.push_back(std::move(c));
      });
    }
    plan_mappings(p, td, our_roles, theirs_win, r, steps);
    const auto& memo = it->second.second;
    if (!td.memo.empty() && td.memo != memo) {
      if (!memo.empty()) r.conflicts.push_back({"document memo", td.id, memo, td.memo});
      if (memo.empty() || theirs_win) {
        ++r.memos_set;
        steps.push_back([&p, td] {
          p.cached("UPDATE documents SET memo = ? WHERE id = ?")
              .bind(1, td.memo)
              .bind(2, td.id)
              .run();
        });
      }
    }
  }

  // Codings with their coders; an exact duplicate (document, passage, code, coder) is
  // left alone, and only its memo can differ.
  std::map<coding_key, std::string> our_codings;  // key -> memo
  for (const auto& c : codings().list()) our_codings[key_of(c)] = c.memo;
  std::vector<coding_record> added;
  for (const auto& tc : other.codings().list()) {
    const auto key = key_of(tc);
    const auto it = our_codings.find(key);
    if (it == our_codings.end()) {
      ++r.codings_added;
      ++r.coders_added[tc.coder];
      added.push_back(tc);
      continue;
    }
    ++r.codings_duplicate;
    if (tc.memo.empty() || tc.memo == it->second) continue;
    if (!it->second.empty())
      r.conflicts.push_back({"coding memo", describe_key(key), it->second, tc.memo});
    if (it->second.empty() || theirs_win) {
      ++r.memos_set;
      steps.push_back([&p, tc] {
        p.cached(
             "UPDATE codings SET memo = ? WHERE doc_id = ? AND start = ? AND end = ? AND "
             "code_id = ? AND coder = ?")
            .bind(1, tc.memo)
            .bind(2, tc.doc)
            .bind(3, tc.start)
            .bind(4, tc.end)
            .bind(5, tc.code)
            .bind(6, tc.coder)
            .run();
      });
    }
  }
  // Counted again as they land: a re-anchored document may turn a coding into a duplicate.
  steps.push_back([&p, &r, added = std::move(added)] {
    r.codings_added = 0;
    r.coders_added.clear();
    auto& ins = p.cached(
        "INSERT OR IGNORE INTO codings (doc_id, start, end, code_id, coder, memo, created, review) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& c : added) {
      ins.bind(1, c.doc).bind(2, c.start).bind(3, c.end).bind(4, c.code).bind(5, c.coder);
      ins.bind(6, c.memo).bind(7, c.created).bind(8, c.review).run();
      ins.reset();
      if (p.db.changes() > 0) {
        ++r.codings_added;
        ++r.coders_added[c.coder];
      } else {
        ++r.codings_duplicate;
      }
    }
  });

  // Chart summaries: one per case and code.
  std::map<std::pair<std::string, std::string>, std::string> our_summaries;
  for (const auto& s : summaries().list()) our_summaries[{s.case_id, s.code}] = s.text;
  for (const auto& ts : other.summaries().list()) {
    const auto it = our_summaries.find({ts.case_id, ts.code});
    if (it != our_summaries.end()) {
      if (it->second == ts.text) continue;
      r.conflicts.push_back({"summary", ts.case_id + " " + ts.code, it->second, ts.text});
      if (!theirs_win) continue;
    }
    ++r.summaries_set;
    steps.push_back([&p, ts] {
      p.cached(
           "INSERT INTO summaries (case_id, code_id, text, draft, author, updated) VALUES (?, ?, "
           "?, ?, ?, ?) ON CONFLICT (case_id, code_id) DO UPDATE SET text = excluded.text, "
           "draft = excluded.draft, author = excluded.author, updated = excluded.updated")
          .bind(1, ts.case_id)
          .bind(2, ts.code)
          .bind(3, ts.text)
          .bind(4, static_cast<std::int64_t>(ts.draft ? 1 : 0))
          .bind(5, ts.author)
          .bind(6, ts.updated)
          .run();
    });
  }

  // Saved queries: one expression per name.
  std::map<std::string, std::string> our_queries;
  for (const auto& q : queries().list()) our_queries[q.name] = q.expression;
  for (const auto& tq : other.queries().list()) {
    const auto it = our_queries.find(tq.name);
    if (it != our_queries.end()) {
      if (it->second == tq.expression) continue;
      r.conflicts.push_back({"saved query", tq.name, it->second, tq.expression});
      if (!theirs_win) continue;
    }
    ++r.queries_set;
    steps.push_back([&p, tq] {
      p.cached(
           "INSERT INTO queries (name, expression, author, updated) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (name) DO UPDATE SET expression = excluded.expression, "
           "author = excluded.author, updated = excluded.updated")
          .bind(1, tq.name)
          .bind(2, tq.expression)
          .bind(3, tq.author)
          .bind(4, tq.updated)
          .run();
    });
  }

  std::vector<std::string> refused;
  if (!r.conflicts.empty() && o.prefer == merge_options::side::none)
    refused.push_back(fmt::format("{}; choose the side that wins with --prefer ours|theirs",
                                  plural(r.conflicts.size(), "conflict", "conflicts")));
  if (!r.documents_changed.empty() && !o.accept_changes)
    refused.push_back(fmt::format(
        "the text of {} differs ({}); re-anchor this project's codings with --accept-changes",
        plural(r.documents_changed.size(), "document", "documents"),
        fmt::join(r.documents_changed, ", ")));
  if (!refused.empty()) {
    r.refused = fmt::format("{}", fmt::join(refused, "; "));
    return r;
  }
  if (o.dry_run) return r;
  recorded_change tx(p);
  for (const auto& step : steps) step();
  tx.commit();
  r.applied = true;
  return r;
}

}  // namespace coding
