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

/// Numeric parts of a partial version (`1.2.*` → [1, 2]) and whether it had a wildcard.
fn numbers(text: &str) -> (Vec<u64>, bool) {
    let body = text.trim_start_matches(['v', 'V']);
    let mut out = Vec::new();
    let mut wildcard = false;
    for part in body.split('.') {
        match part {
            "*" | "x" | "X" => {
                wildcard = true;
                break;
            }
            n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                out.push(n.parse().unwrap_or(u64::MAX));
            }
            _ => break,
        }
    }
    (out, wildcard)
}

fn join(parts: &[u64]) -> String {
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn has_stability(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "-dev", "-alpha", "-beta", "-rc", "-patch", "-pl", "-p", "alpha", "beta", "rc",
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

fn bump(parts: &[u64], index: usize) -> Vec<u64> {
    let mut out: Vec<u64> = parts.iter().copied().take(index + 1).collect();
    out.resize(index + 1, 0);
    out[index] = out[index].saturating_add(1);
    out
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
                    .position(|&n| n != 0)
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
            let upper = if !parts.is_empty() && full_len < 3 {
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
