//! NuGet versions, ordered as `NuGet.Versioning.NuGetVersion` orders them.
//!
//! Traps: up to four numeric parts (`1.2.3.4`), missing ones are zero (`1.0 == 1.0.0.0`);
//! leading zeros are allowed in them (`1.01 == 1.1`) but not in a numeric release label
//! (`1.0.0-beta.01` is rejected); release labels compare case-insensitively
//! (`1.0.0-BETA == 1.0.0-beta`), numeric labels numerically and before alphanumeric ones, a
//! numeric label above 2147483647 as text (`int.TryParse` fails on it); build metadata is
//! ignored.
//!
//! Numeric parts are read as `NuGetVersion.TryParse` reads them: white space
//! (`char.IsWhiteSpace`, the same set as Rust's `char::is_whitespace`) around a part is
//! allowed (`19   .   19 == 19.19.0.0`), inside one it is not (`1 9`), and a part above
//! 2147483647 is rejected. Versions taken from advisories ([`NugetVersion::parse_advisory`])
//! keep parts of any length.
//!
//! Not followed: a label of a dash and digits (`1.0.0--5`) is a negative number to NuGet's
//! `int.TryParse`; here it is a word, ordered after every number.
//!
//! The cases of NuGet.Versioning's own tests are checked in `tests/vectors/nuget-versioning.tsv`.

use super::atom::Atom;
use super::num::Num;
use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;

/// A NuGet version.
///
/// ```
/// use exposure::version::NugetVersion;
/// let v = |s| NugetVersion::parse(s).unwrap();
/// assert_eq!(v("1.0"), v("1.0.0.0"));
/// assert_eq!(v("1.0.0-BETA"), v("1.0.0-beta"));
/// assert!(v("1.0.0-beta.2") < v("1.0.0-beta.10"));
/// assert!(v("1.0.0-rc.1") < v("1.0.0"));
/// assert!(v("1.0.0.1") > v("1.0.0"));
/// ```
#[derive(Debug, Clone)]
pub struct NugetVersion {
    /// Major, minor, patch, revision.
    numbers: [Num; 4],
    /// Release labels, parsed once: numbers (as digits without leading zeros) and lower-cased
    /// words; empty for a release.
    labels: smallvec::SmallVec<[Label; 2]>,
}

/// One release label: a number sorts before a word, numbers numerically, words ordinally
/// ignoring case (lower-cased at parse), which is [`Atom`]'s order.
type Label = Atom;

impl NugetVersion {
    /// Parses `N[.N[.N[.N]]][-label(.label)*][+metadata]` as `NuGetVersion.Parse` does:
    /// each part an Int32, white space around it allowed.
    ///
    /// ```
    /// use exposure::version::NugetVersion;
    /// assert_eq!(NugetVersion::parse("19   .   19").unwrap(), NugetVersion::parse("19.19.0.0").unwrap());
    /// assert!(NugetVersion::parse("2147483647.0").is_ok());
    /// assert!(NugetVersion::parse("2147483648.0").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        Self::parse_with(input, false)
    }

    /// Parses a version an advisory carries: as [`NugetVersion::parse`], but numeric parts
    /// of any length are kept (osv-scalibr's vectors compare 30-digit parts).
    ///
    /// ```
    /// use exposure::version::NugetVersion;
    /// let big = NugetVersion::parse_advisory("999999999999999999999999999999").unwrap();
    /// assert!(big > NugetVersion::parse_advisory("999999999999999999999999999991").unwrap());
    /// ```
    pub fn parse_advisory(input: &str) -> Result<Self, VersionError> {
        Self::parse_with(input, true)
    }

    fn parse_with(input: &str, any_length: bool) -> Result<Self, VersionError> {
        let err = |at: usize, kind| VersionError::new(Scheme::Nuget, input, at, kind);
        let trimmed = super::parsing::Trimmed::new(Scheme::Nuget, input)?;
        let (lead, text) = (trimmed.lead, trimmed.text);
        let (core_and_pre, metadata) = match text.bytes().position(|b| b == b'+') {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let (core, release) = match core_and_pre.bytes().position(|b| b == b'-') {
            Some(i) => (&core_and_pre[..i], &core_and_pre[i + 1..]),
            None => (core_and_pre, ""),
        };
        let mut numbers = [const { Num::Small(0) }; 4];
        let mut offset = lead;
        for (i, part) in super::parsing::split_at_byte(core, b'.').enumerate() {
            if i == numbers.len() {
                return Err(err(
                    lead,
                    VersionErrorKind::Invalid("more than four numeric parts".into()),
                ));
            }
            // White space (`char.IsWhiteSpace`, Rust's `char::is_whitespace`) may surround
            // the digits (its signs cannot occur: `-` and `+` end the numeric parts).
            let start = part.len() - part.trim_start().len();
            let digits = part.trim();
            if digits.is_empty() {
                return Err(err(offset + start, VersionErrorKind::UnexpectedEnd));
            }
            if let Some(first) = digits.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
                // The first character that is neither a digit nor white space, else the white
                // space between two runs of digits (`1 9`).
                let (at, found) = digits
                    .char_indices()
                    .find(|(_, c)| !c.is_ascii_digit() && !c.is_whitespace())
                    .unwrap_or(first);
                return Err(err(
                    offset + start + at,
                    VersionErrorKind::UnexpectedChar { found },
                ));
            }
            if !any_length && !fits_int32(digits) {
                return Err(err(
                    offset + start,
                    VersionErrorKind::Invalid("a numeric part above 2147483647".into()),
                ));
            }
            numbers[i] = Num::from_digits(digits);
            offset += part.len() + 1;
        }
        let labels_ok = |s: &str| {
            super::parsing::split_at_byte(s, b'.')
                .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        };
        if core_and_pre.len() > core.len() && !labels_ok(release) {
            return Err(err(
                lead + core.len() + 1,
                VersionErrorKind::Invalid("bad release label".into()),
            ));
        }
        if metadata.is_some_and(|m| !labels_ok(m)) {
            return Err(err(
                lead + core_and_pre.len() + 1,
                VersionErrorKind::Invalid("bad metadata".into()),
            ));
        }
        let mut labels = smallvec::SmallVec::new();
        if !release.is_empty() {
            let mut at = lead + core.len() + 1;
            for l in super::parsing::split_at_byte(release, b'.') {
                labels.push(if !l.bytes().all(|b| b.is_ascii_digit()) {
                    Atom::lower_word(l)
                } else if l.len() > 1 && l.starts_with('0') {
                    // `IsValidPart(label, allowLeadingZeros: false)`; build metadata may.
                    return Err(err(
                        at,
                        VersionErrorKind::Invalid(
                            "a numeric release label with a leading zero".into(),
                        ),
                    ));
                } else if fits_int32(l) {
                    Atom::number(l)
                } else {
                    // `int.TryParse` fails: NuGet compares the label as text.
                    Atom::lower_word(l)
                });
                at += l.len() + 1;
            }
        }
        Ok(Self { numbers, labels })
    }
}

/// Whether ASCII `digits` (leading zeros allowed) are at most 2147483647, `Int32.MaxValue`.
fn fits_int32(digits: &str) -> bool {
    let significant = digits.trim_start_matches('0');
    significant.len() < 10 || (significant.len() == 10 && significant <= "2147483647")
}

impl Ord for NugetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.labels.cmp(&other.labels),
            }
        })
    }
}

impl std::hash::Hash for NugetVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.numbers.hash(state);
    }
}

super::parsing::order_from_ord!(NugetVersion);

#[cfg(test)]
mod tests {
    use super::NugetVersion;

    fn v(s: &str) -> NugetVersion {
        NugetVersion::parse(s).unwrap()
    }

    #[test]
    fn white_space_around_parts_is_allowed_as_int32_parse_allows_it() {
        assert_eq!(v("19   .   19"), v("19.19.0.0"));
        assert_eq!(v(" 1 .\t2 . 3 -beta"), v("1.2.3-beta"));
        for bad in ["1 2.0", "1. .2", "1..2", "1.0-be ta", "1.0+me ta"] {
            assert!(NugetVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parts_are_int32() {
        assert_eq!(v("2147483647.0"), v("2147483647"));
        assert_eq!(v("0002147483647"), v("2147483647"));
        for bad in ["2147483648", "1.2147483648", "1.0.0.99999999999"] {
            let e = NugetVersion::parse(bad).unwrap_err();
            assert!(e.to_string().contains("2147483647"), "{bad}: {e}");
            assert!(NugetVersion::parse_advisory(bad).is_ok(), "{bad}");
        }
        assert!(
            NugetVersion::parse_advisory("2147483648").unwrap()
                > NugetVersion::parse_advisory("2147483647").unwrap()
        );
    }

    #[test]
    fn white_space_is_char_is_white_space_and_errors_point_past_it() {
        assert_eq!(v("1\u{a0}.\u{3000}2"), v("1.2"));
        let e = NugetVersion::parse("1.0 /x").unwrap_err();
        assert_eq!(
            (e.offset(), e.kind().to_string()),
            (4, "unexpected character '/'".into())
        );
        let e = NugetVersion::parse("1.1 9").unwrap_err();
        assert_eq!(
            (e.offset(), e.kind().to_string()),
            (3, "unexpected character ' '".into())
        );
    }

    #[test]
    fn numeric_release_labels_have_no_leading_zero() {
        for bad in ["0.1.2-02", "0.1.2-2.02", "0.1.2-2.A.02", "1.0.0-beta.00"] {
            let e = NugetVersion::parse(bad).unwrap_err();
            assert!(e.to_string().contains("leading zero"), "{bad}: {e}");
            assert!(NugetVersion::parse_advisory(bad).is_err(), "{bad}");
        }
        assert_eq!(NugetVersion::parse("0.1.2-2.02").unwrap_err().offset(), 8);
        // Not numeric, or metadata: allowed.
        for good in [
            "0.1.2-02A",
            "0.1.2-A02.A",
            "0.1.2-0",
            "0.1.2+02",
            "0.1.2+000000",
        ] {
            assert!(NugetVersion::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn a_numeric_label_above_int32_compares_as_text() {
        // `int.TryParse` fails on it: both are compared ordinally, "1…" before "9…".
        assert!(v("1.0.0-10000000000") < v("1.0.0-9999999999"));
        assert!(v("1.0.0-2147483647") < v("1.0.0-2147483648"));
        assert!(v("1.0.0-3") < v("1.0.0-2147483648"));
        assert!(v("1.0.0-2147483648") < v("1.0.0-a"));
    }
}
