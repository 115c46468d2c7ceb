//! Maven interval notation: `[1.0,2.0)`, `(,1.0]`, `[1.5,)`, `[1.0]`, several
//! comma-separated (`(,1.0],[1.2,)`), or a bare version. A bare Maven version is a soft
//! requirement; as an affected range it means exactly that version. An unbounded end must be
//! open. (NuGet's single intervals have rules of their own: see `nuget.rs`.)

use super::{interval, version_with, Fail};
use crate::range::{Interval, Range};
use crate::span::before_removal;
use crate::version::Scheme;
use std::borrow::Cow;

pub(super) fn parse(input: &str) -> Result<Range, Fail> {
    let scheme = Scheme::Maven;
    // White space goes first; offsets found in the compact text are mapped back to `input`.
    let text: Cow<'_, str> = if input.contains(char::is_whitespace) {
        Cow::Owned(input.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(input)
    };
    let at = |i: usize| before_removal(input, char::is_whitespace, i);
    let syntax = |i: usize, message: &str| super::syntax(at(i), message);
    // The version at byte `i` of the compact text.
    let version = |i: usize, v: &str| version_with(scheme, v, |own| at(i + own));
    if text.is_empty() {
        return Err(syntax(0, "empty range"));
    }
    if !text.starts_with(['[', '(']) {
        let v = version(0, &text)?;
        let i = interval(Some((v.clone(), true)), Some((v, true)));
        return Ok(Range::from_intervals(scheme, vec![i])?);
    }
    let mut intervals: Vec<Interval> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let open = bytes[i];
        if open != b'[' && open != b'(' {
            return Err(syntax(i, "expected [ or ("));
        }
        let close = text[i..]
            .find([']', ')'])
            .map(|k| i + k)
            .ok_or_else(|| syntax(i, "unclosed interval"))?;
        let body = &text[i + 1..close];
        let (lo, hi) = if let Some((lo, hi)) = body.split_once(',') {
            (lo, hi)
        } else {
            // `[1.0]` is exactly 1.0; `(1.0)` is meaningless.
            if open != b'[' || bytes[close] != b']' || body.is_empty() {
                return Err(syntax(i, "a single version needs [ ]"));
            }
            (body, body)
        };
        if hi.contains(',') {
            return Err(syntax(i, "an interval has at most two ends"));
        }
        let lower = if lo.is_empty() {
            None
        } else {
            Some((version(i + 1, lo)?, open == b'['))
        };
        let upper = if hi.is_empty() {
            None
        } else {
            Some((version(close - hi.len(), hi)?, bytes[close] == b']'))
        };
        if (lo.is_empty() && open == b'[') || (hi.is_empty() && bytes[close] == b']') {
            return Err(syntax(i, "an unbounded end must be open: ( or )"));
        }
        intervals.push(interval(lower, upper));
        i = close + 1;
        if i < bytes.len() {
            if bytes[i] != b',' {
                return Err(syntax(i, "expected , between intervals"));
            }
            i += 1;
        }
    }
    Ok(Range::from_intervals(scheme, intervals)?)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn an_unbounded_end_must_be_open() {
        assert!(parse("[1.0.0,]").is_err());
        assert!(parse("[,2.0.0)").is_err());
        assert!(parse("(,2.0.0)").is_ok());
        assert!(parse("(,1.0],[1.2,)").is_ok());
    }
}
