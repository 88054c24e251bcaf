// Tests of libcoding/src/subtitles.cpp: the WebVTT and SubRip loaders.
//
// Expected texts and offsets are worked out by hand from the fixtures in
// tests/fixtures/subtitles/. Offsets are code points: "á", "’", "“" and the like count one
// each although they take two or three bytes. A turn is written "Name: said"; its start is
// the code point after ": ", and turns are separated by "\n\n" (two code points).

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "coding/document.hpp"
#include "coding/error.hpp"
#include "coding/text.hpp"
#include "loaders.hpp"
#include "test_support.hpp"

using coding::detail::loaded_text;
using coding::detail::loaded_turn;

namespace {

using test::real_transcript;

loaded_text load_fixture(const std::string& name) {
  const std::string path = test::fixture("subtitles/" + name);
  const std::string bytes = coding::read_file(path);
  return name.ends_with(".srt") ? coding::detail::load_srt(bytes, path)
                                : coding::detail::load_webvtt(bytes, path);
}

void check_turn(const loaded_turn& turn, std::string_view speaker, std::size_t start,
                std::size_t end, double time) {
  CHECK(turn.speaker == speaker);
  CHECK(turn.start == start);
  CHECK(turn.end == end);
  REQUIRE(turn.time.has_value());
  CHECK(*turn.time == doctest::Approx(time));
}

// The parse_error a loader throws for `text`; fails the test when it throws none.
template <typename Loader>
coding::parse_error error_from(Loader load, const std::string& text, const std::string& name) {
  try {
    load(text, name);
  } catch (const coding::parse_error& e) {
    return e;
  }
  throw std::logic_error("expected a parse_error for " + name);
}

coding::parse_error vtt_error(const std::string& text) {
  return error_from(coding::detail::load_webvtt, text, "test.vtt");
}

coding::parse_error srt_error(const std::string& text) {
  return error_from(coding::detail::load_srt, text, "test.srt");
}

coding::parse_error fixture_error(const std::string& name) {
  const std::string path = test::fixture("subtitles/" + name);
  const std::string bytes = coding::read_file(path);
  if (name.ends_with(".srt")) return error_from(coding::detail::load_srt, bytes, path);
  return error_from(coding::detail::load_webvtt, bytes, path);
}

loaded_text load_real(const std::string& path) {
  const std::string bytes = coding::read_file(path);
  return path.ends_with(".srt") ? coding::detail::load_srt(bytes, path)
                                : coding::detail::load_webvtt(bytes, path);
}

// What turn `t` says, as stored.
std::string said(const loaded_text& loaded, const loaded_turn& t) {
  return std::string(coding::text_index(loaded.text).slice(t.start, t.end));
}

}  // namespace

// --- the fixtures, one per tool -------------------------------------------------------

TEST_CASE("VTT from Zoom: 'Name: text' cues become turns, one speaker's run of cues merged") {
  const auto loaded = load_fixture("zoom.vtt");
  // Cues 2-4 are all Tomás Ó Riain's, so they are one turn keeping cue 2's start (6 s).
  CHECK(loaded.text ==
        "Siobhán Ní Bhriain: Thanks for coming in today. Could you start by telling me about "
        "your role?\n"
        "\n"
        "Tomás Ó Riain: Sure. I’m a work coach at the Jobcentre in Salford. Most of my "
        "customers are on the “Pathways” programme. I’ve been doing it for about four years.\n"
        "\n"
        "Siobhán Ní Bhriain: And how do customers hear about it?\n");
  CHECK(loaded.has_turns);
  REQUIRE(loaded.turns.size() == 3);
  // "Siobhán Ní Bhriain" = 7 + 1 + 2 + 1 + 7 = 18, so what she says starts at 18 + 2 = 20.
  // "Thanks for coming in today. Could you start by telling me about your role?":
  //   Thanks 6+1, for 3+1, coming 6+1, in 2+1, today. 6+1 = 28; Could 5+1, you 3+1,
  //   start 5+1, by 2+1, telling 7+1, me 2+1, about 5+1, your 4+1, role? 5 = 46; 74 in all,
  //   so it ends at 20 + 74 = 94.
  check_turn(loaded.turns[0], "Siobhán Ní Bhriain", 20, 94, 2.0);
  // 94 + 2 = 96; "Tomás Ó Riain: " = 5 + 1 + 1 + 1 + 5 + 2 = 15, so 111. Said:
  //   "Sure. I’m a work coach at the Jobcentre in Salford." = 6+4+2+5+6+3+4+10+3+8 = 51,
  //   "Most of my customers are on the “Pathways” programme." = 5+3+3+10+4+3+4+11+10 = 53,
  //   "I’ve been doing it for about four years." = 5+5+6+3+4+6+5+6 = 40,
  //   joined by two spaces: 51 + 1 + 53 + 1 + 40 = 146; 111 + 146 = 257.
  check_turn(loaded.turns[1], "Tomás Ó Riain", 111, 257, 6.0);
  // 257 + 2 + 18 + 2 = 279; "And how do customers hear about it?" = 4+4+3+10+5+6+3 = 35.
  check_turn(loaded.turns[2], "Siobhán Ní Bhriain", 279, 314, 17.0);
}

TEST_CASE("VTT turn offsets count code points, not bytes") {
  const auto loaded = load_fixture("zoom.vtt");
  REQUIRE(loaded.turns.size() == 3);
  // Before Tomás's words come á and í (in Siobhán Ní) and á and Ó (in Tomás Ó), two bytes
  // each: code point 111 is byte 115.
  CHECK(loaded.turns[1].start == 111);
  CHECK(std::string_view(loaded.text).substr(115).starts_with("Sure. I’m"));
  const coding::text_index index(loaded.text);
  CHECK(index.byte_offset(111) == 115);
  CHECK(index.slice(loaded.turns[2].start, loaded.turns[2].end) ==
        "And how do customers hear about it?");
}

TEST_CASE("VTT from Teams: voice spans name the speaker; NOTE blocks and cue ids are skipped") {
  const auto loaded = load_fixture("teams.vtt");
  CHECK(loaded.text ==
        "Zoë Adebayo-Smith: Can you tell me what happened at your first appointment?\n"
        "\n"
        "Łukasz Nowak: Well, the adviser said I’d have to “choose a provider”. Nobody explained "
        "what that meant.\n"
        "\n"
        "Zoë Adebayo-Smith: Right.\n");
  REQUIRE(loaded.turns.size() == 3);
  // "Zoë Adebayo-Smith" = 3 + 1 + 13 = 17, start 19; "Can you tell me what happened at
  // your first appointment?" = 4+4+5+3+5+9+3+5+6+12 = 56, end 75.
  check_turn(loaded.turns[0], "Zoë Adebayo-Smith", 19, 75, 1.52);
  // 75 + 2 + "Łukasz Nowak: " (6 + 1 + 5 + 2 = 14) = 91. Said: "Well, the adviser said I’d
  // have to “choose a provider”." = 6+4+8+5+4+5+3+8+2+10 = 55, "Nobody explained what that
  // meant." = 7+10+5+5+6 = 33; 55 + 1 + 33 = 89, end 180. Cue 18-1 merged into 18-0.
  check_turn(loaded.turns[1], "Łukasz Nowak", 91, 180, 5.5);
  // 180 + 2 + 17 + 2 = 201; "Right." = 6.
  check_turn(loaded.turns[2], "Zoë Adebayo-Smith", 201, 207, 13.0);
}

TEST_CASE("VTT from Otter: wrapped lines are joined and an unlabelled cue continues the turn") {
  // Otter names the speaker in the first cue of their turn; with "add line breaks" on,
  // each cue's payload is wrapped over two lines.
  const auto loaded = load_fixture("otter.vtt");
  CHECK(loaded.text ==
        "Speaker 1: So, to start, how did you first hear about the scheme?\n"
        "\n"
        "Aoife Ní Dhomhnaill: My adviser at the Jobcentre mentioned it. She said it was "
        "“voluntary”, but it didn’t feel that way.\n"
        "\n"
        "Speaker 1: Why not?\n");
  REQUIRE(loaded.turns.size() == 3);
  // "Speaker 1: " = 11; "So, to start, how did you first hear about the scheme?" =
  // 4+3+7+4+4+4+6+5+6+4+7 = 54, end 65.
  check_turn(loaded.turns[0], "Speaker 1", 11, 65, 0.0);
  // 65 + 2 + "Aoife Ní Dhomhnaill: " (5 + 1 + 2 + 1 + 10 + 2 = 21) = 88. "My adviser at the
  // Jobcentre mentioned it." = 3+8+3+4+10+10+3 = 41; the unlabelled cue "She said it was
  // “voluntary”, but it didn’t feel that way." = 4+5+3+4+13+4+3+7+5+5+4 = 57; 41+1+57 = 99.
  check_turn(loaded.turns[1], "Aoife Ní Dhomhnaill", 88, 187, 3.9);
  // 187 + 2 + 11 = 200; "Why not?" = 8.
  check_turn(loaded.turns[2], "Speaker 1", 200, 208, 11.2);
}

TEST_CASE("VTT without speakers: STYLE and REGION skipped, tags removed, entities decoded") {
  const auto loaded = load_fixture("plain.vtt");
  // &amp; is "&", &#8217; is "’", &nbsp; is U+00A0 (C2 A0), &lt; &gt; are "<" ">"; <i>, <b>,
  // <c.highlight>, <u> and the timestamp tags go; the two-line payload is joined by a space.
  CHECK(loaded.text ==
        "Welcome everyone & thank you for coming. We’ll talk about your experience of the Work "
        "Programme. Please be\xC2\xA0honest <and> brief.\n");
  REQUIRE(loaded.turns.size() == 1);
  // No cue names a speaker, so all three cues are one turn with an empty speaker:
  //   "Welcome everyone & thank you for coming." = 8+9+2+6+4+4+7 = 40,
  //   "We’ll talk about your experience of the Work Programme." = 6+5+6+5+11+3+4+5+10 = 55,
  //   "Please be honest <and> brief." = 7+2+1 (nbsp)+7+6+6 = 29; 40+1+55+1+29 = 126.
  // The first cue has no hours: 00:05.000 is 5 s.
  check_turn(loaded.turns[0], "", 0, 126, 5.0);
}

TEST_CASE("SRT: speakers from 'Name:', '[Name]' and '[Name]:'; a bracketed sound is text") {
  const auto loaded = load_fixture("transcript.srt");
  // Cue 3 (no label) and cue 4 ("[Laughter]", a sound, not a speaker) continue José's
  // turn; cue 4's end time uses '.' instead of ','.
  CHECK(loaded.text ==
        "Interviewer: How long have you been claiming Employment and Support Allowance?\n"
        "\n"
        "José Núñez: About two years now. It started after my operation. [Laughter]\n"
        "\n"
        "Interviewer: And did the “work-focused interviews” help?\n"
        "\n"
        "José Núñez: Honestly? Not really.\n");
  CHECK(loaded.has_turns);
  REQUIRE(loaded.turns.size() == 4);
  // "Interviewer: " = 13; "How long have you been claiming Employment and Support
  // Allowance?" = 4+5+5+4+5+9+11+4+8+10 = 65, end 78.
  check_turn(loaded.turns[0], "Interviewer", 13, 78, 1.0);
  // 78 + 2 + "José Núñez: " (4 + 1 + 5 + 2 = 12) = 92; "About two years now." = 20,
  // "It started after my operation." = 30, "[Laughter]" = 10; 20+1+30+1+10 = 62, end 154.
  check_turn(loaded.turns[1], "José Núñez", 92, 154, 4.5);
  // 154 + 2 + 13 = 169; "And did the “work-focused interviews” help?" = 4+4+4+14+12+5 = 43.
  check_turn(loaded.turns[2], "Interviewer", 169, 212, 12.0);
  // 212 + 2 + 12 = 226; "Honestly? Not really." = 10+4+7 = 21.
  check_turn(loaded.turns[3], "José Núñez", 226, 247, 15.5);
}

// --- speakers and merging ---------------------------------------------------------------

TEST_CASE("VTT cues before the first speaker form a turn with an empty speaker") {
  const std::string vtt =
      "WEBVTT\n\n"
      "00:00:01.000 --> 00:00:02.000\nIs this thing on?\n\n"
      "00:00:02.000 --> 00:00:03.000\nYes.\n\n"
      "00:00:04.000 --> 00:00:06.000\nAna: Good, let’s begin.\n\n"
      "00:00:06.500 --> 00:00:08.000\nFirst question.\n";
  const auto loaded = coding::detail::load_webvtt(vtt, "t.vtt");
  CHECK(loaded.text == "Is this thing on? Yes.\n\nAna: Good, let’s begin. First question.\n");
  REQUIRE(loaded.turns.size() == 2);
  // "Is this thing on?" = 3+5+6+3 = 17, plus " Yes." = 22.
  check_turn(loaded.turns[0], "", 0, 22, 1.0);
  // 22 + 2 + "Ana: " (5) = 29; "Good, let’s begin." = 6+6+6 = 18, " First question." = 16.
  check_turn(loaded.turns[1], "Ana", 29, 63, 4.0);
}

TEST_CASE("VTT voice spans may carry classes, and two voices in one cue are two turns") {
  const std::string vtt =
      "WEBVTT\n\n"
      "00:01:00.000 --> 00:01:03.000\n<v.loud.first Dev Patel>Hang on!</v>\n\n"
      "00:01:03.000 --> 00:01:05.000\n<v Dev Patel>Let me finish.\n<v Mei>Sorry.\n";
  const auto loaded = coding::detail::load_webvtt(vtt, "t.vtt");
  CHECK(loaded.text == "Dev Patel: Hang on! Let me finish.\n\nMei: Sorry.\n");
  REQUIRE(loaded.turns.size() == 2);
  // "Dev Patel: " = 11; "Hang on! Let me finish." = 5+4+4+3+7 = 23, end 34.
  check_turn(loaded.turns[0], "Dev Patel", 11, 34, 60.0);
  // 34 + 2 + "Mei: " (5) = 41; "Sorry." = 6. Mei speaks in the cue starting at 63 s.
  check_turn(loaded.turns[1], "Mei", 41, 47, 63.0);
}

TEST_CASE("VTT speaker name alone on the first payload line labels the text below it") {
  // Broadcast captions put a new speaker's name on its own line; a cue holding only a
  // name opens that speaker's turn for the cues that follow.
  const std::string vtt =
      "WEBVTT\n\n"
      "00:00:14.848 --> 00:00:17.350\nRENÉE:\nWhen we think\nof the first interview,\n\n"
      "00:00:17.350 --> 00:00:18.752\nit was short.\n\n"
      "00:00:20.000 --> 00:00:21.000\nMarek:\n\n"
      "00:00:21.000 --> 00:00:23.000\nI disagree.\n";
  const auto loaded = coding::detail::load_webvtt(vtt, "t.vtt");
  CHECK(loaded.text ==
        "RENÉE: When we think of the first interview, it was short.\n\nMarek: I disagree.\n");
  REQUIRE(loaded.turns.size() == 2);
  // "RENÉE: " = 7; "When we think of the first interview, it was short." =
  // 5+3+6+3+4+6+11+3+4+6 = 51, end 58.
  check_turn(loaded.turns[0], "RENÉE", 7, 58, 14.848);
  // 58 + 2 + "Marek: " (7) = 67; "I disagree." = 11. The turn starts with the name's cue.
  check_turn(loaded.turns[1], "Marek", 67, 78, 20.0);
}

TEST_CASE("VTT 'Name:' counts as a speaker only for a short label starting with a letter") {
  const std::string vtt =
      "WEBVTT\n\n"
      "00:00:01.000 --> 00:00:02.000\nWhat I really wanted to say is: it helped.\n\n"
      "00:00:03.000 --> 00:00:04.000\nMeet me at 10:30 tomorrow.\n\n"
      "00:00:05.000 --> 00:00:06.000\n2nd point: nothing.\n";
  const auto loaded = coding::detail::load_webvtt(vtt, "t.vtt");
  // Seven words, a colon inside "10:30", a label starting with a digit: no speakers.
  CHECK(loaded.text ==
        "What I really wanted to say is: it helped. Meet me at 10:30 tomorrow. 2nd point: "
        "nothing.\n");
  REQUIRE(loaded.turns.size() == 1);
  // 42 + 1 + 26 + 1 + 19 = 89.
  check_turn(loaded.turns[0], "", 0, 89, 1.0);

  const std::string forty = "A" + std::string(39, 'a');
  const auto at_limit =
      coding::detail::load_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000\n" + forty + ": hi\n", "t");
  REQUIRE(at_limit.turns.size() == 1);
  CHECK(at_limit.turns[0].speaker == forty);
  const auto over_limit =
      coding::detail::load_webvtt("WEBVTT\n\n00:01.000 --> 00:02.000\n" + forty + "a: hi\n", "t");
  REQUIRE(over_limit.turns.size() == 1);
  CHECK(over_limit.turns[0].speaker.empty());
  CHECK(over_limit.text == forty + "a: hi\n");
  const auto five_words = coding::detail::load_webvtt(
      "WEBVTT\n\n00:01.000 --> 00:02.000\nMaría José García López Ruiz: hola\n", "t");
  CHECK(five_words.turns[0].speaker.empty());
  const auto four_words = coding::detail::load_webvtt(
      "WEBVTT\n\n00:01.000 --> 00:02.000\nMaría José García López: hola\n", "t");
  CHECK(four_words.turns[0].speaker == "María José García López");
}

// --- tags, entities and text -----------------------------------------------------------

TEST_CASE("VTT removes every tag and decodes named and numeric character references") {
  const std::string vtt =
      "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
      "<lang cy>Diolch</lang> &lrm;&#x201C;<ruby>漢<rt>かん</rt></ruby>&#8221; cafe&#x301; "
      "&#146;n&#39; a&amp;b&rlm; &copy; 1 < 2\n";
  const auto loaded = coding::detail::load_webvtt(vtt, "t.vtt");
  // &lrm; U+200E, &#x201C; “, &#8221; ”, "e" + &#x301; composes to "é" (NFC), &#146; is
  // windows-1252's ’ as in HTML, &#39; "'", &rlm; U+200F. Ruby base and reading both
  // stay as text. An unknown entity (&copy;) and a '<' never closed are kept as written.
  CHECK(loaded.text ==
        "Diolch \xE2\x80\x8E“漢かん” caf\xC3\xA9 ’n' a&b\xE2\x80\x8F &copy; 1 < 2\n");
  REQUIRE(loaded.turns.size() == 1);
  // Diolch 6+1, lrm 1, “ 1, 漢 1, かん 2, ” 1, space 1, café 4, space 1, ’n' 3, space 1,
  // a&b 3, rlm 1, space 1, &copy; 6, " 1 < 2" 6 = 40.
  check_turn(loaded.turns[0], "", 0, 40, 1.0);
}

TEST_CASE("VTT character references cannot break a turn across lines") {
  const auto loaded = coding::detail::load_webvtt(
      "WEBVTT\n\n00:01.000 --> 00:02.000\nJo: one&#10;two&#0;three\n", "t.vtt");
  // A line feed becomes a space; NUL becomes U+FFFD (EF BF BD) as in HTML.
  CHECK(loaded.text == "Jo: one two\xEF\xBF\xBDthree\n");
}

TEST_CASE("subtitle loaders skip a BOM, accept CRLF and CR line ends and give NFC text") {
  const std::string vtt =
      "\xEF\xBB\xBFWEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:02.000\r\nRene\xCC\x81"
      "e: Hi.\r\n\r\n2\r00:00:02.500 --> 00:00:03.000\rRene\xCC\x81"
      "e: Bye.\r";
  const auto loaded = coding::detail::load_webvtt(vtt, "t.vtt");
  // "Rene" + U+0301 is stored as "Renée" with one U+00E9; both cues are hers.
  CHECK(loaded.text == "Renée: Hi. Bye.\n");
  REQUIRE(loaded.turns.size() == 1);
  // "Renée: " = 7; "Hi. Bye." = 8.
  check_turn(loaded.turns[0], "Renée", 7, 15, 1.0);

  const std::string bom = "\xEF\xBB\xBF";
  const auto srt = coding::detail::load_srt(
      bom + "1\r\n00:00:01,000 --> 00:00:02,000\r\nJo: Hi.\r\n\r\n", "t.srt");
  CHECK(srt.text == "Jo: Hi.\n");
  REQUIRE(srt.turns.size() == 1);
  check_turn(srt.turns[0], "Jo", 4, 7, 1.0);

  // Lines are counted in the input as it was: CRLF is one line end.
  const auto e = vtt_error("WEBVTT\r\n\r\n00:00:01.000 00:00:02.000\r\nHi\r\n");
  CHECK(e.where().line == 3);
}

TEST_CASE("VTT header may carry text after a space or tab, and a cue may follow it directly") {
  const auto tab = coding::detail::load_webvtt(
      "WEBVTT\tKind: captions\nLanguage: en\n\n00:01.000 --> 00:02.000\nHello.\n", "t.vtt");
  CHECK(tab.text == "Hello.\n");
  const auto no_blank =
      coding::detail::load_webvtt("WEBVTT\n00:01.000 --> 00:02.000\nHello.\n", "t.vtt");
  CHECK(no_blank.text == "Hello.\n");
  CHECK(vtt_error("WEBVTTX\n\n00:01.000 --> 00:02.000\nHello.\n")
            .detail()
            .find("missing WEBVTT header") != std::string::npos);
  CHECK(vtt_error("webvtt\n\n00:01.000 --> 00:02.000\nHello.\n").where().line == 1);
}

TEST_CASE("SRT tolerates a missing cue number and drops font tags and {\\an8} codes") {
  const std::string srt =
      "00:00:01,000 --> 00:00:02,500 X1:100 X2:600 Y1:50 Y2:80\n"
      "{\\an8}<font color=\"#ffff00\">Dr. Okafor:</font> Right, <b>next</b> one.\n\n"
      "7\n00:00:03.000 --> 00:00:04.000\nIf a < b then fine.\n";
  const auto loaded = coding::detail::load_srt(srt, "t.srt");
  // SubRip has no escapes, so "a < b" stays.
  CHECK(loaded.text == "Dr. Okafor: Right, next one. If a < b then fine.\n");
  REQUIRE(loaded.turns.size() == 1);
  // "Dr. Okafor: " = 12; "Right, next one. If a < b then fine." = 7+5+5+3+2+2+2+5+5 = 36.
  check_turn(loaded.turns[0], "Dr. Okafor", 12, 48, 1.0);
}

// --- real tools' quirks (hand-made fixtures) -------------------------------------------

TEST_CASE("VTT from Teams: unpadded times, fractions in milliseconds, 'Surname, First' voices") {
  const auto loaded = load_fixture("teams-unpadded.vtt");
  // Cues 2 and 3 are both Wright's; cue 4 is one voice over two lines.
  CHECK(loaded.text ==
        "Hurst, Peter: Yeah.\n"
        "\n"
        "Wright, Steve: It's the VTT files that Teams creates.\n"
        "\n"
        "Hurst, Peter: That would make sense, because they differ.\n");
  CHECK(loaded.warnings.empty());
  REQUIRE(loaded.turns.size() == 3);
  // "Hurst, Peter: " = 5 + 1 + 1 + 5 + 2 = 14; "Yeah." = 5. "0:0:0.0" is 0 s.
  check_turn(loaded.turns[0], "Hurst, Peter", 14, 19, 0.0);
  // 19 + 2 + "Wright, Steve: " (15) = 36; "It's the VTT files" = 4+1+3+1+3+1+5 = 18,
  // " that Teams creates." = 20; end 74. "0:0:2.5" is 2 s and 5 ms, as Teams means it.
  check_turn(loaded.turns[1], "Wright, Steve", 36, 74, 2.005);
  // 74 + 2 + 14 = 90; "That would make sense," = 22, " because they differ." = 21; end 133.
  // "0:10:5.90" is 10 min 5 s 90 ms.
  check_turn(loaded.turns[2], "Hurst, Peter", 90, 133, 605.09);
}

TEST_CASE("VTT negative and malformed Teams times keep the cue, with a warning naming it") {
  const auto loaded = load_fixture("teams-malformed.vtt");
  CHECK(loaded.text ==
        "Hurst, Peter: Yeah. Go on.\n"
        "\n"
        "Wright, Steve: Thing where I just need to check.\n"
        "\n"
        "Hurst, Peter: Right.\n"
        "\n"
        "Wright, Steve: OK.\n");
  REQUIRE(loaded.turns.size() == 4);
  // Cue 1 (-1.-200) has no cue before it: 0. Cue 3 (-6.-820) takes cue 2's 2 s. Cue 4's end
  // (-9.0) is not used. Cue 5's "70" seconds take cue 4's 9.1 s.
  // 14 + "Yeah. Go on." (12) = 26; 26 + 2 + 15 = 43, + "Thing where I just need to check."
  // (5+1+5+1+1+1+4+1+4+1+2+1+6 = 33) = 76; 76 + 2 + 14 = 92, + "Right." = 98;
  // 98 + 2 + 15 = 115, + "OK." = 118.
  check_turn(loaded.turns[0], "Hurst, Peter", 14, 26, 0.0);
  check_turn(loaded.turns[1], "Wright, Steve", 43, 76, 2.0);
  check_turn(loaded.turns[2], "Hurst, Peter", 92, 98, 9.1);
  check_turn(loaded.turns[3], "Wright, Steve", 115, 118, 9.1);
  const std::string file = test::fixture("subtitles/teams-malformed.vtt");
  const std::string fix = "; to place the cue exactly, correct its time in the file";
  REQUIRE(loaded.warnings.size() == 4);
  CHECK(loaded.warnings[0] == file +
                                  ":3: cue 1: malformed start time '0:0:-1.-200'; read as "
                                  "0:00:00.000, the start of the recording" +
                                  fix);
  CHECK(loaded.warnings[1] == file +
                                  ":9: cue 3: malformed start time '0:0:-6.-820'; read as the "
                                  "start of the cue before (0:00:02.000)" +
                                  fix);
  CHECK(loaded.warnings[2] == file +
                                  ":12: cue 4: malformed end time '0:0:-9.0'; the cue is kept "
                                  "(qcode uses only start times)");
  CHECK(loaded.warnings[3] == file +
                                  ":15: cue 5: seconds '70' out of range in start time "
                                  "'0:0:70.0' (they run from 0 to 59); read as the start of the "
                                  "cue before (0:00:09.100)" +
                                  fix);
}

TEST_CASE("SRT bracketed sounds at a cue start stay words of the current speaker") {
  const auto loaded = load_fixture("sounds.srt");
  // "[chuckles] I" (lower case), "(laughs)" (never a label), "[Laughter]" (a known sound),
  // "[Door slams]" (once only) and "[crosstalk]" (alone) continue the turn before, kept
  // verbatim; "[Interviewer]" opens two cues, so it is a label.
  CHECK(loaded.text ==
        "Interviewer: So how did you find it?\n"
        "\n"
        "Vic: It was -- I mean, [chuckles] I didn't expect much. (laughs) But it worked.\n"
        "\n"
        "Interviewer: Did it? [Laughter] Really?\n"
        "\n"
        "Vic: Yes. [Door slams] Sorry about that. [crosstalk]\n");
  REQUIRE(loaded.turns.size() == 4);
  // "Interviewer: " = 13; "So how did you find it?" = 2+1+3+1+3+1+3+1+4+1+3 = 23, end 36.
  check_turn(loaded.turns[0], "Interviewer", 13, 36, 1.0);
  // 36 + 2 + "Vic: " (5) = 43; "It was -- I mean," = 17, " [chuckles] I didn't expect
  // much." = 1+10+1+1+1+6+1+6+1+5 = 33, " (laughs) But it worked." = 1+8+1+3+1+2+1+7 = 24;
  // 17 + 33 + 24 = 74, end 117.
  check_turn(loaded.turns[1], "Vic", 43, 117, 3.5);
  // 117 + 2 + 13 = 132; "Did it? [Laughter] Really?" = 7 + 1 + 10 + 1 + 7 = 26, end 158.
  check_turn(loaded.turns[2], "Interviewer", 132, 158, 10.5);
  // 158 + 2 + 5 = 165; "Yes. [Door slams] Sorry about that. [crosstalk]" =
  // 4+1+12+1+5+1+5+1+5+1+11 = 47, end 212.
  check_turn(loaded.turns[3], "Vic", 165, 212, 14.5);
  CHECK(loaded.warnings.empty());
}

TEST_CASE("bracketed sounds at a line start of a text transcript are not speaker labels") {
  // The rule is may_be_bracket_label's, shared with the SRT loader. Each bracket opens two
  // lines, which would make any label a speaker.
  const std::string text =
      "[Interviewer] How was it?\n"  // 0-25
      "[Maria] Fine.\n"              // 26-39
      "[laughs] Really fine.\n"      // 40-61
      "[Interviewer] And then?\n"    // 62-85
      "[Laughter] Sorry.\n"          // 86-103
      "[Maria] Nothing.\n"           // 104-120
      "[laughs] Honestly.\n"         // 121-139
      "[Laughter] OK.\n"             // 140-154
      "(laughs) Bye.\n"              // 155-168
      "(laughs) Bye.\n";             // 169-182
  const auto doc = coding::parse_transcript(text, "sounds.txt");
  CHECK(doc.text == text);
  REQUIRE(doc.turns.size() == 4);
  const std::string speakers[] = {"Interviewer", "Maria", "Interviewer", "Maria"};
  // Each turn starts after "[Interviewer] " (14) or "[Maria] " (8) and runs to the end of
  // the line before the next label.
  const std::size_t starts[] = {14, 34, 76, 112};
  const std::size_t ends[] = {25, 61, 103, 182};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(doc.turns[i].speaker == speakers[i]);
    CHECK(doc.turns[i].start == starts[i]);
    CHECK(doc.turns[i].end == ends[i]);
  }
}

TEST_CASE("a bracket may hold a name only when it is not lower case and not a known sound") {
  using coding::detail::may_be_bracket_label;
  CHECK(may_be_bracket_label("Interviewer"));
  CHECK(may_be_bracket_label("José Núñez"));
  CHECK(may_be_bracket_label("Łukasz"));
  CHECK(may_be_bracket_label("Door slams"));  // once only, an SRT still reads it as text
  CHECK_FALSE(may_be_bracket_label("chuckles"));
  CHECK_FALSE(may_be_bracket_label("ängstlich"));
  CHECK_FALSE(may_be_bracket_label("Laughter"));
  CHECK_FALSE(may_be_bracket_label("CROSSTALK"));
  CHECK_FALSE(may_be_bracket_label("Inaudible"));
  CHECK_FALSE(may_be_bracket_label("Clears throat"));
  CHECK_FALSE(may_be_bracket_label("??"));
  CHECK_FALSE(may_be_bracket_label(""));
}

// --- real files, in ../shared/real-transcripts/ -------------------------------------------
//
// Expected values were worked out from the files: the first turns' offsets by hand as
// above; turn counts, speakers in order and later offsets by reading the cues and their
// speakers' runs (with grep and uniq, and a short script of our own summing lengths).

TEST_CASE("real Teams VTT: every cue read, the negative time a warning, 'Surname, First' kept") {
  const auto path = real_transcript("teams-2022-11-15.vtt");
  if (path.empty()) return;
  const auto loaded = load_real(path);
  // 178 cues, whose runs by one speaker give 100 turns, alternating between the two voices.
  REQUIRE(loaded.turns.size() == 100);
  for (std::size_t i = 0; i < loaded.turns.size(); ++i) {
    CAPTURE(i);
    CHECK(loaded.turns[i].speaker == (i % 2 == 0 ? "Hurst, Peter" : "Wright, Steve"));
  }
  // Cue 1 "0:0:0.0 --> 0:0:0.250": "Hurst, Peter: " = 14, "Yeah." = 5.
  check_turn(loaded.turns[0], "Hurst, Peter", 14, 19, 0.0);
  // Cue 2 "0:0:-6.-820 --> 0:0:8.970" takes cue 1's 0 s. 19 + 2 + "Wright, Steve: " = 36.
  CHECK(loaded.turns[1].start == 36);
  CHECK(*loaded.turns[1].time == doctest::Approx(0.0));
  CHECK(said(loaded, loaded.turns[1]) ==
        "Thing where like I'm like I just need to quickly generate something and I'll just do "
        "a quick call to check because the VTT files that OneDrive creates are different from "
        "the VTT files that teams create, it would appear.");
  // Cue 3 "0:0:10.20" is 10 s 20 ms.
  CHECK(*loaded.turns[2].time == doctest::Approx(10.02));
  CHECK(said(loaded, loaded.turns[2]) ==
        "That would make some sense thinking about it, because the implemented former.");
  // Cue "0:8:8.40 --> 0:8:10.890" opens Wright's turn 68 (index 67) at 488.04 s.
  CHECK(*loaded.turns[67].time == doctest::Approx(488.04));
  CHECK(said(loaded, loaded.turns[67]) ==
        "My reckoning is. Ohh, let's think through that. I I assume there's no way of finding "
        "out. Viewing figures as distinct from creation.");
  // The last cue, "0:12:37.380 --> 0:12:43.500".
  const auto& last = loaded.turns.back();
  CHECK(*last.time == doctest::Approx(757.38));
  CHECK(said(loaded, last) ==
        "Yeah, right. Well, thank you for this. That has been very, very useful. I'm gonna stop "
        "recording now.");
  CHECK(last.end + 1 == coding::count_code_points(loaded.text));
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0] == path +
                                  ":6: cue 2: malformed start time '0:0:-6.-820'; read as the "
                                  "start of the cue before (0:00:00.000); to place the cue "
                                  "exactly, correct its time in the file");
}

TEST_CASE("real Zoom VTT: 'Name: text' cues with CRLF give 30 turns of 5 speakers") {
  const auto path = real_transcript("zoom-meeting003.vtt");
  if (path.empty()) return;
  const auto loaded = load_real(path);
  const std::vector<std::string> speakers = {
      "Andrew Knight",  "Paul McCartney",  "George Harrison", "Ringo Starr",    "Andrew Knight",
      "John Lennon",    "George Harrison", "Andrew Knight",   "John Lennon",    "Andrew Knight",
      "John Lennon",    "Andrew Knight",   "Paul McCartney",  "John Lennon",    "Paul McCartney",
      "John Lennon",    "Paul McCartney",  "Andrew Knight",   "Paul McCartney", "Andrew Knight",
      "Paul McCartney", "Andrew Knight",   "Paul McCartney",  "Andrew Knight",  "Paul McCartney",
      "Andrew Knight",  "Paul McCartney",  "Andrew Knight",   "Paul McCartney", "Andrew Knight"};
  REQUIRE(loaded.turns.size() == speakers.size());
  for (std::size_t i = 0; i < speakers.size(); ++i) {
    CAPTURE(i);
    CHECK(loaded.turns[i].speaker == speakers[i]);
  }
  // Cues 1-4 are Andrew Knight's: "Andrew Knight: " = 15; "Okay, so we're recording. We're
  // streaming" 41, " We have that setup. Okay." 26, " It's like Mary Kate's here. I'll let
  // her in." 45, " Gonna make her a host to" 25: 137, end 152.
  check_turn(loaded.turns[0], "Andrew Knight", 15, 152, 4.859);
  // Cue 5; 152 + 2 + "Paul McCartney: " (16) = 170, + 47.
  check_turn(loaded.turns[1], "Paul McCartney", 170, 217, 24.0);
  CHECK(said(loaded, loaded.turns[1]) == "She just got back from a vacation or something.");
  // Cues 6 and 7: 217 + 2 + "George Harrison: " (17) = 236.
  check_turn(loaded.turns[2], "George Harrison", 236, 289, 27.33);
  CHECK(said(loaded, loaded.turns[2]) == "Mary Kate. I think she was on a vacation for a while.");
  // Cues 298-300, from 00:55:03.360.
  const auto& last = loaded.turns.back();
  CHECK(*last.time == doctest::Approx(3303.36));
  const auto words = said(loaded, last);
  CHECK(
      words.starts_with("Well, thank you again so much for taking time to share these "
                        "thoughts with us. And folks,"));
  CHECK(
      words.ends_with("Certainly, if you are in person ensure we have here rockets. APPLAUSE "
                      "So thank you so much everyone, hope you have a wonderful rest of your "
                      "day and 15 minutes if this is your lunch hour to squeeze out and grab "
                      "something to eat. So thanks everyone. See you in our next program."));
  CHECK(last.end + 1 == coding::count_code_points(loaded.text));
  CHECK(loaded.warnings.empty());
}

TEST_CASE("real Otter-style SRT: names on a turn's first cue only, '[chuckles] I' stays Vic's") {
  const auto path = real_transcript("vc-podcast-1-4.srt");
  if (path.empty()) return;
  const auto loaded = load_real(path);
  // 168 runs of one label, less the three that "[chuckles]" opened before (cues 746, 804
  // and 1159), which now continue Vic's turns.
  REQUIRE(loaded.turns.size() == 165);
  std::vector<std::string> order;
  for (const auto& t : loaded.turns)
    if (std::find(order.begin(), order.end(), t.speaker) == order.end()) order.push_back(t.speaker);
  // The hosts are named in full in the introduction, then by first name.
  CHECK(order == std::vector<std::string>{"Bekah Hawrot Weigel", "Dan Ott", "Bekah", "Dan",
                                          "Vic Vijayakumar", "Vic"});
  // Cues 1-8: "Bekah Hawrot Weigel: " = 21.
  check_turn(loaded.turns[0], "Bekah Hawrot Weigel", 21, 429, 13.98);
  CHECK(said(loaded, loaded.turns[0])
            .starts_with("Hello, and welcome to Season 1, Episode 4 of the Virtual Coffee "
                         "podcast. I'm Bekah, and this is a podcast that features members"));
  CHECK(said(loaded, loaded.turns[1]).starts_with("Thanks, Bekah. In this episode,"));
  CHECK(loaded.turns[1].speaker == "Dan Ott");
  CHECK(*loaded.turns[1].time == doctest::Approx(41.96));
  // Cue 746 "[chuckles] I" inside Vic's turn from 00:34:05,730; Dan answers at 00:35:10.
  const auto& vic = loaded.turns[84];
  CHECK(vic.speaker == "Vic");
  CHECK(*vic.time == doctest::Approx(2045.73));
  CHECK(said(loaded, vic)
            .find("then the reason why I moved it was ultimately because "
                  "[chuckles] I exceeded Airtable's like free limits.") != std::string::npos);
  CHECK(loaded.turns[85].speaker == "Dan");
  CHECK(*loaded.turns[85].time == doctest::Approx(2110.0));
  // Cues 803-805: Vic's turn from 00:37:09,840 takes in "[chuckles] doesn't become a".
  CHECK(said(loaded, loaded.turns[94]) ==
        "That- that's [laughs] all I'll say about that. So, this [chuckles] doesn't become a "
        "huge, like, endorsement or any --");
  CHECK(loaded.turns[94].speaker == "Vic");
  CHECK(*loaded.turns[95].time == doctest::Approx(2234.969));
  // Nothing is stored as "chuckles: ".
  CHECK(loaded.text.find("chuckles:") == std::string::npos);
  const auto& last = loaded.turns.back();
  CHECK(last.speaker == "Dan");
  CHECK(*last.time == doctest::Approx(3313.44));
  CHECK(said(loaded, last).ends_with("Thanks for listening and we'll see you next week."));
  CHECK(last.end + 1 == coding::count_code_points(loaded.text));
  CHECK(loaded.warnings.empty());
}

// --- broken input -----------------------------------------------------------------------

TEST_CASE("VTT without a WEBVTT header is rejected at line 1") {
  const auto e = fixture_error("no-header.vtt");
  CHECK(e.where().line == 1);
  CHECK(e.where().column == 1);
  CHECK(std::string(e.what()).find("no-header.vtt:1:1: missing WEBVTT header") !=
        std::string::npos);
  CHECK(e.detail().find("the first line is '1'") != std::string::npos);
  CHECK(e.detail().find("must start with a line 'WEBVTT'") != std::string::npos);
}

TEST_CASE("VTT timing line in which no time can be read is rejected at its line") {
  const auto e = fixture_error("bad-timing.vtt");
  // Line 8 is "00:01:xx.000 --> 00:01:yy.000", after cue 1 (lines 3-5) and cue id "2":
  // neither time can be read, so nothing places the cue.
  CHECK(e.where().line == 8);
  CHECK(e.where().column == 1);
  CHECK(std::string(e.what()).find("bad-timing.vtt:8:1:") != std::string::npos);
  CHECK(e.detail().find("cue timing '00:01:xx.000 --> 00:01:yy.000' holds no time that can be "
                        "read") != std::string::npos);
  CHECK(e.detail().find("expected a line such as '00:01:02.500 --> 00:01:05.000'") !=
        std::string::npos);
}

TEST_CASE("VTT cue ending before it starts is kept, with a warning naming the cue") {
  const auto loaded = load_fixture("end-before-start.vtt");
  CHECK(loaded.text == "Zoë Adebayo-Smith: First question.\n\nŁukasz Nowak: An answer.\n");
  REQUIRE(loaded.turns.size() == 2);
  // "Zoë Adebayo-Smith: " = 19; "First question." = 15. 34 + 2 + "Łukasz Nowak: " (14)
  // = 50; "An answer." = 10.
  check_turn(loaded.turns[0], "Zoë Adebayo-Smith", 19, 34, 5.0);
  check_turn(loaded.turns[1], "Łukasz Nowak", 50, 60, 9.0);
  // Line 6 is "00:00:09.000 --> 00:00:07.500", the second cue.
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0] ==
        test::fixture("subtitles/end-before-start.vtt") +
            ":6: cue 2: ends at '00:00:07.500', before it starts at '00:00:09.000'; the cue is "
            "kept (qcode uses only start times)");
}

TEST_CASE("VTT timings: a line without '-->' is refused, bad fields are warnings") {
  // Without an identifier, the line that looks like a timing is the one named.
  auto e = vtt_error("WEBVTT\n\n00:00:01.000 00:00:02.000\nHello\n");
  CHECK(e.where().line == 3);
  CHECK(e.detail().find("'00:00:01.000 00:00:02.000' has no '-->'") != std::string::npos);
  CHECK(e.detail().find("expected a cue timing line such as '00:01:02.500 --> 00:01:05.000'") !=
        std::string::npos);
  // After an identifier, its next line must be the timing.
  e = vtt_error("WEBVTT\n\nintro\n00:00:01.000 - 00:00:02.000\nHello\n");
  CHECK(e.where().line == 4);
  CHECK(e.detail().find("has no '-->'") != std::string::npos);
  // Neither side readable; the column is the start time's: "  " then "xx", column 3.
  e = vtt_error("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n\n  xx --> \nHo\n");
  CHECK(e.where().line == 6);
  CHECK(e.where().column == 3);

  // Minutes of 60 and more: the first cue has no cue before it, so it starts at 0.
  auto loaded = coding::detail::load_webvtt("WEBVTT\n\n00:75:00.000 --> 01:16:00.000\nHi\n", "t");
  REQUIRE(loaded.turns.size() == 1);
  check_turn(loaded.turns[0], "", 0, 2, 0.0);
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0] ==
        "t:3: cue 1: minutes '75' out of range in start time '00:75:00.000' (they run from 0 to "
        "59); read as 0:00:00.000, the start of the recording; to place the cue exactly, correct "
        "its time in the file");
  // A missing start takes the start of the cue before (1 s); seconds of 60 in an end time
  // and a missing end time are noted and ignored.
  loaded = coding::detail::load_webvtt(
      "WEBVTT\n\n00:00:01.000 --> 00:00:60.000\nA: one\n\n --> 00:00:03.000\nB: two\n\n"
      "00:00:04.000 -->\nA: three\n",
      "t");
  REQUIRE(loaded.turns.size() == 3);
  CHECK(*loaded.turns[0].time == doctest::Approx(1.0));
  CHECK(*loaded.turns[1].time == doctest::Approx(1.0));
  CHECK(*loaded.turns[2].time == doctest::Approx(4.0));
  REQUIRE(loaded.warnings.size() == 3);
  CHECK(loaded.warnings[0] ==
        "t:3: cue 1: seconds '60' out of range in end time '00:00:60.000' (they run from 0 to "
        "59); the cue is kept (qcode uses only start times)");
  CHECK(loaded.warnings[1] ==
        "t:6: cue 2: missing start time; read as the start of the cue before (0:00:01.000); to "
        "place the cue exactly, correct its time in the file");
  CHECK(loaded.warnings[2] ==
        "t:9: cue 3: missing end time; the cue is kept (qcode uses only start times)");
  // A comma before the fraction is read as SubRip's, and a cue may end when it starts.
  loaded = coding::detail::load_webvtt("WEBVTT\n\n00:00:01,250 --> 00:00:01.250\nHi\n", "t");
  CHECK(*loaded.turns[0].time == doctest::Approx(1.25));
  CHECK(loaded.warnings.empty());
}

TEST_CASE("SRT cue number that is not a number is rejected at its line") {
  const auto e = fixture_error("bad-number.srt");
  // Line 5 is "2a", after cue 1 (lines 1-3) and a blank line.
  CHECK(e.where().line == 5);
  CHECK(std::string(e.what()).find("bad-number.srt:5:1:") != std::string::npos);
  CHECK(e.detail().find("cue number '2a' is not a number") != std::string::npos);
}

TEST_CASE("SRT timing line without an arrow or any readable time is rejected at its line") {
  const auto e = fixture_error("bad-timing.srt");
  // Line 6 is "00:00:03,500 -> 00:00:06,000": an arrow of one dash.
  CHECK(e.where().line == 6);
  CHECK(std::string(e.what()).find("bad-timing.srt:6:1:") != std::string::npos);
  CHECK(e.detail().find("has no '-->'") != std::string::npos);
  CHECK(e.detail().find("'00:01:02,500 --> 00:01:05,000'") != std::string::npos);

  // A start time that cannot be read is a warning; the end time places nothing.
  const auto malformed = coding::detail::load_srt("1\n00:00:0x,000 --> 00:00:02,000\nHi\n", "t");
  CHECK(malformed.text == "Hi\n");
  REQUIRE(malformed.warnings.size() == 1);
  CHECK(malformed.warnings[0] ==
        "t:2: cue 1: malformed start time '00:00:0x,000'; read as 0:00:00.000, the start of "
        "the recording; to place the cue exactly, correct its time in the file");
  const auto garbage = srt_error("1\nsoon --> later\nHi\n");
  CHECK(garbage.where().line == 2);
  CHECK(garbage.detail().find("holds no time that can be read") != std::string::npos);
  const auto no_timing = srt_error("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n");
  CHECK(no_timing.where().line == 5);
  CHECK(no_timing.detail().find("cue 2 has no timing line") != std::string::npos);
}

TEST_CASE("subtitle files without cues are rejected") {
  CHECK(vtt_error("").detail().find("missing WEBVTT header: the file is empty") !=
        std::string::npos);
  const auto header_only = vtt_error("WEBVTT\n\nNOTE nothing was said\n");
  CHECK(header_only.where().line == 1);
  CHECK(header_only.detail().find("no cues found") != std::string::npos);
  CHECK(srt_error("").detail().find("no cues found") != std::string::npos);
  CHECK(srt_error("\n \n\n").detail().find("no cues found") != std::string::npos);
}
