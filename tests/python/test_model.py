"""The exposure model 1.0 through the Python binding: each finding's likelihood steps and the
context that moves them, as data."""

import json

import pytest

import exposure


def device(**context):
    return {"id": "d", "software": [{"purl": "pkg:npm/minimist@1.2.5"}], **context}


def assess(*devices):
    return exposure.Engine.demo().assess_json(json.dumps({"devices": list(devices)}), "f.json")


def steps(assessment, index=0):
    return assessment.to_dict()["findings"][index]["likelihood_steps"]


def test_every_assessment_records_the_model_it_was_made_with():
    a = exposure.assess(demo=True).to_dict()
    assert a["model_version"] == "exposure-model/1.0"
    assert a["parameters"]["version"] == "exposure-model/1.0"
    assert a["parameters"]["kev_floor"] == 0.8
    assert a["priors_version"] == "exposure-priors/1"
    assert "as_of" not in a
    assert exposure.assess(demo=True, as_of="2026-12-04").to_dict()["as_of"] == "2026-12-04"


def test_the_base_is_a_fitted_prior_named_by_its_class():
    base = steps(assess(device()))[0]
    assert base["kind"] == "prior"
    assert base["class"].startswith("AV:N/PR:N/UI:N")
    assert base["class_size"] >= 30
    assert 0 < base["probability"] < 0.2


def test_context_moves_the_likelihood_in_the_documented_direction():
    plain = assess(device()).findings[0].to_dict()
    exposed = assess(device(internet_facing=True)).findings[0].to_dict()
    alerted = assess(device(alerts=["CVE-2021-44906"])).findings[0].to_dict()
    never = assess({**device(), "software": [
        {"purl": "pkg:npm/minimist@1.2.5", "last_used": "never"}]}).findings[0].to_dict()
    assert exposed["likelihood"] > plain["likelihood"]
    assert exposed["likelihood_rule"] == "internet_facing"
    assert never["likelihood"] < plain["likelihood"]
    assert never["likelihood_rule"] == "never_run"
    assert (alerted["likelihood"], alerted["likelihood_rule"]) == (1.0, "active_alert")
    assert alerted["risk"] == pytest.approx(alerted["impact"])


def test_kev_sets_the_floor_in_the_demo():
    a = exposure.assess(demo=True)
    rapid_reset = [f.to_dict() for f in a.findings if f.advisory_id == "GO-2023-2102"]
    assert rapid_reset, "the demo's gateway runs golang.org/x/net before 0.17.0"
    rules = [s.get("rule") for s in rapid_reset[0]["likelihood_steps"][1:]]
    assert "kev" in rules
    assert rapid_reset[0]["likelihood"] >= a.to_dict()["parameters"]["kev_floor"]


def test_the_findings_frame_names_the_rules():
    pytest.importorskip("pandas")
    frame = exposure.assess(demo=True).to_dataframe()
    assert {"impact_source", "likelihood_rule"} <= set(frame.columns)
    assert set(frame["impact_source"]) <= {"cvss_v4", "cvss_v3", "cvss_v2", "severity_word",
                                           "assumed"}
