//! What the native advisory formats (Node.js security WG, RubySec, Mozilla MFSA) share: a
//! range read in an ecosystem's own syntax made into the two shapes the knowledge base keeps —
//! OSV events of an affected package (kept in snapshots and evaluated again on load), and an
//! NVD-style applicability statement naming a product by CPE (for software named by CPE: the
//! Node.js runtime, Ruby interpreters, Mozilla's products).
//!
//! Trap: OSV events have no exclusive start (`> 2.0.0`). In npm order the first version above
//! `2.0.0` is `2.0.1-0` (and above `2.0.0-beta` is `2.0.0-beta.0`), so npm ranges translate
//! exactly; RubyGems versions have no next version, so a gem range starting after a version
//! starts at it instead (one version more is affected, never one less: fail closed) and the
//! caller reports it.

use super::{AffectedPackage, AffectedRange, RangeType};
use crate::cpe::Applicability;
use crate::ecosystem::Ecosystem;
use crate::load_report::LoadReport;
use crate::range::{Bound, OsvEvent, Range};
use crate::version::Scheme;
use serde_json::{json, Map, Value};

/// The OSV events of a range (one event list for all its intervals, which are disjoint and in
/// order), and the starts that had to be widened from exclusive to inclusive (empty when the
/// events are exact).
pub(crate) fn osv_events(range: &Range) -> (Vec<OsvEvent>, Vec<String>) {
    let mut events = Vec::new();
    let mut widened = Vec::new();
    for interval in range.intervals() {
        let start = match &interval.lower {
            None => "0".to_owned(),
            Some(Bound {
                version,
                inclusive: true,
            }) => version.as_str().to_owned(),
            Some(Bound { version, .. }) => npm_successor(range.scheme(), version.as_str())
                .unwrap_or_else(|| {
                    widened.push(version.as_str().to_owned());
                    version.as_str().to_owned()
                }),
        };
        events.push(OsvEvent::Introduced(start));
        match &interval.upper {
            Some(Bound {
                version,
                inclusive: false,
            }) => events.push(OsvEvent::Fixed(version.as_str().to_owned())),
            Some(Bound { version, .. }) => {
                events.push(OsvEvent::LastAffected(version.as_str().to_owned()));
            }
            None => {}
        }
    }
    (events, widened)
}

/// The first npm version above `version` (SemVer precedence, build metadata ignored):
/// `1.2.4-0` above `1.2.3`, `1.2.3-beta.0` above `1.2.3-beta`. `None` for other schemes.
fn npm_successor(scheme: Scheme, version: &str) -> Option<String> {
    if scheme != Scheme::Npm {
        return None;
    }
    let version = version.trim_start_matches(['v', '=']);
    let version = version.split('+').next().unwrap_or(version);
    if version.contains('-') {
        return Some(format!("{version}.0"));
    }
    let mut parts = version.splitn(3, '.');
    let (major, minor, patch) = (parts.next()?, parts.next()?, parts.next()?);
    let patch: u64 = patch.parse().ok()?;
    Some(format!("{major}.{minor}.{}-0", patch.checked_add(1)?))
}

/// An applicability statement naming `cpe` (a `cpe:2.3:a:vendor:product` prefix) in the
/// versions of `range`: one criterion per interval, with NVD's four bound fields; on one of
/// `platforms` (free text as CVE records write it: `Windows`, `Linux`) when there are any, as
/// CVE records' platforms gate their entries.
pub(crate) fn cpe_statement(
    cpe: &str,
    range: &Range,
    platforms: &[String],
) -> Result<Applicability, String> {
    let criteria: Vec<Value> = range
        .intervals()
        .iter()
        .map(|interval| {
            let mut m = Map::new();
            m.insert("vulnerable".into(), Value::Bool(true));
            m.insert(
                "criteria".into(),
                Value::String(format!("{cpe}:*:*:*:*:*:*:*:*")),
            );
            if let Some(b) = &interval.lower {
                let key = if b.inclusive {
                    "versionStartIncluding"
                } else {
                    "versionStartExcluding"
                };
                m.insert(key.into(), Value::String(b.version.as_str().to_owned()));
            }
            if let Some(b) = &interval.upper {
                let key = if b.inclusive {
                    "versionEndIncluding"
                } else {
                    "versionEndExcluding"
                };
                m.insert(key.into(), Value::String(b.version.as_str().to_owned()));
            }
            Value::Object(m)
        })
        .collect();
    if criteria.is_empty() {
        return Ok(Applicability::default());
    }
    let platforms = super::cve5::platform_criteria(platforms);
    let configuration = if platforms.is_empty() {
        json!({ "nodes": [{ "operator": "OR", "cpeMatch": criteria }] })
    } else {
        json!({ "operator": "AND", "nodes": [
            { "operator": "OR", "cpeMatch": criteria },
            { "operator": "OR", "cpeMatch": platforms }] })
    };
    Applicability::from_nvd_json(&json!([configuration])).map_err(|e| e.to_string())
}

/// `statement`'s configurations added to `into`'s: either applying is enough.
pub(crate) fn union(into: &mut Applicability, statement: Applicability) {
    into.configurations.extend(statement.configurations);
}

/// An affected package of `ecosystem` whose versions in `range` are affected, from `origin`;
/// with the starts that had to be widened (see [`osv_events`]).
pub(crate) fn affected_package(
    ecosystem: Ecosystem,
    name: &str,
    range: &Range,
    origin: &str,
) -> (AffectedPackage, Vec<String>) {
    let (events, widened) = osv_events(range);
    let ranges = if events.is_empty() {
        Vec::new()
    } else {
        vec![AffectedRange::new(RangeType::Ecosystem, events, &ecosystem)]
    };
    let package = AffectedPackage::of_ranges(ecosystem, name, ranges, origin);
    (package, widened)
}

/// The stem of the file an origin names (`…/vuln/npm/12.json` → `12`, an archive member's too).
pub(crate) fn file_stem(origin: &str) -> &str {
    let name = origin.rsplit(['/', '\\', '!']).next().unwrap_or(origin);
    name.split_once('.').map_or(name, |(stem, _)| stem)
}

/// A YAML document as JSON values, its flow collections nested at most `depth` levels
/// (checked before libyaml reads it, see [`super::yaml_depth`]); `None`, with the document
/// reported as one record skipped, when it is deeper or not YAML.
pub(crate) fn read_yaml(
    text: &str,
    origin: &str,
    depth: u32,
    report: &mut LoadReport,
) -> Option<Value> {
    if let Some(at) = super::yaml_depth::flow_depth_exceeds(text, depth) {
        report.document_skipped(
            origin,
            format!(
                "not read: YAML flow collections nest deeper than {depth} levels (at byte {at})"
            ),
        );
        return None;
    }
    match serde_yaml::from_str::<Value>(text) {
        Ok(value) => Some(value),
        Err(e) => {
            report.document_skipped(origin, format!("not YAML: {e}"));
            None
        }
    }
}

/// A CVE id as the native formats write it, `CVE-` prefixed (RubySec writes `2008-7248`).
pub(crate) fn cve_id(text: &str) -> String {
    let text = text.trim();
    if text
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("cve-"))
    {
        format!("CVE-{}", &text[4..])
    } else {
        format!("CVE-{text}")
    }
}

/// The severity word of a vendor's rating, as the engine's impact table names them
/// (`LOW`, `MODERATE`, `HIGH`, `CRITICAL`); `None` for a word it does not know.
pub(crate) fn severity_word(word: &str) -> Option<&'static str> {
    match word.trim().to_ascii_lowercase().as_str() {
        "low" => Some("LOW"),
        "moderate" | "medium" => Some("MODERATE"),
        "high" | "important" => Some("HIGH"),
        "critical" => Some("CRITICAL"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::range::parse_range;

    #[test]
    fn npm_ranges_translate_exactly_and_gem_starts_widen() {
        let range = parse_range(Scheme::Npm, "<1.6.5 || < 2.1.7 > 2.0.0").unwrap();
        let (events, widened) = osv_events(&range);
        assert!(widened.is_empty());
        let back = Range::from_osv_events(Scheme::Npm, &events).unwrap();
        for (v, inside) in [
            ("1.6.4", true),
            ("2.0.0", false),
            ("2.0.1-0", true),
            ("2.1.7", false),
        ] {
            assert_eq!(back.contains_text(v).unwrap(), inside, "{v}");
            assert_eq!(range.contains_text(v).unwrap(), inside, "{v}");
        }
        let gem = parse_range(Scheme::Gem, "> 1.0").unwrap();
        let (events, widened) = osv_events(&gem);
        assert_eq!(widened, ["1.0"]);
        assert_eq!(events, [OsvEvent::Introduced("1.0".into())]);
    }

    #[test]
    fn statements_bound_each_interval() {
        let range = parse_range(Scheme::Npm, ">=8.0.0 <8.1.4 || >7.0.0 <=7.10.0").unwrap();
        let statement = cpe_statement("cpe:2.3:a:nodejs:node.js", &range, &[]).unwrap();
        let device = |v: &str| -> Vec<crate::cpe::Cpe> {
            vec![format!("cpe:2.3:a:nodejs:node.js:{v}:*:*:*:*:*:*:*")
                .parse()
                .unwrap()]
        };
        assert!(statement.evaluate(&device("8.1.3")).is_some());
        assert!(statement.evaluate(&device("8.1.4")).is_none());
        assert!(statement.evaluate(&device("7.0.0")).is_none());
        assert!(statement.evaluate(&device("7.10.0")).is_some());
    }

    #[test]
    fn vendor_records_survive_a_snapshot() {
        use crate::kb::KnowledgeBase;
        use crate::version::AnyScheme;
        let mut kb = KnowledgeBase::new();
        kb.load_text(
            r#"{"id": 46, "module_name": "ms", "cves": [], "vulnerable_versions": "<=0.7.0 || >1.0.0 <1.2.0"}"#,
            "vuln/npm/46.json",
        );
        kb.load_text(
            "announced: May 1, 2024\nimpact: low\nfixed_in:\n- Firefox 125\nadvisories:\n  CVE-2024-1:\n    title: t\n",
            "mfsa2024-20.yml",
        );
        let restored = KnowledgeBase::from_snapshot(&kb.to_snapshot()).unwrap();
        let ms = &restored.get("NSWG-ECO-46").unwrap().affected[0];
        for (version, affected) in [
            ("0.7.0", true),
            ("0.7.1", false),
            ("1.0.0", false),
            ("1.0.1-0", true),
            ("1.1.9", true),
        ] {
            assert_eq!(
                ms.affects(&mut AnyScheme::new(version)).hit.is_some(),
                affected,
                "{version}"
            );
        }
        let host: Vec<crate::cpe::Cpe> = vec!["cpe:2.3:a:mozilla:firefox:124.0:*:*:*:*:*:*:*"
            .parse()
            .unwrap()];
        assert!(restored
            .applicability("CVE-2024-1")
            .unwrap()
            .evaluate(&host)
            .is_some());
    }

    #[test]
    fn ids_and_words() {
        assert_eq!(cve_id("2008-7248"), "CVE-2008-7248");
        assert_eq!(cve_id("CVE-2008-7248"), "CVE-2008-7248");
        assert_eq!(severity_word("medium"), Some("MODERATE"));
        assert_eq!(severity_word("none"), None);
    }
}
