// Chart summaries, stored GUIDs and change groups (libcoding/src/summaries.cpp).

#include <doctest/doctest.h>

#include <coding/document.hpp>
#include <coding/exchange.hpp>
#include <coding/framework.hpp>
#include <coding/project.hpp>
#include <regex>

#include "test_support.hpp"

namespace {

// A project with the mini framework and one interview whose respondent is case K1.
coding::project mini_project(const test::temp_dir& dir) {
  const auto fw = coding::load_framework(test::fixture("mini/framework.yaml"));
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({coding::parse_transcript(
      "---\ncase: K1\nspeakers: {IV: interviewer, R: K1}\n---\nIV: Why?\nR: Because.\n", "1.txt")});
  return p;
}

}  // namespace

TEST_CASE("a summary is set, replaced and removed, each as one change") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  p.set_context("qcode summary set", "anna");
  p.summaries().set("K1", "a.x", "Felt pushed onto the programme.");
  auto all = p.summaries().list();
  REQUIRE(all.size() == 1);
  CHECK(all[0].case_id == "K1");
  CHECK(all[0].code == "a.x");
  CHECK(all[0].text == "Felt pushed onto the programme.");
  CHECK_FALSE(all[0].draft);
  CHECK(all[0].author == "anna");
  p.summaries().set("K1", "a.x", "Changed.");
  CHECK(p.summaries().list().at(0).text == "Changed.");
  p.summaries().set("K1", "a.x", "");
  CHECK(p.summaries().list().empty());
  // import, three summary changes
  CHECK(p.history().entries().size() == 4);
  p.history().undo();
  CHECK(p.summaries().list().at(0).text == "Changed.");
}

TEST_CASE("an unknown case or code is refused with a suggestion") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  CHECK_THROWS_WITH_AS(p.summaries().set("K2", "a.x", "t"), doctest::Contains("did you mean 'K1'"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(p.summaries().set("K1", "a.z", "t"), doctest::Contains("did you mean"),
                       coding::input_error);
  CHECK(p.summaries().list().empty());
}

TEST_CASE("drafts fill empty cells only") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  p.summaries().set("K1", "a.x", "Written by hand.");
  const auto filled = p.summaries().fill_drafts(
      {{"K1", "a.x", "draft x", false, "", ""}, {"K1", "a.y", "draft y", false, "", ""}});
  CHECK(filled == 1);
  const auto all = p.summaries().list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].text == "Written by hand.");
  CHECK_FALSE(all[0].draft);
  CHECK(all[1].code == "a.y");
  CHECK(all[1].text == "draft y");
  CHECK(all[1].draft);
}

TEST_CASE("an edited summaries file updates changed cells and reports conflicts") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  p.summaries().set("K1", "a.x", "one");
  p.summaries().set("K1", "a.y", "two");
  const auto base_x = coding::content_hash("one");
  const auto base_y = coding::content_hash("two");
  // Since the export, a.y was changed in the project.
  p.summaries().set("K1", "a.y", "two, revised");
  const std::vector<coding::summary_edit> rows = {
      {"K1", "a.x", "one, edited", base_x, false, {"s.csv", 2, 1}},
      {"K1", "a.y", "two, edited elsewhere", base_y, false, {"s.csv", 3, 1}},
      {"K1", "b.z", "new", "", false, {"s.csv", 4, 1}},
  };
  const auto r = p.summaries().apply(rows);
  CHECK(r.updated == 2);
  CHECK(r.unchanged == 0);
  REQUIRE(r.conflicts.size() == 1);
  CHECK(r.conflicts[0].code == "a.y");
  CHECK(r.conflicts[0].project_text == "two, revised");
  CHECK(r.conflicts[0].file_text == "two, edited elsewhere");
  CHECK(r.conflicts[0].where.line == 3);
  const auto all = p.summaries().list();
  REQUIRE(all.size() == 3);
  CHECK(all[0].text == "one, edited");
  CHECK(all[1].text == "two, revised");
  CHECK(all[2].text == "new");
  // The same file again: a.x and b.z now match, a.y is still a conflict.
  const auto again = p.summaries().apply(rows);
  CHECK(again.updated == 0);
  CHECK(again.unchanged == 2);
  CHECK(again.conflicts.size() == 1);
}

TEST_CASE("a bad row in a summaries file changes nothing") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const std::vector<coding::summary_edit> rows = {{"K1", "a.x", "fine", "", false, {"s.csv", 2, 1}},
                                                  {"K9", "a.x", "bad", "", false, {"s.csv", 3, 1}}};
  CHECK_THROWS_WITH_AS(p.summaries().apply(rows), doctest::Contains("in s.csv:3"),
                       coding::input_error);
  CHECK(p.summaries().list().empty());
}

TEST_CASE("summaries follow a renamed code and are refused removal like codings") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  p.summaries().set("K1", "a.x", "kept");
  auto fw = *p.get_framework();
  auto& x = fw.codes[*fw.find("a.x")];
  x.id = "a.w";
  x.local_id = "w";
  x.renamed_from = "a.x";
  const auto guid_before = p.guids().get(coding::guid_kind::code, "a.x");
  p.update_framework(fw);
  REQUIRE(p.summaries().list().size() == 1);
  CHECK(p.summaries().list()[0].code == "a.w");
  CHECK(p.guids().get(coding::guid_kind::code, "a.w") == guid_before);

  auto removed = *p.get_framework();
  removed.codes.erase(removed.codes.begin() + static_cast<std::ptrdiff_t>(*removed.find("a.w")));
  for (auto& c : removed.codes)
    if (c.parent > 1) --c.parent;
  CHECK_THROWS_WITH_AS(p.update_framework(removed), doctest::Contains("1 chart summary"),
                       coding::input_error);
  coding::framework_update_options merge;
  merge.merge_into = "a.y";
  p.update_framework(removed, merge);
  REQUIRE(p.summaries().list().size() == 1);
  CHECK(p.summaries().list()[0].code == "a.y");
  CHECK(p.summaries().list()[0].text == "kept");
}

TEST_CASE("GUIDs are stable, distinct, well formed, and stored ones win") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const auto g = p.guids().get(coding::guid_kind::code, "a.x");
  CHECK(std::regex_match(g, form));
  CHECK(p.guids().get(coding::guid_kind::code, "a.x") == g);
  CHECK(p.guids().get(coding::guid_kind::code, "a.y") != g);
  CHECK(p.guids().get(coding::guid_kind::case_, "a.x") != g);
  {
    // Reopened, the same.
    const auto again = coding::project::open(dir.file("p.qcode"));
    CHECK(again.guids().get(coding::guid_kind::code, "a.x") == g);
  }
  // Another project derives other GUIDs.
  test::temp_dir other;
  CHECK(mini_project(other).guids().get(coding::guid_kind::code, "a.x") != g);

  p.guids().set(coding::guid_kind::user, "anna", "{8C2F7B8E-0D5E-4F1A-9A62-3C1B2D4E5F60}");
  CHECK(p.guids().get(coding::guid_kind::user, "anna") == "8c2f7b8e-0d5e-4f1a-9a62-3c1b2d4e5f60");
  CHECK(p.guids().stored().size() == 1);
  CHECK_THROWS_AS(p.guids().set(coding::guid_kind::user, "ben", "not-a-guid"), coding::input_error);
  // The book of every GUID answers as guid() does, stored and derived alike.
  const auto book = p.guids().book();
  CHECK(book(coding::guid_kind::user, "anna") == "8c2f7b8e-0d5e-4f1a-9a62-3c1b2d4e5f60");
  CHECK(book(coding::guid_kind::code, "a.x") == g);
  CHECK(book(coding::guid_kind::user, "ben") == p.guids().get(coding::guid_kind::user, "ben"));
  CHECK(book(coding::guid_kind::user, "ben") != book(coding::guid_kind::user, "anna"));
  // Stored again, a GUID replaces the one before; several go in one change.
  const auto entries = p.history().entries().size();
  p.guids().set_all({{coding::guid_kind::user, "anna", "00000000-0000-4000-8000-00000000000a"},
                     {coding::guid_kind::user, "ben", "00000000-0000-4000-8000-00000000000b"}});
  CHECK(p.guids().get(coding::guid_kind::user, "anna") == "00000000-0000-4000-8000-00000000000a");
  CHECK(p.guids().get(coding::guid_kind::user, "ben") == "00000000-0000-4000-8000-00000000000b");
  CHECK(p.guids().stored().size() == 2);
  CHECK(p.history().entries().size() == entries + 1);
}

TEST_CASE("a change group makes several calls one transaction and one history entry") {
  test::temp_dir dir;
  auto p = mini_project(dir);
  const auto entries = p.history().entries().size();
  {
    coding::change_group g(p);
    p.summaries().set("K1", "a.x", "one");
    p.guids().set(coding::guid_kind::case_, "K1", "00000000-0000-4000-8000-000000000001");
    g.commit();
  }
  CHECK(p.history().entries().size() == entries + 1);
  CHECK(p.history().entries().back().summary == "1 summary added, 1 identifier added");
  {
    coding::change_group g(p);
    p.summaries().set("K1", "a.y", "two");
    CHECK_THROWS_AS(p.summaries().set("K9", "a.y", "bad"), coding::input_error);
    // abandoned: nothing lands
  }
  CHECK(p.summaries().list().size() == 1);
  CHECK(p.history().entries().size() == entries + 1);
  p.history().undo();
  CHECK(p.summaries().list().empty());
  CHECK(p.guids().stored().empty());
}

TEST_CASE("a summaries file's draft column takes yes or no in the usual spellings") {
  // Rows 2 to 15 (lines 2 to 15): the first seven mean yes, the rest no.
  const std::vector<std::string> yes = {"yes", "YES", "Yes", "true", "TRUE", "y", "1"};
  const std::vector<std::string> no = {"no", "No", "false", "FALSE", "n", "0", "", " no "};
  std::string csv = "case,code,summary,draft,base\n";
  for (const auto& v : yes) csv += "K1,a.x,text," + v + ",\n";
  for (const auto& v : no) csv += "K1,a.x,text," + v + ",\n";
  const auto rows = coding::parse_summaries_csv(csv, "s.csv");
  REQUIRE(rows.size() == yes.size() + no.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(i);
    CHECK(rows[i].draft == (i < yes.size()));
  }
}

TEST_CASE("a summaries file's draft column refuses other values at their row and column") {
  // Line 3, and 'draft' is the 4th column.
  const std::string csv = "case,code,summary,draft,base\nK1,a.x,one,no,\nK1,a.y,two,maybe,\n";
  CHECK_THROWS_WITH_AS(coding::parse_summaries_csv(csv, "s.csv"),
                       "s.csv:3:4: 'maybe' in column 'draft': expected yes or no (or "
                       "true/false, y/n, 1/0; empty means no)",
                       coding::parse_error);
}
