#include "coding/document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "loaders.hpp"
#include "markdown_text.hpp"
#include "strings.hpp"
#include "yaml_guard.hpp"

namespace coding {
namespace {

const std::vector<std::string> kFrontMatterKeys = {"id",         "title",    "case",
                                                   "attributes", "speakers", "cases"};

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

struct line_view {
  std::size_t begin;  // byte offset of the first character
  std::size_t end;    // byte offset of the LF (or the end of the text)
};

std::vector<line_view> split_lines(std::string_view text) {
  std::vector<line_view> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const auto lf = text.find('\n', begin);
    if (lf == std::string_view::npos) {
      if (begin < text.size()) lines.push_back({begin, text.size()});
      break;
    }
    lines.push_back({begin, lf});
    begin = lf + 1;
  }
  return lines;
}

// A label is short (at most four words and 40 bytes), starts with a letter and holds
// only letters, digits, spaces and . ' - _ (so "10:30" or "See below, then:" are not).
bool label_like(std::string_view label) {
  if (label.empty() || label.size() > 40 || label.back() == ' ') return false;
  const auto first = static_cast<unsigned char>(label[0]);
  if (!(std::isalpha(first) || first >= 0x80)) return false;
  int words = 1;
  for (const char c : label) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ')
      ++words;
    else if (!(std::isalnum(u) || u >= 0x80 || c == '.' || c == '\'' || c == '-' || c == '_'))
      return false;
  }
  return words <= 4;
}

// "hh:mm:ss", "mm:ss", each optionally with ".fff" or ",fff", as seconds.
std::optional<double> parse_clock(std::string_view s) {
  std::vector<double> parts;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i || j - i > 2 + (parts.empty() ? 1 : 0)) return std::nullopt;
    double v = std::stod(std::string(s.substr(i, j - i)));
    if (j < s.size() && (s[j] == '.' || s[j] == ',') && (parts.size() >= 1)) {
      std::size_t k = j + 1;
      while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
      if (k == j + 1 || k != s.size()) return std::nullopt;
      // Nine digits are nanoseconds; more would only make stod throw out_of_range when
      // they underflow ("0.000...01").
      v += std::stod("0." + std::string(s.substr(j + 1, std::min<std::size_t>(k - j - 1, 9))));
      j = k;
    }
    parts.push_back(v);
    if (j == s.size()) break;
    if (s[j] != ':') return std::nullopt;
    i = j + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  for (std::size_t k = 1; k < parts.size(); ++k)
    if (parts[k] >= 60) return std::nullopt;
  double seconds = 0;
  for (const double p : parts) seconds = seconds * 60 + p;
  return seconds;
}

// A speaker label at the start of a line, in one of the forms transcribers use:
//   Name: text      NAME: text      [Name] text      [Name]: text
//   **Name:** text  **Name**: text  Name (00:01:02): text
struct label_match {
  std::string label;
  std::size_t content = 0;  // byte offset in the line where what was said starts
  std::optional<double> time;
};

std::optional<label_match> match_label(std::string_view line) {
  auto skip_spaces = [&](std::size_t at) {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
    return at;
  };
  auto ends_label = [&](std::size_t at) {  // a label ends at a space, tab or the line's end
    return at == line.size() || line[at] == ' ' || line[at] == '\t';
  };
  if (line.starts_with("[")) {
    const auto close = line.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto label = line.substr(1, close - 1);
    // "[chuckles] I", "[Laughter] So": a bracketed sound is what was heard, not who spoke.
    if (!label_like(label) || !detail::may_be_bracket_label(label)) return std::nullopt;
    std::size_t at = close + 1;
    if (at < line.size() && line[at] == ':') ++at;
    if (!ends_label(at)) return std::nullopt;
    return label_match{std::string(label), skip_spaces(at), std::nullopt};
  }
  if (line.starts_with("**")) {
    const auto close = line.find("**", 2);
    if (close == std::string_view::npos) return std::nullopt;
    auto label = line.substr(2, close - 2);
    std::size_t at = close + 2;
    if (label.ends_with(":"))
      label.remove_suffix(1);
    else if (at < line.size() && line[at] == ':')
      ++at;
    else
      return std::nullopt;
    if (!label_like(label) || !ends_label(at)) return std::nullopt;
    return label_match{std::string(label), skip_spaces(at), std::nullopt};
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  auto label = line.substr(0, colon);
  std::optional<double> time;
  // "Name (00:01:02): text": the colon we found is inside the time.
  if (const auto paren = line.find(" ("); paren != std::string_view::npos && paren < colon) {
    const auto close = line.find("):", paren);
    if (close == std::string_view::npos) return std::nullopt;
    time = parse_clock(line.substr(paren + 2, close - paren - 2));
    if (!time) return std::nullopt;
    label = line.substr(0, paren);
    if (!label_like(label) || !ends_label(close + 2)) return std::nullopt;
    return label_match{std::string(label), skip_spaces(close + 2), time};
  }
  if (!label_like(label) || !ends_label(colon + 1)) return std::nullopt;
  return label_match{std::string(label), skip_spaces(colon + 1), std::nullopt};
}

location at_line(std::string_view file, std::size_t line, std::size_t column = 0) {
  return location{std::string(file), line, column};
}

struct front_matter {
  YAML::Node yaml;
  std::string_view body;
  std::size_t body_line = 1;  // file line on which the body starts
};

front_matter split_front_matter(std::string_view text, std::string_view file) {
  front_matter fm;
  fm.body = text;
  if (text.substr(0, 4) != "---\n") return fm;
  std::size_t pos = 4;
  std::size_t line = 2;
  while (pos <= text.size()) {
    const auto lf = text.find('\n', pos);
    const auto current = text.substr(pos, lf == std::string_view::npos ? text.npos : lf - pos);
    if (current == "---" || current == "...") {
      const auto yaml = text.substr(4, pos - 4);
      try {
        fm.yaml = detail::load_yaml(yaml);
      } catch (const detail::yaml_limit_error& e) {
        throw parse_error(at_line(file, static_cast<std::size_t>(e.mark.line) + 2,
                                  static_cast<std::size_t>(e.mark.column) + 1),
                          fmt::format("front matter: {}", e.msg));
      } catch (const YAML::ParserException& e) {
        throw parse_error(at_line(file, static_cast<std::size_t>(e.mark.line) + 2,
                                  static_cast<std::size_t>(e.mark.column) + 1),
                          fmt::format("front matter is not valid YAML: {}", e.msg));
      }
      fm.body = lf == std::string_view::npos ? std::string_view{} : text.substr(lf + 1);
      fm.body_line = line + 1;
      return fm;
    }
    if (lf == std::string_view::npos) break;
    pos = lf + 1;
    ++line;
  }
  throw parse_error(at_line(file, 1),
                    "front matter opened with '---' is never closed; add a "
                    "line '---' after it");
}

location mark_of(const YAML::Node& node, std::string_view file) {
  const auto m = node.Mark();
  if (m.is_null()) return at_line(file, 1);
  return at_line(file, static_cast<std::size_t>(m.line) + 2,
                 static_cast<std::size_t>(m.column) + 1);
}

std::string fm_scalar(const YAML::Node& node, std::string_view key, std::string_view file) {
  if (!node.IsScalar())
    throw parse_error(mark_of(node, file), fmt::format("front matter '{}' must be text", key));
  return node.as<std::string>();
}

std::map<std::string, std::string> fm_map(const YAML::Node& node, std::string_view key,
                                          std::string_view file) {
  if (!node.IsMap())
    throw parse_error(mark_of(node, file),
                      fmt::format("front matter '{}' must be a mapping such as {{a: b}}", key));
  std::map<std::string, std::string> out;
  for (const auto& kv : node) {
    const auto name = fm_scalar(kv.first, key, file);
    out[name] = kv.second.IsNull() ? std::string() : fm_scalar(kv.second, name, file);
  }
  return out;
}

void check_id(std::string_view id, std::string_view what, const location& where) {
  if (id.empty() || std::any_of(id.begin(), id.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == ',';
      }))
    throw parse_error(where,
                      fmt::format("{} '{}' must be non-empty, without spaces or commas", what, id));
}

void read_front_matter(const YAML::Node& yaml, std::string_view file, document& doc,
                       std::map<std::string, std::string>& speakers) {
  if (!yaml || yaml.IsNull()) return;
  if (!yaml.IsMap())
    throw parse_error(mark_of(yaml, file), "front matter must be a YAML mapping of keys");
  for (const auto& kv : yaml) {
    const auto key = kv.first.as<std::string>("");
    if (std::find(kFrontMatterKeys.begin(), kFrontMatterKeys.end(), key) ==
        kFrontMatterKeys.end()) {
      std::string message = fmt::format("unknown front matter key '{}'", key);
      if (const auto m = closest_match(key, kFrontMatterKeys); !m.empty())
        message += fmt::format("; did you mean '{}'?", m);
      else
        message += fmt::format(" (allowed: {})", fmt::join(kFrontMatterKeys, ", "));
      throw parse_error(mark_of(kv.first, file), message);
    }
  }
  if (const auto n = yaml["id"]) {
    doc.id = fm_scalar(n, "id", file);
    check_id(doc.id, "document id", mark_of(n, file));
  }
  if (const auto n = yaml["title"]) doc.title = fm_scalar(n, "title", file);
  if (const auto n = yaml["case"]) {
    doc.case_id = fm_scalar(n, "case", file);
    check_id(*doc.case_id, "case id", mark_of(n, file));
    doc.case_attributes[*doc.case_id];
  }
  if (const auto n = yaml["attributes"]) {
    if (!doc.case_id)
      throw parse_error(mark_of(n, file),
                        "'attributes' describe the case of a one-to-one interview; add 'case' or "
                        "declare each participant under 'cases'");
    doc.case_attributes[*doc.case_id] = fm_map(n, "attributes", file);
  }
  if (const auto n = yaml["speakers"]) speakers = fm_map(n, "speakers", file);
  if (const auto n = yaml["cases"]) {
    if (!n.IsMap())
      throw parse_error(mark_of(n, file), "front matter 'cases' must map case ids to attributes");
    for (const auto& kv : n) {
      const auto id = fm_scalar(kv.first, "cases", file);
      check_id(id, "case id", mark_of(kv.first, file));
      doc.case_attributes[id] =
          kv.second.IsNull() ? std::map<std::string, std::string>{} : fm_map(kv.second, id, file);
    }
  }
}

// Labels that name the respondent of an interview: counted even when used once.
bool is_respondent_label(std::string_view label) {
  return label == "R" || label == "Resp" || label == "RESP" || label == "Respondent" ||
         label == "RESPONDENT";
}

}  // namespace

bool is_interviewer_role(std::string_view value) {
  const std::string lower = detail::ascii_lower(value);
  return lower == "interviewer" || lower == "moderator";
}

bool is_interviewer_label(std::string_view label) {
  static const std::set<std::string, std::less<>> labels = {
      "I",         "IV",        "INT", "Int",         "Interviewer", "INTERVIEWER", "Q",
      "Moderator", "MODERATOR", "Mod", "Facilitator", "FACILITATOR", "Researcher",  "RESEARCHER"};
  return labels.count(label) > 0;
}

std::string content_hash(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char b : bytes) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

namespace {

// Otter's text export: "Name  0:21" on a line of its own (the name, two or more spaces
// or a tab, then m:ss or h:mm:ss); what was said follows on the next lines.
std::optional<label_match> match_otter_label(std::string_view line) {
  const auto size = line.size();
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  const auto gap = std::min(line.find("  "), line.find('\t'));
  if (gap == std::string_view::npos || gap == 0) return std::nullopt;
  const auto name = line.substr(0, gap);
  auto clock = line.substr(gap);
  while (!clock.empty() && (clock.front() == ' ' || clock.front() == '\t')) clock.remove_prefix(1);
  const auto time = parse_clock(clock);
  if (!time || !label_like(name)) return std::nullopt;
  return label_match{std::string(name), size, time};
}

// "Name" alone on a line, then what was said on the next (Otter without times, or a
// Markdown "**Name**" paragraph): a name-like line that starts with a capital (or a
// non-ASCII letter) and does not end with a full stop, so that "Yes." or "ok" is not one.
// find_turns checks the lines around it.
std::optional<label_match> match_alone_label(std::string_view line) {
  const auto size = line.size();
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (!label_like(line) || line.back() == '.') return std::nullopt;
  const auto first = static_cast<unsigned char>(line[0]);
  if (first < 0x80 && !std::isupper(first)) return std::nullopt;
  return label_match{std::string(line), size, std::nullopt};
}

// "Name: [04:21] text": a time in brackets right after the label, as The Changelog's
// transcripts write it every few minutes, is the turn's time and not what was said.
void take_leading_time(std::string_view line, label_match& m) {
  if (m.time || m.content >= line.size() || line[m.content] != '[') return;
  const auto close = line.find(']', m.content);
  if (close == std::string_view::npos) return;
  const auto time = parse_clock(line.substr(m.content + 1, close - m.content - 1));
  std::size_t at = close + 1;
  if (!time || (at < line.size() && line[at] != ' ' && line[at] != '\t')) return;
  while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
  m.time = time;
  m.content = at;
}

// How a line's label is written; the forms differ in when a label counts.
enum class label_form { inline_label, otter, alone };

// Turns found from labels at line starts. Labels declared in the front matter
// (`declared`) are the only ones; with none declared, a label counts when `extra`
// (--speakers) names it, when it starts at least two lines, or once for a known
// interviewer label, so that a heading such as "Note: ..." is not a speaker. Otter lines
// ("Name  0:21") count even once in a text that has at least two of them: the time makes
// the form specific enough. A detected label none of whose turns says anything (The
// Changelog's "Break: [19:19]") is a marker, not a speaker.
std::vector<detail::loaded_turn> find_turns(std::string_view body,
                                            const std::set<std::string, std::less<>>& declared,
                                            const std::set<std::string, std::less<>>& extra = {}) {
  const auto lines = split_lines(body);
  auto line_at = [&](std::size_t i) {
    return body.substr(lines[i].begin, lines[i].end - lines[i].begin);
  };
  std::vector<std::optional<label_match>> matches(lines.size());
  std::vector<label_form> forms(lines.size(), label_form::inline_label);
  std::size_t otter_lines = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = line_at(i);
    matches[i] = match_label(line);
    // A declared label may be longer or odder than label_like allows: match it literally.
    for (const auto& d : declared.empty() ? extra : declared) {
      if (line.size() > d.size() && line.starts_with(d) && line[d.size()] == ':' &&
          (!matches[i] || matches[i]->label.size() < d.size())) {
        std::size_t at = d.size() + 1;
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
        matches[i] = label_match{d, at, std::nullopt};
      }
    }
    if (!matches[i] && (matches[i] = match_otter_label(line))) {
      forms[i] = label_form::otter;
      ++otter_lines;
    }
    if (matches[i]) take_leading_time(line, *matches[i]);
  }
  // A label alone on its line stands after a blank line (or first) and before a line of
  // plain text: a one-line paragraph between paragraphs is a heading or a sentence.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (matches[i] || (i > 0 && !is_blank(line_at(i - 1))) || i + 1 == lines.size() ||
        is_blank(line_at(i + 1)) || matches[i + 1])
      continue;
    if ((matches[i] = match_alone_label(line_at(i)))) forms[i] = label_form::alone;
  }
  std::map<std::string, int, std::less<>> seen;
  for (const auto& m : matches)
    if (m) ++seen[m->label];
  auto known = [&](const std::string& label) {
    return extra.count(label) > 0 || is_interviewer_label(label) || is_respondent_label(label);
  };
  std::set<std::string, std::less<>> markers;  // detected labels that never say anything
  auto counts = [&](std::size_t i) {
    const auto& label = matches[i]->label;
    if (!declared.empty()) return declared.count(label) > 0;
    if (markers.count(label) > 0) return false;
    if (forms[i] == label_form::otter && otter_lines >= 2) return true;
    return known(label) || seen[label] >= 2;
  };

  struct raw_turn {
    std::string speaker;
    std::size_t start, end;  // bytes
    std::optional<double> time;
  };
  auto turns_by_labels = [&] {
    std::vector<raw_turn> raw;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto& l = lines[i];
      if (matches[i] && counts(i)) {
        const std::size_t start = l.begin + matches[i]->content;
        raw.push_back({matches[i]->label, start, start, matches[i]->time});
        if (start < l.end) raw.back().end = l.end;
      } else if (!raw.empty() && !is_blank(line_at(i))) {
        // A label alone on its line: the turn's text starts on the next non-blank line.
        if (raw.back().end == raw.back().start) raw.back().start = l.begin;
        raw.back().end = l.end;
      }
    }
    return raw;
  };
  auto raw = turns_by_labels();
  if (declared.empty()) {
    std::map<std::string, bool, std::less<>> says_something;
    for (const auto& r : raw) says_something[r.speaker] |= r.end > r.start;
    for (const auto& [label, says] : says_something)
      if (!says && !known(label)) markers.insert(label);
    if (!markers.empty()) raw = turns_by_labels();
  }
  const text_index index(body);
  std::vector<detail::loaded_turn> turns;
  turns.reserve(raw.size());
  for (const auto& r : raw)
    turns.push_back({r.speaker, index.code_point(r.start), index.code_point(r.end), r.time});
  return turns;
}

// Removes qcoder's inline markup, (QCODE)passage(/QCODE){#code1, #code2}, returning the
// plain text and, per code, the passage's byte range in it.
struct inline_span {
  std::size_t start, end;  // bytes into the plain text
  std::string code;
  location where;
};

// With `mark`, a mark character stands where each (QCODE) and (/QCODE){...} was, and the
// spans' offsets are those of the marks: a Markdown body is stripped before cmark reads
// it (so that the markup's line and column are the file's) and the marks, which cmark
// keeps as text, show where the passages are in the text a reader sees.
constexpr std::string_view kOpenMark = "\xEF\xB7\x90";   // U+FDD0, a noncharacter
constexpr std::string_view kCloseMark = "\xEF\xB7\x91";  // U+FDD1

std::string strip_inline_codes(std::string_view body, std::string_view file, std::size_t first_line,
                               std::vector<inline_span>& spans, bool mark = false) {
  static constexpr std::string_view open = "(QCODE)";
  static constexpr std::string_view close = "(/QCODE)";
  if (body.find(open) == std::string_view::npos && body.find(close) == std::string_view::npos)
    return std::string(body);
  std::string out;
  out.reserve(body.size());
  struct opened {
    std::size_t at;  // byte in `out`
    location where;
  };
  std::vector<opened> stack;
  std::size_t line = first_line, line_start = 0;
  auto where_at = [&](std::size_t i) {
    return location{std::string(file), line,
                    count_code_points(body.substr(line_start, i - line_start)) + 1};
  };
  std::size_t i = 0;
  while (i < body.size()) {
    if (body.substr(i, open.size()) == open) {
      stack.push_back({out.size(), where_at(i)});
      if (mark) out += kOpenMark;
      i += open.size();
    } else if (body.substr(i, close.size()) == close) {
      if (stack.empty())
        throw parse_error(where_at(i),
                          "(/QCODE) without an opening (QCODE); remove it or open the passage");
      const auto codes_at = i + close.size();
      if (codes_at >= body.size() || body[codes_at] != '{')
        throw parse_error(where_at(i),
                          "(/QCODE) must be followed by the codes, e.g. {#choice.informed}");
      const auto end_braces = body.find('}', codes_at);
      const auto newline = body.find('\n', codes_at);
      if (end_braces == std::string_view::npos ||
          (newline != std::string_view::npos && newline < end_braces))
        throw parse_error(where_at(codes_at),
                          "the code list '{' is not closed with '}' on its line");
      const auto list = body.substr(codes_at + 1, end_braces - codes_at - 1);
      std::size_t k = 0;
      bool any = false;
      while (k <= list.size()) {
        auto comma = list.find(',', k);
        if (comma == std::string_view::npos) comma = list.size();
        auto item = list.substr(k, comma - k);
        const std::size_t item_at = codes_at + 1 + k;
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.size() < 2 || item[0] != '#')
          throw parse_error(where_at(item_at),
                            fmt::format("bad code '{}' in an inline code list: write codes as #id, "
                                        "separated by commas",
                                        item));
        spans.push_back(
            {stack.back().at, out.size(), std::string(item.substr(1)), where_at(item_at)});
        any = true;
        k = comma + 1;
      }
      if (!any) throw parse_error(where_at(codes_at), "empty inline code list");
      if (mark) out += kCloseMark;
      stack.pop_back();
      i = end_braces + 1;
    } else {
      if (body[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
      out += body[i++];
    }
  }
  if (!stack.empty())
    throw parse_error(stack.back().where, "(QCODE) is never closed with (/QCODE){#code}");
  return out;
}

// A Markdown body as a reader sees it (markdown_text), with its inline codings: the
// markup is taken out first, leaving marks that cmark carries into the text.
std::string markdown_body(std::string_view body, std::string_view file, std::size_t first_line,
                          std::vector<inline_coding>& codings) {
  std::vector<inline_span> spans;
  const auto marked = strip_inline_codes(body, file, first_line, spans, true);
  if (spans.empty()) return normalize_text(detail::markdown_text(marked), file);
  for (const auto m : {kOpenMark, kCloseMark})
    if (const auto at = body.find(m); at != std::string_view::npos) {
      const auto before = body.substr(0, at);
      const auto line_start = before.rfind('\n') + 1;  // npos + 1 == 0
      throw parse_error(
          location{
              std::string(file),
              first_line + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')),
              count_code_points(before.substr(line_start)) + 1},
          "the noncharacter U+FDD0 or U+FDD1 cannot be in a Markdown transcript with inline "
          "codings; remove it");
    }
  // The marks' byte offsets in `marked`, in order; the k-th mark in the shown text is the
  // k-th here, unless Markdown hid it.
  std::vector<std::size_t> marks;
  for (std::size_t at = 0; (at = marked.find("\xEF\xB7", at)) != std::string::npos; at += 3)
    if (marked.compare(at, 3, kOpenMark) == 0 || marked.compare(at, 3, kCloseMark) == 0)
      marks.push_back(at);
  const auto shown = normalize_text(detail::markdown_text(marked), file);
  std::string text;
  text.reserve(shown.size());
  std::vector<std::size_t> positions;  // code points into `text`, one per mark
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < shown.size();) {
    const auto rest = std::string_view(shown).substr(i);
    if (rest.starts_with(kOpenMark) || rest.starts_with(kCloseMark)) {
      positions.push_back(code_points);
      i += 3;
      continue;
    }
    if ((static_cast<unsigned char>(shown[i]) & 0xC0) != 0x80) ++code_points;
    text += shown[i++];
  }
  if (positions.size() != marks.size())
    throw parse_error(spans.front().where,
                      "inline coding markup where Markdown shows no text (in a link's address, "
                      "an HTML comment or a link reference definition); move it to the text");
  auto position_of = [&](std::size_t byte) {
    return positions[static_cast<std::size_t>(std::lower_bound(marks.begin(), marks.end(), byte) -
                                              marks.begin())];
  };
  for (auto& x : spans)
    codings.push_back(
        {position_of(x.start), position_of(x.end), std::move(x.code), std::move(x.where)});
  return text;
}

// Codings in a transcript without turns would count for nobody: say so, and how to fix it.
std::string no_turns_warning(std::string_view file, bool has_front_matter) {
  return fmt::format(
      "{}: 0 turns: no speaker label was recognised; qcode reads 'Name: text', '**Name:** text', "
      "'[Name] text', 'Name (00:01:02): text' and Otter's 'Name  0:21' lines "
      "(docs/transcript-format.md){}",
      file,
      has_front_matter ? ", or declare the case with 'case:' in the front matter"
                       : ", or name the speakers with --speakers");
}

// Fills the document's turns, speakers and cases from the turns a loader found, mapping
// labels to cases through `speakers` (label -> case id, or interviewer/moderator).
// `given` are the labels mapped on the command line (--speakers): one that no turn has is
// a typo or the wrong file, and is reported instead of creating its case.
void attribute_found_turns(document& doc, const std::vector<detail::loaded_turn>& found,
                           const std::map<std::string, std::string>& speakers,
                           const std::map<std::string, std::string>& given) {
  for (const auto& r : found)
    doc.turns.push_back({r.speaker, std::nullopt, r.start, r.end, r.time});
  std::set<std::string> listed;
  for (const auto& t : doc.turns) {
    if (!listed.insert(t.speaker).second) continue;
    speaker_role role;
    role.label = t.speaker;
    if (const auto it = speakers.find(t.speaker); it != speakers.end()) {
      role.declared = true;
      role.interviewer = is_interviewer_role(it->second);
      if (!role.interviewer) role.case_id = it->second;
    } else {
      role.interviewer = is_interviewer_label(t.speaker);
    }
    doc.speakers.push_back(std::move(role));
  }
  std::vector<std::string> missing;
  for (const auto& [label, who] : speakers) {
    if (given.count(label) && !listed.count(label)) {
      missing.push_back(label);
      continue;
    }
    if (!is_interviewer_role(who)) doc.case_attributes[who];  // a declared participant is a case
  }
  if (!missing.empty())
    doc.warnings.push_back(fmt::format(
        "{}: --speakers names {} '{}', which no turn has (its speakers: {}); nothing was mapped "
        "for {}",
        doc.source_name, missing.size() == 1 ? "label" : "labels", fmt::join(missing, "', '"),
        listed.empty() ? "none" : fmt::format("{}", fmt::join(listed, ", ")),
        missing.size() == 1 ? "it" : "them"));
  doc.length = count_code_points(doc.text);
  attribute_turns(doc);
}

std::set<std::string, std::less<>> labels_of(const std::map<std::string, std::string>& speakers) {
  std::set<std::string, std::less<>> out;
  for (const auto& [label, who] : speakers) out.insert(label);
  return out;
}

// Labels recognised even when used once: those mapped on the command line and those the
// project already knows for the document.
std::set<std::string, std::less<>> extra_labels(const transcript_options& options) {
  auto out = labels_of(options.speakers);
  out.insert(options.known_labels.begin(), options.known_labels.end());
  return out;
}

document new_document(std::string_view bytes, std::string_view file) {
  if (bytes.empty())
    throw input_error(fmt::format("'{}' is empty; there is no transcript to import", file));
  document doc;
  doc.source_name = std::string(file);
  doc.source_hash = content_hash(bytes);
  doc.id = std::filesystem::path(std::string(file)).stem().string();
  return doc;
}

}  // namespace

document parse_transcript(std::string_view bytes, std::string_view file,
                          const transcript_options& options) {
  document doc = new_document(bytes, file);
  auto decoded = decode_text(bytes, file, options.encoding);
  doc.encoding = decoded.encoding;
  const std::string text = normalize_text(decoded.text, file);
  const auto fm = split_front_matter(text, file);
  std::map<std::string, std::string> speakers;
  read_front_matter(fm.yaml, file, doc, speakers);
  check_id(doc.id, "document id", at_line(file, 1));
  if (doc.title.empty()) doc.title = doc.id;
  const auto declared = labels_of(speakers);
  for (const auto& [label, who] : options.speakers) speakers[label] = who;

  std::vector<inline_span> spans;
  // .md is Markdown (the text a reader sees); .txt, and any other name, is kept as it is.
  const bool markdown = std::filesystem::path(std::string(file)).extension() == ".md";
  doc.text = markdown ? markdown_body(fm.body, file, fm.body_line, doc.inline_codings)
                      : strip_inline_codes(fm.body, file, fm.body_line, spans);
  if (is_blank(doc.text) || std::all_of(doc.text.begin(), doc.text.end(),
                                        [](char c) { return c == ' ' || c == '\t' || c == '\n'; }))
    throw input_error(fmt::format("'{}' has no text{}; there is nothing to import", file,
                                  fm.body_line > 1 ? " after its front matter" : ""));
  if (!spans.empty()) {
    const text_index index(doc.text);
    for (auto& x : spans)
      doc.inline_codings.push_back({index.code_point(x.start), index.code_point(x.end),
                                    std::move(x.code), std::move(x.where)});
  }
  if (!options.case_id.empty()) doc.case_id = options.case_id;
  attribute_found_turns(doc, find_turns(doc.text, declared, extra_labels(options)), speakers,
                        options.speakers);
  if (doc.turns.empty() && !doc.case_id) doc.warnings.push_back(no_turns_warning(file, true));
  return doc;
}

namespace {

// A transcript read by a loader that finds the text (and maybe the turns) itself: what
// every such format shares once its loader has run.
// `doc` is new_document's, made before the loader ran (an empty file is refused first).
document from_loaded(document doc, const std::string& path, const transcript_options& options,
                     detail::loaded_text loaded, std::string encoding, bool warn_without_turns) {
  doc.title = doc.id;
  doc.encoding = std::move(encoding);
  doc.text = std::move(loaded.text);
  doc.warnings = std::move(loaded.warnings);
  if (std::all_of(doc.text.begin(), doc.text.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\n'; }))
    throw input_error(fmt::format("'{}' has no text; there is nothing to import", path));
  const auto& speakers = options.speakers;
  if (!options.case_id.empty()) doc.case_id = options.case_id;
  attribute_found_turns(
      doc, loaded.has_turns ? loaded.turns : find_turns(doc.text, {}, extra_labels(options)),
      speakers, speakers);
  if (warn_without_turns && doc.turns.empty() && !doc.case_id)
    doc.warnings.push_back(no_turns_warning(path, false));
  return doc;
}

document load_text_file(const std::string& bytes, const std::string& path,
                        const transcript_options& options) {
  return parse_transcript(bytes, path, options);
}

document load_word_file(const std::string& bytes, const std::string& path,
                        const transcript_options& options) {
  auto doc = new_document(bytes, path);
  return from_loaded(std::move(doc), path, options, detail::load_docx(bytes, path), "Word .docx",
                     true);
}

document load_webvtt_file(const std::string& bytes, const std::string& path,
                          const transcript_options& options) {
  auto doc = new_document(bytes, path);
  auto decoded = decode_text(bytes, path, options.encoding);
  return from_loaded(std::move(doc), path, options, detail::load_webvtt(decoded.text, path),
                     decoded.encoding, false);
}

document load_srt_file(const std::string& bytes, const std::string& path,
                       const transcript_options& options) {
  auto doc = new_document(bytes, path);
  auto decoded = decode_text(bytes, path, options.encoding);
  return from_loaded(std::move(doc), path, options, detail::load_srt(decoded.text, path),
                     decoded.encoding, false);
}

// The one table of input formats: load_transcript, transcript_extensions() (and so the
// CLI's help and messages) read it. A new format is a loader and a row here.
struct transcript_format {
  std::string_view extension;  // lower case, with the dot
  document (*load)(const std::string& bytes, const std::string& path,
                   const transcript_options& options);
};

constexpr transcript_format kFormats[] = {
    {".txt", load_text_file},   {".md", load_text_file}, {".docx", load_word_file},
    {".vtt", load_webvtt_file}, {".srt", load_srt_file},
};

}  // namespace

document load_transcript(const std::string& path, const transcript_options& options) {
  const auto ext = detail::ascii_lower(std::filesystem::path(path).extension().string());
  const auto format = std::find_if(std::begin(kFormats), std::end(kFormats),
                                   [&](const transcript_format& f) { return f.extension == ext; });
  if (format == std::end(kFormats))
    throw input_error(
        fmt::format("cannot import '{}': unsupported file type '{}' (qcode imports {})", path, ext,
                    fmt::join(transcript_extensions(), ", ")));
  return format->load(read_file(path), path, options);
}

void attribute_turns(document& doc) {
  std::map<std::string_view, const speaker_role*> role_of;
  for (auto& r : doc.speakers) {
    if (!r.declared) r.case_id = !r.interviewer && !r.label.empty() ? doc.case_id : std::nullopt;
    if (r.interviewer) r.case_id.reset();
    role_of[r.label] = &r;
  }
  for (auto& t : doc.turns) {
    const auto it = role_of.find(t.speaker);
    t.case_id = it == role_of.end() ? std::nullopt : it->second->case_id;
  }
}

const std::vector<std::string>& transcript_extensions() {
  static const std::vector<std::string> extensions = [] {
    std::vector<std::string> out;
    for (const auto& f : kFormats) out.emplace_back(f.extension);
    return out;
  }();
  return extensions;
}

}  // namespace coding
