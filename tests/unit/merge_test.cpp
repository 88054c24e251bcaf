// Blind copies and merges (libcoding/src/store/project_merge.cpp).

#include <doctest/doctest.h>

#include <algorithm>
#include <coding/project.hpp>

#include "mini_study.hpp"
#include "test_support.hpp"

namespace {

using side = coding::merge_options::side;

std::size_t count_by(const coding::project& p, const std::string& coder) {
  const auto all = p.codings().list();
  return static_cast<std::size_t>(
      std::count_if(all.begin(), all.end(), [&](const auto& c) { return c.coder == coder; }));
}

coding::new_coding coding_of(std::string doc, std::size_t start, std::size_t end, std::string code,
                             std::string coder) {
  coding::new_coding c;
  c.doc = std::move(doc);
  c.start = start;
  c.end = end;
  c.code = std::move(code);
  c.coder = std::move(coder);
  return c;
}

coding::merge_options prefer(side s) {
  coding::merge_options o;
  o.prefer = s;
  return o;
}

coding::copy_options coders(std::vector<std::string> names) {
  coding::copy_options o;
  o.coders = std::move(names);
  return o;
}

bool has_conflict(const coding::merge_result& r, const std::string& what, const std::string& id) {
  return std::any_of(r.conflicts.begin(), r.conflicts.end(),
                     [&](const auto& c) { return c.what == what && c.id == id; });
}

}  // namespace

TEST_CASE("a copy keeps only the codings asked for and starts without history") {
  test::temp_dir dir;
  const auto p = test::make_mini_project(dir.file("p.qcode"));
  const auto x = count_by(p, "x");
  const auto y = count_by(p, "y");
  REQUIRE(x > 0);
  REQUIRE(y > 0);
  const auto none = p.copy(dir.file("none.qcode"));
  CHECK(none.codings == 0);
  CHECK(none.left_out == x + y);
  CHECK(none.documents == 3);
  CHECK(none.cases == 5);
  auto blind = coding::project::open(dir.file("none.qcode"));
  CHECK(blind.codings().list().empty());
  CHECK(blind.history().entries().empty());
  CHECK(blind.version() == coding::project::schema_version);
  CHECK(blind.documents().load(true).at(0).text == p.documents().load(true).at(0).text);
  CHECK(blind.cases().list().size() == 5);
  CHECK(blind.check().empty());
  CHECK(blind.guids().get(coding::guid_kind::project, "") !=
        p.guids().get(coding::guid_kind::project, ""));

  CHECK(p.copy(dir.file("y.qcode"), coders({"y"})).codings == y);
  coding::copy_options all;
  all.all_codings = true;
  CHECK(p.copy(dir.file("all.qcode"), all).codings == x + y);
  CHECK_THROWS_WITH_AS(p.copy(dir.file("all.qcode"), {}), doctest::Contains("already exists"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(p.copy(dir.file("z.qcode"), coders({"z"})),
                       doctest::Contains("unknown coder 'z'"), coding::input_error);
  CHECK_FALSE(std::filesystem::exists(dir.file("z.qcode")));
}

TEST_CASE("merge adds the other coder's codings once, as one change that undo reverts") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("p.qcode"));
  p.copy(dir.file("b.qcode"));
  {
    auto b = coding::project::open(dir.file("b.qcode"));
    b.codings().add({coding_of("I1", 0, 5, "a.x", "bob")});
    b.codings().add({coding_of("I1", 12, 30, "a.x", "x")});
  }
  const auto before = p.codings().list();
  const auto entries = p.history().entries().size();

  const auto plan = p.merge(dir.file("b.qcode"), {.dry_run = true});
  CHECK_FALSE(plan.applied);
  CHECK(plan.codings_added == 1);
  CHECK(plan.codings_duplicate == 1);
  CHECK(p.codings().list().size() == before.size());

  const auto r = p.merge(dir.file("b.qcode"));
  CHECK(r.applied);
  CHECK(r.conflicts.empty());
  CHECK(r.coders_added == std::map<std::string, std::size_t>{{"bob", 1}});
  CHECK(count_by(p, "bob") == 1);
  CHECK(p.codings().list().size() == before.size() + 1);
  CHECK(p.history().entries().size() == entries + 1);
  CHECK(p.merge(dir.file("b.qcode")).codings_added == 0);
  p.history().undo();
  CHECK(p.codings().list().size() == before.size());
  CHECK(p.history().entries().back().undone);
}

TEST_CASE("merge lists every conflict and refuses unless a side is preferred") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("p.qcode"));
  p.summaries().set("K1", "a.x", "ours");
  p.copy(dir.file("b.qcode"));
  {
    auto b = coding::project::open(dir.file("b.qcode"));
    b.summaries().set("K1", "a.x", "theirs");
    b.summaries().set("K2", "a.x", "new");
    coding::case_row row;
    row.id = "K1";
    row.attributes = {{"district", "East"}};
    b.cases().apply({row});
    auto fw = *b.get_framework();
    fw.codes.at(0).label = "Renamed theme";
    b.update_framework(fw);
  }
  const auto r = p.merge(dir.file("b.qcode"));
  CHECK_FALSE(r.applied);
  CHECK(r.conflicts.size() == 3);
  CHECK(has_conflict(r, "summary", "K1 a.x"));
  CHECK(has_conflict(r, "case attribute", "K1 district"));
  CHECK(has_conflict(r, "code label", "a"));
  CHECK(r.refused.find("3 conflicts") != std::string::npos);
  CHECK(p.summaries().list().size() == 1);

  const auto ours = p.merge(dir.file("b.qcode"), prefer(side::ours));
  CHECK(ours.applied);
  CHECK(p.cases().find("K1")->attributes.at("district") == "North");
  CHECK(p.summaries().list().size() == 2);  // K2's summary was no conflict
  CHECK(p.get_framework()->codes.at(0).label == "Theme A");
  p.history().undo();

  CHECK(p.merge(dir.file("b.qcode"), prefer(side::theirs)).applied);
  CHECK(p.cases().find("K1")->attributes.at("district") == "East");
  CHECK(p.summaries().list().at(0).text == "theirs");
  CHECK(p.get_framework()->codes.at(0).label == "Renamed theme");
  p.history().undo();
  CHECK(p.summaries().list().at(0).text == "ours");
  CHECK(p.get_framework()->codes.at(0).label == "Theme A");
}

TEST_CASE("merge refuses a missing project and the project itself") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("p.qcode"));
  CHECK_THROWS_WITH_AS(p.merge(dir.file("none.qcode")), doctest::Contains("no such file"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(p.merge(dir.file("p.qcode")), doctest::Contains("into itself"),
                       coding::input_error);
}

TEST_CASE("merge adds the other project's new codes last under their parent") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("p.qcode"));
  p.copy(dir.file("b.qcode"));
  {
    auto b = coding::project::open(dir.file("b.qcode"));
    auto fw = *b.get_framework();
    auto w = fw.codes.at(1);  // a.x
    w.id = "a.w";
    w.local_id = "w";
    w.label = "Code A.w";
    fw.codes.insert(fw.codes.begin() + 1, w);
    auto c = fw.codes.at(0);  // a
    c.id = "c";
    c.local_id = "c";
    c.label = "Theme C";
    fw.codes.push_back(c);
    b.update_framework(fw);
    b.codings().add({coding_of("I1", 0, 5, "a.w", "bob")});
  }
  const auto r = p.merge(dir.file("b.qcode"));
  CHECK(r.applied);
  CHECK(r.codes_added == std::vector<std::string>{"a.w", "c"});
  CHECK(p.get_framework()->ids() ==
        std::vector<std::string>{"a", "a.x", "a.y", "a.w", "b", "b.z", "c"});
  CHECK(count_by(p, "bob") == 1);
  CHECK(p.check().empty());
}
