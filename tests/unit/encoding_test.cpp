// Tests of libcoding/src/encoding.cpp (decode_text) over the fixtures in
// tests/fixtures/encodings/ (see its README.md), and of text_index's UTF-16 offsets,
// which NVivo and other tools that count in UTF-16 units need.

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

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

TEST_CASE(
    "decode_text falls back to windows-1252 when ICU's detection names no single-byte charset") {
  // Too short for ICU's detector to name any single-byte charset.
  const auto d = coding::decode_text("caf\xE9\n", "short.txt");
  CHECK(d.text == "café\n");
  CHECK(d.encoding == "windows-1252");
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
  // 10,000 "é" in windows-1252: more than one pass through the converter's output buffer.
  const std::string bytes = "IV: \x93" + std::string(10000, '\xE9') + "\x94\n";
  std::string expected = "IV: “";
  for (int i = 0; i < 10000; ++i) expected += "é";
  expected += "”\n";
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
