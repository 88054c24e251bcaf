// The project XML of a REFI-QDA archive: the input is project.qde, put into a .qdpx of its
// own (with no sources) so that the fuzzer works on the XML rather than on the zip format.
#include <ctime>

#include "coding/refi.hpp"
#include "fuzz.hpp"
#include "zip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run([&] {
    const auto archive = coding::detail::write_zip(
        {{"project.qde", std::string(qcode_fuzz::bytes(data, size))}}, std::time_t{0});
    coding::refi_import_options options;
    options.dry_run = true;
    coding::import_qdpx(qcode_fuzz::empty_project(), archive, "fuzz.qdpx", options);
  });
}
