//! CISA KEV and EPSS loaded from the real files in `../shared/data`.

mod common;

use exposure::files::read_text;
use exposure::kb::ThreatIntel;

#[test]
fn kev_json_and_csv_carry_the_same_catalog() {
    let Some(dir) = common::shared("data/cisa-kev") else {
        return;
    };
    let mut from_json = ThreatIntel::new();
    let json = read_text(&dir.join("known_exploited_vulnerabilities.json")).expect("readable");
    let report = from_json.load_text(&json, "kev.json");
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.problem_count
        ),
        (1404, 1404, 0),
        "{report}"
    );
    assert_eq!(from_json.kev_catalog_version(), Some("2025.08.25"));

    let mut from_csv = ThreatIntel::new();
    let csv = read_text(&dir.join("known_exploited_vulnerabilities.csv")).expect("readable");
    let report = from_csv.load_text(&csv, "kev.csv");
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.problem_count
        ),
        (1404, 1404, 0),
        "{report}"
    );

    let log4shell = from_json
        .kev("CVE-2021-44228")
        .expect("Log4Shell is in KEV");
    assert_eq!(
        (
            log4shell.vendor_project.as_str(),
            log4shell.date_added.as_str()
        ),
        ("Apache", "2021-12-10")
    );
    assert!(log4shell.known_ransomware_use);
    // Every field of every entry agrees between the two files.
    let mut differ = Vec::new();
    for entry in from_json.kev_entries() {
        if from_csv.kev(&entry.cve_id) != Some(entry) {
            differ.push(entry.cve_id.as_str());
        }
    }
    assert!(
        differ.is_empty(),
        "{} entries differ between JSON and CSV: {:?}",
        differ.len(),
        &differ[..differ.len().min(10)]
    );
    let ransomware = from_json
        .kev_entries()
        .filter(|e| e.known_ransomware_use)
        .count();
    assert!(
        (200..1404).contains(&ransomware),
        "{ransomware} with known ransomware use"
    );
}

#[test]
fn epss_first_csv_and_a_full_day_in_json() {
    let Some(dir) = common::shared("data/epss") else {
        return;
    };
    let mut intel = ThreatIntel::new();
    let csv = read_text(&dir.join("format-sample-5-rows.csv")).expect("readable");
    let report = intel.load_text(&csv, "sample.csv");
    assert_eq!(
        (report.records_loaded, report.problem_count),
        (5, 0),
        "{report}"
    );
    assert_eq!(intel.epss_model_version(), Some("v2023.03.01"));
    let score = intel.epss("CVE-1999-0005").expect("row 5");
    assert_eq!(
        (score.probability, score.percentile),
        (0.91963, Some(0.99214))
    );

    let json = read_text(&dir.join("vuls-data-raw-epss-2021-08-31.json.gz")).expect("gunzipped");
    let report = intel.load_text(&json, "2021-08-31.json.gz");
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.problem_count
        ),
        (72_272, 72_272, 0),
        "{report}"
    );
    assert_eq!(intel.epss_score_date(), Some("2021-08-31T00:00:00+0000"));
    let score = intel.epss("CVE-2019-19609").expect("first row");
    assert_eq!((score.probability, score.percentile), (0.05885, None));
}

/// A finding carries the KEV listing and the EPSS score of its advisory's CVE alias.
#[test]
fn findings_carry_kev_and_epss_of_their_cve_aliases() {
    use exposure::kb::KnowledgeBase;
    use exposure::{inventory, Engine};
    let mut kb = KnowledgeBase::new();
    let osv = r#"{"id": "GHSA-jfh8-c2jp-5v3q", "aliases": ["CVE-2021-44228"], "affected": [{
        "package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0-beta9"}, {"fixed": "2.15.0"}]}]}]}"#;
    assert_eq!(kb.load_text(osv, "inline").records_loaded, 1);
    let kev = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
               CVE-2021-44228,Apache,Log4j2,Log4Shell,2021-12-10,d,a,2021-12-24,Known,,CWE-917\n";
    assert_eq!(kb.threat_mut().load_text(kev, "kev.csv").records_loaded, 1);
    let epss = "cve,epss,percentile\nCVE-2021-44228,0.94358,0.99967\n";
    assert_eq!(
        kb.threat_mut().load_text(epss, "epss.csv").records_loaded,
        1
    );
    let fleet = inventory::load_text(
        r#"{"devices": [{"id": "app-01", "software": [
            {"purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}]}"#,
        "fleet",
        &exposure::inventory::LoadOptions::default(),
    )
    .expect("fleet")
    .fleet;
    let assessment = Engine::new(kb).assess(&fleet);
    let [finding] = assessment.findings.as_slice() else {
        panic!("one finding expected, got {}", assessment.findings.len());
    };
    let kev = finding.threat.known_exploited.as_ref().expect("in KEV");
    assert_eq!(
        (
            kev.cve_id.as_str(),
            kev.due_date.as_str(),
            kev.known_ransomware_use
        ),
        ("CVE-2021-44228", "2021-12-24", true)
    );
    let (cve, score) = finding.threat.epss.as_ref().expect("EPSS");
    assert_eq!(
        (cve.as_str(), score.probability),
        ("CVE-2021-44228", 0.94358)
    );
}
