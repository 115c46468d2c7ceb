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
use std::collections::HashMap;
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
struct Pattern {
    product: u32,
    /// (fact, contribution bits, likelihood bits), sorted.
    findings: Vec<(u32, u64, u64)>,
    /// The product's items on the device whose support had ended on the as-of day, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    ended: Vec<u32>,
}

/// Per value class (low, normal, high): the devices with a pattern and their `rest_d` sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Sums {
    devices: [u64; 3],
    rest: [f64; 3],
}

impl Sums {
    fn merge(&mut self, other: &Sums) {
        for class in 0..3 {
            self.devices[class] += other.devices[class];
            self.rest[class] += other.rest[class];
        }
    }

    fn devices(&self) -> u64 {
        self.devices.iter().sum()
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
    patterns: HashMap<Pattern, Sums>,
}

/// The serialised form: patterns as a list (their keys are not strings).
#[derive(Clone, Serialize, Deserialize)]
struct Wire {
    products: Vec<(Ecosystem, String)>,
    items: Vec<Item>,
    facts: Vec<Fact>,
    patterns: Vec<(Pattern, Sums)>,
}

impl From<RunningRecommendations> for Wire {
    fn from(r: RunningRecommendations) -> Self {
        let mut patterns: Vec<(Pattern, Sums)> = r.patterns.into_iter().collect();
        patterns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Wire {
            products: r.products.into(),
            items: r.items.into(),
            facts: r.facts.into(),
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
            patterns: HashMap::new(),
        };
        for (pattern, sums) in w.patterns {
            r.patterns.entry(pattern).or_default().merge(&sums);
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
        self.facts.values.iter().all(|f| (f.item as usize) < items)
            && self.patterns.keys().all(|p| {
                (p.product as usize) < products
                    && p.findings.iter().all(|&(f, ..)| (f as usize) < facts)
                    && p.ended.iter().all(|&i| (i as usize) < items)
            })
    }

    /// The patterns kept (distinct product-on-device combinations).
    pub(crate) fn patterns(&self) -> usize {
        self.patterns.len()
    }

    /// Adds the devices of an assessed chunk; its as-of day and `fleet` give the items whose
    /// support had ended.
    pub(crate) fn add(&mut self, chunk: &Assessment, fleet: &Fleet) {
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
            let survivals: Vec<f64> = products.iter().map(|p| p.3).collect();
            let rests = super::views::rests(&survivals);
            for ((product, of_findings, of_ended, _), rest) in products.into_iter().zip(rests) {
                let sums = self
                    .patterns
                    .entry(Pattern {
                        product,
                        findings: findings[of_findings]
                            .iter()
                            .map(|x| (x.2, x.3, x.4))
                            .collect(),
                        ended: ended[of_ended].iter().map(|x| x.2).collect(),
                    })
                    .or_default();
                sums.devices[class] += 1;
                sums.rest[class] += rest;
            }
        }
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

    /// Adds another partition's sums, renumbering its products, items and facts.
    pub(crate) fn merge(&mut self, other: &RunningRecommendations) {
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
        for (pattern, sums) in &other.patterns {
            let mut findings: Vec<(u32, u64, u64)> = pattern
                .findings
                .iter()
                .map(|&(f, c, l)| (facts[f as usize], c, l))
                .collect();
            findings.sort_unstable();
            let mut ended: Vec<u32> = pattern.ended.iter().map(|&i| items[i as usize]).collect();
            ended.sort_unstable();
            let key = Pattern {
                product: products[pattern.product as usize],
                findings,
                ended,
            };
            self.patterns.entry(key).or_default().merge(sums);
        }
    }

    /// The ranked recommendations of the fleet whose organisation score is `base`, with
    /// `class_devices` devices per value class: each with the number of devices it covers.
    pub(crate) fn finish(
        &self,
        engine: &Engine,
        base: f64,
        weights: [f64; 3],
        total_weight: f64,
        as_of: Option<Date>,
    ) -> Vec<(Recommendation, usize, Vec<usize>)> {
        // Patterns in an order of their values (partials merged in any order number their
        // facts differently): the sums below are then added in one order.
        let mut patterns: Vec<(&Pattern, &Sums)> = self.patterns.iter().collect();
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
            .map(|(_, s)| (0..3).map(|c| weights[c] * s.rest[c]).sum::<f64>() / total_weight)
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
        let exposure_without = |removed: &[usize]| {
            let mut drop = 0.0;
            let mut removed = removed.iter().copied().peekable();
            while let Some(&i) = removed.peek() {
                let p = pattern_of[i];
                let (mut all, mut kept) = (1.0, 1.0);
                let range = first_input[p]..first_input[p + 1];
                for (j, &contribution) in range.clone().zip(&contributions[range]) {
                    let survival = 1.0 - contribution;
                    all *= survival;
                    if removed.next_if(|&r| r == j).is_none() {
                        kept *= survival;
                    }
                }
                drop += 100.0 * (kept - all) * pattern_weight[p];
            }
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
        let device_counts: HashMap<&str, u64> = label_refs
            .iter()
            .zip(&patterns)
            .map(|(label, (_, sums))| (*label, sums.devices()))
            .collect();
        recommend(
            kb,
            &inputs,
            &label_refs,
            base,
            check.as_ref(),
            exposure_without,
        )
        .into_iter()
        .map(|mut r| {
            let count = |labels: &[String]| {
                let devices: u64 = labels.iter().map(|d| device_counts[d.as_str()]).sum();
                usize::try_from(devices).unwrap_or(usize::MAX)
            };
            let devices = count(&r.devices);
            let target_devices = r
                .targets
                .iter_mut()
                .map(|t| {
                    let devices = count(&t.devices);
                    t.devices.clear();
                    devices
                })
                .collect();
            let of = |i: &usize| patterns[pattern_of[*i]].1.devices();
            r.findings =
                usize::try_from(r.covered.iter().map(of).sum::<u64>()).unwrap_or(usize::MAX);
            r.known_exploited = usize::try_from(
                r.covered
                    .iter()
                    .filter(|&&i| inputs[i].known_exploited.is_some())
                    .map(of)
                    .sum::<u64>(),
            )
            .unwrap_or(usize::MAX);
            r.devices.clear();
            r.covered.clear();
            (r, devices, target_devices)
        })
        .collect()
    }
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
