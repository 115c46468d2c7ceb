"""The secure configuration section through the Python binding."""

import json

import pytest

import exposure


def fleet(status):
    return json.dumps({"devices": [{
        "id": "d",
        "internet_facing": True,
        "alerts": ["CVE-2021-44906"],
        "software": [{"purl": "pkg:npm/minimist@1.2.5", "last_used": "never"}],
        "configuration": [
            {"id": "no-args", "title": "T", "status": status, "weight": 2,
             "mitigates": ["CVE-2021-44906"], "remediation": "Do it."},
            {"id": "other", "title": "O", "status": "pass"},
            {"id": "na", "title": "N", "status": "not_applicable"},
        ],
    }]})


def test_demo_configuration_section():
    a = exposure.assess(demo=True)
    config = a.configuration
    assert config == a.to_dict()["configuration"]
    assert 0 <= config["organisation"] <= 100
    assert [d["device_id"] for d in config["devices"]] == [d["device_id"] for d in a.devices]
    ranks = [r["rank"] for r in config["recommendations"]]
    assert ranks == list(range(1, len(ranks) + 1))
    first = config["recommendations"][0]
    assert first["check_id"] == "gw-http2-disabled"
    assert first["exposure_impact"] > 0
    assert all(f.mitigated_by is None for f in a.findings)


def test_a_passing_check_mitigates_and_the_impacts_are_exact():
    engine = exposure.Engine.demo()
    open_ = engine.assess_json(fleet("fail"), "f.json")
    closed = engine.assess_json(fleet("pass"), "f.json")
    [r] = open_.configuration["recommendations"]
    assert r["devices"] == ["d"] and r["mitigates"] == ["CVE-2021-44906"]
    assert r["configuration_impact"] == pytest.approx(
        closed.configuration["organisation"] - open_.configuration["organisation"], abs=1e-9)
    assert r["exposure_impact"] == pytest.approx(open_.score - closed.score, abs=1e-9)
    assert closed.findings[0].mitigated_by == "no-args"
    assert closed.findings[0].risk == open_.findings[0].risk
    assert closed.score == 0
    assert open_.configuration["devices"][0] == {
        "device_id": "d", "score": pytest.approx(100 / 3), "passed": 1, "failed": 1,
        "not_applicable": 1}


def test_no_checks_no_score():
    a = exposure.Engine.demo().assess_json(
        json.dumps({"devices": [{"id": "d", "software": [{"purl": "pkg:npm/minimist@1.2.5"}]}]}),
        "f.json")
    assert a.configuration == {"organisation": None, "devices": [], "groups": [],
                               "recommendations": []}
