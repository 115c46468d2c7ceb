//! Shared inputs for the criterion benches: the embedded demo, and real data from
//! `../shared/data` (override with `EXPOSURE_SHARED_DIR`) when it is present.

pub mod fleet;

use exposure::version::Scheme;
use std::path::PathBuf;

/// The shared data directory, when present.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("EXPOSURE_SHARED_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
            PathBuf::from,
        )
        .join("data");
    dir.is_dir().then_some(dir)
}

/// The feeds of `../shared/data` the fleet examples (`fleet_scale`, `history_diff`) load:
/// every ecosystem the generated fleet draws from, with KEV, EPSS and a VEX document.
pub const FLEET_FEEDS: [&str; 13] = [
    "nvd/json-1.1/nvdcve-1.1-2017.json.gz",
    "nvd/json-1.1/nvdcve-1.1-modified.json.gz",
    "nvd/json-1.1/nvdcve-1.1-recent.json.gz",
    "nvd/api-2.0-samples",
    "osv-go/golang-vulndb-osv.tar.gz",
    "osv-rustsec/rustsec-osv-crates.tar.gz",
    "osv-pypa/pypa-advisory-database-vulns.tar.gz",
    "debian-osv/debian-osv-dsa-dla-dtsa.tar.gz",
    "debian-osv/debian-osv-cve-dpkg-status-sources.tar.gz",
    "alpine-secdb/alpine-secdb-json-v3.2-v3.21-edge.tar.gz",
    "cisa-kev/known_exploited_vulnerabilities.json",
    "epss/vuls-data-raw-epss-2021-08-31.json.gz",
    "advisories-redhat-ubuntu/claircore-rhel-vex-cve-2023-38545.json.gz",
];

/// The fleet examples' arguments `[DEVICES ITEMS SEED]` (defaults 10,000, 300, 7); words
/// that are not numbers are skipped.
pub fn fleet_args() -> (usize, usize, u64) {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let at = |i: usize, default: u64| args.get(i).copied().unwrap_or(default);
    (
        usize::try_from(at(0, 10_000)).unwrap_or(usize::MAX),
        usize::try_from(at(1, 300)).unwrap_or(usize::MAX),
        at(2, 7),
    )
}

/// Versions of each SemVer dialect and PEP 440 as they appear in real feeds.
pub const SEMVER_SAMPLES: [&str; 6] = [
    "1.2.3",
    "0.0.0-20210405180319-a5a99cb37ef4",
    "4.17.21",
    "1.0.0-rc.1+build.5",
    "12.2.0-alpha8",
    "3.0.0",
];

/// PEP 440 versions as they appear in real feeds.
pub const PEP440_SAMPLES: [&str; 6] = [
    "2.31.0",
    "1.26.18",
    "2.0.0rc1",
    "1!2.0.post1.dev3",
    "0.9.8.dev0",
    "3.1.3+local.7",
];

/// Four realistic versions per scheme, mixing releases with the shapes that make each scheme
/// hard: pre-releases, epochs, Go pseudo-versions, Debian revisions, Maven qualifiers.
pub const MIXED_VERSIONS: &[(Scheme, [&str; 4])] = &[
    (
        Scheme::Semver,
        ["1.2.3", "4.17.21", "1.0.0-rc.1", "2.0.0+build.5"],
    ),
    (Scheme::Npm, ["1.2.3", "4.17.21", "1.0.0-rc.1", "v2.0.0"]),
    (
        Scheme::Golang,
        [
            "v1.2.3",
            "v0.0.0-20210405180319-a5a99cb37ef4",
            "0.17.0",
            "v3.2.0+incompatible",
        ],
    ),
    (
        Scheme::Pypi,
        ["2.31.0", "1.26.18", "2.0.0rc1", "1!2.0.post1.dev3"],
    ),
    (
        Scheme::Deb,
        [
            "1:2.36.1-8+deb12u1",
            "3.0.11-1~deb12u2",
            "7.88.1-10+deb12u5",
            "2.9.14+dfsg-1.3~deb12u1",
        ],
    ),
    (
        Scheme::Rpm,
        [
            "1.1.1k-7.el8_6",
            "2:8.0.1763-19.el8_6.4",
            "7.61.1-25.el8_7.1",
            "1.0~rc1-1",
        ],
    ),
    (
        Scheme::Alpm,
        ["1:2.36.1-8", "3.0.11-1", "7.88.1-10", "2.9.14-1"],
    ),
    (
        Scheme::Alpine,
        [
            "1.2.3-r0",
            "3.0.8-r1",
            "1.36.1_git20230101-r2",
            "2.0_rc1-r0",
        ],
    ),
    (
        Scheme::Maven,
        ["2.14.1", "2.15.0", "1.0-SNAPSHOT", "5.3.18.RELEASE"],
    ),
    (
        Scheme::Nuget,
        ["13.0.1", "6.0.0-preview.7", "4.7.2.1", "2.0.0"],
    ),
    (Scheme::Gem, ["6.1.7.3", "1.13.10", "7.0.0.rc1", "2.0"]),
    (
        Scheme::Composer,
        ["5.4.3", "v2.8.1", "1.0.0-beta2", "6.0.0-RC1"],
    ),
    (Scheme::Conan, ["1.2.13", "3.0.8", "1.81.0", "1.2.11-pre"]),
    (Scheme::Openssl, ["1.0.2k", "1.1.1w", "3.0.13", "0.9.8zh"]),
    (
        Scheme::Generic,
        ["10.0.19041.1234", "121.0", "2.4.49-rc1", "7u80"],
    ),
];

/// Plain releases, the most common shape in inventories: what each scheme's release looks
/// like without pre-release words (a revision where the scheme's packages always carry one).
pub const PLAIN_VERSIONS: &[(Scheme, [&str; 4])] = &[
    (Scheme::Semver, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Npm, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Golang, ["v1.2.3", "v0.17.0", "v2.31.0", "v1.10.1"]),
    (Scheme::Pypi, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (
        Scheme::Deb,
        ["1.2.3-1", "7.88.1-10", "2.36.1-8", "10.0.1-2"],
    ),
    (
        Scheme::Rpm,
        [
            "1.2.3-1.el8",
            "7.61.1-25.el8",
            "2.36.1-8.fc39",
            "10.0.1-2.el9",
        ],
    ),
    (
        Scheme::Alpm,
        ["1.2.3-1", "7.88.1-10", "2.36.1-8", "10.0.1-2"],
    ),
    (
        Scheme::Alpine,
        ["1.2.3-r0", "7.88.1-r1", "2.36.1-r8", "10.0.1-r2"],
    ),
    (Scheme::Maven, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Nuget, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Gem, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Composer, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Conan, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
    (Scheme::Openssl, ["1.1.1", "3.0.13", "3.2.1", "1.0.2"]),
    (Scheme::Generic, ["1.2.3", "4.17.21", "2.31.0", "10.0.1"]),
];

/// CPE names as NVD and inventories carry them: formatted strings and URIs, with quoting.
pub const CPE_NAMES: [&str; 6] = [
    "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:*:*",
    "cpe:2.3:a:apple:swiftnio_http\\/2:1.19.1:*:*:*:*:swift:*:*",
    "cpe:2.3:a:mozilla:firefox_esr:*:*:*:*:*:*:*:*",
    "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~",
    "cpe:/a:openbsd:openssh:9.3",
];

/// CVSS v3.1 vectors as NVD publishes them: base only, and with temporal and environmental
/// metrics.
pub const CVSS31_VECTORS: [&str; 4] = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:L/I:L/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N/E:P/RL:O/RC:C",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:F/RL:O/RC:C/CR:H/IR:H/AR:M/MAV:A/MPR:L",
];

/// CVSS v2 and v4.0 vectors, for the other versions' figures.
pub const CVSS_OTHER_VECTORS: [&str; 4] = [
    "AV:N/AC:L/Au:N/C:P/I:P/A:P",
    "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:N/VC:N/VI:L/VA:H/SC:N/SI:N/SA:N/E:P/CR:M",
];
