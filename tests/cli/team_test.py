#!/usr/bin/env python3
"""Black-box tests of team work (issue 13): `qcode copy` writes a copy with only some
coders' codings, so that a second coder starts blind, and `qcode merge` brings another
project's work back as one change that undo reverts.

Usage: team_test.py --list            (names of the tests, one per line, for CMake)
       team_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import check  # noqa: E402

TESTS = {}


def test(fn):
    def run(e):
        # Two projects in one folder: commands without -p work on e.project.
        plain = e.run
        e.project = "mini.qcode"

        def run_in(*args, env=None):
            return plain(*args, env={"QCODE_PROJECT": e.project, **(env or {})})
        e.run = run_in
        fn(e)
    TESTS[fn.__name__] = run
    return fn


def everything(env, project="mini.qcode", memos=("I1", "K1")):
    """All a user can see of a project, to compare before and after."""
    p = ["-p", project]
    return (env.ok("docs", "list", "--format", "json", *p).out,
            env.ok("codings", "export", "--format", "json", *p).out,
            env.ok("cases", "list", "--format", "json", *p).out,
            env.ok("summary", "show", "--format", "json", *p).out,
            env.ok("framework", "export", *p).out,
            env.ok("speakers", "list", *p).out,
            memos and env.ok("memo", memos[0], "--doc", *p).out + env.ok("memo", memos[1], "--case", *p).out)


def codings(env, project):
    return json.loads(env.ok("codings", "export", "--format", "json", "-p", project).out)


def keys(rows):
    return sorted((c["doc"], c["start"], c["end"], c["code"], c["coder"]) for c in rows)


def mini_with_notes(env):
    env.mini_project()
    env.ok("memo", "I1", "a document memo", "--doc")
    env.ok("memo", "K1", "a case memo", "--case")
    env.ok("summary", "set", "K2", "a.x", "K2 on A.x")


@test
def copy_keeps_everything_but_the_codings_not_asked_for(env):
    mini_with_notes(env)
    before = everything(env)
    all_codings = codings(env, "mini.qcode")
    check({c["coder"] for c in all_codings} == {"x", "y"}, all_codings)
    r = env.ok("copy", "blind.qcode")
    check("wrote blind.qcode: 3 documents" in r.err and "0 codings" in r.err, r)
    check(codings(env, "blind.qcode") == [], "a blind copy has no codings")
    copy = everything(env, "blind.qcode")
    for i in (2, 3, 4, 6):  # documents and speakers lists count codings
        check(copy[i] == before[i], f"part {i} of the copy differs:\n{copy[i]}\n---\n{before[i]}")
    check(env.ok("log", "--format", "json", "-p", "blind.qcode").out.strip() == "[]", "empty history")
    check(env.ok("check", "-p", "blind.qcode").code == 0, "check")

    env.ok("copy", "all.qcode", "--codings", "all")
    check(everything(env, "all.qcode") == before, "--codings all is a faithful copy")
    env.ok("copy", "y.qcode", "--codings", "y")
    check(keys(codings(env, "y.qcode")) == keys(c for c in all_codings if c["coder"] == "y"), "only y")
    env.ok("copy", "xy.qcode", "--codings", "x,y")
    check(keys(codings(env, "xy.qcode")) == keys(all_codings), "x and y")

    env.bad("copy", "all.qcode", expect_in_err="'all.qcode' already exists")
    env.bad("copy", "z.qcode", "--codings", "zed", expect_in_err="unknown coder 'zed'")
    env.bad("copy", "z.qcode", "--codings", "x,", expect_in_err="--codings 'x,'")
    check(not os.path.exists(env.path("z.qcode")), "a refused copy writes nothing")
    check(everything(env) == before, "copying changes nothing in the project")


@test
def merge_brings_back_a_second_coders_work_once(env):
    mini_with_notes(env)
    env.ok("copy", "bob.qcode")
    bob = {"QCODE_CODER": "bob"}
    env.ok("code", "I1", "--lines", "2", "--code", "b.z", "-p", "bob.qcode", env=bob)
    env.ok("code", "I2", "--lines", "1", "--code", "a.y", "-p", "bob.qcode", env=bob)
    env.ok("codings", "import", os.path.join(cli_test.MINI, "codings.csv"), "-p", "bob.qcode")
    env.ok("summary", "set", "K3", "b.z", "bob's summary", "-p", "bob.qcode", env=bob)
    ours = codings(env, "mini.qcode")
    theirs = codings(env, "bob.qcode")
    before = everything(env)
    log_before = env.ok("log", "--format", "json").out

    r = env.ok("merge", "bob.qcode", "--dry-run")
    check("codings: 2 added (bob 2)" in r.out and "dry run" in r.err, r)
    check(everything(env) == before, "a dry run changes nothing")

    r = env.ok("merge", "bob.qcode")
    check("merged bob.qcode" in r.err and "codings: 2 added (bob 2)" in r.out, r)
    check(f"{len(ours)} already here" in r.out and "chart summaries: 1 set" in r.out, r)
    after = codings(env, "mini.qcode")
    check(keys(after) == sorted(set(keys(ours)) | set(keys(theirs))), after)
    check(len(after) == len(ours) + 2, "duplicates are not doubled")
    check("bob's summary" in env.ok("summary", "show", "--format", "json").out, "summary merged")
    log = json.loads(env.ok("log", "--format", "json").out)
    check(len(log) == len(json.loads(log_before)) + 1, f"one history entry: {log}")
    check("merge bob.qcode" in log[-1]["command"], log[-1])

    r = env.ok("merge", "bob.qcode")
    check("codings: 0 added" in r.out, f"a second merge adds nothing:\n{r}")
    check(len(codings(env, "mini.qcode")) == len(after), "nothing doubled")

    env.ok("undo")  # the empty second merge recorded nothing
    check(everything(env) == before, "undo restores the project exactly")
    check(env.ok("log", "--format", "json").out != log_before, "the merge is there to redo")
    env.ok("redo")
    check(keys(codings(env, "mini.qcode")) == keys(after), "redo")
    env.ok("check")


@test
def merge_adds_new_documents_codes_and_cases(env):
    env.mini_project()
    env.ok("copy", "b.qcode", "--codings", "all")
    env.write("more.yaml", open(os.path.join(cli_test.MINI, "framework.yaml"), encoding="utf-8").read()
              + "      - {id: w, label: Code B.w}\n")
    env.ok("framework", "update", "more.yaml", "-p", "b.qcode")
    env.write("N1.txt", "---\nid: N1\ncase: K9\n---\nR: A new interview about nothing much.\n")
    env.ok("import", "N1.txt", "-p", "b.qcode")
    env.ok("code", "N1", "--lines", "1", "--code", "b.w", "-p", "b.qcode")
    before = everything(env)
    r = env.ok("merge", "b.qcode")
    check("documents: 1 added (N1)" in r.out and "codes: 1 added (b.w)" in r.out, r)
    check("cases: 1 added (K9)" in r.out and "codings: 1 added (tester 1)" in r.out, r)
    check("b.w  Code B.w" in env.ok("framework", "show").out, "code added")
    check(env.ok("docs", "show", "N1").out == env.ok("docs", "show", "N1", "-p", "b.qcode").out, "text")
    check(keys(codings(env, "mini.qcode")) == keys(codings(env, "b.qcode")), "codings")
    check(env.ok("check").code == 0, "check")
    env.ok("undo")
    check(everything(env) == before, "undo restores exactly")


@test
def merge_lists_conflicts_and_refuses_unless_a_side_is_preferred(env):
    env.mini_project()
    env.ok("summary", "set", "K1", "a.x", "ours")
    env.ok("copy", "b.qcode")
    env.ok("summary", "set", "K1", "a.x", "theirs", "-p", "b.qcode")
    env.ok("cases", "import", env.write("k1.csv", "case,district\nK1,South\n"), "-p", "b.qcode")
    env.ok("memo", "K2", "their memo", "--case", "-p", "b.qcode")
    env.ok("memo", "K2", "our memo", "--case")
    before = everything(env)
    log_before = env.ok("log").out
    r = env.bad("merge", "b.qcode", expect_in_err=[
        "merge refused, nothing changed: 3 conflicts; choose the side that wins with --prefer"])
    for line in ("conflict: case attribute 'K1 district': \"North\" here, \"South\" in the other project",
                 "conflict: summary 'K1 a.x': \"ours\" here, \"theirs\" in the other project",
                 "conflict: case memo 'K2': \"our memo\" here, \"their memo\" in the other project"):
        check(line in r.out.splitlines(), f"{line!r} not listed:\n{r}")
    check(everything(env) == before and env.ok("log").out == log_before, "a refused merge changes nothing")
    env.bad("merge", "b.qcode", "--prefer", "mine", expect_in_err="--prefer 'mine'")

    env.ok("merge", "b.qcode", "--prefer", "ours")
    check(everything(env) == before, "ours wins: nothing to take")
    env.ok("merge", "b.qcode", "--prefer", "theirs")
    cases = {c["id"]: c for c in json.loads(env.ok("cases", "list", "--format", "json").out)}
    check(cases["K1"]["attributes"]["district"] == "South", cases["K1"])
    check("theirs" in env.ok("summary", "show", "--case", "K1").out, "their summary")
    check(env.ok("memo", "K2", "--case").out == "their memo\n", "their memo")
    env.ok("undo")
    check(everything(env) == before, "undo restores exactly")


@test
def merge_takes_the_other_projects_speaker_mappings(env):
    env.mini_project(with_codings=False)
    env.ok("copy", "b.qcode")
    env.ok("speakers", "map", "G1", "Ann=K9", "-p", "b.qcode")
    before = everything(env)
    r = env.bad("merge", "b.qcode", expect_in_err="1 conflict")
    check("conflict: speaker mapping 'G1 Ann': \"K2\" here, \"K9\" in the other project" in r.out, r)
    r = env.ok("merge", "b.qcode", "--prefer", "theirs")
    check("speaker mappings: 1 set" in r.out and "cases: 1 added (K9)" in r.out, r)
    check(env.ok("speakers", "list").out == env.ok("speakers", "list", "-p", "b.qcode").out, "mapped as theirs")
    env.ok("undo")
    check(everything(env) == before, "undo restores exactly")


@test
def merge_refuses_a_changed_text_unless_accept_changes(env):
    env.mini_project()
    env.ok("copy", "b.qcode")
    with open(os.path.join(cli_test.MINI, "I2.txt"), encoding="utf-8") as f:
        text = f.read()
    env.write("I2.txt", text.replace("\n\n", "\n\nA new first line.\n\n", 1) if "\n\n" in text
              else text + "\nOne more line.\n")
    env.ok("import", "I2.txt", "-p", "b.qcode", "--accept-changes")
    before = everything(env)
    r = env.bad("merge", "b.qcode", expect_in_err=["the text of 1 document differs (I2)", "--accept-changes"])
    check("documents: 0 added, 1 changed (I2), 2 unchanged" in r.out, r)
    check(everything(env) == before, "refused: nothing changed")
    env.ok("merge", "b.qcode", "--accept-changes")
    check(env.ok("docs", "show", "I2").out == env.ok("docs", "show", "I2", "-p", "b.qcode").out, "their text")
    check(env.ok("check").code == 0, "check")
    env.ok("undo")
    check(everything(env) == before, "undo restores exactly")


@test
def two_coders_copies_of_the_sample_merge_into_the_whole(env):
    env.project = "s.qcode"
    env.sample_project()
    coders = sorted({c["coder"] for c in codings(env, "s.qcode")})
    check(len(coders) == 2, coders)
    env.ok("copy", "one.qcode", "--codings", coders[0], "-p", "s.qcode")
    env.ok("copy", "two.qcode", "--codings", coders[1], "-p", "s.qcode")
    before = everything(env, "one.qcode", None)
    r = env.ok("merge", "two.qcode", "-p", "one.qcode")
    check(f"codings: {len(codings(env, 'two.qcode'))} added ({coders[1]} " in r.out, r)
    check(keys(codings(env, "one.qcode")) == keys(codings(env, "s.qcode")), "the whole again")
    check(everything(env, "one.qcode", None)[2:] == everything(env, "s.qcode", None)[2:], "the rest alike")
    env.ok("undo", "-p", "one.qcode")
    check(everything(env, "one.qcode", None) == before, "undo restores exactly")


@test
def merge_refuses_bad_input(env):
    env.mini_project()
    before = everything(env)
    env.bad("merge", "nothing.qcode", expect_in_err="cannot merge 'nothing.qcode': no such file")
    env.bad("merge", "mini.qcode", expect_in_err="cannot merge 'mini.qcode' into itself")
    env.bad("merge", env.write("not.qcode", "hello"), expect_in_err="is not a qcode project")
    env.bad("merge", expect_in_err="missing")
    check(everything(env) == before, "nothing changed")
    check("  copy " in env.ok("--help").out and "  merge " in env.ok("--help").out, "--help")
    for cmd in ("copy", "merge"):
        check("usage: qcode " + cmd in env.ok(cmd, "--help").out, cmd)


def main(argv):
    return cli_test.main(argv, TESTS, __doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
