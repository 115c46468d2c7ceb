//! Composer (Packagist) versions, ordered as PHP's `version_compare` orders them, which is
//! what Composer uses for constraints on normalised versions.
//!
//! Traps: `-`, `_` and `+` are all `.`, a switch between digits and letters is a `.`
//! (`1.0rc1` is `1.0.rc.1`); words order `dev < alpha = a < beta = b < RC = rc < (number) <
//! pl = p`, matched by *prefix* (`alpha2`, `abc` are alpha) and case-sensitively (`Alpha` is
//! unknown and sorts first); `1.0 < 1.0.0`. A leading `v` is dropped as Composer does.

use super::num::Num;
use super::{Scheme, VersionError};
use std::cmp::Ordering;

/// Most Composer versions have at most six canonical parts: those stay inline.
type Parts = smallvec::SmallVec<[Part; 6]>;

/// The parts of PHP's `php_canonicalize_version`, read without building its string.
///
/// PHP's canonical form puts a `.` between a run of digits and a run of letters, turns every
/// other character into a `.` and never writes two dots in a row; its parts are therefore the
/// runs of ASCII digits and of ASCII letters, plus one empty part when the version ends with
/// a separator (`1.0-` is `1.0.`). The caller guarantees a letter or digit first, the one
/// place where PHP copies a character as is.
fn canonical_parts(version: &str) -> Parts {
    let bytes = version.as_bytes();
    let mut parts = Parts::new();
    let mut i = 0;
    while i < bytes.len() {
        let digits = bytes[i].is_ascii_digit();
        if !digits && !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let len = bytes[i..]
            .iter()
            .take_while(|b| {
                if digits {
                    b.is_ascii_digit()
                } else {
                    b.is_ascii_alphabetic()
                }
            })
            .count();
        parts.push(Part::of(&bytes[i..i + len]));
        i += len;
    }
    if bytes.last().is_some_and(|b| !b.is_ascii_alphanumeric()) {
        parts.push(Part::of(b""));
    }
    parts
}

/// A canonical part, classified once: a number (read as `strtol` reads it) or a word with
/// its `compare_special_version_forms` rank.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    /// The number, exactly. Deviation, on purpose: PHP reads it with C's `strtol`, which
    /// saturates at `i64::MAX`, so `version_compare` finds `9223372036854775808` and
    /// `99999999999999999999` equal; Composer's `VersionParser` rejects such versions in the
    /// first place, and an exact order keeps ranges over them meaningful (`^X` holds `X`).
    Number(Num),
    Word(i32),
}

/// The rank PHP gives a number when it meets a word (`#`).
const NUMBER_RANK: i32 = 4;

impl Part {
    fn of(bytes: &[u8]) -> Part {
        if bytes.first().is_some_and(u8::is_ascii_digit) {
            // Only ASCII digits here, so the text is UTF-8.
            Part::Number(Num::from_digits(
                std::str::from_utf8(bytes).unwrap_or_default(),
            ))
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

fn compare_part(a: &Part, b: &Part) -> Ordering {
    match (a, b) {
        (Part::Number(x), Part::Number(y)) => x.cmp(y),
        (Part::Word(x), Part::Word(y)) => x.cmp(y),
        (Part::Number(_), Part::Word(y)) => NUMBER_RANK.cmp(y),
        (Part::Word(x), Part::Number(_)) => x.cmp(&NUMBER_RANK),
    }
}

fn compare_parts(a: &[Part], b: &[Part]) -> Ordering {
    let mut i = 0;
    while let (Some(p1), Some(p2)) = (a.get(i), b.get(i)) {
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
    parts: Parts,
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

#[cfg(test)]
mod tests {
    use super::ComposerVersion;
    use std::cmp::Ordering;

    fn cmp(a: &str, b: &str) -> Ordering {
        ComposerVersion::parse(a)
            .unwrap()
            .cmp(&ComposerVersion::parse(b).unwrap())
    }

    /// Checked with PHP 8.2's `version_compare`, except the last line: PHP answers -1 for
    /// `1.0-` against itself (its loop leaves the empty last part to be compared with a
    /// number), which no order can do; a version equals itself here.
    #[test]
    fn a_trailing_separator_is_an_empty_part_below_a_number() {
        assert_eq!(cmp("1.0-", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0-", "1.0.0"), Ordering::Less);
        assert_eq!(cmp("1.0-", "1.0.1"), Ordering::Less);
        assert_eq!(cmp("1.0-", "1.0_"), Ordering::Equal);
    }

    /// Deviation from PHP, on purpose (see `Part::Number`): PHP's `version_compare` answers 0
    /// here because `strtol` saturates at `i64::MAX`; the numbers differ, and so do we.
    #[test]
    fn numbers_past_i64_order_exactly_unlike_php() {
        assert_eq!(
            cmp("9223372036854775808", "99999999999999999999"),
            Ordering::Less
        );
    }
}
