//! The engine: a knowledge base and model parameters that assess a fleet end to end —
//! match, apply VEX, score, recommend. Loading inputs for an assessment is
//! [`crate::assess`]'s; the result types are [`crate::assessment`]'s.

use crate::assessment::{
    Assessment, CvssSummary, DeviceExposure, KnowledgeSummary, OrganisationExposure, ScoredFinding,
};
use crate::eol::EndOfLife;
use crate::inventory::Fleet;
use crate::kb::{Advisory, KnowledgeBase};
use crate::load_report::{Consequence, Problem};
use crate::matching::{apply_vex, Finding, MatchDiagnostics};
use crate::recommend::{recommend, EndOfSupportCheck, Input};
use crate::score::cvss::{Cvss, CvssV3};
use crate::score::exploitation::Exploitation;
use crate::score::exposure::{
    device_score, organisation_score, ExposureLevel, FindingRisk, Parameters,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The terms a finding is scored with: its CVSS summary, risk and exploitation facts.
type ScoreTerms = (Option<Arc<CvssSummary>>, FindingRisk, Arc<Exploitation>);

/// A knowledge base and model parameters.
///
/// ```
/// use exposure::Engine;
/// let engine = Engine::demo();
/// let assessment = engine.assess(&exposure::demo::fleet());
/// assert!(assessment.organisation.findings > 0);
/// assert_eq!(assessment.recommendations[0].rank, 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Engine {
    kb: KnowledgeBase,
    parameters: Parameters,
}

impl Engine {
    /// An engine over `kb` with the default parameters.
    pub fn new(kb: KnowledgeBase) -> Self {
        Self {
            kb,
            parameters: Parameters::default(),
        }
    }

    /// An engine over the embedded demo knowledge base (see [`crate::demo`]).
    pub fn demo() -> Self {
        Self::new(crate::demo::knowledge_base())
    }

    /// Replaces the model parameters.
    #[must_use]
    pub fn with_parameters(mut self, parameters: Parameters) -> Self {
        self.parameters = parameters;
        self
    }

    /// The knowledge base.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// The knowledge base, to load more into.
    pub fn kb_mut(&mut self) -> &mut KnowledgeBase {
        &mut self.kb
    }

    /// The model parameters.
    pub fn parameters(&self) -> &Parameters {
        &self.parameters
    }

    /// The CVSS summary, risk terms and threat context of a finding.
    fn score_terms(&self, finding: &Finding, diagnostics: &mut MatchDiagnostics) -> ScoreTerms {
        let advisory = self.kb.get(&finding.advisory_id);
        let cvss = advisory.and_then(|a| cvss_of(a, finding, diagnostics));
        let word = advisory.and_then(|a| a.severity_label.as_deref());
        let risk = self.parameters.finding_risk(cvss, word);
        let cvss = cvss.map(|v| {
            Arc::new(CvssSummary {
                version: match v.version() {
                    crate::score::cvss::V3Version::V30 => "3.0",
                    crate::score::cvss::V3Version::V31 => "3.1",
                },
                vector: v.to_string(),
                base_score: v.base_score(),
                severity: v.base_severity(),
            })
        });
        // KEV and EPSS know CVE ids: look through the aliases and the related records (an
        // RHSA, DSA or USN finding carries the CVEs it fixes there).
        let mut ids = finding.aliases.to_vec();
        ids.extend(advisory.iter().flat_map(|a| a.related.iter().cloned()));
        let threat = Arc::new(Exploitation::of(
            &finding.advisory_id,
            &ids,
            self.kb.threat(),
        ));
        (cvss, risk, threat)
    }

    /// Matches, scores and recommends for `fleet`.
    pub fn assess(&self, fleet: &Fleet) -> Assessment {
        self.assess_with_progress(fleet, &|_, _| {})
    }

    /// [`Engine::assess`], calling `progress(devices matched, devices)` from the matching
    /// threads now and then (at most once per 64 devices, and once at the end), for a progress
    /// bar.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// let engine = exposure::Engine::demo();
    /// let last = AtomicUsize::new(0);
    /// let a = engine.assess_with_progress(&exposure::demo::fleet(), &|done, _| { last.fetch_max(done, Ordering::Relaxed); });
    /// assert_eq!(last.load(Ordering::Relaxed), a.devices.len());
    /// ```
    pub fn assess_with_progress(
        &self,
        fleet: &Fleet,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Assessment {
        self.assess_as_of(fleet, None, progress)
    }

    /// [`Engine::assess_with_progress`], judging end of support on the day `as_of`
    /// (`YYYY-MM-DD`) against [`EndOfLife::embedded`]: software whose release had ended then
    /// gets an end-of-support recommendation. The core never reads the clock: without
    /// `as_of` (or with a text that is not a date) there is none.
    ///
    /// ```
    /// use exposure::recommend::ActionKind;
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::inventory::load_text(
    ///     r#"{"devices": [{"id": "d", "software": [{"name": "Adobe Flash Player", "version": "11.1",
    ///         "cpe": "cpe:2.3:a:adobe:flash_player:11.1:*:*:*:*:*:*:*"}]}]}"#,
    ///     "inline", &Default::default())?.fleet;
    /// let ended = engine.assess_as_of(&fleet, Some("2026-12-04"), &|_, _| {});
    /// assert_eq!(ended.recommendations[0].action, ActionKind::EndOfSupport);
    /// assert!(engine.assess_as_of(&fleet, None, &|_, _| {}).recommendations.is_empty());
    /// # Ok::<(), exposure::Error>(())
    /// ```
    pub fn assess_as_of(
        &self,
        fleet: &Fleet,
        as_of: Option<&str>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Assessment {
        let (findings, mut diagnostics) =
            crate::matching::match_fleet_with_progress(&self.kb, fleet, progress);
        let (findings, suppressed) = apply_vex(&self.kb, fleet, findings);
        // The score terms depend on the advisory and the package's ecosystem only: computed
        // once per pair (a fleet has far fewer pairs than findings).
        let mut terms: HashMap<(Arc<str>, crate::ecosystem::Ecosystem), ScoreTerms> =
            HashMap::new();
        let scored: Vec<ScoredFinding> = findings
            .into_iter()
            .map(|finding| {
                let key = (
                    finding.advisory_id.clone(),
                    finding.software.ecosystem.clone(),
                );
                let (cvss, risk, threat) = terms
                    .entry(key)
                    .or_insert_with(|| self.score_terms(&finding, &mut diagnostics))
                    .clone();
                ScoredFinding {
                    finding,
                    cvss,
                    threat,
                    risk,
                }
            })
            .collect();
        // Index the devices once; the first device with an id owns it.
        let mut index_of: HashMap<&str, usize> = HashMap::with_capacity(fleet.devices.len());
        for (i, d) in fleet.devices.iter().enumerate() {
            index_of.entry(d.id.as_str()).or_insert(i);
        }
        let owner: Vec<usize> = scored
            .iter()
            .map(|f| index_of.get(&*f.finding.device_id).copied().unwrap_or(0))
            .collect();
        let count = fleet.devices.len();
        let weights: Vec<f64> = fleet
            .devices
            .iter()
            .map(|d| self.parameters.device_weight(d.value, count))
            .collect();
        // Each device's findings, as indexes into `scored`, in finding order.
        let mut by_device: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (i, &device) in owner.iter().enumerate() {
            by_device[device].push(i);
        }
        let score_of = |device: usize, removed: &BTreeSet<usize>| {
            device_score(
                by_device[device]
                    .iter()
                    .filter(|i| !removed.contains(i))
                    .map(|&i| scored[i].risk.risk),
            )
        };
        let device_scores: Vec<f64> = (0..count).map(|d| score_of(d, &BTreeSet::new())).collect();
        let organisation =
            organisation_score(device_scores.iter().copied().zip(weights.iter().copied()));
        let inputs: Vec<Input<'_>> = scored
            .iter()
            .zip(&owner)
            .map(|(f, &device)| {
                let known_exploited = f.threat.known_exploited.as_ref().map(|k| k.cve_id.as_str());
                Input {
                    finding: &f.finding,
                    device,
                    likelihood: f.risk.likelihood,
                    known_exploited,
                    required_action: known_exploited
                        .and_then(|cve| self.kb.threat().kev(cve))
                        .map(|e| e.required_action.as_str())
                        .filter(|a| !a.is_empty()),
                }
            })
            .collect();
        let ids: Vec<&str> = fleet.devices.iter().map(|d| d.id.as_str()).collect();
        let table = as_of
            .filter(|d| crate::eol::is_date(d))
            .map(|_| EndOfLife::embedded());
        let check = table
            .as_ref()
            .zip(as_of)
            .map(|(table, as_of)| EndOfSupportCheck {
                table,
                as_of,
                installed: fleet
                    .devices
                    .iter()
                    .enumerate()
                    .flat_map(|(i, d)| d.software.iter().map(move |s| (i, &**s)))
                    .collect(),
            });
        let recommendations = recommend(
            &self.kb,
            &inputs,
            &ids,
            organisation,
            check.as_ref(),
            |removed| {
                // Only the devices holding a removed finding change score.
                let touched: BTreeSet<usize> = removed.iter().map(|&i| owner[i]).collect();
                organisation_score((0..count).map(|d| {
                    let score = if touched.contains(&d) {
                        score_of(d, removed)
                    } else {
                        device_scores[d]
                    };
                    (score, weights[d])
                }))
            },
        );
        let devices: Vec<DeviceExposure> = fleet
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| DeviceExposure {
                device_id: d.id.clone(),
                name: d.name.clone(),
                value: d.value,
                weight: weights[i],
                software: d.software.len(),
                findings: by_device[i].len(),
                score: device_scores[i],
                level: ExposureLevel::of_score(device_scores[i]),
            })
            .collect();
        Assessment {
            model_version: self.parameters.version.clone(),
            knowledge: KnowledgeSummary::of(&self.kb),
            organisation: OrganisationExposure {
                score: organisation,
                level: ExposureLevel::of_score(organisation),
                devices: count,
                vulnerable_devices: devices.iter().filter(|d| d.findings > 0).count(),
                findings: scored.len(),
            },
            devices,
            findings: scored,
            recommendations,
            suppressed,
            diagnostics,
            inventory_reports: Vec::new(),
            knowledge_reports: Vec::new(),
        }
    }

    /// Loads an inventory from text (any format [`crate::inventory::load_text`] reads) and
    /// assesses it; the inventory's load report is part of the result. An inventory that
    /// yields no device or loses more than
    /// [`MAX_SKIPPED_PERCENT`](crate::load_report::MAX_SKIPPED_PERCENT) % of its records is
    /// [`Error::InventoryIncomplete`](crate::Error::InventoryIncomplete) unless
    /// `allow_partial` (as for [`crate::assess::AssessInputs::allow_partial`]).
    ///
    /// ```
    /// let engine = exposure::Engine::demo();
    /// let a = engine.assess_text(r#"{"devices": [{"id": "d", "software": [{"purl": "pkg:npm/minimist@1.2.5"}]}]}"#, "inline", false)?;
    /// assert_eq!(&*a.findings[0].finding.advisory_id, "GHSA-xvch-5gv4-984h");
    /// assert_eq!(a.inventory_reports[0].report.records_loaded, 1);
    /// assert!(engine.assess_text(r#"{"devices": []}"#, "inline", false).is_err());
    /// assert_eq!(engine.assess_text(r#"{"devices": []}"#, "inline", true)?.devices.len(), 0);
    /// # Ok::<(), exposure::Error>(())
    /// ```
    pub fn assess_text(
        &self,
        text: &str,
        origin: &str,
        allow_partial: bool,
    ) -> Result<Assessment, crate::Error> {
        let loaded =
            crate::inventory::load_text(text, origin, &crate::inventory::LoadOptions::default())?;
        let report = crate::assess::checked(
            crate::assess::Input::Inventory,
            origin.to_owned(),
            loaded.report,
            !loaded.fleet.devices.is_empty(),
            allow_partial,
        )?;
        let mut assessment = self.assess(&loaded.fleet);
        assessment.inventory_reports.push(report);
        Ok(assessment)
    }
}

/// The most preferred CVSS v3 vector (see [`Advisory::preferred_severities`] for the
/// order) that parses. A vector that does not parse is reported, never scored by default.
fn cvss_of<'a>(
    advisory: &'a Advisory,
    finding: &Finding,
    diagnostics: &mut MatchDiagnostics,
) -> Option<&'a CvssV3> {
    for severity in advisory.preferred_severities(&finding.software.ecosystem, "CVSS_V3") {
        let problem = match severity.cvss() {
            Some(Ok(Cvss::V3(v))) => return Some(v),
            Some(Ok(other)) => format!("CVSS {} vector stated as CVSS_V3", other.version()),
            Some(Err(e)) => e.to_string(),
            None => continue,
        };
        diagnostics.problem(Problem::new(
            &severity.source,
            Some(&advisory.id),
            "severity",
            format!("CVSS vector {:?}: {problem}", severity.score),
            Consequence::PartlyUsed,
        ));
    }
    None
}
