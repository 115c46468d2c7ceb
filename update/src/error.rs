//! Why an update failed: every error names the source and, for a request, the URL and the
//! HTTP status or the cause. An update that fails leaves the snapshot as it was.

use std::path::PathBuf;

/// Why one request failed after its retries.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The server answered with a status that is not a success (after the retries for 403,
    /// 429 and 503).
    #[error("HTTP status {status}")]
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// No answer within the time-out.
    #[error("timed out")]
    Timeout,
    /// The connection failed or the body ended early (a truncated response).
    #[error("transport: {0}")]
    Transport(String),
    /// The body is larger than the configured limit.
    #[error("the response is larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// The body is not what the source serves (invalid JSON, a CSV without its header, a
    /// zip that does not open).
    #[error("invalid response: {0}")]
    Invalid(String),
}

/// Why an update failed.
///
/// ```
/// use exposure_update::{FetchError, UpdateError};
/// let e = UpdateError::Fetch {
///     source_name: "kev".into(),
///     url: "http://127.0.0.1:1/kev.json".into(),
///     attempts: 3,
///     error: FetchError::Status { status: 503 },
/// };
/// assert_eq!(e.to_string(), "kev: GET http://127.0.0.1:1/kev.json failed after 3 attempts: HTTP status 503");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UpdateError {
    /// The configuration is not usable (an unknown source, a bad URL).
    #[error("configuration: {0}")]
    Config(String),
    /// A request of a source failed.
    #[error("{source_name}: GET {url} failed after {attempts} attempts: {error}")]
    Fetch {
        /// The source (`nvd`, `osv:Go`, `kev`, `epss`, `alpine:v3.20/main`).
        source_name: String,
        /// The URL.
        url: String,
        /// Requests made.
        attempts: u32,
        /// The last failure.
        error: FetchError,
    },
    /// A response was received but its content is not usable.
    #[error("{source_name}: {url}: {error}")]
    Invalid {
        /// The source.
        source_name: String,
        /// The URL.
        url: String,
        /// What is wrong.
        error: FetchError,
    },
    /// The mirror could not be read or written.
    #[error("mirror {path}: {message}")]
    Mirror {
        /// The mirror file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// The mirrored records of a source load incompletely (more than core's share of records
    /// skipped), so the snapshot would hide vulnerabilities.
    #[error("{source_name}: the mirrored records load incompletely: {message}")]
    Incomplete {
        /// The source.
        source_name: String,
        /// The shortfall and its first problems.
        message: String,
    },
    /// The snapshot could not be written (the old one is kept).
    #[error("snapshot {path}: {message}")]
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
}

impl UpdateError {
    /// The source the error is about, when it is about one.
    ///
    /// ```
    /// let e = exposure_update::UpdateError::Config("no source".into());
    /// assert_eq!(e.source_name(), None);
    /// ```
    pub fn source_name(&self) -> Option<&str> {
        match self {
            UpdateError::Fetch { source_name, .. }
            | UpdateError::Invalid { source_name, .. }
            | UpdateError::Incomplete { source_name, .. } => Some(source_name),
            _ => None,
        }
    }
}
