//! Helpers shared by the integration tests that read `../shared` (override the directory with
//! `EXPOSURE_SHARED_DIR`). Where it is absent, as on a user's machine, a test says SKIPPED on
//! stderr and passes without checking anything.

use exposure::kb::{KnowledgeBase, LoadReport};
use std::io::Read;
use std::path::{Path, PathBuf};

/// `../shared/<relative>` when it exists; otherwise `None` after a loud SKIPPED line.
#[allow(dead_code)] // not every test file that shares this module uses it
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

/// Loads every `*.json` member of an OSV `.tar.gz` into `kb`.
#[allow(dead_code)] // not every test file that shares this module loads archives
pub(crate) fn load_osv_archive(kb: &mut KnowledgeBase, archive: &Path) -> LoadReport {
    let file = std::fs::File::open(archive).expect("archive opens");
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut report = LoadReport::default();
    for entry in tar.entries().expect("tar entries") {
        let mut entry = entry.expect("tar entry");
        let path = entry.path().expect("entry path").display().to_string();
        if !Path::new(&path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 JSON");
        report.absorb(kb.load_osv_str(&text, &path));
    }
    report
}
