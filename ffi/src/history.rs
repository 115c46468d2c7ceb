//! Assessments through time: records (JSON or binary), their diff and events, the timeline,
//! the views and the dashboard, remediation activities and their progress. Every function
//! takes records as bytes the caller keeps (the library keeps no history) and returns JSON.

use crate::engine::exposure_engine;
use crate::enums::enum_arg;
use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::guard_result;
use crate::handle::{self, try_opt_str, try_out, try_ref, try_slice, try_str};
use crate::strings::{exposure_string, put_bytes, put_json, put_string};
use exposure::date::Date;
use exposure::history::{AssessmentRecord, Event, EventOptions, RecordDiff, Timeline};
use exposure::remediation::{
    progress_over, ActivityOptions, Overview, Priority, ProgressSeries, RemediationActivity,
    Targets,
};
use exposure::views::{self, dashboard::Dashboard, Filter};
use serde::{Deserialize, Serialize};
use std::ffi::c_char;

/// The form of an assessment record (`exposure_engine_record`'s `format`). Values are ABI.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exposure_record_format {
    /// The record as JSON text (`exposure-record/1`).
    Json = 0,
    /// The compact binary form (starts with the magic `EXPOSURE-REC`; may hold NUL bytes).
    Binary = 1,
}

/// The record forms the library writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Json,
    Binary,
}

/// The format numbers of the C ABI. Values are ABI.
const FORMATS: [(exposure_record_format, Form); 2] = [
    (exposure_record_format::Json, Form::Json),
    (exposure_record_format::Binary, Form::Binary),
];

/// A record form from C's `format` number: `EXPOSURE_STATUS_INVALID_ARGUMENT` for a number no
/// `EXPOSURE_RECORD_FORMAT_*` names.
pub(crate) fn form_arg(format: u32) -> Result<Form, Failure> {
    enum_arg(
        &FORMATS,
        format,
        exposure_status::InvalidArgument,
        "record format",
        "EXPOSURE_RECORD_FORMAT_",
    )
}

/// Stores the record of `assessment` (made against `kb`) in an output, in `form`.
pub(crate) fn put_record(
    out: &mut std::mem::MaybeUninit<*mut exposure_string>,
    assessment: &exposure::Assessment,
    kb: &exposure::kb::KnowledgeBase,
    form: Form,
) -> Result<(), Failure> {
    let record = assessment
        .record(kb)
        .map_err(|e| Failure::from_record(&e, "record"))?;
    match form {
        Form::Json => {
            let json = record
                .to_json()
                .map_err(|e| Failure::from_record(&e, "record"))?;
            put_string(out, json);
        }
        Form::Binary => put_bytes(out, record.to_binary()),
    }
    Ok(())
}

/// The binary record's first bytes: what tells it from JSON.
const BINARY_MAGIC: &[u8] = b"EXPOSURE-REC";

/// A record given as bytes: binary when it starts with [`BINARY_MAGIC`], JSON otherwise.
fn read_record(bytes: &[u8], name: &str) -> Result<AssessmentRecord, Failure> {
    let record = if bytes.starts_with(BINARY_MAGIC) {
        AssessmentRecord::from_binary(bytes)
    } else {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            Failure::new(
                exposure_status::RecordInvalid,
                format!("`{name}`: neither a binary record (no EXPOSURE-REC header) nor JSON text (not UTF-8 at byte {at})"),
            )
            .at(at)
        })?;
        AssessmentRecord::from_json(text)
    };
    record.map_err(|e| Failure::from_record(&e, name))
}

/// The `count` records of the parallel arrays `(records, lens)`, in order.
fn read_records(
    records: *const *const u8,
    lens: *const usize,
    count: usize,
) -> Result<Vec<AssessmentRecord>, Failure> {
    let pointers = try_slice!(records, count);
    let lens = try_slice!(lens, count);
    pointers
        .iter()
        .zip(lens)
        .enumerate()
        .map(|(i, (&ptr, &len))| {
            let name = format!("records[{i}]");
            // SAFETY: the functions taking `(records, lens, count)` document `lens[i]`
            // readable bytes at `records[i]`.
            let bytes =
                unsafe { handle::as_slice(ptr, len) }.ok_or_else(|| Failure::null(&name))?;
            read_record(bytes, &name)
        })
        .collect()
}

/// An optional day argument: NULL is none; otherwise `YYYY-MM-DD` or
/// `EXPOSURE_STATUS_INVALID_DATE`.
pub(crate) fn day_arg(text: Option<&str>) -> Result<Option<Date>, Failure> {
    text.map(|t| {
        t.parse().map_err(|e: exposure::date::DateError| {
            Failure::new(exposure_status::InvalidDate, e.to_string())
        })
    })
    .transpose()
}

/// An optional group argument: NULL is every device.
fn filter_arg(group: Option<&str>) -> Filter {
    group.map_or_else(Filter::all, Filter::group)
}

/// Assesses an inventory given as JSON text (as `exposure_engine_assess_json`) and writes
/// the assessment's record: with `format` `EXPOSURE_RECORD_FORMAT_JSON` (0) JSON text, with
/// `EXPOSURE_RECORD_FORMAT_BINARY` (1) the compact binary form, which may hold NUL bytes (read
/// it as `(exposure_string_ptr(s), exposure_string_len(s))`); any other number is
/// `EXPOSURE_STATUS_INVALID_ARGUMENT`. `as_of` (`as_of_len` bytes, `YYYY-MM-DD`) is the day
/// end of support and exceptions' expiry are judged on, recorded in the record; NULL records
/// no day (expiring exceptions are then not judged). A day that is not a real date is
/// `EXPOSURE_STATUS_INVALID_DATE`. The engine's exceptions apply as in an assessment.
///
/// Ownership: on success `*out` owns a new string, freed with `exposure_string_free`; on
/// failure `*out` is untouched and `*err` (when `err` is not NULL) owns a new error, freed
/// with `exposure_error_free`. `engine` is only read: calls may run concurrently.
#[no_mangle]
pub extern "C" fn exposure_engine_record(
    engine: *const exposure_engine,
    inventory: *const c_char,
    inventory_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    format: u32,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let out = try_out!(out);
        let text = try_str!(inventory, inventory_len);
        let day = try_opt_str!(as_of, as_of_len);
        let form = form_arg(format)?;
        let options = exposure::engine::AssessOptions {
            as_of: day_arg(day)?,
            exceptions: None,
        };
        let assessment = engine
            .assess_text_with(text, "inventory", false, &options)
            .map_err(Failure::from_error)?;
        put_record(out, &assessment, engine.kb(), form)
    })
}

/// The diff of two records and the events between them.
#[derive(Serialize)]
struct Changes<'a> {
    diff: &'a RecordDiff,
    events: &'a [Event],
}

/// The changes from record `old_record` (`old_len` bytes) to `new_record` (`new_len` bytes),
/// each given as JSON or in the binary form (told apart by the binary magic `EXPOSURE-REC`).
/// `*out` receives `{"diff": …, "events": […]}`: new and fixed findings, new and removed
/// software, devices added and gone, score changes with their causes; the events as
/// Defender's timeline names them, each with its affected devices and score change, dated by
/// the newer record's as-of day. A record that does not read returns its
/// `EXPOSURE_STATUS_RECORD_*` status (truncated, corrupted, another format, invalid).
///
/// Ownership: the records are read during the call only. On success `*out` owns a new
/// string, freed with `exposure_string_free`; on failure `*err` (when `err` is not NULL)
/// owns a new error, freed with `exposure_error_free`.
#[no_mangle]
pub extern "C" fn exposure_record_diff_json(
    old_record: *const u8,
    old_len: usize,
    new_record: *const u8,
    new_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let (old, new) = (
            try_slice!(old_record, old_len),
            try_slice!(new_record, new_len),
        );
        let old = read_record(old, "old_record")?;
        let new = read_record(new, "new_record")?;
        let (diff, events) = exposure::history::changes(&old, &new, None, &EventOptions::default());
        put_json(
            out,
            &Changes {
                diff: &diff,
                events: &events,
            },
        )
    })
}

/// The event timeline of `count` records, oldest first, given as two parallel arrays:
/// `records[i]` points to `lens[i]` bytes of a record (JSON or binary). `*out` receives
/// `{"events": […]}`: the events of each consecutive pair, in date order. With `since`
/// (`since_len` bytes, `YYYY-MM-DD`; NULL for none), events dated before it (or undated: a
/// record made without an as-of day) are left out; a day that is not a real date is
/// `EXPOSURE_STATUS_INVALID_DATE`. `count` 0 (the arrays may then be NULL) or 1 gives no event.
///
/// Ownership: the arrays and records are read during the call only. On success `*out` owns
/// a new string, freed with `exposure_string_free`; on failure `*err` (when `err` is not
/// NULL) owns a new error, freed with `exposure_error_free`.
#[no_mangle]
pub extern "C" fn exposure_timeline_json(
    records: *const *const u8,
    lens: *const usize,
    count: usize,
    since: *const c_char,
    since_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let since = try_opt_str!(since, since_len);
        let since = day_arg(since)?;
        let history = read_records(records, lens, count)?;
        put_json(out, &Timeline::of(&history, since))
    })
}

/// One view of a record (JSON or binary, `record_len` bytes) as a JSON array of rows:
/// `view` (`view_len` bytes) names it: `software` (vendor, product, versions, installed on and
/// exposed devices, weaknesses, threats, impact, end of support), `weaknesses` (CVE,
/// severity, CVSS, EPSS, KEV, dates, exposed devices, affected software, fix availability),
/// `devices` (score, level, value, groups, findings, every recommendation covering the device
/// ranked by impact, last assessed) or `recommendations`. Any other name is
/// `EXPOSURE_STATUS_UNKNOWN_VIEW`. With `group` (`group_len` bytes; NULL for every device)
/// only the devices of that group count.
///
/// Ownership: the record is read during the call only. On success `*out` owns a new string,
/// freed with `exposure_string_free`; on failure `*err` (when `err` is not NULL) owns a new
/// error, freed with `exposure_error_free`.
#[no_mangle]
pub extern "C" fn exposure_record_view_json(
    record: *const u8,
    record_len: usize,
    view: *const c_char,
    view_len: usize,
    group: *const c_char,
    group_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let view = try_str!(view, view_len);
        let group = try_opt_str!(group, group_len);
        let filter = filter_arg(group);
        let record = try_slice!(record, record_len);
        // The view is checked before the record is decoded: a wrong name costs nothing.
        if !["software", "weaknesses", "devices", "recommendations"].contains(&view) {
            return Err(Failure::new(
                exposure_status::UnknownView,
                format!("unknown view {view:?} (the views are software, weaknesses, devices and recommendations)"),
            ));
        }
        let record = read_record(record, "record")?;
        match view {
            "software" => put_json(out, &views::software::rows(&record, &filter)),
            "weaknesses" => put_json(out, &views::weaknesses::rows(&record, &filter)),
            "devices" => put_json(out, &views::devices::rows(&record, &filter, usize::MAX)),
            _ => put_json(out, &views::recommendations::rows(&record, &filter)),
        }
    })
}

/// The dashboard of a history of `count` records, oldest first, given as two parallel arrays
/// (`records[i]` points to `lens[i]` bytes of a record, JSON or binary): the organisation's
/// (or `group`'s) exposure score and its trend, the secure score, devices per level, and the
/// top `top` recommendations, software and devices of the newest record. `group`
/// (`group_len` bytes) restricts every figure to one device group; NULL for every device.
/// `count` 0 (the arrays may then be NULL) gives an empty dashboard (score 0).
///
/// Ownership: the arrays and records are read during the call only. On success `*out` owns
/// a new string, freed with `exposure_string_free`; on failure `*err` (when `err` is not
/// NULL) owns a new error, freed with `exposure_error_free`.
#[no_mangle]
pub extern "C" fn exposure_dashboard_json(
    records: *const *const u8,
    lens: *const usize,
    count: usize,
    group: *const c_char,
    group_len: usize,
    top: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let group = try_opt_str!(group, group_len);
        let filter = filter_arg(group);
        let history = read_records(records, lens, count)?;
        put_json(out, &Dashboard::of(&history, &filter, top))
    })
}

/// The options of `exposure_remediation_create_json`, as C passes them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateOptions {
    id: String,
    created: Date,
    #[serde(default)]
    due: Option<Date>,
    #[serde(default)]
    priority: Priority,
    #[serde(default)]
    note: String,
    #[serde(default)]
    devices: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
}

/// A JSON argument that does not read as its type: `EXPOSURE_STATUS_REMEDIATION_INVALID`.
fn remediation_json<T: for<'de> Deserialize<'de>>(text: &str, name: &str) -> Result<T, Failure> {
    serde_json::from_str(text).map_err(|e| {
        let failure = Failure::new(
            exposure_status::RemediationInvalid,
            format!("`{name}` does not read: {e}"),
        );
        match exposure::json_error_offset(text, &e) {
            Some(at) => failure.at(at),
            None => failure,
        }
    })
}

/// Creates a remediation activity from recommendation `recommendation_id` (its stable id,
/// e.g. `update:npm:lodash`) of a record (JSON or binary, `record_len` bytes). `options_json`
/// is a JSON object: `id` (the caller's id for the activity, required, not empty), `created`
/// (`YYYY-MM-DD`, required), `due` (`YYYY-MM-DD`), `priority` (`low`, `medium` (default),
/// `high`, `critical`), `note`, `devices` and `groups` (the targets; both empty or left out:
/// every device the recommendation covers). `*out` receives the activity as JSON, with its
/// target devices and its baseline findings: keep it, and hand it to
/// `exposure_remediation_progress_json` with later records. Failures: options that do not
/// read (`EXPOSURE_STATUS_REMEDIATION_INVALID`), an id the record has no recommendation of
/// (`EXPOSURE_STATUS_UNKNOWN_RECOMMENDATION`, the message names the nearest ids), a due day
/// before the creation day (`EXPOSURE_STATUS_REMEDIATION_DUE_BEFORE_CREATION`), targets that
/// select no covered device (`EXPOSURE_STATUS_REMEDIATION_NO_TARGETED_DEVICE`).
///
/// Ownership: the record is read during the call only. On success `*out` owns a new string,
/// freed with `exposure_string_free`; on failure `*err` (when `err` is not NULL) owns a new
/// error, freed with `exposure_error_free`.
#[no_mangle]
pub extern "C" fn exposure_remediation_create_json(
    record: *const u8,
    record_len: usize,
    recommendation_id: *const c_char,
    recommendation_id_len: usize,
    options_json: *const c_char,
    options_json_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let record = try_slice!(record, record_len);
        let recommendation = try_str!(recommendation_id, recommendation_id_len);
        let options: CreateOptions =
            remediation_json(try_str!(options_json, options_json_len), "options_json")?;
        let record = read_record(record, "record")?;
        let options = ActivityOptions {
            due: options.due,
            priority: options.priority,
            note: options.note,
            targets: Targets {
                devices: options.devices,
                groups: options.groups,
            },
            ..ActivityOptions::new(options.id, options.created)
        };
        let activity = RemediationActivity::create(&record, recommendation, options)
            .map_err(|e| Failure::from_remediation(&e))?;
        put_json(out, &activity)
    })
}

/// One activity's progress over the records.
#[derive(Serialize)]
struct ActivitySeries<'a> {
    id: &'a str,
    #[serde(flatten)]
    series: ProgressSeries,
}

/// What `exposure_remediation_progress_json` writes.
#[derive(Serialize)]
struct Progress<'a> {
    activities: Vec<ActivitySeries<'a>>,
    overview: Overview,
}

/// The progress of remediation activities over `count` records, oldest first, given as two
/// parallel arrays (`records[i]` points to `lens[i]` bytes of a record, JSON or binary).
/// `activity_json` is one activity as `exposure_remediation_create_json` made it, or a JSON
/// array of them. `*out` receives `{"activities": [{"id", "points", "regressions"}],
/// "overview": …}`: per activity one point per record (devices done, open, regressed, gone;
/// remaining, completed, overdue on that record's as-of day) and every reopening of a device
/// done earlier; the overview sums each activity's progress on the newest record. An
/// activity that does not read is `EXPOSURE_STATUS_REMEDIATION_INVALID`; `count` 0 is
/// `EXPOSURE_STATUS_INVALID_ARGUMENT` (progress needs a record).
///
/// Ownership: the activity text, arrays and records are read during the call only. On
/// success `*out` owns a new string, freed with `exposure_string_free`; on failure `*err`
/// (when `err` is not NULL) owns a new error, freed with `exposure_error_free`.
#[no_mangle]
pub extern "C" fn exposure_remediation_progress_json(
    activity_json: *const c_char,
    activity_json_len: usize,
    records: *const *const u8,
    lens: *const usize,
    count: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let text = try_str!(activity_json, activity_json_len);
        let activities: Vec<RemediationActivity> = if text.trim_start().starts_with('[') {
            remediation_json(text, "activity_json")?
        } else {
            vec![remediation_json(text, "activity_json")?]
        };
        if count == 0 {
            return Err(Failure::new(
                exposure_status::InvalidArgument,
                "`count` is 0: progress is computed from at least one record",
            ));
        }
        let history = read_records(records, lens, count)?;
        let activities: Vec<ActivitySeries<'_>> = activities
            .iter()
            .map(|a| ActivitySeries {
                id: &a.id,
                series: progress_over(a, &history),
            })
            .collect();
        let latest: Vec<_> = activities
            .iter()
            .filter_map(|a| a.series.latest().cloned())
            .collect();
        put_json(
            out,
            &Progress {
                overview: Overview::of(&latest),
                activities,
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_numbers_are_unique() {
        crate::enums::assert_numbers_unique(&FORMATS);
    }

    #[test]
    fn a_record_is_told_apart_by_its_magic() {
        let e = read_record(b"EXPOSURE-REC", "r").err().map(|f| f.status());
        assert!(matches!(
            e,
            Some(exposure_status::RecordTruncated | exposure_status::RecordInvalid)
        ));
        let e = read_record(b"{\"format\": \"exposure-record/9\"}", "r").err();
        assert_eq!(e.map(|f| f.status()), Some(exposure_status::RecordFormat));
        let e = read_record(&[0xff, 0], "r").err();
        assert_eq!(e.map(|f| f.offset()), Some(0));
    }
}
