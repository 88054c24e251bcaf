#!/usr/bin/env python3
"""Tests of `qcode serve`'s HTTP API against a running server (issue 12, docs/serve.md).

Usage: api_test.py --list | api_test.py QCODE_BINARY NAME

Each test starts `qcode serve --port 0` on a fresh project, talks HTTP to it, and checks
the answers against the project as the CLI shows it (`codings export`, `docs show`,
`matrix --format json`, `summary show`, `log`). Every bad request must get a 4xx with a
JSON message and leave the project exactly as it was (compared through the CLI).
Expected offsets are worked out in Python, whose strings index code points.
"""

import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "cli"))
sys.path.insert(0, HERE)
import cli_test  # noqa: E402
from cli_test import check  # noqa: E402
from serve_harness import Server  # noqa: E402

TESTS = {}


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


# A transcript whose target phrase follows an emoji (two UTF-16 units, one code point)
# and a decomposed accent (e + U+0301, stored as NFC é), with CRLF line ends.
UNICODE_TRANSCRIPT = ("---\nid: U1\ncase: K9\nattributes: {group: client}\n"
                      "speakers: {IV: interviewer, R: K9}\n---\r\n"
                      "IV: How was it? \U0001F600\r\n"
                      "R: The cafe\u0301 was fine. The bus fare was the real barrier.\r\n")


def start(env, with_codings=True):
    env.mini_project(with_codings=with_codings)
    return Server(env.binary, "mini.qcode", env.dir)


def snapshot(env):
    """What a user can see of the project through the CLI."""
    return (env.ok("-p", "mini.qcode", "codings", "export", "--format", "json").out,
            env.ok("-p", "mini.qcode", "docs", "list", "--format", "json").out,
            env.ok("-p", "mini.qcode", "cases", "list", "--format", "json").out,
            env.ok("-p", "mini.qcode", "framework", "export").out,
            env.ok("-p", "mini.qcode", "summary", "show", "--format", "json").out,
            env.ok("-p", "mini.qcode", "log").out,
            saved_queries(env))


def saved_queries(env, project="mini.qcode"):
    """The project's saved queries, read from its `queries` table with sqlite3 (not
    through qcode), as (name, expression, author) rows."""
    import sqlite3
    db = sqlite3.connect(os.path.join(env.dir, project))
    try:
        return db.execute("SELECT name, expression, author FROM queries ORDER BY name").fetchall()
    finally:
        db.close()


def refused(server, env, method, path, status, body=None, expect_in=None, **kw):
    """`method path` answers `status` with a JSON error and changes nothing."""
    before = snapshot(env)
    r = server.request(method, path, body=body, **kw)
    check(r.status == status, f"{method} {path}: expected {status}, got {r!r}")
    check(r.header("Content-Type", ) and "application/json" in r.header("Content-Type"),
          f"{method} {path}: error not JSON: {r.headers}")
    message = r.json().get("error", "")
    check(message, f"{method} {path}: no error message: {r!r}")
    if expect_in:
        check(expect_in in message, f"{method} {path}: expected {expect_in!r} in {message!r}")
    check(snapshot(env) == before, f"{method} {path} changed the project")
    return r


def with_server(fn):
    """Runs fn(env, server) with a served mini project, stopping the server after."""
    def run(env):
        server = start(env)
        try:
            fn(env, server)
        finally:
            server.stop()
    run.__name__ = fn.__name__
    return run


def codings(env):
    return json.loads(env.ok("-p", "mini.qcode", "codings", "export", "--format", "json").out)


# --- starting and stopping -------------------------------------------------------

@test
def prints_its_address_and_stops_on_ctrl_c(env):
    server = start(env)
    check(server.host.startswith("127.0.0.1:"), server.url)
    check(server.api("GET", "/api/state")["project"].endswith("mini.qcode"), "state")
    code, err = server.stop()
    check(code == 0, f"exit {code}: {err}")
    check("stopped" in err, err)


@test
def ctrl_c_finishes_the_request_in_flight(env):
    import socket
    server = start(env)
    body = json.dumps({"doc": "I1", "start": 0, "end": 8, "code": "a.x", "text": "IV: Why?"}).encode()
    head = (f"POST /api/codings HTTP/1.1\r\nHost: {server.host}\r\nX-Qcode-Token: {server.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n").encode()
    sock = socket.create_connection(("127.0.0.1", server.port))
    try:
        sock.sendall(head + body[:10])  # the request is being read...
        time.sleep(0.5)
        server.interrupt()  # ...when Ctrl-C comes
        time.sleep(0.5)
        sock.sendall(body[10:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    finally:
        sock.close()
    check(answer.startswith(b"HTTP/1.1 200"), answer[:300])
    code, err = server.stop()
    check(code == 0 and "stopped" in err, (code, err))
    check(("I1", 0, 8, "a.x") in [(r["doc"], r["start"], r["end"], r["code"]) for r in codings(env)],
          "the coding of the request in flight is missing")


@test
def a_busy_port_is_refused_with_a_message(env):
    server = start(env)
    try:
        r = env.run("-p", "mini.qcode", "serve", "--port", str(server.port))
        check(r.code == 2, r)
        check(f"cannot listen on 127.0.0.1:{server.port}" in r.err, r)
    finally:
        server.stop()


@test
def a_non_loopback_host_warns(env):
    env.mini_project()
    server = Server(env.binary, "mini.qcode", env.dir, extra_args=("--host", "0.0.0.0"))
    try:
        check(server.api("GET", "/api/state")["revision"], "state")
    finally:
        _, err = server.stop()
    check("warning: listening on 0.0.0.0" in err, err)


@test
def open_starts_the_desktop_browser_at_the_address(env):
    # A stand-in xdg-open on PATH records the address it was asked to open.
    bindir = os.path.join(env.dir, "bin")
    os.mkdir(bindir)
    opened = os.path.join(env.dir, "opened.txt")
    with open(os.path.join(bindir, "xdg-open"), "w") as f:
        f.write(f"#!/bin/sh\necho \"$1\" > {opened}\n")
    os.chmod(os.path.join(bindir, "xdg-open"), 0o755)
    env.mini_project()
    server = Server(env.binary, "mini.qcode", env.dir, extra_args=("--open",),
                    env={"PATH": bindir + os.pathsep + os.environ["PATH"]})
    try:
        deadline = time.monotonic() + 10
        while not os.path.exists(opened) and time.monotonic() < deadline:
            time.sleep(0.1)
        check(os.path.exists(opened), "xdg-open was not run")
        time.sleep(0.2)
        with open(opened) as f:
            check(f.read().strip() == server.url, "opened another address")
    finally:
        server.stop()


@test
@with_server
def the_page_is_built_in_and_fetches_nothing_from_elsewhere(env, server):
    page = server.get("/")
    check(page.status == 200 and "text/html" in page.header("Content-Type"), page)
    html = page.body.decode("utf-8")
    import re
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    check(refs and all(r.startswith("/") or r.startswith("#") or r.startswith("data:") for r in refs), refs)
    for ref in (r for r in refs if r.startswith("/")):
        r = server.get(ref)
        check(r.status == 200, f"{ref}: {r!r}")
        kind = "text/javascript" if ref.endswith(".js") else "text/css"
        check(kind in r.header("Content-Type"), f"{ref}: {r.header('Content-Type')}")
        check(b"http://" not in r.body and b"https://" not in r.body, f"{ref} refers elsewhere")


# --- security ---------------------------------------------------------------------

@test
@with_server
def every_request_needs_the_token(env, server):
    for path in ("/", "/app.js", "/api/state", "/api/documents"):
        r = server.get(path, token=None)
        check(r.status == 401, f"{path} without a token: {r!r}")
        check("token" in r.json()["error"], r)
        r = server.get(path, token=("wrong", "0" * 64))
        check(r.status == 401, f"{path} with a wrong token: {r!r}")
        r = server.get(path, token=("wrong", server.token[:-1]))
        check(r.status == 401, f"{path} with a token cut short: {r!r}")
    for how in ("header", "cookie", "bearer"):
        check(server.get("/api/state", token=how).status == 200, how)
    # Another server's cookie (another port) is not this one's.
    r = server.get("/api/state", token=None, headers={"Cookie": f"qcode_token_1={server.token}"})
    check(r.status == 401, r)


@test
@with_server
def the_first_visit_sets_a_cookie_and_drops_the_token_from_the_address(env, server):
    r = server.get(f"/?token={server.token}", token=None)
    check(r.status == 303, r)
    check(r.header("Location") == "/", r.headers)
    cookie = r.header("Set-Cookie")
    check(cookie.startswith(f"qcode_token_{server.port}={server.token};"), cookie)
    check("HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie)
    page = server.get("/", token="cookie")
    check(page.status == 200 and b"<html" in page.body.lower(), page)


@test
@with_server
def a_foreign_host_is_refused(env, server):
    port = server.port
    for host in (f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "127.0.0.1:1"):
        refused(server, env, "GET", "/api/state", 403, headers={"Host": host},
                expect_in="does not answer to the host")
    refused(server, env, "POST", "/api/undo", 403, headers={"Host": f"evil.example:{port}"})
    check(server.get("/api/state", headers={"Host": f"localhost:{port}"}).status == 200, "localhost")


@test
@with_server
def changes_from_another_origin_are_refused(env, server):
    body = {"doc": "I1", "start": 12, "end": 30, "code": "a.y", "text": "Because it helped."}
    refused(server, env, "POST", "/api/codings", 403, body=body, token="cookie",
            headers={"Origin": "http://evil.example"}, expect_in="another site")
    refused(server, env, "POST", "/api/codings", 403, body=body, token="header",
            headers={"Origin": "null"})
    # A cookie alone, without an Origin, is not enough for a change.
    refused(server, env, "POST", "/api/codings", 403, body=body, token="cookie",
            expect_in="X-Qcode-Token")
    # The page's own origin with the cookie is how the page changes things.
    r = server.request("POST", "/api/codings", body=body, token="cookie",
                       headers={"Origin": server.origin})
    check(r.status == 200, r)


@test
@with_server
def responses_carry_a_strict_policy_and_no_cors(env, server):
    for path in ("/", "/app.js", "/api/state", "/api/nothing"):
        r = server.get(path)
        csp = r.header("Content-Security-Policy") or ""
        check("default-src 'none'" in csp and "script-src 'self'" in csp, f"{path}: {csp}")
        check("unsafe-inline" not in csp and "unsafe-eval" not in csp, csp)
        check(r.header("X-Content-Type-Options") == "nosniff", path)
        check(r.header("Access-Control-Allow-Origin") is None, f"{path}: CORS header")
    r = server.request("OPTIONS", "/api/codings", headers={"Origin": "http://evil.example",
                                                           "Access-Control-Request-Method": "POST"})
    check(r.header("Access-Control-Allow-Origin") is None, "preflight answered with CORS")
    check(r.status >= 400, r)


@test
@with_server
def bodies_over_4_mib_are_refused(env, server):
    big = {"doc": "I1", "start": 0, "end": 1, "code": "a.x", "text": "x" * (5 * 1024 * 1024)}
    before = snapshot(env)
    r = server.request("POST", "/api/codings", body=big)
    check(r.status == 413, r)
    check(snapshot(env) == before, "changed")


# --- reading ----------------------------------------------------------------------

@test
@with_server
def documents_are_listed_with_their_share_coded(env, server):
    docs = {d["id"]: d for d in server.api("GET", "/api/documents")}
    check(list(docs) == ["I1", "G1", "I2"], list(docs))
    i1 = docs["I1"]
    check((i1["case"], i1["group"], i1["codings"]) == ("K1", "client", 3), i1)
    # I1 is 60 code points (lines of 9, 22, 10 and 19 with their line feeds); its codings
    # cover 12..50 (a.x 12..30, b.z 20..50, a.y 44..48): 38 of them.
    check(i1["length"] == 60, i1)
    check(abs(i1["coded"] - 38 / 60) < 1e-9, i1["coded"])
    check(docs["G1"]["case"] is None and docs["G1"]["groups"] == ["client", "staff"], docs["G1"])


@test
@with_server
def a_document_comes_with_its_text_turns_and_codings(env, server):
    d = server.api("GET", "/api/documents/I1")
    shown = json.loads(env.ok("-p", "mini.qcode", "docs", "show", "I1", "--format", "json").out)
    check(d["text"] == shown["text"], "text differs from docs show")
    check([(t["speaker"], t["case"], t["start"], t["end"]) for t in d["turns"]] ==
          [(t["speaker"], t["case"], t["start"], t["end"]) for t in shown["turns"]], d["turns"])
    check([t["line"] for t in d["turns"]] == [1, 2, 3, 4], d["turns"])
    check(d["lines"] == [0, 9, 31, 41], d["lines"])  # lines of 9, 22, 10 and 19 code points
    check(sorted((k["start"], k["end"], k["code"]) for k in d["codings"]) ==
          [(12, 30, "a.x"), (20, 50, "b.z"), (44, 48, "a.y")], d["codings"])
    check(next(k for k in d["codings"] if k["code"] == "b.z")["memo"] ==
          "spans the interviewer's question", "memo")
    refused(server, env, "GET", "/api/documents/I9", 404, expect_in="unknown document 'I9'")


@test
@with_server
def matrix_and_chart_are_the_cli_json(env, server):
    for args in ([], ["--measure", "segments"], ["--measure", "coverage", "--level", "code"],
                 ["--by", "district"], ["--coder", "x"]):
        params = {a[2:]: b for a, b in zip(args[::2], args[1::2])}
        got = server.api("GET", "/api/matrix" + Server.query(**params))
        want = json.loads(env.ok("-p", "mini.qcode", "matrix", "--format", "json", *args).out)
        check(got == want, f"matrix {args}: {got} != {want}")
    got = server.api("GET", "/api/chart?theme=a")
    want = json.loads(env.ok("-p", "mini.qcode", "chart", "a", "--format", "json", "--quotes", "3").out)
    check(got == want, "chart differs from the CLI's")
    refused(server, env, "GET", "/api/matrix?measure=count", 400, expect_in="count")
    refused(server, env, "GET", "/api/chart?theme=nope", 400)
    refused(server, env, "GET", "/api/chart", 400, expect_in="theme")


@test
@with_server
def a_matrix_cell_opens_its_passages(env, server):
    # WORKING.md: theme a for clients (K1, K2 via G1's Ann, ...): the passages behind the cell.
    got = server.api("GET", "/api/passages?code=a.x&group=client")
    check(all(p["group"] == "client" and p["code"] == "a.x" for p in got), got)
    check(("I1", 12, 30) in [(p["doc"], p["start"], p["end"]) for p in got], got)
    for p in got:
        check(p["text"] == server.api("GET", f"/api/documents/{p['doc']}")["text"][p["start"]:p["end"]],
              p)


@test
@with_server
def coders_are_listed_with_their_codings(env, server):
    # codings.csv: coder x has 7 codings, coder y one.
    check(server.api("GET", "/api/coders") == [{"coder": "x", "codings": 7}, {"coder": "y", "codings": 1}],
          "coders")


@test
@with_server
def a_matrix_cell_with_a_filter_lists_only_its_cases(env, server):
    everyone = server.api("GET", "/api/passages?code=a&group=client")
    south = server.api("GET", "/api/passages" + Server.query(code="a", group="client", where="district=South"))
    cases = json.loads(env.ok("-p", "mini.qcode", "cases", "list", "--format", "json").out)
    district = {c["id"]: c["attributes"].get("district") for c in cases}
    check(south and all(district[p["case"]] == "South" for p in south), south)
    check(len(south) < len(everyone), (south, everyone))


@test
@with_server
def agreement_and_disagreements_are_the_cli_json(env, server):
    for unit in ("char", "turn", "doc"):
        got = server.api("GET", f"/api/agreement?coders=x,y&unit={unit}")
        want = json.loads(env.ok("-p", "mini.qcode", "agreement", "--coders", "x,y", "--unit", unit,
                                 "--format", "json").out)
        check(got == want, f"agreement {unit}")
    got = server.api("GET", "/api/disagreements?coders=x,y&doc=G1")
    want = json.loads(env.ok("-p", "mini.qcode", "agreement", "--coders", "x,y", "--doc", "G1",
                             "--disagreements", "--format", "json").out)
    check(got == want and got, f"disagreements {got}")
    # G1: x coded a.x on 17-45, y on 17-21, so they differ on 21-45 for a.x.
    check(("G1", 21, 45, "a.x") in [(d["doc"], d["start"], d["end"], d["code"]) for d in got], got)
    refused(server, env, "GET", "/api/agreement?coders=x", 400, expect_in="two coders")


@test
@with_server
def framework_lists_codes_with_counts(env, server):
    fw = server.api("GET", "/api/framework")
    codes = {c["id"]: c for c in fw["codes"]}
    check(list(codes) == ["a", "a.x", "a.y", "b", "b.z"], list(codes))
    # codings.csv: a.x has 3 codings (I1 by x, G1 by x and by y), a.y 2, b.z 3.
    check([codes[k]["codings"] for k in ("a.x", "a.y", "b.z")] == [3, 2, 3], codes)
    check(codes["a.x"]["parent"] == "a" and codes["a"]["parent"] is None, codes["a.x"])
    check(fw["groups"] == [{"id": "staff", "label": "Staff"}, {"id": "client", "label": "Clients"}],
          fw["groups"])


# --- coding -----------------------------------------------------------------------

def unicode_project(env):
    env.mini_project(with_codings=False)
    env.write("U1.txt", UNICODE_TRANSCRIPT)
    env.ok("-p", "mini.qcode", "import", "U1.txt")
    text = env.ok("-p", "mini.qcode", "docs", "show", "U1", "--format", "text").out
    return text


@test
def coding_a_phrase_after_an_emoji_and_an_accent_is_exact(env):
    text = unicode_project(env)
    check("\r" not in text and "caf\u00e9" in text, repr(text))  # stored LF and NFC
    start = text.index("bus fare")
    end = start + len("bus fare")
    server = Server(env.binary, "mini.qcode", env.dir)
    try:
        added = server.api("POST", "/api/codings", coder="anna",
                           body={"doc": "U1", "start": start, "end": end, "code": "b.z",
                                 "text": "bus fare"})
        check(added["added"] == 1 and added["codings"][0]["start"] == start, added)
        rows = codings(env)
        check([(r["doc"], r["start"], r["end"], r["code"], r["coder"], r["text"]) for r in rows] ==
              [("U1", start, end, "b.z", "anna", "bus fare")], rows)
        # The same positions counted in UTF-16 units (one more, for the emoji) are refused.
        refused(server, env, "POST", "/api/codings", 400,
                body={"doc": "U1", "start": start + 1, "end": end + 1, "code": "b.z",
                      "text": "bus fare"}, expect_in="does not match")
    finally:
        server.stop()


@test
@with_server
def bad_codings_are_refused_and_change_nothing(env, server):
    ok = {"doc": "I1", "start": 12, "end": 30, "code": "a.y", "text": "Because it helped."}
    cases = [
        (dict(ok, text="Because it helps."), "does not match"),
        (dict(ok, code="a.q"), "unknown code 'a.q'"),
        (dict(ok, doc="I9"), "unknown document 'I9'"),
        (dict(ok, start=50, end=99, text="x"), "99"),
        (dict(ok, start=-1), "whole number"),
        (dict(ok, start="12"), "whole number"),
        (dict(ok, start=30, end=12), None),
        (dict(ok, start=12, end=12, text=""), "empty"),
        ({k: v for k, v in ok.items() if k != "text"}, "\"text\""),
        ({k: v for k, v in ok.items() if k != "code"}, "\"code\""),
    ]
    for body, message in cases:
        refused(server, env, "POST", "/api/codings", 400, body=body, expect_in=message)
    refused(server, env, "POST", "/api/codings", 400, raw_body=b"{\"doc\": ", expect_in="not valid JSON",
            headers={"Content-Type": "application/json"})
    refused(server, env, "POST", "/api/codings", 400, raw_body=b"[1, 2]", expect_in="JSON object")
    refused(server, env, "POST", "/api/codings", 400, raw_body=b"", expect_in="JSON object")
    refused(server, env, "POST", "/api/codings", 400, raw_body=b"[" * 100000 + b"]" * 100000,
            expect_in="nested deeper")
    refused(server, env, "POST", "/api/codings", 400, raw_body=b"\xff\xfe{}", expect_in="JSON")
    refused(server, env, "POST", "/api/codings", 400, body=ok, coder="bad\x01name")


@test
@with_server
def a_coding_is_uncoded_recoded_and_given_a_memo(env, server):
    first = next(k for k in server.api("GET", "/api/documents/I1")["codings"] if k["code"] == "a.y")
    path = f"/api/codings/{first['id']}"
    out = server.api("PATCH", path, body={"memo": "check with Ben"}, coder="ben")
    check(out["coding"]["memo"] == "check with Ben", out)
    out = server.api("PATCH", path, body={"code": "b.z"})
    check(out["coding"]["code"] == "b.z" and out["coding"]["start"] == 44, out)
    check(("I1", 44, 48, "b.z", "check with Ben") in
          [(r["doc"], r["start"], r["end"], r["code"], r["memo"]) for r in codings(env)], "recoded")
    refused(server, env, "PATCH", path, 400, body={"code": "nope"}, expect_in="unknown code")
    refused(server, env, "PATCH", path, 400, body={}, expect_in="code")
    refused(server, env, "PATCH", path, 400, body={"cod": "a.x"}, expect_in="unknown field \"cod\"")
    server.api("DELETE", path)
    check(len(codings(env)) == 7, "one coding gone")
    refused(server, env, "DELETE", path, 404, expect_in="no coding")
    refused(server, env, "DELETE", "/api/codings/999999", 404)


@test
@with_server
def undo_and_redo_from_the_api_restore_exactly(env, server):
    before = codings(env)
    server.api("POST", "/api/codings", coder="anna",
               body={"doc": "I1", "start": 0, "end": 8, "code": "a.x", "text": "IV: Why?"})
    check(len(codings(env)) == len(before) + 1, "added")
    log = server.api("GET", "/api/log")
    check(log[-1]["coder"] == "anna" and log[-1]["command"].startswith("serve: code I1 0:8 a.x"),
          log[-1])
    undone = server.api("POST", "/api/undo")
    check(len(undone["undone"]) == 1, undone)
    check(codings(env) == before, "undo restored")
    server.api("POST", "/api/redo")
    check(len(codings(env)) == len(before) + 1, "redo")
    refused(server, env, "POST", "/api/redo", 400)
    refused(server, env, "POST", "/api/undo", 400, body={"n": 0}, expect_in="at least 1")


@test
@with_server
def the_revision_changes_with_every_change_from_anywhere(env, server):
    r0 = server.api("GET", "/api/state")["revision"]
    check(server.api("GET", "/api/state")["revision"] == r0, "stable while nothing changes")
    server.api("POST", "/api/codings", body={"doc": "I1", "start": 0, "end": 8, "code": "a.x",
                                             "text": "IV: Why?"})
    r1 = server.api("GET", "/api/state")["revision"]
    check(r1 != r0, "own change")
    env.ok("-p", "mini.qcode", "code", "I2", "--chars", "0:3", "--code", "a.y")
    check(server.api("GET", "/api/state")["revision"] != r1, "another process's change")


# --- summaries, cases, memos, codebook, search --------------------------------------

@test
@with_server
def two_people_saving_one_summary_never_overwrite_silently(env, server):
    first = server.api("PUT", "/api/summaries", coder="anna",
                       body={"case": "K1", "code": "a.x", "text": "Helped, by Anna.", "base": ""})
    base = first["summary"]["base"]
    shown = json.loads(env.ok("-p", "mini.qcode", "summary", "show", "--format", "json").out)
    check([(s["case"], s["code"], s["summary"]) for s in shown] == [("K1", "a.x", "Helped, by Anna.")],
          shown)
    # Ben opened the cell before Anna saved (base ""): his save is refused, with hers.
    r = refused(server, env, "PUT", "/api/summaries", 409, coder="ben",
                body={"case": "K1", "code": "a.x", "text": "Ben's view.", "base": ""},
                expect_in="changed by someone else")
    check(r.json()["current"]["text"] == "Helped, by Anna.", r)
    check(r.json()["current"]["author"] == "anna", r)
    # Anna goes on from what she saved.
    server.api("PUT", "/api/summaries", body={"case": "K1", "code": "a.x",
                                              "text": "Helped a lot.", "base": base})
    listed = server.api("GET", "/api/summaries?theme=a")
    check([(s["case"], s["code"], s["text"]) for s in listed] == [("K1", "a.x", "Helped a lot.")], listed)
    refused(server, env, "PUT", "/api/summaries", 400,
            body={"case": "K77", "code": "a.x", "text": "x", "base": ""}, expect_in="K77")


@test
@with_server
def case_attributes_and_memos_are_edited(env, server):
    server.api("PATCH", "/api/cases/K1", body={"attributes": {"district": "South"}})
    cases = {c["id"]: c for c in server.api("GET", "/api/cases")["cases"]}
    check(cases["K1"]["attributes"]["district"] == "South", cases["K1"])
    refused(server, env, "PATCH", "/api/cases/K77", 400, body={"attributes": {"district": "x"}})
    refused(server, env, "PATCH", "/api/cases/K1", 400, body={"attributes": {"district": 3}})
    server.api("PUT", "/api/memos/document/I1", body={"text": "Short interview."})
    check(env.ok("-p", "mini.qcode", "memo", "I1").out.strip() == "Short interview.", "doc memo")
    server.api("PUT", "/api/memos/case/K2", body={"text": "Spoke in G1."})
    check(env.ok("-p", "mini.qcode", "memo", "K2").out.strip() == "Spoke in G1.", "case memo")
    refused(server, env, "PUT", "/api/memos/document/I9", 400, body={"text": "x"})


@test
@with_server
def codes_are_added_and_renamed_through_the_framework_update(env, server):
    server.api("POST", "/api/codes", body={"parent": "a", "id": "w", "label": "Code A.w",
                                           "description": "new"})
    fw = server.api("GET", "/api/framework")
    check([c["id"] for c in fw["codes"]] == ["a", "a.x", "a.y", "a.w", "b", "b.z"], fw["codes"])
    server.api("PATCH", "/api/codes/a.x", body={"id": "a.xx", "label": "Renamed"})
    rows = codings(env)
    check(sum(1 for r in rows if r["code"] == "a.xx") == 3 and
          not any(r["code"] == "a.x" for r in rows), "codings follow the rename")
    refused(server, env, "POST", "/api/codes", 400, body={"parent": "a", "id": "y", "label": "dup"},
            expect_in="already")
    refused(server, env, "POST", "/api/codes", 400, body={"parent": "a", "id": "bad id", "label": "x"})
    refused(server, env, "POST", "/api/codes", 400, body={"parent": "q", "id": "v", "label": "x"})


@test
@with_server
def search_hits_are_coded_only_when_ticked(env, server):
    found = server.api("GET", "/api/search?q=helped")
    check([(h["doc"], h["start"], h["end"], h["match"]) for h in found["hits"]] ==
          [("I1", 23, 29, "helped")], found)
    h = found["hits"][0]
    out = server.api("POST", "/api/search/code",
                     body={"code": "a.y", "hits": [{"doc": h["doc"], "start": h["start"],
                                                    "end": h["end"], "text": "helped"}]})
    check(out["added"] == 1, out)
    refused(server, env, "POST", "/api/search/code", 400, body={"code": "a.y", "hits": []})
    refused(server, env, "GET", "/api/search?q=%20", 400, expect_in="only spaces")
    refused(server, env, "GET", "/api/search?q=(&regex=1", 400)


@test
@with_server
def a_selection_is_widened_as_code_expand_does(env, server):
    # I1: "IV: Why?\nR: Because it helped.\n..." the turn of R spans 12..30.
    got = server.api("GET", "/api/expand?doc=I1&start=20&end=22&unit=turn")
    check(got == {"start": 12, "end": 30}, got)
    refused(server, env, "GET", "/api/expand?doc=I1&start=20&end=99&unit=turn", 400)
    refused(server, env, "GET", "/api/expand?doc=I1&start=20&end=22&unit=chapter", 400)


# --- queries (docs/queries.md) -------------------------------------------------------

@test
def a_query_answers_the_cli_json_on_the_sample_study(env):
    env.sample_project()
    server = Server(env.binary, "s.qcode", env.dir)
    try:
        for expr in ("fta.lever AND group=customer", "fta NEAR/1 choice",
                     "(choice OR =roles) AND NOT doc=C02"):
            got = server.api("GET", "/api/query" + Server.query(expr=expr))
            want = json.loads(env.ok("-p", "s.qcode", "query", expr, "--format", "json").out)
            check(got == want, f"{expr}: {got} != {want}")
            check(got["query"] == expr and got["passages"], f"{expr}: no passages: {got}")
            for p in got["passages"]:
                text = env.ok("-p", "s.qcode", "docs", "show", p["doc"], "--format", "text").out
                check(text[p["start"]:p["end"]] == p["text"], f"{expr}: {p} is not the stored text")
        # A value no case has is refused as the CLI refuses it, at the value's column
        # ("fta.lever AND group=" is 20 characters).
        r = server.request("GET", "/api/query" + Server.query(expr="fta.lever AND group=nobody"))
        check(r.status == 400 and r.json()["column"] == 21, r)
    finally:
        server.stop()


@test
@with_server
def a_bad_query_is_a_400_with_its_column(env, server):
    # Columns counted by hand, 1-based: "a AND " is 6 characters, so the second AND is at
    # 7; in "a.x OR nope" the unknown code starts at 8; in 'text~"naïve" AND nope' nope
    # starts at 18 in code points (19 in UTF-8 bytes).
    for expr, column, words in (("a AND AND b", 7, "before AND"), ("a.x OR nope", 8, "nope"),
                                ('text~"na\u00efve" AND nope', 18, "nope")):
        r = refused(server, env, "GET", "/api/query" + Server.query(expr=expr), 400)
        body = r.json()
        check(body["column"] == column, f"{expr!r}: column {body['column']}, not {column}: {body}")
        check(body["expression"] == expr, body)
        check("\n" not in body["error"] and "^" not in body["error"],
              f"the message has no caret lines (the page draws them): {body}")
        if words:
            check(words in body["error"], body)
    refused(server, env, "GET", "/api/query", 400, expect_in="expr")
    refused(server, env, "GET", "/api/query?expr=", 400, expect_in="expr")


@test
@with_server
def a_hostile_expression_comes_back_as_data(env, server):
    expr = 'a AND "<script>alert(1)</script>"'
    r = refused(server, env, "GET", "/api/query" + Server.query(expr=expr), 400)
    check(r.json()["expression"] == expr, r)
    check(r.header("Content-Type").startswith("application/json"), r.headers)
    check(r.header("X-Content-Type-Options") == "nosniff", r.headers)
    expr = 'text~"<script>alert"'
    got = server.api("GET", "/api/query" + Server.query(expr=expr))
    check(got == {"query": expr, "passages": []}, got)
    # Saved, it is listed as the same characters.
    server.api("PUT", "/api/queries/hostile", body={"expression": expr})
    check([q["expression"] for q in server.api("GET", "/api/queries")] == [expr], "listed")
    check(saved_queries(env) == [("hostile", expr, "server-default")], saved_queries(env))


@test
@with_server
def queries_are_saved_listed_and_deleted_with_history(env, server):
    check(server.api("GET", "/api/queries") == [], "none at first")
    out = server.api("PUT", "/api/queries/x-clients", coder="anna",
                     body={"expression": "a.x AND group=client"})
    check(out["ok"] and out["replaced"] is False, out)
    check(out["query"]["name"] == "x-clients" and out["query"]["author"] == "anna", out)
    listed = server.api("GET", "/api/queries")
    check([(q["name"], q["expression"], q["author"]) for q in listed] ==
          [("x-clients", "a.x AND group=client", "anna")], listed)
    check(listed[0]["updated"].endswith("Z") and listed[0]["updated"][:2] == "20", listed)
    check(saved_queries(env) == [("x-clients", "a.x AND group=client", "anna")], saved_queries(env))
    log = server.api("GET", "/api/log")
    check((log[-1]["coder"], log[-1]["command"]) == ("anna", "serve: save query x-clients"), log[-1])
    check("serve: save query x-clients" in env.ok("-p", "mini.qcode", "log").out, "qcode log")
    # The saved expression, run, is what the CLI finds for it.
    check(server.api("GET", "/api/query" + Server.query(expr=listed[0]["expression"])) ==
          json.loads(env.ok("-p", "mini.qcode", "query", "a.x AND group=client", "--format", "json").out),
          "run")
    # Saving again under the name replaces it, as one more change.
    out = server.api("PUT", "/api/queries/x-clients", coder="ben", body={"expression": "b"})
    check(out["replaced"] is True, out)
    check(saved_queries(env) == [("x-clients", "b", "ben")], saved_queries(env))
    server.api("PUT", "/api/queries/Ab.9_z", body={"expression": "b.z NEAR/0 a"})
    check([q["name"] for q in server.api("GET", "/api/queries")] == ["Ab.9_z", "x-clients"], "two")
    # Deleted, it is gone; undo brings it back.
    server.api("DELETE", "/api/queries/x-clients", coder="anna")
    check(saved_queries(env) == [("Ab.9_z", "b.z NEAR/0 a", "server-default")], saved_queries(env))
    check(server.api("GET", "/api/log")[-1]["command"] == "serve: delete query x-clients", "logged")
    server.api("POST", "/api/undo", body={"n": 1})
    check(("x-clients", "b", "ben") in saved_queries(env), saved_queries(env))
    refused(server, env, "DELETE", "/api/queries/nothing", 404, expect_in="nothing")


@test
@with_server
def bad_saved_queries_are_refused_and_change_nothing(env, server):
    server.api("PUT", "/api/queries/kept", body={"expression": "a"})
    before = snapshot(env)
    put = "/api/queries/new"

    def bad(method, path, status, expect_in=None, **kw):
        # As refused(), but the project is compared once, at the end (each snapshot runs
        # the CLI six times).
        r = server.request(method, path, **kw)
        check(r.status == status, f"{method} {path} {kw}: expected {status}, got {r!r}")
        check("application/json" in (r.header("Content-Type") or ""), r.headers)
        check(r.json().get("error"), r)
        if expect_in:
            check(expect_in in r.json()["error"], f"{expect_in!r} not in {r!r}")
        return r.json()

    body = bad("PUT", put, 400, body={"expression": "a AND nope"}, expect_in="nope")
    check((body["column"], body["expression"]) == (7, "a AND nope"), body)
    check(bad("PUT", put, 400, body={"expression": "a OR OR b"})["column"] == 6, "column")
    bad("PUT", put, 400, body={"expression": "group=nobody"}, expect_in="nobody")
    bad("PUT", put, 400, body={"expression": "a", "name": "x"}, expect_in='unknown field "name"')
    bad("PUT", put, 400, body={"expresion": "a"}, expect_in="unknown field")
    bad("PUT", put, 400, body={"expression": 5}, expect_in="must be a string")
    bad("PUT", put, 400, body={}, expect_in='needs "expression"')
    bad("PUT", put, 400, raw_body=b"{not json", headers={"Content-Type": "application/json"},
        expect_in="not valid JSON")
    for name in ("9lives", "has%20space", "_x", "a%3Cb%3E"):
        bad("PUT", "/api/queries/" + name, 400, body={"expression": "a"})
    # The security gate, as for every change.
    bad("PUT", put, 401, body={"expression": "a"}, token=None)
    bad("DELETE", "/api/queries/kept", 401, token=None)
    bad("GET", "/api/queries", 401, token=None)
    bad("GET", "/api/query?expr=a", 401, token=("wrong", "0" * 64))
    bad("PUT", put, 403, body={"expression": "a"}, token="cookie",
        headers={"Origin": "http://evil.example"}, expect_in="another site")
    bad("DELETE", "/api/queries/kept", 403, token="cookie", expect_in="X-Qcode-Token")
    bad("PUT", put, 403, body={"expression": "a"}, headers={"Host": f"evil.example:{server.port}"})
    r = server.request("PUT", put, body={"expression": "a " * (3 * 1024 * 1024)})
    check(r.status == 413, r)
    check(snapshot(env) == before, "a refused request changed the project")
    check(saved_queries(env) == [("kept", "a", "server-default")], saved_queries(env))


@test
@with_server
def no_bad_request_gets_a_server_error(env, server):
    before = snapshot(env)
    bodies = [None, b"", b"null", b"{}", b"[]", b"\"x\"", b"{\"doc\": null}", b"{\"n\": -1}",
              b"{\"text\": 5}", b"{\"hits\": [1]}", b"{\"attributes\": []}", b"\x00\x01"]
    routes = [("POST", "/api/codings"), ("PATCH", "/api/codings/1"), ("DELETE", "/api/codings/x"),
              ("POST", "/api/codes"), ("PATCH", "/api/codes/a"), ("PATCH", "/api/cases/K1"),
              ("PUT", "/api/memos/document/I1"), ("PUT", "/api/summaries"),
              ("POST", "/api/summaries/draft"), ("POST", "/api/search/code"),
              ("GET", "/api/documents/%00"), ("GET", "/api/passages"),
              ("GET", "/api/expand"), ("GET", "/api/search"), ("PUT", "/api/state"),
              ("GET", "/api/query"), ("PUT", "/api/queries/q1"), ("DELETE", "/api/queries/q1")]
    for method, path in routes:
        for raw in bodies:
            r = server.request(method, path, raw_body=raw,
                               headers={"Content-Type": "application/json"} if raw is not None else {})
            check(r.status < 500, f"{method} {path} {raw!r}: {r!r}")
            check(r.status != 200, f"{method} {path} {raw!r} accepted: {r!r}")
    check(snapshot(env) == before, "bad requests changed the project")


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
