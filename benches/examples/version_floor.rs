//! The floor of version parse and compare times: for each scheme, the best of many rounds.
//!
//!     cargo run --release -p exposure-benches --example version_floor [scheme]
//!
//! Criterion reports a median, which on a shared virtual machine moves by up to 1.6x with
//! the neighbours' load; the best of 15 rounds of 20,000 iterations is what the code costs
//! when the machine is not taken away from it, and is stable from run to run. Both sets of
//! `exposure_benches` are measured: mixed shapes and plain releases.

#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use exposure::version::{Scheme, Version};
use exposure_benches::{MIXED_VERSIONS, PLAIN_VERSIONS};
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

fn measure(scheme: Scheme, samples: &[&str; 4]) -> (f64, f64) {
    let parse = floor(4.0, || {
        samples
            .iter()
            .filter(|s| Version::parse(scheme, black_box(s)).is_ok())
            .count()
    });
    let parsed: Vec<Version> = samples
        .iter()
        .filter_map(|s| Version::parse(scheme, s).ok())
        .collect();
    let compare = floor(16.0, || {
        let mut less = 0;
        for x in &parsed {
            for y in &parsed {
                less += usize::from(
                    black_box(x)
                        .try_cmp(black_box(y))
                        .is_ok_and(std::cmp::Ordering::is_lt),
                );
            }
        }
        less
    });
    (parse, compare)
}

fn main() {
    let only = std::env::args().nth(1);
    println!("| scheme | parse, mixed | compare, mixed | parse, plain | compare, plain |");
    println!("|---|---|---|---|---|");
    for ((scheme, mixed), (_, plain)) in MIXED_VERSIONS.iter().zip(PLAIN_VERSIONS) {
        if only.as_deref().is_some_and(|name| name != scheme.name()) {
            continue;
        }
        let (pm, cm) = measure(*scheme, mixed);
        let (pp, cp) = measure(*scheme, plain);
        println!("| {scheme} | {pm:.1} | {cm:.1} | {pp:.1} | {cp:.1} |");
    }
}
