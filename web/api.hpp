#pragma once
// The HTTP JSON API of `qcode serve` (docs/serve.md, "The HTTP API"), private to web/.

#include <httplib.h>

#include <coding/project.hpp>
#include <iosfwd>
#include <mutex>
#include <nlohmann/json.hpp>
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

/// A request's body as the API reads it: a JSON object nested at most 32 levels. Throws
/// input_error, whose message the API answers with status 400, for an empty body, text
/// that is not JSON, deeper nesting, or a value that is not a JSON object.
nlohmann::ordered_json parse_json_body(std::string_view body);

/// {"error": message} as JSON text.
std::string error_body(std::string_view message);

/// Answers `res` with `status` and {"error": message}.
void send_error(httplib::Response& res, int status, std::string_view message);

}  // namespace coding::web
