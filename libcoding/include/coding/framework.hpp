#pragma once
/// \file
/// The thematic framework: a tree of codes (themes at the top, sub-themes below) and
/// the respondent groups, loaded from YAML (see docs/framework-format.md).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coding/error.hpp"

namespace coding {

/// One node of the code tree.
struct code {
  std::string id;        ///< full id: the dotted path of local ids, e.g. "choice.informed"
  std::string local_id;  ///< the last part of `id`
  std::string label;
  std::string description;
  std::string include;
  std::string exclude;
  std::string example;
  std::string color;  ///< "#rrggbb" or empty
  int parent = -1;    ///< index of the parent in framework::codes, -1 for a theme
  int depth = 0;      ///< 0 for a theme
  /// The full id this code had before (`renamed_from:` in the file): `framework update`
  /// moves that code's codings here. Empty when not renamed; never stored in a project.
  std::string renamed_from;
};

/// One respondent group: a value of the grouping attribute.
struct group {
  std::string id;
  std::string label;
};

/// A saved query as a framework file carries it (`queries:`, docs/framework-format.md):
/// its name and expression, and where the expression is in the file.
struct named_query {
  std::string name;
  std::string expression;
  std::size_t line = 0, column = 0;  ///< of the expression in the file; 0 when not from one
};

/// Whether `name` is a good name for a saved query: a letter, then letters, digits, '_',
/// '-' or '.', at most 100 characters.
bool valid_query_name(std::string_view name);

/// A whole framework. `codes` is in depth-first framework order.
struct framework {
  std::string id;
  std::string title;
  std::string description;
  std::string source;
  std::string group_attribute = "group";
  std::vector<group> groups;
  std::vector<code> codes;
  /// Saved queries the file carries (`framework export` writes the project's). A project
  /// keeps them apart from its framework (project::queries()).
  std::vector<named_query> queries;

  /// Index of the code with full id `id`.
  std::optional<std::size_t> find(std::string_view id) const;
  /// Full ids of every code, in order (for did-you-mean suggestions).
  std::vector<std::string> ids() const;
  /// True when `ancestor` is `descendant` or one of its ancestors (indices into codes).
  bool contains(std::size_t ancestor, std::size_t descendant) const;
};

/// Result of checking a framework file: every problem found, and the framework when
/// there were none.
struct framework_check {
  std::optional<framework> result;
  std::vector<problem> problems;
};

/// Checks YAML text as a framework, collecting every problem at once (duplicate ids,
/// missing labels, malformed ids, unknown keys with a did-you-mean, themes without
/// codes, malformed groups, YAML syntax). `file` names the input in locations.
framework_check check_framework(std::string_view yaml, std::string_view file);

/// Loads a framework file. Throws problems_error listing every problem, or input_error
/// when the file cannot be read.
framework load_framework(const std::string& path);

/// Whether `id` is a well-formed local id, as a code's `id:` must be: a lower-case letter,
/// then lower-case letters, digits, '_' or '-'.
bool valid_local_id(std::string_view id);

/// Adds `k` (its local_id, label and texts set) to `fw` as the last child of the code
/// whose full id is `parent`, or as the last theme when `parent` is empty; sets k's id,
/// parent and depth, keeps framework order (depth-first) and returns its index. Throws
/// input_error for an unknown parent (with a did-you-mean), a malformed local id or an id
/// `fw` has already.
/// Example: add_code(fw, code{.local_id = "travel", .label = "Travel"}, "barriers").
std::size_t add_code(framework& fw, code k, std::string_view parent);

/// Writes `fw` as YAML that load_framework accepts.
std::string framework_to_yaml(const framework& fw);

/// One code in a framework_diff.
struct code_diff {
  std::string id;           ///< its full id (in the new framework; the old one when removed)
  std::string old_id;       ///< renamed or moved: the id it had
  std::string label;        ///< its label (the new one)
  std::string old_label;    ///< relabelled: the label it had
  std::size_t codings = 0;  ///< removed: the codings it had; renamed or moved: those that followed
};

/// The difference between a framework and a new version of it (diff_frameworks), and
/// what project::update_framework did with the codings of the codes that changed.
struct framework_diff {
  std::vector<code_diff> added;    ///< in the new framework's order
  std::vector<code_diff> renamed;  ///< same parent, new local id (or following a renamed parent)
  std::vector<code_diff> moved;    ///< under another parent
  std::vector<code_diff> relabelled;
  std::vector<std::string>
      edited;  ///< full ids whose description, include, exclude, example or color changed
  std::vector<std::string>
      reordered;  ///< parents ("" for the themes) whose kept children changed order
  std::vector<code_diff> removed;  ///< with the number of codings each had
  std::vector<std::string>
      framework_fields;             ///< changed: "id", "title", "description", "source", "groups"
  std::size_t codings_merged = 0;   ///< codings of removed codes moved to merge_into
  std::size_t codings_dropped = 0;  ///< codings of removed codes deleted (drop_codings)
  std::size_t duplicates = 0;       ///< moved codings dropped as duplicates of existing ones

  /// True when the two frameworks are the same.
  bool empty() const;
};

/// Works out how `next` differs from `old`, changing nothing. A code of `next` continues
/// a code of `old` when it has the same id, when its `renamed_from` names it, or when it
/// is the child of a renamed code and keeps its local id; one that continues none is
/// added, and a code of `old` that none continues is removed. A continued code whose id
/// changed is renamed (same parent) or moved (another parent). `codings` gives the number
/// of codings of the codes of `old` by full id (a code not in it has none): removed,
/// renamed and moved codes carry theirs. framework_fields lists the fields of the
/// framework itself that differ. Throws input_error when a renamed_from names a code that
/// `old` does not have, that `next` still has, or when a code with a renamed_from is in
/// `old` under its own id.
///
///     const auto d = coding::diff_frameworks(old, next);
///     if (d.empty()) ...  // nothing to update
framework_diff diff_frameworks(const framework& old, const framework& next,
                               const std::map<std::string, std::size_t>& codings = {});

}  // namespace coding
