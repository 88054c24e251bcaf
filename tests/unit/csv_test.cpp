// Tests of libcoding/src/csv.cpp: the private CSV reader, header mapping and cases files.

#include "csv.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/project.hpp"
#include "test_support.hpp"

using coding::detail::csv_record;
using coding::detail::parse_csv;
using fields = std::vector<std::string>;

namespace {

const fields kRequired = {"doc", "start", "end", "code", "coder"};
const fields kOptional = {"memo", "text"};

csv_record header(fields names) {
  return csv_record{1, std::move(names)};
}

}  // namespace

TEST_CASE("parse_csv splits records and fields") {
  const auto records = parse_csv("a,b,c\n1,,3\n", "t.csv");
  REQUIRE(records.size() == 2);
  CHECK(records[0].line == 1);
  CHECK(records[0].fields == fields{"a", "b", "c"});
  CHECK(records[1].line == 2);
  CHECK(records[1].fields == fields{"1", "", "3"});  // an empty field is kept
}

TEST_CASE("parse_csv reads the last record without a final line end") {
  const auto records = parse_csv("a,b\nx,", "t.csv");
  REQUIRE(records.size() == 2);
  CHECK(records[1].fields == fields{"x", ""});
}

TEST_CASE("parse_csv keeps commas and doubled quotes inside quoted fields") {
  const auto records = parse_csv("\"x, y\",\"say \"\"hi\"\"\",\"\"\n", "t.csv");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == fields{"x, y", "say \"hi\"", ""});
}

TEST_CASE("parse_csv keeps line ends inside quotes and the record keeps its start line") {
  // Record 2 starts on line 2 and runs to line 3; record 3 is on line 4.
  const auto records = parse_csv("h1,h2\n\"line one\nline two\",z\nnext,row\n", "t.csv");
  REQUIRE(records.size() == 3);
  CHECK(records[1].line == 2);
  CHECK(records[1].fields == fields{"line one\nline two", "z"});
  CHECK(records[2].line == 4);
  CHECK(records[2].fields == fields{"next", "row"});
}

TEST_CASE("parse_csv reads CRLF records, and CRLF inside quotes as LF") {
  const auto records = parse_csv("a,b\r\n\"x\r\ny\",z\r\nc,d\r\n", "t.csv");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == fields{"a", "b"});
  CHECK(records[1].fields == fields{"x\ny", "z"});
  CHECK(records[2].line == 4);
  CHECK(records[2].fields == fields{"c", "d"});
}

TEST_CASE("parse_csv skips a byte order mark") {
  const auto records = parse_csv(std::string("\xEF\xBB\xBF") + "case,group\n", "t.csv");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == fields{"case", "group"});
}

TEST_CASE("parse_csv skips blank lines but counts them") {
  const auto records = parse_csv("a\n\nb\r\n\r\n\nc\n", "t.csv");
  REQUIRE(records.size() == 3);
  CHECK(records[0].line == 1);
  CHECK(records[1].line == 3);
  CHECK(records[1].fields == fields{"b"});
  CHECK(records[2].line == 6);
  CHECK(parse_csv("", "t.csv").empty());
  CHECK(parse_csv("\n\n", "t.csv").empty());
}

TEST_CASE("parse_csv rejects an unterminated quote at the line and column it opens") {
  // broken/csv-unterminated.csv: line 2 is 'K1,"staff': the quote is the 4th character.
  const auto path = test::fixture("broken/csv-unterminated.csv");
  const auto text = coding::read_file(path);
  CHECK_THROWS_WITH_AS(parse_csv(text, "csv-unterminated.csv"),
                       doctest::Contains("quoted field is never closed"), coding::parse_error);
  const auto where = test::parse_error_at([&] { parse_csv(text, "csv-unterminated.csv"); });
  CHECK(where.file == "csv-unterminated.csv");
  CHECK(where.line == 2);
  CHECK(where.column == 4);
}

TEST_CASE("parse_csv rejects a stray quote in an unquoted field") {
  // Line 2 is 'x,ab"c': the quote is the 5th character.
  CHECK_THROWS_WITH_AS(parse_csv("a,b\nx,ab\"c\n", "t.csv"),
                       doctest::Contains("t.csv:2:5: stray quote"), coding::parse_error);
}

TEST_CASE("parse_csv rejects text after a closing quote") {
  // Line 2 is '"x"y,z': the 'y' after the closing quote is the 4th character.
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"x\"y,z\n", "t.csv"),
                       doctest::Contains("t.csv:2:4: unexpected text after a closing quote"),
                       coding::parse_error);
  // A quoted field over two lines: line 2 is 'b"c', so the 'c' is its 3rd character.
  CHECK_THROWS_WITH_AS(parse_csv("\"a\nb\"c\n", "t.csv"), doctest::Contains("t.csv:2:3:"),
                       coding::parse_error);
}

TEST_CASE("map_columns finds the columns in any order") {
  const auto at = coding::detail::map_columns(
      header({"code", "doc", "start", "end", "coder", "memo"}), "c.csv", kRequired, kOptional);
  // Required then optional: doc, start, end, code, coder, memo, text.
  CHECK(at == std::vector<int>{1, 2, 3, 0, 4, 5, -1});
}

TEST_CASE("map_columns rejects an unknown column with a did-you-mean") {
  // "coders" is the 6th column of the header on line 1.
  const auto h = header({"doc", "start", "end", "code", "coder", "coders"});
  CHECK_THROWS_WITH_AS(
      coding::detail::map_columns(h, "c.csv", kRequired, kOptional),
      doctest::Contains("c.csv:1:6: unknown column 'coders'; did you mean 'coder'?"),
      coding::parse_error);
  CHECK_THROWS_WITH_AS(
      coding::detail::map_columns(header({"doc", "start", "end", "code", "coder", "weight"}),
                                  "c.csv", kRequired, kOptional),
      doctest::Contains("expected columns: doc, start, end, code, coder, memo, text"),
      coding::parse_error);
}

TEST_CASE("map_columns rejects a missing required column") {
  CHECK_THROWS_WITH_AS(coding::detail::map_columns(header({"doc", "start", "end", "code", "memo"}),
                                                   "c.csv", kRequired, kOptional),
                       doctest::Contains("missing column 'coder'"), coding::parse_error);
}

TEST_CASE("map_columns rejects a column that appears twice") {
  // The second "doc" is the 3rd column.
  CHECK_THROWS_WITH_AS(
      coding::detail::map_columns(header({"doc", "start", "doc", "end", "code", "coder"}), "c.csv",
                                  kRequired, kOptional),
      doctest::Contains("c.csv:1:3: column 'doc' appears twice"), coding::parse_error);
}

TEST_CASE("parse_cases_csv reads cases and their attributes in column order") {
  const auto rows =
      coding::parse_cases_csv("case,group,district\nK1,staff,North\n\nK2,client,South\n", "c.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id == "K1");
  using pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(rows[0].attributes == pairs{{"group", "staff"}, {"district", "North"}});
  CHECK(rows[0].where.line == 2);
  CHECK(rows[1].id == "K2");
  CHECK(rows[1].attributes == pairs{{"group", "client"}, {"district", "South"}});
  CHECK(rows[1].where.line == 4);  // after the blank line 3
  CHECK(rows[1].where.file == "c.csv");
}

TEST_CASE("parse_cases_csv accepts a header with no rows") {
  CHECK(coding::parse_cases_csv("case,group\n", "c.csv").empty());
}

TEST_CASE("parse_cases_csv requires 'case' as the first column") {
  CHECK_THROWS_WITH_AS(coding::parse_cases_csv("id,group\nK1,staff\n", "c.csv"),
                       doctest::Contains("c.csv:1:1: the first column must be 'case', not 'id'"),
                       coding::parse_error);
  CHECK_THROWS_WITH_AS(coding::parse_cases_csv("", "c.csv"), doctest::Contains("empty cases file"),
                       coding::parse_error);
}

TEST_CASE("parse_cases_csv rejects a repeated attribute column") {
  CHECK_THROWS_WITH_AS(coding::parse_cases_csv("case,group,group\n", "c.csv"),
                       doctest::Contains("repeated attribute column name 'group'"),
                       coding::parse_error);
  CHECK_THROWS_WITH_AS(coding::parse_cases_csv("case,,group\n", "c.csv"),
                       doctest::Contains("c.csv:1:2:"), coding::parse_error);
}

TEST_CASE("parse_cases_csv names the line of a row with the wrong number of fields") {
  // broken/cases-wrong-fields.csv: line 3 is "K2,client", 2 fields against 3.
  const auto text = coding::read_file(test::fixture("broken/cases-wrong-fields.csv"));
  CHECK_THROWS_WITH_AS(coding::parse_cases_csv(text, "cases.csv"),
                       doctest::Contains("row has 2 fields but the header has 3"),
                       coding::parse_error);
  const auto where = test::parse_error_at([&] { coding::parse_cases_csv(text, "cases.csv"); });
  CHECK(where.line == 3);
}

TEST_CASE("parse_cases_csv rejects an empty case id") {
  CHECK_THROWS_WITH_AS(coding::parse_cases_csv("case,group\n,staff\n", "c.csv"),
                       doctest::Contains("c.csv:2:1: empty case id"), coding::parse_error);
}
