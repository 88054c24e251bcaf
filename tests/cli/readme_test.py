#!/usr/bin/env python3
"""The README's walk through the sample study, run as written.

Usage: readme_test.py --list            (names of the tests, one per line, for CMake)
       readme_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)

Every `$ COMMAND` line in a fenced block of README.md is run in order, with bash, in a
temporary folder that holds copies of `frameworks/` and `samples/` (the walk works in the
repository's folder), with the binary's folder first on PATH and QCODE_CODER set as the
README's `export` line sets it. Commands run on a terminal (a pseudo-terminal), so that
standard output and standard error interleave as the reader sees them.

The lines under a command, up to the next `$ ` line or the end of the block, are the
output it must print, compared line by line (trailing spaces ignored), with two ways to
elide:
  - a line that is just `...` stands for any number of lines, none included;
  - a line that ends in `...` stands for one line that starts with the text before the
    `...` (a long line cut short; the text may itself end in `...`).
Every other line must match exactly, and a command with no lines under it must print
nothing. A command must exit 0, unless the lines under it include an error message
(a line starting `qcode: `): then it must exit non-zero (a failure shown on purpose).
"""

import difflib
import functools
import os
import pty
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import ROOT, Failure, check  # noqa: E402

README = os.path.join(ROOT, "README.md")

TESTS = {}


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


def walk_commands(text):
    """(line number, command, expected output lines) for each `$ ` line, in order."""
    commands = []
    in_block = False
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            in_block = not in_block
            current = None
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            current = (number, line[2:], [])
            commands.append(current)
        elif current is not None:
            current[2].append(line.rstrip())
    return commands


def line_matches(expected, actual):
    if expected.endswith("...") and expected != "...":
        return actual.startswith(expected[:-3])
    return expected == actual


def output_matches(expected, actual):
    @functools.lru_cache(maxsize=None)
    def match(i, j):
        if i == len(expected):
            return j == len(actual)
        if expected[i] == "...":
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and line_matches(expected[i], actual[j]) and match(i + 1, j + 1)

    return match(0, 0)


def run_on_terminal(command, cwd, env):
    """Runs `command` with bash on a pseudo-terminal; returns (exit status, output)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                         stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command and everything it started have exited
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    code = p.wait(timeout=120)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return code, text


def as_seen(line):
    """What a terminal shows of `line`: a carriage return goes back to the start of the
    line and ESC [ K erases to its end (progress bars redraw themselves so)."""
    screen, col, i = [], 0, 0
    while i < len(line):
        if line.startswith("\x1b[K", i):
            del screen[col:]
            i += 3
            continue
        if line[i] == "\r":
            col = 0
        else:
            if col < len(screen):
                screen[col] = line[i]
            else:
                screen.append(line[i])
            col += 1
        i += 1
    return "".join(screen)


@test
def walk_runs_as_shown(env):
    with open(README, encoding="utf-8") as f:
        text = f.read()
    commands = walk_commands(text)
    check(len(commands) >= 30, f"expected the README's walk, found {len(commands)} commands")
    coder = re.search(r"^export QCODE_CODER=(\S+)", text, re.MULTILINE)
    check(coder, "the README no longer sets QCODE_CODER")

    for folder in ("frameworks", "samples"):
        shutil.copytree(os.path.join(ROOT, folder), env.path(folder))
    run_env = dict(os.environ)
    run_env.pop("QCODE_PROJECT", None)
    run_env["QCODE_CODER"] = coder.group(1)
    run_env["PATH"] = os.path.dirname(env.binary) + os.pathsep + run_env.get("PATH", "")

    failures = []  # every command runs, so that one run reports every drift
    for number, command, expected in commands:
        code, out = run_on_terminal(command, env.dir, run_env)
        actual = [as_seen(line).rstrip() for line in out.split("\n")]
        if actual and actual[-1] == "":
            actual.pop()
        where = f"README.md:{number}: $ {command}"
        if any(line.startswith("qcode: ") for line in expected):
            if code == 0:
                failures.append(f"{where}\nshould fail, but exited 0:\n{out}")
        elif code != 0:
            failures.append(f"{where}\nexited {code}:\n{out}")
        if not output_matches(expected, actual):
            diff = "\n".join(difflib.unified_diff(expected, actual, "README.md", "qcode",
                                                  lineterm=""))
            failures.append(f"{where}\nprints other than the README shows (- README, + qcode; "
                            f"'...' lines elide):\n{diff}")
        print(f"{'ok' if not failures or not failures[-1].startswith(where) else 'FAIL'} {where}")
    check(not failures, f"{len(failures)} of the README's commands differ:\n\n" +
          "\n\n".join(failures))

if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
