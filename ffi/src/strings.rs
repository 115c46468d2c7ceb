//! Library-owned strings for large results (JSON documents).

use crate::guard::guard;
use crate::handle::{self, free_handle, opt_ref, Boxed, Castable};
use std::ffi::{c_char, CString};
use std::mem::MaybeUninit;

/// Opaque to C: a NUL-terminated UTF-8 string owned by the caller once returned. Free with
/// `exposure_string_free` (never `free()`: the allocator is Rust's).
pub struct exposure_string {
    _private: [u8; 0],
}

impl Castable for exposure_string {
    type Ownership = Boxed;
    type RustType = CString;
}

/// Stores `text` in an output as a new `exposure_string`.
pub(crate) fn put_string(out: &mut MaybeUninit<*mut exposure_string>, text: String) {
    // JSON never contains a raw NUL byte (it is escaped as \u0000).
    handle::put(out, CString::new(text).unwrap_or_default());
}

/// Stores `value` as JSON in an output; a value that does not serialise is
/// `EXPOSURE_STATUS_SERIALIZATION`.
pub(crate) fn put_json(
    out: &mut MaybeUninit<*mut exposure_string>,
    value: &impl serde::Serialize,
) -> Result<(), crate::error::Failure> {
    let json = serde_json::to_string(value).map_err(|e| {
        crate::error::Failure::new(crate::exposure_status::Serialization, e.to_string())
    })?;
    put_string(out, json);
    Ok(())
}

/// The string's bytes, NUL-terminated. Borrowed: valid until `exposure_string_free(s)`.
/// NULL when `s` is NULL.
#[no_mangle]
pub extern "C" fn exposure_string_ptr(s: *const exposure_string) -> *const c_char {
    guard(|| opt_ref!(s).map_or(std::ptr::null(), |s| s.as_ptr()))
}

/// The string's length in bytes, without the NUL terminator (0 for NULL).
#[no_mangle]
pub extern "C" fn exposure_string_len(s: *const exposure_string) -> usize {
    guard(|| opt_ref!(s).map_or(0, |s| s.as_bytes().len()))
}

/// Frees a string. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_string_free(s: *mut exposure_string) {
    free_handle!(s);
}
