#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "coding/speakers.hpp"
#include "coding/text.hpp"

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
      "{}: speaker '{}' is not mapped to a case, and {} in its turns count{} for nobody; "
      "map it with: qcode speakers map {} {}",
      doc, label, plural(codings, "coding", "codings"), codings == 1 ? "s" : "", shell_word(doc),
      shell_word(label + "=CASE"));
}

std::vector<unmapped_speech> find_unmapped_speech(const study& s) {
  // In a one-to-one interview every passage speaks for the document's case, so only
  // documents without a case of their own can lose codings this way; and a coding that
  // also reaches a mapped speaker's turn counts for that case, so it is not lost.
  const speaker_index who(s);
  std::map<std::string, std::vector<const coding_record*>> codings_of;
  for (const auto& c : s.codings) codings_of[c.doc].push_back(&c);
  std::vector<unmapped_speech> out;
  for (const auto& d : s.documents) {
    if (d.is_interview()) continue;
    for (const auto& role : d.speakers) {
      if (!role.unmapped()) continue;
      std::size_t lost = 0;
      for (const auto* c : codings_of[d.id]) {
        const bool in_turn = std::any_of(d.turns.begin(), d.turns.end(), [&](const turn& t) {
          return t.speaker == role.label && c->start < t.end && t.start < c->end;
        });
        if (in_turn && who.of(d.id, c->start, c->end).cases.empty()) ++lost;
      }
      if (lost > 0) out.push_back({d.id, role.label, lost});
    }
  }
  return out;
}

}  // namespace coding
