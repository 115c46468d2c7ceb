//! `exposure assess` end to end on files of every kind it reads: a dpkg status database with
//! its release, OSV records, a CISA KEV catalog and EPSS scores.

use std::path::PathBuf;
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exposure-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn dpkg_status_with_distro_advisories_kev_and_epss() {
    let dir = scratch("dpkg");
    let status = dir.join("status");
    std::fs::write(
        &status,
        "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\n\
         Version: 3.0.11-1~deb12u2\n\nPackage: openssl\nStatus: install ok installed\n\
         Architecture: amd64\nVersion: 3.0.11-1~deb12u2\n",
    )
    .expect("write");
    let advisory = dir.join("CVE-2024-2511.json");
    std::fs::write(
        &advisory,
        r#"{"id": "CVE-2024-2511", "affected": [
            {"package": {"ecosystem": "Debian:12", "name": "openssl"}, "ranges": [{"type": "ECOSYSTEM",
             "events": [{"introduced": "0"}, {"fixed": "3.0.14-1~deb12u1"}]}]},
            {"package": {"ecosystem": "Debian:11", "name": "openssl"}, "ranges": [{"type": "ECOSYSTEM",
             "events": [{"introduced": "0"}, {"fixed": "1.1.1w-0+deb11u2"}]}]}]}"#,
    )
    .expect("write");
    let epss = dir.join("epss.csv");
    std::fs::write(&epss, "#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\ncve,epss,percentile\nCVE-2024-2511,0.01234,0.5\n")
        .expect("write");
    let run = |distro: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
            .args(["assess", "--format", "json", "--distro", distro, "--kb"])
            .arg(&advisory)
            .arg(&epss)
            .arg("--inventory")
            .arg(&status)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON")
    };
    let bookworm = run("bookworm");
    let findings = bookworm["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{bookworm:#}");
    assert_eq!(findings[0]["software"]["ecosystem"], "Debian:12");
    assert_eq!(
        findings[0]["software"]["packages"],
        serde_json::json!(["libssl3", "openssl"])
    );
    assert_eq!(findings[0]["fix"], "3.0.14-1~deb12u1");
    assert_eq!(findings[0]["threat"]["epss"][1]["probability"], 0.01234);
    // The same packages on another release are matched by that release's entry only.
    let trixie = run("debian-13");
    assert_eq!(trixie["findings"].as_array().map(Vec::len), Some(0));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_unknown_distro_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["assess", "--distro", "plan9", "--demo"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown distro \"plan9\""));
}

#[test]
fn kb_stats_summarises_every_feed_kind() {
    let dir = scratch("stats");
    let kev = dir.join("kev.csv");
    std::fs::write(
        &kev,
        "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
         CVE-2021-23337,lodash,lodash,Command Injection,2022-01-10,d,a,2022-01-24,Unknown,,\n",
    )
    .expect("write");
    let demo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/data/demo/advisories.osv.json"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["kb", "stats", demo])
        .arg(&kev)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["stats"]["advisories"], 10);
    assert_eq!(json["stats"]["kev_entries"], 1);
    assert_eq!(json["stats"]["affected_by_ecosystem"]["npm"], 3);
    assert_eq!(json["loads"][1]["report"]["records_loaded"], 1);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn kb_stats_counts_the_vendors_own_advisories() {
    let dir = scratch("vendors");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "17.json",
        r#"{"id": 17, "module_name": "jsonwebtoken", "cves": [], "vulnerable_versions": "<4.2.2", "patched_versions": ">=4.2.2"}"#,
    );
    write(
        "CVE-2018-16470.yml",
        "gem: rack\ncve: 2018-16470\nurl: x\ntitle: t\nunaffected_versions:\n  - \"<= 2.0.3\"\npatched_versions:\n  - \">= 2.0.6\"\n",
    );
    write(
        "mfsa2024-01.yml",
        "announced: January 23rd, 2024\nimpact: high\nfixed_in:\n- Firefox 122\n- Firefox ESR 115.7\nadvisories:\n  CVE-2024-0741:\n    title: t\n  CVE-2024-0742:\n    title: u\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["kb", "stats"])
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["stats"]["advisories"], 4);
    assert_eq!(json["stats"]["affected_by_ecosystem"]["npm"], 1);
    assert_eq!(json["stats"]["affected_by_ecosystem"]["RubyGems"], 1);
    assert_eq!(json["stats"]["applicability_statements"], 2);
    assert_eq!(json["loads"][0]["report"]["records_loaded"], 3);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn kb_build_writes_a_snapshot_that_assess_reads() {
    let dir = scratch("build");
    let snapshot = dir.join("kb.bin");
    let demo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/data/demo/advisories.osv.json"
    );
    let fleet = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/data/demo/fleet.json");
    let built = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["kb", "build", demo, "-o"])
        .arg(&snapshot)
        .output()
        .expect("runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let assess = |kb: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
            .args(["assess", "--format", "json", "--kb"])
            .arg(kb)
            .args(["--inventory", fleet])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        // Evidence names the source file, which is the same through the snapshot; the load
        // reports name their inputs, which differ (the same ten records, loaded).
        json["inventory_reports"] = serde_json::Value::Null;
        assert_eq!(json["knowledge_reports"][0]["records_loaded"], 10);
        json["knowledge_reports"] = serde_json::Value::Null;
        // The same sources and dates, but the snapshot also knows when it was built, and the
        // age is measured at each run.
        assert_eq!(
            json["knowledge_age"]["as_of"], "2023-10-17T20:15:00Z",
            "{:#}",
            json["knowledge_age"]
        );
        json["knowledge_age"] = serde_json::Value::Null;
        json
    };
    assert_eq!(assess(&snapshot), assess(std::path::Path::new(demo)));
    // A damaged snapshot is refused with its name and the reason.
    let mut bytes = std::fs::read(&snapshot).expect("read");
    bytes.truncate(bytes.len() - 1);
    std::fs::write(&snapshot, bytes).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["assess", "--kb"])
        .arg(&snapshot)
        .args(["--inventory", fleet])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("snapshot truncated"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(dir).ok();
}

/// The table a person sees for the demo is the one committed in `tests/golden/` (the JSON is
/// compared by core's golden test): the restructuring of issue 11 changed no character of it.
#[test]
fn demo_table_is_unchanged() {
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["assess", "--demo"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let golden = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/demo-table.txt"),
    )
    .expect("golden table");
    assert_eq!(String::from_utf8_lossy(&out.stdout), golden);
}

/// Runs `exposure` with `args` in `dir`: its exit status, stdout and stderr.
fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Fail closed: a knowledge base that yields nothing used to give "score 0, low" and exit 0,
/// and `kb build` wrote an empty snapshot. Both refuse it with exit status 2, the reason and
/// its problems, unless `--allow-partial`; allowed, every problem is in the JSON.
#[test]
fn an_incomplete_input_is_refused_with_status_2_unless_allowed() {
    let dir = scratch("failclosed");
    std::fs::write(dir.join("broken.json"), "{broken").expect("write");
    let fleet = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/data/demo/fleet.json");
    let assess = [
        "assess",
        "--kb",
        "broken.json",
        "--inventory",
        fleet,
        "--format",
        "json",
    ];
    let (status, stdout, stderr) = run(&dir, &assess);
    assert_eq!(status, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "exposure: knowledge-base input broken.json: it yields nothing (1 files, 1 records read, \
         0 loaded, 1 skipped, 0 replaced, 1 problems); partial knowledge is refused unless \
         partial loads are allowed (--allow-partial accepts it)\n  broken.json: not JSON: key \
         must be a string at line 1 column 2 (skipped)\n"
    );
    let (status, stdout, stderr) = run(&dir, &[&assess[..], &["--allow-partial"]].concat());
    assert_eq!(status, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        json["knowledge"],
        serde_json::json!({"advisories": 0, "kev_entries": 0, "epss_scores": 0, "vex_statements": 0})
    );
    let problem = &json["knowledge_reports"][0]["problems"][0];
    assert_eq!(
        problem["message"],
        "not JSON: key must be a string at line 1 column 2"
    );
    // Every problem stderr shows is in the JSON.
    let reports = ["knowledge_reports", "inventory_reports"];
    let problems: Vec<&serde_json::Value> = reports
        .iter()
        .flat_map(|r| json[r].as_array().into_iter().flatten())
        .flat_map(|r| r["problems"].as_array().into_iter().flatten())
        .collect();
    let shown: Vec<&str> = stderr.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(shown.len(), problems.len(), "{stderr}");
    for (line, problem) in shown.iter().zip(&problems) {
        let message = problem["message"].as_str().expect("a message");
        assert!(line.contains(message), "{line}");
    }

    let (status, _, stderr) = run(&dir, &["kb", "build", "broken.json", "-o", "kb.bin"]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.starts_with("exposure: knowledge-base input broken.json: it yields nothing"));
    assert!(!dir.join("kb.bin").exists(), "no snapshot is written");
    let allowed = [
        "kb",
        "build",
        "broken.json",
        "-o",
        "kb.bin",
        "--allow-partial",
    ];
    let (status, _, stderr) = run(&dir, &allowed);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(dir.join("kb.bin").exists());

    // An inventory that yields no device, the same way.
    std::fs::write(dir.join("empty.json"), r#"{"devices": []}"#).expect("write");
    let demo_kb = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/data/demo/advisories.osv.json"
    );
    let (status, _, stderr) = run(
        &dir,
        &["assess", "--kb", demo_kb, "--inventory", "empty.json"],
    );
    assert_eq!(status, Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "exposure: inventory empty.json: it yields nothing (1 files, 0 records read"
        ),
        "{stderr}"
    );
    // An input that cannot be read at all is an input error too: status 2 (1 is kept for
    // findings that trip --fail-on).
    let (status, _, stderr) = run(
        &dir,
        &["assess", "--kb", "absent.json", "--inventory", fleet],
    );
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("absent.json"), "{stderr}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn as_of_judges_end_of_support_and_refuses_what_is_no_date() {
    let dir = scratch("as-of");
    let fleet = dir.join("fleet.json");
    std::fs::write(
        &fleet,
        r#"{"devices": [{"id": "xp", "software": [{"name": "Adobe Shockwave Player", "version": "11",
            "cpe": "cpe:2.3:a:adobe:shockwave_player:11:*:*:*:*:*:*:*"}]}]}"#,
    )
    .expect("written");
    let fleet = fleet.display().to_string();
    let (status, out, err) = run(
        &dir,
        &[
            "assess",
            "--demo",
            "--inventory",
            &fleet,
            "--as-of",
            "2026-12-04",
        ],
    );
    assert_eq!(status, Some(0), "{err}");
    assert!(
        out.contains(
            "uninstall end-of-support Adobe Shockwave Player (cpe) 11: support ended 2019-04-09"
        ),
        "{out}"
    );
    let (status, out, _) = run(&dir, &["assess", "--demo", "--inventory", &fleet]);
    assert_eq!(status, Some(0));
    assert!(!out.contains("end-of-support"), "{out}");
    let (status, _, err) = run(&dir, &["assess", "--demo", "--as-of", "4 Dec 2026"]);
    assert_eq!(status, Some(2), "{err}");
    assert!(err.contains("--as-of"), "{err}");
    let (status, _, err) = run(&dir, &["assess", "--demo", "--as-of", "today"]);
    assert_eq!(status, Some(0), "{err}");
}
