// REFI-QDA project archives (.qdpx): the zip archive and its caps, project.qde and the
// sources, planned as a dry run against an empty project.
#include "coding/refi.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run([&] {
    coding::refi_import_options options;
    options.dry_run = true;
    coding::import_qdpx(qcode_fuzz::empty_project(), qcode_fuzz::bytes(data, size), "fuzz.qdpx",
                        options);
  });
}
