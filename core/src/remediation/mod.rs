//! Remediation activities: a recommendation turned into work someone tracks (Defender's
//! "request remediation"), with target devices or groups, a due date, a priority and a note,
//! and its progress computed from later assessment records.
//!
//! An activity keeps its **baseline**: the findings the recommendation covered on its target
//! devices when it was created, as stable identities ([`BaselineFinding`]: device id, advisory
//! id, ecosystem and product key), never as indexes, so that any later record can be read
//! against it. On a later record a target device is
//! - **done** when none of its baseline findings remains on it,
//! - **open** when at least one does (**regressed** when it was done in an earlier record of
//!   the series given to [`progress_over`], and open again),
//! - **gone** when the record no longer has the device (not done: nobody fixed it).
//!
//! An activity is **completed** when no target device is open and at least one is done (a
//! decommissioned device does not hold an activity open forever), **overdue** when it is not
//! completed and its due day is before the record's as-of day. A baseline finding that the
//! record still has counts as remaining whether or not it counts in the scores (a mitigated
//! finding is not fixed); one a VEX statement or exception suppresses is gone from the record's
//! findings and so counts as fixed.
//!
//! Core keeps no activities: a caller (the CLI's store, an embedding product) keeps them (they
//! are plain serde values) and hands them back with the records. Progress exports as CSV and
//! JSON for ticketing systems ([`export`]).
//!
//! ```
//! use exposure::history::AssessmentRecord;
//! use exposure::remediation::{ActivityOptions, RemediationActivity};
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
//! let activity = RemediationActivity::create(
//!     &record,
//!     "update:npm:lodash",
//!     ActivityOptions::new("ticket-1", "2026-12-01".parse()?),
//! )?;
//! let progress = activity.progress(&record);
//! assert_eq!((progress.done, progress.remaining, progress.completed), (0, 1, false));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod export;
mod progress;
#[cfg(test)]
mod tests;

pub use progress::{
    progress_over, ActivityProgress, DeviceProgress, DeviceState, Overview, ProgressSeries,
    Regression,
};

use crate::date::Date;
use crate::ecosystem::Ecosystem;
use crate::history::AssessmentRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How urgent an activity is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Low.
    Low,
    /// Medium (the default).
    #[default]
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Priority {
    /// The lower-case name.
    ///
    /// ```
    /// assert_eq!(exposure::remediation::Priority::Critical.name(), "critical");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }
}

/// Which devices an activity asks to remediate: those listed by id and those in any listed
/// group, among the devices the recommendation covers. Both empty: every covered device.
///
/// ```
/// let t = exposure::remediation::Targets::default();
/// assert!(t.is_everything());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    /// Device ids.
    #[serde(default)]
    pub devices: Vec<String>,
    /// Device groups.
    #[serde(default)]
    pub groups: Vec<String>,
}

impl Targets {
    /// Whether no device or group is named (every covered device is a target).
    ///
    /// ```
    /// let t = exposure::remediation::Targets { groups: vec!["production".into()], ..Default::default() };
    /// assert!(!t.is_everything());
    /// ```
    pub fn is_everything(&self) -> bool {
        self.devices.is_empty() && self.groups.is_empty()
    }

    /// Whether `device` (its id and groups) is targeted.
    ///
    /// ```
    /// let t = exposure::remediation::Targets { groups: vec!["production".into()], ..Default::default() };
    /// assert!(t.selects("web-01", &["production".to_owned(), "web".to_owned()]));
    /// assert!(!t.selects("build-01", &["engineering".to_owned()]));
    /// ```
    pub fn selects(&self, device: &str, groups: &[String]) -> bool {
        self.is_everything()
            || self.devices.iter().any(|d| d == device)
            || self.groups.iter().any(|g| groups.contains(g))
    }
}

/// One finding an activity addresses, by stable identity.
///
/// ```
/// use exposure::remediation::BaselineFinding;
/// let f = BaselineFinding {
///     device: "build-01".into(), advisory: "GHSA-35jh-r3h4-6jhm".into(),
///     ecosystem: exposure::ecosystem::Ecosystem::Npm, product: "lodash".into(),
/// };
/// assert_eq!(f.device, "build-01");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BaselineFinding {
    /// The device id.
    pub device: String,
    /// The advisory id.
    pub advisory: String,
    /// The software's ecosystem.
    pub ecosystem: Ecosystem,
    /// The software's product key ([`crate::history::SoftwareRecord::product`]).
    pub product: String,
}

/// What a caller decides when creating an activity; [`ActivityOptions::new`] fills the rest
/// with defaults (no due date, medium priority, no note, every covered device).
///
/// ```
/// use exposure::remediation::{ActivityOptions, Priority};
/// let options = ActivityOptions {
///     due: Some("2026-12-31".parse()?),
///     priority: Priority::High,
///     ..ActivityOptions::new("ticket-7", "2026-12-01".parse()?)
/// };
/// assert_eq!(options.id, "ticket-7");
/// # Ok::<(), exposure::date::DateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityOptions {
    /// The activity's id (the caller's: a ticket number, a UUID).
    pub id: String,
    /// The day it is created.
    pub created: Date,
    /// The day it is due, if any.
    pub due: Option<Date>,
    /// Its priority.
    pub priority: Priority,
    /// A note for whoever does it.
    pub note: String,
    /// The devices and groups asked for.
    pub targets: Targets,
}

impl ActivityOptions {
    /// Options with an id and a creation day, everything else by default.
    ///
    /// ```
    /// let o = exposure::remediation::ActivityOptions::new("a", "2026-01-01".parse()?);
    /// assert!(o.targets.is_everything() && o.due.is_none());
    /// # Ok::<(), exposure::date::DateError>(())
    /// ```
    pub fn new(id: impl Into<String>, created: Date) -> Self {
        ActivityOptions {
            id: id.into(),
            created,
            due: None,
            priority: Priority::default(),
            note: String::new(),
            targets: Targets::default(),
        }
    }
}

/// A remediation activity. Create it with [`RemediationActivity::create`]; it serialises to
/// JSON as it is (the caller stores it).
///
/// ```
/// use exposure::history::AssessmentRecord;
/// use exposure::remediation::{ActivityOptions, RemediationActivity};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// let a = RemediationActivity::create(&record, "update:npm:lodash",
///     ActivityOptions::new("t-1", "2026-12-01".parse()?))?;
/// assert_eq!(a.title, "update lodash (npm) to 4.17.21");
/// assert_eq!(a.devices, ["build-01"]);
/// let json = serde_json::to_string(&a)?;
/// assert_eq!(serde_json::from_str::<RemediationActivity>(&json)?, a);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemediationActivity {
    /// The activity's id.
    pub id: String,
    /// The recommendation's stable id (`update:npm:lodash`).
    pub recommendation_id: String,
    /// The recommendation's text at creation.
    pub title: String,
    /// The day it was created.
    pub created: Date,
    /// The day it is due.
    pub due: Option<Date>,
    /// Its priority.
    pub priority: Priority,
    /// The note.
    pub note: String,
    /// The devices and groups asked for.
    pub targets: Targets,
    /// The target devices: the covered devices the targets select at creation, sorted.
    pub devices: Vec<String>,
    /// The findings it addresses on them at creation, sorted.
    pub baseline: Vec<BaselineFinding>,
}

/// Why an activity could not be created.
///
/// ```
/// use exposure::remediation::RemediationError;
/// let e = RemediationError::EmptyId;
/// assert_eq!(e.to_string(), "a remediation activity needs an id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RemediationError {
    /// The id is empty (or only spaces).
    #[error("a remediation activity needs an id")]
    EmptyId,
    /// The record has no recommendation of that id.
    #[error("no recommendation {id:?} in the assessment{}", near_list(near))]
    UnknownRecommendation {
        /// The id asked for.
        id: String,
        /// The record's ids nearest to it (at most five).
        near: Vec<String>,
    },
    /// The due day is before the creation day.
    #[error("due date {due} is before the creation date {created}")]
    DueBeforeCreation {
        /// The creation day.
        created: Date,
        /// The due day.
        due: Date,
    },
    /// The targets select none of the devices the recommendation covers.
    #[error("the targets (devices {devices:?}, groups {groups:?}) name none of the {covered} device(s) recommendation {recommendation:?} covers")]
    NoTargetedDevice {
        /// The recommendation.
        recommendation: String,
        /// How many devices it covers.
        covered: usize,
        /// The devices asked for.
        devices: Vec<String>,
        /// The groups asked for.
        groups: Vec<String>,
    },
    /// An export could not be written.
    #[error("remediation export failed: {0}")]
    Export(String),
}

/// `; did you mean …?` for a non-empty list.
fn near_list(near: &[String]) -> String {
    if near.is_empty() {
        String::new()
    } else {
        format!("; nearest: {}", near.join(", "))
    }
}

/// The edit distance of two strings (characters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

/// The record's recommendation ids nearest to `id`: those containing it or contained in it
/// first, then by edit distance; at most five.
fn nearest(record: &AssessmentRecord, id: &str) -> Vec<String> {
    let mut ranked: Vec<(bool, usize, &str)> = record
        .recommendations
        .iter()
        .map(|r| {
            let contains = !id.is_empty() && (r.id.contains(id) || id.contains(r.id.as_str()));
            (!contains, distance(&r.id, id), r.id.as_str())
        })
        .filter(|&(far, d, _)| !far || d <= id.chars().count().max(6) / 2)
        .collect();
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(5)
        .map(|(_, _, r)| r.to_owned())
        .collect()
}

impl RemediationActivity {
    /// The activity asking to take recommendation `recommendation_id` of `record` on the
    /// devices `options.targets` select, its baseline taken from the record.
    ///
    /// ```
    /// use exposure::history::AssessmentRecord;
    /// use exposure::remediation::{ActivityOptions, RemediationActivity, RemediationError};
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// let e = RemediationActivity::create(&record, "update:npm:lodahs",
    ///     ActivityOptions::new("t-1", "2026-12-01".parse()?)).unwrap_err();
    /// assert!(e.to_string().contains("update:npm:lodash"), "{e}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RemediationError::EmptyId`], [`RemediationError::UnknownRecommendation`] (with the
    /// nearest ids), [`RemediationError::DueBeforeCreation`],
    /// [`RemediationError::NoTargetedDevice`].
    pub fn create(
        record: &AssessmentRecord,
        recommendation_id: &str,
        options: ActivityOptions,
    ) -> Result<Self, RemediationError> {
        if options.id.trim().is_empty() {
            return Err(RemediationError::EmptyId);
        }
        let Some(recommendation) = record
            .recommendations
            .iter()
            .find(|r| r.id == recommendation_id)
        else {
            return Err(RemediationError::UnknownRecommendation {
                id: recommendation_id.to_owned(),
                near: nearest(record, recommendation_id),
            });
        };
        if let Some(due) = options.due {
            if due < options.created {
                return Err(RemediationError::DueBeforeCreation {
                    created: options.created,
                    due,
                });
            }
        }
        let targeted = |device: u32| {
            record
                .devices
                .get(device as usize)
                .filter(|d| options.targets.selects(&d.id, &d.groups))
        };
        let devices: BTreeSet<String> = recommendation
            .devices
            .iter()
            .filter_map(|&d| targeted(d))
            .map(|d| d.id.clone())
            .collect();
        if devices.is_empty() {
            return Err(RemediationError::NoTargetedDevice {
                recommendation: recommendation.id.clone(),
                covered: recommendation.devices.len(),
                devices: options.targets.devices,
                groups: options.targets.groups,
            });
        }
        let baseline: BTreeSet<BaselineFinding> = recommendation
            .findings
            .iter()
            .filter_map(|&f| record.findings.get(f as usize))
            .filter(|f| targeted(f.device).is_some())
            .map(|f| identity(record, f))
            .collect();
        Ok(RemediationActivity {
            id: options.id,
            recommendation_id: recommendation.id.clone(),
            title: recommendation.text.clone(),
            created: options.created,
            due: options.due,
            priority: options.priority,
            note: options.note,
            targets: options.targets,
            devices: devices.into_iter().collect(),
            baseline: baseline.into_iter().collect(),
        })
    }
}

/// The stable identity of `finding` of `record`.
pub(crate) fn identity(
    record: &AssessmentRecord,
    finding: &crate::history::FindingRecord,
) -> BaselineFinding {
    let software = record.software_of(finding);
    BaselineFinding {
        device: record.device_of(finding).id.clone(),
        advisory: record.advisory_of(finding).id.clone(),
        ecosystem: software.ecosystem.clone(),
        product: software.product.clone(),
    }
}
