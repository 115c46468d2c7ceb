//! CycloneDX JSON BOMs (1.2–1.6): the BOM describes one device; its components, nested ones
//! included, are the installed software.

use super::{InventoryError, LoadedFleet, Software};
use crate::json::{FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use serde_json::Value;

pub(super) fn load(document: &Value, origin: &str) -> Result<LoadedFleet, InventoryError> {
    let malformed = |e: FieldError| InventoryError::Malformed {
        origin: origin.to_owned(),
        field: e.path,
        message: e.message,
    };
    let bom = Obj::new(document, String::new()).map_err(malformed)?;
    let subject = bom
        .opt_obj("metadata")
        .map_err(malformed)?
        .map(|m| m.opt_obj("component"))
        .transpose()
        .map_err(malformed)?
        .flatten();
    let (id, name) = if let Some(component) = &subject {
        let name = component
            .opt_str("name")
            .map_err(malformed)?
            .unwrap_or(origin);
        let id = component
            .opt_str("bom-ref")
            .map_err(malformed)?
            .unwrap_or(name);
        let name = match component.opt_str("version").map_err(malformed)? {
            Some(version) => format!("{name} {version}"),
            None => name.to_owned(),
        };
        (id.to_owned(), name)
    } else {
        let id = bom
            .opt_str("serialNumber")
            .map_err(malformed)?
            .unwrap_or(origin);
        (id.to_owned(), id.to_owned())
    };
    let mut report = LoadReport::one_file();
    let mut software = Vec::new();
    // Pre-order walk in document order: a stack holding siblings in reverse. An element that
    // is not an object is one skipped record.
    let mut pending = bom.opt_each_obj("components").map_err(malformed)?;
    pending.reverse();
    while let Some(component) = pending.pop() {
        report.records_read += 1;
        let component = match component {
            Ok(component) => component,
            Err(e) => {
                report.kept_or_skipped::<()>(origin, None, Err(e));
                continue;
            }
        };
        let record = component
            .opt_str("bom-ref")
            .ok()
            .flatten()
            .or(component.opt_str("name").ok().flatten())
            .map(str::to_owned);
        let mut note = None;
        software.extend(report.kept_or_skipped(
            origin,
            record.as_deref(),
            parse_component(&component, &mut note),
        ));
        report.partly_used(origin, record.as_deref(), note);
        match component.opt_each_obj("components") {
            Ok(children) => pending.extend(children.into_iter().rev()),
            Err(FieldError { path, message }) => {
                report.problem(Problem::new(
                    origin,
                    record.as_deref(),
                    &path,
                    message,
                    Consequence::PartlyUsed,
                ));
            }
        }
    }
    Ok(LoadedFleet::one_device(id, name, software, report))
}

/// One component; `note` receives a problem that leaves the item usable (a CPE name beside
/// the purl that does not parse).
fn parse_component(
    component: &Obj<'_>,
    note: &mut Option<FieldError>,
) -> Result<Software, FieldError> {
    let version = component.opt_str("version")?;
    let cpe = component.opt_str("cpe")?;
    let Some(purl) = component.opt_str("purl")? else {
        // Vendor software (an operating system, an appliance) is often named by CPE only.
        if let Some(cpe) = cpe {
            return Software::from_cpe(cpe, component.opt_str("name")?, version).map_err(|e| {
                FieldError {
                    path: component.child_path("cpe"),
                    message: e.to_string(),
                }
            });
        }
        return Err(FieldError {
            path: component.child_path("purl"),
            message: "is missing (and so is cpe): the component cannot be matched".into(),
        });
    };
    // A purl without a version is completed by the component's own version field.
    let mut software = Software::from_purl_or_version(purl, version).map_err(|e| FieldError {
        path: component.child_path("purl"),
        message: e.to_string(),
    })?;
    *note = software.claim_stated_cpe(cpe, || component.child_path("cpe"));
    Ok(software)
}
