"""pytest suite for the Python binding, against the freshly built module."""

import json
import pathlib
import threading

import pytest

import exposure

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO_KB = ROOT / "core" / "data" / "demo" / "advisories.osv.json"
DEMO_FLEET = ROOT / "core" / "data" / "demo" / "fleet.json"
DEMO_KEV = ROOT / "core" / "data" / "demo" / "kev.json"


def test_demo_assessment_has_findings_scores_and_ranked_recommendations():
    a = exposure.assess(demo=True)
    assert 0 <= a.score <= 100
    assert a.level in {"low", "medium", "high"}
    assert len(a.findings) == 11
    ids = {(f.device_id, f.advisory_id) for f in a.findings}
    assert ("api-gw-01", "GO-2023-2102") in ids
    assert ("web-01", "PYSEC-2023-74") in ids
    ranks = [r.rank for r in a.recommendations]
    assert ranks == list(range(1, len(ranks) + 1))
    impacts = [r.exposure_impact for r in a.recommendations]
    assert impacts == sorted(impacts, reverse=True)
    assert a.recommendations[0].text == "update golang.org/x/net (Go) to 0.17.0"
    assert a.recommendations[0].target_version == "0.17.0"
    assert a.recommendations[0].action == "update"


def test_urllib3_is_updated_on_each_branch_and_time_is_an_upgrade():
    a = exposure.assess(demo=True, as_of="2026-12-04")
    by_name = {r.to_dict()["software"]: r for r in a.recommendations}
    urllib3 = by_name["urllib3"]
    assert urllib3.target_version is None
    targets = [(t["branch"], t["version"], t["devices"]) for t in urllib3.to_dict()["targets"]]
    assert targets == [("1", "1.26.18", ["web-01"]), ("2", "2.0.7", ["web-02"])]
    assert by_name["time"].action == "upgrade"
    assert by_name["time"].to_dict()["major_change"] is True
    # Only configuration changes raise the secure score; only the rapid-reset fix covers a
    # KEV-listed vulnerability (the demo knowledge base carries its KEV entry).
    assert all(r.configuration_impact == 0 for r in a.recommendations
               if r.action != "configuration_change")
    assert {r.to_dict()["software"] for r in a.recommendations if r.known_exploited} == {"golang.org/x/net"}
    with pytest.raises(ValueError):
        exposure.assess(demo=True, as_of="04/12/2026")


def test_paths_give_the_same_result_as_the_embedded_demo():
    from_files = exposure.assess(kb=[DEMO_KB, DEMO_KEV], inventory=DEMO_FLEET)
    embedded = exposure.assess(demo=True)
    def essentials(a):
        return [(f.device_id, f.package, f.version, f.advisory_id, f.fix, f.risk) for f in a.findings]

    assert essentials(from_files) == essentials(embedded)
    assert [r.text for r in from_files.recommendations] == [r.text for r in embedded.recommendations]
    assert from_files.score == pytest.approx(embedded.score)


def test_finding_carries_evidence_and_scores():
    a = exposure.assess(demo=True)
    f = next(f for f in a.findings if f.advisory_id == "PYSEC-2023-74")
    assert (f.ecosystem, f.package, f.version, f.fix) == ("PyPI", "requests", "2.28.1", "2.31.0")
    assert "CVE-2023-32681" in f.aliases
    assert f.cvss_score == 6.1
    d = f.to_dict()
    assert d["evidence"]["matched"] == "vers:pypi/>=2.3.0|<2.31.0"
    assert d["evidence"]["matcher"] == "osv-package"
    assert d["risk"] == pytest.approx(d["impact"] * d["likelihood"])


def test_to_dict_and_to_json_agree():
    a = exposure.assess(demo=True)
    assert json.loads(a.to_json()) == a.to_dict()
    device = {d["device_id"]: d for d in a.devices}
    assert device["dev-laptop-07"]["value"] == "low"
    assert device["dev-laptop-07"]["weight"] == 0.75


def test_to_dict_converts_on_the_smallest_thread_stack():
    """The conversion into dicts and lists walks the value with a heap stack, not recursion:
    the whole assessment converts on a thread with CPython's smallest stack (32 KiB)."""
    a = exposure.assess(demo=True)
    converted = []
    previous = threading.stack_size(32 * 1024)
    try:
        worker = threading.Thread(target=lambda: converted.extend([a.to_dict(), a.finding_rows()]))
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous)
    assert converted == [json.loads(a.to_json()), a.finding_rows()]


def test_engine_loads_and_reports_bad_records():
    engine = exposure.Engine()
    report = engine.load_osv_json(
        '[{"id": "GHSA-xvch-5gv4-984h", "affected": [{"package": {"ecosystem": "npm", "name": "minimist"},'
        ' "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.2.6"}]}]}]},'
        ' {"affected": []}]',
        origin="inline",
    )
    assert (report["records_loaded"], report["records_skipped"]) == (1, 1)
    assert report["problems"][0]["field"] == "[1].id"
    assert engine.advisory_count == 1
    a = engine.assess_json('{"devices": [{"id": "d", "software": [{"purl": "pkg:npm/minimist@1.2.5"}]}]}')
    assert [f.advisory_id for f in a.findings] == ["GHSA-xvch-5gv4-984h"]
    assert a.to_dict()["inventory_reports"][0]["records_loaded"] == 1


def test_errors_are_typed_value_errors(tmp_path):
    engine = exposure.Engine.demo()
    with pytest.raises(exposure.InventoryError, match="not JSON"):
        engine.assess_json("{")
    with pytest.raises(exposure.InventoryError, match="neither a CycloneDX BOM"):
        engine.assess_json("[]")
    with pytest.raises(exposure.KnowledgeBaseError, match="cannot read"):
        exposure.assess(kb=tmp_path / "missing", inventory=DEMO_FLEET)
    with pytest.raises(ValueError):
        exposure.assess()
    assert issubclass(exposure.InventoryError, exposure.ExposureError)
    assert issubclass(exposure.ExposureError, ValueError)


def test_classes_live_in_the_exposure_module():
    for cls in (exposure.Engine, exposure.Assessment, exposure.Finding, exposure.Recommendation):
        assert cls.__module__ == "exposure"
    assert exposure.__version__ == "0.1.0"


def _vector_rows(name, minimum):
    lines = (ROOT / "tests" / "vectors" / name).read_text().splitlines()
    cases = [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]
    assert len(cases) >= minimum, f"{name}: {len(cases)} cases, at least {minimum} expected"
    return cases


def test_demo_findings_are_exactly_the_shared_vectors():
    a = exposure.assess(demo=True)
    actual = [
        (f.device_id, f.ecosystem, f.package, f.version, f.advisory_id, f.fix or "-", f.to_dict()["evidence"]["matched"])
        for f in a.findings
    ]
    assert actual == _vector_rows("demo-findings.tsv", 11)


def test_real_cyclonedx_sbom_loads(shared):
    sbom = shared("data/sbom-cyclonedx/proton-bridge__proton-bridge-v1.8.0.bom.json")
    a = exposure.Engine.demo().assess_path(sbom)
    report = a.to_dict()["inventory_reports"][0]
    assert report["records_loaded"] == 201
    # The demo knowledge base knows golang.org/x/net: the SBOM's 2021 pseudo-version is affected.
    assert {"GO-2022-0969", "GO-2023-2102"} <= {f.advisory_id for f in a.findings}


def test_engine_load_reads_threat_feeds_and_findings_carry_them(tmp_path):
    engine = exposure.Engine.demo()
    kev = tmp_path / "kev.csv"
    kev.write_text(
        "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n"
        "CVE-2021-23337,lodash,lodash,Command Injection,2022-01-10,d,a,2022-01-24,Unknown,,CWE-94\n"
    )
    report = engine.load(kev)
    assert (report["records_read"], report["records_loaded"]) == (1, 1)
    rows = engine.assess_demo_fleet().finding_rows()
    flagged = {r["advisory_id"] for r in rows if r["known_exploited"]}
    # lodash's command injection now, beside the demo's own KEV entry (HTTP/2 rapid reset).
    assert flagged == {"GHSA-35jh-r3h4-6jhm", "GO-2023-2102"}
    assert {"device_id", "software", "version", "advisory_id", "risk", "fix_state", "matcher", "confidence"} <= set(rows[0])


def test_to_dataframe_has_one_row_per_finding_or_says_pandas_is_needed():
    a = exposure.assess(demo=True)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="needs pandas"):
            a.to_dataframe()
        return
    frame = a.to_dataframe()
    assert len(frame) == len(a.findings)
    assert frame["risk"].between(0, 1).all()
    assert list(frame.columns[:4]) == ["device_id", "ecosystem", "software", "version"]


def test_snapshot_save_and_load_give_the_same_assessment(tmp_path):
    engine = exposure.Engine.demo()
    snapshot = tmp_path / "kb.bin"
    engine.save(snapshot)
    again = exposure.Engine()
    report = again.load(snapshot)
    assert report["records_loaded"] == engine.advisory_count == again.advisory_count
    assert again.assess_demo_fleet().to_dict()["findings"] == engine.assess_demo_fleet().to_dict()["findings"]
    damaged = tmp_path / "damaged.bin"
    damaged.write_bytes(snapshot.read_bytes()[:-3])
    with pytest.raises(exposure.KnowledgeBaseError, match="snapshot truncated"):
        exposure.Engine().load(damaged)


def test_engine_open_opens_a_snapshot_in_place_with_the_same_answers(tmp_path):
    engine = exposure.Engine.demo()
    snapshot = tmp_path / "kb.bin"
    engine.save(snapshot)
    opened = exposure.Engine.open(snapshot)
    twice = exposure.Engine.open(str(snapshot), parameters={"kev_floor": 0.6})
    assert opened.advisory_count == twice.advisory_count == engine.advisory_count
    assert opened.assess_demo_fleet().to_dict()["findings"] == engine.assess_demo_fleet().to_dict()["findings"]
    assert opened.assess_path(DEMO_FLEET).to_dict()["findings"] == engine.assess_path(DEMO_FLEET).to_dict()["findings"]
    assert twice.parameters["kev_floor"] == 0.6
    # Records damaged since the file was written: its head is intact, so it opens, and every
    # assessment that reads a damaged record raises instead of coming back clean.
    data = bytearray(snapshot.read_bytes())
    head = int.from_bytes(data[16:24], "little")
    for at in range(28 + head, len(data)):
        data[at] ^= 0x5A
    damaged = tmp_path / "damaged.bin"
    damaged.write_bytes(bytes(data))
    broken = exposure.Engine.open(damaged)
    assert broken.advisory_count == engine.advisory_count
    for assess in (broken.assess_demo_fleet, lambda: broken.assess_path(DEMO_FLEET)):
        with pytest.raises(exposure.KnowledgeBaseError, match="the file changed") as refused:
            assess()
        assert refused.value.kind == "payload"
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(snapshot.read_bytes()[:-3])
    with pytest.raises(exposure.KnowledgeBaseError, match="snapshot truncated") as refused:
        exposure.Engine.open(truncated)
    assert refused.value.kind == "truncated"
    with pytest.raises(exposure.KnowledgeBaseFileNotFoundError, match="cannot read"):
        exposure.Engine.open(tmp_path / "missing.bin")
    with pytest.raises(exposure.KnowledgeBaseError, match="not an exposure knowledge-base snapshot"):
        exposure.Engine.open(DEMO_FLEET)


def test_one_engine_loads_and_assesses_from_several_threads(tmp_path):
    """Loading or setting parameters while other threads assess waits instead of raising
    `Already borrowed`; every thread sees a whole engine."""
    import threading

    records = [
        {
            "id": f"GHSA-test-{i:04d}",
            "affected": [
                {
                    "package": {"ecosystem": "npm", "name": f"pkg-{i}"},
                    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}],
                }
            ],
        }
        for i in range(2000)
    ]
    feed = tmp_path / "many.json"
    feed.write_text(json.dumps(records))
    engine = exposure.Engine.demo()
    errors = []

    def loading():
        try:
            for _ in range(10):
                engine.load(feed)
        except BaseException as e:  # noqa: BLE001 - the test reports any failure
            errors.append(e)

    def assessing():
        try:
            for _ in range(200):
                assert engine.assess_demo_fleet().score > 0
                assert engine.advisory_count >= 10
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    def configuring():
        try:
            for i in range(50):
                engine.set_parameters({"kev_floor": 0.5 + (i % 2) / 10})
                engine.set_exceptions(None)
                assert engine.parameters["kev_floor"] in (0.5, 0.6)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=loading), threading.Thread(target=configuring)] + [
        threading.Thread(target=assessing) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert engine.advisory_count == 10 + 2000


def test_fail_closed_unless_partial_loads_are_allowed(tmp_path):
    """A knowledge base that yields nothing used to give "score 0, low" without a word."""
    broken = tmp_path / "broken.json"
    broken.write_text("{broken")
    fleet = ROOT / "core" / "data" / "demo" / "fleet.json"
    with pytest.raises(exposure.KnowledgeIncompleteError, match="it yields nothing") as caught:
        exposure.assess(kb=[broken], inventory=fleet)
    assert caught.value.report["records_skipped"] == 1
    a = exposure.assess(kb=[broken], inventory=fleet, allow_partial=True)
    assert a.knowledge == {"advisories": 0, "kev_entries": 0, "epss_scores": 0, "vex_statements": 0}
    [report] = a.knowledge_reports
    assert report["input"] == str(broken)
    assert report["problems"][0]["message"].startswith("not JSON")
    assert a.inventory_reports[0]["records_loaded"] == a.to_dict()["inventory_reports"][0]["records_loaded"] > 0
    assert a.to_dict()["knowledge_reports"] == a.knowledge_reports
    # The demo states what it was made against.
    assert exposure.assess(demo=True).knowledge["advisories"] == 10
    engine = exposure.Engine()
    with pytest.raises(exposure.KnowledgeIncompleteError):
        engine.load(broken)
    assert engine.load(broken, allow_partial=True)["problem_count"] == 1
