// REFI-QDA codebooks (.qdc), planned as a dry run against an empty project.
#include "coding/refi.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run([&] {
    coding::refi_import_options options;
    options.dry_run = true;
    coding::import_qdc(qcode_fuzz::empty_project(), qcode_fuzz::bytes(data, size), "fuzz.qdc",
                       options);
  });
}
