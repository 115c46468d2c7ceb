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

/// A random range over Maven versions `1.n`, each written `1.n` or `1.n.0` (equal versions
/// of different texts, so that which text a bound keeps shows).
fn any_maven_range() -> impl Strategy<Value = Range> {
    let bound = prop::option::of((0u64..8, any::<bool>(), any::<bool>()));
    prop::collection::vec((bound.clone(), bound), 0..4).prop_map(|raw| {
        let end = |(n, long, inclusive): (u64, bool, bool)| Bound {
            version: v(
                Scheme::Maven,
                &format!("1.{n}{}", if long { ".0" } else { "" }),
            ),
            inclusive,
        };
        let intervals = raw
            .into_iter()
            .map(|(lo, hi)| Interval {
                lower: lo.map(end),
                upper: hi.map(end),
            })
            .collect();
        Range::from_intervals(Scheme::Maven, intervals).unwrap()
    })
}

/// The intersection as it was computed before `Range::intersection_of`: every pair of
/// intervals, the later lower end and the earlier upper end (the first range's on a tie).
fn pairwise_intersection(a: &Range, b: &Range) -> Range {
    let place = |x: &Bound, y: &Bound, inclusive_first: bool| {
        let inclusive = |b: &Bound| b.inclusive == inclusive_first;
        x.version
            .try_cmp(&y.version)
            .unwrap()
            .then_with(|| inclusive(y).cmp(&inclusive(x)))
    };
    let mut out = Vec::new();
    for x in a.intervals() {
        for y in b.intervals() {
            let lower = match (&x.lower, &y.lower) {
                (Some(l), Some(r)) if place(l, r, true).is_lt() => y.lower.clone(),
                (None, Some(_)) => y.lower.clone(),
                _ => x.lower.clone(),
            };
            let upper = match (&x.upper, &y.upper) {
                (Some(l), Some(r)) if place(l, r, false).is_gt() => y.upper.clone(),
                (None, Some(_)) => y.upper.clone(),
                _ => x.upper.clone(),
            };
            out.push(Interval { lower, upper });
        }
    }
    Range::from_intervals(a.scheme(), out).unwrap()
}

proptest! {
    /// Intersecting many ranges in one sweep gives what intersecting them one after the other
    /// gave: the same set, with the same version texts at its ends.
    #[test]
    fn one_sweep_intersects_as_pairs_did(ranges in prop::collection::vec(any_maven_range(), 0..5)) {
        let swept = Range::intersection_of(Scheme::Maven, &ranges).unwrap();
        let folded = ranges
            .iter()
            .fold(Range::all(Scheme::Maven), |acc, r| pairwise_intersection(&acc, r));
        prop_assert_eq!(swept.to_string(), folded.to_string());
        prop_assert_eq!(swept, folded);
    }
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

/// A `vers:` error's kind and offset, after checking that it keeps the input.
fn vers_err(text: &str, strict: bool) -> (VersErrorKind, usize) {
    let e = if strict {
        Vers::parse_canonical(text)
    } else {
        Vers::parse(text)
    }
    .unwrap_err();
    assert_eq!(e.input(), text);
    (e.kind().clone(), e.offset())
}

#[test]
fn vers_errors_carry_kind_input_and_offset() {
    use VersErrorKind::{NonCanonical, Syntax};
    let unknown = VersErrorKind::UnknownScheme {
        scheme: "cobol".into(),
    };
    for (text, kind, offset) in [
        ("npm/1.0", Syntax("missing \"vers:\""), 0),
        ("vers:npm", Syntax("missing \"/\" after the scheme"), 8),
        (
            "VERS:npm/1.0",
            NonCanonical("the URI scheme must be lower-case \"vers\""),
            0,
        ),
        ("vers:cobol/1.0", unknown, 5),
        ("vers:npm/", Syntax("no constraints"), 9),
        ("vers:npm/||", Syntax("no constraints"), 9),
        (
            "vers:all/1.0",
            Syntax("vers:all and vers:none take only \"*\""),
            9,
        ),
        ("vers:npm/>=1.0.0|*", Syntax("\"*\" must stand alone"), 17),
        ("vers:npm/1.0.0|>=", Syntax("empty version"), 17),
        (
            "vers:npm/1.0.0%zz",
            NonCanonical("invalid percent-encoding in version"),
            14,
        ),
    ] {
        assert_eq!(vers_err(text, false), (kind, offset), "{text:?}");
    }
    // A bad version: where it starts plus its own offset, through spaces the lenient parser
    // removes and escapes it decodes.
    let (kind, offset) = vers_err("vers:npm/ >= 1.0.0 | < 2.x.0", false);
    let VersErrorKind::Version { index: 1, source } = kind else {
        panic!("{kind:?}")
    };
    assert_eq!((source.input(), source.offset()), ("2.x.0", 2));
    assert_eq!(offset, 25); // the `x`
    let (kind, offset) = vers_err("vers:pypi/1%2E0/x", false);
    assert!(matches!(kind, VersErrorKind::Version { index: 0, .. }));
    assert_eq!(offset, 15); // the `/`, after `%2E`
}

#[test]
fn strict_vers_errors_point_at_what_is_not_canonical() {
    for (text, problem, offset) in [
        ("vers:npm/1.0.0 ", "whitespace is not permitted", 14),
        (
            "vers:nPm/1.0.0",
            "the versioning scheme must be lower-case",
            6,
        ),
        ("vers:npm/|1.0.0", "leading pipe is not permitted", 9),
        ("vers:npm/1.0.0|", "trailing pipe is not permitted", 14),
        (
            "vers:npm/1.0.0||2.0.0",
            "consecutive pipes are not permitted",
            14,
        ),
        (
            "vers:npm/=1.0.0",
            "the = comparator is implied and not written",
            9,
        ),
        (
            "vers:datetime/2020-01-01t00:00:00Z",
            "datetime must use uppercase T and Z",
            24,
        ),
        (
            "vers:npm/1.0.0%2B1",
            "percent-encoding in version is not canonical",
            9,
        ),
        (
            "vers:npm/1.0.0|>=3.0.0|<2.0.0",
            "constraints are not sorted by version",
            23,
        ),
    ] {
        let expected = (VersErrorKind::NonCanonical(problem), offset);
        assert_eq!(vers_err(text, true), expected, "{text:?}");
    }
    assert_eq!(
        Vers::parse_canonical("vers:npm/1.0.0|")
            .unwrap_err()
            .to_string(),
        "invalid vers string \"vers:npm/1.0.0|\": not canonical: trailing pipe is not permitted at byte 14"
    );
}

/// A range error's kind and offset, after checking that it keeps the input.
fn range_err(scheme: Scheme, text: &str) -> (RangeSyntaxErrorKind, Option<usize>) {
    let e = parse_range(scheme, text).unwrap_err();
    assert_eq!((e.input(), e.scheme()), (text, scheme));
    (e.kind().clone(), e.offset())
}

/// The version error inside a range error, and the offset of the range error.
fn range_version_err(scheme: Scheme, text: &str) -> (VersionError, Option<usize>) {
    match range_err(scheme, text) {
        (RangeSyntaxErrorKind::Version(e), offset) => (e, offset),
        (RangeSyntaxErrorKind::Vers(VersErrorKind::Version { source, .. }), offset) => {
            (source, offset)
        }
        other => panic!("{scheme} {text:?}: {other:?}"),
    }
}

#[test]
fn range_syntax_errors_carry_kind_input_and_offset() {
    for (scheme, text, message, offset) in [
        (Scheme::Npm, ">=1.2.3 <1.x.y", "bad patch", 8),
        (
            Scheme::Pypi,
            ">=1.0,, <2",
            "a specifier starts with ~= == != <= >= < > or ===",
            6,
        ),
        (
            Scheme::Maven,
            "[1.0, 2.0) x",
            "expected , between intervals",
            11,
        ),
        (Scheme::Nuget, " [1.0 , 2.0", "unclosed interval", 1),
        (Scheme::Gem, "~> 2.0, , < 3", "empty requirement", 7),
        (
            Scheme::Cargo,
            ">=1.0, <1.x.y-pre",
            "a pre-release needs major.minor.patch",
            8,
        ),
        (Scheme::Composer, "^1.0 || ", "empty alternative", 7),
        (Scheme::Composer, "^1.0 || >= ", "missing version", 8),
        (Scheme::Deb, "  ", "empty range", 0),
    ] {
        let expected = (
            RangeSyntaxErrorKind::Syntax(message.to_owned()),
            Some(offset),
        );
        assert_eq!(range_err(scheme, text), expected, "{scheme} {text:?}");
    }
    assert_eq!(
        range_err(Scheme::Deb, "vers:deb/"),
        (
            RangeSyntaxErrorKind::Vers(VersErrorKind::Syntax("no constraints")),
            Some(9)
        )
    );
}

#[test]
fn a_bad_version_in_a_range_is_at_its_place_plus_its_own_offset() {
    // Versions written in the range: where they start plus the version error's offset.
    let cases = [
        (Scheme::Pypi, ">=1.0, <2.0/x", 11),
        (Scheme::Nuget, "[1.0, 2.0/x)", 9),
        (Scheme::Nuget, " 1.0 /x", 5),
        (Scheme::Gem, "~> 2.0, >= 1.0/x", 14),
        (Scheme::Composer, "^1.0 || <=abc", 10),
        (Scheme::Composer, "abc - 2.0", 0),
        (Scheme::Deb, ">= 1.0, << 2.0", 9),
        (Scheme::Deb, "  vers:deb/>=1.0|<<2.0", 18),
        (Scheme::Npm, "vers:pypi/>=1.0|<2.0/x", 20),
    ];
    for (scheme, text, offset) in cases {
        let (e, at) = range_version_err(scheme, text);
        assert_eq!(at, Some(offset), "{scheme} {text:?}: {e}");
        assert!(
            text[offset..].starts_with(&e.input()[e.offset()..=e.offset()]),
            "{scheme} {text:?}: {e}"
        );
    }
    // Bounds a range implies: where the comparator that implies them starts.
    let max = u64::MAX;
    for (scheme, text, offset) in [
        (Scheme::Npm, format!("^1.2.3 || ~{max}"), 10),
        (Scheme::Cargo, format!(">=1.0, ^{max}"), 7),
        (Scheme::Npm, format!("1.0.0 - {max}"), 0),
    ] {
        let (e, at) = range_version_err(scheme, &text);
        assert_eq!(at, Some(offset), "{scheme} {text:?}: {e}");
        assert_eq!(e.kind(), &crate::version::VersionErrorKind::NumberTooLarge);
    }
}

#[test]
fn range_error_messages_name_the_input_and_the_offset() {
    let e = parse_range(Scheme::Npm, ">=1.2.3 <1.x.y").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid npm range \">=1.2.3 <1.x.y\": bad patch at byte 8"
    );
    let e = parse_range(Scheme::Npm, " vers:cobol/1").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid vers string \" vers:cobol/1\": unknown versioning scheme \"cobol\" at byte 6"
    );
    assert_eq!(
        std::mem::size_of::<Result<Range, RangeSyntaxError>>(),
        std::mem::size_of::<Range>()
    );
}

proptest! {
    /// Range-like text with multi-byte characters in every scheme: an error keeps the input,
    /// and its offset is a character boundary within it.
    #[test]
    fn range_error_offsets_are_char_boundaries(
        scheme in prop::sample::select(Scheme::ALL.to_vec()),
        text in r"\s?(vers:[a-z]{0,4}/)?[ 0-9.xX*<>=!~^|,()\[\]a-z%\-é€]{0,20}",
    ) {
        if let Err(e) = parse_range(scheme, &text) {
            prop_assert_eq!(e.input(), text.as_str());
            if let Some(offset) = e.offset() {
                prop_assert!(offset <= text.len(), "{e}");
                prop_assert!(text.is_char_boundary(offset), "{e}");
            }
        }
    }

    /// The same for `vers:` strings, leniently and strictly parsed.
    #[test]
    fn vers_error_offsets_are_char_boundaries(
        text in r"\s?(vers|VERS)?:?[a-z]{0,6}/?[ \t0-9.<>=!|*%a-fé€]{0,20}",
        strict in any::<bool>(),
    ) {
        let parsed = if strict { Vers::parse_canonical(&text) } else { Vers::parse(&text) };
        if let Err(e) = parsed {
            prop_assert_eq!(e.input(), text.as_str());
            prop_assert!(e.offset() <= text.len(), "{e}");
            prop_assert!(text.is_char_boundary(e.offset()), "{e}");
        }
    }
}
