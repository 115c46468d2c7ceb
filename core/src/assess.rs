//! The assessment use case, written once for every interface: the knowledge and inventories a
//! caller names, with how to read them, loaded and assessed — the assessment comes back with
//! every load report. The command line, the C library and the Python package only convert
//! their arguments into [`AssessInputs`] and the result out of it.

use crate::assessment::{Assessment, InputReport, KnowledgeSummary};
use crate::cpe::{Dictionary, Normalizer};
use crate::engine::Engine;
use crate::inventory::{self, Distro, Fleet, LoadOptions, Renamed};
use crate::kb::KnowledgeBase;
use crate::load_report::{Consequence, LoadReport, Problem, Shortfall};
use crate::score::exposure::Parameters;
use crate::Error;
use std::path::{Path, PathBuf};

/// One inventory to assess: a file, or text the caller holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventorySource {
    /// A file of any format [`inventory::load_path`] reads (gzip undone).
    Path(PathBuf),
    /// Text of any format [`inventory::load_text`] reads; `origin` names it in problems (and
    /// is the device id of a single-device inventory without one).
    Text {
        /// The inventory.
        text: String,
        /// Its name.
        origin: String,
    },
    /// Bytes of any format [`inventory::load_bytes`] reads: gzip undone, UTF-16LE (a
    /// `regedit` export) decoded; `origin` names them as for `Text`.
    Bytes {
        /// The inventory, as read from a file or the network.
        bytes: Vec<u8>,
        /// Its name.
        origin: String,
    },
    /// A directory tree read as one device ([`inventory::rootfs::load_dir`]): its
    /// os-release, dpkg, apk and `rpm -qa` databases and every lockfile in it.
    RootFs(PathBuf),
}

impl InventorySource {
    fn name(&self) -> String {
        match self {
            InventorySource::Path(path) | InventorySource::RootFs(path) => {
                path.display().to_string()
            }
            InventorySource::Text { origin, .. } | InventorySource::Bytes { origin, .. } => {
                origin.clone()
            }
        }
    }
}

/// What one assessment reads and how: knowledge-base inputs, inventories, the distribution
/// release of devices whose inventory does not name it, and NVD's CPE dictionary for naming
/// installed programs.
///
/// ```
/// use exposure::assess::{AssessInputs, InventorySource};
/// let inputs = AssessInputs {
///     demo: true, // the embedded knowledge base, as no knowledge input is given
///     inventories: vec![InventorySource::Text {
///         text: r#"{"devices": [{"id": "laptop", "software": [{"purl": "pkg:npm/lodash@4.17.15"}]}]}"#.into(),
///         origin: "inline".into(),
///     }],
///     ..AssessInputs::default()
/// };
/// let assessment = inputs.assess()?;
/// assert_eq!(assessment.findings.len(), 2);
/// assert_eq!(assessment.inventory_reports[0].input, "inline");
/// assert!(AssessInputs::default().assess().is_err()); // nothing to assess
/// # Ok::<(), exposure::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct AssessInputs {
    /// Knowledge-base inputs, each any feed, directory, archive or snapshot
    /// ([`KnowledgeBase::load_path`]), loaded in order.
    pub knowledge: Vec<PathBuf>,
    /// The inventories, assessed together as one fleet.
    pub inventories: Vec<InventorySource>,
    /// Use the embedded demo knowledge base when `knowledge` is empty and the demo fleet when
    /// `inventories` is empty (see [`crate::demo`]).
    pub demo: bool,
    /// The release of devices described by a package database alone (a dpkg status file).
    pub distro: Option<Distro>,
    /// NVD's CPE dictionary XML (gzip accepted), so that installed programs get CPE names
    /// beyond the alias rules.
    pub cpe_dictionary: Option<PathBuf>,
    /// How much one knowledge input, archive member or inventory may hold, decompressed
    /// ([`KnowledgeBase::set_limits`], [`LoadOptions::limits`]).
    pub limits: crate::files::Limits,
    /// Assess even when an input is incomplete. By default (fail closed) a knowledge-base
    /// input that yields nothing or loses more than
    /// [`MAX_SKIPPED_PERCENT`](crate::load_report::MAX_SKIPPED_PERCENT) % of its records is
    /// [`Error::KnowledgeIncomplete`] ([`LoadReport::shortfall`]), and an inventory that
    /// yields no device is [`Error::InventoryIncomplete`]. Allowed, such
    /// inputs are assessed for what they gave; their reports are in the assessment either
    /// way.
    pub allow_partial: bool,
    /// The day (`YYYY-MM-DD`) on which end of support is judged: software whose release
    /// had ended by then gets an end-of-support recommendation ([`crate::eol`]). `None` (the
    /// default) makes none: the core never reads the clock; the CLI passes today's date.
    pub as_of: Option<crate::date::Date>,
    /// When set, the assessment states the knowledge's age
    /// ([`Assessment::knowledge_age`]) with a warning when the knowledge loaded from
    /// [`AssessInputs::knowledge`] is older than allowed or of unknown age (see
    /// [`KbMetadata::as_of`](crate::kb::KbMetadata::as_of)); the demo knowledge base is not
    /// checked. The core never reads the clock: the caller passes now.
    ///
    /// ```
    /// use exposure::{assess::AssessInputs, kb::KbAgeCheck};
    /// let dir = std::env::temp_dir().join(format!("exposure-age-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// std::fs::write(dir.join("go.json"), r#"{"id": "GO-1", "modified": "2024-01-01T00:00:00Z"}"#)?;
    /// std::fs::write(dir.join("fleet.json"), r#"{"devices": [{"id": "d"}]}"#)?;
    /// let inputs = AssessInputs {
    ///     knowledge: vec![dir.join("go.json")],
    ///     inventories: vec![exposure::assess::InventorySource::Path(dir.join("fleet.json"))],
    ///     kb_age_check: Some(KbAgeCheck { now: 1_704_153_600, max_age: 3_600 }), // a day later
    ///     ..AssessInputs::default()
    /// };
    /// let age = inputs.assess()?.knowledge_age.expect("checked");
    /// assert_eq!(age.age_seconds, Some(86_400));
    /// assert!(age.warning.is_some());
    /// # std::fs::remove_dir_all(dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub kb_age_check: Option<crate::kb::KbAgeCheck>,
    /// The model parameters to score with (the defaults, `exposure-model/1.0`, when `None`;
    /// see [`Parameters::from_json`]), set on the engine [`AssessInputs::load_engine`] makes;
    /// [`AssessInputs::assess_on`] scores with the given engine's own. Recorded in the
    /// assessment either way.
    pub parameters: Option<Parameters>,
    /// The exceptions to apply ([`crate::exceptions`]; read with
    /// [`ExceptionSet::from_path`](crate::exceptions::ExceptionSet::from_path)), set on the
    /// engine [`AssessInputs::load_engine`] makes; [`AssessInputs::assess_on`] applies them
    /// instead of the given engine's own when given. Exceptions that expire are judged on
    /// [`AssessInputs::as_of`] (without it they do not apply and are reported `not_judged`).
    ///
    /// ```
    /// use exposure::{assess::AssessInputs, exceptions::ExceptionSet};
    /// let inputs = AssessInputs {
    ///     demo: true,
    ///     as_of: Some("2026-12-04".parse()?),
    ///     exceptions: Some(ExceptionSet::from_path("../examples/exceptions.yaml".as_ref())?),
    ///     ..AssessInputs::default()
    /// };
    /// let a = inputs.assess()?;
    /// assert_eq!(a.exceptions.len(), 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub exceptions: Option<crate::exceptions::ExceptionSet>,
}

impl AssessInputs {
    /// Loads everything and assesses it.
    pub fn assess(&self) -> Result<Assessment, Error> {
        self.assess_with_progress(&|_, _| {})
    }

    /// [`AssessInputs::assess`], reporting `progress(devices matched, devices)` from the
    /// matching threads (see [`Engine::assess_with_progress`]).
    pub fn assess_with_progress(
        &self,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Assessment, Error> {
        self.assess_keeping_engine(progress)
            .map(|(assessment, _)| assessment)
    }

    /// [`AssessInputs::assess_with_progress`], returning the engine it loaded too: what a
    /// caller needs to make the assessment's record ([`Assessment::record`] reads the
    /// advisories' publication dates and weaknesses from its knowledge base).
    ///
    /// ```
    /// let inputs = exposure::assess::AssessInputs { demo: true, ..Default::default() };
    /// let (assessment, engine) = inputs.assess_keeping_engine(&|_, _| {})?;
    /// assert_eq!(assessment.record(engine.kb())?.findings.len(), assessment.findings.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assess_keeping_engine(
        &self,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<(Assessment, Engine), Error> {
        self.check()?;
        // Installed programs are named against the knowledge's NVD names and the CPE
        // dictionary: both are read at once, the inventories after them.
        let (engine, dictionary) =
            crate::matching::both(|| self.load_engine(), || self.load_dictionary());
        let (engine, knowledge_reports) = engine?;
        let fleet = self.load_fleet_named(Some(&engine), dictionary?.as_ref())?;
        let mut assessment = assessed(&engine, fleet, self, progress)?;
        assessment.knowledge_reports = knowledge_reports;
        if !self.knowledge.is_empty() {
            assessment.knowledge_age = self
                .kb_age_check
                .map(|check| engine.kb().metadata().age_check(check));
        }
        Ok((assessment, engine))
    }

    /// Whether there is something to assess: knowledge and inventories, or the demo.
    pub fn check(&self) -> Result<(), Error> {
        if self.demo || !(self.knowledge.is_empty() || self.inventories.is_empty()) {
            Ok(())
        } else {
            Err(Error::MissingInputs)
        }
    }

    /// An engine over the knowledge inputs (the demo knowledge base when there are none and
    /// `demo` is set) with the [`AssessInputs::parameters`] given, with each input's load
    /// report.
    ///
    /// ```
    /// use exposure::{assess::AssessInputs, score::exposure::Parameters};
    /// let inputs = AssessInputs {
    ///     demo: true,
    ///     parameters: Some(Parameters::from_json(r#"{"version": "acme/1"}"#)?),
    ///     ..AssessInputs::default()
    /// };
    /// assert_eq!(inputs.assess()?.model_version, "acme/1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_engine(&self) -> Result<(Engine, Vec<InputReport>), Error> {
        let (mut engine, reports) = self.load_knowledge_engine()?;
        if let Some(parameters) = &self.parameters {
            engine.set_parameters(parameters.clone());
        }
        if let Some(exceptions) = &self.exceptions {
            engine.set_exceptions(Some(exceptions.clone()));
        }
        Ok((engine, reports))
    }

    /// [`AssessInputs::load_engine`] with the default parameters.
    fn load_knowledge_engine(&self) -> Result<(Engine, Vec<InputReport>), Error> {
        if self.knowledge.is_empty() && self.demo {
            return Ok((Engine::demo(), Vec::new()));
        }
        let mut kb = KnowledgeBase::new();
        kb.set_limits(self.limits);
        let mut reports = Vec::with_capacity(self.knowledge.len());
        for path in &self.knowledge {
            let report = load_knowledge(&mut kb, path, self.allow_partial)?;
            reports.push(InputReport::new(path.display().to_string(), report));
        }
        Ok((Engine::new(kb), reports))
    }

    /// The fleet of the inventories (the demo fleet when there are none and `demo` is set),
    /// read with the distro and dictionary given, equal software shared between devices
    /// ([`Fleet::share_software`]), with each inventory's load report.
    pub fn load_fleet(&self) -> Result<(Fleet, Vec<InputReport>), Error> {
        self.load_fleet_for(None)
    }

    /// [`AssessInputs::load_fleet`] for an engine: installed programs are named against NVD's
    /// names in its knowledge base ([`Engine::vocabulary`]) and in the CPE dictionary, when
    /// one is given.
    pub fn load_fleet_for(
        &self,
        engine: Option<&Engine>,
    ) -> Result<(Fleet, Vec<InputReport>), Error> {
        self.load_fleet_named(engine, self.load_dictionary()?.as_ref())
    }

    /// The CPE dictionary given, read.
    fn load_dictionary(&self) -> Result<Option<Dictionary>, Error> {
        let Some(path) = self.cpe_dictionary.as_deref() else {
            return Ok(None);
        };
        if self.inventories.is_empty() && self.demo {
            return Ok(None);
        }
        Ok(Some(Dictionary::from_path(path)?))
    }

    /// The fleet, its programs named against the engine's and the dictionary's NVD names.
    fn load_fleet_named(
        &self,
        engine: Option<&Engine>,
        dictionary: Option<&Dictionary>,
    ) -> Result<(Fleet, Vec<InputReport>), Error> {
        if self.inventories.is_empty() && self.demo {
            return Ok((crate::demo::fleet(), Vec::new()));
        }
        let known = engine.map(Engine::vocabulary);
        let merged;
        let vocabulary = match (dictionary, known.as_deref()) {
            (Some(d), Some(k)) if !k.is_empty() => {
                let mut both = d.vocabulary().clone();
                both.merge(k);
                merged = both;
                Some(&merged)
            }
            (Some(d), _) => Some(d.vocabulary()),
            (None, Some(k)) => Some(k),
            (None, None) => None,
        };
        let normalizer = vocabulary.map(|v| Normalizer::with_default_rules().with_vocabulary(v));
        let options = LoadOptions {
            distro: self.distro.clone(),
            normalizer: normalizer.as_ref(),
            limits: self.limits,
        };
        let mut fleet = Fleet::default();
        let mut reports = Vec::with_capacity(self.inventories.len());
        for source in &self.inventories {
            let loaded = match source {
                InventorySource::Path(path) => inventory::load_path(path, &options)?,
                InventorySource::RootFs(path) => inventory::rootfs::load_dir(path, &options)?,
                InventorySource::Text { text, origin } => {
                    inventory::load_text(text, origin, &options)?
                }
                InventorySource::Bytes { bytes, origin } => {
                    inventory::load_bytes(bytes.clone(), origin, &options)?
                }
            };
            let yielded = !loaded.fleet.devices.is_empty();
            let mut checked = checked(
                Input::Inventory,
                source.name(),
                loaded.report,
                yielded,
                self.allow_partial,
            )?;
            for Renamed { from, to } in fleet.extend(loaded.fleet) {
                checked.report.problem(Problem::new(
                    &checked.input,
                    Some(&from),
                    "",
                    format!("an earlier inventory has a device with this id: this one is assessed as {to:?}"),
                    Consequence::PartlyUsed,
                ));
            }
            reports.push(checked);
        }
        fleet.share_software();
        Ok((fleet, reports))
    }

    /// Assesses the inventories (or the demo fleet) on an engine loaded already: the
    /// knowledge inputs are not read. The inventories' load reports are in the result.
    pub fn assess_on(
        &self,
        engine: &Engine,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Assessment, Error> {
        assessed(engine, self.load_fleet_for(Some(engine))?, self, progress)
    }
}

/// The assessment of a fleet loaded with its reports, as of the inputs' day and with their
/// exceptions (the engine's own when they have none); refused when the knowledge base is
/// damaged ([`Engine::intact`]: a snapshot record that did not decode when matching read it
/// would read as an advisory that affects nothing, never a clean report).
fn assessed(
    engine: &Engine,
    (fleet, inventory_reports): (Fleet, Vec<InputReport>),
    inputs: &AssessInputs,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Assessment, Error> {
    let options = crate::engine::AssessOptions {
        as_of: inputs.as_of,
        exceptions: inputs.exceptions.as_ref(),
    };
    let mut assessment = engine.assess_with(&fleet, &options, progress);
    engine.intact()?;
    assessment.inventory_reports = inventory_reports;
    assessment.fleet = Some(std::sync::Arc::new(fleet));
    Ok(assessment)
}

/// Loads one knowledge-base input into `kb` ([`KnowledgeBase::load_path`]) and checks that
/// it can be trusted whole: one that yields nothing (no advisory, KEV entry, EPSS score or VEX
/// statement) or loses more than
/// [`MAX_SKIPPED_PERCENT`](crate::load_report::MAX_SKIPPED_PERCENT) % of its records
/// ([`LoadReport::shortfall`]) is [`Error::KnowledgeIncomplete`], unless `allow_partial`.
/// What loaded stays in `kb` either way. Every interface loads knowledge through it:
/// assessments, `exposure kb build`, Python's `Engine.load`, C's `exposure_engine_load_path`.
///
/// ```
/// use exposure::{assess::load_knowledge, kb::KnowledgeBase, load_report::Shortfall, Error};
/// let broken = std::env::temp_dir().join(format!("exposure-doc-broken-{}.json", std::process::id()));
/// std::fs::write(&broken, "{broken")?;
/// let mut kb = KnowledgeBase::new();
/// let refused = load_knowledge(&mut kb, &broken, false).unwrap_err();
/// assert!(matches!(refused, Error::KnowledgeIncomplete { shortfall: Shortfall::Empty, .. }));
/// assert_eq!(refused.load_report().map(|r| r.records_skipped), Some(1));
/// let allowed = load_knowledge(&mut kb, &broken, true)?;
/// assert_eq!(allowed.problem_count, 1);
/// # std::fs::remove_file(&broken)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_knowledge(
    kb: &mut KnowledgeBase,
    path: &Path,
    allow_partial: bool,
) -> Result<LoadReport, Error> {
    let before = KnowledgeSummary::of(kb);
    let report = kb.load_path(path)?;
    let yielded = report.records_loaded > 0 || KnowledgeSummary::of(kb) != before;
    let input = path.display().to_string();
    checked(Input::Knowledge, input, report, yielded, allow_partial).map(|r| r.report)
}

/// The two kinds of input an assessment reads.
#[derive(Clone, Copy)]
pub(crate) enum Input {
    Knowledge,
    Inventory,
}

/// The report of `input`, which `yielded` something or not; the error of an incomplete input
/// unless `allow_partial`: a knowledge input that yields nothing or loses more than the share
/// ([`LoadReport::shortfall`]); an inventory that yields no device. An inventory's entries
/// that could not be used (a program without a version, a component without a package URL)
/// are reported one by one but do not refuse it: an inventory lists what a device runs, and
/// what it cannot name does not make the rest untrue, while a feed that lost records hides
/// vulnerabilities.
pub(crate) fn checked(
    kind: Input,
    input: String,
    report: LoadReport,
    yielded: bool,
    allow_partial: bool,
) -> Result<InputReport, Error> {
    let shortfall = match kind {
        Input::Knowledge => report.shortfall(yielded),
        Input::Inventory => (!yielded).then_some(Shortfall::Empty),
    };
    let Some(shortfall) = shortfall.filter(|_| !allow_partial) else {
        return Ok(InputReport::new(input, report));
    };
    let report = Box::new(report);
    Err(match kind {
        Input::Knowledge => Error::KnowledgeIncomplete {
            input,
            shortfall,
            report,
        },
        Input::Inventory => Error::InventoryIncomplete {
            input,
            shortfall,
            report,
        },
    })
}

#[cfg(test)]
mod tests;
