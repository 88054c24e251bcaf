// The XML of a Word document: the input is word/document.xml, put into a zip archive of its
// own so that the fuzzer works on the XML rather than on the zip format.
#include <ctime>

#include "fuzz.hpp"
#include "loaders.hpp"
#include "zip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run([&] {
    const auto zip = coding::detail::write_zip(
        {{"word/document.xml", std::string(qcode_fuzz::bytes(data, size))}}, std::time_t{0});
    coding::detail::load_docx(zip, "fuzz.docx");
  });
}
