//! The package matcher: an installed item against the advisories that name its ecosystem and
//! package (OSV, distro trackers, CVE 5 records of known registries), decided by
//! [`AffectedPackage::affects`]; then, for language packages, NVD's CPE configurations that
//! no package advisory covers (see [`package_cpe`](super::package_cpe)).

use super::memo::{AdvisoryFacts, Memo};
use super::package_cpe;
use super::{ConditionState, Confidence, Evidence, Finding, FixState, MatchKind, Matched, Matcher};
use crate::cpe::{Cpe, Criterion};
use crate::inventory::Software;
use crate::kb::{AffectedPackage, Hit, KnowledgeBase};
use crate::range::{interval_to_vers, OsvEvent};
use crate::version::{AnyScheme, Scheme};
use std::sync::Arc;

/// The package matches of one software item, the same on every device that has the item:
/// computed once per matching thread and replayed for each device.
pub(crate) struct ItemMatches {
    /// Whether some advisory names the package.
    pub(super) any: bool,
    /// The findings, without their device.
    pub(super) hits: Vec<ItemHit>,
    /// Ranges that could not be evaluated.
    pub(super) unevaluated_ranges: usize,
    /// Ranges the version did not parse for: the advisory id and the message.
    pub(super) unparsable: Vec<(Arc<str>, String)>,
}

/// A finding of one software item, before it is put on a device.
pub(super) struct ItemHit {
    advisory: Arc<AdvisoryFacts>,
    fixed_versions: Arc<[String]>,
    fix: Option<Arc<str>>,
    fix_state: FixState,
    evidence: Arc<Evidence>,
    /// For a record that applies to the item only on a platform the item's own names do not
    /// show: what decides, per device, whether the device reports it.
    gate: Option<Box<Gate>>,
}

/// A hit's platform gate: the statement is evaluated again with the item's names and the
/// device's platform names ([`Device::platform_names`](crate::inventory::Device::platform_names)).
pub(super) struct Gate {
    /// The item's CPE names the statement was evaluated with.
    pub(super) names: Vec<Cpe>,
    /// The vulnerable criterion that matched, as the record wrote it.
    pub(super) criterion: String,
    /// The platform criteria taken to hold.
    pub(super) requires: Vec<String>,
}

impl ItemHit {
    /// The finding of this hit on one device's item. For a gated hit, whose condition depends
    /// on the device, see [`ItemHit::on_device`].
    pub(super) fn on(&self, device_id: &Arc<str>, software: &Arc<Software>) -> Finding {
        Finding {
            device_id: Arc::clone(device_id),
            software: Arc::clone(software),
            advisory_id: Arc::clone(&self.advisory.id),
            aliases: Arc::clone(&self.advisory.aliases),
            summary: self.advisory.summary.clone(),
            fixed_versions: Arc::clone(&self.fixed_versions),
            fix: self.fix.clone(),
            fix_state: self.fix_state,
            evidence: Arc::clone(&self.evidence),
        }
    }

    /// Whether the hit is gated on a platform.
    pub(super) fn gated(&self) -> bool {
        self.gate.is_some()
    }

    /// The finding of this hit on one device's item, its condition decided with the device's
    /// platform names (`platform`): met when the statement applies to the item's names and
    /// the device's with the same vulnerable criterion, else not reported.
    pub(super) fn on_device(
        &self,
        kb: &KnowledgeBase,
        device_id: &Arc<str>,
        software: &Arc<Software>,
        platform: &[Cpe],
    ) -> Finding {
        let mut finding = self.on(device_id, software);
        let Some(gate) = &self.gate else {
            return finding;
        };
        let mut evidence = Evidence::clone(&self.evidence);
        let (condition, criteria) = decide(kb, &self.advisory.id, gate, platform);
        evidence.platform = criteria;
        evidence.condition = Some(condition);
        finding.evidence = Arc::new(evidence);
        finding
    }

    /// A hit of a CPE matcher: the vulnerable criterion that matched, its fix (the version of
    /// an excluding upper bound), the other criteria that held (`platform`) and whether the
    /// device reports the platform (`condition`).
    pub(super) fn from_cpe(
        advisory: Arc<AdvisoryFacts>,
        criterion: &Criterion,
        (matcher, confidence): (Matcher, Confidence),
        source: &Arc<str>,
        (platform, condition): (Vec<String>, Option<ConditionState>),
        cpe: Option<String>,
    ) -> Self {
        let fix = criterion.bounds.as_ref().and_then(|b| b.fix());
        ItemHit {
            advisory,
            fixed_versions: fix.iter().map(|&f| f.to_owned()).collect(),
            fix_state: if fix.is_some() {
                FixState::Fixed
            } else {
                FixState::Unknown
            },
            fix: fix.map(Arc::from),
            evidence: Arc::new(Evidence {
                matcher,
                confidence,
                source: Arc::clone(source),
                range_kind: MatchKind::Cpe,
                range: criterion.bounds.as_ref().map(|b| Arc::from(b.to_string())),
                matched: Matched::Criterion(criterion.text.clone()),
                platform,
                cpe,
                condition,
            }),
            gate: None,
        }
    }

    /// This hit, gated: its condition is decided per device ([`ItemHit::on_device`]).
    pub(super) fn with_gate(mut self, gate: Gate) -> Self {
        self.gate = Some(Box::new(gate));
        self
    }
}

/// Whether the device's platform names (`platform`) satisfy a gated hit's statement, with the
/// platform criteria that then held (as the record wrote them).
fn decide(
    kb: &KnowledgeBase,
    advisory_id: &str,
    gate: &Gate,
    platform: &[Cpe],
) -> (ConditionState, Vec<String>) {
    let not_reported = || {
        (
            ConditionState::NotReported {
                requires: gate.requires.clone(),
            },
            Vec::new(),
        )
    };
    let Some(statement) = kb.applicability(advisory_id) else {
        return not_reported();
    };
    let names: Vec<Cpe> = gate.names.iter().chain(platform).cloned().collect();
    let own = &names[..gate.names.len()];
    // The first configuration that applies with the device's names and holds the hit's
    // criterion on the item's own names.
    let Some(matched) = statement
        .configurations_applying(&names, false)
        .into_iter()
        .map(|applying| applying.matched)
        .find(|matched| {
            matched.iter().any(|m| {
                m.criterion.vulnerable
                    && m.criterion.text == gate.criterion
                    && own.iter().any(|n| std::ptr::eq(n, m.name))
            })
        })
    else {
        return not_reported();
    };
    let platform_matches: Vec<_> = matched
        .iter()
        .filter(|m| !m.criterion.vulnerable && !own.iter().any(|n| std::ptr::eq(n, m.name)))
        .collect();
    let mut by: Vec<String> = Vec::new();
    for m in &platform_matches {
        let name = m.name.to_fs();
        if !by.contains(&name) {
            by.push(name);
        }
    }
    let criteria = platform_matches
        .iter()
        .map(|m| m.criterion.text.clone())
        .collect();
    (ConditionState::Met { by }, criteria)
}

/// Matches one software item against the package advisories that name it.
pub(super) fn match_item(kb: &KnowledgeBase, software: &Software, memo: &mut Memo) -> ItemMatches {
    let mut matches = ItemMatches {
        any: false,
        hits: Vec::new(),
        unevaluated_ranges: 0,
        unparsable: Vec::new(),
    };
    // Advisories already found on this item (an advisory may name a package in several
    // entries, or through several merged sources).
    let mut seen: Vec<&str> = Vec::new();
    let mut version = AnyScheme::new(&software.version);
    let confidence = if matches!(
        software.ecosystem.scheme(),
        Some(Scheme::Deb | Scheme::Alpine | Scheme::Rpm)
    ) {
        Confidence::Distro
    } else {
        Confidence::ExactPackage
    };
    for (at, advisory, affected) in kb.entries_naming(&software.ecosystem, &software.name) {
        matches.any = true;
        if advisory.withdrawn.is_some() || seen.contains(&advisory.id.as_str()) {
            continue;
        }
        let verdict = affected.affects(&mut version);
        matches.unevaluated_ranges += verdict.unevaluated_ranges;
        if !verdict.unparsable.is_empty() {
            let facts = memo.advisory(at.advisory, advisory);
            matches.unparsable.extend(
                verdict
                    .unparsable
                    .into_iter()
                    .map(|message| (Arc::clone(&facts.id), message)),
            );
        }
        let Some(hit) = verdict.hit else {
            continue;
        };
        seen.push(advisory.id.as_str());
        let entry = memo.entry(at, affected);
        let fix = hit.fix().map(Arc::from);
        let (range_kind, range, matched) = match hit {
            Hit::Range {
                range,
                evaluated,
                interval,
            } => (
                MatchKind::Range(range.kind.clone()),
                range.vers().cloned(),
                Matched::Interval(interval_to_vers(evaluated.scheme(), interval)),
            ),
            Hit::Listed => (
                MatchKind::Listed,
                None,
                Matched::Listed(version.text().to_owned()),
            ),
        };
        matches.hits.push(ItemHit {
            advisory: memo.advisory(at.advisory, advisory),
            fix_state: fix_state(&hit, fix.is_some(), affected, &entry.fixed_versions),
            fixed_versions: Arc::clone(&entry.fixed_versions),
            fix,
            evidence: Arc::new(Evidence {
                matcher: Matcher::OsvPackage,
                confidence,
                source: Arc::clone(&entry.source),
                range_kind,
                range,
                matched,
                platform: Vec::new(),
                cpe: None,
                condition: None,
            }),
            gate: None,
        });
    }
    if package_cpe::applies(software) {
        package_cpe::match_item(kb, software, memo, &mut seen, &mut matches);
    }
    matches
}

/// Whether a fix exists for a package finding: a fix ends the matched interval; the
/// distributor said it will not fix; the entry's ranges open and never close (no `fixed` and
/// no `last_affected` event anywhere, and the version was in a range); or the data does not
/// say.
fn fix_state(
    hit: &Hit<'_>,
    has_fix: bool,
    affected: &AffectedPackage,
    fixed_versions: &[String],
) -> FixState {
    let never_closed = || {
        affected.ranges.iter().all(|r| {
            r.events
                .iter()
                .all(|e| !matches!(e, OsvEvent::LastAffected(_)))
        })
    };
    if has_fix {
        FixState::Fixed
    } else if affected.will_not_fix.is_some() {
        FixState::WillNotFix
    } else if fixed_versions.is_empty() && *hit != Hit::Listed && never_closed() {
        FixState::NotFixed
    } else {
        FixState::Unknown
    }
}
