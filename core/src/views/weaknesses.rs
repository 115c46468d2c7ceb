//! The weaknesses view: one row per advisory with a finding on a device of the view.
//!
//! - `cves`: the CVE ids among its id and aliases; `severity`, `cvss_score`, `epss`,
//!   `known_exploited` (CISA KEV), `exploit_maturity` and `published` as the record keeps them.
//!   The record does not keep the advisory's last-modified day, so the view has no "updated"
//!   column (the knowledge base has it; a later record format may keep it).
//! - `exposed_devices`: devices of the view with a counted finding of it; `devices`: with any
//!   finding of it (mitigated or condition not reported included).
//! - `software`: the affected installed items, `name version` sorted.
//! - `fix`: from its findings' fix states ([`FixAvailability`]).
//! - `impact`: the exact drop of the view's score if its findings were gone from the view's
//!   devices.
//!
//! Rows are sorted by impact (largest first), then exposed devices, then id.
//!
//! ```
//! use exposure::history::AssessmentRecord;
//! use exposure::views::{weaknesses, Filter};
//! let engine = exposure::Engine::demo();
//! let fleet = exposure::demo::fleet();
//! let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
//! let rows = weaknesses::rows(&record, &Filter::all());
//! assert_eq!(rows.len(), record.advisories.len());
//! # Ok::<(), exposure::history::RecordError>(())
//! ```

use super::{Filter, Scope};
use crate::history::{AssessmentRecord, ExploitMaturity};
use crate::matching::FixState;
use crate::score::cvss::Severity;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Whether a fix exists, from the fix states of an advisory's findings in the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixAvailability {
    /// Every finding has a fixing version.
    Fixed,
    /// Some findings have one, others not (another product or branch).
    PartlyFixed,
    /// No version fixes it yet.
    NotFixed,
    /// The vendor or distro decided not to fix it.
    WillNotFix,
    /// The data does not say (or the findings disagree without any fix).
    Unknown,
}

impl FixAvailability {
    /// The availability of findings with `states`.
    ///
    /// ```
    /// use exposure::matching::FixState;
    /// use exposure::views::weaknesses::FixAvailability;
    /// assert_eq!(FixAvailability::of([FixState::Fixed, FixState::Fixed]), FixAvailability::Fixed);
    /// assert_eq!(FixAvailability::of([FixState::Fixed, FixState::NotFixed]), FixAvailability::PartlyFixed);
    /// assert_eq!(FixAvailability::of([FixState::WillNotFix]), FixAvailability::WillNotFix);
    /// assert_eq!(FixAvailability::of([FixState::NotFixed, FixState::Unknown]), FixAvailability::Unknown);
    /// ```
    pub fn of(states: impl IntoIterator<Item = FixState>) -> Self {
        let states: BTreeSet<u8> = states
            .into_iter()
            .map(|s| match s {
                FixState::Fixed => 0,
                FixState::NotFixed => 1,
                FixState::WillNotFix => 2,
                FixState::Unknown => 3,
            })
            .collect();
        match (states.len(), states.first()) {
            (1, Some(0)) => FixAvailability::Fixed,
            (1, Some(1)) => FixAvailability::NotFixed,
            (1, Some(2)) => FixAvailability::WillNotFix,
            (_, Some(0)) => FixAvailability::PartlyFixed,
            _ => FixAvailability::Unknown,
        }
    }
}

/// One advisory of the view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeaknessRow {
    /// The advisory id.
    pub id: String,
    /// CVE ids among the id and aliases.
    pub cves: Vec<String>,
    /// Its summary.
    pub summary: Option<String>,
    /// The severity of the CVSS score used.
    pub severity: Option<Severity>,
    /// The CVSS score used.
    pub cvss_score: Option<f64>,
    /// The EPSS probability.
    pub epss: Option<f64>,
    /// Listed by CISA KEV.
    pub known_exploited: bool,
    /// The exploit maturity its vector states.
    pub exploit_maturity: ExploitMaturity,
    /// When it was published (as the source wrote it).
    pub published: Option<String>,
    /// Devices of the view with a counted finding of it.
    pub exposed_devices: usize,
    /// Devices of the view with any finding of it.
    pub devices: usize,
    /// Affected items, `name version`, sorted.
    pub software: Vec<String>,
    /// Whether a fix exists.
    pub fix: FixAvailability,
    /// The exact drop of the view's score without its findings.
    pub impact: f64,
}

/// What a view counts of an advisory: its devices, the exposed ones, its impact.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Exposure {
    pub(crate) devices: usize,
    pub(crate) exposed_devices: usize,
    pub(crate) impact: f64,
}

impl WeaknessRow {
    /// The row of `advisory` with its counts, affected items and fix availability.
    pub(crate) fn new(
        advisory: &crate::history::AdvisoryRecord,
        exposure: Exposure,
        software: Vec<String>,
        fix: FixAvailability,
    ) -> Self {
        WeaknessRow {
            id: advisory.id.clone(),
            cves: advisory.cves().map(str::to_owned).collect(),
            summary: advisory.summary.clone(),
            severity: advisory.severity,
            cvss_score: advisory.cvss_score,
            epss: advisory.epss,
            known_exploited: advisory.kev.is_some(),
            exploit_maturity: advisory.exploit_maturity,
            published: advisory.published.clone(),
            exposed_devices: exposure.exposed_devices,
            devices: exposure.devices,
            software,
            fix,
            impact: exposure.impact,
        }
    }
}

/// The advisories with a finding on a device of the view.
///
/// ```
/// use exposure::history::AssessmentRecord;
/// use exposure::views::{weaknesses, Filter};
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
/// let engineering = weaknesses::rows(&record, &Filter::group("engineering"));
/// assert!(!engineering.is_empty());
/// assert!(engineering.iter().all(|w| w.devices <= 2)); // build-01, dev-laptop-07
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
pub fn rows(record: &AssessmentRecord, filter: &Filter) -> Vec<WeaknessRow> {
    rows_in(&Scope::new(record, filter))
}

#[derive(Default)]
struct Seen {
    devices: BTreeSet<usize>,
    exposed: BTreeSet<usize>,
    software: BTreeSet<String>,
    states: Vec<FixState>,
}

pub(crate) fn rows_in(scope: &Scope<'_>) -> Vec<WeaknessRow> {
    let record = scope.record;
    let mut by_advisory: BTreeMap<u32, Seen> = BTreeMap::new();
    for d in scope.devices() {
        for &f in scope.findings_of.get(d).map_or(&[][..], Vec::as_slice) {
            let Some(finding) = record.findings.get(f as usize) else {
                continue;
            };
            let seen = by_advisory.entry(finding.advisory).or_default();
            seen.devices.insert(d);
            if finding.not_counted.is_none() {
                seen.exposed.insert(d);
            }
            let software = record.software_of(finding);
            seen.software
                .insert(format!("{} {}", software.name, software.version));
            seen.states.push(finding.fix_state);
        }
    }
    let impacts = scope.impacts_by(|f| Some(f.advisory));
    let mut rows: Vec<WeaknessRow> = by_advisory
        .into_iter()
        .filter_map(|(a, seen)| {
            let advisory = record.advisories.get(a as usize)?;
            Some(WeaknessRow::new(
                advisory,
                Exposure {
                    devices: seen.devices.len(),
                    exposed_devices: seen.exposed.len(),
                    impact: impacts.get(&a).copied().unwrap_or(0.0),
                },
                seen.software.into_iter().collect(),
                FixAvailability::of(seen.states),
            ))
        })
        .collect();
    sort(&mut rows);
    rows
}

/// The view's order: by impact, exposed devices and id.
pub(crate) fn sort(rows: &mut [WeaknessRow]) {
    rows.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then_with(|| b.exposed_devices.cmp(&a.exposed_devices))
            .then_with(|| a.id.cmp(&b.id))
    });
}
