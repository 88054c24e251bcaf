// Tests of libcoding/src/exchange/render/outputs.cpp: one write() per artefact, and what
// each format needs computed besides it.

#include <doctest/doctest.h>

#include <coding/error.hpp>
#include <coding/render.hpp>
#include <sstream>
#include <string>

#include "mini_study.hpp"

namespace {

struct mini {
  test::temp_dir dir;
  coding::project p = test::make_mini_project(dir.file("mini.qcode"));
  coding::study s = coding::load_study(p, true);
};

template <class Artefact>
std::string written(const Artefact& a, coding::format f, const coding::render_options& o = {}) {
  std::ostringstream out;
  coding::write(out, a, f, o);
  return out.str();
}

}  // namespace

TEST_CASE("only html and xlsx show quotes") {
  using coding::format;
  CHECK(coding::analysis_formats().size() == 6);
  CHECK(coding::report_formats() == std::vector<format>{format::md, format::html});
  CHECK(coding::shows_quotes(format::html));
  CHECK(coding::shows_quotes(format::xlsx));
  CHECK_FALSE(coding::shows_quotes(format::table));
  CHECK_FALSE(coding::shows_quotes(format::md));
}

TEST_CASE("a matrix output holds quotes and every measure only where its format shows them") {
  using coding::format;
  mini m;
  coding::matrix_options o;
  o.what = coding::measure::segments;
  const auto json = coding::build_matrix_output(m.s, o, format::json);
  CHECK(json.measures.empty());
  CHECK(json.quotes.empty());
  const auto html = coding::build_matrix_output(m.s, o, format::html);
  CHECK(html.measures.empty());
  CHECK_FALSE(html.quotes.empty());
  const auto xlsx = coding::build_matrix_output(m.s, o, format::xlsx);
  REQUIRE(xlsx.measures.size() == 3);
  CHECK(xlsx.measures[0].what == coding::measure::cases);
  CHECK(xlsx.measures[1].what == coding::measure::segments);
  CHECK(xlsx.measures[2].what == coding::measure::coverage);
  CHECK_FALSE(xlsx.quotes.empty());
}

TEST_CASE("write gives what the format's own writer gives") {
  using coding::format;
  mini m;
  const auto out = coding::build_matrix_output(m.s, {}, format::md);
  std::ostringstream md, csv;
  coding::write_matrix_markdown(md, out.m);
  coding::write_matrix(csv, out.m, format::csv);
  CHECK(written(out, format::md) == md.str());
  CHECK(written(out, format::csv) == csv.str());
  const auto page = written(coding::build_matrix_output(m.s, {}, format::html), format::html,
                            {"A title of its own"});
  CHECK(page.find("A title of its own") != std::string::npos);
  coding::chart_options co;
  const auto charts = coding::build_chart_output(m.s, co, {"a"}, format::xlsx);
  REQUIRE(charts.charts.size() == 1);
  CHECK(charts.charts[0].theme == "a");
  CHECK(written(charts, format::xlsx).starts_with("PK"));
  const auto c = coding::build_cooccurrence_output(m.s, {}, format::json);
  CHECK(c.quotes.empty());
  CHECK(written(c, format::json).starts_with("{"));
}

TEST_CASE("a report is written as md or html, nothing else") {
  mini m;
  const auto r = coding::build_report(m.s, 1);
  std::ostringstream md;
  coding::write_report_markdown(md, r);
  CHECK(written(r, coding::format::md) == md.str());
  CHECK_THROWS_AS(written(r, coding::format::csv), coding::input_error);
}
