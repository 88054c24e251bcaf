// qcode serve: the coding workbench in the browser (web/, docs/serve.md).

#include <web/serve.hpp>

#include "command.hpp"

namespace qcode {
namespace {

struct serve_command_options {
  int port = 0;
  std::string host;
  bool open = false;
  std::string project;
};

}  // namespace

int cmd_serve(const std::vector<std::string>& args, io io) {
  serve_command_options o;
  po::options_description options("options");
  options.add_options()("port", po::value(&o.port)->default_value(0),
                        "the port to listen on (0: a free one)")(
      "host", po::value(&o.host)->default_value("127.0.0.1"),
      "the address to listen on; another than 127.0.0.1 lets other machines in (with the "
      "token)")("open", po::bool_switch(&o.open), "open the address in the desktop browser");
  if (!parse(args, options, {}, "qcode serve [--port N] [--host ADDR] [--open]",
             "Opens the project in the coding workbench, a web page served by qcode itself:\n"
             "read transcripts, select passages and code them, edit the codebook and the case\n"
             "attributes, write chart summaries beside their evidence, look at the matrix,\n"
             "search and code the hits, undo and redo. Several people can work at once; every\n"
             "change is one entry in 'qcode log' with its coder.\n"
             "Prints the address with a random access token (http://127.0.0.1:PORT/?token=...):\n"
             "open it in a browser. Runs until Ctrl-C. See docs/serve.md.",
             io, &o.project))
    return 0;
  if (o.port < 0 || o.port > 65535)
    throw coding::input_error("--port must be between 0 (a free port) and 65535");
  coding::web::serve_options so;
  so.project = coding::find_project_path(o.project);
  so.host = o.host;
  so.port = o.port;
  so.open_browser = o.open;
  coding::web::serve(so, io.out, io.err);
  return 0;
}

}  // namespace qcode
