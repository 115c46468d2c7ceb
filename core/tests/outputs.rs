//! The report formats (`exposure::report`) checked by the tools that read them: SARIF against
//! the official OASIS 2.1.0 schema, CycloneDX VEX against the official 1.6 schema, the
//! assessment JSON against its published schema (`schemas/assessment.schema.json`), VEX read
//! back by the knowledge base (it suppresses the same findings), and the HTML report opened in
//! headless Chromium (the rendered DOM and a screenshot).
//!
//! The validators are Python packages from PyPI and the browser is Debian's `chromium`:
//! `scripts/test` installs them. Where they are absent a test says SKIPPED, except in CI,
//! where it fails.

use exposure::assessment::Assessment;
use exposure::engine::AssessOptions;
use exposure::exceptions::ExceptionSet;
use exposure::history::AssessmentRecord;
use exposure::inventory::{self, Fleet};
use exposure::Engine;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

mod common;

/// A day on which every exception of the example set is in force.
fn in_force() -> Option<exposure::date::Date> {
    "2026-12-04".parse().ok()
}

fn example_exceptions() -> ExceptionSet {
    ExceptionSet::from_path(&common::root().join("examples/exceptions.yaml"))
        .expect("the example reads")
}

/// An OpenVEX document saying web-01's urllib3 is fixed for CVE-2023-45803 (a statement of the
/// `fixed` status the assessment then reports as a suppression).
const FIXED_VEX: &str = r#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "urn:test",
  "author": "test", "timestamp": "2026-01-01T00:00:00Z", "version": 1, "statements": [
  {"vulnerability": {"name": "CVE-2023-45803"}, "status": "fixed",
   "products": [{"@id": "pkg:pypi/urllib3@1.26.12"}]}]}"#;

/// The demo fleet with a passing configuration check on web-01 that mitigates
/// CVE-2023-32681 (requests).
fn mitigated_fleet() -> Fleet {
    let text = exposure::demo::FLEET_JSON.replacen(
        "\"configuration\": [",
        "\"configuration\": [{\"id\": \"proxy-auth-stripped\", \"title\": \"Proxies strip \
         Proxy-Authorization on redirects\", \"status\": \"pass\", \"weight\": 1, \
         \"mitigates\": [\"CVE-2023-32681\"]},",
        1,
    );
    inventory::load_text(&text, "fleet.json", &inventory::LoadOptions::default())
        .expect("the fleet loads")
        .fleet
}

/// The demo assessed with every kind of outcome: findings standing, one mitigated by a
/// configuration check, some removed by exceptions (and recommendations hidden), one removed
/// by a `fixed` VEX statement. It holds its fleet.
fn rich() -> Assessment {
    let set = example_exceptions();
    let fleet = mitigated_fleet();
    let mut engine = Engine::demo();
    let report = engine.kb_mut().load_text(FIXED_VEX, "fixed.vex.json");
    assert_eq!(report.problem_count, 0, "{report:?}");
    let options = AssessOptions {
        as_of: in_force(),
        exceptions: Some(&set),
    };
    let mut a = engine.assess_with(&fleet, &options, &|_, _| {});
    a.fleet = Some(Arc::new(fleet));
    a
}

/// The demo, holding its fleet.
fn demo() -> Assessment {
    let fleet = exposure::demo::fleet();
    let mut a = Engine::demo().assess(&fleet);
    a.fleet = Some(Arc::new(fleet));
    a
}

/// A directory of this test binary's own for the documents it writes.
fn out_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("outputs")
        .join(name);
    std::fs::create_dir_all(&dir).expect("an output directory");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

#[test]
fn the_rich_fixture_has_every_outcome() {
    let a = rich();
    assert!(a.findings.iter().any(|f| f.mitigated_by.is_some()));
    assert!(a.suppressed.iter().any(|s| s.exception.is_some()));
    assert!(a.suppressed.iter().any(|s| s
        .statement
        .as_ref()
        .is_some_and(|st| st.status == exposure::kb::VexStatus::Fixed)));
    assert!(!a.excepted_recommendations.is_empty());
}

#[test]
fn assessment_json_follows_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("schemas/assessment.schema.json"))
            .expect("the schema"),
    )
    .expect("JSON");
    // The schema's $id carries the version the documents state.
    let version = exposure::report::ASSESSMENT_FORMAT
        .rsplit('/')
        .next()
        .expect("a version");
    assert!(
        schema["$id"]
            .as_str()
            .is_some_and(|id| id.ends_with(&format!("/assessment/{version}.schema.json"))),
        "{}",
        schema["$id"]
    );
    assert_eq!(
        schema["properties"]["format"]["const"],
        exposure::report::ASSESSMENT_FORMAT
    );
    let Some(python) = common::validator_python() else {
        return;
    };
    let dir = out_dir("schema");
    let schema_path = common::root().join("schemas/assessment.schema.json");
    let mut docs = Vec::new();
    for (name, a) in [("demo", demo()), ("rich", rich())] {
        docs.push(write(
            &dir,
            &format!("{name}.json"),
            &serde_json::to_string(&a).expect("serialises"),
        ));
    }
    let golden = common::root().join("tests/golden/demo-assessment.json");
    docs.push(golden);
    let mut args: Vec<&Path> = vec![&schema_path];
    args.extend(docs.iter().map(PathBuf::as_path));
    common::validate(&python, "schema", &args);
    // The schema is closed: a field it does not describe fails.
    let mut extra: serde_json::Value = serde_json::to_value(demo()).expect("a value");
    extra["findings"][0]["surprise"] = serde_json::json!(1);
    let bad = write(&dir, "extra-field.json", &extra.to_string());
    let out = Command::new(&python)
        .arg(common::root().join("tests/oracles/validate_outputs.py"))
        .args(["schema".as_ref(), schema_path.as_os_str(), bad.as_os_str()])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("surprise"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn sarif_follows_the_official_schema_and_what_code_scanning_needs() {
    let a = rich();
    let log = exposure::report::sarif::log(&a);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    // One rule per advisory, one result per finding (suppressed ones are not results).
    let advisories: BTreeSet<&str> = a.findings.iter().map(|f| &*f.finding.advisory_id).collect();
    assert_eq!(rules.len(), advisories.len());
    assert_eq!(results.len(), a.findings.len());
    for r in results {
        let rule = &rules[usize::try_from(r["ruleIndex"].as_u64().expect("index")).expect("fits")];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(!r["message"]["text"].as_str().expect("text").is_empty());
        let location = &r["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.starts_with("devices/")));
        assert_eq!(location["region"]["startLine"], 1);
        assert_eq!(
            r["partialFingerprints"]["exposureFinding/v1"]
                .as_str()
                .map(str::len),
            Some(16)
        );
    }
    for rule in rules {
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .expect("a string")
            .parse()
            .expect("a number");
        assert!((0.0..=10.0).contains(&severity));
        for key in ["name", "helpUri"] {
            assert!(rule[key].is_string(), "{key}: {rule}");
        }
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(rule["fullDescription"]["text"].is_string());
    }
    let demo_log = exposure::report::sarif::log(&demo());
    let go = demo_log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == "GO-2023-2102")
        .expect("the KEV advisory");
    assert!(go["properties"]["tags"]
        .as_array()
        .expect("tags")
        .contains(&"known-exploited".into()));
    // Fingerprints are distinct per finding.
    let prints: BTreeSet<&str> = results
        .iter()
        .filter_map(|r| r["partialFingerprints"]["exposureFinding/v1"].as_str())
        .collect();
    assert_eq!(prints.len(), results.len());
    let Some(python) = common::validator_python() else {
        return;
    };
    let dir = out_dir("sarif");
    let docs = [
        write(&dir, "rich.sarif", &exposure::report::sarif::to_string(&a)),
        write(
            &dir,
            "demo.sarif",
            &exposure::report::sarif::to_string(&demo()),
        ),
    ];
    let args: Vec<&Path> = docs.iter().map(PathBuf::as_path).collect();
    common::validate(&python, "sarif", &args);
}

/// The (device, advisory, software) of findings suppressed.
fn suppressed(a: &Assessment) -> BTreeSet<(String, String, String)> {
    a.suppressed
        .iter()
        .map(|s| {
            (
                s.finding.device_id.to_string(),
                s.finding.advisory_id.to_string(),
                format!("{} {}", s.finding.software.name, s.finding.software.version),
            )
        })
        .collect()
}

/// The VEX of the rich assessment read into a plain demo knowledge base: the findings it
/// suppresses are those the assessment suppressed or counted as mitigated, less what the
/// document could not state; every finding it states affected stands.
fn vex_round_trip(vex: &exposure::report::vex::AssessmentVex) {
    let a = rich();
    let unexpressed: BTreeSet<(String, String, String)> = vex
        .unexpressed
        .iter()
        .map(exposure::report::vex::NotStated::key)
        .collect();
    let mut expected = suppressed(&a);
    for f in a.findings.iter().filter(|f| f.mitigated_by.is_some()) {
        expected.insert((
            f.finding.device_id.to_string(),
            f.finding.advisory_id.to_string(),
            format!("{} {}", f.finding.software.name, f.finding.software.version),
        ));
    }
    let expected: BTreeSet<_> = expected.difference(&unexpressed).cloned().collect();
    assert!(expected.len() >= 3, "{expected:?}");
    let mut engine = Engine::demo();
    let text = serde_json::to_string(&vex.document).expect("serialises");
    let report = engine.kb_mut().load_text(&text, "assessment.vex.json");
    assert_eq!(report.problem_count, 0, "{:?}", report.problems);
    assert_eq!(report.records_loaded, vex.statements);
    let again = engine.assess_as_of(&mitigated_fleet(), in_force(), &|_, _| {});
    assert_eq!(suppressed(&again), expected);
    // Nothing else moved: the findings standing now are the ones that stood, less those the
    // document states not affected (the mitigated ones).
    assert_eq!(
        again.findings.len() + again.suppressed.len(),
        a.findings.len() + a.suppressed.len()
    );
}

#[test]
fn openvex_of_an_assessment_round_trips() {
    let a = rich();
    let vex = exposure::report::vex::openvex(&a);
    let statements = vex.document["statements"].as_array().expect("statements");
    let statuses: BTreeSet<&str> = statements
        .iter()
        .filter_map(|s| s["status"].as_str())
        .collect();
    assert_eq!(
        statuses,
        BTreeSet::from(["affected", "fixed", "not_affected"]),
        "{statements:?}"
    );
    for s in statements {
        match s["status"].as_str() {
            Some("affected") => assert!(s["action_statement"].is_string(), "{s}"),
            Some("not_affected") => {
                assert!(
                    s["justification"].is_string() && s["impact_statement"].is_string(),
                    "{s}"
                );
            }
            _ => {}
        }
    }
    vex_round_trip(&vex);
}

#[test]
fn cyclonedx_vex_of_an_assessment_follows_the_schema_and_round_trips() {
    let a = rich();
    let vex = exposure::report::vex::cyclonedx(&a);
    let states: BTreeSet<&str> = vex.document["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .filter_map(|v| v["analysis"]["state"].as_str())
        .collect();
    assert_eq!(
        states,
        BTreeSet::from(["exploitable", "not_affected", "resolved"])
    );
    vex_round_trip(&vex);
    let Some(python) = common::validator_python() else {
        return;
    };
    let dir = out_dir("cyclonedx");
    let set = example_exceptions();
    let docs = [
        write(&dir, "rich.cdx.json", &vex.document.to_string()),
        write(
            &dir,
            "demo.cdx.json",
            &exposure::report::vex::cyclonedx(&demo())
                .document
                .to_string(),
        ),
        // The exceptions' export goes through the same writer.
        write(
            &dir,
            "exceptions.cdx.json",
            &set.to_cyclonedx(&a).document.to_string(),
        ),
    ];
    let args: Vec<&Path> = docs.iter().map(PathBuf::as_path).collect();
    common::validate(&python, "cyclonedx", &args);
}

#[test]
fn csv_and_markdown_say_what_the_assessment_says() {
    let a = rich();
    let csv = exposure::report::csv::findings(&a);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let names: Vec<&str> = exposure::assessment::FindingRow::SCHEMA
        .iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(header, names);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), a.findings.len());
    let at = names
        .iter()
        .position(|n| *n == "mitigated_by")
        .expect("a mitigated_by column");
    let mitigated = rows.iter().filter(|r| !r[at].is_empty()).count();
    assert_eq!(mitigated, 1);
    let md = exposure::report::markdown::summary(&a, 3);
    let totals = a.severity_totals();
    assert!(md.contains(&format!(
        "## Exposure: {:.1} ({})",
        a.organisation.score,
        a.organisation.level.name()
    )));
    assert!(md.contains(&format!(
        "suppressed by VEX or exceptions: {}",
        a.suppressed.len()
    )));
    assert!(md.contains(&format!("not counted in the score: {}", totals.not_counted)));
    // Severity header and row, and a header and three rows for each top list.
    assert_eq!(md.matches("\n| ").count(), 2 + 4 + 4, "{md}");
}

/// The demo with a hostile advisory summary and device name: no markup of theirs passes.
fn hostile() -> Assessment {
    let mut a = demo();
    let mut finding = a.findings[0].finding.clone();
    finding.summary = Some("<script>document.title='pwned'</script><img src=x onerror=alert(1)> | [x](javascript:alert(1))".into());
    a.findings[0].finding = finding;
    a
}

#[test]
fn hostile_text_is_escaped_in_every_format() {
    let a = hostile();
    let html = exposure::report::html::report(&a, &[], 5).expect("a report");
    assert!(!html.contains("<script"), "a script element");
    assert!(!html.contains("<img"), "an image element");
    assert!(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    let md = exposure::report::markdown::summary(&a, 20);
    assert!(
        !md.contains("<script") && !md.contains("](javascript"),
        "{md}"
    );
}

/// Chromium from Debian (`chromium`), when installed.
fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from(
        std::env::var_os("EXPOSURE_CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()),
    );
    if path.exists() {
        return Some(path);
    }
    assert!(
        !common::in_ci(),
        "{} not found, and CI requires it: scripts/test installs Debian's chromium",
        path.display()
    );
    eprintln!(
        "SKIPPED: {} not found (apt-get install chromium)",
        path.display()
    );
    None
}

/// Runs headless Chromium on `page` with `args`, offline; its standard output.
fn headless(chromium: &Path, page: &Path, args: &[String]) -> String {
    let profile = page.with_extension("profile");
    let _ = std::fs::remove_dir_all(&profile);
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            // Offline: any request to the network fails, so a report that needed one would
            // show it missing.
            "--proxy-server=127.0.0.1:9",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Pixels of a PNG that are not the page's background, and those of one colour.
fn pixels(png_path: &Path, colour: [u8; 3]) -> (u32, u32, usize, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).expect("the screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let data = &buf[..info.buffer_size()];
    let background = [0xf6, 0xf7, 0xf9];
    let mut not_background = 0;
    let mut of_colour = 0;
    for px in data.chunks_exact(channels) {
        let rgb = [px[0], px[1], px[2]];
        if rgb != background && rgb != [0xff, 0xff, 0xff] {
            not_background += 1;
        }
        if rgb == colour {
            of_colour += 1;
        }
    }
    (info.width, info.height, not_background, of_colour)
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let a = hostile();
    let fleet = a.fleet.clone().expect("the fleet");
    let engine = Engine::demo();
    // A history of two records: the first with the gateway's Go library updated away.
    let mut earlier = AssessmentRecord::of(&Engine::demo().assess(&fleet), &fleet, engine.kb())
        .expect("a record");
    earlier.as_of = "2026-11-01".parse().ok();
    earlier.score = 40.0;
    for d in &mut earlier.devices {
        d.score = 40.0;
    }
    let plain = exposure::report::html::report(&a, &[], 5).expect("a report");
    let with_history = exposure::report::html::report(&a, &[earlier], 5).expect("a report");
    let dir = out_dir("html");
    let pages = [
        write(&dir, "demo.html", &plain),
        write(&dir, "history.html", &with_history),
    ];
    if let Some(python) = common::validator_python() {
        let args: Vec<&Path> = pages.iter().map(PathBuf::as_path).collect();
        common::validate(&python, "html", &args);
    }
    let Some(chromium) = chromium() else {
        return;
    };
    let started = std::time::Instant::now();
    for (page, points) in [(&pages[0], 0), (&pages[1], 2)] {
        let dom = headless(&chromium, page, &["--dump-dom".to_owned()]);
        let title = format!(
            "<title>Exposure report: {:.1} ({})</title>",
            a.organisation.score,
            a.organisation.level.name()
        );
        assert!(dom.contains(&title), "{dom}");
        assert!(dom.contains(&format!(
            "<span id=\"score\" class=\"score level-{}\">{:.1}</span>",
            a.organisation.level.name(),
            a.organisation.score
        )));
        // The hostile summary is text: no script ran (the title is ours), no element was made.
        assert!(!dom.contains("pwned</title>") && !dom.contains("<img"));
        assert!(
            dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
            "{dom}"
        );
        let chart = |id: &str| {
            let start = dom
                .find(&format!("<svg id=\"{id}\""))
                .unwrap_or_else(|| panic!("{id} in {dom}"));
            let end = start + dom[start..].find("</svg>").expect("the chart's end");
            dom[start..end].to_owned()
        };
        assert_eq!(
            chart("chart-distribution")
                .matches("<rect class=\"bar")
                .count(),
            3
        );
        assert_eq!(
            chart("chart-recommendations")
                .matches("<rect class=\"bar")
                .count(),
            5
        );
        assert_eq!(
            chart("chart-software").matches("<rect class=\"bar").count(),
            5
        );
        if points == 0 {
            assert!(!dom.contains("chart-trend"));
        } else {
            assert_eq!(
                chart("chart-trend")
                    .matches("<circle class=\"point")
                    .count(),
                points
            );
        }
        assert!(dom.contains("update golang.org/x/net (Go) to 0.17.0"));
    }
    let (width, height) = (1000, 1800);
    let shot = dir.join("history.png");
    headless(
        &chromium,
        &pages[1],
        &[
            format!("--window-size={width},{height}"),
            format!("--screenshot={}", shot.display()),
        ],
    );
    // The bars of the recommendations chart (#1565c0) are drawn, and the page is not blank.
    let (w, h, drawn, blue) = pixels(&shot, [0x15, 0x65, 0xc0]);
    assert_eq!((w, h), (width, height));
    assert!(drawn > 100_000, "{drawn} pixels drawn");
    assert!(blue > 5_000, "{blue} pixels of the bars' blue");
    eprintln!(
        "chromium: 3 runs in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn an_old_knowledge_base_is_warned_about_in_every_human_report() {
    use exposure::history::AssessmentRecord;
    use exposure::kb::{unix_seconds, KbAgeCheck};
    use exposure::views::{dashboard::Dashboard, Filter};
    let engine = Engine::demo();
    let fleet = exposure::demo::fleet();
    let mut a = engine.assess(&fleet);
    let record = AssessmentRecord::of(&a, &fleet, engine.kb()).expect("record");
    let dashboard = Dashboard::of(&[record], &Filter::all(), 5);
    let human = |a: &Assessment| {
        (
            a.headline(),
            exposure::report::markdown::summary(a, 3),
            exposure::report::html::render(a, &dashboard, 5),
        )
    };
    // Three days after the demo's newest date, one allowed.
    let now = unix_seconds("2023-10-20T20:15:00Z").expect("date");
    a.knowledge_age = Some(engine.kb().metadata().age_check(KbAgeCheck {
        now,
        max_age: 86_400,
    }));
    let warning =
        "the knowledge base is 3d old (as of 2023-10-17T20:15:00Z), more than the 1d allowed";
    let (headline, markdown, html) = human(&a);
    assert!(
        headline.contains(&format!("\nWARNING: {warning}")),
        "{headline}"
    );
    assert!(
        markdown.contains(&format!("> **Warning:** {warning}")),
        "{markdown}"
    );
    assert!(html.contains(&format!(
        "<p class=\"warning\" id=\"knowledge-age\">Warning: {warning}"
    )));
    // A week allowed: the knowledge is fresh enough, but the demo's KEV catalogue (released
    // 2023-10-10, ten days before) is a stale feed beside it, and named.
    a.knowledge_age = Some(engine.kb().metadata().age_check(KbAgeCheck {
        now,
        max_age: 7 * 86_400,
    }));
    let (headline, markdown, _) = human(&a);
    assert!(
        headline.contains("\nWARNING: ") && headline.contains("kev.json"),
        "{headline}"
    );
    assert!(markdown.contains("kev.json"), "{markdown}");
    // A month allowed: nothing said.
    a.knowledge_age = Some(engine.kb().metadata().age_check(KbAgeCheck {
        now,
        max_age: 30 * 86_400,
    }));
    let (headline, markdown, html) = human(&a);
    assert!(
        !headline.contains("WARNING")
            && !markdown.contains("Warning")
            && !html.contains("knowledge-age")
    );
}
