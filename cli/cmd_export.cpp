#include <fmt/format.h>

#include "command.hpp"
#include "progress.hpp"

namespace qcode {
namespace {

struct export_command_options {
  std::string format;
  std::optional<std::string> output;
  std::string project;
};

}  // namespace

int cmd_export(const std::vector<std::string>& args, io io) {
  export_command_options o;
  po::options_description options("options");
  options.add_options()("format", po::value(&o.format),
                        "qdpx (the whole project) or qdc (the codebook)")(
      "output,o", optional_value(&o.output), "the file to write ('-' for standard output)");
  po::positional_options_description positional;
  positional.add("format", 1);
  if (!parse(args, options, positional, "qcode export qdpx|qdc -o FILE",
             "Exports the project for other QDA programs (NVivo, ATLAS.ti, MAXQDA, QualCoder) in\n"
             "the REFI-QDA standard. 'qdpx' writes the whole project: the transcripts, the\n"
             "framework as the codebook, cases and their attributes, the coders, every coding\n"
             "with its coder and date, coding memos and chart summaries. 'qdc' writes the\n"
             "codebook alone. Every entity keeps one GUID, so two exports of a project agree.\n"
             "What maps to what is in docs/refi.md.",
             io, &o.project))
    return 0;
  const std::vector<std::string> formats = {"qdpx", "qdc"};
  const auto& format = o.format;
  if (format != "qdpx" && format != "qdc") unknown_subcommand("export", format, formats);
  if (!o.output)
    throw coding::input_error(
        fmt::format("'qcode export {}' needs -o FILE.{} (the file to write)", format, format));

  const auto p = open_project(o.project);
  if (format == "qdpx") {
    const auto docs = p.documents().list().size();
    const auto fw = p.get_framework();
    const auto codes = fw ? fw->codes.size() : 0;
    const auto codings = p.codings().list().size();
    write_output(
        *o.output, io,
        fmt::format("REFI-QDA project ({}, {}, {})", coding::plural(docs, "document", "documents"),
                    coding::plural(codes, "code", "codes"),
                    coding::plural(codings, "coding", "codings")),
        [&](std::ostream& out) {
          progress bar("exporting", "documents", docs);
          coding::export_qdpx(p, out, bar.callback());
        });
  } else {
    const auto fw = p.get_framework();
    const auto codes = fw ? fw->codes.size() : 0;
    write_output(*o.output, io,
                 fmt::format("REFI-QDA codebook ({})", coding::plural(codes, "code", "codes")),
                 [&](std::ostream& out) { coding::export_qdc(p, out); });
  }
  return 0;
}

}  // namespace qcode
