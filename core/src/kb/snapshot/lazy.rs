//! A snapshot's advisories kept as their records, each decoded the first time it is read:
//! opening a snapshot decodes its indexes, threat intelligence and VEX statements, not its
//! 46,000 advisories, of which one SBOM's assessment reads a few dozen.
//!
//! The records were checked with the payload's checksum when the snapshot was opened. One
//! that still does not decode (a file forged with a right checksum, or a bug) becomes an
//! advisory with no id, no affected entry and no statement, and is listed in
//! [`Lazy::damage`]: the knowledge base reports it ([`KnowledgeBase::damage`]) and the
//! engine refuses to assess with it, so that a damaged record is never a clean report.
//!
//! [`KnowledgeBase::damage`]: crate::kb::KnowledgeBase::damage

use super::{Restored, SnapshotError};
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

/// The advisories of a snapshot, decoded on first read.
pub(crate) struct Lazy {
    bytes: SnapshotBytes,
    /// Each advisory's record, as a range of `bytes`.
    records: Vec<Range<usize>>,
    slots: Vec<OnceLock<Box<Decoded>>>,
    /// The advisories that have a statement, in order.
    with_statements: Vec<u32>,
    /// The vocabulary's product rows, as a range of `bytes`.
    vocabulary: Range<usize>,
    damage: Mutex<Vec<String>>,
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
    /// The records of `bytes` at `records`, of which the advisories `with_statements` have a
    /// statement.
    pub(super) fn new(
        bytes: SnapshotBytes,
        records: Vec<Range<usize>>,
        with_statements: Vec<u32>,
        vocabulary: Range<usize>,
    ) -> Self {
        let slots = std::iter::repeat_with(OnceLock::new)
            .take(records.len())
            .collect();
        Self {
            bytes,
            records,
            slots,
            with_statements,
            vocabulary,
            damage: Mutex::new(Vec::new()),
        }
    }

    /// The vocabulary of the statements' names, from its rows (no statement decoded); an
    /// empty one, listed as damage, when they do not decode.
    pub(crate) fn vocabulary(&self) -> Vocabulary {
        let rows = (*self.bytes)
            .as_ref()
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
        self.records.len()
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

    fn decode(&self, at: usize) -> Decoded {
        let record = (*self.bytes)
            .as_ref()
            .get(self.records[at].clone())
            .ok_or_else(|| SnapshotError::Payload("a record outside the payload".to_owned()))
            .and_then(Restored::decode);
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
        // Point the first record at the snapshot's header: not an advisory.
        let mut broken = KnowledgeBase::open_snapshot(Arc::new(bytes)).unwrap();
        let mut inner = Arc::try_unwrap(broken.lazy.take().unwrap()).unwrap();
        inner.records[0] = 0..12;
        broken.lazy = Some(Arc::new(inner));
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
        let mut inner = Arc::try_unwrap(broken.lazy.take().unwrap()).unwrap();
        inner.records[winscp] = 0..12;
        broken.lazy = Some(Arc::new(inner));
        let engine = crate::Engine::new(broken);
        let fleet = r#"{"devices": [{"id": "d", "software": [
            {"cpe": "cpe:2.3:a:winscp:winscp:5.0:*:*:*:*:*:*:*"}]}]}"#;
        let options = crate::engine::AssessOptions::default();
        let refused = engine
            .assess_text_with(fleet, "inline", false, &options)
            .unwrap_err();
        assert!(refused.to_string().contains("advisory record"), "{refused}");
        // Untouched, the record would have been a finding.
        let whole = crate::Engine::new(kb);
        let found = whole
            .assess_text_with(fleet, "inline", false, &options)
            .unwrap();
        assert_eq!(found.findings.len(), 1);
    }
}
