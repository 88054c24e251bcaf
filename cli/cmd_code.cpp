#include <fmt/format.h>

#include "command.hpp"

namespace qcode {

int cmd_code(const std::vector<std::string>& args, io io) {
  po::options_description options("options");
  options.add_options()("doc", po::value<std::string>()->required(), "document id")(
      "chars", po::value<std::string>(), "code points A:B (0-based, end-exclusive)")(
      "lines", po::value<std::string>(), "lines A-B (1-based, both included)")(
      "turns", po::value<std::string>(), "turns A-B (1-based, both included)")(
      "code,c", po::value<std::string>()->required(), "full code id, e.g. choice.informed")(
      "coder", po::value<std::string>(), "who codes (default: $QCODE_CODER, else the login name)")(
      "memo", po::value<std::string>()->default_value(""), "a memo to attach to the coding");
  po::positional_options_description positional;
  positional.add("doc", 1);
  po::variables_map vm;
  if (!parse(args, options, positional, vm,
             "qcode code DOC (--chars A:B | --lines A-B | --turns A-B) --code CODE [--coder NAME] "
             "[--memo TEXT]",
             "Codes one passage of a document and prints it with its offsets.", io))
    return 0;
  const int selectors = static_cast<int>(vm.count("chars") + vm.count("lines") + vm.count("turns"));
  if (selectors != 1)
    throw coding::input_error("give exactly one of --chars A:B, --lines A-B or --turns A-B");
  auto p = open_project(vm);
  const auto id = vm["doc"].as<std::string>();
  const auto doc = p.find_document(id);
  if (!doc) throw coding::input_error(coding::unknown_message("document", id, "", p.document_ids()));
  const coding::span s = vm.count("chars")   ? coding::select_chars(*doc, vm["chars"].as<std::string>())
                         : vm.count("lines") ? coding::select_lines(*doc, vm["lines"].as<std::string>())
                                             : coding::select_turns(*doc, vm["turns"].as<std::string>());
  coding::new_coding c;
  c.doc = doc->id;
  c.start = s.start;
  c.end = s.end;
  c.code = vm["code"].as<std::string>();
  c.coder = vm.count("coder") ? vm["coder"].as<std::string>() : coding::default_coder();
  c.memo = vm["memo"].as<std::string>();
  const auto result = p.add_codings({c});
  const coding::text_index index(doc->text);
  io.err << fmt::format("{} {} ({}:{}) as {} by {}\n", result.added ? "coded" : "already coded",
                        coding::reference(*doc, s), s.start, s.end, c.code, c.coder);
  io.out << index.slice(s.start, s.end) << '\n';
  return 0;
}

}  // namespace qcode
