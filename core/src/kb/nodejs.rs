//! The Node.js security working group's advisories (`nodejs/security-wg`, `vuln/`), one JSON
//! record per file, or a directory's `index.json` holding them all by number:
//!
//! - `vuln/npm/<n>.json`, npm packages: `module_name`, `vulnerable_versions` and
//!   `patched_versions` in node-semver range syntax, `cves`, `cvss_vector`. Advisory
//!   `NSWG-ECO-<id>` (the name GitHub's database cites), its CVEs as aliases; one npm affected
//!   entry whose versions are those vulnerable and not patched (all versions but the patched
//!   ones when `vulnerable_versions` is absent).
//! - `vuln/core/<n>.json`, the Node.js runtime: `vulnerable` and `patched` in node-semver
//!   syntax, `cve`, `severity` (the working group's word). Advisory `NSWG-CORE-<n>` whose
//!   versions (vulnerable and not patched) are stated for the CPE
//!   `cpe:2.3:a:nodejs:node.js`, as NVD names the runtime, so that a host with Node.js
//!   installed (a Windows program, a binary found on Linux) is matched; distribution packages
//!   of Node.js are matched by the distributions' own advisories. `affectedEnvironments`
//!   (`win32`, `linux`, `darwin`; `all` for any) gates the statement on the device's operating
//!   system, as a CVE record's `platforms` do (`win32`: a `cpe:2.3:o:*:windows*` name or the
//!   condition `platform:windows`).
//! - `vuln/deps/<n>.json`, CVEs of Node.js's dependencies that do not affect it: a VEX
//!   statement `not_affected` for `cpe:2.3:a:nodejs:node.js` with the record's `reason` as
//!   justification.
//!
//! Every record is counted; one that cannot be read is reported with its field and left out.

use super::advisory::Cached;
use super::native;
use super::{Advisory, SeverityScore, VexProduct, VexStatement, VexStatus};
use crate::cpe::Applicability;
use crate::ecosystem::Ecosystem;
use crate::json::{FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::{parse_range, Range};
use crate::version::Scheme;
use serde_json::Value;

/// The CPE (vendor and product) NVD names the Node.js runtime by.
pub(crate) const NODE_CPE: &str = "cpe:2.3:a:nodejs:node.js";

/// What a document of the working group holds.
#[derive(Debug, Default)]
pub(crate) struct Records {
    /// Advisories, each with the statement of the runtime versions it affects (core records).
    pub(crate) advisories: Vec<(Advisory, Option<Applicability>)>,
    /// Statements that the runtime is not affected (deps records).
    pub(crate) statements: Vec<VexStatement>,
}

/// The kind of one record, told by its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Npm,
    Core,
    Deps,
}

fn kind_of(record: &Value) -> Option<Kind> {
    let map = record.as_object()?;
    if map.contains_key("module_name") {
        Some(Kind::Npm)
    } else if map.contains_key("vulnerable") && map.contains_key("patched") {
        Some(Kind::Core)
    } else if map.contains_key("reason") && map.contains_key("cve") {
        Some(Kind::Deps)
    } else {
        None
    }
}

/// Whether a document's head looks like a working-group record or index (its keys).
pub(crate) fn recognizes(head: &str) -> bool {
    (head.contains("\"module_name\"")
        && (head.contains("\"vulnerable_versions\"") || head.contains("\"patched_versions\"")))
        || (head.contains("\"vulnerable\"") && head.contains("\"patched\""))
        || (head.contains("\"reason\"") && head.contains("\"cve\"") && head.contains("\"ref\""))
}

/// The records of a document: one record, or an index of records by number. `None` when the
/// document is JSON of another kind (the format declines it).
pub(crate) fn parse(text: &str, origin: &str, report: &mut LoadReport) -> Option<Records> {
    let document: Value = serde_json::from_str(text).ok()?;
    let mut records = Records::default();
    if let Some(kind) = kind_of(&document) {
        let number = native::file_stem(origin);
        read_record(
            kind,
            &document,
            String::new(),
            number,
            origin,
            report,
            &mut records,
        );
        return Some(records);
    }
    // An index: every value a record, by number.
    let map = document.as_object()?;
    if map.is_empty() || !map.values().all(|v| kind_of(v).is_some()) {
        return None;
    }
    for (number, record) in map {
        let kind = kind_of(record)?;
        read_record(
            kind,
            record,
            number.clone(),
            number,
            origin,
            report,
            &mut records,
        );
    }
    Some(records)
}

fn read_record(
    kind: Kind,
    value: &Value,
    path: String,
    number: &str,
    origin: &str,
    report: &mut LoadReport,
    out: &mut Records,
) {
    report.records_read += 1;
    let name = match kind {
        Kind::Npm => value
            .get("id")
            .and_then(|id| {
                id.as_u64()
                    .map(|n| n.to_string())
                    .or_else(|| id.as_str().map(str::to_owned))
            })
            .map_or_else(
                || format!("NSWG-ECO-{number}"),
                |id| format!("NSWG-ECO-{id}"),
            ),
        Kind::Core => format!("NSWG-CORE-{number}"),
        Kind::Deps => format!("NSWG-DEPS-{number}"),
    };
    let read = Obj::new(value, path).and_then(|record| match kind {
        Kind::Npm => npm(&record, &name, origin, report).map(|a| out.advisories.push((a, None))),
        Kind::Core => core(&record, &name, origin, report).map(|a| out.advisories.push(a)),
        Kind::Deps => deps(&record, origin).map(|s| out.statements.extend(s)),
    });
    report.kept_or_skipped(origin, Some(&name), read);
}

/// The versions a record states as affected: `vulnerable` without `patched`, both in
/// node-semver syntax; all versions but the patched ones without `vulnerable`.
fn affected_range(record: &Obj<'_>, vulnerable: &str, patched: &str) -> Result<Range, FieldError> {
    let read = |key: &str| -> Result<Option<Range>, FieldError> {
        match record.opt_str(key)?.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => parse_range(Scheme::Npm, text)
                .map(Some)
                .map_err(|e| FieldError {
                    path: record.child_path(key),
                    message: e.to_string(),
                }),
        }
    };
    let (vulnerable_range, patched_range) = (read(vulnerable)?, read(patched)?);
    let compare = |e: crate::version::CompareError| FieldError {
        path: record.path.clone(),
        message: e.to_string(),
    };
    match (vulnerable_range, patched_range) {
        (Some(v), Some(p)) => v.intersection(&p.complement()).map_err(compare),
        (Some(v), None) => Ok(v),
        (None, Some(p)) => Ok(p.complement()),
        (None, None) => Err(FieldError {
            path: record.path.clone(),
            message: format!("states neither {vulnerable} nor {patched}"),
        }),
    }
}

/// Notes a record whose patched versions leave none affected (it is kept: it says so).
fn note_empty(range: &Range, record: &Obj<'_>, name: &str, origin: &str, report: &mut LoadReport) {
    if range.is_empty() {
        report.problem(Problem::new(
            origin,
            Some(name),
            &record.path,
            "its patched versions cover every vulnerable one: no version is affected",
            Consequence::PartlyUsed,
        ));
    }
}

/// The CVE ids of a record (`cves` in npm records, `cve` in core and deps ones).
fn cves(record: &Obj<'_>, key: &str) -> Result<Vec<String>, FieldError> {
    Ok(record
        .opt_str_list(key)?
        .into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(native::cve_id)
        .collect())
}

fn npm(
    record: &Obj<'_>,
    name: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Result<Advisory, FieldError> {
    let module = record.req_str("module_name")?.trim();
    let range = affected_range(record, "vulnerable_versions", "patched_versions")?;
    note_empty(&range, record, name, origin, report);
    let mut advisory = Advisory::blank(name.to_owned(), origin);
    advisory.aliases = cves(record, "cves")?;
    advisory.summary = record.opt_str("title")?.map(str::to_owned);
    advisory.details = record.opt_str("overview")?.map(str::to_owned);
    advisory.published = record.opt_str("publish_date")?.map(str::to_owned);
    if let Some(vector) = record.opt_str("cvss_vector")?.map(str::trim) {
        let kind = match vector {
            v if v.starts_with("CVSS:3") => Some("CVSS_V3"),
            v if v.starts_with("CVSS:4") => Some("CVSS_V4"),
            "" => None,
            _ => Some("CVSS_V2"),
        };
        advisory.severity.extend(kind.map(|kind| SeverityScore {
            kind: kind.to_owned(),
            score: vector.to_owned(),
            issuer: Some("Node.js security WG".to_owned()),
            source: origin.to_owned(),
            parsed: Cached::default(),
        }));
    }
    let (package, _) = native::affected_package(Ecosystem::Npm, module, &range, origin);
    advisory.affected.push(package);
    Ok(advisory)
}

fn core(
    record: &Obj<'_>,
    name: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Result<(Advisory, Option<Applicability>), FieldError> {
    let range = affected_range(record, "vulnerable", "patched")?;
    note_empty(&range, record, name, origin, report);
    // Node.js names platforms as `process.platform` does; `all` gates nothing.
    let platforms: Vec<String> = record
        .opt_str_list("affectedEnvironments")?
        .into_iter()
        .map(|p| match p.trim() {
            "win32" => "Windows".to_owned(),
            "darwin" => "macOS".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    let statement =
        native::cpe_statement(NODE_CPE, &range, &platforms).map_err(|message| FieldError {
            path: record.path.clone(),
            message,
        })?;
    let mut advisory = Advisory::blank(name.to_owned(), origin);
    advisory.aliases = cves(record, "cve")?;
    let description = record.opt_str("description")?.map(str::trim);
    advisory.summary = description.map(str::to_owned);
    advisory.details = record
        .opt_str("overview")?
        .map(str::trim)
        .map(str::to_owned);
    advisory.published = record.opt_str("publish_date")?.map(str::to_owned);
    if let Some(word) = record.opt_str("severity")? {
        advisory.severity_label = native::severity_word(word).map(str::to_owned);
        advisory.severity.push(SeverityScore::new(
            "Node.js security WG",
            word,
            None,
            origin,
        ));
    }
    Ok((advisory, Some(statement)))
}

fn deps(record: &Obj<'_>, origin: &str) -> Result<Vec<VexStatement>, FieldError> {
    let reason = record.req_str("reason")?.trim().to_owned();
    let detail = record.opt_str("overview")?.map(|s| s.trim().to_owned());
    let product: crate::parsed::Parsed<crate::cpe::Cpe> = crate::parsed::Parsed::new(&format!(
        "{NODE_CPE}:*:*:*:*:*:*:*:*"
    ))
    .map_err(|e: crate::cpe::CpeError| FieldError {
        path: record.path.clone(),
        message: e.to_string(),
    })?;
    let ids = cves(record, "cve")?;
    if ids.is_empty() {
        return Err(FieldError {
            path: record.child_path("cve"),
            message: "names no CVE".to_owned(),
        });
    }
    Ok(ids
        .into_iter()
        .map(|vulnerability| VexStatement {
            vulnerability,
            product: VexProduct::Cpe(product.clone()),
            platform: None,
            status: VexStatus::NotAffected,
            justification: Some(reason.clone()),
            detail: detail.clone(),
            author: Some("Node.js security WG".to_owned()),
            source: origin.to_owned(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use crate::kb::{Format, KnowledgeBase};
    use crate::version::AnyScheme;

    const NPM: &str = r#"{"id": 130, "module_name": "jsonwebtoken", "cves": ["CVE-2015-9235"],
        "title": "Verification Bypass", "vulnerable_versions": "<4.2.2",
        "patched_versions": ">=4.2.2", "cvss_vector": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}"#;

    #[test]
    fn npm_records_affect_the_vulnerable_versions_not_patched() {
        let mut kb = KnowledgeBase::new();
        let report = kb.load_text(NPM, "vuln/npm/130.json");
        assert_eq!(
            (report.records_loaded, report.problems.len()),
            (1, 0),
            "{report:?}"
        );
        let advisory = kb.get("CVE-2015-9235").expect("by its CVE");
        assert_eq!(advisory.id, "NSWG-ECO-130");
        let entry = &advisory.affected[0];
        let verdict = entry.affects(&mut AnyScheme::new("0.4.0"));
        assert_eq!(verdict.hit.unwrap().fix().as_deref(), Some("4.2.2"));
        assert!(entry.affects(&mut AnyScheme::new("4.2.2")).hit.is_none());
        assert_eq!(advisory.severity[0].kind, "CVSS_V3");
    }

    #[test]
    fn an_nvd_cve_and_an_advisory_naming_it_merge_each_fact_keeping_its_source() {
        let mut kb = KnowledgeBase::new();
        let nvd = r#"{"vulnerabilities": [{"cve": {"id": "CVE-2015-9235", "metrics": {"cvssMetricV31":
            [{"source": "nvd@nist.gov", "type": "Primary", "cvssData":
            {"vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"}}]}}}]}"#;
        kb.load_text_as(Format::Nvd, nvd, "nvd.json");
        kb.load_text(NPM, "vuln/npm/130.json");
        assert_eq!(kb.len(), 1);
        let merged = kb.get("NSWG-ECO-130").unwrap();
        assert_eq!(merged.id, "CVE-2015-9235");
        assert_eq!(merged.sources, ["nvd.json", "vuln/npm/130.json"]);
        let sources: Vec<&str> = merged.severity.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(sources, ["nvd.json", "vuln/npm/130.json"]);
        assert_eq!(merged.affected[0].source, "vuln/npm/130.json");
    }

    #[test]
    fn core_records_state_the_runtime_and_deps_records_are_vex() {
        let mut kb = KnowledgeBase::new();
        let core = r#"{"cve": ["CVE-2017-1000381"], "vulnerable": "8.x || 7.x",
            "patched": "^8.1.4 || ^7.10.1", "severity": "high", "affectedEnvironments": ["all"]}"#;
        let report = kb.load_text(core, "vuln/core/1.json");
        assert_eq!(report.records_loaded, 1, "{report:?}");
        let advisory = kb.get("NSWG-CORE-1").unwrap();
        assert_eq!(advisory.severity_label.as_deref(), Some("HIGH"));
        let statement = kb.applicability("NSWG-CORE-1").expect("a statement");
        let host = |v: &str| -> Vec<crate::cpe::Cpe> {
            vec![format!("cpe:2.3:a:nodejs:node.js:{v}:*:*:*:*:*:*:*")
                .parse()
                .unwrap()]
        };
        assert!(statement.evaluate(&host("8.1.3")).is_some());
        assert!(statement.evaluate(&host("8.1.4")).is_none());
        assert!(statement.evaluate(&host("6.0.0")).is_none());
        let windows_only = r#"{"cve": ["CVE-2018-0001"], "vulnerable": "<8.0.0", "patched": "",
            "severity": "low", "affectedEnvironments": ["win32"]}"#;
        kb.load_text(windows_only, "vuln/core/2.json");
        let statement = kb.applicability("NSWG-CORE-2").unwrap();
        assert!(
            statement.evaluate(&host("7.0.0")).is_none(),
            "not on an unknown system"
        );
        let mut on_windows = host("7.0.0");
        on_windows.push(
            "cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*"
                .parse()
                .unwrap(),
        );
        assert!(statement.evaluate(&on_windows).is_some());
        let deps =
            r#"{"cve": ["CVE-2023-45853"], "ref": "x", "reason": "vulnerable_code_not_present"}"#;
        let report = kb.load_text(deps, "vuln/deps/1.json");
        assert_eq!(report.records_loaded, 1);
        assert_eq!(
            kb.vex().about("CVE-2023-45853")[0].justification.as_deref(),
            Some("vulnerable_code_not_present")
        );
    }

    #[test]
    fn indexes_hold_records_and_bad_records_are_reported() {
        let mut kb = KnowledgeBase::new();
        let index = format!(
            r#"{{"130": {NPM}, "131": {{"id": 131, "module_name": "x", "vulnerable_versions": "<1.0.0 ||| >"}},
            "132": {{"id": 132, "module_name": "y"}}}}"#
        );
        let report = kb.load_text_as(Format::NodeJs, &index, "vuln/npm/index.json");
        assert_eq!(
            (
                report.records_read,
                report.records_loaded,
                report.records_skipped
            ),
            (3, 1, 2)
        );
        assert!(report
            .problems
            .iter()
            .any(|p| p.record.as_deref() == Some("NSWG-ECO-132") && p.message.contains("neither")));
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.field == "131.vulnerable_versions"),
            "{:?}",
            report.problems
        );
    }
}
