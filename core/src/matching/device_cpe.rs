//! The device CPE matcher: vendor software (outside package and distro ecosystems, see
//! [`Ecosystem::has_package_advisories`](crate::ecosystem::Ecosystem::has_package_advisories))
//! with a CPE name, against NVD applicability statements, evaluated with every CPE name of
//! the device so that "running on/with" configurations see the platform.

use super::memo::Memo;
use super::package::ItemHit;
use super::{Confidence, Finding, MatchDiagnostics, Matcher};
use crate::cpe::{Attribute, Cpe};
use crate::inventory::Device;
use crate::kb::KnowledgeBase;
use std::sync::Arc;

/// Matches the CPE-named vendor software of one device, appending its findings.
pub(super) fn match_device(
    kb: &KnowledgeBase,
    device: &Device,
    device_id: &Arc<str>,
    memo: &mut Memo,
    findings: &mut Vec<Finding>,
    diagnostics: &mut MatchDiagnostics,
) {
    let owned: Vec<(&Cpe, usize)> = device
        .software
        .iter()
        .enumerate()
        .filter_map(|(index, s)| Some((s.cpe.as_ref()?.name.value(), index)))
        .collect();
    if owned.is_empty() {
        return;
    }
    let names: Vec<Cpe> = owned.iter().map(|&(cpe, _)| cpe.clone()).collect();
    for (name, &(_, index)) in names.iter().zip(&owned) {
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
            let Some(matched) = statement.applicability.evaluate(&names) else {
                continue;
            };
            // The finding belongs to this software when one of its vulnerable criteria
            // matched this software's own name.
            let Some(hit) = matched
                .iter()
                .find(|m| m.criterion.vulnerable && std::ptr::eq(m.name, name))
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
            let platform = matched
                .iter()
                .filter(|m| !m.criterion.vulnerable)
                .map(|m| m.criterion.text.clone())
                .collect();
            let hit = ItemHit::from_cpe(
                memo.advisory(at, advisory),
                criterion,
                (Matcher::NvdCpe, confidence),
                &statement.source,
                platform,
                None,
            );
            findings.push(hit.on(device_id, software));
        }
        diagnostics.software_with_advisories += usize::from(any);
    }
}
