#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

int cmd_export(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("format", po::value<std::string>(),
                        "qdpx (the whole project) or qdc (the codebook)")(
      "output,o", po::value<std::string>(), "the file to write ('-' for standard output)");
  po::positional_options_description positional;
  positional.add("format", 1);
  po::variables_map vm;
  if (!parse(args, options, positional, vm, "qcode export qdpx|qdc -o FILE",
             "Exports the project for other QDA programs (NVivo, ATLAS.ti, MAXQDA, QualCoder) in\n"
             "the REFI-QDA standard. 'qdpx' writes the whole project: the transcripts, the\n"
             "framework as the codebook, cases and their attributes, the coders, every coding\n"
             "with its coder and date, coding memos and chart summaries. 'qdc' writes the\n"
             "codebook alone. Every entity keeps one GUID, so two exports of a project agree.\n"
             "What maps to what is in docs/refi.md.",
             io))
    return 0;
  const std::vector<std::string> formats = {"qdpx", "qdc"};
  const auto format = vm.count("format") ? vm["format"].as<std::string>() : std::string();
  if (format != "qdpx" && format != "qdc") unknown_subcommand("export", format, formats);
  if (!vm.count("output"))
    throw coding::input_error(
        fmt::format("'qcode export {}' needs -o FILE.{} (the file to write)", format, format));

  const auto p = open_project(vm);
  if (format == "qdpx") {
    const auto docs = p.documents().list().size();
    const auto fw = p.get_framework();
    const auto codes = fw ? fw->codes.size() : 0;
    const auto codings = p.codings().list().size();
    auto count = [](std::size_t n, std::string_view what) {
      return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
    };
    write_output(vm, io,
                 fmt::format("REFI-QDA project ({}, {}, {})", count(docs, "document"),
                             count(codes, "code"), count(codings, "coding")),
                 [&](std::ostream& out) { coding::export_qdpx(p, out); });
  } else {
    const auto fw = p.get_framework();
    const auto codes = fw ? fw->codes.size() : 0;
    write_output(vm, io, fmt::format("REFI-QDA codebook ({} code{})", codes, codes == 1 ? "" : "s"),
                 [&](std::ostream& out) { coding::export_qdc(p, out); });
  }
  return 0;
}

}  // namespace qcode
