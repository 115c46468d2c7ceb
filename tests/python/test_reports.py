"""Filters, CI gates and report formats from Python: the same core functions as the
command line's --severity/--kev-only/..., --fail-on and --format."""

import csv
import io
import json

import pytest

import exposure


@pytest.fixture(scope="module")
def demo():
    return exposure.assess(demo=True)


def test_filters_keep_the_scores_and_choose_the_findings(demo):
    critical = demo.filtered(severity=["critical"])
    assert critical.findings and all(f.severity == "CRITICAL" for f in critical.findings)
    assert critical.score == demo.score
    kev = demo.filtered(kev_only=True)
    assert [f.advisory_id for f in kev.findings] == ["GO-2023-2102"]
    web = demo.filtered(groups=["web"])
    assert {f.device_id for f in web.findings} == {"web-01", "web-02"}
    assert len(demo.filtered(fixed=False).findings) == 0
    assert len(demo.filtered(fixed=True).findings) == len(demo.findings)
    with pytest.raises(ValueError):
        demo.filtered(severity=["urgent"])
    with pytest.raises(ValueError):
        demo.filtered(min_epss=2.0)


def test_gates(demo):
    assert demo.gate("kev") == {
        "failed": True, "findings": 1, "score_tripped": False, "unassessed_devices": 0,
    }
    assert not demo.gate("risk:0.95")["failed"]
    assert demo.gate("score:25")["score_tripped"]
    assert not demo.gate("critical", kev_only=True)["failed"]
    with pytest.raises(ValueError):
        demo.gate("sometimes")
    assert demo.unassessed == []


def test_a_dpkg_host_without_a_release_is_unassessed_and_fails_gates(tmp_path):
    status = tmp_path / "status"
    status.write_text("Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u5\n")
    a = exposure.assess(kb=[exposure_demo_kb()], inventory=str(status))
    assert a.unassessed == [{"device_id": str(status), "family": "Debian", "packages": 1}]
    assert a.gate("critical") == {
        "failed": True, "findings": 0, "score_tripped": False, "unassessed_devices": 1,
    }


def exposure_demo_kb():
    from pathlib import Path
    return str(Path(__file__).resolve().parents[2] / "core" / "data" / "demo" / "advisories.osv.json")


def test_report_formats(demo):
    sarif = json.loads(demo.report("sarif"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 11
    assert json.loads(demo.report("cyclonedx"))["specVersion"] == "1.6"
    assert "openvex" in json.loads(demo.report("openvex"))["@context"]
    rows = list(csv.DictReader(io.StringIO(demo.report("csv"))))
    assert len(rows) == 11 and "severity" in rows[0]
    assert demo.report("markdown").startswith("## Exposure: ")
    html = demo.report("html", top=3)
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert demo.filtered(kev_only=True).report("csv").count("\n") == 2
    with pytest.raises(ValueError):
        demo.report("pdf")


def test_device_frames_carry_the_groups_as_lists(demo):
    frame = demo.to_dataframe("devices").set_index("device_id")
    assert frame.loc["web-01", "groups"] == ["production", "web"]
    pa = pytest.importorskip("pyarrow")
    assert demo.to_arrow("devices").schema.field("groups").type == pa.list_(pa.string())


def test_a_directory_tree_is_one_device():
    from pathlib import Path
    tree = Path(__file__).resolve().parents[2] / "core" / "tests" / "rootfs" / "app-image"
    a = exposure.assess(kb=[exposure_demo_kb()], rootfs=str(tree))
    assert len(a.devices) == 1 and len(a.findings) >= 8
    with pytest.raises(exposure.ExposureError):
        exposure.assess(kb=[exposure_demo_kb()], rootfs="/nonexistent/tree")
