//! CVSS v2 (the CVSS v2 guide, §3): base, temporal and environmental scores, rounded to one
//! decimal half up.

use super::{CvssError, Severity};
use std::fmt;

/// Metric names in canonical order, with the values each allows (`ND` = not defined).
const METRICS: [(&str, &[&str]); 14] = [
    ("AV", &["L", "A", "N"]),
    ("AC", &["H", "M", "L"]),
    ("Au", &["M", "S", "N"]),
    ("C", &["N", "P", "C"]),
    ("I", &["N", "P", "C"]),
    ("A", &["N", "P", "C"]),
    ("E", &["U", "POC", "F", "H", "ND"]),
    ("RL", &["OF", "TF", "W", "U", "ND"]),
    ("RC", &["UC", "UR", "C", "ND"]),
    ("CDP", &["N", "L", "LM", "MH", "H", "ND"]),
    ("TD", &["N", "L", "M", "H", "ND"]),
    ("CR", &["L", "M", "H", "ND"]),
    ("IR", &["L", "M", "H", "ND"]),
    ("AR", &["L", "M", "H", "ND"]),
];
const BASE_METRICS: usize = 6;

/// A parsed CVSS v2 vector (bare `AV:N/AC:L/Au:N/C:P/I:P/A:P`, or with a `CVSS:2.0/` prefix,
/// or in parentheses as NVD's old feeds wrote it).
///
/// ```
/// use exposure::score::cvss::{CvssV2, Severity};
/// let v: CvssV2 = "AV:N/AC:L/Au:N/C:P/I:P/A:P".parse()?;
/// assert_eq!(v.base_score(), 7.5);
/// assert_eq!(v.severity(v.base_score()), Severity::High);
/// let t: CvssV2 = "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C".parse()?;
/// assert_eq!(t.temporal_score(), 8.3);
/// # Ok::<(), exposure::score::cvss::CvssError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CvssV2 {
    /// The index of each metric's value in [`METRICS`]; `None` when not given.
    values: [Option<u8>; 14],
}

impl CvssV2 {
    /// The value given for a metric by its abbreviation (`"AV"`, `"Au"`, `"E"`, …); `None` for
    /// a metric the vector does not give (or an unknown name).
    ///
    /// ```
    /// use exposure::score::cvss::CvssV2;
    /// let v: CvssV2 = "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC".parse()?;
    /// assert_eq!((v.metric("Au"), v.metric("E"), v.metric("RL")), (Some("N"), Some("POC"), None));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn metric(&self, name: &str) -> Option<&'static str> {
        let index = METRICS.iter().position(|(m, _)| *m == name)?;
        self.values[index].map(|i| METRICS[index].1[usize::from(i)])
    }

    fn value(&self, metric: usize) -> &'static str {
        let (_, allowed) = METRICS[metric];
        self.values[metric].map_or("ND", |i| allowed[usize::from(i)])
    }

    fn impact_of(&self, metric: usize) -> f64 {
        match self.value(metric) {
            "P" => 0.275,
            "C" => 0.660,
            _ => 0.0,
        }
    }

    fn requirement(&self, metric: usize) -> f64 {
        match self.value(metric) {
            "L" => 0.5,
            "H" => 1.51,
            _ => 1.0,
        }
    }

    fn exploitability(&self) -> f64 {
        let av = match self.value(0) {
            "L" => 0.395,
            "A" => 0.646,
            _ => 1.0,
        };
        let ac = match self.value(1) {
            "H" => 0.35,
            "M" => 0.61,
            _ => 0.71,
        };
        let au = match self.value(2) {
            "M" => 0.45,
            "S" => 0.56,
            _ => 0.704,
        };
        20.0 * av * ac * au
    }

    fn score_with_impact(&self, impact: f64) -> f64 {
        let f = if impact == 0.0 { 0.0 } else { 1.176 };
        // `+ 0.0` turns the -0.0 of a zero impact into 0.0.
        super::round_half_up(((0.6 * impact) + (0.4 * self.exploitability()) - 1.5) * f) + 0.0
    }

    fn temporal_factor(&self) -> f64 {
        let e = match self.value(6) {
            "U" => 0.85,
            "POC" => 0.9,
            "F" => 0.95,
            _ => 1.0,
        };
        let rl = match self.value(7) {
            "OF" => 0.87,
            "TF" => 0.90,
            "W" => 0.95,
            _ => 1.0,
        };
        let rc = match self.value(8) {
            "UC" => 0.90,
            "UR" => 0.95,
            _ => 1.0,
        };
        e * rl * rc
    }

    /// The impact sub-score.
    pub fn impact_subscore(&self) -> f64 {
        10.41
            * (1.0
                - (1.0 - self.impact_of(3)) * (1.0 - self.impact_of(4)) * (1.0 - self.impact_of(5)))
    }

    /// The exploitability sub-score.
    pub fn exploitability_subscore(&self) -> f64 {
        self.exploitability()
    }

    /// The base score. The guide's equation goes below zero for the smallest impacts
    /// (`AV:L/AC:H/Au:M` with a partial impact made small by a low requirement); a score is
    /// never negative, so each score is at least 0, as the `cvss` package has it.
    pub fn base_score(&self) -> f64 {
        self.score_with_impact(self.impact_subscore()).max(0.0)
    }

    /// The temporal score (the base score when no temporal metric is given).
    pub fn temporal_score(&self) -> f64 {
        super::round_half_up(self.base_score() * self.temporal_factor()).max(0.0)
    }

    /// The environmental score: the temporal score recomputed with the impact adjusted by
    /// the security requirements (that recomputation is not clamped, as in the `cvss`
    /// package), then collateral damage and target distribution; at least 0.
    pub fn environmental_score(&self) -> f64 {
        let adjusted_impact = (10.41
            * (1.0
                - (1.0 - self.impact_of(3) * self.requirement(11))
                    * (1.0 - self.impact_of(4) * self.requirement(12))
                    * (1.0 - self.impact_of(5) * self.requirement(13))))
        .min(10.0);
        let adjusted_temporal =
            super::round_half_up(self.score_with_impact(adjusted_impact) * self.temporal_factor());
        let cdp = match self.value(9) {
            "L" => 0.1,
            "LM" => 0.3,
            "MH" => 0.4,
            "H" => 0.5,
            _ => 0.0,
        };
        let td = match self.value(10) {
            "N" => 0.0,
            "L" => 0.25,
            "M" => 0.75,
            _ => 1.0,
        };
        super::round_half_up((adjusted_temporal + (10.0 - adjusted_temporal) * cdp) * td).max(0.0)
    }

    /// Whether a metric is given with a value other than `ND` (not defined).
    fn defined(&self, metric: usize) -> bool {
        self.values[metric].is_some() && self.value(metric) != "ND"
    }

    /// The access-vector letter (`L`, `A`, `N`).
    ///
    /// ```
    /// use exposure::score::cvss::CvssV2;
    /// let v: CvssV2 = "AV:N/AC:L/Au:S/C:P/I:P/A:P".parse()?;
    /// assert_eq!((v.access_vector(), v.authentication()), ('N', 'S'));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn access_vector(&self) -> char {
        self.value(0).chars().next().unwrap_or('N')
    }

    /// The authentication letter (`M` multiple, `S` single, `N` none).
    pub fn authentication(&self) -> char {
        self.value(2).chars().next().unwrap_or('N')
    }

    /// Whether any temporal metric is given a value (`ND` is "not defined").
    pub fn has_temporal(&self) -> bool {
        (6..9).any(|m| self.defined(m))
    }

    /// Whether any environmental metric is given a value (`ND` is "not defined"). With none,
    /// the environmental score is not the base score: the adjusted impact is capped at 10
    /// (`AV:L/AC:L/Au:N/C:C/I:C/A:C` is 7.2, its environmental equation 7.1), which is why
    /// the most specific score is chosen by this.
    pub fn has_environmental(&self) -> bool {
        (9..14).any(|m| self.defined(m))
    }

    /// The most specific score: environmental, else temporal, else base.
    pub fn score(&self) -> f64 {
        if self.has_environmental() {
            self.environmental_score()
        } else if self.has_temporal() {
            self.temporal_score()
        } else {
            self.base_score()
        }
    }

    /// The v2 rating of a score: LOW below 4.0, MEDIUM below 7.0, HIGH from 7.0 (v2 has no
    /// NONE or CRITICAL).
    pub fn severity(&self, score: f64) -> Severity {
        if score < 4.0 {
            Severity::Low
        } else if score < 7.0 {
            Severity::Medium
        } else {
            Severity::High
        }
    }
}

impl std::str::FromStr for CvssV2 {
    type Err = CvssError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let at = super::start(text);
        let trimmed = text.trim();
        let (body, at) = if let Some(body) = trimmed.strip_prefix("CVSS:2.0/") {
            (body, at + "CVSS:2.0/".len())
        } else if let Some(body) = trimmed.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            (body, at + 1)
        } else {
            (trimmed, at)
        };
        let values = super::read_metrics(text, body, at, &METRICS, BASE_METRICS)?;
        Ok(CvssV2 { values })
    }
}

impl fmt::Display for CvssV2 {
    /// The canonical vector: bare (as NVD writes v2), metrics in the guide's order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (i, value) in self.values.iter().enumerate() {
            if let Some(v) = value {
                if !first {
                    f.write_str("/")?;
                }
                first = false;
                write!(f, "{}:{}", METRICS[i].0, METRICS[i].1[usize::from(*v)])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // one-decimal scores: equality is the claim
mod tests {
    use super::CvssV2;

    fn v(text: &str) -> CvssV2 {
        text.parse().unwrap()
    }

    /// The guide's equation is negative here (adjusted impact 1.43, exploitability 1.24):
    /// -0.2 unclamped; the `cvss` package answers 0.0.
    #[test]
    fn scores_are_never_negative() {
        let low = v("AV:L/AC:H/Au:M/C:N/I:N/A:P/IR:L/AR:L");
        assert_eq!(low.base_score(), 0.8);
        assert_eq!(low.environmental_score(), 0.0);
        assert_eq!(
            v("AV:L/AC:H/Au:M/C:N/I:N/A:N").base_score().to_string(),
            "0"
        );
    }

    #[test]
    fn strict_parsing() {
        use crate::score::cvss::rejections::{
            check, duplicate, invalid, malformed, missing, unknown,
        };
        check::<CvssV2>(&[
            ("AV:N/AC:L/Au:N/C:P/I:P", missing("A"), None),
            (
                "AV:N/AC:L/Au:N/C:P/I:P/A:P/RL:X",
                invalid("RL", "X"),
                Some(27),
            ),
            ("AV:N/AV:N", duplicate("AV"), Some(5)),
            (" (AV:N/XX:1)", unknown("XX"), Some(7)),
            ("CVSS:2.0/AV:N//", malformed(""), Some(14)),
            ("", malformed(""), Some(0)),
        ]);
        assert_eq!(
            v("(AV:N/AC:L/Au:N/C:P/I:P/A:P)"),
            v("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P")
        );
        assert_eq!(
            v("A:P/I:P/C:P/Au:N/AC:L/AV:N/E:F").to_string(),
            "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F"
        );
    }
}
