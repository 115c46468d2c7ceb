//! The plain form most SemVer-family versions take, read in one pass over the bytes:
//! `MAJOR.MINOR.PATCH[-PRE][+BUILD]`, after the prefix the scheme allows (`v`, `=` for npm,
//! `v` for Go), nothing before or after.
//!
//! This is a shortcut in front of the parser, never a second judge: it answers only for
//! texts it reads whole and finds valid, with exactly the parts the parser would return,
//! and declines (`None`) everything else — white space around the text, Go's `vMAJOR` and
//! `vMAJOR.MINOR` shorthands, numbers of 20 digits or more, and every invalid text — so
//! that the parser decides those and words their errors. The property tests
//! `plain_reads_as_the_parser_reads` and `plain_compares_as_the_parser_orders` (in
//! `semantic/tests.rs`) hold it to that over generated texts, valid and invalid.
//!
//! [`PlainVersion`] is the same reading offered to readers of many versions packed in one
//! buffer (the batch modes' lines): it reads a version at the start of a byte buffer, up to
//! the first byte that cannot continue it, and leaves what follows to its caller.
//!
//! Its functions are inlined into their callers (`inline(always)`): left to itself the
//! compiler called them out of line, which cost a fifth of the reading (callgrind, the
//! 100,000 lines of benches/README.md "Batch modes").
#![allow(clippy::inline_always)]

use super::Parts;
use crate::version::Scheme;
use std::cmp::Ordering;

/// The order of `a` and `b` when both are in the plain form for `scheme`, as `precedence`
/// orders their parts; `None` when either is not (the parser must then read both, and say
/// why one is rejected). Both texts are read whole and checked, build metadata included,
/// before anything is answered; no `Result` is built on the way.
#[inline(always)]
pub(super) fn compare(scheme: Scheme, a: &str, b: &str) -> Option<Ordering> {
    let a = whole(scheme, a.as_bytes())?;
    let b = whole(scheme, b.as_bytes())?;
    Some(a.cmp(&b))
}

/// The parts of `text` when it is in the plain form for `scheme`, as `Parser::parse`
/// returns them; `None` when the parser must decide.
#[inline(always)]
pub(super) fn parts(scheme: Scheme, text: &str) -> Option<Parts<'_>> {
    let found = read(scheme, text.as_bytes())?;
    (found.end == text.len()).then_some(())?;
    Some(Parts {
        major: found.major,
        minor: found.minor,
        patch: found.patch,
        // Cut where `read` found ASCII bytes: whole characters.
        pre: text.get(found.pre.0..found.pre.1)?,
        build: text.get(found.build.0..found.build.1)?,
    })
}

/// A version of a SemVer-family scheme in the plain form (`MAJOR.MINOR.PATCH[-PRE][+BUILD]`
/// after the prefix the scheme allows), read in place from the start of a byte buffer:
/// without allocating, without a `Result`, without checking the buffer as UTF-8 first
/// (the form is ASCII). Ordered as [`SemanticVersion`](super::SemanticVersion) orders the
/// same text, build metadata left out.
///
/// It is what a reader of many versions packed in one buffer (a batch's lines) compares
/// before anything is parsed; whatever [`PlainVersion::read`] declines is the parser's to
/// read, accept or reject with its error.
///
/// ```
/// use exposure::version::{PlainVersion, Scheme, SemanticVersion};
/// let line = b"v1.2.3-rc.1\t1.2.3+build\n";
/// let (a, a_len) = PlainVersion::read(Scheme::Npm, line).unwrap();
/// assert_eq!(line[a_len], b'\t');
/// let (b, b_len) = PlainVersion::read(Scheme::Npm, &line[a_len + 1..]).unwrap();
/// assert_eq!(line[a_len + 1 + b_len], b'\n');
/// assert!(a < b);
/// // Not plain: the parser decides (here, it rejects the leading zero).
/// assert!(PlainVersion::read(Scheme::Npm, b"01.2.3").is_none());
/// assert!(SemanticVersion::parse(Scheme::Npm, "01.2.3").is_err());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PlainVersion<'a> {
    major: u64,
    minor: u64,
    patch: u64,
    /// The dot-separated pre-release identifiers (ASCII), empty when there are none.
    pre: &'a [u8],
}

impl<'a> PlainVersion<'a> {
    /// The version at the start of `bytes` when it is in the plain form for `scheme` (one of
    /// `semver`, `npm`, `cargo`, `golang`, `hex`), with its length: the offset of the first
    /// byte that cannot continue it, or the end of `bytes`. What follows is the caller's to
    /// check (a separator, a line's end).
    ///
    /// `None` when the bytes there are not a plain version the parser would accept
    /// alike: another scheme, white space before the version, Go's `vMAJOR` shorthands,
    /// numbers of 20 digits or more, and every text the parser rejects.
    ///
    /// ```
    /// use exposure::version::{PlainVersion, Scheme};
    /// let (v, len) = PlainVersion::read(Scheme::Semver, b"10.0.1-alpha+x rest").unwrap();
    /// assert_eq!((v.major(), v.minor(), v.patch(), v.pre(), len), (10, 0, 1, &b"alpha"[..], 14));
    /// assert!(PlainVersion::read(Scheme::Pypi, b"1.0.0").is_none());
    /// ```
    #[inline(always)]
    pub fn read(scheme: Scheme, bytes: &'a [u8]) -> Option<(Self, usize)> {
        if !scheme.is_semantic() {
            return None;
        }
        let found = read(scheme, bytes)?;
        let version = Self {
            major: found.major,
            minor: found.minor,
            patch: found.patch,
            pre: bytes.get(found.pre.0..found.pre.1)?,
        };
        Some((version, found.end))
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

    /// The pre-release identifiers joined by `.` (ASCII), empty when there are none.
    pub fn pre(&self) -> &'a [u8] {
        self.pre
    }
}

impl Ord for PlainVersion<'_> {
    #[inline(always)]
    fn cmp(&self, other: &Self) -> Ordering {
        super::precedence(
            (self.major, self.minor, self.patch, self.pre),
            (other.major, other.minor, other.patch, other.pre),
        )
    }
}

impl PartialOrd for PlainVersion<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PlainVersion<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PlainVersion<'_> {}

/// `bytes` as a plain version when the whole of it is one.
#[inline(always)]
fn whole(scheme: Scheme, bytes: &[u8]) -> Option<PlainVersion<'_>> {
    let (version, end) = PlainVersion::read(scheme, bytes)?;
    (end == bytes.len()).then_some(version)
}

/// Where a plain version lies at the start of its bytes.
struct Found {
    major: u64,
    minor: u64,
    patch: u64,
    /// The pre-release's and the build metadata's byte ranges (empty when absent).
    pre: (usize, usize),
    build: (usize, usize),
    /// The offset of the first byte that cannot continue the version.
    end: usize,
}

/// Reads the plain form from the start of `bytes` up to the first byte that cannot
/// continue it; `None` when what is there is not a plain version (or is one cut short: a
/// `-`, `+` or `.` with no identifier after it).
#[inline(always)]
fn read(scheme: Scheme, bytes: &[u8]) -> Option<Found> {
    let pos = match (scheme, bytes.first()?) {
        (_, b'0'..=b'9') => 0,
        // The parser skips a run of `v`, `=` and spaces after a leading `v` or `=`.
        (Scheme::Npm, b'v' | b'=') => {
            1 + bytes[1..]
                .iter()
                .take_while(|b| matches!(b, b'v' | b'=' | b' '))
                .count()
        }
        (Scheme::Golang, b'v') => 1,
        _ => return None,
    };
    let (major, minor, patch, mut pos) = core(bytes, pos)?;
    let mut pre = (pos, pos);
    let mut build = (pos, pos);
    if bytes.get(pos) == Some(&b'-') {
        let start = pos + 1;
        pos = identifiers(bytes, start, true)?;
        pre = (start, pos);
    }
    if bytes.get(pos) == Some(&b'+') {
        let start = pos + 1;
        pos = identifiers(bytes, start, false)?;
        build = (start, pos);
    }
    Some(Found {
        major,
        minor,
        patch,
        pre,
        build,
        end: pos,
    })
}

/// `MAJOR.MINOR.PATCH` from `pos`: the three numbers and the offset after the last.
///
/// Read byte by byte. Reading eight bytes at once with bit masks (no branch on the digits)
/// was tried: a third fewer mispredicted branches on random versions, a fifth more
/// instructions, the same time within 2 % (benches/README.md, "Batch modes").
#[inline(always)]
fn core(bytes: &[u8], mut pos: usize) -> Option<(u64, u64, u64, usize)> {
    let major = number(bytes, &mut pos)?;
    dot(bytes, &mut pos)?;
    let minor = number(bytes, &mut pos)?;
    dot(bytes, &mut pos)?;
    let patch = number(bytes, &mut pos)?;
    Some((major, minor, patch, pos))
}

#[inline(always)]
fn dot(bytes: &[u8], pos: &mut usize) -> Option<()> {
    (bytes.get(*pos) == Some(&b'.')).then(|| *pos += 1)
}

/// Digits folded as they are read: at least one, no leading zero, at most 19 (below
/// `u64::MAX`, so no overflow check per digit; longer numbers are the parser's).
#[inline(always)]
fn number(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let first = bytes.get(*pos)?.wrapping_sub(b'0');
    if first > 9 {
        return None;
    }
    let start = *pos;
    *pos += 1;
    let mut value = u64::from(first);
    while let Some(digit) = bytes
        .get(*pos)
        .map(|b| b.wrapping_sub(b'0'))
        .filter(|d| *d < 10)
    {
        value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
        *pos += 1;
    }
    let len = *pos - start;
    (len == 1 || (first != 0 && len <= 19)).then_some(value)
}

/// What a byte is to an identifier: not part of one, a digit, or a letter or `-`.
const OTHER: u8 = 0;
const DIGIT: u8 = 1;
const ALPHA: u8 = 2;
const CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        #[allow(clippy::cast_possible_truncation)] // b < 256
        let byte = b as u8;
        class[b] = if byte.is_ascii_digit() {
            DIGIT
        } else if byte.is_ascii_alphabetic() || byte == b'-' {
            ALPHA
        } else {
            OTHER
        };
        b += 1;
    }
    class
};

/// Dot-separated identifiers of `[0-9A-Za-z-]` from `start`, none empty, and in a
/// pre-release no numeric one with a leading zero; the position after the last.
#[inline]
fn identifiers(bytes: &[u8], start: usize, is_pre: bool) -> Option<usize> {
    let mut pos = start;
    loop {
        let ident = pos;
        let mut numeric = true;
        while let Some(&b) = bytes.get(pos) {
            let class = CLASS[usize::from(b)];
            if class == OTHER {
                break;
            }
            numeric &= class == DIGIT;
            pos += 1;
        }
        let len = pos - ident;
        if len == 0 || (is_pre && numeric && len > 1 && bytes[ident] == b'0') {
            return None;
        }
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
        } else {
            return Some(pos);
        }
    }
}
