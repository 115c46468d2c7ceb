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
//! Its numbers are kept as written and compared digit for digit; when they lie in the first
//! 16 bytes of the buffer they are found, checked and compared a word at a time, on bit masks,
//! with no branch on how many digits each has (random versions mispredicted those branches
//! about three times a line: benches/README.md, "Batch modes").
//!
//! [`PlainVersion::compare_pair`] orders two versions written one after the other (`A<TAB>B`,
//! a batch line). When both versions' numbers end in their first eight bytes (`4.17.21`,
//! `1.0.0-rc.1`) it reads and compares the numbers as two words and builds neither version;
//! every other pair goes through [`PlainVersion::read`].
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
    let version = found.version;
    Some(Parts {
        major: version.major(),
        minor: version.minor(),
        patch: version.patch(),
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
/// Its numbers are kept as the digits they are written with, and compared as such: with no
/// leading zeros, a longer number is the greater, and numbers of one length are ordered by
/// their first differing digit. When both versions' numbers lie in the first 16 bytes of
/// their buffers, the first differing byte of the two is found for all three numbers at
/// once, a word at a time, with no branch on the digits.
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
#[derive(Clone, Copy)]
pub struct PlainVersion<'a> {
    /// `MAJOR.MINOR.PATCH` as written.
    numbers: &'a [u8],
    /// The offsets of the two dots in `numbers`.
    dots: (usize, usize),
    /// The 16 bytes from the major number's first digit, when `numbers` ends inside them.
    window: Option<&'a [u8; WINDOW]>,
    /// The window's non-digits up to the numbers' end: bit `i` set when its byte `i` is not
    /// a digit (see [`nondigit_mask`]; past the end, bits may be missing); 0 without a
    /// window.
    nondigits: u32,
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
        Some((found.version, found.end))
    }

    /// The order of the two versions written `A{between}B{after}` at the start of
    /// `bytes` when both are in the plain form for `scheme` (as [`PlainVersion::read`]
    /// reads them and [`Ord`] orders them), with the length through `after`; `None` when
    /// either is not plain or the separators are not there.
    ///
    /// Versions whose numbers end in their first eight bytes (`4.17.21`, `1.0.0-rc.1`:
    /// most of a batch's lines), with eight bytes to read from each version's start (the
    /// lines that follow in a batch's block), have their numbers read and compared a word at
    /// a time, and nothing else built; any other pair is read by [`PlainVersion::read`].
    ///
    /// ```
    /// use exposure::version::{PlainVersion, Scheme};
    /// use std::cmp::Ordering;
    /// let lines = b"4.17.21\t4.2.0\n1.0.0-rc.1\t1.0.0\n";
    /// let (order, len) = PlainVersion::compare_pair(Scheme::Npm, lines, b'\t', b'\n').unwrap();
    /// assert_eq!((order, len), (Ordering::Greater, 14));
    /// let (order, _) = PlainVersion::compare_pair(Scheme::Npm, &lines[len..], b'\t', b'\n').unwrap();
    /// assert_eq!(order, Ordering::Less);
    /// assert!(PlainVersion::compare_pair(Scheme::Npm, b"1.0.0 2.0.0\n", b'\t', b'\n').is_none());
    /// ```
    #[inline(always)]
    pub fn compare_pair(
        scheme: Scheme,
        bytes: &[u8],
        between: u8,
        after: u8,
    ) -> Option<(Ordering, usize)> {
        if !scheme.is_semantic() {
            return None;
        }
        if let Some(pair) = short_pair(bytes, between, after) {
            return Some(pair);
        }
        let (a, a_len) = PlainVersion::read(scheme, bytes)?;
        if bytes.get(a_len) != Some(&between) {
            return None;
        }
        let rest = &bytes[a_len + 1..];
        let (b, b_len) = PlainVersion::read(scheme, rest)?;
        if rest.get(b_len) != Some(&after) {
            return None;
        }
        Some((a.cmp(&b), a_len + b_len + 2))
    }

    /// The major component.
    pub fn major(&self) -> u64 {
        value(self.digits()[0])
    }

    /// The minor component.
    pub fn minor(&self) -> u64 {
        value(self.digits()[1])
    }

    /// The patch component.
    pub fn patch(&self) -> u64 {
        value(self.digits()[2])
    }

    /// The pre-release identifiers joined by `.` (ASCII), empty when there are none.
    pub fn pre(&self) -> &'a [u8] {
        self.pre
    }

    /// Whether the numbers lie in the window (compared a word at a time).
    #[cfg(test)]
    pub(super) fn in_window(&self) -> bool {
        self.window.is_some()
    }

    /// The digits of the major, minor and patch numbers.
    #[inline(always)]
    fn digits(&self) -> [&'a [u8]; 3] {
        let (first, second) = self.dots;
        let numbers = self.numbers;
        [
            &numbers[..first],
            &numbers[first + 1..second],
            &numbers[second + 1..],
        ]
    }

    /// The order of the two versions' numbers (pre-releases left out).
    #[inline(always)]
    fn compare_numbers(&self, other: &Self) -> Ordering {
        match (self.window, other.window) {
            (Some(mine), Some(theirs)) => compare_windows(
                (mine, self.nondigits),
                (theirs, other.nondigits),
                self.numbers.len(),
            ),
            _ => compare_digits(self.digits(), other.digits()),
        }
    }
}

impl std::fmt::Debug for PlainVersion<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlainVersion")
            .field("major", &self.major())
            .field("minor", &self.minor())
            .field("patch", &self.patch())
            .field("pre", &String::from_utf8_lossy(self.pre))
            .finish()
    }
}

impl Ord for PlainVersion<'_> {
    #[inline(always)]
    fn cmp(&self, other: &Self) -> Ordering {
        self.compare_numbers(other)
            .then_with(|| super::pre_precedence(self.pre, other.pre))
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

/// The value of at most 19 digits (below `u64::MAX`).
fn value(digits: &[u8]) -> u64 {
    digits
        .iter()
        .fold(0, |value, digit| value * 10 + u64::from(digit - b'0'))
}

/// The order of numbers written without leading zeros, digit for digit: the longer is the
/// greater, and of one length the one with the greater first differing digit.
#[inline(always)]
fn compare_digits(a: [&[u8]; 3], b: [&[u8]; 3]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.len().cmp(&y.len()).then_with(|| x.cmp(&y)))
        .find(|order| order.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// [`compare_digits`] on two windows (with their non-digit masks) in which the numbers
/// lie (ending at `end` in the first): the first byte where the windows differ decides.
/// Before it the two versions have the same dots and digits, so a number differing there
/// starts at the same offset in both; the one with more digits from there on is the
/// greater, and with as many, the greater digit there. A difference after the numbers' end
/// (or none) leaves them equal.
#[inline(always)]
fn compare_windows(a: (&[u8; WINDOW], u32), b: (&[u8; WINDOW], u32), end: usize) -> Ordering {
    let (a, a_nondigits) = a;
    let (b, b_nondigits) = b;
    // The first differing byte: in the first word (most often), else in the second, else
    // none (16).
    let low = nonzero_bytes(low_word(a) ^ low_word(b));
    let at = if low == 0 {
        let high = nonzero_bytes(high_word(a) ^ high_word(b));
        8 + high.trailing_zeros() / 8 // 64 / 8 when none
    } else {
        low.trailing_zeros() / 8
    };
    // `end` (where the first version's numbers end) is the other's too when it comes
    // before `at`.
    if at as usize > end {
        return Ordering::Equal;
    }
    let key = |window: &[u8; WINDOW], nondigits: u32| {
        number_key(nondigits, at, window[at as usize % WINDOW])
    };
    key(a, a_nondigits).cmp(&key(b, b_nondigits))
}

/// What orders two versions' numbers from `at`, the first byte where they differ (`byte`
/// there, `nondigits` a mask of the non-digits from which `at` is counted): the digits left
/// from `at` on (0 at the numbers' end, where both have a non-digit), then the digit there.
/// Two versions' keys are ordered as their numbers.
#[inline(always)]
fn number_key(nondigits: u32, at: u32, byte: u8) -> u32 {
    let run = (nondigits >> at).trailing_zeros();
    run << 8 | u32::from(if run == 0 { 0 } else { byte })
}

/// Where a plain version lies at the start of its bytes.
struct Found<'a> {
    version: PlainVersion<'a>,
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
fn read(scheme: Scheme, bytes: &[u8]) -> Option<Found<'_>> {
    let start = match (scheme, bytes.first()?) {
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
    let from = bytes.get(start..)?;
    let numbers = Numbers::read(from)?;
    let mut pos = start + numbers.end;
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
    let version = PlainVersion {
        numbers: from.get(..numbers.end)?,
        dots: numbers.dots,
        window: numbers.window,
        nondigits: numbers.nondigits,
        pre: bytes.get(pre.0..pre.1)?,
    };
    Some(Found {
        version,
        pre,
        build,
        end: pos,
    })
}

/// [`PlainVersion::compare_pair`] when both versions' numbers end in their first eight
/// bytes (`1.2.3-rc.1`, `4.17.21`): each read by [`ShortVersion::read`], the first ended by
/// `between` and the second by `after`; `None` for [`PlainVersion::read`] to decide.
#[inline(always)]
pub(super) fn short_pair(bytes: &[u8], between: u8, after: u8) -> Option<(Ordering, usize)> {
    let a = ShortVersion::read(bytes, 0)?;
    (bytes.get(a.end) == Some(&between)).then_some(())?;
    let b = ShortVersion::read(bytes, a.end + 1)?;
    (bytes.get(b.end) == Some(&after)).then_some(())?;
    let order = compare_words(
        (a.word, a.numbers.nondigits),
        (b.word, b.numbers.nondigits),
        a.numbers.end,
    )
    .then_with(|| super::pre_precedence(a.pre, b.pre));
    Some((order, b.end + 1))
}

/// A plain version whose numbers end in its first eight bytes, read from a buffer: the
/// word, its numbers, its pre-release.
struct ShortVersion<'a> {
    word: u64,
    numbers: InWord,
    pre: &'a [u8],
    /// The offset in the buffer of the first byte that cannot continue the version.
    end: usize,
}

impl<'a> ShortVersion<'a> {
    /// The version at `start` in `bytes` when it starts with a digit and its numbers end
    /// in its first eight bytes (which `bytes` must hold); its pre-release and build
    /// metadata are read as [`PlainVersion::read`] reads them. `None` otherwise.
    #[inline(always)]
    fn read(bytes: &'a [u8], start: usize) -> Option<Self> {
        let word = u64::from_le_bytes(*bytes.get(start..)?.first_chunk()?);
        let numbers = InWord::read(word)?;
        let mut end = start + numbers.end as usize;
        let mut pre: &[u8] = &[];
        if numbers.ending(word) == b'-' {
            let from = end + 1;
            end = identifiers(bytes, from, true)?;
            pre = bytes.get(from..end)?;
        }
        if bytes.get(end) == Some(&b'+') {
            end = identifiers(bytes, end + 1, false)?;
        }
        Some(Self {
            word,
            numbers,
            pre,
            end,
        })
    }
}

/// The bytes of the numbers' window (see [`PlainVersion`]).
const WINDOW: usize = 16;

/// Where `MAJOR.MINOR.PATCH` lies at the start of a version's bytes.
struct Numbers<'a> {
    /// The offsets of the two dots.
    dots: (usize, usize),
    /// The offset after the patch number.
    end: usize,
    /// The first [`WINDOW`] bytes when `end` lies inside them, and their non-digits.
    window: Option<&'a [u8; WINDOW]>,
    nondigits: u32,
}

impl<'a> Numbers<'a> {
    /// `MAJOR.MINOR.PATCH` at the start of `bytes`: three numbers of one to 19 digits
    /// without a leading zero, separated by dots; `None` when they are not there.
    #[inline(always)]
    fn read(bytes: &'a [u8]) -> Option<Self> {
        if let Some(window) = bytes.first_chunk() {
            if let Some(numbers) = Self::read_word(window).or_else(|| Self::read_window(window)) {
                return Some(numbers);
            }
        }
        Self::read_bytes(bytes)
    }

    /// [`Numbers::read`] when the numbers end inside the window's first eight bytes (most
    /// versions: `1.2.3`, `4.17.21`): [`InWord::read`] on its first word; `None` when they
    /// do not end there.
    #[inline(always)]
    fn read_word(window: &'a [u8; WINDOW]) -> Option<Self> {
        let numbers = InWord::read(low_word(window))?;
        Some(Self {
            dots: (numbers.first_dot as usize, numbers.second_dot as usize),
            end: numbers.end as usize,
            window: Some(window),
            // Past the end, the second word's bytes are not looked at (see
            // `compare_windows`).
            nondigits: numbers.nondigits,
        })
    }

    /// [`Numbers::read`] when the numbers end inside the first [`WINDOW`] bytes: the
    /// window's non-digits are found a word at a time, the dots and the numbers' end are
    /// its three lowest, and the rules are checked on bit masks, with one branch; `None`
    /// also when the numbers do not end in the window (for [`Numbers::read_bytes`] to
    /// decide).
    #[allow(clippy::needless_bitwise_bool)] // the rules joined without a branch each
    #[inline(always)]
    fn read_window(window: &'a [u8; WINDOW]) -> Option<Self> {
        let nondigits = nondigit_mask(window);
        // (No more non-digits than the stop bit leaves the masks 0, and `shaped` false.)
        let after_first = nondigits & nondigits.wrapping_sub(1);
        let after_second = after_first & after_first.wrapping_sub(1);
        // The two dots' bits, and the three lowest: the dots and the numbers' end.
        let dots = nondigits ^ after_second;
        let three = nondigits ^ (after_second & after_second.wrapping_sub(1));
        // Each number has a digit (no non-digit first or next to another), and they end
        // in the window (not at the stop bit).
        let shaped = three & ((three >> 1) | 1 | 1 << WINDOW) == 0;
        let (first, second) = (nondigits.trailing_zeros(), after_first.trailing_zeros());
        // Offsets past the window (when not `shaped`) are read modulo its size, and shifts
        // by them wrap.
        let byte = |at: u32| window[at as usize % WINDOW];
        let dotted = (byte(first) == b'.') & (byte(second) == b'.');
        // Numbers of two digits or more, at their first digit, and those whose first is 0.
        let long = (1 | dots << 1) & !(nondigits >> 1);
        let zeros = u32::from(byte(0) == b'0')
            | u32::from(byte(first + 1) == b'0').wrapping_shl(first + 1)
            | u32::from(byte(second + 1) == b'0').wrapping_shl(second + 1);
        let valid = shaped & dotted & (long & zeros == 0);
        valid.then_some(Self {
            dots: (first as usize, second as usize),
            end: after_second.trailing_zeros() as usize,
            window: Some(window),
            nondigits,
        })
    }

    /// [`Numbers::read`] a byte at a time, for numbers that do not end in the window (or
    /// bytes shorter than it).
    #[inline(always)]
    fn read_bytes(bytes: &'a [u8]) -> Option<Self> {
        let first = number(bytes, 0)?;
        let second = dot(bytes, first).and_then(|start| number(bytes, start))?;
        let end = dot(bytes, second).and_then(|start| number(bytes, start))?;
        Some(Self {
            dots: (first, second),
            end,
            window: None,
            nondigits: 0,
        })
    }
}

/// `MAJOR.MINOR.PATCH` ending inside one little-endian word (byte 0 lowest): the rules
/// [`Numbers::read_window`] checks, looked up by the word's non-digits in [`SHAPES`] and
/// checked on the word's bytes, without a branch on the digits.
#[derive(Clone, Copy)]
struct InWord {
    /// Bit `i` set when byte `i` of the word is not a digit: the dots, the byte that ends
    /// the numbers, and any after it.
    nondigits: u32,
    /// The offsets of the two dots and of the byte that ends the numbers (at most 7).
    first_dot: u32,
    second_dot: u32,
    end: u32,
}

impl InWord {
    /// The numbers at the start of `word` when they are three numbers of digits without a
    /// leading zero, separated by dots, and end inside it; `None` otherwise.
    #[allow(clippy::needless_bitwise_bool)] // the rules joined without a branch each
    #[inline(always)]
    fn read(word: u64) -> Option<Self> {
        const ONES: u64 = u64::from_ne_bytes([1; 8]);
        const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
        let nondigits = byte_mask(nondigit_bytes(word));
        #[allow(clippy::cast_possible_truncation)] // eight bits, one per byte
        let shape = SHAPES[usize::from(nondigits as u8)];
        let dotted = (word ^ u64::from_ne_bytes([b'.'; 8])) & shape.dots == 0;
        // A zero byte where a number of two digits or more starts with `0` (every other
        // byte made non-zero): found by the classic test for a zero byte in a word.
        let zeros = (word ^ u64::from_ne_bytes([b'0'; 8])) | !shape.leads;
        let zero_led = zeros.wrapping_sub(ONES) & !zeros & HIGHS != 0;
        (shape.valid & dotted & !zero_led).then_some(Self {
            nondigits,
            first_dot: u32::from(shape.first_dot),
            second_dot: u32::from(shape.second_dot),
            end: u32::from(shape.end),
        })
    }

    /// The byte of `word` that ends the numbers.
    #[inline(always)]
    fn ending(self, word: u64) -> u8 {
        #[allow(clippy::cast_possible_truncation)] // the low byte
        let byte = (word >> (self.end * 8)) as u8;
        byte
    }
}

/// What the non-digits among a word's eight bytes say of `MAJOR.MINOR.PATCH` ending in it,
/// whatever the bytes are: where the dots and the end would be, and which bytes are the
/// first of a number of two digits or more.
#[derive(Clone, Copy)]
struct Shape {
    /// Whether the three lowest non-digits leave three numbers of at least one digit, the
    /// first from byte 0.
    valid: bool,
    first_dot: u8,
    second_dot: u8,
    end: u8,
    /// `0xff` at the two bytes that must be dots.
    dots: u64,
    /// `0xff` at the first byte of every number of two digits or more (which must not be
    /// `0`).
    leads: u64,
}

impl Shape {
    const INVALID: Self = Self {
        valid: false,
        first_dot: 0,
        second_dot: 0,
        end: 0,
        dots: 0,
        leads: 0,
    };

    /// The shape of the words whose non-digits are `mask` (bit `i` for byte `i`).
    const fn of(mask: u32) -> Self {
        if mask.count_ones() < 3 {
            return Self::INVALID;
        }
        let first = mask.trailing_zeros();
        let rest = mask & (mask - 1);
        let second = rest.trailing_zeros();
        let rest = rest & (rest - 1);
        let end = rest.trailing_zeros();
        let lengths = [first, second - first - 1, end - second - 1];
        if lengths[0] == 0 || lengths[1] == 0 || lengths[2] == 0 {
            return Self::INVALID;
        }
        let starts = [0, first + 1, second + 1];
        let mut leads = 0;
        let mut i = 0;
        while i < 3 {
            if lengths[i] >= 2 {
                leads |= 0xff << (starts[i] * 8);
            }
            i += 1;
        }
        #[allow(clippy::cast_possible_truncation)] // offsets below 8
        Self {
            valid: true,
            first_dot: first as u8,
            second_dot: second as u8,
            end: end as u8,
            dots: 0xff << (first * 8) | 0xff << (second * 8),
            leads,
        }
    }
}

/// [`Shape::of`] every mask of a word's non-digits, computed at compile time.
const SHAPES: [Shape; 256] = {
    let mut shapes = [Shape::INVALID; 256];
    let mut mask = 0;
    while mask < 256 {
        #[allow(clippy::cast_possible_truncation)] // mask < 256
        let shape = Shape::of(mask as u32);
        shapes[mask] = shape;
        mask += 1;
    }
    shapes
};

/// [`compare_windows`] on two words in which numbers end (`a`'s at `end`): the first byte
/// where they differ decides, with the non-digits ([`InWord::nondigits`]) for masks.
#[inline(always)]
fn compare_words(a: (u64, u32), b: (u64, u32), end: u32) -> Ordering {
    let (a, a_nondigits) = a;
    let (b, b_nondigits) = b;
    let differ = nonzero_bytes(a ^ b);
    // 8 when none: past every end.
    let at = differ.trailing_zeros() / 8;
    if at > end {
        return Ordering::Equal;
    }
    let key = |word: u64, nondigits: u32| {
        #[allow(clippy::cast_possible_truncation)] // one byte
        let byte = (word >> (at * 8)) as u8;
        number_key(nondigits, at, byte)
    };
    key(a, a_nondigits).cmp(&key(b, b_nondigits))
}

/// The offset after a dot at `at`.
#[inline(always)]
fn dot(bytes: &[u8], at: usize) -> Option<usize> {
    (bytes.get(at) == Some(&b'.')).then_some(at + 1)
}

/// The offset after the number at `start`: at least one digit, no leading zero, at most 19
/// (below `u64::MAX`; longer numbers are the parser's).
#[inline(always)]
fn number(bytes: &[u8], start: usize) -> Option<usize> {
    let digits = bytes
        .get(start..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let leading_zero = bytes.get(start) == Some(&b'0');
    (digits == 1 || ((2..=19).contains(&digits) && !leading_zero)).then_some(start + digits)
}

/// Bit `i` set when byte `i` of `window` is not an ASCII digit, and bit 16 set as a stop.
#[inline(always)]
fn nondigit_mask(window: &[u8; WINDOW]) -> u32 {
    byte_mask(nondigit_bytes(low_word(window)))
        | byte_mask(nondigit_bytes(high_word(window))) << 8
        | 1 << WINDOW
}

/// The first eight bytes of a window as a little-endian word (byte 0 lowest).
#[inline(always)]
fn low_word(window: &[u8; WINDOW]) -> u64 {
    #[allow(clippy::cast_possible_truncation)] // the low half
    let low = u128::from_le_bytes(*window) as u64;
    low
}

/// The last eight bytes of a window as a little-endian word.
#[inline(always)]
fn high_word(window: &[u8; WINDOW]) -> u64 {
    #[allow(clippy::cast_possible_truncation)] // the high half
    let high = (u128::from_le_bytes(*window) >> 64) as u64;
    high
}

/// The high bit of each byte of `word` that is not an ASCII digit.
#[inline(always)]
fn nondigit_bytes(word: u64) -> u64 {
    const LOWS: u64 = u64::from_ne_bytes([0x7f; 8]);
    // Digits become 0 to 9; adding 0x76 to the low seven bits of a byte sets its high
    // bit from 10 on, without a carry into the next byte; bytes from 0x80 keep theirs.
    let x = word ^ u64::from_ne_bytes([b'0'; 8]);
    (((x & LOWS) + u64::from_ne_bytes([0x76; 8])) | x) & !LOWS
}

/// The high bit of each byte of `word` that is not zero.
#[inline(always)]
fn nonzero_bytes(word: u64) -> u64 {
    const LOWS: u64 = u64::from_ne_bytes([0x7f; 8]);
    (((word & LOWS) + LOWS) | word) & !LOWS
}

/// The high bits of a word's bytes (as [`nondigit_bytes`] sets them) gathered into bit `i`
/// for byte `i`: one multiply lands each on its own bit of the top byte, with no carries.
#[inline(always)]
fn byte_mask(high_bits: u64) -> u32 {
    #[allow(clippy::cast_possible_truncation)] // the top byte
    let mask = ((high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32;
    mask
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

#[cfg(test)]
mod word_tests {
    use super::*;

    /// Every word over digits, dots and two other bytes reads as a byte at a time: numbers
    /// that end in the word are found at the same dots and end, with the same non-digits
    /// before the end; all others are declined (the table of shapes against the rules).
    #[test]
    fn words_read_as_their_bytes() {
        const ALPHABET: [u8; 6] = [b'0', b'1', b'9', b'.', b'-', b'\t'];
        let mut read = 0;
        for index in 0..ALPHABET.len().pow(8) {
            let mut bytes = [0u8; 8];
            let mut rest = index;
            for byte in &mut bytes {
                *byte = ALPHABET[rest % ALPHABET.len()];
                rest /= ALPHABET.len();
            }
            let by_bytes = Numbers::read_bytes(&bytes)
                .filter(|numbers| numbers.end < 8)
                .map(|numbers| (numbers.dots.0, numbers.dots.1, numbers.end));
            let word = u64::from_le_bytes(bytes);
            let by_word = InWord::read(word);
            assert_eq!(
                by_word.map(|numbers| {
                    let offset = |at: u32| usize::try_from(at).unwrap();
                    (
                        offset(numbers.first_dot),
                        offset(numbers.second_dot),
                        offset(numbers.end),
                    )
                }),
                by_bytes,
                "{:?}",
                String::from_utf8_lossy(&bytes)
            );
            if let Some(numbers) = by_word {
                read += 1;
                let below_end = (1u32 << (numbers.end + 1)) - 1;
                let expected = (0..8)
                    .filter(|&i| !bytes[i].is_ascii_digit())
                    .fold(0u32, |mask, i| mask | 1 << i);
                assert_eq!(numbers.nondigits & below_end, expected & below_end);
                assert_eq!(numbers.ending(word), bytes[numbers.end as usize]);
            }
        }
        assert!(read > 8_000, "{read} words read");
    }
}
