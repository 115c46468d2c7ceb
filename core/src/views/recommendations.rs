//! The recommendations view: each recommendation of a record that covers a device in the
//! view, with its impact recomputed exactly for the view's devices.
//!
//! A recommendation's **impact** within a group is the group's score now minus the group's
//! score without the recommendation's covered findings on the group's devices. Without a
//! group it equals the record's `exposure_impact` (the same exact computation); for an
//! "attention required" recommendation (no fixing version) it is what its findings weigh,
//! the record's `exposure_left` (the record's `exposure_impact` is 0 there: nothing to
//! install).
//! Rows are sorted by impact (largest first), then id.
//!
//! ```
//! use exposure::history::AssessmentRecord;
//! use exposure::views::{recommendations, Filter};
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
//! let rows = recommendations::rows(&record, &Filter::group("engineering"));
//! assert!(rows.iter().any(|r| r.id == "update:npm:lodash"));
//! assert!(rows.iter().all(|r| r.devices <= 2)); // build-01 and dev-laptop-07
//! # Ok::<(), exposure::history::RecordError>(())
//! ```

use super::{Filter, Scope};
use crate::ecosystem::Ecosystem;
use crate::history::AssessmentRecord;
use crate::recommend::ActionKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// One recommendation in a view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendationRow {
    /// Its stable id.
    pub id: String,
    /// Its rank in the whole record.
    pub rank: u32,
    /// The action.
    pub action: ActionKind,
    /// The software's ecosystem.
    pub ecosystem: Ecosystem,
    /// The software.
    pub software: String,
    /// The instruction.
    pub text: String,
    /// The version to move to, when one serves every device.
    pub target_version: Option<String>,
    /// The exact drop of the view's score if taken on the view's devices.
    pub impact: f64,
    /// Covered findings on the view's devices.
    pub findings: usize,
    /// Covered devices in the view.
    pub devices: usize,
    /// Covered findings of known-exploited vulnerabilities on the view's devices.
    pub known_exploited: usize,
}

/// The recommendations covering a device of the view, by impact then id.
///
/// ```
/// use exposure::history::AssessmentRecord;
/// use exposure::recommend::ActionKind;
/// use exposure::views::{recommendations, Filter};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// for row in recommendations::rows(&record, &Filter::all()) {
///     let r = record.recommendations.iter().find(|r| r.id == row.id).unwrap();
///     let stated = if r.action == ActionKind::AttentionRequired { r.exposure_left } else { r.exposure_impact };
///     assert!((row.impact - stated).abs() < 1e-9, "{}", row.id);
/// }
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
pub fn rows(record: &AssessmentRecord, filter: &Filter) -> Vec<RecommendationRow> {
    rows_in(&Scope::new(record, filter))
}

pub(crate) fn rows_in(scope: &Scope<'_>) -> Vec<RecommendationRow> {
    let record = scope.record;
    let mut rows: Vec<RecommendationRow> = record
        .recommendations
        .iter()
        .filter_map(|r| {
            let devices = r
                .devices
                .iter()
                .filter(|&&d| scope.selected.get(d as usize) == Some(&true))
                .count();
            if devices == 0 {
                return None;
            }
            let mut covered: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
            let (mut findings, mut known_exploited) = (0, 0);
            for &f in &r.findings {
                let Some(finding) = record.findings.get(f as usize) else {
                    continue;
                };
                if scope.selected.get(finding.device as usize) != Some(&true) {
                    continue;
                }
                covered.entry(finding.device as usize).or_default().push(f);
                findings += 1;
                known_exploited += usize::from(record.advisory_of(finding).kev.is_some());
            }
            Some(RecommendationRow {
                id: r.id.clone(),
                rank: r.rank,
                action: r.action,
                ecosystem: r.ecosystem.clone(),
                software: r.software.clone(),
                text: r.text.clone(),
                target_version: r.target_version.clone(),
                impact: scope.impact_by_device(covered),
                findings,
                devices,
                known_exploited,
            })
        })
        .collect();
    sort(&mut rows);
    rows
}

/// The view's order: by impact (largest first), then id.
pub(crate) fn sort(rows: &mut [RecommendationRow]) {
    rows.sort_by(|a, b| b.impact.total_cmp(&a.impact).then_with(|| a.id.cmp(&b.id)));
}
