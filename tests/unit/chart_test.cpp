// Charts, quotes and draft summaries against the hand-worked fixture in tests/fixtures/mini
// (WORKING.md: "Chart of theme a"). References: I1 lines are 1 "IV: Why?", 2 "R: Because
// it helped.", 3 "IV: More?", 4 "R: Café was naïve."; G1 lines are 1 Mod, 2 Ann (K2),
// 3 Bob (K3), 4 Cy (K4).

#include <doctest/doctest.h>

#include <coding/chart.hpp>
#include <coding/error.hpp>
#include <coding/quotes.hpp>

#include "mini_study.hpp"

namespace {

struct mini {
  test::temp_dir dir;
  coding::project p = test::make_mini_project(dir.file("mini.qcode"));
  coding::study s = coding::load_study(p, true);

  coding::chart chart(coding::chart_options o) {
    if (o.theme.empty()) o.theme = "a";
    return coding::compute_chart(s, o);
  }
};

std::vector<std::string> refs(const coding::chart_entry& e) {
  std::vector<std::string> out;
  for (const auto& p : e.passages) out.push_back(p.reference);
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("cut_quote folds whitespace and cuts at a word boundary") {
  CHECK(coding::cut_quote("Good service.\nBob:  Too slow.", 100) == "Good service. Bob: Too slow.");
  CHECK(coding::cut_quote("Good service.\nBob: Too slow.", 15) == "Good service.…");
  // The cut falls just before a space: the whole word fits.
  CHECK(coding::cut_quote("Café was naïve indeed", 10) == "Café was…");
  // One long word is cut inside it.
  CHECK(coding::cut_quote("Incomprehensibilities", 6) == "Incom…");
}

TEST_CASE("a chart has a row per case grouped by group, a column per sub-theme") {
  mini m;
  coding::chart_options o;
  o.attrs = {"district"};
  const auto c = m.chart(o);
  CHECK(c.theme_label == "Theme A");
  REQUIRE(c.columns.size() == 2);
  CHECK(c.columns[0].code == "a.x");
  CHECK(c.columns[1].code == "a.y");
  REQUIRE(c.groups.size() == 2);
  CHECK(c.groups[0].label == "Staff");
  CHECK(c.groups[0].n == 3);
  REQUIRE(c.groups[0].rows.size() == 3);
  CHECK(c.groups[0].rows[0].id == "K2");
  CHECK(c.groups[0].rows[1].id == "K4");
  CHECK(c.groups[0].rows[2].id == "K5");
  CHECK(c.groups[0].rows[0].attributes == strings{"North"});
  CHECK(c.groups[0].rows[1].attributes == strings{"South"});

  // K2, a.x: c5 (G1 17-21, coder y) and c4 (G1 17-45, lines 2-3, coder x) overlap, so they
  // are one passage, 17-45, coded by "y, x" (c5 first, being shorter); nothing for a.y.
  const auto& k2 = c.groups[0].rows[0];
  REQUIRE(k2.cells[0].entries.size() == 1);
  CHECK(refs(k2.cells[0].entries[0]) == strings{"G1 l.2-3"});
  CHECK(k2.cells[0].entries[0].passages[0].where.start == 17);
  CHECK(k2.cells[0].entries[0].passages[0].where.end == 45);
  CHECK(k2.cells[0].entries[0].passages[0].coder == "y, x");
  CHECK(k2.cells[1].entries.empty());
  // K4, a.y: c6 (G1 50-57, line 4). K5: nothing in theme a.
  CHECK(refs(c.groups[0].rows[1].cells[1].entries.at(0)) == strings{"G1 l.4"});
  CHECK(c.groups[0].rows[2].cells[0].entries.empty());
  CHECK(c.groups[0].rows[2].cells[1].entries.empty());

  // Clients: K1 a.x c1 (I1 l.2), a.y c2 (I1 l.4); K3 a.x c4 (G1 l.2-3).
  const auto& clients = c.groups[1];
  CHECK(clients.label == "Clients");
  REQUIRE(clients.rows.size() == 2);
  CHECK(refs(clients.rows[0].cells[0].entries.at(0)) == strings{"I1 l.2"});
  CHECK(refs(clients.rows[0].cells[1].entries.at(0)) == strings{"I1 l.4"});
  CHECK(refs(clients.rows[1].cells[0].entries.at(0)) == strings{"G1 l.2-3"});
  // No quotes unless asked for.
  CHECK(clients.rows[0].cells[0].entries[0].passages[0].quote.empty());
}

TEST_CASE("chart cells carry summaries and up to N quotes") {
  mini m;
  m.p.summaries().set("K2", "a.x", "Praised the service.");
  m.p.summaries().fill_drafts({{"K1", "a.x", "draft text", false, "", ""}});
  // A second, separate passage for K1 / a.x: "naïve" in I1 line 4 `R: Café was naïve.`
  // (41-59): "R: " 41-44, "Café " 44-49, "was " 49-53, "naïve" 53-58.
  m.p.codings().add({{"I1", 53, 58, "a.x", "z", "", std::string("naïve"), "", "", {}}});
  m.s = coding::load_study(m.p, true);
  coding::chart_options o;
  o.quotes = 1;
  const auto c = m.chart(o);
  const auto& k2 = c.groups[0].rows[0].cells[0].entries.at(0);
  CHECK(k2.summary == "Praised the service.");
  CHECK_FALSE(k2.draft);
  REQUIRE(k2.passages.size() == 1);
  CHECK(k2.passages[0].quote == "Good service. Bob: Too slow.");
  const auto& k1 = c.groups[1].rows[0].cells[0].entries.at(0);
  CHECK(k1.summary == "draft text");
  CHECK(k1.draft);
  REQUIRE(k1.passages.size() == 2);
  CHECK(k1.passages[0].quote == "Because it helped.");
  CHECK(k1.passages[1].reference == "I1 l.4");
  CHECK(k1.passages[1].quote.empty());  // only the first N = 1
  // A summary alone makes an entry.
  m.p.summaries().set("K5", "a.y", "Said nothing of it.");
  m.s = coding::load_study(m.p, true);
  CHECK(m.chart({}).groups[0].rows[2].cells[1].entries.at(0).summary == "Said nothing of it.");
}

TEST_CASE("group rows list the member cases' entries with their case ids") {
  mini m;
  m.p.summaries().set("K4", "a.y", "Agreed.");
  m.s = coding::load_study(m.p, true);
  coding::chart_options o;
  o.group_rows = true;
  const auto c = m.chart(o);
  REQUIRE(c.groups.size() == 2);
  REQUIRE(c.groups[0].rows.size() == 1);
  const auto& staff = c.groups[0].rows[0];
  CHECK(staff.id == "staff");
  REQUIRE(staff.cells[0].entries.size() == 1);
  CHECK(staff.cells[0].entries[0].case_id == "K2");
  REQUIRE(staff.cells[1].entries.size() == 1);
  CHECK(staff.cells[1].entries[0].case_id == "K4");
  CHECK(staff.cells[1].entries[0].summary == "Agreed.");
  const auto& clients = c.groups[1].rows[0];
  REQUIRE(clients.cells[0].entries.size() == 2);
  CHECK(clients.cells[0].entries[0].case_id == "K1");
  CHECK(clients.cells[0].entries[1].case_id == "K3");
}

TEST_CASE("chart filters: --where keeps matching cases, --coder one coder's codings") {
  mini m;
  coding::chart_options o;
  o.where = {{"district", "South"}};
  auto c = m.chart(o);
  CHECK(c.groups[0].n == 1);
  REQUIRE(c.groups[0].rows.size() == 1);
  CHECK(c.groups[0].rows[0].id == "K4");
  CHECK(c.groups[1].rows.at(0).id == "K3");
  // Only the clients (K1, K3): the staff group, left with no case, is not charted.
  o.where = {{"group", "client"}};
  c = m.chart(o);
  REQUIRE(c.groups.size() == 1);
  CHECK(c.groups[0].label == "Clients");
  CHECK(c.groups[0].rows.size() == 2);
  o = {};
  o.coder = "y";
  c = m.chart(o);
  CHECK(refs(c.groups[0].rows[0].cells[0].entries.at(0)) == strings{"G1 l.2"});
  CHECK(c.groups[1].rows[0].cells[0].entries.empty());
}

TEST_CASE(
    "charting an unknown theme, a code without sub-codes or an unknown attribute is refused") {
  mini m;
  coding::chart_options o;
  o.theme = "c";
  CHECK_THROWS_WITH_AS(m.chart(o), doctest::Contains("unknown theme 'c'"), coding::input_error);
  o.theme = "a.x";
  CHECK_THROWS_WITH_AS(m.chart(o), doctest::Contains("has no sub-codes"), coding::input_error);
  o.theme = "a";
  o.attrs = {"distrct"};
  CHECK_THROWS_WITH_AS(m.chart(o), doctest::Contains("did you mean 'district'"),
                       coding::input_error);
}

TEST_CASE("chart quotes carry case, group, attributes, code path and text") {
  mini m;
  const auto q = coding::chart_quotes(m.s, {"a", {}, 0, 240, false, {}, {}});
  // c1 (K1), c2 (K1) in I1; c5 (K2), c4 (K2 and K3), c6 (K4) in G1.
  REQUIRE(q.size() == 6);
  CHECK(q[0].case_id == "K1");
  CHECK(q[0].group == "client");
  CHECK(q[0].attributes.at("district") == "North");
  CHECK(q[0].code_path == "Theme A > Code A.x");
  CHECK(q[0].text == "Because it helped.");
  CHECK(q[0].reference == "I1 l.2");
  CHECK(q[0].row == "K1");
  CHECK(q[0].column == "a.x");
  CHECK(q[3].text == "Good service.\nBob: Too slow.");
  CHECK(q[3].case_id == "K2");
  CHECK(q[4].case_id == "K3");
}

TEST_CASE("matrix quotes are keyed by row code and column value") {
  mini m;
  coding::matrix_options o;
  const auto q = coding::matrix_quotes(m.s, o);
  // Theme a: c1, c2 (K1), c5 (K2), c4 (K2, K3), c6 (K4) = 6; theme b: c3 (K1), c8 (K5) = 2;
  // c7 speaks for nobody.
  REQUIRE(q.size() == 8);
  std::size_t a_staff = 0, b_client = 0;
  for (const auto& x : q) {
    a_staff += x.row == "a" && x.column == "staff";
    b_client += x.row == "b" && x.column == "client";
  }
  CHECK(a_staff == 3);   // segments a, staff = 3
  CHECK(b_client == 1);  // c3
}

TEST_CASE("draft summaries list a case's passages with their references") {
  mini m;
  const auto drafts = coding::draft_summaries(m.s, "a");
  // K2 a.x, K4 a.y, K1 a.x, K1 a.y, K3 a.x
  REQUIRE(drafts.size() == 5);
  CHECK(drafts[0].case_id == "K2");
  CHECK(drafts[0].code == "a.x");
  CHECK(drafts[0].text == "[G1 l.2-3] Good service. Bob: Too slow.");
  CHECK(drafts[0].draft);
  CHECK(drafts[2].case_id == "K1");
  CHECK(drafts[2].text == "[I1 l.2] Because it helped.");
}
