//! CVSS scores: one call from a vector to its scores, severity and canonical vector.

use crate::error::{exposure_error, Failure};
use crate::exposure_status;
use crate::guard::guard_result;
use crate::handle::{opt_out, try_out, try_str};
use crate::strings::{exposure_string, put_string};
use exposure::score::cvss::{Cvss, CvssVersion, Severity};
use std::ffi::c_char;

/// A CVSS version. Values are ABI.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exposure_cvss_version {
    /// CVSS v2.
    V2 = 0,
    /// CVSS v3.0.
    V30 = 1,
    /// CVSS v3.1.
    V31 = 2,
    /// CVSS v4.0.
    V40 = 3,
}

/// A qualitative severity. Values are ABI. (v2 uses LOW, MEDIUM and HIGH only.)
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum exposure_cvss_severity {
    /// 0.0 (v3, v4).
    None = 0,
    /// Low.
    Low = 1,
    /// Medium.
    Medium = 2,
    /// High.
    High = 3,
    /// Critical (v3, v4).
    Critical = 4,
}

/// The scores of a vector.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct exposure_cvss_scores {
    /// The version.
    pub version: exposure_cvss_version,
    /// The most specific score: environmental when an environmental metric is given, else
    /// temporal (threat) when one is, else base; v4's one score.
    pub score: f64,
    /// The base score (v4: its one score).
    pub base: f64,
    /// The temporal score (v2, v3); NaN for v4.
    pub temporal: f64,
    /// The environmental score (v2, v3); NaN for v4.
    pub environmental: f64,
    /// The severity of `score`.
    pub severity: exposure_cvss_severity,
    /// The base impact sub-score to one decimal, as NVD publishes it (v2, v3); NaN for v4.
    pub impact: f64,
    /// The base exploitability sub-score to one decimal, as NVD publishes it (v2, v3); NaN
    /// for v4.
    pub exploitability: f64,
}

/// Scores a CVSS v2, v3.0, v3.1 or v4.0 vector. `*out` receives the scores; when
/// `canonical` is not NULL, `*canonical` receives the canonical vector (free with
/// `exposure_string_free`). A malformed vector fails with a status naming the kind of
/// problem and a message naming the metric and value.
#[no_mangle]
pub extern "C" fn exposure_cvss_score(
    vector: *const c_char,
    len: usize,
    out: *mut exposure_cvss_scores,
    canonical: *mut *mut exposure_string,
    err: *mut *mut exposure_error,
) -> exposure_status {
    guard_result(err, || {
        let out = try_out!(out);
        let text = try_str!(vector, len);
        let cvss: Cvss = text.parse().map_err(Failure::from_error)?;
        let version = match cvss.version_id() {
            CvssVersion::V2 => exposure_cvss_version::V2,
            CvssVersion::V30 => exposure_cvss_version::V30,
            CvssVersion::V31 => exposure_cvss_version::V31,
            CvssVersion::V40 => exposure_cvss_version::V40,
        };
        let (score, severity) = cvss.rating();
        let severity = match severity {
            Severity::None => exposure_cvss_severity::None,
            Severity::Low => exposure_cvss_severity::Low,
            Severity::Medium => exposure_cvss_severity::Medium,
            Severity::High => exposure_cvss_severity::High,
            Severity::Critical => exposure_cvss_severity::Critical,
        };
        let scores = exposure_cvss_scores {
            version,
            score,
            base: cvss.base_score(),
            temporal: cvss.temporal_score().unwrap_or(f64::NAN),
            environmental: cvss.environmental_score().unwrap_or(f64::NAN),
            severity,
            impact: cvss.impact_subscore().unwrap_or(f64::NAN),
            exploitability: cvss.exploitability_subscore().unwrap_or(f64::NAN),
        };
        out.write(scores);
        if let Some(canonical) = opt_out!(canonical) {
            put_string(canonical, cvss.to_string());
        }
        Ok(())
    })
}
