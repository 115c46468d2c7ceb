//! The secure configuration of a streamed or partitioned fleet from running sums: the
//! organisation's and groups' secure scores are ratios of weight sums, and a configuration
//! change — making a failing check pass on the devices failing it — removes on each such
//! device a set of findings fixed by the device alone (those the check mitigates), so its
//! exposure drop is a sum over devices per value class, `100 (Π_kept (1 − c) − Π_all (1 − c))`,
//! weighted at the end. Nothing is kept per device.

use crate::assessment::ScoredFinding;
use crate::configuration::{
    mitigating, CheckStatus, ConfigurationCheck, ConfigurationRecommendation, GroupConfiguration,
    Tally,
};
use crate::inventory::Fleet;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A [`Tally`]'s sums, serialisable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct TallySums {
    passed_weight: f64,
    applicable_weight: f64,
    passed: usize,
    failed: usize,
    not_applicable: usize,
}

impl TallySums {
    fn add(&mut self, t: &Tally) {
        self.passed_weight += t.passed_weight;
        self.applicable_weight += t.applicable_weight;
        self.passed += t.passed;
        self.failed += t.failed;
        self.not_applicable += t.not_applicable;
    }

    fn merge(&mut self, other: &TallySums) {
        self.add(&other.tally());
    }

    fn tally(&self) -> Tally {
        Tally {
            passed_weight: self.passed_weight,
            applicable_weight: self.applicable_weight,
            passed: self.passed,
            failed: self.failed,
            not_applicable: self.not_applicable,
        }
    }
}

/// The sums of one failing check id over the devices failing it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct CheckSums {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    remediation: Option<String>,
    mitigates: BTreeSet<String>,
    /// The weight that passing would move from failing to passing checks.
    passing_weight: f64,
    /// Over every device failing it: the devices, the findings it mitigates there, and per
    /// value class Σ over its devices of the device score's drop.
    all: ScopeCheckSums,
    /// The same sums over each group's devices failing it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    groups: BTreeMap<String, ScopeCheckSums>,
}

/// What a configuration change covers among some devices (every device, or a group's):
/// the devices failing the check, the findings it mitigates there, of which of
/// known-exploited vulnerabilities, and per value class the sum of their score drops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct ScopeCheckSums {
    pub(super) devices: usize,
    pub(super) findings: usize,
    pub(super) known_exploited: usize,
    pub(super) drop: [f64; 3],
}

impl ScopeCheckSums {
    fn add(&mut self, findings: usize, known_exploited: usize, class: usize, drop: f64) {
        self.devices += 1;
        self.findings += findings;
        self.known_exploited += known_exploited;
        self.drop[class] += drop;
    }

    fn merge(&mut self, other: &ScopeCheckSums) {
        self.devices += other.devices;
        self.findings += other.findings;
        self.known_exploited += other.known_exploited;
        for class in 0..3 {
            self.drop[class] += other.drop[class];
        }
    }
}

/// The running configuration sums of a streamed fleet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct RunningConfiguration {
    /// Devices that reported checks.
    reporting: usize,
    organisation: TallySums,
    /// Per group: its reporting devices and their sums.
    groups: BTreeMap<String, (usize, TallySums)>,
    checks: BTreeMap<String, CheckSums>,
}

/// The configuration results of a streamed fleet: the organisation's and groups' secure
/// scores, the devices that reported checks (their rows are the stream's), and the
/// configuration changes, as in an assessment's [`crate::configuration::ConfigurationSummary`].
///
/// ```
/// use exposure::stream::Aggregate;
/// let engine = exposure::Engine::demo();
/// let whole = engine.assess(&exposure::demo::fleet());
/// let mut aggregate = Aggregate::new(&engine);
/// aggregate.add_with_fleet(&whole, &exposure::demo::fleet());
/// let configuration = aggregate.finish(&engine)?.configuration;
/// assert_eq!(configuration.organisation, whole.configuration.organisation);
/// assert_eq!(configuration.reporting_devices, whole.configuration.devices.len());
/// # Ok::<(), exposure::stream::AggregateError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FleetConfiguration {
    /// The organisation's secure score; `None` when no check applies anywhere.
    pub organisation: Option<f64>,
    /// Devices that reported checks.
    pub reporting_devices: usize,
    /// Each group of a reporting device, by name.
    pub groups: Vec<GroupConfiguration>,
}

impl RunningConfiguration {
    /// Adds the devices of `fleet`, with their findings by device id. Returns, for the
    /// devices `kept` marks (by index in the fleet), each failing check's drop of the
    /// device's score.
    pub(super) fn add(
        &mut self,
        by_device: &super::FindingsByDevice<'_>,
        fleet: &Fleet,
        kept: &[bool],
    ) -> Vec<(usize, Vec<(String, f64)>)> {
        let mut kept_drops = Vec::new();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (index, device) in fleet.devices.iter().enumerate() {
            // The first device with an id owns it, as in the assessment.
            if device.configuration.is_empty() || !seen.insert(device.id.as_str()) {
                continue;
            }
            let tally = Tally::of(&device.configuration);
            self.reporting += 1;
            self.organisation.add(&tally);
            let groups: BTreeSet<&str> = device.groups.iter().map(String::as_str).collect();
            for &group in &groups {
                let (devices, sums) = self.groups.entry(group.to_owned()).or_default();
                *devices += 1;
                sums.add(&tally);
            }
            let findings = by_device
                .get(device.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let value = super::recommendations::class(device.value);
            let drops = self.add_failing(&device.configuration, findings, value, &groups);
            if kept.get(index) == Some(&true) {
                kept_drops.push((index, drops));
            }
        }
        kept_drops
    }

    /// The failing checks of one device, its findings, value class and groups; each
    /// failing check's drop of the device's score.
    fn add_failing(
        &mut self,
        checks: &[ConfigurationCheck],
        findings: &[&ScoredFinding],
        class: usize,
        groups: &BTreeSet<&str>,
    ) -> Vec<(String, f64)> {
        let mut drops = Vec::new();
        // Per failing id: its instances on the device, in order.
        let mut failing: BTreeMap<&str, Vec<&ConfigurationCheck>> = BTreeMap::new();
        for check in checks.iter().filter(|c| c.status == CheckStatus::Fail) {
            failing.entry(&*check.id).or_default().push(check);
        }
        for (id, instances) in failing {
            let first = instances[0];
            let sums = self
                .checks
                .entry(id.to_owned())
                .or_insert_with(|| CheckSums {
                    title: first.title.to_string(),
                    category: first.category.as_deref().map(str::to_owned),
                    remediation: first.remediation.as_deref().map(str::to_owned),
                    ..CheckSums::default()
                });
            // Re-tallying with one instance passing moves its weight (the assessment
            // re-tallies each instance in turn, the last one staying).
            sums.passing_weight += instances.last().map_or(0.0, |c| c.weight);
            let mut ids: BTreeMap<String, &str> = BTreeMap::new();
            for check in &instances {
                ids.extend(
                    check
                        .mitigates
                        .iter()
                        .map(|m| (m.trim().to_ascii_uppercase(), &*check.id)),
                );
            }
            let (mut all, mut kept, mut removed, mut known_exploited) = (1.0, 1.0, 0, 0);
            for finding in findings {
                let survival = 1.0 - finding.contribution().clamp(0.0, 1.0);
                all *= survival;
                if finding.mitigated_by.is_none() && mitigating(finding, &ids).is_some() {
                    removed += 1;
                    known_exploited += usize::from(finding.threat.known_exploited.is_some());
                } else {
                    kept *= survival;
                }
            }
            sums.mitigates.extend(ids.into_keys());
            let drop = if removed > 0 {
                100.0 * (kept - all)
            } else {
                0.0
            };
            sums.all.add(removed, known_exploited, class, drop);
            for &group in groups {
                sums.groups.entry(group.to_owned()).or_default().add(
                    removed,
                    known_exploited,
                    class,
                    drop,
                );
            }
            drops.push((id.to_owned(), drop));
        }
        drops
    }

    /// What the change of check `id` covers among every device (`group` none) or a group's.
    pub(super) fn scope(&self, id: &str, group: Option<&str>) -> Option<&ScopeCheckSums> {
        let sums = self.checks.get(id)?;
        match group {
            None => Some(&sums.all),
            Some(group) => sums.groups.get(group),
        }
    }

    /// Adds another partition's sums.
    pub(crate) fn merge(&mut self, other: &RunningConfiguration) {
        self.reporting += other.reporting;
        self.organisation.merge(&other.organisation);
        for (group, (devices, sums)) in &other.groups {
            let slot = self.groups.entry(group.clone()).or_default();
            slot.0 += devices;
            slot.1.merge(sums);
        }
        for (id, theirs) in &other.checks {
            let ours = self.checks.entry(id.clone()).or_insert_with(|| CheckSums {
                mitigates: BTreeSet::new(),
                passing_weight: 0.0,
                groups: BTreeMap::new(),
                all: ScopeCheckSums::default(),
                ..theirs.clone()
            });
            ours.all.merge(&theirs.all);
            for (group, sums) in &theirs.groups {
                ours.groups.entry(group.clone()).or_default().merge(sums);
            }
            ours.mitigates.extend(theirs.mitigates.iter().cloned());
            ours.passing_weight += theirs.passing_weight;
        }
    }

    /// The configuration results, and the configuration changes with their device counts,
    /// weighted by `weights` (per value class) over `total_weight`.
    pub(crate) fn finish(
        &self,
        weights: [f64; 3],
        total_weight: f64,
    ) -> (
        FleetConfiguration,
        Vec<(ConfigurationRecommendation, usize)>,
    ) {
        let organisation = self.organisation.tally();
        let before = organisation.score();
        let changes = self
            .checks
            .iter()
            .map(|(id, sums)| {
                let mut after = organisation;
                after.passed_weight += sums.passing_weight;
                after.passed += sums.all.devices;
                after.failed -= sums.all.devices.min(after.failed);
                let configuration_impact = match (after.score(), before) {
                    (Some(after), Some(before)) => after - before,
                    _ => 0.0,
                };
                let exposure_impact = if sums.all.findings == 0 || total_weight <= 0.0 {
                    0.0
                } else {
                    (0..3).map(|c| weights[c] * sums.all.drop[c]).sum::<f64>() / total_weight
                };
                let change = ConfigurationRecommendation {
                    rank: 0,
                    check_id: id.clone(),
                    title: sums.title.clone(),
                    category: sums.category.clone(),
                    remediation: sums.remediation.clone(),
                    devices: Vec::new(),
                    mitigates: sums.mitigates.iter().cloned().collect(),
                    findings: sums.all.findings,
                    configuration_impact,
                    exposure_impact,
                    covered: Vec::new(),
                };
                (change, sums.all.devices)
            })
            .collect();
        let configuration = FleetConfiguration {
            organisation: before,
            reporting_devices: self.reporting,
            groups: self
                .groups
                .iter()
                .map(|(group, (devices, sums))| GroupConfiguration {
                    group: group.clone(),
                    devices: *devices,
                    score: sums.tally().score(),
                })
                .collect(),
        };
        (configuration, changes)
    }
}
