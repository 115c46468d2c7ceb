"""CPE names, NVD applicability and name normalisation through the Python binding, on the
shared vectors in tests/vectors/ (the same files the Rust and C tests read)."""

import json
import pathlib

import pytest

import exposure

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors"


def rows(name, minimum):
    """The cases of a vector file; fewer than `minimum` (its data rows) fails the collection,
    so that an empty, truncated or wrongly filtered file cannot pass by running nothing."""
    lines = (VECTORS / name).read_text(encoding="utf-8").splitlines()
    cases = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert len(cases) >= minimum, f"{name}: {len(cases)} cases, at least {minimum} expected"
    return cases


@pytest.mark.parametrize("text,fs,uri", rows("cpe-bindings.tsv", 11))
def test_bindings(text, fs, uri):
    name = exposure.Cpe(text)
    assert name.to_fs() == fs == str(name)
    assert name.to_uri() == uri
    assert exposure.Cpe(name.to_wfn()) == name == exposure.Cpe(uri)
    assert hash(exposure.Cpe(fs)) == hash(name)


@pytest.mark.parametrize("source,target,relation", rows("cpe-compare.tsv", 13))
def test_relations(source, target, relation):
    s, t = exposure.Cpe(source), exposure.Cpe(target)
    assert s.compare(t) == relation
    assert s.matches(t) == (relation in ("EQUAL", "SUPERSET"))


@pytest.mark.parametrize("text,offset", rows("cpe-invalid.tsv", 12))
def test_invalid_names_raise_typed_errors(text, offset):
    with pytest.raises(exposure.CpeError) as caught:
        exposure.Cpe(text)
    assert caught.value.offset == int(offset)
    assert caught.value.input == text
    assert isinstance(caught.value, ValueError)


def test_attributes():
    name = exposure.Cpe("cpe:2.3:a:microsoft:internet_explorer:8.*:-:*:*:*:*:*:*")
    assert name.get("version") == "8\\.*"
    assert name.get("update") == "NA"
    assert name.get("edition") == "ANY"
    with pytest.raises(exposure.CpeError):
        name.get("colour")


def test_applicability_running_on_a_platform():
    configurations = [
        {"operator": "AND", "nodes": [
            {"operator": "OR", "cpeMatch": [{"vulnerable": True, "criteria": "cpe:2.3:a:microsoft:edge:-:*:*:*:*:*:*:*"}]},
            {"operator": "OR", "cpeMatch": [{"vulnerable": False, "criteria": "cpe:2.3:o:microsoft:windows_10:*:*:*:*:*:*:*:*"}]},
        ]},
    ]
    statement = exposure.Applicability(json.dumps(configurations))
    edge = exposure.Cpe("cpe:2.3:a:microsoft:edge:-:*:*:*:*:*:*:*")
    windows = exposure.Cpe("cpe:/o:microsoft:windows_10:1607")
    evidence = statement.evaluate([edge, windows])
    assert evidence is not None
    assert {e["vulnerable"] for e in evidence} == {True, False}
    assert statement.evaluate([edge]) is None
    with pytest.raises(exposure.CpeError):
        exposure.Applicability('{"nodes": 3}')


def test_guess():
    best = exposure.guess_cpe("Mozilla", "Mozilla Firefox (x64 en-US)", "121.0")[0]
    assert best == ("cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", pytest.approx(0.95), "alias:vendor+product")
    assert exposure.guess_cpe("Acme Widgets Ltd.", "Widget Studio", "2.0") == []
