//! Version handles: parse, compare, text, free.

use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::{guard_result, write_text, NO_ERR};
use crate::handle::{self, free_handle, try_out, try_ref, try_str, Castable, Shared};
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
/// fails with `EXPOSURE_STATUS_UNKNOWN_SCHEME`.
pub(crate) fn scheme_arg(scheme: exposure_scheme) -> Result<Scheme, Failure> {
    Scheme::ALL
        .get(scheme as usize)
        .copied()
        .ok_or_else(|| Failure::new(exposure_status::UnknownScheme, "unknown scheme number"))
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
    _private: [u8; 0],
}

impl Castable for exposure_version {
    type Ownership = Shared;
    type RustType = Version;
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

/// A version that did not parse, with its message and offset.
pub(crate) fn version_failure(e: &VersionError) -> Failure {
    Failure::new(version_status(e), e.to_string()).at(e.offset())
}

/// Looks a scheme up by its lower-case name (`"deb"`, `"pypi"`, …).
#[no_mangle]
pub extern "C" fn exposure_scheme_from_name(
    name: *const c_char,
    len: usize,
    out: *mut exposure_scheme,
) -> exposure_status {
    guard_result(NO_ERR, || {
        let out = try_out!(out);
        let name = try_str!(name, len);
        let scheme = name
            .parse::<Scheme>()
            .map_err(|e| Failure::new(exposure_status::UnknownScheme, e.to_string()))?;
        out.write(exposure_scheme::from_core(scheme));
        Ok(())
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
    guard_result(err, || {
        let out = try_out!(out);
        let scheme = scheme_arg(scheme)?;
        let text = try_str!(text, len);
        let version = Version::parse(scheme, text).map_err(|e| version_failure(&e))?;
        handle::put(out, version);
        Ok(())
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
    guard_result(NO_ERR, || {
        let (a, b) = (try_ref!(a), try_ref!(b));
        let out = try_out!(out);
        let order = a
            .try_cmp(b)
            .map_err(|e| Failure::new(exposure_status::VersionSchemeMismatch, e.to_string()))?;
        out.write(order as i32);
        Ok(())
    })
}

/// The version's scheme.
#[no_mangle]
pub extern "C" fn exposure_version_scheme(
    v: *const exposure_version,
    out: *mut exposure_scheme,
) -> exposure_status {
    guard_result(NO_ERR, || {
        let v = try_ref!(v);
        try_out!(out).write(exposure_scheme::from_core(v.scheme()));
        Ok(())
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
    guard_result(NO_ERR, || {
        write_text!(try_ref!(v).as_str(), buf, cap, needed)
    })
}

/// Frees a version. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_version_free(v: *mut exposure_version) {
    free_handle!(v);
}
