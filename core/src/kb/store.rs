//! The store: advisories merged by id and alias, with the indexes matching queries (by
//! ecosystem and normalised package name, by CPE vendor and product, by id and alias), the
//! NVD applicability statements, threat intelligence and VEX statements.

use super::advisory::{Advisory, AffectedPackage};
use super::nvd::NvdRecord;
use super::snapshot::lazy::Lazy;
use super::threat::ThreatIntel;
use super::vex::VexStore;
use crate::cpe::{Applicability, Attribute};
use crate::ecosystem::Ecosystem;
use std::collections::HashMap;
use std::sync::Arc;

/// The position of an advisory in the store, stable for the store's life (advisories are
/// merged in place, never removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct AdvisoryIndex(u32);

impl AdvisoryIndex {
    /// The index of the `at`-th advisory. A store holds fewer than 2³² advisories (the
    /// loaders would exhaust memory long before).
    pub(super) fn new(at: usize) -> Self {
        Self(u32::try_from(at).unwrap_or(u32::MAX))
    }

    pub(super) fn get(self) -> usize {
        self.0 as usize
    }
}

/// The postings of one index key: a slice of the store's map, or `I` reading them from a
/// snapshot's table where they lie (a concrete iterator: no allocation per lookup).
enum Hits<'a, T, I> {
    Owned(std::slice::Iter<'a, T>),
    InPlace(I),
}

impl<T: Copy, I: Iterator<Item = T>> Iterator for Hits<'_, T, I> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self {
            Hits::Owned(slice) => slice.next().copied(),
            Hits::InPlace(table) => table.next(),
        }
    }
}

/// One affected entry: its advisory and its position in the advisory's `affected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct EntryIndex {
    pub(crate) advisory: AdvisoryIndex,
    entry: u32,
}

/// An applicability statement with the input it came from (the record that will be cited
/// when it matches).
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub(crate) applicability: Applicability,
    pub(crate) source: Arc<str>,
    /// Whether it comes from vendors' own advisories only (Node.js, Mozilla), not from NVD or
    /// a CVE record: each vendor advisory of the vulnerability adds to it, an NVD or CVE
    /// record's replaces it, and its matches are the `vendor-cpe` matcher's.
    pub(crate) from_vendor: bool,
}

/// A knowledge base's indexes as rows in key order, as a snapshot stores them (so that
/// opening one builds them from the rows without decoding an advisory): every id and alias
/// with its advisory; every (ecosystem, normalised name) with its entries as (advisory,
/// entry); every (vendor, product) with its advisories; the advisories with a statement.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct IndexRows {
    pub(super) ids: Vec<(String, u32)>,
    pub(super) packages: Vec<PackageRow>,
    pub(super) products: Vec<(String, String, Vec<u32>)>,
    pub(super) statements: Vec<u32>,
}

/// An ecosystem (as OSV writes it), a normalised package name, and its entries as
/// (advisory, entry).
type PackageRow = (String, String, Vec<(u32, u32)>);

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

/// Advisories merged by id and indexed by (ecosystem, normalised package name).
///
/// ```
/// use exposure::kb::KnowledgeBase;
/// let mut kb = KnowledgeBase::new();
/// let report = kb.load_text(r#"{"id": "GO-2020-0001", "affected": [{"package": {"ecosystem": "Go",
///     "name": "github.com/gin-gonic/gin"}, "ranges": [{"type": "SEMVER",
///     "events": [{"introduced": "0"}, {"fixed": "1.6.0"}]}]}]}"#, "inline");
/// assert_eq!(report.records_loaded, 1);
/// assert_eq!(kb.len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    pub(super) advisories: Vec<Advisory>,
    /// Every id and alias, to the advisory that carries it first.
    pub(super) by_id: HashMap<String, AdvisoryIndex>,
    /// The affected entries naming a package, in (advisory, entry) order.
    pub(super) by_package: HashMap<(Ecosystem, String), Vec<EntryIndex>>,
    /// NVD applicability statements by advisory.
    pub(super) applicability: HashMap<AdvisoryIndex, Statement>,
    /// Advisories whose statements name a (vendor, product), lower case.
    pub(super) by_product: HashMap<(String, String), Vec<AdvisoryIndex>>,
    /// The names of the inputs statements came from, each held once.
    pub(super) source_names: std::collections::HashSet<Arc<str>>,
    pub(super) threat: ThreatIntel,
    pub(super) vex: VexStore,
    /// How much one input may hold when loaded (a setting of loading, not knowledge: never in
    /// a snapshot).
    pub(super) limits: crate::files::Limits,
    /// When it was built and from which sources (saved in snapshots).
    pub(super) metadata: super::KbMetadata,
    /// The top-level input being loaded, which names the source of every document in it.
    pub(super) loading: Option<String>,
    /// The advisories and statements of a snapshot not yet decoded (then `advisories` and
    /// `applicability` are empty and every read goes through it); made owned by the first
    /// change ([`KnowledgeBase::own`]).
    pub(super) lazy: Option<Arc<Lazy>>,
    /// Snapshot records that did not decode when made owned.
    pub(super) damage: Vec<String>,
}

impl KnowledgeBase {
    /// An empty knowledge base.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of advisories.
    pub fn len(&self) -> usize {
        self.lazy
            .as_ref()
            .map_or(self.advisories.len(), |lazy| lazy.len())
    }

    /// Whether there are no advisories.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether nothing at all is loaded: no advisory, KEV entry, EPSS score or VEX statement.
    pub fn holds_nothing(&self) -> bool {
        self.is_empty()
            && self.threat.kev_len() == 0
            && self.threat.epss_len() == 0
            && self.vex.is_empty()
    }

    /// All advisories, in load order (those of a snapshot decoded as they are reached).
    ///
    /// ```
    /// let kb = exposure::demo::knowledge_base();
    /// assert_eq!(kb.advisories().len(), kb.len());
    /// assert_eq!(kb.advisories().next().map(|a| &a.id), kb.advisory_at(0).map(|a| &a.id));
    /// ```
    pub fn advisories(
        &self,
    ) -> impl ExactSizeIterator<Item = &Advisory> + DoubleEndedIterator + Clone + '_ {
        (0..self.len()).map(|at| self.advisory(AdvisoryIndex::new(at)))
    }

    /// The `at`-th advisory in load order.
    pub fn advisory_at(&self, at: usize) -> Option<&Advisory> {
        (at < self.len()).then(|| self.advisory(AdvisoryIndex::new(at)))
    }

    /// The advisory at `at` (decoded now if it is a snapshot's and was not yet).
    pub(crate) fn advisory(&self, at: AdvisoryIndex) -> &Advisory {
        match &self.lazy {
            Some(lazy) => lazy.advisory(at.get()),
            None => &self.advisories[at.get()],
        }
    }

    /// The statement of the advisory at `at`.
    pub(crate) fn statement_at(&self, at: AdvisoryIndex) -> Option<&Statement> {
        match &self.lazy {
            Some(lazy) => lazy.get(at.get()).statement.as_ref(),
            None => self.applicability.get(&at),
        }
    }

    /// The snapshot records that did not decode (`advisory record N: why`), found as they
    /// were first read: an assessment against a knowledge base with damage is refused
    /// ([`Engine`](crate::Engine) checks), since its missing advisories would read as clean.
    ///
    /// ```
    /// assert!(exposure::demo::knowledge_base().damage().is_empty());
    /// ```
    pub fn damage(&self) -> Vec<String> {
        let mut damage = self.damage.clone();
        if let Some(lazy) = &self.lazy {
            damage.extend(lazy.damage());
        }
        damage
    }

    /// Decodes every advisory of a snapshot not yet decoded, on every core (before a walk
    /// over all of them).
    pub(crate) fn decode_all(&self) {
        if let Some(lazy) = &self.lazy {
            lazy.decode_all();
        }
    }

    /// Makes a snapshot's advisories and statements owned, to change them: every record
    /// decoded (today's cost of a whole load, paid only by a change).
    pub(super) fn own(&mut self) {
        let Some(lazy) = self.lazy.take() else {
            return;
        };
        let rows = {
            let (index, head) = lazy.index();
            index.rows(head, lazy.with_statements())
        };
        let (decoded, damage) = match Arc::try_unwrap(lazy) {
            Ok(lazy) => lazy.into_decoded(),
            Err(shared) => shared.to_decoded(),
        };
        self.damage.extend(damage);
        self.advisories.reserve(decoded.len());
        for (at, decoded) in decoded.into_iter().enumerate() {
            self.advisories.push(decoded.advisory);
            if let Some(mut statement) = decoded.statement {
                statement.source = self.source_name(&statement.source);
                self.applicability.insert(AdvisoryIndex::new(at), statement);
            }
        }
        // The tables were checked at open, so their rows name only these advisories; the
        // rows are checked again as they are set (a few comparisons a row, against the
        // decoding of every record just done), and a refusal would be kept as damage.
        let len = self.advisories.len();
        if let Err(e) = self.set_index_rows(rows, len) {
            self.damage.push(format!("the indexes: {e}"));
        }
    }

    /// VEX statements, by vulnerability.
    pub fn vex(&self) -> &VexStore {
        &self.vex
    }

    /// Threat intelligence per CVE: KEV entries and EPSS scores.
    pub fn threat(&self) -> &ThreatIntel {
        &self.threat
    }

    /// The threat intelligence, to load KEV or EPSS into.
    pub fn threat_mut(&mut self) -> &mut ThreatIntel {
        &mut self.threat
    }

    /// When this knowledge base was built and from which sources ([`KbMetadata`](super::KbMetadata)): recorded
    /// while loading, kept in snapshots.
    ///
    /// ```
    /// let kb = exposure::demo::knowledge_base();
    /// let formats: Vec<&str> = kb.metadata().sources.iter().map(|s| s.format.as_str()).collect();
    /// assert_eq!(formats, ["OSV", "KEV/EPSS"]);
    /// // Nothing loaded, nothing dated: the age is unknown.
    /// assert_eq!(exposure::kb::KnowledgeBase::new().metadata().age(0), None);
    /// ```
    pub fn metadata(&self) -> &super::KbMetadata {
        &self.metadata
    }

    /// Records when this knowledge base was built (Unix seconds, UTC; the caller reads the
    /// clock). `exposure kb build` sets it before saving a snapshot.
    ///
    /// ```
    /// let mut kb = exposure::kb::KnowledgeBase::new();
    /// kb.set_built_at(0);
    /// assert_eq!(kb.metadata().built_at.as_deref(), Some("1970-01-01T00:00:00Z"));
    /// ```
    pub fn set_built_at(&mut self, unix_seconds: i64) {
        self.metadata.built_at = Some(super::format_utc(unix_seconds));
    }

    /// Replaces what this knowledge base says of its own making: for a knowledge base patched
    /// in place ([`KnowledgeBase::replace_clusters`]), whose sources' counts and dates the
    /// caller knows better than the patch.
    ///
    /// ```
    /// let mut kb = exposure::kb::KnowledgeBase::new();
    /// let mut metadata = exposure::demo::knowledge_base().metadata().clone();
    /// metadata.built_at = None;
    /// kb.set_metadata(metadata.clone());
    /// assert_eq!(kb.metadata(), &metadata);
    /// ```
    pub fn set_metadata(&mut self, metadata: super::KbMetadata) {
        self.metadata = metadata;
    }

    /// The advisory with this id, or carrying it as an alias.
    pub fn get(&self, id: &str) -> Option<&Advisory> {
        self.carrying(id).map(|at| self.advisory(at))
    }

    /// The advisory carrying `id` as its id or an alias: from the snapshot's table while it
    /// is not owned, from the map after.
    fn carrying(&self, id: &str) -> Option<AdvisoryIndex> {
        match &self.lazy {
            Some(lazy) => {
                let (index, head) = lazy.index();
                index.id(head, id).map(AdvisoryIndex)
            }
            None => self.by_id.get(id).copied(),
        }
    }

    /// The NVD applicability statement (CPE configurations) of the advisory with this id.
    pub fn applicability(&self, id: &str) -> Option<&Applicability> {
        self.statement(id).map(|s| &s.applicability)
    }

    pub(crate) fn statement(&self, id: &str) -> Option<&Statement> {
        self.carrying(id).and_then(|at| self.statement_at(at))
    }

    /// NVD's application names in this knowledge base's CPE applicability statements (CVE
    /// configurations), as a [`Vocabulary`](crate::cpe::Vocabulary) that installed programs
    /// are named against.
    ///
    /// ```
    /// let mut kb = exposure::kb::KnowledgeBase::new();
    /// kb.load_text(r#"{"format": "NVD_CVE", "vulnerabilities": [{"cve": {"id": "CVE-2099-0001",
    ///   "descriptions": [{"lang": "en", "value": "x"}],
    ///   "configurations": [{"nodes": [{"operator": "OR", "cpeMatch": [{"vulnerable": true,
    ///     "criteria": "cpe:2.3:a:winscp:winscp:*:*:*:*:*:*:*:*", "versionEndExcluding": "6.0"}]}]}]}}]}"#, "nvd.json");
    /// assert!(kb.vocabulary().has_product("winscp", "winscp"));
    /// assert!(exposure::demo::knowledge_base().vocabulary().is_empty(), "the demo is OSV only");
    /// ```
    pub fn vocabulary(&self) -> crate::cpe::Vocabulary {
        if let Some(lazy) = &self.lazy {
            return lazy.vocabulary();
        }
        let mut vocabulary = crate::cpe::Vocabulary::new();
        // In advisory order, so that the vocabulary (and what a name is scored against) is
        // the same on every run, not the hash map's order.
        let mut statements: Vec<_> = self.applicability.iter().collect();
        statements.sort_unstable_by_key(|(at, _)| **at);
        for (_, statement) in statements {
            for criterion in statement.applicability.criteria() {
                vocabulary.add(&criterion.cpe, None);
            }
        }
        vocabulary
    }

    /// Number of advisories with an applicability statement.
    pub fn applicability_len(&self) -> usize {
        self.lazy.as_ref().map_or(self.applicability.len(), |lazy| {
            lazy.with_statements().len()
        })
    }

    /// Advisories with an applicability statement naming this vendor and product (compared
    /// in lower case), with their statements.
    pub fn affecting_product<'a>(
        &'a self,
        vendor: &str,
        product: &str,
    ) -> impl Iterator<Item = (&'a Advisory, &'a Applicability)> + 'a {
        self.statements_naming(vendor, product)
            .map(|(_, advisory, statement)| (advisory, &statement.applicability))
    }

    /// [`KnowledgeBase::affecting_product`] with each advisory's index and each statement's
    /// source.
    pub(crate) fn statements_naming<'a>(
        &'a self,
        vendor: &str,
        product: &str,
    ) -> impl Iterator<Item = (AdvisoryIndex, &'a Advisory, &'a Statement)> + 'a {
        let key = (vendor.to_ascii_lowercase(), product.to_ascii_lowercase());
        let advisories = match &self.lazy {
            Some(lazy) => {
                let (index, head) = lazy.index();
                Hits::InPlace(index.product(head, &key.0, &key.1).map(AdvisoryIndex))
            }
            None => Hits::Owned(
                self.by_product
                    .get(&key)
                    .map_or(&[][..], Vec::as_slice)
                    .iter(),
            ),
        };
        advisories.filter_map(|at| Some((at, self.advisory(at), self.statement_at(at)?)))
    }

    /// The advisories and affected entries that name this package. `name` is normalised
    /// here, so any spelling the ecosystem accepts finds the same entries.
    pub fn affecting<'a>(
        &'a self,
        ecosystem: &Ecosystem,
        name: &str,
    ) -> impl Iterator<Item = (&'a Advisory, &'a AffectedPackage)> + 'a {
        self.entries_naming(ecosystem, name)
            .map(|(_, advisory, affected)| (advisory, affected))
    }

    /// [`KnowledgeBase::affecting`] with each entry's index.
    pub(crate) fn entries_naming<'a>(
        &'a self,
        ecosystem: &Ecosystem,
        name: &str,
    ) -> impl Iterator<Item = (EntryIndex, &'a Advisory, &'a AffectedPackage)> + 'a {
        let name = ecosystem.normalize_name(name);
        let entries = match &self.lazy {
            Some(lazy) => {
                let (index, head) = lazy.index();
                Hits::InPlace(
                    index
                        .package(head, ecosystem, &name)
                        .map(|(advisory, entry)| EntryIndex {
                            advisory: AdvisoryIndex(advisory),
                            entry,
                        }),
                )
            }
            None => Hits::Owned(
                self.by_package
                    .get(&(ecosystem.clone(), name))
                    .map_or(&[][..], Vec::as_slice)
                    .iter(),
            ),
        };
        entries.filter_map(|at| {
            let advisory = self.advisory(at.advisory);
            // A snapshot's index names entries its records hold (checked by the payload's
            // checksum); a forged one that does not finds nothing.
            Some((at, advisory, advisory.affected.get(at.entry as usize)?))
        })
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
            advisories: self.len(),
            applicability_statements: self.applicability_len(),
            cpe_products: self
                .lazy
                .as_ref()
                .map_or(self.by_product.len(), |lazy| lazy.index().0.products_len()),
            kev_entries: self.threat.kev_len(),
            epss_scores: self.threat.epss_len(),
            vex_statements: self.vex.len(),
            ..KbStats::default()
        };
        let mut sources = std::collections::HashSet::new();
        self.decode_all();
        for advisory in self.advisories() {
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

    /// Adds an advisory. An advisory of the same vulnerability — the same id, or an id or
    /// alias that an earlier advisory carries (CVE, GHSA, PYSEC, RUSTSEC, GO, …) — is merged
    /// into the earlier one (see [`Advisory::merge`]: facts from the same source are replaced,
    /// facts from other sources kept side by side); the return value says whether that
    /// happened. When a record's aliases point at several earlier advisories, it joins the
    /// one of its own id, else the one of its first known alias. A merged advisory with
    /// exactly one CVE id among its ids takes it as its id (the others stay its aliases), so
    /// that its id does not depend on the order records were loaded in.
    pub fn insert(&mut self, advisory: Advisory) -> bool {
        self.insert_with(advisory)
    }

    /// Adds an NVD record: its advisory (merged by id or alias, see [`KnowledgeBase::insert`])
    /// and its applicability statement, which replaces an earlier one for the same CVE.
    pub fn insert_nvd(&mut self, record: NvdRecord) -> bool {
        self.insert_record(record, None)
    }

    /// Adds a record; its statement is cited as coming from `statement_source`, by default
    /// the advisory's source.
    fn insert_record(&mut self, record: NvdRecord, statement_source: Option<&str>) -> bool {
        if let Some((added, due)) = &record.kev {
            self.threat.note_nvd_kev(&record.advisory.id, added, due);
        }
        let Some(statement) = record.applicability else {
            return self.insert_with(record.advisory);
        };
        let id = record.advisory.id.clone();
        let source = self.source_name(statement_source.unwrap_or(&record.advisory.source));
        let merged = self.insert_with(record.advisory);
        self.set_applicability(&id, statement, source);
        merged
    }

    /// The indexes as rows in key order, as a snapshot stores them.
    pub(super) fn index_rows(&self) -> IndexRows {
        if let Some(lazy) = &self.lazy {
            let (index, head) = lazy.index();
            return index.rows(head, lazy.with_statements());
        }
        let mut ids: Vec<(String, u32)> = self
            .by_id
            .iter()
            .map(|(id, at)| (id.clone(), at.0))
            .collect();
        ids.sort_unstable();
        // A package whose entries all merged away keeps an empty list in the map: no row,
        // so that the same knowledge writes the same bytes however it was built.
        let mut packages: Vec<PackageRow> = self
            .by_package
            .iter()
            .filter(|(_, entries)| !entries.is_empty())
            .map(|((ecosystem, name), entries)| {
                let entries = entries.iter().map(|e| (e.advisory.0, e.entry)).collect();
                (ecosystem.to_string(), name.clone(), entries)
            })
            .collect();
        packages.sort_unstable();
        let mut products: Vec<(String, String, Vec<u32>)> = self
            .by_product
            .iter()
            .map(|((vendor, product), at)| {
                (
                    vendor.clone(),
                    product.clone(),
                    at.iter().map(|a| a.0).collect(),
                )
            })
            .collect();
        products.sort_unstable();
        let mut statements: Vec<u32> = self.applicability.keys().map(|a| a.0).collect();
        statements.sort_unstable();
        IndexRows {
            ids,
            packages,
            products,
            statements,
        }
    }

    /// Sets the indexes of `len` advisories from a snapshot's rows, refusing rows that name
    /// another advisory.
    pub(super) fn set_index_rows(&mut self, rows: IndexRows, len: usize) -> Result<(), String> {
        let check = |at: u32| {
            if (at as usize) < len {
                Ok(AdvisoryIndex(at))
            } else {
                Err(format!("an index names advisory {at} of {len}"))
            }
        };
        let mut by_id = HashMap::with_capacity(rows.ids.len());
        for (id, at) in rows.ids {
            by_id.insert(id, check(at)?);
        }
        let mut by_package = HashMap::with_capacity(rows.packages.len());
        let mut ecosystem: Option<(String, Ecosystem)> = None;
        for (text, name, entries) in rows.packages {
            // Rows come in ecosystem order: each ecosystem read once.
            let key = match &ecosystem {
                Some((known, parsed)) if *known == text => parsed.clone(),
                _ => {
                    let parsed = Ecosystem::from_osv(&text);
                    ecosystem = Some((text, parsed.clone()));
                    parsed
                }
            };
            let entries = entries
                .into_iter()
                .map(|(at, entry)| {
                    Ok(EntryIndex {
                        advisory: check(at)?,
                        entry,
                    })
                })
                .collect::<Result<_, String>>()?;
            by_package.insert((key, name), entries);
        }
        let mut by_product = HashMap::with_capacity(rows.products.len());
        for (vendor, product, at) in rows.products {
            let at = at.into_iter().map(check).collect::<Result<_, _>>()?;
            by_product.insert((vendor, product), at);
        }
        for &at in &rows.statements {
            check(at)?;
        }
        self.by_id = by_id;
        self.by_package = by_package;
        self.by_product = by_product;
        Ok(())
    }

    /// Adds a CVE 5 record: its advisory (merged by id), and its CNA-derived statement only
    /// when the CVE has none yet (NVD's configurations, loaded before or after, win).
    pub(super) fn insert_cve5(
        &mut self,
        advisory: Advisory,
        statement: Option<Applicability>,
    ) -> bool {
        let id = advisory.id.clone();
        let source = self.source_name(&advisory.source);
        let merged = self.insert(advisory);
        if let Some(statement) = statement {
            if self.applicability(&id).is_none() {
                self.set_applicability(&id, statement, source);
            }
        }
        merged
    }

    /// Adds an advisory of a vendor's own advisory feed (Node.js security WG, RubySec,
    /// Mozilla) with the statement of the products it names by CPE: merged by id or alias like
    /// any advisory. As a CVE record's, the statement is used only while NVD has none for the
    /// vulnerability, whatever the load order: NVD's (or a CVE record's) stands, and an NVD
    /// record loaded later replaces the vendors'. Vendors' statements of one vulnerability add
    /// up (either applying is enough: Mozilla states each CVE once per product line), cited as
    /// coming from the first one's input.
    pub(super) fn insert_vendor(
        &mut self,
        advisory: Advisory,
        statement: Option<Applicability>,
    ) -> bool {
        let id = advisory.id.clone();
        let source = self.source_name(&advisory.source);
        let merged = self.insert(advisory);
        let Some(statement) = statement.filter(|s| !s.configurations.is_empty()) else {
            return merged;
        };
        let Some(&at) = self.by_id.get(&id) else {
            return merged;
        };
        match self.applicability.get(&at) {
            Some(old) if old.from_vendor => {
                let mut applicability = old.applicability.clone();
                let source = Arc::clone(&old.source);
                super::native::union(&mut applicability, statement);
                self.set_applicability_at(
                    at,
                    Statement {
                        applicability,
                        source,
                        from_vendor: true,
                    },
                );
            }
            Some(_) => {}
            None => self.set_applicability_at(
                at,
                Statement {
                    applicability: statement,
                    source,
                    from_vendor: true,
                },
            ),
        }
        merged
    }

    /// Replaces the applicability statement of an advisory that is in the knowledge base.
    fn set_applicability(&mut self, id: &str, statement: Applicability, source: Arc<str>) {
        if let Some(&at) = self.by_id.get(id) {
            self.set_applicability_at(
                at,
                Statement {
                    applicability: statement,
                    source,
                    from_vendor: false,
                },
            );
        }
    }

    /// [`KnowledgeBase::set_applicability`] of the advisory at `at`. The advisories naming a
    /// product are kept in index order, whatever the order statements come in, so that
    /// matching meets them in advisory load order, the same after a snapshot round trip.
    pub(super) fn set_applicability_at(&mut self, at: AdvisoryIndex, statement: Statement) {
        self.own();
        if let Some(old) = self.applicability.remove(&at) {
            // A product no statement names any more is no product of the knowledge base.
            for key in products(&old.applicability) {
                if let Some(list) = self.by_product.get_mut(&key) {
                    list.retain(|&a| a != at);
                    if list.is_empty() {
                        self.by_product.remove(&key);
                    }
                }
            }
        }
        for key in products(&statement.applicability) {
            let list = self.by_product.entry(key).or_default();
            let place = list.partition_point(|&a| a < at);
            if list.get(place) != Some(&at) {
                list.insert(place, at);
            }
        }
        self.applicability.insert(at, statement);
    }

    /// The one shared copy of an input's name (thousands of statements come from one feed).
    fn source_name(&mut self, source: &str) -> Arc<str> {
        if let Some(known) = self.source_names.get(source) {
            return Arc::clone(known);
        }
        let name: Arc<str> = source.into();
        self.source_names.insert(Arc::clone(&name));
        name
    }

    /// [`KnowledgeBase::insert`].
    fn insert_with(&mut self, advisory: Advisory) -> bool {
        self.own();
        let earlier = self.by_id.get(&advisory.id).copied().or_else(|| {
            advisory
                .aliases
                .iter()
                .find_map(|a| self.by_id.get(a).copied())
        });
        let at = if let Some(at) = earlier {
            self.unindex(at);
            self.advisories[at.get()].merge(advisory);
            self.prefer_cve_id(at);
            at
        } else {
            self.advisories.push(advisory);
            AdvisoryIndex::new(self.advisories.len() - 1)
        };
        self.index(at);
        let advisory = &self.advisories[at.get()];
        for id in std::iter::once(&advisory.id).chain(&advisory.aliases) {
            if !self.by_id.contains_key(id) {
                self.by_id.insert(id.clone(), at);
            }
        }
        earlier.is_some()
    }

    /// Makes the CVE id of a merged advisory its id, when it has exactly one CVE among its
    /// aliases and that CVE leads to no other advisory: the vulnerability keeps its CVE
    /// identity whatever database's record was loaded first (a Node.js `NSWG-CORE-n` or a
    /// `GO-` record before the distribution's or NVD's CVE record), and findings, KEV and EPSS
    /// meet under one id. The former id becomes the first alias (and still finds it).
    fn prefer_cve_id(&mut self, at: AdvisoryIndex) {
        let advisory = &self.advisories[at.get()];
        if is_cve(&advisory.id) {
            return;
        }
        let mut cves = advisory.aliases.iter().filter(|a| is_cve(a));
        let (Some(cve), None) = (cves.next(), cves.next()) else {
            return;
        };
        if self.by_id.get(cve).is_some_and(|&owner| owner != at) {
            return;
        }
        let cve = cve.clone();
        let advisory = &mut self.advisories[at.get()];
        advisory.aliases.retain(|a| *a != cve);
        let former = std::mem::replace(&mut advisory.id, cve);
        advisory.aliases.insert(0, former);
    }

    /// The package keys of an advisory's entries, with the entries' indexes.
    fn keys(
        at: AdvisoryIndex,
        advisory: &Advisory,
    ) -> impl Iterator<Item = (EntryIndex, (Ecosystem, String))> + '_ {
        advisory.affected.iter().zip(0..).map(move |(a, entry)| {
            (
                EntryIndex {
                    advisory: at,
                    entry,
                },
                (a.ecosystem.clone(), a.ecosystem.normalize_name(&a.name)),
            )
        })
    }

    pub(super) fn index(&mut self, at: AdvisoryIndex) {
        // Kept in (advisory, entry) order, whatever the order of merges, so that matching
        // meets candidates in advisory load order, the same after a snapshot round trip.
        for (entry, key) in Self::keys(at, &self.advisories[at.get()]).collect::<Vec<_>>() {
            let entries = self.by_package.entry(key).or_default();
            let place = entries.partition_point(|&e| e < entry);
            entries.insert(place, entry);
        }
    }

    fn unindex(&mut self, at: AdvisoryIndex) {
        for (_, key) in Self::keys(at, &self.advisories[at.get()]).collect::<Vec<_>>() {
            if let Some(entries) = self.by_package.get_mut(&key) {
                entries.retain(|e| e.advisory != at);
            }
        }
    }

    /// Adds everything another knowledge base holds (a snapshot loaded next to feeds):
    /// advisories merged by id, statements, KEV, EPSS and VEX. Moves it when this one holds
    /// nothing. Returns the number of advisories merged into earlier ones.
    pub(super) fn absorb(&mut self, mut other: KnowledgeBase) -> usize {
        if self.holds_nothing() {
            let limits = self.limits;
            let loading = self.loading.take();
            let mut sources = std::mem::take(&mut self.metadata.sources);
            *self = other;
            sources.append(&mut self.metadata.sources);
            self.metadata.sources = sources;
            self.limits = limits;
            self.loading = loading;
            return 0;
        }
        self.metadata
            .sources
            .extend(other.metadata.sources.iter().cloned());
        if self.metadata.built_at.is_none() {
            self.metadata.built_at.clone_from(&other.metadata.built_at);
        }
        self.own();
        other.own();
        self.damage.append(&mut other.damage);
        let mut replaced = 0;
        for (at, advisory) in other.advisories.iter().enumerate() {
            let statement = other.applicability.get(&AdvisoryIndex::new(at));
            replaced += usize::from(self.insert_record(
                NvdRecord {
                    advisory: advisory.clone(),
                    applicability: statement.map(|s| s.applicability.clone()),
                    kev: None,
                },
                statement.map(|s| &*s.source),
            ));
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
        replaced
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

/// Whether `id` is a CVE id (`CVE-` and a year, as every database writes it).
fn is_cve(id: &str) -> bool {
    id.strip_prefix("CVE-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(year, number)| {
            year.len() == 4
                && year.bytes().all(|b| b.is_ascii_digit())
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        })
}
