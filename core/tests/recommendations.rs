//! Recommendations checked against real second assessments: a recommendation's exposure
//! impact must equal the drop of the organisation score when the fleet really takes the
//! action (the software moved to the target version, or removed) and is assessed again; and
//! the actions on real data are the ones a team would follow (urllib3 per branch, Firefox on
//! the Windows XP export, snakeyaml in the dropwizard SBOM).

mod common;

use common::actions::check_impacts;
use exposure::assess::{AssessInputs, InventorySource};
use exposure::assessment::NotCounted;
use exposure::inventory::{Device, DeviceValue, Fleet, Software};
use exposure::recommend::ActionKind;
use exposure::{Assessment, Engine};

#[test]
fn impacts_equal_real_reassessments_on_the_demo_fleet() {
    let engine = Engine::demo();
    let fleet = exposure::demo::fleet();
    let assessment = engine.assess(&fleet);
    assert_eq!(check_impacts(|f| engine.assess(f), &fleet, &assessment), 8);
    // urllib3 sits on two branches in the demo: one target each, with its own devices.
    let urllib3 = assessment
        .recommendations
        .iter()
        .find(|r| r.software == "urllib3")
        .expect("urllib3");
    let targets: Vec<(&str, &str, &[String])> = urllib3
        .targets
        .iter()
        .map(|t| (t.branch.as_str(), t.version.as_str(), t.devices.as_slice()))
        .collect();
    assert_eq!(
        targets,
        [
            ("1", "1.26.18", &["web-01".to_owned()][..]),
            ("2", "2.0.7", &["web-02".to_owned()][..])
        ]
    );
    assert_eq!(urllib3.target_version, None);
}

/// A fleet of 60 devices drawn from the demo's software at several versions, values mixed
/// (a fixed linear congruential sequence: the same fleet every run).
fn generated_fleet() -> Fleet {
    let items: [(&str, &[&str]); 8] = [
        (
            "pkg:pypi/urllib3@",
            &["1.26.5", "1.26.12", "1.26.17", "2.0.4", "2.0.6"],
        ),
        ("pkg:pypi/requests@", &["2.25.0", "2.28.1", "2.31.0"]),
        ("pkg:npm/lodash@", &["4.17.15", "4.17.20", "4.17.21"]),
        ("pkg:npm/minimist@", &["1.2.0", "1.2.5", "1.2.6"]),
        (
            "pkg:golang/golang.org/x/net@",
            &["v0.0.0-20220722155237-a158d28d115b", "v0.7.0", "v0.17.0"],
        ),
        ("pkg:cargo/smallvec@", &["1.6.0", "1.6.1"]),
        ("pkg:cargo/h2@", &["0.3.16", "0.3.17"]),
        ("pkg:cargo/time@", &["0.1.43", "0.2.0"]),
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).expect("fits") % n
    };
    let devices = (0..60)
        .map(|i| {
            let mut software = Vec::new();
            for (purl, versions) in &items {
                if next(3) > 0 {
                    let v = versions[next(versions.len())];
                    software.push(Software::from_purl(&format!("{purl}{v}")).expect("a purl"));
                }
            }
            let mut d = Device::with_software(format!("d{i:02}"), format!("d{i:02}"), software);
            d.value = [DeviceValue::Low, DeviceValue::Normal, DeviceValue::High][next(3)];
            d
        })
        .collect();
    Fleet { devices }
}

#[test]
fn impacts_equal_real_reassessments_on_a_generated_fleet() {
    let engine = Engine::demo();
    let fleet = generated_fleet();
    let assessment = engine.assess(&fleet);
    assert!(check_impacts(|f| engine.assess(f), &fleet, &assessment) >= 8);
    // Several branches, several targets: urllib3 hosts on 1.x and on 2.x.
    let urllib3 = assessment
        .recommendations
        .iter()
        .find(|r| r.software == "urllib3" && r.action == ActionKind::Update)
        .expect("urllib3");
    assert_eq!(urllib3.targets.len(), 2, "{urllib3:?}");
    // The ranking is total and deterministic.
    let again = engine.assess(&fleet);
    assert_eq!(assessment.recommendations, again.recommendations);
    for pair in assessment.recommendations.windows(2) {
        assert!(pair[0].priority() >= pair[1].priority());
    }
    // Each names the findings it covers, by index: as many as it counts, on its devices, of
    // the advisories it resolves; ids are distinct.
    let mut ids = std::collections::BTreeSet::new();
    for r in &assessment.recommendations {
        assert!(ids.insert(r.id()), "{} twice", r.id());
        assert_eq!(r.covered.len(), r.findings, "{}", r.text);
        assert!(r.covered.windows(2).all(|w| w[0] < w[1]));
        for &i in &r.covered {
            let f = &assessment.findings[i].finding;
            assert!(r.devices.iter().any(|d| **d == *f.device_id), "{}", r.text);
            assert!(
                r.resolves.iter().any(|a| **a == *f.advisory_id),
                "{}",
                r.text
            );
        }
    }
}

/// Assesses `inventory` (text) against the shared knowledge at `knowledge` (relative to the
/// shared data directory), judging end of support on `as_of`.
fn shared_assessment(
    knowledge: &[&str],
    inventory: String,
    as_of: Option<&str>,
) -> Option<Assessment> {
    let data = common::shared("data")?;
    let inputs = AssessInputs {
        knowledge: knowledge.iter().map(|k| data.join(k)).collect(),
        inventories: vec![InventorySource::Text {
            text: inventory,
            origin: "inventory".to_owned(),
        }],
        as_of: as_of.and_then(|d| d.parse().ok()),
        ..AssessInputs::default()
    };
    Some(inputs.assess().expect("assesses"))
}

#[test]
fn urllib3_hosts_are_updated_on_their_own_branch() {
    let fleet = r#"{"devices": [
        {"id": "old", "software": [{"purl": "pkg:pypi/urllib3@1.26.12"}]},
        {"id": "new", "software": [{"purl": "pkg:pypi/urllib3@2.0.4"}]}]}"#;
    let Some(a) = shared_assessment(
        &["osv-pypa/pypa-advisory-database-vulns.tar.gz"],
        fleet.to_owned(),
        None,
    ) else {
        return;
    };
    let update = a
        .recommendations
        .iter()
        .find(|r| r.action == ActionKind::Update)
        .expect("an update");
    let targets: Vec<(&str, &str)> = update
        .targets
        .iter()
        .map(|t| (t.branch.as_str(), t.version.as_str()))
        .collect();
    // CVE-2023-43804 (PYSEC-2023-192) is fixed in 1.26.17 and 2.0.6, CVE-2023-45803
    // (PYSEC-2023-212) in 1.26.18 and 2.0.7: the 1.26 host is told 1.26.18, not 2.0.7.
    assert_eq!(targets, [("1", "1.26.18"), ("2", "2.0.7")], "{update:?}");
    assert!(update.resolves.contains(&"PYSEC-2023-212".to_owned()));
    assert!(!a
        .recommendations
        .iter()
        .any(|r| r.action == ActionKind::Upgrade));
}

/// One `.reg` file of the shared archive of Windows registry exports, as text (`None` where
/// the shared data is absent).
fn registry_export(name: &str) -> Option<String> {
    let archive =
        common::shared("data/inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz")?;
    Some(common::registry_export(&archive, name))
}

#[test]
fn firefox_on_the_windows_xp_export_is_upgraded_and_ended() {
    let Some(xp) = registry_export("xp-Uninstall.reg") else {
        return;
    };
    let Some(data) = common::shared("data") else {
        return;
    };
    let knowledge = AssessInputs {
        knowledge: ["nvd", "cve5", "cisa-kev"]
            .iter()
            .map(|k| data.join(k))
            .collect(),
        ..AssessInputs::default()
    };
    let (engine, _) = knowledge.load_engine().expect("loads");
    let fleet =
        exposure::inventory::load_text(&xp, "xp", &exposure::inventory::LoadOptions::default())
            .expect("an inventory")
            .fleet;
    let a = engine.assess_as_of(&fleet, "2026-12-04".parse().ok(), &|_, _| {});
    let firefox = |action| {
        a.recommendations
            .iter()
            .find(|r| r.action == action && r.software.starts_with("Mozilla Firefox"))
            .unwrap_or_else(|| panic!("{action:?}"))
    };
    // 142 of its 160 findings that count carry NVD fixes (51.0 … 117.0.1), none on branch
    // 10; the other 18 match ranges `<=55.0.3` and `<=56.0.2`, which 117.0.1 is past. 26 more
    // are gated on an OS the export does not report (Windows, macOS, Linux, Android): listed,
    // counted 0, and resolved by the same upgrade (24 of them with an NVD fix).
    let upgrade = firefox(ActionKind::Upgrade);
    assert_eq!(upgrade.target_version.as_deref(), Some("117.0.1"));
    assert_eq!(upgrade.findings, 186);
    assert_eq!(
        upgrade.fixes.values().filter(|f| !f.is_empty()).count(),
        166
    );
    let gated = a
        .findings
        .iter()
        .filter(|f| f.finding.software.name.starts_with("Mozilla Firefox"))
        .filter(|f| f.not_counted() == Some(NotCounted::ConditionNotReported))
        .count();
    assert_eq!(gated, 26);
    assert!(upgrade.major_change && upgrade.exposure_impact > 0.0);
    assert!(!a
        .recommendations
        .iter()
        .any(|r| r.action == ActionKind::AttentionRequired
            && r.software.starts_with("Mozilla Firefox")));
    // Shockwave's NVD ranges (`<=12.2.7.197`, `<=12.2.8.198`) name no fix: attention.
    let shockwave = a
        .recommendations
        .iter()
        .find(|r| {
            r.action == ActionKind::AttentionRequired && r.software.starts_with("Adobe Shockwave")
        })
        .expect("attention required");
    assert!(shockwave.exposure_impact == 0.0 && shockwave.exposure_left >= 0.0);
    // Firefox 10 and Shockwave had long ended on 2026-12-04.
    let ended = firefox(ActionKind::EndOfSupport);
    assert_eq!(ended.findings, 186);
    let entry = ended.end_of_support.as_ref().expect("the entry");
    assert_eq!(
        (entry.release.as_str(), entry.end.as_str()),
        ("<115", "2023-09-26")
    );
    assert!(
        a.recommendations
            .iter()
            .any(|r| r.action == ActionKind::EndOfSupport
                && r.software.starts_with("Adobe Shockwave"))
    );
    // The real second assessments: Firefox moved to 117.0.1 (the updates and upgrades), and
    // Firefox uninstalled (its end-of-support item).
    let undated = engine.assess(&fleet);
    assert!(check_impacts(|f| engine.assess(f), &fleet, &undated) >= 1);
    let mut removed = fleet.clone();
    removed.devices[0]
        .software
        .retain(|s| !s.name.starts_with("Mozilla Firefox"));
    let real = a.organisation.score - engine.assess(&removed).organisation.score;
    assert!(
        (real - ended.exposure_impact).abs() < 1e-9,
        "{real} {}",
        ended.exposure_impact
    );
    // Without a day, no end-of-support item.
    assert!(!undated
        .recommendations
        .iter()
        .any(|r| r.action == ActionKind::EndOfSupport));
}

#[test]
fn snakeyaml_in_the_dropwizard_sbom_is_updated() {
    let Some(sbom) = common::shared("data/sbom-cyclonedx/dropwizard-1.3.15__bom.json") else {
        return;
    };
    let text = std::fs::read_to_string(sbom).expect("readable");
    let Some(a) = shared_assessment(&["nvd"], text, None) else {
        return;
    };
    let r = &a.recommendations[0];
    assert_eq!(r.text, "update org.yaml:snakeyaml (Maven) to 1.26");
    assert_eq!(r.resolves, ["CVE-2017-18640"]);
    assert!(r.exposure_impact > 0.0);
}
