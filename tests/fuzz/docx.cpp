// Word .docx transcripts through load_transcript (which takes a path): the zip archive,
// its size and ratio caps, the relationships and the document XML.
#include "coding/document.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = qcode_fuzz::write_file("fuzz.docx", qcode_fuzz::bytes(data, size));
  return qcode_fuzz::run([&] { coding::load_transcript(path); });
}
