//! The device CPE matcher: vendor software (outside package and distro ecosystems, see
//! [`Ecosystem::has_package_advisories`](crate::ecosystem::Ecosystem::has_package_advisories))
//! with a CPE name, against NVD applicability statements, evaluated with every CPE name of
//! the device and the platforms it reports as `conditions`, so that "running on/with"
//! configurations see the platform. A statement that applies only with a platform the device
//! does not report is listed with its condition `not_reported` (see
//! [the matching module](super)).

use super::memo::Memo;
use super::package::ItemHit;
use super::{ConditionState, Confidence, Finding, MatchDiagnostics, Matcher};
use crate::cpe::{Attribute, Cpe};
use crate::inventory::Device;
use crate::kb::KnowledgeBase;
use std::sync::Arc;

/// Matches the CPE-named vendor software of one device, appending its findings. `names` are
/// the device's platform names ([`Device::platform_names`]): its software's CPE names, in
/// software order, then its conditions that are CPE names.
pub(super) fn match_device(
    kb: &KnowledgeBase,
    device: &Device,
    names: &[Cpe],
    device_id: &Arc<str>,
    memo: &mut Memo,
    findings: &mut Vec<Finding>,
    diagnostics: &mut MatchDiagnostics,
) {
    // The software item of each of the first names.
    let owned: Vec<usize> = device
        .software
        .iter()
        .enumerate()
        .filter_map(|(index, s)| s.cpe.as_ref().map(|_| index))
        .collect();
    for (name, &index) in names.iter().zip(&owned) {
        let software = &device.software[index];
        if software.ecosystem.has_package_advisories() {
            continue;
        }
        let (Some(vendor), Some(product)) = (
            name.get(Attribute::Vendor).literal(),
            name.get(Attribute::Product).literal(),
        ) else {
            continue;
        };
        let mut any = false;
        for (at, advisory, statement) in kb.statements_naming(&vendor, &product) {
            any = true;
            if advisory.withdrawn.is_some() {
                continue;
            }
            // A statement that applies with the device's names is met (or not gated); one
            // that would apply only with its platform criteria taken to hold is listed with
            // its condition not reported. The finding belongs to this software when one of
            // its vulnerable criteria matched this software's own name.
            let Some((hit, matched, assumed)) =
                super::evaluate_gated(&statement.applicability, names, |m| {
                    m.criterion.vulnerable && std::ptr::eq(m.name, name)
                })
            else {
                continue;
            };
            let criterion = hit.criterion;
            let versioned = criterion.bounds.is_some()
                || criterion
                    .cpe
                    .get(Attribute::Version)
                    .literal()
                    .is_some_and(|v| !v.is_empty());
            let confidence = if versioned {
                Confidence::CpeVersionRange
            } else {
                Confidence::CpeVendorProduct
            };
            let platform_matches: Vec<_> =
                matched.iter().filter(|m| !m.criterion.vulnerable).collect();
            let condition = if !assumed.is_empty() {
                Some(ConditionState::NotReported {
                    requires: assumed.iter().map(|c| c.text.clone()).collect(),
                })
            } else if platform_matches.is_empty() {
                None
            } else {
                let mut by: Vec<String> = Vec::new();
                for m in &platform_matches {
                    let text = m.name.to_fs();
                    if !by.contains(&text) {
                        by.push(text);
                    }
                }
                Some(ConditionState::Met { by })
            };
            let platform = if assumed.is_empty() {
                platform_matches
                    .iter()
                    .map(|m| m.criterion.text.clone())
                    .collect()
            } else {
                Vec::new()
            };
            let hit = ItemHit::from_cpe(
                memo.advisory(at, advisory),
                criterion,
                (
                    Matcher::for_statement(statement, Matcher::NvdCpe),
                    confidence,
                ),
                &statement.source,
                (platform, condition),
                None,
            );
            findings.push(hit.on(device_id, software));
        }
        diagnostics.software_with_advisories += usize::from(any);
    }
}
