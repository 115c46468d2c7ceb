//! Python bindings: thin newtypes over the core types. Inputs are converted under the GIL,
//! long work (loading feeds, assessing fleets) runs with the GIL released.

mod aggregate;
mod arrow;
mod convert;
mod cpe;
mod cvss;
mod errors;
mod frames;
mod history;
mod versions;

use convert::to_python;
use errors::into_pyerr;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A knowledge base and model parameters that assess inventories. Safe to share between
/// threads: loading waits for running assessments to finish and assessments wait for a
/// running load (the GIL is released while waiting), never an error.
#[pyclass(frozen, module = "exposure", name = "Engine")]
struct PyEngine {
    inner: RwLock<exposure::Engine>,
}

impl PyEngine {
    fn over(engine: exposure::Engine) -> Self {
        Self {
            inner: RwLock::new(engine),
        }
    }

    /// `engine` with the parameters given, if any.
    fn with(
        py: Python<'_>,
        mut engine: exposure::Engine,
        parameters: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        if let Some(parameters) = parameters {
            engine.set_parameters(parameters_arg(py, parameters)?);
        }
        Ok(Self::over(engine))
    }

    /// The engine for reading, waiting for a load in progress. A load that panicked leaves
    /// a knowledge base it may have half filled: an error, never a silent partial answer.
    fn read(&self) -> PyResult<RwLockReadGuard<'_, exposure::Engine>> {
        self.inner.read().map_err(|_| errors::poisoned_engine())
    }

    fn write(&self) -> PyResult<RwLockWriteGuard<'_, exposure::Engine>> {
        self.inner.write().map_err(|_| errors::poisoned_engine())
    }

    /// Runs `body` on the engine for reading with the GIL released.
    fn reading<T: Send>(
        &self,
        py: Python<'_>,
        body: impl FnOnce(&exposure::Engine) -> T + Send,
    ) -> PyResult<T> {
        py.detach(|| self.read().map(|engine| body(&engine)))
    }

    /// `inputs`' inventories assessed on the engine (the core's use case), with the GIL
    /// released.
    fn assessing(
        &self,
        py: Python<'_>,
        inputs: &exposure::assess::AssessInputs,
    ) -> PyResult<Assessment> {
        self.reading(py, |engine| {
            inputs
                .assess_on(engine, &|_, _| {})
                .map(|a| Assessment::recorded(a, engine.kb()))
        })?
        .map_err(into_pyerr)
    }

    /// Runs `body` on the engine for writing with the GIL released.
    fn writing<T: Send>(
        &self,
        py: Python<'_>,
        body: impl FnOnce(&mut exposure::Engine) -> T + Send,
    ) -> PyResult<T> {
        py.detach(|| self.write().map(|mut engine| body(&mut engine)))
    }
}

#[pymethods]
impl PyEngine {
    /// An engine with an empty knowledge base. `parameters` (a dict or JSON text, fields
    /// left out keep their defaults; see `default_parameters()`) replaces the model
    /// parameters; a bad set raises ExposureError (a ValueError) with kind "parameters".
    #[new]
    #[pyo3(signature = (*, parameters = None))]
    fn new(py: Python<'_>, parameters: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        Self::with(py, exposure::Engine::default(), parameters)
    }

    /// An engine over the embedded demo knowledge base (`parameters` as for `Engine()`).
    #[staticmethod]
    #[pyo3(signature = (*, parameters = None))]
    fn demo(py: Python<'_>, parameters: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        Self::with(py, exposure::Engine::demo(), parameters)
    }

    /// An engine over the knowledge-base snapshot at `path` (written by `save` or `exposure kb
    /// build`), opened in place: the file is mapped read-only, its indexes searched where they
    /// lie and each advisory decoded when an assessment first reads it, so opening takes
    /// milliseconds whatever the snapshot's size, and engines (or processes, such as Spark
    /// executors on one machine) that open one file share its pages. `parameters` as for
    /// `Engine()`. A file that is not a snapshot, of another format, truncated or corrupted
    /// raises `KnowledgeBaseError` (kind `not_a_snapshot`, `wrong_version`, `truncated`,
    /// `corrupted`, `payload`; `io` when it cannot be read); a record damaged since it was
    /// written is found when an assessment reads it, which then raises instead of returning a
    /// clean result. The GIL is released while opening.
    #[staticmethod]
    #[pyo3(signature = (path, *, parameters = None))]
    #[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
    fn open(
        py: Python<'_>,
        path: PathBuf,
        parameters: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let engine = py
            .detach(|| exposure::Engine::open(&path))
            .map_err(into_pyerr)?;
        Self::with(py, engine, parameters)
    }

    /// The model parameters the engine scores with, as a dict.
    #[getter]
    fn parameters(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let parameters = self.reading(py, |engine| engine.parameters().clone())?;
        to_python(py, &parameters)
    }

    /// Replaces the model parameters (a dict or JSON text, as for `Engine()`); a bad set
    /// raises ExposureError (a ValueError) and leaves the engine as it was.
    fn set_parameters(&self, py: Python<'_>, parameters: &Bound<'_, PyAny>) -> PyResult<()> {
        let parameters = parameters_arg(py, parameters)?;
        self.writing(py, |engine| engine.set_parameters(parameters))
    }

    /// Replaces the exceptions every later assessment of the engine applies (`exposure-
    /// exceptions/1`: a path, a dict, or JSON or YAML text; None removes them); a set that
    /// does not read raises ExceptionSetError and leaves the engine as it was. Exceptions
    /// that expire are judged on the assessment's `as_of` day (not applied, `not_judged`,
    /// without one).
    #[pyo3(signature = (exceptions, /))]
    fn set_exceptions(
        &self,
        py: Python<'_>,
        exceptions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let set = exceptions.map(|e| exceptions_arg(py, e)).transpose()?;
        self.writing(py, |engine| engine.set_exceptions(set))
    }

    /// Names an installed program (publisher, display name, DisplayVersion) as NVD names it,
    /// scored against the CPE names of the engine's knowledge (its CVE configurations) and the
    /// shipped alias rules: a dict `{"kind", "kind_rule", "version", "candidates": [{"cpe",
    /// "confidence", "rule", "version_rule"}]}`, candidates best first. `kind` is
    /// `application`, `update`, `driver`, `language-pack` or `component`; only applications
    /// are named. An empty name raises ValueError.
    #[pyo3(signature = (publisher, name, version))]
    fn name_program(
        &self,
        py: Python<'_>,
        publisher: &str,
        name: &str,
        version: &str,
    ) -> PyResult<Py<PyAny>> {
        let vocabulary = self.reading(py, exposure::Engine::vocabulary)?;
        let normalizer =
            exposure::cpe::Normalizer::with_default_rules().with_vocabulary(&vocabulary);
        cpe::named(py, &normalizer, (publisher, name, version))
    }

    /// Number of advisories loaded.
    #[getter]
    fn advisory_count(&self, py: Python<'_>) -> PyResult<usize> {
        self.reading(py, |engine| engine.kb().len())
    }

    /// The knowledge base's metadata as a dict: `built_at` (when it was built, or None),
    /// `as_of` (the newest of the sources' dates, else the build time, or None) and
    /// `sources`, one dict per input and format (`source`, `format`, `documents`, `records`,
    /// `newest_record`, `feed_timestamp`).
    fn kb_metadata(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let metadata = self.reading(py, |engine| engine.kb().metadata().clone())?;
        to_python(py, &metadata.described())
    }

    /// How old the knowledge is, as a dict: `as_of`, `built_at`, `age_seconds` (None when
    /// unknown), `max_age_seconds` and `warning` (a sentence when older than `max_age`
    /// seconds or of unknown age, None when fresh). `now` is Unix seconds, the clock's when
    /// not given.
    // The default written out so that Python shows it; the assertion after the impl keeps
    // it the core's.
    #[pyo3(signature = (*, max_age = 604_800, now = None))]
    fn kb_age(&self, py: Python<'_>, max_age: u64, now: Option<i64>) -> PyResult<Py<PyAny>> {
        let check = age_check(max_age, now);
        let age = self.reading(py, |engine| engine.kb().metadata().age_check(check))?;
        to_python(py, &age)
    }

    /// The same as `load` (kept from when only OSV was read).
    fn load_osv(&self, py: Python<'_>, path: PathBuf) -> PyResult<Py<PyAny>> {
        self.load(py, path, false)
    }

    /// Loads any feed the engine reads, told apart by content (gzip undone): NVD JSON 1.1
    /// feeds and API 2.0 responses, OSV JSON or YAML (files, directories, zip or tar
    /// archives), Alpine secdb, the Node.js security WG's, RubySec's and Mozilla's advisories,
    /// CISA KEV (JSON or CSV), EPSS, and VEX (OpenVEX, CycloneDX, CSAF). Returns the load report as a dict. An input that yields nothing or loses more
    /// than 10 % of its records raises `KnowledgeIncompleteError` (what loaded stays in the
    /// engine) unless `allow_partial`. The GIL is released while loading.
    #[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
    #[pyo3(signature = (path, *, allow_partial = false))]
    fn load(&self, py: Python<'_>, path: PathBuf, allow_partial: bool) -> PyResult<Py<PyAny>> {
        let report = self
            .writing(py, |engine| {
                exposure::assess::load_knowledge(engine.kb_mut(), &path, allow_partial)
            })?
            .map_err(into_pyerr)?;
        to_python(py, &report)
    }

    /// Writes the knowledge base as one compiled snapshot file, which `load` (and
    /// `exposure assess --kb`) read much faster than the feeds. The GIL is released.
    #[allow(clippy::needless_pass_by_value)] // PyO3 extracts arguments as owned values
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        self.reading(py, |engine| engine.kb().save_snapshot(&path))?
            .map_err(|source| into_pyerr(exposure::kb::KbError::Snapshot { path, source }))
    }

    /// Loads OSV advisories from JSON text (one record or a list); returns the load report.
    #[pyo3(signature = (text, origin = "<string>"))]
    fn load_osv_json(&self, py: Python<'_>, text: &str, origin: &str) -> PyResult<Py<PyAny>> {
        let report = self.writing(py, |engine| {
            engine
                .kb_mut()
                .load_text_as(exposure::kb::Format::OsvJson, text, origin)
        })?;
        to_python(py, &report)
    }

    /// Assesses inventory files of any format the engine reads (one path or several, assessed
    /// as one fleet). `distro` names the release of devices whose inventory does not (a dpkg
    /// status file): `"debian-12"`, `"bookworm"`, `"ubuntu-22.04"`, `"alpine-3.19"`;
    /// `os_release` reads it from an `/etc/os-release` file instead; `cpe_dictionary` is NVD's
    /// CPE dictionary XML, for naming installed programs. An inventory that yields no device
    /// raises `InventoryIncompleteError` unless `allow_partial` (entries that cannot be used
    /// are reported in `inventory_reports`). The GIL is released.
    /// `as_of` (`"YYYY-MM-DD"`) and `exceptions` (a path, a dict, or JSON or YAML text; the
    /// engine's own, `set_exceptions`, when None) are as for `assess`.
    #[pyo3(signature = (path, *, distro = None, os_release = None, cpe_dictionary = None, allow_partial = false, as_of = None, exceptions = None))]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of the Python method
    fn assess_path(
        &self,
        py: Python<'_>,
        path: Paths,
        distro: Option<&str>,
        os_release: Option<PathBuf>,
        cpe_dictionary: Option<PathBuf>,
        allow_partial: bool,
        as_of: Option<String>,
        exceptions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Assessment> {
        let mut inputs = inputs(None, Some(path), false, distro, os_release, cpe_dictionary)?;
        inputs.allow_partial = allow_partial;
        inputs.as_of = as_of_arg(as_of)?;
        inputs.exceptions = exceptions.map(|e| exceptions_arg(py, e)).transpose()?;
        self.assessing(py, &inputs)
    }

    /// Assesses an inventory given as text (any format `assess_path` reads; `origin` names it
    /// in load reports), with the same keyword arguments as `assess_path`.
    #[pyo3(signature = (text, origin = "<string>", *, distro = None, os_release = None, cpe_dictionary = None, allow_partial = false, as_of = None, exceptions = None))]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of the Python method
    fn assess_json(
        &self,
        py: Python<'_>,
        text: &str,
        origin: &str,
        distro: Option<&str>,
        os_release: Option<PathBuf>,
        cpe_dictionary: Option<PathBuf>,
        allow_partial: bool,
        as_of: Option<String>,
        exceptions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Assessment> {
        let mut inputs = inputs(None, None, false, distro, os_release, cpe_dictionary)?;
        inputs.inventories = vec![exposure::assess::InventorySource::Text {
            text: text.to_owned(),
            origin: origin.to_owned(),
        }];
        inputs.allow_partial = allow_partial;
        inputs.as_of = as_of_arg(as_of)?;
        inputs.exceptions = exceptions.map(|e| exceptions_arg(py, e)).transpose()?;
        self.assessing(py, &inputs)
    }

    /// Assesses an inventory given as Arrow data: a pyarrow Table or RecordBatch, or any
    /// object with the Arrow PyCapsule interface (`__arrow_c_stream__`, `__arrow_c_array__`:
    /// a RecordBatchReader, a polars DataFrame, ...), imported zero-copy. One row per software
    /// item: `device_id` (required), `groups` (a list of strings), `value` (low, normal or
    /// high), `ecosystem`, `name`, `version`, `purl`, `cpe` (strings; a row whose item columns
    /// are all null is a device without software). A Table's batches are one inventory.
    /// Returns an `ArrowAssessment`: `findings` and `devices` as pyarrow RecordBatches (the
    /// columns of `Assessment.to_arrow`) and the `assessment`. Any bad row raises
    /// `ArrowBatchError` naming its column and row, and nothing is assessed; data that is not
    /// Arrow raises TypeError. `as_of` and `exceptions` are as for `assess_path`. The GIL is
    /// released while assessing.
    #[pyo3(signature = (data, *, as_of = None, exceptions = None))]
    fn assess_arrow(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        as_of: Option<String>,
        exceptions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<arrow::ArrowAssessment> {
        let batches = arrow::batches_of(data)?;
        let as_of = as_of_arg(as_of)?;
        let exceptions = exceptions.map(|e| exceptions_arg(py, e)).transpose()?;
        let assessed = slf.get().reading(py, |engine| {
            let options = exposure::engine::AssessOptions {
                as_of,
                exceptions: exceptions.as_ref(),
            };
            engine.assess_batches_with(&batches, &options).map(|a| {
                (
                    a.findings,
                    a.devices,
                    Assessment::recorded(a.assessment, engine.kb()),
                    exposure::assessment::KnowledgeSummary::of(engine.kb()),
                )
            })
        })?;
        let (findings, devices, assessment, knowledge) =
            assessed.map_err(|e| errors::batch_error(&e))?;
        Ok(arrow::ArrowAssessment {
            findings: Py::new(py, arrow::ArrowBatch(findings))?,
            devices: Py::new(py, arrow::ArrowBatch(devices))?,
            assessment: Py::new(py, assessment)?,
            engine: slf.clone().unbind(),
            knowledge,
        })
    }

    /// The fleet-wide results of a partitioned assessment: `parts` (an iterable of bytes, each
    /// `ArrowAssessment.aggregate()` of one partition, in any order) merged and finished for
    /// the whole fleet, as a dict — the core's `Finished`: `organisation` (score, level,
    /// devices, vulnerable_devices, findings; the weights those of the whole fleet), `groups`,
    /// `recommendations` (ranked; each with `device_count` and `target_device_counts` instead
    /// of device lists), `configuration`, `software` and `weaknesses` (the views' rows),
    /// `recommendation_rows` and `top_devices` (the recommendations and devices views' rows),
    /// `distribution`, `group_views` (each group's views), `dashboards` (over every device,
    /// then each group's; lists of up to 20 rows), `as_of`, `patterns` and `chunks` (the
    /// partitions' assessments merged). No part gives the results of an empty fleet. Bytes that are not
    /// an aggregate, of another format version or of another knowledge base than this
    /// engine's, and parts assessed as of different days, raise `AggregateError`. The GIL is
    /// released while merging.
    fn finish_aggregates(&self, py: Python<'_>, parts: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let parts = aggregate::parts_of(parts)?;
        let (finished, dashboards) = self
            .reading(py, |engine| {
                aggregate::finished(engine, &parts).map(|finished| {
                    let dashboards = exposure::views::dashboard::Dashboard::all_of_stream(
                        &finished,
                        &[],
                        exposure::stream::KEPT_DEVICES,
                    );
                    (finished, dashboards)
                })
            })?
            .map_err(aggregate::into_pyerr)?;
        let mut value =
            serde_json::to_value(&finished).map_err(|e| crate::errors::serialization_error(&e))?;
        value["dashboards"] = serde_json::to_value(&dashboards)
            .map_err(|e| crate::errors::serialization_error(&e))?;
        Ok(convert::json_to_python(py, &value)?.unbind())
    }

    /// Assesses the embedded demo fleet.
    fn assess_demo_fleet(&self, py: Python<'_>) -> PyResult<Assessment> {
        self.reading(py, |engine| {
            let fleet = std::sync::Arc::new(exposure::demo::fleet());
            let mut assessment = engine.assess(&fleet);
            engine.intact()?;
            assessment.fleet = Some(fleet);
            Ok::<_, exposure::Error>(Assessment::recorded(assessment, engine.kb()))
        })?
        .map_err(into_pyerr)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Engine(advisories={})", self.advisory_count(py)?))
    }
}

// `Engine.kb_age`'s default, written out in its signature, is the core's.
const _: () = assert!(exposure::kb::DEFAULT_MAX_KB_AGE == 604_800);

/// The result of one assessment: scores, findings, recommendations, diagnostics. Holds its
/// record (`record()`), made with the assessment from the knowledge base it was assessed
/// against: the record keeps the advisories' publication dates and weaknesses, which a later
/// load into an `Engine` must not change.
/// The core filter of the keyword arguments `filtered` and `gate` take.
fn finding_filter(
    severity: Option<Vec<String>>,
    fixed: Option<bool>,
    kev_only: bool,
    min_epss: Option<f64>,
    groups: Option<Vec<String>>,
) -> PyResult<exposure::filter::FindingFilter> {
    use exposure::filter::FixFilter;
    use exposure::score::cvss::Severity;
    let severities = severity
        .unwrap_or_default()
        .iter()
        .map(|word| {
            Severity::from_word(word)
                .filter(|s| *s != Severity::None)
                .ok_or_else(|| {
                    pyo3::exceptions::PyValueError::new_err(format!(
                        "{word:?} is not a severity (critical, high, medium, low)"
                    ))
                })
        })
        .collect::<PyResult<Vec<_>>>()?;
    if let Some(p) = min_epss {
        if !(0.0..=1.0).contains(&p) {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "min_epss {p} is not a probability from 0 to 1"
            )));
        }
    }
    Ok(exposure::filter::FindingFilter {
        severities,
        fix: match fixed {
            None => FixFilter::Any,
            Some(true) => FixFilter::Fixed,
            Some(false) => FixFilter::Unfixed,
        },
        kev_only,
        min_epss,
        groups: groups.unwrap_or_default(),
    })
}

#[pyclass(frozen, module = "exposure")]
struct Assessment(
    exposure::Assessment,
    Result<std::sync::Arc<exposure::history::AssessmentRecord>, exposure::history::RecordError>,
);

impl Assessment {
    /// `assessment` with its record, made of the fleet it holds and `kb` (with the GIL
    /// released by the caller).
    fn recorded(assessment: exposure::Assessment, kb: &exposure::kb::KnowledgeBase) -> Self {
        let record = assessment.record(kb).map(std::sync::Arc::new);
        Self(assessment, record)
    }
}

#[pymethods]
impl Assessment {
    /// How old the knowledge was (a dict: `as_of`, `built_at`, `age_seconds`,
    /// `max_age_seconds`, `warning`, `stale_sources`), when the assessment was asked to
    /// check it (`assess(max_kb_age=...)`); None otherwise.
    #[getter]
    fn knowledge_age(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.0
            .knowledge_age
            .as_ref()
            .map(|age| to_python(py, age))
            .transpose()
    }

    /// The organisation exposure score, 0-100.
    #[getter]
    fn score(&self) -> f64 {
        self.0.organisation.score
    }

    /// The organisation exposure level: "low", "medium" or "high".
    #[getter]
    fn level(&self) -> &'static str {
        self.0.organisation.level.name()
    }

    /// Per device: id, name, value, weight, findings, score, level.
    #[getter]
    fn devices(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.devices)
    }

    /// Every finding, with evidence and score terms.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        self.0.findings.iter().cloned().map(Finding).collect()
    }

    /// Ranked recommendations.
    #[getter]
    fn recommendations(&self) -> Vec<Recommendation> {
        self.0
            .recommendations
            .iter()
            .cloned()
            .map(Recommendation)
            .collect()
    }

    /// What matching could not decide.
    #[getter]
    fn diagnostics(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.diagnostics)
    }

    /// How much knowledge the assessment was made against: advisories, kev_entries,
    /// epss_scores, vex_statements.
    #[getter]
    fn knowledge(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.knowledge)
    }

    /// The load report of each knowledge-base input (input, counts, problems), when the
    /// assessment loaded them.
    #[getter]
    fn knowledge_reports(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.knowledge_reports)
    }

    /// The load report of each inventory (input, counts, problems).
    #[getter]
    fn inventory_reports(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.inventory_reports)
    }

    /// Exposure per device group, by group name: group, devices, vulnerable_devices,
    /// findings (counted ones), score, level.
    #[getter]
    fn groups(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.groups)
    }

    /// What became of each exception the assessment was made with: id, justification,
    /// status ("applied", "expired", "not_judged", "not_matched"), expires, findings_removed,
    /// findings_kept, recommendations_hidden (ids) and devices.
    #[getter]
    fn exceptions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.exceptions)
    }

    /// The recommendations exceptions hid (risk accepted, planned remediation, no patch
    /// available), each as a dict of the recommendation with `exceptions`, the ids that hid
    /// it.
    #[getter]
    fn excepted_recommendations(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.excepted_recommendations)
    }

    /// Findings a VEX statement or an exception removed from the scores, each with its
    /// finding and the `statement` or `exception` that removed it.
    #[getter]
    fn suppressed(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.suppressed)
    }

    /// Secure configuration: organisation (score or None), devices (device_id, score,
    /// passed, failed, not_applicable), groups and recommendations (configuration changes
    /// with configuration_impact and exposure_impact).
    #[getter]
    fn configuration(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.configuration)
    }

    /// The whole assessment as plain dicts and lists.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0)
    }

    /// The model parameters the scores were computed with, as a dict.
    #[getter]
    fn parameters(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.parameters)
    }

    /// Why a device scores what it does, as a dict: its score, level, weight, and its
    /// findings ordered by marginal contribution (the score minus the score without the
    /// finding, in points), each with impact, likelihood, likelihood_rule, set_by (the rule
    /// and data that set the likelihood, in words), likelihood_steps, risk, marginal, share
    /// (marginal over the sum of the device's marginals, which is less than the score under
    /// the noisy-OR) and the KEV/EPSS facts. Without `device_id`, the organisation: its
    /// devices by contribution (weight x score / total weight; they sum to the score) and
    /// share. An unknown device id raises KeyError.
    #[pyo3(signature = (device_id = None))]
    fn explain(&self, py: Python<'_>, device_id: Option<&str>) -> PyResult<Py<PyAny>> {
        match device_id {
            Some(id) => to_python(py, &self.explained_device(id)?),
            None => to_python(py, &self.0.explain_organisation()),
        }
    }

    /// `explain(device_id)` as a pandas DataFrame: one row per finding (a device) or per
    /// device (the organisation), in the explanation's order. Needs pandas.
    #[pyo3(signature = (device_id = None))]
    fn explain_dataframe(&self, py: Python<'_>, device_id: Option<&str>) -> PyResult<Py<PyAny>> {
        let (rows, columns) = match device_id {
            Some(id) => (
                to_python(py, &self.explained_device(id)?.findings)?,
                exposure::explain::FindingExplanation::COLUMNS.to_vec(),
            ),
            None => (
                to_python(py, &self.0.explain_organisation().devices)?,
                exposure::explain::DeviceContribution::COLUMNS.to_vec(),
            ),
        };
        dataframe(
            py,
            rows,
            columns,
            "Assessment.explain_dataframe",
            "explain()",
        )
    }

    /// Every finding as a flat dict: device, software, advisory, scores, threat, fix and
    /// evidence summary.
    fn finding_rows(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.finding_rows())
    }

    /// A view of the assessment as a pandas DataFrame with typed columns: `"findings"` (one
    /// row per finding, the columns of `finding_rows`), `"devices"` (one per device, as
    /// `devices`) or `"groups"` (one per device group, as `groups`). Categories are
    /// categoricals, counts int64, flags bool, missing numbers NaN and days datetime64 (NaT
    /// where missing). Needs pandas; without it, an ImportError says so.
    #[pyo3(signature = (view = "findings"))]
    fn to_dataframe(&self, py: Python<'_>, view: &str) -> PyResult<Py<PyAny>> {
        self.frame(py, "pandas", view, "Assessment.to_dataframe")
    }

    /// A view (as for `to_dataframe`) as a pyarrow Table: categories dictionary-encoded,
    /// days date32, and each field nullable only where a value may be missing. Needs pyarrow.
    #[pyo3(signature = (view = "findings"))]
    fn to_arrow(&self, py: Python<'_>, view: &str) -> PyResult<Py<PyAny>> {
        self.frame(py, "arrow", view, "Assessment.to_arrow")
    }

    /// A view (as for `to_dataframe`) as a polars DataFrame: Categorical, Int64, Boolean,
    /// Float64 and Date columns. Needs polars (not pyarrow).
    #[pyo3(signature = (view = "findings"))]
    fn to_polars(&self, py: Python<'_>, view: &str) -> PyResult<Py<PyAny>> {
        self.frame(py, "polars", view, "Assessment.to_polars")
    }

    /// The assessment's stable record (`exposure-record/1`, a `Record`): what a history keeps
    /// for diffs, timelines, views and remediation. Made with the assessment from the
    /// knowledge base it was assessed against; raises RecordError if it could not be made.
    fn record(&self) -> PyResult<history::PyRecord> {
        match &self.1 {
            Ok(record) => Ok(history::PyRecord(std::sync::Arc::clone(record))),
            Err(e) => Err(errors::record_error(e)),
        }
    }

    /// The whole assessment as a JSON string.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(|e| errors::serialization_error(&e))
    }

    /// Devices whose operating-system packages could not be assessed (their release
    /// unknown): a list of dicts with device_id, family, packages. Never clean by omission.
    #[getter]
    fn unassessed(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.unassessed)
    }

    /// The assessment with only the findings the filters keep (scores stay the whole's):
    /// severity ("critical", "high", ... or a list), fixed (True: only findings a version
    /// fixes; False: only those none fixes), kev_only, min_epss, groups.
    #[pyo3(signature = (*, severity=None, fixed=None, kev_only=false, min_epss=None, groups=None))]
    fn filtered(
        &self,
        py: Python<'_>,
        severity: Option<Vec<String>>,
        fixed: Option<bool>,
        kev_only: bool,
        min_epss: Option<f64>,
        groups: Option<Vec<String>>,
    ) -> PyResult<Assessment> {
        let filter = finding_filter(severity, fixed, kev_only, min_epss, groups)?;
        let shown = py.detach(|| self.0.filtered(&filter));
        Ok(Assessment(shown, self.1.clone()))
    }

    /// Whether the assessment fails a CI gate ("low" ... "critical", "risk", "risk:R", "kev",
    /// "score:N"), counting the findings the filters keep: a dict with failed, findings,
    /// score_tripped, unassessed_devices. Devices not assessed fail any gate.
    #[pyo3(signature = (fail_on, *, severity=None, fixed=None, kev_only=false, min_epss=None, groups=None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments, the same as `filtered`'s
    fn gate(
        &self,
        py: Python<'_>,
        fail_on: &str,
        severity: Option<Vec<String>>,
        fixed: Option<bool>,
        kev_only: bool,
        min_epss: Option<f64>,
        groups: Option<Vec<String>>,
    ) -> PyResult<Py<PyAny>> {
        let gate: exposure::filter::FailOn = fail_on
            .parse()
            .map_err(pyo3::exceptions::PyValueError::new_err)?;
        let filter = finding_filter(severity, fixed, kev_only, min_epss, groups)?;
        let outcome = self.0.gate(&gate, &filter);
        let dict = pyo3::types::PyDict::new(py);
        dict.set_item("failed", outcome.failed())?;
        dict.set_item("findings", outcome.findings)?;
        dict.set_item("score_tripped", outcome.score_tripped)?;
        dict.set_item("unassessed_devices", outcome.unassessed_devices)?;
        Ok(dict.into_any().unbind())
    }

    /// The assessment in one of the command line's report formats: "sarif" (2.1.0),
    /// "cyclonedx" (1.6 VEX), "openvex", "csv", "markdown" or "html" (self-contained).
    #[pyo3(signature = (format, *, top=10))]
    fn report(&self, py: Python<'_>, format: &str, top: usize) -> PyResult<String> {
        let format: exposure::report::Format = format
            .parse()
            .map_err(pyo3::exceptions::PyValueError::new_err)?;
        py.detach(|| exposure::report::render(&self.0, format, &[], top))
            .map(|r| r.text)
            .map_err(|e| errors::record_error(&e))
    }

    fn __repr__(&self) -> String {
        let o = &self.0.organisation;
        format!(
            "Assessment(score={:.1}, level={:?}, devices={}, findings={})",
            o.score,
            o.level.name(),
            o.devices,
            o.findings
        )
    }
}

impl Assessment {
    /// The view named `view` (findings, devices, groups) as a frame of `builder`'s library.
    fn frame(&self, py: Python<'_>, builder: &str, view: &str, what: &str) -> PyResult<Py<PyAny>> {
        use exposure::assessment::{DeviceExposure, FindingRow, GroupExposure};
        let a = &self.0;
        match view {
            "findings" => frames::frame(
                py,
                builder,
                &a.finding_rows(),
                &FindingRow::SCHEMA,
                what,
                "finding_rows()",
            ),
            "devices" => frames::frame(
                py,
                builder,
                &a.devices,
                &DeviceExposure::SCHEMA,
                what,
                "devices",
            ),
            "groups" => frames::frame(
                py,
                builder,
                &a.groups,
                &GroupExposure::SCHEMA,
                what,
                "groups",
            ),
            other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "no view {other:?}: the views are \"findings\", \"devices\" and \"groups\""
            ))),
        }
    }

    /// The explanation of device `id`, or KeyError.
    fn explained_device(&self, id: &str) -> PyResult<exposure::explain::DeviceExplanation> {
        self.0.explain_device(id).ok_or_else(|| {
            pyo3::exceptions::PyKeyError::new_err(format!(
                "no device {id:?} in the assessment; explain() lists the device ids"
            ))
        })
    }
}

/// A pandas DataFrame of `rows` with `columns`; without pandas, an ImportError naming the
/// method (`what`) and the plain form (`plain`).
pub(crate) fn dataframe(
    py: Python<'_>,
    rows: Py<PyAny>,
    columns: Vec<&'static str>,
    what: &str,
    plain: &str,
) -> PyResult<Py<PyAny>> {
    let pandas = py.import("pandas").map_err(|_| {
        pyo3::exceptions::PyImportError::new_err(format!(
            "{what} needs pandas (pip install pandas); {plain} gives the same rows as dicts"
        ))
    })?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("columns", columns)?;
    Ok(pandas
        .call_method("DataFrame", (rows,), Some(&kwargs))?
        .unbind())
}

/// Model parameters from a dict (or any JSON-serialisable mapping) or JSON text.
fn parameters_arg(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<exposure::score::exposure::Parameters> {
    let text: String = if let Ok(text) = value.extract::<String>() {
        text
    } else {
        py.import("json")?
            .call_method1("dumps", (value,))?
            .extract()?
    };
    exposure::score::exposure::Parameters::from_json(&text).map_err(into_pyerr)
}

/// An exception set from a path (`os.PathLike`, or a str naming a file), a dict (any
/// JSON-serialisable mapping), or JSON or YAML text (a str with a line break or starting with
/// `{`).
fn exceptions_arg(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<exposure::exceptions::ExceptionSet> {
    use exposure::exceptions::ExceptionSet;
    if let Ok(text) = value.extract::<String>() {
        if text.contains('\n') || text.trim_start().starts_with('{') {
            return ExceptionSet::from_text(&text, "<string>").map_err(into_pyerr);
        }
        return ExceptionSet::from_path(std::path::Path::new(&text)).map_err(into_pyerr);
    }
    if let Ok(path) = value.extract::<PathBuf>() {
        return ExceptionSet::from_path(&path).map_err(into_pyerr);
    }
    let text: String = py
        .import("json")?
        .call_method1("dumps", (value,))?
        .extract()?;
    ExceptionSet::from_text(&text, "<dict>").map_err(into_pyerr)
}

/// A day `YYYY-MM-DD`, or ValueError.
/// The knowledge-age check of `max_age` seconds at `now` (Unix seconds; the clock's when not
/// given: the core never reads it).
fn age_check(max_age: u64, now: Option<i64>) -> exposure::kb::KbAgeCheck {
    let now = now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    exposure::kb::KbAgeCheck { now, max_age }
}

pub(crate) fn as_of_arg(as_of: Option<String>) -> PyResult<Option<exposure::date::Date>> {
    as_of
        .map(|day| {
            day.parse().map_err(|_| {
                pyo3::exceptions::PyValueError::new_err(format!(
                    "as_of {day:?} is not a date YYYY-MM-DD"
                ))
            })
        })
        .transpose()
}

/// The default model parameters (`exposure-model/1.0`) as a dict, to change and pass as
/// `parameters=`.
#[pyfunction]
fn default_parameters(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_python(py, &exposure::score::exposure::Parameters::default())
}

/// Updates the knowledge-base snapshot at `snapshot` from the feeds' servers (the
/// interpreter released meanwhile): only what changed since the last update is fetched into
/// the mirror beside it, then the snapshot is rebuilt and replaced atomically. `config` takes
/// the keys of `exposure_update::Config::from_json`: `sources` (`["nvd", "kev", "epss",
/// "osv:Go", "alpine:v3.20/main"]`), `nvd_url`, `osv_url`, `kev_url`, `epss_url`,
/// `alpine_url`, `nvd_api_key`, `nvd_page_size`, `timeout_seconds`, `attempts`,
/// `backoff_seconds`, `now` (Unix seconds), `mirror`, ... Returns the summary as a dict
/// (`sources`: per source added, changed, withdrawn, unchanged, requests, bytes; `written`,
/// `advisories`). Raises `KnowledgeBaseUpdateError` (the snapshot left as it was).
#[pyfunction]
#[pyo3(signature = (snapshot, **config))]
fn update_kb(
    py: Python<'_>,
    snapshot: std::path::PathBuf,
    config: Option<&Bound<'_, pyo3::types::PyDict>>,
) -> PyResult<Py<PyAny>> {
    let text: String = match config {
        Some(config) => py
            .import("json")?
            .call_method1("dumps", (config,))?
            .extract()?,
        None => "{}".to_owned(),
    };
    let config = exposure_update::Config::from_json(&text).map_err(|e| errors::update_error(&e))?;
    let summary = py
        .detach(move || exposure_update::update(&snapshot, &config, &mut exposure_update::Quiet))
        .map_err(|e| errors::update_error(&e))?;
    to_python(py, &summary)
}

/// One vulnerability on one software item of one device.
#[pyclass(frozen, module = "exposure")]
struct Finding(exposure::assessment::ScoredFinding);

#[pymethods]
impl Finding {
    /// The device's id.
    #[getter]
    fn device_id(&self) -> &str {
        &self.0.finding.device_id
    }

    /// The software's ecosystem.
    #[getter]
    fn ecosystem(&self) -> &str {
        self.0.finding.software.ecosystem.osv_name()
    }

    /// The software's name.
    #[getter]
    fn package(&self) -> &str {
        &self.0.finding.software.name
    }

    /// The installed version.
    #[getter]
    fn version(&self) -> &str {
        &self.0.finding.software.version
    }

    /// The advisory's id.
    #[getter]
    fn advisory_id(&self) -> &str {
        &self.0.finding.advisory_id
    }

    /// The advisory's aliases.
    #[getter]
    fn aliases(&self) -> Vec<String> {
        self.0.finding.aliases.to_vec()
    }

    /// The fixed version ending the matched interval, if any.
    #[getter]
    fn fix(&self) -> Option<&str> {
        self.0.finding.fix.as_deref()
    }

    /// The CVSS v3 base score used, if any.
    #[getter]
    fn cvss_score(&self) -> Option<f64> {
        self.0.cvss.as_ref().map(|c| c.base_score)
    }

    /// The finding's risk `r = L x I`.
    #[getter]
    fn risk(&self) -> f64 {
        self.0.risk.risk
    }

    /// The id of the passing configuration check of the device that mitigates the finding
    /// (it then counts 0 in the exposure score), or None.
    #[getter]
    fn mitigated_by(&self) -> Option<&str> {
        self.0.mitigated_by.as_deref()
    }

    /// The CVSS severity rating of the vector used (`"LOW"`, `"MEDIUM"`, `"HIGH"`,
    /// `"CRITICAL"`, `"NONE"`), or None when the record has no usable vector.
    #[getter]
    fn severity(&self) -> Option<&'static str> {
        self.0.cvss.as_ref().map(|c| c.severity.name())
    }

    /// The CVSS vector used, or None.
    #[getter]
    fn cvss_vector(&self) -> Option<&str> {
        self.0.cvss.as_ref().map(|c| c.vector.as_str())
    }

    /// The finding's impact `I` in [0, 1].
    #[getter]
    fn impact(&self) -> f64 {
        self.0.risk.impact
    }

    /// Where the impact came from: `cvss_v4`, `cvss_v3`, `cvss_v2`, `severity_word` or
    /// `assumed`.
    #[getter]
    fn impact_source(&self) -> PyResult<String> {
        word(&self.0.risk.impact_source)
    }

    /// The finding's likelihood `L` in [0, 1].
    #[getter]
    fn likelihood(&self) -> f64 {
        self.0.risk.likelihood
    }

    /// The rule that set the likelihood last (`epss`, `prior`, `kev`, `kev_ransomware`,
    /// `unimportant`, …; `explain()` gives every step).
    #[getter]
    fn likelihood_rule(&self) -> PyResult<String> {
        word(&self.0.risk.likelihood_rule)
    }

    /// Whether a fix exists: `fixed`, `not_fixed`, `will_not_fix` or `unknown`.
    #[getter]
    fn fix_state(&self) -> PyResult<String> {
        word(&self.0.finding.fix_state)
    }

    /// Every version named as fixing the advisory's affected entry (`fix` is the one on
    /// this version's line).
    #[getter]
    fn fixed_in(&self) -> Vec<String> {
        self.0.finding.fixed_versions.to_vec()
    }

    /// Whether CISA's KEV catalog lists the vulnerability.
    #[getter]
    fn known_exploited(&self) -> bool {
        self.0.threat.known_exploited.is_some()
    }

    /// The KEV listing (cve_id, date_added, due_date, known_ransomware_use), or None.
    #[getter]
    fn kev(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.threat.known_exploited)
    }

    /// The EPSS probability (the highest among the advisory's CVEs), or None.
    #[getter]
    fn epss(&self) -> Option<f64> {
        self.0.threat.epss.as_ref().map(|(_, s)| s.probability)
    }

    /// The EPSS percentile of that score, or None.
    #[getter]
    fn epss_percentile(&self) -> Option<f64> {
        self.0.threat.epss.as_ref().and_then(|(_, s)| s.percentile)
    }

    /// The matcher that fired (`osv-package`, `nvd-cpe`, `nvd-cpe-package`, `vendor-cpe`).
    #[getter]
    fn matcher(&self) -> &'static str {
        self.0.finding.evidence.matcher.name()
    }

    /// How sure the match is: `exact_package`, `distro`, `cpe_version_range` or
    /// `cpe_vendor_product`.
    #[getter]
    fn confidence(&self) -> PyResult<String> {
        word(&self.0.finding.evidence.confidence)
    }

    /// What matched: the interval holding the installed version (`vers:`), the listed
    /// version, or the CPE criterion.
    #[getter]
    fn matched(&self) -> &str {
        self.0.finding.evidence.matched.as_str()
    }

    /// The whole evidence as a dict: matcher, confidence, source (the record's input),
    /// range_kind, range, matched, and for CPE matches platform, cpe and condition.
    #[getter]
    fn evidence(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0.finding.evidence)
    }

    /// The advisory's summary, or None.
    #[getter]
    fn summary(&self) -> Option<&str> {
        self.0.finding.summary.as_deref()
    }

    /// Why the finding counts 0 in the exposure scores (`mitigated`,
    /// `condition_not_reported`), or None when it counts.
    #[getter]
    fn not_counted(&self) -> PyResult<Option<String>> {
        self.0.not_counted().as_ref().map(word).transpose()
    }

    /// The finding as a dict, evidence included.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0)
    }

    fn __repr__(&self) -> String {
        let f = &self.0.finding;
        format!(
            "Finding({:?} {} {} {} {})",
            f.device_id, f.software.name, f.software.version, f.advisory_id, f.evidence.matched
        )
    }
}

/// The word a unit enum serialises as (`fixed`, `kev_ransomware`, …).
fn word(value: &impl serde::Serialize) -> PyResult<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(word)) => Ok(word),
        Ok(other) => Ok(other.to_string()),
        Err(e) => Err(errors::serialization_error(&e)),
    }
}

/// One ranked remediation action.
#[pyclass(frozen, module = "exposure")]
struct Recommendation(exposure::recommend::Recommendation);

#[pymethods]
impl Recommendation {
    /// 1-based rank.
    #[getter]
    fn rank(&self) -> usize {
        self.0.rank
    }

    /// The one-line instruction.
    #[getter]
    fn text(&self) -> &str {
        &self.0.text
    }

    /// The kind of action: `update`, `upgrade`, `end_of_support`, `configuration_change` or
    /// `attention_required`.
    #[getter]
    fn action(&self) -> &'static str {
        self.0.action.name()
    }

    /// The version to move to, when one version serves every device (the per-branch
    /// targets are in `to_dict()["targets"]`).
    #[getter]
    fn target_version(&self) -> Option<&str> {
        self.0.target_version.as_deref()
    }

    /// Findings it covers of a known-exploited vulnerability (CISA KEV).
    #[getter]
    fn known_exploited(&self) -> usize {
        self.0.known_exploited
    }

    /// The rise of the secure-configuration score (configuration changes; 0 otherwise).
    #[getter]
    fn configuration_impact(&self) -> f64 {
        self.0.configuration_impact
    }

    /// For attention-required items, the exact drop if their findings were mitigated.
    #[getter]
    fn exposure_left(&self) -> f64 {
        self.0.exposure_left
    }

    /// The exact drop of the organisation score if done.
    #[getter]
    fn exposure_impact(&self) -> f64 {
        self.0.exposure_impact
    }

    /// The recommendation as a dict.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "Recommendation(rank={}, {:?}, impact={:.2})",
            self.0.rank, self.0.text, self.0.exposure_impact
        )
    }
}

/// Assesses inventories against knowledge: `assess(kb=[paths], inventory=path)`, or
/// `assess(demo=True)` for the embedded demo knowledge base and fleet. With `demo=True`,
/// `kb` and `inventory` replace the demo's own when given. `distro`, `os_release` and
/// `cpe_dictionary` are as for `Engine.assess_path`. `as_of` (`"YYYY-MM-DD"`) is the day on
/// which end of support is judged (no end-of-support recommendation without it). `parameters`
/// (a dict or JSON text; see `default_parameters()`) replaces the model parameters; a bad set
/// raises ExposureError (a ValueError) with kind "parameters". `exceptions` (a path, a dict,
/// or JSON or YAML text in the `exposure-exceptions/1` format) are applied: third-party
/// control and alternate mitigation remove findings from the scores, the other
/// justifications hide recommendations (`excepted_recommendations`); those that expire are
/// judged on `as_of` (without it they do not apply: `not_judged`); a set that does not read
/// raises ExceptionSetError. Fail closed: a knowledge-base input that
/// yields nothing (no advisory, KEV, EPSS or VEX data), an inventory that yields no device, or
/// either losing more than 10 % of its records raises `KnowledgeIncompleteError` or
/// `InventoryIncompleteError`, unless `allow_partial`. The GIL is released while loading and
/// assessing; every load report is in the result. `rootfs` (a directory or several) is read
/// as one device each: its os-release, dpkg status, apk database, rpm -qa text and every
/// lockfile. `max_kb_age` (seconds) checks the knowledge's age at `now` (Unix seconds, the
/// clock's when not given): `Assessment.knowledge_age` then says how old it was and warns
/// when it, or one of its feeds, is older (as `exposure assess --max-kb-age`).
#[pyfunction]
#[pyo3(signature = (kb = None, inventory = None, *, demo = false, distro = None, os_release = None, cpe_dictionary = None, allow_partial = false, as_of = None, parameters = None, exceptions = None, rootfs = None, max_kb_age = None, now = None))]
#[allow(clippy::too_many_arguments)] // the keyword arguments of the Python function
fn assess(
    py: Python<'_>,
    kb: Option<Paths>,
    inventory: Option<Paths>,
    demo: bool,
    distro: Option<&str>,
    os_release: Option<PathBuf>,
    cpe_dictionary: Option<PathBuf>,
    allow_partial: bool,
    as_of: Option<String>,
    parameters: Option<&Bound<'_, PyAny>>,
    exceptions: Option<&Bound<'_, PyAny>>,
    rootfs: Option<Paths>,
    max_kb_age: Option<u64>,
    now: Option<i64>,
) -> PyResult<Assessment> {
    let mut inputs = inputs(kb, inventory, demo, distro, os_release, cpe_dictionary)?;
    inputs.inventories.extend(
        rootfs
            .map(Paths::into_vec)
            .unwrap_or_default()
            .into_iter()
            .map(exposure::assess::InventorySource::RootFs),
    );
    inputs.allow_partial = allow_partial;
    inputs.parameters = parameters.map(|p| parameters_arg(py, p)).transpose()?;
    inputs.as_of = as_of_arg(as_of)?;
    inputs.exceptions = exceptions.map(|e| exceptions_arg(py, e)).transpose()?;
    inputs.kb_age_check = max_kb_age.map(|max_age| age_check(max_age, now));
    py.detach(|| {
        inputs
            .assess_keeping_engine(&|_, _| {})
            .map(|(a, engine)| Assessment::recorded(a, engine.kb()))
    })
    .map_err(into_pyerr)
}

/// The core's assessment inputs from Python arguments.
fn inputs(
    kb: Option<Paths>,
    inventory: Option<Paths>,
    demo: bool,
    distro: Option<&str>,
    os_release: Option<PathBuf>,
    cpe_dictionary: Option<PathBuf>,
) -> PyResult<exposure::assess::AssessInputs> {
    use exposure::inventory::Distro;
    let distro = match (distro, os_release) {
        (Some(name), _) => Some(Distro::from_name(name).map_err(into_pyerr)?),
        (None, Some(path)) => Some(Distro::from_os_release_file(&path).map_err(into_pyerr)?),
        (None, None) => None,
    };
    Ok(exposure::assess::AssessInputs {
        knowledge: kb.map(Paths::into_vec).unwrap_or_default(),
        inventories: inventory
            .map(Paths::into_vec)
            .unwrap_or_default()
            .into_iter()
            .map(exposure::assess::InventorySource::Path)
            .collect(),
        demo,
        distro,
        cpe_dictionary,
        ..Default::default()
    })
}

/// One path or a sequence of paths.
#[derive(FromPyObject)]
enum Paths {
    One(PathBuf),
    Many(Vec<PathBuf>),
}

impl Paths {
    fn into_vec(self) -> Vec<PathBuf> {
        match self {
            Paths::One(p) => vec![p],
            Paths::Many(v) => v,
        }
    }
}

#[pymodule(gil_used = false)]
fn _exposure(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyEngine>()?;
    m.add_class::<Assessment>()?;
    m.add_class::<arrow::ArrowAssessment>()?;
    m.add_class::<arrow::ArrowBatch>()?;
    m.add_class::<Finding>()?;
    m.add_class::<Recommendation>()?;
    m.add_function(wrap_pyfunction!(assess, m)?)?;
    m.add_function(wrap_pyfunction!(default_parameters, m)?)?;
    m.add_function(wrap_pyfunction!(update_kb, m)?)?;
    m.add_class::<versions::PyVersion>()?;
    m.add_class::<versions::PyVersionRange>()?;
    m.add_function(wrap_pyfunction!(versions::compare_versions, m)?)?;
    m.add_class::<cpe::PyCpe>()?;
    m.add_class::<cpe::PyApplicability>()?;
    m.add_function(wrap_pyfunction!(cpe::guess_cpe, m)?)?;
    m.add_function(wrap_pyfunction!(cpe::name_program, m)?)?;
    m.add_class::<cvss::PyCvss>()?;
    history::register(m)?;
    errors::register(m)
}
