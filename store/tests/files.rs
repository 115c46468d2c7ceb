//! Files that are not healthy exposure stores: typed errors, never a panic, never a write.

mod common;

use std::path::Path;

use exposure_store::{AssessmentQuery, Error, Store};

fn store_with_history(path: &Path, n: u64, len: usize) {
    let mut store = Store::open(path).expect("a new store");
    for i in 0..n {
        let seconds = 1_764_892_800 + i64::try_from(i).expect("small") * 86_400;
        store
            .record_assessment(&common::meta("fleet", seconds), &common::payload(i, len))
            .expect("recorded");
    }
}

/// Opens `path` expecting an error, and checks the file's bytes did not change.
fn refused(path: &Path) -> Error {
    let before = std::fs::read(path).expect("readable");
    let error = Store::open(path).expect_err("the file is refused");
    assert_eq!(
        std::fs::read(path).expect("readable"),
        before,
        "the file was changed"
    );
    error
}

#[test]
fn random_bytes_are_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.db");
    std::fs::write(&path, common::payload(7, 8192)).unwrap();
    assert!(matches!(refused(&path), Error::NotADatabase { .. }));
    assert!(!dir.path().join("random.db-wal").exists());
}

#[test]
fn sqlite_magic_then_garbage_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(common::payload(3, 8192));
    std::fs::write(&path, bytes).unwrap();
    let error = refused(&path);
    assert!(
        matches!(error, Error::Corrupt { .. } | Error::NotADatabase { .. }),
        "{error:?}"
    );
}

#[test]
fn a_header_cut_short_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    store_with_history(&path, 1, 10);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..60]).unwrap();
    assert!(matches!(refused(&path), Error::Corrupt { .. }));
}

#[test]
fn a_truncated_database_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    store_with_history(&path, 20, 64 * 1024);
    let bytes = std::fs::read(&path).unwrap();
    for cut in [bytes.len() / 2, 4096 * 3, bytes.len() - 4096] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let error = refused(&path);
        assert!(
            matches!(error, Error::Corrupt { .. }),
            "cut at {cut}: {error:?}"
        );
        assert!(error.to_string().contains("truncated"), "{error}");
    }
}

#[test]
fn damaged_pages_give_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    store_with_history(&path, 20, 64 * 1024);
    let mut bytes = std::fs::read(&path).unwrap();
    // Pages 2 to 5 (the tables' roots and first rows) overwritten with noise.
    bytes[4096..5 * 4096].copy_from_slice(&common::payload(11, 4 * 4096));
    std::fs::write(&path, &bytes).unwrap();
    let store = match Store::open(&path) {
        Ok(store) => store,
        Err(Error::Corrupt { .. }) => return,
        Err(other) => panic!("expected Corrupt, got {other:?}"),
    };
    // Whatever reads fail, they fail as errors; the full check names the damage.
    let _ = store.assessments(&AssessmentQuery::default());
    let _ = store.assessment_payload(1);
    assert!(matches!(store.check(), Err(Error::Corrupt { .. })));
}

#[test]
fn another_applications_database_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('a');")
        .unwrap();
    drop(conn);
    assert!(matches!(refused(&path), Error::NotAStore { .. }));
}

#[test]
fn a_newer_schema_is_refused_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    store_with_history(&path, 3, 1000);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    match refused(&path) {
        Error::NewerSchema {
            found: 99,
            supported,
            ..
        } => assert_eq!(supported, exposure_store::SCHEMA_VERSION),
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn an_empty_file_becomes_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        exposure_store::SCHEMA_VERSION
    );
}

#[test]
fn a_missing_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = Store::open(dir.path().join("no/such/dir/a.db")).unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
}

/// Opens `path` read-only expecting an error, and checks the file's bytes did not change.
fn refused_read_only(path: &Path) -> Error {
    let before = std::fs::read(path).expect("readable");
    let error = Store::open_read_only(path).expect_err("the file is refused");
    assert_eq!(
        std::fs::read(path).expect("readable"),
        before,
        "the file was changed"
    );
    error
}

#[test]
fn read_only_opens_refuse_what_writable_opens_refuse_and_older_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let random = dir.path().join("random.db");
    std::fs::write(&random, common::payload(7, 8192)).unwrap();
    assert!(matches!(
        refused_read_only(&random),
        Error::NotADatabase { .. }
    ));

    let newer = dir.path().join("newer.db");
    store_with_history(&newer, 1, 10);
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    assert!(matches!(
        refused_read_only(&newer),
        Error::NewerSchema { found: 99, .. }
    ));

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        refused_read_only(&empty),
        Error::OlderSchema { found: 0, .. }
    ));

    let truncated = dir.path().join("truncated.db");
    store_with_history(&truncated, 20, 64 * 1024);
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert!(matches!(
        refused_read_only(&truncated),
        Error::Corrupt { .. }
    ));
}

#[test]
fn a_reader_sees_a_writers_commits_and_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    store_with_history(&path, 2, 100);
    let mut writer = Store::open(&path).unwrap();
    let mut reader = Store::open_read_only(&path).unwrap();
    let count = |store: &Store| {
        store
            .assessments(&AssessmentQuery::default())
            .unwrap()
            .len()
    };
    assert_eq!(count(&reader), 2);
    let id = writer
        .record_assessment(&common::meta("fleet", 0), &common::payload(9, 5000))
        .unwrap();
    assert_eq!(count(&reader), 3);
    assert_eq!(
        reader.assessment_payload(id).unwrap(),
        Some(common::payload(9, 5000))
    );
    assert!(matches!(
        reader.record_assessment(&common::meta("fleet", 0), b"x"),
        Err(Error::ReadOnly { .. })
    ));
    assert_eq!(count(&writer), 3);
}
