#pragma once
/// \file
/// The thematic framework: a tree of codes (themes at the top, sub-themes below) and
/// the respondent groups, loaded from YAML (see docs/framework-format.md).

#include <cstddef>
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

/// A whole framework. `codes` is in depth-first framework order.
struct framework {
  std::string id;
  std::string title;
  std::string description;
  std::string source;
  std::string group_attribute = "group";
  std::vector<group> groups;
  std::vector<code> codes;

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

/// Writes `fw` as YAML that load_framework accepts.
std::string framework_to_yaml(const framework& fw);

}  // namespace coding
