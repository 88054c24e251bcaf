#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "command.hpp"
#include "progress.hpp"

namespace qcode {
namespace {

bool have_pandoc() {
  return std::system("command -v pandoc >/dev/null 2>&1") == 0;
}

// Quotes a path for the shell.
std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct report_command_options {
  std::string format;
  std::size_t quotes = 0;
  std::string output;
  std::string project;
};

}  // namespace

int cmd_report(const std::vector<std::string>& args, io io) {
  report_command_options o;
  po::options_description options("options");
  options.add_options()("format,f", po::value(&o.format)->default_value("md"), "md, html or docx")(
      "quotes", po::value(&o.quotes)->default_value(3), "illustrative quotes per theme and group")(
      "output,o", po::value(&o.output), "write to this file instead of standard output");
  if (!parse(args, options, {}, "qcode report [--format md|html|docx] [--quotes N] [-o FILE]",
             "Writes a complete study report: an overview (documents, cases per group, coders,\n"
             "codings), the codebook with its guidance, the theme-by-group matrix, and for each\n"
             "theme its chart summaries and illustrative quotes per group with references.\n"
             "docx converts the Markdown with pandoc (apt-get install pandoc) and needs -o.",
             io, &o.project))
    return 0;
  const auto& name = o.format;
  const bool docx = name == "docx";
  using coding::format;
  const auto f = docx ? format::md : coding::parse_format(name, coding::report_formats());
  const auto& output = o.output;
  if (docx && (output.empty() || output == "-"))
    throw coding::input_error("--format docx writes a file: name it with -o REPORT.docx");
  if (docx && !have_pandoc())
    throw coding::input_error(
        "--format docx needs pandoc, which is not installed; install it (apt-get install pandoc) "
        "or "
        "write --format md or html and open that in your word processor");
  const auto p = open_project(o.project);
  progress bar("reporting", "themes");
  const auto r = coding::build_report(coding::load_study(p, true), o.quotes, bar.callback());
  bar.finish();
  if (!docx) {
    write_output(o.output, io, "report", [&](std::ostream& out) { coding::write(out, r, f); });
    return 0;
  }
  const auto md = fmt::format("{}.tmp-{}.md", output, ::getpid());
  {
    std::ofstream file(md, std::ios::binary);
    coding::write_report_markdown(file, r);
    if (!file) throw coding::error(fmt::format("cannot write '{}'", md));
  }
  const auto status = std::system(
      fmt::format("pandoc --from gfm --to docx -o {} {}", shell_quoted(output), shell_quoted(md))
          .c_str());
  std::filesystem::remove(md);
  if (status != 0) throw coding::error(fmt::format("pandoc could not write '{}'", output));
  io.err << fmt::format("wrote report to {}\n", output);
  return 0;
}

}  // namespace qcode
