//! What the columnar sinks share: their error, their two outputs (findings and device rows)
//! and the state that keeps a failed output failed.

use crate::arrow::arrow_array::RecordBatch;
use crate::arrow::{devices_batch, findings_batch, BatchError};
use crate::assessment::{Assessment, DeviceExposure, FindingRow};
use crate::columns::Column;

/// Why a columnar sink ([`super::ArrowIpc`], [`super::Parquet`]) could not write. A sink that
/// failed once stays failed ([`SinkError::Closed`]): its output is incomplete, and it is never
/// finished as if it were whole.
///
/// [`super::ChunkSink::chunk`] returns it inside an [`std::io::Error`] (of the writer's kind
/// when the writer failed), from which `get_ref` and `downcast_ref` take it back.
///
/// ```
/// use exposure::stream::{ArrowIpc, ChunkSink, SinkError};
/// let a = exposure::Engine::demo().assess(&exposure::demo::fleet());
/// let mut out = Vec::new();
/// let mut sink = ArrowIpc::new(&mut out)?;
/// sink.finish()?;
/// let e = sink.chunk(&a).unwrap_err();
/// let e = e.get_ref().and_then(|e| e.downcast_ref::<SinkError>()).unwrap();
/// assert!(matches!(e, SinkError::Closed { format: "Arrow IPC" }));
/// # Ok::<(), SinkError>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SinkError {
    /// A chunk's rows could not be made a record batch.
    #[error(transparent)]
    Rows(#[from] BatchError),
    /// The writer failed.
    #[error("writing the {output} as {format} failed: {source}")]
    Io {
        /// `findings` or `device rows`.
        output: &'static str,
        /// `Arrow IPC` or `Parquet`.
        format: &'static str,
        /// The writer's error.
        source: std::io::Error,
    },
    /// The format's encoder refused the batch or the file (its message).
    #[error("encoding the {output} as {format} failed: {message}")]
    Encode {
        /// `findings` or `device rows`.
        output: &'static str,
        /// `Arrow IPC` or `Parquet`.
        format: &'static str,
        /// The encoder's message.
        message: String,
    },
    /// The sink was finished already, or failed before: nothing more is written.
    #[error("the {format} sink is finished or has failed: nothing more is written")]
    Closed {
        /// `Arrow IPC` or `Parquet`.
        format: &'static str,
    },
}

impl From<SinkError> for std::io::Error {
    fn from(e: SinkError) -> Self {
        let kind = match &e {
            SinkError::Io { source, .. } => source.kind(),
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, e)
    }
}

/// Where a columnar sink is: open, finished (footer or end-of-stream written), or failed
/// (its output is incomplete and stays so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Open,
    Finished,
    Failed,
}

/// What an output of a columnar sink holds: the findings, or the device rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rows {
    Findings,
    Devices,
}

impl Rows {
    /// Its name in errors.
    pub(super) fn name(self) -> &'static str {
        match self {
            Rows::Findings => "findings",
            Rows::Devices => "device rows",
        }
    }

    /// Its columns.
    pub(super) fn columns(self) -> &'static [Column] {
        match self {
            Rows::Findings => &FindingRow::SCHEMA,
            Rows::Devices => &DeviceExposure::SCHEMA,
        }
    }

    /// A chunk's rows of it, as a record batch.
    pub(super) fn batch(self, chunk: &Assessment) -> Result<RecordBatch, BatchError> {
        match self {
            Rows::Findings => findings_batch(chunk),
            Rows::Devices => devices_batch(chunk),
        }
    }
}

/// A columnar sink's writers (the findings', and the device rows' when asked for) and where
/// the sink is.
pub(super) struct Writers<T> {
    format: &'static str,
    findings: T,
    devices: Option<T>,
    state: State,
}

impl<T> Writers<T> {
    /// Each output opened by `open`.
    pub(super) fn open<W>(
        format: &'static str,
        findings: W,
        devices: Option<W>,
        mut open: impl FnMut(W, Rows) -> Result<T, SinkError>,
    ) -> Result<Self, SinkError> {
        Ok(Writers {
            format,
            findings: open(findings, Rows::Findings)?,
            devices: devices
                .map(|devices| open(devices, Rows::Devices))
                .transpose()?,
            state: State::Open,
        })
    }

    /// Runs `step` on each writer if the sink is open: a step that fails leaves it failed, a
    /// `finishing` run that succeeds leaves it finished.
    pub(super) fn each(
        &mut self,
        finishing: bool,
        mut step: impl FnMut(&mut T, Rows) -> Result<(), SinkError>,
    ) -> Result<(), SinkError> {
        if self.state != State::Open {
            return Err(SinkError::Closed {
                format: self.format,
            });
        }
        self.state = State::Failed;
        step(&mut self.findings, Rows::Findings)?;
        if let Some(devices) = &mut self.devices {
            step(devices, Rows::Devices)?;
        }
        self.state = if finishing {
            State::Finished
        } else {
            State::Open
        };
        Ok(())
    }

    /// Whether the sink was finished.
    pub(super) fn finished(&self) -> bool {
        self.state == State::Finished
    }

    /// Every writer, whatever the state.
    pub(super) fn all(&mut self) -> impl Iterator<Item = &mut T> {
        std::iter::once(&mut self.findings).chain(self.devices.as_mut())
    }
}

impl<T> std::fmt::Debug for Writers<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(self.format)
            .field("device_rows", &self.devices.is_some())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}
