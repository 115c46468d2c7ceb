//! The Arrow route against the fleet-document route: the same inventory, as a fleet document
//! and as a record batch, gives the same findings and device scores (the demo fleet, and a
//! generated one).

// The helpers building both inventories panic on a broken fixture: that is the failure report.
#![allow(clippy::unwrap_used)]

use exposure::arrow::arrow_array::builder::{ListBuilder, StringBuilder};
use exposure::arrow::arrow_array::{ArrayRef, RecordBatch, StringArray};
use exposure::arrow::{AssessedBatch, BatchError};
use exposure::engine::AssessOptions;
use exposure::inventory::{load_text, LoadOptions};
use exposure::Engine;
use serde_json::{json, Value};
use std::sync::Arc;

/// One row of an inventory: a device's item (or a device without one).
#[derive(Debug, Clone, Default)]
struct Row {
    device: String,
    groups: Option<Vec<String>>,
    value: Option<String>,
    /// `ecosystem`, `name`, `version`, `purl`, `cpe`.
    item: [Option<String>; 5],
}

const ITEM: [&str; 5] = ["ecosystem", "name", "version", "purl", "cpe"];

/// The rows as a fleet document: devices in order of first appearance, each device's groups
/// and value from the rows that state them.
fn document(rows: &[Row]) -> String {
    let mut devices: Vec<(String, serde_json::Map<String, Value>)> = Vec::new();
    for row in rows {
        let at = devices.iter().position(|(id, _)| *id == row.device);
        let at = at.unwrap_or_else(|| {
            let mut device = serde_json::Map::new();
            device.insert("id".into(), json!(row.device));
            device.insert("software".into(), json!([]));
            devices.push((row.device.clone(), device));
            devices.len() - 1
        });
        let device = &mut devices[at].1;
        if let Some(groups) = &row.groups {
            device.insert("groups".into(), json!(groups));
        }
        if let Some(value) = &row.value {
            device.insert("value".into(), json!(value));
        }
        let item: serde_json::Map<String, Value> = ITEM
            .iter()
            .zip(&row.item)
            .filter_map(|(k, v)| Some(((*k).to_owned(), json!(v.as_ref()?))))
            .collect();
        if !item.is_empty() {
            device["software"]
                .as_array_mut()
                .unwrap()
                .push(Value::Object(item));
        }
    }
    let devices: Vec<Value> = devices.into_iter().map(|(_, d)| Value::Object(d)).collect();
    json!({ "devices": devices }).to_string()
}

/// The rows as an inventory batch.
fn batch(rows: &[Row]) -> RecordBatch {
    let texts = |f: &dyn Fn(&Row) -> Option<&str>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let mut groups = ListBuilder::new(StringBuilder::new());
    for row in rows {
        match &row.groups {
            Some(g) => groups.append_value(g.iter().map(Some)),
            None => groups.append_null(),
        }
    }
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("device_id", texts(&|r| Some(r.device.as_str()))),
        ("groups", Arc::new(groups.finish())),
        ("value", texts(&|r| r.value.as_deref())),
    ];
    for (i, name) in ITEM.iter().enumerate() {
        columns.push((name, texts(&|r| r.item[i].as_deref())));
    }
    RecordBatch::try_from_iter(columns).unwrap()
}

/// The demo fleet's devices as rows: what the inventory columns hold (id, groups, value and
/// the items; a device's context fields are not inventory columns).
fn demo_rows() -> Vec<Row> {
    let fleet: Value = serde_json::from_str(exposure::demo::FLEET_JSON).unwrap();
    let mut rows = Vec::new();
    for device in fleet["devices"].as_array().unwrap() {
        let id = device["id"].as_str().unwrap().to_owned();
        let groups: Option<Vec<String>> = serde_json::from_value(device["groups"].clone()).ok();
        let value = device["value"].as_str().map(str::to_owned);
        let software = device["software"].as_array().cloned().unwrap_or_default();
        let first = rows.len();
        for item in &software {
            let item = ITEM.map(|k| item[k].as_str().map(str::to_owned));
            rows.push(Row {
                device: id.clone(),
                groups: None,
                value: None,
                item,
            });
        }
        if software.is_empty() {
            rows.push(Row {
                device: id.clone(),
                ..Row::default()
            });
        }
        // The device's fields on its first row only: the others leave them null.
        rows[first].groups = groups;
        rows[first].value = value;
    }
    assert!(rows.len() > 5);
    rows
}

/// A generated fleet of `devices` devices: items drawn (seeded) from purls, ecosystem-name-
/// version triples and CPE names, devices rows interleaved, some devices without software.
fn generated_rows(devices: usize, items: usize) -> Vec<Row> {
    let purls = [
        "pkg:npm/lodash@4.17.20",
        "pkg:npm/lodash@4.17.21",
        "pkg:npm/minimist@1.2.5",
        "pkg:pypi/requests@2.19.0",
        "pkg:pypi/jinja2@2.10",
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        "pkg:golang/golang.org/x/net@v0.0.0-20210405180319-a5a99cb37ef4",
        "pkg:cargo/smallvec@1.6.0",
    ];
    let triples = [
        ("PyPI", "django", "3.2.1"),
        ("npm", "express", "4.17.1"),
        ("RubyGems", "rack", "2.2.3"),
    ];
    let cpes = [
        "cpe:2.3:a:mozilla:firefox:121.0:*:*:*:*:*:*:*",
        "cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % n
    };
    let mut rows = Vec::new();
    for d in 0..devices {
        let device = format!("host-{d:05}");
        let groups = Some(vec![
            ["web", "db", "desk"][d % 3].to_owned(),
            format!("site-{}", d % 7),
        ]);
        let value = Some(["low", "normal", "high"][next(3)].to_owned());
        if d % 11 == 0 {
            rows.push(Row {
                device,
                groups,
                value,
                ..Row::default()
            });
            continue;
        }
        for i in 0..items {
            let item = match next(3) {
                0 => [
                    None,
                    None,
                    None,
                    Some(purls[next(purls.len())].to_owned()),
                    None,
                ],
                1 => {
                    let (e, n, v) = triples[next(triples.len())];
                    [
                        Some(e.to_owned()),
                        Some(n.to_owned()),
                        Some(v.to_owned()),
                        None,
                        None,
                    ]
                }
                _ => [
                    None,
                    None,
                    None,
                    None,
                    Some(cpes[next(cpes.len())].to_owned()),
                ],
            };
            let first = i == 0;
            rows.push(Row {
                device: device.clone(),
                groups: groups.clone().filter(|_| first),
                value: value.clone().filter(|_| first),
                item,
            });
        }
    }
    // Interleave devices: a device's rows need not be together.
    let half = rows.len() / 2;
    let (a, b) = rows.split_at(half);
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| [x.clone(), y.clone()])
        .chain(b[a.len()..].iter().cloned())
        .collect()
}

/// Both routes on `rows`: equal findings, device scores and batches.
fn both_routes_agree(rows: &[Row]) -> AssessedBatch {
    let engine = Engine::demo();
    let options = AssessOptions {
        as_of: Some("2026-12-04".parse().unwrap()),
        exceptions: None,
    };
    let loaded = load_text(&document(rows), "rows", &LoadOptions::default()).unwrap();
    assert!(
        loaded.report.problems.is_empty(),
        "{:?}",
        loaded.report.problems
    );
    let by_document = engine.assess_with(&loaded.fleet, &options, &|_, _| {});
    let by_batch = engine.assess_batch_with(&batch(rows), &options).unwrap();
    let json = |v: &dyn erased::Ser| v.value();
    assert_eq!(
        json(&by_batch.assessment.finding_rows()),
        json(&by_document.finding_rows())
    );
    assert_eq!(
        json(&by_batch.assessment.devices),
        json(&by_document.devices)
    );
    assert_eq!(by_batch.assessment.organisation, by_document.organisation);
    let expected = AssessedBatch::of(by_document).unwrap();
    assert_eq!(by_batch.findings, expected.findings);
    assert_eq!(by_batch.devices, expected.devices);
    by_batch
}

mod erased {
    pub(crate) trait Ser {
        fn value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn value(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap()
        }
    }
}

#[test]
fn the_demo_fleet_by_both_routes() {
    let assessed = both_routes_agree(&demo_rows());
    assert_eq!(assessed.devices.num_rows(), 5);
    assert!(
        assessed.findings.num_rows() >= 10,
        "{}",
        assessed.findings.num_rows()
    );
}

#[test]
fn a_generated_fleet_by_both_routes() {
    let rows = generated_rows(120, 12);
    let assessed = both_routes_agree(&rows);
    assert_eq!(assessed.devices.num_rows(), 120);
    assert!(
        assessed.findings.num_rows() > 200,
        "{}",
        assessed.findings.num_rows()
    );
}

#[test]
fn a_bad_row_fails_the_whole_batch() {
    let mut rows = demo_rows();
    rows[3].item[3] = Some("pkg:npm/lodash".into());
    rows[3].item[..3].fill(None);
    rows[3].item[4] = None;
    let e = Engine::demo().assess_batch(&batch(&rows)).unwrap_err();
    assert!(
        matches!(
            e,
            BatchError::Invalid {
                column: "purl",
                row: 3,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().starts_with("row 3: column \"purl\": "), "{e}");
}

/// A figure, not a check: `cargo test --release -p exposure --features arrow --test arrow_batches -- --ignored --nocapture`.
#[test]
#[ignore = "a timing figure"]
fn timing_figure() {
    let rows = generated_rows(2_000, 50);
    let (text, batch) = (document(&rows), batch(&rows));
    let engine = Engine::demo();
    let time = |f: &dyn Fn()| {
        let start = std::time::Instant::now();
        f();
        start.elapsed().as_secs_f64() * 1e3
    };
    let read_document = time(&|| drop(load_text(&text, "rows", &LoadOptions::default()).unwrap()));
    let read_batch = time(&|| drop(exposure::arrow::fleet_of_batch(&batch).unwrap()));
    let fleet = exposure::arrow::fleet_of_batch(&batch).unwrap();
    let assess = time(&|| drop(engine.assess(&fleet)));
    let a = engine.assess(&fleet);
    let rows = a.finding_rows();
    let out = time(&|| {
        let schema = &exposure::assessment::FindingRow::SCHEMA;
        drop(exposure::arrow::rows_to_batch(&rows, schema, "findings").unwrap());
    });
    eprintln!(
        "{} rows, {} devices, {} findings: read fleet document {read_document:.1} ms, read batch {read_batch:.1} ms, assess {assess:.1} ms, findings to a batch {out:.1} ms",
        batch.num_rows(),
        fleet.devices.len(),
        a.findings.len()
    );
}
