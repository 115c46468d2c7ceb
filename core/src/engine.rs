//! The engine: a knowledge base and model parameters that assess a fleet end to end —
//! match, apply VEX, score, recommend. Loading inputs for an assessment is
//! [`crate::assess`]'s; the result types are [`crate::assessment`]'s.

use crate::assessment::{
    Assessment, CvssSummary, DeviceExposure, GroupExposure, KnowledgeSummary, OrganisationExposure,
    ScoredFinding,
};
use crate::date::Date;
use crate::eol::EndOfLife;
use crate::exceptions::ExceptionSet;
use crate::inventory::{Device, Fleet, LastUsed};
use crate::kb::{Advisory, KnowledgeBase, VendorTriage};
use crate::matching::MatchMemos;
use crate::matching::{apply_vex, Finding, FixState, MatchDiagnostics, Suppression};
use crate::recommend::{recommend, EndOfSupportCheck, Input};
use crate::score::exploitation::Exploitation;
use crate::score::exposure::{
    device_score, organisation_score, ExposureLevel, FindingRisk, Parameters,
};
use crate::score::impact::{best_cvss, RecordImpact};
use crate::score::likelihood::{
    FindingContext, Likelihood, RecordLikelihood, Runtime, ThreatFacts,
};
use crate::score::priors::PriorTable;
use std::collections::HashMap;
use std::sync::Arc;

/// Below this survival, removing findings is computed by walking the device's findings rather
/// than dividing (a removed risk of nearly 1 would make the quotient meaningless).
const SURVIVAL_DIVISOR_FLOOR: f64 = 1e-6;

/// The key of [`RecordTerms`]: advisory, ecosystem, the entry's triage.
type RecordKey = (Arc<str>, crate::ecosystem::Ecosystem, Option<VendorTriage>);

/// What scoring reads of one advisory for software of one ecosystem (and one vendor triage
/// of its entry), computed once and shared by its findings: the CVSS used, the impact per
/// device value, the record's likelihood steps and the exploitation facts.
#[derive(Clone)]
struct RecordTerms {
    cvss: Option<Arc<CvssSummary>>,
    severity: Option<crate::score::cvss::Severity>,
    impact: Arc<RecordImpact>,
    likelihood: Arc<RecordLikelihood>,
    threat: Arc<Exploitation>,
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
#[derive(Debug, Clone)]
pub struct Engine {
    kb: KnowledgeBase,
    vocabulary: std::sync::OnceLock<Arc<crate::cpe::Vocabulary>>,
    parameters: Parameters,
    priors: Arc<PriorTable>,
    exceptions: Option<Arc<ExceptionSet>>,
}

/// Whether an assessment computes its fleet-wide results (recommendations, the
/// configuration summary): a stream's chunks leave them to the running aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FleetWide {
    /// Computed, as every public entry point does.
    Computed,
    /// Left empty (unless exceptions need them).
    Skipped,
}

/// How to assess beyond the fleet ([`Engine::assess_with`]).
///
/// ```
/// use exposure::engine::AssessOptions;
/// let options = AssessOptions { as_of: Some("2026-12-04".parse()?), ..AssessOptions::default() };
/// let a = exposure::Engine::demo().assess_with(&exposure::demo::fleet(), &options, &|_, _| {});
/// assert_eq!(a.as_of, options.as_of);
/// # Ok::<(), exposure::date::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct AssessOptions<'a> {
    /// The day the assessment is made as of (see [`Engine::assess_as_of`]); exceptions
    /// that expire are judged on it.
    pub as_of: Option<Date>,
    /// The exceptions to apply; `None`: the engine's own ([`Engine::set_exceptions`]).
    pub exceptions: Option<&'a ExceptionSet>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new(KnowledgeBase::default())
    }
}

impl Engine {
    /// An engine over `kb` with the default parameters.
    pub fn new(kb: KnowledgeBase) -> Self {
        Self {
            kb,
            vocabulary: std::sync::OnceLock::new(),
            parameters: Parameters::default(),
            priors: Arc::new(PriorTable::embedded().clone()),
            exceptions: None,
        }
    }

    /// An engine over the embedded demo knowledge base (see [`crate::demo`]).
    pub fn demo() -> Self {
        Self::new(crate::demo::knowledge_base())
    }

    /// An engine over the knowledge-base snapshot at `path`, opened in place
    /// ([`KnowledgeBase::load_snapshot`]: mapped read-only with the default `map` feature,
    /// its indexes searched where they lie, each advisory decoded when a query first reads
    /// it). Opening takes milliseconds whatever the snapshot's size, and engines (or
    /// processes) that open one file share its pages. A file that is not a snapshot, of
    /// another format, truncated or corrupted is a [`KbError::Snapshot`](crate::kb::KbError)
    /// naming it; a record damaged since is found when read, and refuses the assessment
    /// ([`Engine::intact`]).
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("exposure-doc-open-{}.bin", std::process::id()));
    /// exposure::demo::knowledge_base().save_snapshot(&path)?;
    /// let engine = exposure::Engine::open(&path)?;
    /// let assessment = engine.assess(&exposure::demo::fleet());
    /// assert_eq!(assessment.findings.len(), exposure::Engine::demo().assess(&exposure::demo::fleet()).findings.len());
    /// engine.intact()?;
    /// # std::fs::remove_file(path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: &std::path::Path) -> Result<Self, crate::kb::KbError> {
        use crate::kb::{KbError, SnapshotError};
        KnowledgeBase::load_snapshot(path)
            .map(Self::new)
            .map_err(|e| match e {
                // A file that cannot be read is the error loading it gives.
                SnapshotError::Io(io) => KbError::input(&path.display().to_string(), io),
                source => KbError::Snapshot {
                    path: path.to_owned(),
                    source,
                },
            })
    }

    /// Replaces the model parameters.
    #[must_use]
    pub fn with_parameters(mut self, parameters: Parameters) -> Self {
        self.parameters = parameters;
        self
    }

    /// Replaces the model parameters of an engine in place (an engine loaded already).
    ///
    /// ```
    /// use exposure::score::exposure::Parameters;
    /// let mut engine = exposure::Engine::demo();
    /// engine.set_parameters(Parameters::from_json(r#"{"version": "acme/1", "kev_floor": 0.6}"#)?);
    /// let a = engine.assess(&exposure::demo::fleet());
    /// assert_eq!((a.model_version.as_str(), a.parameters.kev_floor), ("acme/1", 0.6));
    /// # Ok::<(), exposure::score::exposure::ParametersError>(())
    /// ```
    pub fn set_parameters(&mut self, parameters: Parameters) {
        self.parameters = parameters;
    }

    /// Replaces the exceptions every assessment of this engine applies (`None`: none), as
    /// [`Engine::set_parameters`] replaces the parameters; [`AssessOptions::exceptions`]
    /// overrides them for one assessment.
    ///
    /// ```
    /// use exposure::exceptions::ExceptionSet;
    /// let mut engine = exposure::Engine::demo();
    /// engine.set_exceptions(Some(ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
    ///   {"id": "a", "scope": {"recommendation": "update:npm:lodash"}, "justification": "planned_remediation",
    ///    "requester": "r", "reason": "next sprint", "created": "2026-01-01"}]}"#, "inline")?));
    /// assert_eq!(engine.exceptions().map(|s| s.len()), Some(1));
    /// let a = engine.assess(&exposure::demo::fleet());
    /// assert_eq!(a.excepted_recommendations.len(), 1);
    /// assert_eq!(a.recommendations[0].rank, 1);
    /// # Ok::<(), exposure::exceptions::ExceptionError>(())
    /// ```
    pub fn set_exceptions(&mut self, exceptions: Option<ExceptionSet>) {
        self.exceptions = exceptions.map(Arc::new);
    }

    /// [`Engine::set_exceptions`], by value.
    #[must_use]
    pub fn with_exceptions(mut self, exceptions: ExceptionSet) -> Self {
        self.set_exceptions(Some(exceptions));
        self
    }

    /// The exceptions every assessment applies, when set.
    pub fn exceptions(&self) -> Option<&ExceptionSet> {
        self.exceptions.as_deref()
    }

    /// Replaces the fitted likelihood priors (by default the embedded table,
    /// [`PriorTable::embedded`]).
    #[must_use]
    pub fn with_priors(mut self, priors: PriorTable) -> Self {
        self.priors = Arc::new(priors);
        self
    }

    /// The likelihood priors.
    pub fn priors(&self) -> &PriorTable {
        &self.priors
    }

    /// The knowledge base.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// The knowledge base's vocabulary of NVD application names
    /// ([`KnowledgeBase::vocabulary`]), built on first use and kept until the knowledge base
    /// changes ([`Engine::kb_mut`]).
    ///
    /// ```
    /// let mut engine = exposure::Engine::default();
    /// engine.kb_mut().load_text(r#"{"format": "NVD_CVE", "vulnerabilities": [{"cve": {"id": "CVE-2099-0001",
    ///   "descriptions": [{"lang": "en", "value": "x"}],
    ///   "configurations": [{"nodes": [{"operator": "OR", "cpeMatch": [{"vulnerable": true,
    ///     "criteria": "cpe:2.3:a:winscp:winscp:*:*:*:*:*:*:*:*", "versionEndExcluding": "6.0"}]}]}]}}]}"#, "nvd.json");
    /// assert!(engine.vocabulary().has_product("winscp", "winscp"));
    /// ```
    pub fn vocabulary(&self) -> Arc<crate::cpe::Vocabulary> {
        self.vocabulary
            .get_or_init(|| Arc::new(self.kb.vocabulary()))
            .clone()
    }

    /// The knowledge base, to load more into.
    pub fn kb_mut(&mut self) -> &mut KnowledgeBase {
        self.vocabulary = std::sync::OnceLock::new();
        &mut self.kb
    }

    /// The model parameters.
    pub fn parameters(&self) -> &Parameters {
        &self.parameters
    }

    /// The record-level terms of a finding's advisory for its ecosystem and triage.
    fn record_terms(
        &self,
        finding: &Finding,
        triage: Option<VendorTriage>,
        diagnostics: &mut MatchDiagnostics,
    ) -> RecordTerms {
        let advisory = self.kb.get(&finding.advisory_id);
        let cvss = advisory
            .and_then(|a| best_cvss(a, &finding.software.ecosystem, |p| diagnostics.problem(p)));
        let word = advisory.and_then(|a| a.severity_label.as_deref());
        let impact = RecordImpact::new(
            cvss.clone(),
            word,
            |w| self.parameters.word_impact(w),
            self.parameters.unknown_impact,
        );
        // KEV and EPSS know CVE ids: look through the aliases and the related records (an
        // RHSA, DSA or USN finding carries the CVEs it fixes there).
        let mut ids = finding.aliases.to_vec();
        ids.extend(advisory.iter().flat_map(|a| a.related.iter().cloned()));
        let threat = Arc::new(Exploitation::of(
            &finding.advisory_id,
            &ids,
            self.kb.threat(),
        ));
        let facts = ThreatFacts {
            kev: threat
                .known_exploited
                .as_ref()
                .map(|k| k.known_ransomware_use),
            triage,
            disputed: advisory.is_some_and(Advisory::disputed),
        };
        let epss = threat
            .epss
            .as_ref()
            .map(|(cve, score)| (Arc::from(cve.as_str()), score.probability));
        let cwes = advisory.map_or(&[][..], |a| a.cwes.as_slice());
        let prior = self.priors.prior(cvss.as_ref(), cwes);
        let likelihood = Arc::new(RecordLikelihood::new(
            &self.parameters,
            cvss.as_ref(),
            epss,
            prior,
            facts,
        ));
        let severity = match &cvss {
            Some(vector) => Some(vector.severity()),
            None => word.and_then(crate::score::cvss::Severity::from_word),
        };
        RecordTerms {
            severity,
            cvss: cvss.as_ref().map(|v| Arc::new(CvssSummary::of(v))),
            impact: Arc::new(impact),
            likelihood,
            threat,
        }
    }

    /// The distributor's triage of the entry a `will_not_fix` finding came from.
    fn triage(&self, finding: &Finding) -> Option<VendorTriage> {
        if finding.fix_state != FixState::WillNotFix {
            return None;
        }
        let software = &finding.software;
        let name = software.ecosystem.normalize_name(&software.name);
        self.kb
            .get(&finding.advisory_id)?
            .affected
            .iter()
            .filter(|p| p.ecosystem == software.ecosystem)
            .filter(|p| p.ecosystem.normalize_name(&p.name) == name)
            .find_map(crate::kb::AffectedPackage::triage)
    }

    /// The risk terms of `finding` on `device`, as of the day `as_of`.
    fn finding_risk(
        &self,
        terms: &RecordTerms,
        finding: &Finding,
        device: Option<&Device>,
        as_of: Option<Date>,
    ) -> FindingRisk {
        let value = device.map_or_else(Default::default, |d| d.value);
        let (impact, impact_source) = terms.impact.of(value);
        let context = FindingContext {
            internet_facing: device.is_some_and(|d| d.internet_facing),
            runtime: finding
                .software
                .last_used
                .as_ref()
                .and_then(|used| match used {
                    LastUsed::Never => Some(Runtime::NeverRun),
                    LastUsed::On(_) => used.days_before(as_of?).map(Runtime::LastUsedDaysAgo),
                }),
            alert: device.is_some_and(|d| alerted(d, finding)),
        };
        let likelihood = Likelihood::new(&self.parameters, Arc::clone(&terms.likelihood), context);
        FindingRisk {
            impact,
            impact_source,
            impact_requirements: terms.impact.requirements_applied(value),
            likelihood: likelihood.value(),
            likelihood_rule: likelihood.rule(),
            risk: impact * likelihood.value(),
            likelihood_steps: likelihood,
        }
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

    /// [`Engine::assess_with_progress`] as of the day `as_of`: end of support is judged on it
    /// against [`EndOfLife::embedded`] (software whose release had ended then gets an
    /// end-of-support recommendation), and how long ago software was last used is counted to
    /// it (the model's [`Parameters::not_used_after_days`]). The core never reads the clock:
    /// without `as_of` there is no end-of-support recommendation, and only software never
    /// run is judged by its runtime context. The CLI and the Python package pass today
    /// unless told otherwise; the day is recorded in the assessment.
    ///
    /// ```
    /// use exposure::recommend::ActionKind;
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::inventory::load_text(
    ///     r#"{"devices": [{"id": "d", "software": [{"name": "Adobe Flash Player", "version": "11.1",
    ///         "cpe": "cpe:2.3:a:adobe:flash_player:11.1:*:*:*:*:*:*:*"}]}]}"#,
    ///     "inline", &Default::default())?.fleet;
    /// let ended = engine.assess_as_of(&fleet, Some("2026-12-04".parse()?), &|_, _| {});
    /// assert_eq!(ended.recommendations[0].action, ActionKind::EndOfSupport);
    /// assert!(engine.assess_as_of(&fleet, None, &|_, _| {}).recommendations.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assess_as_of(
        &self,
        fleet: &Fleet,
        as_of: Option<Date>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Assessment {
        self.assess_with(
            fleet,
            &AssessOptions {
                as_of,
                exceptions: None,
            },
            progress,
        )
    }

    /// [`Engine::assess_as_of`] with every option: the as-of day and the exceptions to
    /// apply (the engine's own, [`Engine::set_exceptions`], when `options.exceptions` is
    /// `None`; see [`crate::exceptions`] for what they do).
    ///
    /// ```
    /// use exposure::engine::AssessOptions;
    /// use exposure::exceptions::{ExceptionSet, ExceptionStatus};
    /// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
    ///   {"id": "EXC-1", "scope": {"vulnerability": "CVE-2021-23337"}, "justification": "risk_accepted",
    ///    "requester": "alice", "reason": "internal tool", "created": "2026-11-01", "expires": "2026-12-31"}]}"#, "inline")?;
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let on = |day: &str| -> Result<_, exposure::date::DateError> {
    ///     Ok(engine.assess_with(&fleet, &AssessOptions { as_of: Some(day.parse()?), exceptions: Some(&set) }, &|_, _| {}))
    /// };
    /// assert_eq!(on("2026-12-31")?.exceptions[0].status, ExceptionStatus::Applied);
    /// assert_eq!(on("2027-01-01")?.exceptions[0].status, ExceptionStatus::Expired);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assess_with(
        &self,
        fleet: &Fleet,
        options: &AssessOptions<'_>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Assessment {
        self.assess_remembering(
            fleet,
            options,
            progress,
            &MatchMemos::default(),
            FleetWide::Computed,
        )
    }

    /// [`Engine::assess_with`] reusing what matching learned from fleets assessed before
    /// with `memos` by this engine (the chunks of a stream); with
    /// [`FleetWide::Skipped`], the fleet-wide results (recommendations, the configuration
    /// summary) are left empty unless exceptions need them.
    pub(crate) fn assess_remembering(
        &self,
        fleet: &Fleet,
        options: &AssessOptions<'_>,
        progress: &(dyn Fn(usize, usize) + Sync),
        memos: &MatchMemos,
        fleet_wide: FleetWide,
    ) -> Assessment {
        let (findings, diagnostics) =
            crate::matching::match_fleet_remembering(&self.kb, fleet, memos, progress);
        // Informational advisories (unmaintained, unsound) are no vulnerabilities: set apart
        // before anything is scored.
        let (findings, informational) = self.informational_apart(findings);
        let (findings, suppressed) = apply_vex(&self.kb, fleet, findings);
        let as_of = options.as_of;
        let mut assessment = match options.exceptions.or(self.exceptions.as_deref()) {
            None => self.scored(fleet, findings, suppressed, diagnostics, as_of, fleet_wide),
            // Exceptions scoped to a recommendation need the recommendations.
            Some(set) => {
                crate::exceptions::apply(set, fleet, findings, suppressed, as_of, |f, s| {
                    self.scored(fleet, f, s, diagnostics.clone(), as_of, FleetWide::Computed)
                })
            }
        };
        assessment.informational = informational;
        assessment
    }

    /// The findings of vulnerabilities, and the matches of informational advisories.
    fn informational_apart(
        &self,
        findings: Vec<Finding>,
    ) -> (Vec<Finding>, Vec<crate::assessment::InformationalFinding>) {
        let mut informational = Vec::new();
        let findings = findings
            .into_iter()
            .filter_map(|finding| {
                let kind = self
                    .kb
                    .get(&finding.advisory_id)
                    .and_then(|a| a.informational.clone());
                match kind {
                    Some(kind) => {
                        informational
                            .push(crate::assessment::InformationalFinding { kind, finding });
                        None
                    }
                    None => Some(finding),
                }
            })
            .collect();
        (findings, informational)
    }

    /// Scores the findings that stand and recommends: the assessment of them.
    fn scored(
        &self,
        fleet: &Fleet,
        findings: Vec<Finding>,
        suppressed: Vec<Suppression>,
        mut diagnostics: MatchDiagnostics,
        as_of: Option<Date>,
        fleet_wide: FleetWide,
    ) -> Assessment {
        // Index the devices once; the first device with an id owns it.
        let mut index_of: HashMap<&str, usize> = HashMap::with_capacity(fleet.devices.len());
        for (i, d) in fleet.devices.iter().enumerate() {
            index_of.entry(d.id.as_str()).or_insert(i);
        }
        // The record terms depend on the advisory, the package's ecosystem and the entry's
        // triage only: computed once per such key (a fleet has far fewer than findings).
        let mut terms: HashMap<RecordKey, RecordTerms> = HashMap::new();
        // A hit's evidence is shared by the findings of one item and advisory on every device
        // that has the item: its address finds the terms again without hashing texts.
        let mut by_hit: HashMap<usize, RecordTerms, crate::address::BuildAddressHasher> =
            HashMap::default();
        // Findings come in device order: the device of the last one is most likely the next's.
        let mut last_device: Option<(usize, usize)> = None;
        // Each finding's device, as an index into the fleet (the first device with its id).
        let mut owner: Vec<usize> = Vec::with_capacity(findings.len());
        let mut scored: Vec<ScoredFinding> = findings
            .into_iter()
            .map(|finding| {
                let hit = Arc::as_ptr(&finding.evidence) as usize;
                let record = by_hit.entry(hit).or_insert_with(|| {
                    let triage = self.triage(&finding);
                    let key = (
                        finding.advisory_id.clone(),
                        finding.software.ecosystem.clone(),
                        triage,
                    );
                    terms
                        .entry(key)
                        .or_insert_with(|| self.record_terms(&finding, triage, &mut diagnostics))
                        .clone()
                });
                let id = finding.device_id.as_ptr() as usize;
                let device = match last_device {
                    Some((last, index)) if last == id => Some(index),
                    _ => {
                        let index = index_of.get(&*finding.device_id).copied();
                        last_device = index.map(|i| (id, i));
                        index
                    }
                };
                owner.push(device.unwrap_or(0));
                let device = device.map(|i| &fleet.devices[i]);
                let risk = self.finding_risk(record, &finding, device, as_of);
                ScoredFinding {
                    finding,
                    cvss: record.cvss.clone(),
                    severity: record.severity,
                    threat: Arc::clone(&record.threat),
                    risk,
                    mitigated_by: None,
                }
            })
            .collect();
        // Configuration: a finding a passing check of its device mitigates stays listed and
        // counts 0 (`ScoredFinding::contribution`).
        crate::configuration::mark_mitigated(fleet, &mut scored, &owner);
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
        // Each finding's contribution, dense: recommendations recompute touched devices'
        // scores from it many times, and reading it from the findings themselves (a few
        // hundred bytes apart) cost a cache miss each.
        let contributions: Vec<f64> = scored.iter().map(ScoredFinding::contribution).collect();
        // Each device's survival `Π (1 − r)`: removing findings divides it by theirs, so a
        // recommendation costs the findings it removes, not every finding of the devices it
        // touches (a Debian package's touches thousands of devices of ~90 findings each).
        let survival: Vec<f64> = by_device
            .iter()
            .map(|findings| {
                findings
                    .iter()
                    .map(|&i| 1.0 - contributions[i].clamp(0.0, 1.0))
                    .product()
            })
            .collect();
        let device_scores: Vec<f64> = survival.iter().map(|s| 100.0 * (1.0 - s)).collect();
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
        let exposure_without = |removed: &[usize]| {
            // Only the devices holding a removed finding change score.
            let mut pairs: Vec<(usize, usize)> = removed.iter().map(|&i| (owner[i], i)).collect();
            pairs.sort_unstable();
            let mut scores = device_scores.clone();
            for run in pairs.chunk_by(|a, b| a.0 == b.0) {
                let d = run[0].0;
                let divisor: f64 = run
                    .iter()
                    .map(|&(_, i)| 1.0 - contributions[i].clamp(0.0, 1.0))
                    .product();
                scores[d] = if divisor > SURVIVAL_DIVISOR_FLOOR {
                    100.0 * (1.0 - (survival[d] / divisor).min(1.0))
                } else {
                    // A removed finding of risk (nearly) 1: divide by nothing, walk the
                    // device's findings instead, both lists in increasing order.
                    let mut gone = run.iter().map(|&(_, i)| i).peekable();
                    device_score(
                        by_device[d]
                            .iter()
                            .copied()
                            .filter(|&i| gone.next_if(|&g| g <= i) != Some(i))
                            .map(|i| contributions[i]),
                    )
                };
            }
            organisation_score(scores.iter().copied().zip(weights.iter().copied()))
        };
        let recommendations_off = fleet_wide == FleetWide::Skipped;
        let as_of_text = as_of.map(|d| d.to_string());
        // The end-of-support check lists every installed item: made only when recommending.
        let table = as_of_text
            .as_ref()
            .filter(|_| !recommendations_off)
            .map(|_| EndOfLife::embedded());
        let check = table
            .as_ref()
            .zip(as_of_text.as_deref())
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
        let mut recommendations = if recommendations_off {
            Vec::new()
        } else {
            recommend(
                &self.kb,
                &inputs,
                &ids,
                organisation,
                check.as_ref(),
                exposure_without,
            )
        };
        // Configuration: the secure scores and the configuration changes, their exposure
        // impact computed as the recommendations' is.
        let configuration = if recommendations_off {
            crate::configuration::ConfigurationSummary::default()
        } else {
            crate::configuration::summarise(fleet, &scored, &owner, organisation, exposure_without)
        };
        // One to-do list: the configuration changes ranked among the other actions.
        recommendations.extend(
            configuration
                .recommendations
                .iter()
                .map(crate::configuration::ConfigurationRecommendation::to_recommendation),
        );
        crate::recommend::rank(&mut recommendations);
        let devices: Vec<DeviceExposure> = fleet
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| DeviceExposure {
                device_id: d.id.clone(),
                name: d.name.clone(),
                value: d.value,
                weight: weights[i],
                groups: d.groups.clone(),
                software: d.software.len(),
                findings: by_device[i].len(),
                score: device_scores[i],
                level: ExposureLevel::of_score(device_scores[i]),
            })
            .collect();
        let groups = group_exposures(fleet, &by_device, &scored, &device_scores, &weights);
        Assessment {
            format: crate::report::ASSESSMENT_FORMAT,
            model_version: self.parameters.version.clone(),
            parameters: self.parameters.clone(),
            priors_version: self.priors.version().to_owned(),
            as_of,
            knowledge: KnowledgeSummary::of(&self.kb),
            knowledge_age: None,
            organisation: OrganisationExposure {
                score: organisation,
                level: ExposureLevel::of_score(organisation),
                devices: count,
                vulnerable_devices: devices.iter().filter(|d| d.findings > 0).count(),
                findings: scored.len(),
            },
            groups,
            unassessed: crate::assessment::UnassessedDevice::of_fleet(fleet),
            devices,
            findings: scored,
            recommendations,
            excepted_recommendations: Vec::new(),
            exceptions: Vec::new(),
            configuration,
            suppressed,
            informational: Vec::new(),
            diagnostics,
            inventory_reports: Vec::new(),
            knowledge_reports: Vec::new(),
            fleet: None,
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
        self.assess_text_with(text, origin, allow_partial, &AssessOptions::default())
    }

    /// [`Engine::assess_text`] with the options of [`Engine::assess_with`] (the as-of day,
    /// the exceptions).
    ///
    /// ```
    /// use exposure::engine::AssessOptions;
    /// let engine = exposure::Engine::demo();
    /// let options = AssessOptions { as_of: Some("2026-12-04".parse()?), exceptions: None };
    /// let a = engine.assess_text_with(exposure::demo::FLEET_JSON, "demo", false, &options)?;
    /// assert_eq!(a.as_of, options.as_of);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assess_text_with(
        &self,
        text: &str,
        origin: &str,
        allow_partial: bool,
        options: &AssessOptions<'_>,
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
        let mut assessment = self.assess_with(&loaded.fleet, options, &|_, _| {});
        self.intact()?;
        assessment.inventory_reports.push(report);
        assessment.fleet = Some(Arc::new(loaded.fleet));
        Ok(assessment)
    }

    /// Whether the knowledge read so far is whole: an error naming the first snapshot record
    /// that did not decode when a query read it ([`KnowledgeBase::damage`]), which would read
    /// as an advisory that affects nothing. The assessments that return a `Result` check it
    /// after matching; a caller of [`Engine::assess`] checks it after.
    ///
    /// ```
    /// let engine = exposure::Engine::demo();
    /// let assessment = engine.assess(&exposure::demo::fleet());
    /// engine.intact()?;
    /// # Ok::<(), exposure::Error>(())
    /// ```
    pub fn intact(&self) -> Result<(), crate::Error> {
        match self.kb.damage().into_iter().next() {
            Some(damage) => Err(crate::kb::SnapshotError::Payload(format!(
                "{damage}: the knowledge base is damaged, build it again"
            ))
            .into()),
            None => Ok(()),
        }
    }
}

/// The exposure of each device group, by name: the organisation formula over its devices.
fn group_exposures(
    fleet: &Fleet,
    by_device: &[Vec<usize>],
    scored: &[ScoredFinding],
    device_scores: &[f64],
    weights: &[f64],
) -> Vec<GroupExposure> {
    let mut members: std::collections::BTreeMap<&str, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, device) in fleet.devices.iter().enumerate() {
        for group in &device.groups {
            let listed = members.entry(group.as_str()).or_default();
            // A device lists a group once (the fleet reader keeps each name once); a device
            // built by hand may not.
            if listed.last() != Some(&i) {
                listed.push(i);
            }
        }
    }
    members
        .into_iter()
        .map(|(group, devices)| {
            let score = organisation_score(devices.iter().map(|&d| (device_scores[d], weights[d])));
            GroupExposure {
                group: group.to_owned(),
                devices: devices.len(),
                vulnerable_devices: devices
                    .iter()
                    .filter(|&&d| !by_device[d].is_empty())
                    .count(),
                findings: devices
                    .iter()
                    .flat_map(|&d| &by_device[d])
                    .filter(|&&f| scored[f].not_counted().is_none())
                    .count(),
                score,
                level: ExposureLevel::of_score(score),
            }
        })
        .collect()
}

/// Whether one of the device's active alerts names the finding's vulnerability (its advisory
/// id or an alias, any case).
fn alerted(device: &Device, finding: &Finding) -> bool {
    device.alerts.iter().any(|alert| {
        std::iter::once(&*finding.advisory_id)
            .chain(finding.aliases.iter().map(String::as_str))
            .any(|id| id.eq_ignore_ascii_case(alert.trim()))
    })
}
