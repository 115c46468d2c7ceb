//! The sources an update fetches, one module each behind one trait: [`nvd`] (API 2.0 by
//! modification windows), [`osv`] (an ecosystem's archive, then its modified-id list),
//! [`document`] (whole documents fetched conditionally: KEV, EPSS, Alpine secdb). Each
//! fetches into the mirror and says how its records load into a knowledge base.

pub(crate) mod document;
pub(crate) mod nvd;
pub(crate) mod osv;

use crate::config::{Config, SourceSpec};
use crate::error::{FetchError, UpdateError};
use crate::http::Client;
use crate::mirror::{Change, Mirror};
use crate::progress::{Event, Observer, SourceSummary};
use exposure::kb::KnowledgeBase;
use exposure::load_report::LoadReport;

/// What a source's fetch has at hand.
pub(crate) struct Fetch<'a> {
    pub(crate) config: &'a Config,
    pub(crate) client: &'a Client,
    pub(crate) mirror: &'a mut Mirror,
    pub(crate) observer: &'a mut dyn Observer,
    pub(crate) summary: SourceSummary,
    /// "Now" as Unix seconds.
    pub(crate) now: i64,
    responses: u64,
}

impl<'a> Fetch<'a> {
    pub(crate) fn new(
        config: &'a Config,
        client: &'a Client,
        mirror: &'a mut Mirror,
        observer: &'a mut dyn Observer,
        source: &str,
        now: i64,
    ) -> Self {
        Fetch {
            config,
            client,
            mirror,
            observer,
            summary: SourceSummary::new(source),
            now,
            responses: 0,
        }
    }

    /// Counts one stored record's change.
    pub(crate) fn count(&mut self, change: Change) {
        match change {
            Change::Added => self.summary.added += 1,
            Change::Changed => self.summary.changed += 1,
            Change::Withdrawn => self.summary.withdrawn += 1,
            Change::Unchanged => {}
        }
    }

    /// Reports one more response read (of `total` when known).
    pub(crate) fn progress(&mut self, total: Option<u64>) {
        self.responses += 1;
        self.observer.event(&Event::Progress {
            source: &self.summary.source,
            done: self.responses,
            total,
            bytes: self.summary.bytes,
        });
    }

    /// An invalid response of this source.
    pub(crate) fn invalid(&self, url: &str, message: impl Into<String>) -> UpdateError {
        UpdateError::Invalid {
            source_name: self.summary.source.clone(),
            url: url.to_owned(),
            error: FetchError::Invalid(message.into()),
        }
    }
}

/// One source.
pub(crate) trait Source {
    /// Fetches what changed into the mirror (committing as it goes), counting in
    /// `fetch.summary`.
    fn fetch(&self, fetch: &mut Fetch<'_>) -> Result<(), UpdateError>;

    /// Loads what the mirror holds of this source into `kb`, deterministically (records in
    /// id order), noting in `track` the record that created each advisory (and OSV records'
    /// shares of the metadata).
    fn load(
        &self,
        mirror: &Mirror,
        kb: &mut KnowledgeBase,
        track: &mut crate::build::Track,
    ) -> Result<LoadReport, UpdateError>;
}

/// The source behind a spec.
pub(crate) fn source(spec: &SourceSpec) -> Box<dyn Source> {
    match spec {
        SourceSpec::Nvd => Box::new(nvd::Nvd),
        SourceSpec::Osv(ecosystem) => Box::new(osv::Osv {
            ecosystem: ecosystem.clone(),
        }),
        SourceSpec::Kev => Box::new(document::Document::kev()),
        SourceSpec::Epss => Box::new(document::Document::epss()),
        SourceSpec::Alpine(branch) => Box::new(document::Document::alpine(branch)),
    }
}

/// JSON text with its keys sorted and no white space, so that a record served pretty-printed
/// in one response and compact in another is stored once, the same.
pub(crate) fn normalized(value: &serde_json::Value) -> Vec<u8> {
    // serde_json's maps are ordered by key (no preserve_order feature in this workspace).
    serde_json::to_vec(value).unwrap_or_default()
}

/// Whether an id is safe in a URL path and as a key (OSV ids, CVE ids).
pub(crate) fn plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:+".contains(c))
}

/// Percent-encodes a path segment.
pub(crate) fn segment(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~:".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
