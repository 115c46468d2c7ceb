use super::*;
use crate::exceptions::ExceptionErrorKind as K;

/// A set file with the exceptions given as JSON objects (completed with the fields they
/// leave out).
fn set_of(exceptions: &[&str]) -> String {
    format!(
        r#"{{"format": "exposure-exceptions/1", "exceptions": [{}]}}"#,
        exceptions.join(",")
    )
}

fn one(fields: &str) -> String {
    format!(r#"{{"requester": "alice", "reason": "reviewed", "created": "2026-11-01", {fields}}}"#)
}

fn error_of(text: &str) -> ExceptionError {
    match ExceptionSet::from_text(text, "ex.json") {
        Ok(set) => panic!("accepted: {set:?}"),
        Err(e) => e,
    }
}

#[test]
fn every_error_kind_names_its_exception() {
    let base = r#""scope": {"vulnerability": "CVE-1"}, "justification": "risk_accepted""#;
    // Unknown justification.
    let e = error_of(&set_of(&[&one(
        r#""id": "a", "scope": {"cve": "CVE-1"}, "justification": "cheap""#,
    )]));
    assert_eq!(e.kind(), &K::UnknownJustification("cheap".into()));
    assert_eq!(
        (e.index(), e.id(), e.path()),
        (Some(0), Some("a"), "exceptions[0].justification")
    );
    // Unknown scope kind.
    let e = error_of(&set_of(&[
        &one(&format!(r#""id": "a", {base}"#)),
        &one(r#""id": "b", "scope": {"device": "web-01"}, "justification": "risk_accepted""#),
    ]));
    assert_eq!(e.kind(), &K::UnknownScope("device".into()));
    assert_eq!(
        (e.index(), e.id(), e.path()),
        (Some(1), Some("b"), "exceptions[1].scope.device")
    );
    let e = error_of(&set_of(&[&one(
        r#""id": "c", "scope": {"cve": "CVE-1", "recommendation": "x"}, "justification": "risk_accepted""#,
    )]));
    assert!(matches!(e.kind(), K::UnknownScope(_)), "{e}");
    // Duplicate id.
    let e = error_of(&set_of(&[
        &one(&format!(r#""id": "a", {base}"#)),
        &one(&format!(r#""id": "b", {base}"#)),
        &one(&format!(r#""id": "a", {base}"#)),
    ]));
    assert_eq!(
        e.kind(),
        &K::DuplicateId {
            id: "a".into(),
            first: 0
        }
    );
    assert_eq!((e.index(), e.path()), (Some(2), "exceptions[2].id"));
    assert_eq!(
        e.to_string(),
        "ex.json: exception \"a\" (exceptions[2].id): duplicate id \"a\" (first at exceptions[0])"
    );
    // Expiry before creation.
    let e = error_of(&set_of(&[&one(&format!(
        r#""id": "a", {base}, "expires": "2026-10-31""#
    ))]));
    assert!(matches!(e.kind(), K::ExpiresBeforeCreated { .. }), "{e}");
    assert_eq!(e.path(), "exceptions[0].expires");
    // Expiry on the creation day is fine.
    assert!(ExceptionSet::from_text(
        &set_of(&[&one(&format!(
            r#""id": "a", {base}, "expires": "2026-11-01""#
        ))]),
        "x"
    )
    .is_ok());
    // Bad date.
    let e = error_of(&set_of(&[&one(&format!(
        r#""id": "a", {base}, "expires": "2026-02-30""#
    ))]));
    assert_eq!(e.kind(), &K::BadDate("2026-02-30".into()));
    // Empty id, and a missing one.
    let e = error_of(&set_of(&[&one(&format!(r#""id": "  ", {base}"#))]));
    assert_eq!((e.kind(), e.index(), e.id()), (&K::EmptyId, Some(0), None));
    assert_eq!(
        e.to_string(),
        "ex.json: exception #0 (exceptions[0].id): empty id"
    );
    let e = error_of(&set_of(&[&one(base)]));
    assert_eq!((e.kind(), e.path()), (&K::Missing, "exceptions[0].id"));
    // Other fields: unknown, wrong type, empty, missing.
    let e = error_of(&set_of(&[&one(&format!(
        r#""id": "a", {base}, "owner": "x""#
    ))]));
    assert_eq!(
        (e.kind(), e.path()),
        (&K::UnknownField, "exceptions[0].owner")
    );
    let e = error_of(&set_of(&[&one(&format!(
        r#""id": "a", {base}, "groups": ["prod", 3]"#
    ))]));
    assert!(
        matches!(
            e.kind(),
            K::WrongType {
                expected: "a string",
                found: "a number"
            }
        ),
        "{e}"
    );
    assert_eq!(e.path(), "exceptions[0].groups[1]");
    let e = error_of(&set_of(&[&one(&format!(
        r#""id": "a", {base}, "groups": [""]"#
    ))]));
    assert_eq!(e.kind(), &K::Empty);
    let e = error_of(&set_of(&[&format!(
        r#"{{"id": "a", {base}, "requester": "r", "reason": "x"}}"#
    )]));
    assert_eq!((e.kind(), e.path()), (&K::Missing, "exceptions[0].created"));
    let e = error_of(&set_of(&[&one(
        r#""id": "a", "scope": {"software": {"cpe": "openssh"}}, "justification": "risk_accepted""#,
    )]));
    assert!(matches!(e.kind(), K::BadProduct(_)), "{e}");
    // The document: format, syntax, YAML depth.
    let e = error_of(r#"{"format": "exposure-exceptions/2", "exceptions": []}"#);
    assert!(matches!(e.kind(), K::Format { .. }), "{e}");
    assert_eq!(e.index(), None);
    let e = error_of(r#"{"exceptions": []}"#);
    assert_eq!(
        e.kind(),
        &K::Format {
            found: "missing".into()
        }
    );
    assert!(matches!(error_of("{broken").kind(), K::Syntax(_)));
    assert!(matches!(error_of("format: [unclosed").kind(), K::Syntax(_)));
    let deep = format!(
        "format: exposure-exceptions/1\nexceptions: {}",
        "[".repeat(100)
    );
    assert!(matches!(
        error_of(&deep).kind(),
        K::TooDeep { limit: 64, .. }
    ));
}

#[test]
fn yaml_and_json_read_the_same_set() {
    let yaml = "format: exposure-exceptions/1
exceptions:
  - id: EXC-1
    scope:
      software: {ecosystem: pypi, name: URLLib3}
    groups: [production, production]
    justification: planned_remediation
    requester: alice@example.com
    reason: upgrade in the January window
    created: 2026-11-01
    expires: 2027-01-31
";
    let json = set_of(&[
        r#"{"id": "EXC-1", "scope": {"software": {"ecosystem": "PyPI", "name": "URLLib3"}},
        "groups": ["production"], "justification": "planned_remediation", "requester": "alice@example.com",
        "reason": "upgrade in the January window", "created": "2026-11-01", "expires": "2027-01-31"}"#,
    ]);
    let a = ExceptionSet::from_text(yaml, "a.yaml").unwrap();
    let b = ExceptionSet::from_text(&json, "b.json").unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a.exceptions()[0].scope,
        Scope::Software(Product::Package {
            ecosystem: Ecosystem::PyPi,
            name: "URLLib3".into()
        })
    );
}

fn engine_with(exceptions: &[&str]) -> crate::Engine {
    let set = ExceptionSet::from_text(&set_of(exceptions), "test").unwrap();
    crate::Engine::demo().with_exceptions(set)
}

fn on(engine: &crate::Engine, day: Option<&str>) -> Assessment {
    engine.assess_as_of(
        &crate::demo::fleet(),
        day.map(|d| d.parse().unwrap()),
        &|_, _| {},
    )
}

use crate::assessment::Assessment;

#[test]
fn removing_justifications_leave_the_scores_and_are_reported() {
    let plain = crate::Engine::demo().assess(&crate::demo::fleet());
    for justification in ["third_party_control", "alternate_mitigation"] {
        let engine = engine_with(&[&one(&format!(
            r#""id": "waf", "scope": {{"cve": "cve-2023-39325"}}, "justification": "{justification}""#
        ))]);
        let a = on(&engine, None);
        assert_eq!(a.findings.len(), plain.findings.len() - 1);
        assert!(a.organisation.score < plain.organisation.score);
        let [s] = a.suppressed.as_slice() else {
            panic!("{:?}", a.suppressed)
        };
        assert_eq!(&*s.finding.advisory_id, "GO-2023-2102");
        assert_eq!(s.exception.as_ref().map(|e| e.id.as_str()), Some("waf"));
        assert!(s.statement.is_none());
        let o = &a.exceptions[0];
        assert_eq!(
            (o.status, o.findings_removed, o.findings_kept),
            (ExceptionStatus::Applied, 1, 0)
        );
        assert_eq!(o.devices, ["api-gw-01"]);
        assert!(a.excepted_recommendations.is_empty());
        // The JSON says it.
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["suppressed"][0]["exception"]["id"], "waf");
        assert_eq!(json["exceptions"][0]["status"], "applied");
    }
}

#[test]
fn hiding_justifications_keep_the_scores_and_move_recommendations() {
    let plain = crate::Engine::demo().assess(&crate::demo::fleet());
    for justification in ["risk_accepted", "planned_remediation", "no_patch_available"] {
        let engine = engine_with(&[&one(&format!(
            r#""id": "lodash", "scope": {{"software": {{"ecosystem": "npm", "name": "lodash"}}}}, "justification": "{justification}""#
        ))]);
        let a = on(&engine, None);
        assert_eq!(a.organisation, plain.organisation);
        assert_eq!(a.findings, plain.findings);
        assert_eq!(a.recommendations.len(), plain.recommendations.len() - 1);
        let ranks: Vec<usize> = a.recommendations.iter().map(|r| r.rank).collect();
        assert_eq!(ranks, (1..=a.recommendations.len()).collect::<Vec<_>>());
        let [x] = a.excepted_recommendations.as_slice() else {
            panic!()
        };
        assert_eq!(
            (x.recommendation.id().as_str(), x.exceptions.as_slice()),
            ("update:npm:lodash", &["lodash".to_owned()][..])
        );
        let o = &a.exceptions[0];
        assert_eq!(
            (o.status, o.findings_removed, o.findings_kept),
            (ExceptionStatus::Applied, 0, 2)
        );
        assert_eq!(o.recommendations_hidden, ["update:npm:lodash"]);
    }
    // One CVE of the two lodash findings: the update still fixes the other, it stays.
    let engine = engine_with(&[&one(
        r#""id": "one", "scope": {"cve": "CVE-2021-23337"}, "justification": "risk_accepted""#,
    )]);
    let a = on(&engine, None);
    assert!(a.excepted_recommendations.is_empty());
    assert_eq!(a.exceptions[0].findings_kept, 1);
    // Both CVEs, two exceptions: together they cover the update, which names both.
    let engine = engine_with(&[
        &one(
            r#""id": "one", "scope": {"cve": "CVE-2021-23337"}, "justification": "risk_accepted""#,
        ),
        &one(
            r#""id": "two", "scope": {"cve": "GHSA-p6mc-m468-83gw"}, "justification": "no_patch_available""#,
        ),
    ]);
    let a = on(&engine, None);
    assert_eq!(a.excepted_recommendations[0].exceptions, ["one", "two"]);
}

#[test]
fn recommendations_are_named_by_id() {
    // A configuration change and an update, hidden by name; an unknown name matches nothing.
    let engine = engine_with(&[
        &one(
            r#""id": "cfg", "scope": {"recommendation": "configuration:gw-http2-disabled"}, "justification": "risk_accepted""#,
        ),
        &one(
            r#""id": "upd", "scope": {"recommendation": "update:PyPI:urllib3"}, "justification": "planned_remediation""#,
        ),
        &one(
            r#""id": "nope", "scope": {"recommendation": "update:npm:left-pad"}, "justification": "risk_accepted""#,
        ),
    ]);
    let a = on(&engine, None);
    let hidden: Vec<String> = a
        .excepted_recommendations
        .iter()
        .map(|x| x.recommendation.id())
        .collect();
    assert_eq!(
        hidden,
        ["configuration:gw-http2-disabled", "update:PyPI:urllib3"]
    );
    let status: Vec<ExceptionStatus> = a.exceptions.iter().map(|o| o.status).collect();
    assert_eq!(
        status,
        [
            ExceptionStatus::Applied,
            ExceptionStatus::Applied,
            ExceptionStatus::NotMatched
        ]
    );
    assert_eq!(a.exceptions[1].devices, ["web-01", "web-02"]);
    // A removing exception naming a recommendation removes the findings it covers.
    let engine = engine_with(&[&one(
        r#""id": "net", "scope": {"recommendation": "update:Go:golang.org/x/net"}, "justification": "alternate_mitigation""#,
    )]);
    let a = on(&engine, None);
    assert_eq!(a.exceptions[0].findings_removed, 2);
    assert!(a
        .recommendations
        .iter()
        .all(|r| r.id() != "update:Go:golang.org/x/net"));
    assert_eq!(a.suppressed.len(), 2);
}

#[test]
fn groups_limit_the_scope() {
    // urllib3 is on web-01 and web-02 (both "web"); only web-01's with a group it alone has.
    let mut fleet = crate::demo::fleet();
    fleet.devices[0].groups.push("pci".into());
    let set = ExceptionSet::from_text(
        &set_of(&[&one(r#""id": "pci", "scope": {"cve": "CVE-2023-45803"}, "groups": ["pci"], "justification": "third_party_control""#)]),
        "t",
    )
    .unwrap();
    let a = crate::Engine::demo()
        .with_exceptions(set.clone())
        .assess(&fleet);
    assert_eq!(a.exceptions[0].devices, ["web-01"]);
    assert_eq!(a.exceptions[0].findings_removed, 1);
    // A group no device is in: in force, matched nothing.
    let set = ExceptionSet::from_text(
        &set_of(&[&one(r#""id": "x", "scope": {"cve": "CVE-2023-45803"}, "groups": ["nobody"], "justification": "third_party_control""#)]),
        "t",
    )
    .unwrap();
    let a = crate::Engine::demo().with_exceptions(set).assess(&fleet);
    assert_eq!(a.exceptions[0].status, ExceptionStatus::NotMatched);
    assert!(a.suppressed.is_empty());
    // Hiding limited to a group: the urllib3 update covers web-02 too and stays.
    let set = ExceptionSet::from_text(
        &set_of(&[&one(r#""id": "h", "scope": {"software": {"ecosystem": "PyPI", "name": "urllib3"}}, "groups": ["pci"], "justification": "risk_accepted""#)]),
        "t",
    )
    .unwrap();
    let a = crate::Engine::demo().with_exceptions(set).assess(&fleet);
    assert!(a.excepted_recommendations.is_empty());
    assert_eq!(a.exceptions[0].findings_kept, 1);
}

#[test]
fn expiry_is_judged_on_the_as_of_day() {
    let engine = engine_with(&[&one(
        r#""id": "e", "scope": {"cve": "CVE-2023-39325"}, "justification": "alternate_mitigation", "expires": "2026-12-31""#,
    )]);
    let status = |day| on(&engine, day).exceptions[0].status;
    assert_eq!(status(Some("2026-12-31")), ExceptionStatus::Applied);
    assert_eq!(status(Some("2027-01-01")), ExceptionStatus::Expired);
    assert_eq!(status(None), ExceptionStatus::NotJudged);
    // Neither expired nor unjudged ones apply.
    for day in [Some("2027-01-01"), None] {
        let plain = on(&crate::Engine::demo(), day);
        let a = on(&engine, day);
        assert!(a.suppressed.is_empty());
        assert_eq!(a.organisation, plain.organisation);
        assert_eq!(a.exceptions[0].findings_removed, 0);
    }
    // Without expiry: always in force, also without an as-of day.
    let engine = engine_with(&[&one(
        r#""id": "e", "scope": {"cve": "CVE-2023-39325"}, "justification": "alternate_mitigation""#,
    )]);
    assert_eq!(
        on(&engine, None).exceptions[0].status,
        ExceptionStatus::Applied
    );
}

#[test]
fn cpe_products_match_vendor_software() {
    let fleet = crate::inventory::load_text(
        r#"{"devices": [{"id": "d", "software": [{"name": "Adobe Flash Player", "version": "11.1",
            "cpe": "cpe:2.3:a:adobe:flash_player:11.1:*:*:*:*:*:*:*"}]}]}"#,
        "inline",
        &crate::inventory::LoadOptions::default(),
    )
    .unwrap()
    .fleet;
    let e = Product::Cpe {
        vendor: "adobe".into(),
        product: "flash_player".into(),
    };
    assert!(apply::is_product(&e, &fleet.devices[0].software[0]));
    let other = Product::Cpe {
        vendor: "adobe".into(),
        product: "reader".into(),
    };
    assert!(!apply::is_product(&other, &fleet.devices[0].software[0]));
}
