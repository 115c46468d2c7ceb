//! A seeded fleet generator drawing real package names and versions from the SBOMs and the
//! dpkg status in `../shared/data`: Debian 12 servers (their source packages, as dpkg reports
//! them, plus an application's language packages) and application hosts (language packages
//! of several ecosystems). The same seed always gives the same fleet.

use exposure::inventory::{self, Device, DeviceValue, Distro, Fleet, LoadOptions, Software};
use std::path::Path;
use std::sync::Arc;

/// Real software to draw from, by kind.
#[derive(Debug, Default)]
pub struct Pool {
    /// Debian 12 source packages with their installed versions.
    pub debian: Vec<Arc<Software>>,
    /// Language packages (npm, Maven, Go, Composer) from real SBOMs.
    pub language: Vec<Arc<Software>>,
}

impl Pool {
    /// The pool from `data` (the shared data directory).
    pub fn from_shared(data: &Path) -> Pool {
        let mut pool = Pool::default();
        let dpkg = data.join("inventory-dpkg");
        let options = LoadOptions {
            distro: std::fs::read_to_string(dpkg.join("os-release-this-machine"))
                .ok()
                .and_then(|t| Distro::from_os_release(&t)),
            ..LoadOptions::default()
        };
        if let Ok(loaded) = inventory::load_path(&dpkg.join("dpkg-status-this-machine"), &options) {
            pool.debian = loaded
                .fleet
                .devices
                .into_iter()
                .flat_map(|d| d.software)
                .collect();
        }
        let sboms = data.join("sbom-cyclonedx");
        for name in [
            "juice-shop__v11.1.2__bom.json.gz",
            "protonmail-webclient-v4-0912dff__bom.json.gz",
            "keycloak-10.0.2__bom.json.gz",
            "dropwizard-1.3.15__bom.json",
            "proton-bridge__proton-bridge-v1.8.0.bom.json",
            "laravel-7.12.0__bom.1.4.json",
            "cern-lhc-vdm-editor-e564943__bom.json",
        ] {
            if let Ok(loaded) = inventory::load_path(
                &sboms.join(name),
                &exposure::inventory::LoadOptions::default(),
            ) {
                pool.language
                    .extend(loaded.fleet.devices.into_iter().flat_map(|d| d.software));
            }
        }
        pool.language.sort_by(|a, b| {
            (&a.ecosystem.to_string(), &a.name, &a.version).cmp(&(
                &b.ecosystem.to_string(),
                &b.name,
                &b.version,
            ))
        });
        pool.language.dedup();
        pool
    }
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[allow(clippy::cast_possible_truncation)]
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `count` distinct indexes below `n` (all of them when `count >= n`).
    fn sample(&mut self, n: usize, count: usize, scratch: &mut Vec<usize>) -> Vec<usize> {
        scratch.clear();
        scratch.extend(0..n);
        let count = count.min(n);
        for i in 0..count {
            let j = i + self.below(n - i);
            scratch.swap(i, j);
        }
        scratch[..count].to_vec()
    }
}

/// `devices` devices of `items` software items each, sharing the pool's items as a fleet
/// loaded from a file shares equal items ([`Fleet::share_software`]). Three in five are Debian 12 servers
/// (two thirds of their items distro packages, the rest language packages), the others
/// application hosts (language packages only); one in ten is high value, one in five low.
pub fn generate(pool: &Pool, devices: usize, items: usize, seed: u64) -> Fleet {
    let mut fleet = Fleet::default();
    generate_each(pool, devices, items, seed, |device| {
        fleet.devices.push(device);
    });
    fleet
}

/// The devices of [`generate`], handed to `each` one at a time (a fleet of a million
/// devices is never held).
pub fn generate_each(
    pool: &Pool,
    devices: usize,
    items: usize,
    seed: u64,
    mut each: impl FnMut(Device),
) {
    let mut rng = Rng(seed);
    let mut scratch = Vec::new();
    for d in 0..devices {
        let server = !pool.debian.is_empty() && rng.below(5) < 3;
        let distro_items = if server {
            (items * 2 / 3).min(pool.debian.len())
        } else {
            0
        };
        let mut software: Vec<Arc<Software>> = rng
            .sample(pool.debian.len(), distro_items, &mut scratch)
            .into_iter()
            .map(|i| pool.debian[i].clone())
            .collect();
        software.extend(
            rng.sample(pool.language.len(), items - distro_items, &mut scratch)
                .into_iter()
                .map(|i| pool.language[i].clone()),
        );
        let value = match rng.below(10) {
            0 => DeviceValue::High,
            1 | 2 => DeviceValue::Low,
            _ => DeviceValue::Normal,
        };
        each(Device {
            id: format!("{}-{d:05}", if server { "srv" } else { "app" }),
            name: format!("device {d}"),
            tags: vec![if server { "linux" } else { "apps" }.to_owned()],
            groups: Vec::new(),
            value,
            software,
            internet_facing: false,
            alerts: Vec::new(),
            conditions: Vec::new(),
            configuration: Vec::new(),
        });
    }
}
