#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

int cmd_cooccur(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("level,l", po::value<std::string>()->default_value("code"),
                        "code or theme")("by", po::value<std::string>(),
                                         "one table per value of this case attribute (e.g. group)")(
      "format,f", po::value<std::string>()->default_value("table"),
      "table, csv, json, md, html or xlsx")("output,o", po::value<std::string>(),
                                            "write to this file instead of standard output");
  add_filter_options(options);
  po::variables_map vm;
  if (!parse(args, options, {}, vm,
             "qcode cooccur [--level code|theme] [--by ATTRIBUTE] [--format "
             "table|csv|json|md|html|xlsx] "
             "[--where ATTR=VALUE]... [--coder NAME] [-o FILE]",
             "Prints code by code the number of passages where both codes apply: the separate\n"
             "stretches of text inside a coding of each (overlapping codings). The diagonal\n"
             "is the number of separate passages coded with the code. A code counts its\n"
             "sub-codes' codings. A passage counts when it speaks for a case (the matrix's\n"
             "rules, docs/measures.md); with --by, in the table of each value it speaks for.",
             io))
    return 0;
  using coding::format;
  coding::cooccur_options o;
  o.level = coding::parse_level(vm["level"].as<std::string>());
  if (vm.count("by")) o.by = vm["by"].as<std::string>();
  o.where = where_filters(vm);
  o.coder = coder_filter(vm);
  const auto f = analysis_format(vm);
  const auto p = open_project(vm);
  const bool quotes = f == format::html || f == format::xlsx;
  const auto study = coding::load_study(p, quotes);
  const auto c = coding::compute_cooccurrence(study, o);
  write_output(vm, io, "co-occurrence", [&](std::ostream& out) {
    switch (f) {
      case format::md:
        coding::write_cooccurrence_markdown(out, c);
        break;
      case format::html:
        coding::write_cooccurrence_html(out, c, coding::cooccurrence_quotes(study, o),
                                        study.fw.title);
        break;
      case format::xlsx:
        coding::write_cooccurrence_xlsx(out, c, coding::cooccurrence_quotes(study, o));
        break;
      default:
        coding::write_cooccurrence(out, c, f);
    }
  });
  return 0;
}

}  // namespace qcode
