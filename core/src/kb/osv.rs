//! The OSV schema (<https://ossf.github.io/osv-schema/>) into [`Advisory`] values.
//!
//! Records are read with the path-tracking reader: a field the schema types that has the
//! wrong type skips its record, and a broken `affected` entry costs only itself. The
//! free-form parts (`database_specific`, `ecosystem_specific`) are read where the engine uses
//! them (CWE ids, severity, Debian's urgency); one of the wrong type there is a problem and the
//! record is still used without it.

use super::advisory::Cached;
use super::{
    Advisory, AffectedPackage, AffectedRange, Consequence, LoadReport, Problem, RangeEvaluation,
    RangeType, SeverityScore,
};
use crate::ecosystem::Ecosystem;
use crate::json::{self, FieldError, Obj};
use crate::range::{OsvEvent, Range, RangeError};
use crate::version::Scheme;
use serde_json::Value;

/// Parses a document holding one OSV record or an array of them. Bad records are reported
/// and left out.
pub(super) fn parse_document(text: &str, origin: &str, report: &mut LoadReport) -> Vec<Advisory> {
    let document: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            report.document_skipped(origin, format!("not JSON: {e}"));
            return Vec::new();
        }
    };
    parse_value(&document, origin, report)
}

/// How deep flow collections (`[…]`, `{…}`) of an OSV YAML document may nest: `serde_yaml`
/// refuses documents nested deeper than this anyway (as `serde_json` does JSON), and libyaml's
/// time grows with this depth for every token (see [`super::yaml_depth`]). OSV records nest a
/// few levels.
const YAML_FLOW_DEPTH: u32 = 128;

/// Parses one OSV record written in YAML. Scalars must be written as OSV types them: a
/// version YAML would read as a number (`1.10`) is a problem, never silently `1.1`. A
/// document whose flow collections nest deeper than [`YAML_FLOW_DEPTH`] is skipped unread.
pub(super) fn parse_yaml(text: &str, origin: &str, report: &mut LoadReport) -> Vec<Advisory> {
    if let Some(at) = super::yaml_depth::flow_depth_exceeds(text, YAML_FLOW_DEPTH) {
        report.document_skipped(
            origin,
            format!(
                "not read: YAML flow collections nest deeper than {YAML_FLOW_DEPTH} levels (at byte {at})"
            ),
        );
        return Vec::new();
    }
    match serde_yaml::from_str::<Value>(text) {
        Ok(value) => parse_value(&value, origin, report),
        Err(e) => {
            report.document_skipped(origin, format!("not YAML: {e}"));
            Vec::new()
        }
    }
}

/// Like [`parse_document`], over a document already parsed (from JSON or YAML).
pub(super) fn parse_value(
    document: &Value,
    origin: &str,
    report: &mut LoadReport,
) -> Vec<Advisory> {
    let records: Vec<&Value> = match document {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    let in_array = matches!(document, Value::Array(_));
    let mut out = Vec::with_capacity(records.len());
    for (index, record) in records.into_iter().enumerate() {
        report.records_read += 1;
        let path = if in_array {
            format!("[{index}]")
        } else {
            String::new()
        };
        // Name the record by its id when it has one, by its position otherwise (an id of the
        // wrong type is reported by `parse_record`).
        let name = json::id_of(record, "id").map_or_else(|| format!("#{index}"), str::to_owned);
        let parsed = parse_record(record, path, origin, &name, report);
        out.extend(report.kept_or_skipped(origin, Some(&name), parsed));
    }
    out
}

fn severities(obj: &Obj<'_>, origin: &str) -> Result<Vec<SeverityScore>, FieldError> {
    obj.opt_objs("severity")?
        .into_iter()
        .map(|s| {
            Ok(SeverityScore {
                kind: s.req_str("type")?.to_owned(),
                score: s.req_str("score")?.to_owned(),
                issuer: None,
                source: origin.to_owned(),
                parsed: Cached::default(),
            })
        })
        .collect()
}

fn parse_record(
    value: &Value,
    path: String,
    origin: &str,
    name: &str,
    report: &mut LoadReport,
) -> Result<Advisory, FieldError> {
    let record = Obj::new(value, path)?;
    let id = record.req_str("id")?.trim().to_owned();
    let database = record.opt_obj("database_specific")?;
    let mut affected = Vec::new();
    for entry in record.opt_objs("affected")? {
        // A broken affected entry costs only itself: the record keeps its other packages.
        match parse_affected(&entry, origin, name, report) {
            Ok(package) => affected.push(package),
            Err(FieldError { path, message }) => {
                report.problem(Problem::new(
                    origin,
                    Some(name),
                    &path,
                    message,
                    Consequence::PartlyUsed,
                ));
            }
        }
    }
    let mut advisory = Advisory {
        id,
        aliases: record
            .opt_str_list("aliases")?
            .into_iter()
            .map(str::to_owned)
            .collect(),
        related: record
            .opt_str_list("related")?
            .into_iter()
            .chain(record.opt_str_list("upstream")?)
            .map(str::to_owned)
            .collect(),
        summary: record.opt_str("summary")?.map(str::to_owned),
        details: record.opt_str("details")?.map(str::to_owned),
        cwes: Vec::new(),
        published: record.opt_str("published")?.map(str::to_owned),
        withdrawn: record.opt_str("withdrawn")?.map(str::to_owned),
        informational: None,
        severity: severities(&record, origin)?,
        severity_label: None,
        affected,
        source: origin.to_owned(),
        sources: vec![origin.to_owned()],
    };
    // The free-form fields last, so that only a record that is kept has problems with them.
    advisory.severity_label = database
        .as_ref()
        .and_then(|db| report.optional(origin, Some(name), db.opt_str("severity")))
        .map(str::to_owned);
    advisory.cwes = cwes_of(database.as_ref(), origin, name, report);
    advisory.informational = informational_of(&record, database.as_ref(), origin, name, report);
    Ok(advisory)
}

/// What an informational advisory is about: RustSec's `informational` (`unmaintained`,
/// `unsound`, `notice`), in the record's or an affected entry's `database_specific`. One that
/// is not a string is a problem, and the record counts as a vulnerability.
fn informational_of(
    record: &Obj<'_>,
    database: Option<&Obj<'_>>,
    origin: &str,
    name: &str,
    report: &mut LoadReport,
) -> Option<String> {
    let mut places: Vec<Obj<'_>> = database.into_iter().cloned().collect();
    for entry in record.opt_objs("affected").unwrap_or_default() {
        if let Ok(Some(db)) = entry.opt_obj("database_specific") {
            places.push(db);
        }
    }
    places.iter().find_map(|db| {
        report
            .optional(origin, Some(name), db.opt_str("informational"))
            .map(str::to_owned)
    })
}

/// CWE ids from `database_specific.cwe_ids` (GitHub's advisories and others that follow it);
/// a list of the wrong type is a problem, and the record has no CWE ids.
fn cwes_of(
    database: Option<&Obj<'_>>,
    origin: &str,
    name: &str,
    report: &mut LoadReport,
) -> Vec<String> {
    let Some(database) = database else {
        return Vec::new();
    };
    let ids = database.opt_str_list("cwe_ids").map(Some);
    report
        .optional(origin, Some(name), ids)
        .unwrap_or_default()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn parse_affected(
    entry: &Obj<'_>,
    origin: &str,
    name: &str,
    report: &mut LoadReport,
) -> Result<AffectedPackage, FieldError> {
    let package = entry.opt_obj("package")?;
    if package.as_ref().is_none_or(|p| p.map.is_empty()) {
        // OSV allows an entry that names only a source repository, with GIT ranges.
        let repos: Vec<&str> = entry
            .opt_objs("ranges")?
            .iter()
            .filter(|r| r.opt_str("type").ok().flatten() == Some("GIT"))
            .filter_map(|r| r.opt_str("repo").ok().flatten())
            .collect();
        return Err(FieldError {
            path: entry.child_path("package"),
            message: if repos.is_empty() {
                "is missing".into()
            } else {
                format!(
                    "none: the entry names only the source repository {} (GIT commit ranges), \
                     which is not matched against installed packages",
                    repos.join(", ")
                )
            },
        });
    }
    let package = package.ok_or_else(|| FieldError {
        path: entry.child_path("package"),
        message: "is missing".into(),
    })?;
    let ecosystem = Ecosystem::from_osv(package.req_str("ecosystem")?);
    let package_name = package.req_str("name")?.to_owned();
    let mut ranges = Vec::new();
    for range in entry.opt_objs("ranges")? {
        let kind = RangeType::from_osv(range.req_str("type")?);
        let built = AffectedRange::new(kind, parse_events(&range)?, &ecosystem);
        if let (RangeEvaluation::Unevaluated(reason), Some(scheme)) =
            (&built.evaluation, scheme_for(&built.kind, &ecosystem))
        {
            // Commit ranges and ecosystems without a known order are expected to be
            // unevaluable by version; a range that should evaluate but does not is reported.
            let field = match Range::from_osv_events(scheme, &built.events) {
                Err(RangeError::BadEventVersion { index, field, .. }) => {
                    format!("{}.events[{index}].{field}", range.path)
                }
                _ => range.path.clone(),
            };
            report.problem(Problem::new(
                origin,
                Some(name),
                &field,
                reason.clone(),
                Consequence::PartlyUsed,
            ));
        }
        ranges.push(built);
    }
    let will_not_fix =
        report.optional(origin, Some(name), will_not_fix(entry, &ecosystem, &ranges));
    Ok(AffectedPackage {
        ecosystem,
        name: package_name,
        purl: package.opt_str("purl")?.map(str::to_owned),
        ranges,
        versions: sorted_versions(entry.opt_str_list("versions")?),
        severity: severities(entry, origin)?,
        will_not_fix,
        source: origin.to_owned(),
    })
}

/// Debian's reason for never fixing an entry without a fixed version: its security tracker's
/// urgency (`ecosystem_specific.urgency`) `unimportant` (not fixed in security updates) or
/// `end-of-life` (security support for the package ended). An urgency of the wrong type is an
/// error naming it.
fn will_not_fix(
    entry: &Obj<'_>,
    ecosystem: &Ecosystem,
    ranges: &[AffectedRange],
) -> Result<Option<String>, FieldError> {
    if !ecosystem.to_string().starts_with("Debian")
        || ranges
            .iter()
            .any(|r| r.events.iter().any(|e| matches!(e, OsvEvent::Fixed(_))))
    {
        return Ok(None);
    }
    Ok(
        match entry.opt_str_at(&["ecosystem_specific", "urgency"])? {
            Some("unimportant") => Some(super::advisory::UNIMPORTANT.into()),
            Some("end-of-life") => Some(super::advisory::END_OF_LIFE.into()),
            _ => None,
        },
    )
}

fn parse_events(range: &Obj<'_>) -> Result<Vec<OsvEvent>, FieldError> {
    range
        .opt_objs("events")?
        .into_iter()
        .map(|event| {
            let mut found = None;
            for (key, make) in [
                ("introduced", OsvEvent::Introduced as fn(String) -> OsvEvent),
                ("fixed", OsvEvent::Fixed),
                ("last_affected", OsvEvent::LastAffected),
                ("limit", OsvEvent::Limit),
            ] {
                if let Some(v) = event.opt_str(key)? {
                    if found.is_some() {
                        return Err(FieldError {
                            path: event.path.clone(),
                            message: "has more than one event kind".into(),
                        });
                    }
                    found = Some(make(v.to_owned()));
                }
            }
            found.ok_or_else(|| FieldError {
                path: event.path.clone(),
                message: "has none of introduced, fixed, last_affected, limit".into(),
            })
        })
        .collect()
}

/// The listed versions, trimmed, sorted and without duplicates, so that membership is a
/// binary search (Debian's records list hundreds per package).
fn sorted_versions(listed: Vec<&str>) -> Vec<String> {
    let mut out: Vec<String> = listed
        .into_iter()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The scheme a range of this type is ordered by in this ecosystem.
fn scheme_for(kind: &RangeType, ecosystem: &Ecosystem) -> Option<Scheme> {
    match kind {
        // SEMVER ranges use SemVer order whatever the ecosystem; the ecosystem's own SemVer
        // dialect decides what spellings an installed version may have.
        RangeType::Semver => Some(match ecosystem.scheme() {
            Some(scheme @ (Scheme::Npm | Scheme::Golang | Scheme::Cargo)) => scheme,
            _ => Scheme::Semver,
        }),
        RangeType::Ecosystem => ecosystem.scheme(),
        RangeType::Git | RangeType::Other(_) => None,
    }
}

pub(super) fn evaluate(
    kind: &RangeType,
    ecosystem: &Ecosystem,
    events: &[OsvEvent],
) -> RangeEvaluation {
    let Some(scheme) = scheme_for(kind, ecosystem) else {
        return RangeEvaluation::Unevaluated(if *kind == RangeType::Git {
            "commit range: not evaluated against versions".to_owned()
        } else {
            format!("no version order known for {kind} ranges of ecosystem {ecosystem}")
        });
    };
    match Range::from_osv_events(scheme, events) {
        Ok(range) => RangeEvaluation::Ready(range),
        Err(e) => RangeEvaluation::Unevaluated(format!("cannot evaluate: {e}")),
    }
}
