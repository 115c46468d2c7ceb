//! SPDX 2.2/2.3 JSON documents: the document describes one device (named by the document's
//! `name`); each package with a version and a package URL (`externalRefs` of category
//! `PACKAGE-MANAGER` and type `purl`) is installed software, with its CPE name when a
//! `SECURITY` reference of type `cpe23Type` or `cpe22Type` gives one. A package with a CPE
//! name and no purl is vendor software; a package with neither cannot be matched and is
//! reported.

use super::{InventoryError, LoadedFleet, Software};
use crate::json::{FieldError, Obj};
use crate::load_report::LoadReport;
use serde_json::Value;

pub(super) fn load(document: &Value, origin: &str) -> Result<LoadedFleet, InventoryError> {
    let malformed = |e: FieldError| InventoryError::Malformed {
        origin: origin.to_owned(),
        field: e.path,
        message: e.message,
    };
    let doc = Obj::new(document, String::new()).map_err(malformed)?;
    let name = doc
        .opt_str("name")
        .map_err(malformed)?
        .unwrap_or(origin)
        .to_owned();
    let mut report = LoadReport::one_file();
    let mut software = Vec::new();
    for package in doc.opt_objs("packages").map_err(malformed)? {
        report.records_read += 1;
        let record = package
            .opt_str("SPDXID")
            .ok()
            .flatten()
            .or(package.opt_str("name").ok().flatten())
            .map(str::to_owned);
        let mut note = None;
        let parsed = parse_package(&package, &mut note);
        software.extend(report.kept_or_skipped(origin, record.as_deref(), parsed));
        report.partly_used(origin, record.as_deref(), note);
    }
    Ok(LoadedFleet::one_device(
        name.clone(),
        name,
        software,
        report,
    ))
}

/// One package; `note` receives a problem that leaves the item usable (a CPE name beside the
/// purl that does not parse).
fn parse_package(package: &Obj<'_>, note: &mut Option<FieldError>) -> Result<Software, FieldError> {
    let version = package.opt_str("versionInfo")?;
    let mut purl = None;
    let mut cpe = None;
    for reference in package.opt_objs("externalRefs")? {
        let category = reference.opt_str("referenceCategory")?.unwrap_or_default();
        let kind = reference.opt_str("referenceType")?.unwrap_or_default();
        let locator = reference.req_str("referenceLocator")?;
        match (category.replace('_', "-").as_str(), kind) {
            ("PACKAGE-MANAGER", "purl") if purl.is_none() => purl = Some(locator),
            ("SECURITY", "cpe23Type" | "cpe22Type") if cpe.is_none() => cpe = Some(locator),
            _ => {}
        }
    }
    let refs = package.child_path("externalRefs");
    match (purl, cpe) {
        (Some(purl), cpe) => {
            let mut software = Software::from_purl_or_version(purl, version).map_err(|e| FieldError {
                path: refs.clone(),
                message: e.to_string(),
            })?;
            *note = software.claim_stated_cpe(cpe, || refs.clone());
            Ok(software)
        }
        (None, Some(cpe)) => Software::from_cpe(cpe, package.opt_str("name")?, version).map_err(|e| FieldError {
            path: refs,
            message: e.to_string(),
        }),
        (None, None) => Err(FieldError {
            path: refs,
            message: "no purl (PACKAGE-MANAGER) or CPE (SECURITY) reference: the package cannot be matched".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use crate::inventory::load_text;

    #[test]
    fn spdx_packages_by_purl_and_cpe() {
        // Written after the SPDX 2.3 specification's JSON examples (section 7.21, external
        // references), with real package coordinates.
        let text = r#"{"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
          "name": "build-host-7", "documentNamespace": "https://example.invalid/spdx/build-host-7",
          "packages": [
            {"SPDXID": "SPDXRef-Package-log4j", "name": "log4j-core", "versionInfo": "2.14.1",
             "externalRefs": [
               {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                "referenceLocator": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
               {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                "referenceLocator": "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"}]},
            {"SPDXID": "SPDXRef-Package-openssl", "name": "OpenSSL", "versionInfo": "1.1.1k",
             "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                "referenceLocator": "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"}]},
            {"SPDXID": "SPDXRef-Package-readme", "name": "README", "versionInfo": "1"},
            {"SPDXID": "SPDXRef-Package-requests", "name": "requests",
             "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
                "referenceLocator": "pkg:pypi/requests@2.31.0"}]}
          ]}"#;
        let loaded = load_text(
            text,
            "sbom.spdx.json",
            &crate::inventory::LoadOptions::default(),
        )
        .expect("SPDX");
        let device = &loaded.fleet.devices[0];
        assert_eq!(device.id, "build-host-7");
        let names: Vec<(&str, &str, &str)> = device
            .software
            .iter()
            .map(|s| (s.ecosystem.osv_name(), s.name.as_str(), s.version.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
                ("cpe", "OpenSSL", "1.1.1k"),
                ("PyPI", "requests", "2.31.0"),
            ]
        );
        assert_eq!(
            device.software[0].cpe.as_ref().map(|c| c.rule.as_str()),
            Some("inventory")
        );
        assert_eq!(loaded.report.records_skipped, 1);
        assert_eq!(
            loaded.report.problems[0].to_string(),
            "sbom.spdx.json: record SPDXRef-Package-readme: packages[2].externalRefs: no purl (PACKAGE-MANAGER) or CPE (SECURITY) reference: the package cannot be matched (skipped)"
        );
    }
}
