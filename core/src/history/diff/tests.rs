//! Unit tests of the diff and the events, on small hand-built records whose expectations are
//! computed by hand.

use super::super::record::{
    AdvisoryRecord, AssessmentRecord, DeviceRecord, ExploitMaturity, FindingRecord, KevRecord,
    SoftwareRecord, RECORD_FORMAT,
};
use super::super::timeline::{changes, Event, EventKind, EventOptions, Timeline};
use super::{ChangeReason, RecordDiff, SoftwareChangeKind};
use crate::date::Date;
use crate::ecosystem::Ecosystem;
use crate::inventory::DeviceValue;
use crate::matching::{FixState, Matcher};
use crate::score::exposure::{device_score, organisation_score, ExposureLevel};
use proptest::prelude::*;

/// A table position as a record index (tables here hold a handful of rows).
fn n(i: usize) -> u32 {
    u32::try_from(i).expect("small")
}

/// A record built by hand: devices, installed npm items, advisories, findings; scores computed
/// as the engine computes them.
struct Builder(AssessmentRecord);

fn advisory(id: &str) -> AdvisoryRecord {
    AdvisoryRecord {
        id: id.into(),
        aliases: vec![],
        summary: None,
        published: Some("2020-01-01T00:00:00Z".into()),
        cwes: vec![],
        severity: None,
        cvss_vector: None,
        cvss_score: None,
        epss: None,
        epss_percentile: None,
        kev: None,
        exploit_maturity: ExploitMaturity::Unreported,
    }
}

fn kev(cve: &str) -> KevRecord {
    KevRecord {
        cve_id: cve.into(),
        date_added: "2024-01-02".into(),
        due_date: "2024-01-23".into(),
        known_ransomware_use: false,
    }
}

fn day(text: &str) -> Date {
    text.parse().expect("a day")
}

impl Builder {
    fn new(as_of: &str) -> Self {
        Builder(AssessmentRecord {
            format: RECORD_FORMAT.into(),
            as_of: Some(day(as_of)),
            model_version: "test".into(),
            priors_version: "test".into(),
            knowledge: crate::assessment::KnowledgeSummary::default(),
            score: 0.0,
            level: ExposureLevel::Low,
            secure_score: None,
            devices: vec![],
            software: vec![],
            advisories: vec![],
            findings: vec![],
            recommendations: vec![],
            suppressed: vec![],
            excepted_recommendations: vec![],
            exceptions: vec![],
        })
    }

    fn device(mut self, id: &str, weight: f64) -> Self {
        self.0.devices.push(DeviceRecord {
            id: id.into(),
            name: id.into(),
            groups: vec![],
            tags: vec![],
            value: DeviceValue::Normal,
            weight,
            internet_facing: false,
            score: 0.0,
            level: ExposureLevel::Low,
            secure_score: None,
            software: vec![],
        });
        self
    }

    fn item(&mut self, name: &str, version: &str) -> u32 {
        let record = SoftwareRecord {
            ecosystem: Ecosystem::Npm,
            name: name.into(),
            version: version.into(),
            purl: Some(format!("pkg:npm/{name}@{version}")),
            cpe: None,
            product: name.into(),
            support_ends: (name == "node").then(|| "2024-01-02".into()),
        };
        if let Some(i) = self.0.software.iter().position(|s| *s == record) {
            return n(i);
        }
        self.0.software.push(record);
        n(self.0.software.len() - 1)
    }

    fn device_index(&self, id: &str) -> u32 {
        self.0
            .devices
            .iter()
            .position(|d| d.id == id)
            .map(n)
            .expect("device")
    }

    fn install(mut self, device: &str, name: &str, version: &str) -> Self {
        let s = self.item(name, version);
        let d = self.device_index(device) as usize;
        self.0.devices[d].software.push(s);
        self
    }

    fn advisory(mut self, a: AdvisoryRecord) -> Self {
        self.0.advisories.push(a);
        self
    }

    /// A finding of `advisory` (declared or a plain one) on an installed item.
    fn finding(mut self, device: &str, name: &str, version: &str, id: &str, c: f64) -> Self {
        let software = self.item(name, version);
        let device = self.device_index(device);
        let advisory = if let Some(i) = self.0.advisories.iter().position(|a| a.id == id) {
            n(i)
        } else {
            self.0.advisories.push(advisory(id));
            n(self.0.advisories.len() - 1)
        };
        self.0.findings.push(FindingRecord {
            device,
            software,
            advisory,
            matcher: Matcher::OsvPackage,
            fix_state: FixState::Fixed,
            fix: None,
            fixed_versions: vec![],
            impact: 1.0,
            likelihood: c,
            risk: c,
            contribution: c,
            not_counted: None,
        });
        self
    }

    fn done(mut self) -> AssessmentRecord {
        let r = &mut self.0;
        for (i, d) in r.devices.iter_mut().enumerate() {
            d.score = device_score(
                r.findings
                    .iter()
                    .filter(|f| f.device as usize == i)
                    .map(|f| f.contribution),
            );
            d.level = ExposureLevel::of_score(d.score);
        }
        r.score = organisation_score(r.devices.iter().map(|d| (d.score, d.weight)));
        r.level = ExposureLevel::of_score(r.score);
        self.0
    }
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn a_record_against_itself_is_empty() {
    let r = Builder::new("2024-01-01")
        .device("a", 1.0)
        .install("a", "lodash", "4.17.15")
        .finding("a", "lodash", "4.17.15", "GHSA-1", 0.3)
        .done();
    let diff = RecordDiff::between(&r, &r);
    assert!(diff.is_empty(), "{diff:#?}");
    let (_, events) = changes(&r, &r, None, &EventOptions::default());
    assert!(events.is_empty());
}

#[test]
fn devices_added_and_gone_and_their_findings_apart() {
    let old = Builder::new("2024-01-01")
        .device("a", 1.0)
        .device("b", 1.0)
        .finding("b", "lodash", "4.17.15", "GHSA-1", 0.5)
        .done();
    let new = Builder::new("2024-01-02")
        .device("a", 1.0)
        .device("c", 1.0)
        .finding("c", "lodash", "4.17.15", "GHSA-1", 0.5)
        .done();
    let diff = RecordDiff::between(&old, &new);
    assert_eq!(diff.devices_added, ["c"]);
    assert_eq!(diff.devices_gone, ["b"]);
    assert!(diff.fixed_findings.is_empty());
    assert_eq!(diff.findings_on_gone_devices.len(), 1);
    assert_eq!(diff.findings_on_gone_devices[0].device, "b");
    assert_eq!(diff.new_findings.len(), 1);
    assert_eq!(diff.new_findings[0].device, "c");
    // Scores 25 → 25: c's +50·½, b's −50·½.
    close(diff.organisation.change, 0.0);
    let shares: Vec<(&str, f64)> = diff
        .organisation
        .devices
        .iter()
        .map(|s| (s.device.as_str(), s.effect))
        .collect();
    assert_eq!(shares, [("b", -25.0), ("c", 25.0)]);
    let reasons: Vec<_> = diff
        .devices
        .iter()
        .map(|d| d.causes[0].reasons[0])
        .collect();
    assert_eq!(
        reasons,
        [ChangeReason::DeviceGone, ChangeReason::DeviceAdded]
    );
    // Neither fixed (b left) nor newly published (published before).
    let (_, events) = changes(&old, &new, None, &EventOptions::default());
    assert!(events.is_empty(), "{events:#?}");
}

#[test]
fn software_installed_removed_and_updated_per_product() {
    let old = Builder::new("2024-01-01")
        .device("a", 1.0)
        .install("a", "lodash", "2.4.2")
        .install("a", "lodash", "4.17.15")
        .install("a", "express", "4.17.1")
        .done();
    let new = Builder::new("2024-01-02")
        .device("a", 1.0)
        .install("a", "lodash", "2.4.2")
        .install("a", "lodash", "4.17.21")
        .install("a", "minimist", "1.2.6")
        .done();
    let diff = RecordDiff::between(&old, &new);
    let changes: Vec<(&str, &SoftwareChangeKind)> = diff
        .software
        .iter()
        .map(|c| (c.product.as_str(), &c.change))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "express",
                &SoftwareChangeKind::Removed {
                    version: "4.17.1".into()
                }
            ),
            (
                "lodash",
                &SoftwareChangeKind::Updated {
                    from: "4.17.15".into(),
                    to: "4.17.21".into()
                }
            ),
            (
                "minimist",
                &SoftwareChangeKind::Installed {
                    version: "1.2.6".into()
                }
            ),
        ]
    );
    assert!(diff.new_findings.is_empty() && diff.devices.is_empty());
}

/// Device a: GHSA-fixed (0.5) fixed, GHSA-epss 0.2 → 0.4 (EPSS rose), GHSA-new (0.1) new,
/// GHSA-moved on lodash 4.17.15 → 4.17.19 (0.3 both). Survival 0.5·0.8·0.7 = 0.28 (S = 72)
/// → 0.6·0.9·0.7 = 0.378 (S = 62.2). Sequential, largest |Δc| first: fixed 100·(0.28 − 0.56)
/// = −28, EPSS 100·(0.56 − 0.42) = +14, new 100·(0.42 − 0.378) = +4.2, moved 0.
#[test]
fn findings_new_fixed_moved_and_the_causes_of_a_device() {
    let old = Builder::new("2024-01-01")
        .device("a", 1.0)
        .device("b", 3.0)
        .advisory(AdvisoryRecord {
            epss: Some(0.1),
            ..advisory("GHSA-epss")
        })
        .finding("a", "lodash", "4.17.15", "GHSA-fixed", 0.5)
        .finding("a", "minimist", "1.2.5", "GHSA-epss", 0.2)
        .finding("a", "lodash", "4.17.15", "GHSA-moved", 0.3)
        .done();
    let new = Builder::new("2024-01-02")
        .device("a", 1.0)
        .device("b", 3.0)
        .advisory(AdvisoryRecord {
            epss: Some(0.3),
            ..advisory("GHSA-epss")
        })
        .finding("a", "minimist", "1.2.5", "GHSA-epss", 0.4)
        .finding("a", "lodash", "4.17.19", "GHSA-new", 0.1)
        .finding("a", "lodash", "4.17.19", "GHSA-moved", 0.3)
        .done();
    let diff = RecordDiff::between(&old, &new);
    let ids = |l: &[super::FindingChange]| -> Vec<String> {
        l.iter().map(|f| f.advisory.clone()).collect()
    };
    assert_eq!(ids(&diff.new_findings), ["GHSA-new"]);
    assert_eq!(ids(&diff.fixed_findings), ["GHSA-fixed"]);
    assert_eq!(diff.devices.len(), 1);
    let a = &diff.devices[0];
    close(a.before.expect("before"), 72.0);
    close(a.after.expect("after"), 62.2);
    let causes: Vec<(&str, f64, f64, f64, &[ChangeReason])> = a
        .causes
        .iter()
        .map(|c| {
            (
                c.advisory.as_str(),
                c.contribution_before,
                c.contribution_after,
                c.effect,
                c.reasons.as_slice(),
            )
        })
        .collect();
    let expected: [(&str, f64, f64, f64, &[ChangeReason]); 4] = [
        ("GHSA-fixed", 0.5, 0.0, -28.0, &[ChangeReason::Removed]),
        ("GHSA-epss", 0.2, 0.4, 14.0, &[ChangeReason::Epss]),
        ("GHSA-new", 0.0, 0.1, 4.2, &[ChangeReason::Added]),
        (
            "GHSA-moved",
            0.3,
            0.3,
            0.0,
            &[ChangeReason::SoftwareVersion],
        ),
    ];
    for (got, want) in causes.iter().zip(&expected) {
        assert_eq!(
            (got.0, got.1, got.2, got.4),
            (want.0, want.1, want.2, want.4)
        );
        close(got.3, want.3);
    }
    close(a.causes.iter().map(|c| c.effect).sum(), a.change);
    // Organisation: weights 1 and 3, E = 72/4 = 18 → 62.2/4 = 15.55; a's findings only.
    close(diff.organisation.change, -2.45);
    assert_eq!(diff.organisation.devices.len(), 1);
    close(diff.organisation.devices[0].through_fleet, 0.0);
    let org: Vec<(&str, f64)> = diff
        .organisation
        .causes
        .iter()
        .map(|c| (c.advisory.as_str(), c.effect))
        .collect();
    assert_eq!(org.len(), 4);
    assert_eq!(org[0].0, "GHSA-fixed");
    close(org[0].1, -7.0);
    close(org[1].1, 3.5);
    close(org[2].1, 1.05);
    close(org.iter().map(|c| c.1).sum(), -2.45);
    // The diff serialises.
    let json = serde_json::to_string(&diff).expect("json");
    let back: RecordDiff = serde_json::from_str(&json).expect("back");
    assert_eq!(back, diff);
}

/// Two devices of weight 1: a holds X (0.2 → 0.6 when KEV-listed) and Y (0.5, unchanged); b
/// nothing. S_a = 100·(1 − 0.8·0.5) = 60 → 100·(1 − 0.4·0.5) = 80; E 30 → 40. Taking X back
/// gives 30 again: the KEV entry caused +10.
#[test]
fn threat_events_and_their_exact_counterfactuals() {
    let old = Builder::new("2024-01-01")
        .device("a", 1.0)
        .device("b", 1.0)
        .advisory(AdvisoryRecord {
            aliases: vec!["CVE-2024-0001".into()],
            epss: Some(0.02),
            ..advisory("GHSA-x")
        })
        .advisory(advisory("GHSA-y"))
        .finding("a", "lodash", "4.17.15", "GHSA-x", 0.2)
        .finding("a", "lodash", "4.17.15", "GHSA-y", 0.5)
        .done();
    let new = Builder::new("2024-01-02")
        .device("a", 1.0)
        .device("b", 1.0)
        .advisory(AdvisoryRecord {
            aliases: vec!["CVE-2024-0001".into()],
            epss: Some(0.2),
            kev: Some(kev("CVE-2024-0001")),
            exploit_maturity: ExploitMaturity::Functional,
            ..advisory("GHSA-x")
        })
        .advisory(AdvisoryRecord {
            exploit_maturity: ExploitMaturity::ProofOfConcept,
            ..advisory("GHSA-y")
        })
        .finding("a", "lodash", "4.17.15", "GHSA-x", 0.6)
        .finding("a", "lodash", "4.17.15", "GHSA-y", 0.5)
        .done();
    close(old.score, 30.0);
    close(new.score, 40.0);
    let events = Event::between(&old, &new, None, &EventOptions::default());
    let got: Vec<(EventKind, Option<&str>, usize, f64)> = events
        .iter()
        .map(|e| (e.kind, e.advisory.as_deref(), e.devices, e.score_change))
        .collect();
    let want = [
        (EventKind::ExploitVerified, Some("GHSA-x"), 1, 10.0),
        (EventKind::KnownExploitedAdded, Some("GHSA-x"), 1, 10.0),
        (EventKind::EpssJump, Some("GHSA-x"), 1, 10.0),
        (EventKind::ExposureScoreChange, None, 1, 10.0),
        (EventKind::PublicExploit, Some("GHSA-y"), 1, 0.0),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0, g.1, g.2), (w.0, w.1, w.2), "{got:#?}");
        close(g.3, w.3);
    }
    assert_eq!(events[0].cves, ["CVE-2024-0001"]);
    assert_eq!(events[0].date, Some(day("2024-01-02")));
    let epss = events
        .iter()
        .find(|e| e.kind == EventKind::EpssJump)
        .expect("jump");
    assert_eq!((epss.before, epss.after), (Some(0.02), Some(0.2)));
    // Exploit in a kit.
    let mut kit = new.clone();
    kit.advisories[0].exploit_maturity = ExploitMaturity::Attacked;
    let events = Event::between(&old, &kit, None, &EventOptions::default());
    assert!(events.iter().any(|e| e.kind == EventKind::ExploitInKit));
    assert!(!events.iter().any(|e| e.kind == EventKind::ExploitVerified));
}

/// The counterfactual of an advisory on a device with other changes: a holds X (new, 0.5)
/// and Y (0.2 → 0.6); X's removal gives S_a = 100·(1 − 0.4) = 60 instead of 100·(1 −
/// 0.5·0.4) = 80: X caused +20 on a, +10 on the organisation of two devices.
#[test]
fn new_vulnerabilities_by_publication_or_knowledge_and_fixed_ones() {
    let old = Builder::new("2024-01-01")
        .device("a", 1.0)
        .device("b", 1.0)
        .finding("a", "lodash", "4.17.15", "GHSA-y", 0.2)
        .finding("b", "minimist", "1.2.5", "GHSA-z", 0.4)
        .done();
    let new = Builder::new("2024-01-02")
        .device("a", 1.0)
        .device("b", 1.0)
        .advisory(AdvisoryRecord {
            published: Some("2024-01-02T10:00:00Z".into()),
            ..advisory("GHSA-x")
        })
        .finding("a", "lodash", "4.17.15", "GHSA-x", 0.5)
        .finding("a", "lodash", "4.17.15", "GHSA-y", 0.6)
        .install("b", "minimist", "1.2.6")
        .done();
    let events = Event::between(&old, &new, None, &EventOptions::default());
    let of = |kind| {
        events
            .iter()
            .find(|e| e.kind == kind)
            .unwrap_or_else(|| panic!("{kind:?} in {events:#?}"))
    };
    let x = of(EventKind::NewVulnerability);
    assert_eq!((x.advisory.as_deref(), x.devices), (Some("GHSA-x"), 1));
    close(x.score_change, 10.0);
    // Fixed: b's 40 restored is 20 on the organisation.
    let z = of(EventKind::VulnerabilityFixed);
    assert_eq!((z.advisory.as_deref(), z.devices), (Some("GHSA-z"), 1));
    close(z.score_change, -20.0);
    // Published before the earlier day: not new by date, new when the old knowledge lacks it.
    let mut old_news = new.clone();
    old_news.advisories[0].published = Some("2023-06-01".into());
    let events = Event::between(&old, &old_news, None, &EventOptions::default());
    assert!(!events.iter().any(|e| e.kind == EventKind::NewVulnerability));
    let empty = crate::kb::KnowledgeBase::new();
    let events = Event::between(
        &old,
        &old_news,
        Some((&empty, &empty)),
        &EventOptions {
            date: Some(day("2024-01-05")),
            ..EventOptions::default()
        },
    );
    let x = events
        .iter()
        .find(|e| e.kind == EventKind::NewVulnerability)
        .expect("absent from the earlier knowledge");
    assert_eq!(x.date, Some(day("2024-01-05")));
}

#[test]
fn score_changes_by_threshold_or_level_and_end_of_support() {
    let old = Builder::new("2024-01-01")
        .device("a", 1.0)
        .install("a", "node", "16.0.0")
        .finding("a", "lodash", "4.17.15", "GHSA-y", 0.295)
        .done();
    // 29.5 → 30.0: half a point, but low → medium.
    let new = Builder::new("2024-01-03")
        .device("a", 1.0)
        .install("a", "node", "16.0.0")
        .finding("a", "lodash", "4.17.15", "GHSA-y", 0.3)
        .done();
    let events = Event::between(&old, &new, None, &EventOptions::default());
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::ExposureScoreChange,
            EventKind::SoftwareEndOfSupport
        ]
    );
    close(events[0].score_change, 0.5);
    assert_eq!(events[1].software.as_deref(), Some("npm node 16.0.0"));
    assert_eq!(events[1].devices, 1);
    // 30.0 → 30.5: same level, half a point: no event.
    let later = Builder::new("2024-01-04")
        .device("a", 1.0)
        .install("a", "node", "16.0.0")
        .finding("a", "lodash", "4.17.15", "GHSA-y", 0.305)
        .done();
    assert!(Event::between(&new, &later, None, &EventOptions::default()).is_empty());
    // The timeline of the three, and since the third day.
    let history = [old, new, later];
    let all = Timeline::of(&history, None);
    assert_eq!(all.events.len(), 2);
    assert!(Timeline::of(&history, Some(day("2024-01-04")))
        .events
        .is_empty());
    assert_eq!(
        Timeline::of(&history, Some(day("2024-01-03"))).events.len(),
        2
    );
}

/// A random record over devices d0..d3, products p0..p3 at versions 1..3, advisories a0..a4.
fn record_strategy() -> impl Strategy<Value = AssessmentRecord> {
    let device = (0..4usize, prop::bool::ANY, 1u8..4);
    let finding = (0..4usize, 0..4usize, 1..3u8, 0..5usize, 0.0..1.0f64);
    (
        prop::collection::vec(device, 1..4),
        prop::collection::vec(finding, 0..14),
    )
        .prop_map(|(devices, findings)| {
            let mut b = Builder::new("2024-01-01");
            let mut present = Vec::new();
            for (d, _, w) in devices {
                if !present.contains(&d) {
                    present.push(d);
                    b = b.device(&format!("d{d}"), f64::from(w));
                }
            }
            for (d, p, v, a, c) in findings {
                let d = present[d % present.len()];
                b = b.finding(
                    &format!("d{d}"),
                    &format!("p{p}"),
                    &format!("{v}.0"),
                    &format!("a{a}"),
                    c,
                );
            }
            b.done()
        })
}

proptest! {
    #[test]
    fn diffs_of_random_records_add_up(a in record_strategy(), b in record_strategy()) {
        prop_assert!(RecordDiff::between(&a, &a).is_empty());
        let diff = RecordDiff::between(&a, &b);
        for d in &diff.devices {
            let sum: f64 = d.causes.iter().map(|c| c.effect).sum();
            prop_assert!((sum - d.change).abs() < 1e-9, "{} vs {}", sum, d.change);
        }
        let shares: f64 = diff.organisation.devices.iter().map(|s| s.effect).sum();
        prop_assert!((shares - diff.organisation.change).abs() < 1e-9);
        let through: f64 = diff.organisation.devices.iter().map(|s| s.through_findings).sum();
        let causes: f64 = diff.organisation.causes.iter().map(|c| c.effect).sum();
        prop_assert!((through - causes).abs() < 1e-9, "{} vs {}", through, causes);
    }

    /// A new advisory's event states the later score minus the score without its findings;
    /// a fixed one's, minus the score with its earlier findings back on the devices kept.
    #[test]
    fn counterfactuals_are_exact(a in record_strategy(), b in record_strategy()) {
        let empty = crate::kb::KnowledgeBase::new();
        let events = Event::between(&a, &b, Some((&empty, &empty)), &EventOptions::default());
        for e in &events {
            let Some(id) = e.advisory.as_deref() else { continue };
            // Each device of b: its findings' contributions, with `id`'s replaced.
            let mut scores = Vec::new();
            for (j, d) in b.devices.iter().enumerate() {
                let mut contributions: Vec<f64> = b
                    .findings
                    .iter()
                    .filter(|f| f.device as usize == j && b.advisory_of(f).id != id)
                    .map(|f| f.contribution)
                    .collect();
                if e.kind == EventKind::VulnerabilityFixed {
                    contributions.extend(
                        a.findings
                            .iter()
                            .filter(|f| a.device_of(f).id == d.id && a.advisory_of(f).id == id)
                            .map(|f| f.contribution),
                    );
                }
                scores.push((device_score(contributions), d.weight));
            }
            let expected = b.score - organisation_score(scores);
            match e.kind {
                EventKind::NewVulnerability | EventKind::VulnerabilityFixed => {
                    prop_assert!(
                        (e.score_change - expected).abs() < 1e-9,
                        "{:?} {}: {} vs {}", e.kind, id, e.score_change, expected
                    );
                }
                _ => {}
            }
        }
    }
}
