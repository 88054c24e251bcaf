#include "command.hpp"
#include "passages.hpp"

namespace qcode {

int cmd_words(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("by", po::value<std::string>(),
                        "one column per value of this case attribute, e.g. group")(
      "top,n", po::value<std::size_t>()->default_value(0),
      "only the N most frequent words (0: all)")(
      "all-words", po::bool_switch(),
      "keep common English stop words (the, and, it, ...) and spoken fillers")(
      "doc", po::value<std::vector<std::string>>()->composing(),
      "count only this document (repeatable)")(
      "format,f", po::value<std::string>()->default_value("table"), "table or json")(
      "keep-fillers", po::bool_switch(),
      "keep spoken fillers (um, uh, like, yeah, you know, kind of, ...)")(
      "stop-words", po::value<std::string>()->value_name("FILE"),
      "also leave out the words and phrases in FILE (one a line, # comments)");
  po::variables_map vm;
  if (!parse(
          args, options, {}, vm,
          "qcode words [--by ATTR] [--top N] [--all-words | --keep-fillers] [--stop-words FILE]\n"
          "            [--doc DOC]... [--format table|json]",
          "Counts the words that cases said (turns spoken by a case; the whole text of a\n"
          "document without turns), case-folded, without stop words and spoken fillers\n"
          "unless --all-words (fillers only: --keep-fillers). --stop-words FILE leaves out\n"
          "its words and phrases too; with --all-words, only those.",
          io))
    return 0;
  using coding::format;
  const auto f =
      coding::parse_format(vm["format"].as<std::string>(), {format::table, format::json});
  coding::word_options wo;
  if (vm.count("by")) wo.by = vm["by"].as<std::string>();
  wo.top = vm["top"].as<std::size_t>();
  wo.keep_stop_words = vm["all-words"].as<bool>();
  if (vm.count("doc")) wo.docs = vm["doc"].as<std::vector<std::string>>();
  wo.keep_fillers = vm["keep-fillers"].as<bool>();
  if (vm.count("stop-words"))
    wo.stop_words = coding::read_stop_words(vm["stop-words"].as<std::string>());
  const auto p = open_project(vm);
  coding::write_word_frequencies(io.out, coding::compute_word_frequencies(load_texts(p), wo), f);
  return 0;
}

}  // namespace qcode
