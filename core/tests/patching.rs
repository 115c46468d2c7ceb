//! Patching a knowledge base in place ([`KnowledgeBase::replace_clusters`]): over generated
//! record sets whose ids and aliases are drawn from a small pool (so that clusters form,
//! bridge and split) in three sources, and generated deltas (records changed, added,
//! withdrawn), loading only the changed records' clusters again and placing every advisory
//! by the load-order position of the record that created it gives the bytes of a full build.
//! The first source generated is NVD's API 2.0 records (CVE ids only, with CPE configurations and
//! sometimes a KEV listing, whose applicability statements travel with their advisories and
//! whose listings the caller notes again: [`ThreatIntel::note_nvd_kev`]); the others OSV.

use exposure::kb::{Format, KnowledgeBase, PatchError, Place, ThreatIntel};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const POOL: [&str; 10] = [
    "CVE-2024-1",
    "CVE-2024-2",
    "CVE-2024-3",
    "GHSA-a",
    "GHSA-b",
    "GO-1",
    "GO-2",
    "PYSEC-1",
    "PYSEC-2",
    "OSV-1",
];
const SOURCES: usize = 3;

/// A record's place in the load order: its source, then its id.
type Key = (usize, String);

#[derive(Debug, Clone)]
struct Record {
    id: String,
    aliases: Vec<String>,
    json: String,
    /// An NVD record's KEV listing (date added, due date).
    kev: Option<(String, String)>,
}

impl Record {
    fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

fn record() -> impl Strategy<Value = (usize, Record)> {
    (
        0..SOURCES,
        0..POOL.len(),
        proptest::collection::vec(0..POOL.len(), 0..3),
        (0..3usize, 0..4usize, 0..3usize, any::<bool>()),
    )
        .prop_map(|(source, id, aliases, (package, fixed, summary, withdrawn))| {
            if source == 0 {
                return (0, nvd(id % 3, package, fixed, summary, withdrawn));
            }
            let id = POOL[id].to_owned();
            let mut seen = BTreeSet::from([id.clone()]);
            let aliases: Vec<String> = aliases
                .into_iter()
                .map(|a| POOL[a].to_owned())
                .filter(|a| seen.insert(a.clone()))
                .collect();
            let withdrawn = if withdrawn {
                r#""withdrawn": "2024-02-01T00:00:00Z", "#
            } else {
                ""
            };
            let json = format!(
                r#"{{"id": "{id}", "aliases": {aliases:?}, "summary": "s{summary}", {withdrawn}"modified": "2024-01-0{day}T00:00:00Z",
                   "affected": [{{"package": {{"ecosystem": "PyPI", "name": "pkg{package}"}},
                     "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "1.{fixed}"}}]}}]}}]}}"#,
                day = fixed + 1
            );
            (
                source,
                Record {
                    id,
                    aliases,
                    json,
                    kev: None,
                },
            )
        })
}

/// An NVD API 2.0 record of the pool's CVE `cve`: its description, status, CPE
/// configuration and KEV listing drawn from the other numbers.
fn nvd(cve: usize, package: usize, fixed: usize, summary: usize, rejected: bool) -> Record {
    let id = POOL[cve].to_owned();
    let status = if rejected { "Rejected" } else { "Analyzed" };
    let kev = (summary == 0).then(|| (format!("2024-02-0{}", fixed + 1), "2024-03-01".to_owned()));
    let listing = kev.as_ref().map_or(String::new(), |(added, due)| {
        format!(r#""cisaExploitAdd": "{added}", "cisaActionDue": "{due}", "#)
    });
    let json = format!(
        r#"{{"cve": {{"id": "{id}", {listing}"vulnStatus": "{status}", "published": "2024-01-01T00:00:00.000",
             "lastModified": "2024-01-0{day}T00:00:00.000", "descriptions": [{{"lang": "en", "value": "s{summary}"}}],
             "configurations": [{{"nodes": [{{"operator": "OR", "negate": false, "cpeMatch": [{{"vulnerable": true,
               "criteria": "cpe:2.3:a:vendor:pkg{package}:*:*:*:*:*:*:*:*", "versionEndExcluding": "1.{fixed}",
               "matchCriteriaId": "00000000-0000-0000-0000-00000000000{package}"}}]}}]}}]}}}}"#,
        day = fixed + 1
    );
    Record {
        id,
        aliases: Vec::new(),
        json,
        kev,
    }
}

fn records(max: usize) -> impl Strategy<Value = BTreeMap<Key, Record>> {
    proptest::collection::vec(record(), 0..max).prop_map(|rs| {
        rs.into_iter()
            .map(|(source, r)| ((source, r.id.clone()), r))
            .collect()
    })
}

/// Loads records in the full build's order into `kb`, returning the key of the record that
/// created each advisory, in advisory order.
fn load<'a>(
    kb: &mut KnowledgeBase,
    records: impl Iterator<Item = (&'a Key, &'a Record)>,
) -> Vec<Key> {
    let mut creators = Vec::new();
    for (key, record) in records {
        let before = kb.len();
        let origin = format!("src{}", key.0);
        if record.json.starts_with(r#"{"cve""#) {
            let document = format!(
                r#"{{"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{}]}}"#,
                record.json
            );
            let report = kb.load_text_as(Format::Nvd, &document, &origin);
            assert_eq!(report.records_loaded, 1, "{}", record.json);
        } else {
            kb.load_text_as(Format::OsvJson, &record.json, &origin);
        }
        assert!(kb.len() <= before + 1, "one record, one advisory at most");
        if kb.len() > before {
            creators.push(key.clone());
        }
    }
    creators
}

fn identifiers(kb: &KnowledgeBase, at: usize) -> Vec<String> {
    let a = kb.advisory_at(at).expect("a placed advisory");
    std::iter::once(&a.id).chain(&a.aliases).cloned().collect()
}

/// The records to load again and the advisories to remove: the closure, over shared ids and
/// aliases, of the changed records' new versions and the advisories holding their old ones.
fn clusters(
    kb: &KnowledgeBase,
    new: &BTreeMap<Key, Record>,
    changed: &BTreeSet<Key>,
) -> (BTreeSet<Key>, BTreeSet<usize>) {
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for key in changed {
        ids.insert(key.1.clone());
        ids.extend(new[key].ids().map(str::to_owned));
    }
    let (mut reload, mut removed) = (BTreeSet::new(), BTreeSet::new());
    loop {
        let before = (ids.len(), reload.len(), removed.len());
        for (key, record) in new {
            if record.ids().any(|id| ids.contains(id)) && reload.insert(key.clone()) {
                ids.extend(record.ids().map(str::to_owned));
            }
        }
        for at in 0..kb.len() {
            let carried = identifiers(kb, at);
            if carried.iter().any(|id| ids.contains(id)) && removed.insert(at) {
                ids.extend(carried);
            }
        }
        if (ids.len(), reload.len(), removed.len()) == before {
            return (reload, removed);
        }
    }
}

/// `old` built, `delta` applied in place; the patched knowledge base (with the full build's
/// metadata, which the caller computes) and the full build of the new records.
fn patched_and_rebuilt(
    old: &BTreeMap<Key, Record>,
    delta: &BTreeMap<Key, Record>,
) -> (KnowledgeBase, KnowledgeBase) {
    let mut kb = KnowledgeBase::new();
    let creators = load(&mut kb, old.iter());
    let mut new = old.clone();
    let changed: BTreeSet<Key> = delta
        .iter()
        .filter(|(key, r)| old.get(*key).is_none_or(|o| o.json != r.json))
        .map(|(key, _)| key.clone())
        .collect();
    new.extend(delta.iter().map(|(k, r)| (k.clone(), r.clone())));

    let (reload, removed) = clusters(&kb, &new, &changed);
    let mut replacement = KnowledgeBase::new();
    let added = load(
        &mut replacement,
        new.iter().filter(|(k, _)| reload.contains(*k)),
    );
    let mut order: Vec<(Key, Place)> = creators
        .into_iter()
        .enumerate()
        .filter(|(at, _)| !removed.contains(at))
        .map(|(at, key)| (key, Place::Kept(at)))
        .chain(
            added
                .into_iter()
                .enumerate()
                .map(|(at, key)| (key, Place::Added(at))),
        )
        .collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let places: Vec<Place> = order.into_iter().map(|(_, place)| place).collect();
    kb.replace_clusters(replacement, &places)
        .unwrap_or_else(|e| panic!("{e}"));

    // The threat intelligence: every NVD record's listing noted again, in load order.
    let mut threat = ThreatIntel::new();
    for (key, record) in &new {
        if let Some((added, due)) = &record.kev {
            threat.note_nvd_kev(&key.1, added, due);
        }
    }
    *kb.threat_mut() = threat;

    let mut rebuilt = KnowledgeBase::new();
    load(&mut rebuilt, new.iter());
    kb.set_metadata(rebuilt.metadata().clone());
    (kb, rebuilt)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn patching_the_changed_clusters_gives_the_full_build(
        old in records(12),
        delta in records(5),
    ) {
        let (patched, rebuilt) = patched_and_rebuilt(&old, &delta);
        prop_assert_eq!(patched.to_snapshot(), rebuilt.to_snapshot());
        for id in POOL {
            prop_assert_eq!(
                patched.get(id).map(|a| &a.id),
                rebuilt.get(id).map(|a| &a.id),
                "{} leads elsewhere", id
            );
        }
    }
}

fn osv(id: &str, aliases: &[&str]) -> Record {
    Record {
        id: id.to_owned(),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
        json: format!(
            r#"{{"id": "{id}", "aliases": {aliases:?}, "affected": [{{"package": {{"ecosystem": "PyPI", "name": "p"}},
                "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}]}}]}}]}}"#
        ),
        kev: None,
    }
}

fn set(records: &[(usize, Record)]) -> BTreeMap<Key, Record> {
    records
        .iter()
        .map(|(s, r)| ((*s, r.id.clone()), r.clone()))
        .collect()
}

#[test]
fn an_alias_that_bridges_two_advisories_and_one_that_splits_them_again() {
    let old = set(&[
        (0, osv("GO-1", &["CVE-2024-1"])),
        (0, osv("GO-9", &[])),
        (1, osv("PYSEC-1", &["GHSA-a"])),
    ]);
    // PYSEC-1 gains CVE-2024-1: GO-1's advisory and its own become one.
    let bridge = set(&[(1, osv("PYSEC-1", &["GHSA-a", "CVE-2024-1"]))]);
    let (patched, rebuilt) = patched_and_rebuilt(&old, &bridge);
    assert_eq!(patched.len(), 2);
    assert_eq!(patched.to_snapshot(), rebuilt.to_snapshot());
    // And loses it again: two advisories, in the full build's order.
    let mut bridged = old.clone();
    bridged.extend(bridge);
    let (patched, rebuilt) =
        patched_and_rebuilt(&bridged, &set(&[(1, osv("PYSEC-1", &["GHSA-a"]))]));
    assert_eq!(patched.len(), 3);
    let ids: Vec<&str> = patched.advisories().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["GO-1", "GO-9", "PYSEC-1"]);
    assert_eq!(patched.to_snapshot(), rebuilt.to_snapshot());
}

#[test]
fn a_patch_whose_clusters_are_not_whole_is_refused_and_changes_nothing() {
    let mut kb = KnowledgeBase::new();
    kb.load_text(&osv("GO-1", &["CVE-2024-1"]).json, "go");
    kb.load_text(&osv("GO-2", &[]).json, "go");
    let before = kb.to_snapshot();
    let mut replacement = KnowledgeBase::new();
    replacement.load_text(&osv("PYSEC-1", &["CVE-2024-1"]).json, "pypi");
    // GO-1's advisory kept, but the replacement carries its CVE too.
    let order = [Place::Kept(0), Place::Kept(1), Place::Added(0)];
    assert_eq!(
        kb.replace_clusters(replacement.clone(), &order),
        Err(PatchError::OpenCluster("CVE-2024-1".into()))
    );
    assert_eq!(
        kb.replace_clusters(replacement.clone(), &[Place::Kept(0), Place::Kept(0)]),
        Err(PatchError::BadPlace(Place::Kept(0)))
    );
    assert_eq!(
        kb.replace_clusters(replacement, &[Place::Kept(1)]),
        Err(PatchError::Unplaced(0))
    );
    assert_eq!(kb.to_snapshot(), before);
}
