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

mod alpine;
mod any_scheme;
mod atom;
mod composer;
mod conan;
mod deb;
mod gem;
mod generic;
mod maven;
mod nuget;
mod num;
mod openssl;
mod parsing;
mod pep440;
mod rpm;
mod semantic;
pub(crate) mod text;

#[cfg(test)]
mod tests;

pub use alpine::AlpineVersion;
pub use any_scheme::AnyScheme;
pub use composer::ComposerVersion;
pub use conan::ConanVersion;
pub(crate) use conan::{item_is_zero, item_plus_one};
pub use deb::DebVersion;
pub use gem::GemVersion;
pub use generic::{DatetimeVersion, GenericVersion, IntdotVersion, LexicographicVersion};
pub use maven::MavenVersion;
pub use nuget::NugetVersion;
pub use openssl::OpensslVersion;
pub(crate) use pep440::Marker;
pub use pep440::{Pep440Version, PreKind};
pub use rpm::{AlpmVersion, RpmVersion};
pub use semantic::{PlainVersion, SemanticVersion};

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
    /// Debian packages, as `dpkg`.
    Deb,
    /// RPM packages, as `rpm.vercmp`.
    Rpm,
    /// Arch Linux packages, as pacman's `vercmp`.
    Alpm,
    /// Alpine packages, as `apk version -t`.
    Alpine,
    /// Maven artifacts, as Maven 3.8.7's `ComparableVersion`.
    Maven,
    /// NuGet packages, as `NuGet.Versioning`.
    Nuget,
    /// RubyGems, as `Gem::Version`.
    Gem,
    /// Composer/Packagist, as PHP's `version_compare`.
    Composer,
    /// Hex (Erlang/Elixir): strict SemVer 2.0.0.
    Hex,
    /// Conan, as Conan 2's `Version`.
    Conan,
    /// OpenSSL releases with letter suffixes (`1.0.2k`).
    Openssl,
    /// Vendor and NVD version strings (see [`GenericVersion`]).
    Generic,
    /// `vers:intdot`: dot-separated integers.
    Intdot,
    /// `vers:lexicographic`: text in code-point order.
    Lexicographic,
    /// `vers:datetime`: RFC 3339 timestamps.
    Datetime,
}

impl Scheme {
    /// Every scheme, in a stable order (useful for fuzzing and enumeration).
    pub const ALL: [Scheme; 20] = [
        Scheme::Semver,
        Scheme::Npm,
        Scheme::Cargo,
        Scheme::Golang,
        Scheme::Pypi,
        Scheme::Deb,
        Scheme::Rpm,
        Scheme::Alpm,
        Scheme::Alpine,
        Scheme::Maven,
        Scheme::Nuget,
        Scheme::Gem,
        Scheme::Composer,
        Scheme::Hex,
        Scheme::Conan,
        Scheme::Openssl,
        Scheme::Generic,
        Scheme::Intdot,
        Scheme::Lexicographic,
        Scheme::Datetime,
    ];

    /// The scheme's position in [`Scheme::ALL`], for tables indexed by scheme.
    ///
    /// ```
    /// use exposure::version::Scheme;
    /// assert!(Scheme::ALL.iter().enumerate().all(|(i, s)| s.index() == i));
    /// ```
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether the scheme is of the SemVer family (`semver`, `npm`, `cargo`, `golang`,
    /// `hex`): its versions are [`SemanticVersion`]s, and [`PlainVersion::read`] reads
    /// them in place.
    ///
    /// ```
    /// use exposure::version::Scheme;
    /// assert!(Scheme::Npm.is_semantic() && !Scheme::Pypi.is_semantic());
    /// ```
    pub const fn is_semantic(self) -> bool {
        matches!(
            self,
            Scheme::Semver | Scheme::Npm | Scheme::Cargo | Scheme::Golang | Scheme::Hex
        )
    }

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
            Scheme::Deb => "deb",
            Scheme::Rpm => "rpm",
            Scheme::Alpm => "alpm",
            Scheme::Alpine => "alpine",
            Scheme::Maven => "maven",
            Scheme::Nuget => "nuget",
            Scheme::Gem => "gem",
            Scheme::Composer => "composer",
            Scheme::Hex => "hex",
            Scheme::Conan => "conan",
            Scheme::Openssl => "openssl",
            Scheme::Generic => "generic",
            Scheme::Intdot => "intdot",
            Scheme::Lexicographic => "lexicographic",
            Scheme::Datetime => "datetime",
        }
    }

    /// The scheme of a purl `vers:` type, accepting the aliases feeds use (`debian` for
    /// `deb`, `apk` for `alpine`, `go` for `golang`, …).
    ///
    /// ```
    /// use exposure::version::Scheme;
    /// assert_eq!(Scheme::from_vers_type("debian"), Some(Scheme::Deb));
    /// assert_eq!(Scheme::from_vers_type("go"), Some(Scheme::Golang));
    /// ```
    pub fn from_vers_type(name: &str) -> Option<Scheme> {
        let lower = name.to_ascii_lowercase();
        Some(match lower.as_str() {
            "debian" | "ubuntu" => Scheme::Deb,
            "apk" => Scheme::Alpine,
            "go" => Scheme::Golang,
            "rubygems" => Scheme::Gem,
            "packagist" => Scheme::Composer,
            "arch" | "archlinux" => Scheme::Alpm,
            "centos" | "fedora" | "rhel" | "redhat" | "suse" | "opensuse" | "mageia" => Scheme::Rpm,
            "crates" | "crates.io" => Scheme::Cargo,
            other => return other.parse().ok(),
        })
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
        // An offset never points past the input (a "too short" error points at its end).
        let offset = offset.min(input.len());
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

    /// Byte offset into [`input`](Self::input) where parsing failed; at most the input's
    /// length.
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
    text: text::Text,
    value: Value,
}

#[derive(Debug, Clone)]
enum Value {
    Semantic(Scheme, SemanticVersion),
    Pep440(Pep440Version),
    Deb(DebVersion),
    Rpm(RpmVersion),
    Alpm(AlpmVersion),
    Alpine(AlpineVersion),
    Maven(MavenVersion),
    Nuget(NugetVersion),
    Gem(GemVersion),
    Composer(ComposerVersion),
    Conan(ConanVersion),
    Openssl(OpensslVersion),
    Generic(GenericVersion),
    Intdot(IntdotVersion),
    Lexicographic(LexicographicVersion),
    Datetime(DatetimeVersion),
}

impl Version {
    /// Parses `text` under `scheme`. Surrounding white space is ignored (except for
    /// `lexicographic`, where every character counts).
    pub fn parse(scheme: Scheme, text: &str) -> Result<Self, VersionError> {
        let value = match scheme {
            Scheme::Semver | Scheme::Npm | Scheme::Cargo | Scheme::Golang | Scheme::Hex => {
                Value::Semantic(scheme, SemanticVersion::parse(scheme, text)?)
            }
            Scheme::Pypi => Value::Pep440(Pep440Version::parse(text)?),
            Scheme::Deb => Value::Deb(DebVersion::parse(text)?),
            Scheme::Rpm => Value::Rpm(RpmVersion::parse(text)?),
            Scheme::Alpm => Value::Alpm(AlpmVersion::parse(text)?),
            Scheme::Alpine => Value::Alpine(AlpineVersion::parse(text)?),
            Scheme::Maven => Value::Maven(MavenVersion::parse(text)?),
            Scheme::Nuget => Value::Nuget(NugetVersion::parse(text)?),
            Scheme::Gem => Value::Gem(GemVersion::parse(text)?),
            Scheme::Composer => Value::Composer(ComposerVersion::parse(text)?),
            Scheme::Conan => Value::Conan(ConanVersion::parse(text)?),
            Scheme::Openssl => Value::Openssl(OpensslVersion::parse(text)?),
            Scheme::Generic => Value::Generic(GenericVersion::parse(text)?),
            Scheme::Intdot => Value::Intdot(IntdotVersion::parse(text)?),
            Scheme::Lexicographic => {
                let value = Value::Lexicographic(LexicographicVersion::parse(text)?);
                return Ok(Self {
                    text: text::Text::new(text),
                    value,
                });
            }
            Scheme::Datetime => Value::Datetime(DatetimeVersion::parse(text)?),
        };
        Ok(Self {
            text: text::Text::new(text.trim()),
            value,
        })
    }

    /// The order of two versions of `scheme` given as text: the order of
    /// [`Version::parse`] of each, without building either where the scheme allows (the
    /// SemVer family is compared borrowed, with no allocation); for batch comparisons.
    ///
    /// ```
    /// use exposure::version::{Scheme, Version};
    /// use std::cmp::Ordering;
    /// assert_eq!(Version::compare_texts(Scheme::Npm, "1.10.0", "1.9.0")?, Ordering::Greater);
    /// assert_eq!(Version::compare_texts(Scheme::Pypi, "1.0", "1.0.0")?, Ordering::Equal);
    /// assert!(Version::compare_texts(Scheme::Npm, "1.0", "1.0.0").is_err());
    /// # Ok::<(), exposure::version::VersionError>(())
    /// ```
    #[inline] // into a batch's line loop; the other schemes' path stays out of line
    pub fn compare_texts(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
        if scheme.is_semantic() {
            return SemanticVersion::compare_texts(scheme, a, b);
        }
        Self::compare_parsed(scheme, a, b)
    }

    /// [`Version::compare_texts`] by parsing both texts.
    #[inline(never)]
    fn compare_parsed(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
        let a = Version::parse(scheme, a)?;
        let b = Version::parse(scheme, b)?;
        // Two versions of one scheme always compare.
        Ok(a.try_cmp(&b).unwrap_or(Ordering::Equal))
    }

    /// Parses a version as advisory matching reads it: as [`Version::parse`], except in the
    /// `composer` scheme, where a version Composer's `VersionParser` rejects but that starts
    /// with a number (`3.1.0.post1`, carried by Packagist advisories) is read leniently and
    /// ordered as PHP's `version_compare` orders its runs (see
    /// [`ComposerVersion::parse_advisory`]) instead of being an error, and in the `nuget`
    /// scheme, where numeric parts above NuGet's Int32 are kept (see
    /// [`NugetVersion::parse_advisory`]). OSV ranges, the
    /// installed versions matched against them and fix recommendations use this path, so
    /// that such advisories still match; everything else (`exposure version`, native and
    /// `vers:` ranges) is strict.
    ///
    /// ```
    /// use exposure::version::{Scheme, Version};
    /// assert!(Version::parse(Scheme::Composer, "3.1.0.post1").is_err());
    /// let lenient = Version::parse_advisory(Scheme::Composer, "3.1.0.post1")?;
    /// assert!(lenient > Version::parse(Scheme::Composer, "3.1.0")?);
    /// assert!(Version::parse_advisory(Scheme::Npm, "3.1.0.post1").is_err());
    /// # Ok::<(), exposure::version::VersionError>(())
    /// ```
    pub fn parse_advisory(scheme: Scheme, text: &str) -> Result<Self, VersionError> {
        let value = match scheme {
            Scheme::Composer => Value::Composer(ComposerVersion::parse_advisory(text)?),
            Scheme::Nuget => Value::Nuget(NugetVersion::parse_advisory(text)?),
            _ => return Self::parse(scheme, text),
        };
        Ok(Self {
            text: text::Text::new(text.trim()),
            value,
        })
    }

    /// The scheme this version belongs to.
    pub fn scheme(&self) -> Scheme {
        match &self.value {
            Value::Semantic(scheme, _) => *scheme,
            Value::Pep440(_) => Scheme::Pypi,
            Value::Deb(_) => Scheme::Deb,
            Value::Rpm(_) => Scheme::Rpm,
            Value::Alpm(_) => Scheme::Alpm,
            Value::Alpine(_) => Scheme::Alpine,
            Value::Maven(_) => Scheme::Maven,
            Value::Nuget(_) => Scheme::Nuget,
            Value::Gem(_) => Scheme::Gem,
            Value::Composer(_) => Scheme::Composer,
            Value::Conan(_) => Scheme::Conan,
            Value::Openssl(_) => Scheme::Openssl,
            Value::Generic(_) => Scheme::Generic,
            Value::Intdot(_) => Scheme::Intdot,
            Value::Lexicographic(_) => Scheme::Lexicographic,
            Value::Datetime(_) => Scheme::Datetime,
        }
    }

    /// The text as given (trimmed).
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// The PEP 440 value, for PyPI versions.
    pub fn as_pep440(&self) -> Option<&Pep440Version> {
        match &self.value {
            Value::Pep440(v) => Some(v),
            _ => None,
        }
    }

    /// The SemVer value, for the SemVer-based schemes (semver, npm, cargo, golang, hex).
    ///
    /// ```
    /// use exposure::version::{Scheme, Version};
    /// let v = Version::parse(Scheme::Hex, "2.0.0-rc.1+build")?;
    /// assert_eq!(v.as_semantic().map(|s| s.pre()), Some("rc.1"));
    /// assert!(Version::parse(Scheme::Pypi, "2.0")?.as_semantic().is_none());
    /// # Ok::<(), exposure::version::VersionError>(())
    /// ```
    pub fn as_semantic(&self) -> Option<&SemanticVersion> {
        match &self.value {
            Value::Semantic(_, v) => Some(v),
            _ => None,
        }
    }

    /// The Conan version inside, when the version is of the `conan` scheme.
    ///
    /// ```
    /// use exposure::version::{Scheme, Version};
    /// let v = Version::parse(Scheme::Conan, "1.0-rc")?;
    /// assert!(v.as_conan().is_some_and(|c| c.is_prerelease()));
    /// assert!(Version::parse(Scheme::Npm, "1.0.0")?.as_conan().is_none());
    /// # Ok::<(), exposure::version::VersionError>(())
    /// ```
    pub fn as_conan(&self) -> Option<&ConanVersion> {
        match &self.value {
            Value::Conan(v) => Some(v),
            _ => None,
        }
    }

    /// The RubyGems value, for gem versions.
    pub fn as_gem(&self) -> Option<&GemVersion> {
        match &self.value {
            Value::Gem(v) => Some(v),
            _ => None,
        }
    }

    /// A gem bound that displays as `text` and sorts below every version of its release.
    pub(crate) fn gem_min_of_release(text: &str, value: &GemVersion) -> Version {
        Version {
            text: text.into(),
            value: Value::Gem(value.min_of_release()),
        }
    }

    /// A PyPI bound that displays as `text` but orders as `value` (see [`Marker`]).
    pub(crate) fn pep440_bound(text: &str, value: Pep440Version) -> Version {
        Version {
            text: text.into(),
            value: Value::Pep440(value),
        }
    }

    /// Whether `candidate` may be the version this bound names: always, except for a PyPI
    /// `===V` bound, which names only the versions spelled as V once normalised.
    pub(crate) fn admits_spelling(&self, candidate: &Version) -> bool {
        match (&self.value, &candidate.value) {
            (Value::Pep440(bound), Value::Pep440(v)) if bound.is_spelled() => {
                bound.same_spelling(v)
            }
            _ => true,
        }
    }

    /// Compares two versions of the same scheme; versions of different schemes are an error.
    pub fn try_cmp(&self, other: &Self) -> Result<Ordering, CompareError> {
        use Value as V;
        Ok(match (&self.value, &other.value) {
            (V::Semantic(a_scheme, a), V::Semantic(b_scheme, b)) if a_scheme == b_scheme => {
                a.cmp(b)
            }
            (V::Pep440(a), V::Pep440(b)) => a.cmp(b),
            (V::Deb(a), V::Deb(b)) => a.cmp(b),
            (V::Rpm(a), V::Rpm(b)) => a.cmp(b),
            (V::Alpm(a), V::Alpm(b)) => a.cmp(b),
            (V::Alpine(a), V::Alpine(b)) => a.cmp(b),
            (V::Maven(a), V::Maven(b)) => a.cmp(b),
            (V::Nuget(a), V::Nuget(b)) => a.cmp(b),
            (V::Gem(a), V::Gem(b)) => a.cmp(b),
            (V::Composer(a), V::Composer(b)) => a.cmp(b),
            (V::Conan(a), V::Conan(b)) => a.cmp(b),
            (V::Openssl(a), V::Openssl(b)) => a.cmp(b),
            (V::Generic(a), V::Generic(b)) => a.cmp(b),
            (V::Intdot(a), V::Intdot(b)) => a.cmp(b),
            (V::Lexicographic(a), V::Lexicographic(b)) => a.cmp(b),
            (V::Datetime(a), V::Datetime(b)) => a.cmp(b),
            _ => {
                return Err(CompareError {
                    left: self.scheme(),
                    right: other.scheme(),
                })
            }
        })
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
            Value::Deb(v) => v.hash(state),
            Value::Rpm(v) => v.hash(state),
            Value::Alpm(v) => v.hash(state),
            Value::Alpine(v) => v.hash(state),
            Value::Maven(v) => v.hash(state),
            Value::Nuget(v) => v.hash(state),
            Value::Gem(v) => v.hash(state),
            Value::Composer(v) => v.hash(state),
            Value::Conan(v) => v.hash(state),
            Value::Openssl(v) => v.hash(state),
            Value::Generic(v) => v.hash(state),
            Value::Intdot(v) => v.hash(state),
            Value::Lexicographic(v) => v.hash(state),
            Value::Datetime(v) => v.hash(state),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text.as_str())
    }
}
