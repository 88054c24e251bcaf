#!/usr/bin/env python3
"""Run one command; report its wall time and peak memory (max RSS).

    python3 bench/measure.py [--stdout FILE] [--json] SIZE STEP -- COMMAND [ARG...]

Prints one tab-separated line to standard output: SIZE, STEP, seconds, peak MiB.
The command's standard output goes to FILE (default: discarded); its standard
error is kept and shown only if it fails. With --json, the command's output must
parse as JSON. Exit status: the command's own on failure, else 0.

Peak memory comes from getrusage(RUSAGE_CHILDREN).ru_maxrss, i.e. the largest
resident set of any child this process waited for, so run one measure.py per
command. Standard library only.
"""

import argparse
import json
import resource
import subprocess
import sys
import time


def main():
    # Parsed by hand: everything after the first "--" is the command, verbatim.
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.stderr.write(__doc__)
        return 2
    k = argv.index("--")
    cmd = argv[k + 1:]
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--stdout", default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("size")
    ap.add_argument("step")
    a = ap.parse_args(argv[:k])
    if not cmd:
        ap.error("no command")

    out = open(a.stdout, "wb") if a.stdout else subprocess.DEVNULL
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE)
    except OSError as e:
        sys.stderr.write(f"bench: {a.step}: cannot run {cmd[0]}: {e}\n")
        return 127
    seconds = time.perf_counter() - t0
    if a.stdout:
        out.close()
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux

    if p.returncode != 0:
        sys.stderr.write(f"bench: size {a.size}, step {a.step} failed with exit status "
                         f"{p.returncode}: {' '.join(cmd)}\n")
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        return p.returncode if p.returncode > 0 else 1
    if a.json and a.stdout:
        try:
            with open(a.stdout, encoding="utf-8") as f:
                json.load(f)
        except (ValueError, UnicodeDecodeError) as e:
            sys.stderr.write(f"bench: size {a.size}, step {a.step}: output is not JSON: {e}\n")
            return 1

    print(f"{a.size}\t{a.step}\t{seconds:.3f}\t{peak_kib / 1024:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
