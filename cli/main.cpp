// qcode: the command-line front end of libcoding. This file holds the table of commands
// and the one place where errors become messages and exit codes.

#include <fmt/format.h>

#include <iostream>
#include <system_error>

#include "command.hpp"
#include "progress.hpp"

namespace qcode {

int cmd_init(const std::vector<std::string>&, io);
int cmd_framework(const std::vector<std::string>&, io);
int cmd_import(const std::vector<std::string>&, io);
int cmd_cases(const std::vector<std::string>&, io);
int cmd_speakers(const std::vector<std::string>&, io);
int cmd_docs(const std::vector<std::string>&, io);
int cmd_code(const std::vector<std::string>&, io);
int cmd_codings(const std::vector<std::string>&, io);
int cmd_uncode(const std::vector<std::string>&, io);
int cmd_memo(const std::vector<std::string>&, io);
int cmd_copy(const std::vector<std::string>&, io);
int cmd_merge(const std::vector<std::string>&, io);
int cmd_matrix(const std::vector<std::string>&, io);
int cmd_cooccur(const std::vector<std::string>&, io);
int cmd_chart(const std::vector<std::string>&, io);
int cmd_summary(const std::vector<std::string>&, io);
int cmd_report(const std::vector<std::string>&, io);
int cmd_export(const std::vector<std::string>&, io);
int cmd_search(const std::vector<std::string>&, io);
int cmd_words(const std::vector<std::string>&, io);
int cmd_check(const std::vector<std::string>&, io);
int cmd_log(const std::vector<std::string>&, io);
int cmd_undo(const std::vector<std::string>&, io);
int cmd_redo(const std::vector<std::string>&, io);
int cmd_serve(const std::vector<std::string>&, io);
int cmd_agreement(const std::vector<std::string>&, io);
int cmd_query(const std::vector<std::string>&, io);

namespace {

// The import command's summary names the extensions the corpus layer reads.
std::string_view import_summary() {
  static const std::string summary = fmt::format("import transcripts ({}) into the project",
                                                 fmt::join(coding::transcript_extensions(), ", "));
  return summary;
}

}  // namespace

const std::vector<command>& commands() {
  static const std::vector<command> table = {
      {"init", cmd_init, "create a project file, optionally with a framework"},
      {"framework", cmd_framework,
       "check a framework file; show, update or export the project's framework"},
      {"import", cmd_import, import_summary()},
      {"cases", cmd_cases, "list the cases and where they speak; import case attributes from CSV"},
      {"speakers", cmd_speakers, "list the speakers of each document and map them to cases"},
      {"docs", cmd_docs, "list the documents, or show one as text, numbered lines or JSON"},
      {"code", cmd_code, "code passages: by characters, lines, turns, speaker or search"},
      {"uncode", cmd_uncode, "remove a code from passages (trimming or splitting codings)"},
      {"codings", cmd_codings, "import or export codings as CSV or JSON"},
      {"memo", cmd_memo, "show or set the memo of a document or a case"},
      {"copy", cmd_copy, "copy the project with only some coders' codings, for a blind coder"},
      {"merge", cmd_merge, "bring another project's codings, codes, cases and summaries in"},
      {"search", cmd_search,
       "find words or patterns in the transcripts, in context; code the hits"},
      {"words", cmd_words, "count the words cases said, overall or by respondent group"},
      {"matrix", cmd_matrix, "print a Framework matrix: themes or codes by respondent group"},
      {"chart", cmd_chart, "print a theme's Framework chart: cases by sub-theme, with summaries"},
      {"summary", cmd_summary, "write, draft, export and import the chart's summaries"},
      {"agreement", cmd_agreement,
       "how far coders agree (kappa, alpha; by character, segment, turn, document or case)"},
      {"query", cmd_query,
       "find passages by codes, speakers and groups together (AND, NOT, NEAR, ...)"},
      {"cooccur", cmd_cooccur, "count the passages where two codes apply together"},
      {"report", cmd_report, "write a complete study report (Markdown, HTML or Word)"},
      {"export", cmd_export,
       "export the project (.qdpx) or its codebook (.qdc) for other QDA programs"},
      {"serve", cmd_serve,
       "open the coding workbench in the browser: read, highlight and code, chart, undo"},
      {"log", cmd_log, "list the changes made to the project, oldest first"},
      {"undo", cmd_undo, "revert the last change (or the last N)"},
      {"redo", cmd_redo, "re-apply what undo reverted"},
      {"check", cmd_check, "check the project's integrity"},
  };
  return table;
}

namespace {

void print_help(std::ostream& out) {
  out << "usage: qcode [--version] [--help] [--quiet] COMMAND [ARGS] [-p FILE.qcode]\n\n"
         "qcode codes interview transcripts against a thematic framework and charts the\n"
         "results as Framework-method matrices.\n\ncommands:\n";
  for (const auto& c : commands()) out << fmt::format("  {:<10} {}\n", c.name, c.summary);
  out << "\n'qcode COMMAND --help' describes a command. Exit status: 0 success, 1 failure,\n"
         "2 bad usage or bad input.\n";
}

// The command line as history records it, with arguments quoted where needed.
std::string command_line(const std::vector<std::string>& args) {
  std::string out = "qcode";
  for (const auto& a : args) {
    const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    if (plain) {
      out += " " + a;
      continue;
    }
    out += " '";
    for (const char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += "'";
  }
  return out;
}

int run(int argc, char** argv, io io) {
  std::vector<std::string> args(argv + 1, argv + argc);
  set_invocation(command_line(args), io.err);
  // Global -p/--project before the command is passed on to the command.
  std::vector<std::string> global;
  while (!args.empty() && (args[0] == "-p" || args[0] == "--project" ||
                           args[0].rfind("--project=", 0) == 0 || args[0] == "--quiet")) {
    if (args[0] == "--quiet") {  // no progress bars (see progress.hpp)
      set_quiet(true);
      args.erase(args.begin());
      continue;
    }
    const bool joined = args[0].rfind("--project=", 0) == 0;
    if (!joined && args.size() < 2) throw coding::input_error("-p/--project needs a file name");
    global.insert(global.end(), args.begin(), args.begin() + (joined ? 1 : 2));
    args.erase(args.begin(), args.begin() + (joined ? 1 : 2));
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help(io.out);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    io.out << "qcode " << coding::version() << '\n';
    return 0;
  }
  std::vector<std::string> names;
  for (const auto& c : commands()) {
    names.emplace_back(c.name);
    if (c.name != args[0]) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    rest.insert(rest.end(), global.begin(), global.end());
    return c.run(rest, io);
  }
  throw coding::input_error(coding::unknown_message("command", args[0], "", names) +
                            " (see 'qcode --help')");
}

}  // namespace
}  // namespace qcode

int main(int argc, char** argv) {
  using namespace qcode;
  // Large outputs (JSON of 200,000 codings) go through std::cout; C stdio never mixes in.
  std::ios::sync_with_stdio(false);
  io io{std::cout, std::cerr};
  try {
    return run(argc, argv, io);
  } catch (const coding::problems_error& e) {
    for (const auto& p : e.problems()) io.err << p.str() << '\n';
    io.err << "qcode: " << e.what() << '\n';
    return 2;
  } catch (const coding::input_error& e) {
    io.err << "qcode: " << e.what() << '\n';
    return 2;
  } catch (const po::error& e) {
    io.err << "qcode: " << e.what() << " (see --help)\n";
    return 2;
  } catch (const coding::error& e) {
    io.err << "qcode: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    io.err << "qcode: " << e.what() << '\n';
    return 1;
  }
}
