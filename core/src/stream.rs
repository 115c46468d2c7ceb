//! Streaming assessment: devices read, matched and scored in bounded chunks, each chunk's
//! findings and device rows handed to a sink as they are produced, and the organisation's
//! and groups' exposure kept in running sums that merge in any order (one process folding
//! chunks, or a distributed engine folding partitions). Memory stays at one chunk plus the
//! knowledge base and the sums, whatever the fleet's size. The plan, with what is still to
//! come (recommendations from running sums), is `docs/design/streaming.md`.
//!
//! Why sums per value class: a device's weight depends on the fleet's size (a high-value
//! device weighs `max(N/10, floor)`, [`Parameters::device_weight`]), which a stream knows
//! only at its end; the sums of each class are weighted then. The organisation score is the
//! in-memory one up to the order of floating-point additions.
//!
//! ```
//! use exposure::stream::StreamOptions;
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let mut findings = Vec::new();
//! let options = StreamOptions { chunk_devices: 1, ..StreamOptions::default() };
//! let devices = fleet.devices.clone().into_iter().map(Ok::<_, std::convert::Infallible>);
//! let summary = engine.assess_stream(devices, &options, &mut exposure::stream::JsonLines::new(&mut findings))?;
//! let whole = engine.assess(&fleet);
//! assert!((summary.organisation.score - whole.organisation.score).abs() < 1e-9);
//! assert_eq!(summary.organisation.findings, whole.findings.len());
//! assert_eq!(findings.iter().filter(|&&b| b == b'\n').count(), whole.findings.len());
//! # Ok::<(), exposure::stream::StreamError<std::convert::Infallible>>(())
//! ```

use crate::assessment::{Assessment, GroupExposure, OrganisationExposure};
use crate::engine::{AssessOptions, Engine};
use crate::inventory::{Device, DeviceIds, DeviceValue, Fleet, Renamed};
use crate::score::exposure::ExposureLevel;
use crate::score::exposure::Parameters;
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

/// How a fleet is streamed.
///
/// ```
/// let options = exposure::stream::StreamOptions::default();
/// assert_eq!(options.chunk_devices, 1000);
/// ```
#[derive(Debug, Clone)]
pub struct StreamOptions<'a> {
    /// Devices assessed together (at least 1): memory grows with it, matching shares the
    /// items of a chunk's devices.
    pub chunk_devices: usize,
    /// The fleet's size when known beforehand: the device rows handed to the sink then
    /// carry their final weights. Without it a high-value device's row carries the weight
    /// of the devices read so far (the running sums are weighted at the end either way).
    pub fleet_size: Option<usize>,
    /// As-of day and exceptions, as for [`Engine::assess_with`].
    pub assess: AssessOptions<'a>,
}

impl Default for StreamOptions<'_> {
    fn default() -> Self {
        Self {
            chunk_devices: 1000,
            fleet_size: None,
            assess: AssessOptions::default(),
        }
    }
}

/// Where a streamed assessment's chunks go, each as it is assessed: its findings, device
/// rows, suppressions and diagnostics. A chunk's own organisation score and
/// recommendations are the chunk's, not the fleet's.
pub trait ChunkSink {
    /// Takes one assessed chunk.
    ///
    /// # Errors
    ///
    /// Whatever writing it fails with; the stream stops there.
    fn chunk(&mut self, chunk: &Assessment) -> std::io::Result<()>;
}

impl<F: FnMut(&Assessment) -> std::io::Result<()>> ChunkSink for F {
    fn chunk(&mut self, chunk: &Assessment) -> std::io::Result<()> {
        self(chunk)
    }
}

/// A sink writing each finding as one line of JSON ([`crate::assessment::FindingRow`], the
/// columns of the findings view) and, when given a second writer, each device's row
/// ([`crate::assessment::DeviceExposure`]) the same way.
///
/// ```
/// use exposure::stream::{ChunkSink, JsonLines};
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let mut out = Vec::new();
/// JsonLines::new(&mut out).chunk(&a)?;
/// let first: serde_json::Value = serde_json::from_slice(out.split(|&b| b == b'\n').next().unwrap())?;
/// assert_eq!(first["advisory_id"], a.findings[0].finding.advisory_id.as_ref());
/// let (mut findings, mut devices) = (Vec::new(), Vec::new());
/// JsonLines::with_device_rows(&mut findings, &mut devices).chunk(&a)?;
/// assert_eq!(devices.iter().filter(|&&b| b == b'\n').count(), a.devices.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonLines<W> {
    findings: W,
    devices: Option<W>,
}

impl<W: std::io::Write> JsonLines<W> {
    /// Writes the findings to `findings` (buffer it: one write per line otherwise).
    pub fn new(findings: W) -> Self {
        Self {
            findings,
            devices: None,
        }
    }

    /// Writes the findings to `findings` and the device rows to `devices`.
    pub fn with_device_rows(findings: W, devices: W) -> Self {
        Self {
            findings,
            devices: Some(devices),
        }
    }

    /// Flushes both writers.
    ///
    /// # Errors
    ///
    /// The first writer's error.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.findings.flush()?;
        self.devices.as_mut().map_or(Ok(()), std::io::Write::flush)
    }

    /// The findings' writer back.
    pub fn into_inner(self) -> W {
        self.findings
    }
}

/// Each row as one line of JSON.
fn write_lines<T: Serialize>(out: &mut impl std::io::Write, rows: &[T]) -> std::io::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

impl<W: std::io::Write> ChunkSink for JsonLines<W> {
    fn chunk(&mut self, chunk: &Assessment) -> std::io::Result<()> {
        write_lines(&mut self.findings, &chunk.finding_rows())?;
        match &mut self.devices {
            Some(devices) => write_lines(devices, &chunk.devices),
            None => Ok(()),
        }
    }
}

/// What a streamed assessment ends with: the fleet's organisation and group exposure from
/// the running sums, the sums themselves (to merge with another partition's), the chunks
/// and the devices renamed because their id was met before.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamSummary {
    /// The organisation's exposure.
    pub organisation: OrganisationExposure,
    /// Each group's exposure.
    pub groups: Vec<GroupExposure>,
    /// The running sums.
    pub running: RunningExposure,
    /// Chunks assessed.
    pub chunks: usize,
    /// Devices that came with an id met before, assessed under a new one.
    pub renamed: Vec<Renamed>,
}

/// Why a streamed assessment stopped: reading a device failed (the caller's error), or the
/// sink failed. Devices read before were assessed and handed to the sink.
#[derive(Debug, thiserror::Error)]
pub enum StreamError<E> {
    /// Reading the devices failed.
    #[error("reading the devices failed after {devices} devices: {source}")]
    Devices {
        /// Devices read before.
        devices: usize,
        /// The reader's error.
        source: E,
    },
    /// The sink failed.
    #[error("writing chunk {chunk} failed: {source}")]
    Sink {
        /// The chunk's number, from 1.
        chunk: usize,
        /// The sink's error.
        source: std::io::Error,
    },
}

impl Engine {
    /// Assesses a fleet read device by device, `options.chunk_devices` at a time, handing
    /// each assessed chunk to `sink` and keeping only the running sums: memory stays at one
    /// chunk whatever the number of devices. Devices with an id met before are renamed as
    /// [`Fleet::extend`] renames them. A reader error stops the stream (fail closed: the
    /// caller sees it, never a partial result as a whole one).
    ///
    /// # Errors
    ///
    /// [`StreamError::Devices`] when the reader fails, [`StreamError::Sink`] when the sink
    /// does.
    ///
    /// ```
    /// use exposure::stream::StreamOptions;
    /// let engine = exposure::Engine::demo();
    /// let devices = exposure::demo::fleet().devices.into_iter().map(Ok::<_, String>);
    /// let mut chunks = 0;
    /// let summary = engine.assess_stream(devices, &StreamOptions::default(), &mut |_: &exposure::Assessment| {
    ///     chunks += 1;
    ///     Ok(())
    /// })?;
    /// assert_eq!((summary.chunks, chunks), (1, 1));
    /// # Ok::<(), exposure::stream::StreamError<String>>(())
    /// ```
    pub fn assess_stream<E>(
        &self,
        devices: impl IntoIterator<Item = Result<Device, E>>,
        options: &StreamOptions<'_>,
        sink: &mut impl ChunkSink,
    ) -> Result<StreamSummary, StreamError<E>> {
        let chunk_devices = options.chunk_devices.max(1);
        let mut ids = DeviceIds::default();
        let mut running = RunningExposure::default();
        let mut renamed = Vec::new();
        let mut chunks = 0;
        let mut read = 0;
        let mut devices = devices.into_iter();
        loop {
            let mut fleet = Fleet::default();
            for device in devices.by_ref().take(chunk_devices) {
                let mut device = device.map_err(|source| StreamError::Devices {
                    devices: read,
                    source,
                })?;
                read += 1;
                renamed.extend(ids.admit(&mut device));
                fleet.devices.push(device);
            }
            if fleet.devices.is_empty() {
                break;
            }
            fleet.share_software();
            let mut chunk = self.assess_with(&fleet, &options.assess, &|_, _| {});
            let size = options.fleet_size.unwrap_or(read);
            for device in &mut chunk.devices {
                device.weight = self.parameters().device_weight(device.value, size);
            }
            chunks += 1;
            sink.chunk(&chunk).map_err(|source| StreamError::Sink {
                chunk: chunks,
                source,
            })?;
            running.add(&chunk);
        }
        Ok(StreamSummary {
            organisation: running.organisation(self.parameters()),
            groups: running.groups(self.parameters()),
            running,
            chunks,
            renamed,
        })
    }
}
