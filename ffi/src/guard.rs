//! The panic boundary and argument conversion shared by every exported function.

use crate::exposure_status;

/// What a function returns when its body panicked.
pub(crate) trait Fallback {
    fn on_panic() -> Self;
}

impl Fallback for exposure_status {
    fn on_panic() -> Self {
        exposure_status::Panic
    }
}

impl<T> Fallback for *mut T {
    fn on_panic() -> Self {
        std::ptr::null_mut()
    }
}

impl<T> Fallback for *const T {
    fn on_panic() -> Self {
        std::ptr::null()
    }
}

impl Fallback for usize {
    fn on_panic() -> Self {
        0
    }
}

impl Fallback for () {
    fn on_panic() -> Self {}
}

/// Runs `body`, turning a panic into the return type's fallback: nothing unwinds into C.
pub(crate) fn guard<R: Fallback>(body: impl FnOnce() -> R) -> R {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or_else(|_| R::on_panic())
}

/// Returns early from an exported function with the status of a failed argument conversion.
macro_rules! try_arg {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(status) => return status,
        }
    };
}
pub(crate) use try_arg;

/// Hands `value` to C as a new heap object in `*out`; C frees it with the type's `_free`.
///
/// # Safety
/// `out` must be non-NULL and writable (callers check NULL first, to keep the status order).
pub(crate) unsafe fn put_boxed<T>(out: *mut *mut T, value: T) {
    // SAFETY: the caller promises `out` is non-NULL and writable.
    unsafe { *out = Box::into_raw(Box::new(value)) };
}

/// Borrows `(ptr, len)` as UTF-8. `ptr` may be NULL only when `len` is 0.
///
/// # Safety
/// `ptr` must point to `len` readable bytes that stay valid for `'a`.
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const std::ffi::c_char,
    len: usize,
) -> Result<&'a str, exposure_status> {
    if ptr.is_null() {
        return if len == 0 {
            Ok("")
        } else {
            Err(exposure_status::NullArgument)
        };
    }
    // SAFETY: the caller promises `len` readable bytes at `ptr`.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|_| exposure_status::InvalidUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_fallback() {
        let status: exposure_status = guard(|| panic!("boom"));
        assert_eq!(status, exposure_status::Panic);
        let ptr: *mut u8 = guard(|| panic!("boom"));
        assert!(ptr.is_null());
    }
}
