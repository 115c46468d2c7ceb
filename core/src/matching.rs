//! Matching installed software against the knowledge base, with evidence for every finding.
//!
//! This first matcher joins by (ecosystem, normalised package name) and decides membership by
//! the advisory's explicit version list and its evaluable ranges, in the range's own scheme.
//! A version that does not parse in that scheme is never guessed at: it is reported in
//! [`MatchDiagnostics`].
//!
//! A fleet repeats the same software on many devices, so each distinct item is matched once
//! per thread and its findings are replayed for every device that has it (each with its own
//! device and, for problems, its own position); the CPE matcher, whose platform criteria
//! depend on the rest of the device, runs per device. Findings share (`Arc`) what they
//! repeat from their device, item and advisory.

use crate::inventory::{Fleet, Software};
use crate::kb::{Advisory, AffectedPackage, KnowledgeBase, RangeEvaluation};
use crate::range::{interval_to_vers, Bound};
use crate::report::{Consequence, Problem, KEPT_PROBLEMS};
use crate::version::{Scheme, Version};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

mod package_cpe;

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Same ecosystem and package, version inside a range or listed.
    ExactPackage,
    /// Same distribution release and source package, version inside the distro's range
    /// (which knows its backports).
    Distro,
    /// A CPE criterion with version bounds or a version of its own matched the software's
    /// CPE name, version included.
    CpeVersionRange,
    /// A CPE criterion naming only vendor and product (any version) matched: the product is
    /// affected in some versions NVD did not narrow down.
    CpeVendorProduct,
}

/// Whether a fix exists for a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixState {
    /// A version fixes it: see the finding's `fix`.
    Fixed,
    /// The source says no version fixes it yet (a range opened and never closed by a `fixed`
    /// event).
    NotFixed,
    /// The vendor or distro decided not to fix it.
    WillNotFix,
    /// The data does not say (a `last_affected` bound, a listed version, a CPE criterion
    /// without an excluding upper bound).
    Unknown,
}

/// Why a finding fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Which matcher made the match.
    pub matcher: &'static str,
    /// How sure it is.
    pub confidence: Confidence,
    /// The source of the advisory (file path or origin name), shared by its findings.
    pub source: Arc<str>,
    /// The range type that matched (`SEMVER`, `ECOSYSTEM`), or `versions` for a listed version.
    pub range_kind: String,
    /// The whole affected range as a purl `vers:` string, when a range matched (shared by
    /// the findings of that range).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<Arc<str>>,
    /// The interval holding the installed version, as `vers:`; or the listed version; or
    /// the CPE criterion that matched.
    pub matched: String,
    /// For a CPE match, the platform criteria the device also satisfied (the "running
    /// on/with" part of the configuration).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platform: Vec<String>,
    /// For a CPE match of a language package (matcher `nvd-cpe-package`), the CPE name built
    /// from its coordinates that the criterion matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
}

/// One vulnerability on one software item of one device.
///
/// What a finding repeats from its device and its advisory (ids, aliases, summary, source,
/// fixed versions) is shared with the other findings of that device or advisory (`Arc`),
/// so that a million findings do not hold a million copies of the same summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The device's id.
    pub device_id: Arc<str>,
    /// The software item, shared by all the findings on it.
    pub software: std::sync::Arc<Software>,
    /// The advisory's id.
    pub advisory_id: Arc<str>,
    /// Its aliases (CVE, GHSA, …).
    pub aliases: Arc<[String]>,
    /// Its summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Arc<str>>,
    /// Every version named by a `fixed` event of the affected entry.
    pub fixed_versions: Arc<[String]>,
    /// The fixed version that ends the matched interval, when there is one: the nearest fix
    /// on this version's line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Arc<str>>,
    /// Whether a fix exists.
    pub fix_state: FixState,
    /// Why it fired (shared by the findings of the same item and advisory on other devices).
    pub evidence: Arc<Evidence>,
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
    /// Adds another part's counts and problems (the first [`KEPT_PROBLEMS`] kept).
    pub fn absorb(&mut self, other: MatchDiagnostics) {
        self.software_items += other.software_items;
        self.software_with_advisories += other.software_with_advisories;
        self.unevaluated_ranges += other.unevaluated_ranges;
        self.unparsable_versions += other.unparsable_versions;
        for problem in other.problems {
            self.problem(problem);
        }
    }

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
/// assert_eq!(&*findings[0].advisory_id, "GO-2022-0493");
/// assert_eq!(findings[0].fix.as_deref(), Some("0.0.0-20220412211240-33da011f77ad"));
/// # Ok::<(), exposure::inventory::InventoryError>(())
/// ```
pub fn match_fleet(kb: &KnowledgeBase, fleet: &Fleet) -> (Vec<Finding>, MatchDiagnostics) {
    match_fleet_with_progress(kb, fleet, &|_, _| {})
}

/// [`match_fleet`] on every core, reporting `progress(devices matched, devices)` now and then.
pub fn match_fleet_with_progress(
    kb: &KnowledgeBase,
    fleet: &Fleet,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Vec<Finding>, MatchDiagnostics) {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    match_fleet_on(kb, fleet, threads, progress)
}

/// [`match_fleet`] on at most `threads` threads, each matching a contiguous share of the
/// devices; the results are the same, in the same order, whatever the number.
pub fn match_fleet_with_threads(
    kb: &KnowledgeBase,
    fleet: &Fleet,
    threads: usize,
) -> (Vec<Finding>, MatchDiagnostics) {
    match_fleet_on(kb, fleet, threads, &|_, _| {})
}

fn match_fleet_on(
    kb: &KnowledgeBase,
    fleet: &Fleet,
    threads: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Vec<Finding>, MatchDiagnostics) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let devices = &fleet.devices;
    let total = devices.len();
    let done = AtomicUsize::new(0);
    let tick = |n: usize| {
        let now = done.fetch_add(n, Ordering::Relaxed) + n;
        progress(now, total);
    };
    // Small fleets are not worth a thread.
    let threads = threads.clamp(1, devices.len().div_ceil(64).max(1));
    if threads == 1 {
        let mut findings = Vec::new();
        let mut diagnostics = MatchDiagnostics::default();
        let mut shared = SharedParts::default();
        for (i, device) in devices.iter().enumerate() {
            match_device(kb, device, &mut shared, &mut findings, &mut diagnostics);
            if (i + 1) % 64 == 0 || i + 1 == total {
                tick(if (i + 1) % 64 == 0 { 64 } else { (i + 1) % 64 });
            }
        }
        return (findings, diagnostics);
    }
    let share = devices.len().div_ceil(threads);
    let parts: Vec<(Vec<Finding>, MatchDiagnostics)> = std::thread::scope(|scope| {
        let handles: Vec<_> = devices
            .chunks(share)
            .map(|chunk| {
                let tick = &tick;
                scope.spawn(move || {
                    let mut findings = Vec::new();
                    let mut diagnostics = MatchDiagnostics::default();
                    let mut shared = SharedParts::default();
                    for (i, device) in chunk.iter().enumerate() {
                        match_device(kb, device, &mut shared, &mut findings, &mut diagnostics);
                        if (i + 1) % 64 == 0 {
                            tick(64);
                        } else if i + 1 == chunk.len() {
                            tick(chunk.len() % 64);
                        }
                    }
                    (findings, diagnostics)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut findings = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
    let mut diagnostics = MatchDiagnostics::default();
    for (part, d) in parts {
        findings.extend(part);
        diagnostics.absorb(d);
    }
    (findings, diagnostics)
}

/// What the findings of one advisory, or of one of its affected entries, share: made the
/// first time a matching thread needs them, keyed by the record's address in the knowledge
/// base (which is borrowed, so immutable, for the whole matching).
#[derive(Default)]
struct SharedParts {
    advisories: HashMap<usize, AdvisoryParts>,
    entries: HashMap<usize, EntryParts>,
    items: ItemCache,
}

struct AdvisoryParts {
    id: Arc<str>,
    aliases: Arc<[String]>,
    summary: Option<Arc<str>>,
    source: Arc<str>,
}

struct EntryParts {
    source: Arc<str>,
    fixed_versions: Arc<[String]>,
}

impl SharedParts {
    /// The package matches of `software`, computed the first time this thread meets it.
    fn item(&mut self, kb: &KnowledgeBase, software: &Arc<Software>) -> Arc<ItemMatches> {
        let address = Arc::as_ptr(software) as usize;
        if let Some(found) = self.items.by_address.get(&address) {
            return Arc::clone(found);
        }
        // Matching reads the ecosystem, name, version and CPE claim only: items equal in
        // those share their matches (found by a hash of them, then compared).
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            software.ecosystem.hash(&mut hasher);
            software.name.hash(&mut hasher);
            software.version.hash(&mut hasher);
            software.cpe.hash(&mut hasher);
            hasher.finish()
        };
        let same = |other: &Software| {
            other.ecosystem == software.ecosystem
                && other.name == software.name
                && other.version == software.version
                && other.cpe == software.cpe
        };
        let known = self
            .items
            .by_value
            .get(&key)
            .and_then(|list| list.iter().find(|(item, _)| same(item)))
            .map(|(_, matches)| Arc::clone(matches));
        if let Some(found) = known {
            // An unshared copy: its address will not come again, so it is not remembered.
            return found;
        }
        let matches = Arc::new(match_item(kb, software, self));
        self.items
            .by_value
            .entry(key)
            .or_default()
            .push((Arc::clone(software), Arc::clone(&matches)));
        self.items.by_address.insert(address, Arc::clone(&matches));
        matches
    }

    fn advisory(&mut self, advisory: &Advisory) -> &AdvisoryParts {
        self.advisories
            .entry(std::ptr::from_ref(advisory) as usize)
            .or_insert_with(|| AdvisoryParts {
                id: advisory.id.as_str().into(),
                aliases: advisory.aliases.clone().into(),
                summary: advisory.summary.as_deref().map(Arc::from),
                source: advisory.source.as_str().into(),
            })
    }

    fn entry(&mut self, affected: &AffectedPackage) -> &EntryParts {
        self.entries
            .entry(std::ptr::from_ref(affected) as usize)
            .or_insert_with(|| EntryParts {
                source: affected.source.as_str().into(),
                fixed_versions: affected
                    .ranges
                    .iter()
                    .flat_map(super::kb::AffectedRange::fixed_versions)
                    .map(str::to_owned)
                    .collect(),
            })
    }
}

/// The package matches of one software item, the same on every device that has the item:
/// computed once per matching thread and replayed for each device.
struct ItemMatches {
    /// Whether some advisory names the package.
    any: bool,
    /// The findings, without their device.
    hits: Vec<ItemHit>,
    /// Ranges that could not be evaluated.
    unevaluated_ranges: usize,
    /// Ranges the version did not parse for: the advisory id and the message.
    unparsable: Vec<(Arc<str>, String)>,
}

/// A finding of one software item, before it is put on a device.
struct ItemHit {
    advisory_id: Arc<str>,
    aliases: Arc<[String]>,
    summary: Option<Arc<str>>,
    fixed_versions: Arc<[String]>,
    fix: Option<Arc<str>>,
    fix_state: FixState,
    evidence: Arc<Evidence>,
}

/// An item matched before (the first copy met) and its matches.
type KnownItem = (Arc<Software>, Arc<ItemMatches>);

impl ItemHit {
    /// The finding of this hit on one device's item.
    fn on(&self, device_id: &Arc<str>, software: &Arc<Software>) -> Finding {
        Finding {
            device_id: Arc::clone(device_id),
            software: Arc::clone(software),
            advisory_id: Arc::clone(&self.advisory_id),
            aliases: Arc::clone(&self.aliases),
            summary: self.summary.clone(),
            fixed_versions: Arc::clone(&self.fixed_versions),
            fix: self.fix.clone(),
            fix_state: self.fix_state,
            evidence: Arc::clone(&self.evidence),
        }
    }

    /// A hit of a CPE matcher: the vulnerable criterion that matched, its fix (the version of
    /// an excluding upper bound), and the other criteria that held (`platform`).
    fn from_cpe(
        parts: &AdvisoryParts,
        criterion: &crate::cpe::Criterion,
        (matcher, confidence): (&'static str, Confidence),
        platform: Vec<String>,
        cpe: Option<String>,
    ) -> Self {
        let fix = criterion.bounds.as_deref().and_then(excluded_upper_bound);
        ItemHit {
            advisory_id: Arc::clone(&parts.id),
            aliases: Arc::clone(&parts.aliases),
            summary: parts.summary.clone(),
            fixed_versions: fix.iter().cloned().collect(),
            fix_state: if fix.is_some() {
                FixState::Fixed
            } else {
                FixState::Unknown
            },
            fix: fix.map(Arc::from),
            evidence: Arc::new(Evidence {
                matcher,
                confidence,
                source: Arc::clone(&parts.source),
                range_kind: "CPE".to_owned(),
                range: criterion.bounds.as_deref().map(Arc::from),
                matched: criterion.text.clone(),
                platform,
                cpe,
            }),
        }
    }
}

/// The item matches computed so far by one thread: by the item's address (fleets share
/// equal items, see [`Fleet::share_software`]) and, for items not shared, by value.
#[derive(Default)]
struct ItemCache {
    by_address: HashMap<usize, Arc<ItemMatches>>,
    by_value: HashMap<u64, Vec<KnownItem>>,
}

/// Matches one device, appending its findings.
fn match_device(
    kb: &KnowledgeBase,
    device: &crate::inventory::Device,
    shared: &mut SharedParts,
    findings: &mut Vec<Finding>,
    diagnostics: &mut MatchDiagnostics,
) {
    let device_id: Arc<str> = device.id.as_str().into();
    for (index, software) in device.software.iter().enumerate() {
        diagnostics.software_items += 1;
        let matches = shared.item(kb, software);
        diagnostics.software_with_advisories += usize::from(matches.any);
        diagnostics.unevaluated_ranges += matches.unevaluated_ranges;
        for (advisory_id, message) in &matches.unparsable {
            diagnostics.unparsable_versions += 1;
            diagnostics.problem(Problem::new(
                &device.id,
                Some(advisory_id),
                &format!("software[{index}].version"),
                format!("{} {}: {message}", software.ecosystem, software.name),
                Consequence::PartlyUsed,
            ));
        }
        findings.extend(matches.hits.iter().map(|hit| hit.on(&device_id, software)));
    }
    match_device_cpes(kb, device, &device_id, shared, findings, diagnostics);
}

/// Matches one software item against the package advisories that name it.
fn match_item(kb: &KnowledgeBase, software: &Software, shared: &mut SharedParts) -> ItemMatches {
    let mut matches = ItemMatches {
        any: false,
        hits: Vec::new(),
        unevaluated_ranges: 0,
        unparsable: Vec::new(),
    };
    // Advisories already found on this item (an advisory may name a package in several
    // entries, or through several merged sources).
    let mut seen: Vec<&str> = Vec::new();
    let mut versions = ParsedVersions::new(software.version.trim());
    for (advisory, affected) in kb.affecting(&software.ecosystem, &software.name) {
        matches.any = true;
        if advisory.withdrawn.is_some() || seen.contains(&advisory.id.as_str()) {
            continue;
        }
        let Some((evidence, fix)) = match_affected(
            advisory,
            affected,
            software,
            &mut versions,
            shared,
            &mut matches,
        ) else {
            continue;
        };
        seen.push(advisory.id.as_str());
        let fixed_versions = Arc::clone(&shared.entry(affected).fixed_versions);
        let fix_state = if fix.is_some() {
            FixState::Fixed
        } else if affected.will_not_fix.is_some() {
            FixState::WillNotFix
        } else if fixed_versions.is_empty()
            && evidence.range_kind != "versions"
            && affected.ranges.iter().all(|r| {
                r.events
                    .iter()
                    .all(|e| !matches!(e, crate::range::OsvEvent::LastAffected(_)))
            })
        {
            FixState::NotFixed
        } else {
            FixState::Unknown
        };
        let parts = shared.advisory(advisory);
        matches.hits.push(ItemHit {
            advisory_id: Arc::clone(&parts.id),
            aliases: Arc::clone(&parts.aliases),
            summary: parts.summary.clone(),
            fixed_versions,
            fix,
            fix_state,
            evidence: Arc::new(evidence),
        });
    }
    if package_cpe::applies(software) {
        match_package_cpes(kb, software, shared, &mut seen, &mut matches);
    }
    matches
}

/// The CPE fallback for a language package (see [`package_cpe`]): NVD statements naming a
/// vendor and product its coordinates support, for advisories without package data.
fn match_package_cpes<'k>(
    kb: &'k KnowledgeBase,
    software: &Software,
    shared: &mut SharedParts,
    seen: &mut Vec<&'k str>,
    matches: &mut ItemMatches,
) {
    for (name, found) in package_cpe::statements(kb, software) {
        matches.any = true;
        let names = name.names.as_slice();
        for (advisory, statement) in found {
            if advisory.withdrawn.is_some()
                || seen.contains(&advisory.id.as_str())
                || package_cpe::has_package_data(advisory)
            {
                continue;
            }
            let Some(matched) = statement.evaluate(names) else {
                continue;
            };
            let Some(hit) = matched.iter().find(|m| {
                m.criterion.vulnerable
                    && package_cpe::criterion_fits(m.criterion, &software.ecosystem)
            }) else {
                continue;
            };
            seen.push(advisory.id.as_str());
            let parts = shared.advisory(advisory);
            matches.hits.push(ItemHit::from_cpe(
                parts,
                hit.criterion,
                ("nvd-cpe-package", Confidence::CpeVersionRange),
                Vec::new(),
                Some(hit.name.to_fs()),
            ));
        }
    }
}

/// The CPE matcher: vendor software (outside package and distro ecosystems, see
/// [`Ecosystem::has_package_advisories`](crate::ecosystem::Ecosystem::has_package_advisories))
/// with a CPE name, against NVD applicability statements, evaluated with every CPE name of
/// the device so that "running on/with" configurations see the platform.
fn match_device_cpes(
    kb: &KnowledgeBase,
    device: &crate::inventory::Device,
    device_id: &Arc<str>,
    shared: &mut SharedParts,
    findings: &mut Vec<Finding>,
    diagnostics: &mut MatchDiagnostics,
) {
    use crate::cpe::{Attribute, Cpe};
    let mut names: Vec<Cpe> = Vec::new();
    let mut owners: Vec<usize> = Vec::new();
    for (index, software) in device.software.iter().enumerate() {
        let Some(claim) = &software.cpe else { continue };
        match claim.name.parse::<Cpe>() {
            Ok(cpe) => {
                names.push(cpe);
                owners.push(index);
            }
            Err(e) => diagnostics.problem(Problem::new(
                &device.id,
                None,
                &format!("software[{index}].cpe"),
                e.to_string(),
                Consequence::PartlyUsed,
            )),
        }
    }
    for (name, &index) in names.iter().zip(&owners) {
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
        for (advisory, statement) in kb.affecting_product(&vendor, &product) {
            any = true;
            if advisory.withdrawn.is_some() {
                continue;
            }
            let Some(matched) = statement.evaluate(&names) else {
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
            let parts = shared.advisory(advisory);
            let hit = ItemHit::from_cpe(parts, criterion, ("nvd-cpe", confidence), platform, None);
            findings.push(hit.on(device_id, software));
        }
        diagnostics.software_with_advisories += usize::from(any);
    }
}

/// The version of a `<V` bound among bounds written as `>=2.4.0, <2.4.49`.
fn excluded_upper_bound(bounds: &str) -> Option<String> {
    bounds
        .split(',')
        .map(str::trim)
        .find_map(|b| b.strip_prefix('<').filter(|v| !v.starts_with('=')))
        .map(|v| v.trim().to_owned())
}

fn match_affected(
    advisory: &Advisory,
    affected: &AffectedPackage,
    software: &Software,
    versions: &mut ParsedVersions<'_>,
    shared: &mut SharedParts,
    matches: &mut ItemMatches,
) -> Option<(Evidence, Option<Arc<str>>)> {
    let confidence = if matches!(
        software.ecosystem.scheme(),
        Some(Scheme::Deb | Scheme::Alpine | Scheme::Rpm)
    ) {
        Confidence::Distro
    } else {
        Confidence::ExactPackage
    };
    let source = Arc::clone(&shared.entry(affected).source);
    let evidence = |range_kind: &str, range: Option<Arc<str>>, matched: String| Evidence {
        matcher: "osv-package",
        confidence,
        source,
        range_kind: range_kind.to_owned(),
        range,
        matched,
        platform: Vec::new(),
        cpe: None,
    };
    // Ranges first: a version inside one gets the fix that ends its interval, even when the
    // entry also lists it.
    for range in &affected.ranges {
        match &range.evaluation {
            RangeEvaluation::Ready(ready) => match versions.get(ready.scheme()) {
                Ok(version) => {
                    if let Some(interval) = ready.interval_containing(version) {
                        let fix = match &interval.upper {
                            Some(Bound {
                                version,
                                inclusive: false,
                            }) => Some(Arc::from(version.to_string())),
                            _ => None,
                        };
                        let matched = interval_to_vers(ready.scheme(), interval);
                        return Some((evidence(&range.kind, range.vers().cloned(), matched), fix));
                    }
                }
                Err(message) => {
                    let advisory_id = Arc::clone(&shared.advisory(advisory).id);
                    matches.unparsable.push((advisory_id, message.to_owned()));
                }
            },
            RangeEvaluation::Unevaluated(_) if range.kind != "GIT" => {
                matches.unevaluated_ranges += 1;
            }
            RangeEvaluation::Unevaluated(_) => {}
        }
    }
    let installed = versions.text;
    affected
        .lists(installed)
        .then(|| (evidence("versions", None, installed.to_owned()), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_change_nothing_but_speed() {
        let kb = crate::demo::knowledge_base();
        let demo = crate::demo::fleet();
        let mut fleet = Fleet::default();
        for copy in 0..70 {
            for device in &demo.devices {
                let mut device = device.clone();
                device.id = format!("{}-{copy}", device.id);
                fleet.devices.push(device);
            }
        }
        let (one, d1) = match_fleet_with_threads(&kb, &fleet, 1);
        for threads in [2, 3, 8] {
            let (many, d) = match_fleet_with_threads(&kb, &fleet, threads);
            assert_eq!(one, many, "{threads} threads");
            assert_eq!(d1, d, "{threads} threads");
        }
        assert_eq!(one.len(), 70 * 11);
    }

    /// Items are matched once per thread and replayed per device: the replay gives every
    /// device its own findings and its own problems, located at its own item, whether the
    /// fleet shares its items or not.
    #[test]
    fn replayed_items_keep_their_device_and_place() {
        let mut kb = KnowledgeBase::new();
        kb.load_osv_str(
            r#"{"id": "GHSA-test", "aliases": ["CVE-2099-0001"], "affected": [{"package":
              {"ecosystem": "npm", "name": "lodash"}, "ranges": [{"type": "SEMVER",
              "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}]}"#,
            "osv",
        );
        let document = r#"{"devices": [
          {"id": "d1", "software": [{"purl": "pkg:npm/left-pad@1.0.0"},
                                    {"purl": "pkg:npm/lodash@not.a.version"},
                                    {"purl": "pkg:npm/lodash@4.17.20"}]},
          {"id": "d2", "software": [{"purl": "pkg:npm/lodash@not.a.version"},
                                    {"purl": "pkg:npm/lodash@4.17.20"}]}]}"#;
        let shared = crate::inventory::load_str(document, "fleet").unwrap().fleet;
        assert!(Arc::ptr_eq(
            &shared.devices[0].software[2],
            &shared.devices[1].software[1]
        ));
        let mut unshared = shared.clone();
        for device in &mut unshared.devices {
            for item in &mut device.software {
                *item = Arc::new(Software::clone(item));
            }
        }
        for fleet in [&shared, &unshared] {
            let (findings, diagnostics) = match_fleet_with_threads(&kb, fleet, 1);
            let placed: Vec<(&str, &str, &str)> = findings
                .iter()
                .map(|f| (&*f.device_id, &*f.software.version, &*f.advisory_id))
                .collect();
            assert_eq!(
                placed,
                [
                    ("d1", "4.17.20", "GHSA-test"),
                    ("d2", "4.17.20", "GHSA-test")
                ]
            );
            assert_eq!(diagnostics.software_items, 5);
            assert_eq!(diagnostics.software_with_advisories, 4);
            assert_eq!(diagnostics.unparsable_versions, 2);
            let located: Vec<(&str, &str)> = diagnostics
                .problems
                .iter()
                .map(|p| (p.location.as_str(), p.field.as_str()))
                .collect();
            assert_eq!(
                located,
                [("d1", "software[1].version"), ("d2", "software[0].version")]
            );
            assert!(diagnostics.problems[0].message.contains("lodash"));
            assert_eq!(findings[0].fix.as_deref(), Some("4.17.21"));
        }
    }
}
