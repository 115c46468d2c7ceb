//! Library-owned strings for large results (JSON documents).

use crate::guard::guard;
use std::ffi::{c_char, CString};

/// Opaque to C: a NUL-terminated UTF-8 string owned by the library. Free with
/// `exposure_string_free`.
pub struct exposure_string {
    text: CString,
}

impl exposure_string {
    pub(crate) fn boxed(text: String) -> *mut exposure_string {
        // JSON never contains a raw NUL byte (it is escaped as \u0000).
        let text = CString::new(text).unwrap_or_default();
        Box::into_raw(Box::new(exposure_string { text }))
    }
}

/// The string's bytes, NUL-terminated. Borrowed: valid until `exposure_string_free(s)`.
/// NULL when `s` is NULL.
#[no_mangle]
pub extern "C" fn exposure_string_ptr(s: *const exposure_string) -> *const c_char {
    guard(|| {
        // SAFETY: a non-NULL `s` was made by this library and not yet freed.
        unsafe { s.as_ref() }.map_or(std::ptr::null(), |s| s.text.as_ptr())
    })
}

/// The string's length in bytes, without the NUL terminator (0 for NULL).
#[no_mangle]
pub extern "C" fn exposure_string_len(s: *const exposure_string) -> usize {
    guard(|| {
        // SAFETY: a non-NULL `s` was made by this library and not yet freed.
        unsafe { s.as_ref() }.map_or(0, |s| s.text.as_bytes().len())
    })
}

/// Frees a string. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_string_free(s: *mut exposure_string) {
    guard(|| {
        if !s.is_null() {
            // SAFETY: `s` came from `Box::into_raw` in this library and is freed once.
            drop(unsafe { Box::from_raw(s) });
        }
    });
}
