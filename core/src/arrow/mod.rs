//! Arrow record batches in and out (the `arrow` feature): an inventory as a batch of rows
//! (`device_id`, `groups`, `value`, `ecosystem`, `name`, `version`, `purl`, `cpe`) read into a
//! [`Fleet`](crate::inventory::Fleet) ([`fleet_of_batch`]), an assessment's findings and
//! device scores as batches of the views' typed columns ([`rows_to_batch`], driven by
//! [`crate::columns`]), and both in one call, [`Engine::assess_batch`](crate::Engine::assess_batch).
//!
//! A row of an inventory batch means what a software item of a fleet document means (they are
//! read by the same code), but where a fleet document keeps a device whose item is bad and
//! reports the problem, a batch fails closed: any bad row is a [`BatchError`] naming its
//! column and row, and nothing is assessed.
//!
//! The Arrow types of the views' columns are those of the Python package's
//! `Assessment.to_arrow`, so both routes give equal tables:
//!
//! | [`ColumnType`](crate::columns::ColumnType) | Arrow |
//! | --- | --- |
//! | text | `Utf8` |
//! | category | `Dictionary<Int32, Utf8>` (values in order of first appearance) |
//! | float | `Float64` |
//! | count | `Int64` |
//! | bool | `Boolean` |
//! | date | `Date32` |
//! | text_list | `List<Utf8>` |
//!
//! ```
//! use exposure::arrow::inventory_batch;
//! let batch = inventory_batch(&[
//!     ("web-1", Some("pkg:npm/lodash@4.17.20")),
//!     ("web-2", None),
//! ])?;
//! let assessed = exposure::Engine::demo().assess_batch(&batch)?;
//! assert_eq!(assessed.devices.num_rows(), 2);
//! assert!(assessed.findings.num_rows() > 0);
//! assert_eq!(assessed.findings.schema().field(0).name(), "device_id");
//! # Ok::<(), exposure::arrow::BatchError>(())
//! ```

mod inventory;
mod rows;

/// The Arrow crates the batches are made of, for callers to build and read them with the
/// same version (`arrow_ipc` reads what [`crate::stream::ArrowIpc`] writes).
pub use {arrow_array, arrow_buffer, arrow_ipc, arrow_schema};

/// The Parquet crate (the `parquet` feature) [`crate::stream::Parquet`] writes with, for
/// callers to read its files with the same version.
#[cfg(feature = "parquet")]
pub use parquet;

pub use inventory::{fleet_of_batch, fleet_of_batches, inventory_batch, INVENTORY_COLUMNS};
pub use rows::{rows_to_batch, schema_of};

use crate::assessment::{Assessment, DeviceExposure, FindingRow};
use crate::engine::{AssessOptions, Engine};
use arrow_array::RecordBatch;

/// Why an inventory batch could not be read, or a view not be made a batch. Every problem
/// with the input names its column, and its row when it is one row's.
///
/// ```
/// use exposure::arrow::{fleet_of_batch, inventory_batch, BatchError};
/// let batch = inventory_batch(&[("d", Some("pkg:npm/lodash"))])?;
/// let e = fleet_of_batch(&batch).unwrap_err();
/// assert!(matches!(e, BatchError::Invalid { column: "purl", row: 0, .. }));
/// # Ok::<(), BatchError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The knowledge base is damaged ([`Engine::intact`](crate::Engine::intact)): a snapshot
    /// record read while matching did not decode, so the assessment is refused.
    #[error("{damage}")]
    Knowledge {
        /// What [`Engine::intact`](crate::Engine::intact) said.
        damage: String,
    },
    /// A column every inventory batch needs is not there.
    #[error("the inventory batch has no column {column:?}")]
    MissingColumn {
        /// The column.
        column: &'static str,
    },
    /// The batch has a column the inventory does not know (select the known ones).
    #[error("the inventory batch has column {column:?}, not one of {known}", known = INVENTORY_COLUMNS.join(", "))]
    UnknownColumn {
        /// The column.
        column: String,
    },
    /// A column is of a type that cannot hold its values.
    #[error("column {column:?} is of type {found}, expected {expected}")]
    WrongType {
        /// The column.
        column: &'static str,
        /// The column's Arrow type.
        found: String,
        /// What it may be.
        expected: &'static str,
    },
    /// A value that must be there is null (a device id, a group).
    #[error("row {row}: column {column:?} is null")]
    Null {
        /// The column.
        column: &'static str,
        /// The row, from 0.
        row: usize,
    },
    /// A value is not valid: an empty device id, a value word that is not low, normal or
    /// high, a package URL or CPE name that does not parse, a software item that lacks a
    /// field.
    #[error("row {row}: column {column:?}: {message}")]
    Invalid {
        /// The column.
        column: &'static str,
        /// The row, from 0.
        row: usize,
        /// What is wrong.
        message: String,
    },
    /// Two rows of one device state different values of a device column (`value`, `groups`).
    #[error("row {row}: column {column:?}: device {device:?} has another value in an earlier row")]
    Conflict {
        /// The column.
        column: &'static str,
        /// The row, from 0.
        row: usize,
        /// The device's id.
        device: String,
    },
    /// A view's rows could not be made a batch (a value not of its column's type).
    #[error("the {view} view cannot be made a record batch: {message}")]
    Output {
        /// The view.
        view: &'static str,
        /// What failed.
        message: String,
    },
}

/// An assessment of an inventory batch: the findings and the device scores as record batches
/// (the columns of [`FindingRow::SCHEMA`] and [`DeviceExposure::SCHEMA`]), and the whole
/// assessment they were made from (organisation score, recommendations, diagnostics,
/// suppressions: nothing is lost).
///
/// ```
/// let batch = exposure::arrow::inventory_batch(&[("d", Some("pkg:npm/minimist@1.2.5"))])?;
/// let assessed = exposure::Engine::demo().assess_batch(&batch)?;
/// assert_eq!(assessed.findings.num_rows(), assessed.assessment.findings.len());
/// assert_eq!(assessed.devices.num_columns(), 9);
/// # Ok::<(), exposure::arrow::BatchError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AssessedBatch {
    /// One row per finding ([`FindingRow::SCHEMA`]).
    pub findings: RecordBatch,
    /// One row per device, in order of first appearance in the inventory
    /// ([`DeviceExposure::SCHEMA`]).
    pub devices: RecordBatch,
    /// The assessment itself.
    pub assessment: Assessment,
}

impl AssessedBatch {
    /// The batches of an assessment's findings and devices.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let batches = exposure::arrow::AssessedBatch::of(a)?;
    /// assert_eq!(batches.devices.num_rows(), 5);
    /// # Ok::<(), exposure::arrow::BatchError>(())
    /// ```
    pub fn of(assessment: Assessment) -> Result<Self, BatchError> {
        Ok(AssessedBatch {
            findings: findings_batch(&assessment)?,
            devices: devices_batch(&assessment)?,
            assessment,
        })
    }
}

/// An assessment's findings as a record batch of [`FindingRow::SCHEMA`] (what
/// [`AssessedBatch::findings`] holds, and what the streaming sinks write per chunk).
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let batch = exposure::arrow::findings_batch(&a)?;
/// assert_eq!(batch.num_rows(), a.findings.len());
/// assert_eq!(batch.schema().as_ref(), &exposure::arrow::schema_of(&exposure::assessment::FindingRow::SCHEMA));
/// # Ok::<(), exposure::arrow::BatchError>(())
/// ```
pub fn findings_batch(assessment: &Assessment) -> Result<RecordBatch, BatchError> {
    rows_to_batch(&assessment.finding_rows(), &FindingRow::SCHEMA, "findings")
}

/// An assessment's device rows as a record batch of [`DeviceExposure::SCHEMA`] (what
/// [`AssessedBatch::devices`] holds).
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// assert_eq!(exposure::arrow::devices_batch(&a)?.num_rows(), a.devices.len());
/// # Ok::<(), exposure::arrow::BatchError>(())
/// ```
pub fn devices_batch(assessment: &Assessment) -> Result<RecordBatch, BatchError> {
    rows_to_batch(&assessment.devices, &DeviceExposure::SCHEMA, "devices")
}

impl Engine {
    /// Assesses the inventory `batch` ([`fleet_of_batch`]) and returns the findings and
    /// device scores as batches.
    ///
    /// ```
    /// let batch = exposure::arrow::inventory_batch(&[("d", Some("pkg:npm/lodash@4.17.20"))])?;
    /// let assessed = exposure::Engine::demo().assess_batch(&batch)?;
    /// assert_eq!(assessed.devices.num_rows(), 1);
    /// # Ok::<(), exposure::arrow::BatchError>(())
    /// ```
    pub fn assess_batch(&self, batch: &RecordBatch) -> Result<AssessedBatch, BatchError> {
        self.assess_batch_with(batch, &AssessOptions::default())
    }

    /// [`Engine::assess_batch`] with every option of [`Engine::assess_with`] (the as-of day,
    /// the exceptions).
    ///
    /// ```
    /// use exposure::engine::AssessOptions;
    /// let batch = exposure::arrow::inventory_batch(&[("d", Some("pkg:npm/lodash@4.17.20"))])?;
    /// let options = AssessOptions { as_of: Some("2026-12-04".parse().unwrap()), exceptions: None };
    /// let assessed = exposure::Engine::demo().assess_batch_with(&batch, &options)?;
    /// assert_eq!(assessed.assessment.as_of, options.as_of);
    /// # Ok::<(), exposure::arrow::BatchError>(())
    /// ```
    pub fn assess_batch_with(
        &self,
        batch: &RecordBatch,
        options: &AssessOptions<'_>,
    ) -> Result<AssessedBatch, BatchError> {
        self.assess_batches_with([batch], options)
    }

    /// [`Engine::assess_batch_with`] on the batches of one inventory ([`fleet_of_batches`]):
    /// a table's or a stream's, assessed as one fleet.
    ///
    /// ```
    /// use exposure::arrow::inventory_batch;
    /// let one = inventory_batch(&[("a", Some("pkg:npm/lodash@4.17.20"))])?;
    /// let two = inventory_batch(&[("b", Some("pkg:npm/minimist@1.2.5"))])?;
    /// let engine = exposure::Engine::demo();
    /// let assessed = engine.assess_batches_with([&one, &two], &Default::default())?;
    /// assert_eq!(assessed.devices.num_rows(), 2);
    /// assert!(assessed.assessment.record(engine.kb()).is_ok());
    /// # Ok::<(), exposure::arrow::BatchError>(())
    /// ```
    pub fn assess_batches_with<'b>(
        &self,
        batches: impl IntoIterator<Item = &'b RecordBatch>,
        options: &AssessOptions<'_>,
    ) -> Result<AssessedBatch, BatchError> {
        let fleet = std::sync::Arc::new(fleet_of_batches(batches)?);
        let mut assessment = self.assess_with(&fleet, options, &|_, _| {});
        self.intact().map_err(|e| BatchError::Knowledge {
            damage: e.to_string(),
        })?;
        // The assessment holds the fleet it read, as one of a fleet document does: its
        // record can be made.
        assessment.fleet = Some(fleet);
        AssessedBatch::of(assessment)
    }
}
