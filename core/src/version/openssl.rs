//! OpenSSL release versions: `1.0.2k`, `0.9.8zh`, `0.9.7-beta3`, `3.0.7`, `3.0.0-alpha17`.
//!
//! Traps: letter releases count up `a`…`z`, then `za`…`zz` (compare by length, then
//! letters); `-alpha`/`-beta`/`-pre`/`-rc` precede the release, other suffixes (`-cvs`,
//! `-dev`) follow it but precede the next letter release (as `univers` orders them).

use super::text::Word;
use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Suffix {
    /// `-alpha2`, `-beta1`, `-pre3`, `-rc1`: (label, number).
    Pre(Word, u64),
    None,
    /// Any other `-label`.
    Post(Word),
}

/// An OpenSSL version.
///
/// ```
/// use exposure::version::OpensslVersion;
/// let v = |s| OpensslVersion::parse(s).unwrap();
/// assert!(v("0.9.8y") < v("0.9.8za"));
/// assert!(v("0.9.7-beta5") < v("0.9.7") && v("0.9.7") < v("0.9.7a"));
/// assert!(v("1.0.2zc") < v("1.0.2zc-dev") && v("1.0.2zc-dev") < v("1.0.2zd"));
/// assert!(v("1.1.1w") < v("3.0.0"));
/// ```
#[derive(Debug, Clone)]
pub struct OpensslVersion {
    numbers: smallvec::SmallVec<[u64; 4]>,
    letters: Word,
    suffix: Suffix,
}

impl OpensslVersion {
    /// Parses `N.N.N[letters][-suffix]`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let err = |at: usize, kind| VersionError::new(Scheme::Openssl, input, at, kind);
        let trimmed = super::parsing::Trimmed::new(Scheme::Openssl, input)?;
        let (lead, text) = (trimmed.lead, trimmed.text);
        let (main, suffix) = match text.bytes().position(|b| b == b'-') {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let letters_at = main
            .bytes()
            .position(|b| b.is_ascii_alphabetic())
            .unwrap_or(main.len());
        let (dotted, letters) = main.split_at(letters_at);
        let mut numbers = smallvec::SmallVec::new();
        let mut at = lead;
        for part in super::parsing::split_at_byte(dotted, b'.') {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                let found = part.chars().find(|c| !c.is_ascii_digit());
                return Err(err(
                    at,
                    found.map_or(VersionErrorKind::UnexpectedEnd, |found| {
                        VersionErrorKind::UnexpectedChar { found }
                    }),
                ));
            }
            numbers.push(
                super::num::parse_u64(part)
                    .ok_or_else(|| err(at, VersionErrorKind::NumberTooLarge))?,
            );
            at += part.len() + 1;
        }
        if !letters.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(err(
                lead + letters_at,
                VersionErrorKind::Invalid("letter release must be lower-case letters".into()),
            ));
        }
        let suffix = match suffix {
            None => Suffix::None,
            Some(s) if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                return Err(err(
                    lead + main.len() + 1,
                    VersionErrorKind::Invalid("bad suffix".into()),
                ));
            }
            Some(s) => {
                let label_len = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
                let (label, digits) = s.split_at(label_len);
                let lower = Word::lower(label);
                if matches!(lower.as_bytes(), b"alpha" | b"beta" | b"pre" | b"rc") {
                    let n = if digits.is_empty() {
                        0
                    } else {
                        digits
                            .parse()
                            .map_err(|_| err(lead, VersionErrorKind::NumberTooLarge))?
                    };
                    Suffix::Pre(lower, n)
                } else {
                    Suffix::Post(Word::lower(s))
                }
            }
        };
        Ok(Self {
            numbers,
            letters: Word::new(letters),
            suffix,
        })
    }
}

impl Ord for OpensslVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.numbers.len().max(other.numbers.len());
        (0..len)
            .map(|i| {
                self.numbers
                    .get(i)
                    .unwrap_or(&0)
                    .cmp(other.numbers.get(i).unwrap_or(&0))
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then_with(|| self.letters.len().cmp(&other.letters.len()))
            .then_with(|| self.letters.cmp(&other.letters))
            .then_with(|| self.suffix.cmp(&other.suffix))
    }
}

impl std::hash::Hash for OpensslVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let significant = self
            .numbers
            .iter()
            .rposition(|&n| n != 0)
            .map_or(0, |i| i + 1);
        (&self.numbers[..significant], &self.letters, &self.suffix).hash(state);
    }
}

super::parsing::order_from_ord!(OpensslVersion);
