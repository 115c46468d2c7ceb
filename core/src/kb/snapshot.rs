//! Compiled knowledge-base snapshots: everything a [`KnowledgeBase`] holds, in one file that
//! is opened rather than loaded ([`KnowledgeBase::open_snapshot`], [`KnowledgeBase::load_snapshot`]):
//! its indexes are searched where they lie, and its advisories decoded only when a query
//! reads them (`lazy`).
//!
//! Layout (little endian):
//!
//! | bytes | what |
//! |---|---|
//! | 12 | magic `EXPOSURE-KB\0` |
//! | 4 | format version ([`FORMAT_VERSION`]) |
//! | 8 | the head's length |
//! | 4 | CRC-32 of the head |
//! | … | the head: bincode of plain structures, and tables read in place |
//! | … | the body: every advisory's record, one after another |
//!
//! The head holds the record table (each record's offset in the body, length and CRC-32),
//! the three indexes as sorted key tables searched in place (`table`: every id and alias,
//! every package key with its entries, every CPE product with its advisories), the
//! advisories with a statement, the vocabulary of the statements' names (decoded when
//! programs are first named), the EPSS scores as a table read in place (`epss`), and KEV, VEX
//! statements and the metadata (decoded at open). Opening copies the head out of the bytes, checks its CRC-32 on the copy and the
//! tables' structure once (a few megabytes for all of `../shared/data`, whatever the body's
//! size); each record is copied and checked against its own CRC-32 when first read, so a
//! mapped file's body is never read whole, and bytes that changed underneath are damage,
//! never a decoding of unchecked bytes.
//!
//! Ranges are stored as their events and evaluated again when their advisory is decoded (so
//! a snapshot never carries a version order the library no longer has); applicability
//! statements as their configurations' nodes in pre-order and their criteria's parts
//! (`statement`), read without JSON.
//! A file that is not a snapshot, of another format version, truncated or corrupted is a
//! [`SnapshotError`] naming which. A snapshot of an older format is rejected, its error
//! saying to build it again: format 7 added the knowledge base's [metadata](KbMetadata) (build
//! time and sources), which an older snapshot cannot supply; format 8 marks the statements
//! that come from vendors' own advisories; format 9 encodes each advisory on its own and its
//! statement without JSON; format 10 stores the indexes and the vocabulary; format 11 splits
//! the head from the body, gives each record its checksum and stores the indexes as tables
//! searched in place.

use super::advisory::Cached;
use super::store::Statement;
use super::{
    Advisory, AffectedPackage, AffectedRange, EpssScore, KbMetadata, KevEntry, KnowledgeBase,
    SeverityScore, VexProduct, VexStatement, VexStatus,
};
use crate::cpe::Applicability;
use crate::ecosystem::Ecosystem;
use crate::files::Limits;
use crate::parsed::Parsed;
use crate::range::OsvEvent;
use serde::{Deserialize, Serialize};
use statement::StatementData;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod epss;
mod index;
pub(crate) mod lazy;
mod statement;
mod table;

pub(crate) use epss::EpssTable;
pub use lazy::SnapshotBytes;

/// The magic bytes a snapshot starts with.
pub(crate) const MAGIC: &[u8; 12] = b"EXPOSURE-KB\0";
/// The snapshot format this library writes and reads.
pub const FORMAT_VERSION: u32 = 11;

/// Why a snapshot could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The bytes do not start with the snapshot magic.
    #[error("not an exposure knowledge-base snapshot (no EXPOSURE-KB header)")]
    NotASnapshot,
    /// Written by a library with another format.
    #[error("snapshot format {found} is not the format {expected} this library reads: build it again with `exposure kb build`")]
    WrongVersion {
        /// The file's format.
        found: u32,
        /// This library's format.
        expected: u32,
    },
    /// Shorter than its header says.
    #[error("snapshot truncated: {expected} payload bytes announced, {found} present")]
    Truncated {
        /// Announced.
        expected: u64,
        /// Present.
        found: u64,
    },
    /// The head (everything but the advisories' records, each checked when read) does not
    /// match its checksum.
    #[error(
        "snapshot corrupted: checksum {found:08x} of its head, the header says {expected:08x}"
    )]
    Corrupted {
        /// In the header.
        expected: u32,
        /// Of the payload.
        found: u32,
    },
    /// The checksum matched but the payload does not decode (a bug, or a forged header).
    #[error("snapshot payload does not decode: {0}")]
    Payload(String),
    /// Reading or writing the file failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The head of a snapshot: everything but the advisories' records, checked whole at open.
#[derive(Serialize, Deserialize)]
struct Head<'a> {
    /// Each advisory's record in the body: offset (`u64`), length and CRC-32 (`u32` each),
    /// little endian.
    #[serde(borrow)]
    records: &'a [u8],
    /// The body's length: the records, one after another.
    body: u64,
    kev: Vec<KevData>,
    /// The EPSS scores, as a table searched in place (`epss`).
    #[serde(borrow)]
    epss: &'a [u8],
    versions: [Option<String>; 3],
    vex: Vec<VexData>,
    /// Every id and alias with its advisory, as a table searched in place (`table`).
    #[serde(borrow)]
    ids: &'a [u8],
    /// Every (ecosystem, normalised name) with its entries as (advisory, entry).
    #[serde(borrow)]
    packages: &'a [u8],
    /// Every CPE (vendor, product) with the advisories whose statements name it.
    #[serde(borrow)]
    products: &'a [u8],
    /// The advisories that have a statement, in order.
    statements: Vec<u32>,
    /// The vocabulary of the statements' names (bincode of its product rows), decoded when
    /// programs are first named, not at open.
    #[serde(borrow)]
    vocabulary: &'a [u8],
    /// When the knowledge base was built and from which sources.
    metadata: KbMetadata,
}

/// Bytes of one entry of the record table.
pub(super) const RECORD_ENTRY: usize = 16;

#[derive(Serialize, Deserialize)]
struct AdvisoryData {
    id: String,
    aliases: Vec<String>,
    related: Vec<String>,
    summary: Option<String>,
    details: Option<String>,
    cwes: Vec<String>,
    published: Option<String>,
    withdrawn: Option<String>,
    informational: Option<String>,
    severity: Vec<SeverityData>,
    severity_label: Option<String>,
    affected: Vec<AffectedData>,
    source: String,
    sources: Vec<String>,
    applicability: Option<StatementData>,
    /// The input the statement came from (cited when it matches).
    applicability_source: Option<String>,
    /// Whether the statement comes from vendors' own advisories only.
    applicability_from_vendor: bool,
}

#[derive(Serialize, Deserialize)]
struct SeverityData {
    kind: String,
    score: String,
    issuer: Option<String>,
    source: String,
}

#[derive(Serialize, Deserialize)]
struct AffectedData {
    ecosystem: String,
    name: String,
    purl: Option<String>,
    ranges: Vec<(String, Vec<(u8, String)>)>,
    versions: Vec<String>,
    severity: Vec<SeverityData>,
    will_not_fix: Option<String>,
    source: String,
}

#[derive(Serialize, Deserialize)]
struct KevData {
    cve_id: String,
    vendor_project: String,
    product: String,
    vulnerability_name: String,
    date_added: String,
    due_date: String,
    required_action: String,
    known_ransomware_use: bool,
    cwes: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct VexData {
    vulnerability: String,
    cpe: bool,
    product: String,
    platform: Option<String>,
    status: u8,
    justification: Option<String>,
    detail: Option<String>,
    author: Option<String>,
    source: String,
}

fn severity_out(s: &SeverityScore) -> SeverityData {
    SeverityData {
        kind: s.kind.clone(),
        score: s.score.clone(),
        issuer: s.issuer.clone(),
        source: s.source.clone(),
    }
}

fn severity_in(s: SeverityData) -> SeverityScore {
    SeverityScore {
        kind: s.kind,
        score: s.score,
        issuer: s.issuer,
        source: s.source,
        parsed: Cached::default(),
    }
}

fn event_out(e: &OsvEvent) -> (u8, String) {
    match e {
        OsvEvent::Introduced(v) => (0, v.clone()),
        OsvEvent::Fixed(v) => (1, v.clone()),
        OsvEvent::LastAffected(v) => (2, v.clone()),
        OsvEvent::Limit(v) => (3, v.clone()),
    }
}

fn event_in((kind, v): (u8, String)) -> Result<OsvEvent, SnapshotError> {
    Ok(match kind {
        0 => OsvEvent::Introduced(v),
        1 => OsvEvent::Fixed(v),
        2 => OsvEvent::LastAffected(v),
        3 => OsvEvent::Limit(v),
        other => return Err(SnapshotError::Payload(format!("event kind {other}"))),
    })
}

/// One advisory read back from its record, before it joins the store.
pub(super) struct Restored {
    advisory: Advisory,
    statement: Option<Applicability>,
    statement_source: Option<String>,
    from_vendor: bool,
}

impl Restored {
    /// Decodes one record: its advisory, ranges evaluated, and its statement.
    fn decode(record: &[u8]) -> Result<Self, SnapshotError> {
        let a: AdvisoryData =
            bincode::deserialize(record).map_err(|e| SnapshotError::Payload(e.to_string()))?;
        let mut affected = Vec::with_capacity(a.affected.len());
        for p in a.affected {
            let ecosystem = Ecosystem::from_osv(&p.ecosystem);
            let mut ranges = Vec::with_capacity(p.ranges.len());
            for (kind, events) in p.ranges {
                let events = events
                    .into_iter()
                    .map(event_in)
                    .collect::<Result<Vec<_>, _>>()?;
                ranges.push(AffectedRange::new(
                    super::RangeType::from_osv(&kind),
                    events,
                    &ecosystem,
                ));
            }
            affected.push(AffectedPackage {
                ecosystem,
                name: p.name,
                purl: p.purl,
                ranges,
                versions: p.versions,
                severity: p.severity.into_iter().map(severity_in).collect(),
                will_not_fix: p.will_not_fix,
                source: p.source,
            });
        }
        let statement = a.applicability.map(StatementData::read).transpose()?;
        let advisory = Advisory {
            id: a.id,
            aliases: a.aliases,
            related: a.related,
            summary: a.summary,
            details: a.details,
            cwes: a.cwes,
            published: a.published,
            withdrawn: a.withdrawn,
            informational: a.informational,
            severity: a.severity.into_iter().map(severity_in).collect(),
            severity_label: a.severity_label,
            affected,
            source: a.source,
            sources: a.sources,
        };
        Ok(Self {
            advisory,
            statement,
            statement_source: a.applicability_source,
            from_vendor: a.applicability_from_vendor,
        })
    }

    /// The advisory with its statement, cited as coming from its input (by default the
    /// advisory's).
    fn into_decoded(self) -> lazy::Decoded {
        let statement = self.statement.map(|applicability| Statement {
            applicability,
            source: self
                .statement_source
                .as_deref()
                .unwrap_or(&self.advisory.source)
                .into(),
            from_vendor: self.from_vendor,
        });
        lazy::Decoded {
            advisory: self.advisory,
            statement,
        }
    }
}

const STATUSES: [VexStatus; 4] = [
    VexStatus::NotAffected,
    VexStatus::Fixed,
    VexStatus::Affected,
    VexStatus::UnderInvestigation,
];

impl KnowledgeBase {
    /// Everything this knowledge base holds as snapshot bytes (see the module's layout).
    ///
    /// ```
    /// use exposure::kb::KnowledgeBase;
    /// let kb = exposure::demo::knowledge_base();
    /// let bytes = kb.to_snapshot();
    /// let again = KnowledgeBase::from_snapshot(&bytes)?;
    /// assert_eq!(again.stats(), kb.stats());
    /// assert!(KnowledgeBase::from_snapshot(&bytes[..bytes.len() - 1]).is_err());
    /// # Ok::<(), exposure::kb::SnapshotError>(())
    /// ```
    pub fn to_snapshot(&self) -> Vec<u8> {
        self.decode_all();
        // Serialising plain owned structures into a Vec cannot fail.
        let vocabulary = bincode::serialize(&self.vocabulary().product_rows()).unwrap_or_default();
        let records: Vec<Vec<u8>> = self
            .advisories()
            .enumerate()
            .map(|(at, a)| (a, self.statement_at(super::AdvisoryIndex::new(at))))
            .map(|(a, statement)| AdvisoryData {
                id: a.id.clone(),
                aliases: a.aliases.clone(),
                related: a.related.clone(),
                summary: a.summary.clone(),
                details: a.details.clone(),
                cwes: a.cwes.clone(),
                published: a.published.clone(),
                withdrawn: a.withdrawn.clone(),
                informational: a.informational.clone(),
                severity: a.severity.iter().map(severity_out).collect(),
                severity_label: a.severity_label.clone(),
                affected: a
                    .affected
                    .iter()
                    .map(|p| AffectedData {
                        ecosystem: p.ecosystem.to_string(),
                        name: p.name.clone(),
                        purl: p.purl.clone(),
                        ranges: p
                            .ranges
                            .iter()
                            .map(|r| (r.kind.to_string(), r.events.iter().map(event_out).collect()))
                            .collect(),
                        versions: p.versions.clone(),
                        severity: p.severity.iter().map(severity_out).collect(),
                        will_not_fix: p.will_not_fix.clone(),
                        source: p.source.clone(),
                    })
                    .collect(),
                source: a.source.clone(),
                sources: a.sources.clone(),
                // Its own statement, by its place (not by its id, which a forged index could
                // lead elsewhere).
                applicability: statement.map(|s| StatementData::of(&s.applicability)),
                applicability_source: statement.map(|s| s.source.to_string()),
                applicability_from_vendor: statement.is_some_and(|s| s.from_vendor),
            })
            // Serialising plain owned structures into a Vec cannot fail.
            .map(|record| bincode::serialize(&record).unwrap_or_default())
            .collect();
        let threat = self.threat();
        // KEV is kept in a hash map: written in CVE order, so that one knowledge base always
        // gives the same bytes (an update compares snapshots byte for byte); EPSS is a table
        // in key order.
        let mut kev: Vec<&KevEntry> = threat.kev_entries().collect();
        kev.sort_unstable_by(|a, b| a.cve_id.cmp(&b.cve_id));
        let mut table = Vec::with_capacity(records.len() * RECORD_ENTRY);
        let mut offset = 0u64;
        for record in &records {
            table.extend_from_slice(&offset.to_le_bytes());
            table.extend_from_slice(
                &u32::try_from(record.len())
                    .unwrap_or(u32::MAX)
                    .to_le_bytes(),
            );
            table.extend_from_slice(&crc32fast::hash(record).to_le_bytes());
            offset += record.len() as u64;
        }
        let index = index::Tables::write(&self.index_rows());
        let epss = {
            let mut scores: Vec<(&str, EpssScore)> = threat.epss_entries().collect();
            scores.sort_unstable_by(|a, b| a.0.cmp(b.0));
            epss::write(&scores)
        };
        let head = Head {
            records: &table,
            body: offset,
            kev: kev
                .into_iter()
                .map(|e| KevData {
                    cve_id: e.cve_id.clone(),
                    vendor_project: e.vendor_project.clone(),
                    product: e.product.clone(),
                    vulnerability_name: e.vulnerability_name.clone(),
                    date_added: e.date_added.clone(),
                    due_date: e.due_date.clone(),
                    required_action: e.required_action.clone(),
                    known_ransomware_use: e.known_ransomware_use,
                    cwes: e.cwes.clone(),
                })
                .collect(),
            epss: &epss,
            versions: [
                threat.kev_catalog_version().map(str::to_owned),
                threat.epss_model_version().map(str::to_owned),
                threat.epss_score_date().map(str::to_owned),
            ],
            // Grouped by vulnerability in a hash map: written in vulnerability order (each
            // one's statements in theirs), so that one knowledge base gives the same bytes.
            vex: {
                let mut statements: Vec<&VexStatement> = self.vex().statements().collect();
                statements.sort_by(|a, b| a.vulnerability.cmp(&b.vulnerability));
                statements
            }
            .into_iter()
            .map(|s| VexData {
                vulnerability: s.vulnerability.clone(),
                cpe: matches!(s.product, VexProduct::Cpe(_)),
                product: s.product.text().to_owned(),
                platform: s.platform.as_ref().map(|p| p.text().to_owned()),
                #[allow(clippy::cast_possible_truncation)]
                status: STATUSES.iter().position(|x| *x == s.status).unwrap_or(0) as u8,
                justification: s.justification.clone(),
                detail: s.detail.clone(),
                author: s.author.clone(),
                source: s.source.clone(),
            })
            .collect(),
            ids: &index.ids,
            packages: &index.packages,
            products: &index.products,
            statements: index.statements,
            vocabulary: &vocabulary,
            metadata: self.metadata().clone(),
        };
        // Serialising plain owned structures into a Vec cannot fail.
        let head = bincode::serialize(&head).unwrap_or_default();
        let mut out = crate::frame::write(MAGIC, FORMAT_VERSION, &head);
        out.reserve_exact(usize::try_from(offset).unwrap_or(0));
        for record in &records {
            out.extend_from_slice(record);
        }
        out
    }

    /// A knowledge base from snapshot bytes, checked: magic, format version, lengths and
    /// checksums (the head's, then every record's); every advisory decoded now (a record that
    /// fails its check or does not decode is the error).
    /// [`KnowledgeBase::open_snapshot`] decodes them as they are read instead.
    /// [`KnowledgeBase::from_snapshot_bytes`] takes bytes the caller owns without a copy.
    pub fn from_snapshot(bytes: &[u8]) -> Result<KnowledgeBase, SnapshotError> {
        KnowledgeBase::from_snapshot_bytes(bytes.to_vec())
    }

    /// A knowledge base opened from shared snapshot bytes (a file read whole, or a mapping),
    /// whose indexes are searched in place and whose advisories are decoded the first time a
    /// query reads them: opening copies and checks the head (magic, format version, lengths,
    /// the head's checksum, the index tables' structure) and decodes threat intelligence and
    /// VEX statements, nothing else. Knowledge bases opened from one `Arc` share its bytes. A
    /// record that fails its checksum or does not decode when read is listed in
    /// [`KnowledgeBase::damage`], which refuses the assessment that read it
    /// ([`Engine::intact`](crate::Engine::intact)).
    ///
    /// ```
    /// use exposure::kb::KnowledgeBase;
    /// use std::sync::Arc;
    /// let bytes = exposure::demo::knowledge_base().to_snapshot();
    /// let kb = KnowledgeBase::open_snapshot(Arc::new(bytes))?;
    /// assert_eq!(kb.len(), 10);
    /// let first = kb.advisory_at(0).map(|a| a.id.clone()).unwrap();
    /// assert!(kb.get(&first).is_some());
    /// assert!(kb.damage().is_empty());
    /// # Ok::<(), exposure::kb::SnapshotError>(())
    /// ```
    pub fn open_snapshot(bytes: SnapshotBytes) -> Result<KnowledgeBase, SnapshotError> {
        let all: &[u8] = (*bytes).as_ref();
        let (head, crc, body) =
            crate::frame::read_prefix(all, MAGIC, FORMAT_VERSION).map_err(frame_error)?;
        // The head is copied out of the bytes (which may be a mapping of a file another
        // program could change) and checked on the copy, which every index lookup then reads.
        let head: Arc<[u8]> = Arc::from(head);
        crate::frame::check(&head, crc).map_err(frame_error)?;
        let body_start = all.len() - body.len();
        let data: Head =
            bincode::deserialize(&head).map_err(|e| SnapshotError::Payload(e.to_string()))?;
        if data.body != body.len() as u64 {
            return Err(SnapshotError::Truncated {
                expected: data.body,
                found: body.len() as u64,
            });
        }
        if data.records.len() % RECORD_ENTRY != 0 {
            return Err(SnapshotError::Payload(
                "a record table of partial entries".to_owned(),
            ));
        }
        let advisories = data.records.len() / RECORD_ENTRY;
        if u32::try_from(advisories).is_err() {
            return Err(SnapshotError::Payload("too many advisories".to_owned()));
        }
        // Each part is borrowed from the head: its place is its offset from the head's start.
        let base = head.as_ptr() as usize;
        let place = |part: &[u8]| {
            let start = part.as_ptr() as usize - base;
            start..start + part.len()
        };
        let index = index::InPlace::check(
            &head,
            [place(data.ids), place(data.packages), place(data.products)],
            advisories,
        )
        .map_err(SnapshotError::Payload)?;
        if let Some(at) = data
            .statements
            .iter()
            .find(|&&at| at as usize >= advisories)
        {
            return Err(SnapshotError::Payload(format!(
                "an index names advisory {at} of {advisories}"
            )));
        }
        if data.statements.windows(2).any(|w| w[0] >= w[1]) {
            return Err(SnapshotError::Payload(
                "the advisories with a statement out of order".to_owned(),
            ));
        }
        let (records, vocabulary) = (place(data.records), place(data.vocabulary));
        let epss = epss::EpssTable::check(Arc::clone(&head), place(data.epss))
            .map_err(SnapshotError::Payload)?;
        let mut kb = KnowledgeBase::new();
        kb.metadata = data.metadata;
        let statements = data.statements;
        let kev = data
            .kev
            .into_iter()
            .map(|e| KevEntry {
                cve_id: e.cve_id,
                vendor_project: e.vendor_project,
                product: e.product,
                vulnerability_name: e.vulnerability_name,
                date_added: e.date_added,
                due_date: e.due_date,
                required_action: e.required_action,
                known_ransomware_use: e.known_ransomware_use,
                cwes: e.cwes,
            })
            .collect();
        kb.threat_mut().restore(kev, Vec::new(), data.versions);
        kb.threat_mut().restore_epss_table(epss);
        for v in data.vex {
            let status = *STATUSES
                .get(usize::from(v.status))
                .ok_or_else(|| SnapshotError::Payload(format!("VEX status {}", v.status)))?;
            let unreadable = |e: String| SnapshotError::Payload(format!("VEX product: {e}"));
            kb.vex.add(VexStatement {
                vulnerability: v.vulnerability,
                product: if v.cpe {
                    VexProduct::Cpe(
                        Parsed::new(&v.product)
                            .map_err(|e: crate::cpe::CpeError| unreadable(e.to_string()))?,
                    )
                } else {
                    VexProduct::Purl(
                        Parsed::new(&v.product)
                            .map_err(|e: crate::purl::PurlError| unreadable(e.to_string()))?,
                    )
                },
                platform: v
                    .platform
                    .map(|p| Parsed::new(&p))
                    .transpose()
                    .map_err(|e: crate::cpe::CpeError| unreadable(e.to_string()))?,
                status,
                justification: v.justification,
                detail: v.detail,
                author: v.author,
                source: v.source,
            });
        }
        let parts = lazy::Parts {
            body: body_start,
            head,
            records,
            with_statements: statements,
            vocabulary,
            index,
        };
        kb.lazy = Some(Arc::new(lazy::Lazy::new(bytes, parts)));
        Ok(kb)
    }

    /// Writes a snapshot file, atomically: the snapshot is written to a temporary file in
    /// the same directory, synced to disk, then renamed over `path` (and, on unix, the
    /// directory synced), so that a write that fails midway (a full disk, a size limit)
    /// leaves the file that was at `path` as it was, and no temporary file behind. The file
    /// replaced keeps its permissions; a symbolic link at `path` is written through.
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("exposure-doc-{}.bin", std::process::id()));
    /// exposure::demo::knowledge_base().save_snapshot(&path)?;
    /// assert_eq!(exposure::kb::KnowledgeBase::load_snapshot(&path)?.len(), 10);
    /// # std::fs::remove_file(path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save_snapshot(&self, path: &Path) -> Result<(), SnapshotError> {
        write_atomically(path, &self.to_snapshot())?;
        Ok(())
    }

    /// Opens a snapshot file of at most [`Limits::default`] bytes (a larger one is an
    /// [`SnapshotError::Io`] holding the [`InputError::TooLarge`](crate::files::InputError)),
    /// its advisories decoded as they are read ([`KnowledgeBase::open_snapshot`]). With the
    /// `map` feature (the default) the file is mapped read-only into memory, so that opening
    /// reads its head only, a query the pages it touches, and every knowledge base that maps
    /// one file shares its pages (the crate `exposure-map` argues why that is sound: what is
    /// kept is copied out of the mapping and checked); without it, or for a file that cannot
    /// be mapped, it is read whole ([`KnowledgeBase::read_snapshot`]).
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("exposure-doc-map-{}.bin", std::process::id()));
    /// exposure::demo::knowledge_base().save_snapshot(&path)?;
    /// let kb = exposure::kb::KnowledgeBase::load_snapshot(&path)?;
    /// assert_eq!(kb.len(), 10);
    /// # std::fs::remove_file(path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_snapshot(path: &Path) -> Result<KnowledgeBase, SnapshotError> {
        KnowledgeBase::load_snapshot_within(path, Limits::default())
    }

    /// [`KnowledgeBase::load_snapshot`] within `limits`.
    pub(super) fn load_snapshot_within(
        path: &Path,
        limits: Limits,
    ) -> Result<KnowledgeBase, SnapshotError> {
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        KnowledgeBase::open_snapshot_file(file, len, path, limits)
    }

    /// The snapshot in `file` (`len` bytes, read from `path`), mapped when the `map` feature
    /// is on and the file system maps it, read whole otherwise.
    fn open_snapshot_file(
        file: std::fs::File,
        len: u64,
        path: &Path,
        limits: Limits,
    ) -> Result<KnowledgeBase, SnapshotError> {
        if len > limits.input_bytes {
            let name = path.display().to_string();
            return Err(std::io::Error::other(limits.too_large(&name)).into());
        }
        #[cfg(feature = "map")]
        {
            if let Ok(mapping) = exposure_map::Mapping::of(&file) {
                return KnowledgeBase::open_snapshot(Arc::new(mapping));
            }
        }
        KnowledgeBase::read_snapshot_from(file, path, limits)
    }

    /// [`KnowledgeBase::load_snapshot`] reading the file whole into memory, never mapping it
    /// (for a file another program may truncate while it is open, or a file system that
    /// cannot map).
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("exposure-doc-read-{}.bin", std::process::id()));
    /// exposure::demo::knowledge_base().save_snapshot(&path)?;
    /// assert_eq!(exposure::kb::KnowledgeBase::read_snapshot(&path)?.len(), 10);
    /// # std::fs::remove_file(path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_snapshot(path: &Path) -> Result<KnowledgeBase, SnapshotError> {
        KnowledgeBase::read_snapshot_within(path, Limits::default())
    }

    fn read_snapshot_within(path: &Path, limits: Limits) -> Result<KnowledgeBase, SnapshotError> {
        KnowledgeBase::read_snapshot_from(std::fs::File::open(path)?, path, limits)
    }

    /// The snapshot in `file` read whole from its start, within `limits`.
    fn read_snapshot_from(
        mut file: std::fs::File,
        path: &Path,
        limits: Limits,
    ) -> Result<KnowledgeBase, SnapshotError> {
        use std::io::{Read, Seek};
        file.rewind()?;
        let mut bytes = Vec::new();
        limits
            .bound(file, &path.display().to_string())
            .read_to_end(&mut bytes)?;
        KnowledgeBase::open_snapshot(Arc::new(bytes))
    }

    /// A knowledge base from owned snapshot bytes, checked as [`KnowledgeBase::from_snapshot`]
    /// checks (every advisory decoded now; a record that does not decode is the error),
    /// without copying them.
    ///
    /// ```
    /// let bytes = exposure::demo::knowledge_base().to_snapshot();
    /// let kb = exposure::kb::KnowledgeBase::from_snapshot_bytes(bytes)?;
    /// assert_eq!(kb.len(), 10);
    /// # Ok::<(), exposure::kb::SnapshotError>(())
    /// ```
    pub fn from_snapshot_bytes(bytes: Vec<u8>) -> Result<KnowledgeBase, SnapshotError> {
        let mut kb = KnowledgeBase::open_snapshot(Arc::new(bytes))?;
        kb.own();
        match kb.damage.first() {
            Some(damage) => Err(SnapshotError::Payload(damage.clone())),
            None => Ok(kb),
        }
    }
}

/// The snapshot error of a framing error.
fn frame_error(e: crate::frame::FrameError) -> SnapshotError {
    use crate::frame::FrameError;
    match e {
        FrameError::NotFramed => SnapshotError::NotASnapshot,
        FrameError::WrongVersion { found } => SnapshotError::WrongVersion {
            found,
            expected: FORMAT_VERSION,
        },
        FrameError::Truncated { expected, found } => SnapshotError::Truncated { expected, found },
        FrameError::Corrupted { expected, found } => SnapshotError::Corrupted { expected, found },
    }
}

/// Writes `bytes` to `path` through a temporary file renamed over it (see
/// [`KnowledgeBase::save_snapshot`]).
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let path = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
        }
        _ => path.to_owned(),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        )
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let (temporary, mut file) = temporary_file(dir, name)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| match std::fs::metadata(&path) {
            Ok(replaced) => file.set_permissions(replaced.permissions()),
            Err(_) => Ok(()),
        });
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, &path)) {
        std::fs::remove_file(&temporary).ok();
        return Err(e);
    }
    // The rename is durable once the directory that holds it is.
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// A new file `.<name>.<process>.<n>.tmp` in `dir`, created for writing (never one that
/// exists).
fn temporary_file(dir: &Path, name: &std::ffi::OsStr) -> std::io::Result<(PathBuf, std::fs::File)> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temporary = dir.join(format!(
            ".{}.{}.{n}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

/// Whether bytes start like a snapshot.
pub fn is_snapshot(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// The snapshot at `path`, opened as [`KnowledgeBase::load_snapshot`] opens it, when `path`
/// is a regular file that starts like one; `None` when it is anything else or cannot be
/// read (the caller reads it as any input and words the error). The file is opened once:
/// its first bytes sniffed, then the same file mapped or read. A FIFO, a device, a process
/// substitution is never sniffed, since reading its first bytes would consume them: it is
/// read as a stream, as any input.
pub(super) fn open_if_snapshot(
    path: &Path,
    limits: Limits,
) -> Option<Result<KnowledgeBase, SnapshotError>> {
    use std::io::Read;
    // Looked at before it is opened: opening a FIFO for reading and closing it unread would
    // let its writer's bytes go to nobody and leave the next open waiting for a writer.
    std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)?;
    let mut file = std::fs::File::open(path).ok()?;
    let metadata = file.metadata().ok().filter(std::fs::Metadata::is_file)?;
    let mut magic = [0; MAGIC.len()];
    (file.read_exact(&mut magic).is_ok() && magic == *MAGIC).then_some(())?;
    Some(KnowledgeBase::open_snapshot_file(
        file,
        metadata.len(),
        path,
        limits,
    ))
}
