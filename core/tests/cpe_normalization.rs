//! Inventory names to CPE candidates, on real names in `../shared/data` (override with
//! `EXPOSURE_SHARED_DIR`): the alias table checked against NVD's 2015 CPE dictionary, the
//! Windows Uninstall exports of the GLPI agent's tests and this machine's dpkg status (the
//! dictionary's titles as held-out names are in `naming_benchmark.rs`). Absent data is reported as SKIPPED.

use exposure::cpe::{alias_rows, literal_wfn, Attribute, Dictionary, Normalizer, DEFAULT_ALIASES};
use exposure::inventory::windows::parse_uninstall_export;
use std::io::Read;

mod common;

fn dictionary(data: &std::path::Path) -> Dictionary {
    let file = std::fs::File::open(
        data.join("nvd/cpe-dictionary/official-cpe-dictionary_v2.3-2015.xml.gz"),
    )
    .expect("dictionary opens");
    Dictionary::from_xml(std::io::BufReader::new(flate2::read::GzDecoder::new(file)))
        .expect("loads")
}

/// Every row marked `2015` names what the 2015 dictionary holds; every row marked `new` names
/// what it does not (so the marks stay honest).
#[test]
fn the_alias_table_agrees_with_the_2015_dictionary() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let dictionary = dictionary(&data);
    let mut wrong = Vec::new();
    let rows = alias_rows(DEFAULT_ALIASES).expect("table reads");
    for row in &rows {
        let vendor = literal_wfn(&row.vendor).expect("vendor value");
        let present = match &row.product {
            None => dictionary.has_vendor(&vendor),
            Some(product) => {
                dictionary.has_product(&vendor, &literal_wfn(product).expect("product value"))
            }
        };
        if present != row.in_2015 {
            wrong.push(format!(
                "line {}: {} {:?} {:?} marked {} but the dictionary {}",
                row.line,
                row.kind,
                row.vendor,
                row.product,
                if row.in_2015 { "2015" } else { "new" },
                if present { "has it" } else { "does not" }
            ));
        }
    }
    eprintln!(
        "alias table: {} rows checked against the dictionary",
        rows.len()
    );
    common::at_least("alias table rows", rows.len(), 117); // every row of the table
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The GLPI agent's real Uninstall exports: every program read, known ones named, no
/// confident guess that neither a rule nor the dictionary supports.
#[test]
fn real_windows_uninstall_exports() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let dictionary = dictionary(&data);
    let normalizer = Normalizer::with_default_rules().with_dictionary(&dictionary);
    let file = std::fs::File::open(
        data.join("inventory-windows/glpi-agent-win32-uninstall-registry.tar.gz"),
    )
    .expect("opens");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let (mut programs, mut named) = (Vec::new(), 0);
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let path = entry.path().expect("path").display().to_string();
        if !path.to_ascii_lowercase().ends_with(".reg") {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("readable");
        programs.extend(parse_uninstall_export(&bytes).unwrap_or_else(|e| panic!("{path}: {e}")));
    }
    for program in &programs {
        let candidates =
            normalizer.guess_installed(&program.publisher, &program.name, &program.version);
        for c in &candidates {
            let vendor = c.cpe.get(Attribute::Vendor).as_wfn().unwrap_or_default();
            let product = c.cpe.get(Attribute::Product).as_wfn().unwrap_or_default();
            assert!(
                c.rule.ends_with("alias:product") || dictionary.has_product(vendor, product),
                "{program:?}: {} from {} is supported by nothing",
                c.cpe,
                c.rule
            );
        }
        named += usize::from(!candidates.is_empty());
    }
    eprintln!("windows: {} programs read, {named} named", programs.len());
    // Every program of the exports' Uninstall keys.
    common::at_least("Windows programs", programs.len(), 429);
    let best = |publisher: &str, name: &str, version: &str| {
        normalizer
            .guess_installed(publisher, name, version)
            .first()
            .map(|c| c.cpe.to_fs())
    };
    for (publisher, name, version, expected) in [
        (
            "Adobe Systems, Inc.",
            "Adobe Shockwave Player 11",
            "11",
            "cpe:2.3:a:adobe:shockwave_player:11:*:*:*:*:*:*:*",
        ),
        (
            "Microsoft",
            "Microsoft SQL Server 2005",
            "10.53.6000.34",
            "cpe:2.3:a:microsoft:sql_server:2005:*:*:*:*:*:*:*",
        ),
        (
            "Piriform",
            "CCleaner (remove only)",
            "",
            "cpe:2.3:a:piriform:ccleaner:*:*:*:*:*:*:*:*",
        ),
    ] {
        assert!(
            programs.iter().any(|p| p.name == name),
            "{name} is in the exports"
        );
        assert_eq!(
            best(publisher, name, version).as_deref(),
            Some(expected),
            "{name}"
        );
    }
    // Names no rule or dictionary entry supports stay unknown.
    assert_eq!(
        best("Компания КриптоПро", "КриптоПро CSP", "5.0.12000"),
        None
    );
    assert_eq!(
        best(
            "FusionInventory Team",
            "FusionInventory Agent 2.4.x-build-26 (x64 edition)",
            "2.4.x-build-26"
        ),
        None
    );
}

/// This machine's dpkg status: packages named by the table get their upstream versions.
#[test]
fn real_dpkg_packages() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let dictionary = dictionary(&data);
    let normalizer = Normalizer::with_default_rules().with_dictionary(&dictionary);
    let status = std::fs::read_to_string(data.join("inventory-dpkg/dpkg-status-this-machine"))
        .expect("readable");
    let mut packages = Vec::new();
    for stanza in status.split("\n\n") {
        let field = |name: &str| {
            stanza
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(str::trim)
        };
        if let (Some(package), Some(version)) = (field("Package:"), field("Version:")) {
            packages.push((package.to_owned(), version.to_owned()));
        }
    }
    let named: Vec<(String, String)> = packages
        .iter()
        .filter_map(|(p, v)| {
            normalizer
                .guess_package(p, v)
                .first()
                .map(|c| (p.clone(), c.cpe.to_fs()))
        })
        .collect();
    eprintln!("dpkg: {} packages, {} named", packages.len(), named.len());
    let cpe_of = |package: &str| {
        named
            .iter()
            .find(|(p, _)| p == package)
            .map(|(_, c)| c.clone())
    };
    let version_of = |package: &str| {
        packages
            .iter()
            .find(|(p, _)| p == package)
            .map(|(_, v)| v.clone())
            .expect("installed")
    };
    let openssl = cpe_of("libssl3").expect("libssl3 named");
    assert!(
        openssl.starts_with("cpe:2.3:a:openssl:openssl:3."),
        "{openssl}"
    );
    assert!(
        !openssl.contains('~') && !openssl.contains("deb"),
        "upstream version only: {openssl} from {}",
        version_of("libssl3")
    );
    assert!(cpe_of("bash").is_some_and(|c| c.starts_with("cpe:2.3:a:gnu:bash:")));
    assert!(cpe_of("libc6").is_some_and(|c| c.starts_with("cpe:2.3:a:gnu:glibc:")));
    assert!(cpe_of("libcurl4").is_some_and(|c| c.starts_with("cpe:2.3:a:haxx:libcurl:")));
    // A package that no rule names and whose name is no vendor:product is left alone.
    assert_eq!(cpe_of("python3-blinker"), None);
}

/// The real CycloneDX SBOMs: every component guessed, none named by nothing, the ones that
/// carry their own CPE keep it.
#[test]
fn real_sbom_components() {
    let Some(data) = common::shared("data") else {
        return;
    };
    let dictionary = dictionary(&data);
    let normalizer = Normalizer::with_default_rules().with_dictionary(&dictionary);
    let (mut components, mut named, mut own) = (0, 0, 0);
    let mut examples = Vec::new();
    for file in [
        "juice-shop__v11.1.2__bom.json.gz",
        "keycloak-10.0.2__bom.json.gz",
        "obom-Example-1-Standalone__bom.json.gz",
    ] {
        let mut text = String::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(data.join("sbom-cyclonedx").join(file)).expect("opens"),
        )
        .read_to_string(&mut text)
        .expect("readable");
        let bom: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        for c in bom["components"].as_array().expect("components") {
            let field = |k: &str| c.get(k).and_then(serde_json::Value::as_str);
            components += 1;
            let candidates = normalizer.guess_component(
                field("group"),
                field("name").unwrap_or_default(),
                field("version").unwrap_or_default(),
                field("purl"),
                field("cpe"),
            );
            for candidate in &candidates {
                let vendor = candidate
                    .cpe
                    .get(Attribute::Vendor)
                    .as_wfn()
                    .unwrap_or_default();
                let product = candidate
                    .cpe
                    .get(Attribute::Product)
                    .as_wfn()
                    .unwrap_or_default();
                assert!(
                    candidate.rule == "sbom:cpe"
                        || candidate.rule.starts_with("alias")
                        || dictionary.has_product(vendor, product),
                    "{}: {} from {} is supported by nothing",
                    field("name").unwrap_or_default(),
                    candidate.cpe,
                    candidate.rule
                );
            }
            if let Some(best) = candidates.first() {
                assert!(
                    best.rule == "sbom:cpe" || best.confidence <= 0.5,
                    "{best:?} is too sure for a package name"
                );
                named += 1;
                own += usize::from(best.rule == "sbom:cpe");
                if examples.len() < 8 {
                    examples.push(format!(
                        "{} {} -> {} ({})",
                        field("group").unwrap_or_default(),
                        field("name").unwrap_or_default(),
                        best.cpe,
                        best.rule
                    ));
                }
            }
        }
    }
    eprintln!("sbom: {components} components, {named} named ({own} by their own CPE)");
    for e in &examples {
        eprintln!("  {e}");
    }
    // Every component of the three SBOMs.
    common::at_least("SBOM components", components, 2647);
    assert_eq!(
        own, 1,
        "the operations BOM's operating system carries its CPE"
    );
    assert!(named > 10, "only {named} named");
}
