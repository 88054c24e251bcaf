#include <fmt/format.h>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {

int cmd_matrix(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("by", po::value<std::string>(),
                        "case attribute for the columns (default: the framework's groups)")(
      "measure,m", po::value<std::string>()->default_value("cases"), "cases, segments or coverage")(
      "level,l", po::value<std::string>()->default_value("theme"), "theme or code")(
      "format,f", po::value<std::string>()->default_value("table"), "table, csv or json")(
      "where", po::value<std::vector<std::string>>()->composing(),
      "only cases with ATTR=VALUE (repeatable: one attribute twice means either value)")(
      "coder", po::value<std::string>(), "only this coder's codings")(
      "output,o", po::value<std::string>(), "write to this file instead of standard output");
  po::variables_map vm;
  if (!parse(args, options, {}, vm,
             "qcode matrix [--by ATTRIBUTE] [--measure cases|segments|coverage] "
             "[--level theme|code] [--format table|csv|json] [--where ATTR=VALUE]... "
             "[--coder NAME] [-o FILE]",
             "Prints a Framework matrix: one row per theme (or per code below the themes), one\n"
             "column per respondent group (or value of --by). Measures (docs/measures.md):\n"
             "  cases     cases in the column with at least one coding of the row's code\n"
             "  segments  codings of the row's code attributed to cases in the column\n"
             "  coverage  % of the characters spoken by the column's cases inside those codings\n"
             "A row counts the codings of its code's sub-codes too. The Total column and row\n"
             "give the measure over all columns and over any code.",
             io))
    return 0;
  using coding::format;
  coding::matrix_options mo;
  if (vm.count("by")) mo.by = vm["by"].as<std::string>();
  mo.what = coding::parse_measure(vm["measure"].as<std::string>());
  mo.level = coding::parse_level(vm["level"].as<std::string>());
  if (vm.count("where")) mo.where = parse_where(vm["where"].as<std::vector<std::string>>());
  if (vm.count("coder")) mo.coder = vm["coder"].as<std::string>();
  const auto f = coding::parse_format(vm["format"].as<std::string>(),
                                      {format::table, format::csv, format::json});
  const auto p = open_project(vm);
  const auto m = coding::compute_matrix(coding::load_study(p), mo);
  write_output(vm, io, "matrix", [&](std::ostream& out) { coding::write_matrix(out, m, f); });
  return 0;
}

}  // namespace qcode
