//! Remediation recommendations: one per vulnerable software product, "update P to V" where V
//! is the smallest version (in the product's own scheme) that fixes every fixable finding,
//! ranked by the exposure it removes.

use crate::ecosystem::Ecosystem;
use crate::kb::{AffectedPackage, KnowledgeBase};
use crate::version::{AnyScheme, Scheme, Version};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// What to do about a software product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Update to `target_version`.
    Update,
    /// No version fixes every fixable finding (or the versions cannot be ordered): the
    /// advisories' own fixes are listed in `fixes`.
    UpdateNoSingleVersion,
    /// No advisory names a fix: mitigate, or remove the software.
    NoFixAvailable,
}

/// One remediation recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// 1-based position in the ranking.
    pub rank: usize,
    /// A one-line instruction, e.g. `update golang.org/x/net (Go) to 0.17.0`.
    pub text: String,
    /// The action.
    pub action: ActionKind,
    /// The software's ecosystem.
    pub ecosystem: Ecosystem,
    /// The software's name.
    pub software: String,
    /// The version to update to, for [`ActionKind::Update`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_version: Option<String>,
    /// The installed versions that have findings.
    pub installed_versions: Vec<String>,
    /// Advisories the action removes from every device.
    pub resolves: Vec<String>,
    /// Advisories the action leaves (no fix known, or no single version fixes them).
    pub remaining: Vec<String>,
    /// Per advisory, the fixed versions it names (for planning several steps).
    pub fixes: BTreeMap<String, Vec<String>>,
    /// Devices with findings on this software.
    pub devices: Vec<String>,
    /// Findings on this software.
    pub findings: usize,
    /// The exact drop of the organisation exposure score if the action is taken.
    pub exposure_impact: f64,
    /// The highest likelihood among its findings.
    pub max_likelihood: f64,
}

/// A finding as the recommender sees it: its product, advisory, device and risk.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// Ecosystem of the software.
    pub ecosystem: &'a Ecosystem,
    /// Name of the software (ecosystem spelling).
    pub software: &'a str,
    /// Installed version.
    pub installed: &'a str,
    /// The advisory.
    pub advisory_id: &'a str,
    /// Index of the device in the fleet.
    pub device: usize,
    /// Likelihood of the finding.
    pub likelihood: f64,
}

/// Builds and ranks recommendations. `exposure_without` gives the organisation score after
/// removing the findings whose indexes (into `inputs`) it is passed; `base` is the score now.
#[allow(clippy::too_many_lines)] // one pass per product group; splitting scatters the group state
pub fn recommend(
    kb: &KnowledgeBase,
    inputs: &[Input<'_>],
    device_ids: &[&str],
    base: f64,
    exposure_without: impl Fn(&BTreeSet<usize>) -> f64,
) -> Vec<Recommendation> {
    let mut groups: BTreeMap<(Ecosystem, String), Vec<usize>> = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        groups
            .entry((
                input.ecosystem.clone(),
                input.ecosystem.normalize_name(input.software),
            ))
            .or_default()
            .push(i);
    }
    let mut out: Vec<Recommendation> = groups
        .into_values()
        .map(|members| {
            let first = &inputs[members[0]];
            let advisory_ids: BTreeSet<&str> =
                members.iter().map(|&i| inputs[i].advisory_id).collect();
            let covering: Vec<(&str, &AffectedPackage)> = kb
                .affecting(first.ecosystem, first.software)
                .filter(|(a, _)| advisory_ids.contains(a.id.as_str()))
                .map(|(a, p)| (a.id.as_str(), p))
                .collect();
            let fixes: BTreeMap<String, Vec<String>> = advisory_ids
                .iter()
                .map(|id| {
                    let mut named: Vec<String> = covering
                        .iter()
                        .filter(|(a, _)| a == id)
                        .flat_map(|(_, p)| {
                            p.ranges
                                .iter()
                                .flat_map(super::kb::AffectedRange::fixed_versions)
                        })
                        .map(str::to_owned)
                        .collect();
                    named.dedup();
                    ((*id).to_owned(), named)
                })
                .collect();
            let fixable: BTreeSet<&str> = fixes
                .iter()
                .filter(|(_, f)| !f.is_empty())
                .map(|(id, _)| id.as_str())
                .collect();
            let installed: BTreeSet<&str> = members.iter().map(|&i| inputs[i].installed).collect();
            let target = first
                .ecosystem
                .scheme()
                .and_then(|scheme| smallest_fix(scheme, &covering, &fixable, &installed, &fixes));
            let (action, resolves): (ActionKind, BTreeSet<&str>) =
                match (&target, fixable.is_empty()) {
                    (Some(_), _) => (ActionKind::Update, fixable.clone()),
                    (None, true) => (ActionKind::NoFixAvailable, BTreeSet::new()),
                    (None, false) => (ActionKind::UpdateNoSingleVersion, BTreeSet::new()),
                };
            let removed: BTreeSet<usize> = members
                .iter()
                .copied()
                .filter(|&i| resolves.contains(inputs[i].advisory_id))
                .collect();
            let devices: BTreeSet<&str> = members
                .iter()
                .map(|&i| device_ids[inputs[i].device])
                .collect();
            let label = format!("{} ({})", first.software, first.ecosystem);
            let text = match (&target, action) {
                (Some(v), _) => format!("update {label} to {v}"),
                (None, ActionKind::NoFixAvailable) => {
                    format!("no fix available for {label}: mitigate or remove it")
                }
                (None, _) => {
                    format!("update {label}: no single version fixes every advisory, see fixes")
                }
            };
            Recommendation {
                rank: 0,
                text,
                action,
                ecosystem: first.ecosystem.clone(),
                software: first.software.to_owned(),
                target_version: target,
                installed_versions: installed.iter().map(|s| (*s).to_owned()).collect(),
                remaining: advisory_ids
                    .iter()
                    .filter(|id| !resolves.contains(*id))
                    .map(|s| (*s).to_owned())
                    .collect(),
                resolves: resolves.iter().map(|s| (*s).to_owned()).collect(),
                fixes,
                devices: devices.iter().map(|s| (*s).to_owned()).collect(),
                findings: members.len(),
                exposure_impact: if removed.is_empty() {
                    0.0
                } else {
                    (base - exposure_without(&removed)).max(0.0)
                },
                max_likelihood: members
                    .iter()
                    .map(|&i| inputs[i].likelihood)
                    .fold(0.0, f64::max),
            }
        })
        .collect();
    // Floats by total_cmp, then names: a total order, so the standard sort is safe here.
    out.sort_by(|a, b| {
        b.exposure_impact
            .total_cmp(&a.exposure_impact)
            .then_with(|| b.max_likelihood.total_cmp(&a.max_likelihood))
            .then_with(|| b.devices.len().cmp(&a.devices.len()))
            .then_with(|| a.software.cmp(&b.software))
            .then_with(|| a.ecosystem.cmp(&b.ecosystem))
    });
    for (i, r) in out.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    out
}

/// The smallest named fix, at or above every installed version, that no fixable advisory
/// affects.
fn smallest_fix(
    scheme: Scheme,
    covering: &[(&str, &AffectedPackage)],
    fixable: &BTreeSet<&str>,
    installed: &BTreeSet<&str>,
    fixes: &BTreeMap<String, Vec<String>>,
) -> Option<String> {
    let floor = installed
        .iter()
        .filter_map(|v| Version::parse(scheme, v).ok())
        .max_by(|a, b| a.try_cmp(b).unwrap_or(Ordering::Equal));
    let mut candidates: Vec<Version> = fixes
        .values()
        .flatten()
        .filter_map(|v| Version::parse(scheme, v).ok())
        .collect();
    crate::order::sort_by_tolerant(&mut candidates, |a, b| {
        a.try_cmp(b).unwrap_or(Ordering::Equal)
    });
    candidates.dedup();
    candidates
        .into_iter()
        .filter(|c| floor.as_ref().is_none_or(|f| c >= f))
        .find(|candidate| {
            covering
                .iter()
                .filter(|(id, _)| fixable.contains(id))
                .all(|(_, package)| !affects(package, candidate))
        })
        .map(|v| v.to_string())
}

/// Whether `package` may affect `candidate` ([`crate::kb::Verdict::possibly_affected`]): a range that
/// cannot judge it counts as affecting, so a recommendation is never made on a guess.
fn affects(package: &AffectedPackage, candidate: &Version) -> bool {
    package
        .affects(&mut AnyScheme::new(candidate.as_str()))
        .possibly_affected()
}
