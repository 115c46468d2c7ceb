"""Every option of the assessment use case through Python — distro, os_release, cpe_dictionary,
exceptions, device groups, parameters — on `exposure.assess` and the `Engine` methods alike,
against the shared data set where it matters, and the rich `Finding` objects."""

import pathlib

import pytest

import exposure

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO_FLEET = ROOT / "core" / "data" / "demo" / "fleet.json"
DICTIONARY = "data/nvd/cpe-dictionary/official-cpe-dictionary_v2.3-2015.xml.gz"
PROGRAMS = "DisplayName,Publisher,DisplayVersion\n" + "\n".join([
    '"FileZilla Client 3.10.3",Tim Kosse,3.10.3',
    '"PuTTY release 0.64",Simon Tatham,0.64',
    '"KeePass Password Safe 2.29",Dominik Reichl,2.29',
    '"IrfanView (remove only)",Irfan Skiljan,4.38',
])


def findings_of(a):
    return sorted((f.device_id, f.package, f.version, f.advisory_id, f.fix_state) for f in a.findings)


def test_a_debian_machine_named_by_distro_or_os_release_the_same_everywhere(shared):
    """The real dpkg status of a Debian 12 machine, whose release only its os-release file
    tells, against the Debian security tracker: 289 findings (as core/tests/distro_matching.rs
    finds) whichever way the release is given and whichever entry point assesses it."""
    tracker = shared("data/debian-osv/debian-osv-cve-dpkg-status-sources.tar.gz")
    status = shared("data/inventory-dpkg/dpkg-status-this-machine")
    os_release = shared("data/inventory-dpkg/os-release-this-machine")
    by_name = exposure.assess(kb=tracker, inventory=status, distro="debian-12")
    assert len(by_name.findings) == 289
    assert {f.ecosystem for f in by_name.findings} == {"Debian:12"}
    engine = exposure.Engine()
    engine.load(tracker)
    for a in (
        exposure.assess(kb=tracker, inventory=status, os_release=os_release),
        engine.assess_path(status, distro="bookworm"),
        engine.assess_path(status, os_release=os_release),
        engine.assess_json(status.read_text(), str(status), os_release=os_release),
    ):
        assert findings_of(a) == findings_of(by_name)
    will_not_fix = {f.advisory_id for f in by_name.findings if f.package == "apt" and f.fix_state == "will_not_fix"}
    assert "CVE-2011-3374" in will_not_fix
    # Without a release given, base-files names it: the same findings, and the load report
    # says it was detected; without base-files either, the host is reported as not assessed.
    detected = engine.assess_json(status.read_text(), str(status))
    assert findings_of(detected) == findings_of(by_name)
    assert detected.unassessed == []
    notes = detected.to_dict()["inventory_reports"][0]["notes"]
    assert notes and "release Debian:12 detected from base-files" in notes[0]
    stanzas = status.read_text().split("\n\n")
    without = "\n\n".join(s for s in stanzas if not s.startswith("Package: base-files\n"))
    blind = engine.assess_json(without, "status")
    assert blind.findings == [] and blind.unassessed[0]["packages"] == 408
    assert blind.gate("critical")["failed"]


def test_the_cpe_dictionary_names_programs_the_alias_rules_do_not(shared):
    dictionary = shared(DICTIONARY)
    engine = exposure.Engine.demo()

    def vendors(**options):
        a = engine.assess_json(PROGRAMS, "programs.csv", **options)
        return {row["vendor"] for row in a.record().software_rows()}

    plain = vendors()
    assert {"filezilla-project", "simon_tatham", "keepass"} <= plain and "irfanview" not in plain
    named = vendors(cpe_dictionary=dictionary)
    assert {"filezilla-project", "simon_tatham", "keepass", "irfanview"} <= named
    assert {row["vendor"] for row in exposure.assess(demo=True, inventory=_programs_file(dictionary.parent),
                                                     cpe_dictionary=dictionary).record().software_rows()} >= named - {None}


def _programs_file(directory):
    """PROGRAMS in a temporary file (the shared directory is read-only)."""
    import tempfile

    path = pathlib.Path(tempfile.mkdtemp()) / "programs.csv"
    path.write_text(PROGRAMS)
    return path


def test_device_groups_are_scored_and_framed():
    a = exposure.assess(demo=True)
    assert [g["group"] for g in a.groups] == ["engineering", "production", "web", "workstations"]
    frame = a.to_dataframe("groups")
    assert list(frame["group"]) == [g["group"] for g in a.groups]
    assert list(frame["devices"]) == [g["devices"] for g in a.groups]
    assert frame["score"].tolist() == pytest.approx([g["score"] for g in a.groups])
    assert str(frame["level"].dtype) == "category"


def test_parameters_on_assess_and_engine():
    parameters = {"version": "acme/1", "kev_floor": 0.9}
    via_function = exposure.assess(demo=True, parameters=parameters)
    via_engine = exposure.Engine.demo(parameters=parameters).assess_demo_fleet()
    for a in (via_function, via_engine):
        assert a.to_dict()["model_version"] == "acme/1"
        assert a.parameters["kev_floor"] == 0.9
    assert via_function.score == pytest.approx(via_engine.score)
    kev = next(f for f in via_function.findings if f.known_exploited)
    assert kev.likelihood >= 0.9
    with pytest.raises(exposure.ExposureError, match="kev_floor"):
        exposure.assess(demo=True, parameters={"kev_floor": 2})


def test_exceptions_on_every_entry_point():
    exceptions = ROOT / "examples" / "exceptions.yaml"
    by_function = exposure.assess(demo=True, as_of="2026-12-04", exceptions=exceptions)
    engine = exposure.Engine.demo()
    by_path = engine.assess_path(DEMO_FLEET, as_of="2026-12-04", exceptions=exceptions)
    by_text = engine.assess_json(DEMO_FLEET.read_text(), "fleet", as_of="2026-12-04", exceptions=str(exceptions))
    assert len(by_function.exceptions) == 4
    for a in (by_path, by_text):
        assert [x["status"] for x in a.exceptions] == [x["status"] for x in by_function.exceptions]
        assert findings_of(a) == findings_of(by_function)


def test_findings_are_rich_objects():
    a = exposure.assess(demo=True)
    rapid_reset = next(f for f in a.findings if f.advisory_id == "GO-2023-2102")
    assert rapid_reset.known_exploited is True
    assert rapid_reset.kev == {"cve_id": "CVE-2023-44487", "date_added": "2023-10-10", "due_date": "2023-10-31",
                               "known_ransomware_use": False}
    assert rapid_reset.severity == "HIGH"
    assert rapid_reset.cvss_vector.startswith("CVSS:3.1/")
    assert (rapid_reset.fix, rapid_reset.fixed_in, rapid_reset.fix_state) == ("0.17.0", ["0.17.0"], "fixed")
    assert rapid_reset.likelihood_rule == "active_alert"
    assert rapid_reset.risk == pytest.approx(rapid_reset.impact * rapid_reset.likelihood)
    assert (rapid_reset.matcher, rapid_reset.confidence) == ("osv-package", "exact_package")
    assert rapid_reset.evidence["matched"] == rapid_reset.matched
    assert rapid_reset.not_counted is None
    # Every attribute says what the finding's dict says.
    for f in a.findings:
        d = f.to_dict()
        assert (f.fix_state, f.likelihood_rule, f.impact_source) == (d["fix_state"], d["likelihood_rule"], d["impact_source"])
        assert f.evidence == d["evidence"] and f.fixed_in == d["fixed_versions"]
        assert f.severity == (d["cvss"]["severity"] if d.get("cvss") else None)
        assert f.epss is None and f.kev == d["threat"].get("known_exploited")
        assert f.known_exploited == (f.kev is not None)
    unscored = next(f for f in a.findings if f.advisory_id == "RUSTSEC-2023-0034")
    assert (unscored.severity, unscored.cvss_vector, unscored.impact_source) == (None, None, "assumed")


def test_epss_reaches_findings(tmp_path):
    epss = tmp_path / "epss.csv"
    epss.write_text("#model_version:v2023.03.01,score_date:2023-11-01T00:00:00+0000\ncve,epss,percentile\n"
                    "CVE-2023-32681,0.00087,0.3521\n")
    engine = exposure.Engine.demo()
    engine.load(epss)
    a = engine.assess_demo_fleet()
    requests = next(f for f in a.findings if f.advisory_id == "PYSEC-2023-74")
    assert (requests.epss, requests.epss_percentile) == (0.00087, 0.3521)
    row = next(r for r in a.finding_rows() if r["advisory_id"] == "PYSEC-2023-74")
    assert (row["epss"], row["epss_percentile"]) == (0.00087, 0.3521)
