//! Two processes at once, and a process killed in the middle of a write.
//!
//! The children are this test binary itself, started again to run the ignored `child` test
//! with a role in the environment.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use exposure_store::{AssessmentQuery, Store};

const ROLE: &str = "EXPOSURE_STORE_TEST_ROLE";
const DB: &str = "EXPOSURE_STORE_TEST_DB";
const LABEL: &str = "EXPOSURE_STORE_TEST_LABEL";
const MARKER: &str = "EXPOSURE_STORE_TEST_MARKER";
const COUNT: &str = "EXPOSURE_STORE_TEST_COUNT";
const SLOW: &str = "EXPOSURE_STORE_TEST_SLOW";

const WRITES: u64 = 40;
const WRITE_LEN: usize = 16 * 1024;

fn seed(label: &str, i: u64) -> u64 {
    label
        .bytes()
        .fold(i, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
}

/// What a child process does, by its role; nothing when run as a plain test.
#[test]
#[ignore = "run by the tests below as a child process"]
fn child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let db = PathBuf::from(std::env::var(DB).expect("the database path"));
    let label = std::env::var(LABEL).expect("a label");
    match role.as_str() {
        "writer" => write_many(&db, &label, WRITES),
        "opener" => write_many(&db, &label, 1),
        "crasher" => {
            let marker = PathBuf::from(std::env::var(MARKER).expect("a marker path"));
            let count: u64 = std::env::var(COUNT)
                .expect("a count")
                .parse()
                .expect("a number");
            crash_in_transaction(&db, &label, &marker, count);
        }
        other => panic!("unknown role {other}"),
    }
}

/// `count` assessments, one transaction each.
fn write_many(db: &Path, label: &str, count: u64) {
    let mut store = Store::open(db).expect("the store opens");
    for i in 0..count {
        let seconds = 1_764_892_800 + i64::try_from(i).expect("small");
        store
            .record_assessment(
                &common::meta(label, seconds),
                &common::payload(seed(label, i), WRITE_LEN),
            )
            .expect("every write lands");
    }
}

/// One transaction of `count` assessments; the marker file appears when a fifth of them
/// are inserted, for the parent to kill this process then (with SLOW set, the rest of the
/// inserts take 10 ms each).
fn crash_in_transaction(db: &Path, label: &str, marker: &Path, count: u64) {
    let slow = std::env::var_os(SLOW).is_some();
    let mut store = Store::open(db).expect("the store opens");
    let records = (0..count).map(|i| {
        if i == count / 5 {
            std::fs::write(marker, b"inside").expect("the marker");
        }
        if slow && i > count / 5 {
            // The rest of the transaction outlasts any wait for the kill.
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let meta = common::meta(label, 1_764_892_800 + i64::try_from(i).expect("small"));
        (meta, common::payload(seed(label, i), 4096))
    });
    store
        .record_assessments(records)
        .expect("not killed in time");
}

fn spawn(role: &str, db: &Path, label: &str, extra: &[(&str, String)]) -> Child {
    let exe = std::env::current_exe().expect("the test binary");
    let mut command = Command::new(exe);
    command
        .args([
            "child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            "--quiet",
        ])
        .env(ROLE, role)
        .env(DB, db)
        .env(LABEL, label)
        .stdout(Stdio::null());
    for (key, value) in extra {
        command.env(key, value);
    }
    command.spawn().expect("a child process")
}

fn labels_and_ids(store: &Store) -> Vec<(String, i64)> {
    store
        .assessments(&AssessmentQuery::default())
        .expect("listed")
        .into_iter()
        .map(|e| (e.meta.label, e.id))
        .collect()
}

#[test]
fn two_processes_and_a_thread_write_at_once_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    // Not created beforehand: the processes race to create and migrate it too.
    let db = dir.path().join("shared.db");
    let children: Vec<Child> = ["child-a", "child-b"]
        .iter()
        .map(|label| spawn("writer", &db, label, &[]))
        .collect();
    let here = {
        let db = db.clone();
        std::thread::spawn(move || write_many(&db, "parent", WRITES))
    };
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a writer failed");
    }
    here.join().unwrap();

    let store = Store::open(&db).unwrap();
    let rows = labels_and_ids(&store);
    let ids: BTreeSet<i64> = rows.iter().map(|(_, id)| *id).collect();
    assert_eq!(rows.len(), 3 * usize::try_from(WRITES).unwrap());
    assert_eq!(ids.len(), rows.len(), "ids are unique");
    for label in ["child-a", "child-b", "parent"] {
        let query = AssessmentQuery {
            label: Some(label.to_owned()),
            since: None,
        };
        let entries = store.assessments(&query).unwrap();
        assert_eq!(entries.len(), usize::try_from(WRITES).unwrap(), "{label}");
        for (i, entry) in (0..).zip(&entries) {
            let payload = store.assessment_payload(entry.id).unwrap().unwrap();
            assert_eq!(
                payload,
                common::payload(seed(label, i), WRITE_LEN),
                "{label} #{i}"
            );
        }
    }
    store.check().unwrap();
}

#[test]
fn processes_that_create_the_same_new_file_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..5 {
        let db = dir.path().join(format!("new-{round}.db"));
        let children: Vec<Child> = (0..4)
            .map(|i| spawn("opener", &db, &format!("opener-{i}"), &[]))
            .collect();
        for mut child in children {
            assert!(
                child.wait().unwrap().success(),
                "round {round}: an opener failed"
            );
        }
        let store = Store::open(&db).unwrap();
        assert_eq!(labels_and_ids(&store).len(), 4, "round {round}");
    }
}

/// Kills a crasher once it is `after` into its transaction (or at its marker when `None`)
/// and checks the transaction left all or nothing. Returns whether it had committed.
fn kill_and_check(db: &Path, round: u32, count: u64, after: Option<Duration>) -> bool {
    let label = format!("crash-{round}");
    let marker = db.with_extension(format!("marker-{round}"));
    let before = labels_and_ids(&Store::open(db).expect("a step of the check"));
    let mut env = vec![
        (MARKER, marker.display().to_string()),
        (COUNT, count.to_string()),
    ];
    if after.is_none() {
        // Killed at the marker: the child slows down there, so that the kill lands inside
        // the transaction however loaded the machine is.
        env.push((SLOW, String::new()));
    }
    let mut child = spawn("crasher", db, &label, &env);
    if let Some(delay) = after {
        std::thread::sleep(delay);
    } else {
        let start = Instant::now();
        while !marker.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the child never started"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    // SIGKILL on Unix: no destructor, no rollback by the child.
    child.kill().expect("the child is killed");
    let status = child.wait().expect("a step of the check");

    let store = Store::open(db).expect("the database opens after the crash");
    store.check().expect("and is whole");
    let after_rows = labels_and_ids(&store);
    let added: Vec<&(String, i64)> = after_rows.iter().filter(|r| !before.contains(r)).collect();
    assert_eq!(
        &after_rows[..before.len()],
        &before[..],
        "earlier rows are kept"
    );
    assert!(
        added.is_empty() || added.len() == usize::try_from(count).expect("a step of the check"),
        "round {round}: {} of {count} rows of one transaction landed",
        added.len()
    );
    if after.is_none() {
        assert!(
            added.is_empty(),
            "killed inside the transaction, yet it landed"
        );
        assert!(!status.success());
    }
    for (i, (_, id)) in (0..).zip(&added) {
        let payload = store
            .assessment_payload(*id)
            .expect("a step of the check")
            .expect("a step of the check");
        assert_eq!(payload, common::payload(seed(&label, i), 4096));
    }
    !added.is_empty()
}

#[test]
fn a_process_killed_mid_transaction_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    {
        let mut store = Store::open(&db).unwrap();
        for i in 0..3_u64 {
            let seconds = i64::try_from(i).unwrap();
            store
                .record_assessment(&common::meta("before", seconds), &common::payload(i, 100))
                .unwrap();
        }
    }
    // Killed for certain inside the transaction (after a fifth of 20,000 inserts).
    assert!(!kill_and_check(&db, 0, 20_000, None));
    // Killed at times around the commit of a shorter transaction: each is all or nothing.
    let mut committed = 0;
    for (round, ms) in (1..).zip([0_u64, 2, 5, 10, 20, 40, 80, 160, 320, 640]) {
        committed += u32::from(kill_and_check(
            &db,
            round,
            300,
            Some(Duration::from_millis(ms)),
        ));
    }
    eprintln!("killed 10 transactions of 300 inserts at 0-640 ms: {committed} had committed");
}
