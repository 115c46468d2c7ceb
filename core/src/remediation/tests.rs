//! Activities on the hand-built records of `views::fixture` (d1, d2 with lodash findings;
//! d3 with minimist).

use super::{
    export, progress_over, ActivityOptions, DeviceState, Overview, Priority, RemediationActivity,
    RemediationError, Targets,
};
use crate::history::AssessmentRecord;
use crate::views::fixture::{self, D, F};

/// The small record's devices and software, with `findings`, on `as_of`; `keep_d2` false
/// drops d2 (its findings must not be listed then, and d3 becomes index 1).
fn record(findings: &[F], keep_d2: bool, as_of: &str) -> AssessmentRecord {
    let software = fixture::small().software;
    let advisories = fixture::small().advisories;
    let devices: Vec<D<'_>> = if keep_d2 {
        vec![
            D("d1", &["a"], 1.0, &[0, 3]),
            D("d2", &["a", "b"], 1.0, &[0, 1]),
            D("d3", &["b"], 2.0, &[1, 2]),
        ]
    } else {
        vec![D("d1", &["a"], 1.0, &[0, 3]), D("d3", &["b"], 2.0, &[1, 2])]
    };
    let mut r = fixture::record(&devices, software, advisories, findings);
    r.as_of = as_of.parse().ok();
    r
}

fn lodash_activity(due: &str) -> RemediationActivity {
    RemediationActivity::create(
        &fixture::small(),
        "update:npm:lodash",
        ActivityOptions {
            due: due.parse().ok(),
            priority: Priority::High,
            note: "patch by Friday".to_owned(),
            ..ActivityOptions::new("T-1", "2026-12-01".parse().expect("a day"))
        },
    )
    .expect("created")
}

#[test]
fn create_takes_the_baseline_from_the_record() {
    let a = lodash_activity("2026-12-05");
    assert_eq!(a.title, "update lodash (npm) to 9.9.9");
    assert_eq!(a.devices, ["d1", "d2"]);
    let baseline: Vec<(&str, &str, &str)> = a
        .baseline
        .iter()
        .map(|b| (b.device.as_str(), b.advisory.as_str(), b.product.as_str()))
        .collect();
    assert_eq!(
        baseline,
        [
            ("d1", "A1", "lodash"),
            ("d1", "A2", "lodash"),
            ("d2", "A1", "lodash")
        ]
    );
    // Targets by group: d2 only.
    let b = RemediationActivity::create(
        &fixture::small(),
        "update:npm:lodash",
        ActivityOptions {
            targets: Targets {
                groups: vec!["b".to_owned()],
                ..Targets::default()
            },
            ..ActivityOptions::new("T-2", "2026-12-01".parse().expect("a day"))
        },
    )
    .expect("created");
    assert_eq!((b.devices.len(), b.baseline.len()), (1, 1));
}

#[test]
fn create_refuses_bad_requests() {
    let record = fixture::small();
    let day = "2026-12-01".parse().expect("a day");
    let e =
        RemediationActivity::create(&record, "update:npm:lodahs", ActivityOptions::new("x", day))
            .expect_err("unknown");
    match &e {
        RemediationError::UnknownRecommendation { near, .. } => {
            assert_eq!(near.first().map(String::as_str), Some("update:npm:lodash"));
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("nearest: update:npm:lodash"), "{e}");
    assert_eq!(
        RemediationActivity::create(&record, "update:npm:lodash", ActivityOptions::new(" ", day)),
        Err(RemediationError::EmptyId)
    );
    let early = ActivityOptions {
        due: "2026-11-30".parse().ok(),
        ..ActivityOptions::new("x", day)
    };
    assert!(matches!(
        RemediationActivity::create(&record, "update:npm:lodash", early),
        Err(RemediationError::DueBeforeCreation { .. })
    ));
    for targets in [
        Targets {
            devices: vec!["d3".to_owned()],
            groups: vec![],
        },
        Targets {
            devices: vec![],
            groups: vec!["z".to_owned()],
        },
    ] {
        let options = ActivityOptions {
            targets,
            ..ActivityOptions::new("x", day)
        };
        assert!(matches!(
            RemediationActivity::create(&record, "update:npm:lodash", options),
            Err(RemediationError::NoTargetedDevice { covered: 2, .. })
        ));
    }
}

#[test]
fn progress_done_remaining_overdue_regressed_gone() {
    use DeviceState::{Done, Gone, Open, Regressed};
    let a = lodash_activity("2026-12-05");
    let minimist = [F(1, 1, 2, 0.4, true), F(2, 1, 2, 0.4, true)];
    // r0: as created. r1: d1 fixed. r2 (past due): d1's lodash back, d2 fixed.
    // r3: d1 fixed again, d2 gone.
    let r0 = fixture::small();
    let r1 = record(
        &[F(1, 0, 0, 0.5, true), minimist[0], minimist[1]],
        true,
        "2026-12-03",
    );
    let r2 = record(
        &[F(0, 0, 1, 0.2, true), minimist[0], minimist[1]],
        true,
        "2026-12-10",
    );
    let r3 = record(&[F(1, 1, 2, 0.4, true)], false, "2026-12-11");
    let series = progress_over(&a, &[r0, r1, r2, r3]);
    let states: Vec<Vec<DeviceState>> = series
        .points
        .iter()
        .map(|p| p.devices.iter().map(|d| d.state).collect())
        .collect();
    assert_eq!(
        states,
        [
            vec![Open, Open],
            vec![Done, Open],
            vec![Regressed, Done],
            vec![Done, Gone]
        ]
    );
    let figures: Vec<(usize, usize, usize, bool, bool)> = series
        .points
        .iter()
        .map(|p| {
            (
                p.done,
                p.remaining,
                p.findings_remaining,
                p.overdue,
                p.completed,
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            (0, 2, 3, false, false),
            (1, 1, 1, false, false),
            (1, 1, 1, true, false),
            (1, 0, 0, false, true)
        ]
    );
    assert!(series.points[2].devices[0].overdue && !series.points[2].devices[1].overdue);
    assert_eq!(series.regressions.len(), 1);
    assert_eq!(
        (
            series.regressions[0].device.as_str(),
            series.regressions[0].done_at,
            series.regressions[0].reopened_at
        ),
        ("d1", 1, 2)
    );
    // Alone, r2 knows nothing of r1: d1 is open, not regressed.
    let alone = a.progress(&series_record_2());
    assert_eq!(alone.devices[0].state, Open);
    // Overall, on each activity's latest progress.
    let o = Overview::of(&[series.points[2].clone(), series.points[3].clone()]);
    assert_eq!(
        (
            o.activities,
            o.open,
            o.completed,
            o.overdue,
            o.devices_done,
            o.devices_remaining,
            o.devices_regressed,
            o.devices_gone
        ),
        (2, 1, 1, 1, 2, 1, 1, 1)
    );
    // Export: a row per activity, a row per (activity, device).
    let csv = export::to_csv(&export::activity_rows(&series.points[2..3])).expect("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("activity,recommendation,title,priority,due,as_of,devices,done,remaining,regressed,gone,findings_remaining,completed,overdue")
    );
    assert_eq!(
        lines.next(),
        Some("T-1,update:npm:lodash,update lodash (npm) to 9.9.9,high,2026-12-05,2026-12-10,2,1,1,1,0,1,false,true")
    );
    let devices = export::device_rows(&series.points[2..3]);
    let csv = export::to_csv(&devices).expect("csv");
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "activity,recommendation,device,state,baseline,remaining,overdue",
            "T-1,update:npm:lodash,d1,regressed,2,1,true",
            "T-1,update:npm:lodash,d2,done,1,0,false"
        ]
    );
    let json = export::to_json(&devices).expect("json");
    assert!(json.starts_with(r#"[{"activity":"T-1","recommendation":"update:npm:lodash","device":"d1","state":"regressed""#), "{json}");
}

fn series_record_2() -> AssessmentRecord {
    record(
        &[
            F(0, 0, 1, 0.2, true),
            F(1, 1, 2, 0.4, true),
            F(2, 1, 2, 0.4, true),
        ],
        true,
        "2026-12-10",
    )
}

#[test]
fn activities_round_trip_as_json() {
    let a = lodash_activity("2026-12-05");
    let json = serde_json::to_string(&a).expect("json");
    assert_eq!(
        serde_json::from_str::<RemediationActivity>(&json).expect("back"),
        a
    );
    assert!(json.contains(r#""priority":"high""#), "{json}");
}

/// A series of records of the small fleet, each keeping a random subset of the six findings
/// and sometimes losing d2.
fn series() -> impl proptest::strategy::Strategy<Value = Vec<AssessmentRecord>> {
    use proptest::prelude::*;
    prop::collection::vec(
        (prop::collection::vec(any::<bool>(), 6), any::<bool>()),
        1..6,
    )
    .prop_map(|points| {
        let all = [
            F(0, 0, 0, 0.5, true),
            F(0, 0, 1, 0.2, true),
            F(1, 0, 0, 0.5, true),
            F(1, 1, 2, 0.4, true),
            F(2, 1, 2, 0.4, true),
            F(2, 1, 3, 0.3, false),
        ];
        points
            .into_iter()
            .enumerate()
            .map(|(i, (keep, drop_d2))| {
                let kept: Vec<F> = all
                    .iter()
                    .zip(&keep)
                    .filter(|(f, &k)| k && !(drop_d2 && f.0 == 1))
                    .map(|(f, _)| {
                        let mut f = *f;
                        if drop_d2 && f.0 == 2 {
                            f.0 = 1;
                        }
                        f
                    })
                    .collect();
                record(&kept, !drop_d2, &format!("2026-12-{:02}", i + 2))
            })
            .collect()
    })
}

proptest::proptest! {
    #[test]
    fn progress_counts_and_regressions_agree(records in series()) {
        let a = lodash_activity("2026-12-04");
        let s = progress_over(&a, &records);
        proptest::prop_assert_eq!(s.points.len(), records.len());
        // Each device's walk, replayed: regressed exactly when open after an earlier done,
        // reported once each time it reopens.
        let mut ever_done = [false, false];
        let mut before: [Option<DeviceState>; 2] = [None, None];
        let mut reopenings = 0;
        for (p, r) in s.points.iter().zip(&records) {
            proptest::prop_assert_eq!(p.done + p.remaining + p.gone, 2);
            proptest::prop_assert_eq!(p.completed, p.remaining == 0 && p.done > 0);
            proptest::prop_assert_eq!(p.overdue, !p.completed && r.as_of > a.due);
            for (i, d) in p.devices.iter().enumerate() {
                let present = r.devices.iter().any(|x| x.id == d.device);
                let left = r
                    .findings
                    .iter()
                    .filter(|f| {
                        let b = super::identity(r, f);
                        b.device == d.device && a.baseline.contains(&b)
                    })
                    .map(|f| r.advisory_of(f).id.clone())
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                let expected = if !present {
                    DeviceState::Gone
                } else if left == 0 {
                    DeviceState::Done
                } else if ever_done[i] {
                    DeviceState::Regressed
                } else {
                    DeviceState::Open
                };
                proptest::prop_assert_eq!(d.state, expected);
                if expected == DeviceState::Regressed && before[i] != Some(DeviceState::Regressed) {
                    reopenings += 1;
                }
                ever_done[i] |= expected == DeviceState::Done;
                before[i] = Some(expected);
            }
        }
        proptest::prop_assert_eq!(s.regressions.len(), reopenings);
    }
}
