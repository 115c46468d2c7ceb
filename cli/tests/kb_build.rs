//! `exposure kb build -o` replaces the snapshot whole or not at all: a write that fails
//! midway leaves the snapshot that was there as it was.

use std::path::Path;
use std::process::Command;

/// OSV records of `n` vulnerabilities in `dir`, some 300 bytes each.
fn records(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).expect("dir");
    for i in 0..n {
        let record = format!(
            r#"{{"id": "GO-{i}", "details": "{}", "affected": [{{"package": {{"ecosystem": "Go",
            "name": "example.com/m{i}"}}, "ranges": [{{"type": "SEMVER",
            "events": [{{"introduced": "0"}}, {{"fixed": "1.{i}.0"}}]}}]}}]}}"#,
            "x".repeat(200)
        );
        std::fs::write(dir.join(format!("GO-{i}.json")), record).expect("write");
    }
}

#[cfg(unix)]
#[test]
fn a_build_that_fails_midway_leaves_the_snapshot_as_it_was() {
    let dir = std::env::temp_dir().join(format!("exposure-cli-{}-build", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let (small, large) = (dir.join("small"), dir.join("large"));
    records(&small, 200);
    records(&large, 400);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("dir");
    let keep = out.join("keep.bin");
    let build = |feeds: &Path, file_size_blocks: Option<u32>| {
        // `ulimit -f` makes a write past that size fail (EFBIG, with SIGXFSZ ignored): a disk
        // that fills up midway.
        let limit = file_size_blocks.map_or(String::new(), |n| format!("ulimit -f {n}; "));
        Command::new("sh")
            .arg("-c")
            .arg(format!("trap '' XFSZ; {limit}exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_exposure"))
            .args(["kb", "build"])
            .arg(feeds)
            .arg("-o")
            .arg(&keep)
            .output()
            .expect("runs")
    };
    let first = build(&small, None);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let good = std::fs::read(&keep).expect("the snapshot");
    assert!(good.len() > 64 << 10, "{} bytes", good.len());

    let failed = build(&large, Some(64)); // 32 or 64 KiB, as the shell counts blocks
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("keep.bin: "), "{stderr}");
    assert_eq!(
        std::fs::read(&keep).expect("the snapshot"),
        good,
        "left as it was"
    );
    let names: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["keep.bin"], "no temporary file is left");
    std::fs::remove_dir_all(dir).ok();
}
