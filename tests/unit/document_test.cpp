// Tests of libcoding/src/document.cpp: transcripts, front matter and speaker turns.

#include "coding/document.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using coding::document;
using coding::parse_transcript;

namespace {

using test::real_transcript;
using test::turn_text;

struct expected_turn {
  std::string speaker;
  std::optional<std::string> case_id;
  std::size_t start, end;
};

void check_turns(const document& doc, const std::vector<expected_turn>& expected) {
  REQUIRE(doc.turns.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(doc.turns[i].speaker == expected[i].speaker);
    CHECK(doc.turns[i].case_id == expected[i].case_id);
    CHECK(doc.turns[i].start == expected[i].start);
    CHECK(doc.turns[i].end == expected[i].end);
  }
}

const std::optional<std::string> kNoCase;

}  // namespace

// transcripts/interview.txt: seven lines of front matter, then this stored text, counted
// in code points (é, ù, ë, è, à are one each, — is one in 3 bytes, 😀 one in 4 bytes):
//
//   line 1   0-17 "IV: Où étiez-vous?"       LF 18   IV turn 4-18  (after "IV: ")
//   line 2  19-32 "R: Zoë — près."           LF 33   R turn 22-33  (after "R: " at 19-21)
//   line 3        ""                         LF 34   blank: no turn
//   line 4  35-52 "R: Ensuite 😀 fini."      LF 53   R turn starts at 38 ...
//   line 5  54-67 "et puis voilà."           LF 68   ... and ends at 68
//   line 6        ""                         LF 69
//   line 7  70-72 "IV:"                      LF 73   a label alone on its line
//   line 8        ""                         LF 74
//   line 9  75-89 "Merci beaucoup."          LF 90   IV turn 75-90
//
// 91 code points in all; the bytes run ahead by 1 for each of ù é ë è à, 2 for — and 3
// for 😀: 91 + 5 + 2 + 3 = 101 bytes.
TEST_CASE("parse_transcript reads the front matter") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/interview.txt"));
  CHECK(doc.id == "T07");
  CHECK(doc.title == "Customer, North district");
  CHECK(doc.case_id == std::optional<std::string>("C07"));
  CHECK(doc.is_interview());
  CHECK(doc.case_attributes.at("C07") ==
        std::map<std::string, std::string>{{"group", "customer"}, {"district", "North"}});
  CHECK(doc.source_name == test::fixture("transcripts/interview.txt"));
  CHECK(doc.source_hash ==
        coding::content_hash(coding::read_file(test::fixture("transcripts/interview.txt"))));
}

TEST_CASE("parse_transcript stores the text that follows the front matter") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/interview.txt"));
  CHECK(doc.text.substr(0, 20) == "IV: O\xC3\xB9 \xC3\xA9tiez-vous?");
  CHECK(doc.text.find("---") == std::string::npos);
  CHECK(doc.length == 91);
  CHECK(doc.text.size() == 101);
}

TEST_CASE("turn spans start after label, colon and spaces and end at the last non-blank line") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/interview.txt"));
  check_turns(doc, {{"IV", kNoCase, 4, 18},
                    {"R", "C07", 22, 33},
                    {"R", "C07", 38, 68},
                    {"IV", kNoCase, 75, 90}});
  CHECK(turn_text(doc, 0) == "O\xC3\xB9 \xC3\xA9tiez-vous?");
  CHECK(turn_text(doc, 1) == "Zo\xC3\xAB \xE2\x80\x94 pr\xC3\xA8s.");
  CHECK(turn_text(doc, 2) == "Ensuite \xF0\x9F\x98\x80 fini.\net puis voil\xC3\xA0.");
  CHECK(turn_text(doc, 3) == "Merci beaucoup.");
  // Code points, not bytes: turn 3 starts at byte 38 + 6 (ù é ë è, and 2 for —).
  CHECK(coding::text_index(doc.text).byte_offset(38) == 44);
}

TEST_CASE("speakers are listed once each, in order of first appearance") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/interview.txt"));
  REQUIRE(doc.speakers.size() == 2);
  CHECK(doc.speakers[0].label == "IV");
  CHECK_FALSE(doc.speakers[0].case_id);
  CHECK(doc.speakers[1].label == "R");
  CHECK(doc.speakers[1].case_id == std::optional<std::string>("C07"));
}

TEST_CASE("a CRLF transcript gives the same text and offsets as an LF one") {
  const auto lf = coding::load_transcript(test::fixture("transcripts/interview.txt"));
  const auto crlf = coding::load_transcript(test::fixture("transcripts/interview-crlf.txt"));
  CHECK(crlf.text == lf.text);
  CHECK(crlf.text.find('\r') == std::string::npos);
  CHECK(crlf.length == lf.length);
  REQUIRE(crlf.turns.size() == lf.turns.size());
  for (std::size_t i = 0; i < lf.turns.size(); ++i) {
    CHECK(crlf.turns[i].start == lf.turns[i].start);
    CHECK(crlf.turns[i].end == lf.turns[i].end);
  }
  CHECK(crlf.source_hash != lf.source_hash);  // the hash is of the file's bytes
}

TEST_CASE("the default id is the file name without folders and extension") {
  const auto doc = parse_transcript("IV: Hello?\nR: Hi.\n", "interviews/north/J01.txt");
  CHECK(doc.id == "J01");
  CHECK(doc.title == "J01");  // the title defaults to the id
  CHECK_FALSE(doc.is_interview());
  CHECK(doc.text == "IV: Hello?\nR: Hi.\n");  // no front matter: the whole text
  CHECK(parse_transcript("R: a\nR: b\n", "notes.md").id == "notes");
}

TEST_CASE("front matter may close with '...' and may be empty") {
  const auto dots = parse_transcript("---\nid: D1\n...\nR: a\n", "x.txt");
  CHECK(dots.id == "D1");
  CHECK(dots.text == "R: a\n");
  const auto empty = parse_transcript("---\n---\nbody\n", "E1.txt");
  CHECK(empty.id == "E1");
  CHECK(empty.text == "body\n");
}

TEST_CASE("a byte order mark before the front matter is ignored") {
  const auto doc = parse_transcript("\xEF\xBB\xBF---\nid: B1\n---\nIV: x\n", "b.txt");
  CHECK(doc.id == "B1");
  CHECK(doc.text == "IV: x\n");
}

TEST_CASE("text is stored in NFC") {
  // "Zoe" + U+0308 COMBINING DIAERESIS is stored as "Zoë" (U+00EB), 3 code points.
  const auto doc = parse_transcript("IV: Zoe\xCC\x88\n", "n.txt");
  CHECK(doc.text == "IV: Zo\xC3\xAB\n");
  check_turns(doc, {{"IV", kNoCase, 4, 7}});
}

// Without a speakers map, labels used at least twice, or known interviewer labels used
// once, start turns. Stored text (no final LF), in code points:
//
//   line 1   0-17 "Transcribed 3 May."       LF 18   before the first label: no turn
//   line 2  19-37 "Interviewer: Hello?"      LF 38   Interviewer turn 32-38
//   line 3  39-52 "Siân: Bore da."           LF 53   Siân turn starts at 45 ...
//   line 4  54-74 "Note: recorder paused"    LF 75   "Note" is used once: not a label,
//                                                    so the turn runs on to 75
//   line 5  76-85 "Siân: Yes."                       Siân turn 82-86, the end of the text
TEST_CASE("labels are detected when no speakers are declared") {
  const auto doc = parse_transcript(
      "Transcribed 3 May.\n"
      "Interviewer: Hello?\n"
      "Si\xC3\xA2n: Bore da.\n"
      "Note: recorder paused\n"
      "Si\xC3\xA2n: Yes.",
      "G2.txt");
  CHECK(doc.length == 86);
  check_turns(doc, {{"Interviewer", kNoCase, 32, 38},
                    {"Si\xC3\xA2n", kNoCase, 45, 75},
                    {"Si\xC3\xA2n", kNoCase, 82, 86}});
  CHECK(turn_text(doc, 1) == "Bore da.\nNote: recorder paused");
}

TEST_CASE("known interviewer labels are recognised") {
  for (const char* label : {"IV", "I", "Interviewer", "Moderator", "Q"}) {
    CAPTURE(label);
    CHECK(coding::is_interviewer_label(label));
  }
  CHECK_FALSE(coding::is_interviewer_label("R"));
  CHECK_FALSE(coding::is_interviewer_label("Note"));
  CHECK_FALSE(coding::is_interviewer_label("iv"));
}

// Stored text: "IV: Ready?" 0-9, LF 10; "R: Yes." 11-17, LF 18; "IV: Sure?" 19-27, LF 28;
// "R: No." 29-34, LF 35.
TEST_CASE("in a one-to-one interview other speakers are the document's case") {
  const auto doc =
      parse_transcript("---\ncase: C01\n---\nIV: Ready?\nR: Yes.\nIV: Sure?\nR: No.\n", "C01.txt");
  CHECK(doc.case_id == std::optional<std::string>("C01"));
  CHECK(doc.case_attributes.count("C01") == 1);
  check_turns(doc, {{"IV", kNoCase, 4, 10},
                    {"R", "C01", 14, 18},
                    {"IV", kNoCase, 23, 28},
                    {"R", "C01", 32, 35}});
}

// transcripts/group.txt, stored text in code points (ë is one):
//   "Mod: Views?"         0-10, LF 11: Mod turn 5-11
//   "Ann: Good service."  12-29, LF 30: Ann turn 17-30
//   "Zoë: Too slow."      31-44, LF 45: Zoë turn 36-45
TEST_CASE("a group discussion maps each label to its case") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/group.txt"));
  CHECK(doc.id == "group");
  CHECK(doc.title == "Staff and client group, North office");
  CHECK_FALSE(doc.is_interview());
  CHECK(doc.length == 46);
  check_turns(doc, {{"Mod", kNoCase, 5, 11}, {"Ann", "K2", 17, 30}, {"Zo\xC3\xAB", "K3", 36, 45}});
}

TEST_CASE("a group discussion takes case attributes from 'cases'") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/group.txt"));
  using attributes = std::map<std::string, std::string>;
  CHECK(doc.case_attributes.at("K2") == attributes{{"group", "staff"}, {"district", "North"}});
  CHECK(doc.case_attributes.at("K3") == attributes{{"group", "client"}});
  // Cy is declared but never speaks: still a case, without attributes.
  REQUIRE(doc.case_attributes.count("K4") == 1);
  CHECK(doc.case_attributes.at("K4").empty());
  CHECK(doc.case_attributes.size() == 3);  // the moderator is not a case
}

TEST_CASE("transcript_options.speakers override the front matter") {
  coding::transcript_options options;
  options.speakers = {{"R", "C99"}};
  const auto doc = coding::load_transcript(test::fixture("transcripts/interview.txt"), options);
  check_turns(doc, {{"IV", kNoCase, 4, 18},
                    {"R", "C99", 22, 33},
                    {"R", "C99", 38, 68},
                    {"IV", kNoCase, 75, 90}});
}

// "Q: Ready?" is 0-8 with LF 9; "A: Yes." is 10-16 with LF 17.
TEST_CASE("transcript_options.speakers name labels detection would miss") {
  // Detected: Q (an interviewer label); A is used once, so it continues Q's turn.
  const auto detected = parse_transcript("Q: Ready?\nA: Yes.\n", "x.txt");
  check_turns(detected, {{"Q", kNoCase, 3, 17}});

  coding::transcript_options options;
  options.speakers = {{"Q", "interviewer"}, {"A", "C01"}};
  const auto mapped = parse_transcript("Q: Ready?\nA: Yes.\n", "x.txt", options);
  check_turns(mapped, {{"Q", kNoCase, 3, 9}, {"A", "C01", 13, 17}});
}

TEST_CASE("content_hash is 64-bit FNV-1a in hex") {
  // The published FNV-1a test vectors: the offset basis for "", and "a".
  CHECK(coding::content_hash("") == "cbf29ce484222325");
  CHECK(coding::content_hash("a") == "af63dc4c8601ec8c");
}

TEST_CASE("every sample transcript loads and has turns") {
  std::size_t count = 0;
  for (const auto& study : fs::directory_iterator(test::source("samples"))) {
    const auto folder = study.path() / "transcripts";
    if (!fs::is_directory(folder)) continue;
    for (const auto& entry : fs::directory_iterator(folder)) {
      CAPTURE(entry.path().string());
      document doc;
      CHECK_NOTHROW(doc = coding::load_transcript(entry.path().string()));
      CHECK(doc.turns.size() >= 2);
      CHECK(doc.id == entry.path().stem().string());
      ++count;
    }
  }
  CHECK(count > 0);
}

TEST_CASE("rejects front matter that is never closed") {
  const auto path = test::fixture("broken/transcript-unclosed.txt");
  CHECK_THROWS_WITH_AS(coding::load_transcript(path), doctest::Contains("never closed"),
                       coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::load_transcript(path); });
  CHECK(where.file == path);
  CHECK(where.line == 1);
}

TEST_CASE("rejects front matter that is not valid YAML, at its line in the file") {
  // Line 3 of the file is "title: Customer: North"; the second ':' is its 16th character.
  const auto path = test::fixture("broken/transcript-bad-yaml.txt");
  CHECK_THROWS_WITH_AS(coding::load_transcript(path),
                       doctest::Contains("front matter is not valid YAML"), coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::load_transcript(path); });
  CHECK(where.line == 3);
  CHECK(where.column == 16);
}

TEST_CASE("rejects an unknown front matter key with a did-you-mean") {
  // Line 3 of the file starts with "speaker:".
  const auto path = test::fixture("broken/transcript-unknown-key.txt");
  CHECK_THROWS_WITH_AS(coding::load_transcript(path),
                       doctest::Contains("unknown front matter key 'speaker'; did you mean "
                                         "'speakers'?"),
                       coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::load_transcript(path); });
  CHECK(where.line == 3);
  CHECK(where.column == 1);
}

TEST_CASE("rejects an unknown front matter key far from every key, listing them") {
  CHECK_THROWS_WITH_AS(parse_transcript("---\nrespondent: C1\n---\nR: hi\n", "x.txt"),
                       doctest::Contains("unknown front matter key 'respondent' (allowed: id,"),
                       coding::parse_error);
}

TEST_CASE("rejects 'attributes' without 'case'") {
  // Line 2 is "attributes: {group: customer}"; the mapping starts at column 13.
  const auto where = test::parse_error_at(
      [] { parse_transcript("---\nattributes: {group: customer}\n---\nR: hi\n", "x.txt"); });
  CHECK(where.line == 2);
  CHECK(where.column == 13);
  CHECK_THROWS_WITH_AS(
      parse_transcript("---\nattributes: {group: customer}\n---\nR: hi\n", "x.txt"),
      doctest::Contains("add 'case'"), coding::parse_error);
}

TEST_CASE("rejects front matter that is not a mapping") {
  CHECK_THROWS_WITH_AS(parse_transcript("---\n- a\n- b\n---\nR: hi\n", "x.txt"),
                       doctest::Contains("front matter must be a YAML mapping"),
                       coding::parse_error);
}

TEST_CASE("rejects an id with spaces") {
  CHECK_THROWS_WITH_AS(parse_transcript("---\nid: T 1\n---\nR: hi\n", "x.txt"),
                       doctest::Contains("document id 'T 1'"), coding::parse_error);
  // A file name with a space gives such an id too, unless the front matter names one.
  CHECK_THROWS_AS(parse_transcript("R: hi\n", "my notes.txt"), coding::parse_error);
  CHECK(parse_transcript("---\nid: N1\n---\nR: hi\n", "my notes.txt").id == "N1");
}

// The fixture is UTF-8 ("Zoë" in its title) but for one Latin-1 é (0xE9): "---\n" (4 bytes),
// "id: T12\n" (8), "title: Zoë\n" (9 + 2 + 1 = 12), "---\n" (4) and "R: caf" (6) put it at
// byte 34, line 5 of the file.
TEST_CASE("rejects a UTF-8 transcript with an invalid byte, at its line in the file") {
  const auto path = test::fixture("broken/transcript-invalid-utf8.txt");
  CHECK_THROWS_WITH_AS(coding::load_transcript(path),
                       doctest::Contains("invalid UTF-8 at byte offset 34"), coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::load_transcript(path); });
  CHECK(where.file == path);
  CHECK(where.line == 5);
}

TEST_CASE("rejects a transcript with no text") {
  CHECK_THROWS_WITH_AS(parse_transcript("", "empty.txt"), doctest::Contains("empty.txt"),
                       coding::input_error);
  // Front matter alone leaves nothing to import either.
  CHECK_THROWS_WITH_AS(parse_transcript("---\nid: E2\n---\n", "e2.txt"),
                       doctest::Contains("e2.txt"), coding::input_error);
}

TEST_CASE("load_transcript refuses a file type it does not read") {
  CHECK_THROWS_WITH_AS(coding::load_transcript("report.pdf"),
                       doctest::Contains("unsupported file type '.pdf'"), coding::input_error);
}

TEST_CASE("load_transcript rejects a .docx file that is not a Word document") {
  // broken/transcript.docx is a line of plain text, not a zip archive.
  CHECK_THROWS_WITH_AS(coding::load_transcript(test::fixture("broken/transcript.docx")),
                       doctest::Contains("transcript.docx"), coding::input_error);
}

TEST_CASE("load_transcript of a missing file throws input_error naming it") {
  const test::temp_dir dir;
  const auto path = dir.file("absent.txt");
  CHECK_THROWS_WITH_AS(coding::load_transcript(path), doctest::Contains("absent.txt"),
                       coding::input_error);
}

// --- Otter text exports, labels alone on a line --------------------------------------------

// transcripts/otter.txt, an Otter text export (no front matter), in code points:
//
//   line 1   0-15 "Interview, 3 May"                LF 16
//   line 2        ""                                LF 17
//   line 3  18-33 "Ana Lima  0:21  " (2 trailing spaces)  LF 34
//   line 4  35-63 "Hello, and thanks for coming."    LF 64   Ana Lima 35-64, 21 s
//   line 5        ""                                LF 65
//   line 6  66-73 "Bo  0:33"                         LF 74
//   line 7  75-90 "Glad to be here."                 LF 91   Bo 75-104, 33 s
//   line 8 92-103 "Really glad."                     LF 104
//   line 9        ""                                LF 105
//   line 10 106-122 "Ana Lima  1:02:05"              LF 123
//   line 11 124-127 "Bye."                           LF 128  Ana Lima 124-128, 3725 s
//
// Bo speaks once, but the text has three Otter lines: the form with its time is enough.
TEST_CASE("Otter's 'Name  0:21' lines are speaker labels that give the turn's time") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/otter.txt"));
  CHECK(doc.length == 129);
  check_turns(
      doc,
      {{"Ana Lima", kNoCase, 35, 64}, {"Bo", kNoCase, 75, 104}, {"Ana Lima", kNoCase, 124, 128}});
  CHECK(doc.turns[0].time == 21);
  CHECK(doc.turns[1].time == 33);
  CHECK(doc.turns[2].time == 3600 + 2 * 60 + 5);
  CHECK(turn_text(doc, 1) == "Glad to be here.\nReally glad.");
  CHECK(doc.warnings.empty());
}

TEST_CASE("a single Otter-like line is not a speaker unless the label is used again") {
  // "Total  3:10" is a line of a table, not a speaker: the text has no other Otter line.
  const auto doc =
      parse_transcript("IV: Scores?\nR: Here.\nTotal  3:10\nR: That's all.\n", "S.txt");
  check_turns(doc, {{"IV", kNoCase, 4, 11}, {"R", kNoCase, 15, 32}, {"R", kNoCase, 36, 47}});
  CHECK(turn_text(doc, 1) == "Here.\nTotal  3:10");
}

// transcripts/alone.txt: names alone on their lines, each before its paragraph.
//
//   line 1    0-6  "Summary"                  LF 7    used once: a heading, no turn
//   line 2    8-31 "The interview was short." LF 32
//   line 4   34-36 "Ana"   line 5 38-51 "How did it go?" LF 52    Ana 38-52
//   line 7   54-55 "Bo"    line 8 57-61 "Fine."  line 9 63-66 "Yes." LF 67   Bo 57-67
//   line 11  69-71 "Ana"   line 12 73-79 "Thanks." LF 80          Ana 73-80
//   line 14  82-83 "Bo"    line 15 85-88 "Bye."  LF 89            Bo 85-89
TEST_CASE("a name alone on a line before its paragraph is a label when used at least twice") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/alone.txt"));
  CHECK(doc.length == 90);
  check_turns(doc, {{"Ana", kNoCase, 38, 52},
                    {"Bo", kNoCase, 57, 67},
                    {"Ana", kNoCase, 73, 80},
                    {"Bo", kNoCase, 85, 89}});
  CHECK(turn_text(doc, 1) == "Fine.\nYes.");
}

TEST_CASE("a one-line paragraph or a sentence alone on a line is not a label") {
  // "Part two" stands between blank lines, "Okay" after a line of text, "Yes." ends with a
  // full stop and "later" starts in lower case: none of them starts a turn.
  const auto doc = parse_transcript(
      "IV: One?\n\nPart two\n\nR: Yes.\nOkay\nmore\n\nYes.\nand\n\nYes.\nso\n\nlater\nx\n\n"
      "later\ny\n\nPart two\n\n",
      "A.txt");
  REQUIRE(doc.turns.size() == 2);
  CHECK(doc.turns[1].speaker == "R");
  CHECK(turn_text(doc, 1) ==
        "Yes.\nOkay\nmore\n\nYes.\nand\n\nYes.\nso\n\nlater\nx\n\nlater\ny\n\nPart two");
}

// Found by the fuzzer (tests/fuzz/regressions/transcript_txt/label-time-long-fraction.txt):
// a fraction whose value underflows a double made std::stod throw out_of_range, which
// escaped the loader. Only nine digits count: 0.000000000 s.
TEST_CASE("a label's time with a very long fraction is read to the nanosecond") {
  const auto doc = parse_transcript(
      "IV: [00:00:07." + std::string(400, '0') + "1] Why?\nR: [0:08] Because.\n", "T.txt");
  REQUIRE(doc.turns.size() == 2);
  CHECK(turn_text(doc, 0) == "Why?");
  CHECK(doc.turns[0].time == 7);
  CHECK(doc.turns[1].time == 8);
}

TEST_CASE("a time in brackets right after a label is the turn's time, not what was said") {
  const auto doc =
      parse_transcript("IV: [00:04:21.10] Why?\nR: [1:02] Because.\nR: [laughs] No.\n", "T.txt");
  REQUIRE(doc.turns.size() == 3);
  CHECK(turn_text(doc, 0) == "Why?");
  CHECK(doc.turns[0].time == doctest::Approx(261.1));
  CHECK(turn_text(doc, 1) == "Because.");
  CHECK(doc.turns[1].time == 62);
  CHECK(turn_text(doc, 2) == "[laughs] No.");
  CHECK_FALSE(doc.turns[2].time);
}

TEST_CASE("a label whose every turn is empty is a marker, not a speaker") {
  // "Break: [19:19]" twice, as The Changelog writes its ad breaks: the lines stay text of
  // the turn before them.
  const auto doc = parse_transcript(
      "Ann: One.\n\nBreak: [19:19]\n\nBob: Two.\n\nAnn: Three.\n\nBreak: [37:43]\n\nBob: Four.\n",
      "B.txt");
  REQUIRE(doc.turns.size() == 4);
  REQUIRE(doc.speakers.size() == 2);
  CHECK(doc.speakers[0].label == "Ann");
  CHECK(doc.speakers[1].label == "Bob");
  CHECK(turn_text(doc, 0) == "One.\n\nBreak: [19:19]");
  CHECK(turn_text(doc, 3) == "Four.");
}

// --- Markdown -------------------------------------------------------------------------------

// transcripts/markdown.md read as a reader sees it; the stored text, in code points:
//
//    0-17  "Interview with Zoë"                                   heading, no '#' or '*'
//   20-49  "Recorded in Salford on 3. May."                       link as its text, '\.'
//   52-110 "Interviewer: [00:04:21.10] How did you hear about Pathways?"
//                                                Interviewer 79-111, 261.1 s (after the time)
//  113-151 "Zoë Ng: My adviser -- Tomás -- told me."               Zoë Ng 121-198
//  153-177 "She said it's worth a go."
//  180-188 "a leaflet"   190-197 "a letter"                         list items, one per line
//  200-226 "Interviewer: Anything else?"                           Interviewer 213-227
//  229-240 "Zoë Ng: No*."                                          block quote; Zoë Ng 237-241
constexpr std::string_view kMarkdownText =
    "Interview with Zo\xC3\xAB\n"
    "\n"
    "Recorded in Salford on 3. May.\n"
    "\n"
    "Interviewer: [00:04:21.10] How did you hear about Pathways?\n"
    "\n"
    "Zo\xC3\xAB Ng: My adviser -- Tom\xC3\xA1s -- told me.\n"
    "She said it's worth a go.\n"
    "\n"
    "a leaflet\n"
    "a letter\n"
    "\n"
    "Interviewer: Anything else?\n"
    "\n"
    "Zo\xC3\xAB Ng: No*.\n";

TEST_CASE("a .md transcript is stored as the text a reader sees") {
  const auto doc = coding::load_transcript(test::fixture("transcripts/markdown.md"));
  CHECK(doc.text == kMarkdownText);
  CHECK(doc.length == 242);
  check_turns(doc, {{"Interviewer", kNoCase, 79, 111},
                    {"Zo\xC3\xAB Ng", kNoCase, 121, 198},
                    {"Interviewer", kNoCase, 213, 227},
                    {"Zo\xC3\xAB Ng", kNoCase, 237, 241}});
  CHECK(doc.turns[0].time == doctest::Approx(261.1));
  CHECK(turn_text(doc, 0) == "How did you hear about Pathways?");
  CHECK(turn_text(doc, 1) ==
        "My adviser -- Tom\xC3\xA1s -- told me.\nShe said it's worth a go.\n\na leaflet\na letter");
}

TEST_CASE("a .txt transcript is not read as Markdown") {
  const auto bytes = coding::read_file(test::fixture("transcripts/markdown.md"));
  const auto doc = parse_transcript(bytes, "markdown.txt");
  CHECK(doc.text == bytes);
  // Read as plain text, "> **Zoë Ng:**" is no label, so Zoë Ng starts one line only and
  // is no speaker: both turns are the interviewer's, the first running on over hers.
  REQUIRE(doc.turns.size() == 2);
  CHECK(doc.turns[0].speaker == "Interviewer");
  CHECK(doc.turns[1].speaker == "Interviewer");
  CHECK(turn_text(doc, 0).starts_with(
      "\\[00:04:21.10\\] How did you hear about `Pathways`?\n\n**Zo\xC3\xAB Ng:** My adviser"));
  CHECK_FALSE(doc.turns[0].time);
}

// transcripts/markdown-qcode.md: front matter (lines 1-4), then
//   line 5  "**IV:** How was the *service*?"
//   line 7  "**R:** (QCODE)It was \*good\*, (QCODE)[really](https://x.org)
//   quick(/QCODE){#a.y}.(/QCODE){#x, #b.z}"
// stored as "IV: How was the service?\n\nR: It was *good*, really quick.\n": the outer
// passage "It was *good*, really quick." runs from 29 to 57, the inner "really quick"
// from 44 (29 + 15 for "It was *good*, ") to 56. In the file, '#a.y' is in column 77
// of line 7 (7 for "**R:** ", 7 for "(QCODE)", 17 for "It was \*good\*, ", 7, 23 for
// the link, 6 for " quick", 8 for "(/QCODE)", 1 for '{').
TEST_CASE("inline codings in a .md transcript are placed on the text a reader sees") {
  const auto path = test::fixture("transcripts/markdown-qcode.md");
  const auto doc = coding::load_transcript(path);
  CHECK(doc.text == "IV: How was the service?\n\nR: It was *good*, really quick.\n");
  check_turns(doc, {{"IV", kNoCase, 4, 24}, {"R", "K7", 29, 57}});
  REQUIRE(doc.inline_codings.size() == 3);
  CHECK(doc.inline_codings[0].code == "a.y");
  CHECK(doc.inline_codings[0].start == 44);
  CHECK(doc.inline_codings[0].end == 56);
  CHECK(doc.inline_codings[0].where.file == path);
  CHECK(doc.inline_codings[0].where.line == 7);
  CHECK(doc.inline_codings[0].where.column == 77);
  CHECK(doc.inline_codings[1].code == "x");
  CHECK(doc.inline_codings[2].code == "b.z");
  for (std::size_t i = 1; i < 3; ++i) {
    CHECK(doc.inline_codings[i].start == 29);
    CHECK(doc.inline_codings[i].end == 57);
  }
}

TEST_CASE("bad inline markup in a .md transcript is reported at its place in the file") {
  // Column 9 of line 3 in the file; in the text a reader sees, the line is "R: b", shorter.
  const auto where =
      test::parse_error_at([] { parse_transcript("IV: a\n\n**R:** b(/QCODE){#a.x}\n", "e.md"); });
  CHECK(where.line == 3);
  CHECK(where.column == 9);
  CHECK_THROWS_WITH_AS(parse_transcript("R: [a](http://x(QCODE)y(/QCODE){#a.x})\n", "l.md"),
                       doctest::Contains("where Markdown shows no text"), coding::parse_error);
  CHECK_THROWS_WITH_AS(parse_transcript("R: a <!-- (QCODE)y(/QCODE){#a.x} -->\n", "c.md"),
                       doctest::Contains("where Markdown shows no text"), coding::parse_error);
}

TEST_CASE("malformed front matter in a .md transcript is reported with line and column") {
  const auto where = test::parse_error_at(
      [] { parse_transcript("---\nid: N\ntitle: Customer: North\n---\n**R:** hi\n", "bad.md"); });
  CHECK(where.file == "bad.md");
  CHECK(where.line == 3);
  CHECK(where.column == 16);
  CHECK(test::parse_error_at([] { parse_transcript("---\nid: N\n**R:** hi\n", "open.md"); }).line ==
        1);
}

TEST_CASE("a .md transcript with nothing a reader sees is refused") {
  CHECK_THROWS_WITH_AS(parse_transcript("---\nid: N\n---\n<!-- nothing yet -->\n", "n.md"),
                       doctest::Contains("has no text after its front matter"),
                       coding::input_error);
}

// --- 0 turns --------------------------------------------------------------------------------

TEST_CASE("a transcript without speaker labels or a case warns that it has 0 turns") {
  const auto path = test::fixture("transcripts/no-labels.txt");
  const auto doc = coding::load_transcript(path);
  CHECK(doc.turns.empty());
  REQUIRE(doc.warnings.size() == 1);
  CHECK(doc.warnings[0].starts_with(path + ": 0 turns: no speaker label was recognised; "));
  CHECK(doc.warnings[0].find("Otter's 'Name  0:21'") != std::string::npos);
  CHECK(doc.warnings[0].ends_with("or declare the case with 'case:' in the front matter"));
  // With a case of its own, its codings count for that case: nothing to warn about.
  const auto with_case =
      parse_transcript("---\ncase: K1\n---\n" + coding::read_file(path), "n.txt");
  CHECK(with_case.turns.empty());
  CHECK(with_case.warnings.empty());
}

TEST_CASE("a Word transcript without speaker labels warns that it has 0 turns") {
  const auto path = test::fixture("transcripts/no-labels.docx");
  const auto doc = coding::load_transcript(path);
  CHECK(doc.text ==
        "Notes from the visit to the Salford office.\nThe adviser was busy; we came back later.\n");
  CHECK(doc.turns.empty());
  REQUIRE(doc.warnings.size() == 1);
  CHECK(doc.warnings[0].starts_with(path + ": 0 turns: no speaker label was recognised; "));
  CHECK(doc.warnings[0].ends_with("or name the speakers with --speakers"));
}

// --- real transcripts (../shared/real-transcripts, see its SOURCES.md) ----------------------

namespace {

std::vector<std::string> speaker_labels(const document& doc) {
  std::vector<std::string> out;
  for (const auto& s : doc.speakers) out.push_back(s.label);
  return out;
}

}  // namespace

// gigasword-otter.md: a title and a "Details" section, then 84 lines "Name  m:ss  " (file
// lines 10 to 269), each followed by its paragraph: 42 Jonas Rosland, 41 Jack Breen and
// one "Unknown Speaker  1:24:07" (line 245), the 76th.
TEST_CASE("the real Otter export gigasword-otter.md gives 84 timed turns of 3 speakers") {
  const auto path = real_transcript("gigasword-otter.md");
  if (path.empty()) return;
  const auto doc = coding::load_transcript(path);
  CHECK(doc.warnings.empty());
  REQUIRE(doc.turns.size() == 84);
  CHECK(speaker_labels(doc) ==
        std::vector<std::string>{"Jonas Rosland", "Jack Breen", "Unknown Speaker"});
  CHECK(doc.text.starts_with(
      "Transcript of GigaSword interview with Jack Breen of Studio Hybrid\n\nDetails\n\n"
      "Interview took place on February 16, 2022. Interviewer is Jonas Rosland.\n"));
  CHECK(doc.turns[0].speaker == "Jonas Rosland");
  CHECK(doc.turns[0].time == 21);
  CHECK(turn_text(doc, 0) ==
        "Hello everyone and welcome to yet another Indie Game Preservation interview here at Hit "
        "Save!. My name is Jonas Rosland, I'm the executive director here and today I have with "
        "me,");
  CHECK(doc.turns[1].speaker == "Jack Breen");
  CHECK(doc.turns[1].time == 33);
  CHECK(turn_text(doc, 1) == "Hi everyone. I'm Jack Breen, and I'm making GigaSword.");
  // Line 74, "Jonas Rosland  30:45", the 21st.
  CHECK(doc.turns[20].speaker == "Jonas Rosland");
  CHECK(doc.turns[20].time == 30 * 60 + 45);
  CHECK(turn_text(doc, 20) ==
        "That's awesome. That's awesome. Yeah, I'm, I'm super looking forward to play more of "
        "this. I want to talk a little about the community that you're building up around this "
        "as well, you have a discord where you're very easy going and helping people with "
        "questions around, not just the game itself, but also game development.");
  CHECK(doc.turns[75].speaker == "Unknown Speaker");
  CHECK(doc.turns[75].time == 3600 + 24 * 60 + 7);
  CHECK(
      turn_text(doc, 75).starts_with("I know, I know. And having those interactions helps a lot."));
  CHECK(doc.turns[83].speaker == "Jack Breen");
  CHECK(doc.turns[83].time == 3600 + 31 * 60 + 51);
  CHECK(turn_text(doc, 83) == "Yes, awesome. See you guys and thank you all for watching.");
  CHECK(doc.text.ends_with(
      "Jack Breen  1:31:51\nYes, awesome. See you guys and thank you all for watching.\n"));
}

// changelog-402.md: bold labels, 47 "**Jerod Santo:**", 61 "**José Valim:**", 28
// "**Adam Stacoviak:**", and twice "**Break:** \[19:19\]" (lines 101 and 219) with nothing
// said; 27 escaped brackets "\[" and one "F\#". Times "\[04:21\]" follow some labels.
TEST_CASE("the real Markdown transcript changelog-402.md gives 136 turns of 3 speakers") {
  const auto path = real_transcript("changelog-402.md");
  if (path.empty()) return;
  const auto doc = coding::load_transcript(path);
  CHECK(doc.warnings.empty());
  REQUIRE(doc.turns.size() == 47 + 61 + 28);
  CHECK(speaker_labels(doc) ==
        std::vector<std::string>{"Jerod Santo", "Jos\xC3\xA9 Valim", "Adam Stacoviak"});
  CHECK(doc.text.find("\\[") == std::string::npos);
  CHECK(doc.text.find("**") == std::string::npos);
  CHECK(doc.text.find("\\#") == std::string::npos);
  CHECK(doc.text.find("F# for Microsoft") != std::string::npos);
  CHECK(doc.text.starts_with("Jerod Santo: So we're joined by Jos\xC3\xA9 Valim."));

  CHECK(turn_text(doc, 0) ==
        "So we're joined by Jos\xC3\xA9 Valim. Jos\xC3\xA9, we thought it was just a couple years "
        "ago; it turns out - four years since you've been on The Changelog. Welcome back, my "
        "friend.");
  CHECK_FALSE(doc.turns[0].time);
  CHECK(doc.turns[1].speaker == "Jos\xC3\xA9 Valim");
  CHECK(turn_text(doc, 1) == "Thank you, I'm glad to be back.");
  // Line 9, "**Jerod Santo:** \[04:21\] Sure.", the fifth label.
  CHECK(doc.turns[4].speaker == "Jerod Santo");
  CHECK(doc.turns[4].time == 4 * 60 + 21);
  CHECK(turn_text(doc, 4) == "Sure.");
  // The 36th turn (line 83, José) runs on over the first "Break: [19:19]" line.
  CHECK(doc.turns[35].speaker == "Jos\xC3\xA9 Valim");
  CHECK(turn_text(doc, 35).ends_with(
      "we would continue to be involved in open source.\n\nBreak: [19:19]"));
  CHECK(doc.turns[36].speaker == "Jerod Santo");
  CHECK(
      turn_text(doc, 36).starts_with("So the Elixir development subscription, which was created"));
  // Line 145, "**José Valim:** \[27:42\] Yeah, so Broadway is ...", the 51st label (Break aside).
  CHECK(doc.turns[50].speaker == "Jos\xC3\xA9 Valim");
  CHECK(doc.turns[50].time == 27 * 60 + 42);
  CHECK(turn_text(doc, 50).starts_with("Yeah, so Broadway is a library for doing data ingestions"));
  CHECK(doc.turns[135].speaker == "Jerod Santo");
  CHECK(turn_text(doc, 135) == "Anytime.");
  CHECK(doc.text.ends_with("Jerod Santo: Anytime.\n"));
  for (std::size_t i = 0; i < doc.turns.size(); ++i) {
    CAPTURE(i);
    const auto said = turn_text(doc, i);
    CHECK(said.find("\\[") == std::string::npos);
    CHECK(said.find("**") == std::string::npos);
  }
}

// mohammad-ctrlshift.txt (UTF-8, CRLF, 15027 bytes), worked out without qcode: 187 lines, each
// label line followed by a blank one; 46 lines "DB: " and 47 "KM: " (grep -c '^DB: ' and
// '^KM: '), then on line 187 "MORE INFO: See the full interview at: <a ...>", a label used once,
// so text of the last KM turn. The stored text is the file without its 187 CRs (grep -c $'\r'):
// 15027 - 187 = 14840 bytes, in which 32 em dashes (grep -o '—' | wc -l), the only non-ASCII
// characters, take 3 bytes each: 14840 - 2 * 32 = 14776 code points. The turn texts are the
// lines after "DB: " or "KM: ", without CR; their offsets were counted in Python 3 on
// t = open(F, 'rb').read().decode().replace('\r\n', '\n'): t.index('Thank you') is 4, and
// the last turn ends at len(t) - 1, before the final LF.
TEST_CASE("the real CTRL+Shift interview mohammad-ctrlshift.txt gives 93 turns of DB and KM") {
  const auto path = real_transcript("mohammad-ctrlshift.txt");
  if (path.empty()) return;
  const auto doc = coding::load_transcript(path);
  CHECK(doc.encoding == "UTF-8");
  CHECK(doc.warnings.empty());
  CHECK(doc.text.find('\r') == std::string::npos);
  CHECK(coding::text_index(doc.text).size() == 14776);
  REQUIRE(doc.turns.size() == 46 + 47);
  CHECK(speaker_labels(doc) == std::vector<std::string>{"DB", "KM"});
  // The labels alternate DB, KM, except on lines 127 and 129 (the 64th and 65th), both KM:
  // grep -n '^[A-Z]*: ' | awk -F: 'prev == $2 {print $1} {prev = $2}' prints only 129.
  for (std::size_t i = 0; i < doc.turns.size(); ++i) {
    CAPTURE(i);
    CHECK(doc.turns[i].speaker == ((i < 64 ? i : i + 1) % 2 == 0 ? "DB" : "KM"));
    CHECK_FALSE(doc.turns[i].time);
  }
  CHECK(doc.text.starts_with("DB: Thank you very much for agreeing to do this, Kasey.\n\nKM: "));
  CHECK(doc.turns[0].start == 4);
  CHECK(turn_text(doc, 0) == "Thank you very much for agreeing to do this, Kasey.");
  CHECK(turn_text(doc, 1) == "My pleasure. Thanks for coming.");
  // Line 93, the 47th label.
  CHECK(turn_text(doc, 46) ==
        "And if you're going to archive it, if you're going to back it up, that's where you put "
        "the work? And once a poem is finished, do you move it to a different folder?");
  CHECK(turn_text(doc, 91) == "Just the result page, OK.");
  // Line 185, the last KM turn, runs on over the blank line 186 and the "MORE INFO:" line.
  CHECK(turn_text(doc, 92) ==
        "Right. What you would get was a lot of the, like, red or blue text, or purple text—the "
        "URLs and headers and things like that. But typically the first stage of going through "
        "the manuscript would be to remove all of that kind of junk-text. I mean it was all "
        "junk, but...\n\nMORE INFO: See the full interview at: <a target='_blank' "
        "href='https://ctrl-shift.org/interviews/transcripts/mohammad.html'>"
        "https://ctrl-shift.org/interviews/transcripts/mohammad.html</a>");
  CHECK(doc.turns[92].end == 14775);
  CHECK(doc.text.ends_with("mohammad.html</a>\n"));
}
