#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

namespace {

struct cases_list_options {
  std::string format;
  std::string project;
};

int cases_list(const std::vector<std::string>& args, io io) {
  cases_list_options o;
  po::options_description options("options");
  options.add_options()("format,f", po::value(&o.format)->default_value("table"),
                        "table, csv or json");
  if (!parse(args, options, {}, "qcode cases list [--format table|csv|json]",
             "Lists every case with its label and attributes, and the documents it speaks in:\n"
             "'G01 (3 turns)' for turns of a group discussion, 'J01 (interview, 40 turns)' for a\n"
             "one-to-one interview, '(speaks nowhere)' for a case no passage can count for.",
             io, &o.project))
    return 0;
  using coding::format;
  const auto f = coding::parse_format(o.format, {format::table, format::csv, format::json});
  const auto p = open_project(o.project);
  coding::write_case_list(io.out, coding::list_cases(coding::load_corpus(p, false, false)), f);
  return 0;
}

struct cases_import_options {
  std::string file;
  std::string project;
};

int cases_import(const std::vector<std::string>& args, io io) {
  cases_import_options o;
  po::options_description options("options");
  options.add_options()("file", po::value(&o.file)->required(), "the cases CSV file");
  po::positional_options_description positional;
  positional.add("file", 1);
  if (!parse(args, options, positional, "qcode cases import CASES.csv [-p FILE.qcode]",
             "Sets case attributes from CSV: the first column 'case', then one column per\n"
             "attribute; a 'label' column sets the case's label. Empty cells are left unset.\n"
             "Rows with 'doc' and 'speaker' columns map that speaker label in that document to\n"
             "the case, creating it: the way to name the speakers of a .vtt, .srt or .docx file.\n"
             "A row with 'doc' and an empty 'speaker' declares the document a one-to-one\n"
             "interview with the case. Mappings stay with the document when it is re-imported.",
             io, &o.project))
    return 0;
  const auto& path = o.file;
  const auto rows = coding::parse_cases_csv(coding::read_file(path), path);
  auto p = open_project(o.project);
  const auto r = p.cases().apply(rows);
  using coding::plural;
  io.err << fmt::format("set attributes of {} from {}", plural(r.rows, "case", "cases"), path);
  if (r.speakers) io.err << fmt::format("; mapped {}", plural(r.speakers, "speaker", "speakers"));
  if (r.documents)
    io.err << fmt::format("; declared {} one-to-one", plural(r.documents, "document", "documents"));
  if (!r.new_cases.empty()) io.err << fmt::format("; new cases: {}", fmt::join(r.new_cases, ", "));
  io.err << '\n';
  return 0;
}

}  // namespace

int cmd_cases(const std::vector<std::string>& args, io io) {
  return run_subcommand(
      "cases", args, io,
      "usage: qcode cases list [--format table|csv|json]\n"
      "       qcode cases import CASES.csv [-p FILE.qcode]\n\n"
      "list shows every case, its attributes and the documents it speaks in. import sets\n"
      "case attributes from a CSV file whose first column is 'case' and whose other\n"
      "columns are attributes (group, district, role, ...). Every case must already exist\n"
      "(cases come from imported transcripts), except in rows with a 'doc' column, which\n"
      "map a speaker label in that document to the case ('speaker' column) or declare the\n"
      "document one-to-one with the case (no speaker).\n",
      {{"list", cases_list}, {"import", cases_import}});
}

}  // namespace qcode
