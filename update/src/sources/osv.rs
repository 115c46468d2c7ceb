//! One osv.dev ecosystem: `{osv_url}/{ecosystem}/all.zip` the first time, then
//! `{osv_url}/{ecosystem}/modified_id.csv` (lines `<RFC 3339 modified>,<id>`, newest first,
//! read down to the newest `modified` the mirror holds) and `{osv_url}/{ecosystem}/{id}.json`
//! for each record modified since. Debian's data is OSV's `Debian` ecosystem.

use super::{normalized, plain_id, segment, Fetch, Source};
use crate::error::UpdateError;
use crate::http::{Get, Reply};
use crate::mirror::{Change, Mirror, Record};
use exposure::kb::{unix_seconds, KnowledgeBase};
use exposure::load_report::LoadReport;
use std::io::Read;

pub(crate) struct Osv {
    pub(crate) ecosystem: String,
}

/// One record read from a response: id, modified, withdrawn, normalised JSON.
struct Parsed {
    id: String,
    modified: Option<String>,
    withdrawn: bool,
    body: Vec<u8>,
}

fn parse_record(bytes: &[u8]) -> Result<Parsed, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not OSV JSON: {e}"))?;
    let id = value["id"]
        .as_str()
        .filter(|id| plain_id(id))
        .ok_or("an OSV record without a valid id")?
        .to_owned();
    Ok(Parsed {
        id,
        modified: value["modified"].as_str().map(str::to_owned),
        withdrawn: value.get("withdrawn").is_some_and(|w| !w.is_null()),
        body: normalized(&value),
    })
}

impl Osv {
    fn name(&self) -> String {
        format!("osv:{}", self.ecosystem)
    }

    fn cursor_key(&self) -> String {
        format!("osv:{}:cursor", self.ecosystem)
    }

    fn url(&self, fetch: &Fetch<'_>, file: &str) -> String {
        format!(
            "{}/{}/{file}",
            fetch.config.osv_url.trim_end_matches('/'),
            segment(&self.ecosystem)
        )
    }

    fn get(&self, fetch: &mut Fetch<'_>, url: &str) -> Result<Vec<u8>, UpdateError> {
        let name = self.name();
        let request = Get {
            source: &name,
            url,
            headers: &[],
            validators: None,
        };
        match fetch
            .client
            .get(&request, None, &mut fetch.summary, fetch.observer)?
        {
            Reply::Body { body, .. } => Ok(body),
            Reply::NotModified => Err(fetch.invalid(url, "304 to a request without validators")),
        }
    }

    /// Every record of the ecosystem's archive.
    fn all(&self, fetch: &mut Fetch<'_>) -> Result<Vec<Parsed>, UpdateError> {
        let url = self.url(fetch, "all.zip");
        let bytes = self.get(fetch, &url)?;
        fetch.progress(Some(1));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| fetch.invalid(&url, format!("not a zip: {e}")))?;
        let limit = fetch.config.limits.input_bytes;
        let mut records = Vec::new();
        for i in 0..archive.len() {
            let mut member = archive
                .by_index(i)
                .map_err(|e| fetch.invalid(&url, e.to_string()))?;
            if !member.is_file() || !member.name().to_ascii_lowercase().ends_with(".json") {
                continue;
            }
            let name = member.name().to_owned();
            let mut text = Vec::new();
            (&mut member)
                .take(limit + 1)
                .read_to_end(&mut text)
                .map_err(|e| fetch.invalid(&url, format!("{name}: {e}")))?;
            if text.len() as u64 > limit {
                return Err(fetch.invalid(&url, format!("{name}: more than {limit} bytes")));
            }
            records.push(
                parse_record(&text).map_err(|e| fetch.invalid(&url, format!("{name}: {e}")))?,
            );
        }
        Ok(records)
    }

    /// The records modified at or after `cursor`, fetched one by one.
    fn changed_since(
        &self,
        fetch: &mut Fetch<'_>,
        cursor: i64,
    ) -> Result<Vec<Parsed>, UpdateError> {
        let url = self.url(fetch, "modified_id.csv");
        let list = self.get(fetch, &url)?;
        let list = String::from_utf8(list).map_err(|e| fetch.invalid(&url, e.to_string()))?;
        let mut ids = Vec::new();
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let (modified, id) = line
                .split_once(',')
                .ok_or_else(|| fetch.invalid(&url, format!("not `<modified>,<id>`: {line:?}")))?;
            let at = unix_seconds(modified.trim())
                .ok_or_else(|| fetch.invalid(&url, format!("not a date: {modified:?}")))?;
            // Newest first: the rest was mirrored already (a record modified in the cursor's
            // own second is fetched again, which changes nothing).
            if at < cursor {
                break;
            }
            let id = id.trim();
            if !plain_id(id) {
                return Err(fetch.invalid(&url, format!("not an id: {id:?}")));
            }
            ids.push(id.to_owned());
        }
        let total = ids.len() as u64 + 1;
        fetch.progress(Some(total));
        let mut records = Vec::new();
        for id in ids {
            let url = self.url(fetch, &format!("{}.json", segment(&id)));
            let bytes = self.get(fetch, &url)?;
            let record = parse_record(&bytes).map_err(|e| fetch.invalid(&url, e))?;
            if record.id != id {
                return Err(fetch.invalid(&url, format!("holds {} instead of {id}", record.id)));
            }
            records.push(record);
            fetch.progress(Some(total));
        }
        Ok(records)
    }
}

impl Source for Osv {
    fn fetch(&self, fetch: &mut Fetch<'_>) -> Result<(), UpdateError> {
        let key = self.cursor_key();
        let cursor = fetch
            .mirror
            .state(&key)?
            .and_then(|c| c.parse::<i64>().ok());
        let records = match cursor {
            None => self.all(fetch)?,
            Some(cursor) => self.changed_since(fetch, cursor)?,
        };
        let newest = records
            .iter()
            .filter_map(|r| r.modified.as_deref().and_then(unix_seconds))
            .max()
            .into_iter()
            .chain(cursor)
            .max()
            .unwrap_or(0);
        let name = self.name();
        let changes = fetch.mirror.transaction(|m| {
            let mut changes = Vec::with_capacity(records.len());
            for r in &records {
                changes.push(m.put_record(
                    &name,
                    &Record {
                        id: &r.id,
                        modified: r.modified.as_deref(),
                        withdrawn: r.withdrawn,
                        body: &r.body,
                    },
                )?);
            }
            if changes.iter().any(|c| *c != Change::Unchanged) {
                m.bump_generation()?;
            }
            m.set_state(&key, Some(&newest.to_string()))?;
            Ok(changes)
        })?;
        for change in changes {
            fetch.count(change);
        }
        Ok(())
    }

    fn load(
        &self,
        mirror: &Mirror,
        kb: &mut KnowledgeBase,
        track: &mut crate::build::Track,
    ) -> Result<LoadReport, UpdateError> {
        let name = self.name();
        let mut report = LoadReport::default();
        mirror.each_record(&name, &mut |id, body| {
            report.absorb(track.load_osv(kb, &name, id, body));
            Ok(())
        })?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_read_with_its_id_date_and_withdrawal() {
        let r = parse_record(br#"{"modified": "2024-01-02T00:00:00Z", "id": "GO-1", "withdrawn": "2024-01-02T00:00:00Z"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.id.as_str(), r.withdrawn), ("GO-1", true));
        assert_eq!(r.modified.as_deref(), Some("2024-01-02T00:00:00Z"));
        assert!(parse_record(br#"{"id": "../x"}"#).is_err());
        assert!(parse_record(b"{").is_err());
    }
}
