//! Caller-owned error objects: a status and a message.

use crate::exposure_status;
use crate::guard::guard;
use std::ffi::{c_char, CString};

/// Opaque to C: why a call failed. Free with `exposure_error_free`.
pub struct exposure_error {
    status: exposure_status,
    message: CString,
    offset: usize,
}

/// Stores an error in `*err` when `err` is not NULL, and returns `status`.
pub(crate) fn fail(
    err: *mut *mut exposure_error,
    status: exposure_status,
    message: &str,
) -> exposure_status {
    fail_at(err, status, message, usize::MAX)
}

/// Like [`fail`], with the byte offset of the problem in the input.
pub(crate) fn fail_at(
    err: *mut *mut exposure_error,
    status: exposure_status,
    message: &str,
    offset: usize,
) -> exposure_status {
    if !err.is_null() {
        let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
        // SAFETY: `err` is non-NULL and the caller promises it is writable.
        unsafe {
            *err = Box::into_raw(Box::new(exposure_error {
                status,
                message,
                offset,
            }));
        };
    }
    status
}

/// The byte offset in the input where the problem was found, or `SIZE_MAX` when the error
/// has no position (or `err` is NULL).
#[no_mangle]
pub extern "C" fn exposure_error_offset(err: *const exposure_error) -> usize {
    guard(|| {
        // SAFETY: a non-NULL `err` was made by this library and not yet freed.
        unsafe { err.as_ref() }.map_or(usize::MAX, |e| e.offset)
    })
}

/// The error's message, NUL-terminated. Borrowed from `err`: valid until
/// `exposure_error_free(err)`. NULL when `err` is NULL.
#[no_mangle]
pub extern "C" fn exposure_error_message(err: *const exposure_error) -> *const c_char {
    guard(|| {
        // SAFETY: a non-NULL `err` was made by this library and not yet freed.
        unsafe { err.as_ref() }.map_or(std::ptr::null(), |e| e.message.as_ptr())
    })
}

/// The status the error was reported with (`EXPOSURE_STATUS_NULL_ARGUMENT` for NULL).
#[no_mangle]
pub extern "C" fn exposure_error_status(err: *const exposure_error) -> exposure_status {
    guard(|| {
        // SAFETY: a non-NULL `err` was made by this library and not yet freed.
        unsafe { err.as_ref() }.map_or(exposure_status::NullArgument, |e| e.status)
    })
}

/// Frees an error. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_error_free(err: *mut exposure_error) {
    guard(|| {
        if !err.is_null() {
            // SAFETY: `err` came from `Box::into_raw` in this library and is freed once.
            drop(unsafe { Box::from_raw(err) });
        }
    });
}
