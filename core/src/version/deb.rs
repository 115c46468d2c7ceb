//! Debian package versions (`[epoch:]upstream[-revision]`), ordered as `dpkg` orders them.
//!
//! Traps: `~` sorts before everything, even the end of the string (`1.0~rc1 < 1.0`); letters
//! sort before non-letters (`1.0a < 1.0+`); a missing revision equals `-0`; the epoch beats
//! everything else (`1:0.1 > 9.9`).

use super::text::Text;
use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;

/// A Debian version.
///
/// ```
/// use exposure::version::DebVersion;
/// let v = |s| DebVersion::parse(s).unwrap();
/// assert!(v("1.0~rc1-1") < v("1.0-1"));
/// assert!(v("1:0.9") > v("2.0"));
/// assert_eq!(v("1.0"), v("1.0-0"));
/// assert_eq!(v("1:2.3.4-5").revision(), "5");
/// ```
#[derive(Debug, Clone)]
pub struct DebVersion {
    epoch: u64,
    text: Text,
    /// Byte range of the upstream version inside `text`.
    upstream: (usize, usize),
    /// Byte range of the revision inside `text` (empty when there is none).
    revision: (usize, usize),
}

impl DebVersion {
    /// Parses a version the way `dpkg` does: the epoch is the number before the first `:`,
    /// the revision follows the last `-`. Characters outside `[A-Za-z0-9.+~-]` (and `:` after
    /// an epoch) are rejected.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let err = |at: usize, kind| VersionError::new(Scheme::Deb, input, at, kind);
        let trimmed = super::input::Trimmed::new(Scheme::Deb, input)?;
        let (lead, text) = (trimmed.lead, trimmed.text);
        let (epoch, upstream_start) = match text.find(':') {
            Some(colon) => {
                let digits = &text[..colon];
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err(
                        lead,
                        VersionErrorKind::Invalid("epoch is not a number".into()),
                    ));
                }
                let epoch = digits
                    .parse()
                    .map_err(|_| err(lead, VersionErrorKind::NumberTooLarge))?;
                (epoch, colon + 1)
            }
            None => (0, 0),
        };
        let (upstream_end, revision) = match text.rfind('-') {
            Some(dash) if dash >= upstream_start => (dash, (dash + 1, text.len())),
            _ => (text.len(), (text.len(), text.len())),
        };
        if upstream_end == upstream_start {
            return Err(err(
                lead + upstream_start,
                VersionErrorKind::Invalid("empty upstream version".into()),
            ));
        }
        if upstream_end < text.len() && revision.0 == revision.1 {
            return Err(err(
                lead + upstream_end,
                VersionErrorKind::Invalid("empty revision".into()),
            ));
        }
        for (i, b) in text.bytes().enumerate().skip(upstream_start) {
            let ok = b.is_ascii_alphanumeric()
                || matches!(b, b'.' | b'+' | b'~')
                || (i < upstream_end && (b == b'-' || (b == b':' && upstream_start > 0)))
                || i == upstream_end;
            if !ok {
                let found = text[i..].chars().next().unwrap_or('?');
                return Err(err(lead + i, VersionErrorKind::UnexpectedChar { found }));
            }
        }
        Ok(Self {
            epoch,
            text: Text::new(text),
            upstream: (upstream_start, upstream_end),
            revision,
        })
    }

    /// The epoch (0 when absent).
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The upstream version.
    pub fn upstream(&self) -> &str {
        &self.text[self.upstream.0..self.upstream.1]
    }

    /// The Debian revision (empty when absent).
    pub fn revision(&self) -> &str {
        &self.text[self.revision.0..self.revision.1]
    }

    /// The version as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn upstream_bytes(&self) -> &[u8] {
        &self.text.as_bytes()[self.upstream.0..self.upstream.1]
    }

    fn revision_bytes(&self) -> &[u8] {
        &self.text.as_bytes()[self.revision.0..self.revision.1]
    }
}

/// dpkg's character order, as a table: `~` first (-1), then the end of the string and digits
/// (0), then letters (their code), then everything else (code + 256).
const ORDER: [i16; 256] = {
    let mut table = [0i16; 256];
    let mut c = 0;
    while c < 256 {
        #[allow(clippy::cast_possible_truncation)] // c < 256
        let b = c as u8;
        table[c] = if b == b'~' {
            -1
        } else if b.is_ascii_digit() {
            0
        } else if b.is_ascii_alphabetic() {
            b as i16
        } else {
            b as i16 + 256
        };
        c += 1;
    }
    table
};

/// The order of the character at `k`, 0 past the end.
fn order(s: &[u8], k: usize) -> i16 {
    s.get(k).map_or(0, |&c| ORDER[usize::from(c)])
}

/// dpkg's `verrevcmp`: alternating non-digit and digit runs. Digit runs compare by length
/// once leading zeros are skipped, then digit by digit, which is what dpkg's first-difference
/// loop amounts to.
///
/// The common prefix is skipped first: both strings are in the same state there, so the walk
/// can start at the last place inside it where dpkg's loop starts a round (the start, or a
/// non-digit right after a digit in both).
pub(crate) fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if common == a.len() && common == b.len() {
        return Ordering::Equal;
    }
    let non_digit = |s: &[u8], k: usize| s.get(k).is_none_or(|c| !c.is_ascii_digit());
    let mut start = common;
    while start > 0
        && !(a[start - 1].is_ascii_digit() && non_digit(a, start) && non_digit(b, start))
    {
        start -= 1;
    }
    verrevcmp_walk(&a[start..], &b[start..])
}

/// dpkg's loop itself, from the start of a round.
fn verrevcmp_walk(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (ac, bc) = (order(a, i), order(b, j));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let run_a = a[i.min(a.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let run_b = b[j.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if run_a != run_b {
            return run_a.cmp(&run_b);
        }
        for k in 0..run_a {
            if a[i + k] != b[j + k] {
                return a[i + k].cmp(&b[j + k]);
            }
        }
        i += run_a;
        j += run_b;
    }
    Ordering::Equal
}

impl Ord for DebVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream_bytes(), other.upstream_bytes()))
            .then_with(|| verrevcmp(self.revision_bytes(), other.revision_bytes()))
    }
}

impl std::hash::Hash for DebVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Equal versions may differ in leading zeros and a `-0` revision: hash only the epoch.
        self.epoch.hash(state);
    }
}

super::input::order_from_ord!(DebVersion);

#[cfg(test)]
mod tests {
    use super::{verrevcmp, verrevcmp_walk};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Skipping the common prefix never changes dpkg's answer.
        #[test]
        fn skipping_the_common_prefix_changes_nothing(
            prefix in "[0-9a~.+]{0,6}",
            a in "[0-9a~.+]{0,6}",
            b in "[0-9a~.+]{0,6}",
        ) {
            let (a, b) = (format!("{prefix}{a}"), format!("{prefix}{b}"));
            prop_assert_eq!(
                verrevcmp(a.as_bytes(), b.as_bytes()),
                verrevcmp_walk(a.as_bytes(), b.as_bytes()),
                "{} vs {}", a, b
            );
        }
    }
}
