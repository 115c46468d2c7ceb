//! Serialisable core values into plain Python objects (dict, list, str, int, float, bool, None).

use crate::errors::serialization_error;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

pub(crate) fn to_python(py: Python<'_>, value: &impl serde::Serialize) -> PyResult<Py<PyAny>> {
    let value = serde_json::to_value(value).map_err(|e| serialization_error(&e))?;
    Ok(json_to_python(py, &value)?.unbind())
}

/// A list or dict being filled, with what is left of its JSON array or object.
enum Open<'v, 'py> {
    List(Bound<'py, PyList>, std::slice::Iter<'v, Value>),
    Dict(
        Bound<'py, PyDict>,
        serde_json::map::Iter<'v>,
        Option<&'v String>,
    ),
}

/// Converts a JSON value, depth first with a stack of the open lists and dicts (no recursion:
/// a deep value needs heap, not the caller's thread stack).
pub(crate) fn json_to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    let mut open: Vec<Open<'_, 'py>> = Vec::new();
    let mut next = value;
    loop {
        let mut done = match next {
            Value::Array(items) => {
                open.push(Open::List(PyList::empty(py), items.iter()));
                None
            }
            Value::Object(map) => {
                open.push(Open::Dict(PyDict::new(py), map.iter(), None));
                None
            }
            scalar => Some(scalar_to_python(py, scalar)?),
        };
        // Put what is done into the innermost open container, then take that container's next
        // value; a container with none left is done itself.
        loop {
            let following = match open.last_mut() {
                None => return Ok(done.unwrap_or_else(|| py.None().into_bound(py))),
                Some(Open::List(list, items)) => {
                    if let Some(object) = done.take() {
                        list.append(object)?;
                    }
                    items.next()
                }
                Some(Open::Dict(dict, entries, key)) => {
                    if let (Some(object), Some(k)) = (done.take(), key.take()) {
                        dict.set_item(k, object)?;
                    }
                    entries.next().map(|(k, v)| {
                        *key = Some(k);
                        v
                    })
                }
            };
            if let Some(value) = following {
                next = value;
                break;
            }
            done = open.pop().map(|container| match container {
                Open::List(list, _) => list.into_any(),
                Open::Dict(dict, ..) => dict.into_any(),
            });
        }
    }
}

fn scalar_to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        // Containers are never passed here.
        Value::Null | Value::Array(_) | Value::Object(_) => py.None().into_bound(py),
    })
}
