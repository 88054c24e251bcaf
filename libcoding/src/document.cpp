#include "coding/document.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fmt/format.h>
#include <set>
#include <yaml-cpp/yaml.h>

#include "coding/error.hpp"
#include "coding/text.hpp"

namespace coding {
namespace {

const std::vector<std::string> kFrontMatterKeys = {"id",         "title",    "case",
                                                   "attributes", "speakers", "cases"};

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

bool is_interviewer_role(std::string_view value) {
  return value == "interviewer" || value == "moderator";
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

// The label a line starts with when it looks like "Label: ...": short (at most four
// words and 40 bytes), starting with a letter, followed by a colon and a space or the end
// of the line. Empty when the line does not look like that.
std::string_view label_candidate(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 40) return {};
  if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\t') return {};
  const auto label = line.substr(0, colon);
  const auto first = static_cast<unsigned char>(label[0]);
  if (!(std::isalpha(first) || first >= 0x80)) return {};
  if (label.back() == ' ') return {};
  int words = 1;
  for (const char c : label) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ') ++words;
    else if (!(std::isalnum(u) || u >= 0x80 || c == '.' || c == '\'' || c == '-' || c == '_'))
      return {};
  }
  return words <= 4 ? label : std::string_view{};
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
        fm.yaml = YAML::Load(std::string(yaml));
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
  throw parse_error(at_line(file, 1), "front matter opened with '---' is never closed; add a "
                                      "line '---' after it");
}

location mark_of(const YAML::Node& node, std::string_view file) {
  const auto m = node.Mark();
  if (m.is_null()) return at_line(file, 1);
  return at_line(file, static_cast<std::size_t>(m.line) + 2, static_cast<std::size_t>(m.column) + 1);
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
    throw parse_error(where, fmt::format("{} '{}' must be non-empty, without spaces or commas", what, id));
}

void read_front_matter(const YAML::Node& yaml, std::string_view file, document& doc,
                       std::map<std::string, std::string>& speakers) {
  if (!yaml || yaml.IsNull()) return;
  if (!yaml.IsMap())
    throw parse_error(mark_of(yaml, file), "front matter must be a YAML mapping of keys");
  for (const auto& kv : yaml) {
    const auto key = kv.first.as<std::string>("");
    if (std::find(kFrontMatterKeys.begin(), kFrontMatterKeys.end(), key) == kFrontMatterKeys.end()) {
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

}  // namespace

bool is_interviewer_label(std::string_view label) {
  static const std::set<std::string, std::less<>> labels = {
      "I",   "IV",          "INT",         "Int",       "Interviewer", "INTERVIEWER",
      "Q",   "Moderator",   "MODERATOR",   "Mod",       "Facilitator", "FACILITATOR",
      "Researcher", "RESEARCHER"};
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

document parse_transcript(std::string_view bytes, std::string_view file,
                          const transcript_options& options) {
  document doc;
  doc.source_name = std::string(file);
  doc.source_hash = content_hash(bytes);
  doc.id = std::filesystem::path(std::string(file)).stem().string();

  const std::string text = normalize_text(bytes, file);
  const auto fm = split_front_matter(text, file);
  std::map<std::string, std::string> speakers;
  read_front_matter(fm.yaml, file, doc, speakers);
  check_id(doc.id, "document id", at_line(file, 1));
  if (doc.title.empty()) doc.title = doc.id;
  for (const auto& [label, who] : options.speakers) speakers[label] = who;

  doc.text = std::string(fm.body);
  const std::string_view body = doc.text;
  const auto lines = split_lines(body);

  // Which labels start turns: the declared ones, else those detected at least twice
  // (or once for a known interviewer label), so that a stray "Note: ..." is not a turn.
  std::set<std::string, std::less<>> labels;
  for (const auto& [label, who] : speakers) labels.insert(label);
  if (labels.empty()) {
    std::map<std::string, int, std::less<>> seen;
    for (const auto& l : lines) {
      const auto label = label_candidate(body.substr(l.begin, l.end - l.begin));
      if (!label.empty()) ++seen[std::string(label)];
    }
    for (const auto& [label, count] : seen)
      if (count >= 2 || is_interviewer_label(label)) labels.insert(label);
  }

  struct raw_turn {
    std::string speaker;
    std::size_t start, end;  // bytes
  };
  std::vector<raw_turn> raw;
  for (const auto& l : lines) {
    const auto line = body.substr(l.begin, l.end - l.begin);
    std::string_view label;
    for (const auto& candidate : labels) {
      if (line.size() > candidate.size() && line.substr(0, candidate.size()) == candidate &&
          line[candidate.size()] == ':' && candidate.size() > label.size())
        label = candidate;
    }
    if (!label.empty()) {
      std::size_t start = l.begin + label.size() + 1;
      while (start < l.end && (body[start] == ' ' || body[start] == '\t')) ++start;
      raw.push_back({std::string(label), start, start});
      if (start < l.end) raw.back().end = l.end;
    } else if (!raw.empty() && !is_blank(line)) {
      // A label alone on its line: the turn's text starts on the next non-blank line.
      if (raw.back().end == raw.back().start) raw.back().start = l.begin;
      raw.back().end = l.end;
    }
  }

  const text_index index(body);
  doc.length = index.size();
  for (const auto& r : raw) {
    turn t;
    t.speaker = r.speaker;
    t.start = index.code_point(r.start);
    t.end = index.code_point(r.end);
    if (const auto it = speakers.find(r.speaker); it != speakers.end()) {
      if (!is_interviewer_role(it->second)) t.case_id = it->second;
    } else if (doc.case_id && !is_interviewer_label(r.speaker)) {
      t.case_id = doc.case_id;
    }
    doc.turns.push_back(std::move(t));
  }

  std::set<std::string> listed;
  for (const auto& t : doc.turns) {
    if (!listed.insert(t.speaker).second) continue;
    doc.speakers.push_back({t.speaker, t.case_id});
  }
  for (const auto& [label, who] : speakers) {
    if (is_interviewer_role(who)) continue;
    doc.case_attributes[who];  // a declared participant is a case even if silent
  }
  return doc;
}

document load_transcript(const std::string& path, const transcript_options& options) {
  const auto ext = std::filesystem::path(path).extension().string();
  if (ext != ".txt" && ext != ".md")
    throw input_error(fmt::format(
        "cannot import '{}': unsupported file type '{}' (qcode imports .txt and .md)", path, ext));
  return parse_transcript(read_file(path), path, options);
}

}  // namespace coding
