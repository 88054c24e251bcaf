// Tests for libcoding/src/report*.cpp.

#include <doctest/doctest.h>

#include <coding/render.hpp>
#include <coding/report.hpp>
#include <sstream>

#include "render_fixtures.hpp"
#include "speaker_study.hpp"

TEST_CASE(
    "the report's overview counts every case as check does, and names those without a group") {
  // speaker_study.hpp: K1 staff, K2 and K3 client, K4 without the group attribute, K5
  // with an empty group. The matrix's columns hold 1 + 2 cases; the study has 5.
  const auto r = coding::build_report(test::speaker_study());
  CHECK(r.cases == 5);
  REQUIRE(r.groups.size() == 2);
  CHECK((r.groups[0] == std::pair<std::string, std::size_t>{"Staff", 1}));
  CHECK((r.groups[1] == std::pair<std::string, std::size_t>{"Clients", 2}));
  CHECK(r.ungrouped == std::vector<std::string>{"K4", "K5"});
  std::ostringstream md;
  coding::write_report_markdown(md, r);
  CHECK(md.str().find("- **Cases:** 5 (Staff 1, Clients 2; 2 without a group: K4, K5)\n") !=
        std::string::npos);
  std::ostringstream html;
  coding::write_report_html(html, r);
  CHECK(
      html.str().find("<dt>Cases</dt><dd>5 (Staff 1, Clients 2; 2 without a group: K4, K5)</dd>") !=
      std::string::npos);
}

TEST_CASE("the report's overview counts many cases without a group without naming them") {
  auto r = test::mini_report_frame();
  r.cases = 11;
  r.ungrouped = {"X1", "X2", "X3", "X4", "X5", "X6"};
  std::ostringstream md;
  coding::write_report_markdown(md, r);
  CHECK(md.str().find("- **Cases:** 11 (Staff 3, Clients 2; 6 without a group)\n") !=
        std::string::npos);
  // A study without groups at all still shows the count of cases without one.
  r.groups.clear();
  r.cases = 2;
  r.ungrouped = {"X1", "X2"};
  std::ostringstream none;
  coding::write_report_markdown(none, r);
  CHECK(none.str().find("- **Cases:** 2 (2 without a group: X1, X2)\n") != std::string::npos);
}
