//! The devices view: one row per device of the view.
//!
//! A device's `score`, `level` and `secure_score` are its own (a group does not change them);
//! `findings` counts its findings, `exposed_findings` those that count in the score;
//! `top_recommendations` are the recommendations covering it ranked by their exact impact on
//! it (its score now minus its score without their covered findings on it), at most `top`;
//! `last_assessed` is the record's as-of day.
//!
//! Rows are sorted by score (highest first), then id.
//!
//! ```
//! use exposure::history::AssessmentRecord;
//! use exposure::views::{devices, Filter};
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
//! let rows = devices::rows(&record, &Filter::group("production"), 3);
//! assert_eq!(rows.len(), 3);
//! assert!(rows.windows(2).all(|w| w[0].score >= w[1].score));
//! # Ok::<(), exposure::history::RecordError>(())
//! ```

use super::{Filter, Scope};
use crate::date::Date;
use crate::history::AssessmentRecord;
use crate::inventory::DeviceValue;
use crate::score::exposure::ExposureLevel;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A recommendation's impact on one device.
///
/// ```
/// let r = exposure::views::devices::DeviceRecommendation { id: "update:npm:lodash".into(),
///     text: "update lodash (npm) to 4.17.21".into(), impact: 12.5 };
/// assert!(r.impact > 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceRecommendation {
    /// The recommendation's id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// The exact drop of the device's score if taken.
    pub impact: f64,
}

/// One device of the view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceRow {
    /// The device id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its exposure score.
    pub score: f64,
    /// Its level.
    pub level: ExposureLevel,
    /// Its value.
    pub value: DeviceValue,
    /// Its weight in the organisation (and group) score.
    pub weight: f64,
    /// Its groups.
    pub groups: Vec<String>,
    /// Internet-facing.
    pub internet_facing: bool,
    /// Its findings.
    pub findings: usize,
    /// Those that count in its score.
    pub exposed_findings: usize,
    /// Installed software items.
    pub software: usize,
    /// Its secure-configuration score, when it reported checks.
    pub secure_score: Option<f64>,
    /// The recommendations with the largest impact on it (then by id).
    pub top_recommendations: Vec<DeviceRecommendation>,
    /// The record's as-of day.
    pub last_assessed: Option<Date>,
}

/// The devices of the view, each with at most `top` recommendations.
///
/// ```
/// use exposure::history::AssessmentRecord;
/// use exposure::views::{devices, Filter};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// let rows = devices::rows(&record, &Filter::group("engineering"), 1);
/// let build = rows.iter().find(|d| d.id == "build-01").expect("build-01 is in engineering");
/// assert_eq!(build.top_recommendations.len(), 1);
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
pub fn rows(record: &AssessmentRecord, filter: &Filter, top: usize) -> Vec<DeviceRow> {
    rows_in(&Scope::new(record, filter), top)
}

pub(crate) fn rows_in(scope: &Scope<'_>, top: usize) -> Vec<DeviceRow> {
    let record = scope.record;
    // Per device of the view: the recommendations covering it, with their findings on it.
    let mut covering: HashMap<usize, BTreeMap<usize, Vec<u32>>> = HashMap::new();
    for (i, r) in record.recommendations.iter().enumerate() {
        for &d in &r.devices {
            if scope.selected.get(d as usize) == Some(&true) {
                covering
                    .entry(d as usize)
                    .or_default()
                    .entry(i)
                    .or_default();
            }
        }
        for &f in &r.findings {
            let Some(finding) = record.findings.get(f as usize) else {
                continue;
            };
            let d = finding.device as usize;
            if scope.selected.get(d) == Some(&true) {
                covering.entry(d).or_default().entry(i).or_default().push(f);
            }
        }
    }
    for lists in covering.values_mut() {
        for list in lists.values_mut() {
            list.sort_unstable();
        }
    }
    let mut rows: Vec<DeviceRow> = scope
        .devices()
        .filter_map(|d| {
            let device = record.devices.get(d)?;
            let mine = scope.findings_of.get(d).map_or(&[][..], Vec::as_slice);
            let mut recommendations: Vec<DeviceRecommendation> = covering
                .get(&d)
                .into_iter()
                .flatten()
                .filter_map(|(&i, removed)| {
                    let r = record.recommendations.get(i)?;
                    Some(DeviceRecommendation {
                        id: r.id.clone(),
                        text: r.text.clone(),
                        impact: (device.score
                            - scope
                                .device_score_keeping(d, |f| removed.binary_search(&f).is_err()))
                        .max(0.0),
                    })
                })
                .collect();
            sort_recommendations(&mut recommendations);
            recommendations.truncate(top);
            Some(DeviceRow {
                id: device.id.clone(),
                name: device.name.clone(),
                score: device.score,
                level: device.level,
                value: device.value,
                weight: device.weight,
                groups: device.groups.clone(),
                internet_facing: device.internet_facing,
                findings: mine.len(),
                exposed_findings: mine
                    .iter()
                    .filter_map(|&f| record.findings.get(f as usize))
                    .filter(|f| f.not_counted.is_none())
                    .count(),
                software: device.software.len(),
                secure_score: device.secure_score,
                top_recommendations: recommendations,
                last_assessed: record.as_of,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    rows
}

/// A device's recommendations in the view's order: by impact on it (largest first), then id.
pub(crate) fn sort_recommendations(recommendations: &mut [DeviceRecommendation]) {
    recommendations.sort_by(|a, b| b.impact.total_cmp(&a.impact).then_with(|| a.id.cmp(&b.id)));
}
