//! The JSON fleet format: `{"devices": [{"id", "name", "tags", "groups", "value", "software": [...]}]}`,
//! each software item either `{"purl": "pkg:...@version"}` or
//! `{"ecosystem": "PyPI", "name": "requests", "version": "2.28.1"}` (either may say when it
//! last ran: `"last_used": "never"` or `"2026-01-31"`).
//!
//! `"groups"` lists the device groups the device belongs to (non-empty strings, trimmed, each
//! once; a bad element is a problem and left out).
//!
//! A device may also state its context: `"internet_facing": true`, `"alerts"` (vulnerability
//! ids with an active security alert on it), `"conditions"` (platform CPE names and facts
//! such as `role:web-server`) and `"configuration"`, the configuration checks it reports:
//! `{"id", "title", "status": "pass" | "fail" | "not_applicable", "weight" (0 to 1,000,000,
//! default 1), "mitigates": ["CVE-…"], "remediation", "category"}` (see
//! [`crate::configuration`]). A bad value is a problem with its path: a bad element of these
//! lists is left out (a check with any bad field, or an id the device has already), a field of
//! the wrong type is ignored.
//!
//! A document is read as it streams by, one device at a time. A device whose items were all
//! met before, without a problem, is read straight from the text; any other is read as a JSON
//! value, field by field, so that every problem names its path. Each distinct item is parsed
//! once.

use super::{Device, DeviceValue, Fleet, InventoryError, LastUsed, LoadedFleet, Software};
use crate::configuration::{CheckStatus, ConfigurationCheck};
use crate::ecosystem::Ecosystem;
use crate::json::{FieldError, Obj};
use crate::load_report::{Consequence, LoadReport, Problem};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::sync::Arc;

const DEVICE_FIELDS: [&str; 10] = [
    "id",
    "name",
    "tags",
    "groups",
    "value",
    "software",
    "internet_facing",
    "alerts",
    "conditions",
    "configuration",
];
const SOFTWARE_FIELDS: [&str; 6] = ["purl", "ecosystem", "name", "version", "cpe", "last_used"];
const CHECK_FIELDS: [&str; 7] = [
    "id",
    "title",
    "status",
    "weight",
    "mitigates",
    "remediation",
    "category",
];

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
struct Reader {
    origin: String,
    fleet: Fleet,
    report: LoadReport,
    /// The ids met, each device's first: a later device with one is skipped.
    seen: super::IdSet,
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
    /// The texts of configuration checks, each kept once.
    texts: Texts,
}

/// Texts that repeat on many devices (a configuration check's id, title, remediation), each
/// kept once and shared.
#[derive(Default)]
struct Texts(HashSet<Arc<str>>);

impl Texts {
    fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(known) = self.0.get(text) {
            return Arc::clone(known);
        }
        let new: Arc<str> = Arc::from(text);
        self.0.insert(Arc::clone(&new));
        new
    }
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
            self.key_of([
                item.purl,
                item.ecosystem,
                item.name,
                item.version,
                item.cpe,
                item.last_used,
            ]);
            software.push(Arc::clone(self.by_text.get(&self.key)?));
        }
        let strings = |listed: Option<Vec<&str>>, check: fn(&str) -> Result<(), String>| {
            listed
                .unwrap_or_default()
                .into_iter()
                .map(|text| text_element(text, check).ok())
                .collect::<Option<Vec<String>>>()
        };
        let alerts = strings(device.alerts, |_| Ok(()))?;
        let groups = distinct(strings(device.groups, |_| Ok(()))?);
        let conditions = strings(device.conditions, condition)?;
        let mut configuration = Vec::new();
        for check in device.configuration.unwrap_or_default() {
            let check = check_of(
                CheckParts {
                    id: &check.id,
                    title: &check.title,
                    status: check.status,
                    weight: check.weight,
                    mitigates: check.mitigates.unwrap_or_default(),
                    remediation: check.remediation.as_deref(),
                    category: check.category.as_deref(),
                },
                &mut self.texts,
            )
            .ok()?;
            if configuration
                .iter()
                .any(|c: &ConfigurationCheck| c.id == check.id)
            {
                return None;
            }
            configuration.push(check);
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
            groups,
            value,
            software,
            internet_facing: device.internet_facing.unwrap_or(false),
            alerts,
            conditions,
            configuration,
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
    #[serde(borrow)]
    groups: Option<Vec<&'a str>>,
    value: Option<&'a str>,
    #[serde(borrow)]
    software: Option<Vec<QuickItem<'a>>>,
    internet_facing: Option<bool>,
    #[serde(borrow)]
    alerts: Option<Vec<&'a str>>,
    #[serde(borrow)]
    conditions: Option<Vec<&'a str>>,
    #[serde(borrow)]
    configuration: Option<Vec<QuickCheck<'a>>>,
}

/// A configuration check as the quick reading takes it (see [`QuickDevice`]); its texts may
/// hold escapes (remediation texts quote commands and paths).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickCheck<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    status: &'a str,
    weight: Option<f64>,
    #[serde(borrow)]
    mitigates: Option<Vec<&'a str>>,
    #[serde(borrow)]
    remediation: Option<Cow<'a, str>>,
    #[serde(borrow)]
    category: Option<Cow<'a, str>>,
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
    last_used: Option<&'a str>,
}

impl Reader {
    fn new(origin: &str) -> Self {
        Reader {
            origin: origin.to_owned(),
            fleet: Fleet::default(),
            report: LoadReport::one_file(),
            seen: super::IdSet::default(),
            items: Items::default(),
        }
    }

    /// The `index`-th element of `devices`, its text: a device kept, or one record skipped
    /// with its problem (an element that is not an object costs only itself).
    fn device(&mut self, index: usize, text: &str) {
        if let Some(device) = self.take(index, text) {
            self.fleet.devices.push(device);
        }
    }

    /// The device of the `index`-th element, or `None` when it is skipped (its problem in
    /// the report).
    fn take(&mut self, index: usize, text: &str) -> Option<Device> {
        self.report.records_read += 1;
        // Most devices are read straight from the text; one the quick reading declines (an
        // item not met before, any problem) is read as a JSON value, which names every
        // problem's path.
        let quick = serde_json::from_str::<QuickDevice<'_>>(text)
            .ok()
            .and_then(|device| self.items.quick(device));
        if let Some(device) = quick {
            if self.seen.insert(&device.id) {
                self.report.records_loaded += 1;
                return Some(device);
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
                    .kept_or_skipped::<()>(&self.origin, None, Err(error));
                return None;
            }
        };
        let device = match Obj::new(&value, format!("devices[{index}]")) {
            Ok(device) => device,
            Err(e) => {
                self.report
                    .kept_or_skipped::<()>(&self.origin, None, Err(e));
                return None;
            }
        };
        let record = device.opt_str("id").ok().flatten().map(str::to_owned);
        let parsed = parse_device(&device, &self.origin, &mut self.report, &mut self.items)
            .and_then(|mut d| {
                if self.seen.insert(&d.id) {
                    self.items.shared.share(&mut d);
                    Ok(d)
                } else {
                    Err(FieldError {
                        path: device.child_path("id"),
                        message: format!("duplicate device id {:?}", d.id),
                    })
                }
            });
        self.report
            .kept_or_skipped(&self.origin, record.as_deref(), parsed)
    }
}

/// The devices of a JSON Lines fleet — one fleet-document device object per line (see the
/// module's docs for its fields) — read one line at a time, for a streamed assessment
/// ([`crate::stream`]): memory holds one line, the items met so far (each distinct item
/// once) and the ids met, whatever the number of devices. A device with a problem is
/// reported and skipped as in a fleet document (its line number is its index); blank lines
/// are ignored; the load report is read at the end ([`DeviceLines::report`]) and, as for any
/// inventory, a caller fails closed on its shortfall. A line longer than the limit, or a
/// failed read, ends the iteration with an error.
///
/// ```
/// use exposure::inventory::DeviceLines;
/// let text = "{\"id\": \"a\", \"software\": [{\"purl\": \"pkg:npm/lodash@4.17.20\"}]}\n\nnot json\n{\"id\": \"b\"}\n";
/// let mut lines = DeviceLines::new(text.as_bytes(), "fleet.jsonl", exposure::files::Limits::default());
/// let ids: Vec<String> = lines.by_ref().map(|d| d.map(|d| d.id)).collect::<Result<_, _>>()?;
/// assert_eq!(ids, ["a", "b"]);
/// let report = lines.report();
/// assert_eq!((report.records_read, report.records_loaded, report.records_skipped), (3, 2, 1));
/// # Ok::<(), exposure::inventory::InventoryError>(())
/// ```
pub struct DeviceLines<R> {
    input: R,
    reader: Reader,
    line: Vec<u8>,
    /// Lines read (the number of the next).
    lines: usize,
    limit: u64,
    failed: bool,
}

impl<R: std::io::BufRead> DeviceLines<R> {
    /// Reads `input`, named `origin` in problems; each line at most `limits.input_bytes`.
    pub fn new(input: R, origin: &str, limits: crate::files::Limits) -> Self {
        Self {
            input,
            reader: Reader::new(origin),
            line: Vec::new(),
            lines: 0,
            limit: limits.input_bytes,
            failed: false,
        }
    }

    /// The load report of the lines read so far: records read, loaded, skipped, and every
    /// problem with its line (as `devices[line]`, from 0).
    pub fn report(&self) -> &LoadReport {
        &self.reader.report
    }

    fn fail(&mut self, source: crate::files::InputError) -> InventoryError {
        self.failed = true;
        InventoryError::Input {
            path: self.reader.origin.clone().into(),
            source,
        }
    }
}

impl<R: std::io::BufRead> Iterator for DeviceLines<R> {
    type Item = Result<Device, InventoryError>;

    fn next(&mut self) -> Option<Self::Item> {
        use std::io::{BufRead, Read};
        while !self.failed {
            self.line.clear();
            let read = (&mut self.input)
                .take(self.limit.saturating_add(1))
                .read_until(b'\n', &mut self.line);
            match read {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(self.fail(crate::files::InputError::Io(e)))),
            }
            let index = self.lines;
            self.lines += 1;
            if self.line.len() as u64 > self.limit {
                let error = crate::files::InputError::TooLarge {
                    input: format!("{} line {}", self.reader.origin, index + 1),
                    limit: self.limit,
                };
                return Some(Err(self.fail(error)));
            }
            let text = match std::str::from_utf8(&self.line) {
                Ok(text) => text.trim(),
                Err(e) => {
                    let error = crate::files::InputError::NotUtf8 {
                        offset: e.valid_up_to(),
                    };
                    return Some(Err(self.fail(error)));
                }
            };
            if text.is_empty() {
                continue;
            }
            if let Some(device) = self.reader.take(index, text) {
                return Some(Ok(device));
            }
        }
        None
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
            let mut notes = Vec::new();
            let parsed = parse_software(&item, &mut notes);
            let clean = notes.is_empty();
            for note in notes {
                report.partly_used(origin, Some(&id), Some(note));
            }
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
    let name = device.opt_str("name")?.unwrap_or(&id).to_owned();
    let tags = device
        .opt_str_list("tags")?
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut context = Context {
        device,
        origin,
        record: &id,
        report,
        texts: &mut items.texts,
    };
    Ok(Device {
        internet_facing: context.internet_facing(),
        alerts: context.strings("alerts", |_| Ok(())),
        groups: distinct(context.strings("groups", |_| Ok(()))),
        conditions: context.strings("conditions", condition),
        configuration: context.configuration(),
        name,
        tags,
        value,
        software,
        id,
    })
}

/// The context fields of one device read the long way: each bad value a problem with its
/// path, the device kept.
struct Context<'d, 'v, 'r> {
    device: &'d Obj<'v>,
    origin: &'r str,
    record: &'r str,
    report: &'r mut LoadReport,
    texts: &'r mut Texts,
}

impl Context<'_, '_, '_> {
    /// Notes a problem that leaves the device usable.
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.report.problem(Problem::new(
            self.origin,
            Some(self.record),
            path,
            message,
            Consequence::PartlyUsed,
        ));
    }

    /// `internet_facing`: a boolean, false when absent; of another type it is ignored.
    fn internet_facing(&mut self) -> bool {
        match self.device.map.get("internet_facing") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(facing)) => *facing,
            Some(other) => {
                let message = format!(
                    "expected a boolean, found {}: ignored",
                    crate::json::type_name(other)
                );
                self.problem(&self.device.child_path("internet_facing"), message);
                false
            }
        }
    }

    /// The elements of `key` that are `check`ed non-empty strings (trimmed); a field that
    /// is not an array is ignored, an element that is bad left out, each with its problem.
    fn strings(&mut self, key: &str, check: fn(&str) -> Result<(), String>) -> Vec<String> {
        let listed = match self.device.opt_array(key) {
            Ok(listed) => listed,
            Err(e) => {
                self.problem(&e.path, format!("{}: ignored", e.message));
                return Vec::new();
            }
        };
        let path = self.device.child_path(key);
        let mut out = Vec::with_capacity(listed.len());
        for (i, element) in listed.iter().enumerate() {
            let read = match element {
                Value::String(text) => text_element(text, check),
                other => Err(format!(
                    "expected a string, found {}",
                    crate::json::type_name(other)
                )),
            };
            match read {
                Ok(text) => out.push(text),
                Err(message) => {
                    self.problem(&format!("{path}[{i}]"), format!("{message}: left out"));
                }
            }
        }
        out
    }

    /// The configuration checks; a bad one (or one whose id came before) is left out.
    fn configuration(&mut self) -> Vec<ConfigurationCheck> {
        let listed = match self.device.opt_each_obj("configuration") {
            Ok(listed) => listed,
            Err(e) => {
                self.problem(&e.path, format!("{}: ignored", e.message));
                return Vec::new();
            }
        };
        let mut out: Vec<ConfigurationCheck> = Vec::with_capacity(listed.len());
        for check in listed {
            let read = check.and_then(|check| {
                for key in check
                    .map
                    .keys()
                    .filter(|k| !CHECK_FIELDS.contains(&k.as_str()))
                {
                    self.problem(&check.child_path(key), "unknown field, ignored");
                }
                let parsed = parse_check(&check, self.texts)?;
                if out.iter().any(|c| c.id == parsed.id) {
                    return Err(FieldError {
                        path: check.child_path("id"),
                        message: format!("duplicate check id {:?}", parsed.id),
                    });
                }
                Ok(parsed)
            });
            match read {
                Ok(check) => out.push(check),
                Err(e) => self.problem(&e.path, format!("{}: check left out", e.message)),
            }
        }
        out
    }
}

/// The texts in their first order, each once (a device listed twice in a group is in it once).
fn distinct(mut texts: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::with_capacity(texts.len());
    texts.retain(|t| seen.insert(t.clone()));
    texts
}

/// A string element of `alerts`, `groups` or `conditions`, trimmed, or why it is bad.
fn text_element(text: &str, check: fn(&str) -> Result<(), String>) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("is empty".to_owned());
    }
    check(text)?;
    Ok(text.to_owned())
}

/// A condition: a CPE name (`cpe:2.3:…` or `cpe:/…`) must parse; any other fact is free text.
fn condition(text: &str) -> Result<(), String> {
    if text.starts_with("cpe:") {
        text.parse::<crate::cpe::Cpe>().map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The fields of a configuration check, as either reading found them.
struct CheckParts<'a> {
    id: &'a str,
    title: &'a str,
    status: &'a str,
    weight: Option<f64>,
    mitigates: Vec<&'a str>,
    remediation: Option<&'a str>,
    category: Option<&'a str>,
}

/// A configuration check from its fields, or the field that is bad and why.
fn check_of(
    parts: CheckParts<'_>,
    texts: &mut Texts,
) -> Result<ConfigurationCheck, (&'static str, String)> {
    let id = parts.id.trim();
    let title = parts.title.trim();
    if id.is_empty() {
        return Err(("id", "is empty".to_owned()));
    }
    if title.is_empty() {
        return Err(("title", "is empty".to_owned()));
    }
    let status = CheckStatus::from_name(parts.status.trim()).ok_or_else(|| {
        (
            "status",
            format!(
                "{:?} is not one of pass, fail, not_applicable",
                parts.status
            ),
        )
    })?;
    let weight = parts.weight.unwrap_or(1.0);
    if !ConfigurationCheck::valid_weight(weight) {
        return Err((
            "weight",
            format!(
                "{weight} is not a number from 0 to {}",
                ConfigurationCheck::MAX_WEIGHT
            ),
        ));
    }
    let mut mitigates = Vec::with_capacity(parts.mitigates.len());
    for id in parts.mitigates {
        let id = id.trim();
        if id.is_empty() {
            return Err(("mitigates", "holds an empty id".to_owned()));
        }
        mitigates.push(id.to_owned());
    }
    let mut text = |t: Option<&str>| {
        t.map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| texts.get(t))
    };
    Ok(ConfigurationCheck {
        remediation: text(parts.remediation),
        category: text(parts.category),
        id: texts.get(id),
        title: texts.get(title),
        status,
        weight,
        mitigates,
    })
}

/// A configuration check read the long way, every problem at its path.
fn parse_check(check: &Obj<'_>, texts: &mut Texts) -> Result<ConfigurationCheck, FieldError> {
    let weight = match check.map.get("weight") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(other) => {
            return Err(FieldError {
                path: check.child_path("weight"),
                message: format!("expected a number, found {}", crate::json::type_name(other)),
            })
        }
    };
    let parts = CheckParts {
        id: check.req_str("id")?,
        title: check.req_str("title")?,
        status: check.req_str("status")?,
        weight,
        mitigates: check.opt_str_list("mitigates")?,
        remediation: check.opt_str("remediation")?,
        category: check.opt_str("category")?,
    };
    check_of(parts, texts).map_err(|(field, message)| FieldError {
        path: check.child_path(field),
        message,
    })
}

/// One software item; `notes` receives the problems that leave the item usable (a CPE name
/// beside the purl that does not parse, a `last_used` that is not `never` or a date).
fn parse_software(item: &Obj<'_>, notes: &mut Vec<FieldError>) -> Result<Software, FieldError> {
    let cpe = item.opt_str("cpe")?;
    let mut software = parse_named_software(item, cpe)?;
    if software.cpe.is_none() {
        notes.extend(software.claim_stated_cpe(cpe, || item.child_path("cpe")));
    }
    let last_used = match item.opt_str("last_used") {
        Ok(text) => text.map(LastUsed::parse).transpose(),
        Err(e) => Err(e.message),
    };
    match last_used {
        Ok(last_used) => software.last_used = last_used,
        Err(message) => notes.push(FieldError {
            path: item.child_path("last_used"),
            message: format!("{message}: ignored"),
        }),
    }
    Ok(software)
}

fn parse_named_software(item: &Obj<'_>, cpe: Option<&str>) -> Result<Software, FieldError> {
    named_software(item, cpe)
}

/// Where a software item's fields are read from: an object of a fleet document, or a row of
/// an Arrow inventory batch (`crate::arrow`); both become the same item by
/// [`named_software`], so that a row means exactly what a fleet document's item means.
pub(crate) trait ItemSource<'a> {
    /// A problem with a field.
    type Error;
    /// The text of `field`: `None` when absent or null, an error when not a string.
    fn text(&self, field: &'static str) -> Result<Option<&'a str>, Self::Error>;
    /// Whether the item states `field` at all (a fleet document's key, even a null one).
    fn states(&self, field: &'static str) -> bool;
    /// The problem `message` with `field`.
    fn bad(&self, field: &'static str, message: String) -> Self::Error;
}

impl<'a> ItemSource<'a> for Obj<'a> {
    type Error = FieldError;

    fn text(&self, field: &'static str) -> Result<Option<&'a str>, FieldError> {
        self.opt_str(field)
    }

    fn states(&self, field: &'static str) -> bool {
        self.map.contains_key(field)
    }

    fn bad(&self, field: &'static str, message: String) -> FieldError {
        FieldError {
            path: self.child_path(field),
            message,
        }
    }
}

/// A software item from its `purl`, `ecosystem`, `name`, `version` and `cpe` fields (the CPE
/// name, `cpe`, already read): a CPE name alone, a purl (with a version beside it when the
/// purl has none), or an ecosystem, name and version.
pub(crate) fn named_software<'a, S: ItemSource<'a>>(
    item: &S,
    cpe: Option<&str>,
) -> Result<Software, S::Error> {
    if let (Some(cpe), None, None) = (cpe, item.text("purl")?, item.text("ecosystem")?) {
        return Software::from_cpe(cpe, item.text("name")?, item.text("version")?)
            .map_err(|e| item.bad("cpe", e.to_string()));
    }
    if let Some(purl) = item.text("purl")? {
        if let Some(key) = ["ecosystem", "name"].into_iter().find(|k| item.states(k)) {
            return Err(item.bad(
                key,
                "give either a purl or ecosystem, name and version, not both".into(),
            ));
        }
        return Software::from_purl_or_version(purl, item.text("version")?)
            .map_err(|e| item.bad("purl", e.to_string()));
    }
    let required = |field| match item.text(field)? {
        Some(text) if !text.trim().is_empty() => Ok(text),
        Some(_) => Err(item.bad(field, "is empty".into())),
        None => Err(item.bad(field, "is missing".into())),
    };
    Ok(Software {
        ecosystem: Ecosystem::from_osv(required("ecosystem")?),
        name: required("name")?.trim().to_owned(),
        version: required("version")?.trim().to_owned(),
        purl: None,
        packages: Vec::new(),
        cpe: None,
        last_used: None,
        kind: None,
    })
}
