//! The mirror: the raw records an update fetched, in one SQLite file beside the snapshot
//! (`<snapshot>.mirror` by default), so that a later update fetches only what changed and
//! the snapshot is rebuilt locally.
//!
//! Tables: `records` (per source, records keyed by id with their modified date, whether they
//! are withdrawn, and their JSON as normalised text), `documents` (whole documents of
//! whole-document sources: KEV, EPSS, Alpine), `http_cache` (URL → ETag, Last-Modified) and
//! `state` (cursors: NVD's last window end, OSV's newest `modified` per ecosystem, the NVD
//! paging position of an unfinished run; the mirror's `generation`, raised by every commit
//! that changed something, and the generation and sources the snapshot was last built from).

use crate::error::UpdateError;
use crate::http::Validators;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS records (
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    modified TEXT,
    withdrawn INTEGER NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (source, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (source TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS http_cache (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// What storing one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Added,
    Changed,
    Withdrawn,
    Unchanged,
}

/// One record to store.
pub(crate) struct Record<'a> {
    pub(crate) id: &'a str,
    pub(crate) modified: Option<&'a str>,
    pub(crate) withdrawn: bool,
    pub(crate) body: &'a [u8],
}

/// What [`Mirror::each_record`] calls with each record's id and body.
pub(crate) type EachRecord<'a> = dyn FnMut(&str, &[u8]) -> Result<(), UpdateError> + 'a;

/// The open mirror.
pub(crate) struct Mirror {
    conn: Connection,
    path: PathBuf,
}

impl Mirror {
    /// Opens (creating) the mirror at `path`.
    pub(crate) fn open(path: &Path) -> Result<Self, UpdateError> {
        let fail = |e: rusqlite::Error| UpdateError::Mirror {
            path: path.to_owned(),
            message: e.to_string(),
        };
        let conn = Connection::open(path).map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(fail)?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .map_err(fail)?;
        conn.execute_batch(SCHEMA).map_err(fail)?;
        Ok(Mirror {
            conn,
            path: path.to_owned(),
        })
    }

    fn fail(&self, e: &rusqlite::Error) -> UpdateError {
        UpdateError::Mirror {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Runs `body` in one transaction: committed when it returns `Ok`, rolled back otherwise.
    pub(crate) fn transaction<T>(
        &mut self,
        body: impl FnOnce(&Mirror) -> Result<T, UpdateError>,
    ) -> Result<T, UpdateError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.fail(&e))?;
        match body(self) {
            Ok(out) => {
                if let Err(e) = self.conn.execute_batch("COMMIT") {
                    let error = self.fail(&e);
                    self.conn.execute_batch("ROLLBACK").ok();
                    return Err(error);
                }
                Ok(out)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK").ok();
                Err(e)
            }
        }
    }

    /// Stores a record, telling whether it is new, changed, newly withdrawn or the same.
    pub(crate) fn put_record(&self, source: &str, r: &Record<'_>) -> Result<Change, UpdateError> {
        let old: Option<(Vec<u8>, bool)> = self
            .conn
            .query_row(
                "SELECT body, withdrawn FROM records WHERE source = ?1 AND id = ?2",
                params![source, r.id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.fail(&e))?;
        let change = match old {
            Some((body, _)) if body == r.body => return Ok(Change::Unchanged),
            Some((_, was_withdrawn)) if r.withdrawn && !was_withdrawn => Change::Withdrawn,
            None if r.withdrawn => Change::Withdrawn,
            Some(_) => Change::Changed,
            None => Change::Added,
        };
        self.conn
            .execute(
                "INSERT OR REPLACE INTO records (source, id, modified, withdrawn, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![source, r.id, r.modified, r.withdrawn, r.body],
            )
            .map_err(|e| self.fail(&e))?;
        Ok(change)
    }

    /// How many records a source holds.
    pub(crate) fn count(&self, source: &str) -> Result<u64, UpdateError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM records WHERE source = ?1",
                [source],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(|e| self.fail(&e))
    }

    /// Calls `each` with every record body of a source, in id order.
    pub(crate) fn each_record(
        &self,
        source: &str,
        each: &mut EachRecord<'_>,
    ) -> Result<(), UpdateError> {
        let mut statement = self
            .conn
            .prepare("SELECT id, body FROM records WHERE source = ?1 ORDER BY id")
            .map_err(|e| self.fail(&e))?;
        let mut rows = statement.query([source]).map_err(|e| self.fail(&e))?;
        while let Some(row) = rows.next().map_err(|e| self.fail(&e))? {
            let id: String = row.get(0).map_err(|e| self.fail(&e))?;
            let body: Vec<u8> = row.get(1).map_err(|e| self.fail(&e))?;
            each(&id, &body)?;
        }
        Ok(())
    }

    /// A whole document of a source.
    pub(crate) fn document(&self, source: &str) -> Result<Option<Vec<u8>>, UpdateError> {
        self.conn
            .query_row(
                "SELECT body FROM documents WHERE source = ?1",
                [source],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.fail(&e))
    }

    /// Replaces a whole document.
    pub(crate) fn put_document(&self, source: &str, body: &[u8]) -> Result<(), UpdateError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO documents (source, body) VALUES (?1, ?2)",
                params![source, body],
            )
            .map(|_| ())
            .map_err(|e| self.fail(&e))
    }

    /// The validators a URL's last answer carried.
    pub(crate) fn validators(&self, url: &str) -> Result<Option<Validators>, UpdateError> {
        self.conn
            .query_row(
                "SELECT etag, last_modified FROM http_cache WHERE url = ?1",
                [url],
                |row| {
                    Ok(Validators {
                        etag: row.get(0)?,
                        last_modified: row.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.fail(&e))
    }

    /// Keeps a URL's validators.
    pub(crate) fn put_validators(&self, url: &str, v: &Validators) -> Result<(), UpdateError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO http_cache (url, etag, last_modified) VALUES (?1, ?2, ?3)",
                params![url, v.etag, v.last_modified],
            )
            .map(|_| ())
            .map_err(|e| self.fail(&e))
    }

    /// A state value (a cursor).
    pub(crate) fn state(&self, key: &str) -> Result<Option<String>, UpdateError> {
        self.conn
            .query_row("SELECT value FROM state WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.fail(&e))
    }

    /// Sets a state value; `None` removes it.
    pub(crate) fn set_state(&self, key: &str, value: Option<&str>) -> Result<(), UpdateError> {
        let done = match value {
            Some(v) => self.conn.execute(
                "INSERT OR REPLACE INTO state (key, value) VALUES (?1, ?2)",
                params![key, v],
            ),
            None => self.conn.execute("DELETE FROM state WHERE key = ?1", [key]),
        };
        done.map(|_| ()).map_err(|e| self.fail(&e))
    }

    /// The mirror's generation: raised by every commit that changed records or documents.
    pub(crate) fn generation(&self) -> Result<i64, UpdateError> {
        Ok(self
            .state("generation")?
            .and_then(|g| g.parse().ok())
            .unwrap_or(0))
    }

    /// Raises the generation (inside the transaction that changed something).
    pub(crate) fn bump_generation(&self) -> Result<(), UpdateError> {
        let next = self.generation()? + 1;
        self.set_state("generation", Some(&next.to_string()))
    }
}
