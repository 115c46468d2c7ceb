//! A finding's likelihood `L` in [0, 1] — the chance that it is exploited against this device
//! soon — and the rules that set it, in the order they apply:
//!
//! 1. **base**: the EPSS probability of the record's CVE when one is loaded (the highest
//!    among its CVEs); otherwise the prior fitted on data for the record's exploitability
//!    class ([`crate::score::priors`]);
//! 2. **threat floors**: CISA KEV raises `L` to at least [`Parameters::kev_floor`] (known
//!    ransomware use: [`Parameters::kev_ransomware_floor`]); the vector's exploit maturity
//!    (v4 `E`, v3 and v2 temporal `E`) to its floor;
//! 3. **vendor triage**: Debian's `unimportant` and `end-of-life`, any other decision not to
//!    fix, and a disputed record multiply `L` by their factor;
//! 4. **device context**, on the odds `L / (1 − L)`: an internet-facing device multiplies the
//!    odds of network-reachable flaws; software never run, or not used for a long time,
//!    divides them;
//! 5. **an active alert** on the device for the vulnerability sets `L` to 1.
//!
//! Every step that changed `L` is recorded ([`Likelihood::steps`]) so a score explains itself.
//! Steps 1–3 depend on the record only and are computed once per advisory
//! ([`RecordLikelihood`]); steps 4–5 per finding ([`FindingContext`]).

use crate::kb::VendorTriage;
use crate::score::cvss::Cvss;
use crate::score::exposure::Parameters;
use crate::score::priors::Prior;
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// A rule that set or changed a finding's likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LikelihoodRule {
    /// The EPSS probability of the record's CVE.
    Epss,
    /// The prior fitted for the record's exploitability class (no EPSS score loaded).
    Prior,
    /// Listed in CISA's KEV catalog: the KEV floor.
    Kev,
    /// Listed in KEV with known ransomware use: the higher floor.
    KevRansomware,
    /// Exploit maturity "attacked" (v4 `E:A`) or "high" (v3/v2 `E:H`).
    ExploitAttacked,
    /// A functional exploit exists (v3/v2 `E:F`).
    ExploitFunctional,
    /// A proof-of-concept exploit exists (v4/v3 `E:P`, v2 `E:POC`).
    ExploitProofOfConcept,
    /// Debian rates it unimportant (negligible security impact).
    Unimportant,
    /// Debian's security support for the package ended.
    EndOfLife,
    /// The distributor decided not to fix it (another reason).
    WillNotFix,
    /// The record says the vulnerability is disputed.
    Disputed,
    /// The device is internet-facing and the flaw reachable over the network.
    InternetFacing,
    /// The software is installed but was never run.
    NeverRun,
    /// The software was last used long ago.
    NotUsedRecently,
    /// An active alert on this device for this vulnerability.
    ActiveAlert,
}

/// One step of a likelihood: the rule, the factor or floor it applied, and `L` after it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Step {
    /// The rule.
    pub rule: LikelihoodRule,
    /// The rule's parameter: the floor (threat floors), the factor on `L` (triage), the factor
    /// on the odds (context); the probability itself for the base and an alert.
    pub parameter: f64,
    /// `L` after the step.
    pub likelihood: f64,
}

/// Where the base of a likelihood came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Base {
    /// An EPSS score.
    Epss {
        /// The CVE scored.
        cve: Arc<str>,
        /// Its probability.
        probability: f64,
    },
    /// The fitted prior of an exploitability class.
    Prior(Prior),
}

/// Steps 1–3 of a likelihood, which depend on the record only (and the triage of the
/// affected entry), shared by every finding of that record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordLikelihood {
    /// Where the base came from.
    pub base: Base,
    /// The steps taken (base, floors, triage), the last one's `likelihood` being the value.
    steps: Vec<Step>,
    /// Whether the vector says the flaw is reachable over the network (`AV:N`).
    pub network: bool,
}

/// What the record says about exploitation, as the likelihood reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThreatFacts {
    /// KEV-listed; `Some(true)` with known ransomware use.
    pub kev: Option<bool>,
    /// The distributor's triage of the affected entry.
    pub triage: Option<VendorTriage>,
    /// The record is disputed.
    pub disputed: bool,
}

impl RecordLikelihood {
    /// Steps 1–3 for a record with the best vector `cvss`, EPSS `epss` (CVE, probability)
    /// when loaded, the fitted `prior` for its class, and its threat facts.
    ///
    /// ```
    /// use exposure::score::{exposure::Parameters, likelihood::*, priors::Prior};
    /// let p = Parameters::default();
    /// let prior = Prior { probability: 0.05, class: "AV:N/PR:N/UI:N".into(), class_size: 900 };
    /// let kev = ThreatFacts { kev: Some(false), ..ThreatFacts::default() };
    /// let r = RecordLikelihood::new(&p, None, Some(("CVE-2021-44228".into(), 0.2)), prior, kev);
    /// assert_eq!(r.value(), p.kev_floor);
    /// assert_eq!(r.rule(), LikelihoodRule::Kev);
    /// ```
    pub fn new(
        parameters: &Parameters,
        cvss: Option<&Cvss>,
        epss: Option<(Arc<str>, f64)>,
        prior: Prior,
        facts: ThreatFacts,
    ) -> Self {
        let base = match epss {
            Some((cve, probability)) => Base::Epss {
                cve,
                probability: probability.clamp(0.0, 1.0),
            },
            None => Base::Prior(prior),
        };
        let (rule, value) = match &base {
            Base::Epss { probability, .. } => (LikelihoodRule::Epss, *probability),
            Base::Prior(prior) => (LikelihoodRule::Prior, prior.probability.clamp(0.0, 1.0)),
        };
        let mut steps = vec![Step {
            rule,
            parameter: value,
            likelihood: value,
        }];
        let floors = [
            facts.kev.map(|ransomware| {
                if ransomware {
                    (
                        LikelihoodRule::KevRansomware,
                        parameters.kev_ransomware_floor,
                    )
                } else {
                    (LikelihoodRule::Kev, parameters.kev_floor)
                }
            }),
            cvss.and_then(|v| exploit_maturity(parameters, v)),
        ];
        // The highest floor that raises L is the one that sets it.
        if let Some((rule, floor)) = floors
            .into_iter()
            .flatten()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .filter(|&(_, floor)| floor > value)
        {
            steps.push(Step {
                rule,
                parameter: floor,
                likelihood: floor,
            });
        }
        let triage = facts
            .triage
            .map(|t| match t {
                VendorTriage::Unimportant => {
                    (LikelihoodRule::Unimportant, parameters.unimportant_factor)
                }
                VendorTriage::EndOfLife => {
                    (LikelihoodRule::EndOfLife, parameters.end_of_life_factor)
                }
                VendorTriage::WillNotFix => {
                    (LikelihoodRule::WillNotFix, parameters.will_not_fix_factor)
                }
            })
            .into_iter()
            .chain(
                facts
                    .disputed
                    .then_some((LikelihoodRule::Disputed, parameters.disputed_factor)),
            );
        for (rule, factor) in triage {
            let before = steps.last().map_or(0.0, |s| s.likelihood);
            steps.push(Step {
                rule,
                parameter: factor,
                likelihood: (before * factor).clamp(0.0, 1.0),
            });
        }
        RecordLikelihood {
            base,
            steps,
            network: cvss.is_some_and(|v| v.metric("AV") == Some("N")),
        }
    }

    /// `L` after steps 1–3.
    pub fn value(&self) -> f64 {
        self.steps.last().map_or(0.0, |s| s.likelihood)
    }

    /// The rule of the last step.
    pub fn rule(&self) -> LikelihoodRule {
        self.steps.last().map_or(LikelihoodRule::Prior, |s| s.rule)
    }

    /// Steps 1–3.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
}

/// The floor a vector's exploit maturity sets, if any: v4 `E:A`, v3/v2 `E:H` attacked; v3/v2
/// `E:F` functional; v4/v3 `E:P`, v2 `E:POC` proof of concept. Unreported / unproven and
/// not-defined set none.
fn exploit_maturity(parameters: &Parameters, cvss: &Cvss) -> Option<(LikelihoodRule, f64)> {
    match cvss.metric("E")? {
        "A" | "H" => Some((
            LikelihoodRule::ExploitAttacked,
            parameters.exploit_attacked_floor,
        )),
        "F" => Some((
            LikelihoodRule::ExploitFunctional,
            parameters.exploit_functional_floor,
        )),
        "P" | "POC" => Some((
            LikelihoodRule::ExploitProofOfConcept,
            parameters.exploit_poc_floor,
        )),
        _ => None,
    }
}

/// How recently an installed program ran (the device's application runtime context).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Runtime {
    /// Installed, never run.
    NeverRun,
    /// Last run this many days before the assessment.
    LastUsedDaysAgo(u32),
}

/// The device-side facts of one finding: steps 4–5.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FindingContext {
    /// The device is internet-facing.
    pub internet_facing: bool,
    /// The software's runtime context, when the inventory reports it.
    pub runtime: Option<Runtime>,
    /// An active alert on the device names the vulnerability.
    pub alert: bool,
}

/// A finding's likelihood: the record's steps and the device's.
#[derive(Debug, Clone, PartialEq)]
pub struct Likelihood {
    /// Steps 1–3, shared with the other findings of the record.
    pub record: Arc<RecordLikelihood>,
    /// Steps 4–5 taken on this device (at most three: exposure, runtime, alert).
    context: [Option<Step>; 3],
}

impl Likelihood {
    /// `L` for a finding of `record` in `context`.
    ///
    /// ```
    /// use exposure::score::{exposure::Parameters, likelihood::*, priors::Prior};
    /// use std::sync::Arc;
    /// let p = Parameters::default();
    /// let prior = Prior { probability: 0.05, class: "AV:N/PR:N/UI:N".into(), class_size: 900 };
    /// let v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".parse().ok();
    /// let record = Arc::new(RecordLikelihood::new(&p, v.as_ref(), None, prior, ThreatFacts::default()));
    /// let exposed = Likelihood::new(&p, Arc::clone(&record), FindingContext { internet_facing: true, ..Default::default() });
    /// assert!(exposed.value() > record.value());
    /// let alerted = Likelihood::new(&p, record, FindingContext { alert: true, ..Default::default() });
    /// assert_eq!((alerted.value(), alerted.rule()), (1.0, LikelihoodRule::ActiveAlert));
    /// ```
    pub fn new(
        parameters: &Parameters,
        record: Arc<RecordLikelihood>,
        context: FindingContext,
    ) -> Self {
        let mut steps: [Option<Step>; 3] = [None; 3];
        let mut value = record.value();
        let odds_steps = [
            (context.internet_facing && record.network).then_some((
                LikelihoodRule::InternetFacing,
                parameters.internet_facing_odds,
            )),
            match context.runtime {
                Some(Runtime::NeverRun) => {
                    Some((LikelihoodRule::NeverRun, parameters.never_run_odds))
                }
                Some(Runtime::LastUsedDaysAgo(days)) if days > parameters.not_used_after_days => {
                    Some((LikelihoodRule::NotUsedRecently, parameters.not_used_odds))
                }
                _ => None,
            },
        ];
        for (slot, (rule, factor)) in odds_steps
            .into_iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, s?)))
        {
            value = scale_odds(value, factor);
            steps[slot] = Some(Step {
                rule,
                parameter: factor,
                likelihood: value,
            });
        }
        if context.alert {
            steps[2] = Some(Step {
                rule: LikelihoodRule::ActiveAlert,
                parameter: 1.0,
                likelihood: 1.0,
            });
        }
        Likelihood {
            record,
            context: steps,
        }
    }

    /// `L`.
    pub fn value(&self) -> f64 {
        self.context
            .iter()
            .rev()
            .flatten()
            .next()
            .map_or_else(|| self.record.value(), |s| s.likelihood)
    }

    /// The rule of the last step: what set `L`.
    pub fn rule(&self) -> LikelihoodRule {
        self.context
            .iter()
            .rev()
            .flatten()
            .next()
            .map_or_else(|| self.record.rule(), |s| s.rule)
    }

    /// Every step, in order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.record
            .steps()
            .iter()
            .chain(self.context.iter().flatten())
    }
}

/// Serialised as the list of steps, with the base's evidence first.
impl Serialize for Likelihood {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        seq.serialize_element(&self.record.base)?;
        for step in self.steps() {
            seq.serialize_element(step)?;
        }
        seq.end()
    }
}

/// `p` with its odds multiplied by `factor` (`p = 1` stays 1; the result stays in [0, 1]).
///
/// ```
/// use exposure::score::likelihood::scale_odds;
/// assert!((scale_odds(0.5, 3.0) - 0.75).abs() < 1e-12);
/// assert_eq!(scale_odds(1.0, 0.1), 1.0);
/// assert_eq!(scale_odds(0.0, 10.0), 0.0);
/// ```
pub fn scale_odds(p: f64, factor: f64) -> f64 {
    if p >= 1.0 {
        return 1.0;
    }
    let odds = p.max(0.0) / (1.0 - p) * factor.max(0.0);
    (odds / (1.0 + odds)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prior(p: f64) -> Prior {
        Prior {
            probability: p,
            class: "all".into(),
            class_size: 1,
        }
    }

    #[test]
    fn epss_comes_before_the_prior_and_floors_only_raise() {
        let p = Parameters::default();
        let r = RecordLikelihood::new(
            &p,
            None,
            Some(("CVE-1".into(), 0.9)),
            prior(0.01),
            ThreatFacts {
                kev: Some(false),
                ..ThreatFacts::default()
            },
        );
        assert_eq!((r.value(), r.rule()), (0.9, LikelihoodRule::Epss));
        let r = RecordLikelihood::new(
            &p,
            None,
            None,
            prior(0.01),
            ThreatFacts {
                kev: Some(true),
                ..ThreatFacts::default()
            },
        );
        assert_eq!(
            (r.value(), r.rule()),
            (p.kev_ransomware_floor, LikelihoodRule::KevRansomware)
        );
    }

    #[test]
    fn exploit_maturity_of_each_version_sets_its_floor() {
        let p = Parameters::default();
        for (vector, rule) in [
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A",
                LikelihoodRule::ExploitAttacked,
            ),
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F",
                LikelihoodRule::ExploitFunctional,
            ),
            (
                "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC",
                LikelihoodRule::ExploitProofOfConcept,
            ),
        ] {
            let v: Cvss = vector.parse().unwrap();
            let r = RecordLikelihood::new(&p, Some(&v), None, prior(0.001), ThreatFacts::default());
            assert_eq!(r.rule(), rule, "{vector}");
            assert!(r.network);
        }
        let unproven: Cvss = "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U"
            .parse()
            .unwrap();
        let r = RecordLikelihood::new(
            &p,
            Some(&unproven),
            None,
            prior(0.001),
            ThreatFacts::default(),
        );
        assert_eq!(
            (r.value(), r.rule(), r.network),
            (0.001, LikelihoodRule::Prior, false)
        );
    }

    #[test]
    fn triage_lowers_after_the_floor_and_context_moves_the_odds() {
        let p = Parameters::default();
        let v: Cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
            .parse()
            .unwrap();
        let facts = ThreatFacts {
            kev: Some(false),
            triage: Some(VendorTriage::Unimportant),
            disputed: true,
        };
        let record = Arc::new(RecordLikelihood::new(
            &p,
            Some(&v),
            None,
            prior(0.01),
            facts,
        ));
        let rules: Vec<_> = record.steps().iter().map(|s| s.rule).collect();
        assert_eq!(
            rules,
            [
                LikelihoodRule::Prior,
                LikelihoodRule::Kev,
                LikelihoodRule::Unimportant,
                LikelihoodRule::Disputed
            ]
        );
        let expected = p.kev_floor * p.unimportant_factor * p.disputed_factor;
        assert!((record.value() - expected).abs() < 1e-15);
        let never_run = Likelihood::new(
            &p,
            Arc::clone(&record),
            FindingContext {
                internet_facing: true,
                runtime: Some(Runtime::NeverRun),
                alert: false,
            },
        );
        let both = scale_odds(
            scale_odds(expected, p.internet_facing_odds),
            p.never_run_odds,
        );
        assert!((never_run.value() - both).abs() < 1e-15);
        assert_eq!(never_run.rule(), LikelihoodRule::NeverRun);
        let recent = Likelihood::new(
            &p,
            record,
            FindingContext {
                runtime: Some(Runtime::LastUsedDaysAgo(p.not_used_after_days)),
                ..FindingContext::default()
            },
        );
        assert_eq!(
            recent.steps().count(),
            4,
            "used within the window: no runtime step"
        );
    }
}
