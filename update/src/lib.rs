//! Incremental updates of an exposure knowledge-base snapshot from the feeds' own servers:
//! NVD's CVE API 2.0, osv.dev's ecosystems (Debian's data among them), CISA KEV, FIRST EPSS
//! and Alpine secdb. The core crate stays free of network code; this crate fetches, keeps
//! what it fetched in a mirror beside the snapshot, and rebuilds the snapshot from it through
//! core's loaders.
//!
//! ```no_run
//! use exposure_update::{update, Config, Quiet, SourceSpec};
//! let config = Config {
//!     sources: vec![SourceSpec::Nvd, SourceSpec::Osv("Go".into()), SourceSpec::Kev, SourceSpec::Epss],
//!     nvd_api_key: std::env::var("NVD_API_KEY").ok(),
//!     ..Config::default()
//! };
//! let summary = update(std::path::Path::new("kb.bin"), &config, &mut Quiet)?;
//! for s in &summary.sources {
//!     println!("{}: +{} ~{} -{}", s.source, s.added, s.changed, s.withdrawn);
//! }
//! # Ok::<(), exposure_update::UpdateError>(())
//! ```
//!
//! How one update runs:
//! 1. Each source fetches what changed since the last run into the mirror (`<snapshot>.mirror`,
//!    SQLite): NVD by modification windows of at most 120 days from its cursor (everything,
//!    paged, the first time), OSV from the ecosystem's `modified_id.csv` (its `all.zip` the
//!    first time), whole documents conditionally (ETag / If-Modified-Since). Every request
//!    has a time-out and a bounded body, is retried with back-off on 403, 429, 503, time-outs
//!    and transport failures, and NVD's keep to its rate limit.
//! 2. Each source commits to the mirror as it goes (NVD page by page with its paging
//!    position, so that an interrupted run resumes), raising the mirror's generation when
//!    something changed.
//! 3. When every source succeeded and the mirror's generation (or the set of sources)
//!    differs from what the snapshot was built from, the snapshot is patched in place when it
//!    is the one last written from the mirror (`patch.rs`: only the clusters — records and
//!    advisories linked by shared ids and aliases — of the records that changed are loaded
//!    again and swapped in, with the bytes a rebuild gives), else rebuilt from every
//!    mirrored record; either is written atomically (a temporary file, synced, renamed). Then
//!    the mirror notes the generation it was built from, the load-order key of each
//!    advisory's creating record, and forgets its changes.
//!
//! Traps:
//! - Any failed source fails the whole update with an error naming the source, the URL and
//!   the status or cause, and the snapshot is left as it was (never half updated). What the
//!   sources fetched before the failure stays in the mirror and is not fetched again.
//! - A crash between the mirror's commit and the snapshot's rename leaves the old snapshot;
//!   the next run sees the mirror ahead of it and rebuilds.
//! - The patch falls back to the rebuild whenever it cannot be shown equal to it (an Alpine
//!   source, a snapshot not the one last written, a mirror without the shares a patch sums,
//!   a record of a changed cluster that does not load cleanly): see `update/README.md`.
//!   [`Summary::patched`] says which ran.
//! - The build time is [`Config::now`] (the clock when `None`): two updates of the same
//!   server state with the same `now` give byte-identical snapshots.

mod build;
mod config;
mod error;
mod http;
mod mirror;
mod patch;
mod progress;
mod sources;

pub use config::{Config, SourceSpec, ALPINE_URL, EPSS_URL, KEV_URL, NVD_URL, OSV_URL};
pub use error::{FetchError, UpdateError};
pub use progress::{Event, Observer, Quiet, SourceSummary, Summary};

use std::path::Path;
use std::time::Instant;

/// The clock, as Unix seconds.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Updates the snapshot at `snapshot` from the configured sources (see the crate's docs),
/// reporting to `observer`; the summary of what each source did.
///
/// Fails without touching the snapshot when a source fails, when the mirror cannot be
/// used, or when a source's records load incompletely.
pub fn update(
    snapshot: &Path,
    config: &Config,
    observer: &mut dyn Observer,
) -> Result<Summary, UpdateError> {
    config.check()?;
    let started = Instant::now();
    let now = config.now.unwrap_or_else(unix_now);
    let mut mirror = mirror::Mirror::open(&config.mirror_path(snapshot))?;
    let client = http::Client::new(config);
    let mut summary = Summary::default();
    for spec in &config.sources {
        let name = spec.to_string();
        observer.event(&Event::SourceStarted { source: &name });
        let begun = Instant::now();
        let mut fetch = sources::Fetch::new(config, &client, &mut mirror, observer, &name, now);
        sources::source(spec).fetch(&mut fetch)?;
        let mut done = fetch.summary;
        if matches!(spec, SourceSpec::Nvd | SourceSpec::Osv(_)) {
            let total = mirror.count(&name)?;
            done.unchanged = total.saturating_sub(done.added + done.changed + done.withdrawn);
        }
        done.seconds = begun.elapsed().as_secs_f64();
        observer.event(&Event::SourceDone { summary: &done });
        summary.sources.push(done);
    }
    let generation = mirror.generation()?;
    let names: Vec<String> = build::ordered(&config.sources)
        .iter()
        .map(ToString::to_string)
        .collect();
    let wanted = format!("{generation} {}", names.join(" "));
    let built = mirror.state("built")?;
    summary.generation = generation;
    if built.as_deref() == Some(wanted.as_str()) && snapshot.exists() {
        summary.advisories = mirror
            .state("built:advisories")?
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
    } else {
        observer.event(&Event::Building);
        let patched = patch::in_place(
            &mirror,
            snapshot,
            &config.sources,
            config.limits,
            now,
            built.as_deref(),
        )?;
        summary.patched = patched.is_some();
        let (kb, track) = match patched {
            Some(patched) => patched,
            None => build::knowledge_base(
                &mirror,
                &config.sources,
                config.limits,
                now,
                config.allow_partial,
            )?,
        };
        kb.save_snapshot(snapshot)
            .map_err(|e| UpdateError::Snapshot {
                path: snapshot.to_owned(),
                message: e.to_string(),
            })?;
        let bytes = std::fs::read(snapshot).ok().map(|b| patch::fingerprint(&b));
        summary.advisories = kb.len();
        summary.written = true;
        let rebuilt = !summary.patched;
        let nvd_timestamp = sources::nvd::timestamp(&mirror)?;
        mirror.transaction(|m| {
            m.set_state("built", Some(&wanted))?;
            m.set_state("built:advisories", Some(&kb.len().to_string()))?;
            m.set_state(patch::ORDER, Some(&patch::write_order(&track.creators)))?;
            m.set_state(patch::BYTES, bytes.as_deref())?;
            m.set_state(patch::NVD_TIMESTAMP, nvd_timestamp.as_deref())?;
            if rebuilt {
                m.clear_shares()?;
            }
            for (source, id, share) in &track.shares {
                m.put_share(source, id, share)?;
            }
            m.clear_changed()
        })?;
    }
    observer.event(&Event::Done {
        written: summary.written,
    });
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Builds the snapshot from what the mirror holds, fetching nothing (for a rebuild after a
/// change of core's loaders, or to compare with an update).
///
/// ```no_run
/// let config = exposure_update::Config { now: Some(1_700_000_000), ..Default::default() };
/// let kb = exposure_update::rebuild(std::path::Path::new("kb.bin"), &config)?;
/// assert!(kb.len() > 0);
/// # Ok::<(), exposure_update::UpdateError>(())
/// ```
pub fn rebuild(
    snapshot: &Path,
    config: &Config,
) -> Result<exposure::kb::KnowledgeBase, UpdateError> {
    config.check()?;
    let mirror = mirror::Mirror::open(&config.mirror_path(snapshot))?;
    build::knowledge_base(
        &mirror,
        &config.sources,
        config.limits,
        config.now.unwrap_or_else(unix_now),
        config.allow_partial,
    )
    .map(|(kb, _)| kb)
}
