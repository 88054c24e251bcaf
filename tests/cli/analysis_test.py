#!/usr/bin/env python3
"""Black-box tests of the analysis outputs: charts, summaries, co-occurrence, reports and
the page and sheet formats, against the hand-worked fixture tests/fixtures/mini (its
WORKING.md has the working for every expected value here).

Usage: analysis_test.py --list            (names of the tests, one per line, for CMake)
       analysis_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)
"""

import csv
import io
import json
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import check  # noqa: E402

TESTS = {}


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


def chart_json(env, *args):
    return json.loads(env.ok("chart", "--format", "json", *args).out)


def refs(entry):
    return [p["reference"] for p in entry["passages"]]


# --- charts -----------------------------------------------------------------------

@test
def chart_rows_are_cases_grouped_by_group_with_references(env):
    env.mini_project()
    [c] = chart_json(env, "a", "--attrs", "district")
    check([col["code"] for col in c["columns"]] == ["a.x", "a.y"], f"columns: {c['columns']}")
    staff, clients = c["groups"]
    check((staff["label"], staff["n"], clients["label"], clients["n"]) == ("Staff", 3, "Clients", 2),
          f"groups: {staff['label']} {clients['label']}")
    check([r["id"] for r in staff["rows"]] == ["K2", "K4", "K5"], f"staff rows: {staff['rows']}")
    k2 = staff["rows"][0]
    check(k2["attributes"] == {"district": "North"}, f"K2 attributes: {k2['attributes']}")
    # c5 and c4 overlap: one passage (WORKING.md, "Chart of theme a")
    check(refs(k2["cells"][0][0]) == ["G1 l.2-3"], f"K2 a.x: {k2['cells'][0]}")
    check(k2["cells"][1] == [], "K2 has nothing for a.y")
    check(refs(clients["rows"][0]["cells"][1][0]) == ["I1 l.4"], "K1 a.y")
    table = env.ok("chart", "a", "--quotes", "1").out
    for text in ("Staff (n=3)", "Clients (n=2)", "\u201cGood service. Bob: Too", "slow.\u201d (G1 l.2-3)",
                 "\u201cBecause it helped.\u201d (I1 l.2)"):
        check(text in table, f"{text!r} missing from the chart table:\n{table}")


@test
def chart_group_rows_keep_case_ids_and_csv_has_one_row_per_case(env):
    env.mini_project()
    env.ok("summary", "set", "K4", "a.y", "Agreed with Ann.")
    [c] = chart_json(env, "a", "--rows", "groups")
    staff = c["groups"][0]["rows"]
    check(len(staff) == 1 and staff[0]["id"] == "staff", f"group rows: {staff}")
    check([e["case"] for e in staff[0]["cells"][1]] == ["K4"], "a.y staff from K4")
    check(staff[0]["cells"][1][0]["summary"] == "Agreed with Ann.", "K4's summary")
    rows = list(csv.reader(io.StringIO(env.ok("chart", "a", "--format", "csv").out)))
    check(rows[0] == ["group", "case", "label", "Code A.x", "Code A.y"], f"csv header: {rows[0]}")
    check([r[1] for r in rows[1:]] == ["K2", "K4", "K5", "K1", "K3"], f"csv cases: {rows}")
    check(rows[2][4] == "Agreed with Ann.\nG1 l.4", f"K4 a.y cell: {rows[2][4]!r}")


@test
def chart_errors_say_what_to_do(env):
    env.mini_project()
    env.bad("chart", "aa", expect_in_err=["unknown theme 'aa'", "did you mean 'a'"])
    env.bad("chart", "a.x", expect_in_err="has no sub-codes")
    env.bad("chart", expect_in_err="name the theme to chart (one of: a, b)")
    env.bad("chart", "a", "--rows", "group", expect_in_err="did you mean 'groups'")
    env.bad("chart", "a", "--attrs", "distrct", expect_in_err="did you mean 'district'")
    everything = chart_json(env)
    check([c["theme"] for c in everything] == ["a", "b"], "without a theme: every theme")


# --- co-occurrence ----------------------------------------------------------------

@test
def cooccur_counts_passages_where_both_codes_apply(env):
    env.mini_project()
    c = json.loads(env.ok("cooccur", "--level", "theme", "--format", "json").out)
    check([x["code"] for x in c["codes"]] == ["a", "b"], f"codes: {c['codes']}")
    check(c["tables"][0]["counts"] == [[4, 2], [2, 2]], f"theme counts: {c['tables']}")
    c = json.loads(env.ok("cooccur", "--format", "json").out)
    check(c["tables"][0]["counts"] == [[2, 0, 1], [0, 2, 1], [1, 1, 2]], f"code counts: {c['tables']}")
    c = json.loads(env.ok("cooccur", "--level", "theme", "--by", "group", "--format", "json").out)
    check([(t["id"], t["n"], t["counts"]) for t in c["tables"]] ==
          [("staff", 3, [[2, 0], [0, 1]]), ("client", 2, [[3, 2], [2, 1]])], f"by group: {c['tables']}")
    c = json.loads(env.ok("cooccur", "--where", "district=South", "--format", "json").out)
    check(c["tables"][0]["counts"] == [[1, 0, 0], [0, 1, 0], [0, 0, 0]], f"South: {c['tables']}")
    rows = list(csv.reader(io.StringIO(env.ok("cooccur", "--format", "csv").out)))
    check(rows[0] == ["table", "code", "label", "a.x", "a.y", "b.z"], f"csv header {rows[0]}")
    check(rows[1] == ["All cases", "a.x", "Code A.x", "2", "0", "1"], f"csv row {rows[1]}")
    env.bad("cooccur", "--by", "distrct", expect_in_err="did you mean 'district'")
    env.bad("cooccur", "--coder", "z", expect_in_err="unknown coder 'z'")


# --- summaries --------------------------------------------------------------------

@test
def summaries_are_set_shown_drafted_and_undone(env):
    env.mini_project()
    env.ok("summary", "set", "K2", "a.x", "Praised the service.")
    shown = json.loads(env.ok("summary", "show", "--format", "json").out)
    check([(s["case"], s["code"], s["summary"], s["draft"]) for s in shown] ==
          [("K2", "a.x", "Praised the service.", False)], f"show: {shown}")
    r = env.ok("summary", "draft", "a")
    # cells with passages: K2 a.x (written), K4 a.y, K1 a.x, K1 a.y, K3 a.x
    check("drafted 4 summaries; 1 cell already had one" in r.err, f"draft: {r}")
    shown = {(s["case"], s["code"]): s for s in json.loads(env.ok("summary", "show", "--format", "json").out)}
    check(shown[("K2", "a.x")]["summary"] == "Praised the service.", "a written summary is kept")
    check(shown[("K3", "a.x")]["summary"] == "[G1 l.2-3] Good service. Bob: Too slow." and
          shown[("K3", "a.x")]["draft"], f"K3 draft: {shown[('K3', 'a.x')]}")
    check("[draft] [I1 l.2] Because it helped." in env.ok("summary", "show", "--case", "K1").out, "show marks drafts")
    env.ok("undo")
    check(len(json.loads(env.ok("summary", "show", "--format", "json").out)) == 1, "undo removes the drafts")
    env.bad("summary", "set", "K9", "a.x", "t", expect_in_err="unknown case 'K9'")
    env.bad("summary", "set", "K1", "a.q", "t", expect_in_err="unknown code 'a.q'")
    env.bad("summary", "sett", expect_in_err="did you mean 'set'")


@test
def summaries_round_trip_through_a_spreadsheet_with_conflicts(env):
    env.mini_project()
    env.ok("summary", "set", "K2", "a.x", "one")
    env.ok("summary", "set", "K1", "a.x", "two")
    env.ok("summary", "export", "a", "-o", "s.csv")
    with open(env.path("s.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    check([(r["case"], r["code"]) for r in rows] ==
          [("K2", "a.x"), ("K4", "a.y"), ("K1", "a.x"), ("K1", "a.y"), ("K3", "a.x")], f"rows: {rows}")
    check(rows[0]["passages"] == "[G1 l.2-3] Good service. Bob: Too slow.", f"{rows[0]}")
    # In the spreadsheet: K2 edited, K3 written; meanwhile K1 changed in the project.
    rows[0]["summary"] = "one, edited"
    rows[4]["summary"] = "three"
    rows[2]["summary"] = "two, edited in the sheet"
    env.ok("summary", "set", "K1", "a.x", "two, changed in qcode")
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    env.write("s.csv", out.getvalue())
    r = env.run("summary", "import", "s.csv")
    check(r.code == 1, f"a conflict exits 1:\n{r}")
    check("conflict: K1 a.x" in r.err and "2 summaries updated, 2 unchanged, 1 conflict" in r.err, f"{r}")
    shown = {(s["case"], s["code"]): s["summary"] for s in json.loads(env.ok("summary", "show", "--format", "json").out)}
    check(shown == {("K2", "a.x"): "one, edited", ("K1", "a.x"): "two, changed in qcode", ("K3", "a.x"): "three"},
          f"after import: {shown}")


@test
def bad_summaries_files_change_nothing(env):
    env.mini_project()
    env.ok("summary", "set", "K2", "a.x", "one")
    before = env.ok("summary", "show", "--format", "json").out
    env.write("missing.csv", "case,code,summary\nK2,a.x,x\n")
    env.bad("summary", "import", "missing.csv", expect_in_err=["missing.csv:1", "base"])
    env.write("unknown.csv", "case,code,summary,base\nK2,a.x,new,\nK9,a.x,x,\n")
    env.bad("summary", "import", "unknown.csv", expect_in_err=["unknown case 'K9'", "unknown.csv:3"])
    env.write("quote.csv", "case,code,summary,base\nK2,a.x,\"open\n")
    env.bad("summary", "import", "quote.csv", expect_in_err="quote.csv:2")
    env.write("draft.csv", "case,code,summary,base,draft\nK2,a.x,x,,maybe\n")
    env.bad("summary", "import", "draft.csv", expect_in_err=["draft.csv:2:5", "'maybe'"])
    check(env.ok("summary", "show", "--format", "json").out == before, "the project is unchanged")


@test
def summaries_file_takes_no_in_the_draft_column(env):
    # 'no' used to be refused ("expected 'yes' or nothing"). An imported summary is the
    # researcher's own, so the draft column changes nothing that is stored.
    env.mini_project()
    env.write("s.csv", "case,code,summary,base,draft\nK2,a.x,one,,no\nK1,a.x,two,,FALSE\nK3,a.x,three,,Y\n")
    r = env.ok("summary", "import", "s.csv")
    check("3 summaries updated" in r.err, f"{r}")
    shown = {(s["case"], s["code"]): (s["summary"], s["draft"])
             for s in json.loads(env.ok("summary", "show", "--format", "json").out)}
    check(shown == {("K2", "a.x"): ("one", False), ("K1", "a.x"): ("two", False),
                    ("K3", "a.x"): ("three", False)}, f"after import: {shown}")


# --- every format carries the JSON's numbers ---------------------------------------

XLSX_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def xlsx_sheets(path):
    """{sheet name: rows}, each row a list of cells (str, float, or None when empty), read
    from the workbook's XML (ECMA-376 part 1, section 18) as a spreadsheet program reads it."""
    def column(ref):
        n = 0
        for ch in re.match(r"[A-Z]+", ref).group(0):
            n = n * 26 + ord(ch) - ord("A") + 1
        return n - 1

    def text(node):
        return "".join(t.text or "" for t in node.iter("{%s}t" % XLSX_NS["m"]))

    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            shared = [text(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", XLSX_NS)]
        targets = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        sheets = {}
        for sheet in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", XLSX_NS):
            target = targets[sheet.get(REL_ID)]
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            rows = []
            for row in ET.fromstring(z.read(part)).iter("{%s}row" % XLSX_NS["m"]):
                index = int(row.get("r")) - 1
                while len(rows) <= index:
                    rows.append([])
                for c in row.findall("m:c", XLSX_NS):
                    col, kind, v = column(c.get("r")), c.get("t"), c.find("m:v", XLSX_NS)
                    if kind == "s":
                        value = shared[int(v.text)]
                    elif kind == "inlineStr":
                        value = text(c.find("m:is", XLSX_NS))
                    elif v is None:
                        continue
                    elif kind in ("str", "e"):
                        value = v.text
                    elif kind == "b":
                        value = v.text == "1"
                    else:
                        value = float(v.text)
                    cells = rows[index]
                    cells.extend([None] * (col + 1 - len(cells)))
                    cells[col] = value
            sheets[sheet.get("name")] = rows
        return sheets


def shown(measure, value, n):
    """A matrix number as the page formats print it (docs/outputs.md): cases as k/n (p%)
    (just k/0 for an empty column), segments whole, coverage with one decimal."""
    if measure == "cases":
        # whole percent, halves rounded up (5/8 is 63%), in integers so no float rounding
        return f"{value}/{n}" if n == 0 else f"{value}/{n} ({(200 * value + n) // (2 * n)}%)"
    if measure == "segments":
        return str(value)
    return f"{value:.1f}"


def same_shown(measure, text, value, n):
    """True when `text` shows `value`; coverage's JSON is rounded to four places, so its one
    decimal is allowed the width of that rounding."""
    if measure == "coverage":
        return abs(float(text) - value) <= 0.05 + 1e-4
    return text == shown(measure, value, n)


def md_table(md):
    """The first pipe table of a Markdown text: rows of cells, header and rule left out."""
    lines = [line for line in md.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[2:]]


def html_rows(html):
    """The body rows of the first table of an HTML page: for each, its <td> texts."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@test
def every_format_carries_the_json_numbers(env):
    env.sample_project()
    for measure in ("cases", "segments", "coverage"):
        m = json.loads(env.ok("matrix", "--measure", measure, "--format", "json").out)
        ns = [c["n"] for c in m["columns"]] + [m["n"]]
        expected = [r["cells"] + [r["total"]] for r in m["rows"]] + [m["total"]["cells"] + [m["total"]["total"]]]

        def agree(form, rows):
            check(len(rows) == len(expected), f"{measure} {form}: {len(rows)} rows, JSON {len(expected)}")
            for got, want in zip(rows, expected):
                check(len(got) == len(want) and all(same_shown(measure, t, v, n) for t, v, n in zip(got, want, ns)),
                      f"{measure} {form}: {got} against JSON {want}")

        agree("md", [r[1:] for r in md_table(env.ok("matrix", "--measure", measure, "--format", "md").out)])
        # the terminal table: a row's cells are on its first line (long labels wrap onto
        # lines of their own), separated from the label and each other by two spaces or more
        table = env.ok("matrix", "--measure", measure).out.splitlines()
        body = table[table.index(next(line for line in table if line.startswith("---"))) + 1:]
        parts = [re.split(r"\s{2,}", line.strip()) for line in body]
        agree("table", [p[-len(ns):] for p in parts if len(p) > len(ns)])
        agree("html", html_rows(env.ok("matrix", "--measure", measure, "--format", "html").out))
        data = list(csv.reader(io.StringIO(env.ok("matrix", "--measure", measure, "--format", "csv").out)))
        for got, want in zip(data[1:], expected):
            # CSV has two decimals for coverage, the JSON four
            check(all(abs(float(x) - v) <= 0.005 + 1e-4 for x, v in zip(got[2:], want)),
                  f"{measure} csv: {got} against JSON {want}")
        check(len(data) == len(expected) + 1, f"{measure} csv rows")

    env.ok("matrix", "--format", "xlsx", "-o", "m.xlsx")
    sheets = xlsx_sheets(env.path("m.xlsx"))
    check(list(sheets) == ["cases", "segments", "coverage", "Quotes"], f"sheets: {list(sheets)}")
    for measure in ("cases", "segments", "coverage"):
        m = json.loads(env.ok("matrix", "--measure", measure, "--format", "json").out)
        rows = sheets[measure]
        header = rows[1]
        check(header[2:] == [f"{c['label']} (n={c['n']})" for c in m["columns"]] + [f"Total (n={m['n']})"],
              f"{measure} sheet header: {header}")
        expected = [r["cells"] + [r["total"]] for r in m["rows"]] + [m["total"]["cells"] + [m["total"]["total"]]]
        check(len(rows) == 2 + len(expected), f"{measure} sheet: {len(rows)} rows")
        for got, want in zip(rows[2:], expected):
            # coverage is stored as a fraction, shown as a percentage (docs/outputs.md)
            values = [v * 100 if measure == "coverage" else v for v in got[2:]]
            check(all(abs(a - b) <= 5e-5 + 1e-9 for a, b in zip(values, want)) and len(values) == len(want),
                  f"{measure} sheet: {got} against JSON {want}")
    # the workbook opens on the sheet of the measure asked for (cases by default)
    for measure, tab in (("cases", 0), ("segments", 1), ("coverage", 2)):
        env.ok("matrix", "--measure", measure, "--format", "xlsx", "-o", f"m-{measure}.xlsx")
        with zipfile.ZipFile(env.path(f"m-{measure}.xlsx")) as z:
            view = ET.fromstring(z.read("xl/workbook.xml")).find("m:bookViews/m:workbookView", XLSX_NS)
        check(int(view.get("activeTab", "0")) == tab, f"--measure {measure}: active sheet {view.attrib}")
    quotes = sheets["Quotes"]
    codings = json.loads(env.ok("codings", "export", "--format", "json").out)
    check(quotes[0][:3] == ["document", "case", "group"] and quotes[0][-1] == "text", f"quotes header {quotes[0]}")
    check(len(quotes) - 1 >= len(codings) // 2, f"{len(quotes) - 1} quotes for {len(codings)} codings")

    # co-occurrence, overall and by group
    c = json.loads(env.ok("cooccur", "--level", "theme", "--by", "group", "--format", "json").out)
    md = env.ok("cooccur", "--level", "theme", "--by", "group", "--format", "md").out
    tables = [t for t in re.split(r"\n(?=\*\*)", md) if t.startswith("**")]
    check(len(tables) == len(c["tables"]), f"{len(tables)} md tables for {len(c['tables'])}")
    for block, t in zip(tables, c["tables"]):
        check([[int(x) for x in r[1:]] for r in md_table(block)] == t["counts"], f"md {t['id']}: {block}")
    html = env.ok("cooccur", "--level", "theme", "--by", "group", "--format", "html").out
    bodies = re.findall(r"<tbody>.*?</tbody>", html, re.S)
    check([[[int(x) for x in r] for r in html_rows(b)] for b in bodies] == [t["counts"] for t in c["tables"]],
          "html co-occurrence counts")
    env.ok("cooccur", "--level", "theme", "--by", "group", "--format", "xlsx", "-o", "c.xlsx")
    sheets = xlsx_sheets(env.path("c.xlsx"))
    check(len(sheets) == len(c["tables"]) + 1 and list(sheets)[-1] == "Quotes", f"sheets {list(sheets)}")
    for rows, t in zip(list(sheets.values()), c["tables"]):
        check([[int(v) for v in r[2:]] for r in rows[2:]] == t["counts"], f"xlsx {t['id']}: {rows}")
    data = list(csv.reader(io.StringIO(env.ok("cooccur", "--level", "theme", "--by", "group", "--format", "csv").out)))
    for t in c["tables"]:
        got = [[int(x) for x in r[3:]] for r in data[1:] if r[0] == t["label"]]
        check(got == t["counts"], f"csv {t['id']}: {got}")

    # a chart: every reference of the JSON in the same cell of every other format
    [ch] = chart_json(env, "roles")
    subs = [col["code"] for col in ch["columns"]]
    want = {(row["id"], code): refs(cell[0]) if cell else []
            for g in ch["groups"] for row in g["rows"] for code, cell in zip(subs, row["cells"])}
    check(sum(len(v) for v in want.values()) > 20, "the sample's roles chart has references")
    data = list(csv.reader(io.StringIO(env.ok("chart", "roles", "--format", "csv").out)))
    md_rows = {r[0]: r for r in md_table(env.ok("chart", "roles", "--format", "md").out)}
    html = env.ok("chart", "roles", "--format", "html").out
    html_cells = {m.group(1): re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)
                  for m in re.finditer(r"<tr><th scope=\"row\">([^<]+)</th>(.*?)</tr>", html, re.S)}
    env.ok("chart", "roles", "--format", "xlsx", "-o", "ch.xlsx")
    sheet = list(xlsx_sheets(env.path("ch.xlsx")).values())[0]
    xlsx_rows = {r[0].split(" ")[0]: r for r in sheet[2:] if r and isinstance(r[0], str)}
    for (case, code), references in want.items():
        j = subs.index(code)
        csv_cell = next(r for r in data[1:] if r[1] == case)[3 + j]
        md_cell = md_rows[case][1 + j]
        html_cell = html_cells[case][j]
        xlsx_row = xlsx_rows[case]
        xlsx_cell = (xlsx_row[1 + j] if 1 + j < len(xlsx_row) else None) or ""
        for ref in references:
            for form, cell in (("csv", csv_cell), ("md", md_cell), ("html", html_cell), ("xlsx", xlsx_cell)):
                check(ref in cell, f"chart {form}: {ref} missing from {case} {code}: {cell!r}")
        if not references:
            check(csv_cell == "" and xlsx_cell == "", f"{case} {code} empty: {csv_cell!r} {xlsx_cell!r}")


# --- report -----------------------------------------------------------------------

@test
def report_overview_counts_every_case_as_check_does(env):
    env.mini_project()
    # Interviews with X2 and X1, which have no group: the matrix has no column for them,
    # check counts them.
    for doc, case in (("I3", "X2"), ("I4", "X1")):
        env.write(f"{doc}.txt", f"---\nid: {doc}\ncase: {case}\n---\nIV: Why?\nR: Because.\n")
        env.ok("import", f"{doc}.txt")
    check("ok (5 documents, 7 cases, 8 codings)" in env.ok("check").err, "check's count")
    md = env.ok("report").out
    check("- **Cases:** 7 (Staff 3, Clients 2; 2 without a group: X1, X2)\n" in md, md)
    html = env.ok("report", "--format", "html").out
    check("<dt>Cases</dt><dd>7 (Staff 3, Clients 2; 2 without a group: X1, X2)</dd>" in html, html)


@test
def report_has_overview_codebook_matrix_and_themes(env):
    env.mini_project()
    env.ok("summary", "set", "K2", "a.x", "Praised the service.")
    md = env.ok("report").out
    for text in ("Minimal framework for the hand-worked matrix tests", "Theme A", "Code B.z",
                 "Praised the service.", "Good service."):
        check(text in md, f"{text!r} missing from the report:\n{md}")
    check(re.search(r"\b3\b.*documents|documents.*\b3\b", md, re.I | re.S), "the number of documents")
    check(re.search(r"\b8\b.*codings|codings.*\b8\b", md, re.I | re.S), "the number of codings")
    html = env.ok("report", "--format", "html").out
    check(html.lstrip().lower().startswith("<!doctype html>"), "an HTML page")
    check("Praised the service." in html, "summaries in the HTML report")
    check(not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html), "no network resources")
    if not any(os.access(os.path.join(d, "pandoc"), os.X_OK) for d in os.environ.get("PATH", "").split(":")):
        env.bad("report", "--format", "docx", "-o", "r.docx", expect_in_err=["pandoc", "apt-get install pandoc"])
        check(not os.path.exists(env.path("r.docx")), "no docx without pandoc")
    else:
        env.ok("report", "--format", "docx", "-o", "r.docx")
        with zipfile.ZipFile(env.path("r.docx")) as z:
            body = z.read("word/document.xml").decode("utf-8")
        check("Praised the service." in body and "Theme A" in body, "the Word report holds the summaries")
    env.bad("report", "--format", "docx", expect_in_err="-o REPORT.docx")
    env.bad("report", "--format", "pdf", expect_in_err="unknown format 'pdf'")


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
