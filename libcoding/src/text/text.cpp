#include "coding/text.hpp"

#include <fmt/format.h>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>

#include "coding/error.hpp"
#include "utf8.hpp"

namespace coding {
using detail::next_code_point;
namespace {

constexpr std::size_t kStride = 64;

std::vector<UChar32> code_points(std::string_view s) {
  std::vector<UChar32> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) out.push_back(next_code_point(s, i));
  return out;
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t at = i;
    if (next_code_point(text, i) < 0) return at;
  }
  return std::string_view::npos;
}

std::size_t count_code_points(std::string_view text) noexcept {
  std::size_t n = 0;
  for (unsigned char b : text)
    if ((b & 0xC0) != 0x80) ++n;
  return n;
}

std::string normalize_text(std::string_view text, std::string_view name) {
  const std::size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  text.remove_prefix(bom);
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    // Lines end at LF, CRLF or a lone CR, as they will once normalised.
    std::size_t line = 1;
    for (std::size_t i = 0; i < bad; ++i)
      if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
        ++line;
    throw parse_error(
        location{std::string(name), line, 0},
        fmt::format("invalid UTF-8 at byte offset {} (line {}); save the file as UTF-8", bad + bom,
                    line));
  }
  std::string lf;
  lf.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      lf += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      lf += text[i];
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw error("cannot load ICU's NFC normaliser");
  const auto source = icu::UnicodeString::fromUTF8(lf);
  if (nfc->isNormalized(source, status) && U_SUCCESS(status)) return lf;
  status = U_ZERO_ERROR;
  const icu::UnicodeString normal = nfc->normalize(source, status);
  if (U_FAILURE(status)) throw error(fmt::format("{}: cannot normalise text", name));
  std::string out;
  normal.toUTF8String(out);
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const UChar32 c = next_code_point(text, i);
    if (c < 0) {
      ++width;
      continue;
    }
    const auto type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || c == 0x200B) continue;
    const auto eaw = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    width += (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return width;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent transpositions, so that the
  // common typo "lable" is one edit from "label".
  const auto x = code_points(a);
  const auto y = code_points(b);
  const std::size_t w = y.size() + 1;
  std::vector<std::size_t> d((x.size() + 1) * w);
  for (std::size_t i = 0; i <= x.size(); ++i) d[i * w] = i;
  for (std::size_t j = 0; j <= y.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      auto best =
          std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
        best = std::min(best, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = best;
    }
  }
  return d[x.size() * w + y.size()];
}

std::vector<std::string> wrap_text(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  if (width == 0) width = 1;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> breaks(
      icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) throw error("cannot load ICU's line breaker");
  const auto u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  breaks->setText(u);
  std::string line;
  auto flush = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
    line.clear();
  };
  int32_t start = breaks->first();
  for (int32_t end = breaks->next(); end != icu::BreakIterator::DONE;
       start = end, end = breaks->next()) {
    std::string piece;
    u.tempSubStringBetween(start, end).toUTF8String(piece);
    const bool hard = !piece.empty() && piece.back() == '\n';
    if (hard) piece.pop_back();
    std::string trimmed = piece;
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
    if (!line.empty() && display_width(line) + display_width(trimmed) > width) flush();
    // A piece wider than the whole line is cut into parts.
    while (display_width(piece) > width && line.empty()) {
      std::size_t cut = 0, w = 0, i = 0;
      while (i < piece.size()) {
        std::size_t next = i;
        next_code_point(piece, next);
        const auto cw = display_width(std::string_view(piece).substr(i, next - i));
        if (w + cw > width) break;
        w += cw;
        i = next;
        cut = i;
      }
      if (cut == 0) cut = piece.size();
      line = piece.substr(0, cut);
      piece.erase(0, cut);
      if (!piece.empty()) flush();
    }
    if (line.empty()) {
      line = piece;
    } else if (!piece.empty()) {
      line += piece;
    }
    if (hard) flush();
  }
  if (!line.empty() || lines.empty()) flush();
  return lines;
}

text_index::text_index(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  std::size_t cp = 0;
  std::size_t units = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b & 0xC0) == 0x80) continue;
    if (cp % kStride == 0) {
      checkpoints_.push_back(i);
      utf16_checkpoints_.push_back(units);
    }
    // A four-byte sequence (lead byte 11110xxx) is outside the BMP: two UTF-16 units.
    units += b >= 0xF0 ? 2 : 1;
    ++cp;
    if (b == '\n' && i + 1 < text.size()) line_starts_.push_back(cp);
  }
  size_ = cp;
}

std::size_t text_index::byte_offset(std::size_t cp) const {
  if (cp >= size_) return text_.size();
  std::size_t byte = checkpoints_[cp / kStride];
  for (std::size_t k = cp % kStride; k > 0; --k) {
    ++byte;
    while (byte < text_.size() && (static_cast<unsigned char>(text_[byte]) & 0xC0) == 0x80) ++byte;
  }
  return byte;
}

std::size_t text_index::code_point(std::size_t byte) const {
  if (checkpoints_.empty()) return 0;
  byte = std::min(byte, text_.size());
  const auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), byte);
  const std::size_t k = static_cast<std::size_t>(it - checkpoints_.begin()) - 1;
  std::size_t cp = k * kStride;
  for (std::size_t i = checkpoints_[k]; i < byte; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++cp;
  return cp;
}

std::size_t text_index::line_of(std::size_t cp) const {
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), cp);
  return static_cast<std::size_t>(it - line_starts_.begin());
}

std::size_t text_index::line_start(std::size_t line) const {
  return line_starts_.at(line - 1);
}

std::size_t text_index::line_end(std::size_t line) const {
  if (line < line_starts_.size()) return line_starts_[line] - 1;
  // The last line ends at the text's end, before a final LF.
  if (size_ > 0 && !text_.empty() && text_.back() == '\n') return size_ - 1;
  return size_;
}

std::size_t text_index::utf16_offset(std::size_t cp) const {
  if (checkpoints_.empty()) return 0;
  cp = std::min(cp, size_);
  // cp == size_ may be one past the last checkpoint when size_ is a multiple of kStride.
  const std::size_t k = std::min(cp / kStride, checkpoints_.size() - 1);
  std::size_t byte = checkpoints_[k];
  std::size_t units = utf16_checkpoints_[k];
  for (std::size_t n = cp - k * kStride; n > 0; --n) {
    units += static_cast<unsigned char>(text_[byte]) >= 0xF0 ? 2 : 1;
    ++byte;
    while (byte < text_.size() && (static_cast<unsigned char>(text_[byte]) & 0xC0) == 0x80) ++byte;
  }
  return units;
}

std::size_t text_index::code_point_from_utf16(std::size_t unit) const {
  if (checkpoints_.empty()) return 0;
  const auto it = std::upper_bound(utf16_checkpoints_.begin(), utf16_checkpoints_.end(), unit);
  const std::size_t k = static_cast<std::size_t>(it - utf16_checkpoints_.begin()) - 1;
  std::size_t cp = k * kStride;
  std::size_t byte = checkpoints_[k];
  std::size_t units = utf16_checkpoints_[k];
  while (cp < size_ && units < unit) {
    const std::size_t width = static_cast<unsigned char>(text_[byte]) >= 0xF0 ? 2 : 1;
    // A unit between the two halves of a surrogate pair belongs to the pair's code point.
    if (units + width > unit) break;
    units += width;
    ++cp;
    ++byte;
    while (byte < text_.size() && (static_cast<unsigned char>(text_[byte]) & 0xC0) == 0x80) ++byte;
  }
  return cp;
}

std::string_view text_index::slice(std::size_t start, std::size_t end) const {
  const std::size_t b = byte_offset(start);
  return text_.substr(b, byte_offset(end) - b);
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = list.find(',');
    out.emplace_back(list.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace coding
