//! A streamed assessment gives the in-memory one: generated fleets (devices drawn from the
//! demo fleet's software, values, groups, internet exposure, repeated ids) assessed whole and
//! streamed in chunks of several sizes — the same finding rows in the same order, the same
//! device rows, the same renamed devices, and the organisation and group exposure equal up
//! to the order of floating-point additions.

#[path = "common/fleets.rs"]
mod fleets;

use exposure::inventory::{Device, Fleet};
use exposure::stream::{JsonLines, RunningExposure, StreamOptions};
use exposure::Engine;
use fleets::generated;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

#[test]
fn streamed_chunks_give_the_in_memory_assessment() {
    let engine = Engine::demo();
    for (seed, devices) in [(1, 1), (2, 40), (3, 97), (4, 250)] {
        let fleet = generated(devices, seed);
        // The in-memory path keeps repeated ids apart as Fleet::extend does.
        let mut whole_fleet = Fleet::default();
        let renamed = whole_fleet.extend(fleet.clone());
        let whole = engine.assess(&whole_fleet);
        let rows: Vec<String> = whole
            .finding_rows()
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        let device_rows: Vec<String> = whole
            .devices
            .iter()
            .map(|d| serde_json::to_string(d).unwrap())
            .collect();
        for chunk_devices in [1, 7, 64, 1000] {
            let options = StreamOptions {
                chunk_devices,
                fleet_size: Some(devices),
                ..StreamOptions::default()
            };
            let mut streamed_devices = Vec::new();
            let mut lines = JsonLines::new(Vec::new());
            let summary = engine
                .assess_stream(
                    fleet.devices.clone().into_iter().map(Ok::<_, String>),
                    &options,
                    &mut |chunk: &exposure::Assessment| {
                        use exposure::stream::ChunkSink;
                        streamed_devices.extend(
                            chunk
                                .devices
                                .iter()
                                .map(|d| serde_json::to_string(d).unwrap()),
                        );
                        lines.chunk(chunk)
                    },
                )
                .unwrap();
            let what = format!("seed {seed}, {devices} devices, chunks of {chunk_devices}");
            let text = String::from_utf8(lines.into_inner()).unwrap();
            let streamed_rows: Vec<&str> = text.lines().collect();
            assert_eq!(streamed_rows, rows, "{what}: finding rows");
            assert_eq!(streamed_devices, device_rows, "{what}: device rows");
            assert_eq!(summary.renamed, renamed, "{what}: renamed");
            assert_eq!(summary.chunks, devices.div_ceil(chunk_devices), "{what}");
            let (s, w) = (&summary.organisation, &whole.organisation);
            assert!(
                close(s.score, w.score),
                "{what}: {} != {}",
                s.score,
                w.score
            );
            assert_eq!(
                (s.devices, s.vulnerable_devices, s.findings),
                (w.devices, w.vulnerable_devices, w.findings),
                "{what}"
            );
            assert_eq!(summary.groups.len(), whole.groups.len(), "{what}");
            for (s, w) in summary.groups.iter().zip(&whole.groups) {
                assert!(close(s.score, w.score), "{what}: group {}", w.group);
                assert_eq!(
                    (
                        &s.group,
                        s.devices,
                        s.vulnerable_devices,
                        s.findings,
                        s.level
                    ),
                    (
                        &w.group,
                        w.devices,
                        w.vulnerable_devices,
                        w.findings,
                        w.level
                    ),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn running_sums_merge_in_any_order() {
    let engine = Engine::demo();
    // Ids kept apart first, as a stream keeps them (a partition does not know the others').
    let mut fleet = Fleet::default();
    fleet.extend(generated(120, 9));
    let whole = engine.assess(&fleet);
    // Three partitions assessed apart, merged in two orders.
    let parts: Vec<RunningExposure> = fleet
        .devices
        .chunks(40)
        .map(|devices| {
            let mut running = RunningExposure::default();
            running.add(&engine.assess(&Fleet {
                devices: devices.to_vec(),
            }));
            running
        })
        .collect();
    let mut forward = RunningExposure::default();
    let mut backward = RunningExposure::default();
    for part in &parts {
        forward.merge(part);
    }
    for part in parts.iter().rev() {
        backward.merge(part);
    }
    for merged in [forward, backward] {
        let organisation = merged.organisation(engine.parameters());
        assert!(close(organisation.score, whole.organisation.score));
        assert_eq!(organisation.findings, whole.organisation.findings);
        // The sums travel (a Spark partition's to the driver) and come back the same.
        let json = serde_json::to_string(&merged).unwrap();
        let back: RunningExposure = serde_json::from_str(&json).unwrap();
        assert_eq!(back, merged);
    }
}

#[test]
fn a_failing_reader_stops_the_stream_with_its_error() {
    let engine = Engine::demo();
    let fleet = generated(10, 5);
    let devices =
        fleet
            .devices
            .into_iter()
            .enumerate()
            .map(|(i, d)| if i == 6 { Err("disk gone") } else { Ok(d) });
    let mut chunks = 0;
    let options = StreamOptions {
        chunk_devices: 4,
        ..StreamOptions::default()
    };
    let error = engine
        .assess_stream(devices, &options, &mut |_: &exposure::Assessment| {
            chunks += 1;
            Ok(())
        })
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "reading the devices failed after 6 devices: disk gone"
    );
    assert_eq!(
        chunks, 1,
        "the first whole chunk was handed on, nothing after"
    );
}

#[test]
fn json_lines_devices_are_the_fleet_documents() {
    use exposure::inventory::{load_text, DeviceLines, LoadOptions};
    let lines = exposure::demo::fleet_json_lines();
    let from_lines: Vec<Device> = DeviceLines::new(
        lines.as_bytes(),
        "demo.jsonl",
        exposure::files::Limits::default(),
    )
    .collect::<Result<_, _>>()
    .unwrap();
    let document = load_text(exposure::demo::FLEET_JSON, "demo", &LoadOptions::default()).unwrap();
    assert_eq!(from_lines, document.fleet.devices);
    // Lines ending in CRLF read the same.
    let crlf = lines.replace('\n', "\r\n");
    let from_crlf: Vec<Device> = DeviceLines::new(
        crlf.as_bytes(),
        "demo.jsonl",
        exposure::files::Limits::default(),
    )
    .collect::<Result<_, _>>()
    .unwrap();
    assert_eq!(from_crlf, from_lines);
    // Streamed from its lines, the demo fleet is assessed as the document is.
    let engine = Engine::demo();
    let devices = DeviceLines::new(
        lines.as_bytes(),
        "demo.jsonl",
        exposure::files::Limits::default(),
    );
    let summary = engine
        .assess_stream(
            devices,
            &StreamOptions::default(),
            &mut |_: &exposure::Assessment| Ok(()),
        )
        .unwrap();
    let whole = engine.assess(&document.fleet);
    assert!(close(summary.organisation.score, whole.organisation.score));
}

#[test]
fn json_lines_problems_are_reported_and_broken_input_fails() {
    use exposure::files::Limits;
    use exposure::inventory::{DeviceLines, InventoryError};
    // A line that is no device, one with a bad value, a repeated id: reported, skipped.
    let text = "{\"id\": \"a\"}\nnot json\n{\"id\": \"b\", \"value\": \"huge\"}\n{\"id\": \"a\"}\n{\"id\": \"c\"}";
    let mut lines = DeviceLines::new(text.as_bytes(), "f.jsonl", Limits::default());
    let ids: Vec<String> = lines.by_ref().map(|d| d.unwrap().id).collect();
    assert_eq!(ids, ["a", "c"]);
    let report = lines.report();
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.records_skipped
        ),
        (5, 2, 3)
    );
    assert!(report
        .problems
        .iter()
        .any(|p| p.message.contains("duplicate device id")));
    // A line over the limit ends the stream with an error naming the line.
    let long = format!("{{\"id\": \"a\"}}\n{{\"id\": \"{}\"}}\n", "x".repeat(100));
    let limits = Limits { input_bytes: 64 };
    let results: Vec<_> = DeviceLines::new(long.as_bytes(), "f.jsonl", limits).collect();
    assert_eq!(results.len(), 2);
    let error = results[1].as_ref().unwrap_err();
    assert!(matches!(error, InventoryError::Input { .. }), "{error}");
    assert!(error.to_string().contains("f.jsonl line 2"), "{error}");
    // Bytes that are not UTF-8 end it too.
    let bytes = b"{\"id\": \"a\"}\n\xff\xfe\n";
    let results: Vec<_> = DeviceLines::new(&bytes[..], "f.jsonl", Limits::default()).collect();
    assert!(results[1]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("not UTF-8"));
}
