//! Cargo version requirements (the `semver` crate's `VersionReq`): comma-separated
//! comparators `^ ~ = > >= < <= *` with partial versions; a bare version is a caret.
//! Bounds are the documented desugaring (`^1.2.3` is `>=1.2.3, <2.0.0`); pre-releases are
//! then inside exactly when their order puts them there.

use super::{interval, next, syntax, version, Fail};
use crate::range::Range;
use crate::version::Scheme;

struct Partial {
    major: u64,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: String,
}

/// The partial version `text`, at byte `at` of the input.
fn partial(text: &str, at: usize) -> Result<Option<Partial>, Fail> {
    let (core, pre) = text.split_once('-').map_or((text, ""), |(c, p)| (c, p));
    let core = core.split('+').next().unwrap_or(core);
    let mut parts = core.split('.');
    let mut field = |required: bool| -> Result<Option<u64>, Fail> {
        match parts.next() {
            None if !required => Ok(None),
            Some("*" | "x" | "X") => Ok(None),
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n
                .parse()
                .map(Some)
                .map_err(|_| syntax(at, "number too large")),
            _ => Err(syntax(at, format!("bad version {text:?}"))),
        }
    };
    let Some(major) = field(true)? else {
        return Ok(None);
    };
    let minor = field(false)?;
    let patch = if minor.is_some() { field(false)? } else { None };
    if !pre.is_empty() && patch.is_none() {
        return Err(syntax(at, "a pre-release needs major.minor.patch"));
    }
    Ok(Some(Partial {
        major,
        minor,
        patch,
        pre: pre.to_owned(),
    }))
}

/// One end of a desugared comparator: version text and inclusiveness, or unbounded.
type Bound = Option<(String, bool)>;

pub(super) fn parse(input: &str) -> Result<Range, Fail> {
    let mut comparators = Vec::new();
    for part in input.split(',') {
        let spec = part.trim();
        let at = crate::span::offset_in(input, spec).unwrap_or(0);
        if spec.is_empty() {
            return Err(syntax(at, "empty comparator"));
        }
        // Every bound is written out from the parts (`^1.2` is `>=1.2.0, <2.0.0`): a version
        // that does not parse is reported where its comparator starts.
        let v = |text: &str| version(Scheme::Cargo, input, text, at);
        let (op, text) = [">=", "<=", "=", ">", "<", "~", "^"]
            .iter()
            .find_map(|op| spec.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("^", spec));
        let text_at = crate::span::offset_in(input, text).unwrap_or(at);
        let allowed = match partial(text, text_at)? {
            None => Range::all(Scheme::Cargo),
            Some(p) => {
                let pre = if p.pre.is_empty() {
                    String::new()
                } else {
                    format!("-{}", p.pre)
                };
                let (m, mi, pa) = (p.major, p.minor, p.patch);
                let full = |mi: u64, pa: u64| format!("{m}.{mi}.{pa}{pre}");
                let (lower, upper): (Bound, Bound) = match (op, mi, pa) {
                    ("=", Some(mi), Some(pa)) => {
                        (Some((full(mi, pa), true)), Some((full(mi, pa), true)))
                    }
                    ("=", Some(mi), None) => (
                        Some((format!("{m}.{mi}.0"), true)),
                        Some((format!("{m}.{}.0", next(mi)), false)),
                    ),
                    ("=", None, _) => (
                        Some((format!("{m}.0.0"), true)),
                        Some((format!("{}.0.0", next(m)), false)),
                    ),
                    (">", Some(mi), Some(pa)) => (Some((full(mi, pa), false)), None),
                    (">", Some(mi), None) => (Some((format!("{m}.{}.0", next(mi)), true)), None),
                    (">", None, _) => (Some((format!("{}.0.0", next(m)), true)), None),
                    (">=", mi, pa) => (Some((full(mi.unwrap_or(0), pa.unwrap_or(0)), true)), None),
                    ("<", mi, pa) => (None, Some((full(mi.unwrap_or(0), pa.unwrap_or(0)), false))),
                    ("<=", Some(mi), Some(pa)) => (None, Some((full(mi, pa), true))),
                    ("<=", Some(mi), None) => (None, Some((format!("{m}.{}.0", next(mi)), false))),
                    ("<=", None, _) => (None, Some((format!("{}.0.0", next(m)), false))),
                    ("~", None, _) => (
                        Some((format!("{m}.0.0"), true)),
                        Some((format!("{}.0.0", next(m)), false)),
                    ),
                    ("~", Some(mi), pa) => (
                        Some((full(mi, pa.unwrap_or(0)), true)),
                        Some((format!("{m}.{}.0", next(mi)), false)),
                    ),
                    // Caret.
                    (_, mi, pa) => {
                        let lower = full(mi.unwrap_or(0), pa.unwrap_or(0));
                        let upper = match (m, mi, pa) {
                            (0, None, _) => "1.0.0".to_owned(),
                            (0, Some(0), None) => "0.1.0".to_owned(),
                            (0, Some(0), Some(pa)) => format!("0.0.{}", next(pa)),
                            (0, Some(mi), _) => format!("0.{}.0", next(mi)),
                            (m, _, _) => format!("{}.0.0", next(m)),
                        };
                        (Some((lower, true)), Some((upper, false)))
                    }
                };
                let lower = lower.map(|(t, inc)| v(&t).map(|x| (x, inc))).transpose()?;
                let upper = upper.map(|(t, inc)| v(&t).map(|x| (x, inc))).transpose()?;
                Range::from_intervals(Scheme::Cargo, vec![interval(lower, upper)])?
            }
        };
        comparators.push(allowed);
    }
    Ok(Range::intersection_of(Scheme::Cargo, &comparators)?)
}
