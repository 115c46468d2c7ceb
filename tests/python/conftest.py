"""Fixtures shared by the pytest files."""

import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The shared data set next to the repository (override: EXPOSURE_SHARED_DIR), as the Rust
# tests find it (core/tests/common/mod.rs).
SHARED = pathlib.Path(os.environ.get("EXPOSURE_SHARED_DIR", ROOT.parent / "shared"))


def in_ci():
    """Whether the tests run in CI (`CI` is `true` or `1`, as CI services and .ci/run set it)."""
    return os.environ.get("CI", "").lower() in ("true", "1")


@pytest.fixture
def shared():
    """`shared(relative)` is the path of `relative` in the shared data set. Where it is absent
    the test is SKIPPED, except in CI, where it fails: a CI machine without the data must not
    pass by checking nothing."""

    def locate(relative):
        path = SHARED / relative
        if path.exists():
            return path
        if in_ci():
            pytest.fail(
                f"{path} not found, and CI requires the shared data set: set EXPOSURE_SHARED_DIR to it "
                "(the default is ../shared next to the repository)",
                pytrace=False,
            )
        pytest.skip(f"SKIPPED: {path} not found (set EXPOSURE_SHARED_DIR to the shared data set)")

    return locate


def needs(module):
    """`module`, imported. Where it is not installed the test is SKIPPED, except in CI, where
    it fails: scripts/test installs every optional library the tests use."""
    try:
        return __import__(module)
    except ImportError:
        if in_ci():
            pytest.fail(f"{module} is not installed; scripts/test installs it", pytrace=False)
        pytest.skip(f"SKIPPED: {module} not installed (pip install {module})")


def pytest_terminal_summary(terminalreporter):
    """The differential tests' case counts (tests/python/test_differential.py), one row per
    test: how many generated cases each oracle answered, and how they came out."""
    differential = sys.modules.get("differential")
    rows = getattr(differential, "SUMMARY", [])
    if not rows:
        return
    seed = os.environ.get("EXPOSURE_DIFF_SEED", "20261130")
    write = terminalreporter.write_line
    write("")
    write(f"differential cases (seed {seed}; any other: EXPOSURE_DIFF_SEED, EXPOSURE_DIFF_COUNT)")
    t, o = max(len(row[0]) for row in rows), max(len(row[1]) for row in rows)
    write(f"  {'test':<{t}} {'oracle':<{o}} {'cases':>6} {'both reject':>11} {'excused':>7} {'disagree':>8}")
    for test, oracle, cases, rejected, excused, disagreements in rows:
        write(f"  {test:<{t}} {oracle:<{o}} {cases:>6} {rejected:>11} {excused:>7} {disagreements:>8}")
    total = sum(row[2] for row in rows)
    write(f"  {len(rows)} tests, {total} cases, {sum(row[5] for row in rows)} disagreements")


def cli_binary():
    """The `exposure` CLI: EXPOSURE_BIN, else the build of this tree (CARGO_TARGET_DIR or
    target/). Absent, the tests that run it are SKIPPED (in CI they fail)."""
    candidates = [os.environ.get("EXPOSURE_BIN")]
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(str(pathlib.Path(os.environ["CARGO_TARGET_DIR"]) / "debug" / "exposure"))
    candidates.append(str(ROOT / "target" / "debug" / "exposure"))
    for candidate in candidates:
        if candidate and pathlib.Path(candidate).is_file():
            return candidate
    message = "the exposure CLI is not built (cargo build -p exposure-cli, or set EXPOSURE_BIN)"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(f"SKIPPED: {message}")
