//! Matching installed software against the knowledge base, with evidence for every finding.
//!
//! This first matcher joins by (ecosystem, normalised package name) and decides membership by
//! the advisory's explicit version list and its evaluable ranges, in the range's own scheme.
//! A version that does not parse in that scheme is never guessed at: it is reported in
//! [`MatchDiagnostics`].

use crate::inventory::{Fleet, Software};
use crate::kb::{Advisory, AffectedPackage, KnowledgeBase, RangeEvaluation};
use crate::range::{interval_to_vers, Bound};
use crate::report::{Consequence, Problem, KEPT_PROBLEMS};
use crate::version::{Scheme, Version};
use serde::Serialize;
use std::collections::HashSet;

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Same ecosystem and package, version inside a range or listed.
    ExactPackage,
}

/// Why a finding fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Which matcher made the match.
    pub matcher: &'static str,
    /// How sure it is.
    pub confidence: Confidence,
    /// The source of the advisory (file path or origin name).
    pub source: String,
    /// The range type that matched (`SEMVER`, `ECOSYSTEM`), or `versions` for a listed version.
    pub range_kind: String,
    /// The whole affected range as a purl `vers:` string, when a range matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    /// The interval holding the installed version, as `vers:`; or the listed version.
    pub matched: String,
}

/// One vulnerability on one software item of one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The device's id.
    pub device_id: String,
    /// The software item.
    pub software: Software,
    /// The advisory's id.
    pub advisory_id: String,
    /// Its aliases (CVE, GHSA, …).
    pub aliases: Vec<String>,
    /// Its summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Every version named by a `fixed` event of the affected entry.
    pub fixed_versions: Vec<String>,
    /// The fixed version that ends the matched interval, when there is one: the nearest fix
    /// on this version's line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Why it fired.
    pub evidence: Evidence,
}

/// What matching could not decide, counted so that nothing is lost silently.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MatchDiagnostics {
    /// Software items looked at.
    pub software_items: usize,
    /// Software items that some advisory names.
    pub software_with_advisories: usize,
    /// Ranges that named an installed package but could not be evaluated (ecosystem without
    /// a known version order, or a broken event); only listed versions were matched there.
    pub unevaluated_ranges: usize,
    /// Installed versions that did not parse in a range's scheme, so the range could not be
    /// applied (the first of them in `problems`).
    pub unparsable_versions: usize,
    /// The first problems met, located by device and field.
    pub problems: Vec<Problem>,
}

impl MatchDiagnostics {
    fn problem(&mut self, problem: Problem) {
        if self.problems.len() < KEPT_PROBLEMS {
            self.problems.push(problem);
        }
    }
}

/// The installed version parsed once per scheme that asks for it.
struct ParsedVersions<'a> {
    text: &'a str,
    parsed: [Option<Result<Version, String>>; Scheme::ALL.len()],
}

impl<'a> ParsedVersions<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            parsed: Default::default(),
        }
    }

    fn get(&mut self, scheme: Scheme) -> Result<&Version, &str> {
        let slot = Scheme::ALL.iter().position(|s| *s == scheme).unwrap_or(0);
        self.parsed[slot]
            .get_or_insert_with(|| Version::parse(scheme, self.text).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }
}

/// Matches every device of `fleet` against `kb`. Findings come in device order, then
/// software order, then advisory load order.
///
/// ```
/// use exposure::{inventory, kb::KnowledgeBase, matching::match_fleet};
/// let mut kb = KnowledgeBase::new();
/// kb.load_osv_str(r#"{"id": "GO-2022-0493", "affected": [{"package": {"ecosystem": "Go",
///   "name": "golang.org/x/sys"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"},
///   {"fixed": "0.0.0-20220412211240-33da011f77ad"}]}]}]}"#, "osv");
/// let fleet = inventory::load_str(r#"{"devices": [{"id": "d1", "software": [
///   {"purl": "pkg:golang/golang.org/x/sys@v0.0.0-20210330210617-4fbd30eecc44"}]}]}"#, "fleet")?.fleet;
/// let (findings, _) = match_fleet(&kb, &fleet);
/// assert_eq!(findings[0].advisory_id, "GO-2022-0493");
/// assert_eq!(findings[0].fix.as_deref(), Some("0.0.0-20220412211240-33da011f77ad"));
/// # Ok::<(), exposure::inventory::InventoryError>(())
/// ```
pub fn match_fleet(kb: &KnowledgeBase, fleet: &Fleet) -> (Vec<Finding>, MatchDiagnostics) {
    let mut findings = Vec::new();
    let mut diagnostics = MatchDiagnostics::default();
    for device in &fleet.devices {
        let mut seen = HashSet::new();
        for (index, software) in device.software.iter().enumerate() {
            diagnostics.software_items += 1;
            let mut any = false;
            let mut versions = ParsedVersions::new(&software.version);
            for (advisory, affected) in kb.affecting(&software.ecosystem, &software.name) {
                any = true;
                if advisory.withdrawn.is_some() || seen.contains(&(index, advisory.id.as_str())) {
                    continue;
                }
                let context = Context {
                    device_id: &device.id,
                    software,
                    field: format!("software[{index}].version"),
                };
                if let Some(evidence) = match_affected(
                    advisory,
                    affected,
                    &mut versions,
                    &context,
                    &mut diagnostics,
                ) {
                    seen.insert((index, advisory.id.as_str()));
                    findings.push(Finding {
                        device_id: device.id.clone(),
                        software: software.clone(),
                        advisory_id: advisory.id.clone(),
                        aliases: advisory.aliases.clone(),
                        summary: advisory.summary.clone(),
                        fixed_versions: affected
                            .ranges
                            .iter()
                            .flat_map(super::kb::AffectedRange::fixed_versions)
                            .map(str::to_owned)
                            .collect(),
                        fix: evidence.1,
                        evidence: evidence.0,
                    });
                }
            }
            diagnostics.software_with_advisories += usize::from(any);
        }
    }
    (findings, diagnostics)
}

struct Context<'a> {
    device_id: &'a str,
    software: &'a Software,
    field: String,
}

fn match_affected(
    advisory: &Advisory,
    affected: &AffectedPackage,
    versions: &mut ParsedVersions<'_>,
    context: &Context<'_>,
    diagnostics: &mut MatchDiagnostics,
) -> Option<(Evidence, Option<String>)> {
    let evidence = |range_kind: &str, range: Option<String>, matched: String| Evidence {
        matcher: "osv-package",
        confidence: Confidence::ExactPackage,
        source: affected.source.clone(),
        range_kind: range_kind.to_owned(),
        range,
        matched,
    };
    let installed = context.software.version.trim();
    if affected
        .versions
        .iter()
        .any(|listed| listed.trim() == installed)
    {
        return Some((evidence("versions", None, installed.to_owned()), None));
    }
    for range in &affected.ranges {
        match &range.evaluation {
            RangeEvaluation::Ready(ready) => match versions.get(ready.scheme()) {
                Ok(version) => {
                    if let Some(interval) = ready.interval_containing(version) {
                        let fix = match &interval.upper {
                            Some(Bound {
                                version,
                                inclusive: false,
                            }) => Some(version.to_string()),
                            _ => None,
                        };
                        let matched = interval_to_vers(ready.scheme(), interval);
                        return Some((
                            evidence(&range.kind, Some(ready.to_string()), matched),
                            fix,
                        ));
                    }
                }
                Err(message) => {
                    diagnostics.unparsable_versions += 1;
                    diagnostics.problem(Problem::new(
                        context.device_id,
                        Some(&advisory.id),
                        &context.field,
                        format!(
                            "{} {}: {message}",
                            context.software.ecosystem, context.software.name
                        ),
                        Consequence::PartlyUsed,
                    ));
                }
            },
            RangeEvaluation::Unevaluated(_) if range.kind != "GIT" => {
                diagnostics.unevaluated_ranges += 1;
            }
            RangeEvaluation::Unevaluated(_) => {}
        }
    }
    None
}
