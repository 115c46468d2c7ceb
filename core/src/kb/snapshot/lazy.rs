//! A snapshot's advisories kept as their records, each decoded the first time it is read:
//! opening a snapshot decodes its indexes, threat intelligence and VEX statements, not its
//! 46,000 advisories, of which one SBOM's assessment reads a few dozen.
//!
//! Each record is copied out of the snapshot's bytes, checked against its own CRC-32 (in the
//! head's record table, itself checked at open) and decoded from the copy: bytes that change
//! underneath (a mapped file rewritten in place by another program) are at worst a record
//! that fails its check, never a decoding of bytes other than those checked. One that fails
//! its check or does not decode (a file damaged since it was written, forged with a right
//! head, or a bug) becomes an advisory with no id, no affected entry and no statement, and is
//! listed in [`Lazy::damage`]: the knowledge base reports it ([`KnowledgeBase::damage`]) and
//! the engine refuses to assess with it, so that a damaged record is never a clean report.
//!
//! [`KnowledgeBase::damage`]: crate::kb::KnowledgeBase::damage

use super::index::InPlace;
use super::{table, Restored, SnapshotError, RECORD_ENTRY};
use crate::cpe::Vocabulary;
use crate::kb::store::Statement;
use crate::kb::Advisory;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The bytes a snapshot is opened from, shared by every knowledge base opened from them.
pub type SnapshotBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// An advisory decoded from its record, with its statement.
#[derive(Debug, Clone)]
pub(crate) struct Decoded {
    pub(crate) advisory: Advisory,
    pub(crate) statement: Option<Statement>,
}

/// The advisories of a snapshot, decoded on first read, and its indexes searched in place.
pub(crate) struct Lazy {
    bytes: SnapshotBytes,
    /// Where the body (the records) starts in `bytes`.
    body: usize,
    /// The snapshot's head, copied out of `bytes` and checked at open: the record table, the
    /// index tables and the vocabulary are ranges of it (shared with the EPSS table).
    head: Arc<[u8]>,
    /// The record table (see [`RECORD_ENTRY`]), as a range of `head`.
    records: Range<usize>,
    slots: Vec<OnceLock<Box<Decoded>>>,
    /// The advisories that have a statement, in order.
    with_statements: Vec<u32>,
    /// The vocabulary's product rows, as a range of `head`.
    vocabulary: Range<usize>,
    index: InPlace,
    damage: Mutex<Vec<String>>,
}

/// Where a [`Lazy`]'s parts are: the head copied out of the bytes, and ranges of it.
pub(super) struct Parts {
    pub(super) body: usize,
    pub(super) head: Arc<[u8]>,
    pub(super) records: Range<usize>,
    pub(super) with_statements: Vec<u32>,
    pub(super) vocabulary: Range<usize>,
    pub(super) index: InPlace,
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lazy")
            .field("records", &self.records.len())
            .field(
                "decoded",
                &self.slots.iter().filter(|s| s.get().is_some()).count(),
            )
            .finish_non_exhaustive()
    }
}

impl Lazy {
    /// The records of `bytes` as its checked head's `parts` place them.
    pub(super) fn new(bytes: SnapshotBytes, parts: Parts) -> Self {
        let count = parts.records.len() / RECORD_ENTRY;
        let slots = std::iter::repeat_with(OnceLock::new).take(count).collect();
        Self {
            bytes,
            body: parts.body,
            head: parts.head,
            records: parts.records,
            slots,
            with_statements: parts.with_statements,
            vocabulary: parts.vocabulary,
            index: parts.index,
            damage: Mutex::new(Vec::new()),
        }
    }

    /// The index tables, searched in the head.
    pub(crate) fn index(&self) -> (&InPlace, &[u8]) {
        (&self.index, &self.head)
    }

    /// The vocabulary of the statements' names, from its rows (no statement decoded); an
    /// empty one, listed as damage, when they do not decode.
    pub(crate) fn vocabulary(&self) -> Vocabulary {
        let rows = self
            .head
            .get(self.vocabulary.clone())
            .ok_or_else(|| "outside the payload".to_owned())
            .and_then(|bytes| bincode::deserialize(bytes).map_err(|e| e.to_string()));
        match rows {
            Ok(rows) => Vocabulary::from_product_rows(rows),
            Err(e) => {
                self.damage
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(format!("the vocabulary: {e}"));
                Vocabulary::new()
            }
        }
    }

    /// Number of advisories.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// The advisories that have a statement, in order.
    pub(crate) fn with_statements(&self) -> &[u32] {
        &self.with_statements
    }

    /// The `at`-th advisory and its statement, decoded now if it was not yet.
    pub(crate) fn get(&self, at: usize) -> &Decoded {
        self.slots[at].get_or_init(|| Box::new(self.decode(at)))
    }

    /// The `at`-th advisory.
    pub(crate) fn advisory(&self, at: usize) -> &Advisory {
        &self.get(at).advisory
    }

    /// The records that did not decode, as `advisory record N: why`.
    pub(crate) fn damage(&self) -> Vec<String> {
        self.damage
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The `at`-th record, copied out of the bytes and checked against its CRC-32.
    fn record(&self, at: usize) -> Result<Vec<u8>, SnapshotError> {
        let payload = |what: &str| SnapshotError::Payload(what.to_owned());
        let entry = at
            .checked_mul(RECORD_ENTRY)
            .and_then(|start| self.records.start.checked_add(start))
            .and_then(|start| self.head.get(start..start + RECORD_ENTRY))
            .ok_or_else(|| payload("no entry in the record table"))?;
        let (offset, length, crc) = (
            table::u64_at(entry, 0).unwrap_or_default(),
            table::u32_at(entry, 8).unwrap_or_default(),
            table::u32_at(entry, 12).unwrap_or_default(),
        );
        let start = usize::try_from(offset)
            .ok()
            .and_then(|offset| self.body.checked_add(offset));
        let record = start
            .and_then(|start| Some(start..start.checked_add(usize::try_from(length).ok()?)?))
            .and_then(|range| (*self.bytes).as_ref().get(range))
            .ok_or_else(|| payload("a record outside the snapshot"))?
            .to_vec();
        let found = crc32fast::hash(&record);
        if found != crc {
            return Err(SnapshotError::Payload(format!(
                "checksum {found:08x}, the record table says {crc:08x}: the file changed since it was written"
            )));
        }
        Ok(record)
    }

    fn decode(&self, at: usize) -> Decoded {
        let record = self.record(at).and_then(|record| Restored::decode(&record));
        // The index says which advisories have a statement (counted without decoding them):
        // a record that disagrees is damage, as one that does not decode.
        let record = record.and_then(|restored| {
            let listed =
                u32::try_from(at).is_ok_and(|at| self.with_statements.binary_search(&at).is_ok());
            if listed == restored.statement.is_some() {
                Ok(restored)
            } else {
                Err(SnapshotError::Payload(
                    "its statement disagrees with the index".to_owned(),
                ))
            }
        });
        match record {
            Ok(restored) => restored.into_decoded(),
            Err(e) => {
                self.damage
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(format!("advisory record {at}: {e}"));
                Decoded {
                    advisory: Advisory::damaged(),
                    statement: None,
                }
            }
        }
    }

    /// Decodes every advisory not decoded yet, on every core.
    pub(crate) fn decode_all(&self) {
        let missing: Vec<usize> = (0..self.len())
            .filter(|&at| self.slots[at].get().is_none())
            .collect();
        if missing.is_empty() {
            return;
        }
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        crate::matching::threads::in_shares(&missing, threads, 512, |share| {
            for &at in share {
                self.get(at);
            }
        });
    }

    /// Every advisory and statement, in order, with the records that did not decode.
    pub(crate) fn into_decoded(self) -> (Vec<Decoded>, Vec<String>) {
        self.decode_all();
        let damage = self.damage();
        let decoded = self
            .slots
            .into_iter()
            .map(|slot| slot.into_inner().map_or_else(unreachable_decoded, |d| *d))
            .collect();
        (decoded, damage)
    }

    /// [`Lazy::into_decoded`] of records other knowledge bases share (cloned).
    pub(crate) fn to_decoded(&self) -> (Vec<Decoded>, Vec<String>) {
        self.decode_all();
        let decoded = self
            .slots
            .iter()
            .map(|slot| {
                slot.get()
                    .map_or_else(unreachable_decoded, |d| (**d).clone())
            })
            .collect();
        (decoded, self.damage())
    }
}

/// Every slot was filled just before; never reached.
fn unreachable_decoded() -> Decoded {
    Decoded {
        advisory: Advisory::damaged(),
        statement: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::kb::KnowledgeBase;
    use std::sync::Arc;

    /// A knowledge base of two NVD records naming applications with versions and updates.
    fn with_statements() -> KnowledgeBase {
        let mut kb = crate::demo::knowledge_base();
        let report = kb.load_text(
            r#"{"format": "NVD_CVE", "vulnerabilities": [
              {"cve": {"id": "CVE-2099-0001", "descriptions": [{"lang": "en", "value": "x"}],
                "configurations": [{"nodes": [{"operator": "OR", "cpeMatch": [
                  {"vulnerable": true, "criteria": "cpe:2.3:a:winscp:winscp:*:*:*:*:*:*:*:*", "versionEndExcluding": "6.0"},
                  {"vulnerable": true, "criteria": "cpe:2.3:a:oracle:jre:1.8.0:update_31:*:*:*:*:*:*"}]}]}]}},
              {"cve": {"id": "CVE-2099-0002", "descriptions": [{"lang": "en", "value": "y"}],
                "configurations": [{"nodes": [{"operator": "OR", "cpeMatch": [
                  {"vulnerable": true, "criteria": "cpe:2.3:a:oracle:jre:1.7.0:update_80:*:*:*:*:*:*"},
                  {"vulnerable": false, "criteria": "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"}]}]}]}}]}"#,
            "nvd.json",
        );
        assert_eq!(report.records_loaded, 2, "{report}");
        kb
    }

    /// Points the `at`-th record of an opened snapshot at the body's first 12 bytes (the
    /// start of a record, no advisory), with their checksum, as a forged head would.
    fn point_at_a_part(kb: &mut KnowledgeBase, at: usize) {
        let mut inner = Arc::try_unwrap(kb.lazy.take().unwrap()).unwrap();
        let entry = inner.records.start + at * super::RECORD_ENTRY;
        let mut head = inner.head.to_vec();
        head[entry..entry + 8].copy_from_slice(&0u64.to_le_bytes());
        head[entry + 8..entry + 12].copy_from_slice(&12u32.to_le_bytes());
        let part = &(*inner.bytes).as_ref()[inner.body..inner.body + 12];
        let crc = crc32fast::hash(part);
        head[entry + 12..entry + 16].copy_from_slice(&crc.to_le_bytes());
        inner.head = Arc::from(head);
        kb.lazy = Some(Arc::new(inner));
    }

    #[test]
    fn a_record_whose_bytes_changed_is_damage() {
        let kb = with_statements();
        let mut bytes = kb.to_snapshot();
        // The last byte of the body is the last record's.
        *bytes.last_mut().unwrap() ^= 0x40;
        let opened = KnowledgeBase::open_snapshot(Arc::new(bytes)).unwrap();
        let last = kb.len() - 1;
        assert_eq!(opened.advisory_at(last).map(|a| a.id.as_str()), Some(""));
        let damage = opened.damage();
        assert_eq!(damage.len(), 1, "{damage:?}");
        assert!(
            damage[0].contains(&format!("advisory record {last}: ")),
            "{damage:?}"
        );
        assert!(damage[0].contains("the file changed"), "{damage:?}");
        // The others read as written.
        assert_eq!(
            opened.advisory_at(0).map(|a| &a.id),
            kb.advisory_at(0).map(|a| &a.id)
        );
        assert_eq!(opened.damage().len(), 1);
    }

    #[test]
    fn an_opened_snapshot_names_programs_with_the_same_vocabulary_decoding_nothing() {
        let kb = with_statements();
        let opened = KnowledgeBase::open_snapshot(Arc::new(kb.to_snapshot())).unwrap();
        let rows = opened.vocabulary().product_rows();
        assert_eq!(rows, kb.vocabulary().product_rows());
        assert_eq!(rows.len(), 2);
        let lazy = opened.lazy.as_ref().unwrap();
        assert!(
            lazy.slots.iter().all(|slot| slot.get().is_none()),
            "no advisory decoded for the vocabulary"
        );
    }

    #[test]
    fn a_query_decodes_only_what_it_reads() {
        let kb = with_statements();
        let opened = KnowledgeBase::open_snapshot(Arc::new(kb.to_snapshot())).unwrap();
        let lazy = opened.lazy.as_ref().unwrap();
        let decoded = || {
            lazy.slots
                .iter()
                .filter(|slot| slot.get().is_some())
                .count()
        };
        assert_eq!(decoded(), 0);
        assert_eq!(opened.len(), kb.len());
        assert_eq!(opened.applicability_len(), 2);
        assert_eq!(decoded(), 0, "counts come from the indexes");
        assert_eq!(
            opened.affecting_product("oracle", "jre").count(),
            2,
            "both records name the JRE"
        );
        assert_eq!(decoded(), 2);
        let first = &kb.advisory_at(0).unwrap().id;
        assert_eq!(opened.get(first).map(|a| &a.id), Some(first));
        assert_eq!(decoded(), 3);
        assert_eq!(opened.stats(), kb.stats());
        assert_eq!(decoded(), kb.len());
    }

    #[test]
    fn a_record_that_does_not_decode_is_damage_not_a_panic() {
        let kb = with_statements();
        let bytes = kb.to_snapshot();
        // Point the first record at a part of itself, with its checksum: not an advisory.
        let mut broken = KnowledgeBase::open_snapshot(Arc::new(bytes)).unwrap();
        point_at_a_part(&mut broken, 0);
        assert_eq!(broken.advisory_at(0).map(|a| a.id.as_str()), Some(""));
        let damage = broken.damage();
        assert_eq!(damage.len(), 1, "{damage:?}");
        assert!(damage[0].starts_with("advisory record 0: "), "{damage:?}");
        // Made owned, the damage stays listed.
        broken.own();
        assert_eq!(broken.damage(), damage);
    }

    #[test]
    fn an_assessment_that_reads_a_damaged_record_is_refused_not_clean() {
        let kb = with_statements();
        let bytes = kb.to_snapshot();
        let winscp = kb
            .advisories()
            .position(|a| a.id == "CVE-2099-0001")
            .unwrap();
        let mut broken = KnowledgeBase::open_snapshot(Arc::new(bytes)).unwrap();
        point_at_a_part(&mut broken, winscp);
        let engine = crate::Engine::new(broken);
        let fleet = r#"{"devices": [{"id": "d", "software": [
            {"cpe": "cpe:2.3:a:winscp:winscp:5.0:*:*:*:*:*:*:*"}]}]}"#;
        let options = crate::engine::AssessOptions::default();
        let refused = engine
            .assess_text_with(fleet, "inline", false, &options)
            .unwrap_err();
        assert!(refused.to_string().contains("advisory record"), "{refused}");
        // Streamed, the chunk that read it stops the stream before its sink sees it.
        let winscp = crate::inventory::Software::from_cpe(
            "cpe:2.3:a:winscp:winscp:5.0:*:*:*:*:*:*:*",
            None,
            None,
        )
        .unwrap();
        let device = crate::inventory::Device::with_software("d", "d", vec![winscp]);
        let devices = [Ok::<_, String>(device)];
        let mut written = 0;
        let stopped = engine
            .assess_stream(
                devices,
                &crate::stream::StreamOptions::default(),
                &mut |_: &crate::Assessment| {
                    written += 1;
                    Ok(())
                },
            )
            .unwrap_err();
        assert!(
            matches!(
                stopped,
                crate::stream::StreamError::Knowledge { chunk: 1, .. }
            ),
            "{stopped}"
        );
        assert_eq!(written, 0);
        // Untouched, the record would have been a finding.
        let whole = crate::Engine::new(kb);
        let found = whole
            .assess_text_with(fleet, "inline", false, &options)
            .unwrap();
        assert_eq!(found.findings.len(), 1);
    }
}
