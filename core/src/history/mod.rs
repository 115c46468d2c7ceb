//! Assessments through time: the stable, versioned record of one assessment
//! ([`AssessmentRecord`], JSON and a compact binary form), from which the diff of two
//! assessments, the event timeline, remediation progress and the product's views are computed.
//! Core keeps no history itself: a caller (the CLI's store, an embedding product) keeps the
//! records and hands them back.

mod diff;
mod record;
mod timeline;

pub use diff::{
    ChangeReason, DeviceScoreChange, DeviceShare, FindingCause, FindingChange, OrganisationCause,
    OrganisationChange, RecordDiff, SoftwareChange, SoftwareChangeKind,
};
pub use record::{
    AdvisoryRecord, AssessmentRecord, DeviceRecord, ExceptionRecord, ExploitMaturity,
    FindingRecord, KevRecord, RecommendationRecord, RecordError, SoftwareRecord, SuppressedRecord,
    RECORD_FORMAT,
};
pub use timeline::{changes, Event, EventKind, EventOptions, Thresholds, Timeline};
