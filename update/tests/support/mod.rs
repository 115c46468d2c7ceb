//! Test support: a real HTTP/1.1 server on 127.0.0.1 (a `TcpListener`, a thread per
//! connection), scriptable per path (status, headers, body, delay, truncation), counting
//! requests per path and recording each request's query and headers; and the feeds it
//! serves, built from `../shared/data` in each source's real format.
//!
//! Shared by `update/tests` and `cli/tests` (included with `#[path]`).

#![allow(dead_code, clippy::unwrap_used, unreachable_pub, missing_docs)]

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: HashMap<String, String>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// One answer.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Waits this long before answering.
    pub delay: Duration,
    /// Sends only this many bytes of the body, announcing all of it (a truncated response).
    pub truncate: Option<usize>,
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status: 200,
            body: body.into(),
            ..Reply::default()
        }
    }

    pub fn status(status: u16) -> Self {
        Reply {
            status,
            body: if status == 304 {
                Vec::new()
            } else {
                format!("status {status}").into_bytes()
            },
            ..Reply::default()
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

type Route = Box<dyn Fn(&Request) -> Reply + Send>;

#[derive(Default)]
struct State {
    routes: Vec<(String, Route)>,
    scripts: HashMap<String, VecDeque<Reply>>,
    counts: HashMap<String, usize>,
    log: Vec<Request>,
}

/// The server; it stops accepting when dropped.
pub struct Server {
    pub base: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                // The server is gone when only this thread holds the state.
                if Arc::strong_count(&shared) == 1 {
                    return;
                }
                let state = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Server { base, state }
    }

    /// Answers requests whose path starts with `prefix` (the longest prefix wins).
    /// An update configuration with every source's URL on this server, the short time-outs,
    /// back-off and rate window of tests, and `now` as the build time; a test overrides
    /// the rest (page size, attempts) with struct update syntax.
    pub fn config(
        &self,
        sources: Vec<exposure_update::SourceSpec>,
        now: i64,
    ) -> exposure_update::Config {
        let base = &self.base;
        exposure_update::Config {
            sources,
            nvd_url: format!("{base}/nvd"),
            osv_url: format!("{base}/osv"),
            kev_url: format!("{base}/kev.json"),
            epss_url: format!("{base}/epss.csv.gz"),
            alpine_url: format!("{base}/alpine"),
            nvd_rate_window: Duration::from_millis(20),
            timeout: Duration::from_secs(5),
            backoff: Duration::from_millis(20),
            proxy_from_env: false,
            now: Some(now),
            ..exposure_update::Config::default()
        }
    }

    pub fn route(&self, prefix: &str, route: impl Fn(&Request) -> Reply + Send + 'static) {
        let mut state = self.state.lock().unwrap();
        state.routes.push((prefix.to_owned(), Box::new(route)));
        state
            .routes
            .sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }

    /// The next requests of `path` get these replies, in order, before its route answers.
    pub fn script(&self, path: &str, replies: impl IntoIterator<Item = Reply>) {
        self.state
            .lock()
            .unwrap()
            .scripts
            .entry(path.to_owned())
            .or_default()
            .extend(replies);
    }

    pub fn count(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .counts
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    pub fn total(&self) -> usize {
        self.state.lock().unwrap().log.len()
    }

    pub fn log(&self) -> Vec<Request> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn clear_log(&self) {
        let mut state = self.state.lock().unwrap();
        state.log.clear();
        state.counts.clear();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Wake the accepting thread so that it sees it is alone and ends.
        let state = std::mem::take(&mut self.state);
        drop(state);
        TcpStream::connect(self.base.trim_start_matches("http://")).ok();
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let target = line.split(' ').nth(1).unwrap_or("/").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("%2B", "+").replace("%3A", ":")))
        .collect();
    let request = Request {
        path: path.to_owned(),
        query,
        headers,
    };
    let reply = {
        let mut state = state.lock().unwrap();
        *state.counts.entry(request.path.clone()).or_default() += 1;
        state.log.push(request.clone());
        match state
            .scripts
            .get_mut(&request.path)
            .and_then(VecDeque::pop_front)
        {
            Some(reply) => reply,
            None => match state
                .routes
                .iter()
                .find(|(p, _)| request.path.starts_with(p))
            {
                Some((_, route)) => route(&request),
                None => Reply::status(404),
            },
        }
    };
    std::thread::sleep(reply.delay);
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(k);
        head.push_str(": ");
        head.push_str(v);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let body = &reply.body[..reply
        .truncate
        .unwrap_or(reply.body.len())
        .min(reply.body.len())];
    out.write_all(head.as_bytes()).ok();
    out.write_all(body).ok();
    out.flush().ok();
    out.shutdown(std::net::Shutdown::Both).ok();
}

/// `../shared/data` (or `$EXPOSURE_SHARED_DIR/data`); missing data fails the test.
pub fn shared_data() -> PathBuf {
    let dir = std::env::var_os("EXPOSURE_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        PathBuf::from,
    );
    let data = dir.join("data");
    assert!(
        data.is_dir(),
        "the shared data {} is missing (set EXPOSURE_SHARED_DIR)",
        data.display()
    );
    data
}

/// The members of a .tar.gz whose names satisfy `keep`, in archive order.
pub fn tar_members(path: &std::path::Path, keep: impl Fn(&str) -> bool) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().display().to_string();
        if keep(&name) {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            out.push((name, bytes));
        }
    }
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The NVD JSON 1.1 feeds in `nvd/json-1.1` (2017, modified, recent; each CVE once, the
/// later feed's version kept) as API 2.0 items, for figures at a realistic size: id, dates,
/// status (`Rejected` for a `** REJECT **` description), English description, CWEs, the
/// CVSS v3 and v2 vectors as NVD's Primary metrics, the references, and the configurations
/// as they are (core reads NVD's configurations in either form). Sorted by id.
pub fn nvd_from_json11() -> Vec<serde_json::Value> {
    use serde_json::{json, Value};
    let dir = shared_data().join("nvd/json-1.1");
    let date = |v: &Value| {
        // `2017-01-01T01:59Z` → `2017-01-01T01:59:00.000`.
        let text = v
            .as_str()
            .unwrap_or("1970-01-01T00:00Z")
            .trim_end_matches('Z');
        format!("{text}:00.000")
    };
    let mut items: BTreeMap<String, Value> = BTreeMap::new();
    for feed in ["2017", "modified", "recent"] {
        let path = dir.join(format!("nvdcve-1.1-{feed}.json.gz"));
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
            .read_to_end(&mut text)
            .unwrap();
        let feed: Value = serde_json::from_slice(&text).unwrap();
        for item in feed["CVE_Items"].as_array().unwrap() {
            let cve = &item["cve"];
            let id = cve["CVE_data_meta"]["ID"].as_str().unwrap().to_owned();
            let description = cve["description"]["description_data"]
                .as_array()
                .and_then(|d| d.iter().find(|d| d["lang"] == "en"))
                .and_then(|d| d["value"].as_str())
                .unwrap_or_default();
            let cwes: Vec<Value> = cve["problemtype"]["problemtype_data"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|p| p["description"].as_array().cloned().unwrap_or_default())
                .collect();
            let metric = |vector: &Value| json!([{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"vectorString": vector}}]);
            let mut metrics = serde_json::Map::new();
            let v3 = &item["impact"]["baseMetricV3"]["cvssV3"]["vectorString"];
            if let Some(vector) = v3.as_str() {
                let key = if vector.starts_with("CVSS:3.0") {
                    "cvssMetricV30"
                } else {
                    "cvssMetricV31"
                };
                metrics.insert(key.into(), metric(v3));
            }
            let v2 = &item["impact"]["baseMetricV2"]["cvssV2"]["vectorString"];
            if v2.is_string() {
                metrics.insert("cvssMetricV2".into(), metric(v2));
            }
            let references: Vec<Value> = cve["references"]["reference_data"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| json!({"url": r["url"], "source": "nvd@nist.gov", "tags": r["tags"]}))
                .collect();
            let status = if description.starts_with("** REJECT **") {
                "Rejected"
            } else {
                "Analyzed"
            };
            let converted = json!({"cve": {
                "id": id,
                "published": date(&item["publishedDate"]),
                "lastModified": date(&item["lastModifiedDate"]),
                "vulnStatus": status,
                "descriptions": [{"lang": "en", "value": description}],
                "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary", "description": cwes}],
                "metrics": metrics,
                "configurations": item["configurations"],
                "references": references,
            }});
            items.insert(id, converted);
        }
    }
    items.into_values().collect()
}

/// A whole document with its ETag: 304 when the request names it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub body: Vec<u8>,
    pub etag: String,
}

impl Doc {
    pub fn reply(&self, request: &Request) -> Reply {
        if request.header("if-none-match") == Some(self.etag.as_str()) {
            return Reply::status(304).header("ETag", &self.etag);
        }
        Reply::ok(self.body.clone()).header("ETag", &self.etag)
    }
}

/// What the server serves: every source's state, changed by tests between updates.
#[derive(Debug, Clone)]
pub struct Feeds {
    /// NVD API items (`{"cve": …}`), in the server's order.
    pub nvd: Vec<serde_json::Value>,
    /// An NVD page starting at this index answers 500 (an interrupted run).
    pub nvd_fail_at: Option<u64>,
    /// OSV Go records by id.
    pub osv: BTreeMap<String, serde_json::Value>,
    pub kev: Doc,
    pub epss: Doc,
    /// Alpine secdb documents by `branch/repo`.
    pub alpine: BTreeMap<String, Doc>,
}

/// NVD's `lastModified` (no zone: UTC) as Unix seconds.
pub fn nvd_seconds(text: &str) -> i64 {
    let text = text.split('.').next().unwrap();
    exposure::kb::unix_seconds(&format!("{text}Z")).unwrap()
}

impl Feeds {
    /// The real data: the NVD API 2.0 samples, the first `osv_records` Go OSV records, the
    /// KEV catalog, FIRST's EPSS sample gzipped, Alpine 3.20 and 3.21 main.
    pub fn from_shared(osv_records: usize) -> Feeds {
        let data = shared_data();
        let mut nvd = Vec::new();
        let mut samples: Vec<_> = std::fs::read_dir(data.join("nvd/api-2.0-samples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        samples.sort();
        for path in samples {
            let page: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            nvd.extend(page["vulnerabilities"].as_array().unwrap().iter().cloned());
        }
        assert!(nvd.len() >= 20, "NVD samples: {}", nvd.len());
        let mut osv = BTreeMap::new();
        for (name, bytes) in tar_members(&data.join("osv-go/golang-vulndb-osv.tar.gz"), |n| {
            n.contains("/osv/GO-") && n.to_ascii_lowercase().ends_with(".json")
        })
        .into_iter()
        .take(osv_records)
        {
            let mut value: serde_json::Value =
                serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            // The Go repository leaves `modified` at zero until osv.dev publishes the record
            // (which sets it): serve the published date there, as osv.dev would.
            if value["modified"]
                .as_str()
                .is_some_and(|m| m.starts_with("0001-"))
            {
                value["modified"] = value["published"].clone();
            }
            osv.insert(value["id"].as_str().unwrap().to_owned(), value);
        }
        assert!(osv.len() == osv_records || (osv_records == usize::MAX && osv.len() > 1000));
        let kev = Doc {
            body: std::fs::read(data.join("cisa-kev/known_exploited_vulnerabilities.json"))
                .unwrap(),
            etag: "\"kev-1\"".into(),
        };
        let epss = Doc {
            body: gzip(&std::fs::read(data.join("epss/format-sample-5-rows.csv")).unwrap()),
            etag: "\"epss-1\"".into(),
        };
        let alpine = tar_members(
            &data.join("alpine-secdb/alpine-secdb-json-v3.2-v3.21-edge.tar.gz"),
            |n| n.ends_with("3.20/main.json") || n.ends_with("3.21/main.json"),
        )
        .into_iter()
        .map(|(name, body)| {
            let branch = name
                .trim_start_matches("alpine-secdb-json/")
                .trim_end_matches(".json")
                .to_owned();
            let etag = format!("\"{branch}-1\"");
            (branch, Doc { body, etag })
        })
        .collect::<BTreeMap<_, _>>();
        assert_eq!(alpine.len(), 2);
        Feeds {
            nvd,
            nvd_fail_at: None,
            osv,
            kev,
            epss,
            alpine,
        }
    }

    /// The NVD API's answer to a request (filtered by the modification window, paged).
    fn nvd_page(&self, request: &Request) -> Reply {
        let q = |k: &str| request.query.get(k).cloned();
        let start: u64 = q("startIndex").and_then(|s| s.parse().ok()).unwrap_or(0);
        let per: usize = q("resultsPerPage")
            .and_then(|s| s.parse().ok())
            .unwrap_or(2000);
        if self.nvd_fail_at == Some(start) {
            return Reply::status(500);
        }
        let window = match (q("lastModStartDate"), q("lastModEndDate")) {
            (Some(a), Some(b)) => {
                let parse = |t: &str| exposure::kb::unix_seconds(t).unwrap();
                Some((parse(&a), parse(&b)))
            }
            (None, None) => None,
            _ => return Reply::status(404),
        };
        let items: Vec<&serde_json::Value> = self
            .nvd
            .iter()
            .filter(|item| {
                window.is_none_or(|(a, b)| {
                    let at = nvd_seconds(item["cve"]["lastModified"].as_str().unwrap());
                    a <= at && at <= b
                })
            })
            .collect();
        let start_at = usize::try_from(start).unwrap().min(items.len());
        let page: Vec<_> = items.iter().skip(start_at).take(per).collect();
        let body = serde_json::json!({
            "resultsPerPage": page.len(),
            "startIndex": start,
            "totalResults": items.len(),
            "format": "NVD_CVE",
            "version": "2.0",
            "timestamp": "2026-12-01T00:00:00.000",
            "vulnerabilities": page,
        });
        Reply::ok(serde_json::to_vec_pretty(&body).unwrap())
    }

    fn osv_zip(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (id, record) in &self.osv {
            zip.start_file(
                format!("{id}.json"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            zip.write_all(&serde_json::to_vec_pretty(record).unwrap())
                .unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn osv_modified(&self) -> String {
        let mut lines: Vec<(String, &str)> = self
            .osv
            .iter()
            .map(|(id, r)| (r["modified"].as_str().unwrap().to_owned(), id.as_str()))
            .collect();
        lines.sort_by(|a, b| b.cmp(a));
        lines
            .iter()
            .flat_map(|(m, id)| [m.as_str(), ",", id, "\n"])
            .collect()
    }

    /// Serves these feeds (shared with the test, which changes them) under `server`:
    /// `/nvd`, `/osv/Go/…`, `/kev.json`, `/epss.csv.gz`, `/alpine/{branch}/{repo}.json`.
    pub fn serve(feeds: &Arc<Mutex<Feeds>>, server: &Server) {
        let f = Arc::clone(feeds);
        server.route("/nvd", move |r| f.lock().unwrap().nvd_page(r));
        let f = Arc::clone(feeds);
        server.route("/osv/Go/", move |r| {
            let feeds = f.lock().unwrap();
            let file = r.path.trim_start_matches("/osv/Go/");
            match file {
                "all.zip" => Reply::ok(feeds.osv_zip()),
                "modified_id.csv" => Reply::ok(feeds.osv_modified()),
                _ => match feeds.osv.get(file.trim_end_matches(".json")) {
                    Some(record) => Reply::ok(serde_json::to_vec(record).unwrap()),
                    None => Reply::status(404),
                },
            }
        });
        let f = Arc::clone(feeds);
        server.route("/kev.json", move |r| f.lock().unwrap().kev.reply(r));
        let f = Arc::clone(feeds);
        server.route("/epss.csv.gz", move |r| f.lock().unwrap().epss.reply(r));
        let f = Arc::clone(feeds);
        server.route("/alpine/", move |r| {
            let feeds = f.lock().unwrap();
            let key = r
                .path
                .trim_start_matches("/alpine/")
                .trim_end_matches(".json");
            feeds
                .alpine
                .get(key)
                .map_or_else(|| Reply::status(404), |d| d.reply(r))
        });
    }
}
