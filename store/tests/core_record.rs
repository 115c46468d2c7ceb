//! The payload the store exists for: core's record of an assessment, stored and read back.

use exposure::history::{AssessmentRecord, RECORD_FORMAT};
use exposure_store::{AssessmentMeta, Store, Timestamp};

#[test]
fn a_record_of_the_demo_assessment_reads_back_equal() {
    let engine = exposure::Engine::demo();
    let fleet = exposure::demo::fleet();
    let assessment = engine.assess(&fleet);
    let record = AssessmentRecord::of(&assessment, &fleet, engine.kb()).unwrap();
    let meta = AssessmentMeta {
        recorded_at: Timestamp::from_unix_seconds(1_764_892_800),
        as_of: record.as_of,
        label: "demo".into(),
        score: record.score,
        level: record.level.name().into(),
        devices: record.devices.len() as u64,
        findings: record.findings.len() as u64,
        format: RECORD_FORMAT.into(),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("exposure.db")).unwrap();
    let id = store.record_assessment(&meta, &record.to_binary()).unwrap();
    drop(store);

    let store = Store::open_read_only(dir.path().join("exposure.db")).unwrap();
    let entry = store.latest_assessment(Some("demo")).unwrap().unwrap();
    assert_eq!((entry.id, &entry.meta), (id, &meta));
    assert_eq!(entry.meta.format, RECORD_FORMAT);
    let bytes = store.assessment_payload(id).unwrap().unwrap();
    assert_eq!(AssessmentRecord::from_binary(&bytes).unwrap(), record);
}
