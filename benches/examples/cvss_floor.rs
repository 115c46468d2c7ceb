//! The floor of CVSS parse-and-score times: the best of many rounds (see `version_floor` for
//! why).
//!
//!     cargo run --release -p exposure-benches --example cvss_floor

#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use exposure::score::cvss::Cvss;
use exposure_benches::{CVSS31_VECTORS, CVSS_OTHER_VECTORS};
use std::hint::black_box;
use std::time::Instant;

/// Nanoseconds per item of the fastest of 15 rounds.
fn floor(items: f64, mut round: impl FnMut() -> f64) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..15 {
        let iterations = 20_000;
        let started = Instant::now();
        let mut sink = 0.0;
        for _ in 0..iterations {
            sink += round();
        }
        black_box(sink);
        best = best.min(started.elapsed().as_nanos() as f64 / f64::from(iterations) / items);
    }
    best
}

fn main() {
    println!("| vectors | ns per vector (parse and score) | per second |");
    println!("|---|---|---|");
    let sets: [(&str, &[&str]); 7] = [
        (
            "v3.1, base metrics (as NVD publishes)",
            &CVSS31_VECTORS[..2],
        ),
        (
            "v3.1, with temporal and environmental metrics",
            &CVSS31_VECTORS[2..],
        ),
        ("v3.1, all four", &CVSS31_VECTORS),
        ("v2 (2)", &CVSS_OTHER_VECTORS[..2]),
        ("v4.0 (2)", &CVSS_OTHER_VECTORS[2..]),
        ("v4.0, base metrics", &CVSS_OTHER_VECTORS[2..3]),
        (
            "v4.0, with threat and environmental metrics",
            &CVSS_OTHER_VECTORS[3..],
        ),
    ];
    for (name, vectors) in sets {
        let ns = floor(vectors.len() as f64, || {
            vectors
                .iter()
                .filter_map(|v| black_box(v).parse::<Cvss>().ok())
                .map(|c| c.score())
                .sum()
        });
        println!("| {name} | {ns:.0} | {:.1} M |", 1000.0 / ns);
    }
}
