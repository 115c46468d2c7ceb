//! VEX documents: the findings of an assessment as OpenVEX 0.2.0 ([`openvex`]) and CycloneDX
//! 1.6 VEX ([`cyclonedx`]), and the two writers the exceptions' export shares
//! ([`crate::exceptions::ExceptionSet::to_openvex`]).
//!
//! One statement per vulnerability and product (a package URL, else a CPE name). A product's
//! status is decided from every finding of that vulnerability on it, on every device:
//! - **affected** when a finding stands and counts in the scores, with the action the
//!   assessment recommends for it (CycloneDX `exploitable`, response `update` when a
//!   recommendation updates or upgrades it, `workaround_available` for attention required,
//!   `can_not_fix` when no version fixes it);
//! - **under_investigation** (CycloneDX `in_triage`) when its record is gated on a platform
//!   the device does not report;
//! - **not_affected** when a passing configuration check mitigates it, a VEX statement said
//!   so, or an exception (third-party control, alternate mitigation) removed it: OpenVEX
//!   justification `inline_mitigations_already_exist` for mitigations and exceptions, a
//!   statement's own justification otherwise (CycloneDX's vocabulary mapped, see
//!   [`cyclonedx_justification`]);
//! - **fixed** (CycloneDX `resolved`) when every finding of it on the product was removed by a
//!   `fixed` statement.
//!
//! VEX names products, not devices: a product affected on one device and not affected on
//! another is stated affected (a `not_affected` statement would remove it everywhere), and the
//! findings it cannot state are listed in [`AssessmentVex::unexpressed`], with software that has
//! neither a package URL nor a CPE name — never dropped silently.

use crate::assessment::Assessment;
use crate::kb::VexStatus;
use crate::matching::Finding;
use crate::recommend::ActionKind;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Claims by (vulnerability, product), with the vulnerability's aliases.
type Claims = BTreeMap<(String, Named), (Vec<String>, Vec<Claim>)>;

/// A VEX document of an assessment's findings, and what it could not say.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let vex = exposure::report::vex::openvex(&a);
/// // web-02's urllib3 is named by ecosystem, name and version only: VEX cannot state it.
/// assert!(vex.unexpressed.iter().any(|u| u.device_id == "web-02"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentVex {
    /// The document (OpenVEX or CycloneDX JSON).
    pub document: Value,
    /// The statements it holds, one per vulnerability and product.
    pub statements: usize,
    /// Findings it does not state.
    pub unexpressed: Vec<NotStated>,
}

/// A finding a VEX document of an assessment does not state.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let u = &exposure::report::vex::cyclonedx(&a).unexpressed[0];
/// assert_eq!((u.software.as_str(), u.reason.as_str()),
///            ("urllib3 2.0.4", "the software has neither a package URL nor a CPE name"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotStated {
    /// The finding's device.
    pub device_id: String,
    /// Its software, `name version`.
    pub software: String,
    /// Its advisory.
    pub advisory_id: String,
    /// Why it is not stated.
    pub reason: String,
}

impl NotStated {
    /// The finding it is: device, advisory, software (`name version`).
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let u = &exposure::report::vex::cyclonedx(&a).unexpressed[0];
    /// assert_eq!(u.key().2, "urllib3 2.0.4");
    /// ```
    pub fn key(&self) -> (String, String, String) {
        (
            self.device_id.clone(),
            self.advisory_id.clone(),
            self.software.clone(),
        )
    }
}

/// A product as VEX names it: its identifier, and what a CycloneDX component says of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Named {
    pub(crate) identifier: String,
    pub(crate) is_purl: bool,
    pub(crate) name: String,
    pub(crate) version: String,
}

/// The product of a finding's software; `None` without a package URL or CPE name.
pub(crate) fn named(finding: &Finding) -> Option<Named> {
    let software = &finding.software;
    let (identifier, is_purl) = match (&software.purl, &software.cpe) {
        (Some(purl), _) => (purl.text().to_owned(), true),
        (None, Some(claim)) => (claim.name.value().to_fs(), false),
        (None, None) => return None,
    };
    Some(Named {
        identifier,
        is_purl,
        name: software.name.clone(),
        version: software.version.clone(),
    })
}

/// One statement: a vulnerability, its status on the products, and why.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub(crate) vulnerability: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) products: BTreeSet<Named>,
    pub(crate) status: VexStatus,
    /// For `not_affected`: the OpenVEX justification, when one is known.
    pub(crate) justification: Option<&'static str>,
    /// For `affected`: CycloneDX's response.
    pub(crate) response: Option<&'static str>,
    /// The impact statement (`not_affected`), action statement (`affected`) or status notes.
    pub(crate) note: String,
    /// The statement's own time, when it has one.
    pub(crate) timestamp: Option<String>,
}

/// A document's head: its id, author and time.
pub(crate) struct Head<'a> {
    pub(crate) id: String,
    pub(crate) author: &'a str,
    pub(crate) timestamp: String,
}

/// The OpenVEX 0.2.0 document of `statements`.
pub(crate) fn openvex_document(head: &Head<'_>, statements: &[Statement]) -> Value {
    let statements: Vec<Value> = statements
        .iter()
        .map(|s| {
            let products: Vec<Value> = s
                .products
                .iter()
                .map(|p| json!({"@id": p.identifier}))
                .collect();
            let mut vulnerability = json!({"name": s.vulnerability});
            if !s.aliases.is_empty() {
                vulnerability["aliases"] = json!(s.aliases);
            }
            let mut statement = json!({
                "vulnerability": vulnerability,
                "products": products,
                "status": s.status.name(),
            });
            if let Some(t) = &s.timestamp {
                statement["timestamp"] = json!(t);
            }
            match s.status {
                VexStatus::NotAffected => {
                    if let Some(j) = s.justification {
                        statement["justification"] = json!(j);
                    }
                    statement["impact_statement"] = json!(s.note);
                }
                VexStatus::Affected => statement["action_statement"] = json!(s.note),
                VexStatus::Fixed | VexStatus::UnderInvestigation => {
                    statement["status_notes"] = json!(s.note);
                }
            }
            statement
        })
        .collect();
    json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": head.id,
        "author": head.author,
        "timestamp": head.timestamp,
        "version": 1,
        "statements": statements,
    })
}

/// The CycloneDX 1.6 VEX document of `statements`: one component per product, one
/// vulnerability with an analysis per statement.
pub(crate) fn cyclonedx_document(head: &Head<'_>, statements: &[Statement]) -> Value {
    let components: BTreeSet<&Named> = statements.iter().flat_map(|s| &s.products).collect();
    let components: Vec<Value> = components
        .into_iter()
        .map(|p| {
            let mut c = json!({
                "bom-ref": p.identifier,
                "type": if p.is_purl { "library" } else { "application" },
                "name": p.name,
                "version": p.version,
            });
            c[if p.is_purl { "purl" } else { "cpe" }] = json!(p.identifier);
            c
        })
        .collect();
    let vulnerabilities: Vec<Value> = statements
        .iter()
        .map(|s| {
            let mut analysis = match s.status {
                VexStatus::NotAffected => {
                    let mut a = json!({"state": "not_affected"});
                    if let Some(j) = s.justification.and_then(cyclonedx_justification) {
                        a["justification"] = json!(j);
                    }
                    a
                }
                VexStatus::Fixed => json!({"state": "resolved"}),
                VexStatus::Affected => {
                    let mut a = json!({"state": "exploitable"});
                    if let Some(r) = s.response {
                        a["response"] = json!([r]);
                    }
                    a
                }
                VexStatus::UnderInvestigation => json!({"state": "in_triage"}),
            };
            analysis["detail"] = json!(s.note);
            let mut v = json!({
                "id": s.vulnerability,
                "analysis": analysis,
                "affects": s.products.iter().map(|p| json!({"ref": p.identifier})).collect::<Vec<_>>(),
            });
            if !s.aliases.is_empty() {
                v["references"] = json!(s
                    .aliases
                    .iter()
                    .map(|a| json!({"id": a, "source": {"url": super::advisory_url(a)}}))
                    .collect::<Vec<_>>());
            }
            v
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": head.timestamp,
            "supplier": {"name": head.author},
            "tools": {"components": [{
                "type": "application",
                "name": "exposure",
                "version": env!("CARGO_PKG_VERSION"),
            }]},
        },
        "components": components,
        "vulnerabilities": vulnerabilities,
    })
}

/// CycloneDX's justification for an OpenVEX (or CSAF) one; `None` for a justification neither
/// vocabulary has. A CycloneDX justification is kept.
///
/// ```
/// use exposure::report::vex::cyclonedx_justification;
/// assert_eq!(cyclonedx_justification("inline_mitigations_already_exist"), Some("protected_by_mitigating_control"));
/// assert_eq!(cyclonedx_justification("vulnerable_code_not_in_execute_path"), Some("code_not_reachable"));
/// assert_eq!(cyclonedx_justification("requires_environment"), Some("requires_environment"));
/// assert_eq!(cyclonedx_justification("because"), None);
/// ```
pub fn cyclonedx_justification(justification: &str) -> Option<&'static str> {
    Some(match justification {
        "component_not_present" | "vulnerable_code_not_present" | "code_not_present" => {
            "code_not_present"
        }
        "vulnerable_code_not_in_execute_path" | "code_not_reachable" => "code_not_reachable",
        "vulnerable_code_cannot_be_controlled_by_adversary" | "requires_environment" => {
            "requires_environment"
        }
        "inline_mitigations_already_exist" | "protected_by_mitigating_control" => {
            "protected_by_mitigating_control"
        }
        "requires_configuration" => "requires_configuration",
        "requires_dependency" => "requires_dependency",
        "protected_by_compiler" => "protected_by_compiler",
        "protected_at_runtime" => "protected_at_runtime",
        "protected_at_perimeter" => "protected_at_perimeter",
        _ => return None,
    })
}

/// OpenVEX's justification for a CycloneDX (or OpenVEX, CSAF) one; `None` for one OpenVEX has
/// no word for.
fn openvex_justification(justification: &str) -> Option<&'static str> {
    Some(match justification {
        "component_not_present" => "component_not_present",
        "vulnerable_code_not_present" | "code_not_present" => "vulnerable_code_not_present",
        "vulnerable_code_not_in_execute_path" | "code_not_reachable" => {
            "vulnerable_code_not_in_execute_path"
        }
        "vulnerable_code_cannot_be_controlled_by_adversary"
        | "requires_configuration"
        | "requires_dependency"
        | "requires_environment" => "vulnerable_code_cannot_be_controlled_by_adversary",
        "inline_mitigations_already_exist"
        | "protected_by_mitigating_control"
        | "protected_by_compiler"
        | "protected_at_runtime"
        | "protected_at_perimeter" => "inline_mitigations_already_exist",
        _ => return None,
    })
}

/// What one finding says of its product.
struct Claim {
    /// Affected 0, under investigation 1, not affected 2, fixed 3: the lowest wins.
    strength: u8,
    status: VexStatus,
    justification: Option<&'static str>,
    response: Option<&'static str>,
    note: String,
    device_id: String,
    software: String,
}

/// The recommendation texts (and their CycloneDX response) per finding index.
fn actions(assessment: &Assessment) -> BTreeMap<usize, (String, &'static str)> {
    let mut out = BTreeMap::new();
    let excepted = assessment
        .excepted_recommendations
        .iter()
        .map(|e| &e.recommendation);
    for r in assessment.recommendations.iter().chain(excepted) {
        let response = match r.action {
            ActionKind::Update | ActionKind::Upgrade | ActionKind::EndOfSupport => "update",
            ActionKind::ConfigurationChange | ActionKind::AttentionRequired => {
                "workaround_available"
            }
        };
        for &i in &r.covered {
            out.entry(i).or_insert_with(|| (r.text.clone(), response));
        }
    }
    out
}

/// Every finding's claim, by (vulnerability, product), and the findings without a product.
fn claims(assessment: &Assessment) -> (Claims, Vec<NotStated>) {
    let actions = actions(assessment);
    let mut by_key = Claims::new();
    let mut unexpressed = Vec::new();
    let mut add = |finding: &Finding, claim: Claim| {
        if let Some(product) = named(finding) {
            by_key
                .entry((finding.advisory_id.to_string(), product))
                .or_insert_with(|| (finding.aliases.to_vec(), Vec::new()))
                .1
                .push(claim);
        } else {
            unexpressed.push(NotStated {
                device_id: claim.device_id,
                software: claim.software,
                advisory_id: finding.advisory_id.to_string(),
                reason: "the software has neither a package URL nor a CPE name".to_owned(),
            });
        }
    };
    let who = |f: &Finding| {
        (
            f.device_id.to_string(),
            format!("{} {}", f.software.name, f.software.version),
        )
    };
    for (i, scored) in assessment.findings.iter().enumerate() {
        let f = &scored.finding;
        let (device_id, software) = who(f);
        let claim = match scored.not_counted() {
            None => {
                let (note, response) = actions.get(&i).map_or_else(
                    || match f.fix.as_deref() {
                        Some(v) => (format!("update to {v} or later"), Some("update")),
                        None => ("no fixed version is known".to_owned(), Some("can_not_fix")),
                    },
                    |(text, response)| (text.clone(), Some(*response)),
                );
                Claim {
                    strength: 0,
                    status: VexStatus::Affected,
                    justification: None,
                    response,
                    note,
                    device_id,
                    software,
                }
            }
            Some(crate::assessment::NotCounted::ConditionNotReported) => Claim {
                strength: 1,
                status: VexStatus::UnderInvestigation,
                justification: None,
                response: None,
                note: "the record applies only on a platform or configuration the device does not report".to_owned(),
                device_id,
                software,
            },
            Some(crate::assessment::NotCounted::Mitigated) => Claim {
                strength: 2,
                status: VexStatus::NotAffected,
                justification: Some("inline_mitigations_already_exist"),
                response: None,
                note: format!(
                    "mitigated by the passing configuration check {}",
                    scored.mitigated_by.as_deref().unwrap_or_default()
                ),
                device_id,
                software,
            },
        };
        add(f, claim);
    }
    for s in &assessment.suppressed {
        let (device_id, software) = who(&s.finding);
        let claim = match (&s.statement, &s.exception) {
            (_, Some(e)) => Claim {
                strength: 2,
                status: VexStatus::NotAffected,
                justification: Some("inline_mitigations_already_exist"),
                response: None,
                note: format!("exception {} ({})", e.id, e.justification.name()),
                device_id,
                software,
            },
            (Some(statement), None) => {
                let fixed = statement.status == VexStatus::Fixed;
                Claim {
                    strength: if fixed { 3 } else { 2 },
                    status: statement.status,
                    justification: statement
                        .justification
                        .as_deref()
                        .and_then(openvex_justification),
                    response: None,
                    note: statement.detail.clone().unwrap_or_else(|| {
                        format!("stated {} by {}", statement.status.name(), statement.source)
                    }),
                    device_id,
                    software,
                }
            }
            (None, None) => continue,
        };
        add(&s.finding, claim);
    }
    (by_key, unexpressed)
}

/// At most this many distinct notes are joined into one statement's text.
const NOTES: usize = 5;

/// The statements of `assessment`, one per vulnerability and product, and what they cannot say.
fn statements(assessment: &Assessment) -> (Vec<Statement>, Vec<NotStated>) {
    let (by_key, mut unexpressed) = claims(assessment);
    let mut out = Vec::with_capacity(by_key.len());
    for ((vulnerability, product), (aliases, claims)) in by_key {
        let Some(strongest) = claims.iter().map(|c| c.strength).min() else {
            continue;
        };
        // Affected or under investigation: the claims that remove the finding elsewhere cannot
        // be stated. Removing claims only: not affected, unless every one says fixed.
        let removing = strongest >= 2;
        let chosen: Vec<&Claim> = claims
            .iter()
            .filter(|c| removing || c.strength == strongest)
            .collect();
        if !removing {
            for c in claims.iter().filter(|c| c.strength >= 2) {
                unexpressed.push(NotStated {
                    device_id: c.device_id.clone(),
                    software: c.software.clone(),
                    advisory_id: vulnerability.clone(),
                    reason: format!(
                        "{} here, but the product is {} on other devices, and VEX cannot name devices",
                        c.status.name(),
                        if strongest == 0 { "affected" } else { "under_investigation" }
                    ),
                });
            }
        }
        let Some(first) = chosen.first() else {
            continue;
        };
        let mut notes: Vec<&str> = chosen.iter().map(|c| c.note.as_str()).collect();
        notes.sort_unstable();
        notes.dedup();
        let more = notes.len().saturating_sub(NOTES);
        notes.truncate(NOTES);
        let mut note = notes.join("; ");
        if more > 0 {
            let _ = write!(note, "; and {more} more");
        }
        let status = if removing && chosen.iter().any(|c| c.strength == 2) {
            VexStatus::NotAffected
        } else {
            first.status
        };
        let justification = if status == VexStatus::NotAffected {
            let all: BTreeSet<Option<&str>> = chosen
                .iter()
                .filter(|c| c.status == VexStatus::NotAffected)
                .map(|c| c.justification)
                .collect();
            match all.into_iter().collect::<Vec<_>>().as_slice() {
                [one] => *one,
                _ => Some("inline_mitigations_already_exist"),
            }
        } else {
            None
        };
        out.push(Statement {
            vulnerability,
            aliases,
            products: BTreeSet::from([product]),
            status,
            justification,
            response: first.response,
            note,
            timestamp: None,
        });
    }
    (out, unexpressed)
}

/// The document's head: dated on the assessment's as-of day (the core never reads the clock).
fn head(assessment: &Assessment) -> Head<'static> {
    let timestamp = assessment.as_of.map_or_else(
        || "1970-01-01T00:00:00Z".to_owned(),
        |d| format!("{d}T00:00:00Z"),
    );
    Head {
        id: format!("urn:exposure:assessment:{timestamp}"),
        author: "exposure",
        timestamp,
    }
}

/// The findings of `assessment` as an OpenVEX 0.2.0 document.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let vex = exposure::report::vex::openvex(&a);
/// let s = vex.document["statements"].as_array().unwrap();
/// assert_eq!(s.len(), vex.statements);
/// let lodash = s.iter().find(|s| s["vulnerability"]["name"] == "GHSA-35jh-r3h4-6jhm").unwrap();
/// assert_eq!(lodash["status"], "affected");
/// assert_eq!(lodash["action_statement"], "update lodash (npm) to 4.17.21");
/// ```
pub fn openvex(assessment: &Assessment) -> AssessmentVex {
    let (statements, unexpressed) = statements(assessment);
    AssessmentVex {
        document: openvex_document(&head(assessment), &statements),
        statements: statements.len(),
        unexpressed,
    }
}

/// The findings of `assessment` as a CycloneDX 1.6 VEX document.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let vex = exposure::report::vex::cyclonedx(&a);
/// assert_eq!(vex.document["specVersion"], "1.6");
/// let v = &vex.document["vulnerabilities"][0];
/// assert_eq!(v["analysis"]["state"], "exploitable");
/// ```
pub fn cyclonedx(assessment: &Assessment) -> AssessmentVex {
    let (statements, unexpressed) = statements(assessment);
    AssessmentVex {
        document: cyclonedx_document(&head(assessment), &statements),
        statements: statements.len(),
        unexpressed,
    }
}
