//! Shared inputs for the criterion benches: the embedded demo, and real data from
//! `../shared/data` (override with `EXPOSURE_SHARED_DIR`) when it is present.

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
