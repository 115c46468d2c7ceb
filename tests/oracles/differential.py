#!/usr/bin/env python3
"""Differential tests: `exposure version compare` and `exposure range contains` against each
ecosystem's own tool, on generated inputs.

    python tests/oracles/differential.py --seed 7 --count 5000 [--scheme deb ...]

Oracles: dpkg (deb), rpm's Lua rpm.vercmp (rpm), pacman's vercmp or libalpm (alpm), Maven 3.8.7's
ComparableVersion from Debian's maven (maven), Python packaging (pypi), npm semver
(npm/semver/cargo), Elixir's Version, versions and requirements with both settings of
allow_pre (hex, from Debian's elixir), Ruby Gem::Version and Gem::Requirement (gem), Composer's
VersionParser then PHP version_compare, and Semver::satisfies for ranges (composer, from
Debian's php-composer-semver), conan 2.34's own `Version` and `VersionRange`, in-process
(conan; its ranges also as `ConanRange` with each `resolve_prerelease`: conan-as-written,
conan-always, conan-never), and univers where no native tool runs here (nuget, alpine,
golang); for nuget also NuGet.Versioning's own test cases (tests/vectors/nuget-versioning.tsv).

Exit status 0 when every answer agrees (or differs only in a documented way), 1 otherwise.
`scripts/test` runs it with a fixed seed through pytest (tests/python/test_differential.py).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import pathlib
import random
import shutil
import subprocess
import sys
import tempfile
from typing import Callable, Optional

ROOT = pathlib.Path(__file__).resolve().parents[2]
NODE_DIR = pathlib.Path(os.environ.get("EXPOSURE_ORACLE_NODE", ROOT / "target" / "oracles" / "node"))
MAVEN_JAR = pathlib.Path("/usr/share/maven/lib/maven-artifact-3.x.jar")

Pair = tuple[str, str]
Answer = Optional[int]  # -1, 0, 1; None = the tool rejects the input


# ---------------------------------------------------------------- generators


def _pick(rng: random.Random, items):
    return items[rng.randrange(len(items))]


def _num(rng: random.Random) -> str:
    return _pick(rng, ["0", "1", "2", "3", "9", "10", "11", "99", "100", "2023", "00", "01", "007"])


def gen_deb(rng):
    pieces = [_num(rng)]
    for _ in range(rng.randrange(4)):
        pieces.append(_pick(rng, [".", "+", "~", "~~", ".", "."]))
        pieces.append(_pick(rng, [_num(rng), _num(rng), "a", "b", "rc1", "dfsg", "beta2", "git20200101", "ubuntu1"]))
    up = "".join(pieces)
    epoch = f"{rng.randrange(3)}:" if rng.random() < 0.2 else ""
    rev = ""
    if rng.random() < 0.6:
        rev = "-" + _pick(rng, ["0", "1", "2", "10", "1ubuntu1", "1+deb12u1", "0~bpo11+1", "1build1", "3.1"])
    return epoch + up + rev


def gen_rpm(rng):
    pieces = [_num(rng)]
    for _ in range(rng.randrange(4)):
        pieces.append(_pick(rng, [".", ".", "~", "^", "_", "+"]))
        pieces.append(_pick(rng, [_num(rng), "a", "b", "rc1", "git5", "el8", "fc38", "alpha"]))
    v = "".join(pieces)
    epoch = f"{rng.randrange(3)}:" if rng.random() < 0.2 else ""
    rel = "-" + _pick(rng, ["1", "2", "10", "1.el8", "3.fc38", "0.1.rc1", "1~beta", "1^post"]) if rng.random() < 0.6 else ""
    return epoch + v + rel


def gen_alpm(rng):
    pieces = [_num(rng)]
    for _ in range(rng.randrange(4)):
        # `-` too: vercmp splits the pkgrel at the LAST `-`, so one inside is a separator.
        pieces.append(_pick(rng, [".", ".", "_", "+", "..", "-"]))
        pieces.append(_pick(rng, [_num(rng), "a", "b", "rc1", "alpha", "r1234", "g1a2b3c"]))
    epoch = f"{rng.randrange(3)}:" if rng.random() < 0.2 else ""
    rel = "-" + _pick(rng, ["1", "2", "10", "1.1"]) if rng.random() < 0.6 else ""
    return epoch + "".join(pieces) + rel


def gen_maven(rng):
    out = _num(rng)
    for _ in range(rng.randrange(5)):
        sep = _pick(rng, [".", ".", "-", "-", ""])
        token = _pick(rng, [_num(rng), _num(rng), "alpha", "beta", "milestone", "rc", "cr", "snapshot", "SNAPSHOT",
                            "ga", "final", "release", "sp", "a", "b", "m", "foo", "RC", "Final", "jre", "android"])
        if sep == "" and token[0].isdigit() == out[-1].isdigit():
            sep = "."
        out += sep + token
    return out


def gen_pypi(rng):
    v = ""
    if rng.random() < 0.1:
        v += f"{rng.randrange(3)}!"
    v += ".".join(_num(rng).lstrip("0") or "0" for _ in range(rng.randrange(1, 5)))
    if rng.random() < 0.35:
        v += _pick(rng, ["a", "b", "rc", "alpha", "beta", "c", "pre", "preview", ".a", "-b", "_rc"]) + _pick(rng, ["", "0", "1", "2", "10"])
    if rng.random() < 0.25:
        v += _pick(rng, [".post", "-post", ".r", "-", ".rev", "post"]) + _pick(rng, ["1", "2", "0", ""]) if True else ""
    if rng.random() < 0.25:
        v += _pick(rng, [".dev", "dev", "-dev"]) + _pick(rng, ["", "0", "1", "5"])
    if rng.random() < 0.15:
        v += "+" + _pick(rng, ["local", "ubuntu1", "1.2", "abc.5", "deb-12"])
    if rng.random() < 0.05:
        v = _pick(rng, ["v", "V", " "]) + v
    if rng.random() < 0.03:
        v += _pick(rng, ["x", "..", "-", "+"])
    return v


def gen_semver(rng, allow_v=False):
    v = f"{rng.randrange(4)}.{rng.randrange(4)}.{rng.randrange(4)}"
    if rng.random() < 0.4:
        ids = [_pick(rng, ["alpha", "beta", "rc", "0", "1", "2", "11", "x-y", "a1", "01"]) for _ in range(rng.randrange(1, 4))]
        v += "-" + ".".join(ids)
    if rng.random() < 0.15:
        v += "+" + _pick(rng, ["build", "001", "exp.sha.5114f85", "incompatible"])
    if allow_v and rng.random() < 0.3:
        v = "v" + v
    if rng.random() < 0.03:
        v = _pick(rng, ["1.2", "01.2.3", "1.2.3.4", "1.2.3-", "1.2.3+"])
    return v


def gen_golang(rng):
    if rng.random() < 0.3:
        base = f"v{rng.randrange(3)}.{rng.randrange(3)}.{rng.randrange(3)}"
        stamp = f"2021{rng.randrange(10, 13)}{rng.randrange(10, 29)}{rng.randrange(100000, 999999)}"
        return f"{base}-0.{stamp}-abcdef012345" if rng.random() < 0.5 else f"v0.0.0-{stamp}-abcdef012345"
    return gen_semver(rng, allow_v=True)


def gen_gem(rng):
    v = _num(rng).lstrip("0") or "0"
    for _ in range(rng.randrange(4)):
        v += "." + _pick(rng, [_num(rng).lstrip("0") or "0", "0", "a", "b", "pre", "rc1", "beta2", "alpha"])
    if rng.random() < 0.1:
        v += "-" + _pick(rng, ["1", "beta", "rc.1"])
    return v


def gen_composer(rng):
    """Mostly what Composer's VersionParser accepts (numbers, a modifier, -dev), some dates,
    numeric branches and what it rejects but advisories carry (`3.1.0.post1`)."""
    kind = rng.random()
    if kind < 0.05:
        return f"{rng.randrange(2019, 2025)}{_pick(rng, ['-', '.', ''])}{rng.randrange(1, 13):02d}{_pick(rng, ['-', '.', ''])}{rng.randrange(1, 29):02d}"
    if kind < 0.1:
        return f"{rng.randrange(3)}.{_pick(rng, ['x', 'X', '*', str(rng.randrange(3)) + '.x'])}-dev"
    v = _pick(rng, ["", "", "", "v"]) + (_num(rng).lstrip("0") or "0")
    for _ in range(rng.randrange(4)):
        v += "." + _num(rng)
    if rng.random() < 0.5:
        v += _pick(rng, ["-", ".", "_", "", "-"]) + _pick(rng, ["stable", "beta", "b", "RC", "rc", "alpha", "a", "patch", "pl", "p", "Beta", "ALPHA", "STABLE"])
        if rng.random() < 0.6:
            v += _pick(rng, ["", ".", "-"]) + _pick(rng, ["1", "2", "10", "0", "1.2"])
    if rng.random() < 0.1:
        v += _pick(rng, ["-dev", ".dev", "dev"])
    if rng.random() < 0.05:
        v += _pick(rng, [".post1", "-foo", "-1", "+build.7", "@beta"])
    if rng.random() < 0.05:
        # Shapes VersionParser::normalize rejects (more than four numbers, an empty number, a
        # long first number that is no date, suffixes that are no stability), or takes.
        v = _pick(rng, ["1.0.0.0.0", "1..0", "44441672.743.847.4.ALPHA", "02.11p1-rc.2",
                        "v2019.09.05_patch.2-patch1", "1.2.3.4.5", "1.0..", "1.0.", "123456.1",
                        "1.0-rc.2", "1.0.0-beta.1.2", "2.0-patch-dev", "1.0_RC1"])
    return v


def gen_nuget(rng):
    v = ".".join(str(rng.randrange(4)) for _ in range(rng.randrange(2, 5)))
    if rng.random() < 0.4:
        v += "-" + ".".join(_pick(rng, ["alpha", "beta", "rc", "ALPHA", "1", "2", "10", "preview"]) for _ in range(rng.randrange(1, 3)))
    if rng.random() < 0.1:
        v += "+meta"
    return v


def gen_alpine(rng):
    v = ".".join(_num(rng).lstrip("0") or "0" for _ in range(rng.randrange(1, 4)))
    if rng.random() < 0.15:
        v += _pick(rng, ["a", "b", "z"])
    for _ in range(rng.randrange(3) if rng.random() < 0.4 else 0):
        v += "_" + _pick(rng, ["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"]) + _pick(rng, ["", "1", "2", "20230101"])
    if rng.random() < 0.6:
        v += "-r" + str(rng.randrange(12))
    return v


def gen_hex(rng):
    """SemVer as Elixir's `Version.parse` reads it, and at its edges: numbers of 14, 15 and
    20+ digits (Elixir's are unbounded), huge numeric pre-release identifiers, a `v`,
    surrounding spaces."""
    v = ("v" if rng.random() < 0.03 else "") + gen_semver(rng)
    if rng.random() < 0.08:
        big = _pick(rng, ["99999999999999", "100000000000000", "18446744073709551615", "18446744073709551616",
                          str(rng.randrange(10**13, 10**25))])
        parts = v.lstrip("v").split(".", 2)
        if len(parts) == 3:
            parts[rng.randrange(2)] = big
            v = ".".join(parts) if rng.random() < 0.7 else f"{parts[0]}.{parts[1]}.{parts[2].split('-')[0]}-{big}"
    if rng.random() < 0.02:
        v = _pick(rng, [" ", "", "\u00a0"]) + v + _pick(rng, [" ", ""])
    return v


# Conan (version order and ranges): conan's own `Version` and `VersionRange`, in-process.
_CONAN_ITEMS = ["0", "1", "2", "3", "9", "10", "11", "00", "01", "2023", "20230101", "a", "b", "rc", "rc1",
                "cci", "beta", "alpha", "1a", "2a", "10a", "x", "Z", "_1", "1_0"]


def gen_conan(rng):
    """Reference-valid versions (`[A-Za-z0-9_][A-Za-z0-9_+.-]*`): numbers, words, mixed items,
    `cci.DATE`, pre-releases (hyphens inside them too), build metadata, trailing zeros, and
    a few that are no versions at all."""
    if rng.random() < 0.03:
        return _pick(rng, ["", " 1.0", "1.0 ", "1 0", ">1.0", "=1", "~1", "[1.0]", "1.0!"])
    if rng.random() < 0.1:
        return "cci." + _pick(rng, ["20230101", "20221231", "20230101.1", "2023"])

    def items(n):
        return ".".join(_pick(rng, _CONAN_ITEMS[:11] if rng.random() < 0.6 else _CONAN_ITEMS) for _ in range(n))

    v = items(rng.randrange(1, 5))
    if rng.random() < 0.3:
        v += "-" + items(rng.randrange(1, 3))
        if rng.random() < 0.2:
            v += "-" + items(1)
    if rng.random() < 0.2:
        v += "+" + items(rng.randrange(1, 3))
    if rng.random() < 0.02:
        v = _pick(rng, ["1..2", "1.0.", "1.0-rc.-1", "1.0-rc.-2", "1.0+b+c", "1.+2+b", "1.0-"])
    return v


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "deb": gen_deb,
    "rpm": gen_rpm,
    "alpm": gen_alpm,
    "maven": gen_maven,
    "pypi": gen_pypi,
    "npm": lambda rng: gen_semver(rng, allow_v=True),
    "semver": gen_semver,
    "cargo": gen_semver,
    "hex": gen_hex,
    "golang": gen_golang,
    "gem": gen_gem,
    "composer": gen_composer,
    "nuget": gen_nuget,
    "alpine": gen_alpine,
    "conan": gen_conan,
}


def pairs_for(scheme: str, count: int, seed: int) -> list[Pair]:
    rng = random.Random(f"{seed}:{scheme}")
    gen = GENERATORS[scheme]
    pool = [gen(rng) for _ in range(max(8, count // 3))]
    pairs = []
    for _ in range(count):
        a = _pick(rng, pool)
        b = _pick(rng, pool) if rng.random() < 0.7 else gen(rng)
        pairs.append((a, b))
    return pairs


# ---------------------------------------------------------------- oracles


class OracleMissing(Exception):
    """The native tool is not installed here."""


# Each scheme's oracle by name, for the case counts printed at the end of a pytest run.
ORACLE_NAMES = {
    "deb": "dpkg --compare-versions",
    "rpm": "rpm (Lua rpm.vercmp)",
    "alpm": "libalpm alpm_pkg_vercmp",
    "maven": "Maven 3.8.7 ComparableVersion",
    "pypi": "packaging 24.2",
    "npm": "node semver 7",
    "semver": "node semver 7",
    "cargo": "node semver 7",
    "hex": "Elixir 1.14 Version",
    "golang": "univers GolangVersion",
    "gem": "Ruby Gem::Version/Requirement",
    "composer": "composer/semver (PHP)",
    "nuget": "univers NugetVersion",
    "alpine": "univers AlpineLinuxVersion",
    "conan": "conan 2 Version/VersionRange",
}

# (test, oracle, cases, both rejected, excused, disagreements) of each differential test run
# through pytest; tests/python/conftest.py prints them.
SUMMARY: list[tuple[str, str, int, int, int, int]] = []


def _need(cmd: str):
    if shutil.which(cmd) is None:
        raise OracleMissing(f"{cmd} not installed")


def oracle_deb(pairs):
    _need("dpkg")
    out = []
    for a, b in pairs:
        lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b], capture_output=True)
        if lt.returncode not in (0, 1) or b"bad syntax" in lt.stderr or b"invalid" in lt.stderr:
            out.append(None)
            continue
        if lt.returncode == 0:
            out.append(-1)
            continue
        eq = subprocess.run(["dpkg", "--compare-versions", a, "eq", b], capture_output=True)
        out.append(0 if eq.returncode == 0 else 1)
    return out


def oracle_rpm(pairs):
    _need("rpm")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for a, b in pairs:
            f.write(f"{a}\t{b}\n")
        path = f.name
    script = "%{lua: for line in io.lines('" + path + "') do local a, b = line:match('^([^\\t]*)\\t(.*)$'); print(rpm.vercmp(a, b) .. ' ') end}"
    res = subprocess.run(["rpm", "--eval", script], capture_output=True, text=True, check=True)
    os.unlink(path)
    return [int(x) for x in res.stdout.split()]


def oracle_alpm(pairs):
    """pacman's `vercmp`, which prints libalpm's `alpm_pkg_vercmp`; where the tool is not
    installed (Debian's pacman-package-manager 6.0.2 ships libalpm but not `vercmp`), that
    function itself, called from libalpm through ctypes."""
    if shutil.which("vercmp") is not None:
        return [int(subprocess.run(["vercmp", a, b], capture_output=True, text=True, check=True).stdout) for a, b in pairs]
    import ctypes
    import ctypes.util
    name = ctypes.util.find_library("alpm")
    if name is None:
        raise OracleMissing("neither vercmp nor libalpm is installed (Debian package pacman-package-manager)")
    vercmp = ctypes.CDLL(name).alpm_pkg_vercmp
    vercmp.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    vercmp.restype = ctypes.c_int
    return [max(-1, min(1, vercmp(a.encode(), b.encode()))) for a, b in pairs]


def oracle_maven(pairs):
    _need("java")
    if not MAVEN_JAR.exists():
        raise OracleMissing(f"{MAVEN_JAR} missing (Debian package maven)")
    out = []
    for start in range(0, len(pairs), 500):
        chunk = pairs[start:start + 500]
        args = [x for pair in chunk for x in pair]
        res = subprocess.run(["java", "-cp", str(MAVEN_JAR), "org.apache.maven.artifact.versioning.ComparableVersion", *args],
                             capture_output=True, text=True, check=True)
        ops = [line.strip() for line in res.stdout.splitlines() if line.startswith("   ")]
        # Line k compares argument k and k+1; the pairs are the even ones.
        for k in range(0, len(ops), 2):
            op = ops[k].split(" ")[-2] if ops[k].count(" ") >= 2 else "?"
            out.append({"<": -1, "==": 0, ">": 1}[op])
    return out


def oracle_pypi(pairs):
    from packaging.version import InvalidVersion, Version
    out = []
    for a, b in pairs:
        try:
            x, y = Version(a), Version(b)
        except InvalidVersion:
            out.append(None)
            continue
        out.append((x > y) - (x < y))
    return out


NODE_COMPARE = """
const semver = require(process.argv[1]);
const pairs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(pairs.map(([a, b]) => {
  const x = semver.parse(a), y = semver.parse(b);
  return x && y ? semver.compare(x, y) : null;
})));
"""


def _node(script: str, payload) -> list:
    _need("node")
    module = NODE_DIR / "node_modules" / "semver"
    if not module.exists():
        raise OracleMissing(f"npm semver not installed in {NODE_DIR}")
    res = subprocess.run(["node", "-e", script, str(module)], input=json.dumps(payload), capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def oracle_semver(pairs):
    return _node(NODE_COMPARE, pairs)


RUBY_COMPARE = """
require 'json'
pairs = JSON.parse(STDIN.read)
puts JSON.generate(pairs.map { |a, b|
  Gem::Version.correct?(a) && Gem::Version.correct?(b) ? (Gem::Version.new(a) <=> Gem::Version.new(b)) : nil
})
"""


def oracle_gem(pairs):
    _need("ruby")
    res = subprocess.run(["ruby", "-e", RUBY_COMPARE], input=json.dumps(pairs), capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


COMPOSER_AUTOLOAD = pathlib.Path("/usr/share/php/Composer/Semver/autoload.php")  # Debian's php-composer-semver

# Composer's order: VersionParser::normalize, then version_compare. Branches (`dev-*`) are
# never ordered (null); what the parser rejects is outside the oracle ("outside").
PHP_COMPARE = f"""
require '{COMPOSER_AUTOLOAD}';
$vp = new \\Composer\\Semver\\VersionParser();
$p = json_decode(stream_get_contents(STDIN)); $o = [];
foreach ($p as $x) {{
  try {{
    $a = $vp->normalize($x[0]); $b = $vp->normalize($x[1]);
    $o[] = (strpos($a, 'dev-') === 0 || strpos($b, 'dev-') === 0) ? null : version_compare($a, $b);
  }} catch (\\UnexpectedValueException $e) {{ $o[] = 'outside'; }}
}}
echo json_encode($o);
"""


def oracle_composer(pairs):
    _need("php")
    if not COMPOSER_AUTOLOAD.exists():
        raise OracleMissing(f"{COMPOSER_AUTOLOAD} missing (Debian package php-composer-semver)")
    res = subprocess.run(["php", "-r", PHP_COMPARE], input=json.dumps(pairs), capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


ELIXIR_SCRIPT = ROOT / "tests" / "oracles" / "elixir_version.exs"


def _elixir(cases: list[tuple[str, ...]]) -> list[str]:
    """Elixir's own `Version` (Debian's elixir, 1.14) over a batch, in one process."""
    _need("elixir")
    payload = "".join("\x1f".join(case) + "\n" for case in cases)
    res = subprocess.run(["elixir", str(ELIXIR_SCRIPT)], input=payload.encode(), capture_output=True, check=True)
    out = res.stdout.decode().split("\n")[:-1]
    assert len(out) == len(cases), f"elixir: {len(out)} answers for {len(cases)} cases"
    return out


def oracle_elixir(pairs):
    return [None if x == "invalid" else int(x) for x in _elixir([("compare", a, b) for a, b in pairs])]


def _univers(cls_name: str):
    def oracle(pairs):
        try:
            from univers import versions
        except ImportError as e:
            raise OracleMissing("univers not installed") from e
        cls = getattr(versions, cls_name)
        out = []
        for a, b in pairs:
            try:
                x, y = cls(a), cls(b)
                out.append((x > y) - (x < y))
            except Exception:  # univers raises various errors for invalid input
                out.append(None)
        return out
    return oracle


_CONAN_REFERENCE = None


def _conan():
    """conan's model classes, imported lazily: `(Version, VersionRange, _VersionItem)`."""
    try:
        from conan.internal.model.version import Version, _VersionItem
        from conan.internal.model.version_range import VersionRange
    except ImportError as e:
        raise OracleMissing("the conan package is not installed (pip install conan)") from e
    return Version, VersionRange, _VersionItem


def _conan_version(text: str):
    """conan's `Version` of `text` trimmed (every scheme of ours trims), or None where we
    reject it on purpose: empty, white space or a control character inside, or a first
    character a reference's version cannot have (`[A-Za-z0-9_]`). conan's `Version` takes
    any text."""
    import re
    global _CONAN_REFERENCE
    if _CONAN_REFERENCE is None:
        _CONAN_REFERENCE = re.compile(r"[a-zA-Z0-9_][^\s\x00-\x1f\x7f-\x9f]*\Z")
    text = text.strip()
    return _conan()[0](text) if _CONAN_REFERENCE.match(text) else None


def oracle_conan(pairs):
    out = []
    for a, b in pairs:
        x, y = _conan_version(a), _conan_version(b)
        out.append(None if x is None or y is None else (x > y) - (x < y))
    return out


def _conan_total_order(a, b, o, t):
    """conan compares a number with a text item as two texts and two texts as texts
    (`9 > 10a`, `10a > 10`, `10 > 9`; `10a < 9a`), which is no order; ours is the total order
    of `key` in core/src/version/conan.rs. True when conan's answer with that item order
    (everything else conan's own) is ours."""
    _, _, item = _conan()
    plain = item.__lt__

    def total(x, y):
        if not isinstance(y, item):
            y = item(y)
        return _conan_item_key(x._v) < _conan_item_key(y._v)

    item.__lt__ = total
    try:
        return oracle_conan([(a, b)])[0] == o
    finally:
        item.__lt__ = plain


def _conan_item_key(v):
    """`key` of core/src/version/conan.rs, for a conan item (int or str)."""
    if isinstance(v, int):
        return (1, v, "") if v >= 0 else (0, 0, str(v))
    digits = len(v) - len(v.lstrip("0123456789"))
    if digits:
        return (1, int(v[:digits]), v)
    return (0, 0, v) if not v or v[0] < "0" else (2, 0, v)


ORACLES = {
    "deb": oracle_deb,
    "rpm": oracle_rpm,
    "alpm": oracle_alpm,
    "maven": oracle_maven,
    "pypi": oracle_pypi,
    "npm": oracle_semver,
    "semver": oracle_semver,
    "cargo": oracle_semver,
    "hex": oracle_elixir,
    "golang": _univers("GolangVersion"),
    "gem": oracle_gem,
    "composer": oracle_composer,
    "nuget": _univers("NugetVersion"),
    "alpine": _univers("AlpineLinuxVersion"),
    "conan": oracle_conan,
}

# Where the oracle is knowingly not the authority, each with its reason; the value is a
# predicate over (a, b, ours, theirs) that recognises the documented difference.
DEVIATIONS: dict[str, list[tuple[str, Callable[[str, str, Answer, Answer], bool]]]] = {
    "npm": [
        # node-semver strips a leading "v"/"=" and build metadata the same way we do, but its
        # strict parse also rejects nothing we accept; no deviation expected.
    ],
    "semver": [
        # npm semver accepts a leading "v" even in strict mode; SemVer 2.0.0 does not.
        ("leading v is not SemVer 2.0.0", lambda a, b, o, t: o is None and (a.startswith("v") or b.startswith("v"))),
    ],
    "cargo": [
        ("leading v is not Cargo SemVer", lambda a, b, o, t: o is None and (a.startswith("v") or b.startswith("v"))),
    ],
    "hex": [
        # Elixir's numbers are unbounded (`Version.parse("99999999999999999999.0.0")` is
        # :ok); ours are u64, and a part past it is a "number too large" error.
        ("hex-numbers-past-u64", lambda a, b, o, t: o is None and t is not None and (_past_u64(a) or _past_u64(b))),
        # Surrounding white space is trimmed from every version (engine-wide, see
        # Version::parse); Elixir's Version.parse rejects it.
        ("hex-surrounding-white-space", lambda a, b, o, t: t is None and o is not None and (a != a.strip() or b != b.strip())),
    ],
    "golang": [
        # univers' GolangVersion accepts strings golang.org/x/mod/semver rejects ("1.2.3.4",
        # "1.2.3-", "1.2.3+", "01.2.3"); we follow Go's grammar.
        ("univers accepts non-Go versions", lambda a, b, o, t: o is None and not (_go_valid(a) and _go_valid(b))),
    ],
    "alpine": [
        # univers' AlpineLinuxVersion rejects valid apk versions (several suffixes, a letter
        # before a suffix) that apk-tools accepts; our apk parser follows apk_version_validate
        # and agrees with 13,979 comparisons generated by `apk version -t`.
        ("univers rejects valid apk versions", lambda a, b, o, t: t is None and o is not None),
        # univers treats "X-r0" as equal to "X"; apk-tools orders any revision after none
        # (its own version.data has "1.2.2-r1 > 1.2.2"; -r0 follows the same token rule).
        ("univers ignores -r0", lambda a, b, o, t: t == 0 and (a == b + "-r0" or b == a + "-r0")),
    ],
    "conan": [
        ("conan-items-total-order", lambda a, b, o, t: o is not None and t is not None and _conan_total_order(a, b, o, t)),
    ],
}

def _past_u64(v: str) -> bool:
    core = v.strip().split("+")[0].split("-")[0]
    return any(p.isdigit() and int(p) >= 2**64 for p in core.split("."))


_GO_IDENT = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_GO_RE = None


def _go_valid(v: str) -> bool:
    """golang.org/x/mod/semver.IsValid, with the leading "v" optional as in OSV events."""
    import re
    global _GO_RE
    if _GO_RE is None:
        num = r"(?:0|[1-9][0-9]*)"
        full = rf"{num}\.{num}\.{num}(?:-{_GO_IDENT}(?:\.{_GO_IDENT})*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
        _GO_RE = re.compile(rf"^v?(?:{num}|{num}\.{num}|{full})$")
    return bool(_GO_RE.match(v))


# ---------------------------------------------------------------- ours


def ours(binary: pathlib.Path, scheme: str, pairs: list[Pair]) -> list[Answer]:
    payload = "".join(f"{a}\t{b}\n" for a, b in pairs)
    res = subprocess.run([str(binary), "version", "compare", "--scheme", scheme], input=payload,
                         capture_output=True, text=True, check=True)
    lines = res.stdout.split("\n")[:-1]
    assert len(lines) == len(pairs), f"{scheme}: {len(lines)} answers for {len(pairs)} lines"
    return [None if line.startswith("error\t") else int(line) for line in lines]


def compare_scheme(binary: pathlib.Path, scheme: str, count: int, seed: int) -> tuple[int, int, int, list[str]]:
    """Returns (pairs compared, pairs both sides rejected, pairs excused by a documented
    deviation, unexplained mismatches)."""
    pairs = pairs_for(scheme, count, seed)
    theirs = ORACLES[scheme](pairs)
    mine = ours(binary, scheme, pairs)
    mismatches, both_invalid, excused = [], 0, 0
    for (a, b), o, t in zip(pairs, mine, theirs):
        if t == "outside":
            # Composer's VersionParser rejects a version of the pair: so must we (the lenient
            # reading is the advisory path only, see core/src/version/composer/normalize.rs).
            if o is None:
                both_invalid += 1
            else:
                mismatches.append(f"{scheme}: {a!r} vs {b!r}: exposure {o}, Composer's VersionParser rejects it")
            continue
        if o is None and t is None:
            both_invalid += 1
            continue
        if o == t:
            continue
        if any(rule(a, b, o, t) for _, rule in DEVIATIONS.get(scheme, [])):
            excused += 1
            continue
        mismatches.append(f"{scheme}: {a!r} vs {b!r}: exposure {o}, oracle {t}")
    return len(pairs), both_invalid, excused, mismatches


# ---------------------------------------------------------------- ranges

RANGE_ORACLES: dict[str, Callable] = {}


def gen_npm_range(rng):
    pool = [gen_semver(rng) for _ in range(6)]
    pool = [p for p in pool if "+" not in p and p.count(".") == 2 and "01" not in p] or ["1.2.3"]

    def partial():
        v = _pick(rng, pool).split("-")[0]
        parts = v.split(".")
        cut = rng.randrange(1, 4)
        parts = parts[:cut] + ([_pick(rng, ["x", "*"])] if cut < 3 and rng.random() < 0.3 else [])
        return ".".join(parts)

    def simple():
        kind = rng.randrange(6)
        if kind == 0:
            return _pick(rng, ["^", "~"]) + (partial() if rng.random() < 0.5 else _pick(rng, pool))
        if kind == 1:
            return _pick(rng, [">", ">=", "<", "<=", "="]) + (partial() if rng.random() < 0.4 else _pick(rng, pool))
        if kind == 2:
            return partial()
        if kind == 3:
            return f"{partial()} - {partial()}"
        return _pick(rng, [">=", "<"]) + _pick(rng, pool)

    sets = []
    for _ in range(rng.randrange(1, 3)):
        first = simple()
        if " - " in first:
            sets.append(first)
        else:
            sets.append(" ".join([first] + [s for s in (simple() for _ in range(rng.randrange(2))) if " - " not in s]))
    return " || ".join(sets), _pick(rng, pool + [gen_semver(rng) for _ in range(2)])


NODE_SATISFIES = """
const semver = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(cases.map(([r, v]) => {
  try { if (!semver.validRange(r) || !semver.valid(v)) return null; return semver.satisfies(v, r, { includePrerelease: true }); }
  catch (e) { return null; }
})));
"""


def _leading_zeros(rng, v):
    """The same version with a zero put before some release numbers (`2.11.7` as `2.011.7`)."""
    head, bang, rest = v.rpartition("!")
    parts = rest.split(".")
    for i, part in enumerate(parts):
        if part.isdigit() and rng.random() < 0.5:
            parts[i] = "0" + part
    return head + bang + ".".join(parts)


def _related_candidates(v):
    """Versions next to `v` where the exclusive and arbitrary rules decide: its local and
    post-releases, its own and its base release's pre-releases, trailing zeros."""
    from packaging.version import Version
    x = Version(v)
    public, base = x.public, x.base_version
    return [f"{public}+local", f"{public}.post0" if x.post is None and x.dev is None else f"{base}.post{(x.post or 0) + 1}",
            f"{public}.dev0" if x.dev is None else public, f"{base}a1", f"{base}a1+local", f"{base}.post1", f"{base}.post0.dev0",
            f"{base}+local", base, f"{public}.0" if x.pre is None and x.post is None and x.dev is None and x.local is None else base + ".0",
            f"{base}rc1.post1", str(x).upper()]


def gen_pypi_range(rng):
    from packaging.version import InvalidVersion, Version
    versions = [v for v in (gen_pypi(rng) for _ in range(8)) if v.strip() == v and not v.startswith(("v", "V"))]
    versions = [v for v in versions if _valid_pep440(v)] or ["1.0"]
    specs, related = [], []
    for _ in range(rng.randrange(1, 4)):
        op = _pick(rng, ["==", "!=", "<", "<=", ">", ">=", "~=", "==", "!=", "<", ">", "==="])
        v = _pick(rng, versions)
        if op in ("<", "<=", ">", ">=", "~="):
            v = v.split("+")[0]
        if op == "~=" and "." not in v.split("!")[-1].split("a")[0]:
            v += ".0"
        try:
            related += _related_candidates(v)
        except InvalidVersion:
            pass  # a spelling packaging rejects (`~=1a1.0`): the oracle rejects the case
        if op in ("==", "!=") and rng.random() < 0.3:
            v = ".".join(v.split("+")[0].split("!")[-1].split(".")[:2]).rstrip("abcdefghijklmnopqrstuvwxyz0123456789") or "1"
            v = (v if v[-1].isdigit() else v + "0") + ".*"
        elif op == "===":
            # The normalised spelling, another case, the written spelling, or no version at all.
            norm = str(Version(v)) if _valid_pep440(v) else v
            v = _pick(rng, [norm, norm.upper(), v, "foobar", norm + ".0"])
        elif op != "===" and rng.random() < 0.15:
            v = _leading_zeros(rng, v)
        specs.append(op + v)
    pool = versions + related + [gen_pypi(rng)] + (["foobar"] if rng.random() < 0.02 else [])
    return ",".join(specs), _pick(rng, pool)


def _valid_pep440(v):
    from packaging.version import InvalidVersion, Version
    try:
        Version(v)
        return True
    except InvalidVersion:
        return False


def oracle_pypi_range(cases):
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version
    out = []
    for r, v in cases:
        try:
            out.append(SpecifierSet(r).contains(Version(v), prereleases=True))
        except (InvalidSpecifier, InvalidVersion):
            out.append(None)
    return out


def gen_gem_range(rng):
    versions = [gen_gem(rng) for _ in range(6)]
    reqs = [_pick(rng, ["=", "!=", ">", "<", ">=", "<=", "~>"]) + " " + _pick(rng, versions) for _ in range(rng.randrange(1, 3))]
    return ", ".join(reqs), _pick(rng, versions + [gen_gem(rng)])


RUBY_SATISFIES = """
require 'json'
cases = JSON.parse(STDIN.read)
puts JSON.generate(cases.map { |r, v|
  begin
    Gem::Version.correct?(v) ? Gem::Requirement.new(*r.split(',').map(&:strip)).satisfied_by?(Gem::Version.new(v)) : nil
  rescue StandardError
    nil
  end
})
"""

def gen_composer_range(rng):
    def version():
        v = ".".join(str(rng.randrange(4)) for _ in range(rng.randrange(1, 5)))
        if rng.random() < 0.3:
            v += "-" + _pick(rng, ["alpha", "beta", "RC", "dev", "patch", "alpha1", "beta2", "RC1", "p1", "stable"])
        return v

    pool = [version() for _ in range(5)]

    def simple():
        kind = rng.randrange(5)
        if kind == 0:
            return _pick(rng, ["^", "~"]) + _pick(rng, pool)
        if kind == 1:
            return _pick(rng, [">", ">=", "<", "<=", "=", "!=", ""]) + _pick(rng, pool)
        if kind == 2:
            return ".".join(_pick(rng, pool).split("-")[0].split(".")[:rng.randrange(1, 3)]) + ".*"
        if kind == 3:
            return f"{_pick(rng, pool)} - {_pick(rng, pool)}"
        return _pick(rng, [">=", "<"]) + _pick(rng, pool)

    alternatives = []
    for _ in range(rng.randrange(1, 3)):
        first = simple()
        if " - " not in first and rng.random() < 0.4:
            second = simple()
            if " - " not in second:
                first += _pick(rng, [" ", ", "]) + second
        alternatives.append(first)
    return " || ".join(alternatives), _pick(rng, pool + [version()])


# Composer's Semver::satisfies. MultiConstraint merges `A || B` when A's upper bound is B's
# lower bound even if A is empty (`3.1 - 0 || ^1` becomes `>=3.1-dev <2.0-dev`), which
# answers `1.2` is outside; we follow the union (recorded in core/src/range/native/composer.rs),
# so such cases, where the whole answer differs from the or of the alternatives, are marked.
PHP_SATISFIES = f"""
require '{COMPOSER_AUTOLOAD}';
use Composer\\Semver\\Semver;
$p = json_decode(stream_get_contents(STDIN)); $o = [];
foreach ($p as $x) {{
  try {{
    $whole = Semver::satisfies($x[1], $x[0]);
    $any = false;
    foreach (preg_split('{{\\s*\\|\\|?\\s*}}', trim($x[0])) as $alt) {{ $any = $any || Semver::satisfies($x[1], $alt); }}
    $o[] = $whole === $any ? $whole : 'merged-empty-interval';
  }} catch (\\Throwable $e) {{ $o[] = null; }}
}}
echo json_encode($o);
"""


def oracle_composer_range(cases):
    _need("php")
    if not COMPOSER_AUTOLOAD.exists():
        raise OracleMissing(f"{COMPOSER_AUTOLOAD} missing (Debian package php-composer-semver)")
    res = subprocess.run(["php", "-r", PHP_SATISFIES], input=json.dumps(cases), capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def gen_hex_range(rng):
    """An Elixir requirement in every form Version.parse_requirement knows (`~>` with two
    and three parts, `== != > >= < <=`, the deprecated `!`, a bare version, `and`/`or`
    chains), odd spacing, and forms it rejects; the candidate is often next to a bound (the
    pre-releases of `~>`'s upper bound, the operand's own pre-releases and build)."""
    def version():
        v = f"{rng.randrange(4)}.{rng.randrange(4)}.{rng.randrange(4)}"
        if rng.random() < 0.35:
            v += "-" + ".".join(_pick(rng, ["0", "1", "rc", "dev", "alpha", "beta", "2", "x-y"]) for _ in range(rng.randrange(1, 3)))
        if rng.random() < 0.08:
            v += "+" + _pick(rng, ["build", "001", "sha.5114f85"])
        return v

    pool = [version() for _ in range(5)]
    related = []

    def comparison():
        op = _pick(rng, ["", "==", "!=", ">", ">=", "<", "<=", "~>", "~>", "~>", "!"])
        v = _pick(rng, pool)
        major, minor, rest = v.split(".", 2)
        if op == "~>" and rng.random() < 0.5:
            tail = rest[len(rest.split("-")[0].split("+")[0]):]
            v = f"{major}.{minor}{tail}"
            related.extend([f"{int(major) + 1}.0.0-0", f"{int(major) + 1}.0.0-rc.1", f"{int(major) + 1}.0.0"])
        else:
            related.extend([f"{major}.{int(minor) + 1}.0-0", f"{major}.{int(minor) + 1}.0-rc.1", f"{major}.{int(minor) + 1}.0"])
        base = v.split("+")[0]
        # Pre-releases inside `>`, `>=` and `~>` by order, where allow_pre decides.
        related.extend([base.split("-")[0] + "-rc.1", base + "+other", base.split("-")[0], f"{major}.{minor}.9-rc.1",
                        f"{major}.{int(minor) + 1}.1-dev"])
        if rng.random() < 0.04:
            v = _pick(rng, ["2.0", "2", "01.0.0", "v1.0.0", "1.0.0-", "1.0.0-01", "1.2.3.4", "1.0.0\u00a0", "=1.0.0", "x"])
        return op + _pick(rng, ["", " ", " ", "  "]) + v

    text = comparison()
    for _ in range(rng.randrange(3)):
        text += _pick(rng, [" and ", " or ", " and ", " or ", "  and  ", " or  "]) + comparison()
    if rng.random() < 0.1:
        text = _pick(rng, [" ", "  "]) + text + _pick(rng, ["", " "])
    if rng.random() < 0.04:
        # What Elixir rejects: joins without their spaces, other spellings, dangling parts.
        text = _pick(rng, [text.replace(" and ", "and ", 1), text.replace(" or ", " or", 1), text + " or",
                           "and " + text, text.replace(" and ", " AND ", 1), text + ", >= 1.0.0", text + " && < 2.0.0",
                           "~ 1.0", ">= > 1.0.0", "", "   ", "1.0.0 2.0.0", "|| 1.0.0", "~> 1"])
    return text, _pick(rng, pool + related + [version()])


def oracle_hex_range(cases, allow_pre: bool):
    flag = "true" if allow_pre else "false"
    answers = _elixir([("match", r, v, flag) for r, v in cases])
    return [{"invalid-requirement": "rejected", "invalid-version": None}.get(x, x == "true") for x in answers]


def gen_conan_range(rng):
    """Every form conan's VersionRange reads: comparisons, bare versions, `~`, `^`, `*`,
    `x.*` and `cci.*` patterns, several conditions, `||`, `include_prerelease` and other
    options, pre-releases and build metadata in bounds, odd white space, the `[...]` of a
    conanfile, and forms conan rejects. The version is near the range's bounds."""
    def version():
        v = ".".join(str(rng.randrange(4)) for _ in range(rng.randrange(1, 4)))
        if rng.random() < 0.1:
            v = "cci." + _pick(rng, ["20230101", "20221231", "2023"])
        if rng.random() < 0.3:
            v += "-" + _pick(rng, ["rc", "rc.1", "pre", "0", "", "3-1", "alpha.2"])
        if rng.random() < 0.15:
            v += "+" + _pick(rng, ["b", "1", "build.7"])
        return v

    pool = [version() for _ in range(5)]

    def condition():
        kind = rng.randrange(10)
        v = _pick(rng, pool)
        if kind < 4:
            op = _pick(rng, [">", ">=", "<", "<=", "=", ""])
            return op + (v + ".0" if op == "" and len(v) == 1 and rng.random() < 0.8 else v)
        if kind < 6:
            if v.startswith("cci") and rng.random() < 0.8:
                v = v[4:]
            if v.split("-")[0].strip("0.") == "" and rng.random() < 0.8:
                v = "1." + v
            return _pick(rng, ["~", "^"]) + v
        if kind == 6:
            main = v.split("-")[0].split("+")[0]
            return _pick(rng, [main + ".*", ".".join(main.split(".")[:-1] or ["cci"]) + ".*", main + "-*", "cci.*", main + "*"])
        if kind == 7:
            return "*"
        if kind == 8 and rng.random() < 0.3:
            # What conan rejects.
            return _pick(rng, ["~=1.0", "==1.0", "^=1", ">=", "<", "1", "1*", "^0.0", "~cci", ">1, <2"])
        return _pick(rng, [">=", "<"]) + v

    sets = []
    for _ in range(rng.randrange(1, 3)):
        sets.append(_pick(rng, [" ", "  ", " "]).join(condition() for _ in range(rng.randrange(1, 3))))
    r = _pick(rng, [" || ", "||", " ||  "]).join(sets)
    if rng.random() < 0.35:
        r += _pick(rng, [", include_prerelease", ",include_prerelease", ", foo, include_prerelease",
                         ", include_prerelease=True", ", loose", ", include_prerelease"]
                     + ([", 1.0", ","] if rng.random() < 0.3 else []))
    if rng.random() < 0.1:
        r = f"[{r}]"
    if rng.random() < 0.1:
        r = " " + r + " "
    candidates = pool + [version(), "1.2.0", "1.2", "1.20", "cci.20230101", "1.0-rc", "2.0", "0.1"]
    for p in pool:
        main = p.split("-")[0].split("+")[0]
        candidates += [main, main + "-rc", main + ".0", main + "+b", main + ".1-rc"]
    return r, _pick(rng, candidates)


def _conan_range_answers(cases, resolve, hull=False, total=False):
    """conan's `VersionRange(r).contains(Version(v), resolve)` for each case, None where
    conan rejects the range or the version is outside a reference's grammar. The range may
    stand in `[...]` as a conanfile writes it. With `hull`, each `P*` pattern is read as the
    interval our canonical range gives it; with `total`, items are ordered as ours."""
    Version, VersionRange, item = _conan()
    plain = item.__lt__
    if total:
        item.__lt__ = lambda x, y: _conan_item_key(x._v) < _conan_item_key((y if isinstance(y, item) else item(y))._v)
    out = []
    try:
        for r, v in cases:
            x = _conan_version(v)
            body = r.strip()
            if body.startswith("[") and body.endswith("]"):
                body = body[1:-1]
            try:
                if not body.strip():
                    raise ValueError("empty")
                if hull:
                    body = _conan_hull(body)
                with contextlib.redirect_stderr(io.StringIO()):  # conan's warnings on options
                    vr = VersionRange(body)
                for conditions in vr.condition_sets:
                    for c in conditions.conditions:
                        if str(c.display_version).startswith(_EXACT):  # a `<Q` of _conan_hull
                            c.version = Version(str(c.display_version)[len(_EXACT):])
                out.append(None if x is None else vr.contains(x, resolve))
            except Exception:  # ConanException, and conan's IndexError/TypeError on `^0.0`, `1*`
                out.append(None)
    finally:
        item.__lt__ = plain
    return out


_EXACT = "exact:"  # conan's `<V` is `<V-`; a bound so marked is taken as written


def _conan_hull(body):
    """`body` with each `P*` pattern replaced by the interval core/src/range/native/conan.rs
    gives it (`1.2.*` is `>=1.2- <1.3-`)."""
    def plus_one(items):
        head, _, last = items.rpartition(".")
        try:
            bumped = str(int(last) + 1)
        except ValueError:
            bumped = last + "0"
        return f"{head}.{bumped}" if head else bumped

    def interval(p):
        cut = min([i for i in (p.find("-"), p.find("+")) if i >= 0], default=len(p))
        main, rest = p[:cut], p[cut:]
        if rest.startswith("-"):
            return f">={main}- <{_EXACT}{main}"  # below `main` itself, not below `main-`
        if main.endswith(".") and not rest:
            return f">={main[:-1]}- <{plus_one(main[:-1])}-"
        head = main.rpartition(".")[0]
        return f">={main}-" + (f" <{plus_one(head)}-" if head else "")

    expression, comma, options = body.partition(",")
    alternatives = []
    for alternative in expression.split("||"):
        words = [interval(e[:-1]) if len(e) > 2 and e.endswith("*") and e[0] not in "<>=~^" else e for e in alternative.split()]
        alternatives.append(" ".join(words))
    return " || ".join(alternatives) + comma + options


def oracle_conan_range(cases):
    return _conan_range_answers(cases, True)


RANGE_SCHEMES = {
    "npm": (gen_npm_range, lambda cases: _node(NODE_SATISFIES, cases)),
    "pypi": (gen_pypi_range, oracle_pypi_range),
    "gem": (gen_gem_range, lambda cases: json.loads(subprocess.run(["ruby", "-e", RUBY_SATISFIES], input=json.dumps(cases),
                                                                   capture_output=True, text=True, check=True).stdout)),
    "composer": (gen_composer_range, oracle_composer_range),
    # Elixir's Version.match?: allow_pre true (the range) and false (HexRequirement::matches).
    "hex": (gen_hex_range, lambda cases: oracle_hex_range(cases, True)),
    "hex-allow-pre-false": (gen_hex_range, lambda cases: oracle_hex_range(cases, False)),
    "conan": (gen_conan_range, oracle_conan_range),
    # ConanRange, conan's own reading (`--conan-prereleases`), against conan with
    # resolve_prerelease None, True and False: no documented difference but the item order's.
    "conan-as-written": (gen_conan_range, lambda cases: _conan_range_answers(cases, None)),
    "conan-always": (gen_conan_range, lambda cases: _conan_range_answers(cases, True)),
    "conan-never": (gen_conan_range, lambda cases: _conan_range_answers(cases, False)),
}

# How `exposure range contains` is asked for each entry of RANGE_SCHEMES (default:
# `--scheme NAME`).
RANGE_CLI_ARGS = {
    "hex-allow-pre-false": ["--scheme", "hex", "--allow-pre", "false"],
    **{f"conan-{mode}": ["--scheme", "conan", "--conan-prereleases", mode] for mode in ("as-written", "always", "never")},
}


def _pep440_clause(clause: str, v: str, rules: tuple[str, ...]) -> bool:
    """packaging's answer for one specifier, with PEP 440's reading in place of packaging's
    for the named rules (the differences documented in core/src/range/native/pep440.rs)."""
    from packaging.specifiers import Specifier
    from packaging.version import Version
    c = Version(v)
    if "<" in rules and clause.startswith("<") and not clause.startswith("<="):
        x = Version(clause[1:])
        own_pre = (not x.is_prerelease and c.is_prerelease and c.base_version == x.base_version
                   and (x.post is None or (c.pre is None and c.post == x.post)))
        return c < x and not own_pre
    if ">" in rules and clause.startswith(">") and not clause.startswith(">="):
        x = Version(clause[1:])
        own_local = c.local is not None and Version(c.public) == x
        own_post = (x.post is None and x.dev is None and c.post is not None
                    and Version(c.base_version) == Version(x.base_version) and c.pre == x.pre)
        return c > x and not own_local and not own_post
    if "~=" in rules and clause.startswith("~="):
        clause = "~=" + str(Version(clause[2:]))
    return Specifier(clause).contains(c, prereleases=True)


def _pep440_reading(*rules: str) -> Callable[[str, str], bool]:
    """A known difference: the answer with PEP 440's reading of `rules` differs from packaging's
    (so, both answers being true/false, it is ours)."""
    def differs(r: str, v: str) -> bool:
        from packaging.specifiers import SpecifierSet
        from packaging.version import Version
        clauses = [c.strip() for c in r.split(",") if c.strip()]
        pep = all(_pep440_clause(c, v, rules) for c in clauses)
        return pep != SpecifierSet(r).contains(Version(v), prereleases=True)
    return differs


RANGE_DEVIATIONS: dict[str, list[tuple[str, Callable[[str, str], bool]]]] = {
    "pypi": [
        # PEP 440: `<V` MUST NOT allow a pre-release *of the specified version*; packaging
        # also excludes every pre-release of V's base release (`<1.0.post1` and `1.0a1`).
        ("pep440-less-than-own-prereleases", _pep440_reading("<")),
        # PEP 440: `>V` MUST NOT allow a post-release or local version *of the given version*;
        # packaging also excludes those of V's base release (`>1.0a1` and `1.0.post1`,
        # `1.0a2+local`).
        ("pep440-greater-than-own-posts-and-locals", _pep440_reading(">")),
        # packaging derives the ~= prefix from the spelling: in `~=2023.0.r1` it takes `r1`
        # for a release part (prefix 2023.0.*). PEP 440 says a post-release suffix is ignored
        # (`~=2023.0.post1` is `>=2023.0.post1, ==2023.*`); we follow the PEP.
        ("pep440-compatible-release-spelled-suffix", _pep440_reading("~=")),
        # Two of the above in one specifier set.
        ("pep440-several-of-the-above", _pep440_reading("<", ">", "~=")),
    ],
    "conan": [
        # conan's `P*` matches the version's text (`1.2.*` takes `1.2.0`, not `1.2`); the
        # canonical range is a set of intervals and reads it as the interval around what
        # it matches (core/src/range/native/conan.rs); ConanRange keeps the text rule.
        ("conan-pattern-as-interval", lambda r, v: _conan_range_answers([(r, v)], True, hull=True)[0] is not None
         and _conan_range_answers([(r, v)], True, hull=True) != oracle_conan_range([(r, v)])),
        # The version order's own (conan-items-total-order above).
        ("conan-items-total-order", lambda r, v: _conan_range_answers([(r, v)], True, total=True)
         != oracle_conan_range([(r, v)])),
        ("conan-both-of-the-above", lambda r, v: _conan_range_answers([(r, v)], True, hull=True, total=True)
         != oracle_conan_range([(r, v)])),
    ],
    **{f"conan-{mode}": [("conan-items-total-order", lambda r, v, resolve=resolve: _conan_range_answers([(r, v)], resolve, total=True)
                          != _conan_range_answers([(r, v)], resolve))]
       for mode, resolve in (("as-written", None), ("always", True), ("never", False))},
}


def ours_contains(binary, scheme, cases) -> list[Optional[bool]]:
    payload = "".join(f"{r}\t{v}\n" for r, v in cases)
    args = RANGE_CLI_ARGS.get(scheme, ["--scheme", scheme])
    res = subprocess.run([str(binary), "range", "contains", *args], input=payload,
                         capture_output=True, text=True, check=True)
    lines = res.stdout.split("\n")[:-1]
    assert len(lines) == len(cases)
    return [None if line.startswith("error\t") else line == "true" for line in lines]


def compare_ranges(binary, scheme, count, seed):
    gen, oracle = RANGE_SCHEMES[scheme]
    rng = random.Random(f"{seed}:range:{scheme.split('-')[0]}")
    cases = [gen(rng) for _ in range(count)]
    theirs = oracle(cases)
    mine = ours_contains(binary, scheme, cases)
    mismatches, skipped, excused = [], 0, {}
    for (r, v), o, t in zip(cases, mine, theirs):
        if t == "rejected":
            # The oracle rejects the range itself (not only the version): so must we.
            skipped += 1
            if o is not None:
                mismatches.append(f"{scheme} range: {r!r}: exposure answers {o} for {v!r}, the oracle rejects the range")
            continue
        if t is None or t == "merged-empty-interval":
            # The oracle rejects the range or version (not a membership case), or hits its
            # own documented bug (see PHP_SATISFIES).
            skipped += 1
            continue
        if o == t:
            continue
        name = next((name for name, rule in RANGE_DEVIATIONS.get(scheme, []) if o is not None and rule(r, v)), None)
        if name is not None:
            excused[name] = excused.get(name, 0) + 1
            continue
        mismatches.append(f"{scheme} range: {v!r} in {r!r}: exposure {o}, oracle {t}")
    return len(cases), skipped, excused, mismatches


# ---------------------------------------------------------------- NuGet.Versioning's test tables

# No .NET runs here: NuGet.Versioning's own test cases, transcribed as data (see the file's
# header), are the nuget oracle, run through the CLI as every other oracle is.
NUGET_TABLES = ROOT / "tests" / "vectors" / "nuget-versioning.tsv"
NUGET_DIFFERENCES = {"floating"}  # the named differences the file may carry


def compare_nuget_tables(binary):
    """Every case of tests/vectors/nuget-versioning.tsv through `exposure version compare` and
    `exposure range contains --scheme nuget`. Returns (cases, rejected by both, documented
    differences by name, disagreements)."""
    rows = []
    for n, line in enumerate(NUGET_TABLES.read_text(encoding="utf-8").split("\n"), 1):
        if line and not line.startswith("#"):
            fields = line.split("\t")
            assert len(fields) in (4, 5), f"{NUGET_TABLES.name}:{n}: {fields}"
            rows.append((n, *fields[:4], fields[4] if len(fields) == 5 else None))
    versions = [r for r in rows if r[1] in ("version", "compare")]
    ranges = [r for r in rows if r[1] in ("range", "contains")]
    # A version alone is compared with itself; a range alone is asked about 1.0.
    mine = dict(zip([r[0] for r in versions],
                    ours(binary, "nuget", [(a, a if kind == "version" else b) for _, kind, a, b, _, _ in versions])))
    mine.update(zip([r[0] for r in ranges],
                    ours_contains(binary, "nuget", [(a, "1.0" if kind == "range" else b) for _, kind, a, b, _, _ in ranges])))
    rejected, excused, mismatches = 0, {}, []
    for n, kind, a, b, expected, why in rows:
        o = mine[n]
        if kind in ("version", "range"):
            answer = "invalid" if o is None else "valid"
        elif o is None:
            answer = "error"
        elif kind == "compare":
            answer = str(o)
        else:
            answer = "true" if o else "false"
        agree = answer == expected or (expected == "!0" and answer in ("-1", "1"))
        rejected += answer == expected == "invalid"
        if agree and why is None:
            continue
        if not agree and why in NUGET_DIFFERENCES:
            excused[why] = excused.get(why, 0) + 1
            continue
        mismatches.append(f"{NUGET_TABLES.name}:{n}: {kind} {a!r} {b!r}: NuGet {expected}, exposure {answer}"
                          + (f" (marked {why})" if why else ""))
    return len(rows), rejected, excused, mismatches


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--scheme", action="append", help="limit to these schemes (repeatable)")
    parser.add_argument("--binary", type=pathlib.Path, default=ROOT / "target" / "debug" / "exposure")
    args = parser.parse_args(argv)
    failed = False
    for scheme in [s for s in (args.scheme or list(GENERATORS)) if s in GENERATORS]:
        try:
            n, invalid, excused, bad = compare_scheme(args.binary, scheme, args.count, args.seed)
        except OracleMissing as e:
            print(f"SKIPPED {scheme}: {e}")
            continue
        print(f"{scheme}: {n - invalid - excused - len(bad)} of {n - invalid} comparisons agree, {excused} differ as documented "
              f"({invalid} pairs rejected by both, or outside the oracle's parser)")
        for line in bad[:20]:
            print("  " + line)
        failed |= bool(bad)
    for scheme in [s for s in RANGE_SCHEMES if args.scheme is None or s in args.scheme or RANGE_CLI_ARGS.get(s, ["", ""])[1] in args.scheme]:
        try:
            n, skipped, excused, bad = compare_ranges(args.binary, scheme, args.count, args.seed)
        except OracleMissing as e:
            print(f"SKIPPED {scheme} ranges: {e}")
            continue
        agree = n - skipped - len(bad) - sum(excused.values())
        print(f"{scheme} ranges: {agree} of {n - skipped} membership answers agree, {sum(excused.values())} differ by a"
              f" documented rule, {len(bad)} disagree ({skipped} rejected by the oracle)")
        for name, count in sorted(excused.items()):
            print(f"  known difference {name}: {count}")
        for line in bad[:20]:
            print("  " + line)
        failed |= bool(bad)
    if args.scheme is None or "nuget" in args.scheme:
        n, rejected, excused, bad = compare_nuget_tables(args.binary)
        print(f"nuget: {n - len(bad) - sum(excused.values())} of {n} NuGet.Versioning test cases agree ({rejected} rejected"
              f" by both), {sum(excused.values())} differ as documented {excused}, {len(bad)} disagree")
        for line in bad[:20]:
            print("  " + line)
        failed |= bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
