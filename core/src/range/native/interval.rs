//! Maven and NuGet interval notation: `[1.0,2.0)`, `(,1.0]`, `[1.5,)`, `[1.0]`, several
//! comma-separated (`(,1.0],[1.2,)`), or a bare version. A bare Maven version is a soft
//! requirement; as an affected range it means exactly that version. A bare NuGet version
//! means "at least" it (NuGet's `1.0` is `[1.0, )`).

use super::{interval, syntax, RangeSyntaxError};
use crate::range::{Interval, Range};
use crate::version::{Scheme, Version};

pub(super) fn parse(scheme: Scheme, input: &str) -> Result<Range, RangeSyntaxError> {
    let text: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return Err(syntax(scheme, input, 0, "empty range"));
    }
    if !text.starts_with(['[', '(']) {
        let v = Version::parse(scheme, &text)?;
        let i = if scheme == Scheme::Nuget {
            interval(Some((v, true)), None)
        } else {
            interval(Some((v.clone(), true)), Some((v, true)))
        };
        return Ok(Range::from_intervals(scheme, vec![i])?);
    }
    let mut intervals: Vec<Interval> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let open = bytes[i];
        if open != b'[' && open != b'(' {
            return Err(syntax(scheme, input, i, "expected [ or ("));
        }
        let close = text[i..]
            .find([']', ')'])
            .map(|k| i + k)
            .ok_or_else(|| syntax(scheme, input, i, "unclosed interval"))?;
        let body = &text[i + 1..close];
        let (lo, hi) = if let Some((lo, hi)) = body.split_once(',') {
            (lo, hi)
        } else {
            // `[1.0]` is exactly 1.0; `(1.0)` is meaningless.
            if open != b'[' || bytes[close] != b']' || body.is_empty() {
                return Err(syntax(scheme, input, i, "a single version needs [ ]"));
            }
            (body, body)
        };
        if hi.contains(',') {
            return Err(syntax(scheme, input, i, "an interval has at most two ends"));
        }
        let lower = if lo.is_empty() {
            None
        } else {
            Some((Version::parse(scheme, lo)?, open == b'['))
        };
        let upper = if hi.is_empty() {
            None
        } else {
            Some((Version::parse(scheme, hi)?, bytes[close] == b']'))
        };
        if (lo.is_empty() && open == b'[') || (hi.is_empty() && bytes[close] == b']') {
            return Err(syntax(
                scheme,
                input,
                i,
                "an unbounded end must be open: ( or )",
            ));
        }
        intervals.push(interval(lower, upper));
        i = close + 1;
        if i < bytes.len() {
            if bytes[i] != b',' {
                return Err(syntax(scheme, input, i, "expected , between intervals"));
            }
            i += 1;
        }
    }
    Ok(Range::from_intervals(scheme, intervals)?)
}
