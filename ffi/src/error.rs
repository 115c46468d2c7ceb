//! Failures, and the caller-owned error objects (status, message, offset) C receives for them.

use crate::exposure_status;
use crate::guard::guard;
use crate::handle::{self, free_handle, opt_out, opt_ref, Boxed, Castable};
use crate::status::{offset_of, record_status, remediation_status, status_of};
use std::borrow::Cow;
use std::ffi::{c_char, CString};

/// Opaque to C: why a call failed. Owned by the caller, who frees it with
/// `exposure_error_free`; not shared, so one thread at a time.
pub struct exposure_error {
    _private: [u8; 0],
}

/// What an `exposure_error` holds.
pub(crate) struct ErrorDetail {
    status: exposure_status,
    message: CString,
    offset: usize,
}

impl Castable for exposure_error {
    type Ownership = Boxed;
    type RustType = ErrorDetail;
}

/// Why a call failed, before C sees it: the status the function returns and what `*err`
/// receives (see [`crate::guard::guard_result`]).
#[derive(Debug)]
pub(crate) struct Failure {
    status: exposure_status,
    message: Cow<'static, str>,
    offset: usize,
}

impl Failure {
    /// A failure without a position in the input.
    pub(crate) fn new(status: exposure_status, message: impl Into<Cow<'static, str>>) -> Self {
        Failure {
            status,
            message: message.into(),
            offset: usize::MAX,
        }
    }

    /// The same failure, found at byte `offset` of the input.
    pub(crate) fn at(self, offset: usize) -> Self {
        Failure { offset, ..self }
    }

    /// The failure of a core error: its status ([`status_of`]), its message and the byte
    /// offset it names ([`offset_of`]). Every core error reaches C through here.
    pub(crate) fn from_error(e: impl Into<exposure::Error>) -> Self {
        let e = e.into();
        Failure {
            status: status_of(&e),
            message: e.to_string().into(),
            offset: offset_of(&e).unwrap_or(usize::MAX),
        }
    }

    /// The failure of an assessment record given as argument `name` (or made), with the
    /// status [`record_status`] gives it.
    pub(crate) fn from_record(e: &exposure::history::RecordError, name: &str) -> Self {
        let failure = Failure::new(record_status(e), format!("`{name}`: {e}"));
        match e {
            exposure::history::RecordError::Json {
                offset: Some(at), ..
            } => failure.at(*at),
            _ => failure,
        }
    }

    /// The failure of a remediation activity that could not be created or exported, with the
    /// status [`remediation_status`] gives it.
    pub(crate) fn from_remediation(e: &exposure::remediation::RemediationError) -> Self {
        Failure::new(remediation_status(e), e.to_string())
    }

    /// A required pointer argument `name` was NULL.
    pub(crate) fn null(name: &str) -> Self {
        Failure::new(
            exposure_status::NullArgument,
            format!("argument `{name}` is NULL"),
        )
    }
}

#[cfg(test)]
impl Failure {
    pub(crate) fn status(&self) -> exposure_status {
        self.status
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn offset(&self) -> usize {
        self.offset
    }
}

/// Stores `failure` as an error object in `*err` when `err` is not NULL; returns its status.
pub(crate) fn report(err: *mut *mut exposure_error, failure: Failure) -> exposure_status {
    let Failure {
        status,
        message,
        offset,
    } = failure;
    if let Some(out) = opt_out!(err) {
        let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
        handle::put(
            out,
            ErrorDetail {
                status,
                message,
                offset,
            },
        );
    }
    status
}

/// The byte offset in the input where the problem was found, or `SIZE_MAX` when the error
/// has no position (or `err` is NULL).
#[no_mangle]
pub extern "C" fn exposure_error_offset(err: *const exposure_error) -> usize {
    guard(|| opt_ref!(err).map_or(usize::MAX, |e| e.offset))
}

/// The error's message, NUL-terminated. Borrowed from `err`: valid until
/// `exposure_error_free(err)`. NULL when `err` is NULL.
#[no_mangle]
pub extern "C" fn exposure_error_message(err: *const exposure_error) -> *const c_char {
    guard(|| opt_ref!(err).map_or(std::ptr::null(), |e| e.message.as_ptr()))
}

/// The status the error was reported with (`EXPOSURE_STATUS_NULL_ARGUMENT` for NULL).
#[no_mangle]
pub extern "C" fn exposure_error_status(err: *const exposure_error) -> exposure_status {
    guard(|| opt_ref!(err).map_or(exposure_status::NullArgument, |e| e.status))
}

/// Frees an error. NULL is a no-op.
#[no_mangle]
pub extern "C" fn exposure_error_free(err: *mut exposure_error) {
    free_handle!(err);
}
