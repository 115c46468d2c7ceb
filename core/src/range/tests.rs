use super::*;
use proptest::prelude::*;

fn v(scheme: Scheme, s: &str) -> Version {
    Version::parse(scheme, s).unwrap_or_else(|e| panic!("{e}"))
}

fn intro(s: &str) -> OsvEvent {
    OsvEvent::Introduced(s.into())
}
fn fixed(s: &str) -> OsvEvent {
    OsvEvent::Fixed(s.into())
}

#[test]
fn last_affected_is_inclusive_and_fixed_exclusive() {
    let range = Range::from_osv_events(
        Scheme::Semver,
        &[intro("1.0.0"), OsvEvent::LastAffected("1.2.0".into())],
    )
    .unwrap();
    assert!(range.contains(&v(Scheme::Semver, "1.2.0")));
    assert!(!range.contains(&v(Scheme::Semver, "1.2.1")));
    assert!(!range.contains(&v(Scheme::Semver, "0.9.9")));
    assert_eq!(range.to_string(), "vers:semver/>=1.0.0|<=1.2.0");
}

#[test]
fn several_introduced_make_several_intervals() {
    // GO-2025-4188 (logrus): three affected windows.
    let events = [
        intro("0"),
        fixed("1.8.3"),
        intro("1.9.0"),
        fixed("1.9.1"),
        intro("1.9.2"),
        fixed("1.9.3"),
    ];
    let range = Range::from_osv_events(Scheme::Golang, &events).unwrap();
    assert_eq!(range.intervals().len(), 3);
    for (version, inside) in [
        ("v1.7.0", true),
        ("1.8.3", false),
        ("1.9.0", true),
        ("1.9.1", false),
        ("1.9.2", true),
        ("1.9.3", false),
    ] {
        assert_eq!(
            range.contains(&v(Scheme::Golang, version)),
            inside,
            "{version}"
        );
    }
}

#[test]
fn open_ended_and_limit() {
    let range = Range::from_osv_events(Scheme::Npm, &[intro("2.0.0")]).unwrap();
    assert!(range.contains(&v(Scheme::Npm, "99.0.0")));
    assert_eq!(range.to_string(), "vers:npm/>=2.0.0");
    let capped = Range::from_osv_events(
        Scheme::Npm,
        &[intro("2.0.0"), OsvEvent::Limit("3.0.0".into())],
    )
    .unwrap();
    assert!(!capped.contains(&v(Scheme::Npm, "3.0.0")));
    assert!(capped.contains(&v(Scheme::Npm, "2.9.9")));
}

#[test]
fn prerelease_inside_range_is_affected() {
    // Vulnerability semantics: no pre-release policy filters a version out.
    let range = Range::from_osv_events(Scheme::Npm, &[intro("0"), fixed("2.0.0")]).unwrap();
    assert!(range.contains(&v(Scheme::Npm, "2.0.0-rc.1")));
}

#[test]
fn bad_event_version_names_the_event() {
    let err =
        Range::from_osv_events(Scheme::Pypi, &[intro("0"), fixed("not a version")]).unwrap_err();
    assert!(
        matches!(
            err,
            RangeError::BadEventVersion {
                index: 1,
                field: "fixed",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        Range::from_osv_events(Scheme::Pypi, &[fixed("1.0")]),
        Err(RangeError::NoIntroduced)
    );
}

proptest! {
    /// The interval model agrees with the OSV specification's own evaluation loop over
    /// sorted events.
    #[test]
    fn intervals_agree_with_the_osv_walk(
        points in prop::collection::vec((0u64..6, 0u8..3), 1..6),
        probe in 0u64..7,
    ) {
        let mut events = vec![intro("0")];
        for (n, kind) in &points {
            let text = format!("{n}.0.0");
            events.push(match kind { 0 => intro(&text), 1 => fixed(&text), _ => OsvEvent::LastAffected(text) });
        }
        let range = Range::from_osv_events(Scheme::Semver, &events).unwrap();
        let version = v(Scheme::Semver, &format!("{probe}.0.0"));
        // Reference: the loop from the OSV schema's "evaluation" section.
        let mut sorted: Vec<(Option<Version>, &OsvEvent)> = events.iter()
            .map(|e| (if e.version() == "0" { None } else { Some(v(Scheme::Semver, e.version())) }, e))
            .collect();
        sorted.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
        let mut vulnerable = false;
        for (at, event) in sorted {
            match event {
                OsvEvent::Introduced(_) => if at.as_ref().is_none_or(|at| version >= *at) { vulnerable = true },
                OsvEvent::Fixed(_) => if at.as_ref().is_some_and(|at| version >= *at) { vulnerable = false },
                OsvEvent::LastAffected(_) => if at.as_ref().is_some_and(|at| version > *at) { vulnerable = false },
                OsvEvent::Limit(_) => {}
            }
        }
        prop_assert_eq!(range.contains(&version), vulnerable, "{} in {}", version, range);
    }
}

fn semver_of(n: u64) -> Version {
    v(
        Scheme::Semver,
        &format!("{}.{}.{}", n / 9, (n / 3) % 3, n % 3),
    )
}

/// A random range over a small version space, built from random intervals.
fn any_range() -> impl Strategy<Value = Range> {
    let bound = prop::option::of((0u64..27, any::<bool>()));
    prop::collection::vec((bound.clone(), bound), 0..4).prop_map(|raw| {
        let intervals = raw
            .into_iter()
            .map(|(lo, hi)| Interval {
                lower: lo.map(|(n, inclusive)| Bound {
                    version: semver_of(n),
                    inclusive,
                }),
                upper: hi.map(|(n, inclusive)| Bound {
                    version: semver_of(n),
                    inclusive,
                }),
            })
            .collect();
        Range::from_intervals(Scheme::Semver, intervals).unwrap()
    })
}

proptest! {
    /// Set algebra agrees with membership, point by point.
    #[test]
    fn algebra_matches_membership(a in any_range(), b in any_range(), probe in 0u64..28) {
        let x = semver_of(probe);
        let (ina, inb) = (a.contains(&x), b.contains(&x));
        prop_assert_eq!(a.union(&b).unwrap().contains(&x), ina || inb);
        prop_assert_eq!(a.intersection(&b).unwrap().contains(&x), ina && inb);
        prop_assert_eq!(a.complement().contains(&x), !ina);
        // De Morgan and double complement hold as sets, not only at the probe.
        prop_assert_eq!(a.union(&b).unwrap().complement(), a.complement().intersection(&b.complement()).unwrap());
        prop_assert_eq!(a.complement().complement(), a.clone());
        prop_assert!(a.union(&b).unwrap().includes(&a).unwrap());
    }

    /// The canonical `vers:` text of any range parses back to the same set.
    #[test]
    fn vers_text_round_trips(a in any_range()) {
        let text = a.to_string();
        let again = if text == "vers:none/*" { Range::none(Scheme::Semver) } else { Vers::parse(&text).unwrap().to_range().unwrap() };
        prop_assert_eq!(again, a, "{}", text);
    }

    /// A `Vers` displays canonically and re-parses to the same constraints; the canonical
    /// form is also accepted by the strict parser.
    #[test]
    fn vers_constraints_round_trip(points in prop::collection::btree_set(0u64..27, 1..6), ops in prop::collection::vec(0usize..6, 6)) {
        let symbols = ["", "!=", "<", "<=", ">", ">="];
        let body: Vec<String> = points.iter().zip(&ops).map(|(n, o)| format!("{}{}", symbols[*o], semver_of(*n))).collect();
        let vers = Vers::parse(&format!("vers:semver/{}", body.join("|"))).unwrap();
        let text = vers.to_string();
        prop_assert_eq!(Vers::parse(&text).unwrap(), vers.clone());
        prop_assert_eq!(Vers::parse_canonical(&text).unwrap(), vers);
    }
}

#[test]
fn vers_prefix_check_does_not_split_characters() {
    // Found by the range_parse fuzz target: a multi-byte character across byte 5.
    assert!(crate::range::parse_range(Scheme::Npm, "  '\u{30a}").is_err());
    assert!(crate::range::parse_range(Scheme::Npm, "vers\u{e9}").is_err());
}

#[test]
fn only_unequal_constraints_mean_everything_else() {
    // Found by the range_parse fuzz target: the text of "all but v" is `!=v`.
    let r = Vers::parse("vers:npm/!=1.0.0|!=2.0.0")
        .unwrap()
        .to_range()
        .unwrap();
    assert!(r.contains(&v(Scheme::Npm, "1.5.0")));
    assert!(!r.contains(&v(Scheme::Npm, "2.0.0")));
    assert_eq!(r.to_string(), "vers:npm/!=1.0.0|!=2.0.0");
}
