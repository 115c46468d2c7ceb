//! The exposure model (the project's `MODEL.md`): per finding a probability of harm, per device
//! the chance that at least one finding is harmful, per organisation a device-value-weighted
//! mean. All parameters live in [`Parameters`], whose version is recorded in every assessment.
//!
//! Formulas:
//! - finding: impact `I` = CVSS v3.x base score / 10 (else the severity word mapped to
//!   0.2 / 0.5 / 0.8 / 1.0, else 0.5, reported as assumed); likelihood `L` = a prior from the
//!   vector's attack vector, privileges and user interaction; risk `r = L × I`;
//! - device: `R = 1 − Π (1 − r)`, score `100 × R`;
//! - organisation: `E = Σ w·score / Σ w` with weights low 0.75, normal 1, high `N / 10`
//!   (`N` = number of devices) but never below [`Parameters::high_value_weight_floor`];
//! - levels (Defender's): 0–29 low, 30–69 medium, 70–100 high.

use crate::inventory::DeviceValue;
use crate::score::cvss::CvssV3;
use serde::Serialize;

/// Defender's exposure levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExposureLevel {
    /// Score below 30.
    Low,
    /// Score from 30 to below 70.
    Medium,
    /// Score of 70 and above.
    High,
}

impl ExposureLevel {
    /// The level of a 0–100 score.
    ///
    /// ```
    /// use exposure::score::exposure::ExposureLevel;
    /// assert_eq!(ExposureLevel::of_score(29.9), ExposureLevel::Low);
    /// assert_eq!(ExposureLevel::of_score(30.0), ExposureLevel::Medium);
    /// assert_eq!(ExposureLevel::of_score(70.0), ExposureLevel::High);
    /// ```
    pub fn of_score(score: f64) -> Self {
        if score < 30.0 {
            ExposureLevel::Low
        } else if score < 70.0 {
            ExposureLevel::Medium
        } else {
            ExposureLevel::High
        }
    }

    /// The lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            ExposureLevel::Low => "low",
            ExposureLevel::Medium => "medium",
            ExposureLevel::High => "high",
        }
    }
}

/// Every tunable number of the model, with its rationale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameters {
    /// Recorded in every assessment so a score can be reproduced.
    pub version: String,
    /// Impact of a finding whose record has a severity word but no usable CVSS vector:
    /// low, moderate/medium, high, critical (MODEL.md).
    pub severity_word_impact: [f64; 4],
    /// Impact when a record has no severity at all (MODEL.md: 0.5, reported as assumed).
    pub unknown_impact: f64,
    /// Likelihood prior for a network flaw needing neither privileges nor user interaction.
    /// Rationale: these are the flaws mass exploitation goes for; EPSS puts such CVEs an
    /// order of magnitude above local ones.
    pub prior_network_unauthenticated: f64,
    /// Likelihood prior for other network flaws (privileges or user interaction needed).
    pub prior_network_other: f64,
    /// Likelihood prior for adjacent-network flaws.
    pub prior_adjacent: f64,
    /// Likelihood prior for local flaws.
    pub prior_local: f64,
    /// Likelihood prior for physical-access flaws.
    pub prior_physical: f64,
    /// Likelihood prior when the record has no vector to judge exploitability by.
    pub prior_unknown: f64,
    /// Weight of a low-value device.
    pub low_value_weight: f64,
    /// Weight of a normal device.
    pub normal_value_weight: f64,
    /// A high-value device weighs `N / 10` (Defender), but at least this much. Deviation from
    /// MODEL.md, on purpose: in fleets under ten devices `N / 10 < 1` would make a high-value
    /// device count *less* than a normal one, inverting the intent. Set 0 for the plain rule.
    pub high_value_weight_floor: f64,
}

impl Default for Parameters {
    fn default() -> Self {
        Self {
            version: "exposure-model/0.1".to_owned(),
            severity_word_impact: [0.2, 0.5, 0.8, 1.0],
            unknown_impact: 0.5,
            prior_network_unauthenticated: 0.3,
            prior_network_other: 0.15,
            prior_adjacent: 0.08,
            prior_local: 0.04,
            prior_physical: 0.01,
            prior_unknown: 0.1,
            low_value_weight: 0.75,
            normal_value_weight: 1.0,
            high_value_weight_floor: 1.0,
        }
    }
}

/// Where a finding's impact came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImpactSource {
    /// A CVSS v3.x base score.
    CvssV3Base,
    /// The record's severity word.
    SeverityWord,
    /// Nothing: the model's default was assumed.
    Assumed,
}

/// Where a finding's likelihood came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LikelihoodRule {
    /// Network, no privileges, no user interaction.
    PriorNetworkUnauthenticated,
    /// Network, with privileges or user interaction.
    PriorNetworkOther,
    /// Adjacent network.
    PriorAdjacent,
    /// Local.
    PriorLocal,
    /// Physical.
    PriorPhysical,
    /// No vector: the default prior.
    PriorUnknown,
}

/// The model's terms for one finding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FindingRisk {
    /// `I` in [0, 1].
    pub impact: f64,
    /// Where `I` came from.
    pub impact_source: ImpactSource,
    /// `L` in [0, 1].
    pub likelihood: f64,
    /// Which rule set `L`.
    pub likelihood_rule: LikelihoodRule,
    /// `r = L × I`.
    pub risk: f64,
}

impl Parameters {
    /// The impact and likelihood of a finding from its record's CVSS v3 vector (if any) and
    /// severity word (if any).
    ///
    /// ```
    /// use exposure::score::exposure::{ImpactSource, Parameters};
    /// let p = Parameters::default();
    /// let v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".parse().ok();
    /// let r = p.finding_risk(v.as_ref(), None);
    /// assert_eq!(r.impact_source, ImpactSource::CvssV3Base);
    /// assert!((r.risk - 0.75 * 0.3).abs() < 1e-12);
    /// ```
    pub fn finding_risk(&self, cvss: Option<&CvssV3>, severity_word: Option<&str>) -> FindingRisk {
        let (impact, impact_source) = match (cvss, severity_word.and_then(|w| self.word_impact(w)))
        {
            (Some(v), _) => (v.base_score() / 10.0, ImpactSource::CvssV3Base),
            (None, Some(i)) => (i, ImpactSource::SeverityWord),
            (None, None) => (self.unknown_impact, ImpactSource::Assumed),
        };
        let (likelihood, likelihood_rule) = match cvss {
            None => (self.prior_unknown, LikelihoodRule::PriorUnknown),
            Some(v) => match v.attack_vector() {
                'N' if v.privileges_required() == 'N' && v.user_interaction() == 'N' => (
                    self.prior_network_unauthenticated,
                    LikelihoodRule::PriorNetworkUnauthenticated,
                ),
                'N' => (self.prior_network_other, LikelihoodRule::PriorNetworkOther),
                'A' => (self.prior_adjacent, LikelihoodRule::PriorAdjacent),
                'L' => (self.prior_local, LikelihoodRule::PriorLocal),
                _ => (self.prior_physical, LikelihoodRule::PriorPhysical),
            },
        };
        FindingRisk {
            impact,
            impact_source,
            likelihood,
            likelihood_rule,
            risk: impact * likelihood,
        }
    }

    fn word_impact(&self, word: &str) -> Option<f64> {
        let index = match word.trim().to_ascii_uppercase().as_str() {
            "LOW" => 0,
            "MODERATE" | "MEDIUM" => 1,
            "HIGH" | "IMPORTANT" => 2,
            "CRITICAL" => 3,
            _ => return None,
        };
        Some(self.severity_word_impact[index])
    }

    /// The weight of a device of this value in a fleet of `device_count` devices.
    ///
    /// ```
    /// use exposure::{inventory::DeviceValue, score::exposure::Parameters};
    /// let p = Parameters::default();
    /// assert_eq!(p.device_weight(DeviceValue::High, 50), 5.0);
    /// assert_eq!(p.device_weight(DeviceValue::High, 4), 1.0); // floor, see the field's docs
    /// assert_eq!(p.device_weight(DeviceValue::Low, 4), 0.75);
    /// ```
    pub fn device_weight(&self, value: DeviceValue, device_count: usize) -> f64 {
        match value {
            DeviceValue::Low => self.low_value_weight,
            DeviceValue::Normal => self.normal_value_weight,
            #[allow(clippy::cast_precision_loss)]
            DeviceValue::High => (device_count as f64 / 10.0).max(self.high_value_weight_floor),
        }
    }
}

/// The device score `100 × (1 − Π (1 − r))` of a set of finding risks.
///
/// ```
/// use exposure::score::exposure::device_score;
/// assert_eq!(device_score([]), 0.0);
/// assert!((device_score([0.5, 0.5]) - 75.0).abs() < 1e-9);
/// ```
pub fn device_score(risks: impl IntoIterator<Item = f64>) -> f64 {
    let survive: f64 = risks.into_iter().map(|r| 1.0 - r.clamp(0.0, 1.0)).product();
    100.0 * (1.0 - survive)
}

/// The organisation score: the weighted mean of device scores (0 for an empty fleet).
///
/// ```
/// use exposure::score::exposure::organisation_score;
/// assert_eq!(organisation_score([(80.0, 1.0), (20.0, 3.0)]), 35.0);
/// ```
pub fn organisation_score(scored: impl IntoIterator<Item = (f64, f64)>) -> f64 {
    let (sum, weights) = scored
        .into_iter()
        .fold((0.0, 0.0), |(s, w), (score, weight)| {
            (s + score * weight, w + weight)
        });
    if weights > 0.0 {
        sum / weights
    } else {
        0.0
    }
}
