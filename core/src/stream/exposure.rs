//! The organisation's and groups' exposure as running sums per value class, mergeable in any
//! order (see the module documentation of [`crate::stream`]).

use crate::assessment::{Assessment, GroupExposure, OrganisationExposure};
use crate::inventory::DeviceValue;
use crate::score::exposure::{ExposureLevel, Parameters};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The running sums of the devices of one value class.
///
/// ```
/// let sums = exposure::stream::ClassSums::default();
/// assert_eq!((sums.devices, sums.score), (0, 0.0));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassSums {
    /// Devices of the class.
    pub devices: usize,
    /// The sum of their scores.
    pub score: f64,
}

impl ClassSums {
    fn merge(&mut self, other: ClassSums) {
        self.devices += other.devices;
        self.score += other.score;
    }
}

/// The running sums behind one exposure (the organisation's or a group's): per value class
/// the devices and the sum of their scores, the vulnerable devices and the findings.
///
/// ```
/// use exposure::inventory::DeviceValue;
/// use exposure::score::exposure::Parameters;
/// use exposure::stream::ExposureSums;
/// let mut sums = ExposureSums::default();
/// sums.add_device(DeviceValue::Normal, 80.0, 3);
/// sums.add_device(DeviceValue::Low, 0.0, 0);
/// assert_eq!((sums.devices(), sums.vulnerable_devices, sums.findings), (2, 1, 3));
/// // Weights 1 and 0.75: (80 × 1 + 0 × 0.75) / 1.75.
/// assert!((sums.score(&Parameters::default(), 2) - 80.0 / 1.75).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExposureSums {
    /// Low-value devices.
    pub low: ClassSums,
    /// Normal-value devices.
    pub normal: ClassSums,
    /// High-value devices.
    pub high: ClassSums,
    /// Devices with at least one finding.
    pub vulnerable_devices: usize,
    /// Findings (as the exposure counts them: every finding for the organisation, those
    /// that count in the scores for a group).
    pub findings: usize,
}

impl ExposureSums {
    /// Adds a device of `value`, its score and its findings.
    pub fn add_device(&mut self, value: DeviceValue, score: f64, findings: usize) {
        self.add(value, score, findings > 0, findings);
    }

    /// Adds a device whose findings counted here (`findings`) may be fewer than those
    /// that make it vulnerable.
    fn add(&mut self, value: DeviceValue, score: f64, vulnerable: bool, findings: usize) {
        let class = match value {
            DeviceValue::Low => &mut self.low,
            DeviceValue::Normal => &mut self.normal,
            DeviceValue::High => &mut self.high,
        };
        class.merge(ClassSums { devices: 1, score });
        self.vulnerable_devices += usize::from(vulnerable);
        self.findings += findings;
    }

    /// Adds the sums of other devices (of another chunk or partition).
    ///
    /// ```
    /// use exposure::inventory::DeviceValue;
    /// use exposure::stream::ExposureSums;
    /// let (mut a, mut b) = (ExposureSums::default(), ExposureSums::default());
    /// a.add_device(DeviceValue::High, 50.0, 1);
    /// b.add_device(DeviceValue::High, 30.0, 2);
    /// a.merge(&b);
    /// assert_eq!((a.high.devices, a.high.score, a.findings), (2, 80.0, 3));
    /// ```
    pub fn merge(&mut self, other: &ExposureSums) {
        self.low.merge(other.low);
        self.normal.merge(other.normal);
        self.high.merge(other.high);
        self.vulnerable_devices += other.vulnerable_devices;
        self.findings += other.findings;
    }

    /// The weight of the devices summed, each value class's devices weighing `weights`
    /// (low, normal, high).
    pub(crate) fn weight(&self, weights: [f64; 3]) -> f64 {
        #[allow(clippy::cast_precision_loss)] // device counts are far below 2^52
        let devices = [self.low, self.normal, self.high].map(|c| c.devices as f64);
        (0..3).map(|c| weights[c] * devices[c]).sum()
    }

    /// The devices summed.
    pub fn devices(&self) -> usize {
        self.low.devices + self.normal.devices + self.high.devices
    }

    /// The weighted mean of the device scores with the weights of a fleet of `fleet_size`
    /// devices ([`Parameters::device_weight`]); 0 without devices.
    pub fn score(&self, parameters: &Parameters, fleet_size: usize) -> f64 {
        let classes = [
            (DeviceValue::Low, self.low),
            (DeviceValue::Normal, self.normal),
            (DeviceValue::High, self.high),
        ];
        let (sum, weights) = classes
            .iter()
            .fold((0.0, 0.0), |(sum, weights), (value, class)| {
                let weight = parameters.device_weight(*value, fleet_size);
                #[allow(clippy::cast_precision_loss)] // device counts are far below 2^52
                let devices = class.devices as f64;
                (sum + weight * class.score, weights + weight * devices)
            });
        if weights > 0.0 {
            sum / weights
        } else {
            0.0
        }
    }
}

/// The running exposure of a streamed fleet: the organisation's sums and each group's.
/// Chunks are added as they are assessed; two running exposures (of two partitions) merge.
///
/// ```
/// use exposure::stream::RunningExposure;
/// let engine = exposure::Engine::demo();
/// let whole = engine.assess(&exposure::demo::fleet());
/// let mut running = RunningExposure::default();
/// running.add(&whole);
/// let organisation = running.organisation(engine.parameters());
/// assert!((organisation.score - whole.organisation.score).abs() < 1e-9);
/// assert_eq!(organisation.devices, whole.devices.len());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunningExposure {
    /// The organisation's sums (every finding counted).
    pub organisation: ExposureSums,
    /// Each group's sums (the findings that count in the scores), by group name.
    pub groups: BTreeMap<String, ExposureSums>,
}

impl RunningExposure {
    /// Adds the devices of an assessed chunk.
    pub fn add(&mut self, chunk: &Assessment) {
        // The findings of each device that count in the scores, for its groups.
        let mut counted: HashMap<&str, usize> = HashMap::new();
        for finding in chunk.findings.iter().filter(|f| f.not_counted().is_none()) {
            *counted.entry(&*finding.finding.device_id).or_default() += 1;
        }
        for device in &chunk.devices {
            self.organisation
                .add_device(device.value, device.score, device.findings);
            // A device is vulnerable in its groups when it has findings at all, as in the
            // organisation; a group counts only the findings that count in the scores.
            let findings = counted.get(device.device_id.as_str()).copied();
            for group in &device.groups {
                self.groups.entry(group.clone()).or_default().add(
                    device.value,
                    device.score,
                    device.findings > 0,
                    findings.unwrap_or(0),
                );
            }
        }
    }

    /// Adds another running exposure (of another partition of the fleet).
    pub fn merge(&mut self, other: &RunningExposure) {
        self.organisation.merge(&other.organisation);
        for (group, sums) in &other.groups {
            self.groups.entry(group.clone()).or_default().merge(sums);
        }
    }

    /// The organisation's exposure, the weights those of the devices summed.
    pub fn organisation(&self, parameters: &Parameters) -> OrganisationExposure {
        let size = self.organisation.devices();
        let score = self.organisation.score(parameters, size);
        OrganisationExposure {
            score,
            level: ExposureLevel::of_score(score),
            devices: size,
            vulnerable_devices: self.organisation.vulnerable_devices,
            findings: self.organisation.findings,
        }
    }

    /// Each group's exposure, by name, weighted as in the whole fleet.
    pub fn groups(&self, parameters: &Parameters) -> Vec<GroupExposure> {
        let size = self.organisation.devices();
        self.groups
            .iter()
            .map(|(group, sums)| {
                let score = sums.score(parameters, size);
                GroupExposure {
                    group: group.clone(),
                    devices: sums.devices(),
                    vulnerable_devices: sums.vulnerable_devices,
                    findings: sums.findings,
                    score,
                    level: ExposureLevel::of_score(score),
                }
            })
            .collect()
    }
}
