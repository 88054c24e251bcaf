#pragma once
// Finding the turn that holds a position, for the layers that walk a document's turns.

#include <algorithm>
#include <cstddef>

#include "coding/document.hpp"

namespace coding::detail {

/// The turn holding code point `cp` of `doc` (turns are sorted and do not overlap), or
/// nullptr when `cp` is outside every turn.
inline const turn* turn_at(const document& doc, std::size_t cp) {
  auto it = std::upper_bound(doc.turns.begin(), doc.turns.end(), cp,
                             [](std::size_t x, const turn& t) { return x < t.start; });
  if (it == doc.turns.begin()) return nullptr;
  --it;
  return cp < it->end ? &*it : nullptr;
}

}  // namespace coding::detail
