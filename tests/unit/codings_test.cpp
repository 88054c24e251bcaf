// Tests of libcoding/src/coding/codings.cpp: the selectors, references and
// intersect_passages (and coding_origin::where and default_coder, from the store).

#include "coding/codings.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/project.hpp"
#include "test_support.hpp"

using coding::span;

namespace {

// The stored text, in code points (ù, ë are one each, — is one in 3 bytes):
//
//   line 1   0-6  "IV: Où?"        LF  7   turn 1 (IV)  4-7
//   line 2   8-20 "R: Zoë — oui."  LF 21   turn 2 (R)  11-21
//   line 3        ""               LF 22
//   line 4  23-29 "R: Non."        LF 30   turn 3 (R)  26-30
//
// 31 code points; line n starts at 0, 8, 22, 23 and ends at 7, 21, 22, 30.
coding::document small_document() {
  return coding::parse_transcript("IV: O\xC3\xB9?\nR: Zo\xC3\xAB \xE2\x80\x94 oui.\n\nR: Non.\n",
                                  "D1.txt");
}

}  // namespace

TEST_CASE("the selectors' document is what the tests expect") {
  const auto doc = small_document();
  REQUIRE(doc.length == 31);
  REQUIRE(doc.turns.size() == 3);
  CHECK(doc.turns[1].start == 11);
  CHECK(doc.turns[1].end == 21);
}

TEST_CASE("select_chars takes an end-exclusive range of code points") {
  const auto doc = small_document();
  CHECK(coding::select_chars(doc, "4:7") == span{4, 7});
  CHECK(coding::select_chars(doc, "0:31") == span{0, 31});  // the whole text
  CHECK(coding::select_chars(doc, "30:31") == span{30, 31});
}

TEST_CASE("select_chars rejects a range past the end") {
  const auto doc = small_document();
  CHECK_THROWS_WITH_AS(coding::select_chars(doc, "0:32"),
                       doctest::Contains("runs past the end of document 'D1', which has 31 "
                                         "characters"),
                       coding::input_error);
  CHECK_THROWS_AS(coding::select_chars(doc, "40:50"), coding::input_error);
}

TEST_CASE("select_chars rejects reversed and empty ranges") {
  const auto doc = small_document();
  CHECK_THROWS_WITH_AS(coding::select_chars(doc, "7:4"), doctest::Contains("empty or reversed"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(coding::select_chars(doc, "5:5"), doctest::Contains("empty or reversed"),
                       coding::input_error);
}

TEST_CASE("select_chars rejects malformed ranges") {
  const auto doc = small_document();
  for (const char* bad : {"3:", ":3", "a:b", "12", "-1:3", "1-3", " 1:3", "1:3x", ""}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(coding::select_chars(doc, bad), doctest::Contains("malformed --chars"),
                         coding::input_error);
  }
}

TEST_CASE("select_lines runs from the start of the first line to the end of the last") {
  const auto doc = small_document();
  CHECK(coding::select_lines(doc, "1") == span{0, 7});
  CHECK(coding::select_lines(doc, "2") == span{8, 21});
  CHECK(coding::select_lines(doc, "1-2") == span{0, 21});
  CHECK(coding::select_lines(doc, "2-3") == span{8, 22});  // the blank line 3 adds its start
  CHECK(coding::select_lines(doc, "4") == span{23, 30});
  CHECK(coding::select_lines(doc, "1-4") == span{0, 30});  // not the final LF
}

TEST_CASE("select_lines rejects a blank line, which holds no text") {
  const auto doc = small_document();
  CHECK_THROWS_WITH_AS(coding::select_lines(doc, "3"), doctest::Contains("holds no text"),
                       coding::input_error);
}

TEST_CASE("select_lines rejects lines past the end") {
  const auto doc = small_document();
  CHECK_THROWS_WITH_AS(coding::select_lines(doc, "5"),
                       doctest::Contains("runs past the end of document 'D1', which has 4 lines"),
                       coding::input_error);
  CHECK_THROWS_AS(coding::select_lines(doc, "3-9"), coding::input_error);
}

TEST_CASE("select_lines rejects line zero and reversed ranges") {
  const auto doc = small_document();
  CHECK_THROWS_WITH_AS(coding::select_lines(doc, "0"), doctest::Contains("numbered from 1"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(coding::select_lines(doc, "0-2"), doctest::Contains("numbered from 1"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(coding::select_lines(doc, "4-2"),
                       doctest::Contains("must not come before the first"), coding::input_error);
}

TEST_CASE("select_lines rejects malformed ranges") {
  const auto doc = small_document();
  for (const char* bad : {"3-", "-3", "a:b", "a-b", "1-2-3", "1:2", ""}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(coding::select_lines(doc, bad), doctest::Contains("malformed --lines"),
                         coding::input_error);
  }
}

TEST_CASE("select_turns runs from the start of the first turn to the end of the last") {
  const auto doc = small_document();
  CHECK(coding::select_turns(doc, "1") == span{4, 7});
  CHECK(coding::select_turns(doc, "2") == span{11, 21});
  CHECK(coding::select_turns(doc, "2-3") == span{11, 30});
  CHECK(coding::select_turns(doc, "1-3") == span{4, 30});
}

TEST_CASE("select_turns rejects turns past the end, zero and reversed ranges") {
  const auto doc = small_document();
  CHECK_THROWS_WITH_AS(coding::select_turns(doc, "4"),
                       doctest::Contains("runs past the end of document 'D1', which has 3 turns"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(coding::select_turns(doc, "0"), doctest::Contains("numbered from 1"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(coding::select_turns(doc, "3-2"),
                       doctest::Contains("must not come before the first"), coding::input_error);
}

TEST_CASE("select_turns rejects malformed ranges") {
  const auto doc = small_document();
  for (const char* bad : {"3-", "a:b", "x", "2:3"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(coding::select_turns(doc, bad), doctest::Contains("malformed --turns"),
                         coding::input_error);
  }
}

TEST_CASE("select_turns of a document without turns has nothing to select") {
  const auto doc = coding::parse_transcript("Just notes, no speakers.\n", "N1.txt");
  REQUIRE(doc.turns.empty());
  CHECK_THROWS_WITH_AS(coding::select_turns(doc, "1"), doctest::Contains("which has 0 turns"),
                       coding::input_error);
}

TEST_CASE("coding_origin::where says where a coding came from") {
  const coding::coding_origin command_line;
  CHECK(command_line.where(4) == "");
  coding::coding_origin row;
  row.file = "codings.csv";
  row.line = 14;
  CHECK(row.where(4) == "in codings.csv:14, column 4");
  CHECK(row.where(0) == "in codings.csv:14");
}

TEST_CASE("default_coder honours QCODE_CODER") {
  const char* saved = std::getenv("QCODE_CODER");
  const std::optional<std::string> previous =
      saved ? std::optional<std::string>(saved) : std::nullopt;

  setenv("QCODE_CODER", "tester", 1);
  CHECK(coding::default_coder() == "tester");

  setenv("QCODE_CODER", "", 1);  // empty: as if unset
  CHECK_FALSE(coding::default_coder().empty());
  CHECK(coding::default_coder() != "tester");

  unsetenv("QCODE_CODER");
  CHECK_FALSE(coding::default_coder().empty());
  CHECK(coding::default_coder() != "tester");

  if (previous) setenv("QCODE_CODER", previous->c_str(), 1);
}

TEST_CASE("a reference cites the turn's time and the lines, or the lines alone") {
  // "IV (00:00:05): Hi?\nR (00:12:31): Fine.\nR: More.\n": turn 2 ("Fine.") is 34..39 at 751 s;
  // turn 3 ("More.") has no time and is line 3.
  const auto doc = coding::parse_transcript(
      "---\ncase: K\nspeakers: {IV: interviewer, R: K}\n---\nIV (00:00:05): Hi?\nR (00:12:31): "
      "Fine.\nR: More.\n",
      "T07.txt");
  REQUIRE(doc.turns.size() == 3);
  CHECK(doc.turns[1].time == doctest::Approx(751.0));
  CHECK(coding::reference(doc, {doc.turns[1].start, doc.turns[1].end}) == "T07 12:31 l.2");
  CHECK(coding::reference(doc, {doc.turns[2].start, doc.turns[2].end}) == "T07 l.3");
  CHECK(coding::reference(doc, {0, doc.turns[2].end}) == "T07 0:05 l.1-3");
  CHECK(coding::reference(doc, {doc.turns[1].end, doc.turns[2].end}) == "T07 l.2-3");
}

TEST_CASE("passages of one long timed turn have references that tell them apart") {
  // Line 1 "IV (01:19:20): Go on?" is 0..21; line 2 starts at 22 and its label
  // "R (01:19:23): " takes 14 code points, so the turn's text starts at 36: "First point."
  // 36..48 (line 2), "Second point." 49..62 (line 3), "Third point." 63..75 (line 4).
  const auto doc = coding::parse_transcript(
      "---\ncase: K\nspeakers: {IV: interviewer, R: K}\n---\nIV (01:19:20): Go on?\n"
      "R (01:19:23): First point.\nSecond point.\nThird point.\n",
      "otter.txt");
  REQUIRE(doc.turns.size() == 2);
  REQUIRE(doc.turns[1].start == 36);
  REQUIRE(doc.turns[1].end == 75);
  CHECK(coding::reference(doc, {36, 48}) == "otter 1:19:23 l.2");
  CHECK(coding::reference(doc, {49, 62}) == "otter 1:19:23 l.3");
  CHECK(coding::reference(doc, {49, 75}) == "otter 1:19:23 l.3-4");
  // A passage that starts in the label's line but in the interviewer's turn takes that time.
  CHECK(coding::reference(doc, {15, 48}) == "otter 1:19:20 l.1-2");
}

TEST_CASE("intersect_passages keeps the text both selections share, piece by piece") {
  using coding::intersect_passages;
  using spans = std::vector<coding::span>;
  // [0,10) and [20,30) against [5,25): the right end of the first, the left end of the second.
  CHECK(intersect_passages({{0, 10}, {20, 30}}, {{5, 25}}) == spans{{5, 10}, {20, 25}});
  // Passages that only touch share nothing; an empty side selects nothing.
  CHECK(intersect_passages({{0, 10}}, {{10, 20}}).empty());
  CHECK(intersect_passages({{0, 10}}, {}).empty());
  // Adjacent pieces are not merged: two words stay two passages.
  CHECK(intersect_passages({{0, 5}, {5, 10}}, {{0, 10}}) == spans{{0, 5}, {5, 10}});
  // Identical pieces come once; the result is in text order whatever the order given.
  CHECK(intersect_passages({{20, 30}, {0, 10}, {0, 10}}, {{0, 30}}) == spans{{0, 10}, {20, 30}});
  // Overlapping passages of b (hits widened to one paragraph [0,40) and to [12,18)) each cut
  // a: [10,20) gives [10,20) and [12,18); a passage of b that ends early does not hide a
  // later one that overlaps.
  CHECK(intersect_passages({{10, 20}}, {{12, 18}, {0, 40}}) == spans{{10, 20}, {12, 18}});
  CHECK(intersect_passages({{30, 35}}, {{0, 40}, {5, 10}}) == spans{{30, 35}});
}
