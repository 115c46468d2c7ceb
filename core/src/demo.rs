//! The embedded demo: a small knowledge base of real advisories (re-typed as OSV by the
//! exposure developers, see `core/data/demo/README.md`) and an invented five-device fleet,
//! compiled in so that `exposure assess --demo` needs no files.

use crate::inventory::{self, Fleet};
use crate::kb::KnowledgeBase;

/// The demo advisories, OSV JSON.
pub const ADVISORIES_JSON: &str = include_str!("../data/demo/advisories.osv.json");

/// The demo's excerpt of CISA's KEV catalog: the entry of HTTP/2 rapid reset
/// (CVE-2023-44487), which Go's GO-2023-2102 names as related.
pub const KEV_JSON: &str = include_str!("../data/demo/kev.json");

/// The demo fleet, in the JSON fleet format.
pub const FLEET_JSON: &str = include_str!("../data/demo/fleet.json");

/// The demo knowledge base.
///
/// ```
/// let kb = exposure::demo::knowledge_base();
/// assert!(kb.get("GO-2023-2102").is_some());
/// assert!(kb.threat().kev("CVE-2023-44487").is_some());
/// ```
pub fn knowledge_base() -> KnowledgeBase {
    let mut kb = KnowledgeBase::new();
    let report = kb.load_text_as(
        crate::kb::Format::OsvJson,
        ADVISORIES_JSON,
        "demo:advisories.osv.json",
    );
    debug_assert_eq!(report.problem_count, 0, "{report:?}");
    let report = kb.load_text_as(crate::kb::Format::Threat, KEV_JSON, "demo:kev.json");
    debug_assert_eq!(report.problem_count, 0, "{report:?}");
    kb
}

/// The demo fleet.
///
/// ```
/// assert_eq!(exposure::demo::fleet().devices.len(), 5);
/// ```
pub fn fleet() -> Fleet {
    // The embedded document is checked by this crate's tests; a failure here would be a
    // build defect, and an empty fleet is the honest fallback.
    inventory::load_text(
        FLEET_JSON,
        "demo:fleet.json",
        &inventory::LoadOptions::default(),
    )
    .map(|loaded| loaded.fleet)
    .unwrap_or_default()
}

/// The demo fleet as JSON Lines: each device of [`FLEET_JSON`] on a line of its own (the
/// input of a streamed assessment, [`crate::inventory::DeviceLines`]).
///
/// ```
/// use exposure::inventory::DeviceLines;
/// let text = exposure::demo::fleet_json_lines();
/// let devices = DeviceLines::new(text.as_bytes(), "demo.jsonl", Default::default());
/// assert_eq!(devices.count(), exposure::demo::fleet().devices.len());
/// ```
pub fn fleet_json_lines() -> String {
    let devices: Vec<serde_json::Value> = serde_json::from_str::<serde_json::Value>(FLEET_JSON)
        .ok()
        .and_then(|document| document.get("devices")?.as_array().cloned())
        .unwrap_or_default();
    devices
        .iter()
        .map(|device| device.to_string() + "\n")
        .collect()
}
