//! CSAF 2.0 security advisories (`csaf_security_advisory`, as Red Hat publishes its RHSAs):
//! each CVE's `fixed` products become affected entries of ecosystem `Red Hat`: the package
//! from the product's purl, vulnerable below the fixed `epoch:version-release` in rpm order.
//!
//! Fixes of several streams (`el9_0` EUS, `el9_3`) are separate entries, so a package is
//! flagged when it is below the fix of some stream and not at or above it. A package already
//! fixed in one stream can still sort below another stream's fix; the advisory's own VEX
//! statements (loaded from the same document) clear it on a device whose platform CPE the
//! inventory names.

use super::advisory::Cached;
use super::{Advisory, AffectedPackage, AffectedRange, SeverityScore, VexProduct};
use crate::ecosystem::Ecosystem;
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::OsvEvent;
use serde_json::Value;

/// Whether a parsed document is a CSAF security advisory.
pub(crate) fn is_advisory(d: &Value) -> bool {
    d.pointer("/document/category").and_then(Value::as_str) == Some("csaf_security_advisory")
}

/// The advisories of a CSAF security advisory, one per CVE.
pub(crate) fn parse(d: &Value, origin: &str, report: &mut LoadReport) -> Vec<Advisory> {
    let products = super::vex::csaf_products(d);
    let tracking = d
        .pointer("/document/tracking/id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let ecosystem = Ecosystem::Other("Red Hat".to_owned());
    let mut out = Vec::new();
    for (i, v) in d
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        report.records_read += 1;
        let Some(cve) = v.get("cve").and_then(Value::as_str) else {
            report.records_skipped += 1;
            report.problem(Problem::new(
                origin,
                tracking.as_deref(),
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
        for id in v
            .pointer("/product_status/fixed")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
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
            .get("scores")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|s| {
                [
                    ("cvss_v3", "CVSS_V3"),
                    ("cvss_v2", "CVSS_V2"),
                    ("cvss_v4", "CVSS_V4"),
                ]
                .into_iter()
                .filter_map(move |(key, kind)| {
                    s.pointer(&format!("/{key}/vectorString"))
                        .and_then(Value::as_str)
                        .map(|vector| SeverityScore {
                            kind: kind.to_owned(),
                            score: vector.to_owned(),
                            issuer: d
                                .pointer("/document/publisher/name")
                                .and_then(Value::as_str)
                                .map(str::to_owned),
                            source: origin.to_owned(),
                            parsed: Cached::default(),
                        })
                })
            })
            .collect();
        let impact = v
            .get("threats")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|t| t.get("category").and_then(Value::as_str) == Some("impact"))
            .and_then(|t| t.get("details").and_then(Value::as_str));
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
            related: tracking.iter().cloned().collect(),
            summary: v.get("title").and_then(Value::as_str).map(str::to_owned),
            details: None,
            cwes: v
                .pointer("/cwe/id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .into_iter()
                .collect(),
            published: v
                .get("release_date")
                .and_then(Value::as_str)
                .map(str::to_owned),
            withdrawn: None,
            severity,
            severity_label: severity_label.map(str::to_owned),
            affected,
            source: origin.to_owned(),
            sources: vec![origin.to_owned()],
        });
    }
    out
}
