//! Opening and migrating with schemas of several steps.

use super::MIGRATIONS;
use crate::{Error, Store};

fn steps_plus(extra: &'static str) -> Vec<&'static str> {
    let mut steps = MIGRATIONS.to_vec();
    steps.push(extra);
    steps
}

#[test]
fn an_older_database_is_migrated_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut store = Store::open_with(&path, MIGRATIONS).unwrap();
    store.set_meta("kept", "yes").unwrap();
    drop(store);

    let steps = steps_plus("CREATE TABLE tags (name TEXT PRIMARY KEY) STRICT;");
    let store = Store::open_with(&path, &steps).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    assert_eq!(store.meta("kept").unwrap().as_deref(), Some("yes"));
    let tags: i64 = store
        .conn
        .query_row("SELECT count(*) FROM tags", [], |row| row.get(0))
        .unwrap();
    assert_eq!(tags, 0);
}

#[test]
fn a_failing_step_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    drop(Store::open_with(&path, MIGRATIONS).unwrap());

    let steps = steps_plus("CREATE TABLE half (x INTEGER); SELECT no_such_column FROM meta;");
    match Store::open_with(&path, &steps) {
        Err(Error::Migration { step: 2, .. }) => {}
        other => panic!("expected a failed step 2, got {other:?}"),
    }
    let store = Store::open_with(&path, MIGRATIONS).unwrap();
    assert_eq!(store.schema_version().unwrap(), 1);
    let half: bool = store
        .conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'half')",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(!half, "the failed step's first statement was rolled back");
}

#[test]
fn a_newer_database_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let steps = steps_plus("CREATE TABLE later (x INTEGER) STRICT;");
    drop(Store::open_with(&path, &steps).unwrap());
    let before = std::fs::read(&path).unwrap();
    match Store::open_with(&path, MIGRATIONS) {
        Err(Error::NewerSchema {
            found: 2,
            supported: 1,
            ..
        }) => {}
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_fresh_database_has_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("a.db")).unwrap();
    let pragma = |name: &str| -> String {
        store
            .conn
            .query_row(&format!("PRAGMA {name}"), [], |row| {
                row.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| format!("{v:?}"))
            .unwrap()
    };
    assert_eq!(pragma("journal_mode"), r#"Text("wal")"#);
    assert_eq!(pragma("synchronous"), "Integer(2)"); // FULL
    assert_eq!(pragma("foreign_keys"), "Integer(1)");
    assert_eq!(pragma("busy_timeout"), "Integer(5000)");
    assert_eq!(
        pragma("application_id"),
        format!("Integer({})", super::APPLICATION_ID)
    );
}
