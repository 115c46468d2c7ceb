//! # exposure
//!
//! An embeddable threat and vulnerability management engine: it matches what devices run
//! against vulnerability knowledge, scores the organisation's exposure and ranks what to fix
//! first.
//!
//! ```
//! use exposure::assess::{AssessInputs, InventorySource};
//!
//! let assessment = AssessInputs {
//!     demo: true, // the embedded knowledge base; give `knowledge` paths for real feeds
//!     inventories: vec![InventorySource::Text {
//!         text: r#"{"devices": [{"id": "laptop", "software": [
//!                  {"purl": "pkg:npm/lodash@4.17.15"}]}]}"#.into(),
//!         origin: "inline".into(),
//!     }],
//!     ..AssessInputs::default()
//! }
//! .assess()?;
//! assert_eq!(assessment.findings.len(), 2);
//! assert_eq!(assessment.recommendations[0].text, "update lodash (npm) to 4.17.21");
//! # Ok::<(), exposure::Error>(())
//! ```
//!
//! Rooms, bottom up (see `ARCHITECTURE.md` for what each owns and the route of one
//! assessment):
//! - naming and ordering: [`version`] (twenty schemes, each ordered as its ecosystem's tool),
//!   [`range`] (native syntaxes, `vers:`, OSV events, NVD bounds), [`purl`], [`cpe`] (CPE 2.3
//!   names, bindings, NVD applicability statements, the dictionary and the normaliser) and
//!   [`ecosystem`];
//! - reading: [`files`] (bytes and text of the files callers hand over), [`parsed`] (values
//!   parsed once, kept with their text), [`load_report`] (what every loader accounts for);
//! - knowledge: [`kb`] (the advisory model, the store and its indexes, loading every feed);
//! - devices: [`inventory`] (fleets, devices and software from every inventory format);
//! - deciding: [`matching`] (findings with evidence, VEX), [`score`] (CVSS, exploitation, the
//!   exposure model), [`recommend`] (ranked actions), [`configuration`] (the secure
//!   configuration score, mitigated CVEs, configuration changes);
//! - assessing: [`engine`] (knowledge and model assess a fleet), [`assess`] (the use case
//!   every interface calls: inputs loaded and assessed, with every load report),
//!   [`assessment`] (the result and its rows), [`explain`] (why a device or the
//!   organisation scores what it does), [`tables`] (its text sections) and [`report`] (SARIF,
//!   VEX, CSV, Markdown and HTML).
//!
//! The crate reads only what the caller hands it; it does no network access, no printing and
//! keeps no global state.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub(crate) mod address;
#[cfg(feature = "arrow")]
pub mod arrow;
pub mod assess;
pub mod assessment;
pub mod columns;
pub mod configuration;
pub mod cpe;
pub mod date;
pub mod demo;
pub mod ecosystem;
pub mod engine;
pub mod eol;
mod error;
pub mod exceptions;
pub mod explain;
pub mod files;
pub mod filter;
pub(crate) mod frame;
pub mod history;
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
pub mod remediation;
pub mod report;
pub mod score;
mod span;
pub mod stream;
pub mod tables;
pub mod version;
pub mod views;
pub(crate) mod xml;

pub use assessment::Assessment;
pub use engine::Engine;

pub use error::Error;
pub use span::json_error_offset;
