//! CPE 2.3 names, exactly per NISTIR 7695 (naming) and NISTIR 7696 (name matching).
//!
//! A [`Cpe`] is a well-formed name (WFN): eleven attributes, each ANY, NA or a value string
//! in the WFN's own quoting (`8\.0\.6001`, `sp?`, `foo\\bar`). It parses and produces the
//! three forms NISTIR 7695 defines:
//!
//! - the 2.3 formatted string, `cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*`;
//! - the 2.2 URI, `cpe:/a:microsoft:internet_explorer:8.0.6001:beta` (percent-encoding,
//!   `%01`/`%02` wildcards, the packed `~` edition);
//! - the WFN text, `wfn:[part="a", vendor="microsoft", …]`.
//!
//! Traps this module guards against:
//! - **Quoting differs per binding.** `8.0` is `8.0` in a formatted string, `8\.0` in a WFN
//!   and `8.0` in a URI; `foo\bar` is `foo\\bar`, `foo\\bar` and `foo%5cbar`. Comparing bound
//!   strings as text is wrong; every form is unbound to the WFN first.
//! - **Wildcards only at the ends.** An unquoted `*` or run of `?` may open or close a value
//!   (`8.*`, `?es?`); anywhere else it is an error, never a silent literal.
//! - **A literal `-` or `*` value is quoted** (`\-`, `\*`); bare, they are NA and ANY.
//! - **Case does not matter**: values are kept in lower case, the canonical form.
//!
//! ```
//! use exposure::cpe::{Cpe, Relation};
//! let rule: Cpe = "cpe:2.3:a:microsoft:internet_explorer:8.*:*:*:*:*:*:*:*".parse()?;
//! let installed: Cpe = "cpe:/a:microsoft:internet_explorer:8.0.6001:beta".parse()?;
//! assert_eq!(rule.compare(&installed), Relation::Superset);
//! assert!(rule.matches(&installed));
//! assert_eq!(installed.to_uri(), "cpe:/a:microsoft:internet_explorer:8.0.6001:beta");
//! # Ok::<(), exposure::cpe::CpeError>(())
//! ```

mod applicability;
mod compare;
mod dictionary;
mod error;
mod formatted;
mod name;
mod naming;
mod normalize;
mod nvd_version;
mod program;
mod uri;
mod value;
mod vocabulary;
mod wfn;

#[cfg(test)]
mod tests;

pub use applicability::{
    scheme_for, Applicability, Bounds, Configuration, ConfigurationError, ConfigurationMatch,
    Criterion, Matched, Node, Operator, MAX_NODE_DEPTH,
};
pub use compare::{compare_values, Relation};
pub use dictionary::{Dictionary, DictionaryError, Item};
pub use error::{CpeError, CpeErrorKind};
pub use name::{Attribute, Binding, Cpe, Part};
pub use naming::{ProgramNaming, MIN_CONFIDENCE};
pub use normalize::{
    alias_rows, literal_wfn, AliasError, AliasRow, Candidate, Normalizer, DEFAULT_ALIASES,
};
pub(crate) use normalize::{build as application_cpe, group_maker, literal as literal_value};
pub use program::ProgramKind;
pub use value::{Value, ValueText};
pub use vocabulary::{name_words, Vocabulary};
