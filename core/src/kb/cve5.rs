//! CVE JSON 5 records (the CVE Program's format, as cvelistV5 ships them): the CNA's
//! description, CWE ids, CVSS metrics (CNA and ADP, each with its issuer) and `affected`
//! products, for CVEs that NVD has not analysed.
//!
//! An `affected` entry becomes:
//! - a package entry of the ecosystem its `collectionURL` names (`https://pypi.org` → PyPI,
//!   npm, Maven Central, crates.io, Go, RubyGems, NuGet, Packagist), with `packageName`;
//! - otherwise an applicability criterion `cpe:2.3:a:<vendor>:<product>:*…`, the CNA's vendor
//!   and product lower-cased with spaces as `_`, used only when NVD gives the CVE no
//!   configuration (an NVD record loaded before or after replaces it). These names are the
//!   CNA's, so they match inventories that name the product alike.
//!
//! Versions follow the CVE 5 schema: `version` with `lessThan` or `lessThanOrEqual` is a
//! range (`0` or `*` as the start means from the beginning), `changes` switch the status at
//! their points, a lone `version` is that version only; `versionType: git` ranges are not
//! versions and are left out. Free-text versions as older records write them (`< 1.26.18`,
//! `>= 2.0.0, < 2.0.7`) are read as comparators. What cannot be read is reported.

use super::advisory::Cached;
use super::{Advisory, AffectedPackage, AffectedRange, SeverityScore};
use crate::cpe::Applicability;
use crate::ecosystem::Ecosystem;
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::OsvEvent;
use serde_json::Value;

/// Whether a document is a CVE 5 record (the whole text is searched: keys written in
/// alphabetical order put `cveMetadata` after the large `containers`).
pub(crate) fn recognizes(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && text.contains("\"cveMetadata\"")
        && text.contains("\"containers\"")
}

/// One affected interval: lower bound (inclusive, `None` from the beginning) and upper bound
/// (`None`: no end, `Some((v, inclusive))`).
type Interval = (Option<String>, Option<(String, bool)>);

/// The advisory and, when it names products rather than packages, its applicability.
pub(crate) fn parse(
    text: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Option<(Advisory, Option<Applicability>)> {
    report.records_read += 1;
    let skip = |report: &mut LoadReport, field: &str, message: String| {
        report.records_skipped += 1;
        report.problem(Problem::new(
            origin,
            None,
            field,
            message,
            Consequence::Skipped,
        ));
    };
    let document: Value = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            skip(report, "", format!("not JSON: {e}"));
            return None;
        }
    };
    let Some(id) = document
        .pointer("/cveMetadata/cveId")
        .and_then(Value::as_str)
    else {
        skip(report, "cveMetadata.cveId", "is missing".to_owned());
        return None;
    };
    let id = id.to_owned();
    let cna = document
        .pointer("/containers/cna")
        .cloned()
        .unwrap_or(Value::Null);
    let state = document
        .pointer("/cveMetadata/state")
        .and_then(Value::as_str);
    let details = cna
        .get("descriptions")
        .and_then(Value::as_array)
        .and_then(|d| {
            d.iter().find(|x| {
                x.get("lang")
                    .and_then(Value::as_str)
                    .is_some_and(|l| l.starts_with("en"))
            })
        })
        .and_then(|d| d.get("value"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut cwes = Vec::new();
    for problem in cna
        .get("problemTypes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for d in problem
            .get("descriptions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(cwe) = d.get("cweId").and_then(Value::as_str) {
                if !cwes.iter().any(|c| c == cwe) {
                    cwes.push(cwe.to_owned());
                }
            }
        }
    }
    let mut severity = Vec::new();
    let containers = std::iter::once(&cna).chain(
        document
            .pointer("/containers/adp")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for container in containers {
        let issuer = container
            .pointer("/providerMetadata/shortName")
            .and_then(Value::as_str)
            .map(str::to_owned);
        for metric in container
            .get("metrics")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for (key, kind) in [
                ("cvssV4_0", "CVSS_V4"),
                ("cvssV3_1", "CVSS_V3"),
                ("cvssV3_0", "CVSS_V3"),
                ("cvssV2_0", "CVSS_V2"),
            ] {
                if let Some(vector) = metric
                    .pointer(&format!("/{key}/vectorString"))
                    .and_then(Value::as_str)
                {
                    severity.push(SeverityScore {
                        kind: kind.to_owned(),
                        score: vector.to_owned(),
                        issuer: issuer.clone(),
                        source: origin.to_owned(),
                        parsed: Cached::default(),
                    });
                }
            }
        }
    }
    let mut affected = Vec::new();
    let mut criteria = Vec::new();
    for (i, entry) in cna
        .get("affected")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let field = format!("containers.cna.affected[{i}]");
        let intervals = match intervals(entry) {
            Ok(list) => list,
            Err(message) => {
                report.problem(Problem::new(
                    origin,
                    Some(&id),
                    &field,
                    message,
                    Consequence::PartlyUsed,
                ));
                continue;
            }
        };
        if intervals.is_empty() {
            continue;
        }
        let text = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("n/a"))
        };
        if let (Some(ecosystem), Some(package)) = (
            text("collectionURL").and_then(ecosystem_of_collection),
            text("packageName"),
        ) {
            let ranges = intervals
                .iter()
                .map(|(lo, hi)| {
                    let mut events = vec![OsvEvent::Introduced(
                        lo.clone().unwrap_or_else(|| "0".to_owned()),
                    )];
                    match hi {
                        Some((v, false)) => events.push(OsvEvent::Fixed(v.clone())),
                        Some((v, true)) => events.push(OsvEvent::LastAffected(v.clone())),
                        None => {}
                    }
                    AffectedRange::new(super::RangeType::Ecosystem, events, &ecosystem)
                })
                .collect();
            affected.push(AffectedPackage {
                ecosystem,
                name: package.to_owned(),
                purl: None,
                ranges,
                versions: Vec::new(),
                severity: Vec::new(),
                will_not_fix: None,
                source: origin.to_owned(),
            });
        } else if let (Some(vendor), Some(product)) = (text("vendor"), text("product")) {
            let name = format!(
                "cpe:2.3:a:{}:{}:*:*:*:*:*:*:*:*",
                cpe_word(vendor),
                cpe_word(product)
            );
            for (lo, hi) in &intervals {
                let mut m = serde_json::Map::new();
                m.insert("vulnerable".into(), Value::Bool(true));
                m.insert("criteria".into(), Value::String(name.clone()));
                if let Some(lo) = lo {
                    m.insert("versionStartIncluding".into(), Value::String(lo.clone()));
                }
                match hi {
                    Some((v, false)) => {
                        m.insert("versionEndExcluding".into(), Value::String(v.clone()));
                    }
                    Some((v, true)) => {
                        m.insert("versionEndIncluding".into(), Value::String(v.clone()));
                    }
                    None => {}
                }
                criteria.push(Value::Object(m));
            }
        } else {
            report.problem(Problem::new(
                origin,
                Some(&id),
                &field,
                "names neither a package of a known registry (collectionURL and packageName) nor a vendor and product",
                Consequence::PartlyUsed,
            ));
        }
    }
    let applicability = if criteria.is_empty() {
        None
    } else {
        let json = serde_json::json!([{ "nodes": [{ "operator": "OR", "cpeMatch": criteria }] }]);
        match Applicability::from_nvd_json(&json) {
            Ok(a) => Some(a),
            Err(e) => {
                report.problem(Problem::new(
                    origin,
                    Some(&id),
                    "containers.cna.affected",
                    e.to_string(),
                    Consequence::PartlyUsed,
                ));
                None
            }
        }
    };
    report.records_loaded += 1;
    let summary = details.as_deref().map(|d| {
        d.split(". ")
            .next()
            .unwrap_or(d)
            .trim_end_matches('.')
            .to_owned()
            + "."
    });
    let published = document
        .pointer("/cveMetadata/datePublished")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Some((
        Advisory {
            id,
            aliases: Vec::new(),
            related: Vec::new(),
            summary,
            details,
            cwes,
            withdrawn: (state == Some("REJECTED")).then(|| published.clone().unwrap_or_default()),
            published,
            severity,
            severity_label: None,
            affected,
            source: origin.to_owned(),
            sources: vec![origin.to_owned()],
        },
        applicability,
    ))
}

/// A CNA's vendor or product as a CPE word: lower case, spaces as `_`, CPE's special
/// characters quoted.
fn cpe_word(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().to_lowercase().chars() {
        match c {
            ' ' => out.push('_'),
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' => out.push(c),
            c if c.is_ascii() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn ecosystem_of_collection(url: &str) -> Option<Ecosystem> {
    let host = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .split('/')
        .next()?
        .to_ascii_lowercase();
    Some(match host.as_str() {
        "pypi.org" | "pypi.python.org" => Ecosystem::PyPi,
        "www.npmjs.com" | "npmjs.com" | "registry.npmjs.org" => Ecosystem::Npm,
        "repo.maven.apache.org"
        | "repo1.maven.org"
        | "search.maven.org"
        | "central.sonatype.com" => Ecosystem::Maven,
        "crates.io" => Ecosystem::CratesIo,
        "proxy.golang.org" | "pkg.go.dev" => Ecosystem::Go,
        "rubygems.org" => Ecosystem::RubyGems,
        "www.nuget.org" | "nuget.org" | "api.nuget.org" => Ecosystem::NuGet,
        "packagist.org" => Ecosystem::Packagist,
        "hex.pm" => Ecosystem::Hex,
        _ => return None,
    })
}

/// Whether a bound names a version (not `*`, not a wildcard pattern like `log4j-core*`).
fn is_version(text: &str) -> bool {
    !text.is_empty() && !text.contains('*') && !text.contains(' ')
}

/// The affected intervals of an `affected` entry.
fn intervals(entry: &Value) -> Result<Vec<Interval>, String> {
    let default_affected = entry.get("defaultStatus").and_then(Value::as_str) == Some("affected");
    let mut out = Vec::new();
    for (i, v) in entry
        .get("versions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let status_affected = v.get("status").and_then(Value::as_str) == Some("affected");
        if v.get("versionType").and_then(Value::as_str) == Some("git") {
            continue;
        }
        let version = v
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim();
        let less_than = v.get("lessThan").and_then(Value::as_str).map(str::trim);
        let less_or_equal = v
            .get("lessThanOrEqual")
            .and_then(Value::as_str)
            .map(str::trim);
        if less_than.is_none() && less_or_equal.is_none() {
            if !status_affected {
                continue;
            }
            if version.starts_with(['<', '>', '=']) {
                out.push(comparators(version).map_err(|e| format!("versions[{i}]: {e}"))?);
            } else if is_version(version) {
                out.push((Some(version.to_owned()), Some((version.to_owned(), true))));
            } else {
                return Err(format!(
                    "versions[{i}].version {version:?} is not a version"
                ));
            }
            continue;
        }
        let start = (!matches!(version, "" | "0" | "*")).then(|| version.to_owned());
        // Walk the changes: each switches the status from its point on.
        let mut status = status_affected;
        let mut from = start;
        for change in v
            .get("changes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let at = change
                .get("at")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim();
            if !is_version(at) {
                return Err(format!("versions[{i}].changes: {at:?} is not a version"));
            }
            if status {
                out.push((from.clone(), Some((at.to_owned(), false))));
            }
            status = change.get("status").and_then(Value::as_str) == Some("affected");
            from = Some(at.to_owned());
        }
        if status {
            let end = match (less_than, less_or_equal) {
                (Some(v), _) if is_version(v) => Some((v.to_owned(), false)),
                (_, Some(v)) if is_version(v) => Some((v.to_owned(), true)),
                (Some(v), _) | (_, Some(v)) => {
                    return Err(format!("versions[{i}]: upper bound {v:?} is not a version"))
                }
                (None, None) => None,
            };
            out.push((from, end));
        }
    }
    if default_affected && out.is_empty() && entry.get("versions").is_none() {
        out.push((None, None));
    }
    Ok(out)
}

/// `< 1.26.18` or `>= 2.0.0, < 2.0.7`.
fn comparators(text: &str) -> Result<Interval, String> {
    let (mut lo, mut hi) = (None, None);
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (op, v) = ["<=", ">=", "<", ">", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|v| (*op, v.trim())))
            .ok_or_else(|| format!("{part:?} is not a comparison"))?;
        if !is_version(v) {
            return Err(format!("{v:?} is not a version"));
        }
        match op {
            ">=" => lo = Some(v.to_owned()),
            "<" => hi = Some((v.to_owned(), false)),
            "<=" => hi = Some((v.to_owned(), true)),
            "=" => {
                lo = Some(v.to_owned());
                hi = Some((v.to_owned(), true));
            }
            _ => {
                return Err(format!(
                    "{part:?}: an exclusive lower bound is not supported"
                ))
            }
        }
    }
    Ok((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_split_a_range_and_wildcard_ends_are_fine_when_unaffected() {
        // CVE-2021-44228's CNA entry, as Apache wrote it.
        let entry = serde_json::json!({"versions": [{"version": "2.0-beta9", "status": "affected",
            "lessThan": "log4j-core*", "versionType": "custom", "changes": [
              {"at": "2.3.1", "status": "unaffected"}, {"at": "2.4", "status": "affected"},
              {"at": "2.12.2", "status": "unaffected"}, {"at": "2.13.0", "status": "affected"},
              {"at": "2.15.0", "status": "unaffected"}]}]});
        let got = intervals(&entry).unwrap();
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            got,
            [
                (s("2.0-beta9"), Some(("2.3.1".to_owned(), false))),
                (s("2.4"), Some(("2.12.2".to_owned(), false))),
                (s("2.13.0"), Some(("2.15.0".to_owned(), false))),
            ]
        );
        let free_text = serde_json::json!({"versions": [{"version": ">= 2.0.0, < 2.0.7", "status": "affected"},
                                                          {"version": "< 1.26.18", "status": "affected"}]});
        assert_eq!(
            intervals(&free_text).unwrap(),
            [
                (s("2.0.0"), Some(("2.0.7".to_owned(), false))),
                (None, Some(("1.26.18".to_owned(), false)))
            ]
        );
        let open = serde_json::json!({"versions": [{"version": "1.0", "status": "affected", "lessThan": "2.*"}]});
        assert!(intervals(&open)
            .unwrap_err()
            .contains("\"2.*\" is not a version"));
    }
}
