#include <fmt/format.h>

#include <set>

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
                        "transcript files (.txt, .md, .docx, .vtt, .srt)")(
      "speakers", po::value<std::string>(),
      "map speaker labels to cases: LABEL=CASE,... (CASE 'interviewer' for a non-respondent)")(
      "encoding", po::value<std::string>(),
      "read text files in this encoding (an ICU name such as windows-1252); default: detect")(
      "accept-changes", "keep codings whose passage changed in a re-imported transcript, "
                        "flagged for review")(
      "dry-run", "report what the import would do, and change nothing")(
      "keep-going", "import the good files and list the others with their reasons")(
      "coder", po::value<std::string>(), "coder of inline (QCODE) codings (default: $QCODE_CODER, "
                                         "else the login name)");
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  if (!parse(args, options, positional, vm,
             "qcode import FILE... [--speakers LABEL=CASE,...] [--encoding NAME] [--accept-changes] "
             "[--dry-run] [--keep-going] [--coder NAME]",
             "Imports transcripts: .txt and .md (optional YAML front matter: id, title, case,\n"
             "attributes, speakers, cases), Word .docx, WebVTT .vtt and SubRip .srt; see\n"
             "docs/transcript-format.md. The import is one transaction: a bad file leaves the\n"
             "project unchanged (with --keep-going the good files are imported and exit status 2\n"
             "says some were not). A re-imported transcript with new text keeps its codings on\n"
             "their passages; codings whose passage changed are reported and the import refused,\n"
             "unless --accept-changes.",
             io))
    return 0;
  coding::transcript_options topts;
  if (vm.count("speakers")) topts.speakers = parse_speakers(vm["speakers"].as<std::string>());
  if (vm.count("encoding")) topts.encoding = vm["encoding"].as<std::string>();
  coding::import_options iopts;
  iopts.accept_changes = vm.count("accept-changes") > 0;
  iopts.dry_run = vm.count("dry-run") > 0;
  iopts.keep_going = vm.count("keep-going") > 0;
  if (vm.count("coder")) iopts.coder = vm["coder"].as<std::string>();

  auto p = open_project(vm);
  coding::import_batch batch(p, iopts);
  struct line {
    std::string id, text;
  };
  std::vector<line> lines;
  // Files are read and added one at a time, so that only one is in memory.
  for (const auto& path : vm["files"].as<std::vector<std::string>>()) {
    coding::document doc;
    try {
      doc = coding::load_transcript(path, topts);
    } catch (const coding::input_error& e) {
      if (!iopts.keep_going) throw;
      batch.fail(path, e.what());
      continue;
    }
    std::size_t unmapped = 0;
    for (const auto& s : doc.speakers) {
      const auto given = topts.speakers.find(s.label);
      const bool interviewer = given != topts.speakers.end()
                                   ? (given->second == "interviewer" || given->second == "moderator")
                                   : coding::is_interviewer_label(s.label);
      unmapped += !s.case_id && !s.label.empty() && !interviewer;
    }
    auto count = [](std::size_t n, std::string_view what) {
      return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
    };
    std::string text = fmt::format("{} from {} ({}): {}, {}, {}", doc.id, doc.source_name, doc.encoding,
                                   count(doc.length, "character"), count(doc.turns.size(), "turn"),
                                   count(doc.speakers.size(), "speaker"));
    if (unmapped) text += fmt::format(" ({} not mapped to a case)", unmapped);
    if (!doc.inline_codings.empty())
      text += fmt::format(", {}", count(doc.inline_codings.size(), "inline coding"));
    lines.push_back({doc.id, std::move(text)});
    batch.add(doc);
  }
  const auto result = batch.finish();
  auto has = [](const std::vector<std::string>& v, const std::string& id) {
    return std::find(v.begin(), v.end(), id) != v.end();
  };
  std::set<std::string> said;
  for (const auto& l : lines) {
    if (!said.insert(l.id).second) continue;
    const char* what = has(result.added, l.id)      ? "imported"
                       : has(result.replaced, l.id) ? "replaced"
                       : has(result.unchanged, l.id) ? "unchanged"
                                                     : nullptr;
    if (what) io.err << what << ' ' << l.text << '\n';
  }
  if (result.moved)
    io.err << fmt::format("{} coding{} moved with {} passage{}\n", result.moved, result.moved == 1 ? "" : "s",
                          result.moved == 1 ? "its" : "their", result.moved == 1 ? "" : "s");
  if (!result.changed.empty()) {
    io.err << fmt::format("{} coding{} whose passage changed {}:\n", result.changed.size(),
                          result.changed.size() == 1 ? "" : "s",
                          iopts.dry_run ? "(would need --accept-changes)" : "(kept, flagged for review)");
    for (const auto& c : result.changed) io.err << "  " << coding::describe(c) << '\n';
  }
  for (const auto& [source, reason] : result.failed) io.err << "not imported: " << reason << '\n';
  io.err << fmt::format("{} imported, {} replaced, {} unchanged", result.added.size(), result.replaced.size(),
                        result.unchanged.size());
  if (result.inline_codings)
    io.err << fmt::format(", {} inline coding{}", result.inline_codings, result.inline_codings == 1 ? "" : "s");
  if (!result.failed.empty()) io.err << fmt::format(", {} not imported", result.failed.size());
  io.err << (iopts.dry_run ? " (dry run: nothing was changed)\n" : "\n");
  return result.failed.empty() ? 0 : 2;
}

}  // namespace qcode
