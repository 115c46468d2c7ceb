//! Directory walks end on any tree, each real file read once: links to what is walked
//! already, FIFOs and unreadable subdirectories are problems naming their own paths, and the
//! rest is read.

use exposure::kb::{KnowledgeBase, LoadReport};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A fresh directory under the system's temporary directory, holding `GO-1.json`.
fn tree(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exposure-walk-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("temporary directory");
    record(&dir.join("GO-1.json"));
    dir
}

/// An OSV record named after its file.
fn record(path: &Path) {
    let id = path.file_stem().and_then(|s| s.to_str()).expect("a name");
    std::fs::write(path, format!(r#"{{"id": "{id}"}}"#)).expect("write");
}

/// Loads `dir` in a knowledge base, within a few seconds.
fn load(dir: &Path) -> (KnowledgeBase, LoadReport) {
    let started = Instant::now();
    let mut kb = KnowledgeBase::new();
    let report = kb.load_path(dir).expect("the directory reads");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    (kb, report)
}

/// The problems of a report as `(path relative to dir, message)`.
fn problems(report: &LoadReport, dir: &Path) -> Vec<(String, String)> {
    assert_eq!(report.problem_count, report.problems.len());
    report
        .problems
        .iter()
        .map(|p| {
            let location = Path::new(&p.location);
            let relative = location.strip_prefix(dir).unwrap_or(location);
            (relative.display().to_string(), p.message.clone())
        })
        .collect()
}

#[cfg(unix)]
fn link(target: &str, at: &Path) {
    std::os::unix::fs::symlink(target, at).expect("symbolic link");
}

#[cfg(unix)]
#[test]
fn a_link_to_the_directory_itself_is_walked_once() {
    let dir = tree("self");
    link(".", &dir.join("self"));
    link(".", &dir.join("again"));
    let (kb, report) = load(&dir);
    assert_eq!((report.files, kb.len()), (1, 1), "{report}");
    assert_eq!(
        problems(&report, &dir),
        [
            (
                "again".to_owned(),
                "a symbolic link to ., which is read already".to_owned()
            ),
            (
                "self".to_owned(),
                "a symbolic link to ., which is read already".to_owned()
            ),
        ]
    );
    std::fs::remove_dir_all(dir).ok();
}

#[cfg(unix)]
#[test]
fn mutual_links_end_and_each_file_is_read_under_its_real_path() {
    let dir = tree("mutual");
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.join(sub)).expect("dir");
    }
    record(&dir.join("a/GO-2.json"));
    record(&dir.join("b/GO-3.json"));
    link("../b", &dir.join("a/to-b"));
    link("../a", &dir.join("b/to-a"));
    // A link to a file that is read already, and one to a file outside the tree.
    link("../GO-1.json", &dir.join("a/GO-1.json"));
    let outside = tree("mutual-outside");
    record(&outside.join("GO-4.json"));
    link(
        &outside.join("GO-4.json").display().to_string(),
        &dir.join("b/GO-4.json"),
    );
    link("nowhere", &dir.join("dangling.json"));
    let (kb, report) = load(&dir);
    assert_eq!((report.files, kb.len()), (4, 4), "{report}");
    let problems = problems(&report, &dir);
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert_eq!(
        problems[..3],
        [
            (
                "a/GO-1.json".to_owned(),
                "a symbolic link to ../GO-1.json, which is read already".to_owned()
            ),
            (
                "a/to-b".to_owned(),
                "a symbolic link to ../b, which is read already".to_owned()
            ),
            (
                "b/to-a".to_owned(),
                "a symbolic link to ../a, which is read already".to_owned()
            ),
        ]
    );
    assert_eq!(problems[3].0, "dangling.json");
    assert!(
        problems[3]
            .1
            .starts_with("a symbolic link to nothing readable: "),
        "{problems:?}"
    );
    std::fs::remove_dir_all(dir).ok();
    std::fs::remove_dir_all(outside).ok();
}

#[cfg(unix)]
#[test]
fn a_fifo_is_left_out() {
    let dir = tree("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("x.json"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    link("x.json", &dir.join("y.json"));
    let (kb, report) = load(&dir);
    assert_eq!((report.files, kb.len()), (1, 1), "{report}");
    assert_eq!(
        problems(&report, &dir),
        [
            ("x.json".to_owned(), "a FIFO, not a regular file".to_owned()),
            ("y.json".to_owned(), "a FIFO, not a regular file".to_owned()),
        ]
    );
    std::fs::remove_dir_all(dir).ok();
}

#[cfg(unix)]
#[test]
fn an_unreadable_subdirectory_is_a_problem_of_its_own() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree("unreadable");
    let locked = dir.join("locked");
    std::fs::create_dir(&locked).expect("dir");
    record(&locked.join("GO-2.json"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read_dir(&locked).is_ok() {
        // Root (or a process with CAP_DAC_READ_SEARCH) reads it anyway: nothing to check.
        eprintln!("SKIPPED: this process reads a directory of mode 000 (running as root)");
    } else {
        let (kb, report) = load(&dir);
        assert_eq!((report.files, kb.len()), (1, 1), "{report}");
        let problems = problems(&report, &dir);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, "locked");
        assert!(
            problems[0].1.starts_with("cannot read directory: "),
            "{problems:?}"
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::remove_dir_all(dir).ok();
}
