//! CVSS vectors and scores.
//!
//! This module parses CVSS v3.0 and v3.1 vectors strictly and computes their base score and
//! severity exactly as the specification does (3.1's Appendix A `Roundup`, 3.0's plain
//! round-up). Temporal and environmental metrics are validated and kept in the canonical
//! vector.

mod v3;

pub use v3::{CvssV3, V3Version};

/// Why a vector was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CvssError {
    /// The vector does not start with a known version prefix.
    #[error("unknown CVSS version prefix in {0:?} (expected CVSS:3.0/ or CVSS:3.1/)")]
    UnknownVersion(String),
    /// A `metric:value` part is malformed (no colon, empty).
    #[error("malformed part {0:?}")]
    MalformedPart(String),
    /// A metric this version does not define.
    #[error("unknown metric {0:?}")]
    UnknownMetric(String),
    /// A value the metric does not allow.
    #[error("invalid value {value:?} for metric {metric}")]
    InvalidValue {
        /// The metric.
        metric: String,
        /// The rejected value.
        value: String,
    },
    /// The same metric twice.
    #[error("duplicate metric {0}")]
    DuplicateMetric(String),
    /// A mandatory base metric is absent.
    #[error("missing mandatory metric {0}")]
    MissingMetric(&'static str),
}

/// A qualitative severity rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// 0.0.
    None,
    /// 0.1–3.9.
    Low,
    /// 4.0–6.9.
    Medium,
    /// 7.0–8.9.
    High,
    /// 9.0–10.0.
    Critical,
}

impl Severity {
    /// The v3/v4 rating of a score.
    ///
    /// ```
    /// use exposure::score::cvss::Severity;
    /// assert_eq!(Severity::of_score(7.5), Severity::High);
    /// assert_eq!(Severity::of_score(0.0), Severity::None);
    /// ```
    pub fn of_score(score: f64) -> Self {
        if score <= 0.0 {
            Severity::None
        } else if score < 4.0 {
            Severity::Low
        } else if score < 7.0 {
            Severity::Medium
        } else if score < 9.0 {
            Severity::High
        } else {
            Severity::Critical
        }
    }

    /// The upper-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::None => "NONE",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }
}
