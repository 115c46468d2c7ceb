//! Where a streamed assessment's chunks go: the [`ChunkSink`] trait, the JSON Lines sink, and
//! (features `arrow` and `parquet`) the columnar sinks, [`ArrowIpc`] and [`Parquet`], which
//! write each chunk's findings as one record batch of the findings schema of
//! [`crate::arrow`].

#[cfg(feature = "arrow")]
mod arrow_ipc;
#[cfg(feature = "arrow")]
mod columnar;
#[cfg(feature = "parquet")]
mod parquet_file;

#[cfg(feature = "arrow")]
pub use arrow_ipc::ArrowIpc;
#[cfg(feature = "arrow")]
pub use columnar::SinkError;
#[cfg(feature = "parquet")]
pub use parquet_file::{Parquet, ParquetCompression, ParquetOptions, RowGroups};

use crate::assessment::Assessment;
use serde::Serialize;

/// Where a streamed assessment's chunks go, each as it is assessed: its findings, device
/// rows, suppressions and diagnostics. A chunk's own organisation score is the chunk's, not
/// the fleet's, and its recommendations and configuration summary are left empty (unless
/// exceptions needed them): the fleet's come from the stream's aggregate.
pub trait ChunkSink {
    /// Takes one assessed chunk.
    ///
    /// # Errors
    ///
    /// Whatever writing it fails with; the stream stops there.
    fn chunk(&mut self, chunk: &Assessment) -> std::io::Result<()>;
}

impl<F: FnMut(&Assessment) -> std::io::Result<()>> ChunkSink for F {
    fn chunk(&mut self, chunk: &Assessment) -> std::io::Result<()> {
        self(chunk)
    }
}

/// A sink writing each finding as one line of JSON ([`crate::assessment::FindingRow`], the
/// columns of the findings view) and, when given a second writer, each device's row
/// ([`crate::assessment::DeviceExposure`]) the same way.
///
/// ```
/// use exposure::stream::{ChunkSink, JsonLines};
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let mut out = Vec::new();
/// JsonLines::new(&mut out).chunk(&a)?;
/// let first: serde_json::Value = serde_json::from_slice(out.split(|&b| b == b'\n').next().unwrap())?;
/// assert_eq!(first["advisory_id"], a.findings[0].finding.advisory_id.as_ref());
/// let (mut findings, mut devices) = (Vec::new(), Vec::new());
/// JsonLines::with_device_rows(&mut findings, &mut devices).chunk(&a)?;
/// assert_eq!(devices.iter().filter(|&&b| b == b'\n').count(), a.devices.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonLines<W> {
    findings: W,
    devices: Option<W>,
}

impl<W: std::io::Write> JsonLines<W> {
    /// Writes the findings to `findings` (buffer it: one write per line otherwise).
    pub fn new(findings: W) -> Self {
        Self {
            findings,
            devices: None,
        }
    }

    /// Writes the findings to `findings` and the device rows to `devices`.
    pub fn with_device_rows(findings: W, devices: W) -> Self {
        Self {
            findings,
            devices: Some(devices),
        }
    }

    /// Flushes both writers.
    ///
    /// # Errors
    ///
    /// The first writer's error.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.findings.flush()?;
        self.devices.as_mut().map_or(Ok(()), std::io::Write::flush)
    }

    /// The findings' writer back.
    pub fn into_inner(self) -> W {
        self.findings
    }
}

/// Each row as one line of JSON.
fn write_lines<T: Serialize>(out: &mut impl std::io::Write, rows: &[T]) -> std::io::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

impl<W: std::io::Write> ChunkSink for JsonLines<W> {
    fn chunk(&mut self, chunk: &Assessment) -> std::io::Result<()> {
        write_lines(&mut self.findings, &chunk.finding_rows())?;
        match &mut self.devices {
            Some(devices) => write_lines(devices, &chunk.devices),
            None => Ok(()),
        }
    }
}
