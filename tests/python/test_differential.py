"""Differential tests against each ecosystem's own tool (tests/oracles/differential.py) and
of CPE names and CVSS scores against the PyPI cpe and cvss packages
(tests/oracles/cpe_differential.py, cvss_differential.py),
with a fixed seed in CI. More: EXPOSURE_DIFF_SEED=<n> EXPOSURE_DIFF_COUNT=<n> pytest ...,
or run the script directly with --seed/--count."""

import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "oracles"))

import cpe_differential  # noqa: E402
import cvss_differential  # noqa: E402
import differential  # noqa: E402

SEED = int(os.environ.get("EXPOSURE_DIFF_SEED", "20261130"))
COUNT = int(os.environ.get("EXPOSURE_DIFF_COUNT", "2000"))
BINARY = pathlib.Path(os.environ.get("EXPOSURE_BIN", ROOT / "target" / "debug" / "exposure"))


@pytest.fixture(scope="module")
def binary():
    if not BINARY.exists():
        pytest.skip(f"SKIPPED: {BINARY} not built (cargo build -p exposure-cli)")
    return BINARY


@pytest.mark.parametrize("scheme", sorted(differential.GENERATORS))
def test_version_order_matches_the_native_tool(binary, scheme, capsys):
    try:
        total, both_invalid, mismatches = differential.compare_scheme(binary, scheme, COUNT, SEED)
    except differential.OracleMissing as e:
        pytest.skip(f"SKIPPED: oracle for {scheme} unavailable: {e}")
    with capsys.disabled():  # the case counts, under -q too
        print(f"\n{scheme}: {total - both_invalid - len(mismatches)} of {total - both_invalid} comparisons agree or differ by a documented rule (seed {SEED})")
    assert total - both_invalid > COUNT // 2, "too few valid pairs: the generator is broken"
    assert not mismatches, "\n".join(mismatches[:20])


@pytest.mark.parametrize("scheme", sorted(differential.RANGE_SCHEMES))
def test_range_membership_matches_the_native_tool(binary, scheme, capsys):
    try:
        total, skipped, excused, mismatches = differential.compare_ranges(binary, scheme, COUNT, SEED)
    except differential.OracleMissing as e:
        pytest.skip(f"SKIPPED: oracle for {scheme} ranges unavailable: {e}")
    with capsys.disabled():
        agree = total - skipped - len(mismatches) - sum(excused.values())
        print(f"\n{scheme} ranges: {agree} of {total - skipped} agree, {sum(excused.values())} by a documented rule {excused}"
              f" (seed {SEED})")
    assert total - skipped > COUNT // 2, "too few valid cases: the generator is broken"
    assert sum(excused.values()) < COUNT // 10, f"{excused}: more documented differences than expected"
    assert not mismatches, "\n".join(mismatches[:20])


def test_cpe_bindings_match_the_cpe_package(binary):
    try:
        total, rejected, excused, mismatches = cpe_differential.compare_parse(binary, COUNT, SEED)
    except differential.OracleMissing as e:
        pytest.skip(f"SKIPPED: {e}")
    assert total - rejected > COUNT // 3, "too few valid names: the generator is broken"
    assert excused < COUNT // 10, f"{excused} documented deviations: more than expected"
    assert not mismatches, "\n".join(mismatches[:20])


def test_cpe_relations_match_the_cpe_package(binary):
    try:
        total, excused, mismatches = cpe_differential.compare_relations(binary, COUNT, SEED)
    except differential.OracleMissing as e:
        pytest.skip(f"SKIPPED: {e}")
    assert excused < COUNT // 20, f"{excused} documented deviations: more than expected"
    assert not mismatches, "\n".join(mismatches[:20])


def test_cvss_scores_match_the_cvss_package(binary):
    try:
        total, mismatches = cvss_differential.compare(binary, COUNT, SEED)
    except differential.OracleMissing as e:
        pytest.skip(f"SKIPPED: {e}")
    assert total == COUNT
    assert not mismatches, "\n".join(mismatches[:20])
