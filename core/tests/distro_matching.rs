//! Distro packages matched with distro data: the real dpkg status of a Debian 12 machine
//! against the Debian security tracker's OSV records (`Debian:12` entries, source packages).

mod common;

use exposure::files::read_text;
use exposure::inventory::{dpkg, Distro};
use exposure::kb::KnowledgeBase;
use exposure::matching::FixState;
use exposure::Engine;

#[test]
fn debian_12_machine_against_the_debian_security_tracker() {
    let (Some(inventory), Some(osv)) = (
        common::shared("data/inventory-dpkg"),
        common::shared("data/debian-osv/debian-osv-cve-dpkg-status-sources.tar.gz"),
    ) else {
        return;
    };
    let os_release = read_text(&inventory.join("os-release-this-machine")).expect("os-release");
    let distro = Distro::from_os_release(&os_release).expect("Debian 12");
    let status = read_text(&inventory.join("dpkg-status-this-machine")).expect("status");
    let loaded = dpkg::load_device(&status, Some(&distro), "debian-12-host");
    assert_eq!(
        (
            loaded.report.records_read,
            loaded.report.records_loaded,
            loaded.report.problem_count
        ),
        (740, 740, 0),
        "{}",
        loaded.report
    );
    let device = &loaded.fleet.devices[0];
    assert_eq!(device.software.len(), 409, "source packages");
    let openssl = device
        .software
        .iter()
        .find(|s| s.name == "openssl")
        .expect("openssl");
    assert_eq!(openssl.ecosystem.to_string(), "Debian:12");

    let mut kb = KnowledgeBase::new();
    let report = common::load_osv_archive(&mut kb, &osv);
    assert_eq!(
        (report.records_read, report.records_skipped),
        (3941, 0),
        "{report}"
    );

    let engine = Engine::new(kb);
    let assessment = engine.assess(&loaded.fleet);
    let findings = &assessment.findings;
    // 289, as an independent script finds evaluating the same records' `Debian:12` entries
    // with `dpkg --compare-versions`: this machine is newer than the data (2025-02-12), so
    // what remains are the entries Debian had not fixed yet.
    assert_eq!(findings.len(), 289);
    // Debian's urgency `unimportant` on an entry without a fix: no security update will come
    // (apt's CVE-2011-3374, tar's CVE-2005-2541, util-linux's CVE-2022-0563 among them).
    let state_of = |id: &str, package: &str| {
        findings
            .iter()
            .find(|f| &*f.finding.advisory_id == id && f.finding.software.name == package)
            .map(|f| f.finding.fix_state)
    };
    for (id, package) in [
        ("CVE-2011-3374", "apt"),
        ("CVE-2005-2541", "tar"),
        ("CVE-2022-0563", "util-linux"),
    ] {
        assert_eq!(
            state_of(id, package),
            Some(FixState::WillNotFix),
            "{id} on {package}"
        );
    }
    let will_not_fix = findings
        .iter()
        .filter(|f| f.finding.fix_state == FixState::WillNotFix)
        .count();
    let not_fixed = findings
        .iter()
        .filter(|f| f.finding.fix_state == FixState::NotFixed)
        .count();
    assert!(
        will_not_fix > 50 && not_fixed > 50,
        "{will_not_fix} will not fix, {not_fixed} not fixed"
    );
    let count = |source: &str| {
        findings
            .iter()
            .filter(|f| f.finding.software.name == source)
            .count()
    };
    assert_eq!(
        (
            count("openssl"),
            count("glibc"),
            count("openssh"),
            count("golang-1.19")
        ),
        (2, 8, 9, 34)
    );
    assert!(findings
        .iter()
        .all(|f| f.finding.software.ecosystem.to_string() == "Debian:12"
            && ["ECOSYSTEM", "versions"].contains(&f.finding.evidence.range_kind.name())));
    // Fixed for bookworm in 3.0.14-1~deb12u1 (a backport): this machine's 3.0.19 is not affected.
    assert!(!findings
        .iter()
        .any(|f| &*f.finding.advisory_id == "CVE-2024-2511"));

    // The same machine a year earlier: openssl 3.0.11-1~deb12u2 has CVE-2024-2511, fixed by
    // the backport, not by upstream's 3.0.14 or 3.3.0.
    let older = status.replace("Version: 3.0.19-1~deb12u2", "Version: 3.0.11-1~deb12u2");
    let loaded = dpkg::load_device(&older, Some(&distro), "debian-12-host");
    let assessment = engine.assess(&loaded.fleet);
    let finding = assessment
        .findings
        .iter()
        .find(|f| &*f.finding.advisory_id == "CVE-2024-2511")
        .expect("CVE-2024-2511 on the older openssl");
    assert_eq!(finding.finding.software.version, "3.0.11-1~deb12u2");
    assert_eq!(finding.finding.fixed_versions[..], ["3.0.14-1~deb12u1"]);
    assert!(finding
        .finding
        .software
        .packages
        .contains(&"libssl3".to_owned()));
}

/// Ubuntu's OSV records (`Ubuntu:20.04:LTS` entries of source packages): a CVE record and
/// the USN that fixed it are two advisories, linked as related (the USN may fix several
/// CVEs), each matching an unpatched focal or jammy host and neither the patched one.
#[test]
fn ubuntu_hosts_against_ubuntu_osv_records() {
    let Some(archive) =
        common::shared("data/advisories-redhat-ubuntu/vunnel-ubuntu-osv-vex.tar.gz")
    else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(&archive).expect("readable");
    assert_eq!(report.records_skipped, 0, "{report}");
    let usn = kb.get("USN-5614-1").expect("USN");
    assert_eq!(usn.related, ["UBUNTU-CVE-2021-3782"]);
    let cve = kb.get("UBUNTU-CVE-2021-3782").expect("Ubuntu CVE record");
    assert_eq!(cve.related, ["USN-5614-1", "USN-5614-2", "CVE-2021-3782"]);
    assert!(cve
        .affected
        .iter()
        .any(|a| a.ecosystem.to_string() == "Ubuntu:Pro:16.04:LTS"));
    let fleet = exposure::inventory::load_text(
        r#"{"devices": [
          {"id": "focal", "software": [{"purl": "pkg:deb/ubuntu/wayland@1.18.0-1?arch=source&distro=ubuntu-20.04"}]},
          {"id": "focal-patched", "software": [{"purl": "pkg:deb/ubuntu/wayland@1.18.0-1ubuntu0.1?arch=source&distro=ubuntu-20.04"}]},
          {"id": "jammy", "software": [{"purl": "pkg:deb/ubuntu/wayland@1.20.0-1?arch=source&distro=ubuntu-22.04"}]}]}"#,
        "fleet", &exposure::inventory::LoadOptions::default()
    )
    .expect("fleet")
    .fleet;
    assert_eq!(
        fleet.devices[0].software[0].ecosystem.to_string(),
        "Ubuntu:20.04:LTS"
    );
    let assessment = Engine::new(kb).assess(&fleet);
    let found: Vec<(&str, &str, Option<&str>)> = assessment
        .findings
        .iter()
        .map(|f| {
            (
                &*f.finding.device_id,
                &*f.finding.advisory_id,
                f.finding.fix.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("focal", "UBUNTU-CVE-2021-3782", Some("1.18.0-1ubuntu0.1")),
            ("focal", "USN-5614-1", Some("1.18.0-1ubuntu0.1")),
            ("jammy", "UBUNTU-CVE-2021-3782", Some("1.20.0-1ubuntu0.1")),
            ("jammy", "USN-5614-1", Some("1.20.0-1ubuntu0.1")),
        ]
    );
}

/// Records of one vulnerability from different databases merge by their aliases: the Go
/// vulnerability database's GO-2023-2382 (aliases CVE-2023-39326) and the Debian tracker's
/// CVE-2023-39326 record become one advisory under the CVE id (whichever loaded first), each
/// fact keeping its source, and the Debian 12 machine's golang-1.19 gets one finding for it,
/// not two.
#[test]
fn records_of_one_vulnerability_merge_across_databases() {
    let (Some(inventory), Some(go), Some(debian)) = (
        common::shared("data/inventory-dpkg"),
        common::shared("data/osv-go/golang-vulndb-osv.tar.gz"),
        common::shared("data/debian-osv/debian-osv-cve-dpkg-status-sources.tar.gz"),
    ) else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    kb.load_path(&go).expect("Go");
    kb.load_path(&debian).expect("Debian");
    let merged = kb.get("CVE-2023-39326").expect("merged");
    assert_eq!(merged.id, "CVE-2023-39326");
    assert!(merged.aliases.contains(&"GO-2023-2382".to_owned()));
    assert_eq!(merged.sources.len(), 2, "{:?}", merged.sources);
    let ecosystems: Vec<String> = merged
        .affected
        .iter()
        .map(|a| a.ecosystem.to_string())
        .collect();
    assert!(ecosystems.contains(&"Go".to_owned()) && ecosystems.contains(&"Debian:12".to_owned()));
    assert!(merged
        .affected
        .iter()
        .all(|a| merged.sources.contains(&a.source)));
    assert_eq!(kb.get("GO-2023-2382").map(|a| &a.id), Some(&merged.id));

    let os_release = read_text(&inventory.join("os-release-this-machine")).expect("os-release");
    let distro = Distro::from_os_release(&os_release).expect("Debian 12");
    let status = read_text(&inventory.join("dpkg-status-this-machine")).expect("status");
    let fleet = dpkg::load_device(&status, Some(&distro), "debian-12-host").fleet;
    let assessment = Engine::new(kb).assess(&fleet);
    let on_go: Vec<&str> = assessment
        .findings
        .iter()
        .filter(|f| f.finding.software.name == "golang-1.19")
        .filter(|f| {
            &*f.finding.advisory_id == "CVE-2023-39326"
                || f.finding.aliases.contains(&"GO-2023-2382".to_owned())
        })
        .map(|f| &*f.finding.advisory_id)
        .collect();
    assert_eq!(on_go, ["CVE-2023-39326"]);

    // The other load order gives the same advisory id.
    let mut reversed = KnowledgeBase::new();
    reversed.load_path(&debian).expect("Debian");
    reversed.load_path(&go).expect("Go");
    assert_eq!(
        reversed.get("GO-2023-2382").map(|a| a.id.as_str()),
        Some("CVE-2023-39326")
    );
}

/// No false clean: the same Debian 12 machine given without its os-release. Its release is
/// detected from `base-files` and reported as detected, and the assessment finds what it
/// finds with the release given; with `base-files` gone and no other evidence, the packages
/// are reported as not assessed rather than clean.
#[test]
fn a_dpkg_host_without_its_release_is_detected_or_reported_unassessed() {
    let (Some(inventory), Some(osv)) = (
        common::shared("data/inventory-dpkg"),
        common::shared("data/debian-osv/debian-osv-cve-dpkg-status-sources.tar.gz"),
    ) else {
        return;
    };
    let status = read_text(&inventory.join("dpkg-status-this-machine")).expect("status");
    let detected = dpkg::load_device(&status, None, "debian-12-host");
    assert_eq!(detected.report.problem_count, 0, "{}", detected.report);
    assert_eq!(detected.report.notes.len(), 1);
    assert!(
        detected.report.notes[0]
            .starts_with("debian-12-host: release Debian:12 detected from base-files 12."),
        "{:?}",
        detected.report.notes
    );
    let mut kb = KnowledgeBase::new();
    common::load_osv_archive(&mut kb, &osv);
    let engine = Engine::new(kb);
    let assessment = engine.assess(&detected.fleet);
    assert_eq!(assessment.findings.len(), 289);
    assert!(assessment.unassessed.is_empty());

    // Without base-files, nothing names the release (Debian's own versions carry none).
    let without: String = status
        .split("\n\n")
        .filter(|stanza| !stanza.starts_with("Package: base-files\n"))
        .collect::<Vec<_>>()
        .join("\n\n");
    let unknown = dpkg::load_device(&without, None, "debian-12-host");
    assert!(unknown.report.notes.is_empty());
    let assessment = engine.assess(&unknown.fleet);
    assert!(assessment.findings.is_empty());
    assert_eq!(assessment.unassessed.len(), 1);
    assert_eq!(assessment.unassessed[0].packages, 408);
    assert!(assessment
        .headline()
        .contains("WARNING: 1 devices were not fully assessed"));
    let gate = assessment.gate(
        &exposure::filter::FailOn::Severity(exposure::score::cvss::Severity::Critical),
        &exposure::filter::FindingFilter::default(),
    );
    assert!(gate.failed() && gate.findings == 0 && gate.unassessed_devices == 1);
}
