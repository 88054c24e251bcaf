#!/usr/bin/env python3
"""Black-box tests of "no lost work": concurrent writers, readers during a write, and
commands killed part-way.

Usage: concurrency_test.py --list            (names of the tests, one per line, for CMake)
       concurrency_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)

Each test runs the real qcode binary in a fresh temporary folder (see cli_test.Env).
The verdicts do not depend on timing: a command killed at a random moment must leave the
project exactly as it was before the command or exactly as a complete run leaves it, and
concurrent commands must all succeed; only the overall time is bounded, generously.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import ROOT, Env, Failure, check  # noqa: E402

GEN_STUDY = os.path.join(ROOT, "bench", "gen_study.py")

TESTS = {}


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


def qcode_env():
    env = dict(os.environ)
    env.pop("QCODE_PROJECT", None)
    env["QCODE_CODER"] = "tester"
    return env


def project_files(folder, name="p.qcode"):
    return [os.path.join(folder, name + suffix) for suffix in ("", "-wal", "-shm")]


def copy_project(src_folder, dst_folder, name="p.qcode"):
    """Copies the project file and its -wal/-shm (when present) over whatever is there."""
    for src, dst in zip(project_files(src_folder, name), project_files(dst_folder, name)):
        if os.path.exists(dst):
            os.remove(dst)
        if os.path.exists(src):
            shutil.copyfile(src, dst)


class Folder(Env):
    """An Env whose commands run in a sub-folder (so that several projects can coexist)."""

    def __init__(self, binary, parent, name):
        self.binary = binary
        self.dir = os.path.join(parent, name)
        os.makedirs(self.dir, exist_ok=True)


def state(env):
    """Everything a user can see of the project that a write could change."""
    return {"docs": json.loads(env.ok("docs", "list", "--format", "json").out),
            "codings": json.loads(env.ok("codings", "export", "--format", "json").out),
            "log": json.loads(env.ok("log", "--format", "json").out)}


def without_times(s):
    """The state with creation and history times left out, to compare two separate runs."""
    return {"docs": s["docs"],
            "codings": [{k: v for k, v in c.items() if k != "created"} for c in s["codings"]],
            "log": [{k: v for k, v in e.items() if k != "time"} for e in s["log"]]}


def differences(a, b):
    out = []
    for key in a:
        if a[key] != b[key]:
            out.append(f"{key}: {len(a[key])} vs {len(b[key])} entries")
    return "; ".join(out) or "none"


def generate_study(env, docs=300):
    out = env.path("study")
    subprocess.run([sys.executable, GEN_STUDY, "--docs", str(docs), "--out", out], check=True,
                   capture_output=True, timeout=60)
    return out


def transcripts(study):
    folder = os.path.join(study, "transcripts")
    return [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(".txt")]


def timed_run(env, args):
    t0 = time.monotonic()
    r = env.ok(*args)
    return time.monotonic() - t0, r


def kill_attempts(env, base, args):
    """Runs `qcode ARGS` on a fresh copy of the project in `base` once per delay, killing
    it with SIGKILL after that delay. After each attempt the project must equal the state
    before (exactly) or after a complete run (times aside), and pass `qcode check`; then
    the same command, run to the end, must give the complete state. Returns a list of
    (delay, outcome) for the report."""
    before = state(base)
    work = Folder(env.binary, env.dir, "work")
    copy_project(base.dir, work.dir)
    check(state(work) == before, "a copied project differs from its original")
    # The time of an uninterrupted run: the faster of two (the first may find cold caches).
    full_time, _ = timed_run(work, args)
    copy_project(base.dir, work.dir)
    full_time = min(full_time, timed_run(work, args)[0])
    after = without_times(state(work))
    check(after != without_times(before), "the command under test changed nothing")
    delays = [0.0, 0.002, 0.01, 0.05, 0.1, 0.2]
    delays += [full_time * f for f in (0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98, 1.0, 1.05)]
    outcomes = []
    for delay in delays:
        copy_project(base.dir, work.dir)
        p = subprocess.Popen([env.binary, *args], cwd=work.dir, env=qcode_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)  # harmless if it has already exited (not yet reaped)
        out, err = p.communicate(timeout=60)
        code = p.returncode
        check(code in (0, -signal.SIGKILL),
              f"delay {delay:.3f}s: qcode {' '.join(args[:3])}... exited {code}:\n{err.decode()}")
        now = state(work)
        if now == before:
            outcome = "before"
            check(code != 0, f"delay {delay:.3f}s: the command exited 0 but the project is unchanged")
        elif without_times(now) == after:
            outcome = "after"
        else:
            raise Failure(f"delay {delay:.3f}s (exit {code}): the project is neither as before nor "
                          f"as after a complete run; versus before: {differences(now, before)}; "
                          f"versus after: {differences(without_times(now), after)}")
        r = work.ok("check")
        outcomes.append((round(delay, 3), outcome, "finished" if code == 0 else "killed"))
        if outcome == "before":
            # The project still works: the same command now runs to the end.
            work.ok(*args)
            check(without_times(state(work)) == after,
                  f"delay {delay:.3f}s: re-running after the kill did not give the complete state")
            work.ok("check")
    print(f"uninterrupted run {full_time:.3f}s; attempts: {outcomes}")
    return outcomes


# --- concurrent writers ----------------------------------------------------------------

WRITER = r"""
import json, subprocess, sys
binary, doc, code, coder, spans, report = sys.argv[1:7]
failures = []
for span in json.loads(spans):
    p = subprocess.run([binary, "code", doc, "--chars", span, "--code", code, "--coder", coder],
                       capture_output=True)
    if p.returncode != 0 or "already coded" in p.stderr.decode():
        failures.append([span, p.returncode, p.stderr.decode()])
with open(report, "w") as f:
    json.dump(failures, f)
"""


def distinct_spans(length, n, skip=()):
    spans = []
    for width in range(1, length + 1):
        for start in range(0, length - width + 1):
            if (start, start + width) not in skip:
                spans.append((start, start + width))
            if len(spans) == n:
                return spans
    raise Failure(f"fewer than {n} spans in {length} characters")


@test
def parallel_writers_lose_nothing(env):
    env.mini_project()
    docs = {d["id"]: d for d in json.loads(env.ok("docs", "list", "--format", "json").out)}
    fixture = json.loads(env.ok("codings", "export", "--format", "json").out)
    fixture_ab = sum(1 for c in fixture if c["coder"] in ("a", "b"))
    log_before = len(json.loads(env.ok("log", "--format", "json").out))
    plans = {"a": ("I1", "a.x"), "b": ("G1", "b.z")}
    planned = set()
    writers = []
    script = env.write("writer.py", WRITER)
    t0 = time.monotonic()
    for coder, (doc, code) in plans.items():
        existing = {(c["start"], c["end"]) for c in fixture
                    if c["doc"] == doc and c["code"] == code and c["coder"] == coder}
        spans = distinct_spans(docs[doc]["characters"], 200, existing)
        planned |= {(doc, s, e, code, coder) for s, e in spans}
        report = env.path(f"writer-{coder}.json")
        writers.append((coder, report, subprocess.Popen(
            [sys.executable, script, env.binary, doc, code, coder,
             json.dumps([f"{s}:{e}" for s, e in spans]), report],
            cwd=env.dir, env=qcode_env())))
    check(len(planned) == 400, "the plan should have 400 distinct codings")
    try:
        for coder, report, p in writers:
            remaining = max(1.0, 100 - (time.monotonic() - t0))
            p.wait(timeout=remaining)
    except subprocess.TimeoutExpired:
        raise Failure("the two writers took more than 100 s")
    finally:
        for _, _, p in writers:
            if p.poll() is None:
                p.kill()
                p.wait()
    elapsed = time.monotonic() - t0
    for coder, report, p in writers:
        check(p.returncode == 0, f"writer {coder} crashed (exit {p.returncode})")
        with open(report) as f:
            failures = json.load(f)
        check(not failures, f"writer {coder}: {len(failures)} of 200 commands failed; first: "
                            f"{failures[:3]}")
    codings = json.loads(env.ok("codings", "export", "--format", "json").out)
    ab = [c for c in codings if c["coder"] in ("a", "b")]
    check(len(ab) == 400 + fixture_ab, f"{len(ab)} codings by a and b, expected {400 + fixture_ab}")
    check(len(codings) == len(fixture) + 400, f"{len(codings)} codings, expected {len(fixture) + 400}")
    got = {(c["doc"], c["start"], c["end"], c["code"], c["coder"]) for c in codings}
    missing = planned - got
    check(not missing, f"{len(missing)} planned codings missing, e.g. {sorted(missing)[:5]}")
    env.ok("check")
    log = json.loads(env.ok("log", "--format", "json").out)
    check(len(log) == log_before + 400, f"{len(log)} log entries, expected {log_before + 400}")
    print(f"400 commands by two writers in {elapsed:.1f}s")


# --- killed commands -----------------------------------------------------------------------

@test
def killed_import_leaves_project_as_before(env):
    study = generate_study(env)
    base = Folder(env.binary, env.dir, "base")
    base.ok("init", "p.qcode", "--framework", os.path.join(study, "framework.yaml"))
    base.ok("import", *transcripts(study))
    base.ok("cases", "import", os.path.join(study, "cases.csv"))
    kill_attempts(env, base, ["codings", "import", os.path.join(study, "codings-a.csv")])


@test
def killed_transcript_import_leaves_project_as_before(env):
    study = generate_study(env)
    base = Folder(env.binary, env.dir, "base")
    base.ok("init", "p.qcode", "--framework", os.path.join(study, "framework.yaml"))
    # A first import of a few documents, so that "before" is not empty.
    files = transcripts(study)
    base.ok("import", *files[:5])
    kill_attempts(env, base, ["import", *files])


# --- a reader during a write -------------------------------------------------------------------

def segments_total(run):
    check(run.code == 0, f"matrix during an import failed:\n{run}")
    try:
        m = json.loads(run.out)
    except json.JSONDecodeError as e:
        raise Failure(f"matrix during an import printed invalid JSON ({e}):\n{run.out[:500]}")
    return sum(sum(row["cells"]) for row in m["rows"])


@test
def two_processes_import_and_read(env):
    study = generate_study(env)
    base = Folder(env.binary, env.dir, "base")
    base.ok("init", "p.qcode", "--framework", os.path.join(study, "framework.yaml"))
    base.ok("import", *transcripts(study))
    base.ok("cases", "import", os.path.join(study, "cases.csv"))
    matrix = ["matrix", "--measure", "segments", "--level", "code", "--format", "json"]
    before = segments_total(base.run(*matrix))
    work = Folder(env.binary, env.dir, "work")
    copy_project(base.dir, work.dir)
    work.ok("codings", "import", os.path.join(study, "codings-a.csv"))
    after = segments_total(work.run(*matrix))
    check(before != after, f"the import should change the total of segments ({before})")
    seen = {before: 0, after: 0}
    t0 = time.monotonic()
    for _ in range(5):
        copy_project(base.dir, work.dir)
        importer = subprocess.Popen([env.binary, "codings", "import", os.path.join(study, "codings-a.csv")],
                                    cwd=work.dir, env=qcode_env(),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        reads_after_import = 0
        # Keep reading until the import has ended and two more reads have seen its result.
        while reads_after_import < 2:
            check(time.monotonic() - t0 < 100, "reading during the imports took more than 100 s")
            done = importer.poll() is not None
            total = segments_total(work.run(*matrix))
            check(total in seen, f"matrix saw {total} segments, neither {before} (before the import) "
                                 f"nor {after} (after it)")
            seen[total] += 1
            if done:
                reads_after_import += 1
        out, err = importer.communicate(timeout=60)
        check(importer.returncode == 0, f"the import failed while matrix was reading:\n{err.decode()}")
        check(segments_total(work.run(*matrix)) == after, "the import did not complete")
        work.ok("check")
    print(f"matrix reads: {seen[before]} before, {seen[after]} after, in {time.monotonic() - t0:.1f}s")


def main(argv):
    return cli_test.main(argv, TESTS, __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
