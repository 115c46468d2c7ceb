//! The Arrow IPC sink: each chunk's findings as one record batch of an Arrow IPC *stream*.
//!
//! Why the stream format and not the file format: a stream can be read while it grows (each
//! chunk's batch is flushed as it is written: `tail -f` into a reader works, a pipe to another
//! process works), and it lets each batch carry its own dictionaries. The views' category
//! columns are dictionaries whose values come in order of first appearance within a chunk
//! ([`crate::arrow`]), so two chunks' dictionaries differ; the stream format resends them,
//! the file format allows one dictionary per column for the whole file and would need the
//! dictionaries of every chunk gathered first. A stream also needs no footer: what marks its
//! end is an end-of-stream marker.
//!
//! The format accepts a stream that ends without that marker (readers stop at the last whole
//! message), so a sink dropped without [`ArrowIpc::finish`] — the stream failed, or the
//! caller returned early — writes in its place the start of a message that never comes:
//! readers then fail on it instead of taking the chunks written so far for the whole. A
//! process killed outright writes nothing more; its stream reads as the chunks it finished,
//! and only the caller's exit status tells it was cut short.

use super::columnar::{Rows, SinkError, Writers};
use super::ChunkSink;
use crate::arrow::arrow_schema::ArrowError;
use crate::arrow::schema_of;
use crate::assessment::Assessment;
use arrow_ipc::writer::StreamWriter;
use std::io::Write;

const FORMAT: &str = "Arrow IPC";

/// What an unfinished sink writes when dropped: a continuation marker and the length of a
/// message (8 bytes) that never follows, so that readers fail on the stream's end.
const ABANDONED: [u8; 8] = [0xFF, 0xFF, 0xFF, 0xFF, 8, 0, 0, 0];

/// A sink writing each chunk's findings as one record batch of an Arrow IPC stream, with the
/// columns of [`FindingRow::SCHEMA`] typed as the Arrow batch API types them
/// ([`crate::arrow::findings_batch`]), and, when given a second writer, each chunk's device rows
/// ([`DeviceExposure::SCHEMA`]) as a second stream. Memory: one chunk's batch. Call
/// [`ArrowIpc::finish`] at the end; see the module docs for why the stream format and what a
/// sink dropped unfinished writes.
///
/// [`FindingRow::SCHEMA`]: crate::assessment::FindingRow::SCHEMA
/// [`DeviceExposure::SCHEMA`]: crate::assessment::DeviceExposure::SCHEMA
///
/// ```
/// use exposure::arrow::arrow_ipc::reader::StreamReader;
/// use exposure::stream::{ArrowIpc, StreamOptions};
/// let engine = exposure::Engine::demo();
/// let devices = exposure::demo::fleet().devices.into_iter().map(Ok::<_, std::io::Error>);
/// let options = StreamOptions { chunk_devices: 2, ..StreamOptions::default() };
/// let (mut findings, mut rows) = (Vec::new(), Vec::new());
/// let mut sink = ArrowIpc::with_device_rows(&mut findings, &mut rows)?;
/// engine.assess_stream(devices, &options, &mut sink)?;
/// sink.finish()?;
/// drop(sink);
/// let batches = StreamReader::try_new(findings.as_slice(), None)?.collect::<Result<Vec<_>, _>>()?;
/// assert_eq!(batches.len(), 3); // five devices, two at a time
/// let whole = engine.assess(&exposure::demo::fleet());
/// assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), whole.findings.len());
/// let devices = StreamReader::try_new(rows.as_slice(), None)?.map(|b| b.map(|b| b.num_rows()));
/// assert_eq!(devices.sum::<Result<usize, _>>()?, 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ArrowIpc<W: Write> {
    writers: Writers<StreamWriter<W>>,
}

impl<W: Write> ArrowIpc<W> {
    /// Writes the findings to `findings` (the stream's schema is written at once).
    ///
    /// ```
    /// let mut out = Vec::new();
    /// exposure::stream::ArrowIpc::new(&mut out)?.finish()?;
    /// let reader = exposure::arrow::arrow_ipc::reader::StreamReader::try_new(out.as_slice(), None)?;
    /// assert_eq!(reader.schema().field(0).name(), "device_id");
    /// assert_eq!(reader.count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(findings: W) -> Result<Self, SinkError> {
        Self::open(findings, None)
    }

    /// Writes the findings to `findings` and the device rows to `devices`.
    ///
    /// ```
    /// let (mut findings, mut devices) = (Vec::new(), Vec::new());
    /// exposure::stream::ArrowIpc::with_device_rows(&mut findings, &mut devices)?.finish()?;
    /// let reader = exposure::arrow::arrow_ipc::reader::StreamReader::try_new(devices.as_slice(), None)?;
    /// assert_eq!(reader.schema().field(1).name(), "name");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_device_rows(findings: W, devices: W) -> Result<Self, SinkError> {
        Self::open(findings, Some(devices))
    }

    fn open(findings: W, devices: Option<W>) -> Result<Self, SinkError> {
        let stream = |out, rows: Rows| {
            StreamWriter::try_new(out, &schema_of(rows.columns())).map_err(|e| error(rows, e))
        };
        Ok(ArrowIpc {
            writers: Writers::open(FORMAT, findings, devices, stream)?,
        })
    }

    /// Ends the streams (their end-of-stream markers) and flushes the writers. A sink that
    /// failed is not finished: [`SinkError::Closed`].
    ///
    /// ```
    /// let mut out = Vec::new();
    /// let mut sink = exposure::stream::ArrowIpc::new(&mut out)?;
    /// sink.finish()?;
    /// assert!(sink.finish().is_err(), "once");
    /// drop(sink);
    /// assert!(out.ends_with(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]));
    /// # Ok::<(), exposure::stream::SinkError>(())
    /// ```
    pub fn finish(&mut self) -> Result<(), SinkError> {
        self.writers
            .each(true, |out, rows| out.finish().map_err(|e| error(rows, e)))
    }
}

/// Arrow's error as the sink's: the writer's I/O error kept whole.
fn error(rows: Rows, e: ArrowError) -> SinkError {
    let output = rows.name();
    match e {
        ArrowError::IoError(_, source) => SinkError::Io {
            output,
            format: FORMAT,
            source,
        },
        e => SinkError::Encode {
            output,
            format: FORMAT,
            message: e.to_string(),
        },
    }
}

impl<W: Write> ChunkSink for ArrowIpc<W> {
    fn chunk(&mut self, chunk: &Assessment) -> std::io::Result<()> {
        self.writers.each(false, |out, rows| {
            out.write(&rows.batch(chunk)?)
                .and_then(|()| out.flush())
                .map_err(|e| error(rows, e))
        })?;
        Ok(())
    }
}

impl<W: Write> Drop for ArrowIpc<W> {
    fn drop(&mut self) {
        if self.writers.finished() {
            return;
        }
        for stream in self.writers.all() {
            let out = stream.get_mut();
            // Nothing to report to: the stream is incomplete either way.
            let _ = out.write_all(&ABANDONED).and_then(|()| out.flush());
        }
    }
}
