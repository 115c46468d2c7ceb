//! The columnar sinks against the Arrow batch API: generated fleets streamed in chunks through
//! the Arrow IPC and the Parquet sink, read back with Arrow's IPC reader and Parquet's Arrow
//! reader, give the findings and device batches of the in-memory assessment
//! (`AssessedBatch::of`), row for row and type for type. An output that did not end well —
//! a writer that fails, a sink dropped unfinished — never reads as a whole one.

// The helpers panic on a broken fixture: that is the failure report.
#![allow(clippy::unwrap_used)]

#[path = "common/fleets.rs"]
mod fleets;

use exposure::arrow::arrow_array::RecordBatch;
use exposure::arrow::arrow_ipc::reader::StreamReader;
use exposure::arrow::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use exposure::arrow::AssessedBatch;
use exposure::inventory::Fleet;
use exposure::stream::{
    ArrowIpc, ChunkSink, Parquet, ParquetCompression, ParquetOptions, RowGroups, SinkError,
    StreamOptions,
};
use exposure::Engine;
use fleets::generated;
use std::num::NonZeroUsize;

/// The in-memory assessment's batches of `fleet` (its repeated ids kept apart as a stream
/// keeps them).
fn whole(engine: &Engine, fleet: &Fleet) -> AssessedBatch {
    let mut whole = Fleet::default();
    whole.extend(fleet.clone());
    AssessedBatch::of(engine.assess(&whole)).unwrap()
}

/// `fleet` streamed `chunk_devices` at a time into `sink`.
fn stream(engine: &Engine, fleet: &Fleet, chunk_devices: usize, sink: &mut impl ChunkSink) {
    let options = StreamOptions {
        chunk_devices,
        fleet_size: Some(fleet.devices.len()),
        ..StreamOptions::default()
    };
    let devices = fleet.devices.clone().into_iter().map(Ok::<_, String>);
    engine.assess_stream(devices, &options, sink).unwrap();
}

/// The batches read back are `expected`, cut where the reader cut them: the same schema,
/// the same values (dictionary columns compared by value, as Arrow compares them).
fn assert_batches(read: &[RecordBatch], expected: &RecordBatch, what: &str) {
    let mut at = 0;
    for batch in read {
        assert_eq!(batch.schema(), expected.schema(), "{what}: schema");
        let part = expected.slice(at, batch.num_rows());
        for (i, field) in expected.schema().fields().iter().enumerate() {
            assert_eq!(
                batch.column(i).as_ref(),
                part.column(i).as_ref(),
                "{what}: column {} of rows {at}..",
                field.name()
            );
        }
        at += batch.num_rows();
    }
    assert_eq!(at, expected.num_rows(), "{what}: rows");
}

fn read_ipc(bytes: &[u8]) -> Vec<RecordBatch> {
    StreamReader::try_new(bytes, None)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The batches of a Parquet file and its number of row groups.
fn read_parquet(bytes: Vec<u8>) -> (Vec<RecordBatch>, usize) {
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
    let groups = reader.metadata().num_row_groups();
    let batches = reader.build().unwrap().collect::<Result<_, _>>().unwrap();
    (batches, groups)
}

#[test]
fn arrow_ipc_streams_read_back_as_the_in_memory_batches() {
    let engine = Engine::demo();
    for (seed, devices) in [(11, 1), (12, 97), (13, 250)] {
        let fleet = generated(devices, seed);
        let expected = whole(&engine, &fleet);
        for chunk_devices in [1, 7, 64, 1000] {
            let what = format!("seed {seed}, {devices} devices, chunks of {chunk_devices}");
            let (mut findings, mut rows) = (Vec::new(), Vec::new());
            let mut sink = ArrowIpc::with_device_rows(&mut findings, &mut rows).unwrap();
            stream(&engine, &fleet, chunk_devices, &mut sink);
            sink.finish().unwrap();
            drop(sink);
            let read = read_ipc(&findings);
            assert_eq!(
                read.len(),
                devices.div_ceil(chunk_devices),
                "{what}: a batch per chunk"
            );
            assert_batches(&read, &expected.findings, &format!("{what}: findings"));
            assert_batches(
                &read_ipc(&rows),
                &expected.devices,
                &format!("{what}: devices"),
            );
        }
    }
}

#[test]
fn parquet_files_read_back_as_the_in_memory_batches() {
    let engine = Engine::demo();
    let rows = |n| RowGroups::Rows(NonZeroUsize::new(n).unwrap());
    for (seed, devices) in [(21, 1), (22, 97), (23, 250)] {
        let fleet = generated(devices, seed);
        let expected = whole(&engine, &fleet);
        let findings_rows = expected.findings.num_rows();
        for (chunk_devices, compression, row_groups) in [
            (1, ParquetCompression::Zstd, RowGroups::PerChunk),
            (7, ParquetCompression::Snappy, RowGroups::PerChunk),
            (64, ParquetCompression::Uncompressed, rows(100)),
            (1000, ParquetCompression::Zstd, rows(7)),
        ] {
            let what = format!(
                "seed {seed}, {devices} devices, chunks of {chunk_devices}, {compression:?}, {row_groups:?}"
            );
            let options = ParquetOptions {
                compression,
                row_groups,
            };
            let (mut findings, mut device_rows) = (Vec::new(), Vec::new());
            let mut sink =
                Parquet::with_device_rows(&mut findings, &mut device_rows, options).unwrap();
            stream(&engine, &fleet, chunk_devices, &mut sink);
            sink.finish().unwrap();
            drop(sink);
            let (read, groups) = read_parquet(findings);
            let expected_groups = match row_groups {
                // A chunk without findings writes no row group.
                RowGroups::PerChunk => fleet
                    .devices
                    .chunks(chunk_devices)
                    .filter(|chunk| {
                        let mut fleet = Fleet::default();
                        fleet.extend(Fleet {
                            devices: chunk.to_vec(),
                        });
                        !engine.assess(&fleet).findings.is_empty()
                    })
                    .count(),
                RowGroups::Rows(n) => findings_rows.div_ceil(n.get()),
            };
            assert_eq!(groups, expected_groups, "{what}: row groups");
            assert_batches(&read, &expected.findings, &format!("{what}: findings"));
            let (read, _) = read_parquet(device_rows);
            assert_batches(&read, &expected.devices, &format!("{what}: devices"));
        }
    }
}

/// A writer that takes `room` bytes, then fails.
struct Full {
    room: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.room < buf.len() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no room",
            ));
        }
        self.room -= buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The sink's error inside the stream's.
fn sink_error<E: std::fmt::Debug>(e: &exposure::stream::StreamError<E>) -> &SinkError {
    let exposure::stream::StreamError::Sink { source, .. } = e else {
        panic!("not the sink's error: {e:?}")
    };
    source
        .get_ref()
        .and_then(|e| e.downcast_ref::<SinkError>())
        .unwrap()
}

#[test]
fn a_failing_writer_stops_the_stream_and_closes_the_sink() {
    let engine = Engine::demo();
    let fleet = generated(40, 31);
    let devices = || fleet.devices.clone().into_iter().map(Ok::<_, String>);
    let options = StreamOptions {
        chunk_devices: 5,
        ..StreamOptions::default()
    };
    // Room for the schema, not for the chunks.
    let mut ipc = ArrowIpc::new(Full { room: 8192 }).unwrap();
    let e = engine
        .assess_stream(devices(), &options, &mut ipc)
        .unwrap_err();
    let kind = match &e {
        exposure::stream::StreamError::Sink { source, .. } => source.kind(),
        _ => panic!("{e}"),
    };
    assert_eq!(kind, std::io::ErrorKind::StorageFull, "{e}");
    assert!(matches!(
        sink_error(&e),
        SinkError::Io {
            output: "findings",
            format: "Arrow IPC",
            ..
        }
    ));
    assert!(
        matches!(ipc.finish(), Err(SinkError::Closed { .. })),
        "never finished as whole"
    );

    let mut parquet = Parquet::new(Full { room: 4 }, ParquetOptions::default()).unwrap();
    let e = engine
        .assess_stream(devices(), &options, &mut parquet)
        .unwrap_err();
    assert!(
        matches!(
            sink_error(&e),
            SinkError::Io {
                format: "Parquet",
                ..
            }
        ),
        "{e}"
    );
    assert!(matches!(parquet.finish(), Err(SinkError::Closed { .. })));
}

#[test]
fn an_unfinished_output_never_reads_as_a_whole_one() {
    let engine = Engine::demo();
    let fleet = generated(30, 41);
    // Arrow IPC: the chunks written read back, then the reader fails where the end-of-stream
    // marker should be.
    let mut out = Vec::new();
    let mut sink = ArrowIpc::new(&mut out).unwrap();
    stream(&engine, &fleet, 10, &mut sink);
    drop(sink);
    let results: Vec<_> = StreamReader::try_new(out.as_slice(), None)
        .unwrap()
        .collect();
    assert_eq!(results.len(), 4, "three chunks, then the error");
    assert!(results[..3].iter().all(Result::is_ok));
    assert!(results[3].is_err());
    // Parquet: no footer, no file.
    let mut out = Vec::new();
    let mut sink = Parquet::new(&mut out, ParquetOptions::default()).unwrap();
    stream(&engine, &fleet, 10, &mut sink);
    drop(sink);
    assert!(out.len() > 1000, "the row groups were written");
    assert!(ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(out)).is_err());
}
