// Framework YAML: the YAML guard (anchor cycles, depth, alias expansion), then the checks.
#include "coding/framework.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run([&] {
    const auto check = coding::check_framework(qcode_fuzz::bytes(data, size), "fuzz.yaml");
    // What was accepted is written back and must read again.
    if (check.result) coding::check_framework(coding::framework_to_yaml(*check.result), "again");
  });
}
