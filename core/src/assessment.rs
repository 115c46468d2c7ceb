//! What one assessment found: the organisation's and each device's exposure, every finding
//! with its evidence and score terms, the ranked recommendations, the suppressions, and what
//! could not be decided or loaded — and its flat views (rows for tables and data frames).

use crate::columns::{Column, ColumnType};
use crate::configuration::ConfigurationSummary;
use crate::inventory::DeviceValue;
use crate::kb::KnowledgeBase;
use crate::load_report::LoadReport;
use crate::matching::{Finding, MatchDiagnostics, Suppression};
use crate::recommend::Recommendation;
use crate::score::cvss::{Cvss, Severity};
use crate::score::exploitation::Exploitation;
use crate::score::exposure::{ExposureLevel, FindingRisk, Parameters};
use serde::Serialize;
use std::sync::Arc;

/// The CVSS vector a finding was scored with: the best its record has (v4, else v3.x, else
/// v2; see [`crate::score::impact`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CvssSummary {
    /// `4.0`, `3.1`, `3.0` or `2.0`.
    pub version: &'static str,
    /// The canonical vector.
    pub vector: String,
    /// The base score (v4's one score).
    pub base_score: f64,
    /// The most specific score the vector gives (environmental, else temporal, else base).
    pub score: f64,
    /// The severity of `score`.
    pub severity: Severity,
}

impl CvssSummary {
    /// The summary of a vector.
    ///
    /// ```
    /// use exposure::assessment::CvssSummary;
    /// let v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U".parse()?;
    /// let summary = CvssSummary::of(&v);
    /// assert_eq!((summary.version, summary.base_score, summary.score), ("3.1", 9.8, 9.0));
    /// # Ok::<(), exposure::score::cvss::CvssError>(())
    /// ```
    pub fn of(cvss: &Cvss) -> Self {
        CvssSummary {
            version: cvss.version(),
            vector: cvss.to_string(),
            base_score: cvss.base_score(),
            score: cvss.score(),
            severity: cvss.severity(),
        }
    }
}

/// A finding with its score terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredFinding {
    /// The finding and its evidence.
    #[serde(flatten)]
    pub finding: Finding,
    /// The CVSS vector used, when the record has one; shared by the findings of the same
    /// advisory.
    pub cvss: Option<Arc<CvssSummary>>,
    /// The qualitative severity: the rating of the CVSS vector used, else the record's
    /// severity word (`LOW` … `CRITICAL`, `MODERATE` and `IMPORTANT` read as medium and
    /// high), else none.
    pub severity: Option<crate::score::cvss::Severity>,
    /// KEV and EPSS facts about the vulnerability, shared like `cvss`.
    pub threat: Arc<Exploitation>,
    /// The model's terms: impact, likelihood, risk, and where each came from.
    #[serde(flatten)]
    pub risk: FindingRisk,
    /// The passing configuration check of the device that mitigates the finding (names its
    /// advisory id or an alias): the finding stays listed but counts 0 in the exposure score
    /// (see [`crate::configuration`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mitigated_by: Option<String>,
}

/// Why a listed finding counts 0 in the exposure scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotCounted {
    /// A passing configuration check of the device mitigates it (`mitigated_by`).
    Mitigated,
    /// Its record is gated on a platform or configuration the device does not report
    /// (`evidence.condition` is `not_reported`).
    ConditionNotReported,
}

impl ScoredFinding {
    /// Why the finding counts 0 in the exposure scores, when it does: a configuration check
    /// mitigates it, or the device does not report the platform its record needs.
    pub fn not_counted(&self) -> Option<NotCounted> {
        if self.mitigated_by.is_some() {
            Some(NotCounted::Mitigated)
        } else if self
            .finding
            .evidence
            .condition
            .as_ref()
            .is_some_and(|c| !c.is_met())
        {
            Some(NotCounted::ConditionNotReported)
        } else {
            None
        }
    }

    /// What the finding adds to its device's exposure: its risk, or 0 when it is not counted
    /// ([`ScoredFinding::not_counted`]).
    pub fn contribution(&self) -> f64 {
        if self.not_counted().is_some() {
            0.0
        } else {
            self.risk.risk
        }
    }
}

/// A device whose operating-system packages could not be assessed: they belong to a
/// distribution family whose release is unknown (none given, none detected), and distro
/// advisories are per release.
///
/// ```
/// use exposure::inventory::dpkg;
/// let status = "Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10\n";
/// let fleet = dpkg::load_device(status, None, "host-1").fleet;
/// let a = exposure::Engine::demo().assess(&fleet);
/// assert_eq!(a.unassessed.len(), 1);
/// assert_eq!((a.unassessed[0].device_id.as_str(), a.unassessed[0].packages), ("host-1", 1));
/// assert!(a.headline().contains("WARNING: 1 devices"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnassessedDevice {
    /// The device's id.
    pub device_id: String,
    /// The distribution family (`Debian`).
    pub family: String,
    /// Its packages left unassessed.
    pub packages: usize,
}

impl UnassessedDevice {
    /// The devices of `fleet` with software in a bare distribution family (no release).
    pub(crate) fn of_fleet(fleet: &crate::inventory::Fleet) -> Vec<UnassessedDevice> {
        const FAMILIES: [&str; 3] = ["Debian", "Ubuntu", "Alpine"];
        let bare = |s: &&std::sync::Arc<crate::inventory::Software>| matches!(&s.ecosystem, crate::ecosystem::Ecosystem::Other(e) if FAMILIES.contains(&e.as_str()));
        fleet
            .devices
            .iter()
            .filter_map(|d| {
                let first = d.software.iter().find(bare)?;
                Some(UnassessedDevice {
                    device_id: d.id.clone(),
                    family: first.ecosystem.to_string(),
                    packages: d.software.iter().filter(bare).count(),
                })
            })
            .collect()
    }
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
    /// The groups it is in (the fleet format's `groups`; empty when none).
    pub groups: Vec<String>,
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

/// The exposure of one device group ([`crate::inventory::Device::groups`]): the
/// organisation formula ([`crate::score::exposure::organisation_score`], the same device
/// weights) over the group's devices only.
///
/// ```
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let names: Vec<&str> = a.groups.iter().map(|g| g.group.as_str()).collect();
/// assert_eq!(names, ["engineering", "production", "web", "workstations"]);
/// let production = &a.groups[1];
/// assert_eq!(production.devices, 3);
/// assert!(production.score > 0.0 && production.score <= 100.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupExposure {
    /// The group's name.
    pub group: String,
    /// Devices in the group.
    pub devices: usize,
    /// Of those, devices with at least one finding.
    pub vulnerable_devices: usize,
    /// Findings on its devices that count in the scores (not mitigated by a configuration
    /// check nor gated on a condition the device does not report:
    /// [`ScoredFinding::not_counted`]).
    pub findings: usize,
    /// Exposure score, 0–100.
    pub score: f64,
    /// Exposure level.
    pub level: ExposureLevel,
}

/// How much knowledge an assessment was made against: what the knowledge base held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct KnowledgeSummary {
    /// Advisories (merged by id and alias).
    pub advisories: usize,
    /// CISA KEV entries.
    pub kev_entries: usize,
    /// EPSS scores.
    pub epss_scores: usize,
    /// VEX statements.
    pub vex_statements: usize,
}

impl KnowledgeSummary {
    /// What `kb` holds.
    ///
    /// ```
    /// use exposure::assessment::KnowledgeSummary;
    /// let summary = KnowledgeSummary::of(&exposure::demo::knowledge_base());
    /// assert_eq!(summary.advisories, 10);
    /// assert_eq!(KnowledgeSummary::of(&exposure::kb::KnowledgeBase::new()), KnowledgeSummary::default());
    /// ```
    pub fn of(kb: &KnowledgeBase) -> Self {
        KnowledgeSummary {
            advisories: kb.len(),
            kev_entries: kb.threat().kev_len(),
            epss_scores: kb.threat().epss_len(),
            vex_statements: kb.vex().len(),
        }
    }
}

/// Everything one assessment found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The version of this document's form, [`crate::report::ASSESSMENT_FORMAT`]
    /// (`exposure-assessment/1`): the JSON Schema `schemas/assessment.schema.json` of that
    /// version describes it.
    pub format: &'static str,
    /// The model's parameter version.
    pub model_version: String,
    /// The whole parameter set the scores were computed with (overridable, see
    /// [`Parameters::from_json`]).
    pub parameters: Parameters,
    /// The version of the likelihood prior table used.
    pub priors_version: String,
    /// The day the assessment was made as of, when the caller said
    /// ([`crate::Engine::assess_as_of`], [`crate::assess::AssessInputs::as_of`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<crate::date::Date>,
    /// The knowledge it was made against: an assessment always states how many advisories
    /// (and KEV entries, EPSS scores, VEX statements) it was made against.
    pub knowledge: KnowledgeSummary,
    /// How old the knowledge was, with a warning when older than allowed or of unknown age,
    /// when the caller asked ([`crate::assess::AssessInputs::kb_age_check`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub knowledge_age: Option<crate::kb::KnowledgeAge>,
    /// The organisation's exposure.
    pub organisation: OrganisationExposure,
    /// Per device group, by group name (one per distinct name the devices list).
    pub groups: Vec<GroupExposure>,
    /// Devices whose operating-system packages could not be matched (their distribution
    /// release unknown): the assessment cannot call them clean. Empty when every device's
    /// packages were assessed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unassessed: Vec<UnassessedDevice>,
    /// Per device, in fleet order.
    pub devices: Vec<DeviceExposure>,
    /// Every finding, in device order.
    pub findings: Vec<ScoredFinding>,
    /// Ranked recommendations (those an exception hid are in `excepted_recommendations`).
    pub recommendations: Vec<Recommendation>,
    /// Recommendations hidden by exceptions that keep their findings in the scores (risk
    /// accepted, planned remediation, no patch available; see [`crate::exceptions`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excepted_recommendations: Vec<crate::exceptions::ExceptedRecommendation>,
    /// What became of each exception the assessment was made with, in set order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<crate::exceptions::ExceptionOutcome>,
    /// Secure configuration: the scores of the configuration checks the devices reported and
    /// the configuration changes recommended (see [`crate::configuration`]).
    pub configuration: ConfigurationSummary,
    /// Findings a VEX statement (`not_affected` or `fixed`) or an exception (third-party
    /// control, alternate mitigation) removed, with the statement or the exception: reported
    /// here, left out of scores and recommendations.
    pub suppressed: Vec<Suppression>,
    /// Matches of informational advisories ([`Advisory::informational`](crate::kb::Advisory::informational):
    /// an unmaintained crate, an unsound API, a notice): reported here as what they are, not
    /// as vulnerabilities, left out of findings, scores and recommendations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub informational: Vec<InformationalFinding>,
    /// What matching and scoring could not decide.
    pub diagnostics: MatchDiagnostics,
    /// The load report of each inventory assessed, when the engine loaded them
    /// ([`crate::assess`], [`Engine::assess_text`](crate::Engine::assess_text)) or the caller
    /// added them.
    pub inventory_reports: Vec<InputReport>,
    /// The load report of each knowledge-base input, when the assessment loaded them
    /// ([`crate::assess`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub knowledge_reports: Vec<InputReport>,
    /// The fleet assessed, when the assessment loaded it itself ([`crate::assess`],
    /// [`Engine::assess_text`](crate::Engine::assess_text)): what
    /// [`Assessment::record`] reads each device's software from. Not serialised.
    #[serde(skip)]
    pub fleet: Option<Arc<crate::inventory::Fleet>>,
}

/// A match of an informational advisory: not a vulnerability (see
/// [`Assessment::informational`]).
///
/// ```
/// use exposure::{kb::KnowledgeBase, Engine};
/// let mut kb = KnowledgeBase::new();
/// kb.load_text(r#"{"id": "RUSTSEC-2020-0053", "summary": "dirs is unmaintained",
///   "affected": [{"package": {"ecosystem": "crates.io", "name": "dirs"},
///     "database_specific": {"informational": "unmaintained"},
///     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}]}]}"#, "rustsec");
/// let a = Engine::new(kb).assess_text(r#"{"devices": [{"id": "d", "software": [{"purl": "pkg:cargo/dirs@3.0.2"}]}]}"#, "inline", false)?;
/// assert!(a.findings.is_empty());
/// assert_eq!(a.informational[0].kind, "unmaintained");
/// assert_eq!(&*a.informational[0].finding.advisory_id, "RUSTSEC-2020-0053");
/// # Ok::<(), exposure::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InformationalFinding {
    /// What the advisory is about: `unmaintained`, `unsound`, `notice` (as the advisory
    /// database words it).
    pub kind: String,
    /// The match, as matching made it.
    pub finding: Finding,
}

/// The load report of one input of an assessment, with the input's name (its path, or the
/// origin given with text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputReport {
    /// The input.
    pub input: String,
    /// What loading it met.
    #[serde(flatten)]
    pub report: LoadReport,
}

impl InputReport {
    /// The report of `input`.
    ///
    /// ```
    /// use exposure::{assessment::InputReport, load_report::LoadReport};
    /// let r = InputReport::new("bom.json".into(), LoadReport::one_file());
    /// assert_eq!(serde_json::to_value(&r).unwrap()["input"], "bom.json");
    /// assert_eq!(serde_json::to_value(&r).unwrap()["files"], 1);
    /// ```
    pub fn new(input: String, report: LoadReport) -> Self {
        Self { input, report }
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
    /// The severity ([`ScoredFinding::severity`]: the CVSS rating, else the record's word).
    pub severity: Option<Severity>,
    /// The CVSS base score used, when there is one.
    pub cvss: Option<f64>,
    /// The CVSS vector used, when there is one.
    pub cvss_vector: Option<String>,
    /// The model's impact, likelihood and risk.
    pub impact: f64,
    /// Where the impact came from (`cvss_v4`, `cvss_v3`, `cvss_v2`, `severity_word`,
    /// `assumed`).
    pub impact_source: crate::score::impact::ImpactSource,
    /// See [`FindingRisk::likelihood`].
    pub likelihood: f64,
    /// The rule that set the likelihood last (`epss`, `prior`, `kev`, `unimportant`, …).
    pub likelihood_rule: crate::score::likelihood::LikelihoodRule,
    /// See [`FindingRisk::risk`].
    pub risk: f64,
    /// The configuration check that mitigates it (it then counts 0), when one does.
    pub mitigated_by: Option<String>,
    /// For a record gated on a platform: `met`, or `not_reported` (it then counts 0).
    pub condition: Option<&'static str>,
    /// Listed in CISA's KEV catalog.
    pub known_exploited: bool,
    /// The day CISA added it to KEV, when listed.
    pub kev_date_added: Option<crate::date::Date>,
    /// CISA's remediation due date, when listed.
    pub kev_due_date: Option<crate::date::Date>,
    /// The EPSS probability, when known.
    pub epss: Option<f64>,
    /// The EPSS percentile, when known.
    pub epss_percentile: Option<f64>,
    /// The fixing version, when known.
    pub fix: Option<String>,
    /// `fixed`, `not_fixed`, `will_not_fix` or `unknown`.
    pub fix_state: crate::matching::FixState,
    /// The matcher that fired.
    pub matcher: crate::matching::Matcher,
    /// How sure the match is.
    pub confidence: crate::matching::Confidence,
    /// What matched: the interval holding the installed version (`vers:`), the listed
    /// version, or the CPE criterion.
    pub matched: String,
    /// The CPE name the software was matched by, when it has one (stated by the inventory
    /// or guessed from an installed program's name).
    pub cpe: Option<String>,
    /// How sure that name is, in percent (100 when the inventory stated it).
    pub cpe_confidence: Option<u8>,
    /// Where the name came from: `inventory`, or the naming rule that fired.
    pub cpe_rule: Option<String>,
}

impl FindingRow {
    /// The columns in declaration order with their types ([`crate::columns`]): a table's
    /// columns (serialised maps do not keep an order), typed for data frames.
    pub const SCHEMA: [Column; 29] = [
        Column::new("device_id", ColumnType::Text),
        Column::new("ecosystem", ColumnType::Category),
        Column::new("software", ColumnType::Text),
        Column::new("version", ColumnType::Text),
        Column::new("advisory_id", ColumnType::Text),
        Column::new("aliases", ColumnType::Text),
        Column::optional("severity", ColumnType::Category),
        Column::optional("cvss", ColumnType::Float),
        Column::optional("cvss_vector", ColumnType::Text),
        Column::new("impact", ColumnType::Float),
        Column::new("impact_source", ColumnType::Category),
        Column::new("likelihood", ColumnType::Float),
        Column::new("likelihood_rule", ColumnType::Category),
        Column::new("risk", ColumnType::Float),
        Column::optional("mitigated_by", ColumnType::Text),
        Column::optional("condition", ColumnType::Category),
        Column::new("known_exploited", ColumnType::Bool),
        Column::optional("kev_date_added", ColumnType::Date),
        Column::optional("kev_due_date", ColumnType::Date),
        Column::optional("epss", ColumnType::Float),
        Column::optional("epss_percentile", ColumnType::Float),
        Column::optional("fix", ColumnType::Text),
        Column::new("fix_state", ColumnType::Category),
        Column::new("matcher", ColumnType::Category),
        Column::new("confidence", ColumnType::Category),
        Column::new("matched", ColumnType::Text),
        Column::optional("cpe", ColumnType::Text),
        Column::optional("cpe_confidence", ColumnType::Count),
        Column::optional("cpe_rule", ColumnType::Category),
    ];
}

impl DeviceExposure {
    /// The columns of a table of devices, with their types ([`crate::columns`]).
    ///
    /// ```
    /// let names: Vec<&str> = exposure::assessment::DeviceExposure::SCHEMA.iter().map(|c| c.name).collect();
    /// assert_eq!(names, ["device_id", "name", "value", "weight", "groups", "software", "findings", "score", "level"]);
    /// ```
    pub const SCHEMA: [Column; 9] = [
        Column::new("device_id", ColumnType::Text),
        Column::new("name", ColumnType::Text),
        Column::new("value", ColumnType::Category),
        Column::new("weight", ColumnType::Float),
        Column::new("groups", ColumnType::TextList),
        Column::new("software", ColumnType::Count),
        Column::new("findings", ColumnType::Count),
        Column::new("score", ColumnType::Float),
        Column::new("level", ColumnType::Category),
    ];
}

impl GroupExposure {
    /// The columns of a table of device groups, with their types ([`crate::columns`]).
    ///
    /// ```
    /// let names: Vec<&str> = exposure::assessment::GroupExposure::SCHEMA.iter().map(|c| c.name).collect();
    /// assert_eq!(names, ["group", "devices", "vulnerable_devices", "findings", "score", "level"]);
    /// ```
    pub const SCHEMA: [Column; 6] = [
        Column::new("group", ColumnType::Text),
        Column::new("devices", ColumnType::Count),
        Column::new("vulnerable_devices", ColumnType::Count),
        Column::new("findings", ColumnType::Count),
        Column::new("score", ColumnType::Float),
        Column::new("level", ColumnType::Category),
    ];
}

impl Assessment {
    /// The record a history keeps of this assessment ([`crate::history::AssessmentRecord`]),
    /// for an assessment that loaded its fleet itself; for a fleet the caller assessed with
    /// [`Engine::assess`](crate::Engine::assess), use
    /// [`AssessmentRecord::of`](crate::history::AssessmentRecord::of) with that fleet.
    ///
    /// ```
    /// let engine = exposure::Engine::demo();
    /// let a = engine.assess_text(r#"{"devices": [{"id": "d", "software": [{"purl": "pkg:npm/minimist@1.2.5"}]}]}"#, "inline", false)?;
    /// let record = a.record(engine.kb())?;
    /// assert_eq!(record.devices[0].id, "d");
    /// assert!(engine.assess(&exposure::demo::fleet()).record(engine.kb()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RecordError::NoFleet`](crate::history::RecordError::NoFleet) when the assessment does
    /// not hold its fleet, and the errors of
    /// [`AssessmentRecord::of`](crate::history::AssessmentRecord::of).
    pub fn record(
        &self,
        kb: &KnowledgeBase,
    ) -> Result<crate::history::AssessmentRecord, crate::history::RecordError> {
        let fleet = self
            .fleet
            .as_deref()
            .ok_or(crate::history::RecordError::NoFleet)?;
        crate::history::AssessmentRecord::of(self, fleet, kb)
    }

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
    /// let mut columns: Vec<&str> = exposure::assessment::FindingRow::SCHEMA.iter().map(|c| c.name).collect();
    /// keys.sort_unstable();
    /// columns.sort_unstable();
    /// assert_eq!(keys, columns);
    /// ```
    pub fn finding_rows(&self) -> Vec<FindingRow> {
        self.findings
            .iter()
            .map(|f| {
                let kev = f.threat.known_exploited.as_ref();
                FindingRow {
                    device_id: f.finding.device_id.to_string(),
                    ecosystem: f.finding.software.ecosystem.to_string(),
                    software: f.finding.software.name.clone(),
                    version: f.finding.software.version.clone(),
                    advisory_id: f.finding.advisory_id.to_string(),
                    aliases: f.finding.aliases.join(" "),
                    severity: f.severity,
                    cvss: f.cvss.as_ref().map(|c| c.base_score),
                    cvss_vector: f.cvss.as_ref().map(|c| c.vector.clone()),
                    impact: f.risk.impact,
                    impact_source: f.risk.impact_source,
                    likelihood: f.risk.likelihood,
                    likelihood_rule: f.risk.likelihood_rule,
                    risk: f.risk.risk,
                    mitigated_by: f.mitigated_by.clone(),
                    condition: f.finding.evidence.condition.as_ref().map(|c| {
                        if c.is_met() {
                            "met"
                        } else {
                            "not_reported"
                        }
                    }),
                    known_exploited: f.threat.known_exploited.is_some(),
                    kev_date_added: kev.and_then(|k| k.date_added.parse().ok()),
                    kev_due_date: kev.and_then(|k| k.due_date.parse().ok()),
                    epss: f.threat.epss.as_ref().map(|(_, s)| s.probability),
                    epss_percentile: f.threat.epss.as_ref().and_then(|(_, s)| s.percentile),
                    fix: f.finding.fix.as_deref().map(str::to_owned),
                    fix_state: f.finding.fix_state,
                    matcher: f.finding.evidence.matcher,
                    confidence: f.finding.evidence.confidence,
                    matched: f.finding.evidence.matched.to_string(),
                    cpe: f
                        .finding
                        .software
                        .cpe
                        .as_ref()
                        .map(|c| c.name.text().to_owned()),
                    cpe_confidence: f.finding.software.cpe.as_ref().map(|c| c.confidence),
                    cpe_rule: f.finding.software.cpe.as_ref().map(|c| c.rule.clone()),
                }
            })
            .collect()
    }
}
