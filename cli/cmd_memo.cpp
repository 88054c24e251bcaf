// qcode memo: shows or sets the memo of a document or a case.

#include <fmt/format.h>

#include "command.hpp"

namespace qcode {
namespace {

struct memo_command_options {
  std::string id;
  std::optional<std::string> text;
  bool doc = false;
  bool case_ = false;
  std::string project;
};

}  // namespace

int cmd_memo(const std::vector<std::string>& args, io io) {
  memo_command_options o;
  po::options_description options("options");
  options.add_options()("id", po::value(&o.id)->required(), "document or case id")(
      "text", optional_value(&o.text), "the memo's new text (\"\" removes it)")(
      "doc", po::bool_switch(&o.doc), "ID is a document")("case", po::bool_switch(&o.case_),
                                                          "ID is a case");
  po::positional_options_description positional;
  positional.add("id", 1).add("text", 1);
  if (!parse(args, options, positional, "qcode memo ID [TEXT] [--doc | --case]",
             "Prints the memo of document or case ID, or with TEXT sets it (an empty TEXT,\n"
             "\"\", removes it). ID names a document or a case; when it names both, say which\n"
             "with --doc or --case. A re-import keeps a document's memo; 'qcode undo' reverts\n"
             "a change.",
             io, &o.project))
    return 0;
  if (o.doc && o.case_) throw coding::input_error("--doc and --case cannot both be given");
  auto p = open_project(o.project);
  const bool is_doc = p.documents().memo(o.id).has_value();
  const bool is_case = p.cases().find(o.id).has_value();
  bool doc = o.doc;
  if (!o.doc && !o.case_) {
    if (is_doc && is_case)
      throw coding::input_error(
          fmt::format("'{}' is both a document and a case; say which with --doc or --case", o.id));
    if (!is_doc && !is_case) {
      auto ids = p.documents().ids();
      for (const auto& c : p.cases().list()) ids.push_back(c.id);
      throw coding::input_error(coding::unknown_message("document or case", o.id, "", ids));
    }
    doc = is_doc;
  }
  const std::string kind = doc ? "document" : "case";
  if (o.text) {
    if (doc)
      p.documents().set_memo(o.id, *o.text);
    else
      p.cases().set_memo(o.id, *o.text);
    io.err << fmt::format("{} the memo of {} '{}'\n", o.text->empty() ? "removed" : "set", kind,
                          o.id);
    return 0;
  }
  std::optional<std::string> memo;
  if (doc) {
    memo = p.documents().memo(o.id);
    if (!memo)
      throw coding::input_error(coding::unknown_message("document", o.id, "", p.documents().ids()));
  } else {
    const auto c = p.cases().find(o.id);
    if (!c) {
      std::vector<std::string> ids;
      for (const auto& x : p.cases().list()) ids.push_back(x.id);
      throw coding::input_error(coding::unknown_message("case", o.id, "", ids));
    }
    memo = c->memo;
  }
  if (memo->empty())
    io.err << fmt::format("{} '{}' has no memo\n", kind, o.id);
  else
    io.out << *memo << (memo->back() == '\n' ? "" : "\n");
  return 0;
}

}  // namespace qcode
