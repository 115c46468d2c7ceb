//! The exposure model's properties (issue 13), checked by proptest on generated fleets: scores
//! stay in [0, 100]; adding a finding never lowers a score and fixing one never raises it; a
//! recommendation's stated impact equals the difference of two real assessments (before and
//! after taking it) to 1e-9; identical input gives identical output, and the order of devices
//! and of their software does not matter.
//!
//! Fleets are drawn from a small fixed knowledge base: the demo's advisories and KEV entry,
//! and the invented `propkit` records below, which carry CVSS v2, v3.1 (with exploit
//! maturity) and v4.0 vectors or none, KEV listings with and without ransomware use and EPSS
//! scores. Each device has a random value, internet exposure, alerts, and packages at
//! versions around the advisories' fixed versions, each with a random runtime context
//! (`last_used`: unknown, never, 10 or 400 days before the as-of day).
//!
//! The default is CI-sized (64 cases per property, about 2 s in a debug build); for a long run:
//!
//! ```text
//! PROPTEST_CASES=1000 cargo test -p exposure --test model_properties
//! ```

mod common;

use common::actions::{check_impacts, moved};
use exposure::date::Date;
use exposure::inventory::{Device, DeviceValue, Fleet, LastUsed, Software};
use exposure::kb::Format;
use exposure::{Assessment, Engine};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

/// Invented advisories for packages of the `propkit` family (no real package has these
/// names), one per kind of input the model reads.
const PROPKIT_OSV: &str = r#"[
  {"id": "PROPKIT-1", "aliases": ["CVE-2099-1001"], "summary": "v4 vector, KEV with ransomware",
   "affected": [{"package": {"ecosystem": "npm", "name": "propkit-core"},
     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}],
   "severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}]},
  {"id": "PROPKIT-2", "aliases": ["CVE-2099-1002"], "summary": "v2 vector, EPSS",
   "affected": [{"package": {"ecosystem": "npm", "name": "propkit-core"},
     "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.5.0"}]}]}],
   "severity": [{"type": "CVSS_V2", "score": "AV:N/AC:M/Au:N/C:P/I:P/A:P"}]},
  {"id": "PROPKIT-3", "aliases": ["CVE-2099-1003"], "summary": "v3.1 local with a functional exploit, two branches",
   "affected": [{"package": {"ecosystem": "PyPI", "name": "propkit-py"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.4.2"}, {"introduced": "2.0.0"}, {"fixed": "2.1.0"}]}]}],
   "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:F"}]},
  {"id": "PROPKIT-4", "aliases": ["CVE-2099-1004"], "summary": "v4 with a proof of concept, fixed on branch 3 only",
   "affected": [{"package": {"ecosystem": "PyPI", "name": "propkit-py"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.0"}]}]}],
   "severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:P/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/E:P"}]},
  {"id": "PROPKIT-5", "summary": "** DISPUTED ** no severity at all",
   "affected": [{"package": {"ecosystem": "crates.io", "name": "propkit-rs"},
     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}, {"fixed": "1.0.0"}]}]}]},
  {"id": "PROPKIT-6", "aliases": ["CVE-2099-1006"], "summary": "v3.1 critical network flaw, KEV",
   "affected": [{"package": {"ecosystem": "npm", "name": "propkit-web"},
     "ranges": [{"type": "SEMVER", "events": [{"introduced": "4.0.0"}, {"fixed": "4.2.1"}]}]}],
   "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}
]"#;

const PROPKIT_KEV: &str = r#"{"catalogVersion": "propkit", "vulnerabilities": [
  {"cveID": "CVE-2099-1001", "vendorProject": "propkit", "product": "core", "vulnerabilityName": "core",
   "dateAdded": "2026-01-05", "dueDate": "2026-01-26", "requiredAction": "Update.",
   "knownRansomwareCampaignUse": "Known"},
  {"cveID": "CVE-2099-1006", "vendorProject": "propkit", "product": "web", "vulnerabilityName": "web",
   "dateAdded": "2026-02-02", "dueDate": "2026-02-23", "requiredAction": "Update.",
   "knownRansomwareCampaignUse": "Unknown"}]}"#;

const PROPKIT_EPSS: &str = "cve,epss,percentile\n\
    CVE-2099-1001,0.02,0.80\n\
    CVE-2099-1002,0.31,0.97\n\
    CVE-2021-44906,0.004,0.70\n";

/// The packages devices draw from: purl prefix and versions around the fixes; the last
/// version of each is affected by no advisory of the knowledge base (the "fixed" version),
/// the first by at least one.
const POOL: [(&str, &[&str]); 12] = [
    (
        "pkg:npm/propkit-core@",
        &["1.0.0", "1.4.9", "1.5.0", "1.9.0", "2.0.0"],
    ),
    (
        "pkg:pypi/propkit-py@",
        &["1.0", "1.4.1", "1.4.2", "2.0.0", "2.1.0", "3.0.0"],
    ),
    ("pkg:cargo/propkit-rs@", &["0.9.0", "1.0.0"]),
    (
        "pkg:npm/propkit-web@",
        &["4.0.0", "4.2.0", "3.9.0", "4.2.1"],
    ),
    (
        "pkg:pypi/urllib3@",
        &["1.26.5", "1.26.17", "2.0.4", "2.0.6", "2.0.7"],
    ),
    ("pkg:pypi/requests@", &["2.25.0", "2.28.1", "2.31.0"]),
    ("pkg:npm/lodash@", &["4.17.15", "4.17.20", "4.17.21"]),
    ("pkg:npm/minimist@", &["1.2.0", "1.2.5", "0.2.4", "1.2.6"]),
    (
        "pkg:golang/golang.org/x/net@",
        &["v0.0.0-20220722155237-a158d28d115b", "v0.7.0", "v0.17.0"],
    ),
    ("pkg:cargo/smallvec@", &["1.6.0", "1.6.1"]),
    ("pkg:cargo/h2@", &["0.3.16", "0.3.17"]),
    ("pkg:cargo/time@", &["0.1.43", "0.2.23"]),
];

/// Ids a device's alerts may name: advisories and CVEs of the knowledge base (any case, as
/// alerts are compared), and one that names nothing.
const ALERTS: [&str; 5] = [
    "CVE-2099-1002",
    "propkit-5",
    "CVE-2021-44906",
    "GO-2023-2102",
    "CVE-2000-0001",
];

/// The day the fleets are assessed on (runtime context is counted to it).
const AS_OF: &str = "2026-12-04";

/// `last_used` choices: unknown, never, 10 days and 400 days before [`AS_OF`].
const LAST_USED: [Option<&str>; 4] = [None, Some("never"), Some("2026-11-24"), Some("2025-10-30")];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut kb = exposure::demo::knowledge_base();
        for (format, text, origin) in [
            (Format::OsvJson, PROPKIT_OSV, "propkit.osv.json"),
            (Format::Threat, PROPKIT_KEV, "propkit-kev.json"),
            (Format::Threat, PROPKIT_EPSS, "propkit-epss.csv"),
        ] {
            let report = kb.load_text_as(format, text, origin);
            assert_eq!(report.problem_count, 0, "{origin}: {report:?}");
            assert!(report.records_loaded > 0, "{origin}");
        }
        Engine::new(kb)
    })
}

fn assess(fleet: &Fleet) -> Assessment {
    let as_of: Date = AS_OF.parse().expect("a day");
    engine().assess_as_of(fleet, Some(as_of), &|_, _| {})
}

/// One package of [`POOL`] at one of its versions, with a runtime context.
fn item(package: usize, version: usize, last_used: usize) -> Software {
    let (prefix, versions) = POOL[package];
    let mut software =
        Software::from_purl(&format!("{prefix}{}", versions[version % versions.len()]))
            .expect("a purl");
    software.last_used = LAST_USED[last_used % LAST_USED.len()]
        .map(|text| LastUsed::parse(text).expect("a last use"));
    software
}

/// What one generated device is made of.
#[derive(Debug, Clone)]
struct DeviceSpec {
    value: usize,
    internet_facing: bool,
    alerts: BTreeSet<usize>,
    /// Package → (version, last use): one version of a package per device.
    items: BTreeMap<usize, (usize, usize)>,
}

fn device_spec() -> impl Strategy<Value = DeviceSpec> {
    (
        0..3usize,
        any::<bool>(),
        prop::collection::btree_set(0..ALERTS.len(), 0..3),
        prop::collection::btree_map(0..POOL.len(), (0..8usize, 0..LAST_USED.len()), 0..7),
    )
        .prop_map(|(value, internet_facing, alerts, items)| DeviceSpec {
            value,
            internet_facing,
            alerts,
            items,
        })
}

fn fleet_of(specs: &[DeviceSpec]) -> Fleet {
    let devices = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let software = spec
                .items
                .iter()
                .map(|(&package, &(version, used))| item(package, version, used))
                .collect();
            let mut d = Device::with_software(format!("d{i:02}"), format!("d{i:02}"), software);
            d.value = [DeviceValue::Low, DeviceValue::Normal, DeviceValue::High][spec.value];
            d.internet_facing = spec.internet_facing;
            d.alerts = spec.alerts.iter().map(|&a| ALERTS[a].to_owned()).collect();
            d
        })
        .collect();
    Fleet { devices }
}

fn fleets() -> impl Strategy<Value = Fleet> {
    prop::collection::vec(device_spec(), 1..9).prop_map(|specs| fleet_of(&specs))
}

/// Device scores by id.
fn scores(a: &Assessment) -> BTreeMap<String, f64> {
    a.devices
        .iter()
        .map(|d| (d.device_id.clone(), d.score))
        .collect()
}

fn findings_on(a: &Assessment, device: &str) -> usize {
    a.findings
        .iter()
        .filter(|f| &*f.finding.device_id == device)
        .count()
}

/// A permutation of `0..n` drawn from `seed` (Fisher–Yates over a linear congruential
/// sequence).
fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed | 1;
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from(state >> 33).expect("fits") % (i + 1);
        order.swap(i, j);
    }
    order
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Every score is in [0, 100] (every finding's I, L and r in [0, 1]), and assessing the
    /// same fleet again gives the same assessment.
    #[test]
    fn scores_are_bounded_and_repeatable(fleet in fleets()) {
        let a = assess(&fleet);
        prop_assert!((0.0..=100.0).contains(&a.organisation.score), "{}", a.organisation.score);
        for d in &a.devices {
            prop_assert!((0.0..=100.0).contains(&d.score), "{}: {}", d.device_id, d.score);
        }
        for f in &a.findings {
            for (term, value) in [("I", f.risk.impact), ("L", f.risk.likelihood), ("r", f.risk.risk)] {
                prop_assert!((0.0..=1.0).contains(&value), "{} {term} = {value}", f.finding.advisory_id);
            }
        }
        prop_assert!(a == assess(&fleet));
    }

    /// Installing a vulnerable item on a device adds findings there and lowers no score: not
    /// the device's, not another device's, not the organisation's (the device count, so every
    /// weight, stays).
    #[test]
    fn adding_a_finding_never_lowers_a_score(
        fleet in fleets(),
        device in any::<prop::sample::Index>(),
        package in 0..POOL.len(),
        used in 0..LAST_USED.len(),
    ) {
        let mut more = fleet.clone();
        let d = device.index(more.devices.len());
        let id = more.devices[d].id.clone();
        // The first version of every package of the pool is vulnerable. The device keeps one
        // version per package: its item of that package, if any, is left out of both fleets.
        let added = item(package, 0, used);
        more.devices[d]
            .software
            .retain(|s| !(s.name == added.name && s.ecosystem == added.ecosystem));
        let without = assess(&more);
        more.devices[d].software.push(Arc::new(added));
        let after = assess(&more);
        prop_assert!(
            findings_on(&after, &id) > findings_on(&without, &id),
            "{} gained no finding", POOL[package].0
        );
        let (s0, s1) = (scores(&without), scores(&after));
        for (device, score) in &s0 {
            prop_assert!(s1[device] >= score - 1e-9, "{device}: {score} -> {}", s1[device]);
        }
        prop_assert!(after.organisation.score >= without.organisation.score - 1e-9);
    }

    /// Moving one item past every fix (to the last version of its package in the pool)
    /// removes its findings and raises no score.
    #[test]
    fn fixing_never_raises_a_score(
        fleet in fleets(),
        device in any::<prop::sample::Index>(),
        which in any::<prop::sample::Index>(),
    ) {
        let before = assess(&fleet);
        let mut fixed = fleet.clone();
        let d = device.index(fixed.devices.len());
        prop_assume!(!fixed.devices[d].software.is_empty());
        let i = which.index(fixed.devices[d].software.len());
        let old = Arc::clone(&fixed.devices[d].software[i]);
        let versions = POOL
            .iter()
            .find(|(prefix, _)| {
                Software::from_purl(&format!("{prefix}0")).is_ok_and(|s| s.name == old.name && s.ecosystem == old.ecosystem)
            })
            .map(|(_, versions)| versions)
            .expect("a package of the pool");
        let last = versions.last().expect("a version");
        fixed.devices[d].software[i] = Arc::new(moved(&old, last));
        let after = assess(&fixed);
        let id = &fixed.devices[d].id;
        prop_assert!(
            !after.findings.iter().any(|f| &f.finding.device_id[..] == id && f.finding.software.name == old.name),
            "{} {last} still has findings", old.name
        );
        prop_assert!(after.findings.len() <= before.findings.len());
        let (s0, s1) = (scores(&before), scores(&after));
        for (device, score) in &s0 {
            prop_assert!(s1[device] <= score + 1e-9, "{device}: {score} -> {}", s1[device]);
        }
        prop_assert!(after.organisation.score <= before.organisation.score + 1e-9);
    }

    /// Each update and upgrade recommendation, taken for real (its targets' devices moved to
    /// its versions) and assessed again, lowers the organisation score by exactly its stated
    /// exposure impact (to 1e-9) and removes exactly its findings.
    #[test]
    fn recommendation_impacts_equal_real_reassessments(fleet in fleets()) {
        let a = assess(&fleet);
        let checked = check_impacts(assess, &fleet, &a);
        let expected = a
            .recommendations
            .iter()
            .filter(|r| matches!(r.action, exposure::recommend::ActionKind::Update | exposure::recommend::ActionKind::Upgrade))
            .count();
        prop_assert_eq!(checked, expected);
    }

    /// Shuffling the devices and each device's software changes nothing: the same score per
    /// device, the same organisation score (to 1e-9), the same recommendations in the same
    /// order with the same impacts.
    #[test]
    fn order_of_devices_and_software_is_irrelevant(fleet in fleets(), seed in any::<u64>()) {
        let a = assess(&fleet);
        let order = permutation(fleet.devices.len(), seed);
        let mut shuffled = Fleet {
            devices: order.iter().map(|&i| fleet.devices[i].clone()).collect(),
        };
        for (k, device) in shuffled.devices.iter_mut().enumerate() {
            let items = permutation(device.software.len(), seed.rotate_left(u32::try_from(k % 64).expect("small")));
            device.software = items.iter().map(|&i| Arc::clone(&device.software[i])).collect();
        }
        let b = assess(&shuffled);
        let (sa, sb) = (scores(&a), scores(&b));
        prop_assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
        for (device, score) in &sa {
            prop_assert!((sb[device] - score).abs() < 1e-9, "{device}: {score} vs {}", sb[device]);
        }
        prop_assert!((a.organisation.score - b.organisation.score).abs() < 1e-9);
        prop_assert_eq!(a.findings.len(), b.findings.len());
        let texts = |x: &Assessment| x.recommendations.iter().map(|r| r.text.clone()).collect::<Vec<_>>();
        prop_assert_eq!(texts(&a), texts(&b));
        for (ra, rb) in a.recommendations.iter().zip(&b.recommendations) {
            prop_assert!((ra.exposure_impact - rb.exposure_impact).abs() < 1e-9, "{}", ra.text);
            prop_assert!((ra.exposure_left - rb.exposure_left).abs() < 1e-9, "{}", ra.text);
            prop_assert_eq!(ra.findings, rb.findings);
        }
    }
}

/// Regression (found by `recommendation_impacts_equal_real_reassessments`): propkit-py 1.0 has
/// PROPKIT-3, fixed on its branch in 1.4.2, and PROPKIT-4, fixed only in 3.0.0. The upgrade
/// to 3.0.0 was chosen for PROPKIT-4 and covered it alone (impact 1.83), while moving to 3.0.0
/// removes both findings (a real drop of 20.3): it now covers every finding the move removes.
#[test]
fn an_upgrade_covers_every_finding_its_version_removes() {
    let spec = DeviceSpec {
        value: 0,
        internet_facing: false,
        alerts: BTreeSet::new(),
        items: [(1, (0, 0))].into_iter().collect(),
    };
    let fleet = fleet_of(&[spec]);
    let a = assess(&fleet);
    let upgrade = a
        .recommendations
        .iter()
        .find(|r| r.action == exposure::recommend::ActionKind::Upgrade)
        .expect("an upgrade");
    assert_eq!(upgrade.target_version.as_deref(), Some("3.0.0"));
    assert_eq!(upgrade.resolves, ["PROPKIT-3", "PROPKIT-4"]);
    assert!((upgrade.exposure_impact - a.organisation.score).abs() < 1e-9);
    let update = &a
        .recommendations
        .iter()
        .find(|r| r.action == exposure::recommend::ActionKind::Update)
        .expect("an update");
    assert_eq!(update.resolves, ["PROPKIT-3"]);
    assert_eq!(check_impacts(assess, &fleet, &a), 2);
}
