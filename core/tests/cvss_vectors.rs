//! CVSS scores against the Red Hat `cvss` project's published vectors in `../shared/vectors`
//! (override with `EXPOSURE_SHARED_DIR`): v2 and v3.x base, temporal and environmental
//! scores. Absent data is reported as SKIPPED.

use exposure::score::cvss::Cvss;
use std::path::PathBuf;

mod common;

fn vectors() -> Option<PathBuf> {
    common::shared("vectors/redhat-cvss/tests")
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
    // Each file with the number of its vectors (its non-empty lines).
    for (file, minimum) in [
        ("vectors_simple2", 729),
        ("vectors_calculator2", 5),
        ("vectors_cvsslib2", 24),
        ("vectors_simple3", 2592),
        ("vectors_simple31", 2592),
        ("vectors_calculator3", 2),
        ("vectors_cvsslib3", 29),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect("readable");
        let before = total;
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
                Some(cvss.base_score()),
                cvss.temporal_score(),
                cvss.environmental_score(),
            ];
            for (i, (want, have)) in expected.iter().zip(got).enumerate() {
                if let Some(want) = want {
                    if Some(*want) != have {
                        failures.push(format!(
                            "{file}:{}: {vector}: score {i} expected {want}, got {have:?}",
                            n + 1
                        ));
                    }
                }
            }
        }
        common::at_least(file, total - before, minimum);
    }
    eprintln!(
        "cvss v2/v3 vectors: {} of {total} agree",
        total - failures.len()
    );
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

/// `VECTOR - (score,)` or `VECTOR - score`.
fn read_v4(line: &str) -> Option<(&str, f64)> {
    let (vector, score) = line.split_once(" - ")?;
    let score = score
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim_end_matches(',');
    Some((vector, score.parse().ok()?))
}

#[test]
#[allow(clippy::float_cmp)] // one-decimal scores: equality is the claim
fn red_hat_vectors_v4() {
    let Some(dir) = vectors() else { return };
    let (mut total, mut failures) = (0, Vec::new());
    // Each file with the number of its vectors (its non-empty lines).
    for (file, minimum) in [
        ("vectors_simple4", 1058),
        ("vectors_security4", 54),
        ("vectors_supplemental4", 576),
        ("vectors_threat4", 6),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect("readable");
        let before = total;
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let Some((vector, expected)) = read_v4(line) else {
                failures.push(format!("{file}:{}: unreadable line", n + 1));
                continue;
            };
            total += 1;
            match vector.parse::<Cvss>() {
                Ok(cvss) if cvss.score() == expected => {}
                Ok(cvss) => failures.push(format!(
                    "{file}:{}: {vector}: expected {expected}, got {}",
                    n + 1,
                    cvss.score()
                )),
                Err(e) => failures.push(format!("{file}:{}: {vector}: {e}", n + 1)),
            }
        }
        common::at_least(file, total - before, minimum);
    }
    eprintln!(
        "cvss v4 vectors: {} of {total} agree",
        total - failures.len()
    );
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

/// FIRST's own validation set: the highest-severity vector of each of the 270 macrovectors,
/// whose score is the lookup table's entry.
#[test]
#[allow(clippy::float_cmp)]
fn first_macro_vectors() {
    let Some(path) = common::shared("vectors/first-cvss-resources/vectorFiles/macro-scores") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("readable");
    let mut failures = Vec::new();
    let mut total = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        // {'vector': 'CVSS:4.0/…', 'score': 9.8, 'severity': 'Critical'}
        let field = |name: &str| {
            let start = line.find(&format!("'{name}': "))? + name.len() + 4;
            let rest = &line[start..];
            let rest = rest.trim_start_matches('\'');
            let end = rest.find(['\'', ',', '}'])?;
            Some(rest[..end].to_owned())
        };
        let (Some(vector), Some(score), Some(severity)) =
            (field("vector"), field("score"), field("severity"))
        else {
            failures.push(format!("unreadable: {line}"));
            continue;
        };
        total += 1;
        let cvss: Cvss = vector.parse().expect("FIRST vector parses");
        let want: f64 = score.parse().expect("score");
        if cvss.score() != want || !cvss.severity().name().eq_ignore_ascii_case(&severity) {
            failures.push(format!(
                "{vector}: expected {want} {severity}, got {} {}",
                cvss.score(),
                cvss.severity().name()
            ));
        }
    }
    eprintln!(
        "FIRST macro vectors: {} of {total} agree",
        total - failures.len()
    );
    assert_eq!(total, 270);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every CVSS metric NVD published in its 2017 JSON 1.1 feed (`../shared/data/nvd/json-1.1`):
/// v2 and v3.x base score, severity, impact and exploitability sub-scores all agree.
#[test]
#[allow(clippy::float_cmp)] // one-decimal scores: equality is the claim
fn nvd_2017_feed_scores_and_subscores() {
    use std::io::Read;
    let Some(path) = common::shared("data/nvd/json-1.1/nvdcve-1.1-2017.json.gz") else {
        return;
    };
    let file = std::fs::File::open(&path).expect("readable");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip");
    let feed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut checked = [0usize; 2];
    let mut failures = Vec::new();
    for item in feed["CVE_Items"].as_array().expect("CVE_Items") {
        let id = item["cve"]["CVE_data_meta"]["ID"].as_str().unwrap_or("?");
        for (slot, key, data, severity) in [
            (0, "baseMetricV2", "cvssV2", "/severity"),
            (1, "baseMetricV3", "cvssV3", "/cvssV3/baseSeverity"),
        ] {
            let metric = &item["impact"][key];
            let Some(vector) = metric[data]["vectorString"].as_str() else {
                continue;
            };
            checked[slot] += 1;
            let cvss: Cvss = match vector.parse() {
                Ok(c) => c,
                Err(e) => {
                    failures.push(format!("{id} {vector}: {e}"));
                    continue;
                }
            };
            let ours = (
                cvss.base_score(),
                cvss.severity().name(),
                cvss.impact_subscore(),
                cvss.exploitability_subscore(),
            );
            let nvd = (
                metric[data]["baseScore"].as_f64().unwrap_or(f64::NAN),
                metric
                    .pointer(severity)
                    .and_then(|s| s.as_str())
                    .unwrap_or("?"),
                metric["impactScore"].as_f64(),
                metric["exploitabilityScore"].as_f64(),
            );
            if ours != nvd {
                failures.push(format!("{id} {vector}: ours {ours:?}, NVD {nvd:?}"));
            }
        }
    }
    eprintln!(
        "NVD 2017 feed: {} v2 and {} v3 metrics checked",
        checked[0], checked[1]
    );
    // Every v2 and v3 metric of the feed: 14,497 and 14,666.
    common::at_least("NVD 2017 feed, v2 metrics", checked[0], 14_497);
    common::at_least("NVD 2017 feed, v3 metrics", checked[1], 14_666);
    assert!(
        failures.is_empty(),
        "{} of {checked:?} (v2, v3) metrics disagree with NVD:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}
