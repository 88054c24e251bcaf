#include <fmt/format.h>

#include "command.hpp"

namespace qcode {
namespace {

// "IV=interviewer,R=C07" -> {IV: interviewer, R: C07}
std::map<std::string, std::string> parse_speakers(const std::string& spec) {
  std::map<std::string, std::string> out;
  std::size_t begin = 0;
  while (begin <= spec.size()) {
    auto comma = spec.find(',', begin);
    if (comma == std::string::npos) comma = spec.size();
    const auto item = spec.substr(begin, comma - begin);
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw coding::input_error(fmt::format(
          "malformed --speakers item '{}': expected LABEL=CASE (or LABEL=interviewer), "
          "separated by commas",
          item));
    out[item.substr(0, eq)] = item.substr(eq + 1);
    begin = comma + 1;
  }
  return out;
}

}  // namespace

int cmd_import(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("files", po::value<std::vector<std::string>>()->required(),
                        "transcript files (.txt, .md)")(
      "speakers", po::value<std::string>(),
      "map speaker labels to cases: LABEL=CASE,... (CASE 'interviewer' for a non-respondent)");
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  if (!parse(args, options, positional, vm, "qcode import FILE... [--speakers LABEL=CASE,...]",
             "Imports transcripts. Each file may open with YAML front matter (id, title, case,\n"
             "attributes, speakers, cases); see docs/transcript-format.md. The import is all or\n"
             "nothing: a bad file leaves the project unchanged.",
             io))
    return 0;
  coding::transcript_options topts;
  if (vm.count("speakers")) topts.speakers = parse_speakers(vm["speakers"].as<std::string>());
  std::vector<coding::document> docs;
  for (const auto& path : vm["files"].as<std::vector<std::string>>())
    docs.push_back(coding::load_transcript(path, topts));
  auto p = open_project(vm);
  const auto result = p.import_documents(docs);
  for (const auto& doc : docs) {
    const char* what = std::find(result.added.begin(), result.added.end(), doc.id) != result.added.end()
                           ? "imported"
                       : std::find(result.replaced.begin(), result.replaced.end(), doc.id) !=
                               result.replaced.end()
                           ? "replaced"
                           : "unchanged";
    std::size_t unmapped = 0;
    for (const auto& s : doc.speakers) unmapped += !s.case_id && !coding::is_interviewer_label(s.label);
    io.err << fmt::format("{} {} from {}: {} characters, {} turns, {} speakers", what, doc.id,
                          doc.source_name, doc.length, doc.turns.size(), doc.speakers.size());
    if (unmapped) io.err << fmt::format(" ({} not mapped to a case)", unmapped);
    io.err << '\n';
  }
  io.err << fmt::format("{} imported, {} replaced, {} unchanged\n", result.added.size(),
                        result.replaced.size(), result.unchanged.size());
  return 0;
}

}  // namespace qcode
