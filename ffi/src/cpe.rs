//! CPE handles (parse, bindings, compare, matches, free), NVD applicability statements
//! (from JSON, evaluate against names, free) and inventory-name normalisation.

use crate::error::{exposure_error, fail, fail_at};
use crate::exposure_status;
use crate::guard::{guard, put_boxed, str_arg, try_arg};
use crate::strings::exposure_string;
use crate::version::write_text;
use exposure::cpe::{Applicability, Cpe, CpeErrorKind, Normalizer, Relation};
use std::ffi::c_char;

/// Opaque to C: a CPE name. Immutable; may be shared across threads. Free with
/// `exposure_cpe_free`.
pub struct exposure_cpe {
    inner: Cpe,
}

/// A CPE binding. Values are ABI: never renumber, never reuse.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exposure_cpe_binding {
    /// The 2.3 formatted string (canonical).
    Fs = 0,
    /// The 2.2 URI.
    Uri = 1,
    /// WFN text.
    Wfn = 2,
}

/// How a source name relates to a target (NISTIR 7696). Values are ABI.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exposure_cpe_relation {
    /// Equal.
    Equal = 0,
    /// The source is a superset of the target (it matches it).
    Superset = 1,
    /// The source is a subset of the target.
    Subset = 2,
    /// Nothing in common.
    Disjoint = 3,
    /// None of the four can be said.
    Undefined = 4,
}

fn cpe_status(kind: &CpeErrorKind) -> exposure_status {
    match kind {
        CpeErrorKind::Prefix => exposure_status::CpePrefix,
        CpeErrorKind::ComponentCount { .. } => exposure_status::CpeComponentCount,
        CpeErrorKind::Part => exposure_status::CpePart,
        CpeErrorKind::Language => exposure_status::CpeLanguage,
        CpeErrorKind::WfnSyntax(_) | CpeErrorKind::WfnAttribute(_) => exposure_status::CpeWfnSyntax,
        CpeErrorKind::Empty
        | CpeErrorKind::EmbeddedAsterisk
        | CpeErrorKind::EmbeddedQuestionMark
        | CpeErrorKind::Character(_)
        | CpeErrorKind::Quoted(_)
        | CpeErrorKind::DanglingQuote
        | CpeErrorKind::PercentEncoding(_) => exposure_status::CpeValue,
        _ => exposure_status::CpeOther,
    }
}

/// Parses a 2.3 formatted string, a 2.2 URI or WFN text. On success `*out` owns the name.
#[no_mangle]
pub extern "C" fn exposure_cpe_parse(
    text: *const c_char,
    len: usize,
    out: *mut *mut exposure_cpe,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: the caller promises `len` readable bytes at `text`.
        let text = try_arg!(unsafe { str_arg(text, len) });
        match Cpe::parse(text) {
            Ok(inner) => {
                // SAFETY: `out` is non-NULL and writable.
                unsafe { put_boxed(out, exposure_cpe { inner }) };
                exposure_status::Ok
            }
            Err(e) => fail_at(err, cpe_status(e.kind()), &e.to_string(), e.offset()),
        }
    })
}

/// Writes the name in `binding` into `buf` (not NUL-terminated); `*needed` receives the
/// length, and a `cap` below it gives `EXPOSURE_STATUS_BUFFER_TOO_SMALL`.
#[no_mangle]
pub extern "C" fn exposure_cpe_text(
    c: *const exposure_cpe,
    binding: exposure_cpe_binding,
    buf: *mut u8,
    cap: usize,
    needed: *mut usize,
) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL handle was made by this library and not yet freed.
        let Some(c) = (unsafe { c.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        let text = match binding as u32 {
            0 => c.inner.to_fs(),
            1 => c.inner.to_uri(),
            2 => c.inner.to_wfn(),
            _ => return exposure_status::CpeBinding,
        };
        write_text(&text, buf, cap, needed)
    })
}

/// The relation of `source` to `target` (NISTIR 7696 name comparison).
#[no_mangle]
pub extern "C" fn exposure_cpe_compare(
    source: *const exposure_cpe,
    target: *const exposure_cpe,
    out: *mut exposure_cpe_relation,
) -> exposure_status {
    guard(|| {
        // SAFETY: non-NULL handles were made by this library and not yet freed.
        let (Some(s), Some(t)) = (unsafe { source.as_ref() }, unsafe { target.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        let relation = match s.inner.compare(&t.inner) {
            Relation::Equal => exposure_cpe_relation::Equal,
            Relation::Superset => exposure_cpe_relation::Superset,
            Relation::Subset => exposure_cpe_relation::Subset,
            Relation::Disjoint => exposure_cpe_relation::Disjoint,
            Relation::Undefined => exposure_cpe_relation::Undefined,
        };
        // SAFETY: `out` is non-NULL and writable.
        unsafe { *out = relation };
        exposure_status::Ok
    })
}

/// Whether `source` matches `target` (superset or equal).
#[no_mangle]
pub extern "C" fn exposure_cpe_matches(
    source: *const exposure_cpe,
    target: *const exposure_cpe,
    out: *mut bool,
) -> exposure_status {
    guard(|| {
        // SAFETY: non-NULL handles were made by this library and not yet freed.
        let (Some(s), Some(t)) = (unsafe { source.as_ref() }, unsafe { target.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: `out` is non-NULL and writable.
        unsafe { *out = s.inner.matches(&t.inner) };
        exposure_status::Ok
    })
}

/// Frees a CPE name. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_cpe_free(c: *mut exposure_cpe) {
    guard(|| {
        if !c.is_null() {
            // SAFETY: `c` came from `Box::into_raw` in this library and is freed once.
            drop(unsafe { Box::from_raw(c) });
        }
    });
}

/// Opaque to C: a CVE's applicability statement. Free with `exposure_applicability_free`.
pub struct exposure_applicability {
    inner: Applicability,
}

/// Reads the `configurations` JSON of an NVD CVE (JSON 1.1 object or API 2.0 array).
#[no_mangle]
pub extern "C" fn exposure_applicability_from_json(
    json: *const c_char,
    len: usize,
    out: *mut *mut exposure_applicability,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: the caller promises `len` readable bytes at `json`.
        let text = try_arg!(unsafe { str_arg(json, len) });
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return fail(err, exposure_status::ConfigurationInvalid, &e.to_string()),
        };
        match Applicability::from_nvd_json(&value) {
            Ok(inner) => {
                // SAFETY: `out` is non-NULL and writable.
                unsafe { put_boxed(out, exposure_applicability { inner }) };
                exposure_status::Ok
            }
            Err(e) => fail(err, exposure_status::ConfigurationInvalid, &e.to_string()),
        }
    })
}

/// Evaluates the statement against a device's names (`names[0..count]`). `*applies`
/// receives whether the CVE applies; when `evidence` is not NULL, `*evidence` receives a
/// JSON array of the matched criteria (`criteria`, `vulnerable`, `bounds`, `name`), to free
/// with `exposure_string_free`.
#[no_mangle]
pub extern "C" fn exposure_applicability_evaluate(
    a: *const exposure_applicability,
    names: *const *const exposure_cpe,
    count: usize,
    applies: *mut bool,
    evidence: *mut *mut exposure_string,
) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL handle was made by this library and not yet freed.
        let Some(a) = (unsafe { a.as_ref() }) else {
            return exposure_status::NullArgument;
        };
        if applies.is_null() || (names.is_null() && count > 0) {
            return exposure_status::NullArgument;
        }
        let mut device = Vec::with_capacity(count);
        for i in 0..count {
            // SAFETY: the caller promises `count` readable handle pointers at `names`.
            let name = unsafe { *names.add(i) };
            // SAFETY: each non-NULL handle was made by this library and not yet freed.
            let Some(name) = (unsafe { name.as_ref() }) else {
                return exposure_status::NullArgument;
            };
            device.push(name.inner.clone());
        }
        let matched = a.inner.evaluate(&device);
        // SAFETY: `applies` is non-NULL and writable.
        unsafe { *applies = matched.is_some() };
        if !evidence.is_null() {
            let items: Vec<serde_json::Value> = matched
                .unwrap_or_default()
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "criteria": m.criterion.text,
                        "vulnerable": m.criterion.vulnerable,
                        "bounds": m.criterion.bounds,
                        "name": m.name.to_fs(),
                    })
                })
                .collect();
            // SAFETY: `evidence` is non-NULL and writable.
            unsafe {
                *evidence = exposure_string::boxed(serde_json::Value::Array(items).to_string());
            };
        }
        exposure_status::Ok
    })
}

/// Frees an applicability statement. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_applicability_free(a: *mut exposure_applicability) {
    guard(|| {
        if !a.is_null() {
            // SAFETY: `a` came from `Box::into_raw` in this library and is freed once.
            drop(unsafe { Box::from_raw(a) });
        }
    });
}

/// CPE candidates for an installed program (publisher, display name, version; UTF-8 with
/// lengths), with the shipped alias rules: `*out` receives a JSON array, best first, of
/// `{"cpe", "confidence", "rule"}` (empty when nothing supports a guess).
#[no_mangle]
pub extern "C" fn exposure_cpe_guess(
    publisher: *const c_char,
    publisher_len: usize,
    name: *const c_char,
    name_len: usize,
    version: *const c_char,
    version_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard(|| {
        if out.is_null() {
            return exposure_status::NullArgument;
        }
        // SAFETY: the caller promises the given number of readable bytes at each pointer.
        let publisher = try_arg!(unsafe { str_arg(publisher, publisher_len) });
        // SAFETY: as above.
        let name = try_arg!(unsafe { str_arg(name, name_len) });
        // SAFETY: as above.
        let version = try_arg!(unsafe { str_arg(version, version_len) });
        if name.trim().is_empty() {
            return fail(err, exposure_status::CpeValue, "the name is empty");
        }
        let candidates: Vec<serde_json::Value> = Normalizer::with_default_rules()
            .guess_installed(publisher, name, version)
            .iter()
            .map(|c| serde_json::json!({"cpe": c.cpe.to_fs(), "confidence": c.confidence, "rule": c.rule}))
            .collect();
        // SAFETY: `out` is non-NULL and writable.
        unsafe { *out = exposure_string::boxed(serde_json::Value::Array(candidates).to_string()) };
        exposure_status::Ok
    })
}
