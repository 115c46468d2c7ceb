//! RubyGems requirements: comma-separated `op version`, op one of `= != > < >= <= ~>`
//! (default `=`). `~> 2.0.8` is `>= 2.0.8` with a release below `2.1` (`Gem::Version#bump`),
//! so no pre-release of 2.1 matches either.

use super::{interval, syntax, version, Fail};
use crate::range::Range;
use crate::version::{Scheme, Version};

/// `Gem::Version#bump`: drop pre-release segments, then the last segment (if more than one
/// remain), then increment the new last one.
fn bump(version: &str) -> String {
    let mut numbers: Vec<u64> = Vec::new();
    for run in version.split(|c: char| !c.is_ascii_alphanumeric()) {
        // A run like `0rc1` starts a pre-release after its leading digits.
        let digits: String = run.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            break;
        }
        numbers.push(digits.parse().unwrap_or(u64::MAX));
        if digits.len() < run.len() {
            break;
        }
    }
    if numbers.len() > 1 {
        numbers.pop();
    }
    if let Some(last) = numbers.last_mut() {
        *last = last.saturating_add(1);
    }
    numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

pub(super) fn parse(input: &str) -> Result<Range, Fail> {
    let mut requirements = Vec::new();
    for part in input.split(',') {
        let spec = part.trim();
        let at = crate::span::offset_in(input, spec).unwrap_or(0);
        if spec.is_empty() {
            return Err(syntax(at, "empty requirement"));
        }
        let (op, text) = ["~>", ">=", "<=", "!=", "=", ">", "<"]
            .iter()
            .find_map(|op| spec.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("=", spec));
        let v = version(Scheme::Gem, input, text, at)?;
        let allowed = match op {
            "=" => Range::from_intervals(
                Scheme::Gem,
                vec![interval(Some((v.clone(), true)), Some((v, true)))],
            )?,
            "!=" => Range::from_intervals(
                Scheme::Gem,
                vec![interval(Some((v.clone(), true)), Some((v, true)))],
            )?
            .complement(),
            ">" => Range::from_intervals(Scheme::Gem, vec![interval(Some((v, false)), None)])?,
            ">=" => Range::from_intervals(Scheme::Gem, vec![interval(Some((v, true)), None)])?,
            "<" => Range::from_intervals(Scheme::Gem, vec![interval(None, Some((v, false)))])?,
            "<=" => Range::from_intervals(Scheme::Gem, vec![interval(None, Some((v, true)))])?,
            _ => {
                // `~>` is `v >= r && v.release < r.bump`: every pre-release of the bumped
                // release is outside too, so the upper bound sits below all of them.
                let bumped = bump(text);
                let parsed = version(Scheme::Gem, input, &bumped, at)?;
                let gem = parsed
                    .as_gem()
                    .ok_or_else(|| syntax(at, "not a gem version"))?;
                let upper = Version::gem_min_of_release(&bumped, gem);
                Range::from_intervals(
                    Scheme::Gem,
                    vec![interval(Some((v, true)), Some((upper, false)))],
                )?
            }
        };
        requirements.push(allowed);
    }
    Ok(Range::intersection_of(Scheme::Gem, &requirements)?)
}
