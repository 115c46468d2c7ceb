use super::*;
use crate::score::exposure::device_score;

fn demo() -> Assessment {
    crate::Engine::demo().assess(&crate::demo::fleet())
}

/// A finding's count in its device's score, recomputed from the explanation.
fn counted(f: &FindingExplanation) -> f64 {
    if f.mitigated_by.is_some() {
        0.0
    } else {
        f.risk
    }
}

#[test]
fn marginals_are_exact_against_a_recomputation() {
    let a = demo();
    let mut findings = 0;
    for device in &a.devices {
        let e = a.explain_device(&device.device_id).unwrap();
        assert_eq!(e.findings.len(), device.findings);
        assert!((device_score(e.findings.iter().map(counted)) - e.score).abs() < 1e-9);
        for (i, f) in e.findings.iter().enumerate() {
            let without = device_score(
                e.findings
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, g)| counted(g)),
            );
            assert!(
                (e.score - without - f.marginal).abs() < 1e-9,
                "{} {}",
                e.device_id,
                f.advisory_id
            );
            if f.mitigated_by.is_some() {
                assert_eq!((f.marginal, f.share), (0.0, 0.0));
            }
            findings += 1;
        }
        let shares: f64 = e.findings.iter().map(|f| f.share).sum();
        if e.marginal_sum > 0.0 {
            assert!((shares - 1.0).abs() < 1e-9);
        }
        // Noisy-OR: the marginals sum to at most the score.
        assert!(e.marginal_sum <= e.score + 1e-9);
    }
    assert_eq!(findings, a.findings.len());
}

#[test]
fn contributions_sum_to_the_organisation_score() {
    let a = demo();
    let org = a.explain_organisation();
    let total: f64 = org.devices.iter().map(|d| d.contribution).sum();
    assert!((total - a.organisation.score).abs() < 1e-9);
    let shares: f64 = org.devices.iter().map(|d| d.share).sum();
    assert!((shares - 1.0).abs() < 1e-9);
    // Unequal weights: the high-value floor and the low value.
    assert!(org.devices.iter().any(|d| (d.weight - 1.0).abs() > 1e-12));
}

#[test]
fn ordering_is_by_contribution_then_id() {
    let fleet = r#"{"devices": [
        {"id": "b", "software": [{"purl": "pkg:npm/lodash@4.17.15"}]},
        {"id": "a", "software": [{"purl": "pkg:npm/lodash@4.17.15"}]},
        {"id": "c", "software": [{"purl": "pkg:npm/left-pad@1.0.0"}]},
        {"id": "d", "software": [{"purl": "pkg:npm/lodash@4.17.15"}, {"purl": "pkg:npm/minimist@1.2.5"}]}
    ]}"#;
    let a = crate::Engine::demo()
        .assess_text(fleet, "inline", false)
        .unwrap();
    let org = a.explain_organisation();
    let ids: Vec<&str> = org.devices.iter().map(|d| d.device_id.as_str()).collect();
    assert_eq!(ids, ["d", "a", "b", "c"]);
    assert!(org.devices[3].contribution.abs() < 1e-12);
    let d = a.explain_device("d").unwrap();
    assert!(d
        .findings
        .windows(2)
        .all(|w| w[0].marginal >= w[1].marginal));
    assert!(a.explain_device("e").is_none());
}

#[test]
fn set_by_names_the_rule_and_its_data() {
    let a = demo();
    let e = a.explain_device("api-gw-01").unwrap();
    for f in &e.findings {
        let expected_start = match f.likelihood_rule {
            LikelihoodRule::Epss => "EPSS ",
            LikelihoodRule::Prior => "prior ",
            LikelihoodRule::Kev => "KEV floor ",
            LikelihoodRule::InternetFacing => "internet-facing odds ×",
            LikelihoodRule::ActiveAlert => "alert",
            _ => "",
        };
        assert!(f.set_by.starts_with(expected_start), "{}", f.set_by);
    }
    assert_eq!(short(3.0), "3");
    assert_eq!(short(0.42), "0.42");
    assert_eq!(short(1.0 / 3.0), "0.333");
    let json = serde_json::to_value(&e).unwrap();
    let first = &json["findings"][0];
    for column in [
        "advisory_id",
        "impact",
        "likelihood",
        "set_by",
        "likelihood_steps",
        "risk",
        "marginal",
        "share",
    ] {
        assert!(first.get(column).is_some(), "{column}");
    }
    assert!(first
        .as_object()
        .unwrap()
        .keys()
        .all(|k| FindingExplanation::COLUMNS.contains(&k.as_str())));
    let org = serde_json::to_value(a.explain_organisation()).unwrap();
    let keys: Vec<&String> = org["devices"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), DeviceContribution::COLUMNS.len());
}

#[test]
fn a_mitigated_finding_counts_nothing() {
    let fleet = r#"{"devices": [{"id": "d", "software": [
        {"purl": "pkg:npm/minimist@1.2.5"}, {"purl": "pkg:npm/lodash@4.17.15"}],
        "configuration": [{"id": "no-args", "title": "T", "status": "pass",
                           "mitigates": ["CVE-2021-44906"]}]}]}"#;
    let a = crate::Engine::demo()
        .assess_text(fleet, "inline", false)
        .unwrap();
    let e = a.explain_device("d").unwrap();
    let mitigated: Vec<&FindingExplanation> = e
        .findings
        .iter()
        .filter(|f| f.mitigated_by.is_some())
        .collect();
    assert_eq!(mitigated.len(), 1);
    assert!(mitigated[0].risk > 0.0);
    assert!(mitigated[0].marginal.abs() < 1e-12 && mitigated[0].share.abs() < 1e-12);
    assert_eq!(
        e.findings.last().map(|f| f.mitigated_by.as_deref()),
        Some(Some("no-args")),
        "ordered last"
    );
    let counted: Vec<f64> = e.findings.iter().map(counted).collect();
    assert!((device_score(counted) - e.score).abs() < 1e-9);
}
