//! The assessment history: one row per recorded assessment, its payload apart.

use exposure::date::Date;
use rusqlite::{params, OptionalExtension, Row};

use crate::error::{self, At};
use crate::{count, parsed, parsed_opt, Error, Store, Timestamp, WriteError, MAX_PAYLOAD_BYTES};

/// What the store keeps beside an assessment's payload, to list and find it without
/// reading the payload.
///
/// ```
/// use exposure_store::AssessmentMeta;
/// let meta = AssessmentMeta {
///     recorded_at: "2026-12-05T08:00:00Z".parse()?,
///     as_of: None,
///     label: "datacenter".into(),
///     score: 12.0,
///     level: "low".into(),
///     devices: 120,
///     findings: 4_410,
///     format: "exposure-record/1".into(),
/// };
/// assert_eq!(meta.label, "datacenter");
/// # Ok::<(), exposure_store::TimestampError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentMeta {
    /// When the assessment was recorded (the caller's clock).
    pub recorded_at: Timestamp,
    /// The day the assessment was made "as of", when the caller set one.
    pub as_of: Option<Date>,
    /// The inventory or fleet the assessment is of; history, latest and previous are per
    /// label.
    pub label: String,
    /// The organisation exposure score.
    pub score: f64,
    /// The organisation exposure level, as core names it.
    pub level: String,
    /// How many devices were assessed.
    pub devices: u64,
    /// How many findings the assessment has.
    pub findings: u64,
    /// The payload's format tag (e.g. `exposure-record/1`): how core reads it back.
    pub format: String,
}

/// A recorded assessment: its id, metadata and payload size (the payload is read apart,
/// with [`Store::assessment_payload`]).
///
/// ```
/// # use exposure_store::{AssessmentMeta, Store};
/// # let dir = tempfile::tempdir()?;
/// # let mut store = Store::open(dir.path().join("a.db"))?;
/// # let meta = AssessmentMeta { recorded_at: "2026-12-05T08:00:00Z".parse()?, as_of: None,
/// #     label: "fleet".into(), score: 1.0, level: "low".into(), devices: 1, findings: 0,
/// #     format: "exposure-record/1".into() };
/// let id = store.record_assessment(&meta, &[0; 10])?;
/// let entry = store.assessment(id)?.ok_or("recorded")?;
/// assert_eq!((entry.id, entry.payload_len, entry.meta), (id, 10, meta));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentEntry {
    /// The store's id: increasing in recording order, never reused.
    pub id: i64,
    /// What was recorded with it.
    pub meta: AssessmentMeta,
    /// The payload's size in bytes.
    pub payload_len: u64,
}

/// Which assessments [`Store::assessments`] lists; the default lists all.
///
/// ```
/// use exposure_store::AssessmentQuery;
/// let query = AssessmentQuery { label: Some("fleet".into()), since: Some("2026-12-01".parse()?) };
/// assert_ne!(query, AssessmentQuery::default());
/// # Ok::<(), exposure::date::DateError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentQuery {
    /// Only assessments of this label.
    pub label: Option<String>,
    /// Only assessments of this day or later: their `as_of` day, or the day they were
    /// recorded when they have none.
    pub since: Option<Date>,
}

const COLUMNS: &str =
    "id, recorded_at, as_of, label, score, level, devices, findings, format, payload_len";

fn entry(row: &Row<'_>) -> rusqlite::Result<AssessmentEntry> {
    Ok(AssessmentEntry {
        id: row.get(0)?,
        meta: AssessmentMeta {
            recorded_at: parsed(row, 1)?,
            as_of: parsed_opt(row, 2)?,
            label: row.get(3)?,
            score: row.get(4)?,
            level: row.get(5)?,
            devices: count(row, 6)?,
            findings: count(row, 7)?,
            format: row.get(8)?,
        },
        payload_len: count(row, 9)?,
    })
}

fn insert(
    tx: &rusqlite::Transaction<'_>,
    meta: &AssessmentMeta,
    payload: &[u8],
) -> Result<i64, WriteError> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(Error::TooLarge {
            len: payload.len(),
            limit: MAX_PAYLOAD_BYTES,
        }
        .into());
    }
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    tx.execute(
        "INSERT INTO assessments
             (recorded_at, as_of, label, score, level, devices, findings, format, payload_len)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            meta.recorded_at.as_str(),
            meta.as_of.map(|d| d.to_string()),
            meta.label,
            meta.score,
            meta.level,
            count(meta.devices),
            count(meta.findings),
            meta.format,
            i64::try_from(payload.len()).unwrap_or(i64::MAX),
        ],
    )?;
    let id = tx.last_insert_rowid();
    // The payload is streamed into a zeroblob of its size: SQLite writes it page by page
    // instead of copying it whole first (a bound parameter is copied).
    tx.execute(
        "INSERT INTO assessment_payloads (id, payload) VALUES (?1, zeroblob(?2))",
        params![id, i64::try_from(payload.len()).unwrap_or(i64::MAX)],
    )?;
    let mut blob = tx.blob_open(
        rusqlite::MAIN_DB,
        c"assessment_payloads",
        c"payload",
        id,
        false,
    )?;
    blob.write_all_at(payload, 0)?;
    Ok(id)
}

impl Store {
    /// Records an assessment: its metadata and its payload (the bytes core produced), in
    /// one transaction. Returns its id.
    ///
    /// ```
    /// # use exposure_store::{AssessmentMeta, Store};
    /// # let dir = tempfile::tempdir()?;
    /// let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let meta = AssessmentMeta { recorded_at: "2026-12-05T08:00:00Z".parse()?, as_of: None,
    /// #     label: "fleet".into(), score: 1.0, level: "low".into(), devices: 1, findings: 0,
    /// #     format: "exposure-record/1".into() };
    /// let first = store.record_assessment(&meta, b"one")?;
    /// let second = store.record_assessment(&meta, b"two")?;
    /// assert!(second > first);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_assessment(
        &mut self,
        meta: &AssessmentMeta,
        payload: &[u8],
    ) -> Result<i64, Error> {
        self.write(|tx| insert(tx, meta, payload))
    }

    /// Records many assessments in one transaction (importing a history): all of them or,
    /// on any error or crash, none. Returns their ids in order.
    ///
    /// ```
    /// # use exposure_store::{AssessmentMeta, AssessmentQuery, Store};
    /// # let dir = tempfile::tempdir()?;
    /// let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let meta = AssessmentMeta { recorded_at: "2026-12-05T08:00:00Z".parse()?, as_of: None,
    /// #     label: "fleet".into(), score: 1.0, level: "low".into(), devices: 1, findings: 0,
    /// #     format: "exposure-record/1".into() };
    /// let ids = store.record_assessments((0..3).map(|i| (meta.clone(), vec![i; 4])))?;
    /// assert_eq!(ids.len(), 3);
    /// assert_eq!(store.assessments(&AssessmentQuery::default())?.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_assessments<P: AsRef<[u8]>>(
        &mut self,
        records: impl IntoIterator<Item = (AssessmentMeta, P)>,
    ) -> Result<Vec<i64>, Error> {
        self.write(|tx| {
            records
                .into_iter()
                .map(|(meta, payload)| insert(tx, &meta, payload.as_ref()))
                .collect()
        })
    }

    /// The recorded assessments the query selects, oldest first.
    ///
    /// ```
    /// # use exposure_store::{AssessmentMeta, AssessmentQuery, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let meta = |label: &str, day: &str| -> Result<AssessmentMeta, Box<dyn std::error::Error>> {
    /// #     Ok(AssessmentMeta { recorded_at: format!("{day}T08:00:00Z").parse()?, as_of: None,
    /// #     label: label.into(), score: 1.0, level: "low".into(), devices: 1, findings: 0,
    /// #     format: "exposure-record/1".into() }) };
    /// store.record_assessment(&meta("fleet", "2026-12-01")?, b"")?;
    /// store.record_assessment(&meta("lab", "2026-12-02")?, b"")?;
    /// store.record_assessment(&meta("fleet", "2026-12-03")?, b"")?;
    /// let query = AssessmentQuery { label: Some("fleet".into()), since: Some("2026-12-02".parse()?) };
    /// let found = store.assessments(&query)?;
    /// assert_eq!(found.len(), 1);
    /// assert_eq!(found[0].meta.recorded_at.as_str(), "2026-12-03T08:00:00Z");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assessments(&self, query: &AssessmentQuery) -> Result<Vec<AssessmentEntry>, Error> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM assessments
                 WHERE (?1 IS NULL OR label = ?1)
                   AND (?2 IS NULL OR coalesce(as_of, substr(recorded_at, 1, 10)) >= ?2)
                 ORDER BY id"
            ))
            .at(&self.path)?;
        let rows = statement
            .query_map(
                params![query.label, query.since.map(|d| d.to_string())],
                entry,
            )
            .at(&self.path)?;
        rows.collect::<Result<_, _>>().at(&self.path)
    }

    /// The assessment with this id, without its payload.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// let store = exposure_store::Store::open(dir.path().join("a.db"))?;
    /// assert_eq!(store.assessment(7)?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assessment(&self, id: i64) -> Result<Option<AssessmentEntry>, Error> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM assessments WHERE id = ?1"),
                [id],
                entry,
            )
            .optional()
            .at(&self.path)
    }

    /// The payload of the assessment with this id, as recorded.
    ///
    /// ```
    /// # use exposure_store::{AssessmentMeta, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let meta = AssessmentMeta { recorded_at: "2026-12-05T08:00:00Z".parse()?, as_of: None,
    /// #     label: "fleet".into(), score: 1.0, level: "low".into(), devices: 1, findings: 0,
    /// #     format: "exposure-record/1".into() };
    /// let id = store.record_assessment(&meta, &[1, 2, 3])?;
    /// assert_eq!(store.assessment_payload(id)?, Some(vec![1, 2, 3]));
    /// assert_eq!(store.assessment_payload(id + 1)?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assessment_payload(&self, id: i64) -> Result<Option<Vec<u8>>, Error> {
        // Read through SQLite's blob handle into a buffer of the exact size: one copy.
        let blob = self.conn.blob_open(
            rusqlite::MAIN_DB,
            c"assessment_payloads",
            c"payload",
            id,
            true,
        );
        let blob = match blob {
            Ok(blob) => blob,
            // SQLite says "no such rowid" as a generic error: look before calling it one.
            Err(e) if !self.has_payload(id)? => {
                drop(e);
                return Ok(None);
            }
            Err(e) => return Err(error::from_sqlite(&self.path, e)),
        };
        let mut payload = vec![0; blob.len()];
        blob.read_at_exact(&mut payload, 0).at(&self.path)?;
        Ok(Some(payload))
    }

    fn has_payload(&self, id: i64) -> Result<bool, Error> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM assessment_payloads WHERE id = ?1)",
                [id],
                |row| row.get(0),
            )
            .at(&self.path)
    }

    /// The most recent assessment of `label`, or of any label when `None`.
    ///
    /// ```
    /// # use exposure_store::{AssessmentMeta, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let meta = |label: &str| -> Result<AssessmentMeta, Box<dyn std::error::Error>> {
    /// #     Ok(AssessmentMeta { recorded_at: "2026-12-05T08:00:00Z".parse()?, as_of: None,
    /// #     label: label.into(), score: 1.0, level: "low".into(), devices: 1, findings: 0,
    /// #     format: "exposure-record/1".into() }) };
    /// let fleet = store.record_assessment(&meta("fleet")?, b"")?;
    /// let lab = store.record_assessment(&meta("lab")?, b"")?;
    /// assert_eq!(store.latest_assessment(Some("fleet"))?.map(|e| e.id), Some(fleet));
    /// assert_eq!(store.latest_assessment(None)?.map(|e| e.id), Some(lab));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn latest_assessment(&self, label: Option<&str>) -> Result<Option<AssessmentEntry>, Error> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM assessments WHERE (?1 IS NULL OR label = ?1)
                     ORDER BY id DESC LIMIT 1"
                ),
                [label],
                entry,
            )
            .optional()
            .at(&self.path)
    }

    /// The most recent assessment of every label, by label.
    ///
    /// ```
    /// # use exposure_store::{AssessmentMeta, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let meta = |label: &str| -> Result<AssessmentMeta, Box<dyn std::error::Error>> {
    /// #     Ok(AssessmentMeta { recorded_at: "2026-12-05T08:00:00Z".parse()?, as_of: None,
    /// #     label: label.into(), score: 1.0, level: "low".into(), devices: 1, findings: 0,
    /// #     format: "exposure-record/1".into() }) };
    /// store.record_assessment(&meta("lab")?, b"")?;
    /// store.record_assessment(&meta("fleet")?, b"")?;
    /// let last = store.record_assessment(&meta("lab")?, b"")?;
    /// let latest = store.latest_assessments()?;
    /// assert_eq!(latest.iter().map(|e| e.meta.label.as_str()).collect::<Vec<_>>(), ["fleet", "lab"]);
    /// assert_eq!(latest[1].id, last);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn latest_assessments(&self) -> Result<Vec<AssessmentEntry>, Error> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM assessments
                 WHERE id IN (SELECT max(id) FROM assessments GROUP BY label)
                 ORDER BY label"
            ))
            .at(&self.path)?;
        let rows = statement.query_map([], entry).at(&self.path)?;
        rows.collect::<Result<_, _>>().at(&self.path)
    }

    /// The assessment of the same label recorded just before `id` (what a diff compares
    /// it with); `None` for a label's first. [`Error::NoSuchAssessment`] when `id` is not
    /// recorded.
    ///
    /// ```
    /// # use exposure_store::{AssessmentMeta, Store};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut store = Store::open(dir.path().join("a.db"))?;
    /// # let meta = |label: &str| -> Result<AssessmentMeta, Box<dyn std::error::Error>> {
    /// #     Ok(AssessmentMeta { recorded_at: "2026-12-05T08:00:00Z".parse()?, as_of: None,
    /// #     label: label.into(), score: 1.0, level: "low".into(), devices: 1, findings: 0,
    /// #     format: "exposure-record/1".into() }) };
    /// let first = store.record_assessment(&meta("fleet")?, b"")?;
    /// store.record_assessment(&meta("lab")?, b"")?;
    /// let second = store.record_assessment(&meta("fleet")?, b"")?;
    /// assert_eq!(store.previous_assessment(second)?.map(|e| e.id), Some(first));
    /// assert_eq!(store.previous_assessment(first)?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn previous_assessment(&self, id: i64) -> Result<Option<AssessmentEntry>, Error> {
        let Some(this) = self.assessment(id)? else {
            return Err(Error::NoSuchAssessment(id));
        };
        self.conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM assessments WHERE label = ?1 AND id < ?2
                     ORDER BY id DESC LIMIT 1"
                ),
                params![this.meta.label, id],
                entry,
            )
            .optional()
            .at(&self.path)
    }
}
