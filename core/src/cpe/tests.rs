//! NISTIR 7695 and 7696 examples, written out by us, plus the laws of the bindings.

use super::*;
use proptest::prelude::*;

fn cpe(text: &str) -> Cpe {
    Cpe::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// NISTIR 7695 §6.1.2 and §6.2.2 binding examples (the WFN, its URI and its formatted string).
#[test]
fn nistir_7695_binding_examples() {
    let cases = [
        (
            r#"wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\.0\.6001",update="beta",edition=ANY]"#,
            "cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
            "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
        ),
        (
            r#"wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\.*",update="sp?"]"#,
            "cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
            "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
        ),
        (
            r#"wfn:[part="a",vendor="hp",product="insight_diagnostics",version="7\.4\.0\.1570",update=NA,sw_edition="online",target_sw="win2003",target_hw="x64"]"#,
            "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~",
            "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
        ),
        (
            r#"wfn:[part="a",vendor="hp",product="openview_network_manager",version="7\.51",target_sw="linux"]"#,
            "cpe:/a:hp:openview_network_manager:7.51::~~~linux~~",
            "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*",
        ),
        (
            r#"wfn:[part="a",vendor="foo\\bar",product="big\$money_2010",sw_edition="special",target_sw="ipod_touch",target_hw="80gb"]"#,
            r"cpe:/a:foo%5cbar:big%24money_2010:::~~special~ipod_touch~80gb~",
            r"cpe:2.3:a:foo\\bar:big\$money_2010:*:*:*:*:special:ipod_touch:80gb:*",
        ),
    ];
    for (wfn, uri, fs) in cases {
        let name = cpe(wfn);
        assert_eq!(name.to_uri(), uri, "{wfn}");
        assert_eq!(name.to_fs(), fs, "{wfn}");
        assert_eq!(cpe(uri), name, "{uri}");
        assert_eq!(cpe(fs), name, "{fs}");
    }
}

/// NISTIR 7695 §6.1.3.2 unbinding examples of URIs, and what the spec rejects.
#[test]
fn nistir_7695_uri_unbinding() {
    let name = cpe("cpe:/a:microsoft:internet_explorer:8.0.6001:beta");
    assert_eq!(
        name.get(Attribute::Version),
        &Value::Text(r"8\.0\.6001".into())
    );
    let name = cpe("cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f");
    assert_eq!(name.get(Attribute::Version), &Value::Text(r"8\.\*".into()));
    assert_eq!(name.get(Attribute::Update), &Value::Text(r"sp\?".into()));
    let name = cpe("cpe:/a:microsoft:internet_explorer:8.%02:sp%01");
    assert_eq!(name.get(Attribute::Version), &Value::Text(r"8\.*".into()));
    assert_eq!(name.get(Attribute::Update), &Value::Text("sp?".into()));
    let name = cpe("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~");
    assert_eq!(name.get(Attribute::TargetHw), &Value::Text("x64".into()));
    assert_eq!(name.get(Attribute::Edition), &Value::Any);
    let name = cpe("cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~");
    assert_eq!(name.get(Attribute::Update), &Value::Na);
    // An embedded %01 and a %02 that is not at an end are errors.
    let err = Cpe::parse("cpe:/a:foo:bar:12.%02.1234").unwrap_err();
    assert_eq!(err.kind(), &CpeErrorKind::EmbeddedAsterisk);
    assert_eq!(err.attribute(), Some(Attribute::Version));
    assert_eq!(err.offset(), 18);
}

/// NISTIR 7695 §6.2.3 formatted-string unbinding, and its errors.
#[test]
fn nistir_7695_fs_unbinding() {
    let name = cpe(r"cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*");
    assert_eq!(
        name.get(Attribute::Version),
        &Value::Text(r"8\.0\.6001".into())
    );
    let name = cpe(r"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*");
    assert_eq!(name.get(Attribute::Version), &Value::Text(r"8\.*".into()));
    let name = cpe(r"cpe:2.3:a:foo\\bar:big\$money:2010:*:*:*:special:ipod_touch:80gb:*");
    assert_eq!(
        name.get(Attribute::Vendor),
        &Value::Text(r"foo\\bar".into())
    );
    assert_eq!(
        name.get(Attribute::Product),
        &Value::Text(r"big\$money".into())
    );
    // Quoted colons are part of a value.
    let name = cpe(r"cpe:2.3:a:vendor:prod\:uct:1:*:*:*:*:*:*:*");
    assert_eq!(
        name.get(Attribute::Product).literal().as_deref(),
        Some("prod:uct")
    );
    for (bad, kind) in [
        (
            "cpe:2.3:a:hp:insight_?diagnostics:8.*:es:*:-:-:x32:*:*",
            CpeErrorKind::EmbeddedQuestionMark,
        ),
        (
            "cpe:2.3:a:hp:insight*diagnostics:8:*:*:*:*:*:*:*",
            CpeErrorKind::EmbeddedAsterisk,
        ),
        ("cpe:2.3:x:hp:insight:8:*:*:*:*:*:*:*", CpeErrorKind::Part),
        ("cpe:2.3:a:hp::8:*:*:*:*:*:*:*", CpeErrorKind::Empty),
    ] {
        assert_eq!(Cpe::parse(bad).unwrap_err().kind(), &kind, "{bad}");
    }
    assert!(matches!(
        Cpe::parse("cpe:2.3:a:hp:insight:8:*:*:*:*:*:*")
            .unwrap_err()
            .kind(),
        CpeErrorKind::ComponentCount {
            found: 10,
            expected: 11
        }
    ));
}

/// The part may be a logical value (NISTIR 7695 Figure 6-3: `part = "h" / "o" / "a" /
/// logical`): `*` is ANY and `-` is NA, in every binding, and both bind back as the `cpe`
/// package binds them (`cpe:/-:microsoft:ie:8.0`, `part=NA`); a quoted `\-` is a string,
/// which is no part.
#[test]
fn logical_parts_parse_and_bind_back() {
    let na = cpe("cpe:2.3:-:microsoft:ie:8.0:*:*:*:*:*:*:*");
    assert_eq!(na.get(Attribute::Part), &Value::Na);
    assert_eq!(na.part(), None);
    assert_eq!(na.to_fs(), "cpe:2.3:-:microsoft:ie:8.0:*:*:*:*:*:*:*");
    assert_eq!(na.to_uri(), "cpe:/-:microsoft:ie:8.0");
    assert!(na
        .to_wfn()
        .starts_with(r#"wfn:[part=NA, vendor="microsoft""#));
    for binding in [na.to_uri(), na.to_wfn()] {
        assert_eq!(cpe(&binding), na, "{binding}");
    }
    let any = cpe("cpe:2.3:*:microsoft:ie:8.0:*:*:*:*:*:*:*");
    assert_eq!(any.get(Attribute::Part), &Value::Any);
    assert_eq!(any.to_fs(), "cpe:2.3:*:microsoft:ie:8.0:*:*:*:*:*:*:*");
    assert_eq!(any.to_uri(), "cpe:/:microsoft:ie:8.0");
    assert!(any.to_wfn().starts_with("wfn:[part=ANY, "));
    for binding in [any.to_uri(), any.to_wfn()] {
        assert_eq!(cpe(&binding), any, "{binding}");
    }
    for bad in [
        r"cpe:2.3:\-:microsoft:ie:8.0:*:*:*:*:*:*:*",
        "cpe:2.3:a*:microsoft:ie:8.0:*:*:*:*:*:*:*",
        "cpe:2.3:x:microsoft:ie:8.0:*:*:*:*:*:*:*",
        "cpe:/%2d:microsoft:ie",
    ] {
        let err = Cpe::parse(bad).unwrap_err();
        assert_eq!(err.kind(), &CpeErrorKind::Part, "{bad}");
        assert_eq!(err.attribute(), Some(Attribute::Part), "{bad}");
    }
}

/// A value that is a literal `-` or `*` is quoted in every binding, so that it does not read
/// back as NA or ANY.
#[test]
fn literal_hyphen_and_asterisk_values_stay_literal() {
    let name = cpe(r"cpe:2.3:a:vendor:product:\-:\*:*:*:*:*:*:*");
    assert_eq!(name.get(Attribute::Version), &Value::Text(r"\-".into()));
    assert_eq!(name.get(Attribute::Update), &Value::Text(r"\*".into()));
    assert_eq!(name.to_fs(), r"cpe:2.3:a:vendor:product:\-:\*:*:*:*:*:*:*");
    assert_eq!(name.to_uri(), "cpe:/a:vendor:product:%2d:%2a");
    assert_eq!(cpe(&name.to_uri()), name);
}

/// NISTIR 7696 Table 6-2 and §6.2 examples.
#[test]
fn nistir_7696_matching() {
    let text = |s: &str| Value::Text(s.into());
    let table = [
        (Value::Any, Value::Any, Relation::Equal),
        (Value::Any, Value::Na, Relation::Superset),
        (Value::Any, text("i"), Relation::Superset),
        (Value::Any, text("m*"), Relation::Undefined),
        (Value::Na, Value::Any, Relation::Subset),
        (Value::Na, Value::Na, Relation::Equal),
        (Value::Na, text("i"), Relation::Disjoint),
        (Value::Na, text("m*"), Relation::Undefined),
        (text("i"), Value::Any, Relation::Subset),
        (text("i"), Value::Na, Relation::Disjoint),
        (text("i"), text("i"), Relation::Equal),
        (text("i"), text("k"), Relation::Disjoint),
        (text("i"), text("m*"), Relation::Undefined),
        (text("m*"), Value::Any, Relation::Subset),
        (text("m*"), Value::Na, Relation::Disjoint),
        (text("m*"), text("mi"), Relation::Superset),
        (text("m*"), text("ki"), Relation::Disjoint),
        (text("m*"), text("m*"), Relation::Undefined),
    ];
    for (source, target, expected) in table {
        assert_eq!(
            compare_values(&source, &target),
            expected,
            "{source:?} vs {target:?}"
        );
    }
    // §6.2 examples.
    let source = cpe(
        r#"wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\.0\.6001",update="beta",edition=ANY]"#,
    );
    let target = cpe(
        r#"wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\.*",update="sp?",edition=NA,language=ANY]"#,
    );
    assert_eq!(source.compare(&target), Relation::Undefined);
    let source = cpe(
        r#"wfn:[part="a",vendor="adobe",product=ANY,version="9\.*",update=ANY,edition="PalmOS",language=ANY]"#,
    );
    let target = cpe(
        r#"wfn:[part="a",vendor="adobe",product="reader",version="9\.3\.2",update=NA,edition=NA,language="en\-us"]"#,
    );
    assert_eq!(source.compare(&target), Relation::Disjoint);
    let source =
        cpe(r#"wfn:[part="a",vendor="adobe",product=ANY,version="9\.*",update=ANY,edition=ANY]"#);
    assert_eq!(source.compare(&target), Relation::Superset);
    assert!(source.matches(&target));
    assert_eq!(target.compare(&source), Relation::Undefined);
}

/// `?` stands for exactly one character, `*` for any number, at either end.
#[test]
fn wildcards_at_the_ends() {
    let text = |s: &str| Value::Text(s.into());
    let rel = |s: &str, t: &str| compare_values(&text(s), &text(t));
    assert_eq!(rel("sp?", "sp1"), Relation::Superset);
    assert_eq!(rel("sp?", "sp12"), Relation::Disjoint);
    assert_eq!(rel("sp??", "sp12"), Relation::Superset);
    assert_eq!(rel("?p1", "sp1"), Relation::Superset);
    assert_eq!(rel("?p1", "xsp1"), Relation::Disjoint);
    assert_eq!(rel("*p1", "xsp1"), Relation::Superset);
    assert_eq!(rel("*p1*", "xsp1y"), Relation::Superset);
    // NISTIR 7696's pseudo-code answers SUPERSET here (it counts the escapes of the
    // matched part twice); one `?` is one character, so DISJOINT (see `compare_strings`).
    assert_eq!(rel(r"1\.0\.?", r"1\.0\.12"), Relation::Disjoint);
    assert_eq!(rel(r"1\.0\.?", r"1\.0\.1"), Relation::Superset);
    assert_eq!(rel(r"9\.*", r"9\.3\.2"), Relation::Superset);
    assert_eq!(rel(r"9\.*", r"19\.3"), Relation::Disjoint);
}

fn any_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_owned()),
        Just("-".to_owned()),
        r"[a-z0-9_]{1,4}",
        r"[a-z0-9]{1,3}[.\-~!$%]{1,2}[a-z0-9]{0,3}",
        r"\*[a-z0-9.]{1,4}",
        r"[a-z0-9.]{1,4}\*",
        r"\?{1,2}[a-z0-9]{1,3}\?{0,2}",
        r"\\[*?:\\][a-z0-9]{0,2}",
    ]
}

fn any_fs() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("a"), Just("o"), Just("h"), Just("*"), Just("-")],
        prop::collection::vec(any_value(), 10),
    )
        .prop_map(|(part, rest)| {
            let mut out = format!("cpe:2.3:{part}");
            for v in rest {
                out.push(':');
                // A formatted string quotes `:` and `\` (and the literal wildcards) itself.
                out.push_str(&v);
            }
            out
        })
}

proptest! {
    /// FS → WFN → FS is the canonical FS; FS → URI → WFN and WFN text → WFN round trip.
    #[test]
    fn bindings_round_trip(fs in any_fs()) {
        if let Ok(name) = Cpe::parse(&fs) {
            prop_assert_eq!(Cpe::parse(&name.to_fs()).unwrap(), name.clone());
            prop_assert_eq!(Cpe::parse(&name.to_wfn()).unwrap(), name.clone());
            prop_assert_eq!(Cpe::parse(&name.to_uri()).unwrap(), name.clone());
            prop_assert_eq!(name.compare(&name), if name.values().iter().any(Value::has_wildcards) {
                Relation::Undefined
            } else {
                Relation::Equal
            });
        }
    }

    /// Relations mirror: a superset one way is a subset the other, equal both ways.
    #[test]
    fn relations_mirror(a in any_fs(), b in any_fs()) {
        if let (Ok(a), Ok(b)) = (Cpe::parse(&a), Cpe::parse(&b)) {
            if !a.values().iter().chain(b.values()).any(Value::has_wildcards) {
                let (ab, ba) = (a.compare(&b), b.compare(&a));
                let mirrored = match ab {
                    Relation::Superset => Relation::Subset,
                    Relation::Subset => Relation::Superset,
                    other => other,
                };
                prop_assert_eq!(ba, mirrored);
            }
        }
    }

    /// No input makes the parser panic.
    #[test]
    fn parse_never_panics(text in r"(cpe:2\.3:|cpe:/|wfn:\[)?[ -~]{0,60}") {
        let _ = Cpe::parse(&text);
    }
}

/// Platform criteria are taken to hold only where a node needs them: an OR of platforms that
/// one of the device's names satisfies takes none, an AND of application and platform takes
/// the platform, and an application criterion (`vulnerable: true`) is never taken.
#[test]
fn platforms_are_assumed_only_where_needed() {
    let statement = Applicability::from_nvd_json(&serde_json::json!({ "nodes": [{
        "operator": "AND", "children": [
            { "operator": "OR", "cpe_match": [{ "vulnerable": true,
              "cpe23Uri": "cpe:2.3:a:mozilla:firefox:*:*:*:*:*:*:*:*", "versionEndExcluding": "57.0" }] },
            { "operator": "OR", "cpe_match": [
              { "vulnerable": false, "cpe23Uri": "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*" },
              { "vulnerable": false, "cpe23Uri": "cpe:2.3:o:apple:mac_os_x:-:*:*:*:*:*:*:*" }] }] }] }))
    .unwrap_or_else(|e| panic!("{e}"));
    let firefox = cpe("cpe:2.3:a:mozilla:firefox:56.0:*:*:*:*:*:*:*");
    let windows = cpe("cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*");
    let on_windows = [firefox.clone(), windows];
    let (matched, assumed) = statement
        .evaluate_assuming_platforms(&on_windows)
        .expect("applies");
    assert!(assumed.is_empty(), "the platform holds: nothing is assumed");
    assert_eq!(matched.len(), 2);
    assert!(statement.evaluate(&on_windows).is_some());

    let alone = [firefox];
    assert!(statement.evaluate(&alone).is_none());
    let (matched, assumed) = statement
        .evaluate_assuming_platforms(&alone)
        .expect("applies on some platform");
    assert_eq!(matched.len(), 1);
    let texts: Vec<&str> = assumed.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*",
            "cpe:2.3:o:apple:mac_os_x:-:*:*:*:*:*:*:*"
        ]
    );

    // A version outside the bounds is not made vulnerable by any platform.
    let fixed = [cpe("cpe:2.3:a:mozilla:firefox:57.0:*:*:*:*:*:*:*")];
    assert!(statement.evaluate_assuming_platforms(&fixed).is_none());
}
