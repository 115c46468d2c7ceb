//! CVE JSON 5 records from `../shared/data/cve5`: loaded, merged with NVD, and matched by the
//! CNA's affected versions only where NVD gives no configuration.

mod common;

use exposure::kb::KnowledgeBase;
use exposure::{inventory, Engine};

fn device(cpe: &str) -> inventory::Fleet {
    inventory::load_text(
        &format!(r#"{{"devices": [{{"id": "d", "software": [{{"cpe": "{cpe}"}}]}}]}}"#),
        "fleet",
        &exposure::inventory::LoadOptions::default(),
    )
    .expect("fleet")
    .fleet
}

#[test]
fn cve5_records_load_and_cna_versions_match_until_nvd_speaks() {
    let (Some(dir), Some(nvd)) = (
        common::shared("data/cve5"),
        common::shared("data/nvd/api-2.0-samples"),
    ) else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(&dir).expect("readable");
    // 23 files, 22 CVEs (CVE-2024-3094 twice).
    assert_eq!(
        (report.files, report.records_read, report.records_skipped),
        (23, 23, 0),
        "{report}"
    );
    assert_eq!(kb.len(), 22);
    let urllib3 = kb.get("CVE-2023-45803").expect("loaded");
    assert_eq!(urllib3.cwes, ["CWE-200"]);
    assert_eq!(urllib3.severity[0].issuer.as_deref(), Some("GitHub_M"));
    assert!(urllib3.severity[0]
        .score
        .starts_with("CVSS:3.1/AV:A/AC:H/PR:H"));

    // The CNA names vendor urllib3, product urllib3: `>= 2.0.0, < 2.0.7` and `< 1.26.18`.
    let engine = Engine::new(kb.clone());
    let found = |engine: &Engine, cpe: &str| {
        engine
            .assess(&device(cpe))
            .findings
            .iter()
            .any(|f| &*f.finding.advisory_id == "CVE-2023-45803")
    };
    assert!(found(
        &engine,
        "cpe:2.3:a:urllib3:urllib3:1.26.17:*:*:*:*:*:*:*"
    ));
    assert!(found(
        &engine,
        "cpe:2.3:a:urllib3:urllib3:2.0.6:*:*:*:*:*:*:*"
    ));
    assert!(!found(
        &engine,
        "cpe:2.3:a:urllib3:urllib3:2.0.7:*:*:*:*:*:*:*"
    ));
    assert!(!found(
        &engine,
        "cpe:2.3:a:urllib3:urllib3:1.26.18:*:*:*:*:*:*:*"
    ));

    // NVD's configuration (vendor python) replaces the CNA's once loaded.
    kb.load_path(&nvd.join("osv-dev-conversion-testdata-13-cves.json"))
        .expect("readable");
    for file in std::fs::read_dir(&nvd).expect("dir") {
        kb.load_path(&file.expect("entry").path())
            .expect("readable");
    }
    let engine = Engine::new(kb);
    let statement = engine
        .kb()
        .applicability("CVE-2023-45803")
        .expect("NVD configuration");
    assert!(
        statement
            .criteria()
            .any(|c| c.text.contains(":python:urllib3:")),
        "NVD's names win"
    );
    assert!(!statement
        .criteria()
        .any(|c| c.text.contains(":urllib3:urllib3:")));
    assert!(!found(
        &engine,
        "cpe:2.3:a:urllib3:urllib3:1.26.17:*:*:*:*:*:*:*"
    ));
    assert!(found(
        &engine,
        "cpe:2.3:a:python:urllib3:1.26.17:*:*:*:*:*:*:*"
    ));
}
