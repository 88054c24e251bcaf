// Tests of libcoding/src/corpus/speaker_mappings.cpp: speaker mappings as a command line
// gives them.

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "coding/document.hpp"
#include "coding/error.hpp"

TEST_CASE("a mapping splits at the last '=', so a label may hold '=' and commas") {
  using pair = std::pair<std::string, std::string>;
  CHECK(coding::parse_speaker_mapping("Hurst, Peter=P07", "mapping") ==
        pair{"Hurst, Peter", "P07"});
  CHECK(coding::parse_speaker_mapping("a=b=P1", "mapping") == pair{"a=b", "P1"});
  CHECK(coding::parse_speaker_mapping("IV=", "mapping") == pair{"IV", ""});
}

TEST_CASE("a mapping without '=' or without a label is an input error naming the option") {
  for (const char* bad : {"IV", "=P1"}) {
    try {
      coding::parse_speaker_mapping(bad, "--speakers");
      FAIL("no error for " << bad);
    } catch (const coding::input_error& e) {
      CHECK(std::string(e.what()).find("malformed --speakers item '" + std::string(bad) + "'") !=
            std::string::npos);
    }
  }
}

TEST_CASE("mapping lists join pieces without '=' to the label that follows") {
  const auto m =
      coding::parse_speaker_mappings({"Hurst, Peter=P1,IV=interviewer", "A=1, B=2"}, "--speakers");
  const std::map<std::string, std::string> want = {
      {"Hurst, Peter", "P1"}, {"IV", "interviewer"}, {"A", "1"}, {"B", "2"}};
  CHECK(m == want);
  CHECK(coding::parse_speaker_mappings({}, "--speakers").empty());
}

TEST_CASE("a mapping list item needs a case after '='") {
  CHECK_THROWS_WITH_AS(coding::parse_speaker_mappings({"A=1,B="}, "--speakers"),
                       doctest::Contains("malformed --speakers item 'B=': give the case after '='"),
                       coding::input_error);
  CHECK_THROWS_AS(coding::parse_speaker_mappings({"A"}, "--speakers"), coding::input_error);
}
