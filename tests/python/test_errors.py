"""Every exception class raised from every entry point that raises it, with exactly the
attributes `_exposure.pyi` declares for the class (its own and `kind`), each with the right
value. The declared attributes are read from the stub itself, so the stub cannot promise an
attribute an exception lacks, nor an exception carry one the stub does not declare."""

import ast
import errno
import json
import pathlib

import pytest

import exposure
from conftest import needs
from exposure import Cpe, Cvss, Version, VersionRange, cvss

ROOT = pathlib.Path(__file__).resolve().parents[2]
STUB = ROOT / "python" / "pysrc" / "exposure" / "_exposure.pyi"
DEMO_FLEET = ROOT / "core" / "data" / "demo" / "fleet.json"


def declared_attributes():
    """Class name -> attribute names the stub declares for it, inherited ones included."""
    classes = {node.name: node for node in ast.parse(STUB.read_text()).body if isinstance(node, ast.ClassDef)}

    def attributes(name):
        node = classes.get(name)
        if node is None:
            return set()
        own = {item.target.id for item in node.body if isinstance(item, ast.AnnAssign)}
        return own.union(*(attributes(base.id) for base in node.bases if isinstance(base, ast.Name)))

    return {name: attributes(name) for name in classes if name.endswith("Error")}


DECLARED = declared_attributes()


def raises(cls, call, *args, match=None, **expected):
    """`call(*args)` raises exactly `cls`, which carries exactly the attributes the stub
    declares for it, with the expected values; returns the exception."""
    with pytest.raises(cls, match=match) as caught:
        call(*args)
    error = caught.value
    assert type(error) is cls, f"{type(error).__name__}: {error}"
    assert isinstance(error, exposure.ExposureError) and isinstance(error, ValueError)
    assert set(expected) == DECLARED[cls.__name__], "the test names every declared attribute"
    assert set(vars(error)) == DECLARED[cls.__name__], f"{cls.__name__} carries {sorted(vars(error))}"
    for name, value in expected.items():
        assert getattr(error, name) == value, f"{cls.__name__}.{name}: {getattr(error, name)!r} != {value!r} ({error})"
    return error


def test_the_stub_declares_kind_on_every_class():
    assert set(DECLARED) == {
        "ExposureError", "VersionError", "RangeError", "PurlError", "CpeError", "CvssError",
        "KnowledgeBaseError", "InventoryError", "KnowledgeIncompleteError", "InventoryIncompleteError",
        "KnowledgeBaseUpdateError", "ExceptionSetError", "RecordError", "RemediationError", "StoreError",
        "KnowledgeBaseFileNotFoundError", "InventoryFileNotFoundError", "StoreFileNotFoundError",
        "ExposureFileNotFoundError", "ArrowBatchError", "AggregateError",
    }
    for name, attributes in DECLARED.items():
        assert "kind" in attributes, name


# VersionError


@pytest.mark.parametrize("text,scheme,kind,offset", [
    ("", "deb", "empty", 0),
    ("1.0/2", "pypi", "unexpected_char", 3),
    ("1.2.", "semver", "unexpected_end", 4),
    ("01.2.3", "semver", "leading_zero", 0),
])
def test_version_parse(text, scheme, kind, offset):
    raises(exposure.VersionError, Version, text, scheme, kind=kind, scheme=scheme, input=text, offset=offset)


def test_versions_in_comparisons_and_ranges():
    bad = dict(kind="unexpected_char", scheme="pypi", input="1.0/2", offset=3)
    raises(exposure.VersionError, exposure.compare_versions, "pypi", "1.0", "1.0/2", **bad)
    raises(exposure.VersionError, VersionRange(">=1.0", "pypi").__contains__, "1.0/2", **bad)


def test_cross_scheme_comparisons_carry_none_for_scheme_input_and_offset():
    none = dict(kind="scheme_mismatch", scheme=None, input=None, offset=None)
    pypi, npm = Version("1.0", "pypi"), Version("1.0.0", "npm")
    raises(exposure.VersionError, pypi.__lt__, npm, match="cannot compare a pypi version with a npm version", **none)
    in_pypi, in_npm = VersionRange(">=1.0", "pypi"), VersionRange(">=1.0.0", "npm")
    raises(exposure.VersionError, in_pypi.__contains__, npm, **none)
    raises(exposure.VersionError, in_pypi.__or__, in_npm, **none)
    raises(exposure.VersionError, in_pypi.__and__, in_npm, **none)


# RangeError


@pytest.mark.parametrize("text,scheme,kind,offset", [
    (">=1.0,<<2", "pypi", "syntax", 6),
    (">=1.0, <2.0/x", "pypi", "version", 11),
    ("[1.0, 2.0) x", "maven", "syntax", 11),
    (">=1.2.3 <1.x.y", "npm", "syntax", 8),
    ("~> 2.0, >= 1.0/x", "gem", "version", 14),
    (">= 1.0, << 2.0", "deb", "version", 9),
    ("vers:cobol/1.0", "npm", "unknown_scheme", 5),
    ("  vers:npm", "npm", "syntax", 10),
    ("vers:npm/ >= 1.0.0 | < 2.x.0", "npm", "version", 25),
    ("VERS:npm/1.0.0", "npm", "non_canonical", 0),
])
def test_range_parse(text, scheme, kind, offset):
    raises(exposure.RangeError, VersionRange, text, scheme, kind=kind, input=text, offset=offset)


def test_a_vers_range_without_a_scheme():
    text = "vers:pypi/>=1.0|<2.0/x"
    error = raises(exposure.RangeError, VersionRange, text, kind="version", input=text, offset=20)
    assert str(error).startswith(f'invalid vers string "{text}": constraint 1: bad pypi version')


# CpeError


@pytest.mark.parametrize("text,kind,offset,attribute", [
    ("cpe:2.4:a:x:y", "prefix", 0, None),
    ("cpe:2.3:a:hp:insight_?diagnostics:8.*:*:*:*:*:*:*:*", "embedded_question_mark", 21, "product"),
    ("cpe:2.3:q:x:y:*:*:*:*:*:*:*:*", "part", 8, "part"),
])
def test_cpe_parse(text, kind, offset, attribute):
    raises(exposure.CpeError, Cpe, text, kind=kind, input=text, offset=offset, attribute=attribute)


def test_cpe_get_unknown_attribute():
    name = Cpe("cpe:2.3:a:x:y:*:*:*:*:*:*:*:*")
    raises(exposure.CpeError, name.get, "colour", match="unknown attribute",
           kind="unknown_attribute", input=None, offset=None, attribute=None)


def applicability(match):
    return json.dumps([{"nodes": [{"operator": "OR", "negate": False, "cpeMatch": [dict(vulnerable=True, **match)]}]}])


def test_applicability():
    nothing = dict(input=None, offset=None, attribute=None)
    raises(exposure.CpeError, exposure.Applicability, "[{", match="not JSON", kind="not_json", **nothing)
    raises(exposure.CpeError, exposure.Applicability, '{"nodes": 3}', kind="shape", **nothing)
    # JSON 1.1 children nested deeper than the engine reads (8 levels).
    deep = {"operator": "OR"}
    for _ in range(8):
        deep = {"operator": "AND", "children": [deep]}
    raises(exposure.CpeError, exposure.Applicability, json.dumps({"nodes": [deep]}),
           match="nest deeper than 8 levels", kind="too_deep", **nothing)
    # A criterion that is not a CPE name: that name's error.
    raises(exposure.CpeError, exposure.Applicability, applicability({"criteria": "cpe:2.3:a:x"}),
           kind="component_count", input="cpe:2.3:a:x", offset=8, attribute=None)
    # A version bound that does not parse: the bound, as the input, and the version attribute.
    bounded = {"criteria": "cpe:2.3:a:python:pillow:*:*:*:*:*:*:*:*", "versionEndExcluding": " 1.0\n2"}
    raises(exposure.CpeError, exposure.Applicability, applicability(bounded),
           kind="bounds", input=" 1.0\n2", offset=4, attribute="version")


# CvssError


@pytest.mark.parametrize("vector,kind,offset", [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q", "invalid_value", 41),
    ("  CVSS:3.1/AV:N/AV:N", "duplicate_metric", 16),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/XX:1", "unknown_metric", 64),
    ("AV:N/AC:L/Au:N/C:P/I:P/A:P/", "malformed_part", 27),
    (" CVSS:9.0/AV:N", "unknown_version", 1),
    ("CVSS:3.1/AV:N/AC:L", "missing_metric", None),
])
@pytest.mark.parametrize("entry_point", [Cvss, cvss.score])
def test_cvss(entry_point, vector, kind, offset):
    raises(exposure.CvssError, entry_point, vector, kind=kind, input=vector, offset=offset)


# KnowledgeBaseError


def missing_file(cls, call, *args, **expected):
    """`raises` for a file that does not exist: `cls` is also a FileNotFoundError with errno
    ENOENT, whose message is the core's (not OSError's "[Errno 2] ..." form)."""
    error = raises(cls, call, *args, **expected)
    assert isinstance(error, FileNotFoundError) and isinstance(error, OSError)
    assert (error.errno, error.strerror) == (errno.ENOENT, "No such file or directory")
    assert str(error) == error.args[0] and not str(error).startswith("[Errno")
    return error


def test_missing_files_are_file_not_found_errors_of_their_area():
    for cls, base in [
        (exposure.KnowledgeBaseFileNotFoundError, exposure.KnowledgeBaseError),
        (exposure.InventoryFileNotFoundError, exposure.InventoryError),
        (exposure.StoreFileNotFoundError, exposure.StoreError),
        (exposure.ExposureFileNotFoundError, exposure.ExposureError),
    ]:
        assert cls.__module__ == "exposure"
        assert issubclass(cls, base) and issubclass(cls, FileNotFoundError)
        assert cls.__mro__.index(base) < cls.__mro__.index(FileNotFoundError)


def test_knowledge_base(tmp_path):
    missing = tmp_path / "missing"
    error = missing_file(exposure.KnowledgeBaseFileNotFoundError, exposure.Engine().load, missing,
                         match="cannot read", kind="io")
    assert str(missing) in str(error)
    missing_file(exposure.KnowledgeBaseFileNotFoundError, exposure.assess, missing, DEMO_FLEET, kind="io")
    snapshot = tmp_path / "kb.bin"
    exposure.Engine.demo().save(snapshot)
    damaged = tmp_path / "damaged.bin"
    damaged.write_bytes(snapshot.read_bytes()[:-3])
    raises(exposure.KnowledgeBaseError, exposure.Engine().load, damaged, match="snapshot truncated", kind="truncated")
    unwritable = tmp_path / "no-such-directory" / "kb.bin"
    missing_file(exposure.KnowledgeBaseFileNotFoundError, exposure.Engine.demo().save, unwritable,
                 match="no-such-directory", kind="io")


def test_incomplete_knowledge(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{broken")
    report = {"files": 1, "records_read": 1, "records_loaded": 0, "records_skipped": 1,
              "records_replaced": 0, "parts_skipped": 0, "problem_count": 1, "problems": [
                  {"location": str(broken), "record": None, "field": "",
                   "message": "not JSON: key must be a string at line 1 column 2", "consequence": "skipped"}]}
    for call in (exposure.Engine().load, lambda path: exposure.assess(path, DEMO_FLEET)):
        error = raises(exposure.KnowledgeIncompleteError, call, broken, match="it yields nothing", kind="empty",
                       input=str(broken), report=report)
        assert isinstance(error, exposure.KnowledgeBaseError)
    lossy = tmp_path / "lossy.json"
    lossy.write_text('[{"id": "GHSA-1"}, {"id": "GHSA-2", "aliases": 7}]')
    raises(exposure.KnowledgeIncompleteError, exposure.Engine().load, lossy, kind="lossy", input=str(lossy),
           report=exposure.Engine().load(lossy, allow_partial=True), match="1 of the 2 records and parts met")


def test_knowledge_base_update(tmp_path):
    snapshot = tmp_path / "kb.bin"
    raises(exposure.KnowledgeBaseUpdateError, lambda: exposure.update_kb(snapshot, sources=["gopher"]),
           match="unknown source", kind="config", source=None, url=None)
    url = "http://127.0.0.1:1/kev.json"  # nothing listens on port 1 of the loopback
    raises(exposure.KnowledgeBaseUpdateError,
           lambda: exposure.update_kb(snapshot, sources=["kev"], kev_url=url, attempts=1, proxy_from_env=False),
           match="kev: GET", kind="fetch", source="kev", url=url)
    assert not snapshot.exists()


# InventoryError


def test_inventory(tmp_path):
    engine = exposure.Engine.demo()
    raises(exposure.InventoryError, engine.assess_json, "{", match="not JSON", kind="not_json")
    raises(exposure.InventoryError, engine.assess_json, "[]", match="neither a CycloneDX BOM", kind="unknown_format")
    missing_file(exposure.InventoryFileNotFoundError, engine.assess_path, tmp_path / "missing.json", kind="io")
    missing_file(exposure.InventoryFileNotFoundError, lambda: engine.assess_path(DEMO_FLEET, os_release=tmp_path / "none"),
                 match="none", kind="io")
    raises(exposure.InventoryError, lambda: exposure.assess(demo=True, distro="plan9-4"), match="unknown distro",
           kind="unknown_distro")
    not_os_release = tmp_path / "os-release"
    not_os_release.write_text("NAME=Plan 9\n")
    raises(exposure.InventoryError, lambda: engine.assess_path(DEMO_FLEET, os_release=not_os_release),
           kind="not_an_os_release")


def test_incomplete_inventory(tmp_path):
    engine = exposure.Engine.demo()
    empty = tmp_path / "empty.json"
    empty.write_text('{"devices": []}')
    report = {"files": 1, "records_read": 0, "records_loaded": 0, "records_skipped": 0, "records_replaced": 0,
              "parts_skipped": 0, "problem_count": 0, "problems": []}
    error = raises(exposure.InventoryIncompleteError, engine.assess_path, empty, match="yields nothing",
                   kind="empty", input=str(empty), report=report)
    assert isinstance(error, exposure.InventoryError)
    raises(exposure.InventoryIncompleteError, engine.assess_json, '{"devices": []}', kind="empty", input="<string>",
           report=report)
    # An inventory that lost entries is assessed for the rest, each lost one reported.
    lossy = '{"devices": [{"id": "a"}, {"id": "b", "value": "urgent"}]}'
    [report] = engine.assess_json(lossy, "fleet").inventory_reports
    assert report["records_skipped"] == 1 and report["problems"][0]["field"] == "devices[1].value"


# ExposureError (the base class, for errors of no area above)


def test_base_class(tmp_path):
    unknown = dict(match="unknown version scheme", kind="unknown_scheme")
    raises(exposure.ExposureError, Version, "1.0", "cobol", **unknown)
    raises(exposure.ExposureError, VersionRange, ">=1.0", "cobol", **unknown)
    raises(exposure.ExposureError, exposure.compare_versions, "cobol", "1", "2", **unknown)
    raises(exposure.ExposureError, VersionRange, ">=1.0", match="give a scheme", kind="missing_scheme")
    raises(exposure.ExposureError, exposure.assess, kind="missing_inputs")
    dictionary = tmp_path / "dictionary.xml"
    dictionary.write_text("<cpe-list></cpe-list>")
    raises(exposure.ExposureError, lambda: exposure.assess(demo=True, inventory=DEMO_FLEET, cpe_dictionary=dictionary),
           match="no cpe-item", kind="cpe_dictionary")
    missing_file(exposure.ExposureFileNotFoundError,
                 lambda: exposure.assess(demo=True, inventory=DEMO_FLEET, cpe_dictionary=tmp_path / "none.xml"),
                 match="none.xml", kind="cpe_dictionary")
    missing_file(exposure.ExposureFileNotFoundError, exposure.Engine.demo().set_exceptions, tmp_path / "none.yaml",
                 kind="io")


def test_no_entry_point_parses_package_urls_yet():
    # Package URLs are read inside inventories, where a bad one is a load-report problem (with
    # the core's message), not an exception: `PurlError` is raised by no entry point yet.
    assert DECLARED["PurlError"] == {"kind", "input", "offset"}
    assessment = exposure.Engine.demo().assess_json(
        '{"devices": [{"id": "d", "software": [{"purl": "pkg:npm/x%zz@1"}]}]}')
    [problem] = assessment.to_dict()["inventory_reports"][0]["problems"]
    assert problem["message"] == 'invalid package URL "pkg:npm/x%zz@1": bad percent-encoding "%zz" at byte 9'


# RecordError, RemediationError, StoreError (the history layer; more in test_history.py)


def test_history_errors_carry_their_declared_attributes(tmp_path):
    raises(exposure.RecordError, exposure.Record.from_bytes, b"nope", kind="not_a_record")
    record = exposure.assess(demo=True).record()
    error = raises(
        exposure.RemediationError, lambda: record.create_activity("update:npm:lodahs", id="t", created="2026-12-01"),
        kind="unknown_recommendation", near=["update:npm:lodash", "update:npm:minimist"],
    )
    assert "update:npm:lodash" in str(error)
    raises(
        exposure.RemediationError, lambda: record.create_activity("update:npm:lodash", id="", created="2026-12-01"),
        kind="empty_id", near=[],
    )
    missing = tmp_path / "none.db"
    missing_file(exposure.StoreFileNotFoundError, exposure.Store, missing, kind="io", path=str(missing))


# ArrowBatchError


def test_arrow_batch_error():
    pa = needs("pyarrow")
    engine = exposure.Engine.demo()
    table = pa.table({"device_id": ["a", "b"], "value": ["high", "urgent"]})
    raises(exposure.ArrowBatchError, engine.assess_arrow, table, match="row 1", kind="invalid", column="value", row=1)
    raises(exposure.ArrowBatchError, engine.assess_arrow, pa.table({"x": [1]}), kind="unknown_column", column="x", row=None)


# AggregateError


def test_aggregate_error():
    pa = needs("pyarrow")
    engine = exposure.Engine.demo()
    part = engine.assess_arrow(pa.table({"device_id": ["a"], "purl": ["pkg:npm/lodash@4.17.20"]})).aggregate()
    finish = engine.finish_aggregates
    raises(exposure.AggregateError, finish, [part, b"not an aggregate"], match="part 1", kind="malformed", part=1)
    other_format = json.dumps({**json.loads(part), "format": 99}).encode()
    raises(exposure.AggregateError, finish, [other_format], match="format 99", kind="format", part=0)
    empty = exposure.Engine()
    elsewhere = empty.assess_arrow(pa.table({"device_id": ["b"]})).aggregate()
    raises(exposure.AggregateError, finish, [part, elsewhere], match="different knowledge", kind="knowledge", part=1)
    raises(exposure.AggregateError, empty.finish_aggregates, [elsewhere, part], kind="knowledge", part=1)
    raises(exposure.AggregateError, finish, [elsewhere], kind="knowledge", part=0)
    changed = exposure.Engine.demo()
    assessed = changed.assess_arrow(pa.table({"device_id": ["d"]}))
    changed.load_osv_json(json.dumps({"id": "X-1", "affected": [{"package": {"ecosystem": "npm", "name": "x"}, "versions": ["1.0.0"]}]}))
    raises(exposure.AggregateError, assessed.aggregate, match="different knowledge", kind="knowledge", part=None)
    later = engine.assess_arrow(pa.table({"device_id": ["c"], "purl": ["pkg:npm/lodash@4.17.20"]}), as_of="2026-12-05")
    raises(exposure.AggregateError, finish, [part, later.aggregate()], match="different days", kind="mixed_as_of", part=None)
