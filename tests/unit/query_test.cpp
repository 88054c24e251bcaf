// The hand-worked queries of tests/fixtures/queries/WORKING.md.

#include <doctest/doctest.h>

#include <coding/analysis.hpp>
#include <coding/document.hpp>
#include <coding/framework.hpp>
#include <coding/query.hpp>
#include <coding/records.hpp>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace {

using spans = std::vector<std::pair<std::size_t, std::size_t>>;

coding::study working_study() {
  coding::study s;
  s.fw = coding::load_framework(test::fixture("mini/framework.yaml"));
  s.documents.push_back(coding::load_transcript(test::fixture("queries/Q1.txt")));
  s.documents.push_back(coding::load_transcript(test::fixture("queries/Q2.txt")));
  for (const auto& [id, group] : std::vector<std::pair<std::string, std::string>>{
           {"K1", "staff"}, {"K2", "client"}, {"K3", "client"}}) {
    coding::case_record c;
    c.id = id;
    c.attributes["group"] = group;
    s.cases.push_back(c);
  }
  const std::vector<std::tuple<std::string, std::size_t, std::size_t, std::string, std::string>>
      rows = {{"Q1", 3, 21, "a.x", "anna"},  {"Q1", 16, 26, "a.y", "ben"},
              {"Q1", 32, 40, "b.z", "anna"}, {"Q1", 46, 51, "a.x", "ben"},
              {"Q1", 37, 51, "b.z", "ben"},  {"Q1", 22, 26, "a.x", "anna"},
              {"Q2", 4, 9, "a.x", "anna"},   {"Q2", 18, 29, "b.z", "anna"},
              {"Q2", 24, 29, "a.y", "ben"}};
  for (const auto& [doc, start, end, code, coder] : rows) {
    coding::coding_record c;
    c.doc = doc;
    c.start = start;
    c.end = end;
    c.code = code;
    c.coder = coder;
    s.codings.push_back(c);
  }
  return s;
}

const coding::study& study() {
  static const auto s = working_study();
  return s;
}

// The passages of `expression` per document.
std::map<std::string, spans> run(const std::string& expression) {
  std::map<std::string, spans> out;
  for (const auto& p : coding::run_query(study(), coding::parse_query(expression)).passages)
    out[p.doc].emplace_back(p.where.start, p.where.end);
  return out;
}

void expect(const std::string& expression, const spans& q1, const spans& q2) {
  CAPTURE(expression);
  auto got = run(expression);
  CHECK(got["Q1"] == q1);
  CHECK(got["Q2"] == q2);
}

void expect_error(const std::string& expression, std::size_t column, const std::string& part) {
  CAPTURE(expression);
  try {
    (void)coding::run_query(study(), coding::parse_query(expression));
    FAIL("no error");
  } catch (const coding::query_error& e) {
    CHECK(e.column() == column);
    CHECK_MESSAGE(e.detail().find(part) != std::string::npos, e.detail());
    // The expression, then a caret under the column.
    CHECK(std::string(e.what()).find("\n  " + expression + "\n  " + std::string(column - 1, ' ') +
                                     "^") != std::string::npos);
  }
}

}  // namespace

TEST_CASE("AND, OR and NOT intersect, unite and complement passages") {
  expect("a.x AND a.y", {{16, 21}, {22, 26}}, {});
  expect("a.x OR b", {{3, 21}, {22, 26}, {32, 51}}, {{4, 9}, {18, 29}});
  expect("NOT a", {{0, 3}, {26, 46}, {51, 52}}, {{0, 4}, {9, 24}, {29, 30}});
  expect("a AND NOT b", {{3, 26}}, {{4, 9}});
}

TEST_CASE("a theme includes its sub-codes and =code is the code alone") {
  expect("a", {{3, 26}, {46, 51}}, {{4, 9}, {24, 29}});
  expect("=a", {}, {});
  expect("=a.x", {{3, 21}, {22, 26}, {46, 51}}, {{4, 9}});
}

TEST_CASE("OVERLAPS and WITHIN keep whole passages of the left operand") {
  expect("a.x OVERLAPS a.y", {{3, 21}, {22, 26}}, {});
  expect("a.y WITHIN a", {{16, 26}}, {{24, 29}});
  expect("a.x WITHIN a.y", {{22, 26}}, {});
}

TEST_CASE("NEAR counts turns or characters between passages") {
  expect("a.x NEAR/0 b", {{46, 51}}, {});
  expect("a.x NEAR/1 b", {{3, 21}, {22, 26}, {46, 51}}, {{4, 9}});
  expect("a.x NEAR/6chars b", {{22, 26}, {46, 51}}, {});
  expect("a.x NEAR/9chars b", {{22, 26}, {46, 51}}, {{4, 9}});
}

TEST_CASE("FOLLOWED BY needs the right operand to start after the left one ends") {
  expect("a.y FOLLOWED BY/1 b", {{16, 26}}, {});
  expect("a.y FOLLOWED BY/0 b", {}, {});
  expect("b FOLLOWED BY/5 a.x", {}, {});
  expect("a.x FOLLOWED BY/1 b", {{3, 21}, {22, 26}}, {{4, 9}});
  expect("a.x followed by/8CHARS b", {{22, 26}}, {});
}

TEST_CASE("ONLY keeps the parts no other code covers") {
  expect("a.x ONLY", {{3, 16}}, {{4, 9}});
  expect("a ONLY", {{3, 26}}, {{4, 9}});
  expect("=a ONLY", {}, {});
}

TEST_CASE("speaker and attribute restrictions follow the attribution rule") {
  expect("speaker=K1", {{16, 26}, {46, 51}}, {});
  expect("a AND speaker=K1", {{16, 26}, {46, 51}}, {});
  expect("group=client", {{32, 40}}, {{0, 30}});
  expect("a AND group=client", {}, {{4, 9}, {24, 29}});
  expect("b AND group=client", {{32, 40}}, {{18, 29}});
  expect("group=staff", {{16, 26}, {46, 51}}, {});
}

TEST_CASE("coder restrictions scope the code terms of their AND chain") {
  expect("coder=ben", {{16, 26}, {37, 51}}, {{24, 29}});
  expect("a.x AND coder=ben", {{46, 51}}, {});
  expect("a.x AND coder=anna", {{3, 21}, {22, 26}}, {{4, 9}});
  expect("(a AND coder=anna) AND NOT (a AND coder=ben)", {{3, 16}}, {{4, 9}});
  expect("a.x NEAR/0 b AND coder=anna", {}, {});
  expect("a.x NEAR/1 b AND coder=anna", {{3, 21}, {22, 26}}, {{4, 9}});
}

TEST_CASE("doc and text restrictions") {
  expect("doc=Q2", {}, {{0, 30}});
  expect("a AND doc=Q2", {}, {{4, 9}, {24, 29}});
  expect("text~\"three\"", {{16, 21}}, {});
  expect("a OVERLAPS text~\"four\"", {{3, 26}}, {});
  expect("b AND text~\"s*\"", {{37, 40}, {46, 51}}, {});
}

TEST_CASE("AND binds tighter than OR") {
  expect("a.x OR a.y AND b", {{3, 21}, {22, 26}, {46, 51}}, {{4, 9}, {24, 29}});
  expect("(a.x OR a.y) AND b", {{46, 51}}, {{24, 29}});
}

TEST_CASE("result passages carry references, cases and text") {
  const auto r = coding::run_query(study(), coding::parse_query("b OR NOT a"));
  // Q1: NOT a is [0,3) [26,46) [51,52); b is [32,51): together [0,3) [26,52).
  REQUIRE(r.passages.size() == 2 + 2);
  CHECK(r.passages[0].doc == "Q1");
  CHECK(r.passages[0].where.start == 0);
  CHECK(r.passages[0].cases.empty());
  CHECK(r.passages[0].text == "M: ");
  CHECK(r.passages[0].reference == "Q1 l.1");
  CHECK(r.passages[1].where.start == 26);
  CHECK(r.passages[1].where.end == 52);
  CHECK(r.passages[1].cases == std::vector<std::string>{"K2", "K1"});
  CHECK(r.passages[1].reference == "Q1 l.2-4");
  // Q2: NOT a is [0,4) [9,24) [29,30), b is [18,29): [0,4) [9,30); every one counts for K3.
  CHECK(r.passages[2].doc == "Q2");
  CHECK(r.passages[2].cases == std::vector<std::string>{"K3"});
  CHECK(r.passages[2].text == "IV: ");
  const auto a = coding::run_query(study(), coding::parse_query("a.x"));
  CHECK(a.passages[0].cases == std::vector<std::string>{"K1"});
  CHECK(a.passages[0].text == "one two\nAnn: three");
}

TEST_CASE("bad queries name the column and what to do") {
  expect_error("a.x AND", 8, "expected a code, a restriction or '(' here, not the end");
  expect_error("a.w AND a", 1, "unknown code 'a.w'");
  expect_error("a NEAR b", 8, "NEAR needs a distance");
  expect_error("a NEAR/x b", 8, "bad distance 'x'");
  expect_error("(a OR b", 8, "expected ')' to close the '(' at column 1");
  expect_error("a b", 3, "unexpected 'b'");
  expect_error("(a AND b) ONLY", 11, "ONLY follows a code");
  expect_error("a AND group=nobody", 13, "no case has group=nobody");
  expect_error("speaker=K9", 9, "unknown case 'K9'");
  expect_error("district=North", 1, "unknown attribute 'district'");
  expect_error("text~\"one", 6, "unterminated quoted text");
  expect_error("a FOLLOWED b", 12, "FOLLOWED goes with BY");
  expect_error("coder=bem", 7, "unknown coder 'bem' (at column 7); did you mean 'ben'?");
}

// --- a matrix of queries (WORKING.md, "A matrix of queries") ----------------------------

namespace {

std::vector<coding::query_row> two_rows() {
  return {{"query:r1", "r1", coding::parse_query("a.y")},
          {"query:r2", "r2", coding::parse_query("a.x OR b")}};
}

coding::matrix query_matrix(coding::measure what, std::optional<std::string> coder = {},
                            std::vector<std::pair<std::string, std::string>> where = {}) {
  coding::matrix_options o;
  o.what = what;
  o.coder = std::move(coder);
  o.where = std::move(where);
  return coding::compute_query_matrix(study(), two_rows(), o);
}

void expect_row(const coding::matrix_row& r, std::vector<double> cells, double total) {
  REQUIRE(r.cells.size() == cells.size());
  for (std::size_t c = 0; c < cells.size(); ++c) CHECK(r.cells[c] == doctest::Approx(cells[c]));
  CHECK(r.total == doctest::Approx(total));
}

}  // namespace

TEST_CASE("a matrix of queries counts cases, passages and coverage per group") {
  const auto cases = query_matrix(coding::measure::cases);
  CHECK(cases.level == coding::matrix_level::query);
  REQUIRE(cases.columns.size() == 2);
  CHECK(cases.columns[0].id == "staff");
  CHECK(cases.columns[1].id == "client");
  REQUIRE(cases.rows.size() == 2);
  CHECK(cases.rows[0].code == "query:r1");
  CHECK(cases.rows[1].label == "r2");
  expect_row(cases.rows[0], {1, 1}, 2);
  expect_row(cases.rows[1], {1, 2}, 3);
  expect_row(cases.total, {1, 2}, 3);

  const auto segments = query_matrix(coding::measure::segments);
  expect_row(segments.rows[0], {1, 1}, 2);
  expect_row(segments.rows[1], {3, 3}, 5);
  expect_row(segments.total, {2, 3}, 4);

  const auto coverage = query_matrix(coding::measure::coverage);
  expect_row(coverage.rows[0], {100.0 * 10 / 15, 100.0 * 5 / 19}, 100.0 * 15 / 34);
  expect_row(coverage.rows[1], {100.0 * 14 / 15, 100.0}, 100.0 * 33 / 34);
  expect_row(coverage.total, {100.0, 100.0}, 100.0);
}

TEST_CASE("a matrix of queries takes the coder and case filters of a matrix") {
  const auto anna = query_matrix(coding::measure::segments, "anna");
  expect_row(anna.rows[1], {2, 3}, 5);
  CHECK(anna.coders == std::vector<std::string>{"anna"});
  const auto clients = query_matrix(coding::measure::cases, {}, {{"group", "client"}});
  CHECK(clients.columns[0].n == 0);
  expect_row(clients.rows[1], {0, 2}, 2);
  const auto client_segments = query_matrix(coding::measure::segments, {}, {{"group", "client"}});
  expect_row(client_segments.rows[1], {0, 3}, 3);
  CHECK_THROWS_WITH_AS(query_matrix(coding::measure::cases, "anan"),
                       doctest::Contains("did you mean 'anna'?"), coding::input_error);
}

TEST_CASE("the quotes of a matrix of queries are its passages, per case's column") {
  const auto quotes = coding::query_matrix_quotes(study(), two_rows(), {});
  // r1: [16,26) for K1; [24,29) for K3. r2: [3,21) K1, [22,26) K1, [32,51) K2 and K1,
  // [4,9) K3, [18,29) K3: 2 + 6 quotes.
  REQUIRE(quotes.size() == 8);
  CHECK(quotes[0].row == "query:r1");
  CHECK(quotes[0].column == "staff");
  CHECK(quotes[0].text == "three four");
  std::size_t r2_in_q1 = 0;
  for (const auto& q : quotes)
    if (q.row == "query:r2" && q.doc == "Q1") ++r2_in_q1;
  CHECK(r2_in_q1 == 4);
}

TEST_CASE("check_query names what the study lacks without running the query") {
  CHECK_NOTHROW(coding::check_query(study(), coding::parse_query("a NEAR/1 b AND group=staff")));
  CHECK_THROWS_WITH_AS(coding::check_query(study(), coding::parse_query("a AND group=staf")),
                       doctest::Contains("did you mean 'staff'?"), coding::query_error);
}
