//! NVD CPE-match bounds: `versionStartIncluding`, `versionStartExcluding`,
//! `versionEndIncluding`, `versionEndExcluding`, or an exact version from the CPE name.

use super::native::{RangeSyntaxError, RangeSyntaxErrorKind};
use super::{Bound, Interval, Range};
use crate::version::{Scheme, Version};

/// The version bounds of one NVD `cpeMatch` (`cpe_match` in JSON 1.1) entry.
///
/// ```
/// use exposure::range::NvdBounds;
/// use exposure::version::{Scheme, Version};
/// let bounds = NvdBounds { start_including: Some("2.0"), end_excluding: Some("2.8.2"), ..NvdBounds::default() };
/// let range = bounds.to_range(Scheme::Generic)?;
/// assert_eq!(range.to_string(), "vers:generic/>=2.0|<2.8.2");
/// assert!(!range.contains(&Version::parse(Scheme::Generic, "1.2.17")?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NvdBounds<'a> {
    /// `versionStartIncluding`.
    pub start_including: Option<&'a str>,
    /// `versionStartExcluding`.
    pub start_excluding: Option<&'a str>,
    /// `versionEndIncluding`.
    pub end_including: Option<&'a str>,
    /// `versionEndExcluding`.
    pub end_excluding: Option<&'a str>,
    /// The version attribute of the CPE name when no bound is given (`*` or `-` mean none).
    pub exact: Option<&'a str>,
}

impl NvdBounds<'_> {
    /// The range these bounds describe, with versions parsed in `scheme`. No bound and a CPE
    /// version of `*` means every version; `-` (NA) or an empty exact version means the range
    /// cannot say anything about versions, which is an error here rather than a guess. The
    /// input of an error is the bound (or CPE version) that was wrong.
    ///
    /// ```
    /// use exposure::range::{NvdBounds, RangeSyntaxErrorKind};
    /// use exposure::version::Scheme;
    /// let bounds = NvdBounds { end_excluding: Some(" 2.8/2"), ..NvdBounds::default() };
    /// let err = bounds.to_range(Scheme::Pypi).unwrap_err();
    /// assert!(matches!(err.kind(), RangeSyntaxErrorKind::Version(_)));
    /// assert_eq!((err.input(), err.offset()), (" 2.8/2", Some(4)));
    /// ```
    pub fn to_range(&self, scheme: Scheme) -> Result<Range, RangeSyntaxError> {
        let fail = |text: &str, offset, kind| RangeSyntaxError::new(scheme, text, offset, kind);
        let parse = |text: &str| {
            let trimmed = text.trim();
            Version::parse(scheme, trimmed).map_err(|e| {
                let lead = text.len() - text.trim_start().len();
                fail(
                    text,
                    Some(lead + e.offset()),
                    RangeSyntaxErrorKind::Version(e),
                )
            })
        };
        let compare = |text: &str, e| fail(text, None, RangeSyntaxErrorKind::Compare(e));
        let has_bounds = self.start_including.is_some()
            || self.start_excluding.is_some()
            || self.end_including.is_some()
            || self.end_excluding.is_some();
        if !has_bounds {
            return match self.exact {
                None => Ok(Range::all(scheme)),
                Some(text) if text.trim() == "*" => Ok(Range::all(scheme)),
                Some(text) if matches!(text.trim(), "-" | "") => Err(fail(
                    text,
                    Some(0),
                    RangeSyntaxErrorKind::Syntax(
                        "the CPE version is NA: no version applies".to_owned(),
                    ),
                )),
                Some(text) => {
                    let v = parse(text)?;
                    Range::from_intervals(
                        scheme,
                        vec![Interval {
                            lower: Some(Bound {
                                version: v.clone(),
                                inclusive: true,
                            }),
                            upper: Some(Bound {
                                version: v,
                                inclusive: true,
                            }),
                        }],
                    )
                    .map_err(|e| compare(text, e))
                }
            };
        }
        // An including bound wins over an excluding one on the same side.
        let bound = |including: Option<&str>, excluding: Option<&str>| {
            let (text, inclusive) = match (including, excluding) {
                (Some(v), _) => (v, true),
                (None, Some(v)) => (v, false),
                (None, None) => return Ok(None),
            };
            parse(text).map(|version| Some(Bound { version, inclusive }))
        };
        let lower = bound(self.start_including, self.start_excluding)?;
        let upper = bound(self.end_including, self.end_excluding)?;
        // Both ends are of `scheme`, so this cannot fail; if it did, no one bound is to blame.
        Range::from_intervals(scheme, vec![Interval { lower, upper }]).map_err(|e| compare("", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bound_kind() {
        let v = |s| Version::parse(Scheme::Generic, s).unwrap();
        let r = NvdBounds {
            start_excluding: Some("1.0"),
            end_including: Some("2.0"),
            ..NvdBounds::default()
        }
        .to_range(Scheme::Generic)
        .unwrap();
        assert!(!r.contains(&v("1.0")) && r.contains(&v("2.0")) && !r.contains(&v("2.0.1")));
        let exact = NvdBounds {
            exact: Some("2.4.49"),
            ..NvdBounds::default()
        }
        .to_range(Scheme::Generic)
        .unwrap();
        assert!(exact.contains(&v("2.4.49")) && !exact.contains(&v("2.4.50")));
        assert!(NvdBounds {
            exact: Some("*"),
            ..NvdBounds::default()
        }
        .to_range(Scheme::Generic)
        .unwrap()
        .contains(&v("9")));
        let na = NvdBounds {
            exact: Some(" - "),
            ..NvdBounds::default()
        }
        .to_range(Scheme::Generic)
        .unwrap_err();
        assert_eq!((na.input(), na.offset()), (" - ", Some(0)));
        assert_eq!(
            na.to_string(),
            "invalid generic range \" - \": the CPE version is NA: no version applies at byte 0"
        );
        // OpenSSL letter releases need their own scheme: 1.0.2k < 1.0.2zd.
        let ossl = NvdBounds {
            end_excluding: Some("1.0.2zd"),
            ..NvdBounds::default()
        }
        .to_range(Scheme::Openssl)
        .unwrap();
        assert!(ossl.contains(&Version::parse(Scheme::Openssl, "1.0.2k").unwrap()));
    }
}
