//! Explanations of an assessment's scores (issue 13, item 5): for a device, its findings
//! ordered by what each adds to the device's score, with the terms of the model that made
//! it (`I`, `L` and the rule or data that set `L`, `r`); for the organisation, its devices
//! ordered by what each adds to the organisation's score.
//!
//! - A finding's **marginal** contribution is the device's score now minus its score without
//!   that finding, in score points (exact: the noisy-OR recomputed without it). Its
//!   **share** is its marginal over the sum of the device's marginals. Under the noisy-OR
//!   `100 × (1 − Π (1 − r))` the marginals of several findings sum to *less* than the score
//!   (each is what remains once the others are counted), so a share is a ranking weight, not
//!   a part of the score; each finding's `r` and the device's score are given beside it.
//! - A device's **contribution** to the organisation is `w · score / Σ w`: these sum exactly
//!   to the organisation's score `E`, and its share is its contribution over `E`.
//!
//! ```
//! let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
//! let org = a.explain_organisation();
//! let total: f64 = org.devices.iter().map(|d| d.contribution).sum();
//! assert!((total - a.organisation.score).abs() < 1e-9);
//! let device = a.explain_device(&org.devices[0].device_id).unwrap();
//! assert!(device.findings.windows(2).all(|w| w[0].marginal >= w[1].marginal));
//! ```

use crate::assessment::{Assessment, ScoredFinding};
use crate::inventory::DeviceValue;
use crate::score::exploitation::Exploitation;
use crate::score::exposure::{ExposureLevel, ImpactSource, LikelihoodRule};
use crate::score::likelihood::{Base, Likelihood};
use serde::Serialize;
use std::sync::Arc;

/// Why one device scores what it does: its findings ordered by marginal contribution.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let e = a.explain_device("api-gw-01").unwrap();
/// assert_eq!(e.findings.len(), a.devices.iter().find(|d| d.device_id == "api-gw-01").unwrap().findings);
/// assert!(e.marginal_sum <= e.score + 1e-9); // the noisy-OR's marginals sum to at most the score
/// assert!(a.explain_device("no-such-device").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceExplanation {
    /// The model's parameter version.
    pub model_version: String,
    /// The device's id.
    pub device_id: String,
    /// Its display name.
    pub name: String,
    /// Its value.
    pub value: DeviceValue,
    /// Its weight in the organisation score.
    pub weight: f64,
    /// Its exposure score, 0–100: `100 × (1 − Π (1 − r))` over its unmitigated findings.
    pub score: f64,
    /// Its exposure level.
    pub level: ExposureLevel,
    /// The sum of its findings' marginals (at most `score`: see the module's docs); the
    /// denominator of each share.
    pub marginal_sum: f64,
    /// Its findings, by marginal contribution (largest first; ties by risk, then advisory,
    /// software and version).
    pub findings: Vec<FindingExplanation>,
}

/// One finding of a device with the model's terms and its marginal contribution.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let f = &a.explain_device("api-gw-01").unwrap().findings[0];
/// assert!((f.risk - f.impact * f.likelihood).abs() < 1e-12);
/// assert!(f.marginal > 0.0 && f.share > 0.0 && f.share <= 1.0);
/// assert!(!f.set_by.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingExplanation {
    /// The advisory's id.
    pub advisory_id: String,
    /// Its CVE ids (the advisory's own when it is a CVE, and its CVE aliases).
    pub cves: Vec<String>,
    /// The software's ecosystem.
    pub ecosystem: String,
    /// The software's name.
    pub software: String,
    /// The installed version.
    pub version: String,
    /// `I` in [0, 1].
    pub impact: f64,
    /// Where `I` came from.
    pub impact_source: ImpactSource,
    /// `L` in [0, 1].
    pub likelihood: f64,
    /// The rule that set `L` last.
    pub likelihood_rule: LikelihoodRule,
    /// The rule that set `L` and its data, in words (`EPSS 0.42 (CVE-2023-44487)`,
    /// `KEV floor 0.8`, `internet-facing odds ×3`; see [`FindingExplanation::set_by_text`]).
    pub set_by: String,
    /// How `L` came about: the base's evidence (EPSS CVE and probability, or the fitted
    /// prior's class, class size and probability), then every step (rule, parameter, `L`).
    pub likelihood_steps: Likelihood,
    /// `r = L × I`.
    pub risk: f64,
    /// The device's score minus its score without this finding, in score points (0 when
    /// mitigated).
    pub marginal: f64,
    /// `marginal` over the sum of the device's marginals (0 when that sum is 0).
    pub share: f64,
    /// The passing configuration check that mitigates it (it then counts 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mitigated_by: Option<String>,
    /// KEV and EPSS facts about the vulnerability.
    #[serde(flatten)]
    pub threat: Arc<Exploitation>,
}

impl FindingExplanation {
    /// The columns of a flat table of finding explanations (the serialised fields, in
    /// order), for data frames.
    pub const COLUMNS: [&'static str; 17] = [
        "advisory_id",
        "cves",
        "ecosystem",
        "software",
        "version",
        "impact",
        "impact_source",
        "likelihood",
        "likelihood_rule",
        "set_by",
        "likelihood_steps",
        "risk",
        "marginal",
        "share",
        "mitigated_by",
        "known_exploited",
        "epss",
    ];

    /// The rule that set a likelihood and its data, in words: the last step's rule with its
    /// parameter (`KEV floor 0.8`, `unimportant ×0.1`, `internet-facing odds ×3`, `alert`),
    /// or, when the base set it, the base's evidence (`EPSS 0.42 (CVE-…)`,
    /// `prior AV:N/PR:N/UI:N (n=4705)`).
    ///
    /// ```
    /// use exposure::explain::FindingExplanation;
    /// use exposure::score::{exposure::Parameters, likelihood::*, priors::Prior};
    /// use std::sync::Arc;
    /// let p = Parameters::default();
    /// let prior = Prior { probability: 0.05, class: "AV:N/PR:N/UI:N".into(), class_size: 4705 };
    /// let record = Arc::new(RecordLikelihood::new(&p, None, None, prior, ThreatFacts::default()));
    /// let plain = Likelihood::new(&p, Arc::clone(&record), FindingContext::default());
    /// assert_eq!(FindingExplanation::set_by_text(&plain), "prior AV:N/PR:N/UI:N (n=4705)");
    /// let alerted = Likelihood::new(&p, record, FindingContext { alert: true, ..Default::default() });
    /// assert_eq!(FindingExplanation::set_by_text(&alerted), "alert");
    /// ```
    pub fn set_by_text(likelihood: &Likelihood) -> String {
        let Some(last) = likelihood.steps().last() else {
            return String::new();
        };
        let p = short(last.parameter);
        match last.rule {
            LikelihoodRule::Epss | LikelihoodRule::Prior => match &likelihood.record.base {
                Base::Epss { cve, probability } => format!("EPSS {} ({cve})", short(*probability)),
                Base::Prior(prior) => format!("prior {} (n={})", prior.class, prior.class_size),
            },
            LikelihoodRule::Kev => format!("KEV floor {p}"),
            LikelihoodRule::KevRansomware => format!("KEV ransomware floor {p}"),
            LikelihoodRule::ExploitAttacked => format!("exploited (E:A/H) floor {p}"),
            LikelihoodRule::ExploitFunctional => format!("functional exploit floor {p}"),
            LikelihoodRule::ExploitProofOfConcept => format!("proof of concept floor {p}"),
            LikelihoodRule::Unimportant => format!("unimportant ×{p}"),
            LikelihoodRule::EndOfLife => format!("end-of-life ×{p}"),
            LikelihoodRule::WillNotFix => format!("will not fix ×{p}"),
            LikelihoodRule::Disputed => format!("disputed ×{p}"),
            LikelihoodRule::InternetFacing => format!("internet-facing odds ×{p}"),
            LikelihoodRule::NeverRun => format!("never run odds ×{p}"),
            LikelihoodRule::NotUsedRecently => format!("not used recently odds ×{p}"),
            LikelihoodRule::ActiveAlert => "alert".to_owned(),
        }
    }
}

/// A number with at most three decimals, without trailing zeros (`0.42`, `3`, `0.333`).
fn short(x: f64) -> String {
    let text = format!("{x:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

/// Why the organisation scores what it does: its devices ordered by contribution.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let org = a.explain_organisation();
/// assert_eq!(org.devices.len(), a.devices.len());
/// assert!(org.devices.windows(2).all(|w| w[0].contribution >= w[1].contribution));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganisationExplanation {
    /// The model's parameter version.
    pub model_version: String,
    /// The organisation's score `E = Σ w · score / Σ w`.
    pub score: f64,
    /// Its level.
    pub level: ExposureLevel,
    /// `Σ w`.
    pub total_weight: f64,
    /// The devices by contribution (largest first; ties by id).
    pub devices: Vec<DeviceContribution>,
}

/// One device's part of the organisation's score.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let org = a.explain_organisation();
/// let d = &org.devices[0];
/// assert!((d.contribution - d.weight * d.score / org.total_weight).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceContribution {
    /// The device's id.
    pub device_id: String,
    /// Its display name.
    pub name: String,
    /// Its value.
    pub value: DeviceValue,
    /// Its weight `w`.
    pub weight: f64,
    /// Its exposure score, 0–100.
    pub score: f64,
    /// Its level.
    pub level: ExposureLevel,
    /// Its findings.
    pub findings: usize,
    /// `w · score / Σ w`, in organisation score points: the devices' contributions sum to
    /// the organisation's score.
    pub contribution: f64,
    /// `contribution / E` (0 when `E` is 0).
    pub share: f64,
}

impl DeviceContribution {
    /// The columns of a flat table of device contributions (the serialised fields, in
    /// order), for data frames.
    pub const COLUMNS: [&'static str; 9] = [
        "device_id",
        "name",
        "value",
        "weight",
        "score",
        "level",
        "findings",
        "contribution",
        "share",
    ];
}

impl Assessment {
    /// The explanation of one device's score, or `None` when no device has that id.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let e = a.explain_device("api-gw-01").unwrap();
    /// assert_eq!(e.device_id, "api-gw-01");
    /// ```
    pub fn explain_device(&self, device_id: &str) -> Option<DeviceExplanation> {
        let device = self.devices.iter().find(|d| d.device_id == device_id)?;
        let own: Vec<&ScoredFinding> = self
            .findings
            .iter()
            .filter(|f| &*f.finding.device_id == device_id)
            .collect();
        // The score without finding i is 100 × (1 − Π_{j≠i} (1 − r_j)): the products of the
        // findings before and after it, so that a device of n findings takes O(n).
        let survive: Vec<f64> = own
            .iter()
            .map(|f| 1.0 - f.contribution().clamp(0.0, 1.0))
            .collect();
        let mut after = vec![1.0; survive.len() + 1];
        for i in (0..survive.len()).rev() {
            after[i] = after[i + 1] * survive[i];
        }
        let mut before = 1.0;
        let marginals: Vec<f64> = survive
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let without = 100.0 * (1.0 - before * after[i + 1]);
                before *= s;
                if s >= 1.0 {
                    0.0 // counts 0 (mitigated, or r = 0): removing it changes nothing
                } else {
                    (device.score - without).max(0.0)
                }
            })
            .collect();
        let marginal_sum: f64 = marginals.iter().sum();
        let mut findings: Vec<FindingExplanation> = own
            .iter()
            .zip(&marginals)
            .map(|(f, &marginal)| explained(f, marginal, marginal_sum))
            .collect();
        findings.sort_by(|a, b| {
            b.marginal
                .total_cmp(&a.marginal)
                .then(b.risk.total_cmp(&a.risk))
                .then_with(|| a.advisory_id.cmp(&b.advisory_id))
                .then_with(|| a.software.cmp(&b.software))
                .then_with(|| a.version.cmp(&b.version))
        });
        Some(DeviceExplanation {
            model_version: self.model_version.clone(),
            device_id: device.device_id.clone(),
            name: device.name.clone(),
            value: device.value,
            weight: device.weight,
            score: device.score,
            level: device.level,
            marginal_sum,
            findings,
        })
    }

    /// The explanation of the organisation's score: each device's contribution.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let org = a.explain_organisation();
    /// assert_eq!(org.score, a.organisation.score);
    /// ```
    pub fn explain_organisation(&self) -> OrganisationExplanation {
        let total_weight: f64 = self.devices.iter().map(|d| d.weight).sum();
        let score = self.organisation.score;
        let mut devices: Vec<DeviceContribution> = self
            .devices
            .iter()
            .map(|d| {
                let contribution = if total_weight > 0.0 {
                    d.weight * d.score / total_weight
                } else {
                    0.0
                };
                DeviceContribution {
                    device_id: d.device_id.clone(),
                    name: d.name.clone(),
                    value: d.value,
                    weight: d.weight,
                    score: d.score,
                    level: d.level,
                    findings: d.findings,
                    contribution,
                    share: if score > 0.0 {
                        contribution / score
                    } else {
                        0.0
                    },
                }
            })
            .collect();
        devices.sort_by(|a, b| {
            b.contribution
                .total_cmp(&a.contribution)
                .then_with(|| a.device_id.cmp(&b.device_id))
        });
        OrganisationExplanation {
            model_version: self.model_version.clone(),
            score,
            level: self.organisation.level,
            total_weight,
            devices,
        }
    }
}

/// The explanation of one scored finding with its marginal.
fn explained(f: &ScoredFinding, marginal: f64, marginal_sum: f64) -> FindingExplanation {
    let finding = &f.finding;
    let cves = std::iter::once(&*finding.advisory_id)
        .chain(finding.aliases.iter().map(String::as_str))
        .filter(|id| id.starts_with("CVE-"))
        .fold(Vec::<String>::new(), |mut out, id| {
            if !out.iter().any(|x| x == id) {
                out.push(id.to_owned());
            }
            out
        });
    FindingExplanation {
        advisory_id: finding.advisory_id.to_string(),
        cves,
        ecosystem: finding.software.ecosystem.to_string(),
        software: finding.software.name.clone(),
        version: finding.software.version.clone(),
        impact: f.risk.impact,
        impact_source: f.risk.impact_source,
        likelihood: f.risk.likelihood,
        likelihood_rule: f.risk.likelihood_rule,
        set_by: FindingExplanation::set_by_text(&f.risk.likelihood_steps),
        likelihood_steps: f.risk.likelihood_steps.clone(),
        risk: f.risk.risk,
        marginal,
        share: if marginal_sum > 0.0 {
            marginal / marginal_sum
        } else {
            0.0
        },
        mitigated_by: f.mitigated_by.clone(),
        threat: Arc::clone(&f.threat),
    }
}

#[cfg(test)]
mod tests;
