//! What a loader met: how many records it kept and every problem, located precisely.

use crate::json::FieldError;
use serde::Serialize;
use std::fmt;

/// How many problems a report keeps verbatim; the rest are only counted.
pub const KEPT_PROBLEMS: usize = 100;

/// The share of an input, in percent, that may be left out before loading it is an error
/// (unless the caller allows partial loads): more than 10 % of its records and parts skipped
/// makes it [`Shortfall::Lossy`]. See [`LoadReport::shortfall`].
pub const MAX_SKIPPED_PERCENT: usize = 10;

/// What happened to the record a problem was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Consequence {
    /// The whole record (or file) was left out.
    Skipped,
    /// The record was kept; only the named part is unusable (e.g. one range that cannot be
    /// evaluated), and matches that depend on it are not made.
    PartlyUsed,
}

/// One problem in an input, located by file, record and field.
///
/// ```
/// use exposure::load_report::{Consequence, Problem};
/// let p = Problem::new("vulns/x.json", Some("GO-2020-0001"), "affected[0].ranges[0].events[1].fixed", "bad version", Consequence::PartlyUsed);
/// assert_eq!(p.to_string(), "vulns/x.json: record GO-2020-0001: affected[0].ranges[0].events[1].fixed: bad version (partly used)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file (or the origin name given with a string).
    pub location: String,
    /// The record's id, or `#N` for the N-th record of the file when it has no usable id.
    pub record: Option<String>,
    /// A JSON path to the field, empty when the problem concerns the whole record or file.
    pub field: String,
    /// What was wrong.
    pub message: String,
    /// What the loader did about it.
    pub consequence: Consequence,
}

impl Problem {
    /// Builds a problem.
    pub fn new(
        location: &str,
        record: Option<&str>,
        field: &str,
        message: impl Into<String>,
        consequence: Consequence,
    ) -> Self {
        Self {
            location: location.to_owned(),
            record: record.map(str::to_owned),
            field: field.to_owned(),
            message: message.into(),
            consequence,
        }
    }
}

impl Problem {
    /// A problem with a whole input (a file or an archive member), which was left out.
    ///
    /// ```
    /// use exposure::load_report::Problem;
    /// assert_eq!(Problem::skipped_input("x.json", "not JSON").to_string(), "x.json: not JSON (skipped)");
    /// ```
    pub fn skipped_input(location: &str, message: impl Into<String>) -> Self {
        Self::new(location, None, "", message, Consequence::Skipped)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.location)?;
        if let Some(record) = &self.record {
            write!(f, ": record {record}")?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        let consequence = match self.consequence {
            Consequence::Skipped => "skipped",
            Consequence::PartlyUsed => "partly used",
        };
        write!(f, ": {} ({consequence})", self.message)
    }
}

/// The account of one load: records kept, records skipped, and the problems behind them.
///
/// Nothing is dropped silently: `records_read == records_loaded + records_skipped`, and every
/// skipped record has a problem (the first [`KEPT_PROBLEMS`] are kept in `problems`, all are
/// counted in `problem_count`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadReport {
    /// Files read.
    pub files: usize,
    /// Records met.
    pub records_read: usize,
    /// Records kept (possibly partly usable).
    pub records_loaded: usize,
    /// Records left out.
    pub records_skipped: usize,
    /// Records merged into an earlier record with the same id (an update when the source is
    /// the same, another source's statement otherwise).
    pub records_replaced: usize,
    /// Parts of the input left out whole without their records being counted: a file of a
    /// directory or a member of an archive that could not be read, a document of no format
    /// read, the rest of a stream after it broke. Each is one problem naming no record.
    pub parts_skipped: usize,
    /// All problems met, including those not kept below.
    pub problem_count: usize,
    /// The first problems, in the order met.
    pub problems: Vec<Problem>,
    /// What the loader found out rather than was told (a device's distribution release
    /// detected from its packages), in the order found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl LoadReport {
    /// The report of one file, before its records are counted.
    ///
    /// ```
    /// assert_eq!(exposure::load_report::LoadReport::one_file().files, 1);
    /// ```
    pub fn one_file() -> Self {
        LoadReport {
            files: 1,
            ..LoadReport::default()
        }
    }

    /// Counts a record as loaded and returns it, or as skipped with its problem located in
    /// `origin` and `record`.
    pub(crate) fn kept_or_skipped<T>(
        &mut self,
        origin: &str,
        record: Option<&str>,
        outcome: Result<T, FieldError>,
    ) -> Option<T> {
        match outcome {
            Ok(value) => {
                self.records_loaded += 1;
                Some(value)
            }
            Err(FieldError { path, message }) => {
                self.records_skipped += 1;
                self.keep(Problem::new(
                    origin,
                    record,
                    &path,
                    message,
                    Consequence::Skipped,
                ));
                None
            }
        }
    }

    /// Notes a problem that left its record usable (`note`, when there is one).
    pub(crate) fn partly_used(
        &mut self,
        origin: &str,
        record: Option<&str>,
        note: Option<FieldError>,
    ) {
        if let Some(FieldError { path, message }) = note {
            self.problem(Problem::new(
                origin,
                record,
                &path,
                message,
                Consequence::PartlyUsed,
            ));
        }
    }

    /// The value of a field that the rest of its record (or input) does not depend on; one
    /// that cannot be read is a problem, the record is partly used and the field reads as
    /// absent.
    pub(crate) fn optional<T>(
        &mut self,
        origin: &str,
        record: Option<&str>,
        field: Result<Option<T>, FieldError>,
    ) -> Option<T> {
        field.unwrap_or_else(|e| {
            self.partly_used(origin, record, Some(e));
            None
        })
    }

    /// Notes a problem that leaves out what `error` names: the whole input when its path is
    /// empty, that part of it otherwise (records it held are counted by the caller).
    pub(crate) fn left_out(&mut self, origin: &str, record: Option<&str>, error: FieldError) {
        self.problem(Problem::new(
            origin,
            record,
            &error.path,
            error.message,
            Consequence::Skipped,
        ));
    }

    /// Counts a whole document as one record read and skipped, with its problem.
    pub(crate) fn document_skipped(&mut self, origin: &str, message: impl Into<String>) {
        self.records_read += 1;
        self.records_skipped += 1;
        self.keep(Problem::skipped_input(origin, message));
    }

    /// Notes a problem. One that left out a whole part of the input (skipped, naming no
    /// record and no field: [`Problem::skipped_input`]) counts in `parts_skipped`; the
    /// loaders that count such a part as a record note it through `keep`.
    pub(crate) fn problem(&mut self, problem: Problem) {
        if problem.consequence == Consequence::Skipped
            && problem.record.is_none()
            && problem.field.is_empty()
        {
            self.parts_skipped += 1;
        }
        self.keep(problem);
    }

    /// Notes a problem whose consequence is counted already.
    fn keep(&mut self, problem: Problem) {
        self.problem_count += 1;
        if self.problems.len() < KEPT_PROBLEMS {
            self.problems.push(problem);
        }
    }

    /// Why this load cannot be trusted whole, if it cannot: it yielded nothing (`yielded`
    /// says whether it did, as only the caller knows what the input gave), or more than
    /// [`MAX_SKIPPED_PERCENT`] % of the records and parts it met were left out.
    ///
    /// ```
    /// use exposure::load_report::{LoadReport, Shortfall};
    /// let report = |read, skipped| LoadReport { records_read: read, records_loaded: read - skipped, records_skipped: skipped, ..LoadReport::one_file() };
    /// assert_eq!(report(100, 10).shortfall(true), None);
    /// assert_eq!(report(100, 11).shortfall(true), Some(Shortfall::Lossy { lost: 11, met: 100 }));
    /// assert_eq!(report(1, 1).shortfall(false), Some(Shortfall::Empty));
    /// ```
    pub fn shortfall(&self, yielded: bool) -> Option<Shortfall> {
        if !yielded {
            return Some(Shortfall::Empty);
        }
        let lost = self.records_skipped + self.parts_skipped;
        let met = self.records_read + self.parts_skipped;
        (lost * 100 > met * MAX_SKIPPED_PERCENT).then_some(Shortfall::Lossy { lost, met })
    }

    /// Adds another report's counts and problems to this one.
    pub fn absorb(&mut self, other: LoadReport) {
        self.files += other.files;
        self.records_read += other.records_read;
        self.records_loaded += other.records_loaded;
        self.records_skipped += other.records_skipped;
        self.records_replaced += other.records_replaced;
        self.parts_skipped += other.parts_skipped;
        self.problem_count += other.problem_count;
        let room = KEPT_PROBLEMS.saturating_sub(self.problems.len());
        self.problems.extend(other.problems.into_iter().take(room));
        let room = KEPT_PROBLEMS.saturating_sub(self.notes.len());
        self.notes.extend(other.notes.into_iter().take(room));
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} files, {} records read, {} loaded, {} skipped, {} replaced, {} problems",
            self.files,
            self.records_read,
            self.records_loaded,
            self.records_skipped,
            self.records_replaced,
            self.problem_count
        )?;
        if self.parts_skipped > 0 {
            write!(f, ", {} parts left out", self.parts_skipped)?;
        }
        Ok(())
    }
}

/// Why an input cannot be trusted whole ([`LoadReport::shortfall`]): an assessment against it
/// would understate the exposure without saying so, so it is an error unless the caller
/// allows partial loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Shortfall {
    /// It yielded nothing: no advisory, KEV entry, EPSS score or VEX statement from a
    /// knowledge-base input, no device from an inventory.
    #[error("it yields nothing")]
    Empty,
    /// More than [`MAX_SKIPPED_PERCENT`] % of the records and parts it holds were left out.
    #[error("{lost} of the {met} records and parts met were left out, more than {MAX_SKIPPED_PERCENT} %")]
    Lossy {
        /// Records and parts skipped.
        lost: usize,
        /// Records and parts met.
        met: usize,
    },
}
