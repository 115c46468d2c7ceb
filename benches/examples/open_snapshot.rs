//! How long opening a knowledge-base snapshot takes, and what a first query then costs:
//! `KnowledgeBase::load_snapshot` (the file mapped, the head copied and checked, the indexes
//! searched in place, advisories left as records), the file read whole and
//! `KnowledgeBase::open_snapshot` over the bytes, one package lookup that decodes its
//! advisories, and for comparison `KnowledgeBase::from_snapshot` (every advisory decoded).
//! Best of `ROUNDS` runs each.
//!
//!     cargo run --release -p exposure-benches --example open_snapshot -- kb.bin [ROUNDS]
//!
//! Figures in benches/README.md, "Opening a knowledge base".

#![allow(clippy::print_stdout, clippy::cast_precision_loss)] // a benchmark report; megabytes

use exposure::ecosystem::Ecosystem;
use exposure::kb::KnowledgeBase;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn best<T>(rounds: usize, mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..rounds {
        let start = Instant::now();
        let value = run();
        best = best.min(start.elapsed());
        // Dropped outside the timing.
        last = Some(value);
    }
    (best, last.expect("at least one round"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: open_snapshot KB.bin [ROUNDS]")?;
    let rounds: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let (mapped, kb) = best(rounds, || KnowledgeBase::load_snapshot(path.as_ref()));
    kb?;
    let (read, bytes) = best(rounds, || std::fs::read(&path));
    let bytes = Arc::new(bytes?);
    let (open, kb) = best(rounds, || {
        KnowledgeBase::open_snapshot(Arc::clone(&bytes) as _)
    });
    let kb = kb?;
    let pypi = Ecosystem::from_osv("PyPI");
    let (query, found) = best(1, || kb.affecting(&pypi, "django").count());
    let (eager, all) = best(rounds.min(3), || KnowledgeBase::from_snapshot(&bytes));
    let all = all?;
    println!(
        "{} advisories, {:.1} MB: mapped and opened {:.2} ms; read {:.1} ms, opened from the bytes {:.2} ms; first lookup (PyPI django, {found} entries) {:.2} ms; decoding every advisory {:.0} ms ({} advisories)",
        kb.len(),
        bytes.len() as f64 / 1e6,
        mapped.as_secs_f64() * 1e3,
        read.as_secs_f64() * 1e3,
        open.as_secs_f64() * 1e3,
        query.as_secs_f64() * 1e3,
        eager.as_secs_f64() * 1e3,
        all.len(),
    );
    Ok(())
}
