//! The TVM loop from a shell over a store: assessments recorded, exceptions added (and
//! refused when expired or naming a recommendation the fleet does not get), the history, its
//! diff and timeline, the views, remediation activities, and a store that cannot be used left
//! untouched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(args)
        .output()
        .expect("runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("JSON")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exposure-workflow-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn examples(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn the_whole_loop_on_the_demo() {
    let dir = scratch("loop");
    let db = dir.join("tvm.db");
    let db = db.to_str().expect("path");
    // Day 1: the demo as it is.
    let out = run(&["assess", "--demo", "--db", db, "--as-of", "2026-12-01"]);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("recorded as assessment #1 (demo)"));
    // An exception that expired, and one naming a recommendation the demo does not get,
    // are refused whole; the example set is taken.
    let expired = dir.join("expired.yaml");
    std::fs::write(
        &expired,
        "format: exposure-exceptions/1\nexceptions:\n  - id: OLD-1\n    scope: {vulnerability: CVE-2021-44906}\n    justification: risk_accepted\n    requester: a\n    reason: b\n    created: 2020-01-01\n    expires: 2020-02-01\n",
    )
    .expect("write");
    let out = run(&[
        "exceptions",
        "add",
        expired.to_str().expect("path"),
        "--db",
        db,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expired on 2020-02-01"));
    let unknown = dir.join("unknown.yaml");
    std::fs::write(
        &unknown,
        "format: exposure-exceptions/1\nexceptions:\n  - id: REC-1\n    scope: {recommendation: \"update:npm:left-pad\"}\n    justification: risk_accepted\n    requester: a\n    reason: b\n    created: 2026-12-01\n",
    )
    .expect("write");
    let out = run(&[
        "exceptions",
        "add",
        unknown.to_str().expect("path"),
        "--db",
        db,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("update:npm:left-pad"));
    let listed = json(&run(&[
        "exceptions",
        "list",
        "--db",
        db,
        "--format",
        "json",
    ]));
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "refused whole");
    ok(&run(&[
        "exceptions",
        "add",
        &examples("exceptions.yaml"),
        "--db",
        db,
    ]));
    let listed = json(&run(&[
        "exceptions",
        "list",
        "--db",
        db,
        "--format",
        "json",
    ]));
    assert_eq!(listed.as_array().map(Vec::len), Some(4));
    // Adding the same again is refused, nothing changes.
    let out = run(&[
        "exceptions",
        "add",
        &examples("exceptions.yaml"),
        "--db",
        db,
    ]);
    assert_eq!(out.status.code(), Some(2));
    // Day 5: the store's exceptions apply by themselves.
    let assessed = json(&run(&[
        "assess",
        "--demo",
        "--db",
        db,
        "--as-of",
        "2026-12-05",
        "--format",
        "json",
    ]));
    let applied = assessed["exceptions"]
        .as_array()
        .expect("exceptions")
        .iter()
        .filter(|e| e["status"] == "applied")
        .count();
    assert!(applied >= 3, "{}", assessed["exceptions"]);
    // The history, its diff (suppressed, not fixed) and timeline.
    let history = json(&run(&["history", "--db", db, "--format", "json"]));
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    let diff = json(&run(&["diff", "--db", db, "--format", "json"]));
    let diff = &diff[0];
    assert_eq!(
        (diff["old"].as_i64(), diff["new"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        diff["diff"]["fixed_findings"].as_array().map(Vec::len),
        Some(0)
    );
    assert!(diff["diff"]["suppressed_findings"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
    let before = history[0]["score"].as_f64().expect("score");
    let after = history[1]["score"].as_f64().expect("score");
    let change = diff["diff"]["organisation"]["change"]
        .as_f64()
        .expect("change");
    assert!(
        (change - (after - before)).abs() < 0.06,
        "{change} vs {before} -> {after}"
    );
    let timeline = json(&run(&["timeline", "--db", db, "--format", "json"]));
    assert!(timeline
        .as_array()
        .expect("events")
        .iter()
        .any(|e| e["kind"] == "exposure_score_change"));
    // Views, whole and per group, in every format.
    for view in ["software", "weaknesses", "devices", "recommendations"] {
        let rows = json(&run(&["view", view, "--db", db, "--format", "json"]));
        assert!(rows.as_array().is_some_and(|r| !r.is_empty()), "{view}");
        let csv = ok(&run(&[
            "view",
            view,
            "--db",
            db,
            "--format",
            "csv",
            "--group",
            "production",
        ]));
        assert!(csv.lines().count() >= 2, "{view}: {csv}");
        ok(&run(&["view", view, "--db", db]));
    }
    let out = run(&["view", "devices", "--db", db, "--group", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    let dashboard = json(&run(&["view", "dashboard", "--db", db, "--format", "json"]));
    assert_eq!(dashboard[0]["trend"].as_array().map(Vec::len), Some(2));
    ok(&run(&["view", "dashboard", "--db", db]));
    // A remediation activity: open on the latest assessment.
    let out = run(&[
        "remediation",
        "create",
        "--db",
        db,
        "--recommendation",
        "update:npm:minimist",
        "--due",
        "2026-12-20",
        "--priority",
        "high",
    ]);
    ok(&out);
    let out = run(&[
        "remediation",
        "create",
        "--db",
        db,
        "--recommendation",
        "update:npm:nothing",
        "--due",
        "2026-12-20",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let status = json(&run(&[
        "remediation",
        "status",
        "--db",
        db,
        "--format",
        "json",
    ]));
    let first = &status[0];
    assert_eq!(
        (first["done"].as_u64(), first["remaining"].as_u64()),
        (Some(0), Some(1))
    );
    let csv = ok(&run(&[
        "remediation",
        "export",
        "--db",
        db,
        "--format",
        "csv",
    ]));
    assert!(
        csv.starts_with("activity,recommendation,device,state"),
        "{csv}"
    );
    assert!(csv.contains("build-01,open"), "{csv}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_store_that_cannot_be_used_is_an_error_and_stays_as_it_was() {
    let dir = scratch("refused");
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"this is not a database, but somebody's notes").expect("write");
    let before = std::fs::read(&junk).expect("read");
    let path = junk.to_str().expect("path");
    for args in [
        vec!["assess", "--demo", "--db", path],
        vec!["history", "--db", path],
        vec!["exceptions", "list", "--db", path],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
    assert_eq!(std::fs::read(&junk).expect("read"), before);
    // A history command on a store that does not exist does not create one.
    let missing = dir.join("missing.db");
    let out = run(&["history", "--db", missing.to_str().expect("path")]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!missing.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
