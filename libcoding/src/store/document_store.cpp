// The documents: listing and loading them, importing (import_batch, re-anchoring codings
// through a diff of the old and new text, keeping declared speaker mappings) and mapping
// speakers to cases.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "coding/project.hpp"
#include "coding/text.hpp"
#include "diff.hpp"
#include "project_impl.hpp"

namespace coding {

std::vector<document_info> document_store::list() const {
  auto s = impl_->db.prepare(
      "SELECT d.id, d.title, d.source_name, d.case_id, d.length, d.lines, "
      "(SELECT count(*) FROM turns t WHERE t.doc_id = d.id), "
      "(SELECT count(*) FROM codings c WHERE c.doc_id = d.id), d.memo FROM documents d ORDER BY "
      "d.ord");
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
    d.memo = s.text(8);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<document> document_store::load(bool with_text) const {
  auto s = impl_->db.prepare(fmt::format(
      "SELECT id, title, source_name, source_hash, length, case_id, memo{} FROM documents ORDER BY "
      "ord",
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
      "SELECT id, title, source_name, source_hash, length, case_id, memo, text FROM documents "
      "WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto doc = impl_->read_document(s, true);
  impl_->read_turns(doc);
  return doc;
}

std::optional<std::string> document_store::memo(std::string_view doc) const {
  auto s = impl_->db.prepare("SELECT memo FROM documents WHERE id = ?");
  s.bind(1, doc);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

void document_store::set_memo(const std::string& doc, const std::string& text) {
  recorded_change tx(*impl_);
  auto& s = impl_->cached("UPDATE documents SET memo = ?1 WHERE id = ?2 AND memo IS NOT ?1");
  s.bind(1, text).bind(2, doc).run();
  if (impl_->db.changes() == 0 && !memo(doc))
    throw input_error(unknown_message(
        "document", doc, "", impl_->column_strings("SELECT id FROM documents ORDER BY ord")));
  tx.commit();
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

std::string describe(const changed_coding& c) {
  if (c.vanished)
    return fmt::format("{} {} ({}) {}:{}: \"{}\" is gone", c.doc, c.code, c.coder, c.old_span.start,
                       c.old_span.end, excerpt(c.old_text));
  return fmt::format("{} {} ({}) {}:{}: \"{}\" is now \"{}\"", c.doc, c.code, c.coder,
                     c.old_span.start, c.old_span.end, excerpt(c.old_text), excerpt(c.new_text));
}

namespace {

// Whether `doc` (with the same text as the stored one) would store exactly the rows the
// project has for it: its document row, and `before`'s turns and speakers.
bool same_as_stored(detail::project_state& p, const document& doc, const document& before) {
  auto& row = p.cached(
      "SELECT 1 FROM documents WHERE id = ? AND title IS ? AND source_name IS ? AND "
      "source_hash IS ? AND case_id IS ?");
  row.bind(1, doc.id).bind(2, doc.title).bind(3, doc.source_name).bind(4, doc.source_hash);
  row.bind(5, doc.case_id);
  const bool same_row = row.step();
  row.reset();
  if (!same_row || doc.turns.size() != before.turns.size() ||
      doc.speakers.size() != before.speakers.size())
    return false;
  for (std::size_t i = 0; i < doc.turns.size(); ++i) {
    const auto &a = doc.turns[i], &b = before.turns[i];
    if (a.speaker != b.speaker || a.case_id != b.case_id || a.start != b.start || a.end != b.end ||
        a.time != b.time)
      return false;
  }
  for (std::size_t i = 0; i < doc.speakers.size(); ++i) {
    const auto &a = doc.speakers[i], &b = before.speakers[i];
    if (a.label != b.label || a.case_id != b.case_id || a.interviewer != b.interviewer ||
        a.declared != b.declared)
      return false;
  }
  return true;
}

}  // namespace

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
    // Rewriting a document the same as it is would cost a copy of its text and turns in
    // the undo data (the update trigger quotes the old row whole), for nothing.
    if (old_text != doc.text || !same_as_stored(p, merged, before)) {
      p.cached("DELETE FROM turns WHERE doc_id = ?").bind(1, doc.id).run();
      p.cached("DELETE FROM speakers WHERE doc_id = ?").bind(1, doc.id).run();
      p.store_document(merged, ord);
    }
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

// (declared in project_impl.hpp) Applies `mappings` (all of document `doc`) and, when given, a new
// case of the document itself, then re-attributes its turns; writes only the rows that changed.
// `where` names the source of the mappings in messages.
speaker_mapping_result detail::remap(detail::project_state& p, const std::string& doc,
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

}  // namespace coding
