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
//! An entry naming a vendor and product with `platforms` (free text: `Windows`, `Linux`,
//! `x86`) applies only on one of them: its criteria form a configuration of their own, AND one
//! platform criterion per platform (`cpe:2.3:o:*:<platform>*:…`, see [`platform_criteria`]),
//! so that the matchers list its findings with their condition met or not reported (see
//! [`crate::matching`]). The `platforms` of a package entry (a known registry's) are not used:
//! the package matcher has no gates.
//!
//! Versions follow the CVE 5 schema: `version` with `lessThan` or `lessThanOrEqual` is a
//! range (`0` or `*` as the start means from the beginning), `changes` switch the status at
//! their points, a lone `version` is that version only; `versionType: git` ranges are not
//! versions and are left out. Free-text versions as older records write them (`< 1.26.18`,
//! `>= 2.0.0, < 2.0.7`) are read as comparators. What cannot be read is reported.
//!
//! The record is read into a struct of its shape ([`Record`]): a field of the wrong type skips
//! it with a problem naming the field's path, but for an `affected` entry, which costs only
//! itself (the record is kept without it).

use super::nvd::{Cvss, LangValue};
use super::{Advisory, AffectedPackage, AffectedRange, SeverityScore};
use crate::cpe::Applicability;
use crate::ecosystem::Ecosystem;
use crate::json::{self, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::OsvEvent;
use serde::Deserialize;
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

/// A CVE 5 record, but for its id (read apart, to name the record in any problem).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    cve_metadata: Option<Metadata>,
    containers: Option<Containers>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    state: Option<String>,
    date_published: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Containers {
    cna: Option<Cna>,
    adp: Option<Vec<Adp>>,
}

/// The CNA's container: what the record says.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cna {
    provider_metadata: Option<Provider>,
    metrics: Option<Vec<Metric>>,
    descriptions: Option<Vec<LangValue>>,
    problem_types: Option<Vec<ProblemType>>,
    /// Each entry is read on its own ([`Affected`]): a bad one costs only itself.
    affected: Option<Vec<Value>>,
}

/// An ADP's container (CISA's, …): only its scores are taken.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Adp {
    provider_metadata: Option<Provider>,
    metrics: Option<Vec<Metric>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Provider {
    short_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ProblemType {
    descriptions: Option<Vec<ProblemTypeDescription>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProblemTypeDescription {
    cwe_id: Option<String>,
}

/// A metric: CVSS of one version or another.
#[derive(Debug, Deserialize)]
struct Metric {
    #[serde(rename = "cvssV4_0")]
    v4_0: Option<Cvss>,
    #[serde(rename = "cvssV3_1")]
    v3_1: Option<Cvss>,
    #[serde(rename = "cvssV3_0")]
    v3_0: Option<Cvss>,
    #[serde(rename = "cvssV2_0")]
    v2_0: Option<Cvss>,
}

/// An `affected` entry: a package of a registry, or a vendor's product, and its versions.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Affected {
    #[serde(rename = "collectionURL")]
    collection_url: Option<String>,
    package_name: Option<String>,
    vendor: Option<String>,
    product: Option<String>,
    default_status: Option<String>,
    versions: Option<Vec<Versions>>,
    platforms: Option<Vec<String>>,
}

/// A `versions` element: one version, or a range with the points where its status changes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Versions {
    status: Option<String>,
    version_type: Option<String>,
    version: Option<String>,
    less_than: Option<String>,
    less_than_or_equal: Option<String>,
    changes: Option<Vec<Change>>,
}

#[derive(Debug, Deserialize)]
struct Change {
    at: Option<String>,
    status: Option<String>,
}

/// The scores of a container's metrics, each with the container's provider as issuer.
fn scores(
    provider: Option<Provider>,
    metrics: Option<Vec<Metric>>,
    origin: &str,
) -> impl Iterator<Item = SeverityScore> + '_ {
    let issuer = provider.and_then(|p| p.short_name);
    metrics
        .into_iter()
        .flatten()
        .flat_map(|m| {
            [
                (m.v4_0, "CVSS_V4"),
                (m.v3_1, "CVSS_V3"),
                (m.v3_0, "CVSS_V3"),
                (m.v2_0, "CVSS_V2"),
            ]
        })
        .filter_map(move |(cvss, kind)| {
            let vector = cvss?.vector_string?;
            Some(SeverityScore::new(kind, &vector, issuer.as_deref(), origin))
        })
}

/// The advisory and, when it names products rather than packages, its applicability.
pub(crate) fn parse(
    text: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Option<(Advisory, Option<Applicability>)> {
    report.records_read += 1;
    let read = json::parse(text).and_then(|document| {
        let id = Obj::new(&document, String::new())?.str_at(&["cveMetadata", "cveId"])?;
        Ok((id.to_owned(), json::read::<Record>(&document, "")))
    });
    let (id, record) = match read {
        Ok((id, Ok(record))) => (id, record),
        Ok((id, Err(e))) => {
            report.records_skipped += 1;
            report.left_out(origin, Some(&id), e);
            return None;
        }
        Err(e) => {
            // The record, even when the document is not JSON: counted as a record.
            report.kept_or_skipped::<()>(origin, None, Err(e));
            return None;
        }
    };
    let (metadata, containers) = (record.cve_metadata, record.containers);
    let (state, published) = metadata.map_or((None, None), |m| (m.state, m.date_published));
    let (cna, adp) = containers.map_or((None, None), |c| (c.cna, c.adp));
    let cna = cna.unwrap_or_default();
    let details = cna
        .descriptions
        .into_iter()
        .flatten()
        .find(|d| d.lang.as_deref().is_some_and(|l| l.starts_with("en")))
        .and_then(|d| d.value);
    let mut cwes: Vec<String> = Vec::new();
    let listed = cna.problem_types.into_iter().flatten();
    for cwe in listed.flat_map(|p| {
        p.descriptions
            .into_iter()
            .flatten()
            .filter_map(|d| d.cwe_id)
    }) {
        if !cwes.contains(&cwe) {
            cwes.push(cwe);
        }
    }
    let mut severity: Vec<SeverityScore> =
        scores(cna.provider_metadata, cna.metrics, origin).collect();
    for container in adp.into_iter().flatten() {
        severity.extend(scores(
            container.provider_metadata,
            container.metrics,
            origin,
        ));
    }
    let mut affected = Vec::new();
    let mut criteria = Vec::new();
    // Entries gated on platforms: their criteria AND one of their platforms, each its own
    // configuration.
    let mut gated = Vec::new();
    for (i, entry) in cna.affected.iter().flatten().enumerate() {
        let field = format!("containers.cna.affected[{i}]");
        let read = json::read::<Affected>(entry, &field).and_then(|entry| {
            let intervals = intervals(&entry).map_err(|message| json::FieldError {
                path: field.clone(),
                message,
            })?;
            Ok((entry, intervals))
        });
        let (entry, intervals) = match read {
            Ok(read) => read,
            Err(e) => {
                report.partly_used(origin, Some(&id), Some(e));
                continue;
            }
        };
        if intervals.is_empty() {
            continue;
        }
        if let (Some(ecosystem), Some(package)) = (
            named(entry.collection_url.as_deref()).and_then(ecosystem_of_collection),
            named(entry.package_name.as_deref()),
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
            affected.push(AffectedPackage::of_ranges(
                ecosystem, package, ranges, origin,
            ));
        } else if let (Some(vendor), Some(product)) = (
            named(entry.vendor.as_deref()),
            named(entry.product.as_deref()),
        ) {
            let name = format!(
                "cpe:2.3:a:{}:{}:*:*:*:*:*:*:*:*",
                cpe_word(vendor),
                cpe_word(product)
            );
            let platforms = platform_criteria(entry.platforms.as_deref().unwrap_or_default());
            let mut own = Vec::new();
            let criteria = if platforms.is_empty() {
                &mut criteria
            } else {
                &mut own
            };
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
            if !platforms.is_empty() {
                gated.push(serde_json::json!({ "operator": "AND", "nodes": [
                    { "operator": "OR", "cpeMatch": own },
                    { "operator": "OR", "cpeMatch": platforms }] }));
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
    let applicability = if criteria.is_empty() && gated.is_empty() {
        None
    } else {
        let mut configurations = Vec::new();
        if !criteria.is_empty() {
            configurations
                .push(serde_json::json!({ "nodes": [{ "operator": "OR", "cpeMatch": criteria }] }));
        }
        configurations.extend(gated);
        let json = Value::Array(configurations);
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
    let mut advisory = Advisory::cve_record(
        id,
        details,
        cwes,
        severity,
        published,
        state.as_deref() == Some("REJECTED"),
        origin,
    );
    advisory.affected = affected;
    Some((advisory, applicability))
}

/// A field that names something: trimmed, `None` when empty or `n/a`.
fn named(value: Option<&str>) -> Option<&str> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("n/a"))
}

/// An entry's `platforms` (free text: `Windows`, `Linux`, `macOS`, `x86`) as platform
/// criteria (`vulnerable: false`) of the entry's configuration: `cpe:2.3:o:*:<word>*:…`, the
/// platform as a CPE word followed by a wildcard, so that a device satisfies it with an
/// operating system CPE name whose product begins with the word (`windows` →
/// `microsoft:windows_10`, `linux` → `linux:linux_kernel`; any case, as CPE words are lower
/// case) or with a condition `platform:<name>` (see
/// [`Device::platform_names`](crate::inventory::Device::platform_names)). Words that name
/// every platform (`all`, `any`, `n/a`) gate nothing and are left out.
pub(super) fn platform_criteria(platforms: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    for platform in platforms {
        let word = cpe_word(platform);
        if word.is_empty()
            || matches!(
                word.as_str(),
                "all" | "any" | "all_platforms" | r"n\/a" | "unspecified"
            )
        {
            continue;
        }
        let criterion = Value::String(format!("cpe:2.3:o:*:{word}*:*:*:*:*:*:*:*:*"));
        let entry = serde_json::json!({ "vulnerable": false, "criteria": criterion });
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    out
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
fn intervals(entry: &Affected) -> Result<Vec<Interval>, String> {
    let is_affected = |status: &Option<String>| status.as_deref() == Some("affected");
    let mut out = Vec::new();
    for (i, v) in entry.versions.iter().flatten().enumerate() {
        if v.version_type.as_deref() == Some("git") {
            continue;
        }
        let version = v.version.as_deref().map(str::trim).unwrap_or_default();
        let less_than = v.less_than.as_deref().map(str::trim);
        let less_or_equal = v.less_than_or_equal.as_deref().map(str::trim);
        if less_than.is_none() && less_or_equal.is_none() {
            if !is_affected(&v.status) {
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
        let mut status = is_affected(&v.status);
        let mut from = start;
        for change in v.changes.iter().flatten() {
            let at = change.at.as_deref().map(str::trim).unwrap_or_default();
            if !is_version(at) {
                return Err(format!("versions[{i}].changes: {at:?} is not a version"));
            }
            if status {
                out.push((from.clone(), Some((at.to_owned(), false))));
            }
            status = is_affected(&change.status);
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
    if is_affected(&entry.default_status) && out.is_empty() && entry.versions.is_none() {
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

    fn entry(value: Value) -> Affected {
        serde_json::from_value(value).expect("an affected entry")
    }

    #[test]
    fn changes_split_a_range_and_wildcard_ends_are_fine_when_unaffected() {
        // CVE-2021-44228's CNA entry, as Apache wrote it.
        let log4j = entry(
            serde_json::json!({"versions": [{"version": "2.0-beta9", "status": "affected",
            "lessThan": "log4j-core*", "versionType": "custom", "changes": [
              {"at": "2.3.1", "status": "unaffected"}, {"at": "2.4", "status": "affected"},
              {"at": "2.12.2", "status": "unaffected"}, {"at": "2.13.0", "status": "affected"},
              {"at": "2.15.0", "status": "unaffected"}]}]}),
        );
        let got = intervals(&log4j).unwrap();
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            got,
            [
                (s("2.0-beta9"), Some(("2.3.1".to_owned(), false))),
                (s("2.4"), Some(("2.12.2".to_owned(), false))),
                (s("2.13.0"), Some(("2.15.0".to_owned(), false))),
            ]
        );
        let free_text = entry(
            serde_json::json!({"versions": [{"version": ">= 2.0.0, < 2.0.7", "status": "affected"},
                                                          {"version": "< 1.26.18", "status": "affected"}]}),
        );
        assert_eq!(
            intervals(&free_text).unwrap(),
            [
                (s("2.0.0"), Some(("2.0.7".to_owned(), false))),
                (None, Some(("1.26.18".to_owned(), false)))
            ]
        );
        let open = entry(
            serde_json::json!({"versions": [{"version": "1.0", "status": "affected", "lessThan": "2.*"}]}),
        );
        assert!(intervals(&open)
            .unwrap_err()
            .contains("\"2.*\" is not a version"));
    }
}
