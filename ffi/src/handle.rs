//! One handle layer for the C ABI, after rustls-ffi's `Castable`: each opaque C type names,
//! once, the Rust value behind its pointers and how that value is owned. Exported functions
//! borrow, hand out and free handles only through this module and its macros, so the raw
//! casts (and their `unsafe`) live here and nowhere else.
//!
//! Contract every exported function documents for C: a non-NULL handle argument was made by
//! this library, is of the declared type and has not been freed; a non-`const` handle is not
//! used by another thread during the call; an output pointer is NULL or writable.

use crate::error::Failure;
use std::mem::MaybeUninit;
use std::sync::Arc;

/// How the value behind a handle is allocated and released.
pub(crate) trait Ownership {
    /// Moves `value` to the heap; the pointer is what C holds.
    fn into_raw<T>(value: T) -> *mut T;

    /// Releases a value made by [`Ownership::into_raw`].
    ///
    /// # Safety
    /// `ptr` came from `into_raw` of the same ownership and type, and is released once.
    unsafe fn release<T>(ptr: *mut T);
}

/// A `Box`: one owner, who may also get `&mut` access (the engine, results, errors).
pub(crate) enum Boxed {}

/// An `Arc`: an immutable value that C may share across threads (versions, ranges, CPE
/// names, applicability statements). Only `&` access is possible.
pub(crate) enum Shared {}

impl Ownership for Boxed {
    fn into_raw<T>(value: T) -> *mut T {
        Box::into_raw(Box::new(value))
    }

    unsafe fn release<T>(ptr: *mut T) {
        // SAFETY: the caller promises `ptr` came from `Box::into_raw` and is released once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

impl Ownership for Shared {
    fn into_raw<T>(value: T) -> *mut T {
        Arc::into_raw(Arc::new(value)).cast_mut()
    }

    unsafe fn release<T>(ptr: *mut T) {
        // SAFETY: the caller promises `ptr` came from `Arc::into_raw` and that this reference
        // is released once.
        drop(unsafe { Arc::from_raw(ptr.cast_const()) });
    }
}

/// An opaque C type (`pub struct exposure_x { _private: [u8; 0] }`, so cbindgen declares it
/// without fields) and the Rust value its pointers really point to.
pub(crate) trait Castable {
    /// Box or Arc.
    type Ownership: Ownership;
    /// The value behind the pointer.
    type RustType;
}

/// Hands `value` to C as a new handle, freed by the type's `_free` (that is, [`free`]).
pub(crate) fn to_raw<C: Castable>(value: C::RustType) -> *mut C {
    C::Ownership::into_raw(value).cast()
}

/// Stores a new handle for `value` in an output checked by [`try_out!`].
pub(crate) fn put<C: Castable>(out: &mut MaybeUninit<*mut C>, value: C::RustType) {
    out.write(to_raw(value));
}

/// Frees a handle; NULL is a no-op. Every exported `_free` is this function.
///
/// # Safety
/// A non-NULL `ptr` came from [`to_raw`] for `C` and is freed once.
pub(crate) unsafe fn free<C: Castable>(ptr: *mut C) {
    if !ptr.is_null() {
        // SAFETY: the caller's promise; the ownership is the one `to_raw` used for `C`.
        unsafe { C::Ownership::release(ptr.cast::<C::RustType>()) };
    }
}

/// The value behind a handle; `None` for NULL.
///
/// # Safety
/// A non-NULL `ptr` came from [`to_raw`] for `C`, is not freed during `'a`, and is not
/// mutated during `'a`.
pub(crate) unsafe fn as_ref<'a, C: Castable>(ptr: *const C) -> Option<&'a C::RustType> {
    // SAFETY: the caller's promise.
    unsafe { ptr.cast::<C::RustType>().as_ref() }
}

/// The value behind a `Box` handle, mutably; `None` for NULL. `Arc` handles are shared and
/// never give `&mut`: the bound makes that a compile error.
///
/// # Safety
/// As [`as_ref`], and nothing else uses the handle during `'a`.
pub(crate) unsafe fn as_mut<'a, C: Castable<Ownership = Boxed>>(
    ptr: *mut C,
) -> Option<&'a mut C::RustType> {
    // SAFETY: the caller's promise.
    unsafe { ptr.cast::<C::RustType>().as_mut() }
}

/// An output pointer as a place to write; `None` for NULL. `MaybeUninit` because C hands
/// uninitialised memory, which must not be read (or dropped) as a `T`.
///
/// # Safety
/// A non-NULL `ptr` is writable and not used by anyone else during `'a`.
pub(crate) unsafe fn as_out<'a, T>(ptr: *mut T) -> Option<&'a mut MaybeUninit<T>> {
    // SAFETY: the caller's promise; `MaybeUninit<T>` has the layout of `T` and no validity
    // requirement.
    unsafe { ptr.cast::<MaybeUninit<T>>().as_mut() }
}

/// `(ptr, len)` as a slice; NULL only with `len` 0 (then empty).
///
/// # Safety
/// A non-NULL `ptr` points to `len` initialised `T`s that stay valid for `'a`.
pub(crate) unsafe fn as_slice<'a, T>(ptr: *const T, len: usize) -> Option<&'a [T]> {
    if ptr.is_null() {
        return (len == 0).then_some(&[]);
    }
    // SAFETY: the caller's promise.
    Some(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// `value`, or a failure with `EXPOSURE_STATUS_NULL_ARGUMENT` naming the argument.
pub(crate) fn required<T>(value: Option<T>, name: &str) -> Result<T, Failure> {
    value.ok_or_else(|| Failure::null(name))
}

/// A handle argument that may be NULL, as an `Option`.
macro_rules! opt_ref {
    ($p:expr) => {{
        let ptr = $p;
        // SAFETY: the handle contract of every exported function (see `handle`).
        unsafe { $crate::handle::as_ref(ptr) }
    }};
}
pub(crate) use opt_ref;

/// Like [`opt_ref!`], mutably, for `Box` handles given exclusively (non-`const` in C).
macro_rules! opt_mut {
    ($p:expr) => {{
        let ptr = $p;
        // SAFETY: the handle contract of every exported function (see `handle`).
        unsafe { $crate::handle::as_mut(ptr) }
    }};
}
pub(crate) use opt_mut;

/// An output pointer as a place to write, or `None` when NULL (the caller does not want it).
macro_rules! opt_out {
    ($p:expr) => {{
        let ptr = $p;
        // SAFETY: the output contract of every exported function (see `handle`).
        unsafe { $crate::handle::as_out(ptr) }
    }};
}
pub(crate) use opt_out;

/// Borrows a handle argument, or fails the call with `EXPOSURE_STATUS_NULL_ARGUMENT` naming
/// it (an optional second argument gives the name for an expression).
macro_rules! try_ref {
    ($p:ident) => {
        $crate::handle::try_ref!($p, stringify!($p))
    };
    ($p:expr, $name:expr) => {
        $crate::handle::required($crate::handle::opt_ref!($p), $name)?
    };
}
pub(crate) use try_ref;

/// Like [`try_ref!`], mutably, for `Box` handles given exclusively (non-`const` in C).
macro_rules! try_mut {
    ($p:ident) => {
        $crate::handle::required($crate::handle::opt_mut!($p), stringify!($p))?
    };
}
pub(crate) use try_mut;

/// A required output pointer as a place to write, or `EXPOSURE_STATUS_NULL_ARGUMENT`.
macro_rules! try_out {
    ($p:ident) => {
        $crate::handle::required($crate::handle::opt_out!($p), stringify!($p))?
    };
}
pub(crate) use try_out;

/// `(ptr, len)` as a slice, or `EXPOSURE_STATUS_NULL_ARGUMENT` for NULL with `len > 0`.
macro_rules! try_slice {
    ($p:ident, $len:expr) => {{
        let (ptr, len) = ($p, $len);
        // SAFETY: every exported function taking `(ptr, count)` documents `count` readable
        // elements at `ptr`.
        let slice = unsafe { $crate::handle::as_slice(ptr, len) };
        slice.ok_or_else(|| $crate::error::Failure::null(stringify!($p)))?
    }};
}
pub(crate) use try_slice;

/// `(ptr, len)` as UTF-8 text, or `EXPOSURE_STATUS_NULL_ARGUMENT` /
/// `EXPOSURE_STATUS_INVALID_UTF8` naming the argument.
macro_rules! try_str {
    ($p:ident, $len:expr) => {{
        let (ptr, len) = ($p, $len);
        // SAFETY: every exported function taking `(ptr, len)` text documents `len` readable
        // bytes at `ptr`.
        unsafe { $crate::guard::str_arg(ptr, len, stringify!($p)) }?
    }};
}
pub(crate) use try_str;

/// An optional `(ptr, len)` text argument: NULL is `None`, otherwise as [`try_str!`].
macro_rules! try_opt_str {
    ($p:ident, $len:expr) => {{
        if $p.is_null() {
            None
        } else {
            Some($crate::handle::try_str!($p, $len))
        }
    }};
}
pub(crate) use try_opt_str;

/// Frees a handle argument (NULL is a no-op) inside the panic guard: the whole body of every
/// exported `_free`, so all of them go through [`free`].
macro_rules! free_handle {
    ($p:ident) => {{
        let ptr = $p;
        // SAFETY: every `_free` is documented to take a handle of its type made by this
        // library, freed once (or NULL).
        $crate::guard::guard(|| unsafe { $crate::handle::free(ptr) })
    }};
}
pub(crate) use free_handle;

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    /// A handle over a value that counts its drops, once per ownership.
    struct BoxedProbe;
    struct SharedProbe;
    impl Castable for BoxedProbe {
        type Ownership = Boxed;
        type RustType = Rc<()>;
    }
    impl Castable for SharedProbe {
        type Ownership = Shared;
        type RustType = Rc<()>;
    }

    #[test]
    fn handles_borrow_and_free_their_value_once() {
        let probe = Rc::new(());
        let boxed = to_raw::<BoxedProbe>(Rc::clone(&probe));
        let shared = to_raw::<SharedProbe>(Rc::clone(&probe));
        assert_eq!(Rc::strong_count(&probe), 3);
        // SAFETY: both handles were made above and are freed once, below.
        unsafe {
            assert!(Rc::ptr_eq(as_ref(boxed).unwrap(), &probe));
            assert!(Rc::ptr_eq(as_mut(boxed).unwrap(), &probe));
            assert!(Rc::ptr_eq(as_ref(shared).unwrap(), &probe));
            free(boxed);
            free(shared);
            free(std::ptr::null_mut::<BoxedProbe>());
            assert!(as_ref(std::ptr::null::<SharedProbe>()).is_none());
        }
        assert_eq!(Rc::strong_count(&probe), 1);
    }

    #[test]
    fn a_null_slice_is_empty_only_with_length_zero() {
        // SAFETY: NULL is never read.
        unsafe {
            assert_eq!(as_slice::<u8>(std::ptr::null(), 0), Some(&[][..]));
            assert_eq!(as_slice::<u8>(std::ptr::null(), 1), None);
        }
    }
}
