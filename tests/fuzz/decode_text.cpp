// Transcript decoding: detecting and converting a file's encoding, then normalising the text.
#include "coding/text.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run([&] {
    const auto decoded = coding::decode_text(qcode_fuzz::bytes(data, size), "fuzz.txt");
    coding::normalize_text(decoded.text, "fuzz.txt");
  });
}
