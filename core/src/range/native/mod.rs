//! Native range syntaxes of each ecosystem, parsed into the canonical [`Range`].
//!
//! | scheme | syntax |
//! |---|---|
//! | npm, semver | node-semver ranges: `^ ~ x-ranges`, hyphen ranges, `\|\|` |
//! | pypi | PEP 440 specifier sets: `==X.*`, `~=`, `!=`, `===`, exclusive `<`/`>` rules |
//! | maven | interval sets: `[1.0,2.0)`, `(,1.0],[1.5,)`, a bare version |
//! | nuget | one interval as `VersionRange.Parse` reads it: `[1.0,2.0)`, `(,1.0]`, a bare version (at least it); no floating `*` |
//! | gem | requirements: `~>`, `!=`, comma-separated |
//! | cargo | requirements: `^`, `~`, `*`, comparators, comma-separated |
//! | composer | constraints: `^ ~ *`, hyphen ranges, `\|\|`, `,` and space |
//! | hex | Elixir requirements: `~> 2.0`, `== != > >= < <=`, ` and `, ` or ` (also [`HexRequirement`] for `allow_pre: false`) |
//! | conan | Conan 2 ranges: `~ ^ *`, `1.2.*`, `cci.*`, space-separated, `\|\|`, `, include_prerelease`, `[...]` ([`ConanRange`] keeps conan's own pre-release rule) |
//! | every scheme | vers comparators: `>=1.0\|<2.0` (or comma-separated) |
//!
//! Vulnerability semantics everywhere: a pre-release is inside a range exactly when its
//! order puts it there (npm `includePrerelease: true`, packaging `prereleases=True`).

mod cargo;
mod composer;
mod conan;
mod gem;
mod hex;
mod interval;
mod npm;
mod nuget;
mod pep440;

pub use conan::{ConanPrereleases, ConanRange};
pub use hex::HexRequirement;

use super::{Bound, Interval, Range, Vers, VersErrorKind, VersScheme};
use crate::span::{before_removal, offset_in};
use crate::version::{CompareError, Scheme, Version, VersionError};
use std::fmt;

/// What was wrong with a range in native syntax (or `vers:`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeSyntaxErrorKind {
    /// The native syntax is malformed.
    #[error("{0}")]
    Syntax(String),
    /// A `vers:` string, or a list of vers comparators in a scheme's native syntax, is
    /// malformed.
    #[error("{0}")]
    Vers(VersErrorKind),
    /// A version inside the range does not parse: the version's own error, whose text may be
    /// a bound the range implies (`2.0.0-0` for npm's `^1`) rather than one written in it.
    #[error("bad {} version {:?}: {}", .0.scheme(), .0.input(), .0.kind())]
    Version(VersionError),
    /// Versions of different schemes met.
    #[error("{0}")]
    Compare(CompareError),
}

/// A range that could not be parsed: what was wrong, the scheme it was read in, the input,
/// and the byte offset of the problem in it where there is one (for a version written in
/// the range, where the version starts plus the version error's own offset; for a bound the
/// range implies, where the comparator that implies it starts).
///
/// ```
/// use exposure::range::{parse_range, RangeSyntaxErrorKind};
/// use exposure::version::Scheme;
/// let err = parse_range(Scheme::Pypi, ">=1.0, <2.0/x").unwrap_err();
/// assert!(matches!(err.kind(), RangeSyntaxErrorKind::Version(_)));
/// assert_eq!((err.input(), err.offset()), (">=1.0, <2.0/x", Some(11))); // the `/`
/// assert_eq!(err.to_string(), "invalid pypi range \">=1.0, <2.0/x\": bad pypi version \"2.0/x\": \
///                              unexpected character '/' at byte 11");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeSyntaxError(Box<RangeSyntaxErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct RangeSyntaxErrorInner {
    kind: RangeSyntaxErrorKind,
    scheme: Scheme,
    input: String,
    offset: Option<usize>,
}

impl RangeSyntaxError {
    pub(crate) fn new(
        scheme: Scheme,
        input: &str,
        offset: Option<usize>,
        kind: RangeSyntaxErrorKind,
    ) -> Self {
        Self(Box::new(RangeSyntaxErrorInner {
            kind,
            scheme,
            input: input.to_owned(),
            offset: offset.map(|at| at.min(input.len())),
        }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &RangeSyntaxErrorKind {
        &self.0.kind
    }

    /// The scheme the range was read in (a `vers:` string names its own).
    pub fn scheme(&self) -> Scheme {
        self.0.scheme
    }

    /// The rejected text, verbatim.
    pub fn input(&self) -> &str {
        &self.0.input
    }

    /// Byte offset into [`input`](Self::input) where the problem is (at most its length);
    /// `None` when it has no place (versions of different schemes met).
    pub fn offset(&self) -> Option<usize> {
        self.0.offset
    }
}

impl fmt::Display for RangeSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let RangeSyntaxErrorInner {
            kind,
            scheme,
            input,
            offset,
        } = &*self.0;
        if is_vers(input.trim_start()) {
            write!(f, "invalid vers string {input:?}: {kind}")?;
        } else {
            write!(f, "invalid {scheme} range {input:?}: {kind}")?;
        }
        if let Some(offset) = offset {
            write!(f, " at byte {offset}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RangeSyntaxError {}

/// What a native parser found wrong and where in its input, before [`parse_range`] adds the
/// input and the scheme. Boxed, as the error is, to keep results small.
#[derive(Debug)]
pub(crate) struct Fail(Box<(RangeSyntaxErrorKind, Option<usize>)>);

impl Fail {
    fn new(kind: RangeSyntaxErrorKind, offset: Option<usize>) -> Self {
        Fail(Box::new((kind, offset)))
    }

    fn into_error(self, scheme: Scheme, input: &str) -> RangeSyntaxError {
        let (kind, offset) = *self.0;
        RangeSyntaxError::new(scheme, input, offset, kind)
    }
}

impl From<CompareError> for Fail {
    fn from(e: CompareError) -> Self {
        Fail::new(RangeSyntaxErrorKind::Compare(e), None)
    }
}

/// Malformed syntax at byte `at` of the input.
pub(crate) fn syntax(at: usize, message: impl Into<String>) -> Fail {
    Fail::new(RangeSyntaxErrorKind::Syntax(message.into()), Some(at))
}

/// `text` as a version of `scheme`. When `text` is a slice of `input`, a failure is at its
/// place there plus the version error's own offset; otherwise (a bound the range implies,
/// or text rewritten before parsing) it is at `at`, where what implies it starts.
pub(crate) fn version(scheme: Scheme, input: &str, text: &str, at: usize) -> Result<Version, Fail> {
    version_with(scheme, text, |own| {
        offset_in(input, text).map_or(at, |start| start + own)
    })
}

/// `text` as a version of `scheme`; a failure is at `offset(e)` for the version error's own
/// offset `e`.
pub(crate) fn version_with(
    scheme: Scheme,
    text: &str,
    offset: impl FnOnce(usize) -> usize,
) -> Result<Version, Fail> {
    Version::parse(scheme, text).map_err(|e| {
        let at = offset(e.offset());
        Fail::new(RangeSyntaxErrorKind::Version(e), Some(at))
    })
}

/// Whether `text` starts with `vers:` (in any case).
/// Whether `text` (after leading white space) is a `vers:` string, which names its own
/// scheme.
///
/// ```
/// assert!(exposure::range::is_vers(" VERS:npm/<1.0"));
/// assert!(!exposure::range::is_vers("^1.0"));
/// ```
pub fn is_vers(text: &str) -> bool {
    text.trim_start()
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("vers:"))
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
    if is_vers(trimmed) {
        let lead = text.len() - text.trim_start().len();
        let vers = Vers::parse(trimmed).map_err(|e| {
            let (kind, at) = e.into_parts();
            let kind = RangeSyntaxErrorKind::Vers(kind);
            RangeSyntaxError::new(scheme, text, Some(lead + at), kind)
        })?;
        return Ok(match vers.scheme() {
            VersScheme::All => Range::all(scheme),
            VersScheme::None => Range::none(scheme),
            VersScheme::Scheme(_) => vers.to_range().map_err(|e| {
                RangeSyntaxError::new(scheme, text, None, RangeSyntaxErrorKind::Compare(e))
            })?,
        });
    }
    match scheme {
        Scheme::Npm | Scheme::Semver => npm::parse(scheme, text),
        Scheme::Pypi => pep440::parse(text),
        Scheme::Maven => interval::parse(text),
        Scheme::Nuget => nuget::parse(text),
        Scheme::Gem => gem::parse(text),
        Scheme::Cargo => cargo::parse(text),
        Scheme::Composer => composer::parse(text),
        Scheme::Hex => hex::parse(text),
        Scheme::Conan => conan::parse_canonical(text),
        _ => comparators(scheme, text),
    }
    .map_err(|fail| fail.into_error(scheme, text))
}

/// `>=1.0|<2.0`, `>=1.0, <2.0` or `>= 1.0 < 2.0`: a vers constraint list in any scheme.
fn comparators(scheme: Scheme, text: &str) -> Result<Range, Fail> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(syntax(0, "empty range"));
    }
    // Constraints are separated by `|` or `,`; a comparator's version may follow after a
    // space. White space goes, `,` becomes `|`, and the list is read as a `vers:` string.
    let prefix = format!("vers:{}/", scheme.name());
    let vers: String = prefix
        .chars()
        .chain(
            trimmed
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == ',' { '|' } else { c }),
        )
        .collect();
    let vers = Vers::parse(&vers).map_err(|e| {
        let (kind, at) = e.into_parts();
        let lead = text.len() - text.trim_start().len();
        let at = lead
            + before_removal(
                trimmed,
                char::is_whitespace,
                at.saturating_sub(prefix.len()),
            );
        Fail::new(RangeSyntaxErrorKind::Vers(kind), Some(at))
    })?;
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
                match parse_range(scheme, &range).map_err(|e| e.kind().clone()) {
                    Err(RangeSyntaxErrorKind::Version(e)) => {
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
