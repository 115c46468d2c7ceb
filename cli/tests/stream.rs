//! `exposure stream`: the demo fleet as JSON Lines (from stdin, gzipped from a file) gives the
//! findings and the organisation's exposure `exposure assess --demo` gives; devices that do
//! not load make it fail closed after writing what it could.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn stream(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .arg("stream")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("written");
    child.wait_with_output().expect("exits")
}

#[test]
fn the_demo_fleet_streamed_is_the_demo_assessment() {
    let dir = tempfile::tempdir().expect("dir");
    let summary = dir.path().join("summary.json");
    let out = stream(
        &[
            "--devices",
            "-",
            "--chunk",
            "2",
            "--summary",
            summary.to_str().expect("path"),
            "--as-of",
            "2026-12-01",
        ],
        exposure::demo::fleet_json_lines().as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let as_of = "2026-12-01".parse().ok();
    let assessed =
        exposure::Engine::demo().assess_as_of(&exposure::demo::fleet(), as_of, &|_, _| {});
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let expected: Vec<serde_json::Value> = assessed
        .finding_rows()
        .iter()
        .map(|r| serde_json::to_value(r).expect("row"))
        .collect();
    assert_eq!(lines, expected);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("JSON");
    let score = summary["organisation"]["score"].as_f64().expect("score");
    assert!((score - assessed.organisation.score).abs() < 1e-9);
    assert_eq!(summary["chunks"], 3);
    assert_eq!(summary["devices_report"]["records_loaded"], 5);
    let secure = summary["configuration"]["organisation"]
        .as_f64()
        .expect("secure score");
    assert!((secure - assessed.configuration.organisation.expect("secure score")).abs() < 1e-9);
    // The recommendations of the whole fleet (configuration changes among them), ranked,
    // their devices counted.
    let expected: Vec<(String, usize)> = assessed
        .recommendations
        .iter()
        .map(|r| (r.text.clone(), r.devices.len()))
        .collect();
    let streamed: Vec<(String, usize)> = summary["recommendations"]
        .as_array()
        .expect("recommendations")
        .iter()
        .map(|r| {
            let text = r["text"].as_str().expect("text").to_owned();
            (
                text,
                usize::try_from(r["device_count"].as_u64().expect("count")).expect("usize"),
            )
        })
        .collect();
    assert_eq!(expected.len(), 17);
    assert_eq!(streamed, expected);

    // Gzipped, from a file, device rows beside the findings.
    let gz = dir.path().join("fleet.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("file"),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(exposure::demo::fleet_json_lines().as_bytes())
        .expect("gzip");
    encoder.finish().expect("gzip");
    let rows = dir.path().join("devices.jsonl");
    let findings = dir.path().join("findings.jsonl");
    let out = stream(
        &[
            "--devices",
            gz.to_str().expect("path"),
            "--findings",
            findings.to_str().expect("path"),
            "--device-rows",
            rows.to_str().expect("path"),
            "--fleet-size",
            "5",
            "--as-of",
            "2026-12-01",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&findings).expect("findings");
    assert_eq!(written.lines().count(), assessed.findings.len());
    let devices: Vec<serde_json::Value> = std::fs::read_to_string(&rows)
        .expect("rows")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let expected: Vec<serde_json::Value> = assessed
        .devices
        .iter()
        .map(|d| serde_json::to_value(d).expect("row"))
        .collect();
    assert_eq!(devices, expected);
    // The summary went to stderr as one line of JSON.
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.lines().any(|l| l.starts_with("{\"chunks\":1")),
        "{stderr}"
    );
}

#[test]
fn devices_that_do_not_load_fail_the_stream_closed() {
    // Two broken lines of five devices: more than the 10 % an input may lose.
    let mut lines: Vec<String> = exposure::demo::fleet_json_lines()
        .lines()
        .map(str::to_owned)
        .collect();
    lines[1] = "not json".to_owned();
    lines[3] = r#"{"id": "x", "value": "huge"}"#.to_owned();
    let text = lines.join("\n");
    let out = stream(&["--devices", "-"], text.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--allow-partial"), "{stderr}");
    // The findings of the devices that loaded were written before the verdict.
    assert!(!out.stdout.is_empty());
    let out = stream(&["--devices", "-", "--allow-partial"], text.as_bytes());
    assert!(out.status.success());
}
