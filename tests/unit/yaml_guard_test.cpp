// Tests of libcoding/src/yaml_guard.cpp: every YAML the library reads refuses anchor
// cycles, deep nesting and aliases that expand too far, at the place they occur.

#include "yaml_guard.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "coding/codings.hpp"
#include "coding/document.hpp"
#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/framework.hpp"
#include "test_support.hpp"

using coding::detail::kYamlMaxAliasNodes;
using coding::detail::kYamlMaxDepth;
using coding::detail::load_yaml;
using coding::detail::yaml_limit_error;

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// The only problem of a framework check, as "line:column: message".
std::string only_problem(const coding::framework_check& check) {
  REQUIRE(check.problems.size() == 1);
  const auto& p = check.problems[0];
  return std::to_string(p.where.line) + ":" + std::to_string(p.where.column) + ": " + p.message;
}

}  // namespace

TEST_CASE("the limits are the documented ones") {
  CHECK(kYamlMaxDepth == 64);
  CHECK(kYamlMaxAliasNodes == 100000);
}

TEST_CASE("a framework whose anchors form a cycle is refused at the alias") {
  // Line 6 is "    codes: *t": 4 spaces and "codes: " (7) put the '*' in column 12.
  // Before the guard, reading it recursed until the stack overflowed.
  const auto path = test::fixture("broken/framework-anchor-cycle.yaml");
  const auto check = coding::check_framework(coding::read_file(path), "cyc.yaml");
  CHECK_FALSE(check.result);
  CHECK(only_problem(check) ==
        "6:12: alias '*t' refers to a node that contains it (an anchor cycle); write the "
        "repeated part out instead of the alias");
  try {
    coding::load_framework(path);
    FAIL("no exception thrown");
  } catch (const coding::problems_error& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].str().find("framework-anchor-cycle.yaml:6:12: alias '*t'") !=
          std::string::npos);
  }
}

TEST_CASE("a billion-laughs framework is refused at the alias that passes the limit") {
  // Level 0 is a list of 10 codes {id, label}: 1 + 10 x 5 = 51 nodes. Each later level k
  // is a list of 10 codes {id, label, codes: *c(k-1)}: 1 + 10 x (6 + nodes of k-1), so
  // level 1 is 571, level 2 5,771 and level 3 57,771 nodes. Aliases repeat 10 x 51 = 510
  // nodes in level 1, 5,710 in level 2 and 57,710 in level 3: 63,930 in all, and the
  // first alias of level 4 adds 57,771, passing 100,000. Level 4 is on line 8:
  // "  - {id: t4, label: T, codes: &c4 [{id: a0, label: A, codes: *c3}"
  // (5 + 8 + 10 + 12 + 9 + 10 + 7 = 61 characters before the '*').
  // Before the guard it loaded as 5 themes with 10 + 110 + 1,110 + 11,110 + 111,110 codes.
  std::string yaml = "id: lol\ntitle: t\nthemes:\n";
  for (int level = 0; level <= 4; ++level) {
    const auto k = std::to_string(level);
    yaml += "  - {id: t" + k + ", label: T, codes: &c" + k + " [";
    for (int i = 0; i < 10; ++i) {
      yaml += (i ? ", " : "") + std::string("{id: a") + std::to_string(i) + ", label: A";
      if (level > 0) yaml += ", codes: *c" + std::to_string(level - 1);
      yaml += "}";
    }
    yaml += "]}\n";
  }
  const auto check = coding::check_framework(yaml, "lol.yaml");
  CHECK(only_problem(check) ==
        "8:62: alias '*c3' makes aliases repeat more than 100000 nodes in all (limit 100000); "
        "write the repeated parts out or use fewer aliases");
}

TEST_CASE("a framework nested deeper than the limit is refused at the first node too deep") {
  // Code level k (the theme is level 1) starts on line 3k + 1 with "- id:" indented
  // 2 + 4(k - 1), so its mapping starts in column 4k + 1, at depth 2k + 1 (the root
  // mapping is 1, themes 2). Level 32 is the first past 64: line 97, column 129.
  std::string yaml = "id: deep\ntitle: t\nthemes:\n";
  for (std::size_t k = 1; k <= 40; ++k) {
    const std::string indent(2 + 4 * (k - 1), ' ');
    yaml += indent + "- id: c" + std::to_string(k) + "\n";
    yaml += indent + "  label: L\n";
    if (k < 40) yaml += indent + "  codes:\n";
  }
  const auto check = coding::check_framework(yaml, "deep.yaml");
  CHECK(only_problem(check) ==
        "97:129: nesting deeper than 64 levels (the limit); write it with less nesting");
}

TEST_CASE("a framework may share a list of codes through an anchor") {
  const auto check = coding::check_framework(
      "id: shared\ntitle: t\nthemes:\n"
      "  - id: a\n    label: A\n    codes: &both\n      - id: yes\n        label: Y\n"
      "  - id: b\n    label: B\n    codes: *both\n",
      "shared.yaml");
  REQUIRE(check.result);
  CHECK(check.result->find("a.yes"));
  CHECK(check.result->find("b.yes"));
}

TEST_CASE("front matter that aliases itself is refused at its line in the file") {
  // The front matter starts on line 2; line 3 is "cases: &c {p1: *c}", whose '*' is the
  // 16th character.
  const std::string text = "---\ntitle: T\ncases: &c {p1: *c}\n---\nA: hello\n";
  CHECK_THROWS_WITH_AS(coding::parse_transcript(text, "t.txt"),
                       doctest::Contains("front matter: alias '*c' refers to a node that "
                                         "contains it (an anchor cycle)"),
                       coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::parse_transcript(text, "t.txt"); });
  CHECK(where.file == "t.txt");
  CHECK(where.line == 3);
  CHECK(where.column == 16);
}

TEST_CASE("a codings JSON file with an anchor cycle is refused at the alias") {
  // JSON is read as YAML, so anchors work in it. Line 2 is "  doc: [*x]": '*' in column 9.
  const test::temp_dir dir;
  const auto path = dir.file("codings.json");
  std::ofstream(path) << "- &x\n  doc: [*x]\n";
  CHECK_THROWS_WITH_AS(coding::read_codings(path), doctest::Contains("an anchor cycle"),
                       coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::read_codings(path); });
  CHECK(where.file == path);
  CHECK(where.line == 2);
  CHECK(where.column == 9);
}

TEST_CASE("nesting is accepted up to the limit and refused one level past it") {
  // n empty brackets nest n levels; the 65th '[' is in column 65.
  CHECK_NOTHROW(load_yaml(repeat("[", 64) + repeat("]", 64)));
  try {
    load_yaml(repeat("[", 65) + repeat("]", 65));
    FAIL("no exception thrown");
  } catch (const yaml_limit_error& e) {
    CHECK(e.mark.line == 0);
    CHECK(e.mark.column == 64);
    CHECK(e.msg.find("nesting deeper than 64 levels") != std::string::npos);
  }
}

TEST_CASE("an alias counts the levels of the node it repeats") {
  // '*a' stands for 40 levels; it sits inside the root mapping (1) and 30 lists: 71.
  // Line 2 is "b: " and 30 '[' before it: column 34.
  const auto yaml = "a: &a " + repeat("[", 40) + repeat("]", 40) + "\nb: " + repeat("[", 30) +
                    "*a" + repeat("]", 30) + "\n";
  try {
    load_yaml(yaml);
    FAIL("no exception thrown");
  } catch (const yaml_limit_error& e) {
    CHECK(e.mark.line == 1);
    CHECK(e.mark.column == 33);
    CHECK(e.msg ==
          "alias '*a' nests the document 71 levels deep (limit 64); write it with less "
          "nesting");
  }
}

TEST_CASE("aliases may repeat 100000 nodes in all but not one more") {
  // '&a' is a list of 9 numbers: 10 nodes, so 10,000 aliases repeat exactly 100,000.
  // The 10,001st alias is the first past: "b: [" then 10,000 times "*a, " puts it in
  // column 4 + 40,000 + 1.
  const std::string head = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [";
  auto aliases = [](std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i ? ", *a" : "*a";
    return out;
  };
  const auto ok = load_yaml(head + aliases(10000) + "]\n");
  CHECK(ok["b"].size() == 10000);
  CHECK(ok["b"][9999][8].as<int>() == 9);
  try {
    load_yaml(head + aliases(10001) + "]\n");
    FAIL("no exception thrown");
  } catch (const yaml_limit_error& e) {
    CHECK(e.mark.line == 1);
    CHECK(e.mark.column == 40004);
    CHECK(e.msg.find("alias '*a' makes aliases repeat more than 100000 nodes") !=
          std::string::npos);
  }
}

TEST_CASE("invalid YAML is still reported by yaml-cpp as before") {
  CHECK_THROWS_AS(load_yaml("a: b: c\n"), YAML::ParserException);
  CHECK_THROWS_AS(load_yaml("a: *nothing\n"), YAML::ParserException);
}
