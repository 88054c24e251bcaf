#include "coding/codings.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <tuple>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "csv.hpp"
#include "yaml_guard.hpp"

namespace coding {
namespace {

const std::vector<std::string> kRequired = {"doc", "start", "end", "code", "coder"};
const std::vector<std::string> kOptional = {"memo", "text", "created", "review"};
// What `codings export` adds (who a coding speaks for): read back and ignored, since the
// project works it out from its own turns and mappings.
const std::vector<std::string> kIgnoredCsv = {"case", "group", "speaker"};
const std::vector<std::string> kIgnoredJson = {"cases", "groups", "speakers"};

bool parse_size(std::string_view s, std::size_t& out) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Splits "A<sep>B" (or "A" when `single` is allowed) into two whole numbers.
std::pair<std::size_t, std::size_t> parse_range(std::string_view range, char sep, bool single,
                                                std::string_view option, std::string_view form) {
  const auto at = range.find(sep);
  std::size_t a = 0, b = 0;
  const bool ok = at == std::string_view::npos
                      ? single && parse_size(range, a) && (b = a, true)
                      : parse_size(range.substr(0, at), a) && parse_size(range.substr(at + 1), b);
  if (!ok) throw input_error(fmt::format("malformed {} '{}': expected {}", option, range, form));
  return {a, b};
}

}  // namespace

std::string coding_origin::where(std::size_t column) const {
  if (file.empty()) return {};
  if (column == 0) return fmt::format("in {}:{}", file, line);
  return fmt::format("in {}:{}, column {}", file, line, column);
}

span select_chars(const document& doc, std::string_view range) {
  const auto [a, b] = parse_range(range, ':', false, "--chars", "START:END, e.g. 120:245");
  if (a >= b)
    throw input_error(fmt::format(
        "empty or reversed range --chars {}: the end must be greater than the start", range));
  if (b > doc.length)
    throw input_error(
        fmt::format("--chars {} runs past the end of document '{}', which has {} characters", range,
                    doc.id, doc.length));
  return {a, b};
}

span select_lines(const document& doc, std::string_view range) {
  const auto [a, b] = parse_range(range, '-', true, "--lines", "FIRST-LAST or LINE, e.g. 12-18");
  const text_index index(doc.text);
  if (a == 0 || a > b)
    throw input_error(
        fmt::format("bad range --lines {}: lines are numbered from 1 and the last "
                    "must not come before the first",
                    range));
  if (b > index.line_count())
    throw input_error(
        fmt::format("--lines {} runs past the end of document '{}', which has {} lines", range,
                    doc.id, index.line_count()));
  const span s{index.line_start(a), index.line_end(b)};
  if (s.start >= s.end)
    throw input_error(fmt::format("--lines {} of document '{}' holds no text", range, doc.id));
  return s;
}

span select_turns(const document& doc, std::string_view range) {
  const auto [a, b] = parse_range(range, '-', true, "--turns", "FIRST-LAST or TURN, e.g. 3-5");
  if (a == 0 || a > b)
    throw input_error(
        fmt::format("bad range --turns {}: turns are numbered from 1 and the last "
                    "must not come before the first",
                    range));
  if (b > doc.turns.size())
    throw input_error(
        fmt::format("--turns {} runs past the end of document '{}', which has {} turns", range,
                    doc.id, doc.turns.size()));
  const span s{doc.turns[a - 1].start, doc.turns[b - 1].end};
  if (s.start >= s.end)
    throw input_error(fmt::format("--turns {} of document '{}' holds no text", range, doc.id));
  return s;
}

std::vector<span> intersect_passages(const std::vector<span>& a, std::vector<span> b) {
  // With b sorted by start and the running maximum of its ends, the passages of b that can
  // overlap one of a are a contiguous run, found by two binary searches, even when b's
  // passages overlap each other (hits widened to their paragraphs).
  std::sort(b.begin(), b.end(), [](const span& x, const span& y) {
    return std::tie(x.start, x.end) < std::tie(y.start, y.end);
  });
  std::vector<std::size_t> max_end(b.size());
  for (std::size_t i = 0; i < b.size(); ++i)
    max_end[i] = std::max(b[i].end, i ? max_end[i - 1] : 0);
  std::vector<span> out;
  for (const auto& x : a) {
    const auto from =
        static_cast<std::size_t>(std::partition_point(max_end.begin(), max_end.end(),
                                                      [&](std::size_t e) { return e <= x.start; }) -
                                 max_end.begin());
    for (std::size_t i = from; i < b.size() && b[i].start < x.end; ++i) {
      const span piece{std::max(x.start, b[i].start), std::min(x.end, b[i].end)};
      if (piece.start < piece.end) out.push_back(piece);
    }
  }
  std::sort(out.begin(), out.end(), [](const span& x, const span& y) {
    return std::tie(x.start, x.end) < std::tie(y.start, y.end);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string reference(const document& doc, span passage) {
  return reference(doc, passage, text_index(doc.text));
}

std::string reference(const document& doc, span passage, const text_index& index) {
  const auto first = index.line_of(passage.start);
  const auto last = index.line_of(passage.end > passage.start ? passage.end - 1 : passage.start);
  const auto lines =
      first == last ? fmt::format("l.{}", first) : fmt::format("l.{}-{}", first, last);
  // The first turn the passage overlaps decides. Its time alone would name every passage of
  // a long turn alike, so the lines always follow: a reference names one passage, and does
  // not change when another passage of the turn is coded.
  for (const auto& t : doc.turns) {
    if (t.end <= passage.start || t.start >= passage.end) continue;
    if (!t.time) break;
    const auto total = static_cast<long>(*t.time);
    if (total >= 3600)
      return fmt::format("{} {}:{:02}:{:02} {}", doc.id, total / 3600, total / 60 % 60, total % 60,
                         lines);
    return fmt::format("{} {}:{:02} {}", doc.id, total / 60, total % 60, lines);
  }
  return fmt::format("{} {}", doc.id, lines);
}

std::vector<new_coding> parse_codings_csv(std::string_view text, std::string_view file) {
  const auto records = detail::parse_csv(text, file);
  if (records.empty())
    throw parse_error(location{std::string(file), 1, 0},
                      "empty codings file: expected a header row 'doc,start,end,code,coder'");
  auto optional = kOptional;
  optional.insert(optional.end(), kIgnoredCsv.begin(), kIgnoredCsv.end());
  const auto at = detail::map_columns(records.front(), file, kRequired, optional);
  const auto width = records.front().fields.size();
  std::vector<new_coding> out;
  out.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != width)
      throw parse_error(
          location{std::string(file), rec.line, 0},
          fmt::format("row has {} fields but the header has {}", rec.fields.size(), width));
    auto field = [&](std::size_t k) -> const std::string* {
      return at[k] < 0 ? nullptr : &rec.fields[static_cast<std::size_t>(at[k])];
    };
    auto column = [&](std::size_t k) {
      return at[k] < 0 ? 0 : static_cast<std::size_t>(at[k]) + 1;
    };
    new_coding c;
    c.origin = {std::string(file), rec.line, column(0), column(1), column(2), column(3), column(6)};
    c.doc = *field(0);
    for (const std::size_t k : {1, 2}) {
      std::size_t value = 0;
      if (!parse_size(*field(k), value))
        throw parse_error(
            location{std::string(file), rec.line, column(k)},
            fmt::format("'{}' is not a whole number for '{}'", *field(k), kRequired[k]));
      (k == 1 ? c.start : c.end) = value;
    }
    c.code = *field(3);
    c.coder = *field(4);
    if (c.coder.empty())
      throw parse_error(location{std::string(file), rec.line, column(4)}, "empty coder");
    if (const auto* memo = field(5)) c.memo = *memo;
    if (const auto* t = field(6); t && !t->empty()) c.text = normalize_text(*t, file);
    if (const auto* created = field(7)) c.created = *created;
    if (const auto* review = field(8)) c.review = *review;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<new_coding> parse_codings_json(std::string_view text, std::string_view file) {
  auto where = [&](const YAML::Node& n) {
    const auto m = n.Mark();
    return m.is_null() ? location{std::string(file), 0, 0}
                       : location{std::string(file), static_cast<std::size_t>(m.line) + 1,
                                  static_cast<std::size_t>(m.column) + 1};
  };
  YAML::Node root;
  try {
    root = detail::load_yaml(text);
  } catch (const detail::yaml_limit_error& e) {
    throw parse_error(location{std::string(file), static_cast<std::size_t>(e.mark.line) + 1,
                               static_cast<std::size_t>(e.mark.column) + 1},
                      e.msg);
  } catch (const YAML::ParserException& e) {
    throw parse_error(location{std::string(file), static_cast<std::size_t>(e.mark.line) + 1,
                               static_cast<std::size_t>(e.mark.column) + 1},
                      fmt::format("invalid JSON: {}", e.msg));
  }
  if (!root.IsSequence()) throw parse_error(where(root), "expected a JSON array of codings");
  std::vector<new_coding> out;
  for (const auto& item : root) {
    if (!item.IsMap()) throw parse_error(where(item), "expected an object for each coding");
    for (const auto& kv : item) {
      const auto key = kv.first.as<std::string>("");
      if (std::find(kRequired.begin(), kRequired.end(), key) == kRequired.end() &&
          std::find(kOptional.begin(), kOptional.end(), key) == kOptional.end() &&
          std::find(kIgnoredJson.begin(), kIgnoredJson.end(), key) == kIgnoredJson.end()) {
        std::vector<std::string> known = kRequired;
        known.insert(known.end(), kOptional.begin(), kOptional.end());
        known.insert(known.end(), kIgnoredJson.begin(), kIgnoredJson.end());
        throw parse_error(where(kv.first), unknown_message("key", key, "", known));
      }
    }
    auto get = [&](const char* key, bool required) -> std::optional<std::string> {
      const auto n = item[key];
      if (!n || n.IsNull()) {
        if (required) throw parse_error(where(item), fmt::format("coding has no '{}'", key));
        return std::nullopt;
      }
      if (!n.IsScalar()) throw parse_error(where(n), fmt::format("'{}' must be a value", key));
      return n.as<std::string>();
    };
    new_coding c;
    const auto line = where(item).line;
    c.origin = {std::string(file), line, 0, 0, 0, 0, 0};
    c.doc = *get("doc", true);
    for (const char* key : {"start", "end"}) {
      std::size_t value = 0;
      if (!parse_size(*get(key, true), value))
        throw parse_error(where(item[key]), fmt::format("'{}' must be a whole number", key));
      (std::string_view(key) == "start" ? c.start : c.end) = value;
    }
    c.code = *get("code", true);
    c.coder = *get("coder", true);
    c.memo = get("memo", false).value_or("");
    if (auto t = get("text", false)) c.text = normalize_text(*t, file);
    c.created = get("created", false).value_or("");
    c.review = get("review", false).value_or("");
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<new_coding> read_codings(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csv") return parse_codings_csv(read_file(path), path);
  if (ext == ".json") return parse_codings_json(read_file(path), path);
  throw input_error(fmt::format("cannot read codings from '{}': use a .csv or .json file", path));
}

std::string default_coder() {
  if (const char* env = std::getenv("QCODE_CODER"); env && *env) return env;
  if (const char* login = getlogin(); login && *login) return login;
  if (const auto* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
  if (const char* user = std::getenv("USER"); user && *user) return user;
  return "unknown";
}

}  // namespace coding
