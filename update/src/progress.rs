//! What an update reports while it runs ([`Event`]s handed to an [`Observer`]) and what it
//! did in the end ([`Summary`]: records added, changed, withdrawn and unchanged per source,
//! requests, bytes and seconds).

use serde::Serialize;
use std::time::Duration;

/// Something that happened during an update, in order.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A source starts fetching.
    SourceStarted {
        /// The source.
        source: &'a str,
    },
    /// A response was read: a page of NVD (`page` of `pages` when known), a document, or a
    /// changed OSV record.
    Progress {
        /// The source.
        source: &'a str,
        /// Responses read so far for this source.
        done: u64,
        /// How many there will be, when known.
        total: Option<u64>,
        /// Body bytes read so far for this source.
        bytes: u64,
    },
    /// A request failed and will be made again after `wait`.
    Retry {
        /// The source.
        source: &'a str,
        /// The URL.
        url: &'a str,
        /// The attempt that failed (1 for the first request).
        attempt: u32,
        /// Why.
        reason: &'a str,
        /// The wait before the next attempt.
        wait: Duration,
    },
    /// A request waits for NVD's rate limit.
    RateLimited {
        /// The source.
        source: &'a str,
        /// The wait.
        wait: Duration,
    },
    /// A source is done.
    SourceDone {
        /// Its figures.
        summary: &'a SourceSummary,
    },
    /// The snapshot is being built from the mirror.
    Building,
    /// The snapshot was written (or found up to date).
    Done {
        /// Whether a new snapshot was written.
        written: bool,
    },
}

/// Receives an update's [`Event`]s (a progress bar, log lines).
///
/// ```
/// use exposure_update::{Event, Observer};
/// struct Count(usize);
/// impl Observer for Count {
///     fn event(&mut self, _: &Event<'_>) { self.0 += 1; }
/// }
/// let mut c = Count(0);
/// c.event(&Event::Building);
/// assert_eq!(c.0, 1);
/// ```
pub trait Observer {
    /// Called for each event, in order, on the updating thread.
    fn event(&mut self, event: &Event<'_>);
}

/// An observer that ignores everything.
///
/// ```
/// use exposure_update::Observer;
/// exposure_update::Quiet.event(&exposure_update::Event::Building);
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Observer for Quiet {
    fn event(&mut self, _: &Event<'_>) {}
}

/// What one source's update did.
///
/// ```
/// let s = exposure_update::SourceSummary::new("kev");
/// assert_eq!((s.source.as_str(), s.added, s.requests), ("kev", 0, 0));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SourceSummary {
    /// The source.
    pub source: String,
    /// Records new to the mirror.
    pub added: u64,
    /// Records whose content changed.
    pub changed: u64,
    /// Records withdrawn (NVD `Rejected`, OSV `withdrawn`, or gone from a whole-document
    /// source).
    pub withdrawn: u64,
    /// Records of the source kept as they were.
    pub unchanged: u64,
    /// HTTP requests made (retries included).
    pub requests: u64,
    /// Response body bytes read.
    pub bytes: u64,
    /// Whether the server said nothing changed (304) for a whole-document source.
    pub not_modified: bool,
    /// Seconds spent.
    pub seconds: f64,
}

impl SourceSummary {
    /// An empty summary of `source`.
    pub fn new(source: &str) -> Self {
        SourceSummary {
            source: source.to_owned(),
            ..SourceSummary::default()
        }
    }
}

/// What an update did.
///
/// ```
/// let s = exposure_update::Summary::default();
/// assert!(!s.written && !s.patched && s.sources.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// One row per source, in the configured order.
    pub sources: Vec<SourceSummary>,
    /// Whether a new snapshot was written (false when nothing changed and the snapshot was
    /// built from the mirror as it is).
    pub written: bool,
    /// Whether the snapshot written was patched in place (only the clusters of the records
    /// that changed loaded again) rather than rebuilt from every mirrored record.
    pub patched: bool,
    /// Advisories in the snapshot.
    pub advisories: usize,
    /// The mirror's generation the snapshot was built from.
    pub generation: i64,
    /// Seconds spent in all.
    pub seconds: f64,
}
