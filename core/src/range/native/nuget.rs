//! NuGet version ranges, read as `NuGet.Versioning.VersionRange.Parse` reads them: one
//! interval (`[1.0,2.0)`, `(,1.0]`, `[1.5,)`, `[1.0]`) or a bare version, which means "at
//! least" it (`1.0` is `[1.0, )`).
//!
//! Its rules, which differ from Maven's: white space around the range and around each end is
//! allowed, inside a version only where NuGet's version parser allows it (`[1 .2, 2]`, not
//! `[1 2, 3]`); one interval only (`(,1.0],[1.2,)` is rejected); a bracket on a missing end is
//! not checked (`[1.0, ]` and `[, 2.0)` leave that end unbounded); `(,)`, `[,]`, a reversed
//! interval (`[1.1.4, 1.1.2)`) and an empty one (`(1.0, 1.0]`) are errors, while ends made of
//! white space only (`(, )`, `[ ]`) are all versions, as NuGet reads them.
//!
//! Floating versions (`1.*`, `1.0.0-beta*`, `*`) are NuGet's dependency resolution ("the
//! highest 1.x"), not a set of versions (as a range NuGet reads `1.*` as `>= 1.0.0`, with no
//! upper end): they are rejected here, and advisories (GHSA, OSV) never use them.

use super::{interval, syntax, version, Fail};
use crate::range::Range;
use crate::version::{Scheme, Version};
use std::cmp::Ordering;

pub(super) fn parse(input: &str) -> Result<Range, Fail> {
    let lead = input.len() - input.trim_start().len();
    let text = input.trim();
    if text.is_empty() {
        return Err(syntax(0, "empty range"));
    }
    if let Some(star) = text.find('*') {
        return Err(syntax(
            lead + star,
            "a floating version (*) is NuGet's dependency resolution, not a range of versions",
        ));
    }
    let end = |part: &str| -> Result<Option<Version>, Fail> {
        if part.trim().is_empty() {
            Ok(None)
        } else {
            version(Scheme::Nuget, input, part, lead).map(Some)
        }
    };
    let open = text.as_bytes()[0];
    if open != b'[' && open != b'(' {
        let v = version(Scheme::Nuget, input, text, lead)?;
        return Ok(Range::from_intervals(
            Scheme::Nuget,
            vec![interval(Some((v, true)), None)],
        )?);
    }
    let close = text.as_bytes()[text.len() - 1];
    if text.len() < 2 || (close != b']' && close != b')') {
        return Err(syntax(lead, "unclosed interval"));
    }
    let (min_inclusive, max_inclusive) = (open == b'[', close == b']');
    let body = &text[1..text.len() - 1];
    let (lo, hi) = match body.split_once(',') {
        Some((_, hi)) if hi.contains(',') => {
            let second = lead + 1 + body.len() - hi.len() + hi.find(',').unwrap_or(0);
            return Err(syntax(
                second,
                "a NuGet range is one interval: at most two ends",
            ));
        }
        Some((lo, hi)) => (lo, hi),
        None => {
            // `[1.0]` is exactly 1.0; `(1.0)`, `[1.0)` and `(1.0]` are meaningless.
            if !(min_inclusive && max_inclusive) {
                return Err(syntax(lead, "a single version needs [ ]"));
            }
            (body, body)
        }
    };
    // NuGet's test is for empty text, not white space: `(,)` is an error, `(, )` all versions.
    if lo.is_empty() && hi.is_empty() {
        return Err(syntax(lead, "a NuGet range needs at least one bound"));
    }
    let (lower, upper) = (end(lo)?, end(hi)?);
    if let (Some(lo), Some(hi)) = (&lower, &upper) {
        match lo.partial_cmp(hi) {
            Some(Ordering::Greater) => {
                return Err(syntax(lead, "the lower bound is above the upper bound"));
            }
            Some(Ordering::Equal) if !(min_inclusive && max_inclusive) => {
                return Err(syntax(
                    lead,
                    "an interval with equal bounds must include both",
                ));
            }
            _ => {}
        }
    }
    let lower = lower.map(|v| (v, min_inclusive));
    let upper = upper.map(|v| (v, max_inclusive));
    Ok(Range::from_intervals(
        Scheme::Nuget,
        vec![interval(lower, upper)],
    )?)
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::range::RangeSyntaxErrorKind;
    use crate::version::{Scheme, Version};

    fn contains(range: &str, version: &str) -> bool {
        parse(range)
            .unwrap_or_else(|e| panic!("{range}: {e:?}"))
            .contains(&Version::parse(Scheme::Nuget, version).unwrap())
    }

    fn message(range: &str) -> String {
        match parse(range).map_err(|f| f.0 .0) {
            Err(RangeSyntaxErrorKind::Syntax(m)) => m,
            Err(RangeSyntaxErrorKind::Version(e)) => e.kind().to_string(),
            other => panic!("{range}: {other:?}"),
        }
    }

    #[test]
    fn a_bracketed_missing_end_is_unbounded() {
        assert!(contains("[1.0.0, ]", "99.0"));
        assert!(!contains("[1.0.0, ]", "0.9"));
        assert!(contains("[, 2.0.0)", "0.1"));
        assert!(!contains("[, 2.0.0)", "2.0.0"));
        assert!(contains("[19   .   19, 20)", "19.19.0.0"));
        assert!(contains("   [  1 .2   , 2  .3   ]  ", "2.3"));
    }

    #[test]
    fn boundless_reversed_and_empty_intervals_are_errors() {
        for bad in ["(,)", "[,]", "[,)", "(,]", "[]"] {
            assert_eq!(
                message(bad),
                "a NuGet range needs at least one bound",
                "{bad}"
            );
        }
        for bad in ["[1.1.4, 1.1.2)", "[2.0, 1.0]"] {
            assert_eq!(
                message(bad),
                "the lower bound is above the upper bound",
                "{bad}"
            );
        }
        for bad in [
            "(1.0, 1.0]",
            "[1.0, 1.0)",
            "(1.0,1.0)",
            "[1.0.0-beta, 1.0.0-beta+900)",
        ] {
            assert_eq!(
                message(bad),
                "an interval with equal bounds must include both",
                "{bad}"
            );
        }
        assert!(contains("[1.0, 1.0]", "1.0.0.0"));
        assert!(contains("[1.0,1.0.0.0]", "1.0"));
        assert!(parse("[2147483648, )").is_err());
    }

    #[test]
    fn white_space_ends_are_all_versions_as_nuget_reads_them() {
        for all in ["(, )", "[ , ]", "[ ]", "  ( ,\t)  "] {
            assert!(contains(all, "0.0.0-a"), "{all}");
            assert!(contains(all, "2147483647.0"), "{all}");
        }
    }

    #[test]
    fn one_interval_only_and_versions_keep_their_own_white_space_rules() {
        assert_eq!(
            message("(,1.0],[1.2,)"),
            "a NuGet range is one interval: at most two ends"
        );
        assert_eq!(parse("(,1.0],[1.2,)").unwrap_err().0 .1, Some(6));
        assert_eq!(message("[1 2, 30]"), "unexpected character ' '");
        assert_eq!(message("(1.0)"), "a single version needs [ ]");
        assert_eq!(message("[1.0"), "unclosed interval");
    }

    #[test]
    fn floating_versions_are_rejected_where_the_star_is() {
        for floating in ["*", "1.*", "1.0.0-beta*", "[1.*, 2.0.0)", "(, 2.*.*)"] {
            let fail = parse(floating).unwrap_err();
            assert!(fail.0 .0.to_string().contains("floating"), "{floating}");
            assert_eq!(fail.0 .1, floating.find('*'), "{floating}");
        }
    }
}
