//! Feeds as they ship: OSV YAML (the PyPA database), tar.gz and zip archives, directories.

mod common;

use exposure::ecosystem::Ecosystem;
use exposure::kb::KnowledgeBase;

#[test]
fn pypa_yaml_database_from_its_tar_gz() {
    let Some(archive) = common::shared("data/osv-pypa/pypa-advisory-database-vulns.tar.gz") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(&archive).expect("readable");
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.records_skipped
        ),
        (2661, 2661, 0),
        "{report}"
    );
    let advisory = kb.get("PYSEC-2020-342").expect("apache-skywalking");
    assert_eq!(advisory.aliases, ["CVE-2020-13921"]);
    assert!(
        advisory
            .source
            .ends_with("!pypa-advisory-database/vulns/apache-skywalking/PYSEC-2020-342.yaml"),
        "{}",
        advisory.source
    );
    assert!(
        kb.affecting(&Ecosystem::PyPi, "Apache_Skywalking")
            .next()
            .is_some(),
        "PEP 503 names"
    );
}

#[test]
fn go_vulndb_tar_gz_loads_like_its_files() {
    let Some(archive) = common::shared("data/osv-go/golang-vulndb-osv.tar.gz") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(&archive).expect("readable");
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.records_skipped
        ),
        (4291, 4291, 0),
        "{report}"
    );
}

#[test]
fn zip_of_an_ecosystem_and_yaml_numbers_reported() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("exposure-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("all.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let options = zip::write::SimpleFileOptions::default();
    let record = |id: &str, name: &str| {
        format!(
            r#"{{"id": "{id}", "affected": [{{"package": {{"ecosystem": "PyPI", "name": "{name}"}},
            "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "2.0"}}]}}]}}]}}"#
        )
    };
    zip.start_file("PYSEC-1.json", options).expect("member");
    zip.write_all(record("PYSEC-1", "a").as_bytes())
        .expect("write");
    zip.start_file("PYSEC-2.json", options).expect("member");
    zip.write_all(record("PYSEC-2", "b").as_bytes())
        .expect("write");
    zip.start_file("README.txt", options).expect("member");
    zip.write_all(b"not a record").expect("write");
    zip.start_file("PYSEC-3.yaml", options).expect("member");
    // An unquoted 1.10 is a number to YAML: reported, never read as version 1.1.
    zip.write_all(
        b"id: PYSEC-3\naffected:\n- package: {ecosystem: PyPI, name: c}\n  versions: [1.10]\n",
    )
    .expect("write");
    zip.finish().expect("finish");

    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(&dir).expect("readable");
    assert_eq!(
        (report.files, report.records_read, report.records_loaded),
        (3, 3, 3),
        "{report}"
    );
    assert_eq!(report.problem_count, 1, "{:?}", report.problems);
    assert!(
        report.problems[0]
            .to_string()
            .contains("all.zip!PYSEC-3.yaml: record PYSEC-3: affected[0].versions"),
        "{}",
        report.problems[0]
    );
    assert!(kb.get("PYSEC-3").is_some_and(|a| a.affected.is_empty()));
    std::fs::remove_dir_all(dir).ok();
}

/// Alpine's secdb for every release, and an Alpine 3.19 machine matched with it.
#[test]
fn alpine_secdb_matches_alpine_packages_per_release() {
    use exposure::{inventory, Engine};
    let Some(archive) =
        common::shared("data/alpine-secdb/alpine-secdb-json-v3.2-v3.21-edge.tar.gz")
    else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(&archive).expect("readable");
    // 85,277 CVE mentions across 41 files of 21 releases and edge.
    assert_eq!(
        (report.files, report.records_read, report.records_skipped),
        (41, 85_277, 0),
        "{report}"
    );
    let fleet = inventory::load_text(
        r#"{"devices": [{"id": "alpine-319", "software": [
            {"purl": "pkg:apk/alpine/libcrypto3@3.1.4-r3?arch=x86_64&upstream=openssl&distro=alpine-3.19.1"}]}]}"#,
        "fleet", &exposure::inventory::LoadOptions::default()
    )
    .expect("fleet")
    .fleet;
    let assessment = Engine::new(kb).assess(&fleet);
    let mut ids: Vec<&str> = assessment
        .findings
        .iter()
        .map(|f| &*f.finding.advisory_id)
        .collect();
    ids.sort_unstable();
    // Fixed after 3.1.4-r3 in v3.19's secfixes for openssl.
    assert_eq!(
        ids,
        [
            "CVE-2023-6237",
            "CVE-2024-0727",
            "CVE-2024-2511",
            "CVE-2024-4603",
            "CVE-2024-4741",
            "CVE-2024-5535",
            "CVE-2024-6119",
            "CVE-2024-9143"
        ]
    );
    let first = assessment
        .findings
        .iter()
        .find(|f| &*f.finding.advisory_id == "CVE-2023-6237")
        .expect("found");
    assert_eq!(first.finding.software.ecosystem.to_string(), "Alpine:v3.19");
    assert_eq!(first.finding.fix.as_deref(), Some("3.1.4-r4"));
    assert_eq!(
        first.finding.evidence.confidence,
        exposure::matching::Confidence::Distro
    );
    assert!(
        first.finding.evidence.source.ends_with("3.19/main.json"),
        "{}",
        first.finding.evidence.source
    );
}
