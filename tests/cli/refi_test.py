#!/usr/bin/env python3
"""Black-box tests of REFI-QDA exchange: qdpx and qdc export and import, round trips,
files from other tools, and hostile archives.

The schemas and the files from other tools are copies in tests/fixtures/refi (its README
says where each came from). Expected passages are worked out by hand from the texts.

Usage: refi_test.py --list            (names of the tests, one per line, for CMake)
       refi_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)
"""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import FRAMEWORKS, FIXTURES, SAMPLE, Failure, check  # noqa: E402,F401

TESTS = {}

REFI = os.path.join(FIXTURES, "refi")
EXAMPLES = os.path.join(REFI, "examples")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


# --- helpers ----------------------------------------------------------------------------

def zip_folder(env, folder, name):
    """A .qdpx of the files under `folder`, byte for byte, named `name` in the work folder."""
    path = env.path(name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for base, _, files in os.walk(folder):
            for f in sorted(files):
                full = os.path.join(base, f)
                z.write(full, os.path.relpath(full, folder).replace(os.sep, "/"))
    return path


def write_zip(env, name, entries, compression=zipfile.ZIP_DEFLATED):
    """A zip archive of (entry name, bytes or text) pairs."""
    path = env.path(name)
    with zipfile.ZipFile(path, "w", compression) as z:
        for entry, data in entries:
            z.writestr(zipfile.ZipInfo(entry), data, compress_type=compression)
    return path


def xmllint(schema, document):
    """Validates `document` (a path) against one of the schemas in tests/fixtures/refi."""
    if shutil.which("xmllint") is None:
        raise Failure("xmllint is needed to check exports against the REFI-QDA schemas "
                      "(Debian and Ubuntu: apt-get install libxml2-utils)")
    p = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(REFI, schema), document],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"{document} does not validate against {schema}:\n{p.stderr}")


def export(env, fmt, name, project=None):
    args = (["-p", project] if project else []) + ["export", fmt, "-o", name]
    env.ok(*args)
    with open(env.path(name), "rb") as f:
        return f.read()


def qde_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("project.qde").decode("utf-8")


def codings(env, project=None):
    args = (["-p", project] if project else []) + ["codings", "export", "--format", "json"]
    return json.loads(env.ok(*args).out)


def passages(env, project=None):
    return sorted((c["doc"], c["code"], c["text"]) for c in codings(env, project))


def state(env, project="mini.qcode"):
    """Everything a user can see of a project, GUIDs and history included."""
    p = ["-p", project]
    return (env.ok(*p, "docs", "list", "--format", "json").out,
            env.ok(*p, "codings", "export", "--format", "json").out,
            env.ok(*p, "framework", "export").out,
            env.ok(*p, "summary", "show", "--format", "json").out,
            env.ok(*p, "log").out,
            export(env, "qdpx", "state.qdpx", project))


def not_carried_over(err):
    """The lines under "not carried over:" in an import's report."""
    lines = err.splitlines()
    if "not carried over:" not in lines:
        return []
    return [l.strip() for l in lines[lines.index("not carried over:") + 1:] if l.startswith("  ")]


def mini_with_summaries(env):
    env.mini_project()
    env.ok("summary", "set", "K2", "a.x", "Praised the service.")
    env.ok("summary", "draft", "a")


# --- export -----------------------------------------------------------------------------

@test
def export_of_the_mini_study_validates_against_the_schemas(env):
    mini_with_summaries(env)
    r = env.ok("export", "qdpx", "-o", "mini.qdpx")
    check("wrote REFI-QDA project (3 documents, 5 codes, 8 codings) to mini.qdpx" in r.err, r)
    with zipfile.ZipFile(env.path("mini.qdpx")) as z:
        names = z.namelist()
        z.extractall(env.path("x"))
    check(names[0] == "project.qde", names)
    sources = [n for n in names if n != "project.qde"]
    check(len(sources) == 3 and all(n.startswith("sources/") and GUID.match(n[8:-4]) and n.endswith(".txt")
                                    for n in sources), names)
    xmllint("Project-mrt2019.xsd", env.path("x/project.qde"))
    qde = open(env.path("x/project.qde"), encoding="utf-8").read()
    # Each source file is the stored text, UTF-8 without a BOM, named by the source's GUID.
    for doc in ("I1", "G1", "I2"):
        m = re.search(r'<TextSource guid="([^"]+)" name="' + doc + r'" plainTextPath="internal://\1\.txt"', qde)
        check(m, f"no TextSource for {doc}:\n{qde}")
        with open(env.path(f"x/sources/{m.group(1)}.txt"), "rb") as f:
            data = f.read()
        check(not data.startswith(b"\xef\xbb\xbf"), f"{doc}: BOM")
        shown = json.loads(env.ok("docs", "show", doc, "--format", "json").out)
        check(data.decode("utf-8") == shown["text"], f"{doc}: source file differs from the stored text")
    for text in ('<User guid="', 'name="x"', 'name="y"', '<Code guid="', 'name="Code A.x"',
                 '<Variable guid="', 'name="district"', '<Case guid="', 'name="K1"', '<TextValue>North</TextValue>',
                 '<SourceRef targetGUID="', 'name="Because it helped." startPosition="12" endPosition="30"',
                 "spans the interviewer's question", 'name="Chart summary: K2, a.x"', "Praised the service.",
                 '<Link guid="', 'name="chart summary of case"'):
        check(text in qde, f"{text!r} missing from project.qde")
    r = env.ok("export", "qdc", "-o", "mini.qdc")
    check("wrote REFI-QDA codebook (5 codes) to mini.qdc" in r.err, r)
    xmllint("Codebook-mrt2019.xsd", env.path("mini.qdc"))


@test
def export_of_the_sample_study_validates_against_the_schemas(env):
    env.ok("init", "s.qcode", "--framework", os.path.join(FRAMEWORKS, "provider-led-pathways.yaml"))
    transcripts = sorted(os.path.join(SAMPLE, "transcripts", f)
                         for f in os.listdir(os.path.join(SAMPLE, "transcripts")))
    env.ok("import", *transcripts)
    env.ok("cases", "import", os.path.join(SAMPLE, "cases.csv"))
    for coder in ("a", "b"):
        env.ok("codings", "import", os.path.join(SAMPLE, f"codings-{coder}.csv"))
    data = export(env, "qdpx", "s.qdpx")
    with open(env.path("project.qde"), "w", encoding="utf-8") as f:
        f.write(qde_of(data))
    xmllint("Project-mrt2019.xsd", env.path("project.qde"))
    export(env, "qdc", "s.qdc")
    xmllint("Codebook-mrt2019.xsd", env.path("s.qdc"))
    # Into a new project and out again: the same project.qde.
    env.ok("-p", "copy.qcode", "import", "s.qdpx")
    check(qde_of(export(env, "qdpx", "copy.qdpx", "copy.qcode")) == qde_of(data), "sample round trip differs")
    check(passages(env, "copy.qcode") == passages(env, "s.qcode"), "sample codings differ")


@test
def export_of_text_with_control_characters_validates(env):
    # A form feed (a page break) and U+0001 are kept in the text; XML 1.0 cannot hold them, so
    # the selection's name has spaces there. "R: page\fbreak \x01 ok": "page...ok" is 3-18.
    env.ok("init", "c.qcode", "--framework", os.path.join(cli_test.MINI, "framework.yaml"))
    env.ok("import", env.write("T1.txt", "---\ncase: K1\n---\nR: page\fbreak \x01 ok\n"))
    env.ok("code", "T1", "--chars", "3:18", "--code", "a.x")
    data = export(env, "qdpx", "c.qdpx")
    with open(env.path("project.qde"), "w", encoding="utf-8") as f:
        f.write(qde_of(data))
    xmllint("Project-mrt2019.xsd", env.path("project.qde"))
    env.ok("-p", "copy.qcode", "import", "c.qdpx")
    check([c["text"] for c in codings(env, "copy.qcode")] == ["page\fbreak \x01 ok"], codings(env, "copy.qcode"))


@test
def two_exports_of_a_project_are_byte_identical(env):
    mini_with_summaries(env)
    first = export(env, "qdpx", "one.qdpx")
    check(export(env, "qdpx", "two.qdpx") == first, "two exports differ")
    check(export(env, "qdc", "one.qdc") == export(env, "qdc", "two.qdc"), "two codebook exports differ")
    # To standard output, the same bytes.
    p = subprocess.run([env.binary, "export", "qdpx", "-o", "-"], cwd=env.dir, capture_output=True,
                       env={**os.environ, "QCODE_CODER": "tester"})
    check(p.returncode == 0 and p.stdout == first, "export to standard output differs")


@test
def export_errors_say_what_to_do(env):
    env.bad("export", "qdpx", expect_in_err="needs -o FILE.qdpx")
    env.bad("export", "qdx", "-o", "x.qdx", expect_in_err="did you mean 'qdpx'")
    env.ok("init", "empty.qcode")
    env.bad("export", "qdc", "-o", "x.qdc", expect_in_err="the project has no codes")
    check(not os.path.exists(env.path("x.qdc")), "a failed export left a file")


# --- round trips and re-imports ---------------------------------------------------------

@test
def round_trip_through_a_new_project_gives_the_same_project(env):
    env.mini_project()
    first = export(env, "qdpx", "mini.qdpx")
    r = env.ok("-p", "copy.qcode", "import", "mini.qdpx")
    for line in ("into copy.qcode (created)", "codes: 5 added, 0 already in the project",
                 "documents: 3 added, 0 replaced, 0 unchanged", "cases: 5 added, 0 updated; 2 variables",
                 "codings: 8 added, 0 already present; 3 with memos; 2 coders"):
        check(line in r.err, f"{line!r} missing:\n{r}")
    check(not_carried_over(r.err) == [], r)
    # Without summaries every byte is the same, GUIDs included.
    check(export(env, "qdpx", "copy.qdpx", "copy.qcode") == first, "the second export differs")
    check(codings(env, "copy.qcode") == codings(env, "mini.qcode"), "codings differ")
    for args in (("framework", "export"), ("matrix", "--format", "json")):
        check(env.ok("-p", "copy.qcode", *args).out == env.ok("-p", "mini.qcode", *args).out, f"{args} differs")
    # The documents are the same but for the file they were imported from.
    docs = lambda p: [{k: v for k, v in d.items() if k != "source"}
                      for d in json.loads(env.ok("-p", p, "docs", "list", "--format", "json").out)]
    check(docs("copy.qcode") == docs("mini.qcode"), "documents differ")


@test
def round_trip_keeps_memos_and_summaries(env):
    mini_with_summaries(env)
    first = export(env, "qdpx", "mini.qdpx")
    r = env.ok("-p", "copy.qcode", "import", "mini.qdpx")
    check("chart summaries: 5" in r.err, r)
    # Summaries keep their author ('tester', who coded nothing) and date: nothing is lost.
    check("not carried over" not in r.err, r)
    summaries = lambda p: [(s["case"], s["code"], s["summary"], s["draft"], s["author"], s["updated"])
                           for s in json.loads(env.ok("-p", p, "summary", "show", "--format", "json").out)]
    check(summaries("copy.qcode") == summaries("mini.qcode"), "summaries differ")
    memos = sorted((c["doc"], c["start"], c["memo"]) for c in codings(env, "copy.qcode") if c["memo"])
    check(codings(env, "copy.qcode") == codings(env, "mini.qcode"), "codings differ")
    check(memos == [("G1", 5, "only the moderator"), ("I1", 20, "spans the interviewer's question"),
                    ("I2", 4, "only the interviewer")], memos)
    second = export(env, "qdpx", "copy.qdpx", "copy.qcode")
    check(qde_of(second) == qde_of(first), "project.qde differs")


@test
def round_trip_keeps_document_and_case_memos(env):
    env.mini_project()
    doc_memo = "Long pause <after> the first question & \"a laugh\".\nSecond line."
    env.ok("memo", "I1", doc_memo)
    env.ok("memo", "K2", "Recruited late.")
    first = export(env, "qdpx", "mini.qdpx")
    with zipfile.ZipFile(env.path("mini.qdpx")) as z:
        z.extract("project.qde", env.path("x"))
    xmllint("Project-mrt2019.xsd", env.path("x/project.qde"))
    qde = qde_of(first)
    for text in ('name="Memo: document I1"', 'name="Memo: case K2"', 'name="memo of case"',
                 "Recruited late.", "Long pause &lt;after&gt; the first question &amp;"):
        check(text in qde, f"{text!r} missing from project.qde")
    # The document's memo is a NoteRef of its TextSource; the case's a Link from the Note to it.
    i1 = qde[qde.index('name="I1" plainTextPath'):]
    i1 = i1[:i1.index("</TextSource>")]
    check(re.search(r'</PlainTextSelection>\s*<NoteRef targetGUID="[0-9a-f-]+" />\s*$', i1), i1)
    r = env.ok("-p", "copy.qcode", "import", "mini.qdpx")
    check("memos: 1 on documents, 1 on cases" in r.err, r)
    check(not_carried_over(r.err) == [], r)
    check(env.ok("-p", "copy.qcode", "memo", "I1").out == doc_memo + "\n", "document memo")
    check(env.ok("-p", "copy.qcode", "memo", "K2").out == "Recruited late.\n", "case memo")
    check(env.ok("-p", "copy.qcode", "memo", "I2").out == "", "I2 has none")
    # The memos keep their GUIDs: the copy exports the same project.qde.
    check(qde_of(export(env, "qdpx", "copy.qdpx", "copy.qcode")) == qde, "project.qde differs")
    # Importing the project's own export again leaves the memos as they were.
    env.ok("-p", "mini.qcode", "import", "mini.qdpx")
    check(qde_of(export(env, "qdpx", "again.qdpx", "mini.qcode")) == qde, "project.qde differs")


@test
def reimporting_a_projects_own_export_adds_nothing(env):
    mini_with_summaries(env)
    export(env, "qdpx", "mini.qdpx")
    export(env, "qdc", "mini.qdc")
    before = state(env)
    r = env.ok("import", "mini.qdpx")
    for line in ("codes: 0 added, 5 already in the project", "documents: 0 added, 0 replaced, 3 unchanged",
                 "cases: 0 added, 5 updated", "codings: 0 added, 8 already present"):
        check(line in r.err, f"{line!r} missing:\n{r}")
    check(not_carried_over(r.err) == [], r)
    r = env.ok("import", "mini.qdc")
    check("codes: 0 added, 5 already in the project" in r.err, r)
    after = state(env)
    check(after[:4] == before[:4] and after[5] == before[5], "the re-import changed the project")


@test
def import_into_an_existing_project_adds_what_is_new(env):
    env.mini_project()
    before = codings(env)
    path = zip_folder(env, os.path.join(EXAMPLES, "qdpx-toolkit-hand_authored"), "hand.qdpx")
    r = env.ok("import", path)
    check("codes: 4 added, 0 already in the project" in r.err, r)
    fw = env.ok("framework", "export").out
    check("id: topics" in fw and "id: a" in fw, fw)
    after = codings(env)
    check(all(c in after for c in before), "existing codings changed")
    check(len(after) == len(before) + 2, after)
    # Again: matched by GUID, nothing new.
    r = env.ok("import", path)
    check("codes: 0 added, 4 already in the project" in r.err and "codings: 0 added, 2 already present" in r.err, r)


@test
def dry_run_changes_nothing(env):
    env.mini_project()
    path = zip_folder(env, os.path.join(EXAMPLES, "qdpx-toolkit-hand_authored"), "hand.qdpx")
    before = state(env)
    r = env.ok("import", path, "--dry-run")
    check("codes: 4 added" in r.err and "(dry run: nothing was changed)" in r.err, r)
    check(state(env) == before, "a dry run changed the project")
    r = env.ok("-p", "new.qcode", "import", path, "--dry-run")
    check("codings: 2 added" in r.err, r)
    check(not os.path.exists(env.path("new.qcode")), "a dry run created the project")


# --- files from other programs ----------------------------------------------------------

@test
def hand_authored_example_imports_with_what_was_left_out(env):
    path = zip_folder(env, os.path.join(EXAMPLES, "qdpx-toolkit-hand_authored"), "hand.qdpx")
    r = env.ok("-p", "hand.qcode", "import", path)
    for line in ("(refi_qda test fixture, project 'Sample Study') into hand.qcode (created)",
                 "codes: 4 added, 0 already in the project", "documents: 1 added, 0 replaced, 0 unchanged",
                 "cases: 1 added, 0 updated; 2 variables", "codings: 2 added, 0 already present; 0 with memos; 1 coder"):
        check(line in r.err, f"{line!r} missing:\n{r}")
    check(not_carried_over(r.err) == [
        "1 picture source ('photo.jpg' with 1 selection): qcode holds text transcripts only",
        "1 PDF source ('doc.pdf' with 1 selection): qcode holds text transcripts only",
        "1 audio source ('interview.m4a' with 2 selections): qcode holds text transcripts only",
        "1 video source ('clip.mp4' with 1 selection): qcode holds text transcripts only",
        "1 set ('Diet-related'): qcode has no sets",
        "1 graph ('Model'): qcode has no graphs",
        "1 case description ('Participant 1'): qcode keeps a case's label only",
        "1 case coding ('Participant 1' with 1 code): qcode codes passages, not cases",
        "1 case selection reference ('Participant 1' with 1 selection): qcode ties a case to whole transcripts "
        "or to its speaker's turns",
        "1 project memo ('Research memo'): qcode keeps memos on codings, documents, cases and chart "
        "summaries only",
        "1 link ('Memo-Selection Relation'): qcode keeps links only between chart summaries and their case and code",
    ], r.err)
    # The text is "Diet and health are closely linked in this interview.": selection 1 is
    # 0-15 "Diet and health"; selection 2 is 9-23, "health are clo" (end exclusive).
    c = codings(env, "hand.qcode")
    check([(x["doc"], x["start"], x["end"], x["code"], x["coder"], x["text"]) for x in c] == [
        ("Interview_1", 0, 15, "topics.health", "Researcher A", "Diet and health"),
        ("Interview_1", 9, 23, "topics.health.diet", "Researcher A", "health are clo")], c)
    docs = json.loads(env.ok("-p", "hand.qcode", "docs", "list", "--format", "json").out)
    check([(d["id"], d["case"]) for d in docs] == [("Interview_1", "Participant_1")], docs)
    fw = env.ok("-p", "hand.qcode", "framework", "export").out
    for text in ("id: topics", "id: health", "id: diet", "id: wellbeing", 'color: "#dc0000"',
                 "description: Food and eating habits"):
        check(text in fw, f"{text!r} missing from the framework:\n{fw}")


@test
def atlas_ti_example_imports_its_codebook(env):
    path = zip_folder(env, os.path.join(EXAMPLES, "ponte-atlasti23-target-project"), "atlas.qdpx")
    r = env.ok("-p", "atlas.qcode", "import", path)
    check("(ATLAS.ti for Windows 23.2.3.27778, project 'target-atlas-project')" in r.err, r)
    check("codes: 3 added, 0 already in the project" in r.err, r)
    check(not_carried_over(r.err) == [
        "2 users ('Enric Llagostera', 'ATLAS.ti'): qcode knows coders through their codings, and these have none"],
        r.err)
    fw = env.ok("-p", "atlas.qcode", "framework", "export").out
    # "2022-05-10T02:05:59Z 19e4dce": lower case, ":" and " " become "_", and "code_" goes
    # before an id that would start with a digit.
    for text in ("id: commits", "id: code_2022-05-10t02_05_59z_19e4dce", "id: code_2022-02-11t10_39_25z_cdbfd92"):
        check(text in fw, f"{text!r} missing:\n{fw}")
    # The export keeps the file's GUIDs, in lower case.
    check('guid="a182cd3a-d83c-4d8c-bc80-26d9103ec6d6" name="Commits"' in qde_of(export(env, "qdpx", "a.qdpx",
                                                                                    "atlas.qcode")), "GUID")


@test
def annex_codebook_imports_with_braced_guids(env):
    r = env.ok("-p", "cb.qcode", "import", os.path.join(EXAMPLES, "spec-annexA1-codebook.qdc"))
    check("codes: 6 added, 0 already in the project" in r.err, r)
    fw = env.ok("-p", "cb.qcode", "framework", "export").out
    for text in ("id: topics", "id: economy", "id: health_care", "id: values", "id: conservatives", "id: liberals",
                 'color: "#ffff00"', "description: Anything about jobs or taxes or business"):
        check(text in fw, f"{text!r} missing:\n{fw}")
    qdc = export(env, "qdc", "again.qdc", "cb.qcode").decode("utf-8")
    xmllint("Codebook-mrt2019.xsd", env.path("again.qdc"))
    for guid in ("5215cc69-b628-4e02-afb9-9beeaee55808", "9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520"):
        check(f'guid="{guid}"' in qdc, f"{guid} not kept:\n{qdc}")
    # The codebook into the project it made: every code matched, none added.
    r = env.ok("-p", "cb.qcode", "import", os.path.join(EXAMPLES, "spec-annexA1-codebook.qdc"))
    check("codes: 0 added, 6 already in the project" in r.err, r)


@test
def nvivo_positions_land_on_the_right_words(env):
    # tests/fixtures/refi/nvivo-crlf: the source file is a UTF-8 BOM and then, with CRLF line
    # ends (no final one):
    #   Interviewer: How was the course? 😀
    #   Respondent: “Très bien” – I loved it 🎉
    #   Interviewer: Anything else?
    #   Respondent: No.
    # NVivo counts UTF-16 units (😀 and 🎉 are two each) and CRLF as two; qcode stores code
    # points with LF. Line 1 is 35 units (34 code points), so line 2 starts at 37 (stored 35);
    # line 2 is 39 units (38), so line 3 starts at 78 (74); line 3 is 27, so line 4 starts at
    # 107 (102).
    #   13-32   "How was the course?"  line 1 from 13: stored 13-32
    #   49-60   "“Très bien”"          line 2 from 12: 37+12 = 49, stored 35+12 = 47-58
    #   63-76   "I loved it 🎉"         line 2 from 26: 63, 🎉 is 74-75, so end 76; stored 61-73
    #   91-122  "Anything else?\r\nRespondent: No."  line 3 from 13: 91 (87) to the end, 122 (117)
    #   119-122 "No."                  line 4 from 12: 119-122, stored 114-117
    path = zip_folder(env, os.path.join(REFI, "nvivo-crlf"), "nvivo.qdpx")
    r = env.ok("-p", "nv.qcode", "import", path)
    check("(NVivo 14, project 'Course feedback')" in r.err, r)
    check("note: positions in 'Interview_1' read as UTF-16 units with CRLF as two (NVivo 14)" in r.err, r)
    check("codings: 5 added, 0 already present; 1 with memos; 1 coder" in r.err, r)
    check(not_carried_over(r.err) == [], r)
    c = codings(env, "nv.qcode")
    check([(x["start"], x["end"], x["code"], x["text"]) for x in c] == [
        (13, 32, "experience.question", "How was the course?"),
        (47, 58, "experience.praise", "\u201cTr\u00e8s bien\u201d"),
        (61, 73, "experience.praise", "I loved it \U0001F389"),
        (87, 117, "experience.closing", "Anything else?\nRespondent: No."),
        (114, 117, "experience.closing", "No."),
    ], c)
    check(all(x["coder"] == "Priya" for x in c), c)
    check([x["memo"] for x in c if x["memo"]] == ["Said in French, smiling."], c)
    check(c[0]["created"] == "2024-03-01T10:00:00Z", c[0])
    doc = json.loads(env.ok("-p", "nv.qcode", "docs", "show", "Interview_1", "--format", "json").out)
    check(doc["text"].startswith("Interviewer: How") and "\r" not in doc["text"], doc["text"])
    check(doc["case"] == "Respondent_1", doc)
    # Exported again, the positions are qcode's code points, and the file validates.
    qde = qde_of(export(env, "qdpx", "back.qdpx", "nv.qcode"))
    check('startPosition="47" endPosition="58"' in qde, qde)
    check('guid="7e1c2a10-5b3d-4c8e-9f01-23456789abcd"' in qde, "the source keeps its GUID")
    with open(env.path("back.qde"), "w", encoding="utf-8") as f:
        f.write(qde)
    xmllint("Project-mrt2019.xsd", env.path("back.qde"))


# --- hostile and broken files -----------------------------------------------------------

MINIMAL_QDE = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="P">'
               '<CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000011" name="x" isCodable="true"/>'
               '</Codes></CodeBook></Project>\n')


def refused(env, path, expect, new_project=True):
    """Imports `path` into the mini project and into a new one: each refused with exit 2,
    naming the file and saying `expect`, and nothing changed."""
    before = state(env)
    r = env.bad("import", path, expect_in_err=expect)
    check(os.path.basename(path) in r.err, f"the message should name the file:\n{r}")
    check(state(env) == before, f"a refused import changed the project:\n{r}")
    if new_project:
        env.bad("-p", "new.qcode", "import", path, expect_in_err=expect)
        check(not os.path.exists(env.path("new.qcode")), "a refused import left a new project behind")
    return r


@test
def archive_entries_that_leave_the_folder_are_refused(env):
    env.mini_project()
    up = write_zip(env, "up.qdpx", [("project.qde", MINIMAL_QDE), ("../../etc/evil.txt", "x")])
    refused(env, up, ["up.qdpx: the archive's entry '../../etc/evil.txt' is refused: it climbs out of the "
                      "archive's folder with '..'"])
    absolute = write_zip(env, "abs.qdpx", [("project.qde", MINIMAL_QDE), ("/tmp/evil.txt", "x")])
    refused(env, absolute, "'/tmp/evil.txt' is refused: it is an absolute path")


@test
def zip_bombs_are_refused(env):
    env.mini_project()
    # 4 MiB of spaces deflate to a few KiB: a ratio far beyond 200 to 1.
    bomb = write_zip(env, "bomb.qdpx", [("project.qde", MINIMAL_QDE.replace("</Project>", " " * (4 << 20) +
                                                                             "</Project>"))])
    check(os.path.getsize(bomb) < 64 << 10, os.path.getsize(bomb))
    refused(env, bomb, ["bomb.qdpx: project.qde unpacks from", "the file looks like a zip bomb"])
    # An archive whose directory says an entry unpacks to 2 GiB, more than the 1 GiB cap on
    # the whole archive: refused before anything is read.
    path = write_zip(env, "huge.qdpx", [("project.qde", MINIMAL_QDE), ("sources/a.txt", "x" * 100)],
                     zipfile.ZIP_STORED)
    data = bytearray(open(path, "rb").read())
    central = data.rfind(b"PK\x01\x02")  # the directory record of the last entry
    data[central + 24:central + 28] = (0x7FFFFFFF).to_bytes(4, "little")  # its uncompressed size
    with open(path, "wb") as f:
        f.write(data)
    refused(env, path, "huge.qdpx: the archive unpacks to more than 1024 MiB")


@test
def dtds_and_external_entities_are_refused(env):
    env.mini_project()
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           '<Project name="&xxe;"/>\n')
    path = write_zip(env, "xxe.qdpx", [("project.qde", xxe)])
    refused(env, path, ["xxe.qdpx:project.qde:2:", "the XML declares a DTD", "never reads DTDs or external entities"])
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE CodeBook [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
              '<CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000011" name="&b;"/></Codes></CodeBook>\n')
    refused(env, env.write("laughs.qdc", laughs), ["laughs.qdc:2:", "the XML declares a DTD"])


@test
def deeply_nested_xml_is_refused(env):
    env.mini_project()
    deep = ('<?xml version="1.0"?>\n<Project name="deep"><CodeBook><Codes>\n' +
            "".join(f'<Code guid="00000000-0000-0000-0000-{i:012d}" name="c{i}">' for i in range(200)) +
            "</Code>" * 200 + "\n</Codes></CodeBook></Project>\n")
    refused(env, write_zip(env, "deep.qdpx", [("project.qde", deep)]),
            ["deep.qdpx:project.qde:3:", "elements are nested more than 100 deep"])


@test
def broken_files_are_refused_naming_file_entry_and_line(env):
    env.mini_project()
    refused(env, env.write("notzip.qdpx", MINIMAL_QDE),
            "not a REFI-QDA .qdpx project (not a zip archive); it looks like XML: a codebook is imported from a .qdc")
    with open(env.path("cut.qdpx"), "wb") as f:
        f.write(open(write_zip(env, "whole.qdpx", [("project.qde", MINIMAL_QDE)]), "rb").read()[:60])
    refused(env, env.path("cut.qdpx"), "damaged .qdpx")
    refused(env, write_zip(env, "noqde.qdpx", [("readme.txt", "hello")]), "the archive holds no .qde project file")
    # Line 2, column 23: "</Code>" closes the <Codes> opened at column 16.
    bad = '<?xml version="1.0"?>\n<Project><CodeBook><Codes></Code></CodeBook></Project>\n'
    refused(env, write_zip(env, "bad.qdpx", [("project.qde", bad)]), ["bad.qdpx:project.qde:2:", "not well-formed XML"])
    refused(env, env.write("bad.qdc", bad.replace("Project", "CodeBook", 1)), ["bad.qdc:2:", "not well-formed XML"])
    refused(env, env.write("project.qdc", MINIMAL_QDE), "this is a REFI-QDA project (<Project>), not a codebook")
    with open(env.path("empty.qdpx"), "wb"):
        pass
    refused(env, env.path("empty.qdpx"), "the file is empty (0 bytes)")
    env.bad("import", "missing.qdpx", expect_in_err="missing.qdpx")
    env.bad("import", "mini.qdc", os.path.join(cli_test.MINI, "I1.txt"),
            expect_in_err="import a REFI-QDA file (.qdpx, .qdc) on its own")
    env.bad("import", env.write("x.qdc", MINIMAL_QDE), "--speakers", "A=B",
            expect_in_err="--speakers applies to transcripts, not to a REFI-QDA file")


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
