#pragma once
// Reading Markdown transcripts (.md) as the text a reader sees, private to the library.
// Not to be confused with markdown.cpp, which writes qcode's Markdown outputs.

#include <string>
#include <string_view>

namespace coding::detail {

/// The text a reader of the CommonMark document `source` sees (parsed by cmark):
/// backslash escapes and entities resolved; emphasis, strong, link and image markup
/// removed (a link is its text, an image its alt text, inline code its content);
/// headings, list items and block quotes as plain lines, without `#`, `-`, `1.` or `>`;
/// code blocks as their lines; HTML kept as written except comments, which are left
/// out; thematic breaks and link reference definitions left out. Leaf blocks are
/// separated by a blank line, except the blocks of one tight list, separated by a line
/// break; a line break inside a paragraph (soft or hard) is a line break. The result
/// ends with a line break unless it is empty. Never throws for any input.
std::string markdown_text(std::string_view source);

}  // namespace coding::detail
