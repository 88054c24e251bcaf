// The diff that re-anchors codings when a transcript changes (libcoding/src/diff.cpp).
// Expected blocks are worked out by hand in the comments.

#include "diff.hpp"

#include <doctest/doctest.h>

using coding::detail::diff_text;
using coding::detail::equal_block;
using coding::detail::map_position;
using coding::detail::unchanged_span;

namespace {

bool same(const std::vector<equal_block>& got, const std::vector<equal_block>& want) {
  if (got.size() != want.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i].old_start != want[i].old_start || got[i].new_start != want[i].new_start ||
        got[i].length != want[i].length)
      return false;
  return true;
}

}  // namespace

TEST_CASE("identical texts are one equal block") {
  // "Café\nok\n" is 8 code points (é is one).
  CHECK(same(diff_text("Café\nok\n", "Café\nok\n"), {{0, 0, 8}}));
}

TEST_CASE("a line inserted before shifts the rest as one block") {
  // Old "abc\ndef\n" (8); new "xx\n" (3) then the old text.
  const auto blocks = diff_text("abc\ndef\n", "xx\nabc\ndef\n");
  CHECK(same(blocks, {{0, 3, 8}}));
  CHECK(unchanged_span(blocks, 4, 7));  // "def"
  CHECK(map_position(blocks, 4, false, 11) == 7);
  CHECK(map_position(blocks, 7, true, 11) == 10);
}

TEST_CASE("a word changed inside a line leaves the words around it unchanged") {
  // "the cat sat\n" -> "the dog sat\n": no line is equal, so the characters are diffed:
  // "the " (0..4) and " sat\n" (7..12) are common; "cat" and "dog" share no character.
  const auto blocks = diff_text("the cat sat\n", "the dog sat\n");
  CHECK(same(blocks, {{0, 0, 4}, {7, 7, 5}}));
  CHECK(unchanged_span(blocks, 0, 3));         // "the"
  CHECK_FALSE(unchanged_span(blocks, 4, 7));   // "cat"
  CHECK_FALSE(unchanged_span(blocks, 0, 11));  // the whole sentence changed
  CHECK(unchanged_span(blocks, 8, 11));        // "sat"
}

TEST_CASE("positions in removed text map to where the removal happened") {
  // "abcdef" -> "abef": "ab" (0..2) stays at 0, "ef" (4..6) moves to 2.
  const auto blocks = diff_text("abcdef", "abef");
  CHECK(same(blocks, {{0, 0, 2}, {4, 2, 2}}));
  CHECK(map_position(blocks, 2, false, 4) == 2);  // start of removed "cd": where "ef" now starts
  CHECK(map_position(blocks, 4, true, 4) == 2);   // end of "cd": where "ab" ends
  CHECK(map_position(blocks, 5, false, 4) == 3);  // "f"
  CHECK(map_position(blocks, 6, true, 4) == 4);
}

TEST_CASE("a passage across a line boundary stays whole when both lines are unchanged") {
  // Line 2 changes; lines 1 and 3 do not. "one\ntwo\nsix\n" -> "one\nTWO\nsix\n".
  const auto blocks = diff_text("one\ntwo\nsix\n", "one\nTWO\nsix\n");
  CHECK(unchanged_span(blocks, 0, 4));        // "one\n"
  CHECK_FALSE(unchanged_span(blocks, 2, 6));  // "e\ntw" includes changed text
  CHECK(unchanged_span(blocks, 7, 11));       // "\nsix"
  CHECK(map_position(blocks, 8, false, 12) == 8);
}

TEST_CASE("everything removed maps every position to the new text's edges") {
  const auto blocks = diff_text("gone\n", "");
  CHECK(blocks.empty());
  CHECK(map_position(blocks, 1, false, 0) == 0);
  CHECK(map_position(blocks, 3, true, 0) == 0);
}
