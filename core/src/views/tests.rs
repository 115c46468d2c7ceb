//! Views on the hand-built record of `fixture::small` (figures computed by hand in its docs).

use super::fixture::{self, D, F};
use super::{dashboard::Dashboard, devices, recommendations, software, weaknesses, Filter};
use crate::history::ExploitMaturity;
use crate::views::software::SupportStatus;
use crate::views::weaknesses::FixAvailability;
use proptest::prelude::*;
use std::collections::HashSet;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn recommendation_impacts_are_recomputed_per_group() {
    let record = fixture::small();
    assert!(close(record.score, 52.5));
    let impacts = |filter: &Filter| -> Vec<(String, f64)> {
        recommendations::rows(&record, filter)
            .into_iter()
            .map(|r| (r.id, r.impact))
            .collect()
    };
    // Organisation: lodash leaves d1 0, d2 40: (0 + 40 + 2·40)/4 = 30, drop 22.5;
    // minimist leaves d2 50, d3 0: (60 + 50 + 0)/4 = 27.5, drop 25.
    let all = impacts(&Filter::all());
    assert_eq!(all[0].0, "update:npm:minimist");
    assert!(close(all[0].1, 25.0) && close(all[1].1, 22.5), "{all:?}");
    // Group a (d1, d2: 65): lodash → (0 + 40)/2 = 20, drop 45; minimist → (60 + 50)/2, drop 10.
    let a = impacts(&Filter::group("a"));
    assert_eq!(a[0].0, "update:npm:lodash");
    assert!(close(a[0].1, 45.0) && close(a[1].1, 10.0), "{a:?}");
    // Group b (d2, d3 weight 2: 50): lodash → (40 + 80)/3 = 40, drop 10; minimist → 50/3.
    let b = impacts(&Filter::group("b"));
    assert_eq!(b[0].0, "update:npm:minimist");
    assert!(
        close(b[0].1, 50.0 - 50.0 / 3.0) && close(b[1].1, 10.0),
        "{b:?}"
    );
    let rows = recommendations::rows(&record, &Filter::group("b"));
    let lodash = rows
        .iter()
        .find(|r| r.software == "lodash")
        .expect("lodash");
    assert_eq!(
        (lodash.devices, lodash.findings, lodash.known_exploited),
        (1, 1, 1)
    );
    // A group no device is in: nothing.
    assert!(recommendations::rows(&record, &Filter::group("z")).is_empty());
}

#[test]
fn software_inventory_figures() {
    let record = fixture::small();
    let rows = software::rows(&record, &Filter::all());
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    // By impact (minimist 25, lodash 22.5), then the rest by ecosystem and product.
    assert_eq!(names, ["minimist", "lodash", "left-pad", "OpenSSL"]);
    let lodash = &rows[1];
    assert_eq!(
        (
            lodash.installed_on,
            lodash.exposed_devices,
            lodash.weaknesses
        ),
        (2, 2, 2)
    );
    assert_eq!(lodash.known_exploited, 1);
    assert_eq!(lodash.exploit_maturity, ExploitMaturity::Functional);
    assert_eq!(lodash.max_epss, Some(0.9));
    assert!(close(lodash.impact, 22.5));
    assert_eq!(lodash.support, SupportStatus::Unknown);
    let minimist = &rows[0];
    // d3's A4 finding is mitigated, A3 counts on d2 and d3.
    assert_eq!((minimist.exposed_devices, minimist.weaknesses), (2, 2));
    assert_eq!(minimist.support, SupportStatus::Supported);
    let openssl = &rows[3];
    assert_eq!(openssl.vendor.as_deref(), Some("openssl"));
    assert_eq!(openssl.support, SupportStatus::Ended);
    assert_eq!(openssl.support_ends.as_deref(), Some("2026-09-07"));
    assert_eq!((openssl.exposed_devices, openssl.impact), (0, 0.0));
    // Group b: lodash only on d2; its impact there 10.
    let b = software::rows(&record, &Filter::group("b"));
    let lodash = b.iter().find(|r| r.name == "lodash").expect("lodash");
    assert_eq!((lodash.installed_on, lodash.weaknesses), (1, 1));
    assert!(close(lodash.impact, 10.0));
    assert!(!b.iter().any(|r| r.name == "OpenSSL"));
}

#[test]
fn weaknesses_figures() {
    let record = fixture::small();
    let rows = weaknesses::rows(&record, &Filter::all());
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    // A3: d2 → 50, d3 → 0: (60 + 50 + 0)/4 = 27.5, drop 25. A1: d1 → 20, d2 → 40:
    // (20 + 40 + 80)/4 = 35, drop 17.5.
    // A2: d1 → 50: (50 + 70 + 80)/4 = 50, drop 2.5. A4 counts 0.
    assert_eq!(ids, ["A3", "A1", "A2", "A4"]);
    assert!(close(rows[0].impact, 25.0) && close(rows[1].impact, 17.5));
    assert!(close(rows[2].impact, 2.5) && close(rows[3].impact, 0.0));
    assert_eq!(rows[1].cves, ["CVE-A1"]);
    assert!(rows[1].known_exploited);
    assert_eq!((rows[1].exposed_devices, rows[1].devices), (2, 2));
    assert_eq!(rows[1].software, ["lodash 4.17.15"]);
    assert_eq!(rows[1].fix, FixAvailability::Fixed);
    assert_eq!((rows[3].exposed_devices, rows[3].devices), (0, 1));
    assert_eq!(rows[3].fix, FixAvailability::NotFixed);
    // Group a: A3 on d2 only: (60 + 50)/2 = 55, drop 10.
    let a = weaknesses::rows(&record, &Filter::group("a"));
    let a3 = a.iter().find(|r| r.id == "A3").expect("A3");
    assert_eq!(a3.devices, 1);
    assert!(close(a3.impact, 10.0));
    assert!(!a.iter().any(|r| r.id == "A4"));
}

#[test]
fn devices_figures() {
    let record = fixture::small();
    let rows = devices::rows(&record, &Filter::all(), 5);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["d2", "d1", "d3"]);
    let d2 = &rows[0];
    assert!(close(d2.score, 70.0));
    // On d2: lodash leaves 40 (drop 30), minimist leaves 50 (drop 20).
    let top: Vec<(&str, f64)> = d2
        .top_recommendations
        .iter()
        .map(|r| (r.id.as_str(), r.impact))
        .collect();
    assert_eq!(top.len(), 2);
    assert_eq!(top[0].0, "update:npm:lodash");
    assert!(close(top[0].1, 30.0) && close(top[1].1, 20.0), "{top:?}");
    let d3 = &rows[2];
    assert_eq!((d3.findings, d3.exposed_findings, d3.software), (2, 1, 2));
    assert_eq!(d3.last_assessed, record.as_of);
    assert!(close(d3.top_recommendations[0].impact, 40.0));
    let one = devices::rows(&record, &Filter::group("b"), 1);
    assert_eq!(one.len(), 2);
    assert!(one.iter().all(|r| r.top_recommendations.len() == 1));
}

#[test]
fn dashboard_figures_and_trend() {
    let mut later = fixture::small();
    let earlier = fixture::small();
    // Later, d1's lodash is fixed: d1 → 0, organisation (0 + 70 + 80)/4 = 37.5, group a 35.
    later.findings.retain(|f| f.device != 0);
    for f in &mut later.recommendations {
        f.findings.clear();
    }
    later.devices[0].score = 0.0;
    later.as_of = "2026-12-02".parse().ok();
    let history = [earlier, later];
    let all = Dashboard::of(&history, &Filter::all(), 2);
    let trend: Vec<f64> = all.trend.iter().map(|p| p.score).collect();
    assert!(close(trend[0], 52.5) && close(trend[1], 37.5), "{trend:?}");
    assert_eq!(
        (
            all.distribution.low,
            all.distribution.medium,
            all.distribution.high
        ),
        (1, 1, 1)
    );
    assert_eq!(all.devices, 3);
    let a = Dashboard::of(&history, &Filter::group("a"), 2);
    let trend: Vec<f64> = a.trend.iter().map(|p| p.score).collect();
    assert!(close(trend[0], 65.0) && close(trend[1], 35.0), "{trend:?}");
    assert_eq!(a.top_devices[0].id, "d2");
    assert_eq!(a.devices, 2);
    assert!(a.top_devices.len() <= 2 && a.top_software.len() <= 2);
}

/// A generated record: up to 6 devices in groups of {a, b, c}, up to 4 products, up to 12
/// findings with contributions in [0, 1).
fn generated() -> impl Strategy<Value = crate::history::AssessmentRecord> {
    let device = (
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 0..3),
        prop::sample::select(vec![0.75, 1.0, 5.0]),
    );
    (
        prop::collection::vec(device, 1..6),
        prop::collection::vec(
            (0_u32..6, 0_u32..4, 0_u32..5, 0.0..1.0_f64, any::<bool>()),
            0..12,
        ),
    )
        .prop_map(|(devices, findings)| {
            let n = u32::try_from(devices.len()).expect("small");
            let groups: Vec<Vec<&str>> = devices
                .iter()
                .map(|(g, _)| {
                    let mut g = g.clone();
                    g.sort_unstable();
                    g.dedup();
                    g
                })
                .collect();
            let names: Vec<String> = (0..n).map(|i| format!("d{i}")).collect();
            let ds: Vec<D<'_>> = groups
                .iter()
                .zip(&devices)
                .zip(&names)
                .map(|((g, (_, w)), name)| D(name, g, *w, &[0, 1, 2, 3]))
                .collect();
            let fs: Vec<F> = findings
                .into_iter()
                .map(|(d, s, a, c, counted)| F(d % n, s, a, c, counted))
                .collect();
            fixture::record(
                &ds,
                ["p0", "p1", "p2", "p3"]
                    .iter()
                    .map(|p| fixture::software(p, "1.0.0"))
                    .collect(),
                (0..5)
                    .map(|i| fixture::advisory(&format!("A{i}")))
                    .collect(),
                &fs,
            )
        })
}

proptest! {
    #[test]
    fn group_views_cover_each_device_once_per_membership(record in generated()) {
        let memberships: usize = record.devices.iter().map(|d| d.groups.len()).sum();
        let mut seen = 0;
        for group in super::groups(&record) {
            let rows = devices::rows(&record, &Filter::group(group.as_str()), 1);
            let ids: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            prop_assert_eq!(ids.len(), rows.len());
            for d in &record.devices {
                prop_assert_eq!(ids.contains(d.id.as_str()), d.groups.contains(&group));
            }
            seen += rows.len();
        }
        prop_assert_eq!(seen, memberships);
        prop_assert_eq!(devices::rows(&record, &Filter::all(), 1).len(), record.devices.len());
    }

    #[test]
    fn product_impacts_bound_the_drop_of_removing_everything(record in generated()) {
        // Noisy-OR: removing one product's findings while the others stay drops a device's
        // score by less than its share, so the impacts of all products never sum above the
        // drop of removing every finding (the score itself), and each is within [0, score].
        let mut filters = vec![Filter::all()];
        filters.extend(super::groups(&record).into_iter().map(Filter::group));
        for filter in &filters {
            let scope = super::Scope::new(&record, filter);
            let rows = software::rows(&record, filter);
            let sum: f64 = rows.iter().map(|r| r.impact).sum();
            let all: HashSet<u32> = (0..u32::try_from(record.findings.len()).expect("small")).collect();
            let everything = scope.impact(&all);
            prop_assert!((everything - scope.score).abs() < 1e-9, "{} vs {}", everything, scope.score);
            prop_assert!(sum <= everything + 1e-9, "{} > {}", sum, everything);
            for r in &rows {
                prop_assert!(r.impact >= 0.0 && r.impact <= scope.score + 1e-9);
            }
            // And the recommendations (one per product here) have the products' impacts.
            for r in recommendations::rows(&record, filter) {
                let p = rows.iter().find(|p| p.product == r.software).expect("its product");
                prop_assert!((p.impact - r.impact).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn group_score_is_the_weighted_mean_of_its_devices(record in generated()) {
        for group in super::groups(&record) {
            let d = Dashboard::of(std::slice::from_ref(&record), &Filter::group(group.as_str()), 3);
            let (sum, weight) = record
                .devices
                .iter()
                .filter(|x| x.groups.contains(&group))
                .fold((0.0, 0.0), |(s, w), x| (s + x.score * x.weight, w + x.weight));
            prop_assert!((d.score - sum / weight).abs() < 1e-9);
            prop_assert_eq!(d.distribution.low + d.distribution.medium + d.distribution.high, d.devices);
        }
    }
}
