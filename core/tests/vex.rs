//! VEX statements from real OpenVEX (Ubuntu), CycloneDX VEX and CSAF VEX (Red Hat) files
//! suppress findings, and every suppression is reported with its statement.

mod common;

use exposure::kb::{KnowledgeBase, VexStatus};
use exposure::{inventory, Engine};
use std::io::Read;

fn member(archive: &std::path::Path, suffix: &str) -> String {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(archive).expect("opens"),
    ));
    for entry in tar.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        if entry
            .path()
            .expect("path")
            .display()
            .to_string()
            .ends_with(suffix)
        {
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("UTF-8");
            return text;
        }
    }
    panic!("{suffix} not in {}", archive.display());
}

fn osv(id: &str, aliases: &[&str], ecosystem: &str, name: &str, fixed: &str) -> String {
    format!(
        r#"{{"id": "{id}", "aliases": {aliases:?}, "affected": [{{"package": {{"ecosystem": "{ecosystem}", "name": "{name}"}},
            "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "{fixed}"}}]}}]}}]}}"#
    )
}

#[test]
fn ubuntu_openvex_fixed_statement_suppresses_the_exact_version() {
    let Some(archive) =
        common::shared("data/advisories-redhat-ubuntu/vunnel-ubuntu-osv-vex.tar.gz")
    else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text(
        &member(&archive, "vex/cve/2023/CVE-2023-38545.json"),
        "CVE-2023-38545.openvex.json",
    );
    assert_eq!(
        (report.records_read, report.records_loaded),
        (3, 3),
        "{report}"
    );
    assert_eq!(kb.vex().about("CVE-2023-38545").len(), 149 + 113 + 356);
    // A feed that still lists the jammy package as affected below a later version.
    kb.load_text(
        &osv(
            "CVE-2023-38545",
            &[],
            "Ubuntu:22.04:LTS",
            "curl",
            "7.81.0-1ubuntu1.25",
        ),
        "feed.json",
    );
    let fleet = inventory::load_text(
        r#"{"devices": [
            {"id": "jammy-fixed", "software": [{"purl": "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.24?arch=source&distro=ubuntu-22.04"}]},
            {"id": "jammy-older", "software": [{"purl": "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.13?arch=source&distro=ubuntu-22.04"}]}]}"#,
        "fleet", &exposure::inventory::LoadOptions::default()
    )
    .expect("fleet")
    .fleet;
    let assessment = Engine::new(kb).assess(&fleet);
    assert_eq!(assessment.findings.len(), 1);
    assert_eq!(&*assessment.findings[0].finding.device_id, "jammy-older");
    let [suppression] = assessment.suppressed.as_slice() else {
        panic!("one suppression expected: {:?}", assessment.suppressed);
    };
    assert_eq!(&*suppression.finding.device_id, "jammy-fixed");
    assert_eq!(
        suppression.statement.as_ref().unwrap().status,
        VexStatus::Fixed
    );
    assert_eq!(
        suppression.statement.as_ref().unwrap().author.as_deref(),
        Some("Canonical Ltd.")
    );
}

#[test]
fn cyclonedx_vex_not_affected_applies_through_an_alias() {
    let Some(archive) = common::shared("data/sbom-cyclonedx/cyclonedx-vex-examples.tar.gz") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text(&member(&archive, "VEX/vex.json"), "vex.json");
    assert_eq!(report.records_skipped, 0, "{report}");
    kb.load_text(
        &osv(
            "GHSA-288c-cq4h-88gq",
            &["CVE-2020-25649"],
            "Maven",
            "com.fasterxml.jackson.core:jackson-databind",
            "2.10.5.1",
        ),
        "ghsa.json",
    );
    let fleet = inventory::load_text(
        r#"{"devices": [{"id": "app", "software": [
            {"purl": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"}]}]}"#,
        "fleet",
        &exposure::inventory::LoadOptions::default(),
    )
    .expect("fleet")
    .fleet;
    let assessment = Engine::new(kb).assess(&fleet);
    assert!(assessment.findings.is_empty());
    let statement = assessment.suppressed[0].statement.as_ref().unwrap();
    assert_eq!(
        (statement.status, statement.justification.as_deref()),
        (VexStatus::NotAffected, Some("code_not_reachable"))
    );
}

#[test]
fn red_hat_csaf_vex_applies_per_platform() {
    let Some(file) =
        common::shared("data/advisories-redhat-ubuntu/claircore-rhel-vex-cve-2023-38545.json.gz")
    else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(&file).expect("readable");
    assert_eq!(
        (report.records_read, report.records_loaded),
        (1, 1),
        "{report}"
    );
    assert_eq!(report.problem_count, 0, "{:?}", report.problems);
    assert_eq!(kb.vex().about("CVE-2023-38545").len(), 325 + 247);
    kb.load_text(
        &osv(
            "CVE-2023-38545",
            &[],
            "Red Hat",
            "curl",
            "0:7.76.1-26.el9_3.2",
        ),
        "feed.json",
    );
    let fleet = inventory::load_text(
        r#"{"devices": [
            {"id": "rhel7", "software": [{"cpe": "cpe:/o:redhat:enterprise_linux:7", "name": "RHEL", "version": "7"},
                                         {"purl": "pkg:rpm/redhat/curl@7.29.0-59.el7?arch=x86_64"}]},
            {"id": "rhel9.0-eus", "software": [{"cpe": "cpe:/o:redhat:rhel_eus:9.0::baseos", "name": "RHEL", "version": "9.0"},
                                               {"purl": "pkg:rpm/redhat/curl@7.76.1-14.el9_0.9?arch=x86_64"}]},
            {"id": "unknown-os", "software": [{"purl": "pkg:rpm/redhat/curl@7.29.0-59.el7?arch=x86_64"}]}]}"#,
        "fleet", &exposure::inventory::LoadOptions::default()
    )
    .expect("fleet")
    .fleet;
    let assessment = Engine::new(kb).assess(&fleet);
    let kept: Vec<&str> = assessment
        .findings
        .iter()
        .map(|f| &*f.finding.device_id)
        .collect();
    assert_eq!(
        kept,
        ["unknown-os"],
        "without its platform, a platform statement cannot apply"
    );
    let suppressed: Vec<(&str, VexStatus)> = assessment
        .suppressed
        .iter()
        .map(|s| (&*s.finding.device_id, s.statement.as_ref().unwrap().status))
        .collect();
    assert_eq!(
        suppressed,
        [
            ("rhel7", VexStatus::NotAffected),
            ("rhel9.0-eus", VexStatus::Fixed)
        ]
    );
    assert_eq!(
        assessment.suppressed[0]
            .statement
            .as_ref()
            .unwrap()
            .justification
            .as_deref(),
        Some("vulnerable_code_not_present")
    );
}

/// Red Hat's CSAF security advisories state what each CVE affects: an RHEL 9 host from
/// `rpm -qa` is matched against the fixed versions of every stream.
#[test]
fn red_hat_csaf_advisories_match_rpm_packages() {
    let Some(archive) =
        common::shared("data/advisories-redhat-ubuntu/vunnel-rhel-csaf-advisories.tar.gz")
    else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(&archive).expect("readable");
    assert_eq!(report.records_skipped, 0, "{report}");
    let sudo = kb.get("CVE-2023-28486").expect("from RHSA-2024:0811");
    assert!(sudo.aliases.is_empty());
    assert_eq!(
        sudo.related,
        ["RHSA-2024:0811"],
        "the RHSA fixes several CVEs: related, not an alias"
    );
    assert!(sudo.affected.iter().any(|a| a.name == "sudo"));
    let loaded = inventory::load_text(
        "sudo-1.9.5p2-9.el9.x86_64\nbash-5.1.8-6.el9_1.x86_64\n",
        "rhel9-host",
        &inventory::LoadOptions::default(),
    )
    .expect("rpm -qa");
    let patched = inventory::load_text(
        "sudo-1.9.5p2-10.el9_3.x86_64\n",
        "patched",
        &inventory::LoadOptions::default(),
    )
    .expect("rpm -qa");
    let mut fleet = loaded.fleet;
    fleet.extend(patched.fleet);
    let assessment = Engine::new(kb).assess(&fleet);
    let ids: Vec<(&str, &str)> = assessment
        .findings
        .iter()
        .map(|f| (&*f.finding.device_id, &*f.finding.advisory_id))
        .collect();
    assert_eq!(
        ids,
        [
            ("rhel9-host", "CVE-2023-28486"),
            ("rhel9-host", "CVE-2023-28487"),
            ("rhel9-host", "CVE-2023-42465")
        ]
    );
    let first = &assessment.findings[0].finding;
    assert_eq!(first.fix.as_deref(), Some("0:1.9.5p2-9.el9_2.2"));
    assert_eq!(first.software.name, "sudo");
}
