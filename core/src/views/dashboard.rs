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
        let trend = history
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
            .collect();
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
        let mut top_events = if filter.group.is_some() {
            let restricted: Vec<AssessmentRecord> = history
                .iter()
                .map(|r| r.restricted(|d| filter.selects(&d.groups)))
                .collect();
            crate::history::Timeline::of(&restricted, None).events
        } else {
            crate::history::Timeline::of(history, None).events
        };
        top_events.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| b.score_change.abs().total_cmp(&a.score_change.abs()))
        });
        top_events.truncate(top);
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
