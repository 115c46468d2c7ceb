#!/usr/bin/env python3
"""Side by side, whole processes on the same lines: `exposure version compare` against a
Python `packaging` loop and a node `semver` loop, `exposure cvss score` against a loop over
the PyPI `cvss` package. Each tool reads the lines from a file on stdin and writes one answer
per line; the time is the wall time of the whole process (start-up included) from its
spawn to its exit, its answers written to a new file, best of `--repeat` runs.

    cargo build --release -p exposure-cli
    .venv/bin/python benches/batch_side_by_side.py [--lines 100000] [--repeat 5]
    .venv/bin/python benches/batch_side_by_side.py --lines 1000000 --write-lines DIR   # files only

Needs `packaging` and `cvss` in the running Python and node with `semver` installed under
target/oracles/node (scripts/test installs both). Prints a Markdown table for
benches/README.md. Every tool's answers are checked against exposure's on the same lines
(a disagreement stops the run), so the table compares the same work.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import random
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXPOSURE = pathlib.Path(os.environ.get("EXPOSURE_BIN", ROOT / "target" / "release" / "exposure"))
NODE_DIR = ROOT / "target" / "oracles" / "node"

PACKAGING_LOOP = """
import sys
from packaging.version import Version
out = []
for line in sys.stdin:
    a, b = line.rstrip("\\n").split("\\t")
    x, y = Version(a), Version(b)
    out.append("1" if x > y else "-1" if x < y else "0")
sys.stdout.write("\\n".join(out) + "\\n")
"""

SEMVER_LOOP = """
const semver = require(process.argv[1]);
const lines = require('fs').readFileSync(0, 'utf8').split('\\n');
lines.pop();
const out = new Array(lines.length);
for (let i = 0; i < lines.length; i++) {
  const tab = lines[i].indexOf('\\t');
  out[i] = semver.compare(lines[i].slice(0, tab), lines[i].slice(tab + 1));
}
process.stdout.write(out.join('\\n') + '\\n');
"""

CVSS_LOOP = """
import sys
from cvss import CVSS3, CVSS4
out = []
for line in sys.stdin:
    vector = line.rstrip("\\n")
    if vector.startswith("CVSS:4.0/"):
        c = CVSS4(vector)
        out.append("%.1f\\t%s" % (c.base_score, c.severity))
    else:
        c = CVSS3(vector)
        out.append("%.1f\\t%s" % (c.scores()[0], c.severities()[0]))
sys.stdout.write("\\n".join(out) + "\\n")
"""


def semver_lines(rng: random.Random, n: int) -> list[str]:
    def one() -> str:
        v = f"{rng.randrange(5)}.{rng.randrange(20)}.{rng.randrange(30)}"
        if rng.random() < 0.2:
            v += "-" + rng.choice(["alpha.1", "rc.2", "beta", "0.3.7"])
        return v
    return [f"{one()}\t{one()}" for _ in range(n)]


def pep440_lines(rng: random.Random, n: int) -> list[str]:
    def one() -> str:
        v = f"{rng.randrange(5)}.{rng.randrange(20)}.{rng.randrange(30)}"
        if rng.random() < 0.2:
            v += rng.choice(["a1", "rc2", "b3", ".post1", ".dev0", "rc1.post2"])
        return v
    return [f"{one()}\t{one()}" for _ in range(n)]


def cvss_lines(rng: random.Random, n: int, version: str) -> list[str]:
    """Random base vectors (CVSS:3.1 or CVSS:4.0)."""
    if version == "3.1":
        metrics = [("AV", "NALP"), ("AC", "LH"), ("PR", "NLH"), ("UI", "NR"), ("S", "UC"),
                   ("C", "HLN"), ("I", "HLN"), ("A", "HLN")]
    else:
        metrics = [("AV", "NALP"), ("AC", "LH"), ("AT", "NP"), ("PR", "NLH"), ("UI", "NPA"),
                   ("VC", "HLN"), ("VI", "HLN"), ("VA", "HLN"), ("SC", "HLN"), ("SI", "HLN"),
                   ("SA", "HLN")]
    return ["CVSS:%s/" % version + "/".join(f"{m}:{rng.choice(values)}" for m, values in metrics)
            for _ in range(n)]


def best_run(argv: list[str], data: pathlib.Path, repeat: int) -> tuple[float, bytes]:
    """The best wall time of `repeat` runs of `argv`, from its spawn to its exit, with `data`
    on stdin and a new file on stdout, and the answers it wrote. Spawned with `posix_spawn`
    and reaped with `wait4`, nothing of the harness in between (`subprocess.run` with
    captured pipes added Python's own reading of the answers to every run: about half a
    millisecond of exposure's 6 on the npm lines)."""
    best, out = float("inf"), b""
    for _ in range(repeat):
        with data.open("rb") as stdin, tempfile.TemporaryFile() as answers:
            actions = [(os.POSIX_SPAWN_DUP2, stdin.fileno(), 0),
                       (os.POSIX_SPAWN_DUP2, answers.fileno(), 1)]
            start = time.perf_counter()
            pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
            _, status, _ = os.wait4(pid, 0)
            elapsed = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"{' '.join(argv)}: exit status {os.waitstatus_to_exitcode(status)}")
            best = min(best, elapsed)
            answers.seek(0)
            out = answers.read()
    return best, out


def normalised(out: bytes) -> list[str]:
    """Answers as exposure writes them (node writes compare's -1/0/1 the same; the cvss
    package writes `High` where exposure writes `HIGH`)."""
    return out.decode().upper().split("\n")[:-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=20261205)
    ap.add_argument("--only", action="append", metavar="WORK",
                    help="run only this work (pypi, semver, cvss 3.1, cvss 4.0: a prefix of its name); "
                         "may be given more than once")
    ap.add_argument("--write-lines", type=pathlib.Path, metavar="DIR",
                    help="only write the line files (npm.tsv, pypi.tsv, cvss31.tsv, cvss40.tsv) into DIR")
    args = ap.parse_args()
    if args.write_lines:
        rng = random.Random(args.seed)
        args.write_lines.mkdir(parents=True, exist_ok=True)
        for name, lines in [("pypi", pep440_lines(rng, args.lines)), ("npm", semver_lines(rng, args.lines)),
                            ("cvss31", cvss_lines(rng, args.lines, "3.1")), ("cvss40", cvss_lines(rng, args.lines, "4.0"))]:
            (args.write_lines / f"{name}.tsv").write_text("\n".join(lines) + "\n")
        return 0
    if not EXPOSURE.exists():
        sys.exit(f"{EXPOSURE} not built: cargo build --release -p exposure-cli")
    rng = random.Random(args.seed)
    py = sys.executable
    cases = [
        ("pypi compare", pep440_lines(rng, args.lines), [str(EXPOSURE), "version", "compare", "--scheme", "pypi"],
         [("packaging", [py, "-c", PACKAGING_LOOP])]),
        ("semver compare", semver_lines(rng, args.lines), [str(EXPOSURE), "version", "compare", "--scheme", "npm"],
         [("node semver", ["node", "-e", SEMVER_LOOP, str(NODE_DIR / "node_modules" / "semver")])]),
        ("cvss 3.1 score", cvss_lines(rng, args.lines, "3.1"), [str(EXPOSURE), "cvss", "score"],
         [("cvss (PyPI)", [py, "-c", CVSS_LOOP])]),
        ("cvss 4.0 score", cvss_lines(rng, args.lines, "4.0"), [str(EXPOSURE), "cvss", "score"],
         [("cvss (PyPI)", [py, "-c", CVSS_LOOP])]),
    ]
    if args.only:
        cases = [case for case in cases if any(case[0].startswith(only) for only in args.only)]
        if not cases:
            sys.exit(f"--only {args.only}: no such work")
    print(f"{args.lines:,} lines each, best of {args.repeat} whole-process runs\n")
    print("| work | exposure (ms) | exposure lines/s | peer | peer (ms) | exposure's speed-up |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, lines, ours, peers in cases:
            data = pathlib.Path(tmp) / "lines.tsv"
            data.write_text("\n".join(lines) + "\n")
            ours_s, ours_out = best_run(ours, data, args.repeat)
            for peer, argv in peers:
                peer_s, peer_out = best_run(argv, data, max(1, args.repeat // 2))
                mine, theirs = normalised(ours_out), normalised(peer_out)
                differ = [i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b]
                if len(mine) != len(theirs) or differ:
                    i = differ[0] if differ else min(len(mine), len(theirs))
                    sys.exit(f"{name}: {peer} disagrees on line {i}: {lines[i]!r}: "
                             f"exposure {mine[i:i + 1]}, {peer} {theirs[i:i + 1]}")
                print(f"| {name} | {ours_s * 1e3:.2f} | {args.lines / ours_s / 1e6:.1f} M | {peer} | "
                      f"{peer_s * 1e3:.0f} | {peer_s / ours_s:.0f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
