//! Composer (Packagist) versions, ordered as PHP's `version_compare` orders them, which is
//! what Composer uses for constraints on normalised versions.
//!
//! Traps: `-`, `_` and `+` are all `.`, a switch between digits and letters is a `.`
//! (`1.0rc1` is `1.0.rc.1`); words order `dev < alpha = a < beta = b < RC = rc < (number) <
//! pl = p`, matched by *prefix* (`alpha2`, `abc` are alpha) and case-sensitively (`Alpha` is
//! unknown and sorts first); `1.0 < 1.0.0`. A leading `v` is dropped as Composer does.

use super::{Scheme, VersionError};
use std::cmp::Ordering;

/// PHP's `php_canonicalize_version`, returning the parts between dots.
fn canonical_parts(version: &str) -> Vec<Part> {
    let bytes = version.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() * 2);
    let Some(&first) = bytes.first() else {
        return Vec::new();
    };
    out.push(first);
    let mut prev = first;
    let is_digit = |c: u8| c.is_ascii_digit();
    let non_digit = |c: u8| !c.is_ascii_digit() && c != b'.';
    for &c in &bytes[1..] {
        let last = *out.last().unwrap_or(&b'.');
        if matches!(c, b'-' | b'_' | b'+') {
            if last != b'.' {
                out.push(b'.');
            }
        } else if (non_digit(prev) && is_digit(c)) || (is_digit(prev) && non_digit(c)) {
            if last != b'.' {
                out.push(b'.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if last != b'.' {
                out.push(b'.');
            }
        } else {
            out.push(c);
        }
        prev = c;
    }
    out.split(|&b| b == b'.').map(Part::of).collect()
}

/// A canonical part, classified once: a number (read as `strtol` reads it) or a word with
/// its `compare_special_version_forms` rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Number(u128),
    Word(i32),
}

/// The rank PHP gives a number when it meets a word (`#`).
const NUMBER_RANK: i32 = 4;

impl Part {
    fn of(bytes: &[u8]) -> Part {
        if bytes.first().is_some_and(u8::is_ascii_digit) {
            Part::Number(
                bytes
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .fold(0u128, |n, d| {
                        n.saturating_mul(10).saturating_add(u128::from(d - b'0'))
                    }),
            )
        } else {
            Part::Word(special_rank(bytes))
        }
    }
}

/// PHP's `compare_special_version_forms` rank of a word (prefix match, case-sensitive).
fn special_rank(word: &[u8]) -> i32 {
    const FORMS: [(&str, i32); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(form, _)| word.starts_with(form.as_bytes()))
        .map_or(-6, |(_, rank)| *rank)
}

fn compare_part(a: Part, b: Part) -> Ordering {
    match (a, b) {
        (Part::Number(x), Part::Number(y)) => x.cmp(&y),
        (Part::Word(x), Part::Word(y)) => x.cmp(&y),
        (Part::Number(_), Part::Word(y)) => NUMBER_RANK.cmp(&y),
        (Part::Word(x), Part::Number(_)) => x.cmp(&NUMBER_RANK),
    }
}

fn compare_parts(a: &[Part], b: &[Part]) -> Ordering {
    let mut i = 0;
    while let (Some(&p1), Some(&p2)) = (a.get(i), b.get(i)) {
        let order = compare_part(p1, p2);
        if order != Ordering::Equal {
            return order;
        }
        // PHP stops after the last part of either side.
        i += 1;
        if i >= a.len() || i >= b.len() {
            break;
        }
    }
    match (a.get(i), b.get(i)) {
        (Some(Part::Number(_)), _) => Ordering::Greater,
        (Some(Part::Word(rank)), _) => rank.cmp(&NUMBER_RANK),
        (None, Some(Part::Number(_))) => Ordering::Less,
        (None, Some(Part::Word(rank))) => NUMBER_RANK.cmp(rank),
        (None, None) => Ordering::Equal,
    }
}

/// A Composer package version.
///
/// ```
/// use exposure::version::ComposerVersion;
/// let v = |s| ComposerVersion::parse(s).unwrap();
/// assert!(v("1.0.0-dev") < v("1.0.0-alpha1"));
/// assert!(v("1.0.0-RC1") < v("1.0.0"));
/// assert!(v("1.0.0") < v("1.0.0-pl1"));
/// assert!(v("1.0") < v("1.0.0"));
/// assert_eq!(v("v2.3.4"), v("2.3.4"));
/// ```
#[derive(Debug, Clone)]
pub struct ComposerVersion {
    parts: Vec<Part>,
}

impl ComposerVersion {
    /// Parses a version; any non-empty text without white space is accepted, as PHP does.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let trimmed = super::input::Trimmed::new(Scheme::Composer, input)?;
        let text = trimmed.text;
        trimmed.no_space_or_control()?;
        // PHP's version_compare treats a leading separator specially (it copies the first
        // character as is) and is not transitive on such input; Composer versions start
        // with a letter or digit, so we require one.
        trimmed.starts_with_letter_or_digit(|c| c.is_ascii_alphanumeric())?;
        let text = match text.as_bytes() {
            [b'v' | b'V', d, ..] if d.is_ascii_digit() => &text[1..],
            _ => text,
        };
        Ok(Self {
            parts: canonical_parts(text),
        })
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_parts(&self.parts, &other.parts)
    }
}

impl std::hash::Hash for ComposerVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts.len().hash(state);
    }
}

super::input::order_from_ord!(ComposerVersion);
