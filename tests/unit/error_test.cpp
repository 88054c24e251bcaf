// Tests of libcoding/src/error.cpp: locations, error types, did-you-mean and read_file.

#include "coding/error.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_support.hpp"

using coding::location;

TEST_CASE("location::str shows as much of the place as is known") {
  CHECK(location{"codings.csv", 14, 4}.str() == "codings.csv:14:4");
  CHECK(location{"codings.csv", 14, 0}.str() == "codings.csv:14");
  CHECK(location{"codings.csv", 0, 0}.str() == "codings.csv");
  // A column without a line means nothing: only the file is shown.
  CHECK(location{"codings.csv", 0, 4}.str() == "codings.csv");
}

TEST_CASE("parse_error prefixes its message with the location") {
  const coding::parse_error e(location{"fw.yaml", 3, 7}, "missing 'label'");
  CHECK(std::string(e.what()) == "fw.yaml:3:7: missing 'label'");
  CHECK(e.detail() == "missing 'label'");
  CHECK(e.where().file == "fw.yaml");
  CHECK(e.where().line == 3);
  CHECK(e.where().column == 7);
}

TEST_CASE("parse_error is an input_error and a coding::error") {
  CHECK_THROWS_AS(throw coding::parse_error(location{"a", 1, 1}, "x"), coding::input_error);
  CHECK_THROWS_AS(throw coding::parse_error(location{"a", 1, 1}, "x"), coding::error);
  CHECK_THROWS_AS(throw coding::input_error("x"), coding::error);
}

TEST_CASE("problem::str gives file:line:column: message") {
  const coding::problem p{location{"fw.yaml", 12, 5}, "duplicate id 'roles'"};
  CHECK(p.str() == "fw.yaml:12:5: duplicate id 'roles'");
  const coding::problem no_column{location{"fw.yaml", 2, 0}, "bad"};
  CHECK(no_column.str() == "fw.yaml:2: bad");
}

TEST_CASE("problems_error carries every problem") {
  const coding::problems_error e(
      "fw.yaml: 2 problems in framework",
      {{location{"fw.yaml", 1, 1}, "one"}, {location{"fw.yaml", 2, 1}, "two"}});
  CHECK(std::string(e.what()) == "fw.yaml: 2 problems in framework");
  REQUIRE(e.problems().size() == 2);
  CHECK(e.problems()[1].message == "two");
}

TEST_CASE("closest_match suggests a close typo") {
  const std::vector<std::string> ids = {"choice.informed", "choice.not_realised", "roles"};
  // "infromed" swaps two adjacent letters: one edit in 15 characters.
  CHECK(coding::closest_match("choice.infromed", ids) == "choice.informed");
  CHECK(coding::closest_match("role", ids) == "roles");  // 1 edit in 4
}

TEST_CASE("closest_match picks the nearest of several candidates") {
  // "speakr" is 2 edits from "speakers" and 1 from "speaker"; the limit for 6 letters is 2.
  CHECK(coding::closest_match("speakr", {"speakers", "speaker"}) == "speaker");
  CHECK(coding::closest_match("speakr", {"speaker", "speakers"}) == "speaker");
}

TEST_CASE("closest_match allows at most a third of the length in edits") {
  // 5 letters allow 1 edit: "lable" is one swap from "label", "lablx" two changes.
  CHECK(coding::closest_match("lable", {"id", "label"}) == "label");
  CHECK(coding::closest_match("lablx", {"id", "label"}) == "");
  // 7 letters allow 2 edits; "dscrptn" lacks 4 letters of "description".
  CHECK(coding::closest_match("dscrptn", {"description"}) == "");
  // 11 letters allow 3 edits: one (m for n) and two (x for s, m for n) are found.
  CHECK(coding::closest_match("descriptiom", {"description"}) == "description");
  CHECK(coding::closest_match("dexcriptiom", {"description"}) == "description");
  // 15 letters would allow 5, but never more than 3: x for n, o, m is found, and x for
  // n, o, m, e is not.
  CHECK(coding::closest_match("choice.ixfxrxed", {"choice.informed"}) == "choice.informed");
  CHECK(coding::closest_match("choice.ixfxrxxd", {"choice.informed"}) == "");
}

TEST_CASE("closest_match does not suggest a far value") {
  CHECK(coding::closest_match("outcomes", {"roles", "choice"}) == "");
  CHECK(coding::closest_match("xyz", {"abc"}) == "");
  CHECK(coding::closest_match("anything", {}) == "");
}

TEST_CASE("closest_match does not suggest the value itself") {
  CHECK(coding::closest_match("roles", {"roles"}) == "");
}

TEST_CASE("unknown_message names the kind, the value, where, and a suggestion") {
  const std::vector<std::string> ids = {"choice.informed", "roles"};
  CHECK(coding::unknown_message("code", "choice.infromed", "in codings.csv:14, column 4", ids) ==
        "unknown code 'choice.infromed' (in codings.csv:14, column 4); did you mean "
        "'choice.informed'?");
  CHECK(coding::unknown_message("code", "choice.infromed", "", ids) ==
        "unknown code 'choice.infromed'; did you mean 'choice.informed'?");
  CHECK(coding::unknown_message("document", "Z99", "in codings.csv:3", {"T01"}) ==
        "unknown document 'Z99' (in codings.csv:3)");
  CHECK(coding::unknown_message("document", "Z99", "", {}) == "unknown document 'Z99'");
}

TEST_CASE("read_file returns a file's bytes unchanged") {
  const test::temp_dir dir;
  const auto path = dir.file("bytes.bin");
  const std::string bytes("a\r\nb\0c\xFF", 7);
  std::ofstream(path, std::ios::binary) << bytes;
  CHECK(coding::read_file(path) == bytes);
}

TEST_CASE("read_file of a folder says it is a folder, not that it is empty") {
  const test::temp_dir dir;
  const auto path = dir.file("notes.txt");
  std::filesystem::create_directory(path);
  CHECK_THROWS_WITH_AS(coding::read_file(path),
                       ("'" + path + "' is a folder, not a file; name the files in it").c_str(),
                       coding::input_error);
}

TEST_CASE("read_file of a missing file throws input_error naming the file") {
  const test::temp_dir dir;
  const auto path = dir.file("no-such-file.txt");
  CHECK_THROWS_WITH_AS(coding::read_file(path), doctest::Contains(path.c_str()),
                       coding::input_error);
}
