//! NVD CVE records: the JSON 1.1 feeds (`{"CVE_Items": [...]}`) and NVD API 2.0 responses
//! (`{"format": "NVD_CVE", "vulnerabilities": [{"cve": ...}]}`), read as a stream: one record
//! is in memory at a time, whatever the size of the feed.
//!
//! Each record becomes an [`Advisory`] with the CVE's English description, CWE ids and CVSS
//! metrics of every version (each with its issuer), and its applicability statement (CPE
//! configurations) for the CPE matcher. The KEV facts NVD copies into API 2.0 records
//! (`cisaExploitAdd`, `cisaActionDue`) are returned too.

use super::advisory::Cached;
use super::{Advisory, SeverityScore};
use crate::cpe::Applicability;
use crate::load_report::{Consequence, LoadReport, Problem};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
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
/// bad records are problems in `report`. A document that is not JSON of the right shape is
/// one problem.
pub(crate) fn stream(
    reader: impl Read,
    origin: &str,
    report: &mut LoadReport,
    sink: &mut dyn FnMut(NvdRecord),
) {
    let mut each = |index: usize, item: Value| {
        report.records_read += 1;
        match record(&item, origin, report) {
            Ok(r) => {
                report.records_loaded += 1;
                sink(r);
            }
            Err((id, field, message)) => {
                report.records_skipped += 1;
                let id = id.unwrap_or_else(|| format!("#{}", index + 1));
                report.problem(Problem::new(
                    origin,
                    Some(&id),
                    &field,
                    message,
                    Consequence::Skipped,
                ));
            }
        }
    };
    let mut deserializer = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let outcome = Document { each: &mut each }.deserialize(&mut deserializer);
    if let Err(e) = outcome.and_then(|()| deserializer.end()) {
        report.problem(Problem::new(
            origin,
            None,
            "",
            format!("not an NVD feed or response: {e}"),
            Consequence::Skipped,
        ));
    }
}

/// The top-level object: its `CVE_Items` or `vulnerabilities` array is streamed.
struct Document<'a> {
    each: &'a mut dyn FnMut(usize, Value),
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with CVE_Items or vulnerabilities")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "CVE_Items" || key == "vulnerabilities" {
                map.next_value_seed(Items {
                    each: &mut *self.each,
                })?;
                found = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if found {
            Ok(())
        } else {
            Err(serde::de::Error::custom(
                "no CVE_Items (JSON 1.1) or vulnerabilities (API 2.0) array",
            ))
        }
    }
}

struct Items<'a> {
    each: &'a mut dyn FnMut(usize, Value),
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of CVE records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(item) = seq.next_element::<Value>()? {
            (self.each)(index, item);
            index += 1;
        }
        Ok(())
    }
}

type RecordError = (Option<String>, String, String);

/// One `CVE_Items[]` (1.1) or `vulnerabilities[]` (2.0) element.
fn record(item: &Value, origin: &str, report: &mut LoadReport) -> Result<NvdRecord, RecordError> {
    if let Some(cve) = item.get("cve").filter(|c| c.get("id").is_some()) {
        record_v2(cve, origin, report)
    } else {
        record_v1(item, origin, report)
    }
}

fn missing(id: Option<&str>, field: &str) -> RecordError {
    (
        id.map(str::to_owned),
        field.to_owned(),
        "is missing".to_owned(),
    )
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// The English text among `[{"lang": "en", "value": ...}]`.
fn english(list: Option<&Value>) -> Option<String> {
    list?
        .as_array()?
        .iter()
        .find(|d| d.get("lang").and_then(Value::as_str) == Some("en"))
        .and_then(|d| d.get("value"))
        .and_then(Value::as_str)
        .map(str::to_owned)
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

fn record_v1(
    item: &Value,
    origin: &str,
    report: &mut LoadReport,
) -> Result<NvdRecord, RecordError> {
    let id = str_at(item, "/cve/CVE_data_meta/ID")
        .ok_or_else(|| missing(None, "cve.CVE_data_meta.ID"))?
        .to_owned();
    let cwes = item
        .pointer("/cve/problemtype/problemtype_data")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("description").and_then(Value::as_array))
        .flatten()
        .filter_map(|d| d.get("value").and_then(Value::as_str))
        .filter(|v| v.starts_with("CWE-"))
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let mut severity = Vec::new();
    for (pointer, kind) in [
        ("/impact/baseMetricV3/cvssV3/vectorString", "CVSS_V3"),
        ("/impact/baseMetricV2/cvssV2/vectorString", "CVSS_V2"),
    ] {
        if let Some(vector) = str_at(item, pointer) {
            severity.push(SeverityScore {
                kind: kind.to_owned(),
                score: vector.to_owned(),
                issuer: Some("nvd@nist.gov".to_owned()),
                source: origin.to_owned(),
                parsed: Cached::default(),
            });
        }
    }
    let details = english(item.pointer("/cve/description/description_data"));
    let applicability = applicability_of(item.get("configurations"), &id, origin, report);
    let rejected = details
        .as_deref()
        .is_some_and(|d| d.starts_with("** REJECT **"));
    let published = str_at(item, "/publishedDate").map(str::to_owned);
    Ok(NvdRecord {
        advisory: advisory(id, details, cwes, severity, published, rejected, origin),
        applicability,
        kev: None,
    })
}

fn record_v2(cve: &Value, origin: &str, report: &mut LoadReport) -> Result<NvdRecord, RecordError> {
    let id = str_at(cve, "/id")
        .ok_or_else(|| missing(None, "cve.id"))?
        .to_owned();
    let mut cwes = Vec::new();
    for weakness in cve
        .get("weaknesses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for d in weakness
            .get("description")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(v) = d.get("value").and_then(Value::as_str) {
                if v.starts_with("CWE-") && !cwes.iter().any(|c| c == v) {
                    cwes.push(v.to_owned());
                }
            }
        }
    }
    let mut severity = Vec::new();
    for (key, kind) in [
        ("cvssMetricV40", "CVSS_V4"),
        ("cvssMetricV31", "CVSS_V3"),
        ("cvssMetricV30", "CVSS_V3"),
        ("cvssMetricV2", "CVSS_V2"),
    ] {
        let metrics = cve
            .pointer(&format!("/metrics/{key}"))
            .and_then(Value::as_array);
        for (i, metric) in metrics.into_iter().flatten().enumerate() {
            let Some(vector) = str_at(metric, "/cvssData/vectorString") else {
                return Err((
                    Some(id),
                    format!("cve.metrics.{key}[{i}].cvssData.vectorString"),
                    "is missing".to_owned(),
                ));
            };
            let issuer = str_at(metric, "/source").map(|s| {
                if str_at(metric, "/type") == Some("Secondary") {
                    format!("{s} (Secondary)")
                } else {
                    s.to_owned()
                }
            });
            severity.push(SeverityScore {
                kind: kind.to_owned(),
                score: vector.to_owned(),
                issuer,
                source: origin.to_owned(),
                parsed: Cached::default(),
            });
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
    let details = english(cve.get("descriptions"));
    let applicability = applicability_of(cve.get("configurations"), &id, origin, report);
    let rejected = str_at(cve, "/vulnStatus") == Some("Rejected");
    let published = str_at(cve, "/published").map(str::to_owned);
    let kev = match (
        str_at(cve, "/cisaExploitAdd"),
        str_at(cve, "/cisaActionDue"),
    ) {
        (Some(added), due) => Some((added.to_owned(), due.unwrap_or_default().to_owned())),
        _ => None,
    };
    Ok(NvdRecord {
        advisory: advisory(id, details, cwes, severity, published, rejected, origin),
        applicability,
        kev,
    })
}

fn advisory(
    id: String,
    details: Option<String>,
    cwes: Vec<String>,
    severity: Vec<SeverityScore>,
    published: Option<String>,
    rejected: bool,
    origin: &str,
) -> Advisory {
    let summary = details.as_deref().map(|d| {
        d.split(". ")
            .next()
            .unwrap_or(d)
            .trim_end_matches('.')
            .to_owned()
            + "."
    });
    Advisory {
        id,
        aliases: Vec::new(),
        related: Vec::new(),
        summary,
        details,
        cwes,
        // A rejected CVE is withdrawn: it never produces findings.
        withdrawn: rejected.then(|| published.clone().unwrap_or_default()),
        published,
        severity,
        severity_label: None,
        affected: Vec::new(),
        source: origin.to_owned(),
        sources: vec![origin.to_owned()],
    }
}
