//! Whole-document sources, fetched with the validators of the last answer (`If-None-Match`,
//! `If-Modified-Since`) and replaced whole: CISA KEV's JSON catalog, FIRST's EPSS CSV
//! (gzipped, its first line `#model_version:…,score_date:…`), and one Alpine secdb branch
//! and repository. Records added, changed and withdrawn are counted by each document's keys
//! (KEV's `cveID`, EPSS's CVE, Alpine's package name).

use super::{normalized, Fetch, Source};
use crate::error::UpdateError;
use crate::http::{Get, Reply};
use crate::mirror::Mirror;
use exposure::kb::{Format, KnowledgeBase};
use exposure::load_report::LoadReport;
use std::collections::BTreeMap;

/// Which whole document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Kev,
    Epss,
    Alpine,
}

pub(crate) struct Document {
    kind: Kind,
    /// `branch/repo` for Alpine.
    branch: String,
}

/// A document's records by key.
type Entries = BTreeMap<String, Vec<u8>>;

impl Document {
    pub(crate) fn kev() -> Self {
        Document {
            kind: Kind::Kev,
            branch: String::new(),
        }
    }

    pub(crate) fn epss() -> Self {
        Document {
            kind: Kind::Epss,
            branch: String::new(),
        }
    }

    pub(crate) fn alpine(branch: &str) -> Self {
        Document {
            kind: Kind::Alpine,
            branch: branch.to_owned(),
        }
    }

    fn name(&self) -> String {
        match self.kind {
            Kind::Kev => "kev".into(),
            Kind::Epss => "epss".into(),
            Kind::Alpine => format!("alpine:{}", self.branch),
        }
    }

    fn url(&self, config: &crate::Config) -> String {
        match self.kind {
            Kind::Kev => config.kev_url.clone(),
            Kind::Epss => config.epss_url.clone(),
            Kind::Alpine => {
                let path: Vec<String> = self.branch.split('/').map(super::segment).collect();
                format!(
                    "{}/{}.json",
                    config.alpine_url.trim_end_matches('/'),
                    path.join("/")
                )
            }
        }
    }

    /// The document as the mirror keeps it (EPSS's gzip undone, within the limits).
    fn decode(
        &self,
        body: Vec<u8>,
        url: &str,
        limits: exposure::files::Limits,
    ) -> Result<Vec<u8>, String> {
        if self.kind == Kind::Epss || exposure::files::is_gzip(&body) {
            return limits.decompress(body, url).map_err(|e| e.to_string());
        }
        Ok(body)
    }

    /// The document's records by key; an error when it is not this source's format.
    fn entries(&self, doc: &[u8]) -> Result<Entries, String> {
        let mut out = Entries::new();
        match self.kind {
            Kind::Kev | Kind::Alpine => {
                let value: serde_json::Value =
                    serde_json::from_slice(doc).map_err(|e| format!("not JSON: {e}"))?;
                let (list, key): (&str, fn(&serde_json::Value) -> Option<&str>) = match self.kind {
                    Kind::Kev => ("vulnerabilities", kev_key),
                    _ => ("packages", alpine_key),
                };
                let items = value[list]
                    .as_array()
                    .ok_or_else(|| format!("no `{list}` array"))?;
                for item in items {
                    let k =
                        key(item).ok_or_else(|| format!("an entry of `{list}` without its key"))?;
                    out.insert(k.to_owned(), normalized(item));
                }
            }
            Kind::Epss => {
                let text = std::str::from_utf8(doc).map_err(|e| e.to_string())?;
                let mut lines = text.lines().skip_while(|l| l.starts_with('#'));
                let header = lines.next().unwrap_or_default();
                if !header.trim().starts_with("cve,epss") {
                    return Err(format!("not FIRST's EPSS CSV (header {header:?})"));
                }
                for line in lines.filter(|l| !l.trim().is_empty()) {
                    let (cve, _) = line
                        .split_once(',')
                        .ok_or_else(|| format!("a line without a comma: {line:?}"))?;
                    out.insert(cve.to_owned(), line.as_bytes().to_vec());
                }
            }
        }
        Ok(out)
    }
}

/// A KEV entry's key: its CVE.
fn kev_key(v: &serde_json::Value) -> Option<&str> {
    v["cveID"].as_str()
}

/// An Alpine secdb entry's key: its package.
fn alpine_key(v: &serde_json::Value) -> Option<&str> {
    v["pkg"]["name"].as_str()
}

impl Source for Document {
    fn fetch(&self, fetch: &mut Fetch<'_>) -> Result<(), UpdateError> {
        let name = self.name();
        let url = self.url(fetch.config);
        let old = fetch.mirror.document(&name)?;
        let validators = match old {
            Some(_) => fetch.mirror.validators(&url)?,
            None => None,
        };
        let request = Get {
            source: &name,
            url: &url,
            headers: &[],
            validators: validators.as_ref(),
        };
        let reply = fetch
            .client
            .get(&request, None, &mut fetch.summary, fetch.observer)?;
        fetch.progress(Some(1));
        let old_entries = match &old {
            Some(doc) => self.entries(doc).unwrap_or_default(),
            None => Entries::new(),
        };
        let (body, validators) = match (reply, old) {
            (Reply::NotModified, Some(_)) => {
                fetch.summary.not_modified = true;
                fetch.summary.unchanged = old_entries.len() as u64;
                return Ok(());
            }
            (Reply::NotModified, None) => {
                return Err(fetch.invalid(&url, "304 to a request without validators"))
            }
            (Reply::Body { body, validators }, _) => (body, validators),
        };
        let doc = self
            .decode(body, &url, fetch.config.limits)
            .map_err(|e| fetch.invalid(&url, e))?;
        let entries = self.entries(&doc).map_err(|e| fetch.invalid(&url, e))?;
        for (key, value) in &entries {
            match old_entries.get(key) {
                None => fetch.summary.added += 1,
                Some(v) if v != value => fetch.summary.changed += 1,
                Some(_) => fetch.summary.unchanged += 1,
            }
        }
        fetch.summary.withdrawn = old_entries
            .keys()
            .filter(|k| !entries.contains_key(*k))
            .count() as u64;
        let same = fetch.mirror.document(&name)?.as_deref() == Some(&doc[..]);
        fetch.mirror.transaction(|m| {
            if !same {
                m.put_document(&name, &doc)?;
                m.bump_generation()?;
            }
            m.put_validators(&url, &validators)
        })
    }

    fn load(
        &self,
        mirror: &Mirror,
        kb: &mut KnowledgeBase,
        track: &mut crate::build::Track,
    ) -> Result<LoadReport, UpdateError> {
        let name = self.name();
        let Some(doc) = mirror.document(&name)? else {
            return Ok(LoadReport::default());
        };
        let format = match self.kind {
            Kind::Kev | Kind::Epss => Format::Threat,
            Kind::Alpine => Format::Alpine,
        };
        let before = kb.len();
        let report = kb.load_text_as(format, &String::from_utf8_lossy(&doc), &name);
        track.created(kb, before, None);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epss_entries_skip_the_model_line_and_need_the_header() {
        let doc = Document::epss();
        let e = doc
            .entries(b"#model_version:v1,score_date:2025-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-1-1,0.1,0.2\n")
            .unwrap_or_default();
        assert_eq!(e.keys().collect::<Vec<_>>(), ["CVE-1-1"]);
        assert!(doc.entries(b"<html>").is_err());
    }

    #[test]
    fn alpine_urls_keep_the_branch_path() {
        let config = crate::Config {
            alpine_url: "http://127.0.0.1:1/alpine/".into(),
            ..crate::Config::default()
        };
        assert_eq!(
            Document::alpine("v3.20/main").url(&config),
            "http://127.0.0.1:1/alpine/v3.20/main.json"
        );
    }
}
