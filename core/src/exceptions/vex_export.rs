//! Exceptions as VEX: OpenVEX and CycloneDX VEX documents stating, for each finding an
//! applied exception covers, what the exception says about its product.
//!
//! Removing justifications (third-party control, alternate mitigation) are `not_affected`
//! (OpenVEX justification `inline_mitigations_already_exist`; CycloneDX state `not_affected`,
//! justification `protected_by_mitigating_control`); the others are `affected` with an action
//! statement (CycloneDX `exploitable` with a response: `will_not_fix` for a risk accepted,
//! `update` for a planned remediation, `can_not_fix` when no patch is available). Products are
//! named by package URL, or CPE name when the software has no package URL.
//!
//! VEX names products, not devices: a finding whose software has neither a package URL nor a
//! CPE name cannot be stated, nor can a removing exception limited to groups whose product
//! (same vulnerability, same package URL or CPE name) also stands on a device outside them
//! (the statement would remove it there too). Both are reported in
//! [`VexExport::unexpressed`], never dropped silently.

use super::{ExceptionSet, ExceptionStatus, Justification};
use crate::assessment::Assessment;
use crate::kb::VexStatus;
use crate::matching::Finding;
use crate::report::vex::{cyclonedx_document, named, openvex_document, Head, Named};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A VEX document made from exceptions, and what it could not say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VexExport {
    /// The document (OpenVEX or CycloneDX JSON).
    pub document: Value,
    /// The statements it holds: one per exception, vulnerability and product.
    pub statements: usize,
    /// Findings in an applied exception's scope that the document does not state.
    pub unexpressed: Vec<Unexpressed>,
}

/// A finding an exception covers that VEX cannot state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unexpressed {
    /// The exception.
    pub exception: String,
    /// The finding's device.
    pub device_id: String,
    /// Its software, `name version`.
    pub software: String,
    /// Its advisory.
    pub advisory_id: String,
    /// Why it is not stated.
    pub reason: String,
}

/// One statement: an exception, a vulnerability and the products.
struct Statement<'a> {
    exception: &'a super::Exception,
    vulnerability: String,
    products: BTreeSet<Named>,
}

impl ExceptionSet {
    /// The statements of the exceptions that applied in `assessment` (made with this set).
    fn statements<'a>(&'a self, assessment: &Assessment) -> (Vec<Statement<'a>>, Vec<Unexpressed>) {
        let mut statements: BTreeMap<(usize, String), BTreeSet<Named>> = BTreeMap::new();
        let mut unexpressed = Vec::new();
        // What stands in the scores, by vulnerability and product: a removing statement
        // about one of them would remove it too.
        let standing: BTreeSet<(&str, String)> = assessment
            .findings
            .iter()
            .filter_map(|f| Some((&*f.finding.advisory_id, named(&f.finding)?.identifier)))
            .collect();
        for (i, e) in self.exceptions.iter().enumerate() {
            let Some(outcome) = assessment
                .exceptions
                .iter()
                .find(|o| o.id == e.id && o.status == ExceptionStatus::Applied)
            else {
                continue;
            };
            let findings: Vec<&Finding> = if e.justification.removes_findings() {
                assessment
                    .suppressed
                    .iter()
                    .filter(|s| s.exception.as_ref().is_some_and(|x| x.id == e.id))
                    .map(|s| &s.finding)
                    .collect()
            } else {
                outcome
                    .covered
                    .iter()
                    .filter_map(|&f| assessment.findings.get(f).map(|s| &s.finding))
                    .collect()
            };
            for finding in findings {
                let refuse = |reason: &str| Unexpressed {
                    exception: e.id.clone(),
                    device_id: finding.device_id.to_string(),
                    software: format!("{} {}", finding.software.name, finding.software.version),
                    advisory_id: finding.advisory_id.to_string(),
                    reason: reason.to_owned(),
                };
                let Some(product) = named(finding) else {
                    unexpressed.push(refuse(
                        "the software has neither a package URL nor a CPE name",
                    ));
                    continue;
                };
                if e.justification.removes_findings()
                    && standing.contains(&(&*finding.advisory_id, product.identifier.clone()))
                {
                    unexpressed.push(refuse(
                        "the product is also on devices outside the exception's groups, and VEX cannot name devices",
                    ));
                    continue;
                }
                statements
                    .entry((i, finding.advisory_id.to_string()))
                    .or_default()
                    .insert(product);
            }
        }
        let statements = statements
            .into_iter()
            .map(|((i, vulnerability), products)| Statement {
                exception: &self.exceptions[i],
                vulnerability,
                products,
            })
            .collect();
        (statements, unexpressed)
    }

    /// The day the document is dated: the assessment's as-of day, else the latest creation
    /// day of the set (the core never reads the clock).
    fn dated(&self, assessment: &Assessment) -> String {
        let day = assessment
            .as_of
            .or_else(|| self.exceptions.iter().map(|e| e.created).max());
        day.map_or_else(
            || "1970-01-01T00:00:00Z".to_owned(),
            |d| format!("{d}T00:00:00Z"),
        )
    }

    /// The applied exceptions of `assessment` (assessed with this set) as an OpenVEX 0.2.0
    /// document.
    ///
    /// ```
    /// use exposure::exceptions::ExceptionSet;
    /// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
    ///   {"id": "a", "scope": {"vulnerability": "CVE-2021-23337"}, "justification": "alternate_mitigation",
    ///    "requester": "r", "reason": "no user templates", "created": "2026-01-01"}]}"#, "inline")?;
    /// let a = exposure::Engine::demo().with_exceptions(set.clone()).assess(&exposure::demo::fleet());
    /// let vex = set.to_openvex(&a);
    /// assert_eq!(vex.statements, 1);
    /// let s = &vex.document["statements"][0];
    /// assert_eq!((s["status"].as_str(), s["justification"].as_str()), (Some("not_affected"), Some("inline_mitigations_already_exist")));
    /// assert_eq!(s["products"][0]["@id"], "pkg:npm/lodash@4.17.15");
    /// # Ok::<(), exposure::exceptions::ExceptionError>(())
    /// ```
    pub fn to_openvex(&self, assessment: &Assessment) -> VexExport {
        let (statements, unexpressed) = self.statements(assessment);
        let count = statements.iter().map(|s| s.products.len()).sum();
        let statements: Vec<_> = statements.iter().map(generic).collect();
        VexExport {
            document: openvex_document(&self.head(assessment), &statements),
            statements: count,
            unexpressed,
        }
    }

    /// The applied exceptions of `assessment` (assessed with this set) as a CycloneDX 1.6
    /// VEX document: one component per product (`purl` or `cpe`), one vulnerability with an
    /// analysis per exception and vulnerability.
    ///
    /// ```
    /// use exposure::exceptions::ExceptionSet;
    /// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
    ///   {"id": "a", "scope": {"vulnerability": "CVE-2021-23337"}, "justification": "risk_accepted",
    ///    "requester": "r", "reason": "internal tool", "created": "2026-01-01"}]}"#, "inline")?;
    /// let a = exposure::Engine::demo().with_exceptions(set.clone()).assess(&exposure::demo::fleet());
    /// let vex = set.to_cyclonedx(&a);
    /// let v = &vex.document["vulnerabilities"][0];
    /// assert_eq!(v["analysis"]["state"], "exploitable");
    /// assert_eq!(v["analysis"]["response"][0], "will_not_fix");
    /// # Ok::<(), exposure::exceptions::ExceptionError>(())
    /// ```
    pub fn to_cyclonedx(&self, assessment: &Assessment) -> VexExport {
        let (statements, unexpressed) = self.statements(assessment);
        let count = statements.iter().map(|s| s.products.len()).sum();
        let statements: Vec<_> = statements.iter().map(generic).collect();
        VexExport {
            document: cyclonedx_document(&self.head(assessment), &statements),
            statements: count,
            unexpressed,
        }
    }

    /// The document's head: its id, author and day ([`ExceptionSet::dated`]).
    fn head(&self, assessment: &Assessment) -> Head<'static> {
        let timestamp = self.dated(assessment);
        Head {
            id: format!("urn:exposure:exceptions:{timestamp}"),
            author: "exposure exceptions",
            timestamp,
        }
    }
}

/// An exception's statement as the VEX writers take it: removing justifications are
/// `not_affected` (mitigations exist), the others `affected` with CycloneDX's response.
fn generic(s: &Statement<'_>) -> crate::report::vex::Statement {
    let e = s.exception;
    let removes = e.justification.removes_findings();
    crate::report::vex::Statement {
        vulnerability: s.vulnerability.clone(),
        aliases: Vec::new(),
        products: s.products.clone(),
        status: if removes {
            VexStatus::NotAffected
        } else {
            VexStatus::Affected
        },
        justification: removes.then_some("inline_mitigations_already_exist"),
        response: (!removes).then_some(match e.justification {
            Justification::PlannedRemediation => "update",
            Justification::NoPatchAvailable => "can_not_fix",
            _ => "will_not_fix",
        }),
        note: note(e),
        timestamp: Some(format!("{}T00:00:00Z", e.created)),
    }
}

/// The statement's text: the exception, its justification, reason, requester and expiry.
fn note(e: &super::Exception) -> String {
    let until = e
        .expires
        .map_or_else(String::new, |d| format!(", until {d}"));
    format!(
        "exception {} ({}): {} (requested by {} on {}{until})",
        e.id,
        e.justification.name(),
        e.reason,
        e.requester,
        e.created
    )
}
