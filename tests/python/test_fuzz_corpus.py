"""The fuzz corpus (every seed and regression under fuzz/) through the Python binding: each
constructor and entry point either works or raises an ExposureError, never a Rust panic
(pyo3_runtime.PanicException, a BaseException) nor any other exception."""

import pathlib
import re

import pytest

import exposure

ROOT = pathlib.Path(__file__).resolve().parents[2]
FUZZ = ROOT / "fuzz"
CORPUS = sorted(
    p for folder in ("seeds", "regressions") for p in (FUZZ / folder).glob("*/*") if p.is_file() and p.name != ".keep"
)
# 80 seeds and 10 regressions now (cpe_parse 38, cvss_parse 29, range_parse 14, version_parse 5,
# inventory_document 2, osv_document 2): fewer means inputs were lost.
CORPUS_MINIMUM = 90
# Every version scheme, by name, from the C header that cbindgen generates from the Rust enum.
SCHEMES = [
    name.lower() for name in re.findall(r"EXPOSURE_SCHEME_(\w+) = \d+", (ROOT / "include" / "exposure.h").read_text())
]
SCHEMES_MINIMUM = 20


def texts(data):
    """The texts an input stands for: the whole input; the input without its first byte (the
    version_parse and range_parse targets read it as the scheme selector); the TAB-separated
    parts of both (range and version, two CPE names)."""
    whole = data.decode("utf-8", errors="replace")
    out = [whole, whole[1:]]
    for text in out[:2]:
        out.extend(text.split("\t"))
    return list(dict.fromkeys(out))


class Attempts:
    """Runs calls, counting them and recording every exception that is not an ExposureError."""

    def __init__(self, origin):
        self.origin = origin
        self.calls = 0
        self.failures = []

    def __call__(self, what, call):
        self.calls += 1
        try:
            return call()
        except exposure.ExposureError:
            return None
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:  # PanicException derives from BaseException only
            kind = f"{type(e).__module__}.{type(e).__qualname__}"
            self.failures.append(f"{self.origin}: {what}: {kind}: {e}")
            return None


def exercise(attempt, text, path):
    for scheme in SCHEMES:
        version = attempt(f"Version({text!r}, {scheme!r})", lambda: exposure.Version(text, scheme))
        if version is not None:
            attempt(f"use of Version({text!r}, {scheme!r})", lambda: (str(version), hash(version), version == version))
        attempt(f"VersionRange({text!r}, {scheme!r})", lambda: exposure.VersionRange(text, scheme))
    ranged = attempt(f"VersionRange({text!r})", lambda: exposure.VersionRange(text))
    if ranged is not None:
        attempt(f"use of VersionRange({text!r})", lambda: (str(ranged), ~ranged, ranged | ranged, ranged & ranged))
    name = attempt(f"Cpe({text!r})", lambda: exposure.Cpe(text))
    if name is not None:
        attempt(f"use of Cpe({text!r})", lambda: (name.to_fs(), name.to_uri(), name.to_wfn(), name.compare(name)))
    cvss = attempt(f"Cvss({text!r})", lambda: exposure.Cvss(text))
    if cvss is not None:
        attempt(f"use of Cvss({text!r})", lambda: (cvss.score, cvss.vector, cvss.severity))
    attempt(f"Applicability({text!r})", lambda: exposure.Applicability(text))
    engine = exposure.Engine.demo()
    attempt(f"load_osv_json({text!r})", lambda: engine.load_osv_json(text, origin=path.name))
    attempt(f"assess_json({text!r})", lambda: engine.assess_json(text, origin=path.name))


def exercise_ranges(attempt, parts):
    """A range and a version (range_parse's `RANGE<TAB>VERSION`): membership in every scheme."""
    if len(parts) < 2:
        return
    range_text, version_text = parts[0], parts[1]
    for scheme in SCHEMES:
        ranged = attempt(f"VersionRange({range_text!r}, {scheme!r})", lambda: exposure.VersionRange(range_text, scheme))
        if ranged is not None:
            attempt(f"{version_text!r} in {ranged}", lambda: (version_text in ranged, version_text in ~ranged))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}")
def test_fuzz_input_never_panics_into_python(path):
    data = path.read_bytes()
    attempt = Attempts(path.relative_to(ROOT))
    for text in texts(data):
        exercise(attempt, text, path)
    body = data.decode("utf-8", errors="replace")
    exercise_ranges(attempt, body[1:].split("\t"))
    # The file itself through the loaders that read paths (feeds, inventories, OSV).
    attempt("Engine().load(path)", lambda: exposure.Engine().load(path))
    attempt("Engine().load_osv(path)", lambda: exposure.Engine().load_osv(path))
    attempt("Engine.demo().assess_path(path)", lambda: exposure.Engine.demo().assess_path(path))
    assert attempt.calls >= 2 * SCHEMES_MINIMUM, f"only {attempt.calls} calls tried"
    assert not attempt.failures, "\n".join(attempt.failures[:20])


def test_the_whole_corpus_and_every_scheme_are_tried():
    assert len(CORPUS) >= CORPUS_MINIMUM, f"{len(CORPUS)} fuzz inputs, at least {CORPUS_MINIMUM} expected"
    assert len(SCHEMES) >= SCHEMES_MINIMUM, f"{SCHEMES} read from include/exposure.h"
    for scheme in SCHEMES:
        try:
            exposure.Version("1", scheme)
        except exposure.ExposureError as e:
            assert "unknown version scheme" not in str(e), scheme
