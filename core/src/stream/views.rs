//! The software and weaknesses views of a streamed or partitioned fleet from running sums
//! (the views of [`crate::views`] over every device: [`crate::views::Filter::all`]).
//!
//! A view row's impact is the drop of the organisation score without the product's (or the
//! advisory's) findings. On one device, removing the findings of key k leaves
//! `100 × rest_k × (1 − G_k)` of its score behind, where `G_k` is the survival
//! `Π (1 − c)` of k's findings there and `rest_k` that of the device's other findings — both
//! known when the device is read (prefix and suffix products over its keys, no division). A
//! key's drops are summed per value class and weighted at the end, when the fleet's size is
//! known. Everything else a row shows is a count, a set bounded by the knowledge base and the
//! distinct items, or a maximum.

use crate::assessment::ScoredFinding;
use crate::date::Date;
use crate::ecosystem::Ecosystem;
use crate::eol::EndOfLife;
use crate::history::{AdvisoryRecord, SoftwareRecord};
use crate::inventory::Fleet;
use crate::matching::FixState;
use crate::views::software::{most_installed, support, vendor, SoftwareRow};
use crate::views::weaknesses::{Exposure, FixAvailability, WeaknessRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The sums of one product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct ProductSums {
    ecosystem: Option<Ecosystem>,
    product: String,
    /// Installed names, each with the items installed under it.
    names: BTreeMap<String, usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    vendor: Option<String>,
    versions: BTreeSet<String>,
    installed_on: usize,
    exposed_devices: usize,
    advisories: BTreeSet<String>,
    /// The distinct items' end of support (by `name\tversion\tpurl\tcpe`).
    ends: BTreeMap<String, Option<String>>,
    drop: [f64; 3],
}

/// The sums of one advisory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AdvisorySums {
    record: AdvisoryRecord,
    devices: usize,
    exposed_devices: usize,
    /// Affected items, `name version`.
    software: BTreeSet<String>,
    /// The fix states met.
    states: Vec<FixState>,
    drop: [f64; 3],
}

/// The sums of one view: every device, or one group's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct ViewSums {
    /// The view's devices per value class (its weight, once the fleet's size is known).
    devices: [usize; 3],
    /// By `ecosystem\tproduct`.
    products: BTreeMap<String, ProductSums>,
    /// By advisory id.
    advisories: BTreeMap<String, AdvisorySums>,
}

/// The running view sums of a streamed fleet: over every device, and per device group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct RunningViews {
    all: ViewSums,
    groups: BTreeMap<String, ViewSums>,
}

/// A group's name with its software and weaknesses rows.
pub(super) type GroupRows = (String, Vec<SoftwareRow>, Vec<WeaknessRow>);

/// An installed item as the views read it, with the keys its sums are filed under.
struct Item {
    /// `ecosystem\tproduct`.
    key: String,
    record: SoftwareRecord,
    /// `name\tversion\tpurl\tcpe`: the distinct item whose end of support is kept.
    distinct: String,
    /// `name version`, as an advisory lists its affected items.
    name_version: String,
}

/// A chunk's installed items, each read once (they are shared by the chunk's devices), by
/// the address of the item: the devices' items and their findings' items.
struct Items(HashMap<usize, Item, crate::address::BuildAddressHasher>);

impl Items {
    fn of(by_device: &super::FindingsByDevice<'_>, fleet: &Fleet) -> Self {
        let eol = EndOfLife::embedded();
        let mut items: HashMap<usize, Item, crate::address::BuildAddressHasher> =
            HashMap::default();
        let installed = fleet.devices.iter().flat_map(|d| d.software.iter());
        let found = by_device
            .values()
            .flat_map(|findings| findings.iter().map(|f| &f.finding.software));
        for software in installed.chain(found) {
            items
                .entry(Arc::as_ptr(software) as usize)
                .or_insert_with(|| {
                    let record = SoftwareRecord::of(software, Some(&eol));
                    Item {
                        key: format!("{}\t{}", record.ecosystem, record.product),
                        distinct: format!(
                            "{}\t{}\t{}\t{}",
                            record.name,
                            record.version,
                            record.purl.as_deref().unwrap_or(""),
                            record.cpe.as_deref().unwrap_or("")
                        ),
                        name_version: format!("{} {}", software.name, software.version),
                        record,
                    }
                });
        }
        Items(items)
    }

    /// The item read from `software` (every item of the chunk was read by [`Items::of`]).
    fn get(&self, software: &Arc<crate::inventory::Software>) -> Option<&Item> {
        self.0.get(&(Arc::as_ptr(software) as usize))
    }
}

/// The rest of each key's survival on a device: the product of the other keys' survivals
/// (prefix and suffix products, so that a survival of 0 needs no division).
pub(crate) fn rests(survivals: &[f64]) -> Vec<f64> {
    let n = survivals.len();
    let mut suffix = vec![1.0; n + 1];
    for k in (0..n).rev() {
        suffix[k] = suffix[k + 1] * survivals[k];
    }
    let mut prefix = 1.0;
    survivals
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let rest = prefix * suffix[k + 1];
            prefix *= s;
            rest
        })
        .collect()
}

/// Per key met on a device: its findings' survival, whether one counts, and the findings.
struct OnDevice<'f> {
    survival: f64,
    counted: bool,
    findings: Vec<&'f ScoredFinding>,
}

/// The device's findings grouped by `key`, in key order.
fn by_key<'f, K: Ord>(
    findings: &[&'f ScoredFinding],
    mut key: impl FnMut(&ScoredFinding) -> K,
) -> BTreeMap<K, OnDevice<'f>> {
    let mut out: BTreeMap<K, OnDevice<'f>> = BTreeMap::new();
    for &f in findings {
        let slot = out.entry(key(f)).or_insert_with(|| OnDevice {
            survival: 1.0,
            counted: false,
            findings: Vec::new(),
        });
        slot.survival *= 1.0 - f.contribution().clamp(0.0, 1.0);
        slot.counted |= f.not_counted().is_none();
        slot.findings.push(f);
    }
    out
}

impl RunningViews {
    /// Adds the devices of `fleet`, with their findings by device id: to the view of every
    /// device and to those of their groups.
    pub(crate) fn add(&mut self, by_device: &super::FindingsByDevice<'_>, fleet: &Fleet) {
        let items = Items::of(by_device, fleet);
        let mut seen = std::collections::HashSet::new();
        for device in &fleet.devices {
            if !seen.insert(device.id.as_str()) {
                continue;
            }
            let findings = by_device
                .get(device.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            self.all.add_device(device, findings, &items);
            let groups: BTreeSet<&str> = device.groups.iter().map(String::as_str).collect();
            for group in groups {
                self.groups
                    .entry(group.to_owned())
                    .or_default()
                    .add_device(device, findings, &items);
            }
        }
    }

    /// Adds another partition's sums.
    pub(crate) fn merge(&mut self, other: &RunningViews) {
        self.all.merge(&other.all);
        for (group, theirs) in &other.groups {
            self.groups.entry(group.clone()).or_default().merge(theirs);
        }
    }

    /// The views over every device, and each group's, weighted by the fleet's `weights`
    /// (per value class), end of support judged on `as_of`; advisories' publication days
    /// and weaknesses from `kb`.
    pub(crate) fn finish(
        &self,
        kb: &crate::kb::KnowledgeBase,
        weights: [f64; 3],
        as_of: Option<Date>,
    ) -> (Vec<SoftwareRow>, Vec<WeaknessRow>, Vec<GroupRows>) {
        let (software, weaknesses) = self.all.finish(kb, weights, as_of);
        let groups = self
            .groups
            .iter()
            .map(|(group, sums)| {
                let (software, weaknesses) = sums.finish(kb, weights, as_of);
                (group.clone(), software, weaknesses)
            })
            .collect();
        (software, weaknesses, groups)
    }
}

impl ViewSums {
    /// Adds one device with its findings.
    fn add_device(
        &mut self,
        device: &crate::inventory::Device,
        findings: &[&ScoredFinding],
        items: &Items,
    ) {
        let class = super::recommendations::class(device.value);
        self.devices[class] += 1;
        // Strings are copied only when a sum meets them first.
        let mut installed: Vec<&str> = Vec::with_capacity(device.software.len());
        for software in &device.software {
            let Some(item) = items.get(software) else {
                continue;
            };
            let record = &item.record;
            let Some(p) = self.product(&item.key, record) else {
                continue;
            };
            match p.names.get_mut(&record.name) {
                Some(n) => *n += 1,
                None => {
                    p.names.insert(record.name.clone(), 1);
                }
            }
            if !p.versions.contains(&record.version) {
                p.versions.insert(record.version.clone());
            }
            if p.vendor.is_none() {
                p.vendor = vendor(record);
            }
            if !p.ends.contains_key(&item.distinct) {
                p.ends
                    .insert(item.distinct.clone(), record.support_ends.clone());
            }
            installed.push(&item.key);
        }
        installed.sort_unstable();
        installed.dedup();
        for key in installed {
            if let Some(p) = self.products.get_mut(key) {
                p.installed_on += 1;
            }
        }
        // Products.
        let products = by_key(findings, |f| {
            items
                .get(&f.finding.software)
                .map_or("", |i| i.key.as_str())
        });
        let survivals: Vec<f64> = products.values().map(|p| p.survival).collect();
        for ((key, on), rest) in products.into_iter().zip(rests(&survivals)) {
            let Some(item) = items.get(&on.findings[0].finding.software) else {
                continue;
            };
            let Some(p) = self.product(key, &item.record) else {
                continue;
            };
            p.exposed_devices += usize::from(on.counted);
            for f in &on.findings {
                if !p.advisories.contains(&*f.finding.advisory_id) {
                    p.advisories.insert(f.finding.advisory_id.to_string());
                }
            }
            p.drop[class] += 100.0 * rest * (1.0 - on.survival);
        }
        // Advisories.
        let advisories = by_key(findings, |f| f.finding.advisory_id.clone());
        let survivals: Vec<f64> = advisories.values().map(|a| a.survival).collect();
        for ((id, on), rest) in advisories.into_iter().zip(rests(&survivals)) {
            if !self.advisories.contains_key(&*id) {
                self.advisories.insert(
                    id.to_string(),
                    AdvisorySums {
                        record: AdvisoryRecord::of_finding(on.findings[0]),
                        devices: 0,
                        exposed_devices: 0,
                        software: BTreeSet::new(),
                        states: Vec::new(),
                        drop: [0.0; 3],
                    },
                );
            }
            let Some(a) = self.advisories.get_mut(&*id) else {
                continue;
            };
            a.devices += 1;
            a.exposed_devices += usize::from(on.counted);
            for f in &on.findings {
                if let Some(item) = items.get(&f.finding.software) {
                    if !a.software.contains(&item.name_version) {
                        a.software.insert(item.name_version.clone());
                    }
                }
                if !a.states.contains(&f.finding.fix_state) {
                    a.states.push(f.finding.fix_state);
                }
            }
            a.drop[class] += 100.0 * rest * (1.0 - on.survival);
        }
    }

    fn product(&mut self, key: &str, record: &SoftwareRecord) -> Option<&mut ProductSums> {
        if !self.products.contains_key(key) {
            self.products.insert(
                key.to_owned(),
                ProductSums {
                    ecosystem: Some(record.ecosystem.clone()),
                    product: record.product.clone(),
                    ..ProductSums::default()
                },
            );
        }
        self.products.get_mut(key)
    }

    /// Adds another partition's sums of the same view.
    fn merge(&mut self, other: &ViewSums) {
        for class in 0..3 {
            self.devices[class] += other.devices[class];
        }
        for (key, theirs) in &other.products {
            let ours = self
                .products
                .entry(key.clone())
                .or_insert_with(|| ProductSums {
                    ecosystem: theirs.ecosystem.clone(),
                    product: theirs.product.clone(),
                    ..ProductSums::default()
                });
            for (name, n) in &theirs.names {
                *ours.names.entry(name.clone()).or_default() += n;
            }
            if ours.vendor.is_none() {
                ours.vendor.clone_from(&theirs.vendor);
            }
            ours.versions.extend(theirs.versions.iter().cloned());
            ours.installed_on += theirs.installed_on;
            ours.exposed_devices += theirs.exposed_devices;
            ours.advisories.extend(theirs.advisories.iter().cloned());
            for (item, end) in &theirs.ends {
                ours.ends.entry(item.clone()).or_insert_with(|| end.clone());
            }
            for class in 0..3 {
                ours.drop[class] += theirs.drop[class];
            }
        }
        for (id, theirs) in &other.advisories {
            match self.advisories.get_mut(id) {
                None => {
                    self.advisories.insert(id.clone(), theirs.clone());
                }
                Some(ours) => {
                    ours.devices += theirs.devices;
                    ours.exposed_devices += theirs.exposed_devices;
                    ours.software.extend(theirs.software.iter().cloned());
                    for state in &theirs.states {
                        if !ours.states.contains(state) {
                            ours.states.push(*state);
                        }
                    }
                    for class in 0..3 {
                        ours.drop[class] += theirs.drop[class];
                    }
                }
            }
        }
    }

    /// The view's software and weaknesses rows, weighted by `weights` (per value class)
    /// over the view's devices, end of support judged on `as_of`; advisories' publication
    /// days and weaknesses from `kb`.
    fn finish(
        &self,
        kb: &crate::kb::KnowledgeBase,
        weights: [f64; 3],
        as_of: Option<Date>,
    ) -> (Vec<SoftwareRow>, Vec<WeaknessRow>) {
        #[allow(clippy::cast_precision_loss)] // device counts are far below 2^52
        let total_weight: f64 = (0..3).map(|c| weights[c] * self.devices[c] as f64).sum();
        let impact = |drop: &[f64; 3]| {
            if total_weight > 0.0 {
                ((0..3).map(|c| weights[c] * drop[c]).sum::<f64>() / total_weight).max(0.0)
            } else {
                0.0
            }
        };
        let records: BTreeMap<&str, AdvisoryRecord> = self
            .advisories
            .iter()
            .map(|(id, a)| {
                let mut record = a.record.clone();
                record.add_knowledge(kb);
                (id.as_str(), record)
            })
            .collect();
        let mut software: Vec<SoftwareRow> = self
            .products
            .values()
            .map(|p| {
                let advisories: Vec<&AdvisoryRecord> = p
                    .advisories
                    .iter()
                    .filter_map(|id| records.get(id.as_str()))
                    .collect();
                let name = most_installed(p.names.iter().map(|(n, c)| (n.as_str(), *c)))
                    .unwrap_or(&p.product)
                    .to_owned();
                let ecosystem = p
                    .ecosystem
                    .clone()
                    .unwrap_or(Ecosystem::Other(String::new()));
                let mut row = SoftwareRow::new(ecosystem, p.product.clone(), name, &advisories);
                row.vendor.clone_from(&p.vendor);
                row.versions = p.versions.iter().cloned().collect();
                row.installed_on = p.installed_on;
                row.exposed_devices = p.exposed_devices;
                row.impact = impact(&p.drop);
                let ends: Vec<Option<Date>> = p
                    .ends
                    .values()
                    .map(|e| e.as_deref().and_then(|e| e.parse().ok()))
                    .collect();
                row.support = support(&ends, as_of);
                row.support_ends = p
                    .ends
                    .values()
                    .flatten()
                    .filter_map(|t| t.parse::<Date>().ok().map(|d| (d, t)))
                    .min()
                    .map(|(_, t)| t.clone());
                row
            })
            .collect();
        crate::views::software::sort(&mut software);
        let mut weaknesses: Vec<WeaknessRow> = self
            .advisories
            .iter()
            .filter_map(|(id, a)| {
                Some(WeaknessRow::new(
                    records.get(id.as_str())?,
                    Exposure {
                        devices: a.devices,
                        exposed_devices: a.exposed_devices,
                        impact: impact(&a.drop),
                    },
                    a.software.iter().cloned().collect(),
                    FixAvailability::of(a.states.iter().copied()),
                ))
            })
            .collect();
        crate::views::weaknesses::sort(&mut weaknesses);
        (software, weaknesses)
    }
}
