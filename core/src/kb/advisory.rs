//! The advisory model: what one vulnerability record says — its ids, scores, and the
//! packages it affects with their ranges — and how records of one vulnerability merge.

use crate::ecosystem::Ecosystem;
use crate::range::{Interval, OsvEvent, Range};
use crate::score::cvss::{Cvss, CvssError};
use crate::version::AnyScheme;
use std::sync::{Arc, OnceLock};

/// A value computed from a record the first time it is asked for, then kept: the record's
/// own fields say everything, so two caches always compare equal.
#[derive(Clone)]
pub(crate) struct Cached<T>(OnceLock<T>);

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Cached(OnceLock::new())
    }
}

impl<T> Cached<T> {
    fn get_or_init(&self, make: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(make)
    }
}

impl<T> PartialEq for Cached<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Cached<T> {}

impl<T> std::fmt::Debug for Cached<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cached")
    }
}

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
    /// The score as a CVSS vector, parsed the first time it is asked for (boxed: most scores
    /// of a knowledge base are never asked for, and an empty cache is one word).
    #[serde(skip)]
    pub(crate) parsed: Cached<Box<Result<Cvss, CvssError>>>,
}

impl SeverityScore {
    /// A score of `kind` (`CVSS_V3`, …) with its text, issuer and source.
    ///
    /// ```
    /// use exposure::kb::SeverityScore;
    /// let s = SeverityScore::new("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", None, "nvd");
    /// assert_eq!(s.cvss().map(|c| c.as_ref().map(|v| v.score())), Some(Ok(9.8)));
    /// assert!(SeverityScore::new("Ubuntu", "high", None, "usn").cvss().is_none());
    /// ```
    pub fn new(kind: &str, score: &str, issuer: Option<&str>, source: &str) -> Self {
        SeverityScore {
            kind: kind.to_owned(),
            score: score.to_owned(),
            issuer: issuer.map(str::to_owned),
            source: source.to_owned(),
            parsed: Cached::default(),
        }
    }

    /// The score as a CVSS vector, for the `CVSS_*` kinds: parsed once, the first time it is
    /// asked for; `None` for other kinds (a distro's word, a number).
    pub fn cvss(&self) -> Option<&Result<Cvss, CvssError>> {
        self.kind
            .starts_with("CVSS_")
            .then(|| &**self.parsed.get_or_init(|| Box::new(self.score.parse())))
    }
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

/// The type of an OSV range: how its events are ordered.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(into = "String")]
pub enum RangeType {
    /// `SEMVER`: SemVer 2.0.0 order, whatever the ecosystem.
    Semver,
    /// `ECOSYSTEM`: the ecosystem's own version order.
    Ecosystem,
    /// `GIT`: commit hashes, never evaluated against versions.
    Git,
    /// A type OSV does not define, kept as written (never evaluated).
    Other(String),
}

impl RangeType {
    /// The type as OSV writes it (`SEMVER`, `ECOSYSTEM`, `GIT`).
    ///
    /// ```
    /// use exposure::kb::RangeType;
    /// assert_eq!(RangeType::from_osv("SEMVER"), RangeType::Semver);
    /// assert_eq!(RangeType::from_osv("SEMVER").as_str(), "SEMVER");
    /// assert_eq!(RangeType::from_osv("VCS").as_str(), "VCS");
    /// ```
    pub fn from_osv(name: &str) -> Self {
        match name {
            "SEMVER" => RangeType::Semver,
            "ECOSYSTEM" => RangeType::Ecosystem,
            "GIT" => RangeType::Git,
            other => RangeType::Other(other.to_owned()),
        }
    }

    /// The name OSV writes.
    pub fn as_str(&self) -> &str {
        match self {
            RangeType::Semver => "SEMVER",
            RangeType::Ecosystem => "ECOSYSTEM",
            RangeType::Git => "GIT",
            RangeType::Other(name) => name,
        }
    }
}

impl From<RangeType> for String {
    fn from(kind: RangeType) -> String {
        kind.as_str().to_owned()
    }
}

impl std::fmt::Display for RangeType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `ranges[]` entry of an affected package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedRange {
    /// How the events are ordered.
    pub kind: RangeType,
    /// The events as written.
    pub events: Vec<OsvEvent>,
    /// The evaluated form.
    pub evaluation: RangeEvaluation,
    /// The evaluated range as a `vers:` string, made the first time evidence needs it.
    vers: Cached<Arc<str>>,
}

impl AffectedRange {
    /// A range of `kind` from its events, evaluated in the ecosystem's order (see
    /// [`RangeEvaluation`]).
    pub fn new(kind: RangeType, events: Vec<OsvEvent>, ecosystem: &Ecosystem) -> Self {
        let evaluation = super::osv::evaluate(&kind, ecosystem, &events);
        AffectedRange {
            kind,
            events,
            evaluation,
            vers: Cached::default(),
        }
    }

    /// The evaluated range as a `vers:` string (`None` when it is not evaluable), formatted
    /// once.
    pub fn vers(&self) -> Option<&Arc<str>> {
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

    /// Whether a range that cannot be evaluated should have been: every type but `GIT`
    /// orders versions, so an unevaluated one leaves a question open.
    pub fn expects_versions(&self) -> bool {
        self.kind != RangeType::Git
    }
}

/// How an affected entry holds a version: inside one of its ranges, or listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit<'a> {
    /// Inside `interval` of `range` (the first range, in entry order, that holds it).
    Range {
        /// The range.
        range: &'a AffectedRange,
        /// Its evaluated form.
        evaluated: &'a Range,
        /// The interval of the evaluated form that holds the version.
        interval: &'a Interval,
    },
    /// Among the entry's listed versions.
    Listed,
}

impl Hit<'_> {
    /// The fixed version that ends the interval holding the version: the nearest fix on
    /// its line. `None` for a listed version or an interval without an excluding end.
    pub fn fix(&self) -> Option<String> {
        match self {
            Hit::Range { interval, .. } => interval
                .upper
                .as_ref()
                .filter(|b| !b.inclusive)
                .map(|b| b.version.to_string()),
            Hit::Listed => None,
        }
    }
}

/// What an affected entry says of one version: whether it holds it, and what it could not
/// decide on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict<'a> {
    /// Where the entry holds the version, if it does.
    pub hit: Option<Hit<'a>>,
    /// Ranges met before the hit (all of them without one) that cannot be evaluated by
    /// order although their type orders versions.
    pub unevaluated_ranges: usize,
    /// For each range met whose scheme cannot read the version, why.
    pub unparsable: Vec<String>,
}

impl Verdict<'_> {
    /// Whether the version may be affected: held, or not excluded for certain (a range
    /// that cannot judge it counts as affecting, so that no fix is ever advised on a guess).
    pub fn possibly_affected(&self) -> bool {
        self.hit.is_some() || self.unevaluated_ranges > 0 || !self.unparsable.is_empty()
    }
}

/// The reason [`AffectedPackage::will_not_fix`] gives for Debian's urgency `unimportant`.
pub(crate) const UNIMPORTANT: &str = "Debian rates it unimportant: no security update will fix it";
/// The reason [`AffectedPackage::will_not_fix`] gives for Debian's urgency `end-of-life`.
pub(crate) const END_OF_LIFE: &str = "Debian's security support for the package has ended";

/// A distributor's triage of a vulnerability in its package, when it decided not to fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorTriage {
    /// Debian's urgency `unimportant`: "negligible security impact", not fixed in security
    /// updates.
    Unimportant,
    /// Debian's urgency `end-of-life`: security support for the package ended.
    EndOfLife,
    /// Any other decision not to fix.
    WillNotFix,
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
    /// An entry of `name` in `ecosystem` whose affected versions are `ranges`, from
    /// `origin`, with nothing else said (no purl, version list, severity or triage).
    pub(crate) fn of_ranges(
        ecosystem: Ecosystem,
        name: &str,
        ranges: Vec<AffectedRange>,
        origin: &str,
    ) -> AffectedPackage {
        AffectedPackage {
            ecosystem,
            name: name.to_owned(),
            purl: None,
            ranges,
            versions: Vec::new(),
            severity: Vec::new(),
            will_not_fix: None,
            source: origin.to_owned(),
        }
    }

    /// The distributor's triage, when it decided not to fix this entry.
    ///
    /// ```
    /// use exposure::kb::{KnowledgeBase, VendorTriage};
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_text(r#"{"id": "DEBIAN-CVE-2011-3374", "affected": [{"package": {"ecosystem": "Debian:12", "name": "apt"},
    ///   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
    ///   "ecosystem_specific": {"urgency": "unimportant"}}]}"#, "debian");
    /// let entry = &kb.get("DEBIAN-CVE-2011-3374").unwrap().affected[0];
    /// assert_eq!(entry.triage(), Some(VendorTriage::Unimportant));
    /// ```
    pub fn triage(&self) -> Option<VendorTriage> {
        self.will_not_fix.as_deref().map(|reason| match reason {
            UNIMPORTANT => VendorTriage::Unimportant,
            END_OF_LIFE => VendorTriage::EndOfLife,
            _ => VendorTriage::WillNotFix,
        })
    }

    /// Whether `version` (trimmed) is among the listed versions.
    pub fn lists(&self, version: &str) -> bool {
        self.versions
            .binary_search_by(|v| v.as_str().cmp(version.trim()))
            .is_ok()
    }

    /// Whether this entry affects a version: its ranges first, in order (a version inside
    /// one gets the fix that ends its interval, even when the entry also lists it), then its
    /// listed versions. `version` parses the text once per scheme the ranges ask for. This
    /// is the one answer matching and recommendations both use.
    ///
    /// ```
    /// use exposure::kb::{Hit, KnowledgeBase};
    /// use exposure::version::AnyScheme;
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_text(r#"{"id": "GHSA-x", "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
    ///   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}"#, "osv");
    /// let entry = &kb.get("GHSA-x").unwrap().affected[0];
    /// let verdict = entry.affects(&mut AnyScheme::new("4.17.20"));
    /// assert_eq!(verdict.hit.unwrap().fix().as_deref(), Some("4.17.21"));
    /// assert!(entry.affects(&mut AnyScheme::new("4.17.21")).hit.is_none());
    /// assert_eq!(entry.affects(&mut AnyScheme::new("four")).unparsable.len(), 1);
    /// ```
    pub fn affects<'a>(&'a self, version: &mut AnyScheme<'_>) -> Verdict<'a> {
        let mut verdict = Verdict::default();
        for range in &self.ranges {
            match &range.evaluation {
                RangeEvaluation::Ready(ready) => match version.get(ready.scheme()) {
                    Ok(parsed) => {
                        if let Some(interval) = ready.interval_containing(parsed) {
                            verdict.hit = Some(Hit::Range {
                                range,
                                evaluated: ready,
                                interval,
                            });
                            return verdict;
                        }
                    }
                    Err(message) => verdict.unparsable.push(message.to_owned()),
                },
                RangeEvaluation::Unevaluated(_) => {
                    verdict.unevaluated_ranges += usize::from(range.expects_versions());
                }
            }
        }
        if self.lists(version.text()) {
            verdict.hit = Some(Hit::Listed);
        }
        verdict
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
    /// What an informational advisory is about (RustSec's `unmaintained`, `unsound`,
    /// `notice`, from OSV `database_specific.informational`): not a vulnerability. Its
    /// matches are reported apart ([`Assessment::informational`](crate::assessment::Assessment::informational)),
    /// outside findings and scores. `None` for a vulnerability.
    pub informational: Option<String>,
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
    /// An advisory with nothing in it: what a snapshot record that does not decode becomes
    /// (it affects nothing; the knowledge base lists the record as damage).
    pub(crate) fn damaged() -> Self {
        Advisory {
            sources: Vec::new(),
            ..Advisory::blank(String::new(), "")
        }
    }

    /// Whether the record says the vulnerability is disputed: NVD's and MITRE's descriptions
    /// begin with `** DISPUTED **`.
    ///
    /// ```
    /// use exposure::kb::KnowledgeBase;
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_text(r#"{"id": "CVE-2021-0001", "details": "** DISPUTED ** A flaw the vendor denies."}"#, "osv");
    /// assert!(kb.get("CVE-2021-0001").unwrap().disputed());
    /// ```
    pub fn disputed(&self) -> bool {
        [&self.details, &self.summary].iter().any(|text| {
            text.as_deref()
                .is_some_and(|t| t.trim_start().starts_with("** DISPUTED"))
        })
    }

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
    /// kb.load_text(r#"{"id": "GHSA-jfh8-c2jp-5v3q", "aliases": ["CVE-2021-44228"],
    ///   "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}]}"#, "ghsa");
    /// kb.load_text_as(exposure::kb::Format::Nvd, r#"{"vulnerabilities": [{"cve": {"id": "CVE-2021-44228", "metrics":
    ///   {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData":
    ///   {"vectorString": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H"}}]}}}]}"#, "nvd");
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

    /// The advisory of one CVE record (NVD, CVE 5): its description (whose first sentence is
    /// the summary), weaknesses, scores and publication date; a rejected CVE is withdrawn,
    /// so it never produces findings. Affected packages are added by the reader.
    #[allow(clippy::too_many_arguments)] // the fields of a CVE record, in order
    pub(crate) fn cve_record(
        id: String,
        details: Option<String>,
        cwes: Vec<String>,
        severity: Vec<SeverityScore>,
        published: Option<String>,
        rejected: bool,
        origin: &str,
    ) -> Advisory {
        Advisory {
            summary: details.as_deref().map(first_sentence),
            id,
            aliases: Vec::new(),
            related: Vec::new(),
            details,
            cwes,
            withdrawn: rejected.then(|| published.clone().unwrap_or_default()),
            informational: None,
            published,
            severity,
            severity_label: None,
            affected: Vec::new(),
            source: origin.to_owned(),
            sources: vec![origin.to_owned()],
        }
    }

    /// An advisory of `id` from `origin` with nothing else said yet, for a reader to fill.
    pub(crate) fn blank(id: String, origin: &str) -> Advisory {
        Advisory {
            id,
            aliases: Vec::new(),
            related: Vec::new(),
            summary: None,
            details: None,
            cwes: Vec::new(),
            published: None,
            withdrawn: None,
            informational: None,
            severity: Vec::new(),
            severity_label: None,
            affected: Vec::new(),
            source: origin.to_owned(),
            sources: vec![origin.to_owned()],
        }
    }

    /// Merges another statement of the same vulnerability (same id, or an id or alias this
    /// one already carries) into this one. Facts from `other`'s source replace this
    /// advisory's earlier facts from that same source (a feed loaded again is an update, not
    /// a second opinion); facts from other sources are kept side by side, each with its
    /// source. The id stays the first one loaded and `other`'s id becomes an alias (a
    /// [`KnowledgeBase`](super::KnowledgeBase) then makes the vulnerability's sole CVE id
    /// its id, whatever was loaded first). Scalar
    /// fields (summary, details, dates) keep the first value given, unless the source is the
    /// same; a withdrawal is taken only from a record of the same id (an alias record
    /// withdrawn by its database does not withdraw the vulnerability the others describe).
    ///
    /// ```
    /// use exposure::kb::KnowledgeBase;
    /// let mut kb = KnowledgeBase::new();
    /// kb.load_text(r#"{"id": "GO-2022-0493", "aliases": ["CVE-2022-29526"]}"#, "go");
    /// kb.load_text(r#"{"id": "GHSA-p782-xgp4-8hr8", "aliases": ["CVE-2022-29526"]}"#, "ghsa");
    /// assert_eq!(kb.len(), 1);
    /// let merged = kb.get("GHSA-p782-xgp4-8hr8").unwrap();
    /// assert_eq!(merged.id, "CVE-2022-29526");
    /// assert_eq!(merged.aliases, ["GO-2022-0493", "GHSA-p782-xgp4-8hr8"]);
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
            take(&mut self.informational, other.informational);
        }
        take(&mut self.severity_label, other.severity_label);
        if !self.sources.contains(&source) {
            self.sources.push(source);
        }
    }
}

/// The first sentence of a description, ending in one period: the summary of a record that
/// has only a description (NVD, CVE 5).
pub(crate) fn first_sentence(details: &str) -> String {
    details
        .split(". ")
        .next()
        .unwrap_or(details)
        .trim_end_matches('.')
        .to_owned()
        + "."
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_sentences() {
        assert_eq!(
            super::first_sentence("A flaw in X. It allows Y."),
            "A flaw in X."
        );
        assert_eq!(super::first_sentence("No period"), "No period.");
        assert_eq!(super::first_sentence("Ends."), "Ends.");
    }
}
