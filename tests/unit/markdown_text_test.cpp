// Tests of libcoding/src/markdown_text.cpp: the text a reader sees in a Markdown transcript.

#include "markdown_text.hpp"

#include <doctest/doctest.h>

#include <string>

using coding::detail::markdown_text;

TEST_CASE("markdown_text resolves escapes and entities and drops emphasis markers") {
  CHECK(markdown_text("\\[00:04:21.10\\] **Jos\xC3\xA9 Valim:** *so* _it_ ***is*** F\\# \\*\n") ==
        "[00:04:21.10] Jos\xC3\xA9 Valim: so it is F# *\n");
  CHECK(markdown_text("caf&eacute; &amp; tea &#8217;\n") == "caf\xC3\xA9 & tea \xE2\x80\x99\n");
}

TEST_CASE(
    "markdown_text writes links as their text, images as their alt text, code as its content") {
  CHECK(markdown_text("See [the site](http://x.org \"t\") and ![a chart](c.png), `a*b*c`.\n") ==
        "See the site and a chart, a*b*c.\n");
  CHECK(markdown_text("<http://x.org>\n") == "http://x.org\n");
  // A link reference definition is not shown; the reference is the link's text.
  CHECK(markdown_text("[a][r] b\n\n[r]: http://x.org\n") == "a b\n");
}

TEST_CASE("markdown_text separates paragraphs and headings by a blank line and keeps line breaks") {
  CHECK(markdown_text(
            "# Title\n## Sub\npara one\nline two  \nline three\\\nfour\n\n\n\npara two\n") ==
        "Title\n\nSub\n\npara one\nline two\nline three\nfour\n\npara two\n");
  CHECK(markdown_text("Setext\n======\n\nbody\n") == "Setext\n\nbody\n");
  CHECK(markdown_text("a\n\n***\n\nb\n") == "a\n\nb\n");  // a thematic break shows no text
}

TEST_CASE("markdown_text writes list items and quotes as lines without their markers") {
  CHECK(markdown_text("- one\n- two\n\n1. three\n2. four\n") == "one\ntwo\n\nthree\nfour\n");
  // A loose list (blank lines between items) keeps a blank line between them.
  CHECK(markdown_text("- one\n\n- two\n") == "one\n\ntwo\n");
  CHECK(markdown_text("> **IV:** Why?\n>\n> R: Because.\n") == "IV: Why?\n\nR: Because.\n");
}

TEST_CASE("markdown_text reads deeply nested lists and quotes as plain lines") {
  CHECK(markdown_text("- a\n  - b\n    - c\n      - d\n- e\n") == "a\nb\nc\nd\ne\n");
  CHECK(markdown_text("> > > deep\n> > > still\n>\n> up\n") == "deep\nstill\n\nup\n");
  // Far deeper than any transcript: read without recursion, so without running out of stack.
  CHECK(markdown_text(std::string(5000, '>') + " x\n") == "x\n");
  std::string nested;
  for (int i = 0; i < 500; ++i)
    nested += std::string(static_cast<std::size_t>(i) * 2, ' ') + "- i\n";
  std::string lines;
  for (int i = 0; i < 500; ++i) lines += "i\n";
  CHECK(markdown_text(nested) == lines);
}

TEST_CASE("markdown_text keeps code blocks and HTML as written but leaves out HTML comments") {
  CHECK(markdown_text("    indented *code*\n\n```\nfenced\n  kept\n```\nafter\n") ==
        "indented *code*\n\nfenced\n  kept\n\nafter\n");
  CHECK(markdown_text("<div>\nHello <b>there</b>\n</div>\n\nNext <i>one</i>\n") ==
        "<div>\nHello <b>there</b>\n</div>\n\nNext <i>one</i>\n");
  CHECK(markdown_text("<!-- note for the typist -->\n\nText <!-- x --> here\n") == "Text  here\n");
}

TEST_CASE("markdown_text of nothing visible is empty") {
  CHECK(markdown_text("").empty());
  CHECK(markdown_text("\n\n").empty());
  CHECK(markdown_text("<!-- only a comment -->\n").empty());
  CHECK(markdown_text("[r]: http://x.org\n").empty());
}
