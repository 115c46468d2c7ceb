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


def demo_inventory():
    """examples/spark/demo_inventory.py, the generated inventory the Spark example, its tests
    and its benchmark share."""
    import importlib.util

    path = ROOT / "examples" / "spark" / "demo_inventory.py"
    spec = importlib.util.spec_from_file_location("demo_inventory", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_close(a, b, path="value"):
    """`a` equals `b`, floats to 1e-9 (sums made in another order)."""
    if isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9), f"{path}: {a!r} != {b!r}"
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), f"{path}: keys {sorted(a.keys() ^ b.keys())} differ"
        for key in a:
            assert_close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), f"{path}: {len(a)} != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_close(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def counted(recommendation):
    """An in-memory recommendation (`Assessment.to_dict()["recommendations"]`) as a finished
    aggregate states it: its devices and its targets' counted (`device_count`,
    `target_device_counts`), not listed."""
    fleet = dict(recommendation, devices=[], device_count=len(recommendation["devices"]))
    targets = recommendation.get("targets") or []
    fleet["targets"] = [dict(t, devices=[]) for t in targets]
    if targets:
        fleet["target_device_counts"] = [len(t["devices"]) for t in targets]
    return fleet


def assert_finished_is_the_single_process(finished, assessment):
    """`finished` (`Engine.finish_aggregates`) holds the fleet-wide results of `assessment`
    (the single process's): organisation, groups, recommendations, the secure
    configuration's scores, and the software and weaknesses views of its record, over every
    device and for each device group."""
    expected = assessment.to_dict()
    record = assessment.record()
    assert_close(finished["software"], record.software_rows(), "software")
    assert_close(finished["weaknesses"], record.weakness_rows(), "weaknesses")
    for views in finished["group_views"]:
        group = views["group"]
        assert_close(views["software"], record.software_rows(group), f"software of {group}")
        assert_close(views["weaknesses"], record.weakness_rows(group), f"weaknesses of {group}")
    assert_close(finished["organisation"], expected["organisation"], "organisation")
    assert_close(finished["groups"], expected["groups"], "groups")
    want = [counted(r) for r in expected["recommendations"]]
    assert_close(finished["recommendations"], want, "recommendations")
    configuration, theirs = finished["configuration"], expected["configuration"]
    assert_close(configuration["organisation"], theirs["organisation"], "configuration.organisation")
    assert configuration["reporting_devices"] == len(theirs["devices"])
    assert_dashboards_are_the_records(finished, record)


def assert_dashboards_are_the_records(finished, record):
    """The recommendations and devices views and the dashboards in `finished` equal those
    of the single process's `record`, over every device and for each group (rows by id:
    impacts equal to 1e-9 may tie either way)."""
    import exposure

    def by_id(rows):
        return sorted(rows, key=lambda r: r["id"])

    def device(row):
        return dict(row, top_recommendations=by_id(row["top_recommendations"]))

    views = {v["group"]: v for v in finished["group_views"]}
    dashboards = {d["group"]: d for d in finished["dashboards"]}
    assert list(dashboards) == [None, *views]
    for group in [None, *views]:
        rows = finished["recommendation_rows"] if group is None else views[group]["recommendations"]
        assert_close(by_id(rows), by_id(record.recommendation_rows(group)), f"recommendations of {group}")
        devices = finished["top_devices"] if group is None else views[group]["top_devices"]
        want = record.device_rows(group, top=20)[:20]
        assert_close([device(d) for d in devices], [device(d) for d in want], f"devices of {group}")
        streamed, single = dashboards[group], exposure.dashboard([record], group, 20)
        for key in ("score", "level", "devices", "distribution", "secure_score", "as_of"):
            assert_close(streamed[key], single[key], f"dashboard of {group}: {key}")
        assert [d["id"] for d in streamed["top_devices"]] == [d["id"] for d in single["top_devices"]]


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
