"""Exceptions through the Python package: a path, a dict or text; their outcomes, the hidden
recommendations and the removed findings; the errors of a bad set."""

import pathlib

import pytest

import exposure

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "exceptions.yaml"
DEMO_FLEET = ROOT / "core" / "data" / "demo" / "fleet.json"


def one(**fields):
    exception = {"requester": "r", "reason": "x", "created": "2026-01-01"}
    exception.update(fields)
    return {"format": "exposure-exceptions/1", "exceptions": [exception]}


def test_example_file_applies_on_the_demo():
    a = exposure.assess(demo=True, as_of="2026-12-04", exceptions=EXAMPLE)
    assert [e["status"] for e in a.exceptions] == ["applied"] * 4
    assert [x["exceptions"] for x in a.excepted_recommendations] == [["EXC-2026-003"], ["EXC-2026-004"]]
    removed = [s for s in a.suppressed if "exception" in s]
    assert {s["exception"]["id"] for s in removed} == {"EXC-2026-001", "EXC-2026-002"}
    assert [r.rank for r in a.recommendations] == list(range(1, len(a.recommendations) + 1))
    plain = exposure.assess(demo=True, as_of="2026-12-04")
    assert a.score < plain.score
    assert a.to_dict()["exceptions"][0]["id"] == "EXC-2026-001"


def test_expiry_and_the_as_of_day():
    set_ = one(id="e", scope={"cve": "CVE-2023-39325"}, justification="alternate_mitigation", expires="2026-12-31")
    status = lambda day: exposure.assess(demo=True, as_of=day, exceptions=set_).exceptions[0]["status"]
    assert status("2026-12-31") == "applied"
    assert status("2027-01-01") == "expired"
    assert status(None) == "not_judged"


def test_text_engine_and_groups():
    engine = exposure.Engine.demo()
    yaml = (
        "format: exposure-exceptions/1\nexceptions:\n"
        "  - {id: h, scope: {software: {ecosystem: npm, name: lodash}}, groups: [engineering],"
        " justification: risk_accepted, requester: r, reason: x, created: 2026-01-01}\n"
    )
    engine.set_exceptions(yaml)
    a = engine.assess_demo_fleet()
    assert a.excepted_recommendations[0]["exceptions"] == ["h"]
    assert a.exceptions[0]["devices"] == ["build-01"]
    # Per call, overriding the engine's own; None removes them.
    b = engine.assess_json(DEMO_FLEET.read_text(), exceptions=one(id="n", scope={"recommendation": "update:npm:nothing"}, justification="risk_accepted"))
    assert b.exceptions[0]["status"] == "not_matched"
    engine.set_exceptions(None)
    assert engine.assess_demo_fleet().exceptions == []
    assert [g["group"] for g in a.groups] == ["engineering", "production", "web", "workstations"]


@pytest.mark.parametrize("fields,kind,path", [
    ({"id": "a", "scope": {"cve": "X"}, "justification": "because"}, "unknown_justification", "exceptions[0].justification"),
    ({"id": "a", "scope": {"device": "X"}, "justification": "risk_accepted"}, "unknown_scope", "exceptions[0].scope.device"),
    ({"id": "", "scope": {"cve": "X"}, "justification": "risk_accepted"}, "empty_id", "exceptions[0].id"),
    ({"id": "a", "scope": {"cve": "X"}, "justification": "risk_accepted", "expires": "2025-12-31"}, "expires_before_created", "exceptions[0].expires"),
    ({"id": "a", "scope": {"cve": "X"}, "justification": "risk_accepted", "expires": "2026-13-01"}, "bad_date", "exceptions[0].expires"),
])
def test_bad_sets_raise_located_errors(fields, kind, path):
    with pytest.raises(exposure.ExceptionSetError) as caught:
        exposure.assess(demo=True, exceptions=one(**fields))
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.kind, error.path, error.index) == (kind, path, 0)
    assert error.exception_id == (fields["id"] or None)


def test_duplicate_ids_name_both():
    set_ = one(id="a", scope={"cve": "X"}, justification="risk_accepted")
    set_["exceptions"].append(dict(set_["exceptions"][0]))
    with pytest.raises(exposure.ExceptionSetError, match=r"first at exceptions\[0\]") as caught:
        exposure.Engine.demo().set_exceptions(set_)
    assert (caught.value.kind, caught.value.index, caught.value.exception_id) == ("duplicate_id", 1, "a")
