"""The history layer from Python: records (JSON and binary round trips), their diff and
timeline, the views as DataFrames, remediation activities and the CLI's store read
read-only into DataFrames. Data: the embedded demo fleet (five devices in the groups
production, web, engineering, workstations) assessed on two days, the second with
`examples/exceptions.yaml`; stores written by the `exposure` CLI."""

import json
import shutil
import sqlite3
import subprocess

import pytest

import exposure
from conftest import ROOT, cli_binary

pd = pytest.importorskip("pandas")

EXCEPTIONS = ROOT / "examples" / "exceptions.yaml"
DAY1 = "2026-12-01"
DAY2 = "2026-12-04"


@pytest.fixture(scope="module")
def day1():
    return exposure.assess(demo=True, as_of=DAY1).record()


@pytest.fixture(scope="module")
def day2():
    return exposure.assess(demo=True, as_of=DAY2, exceptions=str(EXCEPTIONS)).record()


# --- records -----------------------------------------------------------------------------


def test_record_round_trips_through_bytes_and_json(day1, day2):
    for record in (day1, day2):
        data = record.to_bytes()
        assert isinstance(data, bytes) and data.startswith(b"EXPOSURE-REC")
        assert exposure.Record.from_bytes(data) == record
        assert exposure.Record.from_json(record.to_json()) == record
        assert json.loads(record.to_json()) == record.to_dict()
    assert day1 != day2


def test_record_properties_match_the_assessment():
    a = exposure.assess(demo=True, as_of=DAY1)
    r = a.record()
    assert r.format == "exposure-record/1"
    assert r.as_of == DAY1
    assert r.score == pytest.approx(a.score) and r.level == a.level
    assert r.device_count == 5 == len(a.devices)
    assert r.finding_count == len(a.findings) == 11
    assert r.recommendation_count == len(a.recommendations)
    assert r.suppressed_count == 0
    assert r.groups == ["engineering", "production", "web", "workstations"]
    assert r.knowledge == a.knowledge
    assert "score=" in repr(r)


def test_every_way_of_assessing_holds_its_record():
    engine = exposure.Engine.demo()
    assert engine.assess_demo_fleet().record().device_count == 5
    assert exposure.assess(demo=True).record().as_of is None


def test_bad_record_bytes_and_json_raise_record_error(day1):
    with pytest.raises(exposure.RecordError) as e:
        exposure.Record.from_bytes(b"not a record at all")
    assert e.value.kind == "not_a_record"
    data = bytearray(day1.to_bytes())
    data[-1] ^= 0xFF
    with pytest.raises(exposure.RecordError) as e:
        exposure.Record.from_bytes(bytes(data))
    assert e.value.kind == "corrupted"
    with pytest.raises(exposure.RecordError) as e:
        exposure.Record.from_bytes(bytes(data[:-5]))
    assert e.value.kind == "truncated"
    other = json.loads(day1.to_json())
    other["format"] = "exposure-record/99"
    with pytest.raises(exposure.RecordError) as e:
        exposure.Record.from_json(json.dumps(other))
    assert e.value.kind == "format" and "exposure-record/99" in str(e.value)
    assert isinstance(e.value, exposure.ExposureError)


# --- diff and timeline -------------------------------------------------------------------


def suppressed_pairs(record):
    d = record.to_dict()
    return {(d["devices"][s["device"]]["id"], s["advisory_id"]) for s in d["suppressed"]}


def test_diff_shows_the_findings_the_exceptions_suppressed(day1, day2):
    # Day 2 applies the exceptions: third-party control (EXC-2026-001, CVE-2023-39325 in
    # production) and alternate mitigation (EXC-2026-002, CVE-2023-45803 in web) remove
    # findings; nothing else changed, so the diff lists exactly those as suppressed, and
    # none as fixed (an accepted risk is not a patch).
    assert day1.suppressed_count == 0 and day2.suppressed_count == 3
    diff = day1.diff(day2)
    assert diff["fixed_findings"] == []
    suppressed = {(f["device"], f["advisory"]) for f in diff["suppressed_findings"]}
    assert suppressed == suppressed_pairs(day2)
    assert {d for d, _ in suppressed} == {"api-gw-01", "web-01", "web-02"}
    assert diff["new_findings"] == [] and diff["software"] == []
    assert diff["devices_added"] == [] and diff["devices_gone"] == []
    assert (diff["as_of_before"], diff["as_of_after"]) == (DAY1, DAY2)
    org = diff["organisation"]
    assert org["before"] == pytest.approx(day1.score)
    assert org["after"] == pytest.approx(day2.score)
    assert org["change"] == pytest.approx(day2.score - day1.score)
    # The causes' sequential effects sum to the change.
    assert sum(c["effect"] for c in org["causes"]) == pytest.approx(org["change"])
    # The reverse diff brings them back as new findings.
    back = day2.diff(day1)
    assert {(f["device"], f["advisory"]) for f in back["new_findings"]} == suppressed
    assert day1.diff(day1)["fixed_findings"] == []
    assert day1.diff(day1)["suppressed_findings"] == []


def test_changes_and_timeline_name_the_events(day1, day2):
    changes = day1.changes(day2)
    assert changes["diff"] == day1.diff(day2)
    kinds = [e["kind"] for e in changes["events"]]
    # The exceptions lowered the score; suppressing is not fixing, so no advisory is "fixed".
    assert "vulnerability_fixed" not in kinds
    assert "exposure_score_change" in kinds
    rows = exposure.timeline_rows([day1, day2])
    assert rows == changes["events"]
    frame = exposure.timeline([day1, day2])
    assert list(frame.columns) == [
        "kind", "date", "advisory", "cves", "software", "devices", "score_change", "before", "after",
    ]
    assert all(set(row) == set(frame.columns) for row in rows)
    assert len(frame) == len(rows) and set(frame["date"]) == {DAY2}
    assert exposure.timeline_rows([day1, day2], since="2026-12-05") == []
    assert exposure.timeline_rows([day1]) == []
    with pytest.raises(ValueError):
        exposure.timeline_rows([day1, day2], since="yesterday")


# --- views -------------------------------------------------------------------------------

VIEW_COLUMNS = {
    "software": [
        "ecosystem", "product", "name", "vendor", "versions", "installed_on", "exposed_devices",
        "weaknesses", "known_exploited", "exploit_maturity", "max_epss", "impact", "support",
        "support_ends",
    ],
    "weaknesses": [
        "id", "cves", "summary", "severity", "cvss_score", "epss", "known_exploited",
        "exploit_maturity", "published", "exposed_devices", "devices", "software", "fix", "impact",
    ],
    "devices": [
        "id", "name", "score", "level", "value", "weight", "groups", "internet_facing", "findings",
        "exposed_findings", "software", "secure_score", "top_recommendations", "last_assessed",
    ],
    "recommendations": [
        "id", "rank", "action", "ecosystem", "software", "text", "target_version", "impact",
        "findings", "devices", "known_exploited",
    ],
}
ROWS = {
    "software": "software_rows",
    "weaknesses": "weakness_rows",
    "devices": "device_rows",
    "recommendations": "recommendation_rows",
}


@pytest.mark.parametrize("view", sorted(VIEW_COLUMNS))
def test_views_are_dataframes_with_their_columns(day1, view):
    frame = getattr(day1, view)()
    rows = getattr(day1, ROWS[view])()
    assert list(frame.columns) == VIEW_COLUMNS[view]
    # The declared columns are exactly the rows' fields.
    assert all(set(row) == set(VIEW_COLUMNS[view]) for row in rows)
    assert len(frame) == len(rows) > 0


def test_views_on_the_demo_fleet(day1):
    devices = day1.devices()
    assert list(devices["id"]) == ["api-gw-01", "web-01", "build-01", "dev-laptop-07", "web-02"]
    assert list(devices["findings"]) == [2, 2, 3, 3, 1]
    assert devices["score"].is_monotonic_decreasing
    assert devices.set_index("id").loc["web-01", "groups"] == ["production", "web"]
    assert all(len(t) <= 3 for t in devices["top_recommendations"])
    assert all(len(t) <= 1 for t in day1.devices(top=1)["top_recommendations"])
    weaknesses = day1.weaknesses()
    assert len(weaknesses) == 10 and weaknesses["id"].is_unique
    recommendations = day1.recommendations()
    assert len(recommendations) == day1.recommendation_count
    assert sorted(recommendations["rank"]) == list(range(1, len(recommendations) + 1))
    assert "update:npm:lodash" in set(recommendations["id"])


def test_group_filter_keeps_the_groups_devices(day1):
    production = day1.devices(group="production")
    assert list(production["id"]) == ["api-gw-01", "web-01", "web-02"]
    assert all("production" in g for g in production["groups"])
    engineering = day1.recommendations(group="engineering")
    assert "update:npm:lodash" in set(engineering["id"])  # build-01's
    assert "update:Go:golang.org/x/net" not in set(engineering["id"])  # api-gw-01's
    assert len(day1.software(group="production")) == 5
    assert len(day1.weaknesses(group="production")) == 4
    # A group the fleet does not have is an empty view, with its columns.
    empty = day1.software(group="no-such-group")
    assert len(empty) == 0 and list(empty.columns) == VIEW_COLUMNS["software"]


def test_dashboard_over_a_history(day1, day2):
    board = exposure.dashboard([day1, day2])
    assert board["as_of"] == DAY2 and board["devices"] == 5
    assert board["score"] == pytest.approx(day2.score)
    assert [p["as_of"] for p in board["trend"]] == [DAY1, DAY2]
    assert [p["score"] for p in board["trend"]] == pytest.approx([day1.score, day2.score])
    assert sum(board["distribution"].values()) == 5
    assert len(board["top_devices"]) <= 5 and len(exposure.dashboard([day1], top=2)["top_devices"]) == 2
    web = exposure.dashboard([day1, day2], group="web")
    assert web["group"] == "web" and web["devices"] == 2
    with pytest.raises(ValueError):
        exposure.dashboard([])


# --- remediation -------------------------------------------------------------------------


def test_create_activity_and_its_progress(day1, day2):
    activity = day1.create_activity(
        "update:PyPI:urllib3", id="T-42", created=DAY1, due="2026-12-03", priority="high",
        note="patch the web tier", groups=["web"],
    )
    assert activity["id"] == "T-42" and activity["priority"] == "high"
    assert activity["devices"] == ["web-01", "web-02"]
    assert activity["targets"] == {"devices": [], "groups": ["web"]}
    assert len(activity["baseline"]) == 2
    # Day 2 suppresses the urllib3 findings on the web tier (EXC-2026-002, alternate
    # mitigation): the devices no longer have them, so both are done and the activity completed.
    progress = exposure.activity_progress(activity, [day1, day2])
    assert len(progress["points"]) == 2 and progress["regressions"] == []
    first, last = progress["points"]
    assert (first["done"], first["remaining"], first["completed"]) == (0, 2, False)
    assert (last["done"], last["remaining"], last["completed"]) == (2, 0, True)
    assert progress["latest"] == last
    # A device done and open again counts again (a regression, listed once).
    again = exposure.activity_progress(json.dumps(activity), [day1, day2, day1])
    # (as of DAY1 again, before the due day: not overdue)
    assert again["latest"]["regressed"] == 2 and again["latest"]["overdue"] is False
    assert sorted(r["device"] for r in again["regressions"]) == ["web-01", "web-02"]
    frame = exposure.activity_progress_dataframe(activity, [day1, day2])
    assert list(frame["done"]) == [0, 2] and list(frame["as_of"]) == [DAY1, DAY2]
    assert frame.columns[0] == "activity"
    assert exposure.activity_progress_rows(activity, [day1]) == frame.head(1).to_dict("records")


def test_refused_activities_raise_remediation_error(day1):
    with pytest.raises(exposure.RemediationError) as e:
        day1.create_activity("update:npm:lodahs", id="T-1", created=DAY1)
    assert e.value.kind == "unknown_recommendation" and "update:npm:lodash" in e.value.near
    with pytest.raises(exposure.RemediationError) as e:
        day1.create_activity("update:npm:lodash", id=" ", created=DAY1)
    assert e.value.kind == "empty_id" and e.value.near == []
    with pytest.raises(exposure.RemediationError) as e:
        day1.create_activity("update:npm:lodash", id="T-1", created=DAY2, due=DAY1)
    assert e.value.kind == "due_before_creation"
    with pytest.raises(exposure.RemediationError) as e:
        day1.create_activity("update:npm:lodash", id="T-1", created=DAY1, groups=["web"])
    assert e.value.kind == "no_targeted_device"
    with pytest.raises(ValueError, match="priority"):
        day1.create_activity("update:npm:lodash", id="T-1", created=DAY1, priority="urgent")
    with pytest.raises(ValueError, match="created"):
        day1.create_activity("update:npm:lodash", id="T-1", created="soon")
    with pytest.raises(ValueError, match="remediation activity"):
        exposure.activity_progress({"id": "T-1"}, [day1])


# --- the store ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory, day1):
    """A store the CLI wrote: the demo assessed on DAY1 (label demo) and, after the exceptions
    were added, on DAY2; another label `lab` once; plus one remediation activity as the
    store keeps it (the CLI does not create activities yet: its JSON in `body`)."""
    cli = cli_binary()
    path = tmp_path_factory.mktemp("store") / "exposure.db"

    def run(*args):
        subprocess.run([cli, *args], check=True, capture_output=True, cwd=ROOT)

    run("assess", "--demo", "--db", str(path), "--as-of", DAY1)
    run("exceptions", "add", str(EXCEPTIONS), "--db", str(path))
    run("assess", "--demo", "--db", str(path), "--as-of", DAY2)
    run("assess", "--demo", "--db", str(path), "--as-of", DAY2, "--label", "lab")
    activity = day1.create_activity("update:PyPI:urllib3", id="T-42", created=DAY1, due="2026-12-03")
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO remediation_activities (recommendation_id, created_at, due, priority, "
            "note, targets, body, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)",
            (
                activity["recommendation_id"], "2026-12-01T09:00:00Z", activity["due"],
                activity["priority"], None, json.dumps(activity["targets"]), json.dumps(activity),
                "2026-12-01T09:00:00Z",
            ),
        )
    db.close()
    return path


def test_store_history_reads_into_dataframes(database, day1, day2):
    store = exposure.Store(database)
    assert store.path == str(database) and store.schema_version >= 1
    history = store.assessments()
    assert list(history.columns) == [
        "id", "recorded_at", "as_of", "label", "score", "level", "devices", "findings", "format",
        "payload_len",
    ]
    assert list(history["as_of"]) == [DAY1, DAY2, DAY2]
    assert list(history["label"]) == ["demo", "demo", "lab"]
    assert list(history["devices"]) == [5, 5, 5]
    assert list(history["format"]) == ["exposure-record/1"] * 3
    assert len(store.assessments(label="demo")) == 2
    assert list(store.assessments(since="2026-12-02")["as_of"]) == [DAY2, DAY2]
    # The records are those Python makes of the same assessments.
    records = store.records(label="demo")
    assert [r.as_of for r in records] == [DAY1, DAY2]
    assert records[0] == day1
    assert records[1].suppressed_count == day2.suppressed_count == 3
    assert records[1].score == pytest.approx(day2.score)
    assert store.record(int(history["id"][0])) == day1
    assert store.latest(label="demo") == records[1]
    assert store.latest().as_of == DAY2
    assert store.latest(label="nobody") is None
    with pytest.raises(exposure.StoreError) as e:
        store.record(999)
    assert e.value.kind == "no_such_assessment"
    # The store's history drives the timeline and the dashboard.
    assert exposure.timeline_rows(records) == exposure.timeline_rows([day1, day2])
    assert exposure.dashboard(records)["trend"][0]["as_of"] == DAY1


def test_store_exceptions_and_activities(database, day1, day2):
    store = exposure.Store(database)
    exceptions = store.exceptions()
    assert list(exceptions["id"]) == ["EXC-2026-001", "EXC-2026-002", "EXC-2026-003", "EXC-2026-004"]
    assert set(exceptions["status"]) == {"active"}
    assert exceptions.set_index("id").loc["EXC-2026-002", "exception"]["justification"] == "alternate_mitigation"
    assert len(store.exceptions(status="revoked")) == 0
    with pytest.raises(ValueError):
        store.exceptions(status="sleeping")
    activities = store.activities()
    assert list(activities["recommendation_id"]) == ["update:PyPI:urllib3"]
    assert list(activities["status"]) == ["open"]
    activity = activities["activity"][0]
    progress = exposure.activity_progress(activity, store.records(label="demo"))
    assert progress["latest"]["completed"] is True
    assert exposure.activity_progress(activity, [day1, day2]) == progress


def snapshot(path):
    """The database file's bytes (SQLite may add its -wal and -shm files beside a WAL
    database it reads; the database itself must not change)."""
    return path.read_bytes()


def test_missing_corrupt_and_newer_stores_raise_store_error_and_stay_as_they_were(tmp_path, database):
    missing = tmp_path / "missing.db"
    with pytest.raises(exposure.StoreError) as e:
        exposure.Store(missing)
    assert e.value.kind == "io" and e.value.path == str(missing)
    assert not missing.exists()

    corrupt = tmp_path / "corrupt" / "exposure.db"
    corrupt.parent.mkdir()
    corrupt.write_bytes(b"name,score\nweb-1,7.5\n" * 100)
    before = snapshot(corrupt)
    with pytest.raises(exposure.StoreError) as e:
        exposure.Store(corrupt)
    assert e.value.kind == "not_a_database" and "untouched" in str(e.value)
    assert snapshot(corrupt) == before

    # A real store with its pages damaged past the header.
    damaged = tmp_path / "damaged" / "exposure.db"
    damaged.parent.mkdir()
    shutil.copy(database, damaged)
    data = bytearray(damaged.read_bytes())
    data[4096:] = b"\xde\xad" * ((len(data) - 4096) // 2)
    damaged.write_bytes(bytes(data))
    before = snapshot(damaged)
    with pytest.raises(exposure.StoreError) as e:
        store = exposure.Store(damaged)
        store.assessments()
        store.records()
    assert e.value.kind in ("corrupt", "not_a_store", "sqlite")
    assert snapshot(damaged) == before

    newer = tmp_path / "newer" / "exposure.db"
    newer.parent.mkdir()
    shutil.copy(database, newer)
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA user_version = 99")
    db.close()
    before = snapshot(newer)
    with pytest.raises(exposure.StoreError) as e:
        exposure.Store(newer)
    assert e.value.kind == "newer_schema" and "99" in str(e.value)
    assert isinstance(e.value, exposure.ExposureError)
    assert snapshot(newer) == before


def test_a_payload_that_is_not_a_record_raises_store_error(tmp_path, database):
    path = tmp_path / "exposure.db"
    shutil.copy(database, path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE assessment_payloads SET payload = x'00010203' WHERE id = 1")
    db.close()
    store = exposure.Store(path)
    with pytest.raises(exposure.StoreError) as e:
        store.record(1)
    assert e.value.kind == "bad_record" and "assessment 1" in str(e.value)
    assert store.record(2).as_of == DAY2  # the others still read


def test_records_and_stores_are_shared_between_threads(database, day1, day2):
    from concurrent.futures import ThreadPoolExecutor

    store = exposure.Store(database)
    with ThreadPoolExecutor(4) as pool:
        histories = list(pool.map(lambda _: store.records(label="demo"), range(8)))
        diffs = list(pool.map(lambda _: day1.diff(day2), range(8)))
    assert all(h == histories[0] for h in histories)
    assert all(d == diffs[0] for d in diffs)
