//! The panic boundary, the one place a failure becomes a status (and `*err`), and the text
//! conversions shared by every exported function.

use crate::error::{exposure_error, report, Failure};
use crate::exposure_status;
use crate::handle;

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

/// Runs the body of an exported function that returns a status, inside the panic guard.
/// `Ok` is `EXPOSURE_STATUS_OK`; a failure, or a panic, is its status, and its message goes to
/// `*err` when `err` is not NULL. Every failing return of every such function goes through
/// here, argument checks included, so none can forget `*err`: every function returning a
/// status takes an `err` argument.
pub(crate) fn guard_result(
    err: *mut *mut exposure_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> exposure_status {
    let failure = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(())) => return exposure_status::Ok,
        Ok(Err(failure)) => failure,
        Err(_) => Failure::new(
            exposure_status::Panic,
            "the library panicked (a bug in exposure); the call had no effect that can be relied on",
        ),
    };
    report(err, failure)
}

/// Borrows `(ptr, len)` as UTF-8; `name` is the argument's name for the message. `ptr` may be
/// NULL only when `len` is 0. Used through [`crate::handle::try_str!`].
///
/// # Safety
/// A non-NULL `ptr` points to `len` readable bytes that stay valid for `'a`.
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const std::ffi::c_char,
    len: usize,
    name: &str,
) -> Result<&'a str, Failure> {
    // SAFETY: the caller's promise.
    let bytes = unsafe { handle::as_slice(ptr.cast::<u8>(), len) }.ok_or_else(|| {
        Failure::new(
            exposure_status::NullArgument,
            format!("argument `{name}` is NULL with length {len}"),
        )
    })?;
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        Failure::new(
            exposure_status::InvalidUtf8,
            format!("argument `{name}` is not UTF-8 (at byte {at})"),
        )
        .at(at)
    })
}

/// Writes `text` into the caller buffer `(buf, cap)` (not NUL-terminated). `*needed` receives
/// the length; when `cap` is smaller, nothing else is written and the status is
/// `EXPOSURE_STATUS_BUFFER_TOO_SMALL`. Used through [`write_text!`].
///
/// # Safety
/// A non-NULL `buf` points to `cap` writable bytes; a non-NULL `needed` is writable.
pub(crate) unsafe fn text_out(
    text: &str,
    buf: *mut u8,
    cap: usize,
    needed: *mut usize,
) -> Result<(), Failure> {
    // SAFETY: the caller's promise.
    let needed = handle::required(unsafe { handle::as_out(needed) }, "needed")?;
    needed.write(text.len());
    if text.len() > cap {
        return Err(Failure::new(
            exposure_status::BufferTooSmall,
            format!("the text needs {} bytes, the buffer has {cap}", text.len()),
        ));
    }
    if text.is_empty() {
        return Ok(());
    }
    if buf.is_null() {
        return Err(Failure::null("buf"));
    }
    // SAFETY: `cap` writable bytes at `buf` (the caller's promise) and text.len() <= cap.
    unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len()) };
    Ok(())
}

/// The whole body of a `_text` function: `text` into `(buf, cap)`, its length in `*needed`.
macro_rules! write_text {
    ($text:expr, $buf:ident, $cap:ident, $needed:ident) => {{
        let (text, buf, cap, needed) = ($text, $buf, $cap, $needed);
        // SAFETY: every function taking `(buf, cap, needed)` documents `cap` writable bytes at
        // `buf` and a writable `needed` (the buffer convention of ffi/README.md).
        unsafe { $crate::guard::text_out(text, buf, cap, needed) }
    }};
}
pub(crate) use write_text;

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

    #[test]
    fn a_panic_in_a_status_function_is_reported_in_err() {
        let mut err: *mut exposure_error = std::ptr::null_mut();
        let status = guard_result(&raw mut err, || panic!("boom"));
        assert_eq!(status, exposure_status::Panic);
        assert!(!err.is_null());
        assert_eq!(crate::exposure_error_status(err), exposure_status::Panic);
        crate::exposure_error_free(err);
    }

    #[test]
    fn a_failure_fills_err_and_success_leaves_it() {
        let mut err: *mut exposure_error = std::ptr::null_mut();
        assert_eq!(guard_result(&raw mut err, || Ok(())), exposure_status::Ok);
        assert!(err.is_null());
        let status = guard_result(&raw mut err, || Err(Failure::null("out")));
        assert_eq!(status, exposure_status::NullArgument);
        assert_eq!(
            crate::exposure_error_status(err),
            exposure_status::NullArgument
        );
        crate::exposure_error_free(err);
        assert_eq!(
            guard_result(std::ptr::null_mut(), || Err(Failure::null("out"))),
            exposure_status::NullArgument,
            "a NULL err costs only the detail"
        );
    }
}
