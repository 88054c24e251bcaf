// Tests of libcoding/src/coding/passages.cpp: passages chosen by speaker and by search,
// and several selectors combined.

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "coding/codings.hpp"
#include "coding/error.hpp"

using coding::selector;
using coding::span;
using kind = coding::selector::kind;

namespace {

// Turns, in code points:
//   "IV: Why?"                     turn 1 (IV)   4-8
//   "R: I care. We care a lot."    turn 2 (R)   12-34
//   "IV: Care?"                    turn 3 (IV)  39-44
std::vector<coding::document> two_documents() {
  return {coding::parse_transcript("IV: Why?\nR: I care. We care a lot.\nIV: Care?\n", "D1.txt"),
          coding::parse_transcript("R: No care here.\n", "D2.txt")};
}

}  // namespace

TEST_CASE("a speaker selects each of its turns, per document") {
  const auto docs = two_documents();
  const auto by_iv = coding::select_speaker(docs, "IV");
  REQUIRE(by_iv.size() == 2);
  CHECK(by_iv[0] == std::vector<span>{{4, 8}, {39, 44}});
  CHECK(by_iv[1].empty());
  const auto by_r = coding::select_speaker(docs, "R");
  CHECK(by_r[0] == std::vector<span>{{12, 34}});
  CHECK(by_r[1] == std::vector<span>{{3, 16}});
}

TEST_CASE("an unknown speaker is an input error naming the document and the speakers") {
  const auto docs = two_documents();
  CHECK_THROWS_AS(coding::select_speaker(docs, "X"), coding::input_error);
  try {
    coding::select_speaker({docs[0]}, "Iv");
    FAIL("no error");
  } catch (const coding::input_error& e) {
    const std::string what = e.what();
    CHECK(what.find("in document 'D1'") != std::string::npos);
    CHECK(what.find("(speakers: IV, R)") != std::string::npos);
  }
  coding::selection_options all;
  all.all_docs = true;
  try {
    coding::select_speaker(docs, "Q", all);
    FAIL("no error");
  } catch (const coding::input_error& e) {
    CHECK(std::string(e.what()).find("in any document") != std::string::npos);
  }
}

TEST_CASE("a search selects its hits, widened to the unit asked for") {
  const auto docs = two_documents();
  const auto hits = coding::select_matches(docs, "care", {}, coding::expand_unit::none);
  CHECK(hits[0] == std::vector<span>{{14, 18}, {23, 27}, {39, 43}});
  CHECK(hits[1] == std::vector<span>{{6, 10}});
  const auto turns = coding::select_matches({docs[0]}, "care", {}, coding::expand_unit::turn);
  CHECK(turns[0] == std::vector<span>{{12, 34}, {12, 34}, {39, 44}});
}

TEST_CASE("several selectors select the text they all share, in document order") {
  const auto docs = two_documents();
  const auto passages =
      coding::select_passages(docs, {{kind::speaker, "R"}, {kind::match, "care"}});
  const std::vector<std::pair<std::string, span>> want = {
      {"D1", {14, 18}}, {"D1", {23, 27}}, {"D2", {6, 10}}};
  CHECK(passages == want);
}

TEST_CASE("a search is widened before a speaker cuts it") {
  const auto docs = two_documents();
  coding::selection_options o;
  o.expand = coding::expand_unit::sentence;
  const auto passages =
      coding::select_passages({docs[0]}, {{kind::match, "we"}, {kind::speaker, "R"}}, o);
  REQUIRE(passages.size() == 1);
  CHECK(passages[0].second == span{20, 34});
}

TEST_CASE("a range applies to the first document; case-sensitive and partial-word searches") {
  const auto docs = two_documents();
  CHECK(coding::select_passages(docs, {{kind::chars, "12:16"}}) ==
        std::vector<std::pair<std::string, span>>{{"D1", {12, 16}}});
  coding::selection_options o;
  o.case_sensitive = true;
  CHECK(coding::select_passages({docs[0]}, {{kind::match, "Care"}}, o).size() == 1);
  o.case_sensitive = false;
  o.partial_words = true;
  CHECK(coding::select_passages({docs[0]}, {{kind::regex, "ar"}}, o).size() == 3);
  CHECK(coding::select_passages(docs, {}).empty());
  CHECK_THROWS_AS(coding::select_passages(docs, {{kind::lines, "9"}}), coding::input_error);
}
