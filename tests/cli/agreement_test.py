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
import sys

import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
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
    env.bad("agreement", "--format", "xlsx", expect_in_err="xlsx")


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
