#pragma once
// What REFI-QDA export (refi_export.cpp) and import (refi_read.cpp, refi_plan.cpp) must
// agree on, private to the library: namespaces, the note that carries what the standard has
// no place for, and how a code's coding guidance is written into its Description.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coding::detail {

inline constexpr std::string_view kProjectNamespace = "urn:QDA-XML:project:1.0";
inline constexpr std::string_view kCodebookNamespace = "urn:QDA-XML:codebook:1.0";
inline constexpr std::string_view kProjectSchemaLocation =
    "urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd";
inline constexpr std::string_view kCodebookSchemaLocation =
    "urn:QDA-XML:codebook:1.0 http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd";

// The project-level Note in which qcode keeps, per GUID, the ids and settings that REFI-QDA
// has no element for (code ids, document and case ids, titles, labels, speakers, the
// framework's groups). Its text is YAML whose first key is `qcode`.
inline constexpr std::string_view kDataNoteName = "qcode project data";

// A code's include, exclude and example guidance goes into its Description as paragraphs
// that start with these labels, after the description itself.
inline constexpr std::array<std::string_view, 3> kGuidanceLabels = {
    "Include: ", "Exclude: ", "Example: "};

// Fixed date of every entry in an exported archive, so that two exports agree byte for byte.
inline constexpr long kArchiveTime = 1577836800;  // 2020-01-01T00:00:00Z

// A code's Description: its description, then one paragraph per piece of guidance.
inline std::string compose_description(std::string_view description,
                                       const std::array<std::string_view, 3>& guidance) {
  std::string out(description);
  for (std::size_t i = 0; i < guidance.size(); ++i) {
    if (guidance[i].empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += kGuidanceLabels[i];
    out += guidance[i];
  }
  return out;
}

// The inverse of compose_description: the first paragraph that starts with a guidance
// label starts the guidance; paragraphs that follow without a label continue the one before.
struct split_description {
  std::string description;
  std::array<std::string, 3> guidance;
};

inline split_description split_guidance(std::string_view text) {
  split_description out;
  std::vector<std::string_view> paragraphs;
  std::size_t begin = 0;
  while (true) {
    const auto end = text.find("\n\n", begin);
    paragraphs.push_back(
        text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (end == std::string_view::npos) break;
    begin = end + 2;
  }
  int current = -1;
  std::vector<std::string_view> description;
  for (const auto paragraph : paragraphs) {
    int label = -1;
    for (std::size_t i = 0; i < kGuidanceLabels.size(); ++i)
      if (paragraph.starts_with(kGuidanceLabels[i]) && out.guidance[i].empty())
        label = static_cast<int>(i);
    if (label >= 0) {
      current = label;
      out.guidance[static_cast<std::size_t>(label)] =
          std::string(paragraph.substr(kGuidanceLabels[0].size()));
    } else if (current >= 0) {
      out.guidance[static_cast<std::size_t>(current)] += "\n\n" + std::string(paragraph);
    } else {
      description.push_back(paragraph);
    }
  }
  for (std::size_t i = 0; i < description.size(); ++i) {
    if (i > 0) out.description += "\n\n";
    out.description += description[i];
  }
  return out;
}

// True for an xsd:dateTime such as "2024-01-15T10:00:00Z" or "2024-01-15T10:00:00.5+02:00".
inline bool is_xsd_datetime(std::string_view s) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > s.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  if (!(digits(0, 4) && s.size() >= 19 && s[4] == '-' && digits(5, 2) && s[7] == '-' &&
        digits(8, 2) && s[10] == 'T' && digits(11, 2) && s[13] == ':' && digits(14, 2) &&
        s[16] == ':' && digits(17, 2)))
    return false;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    const auto from = ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == from) return false;
  }
  if (at == s.size()) return true;
  if (s[at] == 'Z') return at + 1 == s.size();
  return (s[at] == '+' || s[at] == '-') && at + 6 == s.size() && digits(at + 1, 2) &&
         s[at + 3] == ':' && digits(at + 4, 2);
}

}  // namespace coding::detail
