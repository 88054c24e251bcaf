#pragma once
// The pieces of REFI-QDA import that tests reach directly, private to the library:
// position conventions, code ids made from names, colours and GUIDs as other programs
// write them. Defined in refi_convert.cpp.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coding::detail {

/// How a program counts positions in a source's text. The standard counts code points
/// (a CRLF is two); NVivo counts UTF-16 units (a CRLF is two); ATLAS.ti counts code points
/// with a CRLF as one.
struct position_convention {
  bool utf16 = false;        ///< UTF-16 code units instead of code points
  bool crlf_as_one = false;  ///< a CR LF pair counts as one position
  std::string describe() const;
};

/// Maps positions counted in a source file's text (UTF-8, byte order mark removed) by a
/// convention onto the text as qcode stores it (CR LF and CR made LF, NFC).
class position_map {
 public:
  position_map(std::string_view raw, position_convention convention);

  /// The stored text.
  const std::string& text() const noexcept { return text_; }
  /// Length of the raw text in the convention's units.
  std::size_t units() const noexcept { return floor_.size() - 1; }
  /// Where a selection starting at `unit` starts in the stored text (code points); a
  /// position inside a character that normalisation changed moves to its start.
  std::size_t start(std::size_t unit) const { return floor_.at(unit); }
  /// Where a selection ending at `unit` ends; a position inside such a character moves to its end.
  std::size_t end(std::size_t unit) const { return ceil_.at(unit); }
  /// True when the convention does not matter for this text: every position maps to itself.
  bool identity() const noexcept { return identity_; }

 private:
  std::string text_;
  std::vector<std::size_t> floor_, ceil_;
  bool identity_ = true;
};

/// A local code id made from a code's name: transliterated to ASCII, lower case, runs of
/// other characters as one '_', starting with a letter ("code_" is put before one that
/// would not), at most 40 characters. "Health care" -> "health_care".
std::string code_id_from_name(std::string_view name);

/// A colour as qcode stores it ("#rrggbb") from the forms programs write: "#rgb",
/// "#rrggbb", "#aarrggbb", "rrggbb", "rgb(r, g, b)" and the basic CSS names; nothing when
/// it is none of these.
std::optional<std::string> normalize_color(std::string_view color);

/// A GUID in lower case without braces ("{ABC...}" -> "abc..."), or nothing when it is not
/// 32 hex digits in the 8-4-4-4-12 form (or bare).
std::optional<std::string> normalize_guid(std::string_view guid);

/// True when a selection's name or description `label` quotes the passage `text`: equal
/// after collapsing white space, or one a prefix of the other (programs cut long names,
/// often adding "..." or "…").
bool quotes_text(std::string_view label, std::string_view text);

}  // namespace coding::detail
