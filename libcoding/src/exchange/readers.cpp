// Readers of the files researchers edit and programs exchange: codings (CSV and JSON),
// cases and chart summaries (CSV). Each checks its rows and throws parse_error naming the
// file, row and column; the project checks them again against what it holds.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/text.hpp"
#include "csv.hpp"
#include "strings.hpp"
#include "yaml_guard.hpp"

namespace coding {
namespace {

using detail::parse_size;

const std::vector<std::string> kRequired = {"doc", "start", "end", "code", "coder"};
const std::vector<std::string> kOptional = {"memo", "text", "created", "review"};
// What `codings export` adds (who a coding speaks for): read back and ignored, since the
// project works it out from its own turns and mappings.
const std::vector<std::string> kIgnoredCsv = {"case", "group", "speaker"};
const std::vector<std::string> kIgnoredJson = {"cases", "groups", "speakers"};

// A yes/no cell as people and spreadsheets write it: yes/no, true/false (what a
// spreadsheet shows for a boolean), y/n, 1/0, in any case, with spaces around, or empty
// (no). Anything else is nullopt.
std::optional<bool> yes_or_no(std::string_view cell) {
  const std::string lower = detail::ascii_lower(detail::trim(cell));
  if (lower == "yes" || lower == "true" || lower == "y" || lower == "1") return true;
  if (lower.empty() || lower == "no" || lower == "false" || lower == "n" || lower == "0")
    return false;
  return std::nullopt;
}

}  // namespace

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
  const auto ext = detail::ascii_lower(std::filesystem::path(path).extension().string());
  if (ext == ".csv") return parse_codings_csv(read_file(path), path);
  if (ext == ".json") return parse_codings_json(read_file(path), path);
  throw input_error(fmt::format("cannot read codings from '{}': use a .csv or .json file", path));
}

std::vector<summary_edit> parse_summaries_csv(std::string_view text, std::string_view file) {
  const auto records = detail::parse_csv(text, file);
  if (records.empty())
    throw parse_error(
        location{std::string(file), 1, 0},
        "empty summaries file: expected the header row that 'qcode summary export' writes");
  const auto at = detail::map_columns(records.front(), file, {"case", "code", "summary", "base"},
                                      {"group", "label", "draft", "passages"});
  const auto width = records.front().fields.size();
  std::vector<summary_edit> out;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != width)
      throw parse_error(
          location{std::string(file), rec.line, 0},
          fmt::format("row has {} fields but the header has {}", rec.fields.size(), width));
    const auto field = [&](std::size_t k) { return rec.fields[static_cast<std::size_t>(at[k])]; };
    summary_edit e;
    e.where = {std::string(file), rec.line, 1};
    e.case_id = field(0);
    e.code = field(1);
    e.text = field(2).empty() ? std::string() : normalize_text(field(2), file);
    while (!e.text.empty() && (e.text.back() == '\n' || e.text.back() == ' ')) e.text.pop_back();
    e.base = field(3);
    if (at[6] >= 0) {
      const auto draft = yes_or_no(field(6));
      if (!draft)
        throw parse_error(
            location{std::string(file), rec.line, static_cast<std::size_t>(at[6]) + 1},
            fmt::format("'{}' in column 'draft': expected yes or no (or true/false, "
                        "y/n, 1/0; empty means no)",
                        field(6)));
      e.draft = *draft;
    }
    if (e.case_id.empty() || e.code.empty())
      throw parse_error(location{std::string(file), rec.line,
                                 static_cast<std::size_t>(at[e.case_id.empty() ? 0 : 1]) + 1},
                        fmt::format("empty '{}'", e.case_id.empty() ? "case" : "code"));
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<case_row> parse_cases_csv(std::string_view text, std::string_view file) {
  const auto records = detail::parse_csv(text, file);
  if (records.empty())
    throw parse_error(location{std::string(file), 1, 0},
                      "empty cases file: expected a header row 'case,ATTRIBUTE,...'");
  const auto& header = records.front();
  if (header.fields.empty() || header.fields[0] != "case")
    throw parse_error(location{std::string(file), header.line, 1},
                      fmt::format("the first column must be 'case', not '{}'",
                                  header.fields.empty() ? "" : header.fields[0]));
  for (std::size_t c = 1; c < header.fields.size(); ++c) {
    const auto& name = header.fields[c];
    if (name.empty() || name == "case" ||
        std::count(header.fields.begin(), header.fields.end(), name) > 1)
      throw parse_error(location{std::string(file), header.line, c + 1},
                        fmt::format("bad or repeated attribute column name '{}'", name));
  }
  std::vector<case_row> rows;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != header.fields.size())
      throw parse_error(location{std::string(file), rec.line, 0},
                        fmt::format("row has {} fields but the header has {}", rec.fields.size(),
                                    header.fields.size()));
    case_row row;
    row.id = rec.fields[0];
    row.where = location{std::string(file), rec.line, 1};
    if (row.id.empty()) throw parse_error(row.where, "empty case id");
    for (std::size_t c = 1; c < rec.fields.size(); ++c) {
      const auto& name = header.fields[c];
      if (name == "doc") {
        row.doc = rec.fields[c];
        row.doc_column = c + 1;
      } else if (name == "speaker") {
        row.speaker = rec.fields[c];
        row.speaker_column = c + 1;
      } else {
        row.attributes.emplace_back(name, rec.fields[c]);
      }
    }
    if (!row.speaker.empty() && row.doc.empty())
      throw parse_error(location{std::string(file), rec.line, row.doc_column ? row.doc_column : 0},
                        "a row with a speaker needs the document it speaks in (column 'doc')");
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace coding
