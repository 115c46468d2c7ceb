//! Set operations on ranges: normalisation, union, intersection, complement.

use super::{Bound, Interval, Range};
use crate::version::{CompareError, Scheme, Version};
use std::cmp::Ordering;

/// Orders lower ends: unbounded first; at the same version an inclusive end starts earlier.
fn cmp_lower(a: Option<&Bound>, b: Option<&Bound>) -> Result<Ordering, CompareError> {
    Ok(match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x
            .version
            .try_cmp(&y.version)?
            .then_with(|| y.inclusive.cmp(&x.inclusive)),
    })
}

/// Orders upper ends: unbounded last; at the same version an inclusive end reaches further.
fn cmp_upper(a: Option<&Bound>, b: Option<&Bound>) -> Result<Ordering, CompareError> {
    Ok(match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x
            .version
            .try_cmp(&y.version)?
            .then_with(|| x.inclusive.cmp(&y.inclusive)),
    })
}

/// Whether an interval ending at `upper` touches or overlaps one starting at `lower`.
fn touches(upper: Option<&Bound>, lower: Option<&Bound>) -> Result<bool, CompareError> {
    Ok(match (upper, lower) {
        (None, _) | (_, None) => true,
        (Some(u), Some(l)) => match u.version.try_cmp(&l.version)? {
            Ordering::Greater => true,
            Ordering::Equal => u.inclusive || l.inclusive,
            Ordering::Less => false,
        },
    })
}

fn is_empty(interval: &Interval) -> Result<bool, CompareError> {
    Ok(match (&interval.lower, &interval.upper) {
        (Some(lo), Some(hi)) => match lo.version.try_cmp(&hi.version)? {
            Ordering::Greater => true,
            Ordering::Equal => !(lo.inclusive && hi.inclusive),
            Ordering::Less => false,
        },
        _ => false,
    })
}

fn check_scheme(scheme: Scheme, interval: &Interval) -> Result<(), CompareError> {
    for bound in interval.lower.iter().chain(interval.upper.iter()) {
        if bound.version.scheme() != scheme {
            return Err(CompareError {
                left: scheme,
                right: bound.version.scheme(),
            });
        }
    }
    Ok(())
}

impl Range {
    /// Every version of `scheme`.
    ///
    /// ```
    /// use exposure::{range::Range, version::{Scheme, Version}};
    /// assert!(Range::all(Scheme::Deb).contains(&Version::parse(Scheme::Deb, "1:2.3-4")?));
    /// # Ok::<(), exposure::version::VersionError>(())
    /// ```
    pub fn all(scheme: Scheme) -> Range {
        Range {
            scheme,
            intervals: vec![Interval {
                lower: None,
                upper: None,
            }],
        }
    }

    /// No version at all.
    pub fn none(scheme: Scheme) -> Range {
        Range {
            scheme,
            intervals: Vec::new(),
        }
    }

    /// A range from any intervals of one scheme: sorted, empty ones dropped, overlapping and
    /// touching ones merged.
    ///
    /// ```
    /// use exposure::range::{Bound, Interval, Range};
    /// use exposure::version::{Scheme, Version};
    /// let b = |s, inclusive| Some(Bound { version: Version::parse(Scheme::Pypi, s).unwrap(), inclusive });
    /// let r = Range::from_intervals(Scheme::Pypi, vec![
    ///     Interval { lower: b("2.0", true), upper: b("3.0", false) },
    ///     Interval { lower: b("1.0", true), upper: b("2.0", false) },
    /// ])?;
    /// assert_eq!(r.to_string(), "vers:pypi/>=1.0|<3.0");
    /// # Ok::<(), exposure::version::CompareError>(())
    /// ```
    pub fn from_intervals(scheme: Scheme, intervals: Vec<Interval>) -> Result<Range, CompareError> {
        let mut kept = Vec::with_capacity(intervals.len());
        for interval in intervals {
            check_scheme(scheme, &interval)?;
            if !is_empty(&interval)? {
                kept.push(interval);
            }
        }
        // Sort by lower end (a failed comparison cannot happen: all versions share the scheme).
        crate::order::sort_by_tolerant(&mut kept, |a, b| {
            cmp_lower(a.lower.as_ref(), b.lower.as_ref()).unwrap_or(Ordering::Equal)
        });
        let mut merged: Vec<Interval> = Vec::with_capacity(kept.len());
        for interval in kept {
            match merged.last_mut() {
                Some(last) if touches(last.upper.as_ref(), interval.lower.as_ref())? => {
                    if cmp_upper(interval.upper.as_ref(), last.upper.as_ref())? == Ordering::Greater
                    {
                        last.upper = interval.upper;
                    }
                }
                _ => merged.push(interval),
            }
        }
        Ok(Range {
            scheme,
            intervals: merged,
        })
    }

    /// The versions in either range.
    ///
    /// ```
    /// use exposure::range::Range;
    /// let a = Range::parse_vers("vers:npm/>=1.0.0|<2.0.0")?.to_range()?;
    /// let b = Range::parse_vers("vers:npm/>=1.5.0|<3.0.0")?.to_range()?;
    /// assert_eq!(a.union(&b)?.to_string(), "vers:npm/>=1.0.0|<3.0.0");
    /// assert_eq!(a.intersection(&b)?.to_string(), "vers:npm/>=1.5.0|<2.0.0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn union(&self, other: &Range) -> Result<Range, CompareError> {
        if self.scheme != other.scheme {
            return Err(CompareError {
                left: self.scheme,
                right: other.scheme,
            });
        }
        Range::from_intervals(
            self.scheme,
            self.intervals
                .iter()
                .chain(&other.intervals)
                .cloned()
                .collect(),
        )
    }

    /// The versions in both ranges.
    pub fn intersection(&self, other: &Range) -> Result<Range, CompareError> {
        Range::intersection_of(self.scheme, [self, other])
    }

    /// The versions not in this range.
    ///
    /// ```
    /// use exposure::range::Range;
    /// let r = Range::parse_vers("vers:pypi/>=1.0|<2.0")?.to_range()?;
    /// assert_eq!(r.complement().to_string(), "vers:pypi/<1.0|>=2.0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn complement(&self) -> Range {
        let flip = |b: &Bound| Bound {
            version: b.version.clone(),
            inclusive: !b.inclusive,
        };
        let mut out = Vec::with_capacity(self.intervals.len() + 1);
        let mut lower: Option<Bound> = None;
        let mut open_start = true;
        for interval in &self.intervals {
            if let Some(l) = &interval.lower {
                out.push(Interval {
                    lower: if open_start { None } else { lower.clone() },
                    upper: Some(flip(l)),
                });
            }
            open_start = false;
            match &interval.upper {
                Some(u) => lower = Some(flip(u)),
                None => {
                    return Range {
                        scheme: self.scheme,
                        intervals: out,
                    }
                }
            }
        }
        out.push(Interval {
            lower: if open_start { None } else { lower },
            upper: None,
        });
        Range {
            scheme: self.scheme,
            intervals: out,
        }
    }

    /// Whether every version of `other` is in this range.
    pub fn includes(&self, other: &Range) -> Result<bool, CompareError> {
        Ok(self.intersection(other)? == *other)
    }

    /// The versions in every one of `ranges`, all of `scheme` (every version when there are
    /// none), as intersecting them one after the other gives them: where ends of several
    /// ranges meet at the same place, the earliest range's end is kept (its version's text).
    ///
    /// One sweep over the ends of all the ranges, sorted: O(n log n) in the intervals of all of
    /// them, where intersecting them one after the other costs the size of the result so far
    /// for each (`!=1.0, !=1.1, …` thousands of times is a range of thousands of intervals).
    pub(crate) fn intersection_of<'a>(
        scheme: Scheme,
        ranges: impl IntoIterator<Item = &'a Range>,
    ) -> Result<Range, CompareError> {
        let mut edges = Vec::new();
        let mut count = 0;
        for (index, range) in ranges.into_iter().enumerate() {
            if range.scheme != scheme {
                return Err(CompareError {
                    left: scheme,
                    right: range.scheme,
                });
            }
            for interval in &range.intervals {
                edges.push(Edge::opening(interval.lower.as_ref(), index));
                edges.push(Edge::closing(interval.upper.as_ref(), index));
            }
            count += 1;
        }
        if count == 0 {
            return Ok(Range::all(scheme));
        }
        crate::order::sort_by_tolerant(&mut edges, Edge::cmp);
        // A range's intervals are disjoint: an interval of the result starts where the last
        // range starts to cover and ends where the first one stops.
        let (mut covering, mut lower) = (0usize, None);
        let mut out = Vec::new();
        for edge in edges {
            if edge.opens {
                covering += 1;
                if covering == count {
                    lower = edge.bound;
                }
            } else {
                if covering == count {
                    out.push(Interval {
                        lower: lower.cloned(),
                        upper: edge.bound.cloned(),
                    });
                }
                covering = covering.saturating_sub(1);
            }
        }
        Range::from_intervals(scheme, out)
    }

    /// Removes each of `versions` (`!=` constraints).
    pub(crate) fn without_each<'a>(
        &self,
        versions: impl IntoIterator<Item = &'a Version>,
    ) -> Result<Range, CompareError> {
        let allowed: Vec<Range> = versions
            .into_iter()
            .map(|version| Range::point(self.scheme, version).complement())
            .collect();
        Range::intersection_of(self.scheme, std::iter::once(self).chain(&allowed))
    }

    /// The one version.
    fn point(scheme: Scheme, version: &Version) -> Range {
        let bound = Some(Bound {
            version: version.clone(),
            inclusive: true,
        });
        Range {
            scheme,
            intervals: vec![Interval {
                lower: bound.clone(),
                upper: bound,
            }],
        }
    }
}

/// Where an interval of one of several ranges starts or ends, for
/// [`Range::intersection_of`].
struct Edge<'a> {
    /// `None`: unbounded.
    bound: Option<&'a Bound>,
    opens: bool,
    /// Which range: where ends meet, the earliest range's is the one kept.
    range: usize,
}

impl<'a> Edge<'a> {
    fn opening(bound: Option<&'a Bound>, range: usize) -> Self {
        Edge {
            bound,
            opens: true,
            range,
        }
    }

    fn closing(bound: Option<&'a Bound>, range: usize) -> Self {
        Edge {
            bound,
            opens: false,
            range,
        }
    }

    /// The order of the sweep: by place (an unbounded start first, an unbounded end last; at
    /// a version, what starts or ends before it, then what starts or ends after it); at the
    /// same place, ends before starts (those intervals do not meet); ends by range, starts by
    /// range backwards, so that the earliest range's end is the one the sweep keeps.
    fn cmp(a: &Self, b: &Self) -> Ordering {
        // An inclusive start and an exclusive end are just before their version.
        let after = |e: &Edge<'_>| e.bound.is_some_and(|bound| e.opens != bound.inclusive);
        let rank = |e: &Edge<'_>| match (e.bound, e.opens) {
            (None, true) => 0,
            (Some(_), _) => 1,
            (None, false) => 2,
        };
        let place = rank(a)
            .cmp(&rank(b))
            .then_with(|| match (a.bound, b.bound) {
                (Some(x), Some(y)) => x
                    .version
                    .try_cmp(&y.version)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| after(a).cmp(&after(b))),
                _ => Ordering::Equal,
            });
        place.then_with(|| a.opens.cmp(&b.opens)).then_with(|| {
            if a.opens {
                b.range.cmp(&a.range)
            } else {
                a.range.cmp(&b.range)
            }
        })
    }
}
