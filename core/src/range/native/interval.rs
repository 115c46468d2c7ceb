//! Maven and NuGet interval notation: `[1.0,2.0)`, `(,1.0]`, `[1.5,)`, `[1.0]`, several
//! comma-separated (`(,1.0],[1.2,)`), or a bare version. A bare Maven version is a soft
//! requirement; as an affected range it means exactly that version. A bare NuGet version
//! means "at least" it (NuGet's `1.0` is `[1.0, )`).
//!
//! NuGet's `VersionRange.Parse` rules on top: a bracket on a missing end is not checked
//! (`[1.0, ]` and `[, 2.0)` leave that end unbounded), while `(,)`, a reversed interval
//! (`[1.1.4, 1.1.2)`) and an empty one (`(1.0, 1.0]`) are errors. Maven keeps its own: an
//! unbounded end must be open.

use super::{interval, version_with, Fail};
use crate::range::{Interval, Range};
use crate::span::before_removal;
use crate::version::Scheme;
use std::borrow::Cow;

pub(super) fn parse(scheme: Scheme, input: &str) -> Result<Range, Fail> {
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
        if scheme == Scheme::Nuget {
            nuget_bounds(lower.as_ref(), upper.as_ref()).map_err(|m| syntax(i, m))?;
        } else if (lo.is_empty() && open == b'[') || (hi.is_empty() && bytes[close] == b']') {
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

/// NuGet's checks on an interval's ends: at least one, the lower not above the upper, and
/// equal ends only when both are inclusive.
fn nuget_bounds(
    lower: Option<&(crate::version::Version, bool)>,
    upper: Option<&(crate::version::Version, bool)>,
) -> Result<(), &'static str> {
    match (lower, upper) {
        (None, None) => Err("a NuGet range needs at least one bound"),
        (Some((lo, lo_in)), Some((hi, hi_in))) => match lo.partial_cmp(hi) {
            Some(std::cmp::Ordering::Greater) => Err("the lower bound is above the upper bound"),
            Some(std::cmp::Ordering::Equal) if !(*lo_in && *hi_in) => {
                Err("an interval with equal bounds must include both")
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::version::{Scheme, Version};

    fn contains(scheme: Scheme, range: &str, version: &str) -> bool {
        parse(scheme, range)
            .unwrap_or_else(|e| panic!("{range}: {e:?}"))
            .contains(&Version::parse(scheme, version).unwrap())
    }

    #[test]
    fn nuget_leaves_a_bracketed_missing_end_unbounded() {
        assert!(contains(Scheme::Nuget, "[1.0.0, ]", "99.0"));
        assert!(!contains(Scheme::Nuget, "[1.0.0, ]", "0.9"));
        assert!(contains(Scheme::Nuget, "[, 2.0.0)", "0.1"));
        assert!(!contains(Scheme::Nuget, "[, 2.0.0)", "2.0.0"));
        assert!(contains(Scheme::Nuget, "[19   .   19, 20)", "19.19.0.0"));
        // Maven keeps its rule.
        assert!(parse(Scheme::Maven, "[1.0.0,]").is_err());
        assert!(parse(Scheme::Maven, "[,2.0.0)").is_err());
    }

    #[test]
    fn nuget_rejects_boundless_reversed_and_empty_intervals() {
        for bad in [
            "(,)",
            "[,]",
            "[1.1.4, 1.1.2)",
            "[2.0, 1.0]",
            "(1.0, 1.0]",
            "[1.0, 1.0)",
            "(1.0,1.0)",
        ] {
            assert!(parse(Scheme::Nuget, bad).is_err(), "{bad}");
        }
        assert!(contains(Scheme::Nuget, "[1.0, 1.0]", "1.0.0.0"));
        assert!(contains(Scheme::Nuget, "[1.0,1.0.0.0]", "1.0"));
        assert!(parse(Scheme::Nuget, "[2147483648, )").is_err());
    }
}
