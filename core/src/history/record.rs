//! The record of one assessment: what a history keeps so that later questions (what changed,
//! which events happened, how far a remediation got, what a view shows) need neither the fleet
//! nor the knowledge base again. Tables are interned (each device, software item and advisory
//! once; findings and recommendations refer to them by index), so a 10,000-device record is a
//! few times smaller than the assessment's JSON.
//!
//! Two forms, one content: JSON ([`AssessmentRecord::to_json`]) for people and other tools,
//! and a compact binary ([`AssessmentRecord::to_binary`]: variable-length integers, framed
//! with a magic, format version, length and CRC-32) for stores. Both carry
//! [`RECORD_FORMAT`]; a record of another format is refused with a message naming it.

use crate::assessment::{Assessment, KnowledgeSummary, NotCounted};
use crate::date::Date;
use crate::ecosystem::Ecosystem;
use crate::inventory::{DeviceValue, Fleet, Software};
use crate::kb::KnowledgeBase;
use crate::matching::{FixState, Matcher};
use crate::recommend::ActionKind;
use crate::score::cvss::{Cvss, Severity};
use crate::score::exposure::ExposureLevel;
use bincode::Options;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The format of records this library writes and reads.
pub const RECORD_FORMAT: &str = "exposure-record/1";

/// The binary form's magic.
const MAGIC: &[u8; 12] = b"EXPOSURE-REC";

/// The binary form's frame version (the payload's own format is [`RECORD_FORMAT`]).
const BINARY_VERSION: u32 = 1;

/// Why a record could not be made, read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The record has another format than [`RECORD_FORMAT`].
    #[error("assessment record format {found:?} is not {RECORD_FORMAT:?}, the format this library reads")]
    Format {
        /// The record's format.
        found: String,
    },
    /// The bytes are not a binary record.
    #[error("not a binary assessment record (no EXPOSURE-REC header)")]
    NotARecord,
    /// A binary record of another frame version.
    #[error("binary assessment record version {found} is not {BINARY_VERSION}")]
    WrongVersion {
        /// The file's version.
        found: u32,
    },
    /// Shorter or longer than its header says.
    #[error(
        "binary assessment record truncated: {expected} payload bytes announced, {found} present"
    )]
    Truncated {
        /// Announced.
        expected: u64,
        /// Present.
        found: u64,
    },
    /// The payload does not match its checksum.
    #[error("binary assessment record corrupted: payload checksum {found:08x}, header says {expected:08x}")]
    Corrupted {
        /// In the header.
        expected: u32,
        /// Of the payload.
        found: u32,
    },
    /// The content does not decode, or an index points outside its table.
    #[error("assessment record does not decode: {0}")]
    Invalid(String),
    /// JSON text that does not read as a record: its syntax, or a field.
    #[error("assessment record does not decode: {message}")]
    Json {
        /// The JSON parser's message, with line and column.
        message: String,
        /// The byte offset in the text of the line and column the message names, if any.
        offset: Option<usize>,
    },
    /// The assessment does not hold the fleet it assessed ([`Assessment::record`]).
    #[error("the assessment does not hold its fleet: make its record with AssessmentRecord::of and the fleet")]
    NoFleet,
    /// More items than a record can index (2^32).
    #[error("the assessment is too large for a record: more than 2^32 {0}")]
    TooLarge(&'static str),
}

/// How mature the public exploit of a vulnerability is, from its CVSS exploit-maturity
/// metric (v4 `E`, v3/v2 temporal `E`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ExploitMaturity {
    /// No exploit reported (or the metric not given).
    #[default]
    Unreported,
    /// A proof of concept is public (`E:P`, `E:POC`).
    ProofOfConcept,
    /// A functional exploit exists (`E:F`): Defender's "exploit verified".
    Functional,
    /// Exploited or weaponised (`E:A`, `E:H`): Defender's "exploit in a kit".
    Attacked,
}

impl ExploitMaturity {
    /// The maturity a vector states.
    ///
    /// ```
    /// use exposure::history::ExploitMaturity;
    /// let v: exposure::score::cvss::Cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F".parse()?;
    /// assert_eq!(ExploitMaturity::of(&v), ExploitMaturity::Functional);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(cvss: &Cvss) -> Self {
        match cvss.metric("E") {
            Some("A" | "H") => ExploitMaturity::Attacked,
            Some("F") => ExploitMaturity::Functional,
            Some("P" | "POC") => ExploitMaturity::ProofOfConcept,
            _ => ExploitMaturity::Unreported,
        }
    }
}

/// The record of one assessment. Build it with [`AssessmentRecord::of`].
///
/// ```
/// use exposure::history::AssessmentRecord;
/// let engine = exposure::Engine::demo();
/// let fleet = exposure::demo::fleet();
/// let assessment = engine.assess(&fleet);
/// let record = AssessmentRecord::of(&assessment, &fleet, engine.kb())?;
/// assert_eq!(record.findings.len(), assessment.findings.len());
/// assert_eq!(AssessmentRecord::from_binary(&record.to_binary())?, record);
/// assert_eq!(AssessmentRecord::from_json(&record.to_json()?)?, record);
/// # Ok::<(), exposure::history::RecordError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    /// [`RECORD_FORMAT`].
    pub format: String,
    /// The day the assessment was made as of, when it had one.
    pub as_of: Option<Date>,
    /// The model's parameter version.
    pub model_version: String,
    /// The likelihood prior table's version.
    pub priors_version: String,
    /// What the knowledge base held.
    pub knowledge: KnowledgeSummary,
    /// The organisation's exposure score, 0–100.
    pub score: f64,
    /// Its level.
    pub level: ExposureLevel,
    /// The organisation's secure-configuration score, when checks were reported.
    pub secure_score: Option<f64>,
    /// The devices, in fleet order.
    pub devices: Vec<DeviceRecord>,
    /// Every distinct software item installed, in order of first appearance.
    pub software: Vec<SoftwareRecord>,
    /// Every advisory a finding names, in order of first appearance.
    pub advisories: Vec<AdvisoryRecord>,
    /// The findings, in the assessment's order.
    pub findings: Vec<FindingRecord>,
    /// The ranked recommendations.
    pub recommendations: Vec<RecommendationRecord>,
    /// Findings a VEX statement (or an exception) removed.
    pub suppressed: Vec<SuppressedRecord>,
    /// The recommendations exceptions hid from the to-do list, with the exceptions.
    pub excepted_recommendations: Vec<RecommendationRecord>,
    /// Every exception the assessment judged, with what it did.
    pub exceptions: Vec<ExceptionRecord>,
}

/// An exception as an assessment judged it ([`crate::exceptions::ExceptionOutcome`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionRecord {
    /// The exception's id.
    pub id: String,
    /// Its justification.
    pub justification: crate::exceptions::Justification,
    /// What became of it: applied, expired, not judged, not matched.
    pub status: crate::exceptions::ExceptionStatus,
    /// Its last day, when it expires.
    pub expires: Option<Date>,
    /// Findings it removed from the scores.
    pub findings_removed: u32,
    /// Findings in its scope kept in the scores.
    pub findings_kept: u32,
    /// The recommendations it hid (their ids).
    pub recommendations_hidden: Vec<String>,
    /// The devices it touched, as indexes into [`AssessmentRecord::devices`].
    pub devices: Vec<u32>,
}

/// One device of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRecord {
    /// The device id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The device groups it belongs to.
    pub groups: Vec<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its value.
    pub value: DeviceValue,
    /// Its weight in the organisation score.
    pub weight: f64,
    /// Whether it is internet-facing.
    pub internet_facing: bool,
    /// Its exposure score, 0–100.
    pub score: f64,
    /// Its level.
    pub level: ExposureLevel,
    /// Its secure-configuration score, when it reported checks.
    pub secure_score: Option<f64>,
    /// Its software, as indexes into [`AssessmentRecord::software`].
    pub software: Vec<u32>,
}

/// One installed software item of a record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SoftwareRecord {
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// The name as installed.
    pub name: String,
    /// The version as installed.
    pub version: String,
    /// Its package URL, when known.
    pub purl: Option<String>,
    /// Its CPE name, when known.
    pub cpe: Option<String>,
    /// The key its product is grouped by: `cpe:<vendor>:<product>` for vendor software named
    /// by CPE, else the ecosystem's normalised name.
    pub product: String,
    /// The day support of its release ends (or ended), when the end-of-life table lists it.
    pub support_ends: Option<String>,
}

impl SoftwareRecord {
    /// The record of an installed item; its end of support from `eol` when given.
    pub(crate) fn of(software: &Software, eol: Option<&crate::eol::EndOfLife>) -> Self {
        SoftwareRecord {
            ecosystem: software.ecosystem.clone(),
            name: software.name.clone(),
            version: software.version.clone(),
            purl: software.purl.as_ref().map(|p| p.text().to_owned()),
            cpe: software.cpe.as_ref().map(|c| c.name.text().to_owned()),
            product: crate::recommend::product_key(software),
            support_ends: eol
                .and_then(|table| crate::recommend::eol_entry(table, software))
                .map(|entry| entry.end.clone()),
        }
    }
}

/// One advisory of a record, with the threat facts the assessment used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisoryRecord {
    /// The advisory id.
    pub id: String,
    /// Its aliases (CVE ids among them).
    pub aliases: Vec<String>,
    /// Its one-line summary.
    pub summary: Option<String>,
    /// When it was published (as the source wrote it).
    pub published: Option<String>,
    /// Its weaknesses (CWE ids).
    pub cwes: Vec<String>,
    /// The severity of the CVSS score used.
    pub severity: Option<Severity>,
    /// The CVSS vector used.
    pub cvss_vector: Option<String>,
    /// Its score.
    pub cvss_score: Option<f64>,
    /// The EPSS probability, when known.
    pub epss: Option<f64>,
    /// The EPSS percentile, when known.
    pub epss_percentile: Option<f64>,
    /// The CISA KEV entry, when listed.
    pub kev: Option<KevRecord>,
    /// The exploit maturity its vector states.
    pub exploit_maturity: ExploitMaturity,
}

impl AdvisoryRecord {
    /// The CVE ids among the id and aliases.
    ///
    /// ```
    /// let a = exposure::history::AdvisoryRecord {
    ///     id: "GHSA-xvch-5gv4-984h".into(), aliases: vec!["CVE-2021-44906".into()],
    ///     summary: None, published: None, cwes: vec![], severity: None, cvss_vector: None,
    ///     cvss_score: None, epss: None, epss_percentile: None, kev: None,
    ///     exploit_maturity: Default::default(),
    /// };
    /// assert_eq!(a.cves().collect::<Vec<_>>(), ["CVE-2021-44906"]);
    /// ```
    pub fn cves(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .filter(|id| id.starts_with("CVE-"))
    }
}

/// A CISA KEV entry as a record keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevRecord {
    /// The CVE listed.
    pub cve_id: String,
    /// When CISA added it.
    pub date_added: String,
    /// CISA's due date.
    pub due_date: String,
    /// Known use in ransomware campaigns.
    pub known_ransomware_use: bool,
}

/// One finding of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingRecord {
    /// Index into [`AssessmentRecord::devices`].
    pub device: u32,
    /// Index into [`AssessmentRecord::software`].
    pub software: u32,
    /// Index into [`AssessmentRecord::advisories`].
    pub advisory: u32,
    /// The matcher that made it.
    pub matcher: Matcher,
    /// Whether a fix exists.
    pub fix_state: FixState,
    /// The smallest fixing version, when known.
    pub fix: Option<String>,
    /// Every fixed version the source names.
    pub fixed_versions: Vec<String>,
    /// Impact `I`.
    pub impact: f64,
    /// Likelihood `L`.
    pub likelihood: f64,
    /// Risk `r = L × I`.
    pub risk: f64,
    /// What it adds to its device's score (0 when not counted).
    pub contribution: f64,
    /// Why it does not count, when it does not.
    pub not_counted: Option<NotCounted>,
}

/// One recommendation of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendationRecord {
    /// Its stable id ([`crate::recommend::Recommendation::id`]).
    pub id: String,
    /// Its rank, from 1.
    pub rank: u32,
    /// The action.
    pub action: ActionKind,
    /// The software's ecosystem.
    pub ecosystem: Ecosystem,
    /// The software.
    pub software: String,
    /// The instruction.
    pub text: String,
    /// The version to move to, when one serves every device.
    pub target_version: Option<String>,
    /// The exact drop of the organisation's exposure score if taken.
    pub exposure_impact: f64,
    /// For attention required: the exposure it leaves.
    pub exposure_left: f64,
    /// The rise of the secure score.
    pub configuration_impact: f64,
    /// Findings of known-exploited vulnerabilities it covers.
    pub known_exploited: u32,
    /// The findings it covers, as indexes into [`AssessmentRecord::findings`].
    pub findings: Vec<u32>,
    /// The devices it covers, as indexes into [`AssessmentRecord::devices`].
    pub devices: Vec<u32>,
    /// For a recommendation an exception hid: the exceptions that hid it (empty otherwise).
    pub excepted_by: Vec<String>,
}

/// A finding left out of the scores by a VEX statement or an exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedRecord {
    /// Index into [`AssessmentRecord::devices`].
    pub device: u32,
    /// Index into [`AssessmentRecord::software`].
    pub software: u32,
    /// The advisory.
    pub advisory_id: String,
    /// What removed it (`vex not_affected: <justification>`, `exception <id>`).
    pub by: String,
}

/// `i` as a record index.
fn index(i: usize, what: &'static str) -> Result<u32, RecordError> {
    u32::try_from(i).map_err(|_| RecordError::TooLarge(what))
}

/// Interns software items: by address first (a fleet shares its items), then by value.
#[derive(Default)]
struct SoftwareTable<'a> {
    by_address: HashMap<usize, u32, crate::address::BuildAddressHasher>,
    by_value: HashMap<SoftwareRecord, u32>,
    records: Vec<SoftwareRecord>,
    eol: Option<&'a crate::eol::EndOfLife>,
}

impl SoftwareTable<'_> {
    fn intern(&mut self, software: &std::sync::Arc<Software>) -> Result<u32, RecordError> {
        let address = std::sync::Arc::as_ptr(software) as usize;
        if let Some(&i) = self.by_address.get(&address) {
            return Ok(i);
        }
        let record = SoftwareRecord::of(software, self.eol);
        let i = if let Some(&i) = self.by_value.get(&record) {
            i
        } else {
            let i = index(self.records.len(), "software items")?;
            self.by_value.insert(record.clone(), i);
            self.records.push(record);
            i
        };
        self.by_address.insert(address, i);
        Ok(i)
    }
}

impl AssessmentRecord {
    /// The record of `assessment`, made of `fleet` against `kb` (the fleet gives each device's
    /// software, the knowledge base each advisory's publication date and weaknesses).
    ///
    /// # Errors
    ///
    /// [`RecordError::TooLarge`] past 2^32 items of a table; [`RecordError::Invalid`] when the
    /// assessment names a device the fleet does not have.
    pub fn of(
        assessment: &Assessment,
        fleet: &Fleet,
        kb: &KnowledgeBase,
    ) -> Result<Self, RecordError> {
        let eol = crate::eol::EndOfLife::embedded();
        let mut software = SoftwareTable {
            eol: Some(&eol),
            ..SoftwareTable::default()
        };
        let mut device_index: HashMap<&str, u32> = HashMap::new();
        for (i, device) in fleet.devices.iter().enumerate() {
            device_index
                .entry(device.id.as_str())
                .or_insert(index(i, "devices")?);
        }
        let exposure_of: HashMap<&str, &crate::assessment::DeviceExposure> = assessment
            .devices
            .iter()
            .map(|d| (d.device_id.as_str(), d))
            .collect();
        let secure_of: HashMap<&str, f64> = assessment
            .configuration
            .devices
            .iter()
            .filter_map(|d| Some((d.device_id.as_str(), d.score?)))
            .collect();
        let mut devices = Vec::with_capacity(fleet.devices.len());
        for device in &fleet.devices {
            let exposure = exposure_of.get(device.id.as_str()).ok_or_else(|| {
                RecordError::Invalid(format!("device {:?} has no exposure", device.id))
            })?;
            devices.push(DeviceRecord {
                id: device.id.clone(),
                name: device.name.clone(),
                groups: device.groups.clone(),
                tags: device.tags.clone(),
                value: device.value,
                weight: exposure.weight,
                internet_facing: device.internet_facing,
                score: exposure.score,
                level: exposure.level,
                secure_score: secure_of.get(device.id.as_str()).copied(),
                software: device
                    .software
                    .iter()
                    .map(|s| software.intern(s))
                    .collect::<Result<_, _>>()?,
            });
        }
        let device_of = |id: &str| {
            device_index
                .get(id)
                .copied()
                .ok_or_else(|| RecordError::Invalid(format!("finding on unknown device {id:?}")))
        };
        let mut advisory_index: HashMap<&str, u32> = HashMap::new();
        let mut advisories = Vec::new();
        let mut findings = Vec::with_capacity(assessment.findings.len());
        for scored in &assessment.findings {
            let f = &scored.finding;
            let advisory = if let Some(&i) = advisory_index.get(&*f.advisory_id) {
                i
            } else {
                let i = index(advisories.len(), "advisories")?;
                advisory_index.insert(&f.advisory_id, i);
                advisories.push(advisory_record(scored, kb));
                i
            };
            findings.push(FindingRecord {
                device: device_of(&f.device_id)?,
                software: software.intern(&f.software)?,
                advisory,
                matcher: f.evidence.matcher,
                fix_state: f.fix_state,
                fix: f.fix.as_deref().map(str::to_owned),
                fixed_versions: f.fixed_versions.to_vec(),
                impact: scored.risk.impact,
                likelihood: scored.risk.likelihood,
                risk: scored.risk.risk,
                contribution: scored.contribution(),
                not_counted: scored.not_counted(),
            });
        }
        let recommendation = |r: &crate::recommend::Recommendation, excepted_by: &[String]| {
            Ok(RecommendationRecord {
                id: r.id(),
                rank: index(r.rank, "recommendations")?,
                action: r.action,
                ecosystem: r.ecosystem.clone(),
                software: r.software.clone(),
                text: r.text.clone(),
                target_version: r.target_version.clone(),
                exposure_impact: r.exposure_impact,
                exposure_left: r.exposure_left,
                configuration_impact: r.configuration_impact,
                known_exploited: index(r.known_exploited, "findings")?,
                findings: r
                    .covered
                    .iter()
                    .map(|&i| index(i, "findings"))
                    .collect::<Result<_, _>>()?,
                devices: r
                    .devices
                    .iter()
                    .map(|d| device_of(d))
                    .collect::<Result<_, _>>()?,
                excepted_by: excepted_by.to_vec(),
            })
        };
        let recommendations = assessment
            .recommendations
            .iter()
            .map(|r| recommendation(r, &[]))
            .collect::<Result<Vec<_>, RecordError>>()?;
        let excepted_recommendations = assessment
            .excepted_recommendations
            .iter()
            .map(|e| recommendation(&e.recommendation, &e.exceptions))
            .collect::<Result<Vec<_>, RecordError>>()?;
        let exceptions = assessment
            .exceptions
            .iter()
            .map(|e| {
                Ok(ExceptionRecord {
                    id: e.id.clone(),
                    justification: e.justification,
                    status: e.status,
                    expires: e.expires,
                    findings_removed: index(e.findings_removed, "findings")?,
                    findings_kept: index(e.findings_kept, "findings")?,
                    recommendations_hidden: e.recommendations_hidden.clone(),
                    devices: e
                        .devices
                        .iter()
                        .map(|d| device_of(d))
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<Vec<_>, RecordError>>()?;
        let suppressed = assessment
            .suppressed
            .iter()
            .map(|s| {
                Ok(SuppressedRecord {
                    device: device_of(&s.finding.device_id)?,
                    software: software.intern(&s.finding.software)?,
                    advisory_id: s.finding.advisory_id.to_string(),
                    by: suppressed_by(s),
                })
            })
            .collect::<Result<Vec<_>, RecordError>>()?;
        Ok(AssessmentRecord {
            format: RECORD_FORMAT.to_owned(),
            as_of: assessment.as_of,
            model_version: assessment.model_version.clone(),
            priors_version: assessment.priors_version.clone(),
            knowledge: assessment.knowledge,
            score: assessment.organisation.score,
            level: assessment.organisation.level,
            secure_score: assessment.configuration.organisation,
            devices,
            software: software.records,
            advisories,
            findings,
            recommendations,
            suppressed,
            excepted_recommendations,
            exceptions,
        })
    }

    /// The record as JSON.
    ///
    /// # Errors
    ///
    /// [`RecordError::Invalid`] if a score is not a finite number (JSON cannot hold it).
    pub fn to_json(&self) -> Result<String, RecordError> {
        serde_json::to_string(self).map_err(|e| RecordError::Invalid(e.to_string()))
    }

    /// A record from its JSON, checked: its format, and every index inside its table.
    ///
    /// ```
    /// use exposure::history::{AssessmentRecord, RecordError};
    /// let e = AssessmentRecord::from_json(r#"{"format": "exposure-record/9"}"#).unwrap_err();
    /// assert!(matches!(e, RecordError::Format { .. }));
    /// ```
    ///
    /// # Errors
    ///
    /// [`RecordError::Format`] for another format, [`RecordError::Json`] for text that does
    /// not read (with the byte offset of the problem), [`RecordError::Invalid`] for anything
    /// else wrong.
    pub fn from_json(text: &str) -> Result<Self, RecordError> {
        #[derive(Deserialize)]
        struct Head {
            format: String,
        }
        let json = |e: serde_json::Error| RecordError::Json {
            message: e.to_string(),
            offset: crate::json_error_offset(text, &e),
        };
        let head: Head = serde_json::from_str(text).map_err(json)?;
        if head.format != RECORD_FORMAT {
            return Err(RecordError::Format { found: head.format });
        }
        let record: AssessmentRecord = serde_json::from_str(text).map_err(json)?;
        record.checked()
    }

    /// The record's compact binary form.
    pub fn to_binary(&self) -> Vec<u8> {
        // Serialising plain owned structures into a Vec cannot fail.
        let payload = binary_options().serialize(self).unwrap_or_default();
        crate::frame::write(MAGIC, BINARY_VERSION, &payload)
    }

    /// A record from its binary form, checked: header, length, checksum, format, and every
    /// index inside its table. Decoding never allocates past the payload's size.
    ///
    /// ```
    /// use exposure::history::{AssessmentRecord, RecordError};
    /// assert_eq!(AssessmentRecord::from_binary(b"junk"), Err(RecordError::NotARecord));
    /// ```
    ///
    /// # Errors
    ///
    /// Each damage has its [`RecordError`].
    pub fn from_binary(bytes: &[u8]) -> Result<Self, RecordError> {
        use crate::frame::FrameError;
        let payload = crate::frame::read(bytes, MAGIC, BINARY_VERSION).map_err(|e| match e {
            FrameError::NotFramed => RecordError::NotARecord,
            FrameError::WrongVersion { found } => RecordError::WrongVersion { found },
            FrameError::Truncated { expected, found } => RecordError::Truncated { expected, found },
            FrameError::Corrupted { expected, found } => RecordError::Corrupted { expected, found },
        })?;
        let record: AssessmentRecord = binary_options()
            .with_limit(payload.len() as u64)
            .deserialize(payload)
            .map_err(|e| RecordError::Invalid(e.to_string()))?;
        if record.format != RECORD_FORMAT {
            return Err(RecordError::Format {
                found: record.format,
            });
        }
        record.checked()
    }

    /// The record, if every index points inside its table.
    fn checked(self) -> Result<Self, RecordError> {
        let within = |i: u32, len: usize, what: &str| {
            if (i as usize) < len {
                Ok(())
            } else {
                Err(RecordError::Invalid(format!(
                    "{what} index {i} outside a table of {len}"
                )))
            }
        };
        for d in &self.devices {
            for &s in &d.software {
                within(s, self.software.len(), "software")?;
            }
        }
        for f in &self.findings {
            within(f.device, self.devices.len(), "device")?;
            within(f.software, self.software.len(), "software")?;
            within(f.advisory, self.advisories.len(), "advisory")?;
        }
        for r in self
            .recommendations
            .iter()
            .chain(&self.excepted_recommendations)
        {
            for &f in &r.findings {
                within(f, self.findings.len(), "finding")?;
            }
            for &d in &r.devices {
                within(d, self.devices.len(), "device")?;
            }
        }
        for e in &self.exceptions {
            for &d in &e.devices {
                within(d, self.devices.len(), "device")?;
            }
        }
        for s in &self.suppressed {
            within(s.device, self.devices.len(), "device")?;
            within(s.software, self.software.len(), "software")?;
        }
        Ok(self)
    }

    /// The record restricted to the devices `keep` selects (by device): their findings,
    /// suppressions and exceptions, the recommendations that touch them (their findings and
    /// devices cut to the kept ones; impacts as the whole record states them), and the
    /// organisation score of the kept devices alone. Software and advisories stay whole
    /// (indexes unchanged). The timeline of a group is the timeline of its restricted records.
    ///
    /// ```
    /// use exposure::history::AssessmentRecord;
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let record = AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// let web = record.restricted(|d| d.groups.iter().any(|g| g == "web"));
    /// assert!(web.devices.len() < record.devices.len());
    /// assert!(web.findings.iter().all(|f| web.devices[f.device as usize].groups.contains(&"web".to_owned())));
    /// # Ok::<(), exposure::history::RecordError>(())
    /// ```
    #[must_use]
    pub fn restricted(&self, keep: impl Fn(&DeviceRecord) -> bool) -> AssessmentRecord {
        let mut device_map: Vec<Option<u32>> = vec![None; self.devices.len()];
        let mut devices = Vec::new();
        for (i, d) in self.devices.iter().enumerate() {
            if keep(d) {
                // Fewer devices than the record's, whose indexes fit a u32.
                device_map[i] = u32::try_from(devices.len()).ok();
                devices.push(d.clone());
            }
        }
        let device = |d: u32| device_map.get(d as usize).copied().flatten();
        let mut finding_map: Vec<Option<u32>> = vec![None; self.findings.len()];
        let mut findings = Vec::new();
        for (i, f) in self.findings.iter().enumerate() {
            if let Some(d) = device(f.device) {
                finding_map[i] = u32::try_from(findings.len()).ok();
                findings.push(FindingRecord {
                    device: d,
                    ..f.clone()
                });
            }
        }
        let recommendation = |r: &RecommendationRecord| {
            let devices: Vec<u32> = r.devices.iter().filter_map(|&d| device(d)).collect();
            (!devices.is_empty()).then(|| RecommendationRecord {
                findings: r
                    .findings
                    .iter()
                    .filter_map(|&f| finding_map.get(f as usize).copied().flatten())
                    .collect(),
                devices,
                ..r.clone()
            })
        };
        let score =
            crate::score::exposure::organisation_score(devices.iter().map(|d| (d.score, d.weight)));
        AssessmentRecord {
            score,
            level: ExposureLevel::of_score(score),
            recommendations: self
                .recommendations
                .iter()
                .filter_map(recommendation)
                .collect(),
            excepted_recommendations: self
                .excepted_recommendations
                .iter()
                .filter_map(recommendation)
                .collect(),
            suppressed: self
                .suppressed
                .iter()
                .filter_map(|s| {
                    Some(SuppressedRecord {
                        device: device(s.device)?,
                        ..s.clone()
                    })
                })
                .collect(),
            exceptions: self
                .exceptions
                .iter()
                .map(|e| ExceptionRecord {
                    devices: e.devices.iter().filter_map(|&d| device(d)).collect(),
                    ..e.clone()
                })
                .collect(),
            devices,
            findings,
            ..self.clone()
        }
    }

    /// The (device id, advisory id) pairs of the findings this record lists as suppressed.
    ///
    /// ```
    /// let engine = exposure::Engine::demo();
    /// let fleet = exposure::demo::fleet();
    /// let record = exposure::history::AssessmentRecord::of(&engine.assess(&fleet), &fleet, engine.kb())?;
    /// assert!(record.suppressed_pairs().is_empty());
    /// # Ok::<(), exposure::history::RecordError>(())
    /// ```
    pub fn suppressed_pairs(&self) -> std::collections::HashSet<(&str, &str)> {
        self.suppressed
            .iter()
            .filter_map(|s| {
                Some((
                    self.devices.get(s.device as usize)?.id.as_str(),
                    s.advisory_id.as_str(),
                ))
            })
            .collect()
    }

    /// The advisory of `finding`.
    ///
    /// # Panics
    ///
    /// Never for a record made by [`AssessmentRecord::of`] or read back (indexes are checked).
    pub fn advisory_of(&self, finding: &FindingRecord) -> &AdvisoryRecord {
        &self.advisories[finding.advisory as usize]
    }

    /// The device of `finding`.
    ///
    /// # Panics
    ///
    /// Never for a record made by [`AssessmentRecord::of`] or read back (indexes are checked).
    pub fn device_of(&self, finding: &FindingRecord) -> &DeviceRecord {
        &self.devices[finding.device as usize]
    }

    /// The software of `finding`.
    ///
    /// # Panics
    ///
    /// Never for a record made by [`AssessmentRecord::of`] or read back (indexes are checked).
    pub fn software_of(&self, finding: &FindingRecord) -> &SoftwareRecord {
        &self.software[finding.software as usize]
    }
}

/// What removed a suppressed finding, as a record says it: `vex not_affected: <justification>`
/// or `exception <id> (<justification>)`.
fn suppressed_by(s: &crate::matching::Suppression) -> String {
    match (&s.statement, &s.exception) {
        (_, Some(exception)) => format!(
            "exception {} ({})",
            exception.id,
            exception.justification.name()
        ),
        (Some(statement), None) => format!(
            "vex {}{}",
            statement.status.name(),
            statement
                .justification
                .as_deref()
                .map(|j| format!(": {j}"))
                .unwrap_or_default()
        ),
        (None, None) => "unknown".to_owned(),
    }
}

/// Variable-length integers, little-endian: the compact form.
fn binary_options() -> impl Options {
    bincode::DefaultOptions::new()
}

/// The advisory of `scored` as a record keeps it.
fn advisory_record(
    scored: &crate::assessment::ScoredFinding,
    kb: &KnowledgeBase,
) -> AdvisoryRecord {
    let mut record = AdvisoryRecord::of_finding(scored);
    record.add_knowledge(kb);
    record
}

impl AdvisoryRecord {
    /// What the finding `scored` carries of its advisory (its publication day and weaknesses
    /// come from the knowledge base: [`AdvisoryRecord::add_knowledge`]).
    pub(crate) fn of_finding(scored: &crate::assessment::ScoredFinding) -> Self {
        let f = &scored.finding;
        let cvss = scored.cvss.as_deref();
        AdvisoryRecord {
            id: f.advisory_id.to_string(),
            aliases: f.aliases.to_vec(),
            summary: f.summary.as_deref().map(str::to_owned),
            published: None,
            cwes: Vec::new(),
            severity: cvss.map(|c| c.severity),
            cvss_vector: cvss.map(|c| c.vector.clone()),
            cvss_score: cvss.map(|c| c.score),
            epss: scored.threat.epss.as_ref().map(|(_, e)| e.probability),
            epss_percentile: scored.threat.epss.as_ref().and_then(|(_, e)| e.percentile),
            kev: scored.threat.known_exploited.as_ref().map(|k| KevRecord {
                cve_id: k.cve_id.clone(),
                date_added: k.date_added.clone(),
                due_date: k.due_date.clone(),
                known_ransomware_use: k.known_ransomware_use,
            }),
            exploit_maturity: cvss
                .and_then(|c| c.vector.parse::<Cvss>().ok())
                .map(|c| ExploitMaturity::of(&c))
                .unwrap_or_default(),
        }
    }

    /// Its publication day and weaknesses, from `kb`.
    pub(crate) fn add_knowledge(&mut self, kb: &KnowledgeBase) {
        let known = kb.get(&self.id);
        self.published = known.and_then(|a| a.published.clone());
        self.cwes = known.map(|a| a.cwes.clone()).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests;
