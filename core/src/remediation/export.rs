//! Progress as rows for ticketing systems: one row per activity ([`ActivityRow`]) and one per
//! (activity, target device) ([`DeviceRow`]), written as CSV ([`to_csv`]) or JSON
//! ([`to_json`]). Rows come in the order of the progress given, devices in id order.
//!
//! ```
//! use exposure::history::AssessmentRecord;
//! use exposure::remediation::{export, ActivityOptions, RemediationActivity};
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
//! let a = RemediationActivity::create(&record, "update:npm:lodash",
//!     ActivityOptions::new("t-1", "2026-12-01".parse()?))?;
//! let progress = [a.progress(&record)];
//! let csv = export::to_csv(&export::device_rows(&progress))?;
//! assert_eq!(csv.lines().nth(1), Some("t-1,update:npm:lodash,build-01,open,2,2,false"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{ActivityProgress, DeviceState, Priority, RemediationError};
use crate::date::Date;
use serde::{Deserialize, Serialize};

/// One activity's row.
///
/// ```
/// let rows = exposure::remediation::export::activity_rows(&[]);
/// assert!(rows.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityRow {
    /// The activity's id.
    pub activity: String,
    /// Its recommendation.
    pub recommendation: String,
    /// Its title.
    pub title: String,
    /// Its priority.
    pub priority: Priority,
    /// Its due day.
    pub due: Option<Date>,
    /// The as-of day of the record the progress is on.
    pub as_of: Option<Date>,
    /// Target devices.
    pub devices: usize,
    /// Done.
    pub done: usize,
    /// Open or regressed.
    pub remaining: usize,
    /// Regressed.
    pub regressed: usize,
    /// Gone.
    pub gone: usize,
    /// Baseline findings remaining.
    pub findings_remaining: usize,
    /// Completed.
    pub completed: bool,
    /// Overdue.
    pub overdue: bool,
}

/// One (activity, target device) row.
///
/// ```
/// let rows = exposure::remediation::export::device_rows(&[]);
/// assert!(rows.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRow {
    /// The activity's id.
    pub activity: String,
    /// Its recommendation.
    pub recommendation: String,
    /// The device id.
    pub device: String,
    /// Where it stands.
    pub state: DeviceState,
    /// Its baseline findings.
    pub baseline: usize,
    /// Remaining.
    pub remaining: usize,
    /// Overdue.
    pub overdue: bool,
}

/// One row per activity.
///
/// ```
/// assert!(exposure::remediation::export::activity_rows(&[]).is_empty());
/// ```
pub fn activity_rows(progress: &[ActivityProgress]) -> Vec<ActivityRow> {
    progress
        .iter()
        .map(|p| ActivityRow {
            activity: p.activity.clone(),
            recommendation: p.recommendation.clone(),
            title: p.title.clone(),
            priority: p.priority,
            due: p.due,
            as_of: p.as_of,
            devices: p.devices.len(),
            done: p.done,
            remaining: p.remaining,
            regressed: p.regressed,
            gone: p.gone,
            findings_remaining: p.findings_remaining,
            completed: p.completed,
            overdue: p.overdue,
        })
        .collect()
}

/// One row per (activity, target device).
///
/// ```
/// assert!(exposure::remediation::export::device_rows(&[]).is_empty());
/// ```
pub fn device_rows(progress: &[ActivityProgress]) -> Vec<DeviceRow> {
    progress
        .iter()
        .flat_map(|p| {
            p.devices.iter().map(|d| DeviceRow {
                activity: p.activity.clone(),
                recommendation: p.recommendation.clone(),
                device: d.device.clone(),
                state: d.state,
                baseline: d.baseline,
                remaining: d.remaining,
                overdue: d.overdue,
            })
        })
        .collect()
}

/// `rows` as CSV with a header line (empty cells for absent values).
///
/// ```
/// let csv = exposure::remediation::export::to_csv(&exposure::remediation::export::activity_rows(&[]))?;
/// assert_eq!(csv, "");
/// # Ok::<(), exposure::remediation::RemediationError>(())
/// ```
///
/// # Errors
///
/// [`RemediationError::Export`] if a row does not serialise as CSV.
pub fn to_csv<T: Serialize>(rows: &[T]) -> Result<String, RemediationError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .serialize(row)
            .map_err(|e| RemediationError::Export(e.to_string()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| RemediationError::Export(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| RemediationError::Export(e.to_string()))
}

/// `rows` as a JSON array.
///
/// ```
/// let json = exposure::remediation::export::to_json(&exposure::remediation::export::device_rows(&[]))?;
/// assert_eq!(json, "[]");
/// # Ok::<(), exposure::remediation::RemediationError>(())
/// ```
///
/// # Errors
///
/// [`RemediationError::Export`] if a row does not serialise.
pub fn to_json<T: Serialize>(rows: &[T]) -> Result<String, RemediationError> {
    serde_json::to_string(rows).map_err(|e| RemediationError::Export(e.to_string()))
}
