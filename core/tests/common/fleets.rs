//! Generated fleets for the streaming tests (`core/tests/streaming.rs`,
//! `core/tests/columnar_sinks.rs`, included by `#[path]`): devices drawn from the demo fleet's
//! software, values, groups and internet exposure, with repeated ids, the same on every run.

use exposure::inventory::{Device, DeviceValue, Fleet};

/// A seeded generator (proptest's, ChaCha): the same fleets on every run.
struct Rng(proptest::test_runner::TestRng);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Rng(proptest::test_runner::TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &bytes,
        ))
    }

    fn below(&mut self, n: usize) -> usize {
        use proptest::prelude::RngExt;
        self.0.random_range(0..n)
    }
}

/// `devices` devices whose software, value, groups, exposure and ids are drawn from the demo
/// fleet (one id in ten repeats an earlier one).
pub(crate) fn generated(devices: usize, seed: u64) -> Fleet {
    let demo = exposure::demo::fleet();
    let pool: Vec<_> = demo
        .devices
        .iter()
        .flat_map(|d| d.software.iter().cloned())
        .collect();
    let mut rng = Rng::new(seed);
    let mut fleet = Fleet::default();
    for n in 0..devices {
        let mut device: Device = demo.devices[rng.below(demo.devices.len())].clone();
        device.id = if n > 0 && rng.below(10) == 0 {
            format!("device-{}", rng.below(n))
        } else {
            format!("device-{n}")
        };
        let items = rng.below(pool.len() + 1);
        device.software = (0..items)
            .map(|_| pool[rng.below(pool.len())].clone())
            .collect();
        device.value = [DeviceValue::Low, DeviceValue::Normal, DeviceValue::High][rng.below(3)];
        device.groups = ["web", "db", "ops"]
            .iter()
            .filter(|_| rng.below(2) == 0)
            .map(|g| (*g).to_owned())
            .collect();
        device.internet_facing = rng.below(3) == 0;
        fleet.devices.push(device);
    }
    fleet
}
