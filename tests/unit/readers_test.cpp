// Tests of libcoding/src/exchange/readers.cpp: the codings CSV and JSON readers (the
// cases and summaries readers are tested with the project, in project_test.cpp and
// summaries_test.cpp).

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "test_support.hpp"

TEST_CASE("parse_codings_csv reads columns in any order") {
  const auto codings = coding::parse_codings_csv(
      "code,doc,end,start,coder,memo\nroles.handover,T1,30,11,ana,\"first, note\"\n", "c.csv");
  REQUIRE(codings.size() == 1);
  const auto& c = codings[0];
  CHECK(c.doc == "T1");
  CHECK(c.start == 11);
  CHECK(c.end == 30);
  CHECK(c.code == "roles.handover");
  CHECK(c.coder == "ana");
  CHECK(c.memo == "first, note");
  CHECK_FALSE(c.text);
  CHECK(c.created.empty());
  // Where the row came from: line 2; doc is column 2, start 4, end 3, code 1, no text.
  CHECK(c.origin.file == "c.csv");
  CHECK(c.origin.line == 2);
  CHECK(c.origin.doc_column == 2);
  CHECK(c.origin.start_column == 4);
  CHECK(c.origin.end_column == 3);
  CHECK(c.origin.code_column == 1);
  CHECK(c.origin.text_column == 0);
}

TEST_CASE("parse_codings_csv reads the optional text, normalised to NFC, and created") {
  // "Zoe" + U+0308 COMBINING DIAERESIS becomes "Zoë" with U+00EB.
  const auto codings = coding::parse_codings_csv(
      "doc,start,end,code,coder,text,created\n"
      "T1,11,14,a.x,ana,Zoe\xCC\x88,2026-11-23T10:15:00Z\n"
      "T1,0,4,a.y,ana,,\n",
      "c.csv");
  REQUIRE(codings.size() == 2);
  CHECK(codings[0].text == std::optional<std::string>("Zo\xC3\xAB"));
  CHECK(codings[0].created == "2026-11-23T10:15:00Z");
  CHECK(codings[0].origin.text_column == 6);
  CHECK(codings[0].memo.empty());
  CHECK_FALSE(codings[1].text);  // an empty text cell means no text to check
  CHECK(codings[1].origin.line == 3);
}

TEST_CASE("parse_codings_csv names the line and column of a bad number") {
  // broken/codings-bad-number.csv: line 3 is "T07,38,6x8,...": 'end' is column 3.
  const auto path = test::fixture("broken/codings-bad-number.csv");
  CHECK_THROWS_WITH_AS(coding::read_codings(path),
                       doctest::Contains("'6x8' is not a whole number for 'end'"),
                       coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::read_codings(path); });
  CHECK(where.file == path);
  CHECK(where.line == 3);
  CHECK(where.column == 3);

  CHECK_THROWS_WITH_AS(
      coding::parse_codings_csv("doc,start,end,code,coder\nT1,-1,5,a,b\n", "c.csv"),
      doctest::Contains("c.csv:2:2: '-1' is not a whole number for 'start'"), coding::parse_error);
  CHECK_THROWS_WITH_AS(
      coding::parse_codings_csv("doc,start,end,code,coder\nT1,1,5.5,a,b\n", "c.csv"),
      doctest::Contains("c.csv:2:3:"), coding::parse_error);
}

TEST_CASE("parse_codings_csv rejects a row with the wrong number of fields") {
  CHECK_THROWS_WITH_AS(
      coding::parse_codings_csv("doc,start,end,code,coder\nT1,1,2,a,b\nT1,1,2,a\n", "c.csv"),
      doctest::Contains("c.csv:3: row has 4 fields but the header has 5"), coding::parse_error);
}

TEST_CASE("parse_codings_csv rejects a header without a required column") {
  CHECK_THROWS_WITH_AS(coding::parse_codings_csv("doc,start,end,code\nT1,1,2,a\n", "c.csv"),
                       doctest::Contains("missing column 'coder'"), coding::parse_error);
  CHECK_THROWS_WITH_AS(coding::parse_codings_csv("", "c.csv"),
                       doctest::Contains("empty codings file"), coding::parse_error);
}

TEST_CASE("parse_codings_csv rejects an empty coder") {
  CHECK_THROWS_WITH_AS(coding::parse_codings_csv("doc,start,end,code,coder\nT1,1,2,a,\n", "c.csv"),
                       doctest::Contains("c.csv:2:5: empty coder"), coding::parse_error);
}

TEST_CASE("parse_codings_json reads an array of objects") {
  const auto codings = coding::parse_codings_json(R"([
  {"doc": "T1", "start": 11, "end": 21, "code": "roles.handover", "coder": "ana"},
  {"coder": "ben", "code": "a.x", "end": 4, "start": 0, "doc": "T2", "memo": "m",
   "text": "Zoe\u0308", "created": "2026-11-23T10:15:00Z"}
])",
                                                  "c.json");
  REQUIRE(codings.size() == 2);
  CHECK(codings[0].doc == "T1");
  CHECK(codings[0].start == 11);
  CHECK(codings[0].end == 21);
  CHECK(codings[0].code == "roles.handover");
  CHECK(codings[0].coder == "ana");
  CHECK(codings[0].memo.empty());
  CHECK_FALSE(codings[0].text);
  CHECK(codings[0].origin.line == 2);
  CHECK(codings[1].doc == "T2");
  CHECK(codings[1].start == 0);
  CHECK(codings[1].end == 4);
  CHECK(codings[1].memo == "m");
  CHECK(codings[1].text == std::optional<std::string>("Zo\xC3\xAB"));  // NFC
  CHECK(codings[1].created == "2026-11-23T10:15:00Z");
  CHECK(codings[1].origin.line == 3);
  CHECK(coding::parse_codings_json("[]", "c.json").empty());
}

TEST_CASE("parse_codings_json rejects a document that is not an array") {
  CHECK_THROWS_WITH_AS(coding::parse_codings_json(R"({"doc": "T1"})", "c.json"),
                       doctest::Contains("c.json:1:1: expected a JSON array of codings"),
                       coding::parse_error);
  CHECK_THROWS_WITH_AS(coding::parse_codings_json("[1, 2]", "c.json"),
                       doctest::Contains("c.json:1:2: expected an object for each coding"),
                       coding::parse_error);
}

TEST_CASE("parse_codings_json rejects an unknown key with a did-you-mean") {
  // broken/codings-unknown-key.json, line 3: the key "coders" opens at column 69
  // (2 spaces, '{', then "doc": "T07", "start": 38, "end": 68, "code": "choice.informed", ).
  const auto path = test::fixture("broken/codings-unknown-key.json");
  CHECK_THROWS_WITH_AS(coding::read_codings(path),
                       doctest::Contains("unknown key 'coders'; did you mean 'coder'?"),
                       coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::read_codings(path); });
  CHECK(where.line == 3);
  CHECK(where.column == 69);
}

TEST_CASE("parse_codings_json rejects a coding without a required key") {
  // The object opens at column 2 of line 1.
  CHECK_THROWS_WITH_AS(
      coding::parse_codings_json(R"([{"doc": "T1", "start": 1, "end": 2, "code": "a"}])", "c.json"),
      doctest::Contains("c.json:1:2: coding has no 'coder'"), coding::parse_error);
}

TEST_CASE("parse_codings_json rejects a bad number at the value") {
  // '[{"doc": "T1", "start": ' is 24 characters, so the value is at column 25.
  for (const char* bad : {"-3", "\"x\"", "1.5", "[1]"}) {
    CAPTURE(bad);
    const std::string json = std::string(R"([{"doc": "T1", "start": )") + bad +
                             R"(, "end": 2, "code": "a", "coder": "b"}])";
    const auto where = test::parse_error_at([&] { coding::parse_codings_json(json, "c.json"); });
    CHECK(where.line == 1);
    CHECK(where.column == 25);
  }
  CHECK_THROWS_WITH_AS(
      coding::parse_codings_json(
          R"([{"doc": "T1", "start": 1.5, "end": 2, "code": "a", "coder": "b"}])", "c.json"),
      doctest::Contains("'start' must be a whole number"), coding::parse_error);
}

TEST_CASE("parse_codings_json rejects invalid JSON at its line") {
  // broken/codings-invalid.json: the array closes at the end of line 2; the ']' on
  // line 3, column 1, closes nothing.
  const auto path = test::fixture("broken/codings-invalid.json");
  CHECK_THROWS_WITH_AS(coding::read_codings(path), doctest::Contains("invalid JSON"),
                       coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::read_codings(path); });
  CHECK(where.line == 3);
  CHECK(where.column == 1);
}

TEST_CASE("read_codings reads a CSV file by its extension") {
  const test::temp_dir dir;
  const auto path = dir.file("codings.csv");
  std::ofstream(path) << "doc,start,end,code,coder\nT1,1,2,a,b\n";
  const auto codings = coding::read_codings(path);
  REQUIRE(codings.size() == 1);
  CHECK(codings[0].origin.file == path);
}

TEST_CASE("read_codings rejects other extensions") {
  for (const char* name : {"codings.txt", "codings.xlsx", "codings"}) {
    CAPTURE(name);
    CHECK_THROWS_WITH_AS(coding::read_codings(name), doctest::Contains("use a .csv or .json file"),
                         coding::input_error);
  }
}

TEST_CASE("read_codings of a missing file throws input_error naming it") {
  const test::temp_dir dir;
  const auto path = dir.file("missing.csv");
  CHECK_THROWS_WITH_AS(coding::read_codings(path), doctest::Contains("missing.csv"),
                       coding::input_error);
}
