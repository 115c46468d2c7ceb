//! Range handles: parse (native syntax or `vers:`), contains, canonical text, free.

use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::{guard_result, write_text, NO_ERR};
use crate::handle::{self, free_handle, try_out, try_ref, try_str, Castable, Shared};
use crate::version::{
    exposure_scheme, exposure_version, scheme_arg, scheme_number, version_failure,
};
use exposure::range::{parse_range, Range, RangeSyntaxError};
use exposure::version::Version;
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

fn range_failure(e: &RangeSyntaxError) -> Failure {
    use exposure::range::{RangeSyntaxErrorKind as K, VersErrorKind};
    let status = match e.kind() {
        K::Syntax(_) => exposure_status::RangeSyntax,
        K::Version(_) | K::Vers(VersErrorKind::Version { .. }) => exposure_status::RangeVersion,
        K::Vers(_) => exposure_status::RangeVers,
        K::Compare(_) => exposure_status::VersionSchemeMismatch,
        _ => exposure_status::RangeOther,
    };
    let failure = Failure::new(status, e.to_string());
    match e.offset() {
        Some(offset) => failure.at(offset),
        None => failure,
    }
}

/// Parses a range in `scheme`'s native syntax, or any `vers:` string (whose own scheme then
/// wins). `scheme` is an `EXPOSURE_SCHEME_*` value (any other number gives
/// `EXPOSURE_STATUS_UNKNOWN_SCHEME`, even for a `vers:` string). On success `*out` owns the
/// range.
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
        handle::put(
            out,
            parse_range(scheme, text).map_err(|e| range_failure(&e))?,
        );
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
) -> exposure_status {
    guard_result(NO_ERR, || {
        let (r, v) = (try_ref!(r), try_ref!(v));
        let out = try_out!(out);
        if r.scheme() != v.scheme() {
            return Err(Failure::new(
                exposure_status::VersionSchemeMismatch,
                format!(
                    "a {} range cannot contain a {} version",
                    r.scheme(),
                    v.scheme()
                ),
            ));
        }
        out.write(r.contains(v));
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
        let v = Version::parse(r.scheme(), text).map_err(|e| version_failure(&e))?;
        out.write(r.contains(&v));
        Ok(())
    })
}

/// The range's scheme.
#[no_mangle]
pub extern "C" fn exposure_range_scheme(
    r: *const exposure_range,
    out: *mut exposure_scheme,
) -> exposure_status {
    guard_result(NO_ERR, || {
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
) -> exposure_status {
    guard_result(NO_ERR, || {
        write_text!(&try_ref!(r).to_string(), buf, cap, needed)
    })
}

/// Frees a range. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_range_free(r: *mut exposure_range) {
    free_handle!(r);
}
