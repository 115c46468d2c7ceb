//! Mozilla Foundation Security Advisories (MFSA) in their structured YAML form
//! (`mozilla/foundation-security-advisories`, `announce/<year>/mfsa<year>-<n>.yml`, from 2016
//! on): `announced`, `impact`, `fixed_in` (`Firefox 122`, `Firefox ESR 115.7`,
//! `Thunderbird 115.7`), and `advisories`, one entry per CVE with its `title`, `impact` and
//! `description`. The older advisories, written as Markdown pages with front matter
//! (`.md`), name their CVEs only in prose and are not read (the walker reads no `.md` file).
//!
//! Each CVE becomes an advisory (merged with NVD's by its id; the MFSA is a related id) whose
//! severity word is Mozilla's impact rating for that CVE (`critical`, `high`, `moderate`,
//! `low`; the advisory's own impact when the CVE has none), kept as the vendor's severity. Its
//! statement names each fixed product by the CPE NVD uses, affected below the fixed version:
//!
//! | `fixed_in` | CPE | affected |
//! |---|---|---|
//! | `Firefox 122` | `mozilla:firefox` | `< 122` |
//! | `Firefox ESR 115.7` | `mozilla:firefox_esr` | `>= 115, < 115.7` (its ESR branch) |
//! | `Thunderbird 115.7` | `mozilla:thunderbird` | `< 115.7` |
//! | `NSS 3.90` | `mozilla:network_security_services` | `< 3.90` |
//!
//! An ESR fix is scoped to its branch: Mozilla names each supported ESR branch's fix in its
//! own advisory, so `Firefox ESR 115.7` says nothing of the 128 branch (above it anyway) nor of
//! the 102 branch (a branch the advisory does not name is not claimed either way). The same
//! CVE fixed in several products (one MFSA each) gets every product's statement. Products
//! without a CPE here (Firefox for iOS and Android, Focus, Mozilla VPN, Hubs) are reported:
//! the record is kept, their versions are not matched.

use super::native;
use super::{Advisory, SeverityScore};
use crate::cpe::Applicability;
use crate::json::{FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::range::parse_range;
use crate::version::Scheme;

/// How deep flow collections of an MFSA document may nest (they nest three levels).
const YAML_FLOW_DEPTH: u32 = 32;

/// Whether a YAML document's head is an MFSA: top-level `fixed_in:` and `announced:` (or
/// `advisories:`).
pub(crate) fn recognizes(head: &str) -> bool {
    let key = |k: &str| head.lines().any(|l| l.starts_with(k));
    key("fixed_in:") && (key("announced:") || key("advisories:"))
}

/// One `fixed_in` entry as a product's CPE and the range of its versions affected
/// (`>=115|<115.7` in vers comparators); `None` for a product without a CPE here.
fn product(fixed_in: &str) -> Option<(&'static str, String)> {
    let fixed_in = fixed_in.trim();
    let (name, version) = fixed_in.rsplit_once(' ')?;
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    match name {
        "Firefox ESR" => {
            let branch = version.split('.').next().unwrap_or(version);
            Some((
                "cpe:2.3:a:mozilla:firefox_esr",
                format!(">={branch}|<{version}"),
            ))
        }
        "Firefox" => Some(("cpe:2.3:a:mozilla:firefox", format!("<{version}"))),
        "Thunderbird" | "Thunderbird ESR" => {
            Some(("cpe:2.3:a:mozilla:thunderbird", format!("<{version}")))
        }
        "NSS" => Some((
            "cpe:2.3:a:mozilla:network_security_services",
            format!("<{version}"),
        )),
        _ => None,
    }
}

/// `January 23rd, 2024` as `2024-01-23`; `None` for another shape.
fn announced_date(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut words = text.split([' ', ',']).filter(|w| !w.is_empty());
    let month = words.next()?.to_ascii_lowercase();
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let day: u32 = words
        .next()?
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()?;
    let year: u32 = words.next()?.parse().ok()?;
    (1..=31)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The advisories of one MFSA (one per CVE), each with the statement of the product versions
/// it affects. The MFSA is one record.
pub(crate) fn parse(
    text: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Vec<(Advisory, Option<Applicability>)> {
    let Some(value) = native::read_yaml(text, origin, YAML_FLOW_DEPTH, report) else {
        return Vec::new();
    };
    report.records_read += 1;
    let name = native::file_stem(origin).to_ascii_uppercase();
    let read = Obj::new(&value, String::new()).and_then(|r| record(&r, &name, origin, report));
    report
        .kept_or_skipped(origin, Some(&name), read)
        .unwrap_or_default()
}

fn record(
    record: &Obj<'_>,
    name: &str,
    origin: &str,
    report: &mut LoadReport,
) -> Result<Vec<(Advisory, Option<Applicability>)>, FieldError> {
    let impact = record.opt_str("impact")?;
    let published = record.opt_str("announced")?.and_then(announced_date);
    let mut statement = Applicability::default();
    for (i, fixed) in record.opt_str_list("fixed_in")?.into_iter().enumerate() {
        let field = || format!("fixed_in[{i}]");
        let Some((cpe, range)) = product(fixed) else {
            report.problem(Problem::new(
                origin,
                Some(name),
                &field(),
                format!("no CPE is known for {fixed:?}: its versions are not matched"),
                Consequence::PartlyUsed,
            ));
            continue;
        };
        let stated = parse_range(Scheme::Generic, &range)
            .map_err(|e| e.to_string())
            .and_then(|range| native::cpe_statement(cpe, &range, &[]))
            .map_err(|message| FieldError {
                path: field(),
                message,
            })?;
        native::union(&mut statement, stated);
    }
    let entries = record.opt_obj("advisories")?.ok_or_else(|| FieldError {
        path: "advisories".to_owned(),
        message: "is missing".to_owned(),
    })?;
    let mut out = Vec::new();
    for id in entries.map.keys() {
        let entry = match entries.opt_obj(id).and_then(|e| {
            e.ok_or_else(|| FieldError {
                path: entries.child_path(id),
                message: "is empty".to_owned(),
            })
        }) {
            Ok(entry) => entry,
            Err(e) => {
                report.partly_used(origin, Some(name), Some(e));
                continue;
            }
        };
        let mut advisory = Advisory::blank(id.trim().to_owned(), origin);
        advisory.related = vec![name.to_owned()];
        advisory.summary = entry.opt_str("title")?.map(|t| t.trim().to_owned());
        advisory.details = entry.opt_str("description")?.map(|d| d.trim().to_owned());
        advisory.published.clone_from(&published);
        if let Some(word) = entry.opt_str("impact")?.or(impact) {
            advisory.severity_label = native::severity_word(word).map(str::to_owned);
            advisory
                .severity
                .push(SeverityScore::new("Mozilla", word, None, origin));
        }
        out.push((advisory, Some(statement.clone())));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::kb::KnowledgeBase;

    const MFSA: &str = "## mfsa2024-01.yml\nannounced: January 23rd, 2024\nimpact: high\n\
        fixed_in:\n- Firefox 122\n- Firefox ESR 115.7\n- Firefox for iOS 122\n\
        title: Security Vulnerabilities fixed in Firefox 122\nadvisories:\n  CVE-2024-0741:\n\
        \x20   title: Out of bounds write in ANGLE\n    impact: moderate\n    description: |\n\
        \x20     An out of bounds write.\n  CVE-2024-0742:\n    title: Timestamp\n";

    fn host(product: &str, version: &str) -> Vec<crate::cpe::Cpe> {
        vec![
            format!("cpe:2.3:a:mozilla:{product}:{version}:*:*:*:*:*:*:*")
                .parse()
                .unwrap(),
        ]
    }

    #[test]
    fn each_cve_is_stated_for_the_fixed_products() {
        let mut kb = KnowledgeBase::new();
        let report = kb.load_text(MFSA, "announce/2024/mfsa2024-01.yml");
        assert_eq!(
            (report.records_read, report.records_loaded),
            (1, 1),
            "{report:?}"
        );
        assert_eq!(report.problems.len(), 1, "{report:?}");
        assert!(report.problems[0].message.contains("Firefox for iOS"));
        assert_eq!(kb.len(), 2);
        let angle = kb.get("CVE-2024-0741").unwrap();
        assert_eq!(angle.severity_label.as_deref(), Some("MODERATE"));
        assert_eq!(angle.related, ["MFSA2024-01"]);
        assert_eq!(angle.published.as_deref(), Some("2024-01-23"));
        assert_eq!(
            kb.get("CVE-2024-0742").unwrap().severity_label.as_deref(),
            Some("HIGH")
        );
        let statement = kb.applicability("CVE-2024-0741").unwrap();
        assert!(statement.evaluate(&host("firefox", "121.0.1")).is_some());
        assert!(statement.evaluate(&host("firefox", "122.0")).is_none());
        assert!(statement
            .evaluate(&host("firefox_esr", "115.6.0"))
            .is_some());
        assert!(statement
            .evaluate(&host("firefox_esr", "115.7.0"))
            .is_none());
        assert!(statement
            .evaluate(&host("firefox_esr", "102.15.0"))
            .is_none());
    }

    #[test]
    fn a_cve_fixed_in_several_advisories_gets_every_product() {
        let mut kb = KnowledgeBase::new();
        kb.load_text(MFSA, "announce/2024/mfsa2024-01.yml");
        let thunderbird = "announced: January 23rd, 2024\nimpact: high\nfixed_in:\n- Thunderbird 115.7\n\
            title: t\nadvisories:\n  CVE-2024-0741:\n    title: Out of bounds write in ANGLE\n    impact: high\n";
        kb.load_text(thunderbird, "announce/2024/mfsa2024-04.yml");
        let statement = kb.applicability("CVE-2024-0741").unwrap();
        assert!(statement.evaluate(&host("thunderbird", "115.6")).is_some());
        assert!(statement.evaluate(&host("firefox", "121.0")).is_some());
        assert_eq!(
            kb.get("CVE-2024-0741").unwrap().related,
            ["MFSA2024-01", "MFSA2024-04"]
        );
    }

    #[test]
    fn nvd_statements_stand_whatever_the_order() {
        let nvd = r#"{"vulnerabilities": [{"cve": {"id": "CVE-2024-0741", "configurations": [{"nodes":
            [{"operator": "OR", "cpeMatch": [{"vulnerable": true, "versionEndExcluding": "122.0",
            "criteria": "cpe:2.3:a:mozilla:firefox:*:*:*:*:*:*:*:*"}]}]}]}}]}"#;
        for nvd_first in [true, false] {
            let mut kb = KnowledgeBase::new();
            if nvd_first {
                kb.load_text_as(crate::kb::Format::Nvd, nvd, "nvd.json");
            }
            kb.load_text(MFSA, "announce/2024/mfsa2024-01.yml");
            if !nvd_first {
                kb.load_text_as(crate::kb::Format::Nvd, nvd, "nvd.json");
            }
            let statement = kb.applicability("CVE-2024-0741").unwrap();
            assert!(statement.evaluate(&host("firefox", "121.0")).is_some());
            assert!(
                statement
                    .evaluate(&host("firefox_esr", "115.6.0"))
                    .is_none(),
                "NVD's only"
            );
            assert_eq!(
                kb.get("CVE-2024-0741").unwrap().sources,
                if nvd_first {
                    ["nvd.json", "announce/2024/mfsa2024-01.yml"]
                } else {
                    ["announce/2024/mfsa2024-01.yml", "nvd.json"]
                }
            );
        }
    }

    #[test]
    fn dates_and_bad_records() {
        assert_eq!(
            super::announced_date("March 1st, 2016").as_deref(),
            Some("2016-03-01")
        );
        assert_eq!(super::announced_date("someday"), None);
        let mut kb = KnowledgeBase::new();
        let report = kb.load_text("announced: x\nfixed_in:\n- Firefox 1\n", "mfsa2016-01.yml");
        assert_eq!(report.records_skipped, 1);
        assert_eq!(report.problems[0].field, "advisories");
    }
}
