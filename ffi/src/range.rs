//! Range handles: parse (native syntax or `vers:`), contains, canonical text, free.

use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::{guard_result, write_text};
use crate::handle::{self, free_handle, try_out, try_ref, try_str, Castable, Shared};
use crate::version::{exposure_scheme, exposure_version, scheme_arg, scheme_number};
use exposure::range::{parse_range, Range};
use std::ffi::c_char;

/// Opaque to C: a version range over one scheme. Immutable; may be shared across threads.
/// Free with `exposure_range_free`.
pub struct exposure_range {
    _private: [u8; 0],
}

impl Castable for exposure_range {
    type Ownership = Shared;
    type RustType = Range;
}

/// Parses a range in `scheme`'s native syntax, or any `vers:` string (whose own scheme then
/// wins). `scheme` is an `EXPOSURE_SCHEME_*` value (any other number gives
/// `EXPOSURE_STATUS_UNKNOWN_SCHEME`, even for a `vers:` string). On success `*out` owns the
/// range. A malformed range fails with `EXPOSURE_STATUS_RANGE_SYNTAX` (native syntax),
/// `EXPOSURE_STATUS_RANGE_VERS` (a `vers:` string) or `EXPOSURE_STATUS_RANGE_VERSION` (a
/// version in either), and `*err` holds the byte offset of the problem in `text`.
#[no_mangle]
pub extern "C" fn exposure_range_parse(
    scheme: u32,
    text: *const c_char,
    len: usize,
    out: *mut *mut exposure_range,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let scheme = scheme_arg(scheme)?;
        let text = try_str!(text, len);
        handle::put(out, parse_range(scheme, text).map_err(Failure::from_error)?);
        Ok(())
    })
}

/// Whether `v` is in the range. A version of another scheme gives
/// `EXPOSURE_STATUS_VERSION_SCHEME_MISMATCH`.
#[no_mangle]
pub extern "C" fn exposure_range_contains(
    r: *const exposure_range,
    v: *const exposure_version,
    out: *mut bool,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let (r, v) = (try_ref!(r), try_ref!(v));
        let out = try_out!(out);
        out.write(r.try_contains(v).map_err(Failure::from_error)?);
        Ok(())
    })
}

/// Parses `version` in the range's scheme and tells whether it is in the range.
#[no_mangle]
pub extern "C" fn exposure_range_contains_str(
    r: *const exposure_range,
    version: *const c_char,
    len: usize,
    out: *mut bool,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let r = try_ref!(r);
        let out = try_out!(out);
        let text = try_str!(version, len);
        out.write(r.contains_text(text).map_err(Failure::from_error)?);
        Ok(())
    })
}

/// The range's scheme.
#[no_mangle]
pub extern "C" fn exposure_range_scheme(
    r: *const exposure_range,
    out: *mut exposure_scheme,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let r = try_ref!(r);
        try_out!(out).write(scheme_number(r.scheme())?);
        Ok(())
    })
}

/// Writes the canonical `vers:` text of the range into `buf` (buffer convention of
/// `ffi/README.md`).
#[no_mangle]
pub extern "C" fn exposure_range_text(
    r: *const exposure_range,
    buf: *mut u8,
    cap: usize,
    needed: *mut usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        write_text!(&try_ref!(r).to_string(), buf, cap, needed)
    })
}

/// Frees a range. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_range_free(r: *mut exposure_range) {
    free_handle!(r);
}
