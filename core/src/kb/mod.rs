//! Vulnerability knowledge: advisories loaded from feeds, merged by id and alias, and indexed
//! for matching.
//!
//! Three rooms:
//! - the advisory model ([`Advisory`], [`AffectedPackage`], [`AffectedRange`],
//!   [`SeverityScore`]) and the one answer to "does this entry affect that version"
//!   ([`AffectedPackage::affects`]);
//! - the store ([`KnowledgeBase`]): advisories merged by id and alias, indexed by ecosystem
//!   and normalised package name, by CPE vendor and product (NVD applicability statements),
//!   and by id and alias; threat intelligence (KEV, EPSS) and VEX statements beside them;
//! - metadata ([`KbMetadata`]): when the knowledge base was built, from which sources, and
//!   how old its knowledge is;
//! - patching in place ([`KnowledgeBase::replace_clusters`]): the advisories of whole
//!   clusters (linked by shared ids and aliases) replaced by those of their records loaded
//!   again, placed where a full build would put them;
//! - loading: one table tells every input apart by content ([`Format`]), one walker reads
//!   files, directories and archives, and each format's reader (`nvd`, `cve5`, `osv`,
//!   `alpine`, `csaf`, `vex`, `threat`, `snapshot`, and the vendors' own formats `nodejs`,
//!   `rubysec`, `mfsa` with what they share in `native`) turns documents into records. Every load
//!   returns a [`LoadReport`]: a bad record is reported with its file, record and field and
//!   skipped, the rest is kept.

pub(crate) mod advisory;
mod alpine;
mod csaf;
mod cve5;
mod load;
mod metadata;
mod mfsa;
mod native;
mod nodejs;
mod nvd;
mod osv;
mod patch;
mod rubysec;
mod snapshot;
mod store;
mod threat;
mod vex;
pub(crate) mod yaml_depth;

#[cfg(test)]
mod tests;

pub use crate::load_report::{Consequence, LoadReport, Problem, KEPT_PROBLEMS};
pub use advisory::{
    Advisory, AffectedPackage, AffectedRange, Hit, RangeEvaluation, RangeType, SeverityScore,
    VendorTriage, Verdict,
};
pub use load::{Format, KbError};
pub use metadata::{
    format_utc, parse_duration, unix_seconds, KbAgeCheck, KbMetadata, KnowledgeAge, MetadataView,
    SourceInfo, StaleSource, DEFAULT_MAX_KB_AGE,
};
pub use nvd::NvdRecord;
pub use patch::{PatchError, Place};
pub use snapshot::{
    is_snapshot, SnapshotBytes, SnapshotError, FORMAT_VERSION as SNAPSHOT_FORMAT_VERSION,
};
pub(crate) use store::{AdvisoryIndex, EntryIndex, Statement};
pub use store::{KbStats, KnowledgeBase};
pub use threat::{EpssScore, KevEntry, ThreatIntel};
pub use vex::{VexProduct, VexStatement, VexStatus, VexStore};
