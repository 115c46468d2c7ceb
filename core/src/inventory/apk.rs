//! Installed Alpine packages from apk's database (`/lib/apk/db/installed`): stanzas of
//! one-letter fields, of which `P:` (package), `V:` (version) and `o:` (origin, the source
//! package) are read. Alpine's security database names origins, so binaries of one origin at
//! one version are one [`Software`] item listing them, as for dpkg.

use super::{Distro, LoadedFleet, Software};
use crate::ecosystem::Ecosystem;
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::parsed::Parsed;
use crate::purl::Purl;
use std::collections::BTreeMap;

/// Whether text is an apk installed database: its first line is a `C:` (checksum) or `P:`
/// field and a `V:` line follows soon.
pub(crate) fn recognizes(text: &str) -> bool {
    let mut lines = text.trim_start().lines().take(20);
    lines
        .next()
        .is_some_and(|l| l.starts_with("C:") || l.starts_with("P:"))
        && lines.any(|l| l.starts_with("V:"))
}

/// A device from an apk installed database, its packages in the ecosystem of `distro`
/// (`Alpine:v3.19`) or, when the release is unknown, the bare `Alpine` (which per-release
/// advisories do not match; the report says so).
///
/// ```
/// use exposure::inventory::{apk, Distro};
/// let distro = Distro::from_os_release("ID=alpine\nVERSION_ID=3.19.1\n");
/// let db = "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\n\
///           P:libssl3\nV:3.1.4-r5\no:openssl\n\nP:busybox\nV:1.36.1-r15\n";
/// let loaded = apk::load_device(db, distro.as_ref(), "alpine-box");
/// let items = &loaded.fleet.devices[0].software;
/// assert_eq!((items[0].name.as_str(), items[0].ecosystem.to_string()), ("openssl", "Alpine:v3.19".to_owned()));
/// assert_eq!(items[0].packages, ["libcrypto3", "libssl3"]);
/// assert_eq!(items[1].name, "busybox");
/// ```
pub fn load_device(text: &str, distro: Option<&Distro>, device_id: &str) -> LoadedFleet {
    let mut report = LoadReport::one_file();
    let software = read(text, distro, device_id, &mut report);
    LoadedFleet::one_device(device_id, device_id, software, report)
}

/// The release an apk database's `alpine-base` package names (`3.19.1-r0` is Alpine v3.19),
/// with the evidence in words.
///
/// ```
/// use exposure::inventory::apk::alpine_base_release;
/// let db = "P:musl\nV:1.2.4-r2\n\nP:alpine-base\nV:3.19.1-r0\n";
/// let (d, why) = alpine_base_release(db).unwrap();
/// assert_eq!((d.osv_ecosystem().as_str(), why.as_str()), ("Alpine:v3.19", "alpine-base 3.19.1-r0"));
/// assert!(alpine_base_release("P:musl\nV:1.2.4-r2\n").is_none());
/// ```
pub fn alpine_base_release(text: &str) -> Option<(Distro, String)> {
    let mut package = "";
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            package = "";
        } else if let Some(name) = line.strip_prefix("P:") {
            package = name.trim();
        } else if let Some(version) = line.strip_prefix("V:") {
            if package == "alpine-base" {
                let version = version.trim();
                let release = version.split('-').next().unwrap_or(version);
                let distro = Distro::from_purl_qualifier("apk", &format!("alpine-{release}"))?;
                return Some((distro, format!("alpine-base {version}")));
            }
        }
    }
    None
}

/// The items of an apk database, counted in `report`.
pub(crate) fn read(
    text: &str,
    distro: Option<&Distro>,
    origin: &str,
    report: &mut LoadReport,
) -> Vec<Software> {
    // No release given: the `alpine-base` package names it.
    let detected = if distro.is_none() {
        alpine_base_release(text)
    } else {
        None
    };
    if let Some((d, evidence)) = &detected {
        report.notes.push(format!(
            "{origin}: release {} detected from {evidence} (none given)",
            d.osv_ecosystem()
        ));
    }
    let distro = distro.or(detected.as_ref().map(|(d, _)| d));
    let (ecosystem, qualifier) = if let Some(d) = distro {
        (d.osv_ecosystem(), Some(d.purl_qualifier()))
    } else {
        report.problem(Problem::new(
            origin,
            None,
            "",
            "the Alpine release is unknown (no os-release given, no alpine-base package): \
                 packages are kept under the bare ecosystem `Alpine`, which per-release \
                 advisories do not match, and the assessment reports the device as not assessed",
            Consequence::PartlyUsed,
        ));
        ("Alpine".to_owned(), None)
    };
    // (origin, version) → packages, in first-seen order.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut binaries: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut stanza: BTreeMap<char, &str> = BTreeMap::new();
    let mut start = 1usize;
    let mut finish = |stanza: &mut BTreeMap<char, &str>, start: usize, report: &mut LoadReport| {
        if stanza.is_empty() {
            return;
        }
        report.records_read += 1;
        let (package, version) = (stanza.get(&'P').copied(), stanza.get(&'V').copied());
        let (Some(package), Some(version)) = (package, version) else {
            report.records_skipped += 1;
            let missing = if package.is_none() { "P" } else { "V" };
            report.problem(Problem::new(
                origin,
                Some(&format!("line {start}")),
                missing,
                format!("stanza has no {missing}: field"),
                Consequence::Skipped,
            ));
            stanza.clear();
            return;
        };
        report.records_loaded += 1;
        let source = stanza.get(&'o').copied().unwrap_or(package);
        let key = (source.to_owned(), version.to_owned());
        let entry = binaries.entry(key.clone()).or_default();
        if entry.is_empty() {
            order.push(key);
        }
        entry.push(package.to_owned());
        stanza.clear();
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            finish(&mut stanza, start, report);
            start = n + 2;
            continue;
        }
        let mut chars = line.chars();
        if let (Some(key), Some(':')) = (chars.next(), chars.next()) {
            stanza
                .entry(key)
                .or_insert(line[key.len_utf8() + 1..].trim());
        }
    }
    finish(&mut stanza, start, report);
    order
        .into_iter()
        .map(|(source, version)| {
            let packages = binaries
                .remove(&(source.clone(), version.clone()))
                .unwrap_or_default();
            let purl = Purl {
                ty: "apk".to_owned(),
                namespace: Some("alpine".to_owned()),
                name: source.clone(),
                version: Some(version.clone()),
                qualifiers: qualifier
                    .iter()
                    .map(|q| ("distro".to_owned(), q.clone()))
                    .collect(),
                subpath: None,
            };
            Software {
                ecosystem: Ecosystem::Other(ecosystem.clone()),
                name: source,
                version,
                purl: Some(Parsed::from_parts(&purl.to_string(), purl)),
                packages,
                cpe: None,
                last_used: None,
                kind: None,
            }
        })
        .collect()
}
