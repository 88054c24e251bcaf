// The web API's request bodies (web/api.cpp): a JSON object nested at most 32 levels.
#include "api.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return qcode_fuzz::run([&] { coding::web::parse_json_body(qcode_fuzz::bytes(data, size)); });
}
