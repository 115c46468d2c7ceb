use super::*;
use proptest::prelude::*;
use std::fmt::Write as _;

fn v(scheme: Scheme, s: &str) -> Version {
    Version::parse(scheme, s).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn semver_precedence_follows_spec_example() {
    // SemVer 2.0.0 §11.4's own chain.
    let chain = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
    ];
    for pair in chain.windows(2) {
        assert!(
            v(Scheme::Semver, pair[0]) < v(Scheme::Semver, pair[1]),
            "{} < {}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn semver_ignores_build_metadata_for_order_and_equality() {
    assert_eq!(
        v(Scheme::Golang, "v3.2.0+incompatible"),
        v(Scheme::Golang, "3.2.0")
    );
}

#[test]
fn go_pseudo_versions_order_before_their_base_release() {
    let pseudo = v(Scheme::Golang, "v0.3.5-0.20201125200606-c27b9fd57aec");
    assert!(pseudo < v(Scheme::Golang, "0.3.5"));
    assert!(pseudo > v(Scheme::Golang, "0.3.4"));
}

#[test]
fn strict_schemes_reject_prefixes_and_leading_zeros() {
    assert!(Version::parse(Scheme::Cargo, "v1.0.0").is_err());
    assert!(Version::parse(Scheme::Npm, "v1.0.0").is_ok());
    let err = Version::parse(Scheme::Semver, "1.02.0").unwrap_err();
    assert_eq!(err.kind(), &VersionErrorKind::LeadingZero);
    assert_eq!(err.offset(), 2);
    let err = Version::parse(Scheme::Semver, "1.0.0-01").unwrap_err();
    assert_eq!(err.kind(), &VersionErrorKind::LeadingZero);
    assert!(matches!(
        Version::parse(Scheme::Semver, "1.0").unwrap_err().kind(),
        VersionErrorKind::UnexpectedEnd
    ));
    assert!(matches!(
        Version::parse(Scheme::Semver, "  ").unwrap_err().kind(),
        VersionErrorKind::Empty
    ));
}

#[test]
fn pep440_ordering_matches_packaging() {
    // The ordering example of PEP 440's "Summary of permitted suffixes and relative ordering".
    let chain = [
        "1.dev0",
        "1.0.dev456",
        "1.0a1",
        "1.0a2.dev456",
        "1.0a12.dev456",
        "1.0a12",
        "1.0b1.dev456",
        "1.0b2",
        "1.0b2.post345.dev456",
        "1.0b2.post345",
        "1.0rc1.dev456",
        "1.0rc1",
        "1.0",
        "1.0+abc.5",
        "1.0+abc.7",
        "1.0+5",
        "1.0.post456.dev34",
        "1.0.post456",
        "1.0.15",
        "1.1.dev1",
    ];
    for pair in chain.windows(2) {
        assert!(
            v(Scheme::Pypi, pair[0]) < v(Scheme::Pypi, pair[1]),
            "{} < {}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn pep440_normalises_spellings() {
    for (raw, normal) in [
        ("1.0-1", "1.0.post1"),
        ("1.0.POST", "1.0.post0"),
        ("1.0-r4", "1.0.post4"),
        ("1.0c3", "1.0rc3"),
        ("1.0preview2", "1.0rc2"),
        ("1!2.0_alpha", "1!2.0a0"),
        ("1.0-dev", "1.0.dev0"),
        ("1.0+Ubuntu-1", "1.0+ubuntu.1"),
        (" v2.31.0 ", "2.31.0"),
    ] {
        let parsed = Pep440Version::parse(raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.to_string(), normal, "{raw}");
        assert_eq!(Pep440Version::parse(normal).ok(), Some(parsed));
    }
}

#[test]
fn pep440_rejects_garbage_with_offset() {
    for (bad, offset) in [
        ("1.0/2", 3),
        ("1.0.", 3),
        ("1.0+", 4),
        ("abc", 0),
        ("1.0a1b2", 5),
        ("1.0-", 3),
    ] {
        let err = Version::parse(Scheme::Pypi, bad).unwrap_err();
        assert_eq!(err.offset(), offset, "{bad}: {err}");
    }
}

#[test]
fn cross_scheme_comparison_is_an_error() {
    let a = v(Scheme::Npm, "1.0.0");
    let b = v(Scheme::Cargo, "1.0.0");
    assert_eq!(
        a.try_cmp(&b),
        Err(CompareError {
            left: Scheme::Npm,
            right: Scheme::Cargo
        })
    );
    assert_ne!(a, b);
    assert_eq!(a.partial_cmp(&b), None);
}

fn semver_text() -> impl Strategy<Value = String> {
    let ident = prop_oneof![
        (0u32..30).prop_map(|n| n.to_string()),
        "[a-z][a-z0-9-]{0,4}".prop_map(|s| s),
    ];
    (
        0u64..4,
        0u64..4,
        0u64..4,
        prop::collection::vec(ident, 0..3),
        prop::option::of("[a-z0-9]{1,3}"),
    )
        .prop_map(|(a, b, c, pre, build)| {
            let mut s = format!("{a}.{b}.{c}");
            if !pre.is_empty() {
                s.push('-');
                s.push_str(&pre.join("."));
            }
            if let Some(build) = build {
                s.push('+');
                s.push_str(&build);
            }
            s
        })
}

fn pep440_text() -> impl Strategy<Value = String> {
    (
        prop::option::of(0u64..3),
        prop::collection::vec(0u64..4, 1..4),
        prop::option::of((
            prop::sample::select(vec!["a", "b", "rc", "alpha", "c"]),
            0u64..3,
        )),
        prop::option::of(0u64..3),
        prop::option::of(0u64..3),
        prop::option::of(prop::collection::vec(
            prop_oneof!["[a-z]{1,3}", "[0-9]{1,2}"],
            1..3,
        )),
    )
        .prop_map(|(epoch, release, pre, post, dev, local)| {
            let mut s = String::new();
            if let Some(e) = epoch {
                let _ = write!(s, "{e}!");
            }
            s.push_str(
                &release
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join("."),
            );
            if let Some((kind, n)) = pre {
                let _ = write!(s, "{kind}{n}");
            }
            if let Some(n) = post {
                let _ = write!(s, ".post{n}");
            }
            if let Some(n) = dev {
                let _ = write!(s, ".dev{n}");
            }
            if let Some(local) = local {
                s.push('+');
                s.push_str(&local.join("."));
            }
            s
        })
}

fn check_order_laws(a: &Version, b: &Version, c: &Version) {
    use std::collections::hash_map::DefaultHasher;
    let ab = a.try_cmp(b).unwrap();
    assert_eq!(ab, b.try_cmp(a).unwrap().reverse(), "antisymmetry");
    let bc = b.try_cmp(c).unwrap();
    if ab == bc {
        assert_eq!(a.try_cmp(c).unwrap(), ab, "transitivity");
    }
    if ab.is_eq() {
        let hash = |v: &Version| {
            let mut h = DefaultHasher::new();
            v.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(a), hash(b), "equal versions hash alike");
    }
}

proptest! {
    #[test]
    fn semver_order_is_total_and_consistent(a in semver_text(), b in semver_text(), c in semver_text()) {
        let (a, b, c) = (v(Scheme::Semver, &a), v(Scheme::Semver, &b), v(Scheme::Semver, &c));
        check_order_laws(&a, &b, &c);
    }

    #[test]
    fn semver_display_round_trips(text in semver_text()) {
        let parsed = SemanticVersion::parse(Scheme::Semver, &text).unwrap();
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn pep440_order_is_total_and_consistent(a in pep440_text(), b in pep440_text(), c in pep440_text()) {
        let (a, b, c) = (v(Scheme::Pypi, &a), v(Scheme::Pypi, &b), v(Scheme::Pypi, &c));
        check_order_laws(&a, &b, &c);
    }

    #[test]
    fn pep440_normal_form_round_trips(text in pep440_text()) {
        let parsed = Pep440Version::parse(&text).unwrap();
        let again = Pep440Version::parse(&parsed.to_string()).unwrap();
        prop_assert_eq!(again.to_string(), parsed.to_string());
        prop_assert_eq!(again, parsed);
    }

    #[test]
    fn parsers_never_panic(text in "\\PC{0,24}") {
        for scheme in Scheme::ALL {
            let _ = Version::parse(scheme, &text);
        }
    }
}

#[test]
fn error_offsets_never_pass_the_input() {
    // Found by the version_parse fuzz target (fuzz/regressions/version_parse/).
    for scheme in Scheme::ALL {
        for text in ["9393", " 1", "1.", "1.0-", "v", "1:", "x"] {
            if let Err(e) = Version::parse(scheme, text) {
                assert!(
                    e.offset() <= text.len(),
                    "{scheme} {text:?}: offset {}",
                    e.offset()
                );
            }
        }
    }
}

/// Maven 3.8.7 cases settled with the oracle (`java -cp maven-artifact-3.8.7.jar
/// org.apache.maven.artifact.versioning.ComparableVersion A B`).
#[test]
fn maven_387_oracle_cases() {
    let m = |s| v(Scheme::Maven, s);
    // MNG-7644: a qualifier after `.` opens a sub-list like `-`.
    assert!(m("1.5.9.RC1") > m("1.5.9-RC0"));
    assert!(m("10.a-beta.final") < m("10.SNAPSHOT"));
    assert!(m("2.9.0-1") > m("2.9.0.RC1"));
    // MNG-6964: a list compared with nothing looks at every item.
    assert!(m("0release") < m("0-release.2-Final"));
    assert!(m("11") < m("11-Final.a.release9"));
    // 3.8.7 keeps `1-1 > 1-ga-1` (Maven 3.9 makes them equal).
    assert!(m("1-1") > m("1-ga-1"));
}

/// PEP 440 spellings `packaging` accepts: a separator without a number, and words that run
/// into each other (`postdev`, `betadev`).
#[test]
fn pep440_packaging_oracle_spellings() {
    for (raw, normal) in [
        ("1b-", "1b0"),
        ("0.11postdev0", "0.11.post0.dev0"),
        ("2023betadev0", "2023b0.dev0"),
        ("10-post1", "10.post1"),
    ] {
        assert_eq!(
            Pep440Version::parse(raw).map(|p| p.to_string()),
            Ok(normal.to_owned()),
            "{raw}"
        );
    }
}

/// Strings from an alphabet rich in every scheme's separators and words, so that generated
/// inputs parse under each scheme often enough to exercise its order.
fn any_version_text() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        "[0-9]{1,3}",
        Just(".".to_owned()),
        Just("-".to_owned()),
        Just("_".to_owned()),
        Just("+".to_owned()),
        Just("~".to_owned()),
        Just("^".to_owned()),
        Just(":".to_owned()),
        prop::sample::select(vec![
            "a", "b", "rc", "alpha", "beta", "pre", "dev", "post", "r", "p", "sp", "ga", "final",
            "SNAPSHOT", "git", "z"
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(atom, 1..8).prop_map(|parts| parts.concat())
}

proptest! {
    // 2000 cases by default; PROPTEST_CASES=<n> for more.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000), ..ProptestConfig::default() })]

    /// Antisymmetry, transitivity and hash consistency for every scheme, on whatever the
    /// generator produces that the scheme accepts.
    #[test]
    fn every_scheme_orders_totally(a in any_version_text(), b in any_version_text(), c in any_version_text()) {
        for scheme in Scheme::ALL {
            let parsed: Vec<Version> = [&a, &b, &c].iter().filter_map(|t| Version::parse(scheme, t).ok()).collect();
            // The batch comparison from text answers as parsing both and comparing, or
            // fails as the first parse that fails.
            let by_parse = Version::parse(scheme, &a).and_then(|x| {
                let y = Version::parse(scheme, &b)?;
                Ok(x.try_cmp(&y).expect("one scheme"))
            });
            prop_assert_eq!(Version::compare_texts(scheme, &a, &b).map_err(|e| e.to_string()), by_parse.map_err(|e| e.to_string()));
            if let [x, y, z] = &parsed[..] {
                check_order_laws(x, y, z);
                // Reflexivity, and a version re-parsed from its text is the same version.
                prop_assert_eq!(x.try_cmp(x), Ok(std::cmp::Ordering::Equal));
                let again = Version::parse(scheme, &x.to_string());
                prop_assert_eq!(again.as_ref().ok(), Some(x));
            }
        }
    }
}

/// Orders that must be total although the native tool's is not; each case a cycle the
/// native tool produces, recorded with the tool's own answers.
#[test]
fn intransitive_native_orders_are_made_total() {
    // Conan compares a number and text as texts: 9 > 6a, 6a > 10, 10 > 9 (a cycle). Text
    // with a leading number sorts by it: 6a < 9 < 10, and still 1a < 20 as Conan has it.
    let c = |s| v(Scheme::Conan, s);
    assert!(c("6a") < c("9") && c("9") < c("10") && c("6a") < c("10"));
    assert!(c("1.1a") < c("1.20"));
    // pacman's vercmp: 0 > _, _ > _a, 0 < _a; Maven 3.8.7: .rc0 > _, _ > ., . > .rc0.
    // Versions of these ecosystems start with a letter or digit; we reject the others.
    for (scheme, text) in [
        (Scheme::Alpm, "_"),
        (Scheme::Alpm, "_a"),
        (Scheme::Maven, ".rc0"),
        (Scheme::Maven, "_"),
        (Scheme::Composer, "."),
    ] {
        assert!(Version::parse(scheme, text).is_err(), "{scheme} {text:?}");
    }
}

/// A parsed version stays small, whatever its scheme: parts live inline up to a few, so a
/// knowledge base of millions of range bounds does not grow with new schemes.
#[test]
fn a_version_takes_at_most_160_bytes() {
    assert!(std::mem::size_of::<Version>() <= 160);
}
