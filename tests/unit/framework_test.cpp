// Tests of libcoding/src/framework.cpp: loading, checking and writing frameworks.

#include "coding/framework.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "coding/error.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

// The problems of a check as "line:column: message", for readable failures.
std::vector<std::string> problem_lines(const coding::framework_check& check) {
  std::vector<std::string> out;
  for (const auto& p : check.problems)
    out.push_back(std::to_string(p.where.line) + ":" + std::to_string(p.where.column) + ": " +
                  p.message);
  return out;
}

bool has_problem(const coding::framework_check& check, std::size_t line, std::size_t column,
                 const std::string& part) {
  return std::any_of(check.problems.begin(), check.problems.end(), [&](const coding::problem& p) {
    return p.where.line == line && p.where.column == column &&
           p.message.find(part) != std::string::npos;
  });
}

std::vector<std::string> shipped_frameworks() {
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(test::source("frameworks")))
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path().string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

// A small valid framework with three levels and a local id used under two themes.
constexpr const char* kNested = R"(id: fw
title: Nested
themes:
  - id: a
    label: A
    codes:
      - id: x
        label: X
        codes:
          - {id: deep, label: Deep}
      - {id: y, label: Y}
  - id: b
    label: B
    codes:
      - {id: x, label: Same local id as a.x}
)";

// Prefix of a valid framework, for tests that only vary the groups.
constexpr const char* kThemes = R"(themes:
  - id: a
    label: A
    codes:
      - {id: x, label: X}
)";

}  // namespace

TEST_CASE("every shipped framework loads") {
  const auto paths = shipped_frameworks();
  REQUIRE(paths.size() >= 2);
  for (const auto& path : paths) {
    CAPTURE(path);
    coding::framework fw;
    CHECK_NOTHROW(fw = coding::load_framework(path));
    CHECK(!fw.id.empty());
    CHECK(!fw.title.empty());
    CHECK(!fw.groups.empty());
    CHECK(!fw.codes.empty());
  }
}

TEST_CASE("provider-led-pathways has its seven themes and three groups") {
  const auto fw = coding::load_framework(test::source("frameworks/provider-led-pathways.yaml"));
  CHECK(fw.id == "provider-led-pathways");
  std::vector<std::string> themes;
  for (const auto& c : fw.codes)
    if (c.depth == 0) themes.push_back(c.id);
  CHECK(themes == std::vector<std::string>{"roles", "information", "choice", "fta", "skills",
                                           "support", "outcomes"});
  CHECK(fw.group_attribute == "group");
  REQUIRE(fw.groups.size() == 3);
  CHECK(fw.groups[0].id == "jcp");
  CHECK(fw.groups[0].label == "JCP staff");
  CHECK(fw.groups[1].id == "provider");
  CHECK(fw.groups[2].id == "customer");
}

TEST_CASE("full ids are dotted paths from the theme down") {
  const auto fw = coding::load_framework(test::source("frameworks/provider-led-pathways.yaml"));
  const auto informed = fw.find("choice.informed");
  REQUIRE(informed);
  const auto& c = fw.codes[*informed];
  CHECK(c.local_id == "informed");
  CHECK(c.depth == 1);
  REQUIRE(c.parent >= 0);
  CHECK(fw.codes[static_cast<std::size_t>(c.parent)].id == "choice");
  CHECK_FALSE(fw.find("informed"));  // a local id alone is not a full id
}

TEST_CASE("nested codes get ids, parents and depths in depth-first order") {
  const auto check = coding::check_framework(kNested, "nested.yaml");
  CHECK(problem_lines(check).empty());
  REQUIRE(check.result);
  const auto& fw = *check.result;
  CHECK(fw.ids() == std::vector<std::string>{"a", "a.x", "a.x.deep", "a.y", "b", "b.x"});
  std::vector<int> parents, depths;
  for (const auto& c : fw.codes) {
    parents.push_back(c.parent);
    depths.push_back(c.depth);
  }
  CHECK(parents == std::vector<int>{-1, 0, 1, 0, -1, 4});
  CHECK(depths == std::vector<int>{0, 1, 2, 1, 0, 1});
  // With no groups given, the grouping attribute defaults to "group".
  CHECK(fw.group_attribute == "group");
  CHECK(fw.groups.empty());
}

TEST_CASE("framework::find returns the index of a full id, or nothing") {
  const auto fw = *coding::check_framework(kNested, "nested.yaml").result;
  CHECK(fw.find("a") == std::optional<std::size_t>(0));
  CHECK(fw.find("a.x.deep") == std::optional<std::size_t>(2));
  CHECK(fw.find("b.x") == std::optional<std::size_t>(5));
  CHECK_FALSE(fw.find("x"));
  CHECK_FALSE(fw.find("a.z"));
  CHECK_FALSE(fw.find(""));
}

TEST_CASE("framework::contains is true for a code and its ancestors only") {
  const auto fw = *coding::check_framework(kNested, "nested.yaml").result;
  // 0 a, 1 a.x, 2 a.x.deep, 3 a.y, 4 b, 5 b.x
  CHECK(fw.contains(0, 0));
  CHECK(fw.contains(0, 2));
  CHECK(fw.contains(1, 2));
  CHECK(fw.contains(4, 5));
  CHECK_FALSE(fw.contains(2, 0));
  CHECK_FALSE(fw.contains(1, 3));
  CHECK_FALSE(fw.contains(0, 5));
}

TEST_CASE("check_framework reports every problem of a file at once, in order") {
  const auto check =
      coding::check_framework(coding::read_file(test::fixture("broken/framework-problems.yaml")),
                              "framework-problems.yaml");
  CHECK_FALSE(check.result);
  // Worked out from the fixture, 1-based: the column is where the offending node starts.
  CHECK(problem_lines(check) ==
        std::vector<std::string>{
            // "id: Bad Framework": the value starts after "id: " (4 characters)
            "1:5: malformed id 'Bad Framework': use lowercase letters, digits, '_' or '-', "
            "starting with a letter",
            // "    - {id: staff, ...": 4 spaces, "- {id: " puts 'staff' at column 12
            "7:12: duplicate group id 'staff'",
            // "    - just-a-string": the scalar after "    - "
            "8:7: a group must be a mapping {id: ..., label: ...}",
            // "  - id: roles": the theme's mapping starts at its first key, column 5
            "10:5: theme 'roles' has no 'label'",
            "11:5: unknown key 'lable' in theme; did you mean 'label'?",
            // "      - id: handover": 'handover' after "      - id: " (12 characters)
            "15:13: duplicate id 'roles.handover'",
            // "  - id: 2choice": the value after "  - id: " (8 characters)
            "17:9: malformed id '2choice': use lowercase letters, digits, '_' or '-', starting "
            "with a letter",
            // "    color: blue": the value after "    color: " (11 characters)
            "19:12: malformed color 'blue': use #rrggbb",
            // "      - id: informed": the mapping starts at "id", column 9
            "21:9: code '2choice.informed' has no 'label'",
            "22:5: theme 'empty' has no codes: list its sub-themes under 'codes'",
        });
  for (const auto& p : check.problems) CHECK(p.where.file == "framework-problems.yaml");
}

TEST_CASE("load_framework throws problems_error listing every problem") {
  const auto path = test::fixture("broken/framework-problems.yaml");
  CHECK_THROWS_WITH_AS(coding::load_framework(path), doctest::Contains("10 problems"),
                       coding::problems_error);
  try {
    coding::load_framework(path);
  } catch (const coding::problems_error& e) {
    CHECK(e.problems().size() == 10);
    CHECK(e.problems().front().where.file == path);
  }
}

TEST_CASE("load_framework of a missing file throws input_error naming it") {
  const test::temp_dir dir;
  const auto path = dir.file("missing.yaml");
  CHECK_THROWS_WITH_AS(coding::load_framework(path), doctest::Contains("missing.yaml"),
                       coding::input_error);
}

TEST_CASE("check_framework reports invalid YAML syntax with its place") {
  // "    label: Roles: who does what": the second ':' is at column 4 + 7 + 5 + 1 = 17.
  const auto check = coding::check_framework(
      coding::read_file(test::fixture("broken/framework-syntax.yaml")), "framework-syntax.yaml");
  CHECK_FALSE(check.result);
  REQUIRE(check.problems.size() == 1);
  CHECK(check.problems[0].where.line == 5);
  CHECK(check.problems[0].where.column == 17);
  CHECK(check.problems[0].message.find("invalid YAML") != std::string::npos);

  // "title: a: b": the second ':' is the 9th character of line 2.
  const auto inline_check = coding::check_framework("id: fw\ntitle: a: b\n", "f.yaml");
  CHECK(problem_lines(inline_check) ==
        std::vector<std::string>{"2:9: invalid YAML: illegal map value"});
}

TEST_CASE("check_framework rejects a document that is not a mapping") {
  const auto check = coding::check_framework("- a\n- b\n", "f.yaml");
  REQUIRE(check.problems.size() == 1);
  CHECK(check.problems[0].where.line == 1);
  CHECK(check.problems[0].message.find("a framework is a YAML mapping") != std::string::npos);
}

TEST_CASE("check_framework reports a missing id, title and themes together") {
  const auto check = coding::check_framework("description: nothing else\n", "f.yaml");
  CHECK(problem_lines(check) == std::vector<std::string>{
                                    "1:1: framework has no 'id'",
                                    "1:1: framework has no 'title'",
                                    "1:1: missing 'themes': a framework needs at least one theme",
                                });
}

TEST_CASE("check_framework rejects an empty list of themes") {
  // "themes: []": the list starts after "themes: " (8 characters).
  const auto check = coding::check_framework("id: fw\ntitle: T\nthemes: []\n", "f.yaml");
  CHECK(problem_lines(check) ==
        std::vector<std::string>{"3:9: 'themes' must be a non-empty list of themes"});
}

TEST_CASE("check_framework suggests the key meant by an unknown key") {
  // 'theme' is one letter short of 'themes', which is then missing too.
  const auto check = coding::check_framework("id: fw\ntitle: T\ntheme: []\n", "f.yaml");
  CHECK(has_problem(check, 3, 1, "unknown key 'theme' in framework; did you mean 'themes'?"));
  CHECK(has_problem(check, 1, 1, "missing 'themes'"));
  CHECK(check.problems.size() == 2);
}

TEST_CASE("check_framework lists the allowed keys when no key is close") {
  const std::string yaml = std::string("id: fw\ntitle: T\n") + R"(themes:
  - id: a
    label: A
    notes: far from every allowed key
    codes:
      - {id: x, label: X}
)";
  const auto check = coding::check_framework(yaml, "f.yaml");
  REQUIRE(check.problems.size() == 1);
  CHECK(check.problems[0].where.line == 6);
  CHECK(check.problems[0].where.column == 5);
  CHECK(check.problems[0].message.find("unknown key 'notes' in theme (allowed: id, label,") == 0);
}

TEST_CASE("check_framework rejects 'codes' that is not a list") {
  const std::string yaml = std::string("id: fw\ntitle: T\n") + R"(themes:
  - id: a
    label: A
    codes: just text
)";
  // "    codes: just text": the value after "    codes: " (11 characters).
  CHECK(problem_lines(coding::check_framework(yaml, "f.yaml")) ==
        std::vector<std::string>{"6:12: 'codes' must be a list of codes"});
}

TEST_CASE("check_framework rejects duplicate theme ids but allows a local id under two themes") {
  const std::string yaml = std::string("id: fw\ntitle: T\n") + R"(themes:
  - id: a
    label: A
    codes:
      - {id: x, label: X}
  - id: a
    label: A again
    codes:
      - {id: x, label: X}
)";
  // "  - id: a" on line 8: the value after "  - id: " (8 characters).
  CHECK(problem_lines(coding::check_framework(yaml, "f.yaml")) ==
        std::vector<std::string>{"8:9: duplicate id 'a'"});
}

TEST_CASE("check_framework rejects groups that is not a mapping") {
  const std::string yaml = std::string("id: fw\ntitle: T\ngroups: [jcp, provider]\n") + kThemes;
  // "groups: [": the list starts after "groups: " (8 characters).
  CHECK(problem_lines(coding::check_framework(yaml, "f.yaml")) ==
        std::vector<std::string>{"3:9: 'groups' must be a mapping with 'attribute' and 'values'"});
}

TEST_CASE("check_framework rejects groups without values") {
  const std::string yaml = std::string("id: fw\ntitle: T\ngroups:\n  attribute: group\n") + kThemes;
  // The groups mapping starts at "attribute", line 4, column 3.
  const auto check = coding::check_framework(yaml, "f.yaml");
  REQUIRE(check.problems.size() == 1);
  CHECK(check.problems[0].where.line == 4);
  CHECK(check.problems[0].where.column == 3);
  CHECK(check.problems[0].message.find("groups has no 'values'") == 0);
}

TEST_CASE("check_framework reports every malformed group at once") {
  const std::string yaml = std::string("id: fw\ntitle: T\n") + R"(groups:
  attribute: group
  values:
    - {id: jcp, label: JCP staff}
    - {id: jcp, label: Again}
    - {id: provider}
    - {label: No id}
)" + kThemes;
  const auto check = coding::check_framework(yaml, "f.yaml");
  // Line 7 "    - {id: jcp, ...": 'jcp' at column 12. Lines 8 and 9: the flow mappings
  // start at '{', column 7.
  CHECK(problem_lines(check) == std::vector<std::string>{
                                    "7:12: duplicate group id 'jcp'",
                                    "8:7: group has no 'label'",
                                    "9:7: group has no 'id'",
                                });
}

TEST_CASE("check_framework rejects a values entry that is not a list") {
  const std::string yaml =
      std::string("id: fw\ntitle: T\ngroups:\n  attribute: group\n  values: jcp\n") + kThemes;
  // "  values: jcp": the value after "  values: " (10 characters).
  CHECK(problem_lines(coding::check_framework(yaml, "f.yaml")) ==
        std::vector<std::string>{"5:11: 'values' must be a list of {id: ..., label: ...}"});
}

TEST_CASE("check_framework accepts a #rrggbb colour and rejects others") {
  const auto with_color = [](const std::string& color) {
    return std::string("id: fw\ntitle: T\n") + "themes:\n  - id: a\n    label: A\n    color: \"" +
           color + "\"\n    codes:\n      - {id: x, label: X}\n";
  };
  const auto good = coding::check_framework(with_color("#4E79a7"), "f.yaml");
  REQUIRE(good.result);
  CHECK(good.result->codes[0].color == "#4E79a7");
  for (const char* bad : {"#4e79a", "4e79a7ff", "#4e79ag", "red"}) {
    CAPTURE(bad);
    // '    color: "' puts the quoted value at column 12 of line 6.
    CHECK(
        has_problem(coding::check_framework(with_color(bad), "f.yaml"), 6, 12, "malformed color"));
  }
}

TEST_CASE("framework_to_yaml writes what load_framework reads back") {
  for (const auto& path : shipped_frameworks()) {
    CAPTURE(path);
    const auto fw = coding::load_framework(path);
    const auto again = coding::check_framework(coding::framework_to_yaml(fw), "written.yaml");
    CHECK(problem_lines(again).empty());
    REQUIRE(again.result);
    const auto& back = *again.result;
    CHECK(back.id == fw.id);
    CHECK(back.title == fw.title);
    CHECK(back.description == fw.description);
    CHECK(back.source == fw.source);
    CHECK(back.group_attribute == fw.group_attribute);
    REQUIRE(back.groups.size() == fw.groups.size());
    for (std::size_t i = 0; i < fw.groups.size(); ++i) {
      CHECK(back.groups[i].id == fw.groups[i].id);
      CHECK(back.groups[i].label == fw.groups[i].label);
    }
    REQUIRE(back.codes.size() == fw.codes.size());
    for (std::size_t i = 0; i < fw.codes.size(); ++i) {
      const auto& a = fw.codes[i];
      const auto& b = back.codes[i];
      CAPTURE(a.id);
      CHECK(b.id == a.id);
      CHECK(b.label == a.label);
      CHECK(b.description == a.description);
      CHECK(b.include == a.include);
      CHECK(b.exclude == a.exclude);
      CHECK(b.example == a.example);
      CHECK(b.color == a.color);
      CHECK(b.parent == a.parent);
      CHECK(b.depth == a.depth);
    }
  }
}

TEST_CASE("framework_to_yaml keeps three levels of codes") {
  const auto fw = *coding::check_framework(kNested, "nested.yaml").result;
  const auto back = coding::check_framework(coding::framework_to_yaml(fw), "written.yaml");
  REQUIRE(back.result);
  CHECK(back.result->ids() == fw.ids());
}

namespace {

// A framework "f" with the given themes (YAML list items).
coding::framework two_themes(const std::string& themes) {
  auto checked = coding::check_framework("id: f\ntitle: F\nthemes:\n" + themes, "f.yaml");
  for (const auto& p : checked.problems) INFO(p.message);
  REQUIRE(checked.result);
  return *checked.result;
}

const std::string kTwoThemes =
    "  - id: a\n    label: Theme A\n    codes:\n      - {id: x, label: Code A.x}\n"
    "      - {id: y, label: Code A.y}\n  - id: b\n    label: Theme B\n    codes:\n"
    "      - {id: z, label: Code B.z}\n";

std::vector<std::string> diff_ids(const std::vector<coding::code_diff>& list) {
  std::vector<std::string> out;
  for (const auto& d : list) out.push_back(d.old_id.empty() ? d.id : d.old_id + ">" + d.id);
  return out;
}

}  // namespace

TEST_CASE("diff_frameworks of a framework and itself is empty") {
  const auto fw = two_themes(kTwoThemes);
  CHECK(coding::diff_frameworks(fw, fw).empty());
}

TEST_CASE("diff_frameworks finds added, removed, relabelled, edited and reordered codes") {
  const auto old = two_themes(kTwoThemes);
  const auto next = two_themes(
      "  - id: a\n    label: Theme A\n    codes:\n"
      "      - {id: y, label: Code A.y, description: new}\n"
      "      - {id: x, label: Code A.ex}\n      - {id: w, label: Code A.w}\n");
  const auto d = coding::diff_frameworks(old, next, {{"b.z", 4}});
  CHECK(diff_ids(d.added) == std::vector<std::string>{"a.w"});
  CHECK(diff_ids(d.removed) == std::vector<std::string>{"b", "b.z"});
  REQUIRE(d.removed.size() == 2);
  CHECK(d.removed[0].codings == 0);
  CHECK(d.removed[1].codings == 4);
  REQUIRE(d.relabelled.size() == 1);
  CHECK(d.relabelled[0].id == "a.x");
  CHECK(d.relabelled[0].old_label == "Code A.x");
  CHECK(d.relabelled[0].label == "Code A.ex");
  CHECK(d.edited == std::vector<std::string>{"a.y"});
  CHECK(d.reordered == std::vector<std::string>{"a"});
  CHECK(d.framework_fields.empty());
}

TEST_CASE("diff_frameworks tells renamed codes from moved ones") {
  const auto old = two_themes(kTwoThemes);
  const auto next = two_themes(
      "  - id: c\n    label: Theme A\n    renamed_from: a\n    codes:\n"
      "      - {id: x, label: Code A.x}\n  - id: b\n    label: Theme B\n    codes:\n"
      "      - {id: z, label: Code B.z}\n      - {id: y, label: Code A.y, renamed_from: a.y}\n");
  const auto d = coding::diff_frameworks(old, next, {{"a.x", 3}, {"a.y", 2}});
  CHECK(diff_ids(d.renamed) == std::vector<std::string>{"a>c", "a.x>c.x"});
  CHECK(d.renamed[1].codings == 3);
  CHECK(diff_ids(d.moved) == std::vector<std::string>{"a.y>b.y"});
  CHECK(d.moved[0].codings == 2);
  CHECK(d.added.empty());
  CHECK(d.removed.empty());
}

TEST_CASE("diff_frameworks lists the changed fields of the framework itself") {
  auto next = two_themes(kTwoThemes);
  next.title = "G";
  next.group_attribute = "role";
  const auto d = coding::diff_frameworks(two_themes(kTwoThemes), next);
  CHECK(d.framework_fields == std::vector<std::string>{"title", "groups"});
}

TEST_CASE("diff_frameworks rejects a renamed_from that names no code of the old framework") {
  const auto old = two_themes(kTwoThemes);
  const auto next = two_themes(
      "  - id: a\n    label: Theme A\n    codes:\n      - {id: x, label: Code A.x}\n"
      "      - {id: v, label: Code A.v, renamed_from: a.q}\n");
  CHECK_THROWS_AS(coding::diff_frameworks(old, next), coding::input_error);
  CHECK_THROWS_WITH(coding::diff_frameworks(old, next),
                    doctest::Contains("renamed_from names a code of the project's framework"));
}
