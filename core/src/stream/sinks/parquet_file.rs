//! The Parquet sink: each chunk's findings written through Parquet's Arrow writer, in row
//! groups of one chunk each (or of a number of rows), the file's footer written by
//! [`Parquet::finish`].
//!
//! A Parquet file is read from its footer, which lists the row groups and the schema. A sink
//! dropped without [`Parquet::finish`] (the stream failed, the caller returned early, the
//! process was killed) leaves a file without it, which every reader refuses: an incomplete
//! output never reads as a shorter valid one. The footer is never written on drop for that
//! reason.

use super::columnar::{Rows, SinkError, Writers};
use super::ChunkSink;
use crate::arrow::arrow_array::RecordBatch;
use crate::arrow::schema_of;
use crate::assessment::Assessment;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::num::NonZeroUsize;
use std::sync::Arc;

const FORMAT: &str = "Parquet";

/// How the pages of a [`Parquet`] sink's columns are compressed.
///
/// ```
/// use exposure::stream::ParquetCompression;
/// assert_eq!(ParquetCompression::default(), ParquetCompression::Zstd);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParquetCompression {
    /// None.
    Uncompressed,
    /// Snappy: what Spark and pyarrow write by default, the fastest.
    Snappy,
    /// Zstandard at its default level: the smallest files, fast enough to keep up with the
    /// assessment.
    #[default]
    Zstd,
}

/// How a [`Parquet`] sink cuts its row groups.
///
/// ```
/// use exposure::stream::RowGroups;
/// assert_eq!(RowGroups::default(), RowGroups::PerChunk);
/// let rows = RowGroups::Rows(std::num::NonZeroUsize::new(100_000).unwrap());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowGroups {
    /// One row group per chunk, written as the chunk is: memory holds one chunk.
    #[default]
    PerChunk,
    /// Row groups of this many rows (the last one shorter), whatever the chunks: memory holds
    /// at most this many rows, encoded, beside the chunk. For small chunks, whose row groups
    /// would be too small to read efficiently.
    Rows(NonZeroUsize),
}

/// How a [`Parquet`] sink writes.
///
/// ```
/// use exposure::stream::{ParquetCompression, ParquetOptions, RowGroups};
/// let options = ParquetOptions { compression: ParquetCompression::Snappy, ..ParquetOptions::default() };
/// assert_eq!(options.row_groups, RowGroups::PerChunk);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParquetOptions {
    /// The pages' compression.
    pub compression: ParquetCompression,
    /// How row groups are cut.
    pub row_groups: RowGroups,
}

impl ParquetOptions {
    /// Parquet's writer properties for these options.
    fn properties(self) -> WriterProperties {
        WriterProperties::builder()
            .set_compression(match self.compression {
                ParquetCompression::Uncompressed => Compression::UNCOMPRESSED,
                ParquetCompression::Snappy => Compression::SNAPPY,
                ParquetCompression::Zstd => Compression::ZSTD(ZstdLevel::default()),
            })
            .set_max_row_group_row_count(match self.row_groups {
                RowGroups::PerChunk => None,
                RowGroups::Rows(rows) => Some(rows.get()),
            })
            .build()
    }
}

/// A sink writing the findings as a Parquet file through Parquet's Arrow writer, with the
/// columns of [`FindingRow::SCHEMA`] typed as the Arrow batch API types them
/// ([`crate::arrow::findings_batch`]; the Arrow schema is kept in the file, so Arrow readers
/// get the same types back), and, when given a second writer, the device rows
/// ([`DeviceExposure::SCHEMA`]) as a second file. Row groups and compression:
/// [`ParquetOptions`].
///
/// [`Parquet::finish`] writes the footers and must be called: a file without its footer is
/// refused by every reader (see the module docs).
///
/// [`FindingRow::SCHEMA`]: crate::assessment::FindingRow::SCHEMA
/// [`DeviceExposure::SCHEMA`]: crate::assessment::DeviceExposure::SCHEMA
///
/// ```
/// use exposure::arrow::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
/// use exposure::stream::{Parquet, ParquetOptions, StreamOptions};
/// let engine = exposure::Engine::demo();
/// let devices = exposure::demo::fleet().devices.into_iter().map(Ok::<_, std::io::Error>);
/// let options = StreamOptions { chunk_devices: 2, ..StreamOptions::default() };
/// let mut findings = Vec::new();
/// let mut sink = Parquet::new(&mut findings, ParquetOptions::default())?;
/// engine.assess_stream(devices, &options, &mut sink)?;
/// sink.finish()?;
/// drop(sink);
/// let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(findings))?;
/// assert_eq!(reader.metadata().num_row_groups(), 3); // one per chunk
/// let rows: usize = reader.build()?.map(|b| b.map(|b| b.num_rows())).sum::<Result<_, _>>()?;
/// assert_eq!(rows, engine.assess(&exposure::demo::fleet()).findings.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Parquet<W: Write + Send> {
    writers: Writers<ArrowWriter<W>>,
    row_groups: RowGroups,
}

impl<W: Write + Send> Parquet<W> {
    /// Writes the findings to `findings` (Parquet's magic number is written at once).
    ///
    /// ```
    /// let mut out = Vec::new();
    /// exposure::stream::Parquet::new(&mut out, Default::default())?.finish()?;
    /// assert!(out.starts_with(b"PAR1") && out.ends_with(b"PAR1"));
    /// # Ok::<(), exposure::stream::SinkError>(())
    /// ```
    pub fn new(findings: W, options: ParquetOptions) -> Result<Self, SinkError> {
        Self::open(findings, None, options)
    }

    /// Writes the findings to `findings` and the device rows to `devices`.
    ///
    /// ```
    /// let (mut findings, mut devices) = (Vec::new(), Vec::new());
    /// exposure::stream::Parquet::with_device_rows(&mut findings, &mut devices, Default::default())?.finish()?;
    /// assert!(devices.ends_with(b"PAR1"));
    /// # Ok::<(), exposure::stream::SinkError>(())
    /// ```
    pub fn with_device_rows(
        findings: W,
        devices: W,
        options: ParquetOptions,
    ) -> Result<Self, SinkError> {
        Self::open(findings, Some(devices), options)
    }

    fn open(findings: W, devices: Option<W>, options: ParquetOptions) -> Result<Self, SinkError> {
        let file = |out, rows: Rows| {
            let schema = Arc::new(schema_of(rows.columns()));
            ArrowWriter::try_new(out, schema, Some(options.properties()))
                .map_err(|e| error(rows, e))
        };
        Ok(Parquet {
            writers: Writers::open(FORMAT, findings, devices, file)?,
            row_groups: options.row_groups,
        })
    }

    /// Writes the last row group and the footers, and flushes the writers. A sink that
    /// failed is not finished ([`SinkError::Closed`]): its files stay without a footer.
    ///
    /// ```
    /// use exposure::stream::{ChunkSink, Parquet, SinkError};
    /// let mut out = Vec::new();
    /// let mut sink = Parquet::new(&mut out, Default::default())?;
    /// sink.chunk(&exposure::Engine::demo().assess(&exposure::demo::fleet()))?;
    /// drop(sink); // not finished: no footer
    /// let read = exposure::arrow::parquet::file::reader::SerializedFileReader::new(bytes::Bytes::from(out));
    /// assert!(read.is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(&mut self) -> Result<(), SinkError> {
        self.writers.each(true, |out, rows| {
            out.finish().map_err(|e| error(rows, e))?;
            out.inner_mut().flush().map_err(|source| SinkError::Io {
                output: rows.name(),
                format: FORMAT,
                source,
            })
        })
    }
}

/// Parquet's error as the sink's: the writer's I/O error kept whole.
fn error(rows: Rows, e: ParquetError) -> SinkError {
    let output = rows.name();
    let encode = |message: String| SinkError::Encode {
        output,
        format: FORMAT,
        message,
    };
    match e {
        ParquetError::External(e) => match e.downcast::<std::io::Error>() {
            Ok(source) => SinkError::Io {
                output,
                format: FORMAT,
                source: *source,
            },
            Err(e) => encode(e.to_string()),
        },
        e => encode(e.to_string()),
    }
}

/// `batch` written into row groups as `row_groups` cuts them.
fn write<W: Write + Send>(
    out: &mut ArrowWriter<W>,
    batch: &RecordBatch,
    row_groups: RowGroups,
) -> Result<(), ParquetError> {
    match row_groups {
        RowGroups::PerChunk => {
            out.write(batch)?;
            out.flush()
        }
        // Cut here into pieces that fill the row group at hand at most: the writer cuts a
        // batch that overflows it by calling itself once per row group, which for small row
        // groups and large chunks runs out of stack.
        RowGroups::Rows(rows) => {
            let mut at = 0;
            while at < batch.num_rows() {
                let room = rows.get().saturating_sub(out.in_progress_rows()).max(1);
                let piece = room.min(batch.num_rows() - at);
                out.write(&batch.slice(at, piece))?;
                at += piece;
            }
            Ok(())
        }
    }
}

impl<W: Write + Send> ChunkSink for Parquet<W> {
    fn chunk(&mut self, chunk: &Assessment) -> std::io::Result<()> {
        let row_groups = self.row_groups;
        self.writers.each(false, |out, rows| {
            write(out, &rows.batch(chunk)?, row_groups).map_err(|e| error(rows, e))
        })?;
        Ok(())
    }
}
