"""Typed data frames of an assessment's views, for `Assessment.to_dataframe`, `to_arrow` and
`to_polars`: the compiled module hands over the columns with the view's schema (the core's
`exposure::columns`), a list of (name, type, nullable), and each function here maps the
schema's types onto its library's:

========= ============================= ======================== ============
type      pandas                        Arrow                    polars
========= ============================= ======================== ============
text      object (str or None)          string                   String
category  category                      dictionary<int32,string> Categorical
float     float64 (NaN where missing)   float64                  Float64
count     int64 (Int64 where nullable)  int64                    Int64
bool      bool (boolean where nullable) bool                     Boolean
date      datetime64[ns] (NaT)          date32                   Date
text_list object (list of str)          list<string>             List(String)
========= ============================= ======================== ============

The libraries are optional: a missing one raises ImportError saying which to install.
"""

import datetime
import importlib


def _library(module, what, plain):
    try:
        return importlib.import_module(module)
    except ImportError as e:
        package = {"pyarrow": "pyarrow", "polars": "polars", "pandas": "pandas"}[module]
        raise ImportError(f"{what} needs {package} (pip install {package}); {plain} gives the same rows as dicts") from e


def _days(values):
    return [None if v is None else datetime.date.fromisoformat(v) for v in values]


def pandas(schema, columns, what, plain):
    """A pandas DataFrame of `columns` typed by `schema`."""
    pd = _library("pandas", what, plain)
    data = {}
    for name, kind, nullable in schema:
        values = columns[name]
        if kind == "category":
            series = pd.Series(values, dtype="category")
        elif kind == "float":
            series = pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
        elif kind == "count":
            series = pd.Series(values, dtype="Int64" if nullable else "int64")
        elif kind == "bool":
            series = pd.Series(values, dtype="boolean" if nullable else "bool")
        elif kind == "date":
            series = pd.Series(pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d"), dtype="datetime64[ns]")
        elif kind == "text_list":
            series = pd.Series([list(v) for v in values], dtype=object)
        else:
            series = pd.Series(values, dtype=object)
        data[name] = series
    return pd.DataFrame(data, columns=[name for name, _, _ in schema])


def arrow(schema, columns, what, plain):
    """A pyarrow Table of `columns` typed by `schema` (nullability included)."""
    pa = _library("pyarrow", what, plain)
    types = {
        "text": pa.string(),
        "category": pa.string(),
        "float": pa.float64(),
        "count": pa.int64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "text_list": pa.list_(pa.string()),
    }
    arrays, fields = [], []
    for name, kind, nullable in schema:
        values = _days(columns[name]) if kind == "date" else columns[name]
        array = pa.array(values, type=types[kind])
        if kind == "category":
            array = array.dictionary_encode()
        arrays.append(array)
        fields.append(pa.field(name, array.type, nullable=nullable))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def polars(schema, columns, what, plain):
    """A polars DataFrame of `columns` typed by `schema` (pyarrow not needed)."""
    pl = _library("polars", what, plain)
    types = {
        "text": pl.String,
        "category": pl.Categorical,
        "float": pl.Float64,
        "count": pl.Int64,
        "bool": pl.Boolean,
        "date": pl.Date,
        "text_list": pl.List(pl.String),
    }
    series = [
        pl.Series(name, _days(columns[name]) if kind == "date" else columns[name], dtype=types[kind])
        for name, kind, _ in schema
    ]
    return pl.DataFrame(series)
