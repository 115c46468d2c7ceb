"""Explanations (a device's findings by marginal contribution, the organisation's devices by
contribution) and model parameters through the Python binding."""

import json

import pytest

import exposure


def test_device_explanation_of_the_demo_gateway():
    a = exposure.assess(demo=True)
    e = a.explain("api-gw-01")
    assert e["device_id"] == "api-gw-01"
    assert e["model_version"] == "exposure-model/1.0"
    device = next(d for d in a.devices if d["device_id"] == "api-gw-01")
    assert e["score"] == device["score"]
    findings = e["findings"]
    assert len(findings) == device["findings"]
    marginals = [f["marginal"] for f in findings]
    assert marginals == sorted(marginals, reverse=True)
    assert sum(marginals) == pytest.approx(e["marginal_sum"])
    assert e["marginal_sum"] <= e["score"] + 1e-9  # noisy-OR: the marginals sum to less
    assert sum(f["share"] for f in findings) == pytest.approx(1.0)
    first = findings[0]
    assert first["set_by"] == "alert" and first["likelihood_rule"] == "active_alert"
    assert first["risk"] == pytest.approx(first["impact"] * first["likelihood"])
    # The likelihood's steps: the base's evidence, then each rule with its parameter and L.
    steps = first["likelihood_steps"]
    assert "kind" in steps[0]
    assert all({"rule", "parameter", "likelihood"} <= set(s) for s in steps[1:])
    assert findings[1]["set_by"] == "internet-facing odds ×3"


def test_marginals_are_the_score_without_the_finding():
    a = exposure.assess(demo=True)
    for device in a.devices:
        e = a.explain(device["device_id"])
        for i, f in enumerate(e["findings"]):
            survive = 1.0
            for j, g in enumerate(e["findings"]):
                if j != i and "mitigated_by" not in g:
                    survive *= 1.0 - g["risk"]
            assert e["score"] - 100.0 * (1.0 - survive) == pytest.approx(f["marginal"], abs=1e-9)


def test_organisation_explanation_sums_to_the_score():
    a = exposure.assess(demo=True)
    org = a.explain()
    assert org["score"] == a.score
    contributions = [d["contribution"] for d in org["devices"]]
    assert contributions == sorted(contributions, reverse=True)
    assert sum(contributions) == pytest.approx(a.score, abs=1e-9)
    assert {d["device_id"] for d in org["devices"]} == {d["device_id"] for d in a.devices}


def test_unknown_device_is_a_key_error():
    a = exposure.assess(demo=True)
    with pytest.raises(KeyError, match="no-such"):
        a.explain("no-such")
    with pytest.raises(KeyError):
        a.explain_dataframe("no-such")


def test_explanations_as_data_frames():
    pandas = pytest.importorskip("pandas")
    a = exposure.assess(demo=True)
    device = a.explain_dataframe("api-gw-01")
    assert isinstance(device, pandas.DataFrame)
    assert list(device["advisory_id"]) == [f["advisory_id"] for f in a.explain("api-gw-01")["findings"]]
    for column in ("impact", "likelihood", "set_by", "risk", "marginal", "share"):
        assert column in device.columns
    org = a.explain_dataframe()
    assert list(org["device_id"]) == [d["device_id"] for d in a.explain()["devices"]]
    assert org["contribution"].sum() == pytest.approx(a.score)


def test_default_parameters_and_overrides():
    defaults = exposure.default_parameters()
    assert defaults["version"] == "exposure-model/1.0"
    assert exposure.assess(demo=True).parameters == defaults
    changed = dict(defaults, version="acme/1", internet_facing_odds=1.0)
    a = exposure.assess(demo=True, parameters=changed)
    assert a.parameters["version"] == "acme/1"
    assert a.to_dict()["model_version"] == "acme/1"
    assert a.score < exposure.assess(demo=True).score
    # JSON text, and only the fields to change.
    b = exposure.assess(demo=True, parameters=json.dumps({"version": "acme/2"}))
    assert b.parameters["version"] == "acme/2"
    assert b.parameters["kev_floor"] == defaults["kev_floor"]


def test_engine_parameters():
    engine = exposure.Engine.demo(parameters={"version": "acme/3", "kev_floor": 0.6})
    assert engine.parameters["kev_floor"] == 0.6
    assert engine.assess_demo_fleet().parameters["version"] == "acme/3"
    engine.set_parameters('{"version": "acme/4"}')
    assert engine.assess_demo_fleet().parameters["version"] == "acme/4"
    assert exposure.Engine(parameters={"unknown_impact": 0.4}).parameters["unknown_impact"] == 0.4


@pytest.mark.parametrize("bad, needle", [
    ({"kev_floor": 1.5}, "kev_floor is 1.5"),
    ({"kev_flor": 0.5}, "kev_flor"),
    ("{not json", "model parameters"),
])
def test_bad_parameters_raise_value_error(bad, needle):
    with pytest.raises(ValueError, match=needle) as raised:
        exposure.assess(demo=True, parameters=bad)
    assert isinstance(raised.value, exposure.ExposureError)
    assert raised.value.kind == "parameters"
    with pytest.raises(ValueError, match=needle):
        exposure.Engine(parameters=bad)
    engine = exposure.Engine.demo()
    with pytest.raises(ValueError, match=needle):
        engine.set_parameters(bad)
    assert engine.parameters == exposure.default_parameters()  # left as it was
