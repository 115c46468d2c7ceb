// Exact comparisons on purpose: the scores are computed the same way on both sides.
#![allow(clippy::float_cmp)]

use super::*;
use crate::inventory::{load_text, LoadOptions};
use proptest::prelude::*;

fn check(id: &str, status: CheckStatus, weight: f64) -> ConfigurationCheck {
    ConfigurationCheck {
        weight,
        ..ConfigurationCheck::new(id, id, status)
    }
}

#[test]
fn score_is_passed_over_applicable_weight() {
    let checks = [
        check("a", CheckStatus::Pass, 2.0),
        check("b", CheckStatus::Fail, 1.0),
        check("c", CheckStatus::Fail, 1.0),
        check("d", CheckStatus::NotApplicable, 5.0),
    ];
    let tally = Tally::of(&checks);
    assert_eq!(tally.score(), Some(50.0));
    assert_eq!(
        (tally.passed, tally.failed, tally.not_applicable),
        (1, 2, 1)
    );
    // Not applicable checks count nowhere, whatever their weight.
    assert_eq!(Tally::of(&checks[..3]).score(), Some(50.0));
    // Weights, not counts.
    assert_eq!(Tally::of(&checks[..2]).score(), Some(200.0 / 3.0));
}

#[test]
fn no_applicable_check_is_no_score() {
    assert_eq!(Tally::of(&[]).score(), None);
    assert_eq!(
        Tally::of(&[check("a", CheckStatus::NotApplicable, 1.0)]).score(),
        None
    );
    // Applicable checks that all weigh 0 give no ratio either.
    assert_eq!(
        Tally::of(&[check("a", CheckStatus::Pass, 0.0)]).score(),
        None
    );
    let device = crate::inventory::Device::with_software("d", "d", Vec::new());
    assert_eq!(device_score(&device), None);
}

/// The organisation and group scores are ratios of sums, not means of device scores.
#[test]
fn organisation_and_groups_are_ratios_of_sums() {
    let text = r#"{"devices": [
        {"id": "a", "groups": ["prod", "prod"], "configuration": [
            {"id": "x", "title": "X", "status": "pass"},
            {"id": "y", "title": "Y", "status": "pass"},
            {"id": "z", "title": "Z", "status": "pass"}]},
        {"id": "b", "groups": ["prod", "dmz"], "configuration": [
            {"id": "x", "title": "X", "status": "fail"}]},
        {"id": "c", "groups": ["dmz"]}
    ]}"#;
    let fleet = load_text(text, "f", &LoadOptions::default()).unwrap().fleet;
    let summary = summarise(&fleet, &[], &[], 0.0, |_| 0.0);
    assert_eq!(summary.organisation, Some(75.0)); // 3 of 4, not (100 + 0) / 2
    let devices: Vec<(&str, Option<f64>)> = summary
        .devices
        .iter()
        .map(|d| (d.device_id.as_str(), d.score))
        .collect();
    assert_eq!(devices, [("a", Some(100.0)), ("b", Some(0.0))]); // c reported nothing
    let groups: Vec<(&str, usize, Option<f64>)> = summary
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.devices, g.score))
        .collect();
    assert_eq!(groups, [("dmz", 1, Some(0.0)), ("prod", 2, Some(75.0))]);
    let [r] = &summary.recommendations[..] else {
        panic!("one recommendation expected")
    };
    assert_eq!(
        (r.check_id.as_str(), r.devices.as_slice()),
        ("x", &["b".to_owned()][..])
    );
    assert_eq!(r.configuration_impact, 25.0);
    assert_eq!((r.exposure_impact, r.findings), (0.0, 0));
    // No check reported: nothing to show.
    let none = summarise(&crate::demo::fleet(), &[], &[], 0.0, |_| 0.0);
    assert!(none.reported());
    let empty = crate::inventory::Fleet::default();
    assert!(!summarise(&empty, &[], &[], 0.0, |_| 0.0).reported());
}

#[test]
fn only_passing_checks_mitigate() {
    let mut device = crate::inventory::Device::with_software("d", "d", Vec::new());
    let mut pass = check("p", CheckStatus::Pass, 1.0);
    pass.mitigates = vec!["cve-2017-0144".into(), "CVE-2017-0145".into()];
    let mut fail = check("f", CheckStatus::Fail, 1.0);
    fail.mitigates = vec!["CVE-2021-34527".into()];
    let mut na = check("n", CheckStatus::NotApplicable, 1.0);
    na.mitigates = vec!["CVE-2020-0796".into()];
    let mut again = check("q", CheckStatus::Pass, 1.0);
    again.mitigates = vec!["CVE-2017-0145".into()];
    device.configuration = vec![pass, fail, na, again];
    let found: Vec<(String, &str)> = mitigated(&device).into_iter().collect();
    assert_eq!(
        found,
        [
            ("CVE-2017-0144".to_owned(), "p"),
            ("CVE-2017-0145".to_owned(), "p")
        ]
    );
}

/// A finding whose alias a passing check names is marked, keeps its risk, and counts 0.
#[test]
fn mitigated_findings_stay_listed_and_count_nothing() {
    let engine = crate::Engine::demo();
    let fleet = |status: &str| {
        let text = format!(
            r#"{{"devices": [{{"id": "d", "software": [{{"purl": "pkg:npm/minimist@1.2.5"}}],
            "configuration": [{{"id": "no-args", "title": "T", "status": "{status}",
            "mitigates": ["CVE-2021-44906"]}}]}}]}}"#
        );
        load_text(&text, "f", &LoadOptions::default())
            .unwrap()
            .fleet
    };
    let open = engine.assess(&fleet("fail"));
    let closed = engine.assess(&fleet("pass"));
    assert_eq!(open.findings.len(), 1);
    assert_eq!(open.findings[0].mitigated_by, None);
    assert!(open.organisation.score > 0.0);
    assert_eq!(closed.findings.len(), 1);
    assert_eq!(closed.findings[0].mitigated_by.as_deref(), Some("no-args"));
    assert_eq!(closed.findings[0].risk, open.findings[0].risk);
    assert_eq!(closed.findings[0].contribution(), 0.0);
    assert_eq!(closed.organisation.score, 0.0);
    assert_eq!(closed.devices[0].score, 0.0);
    let json = serde_json::to_value(&closed).unwrap();
    assert_eq!(json["findings"][0]["mitigated_by"], "no-args");
    assert_eq!(json["configuration"]["organisation"], 100.0);
    assert_eq!(
        closed.finding_rows()[0].mitigated_by.as_deref(),
        Some("no-args")
    );
    let findings = &closed.tables()[1];
    assert!(
        findings.rows[0].contains(&format!(
            "{:.3} (mitigated: no-args)",
            closed.findings[0].risk.risk
        )),
        "{findings:?}"
    );
    assert!(closed.headline().ends_with("mitigated findings: 1"));
    // The open fleet's recommendation predicts the closed one exactly.
    let r = &open.configuration.recommendations[0];
    assert_eq!(
        (r.findings, r.mitigates.as_slice()),
        (1, &["CVE-2021-44906".to_owned()][..])
    );
    assert_eq!(r.exposure_impact, open.organisation.score);
    assert_eq!(r.configuration_impact, 100.0);
}

/// Each configuration recommendation of the demo predicts what re-assessing the fleet with
/// the check passing on its devices gives: both impacts, to 1e-9.
#[test]
fn recommendation_impacts_equal_real_reassessments() {
    let engine = crate::Engine::demo();
    let fleet = crate::demo::fleet();
    let before = engine.assess(&fleet);
    let recommendations = &before.configuration.recommendations;
    assert!(recommendations.len() >= 5);
    assert!(recommendations.iter().any(|r| r.exposure_impact > 0.0));
    for r in recommendations {
        let mut changed = fleet.clone();
        for device in &mut changed.devices {
            for c in &mut device.configuration {
                if *c.id == *r.check_id && c.status == CheckStatus::Fail {
                    assert!(r.devices.contains(&device.id));
                    c.status = CheckStatus::Pass;
                }
            }
        }
        let after = engine.assess(&changed);
        let secure = |a: &crate::Assessment| a.configuration.organisation.unwrap();
        let rise = secure(&after) - secure(&before);
        let drop = before.organisation.score - after.organisation.score;
        assert!(
            (r.configuration_impact - rise).abs() < 1e-9,
            "{r:?}: {rise}"
        );
        assert!((r.exposure_impact - drop).abs() < 1e-9, "{r:?}: {drop}");
        let mitigated = after
            .findings
            .iter()
            .filter(|f| f.mitigated_by.is_some())
            .count();
        let before_mitigated = before
            .findings
            .iter()
            .filter(|f| f.mitigated_by.is_some())
            .count();
        assert_eq!(mitigated - before_mitigated, r.findings);
    }
    // Ranked by exposure impact, then configuration impact.
    assert!(recommendations.windows(2).all(|w| {
        (w[0].exposure_impact, w[0].configuration_impact)
            >= (w[1].exposure_impact, w[1].configuration_impact)
    }));
}

fn statuses() -> impl Strategy<Value = Vec<(u8, f64)>> {
    prop::collection::vec((0u8..3, 0.0f64..10.0), 0..20)
}

fn checks_of(spec: &[(u8, f64)]) -> Vec<ConfigurationCheck> {
    spec.iter()
        .enumerate()
        .map(|(i, &(s, w))| {
            let status = [
                CheckStatus::Pass,
                CheckStatus::Fail,
                CheckStatus::NotApplicable,
            ][usize::from(s)];
            check(&format!("c{i}"), status, w)
        })
        .collect()
}

proptest! {
    /// The secure score is in [0, 100], and passing a failing check never lowers it.
    #[test]
    fn score_is_bounded_and_passing_never_lowers_it(spec in statuses(), pick in any::<prop::sample::Index>()) {
        let checks = checks_of(&spec);
        let score = Tally::of(&checks).score();
        if let Some(s) = score {
            prop_assert!((0.0..=100.0).contains(&s), "{s}");
        }
        let failing: Vec<usize> = (0..checks.len()).filter(|&i| checks[i].status == CheckStatus::Fail).collect();
        if !failing.is_empty() {
            let mut fixed = checks.clone();
            fixed[failing[pick.index(failing.len())]].status = CheckStatus::Pass;
            let after = Tally::of(&fixed).score();
            match (score, after) {
                (Some(b), Some(a)) => prop_assert!(a >= b - 1e-9, "{b} -> {a}"),
                (b, a) => prop_assert_eq!(b, a),
            }
        }
    }
}

/// The example check sets read as fleet checks without a problem, and the demo fleet's
/// checks are copies of them (but for its one application check).
#[test]
fn example_check_sets_are_the_demos() {
    let sets = [
        include_str!("../../../examples/configuration/debian-cis.json"),
        include_str!("../../../examples/configuration/windows-cis.json"),
    ];
    let mut examples = BTreeMap::new();
    for set in sets {
        let set: serde_json::Value = serde_json::from_str(set).unwrap();
        let mut checks = set["checks"].as_array().unwrap().clone();
        assert!((5..=8).contains(&checks.len()));
        for c in &mut checks {
            c["status"] = "pass".into();
        }
        let text = serde_json::json!({"devices": [{"id": "d", "configuration": checks}]});
        let loaded = load_text(&text.to_string(), "set", &LoadOptions::default()).unwrap();
        assert_eq!(
            loaded.report.problem_count, 0,
            "{:?}",
            loaded.report.problems
        );
        for c in &loaded.fleet.devices[0].configuration {
            examples.insert(c.id.clone(), c.clone());
        }
    }
    let mut used = 0;
    for device in crate::demo::fleet().devices {
        for c in device.configuration {
            if &*c.id == "gw-http2-disabled" {
                continue;
            }
            let passing = ConfigurationCheck {
                status: CheckStatus::Pass,
                ..c.clone()
            };
            assert_eq!(examples[&c.id], passing, "{}", c.id);
            used += 1;
        }
    }
    assert!(used > 30);
}
