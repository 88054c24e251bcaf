#include <fmt/format.h>

#include <set>

#include "coding/speakers.hpp"

namespace coding {
namespace {

// One word of a shell command line, quoted only when it must be: the hint is meant to be
// pasted, and labels hold spaces, commas and apostrophes ("Hurst, Peter", "O'Neill").
std::string shell_word(std::string_view word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyz"
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_.,:=@%+/-") == std::string_view::npos;
  if (plain) return std::string(word);
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string unmapped_speech::message() const {
  return fmt::format(
      "{}: speaker '{}' is not mapped to a case, and {} coding{} in its turns count{} for nobody; "
      "map it with: qcode speakers map {} {}",
      doc, label, codings, codings == 1 ? "" : "s", codings == 1 ? "s" : "", shell_word(doc),
      shell_word(label + "=CASE"));
}

std::vector<unmapped_speech> find_unmapped_speech(const study& s) {
  // In a one-to-one interview every label but the interviewer's speaks for the document's
  // case, so only documents without a case of their own can lose codings this way.
  std::set<std::string> interviews;
  for (const auto& d : s.documents)
    if (d.is_interview()) interviews.insert(d.id);
  std::vector<unmapped_speech> out;
  for (const auto& l : list_speakers(s))
    if (l.role.unmapped() && l.codings > 0 && !interviews.count(l.doc))
      out.push_back({l.doc, l.role.label, l.codings});
  return out;
}

}  // namespace coding
