//! The exposure model (the project's `MODEL.md`): per finding a probability of harm, per device
//! the chance that at least one finding is harmful, per organisation a device-value-weighted
//! mean. All parameters live in [`Parameters`], whose version is recorded in every assessment.
//!
//! Formulas:
//! - finding: impact `I` from the best score the record has ([`crate::score::impact`]);
//!   likelihood `L` from EPSS or a fitted prior, threat floors, vendor triage and the
//!   device's context ([`crate::score::likelihood`]); risk `r = L × I`;
//! - device: `R = 1 − Π (1 − r)`, score `100 × R`;
//! - organisation: `E = Σ w·score / Σ w` with weights low 0.75, normal 1, high `N / 10`
//!   (`N` = number of devices) but never below [`Parameters::high_value_weight_floor`];
//! - levels (Defender's): 0–29 low, 30–69 medium, 70–100 high.

use crate::inventory::DeviceValue;
pub use crate::score::impact::ImpactSource;
use crate::score::likelihood::Likelihood;
pub use crate::score::likelihood::LikelihoodRule;
use serde::{Deserialize, Serialize};

/// Defender's exposure levels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
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

/// Every tunable number of the model, with its rationale (the project's `docs/model.md`
/// gives the derivations). Read from JSON with defaults for what is not given
/// ([`Parameters::from_json`]), so a caller overrides only what it means to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Parameters {
    /// Recorded in every assessment so a score can be reproduced.
    pub version: String,
    /// Impact of a finding whose record has a severity word but no usable CVSS vector:
    /// low, moderate/medium, high, critical (MODEL.md).
    pub severity_word_impact: [f64; 4],
    /// Impact when a record has no severity at all (MODEL.md: 0.5, reported as assumed).
    pub unknown_impact: f64,
    /// KEV floor: CISA has seen the flaw exploited in the wild. Policy, informed by data: the
    /// CVEs later listed in KEV averaged only 0.21 in the 2021 EPSS snapshot, so EPSS alone
    /// understates them; 0.8 puts one KEV-listed critical network flaw (I ≈ 1) in the high
    /// level on its own, as a product must show it.
    pub kev_floor: f64,
    /// KEV floor with known ransomware use (their 2021 EPSS mean: 0.31).
    pub kev_ransomware_floor: f64,
    /// Floor for exploit maturity "attacked" (v4 `E:A`) / "high" (v3, v2 `E:H`): exploitation
    /// reported, or autonomous exploit code.
    pub exploit_attacked_floor: f64,
    /// Floor for a functional exploit (v3, v2 `E:F`): about the 99th percentile of EPSS.
    pub exploit_functional_floor: f64,
    /// Floor for a proof of concept (v4, v3 `E:P`, v2 `E:POC`): about the 95th percentile.
    pub exploit_poc_floor: f64,
    /// Factor on `L` for Debian's urgency `unimportant` ("negligible security impact").
    pub unimportant_factor: f64,
    /// Factor on `L` for Debian's `end-of-life` (support ended: the flaw stays real, the
    /// uninstall / upgrade recommendation carries it).
    pub end_of_life_factor: f64,
    /// Factor on `L` for another decision not to fix.
    pub will_not_fix_factor: f64,
    /// Factor on `L` for a disputed record.
    pub disputed_factor: f64,
    /// Factor on the odds of a network-reachable flaw (`AV:N`) on an internet-facing device.
    pub internet_facing_odds: f64,
    /// Factor on the odds for software installed but never run.
    pub never_run_odds: f64,
    /// Factor on the odds for software not used for more than
    /// [`Parameters::not_used_after_days`].
    pub not_used_odds: f64,
    /// Days without use after which software counts as not used recently.
    pub not_used_after_days: u32,
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
            version: "exposure-model/1.0".to_owned(),
            severity_word_impact: [0.2, 0.5, 0.8, 1.0],
            unknown_impact: 0.5,
            kev_floor: 0.8,
            kev_ransomware_floor: 0.9,
            exploit_attacked_floor: 0.5,
            exploit_functional_floor: 0.35,
            exploit_poc_floor: 0.1,
            unimportant_factor: 0.1,
            end_of_life_factor: 0.5,
            will_not_fix_factor: 0.25,
            disputed_factor: 0.25,
            internet_facing_odds: 3.0,
            never_run_odds: 0.1,
            not_used_odds: 1.0 / 3.0,
            not_used_after_days: 90,
            low_value_weight: 0.75,
            normal_value_weight: 1.0,
            high_value_weight_floor: 1.0,
        }
    }
}

/// Why a parameter set was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model parameters: {0}")]
pub struct ParametersError(String, Option<usize>);

impl ParametersError {
    /// The byte offset in the JSON text of the place the message names (a syntax error or a
    /// field that does not read), if it names one.
    ///
    /// ```
    /// use exposure::score::exposure::Parameters;
    /// assert_eq!(Parameters::from_json("{\"kev_floor\": }").unwrap_err().offset(), Some(14));
    /// assert_eq!(Parameters::from_json("{\"kev_floor\": 2}").unwrap_err().offset(), None);
    /// ```
    pub fn offset(&self) -> Option<usize> {
        self.1
    }

    fn plain(message: String) -> Self {
        ParametersError(message, None)
    }
}

/// The model's terms for one finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRisk {
    /// `I` in [0, 1].
    pub impact: f64,
    /// Where `I` came from.
    pub impact_source: ImpactSource,
    /// The device's value set the vector's security requirements (`CR`/`IR`/`AR`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub impact_requirements: bool,
    /// `L` in [0, 1].
    pub likelihood: f64,
    /// The rule that set `L` last.
    pub likelihood_rule: LikelihoodRule,
    /// How `L` came about: its base's evidence, then every step.
    pub likelihood_steps: Likelihood,
    /// `r = L × I`.
    pub risk: f64,
}

impl Parameters {
    /// Reads a parameter set from JSON; fields not given keep their defaults, unknown fields
    /// and values out of range are refused.
    ///
    /// ```
    /// use exposure::score::exposure::Parameters;
    /// let p = Parameters::from_json(r#"{"version": "acme/1", "kev_floor": 0.7}"#)?;
    /// assert_eq!((p.kev_floor, p.unimportant_factor), (0.7, Parameters::default().unimportant_factor));
    /// assert!(Parameters::from_json(r#"{"kev_floor": 1.5}"#).is_err());
    /// assert!(Parameters::from_json(r#"{"kev_flor": 0.5}"#).is_err());
    /// # Ok::<(), exposure::score::exposure::ParametersError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self, ParametersError> {
        let parameters: Parameters = serde_json::from_str(text)
            .map_err(|e| ParametersError(e.to_string(), crate::json_error_offset(text, &e)))?;
        parameters.validate()?;
        Ok(parameters)
    }

    /// Checks every value's range: probabilities, floors and factors on `L` in [0, 1], odds
    /// factors and weights finite and non-negative.
    pub fn validate(&self) -> Result<(), ParametersError> {
        let unit = [
            ("unknown_impact", self.unknown_impact),
            ("kev_floor", self.kev_floor),
            ("kev_ransomware_floor", self.kev_ransomware_floor),
            ("exploit_attacked_floor", self.exploit_attacked_floor),
            ("exploit_functional_floor", self.exploit_functional_floor),
            ("exploit_poc_floor", self.exploit_poc_floor),
            ("unimportant_factor", self.unimportant_factor),
            ("end_of_life_factor", self.end_of_life_factor),
            ("will_not_fix_factor", self.will_not_fix_factor),
            ("disputed_factor", self.disputed_factor),
        ]
        .into_iter()
        .chain(
            self.severity_word_impact
                .iter()
                .map(|&v| ("severity_word_impact", v)),
        );
        for (name, value) in unit {
            if !(0.0..=1.0).contains(&value) {
                return Err(ParametersError::plain(format!(
                    "{name} is {value}, expected a number from 0 to 1"
                )));
            }
        }
        for (name, value) in [
            ("internet_facing_odds", self.internet_facing_odds),
            ("never_run_odds", self.never_run_odds),
            ("not_used_odds", self.not_used_odds),
            ("low_value_weight", self.low_value_weight),
            ("normal_value_weight", self.normal_value_weight),
            ("high_value_weight_floor", self.high_value_weight_floor),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(ParametersError::plain(format!(
                    "{name} is {value}, expected a finite number of at least 0"
                )));
            }
        }
        Ok(())
    }

    /// The impact a severity word maps to (`LOW`, `MODERATE`/`MEDIUM`, `HIGH`/`IMPORTANT`,
    /// `CRITICAL`, any case).
    ///
    /// ```
    /// use exposure::score::exposure::Parameters;
    /// assert_eq!(Parameters::default().word_impact("Important"), Some(0.8));
    /// assert_eq!(Parameters::default().word_impact("unknown"), None);
    /// ```
    pub fn word_impact(&self, word: &str) -> Option<f64> {
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
