//! Python exceptions mirroring the core error kinds, all based on `ValueError`.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    exposure,
    ExposureError,
    PyValueError,
    "Base class for all exposure errors."
);
create_exception!(
    exposure,
    VersionError,
    ExposureError,
    "A version did not parse, or versions of different schemes were compared."
);
create_exception!(
    exposure,
    RangeError,
    ExposureError,
    "A version range could not be built."
);
create_exception!(
    exposure,
    CpeError,
    ExposureError,
    "A CPE name or an NVD applicability statement did not parse."
);
create_exception!(
    exposure,
    PurlError,
    ExposureError,
    "A package URL did not parse."
);
create_exception!(
    exposure,
    CvssError,
    ExposureError,
    "A CVSS vector did not parse."
);
create_exception!(
    exposure,
    KnowledgeBaseError,
    ExposureError,
    "A knowledge-base input could not be read."
);
create_exception!(
    exposure,
    InventoryError,
    ExposureError,
    "An inventory could not be read."
);

/// Maps any core error to its exception class; the message is the core's.
pub(crate) fn into_pyerr(e: impl Into<ErrorLike>) -> PyErr {
    match e.into() {
        ErrorLike::Core(e) => {
            let message = e.to_string();
            match e {
                exposure::Error::Version(_) | exposure::Error::Compare(_) => {
                    VersionError::new_err(message)
                }
                exposure::Error::Range(_) => RangeError::new_err(message),
                exposure::Error::Purl(_) => PurlError::new_err(message),
                exposure::Error::Cvss(_) => CvssError::new_err(message),
                exposure::Error::Kb(_) | exposure::Error::Snapshot(_) => {
                    KnowledgeBaseError::new_err(message)
                }
                exposure::Error::Inventory(_) => InventoryError::new_err(message),
                _ => ExposureError::new_err(message),
            }
        }
        ErrorLike::Other(message) => ExposureError::new_err(message),
    }
}

/// A core error, or another failure (serialisation) reported as the base class.
pub(crate) enum ErrorLike {
    Core(exposure::Error),
    Other(String),
}

impl<E: Into<exposure::Error>> From<E> for ErrorLike {
    fn from(e: E) -> Self {
        ErrorLike::Core(e.into())
    }
}

pub(crate) struct SerdeFailure(pub(crate) serde_json::Error);

impl From<SerdeFailure> for ErrorLike {
    fn from(e: SerdeFailure) -> Self {
        ErrorLike::Other(e.0.to_string())
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ExposureError", py.get_type::<ExposureError>())?;
    m.add("VersionError", py.get_type::<VersionError>())?;
    m.add("RangeError", py.get_type::<RangeError>())?;
    m.add("PurlError", py.get_type::<PurlError>())?;
    m.add("CpeError", py.get_type::<CpeError>())?;
    m.add("CvssError", py.get_type::<CvssError>())?;
    m.add("KnowledgeBaseError", py.get_type::<KnowledgeBaseError>())?;
    m.add("InventoryError", py.get_type::<InventoryError>())?;
    Ok(())
}

/// A `VersionError` with `scheme`, `input` and `offset` attributes.
pub(crate) fn version_error(e: &exposure::version::VersionError) -> PyErr {
    let err = VersionError::new_err(e.to_string());
    Python::attach(|py| {
        let value = err.value(py);
        let _ = value.setattr("scheme", e.scheme().name());
        let _ = value.setattr("input", e.input());
        let _ = value.setattr("offset", e.offset());
    });
    err
}

/// A `RangeError` with `offset` where the error has one.
pub(crate) fn range_error(e: &exposure::range::RangeSyntaxError) -> PyErr {
    let err = RangeError::new_err(e.to_string());
    Python::attach(|py| {
        let _ = err.value(py).setattr("offset", e.offset());
    });
    err
}
