// Tests of libcoding/src/docx.cpp: Word .docx transcripts. The fixtures and how each was made
// are described in tests/fixtures/docx/README.md; the expected texts below are worked out
// from their sources (interview.fodt, make_fixtures.py).

#include <doctest/doctest.h>

#include <string>

#include "coding/error.hpp"
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
