//! The store's operations, end to end on a file.

mod common;

use std::time::Instant;

use exposure_store::{
    ActivityStatus, AssessmentQuery, Error, ExceptionStatus, ExceptionUpdate, NewActivity,
    NewException, Store, Timestamp,
};

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("a directory");
    let store = Store::open(dir.path().join("exposure.db")).expect("a store");
    (dir, store)
}

#[test]
fn history_is_per_label_and_since_reads_the_as_of_day() {
    let (_dir, mut store) = store();
    let mut old = common::meta("fleet", 1_764_892_800); // recorded 2025-12-05
    old.as_of = Some("2025-11-01".parse().unwrap());
    let first = store.record_assessment(&old, b"1").unwrap();
    let second = store
        .record_assessment(&common::meta("fleet", 1_764_979_200), b"2")
        .unwrap(); // 2025-12-06
    let lab = store
        .record_assessment(&common::meta("lab", 1_764_979_200), b"3")
        .unwrap();

    let since = |day: &str| AssessmentQuery {
        label: None,
        since: Some(day.parse().unwrap()),
    };
    let ids = |q: &AssessmentQuery| -> Vec<i64> {
        store.assessments(q).unwrap().iter().map(|e| e.id).collect()
    };
    assert_eq!(ids(&AssessmentQuery::default()), [first, second, lab]);
    // The first was recorded on 2025-12-05 but is as of 2025-11-01.
    assert_eq!(ids(&since("2025-12-01")), [second, lab]);
    assert_eq!(ids(&since("2025-10-01")), [first, second, lab]);
    assert_eq!(
        store.previous_assessment(second).unwrap().map(|e| e.id),
        Some(first)
    );
    assert_eq!(store.previous_assessment(lab).unwrap(), None);
    assert!(matches!(
        store.previous_assessment(99),
        Err(Error::NoSuchAssessment(99))
    ));
    assert_eq!(
        store
            .latest_assessment(Some("fleet"))
            .unwrap()
            .map(|e| e.id),
        Some(second)
    );
    assert_eq!(store.latest_assessment(Some("none")).unwrap(), None);
    let empty = store
        .record_assessment(&common::meta("empty", 0), b"")
        .unwrap();
    assert_eq!(store.assessment_payload(empty).unwrap(), Some(vec![]));
    assert_eq!(store.assessment_payload(empty + 1).unwrap(), None);
    let entry = store.assessment(first).unwrap().unwrap();
    assert_eq!(entry.meta, old);
    assert_eq!(entry.payload_len, 1);
}

#[test]
fn a_failed_batch_records_nothing() {
    let (_dir, mut store) = store();
    store
        .record_assessment(&common::meta("fleet", 0), b"kept")
        .unwrap();
    // A trigger (another program's) refuses the second record of the batch.
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER no_lab BEFORE INSERT ON assessments WHEN NEW.label = 'lab'
         BEGIN SELECT RAISE(ABORT, 'no lab'); END;",
    )
    .unwrap();
    let batch = [
        (common::meta("fleet", 1), b"a".to_vec()),
        (common::meta("lab", 2), b"b".to_vec()),
    ];
    assert!(matches!(
        store.record_assessments(batch),
        Err(Error::Sqlite { .. })
    ));
    assert_eq!(
        store
            .assessments(&AssessmentQuery::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn exceptions_live_through_their_statuses() {
    let (_dir, mut store) = store();
    let new = NewException {
        id: "accept-log4j".into(),
        body: r#"{"scope":{"cve":"CVE-2021-44228"},"justification":"alternate_mitigation"}"#.into(),
        created_at: at("2026-12-05T09:00:00Z"),
        expires: Some("2027-01-31".parse().unwrap()),
    };
    let added = store.add_exception(&new).unwrap();
    assert_eq!(added.status, ExceptionStatus::Active);
    assert_eq!(added.body, new.body);
    assert_eq!(added.expires, new.expires);

    let mut again = new.clone();
    again.body = "{}".into();
    assert!(matches!(
        store.add_exception(&again),
        Err(Error::ExceptionExists(_))
    ));
    assert_eq!(
        store.exception("accept-log4j").unwrap().unwrap().body,
        new.body
    );

    let mut bad = new.clone();
    bad.id = "bad".into();
    bad.body = "{not json".into();
    assert!(matches!(
        store.add_exception(&bad),
        Err(Error::InvalidJson {
            field: "exception",
            ..
        })
    ));
    assert_eq!(store.exception("bad").unwrap(), None);

    let update = ExceptionUpdate {
        body: r#"{"scope":{"cve":"CVE-2021-44228"},"justification":"risk_accepted"}"#.into(),
        expires: None,
    };
    let updated = store
        .update_exception("accept-log4j", &update, &at("2026-12-06T09:00:00Z"))
        .unwrap();
    assert_eq!(
        (updated.expires, updated.created_at.clone()),
        (None, new.created_at.clone())
    );
    assert_eq!(updated.updated_at, at("2026-12-06T09:00:00Z"));

    let expired = store
        .expire_exception("accept-log4j", &at("2026-12-07T00:00:00Z"))
        .unwrap();
    assert_eq!(
        (expired.status, expired.revoked_at),
        (ExceptionStatus::Expired, None)
    );
    assert!(matches!(
        store.expire_exception("accept-log4j", &at("2026-12-07T00:00:01Z")),
        Err(Error::ExceptionTransition {
            from: ExceptionStatus::Expired,
            to: ExceptionStatus::Expired,
            ..
        })
    ));
    let revoked = store
        .revoke_exception("accept-log4j", &at("2026-12-08T00:00:00Z"))
        .unwrap();
    assert_eq!(revoked.revoked_at, Some(at("2026-12-08T00:00:00Z")));
    assert!(matches!(
        store.update_exception("accept-log4j", &update, &at("2026-12-09T00:00:00Z")),
        Err(Error::ExceptionRevoked(id)) if id == "accept-log4j"
    ));
    assert!(matches!(
        store.revoke_exception("nope", &at("2026-12-09T00:00:00Z")),
        Err(Error::NoSuchException(id)) if id == "nope"
    ));
    assert_eq!(
        store
            .exceptions(Some(ExceptionStatus::Revoked))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .exceptions(Some(ExceptionStatus::Active))
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn remediation_activities_keep_their_fields_and_status() {
    let (_dir, mut store) = store();
    let new = NewActivity {
        recommendation_id: "update:npm:lodash".into(),
        created_at: at("2026-12-05T09:00:00Z"),
        due: "2026-12-12".parse().unwrap(),
        priority: "high".into(),
        note: Some("web tier first".into()),
        targets: r#"{"groups":["web"],"devices":["web-1"]}"#.into(),
        body: r#"{"recommendation":"update:npm:lodash"}"#.into(),
    };
    let created = store.create_activity(&new).unwrap();
    assert_eq!(
        (
            &created.recommendation_id,
            created.due,
            &created.priority,
            &created.note,
            &created.targets,
            &created.body,
            created.status
        ),
        (
            &new.recommendation_id,
            new.due,
            &new.priority,
            &new.note,
            &new.targets,
            &new.body,
            ActivityStatus::Open
        )
    );
    let mut bad = new.clone();
    bad.targets = "web".into();
    assert!(matches!(
        store.create_activity(&bad),
        Err(Error::InvalidJson {
            field: "targets",
            ..
        })
    ));
    let cancelled = store
        .set_activity_status(
            created.id,
            ActivityStatus::Cancelled,
            &at("2026-12-06T00:00:00Z"),
        )
        .unwrap();
    assert_eq!(cancelled.status, ActivityStatus::Cancelled);
    assert_eq!(store.activity(created.id).unwrap(), Some(cancelled));
    assert_eq!(store.activities(Some(ActivityStatus::Open)).unwrap(), []);
}

#[test]
fn a_value_changed_behind_the_stores_back_is_a_typed_error() {
    let (_dir, mut store) = store();
    let id = store
        .record_assessment(&common::meta("fleet", 0), b"x")
        .unwrap();
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.execute("UPDATE assessments SET recorded_at = 'yesterday'", [])
        .unwrap();
    assert!(matches!(store.assessment(id), Err(Error::BadValue { .. })));
    assert!(matches!(
        store.assessments(&AssessmentQuery::default()),
        Err(Error::BadValue { .. })
    ));
}

#[test]
fn timestamps_are_rfc3339_utc() {
    for good in [
        "2026-12-05T09:00:00Z",
        "2026-12-05t09:00:00z",
        "2026-12-05T09:00:00+00:00",
        "2026-12-05T23:59:60.123456789Z",
    ] {
        assert!(good.parse::<Timestamp>().is_ok(), "{good}");
    }
    for bad in [
        "2026-12-05",
        "2026-12-05 09:00:00Z",
        "2026-02-30T09:00:00Z",
        "2026-12-05T24:00:00Z",
        "2026-12-05T09:00:00",
        "2026-12-05T09:00:00+01:00",
        "2026-12-05T09:00:00.Z",
        "2026-12-05T09:00:00.1234567890Z",
        "2026-12-05T09:0a:00Z",
        "2026-12-05T09:00:00Zjunk",
    ] {
        assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
    }
    assert_eq!(
        Timestamp::from_unix_seconds(-1).as_str(),
        "1969-12-31T23:59:59Z"
    );
}

/// A 50 MB payload (the size of a record of a large fleet) written and read back; the
/// figures go to `store/README.md` (`cargo test --release -p exposure-store --test api
/// large -- --nocapture`).
#[test]
fn a_large_payload_round_trips() {
    let (_dir, mut store) = store();
    let payload = common::payload(5, 50 * 1024 * 1024);
    let start = Instant::now();
    let id = store
        .record_assessment(&common::meta("fleet", 0), &payload)
        .unwrap();
    let written = start.elapsed();
    let start = Instant::now();
    let back = store.assessment_payload(id).unwrap().unwrap();
    let read = start.elapsed();
    assert!(back == payload, "the payload reads back as written");
    let start = Instant::now();
    store.check().unwrap();
    let checked = start.elapsed();
    let size = std::fs::metadata(store.path()).unwrap().len()
        + std::fs::metadata(store.path().with_extension("db-wal")).map_or(0, |m| m.len());
    eprintln!(
        "50 MiB payload: written in {written:?}, read in {read:?}; quick_check of the \
         {size}-byte database and log in {checked:?}"
    );
}

/// The bindings move a store into a Python object or across threads, and errors across
/// threads.
#[test]
fn stores_and_errors_move_between_threads() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync + 'static>() {}
    send::<Store>();
    send_sync::<Error>();
}

proptest::proptest! {
    /// Any text parses as a timestamp or is refused, without a panic; what parses reads
    /// back as itself once normalised.
    #[test]
    fn timestamps_parse_or_are_refused(text in "\\PC{0,40}|[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,10})?([Zz]|\\+00:00|[+-][0-9]{2}:[0-9]{2})?.?") {
        if let Ok(t) = text.parse::<Timestamp>() {
            let again: Timestamp = t.as_str().parse().unwrap();
            proptest::prop_assert_eq!(again, t);
        }
    }
}
