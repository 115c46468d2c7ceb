//! SemVer 2.0.0 versions and the dialects built on it (npm, Cargo, Go modules).

use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

mod plain;
pub use plain::PlainVersion;
#[cfg(test)]
mod tests;

/// A SemVer 2.0.0 version: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
///
/// Order follows SemVer §11: numeric core, then a version with a pre-release sorts before the
/// same version without one, pre-release identifiers compare numerically when both are numeric,
/// numeric before alphanumeric, and a shorter list of equal identifiers first. Build metadata is
/// kept for display but ignored by order, equality and hashing.
///
/// ```
/// use exposure::version::{Scheme, SemanticVersion};
/// let a = SemanticVersion::parse(Scheme::Semver, "1.0.0-alpha.1")?;
/// let b = SemanticVersion::parse(Scheme::Semver, "1.0.0-alpha.beta")?;
/// let c = SemanticVersion::parse(Scheme::Semver, "1.0.0+build.7")?;
/// assert!(a < b && b < c);
/// assert_eq!(c, SemanticVersion::parse(Scheme::Semver, "1.0.0")?);
/// # Ok::<(), exposure::version::VersionError>(())
/// ```
#[derive(Debug, Clone)]
pub struct SemanticVersion {
    major: u64,
    minor: u64,
    patch: u64,
    /// Dot-separated pre-release identifiers, empty when there are none.
    pre: Box<str>,
    /// Build metadata, empty when there is none.
    build: Box<str>,
}

impl SemanticVersion {
    /// Parses `text` under a SemVer-based `scheme`: `npm` also accepts a leading `v` or `=`,
    /// `golang` a leading `v`; `semver` and `cargo` accept neither.
    pub fn parse(scheme: Scheme, text: &str) -> Result<Self, VersionError> {
        let parts = Parts::parse(scheme, text)?;
        Ok(SemanticVersion {
            major: parts.major,
            minor: parts.minor,
            patch: parts.patch,
            pre: parts.pre.into(),
            build: parts.build.into(),
        })
    }

    /// The order of two versions given as text, read as [`SemanticVersion::parse`] reads
    /// them but borrowed, without allocating: for batch comparisons.
    ///
    /// ```
    /// use exposure::version::{Scheme, SemanticVersion};
    /// use std::cmp::Ordering;
    /// let order = SemanticVersion::compare_texts(Scheme::Npm, "v1.2.3-rc.1", "1.2.3")?;
    /// assert_eq!(order, Ordering::Less);
    /// assert!(SemanticVersion::compare_texts(Scheme::Semver, "1.02.0", "1.0.0").is_err());
    /// # Ok::<(), exposure::version::VersionError>(())
    /// ```
    #[inline]
    pub fn compare_texts(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
        // Both texts plain (the batch case): compared in one inlined pass, no `Result` built
        // until the answer; anything else read by the parser, which alone words errors.
        match plain::compare(scheme, a, b) {
            Some(order) => Ok(order),
            None => Self::compare_parsed(scheme, a, b),
        }
    }

    /// [`SemanticVersion::compare_texts`] through [`Parts::parse`], out of the batch's
    /// line loop.
    #[inline(never)]
    fn compare_parsed(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
        let a = Parts::parse(scheme, a)?;
        let b = Parts::parse(scheme, b)?;
        Ok(precedence(a.order_key(), b.order_key()))
    }

    /// The major component.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor component.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch component.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The pre-release identifiers joined by `.`, empty when there are none.
    pub fn pre(&self) -> &str {
        &self.pre
    }

    /// The build metadata, empty when there is none.
    pub fn build(&self) -> &str {
        &self.build
    }
}

/// A version's parts, borrowed from its text.
#[derive(Debug, PartialEq, Eq)]
struct Parts<'a> {
    major: u64,
    minor: u64,
    patch: u64,
    pre: &'a str,
    build: &'a str,
}

impl<'a> Parts<'a> {
    /// What precedence reads: the numbers and the pre-release (build metadata left out).
    #[inline]
    fn order_key(&self) -> (u64, u64, u64, &'a [u8]) {
        (self.major, self.minor, self.patch, self.pre.as_bytes())
    }

    /// The parts of `text`: read in one pass when it is in the plain form (`plain`), by the
    /// parser otherwise, which alone decides what is rejected and why.
    #[allow(clippy::inline_always)] // the shortcut inlined into its callers: see `plain`
    #[inline(always)]
    fn parse(scheme: Scheme, text: &'a str) -> Result<Self, VersionError> {
        match plain::parts(scheme, text) {
            Some(parts) => Ok(parts),
            None => Self::parse_fully(scheme, text),
        }
    }

    /// The parts of `text` as the parser reads them, without the plain-form shortcut.
    #[inline(never)]
    fn parse_fully(scheme: Scheme, text: &'a str) -> Result<Self, VersionError> {
        Parser {
            scheme,
            input: text,
            pos: 0,
        }
        .parse()
    }
}

struct Parser<'a> {
    scheme: Scheme,
    input: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, kind: VersionErrorKind) -> VersionError {
        VersionError::new(self.scheme, self.input, self.pos, kind)
    }

    fn peek(&self) -> Option<u8> {
        self.input.as_bytes().get(self.pos).copied()
    }

    fn unexpected(&self) -> VersionError {
        match self.input[self.pos..].chars().next() {
            Some(found) => self.error(VersionErrorKind::UnexpectedChar { found }),
            None => self.error(VersionErrorKind::UnexpectedEnd),
        }
    }

    fn parse(mut self) -> Result<Parts<'a>, VersionError> {
        let bytes = self.input.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.pos == bytes.len() {
            return Err(self.error(VersionErrorKind::Empty));
        }
        match (self.scheme, self.peek()) {
            (Scheme::Npm, Some(b'v' | b'=')) => {
                while matches!(self.peek(), Some(b'v' | b'=' | b' ')) {
                    self.pos += 1;
                }
            }
            (Scheme::Golang, Some(b'v')) => self.pos += 1,
            _ => {}
        }
        let major = self.number()?;
        // golang.org/x/mod/semver accepts the shorthands vMAJOR and vMAJOR.MINOR (without
        // pre-release or build), meaning vMAJOR.0.0 and vMAJOR.MINOR.0.
        let at_end = |p: &Self| p.pos == p.input.trim_end().len();
        if self.scheme == Scheme::Golang && at_end(&self) {
            return Ok(Parts {
                major,
                minor: 0,
                patch: 0,
                pre: "",
                build: "",
            });
        }
        self.expect(b'.')?;
        let minor = self.number()?;
        if self.scheme == Scheme::Golang && at_end(&self) {
            return Ok(Parts {
                major,
                minor,
                patch: 0,
                pre: "",
                build: "",
            });
        }
        self.expect(b'.')?;
        let patch = self.number()?;
        let mut pre = "";
        let mut build = "";
        if self.peek() == Some(b'-') {
            self.pos += 1;
            pre = self.identifiers(true)?;
        }
        if self.peek() == Some(b'+') {
            self.pos += 1;
            build = self.identifiers(false)?;
        }
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.pos != bytes.len() {
            return Err(self.unexpected());
        }
        Ok(Parts {
            major,
            minor,
            patch,
            pre,
            build,
        })
    }

    fn expect(&mut self, byte: u8) -> Result<(), VersionError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// A numeric component: digits read and folded in one pass, without leading zeros, at
    /// most `u64::MAX`.
    #[inline]
    fn number(&mut self) -> Result<u64, VersionError> {
        let bytes = self.input.as_bytes();
        let start = self.pos;
        let mut end = start;
        let mut value: Option<u64> = Some(0);
        while let Some(digit) = bytes
            .get(end)
            .map(|b| b.wrapping_sub(b'0'))
            .filter(|d| *d < 10)
        {
            value = value
                .and_then(|v| v.checked_mul(10))
                .and_then(|v| v.checked_add(u64::from(digit)));
            end += 1;
        }
        if end == start {
            return Err(self.unexpected());
        }
        if end - start > 1 && bytes[start] == b'0' {
            return Err(self.error(VersionErrorKind::LeadingZero));
        }
        let value = value.ok_or_else(|| self.error(VersionErrorKind::NumberTooLarge))?;
        self.pos = end;
        Ok(value)
    }

    /// Dot-separated identifiers of `[0-9A-Za-z-]`; pre-release numeric ones may not have a
    /// leading zero.
    fn identifiers(&mut self, is_pre: bool) -> Result<&'a str, VersionError> {
        let start = self.pos;
        loop {
            let ident_start = self.pos;
            while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'-') {
                self.pos += 1;
            }
            let ident = &self.input[ident_start..self.pos];
            if ident.is_empty() {
                return Err(self.unexpected());
            }
            if is_pre
                && ident.len() > 1
                && ident.starts_with('0')
                && ident.bytes().all(|b| b.is_ascii_digit())
            {
                self.pos = ident_start;
                return Err(self.error(VersionErrorKind::LeadingZero));
            }
            if self.peek() == Some(b'.') {
                self.pos += 1;
            } else {
                break;
            }
        }
        Ok(&self.input[start..self.pos])
    }
}

/// SemVer §11.4 precedence of two dot-separated pre-release lists (both non-empty).
fn compare_pre(a: &[u8], b: &[u8]) -> Ordering {
    let mut left = a.split(|&b| b == b'.');
    let mut right = b.split(|&b| b == b'.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = compare_identifier(x, y);
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

fn compare_identifier(x: &[u8], y: &[u8]) -> Ordering {
    let x_numeric = x.iter().all(u8::is_ascii_digit);
    let y_numeric = y.iter().all(u8::is_ascii_digit);
    match (x_numeric, y_numeric) {
        // No leading zeros, so a longer number is larger; equal lengths compare as text.
        (true, true) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.cmp(y),
    }
}

/// SemVer §11 precedence of (major, minor, patch, pre-release) quadruples.
#[inline]
fn precedence(a: (u64, u64, u64, &[u8]), b: (u64, u64, u64, &[u8])) -> Ordering {
    (a.0, a.1, a.2)
        .cmp(&(b.0, b.1, b.2))
        .then_with(|| pre_precedence(a.3, b.3))
}

/// SemVer §11 precedence of two pre-releases (dot-separated identifiers, empty when there
/// are none) of versions whose numbers are equal: none ranks above any.
#[inline]
fn pre_precedence(a: &[u8], b: &[u8]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => compare_pre(a, b),
    }
}

impl Ord for SemanticVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        precedence(
            (self.major, self.minor, self.patch, self.pre.as_bytes()),
            (other.major, other.minor, other.patch, other.pre.as_bytes()),
        )
    }
}

impl Hash for SemanticVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.major, self.minor, self.patch, &self.pre).hash(state);
    }
}

impl std::fmt::Display for SemanticVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build)?;
        }
        Ok(())
    }
}

super::parsing::order_from_ord!(SemanticVersion);
