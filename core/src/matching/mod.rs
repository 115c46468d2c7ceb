//! Matching installed software against the knowledge base, with evidence for every finding.
//!
//! Four matchers, each in its own room:
//! - `package`: an item against the advisories that name its ecosystem and package
//!   (`osv-package`: OSV, distro trackers, CVE 5 records of known registries), decided by
//!   [`AffectedPackage::affects`](crate::kb::AffectedPackage::affects); a version that does
//!   not parse in a range's scheme is never guessed at: it is reported in
//!   [`MatchDiagnostics`];
//! - `package_cpe`: a language package against NVD's CPE configurations that no package
//!   advisory covers (`nvd-cpe-package`);
//! - `device_cpe`: vendor software by its CPE name against NVD's configurations, with the
//!   device's other names and its reported platforms as the platform (`nvd-cpe`);
//! - `vex`: which findings a VEX statement removes.
//!
//! A fleet repeats the same software on many devices, so each distinct item is matched once
//! per thread (the thread's `memo`) and its findings are replayed for every device that has
//! it (each with its own device and, for problems, its own position); the device CPE matcher,
//! whose platform criteria depend on the rest of the device, runs per device. Findings share
//! (`Arc`) what they repeat from their device, item and advisory. Devices are split over
//! threads by `threads`.
//!
//! # Conditions: records gated on a platform or configuration
//!
//! An NVD configuration may say that a product is vulnerable only when it runs on or with
//! another (an AND of the application's criterion and a `vulnerable: false` platform
//! criterion, "running on Windows"). A device's *platform names*
//! ([`Device::platform_names`]) are its software's CPE names plus the `conditions` it
//! reports that are CPE names; a statement is evaluated with them, and a finding of a gated
//! record carries [`Evidence::condition`]:
//! - `met`, with the device's names that satisfied the platform criteria (`by`; the criteria
//!   are in [`Evidence::platform`]);
//! - `not_reported`, with the platform criteria the record needs (`requires`, any that makes
//!   the record apply would do): the finding is listed and counts 0 in the scores
//!   ([`ScoredFinding::not_counted`](crate::assessment::ScoredFinding::not_counted)). The
//!   record says where the product is vulnerable; a device that does not say it is there is
//!   not counted as exposed, and is not silently dropped either.
//!
//! What each matcher did before conditions, and does now:
//! - `device_cpe` evaluated statements with the device's software CPE names only: a "running
//!   on" record held only when the platform was an installed item with a CPE name (rare: an
//!   inventory item needs a version, NVD names platforms with version NA), and otherwise the
//!   finding was dropped without a trace. Now the reported conditions count as platform
//!   names, and a record whose platform is not reported is listed as `not_reported`.
//! - `package_cpe` evaluated statements with the package's own CPE names only, so an AND
//!   with a platform never held: gated records were dropped for language packages (the
//!   platform half was not ignored, the whole record was). Now the record is matched with its
//!   platform criteria taken to hold
//!   ([`Applicability::evaluate_assuming_platforms`](crate::cpe::Applicability::evaluate_assuming_platforms)),
//!   the item is still matched once per thread, and the condition is decided per device when
//!   the hit is replayed.
//! - CVE 5 `affected[].platforms` were not read. Now an entry naming a vendor and product
//!   with platforms becomes a configuration of its own, its criteria AND one of
//!   `cpe:2.3:o:*:<platform>*:…` (the platform as a CPE word, lower case, spaces as `_`, then a
//!   wildcard), matched by the two CPE matchers as above. **The rule**: a device reports a
//!   CVE 5 platform with an operating-system CPE name (software or condition) whose product
//!   begins with the platform's word (`Windows` → `microsoft:windows_10`, `Linux` →
//!   `linux:linux_kernel`, any case), or with a condition `platform:<name>` naming it (any
//!   case; read as `cpe:2.3:o:*:<name>:…`, which no NVD criterion matches: NVD names a
//!   vendor). `All`, `any` and `n/a` gate nothing. Architectures (`x86`) are reported only by
//!   `platform:x86`.
//! - `package` (OSV, distro trackers, CVE 5 package entries, CSAF) has no gated records: the
//!   `platforms` of a CVE 5 package entry (a known registry's) are not used, and CSAF
//!   `product_tree.relationships` are read only for VEX statements (a statement about a product *on a platform* applies on a device whose
//!   platform names match it, conditions included); the category of a relationship
//!   (`default_component_of`, `installed_on`) is not read, and an RHSA's fixed products are
//!   resolved to their package whatever platform they are on.
//! - Conditions that are not CPE names (`role:web-server`) are kept on the device for records
//!   gated on a configuration; no feed the engine reads states such a gate today.

mod device_cpe;
mod memo;
mod package;
mod package_cpe;
pub(crate) mod threads;

pub(crate) use threads::both;
mod vex;

pub(crate) use threads::{in_shares, Progress};
pub(crate) use vex::apply_vex;
pub use vex::{vex_applies, Suppression};

use crate::cpe::{Applicability, Cpe, Criterion, Matched as CpeMatched};
use crate::inventory::{Device, Fleet, Software};
use crate::kb::{KnowledgeBase, RangeType};
use crate::load_report::{Consequence, Problem, KEPT_PROBLEMS};
use memo::Memo;
use serde::Serialize;
use std::sync::Arc;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
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

impl FixState {
    /// The name serialised: `fixed`, `not_fixed`, `will_not_fix`, `unknown`.
    ///
    /// ```
    /// assert_eq!(exposure::matching::FixState::WillNotFix.name(), "will_not_fix");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            FixState::Fixed => "fixed",
            FixState::NotFixed => "not_fixed",
            FixState::WillNotFix => "will_not_fix",
            FixState::Unknown => "unknown",
        }
    }
}

/// The matcher that made a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Matcher {
    /// A package advisory's affected entry (OSV, a distro tracker, a CVE 5 record).
    #[serde(rename = "osv-package")]
    OsvPackage,
    /// An NVD applicability statement, for vendor software named by CPE.
    #[serde(rename = "nvd-cpe")]
    NvdCpe,
    /// An NVD applicability statement, for a language package by the CPE its coordinates
    /// build.
    #[serde(rename = "nvd-cpe-package")]
    NvdCpePackage,
    /// A vendor's own advisory naming its product by CPE (Node.js runtime, Mozilla's
    /// Firefox and Thunderbird), used while NVD has no statement for the vulnerability.
    #[serde(rename = "vendor-cpe")]
    VendorCpe,
}

impl Matcher {
    /// The stable name serialised (`osv-package`, `nvd-cpe`, `nvd-cpe-package`, `vendor-cpe`).
    ///
    /// ```
    /// assert_eq!(exposure::matching::Matcher::NvdCpePackage.name(), "nvd-cpe-package");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Matcher::OsvPackage => "osv-package",
            Matcher::NvdCpe => "nvd-cpe",
            Matcher::NvdCpePackage => "nvd-cpe-package",
            Matcher::VendorCpe => "vendor-cpe",
        }
    }
}

impl Matcher {
    /// The matcher of a hit on `statement`: `nvd` for NVD's and CVE records' statements,
    /// [`Matcher::VendorCpe`] for a vendor's own.
    pub(crate) fn for_statement(statement: &crate::kb::Statement, nvd: Matcher) -> Matcher {
        if statement.from_vendor {
            Matcher::VendorCpe
        } else {
            nvd
        }
    }
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What kind of statement a finding matched.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum MatchKind {
    /// A range of this type held the version (serialised as the type: `SEMVER`,
    /// `ECOSYSTEM`).
    Range(RangeType),
    /// The version is among the entry's listed versions (serialised `versions`).
    Listed,
    /// A CPE criterion matched (serialised `CPE`).
    Cpe,
}

impl MatchKind {
    /// The name serialised.
    pub fn name(&self) -> &str {
        match self {
            MatchKind::Range(kind) => kind.as_str(),
            MatchKind::Listed => "versions",
            MatchKind::Cpe => "CPE",
        }
    }
}

impl From<MatchKind> for String {
    fn from(kind: MatchKind) -> String {
        kind.name().to_owned()
    }
}

/// What matched, serialised as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Matched {
    /// The interval holding the installed version, as a `vers:` string.
    Interval(String),
    /// The listed version that is the installed one.
    Listed(String),
    /// The CPE criterion that matched, as NVD wrote it.
    Criterion(String),
}

impl Matched {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Matched::Interval(text) | Matched::Listed(text) | Matched::Criterion(text) => text,
        }
    }
}

impl std::fmt::Display for Matched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a finding fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Which matcher made the match.
    pub matcher: Matcher,
    /// How sure it is.
    pub confidence: Confidence,
    /// The input of the record that matched (file path or origin name): the affected
    /// entry's, or the applicability statement's.
    pub source: Arc<str>,
    /// The range type that matched (`SEMVER`, `ECOSYSTEM`), `versions` for a listed version,
    /// `CPE` for a criterion.
    pub range_kind: MatchKind,
    /// The whole affected range as a purl `vers:` string, when a range matched (shared by
    /// the findings of that range).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<Arc<str>>,
    /// The interval holding the installed version, as `vers:`; or the listed version; or
    /// the CPE criterion that matched.
    pub matched: Matched,
    /// For a CPE match, the platform criteria the device also satisfied (the "running
    /// on/with" part of the configuration).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platform: Vec<String>,
    /// For a CPE match of a language package (matcher `nvd-cpe-package`), the CPE name built
    /// from its coordinates that the criterion matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// For a record gated on a platform or configuration ("running on/with"), whether the
    /// device reports it; `None` for a record that is not gated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<ConditionState>,
}

/// Whether the device reports the platform or configuration a gated record needs (the
/// `vulnerable: false` criteria of an NVD configuration). Serialised with a `state` tag:
/// `{"state": "met", "by": [...]}`, `{"state": "not_reported", "requires": [...]}`.
///
/// A finding whose condition is not reported stays listed and counts 0 in the exposure
/// scores ([`ScoredFinding::contribution`](crate::assessment::ScoredFinding::contribution)):
/// the record says the product is vulnerable only there, and the device did not say it is
/// there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConditionState {
    /// The device reports it: the names (software CPE names or `conditions`, as CPE 2.3
    /// formatted strings) that satisfied the platform criteria.
    Met {
        /// The device's names that satisfied the platform criteria.
        by: Vec<String>,
    },
    /// The device does not report it: the platform criteria, as the record wrote them, that
    /// no software CPE name or condition of the device satisfies (any that makes the record
    /// apply would do).
    NotReported {
        /// The platform criteria the record needs.
        requires: Vec<String>,
    },
}

impl ConditionState {
    /// Whether the device reports the condition.
    pub fn is_met(&self) -> bool {
        matches!(self, ConditionState::Met { .. })
    }
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

    pub(crate) fn problem(&mut self, problem: Problem) {
        if self.problems.len() < KEPT_PROBLEMS {
            self.problems.push(problem);
        }
    }
}

/// Matches every device of `fleet` against `kb`. Findings come in device order, then
/// software order, then advisory load order.
///
/// ```
/// use exposure::{inventory, kb::KnowledgeBase, matching::match_fleet};
/// let mut kb = KnowledgeBase::new();
/// kb.load_text(r#"{"id": "GO-2022-0493", "affected": [{"package": {"ecosystem": "Go",
///   "name": "golang.org/x/sys"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"},
///   {"fixed": "0.0.0-20220412211240-33da011f77ad"}]}]}]}"#, "osv");
/// let fleet = inventory::load_text(r#"{"devices": [{"id": "d1", "software": [
///   {"purl": "pkg:golang/golang.org/x/sys@v0.0.0-20210330210617-4fbd30eecc44"}]}]}"#, "fleet",
///   &inventory::LoadOptions::default())?.fleet;
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

/// What matching learned — each distinct item's matches, the facts findings share — kept
/// from one fleet to the next matched against the same knowledge base (the chunks of a
/// stream): one memo per matching thread, taken from the pool by a thread and given back.
/// Its owner keeps it beside the knowledge base it was made with.
#[derive(Default)]
pub(crate) struct MatchMemos {
    pool: std::sync::Mutex<Vec<Memo>>,
}

impl MatchMemos {
    /// A memo for one thread: one given back, or a new one.
    fn take(&self) -> Memo {
        let mut memo = self
            .pool
            .lock()
            .map(|mut pool| pool.pop())
            .ok()
            .flatten()
            .unwrap_or_default();
        memo.next_fleet();
        memo
    }

    /// Gives a memo back for the next fleet.
    fn give_back(&self, memo: Memo) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(memo);
        }
    }
}

/// [`match_fleet_with_progress`] reusing what `memos` learned from fleets matched before
/// against `kb` (and only against `kb`).
pub(crate) fn match_fleet_remembering(
    kb: &KnowledgeBase,
    fleet: &Fleet,
    memos: &MatchMemos,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Vec<Finding>, MatchDiagnostics) {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    match_fleet_with_memos(kb, fleet, threads, progress, memos)
}

fn match_fleet_on(
    kb: &KnowledgeBase,
    fleet: &Fleet,
    threads: usize,
    report: &(dyn Fn(usize, usize) + Sync),
) -> (Vec<Finding>, MatchDiagnostics) {
    match_fleet_with_memos(kb, fleet, threads, report, &MatchMemos::default())
}

fn match_fleet_with_memos(
    kb: &KnowledgeBase,
    fleet: &Fleet,
    threads: usize,
    report: &(dyn Fn(usize, usize) + Sync),
    memos: &MatchMemos,
) -> (Vec<Finding>, MatchDiagnostics) {
    let progress = Progress::new(fleet.devices.len(), report);
    // Small fleets are not worth a thread: at least one progress step of devices each.
    let parts = in_shares(&fleet.devices, threads, Progress::EVERY, |share| {
        let mut findings = Vec::new();
        let mut diagnostics = MatchDiagnostics::default();
        let mut memo = memos.take();
        for (at, device) in share.iter().enumerate() {
            match_device(kb, device, &mut memo, &mut findings, &mut diagnostics);
            progress.item_done(at, share.len());
        }
        memos.give_back(memo);
        (findings, diagnostics)
    });
    let mut findings = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
    let mut diagnostics = MatchDiagnostics::default();
    for (part, d) in parts {
        findings.extend(part);
        diagnostics.absorb(d);
    }
    (findings, diagnostics)
}

/// The vulnerable criterion of `applicability` that `is_hit` accepts, with what the first
/// configuration holding it matched and the platform criteria it took to hold: none when a
/// configuration applies to `names` as they are, else those
/// [`Applicability::configurations_applying`] takes with platforms assumed.
pub(super) fn evaluate_gated<'a>(
    applicability: &'a Applicability,
    names: &'a [Cpe],
    is_hit: impl Fn(&CpeMatched<'a>) -> bool,
) -> Option<(CpeMatched<'a>, Vec<CpeMatched<'a>>, Vec<&'a Criterion>)> {
    // Without platform criteria, assuming them changes nothing: evaluated once.
    let passes: &[bool] = if applicability.has_platform_criteria() {
        &[false, true]
    } else {
        &[false]
    };
    for &assume in passes {
        for applying in applicability.configurations_applying(names, assume) {
            if let Some(hit) = applying.matched.iter().find(|m| is_hit(m)).copied() {
                return Some((hit, applying.matched, applying.assumed));
            }
        }
    }
    None
}

/// Matches one device, appending its findings.
fn match_device(
    kb: &KnowledgeBase,
    device: &Device,
    memo: &mut Memo,
    findings: &mut Vec<Finding>,
    diagnostics: &mut MatchDiagnostics,
) {
    let device_id: Arc<str> = device.id.as_str().into();
    // The device's platform names, made when a gated hit or the device CPE matcher needs them.
    let mut platform: Option<Vec<Cpe>> = None;
    for (index, software) in device.software.iter().enumerate() {
        diagnostics.software_items += 1;
        let matches = memo.item(kb, software, package::match_item);
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
        for hit in &matches.hits {
            findings.push(if hit.gated() {
                let platform = platform.get_or_insert_with(|| device.platform_names());
                hit.on_device(kb, &device_id, software, platform)
            } else {
                hit.on(&device_id, software)
            });
        }
    }
    let platform = platform.unwrap_or_else(|| device.platform_names());
    device_cpe::match_device(
        kb,
        device,
        &platform,
        &device_id,
        memo,
        findings,
        diagnostics,
    );
}

#[cfg(test)]
mod gating_tests;

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
        kb.load_text(
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
        let shared = crate::inventory::load_text(
            document,
            "fleet",
            &crate::inventory::LoadOptions::default(),
        )
        .unwrap()
        .fleet;
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
