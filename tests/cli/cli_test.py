#!/usr/bin/env python3
"""Black-box tests of the qcode executable.

Usage: cli_test.py --list            (names of the tests, one per line, for CMake)
       cli_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)

Each test runs the real binary in a fresh temporary folder and checks exit codes,
standard output and standard error. Expected numbers for the small fixture come from
tests/fixtures/mini/WORKING.md, worked out by hand.
"""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
MINI = os.path.join(FIXTURES, "mini")
SAMPLE = os.path.join(ROOT, "samples", "provider-led-pathways")
FRAMEWORKS = os.path.join(ROOT, "frameworks")

TESTS = {}


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


class Env:
    """A temporary working folder and a way to run qcode in it."""

    def __init__(self, binary):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="qcode-cli-")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self, *args, env=None):
        full_env = dict(os.environ)
        full_env.pop("QCODE_PROJECT", None)
        full_env["QCODE_CODER"] = "tester"
        full_env.update(env or {})
        p = subprocess.run([self.binary, *args], cwd=self.dir, capture_output=True,
                           env=full_env, timeout=120)
        return Run(p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8"))

    def ok(self, *args, **kw):
        r = self.run(*args, **kw)
        check(r.code == 0, f"qcode {' '.join(args)} failed:\n{r}")
        return r

    def bad(self, *args, expect_in_err=(), code=2, **kw):
        r = self.run(*args, **kw)
        check(r.code == code, f"qcode {' '.join(args)}: expected exit {code}:\n{r}")
        for text in ([expect_in_err] if isinstance(expect_in_err, str) else expect_in_err):
            check(text in r.err, f"qcode {' '.join(args)}: expected {text!r} in stderr:\n{r}")
        check(r.err.startswith("qcode: ") or ": " in r.err.splitlines()[0],
              f"message should name qcode or a location:\n{r}")
        return r

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return self.path(name)

    def mini_project(self, with_codings=True):
        self.ok("init", "mini.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
        self.ok("import", *(os.path.join(MINI, f) for f in ("I1.txt", "G1.txt", "I2.txt")))
        self.ok("cases", "import", os.path.join(MINI, "cases.csv"))
        if with_codings:
            self.ok("codings", "import", os.path.join(MINI, "codings.csv"))

    def sample_project(self):
        """The sample study: its transcripts, cases and both coders' codings, in s.qcode."""
        self.ok("init", "s.qcode", "--framework", os.path.join(FRAMEWORKS, "provider-led-pathways.yaml"))
        transcripts = sorted(os.path.join(SAMPLE, "transcripts", f)
                             for f in os.listdir(os.path.join(SAMPLE, "transcripts")))
        check(len(transcripts) >= 12, transcripts)
        self.ok("import", *transcripts)
        self.ok("cases", "import", os.path.join(SAMPLE, "cases.csv"))
        for coder in ("a", "b"):
            self.ok("codings", "import", os.path.join(SAMPLE, f"codings-{coder}.csv"))

    def snapshot_docs(self):
        return self.ok("docs", "list", "--format", "json").out

    def snapshot(self):
        """Everything a user can see of the project, to compare before and after."""
        return (self.ok("docs", "list", "--format", "json").out,
                self.ok("codings", "export", "--format", "json").out,
                self.ok("matrix", "--format", "json").out)


def matrix_json(env, *args):
    return json.loads(env.ok("matrix", "--format", "json", *args).out)


# --- help and usage ---------------------------------------------------------------

@test
def help_lists_every_command(env):
    r = env.ok("--help")
    for name in ("init", "framework", "import", "cases", "docs", "code", "codings", "search", "words",
                 "matrix", "chart", "summary", "cooccur", "report", "check", "log", "undo", "redo", "uncode",
                 "memo", "serve", "agreement", "query"):
        check(f"  {name} " in r.out, f"{name} missing from --help:\n{r}")
    check("qcode 0." in env.ok("--version").out, "version")


@test
def every_command_has_help(env):
    for cmd in (["init"], ["framework"], ["framework", "check"], ["framework", "show"], ["import"],
                ["cases"], ["cases", "import"], ["docs"], ["docs", "list"], ["docs", "show"],
                ["code"], ["codings"], ["codings", "import"], ["codings", "export"], ["search"], ["words"], ["matrix"],
                ["check"], ["log"], ["undo"], ["redo"], ["uncode"], ["codings", "recode"], ["chart"],
                ["summary"], ["summary", "set"], ["summary", "show"], ["summary", "export"], ["summary", "import"],
                ["summary", "draft"], ["cooccur"], ["report"], ["memo"], ["serve"], ["agreement"], ["query"]):
        r = env.ok(*cmd, "--help")
        check("usage: qcode" in r.out, f"no usage for {cmd}:\n{r}")


@test
def missing_arguments_are_named_as_the_usage_names_them(env):
    env.mini_project()
    env.bad("summary", "set", "K1", "a.x", expect_in_err=["missing TEXT", "usage: qcode summary set CASE CODE TEXT"])
    env.bad("summary", "import", expect_in_err="missing FILE (usage: qcode summary import FILE.csv)")


@test
def unknown_command_suggests(env):
    env.bad("matirx", expect_in_err="did you mean 'matrix'?")
    env.bad("docs", "lst", expect_in_err="did you mean 'list'?")
    env.bad("matrix", "--bogus", expect_in_err="bogus")


# --- frameworks ---------------------------------------------------------------------

@test
def shipped_frameworks_check_clean(env):
    for name in sorted(os.listdir(FRAMEWORKS)):
        if name.endswith(".yaml"):
            r = env.ok("framework", "check", os.path.join(FRAMEWORKS, name))
            check(": ok (" in r.out, r)
    r = env.ok("framework", "show", os.path.join(FRAMEWORKS, "provider-led-pathways.yaml"))
    check("choice.informed" in r.out and "groups (case attribute 'group')" in r.out, r)


@test
def framework_check_reports_every_problem_with_location(env):
    path = env.write("bad.yaml", "\n".join([
        "id: Bad Id",             # 1: malformed id at column 5
        "title: t",
        "themes:",
        "  - id: a",              # 4
        "    lable: A",           # 5: unknown key at column 5, did you mean label; a has no label
        "    codes:",
        "      - {id: x, label: X}",
        "      - {id: x, label: Y}",  # 8: duplicate id at column 14
        "  - id: b",              # 9: theme without codes
        "    label: B",
        ""]))
    r = env.bad("framework", "check", path, expect_in_err=[
        "bad.yaml:1:5: malformed id 'Bad Id'",
        "bad.yaml:5:5: unknown key 'lable' in theme; did you mean 'label'?",
        "bad.yaml:4:5: theme 'a' has no 'label'",
        "bad.yaml:8:14: duplicate id 'a.x'",
        "bad.yaml:9:5: theme 'b' has no codes",
        "5 problems"])
    env.bad("init", "p.qcode", "--framework", path, expect_in_err="5 problems")
    check(not os.path.exists(env.path("p.qcode")), "a bad framework must not leave a project")


@test
def framework_with_an_anchor_cycle_is_refused_at_the_alias(env):
    # Line 6 of the fixture is "    codes: *t"; the '*' is in column 12. qcode used to
    # crash (SIGSEGV) on it in each of these commands.
    path = os.path.join(FIXTURES, "broken", "framework-anchor-cycle.yaml")
    message = ("framework-anchor-cycle.yaml:6:12: alias '*t' refers to a node that contains "
               "it (an anchor cycle); write the repeated part out instead of the alias")
    env.bad("framework", "check", path, expect_in_err=[message, "1 problem"])
    env.bad("init", "p.qcode", "--framework", path, expect_in_err=message)
    check(not os.path.exists(env.path("p.qcode")), "a bad framework must not leave a project")
    env.mini_project(with_codings=False)
    env.bad("framework", "update", path, expect_in_err=message)


# --- import and documents ------------------------------------------------------------

@test
def import_and_show_documents(env):
    env.mini_project(with_codings=False)
    docs = json.loads(env.ok("docs", "list", "--format", "json").out)
    check([d["id"] for d in docs] == ["I1", "G1", "I2"], docs)
    check(docs[0]["characters"] == 60 and docs[1]["case"] is None, docs)
    text = env.ok("docs", "show", "I2").out
    check(text == "IV: Zoë said “yes”?\nR: Yes.\n", repr(text))
    lines = env.ok("docs", "show", "I2", "--format", "lines").out
    check(lines == "1  IV: Zoë said “yes”?\n2  R: Yes.\n", repr(lines))
    doc = json.loads(env.ok("docs", "show", "G1", "--format", "json").out)
    check(doc["text"].startswith("Mod: Views?"), doc)
    check([(t["speaker"], t["case"], t["start"], t["end"]) for t in doc["turns"]] ==
          [("Mod", None, 5, 11), ("Ann", "K2", 17, 30), ("Bob", "K3", 36, 45), ("Cy", "K4", 50, 57)],
          doc["turns"])
    check(all(t["time"] is None for t in doc["turns"]), doc)
    env.bad("docs", "show", "I3", expect_in_err="unknown document 'I3'; did you mean 'I1'?")


@test
def bad_transcripts_leave_the_project_unchanged(env):
    env.mini_project()
    before = env.snapshot()
    good = env.write("N1.txt", "---\ncase: N1\n---\nR: fine\n")
    bad = env.write("N2.txt", "---\ncase: N2\nspeaker: {R: N2}\n---\nR: x\n")
    env.bad("import", good, bad, expect_in_err=["N2.txt:3:1", "did you mean 'speakers'?"])
    unclosed = env.write("N3.txt", "---\ncase: N3\nR: no end\n")
    env.bad("import", good, unclosed, expect_in_err="never closed")
    notutf8 = env.path("N4.txt")
    with open(notutf8, "wb") as f:
        f.write(b"R: caf\xe9 \xc3\xa0 bient\xc3\xb4t\nR: ok\n")
    env.bad("import", good, notutf8, expect_in_err=["line 1", "byte offset 6"])
    env.bad("import", good, env.path("missing.txt"), expect_in_err="cannot open")
    dup = env.write("dup.txt", "---\nid: N1\ncase: N9\n---\nR: x\n")
    env.bad("import", good, dup, expect_in_err="appears twice")
    changed = env.write("I1.txt", "---\ncase: K1\n---\nR: new text\n")
    env.bad("import", changed, expect_in_err=["changed under 3 codings", "--accept-changes"])
    check(env.snapshot() == before, "the project changed after failed imports")


@test
def speakers_option_maps_labels_to_cases(env):
    env.ok("init", "p.qcode")
    path = env.write("G9.txt", "Mod: Hello all.\nAnn: Hi.\nBob: Hello.\nAnn: Well.\nBob: Yes.\n")
    env.ok("import", path, "--speakers", "Mod=moderator,Ann=A1,Bob=B1")
    doc = json.loads(env.ok("docs", "show", "G9", "--format", "json").out)
    check([t["case"] for t in doc["turns"]] == [None, "A1", "B1", "A1", "B1"], doc["turns"])
    env.bad("import", path, "--speakers", "Mod", expect_in_err="malformed --speakers item 'Mod'")
    # --speakers maps detected labels without switching detection off.
    path = env.write("T4.txt", "IV: Hello?\nR: Hi.\nIV: And?\nR: Fine.\n")
    env.ok("import", path, "--speakers", "R=C4")
    doc = json.loads(env.ok("docs", "show", "T4", "--format", "json").out)
    check([(t["speaker"], t["case"]) for t in doc["turns"]] ==
          [("IV", None), ("R", "C4"), ("IV", None), ("R", "C4")], doc["turns"])


@test
def import_word_webvtt_srt_and_legacy_encodings(env):
    env.ok("init", "p.qcode")
    r = env.ok("import", os.path.join(FIXTURES, "docx", "interview.docx"),
               os.path.join(FIXTURES, "subtitles", "zoom.vtt"),
               os.path.join(FIXTURES, "subtitles", "transcript.srt"),
               os.path.join(FIXTURES, "encodings", "windows-1252.txt"),
               os.path.join(FIXTURES, "encodings", "utf16le-bom.txt"))
    for text in ("(Word .docx)", "(windows-1252)", "(UTF-16LE)", "5 imported"):
        check(text in r.err, r)
    doc = json.loads(env.ok("docs", "show", "zoom", "--format", "json").out)
    # Three merged turns starting at 2, 6 and 17 seconds (tests/fixtures/subtitles/zoom.vtt).
    check([(t["speaker"], t["time"]) for t in doc["turns"]] ==
          [("Siobhán Ní Bhriain", 2), ("Tomás Ó Riain", 6), ("Siobhán Ní Bhriain", 17)], doc["turns"])
    check(doc["text"].startswith("Siobhán Ní Bhriain: Thanks for coming in today."), doc["text"])
    env.ok("import", os.path.join(FIXTURES, "encodings", "windows-1252.txt"), "--encoding", "windows-1252")
    env.bad("import", os.path.join(FIXTURES, "encodings", "windows-1252.txt"), "--encoding", "klingon",
            expect_in_err="unknown encoding 'klingon'")


@test
def timed_references_name_the_lines_too(env):
    env.ok("init", "p.qcode", "--framework", os.path.join(FIXTURES, "mini", "framework.yaml"))
    env.ok("import", os.path.join(FIXTURES, "subtitles", "zoom.vtt"))
    # zoom's turn 2 (Tomás, at 0:06) is line 3 of the stored text, code points 111-257.
    r = env.ok("code", "zoom", "--turns", "2", "--code", "a.x")
    check("coded zoom 0:06 l.3 (111:257) as a.x" in r.err, r)
    r = env.ok("code", "zoom", "--chars", "111:116", "--code", "a.y")
    check("coded zoom 0:06 l.3 (111:116) as a.y" in r.err, r)


@test
def keep_going_imports_the_good_files(env):
    env.ok("init", "p.qcode")
    good = env.write("G.txt", "IV: Hi?\nR: Hello.\n")
    broken = [os.path.join(FIXTURES, "docx", "broken-pdf.docx"),
              os.path.join(FIXTURES, "encodings", "broken-pdf.txt"),
              os.path.join(FIXTURES, "subtitles", "bad-timing.vtt")]
    before = env.snapshot_docs()
    env.bad("import", good, *broken, expect_in_err="looks like a PDF")
    check(env.snapshot_docs() == before, "all or nothing without --keep-going")
    r = env.bad("import", good, *broken, "--keep-going",
                expect_in_err=["not imported: ", "bad-timing.vtt:8:1", "1 imported", "3 not imported"])
    check([d["id"] for d in json.loads(env.snapshot_docs())] == ["G"], r)


@test
def changed_transcripts_reanchor_their_codings(env):
    env.mini_project()
    i1 = os.path.join(MINI, "I1.txt")
    with open(i1, encoding="utf-8") as f:
        original = f.read()
    head, body = original.split("---\n", 2)[1], original.split("---\n", 2)[2]
    # A new first line (13 code points: "IV: Welcome.\n") moves every I1 coding by 13.
    moved = env.write("I1.txt", "---\n" + head + "---\nIV: Welcome.\n" + body)
    r = env.ok("import", moved)
    check("replaced I1" in r.err and "3 codings moved with their passages" in r.err, r)
    rows = [x for x in json.loads(env.ok("codings", "export", "--format", "json").out) if x["doc"] == "I1"]
    check(sorted((x["start"], x["end"], x["text"]) for x in rows) ==
          [(25, 43, "Because it helped."), (33, 63, "it helped.\nIV: More?\nR: Café w"), (57, 61, "Café")], rows)
    before = env.snapshot()
    # "helped" becomes "did help": c1 and c3 change; "Café" (c2) only moves.
    changed = env.write("I1.txt", "---\n" + head + "---\nIV: Welcome.\n" + body.replace("helped", "did help"))
    env.bad("import", changed, expect_in_err=["changed under 2 codings", "I1 a.x (x) 25:43: \"Because it helped.\" is now \"Because it did help.\""])
    r = env.ok("import", changed, "--dry-run")
    check("dry run: nothing was changed" in r.err and "2 codings whose passage changed" in r.err, r)
    check(env.snapshot() == before, "a dry run changed the project")
    env.ok("import", changed, "--accept-changes")
    rows = list(csv.DictReader(io.StringIO(env.ok("codings", "export").out)))
    flagged = sorted(x["text"] for x in rows if x["review"])
    check(flagged == ["Because it did help.", "it did help.\nIV: More?\nR: Café w"], flagged)
    env.ok("check")


@test
def inline_codes_become_codings(env):
    env.ok("init", "p.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
    path = env.write("Q1.txt", "---\ncase: Q1\n---\nIV: How was it?\nR: (QCODE)It was (QCODE)fine(/QCODE){#y}(/QCODE){#a.x, #z}.\n")
    r = env.ok("import", path, "--coder", "inline")
    check("3 inline codings" in r.err, r)
    check(env.ok("docs", "show", "Q1").out == "IV: How was it?\nR: It was fine.\n", "markup must be removed")
    rows = json.loads(env.ok("codings", "export", "--format", "json").out)
    check(sorted((x["code"], x["text"], x["coder"]) for x in rows) ==
          [("a.x", "It was fine", "inline"), ("a.y", "fine", "inline"), ("b.z", "It was fine", "inline")], rows)
    bad = env.write("Q2.txt", "R: (QCODE)open but never closed\n")
    env.bad("import", bad, expect_in_err=["Q2.txt:1:4", "never closed"])
    unknown = env.write("Q3.txt", "---\ncase: Q3\n---\nR: (QCODE)x(/QCODE){#a.w}\n")
    env.bad("import", unknown, expect_in_err=["unknown code 'a.w' (in ", "Q3.txt:4:", "did you mean"])


@test
def cases_import_maps_speakers_of_a_webvtt_file(env):
    env.ok("init", "p.qcode", "--framework", os.path.join(FRAMEWORKS, "provider-led-pathways.yaml"))
    env.ok("import", os.path.join(FIXTURES, "subtitles", "zoom.vtt"))
    mapping = env.write("speakers.csv", "case,doc,speaker,group\nC9,zoom,Tomás Ó Riain,jcp\n")
    env.ok("cases", "import", mapping)
    doc = json.loads(env.ok("docs", "show", "zoom", "--format", "json").out)
    check([t["case"] for t in doc["turns"]] == [None, "C9", None], doc["turns"])
    m = matrix_json(env)
    check(m["columns"][0]["n"] == 1, m["columns"])
    typo = env.write("typo.csv", "case,doc,speaker\nC9,zoom,Tomas O Riain\n")
    env.bad("cases", "import", typo, expect_in_err=["unknown speaker in document 'zoom':", "typo.csv:2, column 3"])
    env.bad("cases", "import", env.write("nodoc.csv", "case,doc,speaker\nC9,zoomm,X\n"),
            expect_in_err="did you mean 'zoom'?")


@test
def undo_and_redo_restore_each_state(env):
    env.ok("init", "mini.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
    empty = env.snapshot_docs()
    env.ok("import", *(os.path.join(MINI, f) for f in ("I1.txt", "G1.txt", "I2.txt")))
    env.ok("cases", "import", os.path.join(MINI, "cases.csv"))
    before_codings = env.snapshot()
    env.ok("codings", "import", os.path.join(MINI, "codings.csv"))
    coded = env.snapshot()
    env.ok("code", "I1", "--lines", "2", "--code", "b.z")
    log = json.loads(env.ok("log", "--format", "json").out)
    check([e["command"].split(" ")[1] for e in log] == ["import", "cases", "codings", "code"], log)
    check(log[2]["summary"] == "8 codings added" and log[3]["coder"] == "tester", log)
    r = env.ok("undo")
    check("undid #4 qcode code I1 --lines 2 --code b.z" in r.err, r)
    check(env.snapshot() == coded, "undo of code")
    env.ok("undo")
    check(env.snapshot() == before_codings, "undo of codings import")
    env.ok("undo", "2")
    check(env.snapshot_docs() == empty, "undo of import")
    env.bad("undo", expect_in_err="there are 0 to undo")
    table = env.ok("log").out
    check(table.count("undone") == 4, table)
    env.ok("redo", "3")
    check(env.snapshot() == coded, "redo")
    env.ok("check")


@test
def memo_sets_shows_and_removes_document_and_case_memos(env):
    env.mini_project(with_codings=False)
    r = env.ok("memo", "I1")
    check(r.out == "" and "document 'I1' has no memo" in r.err, r)
    r = env.ok("memo", "I1", "Long pause after\nthe first question.")
    check("set the memo of document 'I1'" in r.err, r)
    check(env.ok("memo", "I1").out == "Long pause after\nthe first question.\n", "document memo")
    r = env.ok("memo", "K2", "Recruited late.")
    check("set the memo of case 'K2'" in r.err, r)
    check(env.ok("memo", "K2").out == "Recruited late.\n", "case memo")
    log = json.loads(env.ok("log", "--format", "json").out)
    check([e["summary"] for e in log[-2:]] == ["1 document changed", "1 case changed"], log)
    # A re-import keeps the memo; docs list and cases list print as before.
    env.ok("import", os.path.join(MINI, "I1.txt"))
    check(env.ok("memo", "I1").out == "Long pause after\nthe first question.\n", "re-import")
    check("Long pause" not in env.ok("docs", "list").out, "docs list")
    check("Recruited" not in env.ok("cases", "list").out, "cases list")
    # "" removes; undo brings it back.
    r = env.ok("memo", "I1", "")
    check("removed the memo of document 'I1'" in r.err, r)
    check(env.ok("memo", "I1").out == "", "removed")
    env.ok("undo")
    check(env.ok("memo", "I1").out == "Long pause after\nthe first question.\n", "undo")


@test
def memo_refuses_unknown_and_ambiguous_ids_and_changes_nothing(env):
    env.mini_project(with_codings=False)
    env.ok("memo", "I1", "kept")
    # K1.txt is a document whose id is also a case's.
    env.ok("import", env.write("K1.txt", "R: Hello.\n"))
    before = (env.snapshot(), env.ok("log", "--format", "json").out)
    env.bad("memo", "I1x", "x", expect_in_err="unknown document or case 'I1x'; did you mean 'I1'?")
    env.bad("memo", "I1x", expect_in_err="unknown document or case 'I1x'")
    env.bad("memo", "--doc", "K2", "x", expect_in_err="unknown document 'K2'")
    env.bad("memo", "--case", "I1", "x", expect_in_err="unknown case 'I1'")
    env.bad("memo", "--doc", "--case", "I1", "x", expect_in_err="--doc and --case")
    env.bad("memo", "K1", "x",
            expect_in_err="'K1' is both a document and a case; say which with --doc or --case")
    env.bad("memo", expect_in_err="missing ID")
    check((env.snapshot(), env.ok("log", "--format", "json").out) == before, "project changed")
    check(env.ok("memo", "I1").out == "kept\n", "memo changed")
    env.ok("memo", "K1", "--case", "the case")
    check(env.ok("memo", "K1", "--doc").out == "", "the document has none")
    check(env.ok("memo", "K1", "--case").out == "the case\n", "the case's")


@test
def undo_reverts_auto_coding_runs(env):
    env.mini_project()
    before = env.snapshot()
    r = env.ok("code", "--all-docs", "--match", "helped", "--expand", "sentence", "--code", "b.z")
    check("coded 1 passage" in r.err, r)
    env.ok("search", "slow", "--code-as", "a.y")
    env.ok("code", "G1", "--speaker", "Ann", "--code", "a.y")
    check(env.snapshot() != before, "the runs coded nothing")
    env.ok("undo", "3")
    check(env.snapshot() == before, "undo of auto-coding runs")
    env.ok("redo", "3")
    env.ok("check")


@test
def uncode_and_recode(env):
    env.mini_project()
    before = env.snapshot()
    # c1 is a.x on I1 12..30 "Because it helped."; uncoding line 2 (9..30) removes it.
    r = env.ok("uncode", "I1", "--lines", "2", "--code", "a.x")
    check("1 coding removed, trimmed or split" in r.err, r)
    # c4 is a.x on G1 17..45; uncoding "Too slow." (36..45, turn 3) trims it to 17..36,
    # and c5 (17..21, coder y) is untouched.
    env.ok("uncode", "G1", "--turns", "3", "--code", "a.x")
    rows = json.loads(env.ok("codings", "export", "--format", "json").out)
    ax = sorted((x["doc"], x["start"], x["end"], x["coder"]) for x in rows if x["code"] == "a.x")
    check(ax == [("G1", 17, 21, "y"), ("G1", 17, 36, "x")], ax)
    r = env.ok("codings", "recode", "--from", "a.x", "--to", "a.y", "--coder", "y")
    check("recoded 1 coding from a.x to a.y" in r.err, r)
    env.bad("codings", "recode", "--from", "a.q", "--to", "a.y", expect_in_err="unknown code 'a.q'")
    env.ok("undo", "3")
    check(env.snapshot() == before, "undo of uncode and recode")


# --- cases ------------------------------------------------------------------------------

@test
def cases_import_errors(env):
    env.mini_project(with_codings=False)
    before = env.snapshot()
    env.bad("cases", "import", env.write("c1.csv", "case,group\nK1,client\nK6,staff\n"),
            expect_in_err="unknown case 'K6' (in ")
    env.bad("cases", "import", env.write("c2.csv", "case,group\nK1,client,extra\n"),
            expect_in_err="c2.csv:2: row has 3 fields but the header has 2")
    env.bad("cases", "import", env.write("c3.csv", "id,group\nK1,client\n"),
            expect_in_err="the first column must be 'case'")
    env.bad("cases", "import", env.write("c4.csv", "case,group\nK1,\"client\n"),
            expect_in_err=["c4.csv:2:4", "never closed"])
    check(env.snapshot() == before, "project changed")


# --- coding -----------------------------------------------------------------------------

@test
def code_by_chars_lines_and_turns(env):
    env.mini_project(with_codings=False)
    r = env.ok("code", "I1", "--chars", "44:48", "--code", "a.y")
    check(r.out == "Café\n", r)
    check("by tester" in r.err, r)
    r = env.ok("code", "I1", "--lines", "2", "--code", "a.x", "--coder", "anna", "--memo", "why")
    check(r.out == "R: Because it helped.\n", r)
    r = env.ok("code", "G1", "--turns", "2-3", "--code", "b.z")
    check(r.out == "Good service.\nBob: Too slow.\n", r)
    rows = list(csv.DictReader(io.StringIO(env.ok("codings", "export").out)))
    got = sorted((x["doc"], int(x["start"]), int(x["end"]), x["code"], x["coder"], x["memo"]) for x in rows)
    check(got == [("G1", 17, 45, "b.z", "tester", ""), ("I1", 9, 30, "a.x", "anna", "why"),
                  ("I1", 44, 48, "a.y", "tester", "")], got)


@test
def code_errors_name_the_problem_and_change_nothing(env):
    env.mini_project()
    before = env.snapshot()
    env.bad("code", "I1", "--chars", "50:61", "--code", "a.x", expect_in_err="runs past the end of document 'I1', which has 60")
    env.bad("code", "I1", "--lines", "3-9", "--code", "a.x", expect_in_err="has 4 lines")
    env.bad("code", "G1", "--turns", "5", "--code", "a.x", expect_in_err="has 4 turns")
    env.bad("code", "I1", "--chars", "5-9", "--code", "a.x", expect_in_err="malformed --chars")
    env.bad("code", "I9", "--chars", "1:2", "--code", "a.x", expect_in_err="did you mean")
    env.bad("code", "I1", "--chars", "1:2", "--code", "a.w", expect_in_err="unknown code 'a.w'; did you mean")
    env.bad("code", "I1", "--code", "a.x", expect_in_err="give one or more of --chars A:B")
    env.bad("code", "I1", "--chars", "5-9", "--speaker", "R", "--code", "a.x", expect_in_err="malformed --chars")
    check(env.snapshot() == before, "project changed")


@test
def codings_import_rejects_bad_rows_and_changes_nothing(env):
    env.mini_project()
    before = env.snapshot()
    header = "doc,start,end,code,coder,memo,text\n"
    good = "I1,12,30,a.y,z,,Because it helped.\n"
    cases = {
        "shifted.csv": (good + "I1,13,31,a.x,z,,Because it helped.\n",
                        ["text does not match document 'I1' at 13:31 (in ", "shifted.csv:3, column 7)"]),
        "code.csv": (good + "I1,12,30,a.xx,z,,\n", ["unknown code 'a.xx' (in ", "code.csv:3, column 4); did you mean 'a.x'?"]),
        "doc.csv": (good + "I7,12,30,a.x,z,,\n", ["unknown document 'I7' (in ", "doc.csv:3, column 1)"]),
        "range.csv": (good + "I1,12,300,a.x,z,,\n", ["runs past the end of document 'I1'"]),
        "number.csv": (good + "I1,twelve,30,a.x,z,,\n", ["number.csv:3:2", "'twelve' is not a whole number"]),
        "fields.csv": (good + "I1,12,30,a.x\n", ["fields.csv:3: row has 4 fields but the header has 7"]),
        "quote.csv": (good + "I1,12,30,a.x,z,,\"Because\n", ["quote.csv:3:17", "never closed"]),
    }
    for name, (body, expected) in cases.items():
        env.bad("codings", "import", env.write(name, header + body), expect_in_err=expected)
    env.bad("codings", "import", env.write("cols.csv", "doc,start,end,kode,coder\n"),
            expect_in_err="did you mean 'code'?")
    env.bad("codings", "import", env.path("nothere.csv"), expect_in_err="cannot open")
    env.bad("codings", "import", env.write("bad.json", '[{"doc": "I1", "start": 1}]'),
            expect_in_err="coding has no 'end'")
    check(env.snapshot() == before, "project changed")


@test
def codings_round_trip_through_csv_and_json(env):
    env.mini_project()
    for fmt in ("csv", "json"):
        exported = env.path(f"all.{fmt}")
        env.ok("-p", "mini.qcode", "codings", "export", "--format", fmt, "-o", exported)
        other = f"copy-{fmt}.qcode"
        env.ok("init", other, "--framework", os.path.join(MINI, "framework.yaml"))
        env.ok("-p", other, "import", *(os.path.join(MINI, f) for f in ("I1.txt", "G1.txt", "I2.txt")))
        r = env.ok("-p", other, "codings", "import", exported)
        check("imported 8 codings" in r.err, r)
        a = env.ok("-p", "mini.qcode", "codings", "export", "--format", "json").out
        b = env.ok("-p", other, "codings", "export", "--format", "json").out
        check(a == b, f"{fmt} round trip differs")
        r = env.ok("-p", other, "codings", "import", exported)
        check("imported 0 codings" in r.err and "8 already present" in r.err, r)
    rows = json.loads(env.ok("-p", "mini.qcode", "codings", "export", "--format", "json").out)
    check(all("text" in row for row in rows), rows)
    check(any(row["text"] == "Zoë said “yes”" for row in rows), rows)


@test
def codings_export_says_who_each_coding_speaks_for(env):
    env.mini_project()
    # WORKING.md: c4 G1 17-45 overlaps Ann's (K2, staff) and Bob's (K3, client) turns; c7
    # G1 5-11 is only the moderator's; c3 I1 20-50 crosses the interviewer's turn of K1's
    # interview; c8 I2 4-18 is only the interviewer's, but I2 is K5's interview.
    out = env.ok("codings", "export").out
    check(out.splitlines()[0] == "doc,start,end,code,coder,memo,created,review,text,case,group,speaker", out)
    rows = {(r["doc"], r["start"], r["end"], r["coder"]): (r["case"], r["group"], r["speaker"])
            for r in csv.DictReader(io.StringIO(out))}
    check(rows[("G1", "17", "45", "x")] == ("K2; K3", "staff; client", "Ann; Bob"), rows)
    check(rows[("G1", "17", "21", "y")] == ("K2", "staff", "Ann"), rows)
    check(rows[("G1", "5", "11", "x")] == ("", "", "Mod"), rows)
    check(rows[("I1", "20", "50", "x")] == ("K1", "client", "R; IV"), rows)
    check(rows[("I2", "4", "18", "x")] == ("K5", "staff", "IV"), rows)
    js = {(r["doc"], r["start"], r["end"], r["coder"]): (r["cases"], r["groups"], r["speakers"])
          for r in json.loads(env.ok("codings", "export", "--format", "json").out)}
    check(js[("G1", 17, 45, "x")] == (["K2", "K3"], ["staff", "client"], ["Ann", "Bob"]), js)
    check(js[("G1", 5, 11, "x")] == ([], [], ["Mod"]), js)
    # The export reads back: the new columns and keys are accepted and ignored.
    for fmt in ("csv", "json"):
        env.ok("-p", "mini.qcode", "codings", "export", "--format", fmt, "-o", f"all.{fmt}")
        other = f"copy-{fmt}.qcode"
        env.ok("init", other, "--framework", os.path.join(MINI, "framework.yaml"))
        env.ok("-p", other, "import", *(os.path.join(MINI, f) for f in ("I1.txt", "G1.txt", "I2.txt")))
        env.ok("-p", other, "cases", "import", os.path.join(MINI, "cases.csv"))
        r = env.ok("-p", other, "codings", "import", f"all.{fmt}")
        check("imported 8 codings" in r.err, r)
        check(env.ok("-p", other, "codings", "export").out == out, f"{fmt} round trip differs")


# --- the matrix -------------------------------------------------------------------------------

@test
def matrix_matches_hand_worked_fixture(env):
    env.mini_project()
    m = matrix_json(env)
    check(m["by"] == "group" and m["measure"] == "cases" and m["level"] == "theme", m)
    check(m["columns"] == [{"id": "staff", "label": "Staff", "n": 3},
                           {"id": "client", "label": "Clients", "n": 2}], m["columns"])
    check([(r["code"], r["cells"]) for r in m["rows"]] == [("a", [2, 2]), ("b", [1, 1])], m)
    m = matrix_json(env, "--measure", "segments")
    check([r["cells"] for r in m["rows"]] == [[2, 3], [1, 1]], m)  # c4 and c5 are one passage
    m = matrix_json(env, "--measure", "coverage")
    expected = [[100 * 20 / 24, 100 * 31 / 42], [0, 100 * 16 / 42]]
    for row, want in zip(m["rows"], expected):
        check(all(abs(a - b) < 1e-3 for a, b in zip(row["cells"], want)), (row, want))
    m = matrix_json(env, "--level", "code", "--measure", "segments")
    check([(r["code"], r["cells"]) for r in m["rows"]] ==
          [("a.x", [1, 2]), ("a.y", [1, 1]), ("b.z", [1, 1])], m)
    m = matrix_json(env, "--by", "district")
    check([c["id"] for c in m["columns"]] == ["North", "South"], m)
    check([r["cells"] for r in m["rows"]] == [[2, 2], [2, 0]], m)


@test
def matrix_formats_carry_the_same_numbers(env):
    env.mini_project()
    table = env.ok("matrix", "--measure", "segments").out
    check("Staff (n=3)" in table and "Clients (n=2)" in table, table)
    rows = [line.split() for line in table.splitlines() if line.startswith("Theme ")]
    check([r[-3:] for r in rows] == [["2", "3", "4"], ["1", "1", "2"]], table)
    check("Total (n=5)" in table, table)
    check("Themes by group (coded segments; 2 coders pooled: x, y)" in table, table)
    totals = [line.split() for line in table.splitlines() if line.startswith("Total ")]
    check(totals == [["Total", "3", "4", "6"]], table)
    data = list(csv.reader(io.StringIO(env.ok("matrix", "--measure", "segments", "--format", "csv").out)))
    check(data == [["code", "label", "Staff", "Clients", "Total"], ["a", "Theme A", "2", "3", "4"],
                   ["b", "Theme B", "1", "1", "2"], ["", "Total", "3", "4", "6"]], data)
    one = env.ok("matrix", "--measure", "segments", "--coder", "x").out
    check("Themes by group (coded segments)\n" in one, one)
    env.ok("matrix", "--format", "json", "-o", "m.json")
    with open(env.path("m.json"), encoding="utf-8") as f:
        check(json.load(f)["rows"][0]["cells"] == [2, 2], "json file")


@test
def matrix_usage_errors(env):
    env.mini_project()
    env.bad("matrix", "--by", "distrct", expect_in_err="unknown attribute 'distrct'; did you mean 'district'?")
    env.bad("matrix", "--measure", "case", expect_in_err="did you mean 'cases'?")
    env.bad("matrix", "--level", "themes", expect_in_err="did you mean 'theme'?")
    env.bad("matrix", "--format", "xml", expect_in_err="unknown format 'xml'")
    empty = env.path("empty.qcode")
    env.ok("init", empty)
    env.bad("-p", empty, "matrix", expect_in_err="has no framework")


# --- matrix totals, filters and the coder (tests/fixtures/mini/WORKING.md) -----------------

@test
def matrix_totals_match_hand_worked_fixture(env):
    env.mini_project()
    m = matrix_json(env)
    check(m["n"] == 5, m)
    check([r["total"] for r in m["rows"]] == [4, 2], m)
    check(m["total"] == {"cells": [3, 2], "total": 5}, m)
    m = matrix_json(env, "--measure", "segments")
    check([r["total"] for r in m["rows"]] == [4, 2], m)
    check(m["total"] == {"cells": [3, 4], "total": 6}, m)
    m = matrix_json(env, "--measure", "coverage")
    got = [r["total"] for r in m["rows"]] + m["total"]["cells"] + [m["total"]["total"]]
    want = [100 * 51 / 66, 100 * 16 / 66, 100 * 20 / 24, 100 * 33 / 42, 100 * 53 / 66]
    check(all(abs(a - b) < 1e-3 for a, b in zip(got, want)), (got, want))


@test
def matrix_table_shows_cases_as_count_of_n_with_percent(env):
    env.mini_project()
    table = env.ok("matrix").out
    rows = [line.split()[-6:] for line in table.splitlines() if line.startswith(("Theme ", "Total "))]
    check("Total (n=5)" in table, table)
    check(rows == [["2/3", "(67%)", "2/2", "(100%)", "4/5", "(80%)"],
                    ["1/3", "(33%)", "1/2", "(50%)", "2/5", "(40%)"],
                    ["3/3", "(100%)", "2/2", "(100%)", "5/5", "(100%)"]], table)


@test
def matrix_where_and_coder_filter_what_counts(env):
    env.mini_project()
    m = matrix_json(env, "--where", "district=North")
    check([c["n"] for c in m["columns"]] == [2, 1] and m["n"] == 3, m)
    check([r["cells"] for r in m["rows"]] == [[1, 1], [1, 1]], m)
    m = matrix_json(env, "--where", "district=North", "--where", "district=South", "--measure", "segments")
    check([r["cells"] for r in m["rows"]] == [[2, 3], [1, 1]] and m["n"] == 5, m)
    m = matrix_json(env, "--where", "district=North", "--where", "group=staff")
    check(m["n"] == 2 and m["total"] == {"cells": [2, 0], "total": 2}, m)
    m = matrix_json(env, "--coder", "y", "--measure", "segments")
    check([r["cells"] for r in m["rows"]] == [[1, 0], [0, 0]] and m["total"]["total"] == 1, m)
    env.bad("matrix", "--where", "distrct=North", expect_in_err="unknown attribute 'distrct'; did you mean 'district'?")
    env.bad("matrix", "--where", "district", expect_in_err="expected ATTRIBUTE=VALUE")
    env.bad("matrix", "--coder", "yy", expect_in_err="unknown coder 'yy'; did you mean 'y'?")


# --- projects ----------------------------------------------------------------------------------

@test
def project_is_found_by_option_environment_or_folder(env):
    env.ok("init", "one.qcode")
    env.ok("docs", "list")  # the one .qcode here
    env.ok("init", "two.qcode")
    env.bad("docs", "list", expect_in_err="several projects here")
    env.ok("docs", "list", env={"QCODE_PROJECT": "two.qcode"})
    env.ok("docs", "list", "-p", "one.qcode")
    env.bad("docs", "list", "-p", "three.qcode", expect_in_err="does not exist")
    env.bad("init", "one.qcode", expect_in_err="already exists")
    env.write("fake.qcode", "not a database at all, only text" * 10)
    env.bad("docs", "list", "-p", "fake.qcode", expect_in_err="not a qcode project")


@test
def check_reports_a_sound_project(env):
    env.mini_project()
    r = env.ok("check")
    check("ok (3 documents, 5 cases, 8 codings)" in r.err, r)


@test
def check_warns_of_unmapped_speakers_whose_codings_count_for_nobody(env):
    env.mini_project()
    # A Teams-like VTT: 'Mod' is an interviewer by its label, 'Hurst, Peter' is mapped to
    # nothing, so the coding of both his cues (one turn, 33-61) counts for nobody.
    env.write("W1.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Mod>Hello there.\n\n"
                        "00:00:04.000 --> 00:00:06.000\n<v Hurst, Peter>I agree with that.\n\n"
                        "00:00:07.000 --> 00:00:09.000\n<v Hurst, Peter>And more.\n")
    env.ok("import", "W1.vtt")
    r = env.ok("check")
    check("warning" not in r.err, r)
    env.ok("code", "W1", "--chars", "33:61", "--code", "a.x")
    r = env.ok("check")
    check(r.out == "", r)
    check("warning: W1: speaker 'Hurst, Peter' is not mapped to a case, and 1 coding in its turns counts "
          "for nobody; map it with: qcode speakers map W1 'Hurst, Peter=CASE'\n" in r.err, r)
    check("ok (4 documents, 5 cases, 9 codings; 1 warning)" in r.err, r)
    # The moderator's turn counts for nobody too, but by design: no warning for it.
    env.ok("code", "W1", "--chars", "5:17", "--code", "a.y")
    check(env.ok("check").err.count("warning:") == 1, "a warning for the moderator")


# --- the sample study -----------------------------------------------------------------------------

@test
def sample_study_builds_and_charts(env):
    env.sample_project()
    env.ok("check")
    with open(os.path.join(SAMPLE, "cases.csv"), encoding="utf-8") as f:
        groups = [row["group"] for row in csv.DictReader(f)]
    m = matrix_json(env)
    check([c["id"] for c in m["columns"]] == ["jcp", "provider", "customer"], m["columns"])
    check([c["n"] for c in m["columns"]] == [groups.count(g) for g in ("jcp", "provider", "customer")],
          m["columns"])
    check(len(m["rows"]) == 7, m["rows"])
    for row in m["rows"]:
        for n, cell in zip([c["n"] for c in m["columns"]], row["cells"]):
            check(0 <= cell <= n, row)
    check(sum(sum(r["cells"]) for r in m["rows"]) > 0, m)
    coders = {row["coder"] for row in json.loads(env.ok("codings", "export", "--format", "json").out)}
    check(coders == {"anna", "ben"}, coders)


# --- search, words and coding by search ------------------------------------------------

def export_rows(env):
    return sorted((x["doc"], x["start"], x["end"], x["code"], x["coder"])
                  for x in json.loads(env.ok("codings", "export", "--format", "json").out))


@test
def search_prints_hits_in_context(env):
    env.mini_project()
    # I2 "IV: Zoë said “yes”?": Zoë is 4-7 on line 1, in the interviewer's turn of K5's
    # interview (staff); I1 "Café" is 44-48 on line 4, said by R = K1 (client).
    hits = json.loads(env.ok("search", "zoe", "--format", "json").out)
    check([(h["doc"], h["start"], h["end"], h["line"], h["speaker"], h["case"], h["group"], h["match"])
           for h in hits] == [("I2", 4, 7, 1, "IV", "K5", "staff", "Zoë")], hits)
    r = env.ok("search", "CAFE", "--width", "5")
    check(r.out.splitlines()[0].split() == ["doc", "line", "speaker", "case", "group", "context"], r)
    check(r.out.splitlines()[2].split()[:5] == ["I1", "4", "R", "K1", "client"], r)
    check("...? R: [Café] was ..." in r.out, r)
    check("1 hit in 1 document" in r.err, r)
    # Whole words by default: "slow" is not found by "slo" unless partial.
    check(json.loads(env.ok("search", "slo", "--format", "json").out) == [], "partial word matched")
    hits = json.loads(env.ok("search", "slo", "--partial-words", "--format", "json").out)
    check([(h["doc"], h["start"], h["end"], h["case"]) for h in hits] == [("G1", 40, 43, "K3")], hits)
    # --doc limits, --case-sensitive tells case apart, --regex.
    check(json.loads(env.ok("search", "yes", "--doc", "I1", "--format", "json").out) == [], "--doc")
    hits = json.loads(env.ok("search", "Yes", "--case-sensitive", "--format", "json").out)
    check([(h["start"], h["end"]) for h in hits] == [(23, 26)], hits)
    hits = json.loads(env.ok("search", r"\bt\w+", "--regex", "--format", "json").out)
    check([(h["doc"], h["match"]) for h in hits] == [("G1", "Too")], hits)


@test
def search_filters_by_attribute_and_code(env):
    env.mini_project()
    # "yes" occurs in I2 twice (“yes” 14-17 after the opening quote at 13, and Yes
    # 23-26), both K5 (staff).
    hits = json.loads(env.ok("search", "yes", "--where", "group=staff", "--format", "json").out)
    check([(h["start"], h["end"]) for h in hits] == [(14, 17), (23, 26)], hits)
    check(json.loads(env.ok("search", "yes", "--where", "group=client", "--format", "json").out) == [], "where")
    check(json.loads(env.ok("search", "yes", "--where", "district=South", "--format", "json").out) == [], "where")
    # Only inside codings of b (b.z): c8 I2 4-18 holds “yes” at 14-17, not Yes at 23-26.
    hits = json.loads(env.ok("search", "yes", "--code", "b", "--format", "json").out)
    check([(h["start"], h["end"]) for h in hits] == [(14, 17)], hits)
    env.bad("search", "yes", "--where", "grup=staff", expect_in_err="unknown attribute 'grup'; did you mean 'group'?")
    env.bad("search", "yes", "--where", "group", expect_in_err="malformed --where 'group'")
    env.bad("search", "yes", "--doc", "I3", expect_in_err="unknown document 'I3'; did you mean")
    env.bad("search", "yes", "--code", "a.w", expect_in_err="unknown code 'a.w'; did you mean")
    env.bad("search", "(yes", "--regex", expect_in_err=["bad regular expression '(yes'", "at offset"])
    # White space alone, and a pattern that matches empty text, would hit every gap (issue 16).
    env.bad("search", " ", expect_in_err="the search text is only white space")
    env.bad("search", "\t ", "--partial-words", expect_in_err="only white space")
    env.bad("search", "x*", "--regex", expect_in_err="the regular expression 'x*' matches empty text")
    env.bad("search", r"\b", "--regex", expect_in_err="matches empty text")
    env.bad("code", "--all-docs", "--match", " ", "--code", "a.x", expect_in_err="only white space")
    env.bad("search", "yes", "--expand", "sentense", expect_in_err="did you mean 'sentence'?")
    env.bad("search", "yes", "--dry-run", expect_in_err="--code-as")


@test
def search_and_match_take_a_trailing_wildcard(env):
    env.mini_project(with_codings=False)
    # Words starting with s: G1 "service" 22-29 and "slow" 40-44, I2 "said" 8-12 (not "Views").
    hits = json.loads(env.ok("search", "S*", "--format", "json").out)
    check([(h["doc"], h["start"], h["end"], h["match"]) for h in hits] ==
          [("G1", 22, 29, "service"), ("G1", 40, 44, "slow"), ("I2", 8, 12, "said")], hits)
    # Accents ignored as without the wildcard: "cafe*" finds I1's "Café" 44-48.
    r = env.ok("code", "I1", "--match", "cafe*", "--code", "a.y")
    check("coded 1 passage as a.y" in r.err, r)
    # search --code-as matches the same way: "na*" is "naïve" 53-58, not "Bob"'s "slow".
    env.ok("search", "na*", "--code-as", "b.z")
    check(export_rows(env) == [("I1", 44, 48, "a.y", "tester"), ("I1", 53, 58, "b.z", "tester")],
          export_rows(env))
    for bad in ("comp*ter", "*", "yes *"):
        env.bad("search", bad, expect_in_err=f"misplaced '*' in '{bad}'")
        env.bad("code", "I1", "--match", bad, "--code", "a.x", expect_in_err=f"misplaced '*' in '{bad}'")


@test
def search_code_as_codes_hits_and_dry_run_changes_nothing(env):
    env.mini_project(with_codings=False)
    before = env.snapshot()
    r = env.ok("search", "yes", "--code-as", "a.y", "--expand", "turn", "--dry-run")
    check("I2   4:19" in r.out and "Zoë said “yes”?" in r.out and "I2   23:27" in r.out, r)
    check("would code 2 passages" in r.err, r)
    check(env.snapshot() == before, "dry run changed the project")
    # Expanded to their turns: I2 turn 1 4-19, turn 2 23-27.
    r = env.ok("search", "yes", "--code-as", "a.y", "--expand", "turn", "--coder", "anna")
    check("coded 2 passages as a.y by anna" in r.err, r)
    check(export_rows(env) == [("I2", 4, 19, "a.y", "anna"), ("I2", 23, 27, "a.y", "anna")], export_rows(env))
    # Not expanded: the words themselves; repeating adds nothing.
    env.ok("search", "good", "--code-as", "a.x")
    r = env.ok("search", "good", "--code-as", "a.x")
    check("coded 0 passages" in r.err and "1 already coded" in r.err, r)
    check(("G1", 17, 21, "a.x", "tester") in export_rows(env), export_rows(env))
    env.bad("search", "good", "--code-as", "a.w", expect_in_err="unknown code 'a.w'; did you mean")


@test
def words_counts_what_cases_said(env):
    env.mini_project()
    # Cases said: K1 "Because it helped." "Café was naïve."; K2 "Good service.";
    # K3 "Too slow."; K4 "Agreed."; K5 "Yes." Interviewers' words are left out.
    w = json.loads(env.ok("words", "--by", "group", "--all-words", "--format", "json").out)
    check(w["by"] == "group" and w["columns"] == ["staff", "client"], w)
    rows = {r["word"]: (r["total"], r["counts"]) for r in w["rows"]}
    check(rows["café"] == (1, [0, 1]) and rows["good"] == (1, [1, 0]) and rows["yes"] == (1, [1, 0]), rows)
    check("views" not in rows and "why" not in rows and "zoë" not in rows, rows)
    check(len(rows) == 12, rows)
    # Without --all-words the stop words (because, it, was, too, yes) are left out.
    words = [r["word"] for r in json.loads(env.ok("words", "--format", "json").out)["rows"]]
    check(words == ["agreed", "café", "good", "helped", "naïve", "service", "slow"], words)
    r = env.ok("words", "--top", "2", "--doc", "G1")
    check(r.out.splitlines()[0].split() == ["word", "count"] and len(r.out.splitlines()) == 4, r)
    env.bad("words", "--by", "grop", expect_in_err="did you mean 'group'?")


@test
def words_leaves_out_spoken_fillers(env):
    env.ok("init", "p.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
    env.write("P1.txt", "---\ncase: P1\nspeakers: {IV: interviewer, R: P1}\n---\n"
              "IV: How was it?\nR: Um, it was, you know, kind of slow. Like, really slow.\n")
    env.ok("import", "P1.txt")

    def words(*args):
        rows = json.loads(env.ok("words", "--format", "json", *args).out)["rows"]
        return [(r["word"], r["total"]) for r in rows]

    # P1 said: um it was you know kind of slow like really slow. Fillers: um, like, and the
    # phrases "you know" and "kind of"; stop words: it, was (and you, of).
    check(words() == [("slow", 2), ("really", 1)], words())
    check(words("--keep-fillers") ==
          [("slow", 2), ("kind", 1), ("know", 1), ("like", 1), ("really", 1), ("um", 1)],
          words("--keep-fillers"))
    env.write("stop.txt", "# words of this study\nREALLY\n")
    check(words("--stop-words", "stop.txt") == [("slow", 2)], words("--stop-words", "stop.txt"))
    # --all-words with a list: only the list is left out.
    env.write("mine.txt", "it\nwas\nyou know  # a phrase: both words\n")
    check(words("--all-words", "--stop-words", "mine.txt") ==
          [("slow", 2), ("kind", 1), ("like", 1), ("of", 1), ("really", 1), ("um", 1)],
          words("--all-words", "--stop-words", "mine.txt"))
    env.bad("words", "--stop-words", "missing.txt", expect_in_err="cannot open 'missing.txt'")
    env.write("bad.txt", "um\n--\n")
    env.bad("words", "--stop-words", "bad.txt",
            expect_in_err="bad.txt:2:1: '--' has no word to leave out")


@test
def code_by_speaker_match_and_regex(env):
    env.mini_project(with_codings=False)
    before = env.snapshot()
    r = env.ok("code", "I1", "--speaker", "R", "--code", "a.x", "--dry-run")
    check("12:30" in r.out and "44:59" in r.out and "Café was naïve." in r.out, r)
    check(env.snapshot() == before, "dry run changed the project")
    r = env.ok("code", "I1", "--speaker", "R", "--code", "a.x")
    check("coded 2 passages" in r.err, r)
    # Every turn of K3 (Bob) in every document.
    env.ok("code", "--all-docs", "--speaker", "K3", "--code", "a.y")
    # "naive" 53-58, widened to its sentence: the whole turn 44-59.
    env.ok("code", "I1", "--match", "naive", "--expand", "sentence", "--code", "b.z")
    # Regex over every document: "slow" 40-44 and "said" in I2 8-12.
    env.ok("code", "--all-docs", "--regex", r"s(lo|ai)[dw]", "--code", "b.z", "--coder", "re")
    check(export_rows(env) == [("G1", 36, 45, "a.y", "tester"), ("G1", 40, 44, "b.z", "re"),
                               ("I1", 12, 30, "a.x", "tester"), ("I1", 44, 59, "a.x", "tester"),
                               ("I1", 44, 59, "b.z", "tester"), ("I2", 8, 12, "b.z", "re")],
          export_rows(env))
    # --chars and friends still print the passage.
    r = env.ok("code", "I1", "--chars", "44:48", "--code", "a.y", "--dry-run")
    check("Café" in r.out and "would code 1 passage" in r.err, r)


@test
def code_and_uncode_select_what_several_selectors_share(env):
    env.mini_project(with_codings=False)
    # G1: "Mod: Views?" 0-11, Ann's turn "Good service." 17-30 (Good 17-21, service 22-29),
    # Bob's turn "Too slow." 36-45 (slow 40-44), Cy's "Agreed." 50-57; no blank lines, so one
    # paragraph 0-57.
    # Hits are widened first, then cut: "slow" widened to the paragraph 0-57, cut to Bob's turn.
    r = env.ok("code", "G1", "--speaker", "Bob", "--match", "slow", "--expand", "paragraph",
               "--code", "a.x", "--coder", "p")
    check("coded 1 passage as a.x by p" in r.err and "G1   36:45" in r.out, r)
    # Pieces are not merged: Ann's two words stay two passages ("Ann" 12-15 is outside her turn).
    r = env.ok("code", "G1", "--speaker", "Ann", "--regex", r"\w+", "--code", "a.y", "--coder", "w")
    check("coded 2 passages" in r.err, r)
    # A range restricts: I1 turns 1-4 (4-59) with R's turns gives R's two turns, not 4-59.
    env.ok("code", "I1", "--turns", "1-4", "--speaker", "R", "--code", "b.z", "--coder", "t")
    # A hit that crosses a range's edge is cut at it: "slow" 40-44 within chars 40:42.
    env.ok("code", "G1", "--chars", "40:42", "--match", "slow", "--code", "b.z", "--coder", "c")
    check(export_rows(env) == [("G1", 17, 21, "a.y", "w"), ("G1", 22, 29, "a.y", "w"),
                               ("G1", 36, 45, "a.x", "p"), ("G1", 40, 42, "b.z", "c"),
                               ("I1", 12, 30, "b.z", "t"), ("I1", 44, 59, "b.z", "t")], export_rows(env))
    # Nothing shared is not an error: the interviewer never says "café".
    before = env.snapshot()
    r = env.ok("code", "I1", "--speaker", "IV", "--match", "cafe*", "--code", "a.x")
    check("no text is selected by all of --speaker IV, --match cafe*: nothing was coded" in r.err, r)
    check(env.snapshot() == before, "an empty selection changed the project")
    # uncode chooses the same way: Ann's "good" goes, her "service" stays.
    r = env.ok("uncode", "G1", "--speaker", "K2", "--match", "good", "--code", "a.y")
    check("uncoded a.y from 1 passage: 1 coding removed" in r.err, r)
    check([x for x in export_rows(env) if x[3] == "a.y"] == [("G1", 22, 29, "a.y", "w")], export_rows(env))


@test
def code_selector_errors(env):
    env.mini_project()
    before = env.snapshot()
    env.bad("code", "I1", "--speaker", "Q", "--code", "a.x", expect_in_err="unknown speaker 'Q'")
    env.bad("code", "I1", "--speaker", "Q", "--match", "why", "--code", "a.x",
            expect_in_err="unknown speaker 'Q' (in document 'I1'); did you mean 'R'? (speakers: IV, R)")
    env.bad("code", "--all-docs", "--speaker", "R", "--lines", "1", "--code", "a.x", expect_in_err="--all-docs goes with")
    env.bad("code", "--speaker", "R", "--code", "a.x", expect_in_err="--all-docs")
    env.bad("code", "I1", "--all-docs", "--speaker", "R", "--code", "a.x", expect_in_err="not both")
    env.bad("code", "--all-docs", "--chars", "1:2", "--code", "a.x", expect_in_err="--all-docs goes with")
    env.bad("code", "I1", "--regex", "a[", "--code", "a.x", expect_in_err="bad regular expression 'a['")
    env.bad("code", "I1", "--match", "café", "--code", "a.w", expect_in_err="unknown code 'a.w'")
    env.bad("code", "I1", "--match", "café", "--expand", "line", "--code", "a.x", expect_in_err="unknown unit 'line'")
    check(env.snapshot() == before, "project changed")


# --- framework update and export ------------------------------------------------------

MINI_V2_HEAD = ("id: mini\ntitle: Minimal framework for the hand-worked matrix tests\ngroups:\n"
                "  attribute: group\n  values:\n    - {id: staff, label: Staff}\n"
                "    - {id: client, label: Clients}\nthemes:\n")
MINI_MOVED_Y = MINI_V2_HEAD + ("  - id: a\n    label: Theme A\n    codes:\n      - {id: x, label: Code A.x}\n"
                               "  - id: b\n    label: Theme B\n    codes:\n      - {id: z, label: Code B.z}\n"
                               "      - {id: y, label: Code B.y, renamed_from: a.y}\n")
MINI_WITHOUT_Y = MINI_V2_HEAD + ("  - id: a\n    label: Theme A\n    codes:\n      - {id: x, label: Code A.x}\n"
                                 "  - id: b\n    label: Theme B\n    codes:\n      - {id: z, label: Code B.z}\n")


def codes_of_codings(env):
    rows = json.loads(env.ok("codings", "export", "--format", "json").out)
    return sorted(r["code"] for r in rows)


@test
def framework_update_moves_a_renamed_code_with_its_codings_and_undo_reverts(env):
    env.mini_project()
    before, tree = env.snapshot(), env.ok("framework", "show").out
    r = env.ok("framework", "update", env.write("new.yaml", MINI_MOVED_Y))
    check("moved      a.y -> b.y (2 codings)" in r.err, r)
    check("relabelled b.y: \"Code A.y\" -> \"Code B.y\"" in r.err, r)
    check(codes_of_codings(env) == ["a.x"] * 3 + ["b.y"] * 2 + ["b.z"] * 3, r)
    show = env.ok("framework", "show").out
    check("b      Theme B\n  b.z  Code B.z\n  b.y  Code B.y\n" in show, show)
    log = json.loads(env.ok("log", "--format", "json").out)
    check(log[-1]["command"].startswith("qcode framework update"), log)
    check("undid #4 qcode framework update" in env.ok("undo").err, "undo")
    check(env.snapshot() == before and env.ok("framework", "show").out == tree, "undo must restore everything")
    env.ok("check")


@test
def framework_update_refuses_removing_coded_codes_and_changes_nothing(env):
    env.mini_project()
    before, tree = env.snapshot(), env.ok("framework", "show").out
    new = env.write("new.yaml", MINI_WITHOUT_Y)
    env.bad("framework", "update", new,
            expect_in_err=["removed    a.y (2 codings: refused without --merge-into or --drop-codings)",
                           "qcode: the new framework removes a code that still has codings: 'a.y' (2 codings)"])
    env.bad("framework", "update", new, "--merge-into", "a.y", expect_in_err="unknown code 'a.y' (--merge-into)")
    env.bad("framework", "update", env.write("bad.yaml", MINI_WITHOUT_Y.replace("label: Code A.x", "colour: red")),
            expect_in_err=["bad.yaml:12:17: unknown key 'colour'", "did you mean 'color'?", "has no 'label'"])
    check(env.snapshot() == before and env.ok("framework", "show").out == tree, "project changed")
    check(len(json.loads(env.ok("log", "--format", "json").out)) == 3, "no history entry expected")


@test
def framework_update_dry_run_and_merge_into(env):
    env.mini_project()
    before = env.snapshot()
    new = env.write("new.yaml", MINI_WITHOUT_Y)
    r = env.ok("framework", "update", new, "--dry-run")
    check("removed    a.y (2 codings: refused" in r.err and "dry run: nothing changed" in r.err, r)
    check(env.snapshot() == before, "dry run changed the project")
    r = env.ok("framework", "update", new, "--merge-into", "a.x")
    check("removed    a.y (2 codings)\n2 codings merged\n" in r.err, r)
    check(codes_of_codings(env) == ["a.x"] * 5 + ["b.z"] * 3, r)
    check("framework unchanged" in env.ok("framework", "update", new).err, "second update")
    helps = env.ok("framework", "--help").out
    check("qcode framework update NEW.yaml" in helps and "qcode framework export" in helps, helps)
    for sub in ("update", "export"):
        check(f"usage: qcode framework {sub}" in env.ok("framework", sub, "--help").out, sub)


@test
def framework_export_round_trips_through_check_and_init(env):
    env.mini_project()
    env.ok("framework", "update", env.write("new.yaml", MINI_MOVED_Y.replace(
        "label: Theme A\n", "label: Theme A\n    description: \"What: it is\"\n    color: \"#a0b1c2\"\n")))
    exported = env.ok("framework", "export").out
    env.ok("framework", "export", "-o", "out.yaml")
    with open(env.path("out.yaml"), encoding="utf-8") as f:
        check(f.read() == exported, "-o writes the same YAML")
    check("renamed_from" not in exported and "color: \"#a0b1c2\"" in exported, exported)
    check("out.yaml: ok (2 themes, 3 codes below them, 2 groups)" in env.ok("framework", "check", "out.yaml").out,
          "check")
    shown = env.ok("framework", "show").out
    env.ok("init", "copy.qcode", "--framework", "out.yaml")
    check(env.ok("framework", "show", "-p", "copy.qcode").out == shown, "re-imported framework differs")
    check(env.ok("framework", "export", "-p", "copy.qcode").out == exported, "export of the copy differs")


@test
def agreement_settle_writes_a_consensus_coder(env):
    # tests/fixtures/mini: coders x and y both coded a.x in G1 (x 17-45, y 17-21); x alone
    # coded everything else. Worked by hand from codings.csv.
    env.mini_project()

    def consensus():
        rows = json.loads(env.ok("codings", "export", "--format", "json").out)
        return sorted((r["doc"], r["start"], r["end"], r["code"]) for r in rows if r["coder"] == "consensus")
    r = env.ok("agreement", "settle", "--rule", "intersection")
    check("1 coding by consensus from x and y (intersection)" in r.err, r)
    check(consensus() == [("G1", 17, 21, "a.x")], consensus())
    env.ok("undo")
    env.ok("agreement", "settle")  # union
    check(consensus() == sorted([("I1", 12, 30, "a.x"), ("I1", 44, 48, "a.y"), ("I1", 20, 50, "b.z"),
                                 ("G1", 17, 45, "a.x"), ("G1", 50, 57, "a.y"), ("G1", 5, 11, "b.z"),
                                 ("I2", 4, 18, "b.z")]), consensus())
    check(matrix_json(env, "--coder", "consensus", "--measure", "segments")["rows"][0]["cells"] == [2, 3],
          "the matrix reads for the consensus coder")
    env.bad("agreement", "settle", expect_in_err="'consensus' already has codings")
    env.ok("undo")
    env.ok("agreement", "settle", "--rule", "y")
    check(consensus() == [("G1", 17, 21, "a.x")], consensus())
    env.bad("agreement", "settle", "--from", "x", "--coder", "c2", expect_in_err="two different coders")
    env.bad("agreement", "settle", "--from", "x,q", "--coder", "c2", expect_in_err="unknown coder 'q'")
    env.bad("agreement", "settle", "--rule", "most", "--from", "x,y", "--coder", "c2", expect_in_err="--rule 'most'")


@test
def import_of_many_files_prints_a_summary(env):
    env.ok("init", "mini.qcode", "--framework", os.path.join(MINI, "framework.yaml"))
    files = [env.write(f"T{i:02}.txt", f"IV: Hello {i}?\nR: Fine.\n") for i in range(21)]
    bad = env.write("bad.rtf", "{\\rtf1 IV: hello}\n")  # a type qcode does not read
    r = env.run("import", *files, bad, "--keep-going")
    check(r.code == 2, r)
    lines = r.err.splitlines()
    check(not any(l.startswith("imported T") for l in lines), f"no line per file:\n{r}")
    check(any(l.startswith("not imported: ") and "bad.rtf" in l for l in lines), r)
    # 21 files of two turns each; R is mapped to no case; characters counted by Python.
    chars = sum(len(f"IV: Hello {i}?\nR: Fine.\n") for i in range(21))
    check(f"21 files read: {chars} characters, 42 turns; 21 speakers in 21 documents not mapped"
          in r.err, r)
    check("21 imported, 0 replaced, 0 unchanged, 1 not imported" in r.err, r)
    r = env.run("import", *files, "--verbose")
    check(r.code == 0, r)
    check(sum(l.startswith("unchanged T") for l in r.err.splitlines()) == 21, r)
    check("files read" not in r.err, r)
    # 20 files or fewer: a line each, no summary.
    r = env.ok("import", *files[:20])
    check(sum(l.startswith("unchanged T") for l in r.err.splitlines()) == 20, r)


@test
def log_compact_keeps_entries_and_stops_undo(env):
    env.mini_project()  # three changes: import, cases import, codings import
    r = env.ok("log", "--compact", "--keep", "1")
    check("compacted 2 changes: they can no longer be undone; 1 still can" in r.err, r)
    check("MiB before" in r.err and "after" in r.err, r)
    log = json.loads(env.ok("log", "--format", "json").out)
    check([e["compacted"] for e in log] == [True, True, False], log)
    check(env.ok("log").out.count("compacted") == 2, "the table marks compacted entries")
    env.ok("undo")  # the codings import still undoes
    before = env.snapshot()
    env.bad("undo", expect_in_err=["cannot undo change #2", "qcode log --compact"])
    check(env.snapshot() == before, "a refused undo changes nothing")
    env.bad("log", "--keep", "1", expect_in_err="--keep N goes with --compact")


def main(argv, tests=None, usage=None):
    """Runs one test of `tests` (default: this file's) as the command line asks."""
    tests = TESTS if tests is None else tests
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(tests))
        return 0
    if len(argv) != 3 or argv[2] not in tests:
        print(usage or __doc__, file=sys.stderr)
        return 2
    env = Env(os.path.abspath(argv[1]))
    started = time.monotonic()
    try:
        tests[argv[2]](env)
    except Failure as e:
        print(f"FAIL {argv[2]}: {e}", file=sys.stderr)
        return 1
    finally:
        env.close()
    print(f"ok {argv[2]} ({time.monotonic() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
