//! The snapshot from the mirror: sources in a fixed order (NVD, OSV ecosystems, Alpine, KEV,
//! EPSS; each kind sorted by name), records in id order, each through core's loader for its
//! format, the build time the caller's. A deterministic function of the mirror's content:
//! an incremental update and a full fetch of the same server state give the same bytes.

use crate::config::SourceSpec;
use crate::error::UpdateError;
use crate::mirror::Mirror;
use crate::sources;
use exposure::kb::KnowledgeBase;

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
) -> Result<KnowledgeBase, UpdateError> {
    let mut kb = KnowledgeBase::new();
    kb.set_limits(limits);
    for spec in ordered(specs) {
        let before = (kb.len(), kb.threat().kev_len(), kb.threat().epss_len());
        let report = sources::source(&spec).load(mirror, &mut kb)?;
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
    Ok(kb)
}
