//! The vendors' own advisory databases on real data (`../shared/data`): the Node.js security
//! working group's records, RubySec's YAML and Mozilla's MFSA YAML. Every well-formed record
//! loads (each problem left is a part of a record the engine cannot match, named with its
//! reason), and the juice-shop SBOM and a Windows export are matched by them.

mod common;

use exposure::inventory::{self, Fleet, LoadOptions};
use exposure::kb::{KnowledgeBase, LoadReport};
use exposure::Engine;

const NODEJS: &str = "data/advisories-nodejs/nodejs-security-wg-vuln.tar.gz";
const RUBYSEC: &str = "data/advisories-rubysec/ruby-advisory-db.tar.gz";
const MOZILLA: &str = "data/advisories-mozilla/mfsa-announce.tar.gz";

fn load(kb: &mut KnowledgeBase, relative: &str) -> Option<LoadReport> {
    let path = common::shared(relative)?;
    let report = kb.load_path(&path).expect(relative);
    eprintln!(
        "{relative}: {} files, {} records read, {} loaded, {} skipped, {} problems",
        report.files,
        report.records_read,
        report.records_loaded,
        report.records_skipped,
        report.problem_count
    );
    Some(report)
}

fn juice_shop() -> Option<Fleet> {
    let sbom = common::shared("data/sbom-cyclonedx/juice-shop__v11.1.2__bom.json.gz")?;
    Some(
        inventory::load_path(&sbom, &LoadOptions::default())
            .expect("juice-shop SBOM")
            .fleet,
    )
}

#[test]
fn nodejs_records_all_load_and_match_the_juice_shop_sbom() {
    let mut kb = KnowledgeBase::new();
    let (Some(report), Some(fleet)) = (load(&mut kb, NODEJS), juice_shop()) else {
        return;
    };
    // 644 records in 644 files (467 npm, 171 core, 6 deps), and again in the three
    // directories' index.json files (merged into the same advisories by id).
    assert_eq!(report.files, 647);
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.records_skipped
        ),
        (1288, 1288, 0)
    );
    assert!(report.problems.is_empty(), "{report}");
    assert!(kb.get("NSWG-ECO-1").is_some() && kb.get("CVE-2014-7205").is_some());
    assert_eq!(
        kb.vex().about("CVE-2023-45853").len(),
        2,
        "deps/1.json and deps/index.json"
    );
    assert!(
        kb.applicability("CVE-2017-1000381").is_some(),
        "a core record, by CPE"
    );

    let assessment = Engine::new(kb).assess(&fleet);
    let mut advisories: Vec<&str> = assessment
        .findings
        .iter()
        .map(|f| &*f.finding.advisory_id)
        .collect();
    advisories.sort_unstable();
    advisories.dedup();
    eprintln!(
        "juice-shop: {} findings of {} Node.js advisories",
        assessment.findings.len(),
        advisories.len()
    );
    // 56 advisories name juice-shop's packages; these 8 affect the versions it has (lodash
    // 2.4.2 twice, jsonwebtoken 0.1.0 and 0.4.0, sanitize-html 1.4.2 twice, base64url 0.0.6,
    // moment 2.0.0, jws 0.2.6): 9 findings. Five of them are known by their CVE: the working
    // group published two records of each (NSWG-ECO-135 and another of CVE-2016-1000237, …),
    // and records of one vulnerability merge under its sole CVE id.
    assert_eq!(
        advisories,
        [
            "CVE-2016-1000223",
            "CVE-2016-1000237",
            "CVE-2016-4055",
            "CVE-2018-16487",
            "CVE-2018-3721",
            "NSWG-ECO-154",
            "NSWG-ECO-17",
            "NSWG-ECO-428"
        ]
    );
    let sanitize = assessment
        .findings
        .iter()
        .find(|f| &*f.finding.advisory_id == "CVE-2016-1000237")
        .expect("sanitize-html 1.4.2");
    assert!(sanitize
        .finding
        .aliases
        .contains(&"NSWG-ECO-135".to_owned()));
    assert_eq!(assessment.findings.len(), 9);
    let jwt = assessment
        .findings
        .iter()
        .find(|f| {
            f.finding.software.name == "jsonwebtoken" && f.finding.software.version == "0.4.0"
        })
        .expect("jsonwebtoken 0.4.0 is affected");
    assert_eq!(jwt.finding.fix.as_deref(), Some("4.2.2"));
    assert_eq!(&*jwt.finding.advisory_id, "NSWG-ECO-17");
    assert_eq!(jwt.finding.summary.as_deref(), Some("Verification Bypass"));
    assert!(jwt.finding.evidence.source.contains("vuln/npm/"));
}

#[test]
fn rubysec_records_all_load() {
    let mut kb = KnowledgeBase::new();
    let Some(report) = load(&mut kb, RUBYSEC) else {
        return;
    };
    assert_eq!(report.files, 1381);
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.records_skipped
        ),
        (1381, 1381, 0)
    );
    // Left: 13 ranges starting just above a version (no OSV event says so: they start at
    // it) and 3 records of mruby/c, which has no CPE known here.
    let widened = report
        .problems
        .iter()
        .filter(|p| p.message.contains("just above"))
        .count();
    let no_cpe = report
        .problems
        .iter()
        .filter(|p| p.message.contains("mrubyc"))
        .count();
    assert_eq!(
        (widened, no_cpe, report.problems.len()),
        (13, 3, 16),
        "{report}"
    );

    // rack 2.0.5 is affected by CVE-2018-16470 (patched 2.0.6, unaffected <= 2.0.3).
    let rack = exposure::inventory::load_text(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [
            {"type": "library", "name": "rack", "version": "2.0.5", "purl": "pkg:gem/rack@2.0.5"},
            {"type": "library", "name": "rack", "version": "2.0.2", "purl": "pkg:gem/rack@2.0.2"}]}"#,
        "gems",
        &LoadOptions::default(),
    )
    .expect("an SBOM");
    let assessment = Engine::new(kb).assess(&rack.fleet);
    let found = |version: &str| {
        assessment.findings.iter().any(|f| {
            &*f.finding.advisory_id == "CVE-2018-16470" && f.finding.software.version == version
        })
    };
    assert!(found("2.0.5") && !found("2.0.2"));
}

#[test]
fn mozilla_advisories_all_load_and_match_firefox_on_windows() {
    let mut kb = KnowledgeBase::new();
    let (Some(report), Some(archive)) = (
        load(&mut kb, MOZILLA),
        common::shared("data/inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz"),
    ) else {
        return;
    };
    // The 569 YAML advisories (2016 on); the Markdown pages before are not read.
    assert_eq!(report.files, 569);
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.records_skipped
        ),
        (569, 569, 0)
    );
    // Left: 64 products without a CPE here (Firefox for iOS and Android, Focus, Mozilla VPN,
    // Hubs); every Firefox, Firefox ESR and Thunderbird fix is stated.
    assert_eq!(report.problems.len(), 64, "{report}");
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.message.contains("no CPE is known")
                && !p.message.contains("\"Firefox ESR")
                && !p.message.contains("\"Thunderbird")),
        "{report}"
    );
    let cve = kb.get("CVE-2024-0741").expect("MFSA2024-01");
    assert_eq!(cve.severity_label.as_deref(), Some("HIGH"));
    assert!(cve.related.iter().any(|r| r == "MFSA2024-01"));

    // A Linux host with Firefox ESR 115.6 (named by CPE, as a program list names it) and one
    // on the next ESR branch: the fix of 115.7 concerns only the first.
    let linux = inventory::load_text(
        r#"{"devices": [
            {"id": "esr-115", "conditions": ["cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"], "software": [
              {"name": "firefox-esr", "version": "115.6.0", "cpe": "cpe:2.3:a:mozilla:firefox_esr:115.6.0:*:*:*:*:*:*:*"}]},
            {"id": "esr-128", "conditions": ["cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*"], "software": [
              {"name": "firefox-esr", "version": "128.1.0", "cpe": "cpe:2.3:a:mozilla:firefox_esr:128.1.0:*:*:*:*:*:*:*"}]}]}"#,
        "linux",
        &LoadOptions::default(),
    )
    .expect("a fleet document");
    let on_linux = Engine::new(kb.clone()).assess(&linux.fleet);
    let affected = |device: &str| {
        on_linux
            .findings
            .iter()
            .any(|f| &*f.finding.advisory_id == "CVE-2024-0741" && &*f.finding.device_id == device)
    };
    assert!(affected("esr-115") && !affected("esr-128"));

    let export = common::registry_export(&archive, "xp-Uninstall.reg");
    let loaded =
        inventory::load_text(&export, "xp-machine", &LoadOptions::default()).expect("export");
    // Vendors' statements stay vendors' through a snapshot: NVD's, loaded later, would
    // replace them, and their findings name the vendor-cpe matcher.
    let kb = KnowledgeBase::from_snapshot(&kb.to_snapshot()).expect("a snapshot round trip");
    let assessment = Engine::new(kb).assess(&loaded.fleet);
    let firefox: Vec<_> = assessment
        .findings
        .iter()
        .filter(|f| f.finding.software.name == "Mozilla Firefox 10.0.2 (x86 en-US)")
        .collect();
    eprintln!(
        "Firefox 10.0.2 on Windows XP: {} MFSA findings",
        firefox.len()
    );
    let angle = firefox
        .iter()
        .find(|f| &*f.finding.advisory_id == "CVE-2024-0741")
        .expect("Firefox 10.0.2 is affected by CVE-2024-0741");
    assert_eq!(angle.finding.fix.as_deref(), Some("122"));
    assert!(angle.finding.evidence.source.contains("mfsa2024-01.yml"));
    assert!(firefox
        .iter()
        .all(|f| f.finding.evidence.matcher == exposure::matching::Matcher::VendorCpe));
}
