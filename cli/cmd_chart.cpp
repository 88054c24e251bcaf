#include <fmt/format.h>

#include <boost/algorithm/string.hpp>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {

namespace {

struct chart_command_options {
  std::optional<std::string> theme;
  std::vector<std::string> attrs;
  std::size_t quotes = 0;
  std::size_t quote_length = 0;
  std::string rows;
  std::string format;
  std::string output;
  filter_options filters;
  std::string project;
};

}  // namespace

int cmd_chart(const std::vector<std::string>& args, io io) {
  chart_command_options o;
  po::options_description options("options");
  options.add_options()("theme", optional_value(&o.theme),
                        "the theme (or code with sub-codes) to chart")(
      "attrs", po::value(&o.attrs)->composing(),
      "case attributes to show as columns (comma-separated or repeated)")(
      "quotes", po::value(&o.quotes)->default_value(0), "verbatim quotes per cell")(
      "quote-length", po::value(&o.quote_length)->default_value(240),
      "characters per quote, cut at a word")("rows", po::value(&o.rows)->default_value("cases"),
                                             "cases or groups")(
      "format,f", po::value(&o.format)->default_value("table"),
      "table, csv, json, md, html or xlsx")("output,o", po::value(&o.output),
                                            "write to this file instead of standard output");
  add_filter_options(options, o.filters);
  po::positional_options_description positional;
  positional.add("theme", 1);
  if (!parse(
          args, options, positional,
          "qcode chart [THEME] [--attrs ATTR,...] [--quotes N] [--rows cases|groups] "
          "[--format table|csv|json|md|html|xlsx] [--where ATTR=VALUE]... [--coder NAME] [-o FILE]",
          "Prints the Framework chart of THEME: one row per case, grouped by respondent group,\n"
          "and one column per sub-theme. A cell holds the case's summary ('qcode summary'),\n"
          "then references to the coded passages (T07 l.12-18, or T07 12:31 l.12-18 where the\n"
          "turn has a time), then with --quotes N up to N quotes. --rows groups gives one row per\n"
          "group whose cells list the member cases' summaries with their case ids.\n"
          "Without THEME: every theme (json, md, html, xlsx; a sheet per theme in xlsx).",
          io, &o.project))
    return 0;
  using coding::format;
  const auto f = analysis_format(o.format, o.output);
  coding::chart_options co;
  for (const auto& value : o.attrs) {
    std::vector<std::string> names;
    boost::split(names, value, boost::is_any_of(","));
    for (auto& n : names)
      if (boost::trim_copy(n) != "") co.attrs.push_back(boost::trim_copy(n));
  }
  co.quotes = o.quotes;
  co.quote_length = o.quote_length;
  if (co.quote_length < 20)
    throw coding::input_error("--quote-length must be at least 20 characters");
  if (o.rows != "cases" && o.rows != "groups")
    throw coding::input_error(
        coding::unknown_message("--rows value", o.rows, "", {"cases", "groups"}) +
        " (choose cases or groups)");
  co.group_rows = o.rows == "groups";
  co.where = parse_where(o.filters.where);
  co.coder = o.filters.coder;
  const auto p = open_project(o.project);
  // References need the texts (their line numbers), as quotes do.
  const auto study = coding::load_study(p, true);
  std::vector<std::string> themes;
  if (o.theme) {
    themes.push_back(*o.theme);
  } else {
    if (f == format::table || f == format::csv)
      throw coding::input_error(
          fmt::format("name the theme to chart (one of: {}), or use --format json, md, html "
                      "or xlsx for every theme",
                      fmt::join(coding::chartable_codes(study.fw), ", ")));
    for (const auto& id : coding::chartable_codes(study.fw))
      if (study.fw.codes[*study.fw.find(id)].depth == 0) themes.push_back(id);
  }
  const auto charts = coding::build_chart_output(study, co, themes, f);
  write_output(o.output, io, "chart",
               [&](std::ostream& out) { coding::write(out, charts, f, {study.fw.title}); });
  return 0;
}

}  // namespace qcode
