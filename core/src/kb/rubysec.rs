//! RubySec's advisory database (`rubysec/ruby-advisory-db`), one YAML record per file:
//! `gems/<gem>/<id>.yml` for gems, `rubies/<engine>/<id>.yml` for Ruby implementations.
//!
//! A version is affected when it is in none of the `patched_versions` and none of the
//! `unaffected_versions` requirements (each a RubyGems requirement whose comma-separated parts
//! all hold; a list holds when one of its requirements does); with neither list, every version
//! is. The advisory's id is its CVE, else its GHSA, else its OSVDB id (the file's name in the
//! database), the others its aliases, so that it merges with NVD's and GitHub's records of the
//! vulnerability. The `cvss_v2`/`cvss_v3`/`cvss_v4` base scores (numbers, no vectors) are kept
//! as RubySec's scores, and the highest version's rating is the severity word.
//!
//! A gem's versions become a RubyGems affected entry; an engine's (`ruby`, `jruby`, `mruby`,
//! `rbx`) are stated for the CPE NVD names it by (`ruby-lang:ruby`, `jruby:jruby`,
//! `mruby:mruby`, `rubinius:rubinius`); an engine without a known CPE keeps its advisory
//! without applicability, reported.
//!
//! Trap: RubyGems versions have no next version, so an affected range starting just above a
//! version (the complement of `<= 1.2`, `= 1.6.0`) cannot be OSV events: it starts at that
//! version instead (one version more is affected: fail closed), reported as partly used.

use super::native;
use super::{Advisory, SeverityScore};
use crate::cpe::Applicability;
use crate::ecosystem::Ecosystem;
use crate::json::{FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::{parse_range, Range};
use crate::version::Scheme;
use serde_json::Value;

/// How deep flow collections of a RubySec document may nest (records nest two levels).
const YAML_FLOW_DEPTH: u32 = 32;

/// Whether a YAML document's head is a RubySec record: a top-level `gem:` or `engine:` and
/// its `title:` or `url:`.
pub(crate) fn recognizes(head: &str) -> bool {
    let key = |k: &str| head.lines().any(|l| l.starts_with(k));
    (key("gem:") || key("engine:")) && (key("title:") || key("url:"))
}

/// The CPE (vendor and product) of a Ruby implementation, as NVD names it.
fn engine_cpe(engine: &str) -> Option<&'static str> {
    match engine {
        "ruby" => Some("cpe:2.3:a:ruby-lang:ruby"),
        "jruby" => Some("cpe:2.3:a:jruby:jruby"),
        "mruby" => Some("cpe:2.3:a:mruby:mruby"),
        "rbx" => Some("cpe:2.3:a:rubinius:rubinius"),
        _ => None,
    }
}

/// The advisory of one RubySec record, with the statement of the engine versions it affects.
pub(crate) fn parse(
    text: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Option<(Advisory, Option<Applicability>)> {
    let value = native::read_yaml(text, origin, YAML_FLOW_DEPTH, report)?;
    report.records_read += 1;
    let name = native::file_stem(origin).to_owned();
    let read = Obj::new(&value, String::new()).and_then(|r| record(&r, &name, origin, report));
    report.kept_or_skipped(origin, Some(&name), read)
}

/// A requirement list (`patched_versions`, `unaffected_versions`) as one range.
fn requirements(record: &Obj<'_>, key: &str) -> Result<Range, FieldError> {
    let mut range = Range::none(Scheme::Gem);
    for (i, requirement) in record.opt_str_list(key)?.into_iter().enumerate() {
        let field = || format!("{}[{i}]", record.child_path(key));
        let one = parse_range(Scheme::Gem, requirement.trim()).map_err(|e| FieldError {
            path: field(),
            message: e.to_string(),
        })?;
        range = range.union(&one).map_err(|e| FieldError {
            path: field(),
            message: e.to_string(),
        })?;
    }
    Ok(range)
}

/// An id field: a string or a number (`osvdb: 12345`).
fn id_field(record: &Obj<'_>, key: &str) -> Result<Option<String>, FieldError> {
    match record.map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        _ => Ok(record.opt_str(key)?.map(|s| s.trim().to_owned())),
    }
}

/// A base score field (`cvss_v3: 9.8`): a number.
fn score_field(record: &Obj<'_>, key: &str) -> Result<Option<f64>, FieldError> {
    match record.map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(_) => Err(FieldError {
            path: record.child_path(key),
            message: "expected a number (a CVSS base score)".to_owned(),
        }),
    }
}

/// The CVSS qualitative rating of a base score, as a severity word.
fn rating(score: f64) -> Option<&'static str> {
    match score {
        s if s >= 9.0 => Some("CRITICAL"),
        s if s >= 7.0 => Some("HIGH"),
        s if s >= 4.0 => Some("MODERATE"),
        s if s > 0.0 => Some("LOW"),
        _ => None,
    }
}

fn record(
    record: &Obj<'_>,
    name: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Result<(Advisory, Option<Applicability>), FieldError> {
    let gem = record.opt_str("gem")?.map(str::trim);
    let engine = record.opt_str("engine")?.map(str::trim);
    let unaffected = requirements(record, "patched_versions")?
        .union(&requirements(record, "unaffected_versions")?)
        .map_err(|e| FieldError {
            path: record.path.clone(),
            message: e.to_string(),
        })?;
    let affected = unaffected.complement();
    let ids: Vec<String> = [
        id_field(record, "cve")?.map(|c| native::cve_id(&c)),
        id_field(record, "ghsa")?.map(|g| format!("GHSA-{}", g.trim_start_matches("GHSA-"))),
        id_field(record, "osvdb")?.map(|o| format!("OSVDB-{}", o.trim_start_matches("OSVDB-"))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut ids = ids.into_iter();
    let id = ids.next().unwrap_or_else(|| name.to_owned());
    let mut advisory = Advisory::blank(id, origin);
    advisory.aliases = ids.collect();
    advisory.summary = record.opt_str("title")?.map(str::to_owned);
    advisory.details = record.opt_str("description")?.map(|d| d.trim().to_owned());
    advisory.published = id_field(record, "date")?;
    for (key, kind) in [
        ("cvss_v2", "CVSS_V2"),
        ("cvss_v3", "CVSS_V3"),
        ("cvss_v4", "CVSS_V4"),
    ] {
        if let Some(score) = score_field(record, key)? {
            advisory.severity.push(SeverityScore::new(
                &format!("RubySec {kind} base score"),
                &score.to_string(),
                None,
                origin,
            ));
            // The highest CVSS version's rating wins (the keys are in ascending order).
            if let Some(word) = rating(score) {
                advisory.severity_label = Some(word.to_owned());
            }
        }
    }
    let mut statement = None;
    let widened = match (gem, engine) {
        (Some(gem), _) => {
            let (package, widened) =
                native::affected_package(Ecosystem::RubyGems, gem, &affected, origin);
            advisory.affected.push(package);
            widened
        }
        (None, Some(engine)) => {
            match engine_cpe(engine) {
                Some(cpe) => {
                    statement = Some(native::cpe_statement(cpe, &affected, &[]).map_err(|message| {
                        FieldError {
                            path: record.child_path("engine"),
                            message,
                        }
                    })?);
                }
                None => report.problem(Problem::new(
                    origin,
                    Some(name),
                    &record.child_path("engine"),
                    format!("no CPE is known for the Ruby implementation {engine:?}: its versions are not matched"),
                    Consequence::PartlyUsed,
                )),
            }
            Vec::new()
        }
        (None, None) => {
            return Err(FieldError {
                path: record.path.clone(),
                message: "names neither a gem nor an engine".to_owned(),
            })
        }
    };
    if !widened.is_empty() {
        report.problem(Problem::new(
            origin,
            Some(name),
            "",
            format!(
                "the versions neither patched nor unaffected start just above {}, which OSV events cannot say: they start at it (that version counts as affected)",
                widened.join(", ")
            ),
            Consequence::PartlyUsed,
        ));
    }
    Ok((advisory, statement))
}

#[cfg(test)]
mod tests {
    use crate::kb::KnowledgeBase;
    use crate::version::AnyScheme;

    const RECORD: &str = "---\ngem: actionpack\ncve: 2008-7248\nghsa: 8fqx-7pv4-3jwm\n\
        url: https://example.org\ntitle: Improper Input Validation in rails\ndate: 2017-10-24\n\
        description: |\n  Ruby on Rails 2.1 before 2.1.3 and 2.2.x before 2.2.2.\ncvss_v2: 6.8\n\
        unaffected_versions:\n  - \"< 2.1.0\"\npatched_versions:\n  - \"~> 2.1.3\"\n  - \">= 2.2.2\"\n";

    #[test]
    fn affected_is_neither_patched_nor_unaffected() {
        let mut kb = KnowledgeBase::new();
        let report = kb.load_text(RECORD, "gems/actionpack/CVE-2008-7248.yml");
        assert_eq!(
            (report.records_loaded, report.problems.len()),
            (1, 0),
            "{report:?}"
        );
        let advisory = kb.get("GHSA-8fqx-7pv4-3jwm").expect("by its GHSA alias");
        assert_eq!(advisory.id, "CVE-2008-7248");
        assert_eq!(advisory.severity_label.as_deref(), Some("MODERATE"));
        let entry = &advisory.affected[0];
        for (version, affected) in [
            ("2.0.9", false),
            ("2.1.0", true),
            ("2.1.2", true),
            ("2.1.3", false),
            ("2.2.0", true),
            ("2.2.2", false),
        ] {
            let hit = entry.affects(&mut AnyScheme::new(version)).hit;
            assert_eq!(hit.is_some(), affected, "{version}");
        }
        let fix = entry
            .affects(&mut AnyScheme::new("2.2.1"))
            .hit
            .unwrap()
            .fix();
        assert_eq!(fix.as_deref(), Some("2.2.2"));
    }

    #[test]
    fn engines_are_stated_by_cpe_and_bad_requirements_skip_the_record() {
        let mut kb = KnowledgeBase::new();
        let ruby =
            "engine: ruby\ncve: 2005-1992\nurl: x\ntitle: t\npatched_versions:\n  - \">= 1.8.2\"\n";
        assert_eq!(
            kb.load_text(ruby, "rubies/ruby/CVE-2005-1992.yml")
                .records_loaded,
            1
        );
        let statement = kb.applicability("CVE-2005-1992").expect("a statement");
        let host = |v: &str| -> Vec<crate::cpe::Cpe> {
            vec![format!("cpe:2.3:a:ruby-lang:ruby:{v}:*:*:*:*:*:*:*")
                .parse()
                .unwrap()]
        };
        assert!(statement.evaluate(&host("1.8.1")).is_some());
        assert!(statement.evaluate(&host("1.8.2")).is_none());
        let bad = "gem: x\nurl: x\ntitle: t\npatched_versions:\n  - \">= 1.0,, < 2\"\n";
        let report = kb.load_text(bad, "gems/x/CVE-2020-1.yml");
        assert_eq!(report.records_skipped, 1);
        assert_eq!(report.problems[0].field, "patched_versions[0]");
        let widened = "gem: y\nurl: x\ntitle: t\nunaffected_versions:\n  - \"<= 1.0\"\npatched_versions:\n  - \">= 2.0\"\n";
        let report = kb.load_text(widened, "gems/y/CVE-2020-2.yml");
        assert_eq!(report.records_loaded, 1);
        assert!(
            report.problems[0].message.contains("just above 1.0"),
            "{report:?}"
        );
    }
}
