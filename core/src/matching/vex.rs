//! VEX applicability: whether a statement (`not_affected`, `fixed`) is about a finding's
//! software on its device, and the split of findings into those that stand and those a
//! statement removes.
//!
//! A statement names its product by package URL (type, namespace when both name one, name,
//! and version when it gives one) or by CPE name (NISTIR 7696 match of the software's CPE). A
//! CSAF statement about a product *on a platform* applies only on a device that has software
//! matching that platform's CPE or reports it among its `conditions`.

use super::Finding;
use crate::cpe::Cpe;
use crate::inventory::{Device, Fleet, Software};
use crate::kb::{KnowledgeBase, VexProduct, VexStatement};
use serde::Serialize;
use std::collections::HashMap;

/// A finding a VEX statement or an exception removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suppression {
    /// The finding as matching made it.
    pub finding: Finding,
    /// The VEX statement that removed it (`None` when an exception did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<VexStatement>,
    /// The exception that removed it (third-party control or alternate mitigation, see
    /// [`crate::exceptions`]), when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<crate::exceptions::ExceptedBy>,
}

/// Whether a statement's product is this installed software, given the CPE names of the
/// device it is on (for a statement limited to a platform).
///
/// ```
/// use exposure::inventory::Software;
/// use exposure::kb::KnowledgeBase;
/// use exposure::matching::vex_applies;
/// let mut kb = KnowledgeBase::new();
/// kb.load_text(r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{
///   "vulnerability": {"name": "CVE-2023-38545"}, "status": "not_affected",
///   "products": [{"@id": "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.14"}]}]}"#, "vex.json");
/// let statement = &kb.vex().about("CVE-2023-38545")[0];
/// let curl = Software::from_purl("pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.14")?;
/// assert!(vex_applies(statement, &curl, &[]));
/// # Ok::<(), exposure::inventory::SoftwareError>(())
/// ```
pub fn vex_applies(statement: &VexStatement, software: &Software, device_cpes: &[&Cpe]) -> bool {
    if let Some(platform) = &statement.platform {
        if !device_cpes.iter().any(|c| platform.matches(c)) {
            return false;
        }
    }
    match &statement.product {
        VexProduct::Purl(stated) => {
            let Some(installed) = &software.purl else {
                return false;
            };
            stated.ty.eq_ignore_ascii_case(&installed.ty)
                && stated.name.eq_ignore_ascii_case(&installed.name)
                // Namespaces (the vendor of a distro package) are compared when both name
                // one: `rpm -qa` does not say whose package it is.
                && match (stated.namespace.as_deref(), installed.namespace.as_deref()) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    _ => true,
                }
                && stated.version.as_deref().is_none_or(|v| {
                    installed.version.as_deref() == Some(v) || software.version == v
                })
        }
        VexProduct::Cpe(stated) => software
            .cpe
            .as_ref()
            .is_some_and(|claim| stated.matches(claim.name.value())),
    }
}

/// Splits findings into those that stand and those a VEX statement removes.
pub(crate) fn apply_vex(
    kb: &KnowledgeBase,
    fleet: &Fleet,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Suppression>) {
    if kb.vex().is_empty() {
        return (findings, Vec::new());
    }
    // A statement limited to a platform sees the device's software CPE names and the
    // platforms it reports as conditions.
    let names: Vec<Vec<Cpe>> = fleet.devices.iter().map(Device::platform_names).collect();
    let device_cpes: HashMap<&str, Vec<&Cpe>> = fleet
        .devices
        .iter()
        .zip(&names)
        .map(|(d, names)| (d.id.as_str(), names.iter().collect()))
        .collect();
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for finding in findings {
        let cpes = device_cpes
            .get(&*finding.device_id)
            .map_or(&[][..], Vec::as_slice);
        let statement = std::iter::once(&*finding.advisory_id)
            .chain(finding.aliases.iter().map(String::as_str))
            .flat_map(|id| kb.vex().about(id))
            .find(|s| s.status.suppresses() && vex_applies(s, &finding.software, cpes))
            .cloned();
        match statement {
            Some(statement) => suppressed.push(Suppression {
                finding,
                statement: Some(statement),
                exception: None,
            }),
            None => kept.push(finding),
        }
    }
    (kept, suppressed)
}
