//! Knowledge-base metadata end to end: `kb build` records when and from what, `kb stats` shows
//! it (text and JSON), and `assess --max-kb-age` warns about old or undated knowledge.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exposure-cli-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn exposure(args: &[&str], paths: &[&Path]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(args)
        .args(paths)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// An OSV record modified on 2024-01-01, a KEV catalog released on 2024-05-03, a fleet of one
/// device, and a snapshot of the two feeds.
fn inputs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let osv = dir.join("GO-1.json");
    std::fs::write(
        &osv,
        r#"{"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "Go", "name": "example.com/m"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}]}"#,
    )
    .expect("write");
    let kev = dir.join("kev.json");
    std::fs::write(
        &kev,
        r#"{"title": "CISA KEV", "catalogVersion": "2024.05.03", "dateReleased": "2024-05-03T15:00:00.000Z", "count": 1,
            "vulnerabilities": [{"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2",
            "vulnerabilityName": "x", "dateAdded": "2021-12-10", "shortDescription": "x", "requiredAction": "x",
            "dueDate": "2021-12-24", "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": []}]}"#,
    )
    .expect("write");
    let fleet = dir.join("fleet.json");
    std::fs::write(
        &fleet,
        r#"{"devices": [{"id": "d", "software": [{"purl": "pkg:golang/example.com/m@1.0.0"}]}]}"#,
    )
    .expect("write");
    let snapshot = dir.join("kb.bin");
    exposure(&["kb", "build", "-o"], &[&snapshot, &osv, &kev]);
    (snapshot, fleet, osv)
}

#[test]
fn kb_stats_shows_the_build_time_and_every_source() {
    let dir = scratch("meta-stats");
    let (snapshot, _, _) = inputs(&dir);
    let text = exposure(&["kb", "stats"], &[&snapshot]);
    let text = String::from_utf8_lossy(&text.stdout);
    let year = text
        .lines()
        .find_map(|l| l.strip_prefix("built at: "))
        .expect("built at");
    assert!(year.starts_with("20") && year.ends_with('Z'), "{text}");
    assert!(
        text.contains("knowledge as of: 2024-05-03T15:00:00.000Z"),
        "{text}"
    );
    let row = |file: &str| {
        text.lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no row for {file}: {text}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row("GO-1.json"),
        ["OSV", "1", "1", "2024-01-01T00:00:00Z", "-"]
    );
    assert_eq!(
        row("kev.json"),
        [
            "KEV/EPSS",
            "1",
            "1",
            "2021-12-10",
            "2024-05-03T15:00:00.000Z"
        ]
    );

    let json = exposure(&["kb", "stats", "--format", "json"], &[&snapshot]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(json["metadata"]["as_of"], "2024-05-03T15:00:00.000Z");
    assert!(json["metadata"]["built_at"].is_string(), "{json:#}");
    let sources = json["metadata"]["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[1]["format"], "KEV/EPSS");
    assert_eq!(sources[1]["feed_timestamp"], "2024-05-03T15:00:00.000Z");
    assert_eq!(sources[0]["newest_record"], "2024-01-01T00:00:00Z");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn assess_warns_when_the_knowledge_is_older_than_allowed() {
    let dir = scratch("meta-age");
    let (snapshot, fleet, _) = inputs(&dir);
    let assess = |max_age: &str| {
        let out = exposure(
            &[
                "assess",
                "--format",
                "json",
                "--max-kb-age",
                max_age,
                "--kb",
            ],
            &[&snapshot, Path::new("--inventory"), &fleet],
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        (String::from_utf8_lossy(&out.stderr).into_owned(), json)
    };
    let (stderr, json) = assess("1d");
    assert!(
        stderr.contains("warning: the knowledge base is") && stderr.contains("2024-05-03"),
        "{stderr}"
    );
    let age = &json["knowledge_age"];
    assert_eq!(age["as_of"], "2024-05-03T15:00:00.000Z");
    assert_eq!(age["max_age_seconds"], 86_400);
    assert!(
        age["age_seconds"].as_i64().is_some_and(|s| s > 86_400),
        "{age}"
    );
    assert!(age["warning"].is_string());
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(1));

    // A hundred years is enough: no warning.
    let (stderr, json) = assess("36500d");
    assert!(!stderr.contains("warning:"), "{stderr}");
    assert!(json["knowledge_age"]["warning"].is_null());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn undated_knowledge_is_a_warning_and_a_bad_duration_is_refused() {
    let dir = scratch("meta-undated");
    let (_, fleet, _) = inputs(&dir);
    let undated = dir.join("undated.json");
    std::fs::write(&undated, r#"{"id": "GO-2"}"#).expect("write");
    let out = exposure(
        &[
            "assess",
            "--format",
            "json",
            "--max-kb-age",
            "36500d",
            "--kb",
        ],
        &[&undated, Path::new("--inventory"), &fleet],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: the knowledge base's age is unknown"),
        "{stderr}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["assess", "--demo", "--max-kb-age", "soon"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a duration"));
    std::fs::remove_dir_all(dir).ok();
}
