//! Cross-language conformance vectors in `tests/vectors/`, shared with the C and Python tests.
//! Each test counts the rows it checked and fails below the file's number of data rows.

use exposure::Engine;

mod common;

fn rows(name: &str) -> Vec<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn demo_findings_are_exactly_the_vectors() {
    let assessment = Engine::demo().assess(&exposure::demo::fleet());
    let actual: Vec<Vec<String>> = assessment
        .findings
        .iter()
        .map(|f| {
            let f = &f.finding;
            vec![
                f.device_id.to_string(),
                f.software.ecosystem.to_string(),
                f.software.name.clone(),
                f.software.version.clone(),
                f.advisory_id.to_string(),
                f.fix.as_deref().unwrap_or("-").to_owned(),
                f.evidence.matched.to_string(),
            ]
        })
        .collect();
    let expected = rows("demo-findings.tsv");
    common::at_least("demo-findings.tsv", expected.len(), 11); // its 11 data rows
    assert_eq!(actual, expected);
}

#[test]
fn version_order_vectors() {
    let mut checked = 0;
    for row in rows("version-order.tsv") {
        let [scheme, a, b, expected] = &row[..] else {
            panic!("bad row {row:?}")
        };
        let scheme: exposure::version::Scheme = scheme.parse().expect("scheme");
        let (x, y) = (
            exposure::version::Version::parse(scheme, a),
            exposure::version::Version::parse(scheme, b),
        );
        let (x, y) = (
            x.unwrap_or_else(|e| panic!("{e}")),
            y.unwrap_or_else(|e| panic!("{e}")),
        );
        let got = x.try_cmp(&y).expect("same scheme") as i8;
        assert_eq!(got.to_string(), *expected, "{scheme}: {a} vs {b}");
        // Antisymmetry on every vector.
        assert_eq!(
            y.try_cmp(&x).expect("same scheme") as i8,
            -got,
            "{scheme}: {b} vs {a}"
        );
        checked += 1;
    }
    common::at_least("version-order.tsv", checked, 91); // its 91 data rows
}

#[test]
fn range_contains_vectors() {
    let mut checked = 0;
    for row in rows("range-contains.tsv") {
        let [scheme, range, version, expected] = &row[..] else {
            panic!("bad row {row:?}")
        };
        let scheme: exposure::version::Scheme = scheme.parse().expect("scheme");
        let range =
            exposure::range::parse_range(scheme, range).unwrap_or_else(|e| panic!("{range}: {e}"));
        let v = exposure::version::Version::parse(range.scheme(), version)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            range.contains(&v).to_string(),
            *expected,
            "{version} in {range}"
        );
        // The canonical text parses back to the same set. Two bounds no version spells are the
        // exceptions, and their text is a superset: PEP 440's `>V` (above every post/local
        // release of V) and RubyGems' `~>` upper end (below every pre-release of the bumped
        // release).
        let again = exposure::range::parse_range(scheme, &range.to_string())
            .expect("canonical text re-parses");
        let unspellable = (scheme == exposure::version::Scheme::Pypi
            && row[1].contains('>')
            && !row[1].contains(">="))
            || (scheme == exposure::version::Scheme::Gem && row[1].contains("~>"));
        if unspellable {
            assert!(again.includes(&range).expect("same scheme"), "{range}");
        } else {
            assert_eq!(again, range, "{range}");
        }
        checked += 1;
    }
    common::at_least("range-contains.tsv", checked, 73); // its 73 data rows
}

#[test]
fn invalid_version_vectors() {
    let mut checked = 0;
    for row in rows("version-invalid.tsv") {
        let [scheme, input, offset] = &row[..] else {
            panic!("bad row {row:?}")
        };
        let scheme: exposure::version::Scheme = scheme.parse().expect("scheme");
        let err = exposure::version::Version::parse(scheme, input).expect_err(input);
        assert_eq!(
            err.offset().to_string(),
            *offset,
            "{scheme} {input:?}: {err}"
        );
        assert_eq!(err.input(), input);
        checked += 1;
    }
    common::at_least("version-invalid.tsv", checked, 24); // its 24 data rows
}

#[test]
fn cpe_binding_vectors() {
    let mut checked = 0;
    for row in rows("cpe-bindings.tsv") {
        let name: exposure::cpe::Cpe = row[0].parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(name.to_fs(), row[1], "{}", row[0]);
        assert_eq!(name.to_uri(), row[2], "{}", row[0]);
        assert_eq!(row[1].parse::<exposure::cpe::Cpe>().unwrap(), name);
        assert_eq!(row[2].parse::<exposure::cpe::Cpe>().unwrap(), name);
        checked += 1;
    }
    common::at_least("cpe-bindings.tsv", checked, 11); // its 11 data rows
}

#[test]
fn cpe_compare_vectors() {
    let mut checked = 0;
    for row in rows("cpe-compare.tsv") {
        let source: exposure::cpe::Cpe = row[0].parse().unwrap_or_else(|e| panic!("{e}"));
        let target: exposure::cpe::Cpe = row[1].parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            source.compare(&target).name(),
            row[2],
            "{} vs {}",
            row[0],
            row[1]
        );
        checked += 1;
    }
    common::at_least("cpe-compare.tsv", checked, 13); // its 13 data rows
}

#[test]
fn invalid_cpe_vectors() {
    let mut checked = 0;
    for row in rows("cpe-invalid.tsv") {
        let err = row[0].parse::<exposure::cpe::Cpe>().expect_err(&row[0]);
        assert_eq!(err.offset().to_string(), row[1], "{}: {err}", row[0]);
        checked += 1;
    }
    common::at_least("cpe-invalid.tsv", checked, 12); // its 12 data rows
}

#[test]
fn cvss_score_vectors() {
    let mut checked = 0;
    for row in rows("cvss-scores.tsv") {
        let cvss: exposure::score::cvss::Cvss =
            row[0].parse().unwrap_or_else(|e| panic!("{}: {e}", row[0]));
        assert_eq!(
            format!("{:.1}", cvss.score()),
            row[1],
            "{} ({})",
            row[0],
            row[3]
        );
        assert_eq!(cvss.severity().name(), row[2], "{} ({})", row[0], row[3]);
        // The canonical vector reads back to the same scores.
        let again: exposure::score::cvss::Cvss = cvss.to_string().parse().unwrap();
        assert_eq!(again, cvss);
        checked += 1;
    }
    common::at_least("cvss-scores.tsv", checked, 29); // its 29 data rows
}
