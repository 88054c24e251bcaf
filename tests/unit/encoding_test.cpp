// Tests of libcoding/src/encoding.cpp (decode_text) over the fixtures in
// tests/fixtures/encodings/ (see its README.md), and of text_index's UTF-16 offsets,
// which NVivo and other tools that count in UTF-16 units need.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "coding/document.hpp"
#include "coding/error.hpp"
#include "coding/text.hpp"
#include "test_support.hpp"

using coding::text_index;

namespace {

// The texts that make_fixtures.py writes, as the decoded result must be.
const std::string kUnicodeText =
    "IV: Où est Zoë?\nR: À Paris – “chez moi”. €5 🙂\nIV: Merci.\n";
const std::string kCp1252Text = "IV: Où est Zoë?\nR: À Paris – “chez moi”. €5\nIV: Merci.\n";
const std::string kLatin1Text = "IV: Où est Zoë?\nR: À Paris, chez moi. Très bien, merci.\n";

std::string fixture_bytes(const std::string& name) {
  return coding::read_file(test::fixture("encodings/" + name));
}

// Bytes written out one by one, where string literals with NULs and hex escapes would be
// hard to read.
std::string bytes_of(std::initializer_list<unsigned char> list) {
  return std::string(list.begin(), list.end());
}

coding::decoded_text decode_fixture(const std::string& name, const std::string& forced = "") {
  return coding::decode_text(fixture_bytes(name), name, forced);
}

}  // namespace

TEST_CASE("decode_text reads valid UTF-8 as it is") {
  const auto d = decode_fixture("utf8.txt");
  CHECK(d.text == kUnicodeText);
  CHECK(d.encoding == "UTF-8");
  // Plain ASCII is valid UTF-8 too.
  CHECK(coding::decode_text("IV: Hello\n", "a.txt").encoding == "UTF-8");
}

TEST_CASE("decode_text strips a UTF-8 byte order mark and names the encoding UTF-8 (BOM)") {
  const auto d = decode_fixture("utf8-bom.txt");
  CHECK(d.text == kUnicodeText);
  CHECK(d.encoding == "UTF-8 (BOM)");
}

TEST_CASE("decode_text reads UTF-16LE after its byte order mark, surrogate pairs included") {
  const auto d = decode_fixture("utf16le-bom.txt");
  CHECK(d.text == kUnicodeText);
  CHECK(d.encoding == "UTF-16LE");
}

TEST_CASE("decode_text reads UTF-16BE after its byte order mark, surrogate pairs included") {
  const auto d = decode_fixture("utf16be-bom.txt");
  CHECK(d.text == kUnicodeText);
  CHECK(d.encoding == "UTF-16BE");
}

TEST_CASE("decode_text names windows-1252 for single-byte text with bytes 0x80-0x9F") {
  // The en dash, curly quotes and euro sign are 0x96, 0x93, 0x94 and 0x80 there.
  const auto bytes = fixture_bytes("windows-1252.txt");
  CHECK(bytes.find('\x80') != std::string::npos);
  const auto d = coding::decode_text(bytes, "windows-1252.txt");
  CHECK(d.text == kCp1252Text);
  CHECK(d.encoding == "windows-1252");
}

TEST_CASE("decode_text names ISO-8859-1 for single-byte text without bytes 0x80-0x9F") {
  const auto d = decode_fixture("iso-8859-1.txt");
  CHECK(d.text == kLatin1Text);
  CHECK(d.encoding == "ISO-8859-1");
}

// The confidences (0-100) below are ICU's, measured with a ten-line program that calls
// ucsdet_detectAll on the fixture's bytes (see tests/fixtures/encodings/README.md).
TEST_CASE("decode_text refuses legacy text when ICU's best match has low confidence") {
  // ISO-8859-1, ISO-8859-2 and ISO-8859-9 all score 14, below the least of 15.
  CHECK_THROWS_WITH_AS(
      decode_fixture("undecidable-short.txt"),
      "undecidable-short.txt: cannot tell the text's encoding (it is not UTF-8; likeliest "
      "ISO-8859-1 or ISO-8859-2, with low confidence: 14 and 14 of 100); say which with "
      "--encoding ISO-8859-1, or save the file as UTF-8",
      coding::input_error);
  // Named, it is read: 0xDF is ß in ISO-8859-1.
  CHECK(decode_fixture("undecidable-short.txt", "ISO-8859-1").text == "IV: Daß ist gut.\nR: Ja.\n");
}

TEST_CASE("decode_text refuses legacy text when ICU names no encoding at all") {
  // Too short for ICU's detector to name anything but UTF-16, which text without a NUL
  // byte cannot be.
  CHECK_THROWS_WITH_AS(coding::decode_text("caf\xE9\n", "short.txt"),
                       "short.txt: cannot tell the text's encoding (it is not UTF-8, and ICU's "
                       "detector names no encoding for it); say which with --encoding, e.g. "
                       "--encoding windows-1252, or save the file as UTF-8",
                       coding::input_error);
  CHECK(coding::decode_text("caf\xE9\n", "short.txt", "windows-1252").text == "café\n");
}

TEST_CASE("decode_text refuses to guess a multi-byte legacy encoding") {
  // Noise (bytes 0xA0-0xFF after a line of ASCII): Big5 35, GB18030 10; UTF-16BE and
  // UTF-16LE, which score 10 too and come before GB18030, are left out.
  CHECK_THROWS_WITH_AS(decode_fixture("undecidable-noise.txt"),
                       "undecidable-noise.txt: cannot tell the text's encoding (it is not UTF-8; "
                       "likeliest Big5 or GB18030, with confidence 35 and 10 of 100; qcode "
                       "guesses only single-byte encodings); say which with --encoding Big5, or "
                       "save the file as UTF-8",
                       coding::input_error);
}

TEST_CASE("decode_text reads an empty input as empty UTF-8") {
  const auto d = coding::decode_text("", "empty.txt");
  CHECK(d.text.empty());
  CHECK(d.encoding == "UTF-8");
}

TEST_CASE("decode_text leaves line endings and normalisation to normalize_text") {
  // CRLF stays, and so does "e" + U+0301 COMBINING ACUTE ACCENT (not composed to U+00E9).
  const std::string text = "cafe\xCC\x81\r\nR: oui\r\n";
  CHECK(coding::decode_text(text, "a.txt").text == text);
  CHECK(coding::decode_text("\xEF\xBB\xBF" + text, "a.txt").text == text);
}

TEST_CASE("decode_text rejects invalid UTF-8 in a UTF-8 file, naming the byte offset and line") {
  // Worked out in tests/fixtures/encodings/README.md: 18 + 13 + 10 bytes before the 0xFF.
  try {
    decode_fixture("broken-utf8-line3.txt");
    FAIL("no error thrown");
  } catch (const coding::parse_error& e) {
    CHECK(e.where().file == "broken-utf8-line3.txt");
    CHECK(e.where().line == 3);
    CHECK(e.where().column == 0);
    CHECK(e.detail() ==
          "invalid UTF-8 at byte offset 41 (line 3); save the file as UTF-8 or name its encoding "
          "with --encoding");
    CHECK(std::string(e.what()).starts_with("broken-utf8-line3.txt:3: invalid UTF-8"));
  }
}

TEST_CASE("decode_text counts a UTF-8 byte order mark in the byte offset of invalid UTF-8") {
  // BOM (bytes 0-2), "é" (3-4), LF (5), then 0xFF at byte 6 on line 2.
  CHECK_THROWS_WITH_AS(coding::decode_text("\xEF\xBB\xBF\xC3\xA9\n\xFF", "bom.txt"),
                       doctest::Contains("bom.txt:2: invalid UTF-8 at byte offset 6 (line 2)"),
                       coding::parse_error);
}

TEST_CASE("decode_text counts lines ended by CRLF or a lone CR in encoding errors") {
  // "é" (0-1), CR LF (2-3), "a" (4), CR (5), 0xFF at byte 6 on line 3.
  CHECK_THROWS_WITH_AS(coding::decode_text("\xC3\xA9\r\na\r\xFF", "cr.txt"),
                       doctest::Contains("byte offset 6 (line 3)"), coding::parse_error);
}

TEST_CASE("decode_text rejects a PDF renamed .txt, saying it is a PDF") {
  CHECK_THROWS_WITH_AS(decode_fixture("broken-pdf.txt"),
                       doctest::Contains("'broken-pdf.txt' looks like a PDF file, not text"),
                       coding::input_error);
}

TEST_CASE("decode_text rejects a zip or Word file renamed .txt, saying what it is") {
  CHECK_THROWS_WITH_AS(
      coding::decode_text(bytes_of({'P', 'K', 3, 4, 0x14, 0, 6, 0}), "w.txt"),
      doctest::Contains("'w.txt' looks like a zip archive such as a Word .docx file"),
      coding::input_error);
  const std::string ole = bytes_of({0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0});
  CHECK_THROWS_WITH_AS(coding::decode_text(ole, "old.txt"),
                       doctest::Contains("'old.txt' looks like an old Word .doc"),
                       coding::input_error);
}

TEST_CASE("decode_text rejects bytes with a NUL as binary, naming the byte offset") {
  const std::string bytes = "IV: hi\n" + bytes_of({1, 2, 0, 3});
  CHECK_THROWS_WITH_AS(
      coding::decode_text(bytes, "data.txt"),
      doctest::Contains(
          "'data.txt' looks like a binary file, not text (a NUL byte at byte offset 9)"),
      coding::input_error);
  // A NUL after a UTF-8 byte order mark is no more text than without one.
  CHECK_THROWS_AS(coding::decode_text(bytes_of({0xEF, 0xBB, 0xBF, 'a', 0, 'b'}), "b.txt"),
                  coding::input_error);
}

TEST_CASE("decode_text suggests --encoding UTF-16LE for UTF-16 without a byte order mark") {
  // "I" is 49 00: the first NUL is byte 1.
  CHECK_THROWS_WITH_AS(decode_fixture("utf16le-no-bom.txt"),
                       doctest::Contains("a NUL byte at byte offset 1); save it as plain text "
                                         "(UTF-8), or if it is UTF-16 without a byte order mark, "
                                         "name its encoding with --encoding UTF-16LE"),
                       coding::input_error);
  const auto d = decode_fixture("utf16le-no-bom.txt", "UTF-16LE");
  CHECK(d.text == kUnicodeText);
  CHECK(d.encoding == "UTF-16LE");
}

TEST_CASE("decode_text rejects UTF-16 with an odd number of bytes, naming the last byte") {
  // FF FE, then "IV: Hi\n" in 14 bytes (2-15): the stray byte is byte 16, after one LF.
  try {
    decode_fixture("broken-utf16le-odd.txt");
    FAIL("no error thrown");
  } catch (const coding::parse_error& e) {
    CHECK(e.where().file == "broken-utf16le-odd.txt");
    CHECK(e.where().line == 2);
    CHECK(e.detail() ==
          "UTF-16LE text has an odd number of bytes (17): the last one, at byte offset 16 (line "
          "2), is half a character; the file is cut short or is not UTF-16LE");
  }
}

TEST_CASE("decode_text rejects an unpaired UTF-16 surrogate, naming its byte offset") {
  // FF FE, "a" (2-3), a high surrogate D83D (4-5) followed by "b", not a low surrogate.
  const std::string high = bytes_of({0xFF, 0xFE, 'a', 0, 0x3D, 0xD8, 'b', 0});
  CHECK_THROWS_WITH_AS(
      coding::decode_text(high, "s.txt"),
      doctest::Contains("unpaired UTF-16LE surrogate 0xD83D at byte offset 4 (line 1)"),
      coding::parse_error);
  // FE FF, LF (2-3), then a lone low surrogate DE42 (4-5) on line 2.
  const std::string low = bytes_of({0xFE, 0xFF, 0, '\n', 0xDE, 0x42});
  CHECK_THROWS_WITH_AS(
      coding::decode_text(low, "s.txt"),
      doctest::Contains("unpaired UTF-16BE surrogate 0xDE42 at byte offset 4 (line 2)"),
      coding::parse_error);
  // A high surrogate that ends the file has no pair either.
  CHECK_THROWS_AS(coding::decode_text(bytes_of({0xFF, 0xFE, 0x3D, 0xD8}), "s.txt"),
                  coding::parse_error);
}

TEST_CASE("decode_text reads a forced encoding and names it as given") {
  const auto d = decode_fixture("windows-1252.txt", "windows-1252");
  CHECK(d.text == kCp1252Text);
  CHECK(d.encoding == "windows-1252");
  // ICU's aliases work too; ISO-8859-1 maps 0x80-0x9F to C1 controls, so only compare
  // the Latin-1 fixture.
  const auto latin = decode_fixture("iso-8859-1.txt", "latin1");
  CHECK(latin.text == kLatin1Text);
  CHECK(latin.encoding == "latin1");
}

TEST_CASE("decode_text rejects an unknown forced encoding") {
  CHECK_THROWS_WITH_AS(decode_fixture("utf8.txt", "klingon-8"),
                       "unknown encoding 'klingon-8'; use an ICU converter name such as "
                       "windows-1252, ISO-8859-1, UTF-16LE",
                       coding::input_error);
}

TEST_CASE("decode_text reports bytes that do not convert in a forced encoding") {
  // The windows-1252 fixture read as UTF-8: "IV: O" is bytes 0-4, then 0xF9 (ù).
  try {
    decode_fixture("windows-1252.txt", "UTF-8");
    FAIL("no error thrown");
  } catch (const coding::parse_error& e) {
    CHECK(e.where().line == 1);
    CHECK(e.detail() ==
          "byte 0xF9 at byte offset 5 (line 1) is not valid UTF-8; check the encoding named with "
          "--encoding");
  }
  // A UTF-8 sequence cut short by the end of the file: E2 82 are the first two of €'s three.
  CHECK_THROWS_WITH_AS(coding::decode_text("ok\nno \xE2\x82", "cut.txt", "UTF-8"),
                       doctest::Contains("bytes 0xE2 0x82 at byte offset 6 (line 2) are not valid"),
                       coding::parse_error);
  // US-ASCII has no byte above 0x7F. (ICU's windows-1252, unlike Python's, maps even the
  // five bytes that Microsoft leaves unassigned, 0x81 among them, to C1 controls.)
  CHECK_THROWS_WITH_AS(
      coding::decode_text("a\nb\n\xE9", "x.txt", "US-ASCII"),
      doctest::Contains("byte 0xE9 at byte offset 4 (line 3) is not valid US-ASCII"),
      coding::parse_error);
}

TEST_CASE("decode_text converts legacy text far longer than ICU's conversion buffer") {
  // The windows-1252 fixture 300 times (16,500 bytes): more than one pass through the
  // converter's 4096-unit output buffer. (ICU names windows-1252 with confidence 28.)
  const auto once = fixture_bytes("windows-1252.txt");
  std::string bytes;
  std::string expected;
  for (int i = 0; i < 300; ++i) {
    bytes += once;
    expected += kCp1252Text;
  }
  const auto d = coding::decode_text(bytes, "long.txt");
  CHECK(d.encoding == "windows-1252");
  CHECK(d.text == expected);
}

// text_index's UTF-16 offsets.
//
// One line of six code points in eight UTF-16 units (and 13 bytes):
//   cp 0 'a'   unit 0
//   cp 1 'b'   unit 1
//   cp 2 '😀'  units 2-3 (U+1F600, a surrogate pair)
//   cp 3 'é'   unit 4
//   cp 4 '🙂'  units 5-6 (U+1F642, a surrogate pair)
//   cp 5 LF    unit 7
// Fifteen lines: 90 code points, 120 units, so that the index's checkpoint at code point
// 64 (every 64th) matters. Code point 6n + k is at unit 8n + the unit of k above.
namespace {

const std::string kPairLine = "ab😀é🙂\n";

std::string fifteen_pair_lines() {
  std::string text;
  for (int i = 0; i < 15; ++i) text += kPairLine;
  return text;
}

}  // namespace

TEST_CASE("text_index::utf16_offset counts characters outside the BMP as two units") {
  const std::string text = fifteen_pair_lines();
  const text_index index(text);
  REQUIRE(index.size() == 90);
  CHECK(index.utf16_offset(0) == 0);
  CHECK(index.utf16_offset(2) == 2);     // 😀
  CHECK(index.utf16_offset(3) == 4);     // é, after 😀's two units
  CHECK(index.utf16_offset(5) == 7);     // LF, after 🙂
  CHECK(index.utf16_offset(6) == 8);     // line 2
  CHECK(index.utf16_offset(63) == 84);   // 6 * 10 + 3: é on line 11, 8 * 10 + 4
  CHECK(index.utf16_offset(64) == 85);   // the checkpoint: 🙂 on line 11, 80 + 5
  CHECK(index.utf16_offset(65) == 87);   // LF on line 11, 80 + 7
  CHECK(index.utf16_offset(66) == 88);   // line 12
  CHECK(index.utf16_offset(89) == 119);  // the last LF, 8 * 14 + 7
  CHECK(index.utf16_offset(90) == 120);  // the end
  CHECK(index.utf16_offset(1000) == 120);
}

TEST_CASE(
    "text_index::code_point_from_utf16 maps a unit inside a surrogate pair to its code point") {
  const std::string text = fifteen_pair_lines();
  const text_index index(text);
  CHECK(index.code_point_from_utf16(0) == 0);
  CHECK(index.code_point_from_utf16(2) == 2);
  CHECK(index.code_point_from_utf16(3) == 2);  // second half of 😀
  CHECK(index.code_point_from_utf16(4) == 3);
  CHECK(index.code_point_from_utf16(5) == 4);
  CHECK(index.code_point_from_utf16(6) == 4);  // second half of 🙂
  CHECK(index.code_point_from_utf16(7) == 5);
  CHECK(index.code_point_from_utf16(8) == 6);
  CHECK(index.code_point_from_utf16(84) == 63);
  CHECK(index.code_point_from_utf16(85) == 64);  // the checkpoint
  CHECK(index.code_point_from_utf16(86) == 64);  // second half of the checkpoint's 🙂
  CHECK(index.code_point_from_utf16(87) == 65);
  CHECK(index.code_point_from_utf16(119) == 89);
  CHECK(index.code_point_from_utf16(120) == 90);
  CHECK(index.code_point_from_utf16(500) == 90);
}

TEST_CASE("text_index UTF-16 offsets round-trip at every position") {
  const std::string text = fifteen_pair_lines();
  const text_index index(text);
  // Expected units by line position, from the table above.
  constexpr std::size_t kUnitInLine[6] = {0, 1, 2, 4, 5, 7};
  for (std::size_t cp = 0; cp < index.size(); ++cp) {
    CAPTURE(cp);
    const std::size_t unit = 8 * (cp / 6) + kUnitInLine[cp % 6];
    CHECK(index.utf16_offset(cp) == unit);
    CHECK(index.code_point_from_utf16(unit) == cp);
  }
  // Every unit maps to the code point that covers it.
  for (std::size_t unit = 0; unit <= 120; ++unit) {
    CAPTURE(unit);
    const std::size_t cp = index.code_point_from_utf16(unit);
    CHECK(index.utf16_offset(cp) <= unit);
    if (cp < index.size()) CHECK(unit < index.utf16_offset(cp + 1));
  }
}

TEST_CASE("text_index UTF-16 offsets handle a text of exactly 64 code points and an empty text") {
  // 64 emoji: one checkpoint, and the end (cp 64, unit 128) is where a second would be.
  std::string emoji;
  for (int i = 0; i < 64; ++i) emoji += "🙂";
  const text_index index(emoji);
  CHECK(index.utf16_offset(63) == 126);
  CHECK(index.utf16_offset(64) == 128);
  CHECK(index.code_point_from_utf16(127) == 63);
  CHECK(index.code_point_from_utf16(128) == 64);

  const text_index none("");
  CHECK(none.utf16_offset(0) == 0);
  CHECK(none.code_point_from_utf16(0) == 0);
  CHECK(none.code_point_from_utf16(5) == 0);
}

TEST_CASE("text_index UTF-16 length matches the UTF-16 fixture's byte count") {
  // utf16le-bom.txt holds kUnicodeText after a 2-byte BOM, two bytes per unit.
  const auto bytes = fixture_bytes("utf16le-bom.txt");
  const text_index index(kUnicodeText);
  CHECK(index.utf16_offset(index.size()) == (bytes.size() - 2) / 2);
  CHECK(index.utf16_offset(index.size()) == index.size() + 1);  // one emoji
}

// --- a real legacy file (../shared/real-transcripts, see its SOURCES.md) --------------------

namespace {

using test::real_transcript;
using test::turn_text;

}  // namespace

// gluck-ctrlshift-cp1252.txt (windows-1252, CRLF, 67042 bytes), worked out without qcode:
// 703 lines (wc -l), each ended by CRLF (grep -c $'\r' is 703 too). Line 1 is a note in
// parentheses that belongs to no turn; then label lines, each followed by a blank one:
// 165 "DB: ", 175 "LG: " and 6 "KRISTIN: " (grep -c '^DB: ' and so on), 346 in all
// (grep -c '^[A-Z]*: '), in that order of first appearance (lines 3, 5 and 227). Five lines
// without a label (335, 337, 339, 341, 371) continue LG's turns. The only bytes above 0x7F
// are 0x91, 0x97 and 0xFC (python3: sorted({b for b in data if b > 127})), one character
// each, so the stored text, without its 703 CRs, is 67042 - 703 = 66339 code points. In
// xxd, "Gl\xFCck" is at byte 45 (line 1) and "was \x9175." at byte 35273 (line 419, the
// 204th label: head -418 | grep -c '^[A-Z]*: ' is 203): windows-1252 has U+00FC (UTF-8
// C3 BC) and U+2018 (E2 80 98) there, and U+2014 (E2 80 94) for 0x97. The turn texts are
// the lines after the label as decoded by python3 (data.decode('cp1252')), without CR.
TEST_CASE("the real windows-1252 CRLF interview gluck-ctrlshift-cp1252.txt is decoded right") {
  const auto path = real_transcript("gluck-ctrlshift-cp1252.txt");
  if (path.empty()) return;
  const auto bytes = coding::read_file(path);
  REQUIRE(bytes.size() == 67042);
  CHECK(static_cast<unsigned char>(bytes[45]) == 0xFC);
  CHECK(static_cast<unsigned char>(bytes[35273]) == 0x91);
  CHECK(coding::decode_text(bytes, path).encoding == "windows-1252");

  const auto doc = coding::load_transcript(path);
  CHECK(doc.encoding == "windows-1252");
  CHECK(doc.warnings.empty());
  CHECK(doc.text.find('\r') == std::string::npos);
  CHECK(text_index(doc.text).size() == 66339);
  CHECK(
      doc.text.starts_with("(Conversation about some of the art around Gl\xC3\xBC"
                           "ck's apartment, and the print she used for the cover of Village "
                           "Life)\n\nDB: If you would state"));
  CHECK(doc.text.find("House on Marshland was \xE2\x80\x98"
                      "75. I was put in touch with Dan Halpern\xE2\x80\x94who was starting "
                      "Ecco\xE2\x80\x94"
                      "by Stanley Kunitz.") != std::string::npos);

  REQUIRE(doc.turns.size() == 346);
  std::vector<std::string> speakers;
  for (const auto& s : doc.speakers) speakers.push_back(s.label);
  CHECK(speakers == std::vector<std::string>{"DB", "LG", "KRISTIN"});
  const auto turns_of = [&](const std::string& label) {
    return std::count_if(doc.turns.begin(), doc.turns.end(),
                         [&](const coding::turn& t) { return t.speaker == label; });
  };
  CHECK(turns_of("DB") == 165);
  CHECK(turns_of("LG") == 175);
  CHECK(turns_of("KRISTIN") == 6);

  // Line 3, after line 1 (115 characters and its LF), a blank line and "DB: ": 116 + 1 + 4.
  CHECK(doc.turns[0].speaker == "DB");
  CHECK(doc.turns[0].start == 121);
  CHECK_FALSE(doc.turns[0].time);
  CHECK(turn_text(doc, 0) ==
        "If you would state your name and the location we're at for this interview.");
  CHECK(doc.turns[1].speaker == "LG");
  CHECK(turn_text(doc, 1) ==
        "Louise Gl\xC3\xBC"
        "ck. Gl\xC3\xBC"
        "ck is spelled with a \xC3\xBC and an umlaut, and the name is Hungarian. We're in "
        "Cambridge, Massachusetts in my apartment.");
  // Line 227, the 113th label, KRISTIN's first.
  CHECK(doc.turns[112].speaker == "KRISTIN");
  CHECK(turn_text(doc, 112) == "The Americans.");
  // Line 333, the 166th label: its turn runs on over lines 335, 337, 339 and 341, which have
  // no label, blank lines included, and ends before the blank line 342.
  CHECK(doc.turns[165].speaker == "LG");
  CHECK(turn_text(doc, 165).starts_with("The more I couldn't write, the more I repudiated"));
  CHECK(turn_text(doc, 165).find("There needs to be more foreswearing.\"\n\nAnd I had a "
                                 "bed-of-nails kind of life") != std::string::npos);
  CHECK(turn_text(doc, 165).ends_with("very fast. Like in six to eight weeks."));
  CHECK(doc.turns[166].speaker == "DB");
  CHECK(turn_text(doc, 166).starts_with("Which book did"));
  // Line 419, the 204th label.
  CHECK(doc.turns[203].speaker == "LG");
  CHECK(turn_text(doc, 203).starts_with(
      "It took about six, seven years. I mean, Firstborn was published in 1968, but it was "
      "finished in '66, and House on Marshland was \xE2\x80\x98"
      "75."));
  // Line 699, the last: it runs to the end of the text, before the final LF.
  CHECK(doc.turns[345].speaker == "LG");
  CHECK(doc.turns[345].end == 66338);
  CHECK(turn_text(doc, 345) ==
        "Yeah, it has changed a little. But long before I had my little red friend, I had "
        "stopped writing letters the way I once did. I mean, there was a period in my life "
        "when—even like ten, twelve years ago—I just wrote lots of letters to lots of people, "
        "and I loved getting letters back, and I loved writing letters. And then that stopped. I "
        "don't know why it stopped. But it wasn't because of that. What I have noticed with this "
        "[iPad] is I have, now, a correspondence with my first husband, with whom I would "
        "exchange letters every two years or something—very formal letters. Then there was a "
        "period in which he needed somebody to confide in who was far away, and so we had a "
        "little period of much more intense exchange. Very short. I saw him and met his current "
        "wife. I saw him for the first time in thirty-eight years last summer, and we liked each "
        "other. I thought his wife was just great. It's helpful to kind of substitute for a "
        "phone call when you don't feel like making a phone call, and it gives people a chance "
        "that they would have with a letter but not a phone call to respond when they are ready "
        "to and not have a moment forced upon them in which they have to react. So I have very "
        "happy thoughts about this, it just has nothing to do with writing. And then, I think, "
        "it was a big moment when I switched from longhand to the typewriter. Maybe it would be "
        "equally transforming to switch to a computer. But not an iPad. I mean, I would need a "
        "real keyboard. But I can't use a mouse still. I can't. When I see that little thing, it "
        "makes me very skiddish and upset.");
  CHECK(doc.text.ends_with("makes me very skiddish and upset.\n"));
}
