// A query expression, as `qcode query EXPR` reads it: parsed, then run on an empty study
// (where every name is unknown, so the lookups and their did-you-mean run too).
#include "coding/query.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run([&] {
    const auto q = coding::parse_query(qcode_fuzz::bytes(data, size));
    const coding::study empty{};
    coding::run_query(empty, q);
  });
}
