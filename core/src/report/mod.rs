//! The assessment written for other tools and for people: SARIF 2.1.0 for code scanning
//! ([`sarif`]), VEX documents of its findings, OpenVEX and CycloneDX 1.6 ([`vex`]), findings as
//! CSV ([`csv`]), a Markdown summary for pull-request comments ([`markdown`]) and a
//! self-contained HTML report with charts ([`html`]). The assessment's own JSON (its serde
//! output) is described by the versioned JSON Schema `schemas/assessment.schema.json`
//! ([`ASSESSMENT_FORMAT`]).
//!
//! Each format is a pure function of an [`Assessment`] (the HTML report also of earlier
//! records, for the score's trend); the choices that need the domain (which severity a finding
//! has, which recommendation fixes it, what VEX status a product gets) are made here, once, so
//! that every interface writes the same document. Definitions: `docs/outputs.md`.
//!
//! ```
//! let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
//! let summary = exposure::report::markdown::summary(&a, 3);
//! assert!(summary.starts_with("## Exposure: "));
//! ```

pub mod csv;
pub mod html;
pub mod markdown;
pub mod sarif;
pub mod vex;

use crate::assessment::{Assessment, ScoredFinding};
use crate::score::cvss::Severity;

/// The `format` of an assessment's JSON: the version of `schemas/assessment.schema.json`
/// that describes it (its `$id` ends with this version).
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// assert_eq!(a.format, exposure::report::ASSESSMENT_FORMAT);
/// assert_eq!(serde_json::to_value(&a).unwrap()["format"], "exposure-assessment/1");
/// ```
pub const ASSESSMENT_FORMAT: &str = "exposure-assessment/1";

/// The severity a report shows for a finding: its CVSS vector's (the one it was scored with),
/// else the severity of its impact `I` on the same 0–10 scale (`10 × I`: a severity word or
/// the assumed impact).
///
/// ```
/// use exposure::score::cvss::Severity;
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let f = a.findings.iter().find(|f| f.finding.advisory_id.as_ref() == "GO-2023-2102").unwrap();
/// assert_eq!(exposure::report::severity(f), Severity::High);
/// ```
pub fn severity(finding: &ScoredFinding) -> Severity {
    finding.cvss.as_ref().map_or_else(
        || Severity::of_score(severity_score(finding)),
        |c| c.severity,
    )
}

/// The 0–10 score behind [`severity`]: the CVSS score used, else `10 × I`.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// assert!(a.findings.iter().all(|f| (0.0..=10.0).contains(&exposure::report::severity_score(f))));
/// ```
pub fn severity_score(finding: &ScoredFinding) -> f64 {
    finding
        .cvss
        .as_ref()
        .map_or(10.0 * finding.risk.impact, |c| c.score)
}

/// Where people read about an advisory: NVD for a CVE, GitHub's database for a GHSA id, the
/// Go vulnerability database for a GO id, OSV for any other id.
///
/// ```
/// use exposure::report::advisory_url;
/// assert_eq!(advisory_url("CVE-2023-44487"), "https://nvd.nist.gov/vuln/detail/CVE-2023-44487");
/// assert_eq!(advisory_url("GHSA-xvch-5gv4-984h"), "https://github.com/advisories/GHSA-xvch-5gv4-984h");
/// assert_eq!(advisory_url("PYSEC-2023-212"), "https://osv.dev/vulnerability/PYSEC-2023-212");
/// ```
pub fn advisory_url(id: &str) -> String {
    // Ids come from data: only URL-safe characters pass, the rest are percent-encoded.
    let safe: String = id
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if id.starts_with("CVE-") {
        format!("https://nvd.nist.gov/vuln/detail/{safe}")
    } else if id.starts_with("GHSA-") {
        format!("https://github.com/advisories/{safe}")
    } else if id.starts_with("GO-") {
        format!("https://pkg.go.dev/vuln/{safe}")
    } else {
        format!("https://osv.dev/vulnerability/{safe}")
    }
}

/// Findings per severity and of known-exploited vulnerabilities: the totals a summary shows.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let t = exposure::report::Totals::of(&a);
/// assert_eq!(t.by_severity.iter().sum::<usize>(), a.findings.len());
/// assert_eq!(t.known_exploited, 1);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Findings per severity, from critical down to none ([`Totals::SEVERITIES`] order).
    pub by_severity: [usize; 5],
    /// Findings of a vulnerability in CISA's KEV catalog.
    pub known_exploited: usize,
    /// Findings that count 0 in the scores (mitigated, or a condition not reported).
    pub not_counted: usize,
    /// Findings a VEX statement or an exception removed.
    pub suppressed: usize,
}

impl Totals {
    /// The severities in the order of [`Totals::by_severity`].
    ///
    /// ```
    /// use exposure::{report::Totals, score::cvss::Severity};
    /// assert_eq!(Totals::SEVERITIES[0], Severity::Critical);
    /// ```
    pub const SEVERITIES: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::None,
    ];

    /// The totals of `assessment`.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// assert_eq!(exposure::report::Totals::of(&a).suppressed, 0);
    /// ```
    pub fn of(assessment: &Assessment) -> Self {
        let mut totals = Totals {
            suppressed: assessment.suppressed.len(),
            ..Totals::default()
        };
        for f in &assessment.findings {
            let s = severity(f);
            if let Some(i) = Self::SEVERITIES.iter().position(|x| *x == s) {
                totals.by_severity[i] += 1;
            }
            totals.known_exploited += usize::from(f.threat.known_exploited.is_some());
            totals.not_counted += usize::from(f.not_counted().is_some());
        }
        totals
    }
}

/// The findings that contribute most, highest contribution first (ties by advisory id,
/// device and software), at most `n`.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let top = exposure::report::top_findings(&a, 2);
/// assert_eq!(top.len(), 2);
/// assert!(top[0].contribution() >= top[1].contribution());
/// ```
pub fn top_findings(assessment: &Assessment, n: usize) -> Vec<&ScoredFinding> {
    let mut all: Vec<&ScoredFinding> = assessment.findings.iter().collect();
    all.sort_by(|a, b| {
        b.contribution()
            .total_cmp(&a.contribution())
            .then_with(|| a.finding.advisory_id.cmp(&b.finding.advisory_id))
            .then_with(|| a.finding.device_id.cmp(&b.finding.device_id))
            .then_with(|| a.finding.software.name.cmp(&b.finding.software.name))
    });
    all.truncate(n);
    all
}
