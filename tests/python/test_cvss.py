"""CVSS scores through the Python binding, on tests/vectors/cvss-scores.tsv (the same file
the Rust and C tests read)."""

import pathlib

import pytest

import exposure
from exposure import cvss

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors"


def rows(minimum):
    """The cases of cvss-scores.tsv; fewer than `minimum` (its data rows) fails the collection,
    so that an empty, truncated or wrongly filtered file cannot pass by running nothing."""
    lines = (VECTORS / "cvss-scores.tsv").read_text(encoding="utf-8").splitlines()
    cases = [line.split("\t")[:3] for line in lines if line and not line.startswith("#")]
    assert len(cases) >= minimum, f"cvss-scores.tsv: {len(cases)} cases, at least {minimum} expected"
    return cases


@pytest.mark.parametrize("vector,score,severity", rows(29))
def test_scores(vector, score, severity):
    s = cvss.score(vector)
    assert f"{s.score:.1f}" == score
    assert s.severity == severity
    assert exposure.Cvss(s.vector).score == s.score
    if s.version == "4.0":
        assert s.temporal is None and s.environmental is None and s.nomenclature.startswith("CVSS-B")
        assert s.impact is None and s.exploitability is None
    else:
        assert s.temporal is not None and s.environmental is not None and s.nomenclature is None
        assert 0 <= s.exploitability <= 10 and s.impact <= 10


def test_all_scores_of_a_v3_vector():
    s = cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/MAV:L")
    assert (s.version, s.base, s.temporal, s.environmental, s.severity) == ("3.1", 9.8, 9.3, 7.9, "HIGH")  # as the cvss package
    assert s.score == s.environmental
    assert (s.impact, s.exploitability) == (5.9, 3.9)  # as NVD publishes them for this base
    assert s.vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/MAV:L"


@pytest.mark.parametrize("bad,words", [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q", ['"Q"', "metric A"]),
    ("CVSS:3.1/AV:N/AC:L", ["missing", "PR"]),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:Z", ['"Z"', "metric E"]),
    ("AV:N/AV:N", ["duplicate", "AV"]),
    ("CVSS:9.0/AV:N", ["version"]),
])
def test_bad_vectors_name_the_problem(bad, words):
    with pytest.raises(exposure.CvssError) as caught:
        cvss.score(bad)
    for word in words:
        assert word in str(caught.value)


def test_subscores_as_nvd_publishes_them():
    # CVE-2021-44228 (v3.1, scope changed) and its v2 vector, sub-scores from its NVD record.
    s = cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
    assert (s.base, s.impact, s.exploitability) == (10.0, 6.0, 3.9)
    s = cvss.score("AV:N/AC:M/Au:N/C:C/I:C/A:C")
    assert (s.base, s.impact, s.exploitability) == (9.3, 10.0, 8.6)
