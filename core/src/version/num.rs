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
mod size {
    #[test]
    fn a_num_and_a_word_take_16_bytes() {
        assert_eq!(std::mem::size_of::<super::Num>(), 16);
        assert_eq!(std::mem::size_of::<super::super::text::Word>(), 16);
        assert_eq!(std::mem::size_of::<super::super::text::Text>(), 32);
    }
}
