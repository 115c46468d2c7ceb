//! The scale benchmark: a seeded fleet of 10,000 devices with 300 software items each, drawn
//! from real SBOMs and a real dpkg status, assessed against every feed in `../shared/data`.
//! Prints the time of each phase and the peak memory (VmHWM). Results: `benches/README.md`.
//!
//!     cargo run --release -p exposure-benches --example fleet_scale [-- DEVICES ITEMS SEED [unshared]]
//!
//! `unshared` gives every device its own copy of each item, as a fleet built item by item
//! without [`Fleet::share_software`](exposure::inventory::Fleet::share_software) would hold
//! them: matching then finds repeated items by value instead of by address.

#![allow(clippy::print_stdout)] // a benchmark report

use exposure::kb::KnowledgeBase;
use exposure::Engine;
use exposure_benches::fleet::{generate, Pool};
use std::time::Instant;

fn peak_memory_mib() -> Option<f64> {
    memory_mib("VmHWM:")
}

/// A memory figure of `/proc/self/status` (`VmHWM:` peak, `VmRSS:` now), in MiB.
fn memory_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let (devices, items, seed) = exposure_benches::fleet_args();
    let Some(data) = exposure_benches::shared_data() else {
        eprintln!("SKIPPED: shared data not found (set EXPOSURE_SHARED_DIR)");
        return;
    };
    let started = Instant::now();
    let mut kb = KnowledgeBase::new();
    let feeds = exposure_benches::FLEET_FEEDS;
    let mut records = 0;
    for feed in feeds {
        match kb.load_path(&data.join(feed)) {
            Ok(report) => records += report.records_loaded,
            Err(e) => eprintln!("{feed}: {e}"),
        }
    }
    let loaded = started.elapsed();
    let kb_memory = memory_mib("VmRSS:").unwrap_or(0.0);
    let pool = Pool::from_shared(&data);
    let started = Instant::now();
    let mut fleet = generate(&pool, devices, items, seed);
    let unshared = std::env::args().any(|a| a == "unshared");
    if unshared {
        for device in &mut fleet.devices {
            for item in &mut device.software {
                *item = std::sync::Arc::new(exposure::inventory::Software::clone(item));
            }
        }
    }
    let generated = started.elapsed();
    let fleet_memory = memory_mib("VmRSS:").unwrap_or(0.0) - kb_memory;
    let started = Instant::now();
    let (matched, _) = exposure::matching::match_fleet(&kb, &fleet);
    println!(
        "matching alone: {:.2} s, {} findings ({:.0} MiB more)",
        started.elapsed().as_secs_f64(),
        matched.len(),
        memory_mib("VmRSS:").unwrap_or(0.0) - kb_memory - fleet_memory
    );
    drop(matched);
    let engine = Engine::new(kb);
    let started = Instant::now();
    let assessment = engine.assess(&fleet);
    let assessed = started.elapsed();
    println!(
        "knowledge base: {records} records from {} feeds in {:.2} s ({} advisories)",
        feeds.len(),
        loaded.as_secs_f64(),
        engine.kb().len()
    );
    println!(
        "pool: {} Debian source packages, {} language packages",
        pool.debian.len(),
        pool.language.len()
    );
    println!("knowledge base memory: {kb_memory:.0} MiB");
    println!(
        "fleet: {devices} devices x {items} items (seed {seed}{}) generated in {:.2} s, {fleet_memory:.0} MiB",
        if unshared { ", unshared" } else { "" },
        generated.as_secs_f64()
    );
    println!(
        "assessment: {:.2} s on {} threads: {} findings, {} suppressed, {} recommendations, organisation score {:.1}",
        assessed.as_secs_f64(),
        std::thread::available_parallelism().map_or(1, usize::from),
        assessment.findings.len(),
        assessment.suppressed.len(),
        assessment.recommendations.len(),
        assessment.organisation.score
    );
    // The record a history keeps of it (issue 14): made, written and read back.
    let started = Instant::now();
    match exposure::history::AssessmentRecord::of(&assessment, &fleet, engine.kb()) {
        Ok(record) => {
            let made = started.elapsed();
            let started = Instant::now();
            let binary = record.to_binary();
            let written = started.elapsed();
            let started = Instant::now();
            let back = exposure::history::AssessmentRecord::from_binary(&binary);
            let read = started.elapsed();
            let json = record.to_json().map_or(0, |j| j.len());
            println!(
                "record: made in {:.2} s, binary {:.1} MiB written in {:.2} s, read back in {:.2} s ({}), JSON {:.1} MiB",
                made.as_secs_f64(),
                mib(binary.len()),
                written.as_secs_f64(),
                read.as_secs_f64(),
                if back.as_ref() == Ok(&record) { "equal" } else { "DIFFERENT" },
                mib(json)
            );
        }
        Err(e) => println!("record: {e}"),
    }
    if let Some(peak) = peak_memory_mib() {
        println!("peak memory: {peak:.0} MiB");
    }
}

/// Bytes in MiB, for display.
#[allow(clippy::cast_precision_loss)] // sizes far below 2^52 bytes
fn mib(bytes: usize) -> f64 {
    bytes as f64 / 1_048_576.0
}
