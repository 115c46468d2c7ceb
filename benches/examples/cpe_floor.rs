//! The floor of CPE name parse and compare times: the best of many rounds (see
//! `version_floor` for why).
//!
//!     cargo run --release -p exposure-benches --example cpe_floor

#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use exposure::cpe::Cpe;
use exposure_benches::CPE_NAMES;
use std::hint::black_box;
use std::time::Instant;

/// Nanoseconds per item of the fastest of 15 rounds.
fn floor(items: f64, mut round: impl FnMut() -> usize) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..15 {
        let iterations = 20_000;
        let started = Instant::now();
        let mut sink = 0;
        for _ in 0..iterations {
            sink += round();
        }
        black_box(sink);
        best = best.min(started.elapsed().as_nanos() as f64 / f64::from(iterations) / items);
    }
    best
}

fn main() {
    let n = CPE_NAMES.len() as f64;
    let parse = floor(n, || {
        CPE_NAMES
            .iter()
            .filter(|t| Cpe::parse(black_box(t)).is_ok())
            .count()
    });
    let parsed: Vec<Cpe> = CPE_NAMES.iter().filter_map(|t| t.parse().ok()).collect();
    let to_fs = floor(n, || {
        parsed.iter().map(|c| black_box(c).to_fs().len()).sum()
    });
    let compare = floor(n * n, || {
        let mut matched = 0;
        for s in &parsed {
            for t in &parsed {
                matched += usize::from(black_box(s).matches(black_box(t)));
            }
        }
        matched
    });
    println!("| operation | ns | per second |");
    println!("|---|---|---|");
    for (name, ns) in [
        ("parse", parse),
        ("to_fs", to_fs),
        ("compare (matches)", compare),
    ] {
        println!("| {name} | {ns:.0} | {:.1} M |", 1000.0 / ns);
    }
}
