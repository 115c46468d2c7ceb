//! Alpine's security database (secdb, as secdb.alpinelinux.org publishes it per release and
//! repository): `{"distroversion": "v3.19", "packages": [{"pkg": {"name", "secfixes":
//! {"<fixed version>": ["CVE-…", …]}}}]}`.
//!
//! Each (package, fixed version, CVE) statement becomes an affected entry of the CVE's
//! advisory: ecosystem `Alpine:v3.19`, source package, range `introduced 0, fixed V` in apk
//! order. The fixed version `0` means the package was never affected: no entry is made (and
//! nothing is reported, as it is not a problem).

use super::{Advisory, AffectedPackage, AffectedRange};
use crate::ecosystem::Ecosystem;
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::OsvEvent;
use serde_json::Value;

/// Whether text is a secdb document (its head names `distroversion` and `secfixes`).
pub(crate) fn recognizes(head: &str) -> bool {
    head.contains("\"distroversion\"") && head.contains("\"packages\"")
}

/// The advisories a secdb document states, one per (CVE, package).
pub(crate) fn parse(text: &str, origin: &str, report: &mut LoadReport) -> Vec<Advisory> {
    let document: Value = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            report.problem(Problem::new(
                origin,
                None,
                "",
                format!("not JSON: {e}"),
                Consequence::Skipped,
            ));
            return Vec::new();
        }
    };
    let Some(release) = document.get("distroversion").and_then(Value::as_str) else {
        report.problem(Problem::new(
            origin,
            None,
            "distroversion",
            "is missing",
            Consequence::Skipped,
        ));
        return Vec::new();
    };
    let release = if release.starts_with('v') || release == "edge" {
        release.to_owned()
    } else {
        format!("v{release}")
    };
    let ecosystem = Ecosystem::Other(format!("Alpine:{release}"));
    let mut out = Vec::new();
    let packages = document
        .get("packages")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (p, package) in packages.iter().enumerate() {
        let Some(name) = package.pointer("/pkg/name").and_then(Value::as_str) else {
            report.records_read += 1;
            report.records_skipped += 1;
            report.problem(Problem::new(
                origin,
                None,
                &format!("packages[{p}].pkg.name"),
                "is missing",
                Consequence::Skipped,
            ));
            continue;
        };
        let Some(secfixes) = package.pointer("/pkg/secfixes").and_then(Value::as_object) else {
            continue;
        };
        for (fixed, ids) in secfixes {
            let field = format!("packages[{p}].pkg.secfixes.{fixed}");
            for (i, statement) in ids
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .enumerate()
            {
                report.records_read += 1;
                // An entry may name several ids (`CVE-2021-1 GHSA-…`); the CVE is the id.
                let tokens: Vec<&str> = statement
                    .as_str()
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect();
                let Some(id) = tokens
                    .iter()
                    .find(|t| t.starts_with("CVE-"))
                    .or(tokens.first())
                else {
                    report.records_skipped += 1;
                    report.problem(Problem::new(
                        origin,
                        Some(name),
                        &format!("{field}[{i}]"),
                        "names no vulnerability id",
                        Consequence::Skipped,
                    ));
                    continue;
                };
                report.records_loaded += 1;
                if fixed == "0" {
                    continue; // never affected
                }
                let events = vec![
                    OsvEvent::Introduced("0".to_owned()),
                    OsvEvent::Fixed(fixed.clone()),
                ];
                let range = AffectedRange::new(super::RangeType::Ecosystem, events, &ecosystem);
                if let super::RangeEvaluation::Unevaluated(reason) = &range.evaluation {
                    report.problem(Problem::new(
                        origin,
                        Some(id),
                        &field,
                        reason.clone(),
                        Consequence::PartlyUsed,
                    ));
                }
                out.push(Advisory {
                    id: (*id).to_owned(),
                    aliases: tokens
                        .iter()
                        .filter(|t| *t != id)
                        .map(|t| (*t).to_owned())
                        .collect(),
                    related: Vec::new(),
                    summary: None,
                    details: None,
                    cwes: Vec::new(),
                    published: None,
                    withdrawn: None,
                    severity: Vec::new(),
                    severity_label: None,
                    affected: vec![AffectedPackage {
                        ecosystem: ecosystem.clone(),
                        name: name.to_owned(),
                        purl: None,
                        ranges: vec![range],
                        versions: Vec::new(),
                        severity: Vec::new(),
                        will_not_fix: None,
                        source: origin.to_owned(),
                    }],
                    source: origin.to_owned(),
                    sources: vec![origin.to_owned()],
                });
            }
        }
    }
    out
}
