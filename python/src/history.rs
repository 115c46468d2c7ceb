//! The history layer for Python: assessment records, their diff and timeline, the views a
//! product draws (as DataFrames), remediation activities and the CLI's store, read-only.
//! Everything here converts arguments and results; what a record, a view or a progress is
//! stays core's (and the store's).

use crate::convert::to_python;
use crate::errors::{record_error, remediation_error, store_error};
use crate::{as_of_arg, dataframe};
use exposure::history::AssessmentRecord;
use exposure::remediation::{ActivityOptions, Priority, RemediationActivity, Targets};
use exposure::views::Filter;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The columns of `Record.software_rows()`, in the order core serialises them.
const SOFTWARE_COLUMNS: &[&str] = &[
    "ecosystem",
    "product",
    "name",
    "vendor",
    "versions",
    "installed_on",
    "exposed_devices",
    "weaknesses",
    "known_exploited",
    "exploit_maturity",
    "max_epss",
    "impact",
    "support",
    "support_ends",
];

/// The columns of `Record.weakness_rows()`.
const WEAKNESS_COLUMNS: &[&str] = &[
    "id",
    "cves",
    "summary",
    "severity",
    "cvss_score",
    "epss",
    "known_exploited",
    "exploit_maturity",
    "published",
    "exposed_devices",
    "devices",
    "software",
    "fix",
    "impact",
];

/// The columns of `Record.device_rows()`.
const DEVICE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "score",
    "level",
    "value",
    "weight",
    "groups",
    "internet_facing",
    "findings",
    "exposed_findings",
    "software",
    "secure_score",
    "top_recommendations",
    "last_assessed",
];

/// The columns of `Record.recommendation_rows()`.
const RECOMMENDATION_COLUMNS: &[&str] = &[
    "id",
    "rank",
    "action",
    "ecosystem",
    "software",
    "text",
    "target_version",
    "impact",
    "findings",
    "devices",
    "known_exploited",
];

/// The columns of `timeline_rows()`.
const EVENT_COLUMNS: &[&str] = &[
    "kind",
    "date",
    "advisory",
    "cves",
    "software",
    "devices",
    "score_change",
    "before",
    "after",
];

/// The columns of `activity_progress_rows()`.
const PROGRESS_COLUMNS: &[&str] = &[
    "activity",
    "recommendation",
    "title",
    "priority",
    "due",
    "as_of",
    "devices",
    "done",
    "remaining",
    "regressed",
    "gone",
    "findings_remaining",
    "completed",
    "overdue",
];

/// The columns of `Store.assessment_rows()`.
const ASSESSMENT_COLUMNS: &[&str] = &[
    "id",
    "recorded_at",
    "as_of",
    "label",
    "score",
    "level",
    "devices",
    "findings",
    "format",
    "payload_len",
];

/// The columns of `Store.exception_rows()`.
const EXCEPTION_COLUMNS: &[&str] = &[
    "id",
    "status",
    "created_at",
    "expires",
    "revoked_at",
    "updated_at",
    "exception",
];

/// The columns of `Store.activity_rows()`.
const ACTIVITY_COLUMNS: &[&str] = &[
    "id",
    "recommendation_id",
    "status",
    "created_at",
    "due",
    "priority",
    "note",
    "targets",
    "updated_at",
    "activity",
];

/// The stable record of one assessment (`exposure-record/1`): what a history keeps so that
/// diffs, timelines, views and remediation progress need neither the fleet nor the knowledge
/// base again. Made by `Assessment.record()`, read back with `Record.from_json` /
/// `Record.from_bytes` or from a store (`Store.record`). Immutable; two records are equal
/// when their content is.
#[pyclass(frozen, module = "exposure", name = "Record", eq)]
#[derive(PartialEq)]
pub(crate) struct PyRecord(pub(crate) Arc<AssessmentRecord>);

impl PyRecord {
    pub(crate) fn new(record: AssessmentRecord) -> Self {
        Self(Arc::new(record))
    }
}

/// A view filter: every device, or the devices of `group`.
fn filter(group: Option<String>) -> Filter {
    group.map_or_else(Filter::all, Filter::group)
}

/// A day `YYYY-MM-DD` that must be given, or ValueError naming the argument.
fn day_arg(name: &str, day: &str) -> PyResult<exposure::date::Date> {
    day.parse().map_err(|_| {
        pyo3::exceptions::PyValueError::new_err(format!("{name} {day:?} is not a date YYYY-MM-DD"))
    })
}

/// The records of a Python sequence, shared (no copy).
fn records_arg(records: &[Bound<'_, PyRecord>]) -> Vec<Arc<AssessmentRecord>> {
    records.iter().map(|r| Arc::clone(&r.get().0)).collect()
}

/// Owned copies, for the core functions that take a slice of records.
fn owned(records: &[Arc<AssessmentRecord>]) -> Vec<AssessmentRecord> {
    records.iter().map(|r| (**r).clone()).collect()
}

/// A remediation activity from a dict (any JSON-serialisable mapping, as `create_activity`
/// returns) or its JSON text.
fn activity_arg(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<RemediationActivity> {
    let text: String = if let Ok(text) = value.extract::<String>() {
        text
    } else {
        py.import("json")?
            .call_method1("dumps", (value,))?
            .extract()?
    };
    serde_json::from_str(&text).map_err(|e| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "not a remediation activity (the dict Record.create_activity returns): {e}"
        ))
    })
}

#[pymethods]
impl PyRecord {
    /// Reads a record from its JSON form; another format or a broken document raises
    /// RecordError.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        py.detach(|| AssessmentRecord::from_json(text))
            .map(Self::new)
            .map_err(|e| record_error(&e))
    }

    /// Reads a record from its binary form (`to_bytes`, what stores keep); bytes that are not
    /// a record, truncated or corrupted raise RecordError.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        py.detach(|| AssessmentRecord::from_binary(data))
            .map(Self::new)
            .map_err(|e| record_error(&e))
    }

    /// The record as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| self.0.to_json()).map_err(|e| record_error(&e))
    }

    /// The record's compact binary form (framed, checksummed).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let bytes = py.detach(|| self.0.to_binary());
        PyBytes::new(py, &bytes)
    }

    /// The whole record as plain dicts and lists.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &*self.0)
    }

    /// The record's format, `exposure-record/1`.
    #[getter]
    fn format(&self) -> &str {
        &self.0.format
    }

    /// The day the assessment was made as of (`YYYY-MM-DD`), or None.
    #[getter]
    fn as_of(&self) -> Option<String> {
        self.0.as_of.map(|d| d.to_string())
    }

    /// The organisation exposure score, 0-100.
    #[getter]
    fn score(&self) -> f64 {
        self.0.score
    }

    /// The organisation exposure level: "low", "medium" or "high".
    #[getter]
    fn level(&self) -> &'static str {
        self.0.level.name()
    }

    /// The organisation's secure-configuration score, or None.
    #[getter]
    fn secure_score(&self) -> Option<f64> {
        self.0.secure_score
    }

    /// The model's parameter version.
    #[getter]
    fn model_version(&self) -> &str {
        &self.0.model_version
    }

    /// What the knowledge base held: advisories, kev_entries, epss_scores, vex_statements.
    #[getter]
    fn knowledge(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.knowledge)
    }

    /// Number of devices.
    #[getter]
    fn device_count(&self) -> usize {
        self.0.devices.len()
    }

    /// Number of distinct software items installed.
    #[getter]
    fn software_count(&self) -> usize {
        self.0.software.len()
    }

    /// Number of advisories the findings name.
    #[getter]
    fn advisory_count(&self) -> usize {
        self.0.advisories.len()
    }

    /// Number of findings (those left after VEX and exceptions).
    #[getter]
    fn finding_count(&self) -> usize {
        self.0.findings.len()
    }

    /// Number of recommendations on the to-do list.
    #[getter]
    fn recommendation_count(&self) -> usize {
        self.0.recommendations.len()
    }

    /// Number of findings a VEX statement or an exception removed.
    #[getter]
    fn suppressed_count(&self) -> usize {
        self.0.suppressed.len()
    }

    /// The device groups of the record, sorted.
    #[getter]
    fn groups(&self) -> Vec<String> {
        exposure::views::groups(&self.0)
    }

    /// Every exception the assessment judged, with what it did, as dicts.
    #[getter]
    fn exceptions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.exceptions)
    }

    /// What changed from this record to `newer` (self is the earlier one), as a dict: new and
    /// fixed findings (with the reason: a suppression, a software change...), software added,
    /// removed or changed, devices added and gone, device score changes and the organisation
    /// score change with its causes. The GIL is released.
    fn diff(&self, py: Python<'_>, newer: &Bound<'_, PyRecord>) -> PyResult<Py<PyAny>> {
        let newer = Arc::clone(&newer.get().0);
        let diff = py.detach(|| exposure::history::RecordDiff::between(&self.0, &newer));
        to_python(py, &diff)
    }

    /// `diff(newer)` and the timeline events between the two records, as a dict with `diff`
    /// and `events` (each event: kind, date, advisory, cves, software, devices, score_change,
    /// before, after).
    fn changes(&self, py: Python<'_>, newer: &Bound<'_, PyRecord>) -> PyResult<Py<PyAny>> {
        #[derive(serde::Serialize)]
        struct Changes {
            diff: exposure::history::RecordDiff,
            events: Vec<exposure::history::Event>,
        }
        let newer = Arc::clone(&newer.get().0);
        let (diff, events) = py.detach(|| {
            exposure::history::changes(
                &self.0,
                &newer,
                None,
                &exposure::history::EventOptions::default(),
            )
        });
        to_python(py, &Changes { diff, events })
    }

    /// The software inventory view as dicts (`group` limits it to one device group).
    #[pyo3(signature = (group = None))]
    fn software_rows(&self, py: Python<'_>, group: Option<String>) -> PyResult<Py<PyAny>> {
        let rows = py.detach(|| exposure::views::software::rows(&self.0, &filter(group)));
        to_python(py, &rows)
    }

    /// The software inventory view as a pandas DataFrame: one row per product (ecosystem,
    /// product, name, vendor, versions, installed_on, exposed_devices, weaknesses,
    /// known_exploited, exploit_maturity, max_epss, impact, support, support_ends). Needs
    /// pandas; `software_rows` gives the same rows as dicts.
    #[pyo3(signature = (group = None))]
    fn software(&self, py: Python<'_>, group: Option<String>) -> PyResult<Py<PyAny>> {
        let rows = self.software_rows(py, group)?;
        dataframe(
            py,
            rows,
            SOFTWARE_COLUMNS.to_vec(),
            "Record.software",
            "software_rows()",
        )
    }

    /// The weaknesses view as dicts.
    #[pyo3(signature = (group = None))]
    fn weakness_rows(&self, py: Python<'_>, group: Option<String>) -> PyResult<Py<PyAny>> {
        let rows = py.detach(|| exposure::views::weaknesses::rows(&self.0, &filter(group)));
        to_python(py, &rows)
    }

    /// The weaknesses view as a pandas DataFrame: one row per vulnerability (id, cves,
    /// summary, severity, cvss_score, epss, known_exploited, exploit_maturity, published,
    /// exposed_devices, devices, software, fix, impact). Needs pandas.
    #[pyo3(signature = (group = None))]
    fn weaknesses(&self, py: Python<'_>, group: Option<String>) -> PyResult<Py<PyAny>> {
        let rows = self.weakness_rows(py, group)?;
        dataframe(
            py,
            rows,
            WEAKNESS_COLUMNS.to_vec(),
            "Record.weaknesses",
            "weakness_rows()",
        )
    }

    /// The devices view as dicts, each with its `top` recommendations.
    #[pyo3(signature = (group = None, top = 3))]
    fn device_rows(
        &self,
        py: Python<'_>,
        group: Option<String>,
        top: usize,
    ) -> PyResult<Py<PyAny>> {
        let rows = py.detach(|| exposure::views::devices::rows(&self.0, &filter(group), top));
        to_python(py, &rows)
    }

    /// The devices view as a pandas DataFrame: one row per device (id, name, score, level,
    /// value, weight, groups, internet_facing, findings, exposed_findings, software,
    /// secure_score, top_recommendations, last_assessed). Needs pandas.
    #[pyo3(signature = (group = None, top = 3))]
    fn devices(&self, py: Python<'_>, group: Option<String>, top: usize) -> PyResult<Py<PyAny>> {
        let rows = self.device_rows(py, group, top)?;
        dataframe(
            py,
            rows,
            DEVICE_COLUMNS.to_vec(),
            "Record.devices",
            "device_rows()",
        )
    }

    /// The security recommendations view as dicts.
    #[pyo3(signature = (group = None))]
    fn recommendation_rows(&self, py: Python<'_>, group: Option<String>) -> PyResult<Py<PyAny>> {
        let rows = py.detach(|| exposure::views::recommendations::rows(&self.0, &filter(group)));
        to_python(py, &rows)
    }

    /// The security recommendations view as a pandas DataFrame: one row per recommendation
    /// (id, rank, action, ecosystem, software, text, target_version, impact, findings,
    /// devices, known_exploited). Needs pandas.
    #[pyo3(signature = (group = None))]
    fn recommendations(&self, py: Python<'_>, group: Option<String>) -> PyResult<Py<PyAny>> {
        let rows = self.recommendation_rows(py, group)?;
        dataframe(
            py,
            rows,
            RECOMMENDATION_COLUMNS.to_vec(),
            "Record.recommendations",
            "recommendation_rows()",
        )
    }

    /// A remediation activity asking to take recommendation `recommendation_id` (the `id`
    /// column of `recommendations()`) on the devices it covers, or only on `devices` and the
    /// devices of `groups`; `created` and `due` are days `YYYY-MM-DD`, `priority` one of
    /// "low", "medium", "high", "critical". Returns the activity as a dict (store it as it
    /// is; `activity_progress` reads it back). A refused activity (empty id, unknown
    /// recommendation with the nearest ids in `near`, due before created, targets naming none
    /// of the covered devices) raises RemediationError.
    #[pyo3(signature = (recommendation_id, *, id, created, due = None, priority = "medium", note = None, devices = None, groups = None))]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of the Python method
    fn create_activity(
        &self,
        py: Python<'_>,
        recommendation_id: &str,
        id: String,
        created: &str,
        due: Option<&str>,
        priority: &str,
        note: Option<String>,
        devices: Option<Vec<String>>,
        groups: Option<Vec<String>>,
    ) -> PyResult<Py<PyAny>> {
        let priority: Priority = serde_json::from_value(serde_json::Value::String(
            priority.to_owned(),
        ))
        .map_err(|_| {
            pyo3::exceptions::PyValueError::new_err(format!(
                "priority {priority:?} is not one of low, medium, high, critical"
            ))
        })?;
        let options = ActivityOptions {
            due: due.map(|d| day_arg("due", d)).transpose()?,
            priority,
            note: note.unwrap_or_default(),
            targets: Targets {
                devices: devices.unwrap_or_default(),
                groups: groups.unwrap_or_default(),
            },
            ..ActivityOptions::new(id, day_arg("created", created)?)
        };
        let activity = py
            .detach(|| RemediationActivity::create(&self.0, recommendation_id, options))
            .map_err(|e| remediation_error(&e))?;
        to_python(py, &activity)
    }

    fn __repr__(&self) -> String {
        format!(
            "Record(as_of={}, score={:.1}, level={:?}, devices={}, findings={})",
            self.0
                .as_of
                .map_or_else(|| "None".to_owned(), |d| format!("{:?}", d.to_string())),
            self.0.score,
            self.0.level.name(),
            self.0.devices.len(),
            self.0.findings.len()
        )
    }
}

/// The event timeline of `records` (oldest first) as dicts, events of consecutive pairs
/// (new vulnerability, public exploit, KEV added, EPSS jump, fixed, exposure score change...),
/// only those on or after `since` (`YYYY-MM-DD`) when given. The GIL is released.
#[pyfunction]
#[pyo3(signature = (records, since = None))]
#[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
pub(crate) fn timeline_rows(
    py: Python<'_>,
    records: Vec<Bound<'_, PyRecord>>,
    since: Option<String>,
) -> PyResult<Py<PyAny>> {
    let since = as_of_arg(since)?;
    let records = records_arg(&records);
    let timeline = py.detach(|| exposure::history::Timeline::of(&owned(&records), since));
    to_python(py, &timeline.events)
}

/// `timeline_rows` as a pandas DataFrame, one row per event (kind, date, advisory, cves,
/// software, devices, score_change, before, after). Needs pandas.
#[pyfunction]
#[pyo3(signature = (records, since = None))]
pub(crate) fn timeline(
    py: Python<'_>,
    records: Vec<Bound<'_, PyRecord>>,
    since: Option<String>,
) -> PyResult<Py<PyAny>> {
    let rows = timeline_rows(py, records, since)?;
    dataframe(
        py,
        rows,
        EVENT_COLUMNS.to_vec(),
        "exposure.timeline",
        "timeline_rows()",
    )
}

/// The dashboard over `records` (a history, oldest first; its figures are the newest
/// record's) as a dict: group, as_of, devices, score, level, trend (as_of, score, level,
/// devices per record), secure_score, distribution (devices per level), the `top`
/// recommendations, software and devices, and the top events. `group` limits every figure
/// to one device group. An empty history raises ValueError.
#[pyfunction]
#[pyo3(signature = (records, group = None, top = 5))]
#[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
pub(crate) fn dashboard(
    py: Python<'_>,
    records: Vec<Bound<'_, PyRecord>>,
    group: Option<String>,
    top: usize,
) -> PyResult<Py<PyAny>> {
    if records.is_empty() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "a dashboard needs at least one record",
        ));
    }
    let records = records_arg(&records);
    let dashboard = py.detach(|| {
        exposure::views::dashboard::Dashboard::of(&owned(&records), &filter(group), top)
    });
    to_python(py, &dashboard)
}

/// The progress of `activity` (the dict `Record.create_activity` returns, or its JSON) on
/// each of `records` (oldest first), as a dict: `points` (one per record: as_of, per device
/// state done/open/regressed/gone, done, remaining, overdue, completed...), `regressions`
/// (device, done_at, reopened_at: indexes into `records`) and `latest` (the last point, or
/// None). A device done on a record and open again on a later one counts again.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
pub(crate) fn activity_progress(
    py: Python<'_>,
    activity: &Bound<'_, PyAny>,
    records: Vec<Bound<'_, PyRecord>>,
) -> PyResult<Py<PyAny>> {
    #[derive(serde::Serialize)]
    struct Progress<'a> {
        points: &'a [exposure::remediation::ActivityProgress],
        regressions: &'a [exposure::remediation::Regression],
        latest: Option<&'a exposure::remediation::ActivityProgress>,
    }
    let activity = activity_arg(py, activity)?;
    let records = records_arg(&records);
    let series = py.detach(|| exposure::remediation::progress_over(&activity, &owned(&records)));
    to_python(
        py,
        &Progress {
            points: &series.points,
            regressions: &series.regressions,
            latest: series.latest(),
        },
    )
}

/// The progress of `activity` on each of `records` as rows for ticketing systems, one per
/// record (activity, recommendation, title, priority, due, as_of, devices, done, remaining,
/// regressed, gone, findings_remaining, completed, overdue), as dicts.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
pub(crate) fn activity_progress_rows(
    py: Python<'_>,
    activity: &Bound<'_, PyAny>,
    records: Vec<Bound<'_, PyRecord>>,
) -> PyResult<Py<PyAny>> {
    let activity = activity_arg(py, activity)?;
    let records = records_arg(&records);
    let rows = py.detach(|| {
        let series = exposure::remediation::progress_over(&activity, &owned(&records));
        exposure::remediation::export::activity_rows(&series.points)
    });
    to_python(py, &rows)
}

/// `activity_progress_rows` as a pandas DataFrame. Needs pandas.
#[pyfunction]
pub(crate) fn activity_progress_dataframe(
    py: Python<'_>,
    activity: &Bound<'_, PyAny>,
    records: Vec<Bound<'_, PyRecord>>,
) -> PyResult<Py<PyAny>> {
    let rows = activity_progress_rows(py, activity, records)?;
    dataframe(
        py,
        rows,
        PROGRESS_COLUMNS.to_vec(),
        "exposure.activity_progress_dataframe",
        "activity_progress_rows()",
    )
}

/// The CLI's store (`exposure assess ... --db FILE`), opened read-only: its assessment
/// history, exceptions and remediation activities. Opening never changes the file: a missing
/// file, one that is not an exposure store, a damaged one or one of a newer (or older)
/// schema raises StoreError with `kind` and `path`. Reads release the GIL; a store may be
/// shared between threads (reads take turns).
#[pyclass(frozen, module = "exposure", name = "Store")]
pub(crate) struct PyStore {
    inner: Mutex<exposure_store::Store>,
    path: PathBuf,
}

impl PyStore {
    /// Runs `body` on the store with the GIL released; a store error becomes StoreError.
    fn reading<T: Send>(
        &self,
        py: Python<'_>,
        body: impl FnOnce(&exposure_store::Store) -> Result<T, exposure_store::Error> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let store = self
                .inner
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            body(&store)
        })
        .map_err(|e| store_error(&e, &self.path))
    }

    /// The records of `entries`, read and decoded with the GIL released.
    fn records_of(&self, py: Python<'_>, ids: &[i64]) -> PyResult<Vec<PyRecord>> {
        let path = self.path.clone();
        let payloads = self.reading(py, |store| {
            ids.iter()
                .map(|&id| {
                    store
                        .assessment_payload(id)?
                        .ok_or(exposure_store::Error::NoSuchAssessment(id))
                        .map(|p| (id, p))
                })
                .collect::<Result<Vec<_>, _>>()
        })?;
        py.detach(|| {
            payloads
                .iter()
                .map(|(id, payload)| {
                    AssessmentRecord::from_binary(payload)
                        .map(PyRecord::new)
                        .map_err(|e| (*id, e))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|(id, e)| {
            crate::errors::store_value_error(
                format!(
                    "{}: assessment {id}'s record does not read: {e}",
                    path.display()
                ),
                "bad_record",
                &path,
            )
        })
    }

    fn query(
        label: Option<String>,
        since: Option<String>,
    ) -> PyResult<exposure_store::AssessmentQuery> {
        Ok(exposure_store::AssessmentQuery {
            label,
            since: as_of_arg(since)?,
        })
    }
}

/// A text the store keeps as JSON, as a Python value (the text itself when it is not JSON).
fn json_value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
}

#[pymethods]
impl PyStore {
    /// Opens the store at `path` for reading (see the class).
    #[new]
    #[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let store = py
            .detach(|| exposure_store::Store::open_read_only(&path))
            .map_err(|e| store_error(&e, &path))?;
        Ok(Self {
            inner: Mutex::new(store),
            path,
        })
    }

    /// The database file, as given.
    #[getter]
    fn path(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }

    /// The store's schema version (`PRAGMA user_version`).
    #[getter]
    fn schema_version(&self, py: Python<'_>) -> PyResult<u32> {
        self.reading(py, exposure_store::Store::schema_version)
    }

    /// The assessment history as dicts, oldest first: id, recorded_at, as_of, label, score,
    /// level, devices, findings, format, payload_len; only `label`'s and those as of `since`
    /// (`YYYY-MM-DD`) or later when given.
    #[pyo3(signature = (label = None, since = None))]
    fn assessment_rows(
        &self,
        py: Python<'_>,
        label: Option<String>,
        since: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let query = Self::query(label, since)?;
        let entries = self.reading(py, |store| store.assessments(&query))?;
        let rows: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "recorded_at": e.meta.recorded_at.to_string(),
                    "as_of": e.meta.as_of.map(|d| d.to_string()),
                    "label": e.meta.label,
                    "score": e.meta.score,
                    "level": e.meta.level,
                    "devices": e.meta.devices,
                    "findings": e.meta.findings,
                    "format": e.meta.format,
                    "payload_len": e.payload_len,
                })
            })
            .collect();
        to_python(py, &rows)
    }

    /// `assessment_rows` as a pandas DataFrame. Needs pandas.
    #[pyo3(signature = (label = None, since = None))]
    fn assessments(
        &self,
        py: Python<'_>,
        label: Option<String>,
        since: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let rows = self.assessment_rows(py, label, since)?;
        dataframe(
            py,
            rows,
            ASSESSMENT_COLUMNS.to_vec(),
            "Store.assessments",
            "assessment_rows()",
        )
    }

    /// The record stored under assessment `id` (the `id` column of `assessments()`); an
    /// unknown id raises StoreError (kind "no_such_assessment"), a payload that does not read
    /// StoreError (kind "bad_record").
    fn record(&self, py: Python<'_>, id: i64) -> PyResult<PyRecord> {
        Ok(self.records_of(py, &[id])?.remove(0))
    }

    /// The newest record (of `label`, when given), or None when the store has none.
    #[pyo3(signature = (label = None))]
    #[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
    fn latest(&self, py: Python<'_>, label: Option<String>) -> PyResult<Option<PyRecord>> {
        let entry = self.reading(py, |store| store.latest_assessment(label.as_deref()))?;
        match entry {
            Some(entry) => Ok(Some(self.record(py, entry.id)?)),
            None => Ok(None),
        }
    }

    /// The records of the history, oldest first (of `label` and as of `since` or later when
    /// given), ready for `timeline`, `dashboard` and `activity_progress`.
    #[pyo3(signature = (label = None, since = None))]
    fn records(
        &self,
        py: Python<'_>,
        label: Option<String>,
        since: Option<String>,
    ) -> PyResult<Vec<PyRecord>> {
        let query = Self::query(label, since)?;
        let ids: Vec<i64> = self.reading(py, |store| {
            Ok(store.assessments(&query)?.iter().map(|e| e.id).collect())
        })?;
        self.records_of(py, &ids)
    }

    /// The stored exceptions as dicts, by id: id, status ("active", "expired", "revoked"),
    /// created_at, expires, revoked_at, updated_at and `exception` (the exception as the CLI
    /// stored it, a dict); only those of `status` when given.
    #[pyo3(signature = (status = None))]
    fn exception_rows(&self, py: Python<'_>, status: Option<String>) -> PyResult<Py<PyAny>> {
        let status = status
            .map(|s| {
                s.parse::<exposure_store::ExceptionStatus>()
                    .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
            })
            .transpose()?;
        let entries = self.reading(py, |store| store.exceptions(status))?;
        let rows: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "status": e.status.as_str(),
                    "created_at": e.created_at.to_string(),
                    "expires": e.expires.map(|d| d.to_string()),
                    "revoked_at": e.revoked_at.as_ref().map(ToString::to_string),
                    "updated_at": e.updated_at.to_string(),
                    "exception": json_value(&e.body),
                })
            })
            .collect();
        to_python(py, &rows)
    }

    /// `exception_rows` as a pandas DataFrame. Needs pandas.
    #[pyo3(signature = (status = None))]
    fn exceptions(&self, py: Python<'_>, status: Option<String>) -> PyResult<Py<PyAny>> {
        let rows = self.exception_rows(py, status)?;
        dataframe(
            py,
            rows,
            EXCEPTION_COLUMNS.to_vec(),
            "Store.exceptions",
            "exception_rows()",
        )
    }

    /// The stored remediation activities as dicts, by id: id, recommendation_id, status
    /// ("open", "completed", "cancelled"), created_at, due, priority, note, targets and
    /// `activity` (the activity a `Record.create_activity` made, as a dict, which
    /// `activity_progress` reads); only those of `status` when given.
    #[pyo3(signature = (status = None))]
    fn activity_rows(&self, py: Python<'_>, status: Option<String>) -> PyResult<Py<PyAny>> {
        let status = status
            .map(|s| {
                s.parse::<exposure_store::ActivityStatus>()
                    .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
            })
            .transpose()?;
        let entries = self.reading(py, |store| store.activities(status))?;
        let rows: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "recommendation_id": e.recommendation_id,
                    "status": e.status.as_str(),
                    "created_at": e.created_at.to_string(),
                    "due": e.due.to_string(),
                    "priority": e.priority,
                    "note": e.note,
                    "targets": json_value(&e.targets),
                    "updated_at": e.updated_at.to_string(),
                    "activity": json_value(&e.body),
                })
            })
            .collect();
        to_python(py, &rows)
    }

    /// `activity_rows` as a pandas DataFrame. Needs pandas.
    #[pyo3(signature = (status = None))]
    fn activities(&self, py: Python<'_>, status: Option<String>) -> PyResult<Py<PyAny>> {
        let rows = self.activity_rows(py, status)?;
        dataframe(
            py,
            rows,
            ACTIVITY_COLUMNS.to_vec(),
            "Store.activities",
            "activity_rows()",
        )
    }

    fn __repr__(&self) -> String {
        format!("Store({:?})", self.path.display().to_string())
    }
}

/// Registers the history layer's classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRecord>()?;
    m.add_class::<PyStore>()?;
    m.add_function(wrap_pyfunction!(timeline, m)?)?;
    m.add_function(wrap_pyfunction!(timeline_rows, m)?)?;
    m.add_function(wrap_pyfunction!(dashboard, m)?)?;
    m.add_function(wrap_pyfunction!(activity_progress, m)?)?;
    m.add_function(wrap_pyfunction!(activity_progress_rows, m)?)?;
    m.add_function(wrap_pyfunction!(activity_progress_dataframe, m)?)?;
    Ok(())
}
