//! Updates patched in place: after a full update, each later update loads again only the
//! clusters of what changed (records changed, added, withdrawn; an alias that bridges two
//! advisories, then its removal that splits them; a new KEV catalog), and the snapshot it
//! writes has the bytes of a rebuild of the same mirror at the same instant. Served on
//! loopback from ../shared/data, as in `update.rs`.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod support;

use exposure::kb::{format_utc, unix_seconds, KnowledgeBase};
use exposure_update::{rebuild, update, Config, Quiet, SourceSpec, Summary};
use std::path::Path;
use std::sync::{Arc, Mutex};
use support::{Feeds, Server};

const DAY: i64 = 86_400;

fn t1() -> i64 {
    unix_seconds("2026-12-01T00:00:00Z").unwrap()
}

fn config(server: &Server, sources: Vec<SourceSpec>) -> Config {
    Config {
        nvd_page_size: 50,
        attempts: 2,
        ..server.config(sources, t1())
    }
}

/// One day on: `change` edits the served feeds (records it touches get that day's
/// `modified`), then the update runs; its snapshot must be a rebuild's bytes.
fn next_day(
    feeds: &Mutex<Feeds>,
    snapshot: &Path,
    config: &mut Config,
    day: i64,
    change: impl FnOnce(&mut Feeds, &str),
) -> Summary {
    let stamp = format_utc(t1() + day * DAY);
    change(&mut feeds.lock().unwrap(), &stamp);
    config.now = Some(t1() + day * DAY + 3600);
    let summary = update(snapshot, config, &mut Quiet).unwrap();
    assert!(summary.written, "day {day}: nothing written");
    let rebuilt = rebuild(snapshot, config).unwrap().to_snapshot();
    assert!(
        std::fs::read(snapshot).unwrap() == rebuilt,
        "day {day}: the snapshot differs from a rebuild (patched: {})",
        summary.patched
    );
    summary
}

fn touch(feeds: &mut Feeds, id: &str, stamp: &str) -> serde_json::Value {
    let record = feeds.osv.get_mut(id).unwrap();
    record["modified"] = stamp.into();
    record.clone()
}

/// Two Go records sharing no id or alias with each other.
fn apart(feeds: &Feeds) -> (String, String) {
    let ids = |r: &serde_json::Value| -> Vec<String> {
        let mut out = vec![r["id"].as_str().unwrap().to_owned()];
        for a in r["aliases"].as_array().into_iter().flatten() {
            out.push(a.as_str().unwrap().to_owned());
        }
        out
    };
    let records: Vec<&serde_json::Value> = feeds.osv.values().skip(10).collect();
    for (i, a) in records.iter().enumerate() {
        for b in &records[i + 1..] {
            if ids(a).iter().all(|x| !ids(b).contains(x)) {
                return (ids(a)[0].clone(), ids(b)[0].clone());
            }
        }
    }
    panic!("no two records apart")
}

#[test]
fn deltas_are_patched_in_place_with_the_bytes_of_a_rebuild() {
    let feeds = Arc::new(Mutex::new(Feeds::from_shared(200)));
    let server = Server::start();
    Feeds::serve(&feeds, &server);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let mut config = config(
        &server,
        vec![
            SourceSpec::Osv("Go".into()),
            SourceSpec::Kev,
            SourceSpec::Epss,
        ],
    );
    let first = update(&snapshot, &config, &mut Quiet).unwrap();
    assert!(first.written && !first.patched);

    // Records changed, withdrawn and added.
    let day1 = next_day(&feeds, &snapshot, &mut config, 1, |f, stamp| {
        let ids: Vec<String> = f.osv.keys().take(3).cloned().collect();
        let mut record = touch(f, &ids[0], stamp);
        record["summary"] = "changed on the server".into();
        f.osv.insert(ids[0].clone(), record);
        let mut record = touch(f, &ids[1], stamp);
        record["withdrawn"] = stamp.into();
        f.osv.insert(ids[1].clone(), record);
        let mut added = touch(f, &ids[2], stamp);
        added["id"] = "GO-2099-0001".into();
        added["aliases"] = serde_json::json!(["CVE-2099-0001"]);
        f.osv.insert("GO-2099-0001".into(), added);
    });
    assert!(day1.patched, "records changed: patched in place");
    let kb = KnowledgeBase::load_snapshot(&snapshot).unwrap();
    assert!(kb.get("GO-2099-0001").is_some());

    // An alias that bridges two advisories: one advisory.
    let (a, b) = apart(&feeds.lock().unwrap());
    let day2 = next_day(&feeds, &snapshot, &mut config, 2, |f, stamp| {
        let mut record = touch(f, &a, stamp);
        let aliases = record["aliases"].as_array_mut();
        match aliases {
            Some(list) => list.push(b.clone().into()),
            None => record["aliases"] = serde_json::json!([b.clone()]),
        }
        f.osv.insert(a.clone(), record);
    });
    assert!(day2.patched);
    let kb = KnowledgeBase::load_snapshot(&snapshot).unwrap();
    let bridged = kb.get(&a).unwrap().id.clone();
    assert_eq!(
        kb.get(&b).unwrap().id,
        bridged,
        "{a} and {b} are one advisory"
    );
    assert_eq!(kb.len() + 1, day1.advisories, "two advisories merged");

    // The alias removed again: two advisories, where a rebuild puts them.
    let day3 = next_day(&feeds, &snapshot, &mut config, 3, |f, stamp| {
        let mut record = touch(f, &a, stamp);
        if let Some(list) = record["aliases"].as_array_mut() {
            list.retain(|x| x.as_str() != Some(b.as_str()));
        }
        f.osv.insert(a.clone(), record);
    });
    assert!(day3.patched);
    assert_eq!(day3.advisories, day1.advisories);

    // A new KEV catalog: threat intelligence replaced whole.
    let day4 = next_day(&feeds, &snapshot, &mut config, 4, |f, _| {
        let mut kev: serde_json::Value = serde_json::from_slice(&f.kev.body).unwrap();
        let list = kev["vulnerabilities"].as_array_mut().unwrap();
        list.pop();
        list[0]["dateAdded"] = "2026-12-04".into();
        f.kev.body = serde_json::to_vec(&kev).unwrap();
        f.kev.etag = "\"kev-4\"".into();
    });
    assert!(day4.patched);

    // A mirror from before the identifiers table: migrated when opened, then patched.
    let mirror = rusqlite::Connection::open(dir.path().join("kb.bin.mirror")).unwrap();
    mirror.execute_batch("DROP TABLE identifiers").unwrap();
    drop(mirror);
    let day5 = next_day(&feeds, &snapshot, &mut config, 5, |f, stamp| {
        let id = f.osv.keys().nth(20).cloned().unwrap();
        let mut record = touch(f, &id, stamp);
        record["details"] = "changed again".into();
        f.osv.insert(id, record);
    });
    assert!(day5.patched);

    // A snapshot that is not the one last written: rebuilt, not patched.
    KnowledgeBase::new().save_snapshot(&snapshot).unwrap();
    let day6 = next_day(&feeds, &snapshot, &mut config, 6, |f, stamp| {
        let id = f.osv.keys().nth(21).cloned().unwrap();
        let mut record = touch(f, &id, stamp);
        record["details"] = "changed once more".into();
        f.osv.insert(id, record);
    });
    assert!(!day6.patched);
}

/// An NVD record's `lastModified` set to `stamp` (NVD writes no zone).
fn nvd_touch(feeds: &mut Feeds, id: &str, stamp: &str) -> usize {
    let at = feeds
        .nvd
        .iter()
        .position(|item| item["cve"]["id"] == id)
        .unwrap();
    feeds.nvd[at]["cve"]["lastModified"] = format!("{}.000", stamp.trim_end_matches('Z')).into();
    at
}

/// A CVE id some Go record lists as an alias, that no NVD sample is.
fn go_alias(feeds: &Feeds) -> String {
    feeds
        .osv
        .values()
        .flat_map(|r| r["aliases"].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a.as_str().map(str::to_owned))
        .find(|a| a.starts_with("CVE-") && !feeds.nvd.iter().any(|i| i["cve"]["id"] == *a))
        .unwrap()
}

#[test]
fn nvd_deltas_and_osv_and_kev_changes_beside_nvd_are_patched() {
    let feeds = Arc::new(Mutex::new(Feeds::from_shared(100)));
    let server = Server::start();
    Feeds::serve(&feeds, &server);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let mut config = config(
        &server,
        vec![
            SourceSpec::Nvd,
            SourceSpec::Osv("Go".into()),
            SourceSpec::Kev,
            SourceSpec::Epss,
        ],
    );
    let first = update(&snapshot, &config, &mut Quiet).unwrap();
    assert!(first.written && !first.patched);
    let ids: Vec<String> = feeds.lock().unwrap().nvd[..6]
        .iter()
        .map(|item| item["cve"]["id"].as_str().unwrap().to_owned())
        .collect();
    let listed = |id: &str| {
        let kb = KnowledgeBase::load_snapshot(&snapshot).unwrap();
        kb.threat().kev(id).map(|e| e.date_added.clone())
    };
    assert_eq!(listed(&ids[3]), None, "{} is in no KEV list", ids[3]);

    let day1 = next_day(&feeds, &snapshot, &mut config, 1, |f, stamp| {
        let id = f.osv.keys().next().cloned().unwrap();
        let mut record = touch(f, &id, stamp);
        record["summary"] = "changed".into();
        f.osv.insert(id, record);
    });
    assert!(day1.patched, "an OSV change beside NVD is patched");

    // A record changed, one added, one whose CPE configurations change.
    let day2 = next_day(&feeds, &snapshot, &mut config, 2, |f, stamp| {
        let at = nvd_touch(f, &ids[0], stamp);
        f.nvd[at]["cve"]["descriptions"][0]["value"] = "changed on the server".into();
        let mut added = f.nvd[1].clone();
        added["cve"]["id"] = "CVE-2099-0002".into();
        f.nvd.push(added);
        nvd_touch(f, "CVE-2099-0002", stamp);
        let at = nvd_touch(f, &ids[2], stamp);
        f.nvd[at]["cve"]["configurations"] = serde_json::json!([{"nodes": [{
            "operator": "OR", "negate": false,
            "cpeMatch": [{"vulnerable": true, "criteria": "cpe:2.3:a:example:changed:1.0:*:*:*:*:*:*:*",
                "matchCriteriaId": "00000000-0000-0000-0000-000000000001"}]}]}]);
    });
    assert_eq!(day2.sources[0].added + day2.sources[0].changed, 3);
    assert!(
        day2.patched,
        "NVD records changed, added, reconfigured: patched"
    );
    let kb = KnowledgeBase::load_snapshot(&snapshot).unwrap();
    assert!(kb.get("CVE-2099-0002").is_some());
    let statement = format!("{:?}", kb.applicability(&ids[2]).unwrap());
    assert!(statement.contains("changed"), "{statement}");

    // A KEV listing appears on a record, then vanishes.
    let day3 = next_day(&feeds, &snapshot, &mut config, 3, |f, stamp| {
        let at = nvd_touch(f, &ids[3], stamp);
        f.nvd[at]["cve"]["cisaExploitAdd"] = "2026-12-04".into();
        f.nvd[at]["cve"]["cisaActionDue"] = "2026-12-25".into();
    });
    assert!(day3.patched, "a KEV listing that appears: patched");
    assert_eq!(listed(&ids[3]).as_deref(), Some("2026-12-04"));
    let day4 = next_day(&feeds, &snapshot, &mut config, 4, |f, stamp| {
        let at = nvd_touch(f, &ids[3], stamp);
        let cve = f.nvd[at]["cve"].as_object_mut().unwrap();
        cve.remove("cisaExploitAdd");
        cve.remove("cisaActionDue");
    });
    assert!(day4.patched, "a KEV listing that vanishes: patched");
    assert_eq!(listed(&ids[3]), None);

    // A record rejected.
    let day5 = next_day(&feeds, &snapshot, &mut config, 5, |f, stamp| {
        let at = nvd_touch(f, &ids[4], stamp);
        f.nvd[at]["cve"]["vulnStatus"] = "Rejected".into();
    });
    assert_eq!(day5.sources[0].withdrawn, 1);
    assert!(day5.patched, "a rejected record: patched");

    // A new KEV catalog and new EPSS scores beside NVD.
    let day6 = next_day(&feeds, &snapshot, &mut config, 6, |f, _| {
        let sample = support::shared_data().join("epss/format-sample-5-rows.csv");
        let scores = std::fs::read_to_string(sample).unwrap();
        let scores = scores
            .replace("2025-02-20", "2026-12-06")
            .replacen(",0.", ",0.9", 1);
        f.epss.body = support::gzip(scores.as_bytes());
        f.epss.etag = "\"epss-6\"".into();
        let mut kev: serde_json::Value = serde_json::from_slice(&f.kev.body).unwrap();
        let list = kev["vulnerabilities"].as_array_mut().unwrap();
        list.pop();
        list[0]["dateAdded"] = "2026-12-06".into();
        f.kev.body = serde_json::to_vec(&kev).unwrap();
        f.kev.etag = "\"kev-6\"".into();
    });
    assert!(day6.patched, "KEV and EPSS changes beside NVD: patched");
    let kb = KnowledgeBase::load_snapshot(&snapshot).unwrap();
    assert!(kb
        .threat()
        .epss_score_date()
        .unwrap()
        .starts_with("2026-12-06"));

    // An NVD record for a CVE a Go record names: one advisory of both.
    let alias = go_alias(&feeds.lock().unwrap());
    let before = KnowledgeBase::load_snapshot(&snapshot).unwrap().len();
    let day7 = next_day(&feeds, &snapshot, &mut config, 7, |f, stamp| {
        let mut added = f.nvd[5].clone();
        added["cve"]["id"] = alias.clone().into();
        added["cve"]["cisaExploitAdd"] = "2026-12-07".into();
        f.nvd.push(added);
        nvd_touch(f, &alias, stamp);
    });
    assert!(
        day7.patched,
        "an NVD record joining an OSV advisory: patched"
    );
    assert_eq!(
        day7.advisories, before,
        "merged into the Go record's advisory"
    );

    // A mirror whose shares lack the KEV columns and NVD's rows (written before them):
    // migrated, rebuilt once, then patched.
    let mirror = rusqlite::Connection::open(dir.path().join("kb.bin.mirror")).unwrap();
    mirror
        .execute_batch(
            "DELETE FROM shares WHERE source = 'nvd'; \
             ALTER TABLE shares DROP COLUMN kev_added; ALTER TABLE shares DROP COLUMN kev_due;",
        )
        .unwrap();
    drop(mirror);
    for day in [8, 9] {
        let summary = next_day(&feeds, &snapshot, &mut config, day, |f, stamp| {
            let at = nvd_touch(f, &ids[0], stamp);
            f.nvd[at]["cve"]["descriptions"][0]["value"] = format!("changed on day {day}").into();
        });
        assert_eq!(summary.patched, day == 9, "day {day}");
    }
}

/// The time of one-day deltas patched in place against a rebuild of the same mirror, for
/// benches/README.md: the NVD JSON 1.1 feeds of the shared data as API 2.0 records (with
/// the KEV catalog's listings), every Go OSV record, KEV and EPSS served on loopback;
/// `cargo test --release -p exposure-update --test patch -- --ignored --nocapture`.
#[test]
#[ignore = "figures for benches/README.md"]
fn figures_of_a_delta_patched_in_place() {
    let mut served = Feeds::from_shared(usize::MAX);
    served.nvd = support::nvd_from_json11();
    let kev: serde_json::Value = serde_json::from_slice(&served.kev.body).unwrap();
    let listed: std::collections::HashMap<&str, &serde_json::Value> = kev["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["cveID"].as_str().unwrap(), e))
        .collect();
    for item in &mut served.nvd {
        if let Some(entry) = listed.get(item["cve"]["id"].as_str().unwrap()) {
            item["cve"]["cisaExploitAdd"] = entry["dateAdded"].clone();
            item["cve"]["cisaActionDue"] = entry["dueDate"].clone();
        }
    }
    let nvd_records = served.nvd.len();
    let feeds = Arc::new(Mutex::new(served));
    let server = Server::start();
    Feeds::serve(&feeds, &server);
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("kb.bin");
    let mut config = config(
        &server,
        vec![
            SourceSpec::Nvd,
            SourceSpec::Osv("Go".into()),
            SourceSpec::Kev,
            SourceSpec::Epss,
        ],
    );
    config.nvd_page_size = 2000;
    let first = update(&snapshot, &config, &mut Quiet).unwrap();
    let bytes = std::fs::metadata(&snapshot).unwrap().len();
    println!(
        "first update {:.2} s: {nvd_records} NVD records, {} advisories, snapshot {:.1} MiB",
        first.seconds,
        first.advisories,
        f64::from(u32::try_from(bytes / 1024).unwrap()) / 1024.0
    );
    let nvd_ids: Vec<String> = {
        let f = feeds.lock().unwrap();
        f.nvd
            .iter()
            .step_by(997)
            .take(6)
            .map(|i| i["cve"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Day 1: five NVD records and three Go records changed. Day 2: an NVD record given a
    // KEV listing and a new KEV catalog (the threat intelligence summed again). Day 3: as
    // day 1, with the mirror's fingerprint of its snapshot removed: the update rebuilds.
    for day in [1, 2, 3] {
        if day == 3 {
            let mirror = rusqlite::Connection::open(dir.path().join("kb.bin.mirror")).unwrap();
            mirror
                .execute("DELETE FROM state WHERE key = 'built:snapshot'", [])
                .unwrap();
        }
        let started = std::time::Instant::now();
        let summary = next_day(&feeds, &snapshot, &mut config, day, |f, stamp| {
            if day == 2 {
                let at = nvd_touch(f, &nvd_ids[5], stamp);
                f.nvd[at]["cve"]["cisaExploitAdd"] = "2026-12-02".into();
                f.nvd[at]["cve"]["cisaActionDue"] = "2026-12-23".into();
                let mut kev: serde_json::Value = serde_json::from_slice(&f.kev.body).unwrap();
                kev["vulnerabilities"].as_array_mut().unwrap().pop();
                f.kev.body = serde_json::to_vec(&kev).unwrap();
                f.kev.etag = "\"kev-2\"".into();
            } else {
                for id in &nvd_ids[..5] {
                    let at = nvd_touch(f, id, stamp);
                    f.nvd[at]["cve"]["descriptions"][0]["value"] = "changed on the server".into();
                }
                let ids: Vec<String> = f.osv.keys().take(3).cloned().collect();
                for id in &ids {
                    let mut record = touch(f, id, stamp);
                    record["summary"] = "changed on the server".into();
                    f.osv.insert(id.clone(), record);
                }
            }
        });
        let with_check = started.elapsed().as_secs_f64();
        assert_eq!(summary.patched, day != 3, "day {day}");
        let started = std::time::Instant::now();
        let kb = rebuild(&snapshot, &config).unwrap();
        kb.save_snapshot(&dir.path().join("rebuilt.bin")).unwrap();
        let rebuilt = started.elapsed().as_secs_f64();
        let fetch: f64 = summary.sources.iter().map(|s| s.seconds).sum();
        println!(
            "day {day}: delta update (patched in place: {}) {:.2} s (sources {fetch:.2} s); \
             rebuild and save of the same mirror {rebuilt:.2} s; the test's step with its rebuild check {with_check:.2} s",
            summary.patched, summary.seconds
        );
    }
}
