//! Helpers shared by the integration tests that read `../shared` (override the directory with
//! `EXPOSURE_SHARED_DIR`). Where it is absent, as on a user's machine, a test says SKIPPED on
//! stderr and passes without checking anything.

use std::path::PathBuf;

/// `../shared/<relative>` when it exists; otherwise `None` after a loud SKIPPED line.
pub(crate) fn shared(relative: &str) -> Option<PathBuf> {
    let path = std::env::var_os("EXPOSURE_SHARED_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
            PathBuf::from,
        )
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} not found (set EXPOSURE_SHARED_DIR to the shared data set)",
            path.display()
        );
        None
    }
}
