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

/// The streamed recommendations and secure configuration equal the in-memory ones:
/// the same actions, targets, versions, advisories and counts, the device lists counted,
/// the impacts equal up to the order of floating-point additions; with an as-of day, end of
/// support too. Partials merged from bytes in any order give the same.
#[test]
fn streamed_recommendations_are_the_in_memory_ones() {
    use exposure::recommend::ActionKind;
    use exposure::stream::Aggregate;
    // The demo knowledge with an advisory that names no fix, on a release whose support
    // ended (log4j 1): attention required and end of support too.
    let mut kb = exposure::demo::knowledge_base();
    let report = kb.load_text_as(
        exposure::kb::Format::OsvJson,
        r#"{"id": "TEST-2021-4104", "modified": "2022-01-01T00:00:00Z", "summary": "JMSAppender deserialisation",
            "affected": [{"package": {"ecosystem": "Maven", "name": "log4j:log4j"},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}"#,
        "test",
    );
    assert_eq!(report.problem_count, 0, "{report:?}");
    let engine = Engine::new(kb);
    let log4j = std::sync::Arc::new(
        exposure::inventory::Software::from_purl("pkg:maven/log4j/log4j@1.2.17").unwrap(),
    );
    let as_of: exposure::date::Date = "2026-12-01".parse().unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for (seed, devices) in [(11, 1), (12, 60), (13, 300)] {
        let mut fleet = generated(devices, seed);
        for device in fleet.devices.iter_mut().step_by(3) {
            device.software.push(std::sync::Arc::clone(&log4j));
        }
        let mut whole_fleet = Fleet::default();
        whole_fleet.extend(fleet.clone());
        for day in [None, Some(as_of)] {
            let whole = engine.assess_as_of(&whole_fleet, day, &|_, _| {});
            let expected: Vec<_> = whole.recommendations.iter().collect();
            for chunk_devices in [1, 7, 1000] {
                let options = StreamOptions {
                    chunk_devices,
                    assess: exposure::engine::AssessOptions {
                        as_of: day,
                        ..Default::default()
                    },
                    ..StreamOptions::default()
                };
                let summary = engine
                    .assess_stream(
                        fleet.devices.clone().into_iter().map(Ok::<_, String>),
                        &options,
                        &mut |_: &exposure::Assessment| Ok(()),
                    )
                    .unwrap();
                // Through bytes, as a partition's partial travels.
                let aggregate = Aggregate::from_bytes(&summary.aggregate.to_bytes()).unwrap();
                let finished = aggregate.finish(&engine).unwrap();
                // The software and weaknesses views over every device.
                let record =
                    exposure::history::AssessmentRecord::of(&whole, &whole_fleet, engine.kb())
                        .unwrap();
                let all = exposure::views::Filter::all();
                let software = exposure::views::software::rows(&record, &all);
                same_rows(&finished.software, &software, |r| &mut r.impact);
                let weaknesses = exposure::views::weaknesses::rows(&record, &all);
                same_rows(&finished.weaknesses, &weaknesses, |r| &mut r.impact);
                // And each device group's, its impacts over the group's devices.
                let groups: Vec<&str> = finished
                    .group_views
                    .iter()
                    .map(|g| g.group.as_str())
                    .collect();
                assert_eq!(groups, exposure::views::groups(&record));
                for views in &finished.group_views {
                    let filter = exposure::views::Filter::group(views.group.as_str());
                    let software = exposure::views::software::rows(&record, &filter);
                    same_rows(&views.software, &software, |r| &mut r.impact);
                    let weaknesses = exposure::views::weaknesses::rows(&record, &filter);
                    same_rows(&views.weaknesses, &weaknesses, |r| &mut r.impact);
                }
                // The recommendations and devices views and the dashboard, over every device
                // and for each group.
                same_dashboard(&finished, &record, &all);
                for views in &finished.group_views {
                    same_dashboard(
                        &finished,
                        &record,
                        &exposure::views::Filter::group(views.group.as_str()),
                    );
                }
                let configuration = &finished.configuration;
                assert_eq!(
                    configuration.organisation.map(|s| (s * 1e9).round()),
                    whole.configuration.organisation.map(|s| (s * 1e9).round())
                );
                assert_eq!(
                    configuration.reporting_devices,
                    whole.configuration.devices.len()
                );
                assert_eq!(configuration.groups.len(), whole.configuration.groups.len());
                for (got, want) in configuration.groups.iter().zip(&whole.configuration.groups) {
                    assert_eq!((&got.group, got.devices), (&want.group, want.devices));
                    assert!(close(got.score.unwrap_or(-1.0), want.score.unwrap_or(-1.0)));
                }
                let context = format!(
                    "seed {seed}, {devices} devices, as of {day:?}, chunks of {chunk_devices}"
                );
                assert_eq!(finished.recommendations.len(), expected.len(), "{context}");
                for r in &finished.recommendations {
                    kinds.insert(r.recommendation.action);
                }
                for (got, want) in finished.recommendations.iter().zip(&expected) {
                    let r = &got.recommendation;
                    let targets: Vec<_> = want
                        .targets
                        .iter()
                        .map(|t| {
                            let devices = t.devices.len();
                            (
                                &t.branch,
                                &t.version,
                                &t.installed_versions,
                                &t.resolves,
                                devices,
                            )
                        })
                        .collect();
                    let got_targets: Vec<_> = r
                        .targets
                        .iter()
                        .zip(&got.target_device_counts)
                        .map(|(t, &n)| {
                            (&t.branch, &t.version, &t.installed_versions, &t.resolves, n)
                        })
                        .collect();
                    assert_eq!(got_targets, targets, "{context}");
                    assert_eq!(
                        (
                            &r.text,
                            r.action,
                            &r.installed_versions,
                            &r.resolves,
                            &r.remaining,
                            &r.fixes
                        ),
                        (
                            &want.text,
                            want.action,
                            &want.installed_versions,
                            &want.resolves,
                            &want.remaining,
                            &want.fixes
                        ),
                        "{context}"
                    );
                    assert_eq!(
                        (got.device_count, r.findings, r.known_exploited),
                        (want.devices.len(), want.findings, want.known_exploited),
                        "{context}: {}",
                        r.text
                    );
                    assert!(
                        close(r.exposure_impact, want.exposure_impact),
                        "{context}: {} {} {}",
                        r.text,
                        r.exposure_impact,
                        want.exposure_impact
                    );
                    assert!(
                        close(r.exposure_left, want.exposure_left),
                        "{context}: {}",
                        r.text
                    );
                    assert_eq!(
                        r.max_likelihood.to_bits(),
                        want.max_likelihood.to_bits(),
                        "{context}: {}",
                        r.text
                    );
                }
            }
        }
    }
    // Every kind of recommendation was compared.
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            ActionKind::Update,
            ActionKind::Upgrade,
            ActionKind::EndOfSupport,
            ActionKind::ConfigurationChange,
            ActionKind::AttentionRequired
        ]
    );
}

/// Partitions of a fleet assessed apart (as Spark executors would) and merged from bytes in
/// any order finish to the same organisation score and recommendations; bytes that are no
/// aggregate, of another format, pointing outside their tables, or of another knowledge base
/// are refused with their reason.
#[test]
fn partitions_merge_in_any_order_and_bad_partials_are_refused() {
    use exposure::stream::{Aggregate, AggregateError};
    let engine = Engine::demo();
    let mut fleet = Fleet::default();
    fleet.extend(generated(200, 21));
    let partials: Vec<Vec<u8>> = fleet
        .devices
        .chunks(37)
        .map(|part| {
            let part = Fleet {
                devices: part.to_vec(),
            };
            let mut partial = Aggregate::new(&engine);
            partial.add_with_fleet(&engine.assess(&part), &part);
            partial.to_bytes()
        })
        .collect();
    let finish = |order: &mut dyn Iterator<Item = &Vec<u8>>| {
        let mut total = Aggregate::new(&engine);
        for bytes in order {
            total.merge(&Aggregate::from_bytes(bytes).unwrap()).unwrap();
        }
        total.finish(&engine).unwrap()
    };
    let forward = finish(&mut partials.iter());
    let backward = finish(&mut partials.iter().rev());
    let whole = engine.assess(&fleet);
    assert!(close(forward.organisation.score, whole.organisation.score));
    assert!(close(backward.organisation.score, whole.organisation.score));
    assert_eq!(forward.chunks, 6);
    assert!(!forward.recommendations.is_empty());
    assert_eq!(
        forward.recommendations.len(),
        backward.recommendations.len()
    );
    for (a, b) in forward
        .recommendations
        .iter()
        .zip(&backward.recommendations)
    {
        assert_eq!(
            (&a.recommendation.text, a.device_count),
            (&b.recommendation.text, b.device_count)
        );
        assert!(close(
            a.recommendation.exposure_impact,
            b.recommendation.exposure_impact
        ));
    }
    // Refused partials.
    assert!(matches!(
        Aggregate::from_bytes(b"[1, 2]"),
        Err(AggregateError::Malformed(_))
    ));
    let text = String::from_utf8(partials[0].clone()).unwrap();
    let other_format = text.replacen(
        &format!("\"format\":{}", exposure::stream::AGGREGATE_FORMAT),
        "\"format\":99",
        1,
    );
    assert!(matches!(
        Aggregate::from_bytes(other_format.as_bytes()),
        Err(AggregateError::Format { found: 99 })
    ));
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut kept_device = value.clone();
    value["recommendations"]["patterns"][0][0]["product"] = serde_json::json!(1_000_000);
    assert!(matches!(
        Aggregate::from_bytes(value.to_string().as_bytes()),
        Err(AggregateError::Inconsistent)
    ));
    // A kept device's pattern, or a group number, outside the tables.
    kept_device["dashboard"]["all"]["top"][0]["patterns"][0][0]["product"] =
        serde_json::json!(1_000_000);
    assert!(matches!(
        Aggregate::from_bytes(kept_device.to_string().as_bytes()),
        Err(AggregateError::Inconsistent)
    ));
    // Chunks judged as of different days do not finish together.
    let mut mixed = Aggregate::new(&engine);
    for day in ["2026-01-01", "2026-06-01"] {
        let day = Some(day.parse().unwrap());
        mixed.add_with_fleet(&engine.assess_as_of(&fleet, day, &|_, _| {}), &fleet);
    }
    assert!(matches!(
        mixed.finish(&engine),
        Err(AggregateError::MixedAsOf)
    ));
    // A chunk without its fleet: its configuration unknown, the aggregate does not finish.
    let mut blind = Aggregate::new(&engine);
    blind.add(&engine.assess(&fleet));
    assert!(matches!(
        blind.finish(&engine),
        Err(AggregateError::WithoutFleet)
    ));
    let other_engine = Engine::default();
    let partial = Aggregate::from_bytes(&partials[0]).unwrap();
    assert!(matches!(
        partial.finish(&other_engine),
        Err(AggregateError::Knowledge { .. })
    ));
    assert!(matches!(
        Aggregate::new(&other_engine).merge(&partial),
        Err(AggregateError::Knowledge { .. })
    ));
}

/// The streamed recommendations view, devices view and dashboard through `filter` equal the
/// in-memory ones over `record` (rows compared by id, so that impacts equal up to the order
/// of additions may tie either way).
fn same_dashboard(
    finished: &exposure::stream::Finished,
    record: &exposure::history::AssessmentRecord,
    filter: &exposure::views::Filter,
) {
    use exposure::stream::KEPT_DEVICES;
    use exposure::views::{dashboard::Dashboard, devices, recommendations};
    let context = format!("{filter:?}");
    let group = filter
        .group
        .as_ref()
        .and_then(|g| finished.group_views.iter().find(|v| &v.group == g));
    let (streamed_recommendations, streamed_devices) = match group {
        Some(v) => (&v.recommendations, &v.top_devices),
        None => (&finished.recommendation_rows, &finished.top_devices),
    };
    let by_id = |rows: &[recommendations::RecommendationRow]| {
        let mut rows = rows.to_vec();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        rows
    };
    let want = recommendations::rows(record, filter);
    same_rows(&by_id(streamed_recommendations), &by_id(&want), |r| {
        &mut r.impact
    });
    let mut want = devices::rows(record, filter, KEPT_DEVICES);
    want.truncate(KEPT_DEVICES);
    assert_eq!(streamed_devices.len(), want.len(), "{context}");
    for (got, want) in streamed_devices.iter().zip(&want) {
        let (mut got, mut want) = (got.clone(), want.clone());
        assert!(close(got.weight, want.weight), "{context}");
        got.weight = want.weight;
        for d in [&mut got, &mut want] {
            d.top_recommendations.sort_by(|a, b| a.id.cmp(&b.id));
        }
        same_rows(&got.top_recommendations, &want.top_recommendations, |r| {
            &mut r.impact
        });
        got.top_recommendations
            .clone_from(&want.top_recommendations);
        assert_eq!(got, want, "{context}");
    }
    let streamed = Dashboard::of_stream(finished, &[], filter, 5);
    let in_memory = Dashboard::of(std::slice::from_ref(record), filter, 5);
    assert!(close(streamed.score, in_memory.score), "{context}");
    assert_eq!(
        (
            streamed.devices,
            streamed.level,
            streamed.distribution,
            streamed.trend.len()
        ),
        (
            in_memory.devices,
            in_memory.level,
            in_memory.distribution,
            in_memory.trend.len()
        ),
        "{context}"
    );
    assert!(
        close(
            streamed.secure_score.unwrap_or(-1.0),
            in_memory.secure_score.unwrap_or(-1.0)
        ),
        "{context}"
    );
    // The top lists: as long, the same devices (their rows compared above).
    let ids = |d: &Dashboard| {
        let devices: Vec<String> = d.top_devices.iter().map(|d| d.id.clone()).collect();
        (d.top_recommendations.len(), d.top_software.len(), devices)
    };
    assert_eq!(ids(&streamed), ids(&in_memory), "{context}");
}

/// The rows equal one by one, their impacts up to the order of floating-point additions.
fn same_rows<R: Clone + PartialEq + std::fmt::Debug>(
    got: &[R],
    want: &[R],
    impact: impl Fn(&mut R) -> &mut f64,
) {
    assert_eq!(got.len(), want.len());
    for (got, want) in got.iter().zip(want) {
        let (mut got, mut want) = (got.clone(), want.clone());
        let expected = *impact(&mut want);
        assert!(close(*impact(&mut got), expected), "{got:?} {want:?}");
        *impact(&mut got) = expected;
        assert_eq!(got, want);
    }
}

/// A fleet whose devices share nothing (each its own version of a vulnerable package) keeps
/// each device's findings: past `max_aggregate_entries` the stream stops with its typed
/// error, never growing without bound nor dropping sums; within the limit it finishes.
#[test]
fn a_fleet_of_devices_that_share_nothing_stops_at_the_aggregate_limit() {
    let engine = Engine::demo();
    let template = exposure::demo::fleet().devices[0].clone();
    let devices: Vec<Device> = (0..50)
        .map(|n| {
            let mut device = template.clone();
            device.id = format!("unique-{n}");
            device.software = vec![std::sync::Arc::new(
                exposure::inventory::Software::from_purl(&format!("pkg:npm/lodash@4.16.{n}"))
                    .unwrap(),
            )];
            device
        })
        .collect();
    let stream = |max_aggregate_entries: usize| {
        let options = StreamOptions {
            chunk_devices: 10,
            max_aggregate_entries,
            ..StreamOptions::default()
        };
        engine.assess_stream(
            devices.iter().cloned().map(Ok::<_, String>),
            &options,
            &mut |_: &exposure::Assessment| Ok(()),
        )
    };
    // Each device: one pattern of lodash's two findings, and two facts of its own.
    let whole = stream(usize::MAX).expect("no limit");
    assert_eq!(whole.aggregate.patterns(), 50);
    assert_eq!(whole.aggregate.entries(), 50 * (1 + 2 + 2));
    match stream(120) {
        Err(exposure::stream::StreamError::AggregateLimit {
            devices,
            entries,
            limit,
        }) => {
            assert_eq!((devices, entries, limit), (30, 150, 120));
        }
        other => panic!("expected the aggregate limit, got {other:?}"),
    }
    let summary = stream(250).expect("within the limit");
    assert_eq!(summary.organisation.devices, 50);
}
