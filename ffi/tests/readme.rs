//! `ffi/README.md` lists every status code of the header with its number, so that the table
//! C programmers read cannot go stale: a status added to (or renumbered in) the header without
//! its README row fails here, and so does a README row the header no longer has.

use std::collections::BTreeMap;
use std::path::PathBuf;

fn read(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `EXPOSURE_STATUS_*` constants and their numbers, from the header's `enum exposure_status`.
fn header_statuses() -> BTreeMap<String, u32> {
    let header = read("../include/exposure.h");
    let body = header
        .split("enum exposure_status")
        .nth(1)
        .and_then(|rest| rest.split("};").next())
        .expect("the header defines enum exposure_status");
    body.lines()
        .filter_map(|line| {
            let (name, value) = line.trim().strip_suffix(',')?.split_once(" = ")?;
            name.starts_with("EXPOSURE_STATUS_")
                .then(|| (name.to_owned(), value.parse().expect("a number")))
        })
        .collect()
}

/// The README's status rows: `| number | `EXPOSURE_STATUS_X` | meaning |`.
fn readme_statuses() -> BTreeMap<String, u32> {
    let readme = read("README.md");
    let mut rows = BTreeMap::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, number, constant, meaning, _] = cells[..] else {
            continue;
        };
        let Some(name) = constant
            .strip_prefix('`')
            .and_then(|c| c.strip_suffix('`'))
            .filter(|c| c.starts_with("EXPOSURE_STATUS_"))
        else {
            continue;
        };
        assert!(!meaning.is_empty(), "README: {name} has no meaning");
        let number = number.parse().unwrap_or_else(|_| panic!("README: {line}"));
        assert!(
            rows.insert(name.to_owned(), number).is_none(),
            "README lists {name} twice"
        );
    }
    rows
}

#[test]
fn every_status_of_the_header_is_in_the_readme_with_its_number() {
    let header = header_statuses();
    let readme = readme_statuses();
    // The parse found the enum: its first and last constants are there.
    assert_eq!(header.get("EXPOSURE_STATUS_OK"), Some(&0));
    assert_eq!(header.get("EXPOSURE_STATUS_INVENTORY_OTHER"), Some(&6999));
    for (name, number) in &header {
        assert_eq!(
            readme.get(name),
            Some(number),
            "ffi/README.md must list {name} as {number}"
        );
    }
    for name in readme.keys() {
        assert!(
            header.contains_key(name),
            "ffi/README.md lists {name}, which the header lacks"
        );
    }
}

#[test]
fn status_numbers_are_unique_and_in_their_blocks() {
    let header = header_statuses();
    let mut seen = BTreeMap::new();
    for (name, &number) in &header {
        if let Some(other) = seen.insert(number, name) {
            panic!("{name} and {other} share {number}");
        }
    }
    for (block, area) in [
        (1, "VERSION_"),
        (2, "RANGE_"),
        (3, "CPE_"),
        (4, "CVSS_"),
        (5, "KB_"),
        (6, "INVENTORY_"),
    ] {
        let other = format!("EXPOSURE_STATUS_{area}OTHER");
        assert_eq!(header.get(&other), Some(&(block * 1000 + 999)), "{other}");
    }
}

/// The statuses the README marks *not returned yet* are the ones `tests/c/statuses.c` lists as
/// unreachable (that test makes every other status of the header fail a call and fill `err`).
#[test]
fn statuses_not_returned_yet_are_the_c_tests_unreachable_ones() {
    let readme = read("README.md");
    let test = read("../tests/c/statuses.c");
    let list = test
        .split("unreachable[] = {")
        .nth(1)
        .and_then(|rest| rest.split("};").next())
        .expect("the unreachable list of tests/c/statuses.c");
    for line in readme
        .lines()
        .filter(|l| l.starts_with('|') && l.contains("*not returned yet"))
    {
        let constant = line.split('`').nth(1).expect("a constant");
        assert!(
            list.contains(&format!("{{{constant},")),
            "README marks {constant} not returned yet, but tests/c/statuses.c does not list it unreachable"
        );
    }
    for entry in list.split("{EXPOSURE_STATUS_").skip(1) {
        let name = format!(
            "EXPOSURE_STATUS_{}",
            entry.split(',').next().unwrap_or_default()
        );
        let row = readme
            .lines()
            .find(|l| l.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("README lacks {name}"));
        let expected = name.ends_with("_OTHER")
            || [
                "EXPOSURE_STATUS_PANIC",
                "EXPOSURE_STATUS_SERIALIZATION",
                "EXPOSURE_STATUS_RECORD_TOO_LARGE",
                // Returned by exposure_kb_update when a server answers so; the C test has no
                // server (update/tests has, and ffi/src/update.rs tests the mapping).
                "EXPOSURE_STATUS_UPDATE_INVALID_RESPONSE",
                "EXPOSURE_STATUS_UPDATE_INCOMPLETE",
                "EXPOSURE_STATUS_UPDATE_SNAPSHOT",
            ]
            .contains(&name.as_str());
        assert!(
            expected || row.contains("*not returned yet"),
            "tests/c/statuses.c lists {name} unreachable, but the README does not mark it *not returned yet*"
        );
    }
}
