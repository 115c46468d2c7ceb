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
