// Plain-text transcripts (.txt): front matter, speaker labels (Otter's "Name  0:21" lines
// among them) and inline (QCODE)...(/QCODE){#code} markup.
#include "coding/document.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run(
      [&] { coding::parse_transcript(qcode_fuzz::bytes(data, size), "fuzz.txt"); });
}
