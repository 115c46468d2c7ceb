//! Composer constraints: `||` (or `|`) between alternatives, `,` or space between
//! conjuncts; `^ ~ * x`, hyphen ranges, `= != > >= < <=`. As Composer does, `>=` and `<`
//! bounds without a stability suffix take `-dev`, so `>=1.2` admits `1.2-alpha` and `<2.0`
//! excludes `2.0-beta`. Versions compare as PHP's `version_compare`.

use super::{interval, syntax, RangeSyntaxError};
use crate::range::{Interval, Range};
use crate::version::{Scheme, Version};

fn v(text: &str) -> Result<Version, RangeSyntaxError> {
    Ok(Version::parse(Scheme::Composer, text)?)
}

/// Numeric parts of a partial version (`1.2.*` → `["1", "2"]`) and whether it had a wildcard.
/// Parts stay decimal text without leading zeros: Composer compares numbers of any size.
fn numbers(text: &str) -> (Vec<&str>, bool) {
    let body = text.trim_start_matches(['v', 'V']);
    // A stability suffix (`2-alpha`, `1.2.3-RC1`) is not a part.
    let body = body.split_once('-').map_or(body, |(numbers, _)| numbers);
    let mut out = Vec::new();
    let mut wildcard = false;
    for part in body.split('.') {
        match part {
            "*" | "x" | "X" => {
                wildcard = true;
                break;
            }
            n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                let digits = n.trim_start_matches('0');
                out.push(if digits.is_empty() { "0" } else { digits });
            }
            _ => break,
        }
    }
    (out, wildcard)
}

fn join<S: AsRef<str>>(parts: &[S]) -> String {
    parts
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(".")
}

fn has_stability(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "-dev", "-alpha", "-beta", "-rc", "-patch", "-pl", "-p", "alpha", "beta", "rc", "stable",
    ]
    .iter()
    .any(|s| lower.contains(s))
}

fn dev(text: &str) -> String {
    if has_stability(text) {
        text.to_owned()
    } else {
        format!("{text}-dev")
    }
}

/// The parts up to `index`, that one plus one (`[1, 2, 3]`, 1 → `[1, 3]`).
fn bump(parts: &[&str], index: usize) -> Vec<String> {
    let mut out: Vec<String> = parts
        .iter()
        .take(index + 1)
        .map(|p| (*p).to_owned())
        .collect();
    out.resize(index + 1, "0".to_owned());
    out[index] = increment(&out[index]);
    out
}

/// A decimal number plus one, at any length (`199` → `200`).
fn increment(digits: &str) -> String {
    let mut out = digits.as_bytes().to_vec();
    for digit in out.iter_mut().rev() {
        if *digit == b'9' {
            *digit = b'0';
        } else {
            *digit += 1;
            return out.into_iter().map(char::from).collect();
        }
    }
    std::iter::once('1')
        .chain(out.into_iter().map(char::from))
        .collect()
}

fn conjunct(input: &str, term: &str, at: usize) -> Result<Interval, RangeSyntaxError> {
    let (op, text) = [">=", "<=", "!=", "<>", "==", "=", ">", "<", "~", "^"]
        .iter()
        .find_map(|op| term.strip_prefix(op).map(|rest| (*op, rest.trim())))
        .unwrap_or(("", term));
    if text.is_empty() {
        return Err(syntax(Scheme::Composer, input, at, "missing version"));
    }
    let (parts, wildcard) = numbers(text);
    Ok(match op {
        "^" | "~" => {
            if parts.is_empty() {
                return Err(syntax(
                    Scheme::Composer,
                    input,
                    at,
                    format!("bad version {text:?}"),
                ));
            }
            // The part that is bumped for the exclusive upper bound: for `^` the first
            // non-zero one (the last when all are zero), for `~` the last but one.
            let index = if op == "^" {
                parts
                    .iter()
                    .position(|n| *n != "0")
                    .unwrap_or(parts.len() - 1)
            } else {
                parts.len().saturating_sub(2)
            };
            interval(
                Some((v(&dev(text))?, true)),
                Some((v(&dev(&join(&bump(&parts, index))))?, false)),
            )
        }
        _ if wildcard => {
            if parts.is_empty() {
                interval(None, None)
            } else {
                interval(
                    Some((v(&dev(&join(&parts)))?, true)),
                    Some((v(&dev(&join(&bump(&parts, parts.len() - 1))))?, false)),
                )
            }
        }
        ">=" => interval(Some((v(&dev(text))?, true)), None),
        "<" => interval(None, Some((v(&dev(text))?, false))),
        ">" => interval(Some((v(text)?, false)), None),
        "<=" => interval(None, Some((v(text)?, true))),
        "!=" | "<>" => {
            return Err(syntax(
                Scheme::Composer,
                input,
                at,
                "internal: != handled by caller",
            ))
        }
        _ => {
            let x = v(text)?;
            interval(Some((x.clone(), true)), Some((x, true)))
        }
    })
}

pub(super) fn parse(input: &str) -> Result<Range, RangeSyntaxError> {
    let mut intervals = Vec::new();
    let normalised = input.replace("||", "|");
    for alternative in normalised.split('|') {
        let alt = alternative.trim();
        if alt.is_empty() {
            return Err(syntax(Scheme::Composer, input, 0, "empty alternative"));
        }
        // Hyphen range: `1.0 - 2.0`.
        let words: Vec<&str> = alt.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        let glued: Vec<String> = {
            let mut out: Vec<String> = Vec::new();
            for w in words {
                match out.last_mut() {
                    Some(prev)
                        if matches!(
                            prev.as_str(),
                            ">=" | "<=" | ">" | "<" | "=" | "==" | "!=" | "^" | "~"
                        ) =>
                    {
                        prev.push_str(w);
                    }
                    _ => out.push(w.to_owned()),
                }
            }
            out
        };
        let mut range = Range::all(Scheme::Composer);
        if glued.len() == 3 && glued[1] == "-" {
            let lower = v(&dev(&glued[0]))?;
            let (parts, _) = numbers(&glued[2]);
            let upper_text = &glued[2];
            // A partial upper end means "below the next release": `1.0 - 2` is `<3`.
            let full_len = upper_text.split('.').count();
            // With a stability suffix the upper end is itself, inclusive (as Composer does).
            let upper = if !parts.is_empty() && full_len < 3 && !has_stability(upper_text) {
                (v(&dev(&join(&bump(&parts, parts.len() - 1))))?, false)
            } else {
                (v(upper_text)?, true)
            };
            range = Range::from_intervals(
                Scheme::Composer,
                vec![interval(Some((lower, true)), Some(upper))],
            )?;
        } else {
            for term in &glued {
                let allowed = if let Some(text) =
                    term.strip_prefix("!=").or_else(|| term.strip_prefix("<>"))
                {
                    let x = v(text)?;
                    Range::from_intervals(
                        Scheme::Composer,
                        vec![interval(Some((x.clone(), true)), Some((x, true)))],
                    )?
                    .complement()
                } else {
                    Range::from_intervals(Scheme::Composer, vec![conjunct(input, term, 0)?])?
                };
                range = range.intersection(&allowed)?;
            }
        }
        intervals.extend(range.intervals().iter().cloned());
    }
    Ok(Range::from_intervals(Scheme::Composer, intervals)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(range: &str, version: &str) -> bool {
        parse(range).unwrap().contains(&v(version).unwrap())
    }

    /// An empty alternative adds nothing to a union. composer/semver 3.3.2 answers `false`
    /// for the first case: its MultiConstraint merges `[>=3.1.1.3-dev, <1.0.0.0-dev)` (empty)
    /// with `[>=1.0.0.0-dev, <2.0.0.0-dev)` into `>=3.1.1.3-dev <2.0.0.0-dev`, although
    /// `^1` alone holds 1.2.0.2. We follow the union.
    #[test]
    fn an_empty_alternative_adds_nothing() {
        assert!(contains("3.1.1.3 - 0 || ^1", "1.2.0.2"));
        assert!(contains("2.0.1-patch - 1 || 2.0.*", "2.0"));
        assert!(!contains("3.1.1.3 - 0", "3.2"));
    }

    /// Parts of any size: bounds are bumped in decimal, so no part is clamped or saturated
    /// (a part was once read as `u64` and clamped to `u64::MAX`, which made `^X` empty for
    /// large X). Composer's `VersionParser` takes majors of at most five digits, so the huge
    /// parts are minors and patches; more cases are in `tests/vectors/range-contains.tsv`,
    /// checked with composer/semver.
    #[test]
    fn parts_of_any_size_bump_in_decimal() {
        let max = u64::MAX;
        assert!(contains(&format!("^0.{max}"), &format!("0.{max}")));
        assert!(contains(&format!("^0.{max}"), &format!("0.{max}.7")));
        assert!(!contains(&format!("^0.{max}"), "0.18446744073709551616"));
        assert!(contains(&format!("~1.{max}.1"), &format!("1.{max}.9")));
        assert!(!contains(
            "^0.99999999999999999999999",
            "0.100000000000000000000000"
        ));
        assert!(contains(
            "^0.99999999999999999999999",
            "0.99999999999999999999999.5"
        ));
        assert!(contains(
            "1.0 - 1.99999999999999999999999",
            "1.99999999999999999999999.5"
        ));
        assert!(!contains(
            "1.0 - 1.99999999999999999999999",
            "1.100000000000000000000000.0"
        ));
        assert_eq!(increment("0"), "1");
        assert_eq!(increment("199"), "200");
        assert_eq!(increment("999"), "1000");
    }
}
