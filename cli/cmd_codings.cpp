#include <fmt/format.h>

#include "command.hpp"
#include "progress.hpp"

namespace qcode {
namespace {

struct recode_options {
  std::string from;
  std::string to;
  std::optional<std::string> coder;
  std::string project;
};

// import FILE, or export [--format] [-o].
struct codings_options {
  std::string file;
  std::string format;
  std::string output;
  std::string project;
};

}  // namespace

int cmd_codings(const std::vector<std::string>& args, io io) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    io.out << "usage: qcode codings import FILE.csv|FILE.json\n"
              "       qcode codings export [--format csv|json] [-o FILE]\n"
              "       qcode codings recode --from CODE --to CODE [--coder NAME]\n\n"
              "import checks every row (document, code, range, and the text column when given)\n"
              "and adds all of them or none; export writes every coding with its text and\n"
              "who it speaks for (case, group and speaker columns).\n";
    return 0;
  }
  if (!args.empty() && args[0] == "recode") {
    recode_options o;
    po::options_description options("options");
    options.add_options()("from", po::value(&o.from)->required(), "the code to move codings from")(
        "to", po::value(&o.to)->required(), "the code to move them to")(
        "coder", optional_value(&o.coder), "move only this coder's codings");
    if (!parse(
            {args.begin() + 1, args.end()}, options, {},
            "qcode codings recode --from CODE --to CODE [--coder NAME]",
            "Moves codings from one code to another (one coder's, or everyone's). A coding that\n"
            "would duplicate one already on the target code is merged into it.",
            io, &o.project))
      return 0;
    auto p = open_project(o.project);
    const auto &from = o.from, &to = o.to;
    const auto [moved, merged] = p.codings().recode(from, to, o.coder);
    io.err << fmt::format("recoded {} from {} to {}", coding::plural(moved, "coding", "codings"),
                          from, to);
    if (merged) io.err << fmt::format(" ({} merged into identical codings of {})", merged, to);
    io.err << '\n';
    return 0;
  }
  if (args.empty() || (args[0] != "import" && args[0] != "export"))
    unknown_subcommand("codings", args.empty() ? "" : args[0], {"import", "export", "recode"});
  const bool import = args[0] == "import";
  codings_options o;
  po::options_description options("options");
  po::positional_options_description positional;
  if (import) {
    options.add_options()("file", po::value(&o.file)->required(), "codings .csv or .json");
    positional.add("file", 1);
  } else {
    options.add_options()("format", po::value(&o.format)->default_value("csv"), "csv or json")(
        "output,o", po::value(&o.output), "write to this file instead of standard output");
  }
  if (!parse(
          {args.begin() + 1, args.end()}, options, positional,
          import ? "qcode codings import FILE.csv|FILE.json"
                 : "qcode codings export [--format csv|json] [-o FILE]",
          import
              ? "Imports codings. CSV columns: doc,start,end,code,coder[,memo][,text][,created]\n"
                "(start and end in Unicode code points from 0, end exclusive). A row whose\n"
                "text does not match the document at its span is rejected. Codings already\n"
                "present (same document, span, code and coder) are left alone."
              : "Exports every coding with its text, in document order, and who it speaks for:\n"
                "its cases, their groups and the speakers of the turns it overlaps (several\n"
                "joined by \"; \"). codings import reads the export back and ignores these.",
          io, &o.project))
    return 0;
  if (import) {
    const auto& path = o.file;
    const auto rows = coding::read_codings(path);
    auto p = open_project(o.project);
    progress bar("importing", "codings", rows.size());
    const auto result = p.codings().add(rows, bar.callback());
    bar.finish();
    io.err << fmt::format("imported {} from {}", coding::plural(result.added, "coding", "codings"),
                          path);
    if (result.duplicates)
      io.err << fmt::format(" ({} already present, left alone)", result.duplicates);
    io.err << '\n';
    std::vector<std::pair<std::string, coding::span>> passages;
    for (const auto& r : rows) passages.push_back({r.doc, {r.start, r.end}});
    warn_unattributed(p, passages, io);
    return 0;
  }
  using coding::format;
  const auto f = coding::parse_format(o.format, {format::csv, format::json});
  const auto p = open_project(o.project);
  const auto codings = p.codings().list(true);
  // Who each coding speaks for needs the turns and cases, not the texts; without a
  // framework the grouping attribute is the default one.
  const auto s = coding::load_corpus(p, false, false);
  const coding::speaker_index who(s);
  write_output(o.output, io, "codings",
               [&](std::ostream& out) { coding::write_codings(out, codings, f, who); });
  return 0;
}

}  // namespace qcode
