//! The assessment as a SARIF 2.1.0 log for code scanning (GitHub's among them): one run of the
//! `exposure` tool, one rule per advisory, one result per finding.
//!
//! - **Rule** (`tool.driver.rules[]`): `id` the advisory id, `name` the id without
//!   punctuation, `shortDescription` the advisory's summary (else its id), `fullDescription`
//!   the summary with the aliases and the CVSS vector, `help` the same with the fixed versions,
//!   `helpUri` [`super::advisory_url`], `properties.security-severity` the CVSS score used as
//!   GitHub reads it (a number in a string; else `10 × I`), `properties.tags` `security`,
//!   `vulnerability`, the ecosystems, `known-exploited` for a KEV entry, and
//!   `external/cve/<id>` for its CVE id and aliases.
//! - **Result** (`runs[0].results[]`): `ruleId` and `ruleIndex`; `level` from the severity
//!   (critical and high `error`, medium `warning`, low and none `note`); `message.text`
//!   naming the software, version, device, advisory and fix; one location whose
//!   `artifactLocation.uri` is the inventory the device came from when the assessment had one
//!   inventory input, else `devices/<device id>` (a device has no file of its own), with
//!   region line 1 and a logical location naming the device; `partialFingerprints`
//!   `exposureFinding/v1`, a stable hash of device, ecosystem, product and advisory;
//!   `properties` the model's terms (risk, likelihood, impact, KEV, EPSS, fix state).
//!   Findings that count 0 are results too (`properties.not_counted` says why); suppressed
//!   findings are left out (a VEX statement or an exception removed them).

use super::{advisory_url, severity, severity_score};
use crate::assessment::{Assessment, ScoredFinding};
use crate::score::cvss::Severity;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The SARIF schema the log names: OASIS's SARIF 2.1.0 with its first errata.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// assert_eq!(exposure::report::sarif::log(&a)["$schema"], exposure::report::sarif::SCHEMA);
/// ```
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where the tool is described.
const INFORMATION_URI: &str = "https://example.invalid/exposure";

/// The SARIF log of `assessment`.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let log = exposure::report::sarif::log(&a);
/// assert_eq!(log["version"], "2.1.0");
/// let run = &log["runs"][0];
/// assert_eq!(run["results"].as_array().unwrap().len(), a.findings.len());
/// let rule = &run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"].as_u64().unwrap() as usize];
/// assert_eq!(rule["id"], run["results"][0]["ruleId"]);
/// assert!(rule["properties"]["security-severity"].as_str().unwrap().parse::<f64>().is_ok());
/// ```
pub fn log(assessment: &Assessment) -> Value {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut by_rule: Vec<Vec<&ScoredFinding>> = Vec::new();
    for f in &assessment.findings {
        let id = &*f.finding.advisory_id;
        let i = *rule_index.entry(id).or_insert_with(|| {
            by_rule.push(Vec::new());
            by_rule.len() - 1
        });
        by_rule[i].push(f);
    }
    for findings in &by_rule {
        rules.push(rule(findings));
    }
    let single_input = match assessment.inventory_reports.as_slice() {
        [one] => Some(artifact_uri(&one.input)),
        _ => None,
    };
    let results: Vec<Value> = assessment
        .findings
        .iter()
        .map(|f| {
            let index = rule_index
                .get(&*f.finding.advisory_id)
                .copied()
                .unwrap_or_default();
            result(f, index, single_input.as_deref())
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "exposure",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {
                "exposure": {
                    "format": assessment.format,
                    "model_version": assessment.model_version,
                    "score": assessment.organisation.score,
                    "level": assessment.organisation.level,
                    "devices": assessment.organisation.devices,
                    "suppressed": assessment.suppressed.len(),
                },
            },
        }],
    })
}

/// The log as pretty-printed JSON text.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// assert!(exposure::report::sarif::to_string(&a).contains("\"ruleId\": \"GO-2023-2102\""));
/// ```
pub fn to_string(assessment: &Assessment) -> String {
    serde_json::to_string_pretty(&log(assessment)).unwrap_or_default()
}

/// The rule of one advisory, from its findings (they share its summary, aliases and vector).
fn rule(findings: &[&ScoredFinding]) -> Value {
    let Some(first) = findings.first() else {
        return Value::Null;
    };
    let f = &first.finding;
    let id = &*f.advisory_id;
    let summary = f
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let short = summary.map_or_else(|| id.to_owned(), one_line);
    let mut full = short.clone();
    if !f.aliases.is_empty() {
        let _ = write!(full, " (aliases: {})", f.aliases.join(", "));
    }
    if let Some(c) = &first.cvss {
        let _ = write!(full, " CVSS {} {}: {}.", c.version, c.vector, c.score);
    }
    let score = findings
        .iter()
        .map(|f| severity_score(f))
        .fold(0.0_f64, f64::max);
    let mut ecosystems: Vec<String> = findings
        .iter()
        .map(|f| f.finding.software.ecosystem.to_string())
        .collect();
    ecosystems.sort_unstable();
    ecosystems.dedup();
    let mut tags = vec!["security".to_owned(), "vulnerability".to_owned()];
    tags.extend(ecosystems);
    if findings.iter().any(|f| f.threat.known_exploited.is_some()) {
        tags.push("known-exploited".to_owned());
    }
    tags.extend(
        std::iter::once(id)
            .chain(f.aliases.iter().map(String::as_str))
            .filter(|a| a.starts_with("CVE-"))
            .map(|cve| format!("external/cve/{}", cve.to_lowercase())),
    );
    let mut fixes: Vec<&str> = f.fixed_versions.iter().map(String::as_str).collect();
    fixes.sort_unstable();
    fixes.dedup();
    let help = if fixes.is_empty() {
        format!("{full} No fixed version is known.")
    } else {
        format!("{full} Fixed in: {}.", fixes.join(", "))
    };
    json!({
        "id": id,
        "name": id.chars().filter(char::is_ascii_alphanumeric).collect::<String>(),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help},
        "helpUri": advisory_url(id),
        "defaultConfiguration": {"level": level(Severity::of_score(score))},
        "properties": {
            "security-severity": format!("{score:.1}"),
            "precision": "high",
            "tags": tags,
        },
    })
}

/// The result of one finding.
fn result(f: &ScoredFinding, rule_index: usize, single_input: Option<&str>) -> Value {
    let finding = &f.finding;
    let software = &finding.software;
    let fix = match finding.fix.as_deref() {
        Some(v) => format!("fixed in {v}"),
        None => format!("fix: {}", fix_state(f)),
    };
    let message = format!(
        "{} {} ({}) on device {} is affected by {}; {}.",
        software.name,
        software.version,
        software.ecosystem,
        finding.device_id,
        finding.advisory_id,
        fix
    );
    let uri = single_input.map_or_else(
        || format!("devices/{}", path_segment(&finding.device_id)),
        str::to_owned,
    );
    let product = crate::recommend::product_key(software);
    let fingerprint = fnv1a(&[
        &finding.device_id,
        &software.ecosystem.to_string(),
        &product,
        &finding.advisory_id,
    ]);
    json!({
        "ruleId": &*finding.advisory_id,
        "ruleIndex": rule_index,
        "level": level(severity(f)),
        "kind": "fail",
        "message": {"text": message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {"startLine": 1},
            },
            "logicalLocations": [{
                "name": format!("{} {}", software.name, software.version),
                "fullyQualifiedName": format!("{}/{}", finding.device_id, software.name),
                "kind": "resource",
            }],
        }],
        "partialFingerprints": {"exposureFinding/v1": format!("{fingerprint:016x}")},
        "properties": {
            "device": &*finding.device_id,
            "ecosystem": software.ecosystem.to_string(),
            "software": software.name,
            "version": software.version,
            "purl": software.purl.as_ref().map(crate::parsed::Parsed::text),
            "risk": f.risk.risk,
            "contribution": f.contribution(),
            "likelihood": f.risk.likelihood,
            "impact": f.risk.impact,
            "known_exploited": f.threat.known_exploited.is_some(),
            "epss": f.threat.epss.as_ref().map(|(_, e)| e.probability),
            "fix_state": finding.fix_state,
            "not_counted": f.not_counted(),
        },
    })
}

/// SARIF's level of a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::None => "note",
    }
}

fn fix_state(f: &ScoredFinding) -> &'static str {
    match f.finding.fix_state {
        crate::matching::FixState::Fixed => "fixed",
        crate::matching::FixState::NotFixed => "no fixed version yet",
        crate::matching::FixState::WillNotFix => "will not be fixed",
        crate::matching::FixState::Unknown => "unknown",
    }
}

/// The text on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An inventory input as a relative URI reference: separators as `/`, a leading `./` dropped,
/// characters outside RFC 3986's unreserved set and `/` percent-encoded (an absolute path
/// stays absolute, as a `file:` URI).
fn artifact_uri(input: &str) -> String {
    let path = input.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let encoded: String = path
        .split('/')
        .map(path_segment)
        .collect::<Vec<_>>()
        .join("/");
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// One path segment, percent-encoded.
fn path_segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// FNV-1a (64 bits) of the parts, each followed by a 0 byte: stable across runs, versions and
/// platforms (unlike the standard library's hasher).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references_or_file_uris() {
        assert_eq!(artifact_uri("./boms/a b.json"), "boms/a%20b.json");
        assert_eq!(artifact_uri("/srv/bom.json"), "file:///srv/bom.json");
        assert_eq!(artifact_uri(r"inv\fleet.json"), "inv/fleet.json");
    }

    #[test]
    fn fingerprints_are_stable() {
        // FNV-1a of "a\0": fixed by the algorithm, whatever the platform.
        assert_eq!(fnv1a(&["a"]), 0x089b_e207_b544_f1e4);
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
