//! Native range syntaxes of each ecosystem, parsed into the canonical [`Range`].
//!
//! | scheme | syntax |
//! |---|---|
//! | npm, semver | node-semver ranges: `^ ~ x-ranges`, hyphen ranges, `\|\|` |
//! | pypi | PEP 440 specifier sets: `==X.*`, `~=`, `!=`, `===`, exclusive `<`/`>` rules |
//! | maven, nuget | interval sets: `[1.0,2.0)`, `(,1.0],[1.5,)`, a bare version |
//! | gem | requirements: `~>`, `!=`, comma-separated |
//! | cargo | requirements: `^`, `~`, `*`, comparators, comma-separated |
//! | composer | constraints: `^ ~ *`, hyphen ranges, `\|\|`, `,` and space |
//! | every scheme | vers comparators: `>=1.0\|<2.0` (or comma-separated) |
//!
//! Vulnerability semantics everywhere: a pre-release is inside a range exactly when its
//! order puts it there (npm `includePrerelease: true`, packaging `prereleases=True`).

mod cargo;
mod composer;
mod gem;
mod interval;
mod npm;
mod pep440;

use super::{Bound, Interval, Range, Vers, VersError, VersScheme};
use crate::version::{CompareError, Scheme, Version, VersionError};

/// Why a range in native syntax (or `vers:`) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeSyntaxError {
    /// A malformed `vers:` string.
    #[error(transparent)]
    Vers(#[from] VersError),
    /// The native syntax is malformed at `offset`.
    #[error("invalid {scheme} range {input:?}: {message} at byte {offset}")]
    Syntax {
        /// The scheme whose syntax was expected.
        scheme: Scheme,
        /// The input.
        input: String,
        /// Byte offset of the problem.
        offset: usize,
        /// What was wrong.
        message: String,
    },
    /// A version inside the range does not parse.
    #[error(transparent)]
    Version(#[from] VersionError),
    /// Versions of different schemes met.
    #[error(transparent)]
    Compare(#[from] CompareError),
}

pub(crate) fn syntax(
    scheme: Scheme,
    input: &str,
    offset: usize,
    message: impl Into<String>,
) -> RangeSyntaxError {
    RangeSyntaxError::Syntax {
        scheme,
        input: input.to_owned(),
        offset: offset.min(input.len()),
        message: message.into(),
    }
}

/// The next number after a version part, for the bound a partial version or an operator
/// implies (`~1.2` is `<1.3.0`). It is wider than a part, so it never overflows: a bound past
/// the largest part then fails to parse as a version with a "number too large" error.
pub(crate) fn next(n: u64) -> u128 {
    u128::from(n) + 1
}

pub(crate) fn interval(lower: Option<(Version, bool)>, upper: Option<(Version, bool)>) -> Interval {
    Interval {
        lower: lower.map(|(version, inclusive)| Bound { version, inclusive }),
        upper: upper.map(|(version, inclusive)| Bound { version, inclusive }),
    }
}

/// Parses a range in `scheme`'s native syntax, or a `vers:` string (whose own scheme then
/// wins; `vers:all/*` and `vers:none/*` take `scheme`).
///
/// ```
/// use exposure::range::parse_range;
/// use exposure::version::{Scheme, Version};
/// let r = parse_range(Scheme::Npm, "^1.2.3 || >=3.0.0-rc.1 <3.1.0")?;
/// assert_eq!(r.to_string(), "vers:npm/>=1.2.3|<2.0.0-0|>=3.0.0-rc.1|<3.1.0");
/// let pep = parse_range(Scheme::Pypi, "~=2.2,!=2.2.5")?;
/// assert!(pep.contains(&Version::parse(Scheme::Pypi, "2.9")?));
/// let mvn = parse_range(Scheme::Maven, "[2.0-beta9,2.15.0)")?;
/// assert!(mvn.contains(&Version::parse(Scheme::Maven, "2.14.1")?));
/// let vers = parse_range(Scheme::Npm, "vers:deb/>=1:2.0|<1:3.0")?;
/// assert_eq!(vers.scheme(), Scheme::Deb);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_range(scheme: Scheme, text: &str) -> Result<Range, RangeSyntaxError> {
    let trimmed = text.trim();
    if trimmed
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("vers:"))
    {
        let vers = Vers::parse(trimmed)?;
        return Ok(match vers.scheme() {
            VersScheme::All => Range::all(scheme),
            VersScheme::None => Range::none(scheme),
            VersScheme::Scheme(_) => vers.to_range()?,
        });
    }
    match scheme {
        Scheme::Npm | Scheme::Semver => npm::parse(scheme, text),
        Scheme::Pypi => pep440::parse(text),
        Scheme::Maven | Scheme::Nuget => interval::parse(scheme, text),
        Scheme::Gem => gem::parse(text),
        Scheme::Cargo => cargo::parse(text),
        Scheme::Composer => composer::parse(text),
        _ => comparators(scheme, text),
    }
}

/// `>=1.0|<2.0`, `>=1.0, <2.0` or `>= 1.0 < 2.0`: a vers constraint list in any scheme.
fn comparators(scheme: Scheme, text: &str) -> Result<Range, RangeSyntaxError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(syntax(scheme, text, 0, "empty range"));
    }
    // Constraints are separated by `|` or `,`; a comparator's version may follow after a space.
    let normalised: String = trimmed
        .split([',', '|'])
        .map(|c| c.split_whitespace().collect::<String>())
        .collect::<Vec<_>>()
        .join("|");
    let vers = Vers::parse(&format!("vers:{}/{normalised}", scheme.name()))?;
    Ok(vers.to_range()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::VersionErrorKind;

    /// `~`, `^`, `>`, `<=`, x-ranges and hyphen ends imply the next major, minor or patch;
    /// for the largest part there is none, which must be a typed error (it was an overflow
    /// panic in debug builds and a wrapped, wrong bound in release builds).
    #[test]
    fn a_bound_past_the_largest_part_is_a_number_too_large_error() {
        let max = u64::MAX;
        for scheme in [Scheme::Npm, Scheme::Semver, Scheme::Cargo] {
            for range in [
                format!("~{max}"),
                format!("^{max}"),
                format!("^0.{max}"),
                format!("^0.0.{max}"),
                format!("~1.{max}"),
                format!("{max}.x"),
                format!(">{max}"),
                format!(">1.{max}"),
                format!("<={max}"),
                format!("<=1.{max}"),
            ] {
                match parse_range(scheme, &range) {
                    Err(RangeSyntaxError::Version(e)) => {
                        assert_eq!(
                            e.kind(),
                            &VersionErrorKind::NumberTooLarge,
                            "{scheme} {range}"
                        );
                    }
                    other => panic!("{scheme} {range}: {other:?}"),
                }
            }
            // The largest part itself is fine where no successor is needed.
            let exact = parse_range(scheme, &format!("={max}.0.0")).unwrap();
            let version = Version::parse(scheme, &format!("{max}.0.0")).unwrap();
            assert!(exact.contains(&version), "{scheme}");
        }
    }
}
