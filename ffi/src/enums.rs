//! C enums arrive as plain integers. A `uint32_t` argument may hold any number, and a Rust
//! `#[repr(u32)]` enum holding one it does not define is undefined behaviour before any
//! check can run; so enum *parameters* are `u32` and are converted here, through explicit
//! tables of `(C enum, Rust value)` pairs, never by a cast or by a position in a list.
//! Outputs written by Rust keep their enum types: Rust only ever writes defined values.

use crate::error::Failure;
use crate::exposure_status;

/// An enum of the header, by its ABI number.
pub(crate) trait CEnum: Copy {
    /// The number C sees.
    fn number(self) -> u32;
}

macro_rules! c_enum {
    ($($t:ty),*) => {
        $(impl CEnum for $t {
            fn number(self) -> u32 {
                self as u32
            }
        })*
    };
}
c_enum!(
    crate::exposure_scheme,
    crate::exposure_cpe_binding,
    crate::exposure_record_format
);

/// The value paired with the C number `n` in `table`. An unknown number fails with `status`
/// and a message naming the enum (`what`), its constants (`prefix`) and their numbers.
pub(crate) fn enum_arg<E: CEnum, T: Copy>(
    table: &[(E, T)],
    n: u32,
    status: exposure_status,
    what: &str,
    prefix: &str,
) -> Result<T, Failure> {
    if let Some(&(_, value)) = table.iter().find(|(e, _)| e.number() == n) {
        return Ok(value);
    }
    let numbers: Vec<u32> = table.iter().map(|(e, _)| e.number()).collect();
    let (low, high) = (numbers.iter().min(), numbers.iter().max());
    let known = match (low, high) {
        (Some(low), Some(high)) if (high - low) as usize + 1 == numbers.len() => {
            format!("{low} to {high}")
        }
        _ => format!("{numbers:?}"),
    };
    Err(Failure::new(
        status,
        format!("unknown {what} number {n} (the {prefix}* values are {known})"),
    ))
}

/// The C enum paired with `value` in `table`, if any.
pub(crate) fn enum_of<E: CEnum, T: Copy + PartialEq>(table: &[(E, T)], value: T) -> Option<E> {
    table.iter().find(|&&(_, v)| v == value).map(|&(e, _)| e)
}

/// Asserts that `table` gives each C number once (for the tables' unit tests).
#[cfg(test)]
pub(crate) fn assert_numbers_unique<E: CEnum, T>(table: &[(E, T)]) {
    let mut numbers: Vec<u32> = table.iter().map(|(e, _)| e.number()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), table.len(), "a C number appears twice");
}
