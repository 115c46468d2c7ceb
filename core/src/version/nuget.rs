//! NuGet versions, ordered as `NuGet.Versioning.NuGetVersion` orders them.
//!
//! Traps: up to four numeric parts (`1.2.3.4`), missing ones are zero (`1.0 == 1.0.0.0`);
//! leading zeros are allowed (`1.01 == 1.1`); release labels compare case-insensitively
//! (`1.0.0-BETA == 1.0.0-beta`), numeric labels numerically and before alphanumeric ones;
//! build metadata is ignored.

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
    /// Major, minor, patch, revision: digits without leading zeros (`""` is zero).
    numbers: [Box<str>; 4],
    /// Dot-separated release labels, lower-cased; empty for a release.
    release: Box<str>,
}

impl NugetVersion {
    /// Parses `N[.N[.N[.N]]][-label(.label)*][+metadata]`.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let err = |at: usize, kind| VersionError::new(Scheme::Nuget, input, at, kind);
        let lead = input.len() - input.trim_start().len();
        let text = input.trim();
        if text.is_empty() {
            return Err(err(0, VersionErrorKind::Empty));
        }
        let (core_and_pre, metadata) = text
            .split_once('+')
            .map_or((text, None), |(a, b)| (a, Some(b)));
        let (core, release) = core_and_pre
            .split_once('-')
            .map_or((core_and_pre, ""), |(a, b)| (a, b));
        let mut numbers: [Box<str>; 4] = Default::default();
        let mut offset = lead;
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() > 4 {
            return Err(err(
                lead,
                VersionErrorKind::Invalid("more than four numeric parts".into()),
            ));
        }
        for (i, part) in parts.iter().enumerate() {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                let found = part.chars().find(|c| !c.is_ascii_digit());
                return Err(err(
                    offset + part.find(|c: char| !c.is_ascii_digit()).unwrap_or(0),
                    found.map_or(VersionErrorKind::UnexpectedEnd, |found| {
                        VersionErrorKind::UnexpectedChar { found }
                    }),
                ));
            }
            numbers[i] = part.trim_start_matches('0').into();
            offset += part.len() + 1;
        }
        let labels_ok = |s: &str| {
            s.split('.')
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
        Ok(Self {
            numbers,
            release: release.to_ascii_lowercase().into(),
        })
    }
}

fn compare_labels(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.split('.'), b.split('.'));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(l), Some(r)) => {
                let (ln, rn) = (l.parse::<u64>().ok(), r.parse::<u64>().ok());
                let order = match (ln, rn) {
                    (Some(p), Some(q)) => p.cmp(&q),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => l.cmp(r),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

impl Ord for NugetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers
            .iter()
            .zip(&other.numbers)
            .map(|(a, b)| a.len().cmp(&b.len()).then_with(|| a.cmp(b)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then_with(
                || match (self.release.is_empty(), other.release.is_empty()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => compare_labels(&self.release, &other.release),
                },
            )
    }
}

impl PartialOrd for NugetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NugetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for NugetVersion {}

impl std::hash::Hash for NugetVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.numbers.hash(state);
    }
}
