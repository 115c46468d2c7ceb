//! The batch modes as a co-process: a program that writes one line and waits for its answer
//! before writing the next gets every answer (none waits in a buffer), and a batch of many
//! lines gets them all, in order.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn a_co_process_gets_each_answer_before_writing_the_next_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["version", "compare", "--scheme", "deb"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    // Answers arrive on a thread, so that a missing one is a timeout, not a hung test.
    let (send, answers) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in stdout.lines() {
            if send.send(line.expect("a line")).is_err() {
                break;
            }
        }
    });
    for (question, answer) in [("1.0~rc1\t1.0", "-1"), ("2.0\t1.0", "1"), ("1.0\t1.0", "0")] {
        writeln!(stdin, "{question}").expect("write");
        stdin.flush().expect("flush");
        let got = answers
            .recv_timeout(Duration::from_secs(20))
            .expect("the answer comes before the next line is written");
        assert_eq!(got, answer, "{question}");
    }
    drop(stdin);
    assert!(child.wait().expect("exits").success());
    reader.join().expect("reader");
}

#[test]
fn a_batch_gets_every_answer_in_order() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["version", "compare", "--scheme", "semver"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        for i in 0..50_000 {
            writeln!(stdin, "1.{i}.0\t1.{}.0", 50_000 - i).expect("write");
        }
    });
    let out = child.wait_with_output().expect("exits");
    writer.join().expect("writer");
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout)
        .expect("UTF-8")
        .lines()
        .collect();
    assert_eq!(lines.len(), 50_000);
    assert_eq!(lines[0], "-1");
    assert_eq!(lines[25_000], "0");
    assert_eq!(lines[49_999], "1");
}

/// `cpe guess` names a Windows program against the CPE names of the knowledge given
/// (`--kb`), says what a hotfix is, and gives every candidate as JSON.
#[test]
fn cpe_guess_scores_programs_against_the_knowledge() {
    let dir = std::env::temp_dir().join(format!("exposure-guess-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let feed = dir.join("nvd.json");
    std::fs::write(
        &feed,
        r#"{"CVE_data_type":"CVE","CVE_data_format":"MITRE","CVE_data_version":"4.0","CVE_data_numberOfCVEs":"1","CVE_data_timestamp":"2099-01-01T00:00Z","CVE_Items":[{"cve":{"data_type":"CVE","data_format":"MITRE","data_version":"4.0","CVE_data_meta":{"ID":"CVE-2099-0001","ASSIGNER":"x"},"problemtype":{"problemtype_data":[]},"references":{"reference_data":[]},"description":{"description_data":[{"lang":"en","value":"A test record."}]}},"configurations":{"CVE_data_version":"4.0","nodes":[{"operator":"OR","children":[],"cpe_match":[{"vulnerable":true,"cpe23Uri":"cpe:2.3:a:symantec:endpoint_protection:*:*:*:*:*:*:*:*","versionEndExcluding":"14.0","cpe_name":[]}]}]},"impact":{},"publishedDate":"2099-01-01T00:00Z","lastModifiedDate":"2099-01-01T00:00Z"}]}"#,
    )
    .expect("feed written");
    let guess = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_exposure"))
            .args(["cpe", "guess"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("runs");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(
                b"Symantec Corporation\tSymantec Endpoint Protection\t12.1.1000.157\n\
                  Microsoft Corporation\tUpdate for Windows XP (KB2141007)\t1\n",
            )
            .expect("write");
        drop(stdin);
        let out = child.wait_with_output().expect("exits");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let named = guess(&["--kb", feed.to_str().expect("UTF-8 path")]);
    let lines: Vec<&str> = named.lines().collect();
    assert_eq!(
        lines,
        [
            "application\tdefault\tcpe:2.3:a:symantec:endpoint_protection:12.1.1000.157:*:*:*:*:*:*:*\t0.95\tvocabulary:vendor+vocabulary:product\tversion:display",
            "update\tkb-number\t-\t-\t-\t-",
        ]
    );
    // Without the knowledge, no rule supports a name: unknown stays unknown.
    let alone = guess(&["--format", "json"]);
    let first: serde_json::Value =
        serde_json::from_str(alone.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["kind"], "application");
    assert_eq!(first["candidates"], serde_json::json!([]));
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs `version compare --scheme npm` with `stdin`, returning its output.
fn compare_npm(stdin: Stdio, piped: Option<&[u8]>) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .args(["version", "compare", "--scheme", "npm"])
        .stdin(stdin)
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    let writer = piped.map(|bytes| {
        let mut stdin = child.stdin.take().expect("stdin");
        let bytes = bytes.to_vec();
        std::thread::spawn(move || stdin.write_all(&bytes).expect("write"))
    });
    let out = child.wait_with_output().expect("exits");
    if let Some(writer) = writer {
        writer.join().expect("writer");
    }
    assert!(out.status.success());
    out.stdout
}

/// A large file on stdin (mapped, its lines answered a chunk at a time) is answered as the
/// same bytes through a pipe, from its start or from the offset stdin was left at, and is
/// read to its end: its last line without a newline, lines that are not UTF-8, CRLF lines,
/// errors in place.
#[test]
fn a_file_on_stdin_is_answered_as_a_pipe_and_read_to_its_end() {
    use std::io::{Seek, SeekFrom};
    let mut input = Vec::new();
    for i in 0..150_000u32 {
        match i % 13 {
            0 => input.extend_from_slice(b"1.0.0\xff\t1.0.0\n"),
            1 => input.extend_from_slice(format!("v1.{i}.0-rc.1\t1.{i}.0\r\n").as_bytes()),
            2 => input.extend_from_slice(b"01.2.3\t1.2.3\n"),
            3 => input.extend_from_slice(format!("{i}.0.0\n").as_bytes()),
            _ => input
                .extend_from_slice(format!("1.{}.{}\t1.{}.0\n", i % 7, i % 11, i % 5).as_bytes()),
        }
    }
    input.extend_from_slice(b"2.0.0\t10.0.0");
    let path = std::env::temp_dir().join(format!("exposure-batch-file-{}", std::process::id()));
    std::fs::write(&path, &input).expect("written");
    let piped = compare_npm(Stdio::piped(), Some(&input));
    assert_eq!(piped.split(|&b| b == b'\n').count(), 150_002);
    assert!(piped.ends_with(b"-1\n"));
    let file = std::fs::File::open(&path).expect("opened");
    assert!(
        compare_npm(Stdio::from(file), None) == piped,
        "from the file's start"
    );
    // From a line in the middle: stdin's offset, moved to the end by the batch.
    let middle = input.len() / 2
        + input[input.len() / 2..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("a line")
        + 1;
    let mut file = std::fs::File::open(&path).expect("opened");
    file.seek(SeekFrom::Start(middle as u64)).expect("seek");
    let shared = file.try_clone().expect("dup");
    let rest = compare_npm(Stdio::from(shared), None);
    assert!(
        rest == compare_npm(Stdio::piped(), Some(&input[middle..])),
        "from an offset"
    );
    assert_eq!(file.stream_position().expect("offset"), input.len() as u64);
    std::fs::remove_file(&path).ok();
}
