//! Remediation activities: created from a recommendation, tracked by status.

use std::fmt;

use exposure::date::Date;
use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::error::At;
use crate::{check_json, parsed, Error, Store, Timestamp, WriteError};

/// Where a remediation activity is. Its progress (devices done, remaining, overdue) is
/// core's to compute from later assessments; the status is what people set.
///
/// ```
/// use exposure_store::ActivityStatus;
/// assert_eq!("completed".parse::<ActivityStatus>(), Ok(ActivityStatus::Completed));
/// assert_eq!(ActivityStatus::Cancelled.to_string(), "cancelled");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityStatus {
    /// Being worked on.
    Open,
    /// Done.
    Completed,
    /// Given up.
    Cancelled,
}

impl ActivityStatus {
    /// The stored name: `open`, `completed`, `cancelled`.
    ///
    /// ```
    /// assert_eq!(exposure_store::ActivityStatus::Open.as_str(), "open");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityStatus::Open => "open",
            ActivityStatus::Completed => "completed",
            ActivityStatus::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for ActivityStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not `open`, `completed` or `cancelled`.
///
/// ```
/// assert!("done".parse::<exposure_store::ActivityStatus>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a remediation activity status (open, completed, cancelled)")]
pub struct UnknownActivityStatus(pub String);

impl std::str::FromStr for ActivityStatus {
    type Err = UnknownActivityStatus;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "open" => Ok(ActivityStatus::Open),
            "completed" => Ok(ActivityStatus::Completed),
            "cancelled" => Ok(ActivityStatus::Cancelled),
            _ => Err(UnknownActivityStatus(text.to_owned())),
        }
    }
}

/// A remediation activity to create.
///
/// ```
/// use exposure_store::NewActivity;
/// let new = NewActivity {
///     recommendation_id: "update:npm:lodash".into(),
///     created_at: "2026-12-05T09:00:00Z".parse()?,
///     due: "2026-12-12".parse()?,
///     priority: "high".into(),
///     note: Some("patch the web tier first".into()),
///     targets: r#"{"groups":["web"]}"#.into(),
///     body: r#"{"recommendation":"update:npm:lodash"}"#.into(),
/// };
/// assert_eq!(new.priority, "high");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    /// The stable id of the recommendation it acts on (`update:npm:lodash`).
    pub recommendation_id: String,
    /// When it was created (the caller's clock).
    pub created_at: Timestamp,
    /// The day it is due.
    pub due: Date,
    /// Its priority, as the caller names it (`high`, `medium`, `low`).
    pub priority: String,
    /// A note for the people who do it.
    pub note: Option<String>,
    /// The target devices and groups (JSON).
    pub targets: String,
    /// The activity as core writes it (JSON; kept as given).
    pub body: String,
}

/// A stored remediation activity.
///
/// ```
/// # use exposure_store::{ActivityStatus, NewActivity, Store};
/// # let dir = tempfile::tempdir()?;
/// # let mut store = Store::open(dir.path().join("a.db"))?;
/// # let new = NewActivity { recommendation_id: "update:npm:lodash".into(),
/// #     created_at: "2026-12-05T09:00:00Z".parse()?, due: "2026-12-12".parse()?,
/// #     priority: "high".into(), note: None, targets: "[]".into(), body: "{}".into() };
/// let entry = store.create_activity(&new)?;
/// assert_eq!((entry.status, &entry.recommendation_id), (ActivityStatus::Open, &new.recommendation_id));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityEntry {
    /// The store's id: increasing in creation order, never reused.
    pub id: i64,
    /// The recommendation it acts on.
    pub recommendation_id: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// The day it is due.
    pub due: Date,
    /// Its priority.
    pub priority: String,
    /// A note.
    pub note: Option<String>,
    /// The target devices and groups (JSON).
    pub targets: String,
    /// The activity as core wrote it (JSON).
    pub body: String,
    /// Where it is.
    pub status: ActivityStatus,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

const COLUMNS: &str =
    "id, recommendation_id, created_at, due, priority, note, targets, body, status, updated_at";

fn entry(row: &Row<'_>) -> rusqlite::Result<ActivityEntry> {
    Ok(ActivityEntry {
        id: row.get(0)?,
        recommendation_id: row.get(1)?,
        created_at: parsed(row, 2)?,
        due: parsed(row, 3)?,
        priority: row.get(4)?,
        note: row.get(5)?,
        targets: row.get(6)?,
        body: row.get(7)?,
        status: parsed(row, 8)?,
        updated_at: parsed(row, 9)?,
    })
}

fn stored(tx: &Transaction<'_>, id: i64) -> Result<ActivityEntry, WriteError> {
    tx.query_row(
        &format!("SELECT {COLUMNS} FROM remediation_activities WHERE id = ?1"),
        [id],
        entry,
    )
    .optional()?
    .ok_or_else(|| Error::NoSuchActivity(id).into())
}

impl Store {
    /// Creates a remediation activity, `open`. [`Error::InvalidJson`] when its targets or
    /// body are not JSON.
    ///
    /// ```
    /// # use exposure_store::{NewActivity, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let new = NewActivity { recommendation_id: "update:npm:lodash".into(),
    /// #     created_at: "2026-12-05T09:00:00Z".parse()?, due: "2026-12-12".parse()?,
    /// #     priority: "high".into(), note: None, targets: "[]".into(), body: "{}".into() };
    /// let a = store.create_activity(&new)?;
    /// let b = store.create_activity(&new)?;
    /// assert!(b.id > a.id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_activity(&mut self, new: &NewActivity) -> Result<ActivityEntry, Error> {
        check_json("targets", &new.targets)?;
        check_json("activity", &new.body)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO remediation_activities
                     (recommendation_id, created_at, due, priority, note, targets, body, status,
                      updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?2)",
                params![
                    new.recommendation_id,
                    new.created_at.as_str(),
                    new.due.to_string(),
                    new.priority,
                    new.note,
                    new.targets,
                    new.body
                ],
            )?;
            stored(tx, tx.last_insert_rowid())
        })
    }

    /// The remediation activities, all or those in `status`, oldest first.
    ///
    /// ```
    /// # use exposure_store::{ActivityStatus, NewActivity, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let new = NewActivity { recommendation_id: "update:npm:lodash".into(),
    /// #     created_at: "2026-12-05T09:00:00Z".parse()?, due: "2026-12-12".parse()?,
    /// #     priority: "high".into(), note: None, targets: "[]".into(), body: "{}".into() };
    /// let done = store.create_activity(&new)?;
    /// store.create_activity(&new)?;
    /// store.set_activity_status(done.id, ActivityStatus::Completed, &"2026-12-10T17:00:00Z".parse()?)?;
    /// assert_eq!(store.activities(Some(ActivityStatus::Open))?.len(), 1);
    /// assert_eq!(store.activities(None)?.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn activities(&self, status: Option<ActivityStatus>) -> Result<Vec<ActivityEntry>, Error> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM remediation_activities
                 WHERE (?1 IS NULL OR status = ?1) ORDER BY id"
            ))
            .at(&self.path)?;
        let rows = statement
            .query_map([status.map(ActivityStatus::as_str)], entry)
            .at(&self.path)?;
        rows.collect::<Result<_, _>>().at(&self.path)
    }

    /// The remediation activity with this id.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// let store = exposure_store::Store::open(dir.path().join("a.db"))?;
    /// assert_eq!(store.activity(1)?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn activity(&self, id: i64) -> Result<Option<ActivityEntry>, Error> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM remediation_activities WHERE id = ?1"),
                [id],
                entry,
            )
            .optional()
            .at(&self.path)
    }

    /// Sets an activity's status at `at` (any status to any other: a completed activity may
    /// be reopened). [`Error::NoSuchActivity`] when `id` is not stored.
    ///
    /// ```
    /// # use exposure_store::{ActivityStatus, Error, NewActivity, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let new = NewActivity { recommendation_id: "update:npm:lodash".into(),
    /// #     created_at: "2026-12-05T09:00:00Z".parse()?, due: "2026-12-12".parse()?,
    /// #     priority: "high".into(), note: None, targets: "[]".into(), body: "{}".into() };
    /// let a = store.create_activity(&new)?;
    /// let at = "2026-12-10T17:00:00Z".parse()?;
    /// let done = store.set_activity_status(a.id, ActivityStatus::Completed, &at)?;
    /// assert_eq!((done.status, done.updated_at), (ActivityStatus::Completed, at.clone()));
    /// assert!(matches!(store.set_activity_status(99, ActivityStatus::Open, &at), Err(Error::NoSuchActivity(99))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_activity_status(
        &mut self,
        id: i64,
        status: ActivityStatus,
        at: &Timestamp,
    ) -> Result<ActivityEntry, Error> {
        self.write(|tx| {
            stored(tx, id)?;
            tx.execute(
                "UPDATE remediation_activities SET status = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, status.as_str(), at.as_str()],
            )?;
            stored(tx, id)
        })
    }
}
