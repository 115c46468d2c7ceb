//! Assessments of real public data: the CycloneDX SBOMs and OSV databases in `../shared/data`
//! (override with `EXPOSURE_SHARED_DIR`). Where the data set is absent, as on a user's machine,
//! each test says so loudly on stderr and passes without checking anything (in CI it fails).
//!
//! The expected findings were cross-checked by hand in the data and by an independent script
//! evaluating the OSV events.

use exposure::ecosystem::Ecosystem;
use exposure::inventory;
use exposure::kb::KnowledgeBase;
use exposure::Engine;
use std::io::Read;

mod common;

use common::load_osv_archive;

#[test]
fn go_vulndb_and_rustsec_load_completely() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    let go = load_osv_archive(&mut kb, &data.join("osv-go/golang-vulndb-osv.tar.gz"));
    assert_eq!(
        (go.records_read, go.records_loaded, go.records_skipped),
        (4291, 4291, 0),
        "{go}"
    );
    let rust = load_osv_archive(&mut kb, &data.join("osv-rustsec/rustsec-osv-crates.tar.gz"));
    assert_eq!(
        (rust.records_read, rust.records_skipped),
        (1206, 0),
        "{rust}"
    );
    // Every problem met is accounted for in the reports; none is a skipped record.
    for problem in go.problems.iter().chain(&rust.problems) {
        assert_eq!(
            problem.consequence,
            exposure::kb::Consequence::PartlyUsed,
            "{problem}"
        );
    }
    assert!(kb.affecting(&Ecosystem::Go, "golang.org/x/net").count() >= 30);
    assert!(kb.affecting(&Ecosystem::CratesIo, "smallvec").count() >= 1);
}

#[test]
fn proton_bridge_sbom_against_the_go_vulnerability_database() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    load_osv_archive(&mut kb, &data.join("osv-go/golang-vulndb-osv.tar.gz"));
    let loaded = inventory::load_path(
        &data.join("sbom-cyclonedx/proton-bridge__proton-bridge-v1.8.0.bom.json"),
        &exposure::inventory::LoadOptions::default(),
    )
    .expect("SBOM loads");
    assert_eq!(
        (loaded.report.records_loaded, loaded.report.records_skipped),
        (201, 0)
    );
    let assessment = Engine::new(kb).assess(&loaded.fleet);
    let find = |id: &str, package: &str| {
        assessment
            .findings
            .iter()
            .find(|f| &*f.finding.advisory_id == id && f.finding.software.name == package)
            .unwrap_or_else(|| panic!("expected {id} on {package}"))
    };
    // gin v1.4.0 < 1.6.0.
    let gin = find("GO-2020-0001", "github.com/gin-gonic/gin");
    assert_eq!(gin.finding.fix.as_deref(), Some("1.6.0"));
    assert_eq!(gin.finding.evidence.matched.as_str(), "vers:golang/<1.6.0");
    assert!(gin.finding.aliases.contains(&"CVE-2020-36567".to_owned()));
    // A pseudo-version of x/text, before the 0.3.7 fix.
    assert_eq!(
        find("GO-2021-0113", "golang.org/x/text")
            .finding
            .fix
            .as_deref(),
        Some("0.3.7")
    );
    // Pseudo-version against pseudo-version.
    assert_eq!(
        find("GO-2022-0603", "gopkg.in/yaml.v3")
            .finding
            .fix
            .as_deref(),
        Some("3.0.0-20220521103104-8f96da9f5d5e")
    );
    // logrus v1.7.0 sits in the first of three affected windows.
    assert_eq!(
        find("GO-2025-4188", "github.com/sirupsen/logrus")
            .finding
            .evidence
            .matched
            .as_str(),
        "vers:golang/<1.8.3"
    );
    // jwt-go: introduced at a pseudo-version, never fixed.
    assert_eq!(
        find("GO-2020-0017", "github.com/dgrijalva/jwt-go")
            .finding
            .fix,
        None
    );
    // Non-findings: yaml.v2 v2.2.8 is exactly the fix of GO-2020-0036 and above the others.
    for id in ["GO-2020-0036", "GO-2021-0061", "GO-2022-0956"] {
        assert!(
            !assessment
                .findings
                .iter()
                .any(|f| &*f.finding.advisory_id == id),
            "{id} must not match v2.2.8"
        );
    }
    // GO-2026-4923 (bbolt, introduced 0, never fixed) was withdrawn: a withdrawn advisory
    // never yields a finding. Our independent script that ignored `withdrawn` found 59.
    assert!(!assessment
        .findings
        .iter()
        .any(|f| &*f.finding.advisory_id == "GO-2026-4923"));
    assert_eq!(assessment.findings.len(), 58);
    assert_eq!(
        assessment.diagnostics.unparsable_versions, 0,
        "{:?}",
        assessment.diagnostics.problems
    );
    // One recommendation per vulnerable module; x/net's covers every x/net finding.
    let net = assessment
        .recommendations
        .iter()
        .find(|r| r.software == "golang.org/x/net")
        .expect("x/net recommendation");
    assert_eq!(
        net.findings,
        assessment
            .findings
            .iter()
            .filter(|f| f.finding.software.name == "golang.org/x/net")
            .count()
    );
    assert!(assessment.organisation.score > 0.0 && assessment.organisation.score <= 100.0);
}

#[test]
fn npm_and_maven_sboms_load_every_component() {
    let Some(data) = common::shared("data") else {
        return;
    };
    for (file, components, device) in [
        (
            "juice-shop__v11.1.2__bom.json.gz",
            840,
            "pkg:npm/juice-shop@11.1.2",
        ),
        (
            "keycloak-10.0.2__bom.json.gz",
            903,
            "pkg:maven/org.keycloak/keycloak-parent@10.0.2",
        ),
    ] {
        let mut text = String::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(data.join("sbom-cyclonedx").join(file)).expect("open"),
        )
        .read_to_string(&mut text)
        .expect("gunzip");
        let loaded =
            inventory::load_text(&text, file, &exposure::inventory::LoadOptions::default())
                .expect("loads");
        assert_eq!(
            loaded.report.records_loaded, components,
            "{file}: {}",
            loaded.report
        );
        assert_eq!(loaded.fleet.devices[0].id, device);
    }
}

/// Collects the `cpe_match` entries of an NVD configuration node and its children.
fn walk<'a>(node: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
    for m in node["cpe_match"].as_array().into_iter().flatten() {
        out.push(m);
    }
    for child in node["children"].as_array().into_iter().flatten() {
        walk(child, out);
    }
}

/// Every version bound of every `cpe_match` in NVD's JSON 1.1 "modified" feed builds a
/// range in the generic scheme (vendor versions such as `10.0.19041.1234` or `7u80`).
#[test]
fn nvd_cpe_match_bounds_build_ranges() {
    use exposure::range::NvdBounds;
    use exposure::version::Scheme;
    let Some(data) = common::shared("data") else {
        return;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(data.join("nvd/json-1.1/nvdcve-1.1-modified.json.gz")).expect("open"),
    )
    .read_to_string(&mut text)
    .expect("gunzip");
    let feed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut matches = Vec::new();
    for item in feed["CVE_Items"].as_array().expect("items") {
        for node in item["configurations"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            walk(node, &mut matches);
        }
    }
    let (mut with_bounds, mut failures) = (0, Vec::new());
    for m in &matches {
        let get = |k: &str| m[k].as_str();
        let bounds = NvdBounds {
            start_including: get("versionStartIncluding"),
            start_excluding: get("versionStartExcluding"),
            end_including: get("versionEndIncluding"),
            end_excluding: get("versionEndExcluding"),
            exact: None,
        };
        if bounds == NvdBounds::default() {
            continue;
        }
        with_bounds += 1;
        if let Err(e) = bounds.to_range(Scheme::Generic) {
            failures.push(format!("{}: {e}", m["cpe23Uri"]));
        }
    }
    eprintln!(
        "NVD modified feed: {} cpe_match entries, {with_bounds} with bounds, {} rejected",
        matches.len(),
        failures.len()
    );
    // Every bounded cpe_match of the modified feed.
    common::at_least("bounded cpe_match entries", with_bounds, 1135);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Language packages against NVD's CPE configurations, for CVEs no package advisory covers:
/// the juice-shop SBOM's `moment` 2.0.0 has CVE-2017-18214 (NVD 2017: `momentjs:moment` on
/// node.js, versions up to 2.19.2), its `moment` 2.27.0 does not; the keycloak SBOM's
/// `javax.mail:mail` 1.4 does not take Apple Mail's CVE-2017-17688 (a naive match by
/// product name would), and its `log4j:log4j` 1.2.17 is outside CVE-2017-5645's 2.0 ≤ v <
/// 2.8.2.
#[test]
fn language_packages_against_nvd_configurations() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let mut kb = KnowledgeBase::new();
    kb.load_path(&data.join("nvd/json-1.1/nvdcve-1.1-2017.json.gz"))
        .expect("NVD 2017");
    // RustSec names the Rust crate behind NVD's `cookie_project:cookie` (CVE-2017-18589):
    // npm's `cookie` must not take it.
    kb.load_path(&data.join("osv-rustsec/rustsec-osv-crates.tar.gz"))
        .expect("RustSec");
    // The collision is in the data: Apple Mail is a `mail` product.
    assert!(kb
        .affecting_product("apple", "mail")
        .any(|(a, _)| a.id == "CVE-2017-17688"));
    let engine = Engine::new(kb);

    let juice = inventory::load_path(
        &data.join("sbom-cyclonedx/juice-shop__v11.1.2__bom.json.gz"),
        &exposure::inventory::LoadOptions::default(),
    )
    .expect("juice-shop SBOM");
    let assessment = engine.assess(&juice.fleet);
    let on_moment: Vec<(&str, &str)> = assessment
        .findings
        .iter()
        .filter(|f| f.finding.software.name == "moment")
        .map(|f| (f.finding.software.version.as_str(), &*f.finding.advisory_id))
        .collect();
    assert_eq!(on_moment, [("2.0.0", "CVE-2017-18214")]);
    assert!(!assessment
        .findings
        .iter()
        .any(|f| f.finding.software.name == "cookie"));
    let moment = assessment
        .findings
        .iter()
        .find(|f| f.finding.software.name == "moment")
        .expect("moment");
    let evidence = &moment.finding.evidence;
    assert_eq!(evidence.matcher.name(), "nvd-cpe-package");
    assert_eq!(
        evidence.confidence,
        exposure::matching::Confidence::CpeVersionRange
    );
    assert_eq!(
        evidence.cpe.as_deref(),
        Some("cpe:2.3:a:momentjs:moment:2.0.0:*:*:*:*:node.js:*:*")
    );
    assert!(evidence
        .matched
        .as_str()
        .starts_with("cpe:2.3:a:momentjs:moment:*:*:*:*:*:node.js"));
    assert_eq!(evidence.range.as_deref(), Some("<=2.19.2"));

    let keycloak = inventory::load_path(
        &data.join("sbom-cyclonedx/keycloak-10.0.2__bom.json.gz"),
        &exposure::inventory::LoadOptions::default(),
    )
    .expect("keycloak SBOM");
    let mail = keycloak.fleet.devices[0]
        .software
        .iter()
        .find(|s| s.name == "javax.mail:mail" && s.version == "1.4")
        .expect("javax.mail:mail 1.4 in the SBOM");
    assert_eq!(mail.ecosystem, Ecosystem::Maven);
    let assessment = engine.assess(&keycloak.fleet);
    let snakeyaml = assessment
        .findings
        .iter()
        .find(|f| {
            f.finding.software.name == "org.yaml:snakeyaml" && f.finding.software.version == "1.20"
        })
        .expect("SnakeYAML 1.20 < 1.26 has CVE-2017-18640");
    assert_eq!(&*snakeyaml.finding.advisory_id, "CVE-2017-18640");
    assert_eq!(snakeyaml.finding.fix.as_deref(), Some("1.26"));
    for (id, package) in [
        ("CVE-2017-17688", "javax.mail:mail"),
        ("CVE-2017-5645", "log4j:log4j"),
    ] {
        assert!(
            !assessment
                .findings
                .iter()
                .any(|f| &*f.finding.advisory_id == id || f.finding.software.name == package),
            "{id} must not match {package}"
        );
    }

    // The same NVD record with the maker in the coordinates: the range decides.
    let fleet = inventory::load_text(
        r#"{"devices": [{"id": "app", "software": [
            {"purl": "pkg:maven/org.apache.logging.log4j/log4j@1.2.17"},
            {"purl": "pkg:maven/org.apache.logging.log4j/log4j@2.5"},
            {"purl": "pkg:maven/org.apache.logging.log4j/log4j@2.8.2"}]}]}"#,
        "fleet",
        &exposure::inventory::LoadOptions::default(),
    )
    .expect("fleet")
    .fleet;
    let assessment = engine.assess(&fleet);
    let versions: Vec<&str> = assessment
        .findings
        .iter()
        .filter(|f| &*f.finding.advisory_id == "CVE-2017-5645")
        .map(|f| f.finding.software.version.as_str())
        .collect();
    assert_eq!(versions, ["2.5"]);
}

/// The shared keycloak SBOM and OBOM describe the same product under the same id
/// (`pkg:maven/org.keycloak/keycloak-parent@10.0.2`). Assessed together they used to become
/// one device without a word (the first device with an id owned every finding); now the second
/// is kept apart as `…#2` and its report says so.
#[test]
fn two_inventories_with_one_device_id_are_kept_apart_and_reported() {
    use exposure::assess::{AssessInputs, InventorySource};
    let Some(data) = common::shared("data") else {
        return;
    };
    let inputs = AssessInputs {
        demo: true, // the demo knowledge base: the point is the fleet
        inventories: [
            "keycloak-10.0.2__bom.json.gz",
            "obom-Example-1-Standalone__bom.json.gz",
        ]
        .map(|name| InventorySource::Path(data.join("sbom-cyclonedx").join(name)))
        .into(),
        ..AssessInputs::default()
    };
    let (fleet, reports) = inputs.load_fleet().expect("both load");
    let id = "pkg:maven/org.keycloak/keycloak-parent@10.0.2";
    let ids: Vec<&str> = fleet.devices.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, [id.to_owned(), format!("{id}#2")]);
    assert_eq!(
        (
            fleet.devices[0].software.len(),
            fleet.devices[1].software.len()
        ),
        (903, 904)
    );
    assert_eq!(reports[0].report.problem_count, 0);
    let renamed = &reports[1].report.problems[0];
    assert_eq!(renamed.record.as_deref(), Some(id));
    assert_eq!(
        renamed.message,
        format!(
            "an earlier inventory has a device with this id: this one is assessed as \"{id}#2\""
        )
    );
    assert_eq!(renamed.consequence, exposure::kb::Consequence::PartlyUsed);
    let assessment = inputs.assess().expect("assesses");
    assert_eq!(assessment.devices.len(), 2);
    assert_eq!(assessment.devices[1].device_id, format!("{id}#2"));
}
