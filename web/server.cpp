// `qcode serve`: the server's life (bind, print the address, stop on a signal), the
// security gate every request passes, and the page's files. The API is in api.cpp.

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <coding/error.hpp>
#include <csignal>
#include <cstdlib>
#include <ostream>
#include <thread>

#include "api.hpp"
#include "assets.hpp"
#include "security.hpp"
#include "web/serve.hpp"

namespace coding::web {

std::string_view content_type(std::string_view name) {
  const auto dot = name.rfind('.');
  const auto ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot);
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json";
  return "application/octet-stream";
}

namespace {

// The cookie that keeps the token, named by port: cookies do not tell ports apart, so two
// servers on one machine (two projects open at once) would otherwise overwrite each
// other's.
std::string token_cookie(int port) {
  return fmt::format("qcode_token_{}", port);
}
constexpr std::size_t max_body = 4 * 1024 * 1024;

void add_security_headers(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cache-Control", "no-store");
}

bool changes_state(const std::string& method) {
  return method != "GET" && method != "HEAD";
}

// Where a request's token came from, if it has a valid one.
enum class token_source { none, header, cookie, query };

token_source find_token(const httplib::Request& req, const std::string& token, int port) {
  if (req.has_header("X-Qcode-Token") && same_token(req.get_header_value("X-Qcode-Token"), token))
    return token_source::header;
  if (const auto b = bearer_token(req.get_header_value("Authorization"));
      b && same_token(*b, token))
    return token_source::header;
  if (const auto c = cookie_value(req.get_header_value("Cookie"), token_cookie(port));
      c && same_token(*c, token))
    return token_source::cookie;
  if (req.has_param("token") && same_token(req.get_param_value("token"), token))
    return token_source::query;
  return token_source::none;
}

// The gate: Host, token, Origin. Returns true when the request was answered (refused,
// or the first visit redirected to drop the token from the address).
bool refuse(const httplib::Request& req, httplib::Response& res, const std::string& token,
            const host_policy& hosts) {
  const auto host = req.get_header_value("Host");
  if (!host_allowed(host, hosts)) {
    send_error(res, 403,
               fmt::format("this server does not answer to the host '{}': open the address "
                           "'qcode serve' printed",
                           host));
    return true;
  }
  const auto source = find_token(req, token, hosts.port);
  if (source == token_source::none) {
    send_error(res, 401,
               "no access token or a wrong one: open the address 'qcode serve' printed "
               "(with ?token=...), or send the header X-Qcode-Token");
    return true;
  }
  if (source == token_source::query && req.method == "GET" && req.path == "/") {
    // The first visit: keep the token in a cookie and take it out of the address bar
    // (and so out of the history and of screenshots).
    res.set_header("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict",
                                             token_cookie(hosts.port), token));
    res.set_redirect("/", 303);
    return true;
  }
  if (changes_state(req.method)) {
    const auto origin = req.get_header_value("Origin");
    if (!origin.empty() && !same_origin(origin, host)) {
      send_error(res, 403,
                 fmt::format("a change from another site ('{}') is refused: changes come "
                             "from the qcode page",
                             origin));
      return true;
    }
    if (origin.empty() && source != token_source::header) {
      send_error(res, 403,
                 "a change without an Origin must carry the token in the X-Qcode-Token header");
      return true;
    }
  }
  return false;
}

void add_asset_routes(httplib::Server& server) {
  for (const auto& a : assets()) {
    std::string path = "/";  // a pattern: the dots of a file name are escaped
    if (a.name != "index.html")
      for (const char ch : a.name) path += ch == '.' ? std::string("\\.") : std::string(1, ch);
    server.Get(path, [a](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(a.data), std::string(content_type(a.name)).c_str());
    });
  }
}

// Starts the desktop browser at `url`, without waiting for it; says so when there is none.
void open_browser(const std::string& url, std::ostream& err) {
  for (const char* opener : {"xdg-open", "open"}) {
    const auto found = std::system(fmt::format("command -v {} >/dev/null 2>&1", opener).c_str());
    if (found != 0) continue;
    // Forked twice, so that the browser is nobody's child here and leaves no zombie.
    const auto pid = fork();
    if (pid == 0) {
      setsid();
      if (fork() == 0) {
        execlp(opener, opener, url.c_str(), static_cast<char*>(nullptr));
        _exit(127);
      }
      _exit(0);
    }
    if (pid > 0) {
      waitpid(pid, nullptr, 0);
      return;
    }
  }
  err << "qcode serve: no desktop browser found (xdg-open): open the address yourself\n";
}

std::string local_host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

}  // namespace

void send_error(httplib::Response& res, int status, std::string_view message) {
  res.status = status;
  res.set_content(error_body(message), "application/json");
}

void serve(const serve_options& options, std::ostream& out, std::ostream& err) {
  workbench bench(options.project, err);
  const auto token = options.token.empty() ? random_token() : options.token;

  // SIGINT and SIGTERM are taken by one thread that stops the server; every other
  // thread (the server's pool too, created after this) has them blocked.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t before;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &before);
  struct restore_mask {
    sigset_t stop, mask;
    ~restore_mask() {
      // A second Ctrl-C while stopping is taken here rather than ending the program.
      const timespec now{0, 0};
      while (sigtimedwait(&stop, nullptr, &now) > 0) {
      }
      pthread_sigmask(SIG_SETMASK, &mask, nullptr);
    }
  } restore{stop_signals, before};

  // A browser that closes a connection while its answer is written must not end the
  // server with SIGPIPE: the write fails instead, and only that request is lost.
  struct ignore_sigpipe {
    struct sigaction before {};
    ignore_sigpipe() {
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      sigaction(SIGPIPE, &ignore, &before);
    }
    ~ignore_sigpipe() { sigaction(SIGPIPE, &before, nullptr); }
  } no_sigpipe;

  httplib::Server server;
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, which would let a second
  // server (anyone's) share the port and receive some of the requests.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_payload_max_length(max_body);
  server.set_keep_alive_timeout(5);

  host_policy hosts;
  hosts.names = {options.host, local_host_name()};
  server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    return refuse(req, res, token, hosts) ? httplib::Server::HandlerResponse::Handled
                                          : httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_post_routing_handler(
      [](const httplib::Request&, httplib::Response& res) { add_security_headers(res); });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413)
      send_error(
          res, 413,
          fmt::format("the request is too large (the limit is {} MiB)", max_body / (1024 * 1024)));
    else if (res.status == 404)
      send_error(res, 404, fmt::format("no such page or API call: {} {}", req.method, req.path));
    else if (res.status == 405)
      send_error(res, 405, fmt::format("{} is not allowed on {}", req.method, req.path));
    else if (res.status >= 400)
      send_error(res, res.status, "the request could not be read");
    add_security_headers(res);
  });
  server.set_exception_handler(
      [&err](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          err << fmt::format("qcode serve: {} {}: {}\n", req.method, req.path, e.what());
          send_error(res, 500, fmt::format("the server failed: {}", e.what()));
        }
        add_security_headers(res);
      });
  add_api_routes(server, bench);
  add_asset_routes(server);

  const int port = options.port == 0
                       ? server.bind_to_any_port(options.host)
                       : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port <= 0)
    throw input_error(
        fmt::format("cannot listen on {}:{}: {}", options.host, options.port,
                    options.port == 0 ? "no free port" : "the port is in use or not allowed"));
  hosts.port = port;

  const auto shown_host =
      options.host.find(':') != std::string::npos
          ? fmt::format("[{}]", options.host)
          : (options.host == "0.0.0.0" ? std::string("127.0.0.1") : options.host);
  const auto url = fmt::format("http://{}:{}/?token={}", shown_host, port, token);
  if (!is_loopback(options.host))
    err << fmt::format(
        "qcode serve: warning: listening on {}, reachable from other machines; anyone with the "
        "token can read and change the project\n",
        options.host);
  out << url << std::endl;
  err << fmt::format("qcode serve: serving {}; Ctrl-C stops\n", options.project);
  if (options.open_browser) open_browser(url, err);

  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
  });
  server.listen_after_bind();  // returns once stopped, the requests in flight answered
  pthread_kill(waiter.native_handle(), SIGTERM);  // ends the waiter if no signal came
  waiter.join();
  err << "qcode serve: stopped\n";
}

}  // namespace coding::web
