#pragma once
// The hand-worked study of tests/fixtures/mini (WORKING.md) as a project: three
// transcripts, five cases with districts, eight codings.

#include <coding/analysis.hpp>
#include <coding/codings.hpp>
#include <coding/document.hpp>
#include <coding/exchange.hpp>
#include <coding/framework.hpp>
#include <coding/project.hpp>
#include <string>

#include "test_support.hpp"

namespace test {

inline coding::project make_mini_project(const std::string& path) {
  const auto fw = coding::load_framework(fixture("mini/framework.yaml"));
  auto p = coding::project::create(path, &fw);
  p.documents().add({coding::load_transcript(fixture("mini/I1.txt")),
                     coding::load_transcript(fixture("mini/G1.txt")),
                     coding::load_transcript(fixture("mini/I2.txt"))});
  const auto cases_csv = fixture("mini/cases.csv");
  p.cases().apply(coding::parse_cases_csv(coding::read_file(cases_csv), cases_csv));
  p.codings().add(coding::read_codings(fixture("mini/codings.csv")));
  return p;
}

}  // namespace test
