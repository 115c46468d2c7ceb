//! Secure configuration (Defender's Secure Score for Devices): the configuration checks a
//! caller reports per device, the secure score they give per device, group and organisation,
//! the CVEs a passing check mitigates on its device, and one *configuration change*
//! recommendation per failing check with its exact effect on both scores.
//!
//! - **Score**: `100 × Σ passed weight / Σ applicable weight`, where a check is applicable
//!   unless its status is `not_applicable`. A device with no applicable check (or whose
//!   applicable checks all weigh 0) has no score (`None`), never 100.
//! - **Organisation and groups**: the same ratio of sums over every check of their devices —
//!   a ratio of sums, not a mean of device scores, so a device with many checks counts more
//!   than one with few (as in `MODEL.md`). The groups are the devices' groups (the fleet
//!   format's `groups`).
//! - **Mitigation**: a *passing* check that names CVEs mitigates them on its device; a
//!   finding whose advisory id or an alias is mitigated stays listed with `mitigated_by`
//!   (the check) and counts 0 in the exposure score.
//! - **Recommendations**: one per failing check id, over the devices failing it; its
//!   `configuration_impact` is the rise of the organisation's secure score if they pass it,
//!   its `exposure_impact` the drop of the organisation's exposure score if the CVEs it
//!   mitigates stop counting on them — both exactly what re-assessing the changed fleet
//!   gives.

use crate::assessment::ScoredFinding;
use crate::inventory::{Device, Fleet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[cfg(test)]
mod tests;

/// The state a device reports for one configuration check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The device is configured as the check asks.
    Pass,
    /// It is not.
    Fail,
    /// The check does not apply to the device (left out of its score).
    NotApplicable,
}

impl CheckStatus {
    /// The name in the fleet format: `pass`, `fail` or `not_applicable`.
    pub fn name(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::NotApplicable => "not_applicable",
        }
    }

    /// Parses `pass`, `fail` or `not_applicable` (exactly).
    ///
    /// ```
    /// use exposure::configuration::CheckStatus;
    /// assert_eq!(CheckStatus::from_name("not_applicable"), Some(CheckStatus::NotApplicable));
    /// assert_eq!(CheckStatus::from_name("ok"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        [
            CheckStatus::Pass,
            CheckStatus::Fail,
            CheckStatus::NotApplicable,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }
}

/// One configuration check as a device reports it. Its texts repeat on every device that
/// reports it, so they are shared (the fleet reader keeps each distinct text once).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigurationCheck {
    /// The check's id (`deb-ssh-root-login`), the same on every device.
    pub id: Arc<str>,
    /// What it checks.
    pub title: Arc<str>,
    /// Its state on the device.
    pub status: CheckStatus,
    /// Its weight in the secure score: from 0 to [`ConfigurationCheck::MAX_WEIGHT`] (1 by
    /// default).
    pub weight: f64,
    /// The vulnerability ids a passing check mitigates on the device.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mitigates: Vec<String>,
    /// How to make it pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<Arc<str>>,
    /// A category (`network`, `accounts`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Arc<str>>,
}

impl ConfigurationCheck {
    /// A check of weight 1 with no mitigations, remediation or category.
    ///
    /// ```
    /// use exposure::configuration::{CheckStatus, ConfigurationCheck};
    /// let check = ConfigurationCheck::new("smb1", "SMBv1 disabled", CheckStatus::Fail);
    /// assert_eq!(check.weight, 1.0);
    /// ```
    pub fn new(id: impl Into<Arc<str>>, title: impl Into<Arc<str>>, status: CheckStatus) -> Self {
        ConfigurationCheck {
            id: id.into(),
            title: title.into(),
            status,
            weight: 1.0,
            mitigates: Vec::new(),
            remediation: None,
            category: None,
        }
    }

    /// The largest weight a check may have: sums of weights then stay finite (a weight of
    /// 1e308 on two checks would make the applicable weight infinite and the score NaN).
    pub const MAX_WEIGHT: f64 = 1e6;

    /// Whether `weight` is one a check may have: a number from 0 to
    /// [`MAX_WEIGHT`](Self::MAX_WEIGHT).
    ///
    /// ```
    /// use exposure::configuration::ConfigurationCheck;
    /// assert!(ConfigurationCheck::valid_weight(0.0) && ConfigurationCheck::valid_weight(2.5));
    /// assert!(!ConfigurationCheck::valid_weight(-1.0) && !ConfigurationCheck::valid_weight(1e300));
    /// assert!(!ConfigurationCheck::valid_weight(f64::NAN));
    /// ```
    pub fn valid_weight(weight: f64) -> bool {
        (0.0..=Self::MAX_WEIGHT).contains(&weight)
    }
}

/// The weights and counts of some checks: what a secure score is computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// The weight of the passing checks.
    pub passed_weight: f64,
    /// The weight of the applicable (passing or failing) checks.
    pub applicable_weight: f64,
    /// Passing checks.
    pub passed: usize,
    /// Failing checks.
    pub failed: usize,
    /// Checks that do not apply.
    pub not_applicable: usize,
}

impl Tally {
    /// The tally of `checks`.
    pub fn of<'c>(checks: impl IntoIterator<Item = &'c ConfigurationCheck>) -> Self {
        let mut tally = Tally::default();
        for check in checks {
            tally.add(check.status, check.weight);
        }
        tally
    }

    fn add(&mut self, status: CheckStatus, weight: f64) {
        match status {
            CheckStatus::Pass => {
                self.passed += 1;
                self.passed_weight += weight;
                self.applicable_weight += weight;
            }
            CheckStatus::Fail => {
                self.failed += 1;
                self.applicable_weight += weight;
            }
            CheckStatus::NotApplicable => self.not_applicable += 1,
        }
    }

    /// The sum of several tallies.
    fn sum<'t>(tallies: impl IntoIterator<Item = &'t Tally>) -> Self {
        let mut sum = Tally::default();
        for t in tallies {
            sum.passed_weight += t.passed_weight;
            sum.applicable_weight += t.applicable_weight;
            sum.passed += t.passed;
            sum.failed += t.failed;
            sum.not_applicable += t.not_applicable;
        }
        sum
    }

    /// The secure score, `100 × passed weight / applicable weight`; `None` when no weight
    /// applies.
    ///
    /// ```
    /// use exposure::configuration::{CheckStatus, ConfigurationCheck, Tally};
    /// let mut heavy = ConfigurationCheck::new("a", "A", CheckStatus::Pass);
    /// heavy.weight = 3.0;
    /// let checks = [heavy, ConfigurationCheck::new("b", "B", CheckStatus::Fail),
    ///               ConfigurationCheck::new("c", "C", CheckStatus::NotApplicable)];
    /// assert_eq!(Tally::of(&checks).score(), Some(75.0));
    /// assert_eq!(Tally::of(&checks[2..]).score(), None);
    /// ```
    pub fn score(&self) -> Option<f64> {
        // The two sums are rounded apart: the ratio is kept in [0, 100] that way.
        (self.applicable_weight > 0.0)
            .then(|| (100.0 * self.passed_weight / self.applicable_weight).clamp(0.0, 100.0))
    }
}

/// The secure score of one device's checks (see [`Tally::score`]).
pub fn device_score(device: &Device) -> Option<f64> {
    Tally::of(&device.configuration).score()
}

/// The CVEs the passing checks of `device` mitigate, each with the first check (in the
/// device's order) that does, upper-cased.
///
/// ```
/// use exposure::configuration::{mitigated, CheckStatus, ConfigurationCheck};
/// use exposure::inventory::Device;
/// let mut device = Device::with_software("win-1", "win-1", Vec::new());
/// let mut smb = ConfigurationCheck::new("win-smb1-disabled", "SMBv1 disabled", CheckStatus::Pass);
/// smb.mitigates = vec!["CVE-2017-0144".into()];
/// let mut spooler = ConfigurationCheck::new("win-spooler-disabled", "Spooler off", CheckStatus::Fail);
/// spooler.mitigates = vec!["CVE-2021-34527".into()];
/// device.configuration = vec![smb, spooler];
/// let ids: Vec<(String, &str)> = mitigated(&device).into_iter().collect();
/// assert_eq!(ids, [("CVE-2017-0144".to_owned(), "win-smb1-disabled")]);
/// ```
pub fn mitigated(device: &Device) -> BTreeMap<String, &str> {
    let mut out = BTreeMap::new();
    for check in device
        .configuration
        .iter()
        .filter(|c| c.status == CheckStatus::Pass)
    {
        for id in &check.mitigates {
            out.entry(id.trim().to_ascii_uppercase())
                .or_insert(&*check.id);
        }
    }
    out
}

/// The check of `mitigated` (see [`mitigated`]) that mitigates a finding: one naming its
/// advisory id or one of its aliases.
pub(crate) fn mitigating<'m>(
    finding: &ScoredFinding,
    mitigated: &BTreeMap<String, &'m str>,
) -> Option<&'m str> {
    if mitigated.is_empty() {
        return None;
    }
    std::iter::once(&*finding.finding.advisory_id)
        .chain(finding.finding.aliases.iter().map(|a| &**a))
        .find_map(|id| mitigated.get(&id.to_ascii_uppercase()).copied())
}

/// Marks the findings that a passing check of their device mitigates (`mitigated_by`);
/// `owner[i]` is the index in `fleet` of finding `i`'s device.
pub fn mark_mitigated(fleet: &Fleet, findings: &mut [ScoredFinding], owner: &[usize]) {
    let by_device: Vec<BTreeMap<String, &str>> = fleet.devices.iter().map(mitigated).collect();
    for (finding, &device) in findings.iter_mut().zip(owner) {
        finding.mitigated_by = by_device
            .get(device)
            .and_then(|m| mitigating(finding, m))
            .map(str::to_owned);
    }
}

/// One device's secure configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceConfiguration {
    /// The device's id.
    pub device_id: String,
    /// Its secure score, 0–100; `None` when no check applies.
    pub score: Option<f64>,
    /// Passing checks.
    pub passed: usize,
    /// Failing checks.
    pub failed: usize,
    /// Checks that do not apply.
    pub not_applicable: usize,
}

/// The secure configuration of the devices of one group (a device tag).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupConfiguration {
    /// The group (tag).
    pub group: String,
    /// Its devices that reported checks.
    pub devices: usize,
    /// The ratio of sums over their checks; `None` when no check applies.
    pub score: Option<f64>,
}

/// A configuration change: make one failing check pass on the devices failing it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigurationRecommendation {
    /// 1 for the first; ordered by exposure impact, then configuration impact, then id.
    pub rank: usize,
    /// The check's id.
    pub check_id: String,
    /// Its title (as the first device failing it reports it).
    pub title: String,
    /// Its category, when reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// How to make it pass, when reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    /// The devices failing it, in fleet order.
    pub devices: Vec<String>,
    /// The vulnerability ids it mitigates on them (sorted).
    pub mitigates: Vec<String>,
    /// Findings on those devices it would mitigate.
    pub findings: usize,
    /// The rise of the organisation's secure score if those devices pass it.
    pub configuration_impact: f64,
    /// The drop of the organisation's exposure score if the findings it mitigates on those
    /// devices stop counting.
    pub exposure_impact: f64,
    /// The findings it would mitigate, as indexes into the assessment's findings, sorted.
    #[serde(skip)]
    pub covered: Vec<usize>,
}

impl ConfigurationRecommendation {
    /// The same change as an entry of the assessment's one ranked to-do list
    /// ([`ActionKind::ConfigurationChange`](crate::recommend::ActionKind::ConfigurationChange),
    /// ecosystem `configuration`, the check id as its "software", the CVEs it mitigates as what
    /// it resolves), with both impacts.
    ///
    /// ```
    /// use exposure::recommend::ActionKind;
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let change = a.configuration.recommendations[0].to_recommendation();
    /// assert_eq!(change.action, ActionKind::ConfigurationChange);
    /// assert!(a.recommendations.iter().any(|r| r.software == change.software));
    /// ```
    pub fn to_recommendation(&self) -> crate::recommend::Recommendation {
        let mut r = crate::recommend::Recommendation::new(
            crate::recommend::ActionKind::ConfigurationChange,
            crate::ecosystem::Ecosystem::Other("configuration".to_owned()),
            self.check_id.clone(),
            format!("configure {}: {}", self.check_id, self.title),
        );
        r.devices.clone_from(&self.devices);
        r.resolves.clone_from(&self.mitigates);
        r.findings = self.findings;
        r.exposure_impact = self.exposure_impact;
        r.configuration_impact = self.configuration_impact;
        r.covered.clone_from(&self.covered);
        r
    }
}

/// The secure configuration section of an assessment.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ConfigurationSummary {
    /// The organisation's secure score: the ratio of sums over every device's checks; `None`
    /// when no check applies anywhere.
    pub organisation: Option<f64>,
    /// Each device that reported checks, in fleet order.
    pub devices: Vec<DeviceConfiguration>,
    /// Each group of a device that reported checks, by name.
    pub groups: Vec<GroupConfiguration>,
    /// One per failing check id, ranked.
    pub recommendations: Vec<ConfigurationRecommendation>,
}

impl ConfigurationSummary {
    /// Whether any device reported a configuration check.
    pub fn reported(&self) -> bool {
        !self.devices.is_empty()
    }
}

/// The configuration section of an assessment of `fleet`. `findings` are its scored findings
/// (marked by [`mark_mitigated`]), `owner[i]` the index of finding `i`'s device;
/// `exposure` is the organisation's exposure score and `exposure_without(removed)` the score
/// with the findings at the indexes `removed` left out (the computation the other
/// recommendations use).
pub fn summarise(
    fleet: &Fleet,
    findings: &[ScoredFinding],
    owner: &[usize],
    exposure: f64,
    exposure_without: impl Fn(&[usize]) -> f64,
) -> ConfigurationSummary {
    let tallies: Vec<Tally> = fleet
        .devices
        .iter()
        .map(|d| Tally::of(&d.configuration))
        .collect();
    let organisation = Tally::sum(&tallies).score();
    let reporting = || {
        fleet
            .devices
            .iter()
            .zip(&tallies)
            .filter(|(d, _)| !d.configuration.is_empty())
    };
    let devices = reporting()
        .map(|(d, t)| DeviceConfiguration {
            device_id: d.id.clone(),
            score: t.score(),
            passed: t.passed,
            failed: t.failed,
            not_applicable: t.not_applicable,
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<&Tally>> = BTreeMap::new();
    for (d, t) in reporting() {
        let named: BTreeSet<&str> = d.groups.iter().map(String::as_str).collect();
        for group in named {
            groups.entry(group).or_default().push(t);
        }
    }
    let groups = groups
        .into_iter()
        .map(|(group, tallies)| GroupConfiguration {
            group: group.to_owned(),
            devices: tallies.len(),
            score: Tally::sum(tallies).score(),
        })
        .collect();
    let recommendations = recommend(
        fleet,
        &tallies,
        organisation,
        findings,
        owner,
        exposure,
        exposure_without,
    );
    ConfigurationSummary {
        organisation,
        devices,
        groups,
        recommendations,
    }
}

/// One recommendation per failing check id, ranked.
fn recommend(
    fleet: &Fleet,
    tallies: &[Tally],
    organisation: Option<f64>,
    findings: &[ScoredFinding],
    owner: &[usize],
    exposure: f64,
    exposure_without: impl Fn(&[usize]) -> f64,
) -> Vec<ConfigurationRecommendation> {
    // Each failing check id with its (device index, check) pairs, in fleet order.
    let mut failing: BTreeMap<&str, Vec<(usize, &ConfigurationCheck)>> = BTreeMap::new();
    for (d, device) in fleet.devices.iter().enumerate() {
        for check in device
            .configuration
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
        {
            failing.entry(&*check.id).or_default().push((d, check));
        }
    }
    let mut by_device: Vec<Vec<usize>> = vec![Vec::new(); fleet.devices.len()];
    for (i, &d) in owner.iter().enumerate() {
        if let Some(list) = by_device.get_mut(d) {
            list.push(i);
        }
    }
    let mut out: Vec<ConfigurationRecommendation> = failing
        .into_iter()
        .filter_map(|(id, instances)| {
            let &(_, first) = instances.first()?;
            // The secure score with the check passing on those devices: their tallies moved
            // as re-tallying the changed checks would move them.
            let mut changed = tallies.to_vec();
            for &(d, check) in &instances {
                let mut tally = Tally::default();
                for c in &fleet.devices[d].configuration {
                    let status = if std::ptr::eq(c, check) {
                        CheckStatus::Pass
                    } else {
                        c.status
                    };
                    tally.add(status, c.weight);
                }
                changed[d] = tally;
            }
            let configuration_impact = match (Tally::sum(&changed).score(), organisation) {
                (Some(after), Some(before)) => after - before,
                _ => 0.0,
            };
            // The findings the check would mitigate: on a device failing it, not mitigated
            // already, naming one of its ids.
            let mut mitigates = BTreeSet::new();
            let mut removed = BTreeSet::new();
            for &(d, check) in &instances {
                let ids: BTreeMap<String, &str> = check
                    .mitigates
                    .iter()
                    .map(|m| (m.trim().to_ascii_uppercase(), &*check.id))
                    .collect();
                mitigates.extend(ids.keys().cloned());
                removed.extend(by_device[d].iter().copied().filter(|&i| {
                    findings[i].mitigated_by.is_none() && mitigating(&findings[i], &ids).is_some()
                }));
            }
            let exposure_impact = if removed.is_empty() {
                0.0
            } else {
                exposure - exposure_without(&removed.iter().copied().collect::<Vec<usize>>())
            };
            let covered: Vec<usize> = removed.iter().copied().collect();
            Some(ConfigurationRecommendation {
                rank: 0,
                check_id: id.to_owned(),
                title: first.title.to_string(),
                category: first.category.as_deref().map(str::to_owned),
                remediation: first.remediation.as_deref().map(str::to_owned),
                devices: instances
                    .iter()
                    .map(|&(d, _)| fleet.devices[d].id.clone())
                    .collect(),
                mitigates: mitigates.into_iter().collect(),
                findings: removed.len(),
                configuration_impact,
                exposure_impact,
                covered,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.exposure_impact
            .total_cmp(&a.exposure_impact)
            .then(b.configuration_impact.total_cmp(&a.configuration_impact))
            .then_with(|| a.check_id.cmp(&b.check_id))
    });
    for (i, r) in out.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    out
}
