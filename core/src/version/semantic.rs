//! SemVer 2.0.0 versions and the dialects built on it (npm, Cargo, Go modules).

use super::{Scheme, VersionError, VersionErrorKind};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

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
        Parser {
            scheme,
            input: text,
            pos: 0,
        }
        .parse()
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

struct Parser<'a> {
    scheme: Scheme,
    input: &'a str,
    pos: usize,
}

impl Parser<'_> {
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

    fn parse(mut self) -> Result<SemanticVersion, VersionError> {
        let bytes = self.input.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.input.trim().is_empty() {
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
            return Ok(SemanticVersion {
                major,
                minor: 0,
                patch: 0,
                pre: "".into(),
                build: "".into(),
            });
        }
        self.expect(b'.')?;
        let minor = self.number()?;
        if self.scheme == Scheme::Golang && at_end(&self) {
            return Ok(SemanticVersion {
                major,
                minor,
                patch: 0,
                pre: "".into(),
                build: "".into(),
            });
        }
        self.expect(b'.')?;
        let patch = self.number()?;
        let mut pre: Box<str> = "".into();
        let mut build: Box<str> = "".into();
        if self.peek() == Some(b'-') {
            self.pos += 1;
            pre = self.identifiers(true)?.into();
        }
        if self.peek() == Some(b'+') {
            self.pos += 1;
            build = self.identifiers(false)?.into();
        }
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.pos != bytes.len() {
            return Err(self.unexpected());
        }
        Ok(SemanticVersion {
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

    fn number(&mut self) -> Result<u64, VersionError> {
        let start = self.pos;
        let digits = self.input.as_bytes()[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return Err(self.unexpected());
        }
        if digits > 1 && self.input.as_bytes()[start] == b'0' {
            return Err(self.error(VersionErrorKind::LeadingZero));
        }
        let value = super::num::parse_u64(&self.input[start..start + digits])
            .ok_or_else(|| self.error(VersionErrorKind::NumberTooLarge))?;
        self.pos += digits;
        Ok(value)
    }

    /// Dot-separated identifiers of `[0-9A-Za-z-]`; pre-release numeric ones may not have a
    /// leading zero.
    fn identifiers(&mut self, is_pre: bool) -> Result<&str, VersionError> {
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
fn compare_pre(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
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

fn compare_identifier(x: &str, y: &str) -> Ordering {
    let x_numeric = x.bytes().all(|b| b.is_ascii_digit());
    let y_numeric = y.bytes().all(|b| b.is_ascii_digit());
    match (x_numeric, y_numeric) {
        // No leading zeros, so a longer number is larger; equal lengths compare as text.
        (true, true) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.cmp(y),
    }
}

impl Ord for SemanticVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_pre(&self.pre, &other.pre),
            })
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
