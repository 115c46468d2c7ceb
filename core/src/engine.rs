//! The engine: a knowledge base and model parameters that assess fleets end to end —
//! match, score, recommend.

use crate::inventory::{DeviceValue, Fleet};
use crate::kb::{vex_applies_to, Advisory, EpssScore, KnowledgeBase, ThreatIntel, VexStatement};
use crate::matching::{Finding, MatchDiagnostics};
use crate::recommend::{recommend, Input, Recommendation};
use crate::report::{Consequence, Problem};
use crate::score::cvss::{CvssV3, Severity};
use crate::score::exposure::{
    device_score, organisation_score, ExposureLevel, FindingRisk, Parameters,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The CVSS score a finding was scored with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CvssSummary {
    /// `3.0` or `3.1`.
    pub version: &'static str,
    /// The canonical vector.
    pub vector: String,
    /// The base score.
    pub base_score: f64,
    /// The base severity.
    pub severity: Severity,
}

/// What is known about a finding's vulnerability being exploited: CISA KEV and EPSS, looked
/// up by the advisory's id and its CVE aliases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreatContext {
    /// The CVE listed in CISA's KEV catalog, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_exploited: Option<KnownExploited>,
    /// The highest EPSS score among the advisory's CVEs, with that CVE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epss: Option<(String, EpssScore)>,
}

/// A KEV listing, as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnownExploited {
    /// The CVE.
    pub cve_id: String,
    /// When CISA added it.
    pub date_added: String,
    /// CISA's remediation due date.
    pub due_date: String,
    /// Used in ransomware campaigns.
    pub known_ransomware_use: bool,
}

impl ThreatContext {
    /// The threat context of an advisory: its id and aliases looked up in `intel`.
    pub fn of(advisory_id: &str, aliases: &[String], intel: &ThreatIntel) -> Self {
        let ids = std::iter::once(advisory_id).chain(aliases.iter().map(String::as_str));
        let mut context = ThreatContext {
            known_exploited: None,
            epss: None,
        };
        for id in ids {
            if let Some(kev) = intel.kev(id) {
                if context.known_exploited.is_none() {
                    context.known_exploited = Some(KnownExploited {
                        cve_id: kev.cve_id.clone(),
                        date_added: kev.date_added.clone(),
                        due_date: kev.due_date.clone(),
                        known_ransomware_use: kev.known_ransomware_use,
                    });
                }
            }
            if let Some(score) = intel.epss(id) {
                if context
                    .epss
                    .as_ref()
                    .is_none_or(|(_, best)| score.probability > best.probability)
                {
                    context.epss = Some((id.to_owned(), score));
                }
            }
        }
        context
    }
}

/// One finding as a flat row, for tables, CSV and data frames.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRow {
    /// The device's id.
    pub device_id: String,
    /// The software's ecosystem.
    pub ecosystem: String,
    /// The software's name.
    pub software: String,
    /// The installed version.
    pub version: String,
    /// The advisory's id.
    pub advisory_id: String,
    /// Its aliases, joined by spaces.
    pub aliases: String,
    /// The CVSS base score used, when there is one.
    pub cvss: Option<f64>,
    /// The model's impact, likelihood and risk.
    pub impact: f64,
    /// See [`FindingRisk::likelihood`].
    pub likelihood: f64,
    /// See [`FindingRisk::risk`].
    pub risk: f64,
    /// Listed in CISA's KEV catalog.
    pub known_exploited: bool,
    /// The EPSS probability, when known.
    pub epss: Option<f64>,
    /// The fixing version, when known.
    pub fix: Option<String>,
    /// `fixed`, `not_fixed`, `will_not_fix` or `unknown`.
    pub fix_state: crate::matching::FixState,
    /// The matcher that fired.
    pub matcher: &'static str,
    /// How sure the match is.
    pub confidence: crate::matching::Confidence,
}

impl FindingRow {
    /// The field names in declaration order: the columns of a table of rows (serialised
    /// maps do not keep an order).
    pub const COLUMNS: [&'static str; 16] = [
        "device_id",
        "ecosystem",
        "software",
        "version",
        "advisory_id",
        "aliases",
        "cvss",
        "impact",
        "likelihood",
        "risk",
        "known_exploited",
        "epss",
        "fix",
        "fix_state",
        "matcher",
        "confidence",
    ];
}

impl Assessment {
    /// Every finding as a flat row, in finding order.
    ///
    /// ```
    /// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
    /// let rows = a.finding_rows();
    /// assert_eq!(rows.len(), a.findings.len());
    /// assert!(rows.iter().all(|r| r.risk > 0.0 && r.risk <= 1.0));
    /// // The columns name every serialised field, in order.
    /// let json = serde_json::to_value(&rows[0]).unwrap();
    /// let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    /// let mut columns = exposure::engine::FindingRow::COLUMNS.to_vec();
    /// keys.sort_unstable();
    /// columns.sort_unstable();
    /// assert_eq!(keys, columns);
    /// ```
    pub fn finding_rows(&self) -> Vec<FindingRow> {
        self.findings
            .iter()
            .map(|f| FindingRow {
                device_id: f.finding.device_id.to_string(),
                ecosystem: f.finding.software.ecosystem.to_string(),
                software: f.finding.software.name.clone(),
                version: f.finding.software.version.clone(),
                advisory_id: f.finding.advisory_id.to_string(),
                aliases: f.finding.aliases.join(" "),
                cvss: f.cvss.as_ref().map(|c| c.base_score),
                impact: f.risk.impact,
                likelihood: f.risk.likelihood,
                risk: f.risk.risk,
                known_exploited: f.threat.known_exploited.is_some(),
                epss: f.threat.epss.as_ref().map(|(_, s)| s.probability),
                fix: f.finding.fix.as_deref().map(str::to_owned),
                fix_state: f.finding.fix_state,
                matcher: f.finding.evidence.matcher,
                confidence: f.finding.evidence.confidence,
            })
            .collect()
    }
}

/// The terms a finding is scored with: its CVSS summary, risk and threat context.
type ScoreTerms = (Option<Arc<CvssSummary>>, FindingRisk, Arc<ThreatContext>);

/// A finding a VEX statement removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suppression {
    /// The finding as matching made it.
    pub finding: Finding,
    /// The statement that removed it.
    pub statement: VexStatement,
}

/// Splits findings into those that stand and those a VEX statement removes.
fn apply_vex(
    kb: &KnowledgeBase,
    fleet: &Fleet,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Suppression>) {
    if kb.vex().is_empty() {
        return (findings, Vec::new());
    }
    let device_cpes: HashMap<&str, Vec<crate::cpe::Cpe>> = fleet
        .devices
        .iter()
        .map(|d| {
            let names = d
                .software
                .iter()
                .filter_map(|s| s.cpe.as_ref()?.name.parse().ok())
                .collect();
            (d.id.as_str(), names)
        })
        .collect();
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for finding in findings {
        let cpes = device_cpes
            .get(&*finding.device_id)
            .map_or(&[][..], Vec::as_slice);
        let statement = std::iter::once(&*finding.advisory_id)
            .chain(finding.aliases.iter().map(String::as_str))
            .flat_map(|id| kb.vex().about(id))
            .find(|s| s.status.suppresses() && vex_applies_to(s, &finding.software, cpes))
            .cloned();
        match statement {
            Some(statement) => suppressed.push(Suppression { finding, statement }),
            None => kept.push(finding),
        }
    }
    (kept, suppressed)
}

/// A finding with its score terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredFinding {
    /// The finding and its evidence.
    #[serde(flatten)]
    pub finding: Finding,
    /// The CVSS v3.x score used, when the record has one; shared by the findings of the
    /// same advisory.
    pub cvss: Option<Arc<CvssSummary>>,
    /// KEV and EPSS facts about the vulnerability, shared like `cvss`.
    pub threat: Arc<ThreatContext>,
    /// The model's terms: impact, likelihood, risk, and where each came from.
    #[serde(flatten)]
    pub risk: FindingRisk,
}

/// One device's exposure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceExposure {
    /// The device's id.
    pub device_id: String,
    /// Its display name.
    pub name: String,
    /// Its value.
    pub value: DeviceValue,
    /// Its weight in the organisation score.
    pub weight: f64,
    /// Software items on it.
    pub software: usize,
    /// Findings on it.
    pub findings: usize,
    /// Exposure score, 0–100.
    pub score: f64,
    /// Exposure level.
    pub level: ExposureLevel,
}

/// The organisation's exposure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganisationExposure {
    /// Exposure score, 0–100.
    pub score: f64,
    /// Exposure level.
    pub level: ExposureLevel,
    /// Devices assessed.
    pub devices: usize,
    /// Devices with at least one finding.
    pub vulnerable_devices: usize,
    /// Findings in all.
    pub findings: usize,
}

/// Everything one assessment found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The model's parameter version.
    pub model_version: String,
    /// The organisation's exposure.
    pub organisation: OrganisationExposure,
    /// Per device, in fleet order.
    pub devices: Vec<DeviceExposure>,
    /// Every finding, in device order.
    pub findings: Vec<ScoredFinding>,
    /// Ranked recommendations.
    pub recommendations: Vec<Recommendation>,
    /// Findings a VEX statement (`not_affected` or `fixed`) removed, with the statement:
    /// reported here, left out of scores and recommendations.
    pub suppressed: Vec<Suppression>,
    /// What matching and scoring could not decide.
    pub diagnostics: MatchDiagnostics,
    /// The load reports of the inventories assessed, when the engine loaded them
    /// ([`Engine::assess_str`]) or the caller added them.
    pub inventory_reports: Vec<crate::report::LoadReport>,
}

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
        let risk = self.parameters.finding_risk(cvss.as_ref(), word);
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
        let threat = Arc::new(ThreatContext::of(
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
            .map(|(f, &device)| Input {
                ecosystem: &f.finding.software.ecosystem,
                software: &f.finding.software.name,
                installed: &f.finding.software.version,
                advisory_id: &f.finding.advisory_id,
                device,
                likelihood: f.risk.likelihood,
            })
            .collect();
        let ids: Vec<&str> = fleet.devices.iter().map(|d| d.id.as_str()).collect();
        let recommendations = recommend(&self.kb, &inputs, &ids, organisation, |removed| {
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
        });
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
        }
    }

    /// Loads an inventory from JSON text (CycloneDX or fleet document) and assesses it; the
    /// inventory's load report is part of the result.
    ///
    /// ```
    /// let engine = exposure::Engine::demo();
    /// let a = engine.assess_str(r#"{"devices": [{"id": "d", "software": [{"purl": "pkg:npm/minimist@1.2.5"}]}]}"#, "inline")?;
    /// assert_eq!(&*a.findings[0].finding.advisory_id, "GHSA-xvch-5gv4-984h");
    /// assert_eq!(a.inventory_reports[0].records_loaded, 1);
    /// # Ok::<(), exposure::inventory::InventoryError>(())
    /// ```
    pub fn assess_str(
        &self,
        text: &str,
        origin: &str,
    ) -> Result<Assessment, crate::inventory::InventoryError> {
        let loaded = crate::inventory::load_str(text, origin)?;
        let mut assessment = self.assess(&loaded.fleet);
        assessment.inventory_reports.push(loaded.report);
        Ok(assessment)
    }
}

/// The most preferred CVSS v3 vector (see [`Advisory::preferred_severities`] for the
/// order) that parses. A vector that does not parse is reported, never scored by default.
fn cvss_of(
    advisory: &Advisory,
    finding: &Finding,
    diagnostics: &mut MatchDiagnostics,
) -> Option<CvssV3> {
    for severity in advisory.preferred_severities(&finding.software.ecosystem, "CVSS_V3") {
        match severity.score.parse::<CvssV3>() {
            Ok(v) => return Some(v),
            Err(e) => diagnostics.problems.push(Problem::new(
                &advisory.source,
                Some(&advisory.id),
                "severity",
                format!("CVSS vector {:?}: {e}", severity.score),
                Consequence::PartlyUsed,
            )),
        }
    }
    None
}
