// fuzz_replay HARNESS PATH... [-- FOLDER...]: runs each file given (and every file under each
// folder given; after "--", folders that may not exist) through one harness's
// LLVMFuzzerTestOneInput, without libFuzzer, so that the normal build replays the seed corpus and
// the regressions (tests/fuzz/README.md). Each harness is compiled here with LLVMFuzzerTestOneInput
// renamed to qcode_fuzz_HARNESS; harnesses.inc (generated) lists them. A harness that fails aborts,
// and the test fails with it.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#define QCODE_FUZZ_HARNESS(name) extern "C" int qcode_fuzz_##name(const std::uint8_t*, std::size_t);
#include "harnesses.inc"
#undef QCODE_FUZZ_HARNESS

namespace {

using harness_fn = int (*)(const std::uint8_t*, std::size_t);

struct harness {
  std::string_view name;
  harness_fn run;
};

const harness harnesses[] = {
#define QCODE_FUZZ_HARNESS(name) {#name, qcode_fuzz_##name},
#include "harnesses.inc"
#undef QCODE_FUZZ_HARNESS
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fuzz_replay HARNESS PATH... [-- FOLDER...]\n");
    return 2;
  }
  const std::string_view name = argv[1];
  const auto h = std::find_if(std::begin(harnesses), std::end(harnesses),
                              [&](const harness& x) { return x.name == name; });
  if (h == std::end(harnesses)) {
    std::fprintf(stderr, "fuzz_replay: no harness '%s'\n", argv[1]);
    return 2;
  }
  std::vector<std::filesystem::path> files;
  bool optional = false;
  for (int i = 2; i < argc; ++i) {
    const std::filesystem::path p = argv[i];
    if (p == "--") {
      optional = true;
    } else if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().filename() != ".gitkeep") files.push_back(e.path());
    } else if (std::filesystem::exists(p)) {
      files.push_back(p);
    } else if (!optional) {
      std::fprintf(stderr, "fuzz_replay: no file '%s'\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::printf("%s %s\n", argv[1], f.string().c_str());
    std::fflush(stdout);
    std::ifstream in(f, std::ios::binary);
    const std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    h->run(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  }
  std::printf("%s: %zu inputs replayed\n", argv[1], files.size());
  return 0;
}
