//! `exposure stream`: the demo fleet as JSON Lines (from stdin, gzipped from a file) gives the
//! findings and the organisation's exposure `exposure assess --demo` gives; devices that do
//! not load make it fail closed after writing what it could.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn stream(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exposure"))
        .arg("stream")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("written");
    child.wait_with_output().expect("exits")
}

#[test]
fn the_demo_fleet_streamed_is_the_demo_assessment() {
    let dir = tempfile::tempdir().expect("dir");
    let summary = dir.path().join("summary.json");
    let out = stream(
        &[
            "--devices",
            "-",
            "--chunk",
            "2",
            "--summary",
            summary.to_str().expect("path"),
            "--as-of",
            "2026-12-01",
        ],
        exposure::demo::fleet_json_lines().as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let as_of = "2026-12-01".parse().ok();
    let assessed =
        exposure::Engine::demo().assess_as_of(&exposure::demo::fleet(), as_of, &|_, _| {});
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let expected: Vec<serde_json::Value> = assessed
        .finding_rows()
        .iter()
        .map(|r| serde_json::to_value(r).expect("row"))
        .collect();
    assert_eq!(lines, expected);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("JSON");
    let score = summary["organisation"]["score"].as_f64().expect("score");
    assert!((score - assessed.organisation.score).abs() < 1e-9);
    assert_eq!(summary["chunks"], 3);
    assert_eq!(summary["devices_report"]["records_loaded"], 5);
    let secure = summary["configuration"]["organisation"]
        .as_f64()
        .expect("secure score");
    assert!((secure - assessed.configuration.organisation.expect("secure score")).abs() < 1e-9);
    // The recommendations of the whole fleet (configuration changes among them), ranked,
    // their devices counted.
    let expected: Vec<(String, usize)> = assessed
        .recommendations
        .iter()
        .map(|r| (r.text.clone(), r.devices.len()))
        .collect();
    let streamed: Vec<(String, usize)> = summary["recommendations"]
        .as_array()
        .expect("recommendations")
        .iter()
        .map(|r| {
            let text = r["text"].as_str().expect("text").to_owned();
            (
                text,
                usize::try_from(r["device_count"].as_u64().expect("count")).expect("usize"),
            )
        })
        .collect();
    assert_eq!(expected.len(), 17);
    assert_eq!(streamed, expected);

    // Gzipped, from a file, device rows beside the findings.
    let gz = dir.path().join("fleet.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("file"),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(exposure::demo::fleet_json_lines().as_bytes())
        .expect("gzip");
    encoder.finish().expect("gzip");
    let rows = dir.path().join("devices.jsonl");
    let findings = dir.path().join("findings.jsonl");
    let out = stream(
        &[
            "--devices",
            gz.to_str().expect("path"),
            "--findings",
            findings.to_str().expect("path"),
            "--device-rows",
            rows.to_str().expect("path"),
            "--fleet-size",
            "5",
            "--as-of",
            "2026-12-01",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&findings).expect("findings");
    assert_eq!(written.lines().count(), assessed.findings.len());
    let devices: Vec<serde_json::Value> = std::fs::read_to_string(&rows)
        .expect("rows")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let expected: Vec<serde_json::Value> = assessed
        .devices
        .iter()
        .map(|d| serde_json::to_value(d).expect("row"))
        .collect();
    assert_eq!(devices, expected);
    // The summary went to stderr as one line of JSON.
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with('{') && l.contains("\"chunks\":1,")),
        "{stderr}"
    );
}

#[test]
fn devices_that_do_not_load_fail_the_stream_closed() {
    // Two broken lines of five devices: more than the 10 % an input may lose.
    let mut lines: Vec<String> = exposure::demo::fleet_json_lines()
        .lines()
        .map(str::to_owned)
        .collect();
    lines[1] = "not json".to_owned();
    lines[3] = r#"{"id": "x", "value": "huge"}"#.to_owned();
    let text = lines.join("\n");
    let out = stream(&["--devices", "-"], text.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--allow-partial"), "{stderr}");
    // The findings of the devices that loaded were written before the verdict.
    assert!(!out.stdout.is_empty());
    let out = stream(&["--devices", "-", "--allow-partial"], text.as_bytes());
    assert!(out.status.success());
}

/// The batches read back are `expected`, cut where the reader cut them (dictionary columns
/// compared by value, as Arrow compares them).
fn assert_batches(
    read: &[exposure::arrow::arrow_array::RecordBatch],
    expected: &exposure::arrow::arrow_array::RecordBatch,
) {
    let mut at = 0;
    for batch in read {
        assert_eq!(batch.schema(), expected.schema());
        let part = expected.slice(at, batch.num_rows());
        assert_eq!(batch.columns(), part.columns(), "rows {at}..");
        at += batch.num_rows();
    }
    assert_eq!(at, expected.num_rows());
}

/// `exposure stream` of the demo fleet, two devices at a time, final weights.
fn run(fleet: &str, args: &[&str]) {
    let mut all = vec!["--devices", "-", "--chunk", "2", "--fleet-size", "5"];
    all.extend_from_slice(args);
    let out = stream(&all, fleet.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo assessment's findings and device batches.
fn expected() -> exposure::arrow::AssessedBatch {
    exposure::arrow::AssessedBatch::of(exposure::Engine::demo().assess(&exposure::demo::fleet()))
        .expect("batches")
}

#[test]
fn findings_and_device_rows_as_arrow_ipc_streams_by_extension_or_format() {
    use exposure::arrow::arrow_ipc::reader::StreamReader;
    let dir = tempfile::tempdir().expect("dir");
    let path = |name: &str| dir.path().join(name).to_str().expect("path").to_owned();
    let expected = expected();
    let fleet = exposure::demo::fleet_json_lines();
    let read = |name: &str| -> Vec<_> {
        let file = std::fs::File::open(path(name)).expect("written");
        StreamReader::try_new(std::io::BufReader::new(file), None)
            .expect("an Arrow IPC stream")
            .collect::<Result<_, _>>()
            .expect("batches")
    };
    // By extension: a batch per chunk.
    run(
        &fleet,
        &[
            "--findings",
            &path("findings.arrow"),
            "--device-rows",
            &path("devices.arrows"),
        ],
    );
    let findings = read("findings.arrow");
    assert_eq!(findings.len(), 3);
    assert_batches(&findings, &expected.findings);
    assert_batches(&read("devices.arrows"), &expected.devices);
    // --format, to stdout.
    let out = stream(&["--devices", "-", "--format", "arrow"], fleet.as_bytes());
    assert!(out.status.success());
    let from_stdout: Vec<_> = StreamReader::try_new(out.stdout.as_slice(), None)
        .expect("an Arrow IPC stream on stdout")
        .collect::<Result<_, _>>()
        .expect("batches");
    assert_batches(&from_stdout, &expected.findings);
    // Two extensions naming different formats, without --format: refused before anything.
    let out = stream(
        &[
            "--devices",
            "-",
            "--findings",
            &path("mixed.arrow"),
            "--device-rows",
            &path("mixed.jsonl"),
        ],
        fleet.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));
    assert!(!dir.path().join("mixed.arrow").exists());
}

#[cfg(feature = "parquet")]
#[test]
fn findings_and_device_rows_as_parquet_by_extension_or_format() {
    use exposure::arrow::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let dir = tempfile::tempdir().expect("dir");
    let path = |name: &str| dir.path().join(name).to_str().expect("path").to_owned();
    let expected = expected();
    let fleet = exposure::demo::fleet_json_lines();
    let read = |name: &str| {
        let file = std::fs::File::open(path(name)).expect("written");
        let reader = ParquetRecordBatchReaderBuilder::try_new(file).expect("a Parquet file");
        let groups = reader.metadata().num_row_groups();
        let batches: Vec<_> = reader
            .build()
            .expect("reader")
            .collect::<Result<_, _>>()
            .expect("batches");
        (batches, groups)
    };
    // By extension: a row group per chunk (each of the three has findings).
    run(
        &fleet,
        &[
            "--findings",
            &path("findings.parquet"),
            "--device-rows",
            &path("devices.parquet"),
        ],
    );
    let (findings, groups) = read("findings.parquet");
    assert_eq!(groups, 3);
    assert_batches(&findings, &expected.findings);
    let (devices, groups) = read("devices.parquet");
    assert_eq!(groups, 3);
    assert_batches(&devices, &expected.devices);
    // Snappy, row groups of 4 rows.
    run(
        &fleet,
        &[
            "--findings",
            &path("small.parquet"),
            "--compression",
            "snappy",
            "--row-group-rows",
            "4",
        ],
    );
    let (findings, groups) = read("small.parquet");
    assert_eq!(groups, expected.findings.num_rows().div_ceil(4));
    assert_batches(&findings, &expected.findings);
    // --format over the extension.
    run(
        &fleet,
        &["--findings", &path("findings.out"), "--format", "parquet"],
    );
    assert_batches(&read("findings.out").0, &expected.findings);
}

#[cfg(not(feature = "parquet"))]
#[test]
fn a_build_without_parquet_refuses_it_before_writing() {
    let dir = tempfile::tempdir().expect("dir");
    let findings = dir.path().join("findings.parquet");
    let out = stream(
        &[
            "--devices",
            "-",
            "--findings",
            findings.to_str().expect("path"),
        ],
        exposure::demo::fleet_json_lines().as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without Parquet"));
    assert!(!findings.exists());
}

#[cfg(feature = "parquet")]
#[test]
fn a_stream_that_fails_leaves_outputs_no_reader_takes_for_whole() {
    use exposure::arrow::arrow_ipc::reader::StreamReader;
    use exposure::arrow::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    // Four devices, then bytes that are not UTF-8: the stream stops after two chunks.
    let mut text = exposure::demo::fleet_json_lines()
        .lines()
        .take(4)
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes();
    text.extend_from_slice(b"\n\xff\xfe\n");
    let dir = tempfile::tempdir().expect("dir");
    let arrow = dir.path().join("findings.arrow");
    let parquet = dir.path().join("findings.parquet");
    for path in [&arrow, &parquet] {
        let args = ["--devices", "-", "--chunk", "2", "--findings"];
        let out = stream(
            &[&args[..], &[path.to_str().expect("path")]].concat(),
            &text,
        );
        assert_eq!(out.status.code(), Some(2));
    }
    // The Arrow stream gives the two chunks written, then an error where its end should be.
    let file = std::fs::File::open(&arrow).expect("written");
    let read: Vec<_> = StreamReader::try_new(std::io::BufReader::new(file), None)
        .expect("a stream")
        .collect();
    assert_eq!(read.len(), 3);
    assert!(read[..2].iter().all(Result::is_ok) && read[2].is_err());
    // The Parquet file has no footer.
    let file = std::fs::File::open(&parquet).expect("written");
    assert!(ParquetRecordBatchReaderBuilder::try_new(file).is_err());
}

/// The dashboards in the summary: over every device and for each group, their figures those
/// of `exposure view dashboard` over the same fleet recorded in a store, their trend led by
/// the store's assessments (`--history-db`).
#[test]
fn the_dashboards_are_the_recorded_ones_with_the_stores_trend() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("history.db");
    let db = db.to_str().expect("path");
    let exposure = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_exposure"))
            .args(args)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    for day in ["2026-11-01", "2026-12-01"] {
        exposure(&["assess", "--demo", "--quiet", "--as-of", day, "--db", db]);
    }
    let summary = dir.path().join("summary.json");
    let out = stream(
        &[
            "--devices",
            "-",
            "--chunk",
            "2",
            "--as-of",
            "2026-12-01",
            "--summary",
            summary.to_str().expect("path"),
            "--history-db",
            db,
            "--top",
            "3",
        ],
        exposure::demo::fleet_json_lines().as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("JSON");
    let recorded = |group: Option<&str>| -> serde_json::Value {
        let mut args = vec!["view", "dashboard", "--db", db, "--top", "3", "-f", "json"];
        if let Some(g) = group {
            args.extend(["--group", g]);
        }
        let rows: serde_json::Value =
            serde_json::from_slice(&exposure(&args)).expect("dashboard JSON");
        rows[0].clone()
    };
    let ids = |list: &serde_json::Value, key: &str| -> Vec<String> {
        list.as_array()
            .expect("list")
            .iter()
            .map(|r| r[key].as_str().expect("id").to_owned())
            .collect()
    };
    let same = |streamed: &serde_json::Value, recorded: &serde_json::Value| {
        // The store holds the same fleet twice, the newest as of the stream's day: the trend
        // is the store's two points and the stream's.
        assert_eq!(streamed["trend"].as_array().expect("trend").len(), 3);
        let close = |a: &serde_json::Value, b: &serde_json::Value| {
            (a.as_f64().expect("number") - b.as_f64().expect("number")).abs() < 1e-9
        };
        assert!(close(&streamed["score"], &recorded["score"]));
        assert!(close(&streamed["trend"][1]["score"], &recorded["score"]));
        assert!(close(&streamed["trend"][2]["score"], &recorded["score"]));
        for key in [
            "devices",
            "level",
            "distribution",
            "as_of",
            "group",
            "top_events",
        ] {
            assert_eq!(streamed[key], recorded[key], "{key}");
        }
        if !recorded["secure_score"].is_null() {
            assert!(close(&streamed["secure_score"], &recorded["secure_score"]));
        }
        assert_eq!(
            ids(&streamed["top_devices"], "id"),
            ids(&recorded["top_devices"], "id")
        );
        assert_eq!(
            ids(&streamed["top_software"], "name"),
            ids(&recorded["top_software"], "name")
        );
        let mut a = ids(&streamed["top_recommendations"], "id");
        let mut b = ids(&recorded["top_recommendations"], "id");
        a.sort();
        b.sort();
        assert_eq!(a, b);
    };
    let dashboards = summary["dashboards"].as_array().expect("dashboards");
    assert_eq!(dashboards.len(), 5);
    same(&dashboards[0], &recorded(None));
    for dashboard in &dashboards[1..] {
        same(dashboard, &recorded(dashboard["group"].as_str()));
    }
}
