//! Views and remediation activities on the demo fleet and on real data: group impacts checked
//! against real reassessments of each demo group's devices; on the juice-shop SBOM (against
//! NVD's feeds and RustSec) and the dropwizard SBOM (against NVD), each as three devices, an
//! activity completed, partly done and overdue, and regressed as its packages are upgraded
//! and reverted. The shared data is required in CI (`common::shared`).

mod common;

use common::actions::after;
use exposure::history::AssessmentRecord;
use exposure::inventory::{Fleet, LoadOptions};
use exposure::recommend::{ActionKind, Recommendation};
use exposure::remediation::{
    export, progress_over, ActivityOptions, DeviceState, Overview, Priority, RemediationActivity,
    Targets,
};
use exposure::score::exposure::organisation_score;
use exposure::views::{
    dashboard::Dashboard, devices, recommendations, software, weaknesses, Filter,
};
use exposure::{Assessment, Engine};
use std::collections::BTreeSet;

fn record(assessment: &Assessment, fleet: &Fleet, engine: &Engine) -> AssessmentRecord {
    AssessmentRecord::of(assessment, fleet, engine.kb()).expect("a record")
}

/// `r` with its targets limited to `devices`.
fn only_on(r: &Recommendation, devices: &BTreeSet<&str>) -> Recommendation {
    let mut r = r.clone();
    for target in &mut r.targets {
        target.devices.retain(|d| devices.contains(d.as_str()));
    }
    r
}

/// The score of `group`'s devices in `assessment`, with the record's weights.
fn group_score(assessment: &Assessment, record: &AssessmentRecord, group: &str) -> f64 {
    organisation_score(
        record
            .devices
            .iter()
            .filter(|d| d.groups.iter().any(|g| g == group))
            .map(|d| {
                let now = assessment
                    .devices
                    .iter()
                    .find(|x| x.device_id == d.id)
                    .expect("the device");
                (now.score, d.weight)
            }),
    )
}

#[test]
fn group_impacts_equal_real_reassessments_of_the_group_on_the_demo_fleet() {
    let engine = Engine::demo();
    let fleet = exposure::demo::fleet();
    let assessment = engine.assess(&fleet);
    let record = record(&assessment, &fleet, &engine);
    assert_eq!(
        exposure::views::groups(&record),
        ["engineering", "production", "web", "workstations"]
    );
    // Unfiltered, every recommendation's impact is the record's.
    for row in recommendations::rows(&record, &Filter::all()) {
        let r = record
            .recommendations
            .iter()
            .find(|r| r.id == row.id)
            .expect("listed");
        let stated = if r.action == ActionKind::AttentionRequired {
            r.exposure_left
        } else {
            r.exposure_impact
        };
        assert!((row.impact - stated).abs() < 1e-9, "{}", row.id);
    }
    let mut checked = 0;
    for group in exposure::views::groups(&record) {
        let members: BTreeSet<&str> = record
            .devices
            .iter()
            .filter(|d| d.groups.contains(&group))
            .map(|d| d.id.as_str())
            .collect();
        let filter = Filter::group(group.as_str());
        let dashboard = Dashboard::of(std::slice::from_ref(&record), &filter, 3);
        assert_eq!(dashboard.devices, members.len());
        let before = group_score(&assessment, &record, &group);
        assert!((dashboard.score - before).abs() < 1e-9, "{group}");
        for row in recommendations::rows(&record, &filter) {
            let r = assessment
                .recommendations
                .iter()
                .find(|r| r.id() == row.id)
                .expect("listed");
            if !matches!(r.action, ActionKind::Update | ActionKind::Upgrade) {
                continue;
            }
            // Take it on the group's devices only, assess again: the group's score drops by
            // the view's impact.
            let again = engine.assess(&after(&fleet, &only_on(r, &members)));
            let real = before - group_score(&again, &record, &group);
            assert!(
                (real - row.impact).abs() < 1e-9,
                "{group} {}: view {} real {real}",
                row.id,
                row.impact
            );
            checked += 1;
        }
        // Every figure stays within the group.
        assert!(devices::rows(&record, &filter, 3)
            .iter()
            .all(|d| members.contains(d.id.as_str())));
        let exposed: usize = weaknesses::rows(&record, &filter)
            .iter()
            .map(|w| w.devices)
            .max()
            .unwrap_or(0);
        assert!(exposed <= members.len());
        assert!(software::rows(&record, &filter)
            .iter()
            .all(|s| s.installed_on <= members.len()));
    }
    assert!(checked >= 6, "{checked} group impacts checked");
}

/// An SBOM of the shared data as three devices: two in `prod`, one in `ci`.
fn three_copies(sbom: &std::path::Path) -> Fleet {
    let loaded = exposure::inventory::load_path(sbom, &LoadOptions::default()).expect("an SBOM");
    let template = loaded.fleet.devices.first().expect("one device").clone();
    let devices = [
        ("js-prod-1", "prod"),
        ("js-prod-2", "prod"),
        ("js-ci", "ci"),
    ]
    .into_iter()
    .map(|(id, group)| {
        let mut d = template.clone();
        id.clone_into(&mut d.id);
        id.clone_into(&mut d.name);
        d.groups = vec![group.to_owned()];
        d
    })
    .collect();
    Fleet { devices }
}

/// Creates an activity from recommendation `id` of `fleet`'s assessment and follows it as
/// `upgrade` (the fleet with the recommendation's packages moved on the devices given) is
/// applied to every device (completed), to one device (partly done, overdue), then to all
/// but one (that one regresses); an activity on the `prod` group ignores the CI copy.
/// `per_device` is the baseline of one copy (its distinct advisories on the product).
fn follow_activity(
    engine: &Engine,
    fleet: &Fleet,
    id: &str,
    per_device: usize,
    upgrade: &dyn Fn(&Fleet, &BTreeSet<&str>) -> Fleet,
) {
    let day = |d: &str| d.parse().expect("a day");
    let assess = |f: &Fleet, d: &str| {
        let a = engine.assess_as_of(f, Some(day(d)), &|_, _| {});
        let r = record(&a, f, engine);
        (a, r)
    };
    let (_, r0) = assess(fleet, "2026-12-01");
    let chosen = r0
        .recommendations
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id} among {:?}", r0.recommendations));
    let activity = RemediationActivity::create(
        &r0,
        id,
        ActivityOptions {
            due: Some(day("2026-12-10")),
            priority: Priority::Critical,
            note: "real data".to_owned(),
            ..ActivityOptions::new("JS-1", day("2026-12-01"))
        },
    )
    .expect("created");
    assert_eq!(activity.devices, ["js-ci", "js-prod-1", "js-prod-2"]);
    assert_eq!(
        activity.baseline.len(),
        3 * per_device,
        "{:?}",
        activity.baseline
    );
    let all: BTreeSet<&str> = ["js-prod-1", "js-prod-2", "js-ci"].into();

    // Every device upgraded: completed, and the organisation's score dropped by the
    // recommendation's impact (for attention required: the exposure it leaves).
    let impact = if chosen.action == ActionKind::AttentionRequired {
        chosen.exposure_left
    } else {
        chosen.exposure_impact
    };
    let (_, r1) = assess(&upgrade(fleet, &all), "2026-12-05");
    let done = activity.progress(&r1);
    assert!(done.completed && !done.overdue, "{done:?}");
    assert_eq!(
        (done.done, done.remaining, done.findings_remaining),
        (3, 0, 0)
    );
    assert!(
        (r0.score - r1.score - impact).abs() < 1e-9,
        "{} - {} vs {impact}",
        r0.score,
        r1.score,
    );

    // Only js-prod-1 upgraded, seen after the due day: partly done, overdue.
    let one: BTreeSet<&str> = ["js-prod-1"].into();
    let (_, partial) = assess(&upgrade(fleet, &one), "2026-12-11");
    let p = activity.progress(&partial);
    assert_eq!(
        (p.done, p.remaining, p.findings_remaining),
        (1, 2, 2 * per_device)
    );
    assert!(!p.completed && p.overdue);

    // Then everything upgraded but js-prod-1 reverted: it regresses.
    let two: BTreeSet<&str> = ["js-prod-2", "js-ci"].into();
    let (_, reverted) = assess(&upgrade(fleet, &two), "2026-12-12");
    let series = progress_over(&activity, &[r0.clone(), r1.clone(), reverted]);
    let last = series.latest().expect("three points");
    let states: Vec<(&str, DeviceState)> = last
        .devices
        .iter()
        .map(|d| (d.device.as_str(), d.state))
        .collect();
    assert_eq!(
        states,
        [
            ("js-ci", DeviceState::Done),
            ("js-prod-1", DeviceState::Regressed),
            ("js-prod-2", DeviceState::Done)
        ]
    );
    assert_eq!(series.regressions.len(), 1);
    assert_eq!(series.regressions[0].device, "js-prod-1");
    assert_eq!(
        (
            series.regressions[0].done_at,
            series.regressions[0].reopened_at
        ),
        (1, 2)
    );
    assert!(last.overdue && !last.completed);
    let overview = Overview::of(&[last.clone(), done.clone()]);
    assert_eq!(
        (
            overview.open,
            overview.completed,
            overview.overdue,
            overview.devices_done,
            overview.devices_regressed
        ),
        (1, 1, 1, 5, 1)
    );
    let csv = export::to_csv(&export::device_rows(std::slice::from_ref(last))).expect("csv");
    assert_eq!(csv.lines().count(), 4);
    assert!(
        csv.contains(&format!(
            "JS-1,{id},js-prod-1,regressed,{per_device},{per_device},true"
        )),
        "{csv}"
    );

    // An activity on the prod group only ignores the CI copy.
    let prod = RemediationActivity::create(
        &r0,
        id,
        ActivityOptions {
            targets: Targets {
                groups: vec!["prod".to_owned()],
                ..Targets::default()
            },
            ..ActivityOptions::new("JS-2", day("2026-12-01"))
        },
    )
    .expect("created");
    assert_eq!(prod.baseline.len(), 2 * per_device);
    let both: BTreeSet<&str> = ["js-prod-1", "js-prod-2"].into();
    let (_, r_prod) = assess(&upgrade(fleet, &both), "2026-12-05");
    assert!(prod.progress(&r_prod).completed);
    assert!(!activity.progress(&r_prod).completed);

    // The views on the same records: the product's row, the groups' dashboards.
    let rows = software::rows(&r0, &Filter::all());
    let product = rows
        .iter()
        .find(|s| s.ecosystem == chosen.ecosystem && s.product.ends_with(&chosen.software))
        .unwrap_or_else(|| panic!("{} among {rows:?}", chosen.software));
    assert_eq!((product.installed_on, product.exposed_devices), (3, 3));
    assert!(product.impact + 1e-9 >= impact);
    let dashboard = Dashboard::of(&[r0.clone(), r1.clone()], &Filter::group("prod"), 5);
    assert_eq!(dashboard.devices, 2);
    // The copies are alike: the group scores what each copy scores.
    assert!((dashboard.trend[0].score - r0.devices[0].score).abs() < 1e-9);
    assert!((dashboard.trend[1].score - r1.devices[0].score).abs() < 1e-9);
    // On the group the recommendation's impact is the copy's own drop.
    let group_rows = recommendations::rows(&r0, &Filter::group("prod"));
    let in_group = group_rows.iter().find(|r| r.id == id).expect("in prod");
    assert!(
        (in_group.impact - (r0.devices[0].score - r1.devices[0].score)).abs() < 1e-9,
        "{in_group:?}"
    );
    let weak = weaknesses::rows(&r0, &Filter::group("ci"));
    assert_eq!(weak.len(), r0.advisories.len());
    assert!(weak.iter().all(|w| w.devices == 1));
}

/// The juice-shop SBOM against NVD's feeds (and RustSec, which keeps NVD's Rust `cookie`
/// off npm's `cookie`, see `real_data.rs`): one product has findings, `moment` 2.0.0 with
/// CVE-2017-18214 (`momentjs:moment` up to 2.19.2 inclusive). NVD names no fixed version, so
/// the recommendation is "attention required", with no target version; the test moves moment
/// to 2.19.3, the first release past the range. (The shared Node.js security WG advisories,
/// which name patched versions, are not a format the knowledge base reads.)
#[test]
fn remediation_of_the_juice_shop_completes_partly_and_regresses() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let mut kb = exposure::kb::KnowledgeBase::new();
    kb.load_path(&data.join("nvd/json-1.1")).expect("NVD feeds");
    kb.load_path(&data.join("osv-rustsec/rustsec-osv-crates.tar.gz"))
        .expect("RustSec");
    let engine = Engine::new(kb);
    let fleet = three_copies(&data.join("sbom-cyclonedx/juice-shop__v11.1.2__bom.json.gz"));
    let moment = |fleet: &Fleet, on: &BTreeSet<&str>| {
        let mut out = fleet.clone();
        for device in out
            .devices
            .iter_mut()
            .filter(|d| on.contains(d.id.as_str()))
        {
            for item in &mut device.software {
                if item.name == "moment" && item.version == "2.0.0" {
                    *item = std::sync::Arc::new(common::actions::moved(item, "2.19.3"));
                }
            }
        }
        out
    };
    follow_activity(&engine, &fleet, "attention_required:npm:moment", 1, &moment);
}

/// The dropwizard SBOM against NVD: snakeyaml's update to 1.26 (see `recommendations.rs`),
/// taken as the recommendation says.
#[test]
fn remediation_of_dropwizard_by_its_target_version() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let mut kb = exposure::kb::KnowledgeBase::new();
    kb.load_path(&data.join("nvd")).expect("NVD");
    let engine = Engine::new(kb);
    let fleet = three_copies(&data.join("sbom-cyclonedx/dropwizard-1.3.15__bom.json"));
    let assessment = engine.assess(&fleet);
    let snakeyaml = assessment
        .recommendations
        .iter()
        .find(|r| r.software == "org.yaml:snakeyaml")
        .expect("snakeyaml")
        .clone();
    assert_eq!(snakeyaml.target_version.as_deref(), Some("1.26"));
    let id = snakeyaml.id();
    let per_device = snakeyaml.resolves.len();
    let update = move |fleet: &Fleet, on: &BTreeSet<&str>| after(fleet, &only_on(&snakeyaml, on));
    follow_activity(&engine, &fleet, &id, per_device, &update);
}

#[test]
fn the_dashboard_lists_the_history_s_events_per_group() {
    let engine = Engine::demo();
    let fleet = exposure::demo::fleet();
    let before = engine.assess(&fleet);
    let first = record(&before, &fleet, &engine);
    // The first recommendation taken: its advisories are fixed on its devices.
    let taken = &before.recommendations[0];
    let fleet_after = after(&fleet, taken);
    let second = record(&engine.assess(&fleet_after), &fleet_after, &engine);
    let history = [first.clone(), second];
    let all = Dashboard::of(&history, &Filter::all(), 10);
    let fixed: Vec<&str> = all
        .top_events
        .iter()
        .filter(|e| e.kind.name() == "vulnerability_fixed")
        .filter_map(|e| e.advisory.as_deref())
        .collect();
    assert!(!fixed.is_empty(), "{:?}", all.top_events);
    for advisory in &fixed {
        assert!(taken.resolves.iter().any(|r| r == advisory), "{advisory}");
    }
    // A group holding the recommendation's devices sees the same fixes; one without them none.
    let touched: BTreeSet<&str> = taken.devices.iter().map(String::as_str).collect();
    for group in exposure::views::groups(&first) {
        let dashboard = Dashboard::of(&history, &Filter::group(&group), 10);
        let holds = first
            .devices
            .iter()
            .any(|d| touched.contains(d.id.as_str()) && d.groups.contains(&group));
        let sees = dashboard
            .top_events
            .iter()
            .any(|e| e.kind.name() == "vulnerability_fixed");
        assert_eq!(holds, sees, "group {group}: {:?}", dashboard.top_events);
        // Its score change is the group's own: the restricted records' scores.
        if let Some(change) = dashboard
            .top_events
            .iter()
            .find(|e| e.kind.name() == "exposure_score_change")
        {
            let (b, a) = (dashboard.trend[0].score, dashboard.trend[1].score);
            assert!((change.score_change - (a - b)).abs() < 1e-9, "{group}");
        }
    }
}
