"""A running `qcode serve` for tests: start it on a free port, talk HTTP to it, stop it.

Used by api_test.py, browser_test.py and bench/serve. Requests go through http.client so
that a test can send any Host, Origin, Cookie or body it likes.
"""

import http.client
import json
import os
import re
import select
import signal
import subprocess
import tempfile
import time
import urllib.parse


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"HTTP {self.status}: {self.body[:2000].decode('utf-8', 'replace')}"


class Server:
    """`qcode -p PROJECT serve --port 0`, started in `cwd`; stop() ends it with SIGINT."""

    def __init__(self, binary, project, cwd, extra_args=(), env=None):
        full_env = dict(os.environ)
        full_env.pop("QCODE_PROJECT", None)
        full_env["QCODE_CODER"] = "server-default"
        full_env.update(env or {})
        # Standard error goes to a file: the server writes a line per change, and a pipe
        # that nobody reads would block it once full.
        self.err_file = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([binary, "-p", project, "serve", "--port", "0", *extra_args],
                                     cwd=cwd, stdout=subprocess.PIPE, stderr=self.err_file,
                                     env=full_env)
        line = self._read_line(20)
        m = re.match(r"^http://([^/]+)/\?token=([0-9a-f]{64})$", line.strip())
        if not m:
            self.proc.kill()
            raise RuntimeError(f"qcode serve printed {line!r}, not its address; stderr: "
                               f"{self.stderr()}")
        self.host, self.token = m.group(1), m.group(2)
        self.port = int(self.host.rsplit(":", 1)[1])
        self.url = line.strip()
        self.origin = f"http://{self.host}"
        self.interrupted = False

    def interrupt(self):
        """Ctrl-C, without waiting."""
        self.interrupted = True
        self.proc.send_signal(signal.SIGINT)

    def _read_line(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                return self.proc.stdout.readline().decode("utf-8")
            if self.proc.poll() is not None:
                break
        raise RuntimeError(f"qcode serve did not print its address (exit {self.proc.poll()}): "
                           f"{self.stderr()}")

    def stderr(self):
        """What the server has written on standard error so far."""
        self.err_file.seek(0)
        return self.err_file.read().decode("utf-8", "replace")

    def request(self, method, path, body=None, headers=None, token="header", coder=None,
                raw_body=None):
        """One request. token: "header" (X-Qcode-Token), "cookie", "bearer", None, or a
        wrong value given as ("wrong", VALUE). Host defaults to the server's address."""
        h = {"Host": self.host}
        if token == "header":
            h["X-Qcode-Token"] = self.token
        elif token == "cookie":
            h["Cookie"] = f"qcode_token_{self.port}={self.token}"
        elif token == "bearer":
            h["Authorization"] = f"Bearer {self.token}"
        elif isinstance(token, tuple):
            h["X-Qcode-Token"] = token[1]
        if coder:
            h["X-Qcode-Coder"] = coder
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            if data is not None or method in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", str(len(data or b"")))
            conn.endheaders()
            if data is not None:
                conn.send(data)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def api(self, method, path, body=None, expect=200, **kw):
        """A request that must answer `expect`; returns the parsed JSON."""
        r = self.request(method, path, body=body, **kw)
        if r.status != expect:
            raise AssertionError(f"{method} {path}: expected {expect}, got {r!r}")
        return r.json()

    @staticmethod
    def query(**params):
        return "?" + urllib.parse.urlencode(params, doseq=True)

    def stop(self, timeout=20):
        """SIGINT, as Ctrl-C; returns (exit status, stderr)."""
        if self.proc.poll() is None and not self.interrupted:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        return self.proc.returncode, self.stderr()
