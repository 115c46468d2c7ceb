//! One error type for callers who want one: every public error of the crate, each kept
//! whole (with its kind, input and byte offset where it has them), so that the bindings map
//! errors in one place each.

use crate::load_report::{LoadReport, Shortfall};
use crate::{cpe, files, inventory, kb, purl, range, score, version};

/// Any error of this crate: every public error type converts into it with `?`.
///
/// ```
/// let e: exposure::Error = exposure::version::Version::parse(exposure::version::Scheme::Deb, "").unwrap_err().into();
/// assert!(matches!(e, exposure::Error::Version(_)));
/// assert!(e.to_string().contains("empty"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A version did not parse.
    #[error(transparent)]
    Version(#[from] version::VersionError),
    /// Versions of different schemes were compared.
    #[error(transparent)]
    Compare(#[from] version::CompareError),
    /// A versioning scheme name is unknown.
    #[error(transparent)]
    UnknownScheme(#[from] version::UnknownScheme),
    /// A range in a scheme's native syntax or as a `vers:` string did not parse.
    #[error(transparent)]
    RangeSyntax(#[from] range::RangeSyntaxError),
    /// A `vers:` string did not parse.
    #[error(transparent)]
    Vers(#[from] range::VersError),
    /// OSV range events could not form a range.
    #[error(transparent)]
    Range(#[from] range::RangeError),
    /// A package URL did not parse.
    #[error(transparent)]
    Purl(#[from] purl::PurlError),
    /// A CPE name did not parse.
    #[error(transparent)]
    Cpe(#[from] cpe::CpeError),
    /// NVD configurations could not be read as an applicability statement.
    #[error(transparent)]
    Configuration(#[from] cpe::ConfigurationError),
    /// NVD's CPE dictionary could not be read.
    #[error(transparent)]
    Dictionary(#[from] cpe::DictionaryError),
    /// A row of a CPE alias table could not be read.
    #[error(transparent)]
    Alias(#[from] cpe::AliasError),
    /// A CVSS vector did not parse.
    #[error(transparent)]
    Cvss(#[from] score::cvss::CvssError),
    /// A knowledge-base input could not be read.
    #[error(transparent)]
    Kb(#[from] kb::KbError),
    /// A snapshot could not be read or written.
    #[error(transparent)]
    Snapshot(#[from] kb::SnapshotError),
    /// An inventory could not be read.
    #[error(transparent)]
    Inventory(#[from] inventory::InventoryError),
    /// A software item could not be described (a purl or CPE name without what matching
    /// needs).
    #[error(transparent)]
    Software(#[from] inventory::SoftwareError),
    /// A distribution release could not be named or read.
    #[error(transparent)]
    Distro(#[from] inventory::DistroError),
    /// A Windows registry export of installed programs could not be read.
    #[error(transparent)]
    Registry(#[from] inventory::windows::RegistryError),
    /// A file could not be read, decompressed or decoded as text.
    #[error(transparent)]
    Input(#[from] files::InputError),
    /// A model parameter set was refused ([`score::exposure::Parameters::from_json`]).
    #[error(transparent)]
    Parameters(#[from] score::exposure::ParametersError),
    /// An exception set was refused ([`crate::exceptions::ExceptionSet::from_text`]).
    #[error(transparent)]
    Exceptions(#[from] crate::exceptions::ExceptionError),
    /// An assessment record was refused ([`crate::history::AssessmentRecord::from_json`],
    /// [`crate::history::AssessmentRecord::from_binary`]).
    #[error(transparent)]
    Record(#[from] crate::history::RecordError),
    /// A remediation activity was refused ([`crate::remediation::RemediationActivity::create`]).
    #[error(transparent)]
    Remediation(#[from] crate::remediation::RemediationError),
    /// An assessment was asked for without knowledge or without inventories (and not of
    /// the demo data).
    #[error("give knowledge-base inputs and inventories, or ask for the demo")]
    MissingInputs,
    /// A knowledge-base input yields nothing, or more than
    /// [`MAX_SKIPPED_PERCENT`](crate::load_report::MAX_SKIPPED_PERCENT) % of it was left
    /// out, and partial loads were not allowed ([`crate::assess::load_knowledge`]): an
    /// assessment against it would understate the exposure without saying so.
    #[error("knowledge-base input {input}: {shortfall} ({report}); partial knowledge is refused unless partial loads are allowed")]
    KnowledgeIncomplete {
        /// The input (its path).
        input: String,
        /// What it lacks.
        shortfall: Shortfall,
        /// Its load report, with every problem.
        report: Box<LoadReport>,
    },
    /// An inventory yields no device, or more than
    /// [`MAX_SKIPPED_PERCENT`](crate::load_report::MAX_SKIPPED_PERCENT) % of its records
    /// were left out, and partial loads were not allowed
    /// ([`crate::assess::AssessInputs::allow_partial`]).
    #[error("inventory {input}: {shortfall} ({report}); a partial inventory is refused unless partial loads are allowed")]
    InventoryIncomplete {
        /// The inventory (its path or origin name).
        input: String,
        /// What it lacks.
        shortfall: Shortfall,
        /// Its load report, with every problem.
        report: Box<LoadReport>,
    },
}

impl Error {
    /// Whether the error is that a file named by the caller does not exist (a knowledge-base
    /// input or snapshot, an inventory, an os-release file, a CPE dictionary, an exception
    /// set): what an interface reports its own way (Python's `FileNotFoundError`).
    ///
    /// ```
    /// let missing = exposure::kb::KnowledgeBase::new().load_path("no/such/feed.json".as_ref());
    /// assert!(exposure::Error::from(missing.unwrap_err()).is_not_found());
    /// let broken = exposure::inventory::Distro::from_name("cobol-1");
    /// assert!(!exposure::Error::from(broken.unwrap_err()).is_not_found());
    /// ```
    pub fn is_not_found(&self) -> bool {
        let not_found = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
        // Transparent variants forward `source()` past themselves: the input error of
        // `Error::Input` and the I/O error of `Error::Snapshot` are looked at here.
        match self {
            Error::Input(files::InputError::Io(e)) | Error::Snapshot(kb::SnapshotError::Io(e)) => {
                return not_found(e)
            }
            _ => {}
        }
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                return not_found(io);
            }
            if let Some(files::InputError::Io(io)) = e.downcast_ref::<files::InputError>() {
                return not_found(io);
            }
            if let Some(kb::SnapshotError::Io(io)) = e.downcast_ref::<kb::SnapshotError>() {
                return not_found(io);
            }
            next = e.source();
        }
        false
    }

    /// The load report of an input refused as incomplete
    /// ([`Error::KnowledgeIncomplete`], [`Error::InventoryIncomplete`]), with every problem
    /// met; `None` for other errors.
    pub fn load_report(&self) -> Option<&LoadReport> {
        match self {
            Error::KnowledgeIncomplete { report, .. }
            | Error::InventoryIncomplete { report, .. } => Some(report),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every public error type of the crate converts into [`Error`] (a new one must be added
    /// here and there, so that the bindings map it).
    #[test]
    fn every_public_error_converts() {
        fn converts<E: Into<Error>>() {}
        converts::<version::VersionError>();
        converts::<crate::history::RecordError>();
        converts::<crate::remediation::RemediationError>();
        converts::<score::exposure::ParametersError>();
        converts::<version::CompareError>();
        converts::<version::UnknownScheme>();
        converts::<range::RangeSyntaxError>();
        converts::<range::VersError>();
        converts::<range::RangeError>();
        converts::<purl::PurlError>();
        converts::<cpe::CpeError>();
        converts::<cpe::ConfigurationError>();
        converts::<cpe::DictionaryError>();
        converts::<cpe::AliasError>();
        converts::<score::cvss::CvssError>();
        converts::<kb::KbError>();
        converts::<kb::SnapshotError>();
        converts::<inventory::InventoryError>();
        converts::<inventory::SoftwareError>();
        converts::<inventory::DistroError>();
        converts::<inventory::windows::RegistryError>();
        converts::<files::InputError>();
        converts::<crate::exceptions::ExceptionError>();
    }

    #[test]
    fn messages_are_the_errors_own() {
        let e: Error = "cobol".parse::<version::Scheme>().unwrap_err().into();
        assert_eq!(e.to_string(), "unknown version scheme \"cobol\"");
        let e: Error = cpe::Applicability::from_nvd_json_text("[")
            .unwrap_err()
            .into();
        assert!(matches!(e, Error::Configuration(_)), "{e:?}");
        assert!(e.to_string().starts_with("configurations are not JSON: "));
    }
}
