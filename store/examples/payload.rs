//! Measures writing and reading one large assessment payload, and opening and checking the
//! store that holds it: the figures in `store/README.md`.
//!
//! `cargo run --release -p exposure-store --example payload -- 50` (MiB; default 50).

use std::time::Instant;

use exposure_store::{AssessmentMeta, Store, Timestamp};

/// The peak resident memory of this process so far, in MiB (Linux; 0 elsewhere).
fn peak_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let kib = line.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?;
                kib.trim().parse::<u64>().ok()
            })
        })
        .map_or(0, |kib| kib / 1024)
}

/// `payload read PATH ID`: the read, measured in a process of its own so that its peak
/// memory is its own.
fn read(path: &str, id: i64) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let store = Store::open(path)?;
    let opened = start.elapsed();
    let base = peak_mib();
    let start = Instant::now();
    let back = store.assessment_payload(id)?.ok_or("recorded")?;
    let read = start.elapsed();
    let peak = peak_mib();
    let start = Instant::now();
    store.check()?;
    let checked = start.elapsed();
    eprintln!("open   {opened:>10.1?}");
    eprintln!(
        "read   {read:>10.1?}  (peak memory +{} MiB for {} MiB read)",
        peak - base,
        back.len() / 1_048_576
    );
    eprintln!("check  {checked:>10.1?}  (PRAGMA quick_check of the whole file)");
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, path, id] = &args[..] {
        if mode == "read" {
            return read(path, id.parse()?);
        }
    }
    let mib: usize = args.get(1).map_or(Ok(50), |a| a.parse())?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("exposure.db");
    // Bytes that do not compress or repeat, as a record's would not.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let payload: Vec<u8> = (0..mib * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let meta = AssessmentMeta {
        recorded_at: Timestamp::from_unix_seconds(1_764_892_800),
        as_of: None,
        label: "fleet".into(),
        score: 50.0,
        level: "medium".into(),
        devices: 10_000,
        findings: 1_000_000,
        format: "exposure-record/1".into(),
    };
    let base = peak_mib();

    let mut store = Store::open(&path)?;
    let start = Instant::now();
    let id = store.record_assessment(&meta, &payload)?;
    let written = start.elapsed();
    let after_write = peak_mib();
    drop(store);
    let size = std::fs::metadata(&path)?.len();
    eprintln!("payload {mib} MiB, database file {} KiB", size / 1024);
    eprintln!(
        "write  {written:>10.1?}  (peak memory +{} MiB over the payload)",
        after_write - base
    );
    let status = std::process::Command::new(std::env::current_exe()?)
        .args(["read", &path.display().to_string(), &id.to_string()])
        .status()?;
    if !status.success() {
        return Err("the read failed".into());
    }
    Ok(())
}
