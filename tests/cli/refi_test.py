#!/usr/bin/env python3
"""Black-box tests of REFI-QDA exchange: qdpx and qdc export and import, round trips,
files from other tools, and hostile archives.

Usage: refi_test.py --list            (names of the tests, one per line, for CMake)
       refi_test.py QCODE_BINARY NAME (runs one test; exit 0 on success)
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402
from cli_test import ROOT, Env, Failure, check  # noqa: E402,F401

TESTS = {}


def test(fn):
    TESTS[fn.__name__] = fn
    return fn


if __name__ == "__main__":
    sys.exit(cli_test.main(sys.argv, TESTS, __doc__))
