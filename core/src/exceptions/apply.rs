//! Applying an exception set to an assessment in the making: removing findings before the
//! scores, hiding recommendations after them, and reporting every exception.

use super::{
    ExceptedBy, ExceptedRecommendation, Exception, ExceptionOutcome, ExceptionSet, ExceptionStatus,
    Product, Scope,
};
use crate::assessment::Assessment;
use crate::date::Date;
use crate::inventory::{Device, Fleet, Software};
use crate::matching::{Finding, Suppression};
use std::collections::{BTreeSet, HashMap};

/// Applies `set` as of `as_of` to the findings that matching and VEX left: `score` turns
/// findings and suppressions into an assessment (it may be called twice, when a removing
/// exception names a recommendation: the recommendations say which findings they cover).
pub(crate) fn apply(
    set: &ExceptionSet,
    fleet: &Fleet,
    findings: Vec<Finding>,
    mut suppressed: Vec<Suppression>,
    as_of: Option<Date>,
    mut score: impl FnMut(Vec<Finding>, Vec<Suppression>) -> Assessment,
) -> Assessment {
    let mut devices: HashMap<&str, &Device> = HashMap::with_capacity(fleet.devices.len());
    for d in &fleet.devices {
        devices.entry(d.id.as_str()).or_insert(d);
    }
    let device_of = |finding: &Finding| devices.get(&*finding.device_id).copied();
    let judged: Vec<Result<(), ExceptionStatus>> =
        set.exceptions.iter().map(|e| e.in_force(as_of)).collect();
    let in_force = |i: usize| judged[i].is_ok();
    let exceptions = &set.exceptions;
    // 1. Removing exceptions on vulnerabilities and products: the findings leave before scoring.
    let mut removed = vec![0usize; exceptions.len()];
    let mut removed_devices: Vec<BTreeSet<String>> = vec![BTreeSet::new(); exceptions.len()];
    let removing = |e: &Exception| e.justification.removes_findings();
    let mut kept = Vec::with_capacity(findings.len());
    let index = ScopeIndex::new(exceptions, |i, e| in_force(i) && removing(e));
    for finding in findings {
        let device = device_of(&finding);
        let by = index
            .candidates(&finding)
            .into_iter()
            .map(|i| (i, &exceptions[i]))
            .find(|&(_, e)| in_groups(e, device) && covers(e, &finding));
        match by {
            Some((i, e)) => {
                removed[i] += 1;
                removed_devices[i].insert(finding.device_id.to_string());
                suppressed.push(excepted(finding, e));
            }
            None => kept.push(finding),
        }
    }
    // 2. Removing exceptions on recommendations: the findings the recommendation covers.
    let by_recommendation: Vec<usize> = (0..exceptions.len())
        .filter(|&i| {
            in_force(i)
                && removing(&exceptions[i])
                && matches!(exceptions[i].scope, Scope::Recommendation(_))
        })
        .collect();
    if !by_recommendation.is_empty() {
        let before = score(kept.clone(), suppressed.clone());
        let mut owner: Vec<Option<usize>> = vec![None; kept.len()];
        for &i in &by_recommendation {
            let Scope::Recommendation(id) = &exceptions[i].scope else {
                continue;
            };
            for r in before.recommendations.iter().filter(|r| r.id() == *id) {
                for &f in &r.covered {
                    let Some(slot) = owner.get_mut(f) else {
                        continue;
                    };
                    if slot.is_none() && in_groups(&exceptions[i], device_of(&kept[f])) {
                        *slot = Some(i);
                    }
                }
            }
        }
        let mut still = Vec::with_capacity(kept.len());
        for (finding, owner) in kept.into_iter().zip(owner) {
            match owner {
                Some(i) => {
                    removed[i] += 1;
                    removed_devices[i].insert(finding.device_id.to_string());
                    suppressed.push(excepted(finding, &exceptions[i]));
                }
                None => still.push(finding),
            }
        }
        kept = still;
    }
    let mut assessment = score(kept, suppressed);
    // 3. Hiding exceptions: the kept findings in scope, and the recommendations they cover.
    let mut covered: Vec<Vec<usize>> = vec![Vec::new(); exceptions.len()];
    let index = ScopeIndex::new(exceptions, |i, e| in_force(i) && !removing(e));
    for (f, s) in assessment.findings.iter().enumerate() {
        let device = device_of(&s.finding);
        for i in index.candidates(&s.finding) {
            let e = &exceptions[i];
            if in_groups(e, device) && covers(e, &s.finding) {
                covered[i].push(f);
            }
        }
    }
    for (i, e) in exceptions.iter().enumerate() {
        if !in_force(i) || removing(e) {
            continue;
        }
        match &e.scope {
            Scope::Recommendation(id) => {
                let mut all: Vec<usize> = assessment
                    .recommendations
                    .iter()
                    .filter(|r| r.id() == *id)
                    .flat_map(|r| r.covered.iter().copied())
                    .filter(|&f| {
                        assessment
                            .findings
                            .get(f)
                            .is_some_and(|s| in_groups(e, device_of(&s.finding)))
                    })
                    .collect();
                all.sort_unstable();
                all.dedup();
                covered[i] = all;
            }
            // Found through the index above, in finding order.
            Scope::Vulnerability(_) | Scope::Software(_) => {}
        }
    }
    // Which hiding exceptions on vulnerabilities and products have each finding in scope (an
    // exception naming a recommendation hides that one only: a configuration change covers
    // the findings of the update too).
    let mut scoped_by: Vec<Vec<usize>> = vec![Vec::new(); assessment.findings.len()];
    for (i, findings) in covered.iter().enumerate() {
        if matches!(exceptions[i].scope, Scope::Recommendation(_)) {
            continue;
        }
        for &f in findings {
            scoped_by[f].push(i);
        }
    }
    let group_of_devices = |e: &Exception, ids: &[String]| {
        e.groups.is_empty()
            || ids
                .iter()
                .all(|d| in_groups(e, devices.get(d.as_str()).copied()))
    };
    let mut hidden_by: Vec<Vec<String>> = vec![Vec::new(); exceptions.len()];
    let recommendations = std::mem::take(&mut assessment.recommendations);
    let mut shown = Vec::with_capacity(recommendations.len());
    for r in recommendations {
        let id = r.id();
        // An exception in force naming it (of any justification: a removing one leaves
        // configuration changes, which cover no finding, listed otherwise).
        let mut by: BTreeSet<usize> = exceptions
            .iter()
            .enumerate()
            .filter(|&(i, e)| {
                in_force(i)
                    && matches!(&e.scope, Scope::Recommendation(named) if *named == id)
                    && group_of_devices(e, &r.devices)
            })
            .map(|(i, _)| i)
            .collect();
        // Or every finding it covers in the scope of hiding exceptions.
        if by.is_empty()
            && !r.covered.is_empty()
            && r.covered
                .iter()
                .all(|&f| scoped_by.get(f).is_some_and(|s| !s.is_empty()))
        {
            by.extend(r.covered.iter().flat_map(|&f| scoped_by[f].iter().copied()));
        }
        if by.is_empty() {
            shown.push(r);
        } else {
            for &i in &by {
                hidden_by[i].push(id.clone());
            }
            assessment
                .excepted_recommendations
                .push(ExceptedRecommendation {
                    exceptions: by.iter().map(|&i| exceptions[i].id.clone()).collect(),
                    recommendation: r,
                });
        }
    }
    for (rank, r) in shown.iter_mut().enumerate() {
        r.rank = rank + 1;
    }
    assessment.recommendations = shown;
    // 4. Every exception reported.
    assessment.exceptions = exceptions
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut devices = std::mem::take(&mut removed_devices[i]);
            devices.extend(
                covered[i]
                    .iter()
                    .map(|&f| assessment.findings[f].finding.device_id.to_string()),
            );
            let hidden = std::mem::take(&mut hidden_by[i]);
            let status = match judged[i] {
                Err(status) => status,
                Ok(()) if removed[i] > 0 || !covered[i].is_empty() || !hidden.is_empty() => {
                    ExceptionStatus::Applied
                }
                Ok(()) => ExceptionStatus::NotMatched,
            };
            if hidden.iter().any(|h| h.starts_with("configuration:")) {
                let named: Vec<&String> = assessment
                    .excepted_recommendations
                    .iter()
                    .filter(|x| x.exceptions.contains(&e.id))
                    .flat_map(|x| &x.recommendation.devices)
                    .collect();
                devices.extend(named.into_iter().cloned());
            }
            ExceptionOutcome {
                id: e.id.clone(),
                justification: e.justification,
                status,
                expires: e.expires,
                findings_removed: removed[i],
                findings_kept: covered[i].len(),
                recommendations_hidden: hidden,
                devices: devices.into_iter().collect(),
                covered: std::mem::take(&mut covered[i]),
            }
        })
        .collect();
    assessment
}

/// The exceptions (of those `chosen`) whose vulnerability or product scope may cover a
/// finding: vulnerability scopes by id (lower case), product scopes all (a fleet's exceptions
/// name few products); a finding is then checked against its candidates only, so that a set
/// of many exceptions costs a lookup per finding, not a walk.
struct ScopeIndex {
    by_vulnerability: HashMap<String, Vec<usize>>,
    products: Vec<usize>,
}

impl ScopeIndex {
    fn new(exceptions: &[Exception], chosen: impl Fn(usize, &Exception) -> bool) -> Self {
        let mut index = ScopeIndex {
            by_vulnerability: HashMap::new(),
            products: Vec::new(),
        };
        for (i, e) in exceptions.iter().enumerate().filter(|&(i, e)| chosen(i, e)) {
            match &e.scope {
                Scope::Vulnerability(id) => index
                    .by_vulnerability
                    .entry(id.to_ascii_lowercase())
                    .or_default()
                    .push(i),
                Scope::Software(_) => index.products.push(i),
                Scope::Recommendation(_) => {}
            }
        }
        index
    }

    /// The candidates for a finding, in set order, each once.
    fn candidates(&self, finding: &Finding) -> Vec<usize> {
        let mut out = self.products.clone();
        if !self.by_vulnerability.is_empty() {
            for id in std::iter::once(&*finding.advisory_id)
                .chain(finding.aliases.iter().map(String::as_str))
            {
                if let Some(found) = self.by_vulnerability.get(&id.to_ascii_lowercase()) {
                    out.extend(found);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A finding removed by an exception, as a suppression.
fn excepted(finding: Finding, e: &Exception) -> Suppression {
    Suppression {
        finding,
        statement: None,
        exception: Some(ExceptedBy {
            id: e.id.clone(),
            justification: e.justification,
        }),
    }
}

/// Whether the device is in one of the exception's groups (any device when it lists none; a
/// finding of a device not in the fleet only then).
fn in_groups(e: &Exception, device: Option<&Device>) -> bool {
    e.groups.is_empty() || device.is_some_and(|d| d.groups.iter().any(|g| e.groups.contains(g)))
}

/// Whether the exception's vulnerability or product scope covers the finding (a
/// recommendation scope covers none here: recommendations say what they cover).
fn covers(e: &Exception, finding: &Finding) -> bool {
    match &e.scope {
        Scope::Recommendation(_) => false,
        Scope::Vulnerability(id) => std::iter::once(&*finding.advisory_id)
            .chain(finding.aliases.iter().map(String::as_str))
            .any(|a| a.eq_ignore_ascii_case(id)),
        Scope::Software(product) => is_product(product, &finding.software),
    }
}

/// Whether installed software is the product: a package of the same ecosystem whose name is
/// the same once normalised, or software whose CPE name has the vendor and product.
pub(super) fn is_product(product: &Product, software: &Software) -> bool {
    match product {
        Product::Package { ecosystem, name } => {
            software
                .ecosystem
                .osv_name()
                .eq_ignore_ascii_case(ecosystem.osv_name())
                && software.ecosystem.normalize_name(&software.name)
                    == software.ecosystem.normalize_name(name)
        }
        Product::Cpe { vendor, product } => {
            use crate::cpe::Attribute;
            software.cpe.as_ref().is_some_and(|claim| {
                let cpe = claim.name.value();
                let literal = |a| cpe.get(a).literal().map(|s| s.to_ascii_lowercase());
                literal(Attribute::Vendor).as_deref() == Some(vendor.as_str())
                    && literal(Attribute::Product).as_deref() == Some(product.as_str())
            })
        }
    }
}
