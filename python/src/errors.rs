//! Python exceptions mirroring the core error kinds, all based on `ValueError`, and the one
//! place a core error becomes one: [`into_pyerr`]. Every exception has a `kind` (a short
//! snake_case name of what went wrong) and exactly the attributes its class declares in
//! `_exposure.pyi`, on every path that raises it.

use exposure::cpe::{ConfigurationError, CpeErrorKind};
use exposure::inventory::{DistroError, InventoryError as CoreInventoryError, SoftwareError};
use exposure::kb::{KbError, LoadReport, SnapshotError};
use exposure::load_report::Shortfall;
use exposure::range::{RangeError as OsvRangeError, RangeSyntaxErrorKind, VersErrorKind};
use exposure::score::cvss::CvssErrorKind;
use exposure::version::VersionErrorKind;
use exposure::Error;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::PyTypeInfo;

create_exception!(
    exposure,
    ExposureError,
    PyValueError,
    "Base class for all exposure errors. `kind` names what went wrong."
);
create_exception!(
    exposure,
    VersionError,
    ExposureError,
    "A version did not parse (`scheme`, `input` and `offset` say where), or versions of \
     different schemes were compared (they are None)."
);
create_exception!(
    exposure,
    RangeError,
    ExposureError,
    "A version range could not be built: `input` is the range text and `offset` the byte \
     offset of the problem in it (None where there is none)."
);
create_exception!(
    exposure,
    CpeError,
    ExposureError,
    "A CPE name or an NVD applicability statement did not parse: `input`, `offset` and \
     `attribute` say where, for a CPE name."
);
create_exception!(
    exposure,
    PurlError,
    ExposureError,
    "A package URL did not parse: `input` and `offset` say where."
);
create_exception!(
    exposure,
    CvssError,
    ExposureError,
    "A CVSS vector did not parse: `input`, and the byte `offset` of the offending part (None \
     for a missing metric)."
);
create_exception!(
    exposure,
    ExceptionSetError,
    ExposureError,
    "An exception set was refused: `kind` says why (unknown_justification, unknown_scope, \
     duplicate_id, empty_id, bad_date, expires_before_created, ...), `exception_id` and \
     `index` name the exception (None when the error is about the whole document), `path` \
     the field."
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
    "An inventory could not be read, or software in it could not be described."
);

create_exception!(
    exposure,
    KnowledgeIncompleteError,
    KnowledgeBaseError,
    "A knowledge-base input yields nothing (`kind` \"empty\") or lost more than 10 % of its \
     records (`kind` \"lossy\"), and partial loads were not allowed (`allow_partial=True` \
     accepts it): `input` names it, `report` is its load report as a dict, every problem in \
     it."
);
create_exception!(
    exposure,
    InventoryIncompleteError,
    InventoryError,
    "An inventory yields no device (`kind` \"empty\") or lost more than 10 % of its records \
     (`kind` \"lossy\"), and partial loads were not allowed (`allow_partial=True` accepts it): \
     `input` names it, `report` is its load report as a dict."
);

create_exception!(
    exposure,
    RecordError,
    ExposureError,
    "An assessment record could not be made, read or written: `kind` says why (format, \
     not_a_record, wrong_version, truncated, corrupted, invalid, no_fleet, too_large)."
);
create_exception!(
    exposure,
    RemediationError,
    ExposureError,
    "A remediation activity was refused: `kind` says why (empty_id, unknown_recommendation, \
     due_before_creation, no_targeted_device, export); `near` lists the record's nearest \
     recommendation ids for an unknown one (empty otherwise)."
);
create_exception!(
    exposure,
    StoreError,
    ExposureError,
    "A store could not be opened or read: `kind` says why (io, not_a_database, not_a_store, \
     corrupt, newer_schema, older_schema, read_only, busy, bad_value, no_such_assessment, \
     ...); `path` names the database file. The file is never changed."
);
create_exception!(
    exposure,
    ArrowBatchError,
    ExposureError,
    "Arrow data could not be assessed: `kind` says why (missing_column, unknown_column, \
     wrong_type, null, invalid, conflict, not_a_batch, import, output; knowledge: a snapshot \
     record read while assessing was damaged); `column` names the column and `row` the row \
     (from 0, across a table's batches), None where the error has none. Nothing is assessed."
);
create_exception!(
    exposure,
    AggregateError,
    ExposureError,
    "Aggregates of a partitioned assessment did not merge or finish: `kind` says why \
     (malformed: not an aggregate; inconsistent: an aggregate whose tables do not hold what it \
     names; format: an aggregate of another format version; knowledge: made against another \
     knowledge base than the engine finishing them; mixed_as_of: parts assessed as of \
     different days; without_fleet: a part aggregated without its fleet); `part` is the \
     index of the part at fault (from 0), None for an error of no one part (found when \
     finishing)."
);
create_exception!(
    exposure,
    KnowledgeBaseUpdateError,
    KnowledgeBaseError,
    "A knowledge-base update failed and left the snapshot as it was: `kind` says why (config, \
     fetch, invalid_response, mirror, incomplete, snapshot), `source` names the source (nvd, \
     kev, epss, osv:<Ecosystem>, alpine:<branch>/<repo>) and `url` the request, None where \
     the error has none."
);

/// An update error as `KnowledgeBaseUpdateError`, with its kind, source and URL.
pub(crate) fn update_error(e: &exposure_update::UpdateError) -> PyErr {
    use exposure_update::UpdateError as E;
    let (kind, url) = match e {
        E::Config(_) => ("config", None),
        E::Fetch { url, .. } => ("fetch", Some(url.as_str())),
        E::Invalid { url, .. } => ("invalid_response", Some(url.as_str())),
        E::Mirror { .. } => ("mirror", None),
        E::Incomplete { .. } => ("incomplete", None),
        E::Snapshot { .. } => ("snapshot", None),
        _ => ("other", None),
    };
    raise::<KnowledgeBaseUpdateError>(e.to_string(), kind, |x| {
        x.setattr("source", e.source_name())?;
        x.setattr("url", url)
    })
}

/// An exception of class `T` with the core's `message`, `kind`, and the attributes `set`
/// puts on it.
fn raise<T: PyTypeInfo>(
    message: String,
    kind: &str,
    set: impl FnOnce(&Bound<'_, pyo3::exceptions::PyBaseException>) -> PyResult<()>,
) -> PyErr {
    let err = PyErr::new::<T, _>(message);
    Python::attach(|py| {
        let value = err.value(py);
        let _ = value.setattr("kind", kind);
        let _ = set(value);
    });
    err
}

/// A class whose only attribute is `kind`.
fn plain<T: PyTypeInfo>(message: String, kind: &str) -> PyErr {
    raise::<T>(message, kind, |_| Ok(()))
}

fn version_error(
    message: String,
    kind: &str,
    scheme: Option<&str>,
    input: Option<&str>,
    offset: Option<usize>,
) -> PyErr {
    raise::<VersionError>(message, kind, |e| {
        e.setattr("scheme", scheme)?;
        e.setattr("input", input)?;
        e.setattr("offset", offset)
    })
}

fn range_error(message: String, kind: &str, input: Option<&str>, offset: Option<usize>) -> PyErr {
    raise::<RangeError>(message, kind, |e| {
        e.setattr("input", input)?;
        e.setattr("offset", offset)
    })
}

fn cpe_error(
    message: String,
    kind: &str,
    input: Option<&str>,
    offset: Option<usize>,
    attribute: Option<&str>,
) -> PyErr {
    raise::<CpeError>(message, kind, |e| {
        e.setattr("input", input)?;
        e.setattr("offset", offset)?;
        e.setattr("attribute", attribute)
    })
}

fn purl_error(message: String, e: &exposure::purl::PurlError) -> PyErr {
    use exposure::purl::PurlErrorKind as K;
    let kind = match e.kind() {
        K::MissingScheme => "missing_scheme",
        K::BadType { .. } => "bad_type",
        K::MissingName => "missing_name",
        K::BadEncoding { .. } => "bad_encoding",
        K::BadQualifier { .. } => "bad_qualifier",
        _ => "other",
    };
    raise::<PurlError>(message, kind, |a| {
        a.setattr("input", e.input())?;
        a.setattr("offset", e.offset())
    })
}

fn cpe_name_error(message: String, e: &exposure::cpe::CpeError) -> PyErr {
    let attribute = e.attribute().map(exposure::cpe::Attribute::name);
    let kind = cpe_kind(e.kind());
    cpe_error(message, kind, Some(e.input()), Some(e.offset()), attribute)
}

/// The classes of a missing file: each a subclass of one exposure class and of Python's
/// `FileNotFoundError` (`errno` ENOENT, `str()` the core's message), made once by [`register`].
static NOT_FOUND: pyo3::sync::PyOnceLock<[Py<pyo3::types::PyType>; 4]> =
    pyo3::sync::PyOnceLock::new();

/// The names of the missing-file classes and the exposure class each extends, in the order of
/// [`NOT_FOUND`].
const NOT_FOUND_CLASSES: [(&str, &str); 4] = [
    ("KnowledgeBaseFileNotFoundError", "KnowledgeBaseError"),
    ("InventoryFileNotFoundError", "InventoryError"),
    ("StoreFileNotFoundError", "StoreError"),
    ("ExposureFileNotFoundError", "ExposureError"),
];

/// Maps any core error to its exception class, with the attributes the class declares; the
/// message is the core's. A file that does not exist is also a `FileNotFoundError`: the
/// class's missing-file subclass (`KnowledgeBaseFileNotFoundError`, ...).
pub(crate) fn into_pyerr(e: impl Into<Error>) -> PyErr {
    let e = e.into();
    missing_file_if(exposure_error(&e), e.is_not_found())
}

/// `err`, as its class's missing-file subclass when `missing`.
fn missing_file_if(err: PyErr, missing: bool) -> PyErr {
    if missing {
        Python::attach(|py| not_found(py, &err)).unwrap_or(err)
    } else {
        err
    }
}

/// `err` (an exposure class) as an instance of its missing-file subclass, with the same
/// message and attributes; None if its class has none.
fn not_found(py: Python<'_>, err: &PyErr) -> Option<PyErr> {
    let classes = NOT_FOUND.get(py)?;
    let value = err.value(py);
    let name = value.get_type().name().ok()?;
    let index = NOT_FOUND_CLASSES
        .iter()
        .position(|(_, base)| name == *base)?;
    let converted = (|| -> PyResult<PyErr> {
        let message = value.getattr("args")?.get_item(0)?;
        let instance = classes[index].bind(py).call1((message,))?;
        if let Ok(attributes) = value.getattr("__dict__") {
            instance
                .getattr("__dict__")?
                .call_method1("update", (attributes,))?;
        }
        instance.setattr("errno", 2)?; // ENOENT on every platform Python runs on
        instance.setattr("strerror", "No such file or directory")?;
        Ok(PyErr::from_value(instance))
    })();
    converted.ok()
}

/// Makes the missing-file classes (see [`NOT_FOUND`]) and adds them to the module.
fn register_not_found(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let builtins = py.import("builtins")?;
    let file_not_found = builtins.getattr("FileNotFoundError")?;
    // BaseException's str(): the core's message, not OSError's "[Errno 2] ..." form.
    let plain_str = builtins.getattr("BaseException")?.getattr("__str__")?;
    let make = |(name, base): (&str, &str)| -> PyResult<Py<pyo3::types::PyType>> {
        let namespace = pyo3::types::PyDict::new(py);
        namespace.set_item("__module__", "exposure")?;
        namespace.set_item(
            "__doc__",
            format!("A file that does not exist: a {base} and a FileNotFoundError (errno ENOENT)."),
        )?;
        namespace.set_item("__str__", &plain_str)?;
        let bases = (m.getattr(base)?, &file_not_found);
        let class = builtins.getattr("type")?.call1((name, bases, namespace))?;
        m.add(name, &class)?;
        Ok(class.cast_into::<pyo3::types::PyType>()?.unbind())
    };
    let classes = [
        make(NOT_FOUND_CLASSES[0])?,
        make(NOT_FOUND_CLASSES[1])?,
        make(NOT_FOUND_CLASSES[2])?,
        make(NOT_FOUND_CLASSES[3])?,
    ];
    let _ = NOT_FOUND.set(py, classes);
    Ok(())
}

/// The exposure class of `e`, with its attributes.
fn exposure_error(e: &Error) -> PyErr {
    let message = e.to_string();
    match e {
        Error::Version(v) => version_error(
            message,
            version_kind(v.kind()),
            Some(v.scheme().name()),
            Some(v.input()),
            Some(v.offset()),
        ),
        Error::Compare(_) => version_error(message, "scheme_mismatch", None, None, None),
        Error::RangeSyntax(r) => {
            let kind = match r.kind() {
                RangeSyntaxErrorKind::Syntax(_) => "syntax",
                RangeSyntaxErrorKind::Vers(kind) => vers_kind(kind),
                RangeSyntaxErrorKind::Version(_) => "version",
                RangeSyntaxErrorKind::Compare(_) => "scheme_mismatch",
                _ => "other",
            };
            range_error(message, kind, Some(r.input()), r.offset())
        }
        Error::Vers(v) => range_error(
            message,
            vers_kind(v.kind()),
            Some(v.input()),
            Some(v.offset()),
        ),
        Error::Range(r) => {
            let kind = match r {
                OsvRangeError::BadEventVersion { .. } => "version",
                OsvRangeError::NoIntroduced => "no_introduced",
                _ => "other",
            };
            range_error(message, kind, None, None)
        }
        Error::Purl(p) | Error::Software(SoftwareError::Purl(p)) => purl_error(message, p),
        Error::Cpe(c) | Error::Software(SoftwareError::Cpe(c)) => cpe_name_error(message, c),
        Error::Configuration(c) => match c {
            ConfigurationError::Name { source, .. } => cpe_name_error(message, source),
            ConfigurationError::Bounds { source, .. } => cpe_error(
                message,
                "bounds",
                Some(source.input()),
                source.offset(),
                Some("version"),
            ),
            ConfigurationError::Shape { .. } => cpe_error(message, "shape", None, None, None),
            ConfigurationError::NotJson { .. } => cpe_error(message, "not_json", None, None, None),
            ConfigurationError::TooDeep { .. } => cpe_error(message, "too_deep", None, None, None),
            _ => cpe_error(message, "other", None, None, None),
        },
        Error::Cvss(c) => {
            let kind = match c.kind() {
                CvssErrorKind::UnknownVersion { .. } => "unknown_version",
                CvssErrorKind::MalformedPart { .. } => "malformed_part",
                CvssErrorKind::UnknownMetric { .. } => "unknown_metric",
                CvssErrorKind::InvalidValue { .. } => "invalid_value",
                CvssErrorKind::DuplicateMetric { .. } => "duplicate_metric",
                CvssErrorKind::MissingMetric { .. } => "missing_metric",
                _ => "other",
            };
            raise::<CvssError>(message, kind, |e| {
                e.setattr("input", c.input())?;
                e.setattr("offset", c.offset())
            })
        }
        Error::Kb(k) => {
            let kind = match k {
                KbError::Input { .. } => "io",
                KbError::Snapshot { source, .. } => snapshot_kind(source),
                _ => "other",
            };
            plain::<KnowledgeBaseError>(message, kind)
        }
        Error::Snapshot(s) => plain::<KnowledgeBaseError>(message, snapshot_kind(s)),
        Error::Inventory(i) => {
            let kind = match i {
                CoreInventoryError::Input { .. } => "io",
                CoreInventoryError::NotJson { .. } => "not_json",
                CoreInventoryError::UnknownFormat { .. } => "unknown_format",
                CoreInventoryError::Malformed { .. } => "malformed",
                _ => "other",
            };
            plain::<InventoryError>(message, kind)
        }
        Error::Software(s) => {
            let kind = match s {
                SoftwareError::NoVersion(_) => "no_version",
                SoftwareError::CpeWithoutVersion(_) => "cpe_without_version",
                _ => "other",
            };
            plain::<InventoryError>(message, kind)
        }
        Error::Distro(d) => {
            let kind = match d {
                DistroError::UnknownName(_) => "unknown_distro",
                DistroError::Input { .. } => "io",
                DistroError::NotAnOsRelease(_) => "not_an_os_release",
                _ => "other",
            };
            plain::<InventoryError>(message, kind)
        }
        Error::Registry(_) => plain::<InventoryError>(message, "registry"),
        Error::UnknownScheme(_) => plain::<ExposureError>(message, "unknown_scheme"),
        Error::Dictionary(_) => plain::<ExposureError>(message, "cpe_dictionary"),
        Error::Alias(_) => plain::<ExposureError>(message, "cpe_alias"),
        Error::Input(_) => plain::<ExposureError>(message, "io"),
        Error::MissingInputs => plain::<ExposureError>(message, "missing_inputs"),
        Error::Parameters(_) => plain::<ExposureError>(message, "parameters"),
        Error::Exceptions(x) => exception_set_error(message, x),
        Error::Record(x) => record_error(x),
        Error::Remediation(x) => remediation_error(x),
        Error::KnowledgeIncomplete {
            input,
            shortfall,
            report,
        } => incomplete::<KnowledgeIncompleteError>(message, input, *shortfall, report),
        Error::InventoryIncomplete {
            input,
            shortfall,
            report,
        } => incomplete::<InventoryIncompleteError>(message, input, *shortfall, report),
        _ => plain::<ExposureError>(message, "other"),
    }
}

/// An input refused as incomplete: its name and load report (a dict) on the exception.
fn incomplete<T: PyTypeInfo>(
    message: String,
    input: &str,
    shortfall: Shortfall,
    report: &LoadReport,
) -> PyErr {
    let kind = match shortfall {
        Shortfall::Empty => "empty",
        Shortfall::Lossy { .. } => "lossy",
        _ => "other",
    };
    raise::<T>(message, kind, |e| {
        e.setattr("input", input)?;
        e.setattr("report", crate::convert::to_python(e.py(), report)?)
    })
}

fn version_kind(kind: &VersionErrorKind) -> &'static str {
    match kind {
        VersionErrorKind::Empty => "empty",
        VersionErrorKind::UnexpectedChar { .. } => "unexpected_char",
        VersionErrorKind::UnexpectedEnd => "unexpected_end",
        VersionErrorKind::NumberTooLarge => "number_too_large",
        VersionErrorKind::LeadingZero => "leading_zero",
        VersionErrorKind::Invalid(_) => "invalid",
        _ => "other",
    }
}

fn vers_kind(kind: &VersErrorKind) -> &'static str {
    match kind {
        VersErrorKind::Syntax(_) => "syntax",
        VersErrorKind::UnknownScheme { .. } => "unknown_scheme",
        VersErrorKind::Version { .. } => "version",
        VersErrorKind::NonCanonical(_) => "non_canonical",
        _ => "other",
    }
}

fn cpe_kind(kind: &CpeErrorKind) -> &'static str {
    match kind {
        CpeErrorKind::Prefix => "prefix",
        CpeErrorKind::ComponentCount { .. } => "component_count",
        CpeErrorKind::Empty => "empty",
        CpeErrorKind::EmbeddedAsterisk => "embedded_asterisk",
        CpeErrorKind::EmbeddedQuestionMark => "embedded_question_mark",
        CpeErrorKind::Character(_) => "character",
        CpeErrorKind::Quoted(_) => "quoted",
        CpeErrorKind::DanglingQuote => "dangling_quote",
        CpeErrorKind::PercentEncoding(_) => "percent_encoding",
        CpeErrorKind::Part => "part",
        CpeErrorKind::Language => "language",
        CpeErrorKind::WfnSyntax(_) => "wfn_syntax",
        CpeErrorKind::WfnAttribute(_) => "wfn_attribute",
        _ => "other",
    }
}

fn snapshot_kind(e: &SnapshotError) -> &'static str {
    match e {
        SnapshotError::NotASnapshot => "not_a_snapshot",
        SnapshotError::WrongVersion { .. } => "wrong_version",
        SnapshotError::Truncated { .. } => "truncated",
        SnapshotError::Corrupted { .. } => "corrupted",
        SnapshotError::Payload(_) => "payload",
        SnapshotError::Io(_) => "io",
        _ => "other",
    }
}

/// Output that could not be serialised (a bug): the base class.
pub(crate) fn serialization_error(e: &serde_json::Error) -> PyErr {
    plain::<ExposureError>(e.to_string(), "serialization")
}

/// A range text that is not `vers:` given without a scheme.
pub(crate) fn missing_scheme() -> PyErr {
    plain::<ExposureError>(
        "give a scheme, or a vers: string".to_owned(),
        "missing_scheme",
    )
}

/// An engine whose load panicked inside the library: it may be half filled, so it answers
/// nothing more.
pub(crate) fn poisoned_engine() -> PyErr {
    plain::<ExposureError>(
        "the engine is unusable: a load failed inside the library and may have left it half filled"
            .to_owned(),
        "poisoned",
    )
}

/// A CPE attribute name that is not one of the eleven.
pub(crate) fn unknown_attribute(name: &str) -> PyErr {
    let message = format!("unknown attribute {name:?}");
    cpe_error(message, "unknown_attribute", None, None, None)
}

/// An exception set refused: its kind, the exception (id, index) and the field path.
fn exception_set_error(message: String, e: &exposure::exceptions::ExceptionError) -> PyErr {
    use exposure::exceptions::ExceptionErrorKind as K;
    let kind = match e.kind() {
        K::Syntax(_) => "syntax",
        K::TooDeep { .. } => "too_deep",
        K::Format { .. } => "format",
        K::WrongType { .. } => "wrong_type",
        K::Missing => "missing",
        K::UnknownField => "unknown_field",
        K::Empty => "empty",
        K::EmptyId => "empty_id",
        K::DuplicateId { .. } => "duplicate_id",
        K::UnknownJustification(_) => "unknown_justification",
        K::UnknownScope(_) => "unknown_scope",
        K::BadProduct(_) => "bad_product",
        K::BadDate(_) => "bad_date",
        K::ExpiresBeforeCreated { .. } => "expires_before_created",
        _ => "other",
    };
    raise::<ExceptionSetError>(message, kind, |a| {
        a.setattr("exception_id", e.id())?;
        a.setattr("index", e.index())?;
        a.setattr("path", e.path())
    })
}

/// An assessment record error as `RecordError`.
pub(crate) fn record_error(e: &exposure::history::RecordError) -> PyErr {
    use exposure::history::RecordError as E;
    let kind = match e {
        E::Format { .. } => "format",
        E::NotARecord => "not_a_record",
        E::WrongVersion { .. } => "wrong_version",
        E::Truncated { .. } => "truncated",
        E::Corrupted { .. } => "corrupted",
        E::Invalid(_) | E::Json { .. } => "invalid",
        E::NoFleet => "no_fleet",
        E::TooLarge(_) => "too_large",
        _ => "other",
    };
    plain::<RecordError>(e.to_string(), kind)
}

/// A remediation error as `RemediationError` (with `near`).
pub(crate) fn remediation_error(e: &exposure::remediation::RemediationError) -> PyErr {
    use exposure::remediation::RemediationError as E;
    let (kind, near): (&str, &[String]) = match e {
        E::EmptyId => ("empty_id", &[]),
        E::UnknownRecommendation { near, .. } => ("unknown_recommendation", near),
        E::DueBeforeCreation { .. } => ("due_before_creation", &[]),
        E::NoTargetedDevice { .. } => ("no_targeted_device", &[]),
        E::Export(_) => ("export", &[]),
        _ => ("other", &[]),
    };
    raise::<RemediationError>(e.to_string(), kind, |x| x.setattr("near", near.to_vec()))
}

/// A store error as `StoreError` (with `path`, None when the error names no file).
pub(crate) fn store_error(e: &exposure_store::Error, path: &std::path::Path) -> PyErr {
    use exposure_store::Error as E;
    let kind = match e {
        E::Io { .. } => "io",
        E::NotADatabase { .. } => "not_a_database",
        E::NotAStore { .. } => "not_a_store",
        E::Corrupt { .. } => "corrupt",
        E::NewerSchema { .. } => "newer_schema",
        E::OlderSchema { .. } => "older_schema",
        E::ReadOnly { .. } => "read_only",
        E::Migration { .. } => "migration",
        E::JournalMode { .. } => "journal_mode",
        E::Busy { .. } => "busy",
        E::BadValue { .. } => "bad_value",
        E::Sqlite { .. } => "sqlite",
        E::TooLarge { .. } => "too_large",
        E::InvalidJson { .. } => "invalid_json",
        E::NoSuchAssessment(_) => "no_such_assessment",
        _ => "other",
    };
    let missing =
        matches!(e, E::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound);
    let err = raise::<StoreError>(e.to_string(), kind, |x| {
        x.setattr("path", path.to_string_lossy().into_owned())
    });
    missing_file_if(err, missing)
}

/// A store row that does not read as what the store promises (a payload that is not a
/// record): `StoreError` of kind `kind`.
pub(crate) fn store_value_error(message: String, kind: &str, path: &std::path::Path) -> PyErr {
    raise::<StoreError>(message, kind, |x| {
        x.setattr("path", path.to_string_lossy().into_owned())
    })
}

/// An `ArrowBatchError` with its `kind`, `column` and `row`.
pub(crate) fn arrow_error(
    message: String,
    kind: &str,
    column: Option<&str>,
    row: Option<usize>,
) -> PyErr {
    raise::<ArrowBatchError>(message, kind, |e| {
        e.setattr("column", column)?;
        e.setattr("row", row)
    })
}

/// A core batch error as `ArrowBatchError`.
pub(crate) fn batch_error(e: &exposure::arrow::BatchError) -> PyErr {
    use exposure::arrow::BatchError as E;
    let (kind, column, row) = match e {
        E::MissingColumn { column } => ("missing_column", Some(*column), None),
        E::UnknownColumn { column } => ("unknown_column", Some(column.as_str()), None),
        E::WrongType { column, .. } => ("wrong_type", Some(*column), None),
        E::Null { column, row } => ("null", Some(*column), Some(*row)),
        E::Invalid { column, row, .. } => ("invalid", Some(*column), Some(*row)),
        E::Conflict { column, row, .. } => ("conflict", Some(*column), Some(*row)),
        E::Knowledge { .. } => ("knowledge", None, None),
        _ => ("output", None, None),
    };
    arrow_error(e.to_string(), kind, column, row)
}

/// A core aggregate error as `AggregateError`, `part` the index of the part at fault.
pub(crate) fn aggregate_error(e: &exposure::stream::AggregateError, part: Option<usize>) -> PyErr {
    use exposure::stream::AggregateError as E;
    let kind = match e {
        E::Malformed(_) => "malformed",
        E::Format { .. } => "format",
        E::Knowledge { .. } => "knowledge",
        E::MixedAsOf => "mixed_as_of",
        E::WithoutFleet => "without_fleet",
        E::Inconsistent => "inconsistent",
        _ => "other",
    };
    let message = match part {
        Some(part) => format!("aggregate part {part}: {e}"),
        None => e.to_string(),
    };
    raise::<AggregateError>(message, kind, |x| x.setattr("part", part))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("AggregateError", py.get_type::<AggregateError>())?;
    m.add("ArrowBatchError", py.get_type::<ArrowBatchError>())?;
    m.add("RecordError", py.get_type::<RecordError>())?;
    m.add("RemediationError", py.get_type::<RemediationError>())?;
    m.add("StoreError", py.get_type::<StoreError>())?;
    m.add("ExceptionSetError", py.get_type::<ExceptionSetError>())?;
    m.add("ExposureError", py.get_type::<ExposureError>())?;
    m.add("VersionError", py.get_type::<VersionError>())?;
    m.add("RangeError", py.get_type::<RangeError>())?;
    m.add("PurlError", py.get_type::<PurlError>())?;
    m.add("CpeError", py.get_type::<CpeError>())?;
    m.add("CvssError", py.get_type::<CvssError>())?;
    m.add("KnowledgeBaseError", py.get_type::<KnowledgeBaseError>())?;
    m.add(
        "KnowledgeBaseUpdateError",
        py.get_type::<KnowledgeBaseUpdateError>(),
    )?;
    m.add("InventoryError", py.get_type::<InventoryError>())?;
    m.add(
        "KnowledgeIncompleteError",
        py.get_type::<KnowledgeIncompleteError>(),
    )?;
    m.add(
        "InventoryIncompleteError",
        py.get_type::<InventoryIncompleteError>(),
    )?;
    register_not_found(m)
}
