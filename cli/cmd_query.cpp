#include <fmt/format.h>

#include <boost/algorithm/string/join.hpp>

#include "command.hpp"

namespace qcode {

namespace {

struct query_command_options {
  std::vector<std::string> expression;
  std::string format;
  std::string output;
  std::string project;
};

}  // namespace

int cmd_query(const std::vector<std::string>& args, io io) {
  query_command_options o;
  po::options_description options("options");
  options.add_options()("expression", po::value(&o.expression)->required(),
                        "the query (docs/queries.md); quote it for the shell")(
      "format,f", po::value(&o.format)->default_value("table"), "table, csv, json, md or html")(
      "output,o", po::value(&o.output), "write to this file instead of standard output");
  po::positional_options_description positional;
  positional.add("expression", -1);
  if (!parse(args, options, positional,
             "qcode query EXPR [--format table|csv|json|md|html] [-o FILE]",
             "Prints the passages a query over the codings finds, each with its document,\n"
             "reference, the cases it counts for and its text. EXPR combines code ids (a theme\n"
             "includes its sub-codes; =CODE is the code alone) with AND, OR, NOT and brackets,\n"
             "the positional operators A OVERLAPS B, A WITHIN B, A NEAR/n B (n turns; NEAR/nchars\n"
             "for characters), A FOLLOWED BY/n B and A ONLY, and the restrictions speaker=CASE,\n"
             "ATTR=VALUE (a case attribute, such as group=customer), coder=NAME, doc=ID and\n"
             "text~\"words\" (matched as qcode search matches). Example:\n"
             "  qcode query \"barriers NEAR/1 choice.lack AND group=customer\"\n"
             "The semantics, with pictures, are in docs/queries.md.",
             io, &o.project))
    return 0;
  const auto f = coding::parse_format(o.format, coding::query_formats());
  const auto q = coding::parse_query(boost::algorithm::join(o.expression, " "));
  const auto p = open_project(o.project);
  const auto study = coding::load_study(p, true);
  const auto result = coding::run_query(study, q);
  write_output(o.output, io, "query results",
               [&](std::ostream& out) { coding::write(out, result, f, {study.fw.title}); });
  return 0;
}

}  // namespace qcode
