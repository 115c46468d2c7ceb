//! The running aggregate of a streamed or partitioned assessment: everything the fleet-wide
//! results need, kept per chunk and merged in any order, then finished once — the
//! organisation's and groups' exposure from sums per value class. A partition's aggregate
//! travels as bytes (`to_bytes`, `from_bytes`) between processes: a Spark executor's
//! partial to the driver.

use super::RunningExposure;
use crate::assessment::{Assessment, GroupExposure, KnowledgeSummary, OrganisationExposure};
use crate::engine::Engine;
use serde::{Deserialize, Serialize};

/// The version of the aggregate's byte form: bytes of another version are refused.
pub const AGGREGATE_FORMAT: u32 = 1;

/// What the fleet-wide results of a streamed or partitioned assessment are computed from:
/// the running exposure sums of the chunks added, merged with other partitions'.
///
/// ```
/// use exposure::stream::Aggregate;
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let whole = engine.assess(&fleet);
/// // Two partitions, assessed apart and merged.
/// let (left, right) = fleet.devices.split_at(2);
/// let mut total = Aggregate::new(&engine);
/// for part in [left, right] {
///     let fleet = exposure::inventory::Fleet { devices: part.to_vec(), ..Default::default() };
///     let mut partial = Aggregate::new(&engine);
///     partial.add(&engine.assess(&fleet));
///     // A partial crosses a process boundary as bytes.
///     total.merge(&Aggregate::from_bytes(&partial.to_bytes())?)?;
/// }
/// let finished = total.finish(&engine)?;
/// assert!((finished.organisation.score - whole.organisation.score).abs() < 1e-9);
/// assert_eq!(finished.organisation.findings, whole.findings.len());
/// # Ok::<(), exposure::stream::AggregateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    format: u32,
    /// The knowledge the chunks were assessed against: partials of different knowledge
    /// bases never merge.
    knowledge: KnowledgeSummary,
    /// The organisation's and groups' sums.
    exposure: RunningExposure,
    /// Chunks (or batches) added, over every merged partial.
    chunks: usize,
}

/// Why aggregates did not merge, load or finish.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AggregateError {
    /// The bytes are not an aggregate.
    #[error("not an exposure aggregate: {0}")]
    Malformed(#[from] serde_json::Error),
    /// The bytes are an aggregate of another format version.
    #[error("aggregate format {found}, this engine reads format {AGGREGATE_FORMAT}: assess the partition again with this version")]
    Format {
        /// The version found.
        found: u32,
    },
    /// The two aggregates (or the aggregate and the engine finishing it) come from
    /// different knowledge bases.
    #[error("aggregates of different knowledge bases ({ours:?} and {theirs:?}): assess every partition against one snapshot")]
    Knowledge {
        /// This aggregate's knowledge.
        ours: KnowledgeSummary,
        /// The other's.
        theirs: KnowledgeSummary,
    },
}

/// The fleet-wide results finished from an aggregate.
///
/// ```
/// use exposure::stream::Aggregate;
/// let engine = exposure::Engine::demo();
/// let finished = Aggregate::new(&engine).finish(&engine)?;
/// assert_eq!((finished.organisation.devices, finished.organisation.score), (0, 0.0));
/// # Ok::<(), exposure::stream::AggregateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Finished {
    /// The organisation's exposure.
    pub organisation: OrganisationExposure,
    /// Each group's exposure, by name.
    pub groups: Vec<GroupExposure>,
    /// Chunks (or batches) assessed.
    pub chunks: usize,
}

impl Aggregate {
    /// An empty aggregate for assessments against `engine`'s knowledge.
    pub fn new(engine: &Engine) -> Self {
        Aggregate {
            format: AGGREGATE_FORMAT,
            knowledge: KnowledgeSummary::of(engine.kb()),
            exposure: RunningExposure::default(),
            chunks: 0,
        }
    }

    /// Adds an assessed chunk (its devices with their findings; the chunk's own weights and
    /// organisation score are not used).
    pub fn add(&mut self, chunk: &Assessment) {
        self.exposure.add(chunk);
        self.chunks += 1;
    }

    /// Adds another partition's aggregate.
    ///
    /// # Errors
    ///
    /// [`AggregateError::Knowledge`] when the two come from different knowledge bases.
    pub fn merge(&mut self, other: &Aggregate) -> Result<(), AggregateError> {
        self.same_knowledge(other.knowledge)?;
        self.exposure.merge(&other.exposure);
        self.chunks += other.chunks;
        Ok(())
    }

    /// The running exposure sums.
    pub fn exposure(&self) -> &RunningExposure {
        &self.exposure
    }

    /// The aggregate as bytes (JSON), to send to the process that merges.
    pub fn to_bytes(&self) -> Vec<u8> {
        // An aggregate holds only numbers, strings and maps with string keys.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// An aggregate from [`Aggregate::to_bytes`].
    ///
    /// # Errors
    ///
    /// [`AggregateError::Malformed`] for other bytes, [`AggregateError::Format`] for an
    /// aggregate of another format version.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, AggregateError> {
        #[derive(Deserialize)]
        struct Version {
            format: u32,
        }
        let Version { format } = serde_json::from_slice(bytes)?;
        if format != AGGREGATE_FORMAT {
            return Err(AggregateError::Format { found: format });
        }
        Ok(serde_json::from_slice(bytes)?)
    }

    /// The fleet-wide results, weighted for the fleet the aggregate holds.
    ///
    /// # Errors
    ///
    /// [`AggregateError::Knowledge`] when `engine` holds other knowledge than the chunks
    /// were assessed against.
    pub fn finish(&self, engine: &Engine) -> Result<Finished, AggregateError> {
        self.same_knowledge(KnowledgeSummary::of(engine.kb()))?;
        Ok(Finished {
            organisation: self.exposure.organisation(engine.parameters()),
            groups: self.exposure.groups(engine.parameters()),
            chunks: self.chunks,
        })
    }

    fn same_knowledge(&self, theirs: KnowledgeSummary) -> Result<(), AggregateError> {
        if self.knowledge == theirs {
            Ok(())
        } else {
            Err(AggregateError::Knowledge {
                ours: self.knowledge,
                theirs,
            })
        }
    }
}
