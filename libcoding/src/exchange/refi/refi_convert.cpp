// REFI-QDA import, the conversions (declared in refi_internal.hpp): positions as other
// programs count them mapped onto qcode's stored text, code ids made from names, and colours
// and GUIDs in the forms other programs write them.

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>
#include <memory>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "refi_internal.hpp"
#include "utf8.hpp"

namespace coding::detail {

// --- positions -------------------------------------------------------------------------------

std::string position_convention::describe() const {
  return fmt::format("{} with CRLF as {}", utf16 ? "UTF-16 units" : "code points",
                     crlf_as_one ? "one" : "two");
}

namespace {

const icu::Normalizer2& nfc_normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw error("cannot load ICU's NFC normaliser");
  return *n;
}

std::string nfc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = &nfc_normalizer();
  const auto source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  const auto normal = n->normalize(source, status);
  if (U_FAILURE(status)) throw error("cannot normalise text");
  std::string out;
  normal.toUTF8String(out);
  return out;
}

}  // namespace

// The text is cut into segments that normalise independently: each starts at a code point
// that never composes with what precedes it (a normalisation boundary: every ASCII character,
// most others) and takes the code points that follow up to the next boundary; a line end (CR
// LF, CR or LF) is a segment of its own. Most segments are one character and map to
// themselves; the others are normalised on their own, and are mapped as a whole.
position_map::position_map(std::string_view raw, position_convention convention) {
  const auto cps = to_code_points(raw);
  const auto& normalizer = nfc_normalizer();
  // U+0300 is the first code point that can compose with what precedes it.
  const auto boundary = [&](char32_t c) {
    return c < 0x300 || normalizer.hasBoundaryBefore(static_cast<UChar32>(c));
  };
  floor_.reserve(cps.size() + 1);
  ceil_.reserve(cps.size() + 1);
  text_.reserve(raw.size());
  std::size_t at = 0;  // code points of text_
  std::size_t i = 0;
  while (i < cps.size()) {
    std::size_t j = i + 1;
    if (cps[i] == U'\r' || cps[i] == U'\n') {
      if (cps[i] == U'\r' && j < cps.size() && cps[j] == U'\n') ++j;
    } else {
      while (j < cps.size() && !boundary(cps[j])) ++j;
    }
    if (j == i + 1 && cps[i] < 0x80 && cps[i] != U'\r') {
      floor_.push_back(at);
      ceil_.push_back(at);
      text_ += static_cast<char>(cps[i]);
      ++at;
      i = j;
      continue;
    }
    std::string original, lf;
    for (std::size_t k = i; k < j; ++k) append_utf8(original, cps[k]);
    for (std::size_t k = i; k < j; ++k) {
      if (cps[k] == U'\r') {
        if (!(k + 1 < j && cps[k + 1] == U'\n')) lf += '\n';
      } else {
        append_utf8(lf, cps[k]);
      }
    }
    const std::string normal = nfc(lf);
    const std::size_t length = count_code_points(normal);
    if (normal == original) {
      // Unchanged: positions map one to one, except inside a surrogate pair.
      for (std::size_t k = i; k < j; ++k) {
        floor_.push_back(at + (k - i));
        ceil_.push_back(at + (k - i));
        if (convention.utf16 && cps[k] > 0xFFFF) {
          identity_ = false;
          floor_.push_back(at + (k - i));
          ceil_.push_back(at + (k - i) + 1);
        }
      }
    } else {
      identity_ = false;
      std::size_t units = 0;
      for (std::size_t k = i; k < j; ++k) {
        if (cps[k] == U'\r' && k + 1 < j && cps[k + 1] == U'\n' && convention.crlf_as_one) continue;
        units += convention.utf16 && cps[k] > 0xFFFF ? 2 : 1;
      }
      floor_.push_back(at);
      ceil_.push_back(at);
      for (std::size_t u = 1; u < units; ++u) {
        floor_.push_back(at);
        ceil_.push_back(at + length);
      }
    }
    text_ += normal;
    at += length;
    i = j;
  }
  floor_.push_back(at);
  ceil_.push_back(at);
}

// --- names, colours, GUIDs ------------------------------------------------------------------

namespace {

std::string to_ascii(std::string_view name) {
  thread_local std::unique_ptr<icu::Transliterator> latin = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  if (!latin) return std::string(name);
  auto text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  latin->transliterate(text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

std::string code_id_from_name(std::string_view name) {
  std::string id;
  for (const char ch : to_ascii(name)) {
    const auto c = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(ch)));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      id += static_cast<char>(c);
    } else if (!id.empty() && id.back() != '_') {
      id += '_';
    }
  }
  while (!id.empty() && (id.back() == '_' || id.back() == '-')) id.pop_back();
  while (!id.empty() && (id.front() == '_' || id.front() == '-')) id.erase(id.begin());
  if (id.empty()) return "code";
  if (id[0] < 'a' || id[0] > 'z') id = "code_" + id;
  if (id.size() > 40) {
    id.resize(40);
    while (id.back() == '_' || id.back() == '-') id.pop_back();
  }
  return id;
}

std::optional<std::string> normalize_color(std::string_view color) {
  std::string c;
  for (const char ch : color)
    if (!std::isspace(static_cast<unsigned char>(ch)))
      c += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto hex = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char x) {
      return std::isxdigit(static_cast<unsigned char>(x));
    });
  };
  static const std::map<std::string, std::string, std::less<>> names = {
      {"black", "#000000"},  {"white", "#ffffff"},   {"red", "#ff0000"},     {"lime", "#00ff00"},
      {"green", "#008000"},  {"blue", "#0000ff"},    {"yellow", "#ffff00"},  {"cyan", "#00ffff"},
      {"aqua", "#00ffff"},   {"magenta", "#ff00ff"}, {"fuchsia", "#ff00ff"}, {"silver", "#c0c0c0"},
      {"gray", "#808080"},   {"grey", "#808080"},    {"maroon", "#800000"},  {"olive", "#808000"},
      {"purple", "#800080"}, {"teal", "#008080"},    {"navy", "#000080"},    {"orange", "#ffa500"}};
  if (const auto it = names.find(c); it != names.end()) return it->second;
  if (c.starts_with("rgb(") && c.ends_with(")")) {
    std::string out = "#";
    std::size_t at = 4;
    for (int part = 0; part < 3; ++part) {
      unsigned value = 0;
      const auto [end, ec] = std::from_chars(c.data() + at, c.data() + c.size() - 1, value);
      if (ec != std::errc() || value > 255) return std::nullopt;
      at = static_cast<std::size_t>(end - c.data());
      if (part < 2) {
        if (at >= c.size() || c[at] != ',') return std::nullopt;
        ++at;
      } else if (at != c.size() - 1) {
        return std::nullopt;
      }
      out += fmt::format("{:02x}", value);
    }
    return out;
  }
  std::string_view digits = c;
  if (digits.starts_with('#'))
    digits.remove_prefix(1);
  else if (digits.starts_with("0x"))
    digits.remove_prefix(2);
  if (!hex(digits)) return std::nullopt;
  if (digits.size() == 3)
    return fmt::format("#{0}{0}{1}{1}{2}{2}", digits[0], digits[1], digits[2]);
  if (digits.size() == 6) return "#" + std::string(digits);
  if (digits.size() == 8)
    return "#" + std::string(digits.substr(2));  // #aarrggbb, as .NET writes it
  return std::nullopt;
}

std::optional<std::string> normalize_guid(std::string_view guid) {
  while (!guid.empty() && std::isspace(static_cast<unsigned char>(guid.front())))
    guid.remove_prefix(1);
  while (!guid.empty() && std::isspace(static_cast<unsigned char>(guid.back())))
    guid.remove_suffix(1);
  if (guid.size() >= 2 && guid.front() == '{' && guid.back() == '}')
    guid = guid.substr(1, guid.size() - 2);
  std::string hex;
  for (std::size_t i = 0; i < guid.size(); ++i) {
    const char c = guid[i];
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c != '-' || !(i == 8 || i == 13 || i == 18 || i == 23)) {
      return std::nullopt;
    }
  }
  if (hex.size() != 32 || (guid.size() != 32 && guid.size() != 36)) return std::nullopt;
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20));
}

namespace {

// White space runs as one space, trimmed, without a trailing ellipsis. Control characters
// count as white space: XML cannot hold them, so the export writes a space for them.
std::string squash(std::string_view s) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t from = i;
    const auto c = next_code_point(s, i);
    const bool white = c <= ' ' || c == 0xA0;
    if (white) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out.append(s.substr(from, i - from));
  }
  for (const std::string_view dots : {"...", "\xE2\x80\xA6"})
    if (out.ends_with(dots)) {
      out.resize(out.size() - dots.size());
      while (!out.empty() && out.back() == ' ') out.pop_back();
    }
  return out;
}

}  // namespace

bool quotes_text(std::string_view label, std::string_view text) {
  const auto a = squash(nfc(label));
  const auto b = squash(text);
  if (a.empty() || b.empty()) return a == b;
  return a == b || a.starts_with(b) || b.starts_with(a);
}

}  // namespace coding::detail
