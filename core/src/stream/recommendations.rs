//! Recommendations of a streamed or partitioned fleet, exact without a second pass over the
//! findings (`docs/design/streaming.md`, "Recommendations without a second pass").
//!
//! A recommendation for product g removes, on each device d, some of g's findings there.
//! With the noisy-OR device score `s_d = 100 (1 − Π (1 − c_i))`, d's survival splits into
//! the product over g's findings on d and the rest, `rest_d`, so that removing a set C of
//! g's findings drops the device by `100 rest_d (Π_{g∖C} (1 − c) − Π_g (1 − c))`: the device
//! enters only through `rest_d` once g's findings on it are fixed. Devices are therefore
//! folded into **patterns** — per product, the sorted list of (finding, contribution,
//! likelihood) of the product on a device, with the product's end-of-support items — each
//! with, per value class, the devices and the sum of their `rest_d`. A value class's devices
//! share one weight, known at the end, so a candidate's drop of the organisation score is a
//! sum over patterns.
//!
//! At the end each pattern stands for one device whose weight is its class weights times its
//! sums: the ordinary recommender ([`crate::recommend::recommend`]) runs over these pattern
//! devices — the same candidates, branches, fixes and texts as in memory — with the drop
//! computed from the sums, and the counts (devices, findings, known-exploited findings)
//! multiplied back. What the recommender reads of a finding (software, advisory, fixes,
//! matcher, matched range) is kept as a [`Fact`]: the facts and patterns are all the
//! aggregate holds, bounded by the fleet's distinct (product, versions, contexts), not by
//! its devices.

use crate::address::BuildAddressHasher;
use crate::assessment::Assessment;
use crate::date::Date;
use crate::ecosystem::Ecosystem;
use crate::engine::Engine;
use crate::eol::EndOfLife;
use crate::inventory::{CpeClaim, DeviceValue, Fleet, Software};
use crate::matching::{Confidence, Evidence, Finding, FixState, MatchKind, Matched, Matcher};
use crate::recommend::{product_key, recommend, EndOfSupportCheck, Input, Recommendation};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Arc;

/// Values numbered in the order first met; serialised as the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<T>", into = "Vec<T>")]
#[serde(bound(
    serialize = "T: Clone + Serialize",
    deserialize = "T: Eq + Hash + Clone + Deserialize<'de>"
))]
struct Interner<T: Eq + Hash> {
    values: Vec<T>,
    index: HashMap<T, u32>,
}

impl<T: Eq + Hash> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            values: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T: Eq + Hash + Clone> Interner<T> {
    fn intern(&mut self, value: T) -> u32 {
        if let Some(&i) = self.index.get(&value) {
            return i;
        }
        let i = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.index.insert(value.clone(), i);
        self.values.push(value);
        i
    }
}

impl<T: Eq + Hash + Clone> From<Vec<T>> for Interner<T> {
    fn from(values: Vec<T>) -> Self {
        let mut interner = Interner::default();
        for value in values {
            interner.intern(value);
        }
        interner
    }
}

impl<T: Eq + Hash + Clone> From<Interner<T>> for Vec<T> {
    fn from(interner: Interner<T>) -> Self {
        interner.values
    }
}

/// An installed item as the recommender reads it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Item {
    ecosystem: Ecosystem,
    name: String,
    version: String,
    /// The CPE name as written (the product key and end-of-life lookups read it).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    cpe: Option<String>,
}

impl Item {
    fn of(software: &Software) -> Self {
        Item {
            ecosystem: software.ecosystem.clone(),
            name: software.name.clone(),
            version: software.version.clone(),
            cpe: software.cpe.as_ref().map(|c| c.name.text().to_owned()),
        }
    }

    /// The item as software again (a CPE name that no longer parses is left out).
    fn software(&self) -> Software {
        Software {
            ecosystem: self.ecosystem.clone(),
            name: self.name.clone(),
            version: self.version.clone(),
            purl: None,
            packages: Vec::new(),
            cpe: self.cpe.as_deref().and_then(|c| CpeClaim::stated(c).ok()),
            last_used: None,
            kind: None,
        }
    }
}

/// What the recommender reads of a finding, device left out: its item, advisory, fixes,
/// matcher, the range that matched and the advisory's KEV listing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Fact {
    item: u32,
    advisory: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    fixed_versions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    fix: Option<String>,
    fix_state: FixState,
    matcher: Matcher,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    range: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    known_exploited: Option<String>,
}

/// The findings of one product on a device, and its ended items there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct Pattern {
    product: u32,
    /// (fact, contribution bits, likelihood bits), sorted.
    findings: Vec<(u32, u64, u64)>,
    /// The product's items on the device whose support had ended on the as-of day, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    ended: Vec<u32>,
}

/// Per value class (low, normal, high): the devices with a pattern and their `rest_d` sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Sums {
    pub(super) devices: [u64; 3],
    pub(super) rest: [f64; 3],
}

impl Sums {
    fn add(&mut self, class: usize, rest: f64) {
        self.devices[class] += 1;
        self.rest[class] += rest;
    }

    fn merge(&mut self, other: &Sums) {
        for class in 0..3 {
            self.devices[class] += other.devices[class];
            self.rest[class] += other.rest[class];
        }
    }

    pub(super) fn devices(&self) -> u64 {
        self.devices.iter().sum()
    }
}

/// A pattern's sums over every device with it, and over each group's devices with it (the
/// groups numbered in [`RunningRecommendations`]'s table).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct PatternSums {
    pub(super) all: Sums,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub(super) groups: BTreeMap<u32, Sums>,
}

impl PatternSums {
    /// Adds `other`'s sums, its groups renumbered by `groups`.
    fn merge(&mut self, other: &PatternSums, groups: &[u32]) {
        self.all.merge(&other.all);
        for (g, sums) in &other.groups {
            self.groups
                .entry(groups[*g as usize])
                .or_default()
                .merge(sums);
        }
    }
}

/// How another partition's numbers map into this one's tables after a merge.
pub(super) struct Renumbering {
    products: Vec<u32>,
    items: Vec<u32>,
    facts: Vec<u32>,
}

impl Pattern {
    /// The pattern with another partition's numbers mapped into this one's.
    pub(super) fn renumbered(&self, map: &Renumbering) -> Pattern {
        let mut findings: Vec<(u32, u64, u64)> = self
            .findings
            .iter()
            .map(|&(f, c, l)| (map.facts[f as usize], c, l))
            .collect();
        findings.sort_unstable();
        let mut ended: Vec<u32> = self.ended.iter().map(|&i| map.items[i as usize]).collect();
        ended.sort_unstable();
        Pattern {
            product: map.products[self.product as usize],
            findings,
            ended,
        }
    }

    /// Whether its numbers point into tables of these sizes.
    pub(super) fn fits(&self, products: usize, facts: usize, items: usize) -> bool {
        (self.product as usize) < products
            && self.findings.iter().all(|&(f, ..)| (f as usize) < facts)
            && self.ended.iter().all(|&i| (i as usize) < items)
    }
}

pub(crate) fn class(value: DeviceValue) -> usize {
    match value {
        DeviceValue::Low => 0,
        DeviceValue::Normal => 1,
        DeviceValue::High => 2,
    }
}

/// The value classes, in the order of the per-class sums.
pub(crate) const CLASSES: [DeviceValue; 3] =
    [DeviceValue::Low, DeviceValue::Normal, DeviceValue::High];

/// The running recommendation sums of a streamed fleet: its products, items, facts and
/// patterns. Merged in any order; finished into ranked recommendations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Wire", into = "Wire")]
pub(crate) struct RunningRecommendations {
    products: Interner<(Ecosystem, String)>,
    items: Interner<Item>,
    facts: Interner<Fact>,
    /// The device groups met.
    groups: Interner<String>,
    patterns: HashMap<Pattern, PatternSums>,
}

/// The serialised form: patterns as a list (their keys are not strings).
#[derive(Clone, Serialize, Deserialize)]
struct Wire {
    products: Vec<(Ecosystem, String)>,
    items: Vec<Item>,
    facts: Vec<Fact>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    groups: Vec<String>,
    patterns: Vec<(Pattern, PatternSums)>,
}

impl From<RunningRecommendations> for Wire {
    fn from(r: RunningRecommendations) -> Self {
        let mut patterns: Vec<(Pattern, PatternSums)> = r.patterns.into_iter().collect();
        patterns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Wire {
            products: r.products.into(),
            items: r.items.into(),
            facts: r.facts.into(),
            groups: r.groups.into(),
            patterns,
        }
    }
}

impl From<Wire> for RunningRecommendations {
    fn from(w: Wire) -> Self {
        let mut r = RunningRecommendations {
            products: w.products.into(),
            items: w.items.into(),
            facts: w.facts.into(),
            groups: w.groups.into(),
            patterns: HashMap::new(),
        };
        // Group numbers are read as written (a number outside the table is found by
        // `is_consistent`).
        let identity: Vec<u32> = w
            .patterns
            .iter()
            .flat_map(|(_, s)| s.groups.keys().copied())
            .max()
            .map_or(Vec::new(), |max| (0..=max).collect());
        for (pattern, sums) in w.patterns {
            r.patterns
                .entry(pattern)
                .or_default()
                .merge(&sums, &identity);
        }
        r
    }
}

impl RunningRecommendations {
    /// Whether an index read from bytes points into its table (a malformed partial is
    /// refused, never indexed out of bounds).
    pub(crate) fn is_consistent(&self) -> bool {
        let products = self.products.values.len();
        let items = self.items.values.len();
        let facts = self.facts.values.len();
        let groups = self.groups.values.len();
        self.facts.values.iter().all(|f| (f.item as usize) < items)
            && self.patterns.iter().all(|(p, s)| {
                p.fits(products, facts, items) && s.groups.keys().all(|&g| (g as usize) < groups)
            })
    }

    /// Whether a pattern read from bytes (a kept device's) points into the tables.
    pub(super) fn fits(&self, pattern: &Pattern) -> bool {
        pattern.fits(
            self.products.values.len(),
            self.facts.values.len(),
            self.items.values.len(),
        )
    }

    /// The patterns kept (distinct product-on-device combinations).
    pub(crate) fn patterns(&self) -> usize {
        self.patterns.len()
    }

    /// The facts, patterns and patterns' findings kept.
    pub(crate) fn entries(&self) -> usize {
        self.facts.values.len()
            + self
                .patterns
                .keys()
                .map(|p| 1 + p.findings.len())
                .sum::<usize>()
    }

    /// Adds the devices of an assessed chunk; its as-of day and `fleet` give the items whose
    /// support had ended. Returns the patterns, each with the device's rest, of the devices
    /// `kept` marks (by index in the chunk: the devices a dashboard keeps whole).
    pub(super) fn add(
        &mut self,
        chunk: &Assessment,
        fleet: &Fleet,
        kept: &[bool],
    ) -> Vec<(usize, Vec<(Pattern, f64)>)> {
        let mut kept_patterns = Vec::new();
        let mut device_of: HashMap<&str, u32> = HashMap::with_capacity(chunk.devices.len());
        for (i, d) in chunk.devices.iter().enumerate() {
            device_of
                .entry(d.device_id.as_str())
                .or_insert(u32::try_from(i).unwrap_or(u32::MAX));
        }
        // (device, product, fact, contribution bits, likelihood bits) of every finding.
        let mut findings: Vec<(u32, u32, u32, u64, u64)> = Vec::with_capacity(chunk.findings.len());
        // A hit's evidence is shared by the findings of one item and advisory in a chunk:
        // its address finds the fact and product again without building the texts.
        let mut fact_of: HashMap<usize, (u32, u32), BuildAddressHasher> = HashMap::default();
        for scored in &chunk.findings {
            let finding = &scored.finding;
            let Some(&device) = device_of.get(&*finding.device_id) else {
                continue;
            };
            let (fact, product) = *fact_of
                .entry(Arc::as_ptr(&finding.evidence) as usize)
                .or_insert_with(|| self.fact(finding, scored.threat.known_exploited.as_ref()));
            findings.push((
                device,
                product,
                fact,
                scored.contribution().to_bits(),
                scored.risk.likelihood.to_bits(),
            ));
        }
        findings.sort_unstable();
        let mut ended = self.ended_items(chunk, fleet, &device_of);
        ended.sort_unstable();
        ended.dedup();
        let (mut f, mut e) = (0, 0);
        for (device, exposure) in chunk.devices.iter().enumerate() {
            let device = u32::try_from(device).unwrap_or(u32::MAX);
            // The device's products: (product, its findings, its ended items, survival).
            let mut products: Vec<(u32, std::ops::Range<usize>, std::ops::Range<usize>, f64)> =
                Vec::new();
            loop {
                let next_finding = findings.get(f).filter(|x| x.0 == device).map(|x| x.1);
                let next_ended = ended.get(e).filter(|x| x.0 == device).map(|x| x.1);
                let product = match (next_finding, next_ended) {
                    (None, None) => break,
                    (Some(a), Some(b)) => a.min(b),
                    (Some(a), None) => a,
                    (None, Some(b)) => b,
                };
                let from = f;
                let mut survival = 1.0;
                while let Some(x) = findings.get(f).filter(|x| x.0 == device && x.1 == product) {
                    survival *= 1.0 - f64::from_bits(x.3).clamp(0.0, 1.0);
                    f += 1;
                }
                let ended_from = e;
                while ended
                    .get(e)
                    .is_some_and(|x| x.0 == device && x.1 == product)
                {
                    e += 1;
                }
                products.push((product, from..f, ended_from..e, survival));
            }
            let class = class(exposure.value);
            let mut groups: Vec<u32> = exposure
                .groups
                .iter()
                .map(|g| self.groups.intern(g.clone()))
                .collect();
            groups.sort_unstable();
            groups.dedup();
            let keep = kept.get(device as usize) == Some(&true);
            let mut mine = Vec::new();
            let survivals: Vec<f64> = products.iter().map(|p| p.3).collect();
            let rests = super::views::rests(&survivals);
            for ((product, of_findings, of_ended, _), rest) in products.into_iter().zip(rests) {
                let pattern = Pattern {
                    product,
                    findings: findings[of_findings]
                        .iter()
                        .map(|x| (x.2, x.3, x.4))
                        .collect(),
                    ended: ended[of_ended].iter().map(|x| x.2).collect(),
                };
                if keep {
                    mine.push((pattern.clone(), rest));
                }
                let sums = self.patterns.entry(pattern).or_default();
                sums.all.add(class, rest);
                for &g in &groups {
                    sums.groups.entry(g).or_default().add(class, rest);
                }
            }
            if keep {
                kept_patterns.push((device as usize, mine));
            }
        }
        kept_patterns
    }

    /// (device, product, item) of the chunk's items whose support had ended, when the chunk
    /// has an as-of day and its fleet.
    fn ended_items(
        &mut self,
        chunk: &Assessment,
        fleet: &Fleet,
        device_of: &HashMap<&str, u32>,
    ) -> Vec<(u32, u32, u32)> {
        let Some(as_of) = chunk.as_of else {
            return Vec::new();
        };
        let as_of = as_of.to_string();
        let table = EndOfLife::embedded();
        // Items are shared between a chunk's devices: each is looked up once.
        let mut ended_of: HashMap<usize, Option<(u32, u32)>, BuildAddressHasher> =
            HashMap::default();
        let mut ended = Vec::new();
        for device in &fleet.devices {
            let Some(&index) = device_of.get(device.id.as_str()) else {
                continue;
            };
            for software in &device.software {
                let found = *ended_of
                    .entry(Arc::as_ptr(software) as usize)
                    .or_insert_with(|| {
                        crate::recommend::eol_entry(&table, software)
                            .filter(|e| e.ended(&as_of))
                            .map(|_| {
                                let product = self
                                    .products
                                    .intern((software.ecosystem.clone(), product_key(software)));
                                (product, self.items.intern(Item::of(software)))
                            })
                    });
                if let Some((product, item)) = found {
                    ended.push((index, product, item));
                }
            }
        }
        ended
    }

    /// The fact and product of a finding.
    fn fact(
        &mut self,
        finding: &Finding,
        known_exploited: Option<&crate::score::exploitation::KnownExploited>,
    ) -> (u32, u32) {
        let software = &finding.software;
        let product = self
            .products
            .intern((software.ecosystem.clone(), product_key(software)));
        let item = self.items.intern(Item::of(software));
        let fact = self.facts.intern(Fact {
            item,
            advisory: finding.advisory_id.to_string(),
            fixed_versions: finding.fixed_versions.to_vec(),
            fix: finding.fix.as_deref().map(str::to_owned),
            fix_state: finding.fix_state,
            matcher: finding.evidence.matcher,
            range: finding.evidence.range.as_deref().map(str::to_owned),
            known_exploited: known_exploited.map(|k| k.cve_id.clone()),
        });
        (fact, product)
    }

    /// Adds another partition's sums, renumbering its products, items, facts and groups;
    /// returns how its numbers map into this one's.
    pub(super) fn merge(&mut self, other: &RunningRecommendations) -> Renumbering {
        let products: Vec<u32> = other
            .products
            .values
            .iter()
            .map(|p| self.products.intern(p.clone()))
            .collect();
        let items: Vec<u32> = other
            .items
            .values
            .iter()
            .map(|i| self.items.intern(i.clone()))
            .collect();
        let facts: Vec<u32> = other
            .facts
            .values
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.item = items[f.item as usize];
                self.facts.intern(f)
            })
            .collect();
        let groups: Vec<u32> = other
            .groups
            .values
            .iter()
            .map(|g| self.groups.intern(g.clone()))
            .collect();
        let map = Renumbering {
            products,
            items,
            facts,
        };
        for (pattern, sums) in &other.patterns {
            self.patterns
                .entry(pattern.renumbered(&map))
                .or_default()
                .merge(sums, &groups);
        }
        map
    }

    /// The ranked recommendations of the fleet whose organisation score is `base`, the
    /// value classes weighing `weights` and the fleet `total_weight`: each with the devices
    /// it covers counted and what it removes on each pattern.
    pub(super) fn finish(
        &self,
        engine: &Engine,
        base: f64,
        weights: [f64; 3],
        total_weight: f64,
        as_of: Option<Date>,
    ) -> Finish<'_> {
        // Patterns in an order of their values (partials merged in any order number their
        // facts differently): the sums below are then added in one order.
        let mut patterns: Vec<(&Pattern, &PatternSums)> = self.patterns.iter().collect();
        let sort_key = |p: &Pattern| {
            let (ecosystem, product) = &self.products.values[p.product as usize];
            let findings: Vec<(&str, &str, &str, u64, u64)> = p
                .findings
                .iter()
                .map(|&(f, c, l)| {
                    let fact = &self.facts.values[f as usize];
                    let item = &self.items.values[fact.item as usize];
                    (
                        item.name.as_str(),
                        item.version.as_str(),
                        fact.advisory.as_str(),
                        c,
                        l,
                    )
                })
                .collect();
            (ecosystem.clone(), product.clone(), findings)
        };
        patterns.sort_by_cached_key(|(p, _)| sort_key(p));
        // Each pattern's weight: Σ_class w_class Σ rest_d, over the fleet's total weight.
        let pattern_weight: Vec<f64> = patterns
            .iter()
            .map(|(_, s)| (0..3).map(|c| weights[c] * s.all.rest[c]).sum::<f64>() / total_weight)
            .collect();
        let software: Vec<Arc<Software>> = self
            .items
            .values
            .iter()
            .map(|i| Arc::new(i.software()))
            .collect();
        let labels: Vec<String> = (0..patterns.len()).map(|p| format!("{p:010}")).collect();
        let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let findings: Vec<Finding> = self
            .facts
            .values
            .iter()
            .map(|f| rebuilt_finding(f, &software[f.item as usize]))
            .collect();
        let kb = engine.kb();
        let mut inputs: Vec<Input<'_>> = Vec::new();
        let mut contributions: Vec<f64> = Vec::new();
        for (p, (pattern, _)) in patterns.iter().enumerate() {
            for &(f, c, l) in &pattern.findings {
                let fact = &self.facts.values[f as usize];
                let known_exploited = fact.known_exploited.as_deref();
                inputs.push(Input {
                    finding: &findings[f as usize],
                    device: p,
                    likelihood: f64::from_bits(l),
                    known_exploited,
                    required_action: known_exploited
                        .and_then(|cve| kb.threat().kev(cve))
                        .map(|e| e.required_action.as_str())
                        .filter(|a| !a.is_empty()),
                });
                contributions.push(f64::from_bits(c).clamp(0.0, 1.0));
            }
        }
        let pattern_of: Vec<usize> = inputs.iter().map(|i| i.device).collect();
        // Each pattern's findings, as input indexes (consecutive).
        let mut first_input = vec![0; patterns.len() + 1];
        for (p, (pattern, _)) in patterns.iter().enumerate() {
            first_input[p + 1] = first_input[p] + pattern.findings.len();
        }
        // Per pattern touched by `removed` (sorted input indexes): the pattern, the drop of
        // one of its devices over its rest, and the inputs removed there.
        let drops = |removed: &[usize]| -> Vec<(usize, f64, std::ops::Range<usize>)> {
            let mut out = Vec::new();
            let mut at = 0;
            while at < removed.len() {
                let p = pattern_of[removed[at]];
                let from = at;
                let (mut all, mut kept) = (1.0, 1.0);
                let range = first_input[p]..first_input[p + 1];
                for (j, &contribution) in range.clone().zip(&contributions[range]) {
                    let survival = 1.0 - contribution;
                    all *= survival;
                    if removed.get(at) == Some(&j) {
                        at += 1;
                    } else {
                        kept *= survival;
                    }
                }
                out.push((p, 100.0 * (kept - all), from..at));
            }
            out
        };
        let exposure_without = |removed: &[usize]| {
            let drop: f64 = drops(removed)
                .iter()
                .map(|&(p, drop, _)| drop * pattern_weight[p])
                .sum();
            base - drop
        };
        let as_of_text = as_of.map(|d| d.to_string());
        let table = as_of_text.as_ref().map(|_| EndOfLife::embedded());
        let check = table
            .as_ref()
            .zip(as_of_text.as_deref())
            .map(|(table, as_of)| {
                let software = &software;
                EndOfSupportCheck {
                    table,
                    as_of,
                    installed: patterns
                        .iter()
                        .enumerate()
                        .flat_map(|(p, (pattern, _))| {
                            pattern
                                .ended
                                .iter()
                                .map(move |&i| (p, &*software[i as usize]))
                        })
                        .collect(),
                }
            });
        let pattern_of_label: HashMap<&str, usize> = label_refs
            .iter()
            .enumerate()
            .map(|(p, label)| (*label, p))
            .collect();
        let recommendations = recommend(
            kb,
            &inputs,
            &label_refs,
            base,
            check.as_ref(),
            exposure_without,
        )
        .into_iter()
        .map(|mut r| {
            let listed = |labels: &[String]| -> Vec<usize> {
                labels
                    .iter()
                    .filter_map(|d| pattern_of_label.get(d.as_str()).copied())
                    .collect()
            };
            let count = |patterns_listed: &[usize]| {
                let devices: u64 = patterns_listed
                    .iter()
                    .map(|&p| patterns[p].1.all.devices())
                    .sum();
                usize::try_from(devices).unwrap_or(usize::MAX)
            };
            let mut listed_patterns = listed(&r.devices);
            listed_patterns.sort_unstable();
            let device_count = count(&listed_patterns);
            let target_device_counts = r
                .targets
                .iter_mut()
                .map(|t| {
                    let devices = count(&listed(&t.devices));
                    t.devices.clear();
                    devices
                })
                .collect();
            let mut covered = r.covered.clone();
            covered.sort_unstable();
            let mut coverage: Vec<Coverage> = drops(&covered)
                .into_iter()
                .map(|(pattern, drop, removed)| (pattern, drop, &covered[removed]))
                .map(|(pattern, drop, removed)| Coverage {
                    pattern,
                    listed: listed_patterns.binary_search(&pattern).is_ok(),
                    drop,
                    findings: removed.len() as u64,
                    known_exploited: removed
                        .iter()
                        .filter(|&&i| inputs[i].known_exploited.is_some())
                        .count() as u64,
                })
                .collect();
            // The covered inputs run in pattern order, so `coverage` is sorted by pattern:
            // the listed patterns without covered findings join it, and it stays sorted
            // (a kept device finds its pattern in it by binary search).
            for &pattern in &listed_patterns {
                if let Err(at) = coverage.binary_search_by_key(&pattern, |c| c.pattern) {
                    coverage.insert(
                        at,
                        Coverage {
                            pattern,
                            listed: true,
                            drop: 0.0,
                            findings: 0,
                            known_exploited: 0,
                        },
                    );
                }
            }
            let over_all = |of: fn(&Coverage) -> u64| {
                let total: u64 = coverage
                    .iter()
                    .map(|c| of(c) * patterns[c.pattern].1.all.devices())
                    .sum();
                usize::try_from(total).unwrap_or(usize::MAX)
            };
            r.findings = over_all(|c| c.findings);
            r.known_exploited = over_all(|c| c.known_exploited);
            r.devices.clear();
            r.covered.clear();
            PatternRecommendation {
                recommendation: r,
                device_count,
                target_device_counts,
                coverage,
            }
        })
        .collect();
        Finish {
            recommendations,
            patterns,
            groups: &self.groups.values,
        }
    }
}

/// A finished recommendation, its devices counted, with what it removes on each pattern.
pub(super) struct PatternRecommendation {
    pub(super) recommendation: Recommendation,
    pub(super) device_count: usize,
    pub(super) target_device_counts: Vec<usize>,
    /// Sorted by pattern.
    pub(super) coverage: Vec<Coverage>,
}

/// What a recommendation removes on the devices of one pattern.
#[derive(Debug, Clone)]
pub(super) struct Coverage {
    /// The pattern's index in [`Finish::patterns`].
    pub(super) pattern: usize,
    /// Whether the recommendation covers the pattern's devices (lists them in memory).
    pub(super) listed: bool,
    /// `100 (Π_kept (1 − c) − Π_all (1 − c))` over the pattern's findings: a device's score
    /// drops by this times its rest.
    pub(super) drop: f64,
    /// Covered findings on each device of the pattern.
    pub(super) findings: u64,
    /// Of which of known-exploited vulnerabilities.
    pub(super) known_exploited: u64,
}

/// The finished recommendations and the patterns their coverage points into.
pub(super) struct Finish<'a> {
    pub(super) recommendations: Vec<PatternRecommendation>,
    /// The patterns, in the order of [`Coverage::pattern`], with their sums.
    pub(super) patterns: Vec<(&'a Pattern, &'a PatternSums)>,
    /// The group names, by the numbers of [`PatternSums::groups`].
    pub(super) groups: &'a [String],
}

/// A finding carrying a fact: what the recommender reads (software, advisory, fixes,
/// matcher, range); its device is the pattern's, its other evidence left plain.
fn rebuilt_finding(fact: &Fact, software: &Arc<Software>) -> Finding {
    Finding {
        device_id: Arc::from(""),
        software: Arc::clone(software),
        advisory_id: Arc::from(fact.advisory.as_str()),
        aliases: Arc::from(Vec::new()),
        summary: None,
        fixed_versions: Arc::from(fact.fixed_versions.clone()),
        fix: fact.fix.as_deref().map(Arc::from),
        fix_state: fact.fix_state,
        evidence: Arc::new(Evidence {
            matcher: fact.matcher,
            confidence: Confidence::ExactPackage,
            source: Arc::from(""),
            range_kind: MatchKind::Listed,
            range: fact.range.as_deref().map(Arc::from),
            matched: Matched::Listed(String::new()),
            platform: Vec::new(),
            cpe: None,
            condition: None,
        }),
    }
}
