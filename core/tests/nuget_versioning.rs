//! NuGet.Versioning's own test cases (`tests/vectors/nuget-versioning.tsv`, transcribed from
//! NuGet/NuGet.Client's tests) against the `nuget` scheme: versions, their order, ranges and
//! membership. Prints the counts per kind (agreeing cases, documented differences by name) and
//! fails on any difference the file does not name, and on a named difference that no longer
//! differs.

use exposure::range::parse_range;
use exposure::version::{Scheme, Version};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The documented differences the file may name (see its header).
const DIFFERENCES: &[&str] = &["floating"];

/// This engine's answer for one case, in the file's words (`error: …` where it rejects an
/// input a membership or order case needs).
fn answer(kind: &str, a: &str, b: &str) -> String {
    let version = |s: &str| Version::parse(Scheme::Nuget, s);
    match kind {
        "version" => if version(a).is_ok() {
            "valid"
        } else {
            "invalid"
        }
        .to_owned(),
        "range" => if parse_range(Scheme::Nuget, a).is_ok() {
            "valid"
        } else {
            "invalid"
        }
        .to_owned(),
        "compare" => match (version(a), version(b)) {
            (Ok(x), Ok(y)) => match x.partial_cmp(&y) {
                Some(Ordering::Less) => "-1".to_owned(),
                Some(Ordering::Equal) => "0".to_owned(),
                Some(Ordering::Greater) => "1".to_owned(),
                None => "error: incomparable".to_owned(),
            },
            (Err(e), _) | (_, Err(e)) => format!("error: {e}"),
        },
        "contains" => match (parse_range(Scheme::Nuget, a), version(b)) {
            (Ok(r), Ok(v)) => r.contains(&v).to_string(),
            (Err(e), _) => format!("error: {e}"),
            (_, Err(e)) => format!("error: {e}"),
        },
        other => panic!("unknown kind {other:?}"),
    }
}

fn agrees(expected: &str, ours: &str) -> bool {
    expected == ours || (expected == "!0" && (ours == "-1" || ours == "1"))
}

#[test]
fn nuget_versioning_test_tables() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/nuget-versioning.tsv");
    let text = std::fs::read_to_string(&path).expect("tests/vectors/nuget-versioning.tsv");
    // kind -> (agree, documented difference name -> count)
    let mut counts: BTreeMap<String, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    let mut failures = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (kind, a, b, expected, difference) = match fields[..] {
            [kind, a, b, expected] => (kind, a, b, expected, None),
            [kind, a, b, expected, why] => (kind, a, b, expected, Some(why)),
            _ => panic!("line {}: expected 4 or 5 fields: {line:?}", n + 1),
        };
        let ours = answer(kind, a, b);
        let entry = counts.entry(kind.to_owned()).or_default();
        match (agrees(expected, &ours), difference) {
            (true, None) => entry.0 += 1,
            (false, Some(why)) if DIFFERENCES.contains(&why) => {
                *entry.1.entry(why.to_owned()).or_default() += 1;
            }
            (false, Some(why)) => failures.push(format!(
                "line {}: {kind} {a:?} {b:?}: unknown difference {why:?}",
                n + 1
            )),
            (true, Some(why)) => failures.push(format!(
                "line {}: {kind} {a:?} {b:?}: marked {why:?} but agrees ({ours})",
                n + 1
            )),
            (false, None) => failures.push(format!(
                "line {}: {kind} {a:?} {b:?}: NuGet {expected}, exposure {ours}",
                n + 1
            )),
        }
    }
    let mut total = 0;
    for (kind, (agree, differences)) in &counts {
        let documented: usize = differences.values().sum();
        total += agree + documented;
        eprintln!("nuget-versioning.tsv {kind}: {agree} agree, {documented} documented differences {differences:?}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every kind is present and the file is whole (its 446 cases).
    assert_eq!(counts.len(), 4, "{counts:?}");
    assert!(total >= 446, "only {total} cases read");
}
