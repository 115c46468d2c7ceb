"""The assessment's views as typed data frames: pandas (`to_dataframe`), Arrow (`to_arrow`)
and polars (`to_polars`), each column typed by the core's schema, the values those of the
rows; and a clear ImportError where a library is missing."""

import datetime
import math
import sys

import pytest

import exposure
from conftest import needs

PANDAS_TYPES = {"text": "object", "category": "category", "float": "float64", "count": "int64", "bool": "bool",
                "date": "datetime64[ns]"}


@pytest.fixture(scope="module")
def assessment():
    return exposure.assess(demo=True, as_of="2026-12-04")


def rows_of(a, view):
    return {"findings": a.finding_rows, "devices": lambda: a.devices, "groups": lambda: a.groups}[view]()


def plain(value):
    """A frame's cell as the row's JSON value: NaN, NaT and pandas' NA (a nullable column's
    missing cell) are missing, days are text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ == "NAType":
        return None
    if hasattr(value, "isoformat") and not isinstance(value, str):
        if str(value) == "NaT":
            return None
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        return value.item()
    return value


@pytest.mark.parametrize("view", ["findings", "devices", "groups"])
def test_pandas_frames_are_typed_and_hold_the_rows(assessment, view):
    pd = needs("pandas")
    frame = assessment.to_dataframe(view)
    rows = rows_of(assessment, view)
    assert len(frame) == len(rows) > 0
    assert set(frame.columns) == set(rows[0])
    for column in frame.columns:
        for cell, row in zip(frame[column].astype(object), rows):
            assert plain(cell) == row[column], (view, column)
    assert isinstance(frame, pd.DataFrame)


def test_pandas_finding_columns_have_their_types(assessment):
    needs("pandas")
    frame = assessment.to_dataframe()
    dtypes = {c: str(t) for c, t in frame.dtypes.items()}
    assert dtypes["ecosystem"] == dtypes["severity"] == dtypes["fix_state"] == dtypes["matcher"] == "category"
    assert dtypes["risk"] == dtypes["cvss"] == dtypes["epss"] == "float64"
    assert dtypes["known_exploited"] == "bool"
    assert dtypes["kev_date_added"] == dtypes["kev_due_date"] == "datetime64[ns]"
    assert dtypes["device_id"] == "object"
    kev = frame[frame["known_exploited"]]
    assert list(kev["advisory_id"]) == ["GO-2023-2102"]
    assert kev["kev_date_added"].iloc[0] == datetime.datetime(2023, 10, 10)
    assert frame["kev_date_added"].isna().sum() == len(frame) - 1
    # Filtering on typed columns is what a notebook does.
    assert set(frame.loc[frame["severity"].isin(["HIGH", "CRITICAL"]), "advisory_id"]) >= {"GO-2023-2102"}
    devices = assessment.to_dataframe("devices")
    assert str(devices["findings"].dtype) == "int64" and str(devices["value"].dtype) == "category"


def test_an_assessment_without_findings_gives_empty_typed_frames():
    needs("pandas")
    a = exposure.Engine.demo().assess_json('{"devices": [{"id": "d", "software": [{"purl": "pkg:npm/left-pad@1.3.0"}]}]}')
    frame = a.to_dataframe()
    assert len(frame) == 0
    assert str(frame["kev_date_added"].dtype) == "datetime64[ns]" and str(frame["severity"].dtype) == "category"
    assert len(a.to_dataframe("devices")) == 1


@pytest.mark.parametrize("view", ["findings", "devices", "groups"])
@pytest.mark.parametrize("method,library,cls,dicts", [
    ("to_arrow", "pyarrow", "Table", lambda table: table.to_pylist()),
    ("to_polars", "polars", "DataFrame", lambda frame: frame.to_dicts()),
])
def test_arrow_and_polars_frames_hold_the_rows(assessment, view, method, library, cls, dicts):
    module = needs(library)
    frame = getattr(assessment, method)(view)
    rows = rows_of(assessment, view)
    assert isinstance(frame, getattr(module, cls)) and len(dicts(frame)) == len(rows)
    for got, row in zip(dicts(frame), rows):
        assert {k: plain(v) for k, v in got.items()} == row


def test_arrow_schema(assessment):
    pa = needs("pyarrow")
    schema = assessment.to_arrow().schema
    assert schema.field("ecosystem").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.field("risk").type == pa.float64() and not schema.field("risk").nullable
    assert schema.field("kev_date_added").type == pa.date32() and schema.field("kev_date_added").nullable
    assert schema.field("known_exploited").type == pa.bool_()
    assert assessment.to_arrow("devices").schema.field("findings").type == pa.int64()


def test_polars_schema(assessment):
    pl = needs("polars")
    frame = assessment.to_polars()
    assert frame.schema["severity"] == pl.Categorical and frame.schema["kev_date_added"] == pl.Date
    assert frame.schema["risk"] == pl.Float64 and frame.schema["known_exploited"] == pl.Boolean
    kev = frame.filter(pl.col("known_exploited"))
    assert kev["kev_date_added"].to_list() == [datetime.date(2023, 10, 10)]
    assert assessment.to_polars("groups").schema["devices"] == pl.Int64


@pytest.mark.parametrize("method,library", [("to_dataframe", "pandas"), ("to_arrow", "pyarrow"), ("to_polars", "polars")])
def test_a_missing_library_is_a_clear_import_error(assessment, monkeypatch, method, library):
    monkeypatch.setitem(sys.modules, library, None)  # `import library` now raises ImportError
    with pytest.raises(ImportError, match=rf"Assessment\.{method} needs {library} \(pip install {library}\)"):
        getattr(assessment, method)()


def test_an_unknown_view_is_a_value_error(assessment):
    with pytest.raises(ValueError, match='no view "software"'):
        assessment.to_arrow("software")
