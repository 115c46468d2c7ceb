//! Version ranges: one canonical model, an ordered set of disjoint intervals over one
//! [`Scheme`], built from the range syntaxes that feeds use.
//!
//! Built from OSV `ranges[].events` ([`Range::from_osv_events`]), purl `vers:` strings
//! ([`Vers`]), NVD CPE-match bounds ([`NvdBounds`]) and each ecosystem's native syntax
//! ([`parse_range`]); all produce the same model, with set algebra on it.
//!
//! Traps:
//! - OSV events need not be listed in order (PyPA lists `introduced: 2.0.0, fixed: 2.0.7,
//!   introduced: 0, fixed: 1.26.18`); they are sorted by version before they are walked.
//! - `introduced: "0"` means "from the very first version", not the version `0`.
//! - `last_affected` closes an interval inclusively, `fixed` exclusively; `limit` caps the
//!   whole range.

mod algebra;
mod native;
mod nvd;
mod osv;
mod vers;

#[cfg(test)]
mod tests;

pub use native::{
    is_vers, parse_range, ConanPrereleases, ConanRange, HexRequirement, RangeSyntaxError,
    RangeSyntaxErrorKind,
};
pub use nvd::NvdBounds;
pub use osv::{OsvEvent, RangeError};
pub use vers::{Comparator, Constraint, Vers, VersError, VersErrorKind, VersScheme};

use crate::version::{CompareError, Scheme, Version, VersionError};
use std::cmp::Ordering;
use std::fmt;

/// One end of an interval.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bound {
    /// The version at the end of the interval.
    pub version: Version,
    /// Whether the version itself belongs to the interval.
    pub inclusive: bool,
}

/// A contiguous set of versions; `None` ends are unbounded.
///
/// ```
/// use exposure::range::{Bound, Interval};
/// use exposure::version::{Scheme, Version};
/// let v = |s| Version::parse(Scheme::Pypi, s).unwrap();
/// let interval = Interval {
///     lower: Some(Bound { version: v("2.3.0"), inclusive: true }),
///     upper: Some(Bound { version: v("2.31.0"), inclusive: false }),
/// };
/// assert!(interval.contains(&v("2.28.1")));
/// assert!(!interval.contains(&v("2.31.0")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Interval {
    /// Lower end, `None` for "every version below the upper end".
    pub lower: Option<Bound>,
    /// Upper end, `None` for "every version from the lower end on".
    pub upper: Option<Bound>,
}

impl Interval {
    /// Whether `version` lies inside. A version of another scheme never does.
    pub fn contains(&self, version: &Version) -> bool {
        let above_lower = self
            .lower
            .as_ref()
            .is_none_or(|b| match version.try_cmp(&b.version) {
                Ok(Ordering::Greater) => true,
                Ok(Ordering::Equal) => b.inclusive,
                Ok(Ordering::Less) | Err(_) => false,
            });
        above_lower
            && self
                .upper
                .as_ref()
                .is_none_or(|b| match version.try_cmp(&b.version) {
                    Ok(Ordering::Less) => true,
                    Ok(Ordering::Equal) => b.inclusive,
                    Ok(Ordering::Greater) | Err(_) => false,
                })
            && self.admits_spelling(version)
    }

    /// A single-version interval whose end is a PyPI `===V` bound holds only V's own
    /// spelling (`===1.0` holds `1.0`, not the equal `1.0.0`); every other interval holds all
    /// versions its order puts inside.
    fn admits_spelling(&self, version: &Version) -> bool {
        match (&self.lower, &self.upper) {
            (Some(lo), Some(hi)) if lo.inclusive && hi.inclusive => {
                lo.version.admits_spelling(version) && hi.version.admits_spelling(version)
            }
            _ => true,
        }
    }

    /// Writes the interval as purl `vers` constraints (`>=2.3.0|<2.31.0`, `*` when unbounded).
    fn write_constraints(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.lower, &self.upper) {
            (None, None) => f.write_str("*"),
            (Some(lo), Some(hi)) if lo.inclusive && hi.inclusive && lo.version == hi.version => {
                write!(f, "{}", lo.version)
            }
            (lower, upper) => {
                if let Some(lo) = lower {
                    write!(f, "{}{}", if lo.inclusive { ">=" } else { ">" }, lo.version)?;
                }
                if let Some(hi) = upper {
                    if lower.is_some() {
                        f.write_str("|")?;
                    }
                    write!(f, "{}{}", if hi.inclusive { "<=" } else { "<" }, hi.version)?;
                }
                Ok(())
            }
        }
    }
}

/// A set of versions of one scheme, as disjoint intervals in ascending order.
///
/// Displays as a purl `vers:` string.
///
/// ```
/// use exposure::range::{OsvEvent, Range};
/// use exposure::version::{Scheme, Version};
/// let events = [
///     OsvEvent::Introduced("2.0.0".into()), OsvEvent::Fixed("2.0.7".into()),
///     OsvEvent::Introduced("0".into()), OsvEvent::Fixed("1.26.18".into()),
/// ];
/// let range = Range::from_osv_events(Scheme::Pypi, &events)?;
/// assert_eq!(range.to_string(), "vers:pypi/<1.26.18|>=2.0.0|<2.0.7");
/// assert!(range.contains(&Version::parse(Scheme::Pypi, "1.26.5")?));
/// assert!(!range.contains(&Version::parse(Scheme::Pypi, "2.0.7")?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Range {
    scheme: Scheme,
    intervals: Vec<Interval>,
}

impl Range {
    /// The scheme whose versions this range contains.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The intervals, disjoint and in ascending order.
    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    /// Whether `version` is in the range. A version of another scheme never is (see
    /// [`Range::try_contains`], which says so).
    pub fn contains(&self, version: &Version) -> bool {
        self.interval_containing(version).is_some()
    }

    /// Whether `version` is in the range; a version of another scheme is an error.
    ///
    /// ```
    /// use exposure::range::parse_range;
    /// use exposure::version::{Scheme, Version};
    /// let range = parse_range(Scheme::Npm, "^1.2.3")?;
    /// assert_eq!(range.try_contains(&Version::parse(Scheme::Npm, "1.9.0")?), Ok(true));
    /// assert!(range.try_contains(&Version::parse(Scheme::Pypi, "1.9.0")?).is_err());
    /// assert_eq!(range.contains_text("2.0.0").map_err(|e| e.to_string()), Ok(false));
    /// # Ok::<(), exposure::Error>(())
    /// ```
    pub fn try_contains(&self, version: &Version) -> Result<bool, CompareError> {
        if version.scheme() == self.scheme {
            Ok(self.contains(version))
        } else {
            Err(CompareError {
                left: self.scheme,
                right: version.scheme(),
            })
        }
    }

    /// Whether the version `text`, read in the range's scheme, is in the range.
    pub fn contains_text(&self, text: &str) -> Result<bool, VersionError> {
        Ok(self.contains(&Version::parse(self.scheme, text)?))
    }

    /// The interval that holds `version`, if any: the evidence of a match.
    pub fn interval_containing(&self, version: &Version) -> Option<&Interval> {
        self.intervals
            .iter()
            .find(|interval| interval.contains(version))
    }

    /// Whether the range holds no version at all.
    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }
}

/// A version's text as a canonical `vers:` constraint spells it.
fn encoded(version: &Version) -> String {
    let mut out = String::new();
    vers::encode(version.as_str(), &mut out);
    out
}

impl fmt::Display for Range {
    /// The simplest `vers:` string for the set: `*` for everything, `vers:none/*` for
    /// nothing, a single version without comparator, and a one-version gap as `!=`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.intervals.is_empty() {
            return f.write_str("vers:none/*");
        }
        write!(f, "vers:{}/", self.scheme)?;
        let mut first = true;
        let mut sep = |f: &mut fmt::Formatter<'_>| -> fmt::Result {
            if !std::mem::take(&mut first) {
                f.write_str("|")?;
            }
            Ok(())
        };
        let count = self.intervals.len();
        for (i, interval) in self.intervals.iter().enumerate() {
            match (&interval.lower, &interval.upper) {
                (None, None) => {
                    sep(f)?;
                    f.write_str("*")?;
                }
                (Some(lo), Some(hi))
                    if lo.inclusive && hi.inclusive && lo.version == hi.version =>
                {
                    sep(f)?;
                    f.write_str(&encoded(&lo.version))?;
                }
                (lower, upper) => {
                    // A lower end that reopens right after the previous interval's open end
                    // at the same version was already written as `!=`.
                    let gap_before = i > 0
                        && matches!((&self.intervals[i - 1].upper, lower), (Some(u), Some(l))
                            if !u.inclusive && !l.inclusive && u.version == l.version);
                    if let (Some(lo), false) = (lower, gap_before) {
                        sep(f)?;
                        write!(
                            f,
                            "{}{}",
                            if lo.inclusive { ">=" } else { ">" },
                            encoded(&lo.version)
                        )?;
                    }
                    if let Some(hi) = upper {
                        let gap_after = i + 1 < count
                            && matches!(&self.intervals[i + 1].lower, Some(l)
                                if !hi.inclusive && !l.inclusive && l.version == hi.version);
                        sep(f)?;
                        if gap_after {
                            write!(f, "!={}", encoded(&hi.version))?;
                        } else {
                            write!(
                                f,
                                "{}{}",
                                if hi.inclusive { "<=" } else { "<" },
                                encoded(&hi.version)
                            )?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Formats one interval as a purl `vers:` string of its own.
///
/// ```
/// use exposure::range::{interval_to_vers, Bound, Interval};
/// use exposure::version::{Scheme, Version};
/// let fixed = Version::parse(Scheme::Npm, "4.17.21")?;
/// let interval = Interval { lower: None, upper: Some(Bound { version: fixed, inclusive: false }) };
/// assert_eq!(interval_to_vers(Scheme::Npm, &interval), "vers:npm/<4.17.21");
/// # Ok::<(), exposure::version::VersionError>(())
/// ```
pub fn interval_to_vers(scheme: Scheme, interval: &Interval) -> String {
    struct Shown<'a>(&'a Interval);
    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.write_constraints(f)
        }
    }
    format!("vers:{scheme}/{}", Shown(interval))
}
