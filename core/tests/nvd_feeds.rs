//! NVD feeds loaded as streams: the JSON 1.1 yearly, modified and recent feeds and the API 2.0
//! responses in `../shared/data/nvd`.

mod common;

use exposure::cpe::Cpe;
use exposure::kb::KnowledgeBase;

#[test]
fn json_1_1_feeds_load_every_record() {
    let Some(dir) = common::shared("data/nvd/json-1.1") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let started = std::time::Instant::now();
    let report = kb
        .load_path(&dir.join("nvdcve-1.1-2017.json.gz"))
        .expect("readable");
    eprintln!("2017 feed: {report} in {:?}", started.elapsed());
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.records_skipped
        ),
        (17_014, 17_014, 0),
        "{report}"
    );
    assert_eq!(report.problem_count, 0, "{:?}", report.problems);
    // 6,168 CVEs of 2017 carry version ranges; more carry configurations at all.
    assert!(
        kb.applicability_len() > 14_000,
        "{}",
        kb.applicability_len()
    );

    let modified = kb
        .load_path(&dir.join("nvdcve-1.1-modified.json.gz"))
        .expect("readable");
    assert_eq!(
        (modified.records_read, modified.records_skipped),
        (2146, 0),
        "{modified}"
    );
    let recent = kb
        .load_path(&dir.join("nvdcve-1.1-recent.json.gz"))
        .expect("readable");
    assert_eq!(
        (recent.records_read, recent.records_skipped),
        (762, 0),
        "{recent}"
    );

    // CVE-2017-0144 (EternalBlue): Windows SMBv1, scored by NVD in v2 and v3.
    let eternal_blue = kb.get("CVE-2017-0144").expect("in the 2017 feed");
    assert!(eternal_blue
        .severity
        .iter()
        .any(|s| s.kind == "CVSS_V3" && s.score.starts_with("CVSS:3.")));
    assert!(eternal_blue.severity.iter().any(|s| s.kind == "CVSS_V2"));
    // NVD says NVD-CWE-noinfo, which names no weakness.
    assert!(eternal_blue.cwes.is_empty());
    let statement = kb.applicability("CVE-2017-0144").expect("configurations");
    // A "running on" configuration: SMB 1.0 (vulnerable) AND one of the Windows releases.
    let cpes =
        |names: &[&str]| -> Vec<Cpe> { names.iter().map(|n| n.parse().expect("cpe")).collect() };
    let smb = "cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*";
    let windows_7 = "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*";
    let device = cpes(&[windows_7, smb]);
    let matched = statement.evaluate(&device).expect("SMBv1 on Windows 7");
    assert!(matched
        .iter()
        .any(|m| m.criterion.vulnerable && m.criterion.text == smb));
    assert!(matched
        .iter()
        .any(|m| !m.criterion.vulnerable && m.criterion.text == windows_7));
    assert!(
        statement.evaluate(&cpes(&[windows_7])).is_none(),
        "no SMBv1, no finding"
    );
    assert!(statement
        .evaluate(&cpes(&[
            smb,
            "cpe:2.3:o:microsoft:windows_11:-:*:*:*:*:*:*:*"
        ]))
        .is_none());
    assert!(kb
        .affecting_product("Microsoft", "server_message_block")
        .any(|(a, _)| a.id == "CVE-2017-0144"));
}

#[test]
fn api_2_0_responses_load_with_scores_of_every_version() {
    let Some(dir) = common::shared("data/nvd/api-2.0-samples") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let mut files = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect::<Vec<_>>();
    files.sort();
    let mut read = 0;
    for file in &files {
        let report = kb.load_path(file).expect("readable");
        assert_eq!(report.records_skipped, 0, "{}: {report}", file.display());
        read += report.records_read;
    }
    assert_eq!(files.len(), 25);
    // 74 distinct CVEs; a few appear in more than one response and merge.
    assert_eq!(kb.len(), 74, "{read} records read");
    let webp = kb.get("CVE-2023-4863").expect("libwebp");
    assert_eq!(webp.cwes, ["CWE-787"]);
    let primary = &webp.severity[0];
    assert_eq!(
        (primary.kind.as_str(), primary.issuer.as_deref()),
        ("CVSS_V3", Some("nvd@nist.gov"))
    );
    // NVD copies CISA's KEV listing into the record.
    let kev = kb
        .threat()
        .kev("CVE-2023-4863")
        .expect("KEV facts from NVD");
    assert_eq!(kev.date_added, "2023-09-13");
    let chrome: Vec<Cpe> = vec!["cpe:2.3:a:google:chrome:116.0.5845.186:*:*:*:*:*:*:*"
        .parse()
        .expect("cpe")];
    assert!(kb
        .applicability("CVE-2023-4863")
        .expect("configurations")
        .evaluate(&chrome)
        .is_some());
    let fixed_chrome: Vec<Cpe> = vec!["cpe:2.3:a:google:chrome:116.0.5845.187:*:*:*:*:*:*:*"
        .parse()
        .expect("cpe")];
    assert!(kb
        .applicability("CVE-2023-4863")
        .expect("configurations")
        .evaluate(&fixed_chrome)
        .is_none());
}

#[test]
fn a_truncated_feed_keeps_what_came_before_and_says_so() {
    let text = r#"{"CVE_data_type": "CVE", "CVE_Items": [
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0001"}, "description": {"description_data": [{"lang": "en", "value": "One. Two."}]}}},
        {"cve": {"CVE_data_meta": {}}},
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0003"}}, "configurations": {"nodes": [{"operator": "OR",
          "cpe_match": [{"vulnerable": true, "cpe23Uri": "not a cpe"}]}]}},
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-00"#;
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text_as(exposure::kb::Format::Nvd, text, "cut.json");
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.records_skipped
        ),
        (3, 2, 1),
        "{report}"
    );
    assert_eq!(
        kb.get("CVE-2017-0001").and_then(|a| a.summary.as_deref()),
        Some("One.")
    );
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 3, "{shown:#?}");
    assert_eq!(
        shown[0],
        "cut.json: record #2: cve.CVE_data_meta.ID: is missing (skipped)"
    );
    assert!(
        shown[1].starts_with("cut.json: record CVE-2017-0003: configurations: "),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].starts_with("cut.json: not an NVD feed or response: EOF"),
        "{}",
        shown[2]
    );
}

/// Vendor software named by CPE in a fleet is matched against NVD configurations, with the
/// platform it runs on taken from the device's other names.
#[test]
fn fleet_software_named_by_cpe_is_matched_with_evidence() {
    use exposure::matching::{Confidence, FixState};
    use exposure::{inventory, Engine};
    let (Some(api), Some(feeds)) = (
        common::shared("data/nvd/api-2.0-samples"),
        common::shared("data/nvd/json-1.1"),
    ) else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    kb.load_path(&api.join("CVE-2023-4863.json"))
        .expect("readable");
    kb.load_path(&feeds.join("nvdcve-1.1-2017.json.gz"))
        .expect("readable");
    let fleet = inventory::load_text(
        r#"{"devices": [
            {"id": "win7", "software": [
                {"cpe": "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*", "name": "Windows 7 SP1", "version": "6.1"},
                {"cpe": "cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*"},
                {"cpe": "cpe:2.3:a:google:chrome:116.0.5845.96:*:*:*:*:*:*:*", "name": "Google Chrome"}]},
            {"id": "patched", "software": [
                {"cpe": "cpe:2.3:a:google:chrome:116.0.5845.187:*:*:*:*:*:*:*"},
                {"purl": "pkg:npm/lodash@4.17.15", "cpe": "cpe:2.3:a:lodash:lodash:4.17.15:*:*:*:*:node.js:*:*"}]}
        ]}"#,
        "fleet", &exposure::inventory::LoadOptions::default()
    )
    .expect("fleet")
    .fleet;
    let assessment = Engine::new(kb).assess(&fleet);
    let on = |device: &str, id: &str| {
        assessment
            .findings
            .iter()
            .find(|f| &*f.finding.device_id == device && &*f.finding.advisory_id == id)
    };
    let webp = on("win7", "CVE-2023-4863").expect("Chrome 116.0.5845.96 has CVE-2023-4863");
    assert_eq!(webp.finding.software.name, "Google Chrome");
    assert_eq!(webp.finding.evidence.matcher.name(), "nvd-cpe");
    assert_eq!(
        webp.finding.evidence.confidence,
        Confidence::CpeVersionRange
    );
    assert_eq!(webp.finding.fix.as_deref(), Some("116.0.5845.187"));
    assert_eq!(webp.finding.fix_state, FixState::Fixed);
    assert!(
        webp.threat.known_exploited.is_some(),
        "NVD's record carries CISA's KEV date"
    );
    let smb = on("win7", "CVE-2017-0144").expect("SMBv1 on Windows 7 has EternalBlue");
    assert_eq!(smb.finding.software.name, "microsoft server_message_block");
    assert!(
        smb.finding
            .evidence
            .platform
            .iter()
            .any(|p| p.contains("windows_7")),
        "{:?}",
        smb.finding.evidence
    );
    assert!(
        on("patched", "CVE-2023-4863").is_none(),
        "116.0.5845.187 is the fix"
    );
    // A package (npm) is matched by package advisories only, never by CPE.
    assert!(assessment
        .findings
        .iter()
        .all(|f| &*f.finding.device_id != "patched"));
}

/// A real Windows XP machine's Uninstall keys (UTF-16LE registry export) as an inventory:
/// programs become Windows software with guessed CPE names, matched against NVD's 2017 feed.
#[test]
fn windows_registry_export_against_the_2017_feed() {
    use exposure::{inventory, Engine};
    use std::io::Read;
    let (Some(archive), Some(feeds), Some(dictionary)) = (
        common::shared("data/inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz"),
        common::shared("data/nvd/json-1.1"),
        common::shared("data/nvd/cpe-dictionary/official-cpe-dictionary_v2.3-2015.xml.gz"),
    ) else {
        return;
    };
    let dictionary =
        exposure::cpe::Dictionary::from_xml(exposure::files::open(&dictionary).expect("opens"))
            .expect("dictionary");
    let normalizer = exposure::cpe::Normalizer::with_default_rules().with_dictionary(&dictionary);
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(archive).expect("opens"),
    ));
    let mut bytes = Vec::new();
    for entry in tar.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        if entry.path().expect("path").ends_with("xp-Uninstall.reg") {
            entry.read_to_end(&mut bytes).expect("readable");
        }
    }
    let text = exposure::files::decode_text(bytes).expect("UTF-16LE with a BOM");
    let without = inventory::load_text(&text, "xp-machine", &inventory::LoadOptions::default())
        .expect("export");
    let by_rules = without.fleet.devices[0]
        .software
        .iter()
        .filter(|s| s.cpe.is_some())
        .count();
    let options = inventory::LoadOptions {
        normalizer: Some(&normalizer),
        ..Default::default()
    };
    let loaded = inventory::load_text(&text, "xp-machine", &options).expect("export");
    let software = &loaded.fleet.devices[0].software;
    // 419 keys have a DisplayName, one of them empty (no program); 334 have a DisplayVersion
    // and 63 more carry a version in their name (`GPL Ghostscript 8.54`).
    assert_eq!(
        (loaded.report.records_read, loaded.report.records_loaded),
        (418, 397),
        "{}",
        loaded.report
    );
    let named = software.iter().filter(|s| s.cpe.is_some()).count();
    eprintln!(
        "{named} of {} programs have a CPE name ({by_rules} by the alias rules alone)",
        software.len()
    );
    assert!(named >= 20 && by_rules >= 3, "{named}, {by_rules}");

    let mut kb = KnowledgeBase::new();
    kb.load_path(&feeds.join("nvdcve-1.1-2017.json.gz"))
        .expect("readable");
    let assessment = Engine::new(kb).assess(&loaded.fleet);
    let mut products: Vec<&str> = assessment
        .findings
        .iter()
        .map(|f| f.finding.software.name.as_str())
        .collect();
    products.dedup();
    eprintln!("{} findings on {:?}", assessment.findings.len(), products);
    assert!(assessment
        .findings
        .iter()
        .all(|f| f.finding.evidence.matcher.name() == "nvd-cpe"));
    let find = |id: &str| {
        assessment
            .findings
            .iter()
            .find(|f| &*f.finding.advisory_id == id)
            .expect(id)
    };
    let firefox = find("CVE-2017-5391");
    assert_eq!(
        firefox.finding.software.name,
        "Mozilla Firefox 10.0.2 (x86 en-US)"
    );
    assert_eq!(
        (
            firefox.finding.evidence.range.as_deref(),
            firefox.finding.fix.as_deref()
        ),
        (Some("<51.0"), Some("51.0"))
    );
    assert_eq!(
        firefox.finding.fix_state,
        exposure::matching::FixState::Fixed
    );
    let shockwave = find("CVE-2017-2983");
    assert_eq!(
        shockwave.finding.evidence.range.as_deref(),
        Some("<=12.2.7.197")
    );
    assert_eq!(
        shockwave.finding.fix_state,
        exposure::matching::FixState::Unknown,
        "an including bound names no fix"
    );
}
