//! The diff and the event timeline on real data: the juice-shop SBOM (840 npm components)
//! assessed against real knowledge (NVD's 2017 feed, RustSec, CISA's KEV catalog, an EPSS
//! snapshot, beside the demo's npm advisories), then with packages upgraded to their fixed
//! versions, then against the same knowledge with a KEV entry and an EPSS score added. Every
//! score change an event states is checked against a real reassessment.

mod common;

use common::actions::moved;
use exposure::date::Date;
use exposure::history::{
    changes, AssessmentRecord, Event, EventKind, EventOptions, RecordDiff, SoftwareChangeKind,
    Timeline,
};
use exposure::inventory::Fleet;
use exposure::Engine;
use std::sync::Arc;

/// The engine over the shared knowledge and the juice-shop fleet; `None` without the data.
fn setup() -> Option<(Engine, Fleet)> {
    let data = common::shared("data")?;
    let mut kb = exposure::demo::knowledge_base();
    for feed in [
        "nvd/json-1.1/nvdcve-1.1-2017.json.gz",
        // RustSec names the crate behind NVD's `cookie_project:cookie`: npm's cookie is not it.
        "osv-rustsec/rustsec-osv-crates.tar.gz",
        "cisa-kev/known_exploited_vulnerabilities.json",
        "epss/vuls-data-raw-epss-2021-08-31.json.gz",
    ] {
        kb.load_path(&data.join(feed)).expect(feed);
    }
    let juice = exposure::inventory::load_path(
        &data.join("sbom-cyclonedx/juice-shop__v11.1.2__bom.json.gz"),
        &exposure::inventory::LoadOptions::default(),
    )
    .expect("juice-shop SBOM");
    Some((Engine::new(kb), juice.fleet))
}

/// `fleet` with every item `name@from` moved to `to`, for each triple.
fn upgraded(fleet: &Fleet, moves: &[(&str, &str, &str)]) -> Fleet {
    let mut fleet = fleet.clone();
    for device in &mut fleet.devices {
        for item in &mut device.software {
            if let Some((_, _, to)) = moves
                .iter()
                .find(|(name, from, _)| item.name == *name && item.version == *from)
            {
                *item = Arc::new(moved(item, to));
            }
        }
    }
    fleet
}

fn record(engine: &Engine, fleet: &Fleet, day: &str) -> AssessmentRecord {
    let mut r = AssessmentRecord::of(&engine.assess(fleet), fleet, engine.kb()).expect("record");
    r.as_of = Some(day.parse().expect("day"));
    r
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

const MOVES: [(&str, &str, &str); 4] = [
    ("minimist", "0.2.1", "0.2.4"),
    ("minimist", "1.2.5", "1.2.6"),
    ("lodash", "4.17.19", "4.17.21"),
    // NVD: CVE-2017-18214 affects moment up to 2.19.2.
    ("moment", "2.0.0", "2.19.3"),
];

#[test]
fn upgrading_packages_of_the_juice_shop_sbom() {
    let Some((engine, fleet)) = setup() else {
        return;
    };
    let before = record(&engine, &fleet, "2024-03-01");
    let after_fleet = upgraded(&fleet, &MOVES);
    let after = record(&engine, &after_fleet, "2024-03-02");
    let findings = |r: &AssessmentRecord| {
        let mut f: Vec<String> = r
            .findings
            .iter()
            .map(|f| {
                let s = r.software_of(f);
                format!("{}@{} {}", s.name, s.version, r.advisory_of(f).id)
            })
            .collect();
        f.sort();
        f
    };
    assert_eq!(
        findings(&before),
        [
            "lodash@2.4.2 GHSA-35jh-r3h4-6jhm",
            "lodash@4.17.19 GHSA-35jh-r3h4-6jhm",
            "minimist@0.2.1 GHSA-xvch-5gv4-984h",
            "minimist@1.2.5 GHSA-xvch-5gv4-984h",
            "moment@2.0.0 CVE-2017-18214",
        ]
    );
    assert_eq!(findings(&after), ["lodash@2.4.2 GHSA-35jh-r3h4-6jhm"]);

    let (diff, events) = changes(&before, &after, None, &EventOptions::default());
    assert!(diff.devices_added.is_empty() && diff.devices_gone.is_empty());
    assert!(diff.new_findings.is_empty());
    let fixed: Vec<String> = diff
        .fixed_findings
        .iter()
        .map(|f| format!("{}@{} {}", f.name, f.version, f.advisory))
        .collect();
    assert_eq!(
        fixed,
        [
            "moment@2.0.0 CVE-2017-18214",
            "lodash@4.17.19 GHSA-35jh-r3h4-6jhm",
            "minimist@0.2.1 GHSA-xvch-5gv4-984h",
            "minimist@1.2.5 GHSA-xvch-5gv4-984h",
        ]
    );
    let updated: Vec<(&str, &str, &str)> = diff
        .software
        .iter()
        .map(|c| match &c.change {
            SoftwareChangeKind::Updated { from, to } => {
                (c.name.as_str(), from.as_str(), to.as_str())
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        updated,
        [
            ("lodash", "4.17.19", "4.17.21"),
            ("minimist", "0.2.1", "0.2.4"),
            ("minimist", "1.2.5", "1.2.6"),
            ("moment", "2.0.0", "2.19.3"),
        ]
    );
    // The score change and its causes: the four fixed findings, summing to it.
    close(diff.organisation.change, after.score - before.score);
    assert_eq!(diff.devices.len(), 1);
    let device = &diff.devices[0];
    assert_eq!(device.causes.len(), 4);
    close(device.causes.iter().map(|c| c.effect).sum(), device.change);
    close(
        diff.organisation.causes.iter().map(|c| c.effect).sum(),
        diff.organisation.change,
    );

    // Wholly fixed: minimist's and moment's advisories; lodash's stays on 2.4.2.
    let fixed_events: Vec<(&str, usize)> = events
        .iter()
        .filter(|e| e.kind == EventKind::VulnerabilityFixed)
        .map(|e| (e.advisory.as_deref().unwrap_or(""), e.devices))
        .collect();
    let mut sorted = fixed_events.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [("CVE-2017-18214", 1), ("GHSA-xvch-5gv4-984h", 1)],
        "{events:#?}"
    );
    // Each event's score change is what a real reassessment without that upgrade shows.
    for (advisory, name) in [
        ("CVE-2017-18214", "moment"),
        ("GHSA-xvch-5gv4-984h", "minimist"),
    ] {
        let others: Vec<_> = MOVES.iter().copied().filter(|m| m.0 != name).collect();
        let without = engine.assess(&upgraded(&fleet, &others));
        let event = events
            .iter()
            .find(|e| e.advisory.as_deref() == Some(advisory))
            .expect("event");
        close(event.score_change, after.score - without.organisation.score);
        assert!(event.score_change < 0.0);
    }
    let score = events
        .iter()
        .find(|e| e.kind == EventKind::ExposureScoreChange)
        .expect("the score fell by more than a point");
    close(score.score_change, after.score - before.score);
    assert_eq!(score.date, Some(Date::from_ymd(2024, 3, 2).expect("day")));
    assert!(RecordDiff::between(&after, &after).is_empty());

    // Newly published: the same SBOM assessed first against the demo's advisories alone,
    // then against the shared knowledge too. NVD's CVE-2017-18214 is absent from the first
    // knowledge base: a new vulnerability, its score change what removing moment shows.
    let demo = Engine::demo();
    let earlier = record(&demo, &fleet, "2024-02-29");
    let events = Event::between(
        &earlier,
        &before,
        Some((demo.kb(), engine.kb())),
        &EventOptions::default(),
    );
    let new: Vec<&str> = events
        .iter()
        .filter(|e| e.kind == EventKind::NewVulnerability)
        .filter_map(|e| e.advisory.as_deref())
        .collect();
    assert_eq!(new, ["CVE-2017-18214"], "{events:#?}");
    let mut without_moment = fleet.clone();
    for device in &mut without_moment.devices {
        device
            .software
            .retain(|s| !(s.name == "moment" && s.version == "2.0.0"));
    }
    let without = engine.assess(&without_moment);
    let event = events
        .iter()
        .find(|e| e.kind == EventKind::NewVulnerability)
        .expect("new");
    assert_eq!(event.devices, 1);
    close(
        event.score_change,
        before.score - without.organisation.score,
    );
    // Without the knowledge bases, its publication (2018) is before the earlier day: no event.
    assert!(
        !Event::between(&earlier, &before, None, &EventOptions::default())
            .iter()
            .any(|e| e.kind == EventKind::NewVulnerability)
    );
}

#[test]
fn threat_changes_against_the_same_inventory() {
    let Some((mut engine, fleet)) = setup() else {
        return;
    };
    let first = record(&engine, &fleet, "2024-03-01");
    let lodash = first
        .advisories
        .iter()
        .find(|a| a.id == "GHSA-35jh-r3h4-6jhm")
        .expect("lodash's advisory");
    let lodash_cve = lodash.cves().next().expect("a CVE").to_owned();
    let moment = first
        .advisories
        .iter()
        .find(|a| a.id == "CVE-2017-18214")
        .expect("moment's advisory");
    assert!(moment.kev.is_none());
    // Day two: CISA lists CVE-2017-18214.
    let kev = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,\
        requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
        CVE-2017-18214,Moment.js,Moment.js,Moment.js ReDoS,2024-03-02,A ReDoS.,\
        Apply updates.,2024-03-23,Unknown,,CWE-400\n";
    let report = engine.kb_mut().threat_mut().load_text(kev, "kev.csv");
    assert_eq!(report.records_loaded, 1, "{report}");
    let second = record(&engine, &fleet, "2024-03-02");
    // Day three: lodash's CVE's EPSS jumps.
    let epss = format!("cve,epss,percentile\n{lodash_cve},0.61,0.98\n");
    let report = engine.kb_mut().threat_mut().load_text(&epss, "epss.csv");
    assert_eq!(report.records_loaded, 1, "{report}");
    let third = record(&engine, &fleet, "2024-03-03");

    let kev_events = Event::between(&first, &second, None, &EventOptions::default());
    let added = kev_events
        .iter()
        .find(|e| e.kind == EventKind::KnownExploitedAdded)
        .expect("KEV added");
    assert_eq!(added.advisory.as_deref(), Some("CVE-2017-18214"));
    assert_eq!(added.devices, 1);
    // One advisory's threat moved: its counterfactual is the whole change.
    close(added.score_change, second.score - first.score);
    assert!(added.score_change > 0.0);

    let epss_events = Event::between(&second, &third, None, &EventOptions::default());
    let jump = epss_events
        .iter()
        .find(|e| e.kind == EventKind::EpssJump)
        .expect("EPSS jump");
    assert_eq!(jump.advisory.as_deref(), Some("GHSA-35jh-r3h4-6jhm"));
    assert_eq!(jump.after, Some(0.61));
    close(jump.score_change, third.score - second.score);
    assert!(jump.score_change > 0.0);
    // The two lodash findings moved for EPSS, nothing else.
    let diff = RecordDiff::between(&second, &third);
    let causes = &diff.devices[0].causes;
    assert_eq!(causes.len(), 2);
    assert!(causes
        .iter()
        .all(|c| c.reasons == [exposure::history::ChangeReason::Epss]));

    // The timeline of the three days, and since the third.
    let history = [first, second, third];
    let timeline = Timeline::of(&history, None);
    let kinds: Vec<(Option<Date>, EventKind)> =
        timeline.events.iter().map(|e| (e.date, e.kind)).collect();
    assert!(kinds.contains(&(Date::from_ymd(2024, 3, 2), EventKind::KnownExploitedAdded)));
    assert!(kinds.contains(&(Date::from_ymd(2024, 3, 3), EventKind::EpssJump)));
    assert!(kinds.windows(2).all(|w| w[0].0 <= w[1].0));
    let since = Timeline::of(&history, Date::from_ymd(2024, 3, 3));
    assert!(since
        .events
        .iter()
        .all(|e| e.date == Date::from_ymd(2024, 3, 3)));
    assert!(!since.events.is_empty());
}

/// Findings an exception removes leave the scores without being fixed: the diff lists them
/// as suppressed, and no `vulnerability_fixed` event is made for them.
#[test]
fn findings_an_exception_removes_are_suppressed_not_fixed() {
    let engine = Engine::demo();
    let fleet = exposure::demo::fleet();
    let day: Date = "2026-12-05".parse().expect("date");
    let set = exposure::exceptions::ExceptionSet::from_path(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/exceptions.yaml"),
    )
    .expect("the example exceptions");
    let assess = |exceptions| {
        let options = exposure::engine::AssessOptions {
            as_of: Some(day),
            exceptions,
        };
        let a = engine.assess_with(&fleet, &options, &|_, _| {});
        exposure::history::AssessmentRecord::of(&a, &fleet, engine.kb()).expect("record")
    };
    let empty = exposure::exceptions::ExceptionSet::default();
    let (before, after) = (assess(Some(&empty)), assess(Some(&set)));
    assert!(!after.suppressed.is_empty());
    let (diff, events) = exposure::history::changes(
        &before,
        &after,
        None,
        &exposure::history::EventOptions::default(),
    );
    assert!(diff.fixed_findings.is_empty(), "{:?}", diff.fixed_findings);
    let suppressed: Vec<(&str, &str)> = diff
        .suppressed_findings
        .iter()
        .map(|f| (f.device.as_str(), f.advisory.as_str()))
        .collect();
    assert_eq!(suppressed.len(), after.suppressed.len(), "{suppressed:?}");
    assert!(
        suppressed.contains(&("api-gw-01", "GO-2023-2102")),
        "{suppressed:?}"
    );
    assert!(
        events
            .iter()
            .all(|e| e.kind.name() != "vulnerability_fixed"),
        "{events:?}"
    );
    assert!(diff.organisation.change < 0.0);
}
