#!/usr/bin/env python3
"""Black-box tests of progress on long work (issue 16): a bar on standard error when it is
a terminal (a pseudo-terminal here, from Python's pty module), nothing when it is a pipe,
nothing with --quiet.

Usage: progress_test.py --list            (names of the tests, one per line, for CMake)
       progress_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)
"""

import csv
import os
import pty
import select
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import MINI, check  # noqa: E402

TESTS = {}
CLEAR = "\r\x1b[K"  # back to the start of the line, erase it


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


def on_terminal(env, *args):
    """Runs qcode with standard error on a pseudo-terminal (standard output a pipe);
    returns (exit status, stdout, what the terminal received)."""
    master, slave = pty.openpty()
    full_env = dict(os.environ)
    full_env.pop("QCODE_PROJECT", None)
    full_env["QCODE_CODER"] = "tester"
    p = subprocess.Popen([env.binary, *args], cwd=env.dir, stdout=subprocess.PIPE,
                         stderr=slave, env=full_env)
    os.close(slave)
    received = b""
    out = b""
    while True:
        ready, _, _ = select.select([master, p.stdout], [], [], 60)
        check(ready, f"qcode {' '.join(args)} hangs")
        if master in ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the terminal's other end is closed
                chunk = b""
            if not chunk:
                break
            received += chunk
        if p.stdout in ready:
            out += p.stdout.read1(4096)
    out += p.stdout.read()
    code = p.wait(60)
    os.close(master)
    # The terminal turns "\n" into "\r\n".
    return code, out.decode("utf-8"), received.decode("utf-8").replace("\r\n", "\n")


def mini_files():
    return [os.path.join(MINI, f) for f in ("I1.txt", "G1.txt", "I2.txt")]


def codings_rows():
    with open(os.path.join(MINI, "codings.csv"), encoding="utf-8", newline="") as f:
        return len(list(csv.DictReader(f)))


def shows_bar(err, bar, args):
    """`bar` was drawn, the line was cleared after it, and what follows the last clear
    holds no bar."""
    check(bar in err, f"qcode {' '.join(args)}: no {bar!r} on the terminal:\n{err!r}")
    check(CLEAR in err[err.index(bar):], f"the bar is not cleared:\n{err!r}")
    check(bar not in err[err.rindex(CLEAR):], f"the bar is left on the screen:\n{err!r}")


@test
def import_shows_a_bar_on_a_terminal(env):
    env.ok("init", "mini.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
    args = ("import", *mini_files())
    code, _, err = on_terminal(env, *args)
    check(code == 0, err)
    shows_bar(err, "importing 3/3 files", args)
    # The usual messages follow the cleared bar.
    check("3 imported, 0 replaced, 0 unchanged" in err[err.rindex(CLEAR):], repr(err))


@test
def import_to_a_pipe_shows_no_bar(env):
    env.ok("init", "mini.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
    r = env.ok("import", *mini_files())
    check("importing" not in r.err and "\r" not in r.err and "\x1b" not in r.err, repr(r.err))
    check("3 imported" in r.err, r.err)


@test
def quiet_silences_the_bar(env):
    env.ok("init", "mini.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
    # Before the command (global) and after it (the command's option).
    for args in (("--quiet", "import", *mini_files()), ("import", *mini_files(), "--quiet")):
        code, _, err = on_terminal(env, *args)
        check(code == 0, err)
        check("importing" not in err and "\x1b" not in err and "\r" not in err, repr(err))
        check("unchanged" in err, err)  # the messages still come


@test
def codings_refi_and_report_show_bars(env):
    env.ok("init", "mini.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
    env.ok("import", *mini_files())
    env.ok("cases", "import", os.path.join(MINI, "cases.csv"))
    n = codings_rows()
    args = ("codings", "import", os.path.join(MINI, "codings.csv"))
    code, _, err = on_terminal(env, *args)
    check(code == 0, err)
    shows_bar(err, f"importing {n}/{n} codings", args)

    args = ("export", "qdpx", "-o", "mini.qdpx")
    code, _, err = on_terminal(env, *args)
    check(code == 0, err)
    shows_bar(err, "exporting 3/3 documents", args)

    args = ("-p", "copy.qcode", "import", "mini.qdpx")
    code, _, err = on_terminal(env, *args)
    check(code == 0, err)
    shows_bar(err, "importing 3/3 documents", args)

    # The mini framework has two themes, a and b.
    args = ("-p", "mini.qcode", "report", "-o", "report.md")
    code, _, err = on_terminal(env, *args)
    check(code == 0, err)
    shows_bar(err, "reporting 2/2 themes", args)
    code, _, err = on_terminal(env, "--quiet", *args)
    check(code == 0 and "\x1b" not in err, repr(err))


def main(argv):
    return cli_test.main(argv, TESTS, __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
