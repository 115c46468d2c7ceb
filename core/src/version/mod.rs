//! Versions of software packages, each parsed once under one [`Scheme`] and ordered as that
//! ecosystem's own tool orders it.
//!
//! Traps this module guards against:
//! - **No cross-scheme comparison.** `1.0.0-rc1` is a pre-release under SemVer but a
//!   post-release-like string elsewhere; comparing a PyPI version with an npm one is an error
//!   ([`CompareError`]), never a guess. [`Version`] therefore implements [`PartialOrd`] (which
//!   answers `None` across schemes) but not [`Ord`].
//! - **SemVer build metadata is ignored for order** (`1.2.3+build` == `1.2.3`), as SemVer 2.0.0
//!   §10 requires; the `semver` crate's own `Ord` uses it as a tie-breaker, which would split
//!   Go's `v3.2.0+incompatible` from `3.2.0`.
//! - **PEP 440 normalises**: `1.0` == `1.0.0`, `1.0a1` == `1.0.0-alpha.1`, `v1.0` == `1.0`; a
//!   dev release sorts before its pre-releases (`1.0.dev1` < `1.0a1`), and a local label sorts
//!   after the public version (`1.0` < `1.0+local`).
//! - **Go versions** carry a leading `v` in modules (`v1.2.3`) but not in OSV events (`1.2.3`):
//!   both spellings are accepted; pseudo-versions are ordinary SemVer pre-releases.

mod pep440;
mod semantic;

#[cfg(test)]
mod tests;

pub use pep440::{Pep440Version, PreKind};
pub use semantic::SemanticVersion;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A versioning scheme: the rules by which one ecosystem spells and orders its versions.
///
/// ```
/// use exposure::version::Scheme;
/// assert_eq!("pypi".parse::<Scheme>(), Ok(Scheme::Pypi));
/// assert_eq!(Scheme::Golang.name(), "golang");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scheme {
    /// Strict SemVer 2.0.0.
    Semver,
    /// npm (node-semver): SemVer, with a leading `v` or `=` tolerated.
    Npm,
    /// Cargo: strict SemVer.
    Cargo,
    /// Go modules: SemVer with a `v` prefix (optional here), pseudo-versions, `+incompatible`.
    Golang,
    /// Python packages, PEP 440.
    Pypi,
}

impl Scheme {
    /// Every scheme, in a stable order (useful for fuzzing and enumeration).
    pub const ALL: [Scheme; 5] = [
        Scheme::Semver,
        Scheme::Npm,
        Scheme::Cargo,
        Scheme::Golang,
        Scheme::Pypi,
    ];

    /// The lower-case name of the scheme, as used by purl `vers:` and the command line.
    ///
    /// ```
    /// assert_eq!(exposure::version::Scheme::Cargo.name(), "cargo");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Semver => "semver",
            Scheme::Npm => "npm",
            Scheme::Cargo => "cargo",
            Scheme::Golang => "golang",
            Scheme::Pypi => "pypi",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The text named no known scheme.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown version scheme {0:?}")]
pub struct UnknownScheme(pub String);

impl std::str::FromStr for Scheme {
    type Err = UnknownScheme;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.name() == s)
            .ok_or_else(|| UnknownScheme(s.to_owned()))
    }
}

/// Why a version string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionErrorKind {
    /// The input was empty or only white space.
    #[error("empty version")]
    Empty,
    /// A character that the scheme does not allow at that place.
    #[error("unexpected character {found:?}")]
    UnexpectedChar {
        /// The offending character.
        found: char,
    },
    /// The text ended where the scheme needs more (e.g. `1.2.` or `1.0a1.dev`).
    #[error("unexpected end of version")]
    UnexpectedEnd,
    /// A numeric component does not fit in 64 bits.
    #[error("number too large")]
    NumberTooLarge,
    /// A numeric component has a leading zero where the scheme forbids it.
    #[error("leading zero in numeric component")]
    LeadingZero,
    /// Any other violation of the scheme's grammar.
    #[error("{0}")]
    Invalid(String),
}

/// A version that could not be parsed, with the scheme, the input and where it broke.
///
/// ```
/// use exposure::version::{Scheme, Version};
/// let err = Version::parse(Scheme::Pypi, "1.0/2").unwrap_err();
/// assert_eq!(err.scheme(), Scheme::Pypi);
/// assert_eq!(err.offset(), 3);
/// assert!(err.to_string().contains("invalid pypi version"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionError(Box<VersionErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct VersionErrorInner {
    kind: VersionErrorKind,
    scheme: Scheme,
    input: String,
    offset: usize,
}

impl VersionError {
    pub(crate) fn new(scheme: Scheme, input: &str, offset: usize, kind: VersionErrorKind) -> Self {
        Self(Box::new(VersionErrorInner {
            kind,
            scheme,
            input: input.to_owned(),
            offset,
        }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &VersionErrorKind {
        &self.0.kind
    }

    /// The scheme the input was parsed under.
    pub fn scheme(&self) -> Scheme {
        self.0.scheme
    }

    /// The rejected input, verbatim.
    pub fn input(&self) -> &str {
        &self.0.input
    }

    /// Byte offset into [`input`](Self::input) where parsing failed.
    pub fn offset(&self) -> usize {
        self.0.offset
    }
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} version {:?}: {} at byte {}",
            self.0.scheme, self.0.input, self.0.kind, self.0.offset
        )
    }
}

impl std::error::Error for VersionError {}

/// Two versions of different schemes were compared.
///
/// ```
/// use exposure::version::{Scheme, Version};
/// let a = Version::parse(Scheme::Pypi, "1.0")?;
/// let b = Version::parse(Scheme::Npm, "1.0.0")?;
/// assert!(a.try_cmp(&b).is_err());
/// # Ok::<(), exposure::version::VersionError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot compare a {left} version with a {right} version")]
pub struct CompareError {
    /// Scheme of the left operand.
    pub left: Scheme,
    /// Scheme of the right operand.
    pub right: Scheme,
}

/// A parsed version of one scheme. Keeps the original text for display.
///
/// ```
/// use exposure::version::{Scheme, Version};
/// let fixed = Version::parse(Scheme::Golang, "0.17.0")?;
/// let installed = Version::parse(Scheme::Golang, "v0.0.0-20210405180319-a5a99cb37ef4")?;
/// assert!(installed < fixed);
/// assert_eq!(installed.to_string(), "v0.0.0-20210405180319-a5a99cb37ef4");
/// # Ok::<(), exposure::version::VersionError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    value: Value,
}

#[derive(Debug, Clone)]
enum Value {
    Semantic(Scheme, SemanticVersion),
    Pep440(Pep440Version),
}

impl Version {
    /// Parses `text` under `scheme`. Surrounding white space is ignored.
    pub fn parse(scheme: Scheme, text: &str) -> Result<Self, VersionError> {
        let value = match scheme {
            Scheme::Semver | Scheme::Npm | Scheme::Cargo | Scheme::Golang => {
                Value::Semantic(scheme, SemanticVersion::parse(scheme, text)?)
            }
            Scheme::Pypi => Value::Pep440(Pep440Version::parse(text)?),
        };
        Ok(Self {
            text: text.trim().into(),
            value,
        })
    }

    /// The scheme this version belongs to.
    pub fn scheme(&self) -> Scheme {
        match &self.value {
            Value::Semantic(scheme, _) => *scheme,
            Value::Pep440(_) => Scheme::Pypi,
        }
    }

    /// The text as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Compares two versions of the same scheme; versions of different schemes are an error.
    pub fn try_cmp(&self, other: &Self) -> Result<Ordering, CompareError> {
        match (&self.value, &other.value) {
            (Value::Semantic(a_scheme, a), Value::Semantic(b_scheme, b))
                if a_scheme == b_scheme =>
            {
                Ok(a.cmp(b))
            }
            (Value::Pep440(a), Value::Pep440(b)) => Ok(a.cmp(b)),
            _ => Err(CompareError {
                left: self.scheme(),
                right: other.scheme(),
            }),
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.try_cmp(other) == Ok(Ordering::Equal)
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.try_cmp(other).ok()
    }
}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.scheme().hash(state);
        match &self.value {
            Value::Semantic(_, v) => v.hash(state),
            Value::Pep440(v) => v.hash(state),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
