"""Fixtures shared by the pytest files."""

import os
import pathlib

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
