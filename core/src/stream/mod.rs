//! Streaming assessment: devices read, matched and scored in bounded chunks, each chunk's
//! findings and device rows handed to a sink as they are produced, and the organisation's
//! and groups' exposure kept in running sums that merge in any order (one process folding
//! chunks, or a distributed engine folding partitions). Memory stays at one chunk plus the
//! knowledge base and the sums, whatever the fleet's size. The plan, with what is still to
//! come (recommendations from running sums), is `docs/design/streaming.md`.
//!
//! Why sums per value class: a device's weight depends on the fleet's size (a high-value
//! device weighs `max(N/10, floor)`, [`Parameters::device_weight`](crate::score::exposure::Parameters::device_weight)), which a stream knows
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

mod aggregate;
mod configuration;
mod dashboard;
mod exposure;
mod recommendations;
mod sinks;
mod views;

pub use aggregate::{
    Aggregate, AggregateError, Finished, FleetRecommendation, GroupViews, AGGREGATE_FORMAT,
};
pub use configuration::FleetConfiguration;
pub use dashboard::KEPT_DEVICES;
pub use exposure::{ClassSums, ExposureSums, RunningExposure};
pub use sinks::*;

use crate::assessment::{Assessment, GroupExposure, OrganisationExposure, ScoredFinding};
use crate::engine::{AssessOptions, Engine};
use crate::inventory::{Device, DeviceIds, Fleet, Renamed};

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
    /// The most entries the running aggregate may hold ([`Aggregate::entries`]: its
    /// distinct item-advisory facts, its patterns and their findings): past it the stream
    /// stops with [`StreamError::AggregateLimit`] rather than grow without bound. A fleet's
    /// devices share their products' versions and contexts, so real fleets keep a few
    /// thousand; a fleet where every device runs versions no other runs keeps each
    /// device's findings.
    pub max_aggregate_entries: usize,
}

/// The default [`StreamOptions::max_aggregate_entries`]. An entry costs about 2 KB while
/// the aggregate is kept and finished (measured on a fleet whose devices share nothing,
/// benches/README.md), so the default keeps the aggregate near 600 MB: with the all-feeds
/// knowledge base (about 600 MB) a stream stays under 1.5 GB.
///
/// ```
/// assert_eq!(exposure::stream::DEFAULT_MAX_AGGREGATE_ENTRIES, 300_000);
/// ```
pub const DEFAULT_MAX_AGGREGATE_ENTRIES: usize = 300_000;

impl Default for StreamOptions<'_> {
    fn default() -> Self {
        Self {
            chunk_devices: 1000,
            fleet_size: None,
            assess: AssessOptions::default(),
            max_aggregate_entries: DEFAULT_MAX_AGGREGATE_ENTRIES,
        }
    }
}

/// What a streamed assessment ends with: the fleet's organisation and group exposure from
/// the running sums, the aggregate itself (to merge with another partition's), the chunks
/// and the devices renamed because their id was met before.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamSummary {
    /// The organisation's exposure.
    pub organisation: OrganisationExposure,
    /// Each group's exposure.
    pub groups: Vec<GroupExposure>,
    /// The running aggregate (to merge with another partition's).
    pub aggregate: Aggregate,
    /// Chunks assessed.
    pub chunks: usize,
    /// Devices that came with an id met before, assessed under a new one.
    pub renamed: Vec<Renamed>,
}

/// Why a streamed assessment stopped: reading a device failed (the caller's error), or the
/// sink failed. Devices read before were assessed and handed to the sink.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    /// The knowledge base is damaged ([`Engine::intact`]): a snapshot record read while
    /// assessing this chunk did not decode, so the stream stopped before writing it.
    #[error("chunk {chunk}: {source}")]
    Knowledge {
        /// The chunk's number, from 1.
        chunk: usize,
        /// Why.
        source: crate::Error,
    },
    /// The running aggregate outgrew [`StreamOptions::max_aggregate_entries`]: the fleet's
    /// devices share too few of their products' versions and contexts for its
    /// recommendations to be summed in bounded memory.
    #[error("the running aggregate holds {entries} entries after {devices} devices, past the limit of {limit} (the fleet's devices share few product versions and contexts): raise the limit if memory allows, about 2 KB an entry")]
    AggregateLimit {
        /// Devices read before.
        devices: usize,
        /// The entries held.
        entries: usize,
        /// The limit.
        limit: usize,
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
    /// does, [`StreamError::Knowledge`] when a snapshot record it read is damaged.
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
        let mut aggregate = Aggregate::new(self);
        // Each distinct item is matched once for the whole stream, not once a chunk.
        let memos = crate::matching::MatchMemos::default();
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
            // The chunk's own recommendations would be the chunk's: the aggregate makes the
            // fleet's.
            let mut chunk = self.assess_remembering(
                &fleet,
                &options.assess,
                &|_, _| {},
                &memos,
                crate::engine::FleetWide::Skipped,
            );
            // A snapshot record that did not decode while matching would read as clean: the
            // stream stops before the chunk reaches the sink.
            self.intact().map_err(|source| StreamError::Knowledge {
                chunk: chunks + 1,
                source,
            })?;
            // The aggregate reads the chunk's installed items (end of support).
            chunk.fleet = Some(std::sync::Arc::new(fleet));
            let size = options.fleet_size.unwrap_or(read);
            for device in &mut chunk.devices {
                device.weight = self.parameters().device_weight(device.value, size);
            }
            chunks += 1;
            sink.chunk(&chunk).map_err(|source| StreamError::Sink {
                chunk: chunks,
                source,
            })?;
            aggregate.add(&chunk);
            let entries = aggregate.entries();
            if entries > options.max_aggregate_entries {
                return Err(StreamError::AggregateLimit {
                    devices: read,
                    entries,
                    limit: options.max_aggregate_entries,
                });
            }
        }
        Ok(StreamSummary {
            organisation: aggregate.exposure().organisation(self.parameters()),
            groups: aggregate.exposure().groups(self.parameters()),
            aggregate,
            chunks,
            renamed,
        })
    }
}

/// A chunk's findings by the id of their device.
pub(crate) type FindingsByDevice<'a> = std::collections::HashMap<&'a str, Vec<&'a ScoredFinding>>;

/// A chunk's findings grouped by the id of their device.
pub(crate) fn findings_by_device(chunk: &Assessment) -> FindingsByDevice<'_> {
    let mut by_device = FindingsByDevice::new();
    for finding in &chunk.findings {
        by_device
            .entry(&*finding.finding.device_id)
            .or_default()
            .push(finding);
    }
    by_device
}
