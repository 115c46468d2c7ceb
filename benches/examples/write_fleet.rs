//! Writes the seeded fleet of `fleet_scale` as a fleet document (`{"devices": [...]}`, see the
//! README's fleet format), so that `exposure assess --inventory` can be measured on the same
//! fleet the library assesses in memory. Results: `benches/README.md`.
//!
//!     cargo run --release -p exposure-benches --example write_fleet -- FILE [DEVICES ITEMS SEED]
//!
//! Each item is written as its package URL when it has one (every item the pool draws from
//! does), otherwise as its ecosystem, name and version.

#![allow(clippy::print_stdout)] // a benchmark tool

use exposure::inventory::{Device, Software};
use exposure_benches::fleet::{generate, Pool};
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: write_fleet FILE [DEVICES ITEMS SEED]");
        std::process::exit(2);
    };
    let number =
        |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (devices, items, seed) = (number(1, 10_000), number(2, 300), number(3, 7) as u64);
    let Some(data) = exposure_benches::shared_data() else {
        eprintln!("SKIPPED: shared data not found (set EXPOSURE_SHARED_DIR)");
        return Ok(());
    };
    let fleet = generate(&Pool::from_shared(&data), devices, items, seed);
    // Device by device: the document is never built whole.
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    out.write_all(b"{\"devices\": [\n")?;
    for (i, d) in fleet.devices.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &device(d))?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    println!("{path}: {devices} devices x {items} items (seed {seed}), {size} bytes");
    Ok(())
}
