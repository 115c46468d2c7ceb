//! The running aggregate of a streamed or partitioned assessment: everything the fleet-wide
//! results need, kept per chunk and merged in any order, then finished once — the
//! organisation's and groups' exposure from sums per value class. A partition's aggregate
//! travels as bytes (`to_bytes`, `from_bytes`) between processes: a Spark executor's
//! partial to the driver.

use super::configuration::{FleetConfiguration, RunningConfiguration};
use super::dashboard::{Ranked, RunningDashboard, Source};
use super::recommendations::RunningRecommendations;
use super::views::RunningViews;
use super::RunningExposure;
use crate::assessment::{Assessment, GroupExposure, KnowledgeSummary, OrganisationExposure};
use crate::date::Date;
use crate::engine::Engine;
use crate::inventory::Fleet;
use crate::recommend::Recommendation;
use crate::views::dashboard::Distribution;
use crate::views::devices::DeviceRow;
use crate::views::recommendations::RecommendationRow;
use crate::views::software::SoftwareRow;
use crate::views::weaknesses::WeaknessRow;
use serde::{Deserialize, Serialize};

/// The version of the aggregate's byte form: bytes of another version are refused.
pub const AGGREGATE_FORMAT: u32 = 2;

/// What the fleet-wide results of a streamed or partitioned assessment are computed from:
/// the running exposure sums and recommendation patterns of the chunks added, merged with
/// other partitions'.
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
///     let fleet = exposure::inventory::Fleet { devices: part.to_vec() };
///     let mut partial = Aggregate::new(&engine);
///     partial.add_with_fleet(&engine.assess(&fleet), &fleet);
///     // A partial crosses a process boundary as bytes.
///     total.merge(&Aggregate::from_bytes(&partial.to_bytes())?)?;
/// }
/// let finished = total.finish(&engine)?;
/// assert!((finished.organisation.score - whole.organisation.score).abs() < 1e-9);
/// assert_eq!(finished.organisation.findings, whole.findings.len());
/// // The same recommendations, each with the exact score drop, counting its devices.
/// assert_eq!(finished.recommendations.len(), whole.recommendations.len());
/// for (streamed, r) in finished.recommendations.iter().zip(&whole.recommendations) {
///     assert_eq!(streamed.recommendation.text, r.text);
///     assert!((streamed.recommendation.exposure_impact - r.exposure_impact).abs() < 1e-9);
///     assert_eq!(streamed.device_count, r.devices.len());
///     assert_eq!(streamed.target_device_counts, r.targets.iter().map(|t| t.devices.len()).collect::<Vec<_>>());
/// }
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
    /// The recommendation patterns.
    recommendations: RunningRecommendations,
    /// The secure-configuration sums.
    configuration: RunningConfiguration,
    /// The views' sums.
    views: RunningViews,
    /// The dashboard's sums and kept devices.
    dashboard: RunningDashboard,
    /// Whether a chunk came without its fleet (its configuration and installed items
    /// unknown: such an aggregate does not finish).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    without_fleet: bool,
    /// The as-of day of the chunks (end of support is judged on it).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    as_of: Option<Date>,
    /// Whether chunks of different as-of days were added (such an aggregate does not finish).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    mixed_as_of: bool,
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
    /// Chunks assessed as of different days were added together.
    #[error("chunks assessed as of different days were aggregated: assess every partition with one as-of day")]
    MixedAsOf,
    /// A chunk was added without the fleet it assessed.
    #[error("a chunk was aggregated without its fleet (its configuration checks and installed items unknown): use Aggregate::add_with_fleet")]
    WithoutFleet,
    /// The bytes name products, items or findings they do not hold.
    #[error("a malformed aggregate: its patterns point outside its tables")]
    Inconsistent,
}

/// A recommendation for a streamed or partitioned fleet: the in-memory recommendation with
/// its devices (and its targets') counted rather than listed (a stream keeps no device ids; the findings it
/// covers are those of its software and advisories in the findings written out).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FleetRecommendation {
    /// The recommendation (its `devices` list empty).
    #[serde(flatten)]
    pub recommendation: Recommendation,
    /// The devices it covers.
    pub device_count: usize,
    /// The devices of each of its targets (the targets' `devices` lists empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_device_counts: Vec<usize>,
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
    /// The ranked recommendations (updates, upgrades, end of support, attention required,
    /// configuration changes).
    pub recommendations: Vec<FleetRecommendation>,
    /// The secure configuration.
    pub configuration: FleetConfiguration,
    /// The software view over every device ([`crate::views::software`]).
    pub software: Vec<SoftwareRow>,
    /// The weaknesses view over every device ([`crate::views::weaknesses`]).
    pub weaknesses: Vec<WeaknessRow>,
    /// The recommendations view over every device ([`crate::views::recommendations`]): the
    /// recommendations with their counts and impacts as that view shows them.
    pub recommendation_rows: Vec<RecommendationRow>,
    /// The devices view's first rows over every device ([`crate::views::devices`]): the
    /// [`super::KEPT_DEVICES`] highest scores, each with its recommendations.
    pub top_devices: Vec<DeviceRow>,
    /// Devices per exposure level.
    pub distribution: Distribution,
    /// The views of each device group, by name (the views with
    /// [`crate::views::Filter::group`]).
    pub group_views: Vec<GroupViews>,
    /// The as-of day the chunks were assessed on.
    pub as_of: Option<Date>,
    /// Distinct product-on-device patterns the recommendations were computed from.
    pub patterns: usize,
    /// The aggregate's entries ([`Aggregate::entries`]).
    pub entries: usize,
    /// Chunks (or batches) assessed.
    pub chunks: usize,
}

/// The views of one device group from a streamed fleet: equal to the in-memory views with
/// [`crate::views::Filter::group`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupViews {
    /// The group.
    pub group: String,
    /// Its software view ([`crate::views::software::rows`] with [`crate::views::Filter::group`]).
    pub software: Vec<SoftwareRow>,
    /// Its weaknesses view.
    pub weaknesses: Vec<WeaknessRow>,
    /// Its recommendations view: the fleet's recommendations covering its devices, with
    /// their impacts on the group's score.
    pub recommendations: Vec<RecommendationRow>,
    /// Its devices view's first rows (the [`super::KEPT_DEVICES`] highest scores).
    pub top_devices: Vec<DeviceRow>,
    /// Its devices per exposure level.
    pub distribution: Distribution,
    /// The mean secure score of its devices that reported checks.
    pub secure_score: Option<f64>,
}

impl Aggregate {
    /// An empty aggregate for assessments against `engine`'s knowledge.
    pub fn new(engine: &Engine) -> Self {
        Aggregate {
            format: AGGREGATE_FORMAT,
            knowledge: KnowledgeSummary::of(engine.kb()),
            exposure: RunningExposure::default(),
            recommendations: RunningRecommendations::default(),
            configuration: RunningConfiguration::default(),
            views: RunningViews::default(),
            dashboard: RunningDashboard::default(),
            without_fleet: false,
            as_of: None,
            mixed_as_of: false,
            chunks: 0,
        }
    }

    /// Adds an assessed chunk (its devices with their findings; the chunk's own weights and
    /// organisation score are not used) with the fleet it assessed, which the assessment
    /// holds when it loaded the fleet itself ([`Assessment::fleet`]: a streamed chunk, an
    /// Arrow batch, [`Engine::assess_text`]). A chunk without it makes
    /// [`Aggregate::finish`] fail: use [`Aggregate::add_with_fleet`].
    pub fn add(&mut self, chunk: &Assessment) {
        if let Some(fleet) = chunk.fleet.clone() {
            self.add_with_fleet(chunk, &fleet);
        } else {
            self.without_fleet = true;
            self.add_with_fleet(chunk, &Fleet::default());
        }
    }

    /// Adds an assessed chunk and the fleet it assessed (its configuration checks and
    /// installed items are read from it).
    pub fn add_with_fleet(&mut self, chunk: &Assessment, fleet: &Fleet) {
        self.same_as_of(chunk.as_of);
        self.exposure.add(chunk);
        // The devices the dashboard may keep whole get their patterns and checks back.
        let wanted = self.dashboard.wanted(chunk);
        let patterns = self.recommendations.add(chunk, fleet, &wanted);
        let by_device = super::findings_by_device(chunk);
        let checks = self.configuration.add(&by_device, fleet, &wanted);
        self.views.add(&by_device, fleet);
        self.dashboard
            .add(chunk, fleet, &by_device, patterns, checks);
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
        let renumbering = self.recommendations.merge(&other.recommendations);
        self.dashboard.merge(&other.dashboard, &renumbering);
        self.configuration.merge(&other.configuration);
        self.views.merge(&other.views);
        self.mixed_as_of |= other.mixed_as_of;
        self.without_fleet |= other.without_fleet;
        if other.chunks > 0 {
            self.same_as_of(other.as_of);
        }
        self.chunks += other.chunks;
        Ok(())
    }

    /// The recommendation patterns held (distinct product-on-device combinations): what
    /// the aggregate's memory grows with.
    ///
    /// ```
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let mut aggregate = exposure::stream::Aggregate::new(&engine);
    /// aggregate.add_with_fleet(&engine.assess(&fleet), &fleet);
    /// assert!(aggregate.patterns() > 0);
    /// ```
    pub fn patterns(&self) -> usize {
        self.recommendations.patterns()
    }

    /// The entries held: the distinct item-advisory facts, the patterns and the findings
    /// they list — what the aggregate's memory, and the work of finishing it, grow with.
    ///
    /// ```
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let mut aggregate = exposure::stream::Aggregate::new(&engine);
    /// aggregate.add_with_fleet(&engine.assess(&fleet), &fleet);
    /// assert!(aggregate.entries() > aggregate.patterns());
    /// ```
    pub fn entries(&self) -> usize {
        self.recommendations.entries()
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
        let aggregate: Aggregate = serde_json::from_slice(bytes)?;
        if aggregate.recommendations.is_consistent()
            && aggregate
                .dashboard
                .is_consistent(&aggregate.recommendations)
        {
            Ok(aggregate)
        } else {
            Err(AggregateError::Inconsistent)
        }
    }

    /// The fleet-wide results, weighted for the fleet the aggregate holds.
    ///
    /// # Errors
    ///
    /// [`AggregateError::Knowledge`] when `engine` holds other knowledge than the chunks
    /// were assessed against.
    pub fn finish(&self, engine: &Engine) -> Result<Finished, AggregateError> {
        self.same_knowledge(KnowledgeSummary::of(engine.kb()))?;
        if self.mixed_as_of {
            return Err(AggregateError::MixedAsOf);
        }
        if self.without_fleet {
            return Err(AggregateError::WithoutFleet);
        }
        let organisation = self.exposure.organisation(engine.parameters());
        let weights = super::recommendations::CLASSES.map(|value| {
            engine
                .parameters()
                .device_weight(value, organisation.devices)
        });
        let total_weight = self.exposure.organisation.weight(weights);
        let finish = self.recommendations.finish(
            engine,
            organisation.score,
            weights,
            total_weight,
            self.as_of,
        );
        let (configuration, changes) = self.configuration.finish(weights, total_weight);
        let (software, weaknesses, views_of_groups) =
            self.views.finish(engine.kb(), weights, self.as_of);
        // Every recommendation with where its coverage is read from, ranked together.
        let mut ranked: Vec<(FleetRecommendation, Source)> = Vec::new();
        for r in &finish.recommendations {
            ranked.push((
                FleetRecommendation {
                    recommendation: r.recommendation.clone(),
                    device_count: r.device_count,
                    target_device_counts: r.target_device_counts.clone(),
                },
                Source::Patterns(r.coverage.clone()),
            ));
        }
        for (change, device_count) in changes {
            let check = change.check_id.clone();
            ranked.push((
                FleetRecommendation {
                    recommendation: change.to_recommendation(),
                    device_count,
                    target_device_counts: Vec::new(),
                },
                Source::Check(check),
            ));
        }
        ranked.sort_by(|(a, _), (b, _)| {
            crate::recommend::ranking(
                &a.recommendation,
                a.device_count,
                &b.recommendation,
                b.device_count,
            )
        });
        for (i, (r, _)) in ranked.iter_mut().enumerate() {
            r.recommendation.rank = i + 1;
        }
        let views = Ranked {
            recommendations: &ranked,
            finish: &finish,
            configuration: &self.configuration,
            weights,
            as_of: self.as_of,
        };
        let group_exposure = self.exposure.groups(engine.parameters());
        let group_views = views_of_groups
            .into_iter()
            .map(|(group, software, weaknesses)| {
                let group_weight = self
                    .exposure
                    .groups
                    .get(&group)
                    .map_or(0.0, |sums| sums.weight(weights));
                GroupViews {
                    recommendations: views.recommendation_rows(Some(&group), group_weight),
                    top_devices: views.device_rows(&self.dashboard, Some(&group)),
                    distribution: self.dashboard.distribution(Some(&group)),
                    secure_score: self.dashboard.secure_score(&group),
                    group,
                    software,
                    weaknesses,
                }
            })
            .collect();
        let recommendation_rows = views.recommendation_rows(None, total_weight);
        let top_devices = views.device_rows(&self.dashboard, None);
        Ok(Finished {
            recommendation_rows,
            top_devices,
            distribution: self.dashboard.distribution(None),
            groups: group_exposure,
            organisation,
            recommendations: ranked.into_iter().map(|(r, _)| r).collect(),
            configuration,
            software,
            weaknesses,
            group_views,
            as_of: self.as_of,
            patterns: self.recommendations.patterns(),
            entries: self.recommendations.entries(),
            chunks: self.chunks,
        })
    }

    /// Notes the as-of day of added chunks: one day for all.
    fn same_as_of(&mut self, as_of: Option<Date>) {
        if self.chunks == 0 {
            self.as_of = as_of;
        } else if self.as_of != as_of {
            self.mixed_as_of = true;
        }
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
