//! OSV `ranges[].events` into the canonical [`Range`].

use super::{Bound, Interval, Range};
use crate::version::{Scheme, Version, VersionError};

/// One event of an OSV `SEMVER` or `ECOSYSTEM` range, with its version text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OsvEvent {
    /// The first affected version (`"0"`: from the very beginning).
    Introduced(String),
    /// The first version that is no longer affected.
    Fixed(String),
    /// The last affected version.
    LastAffected(String),
    /// An upper limit on the whole range (versions at or above it are never affected).
    Limit(String),
}

impl OsvEvent {
    /// The version text of the event.
    pub fn version(&self) -> &str {
        match self {
            OsvEvent::Introduced(v)
            | OsvEvent::Fixed(v)
            | OsvEvent::LastAffected(v)
            | OsvEvent::Limit(v) => v,
        }
    }

    /// The OSV field name of the event.
    pub fn field(&self) -> &'static str {
        match self {
            OsvEvent::Introduced(_) => "introduced",
            OsvEvent::Fixed(_) => "fixed",
            OsvEvent::LastAffected(_) => "last_affected",
            OsvEvent::Limit(_) => "limit",
        }
    }
}

/// A range could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// An event's version does not parse in the range's scheme.
    #[error("event {index} ({field}): {source}")]
    BadEventVersion {
        /// Position of the event in the `events` list.
        index: usize,
        /// `introduced`, `fixed`, `last_affected` or `limit`.
        field: &'static str,
        /// Why the version was rejected.
        source: VersionError,
    },
    /// The range has no `introduced` event, so it affects nothing by the OSV rules.
    #[error("range has no introduced event")]
    NoIntroduced,
}

/// A parsed event: `None` version for `introduced: "0"`.
struct Parsed<'a> {
    event: &'a OsvEvent,
    version: Option<Version>,
}

impl Range {
    /// Builds a range from OSV events, sorting them by version first (OSV allows any order).
    pub fn from_osv_events(scheme: Scheme, events: &[OsvEvent]) -> Result<Range, RangeError> {
        if !events.iter().any(|e| matches!(e, OsvEvent::Introduced(_))) {
            return Err(RangeError::NoIntroduced);
        }
        let mut parsed = Vec::with_capacity(events.len());
        for (index, event) in events.iter().enumerate() {
            let version =
                match event {
                    OsvEvent::Introduced(text) if text.trim() == "0" => None,
                    // Advisories' own reading (lenient only for Composer versions Composer's
                    // parser rejects, which Packagist advisories carry).
                    _ => Some(Version::parse_advisory(scheme, event.version()).map_err(
                        |source| RangeError::BadEventVersion {
                            index,
                            field: event.field(),
                            source,
                        },
                    )?),
                };
            parsed.push(Parsed { event, version });
        }
        // "0" sorts first; ties keep their listed order (stable sort).
        crate::order::sort_by_tolerant(&mut parsed, |a, b| match (&a.version, &b.version) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.try_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
        });

        // The OSV evaluation loop sets "affected" by the last event that fires for a version:
        // `introduced` and `fixed` fire at or above their version, `last_affected` strictly
        // above it. So at each distinct event version the state can change twice: once *at*
        // the version and once just *after* it. Walking the points reproduces the loop
        // exactly, even for odd inputs (several events at one version).
        let mut limit: Option<Version> = None;
        let mut state = false;
        let mut rest = parsed.as_slice();
        while let Some(first) = rest.first() {
            if first.version.is_none() {
                state |= matches!(first.event, OsvEvent::Introduced(_));
                rest = &rest[1..];
            } else {
                break;
            }
        }
        let mut intervals = Vec::new();
        let mut open: Option<Option<Bound>> = state.then_some(None);
        while let Some(Parsed {
            version: Some(point),
            ..
        }) = rest.first()
        {
            let same = rest
                .iter()
                .take_while(|p| p.version.as_ref() == Some(point))
                .count();
            let (group, tail) = rest.split_at(same);
            let last_of = |fires: &dyn Fn(&OsvEvent) -> bool| {
                group
                    .iter()
                    .map(|p| p.event)
                    .filter(|e| fires(e))
                    .last()
                    .map(|e| matches!(e, OsvEvent::Introduced(_)))
            };
            let at = last_of(&|e| matches!(e, OsvEvent::Introduced(_) | OsvEvent::Fixed(_)))
                .unwrap_or(state);
            let after = last_of(&|e| !matches!(e, OsvEvent::Limit(_))).unwrap_or(state);
            let bound = |inclusive| Bound {
                version: point.clone(),
                inclusive,
            };
            if state && !at {
                let lower = open.take().unwrap_or_default();
                intervals.push(Interval {
                    lower,
                    upper: Some(bound(false)),
                });
            } else if !state && at {
                open = Some(Some(bound(true)));
            }
            if at && !after {
                let lower = open.take().unwrap_or_default();
                intervals.push(Interval {
                    lower,
                    upper: Some(bound(true)),
                });
            } else if !at && after {
                open = Some(Some(bound(false)));
            }
            for p in group {
                if let OsvEvent::Limit(_) = p.event {
                    // Several limits: the highest one bounds the range.
                    if limit.as_ref().is_none_or(|l| point > l) {
                        limit = Some(point.clone());
                    }
                }
            }
            state = after;
            rest = tail;
        }
        if let Some(lower) = open {
            intervals.push(Interval { lower, upper: None });
        }
        if let Some(limit) = limit {
            intervals = cap_below(intervals, &limit);
        }
        intervals.retain(|i| !is_empty(i));
        Ok(Range { scheme, intervals })
    }
}

/// Restricts intervals to versions strictly below `limit`.
fn cap_below(intervals: Vec<Interval>, limit: &Version) -> Vec<Interval> {
    intervals
        .into_iter()
        .filter(|i| i.lower.as_ref().is_none_or(|lo| lo.version < *limit))
        .map(|mut i| {
            let beyond = i.upper.as_ref().is_none_or(|hi| hi.version >= *limit);
            if beyond {
                i.upper = Some(Bound {
                    version: limit.clone(),
                    inclusive: false,
                });
            }
            i
        })
        .collect()
}

fn is_empty(interval: &Interval) -> bool {
    match (&interval.lower, &interval.upper) {
        (Some(lo), Some(hi)) => match lo.version.try_cmp(&hi.version) {
            Ok(std::cmp::Ordering::Greater) | Err(_) => true,
            Ok(std::cmp::Ordering::Equal) => !(lo.inclusive && hi.inclusive),
            Ok(std::cmp::Ordering::Less) => false,
        },
        _ => false,
    }
}
