//! Distro packages matched with distro data: the real dpkg status of a Debian 12 machine
//! against the Debian security tracker's OSV records (`Debian:12` entries, source packages).

mod common;

use exposure::input::read_text;
use exposure::inventory::{dpkg, Distro};
use exposure::kb::KnowledgeBase;
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
            && ["ECOSYSTEM", "versions"].contains(&f.finding.evidence.range_kind.as_str())));
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
