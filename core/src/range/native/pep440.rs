//! PEP 440 specifier sets, with `packaging`'s semantics for `contains(v, prereleases=True)`.
//!
//! Exclusive comparisons follow the PEP: `<V` excludes pre-releases of V's release unless V is
//! one, `>V` excludes V's post-releases and local versions; `<=`/`>=`/`==` compare public
//! versions (a candidate's local label is ignored unless the specifier has one); `==V.*`
//! and `!=V.*` match by release prefix; `~=V.N` is `>=V.N, ==V.*`.
//!
//! Deviations, documented: `===V` (arbitrary equality of strings) matches versions *equal*
//! to V; `>V` with a pre- or post-release V excludes nothing more (packaging also excludes
//! some of V's post/local releases there).

use super::{interval, syntax, RangeSyntaxError};
use crate::range::{Interval, Range};
use crate::version::{Marker, Pep440Version, Scheme, Version};

fn bound(text: &str, value: Pep440Version) -> Version {
    Version::pep440_bound(text, value)
}

/// The versions one specifier allows, as intervals.
fn specifier(input: &str, spec: &str, at: usize) -> Result<Vec<Interval>, RangeSyntaxError> {
    let spec = spec.trim();
    let (op, rest) = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]
        .iter()
        .find_map(|op| spec.strip_prefix(op).map(|rest| (*op, rest.trim())))
        .ok_or_else(|| {
            syntax(
                Scheme::Pypi,
                input,
                at,
                "a specifier starts with ~= == != <= >= < > or ===",
            )
        })?;
    let (text, wildcard) = match rest.strip_suffix(".*") {
        Some(prefix) if matches!(op, "==" | "!=") => (prefix, true),
        Some(_) => {
            return Err(syntax(
                Scheme::Pypi,
                input,
                at,
                format!("`.*` is allowed only with == and !=, not {op}"),
            ))
        }
        None => (rest, false),
    };
    let version = Version::parse(Scheme::Pypi, text)?;
    let v = version
        .as_pep440()
        .ok_or_else(|| syntax(Scheme::Pypi, input, at, "not a PEP 440 version"))?
        .clone();
    if v.has_local() && !matches!(op, "==" | "!=" | "===") {
        return Err(syntax(
            Scheme::Pypi,
            input,
            at,
            format!("a local version is not allowed with {op}"),
        ));
    }
    let all = || vec![interval(None, None)];
    let prefix_range = |v: &Pep440Version| -> Vec<Interval> {
        // [min of release V, min of release V+1 at the last component).
        let next = v.bump(v.release().len() - 1);
        vec![interval(
            Some((bound(text, v.marked(Marker::MinOfRelease)), true)),
            Some((bound(text, next.marked(Marker::MinOfRelease)), false)),
        )]
    };
    let equal = |v: &Pep440Version| -> Vec<Interval> {
        if v.has_local() {
            vec![interval(
                Some((bound(text, v.clone()), true)),
                Some((bound(text, v.clone()), true)),
            )]
        } else {
            vec![interval(
                Some((bound(text, v.clone()), true)),
                Some((bound(text, v.marked(Marker::MaxLocal)), true)),
            )]
        }
    };
    Ok(match (op, wildcard) {
        ("==", true) => prefix_range(&v),
        ("!=", true) => Range::from_intervals(Scheme::Pypi, prefix_range(&v))?
            .complement()
            .intervals()
            .to_vec(),
        ("==", false) | ("===", _) => equal(&v),
        ("!=", false) => Range::from_intervals(Scheme::Pypi, equal(&v))?
            .complement()
            .intervals()
            .to_vec(),
        (">=", _) => vec![interval(Some((version, true)), None)],
        ("<=", _) => vec![interval(
            None,
            Some((bound(text, v.marked(Marker::MaxLocal)), true)),
        )],
        ("<", _) => {
            let upper = if v.is_prerelease() {
                version
            } else {
                bound(text, v.marked(Marker::MinOfRelease))
            };
            vec![interval(None, Some((upper, false)))]
        }
        (">", _) => {
            let lower = if v.is_prerelease() || v.is_postrelease() {
                version
            } else {
                bound(text, v.marked(Marker::MaxOfRelease))
            };
            vec![interval(Some((lower, false)), None)]
        }
        ("~=", _) => {
            if v.release().len() < 2 {
                return Err(syntax(
                    Scheme::Pypi,
                    input,
                    at,
                    "~= needs at least two release components",
                ));
            }
            let at_least = Range::from_intervals(
                Scheme::Pypi,
                vec![interval(Some((version.clone(), true)), None)],
            )?;
            let prefix = v.bump(v.release().len() - 2);
            let upper = bound(text, prefix.marked(Marker::MinOfRelease));
            at_least
                .intersection(&Range::from_intervals(
                    Scheme::Pypi,
                    vec![interval(None, Some((upper, false)))],
                )?)?
                .intervals()
                .to_vec()
        }
        _ => all(),
    })
}

pub(super) fn parse(input: &str) -> Result<Range, RangeSyntaxError> {
    let mut range = Range::all(Scheme::Pypi);
    if input.trim().is_empty() {
        return Ok(range);
    }
    let mut at = 0;
    for spec in input.split(',') {
        let allowed = Range::from_intervals(Scheme::Pypi, specifier(input, spec, at)?)?;
        range = range.intersection(&allowed)?;
        at += spec.len() + 1;
    }
    Ok(range)
}
