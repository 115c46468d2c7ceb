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
use crate::history::{AssessmentRecord, RecordError};
use crate::score::cvss::Severity;

/// A report format every interface offers (`exposure assess --format`, Python's
/// `Assessment.report`, C's `exposure_inputs_report`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// SARIF 2.1.0 ([`sarif`]).
    Sarif,
    /// CycloneDX 1.6 VEX ([`vex::cyclonedx`]).
    Cyclonedx,
    /// OpenVEX ([`vex::openvex`]).
    Openvex,
    /// Findings as CSV ([`csv`]).
    Csv,
    /// A Markdown summary ([`markdown`]).
    Markdown,
    /// A self-contained HTML report ([`html`]).
    Html,
}

impl std::str::FromStr for Format {
    type Err = String;

    /// `sarif`, `cyclonedx`, `openvex`, `csv`, `markdown` or `html`.
    ///
    /// ```
    /// assert_eq!("sarif".parse(), Ok(exposure::report::Format::Sarif));
    /// assert!("pdf".parse::<exposure::report::Format>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sarif" => Ok(Format::Sarif),
            "cyclonedx" => Ok(Format::Cyclonedx),
            "openvex" => Ok(Format::Openvex),
            "csv" => Ok(Format::Csv),
            "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            other => Err(format!(
                "unknown report format {other:?} (sarif, cyclonedx, openvex, csv, markdown, html)"
            )),
        }
    }
}

/// A report written, with the findings it could not state (VEX formats only).
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The document.
    pub text: String,
    /// Findings a VEX document does not state, with why.
    pub unexpressed: Vec<vex::NotStated>,
}

/// `assessment` as `format`; the HTML report draws the score over `earlier` records (oldest
/// first, without this assessment's) and every top list cut at `top` (also the Markdown's).
///
/// ```
/// use exposure::report::{render, Format};
/// let a = exposure::assess::AssessInputs { demo: true, ..Default::default() }.assess()?;
/// let sarif = render(&a, Format::Sarif, &[], 10)?;
/// assert!(sarif.text.contains("\"version\": \"2.1.0\""));
/// assert!(render(&a, Format::Html, &[], 3)?.text.starts_with("<!DOCTYPE html>"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// For HTML, the errors of [`html::report`] (an assessment that does not hold its fleet).
pub fn render(
    assessment: &Assessment,
    format: Format,
    earlier: &[AssessmentRecord],
    top: usize,
) -> Result<Rendered, RecordError> {
    let plain = |text: String| Rendered {
        text,
        unexpressed: Vec::new(),
    };
    Ok(match format {
        Format::Sarif => plain(sarif::to_string(assessment) + "\n"),
        Format::Cyclonedx | Format::Openvex => {
            let vex = if format == Format::Cyclonedx {
                vex::cyclonedx(assessment)
            } else {
                vex::openvex(assessment)
            };
            let text = serde_json::to_string_pretty(&vex.document)
                .map_err(|e| RecordError::Invalid(e.to_string()))?;
            Rendered {
                text: text + "\n",
                unexpressed: vex.unexpressed,
            }
        }
        Format::Csv => plain(csv::findings(assessment)),
        Format::Markdown => plain(markdown::summary(assessment, top)),
        Format::Html => plain(html::report(assessment, earlier, top)?),
    })
}

/// The `format` of an assessment's JSON: the version of `schemas/assessment.schema.json`
/// that describes it (its `$id` ends with this version).
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// assert_eq!(a.format, exposure::report::ASSESSMENT_FORMAT);
/// assert_eq!(serde_json::to_value(&a).unwrap()["format"], "exposure-assessment/1");
/// ```
pub const ASSESSMENT_FORMAT: &str = "exposure-assessment/1";

/// The severity a report shows for a finding: its own ([`ScoredFinding::severity`]: the
/// CVSS vector's rating, else the record's word), else, for formats that need one (SARIF's
/// levels), the rating of its impact on the same 0–10 scale ([`severity_score`]).
///
/// ```
/// use exposure::score::cvss::Severity;
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let f = a.findings.iter().find(|f| f.finding.advisory_id.as_ref() == "GO-2023-2102").unwrap();
/// assert_eq!(exposure::report::severity(f), Severity::High);
/// ```
pub fn severity(finding: &ScoredFinding) -> Severity {
    finding
        .severity
        .unwrap_or_else(|| Severity::of_score(severity_score(finding)))
}

/// The 0–10 score behind [`severity`] when the finding has none of its own: the CVSS score
/// used, else `10 × I`.
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
