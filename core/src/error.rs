//! One error type for callers who want one: every public error of the crate, each kept
//! whole (with its kind, input and byte offset where it has them), so that the bindings map
//! errors in one place each.

use crate::{cpe, files, inventory, kb, purl, range, score, version};

/// Any error of this crate.
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
    /// A file could not be read, decompressed or decoded as text.
    #[error(transparent)]
    Input(#[from] files::InputError),
    /// An assessment was asked for without knowledge or without inventories (and not of
    /// the demo data).
    #[error("give knowledge-base inputs and inventories, or ask for the demo")]
    MissingInputs,
}
