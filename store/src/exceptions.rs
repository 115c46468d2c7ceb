//! Exceptions: core's exception documents, kept as JSON text with their lifecycle.

use std::fmt;

use exposure::date::Date;
use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::error::At;
use crate::{check_json, parsed, parsed_opt, Error, Store, Timestamp, WriteError};

/// Where an exception is in its life. Rows are never deleted: an expired or revoked
/// exception stays, as the record of what applied when.
///
/// ```
/// use exposure_store::ExceptionStatus;
/// assert_eq!("revoked".parse::<ExceptionStatus>(), Ok(ExceptionStatus::Revoked));
/// assert_eq!(ExceptionStatus::Active.to_string(), "active");
/// assert!(ExceptionStatus::Active.can_become(ExceptionStatus::Expired));
/// assert!(!ExceptionStatus::Revoked.can_become(ExceptionStatus::Active));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExceptionStatus {
    /// Applies (until its expiry, which core judges on the assessment's day).
    Active,
    /// Marked as expired.
    Expired,
    /// Withdrawn by someone; final.
    Revoked,
}

impl ExceptionStatus {
    /// The stored name: `active`, `expired`, `revoked`.
    ///
    /// ```
    /// assert_eq!(exposure_store::ExceptionStatus::Expired.as_str(), "expired");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionStatus::Active => "active",
            ExceptionStatus::Expired => "expired",
            ExceptionStatus::Revoked => "revoked",
        }
    }

    /// Whether an exception in this status may be moved to `next`: active → expired,
    /// active → revoked, expired → revoked.
    ///
    /// ```
    /// use exposure_store::ExceptionStatus::{Active, Expired, Revoked};
    /// assert!(Expired.can_become(Revoked));
    /// assert!(!Expired.can_become(Expired));
    /// ```
    pub fn can_become(self, next: ExceptionStatus) -> bool {
        use ExceptionStatus::{Active, Expired, Revoked};
        matches!(
            (self, next),
            (Active, Expired | Revoked) | (Expired, Revoked)
        )
    }
}

impl fmt::Display for ExceptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not `active`, `expired` or `revoked`.
///
/// ```
/// assert!("paused".parse::<exposure_store::ExceptionStatus>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an exception status (active, expired, revoked)")]
pub struct UnknownExceptionStatus(pub String);

impl std::str::FromStr for ExceptionStatus {
    type Err = UnknownExceptionStatus;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "active" => Ok(ExceptionStatus::Active),
            "expired" => Ok(ExceptionStatus::Expired),
            "revoked" => Ok(ExceptionStatus::Revoked),
            _ => Err(UnknownExceptionStatus(text.to_owned())),
        }
    }
}

/// An exception to add: its id, core's JSON form of it, when it was created and when it
/// expires.
///
/// ```
/// use exposure_store::NewException;
/// let new = NewException {
///     id: "accept-lodash".into(),
///     body: r#"{"scope":{"recommendation":"update:npm:lodash"},"justification":"risk_accepted"}"#.into(),
///     created_at: "2026-12-05T09:00:00Z".parse()?,
///     expires: Some("2027-03-01".parse()?),
/// };
/// assert_eq!(new.id, "accept-lodash");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewException {
    /// The exception's id, unique in the store.
    pub id: String,
    /// The exception as core writes it (JSON; kept as given).
    pub body: String,
    /// When it was created (the caller's clock).
    pub created_at: Timestamp,
    /// The day it stops applying, if any.
    pub expires: Option<Date>,
}

/// A new body and expiry for a stored exception ([`Store::update_exception`]).
///
/// ```
/// let update = exposure_store::ExceptionUpdate { body: "{}".into(), expires: None };
/// assert_eq!(update.expires, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionUpdate {
    /// The exception as core writes it (JSON).
    pub body: String,
    /// The day it stops applying, if any.
    pub expires: Option<Date>,
}

/// A stored exception.
///
/// ```
/// # use exposure_store::{ExceptionStatus, NewException, Store};
/// # let dir = tempfile::tempdir()?;
/// # let mut store = Store::open(dir.path().join("a.db"))?;
/// let new = NewException { id: "e1".into(), body: "{}".into(),
///     created_at: "2026-12-05T09:00:00Z".parse()?, expires: None };
/// let entry = store.add_exception(&new)?;
/// assert_eq!((entry.status, entry.revoked_at, &entry.updated_at), (ExceptionStatus::Active, None, &new.created_at));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionEntry {
    /// The exception's id.
    pub id: String,
    /// The exception as core wrote it (JSON).
    pub body: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// The day it stops applying, if any.
    pub expires: Option<Date>,
    /// Where it is in its life.
    pub status: ExceptionStatus,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
    /// When it was last changed (created, updated, expired or revoked).
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, body, created_at, expires, status, revoked_at, updated_at";

fn entry(row: &Row<'_>) -> rusqlite::Result<ExceptionEntry> {
    Ok(ExceptionEntry {
        id: row.get(0)?,
        body: row.get(1)?,
        created_at: parsed(row, 2)?,
        expires: parsed_opt(row, 3)?,
        status: parsed(row, 4)?,
        revoked_at: parsed_opt(row, 5)?,
        updated_at: parsed(row, 6)?,
    })
}

fn stored(tx: &Transaction<'_>, id: &str) -> Result<ExceptionEntry, WriteError> {
    tx.query_row(
        &format!("SELECT {COLUMNS} FROM exceptions WHERE id = ?1"),
        [id],
        entry,
    )
    .optional()?
    .ok_or_else(|| Error::NoSuchException(id.to_owned()).into())
}

impl Store {
    /// Adds an exception, `active`. [`Error::ExceptionExists`] when its id is taken
    /// (the stored one is unchanged); [`Error::InvalidJson`] when the body is not JSON.
    ///
    /// ```
    /// # use exposure_store::{Error, NewException, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// let new = NewException { id: "e1".into(), body: r#"{"cve":"CVE-2021-44228"}"#.into(),
    ///     created_at: "2026-12-05T09:00:00Z".parse()?, expires: None };
    /// store.add_exception(&new)?;
    /// assert!(matches!(store.add_exception(&new), Err(Error::ExceptionExists(id)) if id == "e1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_exception(&mut self, new: &NewException) -> Result<ExceptionEntry, Error> {
        check_json("exception", &new.body)?;
        self.write(|tx| {
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM exceptions WHERE id = ?1)",
                [&new.id],
                |row| row.get(0),
            )?;
            if taken {
                return Err(Error::ExceptionExists(new.id.clone()).into());
            }
            tx.execute(
                "INSERT INTO exceptions (id, body, created_at, expires, status, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'active', ?3)",
                params![
                    new.id,
                    new.body,
                    new.created_at.as_str(),
                    new.expires.map(|d| d.to_string())
                ],
            )?;
            stored(tx, &new.id)
        })
    }

    /// The stored exceptions, all or those in `status`, by id.
    ///
    /// ```
    /// # use exposure_store::{ExceptionStatus, NewException, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let at: exposure_store::Timestamp = "2026-12-05T09:00:00Z".parse()?;
    /// for id in ["b", "a"] {
    ///     store.add_exception(&NewException { id: id.into(), body: "{}".into(), created_at: at.clone(), expires: None })?;
    /// }
    /// store.revoke_exception("b", &at)?;
    /// let active = store.exceptions(Some(ExceptionStatus::Active))?;
    /// assert_eq!(active.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["a"]);
    /// assert_eq!(store.exceptions(None)?.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn exceptions(
        &self,
        status: Option<ExceptionStatus>,
    ) -> Result<Vec<ExceptionEntry>, Error> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM exceptions WHERE (?1 IS NULL OR status = ?1) ORDER BY id"
            ))
            .at(&self.path)?;
        let rows = statement
            .query_map([status.map(ExceptionStatus::as_str)], entry)
            .at(&self.path)?;
        rows.collect::<Result<_, _>>().at(&self.path)
    }

    /// The exception with this id.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// let store = exposure_store::Store::open(dir.path().join("a.db"))?;
    /// assert_eq!(store.exception("nope")?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn exception(&self, id: &str) -> Result<Option<ExceptionEntry>, Error> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM exceptions WHERE id = ?1"),
                [id],
                entry,
            )
            .optional()
            .at(&self.path)
    }

    /// Marks an active exception expired at `at` (the row stays).
    ///
    /// ```
    /// # use exposure_store::{ExceptionStatus, NewException, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # store.add_exception(&NewException { id: "e1".into(), body: "{}".into(),
    /// #     created_at: "2026-12-05T09:00:00Z".parse()?, expires: None })?;
    /// let expired = store.expire_exception("e1", &"2026-12-06T00:00:00Z".parse()?)?;
    /// assert_eq!((expired.status, expired.updated_at.as_str()), (ExceptionStatus::Expired, "2026-12-06T00:00:00Z"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expire_exception(&mut self, id: &str, at: &Timestamp) -> Result<ExceptionEntry, Error> {
        self.move_exception(id, ExceptionStatus::Expired, at)
    }

    /// Revokes an active or expired exception at `at` (the row stays, with `revoked_at`).
    ///
    /// ```
    /// # use exposure_store::{Error, ExceptionStatus, NewException, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # store.add_exception(&NewException { id: "e1".into(), body: "{}".into(),
    /// #     created_at: "2026-12-05T09:00:00Z".parse()?, expires: None })?;
    /// let at = "2026-12-06T00:00:00Z".parse()?;
    /// let revoked = store.revoke_exception("e1", &at)?;
    /// assert_eq!(revoked.revoked_at, Some(at.clone()));
    /// assert!(matches!(store.expire_exception("e1", &at), Err(Error::ExceptionTransition { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn revoke_exception(&mut self, id: &str, at: &Timestamp) -> Result<ExceptionEntry, Error> {
        self.move_exception(id, ExceptionStatus::Revoked, at)
    }

    fn move_exception(
        &mut self,
        id: &str,
        to: ExceptionStatus,
        at: &Timestamp,
    ) -> Result<ExceptionEntry, Error> {
        self.write(|tx| {
            let from = stored(tx, id)?.status;
            if !from.can_become(to) {
                return Err(Error::ExceptionTransition {
                    id: id.to_owned(),
                    from,
                    to,
                }
                .into());
            }
            let revoked_at = (to == ExceptionStatus::Revoked).then_some(at.as_str());
            tx.execute(
                "UPDATE exceptions SET status = ?2, revoked_at = coalesce(?3, revoked_at),
                 updated_at = ?4 WHERE id = ?1",
                params![id, to.as_str(), revoked_at, at.as_str()],
            )?;
            stored(tx, id)
        })
    }

    /// Replaces an exception's body and expiry (its status stays; a revoked exception
    /// cannot be updated: [`Error::ExceptionRevoked`]).
    ///
    /// ```
    /// # use exposure_store::{ExceptionUpdate, NewException, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # store.add_exception(&NewException { id: "e1".into(), body: "{}".into(),
    /// #     created_at: "2026-12-05T09:00:00Z".parse()?, expires: None })?;
    /// let update = ExceptionUpdate { body: r#"{"reason":"vendor patch due in March"}"#.into(),
    ///     expires: Some("2027-03-31".parse()?) };
    /// let updated = store.update_exception("e1", &update, &"2026-12-07T10:00:00Z".parse()?)?;
    /// assert_eq!((updated.body, updated.expires), (update.body, update.expires));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update_exception(
        &mut self,
        id: &str,
        update: &ExceptionUpdate,
        at: &Timestamp,
    ) -> Result<ExceptionEntry, Error> {
        check_json("exception", &update.body)?;
        self.write(|tx| {
            let from = stored(tx, id)?.status;
            if from == ExceptionStatus::Revoked {
                return Err(Error::ExceptionRevoked(id.to_owned()).into());
            }
            tx.execute(
                "UPDATE exceptions SET body = ?2, expires = ?3, updated_at = ?4 WHERE id = ?1",
                params![
                    id,
                    update.body,
                    update.expires.map(|d| d.to_string()),
                    at.as_str()
                ],
            )?;
            stored(tx, id)
        })
    }
}
