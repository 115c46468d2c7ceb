//! End of support: a versioned table of the dates on which software releases stop receiving
//! security fixes, and the lookup "is this installed version on a release that has ended?".
//!
//! The table is data (`core/data/end-of-life.tsv`, embedded as [`EndOfLife::embedded`]); a
//! caller may load its own with [`EndOfLife::parse`]. Its first line is the format header
//! `exposure-eol/1`; then one tab-separated row per release, with a header row naming the
//! columns:
//!
//! | column | meaning |
//! |---|---|
//! | `product` | `cpe:<vendor>:<product>` for software named by CPE (vendor software, runtimes), or `<ecosystem>/<name>` for a package of an ecosystem (`Debian/base-files` stands for the Debian release itself) |
//! | `release` | the release line: a version prefix matched component-wise (`10` matches `10`, `10.0.2` and `10.0.2esr`, not `100`; `1.0.2` matches `1.0.2k`), or `<V` for every version below `V` |
//! | `end` | the last day of security support, `YYYY-MM-DD` |
//! | `successor` | the release to move to |
//! | `source` | where the date is published |
//!
//! Lines starting with `#` and blank lines are ignored. A version matches the first row of
//! its product whose release matches, so narrow rows go before wide ones.
//!
//! Judging "ended" needs a date: the core never reads the clock, so the caller passes one
//! ([`Entry::ended`], and `as_of` of [`crate::Engine::assess_as_of`]).
//!
//! ```
//! use exposure::eol::EndOfLife;
//! let table = EndOfLife::embedded();
//! let firefox = table.lookup("cpe:mozilla:firefox", "10.0.2").expect("listed");
//! assert!(firefox.ended("2026-12-04"));
//! assert!(table.lookup("cpe:mozilla:firefox", "10.0.2").is_some());
//! assert!(table.lookup("cpe:example:unknown", "1.0").is_none());
//! ```

use crate::version::{Scheme, Version};
use serde::Serialize;
use std::cmp::Ordering;

/// The format header of an end-of-life table.
pub const HEADER: &str = "exposure-eol/1";

const EMBEDDED: &str = include_str!("../data/end-of-life.tsv");

/// One release line and the day its support ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// `cpe:<vendor>:<product>` or `<ecosystem>/<name>`.
    pub product: String,
    /// The release line (a version prefix, or `<V`).
    pub release: String,
    /// The last day of security support (`YYYY-MM-DD`).
    pub end: String,
    /// The release to move to.
    pub successor: String,
    /// Where the date is published.
    pub source: String,
}

impl Entry {
    /// Whether support had ended on `as_of` (`YYYY-MM-DD`): the end day is before it.
    ///
    /// ```
    /// let e = exposure::eol::EndOfLife::embedded();
    /// let xp = e.lookup("cpe:microsoft:windows_xp", "-").expect("listed");
    /// assert!(xp.ended("2014-04-09") && !xp.ended("2014-04-08"));
    /// ```
    pub fn ended(&self, as_of: &str) -> bool {
        self.end.as_str() < as_of
    }

    /// Whether `version` is on this entry's release line.
    fn covers(&self, version: &str) -> bool {
        if let Some(bound) = self.release.strip_prefix('<') {
            return match (
                Version::parse(Scheme::Generic, version),
                Version::parse(Scheme::Generic, bound),
            ) {
                (Ok(v), Ok(b)) => v.try_cmp(&b).is_ok_and(|o| o == Ordering::Less),
                _ => false,
            };
        }
        if self.release == "*" {
            return true;
        }
        version
            .strip_prefix(self.release.as_str())
            .is_some_and(|rest| {
                let digit = rest.starts_with(|c: char| c.is_ascii_digit());
                let letters = self.release.ends_with(|c: char| c.is_ascii_alphabetic())
                    && rest.starts_with(|c: char| c.is_ascii_alphabetic());
                !(digit || letters)
            })
    }
}

/// Why an end-of-life table was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EolErrorKind {
    /// The first line is not [`HEADER`].
    #[error("the first line is not {HEADER:?}")]
    Header,
    /// The column names are not `product release end successor source`.
    #[error("the columns are not product, release, end, successor, source")]
    Columns,
    /// A row does not have five cells.
    #[error("a row has {found} cells, not 5")]
    Cells {
        /// How many it has.
        found: usize,
    },
    /// The end date is not `YYYY-MM-DD`.
    #[error("the end date {found:?} is not YYYY-MM-DD")]
    Date {
        /// The cell.
        found: String,
    },
    /// A cell that must not be empty is.
    #[error("the {column} cell is empty")]
    Empty {
        /// Which column.
        column: &'static str,
    },
}

/// An end-of-life table that could not be read, with the line where it broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("end-of-life table, line {line}: {kind}")]
pub struct EolError {
    kind: EolErrorKind,
    line: usize,
}

impl EolError {
    /// What is wrong.
    pub fn kind(&self) -> &EolErrorKind {
        &self.kind
    }

    /// The 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }
}

/// A table of end-of-support dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndOfLife {
    entries: Vec<Entry>,
}

impl EndOfLife {
    /// The table shipped with the crate (`core/data/end-of-life.tsv`).
    ///
    /// # Panics
    ///
    /// Never: the embedded table is parsed by a unit test.
    pub fn embedded() -> Self {
        #[allow(clippy::expect_used)] // the embedded table is checked by a unit test
        Self::parse(EMBEDDED).expect("the embedded end-of-life table parses")
    }

    /// Reads a table (see the module documentation for the format).
    ///
    /// ```
    /// use exposure::eol::{EndOfLife, EolErrorKind};
    /// let t = EndOfLife::parse("exposure-eol/1\nproduct\trelease\tend\tsuccessor\tsource\ncpe:a:b\t1\t2020-01-01\t2\thttps://example.org\n")?;
    /// assert_eq!(t.entries().len(), 1);
    /// let e = EndOfLife::parse("exposure-eol/1\nproduct\trelease\tend\tsuccessor\tsource\ncpe:a:b\t1\t2020-1-1\t2\tx\n").unwrap_err();
    /// assert!(matches!(e.kind(), EolErrorKind::Date { .. }) && e.line() == 3);
    /// # Ok::<(), exposure::eol::EolError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, EolError> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let fail = |kind, line| EolError { kind, line };
        match lines.next() {
            Some((_, l)) if l.trim() == HEADER => {}
            other => return Err(fail(EolErrorKind::Header, other.map_or(1, |(n, _)| n))),
        }
        match lines.next() {
            Some((_, l))
                if l.split('\t').map(str::trim).eq([
                    "product",
                    "release",
                    "end",
                    "successor",
                    "source",
                ]) => {}
            other => return Err(fail(EolErrorKind::Columns, other.map_or(2, |(n, _)| n))),
        }
        let mut entries = Vec::new();
        for (n, line) in lines {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [product, release, end, successor, source] = cells[..] else {
                return Err(fail(EolErrorKind::Cells { found: cells.len() }, n));
            };
            for (column, cell) in [
                ("product", product),
                ("release", release),
                ("source", source),
            ] {
                if cell.is_empty() {
                    return Err(fail(EolErrorKind::Empty { column }, n));
                }
            }
            if !is_date(end) {
                return Err(fail(
                    EolErrorKind::Date {
                        found: end.to_owned(),
                    },
                    n,
                ));
            }
            entries.push(Entry {
                product: product.to_owned(),
                release: release.to_owned(),
                end: end.to_owned(),
                successor: successor.to_owned(),
                source: source.to_owned(),
            });
        }
        Ok(Self { entries })
    }

    /// Every row, in table order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The release line of `product` (`cpe:<vendor>:<product>` or `<ecosystem>/<name>`,
    /// compared in ASCII lower case) that `version` is on, when the table lists it.
    pub fn lookup(&self, product: &str, version: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.product.eq_ignore_ascii_case(product) && e.covers(version.trim()))
    }
}

/// Whether `text` is a real `YYYY-MM-DD` date ([`crate::date::Date`]).
///
/// ```
/// assert!(exposure::eol::is_date("2026-12-04") && !exposure::eol::is_date("2026-12-4"));
/// assert!(!exposure::eol::is_date("2026-02-30"));
/// ```
pub fn is_date(text: &str) -> bool {
    text.parse::<crate::date::Date>().is_ok()
}

#[cfg(test)]
mod tests;
