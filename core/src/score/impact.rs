//! A finding's impact `I` in [0, 1]: the best score its record has — CVSS v4 (its one score,
//! base with whatever threat and environmental metrics the vector gives), else v3.x (its
//! environmental or temporal score when the vector gives those metrics), else v2 (likewise),
//! each divided by 10; else the severity word mapped to 0.2 / 0.5 / 0.8 / 1.0; else the
//! assumed default. Where the device's value is high or low and the vector states no
//! security requirements of its own, `CR`, `IR` and `AR` follow the value (`H` or `L`), as
//! CVSS's environmental group intends; a normal device leaves them undefined (`M`).

use crate::ecosystem::Ecosystem;
use crate::inventory::DeviceValue;
use crate::kb::Advisory;
use crate::load_report::{Consequence, Problem};
use crate::score::cvss::{Cvss, CvssVersion};
use serde::Serialize;

/// Where a finding's impact came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImpactSource {
    /// A CVSS v4.0 vector.
    CvssV4,
    /// A CVSS v3.0 or v3.1 vector.
    CvssV3,
    /// A CVSS v2 vector.
    CvssV2,
    /// The record's severity word.
    SeverityWord,
    /// Nothing: the model's default was assumed.
    Assumed,
}

impl ImpactSource {
    /// The source of a vector of this version.
    fn of(version: CvssVersion) -> Self {
        match version {
            CvssVersion::V40 => ImpactSource::CvssV4,
            CvssVersion::V30 | CvssVersion::V31 => ImpactSource::CvssV3,
            CvssVersion::V2 => ImpactSource::CvssV2,
        }
    }
}

/// The record-level facts impact is computed from: the chosen vector and, per device value,
/// its score.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordImpact {
    /// The vector chosen (see [`best_cvss`]).
    pub cvss: Option<Cvss>,
    /// `I` and its source for a device of value low, normal, high (in that order).
    pub by_value: [(f64, ImpactSource); 3],
    /// Whether the device's value changed the score (the vector gave no requirements of its
    /// own), for low, normal, high.
    pub requirements_applied: [bool; 3],
}

impl RecordImpact {
    /// The impact terms of a record with `cvss` (the best vector it has) and severity `word`:
    /// `word_impact` maps a word to its impact, `unknown` is the assumed default.
    ///
    /// ```
    /// use exposure::inventory::DeviceValue;
    /// use exposure::score::impact::{ImpactSource, RecordImpact};
    /// let v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N".parse().ok();
    /// let impact = RecordImpact::new(v, None, |_| None, 0.5);
    /// assert_eq!(impact.of(DeviceValue::Normal), (0.82, ImpactSource::CvssV3));
    /// assert!(impact.of(DeviceValue::High).0 > 0.65 && impact.of(DeviceValue::Low).0 < 0.65);
    /// let none = RecordImpact::new(None, None, |_| None, 0.5);
    /// assert_eq!(none.of(DeviceValue::High), (0.5, ImpactSource::Assumed));
    /// ```
    pub fn new(
        cvss: Option<Cvss>,
        word: Option<&str>,
        word_impact: impl Fn(&str) -> Option<f64>,
        unknown: f64,
    ) -> Self {
        let fallback = word
            .and_then(&word_impact)
            .map_or((unknown, ImpactSource::Assumed), |i| {
                (i, ImpactSource::SeverityWord)
            });
        let Some(vector) = &cvss else {
            return RecordImpact {
                cvss,
                by_value: [fallback; 3],
                requirements_applied: [false; 3],
            };
        };
        let source = ImpactSource::of(vector.version_id());
        let mut by_value = [(vector.score() / 10.0, source); 3];
        let mut requirements_applied = [false; 3];
        for (slot, level) in [(0, "L"), (2, "H")] {
            if let Some(adjusted) = vector.with_requirements(level) {
                by_value[slot] = (adjusted.score() / 10.0, source);
                requirements_applied[slot] = true;
            }
        }
        RecordImpact {
            cvss,
            by_value,
            requirements_applied,
        }
    }

    /// `I` and its source on a device of `value`.
    pub fn of(&self, value: DeviceValue) -> (f64, ImpactSource) {
        self.by_value[slot(value)]
    }

    /// Whether the device's value set the vector's security requirements.
    pub fn requirements_applied(&self, value: DeviceValue) -> bool {
        self.requirements_applied[slot(value)]
    }
}

fn slot(value: DeviceValue) -> usize {
    match value {
        DeviceValue::Low => 0,
        DeviceValue::Normal => 1,
        DeviceValue::High => 2,
    }
}

/// The best CVSS vector an advisory has for software of `ecosystem`: v4, else v3.x, else v2;
/// within a version, in [`Advisory::preferred_severities`] order, the first that parses. A
/// vector that does not parse, or that is stated under another version's type, is reported
/// through `problem` and passed over — never scored by default.
///
/// ```
/// use exposure::{ecosystem::Ecosystem, kb::KnowledgeBase, score::impact::best_cvss};
/// let mut kb = KnowledgeBase::new();
/// kb.load_text(r#"{"id": "CVE-2024-0001", "severity": [
///   {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
///   {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U"}]}"#, "osv");
/// let best = best_cvss(kb.get("CVE-2024-0001").unwrap(), &Ecosystem::Npm, |_| {}).unwrap();
/// assert_eq!(best.version(), "4.0");
/// ```
pub fn best_cvss(
    advisory: &Advisory,
    ecosystem: &Ecosystem,
    mut problem: impl FnMut(Problem),
) -> Option<Cvss> {
    for (kind, accepts) in [
        ("CVSS_V4", &[CvssVersion::V40][..]),
        ("CVSS_V3", &[CvssVersion::V30, CvssVersion::V31][..]),
        ("CVSS_V2", &[CvssVersion::V2][..]),
    ] {
        for severity in advisory.preferred_severities(ecosystem, kind) {
            let reason = match severity.cvss() {
                Some(Ok(v)) if accepts.contains(&v.version_id()) => return Some(v.clone()),
                Some(Ok(other)) => format!("CVSS {} vector stated as {kind}", other.version()),
                Some(Err(e)) => e.to_string(),
                None => continue,
            };
            problem(Problem::new(
                &severity.source,
                Some(&advisory.id),
                "severity",
                format!("CVSS vector {:?}: {reason}", severity.score),
                Consequence::PartlyUsed,
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &str) -> Option<Cvss> {
        v.parse().ok()
    }

    #[test]
    fn each_version_scores_with_its_own_most_specific_score() {
        let v4 = RecordImpact::new(
            parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U"),
            Some("LOW"),
            |_| Some(0.2),
            0.5,
        );
        let (i, source) = v4.of(DeviceValue::Normal);
        assert_eq!(source, ImpactSource::CvssV4);
        assert!((i - 0.81).abs() < 1e-12, "8.1 (E:U), not the base 9.3: {i}");
        let v3 = RecordImpact::new(
            parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U"),
            None,
            |_| None,
            0.5,
        );
        assert_eq!(v3.of(DeviceValue::Normal), (0.9, ImpactSource::CvssV3));
        let v2 = RecordImpact::new(parse("AV:N/AC:L/Au:N/C:P/I:P/A:P"), None, |_| None, 0.5);
        assert_eq!(v2.of(DeviceValue::Normal), (0.75, ImpactSource::CvssV2));
        let word = RecordImpact::new(None, Some("HIGH"), |_| Some(0.8), 0.5);
        assert_eq!(word.of(DeviceValue::Low), (0.8, ImpactSource::SeverityWord));
    }

    #[test]
    fn device_value_sets_requirements_unless_the_vector_states_them() {
        for vector in [
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
            "AV:N/AC:L/Au:N/C:P/I:N/A:N",
        ] {
            let impact = RecordImpact::new(parse(vector), None, |_| None, 0.5);
            let [low, normal, high] = [DeviceValue::Low, DeviceValue::Normal, DeviceValue::High]
                .map(|value| impact.of(value).0);
            assert!(
                low <= normal && normal <= high,
                "{vector}: {low} {normal} {high}"
            );
            assert!(low < high, "{vector}");
            assert!(impact.requirements_applied(DeviceValue::High));
            assert!(!impact.requirements_applied(DeviceValue::Normal));
        }
        let own = RecordImpact::new(
            parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N/CR:L"),
            None,
            |_| None,
            0.5,
        );
        assert_eq!(own.of(DeviceValue::High), own.of(DeviceValue::Normal));
        assert!(!own.requirements_applied(DeviceValue::High));
    }
}
