//! NVD CVE records: the JSON 1.1 feeds (`{"CVE_Items": [...]}`) and NVD API 2.0 responses
//! (`{"format": "NVD_CVE", "vulnerabilities": [{"cve": ...}]}`), read as a stream: one record
//! is in memory at a time, whatever the size of the feed.
//!
//! Each record becomes an [`Advisory`] with the CVE's English description, CWE ids and CVSS
//! metrics of every version (each with its issuer), and its applicability statement (CPE
//! configurations) for the CPE matcher. The KEV facts NVD copies into API 2.0 records
//! (`cisaExploitAdd`, `cisaActionDue`) are returned too.
//!
//! Each record is read into a struct of its shape ([`ItemV1`], [`CveV2`]); a field of the
//! wrong type skips that record with a problem naming the field's path, and the stream goes on.

use super::{Advisory, SeverityScore};
use crate::cpe::Applicability;
use crate::json::{self, FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::score::cvss::CvssVersion;
use serde::Deserialize;
use serde_json::Value;
use std::io::Read;

/// One CVE as NVD publishes it.
#[derive(Debug, Clone)]
pub struct NvdRecord {
    /// The advisory (no affected packages: NVD names products by CPE).
    pub advisory: Advisory,
    /// The CPE configurations, when NVD has analysed the CVE.
    pub applicability: Option<Applicability>,
    /// `cisaExploitAdd` and `cisaActionDue` (API 2.0), when CISA lists the CVE in KEV.
    pub kev: Option<(String, String)>,
}

/// Whether text (its first kilobytes) is an NVD JSON 1.1 feed or an API 2.0 response.
pub(crate) fn recognizes(head: &str) -> bool {
    head.contains("\"CVE_Items\"")
        || head.contains("\"CVE_data_type\"")
        || (head.contains("\"NVD_CVE\"") && head.contains("\"vulnerabilities\""))
}

/// Reads every record of a feed or response from `reader`, calling `sink` with each good one;
/// bad records are problems in `report`; the newest modified or published date of the records
/// is kept in `newest`. A document that is not JSON of the right shape is
/// one problem.
pub(crate) fn stream(
    reader: impl Read,
    origin: &str,
    report: &mut LoadReport,
    newest: &mut Option<String>,
    sink: &mut dyn FnMut(NvdRecord),
) {
    let mut each = |index: usize, item: Value| {
        report.records_read += 1;
        // JSON 1.1 dates the item, API 2.0 its `cve`.
        for date in [
            item.get("lastModifiedDate"),
            item.get("publishedDate"),
            item.pointer("/cve/lastModified"),
            item.pointer("/cve/published"),
        ] {
            super::metadata::newest(newest, date.and_then(Value::as_str));
        }
        match record(&item, origin, report) {
            Ok(r) => {
                report.records_loaded += 1;
                sink(r);
            }
            Err((id, error)) => {
                report.records_skipped += 1;
                let id = id.unwrap_or_else(|| format!("#{}", index + 1));
                report.left_out(origin, Some(&id), error);
            }
        }
    };
    let mut deserializer = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let keys = ["CVE_Items", "vulnerabilities"];
    let read = json::stream_array::<_, Value>(&mut deserializer, &keys, false, &mut each)
        .and_then(|top| deserializer.end().map(|()| top));
    let problem = match read {
        Ok(top) if !top.found => {
            "no CVE_Items (JSON 1.1) or vulnerabilities (API 2.0) array".to_owned()
        }
        Ok(top) => match top.not_an_array {
            Some(found) => format!("CVE_Items or vulnerabilities is {found}, not an array"),
            None => return,
        },
        Err(e) => e.to_string(),
    };
    report.problem(Problem::skipped_input(
        origin,
        format!("not an NVD feed or response: {problem}"),
    ));
}

/// Why a record was skipped, with its id when that could be read.
type RecordError = (Option<String>, FieldError);

/// A CVSS metric object as NVD, CVE 5 and CSAF write it; only its vector is kept (scores are
/// computed from it).
#[derive(Debug, Deserialize)]
pub(super) struct Cvss {
    #[serde(rename = "vectorString")]
    pub(super) vector_string: Option<String>,
}

/// A text in a language: `{"lang": "en", "value": …}`.
#[derive(Debug, Deserialize)]
pub(super) struct LangValue {
    pub(super) lang: Option<String>,
    pub(super) value: Option<String>,
}

/// A list of texts under `description` (JSON 1.1 problem types, API 2.0 weaknesses).
#[derive(Debug, Deserialize)]
struct Descriptions {
    description: Option<Vec<LangValue>>,
}

/// A JSON 1.1 `CVE_Items[]` element, but for its id and configurations (read apart).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemV1 {
    cve: Option<CveV1>,
    impact: Option<ImpactV1>,
    published_date: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CveV1 {
    problemtype: Option<ProblemTypeV1>,
    description: Option<DescriptionV1>,
}

#[derive(Debug, Deserialize)]
struct ProblemTypeV1 {
    problemtype_data: Option<Vec<Descriptions>>,
}

#[derive(Debug, Deserialize)]
struct DescriptionV1 {
    description_data: Option<Vec<LangValue>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ImpactV1 {
    base_metric_v3: Option<BaseMetricV3>,
    base_metric_v2: Option<BaseMetricV2>,
}

#[derive(Debug, Deserialize)]
struct BaseMetricV3 {
    #[serde(rename = "cvssV3")]
    cvss: Option<Cvss>,
}

#[derive(Debug, Deserialize)]
struct BaseMetricV2 {
    #[serde(rename = "cvssV2")]
    cvss: Option<Cvss>,
}

/// An API 2.0 `vulnerabilities[].cve`, but for its id and configurations (read apart).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CveV2 {
    weaknesses: Option<Vec<Descriptions>>,
    metrics: Option<MetricsV2>,
    descriptions: Option<Vec<LangValue>>,
    vuln_status: Option<String>,
    published: Option<String>,
    cisa_exploit_add: Option<String>,
    cisa_action_due: Option<String>,
}

#[derive(Debug, Deserialize)]
struct MetricsV2 {
    #[serde(rename = "cvssMetricV40")]
    v40: Option<Vec<MetricV2>>,
    #[serde(rename = "cvssMetricV31")]
    v31: Option<Vec<MetricV2>>,
    #[serde(rename = "cvssMetricV30")]
    v30: Option<Vec<MetricV2>>,
    #[serde(rename = "cvssMetricV2")]
    v2: Option<Vec<MetricV2>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MetricV2 {
    source: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    cvss_data: Option<Cvss>,
}

/// One `CVE_Items[]` (1.1) or `vulnerabilities[]` (2.0) element.
fn record(item: &Value, origin: &str, report: &mut LoadReport) -> Result<NvdRecord, RecordError> {
    // API 2.0 elements are `{"cve": {"id": …}}`; JSON 1.1 ones name the id deeper.
    if let Some(cve) = item.get("cve").filter(|c| c.get("id").is_some()) {
        record_v2(cve, origin, report)
    } else {
        record_v1(item, origin, report)
    }
}

/// The English text among `[{"lang": "en", "value": ...}]`.
fn english(list: Option<Vec<LangValue>>) -> Option<String> {
    list?
        .into_iter()
        .find(|d| d.lang.as_deref() == Some("en"))
        .and_then(|d| d.value)
}

/// The CWE ids among problem types or weaknesses, in order.
fn cwes_in(list: Option<Vec<Descriptions>>) -> impl Iterator<Item = String> {
    list.into_iter()
        .flatten()
        .flat_map(|p| p.description.into_iter().flatten())
        .filter_map(|d| d.value)
        .filter(|v| v.starts_with("CWE-"))
}

fn applicability_of(
    configurations: Option<&Value>,
    id: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Option<Applicability> {
    let configurations = configurations?;
    let empty = match configurations {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o
            .get("nodes")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty),
        _ => false,
    };
    if empty {
        return None;
    }
    match Applicability::from_nvd_json(configurations) {
        Ok(a) => Some(a),
        Err(e) => {
            // The record is kept (its description and scores are good); without its
            // configurations it cannot be matched by CPE.
            report.problem(Problem::new(
                origin,
                Some(id),
                "configurations",
                e.to_string(),
                Consequence::PartlyUsed,
            ));
            None
        }
    }
}

/// Reports a CVSS vector, found at `field`, that does not parse as a vector of its `kind`
/// (`CVSS_V2`, `CVSS_V3`, `CVSS_V4`): the record is partly used, as the vector is kept as
/// NVD states it but never scored.
fn check_vector(
    kind: &str,
    vector: &str,
    field: impl FnOnce() -> String,
    origin: &str,
    id: &str,
    report: &mut LoadReport,
) {
    let problem = match vector.parse::<crate::score::cvss::Cvss>() {
        Ok(cvss) => {
            let stated = match cvss.version_id() {
                CvssVersion::V2 => "CVSS_V2",
                CvssVersion::V30 | CvssVersion::V31 => "CVSS_V3",
                CvssVersion::V40 => "CVSS_V4",
            };
            if stated == kind {
                return;
            }
            format!("a CVSS {} vector where {kind} is stated", cvss.version())
        }
        Err(e) => e.to_string(),
    };
    report.problem(Problem::new(
        origin,
        Some(id),
        &field(),
        format!("{problem}: the vector is kept but never scored"),
        Consequence::PartlyUsed,
    ));
}

fn record_v1(
    item: &Value,
    origin: &str,
    report: &mut LoadReport,
) -> Result<NvdRecord, RecordError> {
    let id = Obj::new(item, String::new())
        .and_then(|item| item.str_at(&["cve", "CVE_data_meta", "ID"]))
        .map_err(|e| (None, e))?
        .to_owned();
    let body: ItemV1 = json::read(item, "").map_err(|e| (Some(id.clone()), e))?;
    let (problemtype, description) = body
        .cve
        .map_or((None, None), |c| (c.problemtype, c.description));
    let cwes = cwes_in(problemtype.and_then(|p| p.problemtype_data)).collect();
    let impact = body.impact.map_or((None, None), |i| {
        (
            i.base_metric_v3.and_then(|m| m.cvss),
            i.base_metric_v2.and_then(|m| m.cvss),
        )
    });
    let severity = [
        (
            impact.0,
            "CVSS_V3",
            "impact.baseMetricV3.cvssV3.vectorString",
        ),
        (
            impact.1,
            "CVSS_V2",
            "impact.baseMetricV2.cvssV2.vectorString",
        ),
    ]
    .into_iter()
    .filter_map(|(cvss, kind, field)| {
        let vector = cvss?.vector_string?;
        check_vector(kind, &vector, || field.to_owned(), origin, &id, report);
        Some(SeverityScore::new(
            kind,
            &vector,
            Some("nvd@nist.gov"),
            origin,
        ))
    })
    .collect();
    let details = english(description.and_then(|d| d.description_data));
    // The configurations are read by `Applicability::from_nvd_json`, with their own paths.
    let applicability = applicability_of(item.get("configurations"), &id, origin, report);
    let rejected = details
        .as_deref()
        .is_some_and(|d| d.starts_with("** REJECT **"));
    Ok(NvdRecord {
        advisory: Advisory::cve_record(
            id,
            details,
            cwes,
            severity,
            body.published_date,
            rejected,
            origin,
        ),
        applicability,
        kev: None,
    })
}

fn record_v2(cve: &Value, origin: &str, report: &mut LoadReport) -> Result<NvdRecord, RecordError> {
    let id = Obj::new(cve, "cve".to_owned())
        .and_then(|cve| cve.str_at(&["id"]))
        .map_err(|e| (None, e))?
        .to_owned();
    let body: CveV2 = json::read(cve, "cve").map_err(|e| (Some(id.clone()), e))?;
    let mut cwes: Vec<String> = Vec::new();
    for cwe in cwes_in(body.weaknesses) {
        if !cwes.contains(&cwe) {
            cwes.push(cwe);
        }
    }
    let mut severity = Vec::new();
    if let Some(metrics) = body.metrics {
        for (key, kind, list) in [
            ("cvssMetricV40", "CVSS_V4", metrics.v40),
            ("cvssMetricV31", "CVSS_V3", metrics.v31),
            ("cvssMetricV30", "CVSS_V3", metrics.v30),
            ("cvssMetricV2", "CVSS_V2", metrics.v2),
        ] {
            for (i, metric) in list.into_iter().flatten().enumerate() {
                let field = || format!("cve.metrics.{key}[{i}].cvssData.vectorString");
                let Some(vector) = metric.cvss_data.and_then(|c| c.vector_string) else {
                    return Err((
                        Some(id),
                        FieldError {
                            path: field(),
                            message: "is missing".to_owned(),
                        },
                    ));
                };
                check_vector(kind, &vector, field, origin, &id, report);
                let issuer = metric.source.map(|s| {
                    if metric.kind.as_deref() == Some("Secondary") {
                        format!("{s} (Secondary)")
                    } else {
                        s
                    }
                });
                severity.push(SeverityScore::new(kind, &vector, issuer.as_deref(), origin));
            }
        }
    }
    // NVD's own (Primary) scores first: the engine takes the first usable vector.
    severity.sort_by_key(|s| {
        (
            s.issuer
                .as_deref()
                .is_some_and(|i| i.ends_with("(Secondary)")),
            s.kind != "CVSS_V3",
        )
    });
    let details = english(body.descriptions);
    // The configurations are read by `Applicability::from_nvd_json`, with their own paths.
    let applicability = applicability_of(cve.get("configurations"), &id, origin, report);
    let rejected = body.vuln_status.as_deref() == Some("Rejected");
    let kev = body
        .cisa_exploit_add
        .map(|added| (added, body.cisa_action_due.unwrap_or_default()));
    Ok(NvdRecord {
        advisory: Advisory::cve_record(
            id,
            details,
            cwes,
            severity,
            body.published,
            rejected,
            origin,
        ),
        applicability,
        kev,
    })
}
