#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <coding/codings.hpp>
#include <coding/error.hpp>
#include <coding/exchange.hpp>
#include <coding/project.hpp>

#include "test_support.hpp"

namespace {

// The mini framework (tests/fixtures/mini/framework.yaml) with `themes` replaced.
std::string mini_yaml(
    const std::string& themes,
    const std::string& title = "Minimal framework for the hand-worked matrix tests") {
  return "id: mini\ntitle: " + title +
         "\ngroups:\n  attribute: group\n  values:\n    - {id: staff, label: Staff}\n"
         "    - {id: client, label: Clients}\nthemes:\n" +
         themes;
}

const std::string kThemes =
    "  - id: a\n    label: Theme A\n    codes:\n      - {id: x, label: Code A.x}\n"
    "      - {id: y, label: Code A.y}\n  - id: b\n    label: Theme B\n    codes:\n"
    "      - {id: z, label: Code B.z}\n";

coding::framework parse(const std::string& yaml) {
  auto checked = coding::check_framework(yaml, "new.yaml");
  for (const auto& p : checked.problems) INFO(p.message);
  REQUIRE(checked.result);
  return *checked.result;
}

// The mini project: its framework, three transcripts and the eight codings of
// tests/fixtures/mini/codings.csv (a.x: 3, a.y: 2, b.z: 3).
coding::project mini_project(const test::temp_dir& dir) {
  const auto fw = coding::load_framework(test::fixture("mini/framework.yaml"));
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  std::vector<coding::document> docs;
  for (const char* name : {"I1.txt", "G1.txt", "I2.txt"})
    docs.push_back(coding::load_transcript(test::fixture(std::string("mini/") + name)));
  p.documents().add(docs);
  p.codings().add(coding::read_codings(test::fixture("mini/codings.csv")));
  return p;
}

std::string state(const coding::project& p) {
  std::string out = coding::framework_to_yaml(*p.get_framework());
  for (const auto& c : p.codings().list())
    out += fmt::format("{} {} {}:{} {} {} {} {}\n", c.id, c.doc, c.start, c.end, c.code, c.coder,
                       c.memo, c.created);
  return out;
}

std::size_t codings_of(const coding::project& p, const std::string& code) {
  const auto all = p.codings().list();
  return static_cast<std::size_t>(
      std::count_if(all.begin(), all.end(), [&](const auto& c) { return c.code == code; }));
}

std::vector<std::string> ids(const coding::project& p) {
  return p.get_framework()->ids();
}

std::vector<std::string> ids_of(const std::vector<coding::code_diff>& list) {
  std::vector<std::string> out;
  for (const auto& d : list) out.push_back(d.id);
  return out;
}

const std::string kWithoutY =
    "  - id: a\n    label: Theme A\n    codes:\n      - {id: x, label: Code A.x}\n"
    "  - id: b\n    label: Theme B\n    codes:\n      - {id: z, label: Code B.z}\n";

}  // namespace

TEST_CASE("an unchanged framework changes nothing and records no history") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto before = p.history().entries().size();
  const auto d = p.update_framework(parse(mini_yaml(kThemes)));
  CHECK(d.empty());
  CHECK(p.history().entries().size() == before);
}

TEST_CASE("framework update adds a code in the new order") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto d = p.update_framework(parse(
      mini_yaml("  - id: a\n    label: Theme A\n    codes:\n      - {id: v, label: Code A.v}\n"
                "      - {id: x, label: Code A.x}\n      - {id: y, label: Code A.y}\n  - id: b\n   "
                " label: Theme B\n"
                "    codes:\n      - {id: z, label: Code B.z}\n")));
  CHECK(ids_of(d.added) == std::vector<std::string>{"a.v"});
  CHECK(d.reordered.empty());
  CHECK(d.removed.empty());
  CHECK(ids(p) == std::vector<std::string>{"a", "a.v", "a.x", "a.y", "b", "b.z"});
  const auto fw = *p.get_framework();
  CHECK(fw.codes[1].parent == 0);
  CHECK(fw.codes[1].depth == 1);
  CHECK(p.codings().list().size() == 8);
}

TEST_CASE("framework update relabels, edits and reorders codes and retitles the framework") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto d = p.update_framework(parse(mini_yaml(
      "  - id: a\n    label: Theme A\n    codes:\n      - {id: y, label: Code A.y}\n"
      "      - {id: x, label: Informed choice, color: \"#ff0000\", include: any mention}\n"
      "  - id: b\n    label: Theme B\n    codes:\n      - {id: z, label: Code B.z}\n",
      "Second version")));
  REQUIRE(d.relabelled.size() == 1);
  CHECK(d.relabelled[0].id == "a.x");
  CHECK(d.relabelled[0].old_label == "Code A.x");
  CHECK(d.relabelled[0].label == "Informed choice");
  CHECK(d.edited == std::vector<std::string>{"a.x"});
  CHECK(d.reordered == std::vector<std::string>{"a"});
  CHECK(d.framework_fields == std::vector<std::string>{"title"});
  const auto fw = *p.get_framework();
  CHECK(fw.title == "Second version");
  CHECK(fw.ids() == std::vector<std::string>{"a", "a.y", "a.x", "b", "b.z"});
  CHECK(fw.codes[2].label == "Informed choice");
  CHECK(fw.codes[2].color == "#ff0000");
  CHECK(fw.codes[2].include == "any mention");
  CHECK(codings_of(p, "a.x") == 3);
}

TEST_CASE("a code moved under another theme with renamed_from keeps its codings") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto d = p.update_framework(parse(
      mini_yaml("  - id: a\n    label: Theme A\n    codes:\n      - {id: x, label: Code A.x}\n"
                "  - id: b\n    label: Theme B\n    codes:\n      - {id: z, label: Code B.z}\n"
                "      - {id: y, label: Code B.y, renamed_from: a.y}\n")));
  REQUIRE(d.moved.size() == 1);
  CHECK(d.moved[0].old_id == "a.y");
  CHECK(d.moved[0].id == "b.y");
  CHECK(d.moved[0].codings == 2);
  CHECK(d.removed.empty());
  const auto fw = *p.get_framework();
  CHECK(fw.ids() == std::vector<std::string>{"a", "a.x", "b", "b.z", "b.y"});
  CHECK(fw.codes[4].parent == 2);
  CHECK(fw.codes[4].depth == 1);
  CHECK(codings_of(p, "b.y") == 2);
  CHECK(codings_of(p, "a.y") == 0);
  CHECK(p.check().empty());
}

TEST_CASE("the children of a renamed theme follow it with their codings") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto d = p.update_framework(parse(
      mini_yaml("  - id: c\n    label: Theme C\n    renamed_from: a\n    codes:\n      - {id: x, "
                "label: Code A.x}\n"
                "      - {id: y, label: Code A.y}\n  - id: b\n    label: Theme B\n    codes:\n"
                "      - {id: z, label: Code B.z}\n")));
  CHECK(ids_of(d.renamed) == std::vector<std::string>{"c", "c.x", "c.y"});
  CHECK(d.renamed[1].codings == 3);
  CHECK(d.moved.empty());
  CHECK(d.removed.empty());
  CHECK(ids(p) == std::vector<std::string>{"c", "c.x", "c.y", "b", "b.z"});
  CHECK(codings_of(p, "c.x") == 3);
  CHECK(codings_of(p, "c.y") == 2);
  CHECK(p.check().empty());
}

TEST_CASE("removing a code that has codings is refused and changes nothing") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto before = state(p);
  const auto entries = p.history().entries().size();
  CHECK_THROWS_WITH_AS(
      p.update_framework(parse(mini_yaml(kWithoutY))),
      doctest::Contains("'a.y' (2 codings); move them to another code with --merge-into"),
      coding::input_error);
  CHECK(state(p) == before);
  CHECK(p.history().entries().size() == entries);
}

TEST_CASE("merge_into moves the codings of a removed code and drops duplicates") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  // A third a.y coding on the same passage as an a.x one (I1 12:30 by x).
  auto extra = coding::read_codings(test::fixture("mini/codings.csv"));
  extra.resize(1);
  extra[0].code = "a.y";
  p.codings().add(extra);
  coding::framework_update_options o;
  o.merge_into = "a.x";
  const auto d = p.update_framework(parse(mini_yaml(kWithoutY)), o);
  REQUIRE(d.removed.size() == 1);
  CHECK(d.removed[0].id == "a.y");
  CHECK(d.removed[0].codings == 3);
  CHECK(d.codings_merged == 2);
  CHECK(d.duplicates == 1);
  CHECK(codings_of(p, "a.x") == 5);
  CHECK(p.codings().list().size() == 8);
  CHECK(ids(p) == std::vector<std::string>{"a", "a.x", "b", "b.z"});
}

TEST_CASE("drop_codings deletes the codings of a removed code") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  coding::framework_update_options o;
  o.drop_codings = true;
  const auto d = p.update_framework(parse(mini_yaml(kWithoutY)), o);
  CHECK(d.codings_dropped == 2);
  CHECK(p.codings().list().size() == 6);
  CHECK(p.check().empty());
}

TEST_CASE("a dry run reports the difference and changes nothing") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto before = state(p);
  const auto entries = p.history().entries().size();
  coding::framework_update_options o;
  o.dry_run = true;
  const auto d = p.update_framework(parse(mini_yaml(kWithoutY)), o);  // not refused: only a report
  REQUIRE(d.removed.size() == 1);
  CHECK(d.removed[0].codings == 2);
  CHECK(state(p) == before);
  CHECK(p.history().entries().size() == entries);
}

TEST_CASE("undo restores the exact framework and codings from before an update") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto before = state(p);
  coding::framework_update_options o;
  o.merge_into = "b.z";
  const auto yaml =
      "id: mini\ntitle: Third\ngroups:\n  attribute: group\n  values:\n    - {id: client, label: "
      "Customers}\n"
      "themes:\n  - id: b\n    label: Theme B\n    codes:\n      - {id: z, label: Zed}\n"
      "      - {id: w, label: Code B.w, renamed_from: a.x}\n  - id: n\n    label: New\n    codes:\n"
      "      - {id: m, label: M}\n";
  p.update_framework(parse(yaml), o);
  const auto after = state(p);
  CHECK(after != before);
  CHECK(codings_of(p, "b.w") == 3);
  CHECK(codings_of(p, "b.z") == 5);
  CHECK(p.get_framework()->groups.size() == 1);
  const auto undone = p.history().undo();
  CHECK(undone[0].summary.find("codes") != std::string::npos);
  CHECK(state(p) == before);
  CHECK(p.check().empty());
  p.history().redo();
  CHECK(state(p) == after);
}

TEST_CASE("renamed_from and the update options are checked") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto before = state(p);
  CHECK_THROWS_WITH_AS(
      p.update_framework(
          parse(mini_yaml(kThemes + "  - id: c\n    label: C\n    codes:\n"
                                    "      - {id: q, label: Q, renamed_from: a.xx}\n"))),
      doctest::Contains("unknown code 'a.xx' (renamed_from of 'c.q'); did you mean 'a.x'?"),
      coding::input_error);
  CHECK_THROWS_WITH_AS(p.update_framework(parse(
                           mini_yaml(kThemes + "  - id: c\n    label: C\n    codes:\n"
                                               "      - {id: q, label: Q, renamed_from: a.x}\n"))),
                       doctest::Contains("the new framework still has 'a.x'"), coding::input_error);
  coding::framework_update_options o;
  o.merge_into = "a.y";
  CHECK_THROWS_WITH_AS(p.update_framework(parse(mini_yaml(kWithoutY)), o),
                       doctest::Contains("unknown code 'a.y' (--merge-into)"), coding::input_error);
  o.merge_into = "a.x";
  o.drop_codings = true;
  CHECK_THROWS_WITH_AS(p.update_framework(parse(mini_yaml(kWithoutY)), o),
                       doctest::Contains("not both"), coding::input_error);
  CHECK(state(p) == before);
}

TEST_CASE("the checker accepts renamed_from only as a well-formed full id, once") {
  auto checked = coding::check_framework(
      mini_yaml(
          "  - id: a\n    label: A\n    codes:\n      - {id: x, label: X, renamed_from: Old.X}\n"
          "      - {id: y, label: Y, renamed_from: b.z}\n      - {id: w, label: W, renamed_from: "
          "b.z}\n"
          "      - {id: v, label: V, renamed_frm: b.q}\n"),
      "f.yaml");
  REQUIRE(checked.problems.size() == 3);
  CHECK(checked.problems[0].message.find("malformed renamed_from 'Old.X'") != std::string::npos);
  CHECK(checked.problems[1].message == "'b.z' is renamed twice: to 'a.y' and to 'a.w'");
  CHECK(checked.problems[2].message ==
        "unknown key 'renamed_frm' in code; did you mean 'renamed_from'?");
  const auto ok = parse(mini_yaml(
      "  - id: a\n    label: A\n    codes:\n      - {id: x, label: X, renamed_from: c.d-e.f_1}\n"));
  CHECK(ok.codes[1].renamed_from == "c.d-e.f_1");
}

TEST_CASE("framework_to_yaml round-trips every field") {
  const auto fw = parse(
      "id: tricky\ntitle: \"null\"\ndescription: \"Line one\\nline two: with a colon\"\nsource: "
      "\"# not a comment\"\n"
      "groups:\n  attribute: role\n  values:\n    - {id: yes, label: \"~\"}\n    - {id: 'no', "
      "label: \"true\"}\n"
      "themes:\n  - id: a\n    label: \"'quoted' and \\\"double\\\"\"\n    description: \"  "
      "leading spaces\"\n"
      "    include: \"- a dash\"\n    exclude: \"[not a list]\"\n    example: \"{not: a map}\"\n"
      "    color: \"#00ff7f\"\n    renamed_from: old.a\n    codes:\n      - {id: b, label: "
      "\"1.5\", codes: [{id: c, label: Café}]}\n");
  const auto yaml = coding::framework_to_yaml(fw);
  const auto back = parse(yaml);
  CHECK(coding::framework_to_yaml(back) == yaml);
  CHECK(back.title == "null");
  CHECK(back.description == "Line one\nline two: with a colon");
  CHECK(back.source == "# not a comment");
  CHECK(back.group_attribute == "role");
  REQUIRE(back.groups.size() == 2);
  CHECK(back.groups[0].id == "yes");
  CHECK(back.groups[0].label == "~");
  CHECK(back.groups[1].label == "true");
  REQUIRE(back.codes.size() == 3);
  CHECK(back.codes[0].label == "'quoted' and \"double\"");
  CHECK(back.codes[0].description == "  leading spaces");
  CHECK(back.codes[0].include == "- a dash");
  CHECK(back.codes[0].exclude == "[not a list]");
  CHECK(back.codes[0].example == "{not: a map}");
  CHECK(back.codes[0].color == "#00ff7f");
  CHECK(back.codes[0].renamed_from == "old.a");
  CHECK(back.codes[1].label == "1.5");
  CHECK(back.codes[2].id == "a.b.c");
  CHECK(back.codes[2].label == "Café");
}
