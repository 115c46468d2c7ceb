"""The knowledge base's metadata and age through the Python binding."""

import calendar
import pathlib

import exposure

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO_KB = ROOT / "core" / "data" / "demo" / "advisories.osv.json"
DEMO_KEV = ROOT / "core" / "data" / "demo" / "kev.json"

# The newest date of the demo feeds (an OSV record's `published`), as Unix seconds.
AS_OF = calendar.timegm((2023, 10, 17, 20, 15, 0))


def test_metadata_names_every_source_with_its_dates():
    engine = exposure.Engine()
    engine.load(DEMO_KB)
    engine.load(DEMO_KEV)
    metadata = engine.kb_metadata()
    assert metadata["built_at"] is None
    assert metadata["as_of"] == "2023-10-17T20:15:00Z"
    rows = [(s["source"], s["format"], s["records"]) for s in metadata["sources"]]
    assert rows == [(str(DEMO_KB), "OSV", 10), (str(DEMO_KEV), "KEV/EPSS", 1)]
    assert metadata["sources"][1]["feed_timestamp"] == "2023-10-10T00:00:00.000Z"


def test_age_warns_when_older_than_allowed_or_unknown(tmp_path):
    engine = exposure.Engine.demo()
    age = engine.kb_age(now=AS_OF + 86_400, max_age=3_600)
    assert age["age_seconds"] == 86_400
    assert age["max_age_seconds"] == 3_600
    assert age["warning"].startswith("the knowledge base is 1d old")
    assert engine.kb_age(now=AS_OF + 86_400, max_age=10 * 86_400)["warning"] is None
    # Within two days the knowledge is fresh, but its KEV catalogue is 8 days old.
    within_two_days = engine.kb_age(now=AS_OF + 86_400, max_age=2 * 86_400)
    assert within_two_days["warning"].startswith("the KEV/EPSS feed demo:kev.json is 8d 20h old")
    # By the clock (the demo is years old) with the default of seven days.
    assert engine.kb_age()["max_age_seconds"] == 7 * 86_400
    assert engine.kb_age()["warning"] is not None
    # Nothing dated: the age is unknown, which is a warning too.
    empty = exposure.Engine()
    unknown = empty.kb_age(now=0)
    assert unknown["age_seconds"] is None and "unknown" in unknown["warning"]


def test_a_snapshot_keeps_the_metadata(tmp_path):
    engine = exposure.Engine.demo()
    snapshot = tmp_path / "kb.bin"
    engine.save(snapshot)
    again = exposure.Engine()
    again.load(snapshot)
    assert again.kb_metadata() == engine.kb_metadata()


def test_assess_checks_the_age_of_the_knowledge_and_of_each_feed():
    def knowledge_age(**check):
        return exposure.assess(demo=True, kb=[DEMO_KB, DEMO_KEV], **check).knowledge_age

    # Not asked: nothing said.
    assert knowledge_age() is None
    # The demo's newest record is a day old: fresh within two days, but its KEV catalogue
    # (dateReleased 2023-10-10) is eight days old beside it, which is warned about.
    age = knowledge_age(max_kb_age=2 * 86_400, now=AS_OF + 86_400)
    assert age["age_seconds"] == 86_400
    assert [(s["format"], s["feed_timestamp"]) for s in age["stale_sources"]] == [
        ("KEV/EPSS", "2023-10-10T00:00:00.000Z")
    ]
    assert age["stale_sources"][0]["age_seconds"] > 7 * 86_400
    assert "KEV/EPSS feed" in age["warning"] and "beside fresher sources" in age["warning"]
    # Everything within a month: no warning.
    fresh = knowledge_age(max_kb_age=30 * 86_400, now=AS_OF + 86_400)
    assert fresh["warning"] is None and fresh["stale_sources"] == []
