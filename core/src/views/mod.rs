//! The views a threat-and-vulnerability-management product shows, as data computed from
//! assessment records ([`AssessmentRecord`]): the software inventory ([`software`]), the
//! weaknesses ([`weaknesses`]), the devices ([`devices`]), the recommendations with their
//! impact ([`recommendations`]) and the dashboard's figures ([`dashboard`]). Rows are plain
//! serde structs (JSON; the Python layer makes DataFrames of them), sorted deterministically.
//!
//! Every view takes a [`Filter`]: restricted to a device group, a view shows only the group's
//! devices, and **scores and impacts are recomputed exactly for the group**. The group's
//! score is the organisation formula (the weighted mean of device scores, with the weights
//! the record gives) over the group's devices; the impact of removing a set of findings is
//! the group's score now minus the group's score with those findings gone from the group's
//! devices (each affected device's score recomputed from the contributions of the findings it
//! keeps, `100 × (1 − Π(1 − c))`). Without a group the same computation runs over every
//! device, so the organisation's figures equal the record's.
//!
//! ```
//! use exposure::history::AssessmentRecord;
//! use exposure::views::{dashboard::Dashboard, Filter};
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
//! let all = Dashboard::of(std::slice::from_ref(&record), &Filter::all(), 5);
//! assert!((all.score - record.score).abs() < 1e-9);
//! let prod = Dashboard::of(std::slice::from_ref(&record), &Filter::group("production"), 5);
//! assert_eq!(prod.devices, 3);
//! # Ok::<(), exposure::history::RecordError>(())
//! ```

pub mod dashboard;
pub mod devices;
pub mod recommendations;
pub mod software;
pub mod weaknesses;

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;

use crate::history::AssessmentRecord;
use crate::score::exposure::{device_score, organisation_score};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which devices a view covers: every device, or those of one group.
///
/// ```
/// use exposure::views::Filter;
/// assert!(Filter::all().selects(&[]));
/// assert!(Filter::group("web").selects(&["production".to_owned(), "web".to_owned()]));
/// assert!(!Filter::group("web").selects(&["engineering".to_owned()]));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filter {
    /// The device group, when restricted to one.
    pub group: Option<String>,
}

impl Filter {
    /// Every device.
    ///
    /// ```
    /// assert_eq!(exposure::views::Filter::all().group, None);
    /// ```
    pub fn all() -> Self {
        Filter { group: None }
    }

    /// The devices of `group`.
    ///
    /// ```
    /// assert_eq!(exposure::views::Filter::group("web").group.as_deref(), Some("web"));
    /// ```
    pub fn group(group: impl Into<String>) -> Self {
        Filter {
            group: Some(group.into()),
        }
    }

    /// Whether a device of `groups` is in the view.
    ///
    /// ```
    /// assert!(exposure::views::Filter::group("web").selects(&["web".to_owned()]));
    /// ```
    pub fn selects(&self, groups: &[String]) -> bool {
        self.group
            .as_ref()
            .is_none_or(|g| groups.iter().any(|x| x == g))
    }
}

/// Every group a record's devices are in, sorted.
///
/// ```
/// use exposure::history::AssessmentRecord;
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// assert_eq!(exposure::views::groups(&record), ["engineering", "production", "web", "workstations"]);
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
pub fn groups(record: &AssessmentRecord) -> Vec<String> {
    let mut all: Vec<String> = record
        .devices
        .iter()
        .flat_map(|d| d.groups.iter().cloned())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Below this survival, removing findings is computed by walking the device's findings rather
/// than dividing (a removed contribution of nearly 1 would make the quotient meaningless).
const SURVIVAL_DIVISOR_FLOOR: f64 = 1e-6;

/// A record seen through a filter: which devices are in, their findings, the group's score,
/// and the exact score without a set of findings.
pub(crate) struct Scope<'r> {
    pub(crate) record: &'r AssessmentRecord,
    /// Per device: in the view.
    pub(crate) selected: Vec<bool>,
    /// Per device: the indexes of its findings.
    pub(crate) findings_of: Vec<Vec<u32>>,
    /// The group's score now.
    pub(crate) score: f64,
    /// The sum of its devices' weights.
    pub(crate) weight: f64,
}

impl<'r> Scope<'r> {
    pub(crate) fn new(record: &'r AssessmentRecord, filter: &Filter) -> Self {
        let selected: Vec<bool> = record
            .devices
            .iter()
            .map(|d| filter.selects(&d.groups))
            .collect();
        let mut findings_of = vec![Vec::new(); record.devices.len()];
        for (i, f) in record.findings.iter().enumerate() {
            if let (Some(list), Ok(i)) = (findings_of.get_mut(f.device as usize), u32::try_from(i))
            {
                list.push(i);
            }
        }
        let members = || {
            record
                .devices
                .iter()
                .zip(&selected)
                .filter(|(_, &s)| s)
                .map(|(d, _)| d)
        };
        let score = organisation_score(members().map(|d| (d.score, d.weight)));
        let weight = members().map(|d| d.weight).sum();
        Scope {
            record,
            selected,
            findings_of,
            score,
            weight,
        }
    }

    /// The indexes of the devices in the view.
    pub(crate) fn devices(&self) -> impl Iterator<Item = usize> + '_ {
        self.selected
            .iter()
            .enumerate()
            .filter(|(_, &s)| s)
            .map(|(i, _)| i)
    }

    /// Device `d`'s score keeping only its findings `keep` accepts: its recorded score when
    /// it keeps them all, else recomputed from the contributions of those it keeps.
    pub(crate) fn device_score_keeping(&self, d: usize, keep: impl Fn(u32) -> bool) -> f64 {
        let Some(device) = self.record.devices.get(d) else {
            return 0.0;
        };
        let mine = self.findings_of.get(d).map_or(&[][..], Vec::as_slice);
        if mine.iter().all(|&f| keep(f)) {
            return device.score;
        }
        device_score(
            mine.iter()
                .filter(|&&f| keep(f))
                .filter_map(|&f| self.record.findings.get(f as usize))
                .map(|f| f.contribution),
        )
    }

    /// The exact drop of the group's score if `removed` findings were gone.
    #[cfg(test)]
    pub(crate) fn impact(&self, removed: &std::collections::HashSet<u32>) -> f64 {
        let mut by_device: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
        for &f in removed {
            if let Some(finding) = self.record.findings.get(f as usize) {
                by_device
                    .entry(finding.device as usize)
                    .or_default()
                    .push(f);
            }
        }
        self.impact_by_device(by_device)
    }

    /// The exact drop of the group's score if the findings listed per device were gone (each
    /// list is sorted here).
    pub(crate) fn impact_by_device(&self, removed: BTreeMap<usize, Vec<u32>>) -> f64 {
        if self.weight <= 0.0 {
            return 0.0;
        }
        let drop: f64 = removed
            .into_iter()
            .filter(|(d, _)| self.selected.get(*d) == Some(&true))
            .filter_map(|(d, mut gone)| {
                gone.sort_unstable();
                let device = self.record.devices.get(d)?;
                let kept = self.device_score_keeping(d, |f| gone.binary_search(&f).is_err());
                Some(device.weight * (device.score - kept))
            })
            .sum();
        (drop / self.weight).max(0.0)
    }

    /// The exact drop of the group's score for each key, if the findings `key_of` gives that
    /// key were gone: in one pass over the group's findings. Each device's survival
    /// `Π (1 − c)` is divided by that of the findings a key removes (the device walked again
    /// only when a removed contribution is nearly 1), so a view of every product or advisory
    /// of a fleet costs its findings, not its products times their devices' findings.
    pub(crate) fn impacts_by<K: Ord + Copy>(
        &self,
        key_of: impl Fn(&crate::history::FindingRecord) -> Option<K>,
    ) -> BTreeMap<K, f64> {
        let mut out: BTreeMap<K, f64> = BTreeMap::new();
        if self.weight <= 0.0 {
            return out;
        }
        // Per device its survival, and per (key, device) the survival of the findings the
        // key removes there.
        let mut survival = vec![1.0_f64; self.record.devices.len()];
        let mut removed: BTreeMap<(K, usize), f64> = BTreeMap::new();
        for d in self.devices() {
            for &f in self.findings_of.get(d).map_or(&[][..], Vec::as_slice) {
                let Some(finding) = self.record.findings.get(f as usize) else {
                    continue;
                };
                let keeps = 1.0 - finding.contribution.clamp(0.0, 1.0);
                survival[d] *= keeps;
                if let Some(key) = key_of(finding) {
                    *removed.entry((key, d)).or_insert(1.0) *= keeps;
                }
            }
        }
        for ((key, d), divisor) in removed {
            let Some(device) = self.record.devices.get(d) else {
                continue;
            };
            let kept = if divisor > SURVIVAL_DIVISOR_FLOOR {
                100.0 * (1.0 - (survival[d] / divisor).min(1.0))
            } else {
                self.device_score_keeping(d, |f| {
                    self.record.findings.get(f as usize).and_then(&key_of) != Some(key)
                })
            };
            *out.entry(key).or_insert(0.0) += device.weight * (device.score - kept);
        }
        for impact in out.values_mut() {
            *impact = (*impact / self.weight).max(0.0);
        }
        out
    }
}
