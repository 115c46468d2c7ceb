//! Records gated on a platform ("running on/with"): each matcher's answer when the platform is
//! one of the device's software CPE names, one of its reported `conditions`, or neither; and
//! what the scores make of it.

use super::{match_fleet_with_threads, ConditionState, Finding};
use crate::assessment::NotCounted;
use crate::inventory::{self, Fleet, LoadOptions};
use crate::kb::KnowledgeBase;

const WINDOWS_10: &str = "cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*";

/// NVD API 2.0 records: a vendor program and an npm package, each vulnerable below 2.0 only
/// when running on Windows 10 (an AND of the application and a `vulnerable: false` platform).
fn kb() -> KnowledgeBase {
    let gated = |id: &str, criteria: &str| {
        format!(
            r#"{{"cve": {{"id": "{id}", "metrics": {{"cvssMetricV31": [{{"source": "nvd@nist.gov",
              "type": "Primary", "cvssData": {{"vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}}}]}},
              "configurations": [{{"operator": "AND", "nodes": [
                {{"operator": "OR", "cpeMatch": [{{"vulnerable": true, "versionEndExcluding": "2.0",
                  "criteria": "{criteria}"}}]}},
                {{"operator": "OR", "cpeMatch": [{{"vulnerable": false, "criteria": "{WINDOWS_10}"}}]}}]}}]}}}}"#
        )
    };
    let feed = format!(
        r#"{{"format": "NVD_CVE", "vulnerabilities": [{}, {}]}}"#,
        gated("CVE-2099-0001", "cpe:2.3:a:example:viewer:*:*:*:*:*:*:*:*"),
        gated(
            "CVE-2099-0002",
            "cpe:2.3:a:leftpad_project:leftpad:*:*:*:*:*:node.js:*:*"
        ),
    );
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text(&feed, "nvd.json");
    assert_eq!(report.records_loaded, 2, "{report}");
    kb
}

/// Three devices with the viewer and the npm package: Windows 10 as a software item, Windows
/// 10 as a reported condition, and no platform at all (only a fact that is not a CPE name).
/// (An item named by a CPE name whose version is NA, as NVD names platforms, needs a
/// `version` of its own: a platform is easier reported as a condition.)
fn fleet() -> Fleet {
    let software = r#"{"cpe": "cpe:2.3:a:example:viewer:1.5:*:*:*:*:*:*:*", "name": "Viewer"},
                      {"purl": "pkg:npm/leftpad@1.0.0"}"#;
    let document = format!(
        r#"{{"devices": [
          {{"id": "installed", "software": [{software},
            {{"cpe": "{WINDOWS_10}", "name": "Windows 10", "version": "1809"}}]}},
          {{"id": "reported", "conditions": ["{WINDOWS_10}", "role:web-server"],
            "software": [{software}]}},
          {{"id": "silent", "conditions": ["role:web-server"], "software": [{software}]}}]}}"#
    );
    inventory::load_text(&document, "fleet", &LoadOptions::default())
        .expect("loads")
        .fleet
}

fn on<'f>(findings: &'f [Finding], device: &str, advisory: &str) -> &'f Finding {
    findings
        .iter()
        .find(|f| &*f.device_id == device && &*f.advisory_id == advisory)
        .unwrap_or_else(|| panic!("{advisory} on {device}"))
}

fn met(by: &str) -> ConditionState {
    ConditionState::Met {
        by: vec![by.to_owned()],
    }
}

fn not_reported() -> ConditionState {
    ConditionState::NotReported {
        requires: vec![WINDOWS_10.to_owned()],
    }
}

#[test]
fn the_device_cpe_matcher_sees_the_platform_in_software_and_conditions() {
    let (findings, _) = match_fleet_with_threads(&kb(), &fleet(), 1);
    for device in ["installed", "reported"] {
        let evidence = &on(&findings, device, "CVE-2099-0001").evidence;
        assert_eq!(evidence.condition, Some(met(WINDOWS_10)), "{device}");
        assert_eq!(evidence.platform, [WINDOWS_10], "{device}");
    }
    // Before conditions, the silent device had no finding at all; now it is listed, gated.
    let evidence = &on(&findings, "silent", "CVE-2099-0001").evidence;
    assert_eq!(evidence.condition, Some(not_reported()));
    assert!(evidence.platform.is_empty());
}

/// The package CPE matcher matches an item once and replays it on every device: the
/// condition is still decided per device.
#[test]
fn the_package_cpe_matcher_decides_the_platform_per_device() {
    let fleet = fleet();
    // The npm item is one shared allocation across the three devices.
    assert!(std::sync::Arc::ptr_eq(
        &fleet.devices[0].software[1],
        &fleet.devices[2].software[1]
    ));
    let (findings, _) = match_fleet_with_threads(&kb(), &fleet, 1);
    for device in ["installed", "reported"] {
        let finding = on(&findings, device, "CVE-2099-0002");
        assert_eq!(
            finding.evidence.condition,
            Some(met(WINDOWS_10)),
            "{device}"
        );
        assert_eq!(finding.evidence.platform, [WINDOWS_10], "{device}");
        assert_eq!(
            finding.evidence.cpe.as_deref(),
            Some("cpe:2.3:a:leftpad_project:leftpad:1.0.0:*:*:*:*:node.js:*:*")
        );
        assert_eq!(finding.fix.as_deref(), Some("2.0"));
    }
    let finding = on(&findings, "silent", "CVE-2099-0002");
    assert_eq!(finding.evidence.condition, Some(not_reported()));
    // Every device has both findings, none twice.
    assert_eq!(findings.len(), 6);
}

#[test]
fn a_record_that_is_not_gated_has_no_condition() {
    let mut kb = KnowledgeBase::new();
    kb.load_text(
        r#"{"format": "NVD_CVE", "vulnerabilities": [{"cve": {"id": "CVE-2099-0003",
          "configurations": [{"nodes": [{"operator": "OR", "cpeMatch": [{"vulnerable": true,
            "versionEndExcluding": "2.0", "criteria": "cpe:2.3:a:example:viewer:*:*:*:*:*:*:*:*"}]}]}]}}]}"#,
        "nvd.json",
    );
    let (findings, _) = match_fleet_with_threads(&kb, &fleet(), 1);
    assert_eq!(findings.len(), 3);
    assert!(findings.iter().all(|f| f.evidence.condition.is_none()));
}

#[test]
fn a_condition_not_reported_counts_zero_and_stays_listed() {
    let engine = crate::Engine::new(kb());
    let assessment = engine.assess(&fleet());
    assert_eq!(assessment.findings.len(), 6);
    let score = |device: &str| {
        assessment
            .devices
            .iter()
            .find(|d| d.device_id == device)
            .map(|d| (d.score, d.findings))
    };
    for f in &assessment.findings {
        let silent = &*f.finding.device_id == "silent";
        assert!(f.risk.risk > 0.0, "the risk is still computed and shown");
        if silent {
            assert_eq!(f.not_counted(), Some(NotCounted::ConditionNotReported));
            assert!(f.contribution().abs() < f64::EPSILON);
        } else {
            assert_eq!(f.not_counted(), None);
            assert!((f.contribution() - f.risk.risk).abs() < f64::EPSILON);
        }
    }
    let (silent, listed) = score("silent").unwrap();
    assert!(silent.abs() < f64::EPSILON);
    assert_eq!(listed, 2);
    assert_eq!(score("installed"), score("reported"));
    assert!(score("reported").unwrap().0 > 0.0);
    // Serialised with its state, for whoever reads the assessment.
    let json = serde_json::to_value(&assessment).unwrap();
    let states: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["device_id"].as_str().unwrap(),
                f["evidence"]["condition"]["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(states.contains(&("silent", "not_reported")));
    assert!(states.contains(&("reported", "met")));
    assert_eq!(
        json["findings"][0]["evidence"]["condition"]["by"][0],
        WINDOWS_10
    );
    let rows = assessment.finding_rows();
    let silent: Vec<Option<&str>> = rows
        .iter()
        .filter(|r| r.device_id == "silent")
        .map(|r| r.condition)
        .collect();
    assert_eq!(silent, [Some("not_reported"); 2]);
    let table = assessment.tables();
    let text = format!("{table:?}");
    assert!(text.contains("(condition not reported)"), "{text}");
}

/// CVE 5 `affected[].platforms` (free text): the entry applies on one of them; a device
/// reports one with an OS CPE name whose product begins with it (any case) or with a condition
/// `platform:<name>`. An entry without platforms beside it is not gated.
#[test]
fn cve5_platforms_are_met_by_an_os_cpe_or_a_platform_condition() {
    let record = r#"{"dataType": "CVE_RECORD", "dataVersion": "5.1",
      "cveMetadata": {"cveId": "CVE-2099-0005", "state": "PUBLISHED"},
      "containers": {"cna": {"affected": [
        {"vendor": "Example", "product": "Agent", "platforms": ["Windows", "All"],
         "versions": [{"version": "0", "lessThan": "3.0", "status": "affected", "versionType": "semver"}]},
        {"vendor": "Example", "product": "Console", "platforms": [],
         "versions": [{"version": "0", "lessThan": "3.0", "status": "affected", "versionType": "semver"}]}]}}}"#;
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text(record, "cve5.json");
    assert_eq!(report.records_loaded, 1, "{report}");
    let software = r#"{"cpe": "cpe:2.3:a:example:agent:2.1:*:*:*:*:*:*:*"},
                      {"cpe": "cpe:2.3:a:example:console:2.1:*:*:*:*:*:*:*"}"#;
    let document = format!(
        r#"{{"devices": [
          {{"id": "os", "conditions": ["{WINDOWS_10}"], "software": [{software}]}},
          {{"id": "named", "conditions": ["platform:WINDOWS"], "software": [{software}]}},
          {{"id": "linux", "conditions": ["platform:Linux"], "software": [{software}]}}]}}"#
    );
    let fleet = inventory::load_text(&document, "fleet", &LoadOptions::default())
        .expect("loads")
        .fleet;
    let (findings, _) = match_fleet_with_threads(&kb, &fleet, 1);
    let condition = |device: &str, product: &str| {
        findings
            .iter()
            .find(|f| &*f.device_id == device && f.software.name.contains(product))
            .unwrap_or_else(|| panic!("{product} on {device}"))
            .evidence
            .condition
            .clone()
    };
    let windows = "cpe:2.3:o:*:windows*:*:*:*:*:*:*:*:*";
    assert_eq!(condition("os", "agent"), Some(met(WINDOWS_10)));
    assert_eq!(
        condition("named", "agent"),
        Some(met("cpe:2.3:o:*:windows:*:*:*:*:*:*:*:*"))
    );
    assert_eq!(
        condition("linux", "agent"),
        Some(ConditionState::NotReported {
            requires: vec![windows.to_owned()]
        })
    );
    for device in ["os", "named", "linux"] {
        assert_eq!(condition(device, "console"), None, "{device}");
    }
    assert_eq!(findings.len(), 6);
}
