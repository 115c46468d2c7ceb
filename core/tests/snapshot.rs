//! Compiled snapshots: a knowledge base of real feeds survives the round trip exactly (same
//! statistics, same assessment), and a damaged snapshot is a precise error.

mod common;

use exposure::cpe::Attribute;
use exposure::inventory::{self, dpkg, Distro};
use exposure::kb::{KbError, KnowledgeBase, SnapshotError};
use exposure::Engine;

#[test]
fn real_feeds_round_trip_through_a_snapshot() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    for feed in [
        "nvd/json-1.1/nvdcve-1.1-recent.json.gz",
        "nvd/api-2.0-samples",
        "osv-go/golang-vulndb-osv.tar.gz",
        "debian-osv/debian-osv-cve-dpkg-status-sources.tar.gz",
        "cisa-kev/known_exploited_vulnerabilities.json",
        "epss/format-sample-5-rows.csv",
        "advisories-redhat-ubuntu/claircore-rhel-vex-cve-2023-38545.json.gz",
    ] {
        kb.load_path(&data.join(feed)).expect(feed);
    }
    let bytes = kb.to_snapshot();
    let again = KnowledgeBase::from_snapshot(&bytes).expect("reads back");
    assert_eq!(again.stats(), kb.stats());
    assert_eq!(again.threat().epss_model_version(), Some("v2023.03.01"));
    // The same assessment, finding for finding: a Debian 12 machine and vendor software.
    let distro = Distro::from_os_release("ID=debian\nVERSION_ID=12\n");
    let status = std::fs::read_to_string(data.join("inventory-dpkg/dpkg-status-this-machine"))
        .expect("status");
    let mut fleet = dpkg::load_device(&status, distro.as_ref(), "debian").fleet;
    fleet.extend(
        inventory::load_text(
            r#"{"devices": [{"id": "win", "software": [
                {"cpe": "cpe:2.3:a:google:chrome:116.0.5845.96:*:*:*:*:*:*:*"},
                {"purl": "pkg:golang/golang.org/x/net@v0.0.0-20210405180319-a5a99cb37ef4"}]}]}"#,
            "fleet",
            &exposure::inventory::LoadOptions::default(),
        )
        .expect("fleet")
        .fleet,
    );
    let before = serde_json::to_value(Engine::new(kb).assess(&fleet)).expect("JSON");
    let after = serde_json::to_value(Engine::new(again).assess(&fleet)).expect("JSON");
    assert!(before["findings"].as_array().is_some_and(|f| f.len() > 250));
    assert_eq!(before, after);
}

#[test]
fn damaged_snapshots_are_precise_errors() {
    let bytes = exposure::demo::knowledge_base().to_snapshot();
    assert!(matches!(
        KnowledgeBase::from_snapshot(b"{\"id\": 1}"),
        Err(SnapshotError::NotASnapshot)
    ));
    let mut other_version = bytes.clone();
    other_version[12] = 99;
    assert!(matches!(
        KnowledgeBase::from_snapshot(&other_version),
        Err(SnapshotError::WrongVersion {
            found: 99,
            expected: exposure::kb::SNAPSHOT_FORMAT_VERSION
        })
    ));
    let cut = &bytes[..bytes.len() - 10];
    assert!(matches!(
        KnowledgeBase::from_snapshot(cut),
        Err(SnapshotError::Truncated { .. })
    ));
    assert!(matches!(
        KnowledgeBase::from_snapshot(&bytes[..20]),
        Err(SnapshotError::Truncated { .. })
    ));
    // A byte of the head (checked whole at open).
    let mut flipped = bytes.clone();
    flipped[40] ^= 0x40;
    let err = KnowledgeBase::from_snapshot(&flipped).expect_err("corrupted");
    assert!(matches!(err, SnapshotError::Corrupted { .. }));
    assert!(
        err.to_string().starts_with("snapshot corrupted: checksum"),
        "{err}"
    );
    // A byte of a record (checked when the record is read): refused whole, damage when
    // opened and read.
    let mut record = bytes.clone();
    let last = record.len() - 1;
    record[last] ^= 0x40;
    let err = KnowledgeBase::from_snapshot(&record).expect_err("corrupted record");
    assert!(err.to_string().contains("the file changed"), "{err}");
    let opened = KnowledgeBase::open_snapshot(std::sync::Arc::new(record)).expect("head intact");
    let _ = opened.stats();
    assert_eq!(opened.damage().len(), 1, "{:?}", opened.damage());

    // Through load_path, the error names the file.
    let path = std::env::temp_dir().join(format!("exposure-bad-{}.bin", std::process::id()));
    std::fs::write(&path, &flipped).expect("write");
    let err = KnowledgeBase::new()
        .load_path(&path)
        .expect_err("corrupted");
    assert!(matches!(err, KbError::Snapshot { .. }));
    assert!(err.to_string().contains("exposure-bad-"), "{err}");
    std::fs::remove_file(path).ok();
}

#[test]
fn a_snapshot_next_to_feeds_merges() {
    let demo = exposure::demo::knowledge_base();
    let path = std::env::temp_dir().join(format!("exposure-demo-{}.bin", std::process::id()));
    demo.save_snapshot(&path).expect("write");
    let mut kb = KnowledgeBase::new();
    kb.load_text(
        r#"{"id": "GHSA-extra", "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}"#,
        "extra.json",
    );
    let report = kb.load_path(&path).expect("snapshot");
    assert_eq!(report.records_loaded, 10);
    assert_eq!(kb.len(), 11);
    std::fs::remove_file(path).ok();
}

/// The names in a directory, sorted.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_save_replaces_the_snapshot_whole_or_not_at_all() {
    let dir = std::env::temp_dir().join(format!("exposure-save-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("dir");
    let keep = dir.join("keep.bin");
    let demo = exposure::demo::knowledge_base();
    demo.save_snapshot(&keep).expect("write");
    let before = std::fs::read(&keep).expect("read");
    assert_eq!(names(&dir), ["keep.bin"], "no temporary file is left");

    // A save that fails (here: its parent is a file) leaves the snapshot next to it as it was.
    let mut other = KnowledgeBase::new();
    other.load_text(r#"{"id": "GO-1"}"#, "go.json");
    let err = other
        .save_snapshot(&keep.join("nested.bin"))
        .expect_err("a file has no entries");
    assert!(matches!(err, SnapshotError::Io(_)), "{err:?}");
    assert_eq!(std::fs::read(&keep).expect("read"), before);
    assert_eq!(names(&dir), ["keep.bin"]);

    // A save that succeeds replaces it whole.
    other.save_snapshot(&keep).expect("write");
    assert_eq!(KnowledgeBase::load_snapshot(&keep).expect("read").len(), 1);
    assert_eq!(names(&dir), ["keep.bin"]);
    std::fs::remove_dir_all(dir).ok();
}

/// Everything in the shared data set, through a snapshot: the same advisories (ids, aliases,
/// affected entries, severities and every other field), in the same order, with the same
/// statements, and every id and alias leading to the same advisory — including the
/// advisories that carry another one's id as an alias (CVE-2017-5753 carries CVE-2017-5715,
/// CVE-2023-4863 carries CVE-2023-5129), which merging by alias on load used to fold into
/// them (46,196 advisories saved, 46,194 loaded).
#[test]
fn the_shared_data_set_round_trips_exactly() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    kb.load_path(&data).expect("the data set loads");
    let bytes = kb.to_snapshot();
    // Opened lazily, each advisory decoded as the checks below first read it; then decoded
    // whole.
    let lazy = KnowledgeBase::open_snapshot(std::sync::Arc::new(bytes.clone())).expect("opens");
    same_knowledge(&kb, &lazy);
    assert!(lazy.damage().is_empty());
    let again = KnowledgeBase::from_snapshot(&bytes).expect("reads back");
    same_knowledge(&kb, &again);
    // Written again, the lazy and the decoded knowledge bases give the bytes they were read
    // from (VEX statements written in vulnerability order, not their hash map's).
    assert!(
        lazy.to_snapshot() == bytes,
        "a lazy knowledge base writes the same bytes"
    );
    assert!(again.to_snapshot() == bytes, "so does a decoded one");
}

/// Every package, id, alias and product lookup, every advisory and statement, and the
/// statistics of `again` as in `kb`: lookups first, so that a lazy knowledge base is read
/// record by record as queries reach them.
fn same_knowledge(kb: &KnowledgeBase, again: &KnowledgeBase) {
    assert!(kb.len() > 46_000, "{}", kb.len());
    assert_eq!(again.len(), kb.len());
    let mut packages = std::collections::BTreeSet::new();
    for advisory in kb.advisories() {
        for entry in &advisory.affected {
            packages.insert((entry.ecosystem.to_string(), entry.name.clone()));
        }
    }
    assert!(packages.len() > 10_000, "{} packages", packages.len());
    for (ecosystem, name) in &packages {
        let ecosystem = exposure::ecosystem::Ecosystem::from_osv(ecosystem);
        let entries = |kb: &KnowledgeBase| -> Vec<(String, String)> {
            kb.affecting(&ecosystem, name)
                .map(|(a, e)| (a.id.clone(), e.name.clone()))
                .collect()
        };
        assert_eq!(entries(again), entries(kb), "{ecosystem} {name}");
    }
    let mut aliases = 0;
    for (before, after) in kb.advisories().zip(again.advisories()) {
        assert_eq!(
            (&after.id, &after.aliases, &after.affected, &after.severity),
            (
                &before.id,
                &before.aliases,
                &before.affected,
                &before.severity
            )
        );
        assert_eq!(after, before);
        let statement = |kb: &KnowledgeBase| {
            kb.applicability(&before.id)
                .map(exposure::cpe::Applicability::to_nvd_json)
        };
        assert_eq!(statement(again), statement(kb), "{}", before.id);
        for name in std::iter::once(&before.id).chain(&before.aliases) {
            let leads_to = |kb: &KnowledgeBase| kb.get(name).map(|a| a.id.clone());
            assert_eq!(leads_to(again), leads_to(kb), "{name}");
        }
        aliases += before.aliases.len();
    }
    assert!(aliases > 10_000, "{aliases} aliases checked");
    assert_eq!(again.stats(), kb.stats());
    // The advisories whose statements name a product, in the same order (the order vendor
    // software meets its candidates in).
    let mut products = std::collections::BTreeSet::new();
    for advisory in kb.advisories() {
        for criterion in kb
            .applicability(&advisory.id)
            .into_iter()
            .flat_map(exposure::cpe::Applicability::criteria)
        {
            let part = |a| {
                criterion
                    .cpe
                    .get(a)
                    .literal()
                    .map(|v| v.to_ascii_lowercase())
            };
            if let (Some(vendor), Some(product)) =
                (part(Attribute::Vendor), part(Attribute::Product))
            {
                products.insert((vendor, product));
            }
        }
    }
    assert_eq!(products.len(), kb.stats().cpe_products);
    for (vendor, product) in &products {
        let naming = |kb: &KnowledgeBase| -> Vec<String> {
            kb.affecting_product(vendor, product)
                .map(|(a, _)| a.id.clone())
                .collect()
        };
        assert_eq!(naming(again), naming(kb), "{vendor}:{product}");
    }
    // Those that carry another's id lead, by that id, to the other.
    for (id, alias) in [
        ("CVE-2017-5753", "CVE-2017-5715"),
        ("CVE-2023-4863", "CVE-2023-5129"),
    ] {
        assert!(again
            .get(id)
            .is_some_and(|a| a.aliases.iter().any(|a| a == alias)));
        assert_eq!(again.get(alias).map(|a| a.id.as_str()), Some(alias));
    }
}

#[test]
fn the_metadata_survives_the_round_trip_and_an_older_format_says_how_to_rebuild() {
    let mut kb = exposure::demo::knowledge_base();
    kb.set_built_at(1_700_000_000);
    let again = KnowledgeBase::from_snapshot(&kb.to_snapshot()).expect("reads back");
    assert_eq!(again.metadata(), kb.metadata());
    assert_eq!(
        again.metadata().built_at.as_deref(),
        Some("2023-11-14T22:13:20Z")
    );
    assert_eq!(again.metadata().sources.len(), 2);

    // A snapshot of an older format (7: before vendors' statements were marked; 8: before
    // advisories were encoded on their own; 9: before the indexes were stored; 10: before
    // they were searched in place and each record had its checksum) is rejected
    // with the way out.
    for format in [7u32, 8, 9, 10] {
        let mut old = kb.to_snapshot();
        old[12..16].copy_from_slice(&format.to_le_bytes());
        let err = KnowledgeBase::from_snapshot(&old).expect_err("older format");
        assert!(matches!(
            err,
            SnapshotError::WrongVersion { found, expected: 11 } if found == format
        ));
        assert!(err.to_string().contains("exposure kb build"), "{err}");
    }

    // Loaded next to other feeds, the snapshot's sources join theirs.
    let path = std::env::temp_dir().join(format!("exposure-meta-{}.bin", std::process::id()));
    kb.save_snapshot(&path).expect("write");
    let mut merged = KnowledgeBase::new();
    merged.load_text(
        r#"{"id": "GHSA-extra", "modified": "2025-01-02T00:00:00Z"}"#,
        "extra.json",
    );
    merged.load_path(&path).expect("snapshot");
    let sources: Vec<&str> = merged
        .metadata()
        .sources
        .iter()
        .map(|s| s.source.as_str())
        .collect();
    assert_eq!(
        sources,
        ["extra.json", "demo:advisories.osv.json", "demo:kev.json"]
    );
    std::fs::remove_file(path).ok();
}

/// Opened in place (mapped), an engine keeps reading the file it opened while a new snapshot
/// is written over its path (as `kb update` and `kb build` write: a temporary file renamed),
/// decoding records it had not read yet from the old file; engines opened afterwards read
/// the new one.
#[test]
fn an_opened_engine_reads_its_file_while_a_new_one_replaces_it() {
    let dir = std::env::temp_dir().join(format!("exposure-open-swap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("kb.bin");
    exposure::demo::knowledge_base()
        .save_snapshot(&path)
        .expect("save");
    let engine = exposure::Engine::open(&path).expect("opens");
    // Nothing decoded yet; the path now names an empty knowledge base.
    KnowledgeBase::new().save_snapshot(&path).expect("replace");
    let fleet = exposure::demo::fleet();
    let findings = |a: &exposure::Assessment| {
        a.findings
            .iter()
            .map(|f| {
                (
                    f.finding.device_id.to_string(),
                    f.finding.advisory_id.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let read = engine.assess(&fleet);
    engine.intact().expect("the old file, whole");
    assert!(!read.findings.is_empty());
    assert_eq!(
        findings(&read),
        findings(&exposure::Engine::demo().assess(&fleet))
    );
    assert_eq!(exposure::Engine::open(&path).expect("opens").kb().len(), 0);
    let missing = exposure::Engine::open(&dir.join("missing.bin")).expect_err("missing");
    assert!(missing.to_string().contains("cannot read"), "{missing}");
    std::fs::remove_dir_all(dir).ok();
}

/// EPSS scores are read from the snapshot in place, the same as loaded; loading more scores
/// into the opened knowledge base keeps them and adds the new ones.
#[test]
fn epss_scores_read_in_place_equal_the_loaded_ones_and_more_can_be_added() {
    let csv =
        "#model_version:v2025.03.14,score_date:2025-03-17T00:00:00+0000\ncve,epss,percentile\n\
               CVE-2021-44228,0.94358,0.99967\nCVE-2024-0002,0.00043,0.1\n";
    let mut kb = KnowledgeBase::new();
    assert_eq!(kb.load_text(csv, "epss.csv").records_loaded, 2);
    let mut opened =
        KnowledgeBase::open_snapshot(std::sync::Arc::new(kb.to_snapshot())).expect("opens");
    for id in ["CVE-2021-44228", "CVE-2024-0002", "CVE-2099-0001"] {
        assert_eq!(opened.threat().epss(id), kb.threat().epss(id), "{id}");
    }
    assert_eq!(opened.threat().epss_len(), 2);
    assert_eq!(opened.threat().epss_model_version(), Some("v2025.03.14"));
    assert_eq!(
        opened.to_snapshot(),
        kb.to_snapshot(),
        "written back the same"
    );
    let more = "cve,epss,percentile\nCVE-2024-0003,0.5,0.6\nCVE-2024-0002,0.25,0.5\n";
    assert_eq!(opened.load_text(more, "more.csv").records_loaded, 2);
    assert_eq!(kb.load_text(more, "more.csv").records_loaded, 2);
    assert_eq!(opened.threat().epss_len(), 3);
    for id in ["CVE-2021-44228", "CVE-2024-0002", "CVE-2024-0003"] {
        assert_eq!(opened.threat().epss(id), kb.threat().epss(id), "{id}");
    }
    assert_eq!(
        opened.threat().epss("CVE-2024-0002").map(|s| s.probability),
        Some(0.25)
    );
}

/// A snapshot (or any input) handed over through a FIFO, as a process substitution or
/// `/dev/stdin` hands it, is read as a stream: never sniffed by a read that would consume its
/// first bytes, never mapped.
#[cfg(unix)]
#[test]
fn a_snapshot_through_a_fifo_is_read_as_a_stream() {
    let dir = std::env::temp_dir().join(format!("exposure-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bytes = exposure::demo::knowledge_base().to_snapshot();
    for (name, content) in [
        ("kb.bin", bytes.clone()),
        (
            "osv.json",
            br#"{"id": "GO-2099-0001", "affected": [{"package": {"ecosystem": "Go", "name": "example.com/x"},
              "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}"#
                .to_vec(),
        ),
    ] {
        let fifo = dir.join(name);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, content).expect("write the fifo"))
        };
        let mut kb = KnowledgeBase::new();
        let report = kb.load_path(&fifo).expect("loads from the fifo");
        writer.join().expect("writer");
        assert_eq!(report.records_loaded, kb.len(), "{name}: {report}");
        assert!(!kb.is_empty(), "{name}");
    }
    std::fs::remove_dir_all(dir).ok();
}
