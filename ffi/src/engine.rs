//! The engine handle: load knowledge, assess inventories.

use crate::error::{exposure_error, fail};
use crate::exposure_status;
use crate::guard::{guard, put_boxed, str_arg, try_arg};
use crate::strings::exposure_string;
use exposure::inventory::InventoryError;
use exposure::kb::{KbError, KnowledgeBase, LoadReport};
use std::ffi::c_char;
use std::path::Path;

/// Opaque to C: a knowledge base and model parameters. Create with `exposure_engine_new` or
/// `exposure_engine_new_demo`, free with `exposure_engine_free`. Loading needs exclusive
/// access; once loaded, `exposure_engine_assess_json` may run on several threads at once.
pub struct exposure_engine {
    inner: exposure::Engine,
}

/// Creates an engine with an empty knowledge base. On success `*out` owns the engine.
#[no_mangle]
pub extern "C" fn exposure_engine_new(out: *mut *mut exposure_engine) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        let engine = exposure_engine {
            inner: exposure::Engine::default(),
        };
        // SAFETY: `out` is non-NULL; the caller promises it is writable.
        unsafe { put_boxed(out, engine) };
        exposure_status::Ok
    })
}

/// Creates an engine over the embedded demo knowledge base. On success `*out` owns it.
#[no_mangle]
pub extern "C" fn exposure_engine_new_demo(out: *mut *mut exposure_engine) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        let engine = exposure_engine {
            inner: exposure::Engine::demo(),
        };
        // SAFETY: `out` is non-NULL; the caller promises it is writable.
        unsafe { put_boxed(out, engine) };
        exposure_status::Ok
    })
}

/// Frees an engine. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_engine_free(engine: *mut exposure_engine) {
    guard(|| {
        if !engine.is_null() {
            // SAFETY: `engine` came from `Box::into_raw` in this library and is freed once.
            drop(unsafe { Box::from_raw(engine) });
        }
    });
}

/// Number of advisories in the engine's knowledge base (0 for NULL).
#[no_mangle]
pub extern "C" fn exposure_engine_advisory_count(engine: *const exposure_engine) -> usize {
    guard(|| {
        // SAFETY: a non-NULL `engine` was made by this library and not yet freed.
        unsafe { engine.as_ref() }.map_or(0, |e| e.inner.kb().len())
    })
}

fn report_out(
    report: *mut *mut exposure_string,
    value: &exposure::report::LoadReport,
) -> exposure_status {
    if report.is_null() {
        return exposure_status::Ok;
    }
    match serde_json::to_string(value) {
        Ok(json) => {
            // SAFETY: `report` is non-NULL and the caller promises it is writable.
            unsafe { *report = exposure_string::boxed(json) };
            exposure_status::Ok
        }
        Err(_) => exposure_status::Serialization,
    }
}

/// Loads any feed the engine reads, told apart by content (gzip undone): NVD JSON 1.1 feeds
/// and API 2.0 responses, OSV JSON or YAML (files, directories, zip or tar archives), Alpine
/// secdb, CISA KEV (JSON or CSV), EPSS, and VEX (OpenVEX, CycloneDX, CSAF). Bad records are
/// skipped and reported; when `report` is not NULL, `*report` receives the load report as JSON.
#[no_mangle]
pub extern "C" fn exposure_engine_load_path(
    engine: *mut exposure_engine,
    path: *const c_char,
    path_len: usize,
    report: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    load_kb_path(
        engine,
        path,
        path_len,
        report,
        err,
        KnowledgeBase::load_path,
    )
}

fn kb_status(e: &KbError) -> exposure_status {
    match e {
        KbError::Io { .. } | KbError::Input { .. } => exposure_status::KbIo,
        KbError::Snapshot { .. } => exposure_status::KbSnapshot,
        _ => exposure_status::KbOther,
    }
}

/// The body of the `exposure_engine_load_*_path` calls: `load` into the engine's knowledge
/// base, the report out as JSON, an error by `kb_status`.
fn load_kb_path(
    engine: *mut exposure_engine,
    path: *const c_char,
    path_len: usize,
    report: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
    load: fn(&mut KnowledgeBase, &Path) -> Result<LoadReport, KbError>,
) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL `engine` was made by this library; the caller gives exclusive access.
        let Some(engine) = (unsafe { engine.as_mut() }) else {
            return exposure_status::NullArgument;
        };
        // SAFETY: the caller promises `path_len` readable bytes at `path`.
        let path = try_arg!(unsafe { str_arg(path, path_len) });
        match load(engine.inner.kb_mut(), Path::new(path)) {
            Ok(loaded) => report_out(report, &loaded),
            Err(e) => fail(err, kb_status(&e), &e.to_string()),
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
    guard(|| {
        // SAFETY: a non-NULL `engine` was made by this library.
        let Some(engine) = (unsafe { engine.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        // SAFETY: the caller promises `path_len` readable bytes at `path`.
        let path = try_arg!(unsafe { str_arg(path, path_len) });
        match engine.inner.kb().save_snapshot(Path::new(path)) {
            Ok(()) => exposure_status::Ok,
            Err(e) => fail(err, exposure_status::KbIo, &format!("{path}: {e}")),
        }
    })
}

/// Loads OSV advisories from a JSON file or a directory of them. Bad records are skipped and
/// reported; when `report` is not NULL, `*report` receives the load report as JSON (records
/// read, loaded, skipped, and the problems with file, record and field).
#[no_mangle]
pub extern "C" fn exposure_engine_load_osv_path(
    engine: *mut exposure_engine,
    path: *const c_char,
    path_len: usize,
    report: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    load_kb_path(
        engine,
        path,
        path_len,
        report,
        err,
        KnowledgeBase::load_osv_path,
    )
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
) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL `engine` was made by this library; the caller gives exclusive access.
        let Some(engine) = (unsafe { engine.as_mut() }) else {
            return exposure_status::NullArgument;
        };
        // SAFETY: the caller promises the lengths.
        let (json, origin) = try_arg!(unsafe {
            str_arg(json, json_len).and_then(|j| Ok((j, str_arg(origin, origin_len)?)))
        });
        let loaded = engine.inner.kb_mut().load_osv_str(json, origin);
        report_out(report, &loaded)
    })
}

/// Assesses an inventory given as JSON text (a CycloneDX BOM or a fleet document). On success
/// `*out` receives the assessment as JSON: organisation and device scores, findings with
/// evidence, ranked recommendations, diagnostics and the inventory's load report.
#[no_mangle]
pub extern "C" fn exposure_engine_assess_json(
    engine: *const exposure_engine,
    inventory: *const c_char,
    inventory_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL `engine` was made by this library and not yet freed.
        let Some(engine) = (unsafe { engine.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: the caller promises `inventory_len` readable bytes at `inventory`.
        let text = try_arg!(unsafe { str_arg(inventory, inventory_len) });
        match engine.inner.assess_str(text, "inventory") {
            Ok(assessment) => match serde_json::to_string(&assessment) {
                Ok(json) => {
                    // SAFETY: `out` is non-NULL and the caller promises it is writable.
                    unsafe { *out = exposure_string::boxed(json) };
                    exposure_status::Ok
                }
                Err(e) => fail(err, exposure_status::Serialization, &e.to_string()),
            },
            Err(e) => {
                let status = match &e {
                    InventoryError::Io { .. } => exposure_status::InventoryIo,
                    InventoryError::NotJson { .. } => exposure_status::InventoryNotJson,
                    InventoryError::UnknownFormat { .. } => exposure_status::InventoryUnknownFormat,
                    InventoryError::Malformed { .. } => exposure_status::InventoryMalformed,
                    _ => exposure_status::InventoryOther,
                };
                fail(err, status, &e.to_string())
            }
        }
    })
}

/// The embedded demo fleet as a JSON fleet document. On success `*out` owns the string.
#[no_mangle]
pub extern "C" fn exposure_demo_fleet_json(out: *mut *mut exposure_string) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: `out` is non-NULL and the caller promises it is writable.
        unsafe { *out = exposure_string::boxed(exposure::demo::FLEET_JSON.to_owned()) };
        exposure_status::Ok
    })
}
