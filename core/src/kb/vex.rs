//! VEX: statements that a product is or is not affected by a vulnerability, read from
//! OpenVEX, CycloneDX VEX (a BOM's `vulnerabilities[].analysis`) and CSAF 2.0 (`csaf_vex`, or
//! any CSAF document's `product_status`).
//!
//! A statement names its product by package URL or CPE; whether it applies to installed
//! software is decided beside the matchers ([`crate::matching::vex_applies`]).
//! `not_affected` and `fixed` suppress a finding; the engine reports each suppression with
//! its statement. `affected` and `under_investigation` suppress nothing.

use crate::cpe::Cpe;
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::parsed::Parsed;
use crate::purl::Purl;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// What a statement says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    /// The product is not affected (with a justification).
    NotAffected,
    /// The product contains a fix.
    Fixed,
    /// The product is affected.
    Affected,
    /// Not known yet.
    UnderInvestigation,
}

impl VexStatus {
    /// The OpenVEX name: `not_affected`, `fixed`, `affected`, `under_investigation`.
    pub fn name(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Fixed => "fixed",
            VexStatus::Affected => "affected",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }

    /// Whether the status removes a finding.
    pub fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }
}

/// How a statement names its product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VexProduct {
    /// A package URL.
    Purl(Parsed<Purl>),
    /// A CPE name.
    Cpe(Parsed<Cpe>),
}

impl VexProduct {
    /// The product as the statement names it.
    pub fn text(&self) -> &str {
        match self {
            VexProduct::Purl(p) => p.text(),
            VexProduct::Cpe(c) => c.text(),
        }
    }
}

/// One VEX statement about one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VexStatement {
    /// The vulnerability (`CVE-2023-38545`, a GHSA id, …).
    pub vulnerability: String,
    /// The product.
    pub product: VexProduct,
    /// The platform the statement is limited to (a CSAF relationship's CPE), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<Parsed<Cpe>>,
    /// What it says.
    pub status: VexStatus,
    /// The justification of `not_affected` (`vulnerable_code_not_present`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Free text: impact or action statement, status notes, analysis detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Who made it (the document's author or publisher), when said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The input it came from.
    pub source: String,
}

/// VEX statements by vulnerability id.
#[derive(Debug, Clone, Default)]
pub struct VexStore {
    by_vulnerability: HashMap<String, Vec<VexStatement>>,
    len: usize,
}

impl VexStore {
    /// Number of statements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The statements about a vulnerability.
    pub fn about(&self, vulnerability: &str) -> &[VexStatement] {
        self.by_vulnerability
            .get(vulnerability)
            .map_or(&[], Vec::as_slice)
    }

    /// Every statement, grouped by vulnerability.
    pub fn statements(&self) -> impl Iterator<Item = &VexStatement> {
        self.by_vulnerability.values().flatten()
    }

    pub(crate) fn add(&mut self, statement: VexStatement) {
        self.len += 1;
        self.by_vulnerability
            .entry(statement.vulnerability.clone())
            .or_default()
            .push(statement);
    }

    /// Loads a VEX document (OpenVEX, CycloneDX or CSAF, told apart by content); `None` when
    /// the text is none of them.
    pub(crate) fn load(&mut self, document: &Value, origin: &str) -> Option<LoadReport> {
        let mut report = LoadReport::one_file();
        let statements = if is_openvex(document) {
            openvex(document, origin, &mut report)
        } else if is_cyclonedx_vex(document) {
            cyclonedx(document, origin, &mut report)
        } else if is_csaf(document) {
            csaf(document, origin, &mut report)
        } else {
            return None;
        };
        for s in statements {
            self.add(s);
        }
        Some(report)
    }
}

/// Whether a document may be VEX, from its first kilobytes (`head`) and, for CycloneDX,
/// whether any vulnerability carries an analysis: a guess that [`recognizes`] settles once
/// the JSON is read.
pub(crate) fn maybe(head: &str, text: &str) -> bool {
    head.contains("openvex")
        || head.contains("csaf_version")
        || (head.contains("CycloneDX") && text.contains("\"analysis\""))
}

/// Whether a JSON document is VEX this store reads.
pub(crate) fn recognizes(document: &Value) -> bool {
    is_openvex(document) || is_cyclonedx_vex(document) || is_csaf(document)
}

fn is_openvex(d: &Value) -> bool {
    d.get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains("openvex"))
}

fn is_cyclonedx_vex(d: &Value) -> bool {
    d.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX")
        && d.get("vulnerabilities")
            .and_then(Value::as_array)
            .is_some_and(|v| v.iter().any(|v| v.get("analysis").is_some()))
}

fn is_csaf(d: &Value) -> bool {
    d.pointer("/document/csaf_version").is_some() && d.get("vulnerabilities").is_some()
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The product an identifier names, parsed; `None` for identifiers that are neither a
/// package URL nor a CPE name (or do not parse as one: such a statement could never apply).
fn product_of(identifier: &str) -> Option<VexProduct> {
    let identifier = identifier.trim();
    if identifier.starts_with("pkg:") {
        Parsed::new(identifier).ok().map(VexProduct::Purl)
    } else if identifier.starts_with("cpe:") {
        Parsed::new(identifier).ok().map(VexProduct::Cpe)
    } else {
        None
    }
}

fn openvex(d: &Value, origin: &str, report: &mut LoadReport) -> Vec<VexStatement> {
    let author = text(d.get("author"));
    let mut out = Vec::new();
    for (i, s) in d
        .get("statements")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        report.records_read += 1;
        let field = format!("statements[{i}]");
        let vulnerability = text(s.pointer("/vulnerability/name"))
            .or_else(|| text(s.get("vulnerability")))
            .or_else(|| text(s.pointer("/vulnerability/@id")));
        let status = match s.get("status").and_then(Value::as_str) {
            Some("not_affected") => Some(VexStatus::NotAffected),
            Some("fixed") => Some(VexStatus::Fixed),
            Some("affected") => Some(VexStatus::Affected),
            Some("under_investigation") => Some(VexStatus::UnderInvestigation),
            _ => None,
        };
        let (Some(vulnerability), Some(status)) = (vulnerability, status) else {
            report.records_skipped += 1;
            report.problem(Problem::new(
                origin,
                None,
                &field,
                "needs vulnerability.name and a status of not_affected, affected, fixed or under_investigation",
                Consequence::Skipped,
            ));
            continue;
        };
        report.records_loaded += 1;
        let detail = text(s.get("impact_statement"))
            .or_else(|| text(s.get("action_statement")))
            .or_else(|| text(s.get("status_notes")));
        for product in s
            .get("products")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut ids: Vec<&str> = product
                .get("@id")
                .and_then(Value::as_str)
                .into_iter()
                .collect();
            if let Some(identifiers) = product.get("identifiers").and_then(Value::as_object) {
                ids.extend(identifiers.values().filter_map(Value::as_str));
            }
            for product in ids.into_iter().filter_map(product_of) {
                out.push(VexStatement {
                    vulnerability: vulnerability.clone(),
                    product,
                    platform: None,
                    status,
                    justification: text(s.get("justification")),
                    detail: detail.clone(),
                    author: author.clone(),
                    source: origin.to_owned(),
                });
            }
        }
    }
    out
}

fn cyclonedx(d: &Value, origin: &str, report: &mut LoadReport) -> Vec<VexStatement> {
    // Refs name components of this BOM by bom-ref, or of another by BOM-Link (`urn:cdx:…#ref`).
    let mut components: HashMap<&str, &str> = HashMap::new();
    let mut pending: Vec<&Value> = d
        .get("components")
        .and_then(Value::as_array)
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    while let Some(c) = pending.pop() {
        if let (Some(r), Some(p)) = (
            c.get("bom-ref").and_then(Value::as_str),
            c.get("purl").and_then(Value::as_str),
        ) {
            components.insert(r, p);
        }
        pending.extend(
            c.get("components")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    }
    let author = text(d.pointer("/metadata/manufacture/name"))
        .or_else(|| text(d.pointer("/metadata/supplier/name")));
    let mut out = Vec::new();
    for (i, v) in d
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(analysis) = v.get("analysis") else {
            continue;
        };
        report.records_read += 1;
        let field = format!("vulnerabilities[{i}].analysis.state");
        let status = match analysis.get("state").and_then(Value::as_str) {
            Some("not_affected" | "false_positive") => Some(VexStatus::NotAffected),
            Some("resolved" | "resolved_with_pedigree") => Some(VexStatus::Fixed),
            Some("exploitable") => Some(VexStatus::Affected),
            Some("in_triage") => Some(VexStatus::UnderInvestigation),
            _ => None,
        };
        let (Some(vulnerability), Some(status)) = (text(v.get("id")), status) else {
            report.records_skipped += 1;
            report.problem(Problem::new(
                origin,
                text(v.get("id")).as_deref(),
                &field,
                "needs an id and a state of not_affected, false_positive, resolved, resolved_with_pedigree, exploitable or in_triage",
                Consequence::Skipped,
            ));
            continue;
        };
        report.records_loaded += 1;
        for affect in v
            .get("affects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(reference) = affect.get("ref").and_then(Value::as_str) else {
                continue;
            };
            let target = components.get(reference).copied().or_else(|| {
                reference
                    .split_once('#')
                    .map(|(_, r)| components.get(r).copied().unwrap_or(r))
            });
            match target.and_then(product_of) {
                Some(product) => out.push(VexStatement {
                    vulnerability: vulnerability.clone(),
                    product,
                    platform: None,
                    status,
                    justification: text(analysis.get("justification")),
                    detail: text(analysis.get("detail")),
                    author: author.clone(),
                    source: origin.to_owned(),
                }),
                None => report.problem(Problem::new(
                    origin,
                    Some(&vulnerability),
                    &format!("vulnerabilities[{i}].affects"),
                    format!("{reference:?} names no component with a purl or CPE: the statement cannot apply"),
                    Consequence::PartlyUsed,
                )),
            }
        }
    }
    out
}

/// CSAF product ids resolved to identifiers: branch products by their helper, relationship
/// products by the referenced product's helper and the platform's CPE.
pub(super) fn csaf_products(
    d: &Value,
) -> HashMap<String, (Option<VexProduct>, Option<Parsed<Cpe>>)> {
    let mut helpers: HashMap<String, Option<VexProduct>> = HashMap::new();
    let mut cpes: HashMap<String, String> = HashMap::new();
    let mut pending: Vec<&Value> = d
        .pointer("/product_tree/branches")
        .and_then(Value::as_array)
        .map(|b| b.iter().collect())
        .unwrap_or_default();
    let mut record = |product: &Value| {
        let Some(id) = product.get("product_id").and_then(Value::as_str) else {
            return;
        };
        let helper = product.get("product_identification_helper");
        let purl = helper.and_then(|h| h.get("purl")).and_then(Value::as_str);
        let cpe = helper.and_then(|h| h.get("cpe")).and_then(Value::as_str);
        if let Some(cpe) = cpe {
            cpes.insert(id.to_owned(), cpe.to_owned());
        }
        helpers.insert(id.to_owned(), purl.or(cpe).and_then(product_of));
    };
    while let Some(branch) = pending.pop() {
        if let Some(product) = branch.get("product") {
            record(product);
        }
        pending.extend(
            branch
                .get("branches")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    }
    for product in d
        .pointer("/product_tree/full_product_names")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        record(product);
    }
    let mut out: HashMap<String, (Option<VexProduct>, Option<Parsed<Cpe>>)> = helpers
        .iter()
        .map(|(id, p)| (id.clone(), (p.clone(), None)))
        .collect();
    for relationship in d
        .pointer("/product_tree/relationships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(id), Some(reference), platform) = (
            relationship
                .pointer("/full_product_name/product_id")
                .and_then(Value::as_str),
            relationship
                .get("product_reference")
                .and_then(Value::as_str),
            relationship
                .get("relates_to_product_reference")
                .and_then(Value::as_str),
        ) else {
            continue;
        };
        let mut product = helpers.get(reference).cloned().flatten();
        // A platform whose CPE does not parse could never be matched: neither can the product.
        let platform = match platform.and_then(|p| cpes.get(p)).map(|c| Parsed::new(c)) {
            Some(Ok(cpe)) => Some(cpe),
            Some(Err(_)) => {
                product = None;
                None
            }
            None => None,
        };
        out.insert(id.to_owned(), (product, platform));
    }
    out
}

fn csaf(d: &Value, origin: &str, report: &mut LoadReport) -> Vec<VexStatement> {
    let products = csaf_products(d);
    let author = text(d.pointer("/document/publisher/name"));
    let mut out = Vec::new();
    for (i, v) in d
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        report.records_read += 1;
        let Some(vulnerability) = text(v.get("cve")).or_else(|| text(v.pointer("/ids/0/text")))
        else {
            report.records_skipped += 1;
            report.problem(Problem::new(
                origin,
                None,
                &format!("vulnerabilities[{i}].cve"),
                "is missing (and so are ids)",
                Consequence::Skipped,
            ));
            continue;
        };
        report.records_loaded += 1;
        // Justifications are flags per product id.
        let mut justification: HashMap<&str, &str> = HashMap::new();
        for flag in v
            .get("flags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let label = flag
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or_default();
            for id in flag
                .get("product_ids")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(id) = id.as_str() {
                    justification.insert(id, label);
                }
            }
        }
        let mut unresolved = 0usize;
        for (key, status) in [
            ("known_not_affected", VexStatus::NotAffected),
            ("fixed", VexStatus::Fixed),
            ("first_fixed", VexStatus::Fixed),
            ("known_affected", VexStatus::Affected),
            ("first_affected", VexStatus::Affected),
            ("last_affected", VexStatus::Affected),
            ("under_investigation", VexStatus::UnderInvestigation),
        ] {
            for id in v
                .pointer(&format!("/product_status/{key}"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                match products.get(id) {
                    Some((Some(product), platform)) => out.push(VexStatement {
                        vulnerability: vulnerability.clone(),
                        product: product.clone(),
                        platform: platform.clone(),
                        status,
                        justification: justification.get(id).map(|j| (*j).to_owned()),
                        detail: None,
                        author: author.clone(),
                        source: origin.to_owned(),
                    }),
                    _ => unresolved += 1,
                }
            }
        }
        if unresolved > 0 {
            report.problem(Problem::new(
                origin,
                Some(&vulnerability),
                &format!("vulnerabilities[{i}].product_status"),
                format!("{unresolved} product ids have no purl or CPE in the product tree: their statements cannot apply"),
                Consequence::PartlyUsed,
            ));
        }
    }
    out
}
