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
    let a = parts(scheme, a)?;
    let b = parts(scheme, b)?;
    Some(super::precedence(a.order_key(), b.order_key()))
}

/// The parts of `text` when it is in the plain form for `scheme`, as `Parser::parse`
/// returns them; `None` when the parser must decide.
#[inline(always)]
pub(super) fn parts(scheme: Scheme, text: &str) -> Option<Parts<'_>> {
    let bytes = text.as_bytes();
    let mut pos = match (scheme, bytes.first()?) {
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
    let major = number(bytes, &mut pos)?;
    dot(bytes, &mut pos)?;
    let minor = number(bytes, &mut pos)?;
    dot(bytes, &mut pos)?;
    let patch = number(bytes, &mut pos)?;
    let mut pre = "";
    let mut build = "";
    if bytes.get(pos) == Some(&b'-') {
        let start = pos + 1;
        pos = identifiers(bytes, start, true)?;
        pre = text.get(start..pos)?;
    }
    if bytes.get(pos) == Some(&b'+') {
        let start = pos + 1;
        pos = identifiers(bytes, start, false)?;
        build = text.get(start..pos)?;
    }
    (pos == bytes.len()).then_some(Parts {
        major,
        minor,
        patch,
        pre,
        build,
    })
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
