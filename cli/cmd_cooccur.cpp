#include <fmt/format.h>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {

namespace {

struct cooccur_command_options {
  std::string level;
  std::optional<std::string> by;
  std::string format;
  std::string output;
  filter_options filters;
  std::string project;
};

}  // namespace

int cmd_cooccur(const std::vector<std::string>& args, io io) {
  cooccur_command_options o;
  po::options_description options("options");
  options.add_options()("level,l", po::value(&o.level)->default_value("code"), "code or theme")(
      "by", optional_value(&o.by), "one table per value of this case attribute (e.g. group)")(
      "format,f", po::value(&o.format)->default_value("table"),
      "table, csv, json, md, html or xlsx")("output,o", po::value(&o.output),
                                            "write to this file instead of standard output");
  add_filter_options(options, o.filters);
  if (!parse(args, options, {},
             "qcode cooccur [--level code|theme] [--by ATTRIBUTE] [--format "
             "table|csv|json|md|html|xlsx] "
             "[--where ATTR=VALUE]... [--coder NAME] [-o FILE]",
             "Prints code by code the number of passages where both codes apply: the separate\n"
             "stretches of text inside a coding of each (overlapping codings). The diagonal\n"
             "is the number of separate passages coded with the code. A code counts its\n"
             "sub-codes' codings. A passage counts when it speaks for a case (the matrix's\n"
             "rules, docs/measures.md); with --by, in the table of each value it speaks for.",
             io, &o.project))
    return 0;
  coding::cooccur_options co;
  co.level = coding::parse_level(o.level);
  if (o.by) co.by = *o.by;
  co.where = parse_where(o.filters.where);
  co.coder = o.filters.coder;
  const auto f = analysis_format(o.format, o.output);
  const auto p = open_project(o.project);
  const auto study = coding::load_study(p, coding::shows_quotes(f));
  const auto c = coding::build_cooccurrence_output(study, co, f);
  write_output(o.output, io, "co-occurrence",
               [&](std::ostream& out) { coding::write(out, c, f, {study.fw.title}); });
  return 0;
}

}  // namespace qcode
