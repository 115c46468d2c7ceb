//! The exposure store: an assessment history, exceptions and remediation activities in one
//! SQLite file, the same file for the CLI and the Python package.
//!
//! Core produces the values (assessment records, exceptions, activities) and knows what they
//! mean; the store keeps them as versioned payloads beside the columns needed to find them,
//! and never reads the clock (callers pass [`Timestamp`]s).
//!
//! ```
//! use exposure_store::{AssessmentMeta, AssessmentQuery, Store, Timestamp};
//! let dir = tempfile::tempdir()?;
//! let mut store = Store::open(dir.path().join("exposure.db"))?; // created on first use
//! let meta = AssessmentMeta {
//!     recorded_at: "2026-12-05T08:00:00Z".parse()?,
//!     as_of: Some("2026-12-05".parse()?),
//!     label: "fleet".into(),
//!     score: 41.5,
//!     level: "medium".into(),
//!     devices: 3,
//!     findings: 17,
//!     format: "exposure-record/1".into(),
//! };
//! let id = store.record_assessment(&meta, b"record bytes from core")?;
//! assert_eq!(store.assessment_payload(id)?.as_deref(), Some(&b"record bytes from core"[..]));
//! assert_eq!(store.assessments(&AssessmentQuery::default())?.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Traps:
//! - Writes take `&mut self` and run in their own `BEGIN IMMEDIATE` transaction; a second
//!   process waits up to [`BUSY_TIMEOUT`] for the lock, then gets [`Error::Busy`].
//! - Opening a database never changes it before it is known to be an exposure store of a
//!   schema this build knows: a newer schema, another application's database, a damaged
//!   or a non-SQLite file are errors and the file is left as it was.
//! - [`Store::open`] creates and migrates; readers that must not (views, DataFrames, a file
//!   this process may not write) use [`Store::open_read_only`].
//! - [`Store::check`] reads every page (`PRAGMA quick_check`); opening does not (it costs
//!   time in proportion to the file, see `store/README.md`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

mod activities;
mod assessments;
mod error;
mod exceptions;
mod schema;
mod timestamp;

pub use activities::{ActivityEntry, ActivityStatus, NewActivity, UnknownActivityStatus};
pub use assessments::{AssessmentEntry, AssessmentMeta, AssessmentQuery};
pub use error::Error;
pub use exceptions::{
    ExceptionEntry, ExceptionStatus, ExceptionUpdate, NewException, UnknownExceptionStatus,
};
pub use timestamp::{Timestamp, TimestampError};

use error::At;

/// How long a store waits for another process's write to finish before [`Error::Busy`].
///
/// ```
/// assert_eq!(exposure_store::BUSY_TIMEOUT.as_secs(), 5);
/// ```
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest assessment payload the store takes: SQLite's limit on one value (10⁹
/// bytes) less a margin for the row around it.
///
/// ```
/// assert!(exposure_store::MAX_PAYLOAD_BYTES > 900_000_000);
/// ```
pub const MAX_PAYLOAD_BYTES: usize = 1_000_000_000 - 4096;

/// The schema version this build writes and reads (`PRAGMA user_version`).
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let store = exposure_store::Store::open(dir.path().join("x.db"))?;
/// assert_eq!(store.schema_version()?, exposure_store::SCHEMA_VERSION);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[allow(clippy::cast_possible_truncation)] // a handful of steps
pub const SCHEMA_VERSION: u32 = schema::MIGRATIONS.len() as u32;

/// An open store: one SQLite connection to one file.
///
/// `Store` is `Send` (move it to another thread) but not `Sync`; open one per thread or
/// process — they all see each other's committed writes.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("exposure.db");
/// let mut a = exposure_store::Store::open(&path)?;
/// let b = exposure_store::Store::open(&path)?;
/// a.set_meta("owner", "secops")?;
/// assert_eq!(b.meta("owner")?.as_deref(), Some("secops"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the store at `path`, creating the file on first use and migrating an older
    /// schema (in one transaction). Sets the write-ahead log, `synchronous = FULL`,
    /// foreign keys and a busy timeout of [`BUSY_TIMEOUT`].
    ///
    /// Errors, each leaving the file untouched: [`Error::NotADatabase`],
    /// [`Error::Corrupt`], [`Error::NotAStore`], [`Error::NewerSchema`], [`Error::Io`].
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("exposure.db");
    /// assert!(!path.exists());
    /// exposure_store::Store::open(&path)?;
    /// assert!(path.exists());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Store, Error> {
        Store::open_with(path.as_ref(), schema::MIGRATIONS)
    }

    /// Opens an existing store for reading only — what a view, a timeline or a DataFrame
    /// needs, also on a file this process may not write. It is never created, migrated or
    /// written; a write is [`Error::ReadOnly`]. Besides [`Store::open`]'s errors: a missing
    /// file is [`Error::Io`], an older schema [`Error::OlderSchema`].
    ///
    /// ```
    /// # use exposure_store::{Error, Store};
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("exposure.db");
    /// assert!(matches!(Store::open_read_only(&path), Err(Error::Io { .. })));
    /// assert!(!path.exists());
    /// Store::open(&path)?.set_meta("owner", "secops")?;
    /// let mut reader = Store::open_read_only(&path)?;
    /// assert_eq!(reader.meta("owner")?.as_deref(), Some("secops"));
    /// assert!(matches!(reader.set_meta("owner", "it"), Err(Error::ReadOnly { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store, Error> {
        let path = path.as_ref();
        let conn = schema::open_read_only(path, schema::MIGRATIONS)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub(crate) fn open_with(path: &Path, migrations: &[&str]) -> Result<Store, Error> {
        let conn = schema::open(path, migrations)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The file this store reads and writes.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let store = exposure_store::Store::open(dir.path().join("a.db"))?;
    /// assert!(store.path().ends_with("a.db"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's schema version (`PRAGMA user_version`); [`SCHEMA_VERSION`] once open.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let store = exposure_store::Store::open(dir.path().join("a.db"))?;
    /// assert_eq!(store.schema_version()?, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn schema_version(&self) -> Result<u32, Error> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .at(&self.path)
    }

    /// Reads every page and index of the file (`PRAGMA quick_check`): `Ok(())` or
    /// [`Error::Corrupt`] with SQLite's first findings. Costs time in proportion to the
    /// file's size, which is why [`Store::open`] does not run it.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let store = exposure_store::Store::open(dir.path().join("a.db"))?;
    /// store.check()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        let mut statement = self.conn.prepare("PRAGMA quick_check(10)").at(&self.path)?;
        let findings: Vec<String> = statement
            .query_map([], |row| row.get(0))
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        if findings.len() == 1 && findings[0] == "ok" {
            Ok(())
        } else {
            Err(Error::Corrupt {
                path: self.path.clone(),
                detail: findings.join("; "),
            })
        }
    }

    /// The value stored under `key` in the `meta` table.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let store = exposure_store::Store::open(dir.path().join("a.db"))?;
    /// assert_eq!(store.meta("knowledge-base")?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn meta(&self, key: &str) -> Result<Option<String>, Error> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
            .at(&self.path)
    }

    /// Stores `value` under `key` in the `meta` table, replacing any value it had.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let mut store = exposure_store::Store::open(dir.path().join("a.db"))?;
    /// store.set_meta("knowledge-base", "kb-2026-12-05")?;
    /// store.set_meta("knowledge-base", "kb-2026-12-06")?;
    /// assert_eq!(store.meta("knowledge-base")?.as_deref(), Some("kb-2026-12-06"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), Error> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(drop)
            .map_err(Into::into)
        })
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed if it returns `Ok`,
    /// rolled back otherwise.
    fn write<T>(
        &mut self,
        body: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, WriteError>,
    ) -> Result<T, Error> {
        let path = &self.path;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .at(path)?;
        let value = body(&tx).map_err(|e| e.at(path))?;
        tx.commit().at(path)?;
        Ok(value)
    }
}

/// An error inside a write: SQLite's (named with the file afterwards) or the store's own.
pub(crate) enum WriteError {
    Sqlite(rusqlite::Error),
    Store(Error),
}

impl WriteError {
    fn at(self, path: &Path) -> Error {
        match self {
            WriteError::Sqlite(e) => error::from_sqlite(path, e),
            WriteError::Store(e) => e,
        }
    }
}

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        WriteError::Sqlite(e)
    }
}

impl From<Error> for WriteError {
    fn from(e: Error) -> Self {
        WriteError::Store(e)
    }
}

/// Reads a column of text as `T`, a bad value reported as a conversion failure of that
/// column (the store's [`Error::BadValue`]).
pub(crate) fn parsed<T>(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = row.get(index)?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Like [`parsed`], for a nullable column.
pub(crate) fn parsed_opt<T>(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: Option<String> = row.get(index)?;
    text.map(|text| {
        text.parse().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
    })
    .transpose()
}

/// A count column (never negative: the schema checks it).
pub(crate) fn count(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<u64> {
    let n: i64 = row.get(index)?;
    u64::try_from(n).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(index, n))
}

/// Checks that `text` is JSON (the store keeps core's JSON opaque, but whole).
pub(crate) fn check_json(field: &'static str, text: &str) -> Result<(), Error> {
    serde_json::from_str::<&serde_json::value::RawValue>(text)
        .map(drop)
        .map_err(|e| Error::InvalidJson {
            field,
            detail: e.to_string(),
        })
}
