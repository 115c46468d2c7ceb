//! The diff of two assessment records: devices added and gone, software installed, removed
//! and updated, findings new and fixed, and every score change with the findings that caused
//! it.
//!
//! **Identities across time.** A device is its id. An installed product is the device, the
//! ecosystem and the product key ([`SoftwareRecord::product`]): a version change of it is one
//! `updated` entry. A finding is the device, the advisory id, the ecosystem and the product
//! key: a finding whose software moved to another version that is still vulnerable stays the
//! same open finding (its cause says `software_version`). A device may hold several versions
//! of one product (npm installs nested copies): within one identity, items are paired by
//! equal version first, then in record order; the rest are installed / removed (new / fixed).
//!
//! **Causes.** A device's score is `100 × (1 − Π (1 − c))` over its findings' contributions
//! `c`. The findings that moved it (added, removed, or with another contribution) are its
//! causes. Their effects are *sequential*: the changes are applied one after the other, the
//! largest contribution change first, each effect the device score after it minus before it;
//! the effects sum to the device's change exactly (the sum telescopes), whatever their
//! interaction under the noisy-OR. The organisation's change `E' − E` is split per device
//! into what its findings did (`w'·ΔS/W'`, with `W'` the new total weight) and what the fleet
//! did to its share (`S·(w'/W' − w/W)`: weights and devices added or gone); the findings' part
//! is summed per advisory and product in [`OrganisationChange::causes`].
//!
//! All of it is linear in the two records: items, advisories and products are interned once
//! into numbers, findings keyed by those numbers in hash maps.

use super::record::{AdvisoryRecord, AssessmentRecord, FindingRecord, SoftwareRecord};
use crate::date::Date;
use crate::ecosystem::Ecosystem;
use crate::score::exposure::ExposureLevel;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What changed between two assessment records. Build it with [`RecordDiff::between`].
///
/// ```
/// use exposure::history::{AssessmentRecord, RecordDiff};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// // A record against itself: nothing changed.
/// assert!(RecordDiff::between(&record, &record).is_empty());
/// // Without the first device: it is gone, its findings reported apart.
/// let mut smaller = fleet.clone();
/// smaller.devices.remove(0);
/// let later = AssessmentRecord::of(&engine.assess(&smaller), &smaller, engine.kb())?;
/// let diff = RecordDiff::between(&record, &later);
/// assert_eq!(diff.devices_gone, [fleet.devices[0].id.clone()]);
/// assert!(diff.new_findings.is_empty() && diff.fixed_findings.is_empty());
/// assert!((diff.organisation.change - (later.score - record.score)).abs() < 1e-9);
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordDiff {
    /// The earlier record's as-of day.
    pub as_of_before: Option<Date>,
    /// The later record's as-of day.
    pub as_of_after: Option<Date>,
    /// Ids of devices only the later record has, in its order.
    pub devices_added: Vec<String>,
    /// Ids of devices only the earlier record has, in its order.
    pub devices_gone: Vec<String>,
    /// Software installed, removed or updated on devices both records have, by device, then
    /// ecosystem and product.
    pub software: Vec<SoftwareChange>,
    /// Findings only the later record has (devices added included), by device, advisory and
    /// product.
    pub new_findings: Vec<FindingChange>,
    /// Findings only the earlier record has, on devices the later one still has.
    pub fixed_findings: Vec<FindingChange>,
    /// The findings of devices gone, apart from the fixed ones.
    pub findings_on_gone_devices: Vec<FindingChange>,
    /// Findings the earlier record counted that the later one lists as suppressed (a VEX
    /// statement or an exception now removes them): gone from the scores, not fixed.
    pub suppressed_findings: Vec<FindingChange>,
    /// Every device whose findings changed, with its score change and the causes, largest
    /// change first.
    pub devices: Vec<DeviceScoreChange>,
    /// The organisation's score change and its decomposition.
    pub organisation: OrganisationChange,
}

/// A change of one installed product on one device.
///
/// ```
/// use exposure::history::{SoftwareChange, SoftwareChangeKind};
/// let change = SoftwareChange {
///     device: "web-01".into(), ecosystem: exposure::ecosystem::Ecosystem::Npm,
///     product: "lodash".into(), name: "lodash".into(),
///     change: SoftwareChangeKind::Updated { from: "4.17.15".into(), to: "4.17.21".into() },
/// };
/// assert!(serde_json::to_string(&change).unwrap().contains(r#""kind":"updated""#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareChange {
    /// The device id.
    pub device: String,
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// The product key ([`SoftwareRecord::product`]).
    pub product: String,
    /// The name as installed (the later one for an update).
    pub name: String,
    /// What happened.
    pub change: SoftwareChangeKind,
}

/// What happened to an installed product.
///
/// ```
/// use exposure::history::SoftwareChangeKind;
/// let k = SoftwareChangeKind::Installed { version: "1.2.6".into() };
/// assert_eq!(serde_json::to_string(&k).unwrap(), r#"{"kind":"installed","version":"1.2.6"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SoftwareChangeKind {
    /// Installed since.
    Installed {
        /// The version installed.
        version: String,
    },
    /// Removed since.
    Removed {
        /// The version removed.
        version: String,
    },
    /// Moved from one version to another.
    Updated {
        /// The earlier version.
        from: String,
        /// The later version.
        to: String,
    },
}

/// A finding new, fixed, or on a device gone.
///
/// ```
/// let f = exposure::history::FindingChange {
///     device: "web-01".into(), advisory: "GHSA-35jh-r3h4-6jhm".into(),
///     ecosystem: exposure::ecosystem::Ecosystem::Npm, product: "lodash".into(),
///     name: "lodash".into(), version: "4.17.15".into(), contribution: 0.2,
/// };
/// assert_eq!(f.advisory, "GHSA-35jh-r3h4-6jhm");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingChange {
    /// The device id.
    pub device: String,
    /// The advisory id.
    pub advisory: String,
    /// The software's ecosystem.
    pub ecosystem: Ecosystem,
    /// The software's product key.
    pub product: String,
    /// The software's name.
    pub name: String,
    /// The software's version (in the record that has the finding).
    pub version: String,
    /// What the finding adds to its device's score (0–1) in that record.
    pub contribution: f64,
}

/// Why a finding's contribution moved. A finding may have several reasons.
///
/// ```
/// use exposure::history::ChangeReason;
/// assert_eq!(serde_json::to_string(&ChangeReason::KnownExploited).unwrap(), r#""known_exploited""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeReason {
    /// A new finding on a device both records have.
    Added,
    /// A fixed finding.
    Removed,
    /// A finding of a device added.
    DeviceAdded,
    /// A finding of a device gone.
    DeviceGone,
    /// The software moved to another version still affected.
    SoftwareVersion,
    /// The advisory's EPSS probability changed.
    Epss,
    /// The advisory entered or left the KEV catalog.
    KnownExploited,
    /// The exploit maturity its vector states changed.
    ExploitMaturity,
    /// The CVSS vector used changed.
    Severity,
    /// Something else of the finding's risk changed (device value or context, model).
    Context,
}

/// One finding that moved a score, with its contribution before and after and its effect.
///
/// ```
/// use exposure::history::{ChangeReason, FindingCause};
/// let cause = FindingCause {
///     device: "web-01".into(), advisory: "CVE-2023-44487".into(),
///     ecosystem: exposure::ecosystem::Ecosystem::Go, product: "golang.org/x/net".into(),
///     name: "golang.org/x/net".into(), version_before: Some("v0.7.0".into()),
///     version_after: Some("v0.7.0".into()), contribution_before: 0.1,
///     contribution_after: 0.4, reasons: vec![ChangeReason::KnownExploited], effect: 30.0,
/// };
/// assert!(cause.contribution_after > cause.contribution_before);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingCause {
    /// The device id.
    pub device: String,
    /// The advisory id.
    pub advisory: String,
    /// The software's ecosystem.
    pub ecosystem: Ecosystem,
    /// The software's product key.
    pub product: String,
    /// The software's name.
    pub name: String,
    /// The version in the earlier record (none for a new finding).
    pub version_before: Option<String>,
    /// The version in the later record (none for a fixed finding).
    pub version_after: Option<String>,
    /// Its contribution before (0 when absent).
    pub contribution_before: f64,
    /// Its contribution after (0 when absent).
    pub contribution_after: f64,
    /// Why it moved.
    pub reasons: Vec<ChangeReason>,
    /// Its effect on the device's score, in points (sequential: see the module docs).
    pub effect: f64,
}

/// One device's score change and its causes.
///
/// ```
/// let d = exposure::history::DeviceScoreChange {
///     device: "web-01".into(), before: Some(50.0), after: Some(20.0), change: -30.0,
///     level_before: None, level_after: None, causes: vec![],
/// };
/// assert_eq!(d.change, -30.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceScoreChange {
    /// The device id.
    pub device: String,
    /// Its score before (none for a device added).
    pub before: Option<f64>,
    /// Its score after (none for a device gone).
    pub after: Option<f64>,
    /// `after − before`, an absent score counting 0.
    pub change: f64,
    /// Its level before.
    pub level_before: Option<ExposureLevel>,
    /// Its level after.
    pub level_after: Option<ExposureLevel>,
    /// The findings that moved it, largest effect first; their effects sum to `change`.
    pub causes: Vec<FindingCause>,
}

/// The organisation's score change, decomposed.
///
/// ```
/// let o = exposure::history::OrganisationChange::default();
/// assert_eq!(o.change, 0.0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganisationChange {
    /// The score before.
    pub before: f64,
    /// The score after.
    pub after: f64,
    /// `after − before`.
    pub change: f64,
    /// The level before.
    pub level_before: Option<ExposureLevel>,
    /// The level after.
    pub level_after: Option<ExposureLevel>,
    /// Each device's part of the change, largest first; they sum to `change`.
    pub devices: Vec<DeviceShare>,
    /// The findings' part, per advisory and product, largest first; they sum to the devices'
    /// `through_findings`.
    pub causes: Vec<OrganisationCause>,
}

/// One device's part of the organisation's score change.
///
/// ```
/// let s = exposure::history::DeviceShare {
///     device: "web-01".into(), effect: -1.5, through_findings: -2.0, through_fleet: 0.5,
/// };
/// assert_eq!(s.through_findings + s.through_fleet, s.effect);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceShare {
    /// The device id.
    pub device: String,
    /// Its part: `w'S'/W' − wS/W` (a missing side counts 0).
    pub effect: f64,
    /// What its findings did: `w'·(S' − S)/W'` (a device gone: `−wS/W`; added: `w'S'/W'`).
    pub through_findings: f64,
    /// What the fleet did to its share (its weight or others added or gone): `S·(w'/W' − w/W)`.
    pub through_fleet: f64,
}

/// The organisation-level effect of one advisory on one product.
///
/// ```
/// let c = exposure::history::OrganisationCause {
///     advisory: "CVE-2023-44487".into(), ecosystem: exposure::ecosystem::Ecosystem::Go,
///     product: "golang.org/x/net".into(), findings: 3, devices: 2,
///     reasons: vec![exposure::history::ChangeReason::KnownExploited], effect: 4.2,
/// };
/// assert_eq!(c.devices, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationCause {
    /// The advisory id.
    pub advisory: String,
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// The product key.
    pub product: String,
    /// How many findings moved.
    pub findings: usize,
    /// On how many devices.
    pub devices: usize,
    /// Every reason among them.
    pub reasons: Vec<ChangeReason>,
    /// The sum of their devices' effects, each weighted `w'/W'` (`w/W` for devices gone).
    pub effect: f64,
}

/// No index: a sentinel for the chains of findings.
const NONE: u32 = u32::MAX;

/// A record index as `usize` (u32 always fits).
fn at(i: u32) -> usize {
    i as usize
}

/// A length as a record index (records hold fewer than 2^32 items of each table).
#[allow(clippy::cast_possible_truncation)]
fn idx(i: usize) -> u32 {
    i as u32
}

/// A finding's survival `1 − c`, `c` clamped as the device score clamps it.
fn survival(contribution: f64) -> f64 {
    1.0 - contribution.clamp(0.0, 1.0)
}

/// One finding that changed: its earlier and later record indexes (`NONE` when absent).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change {
    /// Device key: the later record's device index, or `new.devices.len()` + the earlier
    /// index for a device gone.
    pub(crate) device: u32,
    /// Advisory key ([`Matched::advisory_ids`]).
    pub(crate) advisory: u32,
    pub(crate) old: u32,
    pub(crate) new: u32,
}

/// The two records matched once: devices, software items, advisories and products as
/// numbers, the findings paired by identity, the changed ones kept. Shared by the diff and
/// the events.
pub(crate) struct Matched<'a> {
    pub(crate) old: &'a AssessmentRecord,
    pub(crate) new: &'a AssessmentRecord,
    /// Earlier device index → later device index.
    pub(crate) device_after: Vec<Option<u32>>,
    /// Later device index → earlier device index.
    pub(crate) device_before: Vec<Option<u32>>,
    /// Advisory key → id.
    pub(crate) advisory_ids: Vec<&'a str>,
    /// Advisory key → index in each record's table.
    pub(crate) advisory_old: Vec<Option<u32>>,
    pub(crate) advisory_new: Vec<Option<u32>>,
    /// Earlier software index → later software index of the same item.
    software_after: Vec<Option<u32>>,
    /// The changed findings, by device key then record order.
    pub(crate) changes: Vec<Change>,
    /// Per device key: the survival of its findings that did not change.
    pub(crate) unchanged: Vec<f64>,
}

impl<'a> Matched<'a> {
    pub(crate) fn new(old: &'a AssessmentRecord, new: &'a AssessmentRecord) -> Self {
        let n_new = new.devices.len();
        // Devices by id.
        let by_id: HashMap<&str, u32> = new
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), idx(i)))
            .collect();
        let mut device_before = vec![None; n_new];
        let device_after: Vec<Option<u32>> = old
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let j = by_id.get(d.id.as_str()).copied();
                if let Some(j) = j {
                    device_before[at(j)] = Some(idx(i));
                }
                j
            })
            .collect();
        // Software items: the same item by value.
        let items: HashMap<&SoftwareRecord, u32> = new
            .software
            .iter()
            .enumerate()
            .map(|(i, s)| (s, idx(i)))
            .collect();
        let software_after: Vec<Option<u32>> =
            old.software.iter().map(|s| items.get(s).copied()).collect();
        // Products (ecosystem, product key), over both tables.
        let mut products: HashMap<(&Ecosystem, &str), u32> = HashMap::new();
        let mut product_of = |s: &'a SoftwareRecord| {
            let next = idx(products.len());
            *products
                .entry((&s.ecosystem, s.product.as_str()))
                .or_insert(next)
        };
        let product_old: Vec<u32> = old.software.iter().map(&mut product_of).collect();
        let product_new: Vec<u32> = new.software.iter().map(&mut product_of).collect();
        // Advisories by id, over both tables.
        let mut advisory_key: HashMap<&str, u32> = HashMap::new();
        let mut advisory_ids = Vec::new();
        let mut advisory_old = Vec::new();
        let mut advisory_new = Vec::new();
        let mut key_of_old = Vec::with_capacity(old.advisories.len());
        for (i, a) in old.advisories.iter().enumerate() {
            let k = *advisory_key.entry(a.id.as_str()).or_insert_with(|| {
                advisory_ids.push(a.id.as_str());
                advisory_old.push(None);
                advisory_new.push(None);
                idx(advisory_ids.len() - 1)
            });
            advisory_old[at(k)] = Some(idx(i));
            key_of_old.push(k);
        }
        let mut key_of_new = Vec::with_capacity(new.advisories.len());
        for (i, a) in new.advisories.iter().enumerate() {
            let k = *advisory_key.entry(a.id.as_str()).or_insert_with(|| {
                advisory_ids.push(a.id.as_str());
                advisory_old.push(None);
                advisory_new.push(None);
                idx(advisory_ids.len() - 1)
            });
            advisory_new[at(k)] = Some(idx(i));
            key_of_new.push(k);
        }
        // Findings by identity (device key, advisory key, product), each side a chain.
        let device_key_old =
            |f: &FindingRecord| device_after[at(f.device)].unwrap_or(idx(n_new) + f.device);
        let mut heads: HashMap<(u32, u32, u32), (u32, u32)> =
            HashMap::with_capacity(new.findings.len().max(old.findings.len()));
        let mut next_old = vec![NONE; old.findings.len()];
        let mut next_new = vec![NONE; new.findings.len()];
        // Chains are built backwards so that each lists its findings in record order.
        for (i, f) in old.findings.iter().enumerate().rev() {
            let key = (
                device_key_old(f),
                key_of_old[at(f.advisory)],
                product_old[at(f.software)],
            );
            let head = heads.entry(key).or_insert((NONE, NONE));
            next_old[i] = head.0;
            head.0 = idx(i);
        }
        for (i, f) in new.findings.iter().enumerate().rev() {
            let key = (
                f.device,
                key_of_new[at(f.advisory)],
                product_new[at(f.software)],
            );
            let head = heads.entry(key).or_insert((NONE, NONE));
            next_new[i] = head.1;
            head.1 = idx(i);
        }
        // The later findings whose contribution did not change: their survival goes into
        // their device's `unchanged` product, taken in record order (so the same every run).
        let mut steady = vec![false; new.findings.len()];
        let mut changes = Vec::new();
        let mut olds: Vec<u32> = Vec::new();
        let mut news: Vec<u32> = Vec::new();
        for (&(device, advisory, _), &(old_head, new_head)) in &heads {
            olds.clear();
            news.clear();
            let mut i = old_head;
            while i != NONE {
                olds.push(i);
                i = next_old[at(i)];
            }
            let mut i = new_head;
            while i != NONE {
                news.push(i);
                i = next_new[at(i)];
            }
            let mut change = |old: u32, new_: u32| {
                changes.push(Change {
                    device,
                    advisory,
                    old,
                    new: new_,
                });
            };
            // The common case: one finding each side.
            if let ([o], [n]) = (olds.as_slice(), news.as_slice()) {
                let (a, b) = (&old.findings[at(*o)], &new.findings[at(*n)]);
                if a.contribution.to_bits() == b.contribution.to_bits() {
                    steady[at(*n)] = true;
                }
                if software_after[at(a.software)] != Some(b.software)
                    || a.contribution.to_bits() != b.contribution.to_bits()
                {
                    change(*o, *n);
                }
                continue;
            }
            // The same item first, then the rest in order.
            let mut paired_new = vec![false; news.len()];
            let mut rest_old = Vec::new();
            for &o in &olds {
                let item = software_after_of(&software_after, old, o);
                let same = news.iter().enumerate().position(|(k, &n)| {
                    !paired_new[k] && item == Some(new.findings[at(n)].software)
                });
                if let Some(k) = same {
                    paired_new[k] = true;
                    let n = news[k];
                    let (a, b) = (&old.findings[at(o)], &new.findings[at(n)]);
                    if a.contribution.to_bits() == b.contribution.to_bits() {
                        steady[at(n)] = true;
                    } else {
                        change(o, n);
                    }
                } else {
                    rest_old.push(o);
                }
            }
            let mut rest_new = news
                .iter()
                .zip(&paired_new)
                .filter(|(_, &p)| !p)
                .map(|(&n, _)| n);
            for o in rest_old {
                let n = rest_new.next().unwrap_or(NONE);
                if new.findings.get(at(n)).is_some_and(|b| {
                    b.contribution.to_bits() == old.findings[at(o)].contribution.to_bits()
                }) {
                    steady[at(n)] = true;
                }
                change(o, n);
            }
            for n in rest_new {
                change(NONE, n);
            }
        }
        let mut unchanged = vec![1.0; n_new + old.devices.len()];
        for (f, _) in new.findings.iter().zip(&steady).filter(|(_, &s)| s) {
            unchanged[at(f.device)] *= survival(f.contribution);
        }
        changes.sort_unstable_by_key(|c| (c.device, c.new, c.old));
        Matched {
            old,
            new,
            device_after,
            device_before,
            advisory_ids,
            advisory_old,
            advisory_new,
            software_after,
            changes,
            unchanged,
        }
    }

    /// The later record's device count: device keys from there on are devices gone.
    pub(crate) fn kept_keys(&self) -> usize {
        self.new.devices.len()
    }

    /// The contribution of a change's earlier and later finding (0 when absent).
    pub(crate) fn contributions(&self, c: &Change) -> (f64, f64) {
        (
            self.old_finding(c).map_or(0.0, |f| f.contribution),
            self.new_finding(c).map_or(0.0, |f| f.contribution),
        )
    }

    /// The survival factors `1 − c` of a change before and after; both 1 for a finding whose
    /// contribution did not move (its software did): its factor is in the device's
    /// `unchanged` product, so its effect is exactly 0.
    pub(crate) fn factors(&self, c: &Change) -> (f64, f64) {
        let (before, after) = self.contributions(c);
        if self.old_finding(c).is_some()
            && self.new_finding(c).is_some()
            && before.to_bits() == after.to_bits()
        {
            (1.0, 1.0)
        } else {
            (survival(before), survival(after))
        }
    }

    pub(crate) fn old_finding(&self, c: &Change) -> Option<&'a FindingRecord> {
        self.old.findings.get(at(c.old))
    }

    pub(crate) fn new_finding(&self, c: &Change) -> Option<&'a FindingRecord> {
        self.new.findings.get(at(c.new))
    }

    /// The changes grouped by device key.
    pub(crate) fn by_device(&self) -> impl Iterator<Item = &[Change]> {
        self.changes.chunk_by(|a, b| a.device == b.device)
    }

    /// A device key's weight and score share denominators: `(w', W')` for a device the later
    /// record has, `(w, W)` for a device gone.
    pub(crate) fn weight(&self, device: u32) -> f64 {
        if at(device) < self.kept_keys() {
            self.new.devices[at(device)].weight
        } else {
            self.old.devices[at(device) - self.kept_keys()].weight
        }
    }

    /// The id of a device key.
    pub(crate) fn device_id(&self, device: u32) -> &'a str {
        if at(device) < self.kept_keys() {
            &self.new.devices[at(device)].id
        } else {
            &self.old.devices[at(device) - self.kept_keys()].id
        }
    }

    /// The advisory records of a key, earlier and later.
    pub(crate) fn advisories(
        &self,
        key: u32,
    ) -> (Option<&'a AdvisoryRecord>, Option<&'a AdvisoryRecord>) {
        (
            self.advisory_old[at(key)].map(|i| &self.old.advisories[at(i)]),
            self.advisory_new[at(key)].map(|i| &self.new.advisories[at(i)]),
        )
    }

    /// The reasons of one change.
    fn reasons(&self, c: &Change) -> Vec<ChangeReason> {
        let gone = at(c.device) >= self.kept_keys();
        let added = !gone && self.device_before[at(c.device)].is_none();
        let (before, after) = (self.old_finding(c), self.new_finding(c));
        let (before, after) = match (before, after) {
            (Some(b), Some(a)) => (b, a),
            (None, _) if added => return vec![ChangeReason::DeviceAdded],
            (_, None) if gone => return vec![ChangeReason::DeviceGone],
            (None, _) => return vec![ChangeReason::Added],
            (_, None) => return vec![ChangeReason::Removed],
        };
        let mut reasons = Vec::new();
        let (sb, sa) = (self.old.software_of(before), self.new.software_of(after));
        if sb.version != sa.version || sb.name != sa.name {
            reasons.push(ChangeReason::SoftwareVersion);
        }
        let (ab, aa) = (self.old.advisory_of(before), self.new.advisory_of(after));
        if ab.epss.map(f64::to_bits) != aa.epss.map(f64::to_bits) {
            reasons.push(ChangeReason::Epss);
        }
        if ab.kev.is_some() != aa.kev.is_some() {
            reasons.push(ChangeReason::KnownExploited);
        }
        if ab.exploit_maturity != aa.exploit_maturity {
            reasons.push(ChangeReason::ExploitMaturity);
        }
        if ab.cvss_vector != aa.cvss_vector {
            reasons.push(ChangeReason::Severity);
        }
        if reasons.is_empty() {
            reasons.push(ChangeReason::Context);
        }
        reasons
    }

    /// A change as a cause, its effect still 0.
    fn cause(&self, c: &Change) -> FindingCause {
        let (before, after) = (self.old_finding(c), self.new_finding(c));
        let software = after
            .map(|f| self.new.software_of(f))
            .or_else(|| before.map(|f| self.old.software_of(f)));
        let (contribution_before, contribution_after) = self.contributions(c);
        FindingCause {
            device: self.device_id(c.device).to_owned(),
            advisory: self.advisory_ids[at(c.advisory)].to_owned(),
            ecosystem: software.map_or(Ecosystem::Other(String::new()), |s| s.ecosystem.clone()),
            product: software.map(|s| s.product.clone()).unwrap_or_default(),
            name: software.map(|s| s.name.clone()).unwrap_or_default(),
            version_before: before.map(|f| self.old.software_of(f).version.clone()),
            version_after: after.map(|f| self.new.software_of(f).version.clone()),
            contribution_before,
            contribution_after,
            reasons: self.reasons(c),
            effect: 0.0,
        }
    }

    /// The sequential effects of a device's changes, in the order given: each is the device
    /// score after the change minus before it (they sum to the whole change).
    pub(crate) fn sequential_effects(&self, changes: &[Change]) -> Vec<f64> {
        let Some(first) = changes.first() else {
            return Vec::new();
        };
        let u = self.unchanged[at(first.device)];
        let olds: Vec<f64> = changes.iter().map(|c| self.factors(c).0).collect();
        let mut suffix = vec![1.0; changes.len() + 1];
        for k in (0..changes.len()).rev() {
            suffix[k] = suffix[k + 1] * olds[k];
        }
        let mut prefix = 1.0;
        let mut previous = u * suffix[0];
        changes
            .iter()
            .enumerate()
            .map(|(k, c)| {
                prefix *= self.factors(c).1;
                let now = u * prefix * suffix[k + 1];
                let effect = 100.0 * (previous - now);
                previous = now;
                effect
            })
            .collect()
    }
}

/// The later index of the item of the earlier record's finding `o`.
fn software_after_of(
    software_after: &[Option<u32>],
    old: &AssessmentRecord,
    o: u32,
) -> Option<u32> {
    software_after[at(old.findings[at(o)].software)]
}

/// A product's items that left a device and came to it.
type ItemsMoved<'r> = (Vec<&'r SoftwareRecord>, Vec<&'r SoftwareRecord>);

/// Largest magnitude first.
fn by_magnitude(a: f64, b: f64) -> std::cmp::Ordering {
    b.abs().total_cmp(&a.abs())
}

impl RecordDiff {
    /// What changed from `old` to `new` (see the module docs for identities and causes).
    ///
    /// ```
    /// use exposure::history::{AssessmentRecord, RecordDiff};
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// let diff = RecordDiff::between(&record, &record);
    /// assert_eq!(diff.organisation.change, 0.0);
    /// # Ok::<(), exposure::history::RecordError>(())
    /// ```
    pub fn between(old: &AssessmentRecord, new: &AssessmentRecord) -> RecordDiff {
        Matched::new(old, new).diff()
    }

    /// Whether nothing changed: no device, software or finding, and the same scores.
    ///
    /// ```
    /// use exposure::history::{AssessmentRecord, RecordDiff};
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// assert!(RecordDiff::between(&record, &record).is_empty());
    /// # Ok::<(), exposure::history::RecordError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.devices_added.is_empty()
            && self.devices_gone.is_empty()
            && self.software.is_empty()
            && self.new_findings.is_empty()
            && self.fixed_findings.is_empty()
            && self.findings_on_gone_devices.is_empty()
            && self.suppressed_findings.is_empty()
            && self.devices.is_empty()
            && self.organisation.change == 0.0
            && self.organisation.devices.is_empty()
    }
}

impl Matched<'_> {
    pub(crate) fn diff(&self) -> RecordDiff {
        let (old, new) = (self.old, self.new);
        let devices_added = new
            .devices
            .iter()
            .zip(&self.device_before)
            .filter(|(_, b)| b.is_none())
            .map(|(d, _)| d.id.clone())
            .collect();
        let devices_gone = old
            .devices
            .iter()
            .zip(&self.device_after)
            .filter(|(_, a)| a.is_none())
            .map(|(d, _)| d.id.clone())
            .collect();
        let software = self.software_changes();
        let mut new_findings = Vec::new();
        let mut fixed_findings = Vec::new();
        let mut findings_on_gone_devices = Vec::new();
        let mut suppressed_findings = Vec::new();
        let suppressed = new.suppressed_pairs();
        for c in &self.changes {
            match (self.old_finding(c), self.new_finding(c)) {
                (None, Some(f)) => new_findings.push(Self::finding_change(new, f)),
                (Some(f), None) if at(c.device) < self.kept_keys() => {
                    let key = (old.device_of(f).id.as_str(), old.advisory_of(f).id.as_str());
                    if suppressed.contains(&key) {
                        suppressed_findings.push(Self::finding_change(old, f));
                    } else {
                        fixed_findings.push(Self::finding_change(old, f));
                    }
                }
                (Some(f), None) => findings_on_gone_devices.push(Self::finding_change(old, f)),
                _ => {}
            }
        }
        // Devices, their causes, and the organisation's decomposition.
        let total = |r: &AssessmentRecord| r.devices.iter().map(|d| d.weight).sum::<f64>();
        let (w_old, w_new) = (total(old), total(new));
        let share = |w: f64, total: f64| if total > 0.0 { w / total } else { 0.0 };
        let mut devices = Vec::new();
        let mut causes: HashMap<(u32, &Ecosystem, &str), OrganisationCause> = HashMap::new();
        let mut cause_devices: HashMap<(u32, &Ecosystem, &str), u32> = HashMap::new();
        for changes in self.by_device() {
            let key = changes[0].device;
            let mut ordered = changes.to_vec();
            ordered.sort_by(|a, b| {
                let (a0, a1) = self.contributions(a);
                let (b0, b1) = self.contributions(b);
                by_magnitude(a1 - a0, b1 - b0)
                    .then_with(|| {
                        self.advisory_ids[at(a.advisory)].cmp(self.advisory_ids[at(b.advisory)])
                    })
                    .then_with(|| (a.new, a.old).cmp(&(b.new, b.old)))
            });
            let effects = self.sequential_effects(&ordered);
            let (before, after) = self.scores(key);
            let mut list: Vec<FindingCause> = ordered
                .iter()
                .zip(&effects)
                .map(|(c, &effect)| FindingCause {
                    effect,
                    ..self.cause(c)
                })
                .collect();
            let weight = if after.is_some() {
                share(self.weight(key), w_new)
            } else {
                share(self.weight(key), w_old)
            };
            for (c, cause) in ordered.iter().zip(&list) {
                let software = self
                    .new_finding(c)
                    .map(|f| new.software_of(f))
                    .or_else(|| self.old_finding(c).map(|f| old.software_of(f)));
                let Some(software) = software else { continue };
                let k = (c.advisory, &software.ecosystem, software.product.as_str());
                let entry = causes.entry(k).or_insert_with(|| OrganisationCause {
                    advisory: cause.advisory.clone(),
                    ecosystem: software.ecosystem.clone(),
                    product: software.product.clone(),
                    findings: 0,
                    devices: 0,
                    reasons: Vec::new(),
                    effect: 0.0,
                });
                entry.findings += 1;
                entry.effect += cause.effect * weight;
                for r in &cause.reasons {
                    if !entry.reasons.contains(r) {
                        entry.reasons.push(*r);
                    }
                }
                let last = cause_devices.entry(k).or_insert(NONE);
                if *last != key {
                    *last = key;
                    entry.devices += 1;
                }
            }
            list.sort_by(|a, b| by_magnitude(a.effect, b.effect));
            devices.push(DeviceScoreChange {
                device: self.device_id(key).to_owned(),
                before,
                after,
                change: after.unwrap_or(0.0) - before.unwrap_or(0.0),
                level_before: before.map(ExposureLevel::of_score),
                level_after: after.map(ExposureLevel::of_score),
                causes: list,
            });
        }
        devices.sort_by(|a, b| by_magnitude(a.change, b.change).then(a.device.cmp(&b.device)));
        let mut shares = Vec::new();
        for (j, d) in new.devices.iter().enumerate() {
            let now = share(d.weight, w_new);
            let (through_findings, through_fleet) = match self.device_before[j] {
                Some(i) => {
                    let was = &old.devices[at(i)];
                    (
                        now * (d.score - was.score),
                        was.score * (now - share(was.weight, w_old)),
                    )
                }
                None => (now * d.score, 0.0),
            };
            if through_findings != 0.0 || through_fleet != 0.0 {
                shares.push(DeviceShare {
                    device: d.id.clone(),
                    effect: through_findings + through_fleet,
                    through_findings,
                    through_fleet,
                });
            }
        }
        for (d, after) in old.devices.iter().zip(&self.device_after) {
            if after.is_none() && d.score != 0.0 {
                let effect = -share(d.weight, w_old) * d.score;
                shares.push(DeviceShare {
                    device: d.id.clone(),
                    effect,
                    through_findings: effect,
                    through_fleet: 0.0,
                });
            }
        }
        shares.sort_by(|a, b| by_magnitude(a.effect, b.effect).then(a.device.cmp(&b.device)));
        let mut causes: Vec<OrganisationCause> = causes.into_values().collect();
        for c in &mut causes {
            c.reasons.sort_unstable();
        }
        causes.sort_by(|a, b| {
            by_magnitude(a.effect, b.effect)
                .then_with(|| a.advisory.cmp(&b.advisory))
                .then_with(|| a.product.cmp(&b.product))
                .then_with(|| a.ecosystem.cmp(&b.ecosystem))
        });
        let sort_findings = |list: &mut Vec<FindingChange>| {
            list.sort_by(|a, b| {
                (&a.device, &a.advisory, &a.product, &a.ecosystem, &a.version).cmp(&(
                    &b.device,
                    &b.advisory,
                    &b.product,
                    &b.ecosystem,
                    &b.version,
                ))
            });
        };
        sort_findings(&mut new_findings);
        sort_findings(&mut fixed_findings);
        sort_findings(&mut findings_on_gone_devices);
        sort_findings(&mut suppressed_findings);
        RecordDiff {
            as_of_before: old.as_of,
            as_of_after: new.as_of,
            devices_added,
            devices_gone,
            software,
            new_findings,
            fixed_findings,
            findings_on_gone_devices,
            suppressed_findings,
            devices,
            organisation: OrganisationChange {
                before: old.score,
                after: new.score,
                change: new.score - old.score,
                level_before: Some(old.level),
                level_after: Some(new.level),
                devices: shares,
                causes,
            },
        }
    }

    /// A device key's scores, earlier and later.
    pub(crate) fn scores(&self, key: u32) -> (Option<f64>, Option<f64>) {
        if at(key) < self.kept_keys() {
            (
                self.device_before[at(key)].map(|i| self.old.devices[at(i)].score),
                Some(self.new.devices[at(key)].score),
            )
        } else {
            (
                Some(self.old.devices[at(key) - self.kept_keys()].score),
                None,
            )
        }
    }

    fn finding_change(record: &AssessmentRecord, f: &FindingRecord) -> FindingChange {
        let s = record.software_of(f);
        FindingChange {
            device: record.device_of(f).id.clone(),
            advisory: record.advisory_of(f).id.clone(),
            ecosystem: s.ecosystem.clone(),
            product: s.product.clone(),
            name: s.name.clone(),
            version: s.version.clone(),
            contribution: f.contribution,
        }
    }

    /// Software installed, removed and updated on the devices both records have. A device's
    /// lists are compared as sorted numbers (the earlier items mapped to the later table);
    /// only the items that differ are grouped by product.
    fn software_changes(&self) -> Vec<SoftwareChange> {
        let (old, new) = (self.old, self.new);
        let mut out = Vec::new();
        // Items the later table lacks get numbers past it.
        let base = idx(new.software.len());
        for (j, device) in new.devices.iter().enumerate() {
            let Some(i) = self.device_before[j] else {
                continue;
            };
            let mut before: Vec<u32> = old.devices[at(i)]
                .software
                .iter()
                .map(|&s| self.software_after[at(s)].unwrap_or(base + s))
                .collect();
            let mut after = device.software.clone();
            before.sort_unstable();
            after.sort_unstable();
            if before == after {
                continue;
            }
            let item = |n: u32| {
                if n >= base {
                    &old.software[at(n - base)]
                } else {
                    &new.software[at(n)]
                }
            };
            // The multiset difference of the two sorted lists.
            let (mut removed, mut installed) = (Vec::new(), Vec::new());
            let (mut x, mut y) = (0, 0);
            while x < before.len() || y < after.len() {
                match (before.get(x), after.get(y)) {
                    (Some(a), Some(b)) if a == b => {
                        x += 1;
                        y += 1;
                    }
                    (Some(a), Some(b)) if a < b => {
                        removed.push(item(*a));
                        x += 1;
                    }
                    (Some(a), None) => {
                        removed.push(item(*a));
                        x += 1;
                    }
                    (_, Some(b)) => {
                        installed.push(item(*b));
                        y += 1;
                    }
                    (None, None) => break,
                }
            }
            let mut by_product: HashMap<(&Ecosystem, &str), ItemsMoved<'_>> = HashMap::new();
            for s in removed {
                by_product
                    .entry((&s.ecosystem, &s.product))
                    .or_default()
                    .0
                    .push(s);
            }
            for s in installed {
                by_product
                    .entry((&s.ecosystem, &s.product))
                    .or_default()
                    .1
                    .push(s);
            }
            let mut changes: Vec<SoftwareChange> = Vec::new();
            for ((ecosystem, product), (mut gone, mut came)) in by_product {
                gone.sort_by(|a, b| a.version.cmp(&b.version));
                came.sort_by(|a, b| a.version.cmp(&b.version));
                let change = |name: &str, change| SoftwareChange {
                    device: device.id.clone(),
                    ecosystem: ecosystem.clone(),
                    product: product.to_owned(),
                    name: name.to_owned(),
                    change,
                };
                let paired = gone.len().min(came.len());
                for (a, b) in gone.iter().zip(&came) {
                    changes.push(change(
                        &b.name,
                        SoftwareChangeKind::Updated {
                            from: a.version.clone(),
                            to: b.version.clone(),
                        },
                    ));
                }
                for a in &gone[paired..] {
                    changes.push(change(
                        &a.name,
                        SoftwareChangeKind::Removed {
                            version: a.version.clone(),
                        },
                    ));
                }
                for b in &came[paired..] {
                    changes.push(change(
                        &b.name,
                        SoftwareChangeKind::Installed {
                            version: b.version.clone(),
                        },
                    ));
                }
            }
            changes.sort_by(|a, b| {
                (&a.ecosystem, &a.product, &a.name).cmp(&(&b.ecosystem, &b.product, &b.name))
            });
            out.extend(changes);
        }
        out
    }
}

#[cfg(test)]
mod tests;
