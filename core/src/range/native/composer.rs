//! Composer constraints: `||` (or `|`) between alternatives, `,` or space between
//! conjuncts; `^ ~ * x`, hyphen ranges, `= != > >= < <=`. As Composer does, `>=` and `<`
//! bounds without a stability suffix take `-dev`, so `>=1.2` admits `1.2-alpha` and `<2.0`
//! excludes `2.0-beta`. Versions compare as PHP's `version_compare`.

use super::{interval, syntax, Fail};
use crate::range::{Interval, Range};
use crate::version::{Scheme, Version};
use std::borrow::Cow;

/// Reads versions of one range: a version that does not parse is reported at its place in
/// the input when it is written there, else (a bound made from it, such as `1.2-dev` for
/// `>=1.2`) where the term it comes from starts.
struct Versions<'a> {
    input: &'a str,
    at: usize,
}

impl Versions<'_> {
    fn parse(&self, text: &str) -> Result<Version, Fail> {
        super::version(Scheme::Composer, self.input, text, self.at)
    }
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

/// Whether a version with a wildcard part is a numeric branch: `dev` after it (`2.0.x-dev`,
/// `2.0.*-dev`, `2.0.x.dev`), as `VersionParser::normalizeBranch` reads `(.*?)[.-]?dev$`.
fn is_branch(text: &str) -> bool {
    text.to_ascii_lowercase().ends_with("dev")
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

fn conjunct(versions: &Versions<'_>, term: &str) -> Result<Interval, Fail> {
    let v = |text: &str| versions.parse(text);
    let at = versions.at;
    let (op, text) = [">=", "<=", "!=", "<>", "==", "=", ">", "<", "~", "^"]
        .iter()
        .find_map(|op| term.strip_prefix(op).map(|rest| (*op, rest.trim())))
        .unwrap_or(("", term));
    if text.is_empty() {
        return Err(syntax(at, "missing version"));
    }
    let (parts, wildcard) = numbers(text);
    // A numeric branch (`2.0.x-dev`, `2.0.*-dev`) is a version, `2.0.9999999.9999999-dev`,
    // not a wildcard; a wildcard takes no operator (Composer rejects `^2.0.*`, `=2.0.*`).
    let branch = wildcard && is_branch(text);
    if wildcard && !branch && !op.is_empty() {
        return Err(syntax(at, format!("{op} does not take a wildcard version")));
    }
    Ok(match op {
        "^" | "~" => {
            if parts.is_empty() {
                return Err(syntax(at, format!("bad version {text:?}")));
            }
            // The part that is bumped for the exclusive upper bound: for `^` the first
            // non-zero one (the last when all are zero), for `~` the last but one, a
            // branch's `x` counting as a part (`~2.0.x-dev` is below 2.1, as `~2.0.0`).
            let index = if op == "^" {
                parts
                    .iter()
                    .position(|n| *n != "0")
                    .unwrap_or(parts.len() - 1)
            } else if branch {
                parts.len() - 1
            } else {
                parts.len().saturating_sub(2)
            };
            interval(
                Some((v(&dev(text))?, true)),
                Some((v(&dev(&join(&bump(&parts, index))))?, false)),
            )
        }
        _ if wildcard && !branch => {
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
        "!=" | "<>" => return Err(syntax(at, "internal: != handled by caller")),
        _ => {
            let x = v(text)?;
            interval(Some((x.clone(), true)), Some((x, true)))
        }
    })
}

/// The terms of one alternative, with the byte offset of each in the input: words between
/// spaces and commas, an operator standing alone joined to the word after it (`>= 1.0`).
fn terms<'a>(input: &'a str, alternative: &'a str) -> Vec<(usize, Cow<'a, str>)> {
    let mut out: Vec<(usize, Cow<'a, str>)> = Vec::new();
    for word in alternative.split([' ', ',']).filter(|w| !w.is_empty()) {
        match out.last_mut() {
            Some((_, prev))
                if matches!(
                    prev.as_ref(),
                    ">=" | "<=" | ">" | "<" | "=" | "==" | "!=" | "^" | "~"
                ) =>
            {
                prev.to_mut().push_str(word);
            }
            _ => out.push((
                crate::span::offset_in(input, word).unwrap_or(0),
                Cow::Borrowed(word),
            )),
        }
    }
    out
}

pub(super) fn parse(input: &str) -> Result<Range, Fail> {
    let mut intervals = Vec::new();
    // `||` and `|` both separate alternatives.
    for alternative in input.split("||").flat_map(|a| a.split('|')) {
        let alt = alternative.trim();
        let alt_at = crate::span::offset_in(input, alt).unwrap_or(0);
        if alt.is_empty() {
            return Err(syntax(alt_at, "empty alternative"));
        }
        // `>2.0,,<=3.0`, `,>2.0` and `>2.0,` have an empty conjunct, which Composer rejects.
        if alt.split(',').any(|conjunct| conjunct.trim().is_empty()) {
            return Err(syntax(alt_at, "empty conjunct between commas"));
        }
        let range = match &terms(input, alt)[..] {
            // Hyphen range: `1.0 - 2.0`.
            [(lower_at, lower), (_, dash), (upper_at, upper)] if dash == "-" => {
                let lower = Versions {
                    input,
                    at: *lower_at,
                }
                .parse(&dev(lower))?;
                let versions = Versions {
                    input,
                    at: *upper_at,
                };
                let (parts, _) = numbers(upper);
                // A partial upper end means "below the next release": `1.0 - 2` is `<3`.
                let full_len = upper.split('.').count();
                // With a stability suffix the upper end is itself, inclusive (as Composer does).
                let upper = if !parts.is_empty() && full_len < 3 && !has_stability(upper) {
                    (
                        versions.parse(&dev(&join(&bump(&parts, parts.len() - 1))))?,
                        false,
                    )
                } else {
                    (versions.parse(upper)?, true)
                };
                Range::from_intervals(
                    Scheme::Composer,
                    vec![interval(Some((lower, true)), Some(upper))],
                )?
            }
            terms => {
                let mut allowed_by_each = Vec::with_capacity(terms.len());
                for (at, term) in terms {
                    let versions = Versions { input, at: *at };
                    let allowed = if let Some(text) =
                        term.strip_prefix("!=").or_else(|| term.strip_prefix("<>"))
                    {
                        let x = versions.parse(text)?;
                        Range::from_intervals(
                            Scheme::Composer,
                            vec![interval(Some((x.clone(), true)), Some((x, true)))],
                        )?
                        .complement()
                    } else {
                        Range::from_intervals(Scheme::Composer, vec![conjunct(&versions, term)?])?
                    };
                    allowed_by_each.push(allowed);
                }
                Range::intersection_of(Scheme::Composer, &allowed_by_each)?
            }
        };
        intervals.extend(range.intervals().iter().cloned());
    }
    Ok(Range::from_intervals(Scheme::Composer, intervals)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(range: &str, version: &str) -> bool {
        let version = Version::parse(Scheme::Composer, version).unwrap();
        parse(range).unwrap().contains(&version)
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

    /// A numeric branch bound is the version `VersionParser` normalizes it to
    /// (`1.2.x-dev` is `1.2.9999999.9999999-dev`); cases checked with composer/semver.
    #[test]
    fn a_numeric_branch_is_a_version_not_a_wildcard() {
        assert!(!contains("~2.0.x-dev", "2.1.0.0-dev"));
        assert!(!contains("~2.0.x-dev", "2.0.5"));
        assert!(contains("~2.0.x-dev", "2.0.9999999.9999999"));
        assert!(contains("<1.2.x-dev", "1.1.0-alpha4"));
        assert!(contains("<1.2.x-dev", "1.2.0"));
        assert!(!contains(">=1.2.x-dev", "1.2.0-dev"));
        assert!(contains("^2.0.x-dev", "2.9.0"));
        assert!(!contains("^2.0.x-dev", "3.0.0-dev"));
        assert!(contains("^0.0.x-dev", "0.0.9999999.9999999"));
        assert!(!contains("^0.0.x-dev", "0.1.0-dev"));
        assert!(!contains("~2.x-dev", "3.0.0-dev"));
        assert!(contains("2.0.*-dev", "2.0.9999999.9999999-dev"));
        assert!(!contains("2.0.*-dev", "2.0.1"));
    }

    /// Constraints composer/semver's `parseConstraints` rejects.
    #[test]
    fn what_composer_rejects_is_an_error() {
        for bad in [
            "^2.0.*",
            "~2.0.*",
            "^1.x",
            ">=2.*",
            "<2.0.*",
            ">2.0,,<=3.0",
            ">2.0,<=3.0,",
            ",>2.0",
            ">2.0, ,<=3.0",
            "1.0#abcd123",
            "=2.0.*",
            "==2.0.*",
            "!=2.*",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(contains(">2.0 , <=3.0", "2.5"));
        assert!(contains("2.0.*", "2.0.7"));
    }
}
