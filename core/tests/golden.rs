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
use std::io::Read;
use std::path::{Path, PathBuf};

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
            Matcher::OsvPackage => assert!(!source.contains("/nvd/"), "{source}"),
        }
    }
}

/// One `.reg` file of the shared archive of Windows registry exports, as text.
fn registry_export(archive: &Path, name: &str) -> String {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(archive).expect("opens"),
    ));
    for entry in tar.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        if entry.path().expect("path").ends_with(name) {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("readable");
            return exposure::files::decode_text(bytes).expect("UTF-16LE with a BOM");
        }
    }
    panic!("{name} not in {}", archive.display());
}

#[test]
fn shared_assessments_are_unchanged() {
    let Some(shared) = common::shared("") else {
        return;
    };
    let shared = shared.canonicalize().expect("the shared directory");
    let data = shared.join("data");
    // The knowledge base is loaded once, through the same use case as every interface.
    let knowledge = AssessInputs {
        knowledge: vec![data.clone()],
        ..AssessInputs::default()
    };
    let (engine, reports) = knowledge.load_engine().expect("every shared feed loads");
    assert_eq!(reports.len(), 1);
    assert!(
        reports[0].report.records_loaded > 200_000,
        "{}",
        reports[0].report
    );
    let assess = |inputs: AssessInputs| {
        let assessment = inputs
            .assess_on(&engine, &|_, _| {})
            .expect("inventory loads");
        cites_the_record_that_matched(&assessment);
        fingerprint(&assessment, &shared)
    };
    let mut sboms: Vec<PathBuf> = std::fs::read_dir(data.join("sbom-cyclonedx"))
        .expect("SBOM directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| !p.display().to_string().ends_with(".tar.gz"))
        .collect();
    sboms.sort();
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
            text: registry_export(&archive, export),
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
}
