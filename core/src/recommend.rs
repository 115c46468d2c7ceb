//! Remediation recommendations: the actions a team would take, one per software product and
//! kind of action, each with the exact exposure it removes, ranked.
//!
//! # Kinds of action (Defender's remediation types)
//!
//! - **update** ([`ActionKind::Update`]): to the smallest version that fixes the covered
//!   findings *on the installed version's own release line* (its branch, below). A host on
//!   urllib3 1.26.12 is told 1.26.18, not 2.0.7; when the devices sit on several branches,
//!   the recommendation lists one [`Target`] per branch with the devices on it. When no
//!   version of the branch fixes every covered finding, the smallest that fixes the most is
//!   chosen and the others are left to an upgrade, or listed as `remaining`.
//! - **upgrade** ([`ActionKind::Upgrade`]): the installed branch has no fix for some
//!   findings; the smallest version of another branch that fixes them, flagged as a major
//!   change. An update on the branch and an upgrade for the rest may both be recommended.
//!   They are alternatives, not steps to add up: each covers every finding that moving to
//!   its version removes (the upgrade's version, chosen for what the branch leaves, usually
//!   fixes what the update fixes too), so that each impact is exactly the drop of taking
//!   that action alone, as a second assessment shows (`core/tests/model_properties.rs`).
//! - **end of support** ([`ActionKind::EndOfSupport`]): the installed release's support has
//!   ended ([`crate::eol`]) on the date the caller passes as `as_of`; upgrade to the
//!   successor or uninstall. It covers every finding of the software on those devices, and is
//!   made even when there is none. Without `as_of` none is made: the core never reads the
//!   clock.
//! - **configuration change** ([`ActionKind::ConfigurationChange`]): made from configuration
//!   checks by their own builder and ranked here with [`rank`]; its `configuration_impact`
//!   is the rise of the secure-configuration score (0 for every other kind).
//! - **attention required** ([`ActionKind::AttentionRequired`]): no version fixes the
//!   finding; the recommendation lists the mitigations known (CISA KEV's required action).
//!   Its `exposure_impact` is 0 (no action of ours removes it); `exposure_left` is the exact
//!   drop if its findings were mitigated or the software removed, and ranks it.
//!
//! # Fixes from every matcher
//!
//! A finding matched through a package advisory (`osv-package`) is judged with the
//! advisory's own entries: a candidate fixes it when [`AffectedPackage::affects`] says no
//! entry of that advisory may affect the candidate (a range that cannot judge counts as
//! affecting). A finding matched through an NVD statement (`nvd-cpe`, `nvd-cpe-package`)
//! carries its fixed versions ([`Finding::fixed_versions`], [`Finding::fix`]); a candidate
//! fixes it, conservatively, when one of those fixes is on the candidate's branch and at or
//! below it, or when the candidate is at or above every one of them.
//!
//! An advisory that names no fix is not left behind when a chosen version gets past it: a
//! step's version also resolves the advisories of those devices that it is beyond (an OSV
//! entry judged by its own ranges; an NVD range `<=V` by its including bound). Firefox
//! 10.0.2's 18 findings in ranges `<=55.0.3` and `<=56.0.2` go with the upgrade to 117.0.1;
//! Shockwave's `<=12.2.8.198` has no version past it to offer, so it needs attention.
//!
//! # Branches
//!
//! The branch of a version is its release line in its scheme ([`branch`]):
//!
//! | scheme | branch | examples |
//! |---|---|---|
//! | SemVer-like (npm, Cargo, Hex, PyPI, RubyGems, Composer, NuGet, Maven, Conan, generic/NVD) | the major; `0.minor` for 0.x | `1.26.12` → `1`, `0.4.1` → `0.4`, `1!2.0` → `1!2` |
//! | Go modules | one branch per module: a major version from 2 on is another module path (`…/v2`), a name of its own, and pseudo-versions `v0.0.0-…` precede the first tags of the same line | `v0.0.0-20210226172049-e18ecbb05110` → none |
//! | OpenSSL | `major.minor.patch` before 3 (its lines were 1.0.2, 1.1.1), `major.minor` from 3 | `1.0.2k` → `1.0.2`, `3.0.13` → `3.0` |
//! | Debian, RPM, Arch, Alpine, lexicographic, dates | one branch: a distro fixes each release in its own build (the fixed version names the release's build), so the upstream numbers are no release line | `2.36-9+deb12u4` → none |
//!
//! Vendor software matched by CPE is compared as generic versions and branched by its major:
//! Firefox 10.0.2 is on branch 10, and its fixes (51.0 … 117.0.1) are all on later branches,
//! so it gets an upgrade. A Firefox ESR line (115.x ESR) is a branch of its own, so an ESR
//! host is updated within its line when its line's fix is listed.
//!
//! # Exposure impact
//!
//! A recommendation's exposure impact is `base − exposure_without(covered findings)`: the
//! organisation score recomputed without the findings, exact (MODEL.md).
//!
//! # Ranking
//!
//! By the exposure addressed (the exposure impact, or for attention-required items the
//! exposure they leave), then known-exploited findings first, then the highest likelihood,
//! then exposed devices, then name and kind — a total order, so the same input always gives
//! the same ranking.

use crate::address::{BuildAddressHasher, Numbering};
use crate::ecosystem::Ecosystem;
use crate::eol::{EndOfLife, Entry};
use crate::inventory::Software;
use crate::kb::{AffectedPackage, KnowledgeBase};
use crate::matching::{Finding, Matcher};
use crate::version::{AnyScheme, Scheme, Version};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to do about a software product.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Update to the smallest fixing version on the installed branch (see `targets`).
    Update,
    /// Upgrade to another branch: the installed one has no fix (a major change).
    Upgrade,
    /// Support has ended: upgrade to the successor, or uninstall.
    EndOfSupport,
    /// Change a configuration (from configuration checks).
    ConfigurationChange,
    /// No fix exists: mitigate (see `mitigations`), isolate or remove.
    AttentionRequired,
}

impl ActionKind {
    /// The stable serialised name (`update`, `upgrade`, `end_of_support`,
    /// `configuration_change`, `attention_required`).
    ///
    /// ```
    /// assert_eq!(exposure::recommend::ActionKind::EndOfSupport.name(), "end_of_support");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ActionKind::Update => "update",
            ActionKind::Upgrade => "upgrade",
            ActionKind::EndOfSupport => "end_of_support",
            ActionKind::ConfigurationChange => "configuration_change",
            ActionKind::AttentionRequired => "attention_required",
        }
    }
}

/// The version to move to from one branch, and who moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The installed branch (see [`branch`]); `*` for schemes with one branch.
    pub branch: String,
    /// The version to install.
    pub version: String,
    /// The installed versions on this branch that move.
    pub installed_versions: Vec<String>,
    /// The devices that move.
    pub devices: Vec<String>,
    /// The advisories the move resolves.
    pub resolves: Vec<String>,
}

/// A known mitigation of a finding without a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mitigation {
    /// The advisory.
    pub advisory_id: String,
    /// The CVE listed in CISA KEV.
    pub cve_id: String,
    /// KEV's `requiredAction`.
    pub required_action: String,
}

/// One remediation recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// 1-based position in the ranking.
    pub rank: usize,
    /// A one-line instruction, e.g. `update golang.org/x/net (Go) to 0.17.0`.
    pub text: String,
    /// The action.
    pub action: ActionKind,
    /// The software's ecosystem.
    pub ecosystem: Ecosystem,
    /// The software's name (for vendor software named by several installed names, the CPE
    /// `vendor:product`).
    pub software: String,
    /// The version to move to, when one version serves every device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_version: Option<String>,
    /// For updates and upgrades, the version to move to per installed branch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// An upgrade to another branch (or, for end of support, to a successor release).
    pub major_change: bool,
    /// For [`ActionKind::EndOfSupport`], the release whose support ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_of_support: Option<Entry>,
    /// For [`ActionKind::AttentionRequired`], known mitigations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mitigations: Vec<Mitigation>,
    /// The installed versions it covers.
    pub installed_versions: Vec<String>,
    /// Advisories the action removes (for attention required: the advisories without fix).
    pub resolves: Vec<String>,
    /// Advisories of the product it leaves.
    pub remaining: Vec<String>,
    /// Per covered advisory, the fixed versions known.
    pub fixes: BTreeMap<String, Vec<String>>,
    /// Devices it covers.
    pub devices: Vec<String>,
    /// Findings it covers.
    pub findings: usize,
    /// Of those, findings of a known-exploited vulnerability (CISA KEV).
    pub known_exploited: usize,
    /// The exact drop of the organisation exposure score if the action is taken.
    pub exposure_impact: f64,
    /// The rise of the secure-configuration score (configuration changes; 0 otherwise).
    pub configuration_impact: f64,
    /// For attention required: the exact drop if its findings were mitigated; 0 otherwise.
    pub exposure_left: f64,
    /// The highest likelihood among its findings.
    pub max_likelihood: f64,
    /// The findings it covers, as indexes into the assessment's findings, sorted (not
    /// serialised: an assessment's record keeps them as its own indexes).
    #[serde(skip)]
    pub covered: Vec<usize>,
}

impl Recommendation {
    /// A recommendation of `action` on `software` with nothing covered yet, for builders of
    /// other kinds (configuration changes) to fill in and hand to [`rank`].
    ///
    /// ```
    /// use exposure::ecosystem::Ecosystem;
    /// use exposure::recommend::{rank, ActionKind, Recommendation};
    /// let mut change = Recommendation::new(
    ///     ActionKind::ConfigurationChange,
    ///     Ecosystem::Other("Windows".into()),
    ///     "SMBv1",
    ///     "disable SMBv1 on 3 devices",
    /// );
    /// change.exposure_impact = 1.5;
    /// change.configuration_impact = 4.0;
    /// let mut all = vec![change];
    /// rank(&mut all);
    /// assert_eq!(all[0].rank, 1);
    /// ```
    pub fn new(
        action: ActionKind,
        ecosystem: Ecosystem,
        software: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Recommendation {
            rank: 0,
            text: text.into(),
            action,
            ecosystem,
            software: software.into(),
            target_version: None,
            targets: Vec::new(),
            major_change: false,
            end_of_support: None,
            mitigations: Vec::new(),
            installed_versions: Vec::new(),
            resolves: Vec::new(),
            remaining: Vec::new(),
            fixes: BTreeMap::new(),
            devices: Vec::new(),
            findings: 0,
            known_exploited: 0,
            exposure_impact: 0.0,
            configuration_impact: 0.0,
            exposure_left: 0.0,
            max_likelihood: 0.0,
            covered: Vec::new(),
        }
    }

    /// A stable identifier of the recommendation across assessments: its action, ecosystem
    /// and software, `update:npm:lodash` (configuration changes: `configuration:<check id>`).
    /// Exceptions and remediation activities name recommendations by it.
    ///
    /// ```
    /// use exposure::ecosystem::Ecosystem;
    /// use exposure::recommend::{ActionKind, Recommendation};
    /// let r = Recommendation::new(ActionKind::Update, Ecosystem::Npm, "lodash", "update lodash (npm) to 4.17.21");
    /// assert_eq!(r.id(), "update:npm:lodash");
    /// ```
    pub fn id(&self) -> String {
        if self.action == ActionKind::ConfigurationChange {
            return format!("configuration:{}", self.software);
        }
        format!(
            "{}:{}:{}",
            self.action.name(),
            self.ecosystem,
            self.software
        )
    }

    /// The exposure it addresses, the first ranking key: the exposure impact, or for an
    /// attention-required item the exposure it leaves.
    pub fn priority(&self) -> f64 {
        self.exposure_impact.max(self.exposure_left)
    }
}

/// A finding as the recommender sees it.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The finding (software, advisory, fixes, matcher).
    pub finding: &'a Finding,
    /// Index of the device in the fleet.
    pub device: usize,
    /// Likelihood of the finding.
    pub likelihood: f64,
    /// The KEV-listed CVE of the finding, when one is.
    pub known_exploited: Option<&'a str>,
    /// KEV's required action for it, when known.
    pub required_action: Option<&'a str>,
}

/// What end-of-support recommendations need: the table, the day to judge on, and every
/// installed item (device index, software) — an ended release is reported with or without
/// findings.
#[derive(Debug, Clone)]
pub struct EndOfSupportCheck<'a> {
    /// The table.
    pub table: &'a EndOfLife,
    /// The day (`YYYY-MM-DD`).
    pub as_of: &'a str,
    /// Every software item of the fleet, with its device's index.
    pub installed: Vec<(usize, &'a Software)>,
}

/// The release line of `version` in `scheme` (see the module documentation), or `None`
/// when the scheme has one line or the version starts with no number.
///
/// ```
/// use exposure::recommend::branch;
/// use exposure::version::Scheme;
/// assert_eq!(branch(Scheme::Pypi, "1.26.12").as_deref(), Some("1"));
/// assert_eq!(branch(Scheme::Npm, "0.4.1").as_deref(), Some("0.4"));
/// assert_eq!(branch(Scheme::Golang, "v0.17.0"), None);
/// assert_eq!(branch(Scheme::Openssl, "1.0.2k").as_deref(), Some("1.0.2"));
/// assert_eq!(branch(Scheme::Openssl, "3.0.13").as_deref(), Some("3.0"));
/// assert_eq!(branch(Scheme::Deb, "2.36-9+deb12u4"), None);
/// ```
pub fn branch(scheme: Scheme, version: &str) -> Option<String> {
    if matches!(
        scheme,
        Scheme::Golang
            | Scheme::Deb
            | Scheme::Rpm
            | Scheme::Alpm
            | Scheme::Alpine
            | Scheme::Lexicographic
            | Scheme::Datetime
    ) {
        return None;
    }
    let text = version.trim().trim_start_matches(['v', 'V', '=']);
    let (epoch, text) = match text.split_once('!') {
        Some((e, rest)) if scheme == Scheme::Pypi => (format!("{e}!"), rest),
        _ => (String::new(), text),
    };
    let numbers: Vec<&str> = text
        .split(['.', '-', '+'])
        .map(|c| &c[..c.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(c.len())])
        .collect();
    let number = |i: usize| numbers.get(i).copied().filter(|n| !n.is_empty());
    let major = number(0)?;
    let line = match (scheme, major.parse::<u64>().ok()?) {
        (Scheme::Openssl, m) if m < 3 => [Some(major), number(1), number(2)]
            .iter()
            .map_while(|n| *n)
            .collect::<Vec<_>>()
            .join("."),
        (Scheme::Openssl, _) | (_, 0) => match number(1) {
            Some(minor) => format!("{major}.{minor}"),
            None => major.to_owned(),
        },
        _ => major.to_owned(),
    };
    Some(format!("{epoch}{line}"))
}

/// What fixes one advisory of a product: its package entries, or the versions its findings
/// name.
enum Fixes<'a> {
    Entries(Vec<&'a AffectedPackage>),
    /// The fixed versions of its NVD findings, and the including upper bounds (`<=V`) of
    /// those whose matched range names no fix.
    Named {
        fixed: Vec<Version>,
        last: Vec<Version>,
    },
}

struct AdvisoryFixes<'a> {
    fixes: Fixes<'a>,
    /// The fixed versions named, as text (reported in `fixes`).
    named: Vec<String>,
    /// The fixed versions parsed (the candidates it offers).
    candidates: Vec<Version>,
}

impl AdvisoryFixes<'_> {
    fn fixable(&self) -> bool {
        !self.candidates.is_empty()
    }

    /// Whether installing `candidate` leaves no finding of this advisory.
    fn fixed_by(&self, scheme: Scheme, candidate: &Version) -> bool {
        match &self.fixes {
            Fixes::Entries(entries) => entries.iter().all(|p| !affects(p, candidate)),
            Fixes::Named { fixed, last } => {
                if fixed.is_empty() && last.is_empty() {
                    return false;
                }
                let line = branch(scheme, candidate.as_str());
                let le = |x: &Version| x.try_cmp(candidate).is_ok_and(|o| o != Ordering::Greater);
                let above = |x: &Version| x.try_cmp(candidate).is_ok_and(|o| o == Ordering::Less);
                let past_fixes = fixed.is_empty()
                    || fixed
                        .iter()
                        .any(|x| line.is_some() && branch(scheme, x.as_str()) == line && le(x))
                    || fixed.iter().all(le);
                past_fixes && last.iter().all(above)
            }
        }
    }
}

/// The findings of one product, as indexes into the inputs.
struct Group<'i> {
    ecosystem: Ecosystem,
    software: String,
    members: Vec<usize>,
    inputs: &'i [Input<'i>],
}

impl Group<'_> {
    fn label(&self) -> String {
        format!("{} ({})", self.software, self.ecosystem)
    }
}

/// Everything the builder of one recommendation needs from the assessment. Covered findings
/// are passed as input indexes, sorted and distinct.
struct Scorer<'a, F> {
    inputs: &'a [Input<'a>],
    device_ids: &'a [&'a str],
    /// Device indexes in the order of their ids.
    device_order: Vec<usize>,
    /// The inputs' advisory ids, numbered.
    advisory: Numbering<'a>,
    /// The inputs' installed versions, numbered.
    version: Numbering<'a>,
    base: f64,
    exposure_without: F,
}

impl<'a, F: Fn(&[usize]) -> f64> Scorer<'a, F> {
    fn new(
        inputs: &'a [Input<'a>],
        device_ids: &'a [&'a str],
        base: f64,
        exposure_without: F,
    ) -> Self {
        let mut device_order: Vec<usize> = (0..device_ids.len()).collect();
        device_order.sort_by_key(|&d| device_ids[d]);
        Scorer {
            inputs,
            device_ids,
            device_order,
            advisory: Numbering::new(inputs.iter().map(|i| &*i.finding.advisory_id)),
            version: Numbering::new(inputs.iter().map(|i| i.finding.software.version.as_str())),
            base,
            exposure_without,
        }
    }

    /// A recommendation covering `covered` (input indexes, sorted), with its counts and
    /// impact.
    fn build(&self, group: &Group<'_>, action: ActionKind, covered: &[usize]) -> Recommendation {
        let inputs = self.inputs;
        let drop = if covered.is_empty() {
            0.0
        } else {
            (self.base - (self.exposure_without)(covered)).max(0.0)
        };
        let (exposure_impact, exposure_left) = if action == ActionKind::AttentionRequired {
            (0.0, drop)
        } else {
            (drop, 0.0)
        };
        let advisories = self.advisories(covered);
        let mut r = Recommendation::new(
            action,
            group.ecosystem.clone(),
            group.software.clone(),
            String::new(),
        );
        r.installed_versions = self.versions(covered);
        r.remaining = self
            .advisories(&group.members)
            .into_iter()
            .filter(|a| advisories.binary_search(a).is_err())
            .collect();
        r.resolves = advisories;
        r.devices = self.devices(covered);
        r.findings = covered.len();
        r.known_exploited = covered
            .iter()
            .filter(|&&i| inputs[i].known_exploited.is_some())
            .count();
        r.exposure_impact = exposure_impact;
        r.exposure_left = exposure_left;
        r.max_likelihood = covered
            .iter()
            .map(|&i| inputs[i].likelihood)
            .fold(0.0, f64::max);
        r.covered = covered.to_vec();
        r
    }

    /// The advisory ids of `findings`, sorted and distinct.
    fn advisories(&self, findings: &[usize]) -> Vec<String> {
        let of = &self.advisory.of;
        to_owned(self.advisory.distinct(findings.iter().map(|&i| of[i])))
    }

    /// The installed versions of `findings`, sorted and distinct.
    fn versions(&self, findings: &[usize]) -> Vec<String> {
        let of = &self.version.of;
        to_owned(self.version.distinct(findings.iter().map(|&i| of[i])))
    }

    /// The ids of the devices holding `findings`, sorted and distinct.
    fn devices(&self, findings: &[usize]) -> Vec<String> {
        let mut holds = vec![false; self.device_ids.len()];
        for &i in findings {
            holds[self.inputs[i].device] = true;
        }
        let mut ids: Vec<&str> = self
            .device_order
            .iter()
            .filter(|&&d| holds[d])
            .map(|&d| self.device_ids[d])
            .collect();
        ids.dedup();
        to_owned(ids)
    }
}

fn to_owned(texts: Vec<&str>) -> Vec<String> {
    texts.into_iter().map(str::to_owned).collect()
}

/// The distinct texts among `texts`, sorted. A fleet's findings repeat the same few texts
/// (advisory ids, versions) thousands of times, each repetition sharing one allocation: they
/// are told apart by address first (a sort of plain numbers), then by value.
fn distinct<'s>(texts: impl Iterator<Item = &'s str>) -> Vec<&'s str> {
    let mut texts: Vec<&str> = texts.collect();
    texts.sort_unstable_by_key(|t| (t.as_ptr() as usize, t.len()));
    texts.dedup_by_key(|t| (t.as_ptr() as usize, t.len()));
    texts.sort_unstable();
    texts.dedup();
    texts
}

/// The key a product is grouped and looked up by: vendor software by its CPE
/// `vendor:product` (its installed names carry versions and languages), packages by their
/// normalised name.
pub(crate) fn product_key(software: &Software) -> String {
    if !software.ecosystem.has_package_advisories() {
        if let Some(key) = cpe_key(software) {
            return key;
        }
    }
    software.ecosystem.normalize_name(&software.name)
}

/// `cpe:<vendor>:<product>` of the item's CPE name, when both are literal.
fn cpe_key(software: &Software) -> Option<String> {
    use crate::cpe::Attribute;
    let name = software.cpe.as_ref()?.name.value();
    let vendor = name.get(Attribute::Vendor).literal()?;
    let product = name.get(Attribute::Product).literal()?;
    Some(format!("cpe:{vendor}:{product}"))
}

/// The end-of-life entry of an installed item: by its CPE product, else by
/// `<ecosystem family>/<name>`.
pub(crate) fn eol_entry<'t>(table: &'t EndOfLife, software: &Software) -> Option<&'t Entry> {
    cpe_key(software)
        .and_then(|key| table.lookup(&key, &software.version))
        .or_else(|| {
            let family = software.ecosystem.osv_name();
            let family = family.split(':').next().unwrap_or(family);
            table.lookup(&format!("{family}/{}", software.name), &software.version)
        })
}

/// Builds and ranks recommendations. `exposure_without` gives the organisation score after
/// removing the findings whose indexes (into `inputs`, sorted and distinct) it is passed;
/// `base` is the score now. `end_of_support` enables end-of-support recommendations (see
/// [`EndOfSupportCheck`]).
pub fn recommend(
    kb: &KnowledgeBase,
    inputs: &[Input<'_>],
    device_ids: &[&str],
    base: f64,
    end_of_support: Option<&EndOfSupportCheck<'_>>,
    exposure_without: impl Fn(&[usize]) -> f64,
) -> Vec<Recommendation> {
    // Findings share their software items (a fleet of 10,000 devices has a few thousand
    // distinct ones): each item's product key is built once, found again by its address.
    type Keyed<'s> = ((Ecosystem, String), Vec<usize>, Vec<&'s str>);
    let mut group_of_item: HashMap<usize, usize, BuildAddressHasher> = HashMap::default();
    let mut index_of_key: HashMap<(Ecosystem, String), usize> = HashMap::new();
    let mut keyed: Vec<Keyed<'_>> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let software = &input.finding.software;
        let group = *group_of_item
            .entry(std::sync::Arc::as_ptr(software) as usize)
            .or_insert_with(|| {
                let key = (software.ecosystem.clone(), product_key(software));
                let group = *index_of_key.entry(key.clone()).or_insert_with(|| {
                    keyed.push((key, Vec::new(), Vec::new()));
                    keyed.len() - 1
                });
                keyed[group].2.push(software.name.as_str());
                group
            });
        keyed[group].1.push(i);
    }
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let scorer = Scorer::new(inputs, device_ids, base, exposure_without);
    let mut names: HashMap<(Ecosystem, String), String> = HashMap::new();
    let mut out = Vec::new();
    for ((ecosystem, key), members, names_installed) in keyed {
        let names_installed = distinct(names_installed.into_iter());
        let software = if let [only] = names_installed[..] {
            only.to_owned()
        } else {
            key.trim_start_matches("cpe:").to_owned()
        };
        names.insert((ecosystem.clone(), key), software.clone());
        let group = Group {
            ecosystem,
            software,
            members,
            inputs,
        };
        out.extend(for_product(kb, &group, &scorer));
    }
    if let Some(check) = end_of_support {
        out.extend(end_of_support_recommendations(check, &names, &scorer));
    }
    rank(&mut out);
    out
}

/// A score rounded to 1e-9: impacts equal but for the order of floating-point operations
/// are a tie, broken by the next keys (names last), never by the last bits of a sum.
#[allow(clippy::cast_possible_truncation)] // scores are at most 100: 1e11 fits an i64
fn nano(score: f64) -> i64 {
    (score * 1e9).round() as i64
}

/// Ranks recommendations of every kind (configuration changes built elsewhere included) and
/// numbers them from 1: by [`Recommendation::priority`], then known-exploited findings, then
/// the configuration impact, the highest likelihood, devices, software, ecosystem, kind and
/// text.
pub fn rank(recommendations: &mut [Recommendation]) {
    // Rounded scores, then names: a total order, so the standard sort is safe here.
    recommendations.sort_by(|a, b| ranking(a, a.devices.len(), b, b.devices.len()));
    for (i, r) in recommendations.iter_mut().enumerate() {
        r.rank = i + 1;
    }
}

/// The order of [`rank`], for recommendations covering `a_devices` and `b_devices` devices
/// (a streamed fleet's recommendations count their devices without listing them).
pub(crate) fn ranking(
    a: &Recommendation,
    a_devices: usize,
    b: &Recommendation,
    b_devices: usize,
) -> Ordering {
    nano(b.priority())
        .cmp(&nano(a.priority()))
        .then_with(|| b.known_exploited.cmp(&a.known_exploited))
        .then_with(|| nano(b.configuration_impact).cmp(&nano(a.configuration_impact)))
        .then_with(|| nano(b.max_likelihood).cmp(&nano(a.max_likelihood)))
        .then_with(|| b_devices.cmp(&a_devices))
        .then_with(|| a.software.cmp(&b.software))
        .then_with(|| a.ecosystem.cmp(&b.ecosystem))
        .then_with(|| a.action.cmp(&b.action))
        .then_with(|| a.text.cmp(&b.text))
}

/// The fixes of every advisory of a product, by advisory number.
fn advisory_fixes<'k, F>(
    kb: &'k KnowledgeBase,
    group: &Group<'_>,
    scheme: Scheme,
    scorer: &Scorer<'_, F>,
) -> BTreeMap<usize, AdvisoryFixes<'k>> {
    let inputs = group.inputs;
    let mut by_advisory: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &group.members {
        by_advisory
            .entry(scorer.advisory.of[i])
            .or_default()
            .push(i);
    }
    let first = &inputs[group.members[0]].finding.software;
    // The product's package entries by advisory, read once for all its advisories.
    let mut entries_of: HashMap<&str, Vec<&AffectedPackage>> = HashMap::new();
    let mut entries_read = false;
    by_advisory
        .into_iter()
        .map(|(number, members)| {
            let id = scorer.advisory.texts[number];
            let from_package = members
                .iter()
                .all(|&i| inputs[i].finding.evidence.matcher == Matcher::OsvPackage);
            if from_package && !entries_read {
                entries_read = true;
                for (advisory, package) in kb.affecting(&first.ecosystem, &first.name) {
                    entries_of.entry(&*advisory.id).or_default().push(package);
                }
            }
            let entries: Vec<&AffectedPackage> = if from_package {
                entries_of.get(id).cloned().unwrap_or_default()
            } else {
                Vec::new()
            };
            let mut named: Vec<String> = if entries.is_empty() {
                members
                    .iter()
                    .flat_map(|&i| {
                        let f = inputs[i].finding;
                        f.fixed_versions
                            .iter()
                            .map(String::as_str)
                            .chain(f.fix.as_deref())
                    })
                    .map(str::to_owned)
                    .collect()
            } else {
                entries
                    .iter()
                    .flat_map(|p| {
                        p.ranges
                            .iter()
                            .flat_map(crate::kb::AffectedRange::fixed_versions)
                    })
                    .map(str::to_owned)
                    .collect()
            };
            let mut seen = BTreeSet::new();
            named.retain(|v| seen.insert(v.clone()));
            let candidates: Vec<Version> = named
                .iter()
                .filter_map(|v| Version::parse_advisory(scheme, v).ok())
                .collect();
            let fixes = if entries.is_empty() {
                // The including upper bound of a matched NVD range (`<=56.0.2`, as the
                // evidence states it): past it, that range no longer holds.
                let last = members
                    .iter()
                    .filter(|&&i| inputs[i].finding.evidence.matcher != Matcher::OsvPackage)
                    .filter_map(|&i| inputs[i].finding.evidence.range.clone())
                    .flat_map(|range| {
                        range
                            .split(',')
                            .filter_map(|part| part.trim().strip_prefix("<="))
                            .filter_map(|v| Version::parse_advisory(scheme, v.trim()).ok())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                Fixes::Named {
                    fixed: candidates.clone(),
                    last,
                }
            } else {
                Fixes::Entries(entries)
            };
            (
                number,
                AdvisoryFixes {
                    fixes,
                    named,
                    candidates,
                },
            )
        })
        .collect()
}

/// One step chosen for a branch: the version and the advisories it fixes (by number).
struct Step {
    version: Version,
    fixes: BTreeSet<usize>,
}

/// Among `candidates` (sorted), the smallest that fixes the most of `wanted`, if it fixes any.
fn best_step<'c>(
    scheme: Scheme,
    candidates: impl Iterator<Item = &'c Version>,
    wanted: &BTreeSet<usize>,
    fixes: &BTreeMap<usize, AdvisoryFixes<'_>>,
) -> Option<Step> {
    let mut best: Option<Step> = None;
    for candidate in candidates {
        let fixed: BTreeSet<usize> = wanted
            .iter()
            .copied()
            .filter(|id| fixes[id].fixed_by(scheme, candidate))
            .collect();
        if !fixed.is_empty() && best.as_ref().is_none_or(|b| fixed.len() > b.fixes.len()) {
            let all = fixed.len() == wanted.len();
            best = Some(Step {
                version: candidate.clone(),
                fixes: fixed,
            });
            if all {
                break;
            }
        }
    }
    best
}

/// A product's findings by branch of their installed version: the branches in order, each
/// with its members (input indexes, in order) and the numbers of its installed versions.
fn by_branch<F>(
    group: &Group<'_>,
    scheme: Scheme,
    scorer: &Scorer<'_, F>,
) -> Vec<(Option<String>, Vec<usize>, Vec<usize>)> {
    let version_of = &scorer.version.of;
    // Each distinct installed version's branch once (a product's findings repeat a few
    // versions over thousands of devices).
    let mut versions: Vec<usize> = group.members.iter().map(|&i| version_of[i]).collect();
    versions.sort_unstable();
    versions.dedup();
    let lines_of_versions: Vec<Option<String>> = versions
        .iter()
        .map(|&v| branch(scheme, scorer.version.texts[v]))
        .collect();
    let mut lines = lines_of_versions.clone();
    lines.sort();
    lines.dedup();
    let line_of_version: Vec<usize> = lines_of_versions
        .iter()
        .map(|l| lines.binary_search(l).unwrap_or(0))
        .collect();
    let mut out: Vec<(Option<String>, Vec<usize>, Vec<usize>)> = lines
        .into_iter()
        .map(|line| (line, Vec::new(), Vec::new()))
        .collect();
    for (k, &v) in versions.iter().enumerate() {
        out[line_of_version[k]].2.push(v);
    }
    for &i in &group.members {
        let k = versions.binary_search(&version_of[i]).unwrap_or(0);
        out[line_of_version[k]].1.push(i);
    }
    out
}

/// The update, upgrade and attention-required recommendations of one product.
#[allow(clippy::too_many_lines)] // one pass per branch; splitting scatters its state
fn for_product<F: Fn(&[usize]) -> f64>(
    kb: &KnowledgeBase,
    group: &Group<'_>,
    scorer: &Scorer<'_, F>,
) -> Vec<Recommendation> {
    let inputs = group.inputs;
    let advisory_of = &scorer.advisory.of;
    let scheme = group.ecosystem.scheme().unwrap_or(Scheme::Generic);
    let fixes = advisory_fixes(kb, group, scheme, scorer);
    // (kind, branch, step, members it covers)
    let mut steps: Vec<(ActionKind, String, Step, Vec<usize>)> = Vec::new();
    for (line, members, versions) in &by_branch(group, scheme, scorer) {
        // The newest installed version of the branch (versions in text order, as before).
        let floor = versions
            .iter()
            .filter_map(|&v| Version::parse_advisory(scheme, scorer.version.texts[v]).ok())
            .max_by(|a, b| a.try_cmp(b).unwrap_or(Ordering::Equal));
        let advisories: BTreeSet<usize> = members.iter().map(|&i| advisory_of[i]).collect();
        let wanted: BTreeSet<usize> = advisories
            .iter()
            .copied()
            .filter(|id| fixes[id].fixable())
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let mut candidates: Vec<Version> = wanted
            .iter()
            .flat_map(|id| fixes[id].candidates.iter().cloned())
            .filter(|c| {
                floor
                    .as_ref()
                    .is_none_or(|f| c.try_cmp(f).is_ok_and(|o| o == Ordering::Greater))
            })
            .collect();
        crate::order::sort_by_tolerant(&mut candidates, |a, b| {
            a.try_cmp(b).unwrap_or(Ordering::Equal)
        });
        candidates.dedup();
        let on_line = |c: &&Version| branch(scheme, c.as_str()) == *line;
        let shown = line.clone().unwrap_or_else(|| "*".to_owned());
        let covered = |fixed: &BTreeSet<usize>| -> Vec<usize> {
            members
                .iter()
                .copied()
                .filter(|&i| fixed.contains(&advisory_of[i]))
                .collect()
        };
        // Advisories that name no fix are resolved too by a step past every version they
        // affect (an OSV entry judged by its ranges, an NVD range `<=V` by its bound).
        let unfixed: Vec<usize> = advisories
            .iter()
            .copied()
            .filter(|id| !fixes[id].fixable())
            .collect();
        let absorb = |step: &mut Step| {
            for id in &unfixed {
                if fixes[id].fixed_by(scheme, &step.version) {
                    step.fixes.insert(*id);
                }
            }
        };
        let mut rest = wanted.clone();
        if let Some(mut step) =
            best_step(scheme, candidates.iter().filter(on_line), &wanted, &fixes)
        {
            rest.retain(|id| !step.fixes.contains(id));
            absorb(&mut step);
            let members = covered(&step.fixes);
            steps.push((ActionKind::Update, shown.clone(), step, members));
        }
        if !rest.is_empty() {
            let off_line = candidates.iter().filter(|c| !on_line(c));
            if let Some(mut step) = best_step(scheme, off_line, &rest, &fixes) {
                // Chosen for what the branch leaves, the upgrade's version also removes what
                // the update fixes when it is past that: it covers every finding the move
                // removes, so its impact is that of taking it (issue 13's property).
                let also: Vec<usize> = wanted
                    .iter()
                    .copied()
                    .filter(|id| fixes[id].fixed_by(scheme, &step.version))
                    .collect();
                step.fixes.extend(also);
                absorb(&mut step);
                let members = covered(&step.fixes);
                steps.push((ActionKind::Upgrade, shown, step, members));
            }
        }
    }
    let mut out = Vec::new();
    for kind in [ActionKind::Update, ActionKind::Upgrade] {
        let chosen: Vec<&(ActionKind, String, Step, Vec<usize>)> =
            steps.iter().filter(|s| s.0 == kind).collect();
        if chosen.is_empty() {
            continue;
        }
        let mut covered: Vec<usize> = chosen.iter().flat_map(|s| s.3.iter().copied()).collect();
        covered.sort_unstable();
        covered.dedup();
        let mut r = scorer.build(group, kind, &covered);
        r.targets = chosen
            .iter()
            .map(|(_, line, step, members)| Target {
                branch: line.clone(),
                version: step.version.to_string(),
                installed_versions: scorer.versions(members),
                devices: scorer.devices(members),
                resolves: step
                    .fixes
                    .iter()
                    .map(|&n| scorer.advisory.texts[n].to_owned())
                    .collect(),
            })
            .collect();
        let versions: BTreeSet<&str> = r.targets.iter().map(|t| t.version.as_str()).collect();
        if versions.len() == 1 {
            r.target_version = versions.iter().next().map(|v| (*v).to_owned());
        }
        r.major_change = kind == ActionKind::Upgrade;
        r.fixes = r
            .resolves
            .iter()
            .filter_map(|id| {
                let named = &fixes.get(&scorer.advisory.find(id)?)?.named;
                Some((id.clone(), named.clone()))
            })
            .collect();
        let label = group.label();
        let line = |t: &Target| {
            if t.branch == "*" {
                String::new()
            } else {
                format!("{}.x", t.branch)
            }
        };
        r.text = match (kind, r.targets.as_slice()) {
            (ActionKind::Update, [t]) => format!("update {label} to {}", t.version),
            (ActionKind::Update, targets) => {
                let each: Vec<String> = targets
                    .iter()
                    .map(|t| format!("{} on {}", t.version, line(t)))
                    .collect();
                format!("update {label} to {}", each.join(", "))
            }
            (_, targets) => {
                let each: Vec<String> = targets
                    .iter()
                    .map(|t| format!("from {} to {}", line(t), t.version))
                    .collect();
                format!(
                    "upgrade {label} {} (major change: no fix on the installed branch)",
                    each.join(", ")
                )
            }
        };
        out.push(r);
    }
    // Findings no version fixes (and no chosen step gets past).
    let mut stepped: Vec<usize> = steps.iter().flat_map(|s| s.3.iter().copied()).collect();
    stepped.sort_unstable();
    stepped.dedup();
    let unfixable: Vec<usize> = group
        .members
        .iter()
        .copied()
        .filter(|&i| !fixes[&advisory_of[i]].fixable() && stepped.binary_search(&i).is_err())
        .collect();
    if !unfixable.is_empty() {
        let mut r = scorer.build(group, ActionKind::AttentionRequired, &unfixable);
        let mut mitigations: BTreeMap<(String, String), String> = BTreeMap::new();
        for &i in &unfixable {
            if let (Some(cve), Some(action)) =
                (inputs[i].known_exploited, inputs[i].required_action)
            {
                mitigations
                    .entry((inputs[i].finding.advisory_id.to_string(), cve.to_owned()))
                    .or_insert_with(|| action.to_owned());
            }
        }
        r.mitigations = mitigations
            .into_iter()
            .map(|((advisory_id, cve_id), required_action)| Mitigation {
                advisory_id,
                cve_id,
                required_action,
            })
            .collect();
        let n = r.resolves.len();
        let plural = if n == 1 { "y" } else { "ies" };
        r.text = format!(
            "attention required: no fix for {n} vulnerabilit{plural} of {}: mitigate, isolate or remove it",
            group.label()
        );
        if !r.mitigations.is_empty() {
            let n = r.mitigations.len();
            r.text = format!("{}; {n} known exploited, see the mitigations", r.text);
        }
        out.push(r);
    }
    out
}

/// One recommendation per product with an installed release whose support had ended on
/// `as_of`, covering every finding of the ended items.
fn end_of_support_recommendations<F: Fn(&[usize]) -> f64>(
    check: &EndOfSupportCheck<'_>,
    names: &HashMap<(Ecosystem, String), String>,
    scorer: &Scorer<'_, F>,
) -> Vec<Recommendation> {
    type Ended<'e> = (
        &'e Entry,
        BTreeSet<usize>,
        BTreeSet<String>,
        BTreeSet<usize>,
    );
    let inputs = scorer.inputs;
    // Findings by (device, ecosystem, name, version).
    let mut on_item: HashMap<(usize, &Ecosystem, &str, &str), Vec<usize>> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        let s = &input.finding.software;
        on_item
            .entry((
                input.device,
                &s.ecosystem,
                s.name.as_str(),
                s.version.as_str(),
            ))
            .or_default()
            .push(i);
    }
    // (ecosystem, product key) → (entry, devices, versions, covered findings)
    let mut ended: BTreeMap<(Ecosystem, String), Ended<'_>> = BTreeMap::new();
    // Items are shared between devices (`Fleet::share_software`): each is looked up once.
    let mut looked_up: HashMap<*const Software, Option<&Entry>> = HashMap::new();
    for &(device, software) in &check.installed {
        let found = *looked_up
            .entry(std::ptr::from_ref(software))
            .or_insert_with(|| eol_entry(check.table, software).filter(|e| e.ended(check.as_of)));
        let Some(entry) = found else {
            continue;
        };
        let slot = ended
            .entry((software.ecosystem.clone(), product_key(software)))
            .or_insert_with(|| (entry, BTreeSet::new(), BTreeSet::new(), BTreeSet::new()));
        slot.1.insert(device);
        slot.2.insert(software.version.clone());
        let key = (
            device,
            &software.ecosystem,
            software.name.as_str(),
            software.version.as_str(),
        );
        slot.3
            .extend(on_item.get(&key).into_iter().flatten().copied());
    }
    ended
        .into_iter()
        .map(|((ecosystem, key), (entry, devices, versions, covered))| {
            let software = names
                .get(&(ecosystem.clone(), key.clone()))
                .cloned()
                .unwrap_or_else(|| {
                    check
                        .installed
                        .iter()
                        .find(|(_, s)| s.ecosystem == ecosystem && product_key(s) == key)
                        .map_or(key.clone(), |(_, s)| s.name.clone())
                });
            let covered: Vec<usize> = covered.into_iter().collect();
            let group = Group {
                ecosystem,
                software,
                members: covered.clone(),
                inputs,
            };
            let mut r = scorer.build(&group, ActionKind::EndOfSupport, &covered);
            r.remaining.clear();
            r.devices = devices
                .iter()
                .map(|&d| scorer.device_ids[d].to_owned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            r.installed_versions = versions.into_iter().collect();
            r.major_change = true;
            let versions = r.installed_versions.join(", ");
            r.text = if entry.successor == "uninstall" || entry.successor == "-" {
                format!(
                    "uninstall end-of-support {} {versions}: support ended {}",
                    group.label(),
                    entry.end
                )
            } else {
                format!(
                    "upgrade end-of-support {} {versions} to {}: support ended {}",
                    group.label(),
                    entry.successor,
                    entry.end
                )
            };
            r.end_of_support = Some(entry.clone());
            r
        })
        .collect()
}

/// Whether `package` may affect `candidate` ([`crate::kb::Verdict::possibly_affected`]): a
/// range that cannot judge it counts as affecting, so a recommendation is never made on a
/// guess.
fn affects(package: &AffectedPackage, candidate: &Version) -> bool {
    package
        .affects(&mut AnyScheme::new(candidate.as_str()))
        .possibly_affected()
}

#[cfg(test)]
mod tests;
