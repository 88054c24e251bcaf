#pragma once
// The HTTP JSON API of `qcode serve` (docs/serve.md, "The HTTP API"), private to web/.

#include <httplib.h>

#include <coding/project.hpp>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

namespace coding::web {

/// The open project the server works on. One request at a time uses it (its SQLite
/// connection is not shared between threads); each change is one transaction.
class workbench {
 public:
  workbench(const std::string& path, std::ostream& log);
  project& get() { return p_; }
  std::mutex& lock() { return m_; }
  std::ostream& log() { return log_; }

 private:
  project p_;
  std::mutex m_;
  std::ostream& log_;
};

/// Registers every /api/ route on `server`.
void add_api_routes(httplib::Server& server, workbench& bench);

/// {"error": message} as JSON text.
std::string error_body(std::string_view message);

/// Answers `res` with `status` and {"error": message}.
void send_error(httplib::Response& res, int status, std::string_view message);

}  // namespace coding::web
