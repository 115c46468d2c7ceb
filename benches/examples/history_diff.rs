//! The history benchmark of issue 14: two records of the seeded 10,000 × 300 fleet (see
//! `fleet_scale.rs`), the second a day later with about 1 % of installations upgraded past
//! every range and a few threat changes (KEV entries and EPSS jumps); times the diff, the
//! events, and both from one match. Results: `benches/README.md`.
//!
//!     cargo run --release -p exposure-benches --example history_diff [-- DEVICES ITEMS SEED]

#![allow(clippy::print_stdout)] // a benchmark report

use exposure::history::{changes, AssessmentRecord, Event, EventOptions, RecordDiff};
use exposure::inventory::{Fleet, Software};
use exposure::kb::KnowledgeBase;
use exposure::Engine;
use exposure_benches::fleet::{generate, Pool};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

/// `fleet` with one installation in a hundred moved to a version past every range (shared:
/// each distinct item moves to one shared upgraded item).
fn upgraded(fleet: &Fleet) -> (Fleet, usize) {
    let mut fleet = fleet.clone();
    let mut moved: HashMap<usize, Arc<Software>> = HashMap::new();
    let mut count = 0;
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for device in &mut fleet.devices {
        for item in &mut device.software {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            if (state >> 33) % 100 != 0 {
                continue;
            }
            count += 1;
            let key = Arc::as_ptr(item) as usize;
            *item = moved
                .entry(key)
                .or_insert_with(|| {
                    let mut s = Software::clone(item);
                    s.version = if s.ecosystem.to_string().starts_with("Debian") {
                        format!("99:{}", s.version)
                    } else {
                        "999.0.0".to_owned()
                    };
                    s.purl = None;
                    s.cpe = None;
                    Arc::new(s)
                })
                .clone();
        }
    }
    (fleet, count)
}

fn main() {
    let (devices, items, seed) = exposure_benches::fleet_args();
    let Some(data) = exposure_benches::shared_data() else {
        eprintln!("SKIPPED: shared data not found (set EXPOSURE_SHARED_DIR)");
        return;
    };
    let mut kb = KnowledgeBase::new();
    for feed in exposure_benches::FLEET_FEEDS {
        if let Err(e) = kb.load_path(&data.join(feed)) {
            eprintln!("{feed}: {e}");
        }
    }
    let pool = Pool::from_shared(&data);
    let fleet = generate(&pool, devices, items, seed);
    let mut engine = Engine::new(kb);
    let started = Instant::now();
    let assessment = engine.assess(&fleet);
    let assessed = started.elapsed();
    let started = Instant::now();
    let mut before = AssessmentRecord::of(&assessment, &fleet, engine.kb()).expect("record");
    let recorded = started.elapsed();
    before.as_of = "2024-03-01".parse().ok();
    drop(assessment);

    // A day later: 1 % of installations upgraded; five CVEs with findings KEV-listed and five
    // others' EPSS raised to 0.6.
    let (later, moved) = upgraded(&fleet);
    let mut cves = before
        .advisories
        .iter()
        .filter(|a| a.kev.is_none())
        .filter_map(|a| a.cves().next().map(str::to_owned));
    let listed: Vec<String> = cves.by_ref().take(5).collect();
    let raised: Vec<String> = cves.take(5).collect();
    let mut kev = String::from(
        "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,\
         requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n",
    );
    for cve in &listed {
        let _ = writeln!(kev, "{cve},v,p,n,2024-03-02,d,a,2024-03-23,Unknown,,");
    }
    let mut epss = String::from("cve,epss,percentile\n");
    for cve in &raised {
        let _ = writeln!(epss, "{cve},0.6,0.99");
    }
    engine.kb_mut().threat_mut().load_text(&kev, "kev.csv");
    engine.kb_mut().threat_mut().load_text(&epss, "epss.csv");
    let mut after =
        AssessmentRecord::of(&engine.assess(&later), &later, engine.kb()).expect("record");
    after.as_of = "2024-03-02".parse().ok();

    let options = EventOptions::default();
    let started = Instant::now();
    let diff = RecordDiff::between(&before, &after);
    let diffed = started.elapsed();
    let started = Instant::now();
    let events = Event::between(&before, &after, None, &options);
    let evented = started.elapsed();
    let started = Instant::now();
    let (both_diff, both_events) = changes(&before, &after, None, &options);
    let both = started.elapsed();
    assert_eq!(both_diff, diff);
    assert_eq!(both_events, events);
    let started = Instant::now();
    let json = serde_json::to_string(&diff).expect("json");
    let serialised = started.elapsed();

    println!(
        "fleet: {devices} devices x {items} items (seed {seed}); assessment {:.2} s, record {:.2} s: {} findings, {} distinct items, {} advisories",
        assessed.as_secs_f64(),
        recorded.as_secs_f64(),
        before.findings.len(),
        before.software.len(),
        before.advisories.len()
    );
    println!(
        "day two: {moved} installations upgraded, {} CVEs KEV-listed, {} EPSS raised; {} findings",
        listed.len(),
        raised.len(),
        after.findings.len()
    );
    println!(
        "diff: {:.3} s: {} software changes, {} new and {} fixed findings, {} devices changed, {} organisation causes; score {:.3} -> {:.3}; JSON {:.1} MB in {:.3} s",
        diffed.as_secs_f64(),
        diff.software.len(),
        diff.new_findings.len(),
        diff.fixed_findings.len(),
        diff.devices.len(),
        diff.organisation.causes.len(),
        diff.organisation.before,
        diff.organisation.after,
        f64::from(u32::try_from(json.len()).unwrap_or(u32::MAX)) / 1e6,
        serialised.as_secs_f64()
    );
    let mut kinds: Vec<&str> = events.iter().map(|e| e.kind.name()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    println!(
        "events: {:.3} s: {} events ({})",
        evented.as_secs_f64(),
        events.len(),
        kinds.join(", ")
    );
    println!(
        "diff and events from one match (history::changes): {:.3} s",
        both.as_secs_f64()
    );
    // The views of the later record and the dashboard of the two, whole and for one group.
    let history = [before, after];
    let record = &history[1];
    let group = exposure::views::groups(record).into_iter().next();
    for filter in [
        Some(exposure::views::Filter::all()),
        group.as_deref().map(exposure::views::Filter::group),
    ]
    .into_iter()
    .flatten()
    {
        let timed = |f: &dyn Fn() -> usize| {
            let started = Instant::now();
            let n = f();
            (n, started.elapsed().as_secs_f64())
        };
        let (software, t_software) =
            timed(&|| exposure::views::software::rows(record, &filter).len());
        let (weaknesses, t_weaknesses) =
            timed(&|| exposure::views::weaknesses::rows(record, &filter).len());
        let (devices, t_devices) =
            timed(&|| exposure::views::devices::rows(record, &filter, 3).len());
        let (recommendations, t_recommendations) =
            timed(&|| exposure::views::recommendations::rows(record, &filter).len());
        println!(
            "views: software {t_software:.3} s, weaknesses {t_weaknesses:.3} s, devices {t_devices:.3} s, recommendations {t_recommendations:.3} s"
        );
        let viewed = std::time::Duration::from_secs_f64(
            t_software + t_weaknesses + t_devices + t_recommendations,
        );
        let started = Instant::now();
        let dashboard = exposure::views::dashboard::Dashboard::of(&history, &filter, 5);
        let dashed = started.elapsed();
        println!(
            "views ({}): {:.3} s: {software} products, {weaknesses} weaknesses, {devices} devices, {recommendations} recommendations; dashboard of the two records {:.3} s ({} top events)",
            filter.group.as_deref().unwrap_or("all devices"),
            viewed.as_secs_f64(),
            dashed.as_secs_f64(),
            dashboard.top_events.len()
        );
    }
}
