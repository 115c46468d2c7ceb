//! The work of a batch mode without its I/O: the lines of a file held in memory, each
//! parsed and answered as `exposure version compare` or `exposure cvss score` does, on one
//! thread, best of 5 rounds. The command's time on one core less this floor is what its
//! reading, splitting and writing cost (benches/README.md, "Batch modes").
//!
//!     cargo run --release -p exposure-benches --example batch_floor -- pypi lines.tsv
//!     cargo run --release -p exposure-benches --example batch_floor -- cvss vectors.txt

#![allow(
    clippy::print_stdout,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]

use exposure::score::cvss::Cvss;
use exposure::version::{Scheme, Version};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, path] = args.as_slice() else {
        eprintln!("usage: batch_floor SCHEME|cvss FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let scheme = (mode != "cvss")
        .then(|| Scheme::from_vers_type(mode).unwrap_or_else(|| panic!("no scheme {mode:?}")));
    let mut best = f64::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        let mut sink = 0i64;
        for line in &lines {
            sink += match scheme {
                Some(scheme) => answer_compare(scheme, line),
                None => answer_cvss(line),
            };
        }
        black_box(sink);
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{mode}: {} lines, {:.1} ms, {:.1} ns per line",
        lines.len(),
        best * 1e3,
        best * 1e9 / lines.len() as f64
    );
}

fn answer_compare(scheme: Scheme, line: &str) -> i64 {
    let Some((a, b)) = line.split_once('\t') else {
        return -9;
    };
    match (Version::parse(scheme, a), Version::parse(scheme, b)) {
        (Ok(a), Ok(b)) => a.try_cmp(&b).map_or(-9, |order| order as i64),
        _ => -9,
    }
}

fn answer_cvss(line: &str) -> i64 {
    line.parse::<Cvss>().map_or(-9, |cvss| {
        let (score, severity) = cvss.rating();
        (score * 10.0) as i64 + severity as i64
    })
}
