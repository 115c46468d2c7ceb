//! # exposure
//!
//! An embeddable threat and vulnerability management engine: it matches what devices run
//! against vulnerability knowledge, scores the organisation's exposure and ranks what to fix
//! first.
//!
//! ```
//! use exposure::{inventory, Engine};
//!
//! let engine = Engine::demo();
//! let fleet = inventory::load_str(r#"{"devices": [{"id": "laptop", "software": [
//!     {"purl": "pkg:npm/lodash@4.17.15"}]}]}"#, "inline")?.fleet;
//! let assessment = engine.assess(&fleet);
//! assert_eq!(assessment.findings.len(), 2);
//! assert_eq!(assessment.recommendations[0].text, "update lodash (npm) to 4.17.21");
//! # Ok::<(), exposure::inventory::InventoryError>(())
//! ```
//!
//! Layers, bottom up: [`version`] and [`range`] (ordering per ecosystem), [`purl`] and
//! [`ecosystem`] (naming), [`kb`] (advisories), [`inventory`] (devices and software),
//! [`matching`] (findings with evidence), [`score`] (CVSS and the exposure model),
//! [`recommend`] (ranked actions) and [`engine`] (all of it together).
//!
//! The crate reads only what the caller hands it; it does no network access, no printing and
//! keeps no global state.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod cpe;
pub mod demo;
pub mod ecosystem;
pub mod engine;
pub mod input;
pub mod inventory;
pub(crate) mod json;
pub mod kb;
pub mod matching;
pub mod order;
pub mod purl;
pub mod range;
pub mod recommend;
pub mod report;
pub mod score;
pub mod version;

pub use engine::{Assessment, Engine};

/// Any error of this crate, for callers who want one type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A version did not parse.
    #[error(transparent)]
    Version(#[from] version::VersionError),
    /// Versions of different schemes were compared.
    #[error(transparent)]
    Compare(#[from] version::CompareError),
    /// A range could not be built.
    #[error(transparent)]
    Range(#[from] range::RangeError),
    /// A package URL did not parse.
    #[error(transparent)]
    Purl(#[from] purl::PurlError),
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
}
