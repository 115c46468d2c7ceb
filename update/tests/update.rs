//! Updates against recorded responses on loopback: a real HTTP/1.1 server on 127.0.0.1
//! serves each source's real data (from ../shared/data) in its real format, changed between
//! updates, with failures scripted per path. No request leaves 127.0.0.1.

#![allow(clippy::unwrap_used)]

mod support;

use exposure::kb::{format_utc, unix_seconds, KnowledgeBase};
use exposure_update::{
    update, Config, Event, FetchError, Observer, Quiet, SourceSpec, SourceSummary, UpdateError,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Feeds, Reply, Server};

/// The first update's "now" (after every NVD sample's lastModified).
fn t1() -> i64 {
    unix_seconds("2026-12-01T00:00:00Z").unwrap()
}

const DAY: i64 = 86_400;

fn config(server: &Server, sources: Vec<SourceSpec>) -> Config {
    Config {
        nvd_page_size: 10,
        attempts: 3,
        max_wait: Duration::from_secs(2),
        ..server.config(sources, t1())
    }
}

fn all_sources() -> Vec<SourceSpec> {
    vec![
        SourceSpec::Nvd,
        SourceSpec::Osv("Go".into()),
        SourceSpec::Alpine("3.20/main".into()),
        SourceSpec::Alpine("3.21/main".into()),
        SourceSpec::Kev,
        SourceSpec::Epss,
    ]
}

fn serving(osv_records: usize) -> (Arc<Mutex<Feeds>>, Server) {
    let feeds = Arc::new(Mutex::new(Feeds::from_shared(osv_records)));
    let server = Server::start();
    Feeds::serve(&feeds, &server);
    (feeds, server)
}

fn row<'a>(summary: &'a exposure_update::Summary, source: &str) -> &'a SourceSummary {
    summary.sources.iter().find(|s| s.source == source).unwrap()
}

/// Every event, as text, with the retry waits apart.
#[derive(Default)]
struct Recorder {
    events: Vec<String>,
    retry_waits: Vec<Duration>,
    rate_waits: usize,
}

impl Observer for Recorder {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Retry { wait, .. } => self.retry_waits.push(*wait),
            Event::RateLimited { .. } => self.rate_waits += 1,
            _ => {}
        }
        self.events.push(format!("{event:?}"));
    }
}

/// The server's state moved on by one day: in NVD and OSV one record changed, one
/// withdrawn, one added; KEV lost an entry (new ETag); EPSS and Alpine as they were. Returns
/// how many OSV records were modified in the newest second before (fetched again, unchanged).
fn one_day_later(feeds: &Mutex<Feeds>) -> usize {
    let mut f = feeds.lock().unwrap();
    let stamp = format_utc(t1() + DAY);
    let nvd_stamp = format!("{}.000", stamp.trim_end_matches('Z'));
    let cve = &mut f.nvd[0]["cve"];
    cve["descriptions"][0]["value"] = "changed on the server".into();
    cve["lastModified"] = nvd_stamp.clone().into();
    let cve = &mut f.nvd[1]["cve"];
    cve["vulnStatus"] = "Rejected".into();
    cve["lastModified"] = nvd_stamp.clone().into();
    let mut added = f.nvd[2].clone();
    added["cve"]["id"] = "CVE-2099-0001".into();
    added["cve"]["lastModified"] = nvd_stamp.into();
    f.nvd.push(added);
    let newest = f
        .osv
        .values()
        .filter_map(|r| r["modified"].as_str().and_then(unix_seconds))
        .max()
        .unwrap();
    assert!(
        newest < t1() + DAY,
        "the OSV sample is newer than the test's clock"
    );
    let at_newest = f
        .osv
        .values()
        .filter(|r| r["modified"].as_str().and_then(unix_seconds) == Some(newest))
        .count();
    let ids: Vec<String> = f.osv.keys().take(3).cloned().collect();
    let record = f.osv.get_mut(&ids[0]).unwrap();
    record["summary"] = "changed on the server".into();
    record["modified"] = stamp.clone().into();
    let record = f.osv.get_mut(&ids[1]).unwrap();
    record["withdrawn"] = stamp.clone().into();
    record["modified"] = stamp.clone().into();
    let mut added = f.osv[&ids[2]].clone();
    added["id"] = "GO-2099-0001".into();
    added["modified"] = stamp.into();
    f.osv.insert("GO-2099-0001".into(), added);
    let mut kev: serde_json::Value = serde_json::from_slice(&f.kev.body).unwrap();
    kev["vulnerabilities"].as_array_mut().unwrap().pop();
    f.kev.body = serde_json::to_vec(&kev).unwrap();
    f.kev.etag = "\"kev-2\"".into();
    at_newest
}

#[test]
fn an_incremental_update_gives_the_snapshot_a_full_update_of_the_new_state_gives() {
    let (feeds, server) = serving(150);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let mut config = config(&server, all_sources());
    let first = update(&snapshot, &config, &mut Quiet).unwrap();
    assert!(first.written);
    let nvd = row(&first, "nvd");
    assert_eq!((nvd.added + nvd.withdrawn, nvd.requests), (74, 8));
    let osv = row(&first, "osv:Go");
    assert_eq!(osv.added + osv.withdrawn, 150);
    assert!(row(&first, "kev").added > 1000);
    assert_eq!(row(&first, "epss").added, 5);
    assert!(row(&first, "alpine:3.21/main").added > 100);
    assert_eq!(server.count("/osv/Go/all.zip"), 1);

    let at_newest = one_day_later(&feeds);
    server.clear_log();
    config.now = Some(t1() + 2 * DAY);
    let mut recorder = Recorder::default();
    let second = update(&snapshot, &config, &mut recorder).unwrap();
    assert!(second.written);
    assert!(
        !second.patched,
        "Alpine's advisories are no records: rebuilt"
    );
    let counts = |s: &SourceSummary| (s.added, s.changed, s.withdrawn);
    assert_eq!(counts(row(&second, "nvd")), (1, 1, 1));
    assert_eq!(row(&second, "nvd").unchanged, 72);
    assert_eq!(counts(row(&second, "osv:Go")), (1, 1, 1));
    assert_eq!(row(&second, "osv:Go").unchanged, 148);
    assert_eq!(counts(row(&second, "kev")), (0, 0, 1));
    assert!(row(&second, "epss").not_modified && row(&second, "alpine:3.20/main").not_modified);
    // Only what changed was fetched: one NVD window page, the modified list and three records.
    let log = server.log();
    let nvd_requests: Vec<_> = log.iter().filter(|r| r.path == "/nvd").collect();
    assert_eq!(nvd_requests.len(), 1);
    assert_eq!(
        nvd_requests[0]
            .query
            .get("lastModStartDate")
            .map(String::as_str),
        Some("2026-12-01T00:00:00.000+00:00")
    );
    assert_eq!(server.count("/osv/Go/all.zip"), 0);
    assert_eq!(server.count("/osv/Go/modified_id.csv"), 1);
    let records = log
        .iter()
        .filter(|r| r.path.starts_with("/osv/Go/GO-"))
        .count();
    assert!(
        (3..=3 + at_newest).contains(&records),
        "{records} OSV records fetched"
    );
    let kev = log.iter().find(|r| r.path == "/kev.json").unwrap();
    assert_eq!(kev.header("if-none-match"), Some("\"kev-1\""));
    let epss = log.iter().find(|r| r.path == "/epss.csv.gz").unwrap();
    assert_eq!(epss.header("if-none-match"), Some("\"epss-1\""));
    assert!(recorder.events.iter().any(|e| e.starts_with("SourceDone")));

    // A full update of the new state from nothing, at the same instant: the same bytes.
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = fresh_dir.path().join("kb.bin");
    update(&fresh, &config, &mut Quiet).unwrap();
    let (a, b) = (
        std::fs::read(&snapshot).unwrap(),
        std::fs::read(&fresh).unwrap(),
    );
    assert!(a == b, "the incremental snapshot differs from the full one");
    let kb = KnowledgeBase::load_snapshot(&snapshot).unwrap();
    assert!(kb.get("CVE-2099-0001").is_some() && kb.get("GO-2099-0001").is_some());
    assert_eq!(
        kb.metadata().built_at.as_deref(),
        Some("2026-12-03T00:00:00Z")
    );

    // Nothing changed: nothing is written again.
    let third = update(&snapshot, &config, &mut Quiet).unwrap();
    assert!(!third.written);
    assert!(std::fs::read(&snapshot).unwrap() == a);
}

#[test]
fn a_mirror_ahead_of_its_snapshot_is_rebuilt_on_the_next_run() {
    let (_feeds, server) = serving(20);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let config = config(&server, vec![SourceSpec::Kev, SourceSpec::Osv("Go".into())]);
    update(&snapshot, &config, &mut Quiet).unwrap();
    let before = std::fs::read(&snapshot).unwrap();
    // A crash after the mirror's commit, before the snapshot's rename: the mirror does not
    // note the build.
    let mirror = rusqlite::Connection::open(dir.path().join("kb.bin.mirror")).unwrap();
    mirror
        .execute("DELETE FROM state WHERE key = 'built'", [])
        .unwrap();
    drop(mirror);
    let again = update(&snapshot, &config, &mut Quiet).unwrap();
    assert!(again.written);
    assert!(std::fs::read(&snapshot).unwrap() == before);
}

/// A first good update of KEV alone, then one with the scripted replies: it fails with an
/// error naming the source and URL, and the snapshot is byte-identical and loadable.
fn fails_keeping_the_snapshot(
    replies: Vec<Reply>,
    tune: impl FnOnce(&mut Config),
) -> (UpdateError, usize) {
    let (feeds, server) = serving(1);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let mut config = config(&server, vec![SourceSpec::Kev]);
    tune(&mut config);
    update(&snapshot, &config, &mut Quiet).unwrap();
    let before = std::fs::read(&snapshot).unwrap();
    feeds.lock().unwrap().kev.etag = "\"kev-2\"".into();
    server.clear_log();
    server.script("/kev.json", replies);
    config.now = Some(t1() + DAY);
    let error = update(&snapshot, &config, &mut Quiet).unwrap_err();
    assert_eq!(error.source_name(), Some("kev"));
    assert!(error.to_string().contains("/kev.json"), "{error}");
    assert!(std::fs::read(&snapshot).unwrap() == before);
    KnowledgeBase::load_snapshot(&snapshot).unwrap();
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_ascii_lowercase().ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
    (error, server.count("/kev.json"))
}

#[test]
fn a_truncated_body_is_retried_then_fails_keeping_the_snapshot() {
    let kev = Feeds::from_shared(1).kev.body;
    let truncated = Reply {
        truncate: Some(1000),
        ..Reply::ok(kev)
    };
    let (error, requests) = fails_keeping_the_snapshot(vec![truncated; 3], |_| {});
    assert_eq!(requests, 3);
    assert!(
        matches!(
            error,
            UpdateError::Fetch {
                attempts: 3,
                error: FetchError::Transport(_),
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn invalid_json_fails_at_once_keeping_the_snapshot() {
    let (error, requests) =
        fails_keeping_the_snapshot(vec![Reply::ok("{\"vulnerabilities\": [")], |_| {});
    assert_eq!(requests, 1);
    assert!(matches!(error, UpdateError::Invalid { .. }), "{error}");
    assert!(error.to_string().contains("not JSON"), "{error}");
}

#[test]
fn a_response_slower_than_the_time_out_fails_after_the_retries() {
    // Far slower than the time-out, so that a loaded machine (CI beside other builds)
    // cannot make the bound below pass or fail by accident.
    let slow = Reply {
        delay: Duration::from_secs(8),
        ..Reply::ok("{}")
    };
    let started = Instant::now();
    let (error, requests) = fails_keeping_the_snapshot(vec![slow; 2], |c| {
        c.timeout = Duration::from_millis(300);
        c.attempts = 2;
    });
    assert_eq!(requests, 2);
    assert!(
        matches!(
            error,
            UpdateError::Fetch {
                attempts: 2,
                error: FetchError::Timeout,
                ..
            }
        ),
        "{error}"
    );
    // Two time-outs of 0.3 s and a back-off, not two 8-second answers.
    assert!(started.elapsed() < Duration::from_secs(6));
}

#[test]
fn a_status_that_is_not_retried_fails_at_once() {
    let (error, requests) = fails_keeping_the_snapshot(vec![Reply::status(404)], |_| {});
    assert_eq!(requests, 1);
    assert!(
        matches!(
            error,
            UpdateError::Fetch {
                error: FetchError::Status { status: 404 },
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn retry_after_is_waited_for() {
    let (_feeds, server) = serving(1);
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, vec![SourceSpec::Kev]);
    server.script("/kev.json", [Reply::status(429).header("Retry-After", "1")]);
    let started = Instant::now();
    let mut recorder = Recorder::default();
    let summary = update(&dir.path().join("kb.bin"), &config, &mut recorder).unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.count("/kev.json"), 2);
    assert_eq!(row(&summary, "kev").requests, 2);
    assert_eq!(recorder.retry_waits, [Duration::from_secs(1)]);
}

#[test]
fn service_unavailable_backs_off_exponentially() {
    let (_feeds, server) = serving(1);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, vec![SourceSpec::Epss]);
    config.backoff = Duration::from_millis(100);
    server.script("/epss.csv.gz", [Reply::status(503), Reply::status(503)]);
    let started = Instant::now();
    let mut recorder = Recorder::default();
    update(&dir.path().join("kb.bin"), &config, &mut recorder).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(server.count("/epss.csv.gz"), 3);
    assert_eq!(
        recorder.retry_waits,
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[test]
fn nvd_requests_keep_to_the_rate_limit() {
    let (_feeds, server) = serving(1);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, vec![SourceSpec::Nvd]);
    // 74 records, 10 a page: 8 pages, 5 per window without a key.
    config.nvd_rate_window = Duration::from_millis(400);
    let started = Instant::now();
    let mut recorder = Recorder::default();
    update(&dir.path().join("kb.bin"), &config, &mut recorder).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(server.count("/nvd"), 8);
    assert!(recorder.rate_waits >= 1);
    assert!(server.log().iter().all(|r| r.header("apikey").is_none()));

    // With a key: 50 per window, no wait, the key in the apiKey header.
    let dir = tempfile::tempdir().unwrap();
    config.nvd_api_key = Some("secret-key".into());
    server.clear_log();
    let mut recorder = Recorder::default();
    update(&dir.path().join("kb.bin"), &config, &mut recorder).unwrap();
    assert_eq!(recorder.rate_waits, 0);
    assert!(server
        .log()
        .iter()
        .all(|r| r.header("apikey") == Some("secret-key")));
}

#[test]
fn an_interrupted_nvd_paging_resumes_where_it_stopped() {
    let (feeds, server) = serving(1);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let config = config(&server, vec![SourceSpec::Nvd]);
    feeds.lock().unwrap().nvd_fail_at = Some(30);
    let error = update(&snapshot, &config, &mut Quiet).unwrap_err();
    assert!(error.to_string().contains("HTTP status 500"), "{error}");
    assert_eq!(server.count("/nvd"), 4);
    assert!(!snapshot.exists());

    feeds.lock().unwrap().nvd_fail_at = None;
    server.clear_log();
    let summary = update(&snapshot, &config, &mut Quiet).unwrap();
    let starts: Vec<_> = server
        .log()
        .iter()
        .map(|r| r.query.get("startIndex").cloned().unwrap_or_default())
        .collect();
    assert_eq!(starts, ["30", "40", "50", "60", "70"]);
    assert_eq!(
        row(&summary, "nvd").added + row(&summary, "nvd").withdrawn,
        44
    );

    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = fresh_dir.path().join("kb.bin");
    update(&fresh, &config, &mut Quiet).unwrap();
    assert!(std::fs::read(&snapshot).unwrap() == std::fs::read(&fresh).unwrap());
}

#[test]
fn nvd_windows_are_at_most_120_days() {
    let (_feeds, server) = serving(1);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let mut config = config(&server, vec![SourceSpec::Nvd]);
    update(&snapshot, &config, &mut Quiet).unwrap();
    server.clear_log();
    config.now = Some(t1() + 300 * DAY);
    update(&snapshot, &config, &mut Quiet).unwrap();
    let windows: Vec<(i64, i64)> = server
        .log()
        .iter()
        .map(|r| {
            let at = |k: &str| unix_seconds(&r.query[k]).unwrap();
            (at("lastModStartDate"), at("lastModEndDate"))
        })
        .collect();
    assert_eq!(
        windows,
        [
            (t1(), t1() + 120 * DAY),
            (t1() + 120 * DAY, t1() + 240 * DAY),
            (t1() + 240 * DAY, t1() + 300 * DAY)
        ]
    );
}

#[test]
fn every_request_stays_on_loopback() {
    // The configuration the tests use names 127.0.0.1 only; the server saw every request.
    let (_feeds, server) = serving(5);
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, all_sources());
    for url in [
        &config.nvd_url,
        &config.osv_url,
        &config.kev_url,
        &config.epss_url,
        &config.alpine_url,
    ] {
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    }
    let summary = update(&dir.path().join("kb.bin"), &config, &mut Quiet).unwrap();
    let requests: u64 = summary.sources.iter().map(|s| s.requests).sum();
    assert_eq!(usize::try_from(requests).unwrap(), server.total());
}

#[test]
fn a_body_over_the_limit_fails_at_once() {
    let (_feeds, server) = serving(1);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, vec![SourceSpec::Kev]);
    config.max_body_bytes = 64 << 10; // the KEV catalog is 1.2 MB
    let error = update(&dir.path().join("kb.bin"), &config, &mut Quiet).unwrap_err();
    assert!(
        matches!(
            error,
            UpdateError::Fetch {
                attempts: 1,
                error: FetchError::TooLarge { limit: 65_536 },
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(server.count("/kev.json"), 1);
}

#[test]
fn a_bad_modified_list_fails_naming_the_line() {
    let (_feeds, server) = serving(3);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let config = config(&server, vec![SourceSpec::Osv("Go".into())]);
    update(&snapshot, &config, &mut Quiet).unwrap();
    let before = std::fs::read(&snapshot).unwrap();
    server.script(
        "/osv/Go/modified_id.csv",
        [Reply::ok("2030-01-01T00:00:00Z,../../etc/passwd\n")],
    );
    let error = update(&snapshot, &config, &mut Quiet).unwrap_err();
    assert!(error.to_string().contains("not an id"), "{error}");
    assert_eq!(error.source_name(), Some("osv:Go"));
    assert!(std::fs::read(&snapshot).unwrap() == before);
}
