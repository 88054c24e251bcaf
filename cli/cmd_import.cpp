#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "command.hpp"
#include "progress.hpp"

namespace qcode {
namespace {

struct import_command_options {
  std::vector<std::string> files;
  std::vector<std::string> speakers;
  std::optional<std::string> case_id;
  std::optional<std::string> encoding;
  bool accept_changes = false;
  bool dry_run = false;
  bool keep_going = false;
  bool verbose = false;
  std::optional<std::string> coder;
  std::string project;
};

bool is_refi(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".qdpx" || ext == ".qdc";
}

using coding::plural;

// A REFI-QDA project or codebook, into the project named (created when it does not exist).
int import_refi(const std::string& path, const import_command_options& o, io io) {
  const std::pair<const char*, bool> transcript_only[] = {{"speakers", !o.speakers.empty()},
                                                          {"encoding", o.encoding.has_value()},
                                                          {"keep-going", o.keep_going},
                                                          {"case", o.case_id.has_value()}};
  for (const auto& [option, given] : transcript_only)
    if (given)
      throw coding::input_error(
          fmt::format("--{} applies to transcripts, not to a REFI-QDA file ('{}')", option, path));
  const auto project_path = coding::find_project_path(o.project);
  // A project named with -p or $QCODE_PROJECT that does not exist yet is created for the
  // import, and removed again when the import fails or is a dry run.
  bool created = false;
  if (!std::filesystem::exists(project_path)) {
    coding::project::create(project_path);
    created = true;
  }
  const auto remove_created = [&] {
    if (!created) return;
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(project_path + suffix, ec);
  };
  coding::refi_import_options options;
  options.dry_run = o.dry_run;
  options.accept_changes = o.accept_changes;
  if (o.coder) options.coder = *o.coder;
  coding::refi_import_result r;
  std::vector<std::pair<std::string, coding::span>> imported;  // codings, for the no-case warning
  try {
    auto p = open_project(o.project, o.dry_run);
    progress bar("importing", "documents");
    options.progress = bar.callback();
    r = coding::import_refi(p, path, options);
    bar.finish();
    if (!options.dry_run && r.codings_added > 0) {
      // Codings in the imported documents that count for no case (their speakers are not
      // mapped, or they lie in an interviewer's turns).
      std::set<std::string> docs(r.documents_added.begin(), r.documents_added.end());
      docs.insert(r.documents_replaced.begin(), r.documents_replaced.end());
      for (const auto& c : p.codings().list())
        if (docs.count(c.doc)) imported.push_back({c.doc, {c.start, c.end}});
    }
  } catch (...) {
    remove_created();
    throw;
  }
  if (options.dry_run) remove_created();

  std::string from;
  if (!r.origin.empty()) from += r.origin;
  if (!r.project_name.empty())
    from += fmt::format("{}project '{}'", from.empty() ? "" : ", ", r.project_name);
  io.err << fmt::format("imported {}{} into {}{}\n", path, from.empty() ? "" : " (" + from + ")",
                        project_path, created && !options.dry_run ? " (created)" : "");
  io.err << fmt::format("codes: {} added, {} already in the project\n", r.codes_added,
                        r.codes_matched);
  auto ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".qdpx") {
    io.err << fmt::format("documents: {} added, {} replaced, {} unchanged\n",
                          r.documents_added.size(), r.documents_replaced.size(),
                          r.documents_unchanged.size());
    io.err << fmt::format("cases: {} added, {} updated; {}\n", r.cases_added, r.cases_updated,
                          plural(r.variables, "variable", "variables"));
    io.err << fmt::format("codings: {} added, {} already present; {} with memos; {}\n",
                          r.codings_added, r.codings_present, r.memos,
                          plural(r.coders, "coder", "coders"));
    io.err << fmt::format("chart summaries: {}\n", r.summaries);
    if (r.queries > 0) io.err << fmt::format("saved queries: {}\n", r.queries);
    if (r.document_memos + r.case_memos > 0)
      io.err << fmt::format("memos: {} on documents, {} on cases\n", r.document_memos,
                            r.case_memos);
  }
  for (const auto& note : r.notes) io.err << "note: " << note << '\n';
  if (!r.not_imported.empty()) {
    io.err << "not carried over:\n";
    for (const auto& line : r.not_imported) io.err << "  " << line << '\n';
  }
  if (options.dry_run) io.err << "(dry run: nothing was changed)\n";
  if (!imported.empty()) warn_unattributed(open_project(o.project), imported, io);
  return 0;
}

// Whether a speaker of `doc` was remapped, vanished or appeared: worth a look.
bool speakers_changed(const coding::import_result& r, const std::string& doc) {
  return std::any_of(r.speakers.begin(), r.speakers.end(), [&](const coding::speaker_change& c) {
    return c.doc == doc && c.what != coding::speaker_change::kind::kept;
  });
}

// What became of a re-imported document's speaker mappings and its case.
void report_mappings(const coding::import_result& r, const std::string& doc, io io) {
  using kind = coding::speaker_change::kind;
  const auto role = [](const std::string& name) {
    return name.empty() ? std::string("not mapped") : name;
  };
  std::vector<std::string> kept;
  for (const auto& c : r.speakers) {
    if (c.doc != doc) continue;
    switch (c.what) {
      case kind::kept:
        kept.push_back(fmt::format("{}={}", c.label, c.now));
        break;
      case kind::remapped:
        io.err << fmt::format("  speaker '{}' remapped: {} -> {}\n", c.label, role(c.before),
                              role(c.now));
        break;
      case kind::vanished:
        io.err << fmt::format(
            "  speaker '{}' no longer occurs{}\n", c.label,
            c.before.empty() ? "" : fmt::format(" (it was {}; that mapping is dropped)", c.before));
        break;
      case kind::appeared:
        io.err << fmt::format(
            "  new speaker '{}': {}{}\n", c.label, role(c.now),
            c.now.empty() ? fmt::format(" (qcode speakers map {} '{}=CASE')", doc, c.label) : "");
        break;
    }
  }
  if (!kept.empty()) io.err << fmt::format("  kept speaker mappings: {}\n", fmt::join(kept, ", "));
  for (const auto& [d, c] : r.cases_kept)
    if (d == doc) io.err << fmt::format("  kept the document's case: {}\n", c);
}

}  // namespace

int cmd_import(const std::vector<std::string>& args, io io) {
  import_command_options o;
  const auto files_help =
      fmt::format("transcript files ({}), or one REFI-QDA project (.qdpx) or codebook (.qdc)",
                  fmt::join(coding::transcript_extensions(), ", "));
  po::options_description options("options");
  options.add_options()("files", po::value(&o.files)->required(), files_help.c_str())(
      "speakers", po::value(&o.speakers),
      "map speaker labels to cases: LABEL=CASE,... (CASE 'interviewer' for a non-respondent; "
      "repeatable; a label may hold commas: 'Hurst, Peter=P07')")(
      "case", optional_value(&o.case_id),
      "the case of a one-to-one interview: every passage of these files speaks for CASE")(
      "encoding", optional_value(&o.encoding),
      "read text files in this encoding (an ICU name such as windows-1252); default: detect")(
      "accept-changes", po::bool_switch(&o.accept_changes),
      "keep codings whose passage changed in a re-imported transcript, "
      "flagged for review")("dry-run", po::bool_switch(&o.dry_run),
                            "report what the import would do, and change nothing")(
      "keep-going", po::bool_switch(&o.keep_going),
      "import the good files and list the others with their reasons")(
      "verbose", po::bool_switch(&o.verbose),
      "a line for every file, also when there are more than 20")(
      "coder", optional_value(&o.coder),
      "coder of inline (QCODE) codings (default: $QCODE_CODER, "
      "else the login name)");
  po::positional_options_description positional;
  positional.add("files", -1);
  if (!parse(
          args, options, positional,
          "qcode import FILE... | FILE.qdpx | FILE.qdc [--speakers LABEL=CASE,...] [--case CASE] "
          "[--encoding NAME] "
          "[--accept-changes] "
          "[--dry-run] [--keep-going] [--verbose] [--coder NAME]",
          "Imports transcripts: .txt and .md (optional YAML front matter: id, title, case,\n"
          "attributes, speakers, cases), Word .docx, WebVTT .vtt and SubRip .srt; see\n"
          "docs/transcript-format.md. The import is one transaction: a bad file leaves the\n"
          "project unchanged (with --keep-going the good files are imported and exit status 2\n"
          "says some were not). A re-imported transcript with new text keeps its codings on\n"
          "their passages; codings whose passage changed are reported and the import refused,\n"
          "unless --accept-changes. Speaker mappings (--speakers, front matter, 'speakers map',\n"
          "'cases import') and a case given with --case stay with a re-imported document; labels\n"
          "that vanished or appeared are reported. With more than 20 files a summary replaces\n"
          "the line per file (--verbose brings them back); files with warnings, speakers to\n"
          "look at, or that failed are always listed.\n\n"
          "A REFI-QDA project (.qdpx) or codebook (.qdc) from NVivo, ATLAS.ti, MAXQDA,\n"
          "QualCoder or qcode is imported on its own: codes, cases, variables, documents,\n"
          "coders, codings, memos and chart summaries, matched to what the project holds by\n"
          "GUID. 'qcode -p NEW.qcode import FILE.qdpx' creates NEW.qcode when it does not\n"
          "exist. What could not be carried over is listed; see docs/refi.md.",
          io, &o.project))
    return 0;
  coding::transcript_options topts;
  topts.speakers = coding::parse_speaker_mappings(o.speakers, "--speakers");
  if (o.case_id) topts.case_id = *o.case_id;
  if (o.encoding) topts.encoding = *o.encoding;
  coding::import_options iopts;
  iopts.accept_changes = o.accept_changes;
  iopts.dry_run = o.dry_run;
  iopts.keep_going = o.keep_going;
  if (o.coder) iopts.coder = *o.coder;

  const auto& files = o.files;
  if (std::any_of(files.begin(), files.end(), is_refi)) {
    if (files.size() != 1)
      throw coding::input_error(
          "import a REFI-QDA file (.qdpx, .qdc) on its own, not with other files");
    return import_refi(files.front(), o, io);
  }

  auto p = open_project(o.project, o.dry_run);
  coding::import_batch batch(p, iopts);
  struct line {
    std::string id, text;
    std::vector<std::string> warnings;
  };
  // With many files, a summary instead of a line per file (issue 16).
  constexpr std::size_t summary_above = 20;
  const bool every_file = o.verbose || files.size() <= summary_above;
  std::size_t characters = 0, turns = 0, read = 0;
  std::vector<line> lines;
  std::vector<std::pair<std::string, coding::span>> inline_spans;  // for the no-case warning
  // Files are read and added one at a time, so that only one is in memory.
  progress bar("importing", "files", files.size());
  std::size_t done = 0;
  for (const auto& path : files) {
    bar.update(done++);
    coding::document doc;
    try {
      doc = coding::load_transcript(path, topts);
      // Read again knowing the labels the project has for this document, so that a
      // mapped label used once stays a label.
      auto known = p.documents().speaker_labels(doc.id);
      std::erase_if(known, [&](const std::string& label) {
        return std::any_of(doc.speakers.begin(), doc.speakers.end(),
                           [&](const coding::speaker_role& r) { return r.label == label; });
      });
      if (!known.empty()) {
        auto again = topts;
        again.known_labels = std::move(known);
        doc = coding::load_transcript(path, again);
      }
    } catch (const coding::input_error& e) {
      if (!iopts.keep_going) throw;
      batch.fail(path, e.what());
      continue;
    }
    std::string text = fmt::format("{} from {} ({}): {}, {}, {}", doc.id, doc.source_name,
                                   doc.encoding, plural(doc.length, "character", "characters"),
                                   plural(doc.turns.size(), "turn", "turns"),
                                   plural(doc.speakers.size(), "speaker", "speakers"));
    if (!doc.inline_codings.empty())
      text +=
          fmt::format(", {}", plural(doc.inline_codings.size(), "inline coding", "inline codings"));
    lines.push_back({doc.id, std::move(text), doc.warnings});
    ++read;
    characters += doc.length;
    turns += doc.turns.size();
    for (const auto& ic : doc.inline_codings) inline_spans.push_back({doc.id, {ic.start, ic.end}});
    batch.add(doc);
  }
  bar.update(files.size());
  const auto result = batch.finish();
  bar.finish();
  auto has = [](const std::vector<std::string>& v, const std::string& id) {
    return std::find(v.begin(), v.end(), id) != v.end();
  };
  std::set<std::string> said;
  std::size_t quiet_files = 0;
  for (const auto& l : lines) {
    if (!said.insert(l.id).second) continue;
    const char* what = has(result.added, l.id)       ? "imported"
                       : has(result.replaced, l.id)  ? "replaced"
                       : has(result.unchanged, l.id) ? "unchanged"
                                                     : nullptr;
    if (!what) continue;
    if (!every_file && l.warnings.empty() && !speakers_changed(result, l.id)) {
      ++quiet_files;
      continue;
    }
    io.err << what << ' ' << l.text;
    if (const auto it = result.unmapped.find(l.id); it != result.unmapped.end())
      io.err << fmt::format(" ({} not mapped to a case)", it->second.size());
    io.err << '\n';
    for (const auto& w : l.warnings) io.err << "warning: " << w << '\n';
    report_mappings(result, l.id, io);
  }
  if (result.moved)
    io.err << fmt::format("{} moved with {} passage{}\n", plural(result.moved, "coding", "codings"),
                          result.moved == 1 ? "its" : "their", result.moved == 1 ? "" : "s");
  if (!result.changed.empty()) {
    io.err << fmt::format(
        "{} whose passage changed {}:\n", plural(result.changed.size(), "coding", "codings"),
        iopts.dry_run ? "(would need --accept-changes)" : "(kept, flagged for review)");
    for (const auto& c : result.changed) io.err << "  " << coding::describe(c) << '\n';
  }
  for (const auto& [source, reason] : result.failed) io.err << "not imported: " << reason << '\n';
  if (!every_file) {
    std::size_t unmapped_docs = 0, unmapped = 0;
    for (const auto& [doc, labels] : result.unmapped) {
      ++unmapped_docs;
      unmapped += labels.size();
    }
    io.err << fmt::format("{} read: {}, {}", plural(read, "file", "files"),
                          plural(characters, "character", "characters"),
                          plural(turns, "turn", "turns"));
    if (unmapped > 0)
      io.err << fmt::format("; {} in {} not mapped to a case (qcode speakers list --unmapped)",
                            plural(unmapped, "speaker", "speakers"),
                            plural(unmapped_docs, "document", "documents"));
    io.err << fmt::format(" ({} not listed; --verbose lists every file)\n", quiet_files);
  }
  io.err << fmt::format("{} imported, {} replaced, {} unchanged", result.added.size(),
                        result.replaced.size(), result.unchanged.size());
  if (result.inline_codings)
    io.err << fmt::format(", {}", plural(result.inline_codings, "inline coding", "inline codings"));
  if (!result.failed.empty()) io.err << fmt::format(", {} not imported", result.failed.size());
  io.err << (iopts.dry_run ? " (dry run: nothing was changed)\n" : "\n");
  if (!iopts.dry_run && result.inline_codings) warn_unattributed(p, inline_spans, io);
  return result.failed.empty() ? 0 : 2;
}

}  // namespace qcode
