//! Version handles: parse, compare, text, free.

use crate::error::{exposure_error, fail, fail_at};
use crate::exposure_status;
use crate::guard::{guard, put_boxed, str_arg, try_arg};
use exposure::version::{Scheme, Version, VersionError, VersionErrorKind};
use std::ffi::c_char;

/// A versioning scheme. Values are ABI: never renumber, never reuse.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exposure_scheme {
    /// Strict SemVer 2.0.0.
    Semver = 0,
    /// npm (node-semver).
    Npm = 1,
    /// Cargo.
    Cargo = 2,
    /// Go modules.
    Golang = 3,
    /// PyPI, PEP 440.
    Pypi = 4,
    /// Debian (dpkg).
    Deb = 5,
    /// RPM (rpmvercmp).
    Rpm = 6,
    /// Arch Linux (pacman vercmp).
    Alpm = 7,
    /// Alpine (apk).
    Alpine = 8,
    /// Maven (ComparableVersion 3.8.7).
    Maven = 9,
    /// NuGet.
    Nuget = 10,
    /// RubyGems.
    Gem = 11,
    /// Composer (PHP version_compare).
    Composer = 12,
    /// Hex.
    Hex = 13,
    /// Conan.
    Conan = 14,
    /// OpenSSL letter releases.
    Openssl = 15,
    /// Vendor and NVD strings.
    Generic = 16,
    /// vers intdot.
    Intdot = 17,
    /// vers lexicographic.
    Lexicographic = 18,
    /// vers datetime.
    Datetime = 19,
}

/// The core scheme for a scheme number from C, which may be any integer: an unknown one
/// fails with `EXPOSURE_STATUS_UNKNOWN_SCHEME` and a message in `*err`.
pub(crate) fn scheme_arg(
    scheme: exposure_scheme,
    err: *mut *mut exposure_error,
) -> Result<Scheme, exposure_status> {
    Scheme::ALL
        .get(scheme as usize)
        .copied()
        .ok_or_else(|| fail(err, exposure_status::UnknownScheme, "unknown scheme number"))
}

impl exposure_scheme {
    pub(crate) fn from_core(scheme: Scheme) -> Self {
        const ALL: [exposure_scheme; 20] = [
            exposure_scheme::Semver,
            exposure_scheme::Npm,
            exposure_scheme::Cargo,
            exposure_scheme::Golang,
            exposure_scheme::Pypi,
            exposure_scheme::Deb,
            exposure_scheme::Rpm,
            exposure_scheme::Alpm,
            exposure_scheme::Alpine,
            exposure_scheme::Maven,
            exposure_scheme::Nuget,
            exposure_scheme::Gem,
            exposure_scheme::Composer,
            exposure_scheme::Hex,
            exposure_scheme::Conan,
            exposure_scheme::Openssl,
            exposure_scheme::Generic,
            exposure_scheme::Intdot,
            exposure_scheme::Lexicographic,
            exposure_scheme::Datetime,
        ];
        ALL[Scheme::ALL.iter().position(|s| *s == scheme).unwrap_or(16)]
    }
}

/// Opaque to C: a parsed version. Immutable; may be shared across threads. Free with
/// `exposure_version_free`.
pub struct exposure_version {
    pub(crate) inner: Version,
}

pub(crate) fn version_status(e: &VersionError) -> exposure_status {
    match e.kind() {
        VersionErrorKind::Empty => exposure_status::VersionEmpty,
        VersionErrorKind::UnexpectedChar { .. } => exposure_status::VersionUnexpectedChar,
        VersionErrorKind::UnexpectedEnd => exposure_status::VersionUnexpectedEnd,
        VersionErrorKind::NumberTooLarge => exposure_status::VersionNumberTooLarge,
        VersionErrorKind::LeadingZero => exposure_status::VersionLeadingZero,
        VersionErrorKind::Invalid(_) => exposure_status::VersionInvalid,
        _ => exposure_status::VersionOther,
    }
}

/// Writes `text` into `buf` (not NUL-terminated). `*needed` receives the length; when `cap`
/// is smaller, nothing is written and the status is `EXPOSURE_STATUS_BUFFER_TOO_SMALL`.
pub(crate) fn write_text(
    text: &str,
    buf: *mut u8,
    cap: usize,
    needed: *mut usize,
) -> exposure_status {
    if needed.is_null() {
        return exposure_status::NullArgument;
    }
    // SAFETY: `needed` is non-NULL and the caller promises it is writable.
    unsafe { *needed = text.len() };
    if text.len() > cap {
        return exposure_status::BufferTooSmall;
    }
    if buf.is_null() {
        return if text.is_empty() {
            exposure_status::Ok
        } else {
            exposure_status::NullArgument
        };
    }
    // SAFETY: the caller promises `cap` writable bytes at `buf`, and text.len() <= cap.
    unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len()) };
    exposure_status::Ok
}

/// Looks a scheme up by its lower-case name (`"deb"`, `"pypi"`, …).
#[no_mangle]
pub extern "C" fn exposure_scheme_from_name(
    name: *const c_char,
    len: usize,
    out: *mut exposure_scheme,
) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: the caller promises `len` readable bytes at `name`.
        let name = try_arg!(unsafe { str_arg(name, len) });
        match name.parse::<Scheme>() {
            Ok(scheme) => {
                // SAFETY: `out` is non-NULL and writable.
                unsafe { *out = exposure_scheme::from_core(scheme) };
                exposure_status::Ok
            }
            Err(_) => exposure_status::UnknownScheme,
        }
    })
}

/// Parses `text` as a version of `scheme`. On success `*out` owns the new version; on
/// failure `*err` (if not NULL) receives the message and the byte offset of the problem.
#[no_mangle]
pub extern "C" fn exposure_version_parse(
    scheme: exposure_scheme,
    text: *const c_char,
    len: usize,
    out: *mut *mut exposure_version,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        let scheme = try_arg!(scheme_arg(scheme, err));
        // SAFETY: the caller promises `len` readable bytes at `text`.
        let text = try_arg!(unsafe { str_arg(text, len) });
        match Version::parse(scheme, text) {
            Ok(inner) => {
                // SAFETY: `out` is non-NULL and writable.
                unsafe { put_boxed(out, exposure_version { inner }) };
                exposure_status::Ok
            }
            Err(e) => fail_at(err, version_status(&e), &e.to_string(), e.offset()),
        }
    })
}

/// Compares two versions of the same scheme: `*out` is -1, 0 or 1. Versions of different
/// schemes give `EXPOSURE_STATUS_VERSION_SCHEME_MISMATCH`.
#[no_mangle]
pub extern "C" fn exposure_version_compare(
    a: *const exposure_version,
    b: *const exposure_version,
    out: *mut i32,
) -> exposure_status {
    guard(|| {
        // SAFETY: non-NULL handles were made by this library and not yet freed.
        let (Some(a), Some(b)) = (unsafe { a.as_ref() }, unsafe { b.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        match a.inner.try_cmp(&b.inner) {
            Ok(order) => {
                // SAFETY: `out` is non-NULL and writable.
                unsafe { *out = order as i32 };
                exposure_status::Ok
            }
            Err(_) => exposure_status::VersionSchemeMismatch,
        }
    })
}

/// The version's scheme.
#[no_mangle]
pub extern "C" fn exposure_version_scheme(
    v: *const exposure_version,
    out: *mut exposure_scheme,
) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL handle was made by this library and not yet freed.
        let Some(v) = (unsafe { v.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: `out` is non-NULL and writable.
        unsafe { *out = exposure_scheme::from_core(v.inner.scheme()) };
        exposure_status::Ok
    })
}

/// Writes the version's text (as given, trimmed) into `buf`; see the buffer convention in
/// `ffi/README.md` (`*needed` always receives the length; no NUL is written).
#[no_mangle]
pub extern "C" fn exposure_version_text(
    v: *const exposure_version,
    buf: *mut u8,
    cap: usize,
    needed: *mut usize,
) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL handle was made by this library and not yet freed.
        let Some(v) = (unsafe { v.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        write_text(v.inner.as_str(), buf, cap, needed)
    })
}

/// Frees a version. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_version_free(v: *mut exposure_version) {
    guard(|| {
        if !v.is_null() {
            // SAFETY: `v` came from `Box::into_raw` in this library and is freed once.
            drop(unsafe { Box::from_raw(v) });
        }
    });
}
