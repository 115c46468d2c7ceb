//! Numbers inside versions: most fit in 64 bits and compare without touching memory; longer
//! ones keep their digits. Every small number sorts below every big one.

use std::cmp::Ordering;

/// A non-negative integer of any length.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Num {
    Small(u64),
    /// More than fits in 64 bits: the digits, without leading zeros (so a longer text is a
    /// larger number); behind a thin pointer so that a `Num` takes 16 bytes.
    #[allow(clippy::box_collection)]
    Big(Box<String>),
}

impl Num {
    /// From ASCII digits, leading zeros allowed.
    #[allow(clippy::inline_always)] // returned through memory otherwise (see `version::atom`)
    #[inline(always)]
    pub(crate) fn from_digits(digits: &str) -> Self {
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            return Num::Small(0);
        }
        // Up to 19 digits always fit: fold them without the overflow checks of `parse`.
        if digits.len() <= 19 {
            return Num::Small(
                digits
                    .bytes()
                    .fold(0u64, |n, d| n * 10 + u64::from(d - b'0')),
            );
        }
        digits
            .parse()
            .map_or_else(|_| Num::Big(Box::new(digits.to_owned())), Num::Small)
    }
}

/// ASCII digits as a `u64`, `None` when the value does not fit; faster than `str::parse` for
/// the short numbers of versions (up to 19 digits cannot overflow, so they are folded
/// without checks). The caller guarantees `digits` is non-empty ASCII digits.
#[inline]
pub(crate) fn parse_u64(digits: &str) -> Option<u64> {
    if digits.len() <= 19 {
        Some(
            digits
                .bytes()
                .fold(0u64, |n, d| n * 10 + u64::from(d.wrapping_sub(b'0'))),
        )
    } else {
        digits.parse().ok()
    }
}

/// A sort key for the commonest shape of version text, up to four dot-separated numbers
/// below 65,535 (`7.88.1`, `10`, `2.36.1`), or 0 when `text` has another shape.
///
/// Each number is stored plus one in 16 bits, the first in the highest, so a missing number
/// (0) sorts below every present one. For such texts dpkg's `verrevcmp`, rpm's `rpmvercmp` and
/// pacman's `vercmp` all agree with the order of the keys: numbers compare by value (leading
/// zeros ignored) and a text that ends sorts below one that goes on with `.N`. Schemes compute
/// the key once at parse and compare two keys instead of walking the bytes when both have one.
pub(crate) fn dotted_key(text: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut parts = 0u32;
    let mut value = 0u32;
    let mut digits = 0u32;
    for &b in text {
        if b.is_ascii_digit() {
            value = value * 10 + u32::from(b - b'0');
            digits += 1;
            if value >= 0xFFFF {
                return 0;
            }
        } else if b == b'.' && digits > 0 && parts < 3 {
            key |= u64::from(value + 1) << (48 - 16 * parts);
            parts += 1;
            value = 0;
            digits = 0;
        } else {
            return 0;
        }
    }
    if digits == 0 {
        return 0;
    }
    key | u64::from(value + 1) << (48 - 16 * parts)
}

/// Compares two texts by their [`dotted_key`]s when both have one, else by `walk`.
#[inline]
pub(crate) fn compare_keyed(
    (key_a, a): (u64, &[u8]),
    (key_b, b): (u64, &[u8]),
    walk: fn(&[u8], &[u8]) -> Ordering,
) -> Ordering {
    if key_a != 0 && key_b != 0 {
        key_a.cmp(&key_b)
    } else {
        walk(a, b)
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Num::Small(a), Num::Small(b)) => a.cmp(b),
            (Num::Small(_), Num::Big(_)) => Ordering::Less,
            (Num::Big(_), Num::Small(_)) => Ordering::Greater,
            (Num::Big(a), Num::Big(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::Small(n) => write!(f, "{n}"),
            Num::Big(digits) => f.write_str(digits),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Num;

    #[test]
    fn parse_u64_folds_short_numbers_and_checks_long_ones() {
        use super::parse_u64;
        assert_eq!(parse_u64("0"), Some(0));
        assert_eq!(parse_u64("0000000000000000000000042"), Some(42));
        assert_eq!(
            parse_u64("9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(parse_u64("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64("18446744073709551616"), None);
    }

    #[test]
    fn numbers_order_by_value_whatever_their_length() {
        let n = Num::from_digits;
        assert_eq!(n("007"), Num::Small(7));
        assert_eq!(n("18446744073709551615"), Num::Small(u64::MAX));
        assert!(matches!(n("18446744073709551616"), Num::Big(_)));
        assert!(n("18446744073709551615") < n("18446744073709551616"));
        assert!(n("18446744073709551616") < n("99999999999999999999"));
        assert!(n("99999999999999999999") < n("100000000000000000000"));
        assert_eq!(n("000100000000000000000000"), n("100000000000000000000"));
        assert_eq!(
            n("100000000000000000000").to_string(),
            "100000000000000000000"
        );
    }
}

#[cfg(test)]
mod dotted {
    use super::dotted_key;
    use crate::version::deb::verrevcmp;
    use crate::version::rpm::{alpm_vercmp, rpmvercmp};
    use proptest::prelude::*;

    #[test]
    fn only_up_to_four_small_dotted_numbers_get_a_key() {
        assert_eq!(dotted_key(b"1"), 2 << 48);
        assert_eq!(dotted_key(b"7.88.1"), (8 << 48) | (89 << 32) | (2 << 16));
        assert_eq!(dotted_key(b"007.88.1"), dotted_key(b"7.88.1"));
        assert_ne!(dotted_key(b"1.2.3.4"), 0);
        for other in [
            &b""[..],
            b"1.2.3.4.5",
            b"1.",
            b".1",
            b"1..2",
            b"1.2a",
            b"65535",
            b"1-2",
            b"1~rc1",
        ] {
            assert_eq!(dotted_key(other), 0, "{}", String::from_utf8_lossy(other));
        }
        assert_ne!(dotted_key(b"65534"), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// For every text with a key, comparing keys is what dpkg, rpm and pacman answer.
        #[test]
        fn keys_order_as_dpkg_rpm_and_pacman(
            a in "0{0,2}[0-9]{1,4}(\\.0{0,2}[0-9]{1,3}){0,3}",
            b in "0{0,2}[0-9]{1,4}(\\.0{0,2}[0-9]{1,3}){0,3}",
        ) {
            let (ka, kb) = (dotted_key(a.as_bytes()), dotted_key(b.as_bytes()));
            prop_assume!(ka != 0 && kb != 0);
            let (a, b) = (a.as_bytes(), b.as_bytes());
            prop_assert_eq!(ka.cmp(&kb), verrevcmp(a, b));
            prop_assert_eq!(ka.cmp(&kb), rpmvercmp(a, b));
            prop_assert_eq!(ka.cmp(&kb), alpm_vercmp(a, b));
        }
    }
}

#[cfg(test)]
mod size {
    #[test]
    fn a_num_and_a_word_take_16_bytes() {
        assert_eq!(std::mem::size_of::<super::Num>(), 16);
        assert_eq!(std::mem::size_of::<super::super::text::Word>(), 16);
        assert_eq!(std::mem::size_of::<super::super::text::Text>(), 32);
    }
}
