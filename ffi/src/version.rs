//! Version handles: parse, compare, text, free.

use crate::enums::{enum_arg, enum_of};
use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::{guard_result, write_text};
use crate::handle::{self, free_handle, try_out, try_ref, try_str, Castable, Shared};
use exposure::version::{Scheme, Version};
use std::ffi::c_char;

/// A versioning scheme. Values are ABI: never renumber, never reuse. Functions take a scheme
/// as `uint32_t` holding one of these values (any other number is refused with
/// `EXPOSURE_STATUS_UNKNOWN_SCHEME`) and write it as `exposure_scheme`.
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

/// The ABI number of every core scheme, both ways: explicit pairs, not positions in
/// `Scheme::ALL`, so that core reordering or extending its list cannot renumber the ABI.
/// Values are ABI: never renumber, never reuse.
const SCHEMES: [(exposure_scheme, Scheme); 20] = [
    (exposure_scheme::Semver, Scheme::Semver),
    (exposure_scheme::Npm, Scheme::Npm),
    (exposure_scheme::Cargo, Scheme::Cargo),
    (exposure_scheme::Golang, Scheme::Golang),
    (exposure_scheme::Pypi, Scheme::Pypi),
    (exposure_scheme::Deb, Scheme::Deb),
    (exposure_scheme::Rpm, Scheme::Rpm),
    (exposure_scheme::Alpm, Scheme::Alpm),
    (exposure_scheme::Alpine, Scheme::Alpine),
    (exposure_scheme::Maven, Scheme::Maven),
    (exposure_scheme::Nuget, Scheme::Nuget),
    (exposure_scheme::Gem, Scheme::Gem),
    (exposure_scheme::Composer, Scheme::Composer),
    (exposure_scheme::Hex, Scheme::Hex),
    (exposure_scheme::Conan, Scheme::Conan),
    (exposure_scheme::Openssl, Scheme::Openssl),
    (exposure_scheme::Generic, Scheme::Generic),
    (exposure_scheme::Intdot, Scheme::Intdot),
    (exposure_scheme::Lexicographic, Scheme::Lexicographic),
    (exposure_scheme::Datetime, Scheme::Datetime),
];

/// The core scheme for a scheme number from C, which may be any integer: an unknown one
/// fails with `EXPOSURE_STATUS_UNKNOWN_SCHEME`.
pub(crate) fn scheme_arg(number: u32) -> Result<Scheme, Failure> {
    enum_arg(
        &SCHEMES,
        number,
        exposure_status::UnknownScheme,
        "scheme",
        "EXPOSURE_SCHEME_",
    )
}

/// The ABI number of a core scheme, for scheme outputs. A scheme core added without a number
/// here (the unit tests prevent it) fails with `EXPOSURE_STATUS_UNKNOWN_SCHEME`.
pub(crate) fn scheme_number(scheme: Scheme) -> Result<exposure_scheme, Failure> {
    enum_of(&SCHEMES, scheme).ok_or_else(|| {
        Failure::new(
            exposure_status::UnknownScheme,
            format!("scheme {scheme} has no number in this version of the C ABI"),
        )
    })
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

/// Looks a scheme up by its lower-case name (`"deb"`, `"pypi"`, …).
#[no_mangle]
pub extern "C" fn exposure_scheme_from_name(
    name: *const c_char,
    len: usize,
    out: *mut exposure_scheme,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let name = try_str!(name, len);
        let scheme = name.parse::<Scheme>().map_err(Failure::from_error)?;
        out.write(scheme_number(scheme)?);
        Ok(())
    })
}

/// Parses `text` as a version of `scheme`, an `EXPOSURE_SCHEME_*` value (any other number
/// gives `EXPOSURE_STATUS_UNKNOWN_SCHEME`). On success `*out` owns the new version; on
/// failure `*err` (if not NULL) receives the message and the byte offset of the problem.
#[no_mangle]
pub extern "C" fn exposure_version_parse(
    scheme: u32,
    text: *const c_char,
    len: usize,
    out: *mut *mut exposure_version,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let scheme = scheme_arg(scheme)?;
        let text = try_str!(text, len);
        let version = Version::parse(scheme, text).map_err(Failure::from_error)?;
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
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let (a, b) = (try_ref!(a), try_ref!(b));
        let out = try_out!(out);
        let order = a.try_cmp(b).map_err(Failure::from_error)?;
        out.write(order as i32);
        Ok(())
    })
}

/// The version's scheme.
#[no_mangle]
pub extern "C" fn exposure_version_scheme(
    v: *const exposure_version,
    out: *mut exposure_scheme,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let v = try_ref!(v);
        try_out!(out).write(scheme_number(v.scheme())?);
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
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || write_text!(try_ref!(v).as_str(), buf, cap, needed))
}

/// Frees a version. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_version_free(v: *mut exposure_version) {
    free_handle!(v);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::assert_numbers_unique;

    /// The scheme numbers the header documents, frozen: never renumber, never reuse.
    const DOCUMENTED: [(&str, u32); 20] = [
        ("semver", 0),
        ("npm", 1),
        ("cargo", 2),
        ("golang", 3),
        ("pypi", 4),
        ("deb", 5),
        ("rpm", 6),
        ("alpm", 7),
        ("alpine", 8),
        ("maven", 9),
        ("nuget", 10),
        ("gem", 11),
        ("composer", 12),
        ("hex", 13),
        ("conan", 14),
        ("openssl", 15),
        ("generic", 16),
        ("intdot", 17),
        ("lexicographic", 18),
        ("datetime", 19),
    ];

    #[test]
    fn every_core_scheme_has_exactly_one_number() {
        for scheme in Scheme::ALL {
            let numbers = SCHEMES.iter().filter(|(_, s)| *s == scheme).count();
            assert_eq!(numbers, 1, "{scheme} has {numbers} numbers");
        }
        assert_eq!(
            SCHEMES.len(),
            Scheme::ALL.len(),
            "a number for a scheme core lacks"
        );
        assert_numbers_unique(&SCHEMES);
    }

    #[test]
    fn scheme_numbers_are_the_documented_ones() {
        let header = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../include/exposure.h"
        ))
        .unwrap();
        for (name, number) in DOCUMENTED {
            let scheme: Scheme = name.parse().unwrap();
            assert_eq!(scheme_arg(number).unwrap(), scheme, "{number}");
            assert_eq!(scheme_number(scheme).unwrap() as u32, number, "{name}");
            let constant = format!("EXPOSURE_SCHEME_{} = {number},", name.to_uppercase());
            assert!(header.contains(&constant), "the header lacks {constant}");
        }
    }

    #[test]
    fn unknown_scheme_numbers_fail_with_unknown_scheme() {
        for n in [20, 99, u32::MAX] {
            let failure = scheme_arg(n).unwrap_err();
            assert_eq!(failure.status(), exposure_status::UnknownScheme);
            assert_eq!(
                failure.message(),
                format!("unknown scheme number {n} (the EXPOSURE_SCHEME_* values are 0 to 19)")
            );
        }
    }
}
