#!/usr/bin/env python3
"""The catalogue of bad input (docs/errors.md), run entry by entry (issue 14).

Usage: errors_test.py --list            (names of the tests, one per line, for CMake)
       errors_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)

The catalogue is the table ENTRIES below: for each entry, the input (written to the test's
folder, or a fixture), the command, the exit status and the message as a regular
expression. Each test runs one section of it against the sample study
(samples/provider-led-pathways, imported with both coders' codings into s.qcode) and
checks, for every entry, the exit status, the message, and that s.qcode and its -wal file
are byte for byte what they were before. The test `doc_lists_every_entry` checks that
docs/errors.md names every entry (its `id` in the first column) with the same exit status,
and no entry that is not here, so the document and the test cannot drift apart.
"""

import hashlib
import os
import re
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import FIXTURES, ROOT, SAMPLE, check  # noqa: E402

ERRORS_MD = os.path.join(ROOT, "docs", "errors.md")
BROKEN = os.path.join(FIXTURES, "broken")
ENCODINGS = os.path.join(FIXTURES, "encodings")


def nested_yaml(levels):
    """A YAML mapping nested `levels` deep, written in flow style on one line."""
    return "{a: " * levels + "1" + "}" * levels


def billion_laughs_framework():
    """A framework whose codes reuse the level below ten times at each of six levels: a few
    hundred bytes that would expand to 10^6 codes."""
    lines = ["id: laughs", "title: Laughs", "themes:", "  - id: t0", "    label: T0",
             "    codes: &l0", "      - {id: c, label: C}"]
    for level in range(1, 7):
        lines += [f"  - id: t{level}", f"    label: T{level}", f"    codes: &l{level}"]
        lines += [f"      - {{id: c{k}, label: C, codes: *l{level - 1}}}" for k in range(10)]
    return "\n".join(lines) + "\n"


def zip_with(name, entries):
    """Writes a zip archive holding `entries` (a dict of entry name to text)."""
    def write(env):
        with zipfile.ZipFile(env.path(name), "w") as z:
            for entry, text in entries.items():
                z.writestr(entry, text)
    return write


def text_file(name, data):
    def write(env):
        os.makedirs(os.path.dirname(env.path(name)), exist_ok=True)
        with open(env.path(name), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return write


def folder(name):
    def make(env):
        os.makedirs(env.path(name), exist_ok=True)
    return make


def F(*parts):
    return os.path.join(*parts)


# (section, id, setup or None, qcode's arguments, exit status, message regex). Arguments are
# run in the test's folder, which holds s.qcode and whatever `setup` wrote there.
ENTRIES = []


def entry(section, name, args, status, pattern, setup=None):
    ENTRIES.append((section, name, setup, args, status, pattern))



def project_copy(name, change):
    """Copies s.qcode (read-only, through SQLite's backup, so that s.qcode and its -wal stay
    as they are) to `name`, then lets `change(path)` alter the copy."""
    def make(env):
        import sqlite3
        path = env.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        src = sqlite3.connect(f"file:{env.path('s.qcode')}?mode=ro", uri=True)
        dst = sqlite3.connect(path)
        src.backup(dst)
        src.close()
        dst.close()
        change(path)
    return make


def newer_format(path):
    import sqlite3
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()


def cut_last_page(path):
    os.truncate(path, os.path.getsize(path) - 4096)


# The project file. (Busy, read-only and full-disk projects need another process, another
# user or a small disk: tests/cli/project_file_test.py has them.)
entry("project_file", "project-missing", ["-p", "none.qcode", "docs", "list"], 2, r"^qcode: project 'none\.qcode' does not exist; create it with 'qcode init none\.qcode'")
entry("project_file", "project-not-qcode", ["-p", "other/notes.qcode", "docs", "list"], 2, r"^qcode: 'other/notes\.qcode' is not a qcode project",
      setup=text_file("other/notes.qcode", "these are my notes\n"))
entry("project_file", "project-empty", ["-p", "other/empty.qcode", "docs", "list"], 2, r"^qcode: 'other/empty\.qcode' is not a qcode project \(it is empty\)",
      setup=text_file("other/empty.qcode", b""))
entry("project_file", "project-newer", ["-p", "other/newer.qcode", "docs", "list"], 2, r"^qcode: 'other/newer\.qcode' was written by a newer qcode \(project format version 99; this qcode reads versions up to \d+\); upgrade qcode to open it; nothing was changed",
      setup=project_copy("other/newer.qcode", newer_format))
entry("project_file", "project-damaged", ["-p", "other/cut.qcode", "docs", "list"], 2, r"^qcode: the project file 'other/cut\.qcode' is damaged \(it has \d+ bytes where its header counts \d+ pages of \d+ bytes \(\d+ bytes\)\): part of it is cut off or overwritten; 'qcode -p other/cut\.qcode check' shows what can still be read; ",
      setup=project_copy("other/cut.qcode", cut_last_page))
entry("project_file", "project-damaged-check", ["-p", "other/cut2.qcode", "check"], 2, r"the project file 'other/cut2\.qcode' is damaged",
      setup=project_copy("other/cut2.qcode", cut_last_page))


def compacted(name):
    """A copy of s.qcode whose history `qcode log --compact` has compacted."""
    def make(env):
        project_copy(name, lambda path: None)(env)
        env.ok("-p", name, "log", "--compact")
    return make


entry("project_file", "undo-compacted", ["-p", "other/compacted.qcode", "undo"], 2, r"^qcode: cannot undo change #\d+ \(qcode [^\n]*\): 'qcode log --compact' dropped what undoing it needs, so it and the changes before it can no longer be undone; nothing was changed",
      setup=compacted("other/compacted.qcode"))

# Input files that cannot be read at all.
entry("files", "file-missing", ["import", "nowhere.txt"], 2, r"^qcode: cannot open 'nowhere\.txt': No such file or directory")
entry("files", "file-is-folder", ["import", "folder.txt"], 2, r"^qcode: 'folder\.txt' is a folder, not a file; name the files in it", setup=folder("folder.txt"))
entry("files", "file-wrong-extension", ["import", "notes.rtf"], 2, r"^qcode: cannot import 'notes\.rtf': unsupported file type '\.rtf' \(qcode imports \.txt, \.md, \.docx, \.vtt, \.srt\)",
      setup=text_file("notes.rtf", "{\\rtf1 IV: hello}\n"))
entry("files", "cases-file-missing", ["cases", "import", "nowhere.csv"], 2, r"^qcode: cannot open 'nowhere\.csv': No such file or directory")
entry("files", "codings-file-missing", ["codings", "import", "nowhere.csv"], 2, r"^qcode: cannot open 'nowhere\.csv': No such file or directory")

# Transcripts.
entry("transcripts", "encoding-undecidable", ["import", F(ENCODINGS, "undecidable-short.txt")], 2, r"^qcode: \S*undecidable-short\.txt: cannot tell the text's encoding \(it is not UTF-8; likeliest ISO-8859-1 or ISO-8859-2, with low confidence: 14 and 14 of 100\); say which with --encoding ISO-8859-1, or save the file as UTF-8")
entry("transcripts", "encoding-multibyte", ["import", F(ENCODINGS, "undecidable-noise.txt")], 2, r"^qcode: \S*undecidable-noise\.txt: cannot tell the text's encoding \(it is not UTF-8; likeliest Big5 or GB18030, with confidence 35 and 10 of 100; qcode guesses only single-byte encodings\); say which with --encoding Big5")
entry("transcripts", "encoding-invalid-utf8", ["import", F(BROKEN, "transcript-invalid-utf8.txt")], 2, r"^qcode: \S*transcript-invalid-utf8\.txt:5: invalid UTF-8 at byte offset 34 \(line 5\); save the file as UTF-8 or name its encoding with --encoding")
entry("transcripts", "encoding-bad-forced", ["import", F(ENCODINGS, "utf8.txt"), "--encoding", "ASCII"], 2, r"^qcode: \S*utf8\.txt:1: byte 0xC3 at byte offset 5 \(line 1\) is not valid ASCII; check the encoding named with --encoding")
entry("transcripts", "encoding-unknown-name", ["import", F(ENCODINGS, "utf8.txt"), "--encoding", "klingon"], 2, r"^qcode: unknown encoding 'klingon'; use an ICU converter name such as windows-1252, ISO-8859-1, UTF-16LE")
entry("transcripts", "binary-pdf", ["import", F(ENCODINGS, "broken-pdf.txt")], 2, r"^qcode: '\S*broken-pdf\.txt' looks like a PDF file, not text \(it starts with %PDF-\); save the transcript as plain text")
entry("transcripts", "binary-nul", ["import", F(ENCODINGS, "utf16le-no-bom.txt")], 2, r"^qcode: '\S*utf16le-no-bom\.txt' looks like a binary file, not text \(a NUL byte at byte offset 1\); .*--encoding UTF-16LE")
entry("transcripts", "utf16-damaged", ["import", F(ENCODINGS, "broken-utf16le-odd.txt")], 2, r"^qcode: \S*broken-utf16le-odd\.txt:2: UTF-16LE text has an odd number of bytes \(17\): the last one, at byte offset 16 \(line 2\), is half a character")
entry("transcripts", "transcript-empty", ["import", "empty.txt"], 2, r"^qcode: 'empty\.txt' is empty; there is no transcript to import", setup=text_file("empty.txt", b""))
entry("transcripts", "front-matter-unclosed", ["import", F(BROKEN, "transcript-unclosed.txt")], 2, r"^qcode: \S*transcript-unclosed\.txt:1: front matter opened with '---' is never closed; add a line '---' after it")
entry("transcripts", "front-matter-not-yaml", ["import", F(BROKEN, "transcript-bad-yaml.txt")], 2, r"^qcode: \S*transcript-bad-yaml\.txt:3:16: front matter is not valid YAML: ")
entry("transcripts", "front-matter-unknown-key", ["import", F(BROKEN, "transcript-unknown-key.txt")], 2, r"^qcode: \S*transcript-unknown-key\.txt:3:1: unknown front matter key 'speaker'; did you mean 'speakers'\?")
entry("transcripts", "front-matter-too-deep", ["import", "deep.txt"], 2, r"^qcode: deep\.txt:3:\d+: front matter: nesting deeper than 64 levels \(the limit\); write it with less nesting",
      setup=text_file("deep.txt", "---\nid: D1\ncases: " + nested_yaml(70) + "\n---\nR: hi\n"))
entry("transcripts", "vtt-bad-timing", ["import", "bad.vtt"], 2, r"^qcode: bad\.vtt:3:1: cue timing 'soon --> later' holds no time that can be read; expected a line such as '",
      setup=text_file("bad.vtt", "WEBVTT\n\nsoon --> later\nAna: hello\n"))
entry("transcripts", "vtt-no-header", ["import", "nohead.vtt"], 2, r"^qcode: nohead\.vtt:1:1: missing WEBVTT header: the first line is '00:00:01\.000 --> 00:00:02\.000'; a WebVTT file must start with a line 'WEBVTT'",
      setup=text_file("nohead.vtt", "00:00:01.000 --> 00:00:02.000\nAna: hello\n"))
entry("transcripts", "srt-bad-timing", ["import", "bad.srt"], 2, r"^qcode: bad\.srt:2:1: expected a cue timing line such as '00:01:02,500 --> 00:01:05,000', but '00:00:01,000 -> 00:00:02,000' has no '-->'",
      setup=text_file("bad.srt", "1\n00:00:01,000 -> 00:00:02,000\nAna: hello\n"))
entry("transcripts", "docx-not-word", ["import", F(BROKEN, "transcript.docx")], 2, r"^qcode: \S*transcript\.docx: not a Word \.docx file \(not a zip archive\); save it as \.docx from Word or LibreOffice")
entry("transcripts", "docx-no-document", ["import", "nodoc.docx"], 2, r"^qcode: nodoc\.docx: a zip archive but not a Word document \(it has no word/document\.xml\); save it as \.docx from Word or LibreOffice",
      setup=zip_with("nodoc.docx", {"[Content_Types].xml": "<Types/>"}))

# Frameworks.
entry("frameworks", "framework-syntax", ["framework", "check", F(BROKEN, "framework-syntax.yaml")], 2, r"(?m)^\S*framework-syntax\.yaml:5:17: invalid YAML: .*\nqcode: \S*framework-syntax\.yaml: 1 problem")
entry("frameworks", "framework-problems", ["framework", "check", F(BROKEN, "framework-problems.yaml")], 2, r"(?m)^\S*framework-problems\.yaml:7:12: duplicate group id 'staff'$(.|\n)*^\S*framework-problems\.yaml:11:5: unknown key 'lable' in theme; did you mean 'label'\?")
entry("frameworks", "framework-bad-query", ["framework", "check", "bq.yaml"], 2, r"^qcode: bq\.yaml:10:17: saved query 'q': NEAR needs a distance: NEAR/2 \(turns\) or NEAR/200chars\n  a NEAR x\n {9}\^",
      setup=text_file("bq.yaml", "id: f\ntitle: F\nthemes:\n  - id: a\n    label: A\n    codes:\n      - {id: x, label: X}\nqueries:\n  - name: q\n    expression: a NEAR x\n"))
entry("frameworks", "framework-anchor-cycle", ["framework", "check", F(BROKEN, "framework-anchor-cycle.yaml")], 2, r"^\S*framework-anchor-cycle\.yaml:6:12: alias '\*t' refers to a node that contains it \(an anchor cycle\); write the repeated part out instead of the alias")
entry("frameworks", "framework-billion-laughs", ["framework", "update", "laughs.yaml"], 2, r"^laughs\.yaml:\d+:\d+: alias '\*l\d' makes aliases repeat more than 100000 nodes in all \(limit 100000\); write the repeated parts out or use fewer aliases\nqcode: laughs\.yaml: 1 problem",
      setup=text_file("laughs.yaml", billion_laughs_framework()))
entry("frameworks", "framework-too-deep", ["framework", "check", "deep.yaml"], 2, r"^deep\.yaml:3:\d+: nesting deeper than 64 levels \(the limit\); write it with less nesting",
      setup=text_file("deep.yaml", "id: deep\ntitle: Deep\nthemes: " + nested_yaml(70) + "\n"))
entry("frameworks", "framework-init-bad", ["init", "new.qcode", "--framework", F(BROKEN, "framework-problems.yaml")], 2, r"(?m)^\S*framework-problems\.yaml:1:5: malformed id 'Bad Framework'")

# Codings.
entry("codings", "codings-unknown-code", ["codings", "import", "c.csv"], 2, r"^qcode: unknown code 'roles\.handovr' \(in c\.csv:2, column 4\); did you mean 'roles\.handover'\?",
      setup=text_file("c.csv", "doc,start,end,code,coder\nJ01,206,522,roles.handovr,anna\n"))
entry("codings", "codings-unknown-document", ["codings", "import", "c.csv"], 2, r"^qcode: unknown document 'J99' \(in c\.csv:2, column 1\)",
      setup=text_file("c.csv", "doc,start,end,code,coder\nJ99,206,522,roles.handover,anna\n"))
entry("codings", "codings-out-of-range", ["codings", "import", "c.csv"], 2, r"^qcode: range 206:999999 runs past the end of document 'J01', which has \d+ characters \(in c\.csv:2, column 3\)",
      setup=text_file("c.csv", "doc,start,end,code,coder\nJ01,206,999999,roles.handover,anna\n"))
entry("codings", "codings-bad-number", ["codings", "import", F(BROKEN, "codings-bad-number.csv")], 2, r"^qcode: \S*codings-bad-number\.csv:3:3: '6x8' is not a whole number for 'end'")
entry("codings", "codings-missing-column", ["codings", "import", "c.csv"], 2, r"^qcode: c\.csv:1: missing column 'coder' in the header \(required: doc, start, end, code, coder\)",
      setup=text_file("c.csv", "doc,start,end,code\nJ01,206,522,roles.handover\n"))
entry("codings", "codings-unknown-column", ["codings", "import", "c.csv"], 2, r"^qcode: c\.csv:1:6: unknown column 'colour' \(expected columns: doc, start, end, code, coder, ",
      setup=text_file("c.csv", "doc,start,end,code,coder,colour\nJ01,206,522,roles.handover,anna,red\n"))
entry("codings", "csv-unterminated", ["codings", "import", F(BROKEN, "csv-unterminated.csv")], 2, r"^qcode: \S*csv-unterminated\.csv:2:4: quoted field is never closed; add the closing '.'")
entry("codings", "codings-json-invalid", ["codings", "import", F(BROKEN, "codings-invalid.json")], 2, r"^qcode: \S*codings-invalid\.json:3:1: invalid JSON: ")
entry("codings", "codings-json-unknown-key", ["codings", "import", F(BROKEN, "codings-unknown-key.json")], 2, r"^qcode: \S*codings-unknown-key\.json:3:69: unknown key 'coders'; did you mean 'coder'\?")
entry("codings", "codings-json-too-deep", ["codings", "import", "deep.json"], 2, r"^qcode: deep\.json:1:65: nesting deeper than 64 levels \(the limit\); write it with less nesting",
      setup=text_file("deep.json", "[" * 70 + "]" * 70 + "\n"))

# Cases.
entry("cases", "cases-wrong-fields", ["cases", "import", F(BROKEN, "cases-wrong-fields.csv")], 2, r"^qcode: \S*cases-wrong-fields\.csv:3: row has 2 fields but the header has 3")
entry("cases", "cases-no-case-column", ["cases", "import", "k.csv"], 2, r"^qcode: k\.csv:1:1: the first column must be 'case', not 'name'",
      setup=text_file("k.csv", "name,group\nJ01,jcp\n"))
entry("cases", "cases-unknown-case", ["cases", "import", "k.csv"], 2,
      r"^qcode: unknown case 'Z99' \(in k\.csv:2, column 1\); cases come from imported transcripts",
      setup=text_file("k.csv", "case,group\nZ99,jcp\n"))

# REFI-QDA archives.
entry("refi", "refi-not-zip", ["import", "x.qdpx"], 2, r"^qcode: x\.qdpx: not a REFI-QDA \.qdpx project \(not a zip archive\); export the project again as \.qdpx", setup=text_file("x.qdpx", "not a zip\n"))
entry("refi", "refi-no-project", ["import", "y.qdpx"], 2, r"^qcode: y\.qdpx: the archive holds no \.qde project file \(project\.qde\); it is not a REFI-QDA project: export it again as \.qdpx", setup=zip_with("y.qdpx", {"sources/a.txt": "hi"}))
entry("refi", "refi-bad-xml", ["import", "z.qdpx"], 2, r"^qcode: z\.qdpx:project\.qde:3:3: not well-formed XML \(start-end tags mismatch\); the file is damaged or not REFI-QDA: export it again",
      setup=zip_with("z.qdpx", {"project.qde": "<?xml version=\"1.0\"?>\n<Project name=\"x\">\n</Projekt>\n"}))
entry("refi", "refi-codebook-not-xml", ["import", "c.qdc"], 2, r"^qcode: c\.qdc:2:1: not well-formed XML \(no document element found\); the file is damaged or not REFI-QDA: export it again", setup=text_file("c.qdc", "codes: none\n"))

# Values on the command line.
entry("command_line", "unknown-command", ["matirx"], 2, r"^qcode: unknown command 'matirx'; did you mean 'matrix'\? \(see 'qcode --help'\)")
entry("command_line", "unknown-option", ["matrix", "--bogus"], 2, r"^qcode: unrecognised option '--bogus' \(see --help\)")
entry("command_line", "missing-argument", ["docs", "show"], 2, r"^qcode: missing DOC \(usage: qcode docs show DOC ")
entry("command_line", "unknown-measure", ["matrix", "--measure", "wordz"], 2, r"^qcode: unknown measure 'wordz' \(choose one of: cases, segments, coverage\)")
entry("command_line", "bad-where", ["matrix", "--where", "group"], 2, r"^qcode: malformed --where 'group': expected ATTRIBUTE=VALUE")
entry("command_line", "unknown-attribute", ["matrix", "--where", "colour=red"], 2, r"^qcode: unknown attribute 'colour' \(attributes: district, group, method, role\)")
entry("command_line", "unknown-document", ["docs", "show", "J99"], 2, r"^qcode: unknown document 'J99'")
entry("command_line", "unknown-code", ["code", "J01", "--code", "roles.handovr", "--chars", "0:10"], 2, r"^qcode: unknown code 'roles\.handovr'; did you mean 'roles\.handover'\?")
entry("command_line", "bad-range", ["code", "J01", "--code", "roles.handover", "--chars", "10:5"], 2, r"^qcode: empty or reversed range --chars 10:5: the end must be greater than the start")
entry("command_line", "bad-regex", ["search", "(unclosed", "--regex"], 2, r"^qcode: bad regular expression '\(unclosed': U_REGEX_MISMATCHED_PAREN at offset 9")
entry("command_line", "search-blank", ["search", " "], 2, r"^qcode: the search text is only white space; give a word or phrase to look for")
entry("command_line", "regex-empty", ["search", "x*", "--regex"], 2, r"^qcode: the regular expression 'x\*' matches empty text; write one that needs at least one character")
entry("command_line", "query-unknown-code", ["query", "choise AND group=jcp"], 2, r"^qcode: unknown code 'choise' \(at column 1\); did you mean 'choice'\?\n  choise AND group=jcp\n  \^")
entry("command_line", "query-matches-nothing", ["query", "choice AND group=nobody"], 2, r"^qcode: no case has group=nobody \(at column 18\), so the query can match nothing \(values of group: customer, jcp, provider\)\n  choice AND group=nobody\n {19}\^")
entry("command_line", "query-unknown-saved", ["query", "run", "naer"], 2, r"^qcode: unknown saved query 'naer': the project has none; save one with 'qcode query save naer EXPR'")
entry("command_line", "query-bad-name", ["query", "save", "2nd", "fta"], 2, r"^qcode: bad query name '2nd': use a letter followed by letters, digits, '_', '-' or '\.' \(at most 100\)")
entry("command_line", "matrix-rows-not-query", ["matrix", "--rows", "fta"], 2, r"^qcode: --rows takes saved queries as query:NAME, not 'fta' \('qcode query list' shows them")
entry("command_line", "query-syntax", ["query", "(choice"], 2, r"^qcode: expected '\)' to close the '\(' at column 1, not the end\n  \(choice\n {9}\^")


def hashes(env):
    """SHA-256 of s.qcode and of its -wal file (None where there is none)."""
    out = []
    for name in ("s.qcode", "s.qcode-wal"):
        path = env.path(name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                out.append(hashlib.sha256(f.read()).hexdigest())
        else:
            out.append(None)
    return out


def run_section(env, section):
    env.sample_project()
    listing = sorted(os.listdir(env.dir))
    failures = []
    for sec, name, setup, args, status, pattern in ENTRIES:
        if sec != section:
            continue
        if setup:
            setup(env)
            listing = sorted(os.listdir(env.dir))
        before = hashes(env)
        r = env.run(*args)
        problems = []
        if r.code != status:
            problems.append(f"exit {r.code}, expected {status}")
        if not re.search(pattern, r.err):
            problems.append(f"message does not match {pattern!r}")
        if hashes(env) != before:
            problems.append("the project file or its -wal changed")
        if sorted(os.listdir(env.dir)) != listing:
            problems.append(f"files changed: {listing} -> {sorted(os.listdir(env.dir))}")
        if problems:
            failures.append(f"[{name}] qcode {' '.join(args)}: {'; '.join(problems)}\n{r}")
    check(any(sec == section for sec, *_ in ENTRIES), f"no entries in section {section}")
    check(not failures, "\n\n".join(failures))


SECTIONS = sorted({sec for sec, *_ in ENTRIES}, key=[e[0] for e in ENTRIES].index)
TESTS = {}
for _section in SECTIONS:
    TESTS[_section] = (lambda s: lambda env: run_section(env, s))(_section)


def doc_lists_every_entry(env):
    with open(ERRORS_MD, encoding="utf-8") as f:
        doc = f.read()
    # Rows of the catalogue's tables: | `id` | ... | status | ... |
    rows = {}
    for line in doc.splitlines():
        m = re.match(r"\|\s*`([a-z0-9-]+)`\s*\|(.*)\|\s*$", line)
        if m:
            cells = [c.strip() for c in m.group(2).split("|")]
            statuses = [c for c in cells if re.fullmatch(r"[0-9]", c)]
            check(len(statuses) == 1, f"row {m.group(1)} of docs/errors.md: one exit status: {line}")
            check(m.group(1) not in rows, f"{m.group(1)} twice in docs/errors.md")
            rows[m.group(1)] = int(statuses[0])
    table = {name: status for _, name, _, _, status, _ in ENTRIES}
    check(len(table) == len(ENTRIES), "an id twice in ENTRIES")
    check(sorted(rows) == sorted(table),
          f"only in docs/errors.md: {sorted(set(rows) - set(table))}; "
          f"only in the test: {sorted(set(table) - set(rows))}")
    for name, status in table.items():
        check(rows[name] == status, f"{name}: exit {rows[name]} in docs/errors.md, {status} in the test")


TESTS["doc_lists_every_entry"] = doc_lists_every_entry

if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
