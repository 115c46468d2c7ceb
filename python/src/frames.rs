//! An assessment's flat views as typed data frames: a view's rows split into columns and
//! handed, with the view's schema (`exposure::columns`), to `exposure._frames`, which builds the
//! pandas, Arrow or polars frame. Nothing here looks at a value: the core chose the rows and
//! their types.

use crate::convert::json_to_python;
use crate::errors::serialization_error;
use exposure::columns::Column;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// A frame of `rows` (serialisable structs with the fields `schema` names) made by the
/// function `builder` of `exposure._frames` (`pandas`, `arrow` or `polars`); `what` names the
/// method for the ImportError of a missing library and `plain` the dict form.
pub(crate) fn frame(
    py: Python<'_>,
    builder: &str,
    rows: &impl serde::Serialize,
    schema: &[Column],
    what: &str,
    plain: &str,
) -> PyResult<Py<PyAny>> {
    let rows = serde_json::to_value(rows).map_err(|e| serialization_error(&e))?;
    let rows = rows.as_array().map(Vec::as_slice).unwrap_or_default();
    let columns = PyDict::new(py);
    let types = PyList::empty(py);
    for column in schema {
        let values = PyList::empty(py);
        for row in rows {
            let value = row.get(column.name).unwrap_or(&serde_json::Value::Null);
            values.append(json_to_python(py, value)?)?;
        }
        columns.set_item(column.name, values)?;
        types.append(PyTuple::new(
            py,
            [
                column.name.into_pyobject(py)?.into_any(),
                column.kind.name().into_pyobject(py)?.into_any(),
                pyo3::types::PyBool::new(py, column.nullable)
                    .to_owned()
                    .into_any(),
            ],
        )?)?;
    }
    Ok(py
        .import("exposure._frames")?
        .call_method1(builder, (types, columns, what, plain))?
        .unbind())
}
