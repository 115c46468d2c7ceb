//! CSAF 2.0 security advisories (`csaf_security_advisory`, as Red Hat publishes its RHSAs):
//! each CVE's `fixed` products become affected entries of ecosystem `Red Hat`: the package
//! from the product's purl, vulnerable below the fixed `epoch:version-release` in rpm order.
//!
//! Fixes of several streams (`el9_0` EUS, `el9_3`) are separate entries, so a package is
//! flagged when it is below the fix of some stream and not at or above it. A package already
//! fixed in one stream can still sort below another stream's fix; the advisory's own VEX
//! statements (loaded from the same document) clear it on a device whose platform CPE the
//! inventory names.
//!
//! Product relationships (`product_tree.relationships`) resolve a fixed product id to its
//! package (the referenced product's purl) whatever the relationship's category: Red Hat's
//! are all `default_component_of` (the package as part of a RHEL stream, not a platform it
//! runs on), and the stream's CPE limits only the document's VEX statements. An
//! `installed_on` relationship (a product affected only when installed on another) is not
//! told apart and gates nothing: no feed the engine is tested with has one.
//!
//! The document's shapes ([`Header`], [`Vulnerability`]) are shared with the VEX reader, which
//! reads every CSAF document first and reports what in it cannot be read: a field of the wrong
//! type skips its vulnerability with a problem naming the field's path. This reader leaves such
//! parts out without reporting them again.

use super::nvd::Cvss;
use super::{Advisory, AffectedPackage, AffectedRange, SeverityScore, VexProduct, VexStatus};
use crate::ecosystem::Ecosystem;
use crate::json::{self, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::OsvEvent;
use serde::Deserialize;
use serde_json::Value;

/// Whether a parsed document is a CSAF security advisory.
pub(crate) fn is_advisory(d: &Value) -> bool {
    d.pointer("/document/category").and_then(Value::as_str) == Some("csaf_security_advisory")
}

/// What the readers of a CSAF document take from outside its vulnerabilities.
#[derive(Debug, Default)]
pub(super) struct Header {
    /// `document.tracking.id` (`RHSA-2024:1234`).
    pub(super) tracking_id: Option<String>,
    /// `document.publisher.name`.
    pub(super) publisher: Option<String>,
    /// `product_tree`.
    pub(super) product_tree: ProductTree,
}

impl Header {
    /// Reads the header of a CSAF document. A part of the wrong type is a problem in
    /// `report` and reads as absent (its vulnerabilities are still read; statements about
    /// products an unreadable product tree would have named cannot apply).
    pub(super) fn read(document: &Obj<'_>, origin: &str, report: &mut LoadReport) -> Header {
        let meta: Meta = report
            .optional(origin, None, document.opt_read("document"))
            .unwrap_or_default();
        Header {
            tracking_id: meta.tracking.and_then(|t| t.id),
            publisher: meta.publisher.and_then(|p| p.name),
            product_tree: report
                .optional(origin, None, document.opt_read("product_tree"))
                .unwrap_or_default(),
        }
    }
}

/// `document`, for its tracking id and publisher.
#[derive(Debug, Default, Deserialize)]
struct Meta {
    tracking: Option<Tracking>,
    publisher: Option<Publisher>,
}

#[derive(Debug, Deserialize)]
struct Tracking {
    id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Publisher {
    name: Option<String>,
}

/// `product_tree`: products in nested branches, as full product names, and as relationships
/// (a product on a platform).
#[derive(Debug, Default, Deserialize)]
pub(super) struct ProductTree {
    pub(super) branches: Option<Vec<Branch>>,
    pub(super) full_product_names: Option<Vec<Product>>,
    pub(super) relationships: Option<Vec<Relationship>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Branch {
    pub(super) product: Option<Product>,
    pub(super) branches: Option<Vec<Branch>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Product {
    pub(super) product_id: Option<String>,
    pub(super) product_identification_helper: Option<Helper>,
}

/// How a product is identified: by package URL or CPE.
#[derive(Debug, Deserialize)]
pub(super) struct Helper {
    pub(super) purl: Option<String>,
    pub(super) cpe: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Relationship {
    pub(super) full_product_name: Option<ProductName>,
    pub(super) product_reference: Option<String>,
    pub(super) relates_to_product_reference: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct ProductName {
    pub(super) product_id: Option<String>,
}

/// One element of `vulnerabilities`: the fields the advisory and VEX readers use.
#[derive(Debug, Deserialize)]
pub(super) struct Vulnerability {
    pub(super) cve: Option<String>,
    pub(super) ids: Option<Vec<Id>>,
    title: Option<String>,
    cwe: Option<Cwe>,
    release_date: Option<String>,
    scores: Option<Vec<Score>>,
    threats: Option<Vec<Threat>>,
    pub(super) flags: Option<Vec<Flag>>,
    pub(super) product_status: Option<ProductStatus>,
}

/// An id other than the CVE (`{"system_name": …, "text": …}`).
#[derive(Debug, Deserialize)]
pub(super) struct Id {
    pub(super) text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Cwe {
    id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Score {
    #[serde(rename = "cvss_v3")]
    v3: Option<Cvss>,
    #[serde(rename = "cvss_v2")]
    v2: Option<Cvss>,
    #[serde(rename = "cvss_v4")]
    v4: Option<Cvss>,
}

#[derive(Debug, Deserialize)]
struct Threat {
    category: Option<String>,
    details: Option<String>,
}

/// A flag: a justification (`vulnerable_code_not_present`, …) for the products it lists.
#[derive(Debug, Deserialize)]
pub(super) struct Flag {
    pub(super) label: Option<String>,
    pub(super) product_ids: Option<Vec<String>>,
}

/// The product ids of each status.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ProductStatus {
    known_not_affected: Option<Vec<String>>,
    fixed: Option<Vec<String>>,
    first_fixed: Option<Vec<String>>,
    known_affected: Option<Vec<String>>,
    first_affected: Option<Vec<String>>,
    last_affected: Option<Vec<String>>,
    under_investigation: Option<Vec<String>>,
}

impl ProductStatus {
    /// Each list with the VEX status it states, in the order statements are made.
    pub(super) fn by_status(&self) -> [(VexStatus, &[String]); 7] {
        [
            (
                VexStatus::NotAffected,
                self.known_not_affected.as_deref().unwrap_or_default(),
            ),
            (VexStatus::Fixed, self.fixed.as_deref().unwrap_or_default()),
            (
                VexStatus::Fixed,
                self.first_fixed.as_deref().unwrap_or_default(),
            ),
            (
                VexStatus::Affected,
                self.known_affected.as_deref().unwrap_or_default(),
            ),
            (
                VexStatus::Affected,
                self.first_affected.as_deref().unwrap_or_default(),
            ),
            (
                VexStatus::Affected,
                self.last_affected.as_deref().unwrap_or_default(),
            ),
            (
                VexStatus::UnderInvestigation,
                self.under_investigation.as_deref().unwrap_or_default(),
            ),
        ]
    }
}

/// The advisories of a CSAF security advisory, one per CVE.
pub(crate) fn parse(d: &Value, origin: &str, report: &mut LoadReport) -> Vec<Advisory> {
    let Ok(document) = Obj::new(d, String::new()) else {
        return Vec::new();
    };
    // The VEX reader has read this document and reported what in it cannot be read.
    let header = Header::read(&document, origin, &mut LoadReport::default());
    let products = super::vex::csaf_products(&header.product_tree);
    let ecosystem = Ecosystem::Other("Red Hat".to_owned());
    let mut out = Vec::new();
    let vulnerabilities = document.opt_array("vulnerabilities").unwrap_or_default();
    for (i, v) in vulnerabilities.iter().enumerate() {
        report.records_read += 1;
        let Ok(v) = json::read::<Vulnerability>(v, "") else {
            report.records_skipped += 1;
            continue;
        };
        let Some(cve) = v.cve.as_deref() else {
            report.records_skipped += 1;
            report.problem(Problem::new(
                origin,
                header.tracking_id.as_deref(),
                &format!("vulnerabilities[{i}].cve"),
                "is missing",
                Consequence::Skipped,
            ));
            continue;
        };
        report.records_loaded += 1;
        // (name, epoch:version-release), deduplicated across architectures.
        let mut fixes: Vec<(String, String)> = Vec::new();
        let mut unresolved = 0;
        let status = v.product_status.unwrap_or_default();
        for id in status.fixed.iter().flatten() {
            let purl = match products.get(id) {
                Some((Some(VexProduct::Purl(p)), _)) => Some(p.value()),
                _ => None,
            };
            let Some(purl) = purl.filter(|p| p.ty == "rpm") else {
                unresolved += 1;
                continue;
            };
            let Some(version) = &purl.version else {
                unresolved += 1;
                continue;
            };
            let epoch = purl.qualifiers.get("epoch").map_or("0", String::as_str);
            let fix = (purl.name.clone(), format!("{epoch}:{version}"));
            if !fixes.contains(&fix) {
                fixes.push(fix);
            }
        }
        if unresolved > 0 {
            report.problem(Problem::new(
                origin,
                Some(cve),
                &format!("vulnerabilities[{i}].product_status.fixed"),
                format!(
                    "{unresolved} fixed products have no versioned rpm purl in the product tree"
                ),
                Consequence::PartlyUsed,
            ));
        }
        let affected = fixes
            .into_iter()
            .map(|(name, fixed)| {
                let events = vec![OsvEvent::Introduced("0".to_owned()), OsvEvent::Fixed(fixed)];
                AffectedPackage {
                    ecosystem: ecosystem.clone(),
                    name,
                    purl: None,
                    ranges: vec![AffectedRange::new(
                        super::RangeType::Ecosystem,
                        events,
                        &ecosystem,
                    )],
                    versions: Vec::new(),
                    severity: Vec::new(),
                    will_not_fix: None,
                    source: origin.to_owned(),
                }
            })
            .collect();
        let severity = v
            .scores
            .iter()
            .flatten()
            .flat_map(|s| [(&s.v3, "CVSS_V3"), (&s.v2, "CVSS_V2"), (&s.v4, "CVSS_V4")])
            .filter_map(|(cvss, kind)| {
                let vector = cvss.as_ref()?.vector_string.as_deref()?;
                Some(SeverityScore::new(
                    kind,
                    vector,
                    header.publisher.as_deref(),
                    origin,
                ))
            })
            .collect();
        let impact = v
            .threats
            .iter()
            .flatten()
            .find(|t| t.category.as_deref() == Some("impact"))
            .and_then(|t| t.details.as_deref());
        let severity_label = impact.and_then(|i| match i {
            "Low" => Some("LOW"),
            "Moderate" => Some("MODERATE"),
            "Important" => Some("HIGH"),
            "Critical" => Some("CRITICAL"),
            _ => None,
        });
        out.push(Advisory {
            id: cve.to_owned(),
            aliases: Vec::new(),
            // The RHSA fixes several CVEs: related to each, not another name of any.
            related: header.tracking_id.iter().cloned().collect(),
            summary: v.title,
            details: None,
            cwes: v.cwe.and_then(|c| c.id).into_iter().collect(),
            published: v.release_date,
            withdrawn: None,
            informational: None,
            severity,
            severity_label: severity_label.map(str::to_owned),
            affected,
            source: origin.to_owned(),
            sources: vec![origin.to_owned()],
        });
    }
    out
}
