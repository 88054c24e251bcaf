#include "coding/framework.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "coding/text.hpp"
#include "yaml_guard.hpp"

namespace coding {
namespace {

const std::vector<std::string> kTopKeys = {"id",     "title",  "description", "source",
                                           "groups", "themes", "queries"};
const std::vector<std::string> kQueryKeys = {"name", "expression"};
const std::vector<std::string> kCodeKeys = {"id",      "label",   "description",
                                            "include", "exclude", "example",
                                            "color",   "codes",   "renamed_from"};
const std::vector<std::string> kGroupsKeys = {"attribute", "values"};
const std::vector<std::string> kGroupKeys = {"id", "label"};

bool valid_id(std::string_view id) {
  if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool valid_color(std::string_view c) {
  return c.size() == 7 && c[0] == '#' && std::all_of(c.begin() + 1, c.end(), [](char x) {
           return std::isxdigit(static_cast<unsigned char>(x));
         });
}

// Walks the YAML tree, building the framework and noting every problem on the way.
class checker {
 public:
  explicit checker(std::string_view file) : file_(file) {}

  framework_check run(std::string_view yaml) {
    YAML::Node root;
    try {
      root = detail::load_yaml(yaml);
    } catch (const detail::yaml_limit_error& e) {
      add(e.mark, e.msg);
      return finish();
    } catch (const YAML::ParserException& e) {
      add(e.mark, fmt::format("invalid YAML: {}", e.msg));
      return finish();
    }
    if (!root.IsMap()) {
      add(root.Mark(), "a framework is a YAML mapping with 'id', 'title', 'groups' and 'themes'");
      return finish();
    }
    check_keys(root, kTopKeys, "framework");
    fw_.id = scalar(root, "id", true, "framework");
    if (!fw_.id.empty() && !valid_id(fw_.id)) bad_id(root["id"], fw_.id);
    fw_.title = scalar(root, "title", true, "framework");
    fw_.description = scalar(root, "description", false, "framework");
    fw_.source = scalar(root, "source", false, "framework");
    if (const auto groups = root["groups"]) read_groups(groups);
    const auto themes = root["themes"];
    if (!themes) {
      add(root.Mark(), "missing 'themes': a framework needs at least one theme");
    } else if (!themes.IsSequence() || themes.size() == 0) {
      add(themes.Mark(), "'themes' must be a non-empty list of themes");
    } else {
      read_codes(themes, -1, "");
    }
    if (const auto queries = root["queries"]) read_queries(queries);
    return finish();
  }

 private:
  void add(const YAML::Mark& mark, std::string message) {
    location where{file_, mark.is_null() ? 0 : static_cast<std::size_t>(mark.line + 1),
                   mark.is_null() ? 0 : static_cast<std::size_t>(mark.column + 1)};
    problems_.push_back({std::move(where), std::move(message)});
  }

  framework_check finish() {
    std::stable_sort(problems_.begin(), problems_.end(), [](const problem& a, const problem& b) {
      return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    framework_check out;
    out.problems = std::move(problems_);
    if (out.problems.empty()) out.result = std::move(fw_);
    return out;
  }

  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                  std::string_view what) {
    for (const auto& kv : map) {
      const auto key = kv.first.as<std::string>("");
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string message = fmt::format("unknown key '{}' in {}", key, what);
      if (const auto m = closest_match(key, allowed); !m.empty())
        message += fmt::format("; did you mean '{}'?", m);
      else
        message += fmt::format(" (allowed: {})", fmt::join(allowed, ", "));
      add(kv.first.Mark(), std::move(message));
    }
  }

  std::string scalar(const YAML::Node& map, const char* key, bool required, std::string_view what) {
    const auto node = map[key];
    if (!node || node.IsNull()) {
      if (required) add(map.Mark(), fmt::format("{} has no '{}'", what, key));
      return {};
    }
    if (!node.IsScalar()) {
      add(node.Mark(), fmt::format("'{}' must be text", key));
      return {};
    }
    auto value = node.as<std::string>();
    if (required && value.empty()) add(node.Mark(), fmt::format("{} has an empty '{}'", what, key));
    return value;
  }

  // queries: [{name: NAME, expression: EXPR}, ...]; the expressions are checked by the
  // caller, which knows the query language.
  void read_queries(const YAML::Node& list) {
    if (!list.IsSequence()) {
      add(list.Mark(), "'queries' must be a list of {name: NAME, expression: EXPR}");
      return;
    }
    std::set<std::string> seen;
    for (const auto& node : list) {
      if (!node.IsMap()) {
        add(node.Mark(), "a saved query is a mapping {name: NAME, expression: EXPR}");
        continue;
      }
      check_keys(node, kQueryKeys, "a saved query");
      named_query q;
      q.name = scalar(node, "name", true, "a saved query");
      q.expression = scalar(node, "expression", true, "a saved query");
      if (!q.name.empty() && !valid_query_name(q.name))
        add(node["name"].Mark(),
            fmt::format("bad query name '{}': use a letter followed by letters, digits, '_', "
                        "'-' or '.' (at most 100)",
                        q.name));
      else if (!q.name.empty() && !seen.insert(q.name).second)
        add(node["name"].Mark(), fmt::format("the query name '{}' is used twice", q.name));
      if (const auto e = node["expression"]; e && e.IsScalar()) {
        q.line = static_cast<std::size_t>(e.Mark().line + 1);
        q.column = static_cast<std::size_t>(e.Mark().column + 1);
      }
      fw_.queries.push_back(std::move(q));
    }
  }

  void bad_id(const YAML::Node& node, std::string_view id) {
    add(node.Mark(),
        fmt::format("malformed id '{}': use lowercase letters, digits, '_' or '-', starting "
                    "with a letter",
                    id));
  }

  // renamed_from names a full id: dot-separated local ids, each well formed, and no two
  // codes may take over the same one.
  void check_renamed_from(const YAML::Node& node, const code& c) {
    const std::string_view from = c.renamed_from;
    std::size_t at = 0;
    bool ok = true;
    while (ok) {
      const auto dot = from.find('.', at);
      ok = valid_id(
          from.substr(at, dot == std::string_view::npos ? std::string_view::npos : dot - at));
      if (dot == std::string_view::npos) break;
      at = dot + 1;
    }
    if (!ok) {
      add(node.Mark(),
          fmt::format("malformed renamed_from '{}': give the code's old full id, local ids "
                      "joined by '.', e.g. 'choice.informed'",
                      c.renamed_from));
      return;
    }
    const auto [it, inserted] = renamed_.emplace(c.renamed_from, c.id);
    if (!inserted)
      add(node.Mark(), fmt::format("'{}' is renamed twice: to '{}' and to '{}'", c.renamed_from,
                                   it->second, c.id));
  }

  void read_groups(const YAML::Node& groups) {
    if (!groups.IsMap()) {
      add(groups.Mark(), "'groups' must be a mapping with 'attribute' and 'values'");
      return;
    }
    check_keys(groups, kGroupsKeys, "groups");
    fw_.group_attribute = scalar(groups, "attribute", true, "groups");
    const auto values = groups["values"];
    if (!values) {
      add(groups.Mark(), "groups has no 'values': list each group as {id: ..., label: ...}");
      return;
    }
    if (!values.IsSequence()) {
      add(values.Mark(), "'values' must be a list of {id: ..., label: ...}");
      return;
    }
    std::set<std::string> seen;
    for (const auto& value : values) {
      if (!value.IsMap()) {
        add(value.Mark(), "a group must be a mapping {id: ..., label: ...}");
        continue;
      }
      check_keys(value, kGroupKeys, "group");
      group g{scalar(value, "id", true, "group"), scalar(value, "label", true, "group")};
      if (g.id.empty()) continue;
      if (!seen.insert(g.id).second)
        add(value["id"].Mark(), fmt::format("duplicate group id '{}'", g.id));
      fw_.groups.push_back(std::move(g));
    }
  }

  void read_codes(const YAML::Node& list, int parent, const std::string& prefix) {
    std::set<std::string> seen;
    const int depth = parent < 0 ? 0 : fw_.codes[static_cast<std::size_t>(parent)].depth + 1;
    const std::string_view what = depth == 0 ? "theme" : "code";
    for (const auto& node : list) {
      if (!node.IsMap()) {
        add(node.Mark(), fmt::format("a {} must be a mapping with 'id' and 'label'", what));
        continue;
      }
      check_keys(node, kCodeKeys, what);
      code c;
      c.local_id = scalar(node, "id", true, what);
      const std::string named = c.local_id.empty()
                                    ? std::string(what)
                                    : fmt::format("{} '{}{}'", what, prefix, c.local_id);
      if (!c.local_id.empty() && !valid_id(c.local_id)) bad_id(node["id"], c.local_id);
      if (!c.local_id.empty() && !seen.insert(c.local_id).second)
        add(node["id"].Mark(), fmt::format("duplicate id '{}{}'", prefix, c.local_id));
      c.id = prefix + c.local_id;
      c.label = scalar(node, "label", true, named);
      c.description = scalar(node, "description", false, named);
      c.include = scalar(node, "include", false, named);
      c.exclude = scalar(node, "exclude", false, named);
      c.example = scalar(node, "example", false, named);
      c.color = scalar(node, "color", false, named);
      if (!c.color.empty() && !valid_color(c.color))
        add(node["color"].Mark(), fmt::format("malformed color '{}': use #rrggbb", c.color));
      c.renamed_from = scalar(node, "renamed_from", false, named);
      if (!c.renamed_from.empty()) check_renamed_from(node["renamed_from"], c);
      c.parent = parent;
      c.depth = depth;
      const int index = static_cast<int>(fw_.codes.size());
      fw_.codes.push_back(c);
      const auto children = node["codes"];
      if (!children || children.IsNull() || (children.IsSequence() && children.size() == 0)) {
        if (depth == 0)
          add(node.Mark(),
              fmt::format("{} has no codes: list its sub-themes under 'codes'", named));
      } else if (!children.IsSequence()) {
        add(children.Mark(), "'codes' must be a list of codes");
      } else {
        read_codes(children, index, c.id + ".");
      }
    }
  }

  std::string file_;
  framework fw_;
  std::map<std::string, std::string> renamed_;  // renamed_from -> the code that claims it
  std::vector<problem> problems_;
};

void emit_code_fields(YAML::Emitter& out, const code& c) {
  out << YAML::Key << "id" << YAML::Value << c.local_id;
  out << YAML::Key << "label" << YAML::Value << c.label;
  for (const auto& [key, value] : {std::pair{"description", &c.description},
                                   {"include", &c.include},
                                   {"exclude", &c.exclude},
                                   {"example", &c.example},
                                   {"color", &c.color},
                                   {"renamed_from", &c.renamed_from}}) {
    if (!value->empty()) out << YAML::Key << key << YAML::Value << *value;
  }
}

void emit_children(YAML::Emitter& out, const framework& fw, int parent) {
  for (std::size_t i = 0; i < fw.codes.size(); ++i) {
    const auto& c = fw.codes[i];
    if (c.parent != parent) continue;
    out << YAML::BeginMap;
    emit_code_fields(out, c);
    const bool has_children = std::any_of(fw.codes.begin(), fw.codes.end(), [&](const code& x) {
      return x.parent == static_cast<int>(i);
    });
    if (has_children) {
      out << YAML::Key << "codes" << YAML::Value << YAML::BeginSeq;
      emit_children(out, fw, static_cast<int>(i));
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
}

}  // namespace

std::optional<std::size_t> framework::find(std::string_view code_id) const {
  for (std::size_t i = 0; i < codes.size(); ++i)
    if (codes[i].id == code_id) return i;
  return std::nullopt;
}

std::vector<std::string> framework::ids() const {
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (const auto& c : codes) out.push_back(c.id);
  return out;
}

bool valid_query_name(std::string_view name) {
  if (name.empty() || name.size() > 100 || !std::isalpha(static_cast<unsigned char>(name[0])))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool valid_local_id(std::string_view id) {
  return valid_id(id);
}

std::size_t add_code(framework& fw, code k, std::string_view parent) {
  if (!valid_id(k.local_id))
    throw input_error(fmt::format(
        "malformed code id '{}': use a lower-case letter, then lower-case letters, digits, "
        "'_' or '-'",
        k.local_id));
  std::size_t at = fw.codes.size();  // after the parent's last descendant
  if (parent.empty()) {
    k.id = k.local_id;
    k.parent = -1;
    k.depth = 0;
  } else {
    const auto p = fw.find(parent);
    if (!p) throw input_error(unknown_message("parent code", parent, "", fw.ids()));
    k.id = fmt::format("{}.{}", parent, k.local_id);
    k.parent = static_cast<int>(*p);
    k.depth = fw.codes[*p].depth + 1;
    at = *p + 1;
    while (at < fw.codes.size() && fw.contains(*p, at)) ++at;
  }
  if (fw.find(k.id)) throw input_error(fmt::format("there is already a code '{}'", k.id));
  // Indices after the insertion point move one down: fix the parents that point there.
  for (auto& other : fw.codes)
    if (other.parent >= static_cast<int>(at)) ++other.parent;
  fw.codes.insert(fw.codes.begin() + static_cast<std::ptrdiff_t>(at), std::move(k));
  return at;
}

bool framework::contains(std::size_t ancestor, std::size_t descendant) const {
  int at = static_cast<int>(descendant);
  while (at >= 0) {
    if (static_cast<std::size_t>(at) == ancestor) return true;
    at = codes[static_cast<std::size_t>(at)].parent;
  }
  return false;
}

framework_check check_framework(std::string_view yaml, std::string_view file) {
  return checker(file).run(yaml);
}

framework load_framework(const std::string& path) {
  auto checked = check_framework(read_file(path), path);
  if (!checked.result) {
    const auto n = checked.problems.size();
    auto what = fmt::format("{}: {} in framework", path, plural(n, "problem", "problems"));
    throw problems_error(what, std::move(checked.problems));
  }
  return std::move(*checked.result);
}

std::string framework_to_yaml(const framework& fw) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << fw.id;
  out << YAML::Key << "title" << YAML::Value << fw.title;
  if (!fw.description.empty()) out << YAML::Key << "description" << YAML::Value << fw.description;
  if (!fw.source.empty()) out << YAML::Key << "source" << YAML::Value << fw.source;
  out << YAML::Key << "groups" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "attribute" << YAML::Value << fw.group_attribute;
  out << YAML::Key << "values" << YAML::Value << YAML::BeginSeq;
  for (const auto& g : fw.groups) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "id" << YAML::Value << g.id << YAML::Key
        << "label" << YAML::Value << g.label << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  out << YAML::Key << "themes" << YAML::Value << YAML::BeginSeq;
  emit_children(out, fw, -1);
  out << YAML::EndSeq;
  if (!fw.queries.empty()) {
    out << YAML::Key << "queries" << YAML::Value << YAML::BeginSeq;
    for (const auto& q : fw.queries)
      out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << q.name << YAML::Key
          << "expression" << YAML::Value << q.expression << YAML::EndMap;
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace coding
