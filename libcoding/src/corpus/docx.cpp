// Word .docx transcripts: the text of the main document part, read with libzip and pugixml.
// What is kept and what is left out is described at load_docx in loaders.hpp.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "loaders.hpp"
#include "strings.hpp"
#include "utf8.hpp"
#include "zip.hpp"

namespace coding::detail {
namespace {

// Deeper nesting than this is no document a word processor writes; the walk is recursive.
constexpr int kMaxDepth = 200;

constexpr std::string_view kMainPart = "word/document.xml";
constexpr std::string_view kResave = "save it as .docx from Word or LibreOffice";

// Stands for a page or column break while a paragraph is read: see paragraph_text.
constexpr char kPageBreak = '\f';

// --- messages ------------------------------------------------------------------------------

[[noreturn]] void fail(std::string_view file, std::string_view message) {
  throw parse_error(location{std::string(file), 0, 0}, message);
}

std::string empty_message() {
  return fmt::format("the file is empty (0 bytes), so it holds no Word document; {}", kResave);
}

std::string not_zip_message(std::string_view bytes) {
  std::string_view looks_like;
  if (bytes.starts_with("%PDF"))
    looks_like = "a PDF";
  else if (bytes.starts_with("\xD0\xCF\x11\xE0"))  // an OLE compound file
    looks_like = "an old Word 97-2003 .doc, or a .docx protected by a password (remove it first)";
  else if (bytes.starts_with("{\\rtf"))
    looks_like = "an RTF file";
  const std::string hint = looks_like.empty() ? "" : fmt::format("; it looks like {}", looks_like);
  return fmt::format("not a Word .docx file (not a zip archive){}; {}", hint, kResave);
}

std::string not_word_message(const zip_archive& zip) {
  auto has = [&zip](std::string_view name) { return zip.locate(name, true).has_value(); };
  std::string_view looks_like;
  if (has("xl/workbook.xml"))
    looks_like = "an Excel workbook";
  else if (has("ppt/presentation.xml"))
    looks_like = "a PowerPoint presentation";
  else if (has("content.xml") && has("mimetype"))
    looks_like = "an OpenDocument file (.odt)";
  const std::string hint = looks_like.empty() ? "" : fmt::format("; it looks like {}", looks_like);
  return fmt::format("a zip archive but not a Word document (it has no {}){}; {}", kMainPart, hint,
                     kResave);
}

std::string damaged_message(std::string_view part, std::string_view reason) {
  return fmt::format(
      "damaged .docx: cannot read {} from the zip archive ({}); open it in Word or "
      "LibreOffice and save it again as .docx",
      part, reason);
}

std::string too_large_message(std::string_view part, std::uint64_t size) {
  return fmt::format(
      "{} is {} MiB uncompressed, more than the {} MiB qcode reads from a .docx; "
      "split the transcript into smaller documents",
      part, size >> 20, zip_limits{}.max_entry_bytes >> 20);
}

std::string too_compressed_message(std::string_view part, std::uint64_t size,
                                   std::uint64_t packed) {
  return fmt::format(
      "{} unpacks from {} to {} bytes, a compression ratio above {}:1 that no Word "
      "document has; the file looks like a zip bomb and is not read: check where it "
      "came from, or save it again as .docx from Word or LibreOffice",
      part, packed, size, zip_limits{}.max_ratio);
}

std::string malformed_message(std::string_view part, const pugi::xml_parse_result& result) {
  std::string description = result.description();
  if (!description.empty()) description[0] = static_cast<char>(std::tolower(description[0]));
  return fmt::format(
      "damaged Word document: {} is not well-formed XML ({} at byte {} of {}); "
      "open it in Word or LibreOffice and save it again as .docx",
      part, description, result.offset, part);
}

// --- the zip archive -----------------------------------------------------------------------

// Caps (zip.hpp's defaults): 256 MiB per part; more than 200:1 compression from 1 MiB up, as
// small parts may legitimately compress better (a run of empty paragraphs) and cannot hurt.
zip_messages docx_messages() {
  zip_messages m;
  m.not_zip = [](std::string_view bytes) { return not_zip_message(bytes); };
  m.corrupt = [](std::string_view reason) {
    return fmt::format(
        "damaged .docx: the zip archive is incomplete or corrupt ({}); open the "
        "original in Word or LibreOffice and save it again as .docx",
        reason);
  };
  m.damaged = [](std::string_view part, std::string_view reason) {
    return damaged_message(part, reason);
  };
  m.too_large = [](std::string_view part, std::uint64_t size) {
    return too_large_message(part, size);
  };
  m.too_compressed = [](std::string_view part, std::uint64_t size, std::uint64_t packed) {
    return too_compressed_message(part, size, packed);
  };
  m.too_large_total = [](std::uint64_t) { return std::string(); };  // no total cap for a .docx
  return m;
}

// The part named `name` (case-insensitively, as OPC part names are), or nothing when the
// archive has no such part.
std::optional<std::string> read_part(const zip_archive& zip, std::string_view name) {
  return zip.read(name, true);
}

// The main document part as the package's relationships name it; Word always calls it
// word/document.xml, but other writers need not.
std::string main_part_name(const zip_archive& zip) {
  auto rels = read_part(zip, "_rels/.rels");
  pugi::xml_document xml;
  if (!rels || !xml.load_buffer_inplace(rels->data(), rels->size(), pugi::parse_default))
    return std::string(kMainPart);
  for (const pugi::xml_node rel : xml.document_element().children()) {
    const std::string_view type = rel.attribute("Type").value();
    std::string_view target = rel.attribute("Target").value();
    if (!type.ends_with("/officeDocument") ||
        std::string_view(rel.attribute("TargetMode").value()) == "External")
      continue;
    if (target.starts_with('/')) target.remove_prefix(1);
    // Only a part under word/ can be a Word document; a workbook's main part is not one.
    if (target.starts_with("word/") && target.ends_with(".xml")) return std::string(target);
  }
  return std::string(kMainPart);
}

// --- text helpers --------------------------------------------------------------------------

constexpr std::string_view kNbsp = "\xC2\xA0";

// Spaces, tabs, line breaks and no-break spaces, which may surround a speaker label.
constexpr std::string_view kLabelSpaces = " \t\n";

std::string_view trim_label_start(std::string_view s) {
  for (s = trim_start(s, kLabelSpaces); s.starts_with(kNbsp); s = trim_start(s, kLabelSpaces))
    s.remove_prefix(kNbsp.size());
  return s;
}

std::string_view trim_label_end(std::string_view s) {
  for (s = trim_end(s, kLabelSpaces); s.ends_with(kNbsp); s = trim_end(s, kLabelSpaces))
    s.remove_suffix(kNbsp.size());
  return s;
}

std::string_view trim_label(std::string_view s) {
  return trim_label_end(trim_label_start(s));
}

// --- speaker labels ------------------------------------------------------------------------

// A run of a paragraph: its text and whether it is bold.
struct segment {
  std::string text;
  bool bold = false;
};
using paragraph = std::vector<segment>;

// Short, starting with a letter, without a colon, tab or line break inside: "Interviewer",
// "IV", "Siân Jones", not a bold sentence or "10:30".
bool label_like(std::string_view label) {
  if (label.empty() || count_code_points(label) > 40) return false;
  const auto first = static_cast<unsigned char>(label[0]);
  const bool letter =
      (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first >= 0xC0;
  if (!letter || label.find_first_of(":\t\n") != std::string_view::npos) return false;
  std::size_t words = 0;
  for (std::string_view rest = label; !rest.empty(); rest = trim_label_start(rest)) {
    ++words;
    std::size_t end = 0;
    while (end < rest.size() && rest[end] != ' ' && !rest.substr(end).starts_with(kNbsp)) ++end;
    rest.remove_prefix(end);
  }
  return words <= 4;
}

// "Label: rest" for a paragraph that opens with a bold speaker label, such as
// "**Interviewer:** How..." or "**IV** How..."; nothing for any other paragraph.
std::optional<std::string> as_labelled(std::string_view bold, std::string_view rest) {
  std::string_view label = trim_label(bold);
  const bool colon = label.ends_with(':');
  if (colon) label = trim_label_end(label.substr(0, label.size() - 1));
  // Bold that stops inside a word ("**Interv**iewer") is emphasis, not a label.
  const bool at_word_end = colon || trim_label_end(bold).size() < bold.size() ||
                           trim_label_start(rest).size() < rest.size() || rest.starts_with(':');
  std::string_view said = trim_label_start(rest);
  const bool said_colon = said.starts_with(':');
  if (said_colon) said = trim_label_start(said.substr(1));
  // "**Name** (00:01:02): text" is left whole: the generic detection reads its time.
  if (!colon && !said_colon && said.starts_with('(')) return std::nullopt;
  if (!at_word_end || said.empty() || !label_like(label)) return std::nullopt;
  return fmt::format("{}: {}", label, said);
}

// The paragraph's text: its runs joined, with a bold speaker label written "Label: rest".
// Page and column breaks end a line only between text: at either end of a paragraph they
// are layout (Word puts them there), not part of what was said.
std::string paragraph_text(paragraph p) {
  std::erase_if(p, [](const segment& s) { return s.text.empty(); });
  while (!p.empty() && p.front().text.front() == kPageBreak) {
    p.front().text.erase(0, 1);
    if (p.front().text.empty()) p.erase(p.begin());
  }
  while (!p.empty() && p.back().text.back() == kPageBreak) {
    p.back().text.pop_back();
    if (p.back().text.empty()) p.pop_back();
  }
  for (auto& s : p) std::replace(s.text.begin(), s.text.end(), kPageBreak, '\n');

  std::string bold;
  std::size_t i = 0;
  for (; i < p.size() && p[i].bold; ++i) bold += p[i].text;
  std::string rest;
  for (; i < p.size(); ++i) rest += p[i].text;
  if (auto labelled = as_labelled(bold, rest)) return std::move(*labelled);
  return bold + rest;
}

// --- the document body ---------------------------------------------------------------------

constexpr std::string_view kWordNamespace =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kStrictWordNamespace =
    "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kCompatibilityNamespace =
    "http://schemas.openxmlformats.org/markup-compatibility/2006";

// The prefix, with its colon, that `root` binds to one of `uris`; `fallback` when none.
// pugixml does not resolve namespaces, and writers other than Word may pick other prefixes.
std::string prefix_for(pugi::xml_node root, std::initializer_list<std::string_view> uris,
                       std::string_view fallback) {
  for (const pugi::xml_attribute attribute : root.attributes()) {
    const std::string_view name = attribute.name();
    if (std::find(uris.begin(), uris.end(), attribute.value()) == uris.end()) continue;
    if (name == "xmlns") return "";
    if (name.starts_with("xmlns:")) return fmt::format("{}:", name.substr(6));
  }
  return std::string(fallback);
}

bool has_name(std::string_view name, std::string_view prefix, std::string_view local) {
  return name.size() == prefix.size() + local.size() && name.starts_with(prefix) &&
         name.ends_with(local);
}

// Walks w:body, collecting one line per paragraph and per table row.
class body_reader {
 public:
  body_reader(pugi::xml_node root, std::string_view file)
      : w_(prefix_for(root, {kWordNamespace, kStrictWordNamespace}, "w:")),
        mc_(prefix_for(root, {kCompatibilityNamespace}, "mc:")),
        val_(w_ + "val"),
        char_(w_ + "char"),
        type_(w_ + "type"),
        file_(file) {}

  bool is(pugi::xml_node node, std::string_view local) const {
    return has_name(node.name(), w_, local);
  }

  pugi::xml_node child(pugi::xml_node parent, std::string_view local) const {
    for (const pugi::xml_node node : parent.children())
      if (is(node, local)) return node;
    return {};
  }

  std::vector<std::string> lines(pugi::xml_node body) {
    std::vector<std::string> lines;
    paragraph carried;
    read_blocks(body, lines, carried);
    flush(carried, lines);
    return lines;
  }

 private:
  class depth_guard {
   public:
    explicit depth_guard(body_reader& reader) : reader_(reader) {
      if (++reader_.depth_ > kMaxDepth)
        fail(reader_.file_, fmt::format("damaged Word document: its XML is nested more than {} "
                                        "levels deep; {}",
                                        kMaxDepth, kResave));
    }
    ~depth_guard() { --reader_.depth_; }
    depth_guard(const depth_guard&) = delete;
    depth_guard& operator=(const depth_guard&) = delete;

   private:
    body_reader& reader_;
  };

  // Of an mc:AlternateContent, the alternative to read: the first mc:Choice, whose text,
  // if any, is plain runs (the drawings in it are skipped anyway), else the mc:Fallback;
  // reading both would give their text twice.
  pugi::xml_node chosen(pugi::xml_node alternate) const {
    pugi::xml_node fallback;
    for (const pugi::xml_node node : alternate.children()) {
      if (has_name(node.name(), mc_, "Choice")) return node;
      if (has_name(node.name(), mc_, "Fallback") && !fallback) fallback = node;
    }
    return fallback;
  }

  // Calls `f` on each child element of `parent`, looking through the elements that only
  // wrap content (content controls, hyperlinks, tracked insertions and moves, simple
  // fields, ...). w:del and w:moveFrom are not looked into: tracked deletions are left out.
  template <typename F>
  void for_each_content(pugi::xml_node parent, F&& f) {
    const depth_guard guard(*this);
    for (const pugi::xml_node node : parent.children()) {
      if (node.type() != pugi::node_element) continue;
      if (is(node, "sdt")) {
        for_each_content(child(node, "sdtContent"), f);
      } else if (is(node, "hyperlink") || is(node, "smartTag") || is(node, "ins") ||
                 is(node, "moveTo") || is(node, "fldSimple") || is(node, "customXml") ||
                 is(node, "dir") || is(node, "bdo")) {
        for_each_content(node, f);
      } else if (has_name(node.name(), mc_, "AlternateContent")) {
        if (const auto alternative = chosen(node)) for_each_content(alternative, f);
      } else {
        f(node);
      }
    }
  }

  // Paragraphs and tables; `carried` holds the runs of a paragraph whose mark was deleted
  // with changes tracked, which accepting the deletion joins to the next paragraph.
  void read_blocks(pugi::xml_node parent, std::vector<std::string>& lines, paragraph& carried) {
    for_each_content(parent, [&](pugi::xml_node node) {
      if (is(node, "p")) {
        read_runs(node, carried);
        if (mark_deleted(node)) return;
        lines.push_back(paragraph_text(std::move(carried)));
        carried.clear();
      } else if (is(node, "tbl")) {
        flush(carried, lines);
        read_table(node, lines);
      }
    });
  }

  static void flush(paragraph& carried, std::vector<std::string>& lines) {
    const bool has_text = std::any_of(carried.begin(), carried.end(),
                                      [](const segment& s) { return !s.text.empty(); });
    if (has_text) lines.push_back(paragraph_text(std::move(carried)));
    carried.clear();
  }

  bool mark_deleted(pugi::xml_node p) const {
    const auto mark = child(child(p, "pPr"), "rPr");
    return child(mark, "del") || child(mark, "moveFrom");
  }

  void read_table(pugi::xml_node table, std::vector<std::string>& lines) {
    for_each_content(table, [&](pugi::xml_node row) {
      if (!is(row, "tr") || child(child(row, "trPr"), "del")) return;
      std::string text;
      bool first = true;
      for_each_content(row, [&](pugi::xml_node cell) {
        if (!is(cell, "tc")) return;
        if (!first) text += '\t';
        first = false;
        text += cell_text(cell);
      });
      lines.push_back(std::move(text));
    });
  }

  // A cell's paragraphs joined by a space, its line breaks and tabs made spaces too, so
  // that a row stays one line with a tab between cells. Empty paragraphs add nothing.
  std::string cell_text(pugi::xml_node cell) {
    std::vector<std::string> lines;
    paragraph carried;
    read_blocks(cell, lines, carried);
    flush(carried, lines);
    std::string text;
    for (auto& line : lines) {
      std::replace_if(
          line.begin(), line.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
      if (line.empty()) continue;
      if (!text.empty()) text += ' ';
      text += line;
    }
    return text;
  }

  void read_runs(pugi::xml_node p, paragraph& out) {
    for_each_content(p, [&](pugi::xml_node run) {
      if (!is(run, "r")) return;
      segment s;
      s.bold = bold(run);
      append_run_text(run, s.text);
      out.push_back(std::move(s));
    });
  }

  // Direct formatting only: bold that comes from a style is not seen.
  bool bold(pugi::xml_node run) const {
    const auto b = child(child(run, "rPr"), "b");
    if (!b) return false;
    const std::string_view value = b.attribute(val_.c_str()).value();
    return value != "0" && value != "false" && value != "off";
  }

  // What a run shows. Everything not named here is left out: deleted text (w:delText),
  // field codes (w:instrText), drawings and text boxes, note and comment references.
  void append_run_text(pugi::xml_node run, std::string& text) {
    const depth_guard guard(*this);
    for (const pugi::xml_node node : run.children()) {
      if (is(node, "t")) {
        append_t(node, text);
      } else if (is(node, "tab") || is(node, "ptab")) {
        text += '\t';
      } else if (is(node, "br")) {
        const std::string_view type = node.attribute(type_.c_str()).value();
        text += type == "page" || type == "column" ? kPageBreak : '\n';
      } else if (is(node, "cr")) {
        text += '\n';
      } else if (is(node, "noBreakHyphen")) {
        text += '-';
      } else if (is(node, "sym")) {
        append_symbol(node, text);
      } else if (has_name(node.name(), mc_, "AlternateContent")) {
        if (const auto alternative = chosen(node)) append_run_text(alternative, text);
      }
    }
  }

  // Without xml:space="preserve" Word drops the spaces at either end of a w:t, and so do we
  // (it matters for documents written by hand or pretty-printed).
  static void append_t(pugi::xml_node t, std::string& text) {
    const bool preserve = std::string_view(t.attribute("xml:space").value()) == "preserve";
    std::string value;
    for (const pugi::xml_node node : t.children())
      if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata)
        value += node.value();
    if (preserve) {
      text += value;
      return;
    }
    const auto first = value.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return;
    const auto last = value.find_last_not_of(" \t\r\n");
    text.append(value, first, last - first + 1);
  }

  // Symbol fonts (Symbol, Wingdings) give their glyphs codes U+F000-F0FF, private use, which
  // mean nothing outside the font; those are left out, any other character is kept.
  void append_symbol(pugi::xml_node sym, std::string& text) const {
    const std::string_view hex = sym.attribute(char_.c_str()).value();
    std::uint32_t code = 0;
    const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), code, 16);
    if (ec != std::errc() || end != hex.data() + hex.size()) return;
    if (code < 0x20 || (code >= 0xD800 && code < 0xE000) || code > 0x10FFFF ||
        (code >= 0xF000 && code <= 0xF0FF))
      return;
    append_utf8(text, static_cast<char32_t>(code));
  }

  std::string w_;
  std::string mc_;
  std::string val_;
  std::string char_;
  std::string type_;
  std::string_view file_;
  int depth_ = 0;
};

}  // namespace

loaded_text load_docx(std::string_view bytes, std::string_view file) {
  if (bytes.empty()) fail(file, empty_message());
  const zip_archive zip(bytes, file, docx_messages());

  std::string part = main_part_name(zip);
  auto xml_bytes = read_part(zip, part);
  if (!xml_bytes && part != kMainPart) {
    part = kMainPart;
    xml_bytes = read_part(zip, part);
  }
  if (!xml_bytes) fail(file, not_word_message(zip));

  // Without parse_doctype pugixml skips a DOCTYPE and never expands an entity it declares,
  // so neither external entities nor entity bombs are possible. Whitespace-only text is
  // kept where it is an element's only content: <w:t xml:space="preserve"> </w:t>.
  pugi::xml_document xml;
  const auto result = xml.load_buffer_inplace(xml_bytes->data(), xml_bytes->size(),
                                              pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!result) fail(file, malformed_message(part, result));

  const pugi::xml_node root = xml.document_element();
  body_reader reader(root, file);
  const pugi::xml_node body = reader.child(root, "body");
  if (!reader.is(root, "document") || !body)
    fail(file,
         fmt::format("{} holds no Word document body (w:document/w:body); {}", part, kResave));

  const auto lines = reader.lines(body);
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) text += '\n';
    text += lines[i];
  }
  if (!text.empty()) text += '\n';
  loaded_text loaded;
  loaded.text = normalize_text(text, file);
  return loaded;
}

}  // namespace coding::detail
