//! CPE handles (parse, bindings, compare, matches, free), NVD applicability statements
//! (from JSON, evaluate against names, free) and inventory-name normalisation.

use crate::engine::exposure_engine;
use crate::enums::enum_arg;
use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::{guard_result, write_text};
use crate::handle::{
    self, free_handle, opt_out, try_out, try_ref, try_slice, try_str, Castable, Shared,
};
use crate::strings::{exposure_string, put_json, put_string};
use exposure::cpe::{Applicability, Binding, Cpe, Normalizer, Relation};
use std::ffi::c_char;

/// Opaque to C: a CPE name. Immutable; may be shared across threads. Free with
/// `exposure_cpe_free`.
pub struct exposure_cpe {
    _private: [u8; 0],
}

impl Castable for exposure_cpe {
    type Ownership = Shared;
    type RustType = Cpe;
}

/// A CPE binding. Values are ABI: never renumber, never reuse. `exposure_cpe_text` takes it as
/// `uint32_t` holding one of these values (any other number is refused with
/// `EXPOSURE_STATUS_CPE_BINDING`).
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

/// The binding numbers of the C ABI and the core's bindings. Values are ABI.
const BINDINGS: [(exposure_cpe_binding, Binding); 3] = [
    (exposure_cpe_binding::Fs, Binding::Fs),
    (exposure_cpe_binding::Uri, Binding::Uri),
    (exposure_cpe_binding::Wfn, Binding::Wfn),
];

/// Parses a 2.3 formatted string, a 2.2 URI or WFN text. On success `*out` owns the name.
#[no_mangle]
pub extern "C" fn exposure_cpe_parse(
    text: *const c_char,
    len: usize,
    out: *mut *mut exposure_cpe,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let text = try_str!(text, len);
        let cpe = Cpe::parse(text).map_err(Failure::from_error)?;
        handle::put(out, cpe);
        Ok(())
    })
}

/// Writes the name in `binding`, an `EXPOSURE_CPE_BINDING_*` value (any other number gives
/// `EXPOSURE_STATUS_CPE_BINDING`), into `buf` (not NUL-terminated); `*needed` receives the
/// length, and a `cap` below it gives `EXPOSURE_STATUS_BUFFER_TOO_SMALL`.
#[no_mangle]
pub extern "C" fn exposure_cpe_text(
    c: *const exposure_cpe,
    binding: u32,
    buf: *mut u8,
    cap: usize,
    needed: *mut usize,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let c = try_ref!(c);
        let binding = enum_arg(
            &BINDINGS,
            binding,
            exposure_status::CpeBinding,
            "CPE binding",
            "EXPOSURE_CPE_BINDING_",
        )?;
        write_text!(&c.to_binding(binding), buf, cap, needed)
    })
}

/// The relation of `source` to `target` (NISTIR 7696 name comparison).
#[no_mangle]
pub extern "C" fn exposure_cpe_compare(
    source: *const exposure_cpe,
    target: *const exposure_cpe,
    out: *mut exposure_cpe_relation,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let (s, t) = (try_ref!(source), try_ref!(target));
        let out = try_out!(out);
        out.write(match s.compare(t) {
            Relation::Equal => exposure_cpe_relation::Equal,
            Relation::Superset => exposure_cpe_relation::Superset,
            Relation::Subset => exposure_cpe_relation::Subset,
            Relation::Disjoint => exposure_cpe_relation::Disjoint,
            Relation::Undefined => exposure_cpe_relation::Undefined,
        });
        Ok(())
    })
}

/// Whether `source` matches `target` (superset or equal).
#[no_mangle]
pub extern "C" fn exposure_cpe_matches(
    source: *const exposure_cpe,
    target: *const exposure_cpe,
    out: *mut bool,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let (s, t) = (try_ref!(source), try_ref!(target));
        try_out!(out).write(s.matches(t));
        Ok(())
    })
}

/// Frees a CPE name. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_cpe_free(c: *mut exposure_cpe) {
    free_handle!(c);
}

/// Opaque to C: a CVE's applicability statement. Free with `exposure_applicability_free`.
pub struct exposure_applicability {
    _private: [u8; 0],
}

impl Castable for exposure_applicability {
    type Ownership = Shared;
    type RustType = Applicability;
}

/// Reads the `configurations` JSON of an NVD CVE (JSON 1.1 object or API 2.0 array).
#[no_mangle]
pub extern "C" fn exposure_applicability_from_json(
    json: *const c_char,
    len: usize,
    out: *mut *mut exposure_applicability,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let text = try_str!(json, len);
        let statement = Applicability::from_nvd_json_text(text).map_err(Failure::from_error)?;
        handle::put(out, statement);
        Ok(())
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
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let a = try_ref!(a);
        let applies = try_out!(applies);
        let names = try_slice!(names, count);
        let mut device = Vec::with_capacity(names.len());
        for &name in names {
            device.push(try_ref!(name, "names[i]").clone());
        }
        let matched = a.evaluate(&device);
        applies.write(matched.is_some());
        if let Some(evidence) = opt_out!(evidence) {
            put_json(evidence, &matched.unwrap_or_default())?;
        }
        Ok(())
    })
}

/// Frees an applicability statement. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_applicability_free(a: *mut exposure_applicability) {
    free_handle!(a);
}

/// CPE candidates for an installed program (publisher, display name, version; UTF-8 with
/// lengths), with the shipped alias rules: `*out` receives a JSON array, best first, of
/// `{"cpe", "confidence", "rule", "version_rule"}` (empty when nothing supports a guess, and
/// for updates, drivers, language packs and components, which are never named); see
/// `exposure_engine_name_program` for the kind and NVD's names in a knowledge base.
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
    guard_result(err, || {
        let out = try_out!(out);
        let program = (
            try_str!(publisher, publisher_len),
            try_str!(name, name_len),
            try_str!(version, version_len),
        );
        let naming = name_program(&Normalizer::with_default_rules(), program)?;
        put_string(out, naming["candidates"].to_string());
        Ok(())
    })
}

/// Names an installed program (publisher, display name, DisplayVersion; UTF-8 with lengths)
/// as NVD names it, scored against the engine's knowledge (the CPE names of its CVE
/// configurations) and the shipped alias rules. `*out` receives JSON: `{"kind", "kind_rule",
/// "version", "candidates": [{"cpe", "confidence", "rule", "version_rule"}]}`, `kind` one of
/// `application`, `update`, `driver`, `language-pack`, `component` (only applications are
/// named). An empty name is `EXPOSURE_STATUS_CPE_VALUE`. On success `*out` owns the string.
#[no_mangle]
pub extern "C" fn exposure_engine_name_program(
    engine: *const exposure_engine,
    publisher: *const c_char,
    publisher_len: usize,
    name: *const c_char,
    name_len: usize,
    version: *const c_char,
    version_len: usize,
    out: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let engine = try_ref!(engine);
        let out = try_out!(out);
        let program = (
            try_str!(publisher, publisher_len),
            try_str!(name, name_len),
            try_str!(version, version_len),
        );
        let vocabulary = engine.vocabulary();
        let normalizer = Normalizer::with_default_rules().with_vocabulary(&vocabulary);
        put_string(out, name_program(&normalizer, program)?.to_string());
        Ok(())
    })
}

/// A program (publisher, name, version) named by `normalizer`, as JSON; an empty name is
/// `EXPOSURE_STATUS_CPE_VALUE`.
fn name_program(
    normalizer: &Normalizer<'_>,
    (publisher, name, version): (&str, &str, &str),
) -> Result<serde_json::Value, Failure> {
    if name.trim().is_empty() {
        return Err(Failure::new(exposure_status::CpeValue, "the name is empty"));
    }
    Ok(normalizer.name_program(publisher, name, version).to_json())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::assert_numbers_unique;

    #[test]
    fn binding_numbers_are_the_documented_ones() {
        assert_numbers_unique(&BINDINGS);
        for binding in Binding::ALL {
            assert_eq!(
                BINDINGS.iter().filter(|(_, b)| *b == binding).count(),
                1,
                "{binding:?} has one C number"
            );
        }
        let cpe = Cpe::parse("cpe:2.3:a:openbsd:openssh:9.6:*:*:*:*:*:*:*").unwrap();
        let binding = |n| {
            enum_arg(&BINDINGS, n, exposure_status::CpeBinding, "", "").map(|b| cpe.to_binding(b))
        };
        assert_eq!(binding(0).unwrap(), cpe.to_fs());
        assert_eq!(binding(1).unwrap(), cpe.to_uri());
        assert_eq!(binding(2).unwrap(), cpe.to_wfn());
        for n in [3, 99, u32::MAX] {
            assert_eq!(
                binding(n).unwrap_err().status(),
                exposure_status::CpeBinding
            );
        }
    }
}
