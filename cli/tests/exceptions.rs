//! `exposure assess --exceptions` and `exposure exceptions check|export` on the example set.

use std::process::{Command, Output};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/exceptions.yaml");

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(args)
        .output()
        .expect("runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn assess_applies_and_reports_exceptions() {
    let a = json(&run(&[
        "assess",
        "--demo",
        "--exceptions",
        EXAMPLE,
        "--as-of",
        "2026-12-04",
        "--format",
        "json",
    ]));
    let status: Vec<&str> = a["exceptions"]
        .as_array()
        .expect("exceptions")
        .iter()
        .map(|e| e["status"].as_str().expect("status"))
        .collect();
    assert_eq!(status, ["applied"; 4]);
    assert_eq!(
        a["excepted_recommendations"][0]["exceptions"][0],
        "EXC-2026-003"
    );
    assert_eq!(a["suppressed"][0]["exception"]["id"], "EXC-2026-002");
    // Expired the day after EXC-2026-003's last day.
    let later = json(&run(&[
        "assess",
        "--demo",
        "--exceptions",
        EXAMPLE,
        "--as-of",
        "2027-03-01",
        "--format",
        "json",
    ]));
    assert_eq!(later["exceptions"][2]["status"], "expired");
    // Without --as-of the command judges them today: the day is recorded.
    let today = json(&run(&[
        "assess",
        "--demo",
        "--exceptions",
        EXAMPLE,
        "--format",
        "json",
    ]));
    assert!(today["as_of"].is_string());
    // The table has the section.
    let table = run(&[
        "assess",
        "--demo",
        "--exceptions",
        EXAMPLE,
        "--as-of",
        "2026-12-04",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("Exceptions: 4 applied, 0 expired, 0 not judged, 0 not matched; 3 findings removed, 2 recommendations hidden"),
        "{text}"
    );
}

#[test]
fn check_and_export() {
    let out = run(&["exceptions", "check", EXAMPLE]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 exceptions, 3 with an expiry day"));
    let openvex = json(&run(&[
        "exceptions",
        "export",
        EXAMPLE,
        "--demo",
        "--as-of",
        "2026-12-04",
    ]));
    assert_eq!(openvex["@context"], "https://openvex.dev/ns/v0.2.0");
    assert!(openvex["statements"]
        .as_array()
        .is_some_and(|s| s.len() >= 3));
    let out = run(&[
        "exceptions",
        "export",
        EXAMPLE,
        "--format",
        "cyclonedx",
        "--demo",
        "--as-of",
        "2026-12-04",
    ]);
    let cdx = json(&out);
    assert_eq!(cdx["bomFormat"], "CycloneDX");
    // What VEX cannot state is said on stderr.
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("not stated: exception EXC-2026-002 on web-02"));
    // A bad set: the exception and the field named, nothing assessed.
    let dir = std::env::temp_dir().join(format!("exposure-cli-exc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "format: exposure-exceptions/1\nexceptions:\n - {id: a, scope: {cve: X}, justification: meh, requester: r, reason: x, created: 2026-01-01}\n",
    )
    .expect("write");
    let bad = bad.to_str().expect("UTF-8 path");
    for args in [
        &["exceptions", "check", bad][..],
        &["assess", "--demo", "--exceptions", bad],
    ] {
        let out = run(args);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(
                "exception \"a\" (exceptions[0].justification): unknown justification \"meh\""
            ),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
    }
}
