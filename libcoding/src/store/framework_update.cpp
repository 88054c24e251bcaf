// project::update_framework: a new version of the framework applied to a project as one
// recorded change, so that undo restores the previous framework and codings exactly.

#include "coding/text.hpp"
#include "project_impl.hpp"

namespace coding {
namespace {

std::string parent_id(const framework& fw, const code& c) {
  return c.parent < 0 ? std::string() : fw.codes[static_cast<std::size_t>(c.parent)].id;
}

bool same_text(const code& a, const code& b) {
  return a.description == b.description && a.include == b.include && a.exclude == b.exclude &&
         a.example == b.example && a.color == b.color;
}

bool same_groups(const framework& a, const framework& b) {
  if (a.group_attribute != b.group_attribute || a.groups.size() != b.groups.size()) return false;
  for (std::size_t i = 0; i < a.groups.size(); ++i)
    if (a.groups[i].id != b.groups[i].id || a.groups[i].label != b.groups[i].label) return false;
  return true;
}

// For each code of `next`, the id of the code of `old` it continues: its own id when it is
// kept, the id it is renamed from (explicitly, or by following a renamed parent), or ""
// when it is new.
std::vector<std::string> sources(const framework& old, const framework& next) {
  std::vector<std::string> source(next.codes.size());
  std::set<std::string> taken;
  for (std::size_t i = 0; i < next.codes.size(); ++i) {
    const auto& c = next.codes[i];
    if (old.find(c.id)) {
      if (!c.renamed_from.empty() && c.renamed_from != c.id)
        throw input_error(fmt::format(
            "code '{}' says 'renamed_from: {}', but '{}' is already in the project's framework; a "
            "renamed code needs an id of its own",
            c.id, c.renamed_from, c.id));
      source[i] = c.id;
      continue;
    }
    std::string from = c.renamed_from;
    if (!from.empty()) {
      if (!old.find(from))
        throw input_error(
            unknown_message("code", from, fmt::format("renamed_from of '{}'", c.id), old.ids()) +
            " (renamed_from names a code of the project's framework)");
      if (next.find(from))
        throw input_error(
            fmt::format("code '{}' says 'renamed_from: {}', but the new framework still has "
                        "'{}'; remove it, or drop renamed_from",
                        c.id, from, from));
    } else if (c.parent >= 0) {
      // A child of a renamed code follows it when it keeps its local id.
      const auto p = static_cast<std::size_t>(c.parent);
      if (!source[p].empty() && source[p] != next.codes[p].id) {
        const auto candidate = source[p] + "." + c.local_id;
        if (old.find(candidate) && !next.find(candidate) && !taken.count(candidate))
          from = candidate;
      }
    }
    if (!from.empty()) {
      taken.insert(from);
      source[i] = from;
    }
  }
  return source;
}

}  // namespace

bool framework_diff::empty() const {
  return added.empty() && renamed.empty() && moved.empty() && relabelled.empty() &&
         edited.empty() && reordered.empty() && removed.empty() && framework_fields.empty();
}

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
  const auto source = sources(old, next);

  std::map<std::string, std::size_t> counts;
  {
    auto q = db.prepare("SELECT code_id, count(*) FROM codings GROUP BY code_id");
    while (q.step()) counts[q.text(0)] = q.size(1);
  }
  const auto count = [&](const std::string& id) {
    const auto it = counts.find(id);
    return it == counts.end() ? std::size_t{0} : it->second;
  };

  framework_diff diff;
  std::set<std::string> continued;
  for (std::size_t i = 0; i < next.codes.size(); ++i) {
    const auto& c = next.codes[i];
    if (source[i].empty()) {
      diff.added.push_back({c.id, "", c.label, "", 0});
      continue;
    }
    continued.insert(source[i]);
    const auto& before = old.codes[*old.find(source[i])];
    if (source[i] != c.id) {
      const auto new_parent_source =
          c.parent < 0 ? std::string() : source[static_cast<std::size_t>(c.parent)];
      code_diff d{c.id, source[i], c.label, "", count(source[i])};
      (parent_id(old, before) == new_parent_source ? diff.renamed : diff.moved)
          .push_back(std::move(d));
    }
    if (before.label != c.label)
      diff.relabelled.push_back({c.id, source[i], c.label, before.label, 0});
    if (!same_text(before, c)) diff.edited.push_back(c.id);
  }
  // Reordering: the kept children of each parent, in the old order and in the new.
  {
    std::map<std::string, std::vector<std::string>>
        now;  // new parent id -> old ids of its kept children
    std::vector<std::string> parents;
    for (std::size_t i = 0; i < next.codes.size(); ++i) {
      if (source[i].empty()) continue;
      const auto key = parent_id(next, next.codes[i]);
      if (!now.count(key)) parents.push_back(key);
      now[key].push_back(source[i]);
    }
    for (const auto& key : parents) {
      const auto at = next.find(key);
      const std::string old_parent = at ? source[*at] : std::string();
      if (at && old_parent.empty()) continue;  // a new parent: nothing to compare with
      std::vector<std::string> was;
      for (const auto& c : old.codes)
        if (parent_id(old, c) == old_parent) was.push_back(c.id);
      auto& is = now[key];
      std::erase_if(is, [&](const std::string& id) {
        return std::find(was.begin(), was.end(), id) == was.end();
      });
      std::erase_if(was, [&](const std::string& id) {
        return std::find(is.begin(), is.end(), id) == is.end();
      });
      if (was != is) diff.reordered.push_back(key);
    }
  }
  std::vector<std::string> gone;  // old ids to delete: removed, and the sources of renames
  for (const auto& c : old.codes) {
    if (next.find(c.id) && continued.count(c.id)) continue;
    gone.push_back(c.id);
    if (!continued.count(c.id)) diff.removed.push_back({c.id, "", c.label, "", count(c.id)});
  }
  if (current) {
    if (old.id != next.id) diff.framework_fields.push_back("id");
    if (old.title != next.title) diff.framework_fields.push_back("title");
    if (old.description != next.description) diff.framework_fields.push_back("description");
    if (old.source != next.source) diff.framework_fields.push_back("source");
    if (!same_groups(old, next)) diff.framework_fields.push_back("groups");
  } else {
    diff.framework_fields = {"id", "title", "description", "source", "groups"};
  }

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
  if (!same_groups(old, next)) {
    db.exec("DELETE FROM groups");
    auto& g = impl_->cached("INSERT INTO groups (id, label, ord) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < next.groups.size(); ++i)
      g.bind(1, next.groups[i].id).bind(2, next.groups[i].label).bind(3, i).run();
  }
  for (std::size_t i = 0; i < next.codes.size(); ++i) {
    const auto& c = next.codes[i];
    if (source[i] == c.id) {
      const auto at = *old.find(c.id);
      const auto& before = old.codes[at];
      if (at == i && before.label == c.label && same_text(before, c)) continue;
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
      insert.bind(2, parent_id(next, c));
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
