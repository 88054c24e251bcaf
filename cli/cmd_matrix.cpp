#include <fmt/format.h>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {
namespace {

struct matrix_command_options {
  std::optional<std::string> by;
  std::string measure;
  std::optional<std::string> level;
  std::vector<std::string> rows;
  std::string format;
  std::string output;
  filter_options filters;
  std::string project;
};

}  // namespace

int cmd_matrix(const std::vector<std::string>& args, io io) {
  matrix_command_options o;
  po::options_description options("options");
  options.add_options()("by", optional_value(&o.by),
                        "case attribute for the columns (default: the framework's groups)")(
      "measure,m", po::value(&o.measure)->default_value("cases"), "cases, segments or coverage")(
      "level,l", optional_value(&o.level), "theme (default) or code")(
      "rows", po::value(&o.rows)->value_name("query:NAME,..."),
      "rows from saved queries instead of codes (repeatable)")(
      "format,f", po::value(&o.format)->default_value("table"),
      "table, csv, json, md, html or xlsx")("output,o", po::value(&o.output),
                                            "write to this file instead of standard output");
  add_filter_options(options, o.filters);
  if (!parse(
          args, options, {},
          "qcode matrix [--by ATTRIBUTE] [--measure cases|segments|coverage] "
          "[--level theme|code | --rows query:NAME,...] [--format table|csv|json|md|html|xlsx] "
          "[--where ATTR=VALUE]... [--coder NAME] [-o FILE]",
          "Prints a Framework matrix: one row per theme (or per code below the themes), one\n"
          "column per respondent group (or value of --by). Measures (docs/measures.md):\n"
          "  cases     cases in the column with at least one coding of the row's code\n"
          "  segments  codings of the row's code attributed to cases in the column\n"
          "  coverage  % of the characters spoken by the column's cases inside those codings\n"
          "A row counts the codings of its code's sub-codes too. The Total column and row\n"
          "give the measure over all columns and over any code.\n"
          "html is one self-contained page with heat shading where clicking a cell shows its\n"
          "quotes; xlsx has a sheet per measure (cases, segments, coverage) and a Quotes sheet.\n"
          "--rows query:NAME,query:NAME2 makes the rows from saved queries ('qcode query\n"
          "save'): each counts the passages its query finds (docs/queries.md).",
          io, &o.project))
    return 0;
  coding::matrix_options mo;
  if (o.by) mo.by = *o.by;
  mo.what = coding::parse_measure(o.measure);
  if (o.level) mo.level = coding::parse_level(*o.level);
  mo.where = parse_where(o.filters.where);
  mo.coder = o.filters.coder;
  const auto f = analysis_format(o.format, o.output);
  const auto p = open_project(o.project);
  if (!o.rows.empty()) {
    if (o.level) throw coding::input_error("--level does not go with --rows: the rows are queries");
    std::vector<coding::query_row> rows;
    for (const auto& list : o.rows)
      for (const auto& item : coding::split_list(list)) {
        if (!item.starts_with("query:"))
          throw coding::input_error(fmt::format(
              "--rows takes saved queries as query:NAME, not '{}' ('qcode query list' shows "
              "them; 'qcode query save NAME EXPR' saves one)",
              item));
        const auto saved = p.queries().get(item.substr(6));
        rows.push_back({item, saved.name, coding::parse_query(saved.expression)});
      }
    const auto study = coding::load_study(p, true);
    const auto m = coding::build_query_matrix_output(study, rows, mo, f);
    write_output(o.output, io, "matrix",
                 [&](std::ostream& out) { coding::write(out, m, f, {study.fw.title}); });
    return 0;
  }
  const auto study = coding::load_study(p, coding::shows_quotes(f));
  const auto m = coding::build_matrix_output(study, mo, f);
  write_output(o.output, io, "matrix",
               [&](std::ostream& out) { coding::write(out, m, f, {study.fw.title}); });
  return 0;
}

}  // namespace qcode
