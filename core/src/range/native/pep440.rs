//! PEP 440 specifier sets, with `packaging`'s semantics for `contains(v, prereleases=True)`.
//!
//! Exclusive comparisons follow the PEP: `<V` excludes pre-releases of V's release unless V is
//! one, `>V` excludes V's post-releases and local versions; `<=`/`>=`/`==` compare public
//! versions (a candidate's local label is ignored unless the specifier has one); `==V.*`
//! and `!=V.*` match by release prefix; `~=V.N` is `>=V.N, ==V.*`.
//!
//! Bounds are real versions where one exists (`<1.0` is `<1.0.dev0`, `<=1.0` is
//! `<1.0.post0.dev0` so that `1.0+local` is in), so the canonical `vers:` text is exact. Only
//! `>V` needs a bound no version spells (above every post and local release of V); it
//! displays as `>V`, which as `vers:` would also admit those post/local releases.
//!
//! Deviations, documented: `===V` (arbitrary equality of strings) matches versions *equal*
//! to V; `>V` with a pre- or post-release V excludes nothing more (packaging also excludes
//! some of V's post/local releases there).

use super::{interval, syntax, version, Fail};
use crate::range::{Interval, Range};
use crate::version::{Marker, Pep440Version, Scheme, Version};

fn bound(text: &str, value: Pep440Version) -> Version {
    Version::pep440_bound(text, value)
}

/// A real version as a bound (it displays as itself).
fn real(value: &Pep440Version) -> Version {
    Version::pep440_bound(&value.to_string(), value.clone())
}

fn pypi_range(intervals: Vec<Interval>) -> Result<Range, Fail> {
    Ok(Range::from_intervals(Scheme::Pypi, intervals)?)
}

/// The versions one specifier allows, as intervals. `spec` is a slice of `input`.
fn specifier(input: &str, spec: &str) -> Result<Vec<Interval>, Fail> {
    let spec = spec.trim();
    let at = crate::span::offset_in(input, spec).unwrap_or(0);
    let (op, rest) = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]
        .iter()
        .find_map(|op| spec.strip_prefix(op).map(|rest| (*op, rest.trim())))
        .ok_or_else(|| syntax(at, "a specifier starts with ~= == != <= >= < > or ==="))?;
    if rest.starts_with(['<', '>', '=', '!', '~']) {
        return Err(syntax(at, format!("unexpected operator after {op}")));
    }
    let (text, wildcard) = match rest.strip_suffix(".*") {
        Some(prefix) if matches!(op, "==" | "!=") => (prefix, true),
        Some(_) => {
            return Err(syntax(
                at,
                format!("`.*` is allowed only with == and !=, not {op}"),
            ));
        }
        None => (rest, false),
    };
    let version = version(Scheme::Pypi, input, text, at)?;
    let v = version
        .as_pep440()
        .ok_or_else(|| syntax(at, "not a PEP 440 version"))?
        .clone();
    if v.has_local() && !matches!(op, "==" | "!=" | "===") {
        return Err(syntax(
            at,
            format!("a local version is not allowed with {op}"),
        ));
    }
    // `==V.*`: [first of release V, first of the next release at V's last component).
    let prefix_range = || {
        let next = v.bump(v.release().len() - 1);
        vec![interval(
            Some((real(&v.first_of_release()), true)),
            Some((real(&next.first_of_release()), false)),
        )]
    };
    // `==V`: V and (when V has no local label) every local variant of V.
    let equal = || {
        if v.has_local() {
            vec![interval(
                Some((version.clone(), true)),
                Some((version.clone(), true)),
            )]
        } else {
            vec![interval(
                Some((version.clone(), true)),
                Some((real(&v.after_locals()), false)),
            )]
        }
    };
    Ok(match (op, wildcard) {
        ("==", true) => prefix_range(),
        ("!=", true) => pypi_range(prefix_range())?
            .complement()
            .intervals()
            .to_vec(),
        ("==" | "===", _) => equal(),
        ("!=", _) => pypi_range(equal())?.complement().intervals().to_vec(),
        (">=", _) => vec![interval(Some((version.clone(), true)), None)],
        // Public versions up to V: V's local variants are in.
        ("<=", _) => vec![interval(None, Some((real(&v.after_locals()), false)))],
        // Below V, and (unless V is itself a pre-release) below all of V's pre-releases.
        ("<", _) => {
            let upper = if v.is_prerelease() {
                version.clone()
            } else {
                real(&v.first_of_release())
            };
            vec![interval(None, Some((upper, false)))]
        }
        // Above V, and (unless V is a pre- or post-release) above V's post and local releases.
        (">", _) => {
            let lower = if v.is_prerelease() || v.is_postrelease() {
                version.clone()
            } else {
                bound(text, v.marked(Marker::MaxOfRelease))
            };
            vec![interval(Some((lower, false)), None)]
        }
        ("~=", _) => {
            if v.release().len() < 2 {
                return Err(syntax(at, "~= needs at least two release components"));
            }
            let prefix = v.bump(v.release().len() - 2);
            vec![interval(
                Some((version.clone(), true)),
                Some((real(&prefix.first_of_release()), false)),
            )]
        }
        _ => return Err(syntax(at, format!("unknown operator {op}"))),
    })
}

pub(super) fn parse(input: &str) -> Result<Range, Fail> {
    if input.trim().is_empty() {
        return Ok(Range::all(Scheme::Pypi));
    }
    let allowed = input
        .split(',')
        .map(|spec| pypi_range(specifier(input, spec)?))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Range::intersection_of(Scheme::Pypi, &allowed)?)
}
