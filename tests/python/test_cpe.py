"""CPE names, NVD applicability and name normalisation through the Python binding, on the
shared vectors in tests/vectors/ (the same files the Rust and C tests read)."""

import json
import pathlib

import pytest

import exposure
from conftest import needs

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
    assert best == ("cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*", pytest.approx(1.0), "alias:vendor+alias:product")
    assert exposure.guess_cpe("Acme Widgets Ltd.", "Widget Studio", "2.0") == []


def test_name_program_tells_kinds_and_names_with_rules():
    hotfix = exposure.name_program("Microsoft Corporation", "Security Update for Windows XP (KB2079403)", "1")
    assert (hotfix["kind"], hotfix["kind_rule"], hotfix["candidates"]) == ("update", "kb-number", [])
    java = exposure.name_program("Oracle", "Java(TM) 6 Update 31", "6.0.310")
    assert java["kind"] == "application"
    best = java["candidates"][0]
    assert best["cpe"] == "cpe:2.3:a:oracle:jre:1.6.0:update31:*:*:*:*:*:*"
    assert (best["rule"], best["version_rule"]) == ("alias:vendor+alias:product", "version:java-update")
    assert exposure.name_program("", "GPL Ghostscript 8.54", "")["version"] == "8.54"
    with pytest.raises(ValueError):
        exposure.name_program("x", " ", "1")


def test_engine_names_programs_against_its_nvd_knowledge(shared):
    engine = exposure.Engine()
    engine.load(shared("data/nvd/json-1.1/nvdcve-1.1-2017.json.gz"))
    # No alias rule knows Symantec; NVD's 2017 configurations name symantec:endpoint_protection.
    assert exposure.name_program("Symantec Corporation", "Symantec Endpoint Protection", "12.1.1000.157")["candidates"] == []
    named = engine.name_program("Symantec Corporation", "Symantec Endpoint Protection", "12.1.1000.157")
    best = named["candidates"][0]
    assert best["cpe"] == "cpe:2.3:a:symantec:endpoint_protection:12.1.1000.157:*:*:*:*:*:*:*"
    assert best["rule"] == "vocabulary:vendor+vocabulary:product" and best["confidence"] >= 0.9


def test_findings_frame_carries_the_naming_evidence(shared, tmp_path):
    import tarfile

    pandas = needs("pandas")
    engine = exposure.Engine()
    engine.load(shared("data/nvd/json-1.1/nvdcve-1.1-2017.json.gz"))
    with tarfile.open(shared("data/inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz")) as tar:
        export = tar.extractfile("glpi-agent/resources/win32/registry/xp-Uninstall.reg").read()
    path = tmp_path / "xp-Uninstall.reg"
    path.write_bytes(export)
    frame = engine.assess_path(path).to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    symantec = frame[frame["software"] == "Symantec Endpoint Protection"]
    assert len(symantec) > 0
    row = symantec.iloc[0]
    assert row["cpe"] == "cpe:2.3:a:symantec:endpoint_protection:12.1.1000.157:*:*:*:*:*:*:*"
    assert (row["cpe_rule"], int(row["cpe_confidence"])) == ("vocabulary:vendor+vocabulary:product", 95)
    firefox = frame[frame["software"].str.startswith("Mozilla Firefox")].iloc[0]
    assert firefox["cpe_rule"] == "alias:vendor+alias:product"
