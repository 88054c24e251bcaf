#include "command.hpp"
#include "passages.hpp"

namespace qcode {
namespace {

struct words_command_options {
  std::optional<std::string> by;
  std::size_t top = 0;
  bool all_words = false;
  std::vector<std::string> docs;
  std::string format;
  bool keep_fillers = false;
  std::optional<std::string> stop_words;
  std::string project;
};

}  // namespace

int cmd_words(const std::vector<std::string>& args, io io) {
  words_command_options o;
  po::options_description options("options");
  options.add_options()("by", optional_value(&o.by),
                        "one column per value of this case attribute, e.g. group")(
      "top,n", po::value(&o.top)->default_value(0), "only the N most frequent words (0: all)")(
      "all-words", po::bool_switch(&o.all_words),
      "keep common English stop words (the, and, it, ...) and spoken fillers")(
      "doc", po::value(&o.docs)->composing(), "count only this document (repeatable)")(
      "format,f", po::value(&o.format)->default_value("table"), "table or json")(
      "keep-fillers", po::bool_switch(&o.keep_fillers),
      "keep spoken fillers (um, uh, like, yeah, you know, kind of, ...)")(
      "stop-words", optional_value(&o.stop_words)->value_name("FILE"),
      "also leave out the words and phrases in FILE (one a line, # comments)");
  if (!parse(
          args, options, {},
          "qcode words [--by ATTR] [--top N] [--all-words | --keep-fillers] [--stop-words FILE]\n"
          "            [--doc DOC]... [--format table|json]",
          "Counts the words that cases said (turns spoken by a case; the whole text of a\n"
          "document without turns), case-folded, without stop words and spoken fillers\n"
          "unless --all-words (fillers only: --keep-fillers). --stop-words FILE leaves out\n"
          "its words and phrases too; with --all-words, only those.",
          io, &o.project))
    return 0;
  using coding::format;
  const auto f = coding::parse_format(o.format, {format::table, format::json});
  coding::word_options wo;
  if (o.by) wo.by = *o.by;
  wo.top = o.top;
  wo.keep_stop_words = o.all_words;
  wo.docs = o.docs;
  wo.keep_fillers = o.keep_fillers;
  if (o.stop_words) wo.stop_words = coding::read_stop_words(*o.stop_words);
  const auto p = open_project(o.project);
  coding::write_word_frequencies(
      io.out, coding::compute_word_frequencies(coding::load_corpus(p, true), wo), f);
  return 0;
}

}  // namespace qcode
