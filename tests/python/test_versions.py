"""Versions and ranges through Python, over the shared vectors in tests/vectors/."""

import pathlib
import threading

import pytest

import exposure
from exposure import Version, VersionRange, compare_versions

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"


def rows(name, minimum):
    """The cases of a vector file; fewer than `minimum` (its data rows) fails the collection,
    so that an empty, truncated or wrongly filtered file cannot pass by running nothing."""
    lines = (VECTORS / name).read_text().splitlines()
    cases = [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]
    assert len(cases) >= minimum, f"{name}: {len(cases)} cases, at least {minimum} expected"
    return cases


@pytest.mark.parametrize("scheme,a,b,expected", rows("version-order.tsv", 91))
def test_version_order(scheme, a, b, expected):
    x, y = Version(a, scheme), Version(b, scheme)
    want = int(expected)
    assert compare_versions(scheme, a, b) == want
    assert ((x > y) - (x < y)) == want
    assert (x == y) == (want == 0)
    if want == 0:
        assert hash(x) == hash(y)


@pytest.mark.parametrize("scheme,range_text,version,expected", rows("range-contains.tsv", 73))
def test_range_contains(scheme, range_text, version, expected):
    r = VersionRange(range_text, scheme)
    assert (version in r) == (expected == "true")
    assert (Version(version, r.scheme) in r) == (expected == "true")


@pytest.mark.parametrize("scheme,text,offset", rows("version-invalid.tsv", 24))
def test_invalid_versions_raise_typed_errors(scheme, text, offset):
    with pytest.raises(exposure.VersionError) as info:
        Version(text, scheme)
    assert info.value.offset == int(offset)
    assert info.value.scheme == scheme
    assert info.value.input == text
    assert isinstance(info.value, ValueError)


def test_cross_scheme_rules():
    a, b = Version("1.0", "pypi"), Version("1.0.0", "npm")
    assert a != b
    with pytest.raises(exposure.VersionError, match="cannot compare"):
        _ = a < b
    with pytest.raises(exposure.VersionError):
        _ = b in VersionRange(">=1.0", "pypi")


def test_range_algebra_and_canonical_text():
    a = VersionRange(">=1.0.0 <2.0.0", "npm")
    b = VersionRange("vers:npm/>=1.5.0|<3.0.0")
    assert str(a | b) == "vers:npm/>=1.0.0|<3.0.0"
    assert str(a & b) == "vers:npm/>=1.5.0|<2.0.0"
    assert "2.5.0" in ~a and "1.5.0" not in ~a
    assert VersionRange(str(a), "npm") == a
    assert a.scheme == "npm" and b.scheme == "npm"
    with pytest.raises(exposure.RangeError) as info:
        VersionRange(">=1.0,<<2", "pypi")
    assert info.value.offset >= 0
    with pytest.raises(exposure.ExposureError):
        VersionRange(">=1.0")  # no scheme and not vers:
    with pytest.raises(exposure.ExposureError):
        Version("1.0", "cobol")


def test_versions_work_in_sets_and_sorting():
    vs = [Version(t, "maven") for t in ["1.0", "1.0-SNAPSHOT", "1.0-rc1", "1.0.0", "1-ga"]]
    assert [str(v) for v in sorted(vs)][:2] == ["1.0-rc1", "1.0-SNAPSHOT"]
    assert len(set(vs)) == 3  # 1.0 == 1.0.0 == 1-ga
    assert Version.__module__ == "exposure"


def test_deep_maven_versions_compare_on_the_smallest_thread_stack():
    """`1a` repeated 32,700 times nests 65,400 Maven lists; the comparison once recursed per
    level and killed the interpreter (SIGSEGV). Here it runs on a thread with the smallest
    stack CPython allows (32 KiB), in Maven 3.8.7's order."""
    deep = "1a" * 32_699
    pairs = [(deep + "1a", deep + "1a", 0), (deep + "1a", deep + "1b", -1), (deep + "1a", deep + "1", 1)]
    answers = []
    previous = threading.stack_size(32 * 1024)
    try:
        worker = threading.Thread(target=lambda: answers.extend(compare_versions("maven", a, b) for a, b, _ in pairs))
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous)
    assert answers == [want for _, _, want in pairs]
