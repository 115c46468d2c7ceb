//! What a dashboard needs of a streamed or partitioned fleet beyond the other sums, over
//! every device and over each group's: the devices per exposure level, the sum of the
//! devices' secure scores, and the devices with the highest scores kept whole (at most
//! [`KEPT_DEVICES`] a scope), each with its product patterns and failing checks so that its
//! recommendations' impacts on it are exact at the end. From these and the recommendation
//! patterns' per-group sums come the recommendations and devices views of every scope
//! (`recommendation_rows`, `device_rows`), equal to the in-memory views
//! ([`crate::views::recommendations`], [`crate::views::devices`]).

use super::configuration::RunningConfiguration;
use super::recommendations::{Coverage, Finish, Pattern, Renumbering, RunningRecommendations};
use super::FleetRecommendation;
use crate::assessment::Assessment;
use crate::date::Date;
use crate::inventory::{DeviceValue, Fleet};
use crate::score::exposure::ExposureLevel;
use crate::views::dashboard::Distribution;
use crate::views::devices::{DeviceRecommendation, DeviceRow};
use crate::views::recommendations::RecommendationRow;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The devices with the highest exposure scores an aggregate keeps, over every device and
/// for each group: a dashboard of a streamed fleet shows at most this many.
///
/// ```
/// assert!(exposure::stream::KEPT_DEVICES >= 5); // the CLI dashboard's default list
/// ```
pub const KEPT_DEVICES: usize = 20;

/// A device kept whole: the figures of its devices-view row, and what its recommendations'
/// impacts on it are computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct KeptDevice {
    id: String,
    name: String,
    score: f64,
    value: DeviceValue,
    groups: Vec<String>,
    internet_facing: bool,
    findings: usize,
    exposed_findings: usize,
    software: usize,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    secure_score: Option<f64>,
    /// Its product patterns, each with the device's rest (the survival of its other products).
    patterns: Vec<(Pattern, f64)>,
    /// Its failing checks, each with the drop of its score if the check passed.
    checks: Vec<(String, f64)>,
}

/// Whether `a` comes before `b` in the devices view: higher score, then id.
fn before(a: (f64, &str), b: (f64, &str)) -> bool {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)) == std::cmp::Ordering::Less
}

/// The dashboard sums of one scope (every device, or a group's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct ScopeSums {
    /// Devices per exposure level (low, medium, high).
    levels: [usize; 3],
    /// The sum of the secure scores of the devices that reported checks, and their number.
    secure: f64,
    secure_devices: usize,
    /// The devices with the highest scores, in the devices view's order.
    top: Vec<KeptDevice>,
}

impl ScopeSums {
    /// Whether a device of `score` and `id` would enter the kept devices.
    fn wants(&self, score: f64, id: &str) -> bool {
        self.top.len() < KEPT_DEVICES
            || self
                .top
                .last()
                .is_some_and(|last| before((score, id), (last.score, &last.id)))
    }

    fn keep(&mut self, device: KeptDevice) {
        if !self.wants(device.score, &device.id) {
            return;
        }
        let at = self
            .top
            .partition_point(|d| before((d.score, &d.id), (device.score, &device.id)));
        self.top.insert(at, device);
        self.top.truncate(KEPT_DEVICES);
    }

    fn merge(&mut self, other: &ScopeSums, map: &Renumbering) {
        for level in 0..3 {
            self.levels[level] += other.levels[level];
        }
        self.secure += other.secure;
        self.secure_devices += other.secure_devices;
        for device in &other.top {
            let mut device = device.clone();
            for (pattern, _) in &mut device.patterns {
                *pattern = pattern.renumbered(map);
            }
            self.keep(device);
        }
    }

    fn distribution(&self) -> Distribution {
        Distribution {
            low: self.levels[0],
            medium: self.levels[1],
            high: self.levels[2],
        }
    }

    /// The mean of the devices' secure scores; none when no device reported checks.
    fn secure_score(&self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss)] // device counts are far below 2^52
        (self.secure_devices > 0).then(|| self.secure / self.secure_devices as f64)
    }
}

/// The running dashboard sums of a streamed fleet: over every device and per group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct RunningDashboard {
    all: ScopeSums,
    groups: BTreeMap<String, ScopeSums>,
}

impl RunningDashboard {
    /// Per device of `chunk`: whether it would enter the kept devices of one of its scopes
    /// (the recommendation and configuration sums then hand back its patterns and checks).
    pub(super) fn wanted(&self, chunk: &Assessment) -> Vec<bool> {
        chunk
            .devices
            .iter()
            .map(|d| {
                self.all.wants(d.score, &d.device_id)
                    || d.groups.iter().any(|g| {
                        self.groups
                            .get(g)
                            .is_none_or(|s| s.wants(d.score, &d.device_id))
                    })
            })
            .collect()
    }

    /// Adds the devices of a chunk and its fleet, with the patterns and failing checks of
    /// the devices [`RunningDashboard::wanted`] marked.
    pub(super) fn add(
        &mut self,
        chunk: &Assessment,
        fleet: &Fleet,
        by_device: &super::FindingsByDevice<'_>,
        patterns: Vec<(usize, Vec<(Pattern, f64)>)>,
        checks: Vec<(usize, Vec<(String, f64)>)>,
    ) {
        let mut patterns: HashMap<usize, Vec<(Pattern, f64)>> = patterns.into_iter().collect();
        let mut checks: HashMap<usize, Vec<(String, f64)>> = checks.into_iter().collect();
        for (index, exposure) in chunk.devices.iter().enumerate() {
            let device = fleet
                .devices
                .get(index)
                .filter(|d| d.id == exposure.device_id);
            let secure_score = device.and_then(crate::configuration::device_score);
            let level = match ExposureLevel::of_score(exposure.score) {
                ExposureLevel::Low => 0,
                ExposureLevel::Medium => 1,
                ExposureLevel::High => 2,
            };
            let groups: BTreeSet<&str> = exposure.groups.iter().map(String::as_str).collect();
            let count = |scope: &mut ScopeSums| {
                scope.levels[level] += 1;
                if let Some(s) = secure_score {
                    scope.secure += s;
                    scope.secure_devices += 1;
                }
            };
            count(&mut self.all);
            for &group in &groups {
                count(self.groups.entry(group.to_owned()).or_default());
            }
            let Some(patterns) = patterns.remove(&index) else {
                continue;
            };
            let mine = by_device
                .get(exposure.device_id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let kept = KeptDevice {
                id: exposure.device_id.clone(),
                name: exposure.name.clone(),
                score: exposure.score,
                value: exposure.value,
                groups: exposure.groups.clone(),
                internet_facing: device.is_some_and(|d| d.internet_facing),
                findings: mine.len(),
                exposed_findings: mine.iter().filter(|f| f.not_counted().is_none()).count(),
                software: exposure.software,
                secure_score,
                patterns,
                checks: checks.remove(&index).unwrap_or_default(),
            };
            self.all.keep(kept.clone());
            for group in groups {
                if let Some(scope) = self.groups.get_mut(group) {
                    scope.keep(kept.clone());
                }
            }
        }
    }

    /// Adds another partition's sums, its pattern numbers mapped by `map`.
    pub(super) fn merge(&mut self, other: &RunningDashboard, map: &Renumbering) {
        self.all.merge(&other.all, map);
        for (group, sums) in &other.groups {
            self.groups
                .entry(group.clone())
                .or_default()
                .merge(sums, map);
        }
    }

    /// Whether every kept device's patterns point into `recommendations`' tables.
    pub(super) fn is_consistent(&self, recommendations: &RunningRecommendations) -> bool {
        std::iter::once(&self.all)
            .chain(self.groups.values())
            .flat_map(|s| &s.top)
            .flat_map(|d| &d.patterns)
            .all(|(p, _)| recommendations.fits(p))
    }

    /// Devices per level over every device (`group` none) or a group's.
    pub(super) fn distribution(&self, group: Option<&str>) -> Distribution {
        self.scope(group)
            .map(ScopeSums::distribution)
            .unwrap_or_default()
    }

    /// The mean secure score of a group's devices that reported checks.
    pub(super) fn secure_score(&self, group: &str) -> Option<f64> {
        self.groups.get(group).and_then(ScopeSums::secure_score)
    }

    fn scope(&self, group: Option<&str>) -> Option<&ScopeSums> {
        match group {
            None => Some(&self.all),
            Some(g) => self.groups.get(g),
        }
    }
}

/// Where a ranked recommendation's coverage is read from: the patterns of a product, or a
/// configuration check's sums.
pub(super) enum Source {
    /// What it removes on each pattern.
    Patterns(Vec<Coverage>),
    /// The check it makes pass.
    Check(String),
}

/// The fleet's ranked recommendations with their sources, and what weighs them.
pub(super) struct Ranked<'a> {
    pub(super) recommendations: &'a [(FleetRecommendation, Source)],
    pub(super) finish: &'a Finish<'a>,
    pub(super) configuration: &'a RunningConfiguration,
    /// Each value class's device weight.
    pub(super) weights: [f64; 3],
    pub(super) as_of: Option<Date>,
}

impl Ranked<'_> {
    /// The recommendations view over every device (`group` none) or a group's, whose
    /// devices weigh `scope_weight` in all.
    pub(super) fn recommendation_rows(
        &self,
        group: Option<&str>,
        scope_weight: f64,
    ) -> Vec<RecommendationRow> {
        let group_number = group.map(|g| {
            self.finish
                .groups
                .iter()
                .position(|x| x == g)
                .and_then(|n| u32::try_from(n).ok())
        });
        // A pattern's sums in the scope (none when no device of the scope has it).
        let sums_of = |pattern: usize| {
            let sums = self.finish.patterns[pattern].1;
            match group_number {
                None => Some(&sums.all),
                Some(None) => None,
                Some(Some(g)) => sums.groups.get(&g),
            }
        };
        let weighed = |sums: [f64; 3]| -> f64 {
            if scope_weight <= 0.0 {
                return 0.0;
            }
            ((0..3).map(|c| self.weights[c] * sums[c]).sum::<f64>() / scope_weight).max(0.0)
        };
        let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let mut rows: Vec<RecommendationRow> = self
            .recommendations
            .iter()
            .filter_map(|(fleet, source)| {
                let r = &fleet.recommendation;
                let (devices, findings, known_exploited, impact) = match source {
                    Source::Patterns(coverage) => {
                        let (mut devices, mut findings, mut known_exploited) = (0, 0, 0);
                        let mut drop = [0.0; 3];
                        for c in coverage {
                            let Some(sums) = sums_of(c.pattern) else {
                                continue;
                            };
                            let n = sums.devices();
                            if c.listed {
                                devices += n;
                            }
                            findings += c.findings * n;
                            known_exploited += c.known_exploited * n;
                            for (class, d) in drop.iter_mut().enumerate() {
                                *d += c.drop * sums.rest[class];
                            }
                        }
                        (
                            to_usize(devices),
                            to_usize(findings),
                            to_usize(known_exploited),
                            weighed(drop),
                        )
                    }
                    Source::Check(id) => {
                        let sums = self.configuration.scope(id, group)?;
                        (
                            sums.devices,
                            sums.findings,
                            sums.known_exploited,
                            weighed(sums.drop),
                        )
                    }
                };
                (devices > 0).then(|| RecommendationRow {
                    id: r.id(),
                    rank: u32::try_from(r.rank).unwrap_or(u32::MAX),
                    action: r.action,
                    ecosystem: r.ecosystem.clone(),
                    software: r.software.clone(),
                    text: r.text.clone(),
                    target_version: r.target_version.clone(),
                    impact,
                    findings,
                    devices,
                    known_exploited,
                })
            })
            .collect();
        crate::views::recommendations::sort(&mut rows);
        rows
    }

    /// The kept devices of every device (`group` none) or a group's, as devices-view rows,
    /// each with at most [`KEPT_DEVICES`] recommendations.
    pub(super) fn device_rows(
        &self,
        dashboard: &RunningDashboard,
        group: Option<&str>,
    ) -> Vec<DeviceRow> {
        let Some(scope) = dashboard.scope(group) else {
            return Vec::new();
        };
        let index_of: HashMap<&Pattern, usize> = self
            .finish
            .patterns
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (*p, i))
            .collect();
        scope
            .top
            .iter()
            .map(|device| {
                // The device's patterns by index (one a product), with its rest on each.
                let rest_on: Vec<(usize, f64)> = device
                    .patterns
                    .iter()
                    .filter_map(|(p, rest)| Some((*index_of.get(p)?, *rest)))
                    .collect();
                let mut recommendations: Vec<DeviceRecommendation> = self
                    .recommendations
                    .iter()
                    .filter_map(|(fleet, source)| {
                        let r = &fleet.recommendation;
                        let impact = match source {
                            // Coverage is sorted by pattern.
                            Source::Patterns(coverage) => {
                                rest_on.iter().find_map(|&(p, rest)| {
                                    let at =
                                        coverage.binary_search_by_key(&p, |c| c.pattern).ok()?;
                                    Some(coverage[at].drop * rest)
                                })?
                            }
                            Source::Check(id) => device.checks.iter().find(|(c, _)| c == id)?.1,
                        };
                        Some(DeviceRecommendation {
                            id: r.id(),
                            text: r.text.clone(),
                            impact: impact.max(0.0),
                        })
                    })
                    .collect();
                crate::views::devices::sort_recommendations(&mut recommendations);
                recommendations.truncate(KEPT_DEVICES);
                DeviceRow {
                    id: device.id.clone(),
                    name: device.name.clone(),
                    score: device.score,
                    level: ExposureLevel::of_score(device.score),
                    value: device.value,
                    weight: self.weights[super::recommendations::class(device.value)],
                    groups: device.groups.clone(),
                    internet_facing: device.internet_facing,
                    findings: device.findings,
                    exposed_findings: device.exposed_findings,
                    software: device.software,
                    secure_score: device.secure_score,
                    top_recommendations: recommendations,
                    last_assessed: self.as_of,
                }
            })
            .collect()
    }
}
