//! NVD applicability statements on real NVD records in `../shared/data/nvd` (override with
//! `EXPOSURE_SHARED_DIR`): every configuration of the JSON 1.1 feeds and the API 2.0 samples
//! loads, and chosen CVEs apply to exactly the devices they should. Absent data is reported
//! as SKIPPED.

use exposure::cpe::{Applicability, Cpe};
use serde_json::Value;
use std::path::PathBuf;

mod common;

fn nvd() -> Option<PathBuf> {
    common::shared("data/nvd")
}

/// A JSON file, gzipped or not, read whole first (byte-wise reading through `BufReader` is
/// slow in the debug builds tests run in).
fn read_json(path: &std::path::Path) -> Value {
    use std::io::Read;
    let file = std::fs::File::open(path).expect("file opens");
    let mut bytes = Vec::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file).read_to_end(&mut bytes)
    } else {
        std::io::BufReader::new(file).read_to_end(&mut bytes)
    }
    .expect("readable");
    serde_json::from_slice(&bytes).expect("valid JSON")
}

/// `(CVE id, configurations)` of a JSON 1.1 feed or an API 2.0 response.
fn records(document: &Value) -> Vec<(String, Value)> {
    if let Some(items) = document.get("CVE_Items").and_then(Value::as_array) {
        return items
            .iter()
            .map(|item| {
                (
                    item["cve"]["CVE_data_meta"]["ID"]
                        .as_str()
                        .unwrap_or("?")
                        .to_owned(),
                    item["configurations"].clone(),
                )
            })
            .collect();
    }
    document["vulnerabilities"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|v| {
                    let cve = &v["cve"];
                    (
                        cve["id"].as_str().unwrap_or("?").to_owned(),
                        cve.get("configurations")
                            .cloned()
                            .unwrap_or(Value::Array(Vec::new())),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn names(texts: &[&str]) -> Vec<Cpe> {
    texts.iter().map(|t| t.parse().expect("test CPE")).collect()
}

fn statement(records: &[(String, Value)], id: &str) -> Applicability {
    let (_, configurations) = records.iter().find(|(i, _)| i == id).expect("CVE present");
    Applicability::from_nvd_json(configurations).expect("loads")
}

#[test]
fn every_configuration_of_the_real_feeds_loads() {
    let Some(dir) = nvd() else { return };
    let mut files: Vec<PathBuf> = ["json-1.1", "api-2.0-samples"]
        .iter()
        .flat_map(|sub| {
            std::fs::read_dir(dir.join(sub))
                .expect("dir")
                .map(|e| e.expect("entry").path())
        })
        .filter(|p| {
            p.to_string_lossy().ends_with(".json") || p.to_string_lossy().ends_with(".json.gz")
        })
        .collect();
    files.sort();
    let (mut cves, mut criteria, mut failures) = (0, 0, Vec::new());
    for file in &files {
        for (id, configurations) in records(&read_json(file)) {
            cves += 1;
            match Applicability::from_nvd_json(&configurations) {
                Ok(statement) => criteria += statement.criteria().count(),
                Err(e) => failures.push(format!("{}: {id}: {e}", file.display())),
            }
        }
    }
    eprintln!(
        "nvd: {cves} CVEs, {criteria} criteria loaded, {} failures",
        failures.len()
    );
    // Every record of the JSON 1.1 feeds and the API 2.0 samples.
    common::at_least("NVD records", cves, 20_665);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// CVE-2023-4863 (libwebp, API 2.0): Chrome before 116.0.5845.187, Firefox ESR before
/// 102.15.1 and from 115.0 before 115.2.1, Debian 10-12, and libwebp before 1.3.2.
#[test]
fn cve_2023_4863_applies_within_each_range() {
    let Some(dir) = nvd() else { return };
    let records = records(&read_json(&dir.join("api-2.0-samples/CVE-2023-4863.json")));
    let webp = statement(&records, "CVE-2023-4863");
    let applies = |name: &str| webp.evaluate(&names(&[name])).is_some();
    assert!(applies(
        "cpe:2.3:a:google:chrome:116.0.5845.186:*:*:*:*:*:*:*"
    ));
    assert!(!applies(
        "cpe:2.3:a:google:chrome:116.0.5845.187:*:*:*:*:*:*:*"
    ));
    assert!(applies(
        "cpe:2.3:a:mozilla:firefox_esr:102.15.0:*:*:*:*:*:*:*"
    ));
    assert!(!applies(
        "cpe:2.3:a:mozilla:firefox_esr:110.0:*:*:*:*:*:*:*"
    ));
    assert!(applies(
        "cpe:2.3:a:mozilla:firefox_esr:115.2.0:*:*:*:*:*:*:*"
    ));
    assert!(!applies(
        "cpe:2.3:a:mozilla:firefox_esr:115.2.1:*:*:*:*:*:*:*"
    ));
    assert!(applies("cpe:/o:debian:debian_linux:12.0"));
    assert!(!applies("cpe:/o:debian:debian_linux:9.0"));
    // A name without a version cannot be placed in a range: not a match, not a guess.
    assert!(!applies("cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*"));
    let device = names(&["cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*"]);
    let evidence = webp.evaluate(&device).expect("applies");
    assert_eq!(evidence.len(), 1);
    assert_eq!(
        evidence[0].criterion.text,
        "cpe:2.3:a:webmproject:libwebp:*:*:*:*:*:*:*:*"
    );
    assert_eq!(
        evidence[0]
            .criterion
            .bounds
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("<1.3.2")
    );
    assert!(evidence[0].criterion.vulnerable);
}

/// CVE-2017-0010 (JSON 1.1): Edge (version NA) running on Windows 10 or Server 2016, an AND
/// of the vulnerable application and a platform that is not itself vulnerable.
#[test]
fn cve_2017_0010_needs_edge_running_on_windows() {
    let Some(dir) = nvd() else { return };
    let records = records(&read_json(&dir.join("json-1.1/nvdcve-1.1-2017.json.gz")));
    let edge = statement(&records, "CVE-2017-0010");
    let on_windows = names(&[
        "cpe:2.3:a:microsoft:edge:-:*:*:*:*:*:*:*",
        "cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:*:*",
    ]);
    let evidence = edge.evaluate(&on_windows).expect("applies");
    assert!(evidence
        .iter()
        .any(|m| m.criterion.vulnerable && m.criterion.text.contains(":edge:")));
    assert!(evidence
        .iter()
        .any(|m| !m.criterion.vulnerable && m.criterion.text.contains(":windows_10:")));
    assert!(
        edge.evaluate(&on_windows[..1]).is_none(),
        "Edge alone is not the configuration"
    );
    assert!(
        edge.evaluate(&on_windows[1..]).is_none(),
        "Windows alone is not vulnerable"
    );
    // NVD's `-` version is NA: a named Edge version is not it (NISTIR 7696: DISJOINT).
    let versioned = names(&[
        "cpe:2.3:a:microsoft:edge:38.14393:*:*:*:*:*:*:*",
        "cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:*:*",
    ]);
    assert!(edge.evaluate(&versioned).is_none());
}

/// CVE-2017-11293 (JSON 1.1) bounds Acrobat Reader DC's continuous track with
/// `versionStartIncluding: "-"`, NVD's "from the first version": no lower bound.
#[test]
fn a_hyphen_start_bound_means_from_the_first_version() {
    let Some(dir) = nvd() else { return };
    let records = records(&read_json(&dir.join("json-1.1/nvdcve-1.1-2017.json.gz")));
    let acrobat = statement(&records, "CVE-2017-11293");
    let applies = |name: &str| acrobat.evaluate(&names(&[name])).is_some();
    assert!(applies(
        "cpe:2.3:a:adobe:acrobat_reader_dc:15.008.20082:*:*:*:continuous:*:*:*"
    ));
    assert!(applies(
        "cpe:2.3:a:adobe:acrobat_reader_dc:17.012.20098:*:*:*:continuous:*:*:*"
    ));
    assert!(!applies(
        "cpe:2.3:a:adobe:acrobat_reader_dc:17.012.20099:*:*:*:continuous:*:*:*"
    ));
    // The classic track starts at 15.0 and ends at 15.006.30355.
    assert!(applies(
        "cpe:2.3:a:adobe:acrobat_reader_dc:15.006.30355:*:*:*:classic:*:*:*"
    ));
    assert!(!applies(
        "cpe:2.3:a:adobe:acrobat_reader_dc:15.006.30356:*:*:*:classic:*:*:*"
    ));
}

fn dictionary() -> Option<exposure::cpe::Dictionary> {
    let path = nvd()?.join("cpe-dictionary/official-cpe-dictionary_v2.3-2015.xml.gz");
    let file = std::fs::File::open(path).expect("dictionary opens");
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    Some(exposure::cpe::Dictionary::from_xml(reader).expect("dictionary loads"))
}

/// The real 2015 dictionary: every entry loads, titles and deprecations are kept.
#[test]
fn the_2015_dictionary_loads_whole() {
    let Some(dictionary) = dictionary() else {
        return;
    };
    assert_eq!(dictionary.len(), 101_371);
    eprintln!(
        "dictionary: {} names, {} vendors",
        dictionary.len(),
        dictionary.vendor_count()
    );
    assert!(dictionary.has_product("mozilla", "firefox"));
    assert!(dictionary.products("mozilla").any(|p| p == "thunderbird"));
    let firefox: Cpe = "cpe:2.3:a:mozilla:firefox:3.6:*:*:*:*:*:*:*"
        .parse()
        .unwrap();
    assert_eq!(
        dictionary.get(&firefox).and_then(|i| i.title.as_deref()),
        Some("Mozilla Firefox 3.6")
    );
    // A renamed vendor: acmailer 3.8 is now Seeds' acmailer 3.8.0.
    let old: Cpe = "cpe:/a:acmailer:acmailer:3.8".parse().unwrap();
    assert!(dictionary.get(&old).is_some_and(|i| i.deprecated));
    assert_eq!(
        dictionary.current(&old),
        ["cpe:2.3:a:seeds:acmailer:3.8.0:*:*:*:*:*:*:*"
            .parse::<Cpe>()
            .unwrap()]
    );
    let deprecated = dictionary.items().iter().filter(|i| i.deprecated).count();
    let without_successor = dictionary
        .items()
        .iter()
        .filter(|i| i.deprecated && i.deprecated_by.is_empty())
        .count();
    eprintln!("dictionary: {deprecated} deprecated, {without_successor} without a successor");
    assert!(deprecated > 100);
}
