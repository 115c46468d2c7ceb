//! NVD CPE-match bounds: `versionStartIncluding`, `versionStartExcluding`,
//! `versionEndIncluding`, `versionEndExcluding`, or an exact version from the CPE name.

use super::native::RangeSyntaxError;
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
    /// cannot say anything about versions, which is an error here rather than a guess.
    pub fn to_range(&self, scheme: Scheme) -> Result<Range, RangeSyntaxError> {
        let parse = |text: &str| Version::parse(scheme, text.trim());
        let has_bounds = self.start_including.is_some()
            || self.start_excluding.is_some()
            || self.end_including.is_some()
            || self.end_excluding.is_some();
        if !has_bounds {
            return match self.exact.map(str::trim) {
                None | Some("*") => Ok(Range::all(scheme)),
                Some("-" | "") => Err(super::native::syntax(
                    scheme,
                    "-",
                    0,
                    "the CPE version is NA: no version applies",
                )),
                Some(v) => {
                    let v = parse(v)?;
                    Ok(Range::from_intervals(
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
                    )?)
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
        Ok(Range::from_intervals(
            scheme,
            vec![Interval { lower, upper }],
        )?)
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
        assert!(NvdBounds {
            exact: Some("-"),
            ..NvdBounds::default()
        }
        .to_range(Scheme::Generic)
        .is_err());
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
