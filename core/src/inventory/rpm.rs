//! Installed RPM packages as `rpm -qa` prints them: the default `name-[epoch:]version-release.arch`
//! lines, or fields separated by tabs from a query format such as
//! `rpm -qa --queryformat '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\n'` (an epoch of
//! `(none)` is no epoch). Each line is one package of ecosystem `Red Hat`, versioned
//! `[epoch:]version-release` as rpm compares them.

use super::{LoadedFleet, Software};
use crate::ecosystem::Ecosystem;
use crate::load_report::{Consequence, LoadReport, Problem};
use crate::parsed::Parsed;
use crate::purl::Purl;
use std::collections::BTreeMap;

const ARCHES: [&str; 12] = [
    "x86_64", "noarch", "i686", "i586", "i386", "aarch64", "ppc64le", "ppc64", "s390x", "armv7hl",
    "src", "riscv64",
];

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpmPackage {
    /// `%{NAME}`.
    pub name: String,
    /// `%{EPOCH}`, when it has one.
    pub epoch: Option<String>,
    /// `%{VERSION}`.
    pub version: String,
    /// `%{RELEASE}`.
    pub release: String,
    /// `%{ARCH}`.
    pub arch: String,
}

impl RpmPackage {
    /// `[epoch:]version-release`, as rpm compares it.
    pub fn evr(&self) -> String {
        match &self.epoch {
            Some(e) => format!("{e}:{}-{}", self.version, self.release),
            None => format!("{}-{}", self.version, self.release),
        }
    }
}

/// One line: tab-separated fields, or a NEVRA.
///
/// ```
/// use exposure::inventory::rpm::parse_line;
/// let p = parse_line("openssl-libs-1:3.0.7-24.el9.x86_64").unwrap();
/// assert_eq!((p.name.as_str(), p.evr().as_str(), p.arch.as_str()), ("openssl-libs", "1:3.0.7-24.el9", "x86_64"));
/// let q = parse_line("bash\t(none)\t5.1.8\t6.el9_1\tx86_64").unwrap();
/// assert_eq!(q.evr(), "5.1.8-6.el9_1");
/// assert!(parse_line("not a package").is_err());
/// ```
pub fn parse_line(line: &str) -> Result<RpmPackage, String> {
    let line = line.trim();
    if line.contains('\t') {
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let [name, epoch, version, release, arch, ..] = fields[..] else {
            return Err(format!(
                "{} tab-separated fields; expected NAME, EPOCH, VERSION, RELEASE, ARCH",
                fields.len()
            ));
        };
        if name.is_empty() || version.is_empty() || release.is_empty() {
            return Err("NAME, VERSION and RELEASE must not be empty".to_owned());
        }
        let epoch = match epoch {
            "" | "(none)" => None,
            e if e.bytes().all(|b| b.is_ascii_digit()) => Some(e.to_owned()),
            e => return Err(format!("epoch {e:?} is not a number")),
        };
        return Ok(RpmPackage {
            name: name.to_owned(),
            epoch,
            version: version.to_owned(),
            release: release.to_owned(),
            arch: arch.to_owned(),
        });
    }
    if line.starts_with("gpg-pubkey-") {
        return Err("a GPG public key rpm keeps in its database, not software".to_owned());
    }
    let (rest, arch) = line
        .rsplit_once('.')
        .filter(|(_, arch)| ARCHES.contains(arch))
        .ok_or_else(|| format!("{line:?} does not end in .ARCH (x86_64, noarch, …)"))?;
    let (rest, release) = rest
        .rsplit_once('-')
        .ok_or_else(|| format!("{line:?} has no -RELEASE"))?;
    let (name, version) = rest
        .rsplit_once('-')
        .ok_or_else(|| format!("{line:?} has no -VERSION"))?;
    let (epoch, version) = match version.split_once(':') {
        Some((e, v)) if e.bytes().all(|b| b.is_ascii_digit()) => (Some(e.to_owned()), v),
        _ => (None, version),
    };
    if name.is_empty() || version.is_empty() || release.is_empty() || line.contains(' ') {
        return Err(format!("{line:?} is not NAME-[EPOCH:]VERSION-RELEASE.ARCH"));
    }
    Ok(RpmPackage {
        name: name.to_owned(),
        epoch,
        version: version.to_owned(),
        release: release.to_owned(),
        arch: arch.to_owned(),
    })
}

/// Whether text looks like `rpm -qa` output: at least four in five of its first twenty lines
/// parse (`gpg-pubkey` entries, which have no architecture, are among real output).
pub(crate) fn recognizes(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let good = lines.iter().filter(|l| parse_line(l).is_ok()).count();
    !lines.is_empty() && good * 5 >= lines.len() * 4
}

/// The operating system an rpm host runs, named by its release package (`redhat-release`,
/// `centos-release`, `centos-stream-release`, `fedora-release`): its CPE name at the major
/// release, as NVD's platform statements name it, and the package that says so.
///
/// ```
/// use exposure::inventory::rpm::{parse_line, release_platform};
/// let packages = [parse_line("redhat-release-9.3-0.5.el9.x86_64").unwrap()];
/// let (cpe, why) = release_platform(&packages).unwrap();
/// assert_eq!(cpe, "cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*");
/// assert_eq!(why, "redhat-release 9.3");
/// assert!(release_platform(&[parse_line("bash-5.1.8-6.el9.x86_64").unwrap()]).is_none());
/// ```
pub fn release_platform(packages: &[RpmPackage]) -> Option<(String, String)> {
    const RELEASES: [(&str, &str, &str); 4] = [
        ("redhat-release", "redhat", "enterprise_linux"),
        ("centos-release", "centos", "centos"),
        ("centos-stream-release", "centos", "centos"),
        ("fedora-release", "fedoraproject", "fedora"),
    ];
    packages.iter().find_map(|p| {
        let (_, vendor, product) = RELEASES.iter().find(|(name, _, _)| *name == p.name)?;
        let major: String = p.version.chars().take_while(char::is_ascii_digit).collect();
        (!major.is_empty()).then(|| {
            (
                format!("cpe:2.3:o:{vendor}:{product}:{major}:*:*:*:*:*:*:*"),
                format!("{} {}", p.name, p.version),
            )
        })
    })
}

/// A device from `rpm -qa` output; a line that does not parse is a located problem. The
/// operating system its release package names ([`release_platform`]) becomes one of the
/// device's conditions (records gated on that platform then apply), noted in the report.
pub fn load_device(text: &str, device_id: &str) -> LoadedFleet {
    let mut report = LoadReport::one_file();
    let mut software = Vec::new();
    let mut platform = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        report.records_read += 1;
        match parse_line(line) {
            Ok(p) => {
                report.records_loaded += 1;
                if platform.is_none() {
                    platform = release_platform(std::slice::from_ref(&p));
                }
                let version = p.evr();
                software.push(Software {
                    ecosystem: Ecosystem::Other("Red Hat".to_owned()),
                    purl: Some(purl_of(&p)),
                    name: p.name,
                    version,
                    packages: Vec::new(),
                    cpe: None,
                    last_used: None,
                    kind: None,
                });
            }
            Err(message) => {
                report.records_skipped += 1;
                report.problem(Problem::new(
                    device_id,
                    Some(&format!("line {}", n + 1)),
                    "",
                    message,
                    Consequence::Skipped,
                ));
            }
        }
    }
    if let Some((cpe, evidence)) = &platform {
        report
            .notes
            .push(format!("{device_id}: platform {cpe} from {evidence}"));
    }
    let mut loaded = LoadedFleet::one_device(device_id, device_id, software, report);
    if let (Some((cpe, _)), Some(device)) = (platform, loaded.fleet.devices.first_mut()) {
        device.conditions.push(cpe);
    }
    loaded
}

/// The package URL of an installed rpm: `pkg:rpm/NAME@VERSION-RELEASE?arch=A[&epoch=E]`.
fn purl_of(p: &RpmPackage) -> Parsed<Purl> {
    let mut qualifiers = BTreeMap::from([("arch".to_owned(), p.arch.clone())]);
    if let Some(epoch) = &p.epoch {
        qualifiers.insert("epoch".to_owned(), epoch.clone());
    }
    let purl = Purl {
        ty: "rpm".to_owned(),
        namespace: None,
        name: p.name.clone(),
        version: Some(format!("{}-{}", p.version, p.release)),
        qualifiers,
        subpath: None,
    };
    Parsed::from_parts(&purl.to_string(), purl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nevra_lines_and_a_bad_one() {
        let text = "sudo-1.9.5p2-9.el9.x86_64\nkernel-core-5.14.0-362.8.1.el9_3.x86_64\n\
                    tzdata-2023c-1.el9.noarch\npython3-libs-3.9.18-1.el9_3.x86_64\n\
                    gpg-pubkey-fd431d51-4ae0493b\n";
        assert!(recognizes(text));
        let loaded = load_device(text, "rhel9");
        let items: Vec<(&str, &str)> = loaded.fleet.devices[0]
            .software
            .iter()
            .map(|s| (s.name.as_str(), s.version.as_str()))
            .collect();
        assert_eq!(
            items,
            [
                ("sudo", "1.9.5p2-9.el9"),
                ("kernel-core", "5.14.0-362.8.1.el9_3"),
                ("tzdata", "2023c-1.el9"),
                ("python3-libs", "3.9.18-1.el9_3"),
            ]
        );
        // gpg-pubkey has no architecture: reported, not guessed.
        assert_eq!(loaded.report.problems[0].record.as_deref(), Some("line 5"));
        assert!(!recognizes("Package: bash\nVersion: 1\n"));
    }
}
