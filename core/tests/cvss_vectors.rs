//! CVSS scores against the Red Hat `cvss` project's published vectors in `../shared/vectors`
//! (override with `EXPOSURE_SHARED_DIR`): v2 and v3.x base, temporal and environmental
//! scores. Absent data is reported as SKIPPED.

use exposure::score::cvss::Cvss;
use std::path::PathBuf;

fn vectors() -> Option<PathBuf> {
    let dir = std::env::var_os("EXPOSURE_SHARED_DIR")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
            PathBuf::from,
        )
        .join("vectors/redhat-cvss/tests");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: Red Hat cvss vectors not found at {} (set EXPOSURE_SHARED_DIR)",
            dir.display()
        );
        None
    }
}

/// `VECTOR - (base, temporal, environmental)`, `None` for a score the vector does not define.
fn read(line: &str) -> Option<(&str, [Option<f64>; 3])> {
    let (vector, scores) = line.split_once(" - ")?;
    let inner = scores.trim().strip_prefix('(')?.strip_suffix(')')?;
    let mut out = [None; 3];
    for (i, part) in inner.split(',').map(str::trim).enumerate().take(3) {
        out[i] = part.parse::<f64>().ok();
    }
    Some((vector, out))
}

#[test]
#[allow(clippy::float_cmp)] // one-decimal scores: equality is the claim
fn red_hat_vectors_v2_and_v3() {
    let Some(dir) = vectors() else { return };
    let mut total = 0;
    let mut failures = Vec::new();
    for file in [
        "vectors_simple2",
        "vectors_calculator2",
        "vectors_cvsslib2",
        "vectors_simple3",
        "vectors_simple31",
        "vectors_calculator3",
        "vectors_cvsslib3",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect("readable");
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let Some((vector, expected)) = read(line) else {
                failures.push(format!("{file}:{}: unreadable line", n + 1));
                continue;
            };
            total += 1;
            let cvss: Cvss = match vector.parse() {
                Ok(c) => c,
                Err(e) => {
                    failures.push(format!("{file}:{}: {vector}: {e}", n + 1));
                    continue;
                }
            };
            let got = [
                cvss.base_score(),
                cvss.temporal_score(),
                cvss.environmental_score(),
            ];
            for (i, (want, have)) in expected.iter().zip(got).enumerate() {
                if let Some(want) = want {
                    if *want != have {
                        failures.push(format!(
                            "{file}:{}: {vector}: score {i} expected {want}, got {have}",
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "cvss v2/v3 vectors: {} of {total} agree",
        total - failures.len()
    );
    assert!(total > 5900, "only {total} vectors read");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
