//! RPM versions (`[epoch:]version[-release]`), ordered as `rpmvercmp` orders them, and Arch
//! Linux versions, ordered as pacman's `vercmp` (a derivative with its own rules).
//!
//! Traps: RPM compares alternating runs of digits and letters and ignores the separators
//! between them (`1.0` == `1_0`); a digit run beats a letter run (`1.0 > 1.a`); `~` sorts
//! before everything (`1.0~rc1 < 1.0`) and `^` after the end but before anything else
//! (`1.0 < 1.0^git1 < 1.0.1`). A missing release sorts before any release. pacman's `vercmp`
//! knows neither `~` nor `^`, counts separators (`1..0 > 1.0`), lets a trailing letter run lose
//! to the end (`1.0a < 1.0`), and ignores the release when only one side has one. Both split
//! the release at the last `-` (`1.0-2-3` is version `1.0-2`, release `3`).

use super::num::{compare_keyed, dotted_key};
use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;

/// An `[epoch:]version[-release]` triple, as RPM and pacman spell it.
#[derive(Debug, Clone)]
struct Evr {
    epoch: u64,
    text: super::text::Text,
    version: (usize, usize),
    release: Option<(usize, usize)>,
    /// [`dotted_key`] of the version and of the release (0 for none).
    keys: (u64, u64),
}

impl Evr {
    fn parse(scheme: Scheme, input: &str) -> Result<Self, VersionError> {
        let err = |at: usize, kind| VersionError::new(scheme, input, at, kind);
        let trimmed = super::parsing::Trimmed::new(scheme, input)?;
        let (lead, text) = (trimmed.lead, trimmed.text);
        let bytes = text.as_bytes();
        // One pass finds the first `:`, the last `-` and whether all is printable ASCII.
        let (mut colon, mut dash, mut printable) = (usize::MAX, usize::MAX, true);
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b':' => colon = colon.min(i),
                b'-' => dash = i,
                _ => printable &= b.is_ascii_graphic(),
            }
        }
        if !printable {
            trimmed.no_space_or_control()?;
        }
        // rpm takes an epoch only when everything before the first `:` is digits (an empty
        // epoch is 0); otherwise the `:` belongs to the version.
        let (epoch, start) = if colon != usize::MAX && bytes[..colon].iter().all(u8::is_ascii_digit)
        {
            let epoch = if colon == 0 {
                0
            } else {
                super::num::parse_u64(&text[..colon])
                    .ok_or_else(|| err(lead, VersionErrorKind::NumberTooLarge))?
            };
            (epoch, colon + 1)
        } else {
            (0, 0)
        };
        // The last `-` is past an epoch's `:` (an epoch has only digits).
        let (version, release) = if dash == usize::MAX {
            ((start, text.len()), None)
        } else {
            ((start, dash), Some((dash + 1, text.len())))
        };
        if version.0 == version.1 {
            return Err(err(
                lead + start,
                VersionErrorKind::Invalid("empty version".into()),
            ));
        }
        if scheme == Scheme::Alpm {
            check_alpm(text, lead, version, release)
                .map_err(|(at, why)| err(at, VersionErrorKind::Invalid(why.into())))?;
        }
        let keys = (
            dotted_key(&text.as_bytes()[version.0..version.1]),
            release.map_or(0, |(a, b)| dotted_key(&text.as_bytes()[a..b])),
        );
        Ok(Self {
            epoch,
            text: text.into(),
            version,
            release,
            keys,
        })
    }

    fn version(&self) -> &[u8] {
        &self.text.as_bytes()[self.version.0..self.version.1]
    }

    fn release(&self) -> Option<&[u8]> {
        self.release.map(|(a, b)| &self.text.as_bytes()[a..b])
    }
}

/// What alpm asks of a version beyond rpm's shape, as (offset in the input, why) when it
/// is not met. pacman's `alpm_pkg_vercmp` splits the epoch at the first `:` after leading
/// digits and the release at the LAST `-`, so a `-` inside the pkgver (`1.0-2-3`: pkgver
/// `1.0-2`, pkgrel `3`) is a separator like `.` and is accepted. Its `rpmvercmp` counts
/// separators, which makes its order intransitive for a pkgver or pkgrel that starts with
/// one (`0 > _`, `_ > _a`, but `0 < _a`), so each must start with a letter or digit; `/` and
/// `:` in a pkgver, which makepkg forbids and no package carries, are rejected by name.
fn check_alpm(
    text: &str,
    lead: usize,
    version: (usize, usize),
    release: Option<(usize, usize)>,
) -> Result<(), (usize, &'static str)> {
    let bytes = text.as_bytes();
    if !bytes[version.0].is_ascii_alphanumeric() {
        return Err((
            lead + version.0,
            "the pkgver (after any epoch) must start with a letter or digit",
        ));
    }
    if let Some(at) = (version.0..version.1).find(|&i| matches!(bytes[i], b'/' | b':')) {
        return Err((
            lead + at,
            if bytes[at] == b'/' {
                "'/' is not allowed in a pkgver (makepkg forbids it)"
            } else {
                "':' is not allowed in a pkgver after the epoch (makepkg forbids it)"
            },
        ));
    }
    match release {
        Some((a, b)) if a == b => Err((lead + a, "empty pkgrel after the last '-'")),
        Some((a, _)) if !bytes[a].is_ascii_alphanumeric() => Err((
            lead + a,
            "the pkgrel (after the last '-') must start with a letter or digit",
        )),
        _ => Ok(()),
    }
}

/// The end of the digit or letter run starting at `i`.
fn run_end(s: &[u8], i: usize, digits: bool) -> usize {
    let mut end = i;
    while end < s.len()
        && (if digits {
            s[end].is_ascii_digit()
        } else {
            s[end].is_ascii_alphabetic()
        })
    {
        end += 1;
    }
    end
}

/// Compares two runs of the same kind; digit runs numerically (leading zeros ignored).
/// Runs are short, so a plain byte loop beats a call to `memcmp`.
fn compare_runs(x: &[u8], y: &[u8], digits: bool) -> Ordering {
    fn strip(s: &[u8]) -> &[u8] {
        let zeros = s.iter().take_while(|&&b| b == b'0').count();
        &s[zeros..]
    }
    let (x, y) = if digits { (strip(x), strip(y)) } else { (x, y) };
    if digits && x.len() != y.len() {
        return x.len().cmp(&y.len());
    }
    for (p, q) in x.iter().zip(y) {
        if p != q {
            return p.cmp(q);
        }
    }
    x.len().cmp(&y.len())
}

/// rpm's `rpmvercmp`, with `~` and `^`.
///
/// The common prefix is skipped first: both strings are in the same state there, so the walk
/// can start where the last run inside it ends in both (a new round of rpm's loop).
pub(crate) fn rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if common == a.len() && common == b.len() {
        return Ordering::Equal;
    }
    // 1 for a digit, 2 for a letter, 0 for anything else or the end.
    let class = |s: &[u8], k: usize| match s.get(k) {
        Some(c) if c.is_ascii_digit() => 1,
        Some(c) if c.is_ascii_alphabetic() => 2,
        _ => 0,
    };
    let mut start = common;
    while start > 0 {
        let run = class(a, start - 1);
        if run != 0 && class(a, start) != run && class(b, start) != run {
            break;
        }
        start -= 1;
    }
    rpmvercmp_walk(&a[start..], &b[start..])
}

/// rpm's loop itself, from the start of a round.
fn rpmvercmp_walk(a: &[u8], b: &[u8]) -> Ordering {
    let separator = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while i < a.len() && separator(a[i]) {
            i += 1;
        }
        while j < b.len() && separator(b[j]) {
            j += 1;
        }
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        if x == Some(b'~') || y == Some(b'~') {
            if x != Some(b'~') {
                return Ordering::Greater;
            }
            if y != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if x == Some(b'^') || y == Some(b'^') {
            if x.is_none() {
                return Ordering::Less;
            }
            if y.is_none() {
                return Ordering::Greater;
            }
            if x != Some(b'^') {
                return Ordering::Greater;
            }
            if y != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(x), Some(_)) = (x, y) else { break };
        let digits = x.is_ascii_digit();
        let (end_a, end_b) = (run_end(a, i, digits), run_end(b, j, digits));
        if end_b == j {
            // A digit run is newer than a letter run.
            return if digits {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let order = compare_runs(&a[i..end_a], &b[j..end_b], digits);
        if order != Ordering::Equal {
            return order;
        }
        i = end_a;
        j = end_b;
    }
    match (i >= a.len(), j >= b.len()) {
        (true, true) => Ordering::Equal,
        (false, _) => Ordering::Greater,
        (true, false) => Ordering::Less,
    }
}

/// pacman's `rpmvercmp` (libalpm), which differs from rpm's: no `~`/`^`, separator counts
/// matter, and a trailing letter run loses to the end of the string.
pub(crate) fn alpm_vercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut i, mut j) = (0, 0);
    let (mut seg_a, mut seg_b) = (0, 0);
    while i < a.len() && j < b.len() {
        while i < a.len() && !a[i].is_ascii_alphanumeric() {
            i += 1;
        }
        while j < b.len() && !b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if i >= a.len() || j >= b.len() {
            break;
        }
        if i - seg_a != j - seg_b {
            return (i - seg_a).cmp(&(j - seg_b));
        }
        let digits = a[i].is_ascii_digit();
        let (end_a, end_b) = (run_end(a, i, digits), run_end(b, j, digits));
        if end_b == j {
            return if digits {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let order = compare_runs(&a[i..end_a], &b[j..end_b], digits);
        if order != Ordering::Equal {
            return order;
        }
        i = end_a;
        j = end_b;
        seg_a = i;
        seg_b = j;
    }
    if i >= a.len() && j >= b.len() {
        return Ordering::Equal;
    }
    // "We never want a remaining alpha string to beat an empty string."
    let rest_b_alpha = b.get(j).is_some_and(u8::is_ascii_alphabetic);
    let rest_a_alpha = a.get(i).is_some_and(u8::is_ascii_alphabetic);
    if (i >= a.len() && !rest_b_alpha) || rest_a_alpha {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

macro_rules! evr_type {
    ($(#[$doc:meta])* $name:ident, $scheme:expr, $cmp:expr, $release_both_only:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(Evr);

        impl $name {
            /// Parses `[epoch:]version[-release]`.
            pub fn parse(input: &str) -> Result<Self, VersionError> {
                Evr::parse($scheme, input).map(Self)
            }

            /// The epoch (0 when absent).
            pub fn epoch(&self) -> u64 {
                self.0.epoch
            }

            /// The version part.
            pub fn version(&self) -> &str {
                &self.0.text.as_str()[self.0.version.0..self.0.version.1]
            }

            /// The release part, if any.
            pub fn release(&self) -> Option<&str> {
                self.0.release.map(|(a, b)| &self.0.text.as_str()[a..b])
            }
        }

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> Ordering {
                let cmp: fn(&[u8], &[u8]) -> Ordering = $cmp;
                let (a, b) = (&self.0, &other.0);
                a.epoch.cmp(&b.epoch).then_with(|| compare_keyed((a.keys.0, a.version()), (b.keys.0, b.version()), cmp)).then_with(|| {
                    match (a.release(), b.release()) {
                        (Some(x), Some(y)) => compare_keyed((a.keys.1, x), (b.keys.1, y), cmp),
                        _ if $release_both_only => Ordering::Equal,
                        (None, None) => Ordering::Equal,
                        (None, Some(_)) => Ordering::Less,
                        (Some(_), None) => Ordering::Greater,
                    }
                })
            }
        }

        super::parsing::order_from_ord!($name);

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                // Equal versions can be spelled differently; only the epoch is canonical.
                self.0.epoch.hash(state);
            }
        }
    };
}

evr_type!(
    /// An RPM version, ordered as `rpm.vercmp` (rpmvercmp on epoch, version, release).
    ///
    /// ```
    /// use exposure::version::RpmVersion;
    /// let v = |s| RpmVersion::parse(s).unwrap();
    /// assert!(v("1.0~rc1") < v("1.0"));
    /// assert!(v("1.0") < v("1.0^git1") && v("1.0^git1") < v("1.0.1"));
    /// assert!(v("2:1.0-1") > v("1:9.9-1"));
    /// assert!(v("1.0") < v("1.0-1"));
    /// ```
    RpmVersion,
    Scheme::Rpm,
    rpmvercmp,
    false
);

evr_type!(
    /// An Arch Linux package version, ordered as pacman's `vercmp`.
    ///
    /// ```
    /// use exposure::version::AlpmVersion;
    /// let v = |s| AlpmVersion::parse(s).unwrap();
    /// assert!(v("1.0a") < v("1.0"));
    /// assert!(v("1.0") < v("1.0.a"));
    /// assert!(v("1:1.0-1") > v("2.0-1"));
    /// assert_eq!(v("1.0-1"), v("1.0"));
    /// ```
    AlpmVersion,
    Scheme::Alpm,
    alpm_vercmp,
    true
);

#[cfg(test)]
mod prefix_tests {
    use super::{rpmvercmp, rpmvercmp_walk};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Skipping the common prefix never changes rpm's answer.
        #[test]
        fn skipping_the_common_prefix_changes_nothing(
            prefix in "[0-9ab~^._]{0,6}",
            a in "[0-9ab~^._]{0,6}",
            b in "[0-9ab~^._]{0,6}",
        ) {
            let (a, b) = (format!("{prefix}{a}"), format!("{prefix}{b}"));
            prop_assert_eq!(
                rpmvercmp(a.as_bytes(), b.as_bytes()),
                rpmvercmp_walk(a.as_bytes(), b.as_bytes()),
                "{} vs {}", a, b
            );
        }
    }
}

#[cfg(test)]
mod alpm_tests {
    use super::AlpmVersion;
    use crate::version::VersionErrorKind;
    use std::cmp::Ordering;

    fn v(text: &str) -> AlpmVersion {
        AlpmVersion::parse(text).unwrap()
    }

    /// A `-` inside the pkgver is a separator; the pkgrel starts after the last `-`. Each
    /// answer is libalpm 13's `alpm_pkg_vercmp` (what `vercmp` prints).
    #[test]
    fn hyphens_inside_the_pkgver_order_as_vercmp() {
        let parsed = v("1:1.0-2-3");
        assert_eq!(
            (parsed.epoch(), parsed.version(), parsed.release()),
            (1, "1.0-2", Some("3"))
        );
        for (a, b, expected) in [
            ("1.0-2-3", "1.0-2-4", Ordering::Less),
            ("1.0-2-3", "1.0-3-1", Ordering::Less),
            ("1.0-2-3", "1.0.2-3", Ordering::Equal),
            ("1.0-2-3", "1.0.2", Ordering::Equal),
            ("1.0-2", "1.0-2-3", Ordering::Less),
            ("1.0-2-3", "1.0.1-1", Ordering::Greater),
            ("1.0-rc1-1", "1.0-1", Ordering::Greater),
            ("1.0-rc1-1", "1.0rc1-1", Ordering::Greater),
            ("1:1.0-2-3", "2.0", Ordering::Greater),
        ] {
            assert_eq!(v(a).cmp(&v(b)), expected, "{a} vs {b}");
            assert_eq!(v(b).cmp(&v(a)), expected.reverse(), "{b} vs {a}");
        }
    }

    /// Each rejection names its problem and where it is.
    #[test]
    fn errors_name_the_problem() {
        for (bad, offset, why) in [
            (
                "_1.0-1",
                0,
                "the pkgver (after any epoch) must start with a letter or digit",
            ),
            (
                "2:.1",
                2,
                "the pkgver (after any epoch) must start with a letter or digit",
            ),
            ("1.0-", 4, "empty pkgrel after the last '-'"),
            ("1.0-2-", 6, "empty pkgrel after the last '-'"),
            (
                "1.0-_1",
                4,
                "the pkgrel (after the last '-') must start with a letter or digit",
            ),
            (
                "1.0/2-1",
                3,
                "'/' is not allowed in a pkgver (makepkg forbids it)",
            ),
            (
                "1:2:3-1",
                3,
                "':' is not allowed in a pkgver after the epoch (makepkg forbids it)",
            ),
            (
                "a:1",
                1,
                "':' is not allowed in a pkgver after the epoch (makepkg forbids it)",
            ),
            (
                " 1.0/2",
                4,
                "'/' is not allowed in a pkgver (makepkg forbids it)",
            ),
        ] {
            let err = AlpmVersion::parse(bad).unwrap_err();
            assert_eq!(
                err.kind(),
                &VersionErrorKind::Invalid(why.into()),
                "{bad}: {err}"
            );
            assert_eq!(err.offset(), offset, "{bad}: {err}");
        }
    }
}
