//! Numbers inside versions: most fit in 128 bits and compare without touching memory; longer
//! ones keep their digits. Every small number sorts below every big one.

/// A non-negative integer of any length.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Num {
    Small(u128),
    /// (digit count, digits without leading zeros).
    Big(usize, Box<str>),
}

impl Num {
    /// From ASCII digits, leading zeros allowed.
    pub(crate) fn from_digits(digits: &str) -> Self {
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            return Num::Small(0);
        }
        digits
            .parse()
            .map_or_else(|_| Num::Big(digits.len(), digits.into()), Num::Small)
    }

    pub(crate) fn is_zero(&self) -> bool {
        *self == Num::Small(0)
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::Small(n) => write!(f, "{n}"),
            Num::Big(_, digits) => f.write_str(digits),
        }
    }
}
