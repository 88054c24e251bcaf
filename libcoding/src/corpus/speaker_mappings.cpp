// How a researcher writes speaker mappings on a command line: LABEL=CASE, several joined
// by commas, with labels that may hold commas themselves ("Hurst, Peter=P07").

#include <fmt/format.h>

#include "coding/document.hpp"
#include "coding/error.hpp"

namespace coding {

std::pair<std::string, std::string> parse_speaker_mapping(std::string_view item,
                                                          std::string_view option) {
  const auto eq = item.rfind('=');
  if (eq == std::string_view::npos || eq == 0)
    throw input_error(fmt::format(
        "malformed {} item '{}': expected LABEL=CASE (or LABEL=interviewer)", option, item));
  return {std::string(item.substr(0, eq)), std::string(item.substr(eq + 1))};
}

std::map<std::string, std::string> parse_speaker_mappings(const std::vector<std::string>& values,
                                                          std::string_view option) {
  std::map<std::string, std::string> out;
  for (const auto& spec : values) {
    std::string pending;  // pieces of a label that holds commas
    std::size_t begin = 0;
    while (begin <= spec.size()) {
      auto comma = spec.find(',', begin);
      if (comma == std::string::npos) comma = spec.size();
      auto piece = spec.substr(begin, comma - begin);
      begin = comma + 1;
      if (pending.empty()) piece.erase(0, piece.find_first_not_of(' '));  // "A=1, B=2"
      if (piece.find('=') == std::string::npos && begin <= spec.size()) {
        pending += piece + ",";
        continue;
      }
      auto [label, role] = parse_speaker_mapping(pending + piece, option);
      if (role.empty())
        throw input_error(fmt::format("malformed {} item '{}': give the case after '='", option,
                                      pending + piece));
      out[label] = role;
      pending.clear();
    }
  }
  return out;
}

}  // namespace coding
