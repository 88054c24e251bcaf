// project::update_framework: a new version of the framework applied to a project as one
// recorded change, so that undo restores the previous framework and codings exactly.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "coding/framework.hpp"
#include "coding/text.hpp"
#include "project_impl.hpp"

namespace coding {

framework_diff project::update_framework(const framework& next,
                                         const framework_update_options& options) {
  auto& db = impl_->db;
  if (!options.merge_into.empty() && options.drop_codings)
    throw input_error("choose one of --merge-into and --drop-codings, not both");
  if (!options.merge_into.empty() && !next.find(options.merge_into))
    throw input_error(unknown_message("code", options.merge_into, "--merge-into", next.ids()) +
                      "; the code to merge into must be in the new framework");
  const auto current = get_framework();
  const framework old = current.value_or(framework{});
  std::map<std::string, std::size_t> counts;
  {
    auto q = db.prepare("SELECT code_id, count(*) FROM codings GROUP BY code_id");
    while (q.step()) counts[q.text(0)] = q.size(1);
  }
  auto diff = diff_frameworks(old, next, counts);
  const auto& fields = diff.framework_fields;
  const bool groups_changed = std::find(fields.begin(), fields.end(), "groups") != fields.end();
  if (!current) diff.framework_fields = {"id", "title", "description", "source", "groups"};
  // Kept codes whose label or text changed, to rewrite; the codes of `old` that `next`
  // does not have, to delete (removed, and the old ids of renamed and moved codes).
  std::set<std::string> rewritten(diff.edited.begin(), diff.edited.end());
  for (const auto& d : diff.relabelled) rewritten.insert(d.id);
  std::vector<std::string> gone;
  for (const auto& c : old.codes)
    if (!next.find(c.id)) gone.push_back(c.id);

  std::map<std::string, std::size_t> summary_counts;
  {
    auto q = db.prepare("SELECT code_id, count(*) FROM summaries GROUP BY code_id");
    while (q.step()) summary_counts[q.text(0)] = q.size(1);
  }
  std::vector<std::string> coded;
  for (const auto& r : diff.removed) {
    const auto summaries = summary_counts.count(r.id) ? summary_counts[r.id] : std::size_t{0};
    if (r.codings)
      coded.push_back(fmt::format("'{}' ({})", r.id, plural(r.codings, "coding", "codings")));
    else if (summaries)
      coded.push_back(
          fmt::format("'{}' ({})", r.id, plural(summaries, "chart summary", "chart summaries")));
  }
  if (options.dry_run || diff.empty()) return diff;
  if (!coded.empty() && options.merge_into.empty() && !options.drop_codings)
    throw input_error(fmt::format(
        "the new framework removes {} that still {} codings: {}; move them to another code with "
        "--merge-into CODE, delete them with --drop-codings, or keep a moved or renamed code's "
        "codings "
        "by giving it 'renamed_from: OLD.ID'",
        coded.size() == 1 ? "a code" : "codes", coded.size() == 1 ? "has" : "have",
        fmt::join(coded, ", ")));

  recorded_change tx(*impl_);
  // New rows are inserted before old ones go, and codings move in between.
  db.exec("PRAGMA defer_foreign_keys = ON");
  if (!current || old.id != next.id) impl_->set_meta("framework.id", next.id);
  if (!current || old.title != next.title) impl_->set_meta("framework.title", next.title);
  if (!current || old.description != next.description)
    impl_->set_meta("framework.description", next.description);
  if (!current || old.source != next.source) impl_->set_meta("framework.source", next.source);
  if (!current || old.group_attribute != next.group_attribute)
    impl_->set_meta("framework.group_attribute", next.group_attribute);
  if (groups_changed) {
    db.exec("DELETE FROM groups");
    auto& g = impl_->cached("INSERT INTO groups (id, label, ord) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < next.groups.size(); ++i)
      g.bind(1, next.groups[i].id).bind(2, next.groups[i].label).bind(3, i).run();
  }
  for (std::size_t i = 0; i < next.codes.size(); ++i) {
    const auto& c = next.codes[i];
    if (const auto at = old.find(c.id)) {
      if (*at == i && !rewritten.count(c.id)) continue;
      impl_
          ->cached(
              "UPDATE codes SET label = ?, description = ?, include = ?, exclude = ?, example = ?, "
              "color = ?, ord = ? WHERE id = ?")
          .bind(1, c.label)
          .bind(2, c.description)
          .bind(3, c.include)
          .bind(4, c.exclude)
          .bind(5, c.example)
          .bind(6, c.color)
          .bind(7, i)
          .bind(8, c.id)
          .run();
      continue;
    }
    auto& insert = impl_->cached(
        "INSERT INTO codes (id, parent, local_id, label, description, include, exclude, example, "
        "color, depth, ord) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, c.id);
    if (c.parent < 0)
      insert.bind_null(2);
    else
      insert.bind(2, next.codes[static_cast<std::size_t>(c.parent)].id);
    insert.bind(3, c.local_id).bind(4, c.label).bind(5, c.description).bind(6, c.include);
    insert.bind(7, c.exclude)
        .bind(8, c.example)
        .bind(9, c.color)
        .bind(10, c.depth)
        .bind(11, i)
        .run();
  }
  // Moves codings from one code to another; a coding that the target already has is
  // dropped. Returns how many moved.
  const auto move_codings = [&](const std::string& from, const std::string& to) {
    impl_->cached("UPDATE OR IGNORE codings SET code_id = ? WHERE code_id = ?")
        .bind(1, to)
        .bind(2, from)
        .run();
    const auto moved = static_cast<std::size_t>(db.changes());
    impl_->cached("DELETE FROM codings WHERE code_id = ?").bind(1, from).run();
    diff.duplicates += static_cast<std::size_t>(db.changes());
    // Chart summaries follow too; where the target has one for the case, the two are kept
    // one after the other.
    impl_
        ->cached(
            "UPDATE summaries SET text = text || char(10) || char(10) || (SELECT o.text FROM "
            "summaries o "
            "WHERE o.case_id = summaries.case_id AND o.code_id = ?1), draft = 0 WHERE code_id = ?2 "
            "AND "
            "case_id IN (SELECT case_id FROM summaries WHERE code_id = ?1)")
        .bind(1, from)
        .bind(2, to)
        .run();
    impl_
        ->cached(
            "UPDATE summaries SET code_id = ?2 WHERE code_id = ?1 AND case_id NOT IN "
            "(SELECT case_id FROM summaries WHERE code_id = ?2)")
        .bind(1, from)
        .bind(2, to)
        .run();
    impl_->cached("DELETE FROM summaries WHERE code_id = ?").bind(1, from).run();
    return moved;
  };
  for (auto* list : {&diff.renamed, &diff.moved})
    for (auto& d : *list) {
      d.codings = move_codings(d.old_id, d.id);
      // The code keeps its GUID under its new id.
      impl_->cached("INSERT OR REPLACE INTO guids (kind, key, guid) VALUES ('code', ?, ?)")
          .bind(1, d.id)
          .bind(2, guids().get(guid_kind::code, d.old_id))
          .run();
    }
  for (const auto& r : diff.removed) {
    if (options.drop_codings) {
      impl_->cached("DELETE FROM codings WHERE code_id = ?").bind(1, r.id).run();
      diff.codings_dropped += static_cast<std::size_t>(db.changes());
      impl_->cached("DELETE FROM summaries WHERE code_id = ?").bind(1, r.id).run();
    } else if (!options.merge_into.empty()) {
      diff.codings_merged += move_codings(r.id, options.merge_into);
    }
  }
  for (auto it = gone.rbegin(); it != gone.rend(); ++it)
    impl_->cached("DELETE FROM codes WHERE id = ?").bind(1, *it).run();
  tx.commit();
  return diff;
}

}  // namespace coding
