//! The store's one error type.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

use crate::{ExceptionStatus, TimestampError};

/// Every way a store operation can fail. Errors about the file name it; none of them leaves
/// the file changed (a failed write is rolled back whole).
///
/// ```
/// use exposure_store::{Error, Store};
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("not-sqlite.db");
/// std::fs::write(&path, b"name,score\nweb-1,7.5\n")?;
/// assert!(matches!(Store::open(&path), Err(Error::NotADatabase { .. })));
/// assert_eq!(std::fs::read(&path)?, b"name,score\nweb-1,7.5\n"); // left as it was
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read or created (a missing directory, no permission).
    #[error("{}: cannot open the store: {source}", path.display())]
    Io {
        /// The database file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a SQLite database (its first bytes are not SQLite's header).
    #[error("{}: not a SQLite database; the file is left untouched", path.display())]
    NotADatabase {
        /// The database file.
        path: PathBuf,
    },
    /// The file is a SQLite database of another application: it has tables but is not
    /// marked as an exposure store.
    #[error("{}: a SQLite database of another application, not an exposure store; the file is left untouched", path.display())]
    NotAStore {
        /// The database file.
        path: PathBuf,
    },
    /// The database is damaged (truncated, or a page SQLite cannot read).
    #[error("{}: the database is damaged: {detail}; the file is left untouched", path.display())]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What is wrong, as SQLite or the header check found it.
        detail: String,
    },
    /// The database was written by a newer exposure whose schema this build does not know.
    #[error("{}: the store's schema version {found} is newer than this build supports ({supported}); use a newer exposure — the file is left untouched", path.display())]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The schema version in the file (`PRAGMA user_version`).
        found: u32,
        /// The newest schema version this build knows.
        supported: u32,
    },
    /// A store opened read-only has an older schema, which only a writable open migrates.
    #[error("{}: the store's schema version {found} is older than this build's ({supported}); open it for writing once to migrate it", path.display())]
    OlderSchema {
        /// The database file.
        path: PathBuf,
        /// The schema version in the file (0: an empty file).
        found: u32,
        /// The schema version this build reads.
        supported: u32,
    },
    /// A write to a store opened with [`crate::Store::open_read_only`] (or a file the
    /// process may not write).
    #[error("{}: the store is open for reading only", path.display())]
    ReadOnly {
        /// The database file.
        path: PathBuf,
    },
    /// A migration step failed; the database stays at the version it had.
    #[error("{}: migrating the store to schema version {step} failed (nothing changed): {source}", path.display())]
    Migration {
        /// The database file.
        path: PathBuf,
        /// The schema version the failed step leads to.
        step: u32,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// The file system does not allow SQLite's write-ahead log (for example a network share).
    #[error("{}: the store needs SQLite's write-ahead log, but the journal mode stayed {mode:?}", path.display())]
    JournalMode {
        /// The database file.
        path: PathBuf,
        /// The journal mode SQLite kept.
        mode: String,
    },
    /// Another process held the database for longer than [`crate::BUSY_TIMEOUT`].
    #[error("{}: the store is busy: another process held it for longer than the timeout", path.display())]
    Busy {
        /// The database file.
        path: PathBuf,
    },
    /// A stored value does not read back as its type (a date, a status, a count): the
    /// database was changed by another program.
    #[error("{}: a stored value is invalid: {detail}", path.display())]
    BadValue {
        /// The database file.
        path: PathBuf,
        /// Which value, and why.
        detail: String,
    },
    /// Any other SQLite failure.
    #[error("{}: SQLite: {source}", path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// An assessment payload larger than [`crate::MAX_PAYLOAD_BYTES`].
    #[error(
        "an assessment payload of {len} bytes is larger than the store's limit of {limit} bytes"
    )]
    TooLarge {
        /// The payload's length.
        len: usize,
        /// [`crate::MAX_PAYLOAD_BYTES`].
        limit: usize,
    },
    /// A text the store keeps as JSON is not JSON.
    #[error("the {field} is not JSON: {detail}")]
    InvalidJson {
        /// Which text (`exception`, `activity`, `targets`).
        field: &'static str,
        /// The parser's message, with line and column.
        detail: String,
    },
    /// A timestamp that is not RFC 3339 UTC.
    #[error(transparent)]
    Timestamp(#[from] TimestampError),
    /// An exception with this id is stored already.
    #[error("exception {0:?} exists already")]
    ExceptionExists(String),
    /// No exception has this id.
    #[error("no exception {0:?}")]
    NoSuchException(String),
    /// The exception's status does not allow the change ([`ExceptionStatus::can_become`]).
    #[error("exception {id:?} is {from} and cannot become {to}")]
    ExceptionTransition {
        /// The exception's id.
        id: String,
        /// Its status.
        from: ExceptionStatus,
        /// The status asked for.
        to: ExceptionStatus,
    },
    /// A revoked exception cannot be updated: it stays as it was when revoked.
    #[error("exception {0:?} is revoked and cannot be updated")]
    ExceptionRevoked(String),
    /// No assessment has this id.
    #[error("no assessment {0}")]
    NoSuchAssessment(i64),
    /// No remediation activity has this id.
    #[error("no remediation activity {0}")]
    NoSuchActivity(i64),
}

/// Names the file in SQLite's errors and sorts them into the variants callers act on.
pub(crate) fn from_sqlite(path: &Path, error: rusqlite::Error) -> Error {
    let path = path.to_path_buf();
    match &error {
        rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Error::Busy { path },
            ErrorCode::DatabaseCorrupt => Error::Corrupt {
                path,
                detail: error.to_string(),
            },
            ErrorCode::NotADatabase => Error::NotADatabase { path },
            ErrorCode::ReadOnly => Error::ReadOnly { path },
            _ => Error::Sqlite {
                path,
                source: error,
            },
        },
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => Error::BadValue {
            path,
            detail: error.to_string(),
        },
        _ => Error::Sqlite {
            path,
            source: error,
        },
    }
}

/// `result.at(path)?`: a SQLite result with the store's file named in its error.
pub(crate) trait At<T> {
    fn at(self, path: &Path) -> Result<T, Error>;
}

impl<T> At<T> for Result<T, rusqlite::Error> {
    fn at(self, path: &Path) -> Result<T, Error> {
        self.map_err(|e| from_sqlite(path, e))
    }
}
