#pragma once
/// \file
/// `qcode serve`: the coding workbench, a local web application over a project
/// (docs/serve.md). The server answers the page's HTTP JSON API and serves the page,
/// which is built into the binary.

#include <iosfwd>
#include <string>

namespace coding::web {

struct serve_options {
  std::string project;             ///< the project file, opened for the server's lifetime
  std::string host = "127.0.0.1";  ///< the address to listen on
  int port = 0;                    ///< 0: a free port
  bool open_browser = false;       ///< start the desktop browser at the address
  std::string token;               ///< the access token; empty: a random one
};

/// Serves the project until SIGINT or SIGTERM, then finishes the requests in flight and
/// returns. Prints the address with its token on `out` once listening, and warnings and
/// the changes made on `err`. Throws input_error when the project cannot be opened or the
/// address cannot be bound.
void serve(const serve_options& options, std::ostream& out, std::ostream& err);

}  // namespace coding::web
