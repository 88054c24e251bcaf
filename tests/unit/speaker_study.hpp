#pragma once
// A study built by hand for the tests of who a passage speaks for (speakers, codings
// export, report overview, check). Offsets are code points from 0, end exclusive; the
// text is ASCII, so they are also bytes.
//
// G1, a group discussion (no case of its own), 74 code points:
//
//   line                       turn    speaker        role
//   Mod: Welcome.              5-13    Mod            interviewer
//   Ann: I liked it.           19-30   Ann            K1 (staff)
//   Bob: Not me.               36-43   Bob            K2 (client)
//   Hurst, Peter: Me too.      58-65   Hurst, Peter   not mapped
//   Cy: Hm.                    70-73   Cy             not mapped
//
// I1, a one-to-one interview with K3 (client), 21 code points:
//
//   IV: Why?                   4-8     IV             interviewer
//   R: Because.                12-20   R              K3, the document's case
//
// Cases K1 staff, K2 client, K3 client, K4 without the group attribute, K5 with an
// empty group. Codings (code, coder):
//
//   c1 G1 19-43 a.x anna   Ann's and Bob's turns   K1; K2
//   c2 G1 5-13  b.y anna   only the moderator's    nobody
//   c3 G1 58-65 a.x anna   only Hurst's            nobody
//   c4 G1 60-62 b.y ben    only Hurst's            nobody
//   c5 G1 40-60 b.y ben    Bob's and Hurst's       K2
//   c6 I1 4-8   a.x anna   only the interviewer's  K3 (one-to-one: the document's case)
//   c7 I1 4-20  b.y anna   IV's and R's            K3

#include <doctest/doctest.h>

#include <coding/analysis.hpp>
#include <coding/document.hpp>
#include <coding/framework.hpp>
#include <coding/project.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace test {

struct spoken_line {
  std::string label;
  std::string words;
};

// A document of "label: words" lines, with the roles given (a case id, or "interviewer").
inline coding::document hand_document(
    const std::string& id, std::optional<std::string> case_id,
    const std::vector<spoken_line>& lines,
    const std::vector<std::pair<std::string, std::string>>& roles) {
  coding::document d;
  d.id = id;
  d.title = id;
  d.case_id = std::move(case_id);
  for (const auto& l : lines) {
    coding::turn t;
    t.speaker = l.label;
    t.start = d.text.size() + l.label.size() + 2;
    t.end = t.start + l.words.size();
    d.text += l.label + ": " + l.words + "\n";
    d.turns.push_back(t);
    bool known = false;
    for (const auto& r : d.speakers) known = known || r.label == l.label;
    if (known) continue;
    coding::speaker_role role;
    role.label = l.label;
    for (const auto& [label, what] : roles)
      if (label == l.label) {
        role.declared = true;
        if (what == "interviewer")
          role.interviewer = true;
        else
          role.case_id = what;
      }
    d.speakers.push_back(role);
  }
  d.length = d.text.size();
  coding::attribute_turns(d);
  return d;
}

inline coding::coding_record hand_coding(const std::string& doc, std::size_t start, std::size_t end,
                                         const std::string& code, const std::string& coder) {
  coding::coding_record c;
  c.doc = doc;
  c.start = start;
  c.end = end;
  c.code = code;
  c.coder = coder;
  return c;
}

inline coding::study speaker_study() {
  coding::study s;
  auto fw = coding::check_framework(
      "id: hand\n"
      "title: Hand-built study\n"
      "groups:\n"
      "  attribute: group\n"
      "  values:\n"
      "    - {id: staff, label: Staff}\n"
      "    - {id: client, label: Clients}\n"
      "themes:\n"
      "  - id: a\n"
      "    label: Theme A\n"
      "    codes:\n"
      "      - {id: x, label: Code A.x}\n"
      "  - id: b\n"
      "    label: Theme B\n"
      "    codes:\n"
      "      - {id: y, label: Code B.y}\n",
      "hand.yaml");
  REQUIRE(fw.problems.empty());
  s.fw = *fw.result;
  s.documents.push_back(hand_document("G1", std::nullopt,
                                      {{"Mod", "Welcome."},
                                       {"Ann", "I liked it."},
                                       {"Bob", "Not me."},
                                       {"Hurst, Peter", "Me too."},
                                       {"Cy", "Hm."}},
                                      {{"Mod", "interviewer"}, {"Ann", "K1"}, {"Bob", "K2"}}));
  s.documents.push_back(
      hand_document("I1", "K3", {{"IV", "Why?"}, {"R", "Because."}}, {{"IV", "interviewer"}}));
  s.cases = {{"K1", "", {{"group", "staff"}}, ""},
             {"K2", "", {{"group", "client"}}, ""},
             {"K3", "", {{"group", "client"}}, ""},
             {"K4", "", {{"district", "North"}}, ""},
             {"K5", "", {{"group", ""}}, ""}};
  s.codings = {hand_coding("G1", 19, 43, "a.x", "anna"), hand_coding("G1", 5, 13, "b.y", "anna"),
               hand_coding("G1", 58, 65, "a.x", "anna"), hand_coding("G1", 60, 62, "b.y", "ben"),
               hand_coding("G1", 40, 60, "b.y", "ben"),  hand_coding("I1", 4, 8, "a.x", "anna"),
               hand_coding("I1", 4, 20, "b.y", "anna")};
  for (auto& c : s.codings)
    for (const auto& d : s.documents)
      if (d.id == c.doc) c.text = d.text.substr(c.start, c.end - c.start);
  return s;
}

}  // namespace test
