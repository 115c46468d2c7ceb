//! Patching the snapshot in place: when the snapshot on disk is the one built from the
//! mirror's previous state, load it, load again only the clusters of the records that
//! changed, and swap them in ([`exposure::kb::KnowledgeBase::replace_clusters`]), with the
//! bytes [`crate::build::knowledge_base`] would give.
//!
//! A cluster is the records and advisories linked by a shared id or alias; within one, the
//! merge depends only on its records and their order, so loading every record of the
//! affected clusters in the build's order (source rank, then id) gives the build's advisories
//! for them. They are placed by the load-order key of the record that created each
//! (`built:order` in the mirror's state, written by every build and patch). The clusters are
//! found by closure: the changed records' ids and aliases (the mirror's `identifiers`), the
//! records carrying any of those, the snapshot's advisories carrying any of those, their ids
//! and aliases, and so on. The metadata of a changed OSV or NVD source is summed from its
//! records' shares (`shares`; NVD's as [`sources::nvd::source_info`] sums them for a build
//! too), the unchanged sources' kept. The threat intelligence is summed again, as a build
//! does (every NVD record's KEV listing, kept in its share, then the KEV catalog over them,
//! then EPSS), when the KEV or EPSS document changed or a record loaded again lists another
//! KEV entry than it did; else it is kept.
//!
//! Falls back to the rebuild (returns `None`) whenever the patch cannot be shown to equal
//! it: an Alpine source (its document's advisories are no records), a snapshot or mirror
//! state that does not match what was last built, a record of a changed source without a
//! share (a mirror written before shares or NVD's KEV listings were kept), an NVD record
//! whose chunk was beyond the size limits when built, a record of a cluster that does not
//! load cleanly, or a patch core refuses.

use crate::build::{self, Key, Track};
use crate::config::SourceSpec;
use crate::error::UpdateError;
use crate::mirror::{Mirror, Share};
use crate::sources;
use exposure::kb::{KnowledgeBase, Place, SourceInfo};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// The mirror state keys a build or patch writes beside `built`.
pub(crate) const ORDER: &str = "built:order";
/// The feed timestamp NVD's documents had in the snapshot last written (the NVD cursor then).
pub(crate) const NVD_TIMESTAMP: &str = "built:nvd-timestamp";
/// The fingerprint ([`fingerprint`]) of the snapshot last written.
pub(crate) const BYTES: &str = "built:snapshot";

/// A snapshot's length and hash, to tell the snapshot last written from any other (a hash
/// of another Rust release differs: the snapshot is then rebuilt, never wrongly patched).
pub(crate) fn fingerprint(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{} {:016x}", bytes.len(), hasher.finish())
}

/// The load-order keys of the advisories, as the mirror keeps them (one line each:
/// rank, sequence, id).
pub(crate) fn write_order(creators: &[Key]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(creators.len() * 24);
    for (rank, id, seq) in creators {
        let _ = writeln!(out, "{rank}\t{seq}\t{id}");
    }
    out
}

fn read_order(text: &str) -> Option<Vec<Key>> {
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            let rank = parts.next()?.parse().ok()?;
            let seq = parts.next()?.parse().ok()?;
            Some((rank, parts.next()?.to_owned(), seq))
        })
        .collect()
}

/// The snapshot patched to what the mirror holds, with its new load-order keys, and the
/// shares of the records loaded again; `None` when it must be rebuilt instead.
pub(crate) fn in_place(
    mirror: &Mirror,
    snapshot: &Path,
    specs: &[SourceSpec],
    limits: exposure::files::Limits,
    built_at: i64,
    built: Option<&str>,
) -> Result<Option<(KnowledgeBase, Track)>, UpdateError> {
    let ordered = build::ordered(specs);
    let names: Vec<String> = ordered.iter().map(ToString::to_string).collect();
    if ordered.iter().any(|s| matches!(s, SourceSpec::Alpine(_))) {
        return Ok(None);
    }
    let Some((_, built_names)) = built.and_then(|b| b.split_once(' ')) else {
        return Ok(None);
    };
    if built_names != names.join(" ") {
        return Ok(None);
    }
    let Some(creators) = mirror.state(ORDER)?.as_deref().and_then(read_order) else {
        return Ok(None);
    };
    let Ok(bytes) = std::fs::read(snapshot) else {
        return Ok(None);
    };
    if Some(fingerprint(&bytes)) != mirror.state(BYTES)? {
        return Ok(None);
    }
    // Read whole and decoded at once (the patch changes it): a damaged snapshot is rebuilt.
    let Ok(mut kb) = KnowledgeBase::from_snapshot_bytes(bytes) else {
        return Ok(None);
    };
    if creators.len() != kb.len() {
        return Ok(None);
    }
    kb.set_limits(limits);

    let rank_of: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(rank, name)| (name.as_str(), rank))
        .collect();
    let mut seeds = Vec::new();
    let mut changed_sources = BTreeSet::new();
    let mut threat_changed = false;
    for (source, id) in mirror.changed()? {
        let Some(&rank) = rank_of.get(source.as_str()) else {
            continue; // a source no longer built
        };
        match ordered.get(rank) {
            Some(SourceSpec::Osv(_) | SourceSpec::Nvd) => {
                changed_sources.insert(rank);
                seeds.push((rank, id));
            }
            Some(SourceSpec::Kev | SourceSpec::Epss) => threat_changed = true,
            _ => return Ok(None),
        }
    }

    let (reload, removed) = clusters(mirror, &kb, &names, &rank_of, &seeds)?;
    let mut replacement = KnowledgeBase::new();
    replacement.set_limits(limits);
    let mut track = Track::default();
    let mut read = 0;
    let mut report = exposure::load_report::LoadReport::default();
    let nvd_timestamp = sources::nvd::timestamp(mirror)?;
    for (rank, spec) in ordered.iter().enumerate() {
        track.rank = rank;
        let ids: Vec<&String> = reload
            .range((rank, String::new())..)
            .take_while(|(r, _)| *r == rank)
            .map(|(_, id)| id)
            .collect();
        let mut bodies = Vec::with_capacity(ids.len());
        for id in &ids {
            let Some(body) = mirror.record(&names[rank], id)? else {
                return Ok(None);
            };
            bodies.push(body);
        }
        read += bodies.len();
        match spec {
            SourceSpec::Osv(_) => {
                for (id, body) in ids.iter().zip(&bodies) {
                    report.absorb(track.load_osv(&mut replacement, &names[rank], id, body));
                }
            }
            SourceSpec::Nvd if !bodies.is_empty() => {
                let chunk = sources::nvd::load_chunk(
                    &mut replacement,
                    nvd_timestamp.as_deref(),
                    &bodies,
                    &mut track,
                );
                report.absorb(chunk);
            }
            _ if bodies.is_empty() => {}
            _ => return Ok(None),
        }
    }
    if report.records_loaded != read {
        return Ok(None);
    }
    // NVD's records carry KEV listings: the threat intelligence is summed again when a
    // listing of a record loaded again differs from the one it had.
    let nvd_rank = ordered.iter().position(|s| *s == SourceSpec::Nvd);
    if let Some(rank) = nvd_rank {
        for (source, id, share) in &track.shares {
            if *source == names[rank] && !threat_changed {
                let before = mirror.share(source, id)?.and_then(|s| s.kev);
                threat_changed = before != share.kev;
            }
        }
    }

    let mut order: Vec<(&Key, Place)> = creators
        .iter()
        .enumerate()
        .filter(|(at, _)| !removed.contains(at))
        .map(|(at, key)| (key, Place::Kept(at)))
        .chain(
            track
                .creators
                .iter()
                .enumerate()
                .map(|(at, key)| (key, Place::Added(at))),
        )
        .collect();
    order.sort_by(|a, b| a.0.cmp(b.0));
    let places: Vec<Place> = order.iter().map(|(_, place)| *place).collect();
    let keys: Vec<Key> = order.into_iter().map(|(key, _)| key.clone()).collect();
    if kb.replace_clusters(replacement, &places).is_err() {
        return Ok(None);
    }

    // What the records loaded again add to their sources, over what the mirror keeps.
    let fresh: HashMap<(&str, &str), &Share> = track
        .shares
        .iter()
        .map(|(source, id, share)| ((source.as_str(), id.as_str()), share))
        .collect();
    // NVD summed from its records' shares, with their KEV listings, when needed.
    let nvd = match nvd_rank {
        Some(rank) if threat_changed || changed_sources.contains(&rank) => {
            match nvd_summed(mirror, &names[rank], &fresh, nvd_timestamp.as_deref())? {
                Some(nvd) => Some(nvd),
                None => return Ok(None),
            }
        }
        _ => None,
    };
    let mut threat = KnowledgeBase::new();
    if threat_changed {
        threat.set_limits(limits);
        // As a build: NVD's listings first, then the catalog's entries over them.
        for (id, (added, due)) in nvd.iter().flat_map(|(_, notes)| notes) {
            threat.threat_mut().note_nvd_kev(id, added, due);
        }
        for spec in ordered
            .iter()
            .filter(|s| matches!(s, SourceSpec::Kev | SourceSpec::Epss))
        {
            sources::source(spec).load(mirror, &mut threat, &mut Track::default())?;
        }
        *kb.threat_mut() = threat.threat().clone();
    }
    let mut metadata = kb.metadata().clone();
    let old = std::mem::take(&mut metadata.sources);
    for (rank, name) in names.iter().enumerate() {
        let from = |infos: &[SourceInfo]| -> Vec<SourceInfo> {
            infos
                .iter()
                .filter(|s| s.source == *name)
                .cloned()
                .collect()
        };
        let is_threat = matches!(ordered.get(rank), Some(SourceSpec::Kev | SourceSpec::Epss));
        if Some(rank) == nvd_rank && nvd.is_some() {
            metadata
                .sources
                .extend(nvd.iter().flat_map(|(info, _)| info.iter().cloned()));
        } else if changed_sources.contains(&rank) {
            let Some(info) = summed(mirror, name, &fresh)? else {
                return Ok(None);
            };
            metadata.sources.extend(info);
        } else if threat_changed && is_threat {
            metadata.sources.extend(from(&threat.metadata().sources));
        } else if matches!(ordered.get(rank), Some(SourceSpec::Nvd)) {
            // NVD's records unchanged, its documents are the same but for their timestamp
            // (the cursor, moved on): newer than any other date their heads hold when the
            // one before was.
            let mut infos = from(&old);
            let before = mirror.state(NVD_TIMESTAMP)?;
            for info in &mut infos {
                if before.is_none() || info.feed_timestamp != before || nvd_timestamp.is_none() {
                    return Ok(None);
                }
                info.feed_timestamp.clone_from(&nvd_timestamp);
            }
            metadata.sources.extend(infos);
        } else {
            metadata.sources.extend(from(&old));
        }
    }
    metadata.built_at = Some(exposure::kb::format_utc(built_at));
    kb.set_metadata(metadata);
    track.creators = keys;
    Ok(Some((kb, track)))
}

/// An OSV source's metadata summed from its records' shares in id order (`fresh` for the
/// records loaded again, else the mirror's), as a build notes it; `None` when a record's
/// share is unknown.
fn summed(
    mirror: &Mirror,
    name: &str,
    fresh: &HashMap<(&str, &str), &Share>,
) -> Result<Option<Vec<SourceInfo>>, UpdateError> {
    let mut info: Option<SourceInfo> = None;
    let mut complete = true;
    mirror.each_share(name, &mut |id, kept| {
        let share = if let Some(share) = fresh.get(&(name, id)) {
            (*share).clone()
        } else if let Some(share) = kept {
            share
        } else {
            complete = false;
            return;
        };
        if share.documents == 0 {
            return;
        }
        let mut part = SourceInfo::default();
        part.documents = share.documents;
        part.records = share.records;
        part.newest_record = share.newest;
        info.get_or_insert_with(|| {
            let mut empty = SourceInfo::default();
            name.clone_into(&mut empty.source);
            exposure::kb::Format::OsvJson
                .name()
                .clone_into(&mut empty.format);
            empty
        })
        .absorb(&part);
    })?;
    Ok(complete.then(|| info.into_iter().collect()))
}

/// NVD's metadata entry ([`sources::nvd::source_info`]) and the KEV listings of its records
/// (id, (added, due)) in id order.
type NvdSum = (Vec<SourceInfo>, Vec<(String, (String, String))>);

/// NVD's metadata and KEV listings summed from its records' shares (`fresh` for the records
/// loaded again, else the mirror's); `None` when a record's share is unknown or its document
/// was not read.
fn nvd_summed(
    mirror: &Mirror,
    name: &str,
    fresh: &HashMap<(&str, &str), &Share>,
    timestamp: Option<&str>,
) -> Result<Option<NvdSum>, UpdateError> {
    let mut shares = Vec::new();
    let mut notes = Vec::new();
    let mut complete = true;
    mirror.each_share(name, &mut |id, kept| {
        let share = match (fresh.get(&(name, id)), kept) {
            (Some(share), _) => (*share).clone(),
            (None, Some(share)) => share,
            (None, None) => {
                complete = false;
                return;
            }
        };
        if let Some(note) = &share.kev {
            notes.push((id.to_owned(), note.clone()));
        }
        shares.push(Share { kev: None, ..share });
    })?;
    if !complete {
        return Ok(None);
    }
    Ok(sources::nvd::source_info(&shares, timestamp).map(|info| (info, notes)))
}

/// The records to load again ((rank, id)) and the positions of the snapshot's advisories to
/// remove.
type Clusters = (BTreeSet<(usize, String)>, HashSet<usize>);

/// The records to load again ((rank, id)) and the snapshot's advisories to remove: the
/// closure of the changed records over shared ids and aliases.
fn clusters(
    mirror: &Mirror,
    kb: &KnowledgeBase,
    names: &[String],
    rank_of: &HashMap<&str, usize>,
    seeds: &[(usize, String)],
) -> Result<Clusters, UpdateError> {
    let mut carriers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, advisory) in kb.advisories().enumerate() {
        for id in std::iter::once(&advisory.id).chain(&advisory.aliases) {
            carriers.entry(id.as_str()).or_default().push(at);
        }
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue: Vec<String> = Vec::new();
    let mut reload = BTreeSet::new();
    let mut removed = HashSet::new();
    let visit = |id: &str, seen: &mut HashSet<String>, queue: &mut Vec<String>| {
        if seen.insert(id.to_owned()) {
            queue.push(id.to_owned());
        }
    };
    for (rank, id) in seeds {
        visit(id, &mut seen, &mut queue);
        for alias in mirror.identifiers_of(&names[*rank], id)? {
            visit(&alias, &mut seen, &mut queue);
        }
    }
    while let Some(id) = queue.pop() {
        for (source, record) in mirror.carrying(&id)? {
            let Some(&rank) = rank_of.get(source.as_str()) else {
                continue;
            };
            if reload.insert((rank, record.clone())) {
                for alias in mirror.identifiers_of(&source, &record)? {
                    visit(&alias, &mut seen, &mut queue);
                }
            }
        }
        for &at in carriers.get(id.as_str()).into_iter().flatten() {
            if removed.insert(at) {
                let Some(advisory) = kb.advisory_at(at) else {
                    continue;
                };
                for alias in std::iter::once(&advisory.id).chain(&advisory.aliases) {
                    visit(alias, &mut seen, &mut queue);
                }
            }
        }
    }
    Ok((reload, removed))
}
