//! Composer (Packagist) versions, ordered as Composer orders them: normalised by its
//! `VersionParser` (`2` → `2.0.0.0`, `1.0rc1` → `1.0.0.0-RC1`, `1.0-p1` → `1.0.0.0-patch1`,
//! `-stable` dropped), then compared with PHP's `version_compare`.
//!
//! Traps: `1.0 == 1.0.0` (padding; raw `version_compare` says `<`); `dev < alpha < beta <
//! RC < release < patch`; branch names (`dev-main`) are not versions; what Composer's parser
//! rejects (`1.0-foo`, `1.0-1`, `1.0.0.0.0`) is an error rather than a guess. Advisories carry
//! such versions, so matching reads them through a separate, lenient path
//! ([`ComposerVersion::parse_advisory`]).

use super::num::Num;
use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;

mod normalize;

/// Most normalised Composer versions have at most six parts (`1.2.3.0-RC1`): those stay
/// inline.
type Parts = smallvec::SmallVec<[Part; 6]>;

/// A canonical part, classified once: a number (read as `strtol` reads it) or a word with
/// its `compare_special_version_forms` rank.
///
/// Numbers are exact. Deviation, on purpose: PHP reads them with C's `strtol`, which
/// saturates at `i64::MAX`, so `version_compare` finds `9223372036854775808` and
/// `99999999999999999999` equal; Composer's `VersionParser` rejects such majors in the first
/// place, and an exact order keeps ranges over them meaningful (`^0.X` holds `0.X`).
///
/// Sixteen bytes, so that pushing a part writes it in place (see `version::atom`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    /// A number that fits in 64 bits.
    Number(u64),
    /// A larger number, as a [`Num::Big`].
    #[allow(clippy::box_collection)] // a thin pointer keeps the part at 16 bytes
    BigNumber(Box<String>),
    Word(i32),
}

impl Part {
    /// From ASCII digits.
    #[inline]
    fn number(digits: &str) -> Part {
        match Num::from_digits(digits) {
            Num::Small(n) => Part::Number(n),
            Num::Big(digits) => Part::BigNumber(digits),
        }
    }

    /// Numbers by value (a big one after every small one).
    fn cmp_numbers(&self, other: &Part) -> Ordering {
        match (self, other) {
            (Part::Number(a), Part::Number(b)) => a.cmp(b),
            (Part::Number(_), _) => Ordering::Less,
            (_, Part::Number(_)) => Ordering::Greater,
            (Part::BigNumber(a), Part::BigNumber(b)) => {
                a.len().cmp(&b.len()).then_with(|| a.cmp(b))
            }
            _ => Ordering::Equal,
        }
    }
}

/// The rank PHP gives a number when it meets a word (`#`).
const NUMBER_RANK: i32 = 4;

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
        (Part::Word(x), Part::Word(y)) => x.cmp(y),
        (_, Part::Word(y)) => NUMBER_RANK.cmp(y),
        (Part::Word(x), _) => x.cmp(&NUMBER_RANK),
        (x, y) => x.cmp_numbers(y),
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
        (Some(Part::Word(rank)), _) => rank.cmp(&NUMBER_RANK),
        (Some(_), _) => Ordering::Greater,
        (None, Some(Part::Word(rank))) => NUMBER_RANK.cmp(rank),
        (None, Some(_)) => Ordering::Less,
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
/// assert_eq!(v("1.0"), v("1.0.0"));
/// assert!(ComposerVersion::parse("dev-main").is_err());
/// assert_eq!(v("v2.3.4"), v("2.3.4"));
/// ```
#[derive(Debug, Clone)]
pub struct ComposerVersion {
    parts: Parts,
}

impl ComposerVersion {
    /// Parses a version as Composer's `VersionParser::normalize` does. What it rejects is an
    /// error naming the problem: branch names (`dev-main`), which Composer never orders, text
    /// that does not start with a number, and shapes its parser has no rule for (`1.0.0.0.0`,
    /// `1..0`, `3.1.0.post1`). Advisories, which carry such versions, read them with
    /// [`ComposerVersion::parse_advisory`].
    ///
    /// ```
    /// use exposure::version::ComposerVersion;
    /// let err = ComposerVersion::parse("1.0.0.0.0").unwrap_err();
    /// assert!(err.to_string().contains("more than four numbers"), "{err}");
    /// assert!(ComposerVersion::parse("3.1.0.post1").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        Self::parse_with(input, false)
    }

    /// Parses a version as advisories need it: as [`ComposerVersion::parse`], except that a
    /// version Composer's parser rejects but that starts with a number (`3.1.0.post1`,
    /// `0.0.1-test1`, which OSV and GHSA records for Packagist carry) is read leniently
    /// instead of being an error: its leading numbers padded to four as Composer pads them,
    /// the rest split into runs of digits and letters and compared as PHP's
    /// `version_compare` compares them, so that it sorts among normalised versions. This is
    /// the order the engine used for every Composer version before it checked validity;
    /// advisory matching ([`Version::parse_advisory`](super::Version::parse_advisory)) keeps
    /// it.
    ///
    /// ```
    /// use exposure::version::ComposerVersion;
    /// let v = |s| ComposerVersion::parse_advisory(s).unwrap();
    /// assert!(v("3.1.0") < v("3.1.0.post1") && v("3.1.0.post1") < v("3.1.1"));
    /// assert_eq!(v("1.0"), v("1.0.0")); // valid versions are normalised as ever
    /// assert!(ComposerVersion::parse_advisory("dev-main").is_err());
    /// ```
    pub fn parse_advisory(input: &str) -> Result<Self, VersionError> {
        Self::parse_with(input, true)
    }

    fn parse_with(input: &str, lenient: bool) -> Result<Self, VersionError> {
        let trimmed = super::parsing::Trimmed::new(Scheme::Composer, input)?;
        if let Some(parts) = normalize::dotted_numbers(trimmed.text.as_bytes()) {
            return Ok(Self { parts });
        }
        trimmed.no_space_or_control()?;
        match normalize::normalize(trimmed.text, lenient) {
            Ok(parts) => Ok(Self { parts }),
            Err(normalize::Rejected::Branch) => Err(trimmed.error(
                0,
                VersionErrorKind::Invalid(
                    "a branch name (dev-*, master, trunk, default) has no place in Composer's version order"
                        .into(),
                ),
            )),
            Err(normalize::Rejected::Invalid) => Err(trimmed.error(
                0,
                VersionErrorKind::Invalid("a Composer version starts with a number".into()),
            )),
            Err(normalize::Rejected::Unnormalizable(at, why)) => {
                Err(trimmed.error(at, VersionErrorKind::Invalid(why)))
            }
        }
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

super::parsing::order_from_ord!(ComposerVersion);

#[cfg(test)]
mod tests {
    use super::ComposerVersion;
    use std::cmp::Ordering;

    fn v(text: &str) -> ComposerVersion {
        ComposerVersion::parse(text).unwrap()
    }

    /// Each normal form printed by composer/semver 3.3.2's `VersionParser::normalize`.
    #[test]
    fn versions_are_normalised_as_composer_does() {
        for (text, normal) in [
            ("1.0-", "1.0.0.0"),
            ("1.0", "1.0.0.0"),
            ("2", "2.0.0.0"),
            ("v1.2", "1.2.0.0"),
            ("1.0rc1", "1.0.0.0-RC1"),
            ("1.0-p1", "1.0.0.0-patch1"),
            ("1.0-pl2", "1.0.0.0-patch2"),
            ("1.0-b", "1.0.0.0-beta"),
            ("1.0-stable", "1.0.0.0"),
            ("1.0.0+build", "1.0.0.0"),
            ("1.0@beta", "1.0.0.0"),
            ("1.0-alpha1.2", "1.0.0.0-alpha1.2"),
            ("1.0-beta-dev", "1.0.0.0-beta-dev"),
            ("1.0.dev", "1.0.0.0-dev"),
            ("1.x-dev", "1.9999999.9999999.9999999-dev"),
            ("2.1.x-dev", "2.1.9999999.9999999-dev"),
            ("12345.1", "12345.1.0.0"),
        ] {
            assert_eq!(v(text), v(normal), "{text} is {normal}");
        }
        // Dates are not padded (`2023-01-01` is `2023.01.01`), but `2023.01.01` is classical
        // and so `2023.01.01.0`; six digits and more are a date (`123456`).
        assert!(v("2023-01-01") < v("2023.01.01"));
        assert_eq!(v("2023-01-01"), v("2023:01:01"));
        assert!(v("123456") > v("12345.9"));
        // `-STABLE` is not `stable` to Composer's case-sensitive check: it stays a word.
        assert!(v("1.0-STABLE") < v("1.0"));
    }

    /// Branches are never ordered, and a version starts with a number.
    #[test]
    fn branches_and_words_are_errors() {
        for text in [
            "dev-main",
            "DEV-feature",
            "master",
            "trunk",
            "x",
            "-1",
            "v",
            "beta",
        ] {
            assert!(ComposerVersion::parse(text).is_err(), "{text}");
        }
    }

    /// Rejected by composer/semver's parser, yet carried by advisories: on the advisory path,
    /// padded like normal versions, the rest compared as `version_compare` does.
    #[test]
    fn versions_composer_rejects_sort_among_normal_ones_for_advisories() {
        let v = |s| ComposerVersion::parse_advisory(s).unwrap();
        assert!(v("3.0.0b1") < v("3.0.0b1.post1"));
        assert!(v("3.0.0b1.post1") < v("3.0.0b2"));
        assert!(v("3.1.0") < v("3.1.0.post1") && v("3.1.0.post1") < v("3.1.1"));
        assert!(v("0.0.1-test1") < v("0.0.1"));
        assert!(v("1.0.0.0.1") > v("1.0"));
    }

    /// What composer/semver 3.3.2's `VersionParser::normalize` rejects (each checked with
    /// it: `UnexpectedValueException`) is an error here, at the byte where the problem
    /// starts and naming it; the advisory path reads the same text leniently.
    #[test]
    fn versions_composer_rejects_are_errors_naming_the_problem() {
        for (bad, offset, why) in [
            ("1.0.0.0.0", 7, "more than four numbers"),
            ("v1.2.3.4.5.6", 8, "more than four numbers"),
            ("1..0", 1, "an empty number between dots"),
            ("44441672.743.847.4.ALPHA", 0, "more than five digits"),
            (
                "02.11p1-rc.2",
                5,
                "suffix \"p1-rc.2\" is not a Composer stability",
            ),
            (
                "v2019.09.05_patch.2-patch1",
                11,
                "suffix \"_patch.2-patch1\"",
            ),
            ("3.1.0.post1", 5, "suffix \".post1\""),
            ("0.0.1-test1", 5, "suffix \"-test1\""),
            ("1.0-1", 3, "suffix \"-1\""),
            ("1.0-foo", 3, "suffix \"-foo\""),
        ] {
            let err = ComposerVersion::parse(bad).unwrap_err();
            assert!(err.to_string().contains(why), "{bad}: {err}");
            assert!(
                err.to_string().contains("VersionParser rejects"),
                "{bad}: {err}"
            );
            assert_eq!(err.offset(), offset, "{bad}: {err}");
            assert!(ComposerVersion::parse_advisory(bad).is_ok(), "{bad}");
        }
        // Not a number first: an error on both paths.
        for bad in ["x1.0", "v", "beta"] {
            assert!(ComposerVersion::parse_advisory(bad).is_err(), "{bad}");
        }
    }

    /// Deviation from PHP, on purpose (see `Part::Number`): PHP's `version_compare` answers 0
    /// here because `strtol` saturates at `i64::MAX`; the numbers differ, and so do we.
    #[test]
    fn numbers_past_i64_order_exactly_unlike_php() {
        assert_eq!(
            v("1.9223372036854775808").cmp(&v("1.99999999999999999999")),
            Ordering::Less
        );
    }
}
