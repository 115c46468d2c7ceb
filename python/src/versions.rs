//! `exposure.Version`, `exposure.VersionRange` and `exposure.compare_versions`.

use crate::errors::{into_pyerr, missing_scheme};
use exposure::range::{is_vers, parse_range, Range};
use exposure::version::{Scheme, Version};
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

fn scheme(name: &str) -> PyResult<Scheme> {
    name.parse::<Scheme>().map_err(into_pyerr)
}

/// A version of one scheme, ordered as that ecosystem's own tool orders it.
///
/// >>> Version("1.0~rc1", "deb") < Version("1.0", "deb")
/// True
#[pyclass(frozen, module = "exposure", name = "Version")]
pub(crate) struct PyVersion(pub(crate) Version);

#[pymethods]
impl PyVersion {
    #[new]
    #[pyo3(signature = (text, /, scheme))]
    fn new(text: &str, scheme: &str) -> PyResult<Self> {
        let scheme = self::scheme(scheme)?;
        Version::parse(scheme, text).map(Self).map_err(into_pyerr)
    }

    /// The scheme's name (`"deb"`, `"pypi"`, …).
    #[getter]
    fn scheme(&self) -> &'static str {
        self.0.scheme().name()
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyVersion>() else {
            return Ok(py.NotImplemented());
        };
        let other = other.get();
        match self.0.try_cmp(&other.0) {
            Ok(order) => Ok(op
                .matches(order)
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind()),
            // Equality across schemes is simply false; order across schemes is an error.
            Err(_) if matches!(op, CompareOp::Eq) => {
                Ok(false.into_pyobject(py)?.to_owned().into_any().unbind())
            }
            Err(_) if matches!(op, CompareOp::Ne) => {
                Ok(true.into_pyobject(py)?.to_owned().into_any().unbind())
            }
            Err(e) => Err(into_pyerr(e)),
        }
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.0.hash(&mut h);
        h.finish()
    }

    fn __str__(&self) -> &str {
        self.0.as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "Version({:?}, scheme={:?})",
            self.0.as_str(),
            self.0.scheme().name()
        )
    }
}

/// A set of versions of one scheme: a native range of the scheme (`^1.2.3`, `>=1.0,<2.0`,
/// `[1.0,2.0)`, `~> 2.0`) or a `vers:` string. `in` accepts a `Version` or a string, which is
/// parsed in the range's scheme.
///
/// >>> "1.9.0" in VersionRange("^1.2.3", "npm")
/// True
#[pyclass(frozen, module = "exposure", name = "VersionRange")]
pub(crate) struct PyVersionRange(Range);

#[pymethods]
impl PyVersionRange {
    #[new]
    #[pyo3(signature = (text, /, scheme = None))]
    fn new(text: &str, scheme: Option<&str>) -> PyResult<Self> {
        let scheme = match scheme {
            Some(name) => self::scheme(name)?,
            None if is_vers(text) => Scheme::Generic,
            None => return Err(missing_scheme()),
        };
        parse_range(scheme, text).map(Self).map_err(into_pyerr)
    }

    /// The scheme's name.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.0.scheme().name()
    }

    fn __contains__(&self, version: &Bound<'_, PyAny>) -> PyResult<bool> {
        if let Ok(v) = version.cast::<PyVersion>() {
            return self.0.try_contains(&v.get().0).map_err(into_pyerr);
        }
        let text: String = version.extract()?;
        self.0.contains_text(&text).map_err(into_pyerr)
    }

    /// Versions in either range.
    fn __or__(&self, other: &Self) -> PyResult<Self> {
        self.0.union(&other.0).map(Self).map_err(into_pyerr)
    }

    /// Versions in both ranges.
    fn __and__(&self, other: &Self) -> PyResult<Self> {
        self.0.intersection(&other.0).map(Self).map_err(into_pyerr)
    }

    /// Versions not in the range.
    fn __invert__(&self) -> Self {
        Self(self.0.complement())
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.0 == other.0
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.0.hash(&mut h);
        h.finish()
    }

    /// The canonical `vers:` text.
    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("VersionRange({:?})", self.0.to_string())
    }
}

/// Compares two versions of `scheme`: -1, 0 or 1.
///
/// >>> compare_versions("maven", "1.0-SNAPSHOT", "1.0")
/// -1
#[pyfunction]
pub(crate) fn compare_versions(scheme: &str, a: &str, b: &str) -> PyResult<i32> {
    let scheme = self::scheme(scheme)?;
    let a = Version::parse(scheme, a).map_err(into_pyerr)?;
    let b = Version::parse(scheme, b).map_err(into_pyerr)?;
    a.try_cmp(&b).map(|o| o as i32).map_err(into_pyerr)
}
