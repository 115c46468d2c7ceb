//! Debian package versions (`[epoch:]upstream[-revision]`), ordered as `dpkg` orders them.
//!
//! Traps: `~` sorts before everything, even the end of the string (`1.0~rc1 < 1.0`); letters
//! sort before non-letters (`1.0a < 1.0+`); a missing revision equals `-0`; the epoch beats
//! everything else (`1:0.1 > 9.9`).

use super::num::{compare_keyed, dotted_key};
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
    /// [`dotted_key`] of the upstream version and of the revision (a missing one as `0`).
    keys: (u64, u64),
}

impl DebVersion {
    /// Parses a version the way `dpkg` does: the epoch is the number before the first `:`,
    /// the revision follows the last `-`. Characters outside `[A-Za-z0-9.+~-]` (and `:` after
    /// an epoch) are rejected.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let err = |at: usize, kind| VersionError::new(Scheme::Deb, input, at, kind);
        let trimmed = super::parsing::Trimmed::new(Scheme::Deb, input)?;
        let (lead, text) = (trimmed.lead, trimmed.text);
        let bytes = text.as_bytes();
        // One pass finds the first `:`, the last `-` and the first byte dpkg never allows.
        let (mut colon, mut dash, mut bad) = (usize::MAX, usize::MAX, usize::MAX);
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b':' => colon = colon.min(i),
                b'-' => dash = i,
                b'.' | b'+' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => {}
                _ => bad = bad.min(i),
            }
        }
        let (epoch, upstream_start) = if colon == usize::MAX {
            (0, 0)
        } else {
            let digits = &bytes[..colon];
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return Err(err(
                    lead,
                    VersionErrorKind::Invalid("epoch is not a number".into()),
                ));
            }
            let epoch = super::num::parse_u64(&text[..colon])
                .ok_or_else(|| err(lead, VersionErrorKind::NumberTooLarge))?;
            (epoch, colon + 1)
        };
        let (upstream_end, revision) = if dash == usize::MAX {
            (text.len(), (text.len(), text.len()))
        } else {
            (dash, (dash + 1, text.len()))
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
        // A `:` is allowed in the upstream version only (after an epoch, which there is when
        // there is a `:` at all); the revision has none.
        let colon_in_revision = bytes[revision.0..]
            .iter()
            .position(|&b| b == b':')
            .map_or(usize::MAX, |k| revision.0 + k);
        let bad = bad.min(colon_in_revision);
        if bad != usize::MAX {
            let found = text[bad..].chars().next().unwrap_or('?');
            return Err(err(lead + bad, VersionErrorKind::UnexpectedChar { found }));
        }
        let revision_text = &bytes[revision.0..revision.1];
        let keys = (
            dotted_key(&bytes[upstream_start..upstream_end]),
            dotted_key(if revision_text.is_empty() {
                b"0"
            } else {
                revision_text
            }),
        );
        Ok(Self {
            epoch,
            text: Text::new(text),
            upstream: (upstream_start, upstream_end),
            revision,
            keys,
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
            .then_with(|| {
                compare_keyed(
                    (self.keys.0, self.upstream_bytes()),
                    (other.keys.0, other.upstream_bytes()),
                    verrevcmp,
                )
            })
            .then_with(|| {
                compare_keyed(
                    (self.keys.1, self.revision_bytes()),
                    (other.keys.1, other.revision_bytes()),
                    verrevcmp,
                )
            })
    }
}

impl std::hash::Hash for DebVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Equal versions may differ in leading zeros and a `-0` revision: hash only the epoch.
        self.epoch.hash(state);
    }
}

super::parsing::order_from_ord!(DebVersion);

#[cfg(test)]
mod tests {
    use super::{verrevcmp, verrevcmp_walk, DebVersion};
    use crate::version::{Scheme, VersionError, VersionErrorKind};
    use proptest::prelude::*;

    /// The parser before it became one pass (find, rfind, then a validation loop), kept as
    /// the reference the one-pass parser must agree with.
    fn reference_parse(input: &str) -> Result<(u64, &str, &str), VersionError> {
        let err = |at: usize, kind| VersionError::new(Scheme::Deb, input, at, kind);
        let trimmed = crate::version::parsing::Trimmed::new(Scheme::Deb, input)?;
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
        Ok((
            epoch,
            &text[upstream_start..upstream_end],
            &text[revision.0..revision.1],
        ))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The one-pass parser accepts, splits and rejects (at the same byte, with the same
        /// message) exactly what the reference does.
        #[test]
        fn one_pass_parse_agrees_with_the_reference(input in "[0-9a:~.+ _é-]{0,9}") {
            match (DebVersion::parse(&input), reference_parse(&input)) {
                (Ok(v), Ok((epoch, upstream, revision))) => {
                    prop_assert_eq!((v.epoch(), v.upstream(), v.revision()), (epoch, upstream, revision));
                }
                (Err(e), Err(r)) => prop_assert_eq!(e.to_string(), r.to_string()),
                (ours, reference) => prop_assert!(false, "{:?}: {:?} vs {:?}", input, ours, reference.map(|_| ())),
            }
        }
    }

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
