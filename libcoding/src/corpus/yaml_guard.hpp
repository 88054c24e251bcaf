#pragma once
// Loading YAML that a user (or anyone they got a file from) wrote, private to the library.
//
// yaml-cpp shares one node between an anchor and its aliases, so an alias inside the node
// it names makes a loop that qcode's recursive readers follow until the stack overflows,
// and a few lines of nested aliases (a "billion laughs") expand to millions of nodes when
// walked. Every YAML the library reads goes through load_yaml, which refuses both before
// yaml-cpp builds a node.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string_view>

namespace coding::detail {

// Deepest nesting of mappings and sequences, counting the levels that aliases bring in.
// A framework's codes nested 30 deep use about 60.
inline constexpr std::size_t kYamlMaxDepth = 64;

// Most nodes that aliases may repeat in one document, in all. A file's own nodes are not
// counted (their number is bounded by its size); only what aliases add on top.
inline constexpr std::size_t kYamlMaxAliasNodes = 100'000;

// A YAML document refused for its shape rather than its syntax: an anchor cycle, nesting
// past kYamlMaxDepth or aliases repeating more than kYamlMaxAliasNodes nodes. `mark` is
// where (0-based, as yaml-cpp counts) and `msg` says what and what to do. It is a
// ParserException so that callers which already catch yaml-cpp's errors handle it.
class yaml_limit_error : public YAML::ParserException {
 public:
  using YAML::ParserException::ParserException;
};

// Parses the first document of `text` as YAML::Load does, after checking its shape.
// Throws yaml_limit_error for a cycle, depth or expansion, and YAML::ParserException for
// invalid YAML.
YAML::Node load_yaml(std::string_view text);

}  // namespace coding::detail
