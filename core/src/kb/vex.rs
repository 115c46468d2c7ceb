//! VEX: statements that a product is or is not affected by a vulnerability, read from
//! OpenVEX, CycloneDX VEX (a BOM's `vulnerabilities[].analysis`) and CSAF 2.0 (`csaf_vex`, or
//! any CSAF document's `product_status`).
//!
//! A statement names its product by package URL or CPE; whether it applies to installed
//! software is decided beside the matchers ([`crate::matching::vex_applies`]).
//! `not_affected` and `fixed` suppress a finding; the engine reports each suppression with
//! its statement. `affected` and `under_investigation` suppress nothing.
//!
//! Each statement (an OpenVEX statement, a CycloneDX vulnerability with an analysis, a CSAF
//! vulnerability) is read into a struct of its shape: a field of the wrong type skips it with
//! a problem naming the field's path. A document part the statements only refer to (CycloneDX
//! components and metadata, the CSAF product tree and publisher) that cannot be read is a
//! problem too; the statements are still read.

use super::csaf;
use crate::cpe::Cpe;
use crate::json::{self, FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::parsed::Parsed;
use crate::purl::Purl;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

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
        let read: fn(&Obj<'_>, &str, &mut LoadReport) -> Vec<VexStatement> = if is_openvex(document)
        {
            openvex
        } else if is_cyclonedx_vex(document) {
            cyclonedx
        } else if is_csaf(document) {
            csaf
        } else {
            return None;
        };
        let mut report = LoadReport::one_file();
        // Each test above found a key in the document: it is an object.
        let statements = match Obj::new(document, String::new()) {
            Ok(document) => read(&document, origin, &mut report),
            Err(e) => {
                report.left_out(origin, None, e);
                Vec::new()
            }
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

/// Text that says something: trimmed, `None` when empty.
fn text(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The statements listed at `key` of a document: a list of the wrong type is a problem and
/// none are read.
fn statements<'a>(
    document: &Obj<'a>,
    key: &str,
    origin: &str,
    report: &mut LoadReport,
) -> &'a [Value] {
    document.opt_array(key).unwrap_or_else(|e| {
        report.left_out(origin, None, e);
        &[]
    })
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

/// An OpenVEX statement.
#[derive(Debug, Deserialize)]
struct OpenVexStatement {
    vulnerability: Option<OpenVexVulnerability>,
    status: Option<String>,
    justification: Option<String>,
    impact_statement: Option<String>,
    action_statement: Option<String>,
    status_notes: Option<String>,
    products: Option<Vec<OpenVexProduct>>,
}

/// A statement's vulnerability: its name, or an object with a `name` or an `@id`.
#[derive(Debug, Deserialize)]
#[serde(untagged, expecting = "expected a string or an object")]
enum OpenVexVulnerability {
    Name(String),
    Object {
        name: Option<String>,
        #[serde(rename = "@id")]
        id: Option<String>,
    },
}

/// A product: its `@id` and other identifiers (`purl`, `cpe23`, …), each a purl or CPE.
#[derive(Debug, Deserialize)]
struct OpenVexProduct {
    #[serde(rename = "@id")]
    id: Option<String>,
    identifiers: Option<BTreeMap<String, String>>,
}

fn openvex(d: &Obj<'_>, origin: &str, report: &mut LoadReport) -> Vec<VexStatement> {
    let author = text(report.optional(origin, None, d.opt_str("author")));
    let mut out = Vec::new();
    for (i, s) in statements(d, "statements", origin, report)
        .iter()
        .enumerate()
    {
        report.records_read += 1;
        let field = format!("statements[{i}]");
        let read = json::read::<OpenVexStatement>(s, &field).and_then(|s| {
            let vulnerability = match &s.vulnerability {
                Some(OpenVexVulnerability::Name(name)) => text(Some(name)),
                Some(OpenVexVulnerability::Object { name, id }) => {
                    text(name.as_deref()).or_else(|| text(id.as_deref()))
                }
                None => None,
            };
            let status = match s.status.as_deref() {
                Some("not_affected") => Some(VexStatus::NotAffected),
                Some("fixed") => Some(VexStatus::Fixed),
                Some("affected") => Some(VexStatus::Affected),
                Some("under_investigation") => Some(VexStatus::UnderInvestigation),
                _ => None,
            };
            match (vulnerability, status) {
                (Some(vulnerability), Some(status)) => Ok((vulnerability, status, s)),
                _ => Err(FieldError {
                    path: field.clone(),
                    message: "needs vulnerability.name and a status of not_affected, affected, fixed or under_investigation".to_owned(),
                }),
            }
        });
        let Some((vulnerability, status, s)) = report.kept_or_skipped(origin, None, read) else {
            continue;
        };
        let detail = text(s.impact_statement.as_deref())
            .or_else(|| text(s.action_statement.as_deref()))
            .or_else(|| text(s.status_notes.as_deref()));
        for product in s.products.iter().flatten() {
            let ids = product
                .id
                .iter()
                .chain(product.identifiers.iter().flat_map(BTreeMap::values));
            for product in ids.filter_map(|id| product_of(id)) {
                out.push(VexStatement {
                    vulnerability: vulnerability.clone(),
                    product,
                    platform: None,
                    status,
                    justification: text(s.justification.as_deref()),
                    detail: detail.clone(),
                    author: author.clone(),
                    source: origin.to_owned(),
                });
            }
        }
    }
    out
}

/// A CycloneDX component, for the purl (else the CPE name) its `bom-ref` names.
#[derive(Debug, Deserialize)]
struct CdxComponent {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    purl: Option<String>,
    cpe: Option<String>,
    components: Option<Vec<CdxComponent>>,
}

/// A CycloneDX BOM's `metadata`, for the statements' author.
#[derive(Debug, Deserialize)]
struct CdxMetadata {
    manufacture: Option<CdxOrganization>,
    supplier: Option<CdxOrganization>,
}

#[derive(Debug, Deserialize)]
struct CdxOrganization {
    name: Option<String>,
}

/// A CycloneDX vulnerability with an analysis: a statement about what it `affects`.
#[derive(Debug, Deserialize)]
struct CdxVulnerability {
    id: Option<String>,
    analysis: Option<CdxAnalysis>,
    affects: Option<Vec<CdxAffects>>,
}

#[derive(Debug, Deserialize)]
struct CdxAnalysis {
    state: Option<String>,
    justification: Option<String>,
    detail: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CdxAffects {
    #[serde(rename = "ref")]
    reference: Option<String>,
}

fn cyclonedx(d: &Obj<'_>, origin: &str, report: &mut LoadReport) -> Vec<VexStatement> {
    // Refs name components of this BOM by bom-ref, or of another by BOM-Link (`urn:cdx:…#ref`).
    let listed: Vec<CdxComponent> = report
        .optional(origin, None, d.opt_read("components"))
        .unwrap_or_default();
    let mut components: HashMap<&str, &str> = HashMap::new();
    let mut pending: Vec<&CdxComponent> = listed.iter().collect();
    while let Some(c) = pending.pop() {
        if let (Some(r), Some(p)) = (c.bom_ref.as_deref(), c.purl.as_deref().or(c.cpe.as_deref())) {
            components.insert(r, p);
        }
        pending.extend(c.components.iter().flatten());
    }
    let metadata: Option<CdxMetadata> = report.optional(origin, None, d.opt_read("metadata"));
    let name = |o: Option<CdxOrganization>| text(o.and_then(|o| o.name).as_deref());
    let author = metadata.and_then(|m| name(m.manufacture).or_else(|| name(m.supplier)));
    let mut out = Vec::new();
    for (i, v) in statements(d, "vulnerabilities", origin, report)
        .iter()
        .enumerate()
    {
        // Only a vulnerability with an analysis states something about the products.
        if v.get("analysis").is_none() {
            continue;
        }
        report.records_read += 1;
        let id = text(json::id_of(v, "id"));
        let read = json::read::<CdxVulnerability>(v, &format!("vulnerabilities[{i}]")).and_then(|v| {
            let analysis = v.analysis.as_ref();
            let status = match analysis.and_then(|a| a.state.as_deref()) {
                Some("not_affected" | "false_positive") => Some(VexStatus::NotAffected),
                Some("resolved" | "resolved_with_pedigree") => Some(VexStatus::Fixed),
                Some("exploitable") => Some(VexStatus::Affected),
                Some("in_triage") => Some(VexStatus::UnderInvestigation),
                _ => None,
            };
            match (text(v.id.as_deref()), status) {
                (Some(vulnerability), Some(status)) => Ok((vulnerability, status, v)),
                _ => Err(FieldError {
                    path: format!("vulnerabilities[{i}].analysis.state"),
                    message: "needs an id and a state of not_affected, false_positive, resolved, resolved_with_pedigree, exploitable or in_triage".to_owned(),
                }),
            }
        });
        let Some((vulnerability, status, v)) = report.kept_or_skipped(origin, id.as_deref(), read)
        else {
            continue;
        };
        let analysis = v.analysis.as_ref();
        for affect in v.affects.iter().flatten() {
            let Some(reference) = affect.reference.as_deref() else {
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
                    justification: text(analysis.and_then(|a| a.justification.as_deref())),
                    detail: text(analysis.and_then(|a| a.detail.as_deref())),
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
    tree: &csaf::ProductTree,
) -> HashMap<String, (Option<VexProduct>, Option<Parsed<Cpe>>)> {
    let mut helpers: HashMap<String, Option<VexProduct>> = HashMap::new();
    let mut cpes: HashMap<String, String> = HashMap::new();
    let mut pending: Vec<&csaf::Branch> = tree.branches.iter().flatten().collect();
    let mut record = |product: &csaf::Product| {
        let Some(id) = &product.product_id else {
            return;
        };
        let helper = product.product_identification_helper.as_ref();
        let purl = helper.and_then(|h| h.purl.as_deref());
        let cpe = helper.and_then(|h| h.cpe.as_deref());
        if let Some(cpe) = cpe {
            cpes.insert(id.clone(), cpe.to_owned());
        }
        helpers.insert(id.clone(), purl.or(cpe).and_then(product_of));
    };
    while let Some(branch) = pending.pop() {
        if let Some(product) = &branch.product {
            record(product);
        }
        pending.extend(branch.branches.iter().flatten());
    }
    for product in tree.full_product_names.iter().flatten() {
        record(product);
    }
    let mut out: HashMap<String, (Option<VexProduct>, Option<Parsed<Cpe>>)> = helpers
        .iter()
        .map(|(id, p)| (id.clone(), (p.clone(), None)))
        .collect();
    for relationship in tree.relationships.iter().flatten() {
        let (Some(id), Some(reference), platform) = (
            relationship
                .full_product_name
                .as_ref()
                .and_then(|n| n.product_id.as_deref()),
            relationship.product_reference.as_deref(),
            relationship.relates_to_product_reference.as_deref(),
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

fn csaf(d: &Obj<'_>, origin: &str, report: &mut LoadReport) -> Vec<VexStatement> {
    let header = csaf::Header::read(d, origin, report);
    let products = csaf_products(&header.product_tree);
    let author = text(header.publisher.as_deref());
    let mut out = Vec::new();
    for (i, v) in statements(d, "vulnerabilities", origin, report)
        .iter()
        .enumerate()
    {
        report.records_read += 1;
        let read =
            json::read::<csaf::Vulnerability>(v, &format!("vulnerabilities[{i}]")).and_then(|v| {
                let first_id = v
                    .ids
                    .iter()
                    .flatten()
                    .next()
                    .and_then(|id| id.text.as_deref());
                match text(v.cve.as_deref()).or_else(|| text(first_id)) {
                    Some(vulnerability) => Ok((vulnerability, v)),
                    None => Err(FieldError {
                        path: format!("vulnerabilities[{i}].cve"),
                        message: "is missing (and so are ids)".to_owned(),
                    }),
                }
            });
        let cve = text(json::id_of(v, "cve"));
        let Some((vulnerability, v)) = report.kept_or_skipped(origin, cve.as_deref(), read) else {
            continue;
        };
        // Justifications are flags per product id.
        let mut justification: HashMap<&str, &str> = HashMap::new();
        for flag in v.flags.iter().flatten() {
            let label = flag.label.as_deref().unwrap_or_default();
            for id in flag.product_ids.iter().flatten() {
                justification.insert(id, label);
            }
        }
        let mut unresolved = 0usize;
        let status = v.product_status.unwrap_or_default();
        for (status, ids) in status.by_status() {
            for id in ids {
                match products.get(id) {
                    Some((Some(product), platform)) => out.push(VexStatement {
                        vulnerability: vulnerability.clone(),
                        product: product.clone(),
                        platform: platform.clone(),
                        status,
                        justification: justification.get(id.as_str()).map(|j| (*j).to_owned()),
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
