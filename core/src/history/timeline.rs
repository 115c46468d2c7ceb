//! The event timeline: what happened between two assessments, as Defender's event timeline
//! names it, each event with the devices it concerns and the score change it caused.
//!
//! **Events** (per advisory, by id, unless said otherwise):
//! - `new_vulnerability`: the advisory has findings now and had none before, and it is newly
//!   *published*: absent from the earlier knowledge base when both are given, or published
//!   after the earlier record's as-of day. A known advisory that starts affecting the fleet
//!   because software was installed is no event (the diff lists the finding).
//! - `public_exploit`, `exploit_verified`, `exploit_in_kit`: the exploit maturity its vector
//!   states rose to proof of concept, functional, attacked (one event, for the level reached).
//! - `known_exploited_added`: it entered CISA's KEV catalog.
//! - `epss_jump`: its EPSS probability rose by at least [`Thresholds::epss_rise`] (0.1), or
//!   reached at least [`Thresholds::epss_ratio`] (2) times its earlier value and at least
//!   [`Thresholds::epss_floor`] (0.05); a probability not known before counts 0.
//! - `vulnerability_fixed`: it had findings before, has none now, and some of the devices it
//!   was on are still in the fleet (an advisory whose devices all left is not fixed).
//! - `exposure_score_change` (organisation): the score moved by at least
//!   [`Thresholds::score_change`] (1 point) or changed level.
//! - `software_end_of_support` (per installed item): its support ended after the earlier
//!   as-of day and on or before the later one.
//!
//! **The score change an event caused** is an exact counterfactual: the organisation's score
//! now minus its score with the advisory's findings taken back to what they were (new ones
//! removed, fixed ones restored, changed ones at their earlier contribution), every device
//! rescored from its findings' contributions with the later weights. Only devices the later
//! record has take part. Counterfactuals of several events do not add up (findings of one
//! device interact under the noisy-OR); the diff's causes do.

use super::diff::{Change, Matched};
use super::record::{AssessmentRecord, ExploitMaturity};
use crate::date::Date;
use crate::kb::KnowledgeBase;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The kinds of events.
///
/// ```
/// use exposure::history::EventKind;
/// assert_eq!(EventKind::EpssJump.name(), "epss_jump");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A vulnerability published since and affecting the fleet.
    NewVulnerability,
    /// A public exploit (proof of concept) appeared.
    PublicExploit,
    /// The exploit was verified (functional).
    ExploitVerified,
    /// The exploit is in a kit (attacked, weaponised).
    ExploitInKit,
    /// The vulnerability entered CISA's KEV catalog.
    KnownExploitedAdded,
    /// Its EPSS probability jumped.
    EpssJump,
    /// Its findings are all gone from devices still in the fleet.
    VulnerabilityFixed,
    /// The organisation's exposure score moved.
    ExposureScoreChange,
    /// Support of installed software ended.
    SoftwareEndOfSupport,
}

impl EventKind {
    /// The snake-case name (as serialised).
    ///
    /// ```
    /// assert_eq!(exposure::history::EventKind::ExploitInKit.name(), "exploit_in_kit");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            EventKind::NewVulnerability => "new_vulnerability",
            EventKind::PublicExploit => "public_exploit",
            EventKind::ExploitVerified => "exploit_verified",
            EventKind::ExploitInKit => "exploit_in_kit",
            EventKind::KnownExploitedAdded => "known_exploited_added",
            EventKind::EpssJump => "epss_jump",
            EventKind::VulnerabilityFixed => "vulnerability_fixed",
            EventKind::ExposureScoreChange => "exposure_score_change",
            EventKind::SoftwareEndOfSupport => "software_end_of_support",
        }
    }
}

/// One event of the timeline.
///
/// ```
/// use exposure::history::{Event, EventKind};
/// let e = Event {
///     kind: EventKind::KnownExploitedAdded, date: None, advisory: Some("CVE-2023-44487".into()),
///     cves: vec!["CVE-2023-44487".into()], software: None, devices: 2, score_change: 3.5,
///     before: None, after: None,
/// };
/// assert!(serde_json::to_string(&e).unwrap().contains("known_exploited_added"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// When: the later record's as-of day, or the day the caller gave.
    pub date: Option<Date>,
    /// The advisory, for advisory events.
    pub advisory: Option<String>,
    /// Its CVE ids.
    pub cves: Vec<String>,
    /// The software, for end-of-support events (`ecosystem name version`).
    pub software: Option<String>,
    /// How many devices it concerns (the fleet's, for the score change).
    pub devices: usize,
    /// The organisation score change it caused, in points (see the module docs).
    pub score_change: f64,
    /// The value before, where one moved: the EPSS probability, the organisation score.
    pub before: Option<f64>,
    /// The value after.
    pub after: Option<f64>,
}

/// When a move is an event.
///
/// ```
/// let t = exposure::history::Thresholds::default();
/// assert_eq!((t.epss_rise, t.epss_ratio, t.epss_floor, t.score_change), (0.1, 2.0, 0.05, 1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// An EPSS rise of this much (absolute) is a jump. 0.1: EPSS is a 30-day probability
    /// whose median is near 0.001; ten points more is a large move at any level.
    pub epss_rise: f64,
    /// A rise to this many times the earlier probability is a jump too, when the new one is
    /// at least [`Thresholds::epss_floor`]: doubling catches a CVE climbing out of the bulk
    /// before it gains ten points.
    pub epss_ratio: f64,
    /// The least probability a relative jump must reach. 0.05 is about EPSS's 90th
    /// percentile: below it doublings are daily noise.
    pub epss_floor: f64,
    /// The organisation score must move this many points (0–100 scale) for an
    /// `exposure_score_change`, unless its level changed. 1 point: daily EPSS refreshes move
    /// a large fleet's score by hundredths.
    pub score_change: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            epss_rise: 0.1,
            epss_ratio: 2.0,
            epss_floor: 0.05,
            score_change: 1.0,
        }
    }
}

impl Thresholds {
    /// Whether a move of EPSS from `before` (none: 0) to `after` is a jump.
    ///
    /// ```
    /// let t = exposure::history::Thresholds::default();
    /// assert!(t.is_epss_jump(Some(0.02), 0.13));  // +0.11
    /// assert!(t.is_epss_jump(Some(0.03), 0.06));  // doubled, at least 0.05
    /// assert!(!t.is_epss_jump(Some(0.01), 0.04)); // quadrupled, below 0.05
    /// assert!(!t.is_epss_jump(Some(0.5), 0.55));
    /// ```
    pub fn is_epss_jump(&self, before: Option<f64>, after: f64) -> bool {
        let before = before.unwrap_or(0.0);
        after > before
            && (after - before >= self.epss_rise
                || (after >= self.epss_floor && after >= self.epss_ratio * before))
    }
}

/// How events are computed.
///
/// ```
/// let o = exposure::history::EventOptions::default();
/// assert!(o.date.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EventOptions {
    /// The events' date; the later record's as-of day when none.
    pub date: Option<Date>,
    /// When a move is an event.
    pub thresholds: Thresholds,
}

impl Event {
    /// The events between two records, with the knowledge bases behind them when known (to
    /// tell a newly published advisory from one newly affecting). Ordered by the size of
    /// their score change, then kind and advisory.
    ///
    /// ```
    /// use exposure::history::{AssessmentRecord, Event, EventKind, EventOptions};
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let before = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// // Every device takes the fixes.
    /// let mut patched = fleet.clone();
    /// patched.devices.iter_mut().for_each(|d| d.software.clear());
    /// let after = AssessmentRecord::of(&engine.assess(&patched), &patched, engine.kb())?;
    /// let events = Event::between(&before, &after, None, &EventOptions::default());
    /// let fixed = events.iter().filter(|e| e.kind == EventKind::VulnerabilityFixed).count();
    /// assert_eq!(fixed, before.advisories.len());
    /// # Ok::<(), exposure::history::RecordError>(())
    /// ```
    pub fn between(
        old: &AssessmentRecord,
        new: &AssessmentRecord,
        knowledge: Option<(&KnowledgeBase, &KnowledgeBase)>,
        options: &EventOptions,
    ) -> Vec<Event> {
        events(&Matched::new(old, new), knowledge, options)
    }
}

/// The diff and the events of two records, matched once.
///
/// ```
/// use exposure::history::{changes, AssessmentRecord, EventOptions};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// let (diff, events) = changes(&record, &record, None, &EventOptions::default());
/// assert!(diff.is_empty() && events.is_empty());
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
pub fn changes(
    old: &AssessmentRecord,
    new: &AssessmentRecord,
    knowledge: Option<(&KnowledgeBase, &KnowledgeBase)>,
    options: &EventOptions,
) -> (super::RecordDiff, Vec<Event>) {
    let matched = Matched::new(old, new);
    (matched.diff(), events(&matched, knowledge, options))
}

/// The day a publication text (`2021-03-01T12:00Z`, `2021-03-01`) names.
fn day_of(text: &str) -> Option<Date> {
    text.get(..10)?.parse().ok()
}

fn events(
    m: &Matched<'_>,
    knowledge: Option<(&KnowledgeBase, &KnowledgeBase)>,
    options: &EventOptions,
) -> Vec<Event> {
    let (old, new) = (m.old, m.new);
    let date = options.date.or(new.as_of);
    let t = &options.thresholds;
    // Which advisories have which events.
    let mut wanted: Vec<(u32, EventKind, Option<f64>, Option<f64>)> = Vec::new();
    for key in 0..m.advisory_ids.len() {
        #[allow(clippy::cast_possible_truncation)]
        let key = key as u32;
        match m.advisories(key) {
            (None, Some(a)) => {
                let unknown_before =
                    knowledge.is_some_and(|(before, _)| before.get(&a.id).is_none());
                let published_since = a
                    .published
                    .as_deref()
                    .and_then(day_of)
                    .zip(old.as_of)
                    .is_some_and(|(published, as_of)| published > as_of);
                if unknown_before || published_since {
                    wanted.push((key, EventKind::NewVulnerability, None, None));
                }
            }
            (Some(b), Some(a)) => {
                if a.exploit_maturity > b.exploit_maturity {
                    let kind = match a.exploit_maturity {
                        ExploitMaturity::Attacked => EventKind::ExploitInKit,
                        ExploitMaturity::Functional => EventKind::ExploitVerified,
                        _ => EventKind::PublicExploit,
                    };
                    wanted.push((key, kind, None, None));
                }
                if b.kev.is_none() && a.kev.is_some() {
                    wanted.push((key, EventKind::KnownExploitedAdded, None, None));
                }
                if let Some(after) = a.epss {
                    if t.is_epss_jump(b.epss, after) {
                        wanted.push((key, EventKind::EpssJump, b.epss, Some(after)));
                    }
                }
            }
            (Some(_), None) => wanted.push((key, EventKind::VulnerabilityFixed, None, None)),
            (None, None) => {}
        }
    }
    let keys: HashSet<u32> = wanted.iter().map(|w| w.0).collect();
    let score_changes = counterfactuals(m, &keys);
    // Devices per advisory: the later record's devices with findings of it; for a fixed one,
    // the earlier devices still in the fleet.
    let mut key_of_new = vec![u32::MAX; new.advisories.len()];
    let mut key_of_old = vec![u32::MAX; old.advisories.len()];
    for (key, (o, n)) in m.advisory_old.iter().zip(&m.advisory_new).enumerate() {
        #[allow(clippy::cast_possible_truncation)]
        let key = key as u32;
        if let Some(i) = o {
            key_of_old[*i as usize] = key;
        }
        if let Some(i) = n {
            key_of_new[*i as usize] = key;
        }
    }
    let mut devices: HashSet<(u32, u32)> = HashSet::new();
    for f in &new.findings {
        let key = key_of_new[f.advisory as usize];
        if keys.contains(&key) {
            devices.insert((key, f.device));
        }
    }
    // A finding the later record suppresses (VEX, an exception) was not fixed.
    let suppressed = new.suppressed_pairs();
    for f in &old.findings {
        let key = key_of_old[f.advisory as usize];
        if keys.contains(&key)
            && m.advisory_new[key as usize].is_none()
            && !suppressed.contains(&(old.device_of(f).id.as_str(), old.advisory_of(f).id.as_str()))
        {
            if let Some(d) = m.device_after[f.device as usize] {
                devices.insert((key, d));
            }
        }
    }
    let mut count: HashMap<u32, usize> = HashMap::new();
    for (key, _) in devices {
        *count.entry(key).or_default() += 1;
    }
    let mut events: Vec<Event> = wanted
        .into_iter()
        .filter_map(|(key, kind, before, after)| {
            let devices = count.get(&key).copied().unwrap_or(0);
            // A fixed advisory whose devices all left is not fixed.
            if kind == EventKind::VulnerabilityFixed && devices == 0 {
                return None;
            }
            let (b, a) = m.advisories(key);
            let record = a.or(b)?;
            Some(Event {
                kind,
                date,
                advisory: Some(record.id.clone()),
                cves: record.cves().map(str::to_owned).collect(),
                software: None,
                devices,
                score_change: score_changes.get(&key).copied().unwrap_or(0.0),
                before,
                after,
            })
        })
        .collect();
    // The organisation.
    let change = new.score - old.score;
    if change.abs() >= t.score_change || old.level != new.level {
        let moved = m
            .by_device()
            .filter(|changes| {
                let (before, after) = m.scores(changes[0].device);
                before.unwrap_or(0.0).to_bits() != after.unwrap_or(0.0).to_bits()
            })
            .count();
        events.push(Event {
            kind: EventKind::ExposureScoreChange,
            date,
            advisory: None,
            cves: Vec::new(),
            software: None,
            devices: moved,
            score_change: change,
            before: Some(old.score),
            after: Some(new.score),
        });
    }
    events.extend(end_of_support(new, old.as_of, date));
    events.sort_by(|a, b| {
        b.score_change
            .abs()
            .total_cmp(&a.score_change.abs())
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.advisory.cmp(&b.advisory))
            .then_with(|| a.software.cmp(&b.software))
    });
    events
}

/// Software whose support ended between the two as-of days, with its devices.
fn end_of_support(new: &AssessmentRecord, before: Option<Date>, date: Option<Date>) -> Vec<Event> {
    let (Some(before), Some(now)) = (before, new.as_of) else {
        return Vec::new();
    };
    let ended: Vec<bool> = new
        .software
        .iter()
        .map(|s| {
            s.support_ends
                .as_deref()
                .and_then(day_of)
                .is_some_and(|end| before < end && end <= now)
        })
        .collect();
    if !ended.iter().any(|&e| e) {
        return Vec::new();
    }
    let mut devices = vec![0usize; new.software.len()];
    for d in &new.devices {
        for &s in &d.software {
            if ended[s as usize] {
                devices[s as usize] += 1;
            }
        }
    }
    new.software
        .iter()
        .zip(ended.iter().zip(devices))
        .filter(|(_, (&e, n))| e && *n > 0)
        .map(|(s, (_, n))| Event {
            kind: EventKind::SoftwareEndOfSupport,
            date,
            advisory: None,
            cves: Vec::new(),
            software: Some(format!("{} {} {}", s.ecosystem, s.name, s.version)),
            devices: n,
            score_change: 0.0,
            before: None,
            after: None,
        })
        .collect()
}

/// For each advisory key in `keys`: the organisation score now minus the score with that
/// advisory's changed findings back at their earlier contributions. A device's changes are
/// sorted by advisory; the product of the later factors before and after an advisory's run
/// (prefix and suffix products) times the run's earlier factors is the device's survival with
/// that advisory taken back: linear in the device's changes, with no division (a contribution
/// of 1 stays exact). The device's unchanged findings enter through their survival product.
fn counterfactuals(m: &Matched<'_>, keys: &HashSet<u32>) -> HashMap<u32, f64> {
    let total: f64 = m.new.devices.iter().map(|d| d.weight).sum();
    let mut out: HashMap<u32, f64> = HashMap::new();
    if total <= 0.0 {
        return out;
    }
    // (advisory, earlier factor, later factor) of one device's changes, and the later
    // factors' suffix products.
    let mut factors: Vec<(u32, f64, f64)> = Vec::new();
    let mut suffix: Vec<f64> = Vec::new();
    for changes in m.by_device() {
        let device = changes[0].device;
        if device as usize >= m.kept_keys() || !changes.iter().any(|c| keys.contains(&c.advisory)) {
            continue;
        }
        factors.clear();
        factors.extend(changes.iter().map(|c: &Change| {
            let (before, after) = m.factors(c);
            (c.advisory, before, after)
        }));
        factors.sort_by_key(|f| f.0);
        suffix.clear();
        suffix.resize(factors.len() + 1, 1.0);
        for k in (0..factors.len()).rev() {
            suffix[k] = suffix[k + 1] * factors[k].2;
        }
        let now = suffix[0];
        let u = m.unchanged[device as usize];
        let share = m.weight(device) / total;
        let mut prefix = 1.0;
        let mut start = 0;
        for run in factors.chunk_by(|a, b| a.0 == b.0) {
            let end = start + run.len();
            if keys.contains(&run[0].0) {
                let before: f64 = run.iter().map(|f| f.1).product();
                let taken_back = prefix * before * suffix[end];
                // Score now minus score taken back, weighted: 100·u·(taken_back − now).
                *out.entry(run[0].0).or_default() += share * 100.0 * u * (taken_back - now);
            }
            prefix *= run.iter().map(|f| f.2).product::<f64>();
            start = end;
        }
    }
    out
}

/// The events of a history of assessment records.
///
/// ```
/// use exposure::history::{AssessmentRecord, Timeline};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// let timeline = Timeline::of(&[record.clone(), record], None);
/// assert!(timeline.events.is_empty());
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The events, in date order (each consecutive pair's events in their own order).
    pub events: Vec<Event>,
}

impl Timeline {
    /// The events of each consecutive pair of `records` (in the order given, oldest first),
    /// with the default [`Thresholds`], each dated by the later record's as-of day; with
    /// `since`, events dated before it (or undated: a record without an as-of day) are left
    /// out.
    ///
    /// ```
    /// use exposure::history::{AssessmentRecord, Timeline};
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// assert!(Timeline::of(&[record], None).events.is_empty()); // one record: no pair
    /// # Ok::<(), exposure::history::RecordError>(())
    /// ```
    pub fn of(records: &[AssessmentRecord], since: Option<Date>) -> Timeline {
        Timeline::with_thresholds(records, since, &Thresholds::default())
    }

    /// [`Timeline::of`] with other thresholds.
    ///
    /// ```
    /// use exposure::history::{Thresholds, Timeline};
    /// let strict = Thresholds { score_change: 5.0, ..Thresholds::default() };
    /// assert!(Timeline::with_thresholds(&[], None, &strict).events.is_empty());
    /// ```
    pub fn with_thresholds(
        records: &[AssessmentRecord],
        since: Option<Date>,
        thresholds: &Thresholds,
    ) -> Timeline {
        let options = EventOptions {
            date: None,
            thresholds: *thresholds,
        };
        let mut events: Vec<Event> = records
            .windows(2)
            .flat_map(|pair| Event::between(&pair[0], &pair[1], None, &options))
            .filter(|e| since.is_none_or(|since| e.date.is_some_and(|d| d >= since)))
            .collect();
        // Records given out of order still give a timeline in date order (stable: a pair's
        // events keep their order).
        events.sort_by_key(|e| e.date);
        Timeline { events }
    }
}
