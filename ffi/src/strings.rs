//! Library-owned strings for large results (JSON documents, binary assessment records).

use crate::guard::guard;
use crate::handle::{self, free_handle, opt_ref, Boxed, Castable};
use std::ffi::c_char;
use std::mem::MaybeUninit;

/// Opaque to C: a result owned by the caller once returned: UTF-8 text (JSON) or bytes (a
/// binary assessment record), always followed by a NUL byte that `exposure_string_len` does
/// not count. Binary content may hold NUL bytes itself: read it as
/// `(exposure_string_ptr(s), exposure_string_len(s))`. Free with `exposure_string_free`
/// (never `free()`: the allocator is Rust's).
pub struct exposure_string {
    _private: [u8; 0],
}

/// What an `exposure_string` holds: the bytes and one NUL after them.
pub(crate) struct Terminated(Vec<u8>);

impl Terminated {
    fn new(mut bytes: Vec<u8>) -> Self {
        bytes.push(0);
        Terminated(bytes)
    }

    /// The bytes, without the NUL.
    fn bytes(&self) -> &[u8] {
        &self.0[..self.0.len() - 1]
    }
}

impl Castable for exposure_string {
    type Ownership = Boxed;
    type RustType = Terminated;
}

/// Stores `text` in an output as a new `exposure_string`.
pub(crate) fn put_string(out: &mut MaybeUninit<*mut exposure_string>, text: String) {
    put_bytes(out, text.into_bytes());
}

/// Stores `bytes` (which may hold NUL bytes) in an output as a new `exposure_string`.
pub(crate) fn put_bytes(out: &mut MaybeUninit<*mut exposure_string>, bytes: Vec<u8>) {
    handle::put(out, Terminated::new(bytes));
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

/// The string's bytes, followed by a NUL (text results hold no other NUL; a binary record
/// may: use `exposure_string_len`). Borrowed: valid until `exposure_string_free(s)`. NULL when
/// `s` is NULL.
#[no_mangle]
pub extern "C" fn exposure_string_ptr(s: *const exposure_string) -> *const c_char {
    guard(|| opt_ref!(s).map_or(std::ptr::null(), |s| s.0.as_ptr().cast()))
}

/// The string's length in bytes, without the NUL terminator (0 for NULL).
#[no_mangle]
pub extern "C" fn exposure_string_len(s: *const exposure_string) -> usize {
    guard(|| opt_ref!(s).map_or(0, |s| s.bytes().len()))
}

/// Frees a string. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_string_free(s: *mut exposure_string) {
    free_handle!(s);
}
