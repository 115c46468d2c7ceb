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

/// Reads a JSON inventory's top level as it streams by: the elements of a `devices` array are
/// read into devices one at a time as the parser reaches them (a fleet of 10,000 devices is
/// never held as a JSON tree), every other field is returned as a value (a CycloneDX BOM or an
/// SPDX document is read from those). The devices are `None` when there is no `devices`
/// field. A syntax error is a [`serde_json::Error`].
pub(super) fn read(
    text: &str,
    origin: &str,
) -> Result<(Value, Option<Result<LoadedFleet, InventoryError>>), serde_json::Error> {
    let mut reader = Reader::new(origin);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let top =
        crate::json::stream_array(&mut deserializer, &["devices"], true, &mut |i, device| {
            reader.device(i, &device);
        })?;
    deserializer.end()?;
    let fleet = top.found.then(|| match top.not_an_array {
        Some(found) => Err(InventoryError::Malformed {
            origin: origin.to_owned(),
            field: "devices".to_owned(),
            message: format!("expected an array, found {found}"),
        }),
        None => Ok(LoadedFleet {
            fleet: reader.fleet,
            report: reader.report,
        }),
    });
    Ok((Value::Object(top.others), fleet))
}

/// The devices of a fleet document, read one at a time.
struct Reader<'o> {
    origin: &'o str,
    fleet: Fleet,
    report: LoadReport,
    /// The ids met, each device's first: a later device with one is skipped.
    seen: HashSet<String>,
    /// Equal items of different devices become one, as they are read.
    shared: super::SharedSoftware,
}

impl<'o> Reader<'o> {
    fn new(origin: &'o str) -> Self {
        Reader {
            origin,
            fleet: Fleet::default(),
            report: LoadReport::one_file(),
            seen: HashSet::new(),
            shared: super::SharedSoftware::default(),
        }
    }

    /// The `index`-th element of `devices`: a device kept, or one record skipped with its
    /// problem (an element that is not an object costs only itself).
    fn device(&mut self, index: usize, value: &Value) {
        self.report.records_read += 1;
        let device = match Obj::new(value, format!("devices[{index}]")) {
            Ok(device) => device,
            Err(e) => {
                self.report.kept_or_skipped::<()>(self.origin, None, Err(e));
                return;
            }
        };
        let record = device.opt_str("id").ok().flatten().map(str::to_owned);
        let parsed = parse_device(&device, self.origin, &mut self.report).and_then(|mut d| {
            if self.seen.insert(d.id.clone()) {
                self.shared.share(&mut d);
                Ok(d)
            } else {
                Err(FieldError {
                    path: device.child_path("id"),
                    message: format!("duplicate device id {:?}", d.id),
                })
            }
        });
        self.fleet.devices.extend(self.report.kept_or_skipped(
            self.origin,
            record.as_deref(),
            parsed,
        ));
    }
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
    for item in device.opt_each_obj("software")? {
        let parsed = item.and_then(|item| {
            unknown_fields(&item, &SOFTWARE_FIELDS, origin, &id, report);
            let mut note = None;
            let parsed = parse_software(&item, &mut note);
            report.partly_used(origin, Some(&id), note);
            parsed
        });
        match parsed {
            Ok(s) => software.push(std::sync::Arc::new(s)),
            // A bad software entry (or one that is not an object) costs only itself: the
            // device keeps the rest.
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
