#include <fmt/format.h>

#include "command.hpp"

namespace qcode {
namespace {

struct docs_options {
  std::string format;
  std::string doc;  ///< show
  std::string project;
};

}  // namespace

int cmd_docs(const std::vector<std::string>& args, io io) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    io.out << "usage: qcode docs list [--format table|json|lines]\n"
              "       qcode docs show DOC [--format text|json|lines]\n\n"
              "list prints every document with its case, turns, lines, characters and codings;\n"
              "show prints one document: its stored text exactly (text), numbered lines\n"
              "(lines), or its text and turns with speaker, case and offsets (json).\n";
    return 0;
  }
  if (args.empty() || (args[0] != "list" && args[0] != "show"))
    unknown_subcommand("docs", args.empty() ? "" : args[0], {"list", "show"});
  const bool show = args[0] == "show";
  docs_options o;
  po::options_description options("options");
  options.add_options()("format", po::value(&o.format)->default_value(show ? "text" : "table"),
                        show ? "text, lines or json" : "table, json or lines (ids only)");
  if (show) options.add_options()("doc", po::value(&o.doc)->required(), "document id");
  po::positional_options_description positional;
  if (show) positional.add("doc", 1);
  if (!parse({args.begin() + 1, args.end()}, options, positional,
             show ? "qcode docs show DOC [--format text|json|lines]"
                  : "qcode docs list [--format table|json|lines]",
             show ? "Prints one document. Offsets in json count Unicode code points from 0."
                  : "Lists the project's documents in import order.",
             io, &o.project))
    return 0;
  using coding::format;
  const auto p = open_project(o.project);
  if (!show) {
    const auto f = coding::parse_format(o.format, {format::table, format::json, format::lines});
    coding::write_document_list(io.out, p.documents().list(), f);
    return 0;
  }
  const auto f = coding::parse_format(o.format, {format::text, format::lines, format::json});
  const auto& id = o.doc;
  const auto doc = p.documents().find(id);
  if (!doc)
    throw coding::input_error(coding::unknown_message("document", id, "", p.documents().ids()));
  coding::write_document(io.out, *doc, f);
  return 0;
}

}  // namespace qcode
