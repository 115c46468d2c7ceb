//! The JSON fleet format: `{"devices": [{"id", "name", "tags", "value", "software": [...]}]}`,
//! each software item either `{"purl": "pkg:...@version"}` or
//! `{"ecosystem": "PyPI", "name": "requests", "version": "2.28.1"}`.

use super::{Device, DeviceValue, Fleet, InventoryError, LoadedFleet, Software};
use crate::ecosystem::Ecosystem;
use crate::json::{FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use serde_json::Value;
use std::collections::HashSet;

const DEVICE_FIELDS: [&str; 5] = ["id", "name", "tags", "value", "software"];
const SOFTWARE_FIELDS: [&str; 5] = ["purl", "ecosystem", "name", "version", "cpe"];

pub(super) fn load(document: &Value, origin: &str) -> Result<LoadedFleet, InventoryError> {
    let malformed = |e: FieldError| InventoryError::Malformed {
        origin: origin.to_owned(),
        field: e.path,
        message: e.message,
    };
    let root = Obj::new(document, String::new()).map_err(malformed)?;
    let devices = root.opt_objs("devices").map_err(malformed)?;
    let mut report = LoadReport::one_file();
    let mut fleet = Fleet::default();
    let mut seen = HashSet::new();
    // Equal items of different devices become one, as they are read.
    let mut shared = super::SharedSoftware::default();
    for device in devices {
        report.records_read += 1;
        let record = device.opt_str("id").ok().flatten().map(str::to_owned);
        let parsed = parse_device(&device, origin, &mut report).and_then(|mut d| {
            if seen.insert(d.id.clone()) {
                shared.share(&mut d);
                Ok(d)
            } else {
                Err(FieldError {
                    path: device.child_path("id"),
                    message: format!("duplicate device id {:?}", d.id),
                })
            }
        });
        fleet
            .devices
            .extend(report.kept_or_skipped(origin, record.as_deref(), parsed));
    }
    Ok(LoadedFleet { fleet, report })
}

fn unknown_fields(
    obj: &Obj<'_>,
    known: &[&str],
    origin: &str,
    record: &str,
    report: &mut LoadReport,
) {
    for key in obj.map.keys().filter(|k| !known.contains(&k.as_str())) {
        report.problem(Problem::new(
            origin,
            Some(record),
            &obj.child_path(key),
            "unknown field, ignored",
            Consequence::PartlyUsed,
        ));
    }
}

fn parse_device(
    device: &Obj<'_>,
    origin: &str,
    report: &mut LoadReport,
) -> Result<Device, FieldError> {
    let id = device.req_str("id")?.trim().to_owned();
    unknown_fields(device, &DEVICE_FIELDS, origin, &id, report);
    let value = match device.opt_str("value")? {
        None => DeviceValue::Normal,
        Some(text) => DeviceValue::from_name(text).ok_or_else(|| FieldError {
            path: device.child_path("value"),
            message: format!("{text:?} is not one of low, normal, high"),
        })?,
    };
    let mut software = Vec::new();
    for item in device.opt_objs("software")? {
        unknown_fields(&item, &SOFTWARE_FIELDS, origin, &id, report);
        let mut note = None;
        let parsed = parse_software(&item, &mut note);
        report.partly_used(origin, Some(&id), note);
        match parsed {
            Ok(s) => software.push(std::sync::Arc::new(s)),
            // A bad software entry costs only itself: the device keeps the rest.
            Err(FieldError { path, message }) => {
                report.problem(Problem::new(
                    origin,
                    Some(&id),
                    &path,
                    message,
                    Consequence::PartlyUsed,
                ));
            }
        }
    }
    Ok(Device {
        name: device.opt_str("name")?.unwrap_or(&id).to_owned(),
        tags: device
            .opt_str_list("tags")?
            .into_iter()
            .map(str::to_owned)
            .collect(),
        value,
        software,
        id,
    })
}

/// One software item; `note` receives a problem that leaves the item usable (a CPE name
/// beside the purl that does not parse).
fn parse_software(item: &Obj<'_>, note: &mut Option<FieldError>) -> Result<Software, FieldError> {
    let cpe = item.opt_str("cpe")?;
    let mut software = parse_named_software(item, cpe)?;
    if software.cpe.is_none() {
        *note = software.claim_stated_cpe(cpe, || item.child_path("cpe"));
    }
    Ok(software)
}

fn parse_named_software(item: &Obj<'_>, cpe: Option<&str>) -> Result<Software, FieldError> {
    if let (Some(cpe), None, None) = (cpe, item.opt_str("purl")?, item.opt_str("ecosystem")?) {
        return Software::from_cpe(cpe, item.opt_str("name")?, item.opt_str("version")?).map_err(
            |e| FieldError {
                path: item.child_path("cpe"),
                message: e.to_string(),
            },
        );
    }
    if let Some(purl) = item.opt_str("purl")? {
        if let Some(key) = ["ecosystem", "name"]
            .into_iter()
            .find(|k| item.map.contains_key(*k))
        {
            return Err(FieldError {
                path: item.child_path(key),
                message: "give either a purl or ecosystem, name and version, not both".into(),
            });
        }
        return Software::from_purl_or_version(purl, item.opt_str("version")?).map_err(|e| {
            FieldError {
                path: item.child_path("purl"),
                message: e.to_string(),
            }
        });
    }
    Ok(Software {
        ecosystem: Ecosystem::from_osv(item.req_str("ecosystem")?),
        name: item.req_str("name")?.trim().to_owned(),
        version: item.req_str("version")?.trim().to_owned(),
        purl: None,
        packages: Vec::new(),
        cpe: None,
    })
}
