//! An activity's progress on a record, its series over a history, and the overall figures.

use super::{identity, BaselineFinding, Priority, RemediationActivity};
use crate::date::Date;
use crate::history::AssessmentRecord;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Where one target device stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    /// None of its baseline findings remains.
    Done,
    /// Some remain.
    Open,
    /// Some remain again after it was done in an earlier record of the series (counts as
    /// remaining).
    Regressed,
    /// The record does not have the device.
    Gone,
}

impl DeviceState {
    /// The lower-case name.
    ///
    /// ```
    /// assert_eq!(exposure::remediation::DeviceState::Regressed.name(), "regressed");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            DeviceState::Done => "done",
            DeviceState::Open => "open",
            DeviceState::Regressed => "regressed",
            DeviceState::Gone => "gone",
        }
    }

    /// Whether the device still has work (open or regressed).
    ///
    /// ```
    /// use exposure::remediation::DeviceState;
    /// assert!(DeviceState::Regressed.is_remaining() && !DeviceState::Gone.is_remaining());
    /// ```
    pub fn is_remaining(self) -> bool {
        matches!(self, DeviceState::Open | DeviceState::Regressed)
    }
}

/// One target device on one record.
///
/// ```
/// use exposure::remediation::{DeviceProgress, DeviceState};
/// let d = DeviceProgress { device: "web-01".into(), state: DeviceState::Open,
///     baseline: 2, remaining: 1, overdue: false };
/// assert!(d.state.is_remaining());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceProgress {
    /// The device id.
    pub device: String,
    /// Where it stands.
    pub state: DeviceState,
    /// Its baseline findings.
    pub baseline: usize,
    /// How many of them the record still has (0 when gone).
    pub remaining: usize,
    /// Remaining work past the due day.
    pub overdue: bool,
}

/// An activity's progress on one record.
///
/// ```
/// use exposure::history::AssessmentRecord;
/// use exposure::remediation::{ActivityOptions, RemediationActivity};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// let a = RemediationActivity::create(&record, "update:npm:lodash",
///     ActivityOptions::new("t-1", "2026-12-01".parse()?))?;
/// let p = a.progress(&record);
/// assert_eq!(p.devices[0].device, "build-01");
/// assert!(!p.overdue); // no due date
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityProgress {
    /// The activity's id.
    pub activity: String,
    /// Its recommendation.
    pub recommendation: String,
    /// Its title.
    pub title: String,
    /// Its priority.
    pub priority: Priority,
    /// Its due day.
    pub due: Option<Date>,
    /// The record's as-of day.
    pub as_of: Option<Date>,
    /// Per target device, in id order.
    pub devices: Vec<DeviceProgress>,
    /// Devices done.
    pub done: usize,
    /// Devices open or regressed.
    pub remaining: usize,
    /// Devices gone.
    pub gone: usize,
    /// Devices open again after being done.
    pub regressed: usize,
    /// Baseline findings the record still has.
    pub findings_remaining: usize,
    /// No device remaining and at least one done.
    pub completed: bool,
    /// Not completed, and due before the record's as-of day.
    pub overdue: bool,
}

impl RemediationActivity {
    /// The activity's progress on `record` (no earlier records: nothing counts as regressed;
    /// see [`progress_over`]).
    ///
    /// ```
    /// use exposure::history::AssessmentRecord;
    /// use exposure::remediation::{ActivityOptions, RemediationActivity};
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// let a = RemediationActivity::create(&record, "update:npm:lodash",
    ///     ActivityOptions::new("t-1", "2026-12-01".parse()?))?;
    /// assert_eq!(a.progress(&record).findings_remaining, a.baseline.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn progress(&self, record: &AssessmentRecord) -> ActivityProgress {
        self.progress_after(record, &HashSet::new())
    }

    /// The progress on `record`, devices in `was_done` counted as regressed when open.
    fn progress_after(
        &self,
        record: &AssessmentRecord,
        was_done: &HashSet<&str>,
    ) -> ActivityProgress {
        let targets: BTreeSet<&str> = self.devices.iter().map(String::as_str).collect();
        let present: HashSet<&str> = record
            .devices
            .iter()
            .filter(|d| targets.contains(d.id.as_str()))
            .map(|d| d.id.as_str())
            .collect();
        let baseline: HashSet<&BaselineFinding> = self.baseline.iter().collect();
        // Distinct baseline identities the record still has (a software item installed twice
        // on a device makes two findings of one identity).
        let mut still: HashSet<BaselineFinding> = HashSet::new();
        for f in &record.findings {
            if !targets.contains(record.device_of(f).id.as_str()) {
                continue;
            }
            let id = identity(record, f);
            if baseline.contains(&id) {
                still.insert(id);
            }
        }
        let mut per_device: BTreeMap<&str, (usize, usize)> =
            targets.iter().map(|&d| (d, (0, 0))).collect();
        for b in &self.baseline {
            if let Some(counts) = per_device.get_mut(b.device.as_str()) {
                counts.0 += 1;
                counts.1 += usize::from(still.contains(b));
            }
        }
        let past_due = matches!((self.due, record.as_of), (Some(due), Some(day)) if due < day);
        let devices: Vec<DeviceProgress> = per_device
            .into_iter()
            .map(|(device, (baseline, remaining))| {
                let state = if !present.contains(device) {
                    DeviceState::Gone
                } else if remaining == 0 {
                    DeviceState::Done
                } else if was_done.contains(device) {
                    DeviceState::Regressed
                } else {
                    DeviceState::Open
                };
                DeviceProgress {
                    device: device.to_owned(),
                    state,
                    baseline,
                    remaining: if state == DeviceState::Gone {
                        0
                    } else {
                        remaining
                    },
                    overdue: past_due && state.is_remaining(),
                }
            })
            .collect();
        let count = |s: DeviceState| devices.iter().filter(|d| d.state == s).count();
        let done = count(DeviceState::Done);
        let regressed = count(DeviceState::Regressed);
        let remaining = count(DeviceState::Open) + regressed;
        let completed = remaining == 0 && done > 0;
        ActivityProgress {
            activity: self.id.clone(),
            recommendation: self.recommendation_id.clone(),
            title: self.title.clone(),
            priority: self.priority,
            due: self.due,
            as_of: record.as_of,
            findings_remaining: devices.iter().map(|d| d.remaining).sum(),
            done,
            remaining,
            gone: count(DeviceState::Gone),
            regressed,
            completed,
            overdue: past_due && !completed,
            devices,
        }
    }
}

/// A device open again after being done.
///
/// ```
/// let r = exposure::remediation::Regression { device: "web-01".into(), done_at: 1, reopened_at: 2 };
/// assert!(r.done_at < r.reopened_at);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regression {
    /// The device id.
    pub device: String,
    /// The index of the last record (in the series) where it was done.
    pub done_at: usize,
    /// The index of the record where it is open again.
    pub reopened_at: usize,
}

/// An activity's progress over a history of records (oldest first).
///
/// ```
/// let s = exposure::remediation::ProgressSeries { points: vec![], regressions: vec![] };
/// assert!(s.latest().is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressSeries {
    /// One point per record, in the records' order.
    pub points: Vec<ActivityProgress>,
    /// Every regression met, in order.
    pub regressions: Vec<Regression>,
}

impl ProgressSeries {
    /// The progress on the newest record.
    ///
    /// ```
    /// let s = exposure::remediation::ProgressSeries { points: vec![], regressions: vec![] };
    /// assert!(s.latest().is_none());
    /// ```
    pub fn latest(&self) -> Option<&ActivityProgress> {
        self.points.last()
    }
}

/// The progress of `activity` on each of `records` (oldest first): a device done on an
/// earlier record and open on a later one is [`DeviceState::Regressed`] there (and stays so
/// until done again), and each such reopening is listed.
///
/// ```
/// use exposure::history::AssessmentRecord;
/// use exposure::remediation::{progress_over, ActivityOptions, RemediationActivity};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// let a = RemediationActivity::create(&record, "update:npm:lodash",
///     ActivityOptions::new("t-1", "2026-12-01".parse()?))?;
/// let series = progress_over(&a, &[record.clone(), record]);
/// assert_eq!(series.points.len(), 2);
/// assert!(series.regressions.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn progress_over(
    activity: &RemediationActivity,
    records: &[AssessmentRecord],
) -> ProgressSeries {
    let mut last_done: BTreeMap<String, usize> = BTreeMap::new();
    let mut points = Vec::with_capacity(records.len());
    let mut regressions = Vec::new();
    for (at, record) in records.iter().enumerate() {
        let was_done: HashSet<&str> = last_done.keys().map(String::as_str).collect();
        let point = activity.progress_after(record, &was_done);
        for (i, d) in point.devices.iter().enumerate() {
            match d.state {
                DeviceState::Done => {
                    last_done.insert(d.device.clone(), at);
                }
                DeviceState::Regressed => {
                    // Reported once, on the record where it reopens.
                    let before = points
                        .last()
                        .and_then(|p: &ActivityProgress| p.devices.get(i))
                        .map(|q| q.state);
                    if !matches!(before, Some(DeviceState::Regressed)) {
                        if let Some(&done_at) = last_done.get(&d.device) {
                            regressions.push(Regression {
                                device: d.device.clone(),
                                done_at,
                                reopened_at: at,
                            });
                        }
                    }
                }
                DeviceState::Open | DeviceState::Gone => {}
            }
        }
        points.push(point);
    }
    ProgressSeries {
        points,
        regressions,
    }
}

/// Figures across activities, each on its own latest progress.
///
/// ```
/// let o = exposure::remediation::Overview::of(&[]);
/// assert_eq!(o.activities, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// Activities.
    pub activities: usize,
    /// Not completed.
    pub open: usize,
    /// Completed.
    pub completed: usize,
    /// Overdue.
    pub overdue: usize,
    /// Target devices done, summed over activities.
    pub devices_done: usize,
    /// Target devices remaining (open or regressed).
    pub devices_remaining: usize,
    /// Target devices regressed.
    pub devices_regressed: usize,
    /// Target devices gone.
    pub devices_gone: usize,
}

impl Overview {
    /// The figures of `progress` (one entry per activity).
    ///
    /// ```
    /// use exposure::history::AssessmentRecord;
    /// use exposure::remediation::{ActivityOptions, Overview, RemediationActivity};
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// let a = RemediationActivity::create(&record, "update:npm:lodash",
    ///     ActivityOptions::new("t-1", "2026-12-01".parse()?))?;
    /// let o = Overview::of(&[a.progress(&record)]);
    /// assert_eq!((o.open, o.devices_remaining), (1, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(progress: &[ActivityProgress]) -> Self {
        let mut o = Overview {
            activities: progress.len(),
            ..Overview::default()
        };
        for p in progress {
            if p.completed {
                o.completed += 1;
            } else {
                o.open += 1;
            }
            o.overdue += usize::from(p.overdue);
            o.devices_done += p.done;
            o.devices_remaining += p.remaining;
            o.devices_regressed += p.regressed;
            o.devices_gone += p.gone;
        }
        o
    }
}
