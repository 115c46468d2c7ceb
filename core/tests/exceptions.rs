//! Exceptions end to end: their VEX export read back into a knowledge base suppresses the same
//! findings (OpenVEX and CycloneDX), and properties of application (removing exceptions never
//! raise a score, hiding ones never change one).

use exposure::assessment::Assessment;
use exposure::engine::AssessOptions;
use exposure::exceptions::{ExceptionSet, ExceptionStatus, Justification};
use exposure::inventory::Fleet;
use exposure::Engine;
use proptest::prelude::*;
use std::collections::BTreeSet;

/// The example set of the repository, on the demo fleet.
fn example() -> ExceptionSet {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/exceptions.yaml");
    ExceptionSet::from_path(std::path::Path::new(path)).expect("the example reads")
}

/// A day on which every exception of the example is in force.
fn in_force() -> Option<exposure::date::Date> {
    "2026-12-04".parse().ok()
}

type Key = (String, String, String);

/// The (device, advisory, software) of the findings suppressed, by VEX or by an exception.
fn suppressed(a: &Assessment, by_exception: bool) -> BTreeSet<Key> {
    a.suppressed
        .iter()
        .filter(|s| s.exception.is_some() == by_exception)
        .map(|s| {
            (
                s.finding.device_id.to_string(),
                s.finding.advisory_id.to_string(),
                format!("{} {}", s.finding.software.name, s.finding.software.version),
            )
        })
        .collect()
}

fn round_trip(export: impl Fn(&ExceptionSet, &Assessment) -> exposure::exceptions::VexExport) {
    let set = example();
    let fleet = exposure::demo::fleet();
    let options = AssessOptions {
        as_of: in_force(),
        exceptions: Some(&set),
    };
    let excepted = Engine::demo().assess_with(&fleet, &options, &|_, _| {});
    let removed = suppressed(&excepted, true);
    assert!(removed.len() >= 3, "{removed:?}");
    let vex = export(&set, &excepted);
    // What VEX cannot say is reported: urllib3 on web-02 has no package URL.
    let unexpressed: BTreeSet<Key> = vex
        .unexpressed
        .iter()
        .map(|u| {
            (
                u.device_id.clone(),
                u.advisory_id.clone(),
                u.software.clone(),
            )
        })
        .collect();
    assert!(unexpressed.contains(&(
        "web-02".to_owned(),
        "PYSEC-2023-212".to_owned(),
        "urllib3 2.0.4".to_owned()
    )));
    assert!(vex.statements > 0);
    // Read back: the document is VEX the knowledge base reads, and suppresses exactly the
    // findings the removing exceptions removed that it could state.
    let mut engine = Engine::demo();
    let text = serde_json::to_string(&vex.document).expect("serialises");
    let report = engine.kb_mut().load_text(&text, "exported.json");
    assert_eq!(report.problem_count, 0, "{:?}", report.problems);
    let plain = engine.assess_as_of(&fleet, in_force(), &|_, _| {});
    let expected: BTreeSet<Key> = removed.difference(&unexpressed).cloned().collect();
    assert_eq!(suppressed(&plain, false), expected);
    // Every `affected` statement (the hiding exceptions) left its findings standing.
    assert_eq!(
        plain.findings.len() + expected.len(),
        excepted.findings.len() + removed.len()
    );
}

#[test]
fn openvex_export_suppresses_the_same_findings() {
    round_trip(ExceptionSet::to_openvex);
    let set = example();
    let a = Engine::demo().assess_with(
        &exposure::demo::fleet(),
        &AssessOptions {
            as_of: in_force(),
            exceptions: Some(&set),
        },
        &|_, _| {},
    );
    let doc = set.to_openvex(&a).document;
    let statuses: BTreeSet<&str> = doc["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(|s| s["status"].as_str())
        .collect();
    assert_eq!(statuses, BTreeSet::from(["affected", "not_affected"]));
}

#[test]
fn cyclonedx_export_suppresses_the_same_findings() {
    round_trip(ExceptionSet::to_cyclonedx);
}

#[test]
fn the_example_applies_to_the_demo_fleet() {
    let set = example();
    let a = Engine::demo().assess_with(
        &exposure::demo::fleet(),
        &AssessOptions {
            as_of: in_force(),
            exceptions: Some(&set),
        },
        &|_, _| {},
    );
    let status: Vec<(&str, ExceptionStatus)> = a
        .exceptions
        .iter()
        .map(|o| (o.id.as_str(), o.status))
        .collect();
    assert!(
        status.iter().all(|(_, s)| *s == ExceptionStatus::Applied),
        "{status:?}"
    );
    assert!(!a.excepted_recommendations.is_empty());
    // Without an as-of day the ones that expire are not judged, and do not apply.
    let undated = Engine::demo().assess_with(
        &exposure::demo::fleet(),
        &AssessOptions {
            as_of: None,
            exceptions: Some(&set),
        },
        &|_, _| {},
    );
    for (o, e) in undated.exceptions.iter().zip(set.exceptions()) {
        let expected = if e.expires.is_some() {
            ExceptionStatus::NotJudged
        } else {
            ExceptionStatus::Applied
        };
        assert_eq!(o.status, expected, "{}", o.id);
    }
}

/// Scopes that name things of the demo fleet (and some that name nothing).
const SCOPES: [&str; 12] = [
    r#"{"vulnerability": "CVE-2023-39325"}"#,
    r#"{"vulnerability": "cve-2023-45803"}"#,
    r#"{"vulnerability": "GHSA-35jh-r3h4-6jhm"}"#,
    r#"{"vulnerability": "CVE-1999-0001"}"#,
    r#"{"software": {"ecosystem": "npm", "name": "lodash"}}"#,
    r#"{"software": {"ecosystem": "PyPI", "name": "Requests"}}"#,
    r#"{"software": {"ecosystem": "crates.io", "name": "h2"}}"#,
    r#"{"recommendation": "update:Go:golang.org/x/net"}"#,
    r#"{"recommendation": "update:PyPI:urllib3"}"#,
    r#"{"recommendation": "configuration:gw-http2-disabled"}"#,
    r#"{"recommendation": "configuration:deb-auditd-enabled"}"#,
    r#"{"recommendation": "update:npm:left-pad"}"#,
];
const GROUPS: [&str; 4] = [
    "",
    r#", "groups": ["production"]"#,
    r#", "groups": ["engineering", "web"]"#,
    r#", "groups": ["nobody"]"#,
];

fn set_of(picks: &[(usize, usize, usize)], removing: bool) -> ExceptionSet {
    let justifications: Vec<Justification> = Justification::ALL
        .into_iter()
        .filter(|j| j.removes_findings() == removing)
        .collect();
    let exceptions: Vec<String> = picks
        .iter()
        .enumerate()
        .map(|(i, &(scope, groups, j))| {
            format!(
                r#"{{"id": "e{i}", "scope": {}{}, "justification": "{}", "requester": "r", "reason": "x", "created": "2026-01-01"}}"#,
                SCOPES[scope],
                GROUPS[groups],
                justifications[j % justifications.len()].name()
            )
        })
        .collect();
    let text = format!(
        r#"{{"format": "exposure-exceptions/1", "exceptions": [{}]}}"#,
        exceptions.join(",")
    );
    ExceptionSet::from_text(&text, "generated").expect("a valid set")
}

fn assess(fleet: &Fleet, set: Option<&ExceptionSet>) -> Assessment {
    Engine::demo().assess_with(
        fleet,
        &AssessOptions {
            as_of: in_force(),
            exceptions: set,
        },
        &|_, _| {},
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn removing_exceptions_never_raise_a_score(
        picks in prop::collection::vec((0..SCOPES.len(), 0..GROUPS.len(), 0..2usize), 0..5)
    ) {
        let fleet = exposure::demo::fleet();
        let plain = assess(&fleet, None);
        let a = assess(&fleet, Some(&set_of(&picks, true)));
        prop_assert!(a.organisation.score <= plain.organisation.score + 1e-9);
        for (d, p) in a.devices.iter().zip(&plain.devices) {
            prop_assert!(d.score <= p.score + 1e-9, "{} {} > {}", d.device_id, d.score, p.score);
        }
        for (g, p) in a.groups.iter().zip(&plain.groups) {
            prop_assert!(g.score <= p.score + 1e-9);
        }
        prop_assert_eq!(a.findings.len() + a.suppressed.len(), plain.findings.len() + plain.suppressed.len());
    }

    #[test]
    fn hiding_exceptions_never_change_a_score(
        picks in prop::collection::vec((0..SCOPES.len(), 0..GROUPS.len(), 0..3usize), 0..5)
    ) {
        let fleet = exposure::demo::fleet();
        let plain = assess(&fleet, None);
        let a = assess(&fleet, Some(&set_of(&picks, false)));
        prop_assert_eq!(&a.organisation, &plain.organisation);
        prop_assert_eq!(&a.devices, &plain.devices);
        prop_assert_eq!(&a.groups, &plain.groups);
        prop_assert_eq!(&a.findings, &plain.findings);
        // The recommendations are partitioned, the shown ones ranked from 1.
        prop_assert_eq!(a.recommendations.len() + a.excepted_recommendations.len(), plain.recommendations.len());
        for (i, r) in a.recommendations.iter().enumerate() {
            prop_assert_eq!(r.rank, i + 1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any text, and the example with any span replaced, reads or is refused: never a panic,
    /// and a refusal names the input.
    #[test]
    fn reading_never_panics(
        text in "\\PC{0,200}",
        at in 0usize..2000,
        len in 0usize..40,
        with in "[a-z:{}\\[\\]\\-0-9 \n]{0,12}",
    ) {
        let _ = ExceptionSet::from_text(&text, "any");
        let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/exceptions.yaml"))
            .expect("the example");
        let at = at.min(example.len());
        let end = (at + len).min(example.len());
        if example.is_char_boundary(at) && example.is_char_boundary(end) {
            let mutated = format!("{}{with}{}", &example[..at], &example[end..]);
            if let Err(e) = ExceptionSet::from_text(&mutated, "mutated") {
                prop_assert!(e.to_string().starts_with("mutated: "));
            }
        }
    }
}
