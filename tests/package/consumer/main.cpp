// Uses the installed library through its public headers only: parses a framework and a
// transcript, stores both in a new project file (argv[1]) and lists what it holds.

#include <coding/coding.hpp>
#include <exception>
#include <iostream>

namespace {

constexpr const char* framework_yaml = R"(id: consumer
title: A framework parsed by the package test
groups:
  attribute: group
  values:
    - {id: staff, label: Staff}
themes:
  - id: a
    label: Theme A
    codes:
      - {id: x, label: Code A.x}
)";

constexpr const char* transcript =
    "---\nid: I1\ncase: K1\nspeakers: {IV: interviewer, R: K1}\n"
    "---\nIV: Why?\nR: Café was naïve.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer NEW.qcode\n";
    return 2;
  }
  try {
    auto checked = coding::check_framework(framework_yaml, "consumer.yaml");
    if (!checked.result) {
      std::cerr << "consumer: the framework has " << checked.problems.size() << " problems\n";
      return 1;
    }
    const auto& fw = *checked.result;
    auto doc = coding::parse_transcript(transcript, "I1.txt");
    auto project = coding::project::create(argv[1], &fw);
    project.documents().add({doc});
    std::cout << "libcoding " << coding::version() << "\n";
    std::cout << "framework " << fw.id << ": " << fw.codes.size() << " codes\n";
    for (const auto& info : project.documents().list()) std::cout << "document " << info.id << "\n";
    std::cout << "turns " << doc.turns.size() << ", characters " << doc.length << "\n";
    coding::write_framework_tree(std::cout, fw);
  } catch (const std::exception& e) {
    std::cerr << "consumer: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
