"""Differential tests against each ecosystem's own tool (tests/oracles/differential.py) and
of CPE names and CVSS scores against the PyPI cpe and cvss packages
(tests/oracles/cpe_differential.py, cvss_differential.py),
with a fixed seed in CI. More: EXPOSURE_DIFF_SEED=<n> EXPOSURE_DIFF_COUNT=<n> pytest ...,
or run the script directly with --seed/--count.

Each test records its case counts, which the run prints at its end (conftest.py's
`pytest_terminal_summary`). An oracle that is missing makes its test SKIPPED on a developer's
machine and FAIL in CI, where scripts/test installs every one of them."""

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


def oracle_missing(what, error):
    """A missing oracle: SKIPPED here, a failure in CI (scripts/test installs them all)."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"oracle for {what} unavailable in CI: {error}", pytrace=False)
    pytest.skip(f"SKIPPED: oracle for {what} unavailable: {error}")


def record(test, oracle, cases, rejected, excused, disagreements):
    """One row of the case counts printed at the end of the run."""
    differential.SUMMARY.append((test, oracle, cases, rejected, excused, disagreements))


@pytest.fixture(scope="module")
def binary():
    if not BINARY.exists():
        pytest.skip(f"SKIPPED: {BINARY} not built (cargo build -p exposure-cli)")
    return BINARY


@pytest.mark.parametrize("scheme", sorted(differential.GENERATORS))
def test_version_order_matches_the_native_tool(binary, scheme):
    try:
        total, both_invalid, excused, mismatches = differential.compare_scheme(binary, scheme, COUNT, SEED)
    except differential.OracleMissing as e:
        oracle_missing(scheme, e)
    record(f"{scheme} versions", differential.ORACLE_NAMES.get(scheme, scheme), total, both_invalid, excused,
           len(mismatches))
    assert total - both_invalid > COUNT // 2, "too few valid pairs: the generator is broken"
    assert not mismatches, "\n".join(mismatches[:20])


@pytest.mark.parametrize("scheme", sorted(differential.RANGE_SCHEMES))
def test_range_membership_matches_the_native_tool(binary, scheme):
    try:
        total, skipped, excused, mismatches = differential.compare_ranges(binary, scheme, COUNT, SEED)
    except differential.OracleMissing as e:
        oracle_missing(f"{scheme} ranges", e)
    record(f"{scheme} ranges", differential.ORACLE_NAMES.get(scheme.split("-")[0], scheme), total, skipped,
           sum(excused.values()), len(mismatches))
    assert total - skipped > COUNT // 2, "too few valid cases: the generator is broken"
    assert sum(excused.values()) < COUNT // 10, f"{excused}: more documented differences than expected"
    assert not mismatches, "\n".join(mismatches[:20])


def test_nuget_versioning_tables(binary):
    """NuGet.Versioning's own test cases (no .NET here): tests/vectors/nuget-versioning.tsv."""
    total, rejected, excused, mismatches = differential.compare_nuget_tables(binary)
    record("nuget versions and ranges", f"NuGet.Versioning tests ({differential.NUGET_TABLES.name})", total, rejected,
           sum(excused.values()), len(mismatches))
    assert total >= 446, f"only {total} cases: the table is cut short"
    assert set(excused) <= differential.NUGET_DIFFERENCES
    assert not mismatches, "\n".join(mismatches[:20])


def test_cpe_bindings_match_the_cpe_package(binary):
    try:
        total, rejected, excused, mismatches = cpe_differential.compare_parse(binary, COUNT, SEED)
    except differential.OracleMissing as e:
        oracle_missing("CPE bindings", e)
    record("CPE bindings", "cpe 1.3.1", total, rejected, excused, len(mismatches))
    assert total - rejected > COUNT // 3, "too few valid names: the generator is broken"
    assert excused < COUNT // 10, f"{excused} documented deviations: more than expected"
    assert not mismatches, "\n".join(mismatches[:20])


def test_cpe_relations_match_the_cpe_package(binary):
    try:
        total, excused, mismatches = cpe_differential.compare_relations(binary, COUNT, SEED)
    except differential.OracleMissing as e:
        oracle_missing("CPE relations", e)
    record("CPE relations", "cpe 1.3.1", total, 0, excused, len(mismatches))
    assert excused < COUNT // 20, f"{excused} documented deviations: more than expected"
    assert not mismatches, "\n".join(mismatches[:20])


def test_cvss_scores_match_the_cvss_package(binary):
    try:
        total, mismatches = cvss_differential.compare(binary, COUNT, SEED)
    except differential.OracleMissing as e:
        oracle_missing("CVSS", e)
    record("CVSS scores", "cvss 3.6", total, 0, 0, len(mismatches))
    assert total == COUNT
    assert not mismatches, "\n".join(mismatches[:20])
