// diff_frameworks: how a new version of a framework differs from the old one, code by
// code. project::update_framework applies the difference to a project.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "coding/error.hpp"
#include "coding/framework.hpp"

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

framework_diff diff_frameworks(const framework& old, const framework& next,
                               const std::map<std::string, std::size_t>& codings) {
  const auto source = sources(old, next);
  const auto count = [&](const std::string& id) {
    const auto it = codings.find(id);
    return it == codings.end() ? std::size_t{0} : it->second;
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
  for (const auto& c : old.codes)
    if (!continued.count(c.id)) diff.removed.push_back({c.id, "", c.label, "", count(c.id)});
  if (old.id != next.id) diff.framework_fields.push_back("id");
  if (old.title != next.title) diff.framework_fields.push_back("title");
  if (old.description != next.description) diff.framework_fields.push_back("description");
  if (old.source != next.source) diff.framework_fields.push_back("source");
  if (!same_groups(old, next)) diff.framework_fields.push_back("groups");
  return diff;
}

}  // namespace coding
