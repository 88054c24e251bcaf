#include <doctest/doctest.h>

#include <coding/codings.hpp>
#include <coding/document.hpp>
#include <coding/error.hpp>
#include <coding/exchange.hpp>
#include <coding/speakers.hpp>
#include <sstream>

#include "speaker_study.hpp"

TEST_CASE("csv fields are quoted only when they must be (RFC 4180)") {
  CHECK(coding::csv_field("plain") == "plain");
  CHECK(coding::csv_field("a,b") == "\"a,b\"");
  CHECK(coding::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(coding::csv_field("two\nlines") == "\"two\nlines\"");
  std::ostringstream out;
  coding::write_csv_row(out, {"x", "", "y,z"});
  CHECK(out.str() == "x,,\"y,z\"\n");
}

TEST_CASE("exported codings read back as the same codings") {
  coding::coding_record r;
  r.doc = "T07";
  r.start = 3;
  r.end = 9;
  r.code = "choice.informed";
  r.coder = "anna";
  r.memo = "a memo, with \"quotes\"";
  r.created = "2026-11-23T10:00:00Z";
  r.text = "Zoë\nsaid";
  for (const auto f : {coding::format::csv, coding::format::json}) {
    std::ostringstream out;
    coding::write_codings(out, {r}, f);
    const auto back = f == coding::format::csv ? coding::parse_codings_csv(out.str(), "x.csv")
                                               : coding::parse_codings_json(out.str(), "x.json");
    REQUIRE(back.size() == 1);
    CHECK(back[0].doc == "T07");
    CHECK(back[0].start == 3);
    CHECK(back[0].end == 9);
    CHECK(back[0].code == "choice.informed");
    CHECK(back[0].coder == "anna");
    CHECK(back[0].memo == r.memo);
    CHECK(back[0].created == r.created);
    CHECK(back[0].text == r.text);
  }
}

TEST_CASE("exported codings say who they speak for: case, group and speaker columns at the end") {
  // speaker_study.hpp works out who each coding speaks for.
  const auto s = test::speaker_study();
  const coding::speaker_index who(s);
  std::vector<coding::coding_record> codings = {s.codings[0], s.codings[1], s.codings[4],
                                                s.codings[5]};
  for (auto& c : codings) c.created = "2026-11-23T10:00:00Z";
  std::ostringstream csv;
  coding::write_codings(csv, codings, coding::format::csv, who);
  CHECK(csv.str() ==
        "doc,start,end,code,coder,memo,created,review,text,case,group,speaker\n"
        "G1,19,43,a.x,anna,,2026-11-23T10:00:00Z,,\"I liked it.\nBob: Not me.\",K1; K2,staff; "
        "client,Ann; Bob\n"
        "G1,5,13,b.y,anna,,2026-11-23T10:00:00Z,,Welcome.,,,Mod\n"
        "G1,40,60,b.y,ben,,2026-11-23T10:00:00Z,,\"me.\nHurst, Peter: Me\",K2,client,\"Bob; Hurst, "
        "Peter\"\n"
        "I1,4,8,a.x,anna,,2026-11-23T10:00:00Z,,Why?,K3,client,IV\n");
  std::ostringstream json;
  coding::write_codings(json, {codings[0]}, coding::format::json, who);
  CHECK(json.str().find("\"text\": \"I liked it.\\nBob: Not me.\",\n"
                        "    \"cases\": [\n      \"K1\",\n      \"K2\"\n    ],\n"
                        "    \"groups\": [\n      \"staff\",\n      \"client\"\n    ],\n"
                        "    \"speakers\": [\n      \"Ann\",\n      \"Bob\"\n    ]\n  }") !=
        std::string::npos);
  std::ostringstream nobody;
  coding::write_codings(nobody, {codings[1]}, coding::format::json, who);
  CHECK(nobody.str().find("\"cases\": [],") != std::string::npos);
}

TEST_CASE("codings exported with who they speak for read back as the same codings") {
  const auto s = test::speaker_study();
  const coding::speaker_index who(s);
  for (const auto f : {coding::format::csv, coding::format::json}) {
    std::ostringstream out;
    coding::write_codings(out, s.codings, f, who);
    const auto back = f == coding::format::csv ? coding::parse_codings_csv(out.str(), "x.csv")
                                               : coding::parse_codings_json(out.str(), "x.json");
    REQUIRE(back.size() == s.codings.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
      CHECK(back[i].doc == s.codings[i].doc);
      CHECK(back[i].start == s.codings[i].start);
      CHECK(back[i].end == s.codings[i].end);
      CHECK(back[i].code == s.codings[i].code);
      CHECK(back[i].coder == s.codings[i].coder);
      CHECK(back[i].text == s.codings[i].text);
    }
  }
}

TEST_CASE("tables align by display width, so wide and accented text lines up") {
  std::ostringstream out;
  coding::write_table(out, {"name", "n"}, {{"Zoë", "1"}, {"日本", "22"}}, {false, true});
  // "name" is 4 wide; "Zoë" 3 wide gets 1 space of padding, "日本" 4 wide gets none.
  CHECK(out.str() ==
        "name   n\n"
        "----  --\n"
        "Zoë    1\n"
        "日本  22\n");
}

TEST_CASE("long cells wrap at word boundaries and rows grow to fit") {
  std::ostringstream out;
  // Width 10: "Provision of customer choice" breaks into "Provision", "of", "customer",
  // "choice" pieces; "Provision " fits (9), adding "of" would make 12 > 10, and so on.
  coding::write_table(out, {"theme", "n"}, {{"Provision of customer choice", "4"}, {"Roles", "12"}},
                      {false, true}, 10);
  CHECK(out.str() ==
        "theme       n\n"
        "---------  --\n"
        "Provision   4\n"
        "of\n"
        "customer\n"
        "choice\n"
        "Roles      12\n");
}

TEST_CASE("a matrix as JSON carries by, measure, level, columns with n, rows and totals") {
  coding::matrix m;
  m.by = "group";
  m.what = coding::measure::coverage;
  m.columns = {{"jcp", "JCP staff", 4}};
  m.rows = {{"roles", "Roles", 0, {12.3456789}, 12.3456789}};
  m.total = {"", "Total", 0, {20.0}, 20.0};
  m.n = 4;
  std::ostringstream out;
  coding::write_matrix(out, m, coding::format::json);
  const auto s = out.str();
  CHECK(s.find("\"by\": \"group\"") != std::string::npos);
  CHECK(s.find("\"measure\": \"coverage\"") != std::string::npos);
  CHECK(s.find("\"n\": 4") != std::string::npos);
  CHECK(s.find("12.3457") != std::string::npos);  // rounded to 4 places
  CHECK(s.find("\"total\": 12.3457") != std::string::npos);
  CHECK(s.find("\"total\": {\n    \"cells\": [\n      20\n    ],\n    \"total\": 20\n  }") !=
        std::string::npos);
  std::ostringstream csv;
  coding::write_matrix(csv, m, coding::format::csv);
  CHECK(csv.str() == "code,label,JCP staff,Total\nroles,Roles,12.35,12.35\n,Total,20.00,20.00\n");
}

TEST_CASE("a document shows as exact text, numbered lines, or JSON with turns") {
  const auto doc = coding::parse_transcript(
      "---\ncase: K\nspeakers: {IV: interviewer, R: K}\n---\nIV: Q?\nR: “A”\n", "D.txt");
  std::ostringstream text, lines, json;
  coding::write_document(text, doc, coding::format::text);
  CHECK(text.str() == "IV: Q?\nR: “A”\n");
  coding::write_document(lines, doc, coding::format::lines);
  CHECK(lines.str() == "1  IV: Q?\n2  R: “A”\n");
  coding::write_document(json, doc, coding::format::json);
  CHECK(json.str().find("\"speaker\": \"R\"") != std::string::npos);
  CHECK(json.str().find("\"case\": \"K\"") != std::string::npos);
  CHECK(json.str().find("\"time\": null") != std::string::npos);
  // "R: “A”" starts at 7; its text starts at 10 and is 3 code points long.
  CHECK(json.str().find("\"start\": 10,\n      \"end\": 13") != std::string::npos);
}

TEST_CASE("formats are parsed against what a command allows") {
  using coding::format;
  CHECK(coding::parse_format("json", {format::table, format::json}) == format::json);
  CHECK_THROWS_WITH_AS(coding::parse_format("jsn", {format::table, format::json}),
                       doctest::Contains("did you mean 'json'?"), coding::input_error);
  CHECK_THROWS_AS(coding::parse_format("csv", {format::table, format::json}), coding::input_error);
}
