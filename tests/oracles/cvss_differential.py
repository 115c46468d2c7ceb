#!/usr/bin/env python3
"""Differential tests of CVSS scores: `exposure cvss score` against the PyPI `cvss` package
(Red Hat's, the library behind FIRST's v4 calculator) on generated v2, v3.0, v3.1 and v4.0
vectors with random base, temporal/threat, environmental and (v4) supplemental metrics.

    python tests/oracles/cvss_differential.py --seed 7 --count 5000

The score compared is the most specific one: environmental when an environmental metric is
given a value (not X or ND), else temporal when a temporal one is, else base.

Exit status 0 when every score and severity agrees.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import subprocess
import sys
from typing import Optional

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from differential import OracleMissing  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]

V2_BASE = [("AV", "LAN"), ("AC", "HML"), ("Au", "MSN"), ("C", "NPC"), ("I", "NPC"), ("A", "NPC")]
V2_TEMPORAL = [("E", ["U", "POC", "F", "H", "ND"]), ("RL", ["OF", "TF", "W", "U", "ND"]), ("RC", ["UC", "UR", "C", "ND"])]
V2_ENVIRONMENTAL = [("CDP", ["N", "L", "LM", "MH", "H", "ND"]), ("TD", ["N", "L", "M", "H", "ND"]),
                    ("CR", ["L", "M", "H", "ND"]), ("IR", ["L", "M", "H", "ND"]), ("AR", ["L", "M", "H", "ND"])]
V3_BASE = [("AV", "NALP"), ("AC", "LH"), ("PR", "NLH"), ("UI", "NR"), ("S", "UC"), ("C", "HLN"), ("I", "HLN"), ("A", "HLN")]
V3_TEMPORAL = [("E", "XHFPU"), ("RL", "XUWTO"), ("RC", "XCRU")]
V3_ENVIRONMENTAL = [("CR", "XHML"), ("IR", "XHML"), ("AR", "XHML"), ("MAV", "XNALP"), ("MAC", "XLH"),
                    ("MPR", "XNLH"), ("MUI", "XNR"), ("MS", "XUC"), ("MC", "XHLN"), ("MI", "XHLN"), ("MA", "XHLN")]


def _some(rng, metrics, chance):
    return [(m, rng.choice(list(values))) for m, values in metrics if rng.random() < chance]


def gen_v2(rng):
    parts = [(m, rng.choice(list(v))) for m, v in V2_BASE]
    if rng.random() < 0.5:
        parts += _some(rng, V2_TEMPORAL, 0.6)
    if rng.random() < 0.5:
        parts += _some(rng, V2_ENVIRONMENTAL, 0.6)
    return "/".join(f"{m}:{v}" for m, v in parts)


def gen_v3(rng):
    parts = [(m, rng.choice(list(v))) for m, v in V3_BASE]
    if rng.random() < 0.5:
        parts += _some(rng, V3_TEMPORAL, 0.6)
    if rng.random() < 0.5:
        parts += _some(rng, V3_ENVIRONMENTAL, 0.5)
    if rng.random() < 0.3:
        rng.shuffle(parts)
    return rng.choice(["CVSS:3.0/", "CVSS:3.1/"]) + "/".join(f"{m}:{v}" for m, v in parts)


V4_BASE = [("AV", "NALP"), ("AC", "LH"), ("AT", "NP"), ("PR", "NLH"), ("UI", "NPA"), ("VC", "HLN"), ("VI", "HLN"),
           ("VA", "HLN"), ("SC", "HLN"), ("SI", "HLN"), ("SA", "HLN")]
V4_THREAT = [("E", "XAPU")]
V4_ENVIRONMENTAL = [("CR", "XHML"), ("IR", "XHML"), ("AR", "XHML"), ("MAV", "XNALP"), ("MAC", "XLH"), ("MAT", "XNP"),
                    ("MPR", "XNLH"), ("MUI", "XNPA"), ("MVC", "XHLN"), ("MVI", "XHLN"), ("MVA", "XHLN"), ("MSC", "XHLN"),
                    ("MSI", "XSHLN"), ("MSA", "XSHLN")]
V4_SUPPLEMENTAL = [("S", ["X", "N", "P"]), ("AU", ["X", "N", "Y"]), ("R", ["X", "A", "U", "I"]), ("V", ["X", "D", "C"]),
                   ("RE", ["X", "L", "M", "H"]), ("U", ["X", "Clear", "Green", "Amber", "Red"])]


def gen_v4(rng):
    """Metrics in the specification's order (the package requires it)."""
    parts = [(m, rng.choice(list(v))) for m, v in V4_BASE]
    if rng.random() < 0.5:
        parts += _some(rng, V4_THREAT, 0.8)
    if rng.random() < 0.5:
        parts += _some(rng, V4_ENVIRONMENTAL, 0.4)
    if rng.random() < 0.3:
        parts += _some(rng, V4_SUPPLEMENTAL, 0.5)
    return "CVSS:4.0/" + "/".join(f"{m}:{v}" for m, v in parts)


def oracle(vector: str) -> Optional[tuple[str, str]]:
    try:
        from cvss import CVSS2, CVSS3, CVSS4
    except ImportError as e:
        raise OracleMissing("the cvss package is not installed (pip install cvss)") from e
    if vector.startswith("CVSS:4"):
        c = CVSS4(vector)
        return f"{float(c.base_score):.1f}", c.severity.upper()
    if vector.startswith("CVSS:3"):
        c = CVSS3(vector)
        # A metric given as X is not defined (as exposure reads it, and as the package reads
        # ND in v2).
        names = {m for m, v in (p.split(":") for p in vector.split("/")[1:]) if v != "X"}
        index = 2 if names & {m for m, _ in V3_ENVIRONMENTAL} else 1 if names & {m for m, _ in V3_TEMPORAL} else 0
        return f"{float(c.scores()[index]):.1f}", c.severities()[index].upper()
    c = CVSS2(vector)
    base, temporal, environmental = c.scores()
    score = environmental if environmental is not None else temporal if temporal is not None else base
    score = float(score) + 0.0  # -0.0 is 0.0
    severity = "LOW" if score < 4.0 else "MEDIUM" if score < 7.0 else "HIGH"
    return f"{score:.1f}", severity


def compare(binary, count: int, seed: int):
    rng = random.Random(f"{seed}:cvss")
    vectors = [gen_v2(rng) if (k := rng.random()) < 0.25 else gen_v3(rng) if k < 0.6 else gen_v4(rng) for _ in range(count)]
    theirs = [oracle(v) for v in vectors]
    res = subprocess.run([str(binary), "cvss", "score"], input="".join(v + "\n" for v in vectors),
                         capture_output=True, text=True, check=True)
    mine = res.stdout.split("\n")[:-1]
    assert len(mine) == len(vectors)
    mismatches = []
    for vector, o, t in zip(vectors, mine, theirs):
        if tuple(o.split("\t")) != t:
            mismatches.append(f"{vector}: exposure {o!r}, cvss {t}")
    return len(vectors), mismatches


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--binary", type=pathlib.Path, default=ROOT / "target" / "debug" / "exposure")
    args = parser.parse_args(argv)
    try:
        n, bad = compare(args.binary, args.count, args.seed)
    except OracleMissing as e:
        print(f"SKIPPED cvss: {e}")
        return 0
    print(f"cvss: {n - len(bad)} of {n} scores and severities agree")
    for line in bad[:20]:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
