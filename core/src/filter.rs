//! Which findings a report shows, in which order, and whether an assessment fails a gate: the
//! scanners' filters (`--severity`, `--ignore-unfixed`, `--kev-only`, `--min-epss`,
//! `--group`), sort keys and `--fail-on`, decided once here for every interface.
//!
//! Filters choose what is *reported*; the scores stay those of the whole assessment (a
//! filtered report of a host still shows the host's exposure). A gate counts the findings a
//! filter keeps that still count in the scores (not mitigated, their condition met).
//!
//! ```
//! use exposure::filter::{FailOn, FindingFilter, FixFilter};
//! use exposure::score::cvss::Severity;
//! let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
//! let filter = FindingFilter { severities: vec![Severity::Critical], ..FindingFilter::default() };
//! let critical = a.filtered(&filter);
//! assert!(critical.findings.iter().all(|f| f.severity == Some(Severity::Critical)));
//! assert_eq!(critical.organisation.score, a.organisation.score); // scores are the whole's
//! let gate = a.gate(&FailOn::Severity(Severity::High), &FindingFilter::default());
//! assert!(gate.failed() && gate.findings > 0);
//! let fixed_only = FindingFilter { fix: FixFilter::Fixed, ..FindingFilter::default() };
//! assert!(a.filtered(&fixed_only).findings.iter().all(|f| f.finding.fix.is_some()));
//! ```

use crate::assessment::{Assessment, ScoredFinding};
use crate::matching::FixState;
use crate::score::cvss::Severity;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::str::FromStr;

/// Which findings to keep by their fix state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FixFilter {
    /// Every finding.
    #[default]
    Any,
    /// Only findings a known version fixes (`--ignore-unfixed`, `--only-fixed`).
    Fixed,
    /// Only findings no known version fixes (`--only-unfixed`).
    Unfixed,
}

/// The findings a report keeps: every condition given must hold (an empty list or `None`
/// does not filter).
///
/// ```
/// use exposure::filter::FindingFilter;
/// assert!(FindingFilter::default().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FindingFilter {
    /// Keep findings of these severities (a finding without one is dropped when any is
    /// given).
    pub severities: Vec<Severity>,
    /// Keep findings by fix state.
    pub fix: FixFilter,
    /// Keep only findings listed in CISA's KEV catalog.
    pub kev_only: bool,
    /// Keep findings whose EPSS probability is at least this (a finding without one is
    /// dropped).
    pub min_epss: Option<f64>,
    /// Keep findings on devices of these groups.
    pub groups: Vec<String>,
}

impl FindingFilter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.severities.is_empty()
            && self.fix == FixFilter::Any
            && !self.kev_only
            && self.min_epss.is_none()
            && self.groups.is_empty()
    }

    /// Whether the filter keeps `finding`, found on a device of `groups`.
    ///
    /// ```
    /// use exposure::filter::FindingFilter;
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let kev = FindingFilter { kev_only: true, ..FindingFilter::default() };
    /// let kept = a.findings.iter().filter(|f| kev.selects(f, &[])).count();
    /// assert_eq!(kept, a.findings.iter().filter(|f| f.threat.known_exploited.is_some()).count());
    /// ```
    pub fn selects(&self, finding: &ScoredFinding, groups: &[String]) -> bool {
        let severity = self.severities.is_empty()
            || finding
                .severity
                .is_some_and(|s| self.severities.contains(&s));
        let fixed = finding.finding.fix_state == FixState::Fixed;
        let fix = match self.fix {
            FixFilter::Any => true,
            FixFilter::Fixed => fixed,
            FixFilter::Unfixed => !fixed,
        };
        let kev = !self.kev_only || finding.threat.known_exploited.is_some();
        let epss = self
            .min_epss
            .is_none_or(|min| epss_of(finding).is_some_and(|p| p >= min));
        let group = self.groups.is_empty() || groups.iter().any(|g| self.groups.contains(g));
        severity && fix && kev && epss && group
    }
}

/// The EPSS probability of a finding's vulnerability, when known.
fn epss_of(finding: &ScoredFinding) -> Option<f64> {
    finding.threat.epss.as_ref().map(|(_, s)| s.probability)
}

/// The order of a report's findings: each key, then risk, then device and advisory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Highest risk `r` first.
    #[default]
    Risk,
    /// Highest severity first (unknown last).
    Severity,
    /// Highest EPSS probability first (unknown last).
    Epss,
    /// KEV-listed first.
    Kev,
}

impl FromStr for SortBy {
    type Err = String;

    /// `risk`, `severity`, `epss` or `kev`.
    ///
    /// ```
    /// assert_eq!("epss".parse(), Ok(exposure::filter::SortBy::Epss));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "risk" => Ok(SortBy::Risk),
            "severity" => Ok(SortBy::Severity),
            "epss" => Ok(SortBy::Epss),
            "kev" => Ok(SortBy::Kev),
            other => Err(format!(
                "unknown sort key {other:?} (risk, severity, epss or kev)"
            )),
        }
    }
}

impl SortBy {
    /// Compares two findings for this order (the first sorts first).
    pub fn compare(self, a: &ScoredFinding, b: &ScoredFinding) -> Ordering {
        let by_risk = || b.risk.risk.total_cmp(&a.risk.risk);
        let key = match self {
            SortBy::Risk => Ordering::Equal,
            SortBy::Severity => b.severity.cmp(&a.severity),
            SortBy::Epss => epss_of(b)
                .unwrap_or(-1.0)
                .total_cmp(&epss_of(a).unwrap_or(-1.0)),
            SortBy::Kev => b
                .threat
                .known_exploited
                .is_some()
                .cmp(&a.threat.known_exploited.is_some()),
        };
        key.then_with(by_risk)
            .then_with(|| a.finding.device_id.cmp(&b.finding.device_id))
            .then_with(|| a.finding.advisory_id.cmp(&b.finding.advisory_id))
            .then_with(|| a.finding.software.name.cmp(&b.finding.software.name))
    }
}

/// A gate that fails an assessment (the command line's exit status 1, for CI jobs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FailOn {
    /// A counted finding of this severity or above.
    Severity(Severity),
    /// A counted finding whose risk `r` is at least this (0–1).
    Risk(f64),
    /// A counted finding listed in CISA's KEV catalog.
    Kev,
    /// The organisation's exposure score at least this (0–100).
    Score(f64),
}

impl FromStr for FailOn {
    type Err = String;

    /// `low`, `medium`, `high`, `critical`; `risk` (any counted finding's risk at least the
    /// high exposure level's 0.7) or `risk:R`; `kev`; `score:N`.
    ///
    /// ```
    /// use exposure::filter::FailOn;
    /// use exposure::score::cvss::Severity;
    /// assert_eq!("high".parse(), Ok(FailOn::Severity(Severity::High)));
    /// assert_eq!("risk:0.5".parse(), Ok(FailOn::Risk(0.5)));
    /// assert_eq!("score:70".parse(), Ok(FailOn::Score(70.0)));
    /// assert!("risk:2".parse::<FailOn>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let number = |text: &str, max: f64| {
            text.parse::<f64>()
                .ok()
                .filter(|n| (0.0..=max).contains(n))
                .ok_or_else(|| format!("{s:?}: {text:?} is not a number from 0 to {max}"))
        };
        match s.to_ascii_lowercase().as_str() {
            "kev" => Ok(FailOn::Kev),
            "risk" => Ok(FailOn::Risk(0.7)),
            word => {
                if let Some(r) = word.strip_prefix("risk:") {
                    return number(r, 1.0).map(FailOn::Risk);
                }
                if let Some(n) = word.strip_prefix("score:") {
                    return number(n, 100.0).map(FailOn::Score);
                }
                match Severity::from_word(word) {
                    Some(Severity::None) | None => Err(format!(
                        "unknown gate {s:?} (low, medium, high, critical, risk, risk:R, kev or score:N)"
                    )),
                    Some(severity) => Ok(FailOn::Severity(severity)),
                }
            }
        }
    }
}

/// What a gate found.
#[derive(Debug, Clone, PartialEq)]
pub struct GateOutcome {
    /// The gate.
    pub gate: FailOn,
    /// Counted findings (among those the filter keeps) that trip it.
    pub findings: usize,
    /// Whether the organisation's score trips it (for [`FailOn::Score`]).
    pub score_tripped: bool,
    /// Devices whose operating-system packages could not be assessed (their release
    /// unknown): a gate fails on them too, since the assessment cannot say they are clean.
    pub unassessed_devices: usize,
}

impl GateOutcome {
    /// Whether the gate fails the assessment.
    pub fn failed(&self) -> bool {
        self.findings > 0 || self.score_tripped || self.unassessed_devices > 0
    }
}

impl Assessment {
    /// The groups of each device, by id (from the devices' exposure).
    fn groups_by_device(&self) -> HashMap<&str, &[String]> {
        self.devices
            .iter()
            .map(|d| (d.device_id.as_str(), d.groups.as_slice()))
            .collect()
    }

    /// The assessment with only the findings `filter` keeps (scores unchanged; the
    /// recommendations kept are those covering a kept finding, every one when the filter is
    /// empty).
    ///
    /// ```
    /// use exposure::filter::FindingFilter;
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let web = a.filtered(&FindingFilter { groups: vec!["web".into()], ..FindingFilter::default() });
    /// assert!(web.findings.iter().all(|f| f.finding.device_id.starts_with("web-")));
    /// assert!(web.recommendations.iter().all(|r| !r.covered.is_empty()));
    /// ```
    #[must_use]
    pub fn filtered(&self, filter: &FindingFilter) -> Assessment {
        let mut out = self.clone();
        if filter.is_empty() {
            return out;
        }
        let groups = self.groups_by_device();
        let keep: Vec<bool> = self
            .findings
            .iter()
            .map(|f| {
                let g = groups.get(&*f.finding.device_id).copied().unwrap_or(&[]);
                filter.selects(f, g)
            })
            .collect();
        out.retain_findings(&keep);
        out.recommendations.retain(|r| !r.covered.is_empty());
        out
    }

    /// Sorts the findings (the recommendations' covered indexes follow them).
    ///
    /// ```
    /// use exposure::filter::SortBy;
    /// let mut a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// a.sort_findings(SortBy::Risk);
    /// assert!(a.findings.windows(2).all(|w| w[0].risk.risk >= w[1].risk.risk));
    /// ```
    pub fn sort_findings(&mut self, by: SortBy) {
        let mut order: Vec<usize> = (0..self.findings.len()).collect();
        order.sort_by(|&a, &b| by.compare(&self.findings[a], &self.findings[b]));
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut slots: Vec<Option<ScoredFinding>> = std::mem::take(&mut self.findings)
            .into_iter()
            .map(Some)
            .collect();
        self.findings = order.iter().filter_map(|&i| slots[i].take()).collect();
        for r in &mut self.recommendations {
            for c in &mut r.covered {
                *c = new_index[*c];
            }
            r.covered.sort_unstable();
        }
    }

    /// Keeps the findings whose `keep` flag is set; covered indexes renumbered, those of
    /// dropped findings removed.
    fn retain_findings(&mut self, keep: &[bool]) {
        let mut new_index = vec![usize::MAX; keep.len()];
        let mut next = 0;
        for (i, &k) in keep.iter().enumerate() {
            if k {
                new_index[i] = next;
                next += 1;
            }
        }
        let mut i = 0;
        self.findings.retain(|_| {
            let k = keep.get(i).copied().unwrap_or(false);
            i += 1;
            k
        });
        for r in &mut self.recommendations {
            r.covered = r
                .covered
                .iter()
                .filter_map(|&c| new_index.get(c).copied().filter(|&n| n != usize::MAX))
                .collect();
        }
    }

    /// Whether the assessment fails `gate`, counting the findings `filter` keeps.
    ///
    /// ```
    /// use exposure::filter::{FailOn, FindingFilter};
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let all = FindingFilter::default();
    /// assert!(a.gate(&FailOn::Kev, &all).failed()); // golang.org/x/net's rapid reset
    /// assert!(!a.gate(&FailOn::Score(99.0), &all).failed());
    /// assert!(a.gate(&FailOn::Risk(0.9), &all).failed());
    /// ```
    pub fn gate(&self, gate: &FailOn, filter: &FindingFilter) -> GateOutcome {
        let groups = self.groups_by_device();
        let findings = self
            .findings
            .iter()
            .filter(|f| f.not_counted().is_none())
            .filter(|f| {
                let g = groups.get(&*f.finding.device_id).copied().unwrap_or(&[]);
                filter.selects(f, g)
            })
            .filter(|f| match gate {
                FailOn::Severity(s) => f.severity.is_some_and(|x| x >= *s),
                FailOn::Risk(r) => f.risk.risk >= *r,
                FailOn::Kev => f.threat.known_exploited.is_some(),
                FailOn::Score(_) => false,
            })
            .count();
        GateOutcome {
            gate: *gate,
            findings,
            score_tripped: matches!(gate, FailOn::Score(n) if self.organisation.score >= *n),
            unassessed_devices: self.unassessed.len(),
        }
    }

    /// The counted findings per severity (critical first; `None` for findings without one),
    /// and how many of them are KEV-listed: the summary line scanners print.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let t = a.severity_totals();
    /// assert_eq!(t.total, a.findings.len());
    /// assert_eq!(t.by_severity.iter().map(|(_, n)| n).sum::<usize>(), t.total);
    /// assert_eq!(t.known_exploited, 1);
    /// ```
    pub fn severity_totals(&self) -> SeverityTotals {
        let mut by: Vec<(Option<Severity>, usize)> = [
            Some(Severity::Critical),
            Some(Severity::High),
            Some(Severity::Medium),
            Some(Severity::Low),
            Some(Severity::None),
            None,
        ]
        .into_iter()
        .map(|s| (s, 0))
        .collect();
        for f in &self.findings {
            if let Some(slot) = by.iter_mut().find(|(s, _)| *s == f.severity) {
                slot.1 += 1;
            }
        }
        SeverityTotals {
            total: self.findings.len(),
            by_severity: by,
            known_exploited: self
                .findings
                .iter()
                .filter(|f| f.threat.known_exploited.is_some())
                .count(),
            not_counted: self
                .findings
                .iter()
                .filter(|f| f.not_counted().is_some())
                .count(),
            suppressed: self.suppressed.len(),
        }
    }
}

/// Findings per severity, as [`Assessment::severity_totals`] counts them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeverityTotals {
    /// Every finding.
    pub total: usize,
    /// Per severity, critical first, then none, then unknown (`None`): six entries.
    pub by_severity: Vec<(Option<Severity>, usize)>,
    /// KEV-listed findings.
    pub known_exploited: usize,
    /// Findings listed that count 0 in the scores (mitigated, or a condition not reported).
    pub not_counted: usize,
    /// Findings a VEX statement or an exception removed (not among `total`).
    pub suppressed: usize,
}

impl SeverityTotals {
    /// `Total: 11 (CRITICAL 2, HIGH 4, MEDIUM 3, LOW 0, UNKNOWN 2)  KEV: 1`, the severities
    /// with none listed only when some finding has them.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// assert!(a.severity_totals().line().starts_with("Total: 11 (CRITICAL "));
    /// ```
    pub fn line(&self) -> String {
        let parts: Vec<String> = self
            .by_severity
            .iter()
            .filter(|(s, n)| *n > 0 || matches!(s, Some(x) if *x >= Severity::Low))
            .map(|(s, n)| format!("{} {n}", s.map_or("UNKNOWN", Severity::name)))
            .collect();
        format!(
            "Total: {} ({})  KEV: {}",
            self.total,
            parts.join(", "),
            self.known_exploited
        )
    }
}
