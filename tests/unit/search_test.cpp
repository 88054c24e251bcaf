// Tests of libcoding/src/search.cpp: matching, widening hits, word counts and search hits.

#include "coding/search.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "coding/document.hpp"
#include "coding/error.hpp"

using coding::expand_unit;
using coding::find_matches;
using coding::match_options;
using coding::span;

namespace {

std::vector<span> spans(std::initializer_list<span> l) {
  return l;
}

}  // namespace

TEST_CASE("plain search ignores case and accents by default") {
  // "Zoë met ZOE and zoe."
  //  0123456789012345678 : Z0 o1 ë2 ' '3 m4 e5 t6 ' '7 Z8 O9 E10 ' '11 a12 n13 d14 ' '15 z16 o17
  //  e18 .19
  const std::string text = "Zo\xC3\xAB met ZOE and zoe.";
  CHECK(find_matches(text, "zoe") == spans({{0, 3}, {8, 11}, {16, 19}}));
  CHECK(find_matches(text, "ZOË") == spans({{0, 3}, {8, 11}, {16, 19}}));
}

TEST_CASE("case- and accent-sensitive search tells them apart") {
  const std::string text = "Zo\xC3\xAB met ZOE and zoe.";
  match_options accents;
  accents.accent_sensitive = true;
  CHECK(find_matches(text, "zoe", accents) == spans({{8, 11}, {16, 19}}));
  match_options cased;
  cased.case_sensitive = true;
  CHECK(find_matches(text, "zoe", cased) == spans({{16, 19}}));  // Zoë differs in case
  match_options both = cased;
  both.accent_sensitive = true;
  CHECK(find_matches(text, "Zo\xC3\xAB", both) == spans({{0, 3}}));
}

TEST_CASE("whole words by default, partial words on request") {
  // "A car, a career, cars." car at 2-5; career at 9-15 (car at 9-12); cars at 17-21 (car 17-20)
  const std::string text = "A car, a career, cars.";
  CHECK(find_matches(text, "car") == spans({{2, 5}}));
  match_options partial;
  partial.whole_words = false;
  CHECK(find_matches(text, "car", partial) == spans({{2, 5}, {9, 12}, {17, 20}}));
  CHECK(find_matches(text, "a career") == spans({{7, 15}}));
}

TEST_CASE("spans are code points even after non-ASCII text") {
  // "“Café” naïve café": “0 C1 a2 f3 é4 ”5 ' '6 n7 a8 ï9 v10 e11 ' '12 c13 a14 f15 é16
  // The curly quotes take 3 bytes and é, ï 2 each, so byte offsets would be larger.
  const std::string text =
      "\xE2\x80\x9C"
      "Caf\xC3\xA9"
      "\xE2\x80\x9D na\xC3\xAFve caf\xC3\xA9";
  CHECK(find_matches(text, "cafe") == spans({{1, 5}, {13, 17}}));
  CHECK(find_matches(text, "naive") == spans({{7, 12}}));
  // Outside the BMP: "😀 yes" 😀 is one code point (two UTF-16 units): yes at 2-5.
  CHECK(find_matches("\xF0\x9F\x98\x80 yes", "YES") == spans({{2, 5}}));
}

TEST_CASE("regular expressions are case-insensitive unless asked") {
  const std::string text = "Yes, yes. YES! no";
  // Y0 e1 s2 ,3 ' '4 y5 e6 s7 .8 ' '9 Y10 E11 S12 !13 ' '14 n15 o16
  match_options re;
  re.regex = true;
  CHECK(find_matches(text, "y[a-z]s", re) == spans({{0, 3}, {5, 8}, {10, 13}}));
  re.case_sensitive = true;
  CHECK(find_matches(text, "y[a-z]s", re) == spans({{5, 8}}));
  // Code points after non-ASCII text: "é é" é0 ' '1 é2.
  CHECK(find_matches("\xC3\xA9 \xC3\xA9", "\\w", re) == spans({{0, 1}, {2, 3}}));
}

TEST_CASE("a bad regular expression is an input error naming the pattern and offset") {
  match_options re;
  re.regex = true;
  CHECK_THROWS_AS(find_matches("text", "(unclosed", re), coding::input_error);
  try {
    find_matches("text", "a(b", re);
    FAIL("no error");
  } catch (const coding::input_error& e) {
    const std::string what = e.what();
    CHECK(what.find("bad regular expression 'a(b'") != std::string::npos);
    CHECK(what.find("U_REGEX_") != std::string::npos);
    CHECK(what.find("at offset") != std::string::npos);
  }
  CHECK_THROWS_AS(find_matches("text", ""), coding::input_error);
}

namespace {
std::string refusal(std::string_view text, std::string_view query, const match_options& o) {
  try {
    find_matches(text, query, o);
  } catch (const coding::input_error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("white space alone is no search text") {
  const std::string text = "a b\tc\n d";
  for (const char* q : {" ", "  ", "\t", " \n ", "\xC2\xA0", "\xE2\x80\x83 "}) {
    CAPTURE(q);
    CHECK(refusal(text, q, {}) ==
          "the search text is only white space; give a word or phrase to look for");
  }
  // With --partial-words too; a word with spaces around it is still searched for.
  match_options partial;
  partial.whole_words = false;
  CHECK(refusal(text, " ", partial).find("only white space") != std::string::npos);
  CHECK(find_matches("a b c", " b ") == spans({{1, 4}}));
  // A regular expression may look for spaces: "a b\tc" has one space at 1.
  match_options re;
  re.regex = true;
  CHECK(find_matches("a b", " ", re) == spans({{1, 2}}));
}

TEST_CASE("a regular expression that matches empty text is refused") {
  match_options re;
  re.regex = true;
  for (const char* q : {"x*", "^", "$", "\\b", "\\B", "(?=w)", "a|", "(yes)?", "\\s*"}) {
    CAPTURE(q);
    CHECK(refusal("yes no", q, re) ==
          "the regular expression '" + std::string(q) +
              "' matches empty text; write one that needs at least one character (as "
              "'colou?r', not 'x*' or '\\b')");
  }
  // Refused whatever the text, even one where it would find nothing at all.
  CHECK(refusal("", "x*", re).find("matches empty text") != std::string::npos);
  // Patterns that need a character are fine, anchors and boundaries included.
  CHECK(find_matches("yes no", "\\byes\\b", re) == spans({{0, 3}}));
  CHECK(find_matches("yes no", "no$", re) == spans({{4, 6}}));
  CHECK(find_matches("yes no", "x+|no", re) == spans({{4, 6}}));
}

TEST_CASE("a trailing wildcard finds the rest of the word, still whole words at its start") {
  // "Computers, a microcomputer, computing and COMPUT.": Computers 0-9, microcomputer 13-26,
  // computing 28-37, COMPUT 42-48. "comput*" is whole-word at its start, so it does not
  // find microcomputer; it finds "comput" alone too (the rest may be empty).
  const std::string text = "Computers, a microcomputer, computing and COMPUT.";
  CHECK(find_matches(text, "comput*") == spans({{0, 9}, {28, 37}, {42, 48}}));
  CHECK(find_matches(text, "computer") == spans({}));  // without the wildcard, whole words only
  // Partial words: "omput" at 1, 19, 29 and 43, each run on to its word's end.
  match_options partial;
  partial.whole_words = false;
  CHECK(find_matches(text, "omput*", partial) == spans({{1, 9}, {19, 26}, {29, 37}, {43, 48}}));
  // "na" is at 2 and 4 in "banana"; the first hit runs to 6 and takes in the second.
  CHECK(find_matches("banana", "na*", partial) == spans({{2, 6}}));
}

TEST_CASE("a trailing wildcard ignores case and accents as plain search does") {
  // "Café, cafés, cafeteria.": Café 0-4, cafés 6-11, cafeteria 13-22.
  const std::string text = "Caf\xC3\xA9, caf\xC3\xA9s, cafeteria.";
  CHECK(find_matches(text, "cafe*") == spans({{0, 4}, {6, 11}, {13, 22}}));
  match_options accents;
  accents.accent_sensitive = true;
  CHECK(find_matches(text, "cafe*", accents) == spans({{13, 22}}));
  CHECK(find_matches(text, "CAF\xC3\x89*", accents) == spans({{0, 4}, {6, 11}}));
}

TEST_CASE("a wildcard on a phrase's last word widens only that word") {
  // "child care, child carers and childcare.": "child care" 0-10, "child carers" 12-24;
  // "childcare" (29-38) has no space, so the phrase does not find it.
  const std::string text = "child care, child carers and childcare.";
  CHECK(find_matches(text, "child care*") == spans({{0, 10}, {12, 24}}));
  CHECK(find_matches(text, "CHILD CARE*") == spans({{0, 10}, {12, 24}}));
}

TEST_CASE("a star anywhere but at the end of the last word is refused") {
  for (const std::string q : {"comp*ter", "*", "care *", "comput**", "*care", "child* care"}) {
    const auto message = "misplaced '*' in '" + q + "'";
    CHECK_THROWS_WITH_AS(find_matches("text", q), doctest::Contains(message.c_str()),
                         coding::input_error);
  }
  // In a regular expression '*' keeps its meaning: "comput*" is "compu" then any t's.
  match_options re;
  re.regex = true;
  CHECK(find_matches("compu computt", "comput*", re) == spans({{0, 5}, {6, 13}}));
}

namespace {

// The mini fixture's I1: "IV: Why?⏎R: Because it helped.⏎IV: More?⏎R: Café was naïve.⏎"
// turns 4-8, 12-30, 35-40, 44-59 (tests/fixtures/mini/WORKING.md).
coding::document interview() {
  coding::document d;
  d.id = "I1";
  d.text = "IV: Why?\nR: Because it helped.\nIV: More?\nR: Caf\xC3\xA9 was na\xC3\xAFve.\n";
  d.length = 60;
  d.case_id = "K1";
  d.turns = {{"IV", std::nullopt, 4, 8, std::nullopt},
             {"R", "K1", 12, 30, std::nullopt},
             {"IV", std::nullopt, 35, 40, std::nullopt},
             {"R", "K1", 44, 59, std::nullopt}};
  return d;
}

}  // namespace

TEST_CASE("expand widens a hit to its turn") {
  const auto d = interview();
  // "helped" is 23-29 in turn 2 (12-30).
  CHECK(coding::expand(d, {23, 29}, expand_unit::turn) == span{12, 30});
  CHECK(coding::expand(d, {23, 29}, expand_unit::none) == span{23, 29});
  // From turn 2 into turn 3: both turns.
  CHECK(coding::expand(d, {28, 37}, expand_unit::turn) == span{12, 40});
  // Inside a speaker label (no turn): unchanged.
  CHECK(coding::expand(d, {0, 2}, expand_unit::turn) == span{0, 2});
}

TEST_CASE("expand widens a hit to its sentence") {
  coding::document d;
  // "R: It was fine. Then it got worse! Really.⏎"
  //  R0 :1 ' '2 I3 ... "It was fine." is 3-15, ' ' 15, "Then it got worse!" 16-34,
  //  ' ' 34, "Really." 35-42, LF 42. One turn, 3-42.
  d.text = "R: It was fine. Then it got worse! Really.\n";
  d.turns = {{"R", "K1", 3, 42, std::nullopt}};
  // "got" is 24-27.
  CHECK(coding::expand(d, {24, 27}, expand_unit::sentence) == span{16, 34});
  // "fine" 10-14: the first sentence, starting after the label.
  CHECK(coding::expand(d, {10, 14}, expand_unit::sentence) == span{3, 15});
  // Across two sentences: "fine. Then" 10-20.
  CHECK(coding::expand(d, {10, 20}, expand_unit::sentence) == span{3, 34});
  // Interview: "Café" 44-48 in turn 4 (44-59): the sentence is the whole turn.
  CHECK(coding::expand(interview(), {44, 48}, expand_unit::sentence) == span{44, 59});
}

TEST_CASE("expand widens a hit to its paragraph") {
  coding::document d;
  // "one two⏎three⏎⏎four five⏎": line 1 0-7, line 2 8-13, line 3 (blank) 14-14,
  // line 4 15-24.
  d.text = "one two\nthree\n\nfour five\n";
  CHECK(coding::expand(d, {4, 7}, expand_unit::paragraph) == span{0, 13});
  CHECK(coding::expand(d, {20, 24}, expand_unit::paragraph) == span{15, 24});
}

namespace {

// Counts as "word count" strings, in count_words' order, for readable failures.
std::vector<std::string> counted(const std::vector<coding::word_count>& counts) {
  std::vector<std::string> out;
  for (const auto& c : counts) out.push_back(c.word + " " + std::to_string(c.count));
  return out;
}

// Options as the words command sets them.
coding::word_count_options counting(bool keep_stop_words, bool keep_fillers,
                                    std::vector<std::string> stop_words = {}) {
  coding::word_count_options o;
  o.keep_stop_words = keep_stop_words;
  o.keep_fillers = keep_fillers;
  o.stop_words = std::move(stop_words);
  return o;
}

}  // namespace

TEST_CASE("count_words folds case and leaves out stop words") {
  // Words: The, café, CAFÉ, is, open, and, the, Café, is, 24, hours, don't, don’t
  // Without stop words (the, is, and, don't): café 3, open 1, 24 1, hours 1.
  const std::string text =
      "The caf\xC3\xA9, CAF\xC3\x89 is open; and the Caf\xC3\xA9 is 24 hours. Don't "
      "don\xE2\x80\x99t!";
  const auto counts = coding::count_words(text);
  REQUIRE(counts.size() == 4);
  CHECK(counts[0].word == "caf\xC3\xA9");
  CHECK(counts[0].count == 3);
  // Ties sorted by word: "24" < "hours" < "open".
  CHECK(counts[1].word == "24");
  CHECK(counts[2].word == "hours");
  CHECK(counts[3].word == "open");
  CHECK(counts[3].count == 1);

  // With stop words: café 3, the 2, is 2, don't 2 (’ written '), and 1, open 1, 24 1, hours 1.
  const auto all = coding::count_words(text, counting(true, false));
  REQUIRE(all.size() == 8);
  CHECK(all[0].word == "caf\xC3\xA9");
  CHECK(all[1].word == "don't");
  CHECK(all[1].count == 2);
  CHECK(all[2].word == "is");
  CHECK(all[3].word == "the");
  CHECK(all[3].count == 2);
  CHECK(all[4].word == "24");
}

// The words, in order: um i like it you know it was kind of slow uh like really slow yeah
// i know you know. "you know" and "kind of" follow each other with one space between.
const std::string kFillerText =
    "Um, I like it. You know, it was kind of slow, uh, like, really slow. Yeah. I know you know.";

TEST_CASE("count_words leaves out spoken fillers and filler phrases by default") {
  // Fillers: um, like (twice), uh, yeah; phrases: "you know" (twice), "kind of"; stop
  // words: i (twice), it (twice), was. Left: slow 2, know 1 (in "I know"), really 1.
  CHECK(counted(coding::count_words(kFillerText)) ==
        std::vector<std::string>{"slow 2", "know 1", "really 1"});
}

TEST_CASE("count_words keeps fillers on request but still leaves out stop words") {
  // know: "You know", "I know", "you know"; like twice; kind (of is a stop word).
  CHECK(counted(coding::count_words(kFillerText, counting(false, true))) ==
        std::vector<std::string>{"know 3", "like 2", "slow 2", "kind 1", "really 1", "uh 1", "um 1",
                                 "yeah 1"});
}

TEST_CASE("count_words with keep_stop_words counts every word") {
  // 20 words: know 3, i 2, it 2, like 2, slow 2, you 2, and 1 each of kind, of, really,
  // uh, um, was, yeah.
  CHECK(counted(coding::count_words(kFillerText, counting(true, false))) ==
        std::vector<std::string>{"know 3", "i 2", "it 2", "like 2", "slow 2", "you 2", "kind 1",
                                 "of 1", "really 1", "uh 1", "um 1", "was 1", "yeah 1"});
}

TEST_CASE("count_words leaves out a phrase only where its words follow with white space") {
  // "You, know": a comma between, so know counts; "You\nknow" is the phrase.
  CHECK(counted(coding::count_words("You, know. You\nknow")) == std::vector<std::string>{"know 1"});
}

TEST_CASE("count_words leaves out extra stop words and phrases, case-insensitively") {
  // Added to the built-in lists: really goes; "slow down" never occurs.
  CHECK(
      counted(coding::count_words(kFillerText, counting(false, false, {"REALLY", "slow down"}))) ==
      std::vector<std::string>{"slow 2", "know 1"});
  // Replacing them: only "it" and "you know" (twice) go; "I know" stays.
  CHECK(counted(coding::count_words(kFillerText, counting(true, false, {"it", "You Know"}))) ==
        std::vector<std::string>{"i 2", "like 2", "slow 2", "kind 1", "know 1", "of 1", "really 1",
                                 "uh 1", "um 1", "was 1", "yeah 1"});
}

TEST_CASE("a stop-words list has one word or phrase a line, with comments") {
  CHECK(coding::parse_stop_words("# my list\nInterviewer\n  you see  # a phrase\n\nresearch",
                                 "stop.txt") ==
        std::vector<std::string>{"Interviewer", "you see", "research"});
  // Line 3 is punctuation only.
  CHECK_THROWS_WITH_AS(coding::parse_stop_words("um\n# fine\n...\n", "stop.txt"),
                       "stop.txt:3:1: '...' has no word to leave out; write one word or phrase "
                       "per line (# starts a comment)",
                       coding::parse_error);
  CHECK_THROWS_WITH_AS(coding::read_stop_words("/nonexistent-qcode/stop.txt"),
                       doctest::Contains("cannot open '/nonexistent-qcode/stop.txt'"),
                       coding::input_error);
}

TEST_CASE("search_study reports hits with speaker, case, group and context") {
  coding::study s;
  s.fw.group_attribute = "group";
  s.documents = {interview()};
  s.cases = {{"K1", "", {{"group", "client"}}, ""}};
  coding::search_options o;
  o.width = 5;
  // "Café" 44-48, line 4, R = K1; before: code points 39-44 "?⏎R: " flattened "? R: ".
  auto hits = coding::search_study(s, "cafe", o);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == span{44, 48});
  CHECK(hits[0].line == 4);
  CHECK(hits[0].speaker == "R");
  CHECK(hits[0].case_id == "K1");
  CHECK(hits[0].group == "client");
  CHECK(hits[0].before == "? R: ");
  CHECK(hits[0].match == "Caf\xC3\xA9");
  CHECK(hits[0].after == " was ");
  o.where = {{"group", "staff"}};
  CHECK(coding::search_study(s, "cafe", o).empty());
  o.where = {{"grup", "staff"}};
  CHECK_THROWS_WITH_AS(coding::search_study(s, "cafe", o),
                       doctest::Contains("did you mean 'group'?"), coding::input_error);
  o.where.clear();
  o.docs = {"I9"};
  CHECK_THROWS_WITH_AS(coding::search_study(s, "cafe", o),
                       doctest::Contains("unknown document 'I9'"), coding::input_error);
}
