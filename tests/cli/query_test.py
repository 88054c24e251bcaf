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
    env.bad("query", "fta", "--format", "xlsx", expect_in_err="unknown format 'xlsx'")
    check(env.snapshot() == before, "a failed query changed the project")
    # A sound query that finds nothing is not an error.
    r = env.ok("query", "=choice ONLY")
    check("0 passages in 0 documents" in r.out, r)


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
