//! Writes the seeded fleet of `fleet_scale` as a fleet document (`{"devices": [...]}`, see the
//! README's fleet format), so that `exposure assess --inventory` can be measured on the same
//! fleet the library assesses in memory. Results: `benches/README.md`.
//!
//!     cargo run --release -p exposure-benches --example write_fleet -- FILE [DEVICES ITEMS SEED]
//!     cargo run --release -p exposure-benches --example write_fleet -- --lines FILE|- [DEVICES ITEMS SEED]
//!
//! With `--lines` the devices are written as JSON Lines (one device per line, for
//! `exposure stream`), generated one at a time, to FILE or to stdout (`-`).
//!
//! Each item is written as its package URL when it has one (every item the pool draws from
//! does), otherwise as its ecosystem, name and version.

#![allow(clippy::print_stdout)] // a benchmark tool

use exposure::inventory::{Device, Software};
use exposure_benches::fleet::{generate_each, Pool};
use serde_json::{json, Value};
use std::io::Write;

/// A software item as the fleet format writes it.
fn item(software: &Software) -> Value {
    match &software.purl {
        Some(purl) => json!({"purl": purl.text()}),
        None => json!({
            "ecosystem": software.ecosystem.osv_name(),
            "name": software.name,
            "version": software.version,
        }),
    }
}

/// A device as the fleet format writes it.
fn device(device: &Device) -> Value {
    json!({
        "id": device.id,
        "name": device.name,
        "tags": device.tags,
        "value": device.value.name(),
        "software": device.software.iter().map(|s| item(s)).collect::<Vec<_>>(),
    })
}

fn main() -> std::io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let lines = args.first().is_some_and(|a| a == "--lines");
    if lines {
        args.remove(0);
    }
    let Some(path) = args.first().cloned() else {
        eprintln!("usage: write_fleet [--lines] FILE [DEVICES ITEMS SEED]");
        std::process::exit(2);
    };
    let number =
        |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (devices, items, seed) = (number(1, 10_000), number(2, 300), number(3, 7) as u64);
    let Some(data) = exposure_benches::shared_data() else {
        eprintln!("SKIPPED: shared data not found (set EXPOSURE_SHARED_DIR)");
        return Ok(());
    };
    let pool = Pool::from_shared(&data);
    let mut out: Box<dyn Write> = if path == "-" {
        Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::io::stdout().lock(),
        ))
    } else {
        Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(&path)?,
        ))
    };
    // Device by device: the document is never built whole.
    let mut result: std::io::Result<()> = Ok(());
    if !lines {
        out.write_all(b"{\"devices\": [\n")?;
    }
    let mut written = 0;
    generate_each(&pool, devices, items, seed, |d| {
        if result.is_err() {
            return;
        }
        result = (|| {
            if !lines && written > 0 {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut out, &device(&d))?;
            if lines {
                out.write_all(b"\n")?;
            }
            written += 1;
            Ok(())
        })();
    });
    result?;
    if !lines {
        out.write_all(b"\n]}\n")?;
    }
    out.flush()?;
    if path != "-" {
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        eprintln!("{path}: {devices} devices x {items} items (seed {seed}), {size} bytes");
    }
    Ok(())
}
