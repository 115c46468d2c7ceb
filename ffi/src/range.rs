//! Range handles: parse (native syntax or `vers:`), contains, canonical text, free.

use crate::error::{exposure_error, fail, fail_at};
use crate::exposure_status;
use crate::guard::{guard, put_boxed, str_arg, try_arg};
use crate::version::{exposure_scheme, exposure_version, scheme_arg, version_status, write_text};
use exposure::range::{parse_range, Range, RangeSyntaxError};
use exposure::version::Version;
use std::ffi::c_char;

/// Opaque to C: a version range over one scheme. Immutable; may be shared across threads.
/// Free with `exposure_range_free`.
pub struct exposure_range {
    inner: Range,
}

/// Parses a range in `scheme`'s native syntax, or any `vers:` string (whose own scheme then
/// wins). On success `*out` owns the range.
#[no_mangle]
pub extern "C" fn exposure_range_parse(
    scheme: exposure_scheme,
    text: *const c_char,
    len: usize,
    out: *mut *mut exposure_range,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        let scheme = try_arg!(scheme_arg(scheme, err));
        // SAFETY: the caller promises `len` readable bytes at `text`.
        let text = try_arg!(unsafe { str_arg(text, len) });
        match parse_range(scheme, text) {
            Ok(inner) => {
                // SAFETY: `out` is non-NULL and writable.
                unsafe { put_boxed(out, exposure_range { inner }) };
                exposure_status::Ok
            }
            Err(e) => {
                let message = e.to_string();
                match e {
                    RangeSyntaxError::Syntax { offset, .. } => {
                        fail_at(err, exposure_status::RangeSyntax, &message, offset)
                    }
                    RangeSyntaxError::Vers(_) => fail(err, exposure_status::RangeVers, &message),
                    RangeSyntaxError::Version(v) => {
                        fail_at(err, exposure_status::RangeVersion, &message, v.offset())
                    }
                    RangeSyntaxError::Compare(_) => {
                        fail(err, exposure_status::VersionSchemeMismatch, &message)
                    }
                    _ => fail(err, exposure_status::RangeOther, &message),
                }
            }
        }
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
    guard(|| {
        // SAFETY: non-NULL handles were made by this library and not yet freed.
        let (Some(r), Some(v)) = (unsafe { r.as_ref() }, unsafe { v.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        if r.inner.scheme() != v.inner.scheme() {
            return exposure_status::VersionSchemeMismatch;
        }
        // SAFETY: `out` is non-NULL and writable.
        unsafe { *out = r.inner.contains(&v.inner) };
        exposure_status::Ok
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
    guard(|| {
        // SAFETY: a non-NULL handle was made by this library and not yet freed.
        let Some(r) = (unsafe { r.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: the caller promises `len` readable bytes at `version`.
        let text = try_arg!(unsafe { str_arg(version, len) });
        match Version::parse(r.inner.scheme(), text) {
            Ok(v) => {
                // SAFETY: `out` is non-NULL and writable.
                unsafe { *out = r.inner.contains(&v) };
                exposure_status::Ok
            }
            Err(e) => fail_at(err, version_status(&e), &e.to_string(), e.offset()),
        }
    })
}

/// The range's scheme.
#[no_mangle]
pub extern "C" fn exposure_range_scheme(
    r: *const exposure_range,
    out: *mut exposure_scheme,
) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL handle was made by this library and not yet freed.
        let Some(r) = (unsafe { r.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: `out` is non-NULL and writable.
        unsafe { *out = exposure_scheme::from_core(r.inner.scheme()) };
        exposure_status::Ok
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
    guard(|| {
        // SAFETY: a non-NULL handle was made by this library and not yet freed.
        let Some(r) = (unsafe { r.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        write_text(&r.inner.to_string(), buf, cap, needed)
    })
}

/// Frees a range. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_range_free(r: *mut exposure_range) {
    guard(|| {
        if !r.is_null() {
            // SAFETY: `r` came from `Box::into_raw` in this library and is freed once.
            drop(unsafe { Box::from_raw(r) });
        }
    });
}
