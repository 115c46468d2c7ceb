//! The JSON fleet format: `{"devices": [{"id", "name", "tags", "value", "software": [...]}]}`,
//! each software item either `{"purl": "pkg:...@version"}` or
//! `{"ecosystem": "PyPI", "name": "requests", "version": "2.28.1"}`.
//!
//! A document is read as it streams by, one device at a time. A device whose items were all
//! met before, without a problem, is read straight from the text; any other is read as a JSON
//! value, field by field, so that every problem names its path. Each distinct item is parsed
//! once.

use super::{Device, DeviceValue, Fleet, InventoryError, LoadedFleet, Software};
use crate::ecosystem::Ecosystem;
use crate::json::{FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::sync::Arc;

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
    let each = &mut |i, device: &RawValue| reader.device(i, device.get());
    let top = crate::json::stream_array(&mut deserializer, &["devices"], true, each)?;
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
    /// The items read so far: equal items of different devices become one, as they are read.
    items: Items,
}

/// The software items of a fleet read so far. An item is parsed once: a fleet repeats the
/// same items on many devices (10,000 generated devices of 300 items hold about 3,000
/// distinct ones), so the others are found by the text of their fields and shared.
#[derive(Default)]
struct Items {
    /// Equal items as one (also those read the long way).
    shared: super::SharedSoftware,
    /// Items read without a problem, by [`Items::key`] of their fields.
    by_text: HashMap<String, Arc<Software>>,
    /// The key of the item at hand (one buffer, so that finding an item allocates nothing).
    key: String,
}

impl Items {
    /// The key of an item whose fields are all known and all strings (what an item's reading
    /// depends on), in `self.key`; `false` for any other item, read the long way.
    fn key(&mut self, item: &Value) -> bool {
        let Value::Object(fields) = item else {
            return false;
        };
        let mut texts = [None; SOFTWARE_FIELDS.len()];
        for (text, name) in texts.iter_mut().zip(SOFTWARE_FIELDS) {
            match fields.get(name) {
                Some(Value::String(found)) => *text = Some(found.as_str()),
                None => {}
                Some(_) => return false,
            }
        }
        self.key_of(texts);
        fields.keys().all(|k| SOFTWARE_FIELDS.contains(&k.as_str()))
    }

    /// The key of an item's fields, in the order of [`SOFTWARE_FIELDS`], in `self.key`: each
    /// field's length and text, so that no two items share a key.
    fn key_of(&mut self, texts: [Option<&str>; SOFTWARE_FIELDS.len()]) {
        self.key.clear();
        for text in texts {
            match text {
                // Writing to a String cannot fail.
                Some(text) => drop(write!(self.key, "{}:{text}", text.len())),
                None => self.key.push('-'),
            }
        }
    }

    /// A device read quickly: every item one met before without a problem, and nothing that
    /// needs a word in the report; `None` otherwise.
    fn quick(&mut self, device: QuickDevice<'_>) -> Option<Device> {
        let id = device.id.trim();
        if id.is_empty() {
            return None;
        }
        let value = match device.value {
            None => DeviceValue::Normal,
            Some(text) => DeviceValue::from_name(text)?,
        };
        let listed = device.software.unwrap_or_default();
        let mut software = Vec::with_capacity(listed.len());
        for item in listed {
            self.key_of([item.purl, item.ecosystem, item.name, item.version, item.cpe]);
            software.push(Arc::clone(self.by_text.get(&self.key)?));
        }
        Some(Device {
            id: id.to_owned(),
            name: device.name.unwrap_or(id).to_owned(),
            tags: device
                .tags
                .unwrap_or_default()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            value,
            software,
        })
    }
}

/// A device as the quick reading takes it: its fields borrowed from the text (a string with
/// an escape declines it), an unknown field or one of the wrong type declines it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickDevice<'a> {
    id: &'a str,
    name: Option<&'a str>,
    #[serde(borrow)]
    tags: Option<Vec<&'a str>>,
    value: Option<&'a str>,
    #[serde(borrow)]
    software: Option<Vec<QuickItem<'a>>>,
}

/// A software item as the quick reading takes it (see [`QuickDevice`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickItem<'a> {
    purl: Option<&'a str>,
    ecosystem: Option<&'a str>,
    name: Option<&'a str>,
    version: Option<&'a str>,
    cpe: Option<&'a str>,
}

impl<'o> Reader<'o> {
    fn new(origin: &'o str) -> Self {
        Reader {
            origin,
            fleet: Fleet::default(),
            report: LoadReport::one_file(),
            seen: HashSet::new(),
            items: Items::default(),
        }
    }

    /// The `index`-th element of `devices`, its text: a device kept, or one record skipped
    /// with its problem (an element that is not an object costs only itself).
    fn device(&mut self, index: usize, text: &str) {
        self.report.records_read += 1;
        // Most devices are read straight from the text; one the quick reading declines (an
        // item not met before, any problem) is read as a JSON value, which names every
        // problem's path.
        let quick = serde_json::from_str::<QuickDevice<'_>>(text)
            .ok()
            .and_then(|device| self.items.quick(device));
        if let Some(device) = quick {
            if self.seen.insert(device.id.clone()) {
                self.report.records_loaded += 1;
                self.fleet.devices.push(device);
                return;
            }
        }
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => {
                let error = FieldError {
                    path: format!("devices[{index}]"),
                    message: e.to_string(),
                };
                self.report
                    .kept_or_skipped::<()>(self.origin, None, Err(error));
                return;
            }
        };
        let device = match Obj::new(&value, format!("devices[{index}]")) {
            Ok(device) => device,
            Err(e) => {
                self.report.kept_or_skipped::<()>(self.origin, None, Err(e));
                return;
            }
        };
        let record = device.opt_str("id").ok().flatten().map(str::to_owned);
        let parsed = parse_device(&device, self.origin, &mut self.report, &mut self.items)
            .and_then(|mut d| {
                if self.seen.insert(d.id.clone()) {
                    self.items.shared.share(&mut d);
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
    items: &mut Items,
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
    let listed = device.opt_array("software")?;
    let mut software = Vec::with_capacity(listed.len());
    for (i, item) in listed.iter().enumerate() {
        let known = items.key(item);
        if let Some(shared) = known.then(|| items.by_text.get(&items.key)).flatten() {
            software.push(Arc::clone(shared));
            continue;
        }
        let path = format!("{}[{i}]", device.child_path("software"));
        let parsed = Obj::new(item, path).and_then(|item| {
            unknown_fields(&item, &SOFTWARE_FIELDS, origin, &id, report);
            let mut note = None;
            let parsed = parse_software(&item, &mut note);
            let clean = note.is_none();
            report.partly_used(origin, Some(&id), note);
            parsed.map(|s| (s, clean))
        });
        match parsed {
            Ok((s, clean)) => {
                let shared = items.shared.canonical(Arc::new(s));
                if known && clean {
                    items.by_text.insert(items.key.clone(), Arc::clone(&shared));
                }
                software.push(shared);
            }
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
