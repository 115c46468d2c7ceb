//! Vulnerability knowledge: advisories loaded from feeds, merged by id and indexed by package.
//!
//! This first cut loads OSV JSON (a file, a directory of files, or a string). Every loader
//! returns a [`LoadReport`]: a bad record is reported with its file, record and field and
//! skipped, the rest is kept.

mod alpine;
mod csaf;
mod cve5;
mod nvd;
mod osv;
mod snapshot;
mod threat;
mod vex;

#[cfg(test)]
mod tests;

pub use crate::report::{Consequence, LoadReport, Problem, KEPT_PROBLEMS};
pub use nvd::NvdRecord;
pub use snapshot::{is_snapshot, SnapshotError, FORMAT_VERSION as SNAPSHOT_FORMAT_VERSION};
pub use threat::{EpssScore, KevEntry, ThreatIntel};
pub(crate) use vex::applies_to as vex_applies_to;
pub use vex::{VexProduct, VexStatement, VexStatus, VexStore};

use crate::cpe::{Applicability, Attribute};
use crate::ecosystem::Ecosystem;
use crate::range::{OsvEvent, Range};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A severity score as a feed states it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeverityScore {
    /// The OSV severity type (`CVSS_V2`, `CVSS_V3`, `CVSS_V4`, …).
    pub kind: String,
    /// The vector or score text.
    pub score: String,
    /// Who scored it, when the feed says: NVD's metric `source` (`nvd@nist.gov` or a CNA's
    /// address), with ` (Secondary)` appended for NVD's secondary scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The input the score came from (file path or origin name).
    pub source: String,
}

/// Whether a range can be evaluated against versions, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeEvaluation {
    /// The events form this range.
    Ready(Range),
    /// The range exists but cannot be evaluated by order (commit ranges, a scheme the engine
    /// does not order, or an event version that does not parse). The reason says which.
    Unevaluated(String),
}

/// One `ranges[]` entry of an affected package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedRange {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    pub kind: String,
    /// The events as written.
    pub events: Vec<OsvEvent>,
    /// The evaluated form.
    pub evaluation: RangeEvaluation,
    /// The evaluated range as a `vers:` string, made the first time evidence needs it.
    vers: std::sync::OnceLock<std::sync::Arc<str>>,
}

impl AffectedRange {
    /// A range of `kind` (`SEMVER`, `ECOSYSTEM`, `GIT`) from its events, evaluated in the
    /// ecosystem's order (see [`RangeEvaluation`]).
    pub fn new(kind: &str, events: Vec<OsvEvent>, ecosystem: &Ecosystem) -> Self {
        let evaluation = osv::evaluate(kind, ecosystem, &events);
        AffectedRange {
            kind: kind.to_owned(),
            events,
            evaluation,
            vers: std::sync::OnceLock::new(),
        }
    }

    /// The evaluated range as a `vers:` string (`None` when it is not evaluable), formatted
    /// once.
    pub fn vers(&self) -> Option<&std::sync::Arc<str>> {
        match &self.evaluation {
            RangeEvaluation::Ready(range) => {
                Some(self.vers.get_or_init(|| range.to_string().into()))
            }
            RangeEvaluation::Unevaluated(_) => None,
        }
    }

    /// The versions named by `fixed` events.
    pub fn fixed_versions(&self) -> impl Iterator<Item = &str> {
        self.events.iter().filter_map(|e| match e {
            OsvEvent::Fixed(v) => Some(v.as_str()),
            _ => None,
        })
    }
}

/// One package an advisory affects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedPackage {
    /// The ecosystem.
    pub ecosystem: Ecosystem,
    /// The package name as the feed spells it.
    pub name: String,
    /// The package URL, when the feed gives one.
    pub purl: Option<String>,
    /// Version ranges.
    pub ranges: Vec<AffectedRange>,
    /// Versions listed explicitly as affected: trimmed, sorted (by bytes) and without
    /// duplicates, so that [`AffectedPackage::lists`] is a binary search.
    pub versions: Vec<String>,
    /// Severities stated for this package only.
    pub severity: Vec<SeverityScore>,
    /// Why no fix is coming, when the distributor's data says so for an entry without a
    /// fixed version (Debian's urgency `unimportant`: not fixed in security updates;
    /// `end-of-life`: security support ended). Findings of such an entry are `will_not_fix`.
    pub will_not_fix: Option<String>,
    /// The input this entry came from (file path or origin name).
    pub source: String,
}

impl AffectedPackage {
    /// Whether `version` (trimmed) is among the listed versions.
    pub fn lists(&self, version: &str) -> bool {
        self.versions
            .binary_search_by(|v| v.as_str().cmp(version.trim()))
            .is_ok()
    }
}

/// One advisory (an OSV record, a CVE, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisory {
    /// The record id (`GO-2021-0113`, `PYSEC-2023-74`, `CVE-2021-44228`).
    pub id: String,
    /// Other ids of the same vulnerability; advisories are merged by them.
    pub aliases: Vec<String>,
    /// Ids of records that are about this vulnerability without being another record of it:
    /// advisories that fix several vulnerabilities at once (RHSA, DSA, USN) and the OSV
    /// `related` and `upstream` ids. Never merged by; KEV and EPSS facts are looked up
    /// through them too.
    pub related: Vec<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// The full description (OSV `details`, NVD's English description).
    pub details: Option<String>,
    /// Weakness ids (`CWE-787`).
    pub cwes: Vec<String>,
    /// When the record was published (RFC 3339), as given.
    pub published: Option<String>,
    /// When the record was withdrawn; withdrawn advisories never produce findings.
    pub withdrawn: Option<String>,
    /// Severity scores for the whole advisory.
    pub severity: Vec<SeverityScore>,
    /// A severity word (`LOW`, `MODERATE`, `HIGH`, `CRITICAL`) from `database_specific`.
    pub severity_label: Option<String>,
    /// The affected packages.
    pub affected: Vec<AffectedPackage>,
    /// Where the record came from (file path or origin name): the first input that named
    /// it. With several inputs merged, each affected entry and score keeps its own source and
    /// `sources` lists them all.
    pub source: String,
    /// Every input that contributed to this advisory, in load order.
    pub sources: Vec<String>,
}

impl Advisory {
    /// The scores of one type (`CVSS_V3`, …) that apply to software of `ecosystem`, in the
    /// documented preference order that scoring follows when sources disagree:
    ///
    /// 1. the score an affected entry for that ecosystem gives (a distro's or a package
    ///    database's rating of its own package: Red Hat's per-product CVSS, an OSV
    ///    `affected[].severity`);
    /// 2. NVD's primary score (`nvd@nist.gov`);
    /// 3. scores of a named issuer: the CNA's, from the CVE record or NVD's secondary ones;
    /// 4. scores without an issuer (an OSV record's own `severity`, GitHub's for a GHSA).
    ///
    /// Within one rank, load order. Every score stays in the advisory with its source.
    ///
    /// ```
    /// use exposure::{ecosystem::Ecosystem, kb::KnowledgeBase};
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_osv_str(r#"{"id": "GHSA-jfh8-c2jp-5v3q", "aliases": ["CVE-2021-44228"],
    ///   "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}]}"#, "ghsa");
    /// kb.load_nvd_reader(r#"{"vulnerabilities": [{"cve": {"id": "CVE-2021-44228", "metrics":
    ///   {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData":
    ///   {"vectorString": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H"}}]}}}]}"#.as_bytes(), "nvd");
    /// let log4shell = kb.get("CVE-2021-44228").unwrap();
    /// let first = log4shell.preferred_severities(&Ecosystem::Maven, "CVSS_V3").next().unwrap();
    /// assert_eq!(first.issuer.as_deref(), Some("nvd@nist.gov"));
    /// ```
    pub fn preferred_severities<'a>(
        &'a self,
        ecosystem: &Ecosystem,
        kind: &str,
    ) -> impl Iterator<Item = &'a SeverityScore> + 'a {
        let rank = |s: &SeverityScore| match s.issuer.as_deref() {
            Some("nvd@nist.gov") => 1,
            Some(_) => 2,
            None => 3,
        };
        let mut ranked: Vec<(u8, &SeverityScore)> = self
            .affected
            .iter()
            .filter(|p| p.ecosystem == *ecosystem)
            .flat_map(|p| &p.severity)
            .filter(|s| s.kind == kind)
            .map(|s| (0, s))
            .chain(
                self.severity
                    .iter()
                    .filter(|s| s.kind == kind)
                    .map(|s| (rank(s), s)),
            )
            .collect();
        ranked.sort_by_key(|&(rank, _)| rank);
        ranked.into_iter().map(|(_, s)| s)
    }

    /// Merges another statement of the same vulnerability (same id, or an id or alias this
    /// one already carries) into this one. Facts from `other`'s source replace this
    /// advisory's earlier facts from that same source (a feed loaded again is an update, not
    /// a second opinion); facts from other sources are kept side by side, each with its
    /// source. The id stays the first one loaded and `other`'s id becomes an alias. Scalar
    /// fields (summary, details, dates) keep the first value given, unless the source is the
    /// same; a withdrawal is taken only from a record of the same id (an alias record
    /// withdrawn by its database does not withdraw the vulnerability the others describe).
    ///
    /// ```
    /// use exposure::kb::KnowledgeBase;
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_osv_str(r#"{"id": "GO-2022-0493", "aliases": ["CVE-2022-29526"]}"#, "go");
    /// kb.load_osv_str(r#"{"id": "GHSA-p782-xgp4-8hr8", "aliases": ["CVE-2022-29526"]}"#, "ghsa");
    /// assert_eq!(kb.len(), 1);
    /// let merged = kb.get("GHSA-p782-xgp4-8hr8").unwrap();
    /// assert_eq!(merged.id, "GO-2022-0493");
    /// assert_eq!(merged.aliases, ["CVE-2022-29526", "GHSA-p782-xgp4-8hr8"]);
    /// assert_eq!(merged.sources, ["go", "ghsa"]);
    /// ```
    pub fn merge(&mut self, other: Advisory) {
        let source = other.source.clone();
        let same_id = other.id == self.id;
        if !same_id && !self.aliases.contains(&other.id) {
            self.aliases.push(other.id.clone());
        }
        let same_source = self.sources == [source.clone()];
        self.affected.retain(|a| a.source != source);
        self.severity.retain(|s| s.source != source);
        self.affected.extend(other.affected);
        self.severity.extend(other.severity);
        for alias in other.aliases {
            if alias != self.id && !self.aliases.contains(&alias) {
                self.aliases.push(alias);
            }
        }
        for id in other.related {
            if !self.related.contains(&id) {
                self.related.push(id);
            }
        }
        for cwe in other.cwes {
            if !self.cwes.contains(&cwe) {
                self.cwes.push(cwe);
            }
        }
        let take = |mine: &mut Option<String>, theirs: Option<String>| {
            if same_source || mine.is_none() {
                *mine = theirs;
            }
        };
        take(&mut self.summary, other.summary);
        take(&mut self.details, other.details);
        take(&mut self.published, other.published);
        if same_id {
            take(&mut self.withdrawn, other.withdrawn);
        }
        take(&mut self.severity_label, other.severity_label);
        if !self.sources.contains(&source) {
            self.sources.push(source);
        }
    }
}

/// What a knowledge base holds, for `exposure kb stats` and dashboards.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct KbStats {
    /// Advisories (merged by id).
    pub advisories: usize,
    /// Of which withdrawn or rejected.
    pub withdrawn: usize,
    /// Advisories with at least one CVSS vector of each version (`CVSS_V2`, `CVSS_V3`,
    /// `CVSS_V4`).
    pub with_cvss: std::collections::BTreeMap<String, usize>,
    /// Affected entries per ecosystem (`Debian:12`, `PyPI`, …).
    pub affected_by_ecosystem: std::collections::BTreeMap<String, usize>,
    /// NVD applicability statements (CPE configurations).
    pub applicability_statements: usize,
    /// Distinct (vendor, product) pairs they name.
    pub cpe_products: usize,
    /// Inputs that contributed.
    pub sources: usize,
    /// CISA KEV entries.
    pub kev_entries: usize,
    /// EPSS scores.
    pub epss_scores: usize,
    /// VEX statements.
    pub vex_statements: usize,
}

/// A whole input could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KbError {
    /// The path could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is a snapshot that cannot be used (other format version, truncated,
    /// corrupted).
    #[error("{path}: {source}")]
    Snapshot {
        /// The path.
        path: PathBuf,
        /// What is wrong with it.
        source: SnapshotError,
    },
    /// The file could not be read as text (decompression or encoding failed).
    #[error("cannot read {path}: {source}")]
    Input {
        /// The path.
        path: PathBuf,
        /// What failed.
        source: crate::input::InputError,
    },
}

/// Advisories merged by id and indexed by (ecosystem, normalised package name).
///
/// ```
/// use exposure::kb::KnowledgeBase;
/// let mut kb = KnowledgeBase::new();
/// let report = kb.load_osv_str(r#"{"id": "GO-2020-0001", "affected": [{"package": {"ecosystem": "Go",
///     "name": "github.com/gin-gonic/gin"}, "ranges": [{"type": "SEMVER",
///     "events": [{"introduced": "0"}, {"fixed": "1.6.0"}]}]}]}"#, "inline");
/// assert_eq!(report.records_loaded, 1);
/// assert_eq!(kb.len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    advisories: Vec<Advisory>,
    by_id: HashMap<String, usize>,
    by_package: HashMap<(Ecosystem, String), Vec<(u32, u32)>>,
    /// NVD applicability statements by advisory index.
    applicability: HashMap<u32, Applicability>,
    /// Advisories whose statements name a (vendor, product), lower case.
    by_product: HashMap<(String, String), Vec<u32>>,
    threat: ThreatIntel,
    vex: VexStore,
}

impl KnowledgeBase {
    /// An empty knowledge base.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of advisories.
    pub fn len(&self) -> usize {
        self.advisories.len()
    }

    /// Whether there are no advisories.
    pub fn is_empty(&self) -> bool {
        self.advisories.is_empty()
    }

    /// All advisories, in load order.
    pub fn advisories(&self) -> &[Advisory] {
        &self.advisories
    }

    /// VEX statements, by vulnerability.
    pub fn vex(&self) -> &VexStore {
        &self.vex
    }

    pub(crate) fn vex_mut(&mut self) -> &mut VexStore {
        &mut self.vex
    }

    /// Threat context per CVE: KEV entries and EPSS scores.
    pub fn threat(&self) -> &ThreatIntel {
        &self.threat
    }

    /// The threat context, to load KEV or EPSS into.
    pub fn threat_mut(&mut self) -> &mut ThreatIntel {
        &mut self.threat
    }

    /// Loads a CISA KEV catalog or EPSS scores from a file (gzipped or not), told apart by
    /// content (see [`ThreatIntel::load_text`]).
    pub fn load_threat_path(&mut self, path: &Path) -> Result<LoadReport, KbError> {
        let text = crate::input::read_text(path).map_err(|e| KbError::Input {
            path: path.to_owned(),
            source: e,
        })?;
        Ok(self.threat.load_text(&text, &path.display().to_string()))
    }

    /// The NVD applicability statement (CPE configurations) of the advisory with this id.
    pub fn applicability(&self, id: &str) -> Option<&Applicability> {
        #[allow(clippy::cast_possible_truncation)]
        self.by_id
            .get(id)
            .and_then(|&at| self.applicability.get(&(at as u32)))
    }

    /// Advisories with an applicability statement naming this vendor and product (compared
    /// in lower case), with their statements.
    pub fn affecting_product<'a>(
        &'a self,
        vendor: &str,
        product: &str,
    ) -> impl Iterator<Item = (&'a Advisory, &'a Applicability)> + 'a {
        let key = (vendor.to_ascii_lowercase(), product.to_ascii_lowercase());
        self.by_product
            .get(&key)
            .into_iter()
            .flatten()
            .filter_map(|&at| Some((&self.advisories[at as usize], self.applicability.get(&at)?)))
    }

    /// A summary of what this knowledge base holds.
    ///
    /// ```
    /// let stats = exposure::demo::knowledge_base().stats();
    /// assert_eq!(stats.advisories, 10);
    /// assert!(stats.affected_by_ecosystem.contains_key("Go"));
    /// ```
    pub fn stats(&self) -> KbStats {
        let mut stats = KbStats {
            advisories: self.advisories.len(),
            applicability_statements: self.applicability.len(),
            cpe_products: self.by_product.len(),
            kev_entries: self.threat.kev_len(),
            epss_scores: self.threat.epss_len(),
            vex_statements: self.vex.len(),
            ..KbStats::default()
        };
        let mut sources = std::collections::HashSet::new();
        for advisory in &self.advisories {
            stats.withdrawn += usize::from(advisory.withdrawn.is_some());
            let mut kinds: Vec<&str> = advisory
                .severity
                .iter()
                .chain(advisory.affected.iter().flat_map(|a| &a.severity))
                .map(|s| s.kind.as_str())
                .filter(|k| k.starts_with("CVSS_"))
                .collect();
            kinds.sort_unstable();
            kinds.dedup();
            for kind in kinds {
                *stats.with_cvss.entry(kind.to_owned()).or_default() += 1;
            }
            for affected in &advisory.affected {
                *stats
                    .affected_by_ecosystem
                    .entry(affected.ecosystem.to_string())
                    .or_default() += 1;
            }
            sources.extend(advisory.sources.iter().map(String::as_str));
        }
        stats.sources = sources.len();
        stats
    }

    /// Number of advisories with an applicability statement.
    pub fn applicability_len(&self) -> usize {
        self.applicability.len()
    }

    /// Adds an NVD record: its advisory (merged by id or alias, see [`KnowledgeBase::insert`])
    /// and its applicability statement, which replaces an earlier one for the same CVE.
    pub fn insert_nvd(&mut self, record: NvdRecord) -> bool {
        self.insert_nvd_with(record, true)
    }

    /// [`KnowledgeBase::insert_nvd`] for an advisory merged already (from a snapshot): only
    /// the same id merges.
    pub(crate) fn insert_merged(&mut self, record: NvdRecord) -> bool {
        self.insert_nvd_with(record, false)
    }

    fn insert_nvd_with(&mut self, record: NvdRecord, by_alias: bool) -> bool {
        if let Some((added, due)) = &record.kev {
            self.threat.note_nvd_kev(&record.advisory.id, added, due);
        }
        let id = record.advisory.id.clone();
        let merged = self.insert_with(record.advisory, by_alias);
        if let Some(statement) = record.applicability {
            self.set_applicability(&id, statement);
        }
        merged
    }

    /// Adds a CVE 5 record: its advisory (merged by id), and its CNA-derived statement only
    /// when the CVE has none yet (NVD's configurations, loaded before or after, win).
    fn insert_cve5(&mut self, advisory: Advisory, statement: Option<Applicability>) -> bool {
        let id = advisory.id.clone();
        let merged = self.insert(advisory);
        if let Some(statement) = statement {
            if self.applicability(&id).is_none() {
                self.set_applicability(&id, statement);
            }
        }
        merged
    }

    /// Replaces the applicability statement of an advisory that is in the knowledge base.
    fn set_applicability(&mut self, id: &str, statement: Applicability) {
        #[allow(clippy::cast_possible_truncation)]
        let Some(at) = self.by_id.get(id).map(|&at| at as u32) else {
            return;
        };
        if let Some(old) = self.applicability.remove(&at) {
            for key in products(&old) {
                if let Some(list) = self.by_product.get_mut(&key) {
                    list.retain(|&a| a != at);
                }
            }
        }
        for key in products(&statement) {
            let list = self.by_product.entry(key).or_default();
            if !list.contains(&at) {
                list.push(at);
            }
        }
        self.applicability.insert(at, statement);
    }

    /// Loads an NVD JSON 1.1 feed or API 2.0 response from a reader, one record at a time.
    pub fn load_nvd_reader(&mut self, reader: impl std::io::Read, origin: &str) -> LoadReport {
        let mut report = LoadReport {
            files: 1,
            ..LoadReport::default()
        };
        let mut replaced = 0;
        nvd::stream(reader, origin, &mut report, &mut |r| {
            replaced += usize::from(self.insert_nvd(r));
        });
        report.records_replaced += replaced;
        report
    }

    /// The advisory with this id, or carrying it as an alias.
    pub fn get(&self, id: &str) -> Option<&Advisory> {
        self.by_id.get(id).map(|&i| &self.advisories[i])
    }

    /// Adds an advisory. An advisory of the same vulnerability — the same id, or an id or
    /// alias that an earlier advisory carries (CVE, GHSA, PYSEC, RUSTSEC, GO, …) — is merged
    /// into the earlier one (see [`Advisory::merge`]: facts from the same source are replaced,
    /// facts from other sources kept side by side); the return value says whether that
    /// happened. When a record's aliases point at several earlier advisories, it joins the
    /// one of its own id, else the one of its first known alias.
    pub fn insert(&mut self, advisory: Advisory) -> bool {
        self.insert_with(advisory, true)
    }

    /// [`KnowledgeBase::insert`]; with `by_alias` false, only the same id merges (for
    /// advisories that were merged already, as a snapshot holds them).
    fn insert_with(&mut self, advisory: Advisory, by_alias: bool) -> bool {
        let earlier = self.by_id.get(&advisory.id).copied().or_else(|| {
            by_alias
                .then(|| {
                    advisory
                        .aliases
                        .iter()
                        .find_map(|a| self.by_id.get(a).copied())
                })
                .flatten()
        });
        let at = if let Some(at) = earlier {
            self.unindex(at);
            self.advisories[at].merge(advisory);
            at
        } else {
            self.advisories.push(advisory);
            self.advisories.len() - 1
        };
        self.index(at);
        let advisory = &self.advisories[at];
        for id in std::iter::once(&advisory.id).chain(&advisory.aliases) {
            if !self.by_id.contains_key(id) {
                self.by_id.insert(id.clone(), at);
            }
        }
        earlier.is_some()
    }

    fn keys(advisory: &Advisory) -> impl Iterator<Item = (u32, (Ecosystem, String))> + '_ {
        advisory.affected.iter().enumerate().map(|(i, a)| {
            #[allow(clippy::cast_possible_truncation)]
            (
                i as u32,
                (a.ecosystem.clone(), a.ecosystem.normalize_name(&a.name)),
            )
        })
    }

    fn index(&mut self, at: usize) {
        #[allow(clippy::cast_possible_truncation)]
        let at32 = at as u32;
        // Kept in (advisory, entry) order, whatever the order of merges, so that matching
        // meets candidates in advisory load order, the same after a snapshot round trip.
        for (i, key) in Self::keys(&self.advisories[at]).collect::<Vec<_>>() {
            let entries = self.by_package.entry(key).or_default();
            let place = entries.partition_point(|&e| e < (at32, i));
            entries.insert(place, (at32, i));
        }
    }

    fn unindex(&mut self, at: usize) {
        #[allow(clippy::cast_possible_truncation)]
        let at32 = at as u32;
        for (_, key) in Self::keys(&self.advisories[at]).collect::<Vec<_>>() {
            if let Some(entries) = self.by_package.get_mut(&key) {
                entries.retain(|(a, _)| *a != at32);
            }
        }
    }

    /// The advisories and affected entries that name this package. `name` is normalised
    /// here, so any spelling the ecosystem accepts finds the same entries.
    pub fn affecting<'a>(
        &'a self,
        ecosystem: &Ecosystem,
        name: &str,
    ) -> impl Iterator<Item = (&'a Advisory, &'a AffectedPackage)> + 'a {
        let key = (ecosystem.clone(), ecosystem.normalize_name(name));
        self.by_package
            .get(&key)
            .into_iter()
            .flatten()
            .map(|&(a, i)| {
                let advisory = &self.advisories[a as usize];
                (advisory, &advisory.affected[i as usize])
            })
    }

    /// Loads OSV JSON from a string: one record, or an array of records.
    /// `origin` names the input in problems.
    pub fn load_osv_str(&mut self, text: &str, origin: &str) -> LoadReport {
        let mut report = LoadReport {
            files: 1,
            ..LoadReport::default()
        };
        for advisory in osv::parse_document(text, origin, &mut report) {
            if self.insert(advisory) {
                report.records_replaced += 1;
            }
        }
        report
    }

    /// Loads OSV JSON from a file, or from every `*.json` file below a directory (in sorted
    /// order, so replacement of duplicate ids is deterministic). A file that cannot be read
    /// inside a directory is a problem in the report; a path that cannot be read at all is an
    /// error.
    pub fn load_osv_path(&mut self, path: &Path) -> Result<LoadReport, KbError> {
        let io = |source| KbError::Io {
            path: path.to_owned(),
            source,
        };
        if path.is_dir() {
            let mut files = Vec::new();
            collect_json_files(path, &mut files).map_err(io)?;
            files.sort();
            let mut report = LoadReport::default();
            for file in files {
                match std::fs::read_to_string(&file) {
                    Ok(text) => {
                        report.absorb(self.load_osv_str(&text, &file.display().to_string()));
                    }
                    Err(e) => {
                        report.files += 1;
                        report.problem(Problem::new(
                            &file.display().to_string(),
                            None,
                            "",
                            e.to_string(),
                            Consequence::Skipped,
                        ));
                    }
                }
            }
            Ok(report)
        } else {
            let text = crate::input::read_text(path).map_err(|e| KbError::Input {
                path: path.to_owned(),
                source: e,
            })?;
            Ok(self.load_osv_str(&text, &path.display().to_string()))
        }
    }

    /// Loads any feed this knowledge base reads, told apart by content (gzip undone):
    /// - an NVD JSON 1.1 feed or API 2.0 response (streamed);
    /// - a CISA KEV catalog or EPSS scores (JSON or CSV) into the [threat context](Self::threat);
    /// - OSV records: JSON, or YAML (`.yaml`/`.yml`, as the PyPA database ships them);
    /// - an archive of any of these: a zip (as osv.dev ships each ecosystem) or a tar, gzipped
    ///   or not;
    /// - a directory: every `.json`, `.yaml`, `.yml`, `.zip`, `.tar`, `.tgz` and `.gz` file
    ///   below it, in sorted order (so merging is deterministic).
    ///
    /// A member or file that cannot be read is a problem in the report; a path that cannot be
    /// read at all is an error.
    pub fn load_path(&mut self, path: &Path) -> Result<LoadReport, KbError> {
        use std::io::{BufRead, Read};
        let input = |e| KbError::Input {
            path: path.to_owned(),
            source: e,
        };
        if path.is_dir() {
            let mut files = Vec::new();
            collect_feed_files(path, &mut files).map_err(|e| input(e.into()))?;
            files.sort();
            let mut report = LoadReport::default();
            for file in files {
                match self.load_path(&file) {
                    Ok(r) => report.absorb(r),
                    Err(e) => {
                        report.files += 1;
                        report.problem(Problem::new(
                            &file.display().to_string(),
                            None,
                            "",
                            e.to_string(),
                            Consequence::Skipped,
                        ));
                    }
                }
            }
            return Ok(report);
        }
        let mut reader = crate::input::open(path).map_err(input)?;
        let head = reader
            .fill_buf()
            .map_err(|e| input(crate::input::InputError::Io(e)))?;
        let origin = path.display().to_string();
        if nvd::recognizes(&String::from_utf8_lossy(&head[..head.len().min(4096)])) {
            return Ok(self.load_nvd_reader(reader, &origin));
        }
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| input(crate::input::InputError::Io(e)))?;
        if snapshot::is_snapshot(&bytes) {
            let other = KnowledgeBase::from_snapshot(&bytes).map_err(|e| KbError::Snapshot {
                path: path.to_owned(),
                source: e,
            })?;
            return Ok(self.absorb(other));
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return Ok(self.load_zip(&bytes, &origin));
        }
        if bytes.len() > 262 && &bytes[257..262] == b"ustar" {
            return Ok(self.load_tar(&bytes, &origin));
        }
        let text = crate::input::decode_text(bytes).map_err(input)?;
        Ok(self.load_document(&text, &origin))
    }

    /// Adds everything another knowledge base holds (a snapshot loaded next to feeds):
    /// advisories merged by id, statements, KEV, EPSS and VEX. Moves it when this one is
    /// empty.
    fn absorb(&mut self, other: KnowledgeBase) -> LoadReport {
        let mut report = LoadReport {
            files: 1,
            records_read: other.len(),
            records_loaded: other.len(),
            ..LoadReport::default()
        };
        if self.is_empty()
            && self.threat.kev_len() == 0
            && self.threat.epss_len() == 0
            && self.vex.is_empty()
        {
            *self = other;
            return report;
        }
        for (at, advisory) in other.advisories.iter().enumerate() {
            #[allow(clippy::cast_possible_truncation)]
            let applicability = other.applicability.get(&(at as u32)).cloned();
            report.records_replaced += usize::from(self.insert_nvd(NvdRecord {
                advisory: advisory.clone(),
                applicability,
                kev: None,
            }));
        }
        let threat = other.threat;
        let versions = [
            threat.kev_catalog_version().map(str::to_owned),
            threat.epss_model_version().map(str::to_owned),
            threat.epss_score_date().map(str::to_owned),
        ];
        let kev = threat.kev_entries().cloned().collect();
        let epss = threat
            .epss_entries()
            .map(|(id, s)| (id.to_owned(), s))
            .collect();
        self.threat.restore(kev, epss, versions);
        for statement in other.vex.statements() {
            self.vex.add(statement.clone());
        }
        report
    }

    /// Loads one document of text, told apart by content and, for YAML, by its name's
    /// extension: NVD, KEV/EPSS, OSV YAML or OSV JSON.
    pub fn load_document(&mut self, text: &str, origin: &str) -> LoadReport {
        let yaml = Path::new(origin)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if nvd::recognizes(crate::input::head(text, 4096)) {
            self.load_nvd_reader(text.as_bytes(), origin)
        } else if ThreatIntel::recognizes(text) {
            self.threat.load_text(text, origin)
        } else if cve5::recognizes(text) {
            let mut report = LoadReport {
                files: 1,
                ..LoadReport::default()
            };
            if let Some((advisory, statement)) = cve5::parse(text, origin, &mut report) {
                report.records_replaced += usize::from(self.insert_cve5(advisory, statement));
            }
            report
        } else if let Some(report) = self.load_vex_text(text, origin) {
            report
        } else if alpine::recognizes(crate::input::head(text, 4096)) {
            let mut report = LoadReport {
                files: 1,
                ..LoadReport::default()
            };
            for advisory in alpine::parse(text, origin, &mut report) {
                self.insert(advisory);
            }
            report
        } else if yaml {
            self.load_osv_yaml_str(text, origin)
        } else {
            self.load_osv_str(text, origin)
        }
    }

    /// Loads a VEX document (OpenVEX, CycloneDX VEX, CSAF) when the text is one; `None`
    /// otherwise.
    pub fn load_vex_text(&mut self, text: &str, origin: &str) -> Option<LoadReport> {
        let head = crate::input::head(text, 4096);
        let maybe = head.contains("openvex")
            || head.contains("csaf_version")
            || (head.contains("CycloneDX") && text.contains("\"analysis\""));
        if !maybe {
            return None;
        }
        let document: serde_json::Value = serde_json::from_str(text).ok()?;
        let mut report = vex::recognizes(&document)
            .then(|| self.vex.load(&document, origin))
            .flatten()?;
        if csaf::is_advisory(&document) {
            // A security advisory is also a statement of what each CVE affects.
            let mut advisories = LoadReport::default();
            for advisory in csaf::parse(&document, origin, &mut advisories) {
                advisories.records_replaced += usize::from(self.insert(advisory));
            }
            report.records_replaced += advisories.records_replaced;
            report.problem_count += advisories.problem_count;
            report.problems.extend(advisories.problems);
        }
        Some(report)
    }

    /// Loads one OSV record written in YAML. Scalars must be written as OSV types them: a
    /// version YAML would read as a number (`1.10`) is a problem, never silently `1.1`.
    pub fn load_osv_yaml_str(&mut self, text: &str, origin: &str) -> LoadReport {
        match serde_yaml::from_str::<serde_json::Value>(text) {
            Ok(value) => {
                let mut report = LoadReport {
                    files: 1,
                    ..LoadReport::default()
                };
                for advisory in osv::parse_value(&value, origin, &mut report) {
                    if self.insert(advisory) {
                        report.records_replaced += 1;
                    }
                }
                report
            }
            Err(e) => {
                let mut report = LoadReport {
                    files: 1,
                    records_read: 1,
                    records_skipped: 1,
                    ..LoadReport::default()
                };
                report.problem(Problem::new(
                    origin,
                    None,
                    "",
                    format!("not YAML: {e}"),
                    Consequence::Skipped,
                ));
                report
            }
        }
    }

    fn load_zip(&mut self, bytes: &[u8], origin: &str) -> LoadReport {
        use std::io::Read;
        let mut report = LoadReport::default();
        let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
            Ok(a) => a,
            Err(e) => {
                report.problem(Problem::new(
                    origin,
                    None,
                    "",
                    format!("not a zip archive: {e}"),
                    Consequence::Skipped,
                ));
                return report;
            }
        };
        for index in 0..archive.len() {
            let (name, text) = match archive.by_index(index) {
                Ok(mut member) => {
                    let name = format!("{origin}!{}", member.name());
                    if member.is_dir() || !is_document_name(member.name()) {
                        continue;
                    }
                    let mut text = String::new();
                    match member.read_to_string(&mut text) {
                        Ok(_) => (name, text),
                        Err(e) => {
                            report.files += 1;
                            report.problem(Problem::new(
                                &name,
                                None,
                                "",
                                e.to_string(),
                                Consequence::Skipped,
                            ));
                            continue;
                        }
                    }
                }
                Err(e) => {
                    report.problem(Problem::new(
                        origin,
                        None,
                        &format!("member {index}"),
                        e.to_string(),
                        Consequence::Skipped,
                    ));
                    continue;
                }
            };
            report.absorb(self.load_document(&text, &name));
        }
        report
    }

    fn load_tar(&mut self, bytes: &[u8], origin: &str) -> LoadReport {
        use std::io::Read;
        let mut report = LoadReport::default();
        let mut archive = tar::Archive::new(bytes);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => {
                report.problem(Problem::new(
                    origin,
                    None,
                    "",
                    format!("not a tar archive: {e}"),
                    Consequence::Skipped,
                ));
                return report;
            }
        };
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    report.problem(Problem::new(
                        origin,
                        None,
                        "",
                        format!("tar entry: {e}"),
                        Consequence::Skipped,
                    ));
                    break;
                }
            };
            let member = entry
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            if !entry.header().entry_type().is_file() || !is_document_name(&member) {
                continue;
            }
            let name = format!("{origin}!{member}");
            let mut text = String::new();
            match entry.read_to_string(&mut text) {
                Ok(_) => report.absorb(self.load_document(&text, &name)),
                Err(e) => {
                    report.files += 1;
                    report.problem(Problem::new(
                        &name,
                        None,
                        "",
                        e.to_string(),
                        Consequence::Skipped,
                    ));
                }
            }
        }
        report
    }
}

/// The (vendor, product) pairs an applicability statement's criteria name, lower case;
/// criteria with a wildcard vendor or product are not indexed (NVD has none).
fn products(statement: &Applicability) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = statement
        .criteria()
        .filter_map(|c| {
            let vendor = c.cpe.get(Attribute::Vendor).literal()?;
            let product = c.cpe.get(Attribute::Product).literal()?;
            Some((vendor.to_ascii_lowercase(), product.to_ascii_lowercase()))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether an archive member or file name is a document the knowledge base reads.
fn is_document_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".json", ".yaml", ".yml", ".csv"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Files below a directory that [`KnowledgeBase::load_path`] reads.
fn collect_feed_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_feed_files(&path, out)?;
        } else {
            let name = path.display().to_string().to_ascii_lowercase();
            if is_document_name(&name)
                || [".zip", ".tar", ".tgz", ".gz"]
                    .iter()
                    .any(|e| name.ends_with(e))
            {
                out.push(path);
            }
        }
    }
    Ok(())
}

fn collect_json_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json_files(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            out.push(path);
        }
    }
    Ok(())
}
