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

// The text of turn `i` (0-based), cut by code points.
std::string turn_text(const document& doc, std::size_t i) {
  const coding::text_index index(doc.text);
  return std::string(index.slice(doc.turns.at(i).start, doc.turns.at(i).end));
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
