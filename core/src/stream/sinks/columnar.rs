//! What the columnar sinks share: their error, and the state that keeps a failed output
//! failed.

use crate::arrow::BatchError;

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

impl State {
    /// Runs `step` if the sink is open; a step that fails leaves it failed, `finishing` one
    /// that succeeds leaves it finished.
    pub(super) fn run<T>(
        &mut self,
        format: &'static str,
        finishing: bool,
        step: impl FnOnce() -> Result<T, SinkError>,
    ) -> Result<T, SinkError> {
        if *self != State::Open {
            return Err(SinkError::Closed { format });
        }
        *self = State::Failed;
        let done = step()?;
        *self = if finishing {
            State::Finished
        } else {
            State::Open
        };
        Ok(done)
    }
}
