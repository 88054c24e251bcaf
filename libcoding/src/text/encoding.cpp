// decode_text: turns a file's bytes into UTF-8, finding out (or being told) what encoding
// they are in. Detection is deliberately conservative: byte order marks and UTF-8 are
// certain; only text that cannot be UTF-8 at all is handed to ICU's charset detector.

#include <fmt/format.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "utf8.hpp"

namespace coding {
using detail::append_utf8;
using detail::next_code_point;
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

struct converter_closer {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using converter_ptr = std::unique_ptr<UConverter, converter_closer>;

struct detector_closer {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};
using detector_ptr = std::unique_ptr<UCharsetDetector, detector_closer>;

// The 1-based line that byte `end` of `text` is on. Lines end at LF, CRLF or a lone CR,
// as they will once normalize_text has run, so the line agrees with later messages.
std::size_t line_at(std::string_view text, std::size_t end) {
  std::size_t line = 1;
  end = std::min(end, text.size());
  for (std::size_t i = 0; i < end; ++i)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
      ++line;
  return line;
}

// "byte 0x81" or "bytes 0xE2 0x82", for a message about bytes that do not decode.
std::string describe_bytes(std::string_view bytes) {
  std::string out = bytes.size() == 1 ? "byte" : "bytes";
  for (unsigned char b : bytes) out += fmt::format(" 0x{:02X}", b);
  return out;
}

// Messages, built in one place.

input_error unknown_encoding(std::string_view forced) {
  return input_error(fmt::format(
      "unknown encoding '{}'; use an ICU converter name such as windows-1252, ISO-8859-1, "
      "UTF-16LE",
      forced));
}

parse_error invalid_utf8(std::string_view name, std::size_t offset, std::size_t line) {
  return parse_error(location{std::string(name), line, 0},
                     fmt::format("invalid UTF-8 at byte offset {} (line {}); save the file as "
                                 "UTF-8 or name its encoding with --encoding",
                                 offset, line));
}

input_error not_text(std::string_view name, std::string_view what, std::string_view why,
                     std::string_view advice) {
  return input_error(fmt::format("'{}' looks like {}, not text ({}); {}", name, what, why, advice));
}

// Files that people rename to .txt, or pick by mistake, recognised by their first bytes.
void reject_known_binary(std::string_view bytes, std::string_view name) {
  if (bytes.starts_with("%PDF-"))
    throw not_text(name, "a PDF file", "it starts with %PDF-",
                   "save the transcript as plain text (.txt) or Word (.docx) and import that");
  if (bytes.starts_with("PK\x03\x04"))
    throw not_text(name, "a zip archive such as a Word .docx file", "it starts with PK",
                   "import a Word file under its .docx extension, or save it as plain text");
  if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
    throw not_text(name, "an old Word .doc (or other Office) file", "it starts with D0 CF 11 E0",
                   "save it from Word as .docx or plain text (.txt) and import that");
  if (const auto nul = bytes.find('\0'); nul != std::string_view::npos)
    throw not_text(name, "a binary file", fmt::format("a NUL byte at byte offset {}", nul),
                   "save it as plain text (UTF-8), or if it is UTF-16 without a byte order "
                   "mark, name its encoding with --encoding UTF-16LE");
}

// Decodes UTF-16 after its byte order mark by hand rather than with ICU, so that a
// damaged file is reported with the byte offset and line of the damage.
std::string decode_utf16(std::string_view bytes, bool little_endian, std::string_view name) {
  const std::string_view encoding = little_endian ? "UTF-16LE" : "UTF-16BE";
  const auto unit_at = [&](std::size_t i) {
    const auto lo = static_cast<unsigned char>(bytes[little_endian ? i : i + 1]);
    const auto hi = static_cast<unsigned char>(bytes[little_endian ? i + 1 : i]);
    return static_cast<char32_t>(hi << 8 | lo);
  };
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 2;  // after the byte order mark
  for (; i + 1 < bytes.size(); i += 2) {
    const char32_t unit = unit_at(i);
    const bool high = unit >= 0xD800 && unit <= 0xDBFF;
    const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
    if (!high && !low) {
      append_utf8(out, unit);
      continue;
    }
    const char32_t next = high && i + 3 < bytes.size() ? unit_at(i + 2) : 0;
    if (next < 0xDC00 || next > 0xDFFF) {
      const auto line = line_at(out, out.size());
      throw parse_error(location{std::string(name), line, 0},
                        fmt::format("unpaired {} surrogate 0x{:04X} at byte offset {} (line {}); "
                                    "the file is damaged or is not {}",
                                    encoding, static_cast<unsigned>(unit), i, line, encoding));
    }
    append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (next - 0xDC00));
    i += 2;
  }
  if (i < bytes.size()) {
    const auto line = line_at(out, out.size());
    throw parse_error(location{std::string(name), line, 0},
                      fmt::format("{} text has an odd number of bytes ({}): the last one, at byte "
                                  "offset {} (line {}), is half a character; the file is cut "
                                  "short or is not {}",
                                  encoding, bytes.size(), i, line, encoding));
  }
  return out;
}

// Converts with an ICU converter that stops at the first byte sequence it cannot map, so
// that a wrong --encoding is reported rather than turned into U+FFFD substitutes.
std::string convert(std::string_view bytes, std::string_view encoding, std::string_view name,
                    std::string_view advice) {
  if (encoding.find('\0') != std::string_view::npos) throw unknown_encoding(encoding);
  UErrorCode status = U_ZERO_ERROR;
  converter_ptr converter(ucnv_open(std::string(encoding).c_str(), &status));
  if (U_FAILURE(status) || !converter) throw unknown_encoding(encoding);
  status = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) throw error(fmt::format("cannot set up ICU converter '{}'", encoding));

  std::u16string units;
  units.reserve(bytes.size());
  const char* const begin = bytes.data();
  const char* source = begin;
  std::array<UChar, 4096> buffer{};
  for (;;) {
    UChar* target = buffer.data();
    status = U_ZERO_ERROR;
    ucnv_toUnicode(converter.get(), &target, buffer.data() + buffer.size(), &source,
                   begin + bytes.size(), nullptr, true, &status);
    units.append(buffer.data(), target);
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_SUCCESS(status)) break;
    // The stop callback leaves `source` just past the sequence it could not map.
    std::array<char, 32> invalid{};
    auto length = static_cast<int8_t>(invalid.size());
    UErrorCode ignored = U_ZERO_ERROR;
    ucnv_getInvalidChars(converter.get(), invalid.data(), &length, &ignored);
    if (U_FAILURE(ignored)) length = 0;
    const auto bad_length = static_cast<std::size_t>(std::max<int8_t>(length, 0));
    const auto offset = static_cast<std::size_t>(source - begin) - bad_length;
    std::string done;
    icu::UnicodeString(false, units.data(), static_cast<int32_t>(units.size())).toUTF8String(done);
    const auto line = line_at(done, done.size());
    throw parse_error(location{std::string(name), line, 0},
                      fmt::format("{} at byte offset {} (line {}) {} not valid {}; {}",
                                  describe_bytes(std::string_view(invalid.data(), bad_length)),
                                  offset, line, bad_length == 1 ? "is" : "are", encoding, advice));
  }
  std::string out;
  icu::UnicodeString(false, units.data(), static_cast<int32_t>(units.size())).toUTF8String(out);
  return out;
}

// True when some byte sequence in `bytes` decodes as a multi-byte UTF-8 character: then a
// file with invalid bytes is UTF-8 gone wrong, not legacy text that was never UTF-8.
bool has_multibyte_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (next_code_point(bytes, i) >= 0x80) return true;
  }
  return false;
}

bool has_c1_bytes(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0x80 && b <= 0x9F;
  });
}

// The single-byte charsets ICU's detector can name. Its other answers (Shift_JIS, GB18030,
// EUC-JP, EBCDIC Arabic and Hebrew, ...) are not guessed: a file in one of them is named
// with --encoding.
bool is_single_byte_charset(std::string_view charset) {
  return charset.starts_with("ISO-8859-") || charset.starts_with("windows-125") ||
         charset == "KOI8-R";
}

// The least confidence (ICU's 0-100) of the best match for which legacy text is decoded
// without being told its encoding. Measured (docs/transcript-format.md#encoding): genuine
// text in windows-125x, ISO-8859 and KOI8-R scored 20 to 85 (Icelandic 20, Russian 23, the
// 55-byte windows-1252 fixture 27, French 35-37, most others 50 and more); random high bytes
// and text too short to judge scored at most 10, ICU's answer when it has nothing to go on.
constexpr int32_t kLeastConfidence = 15;

struct charset_match {
  std::string name;
  int32_t confidence = 0;
};

// ICU's matches for `bytes`, best first, one per charset. UTF-16 and UTF-32 are left out:
// only text without a NUL byte gets here, and text in those encodings with a single space
// or line end in it has NUL bytes. ISO-8859-1 is named windows-1252 when the text has bytes
// 0x80-0x9F: they are control codes in ISO-8859-1 that no text uses, and curly quotes,
// dashes and the euro sign in windows-1252, as older Word exports write them.
std::vector<charset_match> detect_charsets(std::string_view bytes) {
  std::vector<charset_match> out;
  UErrorCode status = U_ZERO_ERROR;
  detector_ptr detector(ucsdet_open(&status));
  if (U_FAILURE(status)) return out;
  ucsdet_setText(detector.get(), bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
  if (U_FAILURE(status) || matches == nullptr) return out;
  const bool c1 = has_c1_bytes(bytes);
  for (int32_t k = 0; k < count; ++k) {
    const char* found = ucsdet_getName(matches[k], &status);
    const int32_t confidence = ucsdet_getConfidence(matches[k], &status);
    if (U_FAILURE(status) || found == nullptr) break;
    std::string name = found;
    if (name.starts_with("UTF-16") || name.starts_with("UTF-32")) continue;
    if (name == "ISO-8859-1" && c1) name = "windows-1252";
    const bool seen =
        std::any_of(out.begin(), out.end(), [&](const charset_match& m) { return m.name == name; });
    if (!seen) out.push_back({std::move(name), confidence});
  }
  return out;
}

input_error undecidable(std::string_view name, const std::vector<charset_match>& matches) {
  if (matches.empty())
    return input_error(fmt::format(
        "{}: cannot tell the text's encoding (it is not UTF-8, and ICU's detector names no "
        "encoding for it); say which with --encoding, e.g. --encoding windows-1252, or save "
        "the file as UTF-8",
        name));
  const auto& best = matches.front();
  std::string likeliest = best.name;
  std::string confidence = fmt::format("{}", best.confidence);
  if (matches.size() > 1) {
    likeliest += " or " + matches[1].name;
    confidence += fmt::format(" and {}", matches[1].confidence);
  }
  const std::string why =
      best.confidence < kLeastConfidence
          ? fmt::format("with low confidence: {} of 100", confidence)
          : fmt::format("with confidence {} of 100; qcode guesses only single-byte encodings",
                        confidence);
  return input_error(fmt::format(
      "{}: cannot tell the text's encoding (it is not UTF-8; likeliest {}, {}); say which with "
      "--encoding {}, or save the file as UTF-8",
      name, likeliest, why, best.name));
}

// The encoding of legacy text: ICU's best match, when that is a single-byte charset named
// with enough confidence; otherwise the file's encoding is the user's to name.
std::string detect_single_byte(std::string_view bytes, std::string_view name) {
  const auto matches = detect_charsets(bytes);
  if (matches.empty() || !is_single_byte_charset(matches.front().name) ||
      matches.front().confidence < kLeastConfidence)
    throw undecidable(name, matches);
  return matches.front().name;
}

}  // namespace

decoded_text decode_text(std::string_view bytes, std::string_view name, std::string_view forced) {
  if (!forced.empty())
    return {convert(bytes, forced, name, "check the encoding named with --encoding"),
            std::string(forced)};

  if (bytes.starts_with(kUtf16LeBom)) return {decode_utf16(bytes, true, name), "UTF-16LE"};
  if (bytes.starts_with(kUtf16BeBom)) return {decode_utf16(bytes, false, name), "UTF-16BE"};
  if (bytes.empty()) return {"", "UTF-8"};
  reject_known_binary(bytes, name);

  if (bytes.starts_with(kUtf8Bom)) {
    const auto rest = bytes.substr(kUtf8Bom.size());
    if (const auto bad = find_invalid_utf8(rest); bad != std::string_view::npos)
      throw invalid_utf8(name, bad + kUtf8Bom.size(), line_at(rest, bad));
    return {std::string(rest), "UTF-8 (BOM)"};
  }
  const auto bad = find_invalid_utf8(bytes);
  if (bad == std::string_view::npos) return {std::string(bytes), "UTF-8"};
  if (has_multibyte_utf8(bytes)) throw invalid_utf8(name, bad, line_at(bytes, bad));

  auto charset = detect_single_byte(bytes, name);
  auto text = convert(bytes, charset, name, "name the file's encoding with --encoding");
  return {std::move(text), std::move(charset)};
}

}  // namespace coding
