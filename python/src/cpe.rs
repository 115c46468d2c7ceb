//! `exposure.Cpe`, `exposure.Applicability`, `exposure.guess_cpe` and `exposure.name_program`.

use crate::convert::to_python;
use crate::errors::{into_pyerr, unknown_attribute};
use exposure::cpe::{Applicability, Attribute, Cpe, Normalizer};
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A CPE 2.3 name, from a formatted string, a 2.2 URI or WFN text.
///
/// >>> Cpe("cpe:/a:microsoft:internet_explorer:8.%02").matches(Cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:*:*:*:*:*:*:*"))
/// True
#[pyclass(frozen, module = "exposure", name = "Cpe")]
pub(crate) struct PyCpe(pub(crate) Cpe);

#[pymethods]
impl PyCpe {
    #[new]
    #[pyo3(signature = (text, /))]
    fn new(text: &str) -> PyResult<Self> {
        Cpe::parse(text).map(Self).map_err(into_pyerr)
    }

    /// The canonical 2.3 formatted string.
    fn to_fs(&self) -> String {
        self.0.to_fs()
    }

    /// The 2.2 URI binding.
    fn to_uri(&self) -> String {
        self.0.to_uri()
    }

    /// WFN text, all eleven attributes.
    fn to_wfn(&self) -> String {
        self.0.to_wfn()
    }

    /// One attribute's value: `"ANY"`, `"NA"`, or the value in WFN quoting (`"8\\.0"`).
    fn get(&self, attribute: &str) -> PyResult<String> {
        let attribute =
            Attribute::from_name(attribute).ok_or_else(|| unknown_attribute(attribute))?;
        Ok(self.0.get(attribute).to_string())
    }

    /// NISTIR 7696's relation of this (source) name to `target`: `"EQUAL"`, `"SUPERSET"`,
    /// `"SUBSET"`, `"DISJOINT"` or `"UNDEFINED"`.
    fn compare(&self, target: &PyCpe) -> &'static str {
        self.0.compare(&target.0).name()
    }

    /// Whether this name matches `target` (superset or equal).
    fn matches(&self, target: &PyCpe) -> bool {
        self.0.matches(&target.0)
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyCpe>() else {
            return Ok(py.NotImplemented());
        };
        let equal = self.0 == other.get().0;
        let answer = match op {
            CompareOp::Eq => equal,
            CompareOp::Ne => !equal,
            _ => return Ok(py.NotImplemented()),
        };
        Ok(answer.into_pyobject(py)?.to_owned().into_any().unbind())
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.0.hash(&mut h);
        h.finish()
    }

    fn __str__(&self) -> String {
        self.0.to_fs()
    }

    fn __repr__(&self) -> String {
        format!("Cpe({:?})", self.0.to_fs())
    }
}

/// A CVE's applicability statement, from the `configurations` of an NVD record (JSON 1.1 or
/// API 2.0), as a JSON string.
#[pyclass(frozen, module = "exposure", name = "Applicability")]
pub(crate) struct PyApplicability(Applicability);

#[pymethods]
impl PyApplicability {
    #[new]
    #[pyo3(signature = (configurations_json, /))]
    fn new(configurations_json: &str) -> PyResult<Self> {
        Applicability::from_nvd_json_text(configurations_json)
            .map(Self)
            .map_err(into_pyerr)
    }

    /// The criteria a device's names satisfy when the CVE applies to it (dicts with
    /// `criteria`, `vulnerable`, `bounds`, `name`), or `None` when it does not apply.
    #[allow(clippy::needless_pass_by_value)] // PyO3 extracts the list into an owned Vec
    fn evaluate(&self, py: Python<'_>, names: Vec<PyRef<'_, PyCpe>>) -> Option<Vec<Py<PyAny>>> {
        let device: Vec<Cpe> = names.iter().map(|n| n.0.clone()).collect();
        let matched = self.0.evaluate(&device)?;
        matched.iter().map(|m| to_python(py, m).ok()).collect()
    }
}

/// CPE candidates for an installed program, best first: `(cpe, confidence, rule)` tuples;
/// empty when no rule supports a guess.
///
/// >>> guess_cpe("Mozilla", "Mozilla Firefox (x64 en-US)", "121.0")[0][0]
/// 'cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*'
#[pyfunction]
#[pyo3(signature = (publisher, name, version))]
pub(crate) fn guess_cpe(
    publisher: &str,
    name: &str,
    version: &str,
) -> Vec<(String, f32, &'static str)> {
    Normalizer::with_default_rules()
        .guess_installed(publisher, name, version)
        .into_iter()
        .map(|c| (c.cpe.to_fs(), c.confidence, c.rule))
        .collect()
}

/// What an installed program is and the CPE name NVD would use for it, with the shipped alias
/// rules (`Engine.name_program` also scores against the engine's NVD knowledge): a dict
/// `{"kind", "kind_rule", "version", "candidates": [{"cpe", "confidence", "rule",
/// "version_rule"}]}`. An empty name raises ValueError.
///
/// >>> name_program("Microsoft Corporation", "Security Update for Windows XP (KB2079403)", "1")["kind"]
/// 'update'
#[pyfunction]
#[pyo3(signature = (publisher, name, version))]
pub(crate) fn name_program(
    py: Python<'_>,
    publisher: &str,
    name: &str,
    version: &str,
) -> PyResult<Py<PyAny>> {
    named(
        py,
        &Normalizer::with_default_rules(),
        (publisher, name, version),
    )
}

/// A program named by `normalizer`, as the dict `name_program` and `Engine.name_program`
/// return; an empty name raises ValueError.
pub(crate) fn named(
    py: Python<'_>,
    normalizer: &Normalizer<'_>,
    (publisher, name, version): (&str, &str, &str),
) -> PyResult<Py<PyAny>> {
    if name.trim().is_empty() {
        return Err(pyo3::exceptions::PyValueError::new_err("the name is empty"));
    }
    let naming = normalizer.name_program(publisher, name, version);
    to_python(py, &naming.to_json())
}
