//! `exposure kb update` end to end against a loopback server serving the shared data: the
//! summary as JSON, JSON log lines, and on a failing source exit status 2 with the snapshot
//! left as it was.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

#[path = "../../update/tests/support/mod.rs"]
mod support;

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use support::{Feeds, Reply, Server};

fn update(server: &Server, snapshot: &std::path::Path, now: &str, extra: &[&str]) -> Output {
    command(server, snapshot, now, extra).output().unwrap()
}

/// The `exposure kb update` command of every source the server serves.
fn command(server: &Server, snapshot: &std::path::Path, now: &str, extra: &[&str]) -> Command {
    let base = &server.base;
    let mut command = Command::new(env!("CARGO_BIN_EXE_exposure"));
    command
        .args(["kb", "update"])
        .arg(snapshot)
        .args([
            "--source",
            "nvd",
            "--source",
            "osv:Go",
            "--source",
            "alpine:3.21/main",
        ])
        .args(["--source", "kev", "--source", "epss"])
        .args(["--nvd-url", &format!("{base}/nvd")])
        .args(["--osv-url", &format!("{base}/osv")])
        .args(["--kev-url", &format!("{base}/kev.json")])
        .args(["--epss-url", &format!("{base}/epss.csv.gz")])
        .args(["--alpine-url", &format!("{base}/alpine")])
        .args([
            "--now",
            now,
            "--nvd-rate-window",
            "20ms",
            "--backoff",
            "10ms",
        ])
        .args(["--attempts", "2", "--no-proxy"])
        .args(extra)
        .env_remove("NVD_API_KEY");
    command
}

/// At a terminal (a pseudo-terminal made by util-linux's `script`), progress is a bar redrawn
/// in place, not log lines, and the summary table follows it.
#[test]
fn at_a_terminal_progress_is_a_bar() {
    let feeds = Arc::new(Mutex::new(Feeds::from_shared(20)));
    let server = Server::start();
    Feeds::serve(&feeds, &server);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let update = command(&server, &snapshot, "2026-12-01T00:00:00Z", &[]);
    let quoted =
        |text: &std::ffi::OsStr| format!("'{}'", text.to_str().unwrap().replace('\'', r"'\''"));
    let line: Vec<String> = std::iter::once(quoted(update.get_program()))
        .chain(update.get_args().map(quoted))
        .collect();
    let out = Command::new("script")
        .args(["--quiet", "--return", "--command"])
        .arg(line.join(" "))
        .arg("/dev/null")
        .env_remove("NVD_API_KEY")
        .output()
        .expect("util-linux's script (Debian's bsdutils) makes the terminal");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("\rnvd [") && shown.contains("] 100% "),
        "a bar redrawn with carriage returns: {shown}"
    );
    assert!(
        !shown.contains("event="),
        "no log lines at a terminal: {shown}"
    );
    assert!(
        shown.contains("nvd: 74 added, 0 changed, 0 withdrawn (1 requests,"),
        "each source's line: {shown}"
    );
    assert!(shown.contains("SOURCE  "), "the summary: {shown}");
    assert!(snapshot.exists());
}

#[test]
fn kb_update_writes_a_snapshot_and_keeps_it_when_a_source_fails() {
    let feeds = Arc::new(Mutex::new(Feeds::from_shared(20)));
    let server = Server::start();
    Feeds::serve(&feeds, &server);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");

    let out = update(
        &server,
        &snapshot,
        "2026-12-01T00:00:00Z",
        &["--format", "json", "--log-format", "json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sources = summary["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 5);
    assert_eq!(sources[0]["source"], "nvd");
    assert_eq!(sources[4]["added"], 5); // EPSS's sample rows
    assert_eq!(summary["written"], true);
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert!(events
        .iter()
        .any(|e| e["event"] == "source_done" && e["source"] == "kev"));
    assert_eq!(events.last().unwrap()["event"], "done");
    let kb = exposure::kb::KnowledgeBase::load_snapshot(&snapshot).unwrap();
    assert!(kb.threat().kev_len() > 1000 && kb.len() > 20);
    let before = std::fs::read(&snapshot).unwrap();

    // The table, and text log lines, when nothing changed.
    let out = update(&server, &snapshot, "2026-12-01T00:00:00Z", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        stdout.starts_with("SOURCE  ") && stdout.contains("snapshot up to date"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("event=source_done") && l.contains(" source=epss")),
        "{stderr}"
    );

    // KEV answers 500: exit status 2, the error names the source and URL, snapshot kept.
    feeds.lock().unwrap().kev.etag = "\"kev-2\"".into();
    server.script("/kev.json", [Reply::status(500)]);
    let out = update(&server, &snapshot, "2026-12-02T00:00:00Z", &["-q"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("kev: GET http://127.0.0.1:") && stderr.contains("HTTP status 500"),
        "{stderr}"
    );
    assert!(std::fs::read(&snapshot).unwrap() == before);

    // A source the command does not know is refused before anything is fetched.
    server.clear_log();
    let out = update(
        &server,
        &snapshot,
        "2026-12-02T00:00:00Z",
        &["--source", "gopher"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(server.total(), 0);
}

/// `/usr/bin/time -v` of `exposure kb update` on a one-day delta (three NVD and three OSV
/// records changed, KEV's ETag) after a full update from the loopback server serving every Go
/// OSV record, the NVD samples, KEV, EPSS and Alpine 3.20/3.21 main; for benches/README.md:
/// `cargo test --release -p exposure-cli --test kb_update -- --ignored --nocapture`.
#[test]
#[ignore = "figures for benches/README.md"]
fn figures_of_a_one_day_delta() {
    let feeds = Arc::new(Mutex::new(Feeds::from_shared(usize::MAX)));
    let server = Server::start();
    Feeds::serve(&feeds, &server);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let timed = |now: &str| {
        let base = &server.base;
        let out = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(env!("CARGO_BIN_EXE_exposure"))
            .args(["kb", "update"])
            .arg(&snapshot)
            .args([
                "--source",
                "nvd",
                "--source",
                "osv:Go",
                "--source",
                "alpine:3.20/main",
            ])
            .args([
                "--source",
                "alpine:3.21/main",
                "--source",
                "kev",
                "--source",
                "epss",
            ])
            .args(["--nvd-url", &format!("{base}/nvd")])
            .args(["--osv-url", &format!("{base}/osv")])
            .args(["--kev-url", &format!("{base}/kev.json")])
            .args(["--epss-url", &format!("{base}/epss.csv.gz")])
            .args(["--alpine-url", &format!("{base}/alpine")])
            .args([
                "--now",
                now,
                "--nvd-rate-window",
                "10ms",
                "--no-proxy",
                "-q",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let pick = |key: &str| {
            stderr
                .lines()
                .find(|l| l.trim_start().starts_with(key))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        println!("{}", String::from_utf8_lossy(&out.stdout));
        println!(
            "{}\n{}",
            pick("Elapsed (wall clock)"),
            pick("Maximum resident")
        );
    };
    println!("full update from the loopback server:");
    timed("2026-12-01T00:00:00Z");
    {
        let mut f = feeds.lock().unwrap();
        for i in 0..3 {
            f.nvd[i]["cve"]["lastModified"] = "2026-12-01T12:00:00.000".into();
            f.nvd[i]["cve"]["descriptions"][0]["value"] = "changed".into();
        }
        let ids: Vec<String> = f.osv.keys().take(3).cloned().collect();
        for id in ids {
            let r = f.osv.get_mut(&id).unwrap();
            r["modified"] = "2026-12-01T12:00:00Z".into();
            r["summary"] = "changed".into();
        }
        f.kev.etag = "\"kev-2\"".into();
    }
    println!("one-day delta:");
    timed("2026-12-02T00:00:00Z");
    println!(
        "snapshot: {} bytes",
        std::fs::metadata(&snapshot).unwrap().len()
    );
}
