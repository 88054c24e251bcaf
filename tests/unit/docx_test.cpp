// Tests of libcoding/src/docx.cpp: Word .docx transcripts. The fixtures and how each was made
// are described in tests/fixtures/docx/README.md; the expected texts below are worked out
// from their sources (interview.fodt, make_fixtures.py).

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "coding/document.hpp"
#include "coding/error.hpp"
#include "coding/text.hpp"
#include "loaders.hpp"
#include "test_support.hpp"

using coding::detail::load_docx;

namespace {

std::string path_of(const std::string& name) {
  return test::fixture("docx/" + name);
}

std::string text_of(const std::string& name) {
  const auto path = path_of(name);
  return load_docx(coding::read_file(path), path).text;
}

bool has_line(const std::string& text, const std::string& line) {
  return text.starts_with(line + "\n") || text.find("\n" + line + "\n") != std::string::npos;
}

// The parse_error that loading `bytes` as `path` throws: its message, after checking that
// it names the file and no line. Fails the test for any other outcome.
std::string error_of_bytes(const std::string& bytes, const std::string& path) {
  try {
    load_docx(bytes, path);
    FAIL_CHECK("no exception thrown");
  } catch (const coding::parse_error& e) {
    CHECK(e.where().file == path);
    CHECK(e.where().line == 0);
    return e.what();
  } catch (const std::exception& e) {
    FAIL_CHECK("expected a parse_error, got: " << e.what());
  }
  return {};
}

std::string error_of(const std::string& name) {
  const auto path = path_of(name);
  return error_of_bytes(coding::read_file(path), path);
}

const std::string kInterview =
    "Interview with Siân Jones, 12 March 2024\n"
    "\n"
    "Interviewer: How did you first hear about the programme?\n"
    "Siân Jones: My adviser – Zoë – told me about it. She said, “it’s worth a go”.\n"
    "Interviewer: And what happened next?\n"
    "Take your time.\n"
    "Siân Jones: I went along.\tIt was fine, I suppose so.\n"
    "Interviewer: Did the provider contact you?\n"
    "Name\tGroup\tDistrict\n"
    "Siân Jones\tCustomer\tYnys Môn (Anglesey)\n"
    "IV: Thank you.\n"
    "Note: recording ended at 00:41:10.\n"
    "End of interview\n";

const std::string kWordFeatures =
    "Group discussion G1: Jobcentre staff\n"
    "Zoë Angélique: We refer people to the provider’s website.\n"
    "IV: And the new forms?\n"
    "Mark Evans: It depends on the adviser, really.\n"
    "IV: See page 3 of the form dated 4 March 2024.\n"
    "Mark Evans: We use the Work-Focused interview → then the action plan.\n"
    "Before the box. After the box.\n"
    "Chosen text\n"
    "Plain words, not a label.\n"
    "This is important to note: nobody was sanctioned.\n"
    "Overall, it worked.\n"
    "\n"
    "Line one\n"
    "Line two\tafter a tab\n"
    "IV: Last question.\n"
    "Code\tNote\n"
    "choice\tFirst line and more\n"
    "roles\tIn a content control\n"
    "End.\n";

}  // namespace

TEST_CASE("docx: reads a transcript saved by LibreOffice, one line per paragraph") {
  const auto path = path_of("interview.docx");
  const auto loaded = load_docx(coding::read_file(path), path);
  CHECK(loaded.text == kInterview);
  CHECK_FALSE(loaded.has_turns);
  CHECK(loaded.turns.empty());
}

TEST_CASE("docx: writes a bold speaker label at the start of a paragraph as 'Label: text'") {
  const auto text = text_of("interview.docx");
  CHECK(has_line(text,
                 "Interviewer: How did you first hear about the programme?"));  // **Interviewer:**
  CHECK(has_line(text, "Siân Jones: I went along.\tIt was fine, I suppose so."));  // **Siân Jones**
  CHECK(has_line(text, "IV: Thank you."));  // **IV**: with the colon after the bold
  CHECK(has_line(text, "Note: recording ended at 00:41:10."));  // plain "Name: text" kept as is
  CHECK(has_line(text, "End of interview"));  // bold with nothing after it is no label

  const auto features = text_of("word-features.docx");
  CHECK(has_line(features, "Zoë Angélique: We refer people to the provider’s website."));  // 3 runs
  CHECK(has_line(features, "Plain words, not a label."));  // <w:b w:val="0"/> is not bold
  CHECK(has_line(features, "This is important to note: nobody was sanctioned."));  // 5 words
  CHECK(has_line(features, "Overall, it worked."));  // bold ending inside a word
  CHECK(has_line(features, "IV: Last question."));   // after a page break
}

TEST_CASE("docx: keeps line breaks and tabs inside a paragraph") {
  CHECK(text_of("interview.docx").find("And what happened next?\nTake your time.\n") !=
        std::string::npos);
  CHECK(text_of("word-features.docx").find("Line one\nLine two\tafter a tab\n") !=
        std::string::npos);
}

TEST_CASE("docx: writes each table row as one line of tab-separated cells") {
  CHECK(has_line(text_of("interview.docx"), "Name\tGroup\tDistrict"));
  // A cell's paragraphs are joined by a space.
  CHECK(has_line(text_of("interview.docx"), "Siân Jones\tCustomer\tYnys Môn (Anglesey)"));
  const auto features = text_of("word-features.docx");
  // Empty paragraphs add nothing; a line break in a cell becomes a space.
  CHECK(has_line(features, "choice\tFirst line and more"));
  CHECK(has_line(features, "roles\tIn a content control"));
  CHECK(features.find("DELETED ROW") == std::string::npos);
}

TEST_CASE("docx: keeps tracked insertions and leaves out tracked deletions") {
  const auto text = text_of("interview.docx");
  CHECK(has_line(text, "Siân Jones: I went along.\tIt was fine, I suppose so."));
  CHECK(text.find("um,") == std::string::npos);

  const auto features = text_of("word-features.docx");
  CHECK(has_line(features, "IV: And the new forms?"));
  CHECK(features.find("old") == std::string::npos);
  CHECK(features.find("Moved away") == std::string::npos);
  CHECK(features.find("A paragraph deleted") == std::string::npos);
  // A deleted paragraph mark joins the paragraph to the next one.
  CHECK(has_line(features, "Mark Evans: It depends on the adviser, really."));
}

TEST_CASE("docx: leaves out headers, footers, footnotes and comments") {
  const auto text = text_of("interview.docx");
  CHECK(text.find("header") == std::string::npos);
  CHECK(text.find("footer") == std::string::npos);
  CHECK(text.find("withheld") == std::string::npos);
  CHECK(text.find("Ambivalent") == std::string::npos);
  CHECK(has_line(text, "Interviewer: Did the provider contact you?"));  // no footnote number

  const auto features = text_of("word-features.docx");
  for (const char* hidden : {"HEADER", "FOOTER", "FOOTNOTE", "COMMENT", "TEXT BOX", "FALLBACK"}) {
    CAPTURE(hidden);
    CHECK(features.find(hidden) == std::string::npos);
  }
}

TEST_CASE("docx: reads content controls, fields, hyperlinks, symbols and alternate content") {
  CHECK(text_of("word-features.docx") == kWordFeatures);
}

TEST_CASE("docx: returns NFC text") {
  // word-features.docx spells Zoë and Angélique with combining accents.
  const auto text = text_of("word-features.docx");
  CHECK(text.find("Zoë Angélique") != std::string::npos);
  CHECK(text.find("\xCC\x88") == std::string::npos);  // U+0308 COMBINING DIAERESIS
  CHECK(text.find("\xCC\x81") == std::string::npos);  // U+0301 COMBINING ACUTE ACCENT
}

TEST_CASE("docx: reads a Strict UTF-16 main part named by the package relationships") {
  CHECK(text_of("strict-utf16.docx") == "R: Strict and UTF-16.\n");
}

TEST_CASE("docx: a blank Word document gives empty text") {
  CHECK(text_of("blank.docx").empty());
}

TEST_CASE("docx: refuses an empty file") {
  const auto message = error_of("broken-empty.docx");
  CHECK(message.find("broken-empty.docx: the file is empty") != std::string::npos);
  CHECK(message.find("save it as .docx from Word or LibreOffice") != std::string::npos);
}

TEST_CASE("docx: refuses a file that is not a zip archive, naming what it looks like") {
  const auto message = error_of("broken-pdf.docx");
  CHECK(message.find("not a Word .docx file (not a zip archive)") != std::string::npos);
  CHECK(message.find("it looks like a PDF") != std::string::npos);
  CHECK(message.find("save it as .docx from Word or LibreOffice") != std::string::npos);

  const auto doc = error_of_bytes(
      std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'), "old.docx");
  CHECK(doc.find("not a Word .docx file (not a zip archive)") != std::string::npos);
  CHECK(doc.find("old Word 97-2003 .doc") != std::string::npos);

  const auto text = error_of_bytes("IV: a plain text transcript\n", "plain.docx");
  CHECK(text.find("plain.docx: not a Word .docx file (not a zip archive); save it as .docx") !=
        std::string::npos);
}

TEST_CASE("docx: refuses a zip archive cut short as damaged") {
  const auto bytes = coding::read_file(path_of("interview.docx"));
  const auto message = error_of_bytes(bytes.substr(0, bytes.size() / 2), "cut.docx");
  CHECK(message.find("damaged .docx: the zip archive is incomplete or corrupt") !=
        std::string::npos);
}

TEST_CASE("docx: refuses a zip archive that is not a Word document") {
  const auto readme = error_of("broken-not-word.docx");
  CHECK(readme.find("a zip archive but not a Word document (it has no word/document.xml)") !=
        std::string::npos);
  CHECK(readme.find("save it as .docx from Word or LibreOffice") != std::string::npos);

  const auto missing = error_of("broken-no-document.docx");
  CHECK(missing.find("a zip archive but not a Word document (it has no word/document.xml)") !=
        std::string::npos);
}

TEST_CASE("docx: refuses malformed word/document.xml, naming the byte offset") {
  // In make_fixtures.py's MALFORMED, "</w:r>" closing the open w:t starts at byte 153, and
  // pugixml points at the name after "</".
  const auto message = error_of("broken-malformed.docx");
  CHECK(message.find("damaged Word document: word/document.xml is not well-formed XML "
                     "(start-end tags mismatch at byte 155 of word/document.xml)") !=
        std::string::npos);
  CHECK(message.find("save it again as .docx") != std::string::npos);
}

TEST_CASE("docx: refuses a part compressed more than 200:1 as a zip bomb") {
  const auto message = error_of("broken-zip-bomb.docx");
  CHECK(message.find("word/document.xml unpacks from") != std::string::npos);
  CHECK(message.find("above 200:1") != std::string::npos);
  CHECK(message.find("zip bomb") != std::string::npos);
}

TEST_CASE("docx: refuses a part larger than 256 MiB before reading it") {
  const auto message = error_of("broken-oversized.docx");
  CHECK(message.find("word/document.xml is 300 MiB uncompressed, more than the 256 MiB") !=
        std::string::npos);
}

// --- a real Word file (../shared/real-transcripts, see its SOURCES.md) ----------------------

namespace {

using test::real_transcript;
using test::turn_text;

}  // namespace

// wintermoor-group.docx, worked out without qcode, with python3's zipfile and
// xml.etree.ElementTree over word/document.xml: its body holds 557 paragraphs (w:p) and
// nothing else but w:sectPr; their runs hold only w:t (no tab, break, table, field or
// tracked change), so each paragraph is its w:t texts joined, and the text is those 557
// lines, each ended by LF: 116478 characters, all ASCII (so as many code points as bytes).
// 290 paragraphs open with a bold run "Name:" (the only bold runs, always first), 45 of
// "Jonas Rosland", 51 "Ben Walker", 84 "Kyla Fury", 110 "Ryan Anderson", first met in
// paragraphs 2, 3, 4 and 5; paragraph 1 is the title and the 266 others continue the turn
// before them. Three labels have a time in brackets right after them: [00:00:00]
// (paragraph 2), [00:01:00] (6) and [01:14:00] (349); the 114 others are inside what was
// said. Offsets were counted on that text in Python 3: text.index('hi everyone') is 74.
TEST_CASE("docx: the real group interview wintermoor-group.docx gives 290 turns of 4 speakers") {
  const auto path = real_transcript("wintermoor-group.docx");
  if (path.empty()) return;
  const auto doc = coding::load_transcript(path);
  CHECK(doc.warnings.empty());
  CHECK(doc.text.find('\r') == std::string::npos);
  CHECK(doc.text.size() == 116478);
  CHECK(coding::text_index(doc.text).size() == 116478);
  CHECK(std::count(doc.text.begin(), doc.text.end(), '\n') == 557);
  CHECK(doc.text.starts_with(
      "Wintermoor Tactics Club interview transcription\nJonas Rosland: [00:00:00] hi everyone."));
  CHECK(doc.text.find("**") == std::string::npos);

  REQUIRE(doc.turns.size() == 290);
  std::vector<std::string> speakers;
  for (const auto& s : doc.speakers) speakers.push_back(s.label);
  CHECK(speakers ==
        std::vector<std::string>{"Jonas Rosland", "Ben Walker", "Kyla Fury", "Ryan Anderson"});
  const auto turns_of = [&](const std::string& label) {
    return std::count_if(doc.turns.begin(), doc.turns.end(),
                         [&](const coding::turn& t) { return t.speaker == label; });
  };
  CHECK(turns_of("Jonas Rosland") == 45);
  CHECK(turns_of("Ben Walker") == 51);
  CHECK(turns_of("Kyla Fury") == 84);
  CHECK(turns_of("Ryan Anderson") == 110);
  std::vector<std::size_t> timed;
  for (std::size_t i = 0; i < doc.turns.size(); ++i)
    if (doc.turns[i].time) timed.push_back(i);
  CHECK(timed == std::vector<std::size_t>{0, 4, 179});

  CHECK(doc.turns[0].speaker == "Jonas Rosland");
  CHECK(doc.turns[0].start == 74);
  CHECK(doc.turns[0].time == 0);
  CHECK(turn_text(doc, 0) ==
        "hi everyone. And welcome to another indie game preservation interview here at Hit Save! "
        "Today. I have with me some of the team members behind Wintermoor tactics club. Please "
        "introduce yourself. We'll start with Ben.");
  CHECK(doc.turns[1].speaker == "Ben Walker");
  CHECK(turn_text(doc, 1) ==
        "Hey, my name is Ben. I was the team lead on Wintermoor tactics club, as well as the "
        "programmer on it.");
  // Paragraph 6, and paragraph 7 without a label.
  CHECK(doc.turns[4].speaker == "Jonas Rosland");
  CHECK(doc.turns[4].time == 60);
  CHECK(turn_text(doc, 4) ==
        "Awesome. And I'm Jonas Rosland executive director here at Hit Save!. Yeah, we're going "
        "to talk about the winter more tactics club today. And, but before we talk about the "
        "game I want to dive a little deeper into who you are all behind the game here.\nSo can "
        "you tell me a bit about how you get started in game development? What was your "
        "motivation? And since we have many members here of the team, which is fantastic we'll "
        "kind of go around the around the clock here.");
  // Paragraph 349, the 180th label, and paragraphs 350 and 351 without one.
  CHECK(doc.turns[179].speaker == "Kyla Fury");
  CHECK(doc.turns[179].time == 3600 + 14 * 60);
  CHECK(turn_text(doc, 179) ==
        "Yeah. Also Jacob loves like action movies. He's very into like, you know, like big "
        "showy, dramatic flashy kind of action. And so this is, you know, that character sort of "
        "reflects that showiness in a, he just wants the thing that will make his, like, that "
        "will seem cool in the moment.\nI think there's an upgrade that you can get him for "
        "Christmas that's like background music that like plays when he makes an entrance. And "
        "and one of the other characters is like, you know, it's maybe not the best idea for the "
        "rogue to have like showy background music. They enter a room. Think of like, I'll make "
        "it work.\nIt's fun.");
  // Paragraphs 555 and 556, then the last, 557.
  CHECK(doc.turns[288].speaker == "Jonas Rosland");
  CHECK(turn_text(doc, 288) ==
        "love it. And yeah, I'm Jonas rosland@jonasroslynonthetwitterandofcoursehitsave.org and "
        "hit save org is our Twitter.\nThank you. Ben, Kayla and Ryan for a fantastic time. "
        "Talking about winter more tactics club. That's been super, super fun until next time. "
        "Have");
  CHECK(doc.turns[289].speaker == "Ryan Anderson");
  CHECK_FALSE(doc.turns[289].time);
  CHECK(turn_text(doc, 289) == "a good[01:56:00] .");
  CHECK(doc.turns[289].end == 116477);
  CHECK(doc.text.ends_with("\nRyan Anderson: a good[01:56:00] .\n"));
}
