//! Version order against the official vector suites in `../shared/vectors` (override with
//! `EXPOSURE_SHARED_DIR`): osv-scalibr's natively generated orderings (dpkg, apk, Maven,
//! packaging, PHP, RubyGems), the vers-spec comparison and equality tests, apk-tools' own
//! `version.data`, and APT's `versions.lst`. Absent data is reported as SKIPPED.

use exposure::version::{Scheme, Version};
use std::cmp::Ordering;
use std::path::PathBuf;

mod common;

fn vectors() -> Option<PathBuf> {
    common::shared("vectors")
}

/// Compares and records a mismatch; returns whether it matched.
fn check(
    scheme: Scheme,
    a: &str,
    b: &str,
    expected: Ordering,
    origin: &str,
    failures: &mut Vec<String>,
) -> bool {
    check_with(Version::parse, scheme, a, b, expected, origin, failures)
}

type Parse = fn(Scheme, &str) -> Result<Version, exposure::version::VersionError>;

/// [`check`], reading the versions with `parse`.
fn check_with(
    parse: Parse,
    scheme: Scheme,
    a: &str,
    b: &str,
    expected: Ordering,
    origin: &str,
    failures: &mut Vec<String>,
) -> bool {
    let result = parse(scheme, a).and_then(|x| Ok((x, parse(scheme, b)?)));
    match result {
        Ok((x, y)) => {
            let got = x.try_cmp(&y).expect("same scheme");
            if got == expected {
                return true;
            }
            failures.push(format!(
                "{origin}: {scheme} {a:?} vs {b:?}: expected {expected:?}, got {got:?}"
            ));
        }
        Err(e) => failures.push(format!(
            "{origin}: {scheme} {a:?} vs {b:?}: parse error: {e}"
        )),
    }
    false
}

fn op(text: &str) -> Option<Ordering> {
    match text {
        "<" => Some(Ordering::Less),
        "=" => Some(Ordering::Equal),
        ">" => Some(Ordering::Greater),
        _ => None,
    }
}

/// Cases where we knowingly differ from a vector, each with the reason (most verified
/// against the native tool). A failure is excused only by an entry whose text it contains.
const KNOWN: &[(&str, &str)] = &[
    // osv-scalibr orders Packagist versions with raw `version_compare`; Composer normalises
    // first (`v3.0` is `3.0.0.0`, after `3.0.0.0-beta`; `-ALPHA` is `alpha`; `-stable` is
    // dropped). Each answer below is Composer's: `version_compare(normalize(a),
    // normalize(b))` with composer/semver 3.3.2.
    (
        "packagist-versions.txt:75:",
        "Composer normalises before version_compare: 1.0.0 == 1.0 (both 1.0.0.0)",
    ),
    (
        "packagist-versions-generated.txt:1256:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:1262:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:1278:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:5133:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:5134:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:5135:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:5313:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:8210:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:8245:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    (
        "packagist-versions-generated.txt:8251:",
        "Composer normalises before version_compare, composer/semver 3.3.2 oracle",
    ),
    // vers-spec's parse test treats versions as opaque text; we parse each version in its
    // scheme, so the (correctly decoded once) "1.0%2F0" is rejected as an npm version.
    (
        "\"1.0%2F0\": unexpected character '%'",
        "versions are parsed in their scheme",
    ),
    // apk-tools 2.14's version.data compares versions that apk_version_validate() rejects
    // ("_foo" is no suffix, "bc" two letters). apk compares them anyway; we reject invalid
    // input with a typed error instead of ordering it.
    (
        "\"23_foo\": not a valid apk version",
        "invalid apk version rejected",
    ),
    (
        "\"1.0bc\": not a valid apk version",
        "invalid apk version rejected",
    ),
    // osv-scalibr's hand-written maven list expects 1-1 == 1-ga-1, which is Maven 3.9's
    // order; the Maven 3.8.7 oracle (maven-artifact of Debian's maven) prints `1-1 > 1-ga-1`.
    (
        "maven \"1-1\" vs \"1-ga-1\": expected Equal, got Greater",
        "Maven 3.8.7 oracle",
    ),
    // osv-scalibr expects "1.2.3.#" == "1.2.3" and == "1.2.3.1"; PHP 8.2's version_compare
    // returns -1 for both, and so do we.
    ("composer \"1.2.3.#\"", "PHP version_compare oracle"),
    // osv-scalibr's hand-written apk cases "0.r1" < "0r2" and "0.8.21.r2" < "0.8.21r2"
    // disagree with apk-tools 2.14's token algorithm, which we follow token by token and
    // which agrees on all 13,979 generated and 731 apk-tools 2.14 cases.
    ("alpine \"0.r1\" vs \"0r2\"", "apk-tools 2.14 algorithm"),
    (
        "alpine \"0.8.21.r2\" vs \"0.8.21r2\"",
        "apk-tools 2.14 algorithm",
    ),
    // osv-scalibr's maven list was generated with a Maven older than MNG-7644 ("treat .X as
    // -X for a string qualifier"). The Maven 3.8.7 oracle orders these 18 pairs the other way
    // (checked one by one with its ComparableVersion main), as we do.
    (
        "maven-versions-generated.txt:2781:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:2786:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:5776:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:9949:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11435:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11450:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11476:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11526:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11557:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11578:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11582:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11594:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11602:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11612:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11621:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11687:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:11748:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    (
        "maven-versions-generated.txt:12642:",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
    // vers-spec's maven tests expect 2-1 < 2.0.a and 2-1 < 2.0.0.a (pre-MNG-7644 order); the
    // Maven 3.8.7 oracle prints `2-1 > 2.0.a` and `2-1 > 2.0.0.a`, as we do.
    ("maven \"2-1\" vs \"2.0.a\"", "MNG-7644, Maven 3.8.7 oracle"),
    (
        "maven \"2-1\" vs \"2.0.0.a\"",
        "MNG-7644, Maven 3.8.7 oracle",
    ),
];

/// Reports the comparisons of one suite; fails on more than `allowed` unexcused mismatches or
/// fewer than `minimum` comparisons checked.
fn report(name: &str, total: usize, minimum: usize, failures: &[String], allowed: usize) {
    let (excused, real): (Vec<&String>, Vec<&String>) = failures
        .iter()
        .partition(|f| KNOWN.iter().any(|(text, _)| f.contains(text)));
    eprintln!(
        "{name}: {} of {total} comparisons agree, {} known deviations",
        total - failures.len(),
        excused.len()
    );
    for f in real.iter().take(25) {
        eprintln!("  {f}");
    }
    assert!(
        real.len() <= allowed,
        "{name}: {} mismatches (allowed {allowed})",
        real.len()
    );
    common::at_least(name, total, minimum);
}

/// How a vector file treats versions our strict parsers reject.
#[derive(Clone, Copy, PartialEq)]
enum Invalid {
    /// Every version was accepted by the native tool that generated the file: a rejection
    /// is a failure.
    Fails,
    /// Hand-written edge cases of osv-scanner, which compares malformed versions leniently;
    /// we reject malformed input with a typed error. Rejections are counted and reported.
    Rejected,
    /// Python `packaging` before 22 generated the file and accepted non-PEP 440 strings as
    /// `LegacyVersion`; PEP 440 (and packaging since 22) rejects them, and so do we.
    LegacyRejected,
}

/// Checks one osv-scalibr file: at least `minimum` comparisons (those of versions our parser
/// accepts, for the hand-written files), at most `allowed` unexcused mismatches.
fn scalibr(file: &str, scheme: Scheme, minimum: usize, allowed: usize) {
    scalibr_with(
        file,
        scheme,
        minimum,
        allowed,
        if file.contains("generated") {
            Invalid::Fails
        } else {
            Invalid::Rejected
        },
    );
}

fn scalibr_with(file: &str, scheme: Scheme, minimum: usize, allowed: usize, invalid: Invalid) {
    let Some(dir) = vectors() else { return };
    let path = dir.join("osv-scalibr/semantic/testdata").join(file);
    let text = std::fs::read_to_string(&path).expect("vector file");
    let (mut total, mut failures, mut rejected) = (0, Vec::new(), 0);
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with("# ") || line.starts_with("// ") {
            continue;
        }
        let parts: Vec<&str> = line.split(' ').collect();
        let [a, o, b] = parts[..] else { continue };
        let Some(expected) = op(o) else { continue };
        // osv-scalibr orders the versions advisories carry: they are read as advisory
        // matching reads them (for Composer, leniently where its VersionParser rejects them).
        let both_valid = Version::parse_advisory(scheme, a).is_ok()
            && Version::parse_advisory(scheme, b).is_ok();
        if !both_valid && invalid != Invalid::Fails {
            rejected += 1;
            continue;
        }
        total += 1;
        check_with(
            Version::parse_advisory,
            scheme,
            a,
            b,
            expected,
            &format!("{file}:{}", n + 1),
            &mut failures,
        );
    }
    if rejected > 0 {
        eprintln!("{file}: {rejected} comparisons involve versions our {scheme} parser rejects as malformed");
    }
    report(file, total, minimum, &failures, allowed);
}

#[test]
fn debian_dpkg_generated() {
    // All 14,442 comparisons of the file.
    scalibr("debian-versions-generated.txt", Scheme::Deb, 14_442, 0);
    // All 30 comparisons of the file.
    scalibr("debian-versions.txt", Scheme::Deb, 30, 0);
}

#[test]
fn alpine_apk_generated() {
    // All 13,979 comparisons of the file.
    scalibr("alpine-versions-generated.txt", Scheme::Alpine, 13_979, 0);
    // 778 comparisons less the 22 with a version apk rejects as malformed.
    scalibr("alpine-versions.txt", Scheme::Alpine, 756, 0);
}

#[test]
fn maven_generated() {
    // All 14,752 comparisons of the file.
    scalibr("maven-versions-generated.txt", Scheme::Maven, 14_752, 0);
    // All 102 comparisons of the file.
    scalibr("maven-versions.txt", Scheme::Maven, 102, 0);
}

#[test]
fn pypi_packaging_generated() {
    scalibr_with(
        "pypi-versions-generated.txt",
        Scheme::Pypi,
        12_306, // 12,375 comparisons less the 69 with a LegacyVersion string
        0,
        Invalid::LegacyRejected,
    );
    // 37 comparisons less the 11 with a version PEP 440 rejects as malformed.
    scalibr("pypi-versions.txt", Scheme::Pypi, 26, 0);
}

#[test]
fn packagist_php_generated() {
    // All 10,630 comparisons of the file.
    scalibr(
        "packagist-versions-generated.txt",
        Scheme::Composer,
        10_630,
        0,
    );
    // 95 comparisons less the 2 with a version Composer rejects as malformed.
    scalibr("packagist-versions.txt", Scheme::Composer, 93, 0);
}

#[test]
fn rubygems_generated() {
    // All 4,098 comparisons of the file.
    scalibr("rubygems-versions-generated.txt", Scheme::Gem, 4098, 0);
    // 25 comparisons less the 2 with a version RubyGems rejects as malformed.
    scalibr("rubygems-versions.txt", Scheme::Gem, 23, 0);
}

#[test]
fn nuget_redhat_semver() {
    // All 35 comparisons of the file.
    scalibr("nuget-versions.txt", Scheme::Nuget, 35, 0);
    // All 165 comparisons of the file.
    scalibr("redhat-versions.txt", Scheme::Rpm, 165, 0);
    // 86 comparisons less the 32 with a version SemVer rejects as malformed.
    scalibr("semver-versions.txt", Scheme::Semver, 54, 0);
}

#[test]
fn vers_spec_comparison_and_equality() {
    let Some(dir) = vectors() else { return };
    let (mut total, mut failures) = (0, Vec::new());
    for entry in std::fs::read_dir(dir.join("vers-spec/tests")).expect("vers-spec tests") {
        let path = entry.expect("entry").path();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        for test in doc["tests"].as_array().into_iter().flatten() {
            let kind = test["test_type"].as_str().unwrap_or("");
            if kind != "comparison" && kind != "equality" {
                continue;
            }
            let scheme_name = test["input"]["input_scheme"].as_str().unwrap_or("");
            let Some(scheme) = Scheme::from_vers_type(scheme_name) else {
                continue;
            };
            let versions: Vec<&str> = test["input"]["versions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str())
                .collect();
            let origin = format!(
                "{}: {}",
                path.file_name().unwrap_or_default().to_string_lossy(),
                test["description"].as_str().unwrap_or("")
            );
            if kind == "equality" {
                let expected = if test["expected_output"].as_bool() == Some(true) {
                    Ordering::Equal
                } else {
                    Ordering::Less
                };
                total += 1;
                if expected == Ordering::Equal {
                    check(
                        scheme,
                        versions[0],
                        versions[1],
                        Ordering::Equal,
                        &origin,
                        &mut failures,
                    );
                } else {
                    let same = Version::parse(scheme, versions[0])
                        .ok()
                        .zip(Version::parse(scheme, versions[1]).ok())
                        .map(|(a, b)| a == b);
                    if same != Some(false) {
                        failures.push(format!(
                            "{origin}: {scheme} {:?} and {:?} must differ",
                            versions[0], versions[1]
                        ));
                    }
                }
            } else {
                let expected: Vec<&str> = test["expected_output"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str())
                    .collect();
                for pair in expected.windows(2) {
                    total += 1;
                    let want = if pair[0] == pair[1] {
                        Ordering::Equal
                    } else {
                        Ordering::Less
                    };
                    // A sorted list may hold equal neighbours: accept Equal where Less is listed.
                    let mut local = Vec::new();
                    if !check(scheme, pair[0], pair[1], want, &origin, &mut local)
                        && !check(
                            scheme,
                            pair[0],
                            pair[1],
                            Ordering::Equal,
                            &origin,
                            &mut Vec::new(),
                        )
                    {
                        failures.extend(local);
                    }
                }
            }
        }
    }
    // 1,876: every equality test and every neighbouring pair of every comparison list.
    report("vers-spec comparison/equality", total, 1876, &failures, 0);
}

#[test]
fn apk_tools_version_data() {
    let Some(dir) = vectors() else { return };
    let text = std::fs::read_to_string(dir.join("alpine-apk-tools-2.14-stable/test/version.data"))
        .expect("version.data");
    let (mut total, mut failures) = (0, Vec::new());
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [a, o, b] = parts[..] else { continue };
        let Some(expected) = op(o) else { continue };
        total += 1;
        check(
            Scheme::Alpine,
            a,
            b,
            expected,
            &format!("apk-tools-2.14 version.data:{}", n + 1),
            &mut failures,
        );
    }
    report("apk-tools 2.14 version.data", total, 733, &failures, 0); // its 733 comparisons
}

#[test]
fn apt_versions_lst() {
    let Some(dir) = vectors() else { return };
    let text = std::fs::read_to_string(dir.join("debian-apt/test/libapt/versions.lst"))
        .expect("versions.lst");
    let (mut total, mut failures) = (0, Vec::new());
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [a, b, r] = parts[..] else { continue };
        let expected = match r {
            "1" => Ordering::Greater,
            "-1" => Ordering::Less,
            "0" => Ordering::Equal,
            _ => continue,
        };
        total += 1;
        check(
            Scheme::Deb,
            a,
            b,
            expected,
            &format!("versions.lst:{}", n + 1),
            &mut failures,
        );
    }
    report("APT versions.lst", total, 30, &failures, 0); // its 30 comparisons
}

/// vers-spec `parse` (strict canonical form), `validate` (canonical display) and
/// `containment` tests, plus univers' `roundtrip` tests.
#[test]
fn vers_spec_ranges() {
    use exposure::range::Vers;
    let Some(dir) = vectors() else { return };
    let (mut total, mut failures) = (0, Vec::new());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("vers-spec/tests"))
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.push(dir.join("univers/tests/data/schema/range/pypi_range_roundtrip.json"));
    for path in files {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        let tests = doc
            .get("tests")
            .and_then(|t| t.as_array())
            .or_else(|| doc.as_array())
            .cloned()
            .unwrap_or_default();
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        for test in tests {
            let kind = test["test_type"].as_str().unwrap_or("");
            let origin = format!("{file}: {}", test["description"].as_str().unwrap_or(""));
            match kind {
                "parse" => {
                    total += 1;
                    let input = test["input"].as_str().unwrap_or("");
                    let result = Vers::parse_canonical(input);
                    if test["expected_failure"].as_bool() == Some(true) {
                        if result.is_ok() {
                            failures.push(format!(
                                "{origin}: {input:?} must be rejected ({})",
                                test["expected_message"]
                            ));
                        }
                        continue;
                    }
                    match result {
                        Ok(vers) => {
                            let want = &test["expected_output"];
                            let got: Vec<(String, String)> = vers
                                .constraints()
                                .iter()
                                .map(|c| {
                                    (
                                        c.comparator.symbol().to_owned(),
                                        c.version.as_str().to_owned(),
                                    )
                                })
                                .collect();
                            let expected: Vec<(String, String)> = want["version_constraints"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .map(|p| {
                                    (
                                        p[0].as_str().unwrap_or("").to_owned(),
                                        p[1].as_str().unwrap_or("").to_owned(),
                                    )
                                })
                                .collect();
                            if got != expected {
                                failures.push(format!(
                                    "{origin}: {input:?}: got {got:?}, expected {expected:?}"
                                ));
                            }
                        }
                        Err(e) => failures.push(format!("{origin}: {input:?}: {e}")),
                    }
                }
                "validate" | "roundtrip" => {
                    total += 1;
                    let input = test["input"]
                        .as_str()
                        .or_else(|| test["input"]["vers"].as_str())
                        .unwrap_or("");
                    let expected = test["expected_output"].as_str().unwrap_or("");
                    match Vers::parse(input) {
                        Ok(v) if v.to_string() == expected => {}
                        Ok(v) => failures
                            .push(format!("{origin}: {input:?} -> {v}, expected {expected}")),
                        Err(e) => failures.push(format!("{origin}: {input:?}: {e}")),
                    }
                }
                "containment" => {
                    total += 1;
                    let range = test["input"]["vers"].as_str().unwrap_or("");
                    let version = test["input"]["version"].as_str().unwrap_or("");
                    let expected = test["expected_output"].as_bool();
                    let got = Vers::parse(range).map_err(|e| e.to_string()).and_then(|v| {
                        let scheme = match v.scheme() {
                            exposure::range::VersScheme::Scheme(s) => s,
                            _ => Scheme::Generic,
                        };
                        let version = Version::parse(scheme, version).map_err(|e| e.to_string())?;
                        v.contains(&version).map_err(|e| e.to_string())
                    });
                    if got.as_ref().ok().copied() != expected {
                        failures.push(format!("{origin}: {version:?} in {range:?}: got {got:?}, expected {expected:?}"));
                    }
                }
                _ => {}
            }
        }
    }
    // 61: the parse, validate and containment tests and univers' roundtrip tests.
    report(
        "vers-spec parse/validate/containment",
        total,
        61,
        &failures,
        0,
    );
}
