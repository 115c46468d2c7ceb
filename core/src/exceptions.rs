//! Exceptions, with Microsoft Defender TVM's semantics: a reviewed decision that a
//! recommendation, a vulnerability or a software product is dealt with otherwise, for every
//! device or for listed device groups, until a date.
//!
//! An [`ExceptionSet`] is read from a reviewable file ([`ExceptionSet::from_text`], JSON or
//! YAML):
//!
//! ```yaml
//! format: exposure-exceptions/1
//! exceptions:
//!   - id: EXC-1
//!     scope: {vulnerability: CVE-2021-23337}      # or {recommendation: update:npm:lodash},
//!     groups: [production]                        # {software: {ecosystem: npm, name: lodash}},
//!     justification: alternate_mitigation         # {software: {cpe: "vendor:product"}}
//!     requester: alice@example.com
//!     reason: the template engine never sees user input
//!     created: 2026-11-01
//!     expires: 2027-02-01
//! ```
//!
//! and applied by the engine ([`crate::Engine::set_exceptions`],
//! [`crate::engine::AssessOptions`], [`crate::assess::AssessInputs::exceptions`]):
//!
//! - An exception is **in force** when the assessment's as-of day is on or before its
//!   `expires` day (an exception without `expires` is always in force). Without an as-of day
//!   an exception that expires cannot be judged: it does not apply (fail closed) and is
//!   reported [`ExceptionStatus::NotJudged`]. An expired one stops applying by itself and is
//!   reported [`ExceptionStatus::Expired`].
//! - `third_party_control` and `alternate_mitigation` ([`Justification::removes_findings`])
//!   remove the findings in scope, as a VEX `not_affected` statement would: they are listed in
//!   the assessment's `suppressed` with the exception, left out of scores and
//!   recommendations.
//! - `risk_accepted`, `planned_remediation` and `no_patch_available` keep the findings in the
//!   scores and hide the recommendations whose covered findings are all in the scope of such
//!   exceptions (or that an exception names): they move to the assessment's
//!   `excepted_recommendations`, and the rest are ranked again from 1.
//! - Every exception is reported in the assessment's `exceptions` ([`ExceptionOutcome`]):
//!   applied, expired, not judged, or in force but matching nothing
//!   ([`ExceptionStatus::NotMatched`]: naming an unknown recommendation, a vulnerability no
//!   finding has).
//!
//! A finding is in an exception's scope when its device is in one of the exception's groups
//! (any device when none are listed) and: its advisory id or an alias is the vulnerability
//! (any case); or its software is the product (same ecosystem, names equal after the
//! ecosystem's normalisation; or the software's CPE name has that vendor and product); or it
//! is covered by the named recommendation ([`crate::recommend::Recommendation::id`]).
//!
//! Exceptions export as OpenVEX and CycloneDX VEX ([`ExceptionSet::to_openvex`],
//! [`ExceptionSet::to_cyclonedx`]); read back into a knowledge base, the export suppresses
//! the same findings the removing exceptions removed.

mod apply;
mod parse;
mod vex_export;

#[cfg(test)]
mod tests;

pub(crate) use apply::apply;
pub use parse::{ExceptionError, ExceptionErrorKind};
pub use vex_export::{Unexpressed, VexExport};

use crate::date::Date;
use crate::ecosystem::Ecosystem;
use crate::recommend::Recommendation;
use serde::Serialize;

/// The `format` a set file declares.
pub const FORMAT: &str = "exposure-exceptions/1";

/// Why an exception was granted (Defender's justifications).
///
/// ```
/// use exposure::exceptions::Justification;
/// let j = Justification::from_name("risk_accepted").unwrap();
/// assert_eq!(j.name(), "risk_accepted");
/// assert!(!j.removes_findings());
/// assert!(Justification::ThirdPartyControl.removes_findings());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    /// A third-party product or control covers the vulnerability: findings removed.
    ThirdPartyControl,
    /// Another mitigation is in place: findings removed.
    AlternateMitigation,
    /// The risk is accepted: findings kept, recommendation hidden.
    RiskAccepted,
    /// Remediation is planned: findings kept, recommendation hidden.
    PlannedRemediation,
    /// No patch exists: findings kept, recommendation hidden.
    NoPatchAvailable,
}

impl Justification {
    /// Every justification, in file order.
    pub const ALL: [Justification; 5] = [
        Justification::ThirdPartyControl,
        Justification::AlternateMitigation,
        Justification::RiskAccepted,
        Justification::PlannedRemediation,
        Justification::NoPatchAvailable,
    ];

    /// The name a file writes (`third_party_control`, …).
    ///
    /// ```
    /// assert_eq!(exposure::exceptions::Justification::NoPatchAvailable.name(), "no_patch_available");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Justification::ThirdPartyControl => "third_party_control",
            Justification::AlternateMitigation => "alternate_mitigation",
            Justification::RiskAccepted => "risk_accepted",
            Justification::PlannedRemediation => "planned_remediation",
            Justification::NoPatchAvailable => "no_patch_available",
        }
    }

    /// The justification a file names, `None` for an unknown name.
    ///
    /// ```
    /// use exposure::exceptions::Justification;
    /// assert_eq!(Justification::from_name("planned_remediation"), Some(Justification::PlannedRemediation));
    /// assert_eq!(Justification::from_name("because"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Justification> {
        Self::ALL.into_iter().find(|j| j.name() == name)
    }

    /// Whether the findings in scope leave the scores (third-party control, alternate
    /// mitigation); the others keep them and hide the recommendation.
    ///
    /// ```
    /// assert!(exposure::exceptions::Justification::AlternateMitigation.removes_findings());
    /// ```
    pub fn removes_findings(self) -> bool {
        matches!(
            self,
            Justification::ThirdPartyControl | Justification::AlternateMitigation
        )
    }
}

/// A software product an exception names.
///
/// ```
/// use exposure::exceptions::{ExceptionSet, Product, Scope};
/// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
///   {"id": "a", "scope": {"software": {"ecosystem": "npm", "name": "lodash"}}, "justification": "risk_accepted",
///    "requester": "r", "reason": "x", "created": "2026-01-01"},
///   {"id": "b", "scope": {"software": {"cpe": "openbsd:openssh"}}, "justification": "risk_accepted",
///    "requester": "r", "reason": "x", "created": "2026-01-01"}]}"#, "inline")?;
/// assert!(matches!(&set.exceptions()[0].scope, Scope::Software(Product::Package { name, .. }) if name == "lodash"));
/// assert!(matches!(&set.exceptions()[1].scope, Scope::Software(Product::Cpe { vendor, product }) if vendor == "openbsd" && product == "openssh"));
/// # Ok::<(), exposure::exceptions::ExceptionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Product {
    /// A package of an ecosystem, matched by the ecosystem's name normalisation.
    Package {
        /// The ecosystem (OSV name, any case).
        ecosystem: Ecosystem,
        /// The package name.
        name: String,
    },
    /// Vendor software by its CPE vendor and product (lower case).
    Cpe {
        /// The CPE vendor.
        vendor: String,
        /// The CPE product.
        product: String,
    },
}

/// What an exception is about.
///
/// ```
/// use exposure::exceptions::{ExceptionSet, Scope};
/// let set = ExceptionSet::from_text("format: exposure-exceptions/1\nexceptions:\n- {id: a, scope: {recommendation: 'update:npm:lodash'}, justification: planned_remediation, requester: r, reason: x, created: 2026-01-01}\n", "inline.yaml")?;
/// assert_eq!(set.exceptions()[0].scope, Scope::Recommendation("update:npm:lodash".into()));
/// # Ok::<(), exposure::exceptions::ExceptionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// A recommendation by its stable id ([`Recommendation::id`]).
    Recommendation(String),
    /// A CVE or advisory id, matched against a finding's advisory id and aliases, any case.
    Vulnerability(String),
    /// A software product.
    Software(Product),
}

/// One exception.
///
/// ```
/// use exposure::exceptions::{ExceptionSet, Justification};
/// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
///   {"id": "EXC-1", "scope": {"vulnerability": "CVE-2021-23337"}, "groups": ["production"],
///    "justification": "alternate_mitigation", "requester": "alice", "reason": "no user templates",
///    "created": "2026-11-01", "expires": "2027-02-01"}]}"#, "inline")?;
/// let e = &set.exceptions()[0];
/// assert_eq!((e.id.as_str(), e.justification), ("EXC-1", Justification::AlternateMitigation));
/// assert_eq!(e.groups, ["production"]);
/// assert_eq!(e.expires.map(|d| d.to_string()).as_deref(), Some("2027-02-01"));
/// # Ok::<(), exposure::exceptions::ExceptionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exception {
    /// Its id, unique in its set.
    pub id: String,
    /// What it is about.
    pub scope: Scope,
    /// The device groups it is limited to; empty: every device.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Why it was granted.
    pub justification: Justification,
    /// Who asked for it.
    pub requester: String,
    /// The reason, in the requester's words.
    pub reason: String,
    /// The day it was created.
    pub created: Date,
    /// The last day it applies, when it expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
}

impl Exception {
    /// Whether the exception is in force on `as_of`, or why not: in force on or before its
    /// `expires` day; without an as-of day one that expires cannot be judged.
    ///
    /// ```
    /// use exposure::exceptions::{ExceptionSet, ExceptionStatus};
    /// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
    ///   {"id": "a", "scope": {"vulnerability": "CVE-1"}, "justification": "risk_accepted",
    ///    "requester": "r", "reason": "x", "created": "2026-01-01", "expires": "2026-06-30"}]}"#, "inline")?;
    /// let e = &set.exceptions()[0];
    /// assert_eq!(e.in_force(Some("2026-06-30".parse()?)), Ok(()));
    /// assert_eq!(e.in_force(Some("2026-07-01".parse()?)), Err(ExceptionStatus::Expired));
    /// assert_eq!(e.in_force(None), Err(ExceptionStatus::NotJudged));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn in_force(&self, as_of: Option<Date>) -> Result<(), ExceptionStatus> {
        match (self.expires, as_of) {
            (None, _) => Ok(()),
            (Some(_), None) => Err(ExceptionStatus::NotJudged),
            (Some(expires), Some(day)) if day <= expires => Ok(()),
            (Some(_), Some(_)) => Err(ExceptionStatus::Expired),
        }
    }
}

/// A set of exceptions with unique ids, as a file holds them.
///
/// ```
/// use exposure::exceptions::ExceptionSet;
/// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": []}"#, "inline")?;
/// assert!(set.is_empty());
/// # Ok::<(), exposure::exceptions::ExceptionError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExceptionSet {
    /// Always [`FORMAT`].
    format: &'static str,
    exceptions: Vec<Exception>,
}

impl ExceptionSet {
    /// A set of `exceptions`, checked as a file's are (unique non-empty ids, expiry not
    /// before creation).
    ///
    /// ```
    /// use exposure::exceptions::ExceptionSet;
    /// let one = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
    ///   {"id": "a", "scope": {"vulnerability": "CVE-1"}, "justification": "risk_accepted",
    ///    "requester": "r", "reason": "x", "created": "2026-01-01"}]}"#, "inline")?;
    /// let twice = [one.exceptions(), one.exceptions()].concat();
    /// assert!(ExceptionSet::new(twice).is_err()); // duplicate id
    /// # Ok::<(), exposure::exceptions::ExceptionError>(())
    /// ```
    pub fn new(exceptions: Vec<Exception>) -> Result<Self, ExceptionError> {
        parse::check_set(&exceptions, "exceptions")?;
        Ok(ExceptionSet {
            format: FORMAT,
            exceptions,
        })
    }

    /// The exceptions, in file order.
    pub fn exceptions(&self) -> &[Exception] {
        &self.exceptions
    }

    /// The number of exceptions.
    pub fn len(&self) -> usize {
        self.exceptions.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.exceptions.is_empty()
    }

    /// The exception with this id.
    ///
    /// ```
    /// let set = exposure::exceptions::ExceptionSet::default();
    /// assert!(set.get("EXC-1").is_none());
    /// ```
    pub fn get(&self, id: &str) -> Option<&Exception> {
        self.exceptions.iter().find(|e| e.id == id)
    }
}

/// What became of one exception in an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionStatus {
    /// In force, and it matched findings or a recommendation.
    Applied,
    /// Its expiry day is before the assessment's as-of day: it no longer applies.
    Expired,
    /// It expires, and the assessment has no as-of day: it does not apply (fail closed).
    NotJudged,
    /// In force, but nothing is in its scope (an unknown recommendation, a vulnerability or
    /// product no finding has, groups no device is in).
    NotMatched,
}

impl ExceptionStatus {
    /// The name the assessment writes (`applied`, `expired`, `not_judged`, `not_matched`).
    ///
    /// ```
    /// assert_eq!(exposure::exceptions::ExceptionStatus::NotJudged.name(), "not_judged");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ExceptionStatus::Applied => "applied",
            ExceptionStatus::Expired => "expired",
            ExceptionStatus::NotJudged => "not_judged",
            ExceptionStatus::NotMatched => "not_matched",
        }
    }
}

/// One exception as an assessment reports it.
///
/// ```
/// use exposure::exceptions::{ExceptionSet, ExceptionStatus};
/// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
///   {"id": "a", "scope": {"vulnerability": "CVE-2021-23337"}, "justification": "third_party_control",
///    "requester": "r", "reason": "WAF rule", "created": "2026-01-01"}]}"#, "inline")?;
/// let mut engine = exposure::Engine::demo();
/// engine.set_exceptions(Some(set));
/// let a = engine.assess(&exposure::demo::fleet());
/// assert_eq!(a.exceptions[0].status, ExceptionStatus::Applied);
/// assert_eq!(a.exceptions[0].findings_removed, 1);
/// # Ok::<(), exposure::exceptions::ExceptionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionOutcome {
    /// The exception's id.
    pub id: String,
    /// Its justification.
    pub justification: Justification,
    /// What became of it.
    pub status: ExceptionStatus,
    /// Its expiry day, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// Findings it removed from the scores (listed in the assessment's `suppressed`).
    pub findings_removed: usize,
    /// Findings in its scope that stay in the scores (the hiding justifications).
    pub findings_kept: usize,
    /// Ids of the recommendations it hid (in `excepted_recommendations`).
    pub recommendations_hidden: Vec<String>,
    /// The devices of the findings in its scope, sorted.
    pub devices: Vec<String>,
    /// The kept findings in its scope, as indexes into the assessment's findings, sorted
    /// (not serialised, as [`Recommendation::covered`]).
    #[serde(skip)]
    pub covered: Vec<usize>,
}

/// A recommendation an exception hid from the to-do list.
///
/// ```
/// use exposure::exceptions::ExceptionSet;
/// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
///   {"id": "a", "scope": {"software": {"ecosystem": "npm", "name": "lodash"}}, "justification": "planned_remediation",
///    "requester": "r", "reason": "next sprint", "created": "2026-01-01"}]}"#, "inline")?;
/// let mut engine = exposure::Engine::demo();
/// engine.set_exceptions(Some(set));
/// let a = engine.assess(&exposure::demo::fleet());
/// assert_eq!(a.excepted_recommendations[0].recommendation.id(), "update:npm:lodash");
/// assert_eq!(a.excepted_recommendations[0].exceptions, ["a"]);
/// assert!(a.recommendations.iter().all(|r| r.id() != "update:npm:lodash"));
/// # Ok::<(), exposure::exceptions::ExceptionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExceptedRecommendation {
    /// The exceptions that hid it.
    pub exceptions: Vec<String>,
    /// The recommendation, with the rank it had before it was hidden.
    #[serde(flatten)]
    pub recommendation: Recommendation,
}

/// The exception that removed a finding, as a suppression names it.
///
/// ```
/// use exposure::exceptions::{ExceptionSet, Justification};
/// let set = ExceptionSet::from_text(r#"{"format": "exposure-exceptions/1", "exceptions": [
///   {"id": "a", "scope": {"vulnerability": "CVE-2021-23337"}, "justification": "third_party_control",
///    "requester": "r", "reason": "WAF rule", "created": "2026-01-01"}]}"#, "inline")?;
/// let mut engine = exposure::Engine::demo();
/// engine.set_exceptions(Some(set));
/// let a = engine.assess(&exposure::demo::fleet());
/// let by = a.suppressed[0].exception.as_ref().unwrap();
/// assert_eq!((by.id.as_str(), by.justification), ("a", Justification::ThirdPartyControl));
/// # Ok::<(), exposure::exceptions::ExceptionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptedBy {
    /// The exception's id.
    pub id: String,
    /// Its justification (one that removes findings).
    pub justification: Justification,
}
