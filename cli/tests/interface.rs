//! The command as scanner users expect it: help for every subcommand, `--version`,
//! completions and man pages from the same definitions, exit codes (0 ok, 1 a gate tripped,
//! 2 usage or input errors), filters, `-o`, colour only when asked or on a terminal, and a
//! closed pipe that ends the command quietly.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the exposure binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exposure-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn every_subcommand_has_help_and_the_version_is_the_crates() {
    let version = run(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        stdout(&version).trim(),
        format!("exposure {}", env!("CARGO_PKG_VERSION"))
    );
    let top = run(&["--help"]);
    assert_eq!(top.status.code(), Some(0));
    let commands = [
        "assess",
        "explain",
        "exceptions",
        "history",
        "diff",
        "timeline",
        "view",
        "remediation",
        "model",
        "kb",
        "version",
        "range",
        "cpe",
        "cvss",
        "completions",
        "man",
    ];
    for command in commands {
        assert!(stdout(&top).contains(command), "{command} in the help");
        let help = run(&[command, "--help"]);
        assert_eq!(help.status.code(), Some(0), "{command} --help");
        assert!(
            stdout(&help).starts_with(char::is_uppercase),
            "{command}: {}",
            stdout(&help)
        );
        assert!(stdout(&help).contains("Usage: exposure "), "{command}");
    }
    // Nested subcommands too.
    for nested in [
        ["exceptions", "add"],
        ["remediation", "create"],
        ["kb", "build"],
        ["cpe", "guess"],
    ] {
        let help = run(&[nested[0], nested[1], "--help"]);
        assert_eq!(help.status.code(), Some(0), "{nested:?}");
    }
    let assess = stdout(&run(&["assess", "--help"]));
    for flag in [
        "--fail-on",
        "--severity",
        "--ignore-unfixed",
        "--only-fixed",
        "--kev-only",
        "--min-epss",
        "--group",
        "--sort-by",
        "--output",
        "--exceptions",
        "Exit status",
    ] {
        assert!(assess.contains(flag), "{flag} in assess --help");
    }
    // Nothing at all prints the help on stderr, a usage error.
    let bare = run(&[]);
    assert_eq!(bare.status.code(), Some(2));
    assert!(stderr(&bare).contains("Usage: exposure"));
}

#[test]
fn completions_and_man_pages_come_from_the_definitions() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(text.contains("exposure"), "{shell}");
        assert!(text.contains("fail-on"), "{shell} completes assess's flags");
    }
    let man = run(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = stdout(&man);
    assert!(
        page.contains(".TH exposure 1"),
        "{}",
        &page[..page.len().min(200)]
    );
    assert!(page.contains("assess"));
    let dir = scratch("man");
    assert_eq!(
        run(&["man", "--out-dir", dir.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let assess =
        std::fs::read_to_string(dir.join("exposure-assess.1")).expect("a page per command");
    assert!(assess.contains("fail\\-on") || assess.contains("fail-on"));
    // A subcommand's page is its whole definition: named as the command it is, with the
    // global options, and no page for `help`.
    assert!(
        assess.contains("exposure\\-assess \\- Assess a fleet"),
        "{assess}"
    );
    assert!(assess.contains("\\-\\-quiet"), "{assess}");
    assert!(!dir.join("exposure-help.1").exists());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn exit_codes_gate_ci_jobs() {
    // The demo has a KEV-listed high finding (risk 0.93) and critical ones.
    for (gate, status) in [
        ("critical", 1),
        ("high", 1),
        ("kev", 1),
        ("risk", 1),
        ("risk:0.95", 0),
        ("score:25", 1),
        ("score:26", 0),
    ] {
        let out = run(&["assess", "--demo", "--fail-on", gate, "--format", "json"]);
        assert_eq!(
            out.status.code(),
            Some(status),
            "--fail-on {gate}: {}",
            stderr(&out)
        );
        // The report is written either way.
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(json["organisation"]["findings"], 11);
        if status == 1 {
            assert!(
                stderr(&out).starts_with("exposure: --fail-on: "),
                "{}",
                stderr(&out)
            );
        }
    }
    // Filters narrow what the gate counts: no KEV-listed critical finding.
    let out = run(&[
        "assess",
        "--demo",
        "--fail-on",
        "critical",
        "--kev-only",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Usage errors are 2, with a message naming the problem.
    for bad in [
        &["assess", "--demo", "--fail-on", "sometimes"][..],
        &["assess", "--demo", "--severity", "urgent"],
        &["assess", "--demo", "--min-epss", "2"],
        &["assess", "--demo", "--frob"],
        &["assess"],
        &["assess", "--demo", "--as-of", "2026-02-30"],
        &["assess", "--demo", "--distro", "plan9"],
    ] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty(), "{bad:?}");
    }
}

#[test]
fn filters_choose_the_findings_shown_and_keep_the_scores() {
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["assess", "--demo", "--format", "json"];
        all.extend_from_slice(args);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let whole = json(&[]);
    let findings = |v: &serde_json::Value| v["findings"].as_array().expect("findings").clone();
    assert_eq!(findings(&whole).len(), 11);
    let critical = json(&["--severity", "critical"]);
    assert!(!findings(&critical).is_empty());
    assert!(findings(&critical)
        .iter()
        .all(|f| f["severity"] == "CRITICAL"));
    assert_eq!(critical["organisation"], whole["organisation"]);
    let kev = json(&["--kev-only"]);
    assert_eq!(findings(&kev).len(), 1);
    assert_eq!(findings(&kev)[0]["advisory_id"], "GO-2023-2102");
    let web = json(&["--group", "web"]);
    assert!(findings(&web)
        .iter()
        .all(|f| f["device_id"].as_str().unwrap().starts_with("web-")));
    assert_eq!(findings(&json(&["--only-unfixed"])).len(), 0);
    assert_eq!(findings(&json(&["--ignore-unfixed"])).len(), 11);
    assert_eq!(
        findings(&json(&["--min-epss", "0.5"])).len(),
        0,
        "the demo has no EPSS"
    );
    // Sorted by severity: critical first.
    let sorted = json(&["--sort-by", "severity"]);
    let severities: Vec<String> = findings(&sorted)
        .iter()
        .map(|f| f["severity"].as_str().unwrap_or("-").to_owned())
        .collect();
    assert_eq!(severities[..2], ["CRITICAL", "CRITICAL"]);
}

#[test]
fn the_table_leads_with_the_summary_and_output_goes_where_asked() {
    let out = run(&["assess", "--demo"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Organisation exposure score: 25.2 (low)"));
    assert_eq!(
        lines[1],
        "Total: 11 (CRITICAL 2, HIGH 4, MEDIUM 4, LOW 0, UNKNOWN 1)  KEV: 1"
    );
    let recommendations = text.find("\nRecommendations\n").expect("recommendations");
    let findings = text.find("\nFindings\n").expect("findings");
    assert!(recommendations < findings, "recommendations first");
    // Findings by risk: the KEV-listed gateway flaw first, named by the device's name.
    let first = text[findings..].lines().nth(3).expect("a finding");
    assert!(
        first.contains("api-gw-01.corp.example") && first.contains("KEV"),
        "{first}"
    );
    // Not a terminal: no colour unless asked; --color always colours.
    assert!(!text.contains('\u{1b}'));
    let coloured = stdout(&run(&["assess", "--demo", "--color", "always"]));
    assert!(coloured.contains("\u{1b}[1;31mCRITICAL\u{1b}[0m"));
    // -o writes the file, and nothing on stdout.
    let dir = scratch("output");
    let file = dir.join("out.json");
    let out = run(&[
        "assess",
        "--demo",
        "--format",
        "json",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("written")).expect("JSON");
    assert_eq!(written["organisation"]["devices"], 5);
    let out = run(&["assess", "--demo", "-o", "/nonexistent/dir/out.txt"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    // A fleet whose report is megabytes, far more than a pipe holds.
    let dir = scratch("pipe");
    let devices: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r#"{{"id": "host-{i}", "software": [{{"purl": "pkg:npm/lodash@4.17.15"}}, {{"purl": "pkg:npm/minimist@1.2.5"}}]}}"#
            )
        })
        .collect();
    let fleet = dir.join("fleet.json");
    std::fs::write(&fleet, format!(r#"{{"devices": [{}]}}"#, devices.join(","))).expect("fleet");
    let kb = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/data/demo/advisories.osv.json"
    );
    let fleet = fleet.to_str().expect("a path");
    for args in [
        &[
            "assess",
            "--kb",
            kb,
            "--inventory",
            fleet,
            "--format",
            "json",
        ][..],
        &["assess", "--kb", kb, "--inventory", fleet],
        // A completion script is some 90 KB, more than a pipe holds.
        &["completions", "bash"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_exposure"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Read a little, then close the pipe as `head -c 10` would.
        let mut head = [0_u8; 10];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut head)
            .expect("some output");
        let out = child.wait_with_output().expect("wait");
        assert_ne!(
            out.status.code(),
            Some(101),
            "{args:?} panicked: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("panicked") && !stderr(&out).contains("Broken pipe"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_dpkg_host_whose_release_is_unknown_is_never_a_silent_clean() {
    let dir = scratch("release");
    let kb = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/data/demo/advisories.osv.json"
    );
    // Debian's own versions name no release, and there is no base-files.
    let status = dir.join("status");
    std::fs::write(
        &status,
        "Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u5\n",
    )
    .expect("write");
    let status = status.to_str().expect("a path");
    let out = run(&["assess", "--kb", kb, "--inventory", status]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines()
            .nth(2)
            .is_some_and(|l| l.starts_with("WARNING: 1 devices were not fully assessed")),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_slice(
        &run(&[
            "assess",
            "--kb",
            kb,
            "--inventory",
            status,
            "--format",
            "json",
        ])
        .stdout,
    )
    .expect("JSON");
    assert_eq!(json["unassessed"][0]["packages"], 1);
    // Under a gate it fails, though it has no finding.
    let gated = run(&[
        "assess",
        "--kb",
        kb,
        "--inventory",
        status,
        "--fail-on",
        "critical",
    ]);
    assert_eq!(gated.status.code(), Some(1));
    assert!(stderr(&gated).contains("1 devices whose packages could not be assessed"));
    // With base-files, the release is detected and said so.
    let detected = dir.join("status-detected");
    std::fs::write(
        &detected,
        "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\n\n\
         Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u5\n",
    )
    .expect("write");
    let out = run(&[
        "assess",
        "--kb",
        kb,
        "--inventory",
        detected.to_str().unwrap(),
        "--fail-on",
        "critical",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("release Debian:12 detected from base-files 12.4+deb12u5"));
    // (The knowledge's age may be warned about; the devices are fully assessed.)
    assert!(!stdout(&out).contains("not fully assessed"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn every_output_format_is_written() {
    let dir = scratch("formats");
    let out_of = |format: &str, extra: &[&str]| -> String {
        let file = dir.join(format!("out.{format}"));
        let mut args = vec!["assess", "--demo", "--quiet", "--format", format, "-o"];
        args.push(file.to_str().expect("a path"));
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        std::fs::read_to_string(&file).expect("written")
    };
    let sarif: serde_json::Value = serde_json::from_str(&out_of("sarif", &[])).expect("SARIF");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(11)
    );
    let cdx: serde_json::Value = serde_json::from_str(&out_of("cyclonedx", &[])).expect("CDX");
    assert_eq!(cdx["specVersion"], "1.6");
    let openvex: serde_json::Value = serde_json::from_str(&out_of("openvex", &[])).expect("VEX");
    assert!(openvex["@context"]
        .as_str()
        .is_some_and(|c| c.contains("openvex")));
    let csv = out_of("csv", &["--kev-only"]);
    assert_eq!(
        csv.lines().count(),
        2,
        "a header and the one KEV finding: {csv}"
    );
    assert!(out_of("markdown", &[]).starts_with("## Exposure: 25.2 (low)"));
    let html = out_of("html", &[]);
    assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("<script"));
    // With a store, the HTML report shows the score over the recorded history.
    let db = dir.join("tvm.db");
    let db = db.to_str().expect("a path");
    for day in ["2026-12-01", "2026-12-02"] {
        let out = run(&[
            "assess", "--demo", "--quiet", "--as-of", day, "--db", db, "--label", "demo",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let html = out_of(
        "html",
        &["--as-of", "2026-12-03", "--db", db, "--label", "demo"],
    );
    assert_eq!(
        html.matches("<circle class=\"point").count(),
        3,
        "three days of history"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_directory_tree_is_one_device() {
    let tree = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/rootfs/app-image"
    );
    let kb = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/data/demo/advisories.osv.json"
    );
    let out = run(&[
        "assess", "--kb", kb, "--rootfs", tree, "--format", "json", "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["organisation"]["devices"], 1);
    assert!(
        json["organisation"]["findings"]
            .as_u64()
            .is_some_and(|n| n >= 8),
        "{}",
        json["organisation"]
    );
    let missing = run(&["assess", "--kb", kb, "--rootfs", "/nonexistent/tree"]);
    assert_eq!(missing.status.code(), Some(2));
}
