//! Opening a store: the checks that come before any write, and the migrations.
//!
//! Order matters. Nothing is written until the file is known to be a SQLite database
//! (header), whole (size against the header), an exposure store or a new one
//! (`application_id`, tables) and not newer than this build (`user_version`). Only then is
//! the write-ahead log switched on and the schema migrated, in one `BEGIN IMMEDIATE`
//! transaction that re-reads the version (another process may have migrated meanwhile).

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::At;
use crate::{Error, BUSY_TIMEOUT};

/// `PRAGMA application_id` of an exposure store: "EXPO" in ASCII.
pub(crate) const APPLICATION_ID: i32 = 0x4558_504F;

/// The schema, one step per version: step `n` (1-based) turns version `n - 1` into `n`.
/// Steps are append-only: a released step is never edited, a change is a new step.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: assessments (metadata apart from their payloads, so listing never reads a
    //    payload), exceptions, remediation activities, meta.
    "
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE assessments (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        recorded_at TEXT NOT NULL,
        as_of       TEXT,
        label       TEXT NOT NULL,
        score       REAL NOT NULL,
        level       TEXT NOT NULL,
        devices     INTEGER NOT NULL CHECK (devices >= 0),
        findings    INTEGER NOT NULL CHECK (findings >= 0),
        format      TEXT NOT NULL,
        payload_len INTEGER NOT NULL CHECK (payload_len >= 0)
    ) STRICT;
    CREATE INDEX assessments_by_label ON assessments (label, id);

    CREATE TABLE assessment_payloads (
        id      INTEGER PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
        payload BLOB NOT NULL
    ) STRICT;

    CREATE TABLE exceptions (
        id         TEXT PRIMARY KEY,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires    TEXT,
        status     TEXT NOT NULL CHECK (status IN ('active', 'expired', 'revoked')),
        revoked_at TEXT,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX exceptions_by_status ON exceptions (status, id);

    CREATE TABLE remediation_activities (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        recommendation_id TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        due               TEXT NOT NULL,
        priority          TEXT NOT NULL,
        note              TEXT,
        targets           TEXT NOT NULL,
        body              TEXT NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
        updated_at        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX remediation_activities_by_status ON remediation_activities (status, id);
    ",
];

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Opens `path` with `migrations`, creating the file on first use.
///
/// Processes that open a new file at once race to switch it to the write-ahead log and
/// migrate it, and SQLite answers some of those steps `SQLITE_BUSY` without calling the busy
/// handler (a journal-mode change needs the file to itself); the whole sequence is tried
/// again, a fresh connection each time, until [`BUSY_TIMEOUT`] has passed.
pub(crate) fn open(path: &Path, migrations: &[&str]) -> Result<Connection, Error> {
    let start = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(1);
    loop {
        match open_once(path, migrations) {
            Err(Error::Busy { .. }) if start.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(50));
            }
            result => return result,
        }
    }
}

fn open_once(path: &Path, migrations: &[&str]) -> Result<Connection, Error> {
    let supported = u32::try_from(migrations.len()).unwrap_or(u32::MAX);
    let suspicious = check_header(path)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) => Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e),
        },
        _ => crate::error::from_sqlite(path, e),
    })?;
    conn.busy_timeout(BUSY_TIMEOUT).at(path)?;
    if let Some(detail) = suspicious {
        // The header promises more pages than the file has: truncated, unless a checkpoint
        // of another process is extending the file right now. SQLite's own check, which
        // reads under its locks, decides.
        confirm_damage(&conn, path, detail)?;
    }
    // Reads only, until the file is known to be ours (or new) and not newer.
    identify(&conn, path, supported)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .at(path)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::JournalMode {
            path: path.to_path_buf(),
            mode,
        });
    }
    // FULL: a commit is on disk when the call returns, also across a power loss (NORMAL
    // in WAL mode is safe against corruption but may lose the last commits). Writes are
    // few, one per command, so the fsync is not felt. The log is cut back to 64 MiB after
    // a checkpoint, so one large record does not leave a large -wal file behind.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = 67108864;",
    )
    .at(path)?;
    migrate(&mut conn, path, migrations)?;
    Ok(conn)
}

/// Opens an existing store for reading only: never created, migrated or written.
pub(crate) fn open_read_only(path: &Path, migrations: &[&str]) -> Result<Connection, Error> {
    let supported = u32::try_from(migrations.len()).unwrap_or(u32::MAX);
    if let Err(source) = std::fs::metadata(path) {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source,
        });
    }
    let suspicious = check_header(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .at(path)?;
    conn.busy_timeout(BUSY_TIMEOUT).at(path)?;
    if let Some(detail) = suspicious {
        confirm_damage(&conn, path, detail)?;
    }
    let found = identify(&conn, path, supported)?;
    if found < supported {
        return Err(Error::OlderSchema {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    Ok(conn)
}

/// Reads the 100-byte header without SQLite. `Ok(Some(detail))`: the file is shorter than
/// its header says (checked again under SQLite's locks).
fn check_header(path: &Path) -> Result<Option<String>, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    let len = file.metadata().map_err(io)?.len();
    if len == 0 {
        return Ok(None); // SQLite's empty database: created on first write
    }
    let mut head = Vec::with_capacity(100);
    file.take(100).read_to_end(&mut head).map_err(io)?;
    if head.len() < SQLITE_MAGIC.len() || &head[..SQLITE_MAGIC.len()] != SQLITE_MAGIC {
        return Err(Error::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let corrupt = |detail: String| Error::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    if head.len() < 100 {
        return Err(corrupt(format!(
            "the file has {len} bytes, less than SQLite's 100-byte header"
        )));
    }
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let page_size = match u32::from(u16::from_be_bytes([head[16], head[17]])) {
        1 => 65_536,
        n if n.is_power_of_two() && (512..=32_768).contains(&n) => n,
        n => {
            return Err(corrupt(format!(
                "the header's page size {n} is not one SQLite writes"
            )))
        }
    };
    let pages = be32(28);
    // The header's page count is valid only when the change counter matches the
    // version-valid-for number (SQLite file format, section 1.3.7).
    let expected = u64::from(pages) * u64::from(page_size);
    if pages != 0 && be32(24) == be32(92) && len < expected {
        return Ok(Some(format!(
            "truncated: the header says {pages} pages of {page_size} bytes ({expected} bytes), the file has {len}"
        )));
    }
    Ok(None)
}

fn confirm_damage(conn: &Connection, path: &Path, detail: String) -> Result<(), Error> {
    let corrupt = |detail: String| Error::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    match conn.query_row("PRAGMA quick_check(1)", [], |row| row.get::<_, String>(0)) {
        Ok(result) if result == "ok" => Ok(()),
        Ok(result) => Err(corrupt(format!("{detail}; quick_check: {result}"))),
        Err(e) => match crate::error::from_sqlite(path, e) {
            Error::Corrupt { .. } | Error::NotADatabase { .. } => Err(corrupt(detail)),
            other => Err(other),
        },
    }
}

/// What the file says it is: `user_version`, `application_id`, and whether it has tables,
/// read in one statement (one read transaction: another process's migration is seen whole
/// or not at all).
fn read_identity(conn: &Connection) -> rusqlite::Result<(u32, i32, bool)> {
    conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version),
                (SELECT application_id FROM pragma_application_id),
                EXISTS (SELECT 1 FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%')",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
}

fn identify(conn: &Connection, path: &Path, supported: u32) -> Result<u32, Error> {
    let (version, application, tables) = read_identity(conn).at(path)?;
    if application != APPLICATION_ID && (application != 0 || tables || version != 0) {
        return Err(Error::NotAStore {
            path: path.to_path_buf(),
        });
    }
    if version > supported {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported,
        });
    }
    Ok(version)
}

/// Applies the steps the file lacks, all in one transaction with the version bump.
fn migrate(conn: &mut Connection, path: &Path, migrations: &[&str]) -> Result<(), Error> {
    let supported = u32::try_from(migrations.len()).unwrap_or(u32::MAX);
    if identify(conn, path, supported)? == supported {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .at(path)?;
    // Another process may have migrated between the read above and the lock.
    let found = identify(&tx, path, supported)?;
    for (step, sql) in (1..)
        .zip(migrations)
        .skip(usize::try_from(found).unwrap_or(usize::MAX))
    {
        tx.execute_batch(sql).map_err(|source| Error::Migration {
            path: path.to_path_buf(),
            step,
            source,
        })?;
    }
    tx.execute_batch(&format!(
        "PRAGMA user_version = {supported}; PRAGMA application_id = {APPLICATION_ID};"
    ))
    .at(path)?;
    tx.commit().at(path)
}

#[cfg(test)]
mod tests;
