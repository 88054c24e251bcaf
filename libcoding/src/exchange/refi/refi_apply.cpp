// REFI-QDA import, the apply stage: an import_plan made one change of the project (a
// change_group: the framework, the documents, the cases, the codings, the chart summaries, the
// saved queries and the GUIDs the new entities keep), and the import report finished with what it
// did.

#include <fmt/format.h>

#include <filesystem>
#include <functional>

#include "refi_common.hpp"
#include "refi_plan.hpp"

namespace coding::detail::refi {

namespace {

// The project's framework with the new codes: each under its parent, after the codes that
// were there, in depth-first order.
framework next_framework(const project_index& now, const data_note& note, const file_model& m,
                         const std::string& file, const std::vector<planned_code>& new_codes) {
  framework next;
  if (now.fw) {
    next = *now.fw;
  } else {
    if (note.fw) {
      next = *note.fw;
      next.codes.clear();
    }
    const auto stem = std::filesystem::path(file).stem().string();
    if (next.title.empty()) next.title = m.name.empty() ? stem : m.name;
    if (next.id.empty()) next.id = code_id_from_name(next.title);
    if (next.description.empty()) next.description = m.description;
  }
  std::map<std::string, std::vector<code>> children;  // parent full id -> codes in order
  for (const auto& c : next.codes)
    children[c.parent < 0 ? std::string() : next.codes[static_cast<std::size_t>(c.parent)].id]
        .push_back(c);
  for (const auto& n : new_codes) children[n.parent].push_back(n.c);
  framework out = next;
  out.codes.clear();
  const std::function<void(const std::string&, int, int)> walk = [&](const std::string& parent,
                                                                     int parent_index, int depth) {
    for (auto c : children[parent]) {
      c.parent = parent_index;
      c.depth = depth;
      c.renamed_from.clear();
      const int index = static_cast<int>(out.codes.size());
      out.codes.push_back(c);
      walk(c.id, index, depth + 1);
    }
  };
  walk("", -1, 0);
  return out;
}

// The GUIDs that new entities keep, as they are recorded; a GUID the project has already,
// or one for an entity that has one stored, is not recorded again.
struct guid_recorder {
  const project_index& now;
  std::vector<guid_entry> entries;
  std::size_t unstorable = 0;  // invalid GUIDs, whose entities get new ones

  void store(guid_kind kind, const std::string& key, const std::string& guid) {
    if (guid.empty() || !normalize_guid(guid)) {
      ++unstorable;
      return;
    }
    if (now.stored.count({kind, key}) || now.guids(kind, key) == *normalize_guid(guid)) return;
    entries.push_back({kind, key, guid});
  }
};

}  // namespace

refi_import_result apply_plan(project& p, import_plan plan, const project_index& now,
                              const file_model& m, const data_note& note, const std::string& file,
                              const refi_import_options& options) {
  change_group group(p);
  guid_recorder guids{now, {}, 0};
  auto passages = now.passages;
  if (!plan.new_codes.empty() || (!now.fw && note.fw))
    p.update_framework(next_framework(now, note, m, file, plan.new_codes));

  if (!plan.documents.empty()) {
    import_options io;
    io.accept_changes = options.accept_changes;
    io.coder = options.coder;
    import_batch batch(p, io);
    const auto total = plan.documents.size();
    std::size_t done = 0;
    for (const auto& d : plan.documents) {
      if (options.progress) options.progress(done++, total);
      batch.add(d.doc);
    }
    if (options.progress) options.progress(total, total);
    const auto r = batch.finish();
    plan.report.documents_added = r.added;
    plan.report.documents_replaced = r.replaced;
    plan.report.documents_unchanged = r.unchanged;
    if (!r.changed.empty())
      plan.report.notes.push_back(fmt::format("{} whose passage changed kept, flagged for review",
                                              plural(r.changed.size(), "coding", "codings")));
  }

  std::set<std::string> now_cases;
  for (const auto& c : p.cases().list()) now_cases.insert(c.id);
  std::vector<case_row> rows;
  for (const auto& c : plan.cases) {
    if (!now_cases.count(c.id)) continue;
    case_row row;
    row.id = c.id;
    row.where = location{file, 0, 0};
    if (!c.known && c.label != c.id && !c.label.empty())
      row.attributes.emplace_back("label", c.label);
    for (const auto& a : c.attributes) row.attributes.push_back(a);
    if (!row.attributes.empty()) rows.push_back(std::move(row));
    (c.known ? plan.report.cases_updated : plan.report.cases_added)++;
  }
  if (!rows.empty()) p.cases().apply(rows);

  // Memos from the file replace the project's; a document or case without one keeps its own.
  for (const auto& d : plan.documents)
    if (!d.doc.memo.empty()) {
      p.documents().set_memo(d.doc.id, d.doc.memo);
      ++plan.report.document_memos;
    }
  for (const auto& [id, memo] : plan.case_memos) {
    if (memo.text.empty()) continue;
    if (!now_cases.count(id)) {
      plan.report.not_imported.push_back(
          fmt::format("the memo of case '{}': the case was not carried over", id));
      continue;
    }
    p.cases().set_memo(id, memo.text);
    ++plan.report.case_memos;
  }

  std::vector<new_coding> list;
  for (const auto& c : plan.codings) list.push_back(c.c);
  if (!list.empty()) {
    const auto r = p.codings().add(list);
    plan.report.codings_added = r.added;
    plan.report.codings_present = r.duplicates;
  }
  for (const auto& c : plan.codings) plan.report.memos += c.c.memo.empty() ? 0 : 1;

  for (const auto& s : plan.summaries) {
    if (!s.unchanged)
      p.summaries().set(summary{s.case_id, s.code, s.text, s.draft, s.author, s.updated});
    ++plan.report.summaries;
  }
  // Saved queries from qcode's data note: the ones this project lacks.
  for (const auto& q : note.queries) {
    if (p.queries().find(q.name)) continue;
    p.queries().save(q.name, q.expression);
    ++plan.report.queries;
  }

  // The GUIDs the new entities keep.
  for (const auto& n : plan.new_codes) guids.store(guid_kind::code, n.c.id, n.guid);
  for (const auto& [name, guid] : plan.new_users) guids.store(guid_kind::user, name, guid);
  for (const auto& [name, guid] : plan.new_variables) guids.store(guid_kind::variable, name, guid);
  for (const auto& c : plan.cases)
    if (!c.known) guids.store(guid_kind::case_, c.id, c.guid);
  for (const auto& d : plan.documents)
    if (!d.known) guids.store(guid_kind::source, d.doc.id, d.guid);
  std::map<std::string, std::int64_t> ids;
  for (const auto& c : p.codings().list())
    if (!now.coding_ids.count(c.id))
      ids[fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", c.doc, c.start, c.end, c.code, c.coder)] = c.id;
  for (const auto& c : plan.codings) {
    const auto passage = fmt::format("{}:{}:{}", c.c.doc, c.c.start, c.c.end);
    if (!c.selection_guid.empty() && !passages.count(passage)) {
      guids.store(guid_kind::selection, passage, c.selection_guid);
      passages.insert(passage);
    }
    const auto it = ids.find(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", c.c.doc, c.c.start, c.c.end,
                                         c.c.code, c.c.coder));
    if (it == ids.end()) continue;
    guids.store(guid_kind::coding, std::to_string(it->second), c.guid);
    if (!c.memo_guid.empty()) guids.store(guid_kind::memo, std::to_string(it->second), c.memo_guid);
    ids.erase(it);
  }
  for (const auto& d : plan.documents)
    if (!d.memo_guid.empty()) guids.store(guid_kind::memo, "doc:" + d.doc.id, d.memo_guid);
  for (const auto& [id, memo] : plan.case_memos)
    if (!memo.text.empty() && now_cases.count(id)) {
      guids.store(guid_kind::memo, "case:" + id, memo.guid);
      guids.store(guid_kind::link, "memo-case:" + id, memo.link);
    }
  for (const auto& s : plan.summaries) {
    guids.store(guid_kind::summary, s.case_id + ":" + s.code, s.guid);
    for (const auto& [key, guid] : s.links) guids.store(guid_kind::link, key, guid);
  }
  if (!now.stored.count({guid_kind::note, "qcode"}) && now.fw == std::nullopt && note.present)
    for (const auto& [guid, n] : m.notes)
      if (n.name == kDataNoteName) guids.store(guid_kind::note, "qcode", guid);
  p.guids().set_all(guids.entries);
  if (guids.unstorable)
    plan.report.notes.push_back(fmt::format("{} not valid, so the entities were given new ones",
                                            plural(guids.unstorable, "GUID was", "GUIDs were")));
  if (plan.nameless_used)
    plan.report.notes.push_back(
        fmt::format("the values of {} went to their documents' cases",
                    plural(plan.nameless_used, "nameless case", "nameless cases")));
  if (!options.dry_run) group.commit();
  return std::move(plan.report);
}

}  // namespace coding::detail::refi
