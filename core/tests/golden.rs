//! Assessments compared with the ones committed in `tests/golden/`: the embedded demo (the
//! whole JSON document) and real data from `../shared/data` (every SBOM, the Debian 12 host,
//! Windows registry exports with and without NVD's CPE dictionary) against a knowledge base of
//! every shared feed, as one line per finding, device, recommendation and problem.
//!
//! A change of output shows here as a diff. When a change is meant (a correction an issue
//! names), regenerate the files and commit them with the reason:
//!
//! ```text
//! EXPOSURE_BLESS=1 cargo test -p exposure --test golden
//! ```

use exposure::assess::{AssessInputs, InventorySource};
use exposure::inventory::Distro;
use exposure::Engine;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod common;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/golden")
}

/// Compares `actual` with the golden file `name`, or writes it when `EXPOSURE_BLESS` is set.
fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("EXPOSURE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("golden dir");
        std::fs::write(&path, actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (EXPOSURE_BLESS=1 writes it)", path.display()));
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(10)
            .map(|(i, (e, a))| format!("line {}:\n  golden: {e}\n  now:    {a}", i + 1))
            .collect();
        panic!(
            "{name} differs from the golden file ({} lines golden, {} now):\n{}",
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn demo_assessment_is_unchanged() {
    let assessment = Engine::demo().assess(&exposure::demo::fleet());
    let json = serde_json::to_string_pretty(&assessment).expect("serialises") + "\n";
    check("demo-assessment.json", &json);
}

/// A text of the JSON value at `path` (`a.b.c`), `-` when absent or null.
fn field(value: &Value, path: &str) -> String {
    let mut at = value;
    for key in path.split('.') {
        match at.get(key) {
            Some(next) => at = next,
            None => return "-".to_owned(),
        }
    }
    match at {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n
            .as_f64()
            .filter(|_| n.is_f64())
            .map_or_else(|| n.to_string(), |f| format!("{f:.6}")),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

fn line(value: &Value, kind: &str, paths: &[&str]) -> String {
    let mut out = kind.to_owned();
    for path in paths {
        out.push('\t');
        out.push_str(&field(value, path));
    }
    out.push('\n');
    out
}

fn items<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The assessment as lines: organisation, devices, findings (everything but the evidence's
/// source file), recommendations, suppressions, diagnostics and inventory reports. Paths
/// below the shared directory are written relative to it.
fn fingerprint(assessment: &exposure::Assessment, shared: &Path) -> String {
    let text = serde_json::to_string(assessment)
        .expect("serialises")
        .replace(&shared.display().to_string(), "$SHARED");
    let value: Value = serde_json::from_str(&text).expect("JSON");
    let mut out = line(
        &value,
        "organisation",
        &[
            "organisation.score",
            "organisation.level",
            "organisation.devices",
            "organisation.vulnerable_devices",
            "organisation.findings",
        ],
    );
    for device in items(&value, "devices") {
        out += &line(
            device,
            "device",
            &[
                "device_id",
                "name",
                "value",
                "weight",
                "software",
                "findings",
                "score",
                "level",
            ],
        );
    }
    for finding in items(&value, "findings") {
        out += &line(
            finding,
            "finding",
            &[
                "device_id",
                "software.ecosystem",
                "software.name",
                "software.version",
                "software.purl",
                "software.cpe.name",
                "advisory_id",
                "aliases",
                "fixed_versions",
                "fix",
                "fix_state",
                "evidence.matcher",
                "evidence.confidence",
                "evidence.range_kind",
                "evidence.range",
                "evidence.matched",
                "evidence.platform",
                "evidence.cpe",
                "cvss.vector",
                "threat.known_exploited.cve_id",
                "threat.epss",
                "impact",
                "impact_source",
                "likelihood",
                "likelihood_rule",
                "risk",
            ],
        );
        // A finding gated on a platform: whether the device reports it (a line of its own,
        // so that the findings that are not gated keep their lines).
        if finding["evidence"].get("condition").is_some() {
            out += &line(
                finding,
                "condition",
                &[
                    "advisory_id",
                    "software.name",
                    "evidence.condition.state",
                    "evidence.condition.by",
                    "evidence.condition.requires",
                ],
            );
        }
    }
    for recommendation in items(&value, "recommendations") {
        out += &line(
            recommendation,
            "recommendation",
            &[
                "rank",
                "text",
                "action",
                "target_version",
                "targets",
                "major_change",
                "end_of_support.end",
                "mitigations",
                "installed_versions",
                "resolves",
                "remaining",
                "devices",
                "findings",
                "known_exploited",
                "exposure_impact",
                "configuration_impact",
                "exposure_left",
                "max_likelihood",
            ],
        );
    }
    for suppression in items(&value, "suppressed") {
        out += &line(
            suppression,
            "suppressed",
            &[
                "finding.device_id",
                "finding.software.name",
                "finding.software.version",
                "finding.advisory_id",
                "statement.status",
                "statement.vulnerability",
            ],
        );
    }
    out += &line(
        &value,
        "diagnostics",
        &[
            "diagnostics.software_items",
            "diagnostics.software_with_advisories",
            "diagnostics.unevaluated_ranges",
            "diagnostics.unparsable_versions",
        ],
    );
    for problem in items(&value["diagnostics"], "problems") {
        out += &line(
            problem,
            "problem",
            &["location", "record", "field", "message"],
        );
    }
    for report in items(&value, "inventory_reports") {
        out += &line(
            report,
            "inventory",
            &[
                "files",
                "records_read",
                "records_loaded",
                "records_skipped",
                "problem_count",
            ],
        );
        for problem in items(report, "problems") {
            out += &line(
                problem,
                "problem",
                &["location", "record", "field", "message"],
            );
        }
    }
    out
}

/// Evidence names the record that matched: a CPE match cites the NVD (or CVE 5) file whose
/// applicability statement matched, never another source merged into the advisory (before
/// issue 11, Firefox's CVE-2023-4863 on the Windows XP host cited an Alpine secdb file).
fn cites_the_record_that_matched(assessment: &exposure::Assessment) {
    use exposure::matching::Matcher;
    for f in &assessment.findings {
        let source = &*f.finding.evidence.source;
        match f.finding.evidence.matcher {
            Matcher::NvdCpe | Matcher::NvdCpePackage => assert!(
                source.contains("/nvd/") || source.contains("/cve5/"),
                "{} {}: {source}",
                f.finding.software.name,
                f.finding.advisory_id
            ),
            Matcher::VendorCpe => assert!(
                source.contains("/advisories-nodejs/") || source.contains("/advisories-mozilla/"),
                "{} {}: {source}",
                f.finding.software.name,
                f.finding.advisory_id
            ),
            Matcher::OsvPackage => assert!(!source.contains("/nvd/"), "{source}"),
        }
    }
}

/// The shared data directory (canonical) and an engine over every shared feed, loaded once
/// per test binary, through the same use case as every interface, for the tests that need it
/// (about 30 s in a debug build); `None` where the shared data is absent.
fn shared_engine() -> Option<&'static (PathBuf, Engine)> {
    static ENGINE: OnceLock<Option<(PathBuf, Engine)>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let shared = common::shared("")?
                .canonicalize()
                .expect("the shared directory");
            let knowledge = AssessInputs {
                knowledge: vec![shared.join("data")],
                ..AssessInputs::default()
            };
            let (engine, reports) = knowledge.load_engine().expect("every shared feed loads");
            assert_eq!(reports.len(), 1);
            assert!(
                reports[0].report.records_loaded > 200_000,
                "{}",
                reports[0].report
            );
            Some((shared, engine))
        })
        .as_ref()
}

#[test]
fn shared_assessments_are_unchanged() {
    let Some((shared, engine)) = shared_engine() else {
        return;
    };
    let data = shared.join("data");
    // Every assessment's JSON is also validated against the published schema, at the end.
    let documents = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden-assessments");
    std::fs::create_dir_all(&documents).expect("a directory for the documents");
    let written = std::cell::RefCell::new(Vec::new());
    let assess = |inputs: AssessInputs| {
        let assessment = inputs
            .assess_on(engine, &|_, _| {})
            .expect("inventory loads");
        cites_the_record_that_matched(&assessment);
        let path = documents.join(format!("{}.json", written.borrow().len()));
        let json = serde_json::to_string(&assessment).expect("serialises");
        std::fs::write(&path, json).expect("written");
        written.borrow_mut().push(path);
        fingerprint(&assessment, shared)
    };
    let sboms = common::shared_sboms(&data);
    assert!(sboms.len() >= 8, "{sboms:?}");
    for sbom in &sboms {
        let name = sbom.file_name().expect("a name").to_string_lossy();
        let name = name.trim_end_matches(".gz").trim_end_matches(".json");
        let inputs = AssessInputs {
            inventories: vec![InventorySource::Path(sbom.clone())],
            ..AssessInputs::default()
        };
        check(&format!("shared/sbom-{name}.tsv"), &assess(inputs));
    }
    let dpkg = AssessInputs {
        inventories: vec![InventorySource::Path(
            data.join("inventory-dpkg/dpkg-status-this-machine"),
        )],
        distro: Some(
            Distro::from_os_release_file(&data.join("inventory-dpkg/os-release-this-machine"))
                .expect("a Debian os-release"),
        ),
        ..AssessInputs::default()
    };
    check("shared/dpkg-debian-12.tsv", &assess(dpkg));
    let archive = data.join("inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz");
    for export in ["xp-Uninstall.reg", "mssql-Uninstall.reg"] {
        let stem = export.trim_end_matches("-Uninstall.reg");
        let text = InventorySource::Text {
            text: common::registry_export(&archive, export),
            origin: stem.to_owned(),
        };
        // A registry export lists hotfixes and updates without a DisplayVersion: about a
        // fifth of its programs cannot be matched and are skipped, each reported; the
        // assessment is made for the rest (an inventory is refused only when it yields no
        // device).
        let plain = AssessInputs {
            inventories: vec![text.clone()],
            ..AssessInputs::default()
        };
        check(&format!("shared/windows-{stem}.tsv"), &assess(plain));
        let named = AssessInputs {
            inventories: vec![text],
            cpe_dictionary: Some(
                data.join("nvd/cpe-dictionary/official-cpe-dictionary_v2.3-2015.xml.gz"),
            ),
            ..AssessInputs::default()
        };
        check(
            &format!("shared/windows-{stem}-dictionary.tsv"),
            &assess(named),
        );
    }
    let written = written.into_inner();
    assert_eq!(written.len(), sboms.len() + 5);
    if let Some(python) = common::validator_python() {
        let schema = common::root().join("schemas/assessment.schema.json");
        let mut args: Vec<&Path> = vec![&schema];
        args.extend(written.iter().map(PathBuf::as_path));
        common::validate(&python, "schema", &args);
    }
}

/// Findings of a known-exploited vulnerability (CISA KEV).
fn kev_findings(a: &exposure::Assessment) -> usize {
    a.findings
        .iter()
        .filter(|f| f.threat.known_exploited.is_some())
        .count()
}

/// Findings whose likelihood an active alert set.
fn alert_findings(a: &exposure::Assessment) -> usize {
    use exposure::score::exposure::LikelihoodRule;
    a.findings
        .iter()
        .filter(|f| f.risk.likelihood_rule == LikelihoodRule::ActiveAlert)
        .count()
}

/// The `n` findings that contribute most (`advisory (software) r`), highest first.
fn top_contributors(a: &exposure::Assessment, n: usize) -> String {
    let mut findings: Vec<&exposure::assessment::ScoredFinding> = a.findings.iter().collect();
    findings.sort_by(|x, y| {
        y.contribution()
            .total_cmp(&x.contribution())
            .then_with(|| x.finding.advisory_id.cmp(&y.finding.advisory_id))
    });
    findings
        .iter()
        .take(n)
        .map(|f| {
            format!(
                "{} ({}) {:.3}",
                f.finding.advisory_id,
                f.finding.software.name,
                f.contribution()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line of the table `exposure_scores_discriminate_on_shared_data` prints.
fn table_line(name: &str, a: &exposure::Assessment) -> String {
    format!(
        "| {name} | {:.2} | {} | {} | {} | {} | {} |",
        a.organisation.score,
        a.organisation.level.name(),
        a.devices.len(),
        a.organisation.findings,
        kev_findings(a),
        top_contributors(a, 3)
    )
}

/// Issue 13's discrimination on real data: the shared inventories get distinct, explainable
/// scores; a host reduced to its findings Debian will not fix is low; a clean inventory with
/// one KEV-listed, network-reachable high-severity flaw added is high; only KEV or
/// active-alert findings take an inventory to 99.5 or more. The table (stderr, shown by
/// `cargo test -p exposure --test golden -- --nocapture`) is the README's "Exposure scores on
/// the shared data".
#[test]
#[allow(clippy::too_many_lines)] // one table of every shared inventory, then its checks
fn exposure_scores_discriminate_on_shared_data() {
    use exposure::inventory::{load_path, load_text, Fleet, LoadOptions, Software};
    use exposure::matching::FixState;
    let Some((shared, engine)) = shared_engine() else {
        return;
    };
    let data = shared.join("data");
    let plain = LoadOptions::default();
    let mut rows: Vec<(String, exposure::Assessment)> = Vec::new();
    let sboms = common::shared_sboms(&data);
    let mut laravel = None;
    for sbom in &sboms {
        let name = sbom
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let fleet = load_path(sbom, &plain).expect("an SBOM").fleet;
        if name.starts_with("laravel") {
            laravel = Some(fleet.clone());
        }
        rows.push((format!("SBOM {name}"), engine.assess(&fleet)));
    }
    let debian = LoadOptions {
        distro: Some(
            Distro::from_os_release_file(&data.join("inventory-dpkg/os-release-this-machine"))
                .expect("a Debian os-release"),
        ),
        ..LoadOptions::default()
    };
    let dpkg = load_path(
        &data.join("inventory-dpkg/dpkg-status-this-machine"),
        &debian,
    )
    .expect("the dpkg status")
    .fleet;
    let host = engine.assess(&dpkg);
    rows.push(("Debian 12 host (dpkg status)".to_owned(), host.clone()));
    let archive = data.join("inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz");
    for export in ["xp-Uninstall.reg", "mssql-Uninstall.reg"] {
        let fleet = load_text(&common::registry_export(&archive, export), export, &plain)
            .expect("a registry export")
            .fleet;
        rows.push((format!("Windows export {export}"), engine.assess(&fleet)));
    }
    rows.push((
        "demo fleet (5 devices)".to_owned(),
        engine.assess(&exposure::demo::fleet()),
    ));

    // The Debian host reduced to the packages all of whose findings Debian will not fix
    // (unimportant, end-of-life, no DSA): a real second assessment of those packages alone.
    let mut verdicts = std::collections::BTreeMap::<(&str, &str), bool>::new();
    for f in &host.findings {
        let software = &f.finding.software;
        *verdicts
            .entry((&software.name, &software.version))
            .or_insert(true) &= f.finding.fix_state == FixState::WillNotFix;
    }
    let mut will_not_fix = dpkg.clone();
    for device in &mut will_not_fix.devices {
        device.software.retain(|s| {
            verdicts
                .get(&(s.name.as_str(), s.version.as_str()))
                .copied()
                .unwrap_or(false)
        });
    }
    let packages = will_not_fix.devices[0].software.len();
    assert!(packages >= 10, "{packages} packages");
    let reduced = engine.assess(&will_not_fix);
    assert!(reduced
        .findings
        .iter()
        .all(|f| f.finding.fix_state == FixState::WillNotFix));
    rows.push((
        format!("Debian 12 host, the {packages} packages Debian will not fix"),
        reduced.clone(),
    ));

    // A clean inventory plus one item with a KEV-listed network flaw: the libwebp-sys crate
    // 0.9.2, whose RustSec advisory aliases CVE-2023-4863 (libwebp's heap overflow, NVD
    // 8.8 AV:N). Not Pillow 9.0.0: its PYSEC-2023-175 names CVE-2023-4863 as related, not as
    // an alias, so the finding is KEV-listed but has no CVSS vector (impact assumed 0.5).
    let mut clean: Fleet = laravel.expect("the laravel SBOM");
    assert_eq!(engine.assess(&clean).organisation.findings, 0);
    clean.devices[0].software.push(std::sync::Arc::new(
        Software::from_purl("pkg:cargo/libwebp-sys@0.9.2").expect("a purl"),
    ));
    let with_kev = engine.assess(&clean);
    let kev = with_kev
        .findings
        .iter()
        .find(|f| {
            f.threat
                .known_exploited
                .as_ref()
                .is_some_and(|k| k.cve_id == "CVE-2023-4863")
        })
        .expect("libwebp-sys 0.9.2 has the KEV-listed CVE-2023-4863");
    let cvss = kev.cvss.as_ref().expect("a CVSS vector");
    assert!(
        cvss.vector.contains("AV:N") && cvss.base_score >= 7.0,
        "{}",
        cvss.vector
    );
    rows.push((
        "laravel SBOM + pkg:cargo/libwebp-sys@0.9.2".to_owned(),
        with_kev.clone(),
    ));

    eprintln!("| inventory | score | level | devices | findings | KEV findings | top three contributors (advisory (software) r) |");
    eprintln!("|---|---|---|---|---|---|---|");
    for (name, a) in &rows {
        eprintln!("{}", table_line(name, a));
    }
    eprintln!(
        "{} ({}): CVSS {} {}, KEV {}, I {:.2}, L {:.2} ({:?}), r {:.3}",
        kev.finding.advisory_id,
        kev.finding.aliases.join(" "),
        cvss.version,
        cvss.vector,
        kev.threat
            .known_exploited
            .as_ref()
            .map_or("-", |k| k.cve_id.as_str()),
        kev.risk.impact,
        kev.risk.likelihood,
        kev.risk.likelihood_rule,
        kev.risk.risk
    );
    let empty: Vec<&str> = rows
        .iter()
        .filter(|(_, a)| a.organisation.findings == 0)
        .map(|(name, _)| name.as_str())
        .collect();
    eprintln!(
        "score 0, no finding: {} — no advisory of the shared knowledge base names their \
         packages at those versions, and no NVD statement matches the export's programs",
        empty.join(", ")
    );

    // Distinct scores among the inventories with findings, below the top where the
    // noisy-OR saturates (docs/model.md, "Saturation at the top": both Windows exports have
    // ten or more KEV-listed findings and score 100; the loop after this one requires KEV or
    // alert findings of every inventory up there).
    let mut scored: Vec<(f64, &str)> = rows
        .iter()
        .filter(|(_, a)| a.organisation.findings > 0 && a.organisation.score < 99.5)
        .map(|(name, a)| (a.organisation.score, name.as_str()))
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    for pair in scored.windows(2) {
        assert!(
            pair[1].0 - pair[0].0 > 1e-6,
            "{} and {} score the same: {}",
            pair[0].1,
            pair[1].1,
            pair[0].0
        );
    }
    for (name, a) in &rows {
        if a.organisation.findings == 0 {
            assert!(a.organisation.score == 0.0, "{name}");
        }
        if a.organisation.score >= 99.5 {
            assert!(
                kev_findings(a) + alert_findings(a) > 0,
                "{name} scores {} without KEV or alert findings",
                a.organisation.score
            );
        }
    }
    assert!(
        reduced.organisation.score < 30.0,
        "{}",
        reduced.organisation.score
    );
    assert!(
        with_kev.organisation.score >= 70.0,
        "{}",
        with_kev.organisation.score
    );
}
