//! One part of a version, a number or a word, in 16 bytes.
//!
//! Sixteen bytes is what a function returns in registers, so building a part and pushing it
//! into a list writes it straight to its place; a larger part is built on the stack first,
//! and reading it back stalls the processor (a load that spans several earlier stores cannot
//! be forwarded). Numbers up to 64 bits and words up to 14 bytes stay inline.

use std::cmp::Ordering;

/// Bytes of a word kept inline.
const INLINE: usize = 14;

/// A number or a word.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) enum Atom {
    /// A number that fits in 64 bits.
    Number(u64),
    /// A larger number: its digits without leading zeros, so that a longer text is larger.
    #[allow(clippy::box_collection)] // a thin pointer keeps the atom at 16 bytes
    BigNumber(Box<String>),
    /// A word of up to 14 bytes.
    Word { len: u8, bytes: [u8; INLINE] },
    /// A longer word.
    #[allow(clippy::box_collection)] // a thin pointer keeps the atom at 16 bytes
    LongWord(Box<String>),
}

impl Atom {
    /// From ASCII digits, leading zeros allowed.
    ///
    /// Always inlined: called out of line, the atom comes back through memory and pushing
    /// it stalls (measured: gem parse 59 → 66 ns when the inliner declined).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn number(digits: &str) -> Self {
        let digits = digits.trim_start_matches('0');
        if digits.len() <= 19 {
            // Up to 19 digits always fit: fold them without the overflow checks of `parse`.
            return Atom::Number(
                digits
                    .bytes()
                    .fold(0u64, |n, d| n * 10 + u64::from(d.wrapping_sub(b'0'))),
            );
        }
        digits.parse().map_or_else(
            |_| Atom::BigNumber(Box::new(digits.to_owned())),
            Atom::Number,
        )
    }

    /// A word as written.
    #[allow(clippy::inline_always)] // as `number`
    #[inline(always)]
    pub(crate) fn word(text: &str) -> Self {
        if text.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            #[allow(clippy::cast_possible_truncation)] // len <= INLINE
            Atom::Word {
                len: text.len() as u8,
                bytes,
            }
        } else {
            Atom::LongWord(Box::new(text.to_owned()))
        }
    }

    /// A word in ASCII lower case.
    #[allow(clippy::inline_always)] // as `number`
    #[inline(always)]
    pub(crate) fn lower_word(text: &str) -> Self {
        let mut atom = Self::word(text);
        match &mut atom {
            Atom::Word { bytes, .. } => bytes.make_ascii_lowercase(),
            Atom::LongWord(text) => text.make_ascii_lowercase(),
            Atom::Number(_) | Atom::BigNumber(_) => {}
        }
        atom
    }

    pub(crate) fn is_number(&self) -> bool {
        matches!(self, Atom::Number(_) | Atom::BigNumber(_))
    }

    pub(crate) fn is_zero(&self) -> bool {
        *self == Atom::Number(0)
    }

    /// The bytes of a word (empty for a number).
    pub(crate) fn word_bytes(&self) -> &[u8] {
        match self {
            Atom::Word { len, bytes } => &bytes[..usize::from(*len)],
            Atom::LongWord(text) => text.as_bytes(),
            Atom::Number(_) | Atom::BigNumber(_) => &[],
        }
    }
}

impl PartialOrd for Atom {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Atom {
    /// Numbers by value, words by bytes, every number before every word.
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Atom::Number(a), Atom::Number(b)) => a.cmp(b),
            (Atom::Number(_), Atom::BigNumber(_)) => Ordering::Less,
            (Atom::BigNumber(_), Atom::Number(_)) => Ordering::Greater,
            (Atom::BigNumber(a), Atom::BigNumber(b)) => {
                a.len().cmp(&b.len()).then_with(|| a.cmp(b))
            }
            (a, b) => match (a.is_number(), b.is_number()) {
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                _ => a.word_bytes().cmp(b.word_bytes()),
            },
        }
    }
}

impl std::fmt::Display for Atom {
    /// A number in decimal, a word as written.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Atom::Number(n) => write!(f, "{n}"),
            Atom::BigNumber(digits) => f.write_str(digits),
            word => f.write_str(&String::from_utf8_lossy(word.word_bytes())),
        }
    }
}

impl std::fmt::Debug for Atom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Atom::Number(n) => write!(f, "{n}"),
            Atom::BigNumber(digits) => f.write_str(digits),
            word => write!(f, "{:?}", String::from_utf8_lossy(word.word_bytes())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Atom;
    use std::cmp::Ordering;

    #[test]
    fn an_atom_takes_16_bytes() {
        assert_eq!(std::mem::size_of::<Atom>(), 16);
    }

    #[test]
    fn numbers_order_by_value_and_before_words() {
        let n = Atom::number;
        assert_eq!(n("007"), Atom::Number(7));
        assert_eq!(n("18446744073709551615"), Atom::Number(u64::MAX));
        assert!(matches!(n("18446744073709551616"), Atom::BigNumber(_)));
        assert_eq!(
            n("18446744073709551615").cmp(&n("18446744073709551616")),
            Ordering::Less
        );
        assert_eq!(
            n("99999999999999999999").cmp(&n("100000000000000000000")),
            Ordering::Less
        );
        assert_eq!(n("99").cmp(&Atom::word("a")), Ordering::Less);
        assert_eq!(
            Atom::word("alpha").cmp(&Atom::word("a-very-long-word-indeed")),
            Ordering::Greater
        );
        assert_eq!(Atom::lower_word("RC"), Atom::word("rc"));
        assert_eq!(
            Atom::lower_word("A-Very-Long-Word-Indeed").word_bytes(),
            b"a-very-long-word-indeed"
        );
    }
}
