// .vtt transcripts through load_transcript (which takes a path): decoding, the loader, and
// the speakers and turns built from what it found.
#include "coding/document.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = qcode_fuzz::write_file("fuzz.vtt", qcode_fuzz::bytes(data, size));
  return qcode_fuzz::run([&] { coding::load_transcript(path); });
}
