//! The software inventory: one row per product (ecosystem and product key) installed on a
//! device of the view.
//!
//! - `name`: the product's display name, the most common installed name (ties: the smallest);
//!   `vendor`: the CPE vendor when an installed item has a CPE name (or the product key is a
//!   `cpe:<vendor>:<product>` key), else none.
//! - `versions`: the distinct installed versions, sorted as text.
//! - `installed_on`: devices of the view with the product; `exposed_devices`: those with a
//!   finding on it that counts in the scores (not mitigated, condition reported).
//! - `weaknesses`: distinct advisories of its findings on the view's devices; `known_exploited`
//!   how many of them CISA KEV lists; `exploit_maturity` the highest; `max_epss` the highest
//!   EPSS probability.
//! - `impact`: the exact drop of the view's score if every finding on the product were gone
//!   from the view's devices (each affected device's score recomputed from the contributions
//!   it keeps).
//! - `support`: end of support of its installed releases on the record's as-of day
//!   ([`SupportStatus`]); `support_ends` the earliest end day listed.
//!
//! Rows are sorted by impact (largest first), then exposed devices, then ecosystem and
//! product key.
//!
//! ```
//! use exposure::history::AssessmentRecord;
//! use exposure::views::{software, Filter};
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
//! let rows = software::rows(&record, &Filter::all());
//! let lodash = rows.iter().find(|r| r.name == "lodash").unwrap();
//! assert_eq!((lodash.installed_on, lodash.exposed_devices), (1, 1));
//! assert_eq!(lodash.versions, ["4.17.15"]);
//! # Ok::<(), exposure::history::RecordError>(())
//! ```

use super::{Filter, Scope};
use crate::date::Date;
use crate::ecosystem::Ecosystem;
use crate::history::{AssessmentRecord, ExploitMaturity, SoftwareRecord};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// End of support of a product's installed releases on the record's as-of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportStatus {
    /// The end-of-life table lists none of its releases, or the record has no as-of day.
    Unknown,
    /// Every listed release is supported on the as-of day (support ends on a day: ended the day
    /// after, as [`crate::eol::Entry::ended`] judges).
    Supported,
    /// Some installed releases' support has ended, others' not (or not listed).
    SomeEnded,
    /// Support of every installed release has ended.
    Ended,
}

/// One product of the inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SoftwareRow {
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// The product key (`cpe:<vendor>:<product>` for vendor software, else the normalised
    /// name).
    pub product: String,
    /// The display name.
    pub name: String,
    /// The CPE vendor, when known.
    pub vendor: Option<String>,
    /// Installed versions, sorted as text.
    pub versions: Vec<String>,
    /// Devices of the view with it installed.
    pub installed_on: usize,
    /// Of those, devices with a counted finding on it.
    pub exposed_devices: usize,
    /// Distinct advisories of its findings.
    pub weaknesses: usize,
    /// Of those, listed by CISA KEV.
    pub known_exploited: usize,
    /// The highest exploit maturity of those.
    pub exploit_maturity: ExploitMaturity,
    /// The highest EPSS probability of those, when any is known.
    pub max_epss: Option<f64>,
    /// The exact drop of the view's score without its findings.
    pub impact: f64,
    /// End of support.
    pub support: SupportStatus,
    /// The earliest end-of-support day listed for its installed releases.
    pub support_ends: Option<String>,
}

impl SoftwareRow {
    /// The row of a product with the threat facts of its `advisories`; counts, versions,
    /// impact and support left for the caller.
    pub(crate) fn new(
        ecosystem: Ecosystem,
        product: String,
        name: String,
        advisories: &[&crate::history::AdvisoryRecord],
    ) -> Self {
        SoftwareRow {
            ecosystem,
            product,
            name,
            vendor: None,
            versions: Vec::new(),
            installed_on: 0,
            exposed_devices: 0,
            weaknesses: advisories.len(),
            known_exploited: advisories.iter().filter(|a| a.kev.is_some()).count(),
            exploit_maturity: advisories
                .iter()
                .map(|a| a.exploit_maturity)
                .max()
                .unwrap_or_default(),
            max_epss: advisories
                .iter()
                .filter_map(|a| a.epss)
                .max_by(f64::total_cmp),
            impact: 0.0,
            support: SupportStatus::Unknown,
            support_ends: None,
        }
    }
}

/// The name installed most often (the first in name order among equals).
pub(crate) fn most_installed<'n>(names: impl Iterator<Item = (&'n str, usize)>) -> Option<&'n str> {
    names
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(n, _)| n)
}

/// The CPE vendor of `software`, when it has a CPE name or a CPE product key.
pub(crate) fn vendor(software: &SoftwareRecord) -> Option<String> {
    if let Some(cpe) = software.cpe.as_deref() {
        if let Ok(name) = crate::cpe::Cpe::parse(cpe) {
            if let Some(v) = name.get(crate::cpe::Attribute::Vendor).literal() {
                return Some(v);
            }
        }
    }
    let rest = software.product.strip_prefix("cpe:")?;
    rest.split(':').next().map(str::to_owned)
}

/// The products installed on the view's devices.
///
/// ```
/// use exposure::history::AssessmentRecord;
/// use exposure::views::{software, Filter};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// let engineering = software::rows(&record, &Filter::group("engineering"));
/// assert!(!engineering.is_empty());
/// assert!(engineering.iter().all(|r| r.installed_on <= 2)); // build-01, dev-laptop-07
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
pub fn rows(record: &AssessmentRecord, filter: &Filter) -> Vec<SoftwareRow> {
    rows_in(&Scope::new(record, filter))
}

#[derive(Default)]
struct Product<'r> {
    used: bool,
    names: BTreeMap<&'r str, usize>,
    vendor: Option<String>,
    versions: BTreeSet<&'r str>,
    devices: BTreeSet<usize>,
    exposed: BTreeSet<usize>,
    advisories: BTreeSet<u32>,
    finding_devices: BTreeSet<usize>,
    ends: Vec<Option<Date>>,
    ends_text: BTreeSet<(Date, &'r str)>,
}

pub(crate) fn rows_in(scope: &Scope<'_>) -> Vec<SoftwareRow> {
    let record = scope.record;
    // Each software item's product, numbered once.
    let mut numbers: HashMap<(&Ecosystem, &str), usize> = HashMap::new();
    let mut keys: Vec<(&Ecosystem, &str)> = Vec::new();
    let product_of: Vec<usize> = record
        .software
        .iter()
        .map(|s| {
            let key = (&s.ecosystem, s.product.as_str());
            *numbers.entry(key).or_insert_with(|| {
                keys.push(key);
                keys.len() - 1
            })
        })
        .collect();
    let mut products: Vec<Product<'_>> = keys.iter().map(|_| Product::default()).collect();
    let mut seen: HashSet<u32> = HashSet::new();
    for d in scope.devices() {
        let Some(device) = record.devices.get(d) else {
            continue;
        };
        for &s in &device.software {
            let Some(software) = record.software.get(s as usize) else {
                continue;
            };
            let Some(p) = product_of
                .get(s as usize)
                .and_then(|&i| products.get_mut(i))
            else {
                continue;
            };
            p.used = true;
            *p.names.entry(software.name.as_str()).or_default() += 1;
            p.versions.insert(&software.version);
            p.devices.insert(d);
            if p.vendor.is_none() {
                p.vendor = vendor(software);
            }
            if seen.insert(s) {
                let end = software
                    .support_ends
                    .as_deref()
                    .and_then(|e| e.parse::<Date>().ok());
                if let (Some(day), Some(text)) = (end, software.support_ends.as_deref()) {
                    p.ends_text.insert((day, text));
                }
                p.ends.push(end);
            }
        }
        for &f in scope.findings_of.get(d).map_or(&[][..], Vec::as_slice) {
            let Some(finding) = record.findings.get(f as usize) else {
                continue;
            };
            let Some(p) = product_of
                .get(finding.software as usize)
                .and_then(|&i| products.get_mut(i))
            else {
                continue;
            };
            p.used = true;
            p.advisories.insert(finding.advisory);
            p.finding_devices.insert(d);
            if finding.not_counted.is_none() {
                p.exposed.insert(d);
            }
        }
    }
    let impacts = scope.impacts_by(|f| product_of.get(f.software as usize).copied());
    let mut rows: Vec<SoftwareRow> = products
        .into_iter()
        .zip(keys)
        .enumerate()
        .filter(|(_, (p, _))| p.used)
        .map(|(number, (p, (ecosystem, product)))| {
            let advisories: Vec<_> = p
                .advisories
                .iter()
                .filter_map(|&a| record.advisories.get(a as usize))
                .collect();
            let name = most_installed(p.names.iter().map(|(n, c)| (*n, *c)))
                .unwrap_or(product)
                .to_owned();
            let mut row =
                SoftwareRow::new(ecosystem.clone(), product.to_owned(), name, &advisories);
            row.vendor = p.vendor;
            row.versions = p.versions.iter().map(|&v| v.to_owned()).collect();
            row.installed_on = p.devices.len();
            row.exposed_devices = p.exposed.len();
            row.impact = impacts.get(&number).copied().unwrap_or(0.0);
            row.support = support(&p.ends, record.as_of);
            row.support_ends = p.ends_text.first().map(|(_, t)| (*t).to_owned());
            row
        })
        .collect();
    sort(&mut rows);
    rows
}

/// The view's order: by impact, exposed devices, ecosystem and product.
pub(crate) fn sort(rows: &mut [SoftwareRow]) {
    rows.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then_with(|| b.exposed_devices.cmp(&a.exposed_devices))
            .then_with(|| a.ecosystem.cmp(&b.ecosystem))
            .then_with(|| a.product.cmp(&b.product))
    });
}

/// The support status of releases ending on `ends` (none: not listed), on `as_of`.
pub(crate) fn support(ends: &[Option<Date>], as_of: Option<Date>) -> SupportStatus {
    let Some(day) = as_of else {
        return SupportStatus::Unknown;
    };
    if ends.iter().all(Option::is_none) {
        return SupportStatus::Unknown;
    }
    let ended = ends.iter().filter(|e| e.is_some_and(|e| e < day)).count();
    if ended == 0 {
        SupportStatus::Supported
    } else if ended == ends.len() {
        SupportStatus::Ended
    } else {
        SupportStatus::SomeEnded
    }
}
