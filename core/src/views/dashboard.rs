//! The dashboard's figures over a history of records (oldest first), for every device or one
//! group; the figures other than the trend are of the newest record.
//!
//! - `score`, `level`: the view's exposure score (the organisation formula over its devices);
//!   `trend`: one point per record, the same score on each.
//! - `secure_score`: for every device, the record's organisation secure score (a ratio of
//!   sums of check weights); for a group, the mean of its devices' secure scores (the record
//!   keeps no check weights, so the group's ratio of sums cannot be computed from it); none
//!   when no device reported checks.
//! - `distribution`: devices per exposure level.
//! - `top_recommendations`, `top_software`, `top_devices`: the first `top` rows of the
//!   recommendations view, the software view (by impact) and the devices view (by score).
//!
//! The timeline's top events are not part of it yet (they come from another module).
//!
//! ```
//! use exposure::history::AssessmentRecord;
//! use exposure::views::{dashboard::Dashboard, Filter};
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
//! let d = Dashboard::of(&[record.clone(), record], &Filter::all(), 3);
//! assert_eq!(d.trend.len(), 2);
//! assert_eq!(d.distribution.low + d.distribution.medium + d.distribution.high, 5);
//! # Ok::<(), exposure::history::RecordError>(())
//! ```

use super::devices::DeviceRow;
use super::recommendations::RecommendationRow;
use super::software::SoftwareRow;
use super::{Filter, Scope};
use crate::date::Date;
use crate::history::AssessmentRecord;
use crate::score::exposure::ExposureLevel;
use serde::Serialize;

/// One point of the score's trend.
///
/// ```
/// use exposure::score::exposure::ExposureLevel;
/// let p = exposure::views::dashboard::TrendPoint { as_of: None, score: 12.0, level: ExposureLevel::Low, devices: 3 };
/// assert_eq!(p.level, ExposureLevel::of_score(p.score));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The record's as-of day.
    pub as_of: Option<Date>,
    /// The view's score on it.
    pub score: f64,
    /// Its level.
    pub level: ExposureLevel,
    /// Devices of the view on it.
    pub devices: usize,
}

/// Devices per exposure level.
///
/// ```
/// let d = exposure::views::dashboard::Distribution::default();
/// assert_eq!(d.low + d.medium + d.high, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Distribution {
    /// Low.
    pub low: usize,
    /// Medium.
    pub medium: usize,
    /// High.
    pub high: usize,
}

/// The dashboard's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// The group, when restricted to one.
    pub group: Option<String>,
    /// The newest record's as-of day.
    pub as_of: Option<Date>,
    /// Devices of the view.
    pub devices: usize,
    /// The view's exposure score.
    pub score: f64,
    /// Its level.
    pub level: ExposureLevel,
    /// One point per record, oldest first.
    pub trend: Vec<TrendPoint>,
    /// The secure score (see the module docs for a group).
    pub secure_score: Option<f64>,
    /// Devices per level.
    pub distribution: Distribution,
    /// The recommendations with the largest impact on the view.
    pub top_recommendations: Vec<RecommendationRow>,
    /// The products with the largest impact on the view.
    pub top_software: Vec<SoftwareRow>,
    /// The devices with the highest scores.
    pub top_devices: Vec<DeviceRow>,
    /// The history's events ([`crate::history::Timeline`], of the group's devices alone when
    /// restricted to one): the newest first, then by the size of the score change they caused.
    pub top_events: Vec<crate::history::Event>,
}

impl Dashboard {
    /// The dashboard of `history` (oldest first) through `filter`, lists cut at `top`.
    /// An empty history gives an empty dashboard (score 0).
    ///
    /// ```
    /// use exposure::views::{dashboard::Dashboard, Filter};
    /// let d = Dashboard::of(&[], &Filter::all(), 5);
    /// assert_eq!((d.devices, d.score), (0, 0.0));
    /// ```
    pub fn of(history: &[AssessmentRecord], filter: &Filter, top: usize) -> Self {
        let trend = trend_of(history, filter);
        let Some(record) = history.last() else {
            return Dashboard {
                group: filter.group.clone(),
                as_of: None,
                devices: 0,
                score: 0.0,
                level: ExposureLevel::Low,
                trend,
                secure_score: None,
                distribution: Distribution::default(),
                top_recommendations: Vec::new(),
                top_software: Vec::new(),
                top_devices: Vec::new(),
                top_events: Vec::new(),
            };
        };
        let scope = Scope::new(record, filter);
        let mut distribution = Distribution::default();
        let mut secure = (0.0, 0_usize);
        for d in scope.devices().filter_map(|d| record.devices.get(d)) {
            match ExposureLevel::of_score(d.score) {
                ExposureLevel::Low => distribution.low += 1,
                ExposureLevel::Medium => distribution.medium += 1,
                ExposureLevel::High => distribution.high += 1,
            }
            if let Some(s) = d.secure_score {
                secure = (secure.0 + s, secure.1 + 1);
            }
        }
        let secure_score = if filter.group.is_none() {
            record.secure_score
        } else if secure.1 > 0 {
            #[allow(clippy::cast_precision_loss)] // device counts are far below 2^52
            Some(secure.0 / secure.1 as f64)
        } else {
            None
        };
        let mut top_recommendations = super::recommendations::rows_in(&scope);
        top_recommendations.truncate(top);
        let mut top_software: Vec<SoftwareRow> = super::software::rows_in(&scope)
            .into_iter()
            .filter(|s| s.weaknesses > 0)
            .collect();
        top_software.truncate(top);
        let mut top_devices = super::devices::rows_in(&scope, top);
        top_devices.truncate(top);
        let top_events = events_of(history, filter, top);
        Dashboard {
            group: filter.group.clone(),
            as_of: record.as_of,
            devices: scope.devices().count(),
            score: scope.score,
            level: ExposureLevel::of_score(scope.score),
            trend,
            secure_score,
            distribution,
            top_recommendations,
            top_software,
            top_devices,
            top_events,
        }
    }
}

impl Dashboard {
    /// The dashboard of a streamed or partitioned fleet, from its finished aggregate
    /// ([`crate::stream::Finished`]) through `filter`, lists cut at `top` (the devices at
    /// [`crate::stream::KEPT_DEVICES`]). `history` holds the records of earlier assessments
    /// (oldest first, as a history store gives them): the trend is theirs followed by this
    /// assessment's point, and the events are theirs (events compare devices between
    /// records, and a stream keeps no record of each device). Every other figure equals
    /// [`Dashboard::of`] over the in-memory record of the same fleet.
    ///
    /// ```
    /// use exposure::stream::Aggregate;
    /// use exposure::views::{dashboard::Dashboard, Filter};
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let mut aggregate = Aggregate::new(&engine);
    /// aggregate.add_with_fleet(&engine.assess(&fleet), &fleet);
    /// let finished = aggregate.finish(&engine)?;
    /// let streamed = Dashboard::of_stream(&finished, &[], &Filter::all(), 3);
    /// let record = exposure::history::AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// let in_memory = Dashboard::of(&[record], &Filter::all(), 3);
    /// assert!((streamed.score - in_memory.score).abs() < 1e-9);
    /// assert_eq!(streamed.distribution, in_memory.distribution);
    /// assert_eq!(streamed.top_devices.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of_stream(
        finished: &crate::stream::Finished,
        history: &[AssessmentRecord],
        filter: &Filter,
        top: usize,
    ) -> Self {
        let group_views = filter
            .group
            .as_ref()
            .map(|g| finished.group_views.iter().find(|v| &v.group == g));
        let (devices, score) = match &filter.group {
            None => (finished.organisation.devices, finished.organisation.score),
            Some(g) => finished
                .groups
                .iter()
                .find(|e| &e.group == g)
                .map_or((0, 0.0), |e| (e.devices, e.score)),
        };
        let (secure_score, distribution, recommendations, software, devices_rows) =
            match group_views {
                None => (
                    finished.configuration.organisation,
                    finished.distribution,
                    &finished.recommendation_rows[..],
                    &finished.software[..],
                    &finished.top_devices[..],
                ),
                Some(None) => (None, Distribution::default(), &[][..], &[][..], &[][..]),
                Some(Some(v)) => (
                    v.secure_score,
                    v.distribution,
                    &v.recommendations[..],
                    &v.software[..],
                    &v.top_devices[..],
                ),
            };
        let mut trend = trend_of(history, filter);
        trend.push(TrendPoint {
            as_of: finished.as_of,
            score,
            level: ExposureLevel::of_score(score),
            devices,
        });
        let top_devices = devices_rows
            .iter()
            .take(top)
            .map(|d| {
                let mut d = d.clone();
                d.top_recommendations.truncate(top);
                d
            })
            .collect();
        Dashboard {
            group: filter.group.clone(),
            as_of: finished.as_of,
            devices,
            score,
            level: ExposureLevel::of_score(score),
            trend,
            secure_score,
            distribution,
            top_recommendations: recommendations.iter().take(top).cloned().collect(),
            top_software: software
                .iter()
                .filter(|s| s.weaknesses > 0)
                .take(top)
                .cloned()
                .collect(),
            top_devices,
            top_events: events_of(history, filter, top),
        }
    }
}

impl Dashboard {
    /// The dashboards of a streamed or partitioned fleet ([`Dashboard::of_stream`]): over
    /// every device first, then each group's, by name.
    ///
    /// ```
    /// use exposure::stream::Aggregate;
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let mut aggregate = Aggregate::new(&engine);
    /// aggregate.add_with_fleet(&engine.assess(&fleet), &fleet);
    /// let all = exposure::views::dashboard::Dashboard::all_of_stream(&aggregate.finish(&engine)?, &[], 5);
    /// assert_eq!(all[0].group, None);
    /// assert_eq!(all[1].group.as_deref(), Some("engineering"));
    /// # Ok::<(), exposure::stream::AggregateError>(())
    /// ```
    pub fn all_of_stream(
        finished: &crate::stream::Finished,
        history: &[AssessmentRecord],
        top: usize,
    ) -> Vec<Self> {
        std::iter::once(Filter::all())
            .chain(finished.groups.iter().map(|g| Filter::group(&*g.group)))
            .map(|filter| Self::of_stream(finished, history, &filter, top))
            .collect()
    }
}

/// One trend point per record of `history`, through `filter`.
fn trend_of(history: &[AssessmentRecord], filter: &Filter) -> Vec<TrendPoint> {
    history
        .iter()
        .map(|record| {
            let scope = Scope::new(record, filter);
            TrendPoint {
                as_of: record.as_of,
                score: scope.score,
                level: ExposureLevel::of_score(scope.score),
                devices: scope.devices().count(),
            }
        })
        .collect()
}

/// The events of `history` (of the filter's devices alone when restricted to a group), the
/// newest first, then by the size of the score change they caused; at most `top`.
fn events_of(
    history: &[AssessmentRecord],
    filter: &Filter,
    top: usize,
) -> Vec<crate::history::Event> {
    let mut events = if filter.group.is_some() {
        let restricted: Vec<AssessmentRecord> = history
            .iter()
            .map(|r| r.restricted(|d| filter.selects(&d.groups)))
            .collect();
        crate::history::Timeline::of(&restricted, None).events
    } else {
        crate::history::Timeline::of(history, None).events
    };
    events.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| b.score_change.abs().total_cmp(&a.score_change.abs()))
    });
    events.truncate(top);
    events
}
