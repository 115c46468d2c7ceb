//! NuGet versions, ordered as `NuGet.Versioning.NuGetVersion` orders them.
//!
//! Traps: up to four numeric parts (`1.2.3.4`), missing ones are zero (`1.0 == 1.0.0.0`);
//! leading zeros are allowed (`1.01 == 1.1`); release labels compare case-insensitively
//! (`1.0.0-BETA == 1.0.0-beta`), numeric labels numerically and before alphanumeric ones;
//! build metadata is ignored.
//!
//! Numeric parts are read as `System.Version` reads them (`Int32.Parse` with
//! `NumberStyles.Integer`): white space (U+0009–U+000D, U+0020) around a part is allowed
//! (`19   .   19 == 19.19.0.0`) and a part above 2147483647 is rejected. Versions taken from
//! advisories ([`NugetVersion::parse_advisory`]) keep parts of any length.

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
            // `Int32.Parse` with `NumberStyles.Integer` allows white space around the digits
            // (its signs cannot occur: `-` and `+` end the numeric parts).
            let white = |c: char| matches!(c, '\t'..='\r' | ' ');
            let start = part.len() - part.trim_start_matches(white).len();
            let digits = part.trim_matches(white);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                let found = digits.chars().find(|c| !c.is_ascii_digit());
                return Err(err(
                    offset + start + digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(0),
                    found.map_or(VersionErrorKind::UnexpectedEnd, |found| {
                        VersionErrorKind::UnexpectedChar { found }
                    }),
                ));
            }
            let int32 = digits.trim_start_matches('0');
            if !any_length && (int32.len() > 10 || (int32.len() == 10 && int32 > "2147483647")) {
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
        let labels = if release.is_empty() {
            smallvec::SmallVec::new()
        } else {
            super::parsing::split_at_byte(release, b'.')
                .map(|l| {
                    if l.bytes().all(|b| b.is_ascii_digit()) {
                        Atom::number(l)
                    } else {
                        Atom::lower_word(l)
                    }
                })
                .collect()
        };
        Ok(Self { numbers, labels })
    }
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
}
