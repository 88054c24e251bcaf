#include <fmt/format.h>

#include <boost/algorithm/string.hpp>

#include "command.hpp"

namespace qcode {

int cmd_chart(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("theme", po::value<std::string>(),
                        "the theme (or code with sub-codes) to chart")(
      "attrs", po::value<std::vector<std::string>>()->composing(),
      "case attributes to show as columns (comma-separated or repeated)")(
      "quotes", po::value<std::size_t>()->default_value(0), "verbatim quotes per cell")(
      "quote-length", po::value<std::size_t>()->default_value(240),
      "characters per quote, cut at a word")(
      "rows", po::value<std::string>()->default_value("cases"), "cases or groups")(
      "format,f", po::value<std::string>()->default_value("table"),
      "table, csv, json, md, html or xlsx")("output,o", po::value<std::string>(),
                                            "write to this file instead of standard output");
  add_filter_options(options);
  po::positional_options_description positional;
  positional.add("theme", 1);
  po::variables_map vm;
  if (!parse(
          args, options, positional, vm,
          "qcode chart [THEME] [--attrs ATTR,...] [--quotes N] [--rows cases|groups] "
          "[--format table|csv|json|md|html|xlsx] [--where ATTR=VALUE]... [--coder NAME] [-o FILE]",
          "Prints the Framework chart of THEME: one row per case, grouped by respondent group,\n"
          "and one column per sub-theme. A cell holds the case's summary ('qcode summary'),\n"
          "then references to the coded passages (T07 l.12-18, or T07 12:31 l.12-18 where the\n"
          "turn has a time), then with --quotes N up to N quotes. --rows groups gives one row per\n"
          "group whose cells list the member cases' summaries with their case ids.\n"
          "Without THEME: every theme (json, md, html, xlsx; a sheet per theme in xlsx).",
          io))
    return 0;
  using coding::format;
  const auto f = analysis_format(vm);
  coding::chart_options o;
  if (vm.count("attrs"))
    for (const auto& value : vm["attrs"].as<std::vector<std::string>>()) {
      std::vector<std::string> names;
      boost::split(names, value, boost::is_any_of(","));
      for (auto& n : names)
        if (boost::trim_copy(n) != "") o.attrs.push_back(boost::trim_copy(n));
    }
  o.quotes = vm["quotes"].as<std::size_t>();
  o.quote_length = vm["quote-length"].as<std::size_t>();
  if (o.quote_length < 20)
    throw coding::input_error("--quote-length must be at least 20 characters");
  const auto rows = vm["rows"].as<std::string>();
  if (rows != "cases" && rows != "groups")
    throw coding::input_error(
        coding::unknown_message("--rows value", rows, "", {"cases", "groups"}) +
        " (choose cases or groups)");
  o.group_rows = rows == "groups";
  o.where = where_filters(vm);
  o.coder = coder_filter(vm);
  const auto p = open_project(vm);
  // References need the texts (their line numbers), as quotes do.
  const auto study = coding::load_study(p, true);
  std::vector<std::string> themes;
  if (vm.count("theme")) {
    themes.push_back(vm["theme"].as<std::string>());
  } else {
    if (f == format::table || f == format::csv)
      throw coding::input_error(
          fmt::format("name the theme to chart (one of: {}), or use --format json, md, html "
                      "or xlsx for every theme",
                      fmt::join(coding::chartable_codes(study.fw), ", ")));
    for (const auto& id : coding::chartable_codes(study.fw))
      if (study.fw.codes[*study.fw.find(id)].depth == 0) themes.push_back(id);
  }
  std::vector<coding::chart> charts;
  std::vector<coding::quote> quotes;
  for (const auto& t : themes) {
    o.theme = t;
    charts.push_back(coding::compute_chart(study, o));
    if (f == format::xlsx) {
      auto q = coding::chart_quotes(study, o);
      quotes.insert(quotes.end(), std::make_move_iterator(q.begin()),
                    std::make_move_iterator(q.end()));
    }
  }
  write_output(vm, io, "chart", [&](std::ostream& out) {
    switch (f) {
      case format::md:
        coding::write_chart_markdown(out, charts);
        break;
      case format::html:
        coding::write_chart_html(out, charts, study.fw.title);
        break;
      case format::xlsx:
        coding::write_chart_xlsx(out, charts, quotes);
        break;
      default:
        coding::write_charts(out, charts, f);
    }
  });
  return 0;
}

}  // namespace qcode
