#!/usr/bin/env python3
"""`qcode agreement` checked against independent computations (issue 13).

Usage: agreement_test.py --list | agreement_test.py QCODE_BINARY NAME

Runs with Debian's python3, which has python3-sklearn and python3-statsmodels
(scripts/bootstrap installs them). On the sample study's two coders, the reliability
data are rebuilt here from what the CLI prints (`docs show --format json` for the turns
and texts, `codings export --format json` for the codings), following the unit
definitions of docs/agreement.md, and the statistics are computed by scikit-learn's
cohen_kappa_score and statsmodels' fleiss_kappa; qcode's JSON must agree to its four
decimal places.
"""

import json
import os
import pty
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from analysis_test import xlsx_sheets  # noqa: E402
from cli_test import check  # noqa: E402

TESTS = {}
CODERS = ("anna", "ben")


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


def study(env):
    env.sample_project()
    docs = [d["id"] for d in json.loads(env.ok("docs", "list", "--format", "json").out)]
    shown = {d: json.loads(env.ok("docs", "show", d, "--format", "json").out) for d in docs}
    codings = json.loads(env.ok("codings", "export", "--format", "json").out)
    return docs, shown, codings


def agreement(env, *args):
    return json.loads(env.ok("agreement", "--coders", ",".join(CODERS), "--format", "json", *args).out)


def close(a, b):
    return a is not None and b is not None and abs(a - b) < 1e-4


def compare(rows, vectors, what):
    """rows: qcode's by_code rows; vectors(code) -> (a, b) arrays of 0/1."""
    checked = 0
    for row in rows:
        a, b = vectors(row["code"])
        stats = row["stats"]
        check(stats["units"] == len(a), f"{what} {row['code']}: {stats['units']} units, not {len(a)}")
        check(close(stats["percent"], float(np.mean(a == b))), f"{what} {row['code']}: percent {stats}")
        if len(set(a)) + len(set(b)) <= 2 and set(a) == set(b):
            check(stats["cohen_kappa"] is None, f"{what} {row['code']}: no variation, yet {stats}")
            continue
        want = cohen_kappa_score(a, b)
        check(close(stats["cohen_kappa"], want), f"{what} {row['code']}: Cohen {stats['cohen_kappa']} != {want}")
        table, _ = aggregate_raters(np.column_stack([a, b]))
        fleiss = fleiss_kappa(table, method="fleiss")
        check(close(stats["fleiss_kappa"], fleiss), f"{what} {row['code']}: Fleiss {stats['fleiss_kappa']} != {fleiss}")
        checked += 1
    check(checked >= 20, f"{what}: only {checked} codes had variation to compare")


@test
def turn_unit_matches_sklearn_and_statsmodels(env):
    docs, shown, codings = study(env)
    # Units: every turn with text; a coder codes a turn when a coding of theirs shares a
    # character with it. The sample's codes have no sub-codes below them.
    turns = [(d, t["start"], t["end"]) for d in docs for t in shown[d]["turns"] if t["end"] > t["start"]]

    def vectors(code):
        out = []
        for coder in CODERS:
            mine = [(c["doc"], c["start"], c["end"]) for c in codings if c["code"] == code and c["coder"] == coder]
            out.append(np.array([int(any(d == cd and s < te and ts < e for cd, s, e in mine))
                                 for d, ts, te in turns]))
        return out
    compare(agreement(env, "--unit", "turn")["by_code"], vectors, "turn")


@test
def document_unit_matches_sklearn(env):
    docs, _, codings = study(env)

    def vectors(code):
        return [np.array([int(any(c["doc"] == d and c["code"] == code and c["coder"] == coder for c in codings))
                          for d in docs]) for coder in CODERS]
    rows = agreement(env, "--unit", "doc")["by_code"]
    # With 14 documents many codes are present in the same documents for both coders.
    for row in rows:
        a, b = vectors(row["code"])
        check(row["stats"]["units"] == len(docs), row)
        check(close(row["stats"]["percent"], float(np.mean(a == b))), (row, a, b))
        if len(set(a) | set(b)) > 1 and not (len(set(a)) == 1 and len(set(b)) == 1):
            check(close(row["stats"]["cohen_kappa"], cohen_kappa_score(a, b)), (row, a, b))


@test
def character_unit_matches_sklearn_on_the_whole_text_and_the_coded_text(env):
    docs, shown, codings = study(env)
    lengths = {d: len(shown[d]["text"]) for d in docs}
    result = agreement(env, "--unit", "char")
    rows = result["by_code"][:8]  # per character arrays here: a few codes are enough

    def arrays(code):
        out = []
        for coder in CODERS:
            parts = []
            for d in docs:
                v = np.zeros(lengths[d], dtype=int)
                for c in codings:
                    if c["doc"] == d and c["code"] == code and c["coder"] == coder:
                        v[c["start"]:c["end"]] = 1
                parts.append(v)
            out.append(np.concatenate(parts))
        return out
    for row in rows:
        a, b = arrays(row["code"])
        check(row["stats"]["units"] == len(a), (row["code"], row["stats"]["units"], len(a)))
        check(close(row["stats"]["cohen_kappa"], cohen_kappa_score(a, b)), (row["code"], row["stats"]))
        coded = (a == 1) | (b == 1)
        only = row["coded_only"]
        check(only["units"] == int(coded.sum()), (row["code"], only))
        check(close(only["percent"], float(np.mean(a[coded] == b[coded]))), (row["code"], only))


@test
def the_same_command_gives_the_same_figures(env):
    env.sample_project()
    first = env.ok("agreement", "--unit", "turn", "--format", "json").out
    second = env.ok("agreement", "--unit", "turn", "--format", "json").out
    check(first == second, "the bootstrap interval is not reproducible")
    pooled = json.loads(first)["pooled"]["stats"]
    low, high = pooled["alpha_interval"]
    check(low <= pooled["krippendorff_alpha"] <= high, pooled)


@test
def bad_options_are_refused(env):
    env.sample_project()
    env.bad("agreement", "--coders", "anna", expect_in_err="two coders")
    env.bad("agreement", "--coders", "anna,bne", expect_in_err="did you mean 'ben'?")
    env.bad("agreement", "--unit", "word", expect_in_err="word")
    env.bad("agreement", "--coders", "anna,,ben", expect_in_err="empty name")
    env.bad("agreement", "--overlap", "0", expect_in_err="--overlap")
    env.bad("agreement", "--format", "pdf", expect_in_err="pdf")


# ---- the page and the workbook (html, xlsx) ------------------------------------------------

class Page(HTMLParser):
    """A page's tables as lists of rows, each row the texts of its cells (entities decoded),
    the row's id (the text of its <span class="id">), and the page's <dt>/<dd> pairs."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tables, self.overview = [], {}
        self._cell = self._row = self._id = self._dt = self._dd = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = {"cells": [], "id": None}
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""
        elif tag == "span" and ("class", "id") in attrs:
            self._id = ""
        elif tag == "dt":
            self._dt = ""
        elif tag == "dd":
            self._dd = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row["cells"].append(self._cell)
            self._cell = None
        elif tag == "tr":
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "span" and self._id is not None:
            if self._row is not None:
                self._row["id"] = self._id
            self._id = None
        elif tag == "dd":
            self.overview[self._last_dt] = self._dd
            self._dd = None
        elif tag == "dt":
            self._last_dt, self._dt = self._dt, None

    def handle_data(self, data):
        for name in ("_cell", "_id", "_dt", "_dd"):
            if getattr(self, name) is not None:
                setattr(self, name, getattr(self, name) + data)


def page_matches(cell, value, percent=False):
    """The page's rounded figure is the JSON's (itself rounded to four decimals)."""
    if value is None:
        return cell == "-"
    if cell == "-":
        return False
    shown = float(cell.rstrip("%")) / (100 if percent else 1)
    return abs(shown - value) <= 0.0005 + 0.00006


@test
def html_shows_the_json_figures(env):
    env.sample_project()
    result = agreement(env, "--unit", "turn")
    env.ok("agreement", "--coders", "anna,ben", "--unit", "turn", "--code", "roles",
           "--format", "html", "-o", "a.html")
    with open(env.path("a.html"), encoding="utf-8") as f:
        page = Page(f.read())
    check(page.overview["Coders"] == "anna, ben", page.overview)
    check(page.overview["Unit"].startswith("turns"), page.overview)
    check(page.overview["Level"].startswith("code"), page.overview)
    check(page.overview["Codes"] == "roles and the codes below them", page.overview)
    check(page.overview["Documents"] == "all" and page.overview["Cases"] == "all", page.overview)
    check(len(page.tables) == 1, f"{len(page.tables)} tables")
    rows = page.tables[0]
    check(rows[0]["cells"][:5] == ["Code", "Units", "Agreement", "Cohen's κ", "Brennan-Prediger κ"], rows[0])
    by_id = {r["id"]: r["cells"] for r in rows[1:] if r["id"]}
    wanted = json.loads(env.ok("agreement", "--coders", "anna,ben", "--unit", "turn", "--code", "roles",
                               "--format", "json").out)
    check(len(wanted["by_code"]) >= 3 and all(r["code"].startswith("roles.") for r in wanted["by_code"]), wanted)
    checked = 0
    for row in wanted["by_code"] + wanted["by_doc"]:
        cells = by_id[row["code"] or row["doc"]]
        s = row["stats"]
        check(cells[1] == str(s["units"]), (cells, s))
        check(page_matches(cells[2], s["percent"], True), (cells, s))
        for cell, name in zip(cells[3:6], ("cohen_kappa", "brennan_prediger", "krippendorff_alpha")):
            check(page_matches(cell, s[name]), (name, cells, s))
            checked += s[name] is not None
        if s["alpha_interval"]:
            low, high = (float(x) for x in cells[6].split(" to "))
            check(abs(low - s["alpha_interval"][0]) < 0.00056 and abs(high - s["alpha_interval"][1]) < 0.00056,
                  (cells, s))
        for name in ("cohen_kappa", "krippendorff_alpha"):
            if s[name] is None:
                check(s["notes"][name] in cells[7], (name, cells, s))
    check(checked > 20, f"only {checked} figures compared")
    pooled = [r["cells"] for r in rows if r["cells"][0] == "All codes, all documents"]
    check(len(pooled) == 1 and pooled[0][1] == str(wanted["pooled"]["stats"]["units"]), pooled)
    check(result["pooled"]["stats"]["units"] > wanted["pooled"]["stats"]["units"], "--code selects")


@test
def xlsx_holds_the_json_figures_as_numbers(env):
    env.sample_project()
    wanted = agreement(env, "--unit", "char")
    env.ok("agreement", "--coders", "anna,ben", "--unit", "char", "--format", "xlsx", "-o", "a.xlsx")
    sheets = xlsx_sheets(env.path("a.xlsx"))
    check(list(sheets) == ["Agreement"], list(sheets))
    rows = sheets["Agreement"]
    header = rows[1]
    check(header[:6] == ["scope", "code", "label", "doc", "text", "units"], header)
    names = ["percent", "cohen_kappa", "fleiss_kappa", "brennan_prediger", "krippendorff_alpha"]
    data = []
    for r in rows[2:]:
        if not r:
            break
        data.append(r + [None] * (len(header) - len(r)))
    expected = []
    for part, text in (("stats", "whole text"), ("coded_only", "coded text only")):
        for scope, items in (("code", wanted["by_code"]), ("doc", wanted["by_doc"]), ("all", [wanted["pooled"]])):
            expected += [(scope, row, text, row[part]) for row in items]
    check(len(data) == len(expected), f"{len(data)} rows, not {len(expected)}")
    for got, (scope, row, text, s) in zip(data, expected):
        check(got[0] == scope and (got[1] or "") == row["code"] and (got[3] or "") == row["doc"]
              and got[4] == text, (got, row))
        check(got[5] == s["units"], (got, s))
        for value, name in zip(got[6:11], names):
            if s[name] is None:
                check(value is None, f"{name}: {value!r} where the JSON has none: {got}")
                check(s["notes"][name] in got[13], (name, got))
            else:
                check(isinstance(value, float) and abs(value - s[name]) < 0.00006, (name, value, s))
        interval = s["alpha_interval"] or [None, None]
        for value, want in zip(got[11:13], interval):
            check((value is None) == (want is None) and (want is None or abs(value - want) < 0.00006), (got, s))


@test
def disagreements_as_html_and_xlsx_list_the_json_passages(env):
    env.sample_project()
    args = ("agreement", "--coders", "anna,ben", "--unit", "turn", "--disagreements")
    wanted = json.loads(env.ok(*args, "--format", "json").out)
    check(len(wanted) > 5, wanted)
    env.ok(*args, "--format", "html", "-o", "d.html")
    with open(env.path("d.html"), encoding="utf-8") as f:
        page = Page(f.read())
    rows = page.tables[0]
    check(rows[0]["cells"] == ["Document", "Where", "Code", "anna", "ben", "Text"], rows[0])
    check(len(rows) == len(wanted) + 1, f"{len(rows) - 1} rows, not {len(wanted)}")
    for row, d in zip(rows[1:], wanted):
        applied = [", ".join(d["applied"][c]) or "none" for c in CODERS]
        check(row["cells"] == [d["doc"], d["reference"], d["code"], *applied, d["text"]], (row, d))
    check(page.overview["Passages"] == str(len(wanted)), page.overview)

    env.ok(*args, "--format", "xlsx", "-o", "d.xlsx")
    sheet = xlsx_sheets(env.path("d.xlsx"))["Disagreements"]
    check(sheet[0] == ["document", "start", "end", "reference", "code", "anna", "ben", "text"], sheet[0])
    check(len(sheet) == len(wanted) + 1, f"{len(sheet) - 1} rows, not {len(wanted)}")
    for got, d in zip(sheet[1:], wanted):
        got = got + [None] * (8 - len(got))
        applied = [", ".join(d["applied"][c]) or None for c in CODERS]
        check(got == [d["doc"], d["start"], d["end"], d["reference"], d["code"], *applied, d["text"]], (got, d))


@test
def markup_in_names_and_text_is_escaped_in_the_page(env):
    env.ok("init", "m.qcode", "--framework", os.path.join(cli_test.MINI, "framework.yaml"))
    env.write("X1.txt", "---\nid: X1\ncase: K1\nspeakers: {R: K1}\n---\n"
                        "R: <script>alert(1)</script> & co\nR: plain words here\n")
    env.ok("import", "X1.txt")
    turns = json.loads(env.ok("docs", "show", "X1", "--format", "json").out)["turns"]
    check(len(turns) == 2, turns)
    # One coder codes the markup turn, the other the plain one: two disagreements.
    env.write("c.csv", "doc,start,end,code,coder,memo,text\n"
                       f"X1,{turns[0]['start']},{turns[0]['end']},a.x,<b>ann&,,\n"
                       f"X1,{turns[1]['start']},{turns[1]['end']},a.x,ben,,\n")
    env.ok("codings", "import", "c.csv")
    for what in ((), ("--disagreements",)):
        env.ok("agreement", "--coders", "<b>ann&,ben", "--code", "a.x", *what, "--format", "html", "-o", "p.html")
        with open(env.path("p.html"), encoding="utf-8") as f:
            text = f.read()
        check("<b>ann&" not in text and "&lt;b&gt;ann&amp;" in text, text)
        check("<script" not in text, text)
        if what:
            check("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text, text)
            check(Page(text).tables[0][1]["cells"][-1] == "<script>alert(1)</script> & co", text)


@test
def an_xlsx_workbook_is_not_written_to_a_terminal(env):
    env.sample_project()
    master, slave = pty.openpty()
    p = subprocess.run([env.binary, "agreement", "--format", "xlsx"], cwd=env.dir, stdout=slave,
                       stderr=subprocess.PIPE, timeout=120)
    os.close(slave)
    os.close(master)
    check(p.returncode == 2, p)
    check(b"not for the terminal" in p.stderr and b"-o FILE.xlsx" in p.stderr, p.stderr)


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
