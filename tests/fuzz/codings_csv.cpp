// Codings CSV, as `codings import` reads it.
#include "coding/exchange.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run(
      [&] { coding::parse_codings_csv(qcode_fuzz::bytes(data, size), "fuzz.csv"); });
}
