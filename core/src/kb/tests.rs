use super::*;
use crate::ecosystem::Ecosystem;

const GOOD: &str = r#"{"id": "PYSEC-2023-212", "aliases": ["CVE-2023-45803", "GHSA-g4mx-q9vg-27p4"],
  "affected": [{"package": {"ecosystem": "PyPI", "name": "urllib3"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0.0"}, {"fixed": "2.0.7"}, {"introduced": "0"}, {"fixed": "1.26.18"}]}]}]}"#;

#[test]
fn loads_a_record_and_indexes_it_by_normalised_name() {
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text(GOOD, "good.json");
    assert_eq!(
        (
            report.records_read,
            report.records_loaded,
            report.problem_count
        ),
        (1, 1, 0)
    );
    let hits: Vec<_> = kb.affecting(&Ecosystem::PyPi, "URLLib3").collect();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].0.aliases, ["CVE-2023-45803", "GHSA-g4mx-q9vg-27p4"]);
    let RangeEvaluation::Ready(range) = &hits[0].1.ranges[0].evaluation else {
        panic!("range not evaluated")
    };
    assert_eq!(range.to_string(), "vers:pypi/<1.26.18|>=2.0.0|<2.0.7");
}

#[test]
fn bad_records_are_reported_with_location_and_the_rest_kept() {
    let text = format!(
        r#"[{GOOD}, {{"summary": "no id"}}, {{"id": "X-1", "aliases": "CVE-1"}},
           {{"id": "X-2", "affected": [{{"package": {{"ecosystem": "npm"}}}},
             {{"package": {{"ecosystem": "npm", "name": "lodash"}}, "ranges": [{{"type": "SEMVER", "events": [{{"introduced": "0"}}, {{"fixed": "4.17.x"}}]}}]}}]}}, 7]"#
    );
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text(&text, "feed.json");
    assert_eq!(report.records_read, 5);
    assert_eq!(report.records_loaded, 2, "{report:#?}");
    assert_eq!(report.records_skipped, 3);
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "feed.json: record #1: [1].id: is missing (skipped)",
            "feed.json: record X-1: [2].aliases: expected an array, found a string (skipped)",
            "feed.json: record X-2: [3].affected[0].package.name: is missing (partly used)",
            "feed.json: record X-2: [3].affected[1].ranges[0].events[1].fixed: cannot evaluate: event 1 (fixed): invalid npm version \"4.17.x\": unexpected character 'x' at byte 5 (partly used)",
            "feed.json: record #4: [4]: expected an object, found a number (skipped)",
        ]
    );
    // The partly usable record is kept, with its broken range marked and not evaluated.
    let lodash: Vec<_> = kb.affecting(&Ecosystem::Npm, "lodash").collect();
    assert!(matches!(
        lodash[0].1.ranges[0].evaluation,
        RangeEvaluation::Unevaluated(_)
    ));
}

#[test]
fn not_json_is_one_skipped_record() {
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text("{nope", "broken.json");
    assert_eq!((report.records_read, report.records_skipped), (1, 1));
    assert!(
        report.problems[0].message.starts_with("not JSON"),
        "{}",
        report.problems[0]
    );
}

#[test]
fn a_record_loaded_again_from_the_same_source_replaces_its_facts() {
    let mut kb = KnowledgeBase::new();
    kb.load_text(GOOD, "a.json");
    let report = kb.load_text(&GOOD.replace("urllib3", "requests"), "a.json");
    assert_eq!(report.records_replaced, 1);
    assert_eq!(kb.len(), 1);
    assert_eq!(kb.affecting(&Ecosystem::PyPi, "urllib3").count(), 0);
    assert_eq!(kb.affecting(&Ecosystem::PyPi, "requests").count(), 1);
}

#[test]
fn records_with_the_same_id_from_two_sources_merge_keeping_each_source() {
    let mut kb = KnowledgeBase::new();
    kb.load_text(GOOD, "a.json");
    let report = kb.load_text(&GOOD.replace("urllib3", "requests"), "b.json");
    assert_eq!(report.records_replaced, 1);
    assert_eq!(kb.len(), 1);
    let (advisory, urllib3) = kb
        .affecting(&Ecosystem::PyPi, "urllib3")
        .next()
        .expect("kept");
    assert_eq!(urllib3.source, "a.json");
    let (_, requests) = kb
        .affecting(&Ecosystem::PyPi, "requests")
        .next()
        .expect("added");
    assert_eq!(requests.source, "b.json");
    assert_eq!(advisory.sources, ["a.json", "b.json"]);
    // Loading b.json again updates only b.json's facts.
    kb.load_text(&GOOD.replace("urllib3", "idna"), "b.json");
    assert_eq!(kb.affecting(&Ecosystem::PyPi, "urllib3").count(), 1);
    assert_eq!(kb.affecting(&Ecosystem::PyPi, "requests").count(), 0);
    assert_eq!(kb.affecting(&Ecosystem::PyPi, "idna").count(), 1);
}

/// Loads a document: the records loaded and skipped, and every problem as shown to users.
fn load(kb: &mut KnowledgeBase, text: &str, origin: &str) -> ((usize, usize), Vec<String>) {
    let report = kb.load_text(text, origin);
    let shown = report.problems.iter().map(ToString::to_string).collect();
    ((report.records_loaded, report.records_skipped), shown)
}

/// Loads a document and checks the records loaded and skipped, and every problem.
#[track_caller]
fn expect(
    kb: &mut KnowledgeBase,
    text: &str,
    origin: &str,
    counts: (usize, usize),
    problems: &[&str],
) {
    assert_eq!(
        load(kb, text, origin),
        (counts, problems.iter().map(|p| (*p).to_owned()).collect())
    );
}

#[test]
fn nvd_records_with_a_field_of_the_wrong_type_are_skipped_naming_its_path() {
    let feed = r#"{"CVE_data_type": "CVE", "CVE_Items": [
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0001"}}},
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0002"}},
         "impact": {"baseMetricV3": {"cvssV3": {"vectorString": 7}}}},
        {"cve": {"CVE_data_meta": {"ID": 3}}},
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0004"}}}]}"#;
    let mut kb = KnowledgeBase::new();
    expect(
        &mut kb,
        feed,
        "nvd.json",
        (2, 2),
        &[
            "nvd.json: record CVE-2017-0002: impact.baseMetricV3.cvssV3.vectorString: invalid type: integer `7`, expected a string (skipped)",
            "nvd.json: record #3: cve.CVE_data_meta.ID: expected a string, found a number (skipped)",
        ],
    );
    assert!(kb.get("CVE-2017-0004").is_some(), "the stream goes on");

    let response = r#"{"format": "NVD_CVE", "vulnerabilities": [
        {"cve": {"id": "CVE-2024-0001", "weaknesses": [{"description": [{"lang": "en", "value": 79}]}]}},
        {"cve": {"id": "CVE-2024-0002", "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov",
          "type": "Primary", "cvssData": {"vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}]}}}]}"#;
    expect(
        &mut kb,
        response,
        "api.json",
        (1, 1),
        &[
            "api.json: record CVE-2024-0001: cve.weaknesses[0].description[0].value: invalid type: integer `79`, expected a string (skipped)",
        ],
    );
    assert_eq!(kb.get("CVE-2024-0002").map(|a| a.severity.len()), Some(1));
}

/// A malformed CVSS vector used to be kept without a word; it is kept (as NVD states it) and
/// reported at load as a partly used record, naming the vector's field.
#[test]
fn nvd_cvss_vectors_that_do_not_parse_are_reported_at_load() {
    let feed = r#"{"CVE_data_type": "CVE", "CVE_Items": [
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0001"}}, "impact": {
          "baseMetricV3": {"cvssV3": {"vectorString": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q"}},
          "baseMetricV2": {"cvssV2": {"vectorString": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}}}},
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0002"}}, "impact": {
          "baseMetricV2": {"cvssV2": {"vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}}}]}"#;
    let mut kb = KnowledgeBase::new();
    expect(
        &mut kb,
        feed,
        "nvd.json",
        (2, 0),
        &[
            "nvd.json: record CVE-2017-0001: impact.baseMetricV3.cvssV3.vectorString: invalid CVSS vector \"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q\": invalid value \"Q\" for metric A at byte 41: the vector is kept but never scored (partly used)",
            "nvd.json: record CVE-2017-0002: impact.baseMetricV2.cvssV2.vectorString: a CVSS 3.1 vector where CVSS_V2 is stated: the vector is kept but never scored (partly used)",
        ],
    );
    assert_eq!(kb.get("CVE-2017-0001").map(|a| a.severity.len()), Some(2));

    let response = r#"{"format": "NVD_CVE", "vulnerabilities": [
        {"cve": {"id": "CVE-2024-0001", "metrics": {"cvssMetricV31": [
          {"source": "nvd@nist.gov", "type": "Primary", "cvssData": {"vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
          {"source": "cna@example.com", "type": "Secondary", "cvssData": {"vectorString": "CVSS:3.1/AV:N"}}]}}}]}"#;
    expect(
        &mut kb,
        response,
        "api.json",
        (1, 0),
        &[
            "api.json: record CVE-2024-0001: cve.metrics.cvssMetricV31[1].cvssData.vectorString: invalid CVSS vector \"CVSS:3.1/AV:N\": missing mandatory metric AC: the vector is kept but never scored (partly used)",
        ],
    );
}

#[test]
fn a_cve5_affected_entry_of_the_wrong_type_costs_only_itself() {
    let record = |affected: &str, cwe: &str| {
        format!(
            r#"{{"dataType": "CVE_RECORD", "cveMetadata": {{"cveId": "CVE-2024-0001", "state": "PUBLISHED"}},
              "containers": {{"cna": {{"problemTypes": [{{"descriptions": [{{"cweId": {cwe}}}]}}],
                "affected": [{affected},
                  {{"collectionURL": "https://pypi.org", "packageName": "requests",
                    "versions": [{{"version": "0", "lessThan": "2.32.0", "status": "affected"}}]}}]}}}}}}"#
        )
    };
    let bad_entry = r#"{"vendor": "psf", "product": "requests", "versions": [{"version": 2, "status": "affected"}]}"#;
    let mut kb = KnowledgeBase::new();
    expect(
        &mut kb,
        &record(bad_entry, "\"CWE-79\""),
        "cve.json",
        (1, 0),
        &[
            "cve.json: record CVE-2024-0001: containers.cna.affected[0].versions[0].version: invalid type: integer `2`, expected a string (partly used)",
        ],
    );
    let advisory = kb.get("CVE-2024-0001").expect("loaded");
    assert_eq!(
        (advisory.affected.len(), advisory.cwes.as_slice()),
        (1, &["CWE-79".to_owned()][..])
    );

    // A field of the record itself skips the record, named by its id.
    expect(
        &mut KnowledgeBase::new(),
        &record("{}", "79"),
        "cve.json",
        (0, 1),
        &[
            "cve.json: record CVE-2024-0001: containers.cna.problemTypes[0].descriptions[0].cweId: invalid type: integer `79`, expected a string (skipped)",
        ],
    );
}

#[test]
fn kev_and_epss_json_rows_of_the_wrong_type_are_skipped_naming_their_path() {
    let kev = r#"{"catalogVersion": 2025, "vulnerabilities": [
        {"cveID": "CVE-2023-4863", "dateAdded": "2023-09-13", "dueDate": "2023-10-04", "cwes": ["CWE-787"]},
        {"cveID": "CVE-2023-4864", "dateAdded": "2023-09-13", "dueDate": "2023-10-04", "cwes": [787]},
        {"cveID": "CVE-2023-4865", "dateAdded": "2023-09-13", "dueDate": "2023-10-04"}]}"#;
    let mut kb = KnowledgeBase::new();
    expect(
        &mut kb,
        kev,
        "kev.json",
        (2, 1),
        &[
            "kev.json: catalogVersion: expected a string, found a number (partly used)",
            "kev.json: record #2: vulnerabilities[1].cwes[0]: invalid type: integer `787`, expected a string (skipped)",
        ],
    );
    assert!(kb.threat().kev("CVE-2023-4865").is_some());
    assert_eq!(kb.threat().kev_catalog_version(), None);

    let epss = r#"{"score_date": "2021-08-31", "model_version": 1, "data": [
        {"cve": "CVE-2021-44228", "epss": "0.97", "percentile": 0.99},
        {"cve": "CVE-2021-45046", "epss": true}]}"#;
    expect(
        &mut kb,
        epss,
        "epss.json",
        (1, 1),
        &[
            "epss.json: model_version: expected a string, found a number (partly used)",
            "epss.json: record data[1]: data[1].epss: expected a number or a string (skipped)",
        ],
    );
    assert_eq!(kb.threat().epss_score_date(), Some("2021-08-31"));
    assert_eq!(
        kb.threat().epss("CVE-2021-44228").map(|s| s.probability),
        Some(0.97)
    );
}

#[test]
fn vex_statements_of_the_wrong_type_are_skipped_naming_their_path() {
    let openvex = r#"{"@context": "https://openvex.dev/ns/v0.2.0", "author": "Acme", "statements": [
        {"vulnerability": {"name": "CVE-2023-38545"}, "status": "not_affected",
         "products": [{"@id": "pkg:deb/debian/curl@7.88.1", "identifiers": {"purl": 5}}]},
        {"vulnerability": "CVE-2023-38546", "status": "fixed",
         "products": [{"@id": "pkg:deb/debian/curl@8.4.0"}]}]}"#;
    let mut kb = KnowledgeBase::new();
    expect(
        &mut kb,
        openvex,
        "openvex.json",
        (1, 1),
        &[
            "openvex.json: statements[0].products[0].identifiers.purl: invalid type: integer `5`, expected a string (skipped)",
        ],
    );
    assert_eq!(kb.vex().about("CVE-2023-38546").len(), 1);

    // Vulnerabilities without an analysis are no statements: their fields are not read.
    let cyclonedx = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
        "components": [{"bom-ref": "curl", "purl": "pkg:deb/debian/curl@7.88.1"}],
        "vulnerabilities": [
          {"id": "CVE-2023-38545", "analysis": {"state": "not_affected", "justification": 1}, "affects": [{"ref": "curl"}]},
          {"id": "CVE-2023-38546", "analysis": {"state": "resolved"}, "affects": [{"ref": "curl"}]},
          {"id": 3, "affects": [{"ref": 4}]}]}"#;
    expect(
        &mut kb,
        cyclonedx,
        "bom.json",
        (1, 1),
        &[
            "bom.json: record CVE-2023-38545: vulnerabilities[0].analysis.justification: invalid type: integer `1`, expected a string (skipped)",
        ],
    );
    assert_eq!(kb.vex().about("CVE-2023-38546").len(), 2);
}

#[test]
fn csaf_vulnerabilities_of_the_wrong_type_are_skipped_once_naming_their_path() {
    let csaf = r#"{"document": {"category": "csaf_security_advisory", "csaf_version": "2.0",
          "publisher": {"name": "Red Hat Product Security"}, "tracking": {"id": "RHSA-2023:5763"}},
        "product_tree": {"branches": [{"product": {"product_id": "curl-0:7.76.1-26.el9_3.2.x86_64",
          "product_identification_helper": {"purl": "pkg:rpm/redhat/curl@7.76.1-26.el9_3.2?arch=x86_64"}}}]},
        "vulnerabilities": [
          {"cve": "CVE-2023-38545", "scores": [{"cvss_v3": {"vectorString": 9.8}}],
           "product_status": {"fixed": ["curl-0:7.76.1-26.el9_3.2.x86_64"]}},
          {"cve": "CVE-2023-38546", "product_status": {"fixed": ["curl-0:7.76.1-26.el9_3.2.x86_64"]}}]}"#;
    let mut kb = KnowledgeBase::new();
    // Read by the VEX and the advisory reader, reported once.
    expect(
        &mut kb,
        csaf,
        "rhsa.json",
        (1, 1),
        &[
            "rhsa.json: record CVE-2023-38545: vulnerabilities[0].scores[0].cvss_v3.vectorString: invalid type: floating point `9.8`, expected a string (skipped)",
        ],
    );
    assert!(kb.get("CVE-2023-38545").is_none());
    assert_eq!(kb.vex().about("CVE-2023-38546").len(), 1);
    let fixed = kb.get("CVE-2023-38546").expect("an advisory");
    assert_eq!(fixed.related, ["RHSA-2023:5763"]);

    // A product tree of the wrong type: the statements are read, and cannot apply.
    let broken = csaf.replace(
        r#""branches": [{"product""#,
        r#""branches": [{"branches": 1, "product""#,
    );
    let (counts, problems) = load(&mut KnowledgeBase::new(), &broken, "rhsa.json");
    assert_eq!(counts, (1, 1));
    assert_eq!(
        problems[0],
        "rhsa.json: product_tree.branches[0].branches: invalid type: integer `1`, expected a sequence (partly used)"
    );
}

#[test]
fn alpine_statements_of_the_wrong_type_are_skipped_naming_their_path() {
    let secdb = r#"{"distroversion": "v3.19", "packages": [
        {"pkg": {"name": "curl", "secfixes": {"8.4.0-r0": ["CVE-2023-38545", 38546, "CVE-2023-38039"]}}},
        {"pkg": {"name": "zlib", "secfixes": {"1.2.12-r2": "CVE-2022-37434"}}},
        {"pkg": {"name": ["openssl"]}}]}"#;
    let mut kb = KnowledgeBase::new();
    expect(
        &mut kb,
        secdb,
        "main.json",
        (2, 3),
        &[
            "main.json: record curl: packages[0].pkg.secfixes.8.4.0-r0[1]: expected a string, found a number (skipped)",
            "main.json: record zlib: packages[1].pkg.secfixes.1.2.12-r2: expected an array, found a string (skipped)",
            "main.json: packages[2].pkg.name: expected a string, found an array (skipped)",
        ],
    );
    assert!(kb.get("CVE-2023-38039").is_some());
}

#[test]
fn osv_free_form_fields_of_the_wrong_type_are_reported_and_left_out() {
    let record = r#"{"id": "DEBIAN-CVE-2024-0001", "database_specific": {"cwe_ids": ["CWE-79", 80]},
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "curl"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
          "ecosystem_specific": {"urgency": ["unimportant"]}}]}"#;
    let mut kb = KnowledgeBase::new();
    expect(
        &mut kb,
        record,
        "debian.json",
        (1, 0),
        &[
            "debian.json: record DEBIAN-CVE-2024-0001: affected[0].ecosystem_specific.urgency: expected a string, found an array (partly used)",
            "debian.json: record DEBIAN-CVE-2024-0001: database_specific.cwe_ids[1]: expected a string, found a number (partly used)",
        ],
    );
    let advisory = kb.get("DEBIAN-CVE-2024-0001").expect("loaded");
    assert!(advisory.cwes.is_empty());
    assert_eq!(advisory.affected[0].will_not_fix, None);
}

#[test]
fn yaml_flow_collections_nested_too_deep_skip_the_document_unread() {
    let record = "id: PYSEC-0000-1\nmodified: 2024-01-01T00:00:00Z\naliases: [CVE-0000-1]\n";
    let mut kb = KnowledgeBase::new();
    expect(&mut kb, record, "PYSEC-0000-1.yaml", (1, 0), &[]);
    // 128 levels are read (and refused by serde_yaml's own limit as a value nested too deep);
    // 129 are not parsed at all.
    let nested = |depth: usize| format!("{record}x: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    let (_, problems) = load(&mut kb, &nested(128), "deep.yaml");
    assert!(
        problems[0].contains("not YAML: recursion limit exceeded"),
        "{problems:?}"
    );
    expect(
        &mut kb,
        &nested(129),
        "deeper.yaml",
        (0, 1),
        &["deeper.yaml: not read: YAML flow collections nest deeper than 128 levels (at byte 201) (skipped)"],
    );
}

/// Packagist advisories carry versions Composer's `VersionParser` rejects (`3.1.0.post1`,
/// `0.0.1-test1`); the composer scheme rejects them, but advisory matching reads them
/// leniently (`Version::parse_advisory`), so such a range still loads and matches.
#[test]
fn packagist_ranges_with_versions_composer_rejects_still_match() {
    use crate::version::{AnyScheme, Scheme, Version};
    assert!(Version::parse(Scheme::Composer, "3.1.0.post1").is_err());
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text(
        r#"{"id": "GHSA-p", "affected": [{"package": {"ecosystem": "Packagist", "name": "acme/lib"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0.0.1-test1"}, {"fixed": "3.1.0.post1"}]}]}]}"#,
        "packagist.json",
    );
    assert_eq!((report.records_loaded, report.problem_count), (1, 0));
    let entry = &kb.get("GHSA-p").unwrap().affected[0];
    for (installed, affected) in [
        ("0.0.1-test1", true),
        ("0.0.1", true),
        ("3.1.0", true),
        ("3.1.0.post1", false),
        ("3.1.1", false),
        ("0.0.0", false),
        ("0.0.1-alpha", true), // PHP ranks an unknown word (`test`) below every stability
    ] {
        let verdict = entry.affects(&mut AnyScheme::new(installed));
        assert_eq!(verdict.hit.is_some(), affected, "{installed}");
        assert!(verdict.unparsable.is_empty(), "{installed}");
    }
}

#[test]
fn metadata_records_each_source_with_its_dates() {
    fn row(s: &SourceInfo) -> (&str, &str, usize, usize, Option<&str>, Option<&str>) {
        (
            s.source.as_str(),
            s.format.as_str(),
            s.documents,
            s.records,
            s.newest_record.as_deref(),
            s.feed_timestamp.as_deref(),
        )
    }
    let mut kb = KnowledgeBase::new();
    let nvd = r#"{"CVE_data_type": "CVE", "CVE_data_timestamp": "2024-05-02T07:00Z", "CVE_Items": [
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0001"}}, "publishedDate": "2017-01-01T00:00Z", "lastModifiedDate": "2024-04-30T10:00Z"},
        {"cve": {"CVE_data_meta": {"ID": "CVE-2017-0002"}}, "lastModifiedDate": "2023-01-01T00:00Z"}]}"#;
    kb.load_reader(nvd.as_bytes(), "nvd.json").expect("NVD");
    let api = r#"{"format": "NVD_CVE", "timestamp": "2024-06-01T12:00:00.000", "vulnerabilities": [
        {"cve": {"id": "CVE-2024-0001", "published": "2024-05-01T00:00:00.000", "lastModified": "2024-05-31T00:00:00.000"}}]}"#;
    kb.load_text(api, "api.json");
    kb.load_text(GOOD, "undated.json");
    kb.load_text(
        r#"[{"id": "GO-1", "modified": "2024-03-01T00:00:00Z"}, {"id": "GO-2", "published": "2024-04-01T00:00:00Z"}]"#,
        "undated.json",
    );
    kb.load_text(
        r#"{"title": "CISA KEV", "catalogVersion": "2024.05.03", "dateReleased": "2024-05-03T15:00:00.000Z", "count": 1,
            "vulnerabilities": [{"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2",
            "vulnerabilityName": "x", "dateAdded": "2021-12-10", "shortDescription": "x", "requiredAction": "x",
            "dueDate": "2021-12-24", "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": []}]}"#,
        "kev.json",
    );
    let sources = &kb.metadata().sources;
    let rows: Vec<_> = sources.iter().map(row).collect();
    assert_eq!(
        rows,
        [
            (
                "nvd.json",
                "NVD",
                1,
                2,
                Some("2024-04-30T10:00Z"),
                Some("2024-05-02T07:00Z")
            ),
            (
                "api.json",
                "NVD",
                1,
                1,
                Some("2024-05-31T00:00:00.000"),
                Some("2024-06-01T12:00:00.000")
            ),
            (
                "undated.json",
                "OSV",
                2,
                3,
                Some("2024-04-01T00:00:00Z"),
                None
            ),
            (
                "kev.json",
                "KEV/EPSS",
                1,
                1,
                Some("2021-12-10"),
                Some("2024-05-03T15:00:00.000Z")
            ),
        ]
    );
    // The knowledge is as of the newest source date.
    assert_eq!(kb.metadata().as_of(), Some("2024-06-01T12:00:00.000"));
    let as_of = unix_seconds("2024-06-01T12:00:00").expect("date");
    assert_eq!(kb.metadata().age(as_of + 3_600), Some(3_600));
}

#[test]
fn a_directory_is_one_source_per_format() {
    let dir = std::env::temp_dir().join(format!("exposure-meta-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("a.json"),
        r#"{"id": "GO-1", "modified": "2024-03-01T00:00:00Z"}"#,
    )
    .expect("write");
    std::fs::write(
        dir.join("b.json"),
        r#"{"id": "GO-2", "modified": "2024-02-01T00:00:00Z"}"#,
    )
    .expect("write");
    std::fs::write(
        dir.join("epss.csv"),
        "#model_version:v2023.03.01,score_date:2024-05-01T00:00:00+0000\ncve,epss,percentile\nCVE-2024-1,0.1,0.5\n",
    )
    .expect("write");
    let mut kb = KnowledgeBase::new();
    kb.load_path(&dir).expect("directory");
    let label = dir.display().to_string();
    let rows: Vec<_> = kb
        .metadata()
        .sources
        .iter()
        .map(|s| (s.source == label, s.format.as_str(), s.documents, s.as_of()))
        .collect();
    assert_eq!(
        rows,
        [
            (true, "OSV", 2, Some("2024-03-01T00:00:00Z")),
            (true, "KEV/EPSS", 1, Some("2024-05-01T00:00:00+0000")),
        ]
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_merged_advisory_takes_its_sole_cve_id_whatever_the_load_order() {
    let go = r#"{"id": "GO-2022-0493", "aliases": ["CVE-2022-29526"]}"#;
    let ghsa = r#"{"id": "GHSA-p782-xgp4-8hr8", "aliases": ["CVE-2022-29526"]}"#;
    let cve = r#"{"id": "CVE-2022-29526"}"#;
    for order in [[go, ghsa, cve], [cve, ghsa, go], [ghsa, go, cve]] {
        let mut kb = KnowledgeBase::new();
        for (i, text) in order.iter().enumerate() {
            kb.load_text(text, &format!("source-{i}"));
        }
        assert_eq!(kb.len(), 1);
        for id in ["GO-2022-0493", "GHSA-p782-xgp4-8hr8", "CVE-2022-29526"] {
            assert_eq!(
                kb.get(id).map(|a| a.id.as_str()),
                Some("CVE-2022-29526"),
                "{id}"
            );
        }
    }
    // A record alone keeps its own id; a record of two CVEs names no one vulnerability.
    let mut alone = KnowledgeBase::new();
    alone.load_text(go, "go");
    assert_eq!(alone.advisory_at(0).unwrap().id, "GO-2022-0493");
    let mut two = KnowledgeBase::new();
    two.load_text(
        r#"{"id": "DSA-1", "aliases": ["CVE-2024-1", "CVE-2024-2"]}"#,
        "a",
    );
    two.load_text(
        r#"{"id": "DSA-1", "aliases": ["CVE-2024-1", "CVE-2024-2"]}"#,
        "b",
    );
    assert_eq!(two.advisory_at(0).unwrap().id, "DSA-1");
}

#[test]
fn a_cve_another_advisory_holds_is_not_taken() {
    let mut kb = KnowledgeBase::new();
    kb.load_text(r#"{"id": "CVE-2024-1"}"#, "nvd");
    // GHSA-a joins the advisory of its own id, first loaded without the CVE.
    kb.load_text(r#"{"id": "GHSA-a"}"#, "ghsa");
    kb.load_text(r#"{"id": "GHSA-a", "aliases": ["CVE-2024-1"]}"#, "other");
    assert_eq!(kb.len(), 2);
    assert_eq!(kb.get("GHSA-a").map(|a| a.id.as_str()), Some("GHSA-a"));
    assert_eq!(
        kb.get("CVE-2024-1").map(|a| a.id.as_str()),
        Some("CVE-2024-1")
    );
}
