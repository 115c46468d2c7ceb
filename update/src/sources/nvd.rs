//! NVD's CVE API 2.0: the first update pages through every CVE; later ones ask for what was
//! modified since the last one, in windows of at most 120 days
//! (`lastModStartDate`/`lastModEndDate`), each paged by `startIndex` and `resultsPerPage`.
//! Each page is committed with the paging position, so that a run that stops midway resumes
//! where it stopped. The API key, when given, goes in the `apiKey` header; requests keep to
//! NVD's published rate limit (5 per rolling 30 s, 50 with a key).

use super::{normalized, Fetch, Source};
use crate::error::UpdateError;
use crate::http::{Get, RateLimit, Reply};
use crate::mirror::{Mirror, Record, Share};
use exposure::kb::{format_utc, Format, KnowledgeBase, SourceInfo};
use exposure::load_report::LoadReport;

/// The mirror's source name.
const SOURCE: &str = "nvd";
/// The instant (Unix seconds) up to which the mirror holds every modification.
const CURSOR: &str = "nvd:cursor";
/// An unfinished window: `start end index` (start `-` for the first, unbounded run).
const PAGING: &str = "nvd:paging";
/// Records per document handed to core when building.
const CHUNK: usize = 1000;

pub(crate) struct Nvd;

/// A window of modification dates (`None`: every CVE) and the page to start at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    start: Option<i64>,
    end: i64,
    index: u64,
}

impl Window {
    fn to_state(self) -> String {
        let start = self.start.map_or_else(|| "-".to_owned(), |s| s.to_string());
        format!("{start} {} {}", self.end, self.index)
    }

    fn from_state(text: &str) -> Option<Window> {
        let mut parts = text.split(' ');
        let start = match parts.next()? {
            "-" => None,
            s => Some(s.parse().ok()?),
        };
        Some(Window {
            start,
            end: parts.next()?.parse().ok()?,
            index: parts.next()?.parse().ok()?,
        })
    }
}

/// NVD's date form: `2024-05-01T12:00:00.000+00:00` (the `+` percent-encoded).
fn nvd_date(seconds: i64) -> String {
    let text = format_utc(seconds);
    format!("{}.000%2B00:00", text.trim_end_matches('Z'))
}

/// The windows from `from` to `to`, each at most `days` long.
fn windows(from: i64, to: i64, days: u32) -> Vec<Window> {
    let step = i64::from(days) * 86_400;
    let mut out = Vec::new();
    let mut start = from;
    while start < to {
        let end = (start + step).min(to);
        out.push(Window {
            start: Some(start),
            end,
            index: 0,
        });
        start = end;
    }
    out
}

#[derive(serde::Deserialize)]
struct Page<'a> {
    #[serde(rename = "totalResults")]
    total: u64,
    #[serde(borrow)]
    vulnerabilities: Vec<&'a serde_json::value::RawValue>,
}

impl Nvd {
    fn page_url(config: &crate::Config, window: Window) -> String {
        let mut url = format!(
            "{}?startIndex={}&resultsPerPage={}",
            config.nvd_url, window.index, config.nvd_page_size
        );
        if let Some(start) = window.start {
            url = format!(
                "{url}&lastModStartDate={}&lastModEndDate={}",
                nvd_date(start),
                nvd_date(window.end)
            );
        }
        url
    }

    /// Pages through one window, committing each page with the position after it.
    fn window(
        fetch: &mut Fetch<'_>,
        rate: &mut RateLimit,
        mut window: Window,
    ) -> Result<(), UpdateError> {
        let key = fetch.config.nvd_api_key.clone();
        let headers: Vec<(&str, &str)> = key.iter().map(|k| ("apiKey", k.as_str())).collect();
        loop {
            let url = Self::page_url(fetch.config, window);
            let request = Get {
                source: SOURCE,
                url: &url,
                headers: &headers,
                validators: None,
            };
            let reply = fetch.client.get(
                &request,
                Some(&mut *rate),
                &mut fetch.summary,
                fetch.observer,
            )?;
            let Reply::Body { body, .. } = reply else {
                return Err(fetch.invalid(&url, "304 to a request without validators"));
            };
            let page: Page<'_> = serde_json::from_slice(&body)
                .map_err(|e| fetch.invalid(&url, format!("not an NVD API 2.0 page: {e}")))?;
            let mut records = Vec::with_capacity(page.vulnerabilities.len());
            for raw in &page.vulnerabilities {
                let value: serde_json::Value = serde_json::from_str(raw.get())
                    .map_err(|e| fetch.invalid(&url, e.to_string()))?;
                let cve = &value["cve"];
                let Some(id) = cve["id"].as_str().filter(|id| super::plain_id(id)) else {
                    return Err(fetch.invalid(&url, "a vulnerability without a valid cve.id"));
                };
                records.push((
                    id.to_owned(),
                    cve["lastModified"].as_str().map(str::to_owned),
                    cve["vulnStatus"].as_str() == Some("Rejected"),
                    normalized(&value),
                ));
            }
            let got = records.len() as u64;
            let next = Window {
                index: window.index + got,
                ..window
            };
            let finished = got == 0 || next.index >= page.total;
            if got == 0 && window.index < page.total {
                return Err(fetch.invalid(
                    &url,
                    format!(
                        "an empty page at {} of {} results",
                        window.index, page.total
                    ),
                ));
            }
            let changes = fetch.mirror.transaction(|m| {
                let mut changes = Vec::new();
                for (id, modified, withdrawn, body) in &records {
                    changes.push(m.put_record(
                        SOURCE,
                        &Record {
                            id,
                            modified: modified.as_deref(),
                            withdrawn: *withdrawn,
                            body,
                        },
                    )?);
                }
                if changes
                    .iter()
                    .any(|c| *c != crate::mirror::Change::Unchanged)
                {
                    m.bump_generation()?;
                }
                if finished {
                    m.set_state(PAGING, None)?;
                    m.set_state(CURSOR, Some(&window.end.to_string()))?;
                } else {
                    m.set_state(PAGING, Some(&next.to_state()))?;
                }
                Ok(changes)
            })?;
            for change in changes {
                fetch.count(change);
            }
            let pages = page.total.div_ceil(u64::from(fetch.config.nvd_page_size));
            fetch.progress(Some(pages.max(1)));
            if finished {
                return Ok(());
            }
            window = next;
        }
    }
}

impl Source for Nvd {
    fn fetch(&self, fetch: &mut Fetch<'_>) -> Result<(), UpdateError> {
        let mut rate = RateLimit::new(fetch.config.nvd_rate_limit(), fetch.config.nvd_rate_window);
        let days = fetch.config.nvd_window_days;
        let now = fetch.now;
        let mut from = fetch
            .mirror
            .state(CURSOR)?
            .and_then(|c| c.parse::<i64>().ok());
        if let Some(unfinished) = fetch
            .mirror
            .state(PAGING)?
            .and_then(|p| Window::from_state(&p))
        {
            Self::window(fetch, &mut rate, unfinished)?;
            from = Some(unfinished.end);
        }
        match from {
            None => Self::window(
                fetch,
                &mut rate,
                Window {
                    start: None,
                    end: now,
                    index: 0,
                },
            )?,
            Some(from) => {
                for window in windows(from, now, days) {
                    Self::window(fetch, &mut rate, window)?;
                }
            }
        }
        Ok(())
    }

    fn load(
        &self,
        mirror: &Mirror,
        kb: &mut KnowledgeBase,
        track: &mut crate::build::Track,
    ) -> Result<LoadReport, UpdateError> {
        let timestamp = timestamp(mirror)?;
        let mut report = LoadReport::default();
        let mut chunk: Vec<Vec<u8>> = Vec::new();
        mirror.each_record(SOURCE, &mut |_, body| {
            chunk.push(body.to_vec());
            if chunk.len() >= CHUNK {
                report.absorb(load_chunk(kb, timestamp.as_deref(), &chunk, track));
                chunk.clear();
            }
            Ok(())
        })?;
        if !chunk.is_empty() {
            report.absorb(load_chunk(kb, timestamp.as_deref(), &chunk, track));
        }
        // The metadata as a patch sums it, whatever the chunks' heads held.
        let shares = track
            .shares
            .iter()
            .filter(|(source, _, _)| source == SOURCE)
            .map(|(_, _, share)| share);
        if let Some(info) = source_info(shares, timestamp.as_deref()) {
            let mut metadata = kb.metadata().clone();
            metadata
                .sources
                .retain(|s| s.source != SOURCE || s.format != Format::Nvd.name());
            metadata.sources.extend(info);
            kb.set_metadata(metadata);
        }
        Ok(report)
    }
}

/// The feed timestamp of the NVD documents built from the mirror: its cursor.
pub(crate) fn timestamp(mirror: &Mirror) -> Result<Option<String>, UpdateError> {
    Ok(mirror
        .state(CURSOR)?
        .and_then(|c| c.parse::<i64>().ok())
        .map(format_utc))
}

/// Loads records (their bodies, in id order) as one NVD API document, noting the advisories
/// they create (an NVD advisory's id is its record's, a CVE id that no merge changes) and
/// each record's share ([`share`]).
pub(crate) fn load_chunk(
    kb: &mut KnowledgeBase,
    timestamp: Option<&str>,
    chunk: &[Vec<u8>],
    track: &mut crate::build::Track,
) -> LoadReport {
    let mut text = String::from("{\"format\":\"NVD_CVE\",\"version\":\"2.0\"");
    if let Some(t) = timestamp {
        text.push_str(",\"timestamp\":\"");
        text.push_str(t);
        text.push('"');
    }
    text.push_str(",\"vulnerabilities\":[");
    for (i, body) in chunk.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&String::from_utf8_lossy(body));
    }
    text.push_str("]}");
    let before = kb.len();
    let documents = documents_noted(kb);
    let report = kb.load_text_as(Format::Nvd, &text, SOURCE);
    let read = documents_noted(kb) > documents;
    let mut created = std::collections::HashSet::new();
    for advisory in kb.advisories().skip(before) {
        track.creators.push((track.rank, advisory.id.clone(), 0));
        created.insert(advisory.id.as_str());
    }
    for body in chunk {
        let (id, mut share) = share(body);
        if !read {
            share = Share::default();
        } else if !created.contains(id.as_str()) {
            share.records = 0;
            share.kev = None;
        }
        track.shares.push((SOURCE.to_owned(), id, share));
    }
    report
}

/// The NVD documents the knowledge base notes.
fn documents_noted(kb: &KnowledgeBase) -> usize {
    kb.metadata()
        .sources
        .iter()
        .filter(|s| s.source == SOURCE && s.format == Format::Nvd.name())
        .map(|s| s.documents)
        .sum()
}

/// A record's id and its share when its document is read and it loads: one document (its
/// chunk's read), one record, its newest date as core's NVD loader takes it (the newest of
/// the element's `lastModifiedDate` and `publishedDate` and its `cve`'s `lastModified` and
/// `published`) and the KEV listing it copies (`cisaExploitAdd`, `cisaActionDue`).
fn share(body: &[u8]) -> (String, Share) {
    /// The fields a share reads (the rest skipped unread); any JSON value, as core takes
    /// only strings.
    #[derive(Default, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Element {
        last_modified_date: Option<serde_json::Value>,
        published_date: Option<serde_json::Value>,
        #[serde(default)]
        cve: Cve,
    }
    #[derive(Default, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Cve {
        id: Option<serde_json::Value>,
        last_modified: Option<serde_json::Value>,
        published: Option<serde_json::Value>,
        cisa_exploit_add: Option<serde_json::Value>,
        cisa_action_due: Option<serde_json::Value>,
    }
    // A body is a normalised element with a `cve` object (checked when fetched).
    let element: Element = serde_json::from_slice(body).unwrap_or_default();
    let text = |value: &Option<serde_json::Value>| {
        value
            .as_ref()
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let mut dates = SourceInfo::default();
    for date in [
        &element.last_modified_date,
        &element.published_date,
        &element.cve.last_modified,
        &element.cve.published,
    ] {
        let mut part = SourceInfo::default();
        part.newest_record = text(date);
        dates.absorb(&part);
    }
    let cve = &element.cve;
    let kev = text(&cve.cisa_exploit_add)
        .map(|added| (added, text(&cve.cisa_action_due).unwrap_or_default()));
    let share = Share {
        documents: 1,
        records: 1,
        newest: dates.newest_record,
        kev,
    };
    (text(&cve.id).unwrap_or_default(), share)
}

/// NVD's entry in the metadata, summed from its records' shares (in id order) as a build
/// and a patch both note it: one document per chunk of records, the records loaded, their
/// newest date, and the cursor as the feed's timestamp (no entry without records). `None`
/// when a record's document was not read (beyond the size limits), as then the chunks decide.
pub(crate) fn source_info<'a>(
    shares: impl IntoIterator<Item = &'a Share>,
    timestamp: Option<&str>,
) -> Option<Vec<SourceInfo>> {
    let mut info = SourceInfo::default();
    let mut count: usize = 0;
    for share in shares {
        if share.documents != 1 {
            return None;
        }
        count += 1;
        let mut part = SourceInfo::default();
        part.records = share.records;
        part.newest_record.clone_from(&share.newest);
        info.absorb(&part);
    }
    if count == 0 {
        return Some(Vec::new());
    }
    SOURCE.clone_into(&mut info.source);
    Format::Nvd.name().clone_into(&mut info.format);
    info.documents = count.div_ceil(CHUNK);
    info.feed_timestamp = timestamp.map(str::to_owned);
    Some(vec![info])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_at_most_the_given_days_and_cover_the_span() {
        let day = 86_400;
        let w = windows(0, 250 * day, 120);
        let spans: Vec<(Option<i64>, i64)> = w.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(
            spans,
            [
                (Some(0), 120 * day),
                (Some(120 * day), 240 * day),
                (Some(240 * day), 250 * day)
            ]
        );
        assert!(windows(5, 5, 120).is_empty());
    }

    #[test]
    fn shares_sum_to_what_core_notes_for_a_chunk() {
        let bodies: Vec<Vec<u8>> = [
            r#"{"cve": {"id": "CVE-2024-1", "published": "2024-01-01T00:00:00.000", "lastModified": "2024-01-02T00:00:00.000"}}"#,
            // Skipped (a metric without its vector), its dates still read.
            r#"{"cve": {"id": "CVE-2024-2", "lastModified": "2024-03-01T00:00:00.000", "cisaExploitAdd": "2024-01-05",
                "metrics": {"cvssMetricV31": [{"cvssData": {}}]}}}"#,
            r#"{"cve": {"id": "CVE-2024-3", "published": "2024-02-01T00:00:00", "cisaExploitAdd": "2024-02-02"}}"#,
        ]
        .map(|b| b.as_bytes().to_vec())
        .to_vec();
        let mut kb = KnowledgeBase::new();
        let mut track = crate::build::Track::default();
        let timestamp = "2024-05-01T00:00:00Z";
        let report = load_chunk(&mut kb, Some(timestamp), &bodies, &mut track);
        assert_eq!((report.records_loaded, report.records_skipped), (2, 1));
        let shares: Vec<&Share> = track.shares.iter().map(|(_, _, s)| s).collect();
        let noted = source_info(shares.iter().copied(), Some(timestamp));
        assert_eq!(noted, Some(vec![kb.metadata().sources[0].clone()]));
        let notes: Vec<_> = shares.iter().map(|s| s.kev.clone()).collect();
        let listed = ("2024-02-02".to_owned(), String::new());
        assert_eq!(
            notes,
            [None, None, Some(listed)],
            "only loaded records note"
        );
        assert!(kb.threat().kev("CVE-2024-3").is_some());
    }

    #[test]
    fn dates_are_written_as_nvd_reads_them() {
        assert_eq!(nvd_date(1_700_000_000), "2023-11-14T22:13:20.000%2B00:00");
    }

    #[test]
    fn a_paging_position_round_trips() {
        let w = Window {
            start: None,
            end: 9,
            index: 4000,
        };
        assert_eq!(Window::from_state(&w.to_state()), Some(w));
        let w = Window {
            start: Some(3),
            end: 9,
            index: 0,
        };
        assert_eq!(Window::from_state(&w.to_state()), Some(w));
    }
}
