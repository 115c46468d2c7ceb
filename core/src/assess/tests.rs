//! The fail-closed rule: each knowledge-base input and inventory must yield something and
//! lose at most `MAX_SKIPPED_PERCENT` % of its records, unless partial loads are allowed.

use super::*;
use crate::load_report::{Shortfall, MAX_SKIPPED_PERCENT};

/// A scratch directory of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exposure-assess-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// An OSV record of npm's `lodash`, or a record of the wrong shape when `bad`.
fn osv(id: usize, bad: bool) -> String {
    if bad {
        format!(r#"{{"id": "BAD-{id}", "aliases": "not a list"}}"#)
    } else {
        format!(
            r#"{{"id": "GHSA-{id}", "affected": [{{"package": {{"ecosystem": "npm", "name": "lodash"}},
              "ranges": [{{"type": "SEMVER", "events": [{{"introduced": "0"}}, {{"fixed": "4.17.21"}}]}}]}}]}}"#
        )
    }
}

/// An array of ten OSV records, `bad` of them of the wrong shape.
fn ten_records(bad: usize) -> String {
    let records: Vec<String> = (0..10).map(|i| osv(i, i < bad)).collect();
    format!("[{}]", records.join(","))
}

const FLEET: &str =
    r#"{"devices": [{"id": "web", "software": [{"purl": "pkg:npm/lodash@4.17.20"}]}]}"#;

fn inputs(knowledge: Vec<PathBuf>, fleet: &str) -> AssessInputs {
    AssessInputs {
        knowledge,
        inventories: vec![InventorySource::Text {
            text: fleet.to_owned(),
            origin: "fleet".to_owned(),
        }],
        ..AssessInputs::default()
    }
}

fn shortfall(e: &Error) -> (&'static str, &str, Shortfall) {
    match e {
        Error::KnowledgeIncomplete {
            input, shortfall, ..
        } => ("knowledge", input, *shortfall),
        Error::InventoryIncomplete {
            input, shortfall, ..
        } => ("inventory", input, *shortfall),
        other => panic!("not an incomplete input: {other}"),
    }
}

#[test]
fn a_knowledge_input_that_yields_nothing_is_refused_unless_allowed() {
    let dir = scratch("empty");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{broken").expect("write");
    let mut strict = inputs(vec![broken.clone()], FLEET);
    let e = strict.assess().unwrap_err();
    assert_eq!(
        shortfall(&e),
        (
            "knowledge",
            &*broken.display().to_string(),
            Shortfall::Empty
        )
    );
    assert!(
        e.to_string()
            .contains("it yields nothing (1 files, 1 records read, 0 loaded, 1 skipped"),
        "{e}"
    );
    assert_eq!(e.load_report().map(|r| r.problems.len()), Some(1));
    // Allowed, it is assessed against nothing, and says so.
    strict.allow_partial = true;
    let a = strict.assess().expect("allowed");
    assert_eq!(a.knowledge, KnowledgeSummary::default());
    assert_eq!(a.knowledge_reports[0].report.problem_count, 1);
    assert_eq!(a.organisation.findings, 0);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_knowledge_input_that_loses_more_than_the_share_is_refused_unless_allowed() {
    assert_eq!(MAX_SKIPPED_PERCENT, 10);
    let dir = scratch("lossy");
    let at_the_limit = dir.join("one-bad.json");
    std::fs::write(&at_the_limit, ten_records(1)).expect("write");
    let over = dir.join("two-bad.json");
    std::fs::write(&over, ten_records(2)).expect("write");
    let a = inputs(vec![at_the_limit.clone()], FLEET)
        .assess()
        .expect("10 % is allowed");
    assert_eq!(a.knowledge.advisories, 9);
    assert_eq!(a.organisation.findings, 9);
    let mut strict = inputs(vec![at_the_limit, over.clone()], FLEET);
    let e = strict.assess().unwrap_err();
    assert_eq!(
        shortfall(&e),
        (
            "knowledge",
            &*over.display().to_string(),
            Shortfall::Lossy { lost: 2, met: 10 }
        )
    );
    assert!(
        e.to_string()
            .contains("2 of the 10 records and parts met were left out, more than 10 %"),
        "{e}"
    );
    strict.allow_partial = true;
    let a = strict.assess().expect("allowed");
    assert_eq!(a.knowledge.advisories, 9, "the two files share ids");
    assert_eq!(a.knowledge_reports[1].report.records_skipped, 2);
    std::fs::remove_dir_all(dir).ok();
}

/// A file of a directory that cannot be read at all is a part left out whole: it counts in
/// the share as one record would.
#[test]
fn parts_of_a_directory_left_out_count_in_the_share() {
    let dir = scratch("parts");
    for i in 0..8 {
        std::fs::write(dir.join(format!("GHSA-{i}.json")), osv(i, false)).expect("write");
    }
    std::fs::write(dir.join("latin1.json"), b"{\"id\": \"caf\xe9\"}").expect("write");
    let mut kb = KnowledgeBase::new();
    let e = load_knowledge(&mut kb, &dir, false).unwrap_err();
    assert_eq!(shortfall(&e).2, Shortfall::Lossy { lost: 1, met: 9 });
    assert_eq!(e.load_report().map(|r| r.parts_skipped), Some(1));
    assert_eq!(kb.len(), 8, "what loaded stays");
    for i in 8..10 {
        std::fs::write(dir.join(format!("GHSA-{i}.json")), osv(i, false)).expect("write");
    }
    let report = load_knowledge(&mut KnowledgeBase::new(), &dir, false).expect("1 of 11");
    assert_eq!((report.records_loaded, report.parts_skipped), (10, 1));
    assert!(
        report.to_string().ends_with(", 1 parts left out"),
        "{report}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn threat_intelligence_alone_is_knowledge() {
    let dir = scratch("kev");
    let epss = dir.join("epss.csv");
    std::fs::write(&epss, "cve,epss,percentile\nCVE-2021-23337,0.5,0.9\n").expect("write");
    let report = load_knowledge(&mut KnowledgeBase::new(), &epss, false).expect("EPSS only");
    assert_eq!(report.records_loaded, 1);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_inventory_that_yields_no_device_is_refused_unless_allowed_and_lost_entries_are_reported() {
    let mut demo = AssessInputs {
        demo: true,
        ..inputs(Vec::new(), r#"{"devices": []}"#)
    };
    let e = demo.assess().unwrap_err();
    assert_eq!(shortfall(&e), ("inventory", "fleet", Shortfall::Empty));
    demo.allow_partial = true;
    assert_eq!(demo.assess().expect("allowed").devices.len(), 0);

    // Half its devices lost: assessed for the rest, every lost one reported (an inventory
    // that cannot name an entry does not make the others untrue).
    let lossy = r#"{"devices": [{"id": "a", "software": []}, {"id": "b", "value": "urgent"}]}"#;
    let demo = AssessInputs {
        demo: true,
        ..inputs(Vec::new(), lossy)
    };
    let a = demo.assess().expect("assessed for what it gave");
    assert_eq!(a.devices.len(), 1);
    assert_eq!(a.inventory_reports[0].report.records_skipped, 1);
    assert_eq!(
        a.inventory_reports[0].report.problems[0].field,
        "devices[1].value"
    );

    let engine = Engine::demo();
    assert!(matches!(
        engine.assess_text(r#"{"devices": []}"#, "fleet", false),
        Err(Error::InventoryIncomplete { .. })
    ));
    assert_eq!(
        engine
            .assess_text(lossy, "fleet", false)
            .expect("assessed")
            .devices
            .len(),
        1
    );
}

/// An inventory handed over as bytes reads as its text does, gzipped or not; bytes that
/// decompress past the input limit are refused naming the inventory.
#[test]
fn inventory_bytes_read_as_their_text_gzip_undone() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(FLEET.as_bytes()).expect("gzip");
    let gzipped = gz.finish().expect("gzip");
    let assess = |bytes: Vec<u8>, limits: crate::files::Limits| {
        AssessInputs {
            demo: true,
            inventories: vec![InventorySource::Bytes {
                bytes,
                origin: "fleet.json.gz".to_owned(),
            }],
            limits,
            ..AssessInputs::default()
        }
        .assess()
    };
    let text = inputs(Vec::new(), FLEET);
    let text = AssessInputs { demo: true, ..text }.assess().expect("text");
    for bytes in [FLEET.as_bytes().to_vec(), gzipped.clone()] {
        let a = assess(bytes, crate::files::Limits::default()).expect("bytes");
        assert_eq!(a.findings.len(), text.findings.len());
        assert!(!a.findings.is_empty());
        assert_eq!(a.inventory_reports[0].input, "fleet.json.gz");
    }
    let small = crate::files::Limits { input_bytes: 16 };
    let refused = assess(gzipped, small).unwrap_err();
    assert!(
        matches!(&refused, Error::Inventory(crate::inventory::InventoryError::Input { path, .. }) if path.to_str() == Some("fleet.json.gz")),
        "{refused:?}"
    );
}
