#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

int cmd_cases(const std::vector<std::string>& args, io io) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    io.out << "usage: qcode cases import CASES.csv [-p FILE.qcode]\n\n"
              "Sets case attributes from a CSV file whose first column is 'case' and whose\n"
              "other columns are attributes (group, district, role, ...). Every case must\n"
              "already exist (cases come from imported transcripts), except in rows with 'doc'\n"
              "and 'speaker' columns, which map that speaker label in that document to the case.\n";
    return 0;
  }
  if (args.empty() || args[0] != "import") unknown_subcommand("cases", args.empty() ? "" : args[0], {"import"});
  po::options_description options("options");
  options.add_options()("file", po::value<std::string>()->required(), "the cases CSV file");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse({args.begin() + 1, args.end()}, options, positional, vm,
             "qcode cases import CASES.csv [-p FILE.qcode]",
             "Sets case attributes from CSV: the first column 'case', then one column per\n"
             "attribute; a 'label' column sets the case's label. Empty cells are left unset.\n"
             "Rows with 'doc' and 'speaker' columns map that speaker label in that document to\n"
             "the case, creating it: the way to name the speakers of a .vtt, .srt or .docx file.",
             io))
    return 0;
  const auto path = vm["file"].as<std::string>();
  const auto rows = coding::parse_cases_csv(coding::read_file(path), path);
  auto p = open_project(vm);
  const auto n = p.import_cases(rows);
  io.err << fmt::format("set attributes of {} case{} from {}\n", n, n == 1 ? "" : "s", path);
  return 0;
}

}  // namespace qcode
