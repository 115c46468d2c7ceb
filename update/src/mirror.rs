//! The mirror: the raw records an update fetched, in one SQLite file beside the snapshot
//! (`<snapshot>.mirror` by default), so that a later update fetches only what changed and
//! the snapshot is rebuilt locally.
//!
//! Tables: `records` (per source, records keyed by id with their modified date, whether they
//! are withdrawn, and their JSON as normalised text), `documents` (whole documents of
//! whole-document sources: KEV, EPSS, Alpine), `http_cache` (URL → ETag, Last-Modified) and
//! `state` (cursors: NVD's last window end, OSV's newest `modified` per ecosystem, the NVD
//! paging position of an unfinished run; the mirror's `generation`, raised by every commit
//! that changed something, and the generation and sources the snapshot was last built from,
//! with the load-order key of the record that created each of its advisories).
//!
//! For patching the snapshot in place (`crate::patch`): `identifiers` (each record's id and
//! aliases, to find the records of a cluster; created and filled from the records when an
//! older mirror lacks it), `changed` (the records and documents changed since the snapshot
//! was last written, emptied when it is) and `shares` (what each OSV and NVD record adds to
//! its source's metadata: documents, records loaded, newest date; and the KEV listing an NVD
//! record carries, its columns added when an older mirror lacks them).

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
CREATE TABLE IF NOT EXISTS changed (source TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (source, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shares (
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    documents INTEGER NOT NULL,
    records INTEGER NOT NULL,
    newest TEXT,
    kev_added TEXT,
    kev_due TEXT,
    PRIMARY KEY (source, id)
) WITHOUT ROWID;
";

/// The KEV listing columns of `shares`, added when a mirror's table lacks them.
const SHARE_NOTES: &str = "
ALTER TABLE shares ADD COLUMN kev_added TEXT;
ALTER TABLE shares ADD COLUMN kev_due TEXT;
";

/// The identifiers table, created (and filled from the records) when a mirror lacks it.
const IDENTIFIERS: &str = "
CREATE TABLE identifiers (
    identifier TEXT NOT NULL,
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (identifier, source, id)
) WITHOUT ROWID;
CREATE INDEX identifiers_of ON identifiers (source, id);
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
        let mirror = Mirror {
            conn,
            path: path.to_owned(),
        };
        let has_identifiers: bool = mirror
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'identifiers')",
                [],
                |row| row.get(0),
            )
            .map_err(fail)?;
        if !has_identifiers {
            mirror.migrate()?;
        }
        let has_notes: bool = mirror
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM pragma_table_info('shares') WHERE name = 'kev_added')",
                [],
                |row| row.get(0),
            )
            .map_err(fail)?;
        if !has_notes {
            mirror.conn.execute_batch(SHARE_NOTES).map_err(fail)?;
        }
        Ok(mirror)
    }

    /// Adds the identifiers table to a mirror written before it existed, filled from the
    /// records, in one transaction.
    fn migrate(&self) -> Result<(), UpdateError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.fail(&e))?;
        let done = self
            .conn
            .execute_batch(IDENTIFIERS)
            .map_err(|e| self.fail(&e))
            .and_then(|()| {
                let mut statement = self
                    .conn
                    .prepare("SELECT source, id, body FROM records")
                    .map_err(|e| self.fail(&e))?;
                let mut rows = statement.query([]).map_err(|e| self.fail(&e))?;
                while let Some(row) = rows.next().map_err(|e| self.fail(&e))? {
                    let source: String = row.get(0).map_err(|e| self.fail(&e))?;
                    let id: String = row.get(1).map_err(|e| self.fail(&e))?;
                    let body: Vec<u8> = row.get(2).map_err(|e| self.fail(&e))?;
                    self.put_identifiers(&source, &id, &body)?;
                }
                Ok(())
            });
        let end = if done.is_ok() { "COMMIT" } else { "ROLLBACK" };
        self.conn.execute_batch(end).map_err(|e| self.fail(&e))?;
        done
    }

    /// Replaces a record's identifiers: its id and the aliases its JSON lists (OSV's
    /// `aliases`; NVD records have none).
    fn put_identifiers(&self, source: &str, id: &str, body: &[u8]) -> Result<(), UpdateError> {
        self.conn
            .execute(
                "DELETE FROM identifiers WHERE source = ?1 AND id = ?2",
                params![source, id],
            )
            .map_err(|e| self.fail(&e))?;
        for identifier in identifiers(id, body) {
            self.conn
                .execute(
                    "INSERT OR IGNORE INTO identifiers (identifier, source, id) VALUES (?1, ?2, ?3)",
                    params![identifier, source, id],
                )
                .map_err(|e| self.fail(&e))?;
        }
        Ok(())
    }

    /// The records (source, id) carrying an identifier as their id or an alias.
    pub(crate) fn carrying(&self, identifier: &str) -> Result<Vec<(String, String)>, UpdateError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT source, id FROM identifiers WHERE identifier = ?1")
            .map_err(|e| self.fail(&e))?;
        let rows = statement
            .query_map([identifier], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.fail(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(&e))
    }

    /// A record's identifiers (its id and aliases).
    pub(crate) fn identifiers_of(
        &self,
        source: &str,
        id: &str,
    ) -> Result<Vec<String>, UpdateError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT identifier FROM identifiers WHERE source = ?1 AND id = ?2")
            .map_err(|e| self.fail(&e))?;
        let rows = statement
            .query_map(params![source, id], |row| row.get(0))
            .map_err(|e| self.fail(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(&e))
    }

    /// A record's body.
    pub(crate) fn record(&self, source: &str, id: &str) -> Result<Option<Vec<u8>>, UpdateError> {
        self.conn
            .query_row(
                "SELECT body FROM records WHERE source = ?1 AND id = ?2",
                params![source, id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.fail(&e))
    }

    /// The records and documents (id empty) changed since the snapshot was last written.
    pub(crate) fn changed(&self) -> Result<Vec<(String, String)>, UpdateError> {
        let mut statement = self
            .conn
            .prepare("SELECT source, id FROM changed ORDER BY source, id")
            .map_err(|e| self.fail(&e))?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.fail(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.fail(&e))
    }

    /// Forgets the changes (the snapshot now holds them).
    pub(crate) fn clear_changed(&self) -> Result<(), UpdateError> {
        self.conn
            .execute("DELETE FROM changed", [])
            .map(|_| ())
            .map_err(|e| self.fail(&e))
    }

    fn note_changed(&self, source: &str, id: &str) -> Result<(), UpdateError> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO changed (source, id) VALUES (?1, ?2)",
                params![source, id],
            )
            .map(|_| ())
            .map_err(|e| self.fail(&e))
    }

    /// Forgets every record's share (a rebuild writes them all again).
    pub(crate) fn clear_shares(&self) -> Result<(), UpdateError> {
        self.conn
            .execute("DELETE FROM shares", [])
            .map(|_| ())
            .map_err(|e| self.fail(&e))
    }

    /// Keeps what a record adds to its source's metadata.
    pub(crate) fn put_share(
        &self,
        source: &str,
        id: &str,
        share: &Share,
    ) -> Result<(), UpdateError> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO shares (source, id, documents, records, newest, kev_added, kev_due) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut s| {
                let (added, due) = share.kev.clone().unzip();
                s.execute(params![
                    source,
                    id,
                    i64::try_from(share.documents).unwrap_or(i64::MAX),
                    i64::try_from(share.records).unwrap_or(i64::MAX),
                    share.newest,
                    added,
                    due
                ])
            })
            .map(|_| ())
            .map_err(|e| self.fail(&e))
    }

    /// A record's share, when the mirror has one.
    pub(crate) fn share(&self, source: &str, id: &str) -> Result<Option<Share>, UpdateError> {
        self.conn
            .query_row(
                "SELECT documents, records, newest, kev_added, kev_due FROM shares WHERE source = ?1 AND id = ?2",
                params![source, id],
                |row| share_of(row, 0),
            )
            .optional()
            .map_err(|e| self.fail(&e))
    }

    /// Calls `each` with every record of a source, in id order, and its share when the
    /// mirror has one.
    pub(crate) fn each_share(
        &self,
        source: &str,
        each: &mut dyn FnMut(&str, Option<Share>),
    ) -> Result<(), UpdateError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT r.id, s.id IS NULL, s.documents, s.records, s.newest, s.kev_added, s.kev_due \
                 FROM records r \
                 LEFT JOIN shares s ON s.source = r.source AND s.id = r.id \
                 WHERE r.source = ?1 ORDER BY r.id",
            )
            .map_err(|e| self.fail(&e))?;
        let mut rows = statement.query([source]).map_err(|e| self.fail(&e))?;
        while let Some(row) = rows.next().map_err(|e| self.fail(&e))? {
            let id: String = row.get(0).map_err(|e| self.fail(&e))?;
            let absent: bool = row.get(1).map_err(|e| self.fail(&e))?;
            if absent {
                each(&id, None);
                continue;
            }
            each(&id, Some(share_of(row, 2).map_err(|e| self.fail(&e))?));
        }
        Ok(())
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
        self.put_identifiers(source, r.id, r.body)?;
        self.note_changed(source, r.id)?;
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

    /// Replaces a whole document (noted as changed when its body differs).
    pub(crate) fn put_document(&self, source: &str, body: &[u8]) -> Result<(), UpdateError> {
        if self.document(source)?.as_deref() != Some(body) {
            self.note_changed(source, "")?;
        }
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

/// What one record adds to its source's metadata ([`exposure::kb::SourceInfo`]): documents
/// noted (0 or 1; for NVD, whether the document of its chunk was read), records loaded and
/// its newest date; and the KEV listing (date added, due date) an NVD record notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Share {
    pub(crate) documents: usize,
    pub(crate) records: usize,
    pub(crate) newest: Option<String>,
    pub(crate) kev: Option<(String, String)>,
}

/// A share from a row's columns from `at` on: documents, records, newest, KEV added, due.
fn share_of(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Share> {
    let documents: i64 = row.get(at)?;
    let records: i64 = row.get(at + 1)?;
    let added: Option<String> = row.get(at + 3)?;
    let due: Option<String> = row.get(at + 4)?;
    Ok(Share {
        documents: usize::try_from(documents).unwrap_or(0),
        records: usize::try_from(records).unwrap_or(0),
        newest: row.get(at + 2)?,
        kev: added.map(|added| (added, due.unwrap_or_default())),
    })
}

/// A record's identifiers: its id, then the aliases its JSON lists, each once.
fn identifiers(id: &str, body: &[u8]) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Aliases {
        #[serde(default)]
        aliases: Option<Vec<serde_json::Value>>,
    }
    let mut out = vec![id.to_owned()];
    let aliases = serde_json::from_slice::<Aliases>(body)
        .ok()
        .and_then(|a| a.aliases)
        .unwrap_or_default();
    for alias in aliases {
        if let Some(alias) = alias.as_str() {
            if !out.iter().any(|known| known == alias) {
                out.push(alias.to_owned());
            }
        }
    }
    out
}
