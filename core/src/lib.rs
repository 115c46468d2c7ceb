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
//! let fleet = inventory::load_text(r#"{"devices": [{"id": "laptop", "software": [
//!     {"purl": "pkg:npm/lodash@4.17.15"}]}]}"#, "inline", &exposure::inventory::LoadOptions::default())?.fleet;
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

pub mod assess;
pub mod assessment;
pub mod cpe;
pub mod demo;
pub mod ecosystem;
pub mod engine;
mod error;
pub mod files;
pub mod inventory;
pub(crate) mod json;
pub mod kb;
pub mod load_report;
pub mod matching;
pub mod order;
pub mod parsed;
pub mod purl;
pub mod range;
pub mod recommend;
pub mod score;
mod span;
pub mod version;

pub use assessment::Assessment;
pub use engine::Engine;

pub use error::Error;
