// Tests for libcoding/src/speakers.cpp and speakers_check.cpp, on the hand-built study of
// speaker_study.hpp (its comment works out every expected value).

#include <doctest/doctest.h>

#include <coding/speakers.hpp>

#include "speaker_study.hpp"

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : "|") + x;
  return out;
}

}  // namespace

TEST_CASE("list_speakers gives each label its role, group, turns, characters and codings") {
  const auto s = test::speaker_study();
  const auto l = coding::list_speakers(s);
  REQUIRE(l.size() == 7);
  struct row {
    const char* doc;
    const char* label;
    const char* case_id;
    bool interviewer;
    const char* group;
    std::size_t turns, characters, codings;
  };
  // Codings that overlap the label's turns: Bob c1, c5; Hurst c3, c4, c5; IV c6, c7.
  const row expected[] = {
      {"G1", "Mod", "", true, "", 1, 8, 1},          {"G1", "Ann", "K1", false, "staff", 1, 11, 1},
      {"G1", "Bob", "K2", false, "client", 1, 7, 2}, {"G1", "Hurst, Peter", "", false, "", 1, 7, 3},
      {"G1", "Cy", "", false, "", 1, 3, 0},          {"I1", "IV", "", true, "", 1, 4, 2},
      {"I1", "R", "K3", false, "client", 1, 8, 1}};
  for (std::size_t i = 0; i < l.size(); ++i) {
    CAPTURE(i);
    CHECK(l[i].doc == expected[i].doc);
    CHECK(l[i].role.label == expected[i].label);
    CHECK(l[i].role.case_id.value_or("") == expected[i].case_id);
    CHECK(l[i].role.interviewer == expected[i].interviewer);
    CHECK(l[i].group == expected[i].group);
    CHECK(l[i].turns == expected[i].turns);
    CHECK(l[i].characters == expected[i].characters);
    CHECK(l[i].codings == expected[i].codings);
  }
  CHECK(l[3].role.unmapped());
  CHECK_FALSE(l[0].role.unmapped());
}

TEST_CASE("list_cases gives each case the documents it speaks in, and none for a silent case") {
  const auto s = test::speaker_study();
  const auto l = coding::list_cases(s);
  REQUIRE(l.size() == 5);
  CHECK(l[0].record.id == "K1");
  REQUIRE(l[0].places.size() == 1);
  CHECK((l[0].places[0].doc == "G1" && !l[0].places[0].interview && l[0].places[0].turns == 1));
  REQUIRE(l[2].places.size() == 1);
  // The interview counts all its turns for its case, the interviewer's too.
  CHECK((l[2].places[0].doc == "I1" && l[2].places[0].interview && l[2].places[0].turns == 2));
  CHECK(l[3].places.empty());
  CHECK(l[4].places.empty());
}

TEST_CASE("speaker_index names the cases, groups and speakers of a passage in text order") {
  const auto s = test::speaker_study();
  const coding::speaker_index who(s);
  // c1 spans Ann's and Bob's turns.
  auto p = who.of("G1", 19, 43);
  CHECK(joined(p.cases) == "K1|K2");
  CHECK(joined(p.groups) == "staff|client");
  CHECK(joined(p.speakers) == "Ann|Bob");
  // c2 is only the moderator's: heard, but it speaks for nobody.
  p = who.of("G1", 5, 13);
  CHECK(p.cases.empty());
  CHECK(p.groups.empty());
  CHECK(joined(p.speakers) == "Mod");
  // c5 spans Bob's turn and the unmapped Hurst's: it counts for Bob's case only.
  p = who.of("G1", 40, 60);
  CHECK(joined(p.cases) == "K2");
  CHECK(joined(p.speakers) == "Bob|Hurst, Peter");
  // c6 is only the interviewer's, in a one-to-one interview: it counts for its case.
  p = who.of("I1", 4, 8);
  CHECK(joined(p.cases) == "K3");
  CHECK(joined(p.groups) == "client");
  CHECK(joined(p.speakers) == "IV");
  // Between turns (the label "Bob: " at 31-36) no speaker is heard.
  CHECK(who.of("G1", 31, 36).speakers.empty());
  CHECK(who.of("G9", 0, 5).speakers.empty());
}

TEST_CASE("a group shared by several cases of a passage is named once") {
  auto s = test::speaker_study();
  s.cases[0].attributes["group"] = "client";
  const coding::speaker_index who(s);
  const auto p = who.of("G1", 19, 43);
  CHECK(joined(p.cases) == "K1|K2");
  CHECK(joined(p.groups) == "client");
}

TEST_CASE("find_unmapped_speech reports unmapped labels whose turns hold codings") {
  const auto s = test::speaker_study();
  const auto u = coding::find_unmapped_speech(s);
  // Hurst's turn holds c3, c4 and c5, but c5 also reaches Bob's turn and counts for K2:
  // two are lost. Cy, also unmapped, has no codings; the moderator and the interviewer are
  // mapped as such.
  REQUIRE(u.size() == 1);
  CHECK(u[0].doc == "G1");
  CHECK(u[0].label == "Hurst, Peter");
  CHECK(u[0].codings == 2);
  CHECK(u[0].message() ==
        "G1: speaker 'Hurst, Peter' is not mapped to a case, and 2 codings in its turns count for "
        "nobody; map it with: qcode speakers map G1 'Hurst, Peter=CASE'");
}

TEST_CASE("find_unmapped_speech leaves out mapped labels and one-to-one interviews") {
  auto s = test::speaker_study();
  // Mapped to a case, Hurst's codings count: nothing to report.
  for (auto& r : s.documents[0].speakers)
    if (r.label == "Hurst, Peter") {
      r.case_id = "K1";
      r.declared = true;
    }
  coding::attribute_turns(s.documents[0]);
  // A label declared with no case in an interview still speaks for the interview's case.
  s.documents[1].speakers[1].declared = true;
  s.documents[1].speakers[1].case_id.reset();
  coding::attribute_turns(s.documents[1]);
  REQUIRE(s.documents[1].speakers[1].unmapped());
  CHECK(coding::find_unmapped_speech(s).empty());
}

TEST_CASE("the unmapped speech message quotes what the shell needs and counts in the singular") {
  const coding::unmapped_speech u{"G 2", "O'Neill", 1};
  CHECK(u.message() ==
        "G 2: speaker 'O'Neill' is not mapped to a case, and 1 coding in its turns counts for "
        "nobody; map it with: qcode speakers map 'G 2' 'O'\\''Neill=CASE'");
}
