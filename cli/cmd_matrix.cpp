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
      "format,f", po::value<std::string>()->default_value("table"),
      "table, csv, json, md, html or xlsx")("output,o", po::value<std::string>(),
                                            "write to this file instead of standard output");
  add_filter_options(options);
  po::variables_map vm;
  if (!parse(args, options, {}, vm,
             "qcode matrix [--by ATTRIBUTE] [--measure cases|segments|coverage] "
             "[--level theme|code] [--format table|csv|json|md|html|xlsx] [--where ATTR=VALUE]... "
             "[--coder NAME] [-o FILE]",
             "Prints a Framework matrix: one row per theme (or per code below the themes), one\n"
             "column per respondent group (or value of --by). Measures (docs/measures.md):\n"
             "  cases     cases in the column with at least one coding of the row's code\n"
             "  segments  codings of the row's code attributed to cases in the column\n"
             "  coverage  % of the characters spoken by the column's cases inside those codings\n"
             "A row counts the codings of its code's sub-codes too. The Total column and row\n"
             "give the measure over all columns and over any code.\n"
             "html is one self-contained page with heat shading where clicking a cell shows its\n"
             "quotes; xlsx has a sheet per measure (cases, segments, coverage) and a Quotes sheet.",
             io))
    return 0;
  using coding::format;
  coding::matrix_options mo;
  if (vm.count("by")) mo.by = vm["by"].as<std::string>();
  mo.what = coding::parse_measure(vm["measure"].as<std::string>());
  mo.level = coding::parse_level(vm["level"].as<std::string>());
  mo.where = where_filters(vm);
  mo.coder = coder_filter(vm);
  const auto f = analysis_format(vm);
  const auto p = open_project(vm);
  const bool quotes = f == format::html || f == format::xlsx;
  const auto study = coding::load_study(p, quotes);
  const auto m = coding::compute_matrix(study, mo);
  write_output(vm, io, "matrix", [&](std::ostream& out) {
    switch (f) {
      case format::md:
        coding::write_matrix_markdown(out, m);
        break;
      case format::html:
        coding::write_matrix_html(out, m, coding::matrix_quotes(study, mo), study.fw.title);
        break;
      case format::xlsx: {
        std::vector<coding::matrix> measures;
        for (const auto what :
             {coding::measure::cases, coding::measure::segments, coding::measure::coverage}) {
          auto o = mo;
          o.what = what;
          measures.push_back(what == m.what ? m : coding::compute_matrix(study, o));
        }
        coding::write_matrix_xlsx(out, measures, coding::matrix_quotes(study, mo));
        break;
      }
      default:
        coding::write_matrix(out, m, f);
    }
  });
  return 0;
}

}  // namespace qcode
