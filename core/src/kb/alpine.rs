//! Alpine's security database (secdb, as secdb.alpinelinux.org publishes it per release and
//! repository): `{"distroversion": "v3.19", "packages": [{"pkg": {"name", "secfixes":
//! {"<fixed version>": ["CVE-…", …]}}}]}`.
//!
//! Each (package, fixed version, CVE) statement becomes an affected entry of the CVE's
//! advisory: ecosystem `Alpine:v3.19`, source package, range `introduced 0, fixed V` in apk
//! order. The fixed version `0` means the package was never affected: no entry is made (and
//! nothing is reported, as it is not a problem).
//!
//! The document is walked with the path-tracking reader: each statement is a record, and a
//! field of the wrong type (a package's name or fixes, a statement that is not text) skips what
//! it holds with a problem naming its path.

use super::{Advisory, AffectedPackage, AffectedRange};
use crate::ecosystem::Ecosystem;
use crate::json::{self, FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::OsvEvent;

/// Whether text is a secdb document (its head names `distroversion` and `secfixes`).
pub(crate) fn recognizes(head: &str) -> bool {
    head.contains("\"distroversion\"") && head.contains("\"packages\"")
}

/// The advisories a secdb document states, one per (CVE, package).
pub(crate) fn parse(text: &str, origin: &str, report: &mut LoadReport) -> Vec<Advisory> {
    let value = match json::parse(text) {
        Ok(v) => v,
        Err(e) => {
            report.left_out(origin, None, e);
            return Vec::new();
        }
    };
    let header = Obj::new(&value, String::new())
        .and_then(|d| Ok((d.str_at(&["distroversion"])?, d.opt_array("packages")?)));
    let (release, packages) = match header {
        Ok(header) => header,
        Err(e) => {
            report.left_out(origin, None, e);
            return Vec::new();
        }
    };
    let release = if release.starts_with('v') || release == "edge" {
        release.to_owned()
    } else {
        format!("v{release}")
    };
    let ecosystem = Ecosystem::Other(format!("Alpine:{release}"));
    let mut out = Vec::new();
    // What cannot be read is one skipped record: a package, a fixed version's list, a statement.
    let skip = |report: &mut LoadReport, name: Option<&str>, e: FieldError| {
        report.records_read += 1;
        report.records_skipped += 1;
        report.left_out(origin, name, e);
    };
    for (p, package) in packages.iter().enumerate() {
        let package = Obj::new(package, format!("packages[{p}]"))
            .and_then(|package| Ok((package.str_at(&["pkg", "name"])?, package)));
        let (name, package) = match package {
            Ok(found) => found,
            Err(e) => {
                skip(report, None, e);
                continue;
            }
        };
        let secfixes = match package.opt_obj_at(&["pkg", "secfixes"]) {
            Ok(Some(secfixes)) => secfixes,
            Ok(None) => continue,
            Err(e) => {
                skip(report, Some(name), e);
                continue;
            }
        };
        for fixed in secfixes.map.keys() {
            // Paths are made only for problems (a secdb file holds thousands of statements).
            let field = || secfixes.child_path(fixed);
            let ids = match secfixes.opt_array(fixed) {
                Ok(ids) => ids,
                Err(e) => {
                    skip(report, Some(name), e);
                    continue;
                }
            };
            for (i, statement) in ids.iter().enumerate() {
                let Some(statement) = statement.as_str() else {
                    let e = FieldError {
                        path: format!("{}[{i}]", field()),
                        message: format!("expected a string, found {}", json::type_name(statement)),
                    };
                    skip(report, Some(name), e);
                    continue;
                };
                report.records_read += 1;
                // An entry may name several ids (`CVE-2021-1 GHSA-…`); the CVE is the id.
                let tokens: Vec<&str> = statement.split_whitespace().collect();
                let Some(id) = tokens
                    .iter()
                    .find(|t| t.starts_with("CVE-"))
                    .or(tokens.first())
                else {
                    report.records_skipped += 1;
                    report.problem(Problem::new(
                        origin,
                        Some(name),
                        &format!("{}[{i}]", field()),
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
                        &field(),
                        reason.clone(),
                        Consequence::PartlyUsed,
                    ));
                }
                out.push(Advisory {
                    aliases: tokens
                        .iter()
                        .filter(|t| *t != id)
                        .map(|t| (*t).to_owned())
                        .collect(),
                    affected: vec![AffectedPackage::of_ranges(
                        ecosystem.clone(),
                        name,
                        vec![range],
                        origin,
                    )],
                    ..Advisory::blank((*id).to_owned(), origin)
                });
            }
        }
    }
    out
}
