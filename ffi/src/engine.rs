//! The engine handle: load knowledge, assess inventories.

use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::{guard, guard_result};
use crate::handle::{
    self, free_handle, opt_out, opt_ref, try_mut, try_opt_str, try_out, try_ref, try_str,
};
use crate::handle::{Boxed, Castable};
use crate::strings::{exposure_string, put_json, put_string};
use exposure::assess::load_knowledge;
use exposure::kb::{KbError, LoadReport};
use std::ffi::c_char;
use std::path::Path;

/// Opaque to C: a knowledge base and model parameters. Create with `exposure_engine_new` or
/// `exposure_engine_new_demo`, free with `exposure_engine_free`. Loading needs exclusive
/// access; once loaded, `exposure_engine_assess_json` may run on several threads at once.
pub struct exposure_engine {
    _private: [u8; 0],
}

impl Castable for exposure_engine {
    type Ownership = Boxed;
    type RustType = exposure::Engine;
}

/// Creates an engine with an empty knowledge base. On success `*out` owns the engine.
#[no_mangle]
pub extern "C" fn exposure_engine_new(
    out: *mut *mut exposure_engine,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        handle::put(try_out!(out), exposure::Engine::default());
        Ok(())
    })
}

/// Creates an engine over the embedded demo knowledge base. On success `*out` owns it.
#[no_mangle]
pub extern "C" fn exposure_engine_new_demo(
    out: *mut *mut exposure_engine,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        handle::put(try_out!(out), exposure::Engine::demo());
        Ok(())
    })
}

/// Opens an engine over the knowledge-base snapshot at `path` (written by
/// `exposure_engine_save_snapshot` or `exposure kb build`) in place: the file is mapped
/// read-only, its indexes searched where they lie and each advisory decoded when an assessment
/// first reads it, so opening takes milliseconds whatever the snapshot's size and engines (or
/// processes) that open one file share its pages. On success `*out` owns the engine. A file
/// that is not a snapshot, of another format, truncated or corrupted returns
/// `EXPOSURE_STATUS_KB_SNAPSHOT` (a missing or unreadable one `EXPOSURE_STATUS_KB_IO`); a
/// record damaged since it was written is found when read and refuses that assessment
/// (`EXPOSURE_STATUS_KB_SNAPSHOT`), never a clean result.
#[no_mangle]
pub extern "C" fn exposure_engine_open(
    path: *const c_char,
    path_len: usize,
    out: *mut *mut exposure_engine,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let path = try_str!(path, path_len);
        let out = try_out!(out);
        let engine = exposure::Engine::open(Path::new(path)).map_err(Failure::from_error)?;
        handle::put(out, engine);
        Ok(())
    })
}

/// Frees an engine. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_engine_free(engine: *mut exposure_engine) {
    free_handle!(engine);
}

/// Number of advisories in the engine's knowledge base (0 for NULL).
#[no_mangle]
pub extern "C" fn exposure_engine_advisory_count(engine: *const exposure_engine) -> usize {
    guard(|| opt_ref!(engine).map_or(0, |e| e.kb().len()))
}

/// The engine's knowledge-base metadata as JSON: `built_at` (when `exposure kb build` or the
/// embedding product built it, UTC RFC 3339, or null), `as_of` (the newest of the sources'
/// dates, else the build time, or null) and `sources`, one per input and format: `source`,
/// `format`, `documents`, `records`, `newest_record`, `feed_timestamp`. On success `*out`
/// owns the string.
#[no_mangle]
pub extern "C" fn exposure_engine_kb_metadata_json(
    engine: *const exposure_engine,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let out = try_out!(out);
        put_json(out, &engine.kb().metadata().described())
    })
}

/// How old the engine's knowledge is at `now` (Unix seconds: the caller reads the clock), as
/// JSON: `as_of`, `built_at`, `age_seconds` (null when unknown), `max_age_seconds` and
/// `warning` (a sentence when the knowledge is older than `max_age_seconds` or of unknown
/// age, null when fresh). On success `*out` owns the string.
#[no_mangle]
pub extern "C" fn exposure_engine_kb_age_json(
    engine: *const exposure_engine,
    now: i64,
    max_age_seconds: u64,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let out = try_out!(out);
        let check = exposure::kb::KbAgeCheck {
            now,
            max_age: max_age_seconds,
        };
        put_json(out, &engine.kb().metadata().age_check(check))
    })
}

/// The load report as JSON into an optional output.
fn report_out(
    report: Option<&mut std::mem::MaybeUninit<*mut exposure_string>>,
    value: &LoadReport,
) -> Result<(), Failure> {
    report.map_or(Ok(()), |report| put_json(report, value))
}

/// Loads any feed the engine reads, told apart by content (gzip undone): NVD JSON 1.1 feeds
/// and API 2.0 responses, OSV JSON or YAML (files, directories, zip or tar archives), Alpine
/// secdb, the Node.js security WG's, RubySec's and Mozilla's advisories, CISA KEV (JSON or
/// CSV), EPSS, and VEX (OpenVEX, CycloneDX, CSAF). Bad records are
/// skipped and reported; when `report` is not NULL, `*report` receives the load report as JSON.
/// An input that yields nothing or loses more than 10 % of its records returns
/// `EXPOSURE_STATUS_KB_INCOMPLETE`: what loaded stays in the engine and `*report` (when asked
/// for) holds the report, so a caller that accepts partial knowledge may go on.
#[no_mangle]
pub extern "C" fn exposure_engine_load_path(
    engine: *mut exposure_engine,
    path: *const c_char,
    path_len: usize,
    report: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    load_kb_path(engine, path, path_len, report, err)
}

/// The body of the `exposure_engine_load_*_path` calls: the input loaded into the engine's
/// knowledge base and checked ([`exposure::assess::load_knowledge`]), the report out as JSON
/// (also when the input is refused as incomplete).
fn load_kb_path(
    engine: *mut exposure_engine,
    path: *const c_char,
    path_len: usize,
    report: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_mut!(engine);
        let path = try_str!(path, path_len);
        let report = opt_out!(report);
        match load_knowledge(engine.kb_mut(), Path::new(path), false) {
            Ok(loaded) => report_out(report, &loaded),
            Err(e) => {
                if let Some(loaded) = e.load_report() {
                    report_out(report, loaded)?;
                }
                Err(Failure::from_error(e))
            }
        }
    })
}

/// Writes everything the engine's knowledge base holds as one compiled snapshot file, which
/// `exposure_engine_load_path` (and `exposure assess --kb`) read much faster than the feeds.
#[no_mangle]
pub extern "C" fn exposure_engine_save_snapshot(
    engine: *const exposure_engine,
    path: *const c_char,
    path_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let path = try_str!(path, path_len);
        engine
            .kb()
            .save_snapshot(Path::new(path))
            .map_err(|source| {
                Failure::from_error(KbError::Snapshot {
                    path: path.into(),
                    source,
                })
            })
    })
}

/// Loads OSV advisories from a JSON file or a directory of them. Bad records are skipped and
/// reported; when `report` is not NULL, `*report` receives the load report as JSON (records
/// read, loaded, skipped, and the problems with file, record and field). An input that yields
/// nothing or loses more than 10 % of its records returns `EXPOSURE_STATUS_KB_INCOMPLETE`, as
/// `exposure_engine_load_path` does.
#[no_mangle]
pub extern "C" fn exposure_engine_load_osv_path(
    engine: *mut exposure_engine,
    path: *const c_char,
    path_len: usize,
    report: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    load_kb_path(engine, path, path_len, report, err)
}

/// Loads OSV advisories from JSON text (one record or an array). `origin` names the input in
/// problems. When `report` is not NULL, `*report` receives the load report as JSON.
#[no_mangle]
pub extern "C" fn exposure_engine_load_osv_json(
    engine: *mut exposure_engine,
    json: *const c_char,
    json_len: usize,
    origin: *const c_char,
    origin_len: usize,
    report: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_mut!(engine);
        let json = try_str!(json, json_len);
        let origin = try_str!(origin, origin_len);
        let loaded = engine
            .kb_mut()
            .load_text_as(exposure::kb::Format::OsvJson, json, origin);
        report_out(opt_out!(report), &loaded)
    })
}

/// Assesses an inventory given as JSON text (a CycloneDX BOM or a fleet document). On success
/// `*out` receives the assessment as JSON: organisation and device scores, findings with
/// evidence, ranked recommendations, diagnostics and the inventory's load report. An
/// inventory that yields no device or loses more than 10 % of its records is refused with
/// `EXPOSURE_STATUS_INVENTORY_INCOMPLETE`.
#[no_mangle]
pub extern "C" fn exposure_engine_assess_json(
    engine: *const exposure_engine,
    inventory: *const c_char,
    inventory_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let out = try_out!(out);
        let text = try_str!(inventory, inventory_len);
        put_json(out, &assess_inventory(engine, text)?)
    })
}

/// Replaces the engine's model parameters with a parameter set given as JSON text (the
/// fields of `exposure_model_default_json`'s document; fields left out keep their defaults).
/// The set is recorded in every assessment the engine makes after. A set that is not JSON,
/// names an unknown field or holds a value out of range returns
/// `EXPOSURE_STATUS_INVALID_PARAMETERS` and leaves the engine as it was. Needs exclusive
/// access to the engine (no assessment running on it).
#[no_mangle]
pub extern "C" fn exposure_engine_set_parameters_json(
    engine: *mut exposure_engine,
    json: *const c_char,
    json_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_mut!(engine);
        let json = try_str!(json, json_len);
        let parameters =
            exposure::score::exposure::Parameters::from_json(json).map_err(Failure::from_error)?;
        engine.set_parameters(parameters);
        Ok(())
    })
}

/// Replaces the exceptions every later assessment of the engine applies with an exception
/// set given as text (`exposure-exceptions/1`, JSON or YAML; see `docs/exceptions.md`);
/// `text_len` 0 removes them. Third-party control and alternate mitigation remove the findings
/// in scope from the scores (listed in `suppressed` with the exception); the other
/// justifications hide the recommendations (`excepted_recommendations`); every exception is
/// reported in the assessment's `exceptions`. Exceptions that expire are judged on the
/// as-of day of `exposure_engine_assess_json_as_of`; without one they do not apply
/// (`not_judged`). A set that does not read returns `EXPOSURE_STATUS_INVALID_EXCEPTIONS`
/// (the error's message names the exception and the field) and leaves the engine as it was.
/// Needs exclusive access to the engine (no assessment running on it).
#[no_mangle]
pub extern "C" fn exposure_engine_set_exceptions_text(
    engine: *mut exposure_engine,
    text: *const c_char,
    text_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_mut!(engine);
        if text_len == 0 {
            engine.set_exceptions(None);
            return Ok(());
        }
        let text = try_str!(text, text_len);
        let set = exposure::exceptions::ExceptionSet::from_text(text, "exceptions")
            .map_err(|e| Failure::from_error(exposure::Error::from(e)))?;
        engine.set_exceptions(Some(set));
        Ok(())
    })
}

/// `exposure_engine_assess_json` as of a day: `as_of` (`as_of_len` bytes, `YYYY-MM-DD`) is
/// the day end of support and exceptions' expiry are judged on, recorded in the assessment.
/// A text that is not a real date returns `EXPOSURE_STATUS_INVALID_DATE`. On success `*out`
/// owns the string.
#[no_mangle]
pub extern "C" fn exposure_engine_assess_json_as_of(
    engine: *const exposure_engine,
    inventory: *const c_char,
    inventory_len: usize,
    as_of: *const c_char,
    as_of_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let out = try_out!(out);
        let text = try_str!(inventory, inventory_len);
        let options = exposure::engine::AssessOptions {
            as_of: crate::history::day_arg(Some(try_str!(as_of, as_of_len)))?,
            exceptions: None,
        };
        let assessment = engine
            .assess_text_with(text, "inventory", false, &options)
            .map_err(Failure::from_error)?;
        put_json(out, &assessment)
    })
}

/// The default model parameters (`exposure-model/1.0`) as a JSON document, to edit and pass
/// to `exposure_engine_set_parameters_json`. On success `*out` owns the string.
#[no_mangle]
pub extern "C" fn exposure_model_default_json(
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let json = serde_json::to_string_pretty(&exposure::score::exposure::Parameters::default())
            .map_err(|e| Failure::new(exposure_status::Serialization, e.to_string()))?;
        put_string(try_out!(out), json);
        Ok(())
    })
}

/// Assesses an inventory given as JSON text (as `exposure_engine_assess_json`) and explains
/// a score. With `device_id` (`device_id_len` bytes), `*out` receives that device's
/// explanation as JSON: its score, level, weight and its findings ordered by marginal
/// contribution (the score minus the score without the finding, in score points), each with
/// `impact`, `likelihood`, `likelihood_rule`, `set_by` (the rule and data that set `L` in
/// words), `likelihood_steps`, `risk`, `marginal`, `share` (marginal over the sum of the
/// device's marginals), `mitigated_by` and the KEV/EPSS facts. With `device_id` NULL, the
/// organisation's explanation: its devices by contribution (`weight × score / total
/// weight`, summing to the organisation's score) and share. A device id the assessment does
/// not have returns `EXPOSURE_STATUS_UNKNOWN_DEVICE`. On success `*out` owns the string.
#[no_mangle]
pub extern "C" fn exposure_engine_explain_json(
    engine: *const exposure_engine,
    inventory: *const c_char,
    inventory_len: usize,
    device_id: *const c_char,
    device_id_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let out = try_out!(out);
        let text = try_str!(inventory, inventory_len);
        let device = try_opt_str!(device_id, device_id_len);
        let assessment = assess_inventory(engine, text)?;
        match device {
            Some(id) => {
                let explanation = assessment.explain_device(id).ok_or_else(|| {
                    Failure::new(
                        exposure_status::UnknownDevice,
                        format!("no device {id:?} in the assessment (a NULL device_id explains the organisation, listing every device)"),
                    )
                })?;
                put_json(out, &explanation)
            }
            None => put_json(out, &assessment.explain_organisation()),
        }
    })
}

/// The embedded demo fleet as a JSON fleet document. On success `*out` owns the string.
#[no_mangle]
pub extern "C" fn exposure_demo_fleet_json(
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        put_string(try_out!(out), exposure::demo::FLEET_JSON.to_owned());
        Ok(())
    })
}

/// The assessment of an inventory given as text, as the C functions that take one make it.
fn assess_inventory(
    engine: &exposure::Engine,
    text: &str,
) -> Result<exposure::Assessment, Failure> {
    engine
        .assess_text(text, "inventory", false)
        .map_err(Failure::from_error)
}
