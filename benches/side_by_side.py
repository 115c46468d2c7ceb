#!/usr/bin/env python3
"""Side-by-side timings: versions (exposure through its Python binding against Python
`packaging`, `univers` and npm `semver` on Node), CVSS vectors (against the `cvss` package)
and CPE names (against the `cpe` package).

    .venv/bin/python benches/side_by_side.py          # after scripts/test (or maturin develop)

Prints a Markdown table; the Rust-side figures come from criterion (benches/README.md).
"""

import json
import pathlib
import shutil
import subprocess
import timeit

import exposure

ROOT = pathlib.Path(__file__).resolve().parents[1]
N = 20000

PEP = ["2.31.0", "1.26.18", "2.0.0rc1", "1!2.0.post1.dev3"]
SEM = ["1.2.3", "4.17.21", "1.0.0-rc.1", "2.0.0+build.5"]
DEB = ["1:2.36.1-8+deb12u1", "3.0.11-1~deb12u2", "7.88.1-10+deb12u5", "2.9.14+dfsg-1.3~deb12u1"]
# The names of benches/src/lib.rs CPE_NAMES.
CPES = [
    "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:*:*",
    "cpe:2.3:a:apple:swiftnio_http\\/2:1.19.1:*:*:*:*:swift:*:*",
    "cpe:2.3:a:mozilla:firefox_esr:*:*:*:*:*:*:*:*",
    "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~",
    "cpe:/a:openbsd:openssh:9.3",
]


def per_op(stmt, number=N, ops=4):
    best = min(timeit.repeat(stmt, number=number, repeat=3))
    return best / number / ops * 1e9  # ns per operation


def rows():
    from packaging.version import Version as PV
    from univers.versions import DebianVersion, PypiVersion, SemverVersion

    out = []
    out.append(("pypi parse", "exposure (Python)", per_op(lambda: [exposure.Version(v, "pypi") for v in PEP])))
    out.append(("pypi parse", "packaging 24.2", per_op(lambda: [PV(v) for v in PEP])))
    out.append(("pypi parse", "univers", per_op(lambda: [PypiVersion(v) for v in PEP], number=N // 4)))
    ep = [exposure.Version(v, "pypi") for v in PEP]
    pp = [PV(v) for v in PEP]
    up = [PypiVersion(v) for v in PEP]
    cmp_ops = len(PEP) ** 2
    out.append(("pypi compare", "exposure (Python)", per_op(lambda: [a < b for a in ep for b in ep], ops=cmp_ops)))
    out.append(("pypi compare", "packaging 24.2", per_op(lambda: [a < b for a in pp for b in pp], ops=cmp_ops)))
    out.append(("pypi compare", "univers", per_op(lambda: [a < b for a in up for b in up], ops=cmp_ops, number=N // 4)))
    out.append(("semver parse", "exposure (Python)", per_op(lambda: [exposure.Version(v, "semver") for v in SEM])))
    out.append(("semver parse", "univers", per_op(lambda: [SemverVersion(v) for v in SEM], number=N // 4)))
    out.append(("deb parse", "exposure (Python)", per_op(lambda: [exposure.Version(v, "deb") for v in DEB])))
    out.append(("deb parse", "univers", per_op(lambda: [DebianVersion(v) for v in DEB], number=N // 4)))
    ed = [exposure.Version(v, "deb") for v in DEB]
    ud = [DebianVersion(v) for v in DEB]
    out.append(("deb compare", "exposure (Python)", per_op(lambda: [a < b for a in ed for b in ed], ops=cmp_ops)))
    out.append(("deb compare", "univers", per_op(lambda: [a < b for a in ud for b in ud], ops=cmp_ops, number=N // 4)))
    node = shutil.which("node")
    module = ROOT / "target" / "oracles" / "node" / "node_modules" / "semver"
    if node and module.exists():
        script = """
const semver = require(process.argv[1]); const vs = %s; const N = %d;
let t = process.hrtime.bigint(); for (let i = 0; i < N; i++) for (const v of vs) semver.parse(v);
const parse = Number(process.hrtime.bigint() - t) / N / vs.length;
const ps = vs.map(v => semver.parse(v)); t = process.hrtime.bigint();
for (let i = 0; i < N; i++) for (const a of ps) for (const b of ps) semver.compare(a, b);
const cmp = Number(process.hrtime.bigint() - t) / N / (vs.length * vs.length);
console.log(JSON.stringify([parse, cmp]));""" % (json.dumps(SEM), N * 5)
        parse, cmp = json.loads(subprocess.run([node, "-e", script, str(module)], capture_output=True, text=True, check=True).stdout)
        out.append(("semver parse", "npm semver 7 (Node)", parse))
        out.append(("semver compare", "npm semver 7 (Node)", cmp))
    es = [exposure.Version(v, "semver") for v in SEM]
    out.append(("semver compare", "exposure (Python)", per_op(lambda: [a < b for a in es for b in es], ops=cmp_ops)))
    try:
        from cvss import CVSS3, CVSS4

        v31 = ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:L/I:L/A:N",
               "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N/E:P/RL:O/RC:C",
               "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:F/RL:O/RC:C/CR:H/IR:H/AR:M/MAV:A/MPR:L"]
        v40 = ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
               "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:N/VC:N/VI:L/VA:H/SC:N/SI:N/SA:N/E:P/CR:M"]
        out.append(("cvss v3.1 parse+score", "exposure (Python)", per_op(lambda: [exposure.Cvss(v).score for v in v31])))
        out.append(("cvss v3.1 parse+score", "cvss 3.6", per_op(lambda: [CVSS3(v).scores() for v in v31], number=N // 20)))
        out.append(("cvss v4.0 parse+score", "exposure (Python)", per_op(lambda: [exposure.Cvss(v).score for v in v40], ops=2)))
        out.append(("cvss v4.0 parse+score", "cvss 3.6", per_op(lambda: [CVSS4(v).base_score for v in v40], number=N // 20, ops=2)))
    except ImportError:
        pass
    try:
        from cpe import CPE
        from cpe.cpe2_3_wfn import CPE2_3_WFN
        from cpe.cpeset2_3 import CPESet2_3
    except ImportError:
        return out
    n = len(CPES)
    out.append(("cpe parse", "exposure (Python)", per_op(lambda: [exposure.Cpe(c) for c in CPES], ops=n)))
    out.append(("cpe parse", "cpe 1.3.1", per_op(lambda: [CPE(c) for c in CPES], number=N // 40, ops=n)))
    ec = [exposure.Cpe(c) for c in CPES]
    wc = [CPE2_3_WFN(CPE(c).as_wfn()) for c in CPES]
    out.append(("cpe matches", "exposure (Python)", per_op(lambda: [a.matches(b) for a in ec for b in ec], ops=n * n)))
    out.append(("cpe matches", "cpe 1.3.1", per_op(lambda: [CPESet2_3.cpe_superset(a, b) for a in wc for b in wc], number=N // 40, ops=n * n)))
    return out


def main():
    print("| operation | implementation | ns per operation |")
    print("|---|---|---|")
    for op, impl, ns in rows():
        print(f"| {op} | {impl} | {ns:,.0f} |")


if __name__ == "__main__":
    main()
