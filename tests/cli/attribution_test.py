#!/usr/bin/env python3
"""Black-box tests of attribution (issue 10): speaker mappings that belong to the project
and survive a re-import, `speakers list|map`, `cases list`, `import --case`, and the
warnings that keep a passage from counting for nobody in silence.

Fixtures: tests/fixtures/speakers/group.vtt (three cues: 'Wright, Steve' asks, 'Hurst,
Peter' and 'Jo' answer; stored as lines 1, 3 and 5), group-kim.vtt (the same and a fourth
cue by 'Kim'), interview.vtt (Interviewer and Respondent). Real files are read from
../shared/real-transcripts when it is there.

Usage: attribution_test.py --list            (names of the tests, one per line, for CMake)
       attribution_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import check  # noqa: E402

TESTS = {}
SPEAKERS = os.path.join(cli_test.FIXTURES, "speakers")
REAL = os.path.join(os.path.dirname(cli_test.ROOT), "shared", "real-transcripts")


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


def fixture(name):
    return os.path.join(SPEAKERS, name)


def speakers(env, *args):
    return json.loads(env.ok("speakers", "list", "--format", "json", *args).out)


def roles(env, doc):
    """label -> (role, case) for one document."""
    return {s["speaker"]: (s["role"], s["case"]) for s in speakers(env, "--doc", doc)}


def segments(env):
    """theme -> group -> coded segments, from the matrix JSON."""
    m = json.loads(env.ok("matrix", "--measure", "segments", "--format", "json").out)
    return {r["code"]: dict(zip([c["id"] for c in m["columns"]], r["cells"])) for r in m["rows"]}


def group_project(env, *import_args):
    """The mini framework, group.vtt imported with `import_args` (P1 a client and P2 staff
    where the import names them), Peter's line 3 and Jo's line 5 coded a.x."""
    env.ok("init", "g.qcode", "--framework", os.path.join(cli_test.MINI, "framework.yaml"))
    env.ok("import", fixture("group.vtt"), *import_args)
    groups = {"P1": "client", "P2": "staff"}
    rows = "".join(f"{c},{g}\n" for c, g in groups.items() if any(f"={c}" in a for a in import_args))
    if rows:
        env.ok("cases", "import", env.write("cases.csv", "case,group\n" + rows))
    env.ok("code", "group", "--lines", "3", "--code", "a.x")
    env.ok("code", "group", "--lines", "5", "--code", "a.x")


# --- mappings belong to the project -------------------------------------------------

@test
def reimport_keeps_speaker_mappings_given_on_import(env):
    # Labels with commas, in one --speakers value: the piece "Hurst" has no '=' and so
    # belongs to the label that follows.
    group_project(env, "--speakers", "Hurst, Peter=P1,Jo=P2,Wright, Steve=interviewer")
    check(roles(env, "group") == {"Wright, Steve": ("interviewer", None), "Hurst, Peter": ("case", "P1"),
                                  "Jo": ("case", "P2")}, speakers(env))
    # By hand: a.x is coded once in P1's turn (client) and once in P2's (staff).
    before = segments(env)
    check(before["a"] == {"staff": 1, "client": 1}, before)
    r = env.ok("import", fixture("group.vtt"))
    check("unchanged group" in r.err and "not mapped" not in r.err, r)
    check("kept speaker mappings: Wright, Steve=interviewer, Hurst, Peter=P1, Jo=P2" in r.err, r)
    check(segments(env) == before, segments(env))


@test
def reimport_keeps_mappings_set_by_cases_import(env):
    group_project(env)
    check(segments(env)["a"] == {"staff": 0, "client": 0}, "unmapped speech counts for nobody")
    env.ok("cases", "import", env.write("map.csv", 'case,doc,speaker,group\n'
                                        'P1,group,"Hurst, Peter",client\nP2,group,Jo,staff\n'))
    check(segments(env)["a"] == {"staff": 1, "client": 1}, segments(env))
    r = env.ok("import", fixture("group.vtt"))
    check("kept speaker mappings: Hurst, Peter=P1, Jo=P2" in r.err, r)
    check("(1 not mapped to a case)" in r.err, r)  # Wright, Steve: not an interviewer label
    check(segments(env)["a"] == {"staff": 1, "client": 1}, segments(env))


@test
def reimport_reports_new_speakers_and_keeps_the_rest(env):
    group_project(env, "--speakers", "Hurst, Peter=P1", "--speakers", "Jo=P2")
    r = env.ok("import", fixture("group-kim.vtt"), "--accept-changes")
    # group-kim.vtt has another id: it is a new document, so nothing is kept or new.
    check("imported group-kim" in r.err and "kept" not in r.err, r)
    env.write("group.vtt", open(fixture("group-kim.vtt"), encoding="utf-8").read())
    r = env.ok("import", env.path("group.vtt"))
    check("replaced group" in r.err, r)
    check("new speaker 'Kim': not mapped (qcode speakers map group 'Kim=CASE')" in r.err, r)
    check("kept speaker mappings: Hurst, Peter=P1, Jo=P2" in r.err, r)
    check(roles(env, "group")["Kim"] == ("unmapped", None), speakers(env))


@test
def a_mapping_on_reimport_replaces_the_kept_one_and_says_so(env):
    group_project(env, "--speakers", "Jo=P2")
    r = env.ok("import", fixture("group.vtt"), "--speakers", "Jo=P1")
    check("speaker 'Jo' remapped: P2 -> P1" in r.err, r)
    check(roles(env, "group")["Jo"] == ("case", "P1"), speakers(env))


@test
def a_speakers_label_that_no_turn_has_is_reported_and_creates_no_case(env):
    env.ok("init", "g.qcode", "--framework", os.path.join(cli_test.MINI, "framework.yaml"))
    r = env.ok("import", fixture("group.vtt"), "--speakers", "Hurst=P1,Jo=P2")
    check("warning: " in r.err and "--speakers names label 'Hurst', which no turn has" in r.err, r)
    check([c["id"] for c in json.loads(env.ok("cases", "list", "--format", "json").out)] == ["P2"], r)


# --- speakers list and map ------------------------------------------------------------

@test
def speakers_map_takes_labels_with_commas_and_undo_restores_them(env):
    group_project(env)
    before = (env.ok("speakers", "list", "--format", "json").out, env.ok("matrix", "--format", "json").out)
    r = env.ok("speakers", "map", "group", "Hurst, Peter=P1", "Wright, Steve=interviewer", "Jo=P3")
    check("new case P3" in r.err, r)
    check("group: 3 mappings changed, 2 turns now speak for another case (or none)" in r.err, r)
    listed = {s["speaker"]: s for s in speakers(env, "--doc", "group")}
    check(listed["Hurst, Peter"]["case"] == "P1" and listed["Hurst, Peter"]["group"] is None, listed)
    check(listed["Hurst, Peter"]["declared"] is True and listed["Hurst, Peter"]["turns"] == 1, listed)
    check(listed["Hurst, Peter"]["codings"] == 1, listed)
    check(listed["Wright, Steve"]["role"] == "interviewer", listed)
    # The unmapped list is empty now; before, it named all three.
    check(speakers(env, "--unmapped") == [], speakers(env, "--unmapped"))
    env.ok("undo")
    after = (env.ok("speakers", "list", "--format", "json").out, env.ok("matrix", "--format", "json").out)
    check(after == before, "undo must restore the mappings exactly")
    check([s["speaker"] for s in speakers(env, "--unmapped")] == ["Wright, Steve", "Hurst, Peter", "Jo"],
          speakers(env))


@test
def speakers_map_forgets_a_mapping_with_an_empty_case(env):
    group_project(env, "--speakers", "Jo=P2")
    env.ok("speakers", "map", "group", "Jo=")
    check(roles(env, "group")["Jo"] == ("unmapped", None), speakers(env))
    r = env.ok("import", fixture("group.vtt"))
    check("kept" not in r.err, r)


@test
def speakers_map_refuses_unknown_labels_and_documents_and_changes_nothing(env):
    group_project(env)
    before = env.snapshot()
    env.bad("speakers", "map", "group", "Hurst=P1",
            expect_in_err=["unknown speaker in document 'group': 'Hurst'", "its speakers: Wright, Steve, Hurst, Peter, Jo"])
    env.bad("speakers", "map", "groop", "Jo=P1", expect_in_err="did you mean 'group'?")
    env.bad("speakers", "map", "group", "no-equals-sign", expect_in_err="expected LABEL=CASE")
    env.bad("speakers", "map", "group", "=P1", expect_in_err="expected LABEL=CASE")
    env.bad("speakers", "map", "group", expect_in_err="nothing to map")
    env.bad("speakers", "map", "group", "Jo=P 1", expect_in_err="bad case id 'P 1'")
    check(env.snapshot() == before, "a refused mapping must change nothing")


# --- documents one-to-one with a case ---------------------------------------------------

@test
def import_case_makes_any_format_a_one_to_one_interview(env):
    env.ok("init", "i.qcode", "--framework", os.path.join(cli_test.MINI, "framework.yaml"))
    r = env.ok("import", fixture("interview.vtt"), "--case", "C9")
    check("not mapped" not in r.err, r)
    docs = json.loads(env.ok("docs", "list", "--format", "json").out)
    check(docs[0]["case"] == "C9", docs)
    env.ok("cases", "import", env.write("c.csv", "case,group\nC9,client\n"))
    # A passage of an interview speaks for its case, even in the interviewer's turn.
    r = env.ok("code", "interview", "--lines", "1", "--code", "b.z")
    check("count for no case" not in r.err, r)
    check(segments(env)["b"] == {"staff": 0, "client": 1}, segments(env))
    # Re-imported without --case, the document keeps its case.
    r = env.ok("import", fixture("interview.vtt"))
    check("kept the document's case: C9" in r.err, r)
    check(segments(env)["b"] == {"staff": 0, "client": 1}, segments(env))


@test
def cases_import_says_what_its_rows_mapped_and_a_later_row_may_use_a_new_case(env):
    group_project(env)
    # Row 2 creates P1 by mapping Peter; row 3 sets P1's attribute without a document.
    r = env.ok("cases", "import", env.write("m.csv", 'case,doc,speaker,district\n'
                                          'P1,group,"Hurst, Peter",North\nP1,,,South\nC9,group,,East\n'))
    check("set attributes of 3 cases from" in r.err, r)
    check("; mapped 1 speaker; declared 1 document one-to-one; new cases: P1, C9" in r.err, r)
    cases = {c["id"]: c for c in json.loads(env.ok("cases", "list", "--format", "json").out)}
    check(cases["P1"]["attributes"] == {"district": "South"}, cases)
    env.ok("undo")
    check(json.loads(env.ok("cases", "list", "--format", "json").out) == [], "undo removes the new cases")


@test
def cases_import_row_with_a_document_and_no_speaker_declares_it_one_to_one(env):
    env.ok("init", "i.qcode", "--framework", os.path.join(cli_test.MINI, "framework.yaml"))
    env.ok("import", fixture("interview.vtt"))
    env.ok("cases", "import", env.write("c.csv", "case,doc,speaker,group\nC9,interview,,staff\n"))
    check(roles(env, "interview") == {"Interviewer": ("interviewer", None), "Respondent": ("case", "C9")},
          speakers(env))
    cases = json.loads(env.ok("cases", "list", "--format", "json").out)
    check(cases == [{"id": "C9", "label": "C9", "attributes": {"group": "staff"},
                     "documents": [{"doc": "interview", "interview": True, "turns": 2}]}], cases)
    env.ok("speakers", "map", "interview", "--group")
    check(roles(env, "interview")["Respondent"] == ("unmapped", None), speakers(env))


@test
def cases_list_shows_attributes_and_where_each_case_speaks(env):
    group_project(env, "--speakers", "Hurst, Peter=P1,Jo=P2")
    env.ok("import", fixture("interview.vtt"), "--case", "C9")
    r = env.ok("cases", "list")
    lines = r.out.splitlines()
    check(lines[0].split() == ["case", "label", "group", "documents"], r)
    check(re.match(r"C9\s+C9\s+interview \(interview, 2 turns\)$", lines[2]), r)
    check(re.match(r"P1\s+P1\s+client\s+group \(1 turn\)$", lines[3]), r)
    check(re.match(r"P2\s+P2\s+staff\s+group \(1 turn\)$", lines[4]), r)
    csv_out = env.ok("cases", "list", "--format", "csv").out.splitlines()
    check(csv_out[0] == "case,label,group,documents" and csv_out[2] == "P1,P1,client,group (1 turn)", csv_out)


# --- no silent zero ---------------------------------------------------------------------

@test
def coding_speech_that_counts_for_nobody_is_reported(env):
    group_project(env, "--speakers", "Hurst, Peter=P1,Wright, Steve=interviewer")
    r = env.ok("code", "group", "--lines", "1", "--code", "a.y")
    check("coded group 0:01 l.1 (0:39) as a.y" in r.err, r)
    check("warning: 1 of these passages counts for no case" in r.err, r)
    check("group 0:01 l.1: 'Wright, Steve' (interviewer)" in r.err, r)
    # Turns 2-3 are one passage that speaks for P1 (Peter's turn): it counts.
    r = env.ok("code", "group", "--turns", "2-3", "--code", "b.z")
    check("count for no case" not in r.err, r)
    # Jo is not mapped: her turn alone counts for nobody.
    r = env.ok("code", "group", "--turns", "3", "--code", "b.z")
    check("warning: 1 of these passages counts for no case" in r.err, r)
    check("group 0:10 l.5: 'Jo' (not mapped to a case)" in r.err, r)
    # Several passages at once (--speaker selects each turn of the label).
    r = env.ok("code", "group", "--match", "referral", "--code", "a.x")
    check("coded 1 passage as a.x" in r.err and "warning: 1 of these passages" in r.err, r)
    r = env.ok("codings", "import", env.write("c.csv", "doc,start,end,code,coder\ngroup,0,5,a.x,tester\n"))
    check("warning: 1 of these passages counts for no case" in r.err, r)


@test
def import_warns_of_inline_codings_and_refi_codings_that_count_for_nobody(env):
    env.ok("init", "w.qcode", "--framework", os.path.join(cli_test.MINI, "framework.yaml"))
    # IV is an interviewer by its label; R1 (used twice) is a label mapped to no case.
    env.write("inl.txt", "IV: Hello (QCODE)there(/QCODE){#a.x}\nIV: again\nR1: (QCODE)fine(/QCODE){#a.y}\nR1: yes\n")
    r = env.ok("import", env.path("inl.txt"))
    check("warning: 2 of these passages count for no case" in r.err, r)
    check("inl l.1: 'IV' (interviewer)" in r.err and "inl l.3: 'R1' (not mapped to a case)" in r.err, r)
    # The same codings through a REFI-QDA archive into a new project: still no case.
    env.ok("export", "qdpx", "-o", "w.qdpx")
    r = env.ok("-p", "new.qcode", "import", env.path("w.qdpx"))
    check("warning: 2 of these passages count for no case" in r.err, r)


# --- real files ---------------------------------------------------------------------------

def real(name):
    path = os.path.join(REAL, name)
    return path if os.path.exists(path) else None


@test
def real_teams_transcript_maps_its_comma_labels(env):
    path = real("teams-2022-11-15.vtt")
    if not path:
        print("skipped: ../shared/real-transcripts is not there")
        return
    # Turns worked out independently: consecutive cues of one voice are one turn.
    voices = re.findall(r"<v ([^>]+)>", open(path, encoding="utf-8-sig").read())
    runs = [v for i, v in enumerate(voices) if i == 0 or voices[i - 1] != v]
    env.ok("init", "t.qcode", "--framework", os.path.join(cli_test.MINI, "framework.yaml"))
    r = env.ok("import", path)
    check("warning: " in r.err and "malformed start time '0:0:-6.-820'" in r.err, r)
    env.ok("speakers", "map", "teams-2022-11-15", "Hurst, Peter=P1", "Wright, Steve=interviewer")
    listed = {s["speaker"]: s for s in speakers(env)}
    check(listed["Hurst, Peter"]["case"] == "P1", listed)
    check(listed["Hurst, Peter"]["turns"] == runs.count("Hurst, Peter"), (listed, runs.count("Hurst, Peter")))
    check(listed["Wright, Steve"]["turns"] == runs.count("Wright, Steve"), listed)
    r = env.ok("import", path)
    check("kept speaker mappings: " in r.err and "Hurst, Peter=P1" in r.err, r)
    check({s["speaker"]: s["case"] for s in speakers(env)}["Hurst, Peter"] == "P1", speakers(env))


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(TESTS))
        return 0
    if len(argv) != 3 or argv[2] not in TESTS:
        print(__doc__, file=sys.stderr)
        return 2
    env = cli_test.Env(os.path.abspath(argv[1]))
    try:
        TESTS[argv[2]](env)
    except cli_test.Failure as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        env.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
