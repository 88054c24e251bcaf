// Tests of libcoding/src/text.cpp: normalisation, UTF-8 checks, offsets and widths.

#include "coding/text.hpp"

#include <doctest/doctest.h>

#include <string>

#include "coding/error.hpp"
#include "strings.hpp"

using coding::text_index;

namespace {

// One line of five code points in 1 + 2 + 3 + 4 + 1 = 11 bytes:
//   cp  0 'a'   byte  0 (1 byte)
//   cp  1 'é'   byte  1 (2 bytes, U+00E9)
//   cp  2 '€'   byte  3 (3 bytes, U+20AC)
//   cp  3 '😀'  byte  6 (4 bytes, U+1F600)
//   cp  4 LF    byte 10 (1 byte)
const std::string kLine = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n";
constexpr std::size_t kLineBytes = 11;
constexpr std::size_t kLineCodePoints = 5;
constexpr std::size_t kByteInLine[kLineCodePoints] = {0, 1, 3, 6, 10};

// 20 such lines: 100 code points and 220 bytes, so that positions past the index's
// checkpoints (every 64 code points) are exercised.
std::string twenty_lines() {
  std::string text;
  for (int i = 0; i < 20; ++i) text += kLine;
  return text;
}

}  // namespace

TEST_CASE("normalize_text strips a UTF-8 byte order mark") {
  CHECK(coding::normalize_text("\xEF\xBB\xBFhello") == "hello");
  // Only a leading BOM is removed; elsewhere U+FEFF is text.
  CHECK(coding::normalize_text("a\xEF\xBB\xBF") == "a\xEF\xBB\xBF");
}

TEST_CASE("normalize_text turns CRLF and lone CR into LF") {
  CHECK(coding::normalize_text("a\r\nb\rc\n") == "a\nb\nc\n");
  // CR CR LF is a lone CR followed by a CRLF: two line ends.
  CHECK(coding::normalize_text("x\r\r\ny") == "x\n\ny");
  CHECK(coding::normalize_text("\r") == "\n");
}

TEST_CASE("normalize_text composes decomposed characters to NFC") {
  // "e" + U+0301 COMBINING ACUTE ACCENT becomes U+00E9 (C3 A9).
  CHECK(coding::normalize_text("cafe\xCC\x81") == "caf\xC3\xA9");
  // Already composed text is returned unchanged.
  CHECK(coding::normalize_text("na\xC3\xAFve") == "na\xC3\xAFve");
  CHECK(coding::normalize_text("") == "");
}

TEST_CASE("normalize_text rejects invalid UTF-8, naming the input, line and byte offset") {
  // "ok\n" is bytes 0-2 and "line two " bytes 3-11, so the stray 0xFF is byte 12, line 2.
  const std::string bad = "ok\nline two \xFF!";
  CHECK_THROWS_WITH_AS(coding::normalize_text(bad, "notes.txt"),
                       doctest::Contains("byte offset 12"), coding::input_error);
  try {
    coding::normalize_text(bad, "notes.txt");
    FAIL_CHECK("no exception thrown");
  } catch (const coding::parse_error& e) {
    CHECK(e.where().file == "notes.txt");
    CHECK(e.where().line == 2);
    CHECK(std::string(e.what()).find("notes.txt:2") == 0);
  }
}

TEST_CASE("normalize_text counts the byte offset of invalid UTF-8 from the start of the input") {
  // A BOM is bytes 0-2 and "ab" bytes 3-4, so the stray 0xFF is byte 5 of what was given,
  // as find_invalid_utf8 says for the same bytes.
  const std::string bad = std::string("\xEF\xBB\xBF") + "ab\xFF";
  REQUIRE(coding::find_invalid_utf8(bad) == 5);
  CHECK_THROWS_WITH_AS(coding::normalize_text(bad, "bom.txt"), doctest::Contains("byte offset 5"),
                       coding::parse_error);
}

TEST_CASE("normalize_text counts lone CRs as line ends when naming the line of invalid UTF-8") {
  // normalize_text turns each lone CR into a line end, so "one", "two" and the stray 0xFF
  // are lines 1, 2 and 3.
  try {
    coding::normalize_text("one\rtwo\r\xFF", "mac.txt");
    FAIL_CHECK("no exception thrown");
  } catch (const coding::parse_error& e) {
    CHECK(e.where().line == 3);
  }
}

TEST_CASE("find_invalid_utf8 returns the offset of the first bad sequence") {
  CHECK(coding::find_invalid_utf8("plain ascii") == std::string::npos);
  CHECK(coding::find_invalid_utf8(kLine) == std::string::npos);
  CHECK(coding::find_invalid_utf8("") == std::string::npos);
  CHECK(coding::find_invalid_utf8("ab\xFF!") == 2);        // never valid
  CHECK(coding::find_invalid_utf8("a\xC3") == 1);          // truncated 2-byte sequence
  CHECK(coding::find_invalid_utf8("\xC3\xA9\x80") == 2);   // stray continuation byte
  CHECK(coding::find_invalid_utf8("\xC0\xAF") == 0);       // overlong '/'
  CHECK(coding::find_invalid_utf8("x\xED\xA0\x80") == 1);  // UTF-16 surrogate D800
}

TEST_CASE("count_code_points counts characters, not bytes") {
  CHECK(coding::count_code_points("") == 0);
  CHECK(coding::count_code_points("abc") == 3);
  CHECK(coding::count_code_points("\xC3\xA9") == 1);          // é: 2 bytes
  CHECK(coding::count_code_points("\xF0\x9F\x98\x80") == 1);  // 😀 outside the BMP: 4 bytes
  CHECK(coding::count_code_points(kLine) == 5);
}

TEST_CASE("text_index converts between code points and bytes in both directions") {
  const std::string text = twenty_lines();
  const text_index index(text);
  REQUIRE(index.size() == 100);
  // Code point k is on line k / 5 at position k % 5, so its byte offset is
  // 11 * (k / 5) + kByteInLine[k % 5]. cp 64 (the second checkpoint) is the LF of line 13:
  // 11 * 12 + 10 = 142; cp 63 is the '😀' before it: 11 * 12 + 6 = 138.
  for (std::size_t k = 0; k < 100; ++k) {
    CAPTURE(k);
    const std::size_t byte = kLineBytes * (k / kLineCodePoints) + kByteInLine[k % kLineCodePoints];
    CHECK(index.byte_offset(k) == byte);
    CHECK(index.code_point(byte) == k);
  }
  CHECK(index.byte_offset(64) == 142);
  CHECK(index.byte_offset(63) == 138);
  CHECK(index.code_point(142) == 64);
  CHECK(index.byte_offset(100) == 220);  // the end of the text
  CHECK(index.code_point(220) == 100);
}

TEST_CASE("text_index counts lines, and a final LF does not open a new one") {
  const std::string text = twenty_lines();
  const text_index index(text);
  CHECK(index.line_count() == 20);
  // Line n starts at 5 * (n - 1) and ends at its LF, 5 * (n - 1) + 4.
  CHECK(index.line_start(1) == 0);
  CHECK(index.line_end(1) == 4);
  CHECK(index.line_start(14) == 65);
  CHECK(index.line_end(14) == 69);
  CHECK(index.line_start(20) == 95);
  CHECK(index.line_end(20) == 99);  // before the final LF
  CHECK(index.line_of(0) == 1);
  CHECK(index.line_of(4) == 1);  // an LF belongs to the line it ends
  CHECK(index.line_of(5) == 2);
  CHECK(index.line_of(67) == 14);
  CHECK(index.line_of(99) == 20);
}

TEST_CASE("text_index handles a text without a final LF and blank lines") {
  // "a", "", "bé": 0 a, 1 LF, 2 LF, 3 b, 4 é; 5 code points in 6 bytes.
  const std::string text = "a\n\nb\xC3\xA9";
  const text_index index(text);
  CHECK(index.size() == 5);
  CHECK(index.line_count() == 3);
  CHECK(index.line_start(2) == 2);
  CHECK(index.line_end(2) == 2);  // an empty line starts and ends at its LF
  CHECK(index.line_start(3) == 3);
  CHECK(index.line_end(3) == 5);  // the end of the text
  CHECK(index.line_of(2) == 2);
  CHECK(index.line_of(4) == 3);
}

TEST_CASE("text_index of an empty text has one empty line") {
  const text_index index("");
  CHECK(index.size() == 0);
  CHECK(index.line_count() == 1);
  CHECK(index.line_start(1) == 0);
  CHECK(index.line_end(1) == 0);
  CHECK(index.byte_offset(0) == 0);
  CHECK(index.code_point(0) == 0);
  CHECK(index.slice(0, 0).empty());
}

TEST_CASE("text_index of a lone LF has one empty line") {
  const text_index index("\n");
  CHECK(index.size() == 1);
  CHECK(index.line_count() == 1);
  CHECK(index.line_end(1) == 0);
}

TEST_CASE("text_index slices by code points") {
  const std::string text = twenty_lines();
  const text_index index(text);
  CHECK(index.slice(0, 4) == "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(index.slice(3, 7) == "\xF0\x9F\x98\x80\na\xC3\xA9");  // 😀 LF a é
  // cp 62-64 are '€', '😀' and LF of line 13; cp 65 is the 'a' of line 14.
  CHECK(index.slice(62, 64) == "\xE2\x82\xAC\xF0\x9F\x98\x80");  // ends at the checkpoint
  CHECK(index.slice(63, 66) == "\xF0\x9F\x98\x80\na");           // across it
  CHECK(index.slice(95, 100) == kLine);
  CHECK(index.slice(7, 7).empty());
}

TEST_CASE("display_width counts terminal columns") {
  CHECK(coding::display_width("") == 0);
  CHECK(coding::display_width("abc") == 3);
  CHECK(coding::display_width("caf\xC3\xA9") == 4);   // é is one column
  CHECK(coding::display_width("\xE6\x97\xA5") == 2);  // 日 is wide
  CHECK(coding::display_width("a\xE6\x97\xA5!") == 4);
  CHECK(coding::display_width("e\xCC\x81") == 1);  // the combining acute adds nothing
}

TEST_CASE("edit_distance counts code point edits") {
  CHECK(coding::edit_distance("", "") == 0);
  CHECK(coding::edit_distance("", "abc") == 3);
  CHECK(coding::edit_distance("abc", "") == 3);
  CHECK(coding::edit_distance("same", "same") == 0);
  CHECK(coding::edit_distance("kitten", "sitting") == 3);    // k->s, e->i, +g
  CHECK(coding::edit_distance("caf\xC3\xA9", "cafe") == 1);  // é is one code point
  CHECK(coding::edit_distance("\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5") == 1);  // 日本 / 日
  CHECK(coding::edit_distance("speaker", "speakers") == 1);
}

TEST_CASE("edit_distance counts a swap of adjacent characters as one edit") {
  CHECK(coding::edit_distance("lable", "label") == 1);
  CHECK(coding::edit_distance("ab", "ba") == 1);
  CHECK(coding::edit_distance("infromed", "informed") == 1);
  // Optimal string alignment: a swapped pair is not edited again, so "ca" -> "abc" is 3
  // (delete c, keep a, insert b, insert c), not 2.
  CHECK(coding::edit_distance("ca", "abc") == 3);
  CHECK(coding::edit_distance("\xC3\xA9z", "z\xC3\xA9") == 1);  // éz / zé
}

TEST_CASE("plural picks the word for the count") {
  CHECK(coding::plural(1, "coding", "codings") == "1 coding");
  CHECK(coding::plural(0, "coding", "codings") == "0 codings");
  CHECK(coding::plural(2, "summary", "summaries") == "2 summaries");
}

TEST_CASE("trim removes spaces and tabs at both ends only") {
  using coding::detail::trim;
  CHECK(trim(" \t a b \t") == "a b");
  CHECK(trim("   ").empty());
  CHECK(trim("").empty());
  CHECK(trim("\na\n") == "\na\n");  // line breaks are kept unless asked for
  CHECK(trim("\na \n", " \n") == "a");
  CHECK(coding::detail::trim_start("  a ") == "a ");
  CHECK(coding::detail::trim_end("  a ") == "  a");
}

TEST_CASE("ascii_lower lowers ASCII letters and leaves UTF-8 alone") {
  CHECK(coding::detail::ascii_lower("Word/Document.XML") == "word/document.xml");
  CHECK(coding::detail::ascii_lower("\xC3\x89T\xC3\x89") == "\xC3\x89t\xC3\x89");  // ÉTÉ
}

TEST_CASE("iequals ignores the case of ASCII letters") {
  using coding::detail::iequals;
  CHECK(iequals("[Content_Types].XML", "[content_types].xml"));
  CHECK_FALSE(iequals("abc", "abd"));
  CHECK_FALSE(iequals("abc", "abcd"));
  CHECK(iequals("", ""));
}

TEST_CASE("split_list keeps every item of a comma-separated list, empty ones too") {
  CHECK(coding::split_list("anna,ben") == std::vector<std::string>{"anna", "ben"});
  CHECK(coding::split_list("anna") == std::vector<std::string>{"anna"});
  CHECK(coding::split_list("a,,b") == std::vector<std::string>{"a", "", "b"});
  CHECK(coding::split_list("a,") == std::vector<std::string>{"a", ""});
  CHECK(coding::split_list("") == std::vector<std::string>{""});
}
