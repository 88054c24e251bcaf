#!/usr/bin/env python3
"""Black-box tests of what qcode says about a project file in trouble (issue 14, "The
truth about the project file"): damaged (cut short, overwritten), from a newer qcode,
not a project at all, busy (another process writing), read-only, on a full disk; and dry
runs, which never wait for another writer's lock. Every test checks that the project
file (and its -wal, when there is one) is byte-identical afterwards.

Usage: project_file_test.py --list            (names of the tests, one per line, for CMake)
       project_file_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)
"""

import hashlib
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import check  # noqa: E402

TESTS = {}
# The project format this qcode reads (coding::project::schema_version, docs/design.md).
SCHEMA_VERSION = 7
NOBODY = 65534


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


def digest(env, name):
    """The bytes of the project file and of its -wal (None when there is none, or it is
    empty), hashed by another process: closing a file in this one would drop the locks
    that a Writer below holds on it (POSIX locks belong to the process)."""
    def one(path):
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            return None
        return subprocess.run(["sha256sum", path], capture_output=True, check=True).stdout.split()[0]
    return one(env.path(name)), one(env.path(name + "-wal"))


def transcripts():
    folder = os.path.join(cli_test.SAMPLE, "transcripts")
    return sorted(os.path.join(folder, f) for f in os.listdir(folder))


def sample(env, name="p.qcode"):
    env.ok("init", name, "--framework", os.path.join(cli_test.FRAMEWORKS, "provider-led-pathways.yaml"))
    env.ok("-p", name, "import", *transcripts())
    env.ok("-p", name, "codings", "import", os.path.join(cli_test.SAMPLE, "codings-a.csv"))


def header(path):
    """Page size and page count from SQLite's file header (file format, section 1.3)."""
    with open(path, "rb") as f:
        h = f.read(100)
    check(h[:16] == b"SQLite format 3\0", "not an SQLite file")
    page_size = struct.unpack(">H", h[16:18])[0]
    return (65536 if page_size == 1 else page_size), struct.unpack(">I", h[28:32])[0]


def damaged_expectations(r, name):
    check(f"the project file '{name}' is damaged" in r.err, r)
    check(f"'qcode -p {name} check' shows what can still be read" in r.err, r)
    check("not a qcode project" not in r.err, f"a damaged project is still a project:\n{r}")


# --- damaged ---------------------------------------------------------------------------

@test
def a_truncated_project_is_damaged_not_foreign(env):
    sample(env)
    shutil.copy(env.path("p.qcode"), env.path("t.qcode"))
    page_size, pages = header(env.path("t.qcode"))
    os.truncate(env.path("t.qcode"), os.path.getsize(env.path("t.qcode")) - page_size)
    before = digest(env, "t.qcode")
    size = os.path.getsize(env.path("t.qcode"))
    for args in (["docs", "list"], ["matrix"], ["import", transcripts()[0]], ["check"]):
        r = env.bad("-p", "t.qcode", *args)
        damaged_expectations(r, "t.qcode")
        check(f"it has {size} bytes where its header counts {pages} pages of {page_size} bytes "
              f"({pages * page_size} bytes)" in r.err, r)
        check("there is none beside it: restore the file from your own backups" in r.err, r)
        check(digest(env, "t.qcode") == before, f"qcode {args} changed the file")
    # check lists what each table still holds: the good copy's row counts, worked out
    # here with Python's sqlite3, for the tables before the cut.
    r = env.bad("-p", "t.qcode", "check")
    check("table documents: " in r.out and "table codings: " in r.out, r)
    with sqlite3.connect(env.path("p.qcode")) as good:
        documents = good.execute("SELECT count(*) FROM documents").fetchone()[0]
    check(documents == len(transcripts()), documents)
    check(f"table documents: {documents} rows readable" in r.out, r)


@test
def an_overwritten_page_is_damaged_and_check_reports_what_sqlite_finds(env):
    sample(env)
    page_size, pages = header(env.path("p.qcode"))
    # The codings table's root page, found with Python's sqlite3 before the damage.
    with sqlite3.connect(env.path("p.qcode")) as db:
        root = db.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'codings'").fetchone()[0]
    with open(env.path("p.qcode"), "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x55" * page_size)
    env.write("p.qcode.v5.bak", "an old copy")  # a backup qcode would have made
    before = digest(env, "p.qcode")
    r = env.bad("codings", "export", "-p", "p.qcode")
    damaged_expectations(r, "p.qcode")
    check("qcode's backups beside it: p.qcode.v5.bak (made before qcode upgraded" in r.err, r)
    r = env.bad("check", "-p", "p.qcode")
    damaged_expectations(r, "p.qcode")
    check("integrity check: " in r.out, r)
    check("integrity check: ok" not in r.out, r)
    check("table codings: cannot be read" in r.out, r)
    check(f"table documents: {len(transcripts())} rows readable" in r.out, r)
    check(digest(env, "p.qcode") == before, "check changed the file")


# --- not a project, newer --------------------------------------------------------------

@test
def only_a_file_without_qcode_schema_is_not_a_project(env):
    env.write("text.qcode", "hello, not a database\n" * 10)
    db = sqlite3.connect(env.path("other.qcode"))
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    for name in ("text.qcode", "other.qcode"):
        before = digest(env, name)
        r = env.bad("docs", "list", "-p", name, expect_in_err=f"qcode: '{name}' is not a qcode project")
        check("damaged" not in r.err, r)
        check(digest(env, name) == before, f"{name} changed")


@test
def a_project_from_a_newer_qcode_says_which_versions(env):
    sample(env)
    db = sqlite3.connect(env.path("p.qcode"))
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = digest(env, "p.qcode")
    for args in (["docs", "list"], ["check"], ["import", "--dry-run", transcripts()[0]]):
        r = env.bad("-p", "p.qcode", *args, expect_in_err=(
            f"'p.qcode' was written by a newer qcode (project format version 99; this qcode reads "
            f"versions up to {SCHEMA_VERSION}); upgrade qcode to open it; nothing was changed"))
        check("not a qcode project" not in r.err, r)
    check(digest(env, "p.qcode") == before, "changed")


# --- busy ------------------------------------------------------------------------------

class Writer:
    """Another process writing to the project: Python's sqlite3 holding BEGIN IMMEDIATE."""

    def __init__(self, path):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT INTO cases (id, label) VALUES ('ZZ', 'not yet committed')")

    def close(self):
        self.db.execute("ROLLBACK")
        self.db.close()


@test
def a_busy_project_waits_says_so_and_names_the_command_to_retry(env):
    sample(env)
    env.write("k.csv", "case,district\nC01,South\n")
    writer = Writer(env.path("p.qcode"))
    try:
        before = digest(env, "p.qcode")
        started = time.monotonic()
        r = env.bad("-p", "p.qcode", "cases", "import", "k.csv", code=1,
                    env={"QCODE_BUSY_TIMEOUT_MS": "1500"})
        waited = time.monotonic() - started
        check(digest(env, "p.qcode") == before, "changed while busy")
    finally:
        writer.close()
    check("qcode: waiting for 'p.qcode': another qcode (or another program) is writing to it; "
          "giving up after 1.5 s" in r.err, r)
    check("qcode: 'p.qcode' is still busy after 1.5 s: another qcode (or another program) is "
          "writing to it; nothing was changed; when it has finished, run again: "
          "qcode -p p.qcode cases import k.csv" in r.err, r)
    check(1.4 <= waited < 10, f"waited {waited:.1f} s")
    # Once the other has finished, the same command works.
    env.ok("-p", "p.qcode", "cases", "import", "k.csv")


@test
def the_busy_timeout_is_checked(env):
    sample(env)
    env.bad("-p", "p.qcode", "docs", "list", env={"QCODE_BUSY_TIMEOUT_MS": "soon"},
            expect_in_err="QCODE_BUSY_TIMEOUT_MS='soon' is not a number of milliseconds")


@test
def reads_and_dry_runs_do_not_wait_for_a_writer(env):
    sample(env)
    sample(env, "other.qcode")
    env.ok("-p", "other.qcode", "codings", "import", os.path.join(cli_test.SAMPLE, "codings-b.csv"))
    new = env.write("N1.txt", "---\ncase: N1\nspeakers: {IV: interviewer, R: N1}\n---\n"
                    "IV: Hello?\nR: The adviser helped.\n")
    framework = os.path.join(cli_test.FRAMEWORKS, "provider-led-pathways.yaml")
    commands = [["import", "--dry-run", new, transcripts()[0]],
                ["merge", "--dry-run", "other.qcode"],
                ["framework", "update", "--dry-run", framework],
                ["search", "adviser", "--code-as", "choice.informed", "--dry-run"],
                ["docs", "list"],
                ["matrix", "--format", "json"]]
    free = [env.ok("-p", "p.qcode", *c) for c in commands]
    writer = Writer(env.path("p.qcode"))
    try:
        before = digest(env, "p.qcode")
        for c, expected in zip(commands, free):
            started = time.monotonic()
            r = env.ok("-p", "p.qcode", *c, env={"QCODE_BUSY_TIMEOUT_MS": "5000"})
            took = time.monotonic() - started
            check("waiting" not in r.err and took < 4, f"qcode {c} waited ({took:.1f} s):\n{r}")
            check((r.out, r.err) == (expected.out, expected.err),
                  f"qcode {c} says something else while another process writes:\n{r}\n{expected}")
        check(digest(env, "p.qcode") == before, "a dry run changed the file")
    finally:
        writer.close()
    check("(dry run: nothing was changed)" in free[0].err, free[0])


# --- read-only -------------------------------------------------------------------------

def as_other_user(env, *args, env_vars=None):
    """Runs qcode as a user that permissions bind: the current one, or `nobody` under root
    (root writes to read-only files)."""
    if os.geteuid() != 0:
        return env.run(*args, env=env_vars)
    full = dict(os.environ, QCODE_CODER="tester", **(env_vars or {}))
    full.pop("QCODE_PROJECT", None)
    p = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                        env.binary, *args], cwd=env.dir, capture_output=True, env=full, timeout=60)
    return cli_test.Run(p.returncode, p.stdout.decode(), p.stderr.decode())


def can_drop_to_nobody(env):
    if os.geteuid() != 0:
        return True
    if shutil.which("setpriv") is None:
        return False
    p = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                        env.binary, "--version"], capture_output=True)
    return p.returncode == 0


@test
def a_read_only_file_is_read_but_never_written(env):
    if not can_drop_to_nobody(env):
        print("skipped: running as root without setpriv to drop to an ordinary user")
        return
    sample(env)
    env.write("k.csv", "case,district\nC01,South\n")
    os.chmod(env.dir, 0o777)
    if os.geteuid() == 0:
        for name in os.listdir(env.dir):
            os.chown(env.path(name), NOBODY, NOBODY)
    os.chmod(env.path("p.qcode"), 0o444)
    before = digest(env, "p.qcode")
    r = as_other_user(env, "-p", "p.qcode", "docs", "list")
    check(r.code == 0 and "C01" in r.out, r)
    r = as_other_user(env, "-p", "p.qcode", "matrix")
    check(r.code == 0, r)
    r = as_other_user(env, "-p", "p.qcode", "cases", "import", "k.csv")
    check(r.code == 2, r)
    check("qcode: cannot change 'p.qcode': the file is read-only; nothing was changed (make it "
          "writable, e.g. 'chmod u+w p.qcode', or work on a copy)" in r.err, r)
    check(digest(env, "p.qcode") == before, "changed")


@test
def a_read_only_folder_is_named(env):
    if not can_drop_to_nobody(env):
        print("skipped: running as root without setpriv to drop to an ordinary user")
        return
    os.mkdir(env.path("ro"))
    env.ok("init", "ro/p.qcode")
    env.ok("-p", "ro/p.qcode", "import", transcripts()[0])
    env.write("k.csv", "case,district\nC01,South\n")
    if os.geteuid() == 0:
        for name in ("ro", "ro/p.qcode", "k.csv"):
            os.chown(env.path(name), NOBODY, NOBODY)
        os.chmod(env.dir, 0o755)
    os.chmod(env.path("ro"), 0o555)
    try:
        before = digest(env, "ro/p.qcode")
        r = as_other_user(env, "-p", "ro/p.qcode", "cases", "import", "k.csv")
        check(r.code == 2, r)
        check("qcode: cannot change 'ro/p.qcode': its folder 'ro' is read-only, and SQLite must "
              "create 'p.qcode-wal' and 'p.qcode-shm' there to write; nothing was changed" in r.err, r)
        check(digest(env, "ro/p.qcode") == before, "changed")
        # Reading: documented in docs/cli.md.
        r = as_other_user(env, "-p", "ro/p.qcode", "docs", "list")
        check(r.code == 0 and "C01" in r.out, r)
    finally:
        os.chmod(env.path("ro"), 0o755)


# --- full disk -------------------------------------------------------------------------

@test
def a_full_disk_says_how_much_is_free_and_changes_nothing(env):
    """On a small tmpfs in a private mount namespace (needs root and unshare); skipped
    otherwise."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        print("skipped: a small tmpfs needs root and unshare")
        return
    env.ok("init", "p.qcode")
    env.ok("-p", "p.qcode", "import", transcripts()[0])
    size = os.path.getsize(env.path("p.qcode"))
    # A transcript of about 2 MB, far more than the room left.
    big = env.write("BIG.txt", "---\ncase: B1\nspeakers: {IV: interviewer, R: B1}\n---\n" +
                    "R: words words words, and more of them.\n" * 50000)
    script = f"""
set -e
mount -t tmpfs -o size={size + 64 * 1024} tmpfs disk
cp p.qcode disk/p.qcode
sha256sum disk/p.qcode > before.sum
set +e
"{env.binary}" -p disk/p.qcode import {big} 2> err.txt
echo $? > code.txt
set -e
sha256sum disk/p.qcode > after.sum
ls disk > files.txt
df -B1 --output=avail disk | tail -1 > avail.txt
"""
    os.mkdir(env.path("disk"))
    p = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=env.dir, capture_output=True)
    if p.returncode != 0 and not os.path.exists(env.path("code.txt")):
        print(f"skipped: cannot mount a tmpfs here ({p.stderr.decode().strip()})")
        return
    read = lambda name: open(env.path(name)).read()  # noqa: E731
    err = read("err.txt")
    check(read("code.txt").strip() == "1", err)
    check("qcode: the disk holding 'disk/p.qcode' is full: " in err, err)
    check(" free in 'disk'; the project takes " in err and "nothing was changed: free at least " in err, err)
    check(read("before.sum").split()[0] == read("after.sum").split()[0], "the project changed")
    print(err.strip())


def main(argv):
    return cli_test.main(argv, TESTS, __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
