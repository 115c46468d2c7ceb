//! The assessment use case from C: an `exposure_inputs` handle over core's
//! [`AssessInputs`], filled by setters (knowledge paths, inventories as paths or buffers of any
//! format, distro, os-release, CPE dictionary, partial loads, as-of day, parameters,
//! exceptions, input limit) and assessed as the command line and Python assess. Nothing here
//! decides anything: each setter converts its argument into the core field it names.

use crate::engine::exposure_engine;
use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::guard_result;
use crate::handle::{
    self, free_handle, try_mut, try_opt_str, try_out, try_ref, try_slice, try_str, Boxed, Castable,
};
use crate::history::{day_arg, put_record};
use crate::strings::{exposure_string, put_json, put_string};
use exposure::assess::{AssessInputs, InventorySource};
use exposure::inventory::{Distro, DistroError};
use std::ffi::c_char;
use std::path::PathBuf;

/// Opaque to C: what one assessment reads (core's `AssessInputs`). Create with
/// `exposure_inputs_new`, fill with the `exposure_inputs_add_*` and `exposure_inputs_set_*`
/// calls (each needs exclusive access), assess with `exposure_inputs_assess_json` (which only
/// reads the inputs: several threads may assess the same inputs at once), free with
/// `exposure_inputs_free`.
pub struct exposure_inputs {
    _private: [u8; 0],
}

impl Castable for exposure_inputs {
    type Ownership = Boxed;
    type RustType = AssessInputs;
}

/// Creates empty assessment inputs: no knowledge, no inventory, not the demo, fail closed,
/// no as-of day, the default model parameters and input limit (1 GiB). On success `*out` owns
/// them (free with `exposure_inputs_free`).
#[no_mangle]
pub extern "C" fn exposure_inputs_new(
    out: *mut *mut exposure_inputs,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        handle::put(try_out!(out), AssessInputs::default());
        Ok(())
    })
}

/// Frees assessment inputs. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_inputs_free(inputs: *mut exposure_inputs) {
    free_handle!(inputs);
}

/// Adds a knowledge-base input: any feed, directory, archive or snapshot
/// `exposure_engine_load_path` reads (gzip undone), loaded in the order added when the inputs
/// are assessed. The path is not opened here: a path that cannot be read fails the
/// assessment with `EXPOSURE_STATUS_KB_IO`.
#[no_mangle]
pub extern "C" fn exposure_inputs_add_knowledge_path(
    inputs: *mut exposure_inputs,
    path: *const c_char,
    path_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let path = try_str!(path, path_len);
        inputs.knowledge.push(PathBuf::from(path));
        Ok(())
    })
}

/// Adds a directory tree (`path_len` bytes of UTF-8), read as one device when the inputs are
/// assessed: its os-release, dpkg status, apk installed database, `rpm -qa` text
/// (`var/lib/rpm/rpm-qa.txt`) and every lockfile (Cargo.lock, package-lock.json, yarn.lock,
/// pnpm-lock.yaml, requirements.txt, poetry.lock, uv.lock, Pipfile.lock, go.mod/go.sum,
/// Gemfile.lock, composer.lock, pom.xml), as `exposure assess --rootfs` reads it.
#[no_mangle]
pub extern "C" fn exposure_inputs_add_rootfs_path(
    inputs: *mut exposure_inputs,
    path: *const c_char,
    path_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let path = try_str!(path, path_len);
        inputs
            .inventories
            .push(InventorySource::RootFs(PathBuf::from(path)));
        Ok(())
    })
}

/// Adds an inventory file of any format, told apart by content (gzip undone): a CycloneDX or
/// SPDX JSON SBOM, a fleet document, a dpkg status database, `rpm -qa` output, a `regedit`
/// export of the Uninstall keys (UTF-16LE) or a CSV or JSON list of installed programs. All
/// inventories are assessed together as one fleet. The file is read when the inputs are
/// assessed (`EXPOSURE_STATUS_INVENTORY_IO` if it cannot be).
#[no_mangle]
pub extern "C" fn exposure_inputs_add_inventory_path(
    inputs: *mut exposure_inputs,
    path: *const c_char,
    path_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let path = try_str!(path, path_len);
        inputs
            .inventories
            .push(InventorySource::Path(PathBuf::from(path)));
        Ok(())
    })
}

/// Adds an inventory held in memory: `bytes_len` bytes of any format
/// `exposure_inputs_add_inventory_path` reads, gzip and UTF-16LE included (the bytes are
/// copied; the caller keeps its buffer). `origin` names the inventory in problems and is the
/// device id of a single-device inventory (a dpkg status database, a registry export) that
/// does not name one.
#[no_mangle]
pub extern "C" fn exposure_inputs_add_inventory(
    inputs: *mut exposure_inputs,
    bytes: *const u8,
    bytes_len: usize,
    origin: *const c_char,
    origin_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let bytes = try_slice!(bytes, bytes_len);
        let origin = try_str!(origin, origin_len);
        inputs.inventories.push(InventorySource::Bytes {
            bytes: bytes.to_vec(),
            origin: origin.to_owned(),
        });
        Ok(())
    })
}

/// Whether to use the embedded demo knowledge base when no knowledge input is added, and the
/// demo fleet when no inventory is.
#[no_mangle]
pub extern "C" fn exposure_inputs_set_demo(
    inputs: *mut exposure_inputs,
    demo: bool,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        try_mut!(inputs).demo = demo;
        Ok(())
    })
}

/// The distribution release of devices described by a package database alone (a dpkg status
/// file names none), by name: `debian-12`, `bookworm`, `ubuntu-22.04`, `alpine-3.19`, … NULL
/// removes it. An unknown name is `EXPOSURE_STATUS_INVENTORY_DISTRO` (inputs unchanged).
#[no_mangle]
pub extern "C" fn exposure_inputs_set_distro(
    inputs: *mut exposure_inputs,
    name: *const c_char,
    name_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let distro = try_opt_str!(name, name_len)
            .map(Distro::from_name)
            .transpose()
            .map_err(Failure::from_error)?;
        inputs.distro = distro;
        Ok(())
    })
}

/// The distribution release, from an os-release file (`/etc/os-release`, its `ID` and
/// `VERSION_ID`), read now. A file that cannot be read is `EXPOSURE_STATUS_INVENTORY_IO`; one
/// that names no Debian, Ubuntu or Alpine release `EXPOSURE_STATUS_INVENTORY_DISTRO` (inputs
/// unchanged either way).
#[no_mangle]
pub extern "C" fn exposure_inputs_set_os_release_path(
    inputs: *mut exposure_inputs,
    path: *const c_char,
    path_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let path = try_str!(path, path_len);
        let distro = Distro::from_os_release_file(path.as_ref()).map_err(Failure::from_error)?;
        inputs.distro = Some(distro);
        Ok(())
    })
}

/// The distribution release, from the text of an os-release file (`text_len` bytes).
/// `EXPOSURE_STATUS_INVENTORY_DISTRO` when it names no Debian, Ubuntu or Alpine release.
#[no_mangle]
pub extern "C" fn exposure_inputs_set_os_release(
    inputs: *mut exposure_inputs,
    text: *const c_char,
    text_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let text = try_str!(text, text_len);
        let distro = Distro::from_os_release(text).ok_or_else(|| {
            Failure::from_error(DistroError::NotAnOsRelease(PathBuf::from("os-release")))
        })?;
        inputs.distro = Some(distro);
        Ok(())
    })
}

/// NVD's CPE dictionary XML (gzip accepted), so that installed programs get CPE names beyond
/// the alias rules; NULL removes it. Read when the inputs are assessed: a dictionary that does
/// not read fails the assessment with `EXPOSURE_STATUS_CPE_DICTIONARY`.
#[no_mangle]
pub extern "C" fn exposure_inputs_set_cpe_dictionary_path(
    inputs: *mut exposure_inputs,
    path: *const c_char,
    path_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        inputs.cpe_dictionary = try_opt_str!(path, path_len).map(PathBuf::from);
        Ok(())
    })
}

/// Whether incomplete inputs are assessed for what they gave. By default (fail closed) a
/// knowledge input that yields nothing or loses more than 10 % of its records is
/// `EXPOSURE_STATUS_KB_INCOMPLETE`, an inventory that yields no device
/// `EXPOSURE_STATUS_INVENTORY_INCOMPLETE`; their reports are in the assessment either way.
#[no_mangle]
pub extern "C" fn exposure_inputs_set_allow_partial(
    inputs: *mut exposure_inputs,
    allow: bool,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        try_mut!(inputs).allow_partial = allow;
        Ok(())
    })
}

/// The day (`YYYY-MM-DD`) end of support and exceptions' expiry are judged on, recorded in
/// the assessment; NULL removes it (no end-of-support recommendation; expiring exceptions not
/// judged). A text that is not a real date is `EXPOSURE_STATUS_INVALID_DATE`.
#[no_mangle]
pub extern "C" fn exposure_inputs_set_as_of(
    inputs: *mut exposure_inputs,
    day: *const c_char,
    day_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        inputs.as_of = day_arg(try_opt_str!(day, day_len))?;
        Ok(())
    })
}

/// The model parameters, as JSON (the fields of `exposure_model_default_json`'s document;
/// fields left out keep their defaults); NULL restores the defaults. A set that is not JSON,
/// names an unknown field or holds a value out of range is
/// `EXPOSURE_STATUS_INVALID_PARAMETERS` (inputs unchanged).
#[no_mangle]
pub extern "C" fn exposure_inputs_set_parameters_json(
    inputs: *mut exposure_inputs,
    json: *const c_char,
    json_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let parameters = try_opt_str!(json, json_len)
            .map(exposure::score::exposure::Parameters::from_json)
            .transpose()
            .map_err(Failure::from_error)?;
        inputs.parameters = parameters;
        Ok(())
    })
}

/// The exceptions to apply, as text (`exposure-exceptions/1`, JSON or YAML; see
/// `docs/exceptions.md`); NULL removes them. A set that does not read is
/// `EXPOSURE_STATUS_INVALID_EXCEPTIONS` (the message names the exception and the field;
/// inputs unchanged).
#[no_mangle]
pub extern "C" fn exposure_inputs_set_exceptions_text(
    inputs: *mut exposure_inputs,
    text: *const c_char,
    text_len: usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        let exceptions = try_opt_str!(text, text_len)
            .map(|t| exposure::exceptions::ExceptionSet::from_text(t, "exceptions"))
            .transpose()
            .map_err(Failure::from_error)?;
        inputs.exceptions = exceptions;
        Ok(())
    })
}

/// The most bytes one input (a file, an archive member, an inventory buffer) may hold once
/// decompressed; 1 GiB by default. An input that holds more fails the assessment with its
/// area's I/O status (`EXPOSURE_STATUS_KB_IO`, `EXPOSURE_STATUS_INVENTORY_IO`). 0 is
/// `EXPOSURE_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn exposure_inputs_set_input_limit(
    inputs: *mut exposure_inputs,
    bytes: u64,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_mut!(inputs);
        if bytes == 0 {
            return Err(Failure::new(
                exposure_status::InvalidArgument,
                "the input limit must be at least 1 byte",
            ));
        }
        inputs.limits = exposure::files::Limits { input_bytes: bytes };
        Ok(())
    })
}

/// Loads everything the inputs name and assesses it, as `exposure assess` does: `*out`
/// receives the assessment as JSON, with the load report of every knowledge input and
/// inventory. Without knowledge or without inventories (and not the demo) the status is
/// `EXPOSURE_STATUS_MISSING_INPUTS`; an input that cannot be read or is refused as incomplete
/// gives its area's status. `inputs` is only read: several threads may assess the same inputs.
/// On success `*out` owns a new string (free with `exposure_string_free`).
#[no_mangle]
pub extern "C" fn exposure_inputs_assess_json(
    inputs: *const exposure_inputs,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_ref!(inputs);
        let out = try_out!(out);
        put_json(out, &inputs.assess().map_err(Failure::from_error)?)
    })
}

/// Loads and assesses the inputs (as `exposure_inputs_assess_json`) and writes the
/// assessment in a report format (`format_len` bytes): `sarif` (2.1.0), `cyclonedx` (1.6
/// VEX), `openvex`, `csv`, `markdown` or `html` (self-contained), as `exposure assess
/// --format` writes them. An unknown format is `EXPOSURE_STATUS_INVALID_ARGUMENT` (nothing is
/// loaded). On success `*out` owns a new string (free with `exposure_string_free`).
#[no_mangle]
pub extern "C" fn exposure_inputs_report(
    inputs: *const exposure_inputs,
    format: *const c_char,
    format_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_ref!(inputs);
        let out = try_out!(out);
        let format: exposure::report::Format = try_str!(format, format_len)
            .parse()
            .map_err(|e: String| Failure::new(exposure_status::InvalidArgument, e))?;
        let assessment = inputs.assess().map_err(Failure::from_error)?;
        let rendered =
            exposure::report::render(&assessment, format, &[], 10).map_err(Failure::from_error)?;
        put_string(out, rendered.text);
        Ok(())
    })
}

/// Assesses the inputs' inventories (or the demo fleet) on an engine loaded already
/// (`exposure_engine_load_path`): the inputs' knowledge paths are not read, their other
/// settings apply (their exceptions replace the engine's when set; the engine's own
/// parameters score). `*out` receives the assessment as JSON. Both handles are only read.
#[no_mangle]
pub extern "C" fn exposure_engine_assess_inputs_json(
    engine: *const exposure_engine,
    inputs: *const exposure_inputs,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let inputs = try_ref!(inputs);
        let out = try_out!(out);
        let assessment = inputs
            .assess_on(engine, &|_, _| {})
            .map_err(Failure::from_error)?;
        put_json(out, &assessment)
    })
}

/// Assesses the inputs (as `exposure_inputs_assess_json`) and writes the assessment's record,
/// to keep for diffs, timelines, views and remediation: `format` `EXPOSURE_RECORD_FORMAT_JSON`
/// (0) or `EXPOSURE_RECORD_FORMAT_BINARY` (1, may hold NUL bytes: read it as
/// `(exposure_string_ptr(s), exposure_string_len(s))`); any other number is
/// `EXPOSURE_STATUS_INVALID_ARGUMENT`. On success `*out` owns a new string.
#[no_mangle]
pub extern "C" fn exposure_inputs_record(
    inputs: *const exposure_inputs,
    format: u32,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let inputs = try_ref!(inputs);
        let out = try_out!(out);
        let form = crate::history::form_arg(format)?;
        let (assessment, engine) = inputs
            .assess_keeping_engine(&|_, _| {})
            .map_err(Failure::from_error)?;
        put_record(out, &assessment, engine.kb(), form)
    })
}
