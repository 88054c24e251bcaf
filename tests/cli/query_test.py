#!/usr/bin/env python3
"""`qcode query` checked against an independent implementation (issue 15).

Usage: query_test.py --list | query_test.py QCODE_BINARY NAME

The implementation here is written from docs/queries.md alone. It reads the sample study
only through what the CLI prints (`docs show --format json` for texts and turns,
`codings export --format json` for the codings, `cases list --format json` for the
attributes, `search --format json` for the matches of text~), and represents a value
as a set of character positions per document (a passage is a maximal run of the set),
not as interval lists as qcode does. Every operator, and several combinations, must give
the same passages, with the same cases and text.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import check  # noqa: E402

TESTS = {}


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


# --- the study, as the CLI shows it --------------------------------------------------------

class Study:
    def __init__(self, env):
        self.env = env
        self.docs = [d["id"] for d in json.loads(env.ok("docs", "list", "--format", "json").out)]
        self.shown = {d: json.loads(env.ok("docs", "show", d, "--format", "json").out) for d in self.docs}
        self.codings = json.loads(env.ok("codings", "export", "--format", "json").out)
        self.cases = {c["id"]: c["attributes"] for c in json.loads(env.ok("cases", "list", "--format", "json").out)}
        self.matches = {}

    def length(self, d):
        return len(self.shown[d]["text"])

    def text_matches(self, words):
        if words not in self.matches:
            hits = json.loads(self.env.ok("search", words, "--format", "json").out)
            self.matches[words] = [(h["doc"], h["start"], h["end"]) for h in hits]
        return self.matches[words]

    def turn_number(self, d, pos):
        return sum(1 for t in self.shown[d]["turns"] if t["start"] <= pos)

    def cases_of(self, d, start, end):
        doc = self.shown[d]
        if doc["case"] is not None and doc["case"] in self.cases:
            return [doc["case"]]
        out = []
        for t in sorted(doc["turns"], key=lambda t: t["start"]):
            if t["case"] in self.cases and t["start"] < t["end"] and max(start, t["start"]) < min(end, t["end"]):
                if t["case"] not in out:
                    out.append(t["case"])
        return out


def runs(positions):
    """The maximal runs of a set of positions, as (start, end) pairs."""
    out = []
    for p in sorted(positions):
        if out and out[-1][1] == p:
            out[-1][1] = p + 1
        else:
            out.append([p, p + 1])
    return [tuple(r) for r in out]


def positions(spans):
    out = set()
    for s, e in spans:
        out.update(range(s, e))
    return out


# --- the language ----------------------------------------------------------------------

KEYWORDS = {"AND", "OR", "NOT", "ONLY", "OVERLAPS", "WITHIN", "NEAR", "FOLLOWED", "BY"}
TOKEN = re.compile(r'\s*(?:(?P<string>"[^"]*")|(?P<op>[()=~/])|(?P<word>[^\s()=~/"]+))')


def tokens(expr):
    out, at = [], 0
    while at < len(expr):
        m = TOKEN.match(expr, at)
        if not m or m.end() == at:
            break
        kind = m.lastgroup
        value = m.group(kind)
        out.append((kind, value[1:-1] if kind == "string" else value))
        at = m.end()
    out.append(("end", ""))
    return out


class Parser:
    def __init__(self, expr):
        self.t = tokens(expr)
        self.i = 0

    def peek_kw(self, k):
        kind, v = self.t[self.i]
        return kind == "word" and v.upper() == k

    def take(self):
        self.i += 1
        return self.t[self.i - 1]

    def parse(self):
        n = self.or_()
        assert self.t[self.i][0] == "end", self.t[self.i:]
        return n

    def or_(self):
        n = self.and_()
        while self.peek_kw("OR"):
            self.take()
            n = ("or", n, self.and_())
        return n

    def and_(self):
        n = self.not_()
        while self.peek_kw("AND"):
            self.take()
            n = ("and", n, self.not_())
        return n

    def not_(self):
        if self.peek_kw("NOT"):
            self.take()
            return ("not", self.not_())
        return self.positional()

    def distance(self):
        assert self.take() == ("op", "/")
        word = self.take()[1]
        m = re.fullmatch(r"(\d+)(chars)?", word, re.I)
        return int(m.group(1)), bool(m.group(2))

    def positional(self):
        n = self.only()
        while True:
            if self.peek_kw("OVERLAPS") or self.peek_kw("WITHIN"):
                op = self.take()[1].lower()
                n = (op, n, self.only())
            elif self.peek_kw("NEAR"):
                self.take()
                n = ("near", n, self.distance_then_only())
            elif self.peek_kw("FOLLOWED"):
                self.take()
                assert self.peek_kw("BY")
                self.take()
                n = ("followed", n, self.distance_then_only())
            else:
                return n

    def distance_then_only(self):
        dist = self.distance()
        return (dist, self.only())

    def only(self):
        n = self.primary()
        if self.peek_kw("ONLY"):
            self.take()
            assert n[0] == "code"
            n = ("only", n)
        return n

    def primary(self):
        kind, v = self.take()
        if (kind, v) == ("op", "("):
            n = self.or_()
            assert self.take() == ("op", ")")
            return n
        if (kind, v) == ("op", "="):
            return ("code", self.take()[1], True)
        assert kind == "word" and v.upper() not in KEYWORDS, (kind, v)
        if self.t[self.i] in (("op", "="), ("op", "~")):
            self.take()
            value = self.take()[1]
            name = v.lower()
            if name in ("speaker", "coder", "doc", "text"):
                return (name, value)
            return ("attr", v, value)
        return ("code", v, False)


class Evaluator:
    def __init__(self, study):
        self.s = study

    def codings(self, d, coders, wanted):
        out = set()
        for c in self.s.codings:
            if c["doc"] == d and (coders is None or c["coder"] in coders) and wanted(c["code"]):
                out.update(range(c["start"], c["end"]))
        return out

    @staticmethod
    def in_term(term):
        _, code, exact = term
        if exact:
            return lambda c: c == code
        return lambda c: c == code or c.startswith(code + ".")

    def chain(self, n, out):
        if n[0] == "and":
            self.chain(n[1], out)
            self.chain(n[2], out)
        else:
            out.append(n)

    def eval(self, n, d, coders=None):
        s = self.s
        whole = set(range(s.length(d)))
        op = n[0]
        if op == "code":
            return self.codings(d, coders, self.in_term(n))
        if op == "coder":
            if coders is not None and n[1] not in coders:
                return set()
            return self.codings(d, {n[1]}, lambda c: True)
        if op == "speaker":
            turns = s.shown[d]["turns"]
            if not turns and s.shown[d]["case"] == n[1]:
                return whole
            return positions((t["start"], t["end"]) for t in turns if t["case"] == n[1])
        if op == "attr":
            def has(case):
                return case in s.cases and s.cases[case].get(n[1]) == n[2]
            doc_case = s.shown[d]["case"]
            if doc_case is not None and doc_case in s.cases:
                return whole if has(doc_case) else set()
            return positions((t["start"], t["end"]) for t in s.shown[d]["turns"] if has(t["case"]))
        if op == "doc":
            return whole if d == n[1] else set()
        if op == "text":
            return positions((a, b) for doc, a, b in s.text_matches(n[1]) if doc == d)
        if op == "and":
            operands = []
            self.chain(n, operands)
            restricting = [o[1] for o in operands if o[0] == "coder"]
            inner = coders
            if restricting:
                inner = {restricting[0]} if len(set(restricting)) == 1 else set()
            out = whole
            for o in operands:
                out = out & self.eval(o, d, inner)
            return out
        if op == "or":
            return self.eval(n[1], d, coders) | self.eval(n[2], d, coders)
        if op == "not":
            return whole - self.eval(n[1], d, coders)
        if op == "only":
            term = n[1]
            inside = self.in_term(term)
            return self.codings(d, coders, inside) - self.codings(d, coders, lambda c: not inside(c))
        # Positional: whole runs of the left operand.
        a = runs(self.eval(n[1], d, coders))
        if op in ("near", "followed"):
            (dist, chars), right = n[2]
        else:
            right = n[2]
        b = runs(self.eval(right, d, coders))
        tn = lambda p: s.turn_number(d, p)  # noqa: E731
        keep = set()
        for x in a:
            for y in b:
                if op == "overlaps":
                    ok = max(x[0], y[0]) < min(x[1], y[1])
                elif op == "within":
                    ok = y[0] <= x[0] and x[1] <= y[1]
                elif op == "near":
                    if chars:
                        gap = 0 if max(x[0], y[0]) <= min(x[1], y[1]) else max(y[0] - x[1], x[0] - y[1])
                    else:
                        xr = (tn(x[0]), tn(x[1] - 1))
                        yr = (tn(y[0]), tn(y[1] - 1))
                        gap = 0 if max(xr[0], yr[0]) <= min(xr[1], yr[1]) else max(yr[0] - xr[1], xr[0] - yr[1])
                    ok = gap <= dist
                else:
                    ok = y[0] >= x[1] and (
                        (y[0] - x[1]) if chars else (tn(y[0]) - tn(x[1] - 1))) <= dist
                if ok:
                    keep.update(range(*x))
                    break
        return keep

    def passages(self, expr):
        tree = Parser(expr).parse()
        out = []
        for d in self.s.docs:
            text = self.s.shown[d]["text"]
            for a, b in runs(self.eval(tree, d)):
                out.append({"doc": d, "start": a, "end": b, "cases": self.s.cases_of(d, a, b),
                            "text": text[a:b]})
        return out


def qcode_passages(env, expr):
    got = json.loads(env.ok("query", expr, "--format", "json").out)
    check(got["query"] == expr, got["query"])
    return [{k: p[k] for k in ("doc", "start", "end", "cases", "text")} for p in got["passages"]]


def compare(env, study, queries, at_least=1):
    ev = Evaluator(study)
    nonempty = 0
    for expr in queries:
        want = ev.passages(expr)
        got = qcode_passages(env, expr)
        if got != want:
            diff = next((g, w) for g, w in zip(got + [None] * len(want), want + [None] * len(got)) if g != w)
            check(False, f"{expr}: qcode {len(got)} passages, independent {len(want)}; first difference {diff}")
        nonempty += bool(want)
    check(nonempty >= at_least, f"only {nonempty} of {len(queries)} queries found anything")


# --- tests ----------------------------------------------------------------------------

@test
def boolean_operators_agree_with_an_independent_implementation(env):
    env.sample_project()
    compare(env, Study(env), [
        "choice AND fta", "choice OR fta", "NOT choice", "choice AND NOT choice.not_realised",
        "=choice", "=choice.informed OR =choice.model", "(choice OR information) AND NOT fta",
        "support AND skills", "NOT (fta OR choice OR support)",
    ], at_least=7)


@test
def positional_operators_agree_with_an_independent_implementation(env):
    env.sample_project()
    compare(env, Study(env), [
        "support OVERLAPS skills", "fta OVERLAPS outcomes", "support WITHIN skills",
        "skills.health WITHIN support", "choice.understanding WITHIN choice",
        "choice NEAR/0 information", "choice NEAR/1 information", "support NEAR/2 skills",
        "fta NEAR/3 outcomes", "fta NEAR/300chars outcomes", "support NEAR/200chars skills",
        "support NEAR/0chars skills", "fta FOLLOWED BY/2 outcomes", "information FOLLOWED BY/2 choice",
        "information FOLLOWED BY/0 choice", "information FOLLOWED BY/500chars choice",
        "skills FOLLOWED BY/1 support", "support.health ONLY", "=fta.harm ONLY", "fta ONLY",
        "choice ONLY",
    ], at_least=17)


@test
def restrictions_agree_with_an_independent_implementation(env):
    env.sample_project()
    compare(env, Study(env), [
        "choice AND group=customer", "group=provider", "outcomes AND speaker=P05",
        "speaker=P07 OR speaker=C01", "fta AND coder=anna", "coder=ben",
        "(fta AND coder=anna) AND NOT (fta AND coder=ben)", "fta NEAR/1 outcomes AND coder=ben",
        "doc=G01 AND support", 'fta OVERLAPS text~"sanction*"', 'text~"choice" AND NOT choice',
        "roles AND district=Northmoor", "NOT (fta OR choice) AND group=provider",
        'support.health ONLY OR choice.model NEAR/2 outcomes AND role="Customer"',
        "(choice NEAR/1 fta) AND group=customer AND coder=anna",
    ], at_least=12)


@test
def every_format_lists_the_same_passages(env):
    env.sample_project()
    expr = "support NEAR/2 skills"
    js = qcode_passages(env, expr)
    check(len(js) > 3, js)
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(env.ok("query", expr, "--format", "csv").out)))
    check([(r["doc"], int(r["start"]), int(r["end"]), r["cases"], r["text"]) for r in rows] ==
          [(p["doc"], p["start"], p["end"], "; ".join(p["cases"]), p["text"]) for p in js], rows)
    table = env.ok("query", expr).out
    docs = {p["doc"] for p in js}
    check(table.rstrip().endswith(f"{len(js)} passages in {len(docs)} documents"), table)
    md = env.ok("query", expr, "--format", "md").out
    check(md.startswith(f"## Query `{expr}`"), md)
    check(md.count("\n| ") == len(js) + 1, md)
    env.ok("query", expr, "--format", "html", "-o", "q.html")
    with open(env.path("q.html"), encoding="utf-8") as f:
        page = f.read()
    check(page.count("<blockquote>") == len(js), page[:500])
    check("<code>support NEAR/2 skills</code>" in page, page[:2000])


@test
def bad_queries_name_the_column_and_change_nothing(env):
    env.sample_project()
    before = env.snapshot()
    r = env.bad("query", "choise AND fta", expect_in_err="unknown code 'choise' (at column 1); did you mean 'choice'?")
    check("\n  choise AND fta\n  ^\n" in r.err, r.err)
    r = env.bad("query", "fta AND group=custmer",
                expect_in_err=["no case has group=custmer", "can match nothing", "did you mean 'customer'?"])
    check("\n  fta AND group=custmer\n" + " " * (2 + 14) + "^\n" in r.err, r.err)
    env.bad("query", "fta NEAR outcomes", expect_in_err="NEAR needs a distance: NEAR/2 (turns) or NEAR/200chars")
    env.bad("query", "fta AND (outcomes", expect_in_err="expected ')' to close the '(' at column 9")
    env.bad("query", "speaker=P55", expect_in_err="unknown case 'P55'")
    env.bad("query", "coder=ana", expect_in_err="unknown coder 'ana' (at column 7); did you mean 'anna'?")
    env.bad("query", "fta", "--format", "pdf", expect_in_err="unknown format 'pdf'")
    check(env.snapshot() == before, "a failed query changed the project")
    # A sound query that finds nothing is not an error.
    r = env.ok("query", "=choice ONLY")
    check("0 passages in 0 documents" in r.out, r)


# --- counting by group, computed here from the passages (docs/queries.md) -------------------

def merged(spans):
    out = []
    for a, b in sorted(spans):
        if a >= b:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def overlap(xs, ys):
    return sum(max(0, min(b, d) - max(a, c)) for a, b in xs for c, d in ys)


def independent_matrix(study, rows_passages, by="group", where=None):
    """{"columns": [...], "rows": [[cases, segments, coverage] per column + total]}, from the
    passages of each row; the total row is the union of the rows' passages."""
    values = sorted({a[by] for a in study.cases.values() if a.get(by)})
    def column_of(case):
        attrs = study.cases[case]
        if where and any(attrs.get(k) != v for k, v in where.items()):
            return None
        return attrs.get(by) or None
    spoken = {v: 0 for v in values}
    spans_of = {}
    for d in study.docs:
        doc = study.shown[d]
        turns = [(t["start"], t["end"], t["case"]) for t in doc["turns"]
                 if t["case"] in study.cases and t["start"] < t["end"]]
        if not doc["turns"] and doc["case"] in study.cases:
            turns = [(0, len(doc["text"]), doc["case"])]
        for v in values:
            spans_of[(d, v)] = merged([[a, b] for a, b, c in turns if column_of(c) == v])
            spoken[v] += sum(b - a for a, b in spans_of[(d, v)])
        spans_of[(d, None)] = merged([[a, b] for a, b, c in turns if column_of(c) is not None])
    total_spoken = sum(spoken.values())

    def measures(passages):
        cases = {v: set() for v in values}
        segments = {v: 0 for v in values}
        seg_total = 0
        covered = {v: 0 for v in values}
        covered_total = 0
        by_doc = {}
        for p in passages:
            cols = {column_of(c) for c in p["cases"]} - {None}
            for c in p["cases"]:
                if column_of(c) is not None:
                    cases[column_of(c)].add(c)
            for v in cols:
                segments[v] += 1
            seg_total += bool(cols)
            by_doc.setdefault(p["doc"], []).append([p["start"], p["end"]])
        for d, spans in by_doc.items():
            spans = merged(spans)
            for v in values:
                covered[v] += overlap(spans, spans_of[(d, v)])
            covered_total += overlap(spans, spans_of[(d, None)])
        row = []
        for v in values:
            row.append((len(cases[v]), segments[v],
                        100.0 * covered[v] / spoken[v] if spoken[v] else 0.0))
        row.append((len(set().union(*cases.values())), seg_total,
                    100.0 * covered_total / total_spoken if total_spoken else 0.0))
        return row

    union = []
    for d in study.docs:
        spans = merged([[p["start"], p["end"]] for ps in rows_passages for p in ps if p["doc"] == d])
        for a, b in spans:
            union.append({"doc": d, "start": a, "end": b, "cases": study.cases_of(d, a, b)})
    return values, [measures(ps) for ps in rows_passages], measures(union)


def check_matrix_json(got, values, rows, total, measure):
    k = ("cases", "segments", "coverage").index(measure)
    ids = [c["id"] for c in got["columns"]]
    check(sorted(ids) == values, (ids, values))
    order = [values.index(i) for i in ids] + [len(values)]

    def same(cells, want):
        want = [want[i][k] for i in order]
        # JSON gives coverage to 4 decimals.
        check(all(abs(a - b) < 6e-5 for a, b in zip(cells, want)) and len(cells) == len(want),
              f"{measure}: qcode {cells}, independent {want}")

    check(len(got["rows"]) == len(rows), got["rows"])
    for r, want in zip(got["rows"], rows):
        same(r["cells"] + [r["total"]], want)
    same(got["total"]["cells"] + [got["total"]["total"]], total)


@test
def query_matrix_agrees_with_an_independent_count(env):
    env.sample_project()
    study = Study(env)
    ev = Evaluator(study)
    found = 0
    for expr in ("choice NEAR/1 information", "fta AND group=customer", "support OVERLAPS skills",
                 "outcomes ONLY"):
        passages = ev.passages(expr)
        found += bool(passages)
        for measure in ("cases", "segments", "coverage"):
            got = json.loads(env.ok("query", expr, "--matrix", "--measure", measure,
                                    "--format", "json").out)
            check(got["level"] == "query" and got["measure"] == measure, got)
            check(got["rows"][0]["code"] == "query" and got["rows"][0]["label"] == expr, got["rows"])
            values, rows, total = independent_matrix(study, [passages])
            check_matrix_json(got, values, rows, total, measure)
    check(found >= 3, found)
    # --by another attribute and --where, as matrix takes them.
    expr = "choice OR fta"
    got = json.loads(env.ok("query", expr, "--matrix", "--by", "district", "--where",
                            "group=customer", "--measure", "segments", "--format", "json").out)
    values, rows, total = independent_matrix(study, [ev.passages(expr)], by="district",
                                             where={"group": "customer"})
    check_matrix_json(got, values, rows, total, "segments")


@test
def saved_queries_make_the_rows_of_a_matrix(env):
    env.sample_project()
    study = Study(env)
    ev = Evaluator(study)
    queries = {"near": "choice NEAR/1 information", "sanctions": "fta AND group=customer",
               "health": "support.health ONLY"}
    for name, expr in queries.items():
        r = env.ok("query", "save", name, expr)
        check(f"saved query {name}: {expr}" in r.err, r.err)
    listed = json.loads(env.ok("query", "list", "--format", "json").out)
    check([q["name"] for q in listed] == sorted(queries), listed)
    check(all(q["author"] == "tester" and q["expression"] == queries[q["name"]] for q in listed), listed)
    check("sanctions" in env.ok("query", "list").out, "list table")
    for measure in ("cases", "segments", "coverage"):
        got = json.loads(env.ok("matrix", "--rows", "query:near,query:sanctions", "--rows",
                                "query:health", "--measure", measure, "--format", "json").out)
        check([r["code"] for r in got["rows"]] == ["query:near", "query:sanctions", "query:health"],
              got["rows"])
        check([r["label"] for r in got["rows"]] == ["near", "sanctions", "health"], got["rows"])
        values, rows, total = independent_matrix(
            study, [ev.passages(queries[n]) for n in ("near", "sanctions", "health")])
        check_matrix_json(got, values, rows, total, measure)
    # run NAME is the expression's query, with the same options.
    check(env.ok("query", "run", "near", "--format", "json").out ==
          env.ok("query", queries["near"], "--format", "json").out, "query run")
    check(env.ok("query", "run", "near", "--matrix", "--format", "csv").out ==
          env.ok("query", queries["near"], "--matrix", "--format", "csv").out, "query run --matrix")
    # Replacing, removing, undo.
    r = env.ok("query", "save", "near", "choice NEAR/2 information")
    check("replaced query near (was: choice NEAR/1 information)" in r.err, r.err)
    env.ok("query", "remove", "health")
    check([q["name"] for q in json.loads(env.ok("query", "list", "--format", "json").out)] ==
          ["near", "sanctions"], "after remove")
    env.ok("undo", "2")
    listed = json.loads(env.ok("query", "list", "--format", "json").out)
    check({q["name"]: q["expression"] for q in listed} == queries, listed)
    # Errors: the project stays as it was.
    before = (env.snapshot(), env.ok("query", "list", "--format", "json").out)
    env.bad("query", "run", "naer", expect_in_err=["unknown saved query 'naer'", "did you mean 'near'?"])
    env.bad("query", "remove", "x", expect_in_err="saved: health, near, sanctions")
    env.bad("query", "save", "2nd", "fta", expect_in_err="bad query name '2nd'")
    env.bad("query", "save", "bad", "choise AND fta",
            expect_in_err=["unknown code 'choise'", "did you mean 'choice'?"])
    env.bad("query", "save", "bad", "fta AND group=custmer", expect_in_err="can match nothing")
    env.bad("query", "save", "lonely", expect_in_err="needs a NAME and an expression")
    env.bad("matrix", "--rows", "near", expect_in_err="query:NAME")
    env.bad("matrix", "--rows", "query:nera", expect_in_err="did you mean 'near'?")
    env.bad("matrix", "--rows", "query:near", "--level", "code", expect_in_err="--level")
    check((env.snapshot(), env.ok("query", "list", "--format", "json").out) == before,
          "a refused command changed the project")


@test
def saved_queries_travel_in_framework_export_refi_and_merge(env):
    env.sample_project()
    env.ok("query", "save", "near", "choice NEAR/1 information")
    env.ok("query", "save", "customers", "fta AND group=customer")
    env.ok("framework", "export", "-o", "fw.yaml")
    with open(env.path("fw.yaml"), encoding="utf-8") as f:
        text = f.read()
    check("queries:" in text and "choice NEAR/1 information" in text, text[-400:])
    check("ok" in env.ok("framework", "check", "fw.yaml").out, "framework check")
    r = env.ok("init", "t.qcode", "--framework", "fw.yaml")
    check("2 saved queries" in r.err, r.err)
    os.rename(env.path("s.qcode"), env.path("s.keep"))  # one project per command from here
    listed = json.loads(env.ok("-p", "t.qcode", "query", "list", "--format", "json").out)
    check({q["name"]: q["expression"] for q in listed} ==
          {"near": "choice NEAR/1 information", "customers": "fta AND group=customer"}, listed)
    # framework update adds and replaces, in one change with the framework.
    env.write("fw2.yaml", text.replace("choice NEAR/1 information", "choice NEAR/3 information"))
    env.ok("-p", "t.qcode", "query", "remove", "customers")
    r = env.ok("-p", "t.qcode", "framework", "update", "fw2.yaml")
    check("replaces saved query near: choice NEAR/3 information" in r.err, r.err)
    check("adds saved query customers" in r.err, r.err)
    listed = json.loads(env.ok("-p", "t.qcode", "query", "list", "--format", "json").out)
    check({q["name"]: q["expression"] for q in listed}["near"] == "choice NEAR/3 information", listed)
    # A bad expression in a framework file is refused with its place.
    env.write("bad.yaml", text.replace("choice NEAR/1 information", "choice NEAR information"))
    r = env.bad("framework", "check", "bad.yaml",
                expect_in_err=["saved query 'near'", "NEAR needs a distance"])
    check("bad.yaml:" in r.err, r.err)
    env.bad("init", "u.qcode", "--framework", "bad.yaml", expect_in_err="NEAR needs a distance")
    check(not os.path.exists(env.path("u.qcode")), "init left a project behind")
    os.rename(env.path("s.keep"), env.path("s.qcode"))
    # REFI-QDA: in qcode's data note, back into a new project.
    env.ok("-p", "s.qcode", "export", "qdpx", "-o", "s.qdpx")
    env.ok("init", "r.qcode")
    r = env.ok("-p", "r.qcode", "import", "s.qdpx")
    check("saved queries: 2" in r.err, r.err)
    listed = json.loads(env.ok("-p", "r.qcode", "query", "list", "--format", "json").out)
    check(sorted(q["name"] for q in listed) == ["customers", "near"], listed)
    # copy keeps them (a second coder starts with the team's questions).
    env.ok("-p", "r.qcode", "copy", "c.qcode")
    listed = json.loads(env.ok("-p", "c.qcode", "query", "list", "--format", "json").out)
    check(sorted(q["name"] for q in listed) == ["customers", "near"], listed)
    # merge carries them, and a different expression under one name is a conflict.
    env.ok("-p", "r.qcode", "query", "save", "extra", "outcomes ONLY")
    r = env.ok("-p", "s.qcode", "merge", "r.qcode")
    check("saved queries: 1 set" in r.out + r.err, r)
    env.ok("-p", "r.qcode", "query", "save", "near", "choice NEAR/2 information")
    r = env.run("-p", "s.qcode", "merge", "r.qcode")
    check(r.code != 0 and "near" in r.out + r.err, r)


@test
def code_as_keeps_the_passages_as_codings_in_one_undoable_change(env):
    env.sample_project()
    study = Study(env)
    expr = "support NEAR/2 skills"
    want = Evaluator(study).passages(expr)
    check(len(want) >= 3, want)
    before = env.snapshot()
    fw_before = env.ok("framework", "export").out
    entries = len(json.loads(env.ok("log", "--format", "json").out))
    # A dry run changes nothing.
    r = env.ok("query", expr, "--code-as", "near_info", "--dry-run")
    check("would add the code queries.near_info under queries" in r.err, r.err)
    check(env.snapshot() == before, "a dry run changed the project")
    r = env.ok("query", expr, "--code-as", "near_info")
    check("added the code queries.near_info under queries" in r.err, r.err)
    codings = [c for c in json.loads(env.ok("codings", "export", "--format", "json").out)
               if c["code"] == "queries.near_info"]
    check(sorted((c["doc"], c["start"], c["end"]) for c in codings) ==
          sorted((p["doc"], p["start"], p["end"]) for p in want), codings)
    check(all(c["coder"] == "tester" and c["memo"] == f"qcode query: {expr}" for c in codings), codings)
    check("queries.near_info" in env.ok("framework", "show").out, "framework show")
    log = json.loads(env.ok("log", "--format", "json").out)
    check(len(log) == entries + 1, log[-2:])
    # The new code is a code like any other: querying it finds the same passages.
    check([(p["doc"], p["start"], p["end"]) for p in qcode_passages(env, "queries.near_info")] ==
          [(p["doc"], p["start"], p["end"]) for p in want], "the new code's passages")
    env.ok("undo")
    check(env.snapshot() == before, "undo did not take the codings back")
    check(env.ok("framework", "export").out == fw_before, "undo did not take the code back")
    # Under a named theme, and with an existing code.
    r = env.ok("query", expr, "--code-as", "near_info", "--theme", "choice", "--coder", "ana")
    check("added the code choice.near_info under choice" in r.err, r.err)
    r = env.ok("query", "fta AND group=customer", "--code-as", "choice.near_info")
    check("added the code" not in r.err and "coded" in r.err, r.err)
    # Errors change nothing.
    before = env.snapshot()
    env.bad("query", expr, "--code-as", "new", "--theme", "choise", expect_in_err="did you mean 'choice'?")
    env.bad("query", expr, "--code-as", "Bad Id", expect_in_err="malformed code id")
    env.bad("query", expr, "--code-as", "x.y", expect_in_err="unknown code 'x'")
    env.bad("query", expr, "--theme", "choice", expect_in_err="--theme goes with --code-as")
    env.bad("query", expr, "--code-as", "y", "--matrix", expect_in_err="go separately")
    check(env.snapshot() == before, "a refused --code-as changed the project")
    r = env.ok("query", "=choice ONLY", "--code-as", "nothing")
    check("nothing to code" in r.err, r.err)
    check(env.snapshot() == before, "an empty --code-as changed the project")


@test
def query_xlsx_has_a_row_per_passage(env):
    env.sample_project()
    import zipfile
    expr = "support NEAR/2 skills"
    js = qcode_passages(env, expr)
    env.ok("query", expr, "--format", "xlsx", "-o", "q.xlsx")
    with zipfile.ZipFile(env.path("q.xlsx")) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        book = z.read("xl/workbook.xml").decode("utf-8")
    check('name="Query"' in book, book)
    # A title row, a header row, then one row per passage.
    check(sheet.count("<row ") == len(js) + 2, sheet.count("<row "))
    check(f'<c r="B{len(js) + 2}" ' in sheet, "start as a number")


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
