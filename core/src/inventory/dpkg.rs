//! Installed Debian and Ubuntu packages from dpkg's status database (`/var/lib/dpkg/status`).
//!
//! Distro advisories (Debian's security tracker, Ubuntu's notices) name **source** packages
//! and source versions, so each installed binary package is reported under its source: the
//! `Source:` field (`Source: glibc` or, when the versions differ, `Source: gcc-12 (12.2.0-14)`),
//! else the package itself. Binaries of one source at one version become one [`Software`]
//! item listing them, so a CVE in `openssl` counts once per device, not once per `libssl3`,
//! `openssl` and `libssl-dev`. Versions are kept verbatim, epochs included.

use super::{Distro, LoadedFleet, Software};
use crate::ecosystem::Ecosystem;
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::parsed::Parsed;
use crate::purl::Purl;
use std::collections::BTreeMap;

/// One stanza of the status database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DpkgPackage {
    /// `Package`.
    pub package: String,
    /// `Version` (with its epoch, when it has one).
    pub version: String,
    /// `Architecture`.
    pub architecture: String,
    /// The source package: `Source`'s name, else `Package`.
    pub source: String,
    /// The source version: `Source`'s parenthesised version, else `Version`.
    pub source_version: String,
    /// `Status` (`install ok installed`).
    pub status: String,
}

impl DpkgPackage {
    /// Whether dpkg considers it installed: the status's last word is `installed` (not
    /// `config-files`, `half-installed`, `unpacked`, `not-installed`, …).
    pub fn is_installed(&self) -> bool {
        self.status.split_whitespace().nth(2) == Some("installed")
    }
}

/// Parses a status database: one [`DpkgPackage`] per stanza, in file order. A stanza without
/// `Package` or `Version` is a problem located by its first line and is left out.
///
/// ```
/// use exposure::inventory::dpkg;
/// let mut report = Default::default();
/// let packages = dpkg::parse_status("Package: libssl3\nStatus: install ok installed\n\
///     Architecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u2\nDescription: SSL\n \
///     continued line\n\nPackage: libgcc-s1\nStatus: install ok installed\n\
///     Source: gcc-12 (12.2.0-14)\nVersion: 12.2.0-14+deb12u1\n", "status", &mut report);
/// assert_eq!(packages[0].source, "openssl");
/// assert_eq!(packages[0].source_version, "3.0.11-1~deb12u2");
/// assert_eq!((packages[1].source.as_str(), packages[1].source_version.as_str()), ("gcc-12", "12.2.0-14"));
/// ```
pub fn parse_status(text: &str, origin: &str, report: &mut LoadReport) -> Vec<DpkgPackage> {
    let mut packages = Vec::new();
    let mut line_no = 0usize;
    let mut stanza_start = 1usize;
    let mut current: BTreeMap<&str, &str> = BTreeMap::new();
    let mut finish = |fields: &mut BTreeMap<&str, &str>, start: usize, report: &mut LoadReport| {
        if fields.is_empty() {
            return;
        }
        report.records_read += 1;
        let record = format!("line {start}");
        let field = |name: &str| fields.get(name).map_or("", |v| v.trim());
        let (package, version) = (field("Package"), field("Version"));
        if package.is_empty() || version.is_empty() {
            report.records_skipped += 1;
            let missing = if package.is_empty() {
                "Package"
            } else {
                "Version"
            };
            report.problem(Problem::new(
                origin,
                Some(if package.is_empty() { &record } else { package }),
                missing,
                format!("stanza at {record} has no {missing} field"),
                Consequence::Skipped,
            ));
            fields.clear();
            return;
        }
        let (source, source_version) = match field("Source").split_once('(') {
            Some((name, rest)) => (name.trim(), rest.trim_end_matches(')').trim()),
            None if !field("Source").is_empty() => (field("Source"), version),
            None => (package, version),
        };
        packages.push(DpkgPackage {
            package: package.to_owned(),
            version: version.to_owned(),
            architecture: field("Architecture").to_owned(),
            source: source.to_owned(),
            source_version: source_version.to_owned(),
            status: field("Status").to_owned(),
        });
        fields.clear();
    };
    for line in text.lines() {
        line_no += 1;
        if line.trim().is_empty() {
            finish(&mut current, stanza_start, report);
            stanza_start = line_no + 1;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A continuation of a multi-line field (Description, Conffiles): not needed.
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            current.insert(key, value);
        }
    }
    finish(&mut current, stanza_start, report);
    packages
}

/// A device from a dpkg status database: its installed packages grouped by source package
/// and version, in the ecosystem of `distro` (`Debian:12`) or, when the release is unknown,
/// the bare family `Debian` (which distro advisories, all per release, never match; the
/// report says so). Packages that are not installed are counted and left out.
///
/// ```
/// use exposure::inventory::{dpkg, Distro};
/// let distro = Distro::from_os_release("ID=debian\nVERSION_ID=12\n");
/// let status = "Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n\n\
///               Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n";
/// let loaded = dpkg::load_device(status, distro.as_ref(), "host-1");
/// let item = &loaded.fleet.devices[0].software[0];
/// assert_eq!((item.ecosystem.to_string(), item.name.as_str()), ("Debian:12".to_owned(), "openssl"));
/// assert_eq!(item.packages, ["libssl3", "openssl"]);
/// assert_eq!(item.purl.as_ref().map(|p| p.text()), Some("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=source&distro=debian-12"));
/// ```
pub fn load_device(status: &str, distro: Option<&Distro>, device_id: &str) -> LoadedFleet {
    let mut report = LoadReport::one_file();
    let packages = parse_status(status, device_id, &mut report);
    // No release given: the packages themselves may say which it is.
    let detected = if distro.is_none() {
        Distro::detect_from_dpkg(
            packages
                .iter()
                .filter(|p| p.is_installed())
                .map(|p| (p.package.as_str(), p.version.as_str())),
        )
    } else {
        None
    };
    if let Some((d, evidence)) = &detected {
        report.notes.push(format!(
            "{device_id}: release {} detected from {evidence} (none given)",
            d.osv_ecosystem()
        ));
    }
    let distro = distro.or(detected.as_ref().map(|(d, _)| d));
    let (ecosystem, vendor) = if let Some(d) = distro {
        (
            Ecosystem::Other(d.osv_ecosystem()),
            d.family_name().to_ascii_lowercase(),
        )
    } else {
        report.problem(Problem::new(
            device_id,
            None,
            "",
            "the distribution release is unknown (none given, and neither base-files nor the \
             package versions name one): packages are kept under the bare ecosystem `Debian`, \
             which per-release distro advisories do not match, and the assessment reports the \
             device as not assessed",
            Consequence::PartlyUsed,
        ));
        (Ecosystem::Other("Debian".to_owned()), "debian".to_owned())
    };
    // (source, source version) → binaries, in first-seen order of sources.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut binaries: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for p in packages {
        if !p.is_installed() {
            report.records_skipped += 1;
            report.problem(Problem::new(
                device_id,
                Some(&p.package),
                "Status",
                format!("{:?}: not installed", p.status),
                Consequence::Skipped,
            ));
            continue;
        }
        report.records_loaded += 1;
        let key = (p.source, p.source_version);
        let entry = binaries.entry(key.clone()).or_default();
        if entry.is_empty() {
            order.push(key);
        }
        entry.push(p.package);
    }
    let software = order
        .into_iter()
        .map(|key| {
            let mut packages = binaries.remove(&key).unwrap_or_default();
            packages.sort();
            packages.dedup();
            let (name, version) = key;
            let mut qualifiers = BTreeMap::from([("arch".to_owned(), "source".to_owned())]);
            if let Some(d) = distro {
                qualifiers.insert("distro".to_owned(), d.purl_qualifier());
            }
            let purl = Purl {
                ty: "deb".to_owned(),
                namespace: Some(vendor.clone()),
                name: name.clone(),
                version: Some(version.clone()),
                qualifiers,
                subpath: None,
            };
            Software {
                ecosystem: ecosystem.clone(),
                name,
                version,
                purl: Some(Parsed::from_parts(&purl.to_string(), purl)),
                packages,
                cpe: None,
                last_used: None,
                kind: None,
            }
        })
        .collect();
    LoadedFleet::one_device(device_id, device_id, software, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stanzas_without_package_or_version_are_located() {
        let mut report = LoadReport::default();
        let text = "Package: a\nVersion: 1\nStatus: install ok installed\n\n\
                    Status: install ok installed\nVersion: 2\n\n\n\
                    Package: c\nStatus: install ok installed\n";
        let packages = parse_status(text, "status", &mut report);
        assert_eq!(packages.len(), 1);
        let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "status: record line 5: Package: stanza at line 5 has no Package field (skipped)",
                "status: record c: Version: stanza at line 9 has no Version field (skipped)",
            ]
        );
        assert_eq!((report.records_read, report.records_skipped), (3, 2));
    }

    #[test]
    fn removed_packages_are_counted_not_kept() {
        let text = "Package: old\nStatus: deinstall ok config-files\nVersion: 1.0-1\n\n\
                    Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nSource: bash (5.2.15-2)\n";
        let loaded = load_device(text, None, "h");
        let software = &loaded.fleet.devices[0].software;
        assert_eq!(software.len(), 1);
        assert_eq!(
            (software[0].name.as_str(), software[0].version.as_str()),
            ("bash", "5.2.15-2")
        );
        assert_eq!(software[0].ecosystem.to_string(), "Debian");
        assert_eq!(
            (
                loaded.report.records_read,
                loaded.report.records_loaded,
                loaded.report.records_skipped
            ),
            (2, 1, 1)
        );
        assert_eq!(
            loaded.report.problem_count, 2,
            "{:?}",
            loaded.report.problems
        );
    }
}
