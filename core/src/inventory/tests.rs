use super::*;

#[test]
fn fleet_format_loads_purls_and_triples() {
    let loaded = load_text(
        crate::demo::FLEET_JSON,
        "demo",
        &crate::inventory::LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        loaded.report.problem_count, 0,
        "{:?}",
        loaded.report.problems
    );
    let devices = &loaded.fleet.devices;
    assert_eq!(devices.len(), 5);
    assert_eq!(devices[0].value, DeviceValue::High);
    assert_eq!(devices[0].tags, ["prod", "dmz"]);
    assert_eq!(devices[0].groups, ["production", "web"]);
    assert_eq!(
        *devices[1].software[0],
        Software {
            ecosystem: Ecosystem::PyPi,
            name: "Requests".into(),
            version: "2.31.0".into(),
            purl: None,
            packages: Vec::new(),
            cpe: None,
            last_used: None,
            kind: None,
        }
    );
    assert_eq!(devices[3].software[0].name, "golang.org/x/net");
}

#[test]
fn fleet_problems_are_located_and_good_entries_kept() {
    let text = r#"{"devices": [
        {"id": "a", "value": "urgent"},
        {"id": "b", "colour": "red", "software": [
            {"purl": "pkg:npm/lodash"},
            {"ecosystem": "npm", "name": "minimist"},
            {"purl": "pkg:npm/left-pad@1.3.0", "name": "x"},
            {"purl": "pkg:npm/ok@1.0.0"}
        ]},
        {"id": "b"},
        {"name": "no id"}
    ]}"#;
    let loaded = load_text(text, "f.json", &crate::inventory::LoadOptions::default()).unwrap();
    let shown: Vec<String> = loaded
        .report
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        [
            "f.json: record a: devices[0].value: \"urgent\" is not one of low, normal, high (skipped)",
            "f.json: record b: devices[1].colour: unknown field, ignored (partly used)",
            "f.json: record b: devices[1].software[0].purl: package URL \"pkg:npm/lodash\" has no version (partly used)",
            "f.json: record b: devices[1].software[1].version: is missing (partly used)",
            "f.json: record b: devices[1].software[2].name: give either a purl or ecosystem, name and version, not both (partly used)",
            "f.json: record b: devices[2].id: duplicate device id \"b\" (skipped)",
            "f.json: devices[3].id: is missing (skipped)",
        ]
    );
    assert_eq!(
        (
            loaded.report.records_read,
            loaded.report.records_loaded,
            loaded.report.records_skipped
        ),
        (4, 1, 3)
    );
    assert_eq!(loaded.fleet.devices[0].software.len(), 1);
}

#[test]
fn cyclonedx_nested_components_in_document_order() {
    let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
      "metadata": {"component": {"bom-ref": "app@1", "name": "app", "version": "1"}},
      "components": [
        {"name": "a", "purl": "pkg:npm/a@1.0.0", "components": [{"name": "a-child", "purl": "pkg:npm/a-child@2.0.0"}]},
        {"name": "nopurl", "version": "1"},
        {"name": "b", "version": "3.0.0", "purl": "pkg:npm/b"},
        {"name": "Windows 10", "version": "22H2", "cpe": "cpe:2.3:o:microsoft:windows_10:22h2:*:*:*:*:*:*:*"}
      ]}"#;
    let loaded = load_text(text, "bom.json", &crate::inventory::LoadOptions::default()).unwrap();
    let device = &loaded.fleet.devices[0];
    assert_eq!(
        (device.id.as_str(), device.name.as_str()),
        ("app@1", "app 1")
    );
    let names: Vec<(&str, &str)> = device
        .software
        .iter()
        .map(|s| (s.name.as_str(), s.version.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("a", "1.0.0"),
            ("a-child", "2.0.0"),
            ("b", "3.0.0"),
            ("Windows 10", "22H2")
        ]
    );
    let os = &device.software[3];
    assert_eq!(os.ecosystem.to_string(), "cpe");
    assert_eq!(
        os.cpe.as_ref().map(|c| (c.name.text(), c.confidence)),
        Some(("cpe:2.3:o:microsoft:windows_10:22h2:*:*:*:*:*:*:*", 100))
    );
    assert_eq!(loaded.report.records_skipped, 1);
    assert_eq!(
        loaded.report.problems[0].to_string(),
        "bom.json: record nopurl: components[1].purl: is missing (and so is cpe): the component cannot be matched (skipped)"
    );
}

#[test]
fn unknown_documents_are_errors() {
    assert!(matches!(
        load_text("[]", "x", &crate::inventory::LoadOptions::default()),
        Err(InventoryError::UnknownFormat { .. })
    ));
    assert!(matches!(
        load_text("{", "x", &crate::inventory::LoadOptions::default()),
        Err(InventoryError::NotJson { .. })
    ));
    assert!(matches!(
        load_text(
            r#"{"devices": 3}"#,
            "x",
            &crate::inventory::LoadOptions::default()
        ),
        Err(InventoryError::Malformed { .. })
    ));
}

/// One element that is not an object used to reject the whole document; it is skipped and
/// reported alone, with its path.
#[test]
fn elements_that_are_not_objects_cost_only_themselves() {
    let options = crate::inventory::LoadOptions::default();
    let bom = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"name": "a", "purl": "pkg:npm/a@1.0.0", "components": [7, {"name": "c", "purl": "pkg:npm/c@1.0.0"}]},
        "b",
        {"name": "d", "purl": "pkg:npm/d@1.0.0"}]}"#;
    let loaded = load_text(bom, "bom.json", &options).unwrap();
    let names: Vec<&str> = loaded.fleet.devices[0]
        .software
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["a", "c", "d"]);
    expect_report(
        &loaded.report,
        (5, 3, 2),
        &[
            "bom.json: components[0].components[0]: expected an object, found a number (skipped)",
            "bom.json: components[1]: expected an object, found a string (skipped)",
        ],
    );

    let fleet =
        r#"{"devices": [null, {"id": "a", "software": [true, {"purl": "pkg:npm/x@1.0.0"}]}, 3]}"#;
    let loaded = load_text(fleet, "fleet.json", &options).unwrap();
    assert_eq!(loaded.fleet.devices.len(), 1);
    assert_eq!(loaded.fleet.devices[0].software.len(), 1);
    expect_report(
        &loaded.report,
        (3, 1, 2),
        &[
            "fleet.json: devices[0]: expected an object, found null (skipped)",
            "fleet.json: record a: devices[1].software[0]: expected an object, found a boolean (partly used)",
            "fleet.json: devices[2]: expected an object, found a number (skipped)",
        ],
    );
}

/// Checks a report's records read, loaded and skipped, and every problem as shown to users.
#[track_caller]
fn expect_report(report: &LoadReport, counts: (usize, usize, usize), problems: &[&str]) {
    let r = report;
    assert_eq!(
        (r.records_read, r.records_loaded, r.records_skipped),
        counts
    );
    let shown: Vec<String> = r.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown, problems);
}

/// The fleet document is read as it streams by; what is not a fleet is read as before.
#[test]
fn json_documents_are_told_apart_in_one_pass() {
    let options = crate::inventory::LoadOptions::default();
    let error = |text: &str| load_text(text, "x", &options).unwrap_err().to_string();
    assert_eq!(
        error(r#"{"devices": "many"}"#),
        "x: devices: expected an array, found a string"
    );
    assert_eq!(
        error(r#"{"devices": {"id": "a"}}"#),
        "x: devices: expected an array, found an object"
    );
    assert!(error(r#"{"devices": [{"id": "a"}]"#).starts_with("x: not JSON: EOF"));
    assert!(error(r#"{"devices": []} x"#).starts_with("x: not JSON: trailing characters"));
    assert!(matches!(
        load_text("\"text\"", "x", &options),
        Err(InventoryError::UnknownFormat { .. })
    ));
    assert!(load_text(r#"{"devices": null}"#, "x", &options)
        .unwrap()
        .fleet
        .devices
        .is_empty());
    // A CycloneDX BOM that also has a `devices` field is a BOM (its `bomFormat` decides).
    let bom = r#"{"devices": [{"id": "x"}], "bomFormat": "CycloneDX", "components": [
        {"name": "a", "purl": "pkg:npm/a@1.0.0"}]}"#;
    let loaded = load_text(bom, "bom", &options).unwrap();
    assert_eq!(loaded.fleet.devices[0].id, "bom");
    assert_eq!(loaded.fleet.devices[0].software[0].name, "a");
}

/// Devices whose items were all met before are read straight from the text (shared, never
/// parsed again); anything else is read as a JSON value and reported as before.
#[test]
fn repeated_items_are_read_once_and_problems_still_named() {
    let text = r#"{"devices": [
        {"id": "a", "software": [{"purl": "pkg:npm/x@1.0.0"}, {"ecosystem": "PyPI", "name": "requests", "version": "2.31.0"}]},
        {"id": "b", "value": "high", "tags": ["t"], "software": [{"ecosystem": "PyPI", "name": "requests", "version": "2.31.0"}, {"purl": "pkg:npm/x@1.0.0"}]},
        {"id": "c", "software": [{"purl": "pkg:npm/x@1.0.0"}, {"purl": "pkg:npm/y"}]},
        {"id": "b", "software": [{"purl": "pkg:npm/x@1.0.0"}]},
        {"id": "d\u0020", "software": [{"purl": "pkg:npm/x@1.0.0"}]},
        {"id": "e", "colour": "red", "software": [{"purl": "pkg:npm/x@1.0.0", "size": 3}]},
        {"id": "f", "value": "urgent", "software": [{"purl": "pkg:npm/x@1.0.0"}]}
    ]}"#;
    let loaded = load_text(text, "f.json", &LoadOptions::default()).unwrap();
    expect_report(
        &loaded.report,
        (7, 5, 2),
        &[
            "f.json: record c: devices[2].software[1].purl: package URL \"pkg:npm/y\" has no version (partly used)",
            "f.json: record b: devices[3].id: duplicate device id \"b\" (skipped)",
            "f.json: record e: devices[5].colour: unknown field, ignored (partly used)",
            "f.json: record e: devices[5].software[0].size: unknown field, ignored (partly used)",
            "f.json: record f: devices[6].value: \"urgent\" is not one of low, normal, high (skipped)",
        ],
    );
    let devices = &loaded.fleet.devices;
    let ids: Vec<&str> = devices.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        (devices[1].value, devices[1].tags.as_slice()),
        (DeviceValue::High, ["t".to_owned()].as_slice())
    );
    // One allocation per distinct item, whichever way its device was read.
    let x = &devices[0].software[0];
    for device in devices {
        assert!(
            device.software.iter().any(|s| std::sync::Arc::ptr_eq(s, x)),
            "{}",
            device.id
        );
    }
    assert!(std::sync::Arc::ptr_eq(
        &devices[0].software[1],
        &devices[1].software[0]
    ));
}

/// The device context of the fleet format, read the long way (first device: its items are
/// new) and the quick way (second device: the same items), to the same values.
#[test]
#[allow(clippy::float_cmp)] // the default weight is exactly 1
fn fleet_device_context_is_read_both_ways() {
    let device = |id: &str| {
        format!(
            r#"{{"id": "{id}", "internet_facing": true,
            "alerts": ["CVE-2021-44228"],
            "conditions": ["cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*", "role:web-server"],
            "configuration": [
                {{"id": "win-smb1-disabled", "title": "SMBv1 is disabled", "status": "pass",
                  "weight": 3, "mitigates": ["CVE-2017-0144"], "remediation": "Run \"Disable-SMB1\".",
                  "category": "network"}},
                {{"id": "win-llmnr-disabled", "title": "LLMNR is off", "status": "fail"}},
                {{"id": "win-spooler", "title": "Spooler off", "status": "not_applicable", "weight": 0}}
            ],
            "software": [{{"purl": "pkg:npm/lodash@4.17.20", "last_used": "never"}},
                         {{"purl": "pkg:npm/minimist@1.2.5", "last_used": "2026-01-31"}}]}}"#
        )
    };
    let text = format!(r#"{{"devices": [{}, {}]}}"#, device("a"), device("b"));
    let loaded = load_text(&text, "f.json", &LoadOptions::default()).unwrap();
    assert_eq!(
        loaded.report.problem_count, 0,
        "{:?}",
        loaded.report.problems
    );
    let [a, b] = &loaded.fleet.devices[..] else {
        panic!("two devices expected")
    };
    assert!(a.internet_facing);
    assert_eq!(a.alerts, ["CVE-2021-44228"]);
    assert_eq!(a.conditions[1], "role:web-server");
    let checks = &a.configuration;
    assert_eq!(checks.len(), 3);
    assert_eq!(
        checks[0],
        crate::configuration::ConfigurationCheck {
            id: "win-smb1-disabled".into(),
            title: "SMBv1 is disabled".into(),
            status: crate::configuration::CheckStatus::Pass,
            weight: 3.0,
            mitigates: vec!["CVE-2017-0144".into()],
            remediation: Some("Run \"Disable-SMB1\".".into()),
            category: Some("network".into()),
        }
    );
    assert_eq!(checks[1].weight, 1.0);
    assert_eq!(
        checks[2].status,
        crate::configuration::CheckStatus::NotApplicable
    );
    assert_eq!(a.software[0].last_used, Some(LastUsed::Never));
    assert_eq!(
        a.software[1].last_used,
        Some(LastUsed::On("2026-01-31".parse().unwrap()))
    );
    // The second device, read quickly, equals the first but for its id; items are shared.
    assert_eq!(
        Device {
            id: "a".into(),
            name: "a".into(),
            ..b.clone()
        },
        *a
    );
    assert!(std::sync::Arc::ptr_eq(&a.software[0], &b.software[0]));
    // An item that differs only in `last_used` is another item.
    let other = load_text(
        r#"{"devices": [{"id": "a", "software": [{"purl": "pkg:npm/lodash@4.17.20"},
            {"purl": "pkg:npm/lodash@4.17.20", "last_used": "never"}]}]}"#,
        "g.json",
        &LoadOptions::default(),
    )
    .unwrap();
    let items = &other.fleet.devices[0].software;
    assert_ne!(items[0], items[1]);
    // Absent context reads as the defaults.
    let plain = &load_text(crate::demo::FLEET_JSON, "demo", &LoadOptions::default())
        .unwrap()
        .fleet
        .devices[1];
    assert!(!plain.internet_facing && plain.alerts.is_empty());
}

#[test]
fn fleet_device_context_problems_are_located() {
    let text = r#"{"devices": [
        {"id": "a", "internet_facing": "yes", "alerts": "CVE-2021-44228",
         "conditions": ["role:db", 7, " ", "cpe:2.3:o:broken"],
         "configuration": [
            "smb",
            {"id": "c1", "title": "One", "status": "passed"},
            {"id": "c2", "title": "Two", "status": "pass", "weight": -1},
            {"id": "c3", "title": "Three", "status": "pass", "weight": "heavy"},
            {"id": "c4", "title": "Four", "status": "fail", "mitigates": ["CVE-1", 2]},
            {"id": "c5", "status": "fail"},
            {"id": "c6", "title": "Six", "status": "fail", "colour": "red"},
            {"id": "c6", "title": "Six again", "status": "pass"}
         ],
         "software": [
            {"purl": "pkg:npm/lodash@4.17.20", "last_used": "2023-02-29"},
            {"purl": "pkg:npm/minimist@1.2.5", "last_used": 20260131}
         ]},
        {"id": "b", "alerts": [true, "CVE-2021-44228"], "configuration": {"id": "x"}}
    ]}"#;
    let loaded = load_text(text, "f.json", &LoadOptions::default()).unwrap();
    let shown: Vec<String> = loaded
        .report
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        [
            "f.json: record a: devices[0].software[0].last_used: \"2023-02-29\" is neither \"never\" nor a date YYYY-MM-DD: ignored (partly used)",
            "f.json: record a: devices[0].software[1].last_used: expected a string, found a number: ignored (partly used)",
            "f.json: record a: devices[0].internet_facing: expected a boolean, found a string: ignored (partly used)",
            "f.json: record a: devices[0].alerts: expected an array, found a string: ignored (partly used)",
            "f.json: record a: devices[0].conditions[1]: expected a string, found a number: left out (partly used)",
            "f.json: record a: devices[0].conditions[2]: is empty: left out (partly used)",
            "f.json: record a: devices[0].conditions[3]: invalid CPE name \"cpe:2.3:o:broken\": 2 components where 11 are expected at byte 8: left out (partly used)",
            "f.json: record a: devices[0].configuration[0]: expected an object, found a string: check left out (partly used)",
            "f.json: record a: devices[0].configuration[1].status: \"passed\" is not one of pass, fail, not_applicable: check left out (partly used)",
            "f.json: record a: devices[0].configuration[2].weight: -1 is not a number from 0 to 1000000: check left out (partly used)",
            "f.json: record a: devices[0].configuration[3].weight: expected a number, found a string: check left out (partly used)",
            "f.json: record a: devices[0].configuration[4].mitigates[1]: expected a string, found a number: check left out (partly used)",
            "f.json: record a: devices[0].configuration[5].title: is missing: check left out (partly used)",
            "f.json: record a: devices[0].configuration[6].colour: unknown field, ignored (partly used)",
            "f.json: record a: devices[0].configuration[7].id: duplicate check id \"c6\": check left out (partly used)",
            "f.json: record b: devices[1].alerts[0]: expected a string, found a boolean: left out (partly used)",
            "f.json: record b: devices[1].configuration: expected an array, found an object: ignored (partly used)",
        ]
    );
    // Both devices are kept with what was good; the bad values are not.
    let [a, b] = &loaded.fleet.devices[..] else {
        panic!("two devices expected")
    };
    assert!(!a.internet_facing && a.alerts.is_empty());
    assert_eq!(a.conditions, ["role:db"]);
    let ids: Vec<&str> = a.configuration.iter().map(|c| &*c.id).collect();
    assert_eq!(ids, ["c6"]);
    assert!(a.software.iter().all(|s| s.last_used.is_none()));
    assert_eq!(b.alerts, ["CVE-2021-44228"]);
    assert!(b.configuration.is_empty());
}

#[test]
fn fleet_groups_are_read_both_ways_and_bad_ones_located() {
    // The quick reading (every field borrowed) and the long one (a bad element) agree.
    let text = r#"{"devices": [
        {"id": "a", "groups": ["prod", "web", "prod"], "software": [{"purl": "pkg:npm/lodash@4.17.20"}]},
        {"id": "b", "groups": [" prod ", "", 7, "db"], "software": [{"purl": "pkg:npm/lodash@4.17.20"}]},
        {"id": "c", "groups": "prod"},
        {"id": "d"}
    ]}"#;
    let loaded = load_text(text, "g.json", &LoadOptions::default()).unwrap();
    let devices = &loaded.fleet.devices;
    assert_eq!(devices[0].groups, ["prod", "web"]);
    assert_eq!(devices[1].groups, ["prod", "db"]);
    assert!(devices[2].groups.is_empty());
    assert!(devices[3].groups.is_empty());
    let shown: Vec<String> = loaded
        .report
        .problems
        .iter()
        .map(|p| {
            format!(
                "{} {}: {}",
                p.record.as_deref().unwrap_or("-"),
                p.field,
                p.message
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "b devices[1].groups[1]: is empty: left out",
            "b devices[1].groups[2]: expected a string, found a number: left out",
            "c devices[2].groups: expected an array, found a string: ignored",
        ],
        "{shown:#?}"
    );
}

/// An rpm host's release package names its platform: a condition of the device (for
/// records gated on the platform) and a note of the load; a host without one gets neither.
#[test]
fn an_rpm_hosts_release_package_names_its_platform() {
    let loaded = super::rpm::load_device(
        "bash-5.1.8-6.el9.x86_64\nredhat-release-9.3-0.5.el9.x86_64\n",
        "rhel-host",
    );
    let device = &loaded.fleet.devices[0];
    assert_eq!(
        device.conditions,
        ["cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*"]
    );
    assert_eq!(
        loaded.report.notes,
        ["rhel-host: platform cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:* from redhat-release 9.3"]
    );
    assert_eq!(device.condition_names().count(), 1, "a valid CPE name");
    let plain = super::rpm::load_device("bash-5.1.8-6.el9.x86_64\n", "other");
    assert!(plain.fleet.devices[0].conditions.is_empty() && plain.report.notes.is_empty());
}
