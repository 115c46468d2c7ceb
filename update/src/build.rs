//! The snapshot from the mirror: sources in a fixed order (NVD, OSV ecosystems, Alpine, KEV,
//! EPSS; each kind sorted by name), records in id order, each through core's loader for its
//! format, the build time the caller's. A deterministic function of the mirror's content:
//! an incremental update and a full fetch of the same server state give the same bytes.

use crate::config::SourceSpec;
use crate::error::UpdateError;
use crate::mirror::{Mirror, Share};
use crate::sources;
use exposure::kb::{Format, KnowledgeBase, SourceInfo};

/// A record's place in the load order, which is the place of the advisories it creates: the
/// source's rank in [`ordered`], the record's id (empty for a whole document's advisories) and
/// the advisory's sequence within a document (0 for a record's).
pub(crate) type Key = (usize, String, usize);

/// What a build learns for patching the snapshot later: the key of the record that created
/// each advisory, in advisory order, and each OSV and NVD record's share of its source's
/// metadata (with an NVD record's KEV listing).
#[derive(Debug, Default)]
pub(crate) struct Track {
    /// The rank of the source being loaded.
    pub(crate) rank: usize,
    pub(crate) creators: Vec<Key>,
    /// (source, id, share).
    pub(crate) shares: Vec<(String, String, Share)>,
}

impl Track {
    /// Notes the advisories `kb` gained since it held `before`: created by the record `id`,
    /// or by a whole document when `None`.
    pub(crate) fn created(&mut self, kb: &KnowledgeBase, before: usize, id: Option<&str>) {
        for at in before..kb.len() {
            let key = match id {
                Some(id) => (self.rank, id.to_owned(), 0),
                None => (self.rank, String::new(), at - before),
            };
            self.creators.push(key);
        }
    }

    /// Loads one OSV record as a build does, noting the advisory it creates and its share of
    /// the source's metadata.
    pub(crate) fn load_osv(
        &mut self,
        kb: &mut KnowledgeBase,
        source: &str,
        id: &str,
        body: &[u8],
    ) -> exposure::load_report::LoadReport {
        let noted = |kb: &KnowledgeBase| {
            kb.metadata()
                .sources
                .iter()
                .rfind(|s| s.source == source && s.format == Format::OsvJson.name())
                .map_or(0, |s| s.documents)
        };
        let (before, documents) = (kb.len(), noted(kb));
        let text = String::from_utf8_lossy(body);
        let report = kb.load_text_as(Format::OsvJson, &text, source);
        self.created(kb, before, Some(id));
        let share = if noted(kb) > documents {
            let info =
                SourceInfo::of_document(source, Format::OsvJson, &text, report.records_loaded);
            Share {
                documents: 1,
                records: info.records,
                newest: info.newest_record,
                kev: None,
            }
        } else {
            Share::default()
        };
        self.shares.push((source.to_owned(), id.to_owned(), share));
        report
    }
}

/// The order sources are loaded in.
pub(crate) fn ordered(specs: &[SourceSpec]) -> Vec<SourceSpec> {
    let mut specs = specs.to_vec();
    specs.sort();
    specs
}

/// The knowledge base the mirror holds for `specs`, built at `built_at`; a source whose
/// records load incompletely (core's fail-closed share) is an error unless `allow_partial`.
pub(crate) fn knowledge_base(
    mirror: &Mirror,
    specs: &[SourceSpec],
    limits: exposure::files::Limits,
    built_at: i64,
    allow_partial: bool,
) -> Result<(KnowledgeBase, Track), UpdateError> {
    let mut kb = KnowledgeBase::new();
    kb.set_limits(limits);
    let mut track = Track::default();
    for (rank, spec) in ordered(specs).into_iter().enumerate() {
        track.rank = rank;
        let before = (kb.len(), kb.threat().kev_len(), kb.threat().epss_len());
        let report = sources::source(&spec).load(mirror, &mut kb, &mut track)?;
        let after = (kb.len(), kb.threat().kev_len(), kb.threat().epss_len());
        let yielded = report.records_loaded > 0 || after != before;
        // A source with nothing mirrored (an empty first window) yields nothing, rightly.
        let met = report.records_read + report.parts_skipped + report.records_skipped;
        if met == 0 || allow_partial {
            continue;
        }
        if let Some(shortfall) = report.shortfall(yielded) {
            let mut message = shortfall.to_string();
            for problem in report.problems.iter().take(5) {
                message.push_str("\n  ");
                message.push_str(&problem.to_string());
            }
            return Err(UpdateError::Incomplete {
                source_name: spec.to_string(),
                message,
            });
        }
    }
    kb.set_built_at(built_at);
    Ok((kb, track))
}
