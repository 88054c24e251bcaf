#pragma once
// Text differences for re-anchoring codings when a transcript changes, private to the
// library.

#include <cstddef>
#include <string_view>
#include <vector>

namespace coding::detail {

/// A run of code points that is the same in both texts.
struct equal_block {
  std::size_t old_start = 0;
  std::size_t new_start = 0;
  std::size_t length = 0;
};

/// The runs common to `old_text` and `new_text` (UTF-8), in code points, in order: a
/// line-level diff first (Myers), then a character-level diff inside each changed group
/// of lines. Hunks too large to diff by character within the limits are treated as
/// wholly changed.
std::vector<equal_block> diff_text(std::string_view old_text, std::string_view new_text);

/// Where code point `pos` of the old text lands in the new one: inside an equal block,
/// its counterpart; in removed text, the new position where the removal happened.
/// `as_end` maps an end offset (the position after a character).
std::size_t map_position(const std::vector<equal_block>& blocks, std::size_t pos, bool as_end,
                         std::size_t new_length);

/// True when old code points [start, end) lie inside one equal block: the passage is
/// unchanged and only (perhaps) moved.
bool unchanged_span(const std::vector<equal_block>& blocks, std::size_t start, std::size_t end);

}  // namespace coding::detail
