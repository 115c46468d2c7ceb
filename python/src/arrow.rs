//! Arrow record batches across the Arrow PyCapsule interface: an inventory imported zero-copy
//! from any object with `__arrow_c_stream__` (a pyarrow Table, a RecordBatchReader, a polars
//! DataFrame) or `__arrow_c_array__` (a pyarrow RecordBatch), and the findings and device
//! scores exported as objects with `__arrow_c_array__`, which pyarrow (or any Arrow library)
//! imports zero-copy. pyarrow is not needed here: only to make pyarrow objects of the results.
// The Arrow C data interface is a C ABI: its structs are read from and handed over through
// raw pointers, each use below says why it is sound.
#![allow(unsafe_code)]

use crate::errors::{aggregate_error, arrow_error};
use exposure::arrow::arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use exposure::arrow::arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use exposure::arrow::arrow_array::{Array, RecordBatch, RecordBatchOptions, StructArray};
use exposure::arrow::arrow_schema::{DataType, Schema};
use exposure::assessment::KnowledgeSummary;
use exposure::stream::{Aggregate, AggregateError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule};
use std::ffi::CStr;
use std::sync::Arc;

const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";
const STREAM: &CStr = c"arrow_array_stream";

/// The record batches of `data`: its Arrow stream (`__arrow_c_stream__`), else its one
/// struct array (`__arrow_c_array__`). Every imported array is validated in full (offsets,
/// UTF-8): a malformed export is an error, never undefined behaviour later.
pub(crate) fn batches_of(data: &Bound<'_, PyAny>) -> PyResult<Vec<RecordBatch>> {
    let batches = if data.hasattr("__arrow_c_stream__")? {
        let capsule = data.call_method0("__arrow_c_stream__")?;
        let capsule = capsule.cast::<PyCapsule>()?;
        let stream = capsule
            .pointer_checked(Some(STREAM))?
            .cast::<FFI_ArrowArrayStream>();
        // SAFETY: a capsule named `arrow_array_stream` holds an ArrowArrayStream (the PyCapsule
        // protocol); `from_raw` moves it out and leaves a released stream, which the capsule's
        // destructor then leaves alone.
        let reader = unsafe { ArrowArrayStreamReader::from_raw(stream.as_ptr()) }
            .map_err(|e| import_error(&e))?;
        reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| import_error(&e))?
    } else if data.hasattr("__arrow_c_array__")? {
        let pair = data.call_method0("__arrow_c_array__")?;
        let (schema, array): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) = pair.extract()?;
        let schema = schema
            .pointer_checked(Some(SCHEMA))?
            .cast::<FFI_ArrowSchema>();
        let array = array.pointer_checked(Some(ARRAY))?.cast::<FFI_ArrowArray>();
        // SAFETY: capsules named `arrow_schema` and `arrow_array` hold an ArrowSchema and an
        // ArrowArray (the PyCapsule protocol); the array is moved out (its capsule's
        // destructor then leaves the released one alone), the schema only read, and it lives
        // as long as its capsule, past this call.
        let data = unsafe {
            let array = FFI_ArrowArray::from_raw(array.as_ptr());
            from_ffi(array, schema.as_ref())
        }
        .map_err(|e| import_error(&e))?;
        vec![batch_of_struct(data)?]
    } else {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected Arrow data (an object with __arrow_c_stream__ or __arrow_c_array__, such as a pyarrow Table or RecordBatch), not {}",
            data.get_type().name()?
        )));
    };
    for batch in &batches {
        for column in batch.columns() {
            column
                .to_data()
                .validate_full()
                .map_err(|e| import_error(&e))?;
        }
    }
    Ok(batches)
}

/// A record batch of an imported struct array (one without nulls of its own).
fn batch_of_struct(data: arrow_data::ArrayData) -> PyResult<RecordBatch> {
    if !matches!(data.data_type(), DataType::Struct(_)) {
        return Err(arrow_error(
            format!(
                "expected a record batch (a struct array), found an array of {}",
                data.data_type()
            ),
            "not_a_batch",
            None,
            None,
        ));
    }
    data.validate_full().map_err(|e| import_error(&e))?;
    let rows = data.len();
    let (fields, columns, nulls) = StructArray::from(data).into_parts();
    if nulls.is_some_and(|n| n.null_count() > 0) {
        return Err(arrow_error(
            "a record batch's struct array has null rows".to_owned(),
            "not_a_batch",
            None,
            None,
        ));
    }
    RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| import_error(&e))
}

fn import_error(e: &dyn std::fmt::Display) -> PyErr {
    arrow_error(
        format!("cannot import the Arrow data: {e}"),
        "import",
        None,
        None,
    )
}

/// A record batch made by the engine (the findings or the device scores of an assessment),
/// handed to Arrow libraries through the Arrow PyCapsule interface: `pyarrow.record_batch(b)`
/// (or polars, DuckDB, ...) imports it zero-copy.
#[pyclass(frozen, module = "exposure", name = "ArrowBatch")]
pub(crate) struct ArrowBatch(pub(crate) RecordBatch);

#[pymethods]
impl ArrowBatch {
    /// The batch's schema as an `arrow_schema` capsule (the Arrow PyCapsule interface).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema =
            FFI_ArrowSchema::try_from(self.0.schema().as_ref()).map_err(|e| export_error(&e))?;
        PyCapsule::new_with_value(py, schema, SCHEMA)
    }

    /// The batch as `arrow_schema` and `arrow_array` capsules (a struct array; the Arrow
    /// PyCapsule interface). `requested_schema` is ignored, as the protocol allows: the
    /// columns are those of the view.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)> {
        let _ = requested_schema;
        let array = FFI_ArrowArray::new(&StructArray::from(self.0.clone()).to_data());
        Ok((
            self.__arrow_c_schema__(py)?,
            PyCapsule::new_with_value(py, array, ARRAY)?,
        ))
    }

    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.0.num_rows()
    }

    fn __len__(&self) -> usize {
        self.0.num_rows()
    }

    fn __repr__(&self) -> String {
        let names: Vec<&str> = self
            .0
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        format!("ArrowBatch(rows={}, columns={names:?})", self.0.num_rows())
    }
}

fn export_error(e: &dyn std::fmt::Display) -> PyErr {
    arrow_error(
        format!("cannot export the Arrow data: {e}"),
        "output",
        None,
        None,
    )
}

/// The assessment of an Arrow inventory: its findings and device scores as pyarrow record
/// batches, and the assessment itself.
#[pyclass(frozen, module = "exposure", name = "ArrowAssessment")]
pub(crate) struct ArrowAssessment {
    pub(crate) findings: Py<ArrowBatch>,
    pub(crate) devices: Py<ArrowBatch>,
    pub(crate) assessment: Py<crate::Assessment>,
    /// The engine that assessed, for the aggregate, made when asked for (`aggregate()`).
    pub(crate) engine: Py<crate::PyEngine>,
    /// The knowledge it assessed with: the aggregate is made only against the same.
    pub(crate) knowledge: KnowledgeSummary,
}

/// `batch` as a pyarrow RecordBatch (ImportError naming pyarrow when it is not installed).
fn pyarrow_batch<'py>(py: Python<'py>, batch: &Py<ArrowBatch>) -> PyResult<Bound<'py, PyAny>> {
    let pyarrow = py.import("pyarrow").map_err(|e| {
        let message = "ArrowAssessment.findings and .devices need pyarrow (pip install pyarrow); \
                       .findings_batch and .devices_batch hand the batches to any Arrow library";
        let err = pyo3::exceptions::PyImportError::new_err(message);
        err.set_cause(py, Some(e));
        err
    })?;
    pyarrow.call_method1("record_batch", (batch.bind(py),))
}

#[pymethods]
impl ArrowAssessment {
    /// The findings as a pyarrow RecordBatch (the columns of `Assessment.to_arrow("findings")`).
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyarrow_batch(py, &self.findings)
    }

    /// The device scores as a pyarrow RecordBatch (the columns of
    /// `Assessment.to_arrow("devices")`).
    #[getter]
    fn devices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyarrow_batch(py, &self.devices)
    }

    /// The findings as an `ArrowBatch` (the Arrow PyCapsule interface; no pyarrow needed).
    #[getter]
    fn findings_batch(&self, py: Python<'_>) -> Py<ArrowBatch> {
        self.findings.clone_ref(py)
    }

    /// The device scores as an `ArrowBatch`.
    #[getter]
    fn devices_batch(&self, py: Python<'_>) -> Py<ArrowBatch> {
        self.devices.clone_ref(py)
    }

    /// The whole assessment (organisation score, recommendations, diagnostics, ...).
    #[getter]
    fn assessment(&self, py: Python<'_>) -> Py<crate::Assessment> {
        self.assessment.clone_ref(py)
    }

    /// The assessment's aggregate as bytes: what the fleet-wide results (organisation,
    /// groups, recommendations) need of this part of a fleet, to be merged with the other
    /// parts' and finished by `Engine.finish_aggregates` — in another process (a Spark
    /// driver) if need be. The device weights of a part are not used: they depend on the
    /// whole fleet's size.
    ///
    /// Made when asked for, on the engine that assessed: `AggregateError` (kind "knowledge")
    /// when that engine has loaded other knowledge since. The GIL is released.
    fn aggregate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let assessment = &self.assessment.get().0;
        let bytes = self.engine.get().reading(py, |engine| {
            let knowledge = KnowledgeSummary::of(engine.kb());
            if knowledge != self.knowledge {
                return Err(AggregateError::Knowledge {
                    ours: self.knowledge,
                    theirs: knowledge,
                });
            }
            let mut aggregate = Aggregate::new(engine);
            aggregate.add(assessment);
            Ok(aggregate.to_bytes())
        })?;
        let bytes = bytes.map_err(|e| aggregate_error(&e, None))?;
        Ok(PyBytes::new(py, &bytes))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "ArrowAssessment(findings={}, devices={})",
            self.findings.get().0.num_rows(),
            self.devices.bind(py).get().0.num_rows()
        )
    }
}
